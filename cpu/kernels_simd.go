//go:build goexperiment.simd && amd64

package cpu

import (
	"simd/archsimd"

	"github.com/klauspost/cpuid/v2"
)

// SIMD versions of the step kernels: 8 float64 or 16 float32 lanes per instruction (AVX-512), 4 or
// 8 (AVX2), the tail in plain Go. Every kernel ends its vector part with VZEROUPPER
// (archsimd.ClearAVXUpperBits): Go does not insert it, and the scalar SSE code that follows (the
// tail, table lookups, one member's sums) would otherwise run with a dirty upper register state,
// each instruction carrying a false dependency: measured, one member's Hopf step took 1.9x as long
// after a single AVX-512 kernel had run. No fused multiply-add: each lane rounds exactly as the scalar
// operation does. The float32 kernels (kernels_simd32.go) are generated from the float64 ones
// below by simd32.sed (go generate).

// The variants are registered when cpuid says the CPU (and the OS, which must save the wider
// registers) has the instructions: AVX-512 needs F, DQ, BW, CD and VL, which archsimd's 512-bit
// operations use; AVX2 needs AVX2.
func init() {
	if cpuid.CPU.Supports(cpuid.AVX2) {
		variants = append([]*variant{{name: "avx2", k64: &kernels[float64]{
			addVV: addVV4, subVV: subVV4, mulVV: mulVV4, divVV: divVV4,
			addSV: addSV4, subSV: subSV4, mulSV: mulSV4, divSV: divSV4,
			addVS: addVS4, subVS: subVS4, mulVS: mulVS4, divVS: divVS4,
			sqrtV: sqrtV4, accW: accW4, accWV: accWV4, accWD: accWD4, accWVD: accWVD4, rowW: rowW4, rowWD: rowWD4, ltVV: ltVV4, leVV: leVV4, gtVV: gtVV4, geVV: geVV4, selVVV: selVVV4, rowWW: rowWW4, rowWT: rowWT4, rowWDT: rowWDT4, vec: 4, fill: fill4, flush: flush4, finite: finite4, axis: axis4,
		}, k32: &kernels[float32]{
			addVV: addVV4f32, subVV: subVV4f32, mulVV: mulVV4f32, divVV: divVV4f32,
			addSV: addSV4f32, subSV: subSV4f32, mulSV: mulSV4f32, divSV: divSV4f32,
			addVS: addVS4f32, subVS: subVS4f32, mulVS: mulVS4f32, divVS: divVS4f32,
			sqrtV: sqrtV4f32, accW: accW4f32, accWV: accWV4f32, accWD: accWD4f32, accWVD: accWVD4f32, rowW: rowW4f32, rowWD: rowWD4f32, ltVV: ltVV4f32, leVV: leVV4f32, gtVV: gtVV4f32, geVV: geVV4f32, selVVV: selVVV4f32, rowWW: rowWW4f32, rowWT: rowWT4f32, rowWDT: rowWDT4f32, vec: 8, fill: fill4f32, flush: flush4f32, finite: finite4f32, axis: axis4f32,
		}}}, variants...)
	}
	if cpuid.CPU.Supports(cpuid.AVX512F, cpuid.AVX512DQ, cpuid.AVX512BW, cpuid.AVX512CD, cpuid.AVX512VL) {
		variants = append([]*variant{{name: "avx512", k64: &kernels[float64]{
			addVV: addVV8, subVV: subVV8, mulVV: mulVV8, divVV: divVV8,
			addSV: addSV8, subSV: subSV8, mulSV: mulSV8, divSV: divSV8,
			addVS: addVS8, subVS: subVS8, mulVS: mulVS8, divVS: divVS8,
			sqrtV: sqrtV8, accW: accW8, accWV: accWV8, accWD: accWD8, accWVD: accWVD8, rowW: rowW8, rowWD: rowWD8, ltVV: ltVV8, leVV: leVV8, gtVV: gtVV8, geVV: geVV8, selVVV: selVVV8, rowWW: rowWW8, rowWT: rowWT8, rowWDT: rowWDT8, vec: 8, fill: fill8, flush: flush8, finite: finite8, axis: axis8,
		}, k32: &kernels[float32]{
			addVV: addVV8f32, subVV: subVV8f32, mulVV: mulVV8f32, divVV: divVV8f32,
			addSV: addSV8f32, subSV: subSV8f32, mulSV: mulSV8f32, divSV: divSV8f32,
			addVS: addVS8f32, subVS: subVS8f32, mulVS: mulVS8f32, divVS: divVS8f32,
			sqrtV: sqrtV8f32, accW: accW8f32, accWV: accWV8f32, accWD: accWD8f32, accWVD: accWVD8f32, rowW: rowW8f32, rowWD: rowWD8f32, ltVV: ltVV8f32, leVV: leVV8f32, gtVV: gtVV8f32, geVV: geVV8f32, selVVV: selVVV8f32, rowWW: rowWW8f32, rowWT: rowWT8f32, rowWDT: rowWDT8f32, vec: 16, fill: fill8f32, flush: flush8f32, finite: finite8f32, axis: axis8f32,
		}}}, variants...)
	}
}

// KERNELS BELOW: simd32.sed turns everything from here on into kernels_simd32.go.

// ld8, st8, ld4 and st4 load and store one vector at s[l:]: through an array pointer, which
// compiles to one bounds check and the vector instruction (measured: the Load...Slice form spent
// about 30 integer instructions per vector on slicing, 2.6x the time of an addition of 1024 lanes).
func ld8(s []float64, l int) archsimd.Float64x8 {
	const n = 8
	return archsimd.LoadFloat64x8((*[n]float64)(s[l : l+n]))
}

func st8(v archsimd.Float64x8, s []float64, l int) {
	const n = 8
	v.Store((*[n]float64)(s[l : l+n]))
}

func ld4(s []float64, l int) archsimd.Float64x4 {
	const n = 4
	return archsimd.LoadFloat64x4((*[n]float64)(s[l : l+n]))
}

func st4(v archsimd.Float64x4, s []float64, l int) {
	const n = 4
	v.Store((*[n]float64)(s[l : l+n]))
}

func addVV8(d, a, b []float64) {
	a, b = a[:len(d)], b[:len(d)]
	l := 0
	for ; l+8 <= len(d); l += 8 {
		st8(ld8(a, l).Add(ld8(b, l)), d, l)
	}
	archsimd.ClearAVXUpperBits()
	addVVGo(d[l:], a[l:], b[l:])
}

func addSV8(d []float64, x float64, b []float64) {
	b = b[:len(d)]
	xv := archsimd.BroadcastFloat64x8(x)
	l := 0
	for ; l+8 <= len(d); l += 8 {
		st8(xv.Add(ld8(b, l)), d, l)
	}
	archsimd.ClearAVXUpperBits()
	addSVGo(d[l:], x, b[l:])
}

func addVS8(d, a []float64, y float64) {
	a = a[:len(d)]
	yv := archsimd.BroadcastFloat64x8(y)
	l := 0
	for ; l+8 <= len(d); l += 8 {
		st8(ld8(a, l).Add(yv), d, l)
	}
	archsimd.ClearAVXUpperBits()
	addVSGo(d[l:], a[l:], y)
}

