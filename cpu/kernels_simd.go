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
			sqrtV: sqrtV4, accW: accW4, accWV: accWV4, accWD: accWD4, accWVD: accWVD4, rowW: rowW4, rowWD: rowWD4, flush: flush4, finite: finite4, axis: axis4,
		}, k32: &kernels[float32]{
			addVV: addVV4f32, subVV: subVV4f32, mulVV: mulVV4f32, divVV: divVV4f32,
			addSV: addSV4f32, subSV: subSV4f32, mulSV: mulSV4f32, divSV: divSV4f32,
			addVS: addVS4f32, subVS: subVS4f32, mulVS: mulVS4f32, divVS: divVS4f32,
			sqrtV: sqrtV4f32, accW: accW4f32, accWV: accWV4f32, accWD: accWD4f32, accWVD: accWVD4f32, rowW: rowW4f32, rowWD: rowWD4f32, flush: flush4f32, finite: finite4f32, axis: axis4f32,
		}}}, variants...)
	}
	if cpuid.CPU.Supports(cpuid.AVX512F, cpuid.AVX512DQ, cpuid.AVX512BW, cpuid.AVX512CD, cpuid.AVX512VL) {
		variants = append([]*variant{{name: "avx512", k64: &kernels[float64]{
			addVV: addVV8, subVV: subVV8, mulVV: mulVV8, divVV: divVV8,
			addSV: addSV8, subSV: subSV8, mulSV: mulSV8, divSV: divSV8,
			addVS: addVS8, subVS: subVS8, mulVS: mulVS8, divVS: divVS8,
			sqrtV: sqrtV8, accW: accW8, accWV: accWV8, accWD: accWD8, accWVD: accWVD8, rowW: rowW8, rowWD: rowWD8, flush: flush8, finite: finite8, axis: axis8,
		}, k32: &kernels[float32]{
			addVV: addVV8f32, subVV: subVV8f32, mulVV: mulVV8f32, divVV: divVV8f32,
			addSV: addSV8f32, subSV: subSV8f32, mulSV: mulSV8f32, divSV: divSV8f32,
			addVS: addVS8f32, subVS: subVS8f32, mulVS: mulVS8f32, divVS: divVS8f32,
			sqrtV: sqrtV8f32, accW: accW8f32, accWV: accWV8f32, accWD: accWD8f32, accWVD: accWVD8f32, rowW: rowW8f32, rowWD: rowWD8f32, flush: flush8f32, finite: finite8f32, axis: axis8f32,
		}}}, variants...)
	}
}

// KERNELS BELOW: simd32.sed turns everything from here on into kernels_simd32.go.

func addVV8(d, a, b []float64) {
	a, b = a[:len(d)], b[:len(d)]
	l := 0
	for ; l+8 <= len(d); l += 8 {
		archsimd.LoadFloat64x8Slice(a[l:]).Add(archsimd.LoadFloat64x8Slice(b[l:])).StoreSlice(d[l:])
	}
	archsimd.ClearAVXUpperBits()
	addVVGo(d[l:], a[l:], b[l:])
}

func addSV8(d []float64, x float64, b []float64) {
	b = b[:len(d)]
	xv := archsimd.BroadcastFloat64x8(x)
	l := 0
	for ; l+8 <= len(d); l += 8 {
		xv.Add(archsimd.LoadFloat64x8Slice(b[l:])).StoreSlice(d[l:])
	}
	archsimd.ClearAVXUpperBits()
	addSVGo(d[l:], x, b[l:])
}

func addVS8(d, a []float64, y float64) {
	a = a[:len(d)]
	yv := archsimd.BroadcastFloat64x8(y)
	l := 0
	for ; l+8 <= len(d); l += 8 {
		archsimd.LoadFloat64x8Slice(a[l:]).Add(yv).StoreSlice(d[l:])
	}
	archsimd.ClearAVXUpperBits()
	addVSGo(d[l:], a[l:], y)
}

