package cpu

import "math"

// The arithmetic kernels of a step: d = a op b over lanes, for two vectors (VV), a scalar and a
// vector (SV), a vector and a scalar (VS), and the coupling accumulations over the members of one
// (target, source) pair. A kernel set holds one variant of each, for one precision; the plain-Go
// set is generic, and kernels_simd.go adds AVX-512 and AVX2 sets when the experiment and the CPU
// allow (variants.go chooses). Every variant gives the same bits: each lane is one IEEE operation,
// never fused.

// float is the lane type: the backend runs in float64 or in float32.
type float interface{ float32 | float64 }

// kernels is one variant's kernel set for lanes of type F.
type kernels[F float] struct {
	addVV, subVV, mulVV, divVV func(d, a, b []F)
	addSV, subSV, mulSV, divSV func(d []F, x F, b []F)
	addVS, subVS, mulVS, divVS func(d, a []F, y F)
	sqrtV                      func(d, a []F)
	// comparisons of two vectors (1 where true, else +0) and select(a, b, c) of three
	ltVV, leVV, gtVV, geVV func(d, a, b []F)
	selVVV                 func(d, a, b, c []F)

	// coupling accumulation over the members of one (target, source) pair
	accW   func(acc []F, w F, x []F)    // acc[m] += w * x[m]
	accWV  func(acc, w, x []F)          // acc[m] += w[m] * x[m]
	accWD  func(acc []F, w F, x, y []F) // acc[m] += w * (x[m] - y[m])
	accWVD func(acc, w, x, y []F)       // acc[m] += w[m] * (x[m] - y[m])

	// one target's coupling sum over all sources, its members in registers: for every member m of
	// acc, acc[m] = sum over j ascending of w[j] * x_j[m] (rowW) or w[j] * (x_j[m] - y[m]) (rowWD),
	// where x_j = buf[base+off[j]:], starting from +0 and rounding every product and sum
	rowW  func(acc, w, buf []F, off []int32, base int)
	rowWD func(acc, w, buf []F, off []int32, base int, y []F)
	// two rowW sums over the same remote values with their own weights, in one pass
	rowWW func(acc1, acc2, w1, w2, buf []F, off []int32, base int)
	// rowW and rowWD of T consecutive targets: acc and y hold T x E members, w and off T x N
	// sources (target t's at t*E and t*N); the SIMD kernels run targets of one or two vectors of
	// members four or two at a time, so that small blocks of members still keep four chains of
	// additions in flight
	rowWT  func(acc, w, buf []F, off []int32, base, T int)
	rowWDT func(acc, w, buf []F, off []int32, base, T int, y []F)
	// vec is the lanes of one vector of the kernels (0: plain Go)
	vec int

	// fill sets every value of d to x (an input's default, noise switched off)
	fill func(d []F, x F)
	// flush stores v in d with every subnormal value set to +0 (sim.go, "Subnormals"); d and v
	// have the same length and may be the same slice. It says whether every value is finite.
	flush func(d, v []F) bool
	// finite says whether every value of v is finite (the divergence check's fast path)
	finite func(v []F) bool
	// axis places values on a grid axis a vector at a time, as axisPos computes it before its
	// clamping: f = (v[l] - first) / step, idx[l] = int32(floor(f)) (meaningless outside the
	// axis), frac[l] = f - floor(f); it returns how many leading values it did (nil: none)
	axis func(v []F, first, step F, idx []int32, frac []F) int
	// place and interp are tablePos's place and interp a vector at a time (lookup_simd.go,
	// lookup_gather.go; nil: plain Go): place does the leading whole vectors of lanes and returns
	// how many, interp all lanes or nothing (false), NaN lanes aside
	place  func(p *tablePos[F], t *table[F], y, x []F, lo, n int) int
	interp func(p *tablePos[F], t *table[F], d []F, more []fusedLookup[F], lo int) bool
	// accSinD adds w times the sine of x - y to acc lane by lane (a diffusive coupling with sin,
	// Kuramoto's): acc[m] += w[m] * F(sin(float64(x[m] - y[m]))), ws for every m when w is nil,
	// with math.Sin's bits (vecsin_simd.go); it does the leading whole vectors and returns how many
	// lanes (nil: none)
	accSinD func(acc, w []F, ws F, x, y []F) int
	// expV and sinV set d[l] = F(exp(float64(a[l]))) and F(sin(float64(a[l]))) (d and a the same
	// length) with math.Exp's and math.Sin's bits (vecexp_simd.go, vecsin_simd.go); they do the leading
	// whole vectors and return how many lanes (nil: none)
	expV, sinV func(d, a []F) int
}