func subVV8(d, a, b []float64) {
	a, b = a[:len(d)], b[:len(d)]
	l := 0
	for ; l+8 <= len(d); l += 8 {
		st8(ld8(a, l).Sub(ld8(b, l)), d, l)
	}
	archsimd.ClearAVXUpperBits()
	subVVGo(d[l:], a[l:], b[l:])
}

func subSV8(d []float64, x float64, b []float64) {
	b = b[:len(d)]
	xv := archsimd.BroadcastFloat64x8(x)
	l := 0
	for ; l+8 <= len(d); l += 8 {
		st8(xv.Sub(ld8(b, l)), d, l)
	}
	archsimd.ClearAVXUpperBits()
	subSVGo(d[l:], x, b[l:])
}

func subVS8(d, a []float64, y float64) {
	a = a[:len(d)]
	yv := archsimd.BroadcastFloat64x8(y)
	l := 0
	for ; l+8 <= len(d); l += 8 {
		st8(ld8(a, l).Sub(yv), d, l)
	}
	archsimd.ClearAVXUpperBits()
	subVSGo(d[l:], a[l:], y)
}

func mulVV8(d, a, b []float64) {
	a, b = a[:len(d)], b[:len(d)]
	l := 0
	for ; l+8 <= len(d); l += 8 {
		st8(ld8(a, l).Mul(ld8(b, l)), d, l)
	}
	archsimd.ClearAVXUpperBits()
	mulVVGo(d[l:], a[l:], b[l:])
}

func mulSV8(d []float64, x float64, b []float64) {
	b = b[:len(d)]
	xv := archsimd.BroadcastFloat64x8(x)
	l := 0
	for ; l+8 <= len(d); l += 8 {
		st8(xv.Mul(ld8(b, l)), d, l)
	}
	archsimd.ClearAVXUpperBits()
	mulSVGo(d[l:], x, b[l:])
}

func mulVS8(d, a []float64, y float64) {
	a = a[:len(d)]
	yv := archsimd.BroadcastFloat64x8(y)
	l := 0
	for ; l+8 <= len(d); l += 8 {
		st8(ld8(a, l).Mul(yv), d, l)
	}
	archsimd.ClearAVXUpperBits()
	mulVSGo(d[l:], a[l:], y)
}

func divVV8(d, a, b []float64) {
	a, b = a[:len(d)], b[:len(d)]
	l := 0
	for ; l+8 <= len(d); l += 8 {
		st8(ld8(a, l).Div(ld8(b, l)), d, l)
	}
	archsimd.ClearAVXUpperBits()
	divVVGo(d[l:], a[l:], b[l:])
}

func divSV8(d []float64, x float64, b []float64) {
	b = b[:len(d)]
	xv := archsimd.BroadcastFloat64x8(x)
	l := 0
	for ; l+8 <= len(d); l += 8 {
		st8(xv.Div(ld8(b, l)), d, l)
	}
	archsimd.ClearAVXUpperBits()
	divSVGo(d[l:], x, b[l:])
}

func divVS8(d, a []float64, y float64) {
	a = a[:len(d)]
	yv := archsimd.BroadcastFloat64x8(y)
	l := 0
	for ; l+8 <= len(d); l += 8 {
		st8(ld8(a, l).Div(yv), d, l)
	}
	archsimd.ClearAVXUpperBits()
	divVSGo(d[l:], a[l:], y)
}

func sqrtV8(d, a []float64) {
	a = a[:len(d)]
	l := 0
	for ; l+8 <= len(d); l += 8 {
		st8(ld8(a, l).Sqrt(), d, l)
	}
	archsimd.ClearAVXUpperBits()
	sqrtVGo(d[l:], a[l:])
}

func addVV4(d, a, b []float64) {
	a, b = a[:len(d)], b[:len(d)]
	l := 0
	for ; l+4 <= len(d); l += 4 {
		st4(ld4(a, l).Add(ld4(b, l)), d, l)
	}
	archsimd.ClearAVXUpperBits()
	addVVGo(d[l:], a[l:], b[l:])
}

func addSV4(d []float64, x float64, b []float64) {
	b = b[:len(d)]
	xv := archsimd.BroadcastFloat64x4(x)
	l := 0
	for ; l+4 <= len(d); l += 4 {
		st4(xv.Add(ld4(b, l)), d, l)
	}
	archsimd.ClearAVXUpperBits()
	addSVGo(d[l:], x, b[l:])
}

func addVS4(d, a []float64, y float64) {
	a = a[:len(d)]
	yv := archsimd.BroadcastFloat64x4(y)
	l := 0
	for ; l+4 <= len(d); l += 4 {
		st4(ld4(a, l).Add(yv), d, l)
	}
	archsimd.ClearAVXUpperBits()
	addVSGo(d[l:], a[l:], y)
}

func subVV4(d, a, b []float64) {
	a, b = a[:len(d)], b[:len(d)]
	l := 0
	for ; l+4 <= len(d); l += 4 {
		st4(ld4(a, l).Sub(ld4(b, l)), d, l)
	}
	archsimd.ClearAVXUpperBits()
	subVVGo(d[l:], a[l:], b[l:])
}

func subSV4(d []float64, x float64, b []float64) {
	b = b[:len(d)]
	xv := archsimd.BroadcastFloat64x4(x)
	l := 0
	for ; l+4 <= len(d); l += 4 {
		st4(xv.Sub(ld4(b, l)), d, l)
	}
	archsimd.ClearAVXUpperBits()
	subSVGo(d[l:], x, b[l:])
}

func subVS4(d, a []float64, y float64) {
	a = a[:len(d)]
	yv := archsimd.BroadcastFloat64x4(y)
	l := 0
	for ; l+4 <= len(d); l += 4 {
		st4(ld4(a, l).Sub(yv), d, l)
	}
	archsimd.ClearAVXUpperBits()
	subVSGo(d[l:], a[l:], y)
}

func mulVV4(d, a, b []float64) {
	a, b = a[:len(d)], b[:len(d)]
	l := 0
	for ; l+4 <= len(d); l += 4 {
		st4(ld4(a, l).Mul(ld4(b, l)), d, l)
	}
	archsimd.ClearAVXUpperBits()
	mulVVGo(d[l:], a[l:], b[l:])
}

func mulSV4(d []float64, x float64, b []float64) {
	b = b[:len(d)]
	xv := archsimd.BroadcastFloat64x4(x)
	l := 0
	for ; l+4 <= len(d); l += 4 {
		st4(xv.Mul(ld4(b, l)), d, l)
	}
	archsimd.ClearAVXUpperBits()
	mulSVGo(d[l:], x, b[l:])
}

func mulVS4(d, a []float64, y float64) {
	a = a[:len(d)]
	yv := archsimd.BroadcastFloat64x4(y)
	l := 0
	for ; l+4 <= len(d); l += 4 {
		st4(ld4(a, l).Mul(yv), d, l)
	}
	archsimd.ClearAVXUpperBits()
	mulVSGo(d[l:], a[l:], y)
}

func divVV4(d, a, b []float64) {
	a, b = a[:len(d)], b[:len(d)]
	l := 0
	for ; l+4 <= len(d); l += 4 {
		st4(ld4(a, l).Div(ld4(b, l)), d, l)
	}
	archsimd.ClearAVXUpperBits()
	divVVGo(d[l:], a[l:], b[l:])
}

func divSV4(d []float64, x float64, b []float64) {
	b = b[:len(d)]
	xv := archsimd.BroadcastFloat64x4(x)
	l := 0
	for ; l+4 <= len(d); l += 4 {
		st4(xv.Div(ld4(b, l)), d, l)
	}
	archsimd.ClearAVXUpperBits()
	divSVGo(d[l:], x, b[l:])
}