func subVV8(d, a, b []float64) {
	a, b = a[:len(d)], b[:len(d)]
	l := 0
	for ; l+8 <= len(d); l += 8 {
		archsimd.LoadFloat64x8Slice(a[l:]).Sub(archsimd.LoadFloat64x8Slice(b[l:])).StoreSlice(d[l:])
	}
	archsimd.ClearAVXUpperBits()
	subVVGo(d[l:], a[l:], b[l:])
}

func subSV8(d []float64, x float64, b []float64) {
	b = b[:len(d)]
	xv := archsimd.BroadcastFloat64x8(x)
	l := 0
	for ; l+8 <= len(d); l += 8 {
		xv.Sub(archsimd.LoadFloat64x8Slice(b[l:])).StoreSlice(d[l:])
	}
	archsimd.ClearAVXUpperBits()
	subSVGo(d[l:], x, b[l:])
}

func subVS8(d, a []float64, y float64) {
	a = a[:len(d)]
	yv := archsimd.BroadcastFloat64x8(y)
	l := 0
	for ; l+8 <= len(d); l += 8 {
		archsimd.LoadFloat64x8Slice(a[l:]).Sub(yv).StoreSlice(d[l:])
	}
	archsimd.ClearAVXUpperBits()
	subVSGo(d[l:], a[l:], y)
}

func mulVV8(d, a, b []float64) {
	a, b = a[:len(d)], b[:len(d)]
	l := 0
	for ; l+8 <= len(d); l += 8 {
		archsimd.LoadFloat64x8Slice(a[l:]).Mul(archsimd.LoadFloat64x8Slice(b[l:])).StoreSlice(d[l:])
	}
	archsimd.ClearAVXUpperBits()
	mulVVGo(d[l:], a[l:], b[l:])
}

func mulSV8(d []float64, x float64, b []float64) {
	b = b[:len(d)]
	xv := archsimd.BroadcastFloat64x8(x)
	l := 0
	for ; l+8 <= len(d); l += 8 {
		xv.Mul(archsimd.LoadFloat64x8Slice(b[l:])).StoreSlice(d[l:])
	}
	archsimd.ClearAVXUpperBits()
	mulSVGo(d[l:], x, b[l:])
}

func mulVS8(d, a []float64, y float64) {
	a = a[:len(d)]
	yv := archsimd.BroadcastFloat64x8(y)
	l := 0
	for ; l+8 <= len(d); l += 8 {
		archsimd.LoadFloat64x8Slice(a[l:]).Mul(yv).StoreSlice(d[l:])
	}
	archsimd.ClearAVXUpperBits()
	mulVSGo(d[l:], a[l:], y)
}

func divVV8(d, a, b []float64) {
	a, b = a[:len(d)], b[:len(d)]
	l := 0
	for ; l+8 <= len(d); l += 8 {
		archsimd.LoadFloat64x8Slice(a[l:]).Div(archsimd.LoadFloat64x8Slice(b[l:])).StoreSlice(d[l:])
	}
	archsimd.ClearAVXUpperBits()
	divVVGo(d[l:], a[l:], b[l:])
}

func divSV8(d []float64, x float64, b []float64) {
	b = b[:len(d)]
	xv := archsimd.BroadcastFloat64x8(x)
	l := 0
	for ; l+8 <= len(d); l += 8 {
		xv.Div(archsimd.LoadFloat64x8Slice(b[l:])).StoreSlice(d[l:])
	}
	archsimd.ClearAVXUpperBits()
	divSVGo(d[l:], x, b[l:])
}

func divVS8(d, a []float64, y float64) {
	a = a[:len(d)]
	yv := archsimd.BroadcastFloat64x8(y)
	l := 0
	for ; l+8 <= len(d); l += 8 {
		archsimd.LoadFloat64x8Slice(a[l:]).Div(yv).StoreSlice(d[l:])
	}
	archsimd.ClearAVXUpperBits()
	divVSGo(d[l:], a[l:], y)
}

