package bench

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/neuromass/neuromass/engine"
	"github.com/neuromass/neuromass/engine/eqn"
	"github.com/neuromass/neuromass/gpu"
	"github.com/neuromass/neuromass/models"
	"github.com/neuromass/neuromass/models/alntable"
)

// openGPU opens the GPU backend, or skips (fails with NEUROMASS_REQUIRE_GPU=1) without one.
func openGPU(b *testing.B) *gpu.Backend {
	be, err := gpu.New(gpu.Options{})
	if err != nil {
		if os.Getenv("NEUROMASS_REQUIRE_GPU") == "1" {
			b.Fatal(err)
		}
		b.Skip(err)
	}
	return be
}

// BenchmarkGPU integrates ALN and Hopf on the gw connectome for 1 s (10000 steps of 0.1 ms),
// float32, default mode with noise on, as ensembles of 1024 and 16384 members (each member its own
// mue_ext_mean or K_gl), recording the default output every 10 ms. It reports node-steps/s
// (nodes x steps x members / wall seconds of Run) and logs GL_VENDOR, GL_RENDERER and GL_VERSION.
//
// On a software renderer (Mesa llvmpipe) the full sizes are skipped: llvmpipe is a correctness
// backend and its timings are never GPU timings. -short runs small ensembles for 5 ms (what CI runs
// on llvmpipe, so that the benchmark cannot rot), and says "software renderer, not a GPU".
func BenchmarkGPU(b *testing.B) {
	be := openGPU(b)
	defer be.Close()
	in := be.Info()
	kind := "GPU"
	if in.Software {
		kind = "software renderer, not a GPU: no GPU timing"
	}
	b.Logf("device: %s; GL_VENDOR=%s GL_RENDERER=%s GL_VERSION=%s (%s)", in.Provider, in.Vendor, in.Renderer, in.Version, kind)
	sizes, dur := []int{1024, 16384}, 1000.0
	if testing.Short() {
		sizes, dur = []int{16, 64}, 5
	} else if in.Software && os.Getenv("NEUROMASS_BENCH_SOFTWARE") != "1" {
		b.Skipf("%s is a software renderer: the full GPU benchmark needs a GPU (-short checks it; NEUROMASS_BENCH_SOFTWARE=1 runs it anyway)", in.Renderer)
	}
	net := gw(b)
	for _, model := range []string{"aln", "hopf"} {
		for _, E := range sizes {
			b.Run(fmt.Sprintf("%s/gw/E%d", model, E), func(b *testing.B) {
				spec := gpuSpec(b, model, net, E, dur)
				warmUp(b, spec, be)
				sec, steps := timeBackend(b, spec, be)
				ns := float64(net.N*E*steps) / sec
				b.ReportMetric(ns, "node-steps/s")
				b.ReportMetric(sec, "s/run")
				b.Logf("%s gw, %d members, %g ms: %.3g s, %.3g node-steps/s on %s (%s)", model, E, dur, sec, ns, in.Renderer, kind)
			})
		}
	}
}

func gpuSpec(b *testing.B, model string, net engine.Network, E int, dur float64) engine.Spec {
	m, err := models.Compile(model, eqn.Options{})
	if err != nil {
		b.Fatal(err)
	}
	spec := engine.Spec{Model: m, Network: net, Members: E, Dt: 0.1, Duration: dur, SamplingDt: min(10, dur),
		Precision: engine.F32, Seed: 42, Params: map[string][]float64{}, Record: []string{m.Outputs[m.DefaultOutput()].Name}}
	vary := "K_gl"
	if len(m.Tables) > 0 {
		t, err := alntable.Default()
		if err != nil {
			b.Fatal(err)
		}
		spec.Tables = t.Data()
		vary = "mue_ext_mean"
	}
	if i := m.Param("sigma_ou"); i >= 0 {
		spec.Params["sigma_ou"] = []float64{0.05}
	}
	if i := m.Param(vary); i >= 0 {
		v := make([]float64, E)
		for k := range v {
			v[k] = m.Params[i].Default * (0.5 + float64(k)/float64(E))
		}
		spec.Params[vary] = v
	}
	return spec
}

// warmUp runs 1 ms of the spec once, so that the timed run finds its program compiled (the cache
// is keyed by the shader source, which the duration is not part of) and the driver's first-dispatch
// work (llvmpipe compiles there) done.
func warmUp(b *testing.B, spec engine.Spec, be engine.Backend) {
	spec.Duration, spec.SamplingDt = 1, 0
	sim, err := engine.New(spec, be)
	if err != nil {
		b.Fatal(err)
	}
	defer sim.Close()
	if _, err := sim.Run(); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkGPUGroups is BenchmarkGPU's 16384-member runs with the members per workgroup fixed to
// each value of NEUROMASS_GPU_GROUPS (a comma-separated list, e.g. "4,8,16,32"; unset: skipped),
// to see how the layout moves the speed on a real GPU.
func BenchmarkGPUGroups(b *testing.B) {
	list := os.Getenv("NEUROMASS_GPU_GROUPS")
	if list == "" {
		b.Skip("NEUROMASS_GPU_GROUPS is unset (e.g. 4,8,16,32)")
	}
	net := gw(b)
	for _, f := range strings.Split(list, ",") {
		g, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || g < 1 {
			b.Fatalf("NEUROMASS_GPU_GROUPS: %q is not a positive whole number", f)
		}
		be, err := gpu.New(gpu.Options{MembersPerGroup: g})
		if err != nil {
			b.Fatal(err)
		}
		for _, model := range []string{"aln", "hopf"} {
			b.Run(fmt.Sprintf("%s/gw/E16384/B%d", model, g), func(b *testing.B) {
				spec := gpuSpec(b, model, net, 16384, 1000)
				warmUp(b, spec, be)
				sec, steps := timeBackend(b, spec, be)
				ns := float64(net.N*16384*steps) / sec
				b.ReportMetric(ns, "node-steps/s")
				b.Logf("%s gw, 16384 members, %d per workgroup: %.3g s, %.3g node-steps/s on %s", model, g, sec, ns, be.Info().Renderer)
			})
		}
		be.Close()
	}
}
