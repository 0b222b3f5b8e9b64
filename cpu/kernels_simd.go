//go:build goexperiment.simd && amd64

package cpu

import "simd/archsimd"

// SIMD versions of the step kernels: 8 lanes (AVX-512) or 4 lanes (AVX2) per instruction, the tail
// in plain Go. No fused multiply-add: each lane rounds exactly as the scalar operation does.

func init() {
	switch {
	case archsimd.X86.AVX512():
		kernelSet = "avx512"
		addVV = addVV8
		addSV = addSV8
		addVS = addVS8
		subVV = subVV8
		subSV = subSV8
		subVS = subVS8
		mulVV = mulVV8
		mulSV = mulSV8
		mulVS = mulVS8
		divVV = divVV8
		divSV = divSV8
		divVS = divVS8
		sqrtV = sqrtV8
		accW, accWV, accWD, accWVD = accW8, accWV8, accWD8, accWVD8
	case archsimd.X86.AVX2():
		kernelSet = "avx2"
		addVV = addVV4
		addSV = addSV4
		addVS = addVS4
		subVV = subVV4
		subSV = subSV4
		subVS = subVS4
		mulVV = mulVV4
		mulSV = mulSV4
		mulVS = mulVS4
		divVV = divVV4
		divSV = divSV4
		divVS = divVS4
		sqrtV = sqrtV4
		accW, accWV, accWD, accWVD = accW4, accWV4, accWD4, accWVD4
	}
}

func addVV8(d, a, b []float64) {
	a, b = a[:len(d)], b[:len(d)]
	l := 0
	for ; l+8 <= len(d); l += 8 {
		archsimd.LoadFloat64x8Slice(a[l:]).Add(archsimd.LoadFloat64x8Slice(b[l:])).StoreSlice(d[l:])
	}
	addVVGo(d[l:], a[l:], b[l:])
}

func addSV8(d []float64, x float64, b []float64) {
	b = b[:len(d)]
	xv := archsimd.BroadcastFloat64x8(x)
	l := 0
	for ; l+8 <= len(d); l += 8 {
		xv.Add(archsimd.LoadFloat64x8Slice(b[l:])).StoreSlice(d[l:])
	}
	addSVGo(d[l:], x, b[l:])
}

func addVS8(d, a []float64, y float64) {
	a = a[:len(d)]
	yv := archsimd.BroadcastFloat64x8(y)
	l := 0
	for ; l+8 <= len(d); l += 8 {
		archsimd.LoadFloat64x8Slice(a[l:]).Add(yv).StoreSlice(d[l:])
	}
	addVSGo(d[l:], a[l:], y)
}

func subVV8(d, a, b []float64) {
	a, b = a[:len(d)], b[:len(d)]
	l := 0
	for ; l+8 <= len(d); l += 8 {
		archsimd.LoadFloat64x8Slice(a[l:]).Sub(archsimd.LoadFloat64x8Slice(b[l:])).StoreSlice(d[l:])
	}
	subVVGo(d[l:], a[l:], b[l:])
}

func subSV8(d []float64, x float64, b []float64) {
	b = b[:len(d)]
	xv := archsimd.BroadcastFloat64x8(x)
	l := 0
	for ; l+8 <= len(d); l += 8 {
		xv.Sub(archsimd.LoadFloat64x8Slice(b[l:])).StoreSlice(d[l:])
	}
	subSVGo(d[l:], x, b[l:])
}

func subVS8(d, a []float64, y float64) {
	a = a[:len(d)]
	yv := archsimd.BroadcastFloat64x8(y)
	l := 0
	for ; l+8 <= len(d); l += 8 {
		archsimd.LoadFloat64x8Slice(a[l:]).Sub(yv).StoreSlice(d[l:])
	}
	subVSGo(d[l:], a[l:], y)
}

func mulVV8(d, a, b []float64) {
	a, b = a[:len(d)], b[:len(d)]
	l := 0
	for ; l+8 <= len(d); l += 8 {
		archsimd.LoadFloat64x8Slice(a[l:]).Mul(archsimd.LoadFloat64x8Slice(b[l:])).StoreSlice(d[l:])
	}
	mulVVGo(d[l:], a[l:], b[l:])
}

func mulSV8(d []float64, x float64, b []float64) {
	b = b[:len(d)]
	xv := archsimd.BroadcastFloat64x8(x)
	l := 0
	for ; l+8 <= len(d); l += 8 {
		xv.Mul(archsimd.LoadFloat64x8Slice(b[l:])).StoreSlice(d[l:])
	}
	mulSVGo(d[l:], x, b[l:])
}

func mulVS8(d, a []float64, y float64) {
	a = a[:len(d)]
	yv := archsimd.BroadcastFloat64x8(y)
	l := 0
	for ; l+8 <= len(d); l += 8 {
		archsimd.LoadFloat64x8Slice(a[l:]).Mul(yv).StoreSlice(d[l:])
	}
	mulVSGo(d[l:], a[l:], y)
}

