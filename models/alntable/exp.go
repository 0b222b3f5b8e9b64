package alntable

import (
	"math"
	"math/big"
)

// expCR is exp(x) correctly rounded (to nearest) for results in the normal range: the glibc
// releases before 2.28 (and thus the libm neurolib's table was computed with) had a correctly
// rounded exp; Go's math.Exp is only faithful. Ziv's method: a fast double-double evaluation
// (table of 2^(j/64), degree-7 polynomial) with a relative error below 2^-70; when its rounding is
// not certain at 2^-66, the slow evaluation (expSlow, error below 2^-90) decides. Results below
// 2^-1000 (subnormal or close) and special values use math.Exp.
func expCR(x float64) float64 {
	if !(x > -690 && x < 709) {
		return math.Exp(x)
	}
	if math.Abs(x) < 0x1p-54 {
		return 1 + x
	}
	const (
		inv   = 92.332482616893656877 // 64/ln2
		l64hi = 0.010830424696223417  // ln2/64 rounded to 36 bits (k*l64hi exact for |k| < 2^17)
	)
	k := math.Round(x * inv)
	ki := int(k)
	j := ki & 63
	m := (ki - j) >> 6
	rh := x - k*l64hi // exact (Sterbenz)
	p := k * l64lo
	pe := math.FMA(k, l64lo, -p)
	rh, rl := twoSum(rh, -p)
	rl -= pe
	rh, rl = fastTwoSum(rh, rl)
	// e = exp(r) - 1 = r + r^2/2 + r^3*(1/6 + r/24 + r^2/120 + r^3/720 + r^4/5040)
	sh, sl := ddMul(rh, rl, rh, rl)
	sh, sl = sh*0.5, sl*0.5
	t := rh * rh * rh * (1.0/6 + rh*(1.0/24+rh*(1.0/120+rh*(1.0/720+rh*(1.0/5040)))))
	eh, el := ddAdd(rh, rl, sh, sl+t)
	// exp(x) = 2^m * T_j * (1 + e)
	th, tl := exp2Tab[j][0], exp2Tab[j][1]
	ph, pl := ddMul(th, tl, eh, el)
	vh, vl := ddAdd(th, tl, ph, pl)
	v := vh + vl
	eps := math.Abs(vh) * 0x1p-66
	if vh+(vl+eps) != v || vh+(vl-eps) != v {
		return expSlow(x)
	}
	return v * math.Float64frombits(uint64(1023+m)<<52)
}

// l64lo is ln2/64 - l64hi.
var l64lo, exp2Tab = exp2Tables()

// exp2Tables computes ln2/64 - l64hi and 2^(j/64), j = 0..63, as double-doubles, from big floats.
func exp2Tables() (float64, [64][2]float64) {
	const prec = 256
	two := new(big.Float).SetPrec(prec).SetFloat64(2)
	root := new(big.Float).SetPrec(prec).Set(two)
	for range 6 {
		root.Sqrt(root)
	}
	var tab [64][2]float64
	pw := new(big.Float).SetPrec(prec).SetFloat64(1)
	for j := range 64 {
		h, _ := pw.Float64()
		rest := new(big.Float).SetPrec(prec).Sub(pw, new(big.Float).SetFloat64(h))
		l, _ := rest.Float64()
		tab[j] = [2]float64{h, l}
		pw.Mul(pw, root)
	}
	ln2 := new(big.Float).SetPrec(prec)
	ln2.SetString("0.693147180559945309417232121458176568075500134360255254120680009493393621969694715605863326996418687542")
	ln2.Quo(ln2, new(big.Float).SetPrec(prec).SetFloat64(64))
	ln2.Sub(ln2, new(big.Float).SetFloat64(0.010830424696223417))
	lo, _ := ln2.Float64()
	return lo, tab
}

// expSlow is expCR's slow path: the argument is reduced to x = k*ln2 + r with r in
// double-double, exp(r/1024) is a double-double Taylor polynomial, squared ten times; the
// relative error before the final rounding is below 2^-90.
func expSlow(x float64) float64 {
	if !(x > -690 && x < 709) { // NaN, infinities, overflow and (near-)subnormal results
		return math.Exp(x)
	}
	if math.Abs(x) < 0x1p-54 {
		return 1 + x
	}
	const (
		ln2hi  = 6.93147180369123816490e-01 // 0x3fe62e42fee00000: 32 significant bits
		ln2mid = 1.90821492927058770002e-10 // the next bits
		ln2lo  = -1.3732343604357917e-27    // ...
		invLn2 = 1.44269504088896338700e+00
	)
	k := math.Round(x * invLn2)
	// r = x - k*ln2 in double-double; k*ln2hi is exact (|k| < 2^11, ln2hi has 32 bits)
	rh := x - k*ln2hi // exact: x and k*ln2hi are close
	t := k * ln2mid
	tl := math.FMA(k, ln2mid, -t) // exact error of the product
	rh, rl := twoSum(rh, -t)
	rl -= tl
	rl -= k * ln2lo
	rh, rl = fastTwoSum(rh, rl)
	// s = r/1024
	sh, sl := rh/1024, rl/1024
	// exp(s) - 1 by Taylor, Horner in double-double: s*(1 + s/2*(1 + s/3*(1 + ...)))
	ph, pl := 1.0, 0.0
	for n := 10; n >= 2; n-- {
		// p = 1 + (s/n)*p
		qh, ql := ddMul(sh, sl, ph, pl)
		qh, ql = qh/float64(n), ql/float64(n) // division by n: ~1 ulp of the double-double, negligible
		qh, ql = ddRenorm(qh, ql)
		ph, pl = ddAdd(1, 0, qh, ql)
	}
	eh, el := ddMul(sh, sl, ph, pl) // e = exp(s) - 1
	// (1+e)^2 - 1 = e*(2 + e), ten times
	for range 10 {
		th, tl := ddAdd(2, 0, eh, el)
		eh, el = ddMul(eh, el, th, tl)
	}
	// exp(r) = 1 + e; scale by 2^k
	h, l := ddAdd(1, 0, eh, el)
	v := h + l
	return math.Ldexp(v, int(k))
}

func twoSum(a, b float64) (float64, float64) {
	s := a + b
	bb := s - a
	return s, (a - (s - bb)) + (b - bb)
}

func fastTwoSum(a, b float64) (float64, float64) {
	s := a + b
	return s, b - (s - a)
}

func ddRenorm(h, l float64) (float64, float64) { return fastTwoSum(h, l) }

func ddAdd(ah, al, bh, bl float64) (float64, float64) {
	s, e := twoSum(ah, bh)
	e += al + bl
	return fastTwoSum(s, e)
}

func ddMul(ah, al, bh, bl float64) (float64, float64) {
	p := ah * bh
	e := math.FMA(ah, bh, -p)
	e += ah*bl + al*bh
	return fastTwoSum(p, e)
}