// goKernels is the plain-Go kernel set.
func goKernels[F float]() *kernels[F] {
	return &kernels[F]{
		addVV: addVVGo[F], subVV: subVVGo[F], mulVV: mulVVGo[F], divVV: divVVGo[F],
		addSV: addSVGo[F], subSV: subSVGo[F], mulSV: mulSVGo[F], divSV: divSVGo[F],
		addVS: addVSGo[F], subVS: subVSGo[F], mulVS: mulVSGo[F], divVS: divVSGo[F],
		sqrtV: sqrtVGo[F],
		ltVV:  ltVVGo[F], leVV: leVVGo[F], gtVV: gtVVGo[F], geVV: geVVGo[F], selVVV: selVVVGo[F],
		accW: accWGo[F], accWV: accWVGo[F], accWD: accWDGo[F], accWVD: accWVDGo[F],
		rowW: rowWGo[F], rowWD: rowWDGo[F], rowWW: rowWWGo[F], rowWT: rowWTGo[F], rowWDT: rowWDTGo[F], fill: fillGo[F], flush: flushTo[F], finite: finiteGo[F],
	}
}

func fillGo[F float](d []F, x F) {
	for l := range d {
		d[l] = x
	}
}

// finiteGo sums x - x over v, which is +0 for finite x and NaN for an infinity or NaN, in four
// independent sums (no branch per value).
func finiteGo[F float](v []F) bool {
	var a0, a1, a2, a3 F
	l := 0
	for ; l+4 <= len(v); l += 4 {
		x := v[l : l+4 : l+4]
		a0 += x[0] - x[0]
		a1 += x[1] - x[1]
		a2 += x[2] - x[2]
		a3 += x[3] - x[3]
	}
	for ; l < len(v); l++ {
		a0 += v[l] - v[l]
	}
	return a0+a1+a2+a3 == 0
}

// Each product is rounded before it is added (explicit conversions: no fused multiply-add), as in
// the sums of the lane program.

func accWGo[F float](acc []F, w F, x []F) {
	x = x[:len(acc)]
	for m := range acc {
		acc[m] += F(w * x[m])
	}
}

func accWVGo[F float](acc, w, x []F) {
	w, x = w[:len(acc)], x[:len(acc)]
	for m := range acc {
		acc[m] += F(w[m] * x[m])
	}
}

func accWDGo[F float](acc []F, w F, x, y []F) {
	x, y = x[:len(acc)], y[:len(acc)]
	for m := range acc {
		acc[m] += F(w * (x[m] - y[m]))
	}
}

func accWVDGo[F float](acc, w, x, y []F) {
	w, x, y = w[:len(acc)], x[:len(acc)], y[:len(acc)]
	for m := range acc {
		acc[m] += F(w[m] * (x[m] - y[m]))
	}
}

func rowWGo[F float](acc, w, buf []F, off []int32, base int) {
	clear(acc)
	off = off[:len(w)]
	for j, wj := range w {
		o := base + int(off[j])
		x := buf[o : o+len(acc)]
		for m := range acc {
			acc[m] += F(wj * x[m])
		}
	}
}

func rowWDGo[F float](acc, w, buf []F, off []int32, base int, y []F) {
	clear(acc)
	off, y = off[:len(w)], y[:len(acc)]
	for j, wj := range w {
		o := base + int(off[j])
		x := buf[o : o+len(acc)]
		for m := range acc {
			acc[m] += F(wj * (x[m] - y[m]))
		}
	}
}

func rowWWGo[F float](acc1, acc2, w1, w2, buf []F, off []int32, base int) {
	rowWGo(acc1, w1, buf, off, base)
	rowWGo(acc2, w2, buf, off, base)
}

func rowWTGo[F float](acc, w, buf []F, off []int32, base, T int) {
	E, N := len(acc)/T, len(w)/T
	for t := range T {
		rowWGo(acc[t*E:(t+1)*E], w[t*N:(t+1)*N], buf, off[t*N:(t+1)*N], base)
	}
}

func rowWDTGo[F float](acc, w, buf []F, off []int32, base, T int, y []F) {
	E, N := len(acc)/T, len(w)/T
	for t := range T {
		rowWDGo(acc[t*E:(t+1)*E], w[t*N:(t+1)*N], buf, off[t*N:(t+1)*N], base, y[t*E:(t+1)*E])
	}
}

