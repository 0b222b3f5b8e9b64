package cpu

import "math"

// The arithmetic kernels of a step: d = a op b over lanes, for two vectors (VV), a scalar and a
// vector (SV), a vector and a scalar (VS). They are function variables, chosen once at start-up
// (kernels_simd.go replaces the plain-Go ones with AVX-512 or AVX2 versions when the experiment and
// the CPU allow); every variant gives the same bits, since each lane is one IEEE operation.

// kernelSet names the kernels in use ("go", "avx2", "avx512").
var kernelSet = "go"

// Kernels reports which arithmetic kernels the CPU backend uses.
func Kernels() string { return kernelSet }

var (
	addVV = addVVGo
	addSV = addSVGo
	addVS = addVSGo
	subVV = subVVGo
	subSV = subSVGo
	subVS = subVSGo
	mulVV = mulVVGo
	mulSV = mulSVGo
	mulVS = mulVSGo
	divVV = divVVGo
	divSV = divSVGo
	divVS = divVSGo
	sqrtV = sqrtVGo

	// coupling accumulation over the members of one (target, source) pair
	accW   = accWGo   // acc[m] += w * x[m]
	accWV  = accWVGo  // acc[m] += w[m] * x[m]
	accWD  = accWDGo  // acc[m] += w * (x[m] - y[m])
	accWVD = accWVDGo // acc[m] += w[m] * (x[m] - y[m])
)

// Each product is rounded before it is added (explicit conversions: no fused multiply-add), as in
// the sums of the lane program.

func accWGo(acc []float64, w float64, x []float64) {
	x = x[:len(acc)]
	for m := range acc {
		acc[m] += float64(w * x[m])
	}
}

func accWVGo(acc, w, x []float64) {
	w, x = w[:len(acc)], x[:len(acc)]
	for m := range acc {
		acc[m] += float64(w[m] * x[m])
	}
}

func accWDGo(acc []float64, w float64, x, y []float64) {
	x, y = x[:len(acc)], y[:len(acc)]
	for m := range acc {
		acc[m] += float64(w * (x[m] - y[m]))
	}
}

func accWVDGo(acc, w, x, y []float64) {
	w, x, y = w[:len(acc)], x[:len(acc)], y[:len(acc)]
	for m := range acc {
		acc[m] += float64(w[m] * (x[m] - y[m]))
	}
}

func addOp(d, a, b []float64) {
	switch {
	case len(a) == len(d) && len(b) == len(d):
		addVV(d, a, b)
	case len(a) == 1 && len(b) == len(d):
		addSV(d, a[0], b)
	case len(b) == 1 && len(a) == len(d):
		addVS(d, a, b[0])
	default:
		for l := range d {
			d[l] = pick(a, l) + pick(b, l)
		}
	}
}

func addVVGo(d, a, b []float64) {
	a, b = a[:len(d)], b[:len(d)]
	for l := range d {
		d[l] = a[l] + b[l]
	}
}

func addSVGo(d []float64, x float64, b []float64) {
	b = b[:len(d)]
	for l := range d {
		d[l] = x + b[l]
	}
}

func addVSGo(d, a []float64, y float64) {
	a = a[:len(d)]
	for l := range d {
		d[l] = a[l] + y
	}
}

func subOp(d, a, b []float64) {
	switch {
	case len(a) == len(d) && len(b) == len(d):
		subVV(d, a, b)
	case len(a) == 1 && len(b) == len(d):
		subSV(d, a[0], b)
	case len(b) == 1 && len(a) == len(d):
		subVS(d, a, b[0])
	default:
		for l := range d {
			d[l] = pick(a, l) - pick(b, l)
		}
	}
}

func subVVGo(d, a, b []float64) {
	a, b = a[:len(d)], b[:len(d)]
	for l := range d {
		d[l] = a[l] - b[l]
	}
}

func subSVGo(d []float64, x float64, b []float64) {
	b = b[:len(d)]
	for l := range d {
		d[l] = x - b[l]
	}
}

func subVSGo(d, a []float64, y float64) {
	a = a[:len(d)]
	for l := range d {
		d[l] = a[l] - y
	}
}

func mulOp(d, a, b []float64) {
	switch {
	case len(a) == len(d) && len(b) == len(d):
		mulVV(d, a, b)
	case len(a) == 1 && len(b) == len(d):
		mulSV(d, a[0], b)
	case len(b) == 1 && len(a) == len(d):
		mulVS(d, a, b[0])
	default:
		for l := range d {
			d[l] = pick(a, l) * pick(b, l)
		}
	}
}

func mulVVGo(d, a, b []float64) {
	a, b = a[:len(d)], b[:len(d)]
	for l := range d {
		d[l] = a[l] * b[l]
	}
}

func mulSVGo(d []float64, x float64, b []float64) {
	b = b[:len(d)]
	for l := range d {
		d[l] = x * b[l]
	}
}

func mulVSGo(d, a []float64, y float64) {
	a = a[:len(d)]
	for l := range d {
		d[l] = a[l] * y
	}
}

func divOp(d, a, b []float64) {
	switch {
	case len(a) == len(d) && len(b) == len(d):
		divVV(d, a, b)
	case len(a) == 1 && len(b) == len(d):
		divSV(d, a[0], b)
	case len(b) == 1 && len(a) == len(d):
		divVS(d, a, b[0])
	default:
		for l := range d {
			d[l] = pick(a, l) / pick(b, l)
		}
	}
}

func divVVGo(d, a, b []float64) {
	a, b = a[:len(d)], b[:len(d)]
	for l := range d {
		d[l] = a[l] / b[l]
	}
}

func divSVGo(d []float64, x float64, b []float64) {
	b = b[:len(d)]
	for l := range d {
		d[l] = x / b[l]
	}
}

func divVSGo(d, a []float64, y float64) {
	a = a[:len(d)]
	for l := range d {
		d[l] = a[l] / y
	}
}

func sqrtOp(d, a []float64) {
	if len(a) == len(d) {
		sqrtV(d, a)
		return
	}
	for l := range d {
		d[l] = math.Sqrt(pick(a, l))
	}
}

func sqrtVGo(d, a []float64) {
	a = a[:len(d)]
	for l := range d {
		d[l] = math.Sqrt(a[l])
	}
}
