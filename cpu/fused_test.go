package cpu_test

import (
	"math"
	"testing"

	"github.com/neuromass/neuromass/cpu"
	"github.com/neuromass/neuromass/engine"
	"github.com/neuromass/neuromass/engine/eqn"
)

// TestFusedEqualsGeneric runs models whose coupling sums take each path of the CPU backend (the
// fused W*g, W*(g - y) and W*f(g - y) loops of a single member and of ensembles, and the generic
// per-pair evaluation) and checks that single-member runs and every member of a three-member
// ensemble (with a member-dependent weight) equal the generic evaluation bit for bit, over a
// network with distinct delays.
func TestFusedEqualsGeneric(t *testing.T) {
	const head = `model m
param k = 0.3
state x
state y
init x = uniform(-1, 1)
init y = uniform(-1, 1)
`
	cases := map[string]string{
		"weighted, two sums sharing g": head + `coupling a = sum_j(k * C_ij * (x[j] * 0.5))
coupling b = sum_j(C_ij * C_ij * (x[j] * 0.5))
d x/dt = -x + a - b + 0.1 * y
d y/dt = -y + x
output x
`,
		"diffusive": head + `coupling a = sum_j(k * C_ij * (x[j] - x))
d x/dt = -x + a + y
d y/dt = -0.5 * y - x
output x
`,
		"diffusive with sin": head + `coupling a = sum_j(k * C_ij * sin(x[j] - x))
d x/dt = 1 + a
d y/dt = -y
output x
`,
		"generic (product with the local value)": head + `coupling a = sum_j(C_ij * x[j] * y)
d x/dt = -x + a
d y/dt = -y + 0.2 * x
output x
`,
		"generic (two remote states)": head + `coupling a = sum_j(C_ij * (x[j] - y[j]))
d x/dt = -x + a
d y/dt = -y + x
output x
`,
	}
	N := 5
	w := make([]float64, N*N)
	l := make([]float64, N*N)
	for i := range N {
		for j := range N {
			w[i*N+j] = 0.1 + 0.05*float64((i*7+j*3)%5)
			l[i*N+j] = float64(10 + 13*((i+2*j)%6)) // mm: delays of 5 to 37.5 steps at 20 mm/ms, dt 0.1
		}
	}
	for name, src := range cases {
		t.Run(name, func(t *testing.T) {
			m, err := eqn.Compile("test.nm", src, eqn.Options{})
			if err != nil {
				t.Fatal(err)
			}
			run := func(E int, generic bool) *engine.Result {
				cpu.ForceGeneric(generic)
				defer cpu.ForceGeneric(false)
				spec := engine.Spec{Model: m, Network: engine.Network{N: N, Weights: w, Lengths: l}, Members: E,
					Duration: 50, Mode: engine.Compat, Seed: 7}
				if E > 1 {
					spec.Params = map[string][]float64{"k": []float64{0.3, 0.5, 0.2}[:E]}
				}
				res, _ := simulateDiverging(t, spec)
				return res
			}
			same := func(what string, a, b *engine.Result, ma, mb int) {
				t.Helper()
				xa, _ := a.Output("x")
				xb, _ := b.Output("x")
				for n := range N {
					x1, x2 := xa.Node(ma, n), xb.Node(mb, n)
					for k := range x1 {
						if math.Float64bits(x1[k]) != math.Float64bits(x2[k]) {
							t.Fatalf("%s: node %d sample %d: %v, generic %v", what, n, k, x1[k], x2[k])
						}
					}
					if math.IsNaN(x1[len(x1)-1]) {
						t.Fatalf("%s: node %d diverged", what, n)
					}
				}
			}
			same("one member", run(1, false), run(1, true), 0, 0)
			ens, gen := run(3, false), run(3, true)
			for m := range 3 {
				same("ensemble member", ens, gen, m, m)
			}
		})
	}
}