func sqrtV8(d, a []float64) {
	a = a[:len(d)]
	l := 0
	for ; l+8 <= len(d); l += 8 {
		archsimd.LoadFloat64x8Slice(a[l:]).Sqrt().StoreSlice(d[l:])
	}
	archsimd.ClearAVXUpperBits()
	sqrtVGo(d[l:], a[l:])
}

func addVV4(d, a, b []float64) {
	a, b = a[:len(d)], b[:len(d)]
	l := 0
	for ; l+4 <= len(d); l += 4 {
		archsimd.LoadFloat64x4Slice(a[l:]).Add(archsimd.LoadFloat64x4Slice(b[l:])).StoreSlice(d[l:])
	}
	archsimd.ClearAVXUpperBits()
	addVVGo(d[l:], a[l:], b[l:])
}

func addSV4(d []float64, x float64, b []float64) {
	b = b[:len(d)]
	xv := archsimd.BroadcastFloat64x4(x)
	l := 0
	for ; l+4 <= len(d); l += 4 {
		xv.Add(archsimd.LoadFloat64x4Slice(b[l:])).StoreSlice(d[l:])
	}
	archsimd.ClearAVXUpperBits()
	addSVGo(d[l:], x, b[l:])
}

func addVS4(d, a []float64, y float64) {
	a = a[:len(d)]
	yv := archsimd.BroadcastFloat64x4(y)
	l := 0
	for ; l+4 <= len(d); l += 4 {
		archsimd.LoadFloat64x4Slice(a[l:]).Add(yv).StoreSlice(d[l:])
	}
	archsimd.ClearAVXUpperBits()
	addVSGo(d[l:], a[l:], y)
}

func subVV4(d, a, b []float64) {
	a, b = a[:len(d)], b[:len(d)]
	l := 0
	for ; l+4 <= len(d); l += 4 {
		archsimd.LoadFloat64x4Slice(a[l:]).Sub(archsimd.LoadFloat64x4Slice(b[l:])).StoreSlice(d[l:])
	}
	archsimd.ClearAVXUpperBits()
	subVVGo(d[l:], a[l:], b[l:])
}

func subSV4(d []float64, x float64, b []float64) {
	b = b[:len(d)]
	xv := archsimd.BroadcastFloat64x4(x)
	l := 0
	for ; l+4 <= len(d); l += 4 {
		xv.Sub(archsimd.LoadFloat64x4Slice(b[l:])).StoreSlice(d[l:])
	}
	archsimd.ClearAVXUpperBits()
	subSVGo(d[l:], x, b[l:])
}

func subVS4(d, a []float64, y float64) {
	a = a[:len(d)]
	yv := archsimd.BroadcastFloat64x4(y)
	l := 0
	for ; l+4 <= len(d); l += 4 {
		archsimd.LoadFloat64x4Slice(a[l:]).Sub(yv).StoreSlice(d[l:])
	}
	archsimd.ClearAVXUpperBits()
	subVSGo(d[l:], a[l:], y)
}

func mulVV4(d, a, b []float64) {
	a, b = a[:len(d)], b[:len(d)]
	l := 0
	for ; l+4 <= len(d); l += 4 {
		archsimd.LoadFloat64x4Slice(a[l:]).Mul(archsimd.LoadFloat64x4Slice(b[l:])).StoreSlice(d[l:])
	}
	archsimd.ClearAVXUpperBits()
	mulVVGo(d[l:], a[l:], b[l:])
}

func mulSV4(d []float64, x float64, b []float64) {
	b = b[:len(d)]
	xv := archsimd.BroadcastFloat64x4(x)
	l := 0
	for ; l+4 <= len(d); l += 4 {
		xv.Mul(archsimd.LoadFloat64x4Slice(b[l:])).StoreSlice(d[l:])
	}
	archsimd.ClearAVXUpperBits()
	mulSVGo(d[l:], x, b[l:])
}

