//go:build cgo

package gpu_test

import (
	"math"
	"os"
	"strings"
	"testing"

	"github.com/neuromass/neuromass/bold"
	"github.com/neuromass/neuromass/cpu"
	"github.com/neuromass/neuromass/engine"
	"github.com/neuromass/neuromass/engine/enginetest"
	"github.com/neuromass/neuromass/gpu"
)

// simulate runs the suite's spec of (model, N, E), changed by edit, on backend b.
func simulate(t *testing.T, b engine.Backend, model string, N, E int, dur float64, edit func(*engine.Spec)) (*engine.Result, [][]float64) {
	t.Helper()
	return simulateP(t, b, model, N, E, dur, engine.F32, edit)
}

// simulateP is simulate at a precision.
func simulateP(t *testing.T, b engine.Backend, model string, N, E int, dur float64, prec engine.Precision, edit func(*engine.Spec)) (*engine.Result, [][]float64) {
	t.Helper()
	m, err := enginetest.Model(model)
	if err != nil {
		t.Fatal(err)
	}
	spec, err := enginetest.Spec(m, N, E, dur, 0.1, prec)
	if err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		edit(&spec)
	}
	sim, err := engine.New(spec, b)
	if err != nil {
		t.Fatalf("%s: %v", b.Name(), err)
	}
	defer sim.Close()
	res, err := sim.Run()
	if err != nil {
		t.Fatalf("%s: %v", b.Name(), err)
	}
	return res, sim.State()
}

// sameBits fails unless got and want hold the same float64 bits (float32 values, widened).
func sameBits(t *testing.T, what string, got, want *engine.Result, gotState, wantState [][]float64) {
	t.Helper()
	if len(got.Series) != len(want.Series) {
		t.Fatalf("%s: %d series, want %d", what, len(got.Series), len(want.Series))
	}
	check := func(name string, g, w []float64) {
		if len(g) != len(w) {
			t.Fatalf("%s: %s has %d values, want %d", what, name, len(g), len(w))
		}
		for i := range g {
			// every NaN is one value: GLSL promises no NaN payload (NVIDIA's differ from Go's)
			if math.Float64bits(g[i]) != math.Float64bits(w[i]) && !(math.IsNaN(g[i]) && math.IsNaN(w[i])) {
				t.Fatalf("%s: %s[%d] = %v, want %v (same bits)", what, name, i, g[i], w[i])
			}
		}
	}
	for k := range got.Series {
		check(got.Series[k].Name, got.Series[k].Data, want.Series[k].Data)
	}
	for k := range gotState {
		check("final state", gotState[k], wantState[k])
	}
}

// TestLayoutVariants: splitting an ensemble into parts (a small storage block limit), dispatches
// into several (a small work group count), the rings in shared memory or in the storage buffer,
// odd members per workgroup, few steps per dispatch (chunked read-back across sample boundaries)
// and a chunked run change no bit of the result.
func TestLayoutVariants(t *testing.T) {
	b := needGL(t)
	sampled := func(s *engine.Spec) { s.SamplingDt = 0.3 }
	for _, model := range []string{"hopf", "aln"} {
		want, wantState := simulate(t, b, model, 3, 33, 5, sampled)
		cases := []struct {
			name  string
			opt   gpu.Options
			parts int // expected at least
			edit  func(*engine.Spec)
		}{
			{"parts", gpu.Options{Limits: &gpu.Limits{MaxBlock: 8 << 10}, SharedHistory: -1}, 2, sampled},
			{"group count", gpu.Options{Limits: &gpu.Limits{MaxGroupsX: 2}, MembersPerGroup: 4}, 1, sampled},
			{"shared", gpu.Options{SharedHistory: 1, MembersPerGroup: 2}, 1, sampled},
			{"global", gpu.Options{SharedHistory: -1, MembersPerGroup: 5}, 1, sampled},
			{"steps per dispatch", gpu.Options{StepsPerDispatch: 7}, 1, sampled},
			{"chunked", gpu.Options{StepsPerDispatch: 4}, 1, func(s *engine.Spec) { sampled(s); s.Chunk = 1.2 }},
		}
		for _, tc := range cases {
			if model == "aln" && tc.name == "parts" {
				continue // ALN's tables alone (351 KiB) exceed a block small enough to split 33 members
			}
			t.Run(model+"/"+tc.name, func(t *testing.T) {
				gpu.WithOptionsForTest(b, tc.opt, func() {
					got, gotState := simulate(t, b, model, 3, 33, 5, tc.edit)
					parts, _, perGroup, shared := gpu.LastLayoutForTest(b)
					if parts < tc.parts {
						t.Errorf("%d parts, want at least %d", parts, tc.parts)
					}
					if tc.opt.SharedHistory != 0 && shared != (tc.opt.SharedHistory > 0) {
						t.Errorf("shared = %v with SharedHistory %d", shared, tc.opt.SharedHistory)
					}
					if tc.opt.MembersPerGroup > 0 && perGroup > tc.opt.MembersPerGroup {
						t.Errorf("%d members per group, asked for %d", perGroup, tc.opt.MembersPerGroup)
					}
					sameBits(t, tc.name, got, want, gotState, wantState)
				})
			})
		}
	}
}