func divVS4(d, a []float64, y float64) {
	a = a[:len(d)]
	yv := archsimd.BroadcastFloat64x4(y)
	l := 0
	for ; l+4 <= len(d); l += 4 {
		st4(ld4(a, l).Div(yv), d, l)
	}
	archsimd.ClearAVXUpperBits()
	divVSGo(d[l:], a[l:], y)
}

func sqrtV4(d, a []float64) {
	a = a[:len(d)]
	l := 0
	for ; l+4 <= len(d); l += 4 {
		st4(ld4(a, l).Sqrt(), d, l)
	}
	archsimd.ClearAVXUpperBits()
	sqrtVGo(d[l:], a[l:])
}

func accW8(acc []float64, w float64, x []float64) {
	x = x[:len(acc)]
	wv := archsimd.BroadcastFloat64x8(w)
	m := 0
	for ; m+8 <= len(acc); m += 8 {
		st8(ld8(acc, m).Add(wv.Mul(ld8(x, m))), acc, m)
	}
	archsimd.ClearAVXUpperBits()
	accWGo(acc[m:], w, x[m:])
}

func accWV8(acc, w, x []float64) {
	w, x = w[:len(acc)], x[:len(acc)]
	m := 0
	for ; m+8 <= len(acc); m += 8 {
		p := ld8(w, m).Mul(ld8(x, m))
		st8(ld8(acc, m).Add(p), acc, m)
	}
	archsimd.ClearAVXUpperBits()
	accWVGo(acc[m:], w[m:], x[m:])
}

func accWD8(acc []float64, w float64, x, y []float64) {
	x, y = x[:len(acc)], y[:len(acc)]
	wv := archsimd.BroadcastFloat64x8(w)
	m := 0
	for ; m+8 <= len(acc); m += 8 {
		p := wv.Mul(ld8(x, m).Sub(ld8(y, m)))
		st8(ld8(acc, m).Add(p), acc, m)
	}
	archsimd.ClearAVXUpperBits()
	accWDGo(acc[m:], w, x[m:], y[m:])
}

func accWVD8(acc, w, x, y []float64) {
	w, x, y = w[:len(acc)], x[:len(acc)], y[:len(acc)]
	m := 0
	for ; m+8 <= len(acc); m += 8 {
		p := ld8(w, m).Mul(ld8(x, m).Sub(ld8(y, m)))
		st8(ld8(acc, m).Add(p), acc, m)
	}
	archsimd.ClearAVXUpperBits()
	accWVDGo(acc[m:], w[m:], x[m:], y[m:])
}

func accW4(acc []float64, w float64, x []float64) {
	x = x[:len(acc)]
	wv := archsimd.BroadcastFloat64x4(w)
	m := 0
	for ; m+4 <= len(acc); m += 4 {
		st4(ld4(acc, m).Add(wv.Mul(ld4(x, m))), acc, m)
	}
	archsimd.ClearAVXUpperBits()
	accWGo(acc[m:], w, x[m:])
}

func accWV4(acc, w, x []float64) {
	w, x = w[:len(acc)], x[:len(acc)]
	m := 0
	for ; m+4 <= len(acc); m += 4 {
		p := ld4(w, m).Mul(ld4(x, m))
		st4(ld4(acc, m).Add(p), acc, m)
	}
	archsimd.ClearAVXUpperBits()
	accWVGo(acc[m:], w[m:], x[m:])
}

func accWD4(acc []float64, w float64, x, y []float64) {
	x, y = x[:len(acc)], y[:len(acc)]
	wv := archsimd.BroadcastFloat64x4(w)
	m := 0
	for ; m+4 <= len(acc); m += 4 {
		p := wv.Mul(ld4(x, m).Sub(ld4(y, m)))
		st4(ld4(acc, m).Add(p), acc, m)
	}
	archsimd.ClearAVXUpperBits()
	accWDGo(acc[m:], w, x[m:], y[m:])
}

func accWVD4(acc, w, x, y []float64) {
	w, x, y = w[:len(acc)], x[:len(acc)], y[:len(acc)]
	m := 0
	for ; m+4 <= len(acc); m += 4 {
		p := ld4(w, m).Mul(ld4(x, m).Sub(ld4(y, m)))
		st4(ld4(acc, m).Add(p), acc, m)
	}
	archsimd.ClearAVXUpperBits()
	accWVDGo(acc[m:], w[m:], x[m:], y[m:])
}

// rowW8 sums one target's members over the sources four vectors at a time, the accumulators in
// registers, then two, then one vector at a time, the tail in plain Go.
// The groups of four vectors run in assembly with prefetches (rows_amd64.go; here and in
// rowWD8 and rowWW8), the same operations in the same order; the loop below is its reference
// (tests) and takes over where the assembly declines (a source outside buf: the loop panics).
func rowW8(acc, w, buf []float64, off []int32, base int) {
	const v = 8
	off = off[:len(w)]
	E := len(acc)
	m := 0
	for ; m+v*4 <= E; m += v * 4 {
		if asmRows && len(w) > 0 && len(buf) >= v*4 && asmRowW8(&acc[m], &w[0], len(w), &off[0], &buf[0], len(buf)-v*4, base+m, ahead(off)) {
			continue
		}
		a0 := archsimd.BroadcastFloat64x8(0)
		a1, a2, a3 := a0, a0, a0
		for j, wj := range w {
			wv := archsimd.BroadcastFloat64x8(wj)
			o := base + int(off[j]) + m
			x := buf[o : o+v*4 : o+v*4]
			a0 = a0.Add(wv.Mul(ld8(x, 0)))
			a1 = a1.Add(wv.Mul(ld8(x, v)))
			a2 = a2.Add(wv.Mul(ld8(x, v*2)))
			a3 = a3.Add(wv.Mul(ld8(x, v*3)))
		}
		st8(a0, acc, m)
		st8(a1, acc, m+v)
		st8(a2, acc, m+v*2)
		st8(a3, acc, m+v*3)
	}
	for ; m+v*2 <= E; m += v * 2 {
		a0 := archsimd.BroadcastFloat64x8(0)
		a1 := a0
		for j, wj := range w {
			wv := archsimd.BroadcastFloat64x8(wj)
			o := base + int(off[j]) + m
			x := buf[o : o+v*2 : o+v*2]
			a0 = a0.Add(wv.Mul(ld8(x, 0)))
			a1 = a1.Add(wv.Mul(ld8(x, v)))
		}
		st8(a0, acc, m)
		st8(a1, acc, m+v)
	}
	for ; m+v <= E; m += v {
		a0 := archsimd.BroadcastFloat64x8(0)
		for j, wj := range w {
			o := base + int(off[j]) + m
			a0 = a0.Add(archsimd.BroadcastFloat64x8(wj).Mul(ld8(buf, o)))
		}
		st8(a0, acc, m)
	}
	archsimd.ClearAVXUpperBits()
	if m < E {
		rowWGo(acc[m:], w, buf, off, base+m)
	}
}

