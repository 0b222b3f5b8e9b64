//go:build goexperiment.simd && amd64

package cpu

import "simd/archsimd"

// Table placement (tablePos.place) a vector at a time: the subtraction, division, floor and
// difference of axisPos, then its clamping and the combination into a flat index and the steps to
// the next column and row, as blends of vectors instead of branches per lane. The integer part is
// computed in floating point (indices, their clamps, index = row x columns + column, the steps):
// every value is an integer below 2^24, exact in float32 and float64, so the results are the
// integers the plain-Go path computes, converted once at the end. Tables of 2^24 cells or more go
// the plain-Go way. The float32 kernels (lookup_simd32.go) are generated from the float64 ones below
// by simd32.sed (go generate, lookup.go).

// This init gives the AVX-512 and AVX2 kernel sets their placement kernels and the AVX-512 ones
// the gathered interpolation (lookup_gather.go). It runs after kernels_simd.go's init has
// registered the variants: Go initialises a package's files in the order the go command presents
// them, sorted by name (TestLookupKernelsRegistered checks it happened).
func init() {
	for _, v := range variants {
		switch v.name {
		case "avx512":
			v.k64.place, v.k32.place = place8, place8f32
			v.k64.interp, v.k32.interp = interpGather[float64], interpGather[float32]
		case "avx2":
			v.k64.place, v.k32.place = place4, place4f32
		}
	}
}

// KERNELS BELOW: simd32.sed turns everything from here on into lookup_simd32.go.

// place8 is the placement of lanes lo .. lo+n-1 in whole vectors of 8 (kernels' place); y and x
// hold n lanes or one value (a scalar argument).
func place8(p *tablePos[float64], t *table[float64], y, x []float64, lo, n int) int {
	const v = 8
	if n < v || t.nr*t.nc >= 1<<24 || (len(y) != n && len(y) != 1) || (len(x) != n && len(x) != 1) {
		return 0
	}
	bc := archsimd.BroadcastFloat64x8
	rf, rl, rs := bc(t.rowFirst), bc(t.rowLast), bc(t.rowStep)
	cf, cl, cs := bc(t.colFirst), bc(t.colLast), bc(t.colStep)
	r2, r1 := bc(float64(t.nr-2)), bc(float64(t.nr-1))
	c2, c1, nc := bc(float64(t.nc-2)), bc(float64(t.nc-1)), bc(float64(t.nc))
	zero, one := bc(0), bc(1)
	yv, xv := bc(y[0]), bc(x[0])
	base, dxs, dys := p.base[lo:lo+n:lo+n], p.dx[lo:lo+n:lo+n], p.dy[lo:lo+n:lo+n]
	fys, fxs, nan := p.fy[lo:lo+n:lo+n], p.fx[lo:lo+n:lo+n], p.nan[lo:lo+n:lo+n]
	l := 0
	for ; l+v <= n; l += v {
		if len(y) == n {
			yv = ld8(y, l)
		}
		if len(x) == n {
			xv = ld8(x, l)
		}
		// axisPos of the row, its cases in reverse order so that the first that holds wins:
		// past the last index (rounding onto the last point), at or above the last point,
		// below the first
		f := yv.Sub(rf).Div(rs)
		iy := f.FloorScaled(0)
		fy := f.Sub(iy)
		m := iy.Greater(r2)
		iy, fy = r2.Merge(iy, m), one.Merge(fy, m)
		m = yv.GreaterEqual(rl)
		iy, fy = r1.Merge(iy, m), zero.Merge(fy, m)
		m = yv.Less(rf)
		iy, fy = zero.Merge(iy, m), zero.Merge(fy, m)
		// and of the column
		f = xv.Sub(cf).Div(cs)
		ix := f.FloorScaled(0)
		fx := f.Sub(ix)
		m = ix.Greater(c2)
		ix, fx = c2.Merge(ix, m), one.Merge(fx, m)
		m = xv.GreaterEqual(cl)
		ix, fx = c1.Merge(ix, m), zero.Merge(fx, m)
		m = xv.Less(cf)
		ix, fx = zero.Merge(ix, m), zero.Merge(fx, m)
		// a NaN argument: everything 0 (its lookups are NaN)
		bad := yv.NotEqual(yv).Or(xv.NotEqual(xv))
		iy, ix, fy, fx = zero.Merge(iy, bad), zero.Merge(ix, bad), zero.Merge(fy, bad), zero.Merge(fx, bad)
		b := iy.Mul(nc).Add(ix)
		dx := zero.Merge(ix.Add(one).Min(c1).Sub(ix), bad)
		dy := zero.Merge(iy.Add(one).Min(r1).Sub(iy).Mul(nc), bad)
		b.ConvertToInt32().Store((*[v]int32)(base[l : l+v]))
		dx.ConvertToInt32().Store((*[v]int32)(dxs[l : l+v]))
		dy.ConvertToInt32().Store((*[v]int32)(dys[l : l+v]))
		st8(fy, fys, l)
		st8(fx, fxs, l)
		if bits := bad.ToBits(); bits == 0 {
			*(*[v]bool)(nan[l : l+v]) = [v]bool{}
		} else {
			for q := range v {
				nan[l+q] = bits>>q&1 != 0
			}
			p.anyNaN = true
		}
	}
	archsimd.ClearAVXUpperBits()
	return l
}

