//go:build goexperiment.simd && amd64

package cpu

import (
	"math"
	"simd/archsimd"
)

// The exponential a vector at a time, with math.Exp's bits. eqn's exp is math.Exp, which on amd64
// is assembly (math/exp_amd64.s): k = round(x * log2(e)) to an integer, the reduced argument
// r = (x - k*LN2U - k*LN2L) / 16, a Taylor polynomial of r, four squarings of the form
// y = y * (y + 2) (undoing the division by 16), and the scaling by 2^k. On a CPU with AVX and FMA
// (every CPU with AVX-512) it fuses the reduction, the polynomial and the last step's + 1 into
// multiply-adds; exp8 does those same operations on 8 lanes. Lanes outside the plain case (NaN,
// ±Inf, above the overflow bound, or 2^k not a normal number, where the assembly takes other
// paths) are math.Exp's, lane by lane. Without FMA (math's other path) every lane is math.Exp's.
// The fused kernels of WC and the other models with exp use it for their AVX-512 shapes
// (fused_gen.go); the float32 form widens, takes the float64 exponential and rounds, as eqn's
// float32 arithmetic does.

// This init gives the AVX-512 kernel sets expV (after kernels_simd.go's init has registered the
// variants: files initialise in name order).
func init() {
	for _, v := range variants {
		if v.name == "avx512" {
			v.k64.expV, v.k32.expV = expV8, expV8f32
		}
	}
}

// expFMA says that math.Exp takes its FMA path here (math: cpu.X86.HasAVX && cpu.X86.HasFMA).
var expFMA = archsimd.X86.AVX() && archsimd.X86.FMA()

// math/exp_amd64.s's constants
const (
	expLog2e    = 1.4426950408889634073599246810018920
	expLn2U     = 0.69314718055966295651160180568695068359375
	expLn2L     = 0.28235290563031577122588448175013436025525412068e-12
	expOverflow = 7.09782712893384e+02
)

// expTaylor are the Taylor coefficients 1/8! .. 1/3!, then 1/2 and 1, in the order the assembly
// applies them
var expTaylor = [8]float64{2.4801587301587301587e-5, 1.9841269841269841270e-4, 1.3888888888888888889e-3,
	8.3333333333333333333e-3, 4.1666666666666666667e-2, 1.6666666666666666667e-1, 0.5, 1.0}

// exp8 returns math.Exp of 8 lanes.
func exp8(x archsimd.Float64x8) archsimd.Float64x8 {
	if !expFMA {
		return expLanes(x, 0)
	}
	bc := archsimd.BroadcastFloat64x8
	one, two := bc(1), bc(2)
	k := x.Mul(bc(expLog2e)).RoundToEvenScaled(0) // CVTSD2SL (to nearest) and back
	nk := k.AsUint64x8().Xor(archsimd.BroadcastUint64x8(1 << 63)).AsFloat64x8()
	r := nk.MulAdd(bc(expLn2U), x) // VFNMADD231SD: r = -(k*LN2U) + x, one rounding
	r = nk.MulAdd(bc(expLn2L), r)
	r = r.Mul(bc(0.0625))
	p := bc(expTaylor[0])
	for _, c := range expTaylor[1:] {
		p = p.MulAdd(r, bc(c)) // VFMADD213SD
	}
	y := r.Mul(p)
	y = y.Mul(y.Add(two))
	y = y.Mul(y.Add(two))
	y = y.Mul(y.Add(two))
	y = y.Add(two).MulAdd(y, one) // the last squaring and + 1 in one multiply-add
	// times 2^k, built from its bits where it is a normal number
	ki := k.ConvertToInt64()
	scale := ki.Add(archsimd.BroadcastInt64x8(1023)).ShiftAllLeft(52).AsFloat64x8()
	y = y.Mul(scale)
	ok := x.LessEqual(bc(expOverflow)).And(k.GreaterEqual(bc(-1022))).And(k.LessEqual(bc(1023))).ToBits()
	if ok != 0xff {
		// NaN and ±Inf fail the first comparison, so they land here too
		return y.Merge(expLanes(x, ok), archsimd.Mask64x8FromBits(ok))
	}
	return y
}

// expLanes returns math.Exp of the lanes of x whose bit in ok is 0 (the others 0).
func expLanes(x archsimd.Float64x8, ok uint8) archsimd.Float64x8 {
	var in, v [8]float64
	x.Store(&in)
	archsimd.ClearAVXUpperBits()
	for l := range 8 {
		if ok&(1<<l) == 0 {
			v[l] = math.Exp(in[l])
		}
	}
	return archsimd.LoadFloat64x8(&v)
}

// vec8 is a function of 8 float64 lanes (exp8, sin8).
type vec8 func(archsimd.Float64x8) archsimd.Float64x8

// widen applies f to the 16 float32 lanes of x in float64 and rounds the results to float32:
// eqn's float32 exp and sin (F(math.Exp(float64(x)))).
func widen(x archsimd.Float32x16, f vec8) archsimd.Float32x16 {
	return x.SetLo(f(x.GetLo().ConvertToFloat64()).ConvertToFloat32()).SetHi(f(x.GetHi().ConvertToFloat64()).ConvertToFloat32())
}

// mapV8 sets d[l] = f(a[l]) for the leading whole vectors of d and returns how many lanes.
func mapV8(d, a []float64, f vec8) int {
	n := len(d) / 8 * 8
	a = a[:len(d)]
	for l := 0; l < n; l += 8 {
		st8(f(ld8(a, l)), d, l)
	}
	archsimd.ClearAVXUpperBits()
	return n
}

// mapV8f32 is mapV8 in float32, through widen.
func mapV8f32(d, a []float32, f vec8) int {
	n := len(d) / 16 * 16
	a = a[:len(d)]
	for l := 0; l < n; l += 16 {
		st8f32(widen(ld8f32(a, l), f), d, l)
	}
	archsimd.ClearAVXUpperBits()
	return n
}

// expV8 and expV8f32 are the kernel sets' expV: math.Exp of the leading whole vectors.
func expV8(d, a []float64) int    { return mapV8(d, a, exp8) }
func expV8f32(d, a []float32) int { return mapV8f32(d, a, exp8) }