// rowWD8 is rowW8 for diffusive sums: w[j] * (x_j[m] - y[m]).
func rowWD8(acc, w, buf []float64, off []int32, base int, y []float64) {
	const v = 8
	off, y = off[:len(w)], y[:len(acc)]
	E := len(acc)
	m := 0
	for ; m+v*4 <= E; m += v * 4 {
		if asmRows && len(w) > 0 && len(buf) >= v*4 && asmRowWD8(&acc[m], &w[0], len(w), &off[0], &buf[0], len(buf)-v*4, base+m, ahead(off), &y[m]) {
			continue
		}
		a0 := archsimd.BroadcastFloat64x8(0)
		a1, a2, a3 := a0, a0, a0
		y0, y1 := ld8(y, m), ld8(y, m+v)
		y2, y3 := ld8(y, m+v*2), ld8(y, m+v*3)
		for j, wj := range w {
			wv := archsimd.BroadcastFloat64x8(wj)
			o := base + int(off[j]) + m
			x := buf[o : o+v*4 : o+v*4]
			a0 = a0.Add(wv.Mul(ld8(x, 0).Sub(y0)))
			a1 = a1.Add(wv.Mul(ld8(x, v).Sub(y1)))
			a2 = a2.Add(wv.Mul(ld8(x, v*2).Sub(y2)))
			a3 = a3.Add(wv.Mul(ld8(x, v*3).Sub(y3)))
		}
		st8(a0, acc, m)
		st8(a1, acc, m+v)
		st8(a2, acc, m+v*2)
		st8(a3, acc, m+v*3)
	}
	for ; m+v*2 <= E; m += v * 2 {
		a0 := archsimd.BroadcastFloat64x8(0)
		a1 := a0
		y0, y1 := ld8(y, m), ld8(y, m+v)
		for j, wj := range w {
			wv := archsimd.BroadcastFloat64x8(wj)
			o := base + int(off[j]) + m
			x := buf[o : o+v*2 : o+v*2]
			a0 = a0.Add(wv.Mul(ld8(x, 0).Sub(y0)))
			a1 = a1.Add(wv.Mul(ld8(x, v).Sub(y1)))
		}
		st8(a0, acc, m)
		st8(a1, acc, m+v)
	}
	for ; m+v <= E; m += v {
		a0 := archsimd.BroadcastFloat64x8(0)
		y0 := ld8(y, m)
		for j, wj := range w {
			o := base + int(off[j]) + m
			a0 = a0.Add(archsimd.BroadcastFloat64x8(wj).Mul(ld8(buf, o).Sub(y0)))
		}
		st8(a0, acc, m)
	}
	archsimd.ClearAVXUpperBits()
	if m < E {
		rowWDGo(acc[m:], w, buf, off, base+m, y[m:])
	}
}

// rowW4 sums one target's members over the sources four vectors at a time, the accumulators in
// registers, then two, then one vector at a time, the tail in plain Go.
func rowW4(acc, w, buf []float64, off []int32, base int) {
	const v = 4
	off = off[:len(w)]
	E := len(acc)
	m := 0
	for ; m+v*4 <= E; m += v * 4 {
		if asmRows && len(w) > 0 && len(buf) >= v*4 && asmRowW4(&acc[m], &w[0], len(w), &off[0], &buf[0], len(buf)-v*4, base+m, ahead(off)) {
			continue
		}
		a0 := archsimd.BroadcastFloat64x4(0)
		a1, a2, a3 := a0, a0, a0
		for j, wj := range w {
			wv := archsimd.BroadcastFloat64x4(wj)
			o := base + int(off[j]) + m
			x := buf[o : o+v*4 : o+v*4]
			a0 = a0.Add(wv.Mul(ld4(x, 0)))
			a1 = a1.Add(wv.Mul(ld4(x, v)))
			a2 = a2.Add(wv.Mul(ld4(x, v*2)))
			a3 = a3.Add(wv.Mul(ld4(x, v*3)))
		}
		st4(a0, acc, m)
		st4(a1, acc, m+v)
		st4(a2, acc, m+v*2)
		st4(a3, acc, m+v*3)
	}
	for ; m+v*2 <= E; m += v * 2 {
		a0 := archsimd.BroadcastFloat64x4(0)
		a1 := a0
		for j, wj := range w {
			wv := archsimd.BroadcastFloat64x4(wj)
			o := base + int(off[j]) + m
			x := buf[o : o+v*2 : o+v*2]
			a0 = a0.Add(wv.Mul(ld4(x, 0)))
			a1 = a1.Add(wv.Mul(ld4(x, v)))
		}
		st4(a0, acc, m)
		st4(a1, acc, m+v)
	}
	for ; m+v <= E; m += v {
		a0 := archsimd.BroadcastFloat64x4(0)
		for j, wj := range w {
			o := base + int(off[j]) + m
			a0 = a0.Add(archsimd.BroadcastFloat64x4(wj).Mul(ld4(buf, o)))
		}
		st4(a0, acc, m)
	}
	archsimd.ClearAVXUpperBits()
	if m < E {
		rowWGo(acc[m:], w, buf, off, base+m)
	}
}

// rowWD4 is rowW4 for diffusive sums: w[j] * (x_j[m] - y[m]).
func rowWD4(acc, w, buf []float64, off []int32, base int, y []float64) {
	const v = 4
	off, y = off[:len(w)], y[:len(acc)]
	E := len(acc)
	m := 0
	for ; m+v*4 <= E; m += v * 4 {
		if asmRows && len(w) > 0 && len(buf) >= v*4 && asmRowWD4(&acc[m], &w[0], len(w), &off[0], &buf[0], len(buf)-v*4, base+m, ahead(off), &y[m]) {
			continue
		}
		a0 := archsimd.BroadcastFloat64x4(0)
		a1, a2, a3 := a0, a0, a0
		y0, y1 := ld4(y, m), ld4(y, m+v)
		y2, y3 := ld4(y, m+v*2), ld4(y, m+v*3)
		for j, wj := range w {
			wv := archsimd.BroadcastFloat64x4(wj)
			o := base + int(off[j]) + m
			x := buf[o : o+v*4 : o+v*4]
			a0 = a0.Add(wv.Mul(ld4(x, 0).Sub(y0)))
			a1 = a1.Add(wv.Mul(ld4(x, v).Sub(y1)))
			a2 = a2.Add(wv.Mul(ld4(x, v*2).Sub(y2)))
			a3 = a3.Add(wv.Mul(ld4(x, v*3).Sub(y3)))
		}
		st4(a0, acc, m)
		st4(a1, acc, m+v)
		st4(a2, acc, m+v*2)
		st4(a3, acc, m+v*3)
	}
	for ; m+v*2 <= E; m += v * 2 {
		a0 := archsimd.BroadcastFloat64x4(0)
		a1 := a0
		y0, y1 := ld4(y, m), ld4(y, m+v)
		for j, wj := range w {
			wv := archsimd.BroadcastFloat64x4(wj)
			o := base + int(off[j]) + m
			x := buf[o : o+v*2 : o+v*2]
			a0 = a0.Add(wv.Mul(ld4(x, 0).Sub(y0)))
			a1 = a1.Add(wv.Mul(ld4(x, v).Sub(y1)))
		}
		st4(a0, acc, m)
		st4(a1, acc, m+v)
	}
	for ; m+v <= E; m += v {
		a0 := archsimd.BroadcastFloat64x4(0)
		y0 := ld4(y, m)
		for j, wj := range w {
			o := base + int(off[j]) + m
			a0 = a0.Add(archsimd.BroadcastFloat64x4(wj).Mul(ld4(buf, o).Sub(y0)))
		}
		st4(a0, acc, m)
	}
	archsimd.ClearAVXUpperBits()
	if m < E {
		rowWDGo(acc[m:], w, buf, off, base+m, y[m:])
	}
}

