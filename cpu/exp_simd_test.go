//go:build goexperiment.simd && amd64

package cpu

import (
	"math"
	"math/rand/v2"
	"simd/archsimd"
	"testing"
)

// TestExp8MatchesMathExp: exp8 gives math.Exp's bits on every input, in every lane position: the
// plain range, the rounding edges of k = round(x log2 e) (x near (n + 1/2) ln 2), the bounds of the
// vector path (k = -1022 and 1023, the overflow bound) and beyond them (subnormal and zero results,
// +Inf), signed zeros, ±Inf, NaN, and random values over many magnitudes.
func TestExp8MatchesMathExp(t *testing.T) {
	if !archsimd.X86.AVX512() {
		t.Skip("no AVX-512")
	}
	if !expFMA {
		t.Skip("no FMA: exp8 is math.Exp lane by lane, as math's own non-FMA path")
	}
	xs := []float64{0, math.Copysign(0, -1), math.Inf(1), math.Inf(-1), math.NaN(), 1, -1, 5e-324, -5e-324, 1e-300,
		expOverflow, math.Nextafter(expOverflow, 1000), math.Nextafter(expOverflow, 0), 710, 709.7, -708.3, -708.4,
		-709, -720, -745, -745.2, -746, -800, -1e10, 1e10, math.MaxFloat64, -math.MaxFloat64}
	for n := -1080; n <= 1030; n++ {
		c := (float64(n) + 0.5) * math.Ln2
		xs = append(xs, c, math.Nextafter(c, math.Inf(1)), math.Nextafter(c, math.Inf(-1)), float64(n)*math.Ln2)
	}
	r := rand.New(rand.NewPCG(7, 8))
	for range 20000 {
		switch r.IntN(3) {
		case 0:
			xs = append(xs, (r.Float64()*2-1)*20)
		case 1:
			xs = append(xs, (r.Float64()*2-1)*750)
		default:
			xs = append(xs, r.NormFloat64()*math.Exp(r.NormFloat64()*6))
		}
	}
	for shift := range 8 {
		for k := shift; k+8 <= len(xs); k += 8 {
			var in, out [8]float64
			copy(in[:], xs[k:k+8])
			exp8(archsimd.LoadFloat64x8(&in)).Store(&out)
			for l := range 8 {
				if want := math.Exp(in[l]); math.Float64bits(out[l]) != math.Float64bits(want) {
					t.Fatalf("exp8(%v) = %v (%#x), math.Exp %v (%#x)", in[l], out[l], math.Float64bits(out[l]), want, math.Float64bits(want))
				}
			}
		}
	}
}