// TestProgramCache: ensembles of one shape compile once.
func TestProgramCache(t *testing.T) {
	b := needGL(t)
	simulate(t, b, "fhn", 3, 5, 1, nil)
	n := b.CachedPrograms()
	simulate(t, b, "fhn", 3, 5, 1, func(s *engine.Spec) { s.Seed = 7 })
	if b.CachedPrograms() != n {
		t.Errorf("a second ensemble of the same shape compiled again: %d programs, was %d", b.CachedPrograms(), n)
	}
}

// TestDivergence: a member that blows up is reported where the CPU float32 backend reports it
// (member, node, step, state), and the other members run on unaffected.
func TestDivergence(t *testing.T) {
	b := needGL(t)
	blowUp := func(s *engine.Spec) {
		// Hopf with a growth rate a = 5 per member 2 only: x grows like exp(a t) until it overflows
		v := []float64{-0.25, -0.25, 80, -0.25, -0.25}
		s.Params["a"] = v
		s.Duration = 40
	}
	got, _ := simulate(t, b, "hopf", 3, 5, 40, blowUp)
	want, _ := simulate(t, cpu.New(), "hopf", 3, 5, 40, blowUp)
	if len(want.Diverged) == 0 {
		t.Fatal("the CPU reference did not diverge: the test's parameters no longer blow up")
	}
	if len(got.Diverged) != len(want.Diverged) {
		t.Fatalf("%d members diverged, the CPU %d: %v vs %v", len(got.Diverged), len(want.Diverged), got.Diverged, want.Diverged)
	}
	for i, g := range got.Diverged {
		w := want.Diverged[i]
		if g.Member != w.Member || g.Node != w.Node || g.Step != w.Step || g.State != w.State ||
			math.Float64bits(g.Value) != math.Float64bits(w.Value) && !(math.IsNaN(g.Value) && math.IsNaN(w.Value)) {
			t.Errorf("divergence %+v, the CPU %+v", *g, *w)
		}
	}
}

// TestRefusals: what the backend cannot do is an error that says so, never a silent substitute.
func TestRefusals(t *testing.T) {
	b := needGL(t)
	m, err := enginetest.Model("hopf")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		edit func(*engine.Spec)
		want string
	}{
		{"f64", func(s *engine.Spec) { s.Precision = engine.F64 }, "precision f64 is not supported"},
		{"compat", func(s *engine.Spec) { s.Mode = engine.Compat; s.MemberSeeds = nil }, "compat mode is not supported"},
	} {
		spec, err := enginetest.Spec(m, 3, 5, 1, 0.1, engine.F32)
		if err != nil {
			t.Fatal(err)
		}
		tc.edit(&spec)
		sim, err := engine.New(spec, b)
		if err == nil {
			sim.Close()
			t.Errorf("%s: no error", tc.name)
			continue
		}
		if !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %q does not say %q", tc.name, err, tc.want)
		}
	}
}