// rowWT8 is rowW8 for T consecutive targets (acc: T x E members, w, off: T x N sources, y: T x E):
// with one vector of members, four targets at a time, with two, two at a time, so that four
// independent chains of additions are in flight; other shapes target by target.

func rowWT8(acc, w, buf []float64, off []int32, base, T int) {
	const v = 8
	E, N := len(acc)/T, len(w)/T
	switch {
	case E == v && T == 4:
		w0, w1, w2, w3 := w[:N], w[N:2*N], w[2*N:3*N], w[3*N:4*N]
		o0, o1, o2, o3 := off[:N], off[N:2*N], off[2*N:3*N], off[3*N:4*N]
		a0 := archsimd.BroadcastFloat64x8(0)
		a1, a2, a3 := a0, a0, a0
		for j := range N {
			x0 := base + int(o0[j])
			x1 := base + int(o1[j])
			x2 := base + int(o2[j])
			x3 := base + int(o3[j])
			a0 = a0.Add(archsimd.BroadcastFloat64x8(w0[j]).Mul(ld8(buf, x0)))
			a1 = a1.Add(archsimd.BroadcastFloat64x8(w1[j]).Mul(ld8(buf, x1)))
			a2 = a2.Add(archsimd.BroadcastFloat64x8(w2[j]).Mul(ld8(buf, x2)))
			a3 = a3.Add(archsimd.BroadcastFloat64x8(w3[j]).Mul(ld8(buf, x3)))
		}
		st8(a0, acc, 0)
		st8(a1, acc, v)
		st8(a2, acc, v*2)
		st8(a3, acc, v*3)
	case E == v*2 && T == 2:
		w0, w1 := w[:N], w[N:2*N]
		o0, o1 := off[:N], off[N:2*N]
		a0 := archsimd.BroadcastFloat64x8(0)
		a1, a2, a3 := a0, a0, a0
		for j := range N {
			u0, u1 := archsimd.BroadcastFloat64x8(w0[j]), archsimd.BroadcastFloat64x8(w1[j])
			x0, x1 := base+int(o0[j]), base+int(o1[j])
			b0, b1 := buf[x0:x0+v*2:x0+v*2], buf[x1:x1+v*2:x1+v*2]
			a0 = a0.Add(u0.Mul(ld8(b0, 0)))
			a1 = a1.Add(u0.Mul(ld8(b0, v)))
			a2 = a2.Add(u1.Mul(ld8(b1, 0)))
			a3 = a3.Add(u1.Mul(ld8(b1, v)))
		}
		st8(a0, acc, 0)
		st8(a1, acc, v)
		st8(a2, acc, v*2)
		st8(a3, acc, v*3)
	default:
		for t := range T {
			rowW8(acc[t*E:(t+1)*E], w[t*N:(t+1)*N], buf, off[t*N:(t+1)*N], base)
		}
		return
	}
	archsimd.ClearAVXUpperBits()
}

// rowWDT8 is rowWT8 for diffusive sums: w[j] * (x_j[m] - y[m]).

func rowWDT8(acc, w, buf []float64, off []int32, base, T int, y []float64) {
	const v = 8
	E, N := len(acc)/T, len(w)/T
	switch {
	case E == v && T == 4:
		w0, w1, w2, w3 := w[:N], w[N:2*N], w[2*N:3*N], w[3*N:4*N]
		o0, o1, o2, o3 := off[:N], off[N:2*N], off[2*N:3*N], off[3*N:4*N]
		y0, y1 := ld8(y, 0), ld8(y, v)
		y2, y3 := ld8(y, v*2), ld8(y, v*3)
		a0 := archsimd.BroadcastFloat64x8(0)
		a1, a2, a3 := a0, a0, a0
		for j := range N {
			x0 := base + int(o0[j])
			x1 := base + int(o1[j])
			x2 := base + int(o2[j])
			x3 := base + int(o3[j])
			a0 = a0.Add(archsimd.BroadcastFloat64x8(w0[j]).Mul(ld8(buf, x0).Sub(y0)))
			a1 = a1.Add(archsimd.BroadcastFloat64x8(w1[j]).Mul(ld8(buf, x1).Sub(y1)))
			a2 = a2.Add(archsimd.BroadcastFloat64x8(w2[j]).Mul(ld8(buf, x2).Sub(y2)))
			a3 = a3.Add(archsimd.BroadcastFloat64x8(w3[j]).Mul(ld8(buf, x3).Sub(y3)))
		}
		st8(a0, acc, 0)
		st8(a1, acc, v)
		st8(a2, acc, v*2)
		st8(a3, acc, v*3)
	case E == v*2 && T == 2:
		w0, w1 := w[:N], w[N:2*N]
		o0, o1 := off[:N], off[N:2*N]
		y0, y1 := ld8(y, 0), ld8(y, v)
		y2, y3 := ld8(y, v*2), ld8(y, v*3)
		a0 := archsimd.BroadcastFloat64x8(0)
		a1, a2, a3 := a0, a0, a0
		for j := range N {
			u0, u1 := archsimd.BroadcastFloat64x8(w0[j]), archsimd.BroadcastFloat64x8(w1[j])
			x0, x1 := base+int(o0[j]), base+int(o1[j])
			b0, b1 := buf[x0:x0+v*2:x0+v*2], buf[x1:x1+v*2:x1+v*2]
			a0 = a0.Add(u0.Mul(ld8(b0, 0).Sub(y0)))
			a1 = a1.Add(u0.Mul(ld8(b0, v).Sub(y1)))
			a2 = a2.Add(u1.Mul(ld8(b1, 0).Sub(y2)))
			a3 = a3.Add(u1.Mul(ld8(b1, v).Sub(y3)))
		}
		st8(a0, acc, 0)
		st8(a1, acc, v)
		st8(a2, acc, v*2)
		st8(a3, acc, v*3)
	default:
		for t := range T {
			rowWD8(acc[t*E:(t+1)*E], w[t*N:(t+1)*N], buf, off[t*N:(t+1)*N], base, y[t*E:(t+1)*E])
		}
		return
	}
	archsimd.ClearAVXUpperBits()
}

// rowWT4 is rowW4 for T consecutive targets (acc: T x E members, w, off: T x N sources, y: T x E):
// with one vector of members, four targets at a time, with two, two at a time, so that four
// independent chains of additions are in flight; other shapes target by target.

