package cpu

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/neuromass/neuromass/engine/eqn"
	"github.com/neuromass/neuromass/internal/testref"
)

// BenchmarkLookup times ALN's lookups in float32 and float64, ns per lane: a placement, and the
// interpolation of three tables at it (r_ss, tau_mu_exp, V_mean_ss, as ALN's excitatory point
// does), over 1024 lanes in one call and over 16 lanes a call (as fused step code calls them),
// for every variant, and for the SIMD variants also without their lookup kernels
// ("-axis-scalar": the vector axis kernel and the clamping per lane, the plain-Go sums).
func BenchmarkLookup(b *testing.B) {
	aln := testref.ALNTables(b)
	for _, v := range variants {
		type kv struct {
			name string
			k32  *kernels[float32]
			k64  *kernels[float64]
		}
		ks := []kv{{v.name, v.k32, v.k64}}
		if v.k32.place != nil || v.k32.interp != nil {
			a32, a64 := *v.k32, *v.k64
			a32.place, a32.interp, a64.place, a64.interp = nil, nil, nil, nil
			ks = append(ks, kv{v.name + "-axis-scalar", &a32, &a64})
		}
		for _, k := range ks {
			for _, n := range []int{1024, 16} {
				for _, sp := range []float64{1, 0.02} {
					b.Run(fmt.Sprintf("%s/f32/n%d/spread%g", k.name, n, sp), func(b *testing.B) { benchLookup(b, k.k32, aln, n, sp) })
					b.Run(fmt.Sprintf("%s/f64/n%d/spread%g", k.name, n, sp), func(b *testing.B) { benchLookup(b, k.k64, aln, n, sp) })
				}
			}
		}
	}
}

// benchLookup spreads the points over a fraction of the grid (and a little beyond either end):
// over all of it (1), the corners come from L2 rather than L1; over 2%, from L1.
func benchLookup[F float](b *testing.B, k *kernels[F], aln map[string]*eqn.TableData, n int, spread float64) {
	const L = 1024
	r := rand.New(rand.NewPCG(3, 4))
	g := aln["r_ss"]
	y, x := make([]F, L), make([]F, L)
	for l := range L {
		// ALN's arguments: mostly on the grid, some beyond it
		y[l] = F(g.Row.First + (g.Last[0]-g.Row.First)*spread*(r.Float64()*1.1-0.05))
		x[l] = F(g.Col.First + (g.Last[1]-g.Col.First)*spread*(r.Float64()*1.1-0.05))
	}
	t0, t1, t2 := newTable[F](g), newTable[F](aln["tau_mu_exp"]), newTable[F](aln["V_mean_ss"])
	d0, d1, d2 := make([]F, L), make([]F, L), make([]F, L)
	more := []fusedLookup[F]{{t: t1, d: d1}, {t: t2, d: d2}}
	p := newTablePos[F](L)
	b.Run("place", func(b *testing.B) {
		for b.Loop() {
			for lo := 0; lo < L; lo += n {
				p.place(k, t0, y[lo:lo+n], x[lo:lo+n], lo, n)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*L), "ns/lane")
	})
	p.place(k, t0, y, x, 0, L)
	b.Run("interp3", func(b *testing.B) {
		for b.Loop() {
			for lo := 0; lo < L; lo += n {
				p.interp(t0, d0[lo:lo+n], more, lo)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*L), "ns/lane")
	})
}