// TestMemoryLimit: an ensemble larger than the device memory is a clear error.
func TestMemoryLimit(t *testing.T) {
	b := needGL(t)
	m, err := enginetest.Model("hopf")
	if err != nil {
		t.Fatal(err)
	}
	spec, err := enginetest.Spec(m, 80, 1024, 1, 0.1, engine.F32)
	if err != nil {
		t.Fatal(err)
	}
	gpu.WithOptionsForTest(b, gpu.Options{MemoryLimit: 1 << 20}, func() {
		sim, err := engine.New(spec, b)
		if err == nil {
			sim.Close()
			t.Fatal("an ensemble above the memory limit was accepted")
		}
		for _, want := range []string{"MiB of device memory", "1024 members x 80 nodes", "fewer members"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("error %q does not say %q", err, want)
			}
		}
	})
}

// TestCompileError: a shader that does not compile is reported with the driver's log and the
// generated source lines around the line it names.
func TestCompileError(t *testing.T) {
	b := needGL(t)
	src := "#version 430\nlayout(local_size_x = 1) in;\nvoid main() {\n\tfloat x = 1.0;\n\tx = undefined_thing + x;\n}\n"
	err := gpu.CompileForTest(b, src)
	if err == nil {
		t.Fatal("a broken shader compiled")
	}
	for _, want := range []string{"does not compile", "undefined_thing", "generated source around line 5", ">     5  \tx = undefined_thing + x;"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not say %q:\n%v", want, err)
		}
	}
}

// TestProviders: an unknown provider, and GLFW without a display, are errors that say why.
func TestProviders(t *testing.T) {
	needGL(t)
	if _, err := gpu.New(gpu.Options{Provider: "vulkan"}); err == nil || !strings.Contains(err.Error(), `unknown GL provider "vulkan"`) {
		t.Errorf("provider vulkan: %v", err)
	}
	t.Setenv("DISPLAY", "")
	// without DISPLAY, or in a binary built with -tags noglfw
	if _, err := gpu.New(gpu.Options{Provider: "glfw"}); err == nil || !strings.Contains(err.Error(), "DISPLAY") && !strings.Contains(err.Error(), "compiled out") {
		t.Errorf("glfw without DISPLAY: %v", err)
	}
}

// TestOldGL: a driver without OpenGL 4.3 is refused with the reason (Mesa told to offer 3.3).
func TestOldGL(t *testing.T) {
	in := needGL(t).Info()
	if !strings.Contains(in.Version, "Mesa") {
		t.Skip("MESA_GL_VERSION_OVERRIDE only works on Mesa; the renderer is", in.Renderer)
	}
	t.Setenv("MESA_GL_VERSION_OVERRIDE", "3.3")
	t.Setenv("MESA_GLSL_VERSION_OVERRIDE", "330")
	b, err := gpu.New(gpu.Options{Provider: "egl-surfaceless"})
	if err == nil {
		b.Close()
		t.Fatal("an OpenGL 3.3 driver was accepted")
	}
	if !strings.Contains(err.Error(), "4.3") {
		t.Errorf("error %q does not name OpenGL 4.3", err)
	}
}

// TestInfo: the GL strings and limits are read from the context.
func TestInfo(t *testing.T) {
	in := needGL(t).Info()
	if in.Vendor == "" || in.Renderer == "" || in.Version == "" || in.GLSL == "" {
		t.Errorf("GL strings missing: %+v", in)
	}
	if l := in.Limits; l.MaxBlock < 1<<24 || l.MaxShared < 16<<10 || l.MaxInvocations < 1024 || l.MaxGroupsX < 65535 {
		t.Errorf("limits below OpenGL 4.3's minimums: %+v", l)
	}
	if os.Getenv("NEUROMASS_GL_PROVIDER") == "" && in.Provider == "" {
		t.Error("no provider recorded")
	}
}

// TestLongCall: a call of 25000 steps on one node (beyond llvmpipe's 65535 iterations of a
// shader loop, which ended such dispatches early and silently: see stepsPerDispatch) and of
// 3000 steps on 80 nodes equal the CPU float32 run bit for bit (on 80 nodes of the suite's
// network, whose weights are not normalised, Hopf overflows to NaN within the run: NaN equals NaN).
func TestLongCall(t *testing.T) {
	b := needGL(t)
	for _, c := range []struct {
		N, E int
		dur  float64
	}{{1, 1, 2500}, {80, 3, 300}} {
		one := func(s *engine.Spec) { s.SamplingDt = 0.5 }
		got, gotState := simulate(t, b, "hopf", c.N, c.E, c.dur, one)
		want, wantState := simulate(t, cpu.New(), "hopf", c.N, c.E, c.dur, one)
		sameBits(t, "long call", got, want, gotState, wantState)
	}
}