func rowWT4(acc, w, buf []float64, off []int32, base, T int) {
	const v = 4
	E, N := len(acc)/T, len(w)/T
	switch {
	case E == v && T == 4:
		w0, w1, w2, w3 := w[:N], w[N:2*N], w[2*N:3*N], w[3*N:4*N]
		o0, o1, o2, o3 := off[:N], off[N:2*N], off[2*N:3*N], off[3*N:4*N]
		a0 := archsimd.BroadcastFloat64x4(0)
		a1, a2, a3 := a0, a0, a0
		for j := range N {
			x0 := base + int(o0[j])
			x1 := base + int(o1[j])
			x2 := base + int(o2[j])
			x3 := base + int(o3[j])
			a0 = a0.Add(archsimd.BroadcastFloat64x4(w0[j]).Mul(ld4(buf, x0)))
			a1 = a1.Add(archsimd.BroadcastFloat64x4(w1[j]).Mul(ld4(buf, x1)))
			a2 = a2.Add(archsimd.BroadcastFloat64x4(w2[j]).Mul(ld4(buf, x2)))
			a3 = a3.Add(archsimd.BroadcastFloat64x4(w3[j]).Mul(ld4(buf, x3)))
		}
		st4(a0, acc, 0)
		st4(a1, acc, v)
		st4(a2, acc, v*2)
		st4(a3, acc, v*3)
	case E == v*2 && T == 2:
		w0, w1 := w[:N], w[N:2*N]
		o0, o1 := off[:N], off[N:2*N]
		a0 := archsimd.BroadcastFloat64x4(0)
		a1, a2, a3 := a0, a0, a0
		for j := range N {
			u0, u1 := archsimd.BroadcastFloat64x4(w0[j]), archsimd.BroadcastFloat64x4(w1[j])
			x0, x1 := base+int(o0[j]), base+int(o1[j])
			b0, b1 := buf[x0:x0+v*2:x0+v*2], buf[x1:x1+v*2:x1+v*2]
			a0 = a0.Add(u0.Mul(ld4(b0, 0)))
			a1 = a1.Add(u0.Mul(ld4(b0, v)))
			a2 = a2.Add(u1.Mul(ld4(b1, 0)))
			a3 = a3.Add(u1.Mul(ld4(b1, v)))
		}
		st4(a0, acc, 0)
		st4(a1, acc, v)
		st4(a2, acc, v*2)
		st4(a3, acc, v*3)
	default:
		for t := range T {
			rowW4(acc[t*E:(t+1)*E], w[t*N:(t+1)*N], buf, off[t*N:(t+1)*N], base)
		}
		return
	}
	archsimd.ClearAVXUpperBits()
}

// rowWDT4 is rowWT4 for diffusive sums: w[j] * (x_j[m] - y[m]).

func rowWDT4(acc, w, buf []float64, off []int32, base, T int, y []float64) {
	const v = 4
	E, N := len(acc)/T, len(w)/T
	switch {
	case E == v && T == 4:
		w0, w1, w2, w3 := w[:N], w[N:2*N], w[2*N:3*N], w[3*N:4*N]
		o0, o1, o2, o3 := off[:N], off[N:2*N], off[2*N:3*N], off[3*N:4*N]
		y0, y1 := ld4(y, 0), ld4(y, v)
		y2, y3 := ld4(y, v*2), ld4(y, v*3)
		a0 := archsimd.BroadcastFloat64x4(0)
		a1, a2, a3 := a0, a0, a0
		for j := range N {
			x0 := base + int(o0[j])
			x1 := base + int(o1[j])
			x2 := base + int(o2[j])
			x3 := base + int(o3[j])
			a0 = a0.Add(archsimd.BroadcastFloat64x4(w0[j]).Mul(ld4(buf, x0).Sub(y0)))
			a1 = a1.Add(archsimd.BroadcastFloat64x4(w1[j]).Mul(ld4(buf, x1).Sub(y1)))
			a2 = a2.Add(archsimd.BroadcastFloat64x4(w2[j]).Mul(ld4(buf, x2).Sub(y2)))
			a3 = a3.Add(archsimd.BroadcastFloat64x4(w3[j]).Mul(ld4(buf, x3).Sub(y3)))
		}
		st4(a0, acc, 0)
		st4(a1, acc, v)
		st4(a2, acc, v*2)
		st4(a3, acc, v*3)
	case E == v*2 && T == 2:
		w0, w1 := w[:N], w[N:2*N]
		o0, o1 := off[:N], off[N:2*N]
		y0, y1 := ld4(y, 0), ld4(y, v)
		y2, y3 := ld4(y, v*2), ld4(y, v*3)
		a0 := archsimd.BroadcastFloat64x4(0)
		a1, a2, a3 := a0, a0, a0
		for j := range N {
			u0, u1 := archsimd.BroadcastFloat64x4(w0[j]), archsimd.BroadcastFloat64x4(w1[j])
			x0, x1 := base+int(o0[j]), base+int(o1[j])
			b0, b1 := buf[x0:x0+v*2:x0+v*2], buf[x1:x1+v*2:x1+v*2]
			a0 = a0.Add(u0.Mul(ld4(b0, 0).Sub(y0)))
			a1 = a1.Add(u0.Mul(ld4(b0, v).Sub(y1)))
			a2 = a2.Add(u1.Mul(ld4(b1, 0).Sub(y2)))
			a3 = a3.Add(u1.Mul(ld4(b1, v).Sub(y3)))
		}
		st4(a0, acc, 0)
		st4(a1, acc, v)
		st4(a2, acc, v*2)
		st4(a3, acc, v*3)
	default:
		for t := range T {
			rowWD4(acc[t*E:(t+1)*E], w[t*N:(t+1)*N], buf, off[t*N:(t+1)*N], base, y[t*E:(t+1)*E])
		}
		return
	}
	archsimd.ClearAVXUpperBits()
}

// rowWW8 is rowW8 for two couplings that sum the same remote values with their own weights (ALN's
// R1 and R2: C_ij and C_ij^2 times the delayed rates): one pass over the history computes both,
// acc1 with w1 and acc2 with w2, each sum as rowW8 computes it.
func rowWW8(acc1, acc2, w1, w2, buf []float64, off []int32, base int) {
	const v = 8
	off, w2 = off[:len(w1)], w2[:len(w1)]
	E := len(acc1)
	acc2 = acc2[:E]
	m := 0
	for ; m+v*4 <= E; m += v * 4 {
		if asmRows && len(w1) > 0 && len(buf) >= v*4 && asmRowWW8(&acc1[m], &w1[0], len(w1), &off[0], &buf[0], len(buf)-v*4, base+m, ahead(off), &acc2[m], &w2[0]) {
			continue
		}
		a0 := archsimd.BroadcastFloat64x8(0)
		a1, a2, a3, b0, b1, b2, b3 := a0, a0, a0, a0, a0, a0, a0
		for j, wj := range w1 {
			u, z := archsimd.BroadcastFloat64x8(wj), archsimd.BroadcastFloat64x8(w2[j])
			o := base + int(off[j]) + m
			x := buf[o : o+v*4 : o+v*4]
			x0, x1 := ld8(x, 0), ld8(x, v)
			x2, x3 := ld8(x, v*2), ld8(x, v*3)
			a0 = a0.Add(u.Mul(x0))
			a1 = a1.Add(u.Mul(x1))
			a2 = a2.Add(u.Mul(x2))
			a3 = a3.Add(u.Mul(x3))
			b0 = b0.Add(z.Mul(x0))
			b1 = b1.Add(z.Mul(x1))
			b2 = b2.Add(z.Mul(x2))
			b3 = b3.Add(z.Mul(x3))
		}
		st8(a0, acc1, m)
		st8(a1, acc1, m+v)
		st8(a2, acc1, m+v*2)
		st8(a3, acc1, m+v*3)
		st8(b0, acc2, m)
		st8(b1, acc2, m+v)
		st8(b2, acc2, m+v*2)
		st8(b3, acc2, m+v*3)
	}
	for ; m+v <= E; m += v {
		a0 := archsimd.BroadcastFloat64x8(0)
		b0 := a0
		for j, wj := range w1 {
			o := base + int(off[j]) + m
			x0 := ld8(buf, o)
			a0 = a0.Add(archsimd.BroadcastFloat64x8(wj).Mul(x0))
			b0 = b0.Add(archsimd.BroadcastFloat64x8(w2[j]).Mul(x0))
		}
		st8(a0, acc1, m)
		st8(b0, acc2, m)
	}
	archsimd.ClearAVXUpperBits()
	if m < E {
		rowWGo(acc1[m:], w1, buf, off, base+m)
		rowWGo(acc2[m:], w2, buf, off, base+m)
	}
}