func mulVS4(d, a []float64, y float64) {
	a = a[:len(d)]
	yv := archsimd.BroadcastFloat64x4(y)
	l := 0
	for ; l+4 <= len(d); l += 4 {
		archsimd.LoadFloat64x4Slice(a[l:]).Mul(yv).StoreSlice(d[l:])
	}
	archsimd.ClearAVXUpperBits()
	mulVSGo(d[l:], a[l:], y)
}

func divVV4(d, a, b []float64) {
	a, b = a[:len(d)], b[:len(d)]
	l := 0
	for ; l+4 <= len(d); l += 4 {
		archsimd.LoadFloat64x4Slice(a[l:]).Div(archsimd.LoadFloat64x4Slice(b[l:])).StoreSlice(d[l:])
	}
	archsimd.ClearAVXUpperBits()
	divVVGo(d[l:], a[l:], b[l:])
}

func divSV4(d []float64, x float64, b []float64) {
	b = b[:len(d)]
	xv := archsimd.BroadcastFloat64x4(x)
	l := 0
	for ; l+4 <= len(d); l += 4 {
		xv.Div(archsimd.LoadFloat64x4Slice(b[l:])).StoreSlice(d[l:])
	}
	archsimd.ClearAVXUpperBits()
	divSVGo(d[l:], x, b[l:])
}

func divVS4(d, a []float64, y float64) {
	a = a[:len(d)]
	yv := archsimd.BroadcastFloat64x4(y)
	l := 0
	for ; l+4 <= len(d); l += 4 {
		archsimd.LoadFloat64x4Slice(a[l:]).Div(yv).StoreSlice(d[l:])
	}
	archsimd.ClearAVXUpperBits()
	divVSGo(d[l:], a[l:], y)
}

func sqrtV4(d, a []float64) {
	a = a[:len(d)]
	l := 0
	for ; l+4 <= len(d); l += 4 {
		archsimd.LoadFloat64x4Slice(a[l:]).Sqrt().StoreSlice(d[l:])
	}
	archsimd.ClearAVXUpperBits()
	sqrtVGo(d[l:], a[l:])
}

func accW8(acc []float64, w float64, x []float64) {
	x = x[:len(acc)]
	wv := archsimd.BroadcastFloat64x8(w)
	m := 0
	for ; m+8 <= len(acc); m += 8 {
		archsimd.LoadFloat64x8Slice(acc[m:]).Add(wv.Mul(archsimd.LoadFloat64x8Slice(x[m:]))).StoreSlice(acc[m:])
	}
	archsimd.ClearAVXUpperBits()
	accWGo(acc[m:], w, x[m:])
}

func accWV8(acc, w, x []float64) {
	w, x = w[:len(acc)], x[:len(acc)]
	m := 0
	for ; m+8 <= len(acc); m += 8 {
		p := archsimd.LoadFloat64x8Slice(w[m:]).Mul(archsimd.LoadFloat64x8Slice(x[m:]))
		archsimd.LoadFloat64x8Slice(acc[m:]).Add(p).StoreSlice(acc[m:])
	}
	archsimd.ClearAVXUpperBits()
	accWVGo(acc[m:], w[m:], x[m:])
}

func accWD8(acc []float64, w float64, x, y []float64) {
	x, y = x[:len(acc)], y[:len(acc)]
	wv := archsimd.BroadcastFloat64x8(w)
	m := 0
	for ; m+8 <= len(acc); m += 8 {
		p := wv.Mul(archsimd.LoadFloat64x8Slice(x[m:]).Sub(archsimd.LoadFloat64x8Slice(y[m:])))
		archsimd.LoadFloat64x8Slice(acc[m:]).Add(p).StoreSlice(acc[m:])
	}
	archsimd.ClearAVXUpperBits()
	accWDGo(acc[m:], w, x[m:], y[m:])
}

