//go:build goexperiment.simd && amd64

package cpu

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// asmVariants returns the kernel sets whose row sums run in assembly (avx512, avx2) that this CPU
// has, or skips the test when it has none.
func asmVariants(t testing.TB) []*variant {
	var out []*variant
	for _, v := range variants {
		if v.name == "avx512" || v.name == "avx2" {
			out = append(out, v)
		}
	}
	if len(out) == 0 {
		t.Skip("neither AVX-512 nor AVX2 on this CPU: the assembly row sums are not used")
	}
	return out
}

// withAsm runs f with the assembly loops and their prefetches set as given.
func withAsm(rows, prefetch bool, f func()) {
	r, p := asmRows, asmPrefetch
	asmRows, asmPrefetch = rows, prefetch
	defer func() { asmRows, asmPrefetch = r, p }()
	f()
}

// TestAsmRowsMatch checks the assembly row sums (rows_amd64.s) against the compiled archsimd
// loops they replace, bit for bit (NaN payloads included: the operands are in the same order), and
// against the plain-Go sums (NaN as NaN), with and without prefetching, for blocks of whole
// groups of four vectors and with a tail, offsets running into the next target's row (prefetched)
// and the last row (none), aligned and unaligned bases, and NaN, infinities, signed zeros and
// subnormals among the values.
func TestAsmRowsMatch(t *testing.T) {
	for _, v := range asmVariants(t) {
		t.Run(v.name+"/f64", func(t *testing.T) { checkAsmRows(t, v.k64) })
		t.Run(v.name+"/f32", func(t *testing.T) { checkAsmRows(t, v.k32) })
	}
}

func checkAsmRows[F float](t *testing.T, k *kernels[F]) {
	// whole groups of four vectors (one, two, three), and one with a vector left for the Go loop
	sizes := []int{4 * k.vec, 8 * k.vec, 5 * k.vec, 12 * k.vec}
	g := goKernels[F]()
	r := rand.New(rand.NewPCG(3, 4))
	special := []float64{math.NaN(), math.Inf(1), math.Inf(-1), 0, math.Copysign(0, -1), 5e-324, -2.2e-308, 1e-40, -3e-45, 1e308, 3e38}
	gen := func(n int, specials bool) []F {
		v := make([]F, n)
		for i := range v {
			if specials && r.IntN(40) == 0 {
				v[i] = F(special[r.IntN(len(special))])
			} else {
				v[i] = F(r.NormFloat64())
			}
		}
		return v
	}
	bits := func(x F) uint64 { return math.Float64bits(float64(x)) }
	same := func(x, y F) bool { return bits(x) == bits(y) }
	sameNaN := func(x, y F) bool { return same(x, y) || x != x && y != y }
	check := func(what string, got, want []F, eq func(x, y F) bool) {
		t.Helper()
		for m := range want {
			if !eq(got[m], want[m]) {
				t.Fatalf("%s: member %d: %v (%#x), want %v (%#x)", what, m, got[m], bits(got[m]), want[m], bits(want[m]))
			}
		}
	}
	const N, cols = 9, 12 // sources (and targets), history columns
	for _, E := range sizes {
		for _, specials := range []bool{false, true} {
			for _, base := range []int{0, 3, E} { // base 3: columns off the 64-byte lines
				buf := gen(N*cols*E+base+E, specials)
				off := make([]int32, N*N) // target-major rows, as ensembleSums passes them
				for l := range off {
					off[l] = int32((l%N)*cols*E + r.IntN(cols)*E)
				}
				w1, w2, y := gen(N*N, specials), gen(N*N, specials), gen(N*E, specials)
				for i := range N {
					name := fmt.Sprintf("E=%d specials=%v base=%d target=%d", E, specials, base, i)
					row, wi, wj, yi := off[i*N:(i+1)*N], w1[i*N:(i+1)*N], w2[i*N:(i+1)*N], y[i*E:(i+1)*E]
					run := func(rows, pf bool) [4][]F {
						var out [4][]F
						for k := range out {
							out[k] = gen(E, false) // overwritten: the sums start from +0
						}
						withAsm(rows, pf, func() {
							k.rowW(out[0], wi, buf, row, base)
							k.rowWD(out[1], wi, buf, row, base, yi)
							k.rowWW(out[2], out[3], wi, wj, buf, row, base)
						})
						return out
					}
					compiled := run(false, false)
					for _, pf := range []bool{false, true} {
						got := run(true, pf)
						for k, kind := range []string{"rowW", "rowWD", "rowWW first", "rowWW second"} {
							check(fmt.Sprintf("%s prefetch=%v %s against the archsimd loop", name, pf, kind), got[k], compiled[k], same)
						}
					}
					want := make([]F, E)
					g.rowWD(want, wi, buf, row, base, yi)
					check(name+" rowWD against plain Go", compiled[1], want, sameNaN)
					g.rowW(want, wj, buf, row, base)
					check(name+" rowWW second against plain Go", compiled[3], want, sameNaN)
				}
			}
		}
	}
}