// rowWW4 is rowW4 for two couplings that sum the same remote values with their own weights (ALN's
// R1 and R2: C_ij and C_ij^2 times the delayed rates): one pass over the history computes both,
// acc1 with w1 and acc2 with w2, each sum as rowW4 computes it.
func rowWW4(acc1, acc2, w1, w2, buf []float64, off []int32, base int) {
	const v = 4
	off, w2 = off[:len(w1)], w2[:len(w1)]
	E := len(acc1)
	acc2 = acc2[:E]
	m := 0
	for ; m+v*4 <= E; m += v * 4 {
		if asmRows && len(w1) > 0 && len(buf) >= v*4 && asmRowWW4(&acc1[m], &w1[0], len(w1), &off[0], &buf[0], len(buf)-v*4, base+m, ahead(off), &acc2[m], &w2[0]) {
			continue
		}
		a0 := archsimd.BroadcastFloat64x4(0)
		a1, a2, a3, b0, b1, b2, b3 := a0, a0, a0, a0, a0, a0, a0
		for j, wj := range w1 {
			u, z := archsimd.BroadcastFloat64x4(wj), archsimd.BroadcastFloat64x4(w2[j])
			o := base + int(off[j]) + m
			x := buf[o : o+v*4 : o+v*4]
			x0, x1 := ld4(x, 0), ld4(x, v)
			x2, x3 := ld4(x, v*2), ld4(x, v*3)
			a0 = a0.Add(u.Mul(x0))
			a1 = a1.Add(u.Mul(x1))
			a2 = a2.Add(u.Mul(x2))
			a3 = a3.Add(u.Mul(x3))
			b0 = b0.Add(z.Mul(x0))
			b1 = b1.Add(z.Mul(x1))
			b2 = b2.Add(z.Mul(x2))
			b3 = b3.Add(z.Mul(x3))
		}
		st4(a0, acc1, m)
		st4(a1, acc1, m+v)
		st4(a2, acc1, m+v*2)
		st4(a3, acc1, m+v*3)
		st4(b0, acc2, m)
		st4(b1, acc2, m+v)
		st4(b2, acc2, m+v*2)
		st4(b3, acc2, m+v*3)
	}
	for ; m+v <= E; m += v {
		a0 := archsimd.BroadcastFloat64x4(0)
		b0 := a0
		for j, wj := range w1 {
			o := base + int(off[j]) + m
			x0 := ld4(buf, o)
			a0 = a0.Add(archsimd.BroadcastFloat64x4(wj).Mul(x0))
			b0 = b0.Add(archsimd.BroadcastFloat64x4(w2[j]).Mul(x0))
		}
		st4(a0, acc1, m)
		st4(b0, acc2, m)
	}
	archsimd.ClearAVXUpperBits()
	if m < E {
		rowWGo(acc1[m:], w1, buf, off, base+m)
		rowWGo(acc2[m:], w2, buf, off, base+m)
	}
}

// The comparisons give 1 or +0 per lane, as eqn's arithmetic does; Less, LessEqual, Greater and
// GreaterEqual are the ordered predicates (false with a NaN), NotEqual the unordered one (true with
// a NaN), as Go's operators. selVVV is select(a, b, c): b where a != 0 (NaN included), else c.

func ltVV8(d, a, b []float64) {
	a, b = a[:len(d)], b[:len(d)]
	one, zero := archsimd.BroadcastFloat64x8(1), archsimd.BroadcastFloat64x8(0)
	l := 0
	for ; l+8 <= len(d); l += 8 {
		st8(one.Merge(zero, ld8(a, l).Less(ld8(b, l))), d, l)
	}
	archsimd.ClearAVXUpperBits()
	ltVVGo(d[l:], a[l:], b[l:])
}

func leVV8(d, a, b []float64) {
	a, b = a[:len(d)], b[:len(d)]
	one, zero := archsimd.BroadcastFloat64x8(1), archsimd.BroadcastFloat64x8(0)
	l := 0
	for ; l+8 <= len(d); l += 8 {
		st8(one.Merge(zero, ld8(a, l).LessEqual(ld8(b, l))), d, l)
	}
	archsimd.ClearAVXUpperBits()
	leVVGo(d[l:], a[l:], b[l:])
}

func gtVV8(d, a, b []float64) {
	a, b = a[:len(d)], b[:len(d)]
	one, zero := archsimd.BroadcastFloat64x8(1), archsimd.BroadcastFloat64x8(0)
	l := 0
	for ; l+8 <= len(d); l += 8 {
		st8(one.Merge(zero, ld8(a, l).Greater(ld8(b, l))), d, l)
	}
	archsimd.ClearAVXUpperBits()
	gtVVGo(d[l:], a[l:], b[l:])
}

func geVV8(d, a, b []float64) {
	a, b = a[:len(d)], b[:len(d)]
	one, zero := archsimd.BroadcastFloat64x8(1), archsimd.BroadcastFloat64x8(0)
	l := 0
	for ; l+8 <= len(d); l += 8 {
		st8(one.Merge(zero, ld8(a, l).GreaterEqual(ld8(b, l))), d, l)
	}
	archsimd.ClearAVXUpperBits()
	geVVGo(d[l:], a[l:], b[l:])
}

func selVVV8(d, a, b, c []float64) {
	a, b, c = a[:len(d)], b[:len(d)], c[:len(d)]
	zero := archsimd.BroadcastFloat64x8(0)
	l := 0
	for ; l+8 <= len(d); l += 8 {
		m := ld8(a, l).NotEqual(zero)
		st8(ld8(b, l).Merge(ld8(c, l), m), d, l)
	}
	archsimd.ClearAVXUpperBits()
	selVVVGo(d[l:], a[l:], b[l:], c[l:])
}

func ltVV4(d, a, b []float64) {
	a, b = a[:len(d)], b[:len(d)]
	one, zero := archsimd.BroadcastFloat64x4(1), archsimd.BroadcastFloat64x4(0)
	l := 0
	for ; l+4 <= len(d); l += 4 {
		st4(one.Merge(zero, ld4(a, l).Less(ld4(b, l))), d, l)
	}
	archsimd.ClearAVXUpperBits()
	ltVVGo(d[l:], a[l:], b[l:])
}

func leVV4(d, a, b []float64) {
	a, b = a[:len(d)], b[:len(d)]
	one, zero := archsimd.BroadcastFloat64x4(1), archsimd.BroadcastFloat64x4(0)
	l := 0
	for ; l+4 <= len(d); l += 4 {
		st4(one.Merge(zero, ld4(a, l).LessEqual(ld4(b, l))), d, l)
	}
	archsimd.ClearAVXUpperBits()
	leVVGo(d[l:], a[l:], b[l:])
}