func accWVD8(acc, w, x, y []float64) {
	w, x, y = w[:len(acc)], x[:len(acc)], y[:len(acc)]
	m := 0
	for ; m+8 <= len(acc); m += 8 {
		p := archsimd.LoadFloat64x8Slice(w[m:]).Mul(archsimd.LoadFloat64x8Slice(x[m:]).Sub(archsimd.LoadFloat64x8Slice(y[m:])))
		archsimd.LoadFloat64x8Slice(acc[m:]).Add(p).StoreSlice(acc[m:])
	}
	archsimd.ClearAVXUpperBits()
	accWVDGo(acc[m:], w[m:], x[m:], y[m:])
}

func accW4(acc []float64, w float64, x []float64) {
	x = x[:len(acc)]
	wv := archsimd.BroadcastFloat64x4(w)
	m := 0
	for ; m+4 <= len(acc); m += 4 {
		archsimd.LoadFloat64x4Slice(acc[m:]).Add(wv.Mul(archsimd.LoadFloat64x4Slice(x[m:]))).StoreSlice(acc[m:])
	}
	archsimd.ClearAVXUpperBits()
	accWGo(acc[m:], w, x[m:])
}

func accWV4(acc, w, x []float64) {
	w, x = w[:len(acc)], x[:len(acc)]
	m := 0
	for ; m+4 <= len(acc); m += 4 {
		p := archsimd.LoadFloat64x4Slice(w[m:]).Mul(archsimd.LoadFloat64x4Slice(x[m:]))
		archsimd.LoadFloat64x4Slice(acc[m:]).Add(p).StoreSlice(acc[m:])
	}
	archsimd.ClearAVXUpperBits()
	accWVGo(acc[m:], w[m:], x[m:])
}

func accWD4(acc []float64, w float64, x, y []float64) {
	x, y = x[:len(acc)], y[:len(acc)]
	wv := archsimd.BroadcastFloat64x4(w)
	m := 0
	for ; m+4 <= len(acc); m += 4 {
		p := wv.Mul(archsimd.LoadFloat64x4Slice(x[m:]).Sub(archsimd.LoadFloat64x4Slice(y[m:])))
		archsimd.LoadFloat64x4Slice(acc[m:]).Add(p).StoreSlice(acc[m:])
	}
	archsimd.ClearAVXUpperBits()
	accWDGo(acc[m:], w, x[m:], y[m:])
}

func accWVD4(acc, w, x, y []float64) {
	w, x, y = w[:len(acc)], x[:len(acc)], y[:len(acc)]
	m := 0
	for ; m+4 <= len(acc); m += 4 {
		p := archsimd.LoadFloat64x4Slice(w[m:]).Mul(archsimd.LoadFloat64x4Slice(x[m:]).Sub(archsimd.LoadFloat64x4Slice(y[m:])))
		archsimd.LoadFloat64x4Slice(acc[m:]).Add(p).StoreSlice(acc[m:])
	}
	archsimd.ClearAVXUpperBits()
	accWVDGo(acc[m:], w[m:], x[m:], y[m:])
}

