package cpu

// Code written out per operation: Go does not inline a function value into a loop, and these
// loops carry most of the arithmetic of a step. Each has the three shapes of operands a step meets:
// two vectors, a scalar and a vector, a vector and a scalar.

func addOp(d, a, b []float64) {
	switch {
	case len(a) == len(d) && len(b) == len(d):
		a, b = a[:len(d)], b[:len(d)]
		for l := range d {
			d[l] = a[l] + b[l]
		}
	case len(a) == 1 && len(b) == len(d):
		x := a[0]
		b = b[:len(d)]
		for l := range d {
			d[l] = x + b[l]
		}
	case len(b) == 1 && len(a) == len(d):
		y := b[0]
		a = a[:len(d)]
		for l := range d {
			d[l] = a[l] + y
		}
	default:
		for l := range d {
			d[l] = pick(a, l) + pick(b, l)
		}
	}
}

func subOp(d, a, b []float64) {
	switch {
	case len(a) == len(d) && len(b) == len(d):
		a, b = a[:len(d)], b[:len(d)]
		for l := range d {
			d[l] = a[l] - b[l]
		}
	case len(a) == 1 && len(b) == len(d):
		x := a[0]
		b = b[:len(d)]
		for l := range d {
			d[l] = x - b[l]
		}
	case len(b) == 1 && len(a) == len(d):
		y := b[0]
		a = a[:len(d)]
		for l := range d {
			d[l] = a[l] - y
		}
	default:
		for l := range d {
			d[l] = pick(a, l) - pick(b, l)
		}
	}
}

func mulOp(d, a, b []float64) {
	switch {
	case len(a) == len(d) && len(b) == len(d):
		a, b = a[:len(d)], b[:len(d)]
		for l := range d {
			d[l] = a[l] * b[l]
		}
	case len(a) == 1 && len(b) == len(d):
		x := a[0]
		b = b[:len(d)]
		for l := range d {
			d[l] = x * b[l]
		}
	case len(b) == 1 && len(a) == len(d):
		y := b[0]
		a = a[:len(d)]
		for l := range d {
			d[l] = a[l] * y
		}
	default:
		for l := range d {
			d[l] = pick(a, l) * pick(b, l)
		}
	}
}

func divOp(d, a, b []float64) {
	switch {
	case len(a) == len(d) && len(b) == len(d):
		a, b = a[:len(d)], b[:len(d)]
		for l := range d {
			d[l] = a[l] / b[l]
		}
	case len(a) == 1 && len(b) == len(d):
		x := a[0]
		b = b[:len(d)]
		for l := range d {
			d[l] = x / b[l]
		}
	case len(b) == 1 && len(a) == len(d):
		y := b[0]
		a = a[:len(d)]
		for l := range d {
			d[l] = a[l] / y
		}
	default:
		for l := range d {
			d[l] = pick(a, l) / pick(b, l)
		}
	}
}
