package cpu_test

import (
	"testing"

	"github.com/neuromass/neuromass/cpu"
	"github.com/neuromass/neuromass/engine"
	"github.com/neuromass/neuromass/engine/eqn"
	"github.com/neuromass/neuromass/internal/testref"
	"github.com/neuromass/neuromass/models"
)

// benchStep times the CPU backend's steps on an 80-node all-to-all network with delays of up to
// 100 steps, one member: ns per step and node-steps/s (the engine-level benchmarks on the gw
// connectome are in bench/).
func benchStep(b *testing.B, model string, E int) {
	m, err := models.Compile(model, eqn.Options{})
	if err != nil {
		b.Fatal(err)
	}
	const N = 80
	w, l := make([]float64, N*N), make([]float64, N*N)
	for i := range N {
		for j := range N {
			w[i*N+j] = 0.01 * float64((i*31+j*17)%7)
			l[i*N+j] = float64((i*13 + j*29) % 200)
		}
	}
	spec := engine.Spec{Model: m, Network: engine.Network{N: N, Weights: w, Lengths: l}, Members: E,
		Duration: 100, SamplingDt: 1, Mode: engine.Compat}
	if len(m.Tables) > 0 {
		spec.Tables = testref.ALNTables(b)
	}
	sim, err := engine.New(spec, cpu.New())
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	steps := 0
	for b.Loop() {
		res, err := sim.Run()
		if err != nil {
			b.Fatal(err)
		}
		steps += res.Steps
	}
	b.ReportMetric(b.Elapsed().Seconds()*1e6/float64(steps), "us/step")
	b.ReportMetric(float64(N*E*steps)/b.Elapsed().Seconds(), "node-steps/s")
}

func BenchmarkStepALN(b *testing.B)     { benchStep(b, "aln", 1) }
func BenchmarkStepHopf(b *testing.B)    { benchStep(b, "hopf", 1) }
func BenchmarkStepALNx64(b *testing.B)  { benchStep(b, "aln", 64) }
func BenchmarkStepHopfx64(b *testing.B) { benchStep(b, "hopf", 64) }
func BenchmarkStepWC(b *testing.B)      { benchStep(b, "wc", 1) }