// rowW8 sums one target's members over the sources four vectors at a time, the accumulators in
// registers, then two, then one vector at a time, the tail in plain Go.
func rowW8(acc, w, buf []float64, off []int32, base int) {
	const v = 8
	off = off[:len(w)]
	E := len(acc)
	m := 0
	for ; m+v*4 <= E; m += v * 4 {
		a0 := archsimd.BroadcastFloat64x8(0)
		a1, a2, a3 := a0, a0, a0
		for j, wj := range w {
			wv := archsimd.BroadcastFloat64x8(wj)
			o := base + int(off[j]) + m
			x := buf[o : o+v*4 : o+v*4]
			a0 = a0.Add(wv.Mul(archsimd.LoadFloat64x8Slice(x)))
			a1 = a1.Add(wv.Mul(archsimd.LoadFloat64x8Slice(x[v:])))
			a2 = a2.Add(wv.Mul(archsimd.LoadFloat64x8Slice(x[v*2:])))
			a3 = a3.Add(wv.Mul(archsimd.LoadFloat64x8Slice(x[v*3:])))
		}
		a0.StoreSlice(acc[m:])
		a1.StoreSlice(acc[m+v:])
		a2.StoreSlice(acc[m+v*2:])
		a3.StoreSlice(acc[m+v*3:])
	}
	for ; m+v*2 <= E; m += v * 2 {
		a0 := archsimd.BroadcastFloat64x8(0)
		a1 := a0
		for j, wj := range w {
			wv := archsimd.BroadcastFloat64x8(wj)
			o := base + int(off[j]) + m
			x := buf[o : o+v*2 : o+v*2]
			a0 = a0.Add(wv.Mul(archsimd.LoadFloat64x8Slice(x)))
			a1 = a1.Add(wv.Mul(archsimd.LoadFloat64x8Slice(x[v:])))
		}
		a0.StoreSlice(acc[m:])
		a1.StoreSlice(acc[m+v:])
	}
	for ; m+v <= E; m += v {
		a0 := archsimd.BroadcastFloat64x8(0)
		for j, wj := range w {
			o := base + int(off[j]) + m
			a0 = a0.Add(archsimd.BroadcastFloat64x8(wj).Mul(archsimd.LoadFloat64x8Slice(buf[o : o+v : o+v])))
		}
		a0.StoreSlice(acc[m:])
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
		a0 := archsimd.BroadcastFloat64x8(0)
		a1, a2, a3 := a0, a0, a0
		y0, y1 := archsimd.LoadFloat64x8Slice(y[m:]), archsimd.LoadFloat64x8Slice(y[m+v:])
		y2, y3 := archsimd.LoadFloat64x8Slice(y[m+v*2:]), archsimd.LoadFloat64x8Slice(y[m+v*3:])
		for j, wj := range w {
			wv := archsimd.BroadcastFloat64x8(wj)
			o := base + int(off[j]) + m
			x := buf[o : o+v*4 : o+v*4]
			a0 = a0.Add(wv.Mul(archsimd.LoadFloat64x8Slice(x).Sub(y0)))
			a1 = a1.Add(wv.Mul(archsimd.LoadFloat64x8Slice(x[v:]).Sub(y1)))
			a2 = a2.Add(wv.Mul(archsimd.LoadFloat64x8Slice(x[v*2:]).Sub(y2)))
			a3 = a3.Add(wv.Mul(archsimd.LoadFloat64x8Slice(x[v*3:]).Sub(y3)))
		}
		a0.StoreSlice(acc[m:])
		a1.StoreSlice(acc[m+v:])
		a2.StoreSlice(acc[m+v*2:])
		a3.StoreSlice(acc[m+v*3:])
	}
	for ; m+v*2 <= E; m += v * 2 {
		a0 := archsimd.BroadcastFloat64x8(0)
		a1 := a0
		y0, y1 := archsimd.LoadFloat64x8Slice(y[m:]), archsimd.LoadFloat64x8Slice(y[m+v:])
		for j, wj := range w {
			wv := archsimd.BroadcastFloat64x8(wj)
			o := base + int(off[j]) + m
			x := buf[o : o+v*2 : o+v*2]
			a0 = a0.Add(wv.Mul(archsimd.LoadFloat64x8Slice(x).Sub(y0)))
			a1 = a1.Add(wv.Mul(archsimd.LoadFloat64x8Slice(x[v:]).Sub(y1)))
		}
		a0.StoreSlice(acc[m:])
		a1.StoreSlice(acc[m+v:])
	}
	for ; m+v <= E; m += v {
		a0 := archsimd.BroadcastFloat64x8(0)
		y0 := archsimd.LoadFloat64x8Slice(y[m:])
		for j, wj := range w {
			o := base + int(off[j]) + m
			a0 = a0.Add(archsimd.BroadcastFloat64x8(wj).Mul(archsimd.LoadFloat64x8Slice(buf[o : o+v : o+v]).Sub(y0)))
		}
		a0.StoreSlice(acc[m:])
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
		a0 := archsimd.BroadcastFloat64x4(0)
		a1, a2, a3 := a0, a0, a0
		for j, wj := range w {
			wv := archsimd.BroadcastFloat64x4(wj)
			o := base + int(off[j]) + m
			x := buf[o : o+v*4 : o+v*4]
			a0 = a0.Add(wv.Mul(archsimd.LoadFloat64x4Slice(x)))
			a1 = a1.Add(wv.Mul(archsimd.LoadFloat64x4Slice(x[v:])))
			a2 = a2.Add(wv.Mul(archsimd.LoadFloat64x4Slice(x[v*2:])))
			a3 = a3.Add(wv.Mul(archsimd.LoadFloat64x4Slice(x[v*3:])))
		}
		a0.StoreSlice(acc[m:])
		a1.StoreSlice(acc[m+v:])
		a2.StoreSlice(acc[m+v*2:])
		a3.StoreSlice(acc[m+v*3:])
	}
	for ; m+v*2 <= E; m += v * 2 {
		a0 := archsimd.BroadcastFloat64x4(0)
		a1 := a0
		for j, wj := range w {
			wv := archsimd.BroadcastFloat64x4(wj)
			o := base + int(off[j]) + m
			x := buf[o : o+v*2 : o+v*2]
			a0 = a0.Add(wv.Mul(archsimd.LoadFloat64x4Slice(x)))
			a1 = a1.Add(wv.Mul(archsimd.LoadFloat64x4Slice(x[v:])))
		}
		a0.StoreSlice(acc[m:])
		a1.StoreSlice(acc[m+v:])
	}
	for ; m+v <= E; m += v {
		a0 := archsimd.BroadcastFloat64x4(0)
		for j, wj := range w {
			o := base + int(off[j]) + m
			a0 = a0.Add(archsimd.BroadcastFloat64x4(wj).Mul(archsimd.LoadFloat64x4Slice(buf[o : o+v : o+v])))
		}
		a0.StoreSlice(acc[m:])
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
		a0 := archsimd.BroadcastFloat64x4(0)
		a1, a2, a3 := a0, a0, a0
		y0, y1 := archsimd.LoadFloat64x4Slice(y[m:]), archsimd.LoadFloat64x4Slice(y[m+v:])
		y2, y3 := archsimd.LoadFloat64x4Slice(y[m+v*2:]), archsimd.LoadFloat64x4Slice(y[m+v*3:])
		for j, wj := range w {
			wv := archsimd.BroadcastFloat64x4(wj)
			o := base + int(off[j]) + m
			x := buf[o : o+v*4 : o+v*4]
			a0 = a0.Add(wv.Mul(archsimd.LoadFloat64x4Slice(x).Sub(y0)))
			a1 = a1.Add(wv.Mul(archsimd.LoadFloat64x4Slice(x[v:]).Sub(y1)))
			a2 = a2.Add(wv.Mul(archsimd.LoadFloat64x4Slice(x[v*2:]).Sub(y2)))
			a3 = a3.Add(wv.Mul(archsimd.LoadFloat64x4Slice(x[v*3:]).Sub(y3)))
		}
		a0.StoreSlice(acc[m:])
		a1.StoreSlice(acc[m+v:])
		a2.StoreSlice(acc[m+v*2:])
		a3.StoreSlice(acc[m+v*3:])
	}
	for ; m+v*2 <= E; m += v * 2 {
		a0 := archsimd.BroadcastFloat64x4(0)
		a1 := a0
		y0, y1 := archsimd.LoadFloat64x4Slice(y[m:]), archsimd.LoadFloat64x4Slice(y[m+v:])
		for j, wj := range w {
			wv := archsimd.BroadcastFloat64x4(wj)
			o := base + int(off[j]) + m
			x := buf[o : o+v*2 : o+v*2]
			a0 = a0.Add(wv.Mul(archsimd.LoadFloat64x4Slice(x).Sub(y0)))
			a1 = a1.Add(wv.Mul(archsimd.LoadFloat64x4Slice(x[v:]).Sub(y1)))
		}
		a0.StoreSlice(acc[m:])
		a1.StoreSlice(acc[m+v:])
	}
	for ; m+v <= E; m += v {
		a0 := archsimd.BroadcastFloat64x4(0)
		y0 := archsimd.LoadFloat64x4Slice(y[m:])
		for j, wj := range w {
			o := base + int(off[j]) + m
			a0 = a0.Add(archsimd.BroadcastFloat64x4(wj).Mul(archsimd.LoadFloat64x4Slice(buf[o : o+v : o+v]).Sub(y0)))
		}
		a0.StoreSlice(acc[m:])
	}
	archsimd.ClearAVXUpperBits()
	if m < E {
		rowWDGo(acc[m:], w, buf, off, base+m, y[m:])
	}
}

