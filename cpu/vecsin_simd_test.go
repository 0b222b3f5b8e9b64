//go:build goexperiment.simd && amd64

package cpu

import (
	"math"
	"math/rand/v2"
	"simd/archsimd"
	"testing"
)

// sinInputs are values that exercise every branch of math.Sin: each octant and its edges (multiples
// of pi/4 and their neighbours), small and tiny values, signed zeros, the Payne-Hanek threshold 2^29
// and beyond, ±Inf, NaN, and random values over many magnitudes.
func sinInputs() []float64 {
	xs := []float64{0, math.Copysign(0, -1), math.Inf(1), math.Inf(-1), math.NaN(), 5e-324, -5e-324, 1e-300,
		math.MaxFloat64, -math.MaxFloat64, sinLarge, -sinLarge, math.Nextafter(sinLarge, 0), math.Nextafter(sinLarge, 1e300), 1e10, 3e20}
	for k := -64; k <= 64; k++ {
		c := float64(k) * math.Pi / 4
		xs = append(xs, c, math.Nextafter(c, math.Inf(1)), math.Nextafter(c, math.Inf(-1)))
	}
	r := rand.New(rand.NewPCG(3, 4))
	for range 20000 {
		switch r.IntN(4) {
		case 0:
			xs = append(xs, (r.Float64()*2-1)*2*math.Pi)
		case 1:
			xs = append(xs, (r.Float64()*2-1)*100)
		case 2:
			xs = append(xs, r.NormFloat64()*math.Exp(r.NormFloat64()*8))
		default:
			xs = append(xs, float64(float32((r.Float64()*2-1)*4*math.Pi))) // float32 differences
		}
	}
	return xs
}

func sameBits64(a, b float64) bool { return math.Float64bits(a) == math.Float64bits(b) }

// TestSin8MatchesMathSin: sin8 gives math.Sin's bits on every input, in every lane position.
func TestSin8MatchesMathSin(t *testing.T) {
	if !archsimd.X86.AVX512() {
		t.Skip("no AVX-512")
	}
	xs := sinInputs()
	for shift := range 8 {
		for k := shift; k+8 <= len(xs); k += 8 {
			var in, out [8]float64
			copy(in[:], xs[k:k+8])
			sin8(archsimd.LoadFloat64x8(&in)).Store(&out)
			for l := range 8 {
				if want := math.Sin(in[l]); !sameBits64(out[l], want) {
					t.Fatalf("sin8(%v) = %v (%#x), math.Sin %v (%#x)", in[l], out[l], math.Float64bits(out[l]), want, math.Float64bits(want))
				}
			}
		}
	}
}

// TestAccSinD: the sine-coupling kernels give the plain-Go coupling's bits (coupling.go: t = x - y
// in F, F(math.Sin(float64(t))), acc += w * t), per-member and one weight, at lengths that leave
// tails.
func TestAccSinD(t *testing.T) {
	if !archsimd.X86.AVX512() {
		t.Skip("no AVX-512")
	}
	xs := sinInputs()
	r := rand.New(rand.NewPCG(5, 6))
	for _, n := range []int{1, 7, 8, 16, 17, 64, 100} {
		for trial := range 50 {
			pick := func() float64 { return xs[r.IntN(len(xs))] }
			x, y, w, acc := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
			for m := range n {
				x[m], y[m], w[m], acc[m] = pick(), pick()*0.5, r.NormFloat64(), r.NormFloat64()
			}
			ws := r.NormFloat64()
			perMember := trial%2 == 0
			// float64
			got := append([]float64(nil), acc...)
			wm := w
			if !perMember {
				wm = nil
			}
			done := accSinD8(got, wm, ws, x, y)
			if done != n/8*8 {
				t.Fatalf("n=%d: %d lanes done", n, done)
			}
			for m := range done {
				wv := ws
				if perMember {
					wv = w[m]
				}
				want := acc[m] + wv*math.Sin(x[m]-y[m])
				if !sameBits64(got[m], want) && !(math.IsNaN(got[m]) && math.IsNaN(want)) {
					t.Fatalf("f64 n=%d lane %d: %v, plain Go %v", n, m, got[m], want)
				}
			}
			// float32
			x32, y32, w32, acc32 := make([]float32, n), make([]float32, n), make([]float32, n), make([]float32, n)
			for m := range n {
				x32[m], y32[m], w32[m], acc32[m] = float32(x[m]), float32(y[m]), float32(w[m]), float32(acc[m])
			}
			got32 := append([]float32(nil), acc32...)
			wm32 := w32
			if !perMember {
				wm32 = nil
			}
			done = accSinD8f32(got32, wm32, float32(ws), x32, y32)
			if done != n/16*16 {
				t.Fatalf("f32 n=%d: %d lanes done", n, done)
			}
			for m := range done {
				wv := float32(ws)
				if perMember {
					wv = w32[m]
				}
				d := x32[m] - y32[m]
				want := acc32[m] + wv*float32(math.Sin(float64(d)))
				if math.Float32bits(got32[m]) != math.Float32bits(want) && !(got32[m] != got32[m] && want != want) {
					t.Fatalf("f32 n=%d lane %d: %v, plain Go %v", n, m, got32[m], want)
				}
			}
		}
	}
}

// TestMathKernelsRegistered: the AVX-512 kernel sets have the exp and sin kernels, the others none
// (their init functions must run after kernels_simd.go's has registered the variants: files
// initialise in name order).
func TestMathKernelsRegistered(t *testing.T) {
	for _, v := range variants {
		want := v.name == "avx512"
		got := []bool{v.k64.expV != nil, v.k32.expV != nil, v.k64.sinV != nil, v.k32.sinV != nil, v.k64.accSinD != nil, v.k32.accSinD != nil}
		for k, g := range got {
			if g != want {
				t.Errorf("%s: kernel %d of expV, sinV, accSinD (f64, f32) registered %v, want %v", v.name, k, g, want)
			}
		}
	}
}