// place4 is place8 with AVX2.
func place4(p *tablePos[float64], t *table[float64], y, x []float64, lo, n int) int {
	const v = 4
	if n < v || t.nr*t.nc >= 1<<24 || (len(y) != n && len(y) != 1) || (len(x) != n && len(x) != 1) {
		return 0
	}
	bc := archsimd.BroadcastFloat64x4
	rf, rl, rs := bc(t.rowFirst), bc(t.rowLast), bc(t.rowStep)
	cf, cl, cs := bc(t.colFirst), bc(t.colLast), bc(t.colStep)
	r2, r1 := bc(float64(t.nr-2)), bc(float64(t.nr-1))
	c2, c1, nc := bc(float64(t.nc-2)), bc(float64(t.nc-1)), bc(float64(t.nc))
	zero, one := bc(0), bc(1)
	yv, xv := bc(y[0]), bc(x[0])
	base, dxs, dys := p.base[lo:lo+n:lo+n], p.dx[lo:lo+n:lo+n], p.dy[lo:lo+n:lo+n]
	fys, fxs, nan := p.fy[lo:lo+n:lo+n], p.fx[lo:lo+n:lo+n], p.nan[lo:lo+n:lo+n]
	l := 0
	for ; l+v <= n; l += v {
		if len(y) == n {
			yv = ld4(y, l)
		}
		if len(x) == n {
			xv = ld4(x, l)
		}
		f := yv.Sub(rf).Div(rs)
		iy := f.Floor()
		fy := f.Sub(iy)
		m := iy.Greater(r2)
		iy, fy = r2.Merge(iy, m), one.Merge(fy, m)
		m = yv.GreaterEqual(rl)
		iy, fy = r1.Merge(iy, m), zero.Merge(fy, m)
		m = yv.Less(rf)
		iy, fy = zero.Merge(iy, m), zero.Merge(fy, m)
		f = xv.Sub(cf).Div(cs)
		ix := f.Floor()
		fx := f.Sub(ix)
		m = ix.Greater(c2)
		ix, fx = c2.Merge(ix, m), one.Merge(fx, m)
		m = xv.GreaterEqual(cl)
		ix, fx = c1.Merge(ix, m), zero.Merge(fx, m)
		m = xv.Less(cf)
		ix, fx = zero.Merge(ix, m), zero.Merge(fx, m)
		bad := yv.NotEqual(yv).Or(xv.NotEqual(xv))
		iy, ix, fy, fx = zero.Merge(iy, bad), zero.Merge(ix, bad), zero.Merge(fy, bad), zero.Merge(fx, bad)
		b := iy.Mul(nc).Add(ix)
		dx := zero.Merge(ix.Add(one).Min(c1).Sub(ix), bad)
		dy := zero.Merge(iy.Add(one).Min(r1).Sub(iy).Mul(nc), bad)
		b.ConvertToInt32().Store((*[v]int32)(base[l : l+v]))
		dx.ConvertToInt32().Store((*[v]int32)(dxs[l : l+v]))
		dy.ConvertToInt32().Store((*[v]int32)(dys[l : l+v]))
		st4(fy, fys, l)
		st4(fx, fxs, l)
		if bits := bad.ToBits(); bits == 0 {
			*(*[v]bool)(nan[l : l+v]) = [v]bool{}
		} else {
			for q := range v {
				nan[l+q] = bits>>q&1 != 0
			}
			p.anyNaN = true
		}
	}
	archsimd.ClearAVXUpperBits()
	return l
}