// flush8 sets the subnormal values of v to +0: x with 0 < |x| < the smallest normal number
// (NaN compares false and is kept), a vector at a time, storing only vectors that change.
func flush8(v []float64) {
	const n = 8
	tiny := archsimd.BroadcastFloat64x8(smallestNormal64)
	ntiny := archsimd.BroadcastFloat64x8(-smallestNormal64)
	zero := archsimd.BroadcastFloat64x8(0)
	l := 0
	for ; l+n <= len(v); l += n {
		x := archsimd.LoadFloat64x8Slice(v[l:])
		m := x.Less(tiny).And(x.Greater(ntiny)).And(x.NotEqual(zero))
		if m.ToBits() != 0 {
			zero.Merge(x, m).StoreSlice(v[l:])
		}
	}
	archsimd.ClearAVXUpperBits()
	flushSubnormals(v[l:])
}

// flush4 sets the subnormal values of v to +0: x with 0 < |x| < the smallest normal number
// (NaN compares false and is kept), a vector at a time, storing only vectors that change.
func flush4(v []float64) {
	const n = 4
	tiny := archsimd.BroadcastFloat64x4(smallestNormal64)
	ntiny := archsimd.BroadcastFloat64x4(-smallestNormal64)
	zero := archsimd.BroadcastFloat64x4(0)
	l := 0
	for ; l+n <= len(v); l += n {
		x := archsimd.LoadFloat64x4Slice(v[l:])
		m := x.Less(tiny).And(x.Greater(ntiny)).And(x.NotEqual(zero))
		if m.ToBits() != 0 {
			zero.Merge(x, m).StoreSlice(v[l:])
		}
	}
	archsimd.ClearAVXUpperBits()
	flushSubnormals(v[l:])
}

// finite8 is finiteGo a vector at a time: x - x summed in two vector accumulators, NaN in a
// lane (acc != acc) when some value was an infinity or NaN.
func finite8(v []float64) bool {
	const n = 8
	a0 := archsimd.BroadcastFloat64x8(0)
	a1 := a0
	l := 0
	for ; l+n*2 <= len(v); l += n * 2 {
		x, y := archsimd.LoadFloat64x8Slice(v[l:]), archsimd.LoadFloat64x8Slice(v[l+n:])
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
		x, y := archsimd.LoadFloat64x4Slice(v[l:]), archsimd.LoadFloat64x4Slice(v[l+n:])
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
		f := archsimd.LoadFloat64x8Slice(v[l:]).Sub(fv).Div(sv)
		i := f.FloorScaled(0)
		i.ConvertToInt32().StoreSlice(idx[l:])
		f.Sub(i).StoreSlice(frac[l:])
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
		f := archsimd.LoadFloat64x4Slice(v[l:]).Sub(fv).Div(sv)
		i := f.Floor()
		i.ConvertToInt32().StoreSlice(idx[l:])
		f.Sub(i).StoreSlice(frac[l:])
	}
	archsimd.ClearAVXUpperBits()
	return l
}
