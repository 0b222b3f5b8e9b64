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

// TestExpSinV: the interpreter's exp and sin kernels (expV, sinV of the AVX-512 sets) give
// math.Exp's and math.Sin's bits, in float64 and rounded to float32, on slices whose lengths leave
// tails (the kernels do the whole vectors; the caller the rest).
func TestExpSinV(t *testing.T) {
	if !archsimd.X86.AVX512() {
		t.Skip("no AVX-512")
	}
	r := rand.New(rand.NewPCG(9, 10))
	for _, c := range []struct {
		name string
		fn   func(float64) float64
		v64  func(d, a []float64) int
		v32  func(d, a []float32) int
	}{{"exp", math.Exp, expV8, expV8f32}, {"sin", math.Sin, sinV8, sinV8f32}} {
		for _, n := range []int{0, 1, 7, 8, 15, 16, 17, 33, 100} {
			a := make([]float64, n)
			for l := range a {
				a[l] = r.NormFloat64() * math.Exp(r.NormFloat64()*3)
				if l%11 == 3 {
					a[l] = []float64{0, math.Inf(1), math.NaN(), -800, 710, 1e10}[l%6]
				}
			}
			d := make([]float64, n)
			if done := c.v64(d, a); done != n/8*8 {
				t.Fatalf("%s f64 n=%d: %d lanes done", c.name, n, done)
			}
			a32, d32 := make([]float32, n), make([]float32, n)
			for l := range a {
				a32[l] = float32(a[l])
			}
			if done := c.v32(d32, a32); done != n/16*16 {
				t.Fatalf("%s f32 n=%d: %d lanes done", c.name, n, done)
			}
			for l := range n / 8 * 8 {
				if want := c.fn(a[l]); math.Float64bits(d[l]) != math.Float64bits(want) && !(want != want && d[l] != d[l]) {
					t.Fatalf("%s f64 n=%d lane %d: %v, math %v", c.name, n, l, d[l], want)
				}
			}
			for l := range n / 16 * 16 {
				if want := float32(c.fn(float64(a32[l]))); math.Float32bits(d32[l]) != math.Float32bits(want) && !(want != want && d32[l] != d32[l]) {
					t.Fatalf("%s f32 n=%d lane %d: %v, math %v", c.name, n, l, d32[l], want)
				}
			}
		}
	}
}