// series returns the named series of a result.
func series(t *testing.T, r *engine.Result, name string) *engine.Series {
	t.Helper()
	for i := range r.Series {
		if r.Series[i].Name == name {
			return &r.Series[i]
		}
	}
	t.Fatalf("no series %s", name)
	return nil
}

// TestBold: BOLD on the device is bold.Stepper32 (float32 deviations) fed by the model's BOLD
// input, the same whatever the chunking; against the CPU's float64 BOLD on the same float32 run it
// differs by the float32 formulation's rounding.
func TestBold(t *testing.T) {
	b := needGL(t)
	withBold := func(s *engine.Spec) {
		s.Bold = &engine.BoldSpec{TR: 50}
		s.Record = []string{"x"}
	}
	const N, E, dur = 3, 5, 1000.0
	got, _ := simulate(t, b, "hopf", N, E, dur, withBold)
	gb, gx := series(t, got, "BOLD"), series(t, got, "x")
	if gb.Samples != int(dur/50) {
		t.Fatalf("%d BOLD samples, want %d", gb.Samples, int(dur/50))
	}

	// Stepper32 in Go on the GPU's own input, hopf's bold = 4 * (x + 1) in float32
	p, err := bold.NewStepper32(bold.Default(), 0.1e-3)
	if err != nil {
		t.Fatal(err)
	}
	st := bold.NewState32(N*E, bold.Rest)
	z := make([]float32, N*E)
	sig := make([]float32, N*E)
	every := gx.Samples / gb.Samples
	worst, scale := 0.0, 0.0
	for k := range gx.Samples {
		for mn := range N * E {
			z[mn] = 4 * (float32(gx.Data[mn*gx.Samples+k]) + 1)
		}
		p.Step(st, z)
		if (k+1)%every == 0 {
			p.Signal(sig, st)
			smp := (k+1)/every - 1
			for mn := range N * E {
				g := gb.Data[mn*gb.Samples+smp]
				worst = max(worst, math.Abs(g-float64(sig[mn])))
				scale = max(scale, math.Abs(float64(sig[mn])))
			}
		}
	}
	// GLSL's pow against Go's (float64 pow rounded) differs by a few ULP per step in q and v; the
	// state integrates them. Measured on llvmpipe: 7.8e-7 of the scale over 1 s; 1e-4 leaves room
	// for a GPU's pow, which is further from Go's.
	t.Logf("BOLD against Go's Stepper32 on the same input: worst %.3g of the scale %.3g", worst/scale, scale)
	if worst > 1e-4*scale || scale == 0 || math.IsNaN(worst) {
		t.Errorf("BOLD differs from Stepper32 by %.3g of the scale %.3g (tolerance 1e-4: pow's ULPs)", worst/scale, scale)
	}

	// the CPU backend's BOLD (float64 Balloon-Windkessel on the same float32 run)
	want, _ := simulate(t, cpu.New(), "hopf", N, E, dur, withBold)
	wb := series(t, want, "BOLD")
	worst, scale = 0, 0
	for i, w := range wb.Data {
		worst = max(worst, math.Abs(gb.Data[i]-w))
		scale = max(scale, math.Abs(w))
	}
	t.Logf("BOLD against the CPU's float64 BOLD: worst %.3g of the scale %.3g", worst/scale, scale)
	// measured on llvmpipe: 2.7e-6 (bold's float32 deviations keep the increments whole)
	if worst > 1e-4*scale || math.IsNaN(worst) {
		t.Errorf("BOLD differs from the CPU's by %.3g of the scale (tolerance 1e-4: float32 deviations against float64)", worst/scale)
	}

	// chunked: the BOLD state persists across calls
	chunked, _ := simulate(t, b, "hopf", N, E, dur, func(s *engine.Spec) { withBold(s); s.Chunk = 100 })
	cb := series(t, chunked, "BOLD")
	for i := range cb.Data {
		if math.Float64bits(cb.Data[i]) != math.Float64bits(gb.Data[i]) {
			t.Fatalf("chunked BOLD sample %d = %v, unchunked %v", i, cb.Data[i], gb.Data[i])
		}
	}
}