// binOp computes d = a op b for operands of any shape (scalars of length 1 included) with the
// kernel for the shapes.
func binOp[F float](op func(x, y F) F, vv func(d, a, b []F), sv func(d []F, x F, b []F), vs func(d, a []F, y F), d, a, b []F) {
	switch {
	case len(a) == len(d) && len(b) == len(d):
		vv(d, a, b)
	case len(a) == 1 && len(b) == len(d):
		sv(d, a[0], b)
	case len(b) == 1 && len(a) == len(d):
		vs(d, a, b[0])
	default:
		for l := range d {
			d[l] = op(pick(a, l), pick(b, l))
		}
	}
}

func addVVGo[F float](d, a, b []F) {
	a, b = a[:len(d)], b[:len(d)]
	for l := range d {
		d[l] = a[l] + b[l]
	}
}

func addSVGo[F float](d []F, x F, b []F) {
	b = b[:len(d)]
	for l := range d {
		d[l] = x + b[l]
	}
}

func addVSGo[F float](d, a []F, y F) {
	a = a[:len(d)]
	for l := range d {
		d[l] = a[l] + y
	}
}

func subVVGo[F float](d, a, b []F) {
	a, b = a[:len(d)], b[:len(d)]
	for l := range d {
		d[l] = a[l] - b[l]
	}
}

func subSVGo[F float](d []F, x F, b []F) {
	b = b[:len(d)]
	for l := range d {
		d[l] = x - b[l]
	}
}

func subVSGo[F float](d, a []F, y F) {
	a = a[:len(d)]
	for l := range d {
		d[l] = a[l] - y
	}
}

func mulVVGo[F float](d, a, b []F) {
	a, b = a[:len(d)], b[:len(d)]
	for l := range d {
		d[l] = a[l] * b[l]
	}
}

func mulSVGo[F float](d []F, x F, b []F) {
	b = b[:len(d)]
	for l := range d {
		d[l] = x * b[l]
	}
}

func mulVSGo[F float](d, a []F, y F) {
	a = a[:len(d)]
	for l := range d {
		d[l] = a[l] * y
	}
}

func divVVGo[F float](d, a, b []F) {
	a, b = a[:len(d)], b[:len(d)]
	for l := range d {
		d[l] = a[l] / b[l]
	}
}

func divSVGo[F float](d []F, x F, b []F) {
	b = b[:len(d)]
	for l := range d {
		d[l] = x / b[l]
	}
}

func divVSGo[F float](d, a []F, y F) {
	a = a[:len(d)]
	for l := range d {
		d[l] = a[l] / y
	}
}

// b2f is a comparison's result: 1 or +0.
func b2f[F float](t bool) F {
	if t {
		return 1
	}
	return 0
}

func ltVVGo[F float](d, a, b []F) {
	a, b = a[:len(d)], b[:len(d)]
	for l := range d {
		d[l] = b2f[F](a[l] < b[l])
	}
}

func leVVGo[F float](d, a, b []F) {
	a, b = a[:len(d)], b[:len(d)]
	for l := range d {
		d[l] = b2f[F](a[l] <= b[l])
	}
}

func gtVVGo[F float](d, a, b []F) {
	a, b = a[:len(d)], b[:len(d)]
	for l := range d {
		d[l] = b2f[F](a[l] > b[l])
	}
}

func geVVGo[F float](d, a, b []F) {
	a, b = a[:len(d)], b[:len(d)]
	for l := range d {
		d[l] = b2f[F](a[l] >= b[l])
	}
}

func selVVVGo[F float](d, a, b, c []F) {
	a, b, c = a[:len(d)], b[:len(d)], c[:len(d)]
	for l := range d {
		if a[l] != 0 {
			d[l] = b[l]
		} else {
			d[l] = c[l]
		}
	}
}

// sqrtVGo is the square root in float64 rounded to F: for float32 arguments that is the correctly
// rounded float32 square root (53 bits are enough that the double rounding never differs).
func sqrtVGo[F float](d, a []F) {
	a = a[:len(d)]
	for l := range d {
		d[l] = F(math.Sqrt(float64(a[l])))
	}
}

func sqrtOp[F float](k *kernels[F], d, a []F) {
	if len(a) == len(d) {
		k.sqrtV(d, a)
		return
	}
	for l := range d {
		d[l] = F(math.Sqrt(float64(pick(a, l))))
	}
}