func divVV8(d, a, b []float64) {
	a, b = a[:len(d)], b[:len(d)]
	l := 0
	for ; l+8 <= len(d); l += 8 {
		archsimd.LoadFloat64x8Slice(a[l:]).Div(archsimd.LoadFloat64x8Slice(b[l:])).StoreSlice(d[l:])
	}
	divVVGo(d[l:], a[l:], b[l:])
}

func divSV8(d []float64, x float64, b []float64) {
	b = b[:len(d)]
	xv := archsimd.BroadcastFloat64x8(x)
	l := 0
	for ; l+8 <= len(d); l += 8 {
		xv.Div(archsimd.LoadFloat64x8Slice(b[l:])).StoreSlice(d[l:])
	}
	divSVGo(d[l:], x, b[l:])
}

func divVS8(d, a []float64, y float64) {
	a = a[:len(d)]
	yv := archsimd.BroadcastFloat64x8(y)
	l := 0
	for ; l+8 <= len(d); l += 8 {
		archsimd.LoadFloat64x8Slice(a[l:]).Div(yv).StoreSlice(d[l:])
	}
	divVSGo(d[l:], a[l:], y)
}

func sqrtV8(d, a []float64) {
	a = a[:len(d)]
	l := 0
	for ; l+8 <= len(d); l += 8 {
		archsimd.LoadFloat64x8Slice(a[l:]).Sqrt().StoreSlice(d[l:])
	}
	sqrtVGo(d[l:], a[l:])
}

func addVV4(d, a, b []float64) {
	a, b = a[:len(d)], b[:len(d)]
	l := 0
	for ; l+4 <= len(d); l += 4 {
		archsimd.LoadFloat64x4Slice(a[l:]).Add(archsimd.LoadFloat64x4Slice(b[l:])).StoreSlice(d[l:])
	}
	addVVGo(d[l:], a[l:], b[l:])
}

func addSV4(d []float64, x float64, b []float64) {
	b = b[:len(d)]
	xv := archsimd.BroadcastFloat64x4(x)
	l := 0
	for ; l+4 <= len(d); l += 4 {
		xv.Add(archsimd.LoadFloat64x4Slice(b[l:])).StoreSlice(d[l:])
	}
	addSVGo(d[l:], x, b[l:])
}

func addVS4(d, a []float64, y float64) {
	a = a[:len(d)]
	yv := archsimd.BroadcastFloat64x4(y)
	l := 0
	for ; l+4 <= len(d); l += 4 {
		archsimd.LoadFloat64x4Slice(a[l:]).Add(yv).StoreSlice(d[l:])
	}
	addVSGo(d[l:], a[l:], y)
}

func subVV4(d, a, b []float64) {
	a, b = a[:len(d)], b[:len(d)]
	l := 0
	for ; l+4 <= len(d); l += 4 {
		archsimd.LoadFloat64x4Slice(a[l:]).Sub(archsimd.LoadFloat64x4Slice(b[l:])).StoreSlice(d[l:])
	}
	subVVGo(d[l:], a[l:], b[l:])
}

func subSV4(d []float64, x float64, b []float64) {
	b = b[:len(d)]
	xv := archsimd.BroadcastFloat64x4(x)
	l := 0
	for ; l+4 <= len(d); l += 4 {
		xv.Sub(archsimd.LoadFloat64x4Slice(b[l:])).StoreSlice(d[l:])
	}
	subSVGo(d[l:], x, b[l:])
}

func subVS4(d, a []float64, y float64) {
	a = a[:len(d)]
	yv := archsimd.BroadcastFloat64x4(y)
	l := 0
	for ; l+4 <= len(d); l += 4 {
		archsimd.LoadFloat64x4Slice(a[l:]).Sub(yv).StoreSlice(d[l:])
	}
	subVSGo(d[l:], a[l:], y)
}

func mulVV4(d, a, b []float64) {
	a, b = a[:len(d)], b[:len(d)]
	l := 0
	for ; l+4 <= len(d); l += 4 {
		archsimd.LoadFloat64x4Slice(a[l:]).Mul(archsimd.LoadFloat64x4Slice(b[l:])).StoreSlice(d[l:])
	}
	mulVVGo(d[l:], a[l:], b[l:])
}

func mulSV4(d []float64, x float64, b []float64) {
	b = b[:len(d)]
	xv := archsimd.BroadcastFloat64x4(x)
	l := 0
	for ; l+4 <= len(d); l += 4 {
		xv.Mul(archsimd.LoadFloat64x4Slice(b[l:])).StoreSlice(d[l:])
	}
	mulSVGo(d[l:], x, b[l:])
}