// TestAsmRowsOutOfRange checks that a source outside the buffer (an index before it, or a column
// running past its end) makes the sums panic, as the Go loops do, rather than read outside it.
func TestAsmRowsOutOfRange(t *testing.T) {
	for _, v := range asmVariants(t) {
		k := v.k32
		E := 4 * k.vec
		buf := make([]float32, 4*E)
		w, y := []float32{1, 1, 1}, make([]float32, E)
		for _, bad := range []int32{-1, int32(-E), int32(3*E + 1), int32(4 * E)} {
			off := []int32{0, bad, int32(E)}
			for _, f := range []struct {
				name string
				run  func(acc []float32)
			}{
				{"rowW", func(acc []float32) { k.rowW(acc, w, buf, off, 0) }},
				{"rowWD", func(acc []float32) { k.rowWD(acc, w, buf, off, 0, y) }},
				{"rowWW", func(acc []float32) { k.rowWW(acc, make([]float32, E), w, w, buf, off, 0) }},
			} {
				for _, rows := range []bool{true, false} {
					panicked := func() (p bool) {
						defer func() { p = recover() != nil }()
						withAsm(rows, true, func() { f.run(make([]float32, E)) })
						return false
					}()
					if !panicked {
						t.Errorf("%s %s with offset %d (assembly %v): no panic", v.name, f.name, bad, rows)
					}
				}
			}
		}
	}
}

// BenchmarkRowSums times, with the best kernel set, one step's diffusive sums of a Hopf-like block (rowWD over 80 targets and
// 80 sources, 64 float32 members, a ring of 2 x 120 columns per node, random delays): the
// compiled archsimd loop, the assembly one, and the assembly one prefetching pfAhead sources
// ahead. ns/node-step is per target and member.
func BenchmarkRowSums(b *testing.B) {
	k := asmVariants(b)[0].k32
	const N, E, h = 80, 64, 120
	stride := 2 * h * E
	buf := make([]float32, N*stride)
	for l := range buf {
		buf[l] = float32(l%97) * 0.01
	}
	r := rand.New(rand.NewPCG(1, 2))
	off := make([]int32, N*N)
	for l := range off {
		off[l] = int32((l%N)*stride - r.IntN(h)*E)
	}
	w, y, acc := make([]float32, N*N), make([]float32, N*E), make([]float32, N*E)
	for l := range w {
		w[l] = 0.01
	}
	for _, c := range []struct {
		name     string
		rows, pf bool
	}{{"archsimd", false, false}, {"asm", true, false}, {"asm-prefetch", true, true}} {
		b.Run(c.name, func(b *testing.B) {
			withAsm(c.rows, c.pf, func() {
				col := h - 1
				for b.Loop() {
					newest := col * E
					for i := range N {
						k.rowWD(acc[i*E:(i+1)*E], w[i*N:(i+1)*N], buf, off[i*N:(i+1)*N], newest, y[i*E:(i+1)*E])
					}
					if col++; col == 2*h-1 {
						col = h - 1
					}
				}
			})
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*N*E), "ns/node-step")
		})
	}
}