func gtVV4(d, a, b []float64) {
	a, b = a[:len(d)], b[:len(d)]
	one, zero := archsimd.BroadcastFloat64x4(1), archsimd.BroadcastFloat64x4(0)
	l := 0
	for ; l+4 <= len(d); l += 4 {
		st4(one.Merge(zero, ld4(a, l).Greater(ld4(b, l))), d, l)
	}
	archsimd.ClearAVXUpperBits()
	gtVVGo(d[l:], a[l:], b[l:])
}

func geVV4(d, a, b []float64) {
	a, b = a[:len(d)], b[:len(d)]
	one, zero := archsimd.BroadcastFloat64x4(1), archsimd.BroadcastFloat64x4(0)
	l := 0
	for ; l+4 <= len(d); l += 4 {
		st4(one.Merge(zero, ld4(a, l).GreaterEqual(ld4(b, l))), d, l)
	}
	archsimd.ClearAVXUpperBits()
	geVVGo(d[l:], a[l:], b[l:])
}

func selVVV4(d, a, b, c []float64) {
	a, b, c = a[:len(d)], b[:len(d)], c[:len(d)]
	zero := archsimd.BroadcastFloat64x4(0)
	l := 0
	for ; l+4 <= len(d); l += 4 {
		m := ld4(a, l).NotEqual(zero)
		st4(ld4(b, l).Merge(ld4(c, l), m), d, l)
	}
	archsimd.ClearAVXUpperBits()
	selVVVGo(d[l:], a[l:], b[l:], c[l:])
}

// fill8 sets every value of d to x, a vector at a time.
func fill8(d []float64, x float64) {
	const n = 8
	xv := archsimd.BroadcastFloat64x8(x)
	l := 0
	for ; l+n <= len(d); l += n {
		st8(xv, d, l)
	}
	archsimd.ClearAVXUpperBits()
	fillGo(d[l:], x)
}

// fill4 is fill8 with AVX2.
func fill4(d []float64, x float64) {
	const n = 4
	xv := archsimd.BroadcastFloat64x4(x)
	l := 0
	for ; l+n <= len(d); l += n {
		st4(xv, d, l)
	}
	archsimd.ClearAVXUpperBits()
	fillGo(d[l:], x)
}

// flush8 stores v in d with its subnormal values set to +0: x with 0 < |x| < the smallest normal
// number (NaN is kept), a vector at a time; d and v are the same length and may be the same slice.
// One pass, so that the commit of a step's new state copies and flushes at once, and says whether
// every value is finite: the divergence check then need not read the state again. On the bits: with
// a = |x|'s bits, x is subnormal exactly when a-1 < the smallest normal's bits - 1 (unsigned; a = 0
// wraps to the top), and every x is finite when the largest a is below +Inf's bits. Five vector
// operations where comparing floats takes eight.
func flush8(d, v []float64) bool {
	const n = 8
	v = v[:len(d)]
	abs := archsimd.BroadcastUint64x8(absBits64)
	one := archsimd.BroadcastUint64x8(1)
	sub := archsimd.BroadcastUint64x8(normalBits64 - 1)
	acc := archsimd.BroadcastUint64x8(0)
	l := 0
	for ; l+n <= len(d); l += n {
		x := ld8(v, l)
		a := x.AsUint64x8().And(abs)
		st8(x.Masked(a.Sub(one).GreaterEqual(sub)), d, l)
		acc = acc.Max(a)
	}
	bad := acc.GreaterEqual(archsimd.BroadcastUint64x8(infBits64)).ToBits() != 0
	archsimd.ClearAVXUpperBits()
	return flushTo(d[l:], v[l:]) && !bad
}

// flush4 stores v in d with its subnormal values set to +0: x with 0 < |x| < the smallest normal
// number (NaN compares false and is kept), a vector at a time; d and v are the same length and may be
// the same slice. One pass, so that the commit of a step's new state copies and flushes at once,
// and says whether every value is finite (x - x summed, as finite4: the divergence check then
// need not read the state again).
func flush4(d, v []float64) bool {
	const n = 4
	v = v[:len(d)]
	tiny := archsimd.BroadcastFloat64x4(smallestNormal64)
	ntiny := archsimd.BroadcastFloat64x4(-smallestNormal64)
	zero := archsimd.BroadcastFloat64x4(0)
	acc := zero
	l := 0
	for ; l+n <= len(d); l += n {
		x := ld4(v, l)
		m := x.Less(tiny).And(x.Greater(ntiny)).And(x.NotEqual(zero))
		st4(zero.Merge(x, m), d, l)
		acc = acc.Add(x.Sub(x))
	}
	bad := acc.NotEqual(acc).ToBits() != 0
	archsimd.ClearAVXUpperBits()
	return flushTo(d[l:], v[l:]) && !bad
}

// finite8 is finiteGo a vector at a time: x - x summed in two vector accumulators, NaN in a
// lane (acc != acc) when some value was an infinity or NaN.
func finite8(v []float64) bool {
	const n = 8
	a0 := archsimd.BroadcastFloat64x8(0)
	a1 := a0
	l := 0
	for ; l+n*2 <= len(v); l += n * 2 {
		x, y := ld8(v, l), ld8(v, l+n)
		a0 = a0.Add(x.Sub(x))
		a1 = a1.Add(y.Sub(y))
	}
	a0 = a0.Add(a1)
	bad := a0.NotEqual(a0).ToBits() != 0
	archsimd.ClearAVXUpperBits()
	return !bad && finiteGo(v[l:])
}

// finite4 is finiteGo a vector at a time: x - x summed in two vector accumulators, NaN in a
// lane (acc != acc) when some value was an infinity or NaN.
func finite4(v []float64) bool {
	const n = 4
	a0 := archsimd.BroadcastFloat64x4(0)
	a1 := a0
	l := 0
	for ; l+n*2 <= len(v); l += n * 2 {
		x, y := ld4(v, l), ld4(v, l+n)
		a0 = a0.Add(x.Sub(x))
		a1 = a1.Add(y.Sub(y))
	}
	a0 = a0.Add(a1)
	bad := a0.NotEqual(a0).ToBits() != 0
	archsimd.ClearAVXUpperBits()
	return !bad && finiteGo(v[l:])
}

// axis8 is the vector part of a grid placement (kernels' axis): the same subtraction, division,
// floor and difference as axisPos, each rounded once.
func axis8(v []float64, first, step float64, idx []int32, frac []float64) int {
	const n = 8
	fv, sv := archsimd.BroadcastFloat64x8(first), archsimd.BroadcastFloat64x8(step)
	idx, frac = idx[:len(v)], frac[:len(v)]
	l := 0
	for ; l+n <= len(v); l += n {
		f := ld8(v, l).Sub(fv).Div(sv)
		i := f.FloorScaled(0)
		i.ConvertToInt32().StoreSlice(idx[l:])
		st8(f.Sub(i), frac, l)
	}
	archsimd.ClearAVXUpperBits()
	return l
}

// axis4 is axis8 with AVX2.
func axis4(v []float64, first, step float64, idx []int32, frac []float64) int {
	const n = 4
	fv, sv := archsimd.BroadcastFloat64x4(first), archsimd.BroadcastFloat64x4(step)
	idx, frac = idx[:len(v)], frac[:len(v)]
	l := 0
	for ; l+n <= len(v); l += n {
		f := ld4(v, l).Sub(fv).Div(sv)
		i := f.Floor()
		i.ConvertToInt32().StoreSlice(idx[l:])
		st4(f.Sub(i), frac, l)
	}
	archsimd.ClearAVXUpperBits()
	return l
}