func mulVS4(d, a []float64, y float64) {
	a = a[:len(d)]
	yv := archsimd.BroadcastFloat64x4(y)
	l := 0
	for ; l+4 <= len(d); l += 4 {
		archsimd.LoadFloat64x4Slice(a[l:]).Mul(yv).StoreSlice(d[l:])
	}
	mulVSGo(d[l:], a[l:], y)
}

func divVV4(d, a, b []float64) {
	a, b = a[:len(d)], b[:len(d)]
	l := 0
	for ; l+4 <= len(d); l += 4 {
		archsimd.LoadFloat64x4Slice(a[l:]).Div(archsimd.LoadFloat64x4Slice(b[l:])).StoreSlice(d[l:])
	}
	divVVGo(d[l:], a[l:], b[l:])
}

func divSV4(d []float64, x float64, b []float64) {
	b = b[:len(d)]
	xv := archsimd.BroadcastFloat64x4(x)
	l := 0
	for ; l+4 <= len(d); l += 4 {
		xv.Div(archsimd.LoadFloat64x4Slice(b[l:])).StoreSlice(d[l:])
	}
	divSVGo(d[l:], x, b[l:])
}

func divVS4(d, a []float64, y float64) {
	a = a[:len(d)]
	yv := archsimd.BroadcastFloat64x4(y)
	l := 0
	for ; l+4 <= len(d); l += 4 {
		archsimd.LoadFloat64x4Slice(a[l:]).Div(yv).StoreSlice(d[l:])
	}
	divVSGo(d[l:], a[l:], y)
}

func sqrtV4(d, a []float64) {
	a = a[:len(d)]
	l := 0
	for ; l+4 <= len(d); l += 4 {
		archsimd.LoadFloat64x4Slice(a[l:]).Sqrt().StoreSlice(d[l:])
	}
	sqrtVGo(d[l:], a[l:])
}

func accW8(acc []float64, w float64, x []float64) {
	x = x[:len(acc)]
	wv := archsimd.BroadcastFloat64x8(w)
	m := 0
	for ; m+8 <= len(acc); m += 8 {
		archsimd.LoadFloat64x8Slice(acc[m:]).Add(wv.Mul(archsimd.LoadFloat64x8Slice(x[m:]))).StoreSlice(acc[m:])
	}
	accWGo(acc[m:], w, x[m:])
}

func accWV8(acc, w, x []float64) {
	w, x = w[:len(acc)], x[:len(acc)]
	m := 0
	for ; m+8 <= len(acc); m += 8 {
		p := archsimd.LoadFloat64x8Slice(w[m:]).Mul(archsimd.LoadFloat64x8Slice(x[m:]))
		archsimd.LoadFloat64x8Slice(acc[m:]).Add(p).StoreSlice(acc[m:])
	}
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
	accWDGo(acc[m:], w, x[m:], y[m:])
}

func accWVD8(acc, w, x, y []float64) {
	w, x, y = w[:len(acc)], x[:len(acc)], y[:len(acc)]
	m := 0
	for ; m+8 <= len(acc); m += 8 {
		p := archsimd.LoadFloat64x8Slice(w[m:]).Mul(archsimd.LoadFloat64x8Slice(x[m:]).Sub(archsimd.LoadFloat64x8Slice(y[m:])))
		archsimd.LoadFloat64x8Slice(acc[m:]).Add(p).StoreSlice(acc[m:])
	}
	accWVDGo(acc[m:], w[m:], x[m:], y[m:])
}

func accW4(acc []float64, w float64, x []float64) {
	x = x[:len(acc)]
	wv := archsimd.BroadcastFloat64x4(w)
	m := 0
	for ; m+4 <= len(acc); m += 4 {
		archsimd.LoadFloat64x4Slice(acc[m:]).Add(wv.Mul(archsimd.LoadFloat64x4Slice(x[m:]))).StoreSlice(acc[m:])
	}
	accWGo(acc[m:], w, x[m:])
}

func accWV4(acc, w, x []float64) {
	w, x = w[:len(acc)], x[:len(acc)]
	m := 0
	for ; m+4 <= len(acc); m += 4 {
		p := archsimd.LoadFloat64x4Slice(w[m:]).Mul(archsimd.LoadFloat64x4Slice(x[m:]))
		archsimd.LoadFloat64x4Slice(acc[m:]).Add(p).StoreSlice(acc[m:])
	}
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
	accWDGo(acc[m:], w, x[m:], y[m:])
}

func accWVD4(acc, w, x, y []float64) {
	w, x, y = w[:len(acc)], x[:len(acc)], y[:len(acc)]
	m := 0
	for ; m+4 <= len(acc); m += 4 {
		p := archsimd.LoadFloat64x4Slice(w[m:]).Mul(archsimd.LoadFloat64x4Slice(x[m:]).Sub(archsimd.LoadFloat64x4Slice(y[m:])))
		archsimd.LoadFloat64x4Slice(acc[m:]).Add(p).StoreSlice(acc[m:])
	}
	accWVDGo(acc[m:], w[m:], x[m:], y[m:])
}
