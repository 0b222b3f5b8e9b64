package cpu_test

import (
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/neuromass/neuromass/cpu"
	"github.com/neuromass/neuromass/engine"
	"github.com/neuromass/neuromass/models"
)

// TestFusedKernelsMatchInterpreter runs every built-in model that has a generated fused kernel
// (GOEXPERIMENT=simd on amd64; none otherwise) with the kernel and interpreted, on every SIMD
// variant, in float64 and float32, default and compat mode, with inputs, noise and BOLD, as one
// member and as ensembles whose lanes are whole vectors (16, 64 members, 64 in blocks of 16; 3
// members over 32 nodes), ensembles run in chunks of whole vectors (16 members 2 nodes a chunk, 64
// in blocks of 16 one node a chunk: the kernels' scratch is indexed from a chunk's first lane) and
// in chunks that are not (5 members, 3 nodes a chunk: those ranges run interpreted), and checks
// that every recorded value, BOLD sample and final state has the same bits. BOLD runs the whole
// step at once, so the chunked cases run without it.
func TestFusedKernelsMatchInterpreter(t *testing.T) {
	fused := cpu.FusedModels()
	if len(fused) == 0 {
		t.Skip("no fused kernels in this build (GOEXPERIMENT=simd on amd64 has them)")
	}
	for _, name := range models.Names() {
		if !slices.Contains(fused, name) {
			t.Errorf("%s: no fused kernel", name)
		}
	}
	defer cpu.SetFused(cpu.SetFused(true))
	for _, v := range cpu.Variants() {
		if v == "generic" {
			continue // no fused kernels with the plain-Go kernels
		}
		be, err := cpu.ForVariant(v)
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range fused {
			for _, c := range []struct {
				E, N, chunk, block int
			}{{1, 32, 0, 0}, {16, 6, 0, 0}, {64, 5, 0, 0}, {64, 5, 0, 16}, {3, 32, 0, 0}, {5, 9, 3, 0}, {16, 6, 2, 0}, {64, 5, 1, 16}} {
				for _, mode := range []engine.Mode{engine.Default, engine.Compat} {
					for _, prec := range []engine.Precision{engine.F64, engine.F32} {
						if mode == engine.Compat && prec == engine.F32 {
							continue
						}
						what := fmt.Sprintf("%s/%s/E%d/N%d/chunk%d/block%d/%v/%v", v, name, c.E, c.N, c.chunk, c.block, mode, prec)
						t.Run(what, func(t *testing.T) {
							if c.block > 0 {
								defer cpu.SetBlockSize(cpu.BlockSize())
								cpu.SetBlockSize(c.block)
							}
							fusedVsInterpreted(t, be, name, c.E, c.N, c.chunk, mode, prec)
						})
					}
				}
			}
		}
	}
}

func fusedVsInterpreted(t *testing.T, be engine.Backend, name string, E, N, chunk int, mode engine.Mode, prec engine.Precision) {
	spec := baseSpec(t, name, mode)
	spec.Network = randomNet(N, 3)
	spec.Members, spec.Precision, spec.Duration, spec.Dt = E, prec, 40, 0.1
	if chunk == 0 {
		spec.Bold = &engine.BoldSpec{TR: 10}
	}
	spec.Params = map[string][]float64{}
	m := spec.Model
	for _, p := range m.Params {
		if p.Name == "sigma_ou" {
			spec.Params[p.Name] = []float64{0.05}
		}
	}
	// members that differ: the first parameter of the model varied a little per member
	if E > 1 && len(m.Params) > 0 {
		p := m.Params[0]
		vals := make([]float64, E)
		for k := range vals {
			vals[k] = p.Default * (1 + 0.01*float64(k))
		}
		spec.Params[p.Name] = vals
	}
	steps := int(spec.Duration / spec.Dt)
	spec.Inputs = map[string]engine.InputArray{}
	for k, in := range m.Inputs {
		u := make([]float64, steps)
		for s := range u {
			u[s] = in.Default + 0.1*math.Sin(float64(s*(k+1))*0.05)
		}
		spec.Inputs[in.Name] = engine.SeriesInput(u)
	}
	run := func(on bool) (*engine.Result, [][]float64) {
		defer cpu.SetFused(cpu.SetFused(on))
		defer cpu.SetChunkNodes(cpu.SetChunkNodes(chunk))
		built := cpu.FusedBuilt()
		sim, err := engine.New(spec, be)
		if err != nil {
			t.Fatal(err)
		}
		defer sim.Close()
		if on && cpu.FusedBuilt() == built {
			t.Fatalf("no fused kernel built")
		}
		res, err := sim.Run()
		if err != nil {
			t.Fatal(err)
		}
		return res, sim.State()
	}
	want, wantState := run(false)
	got, gotState := run(true)
	same := func(x, y float64) bool {
		return math.Float64bits(x) == math.Float64bits(y) || x != x && y != y
	}
	if len(got.Series) != len(want.Series) {
		t.Fatalf("%d series, interpreted %d", len(got.Series), len(want.Series))
	}
	for i := range want.Series {
		g, w := got.Series[i], want.Series[i]
		if len(g.Data) != len(w.Data) || len(g.Data) == 0 {
			t.Fatalf("%s: %d values, interpreted %d", w.Name, len(g.Data), len(w.Data))
		}
		for k := range w.Data {
			if !same(g.Data[k], w.Data[k]) {
				t.Fatalf("%s value %d: fused %v, interpreted %v", w.Name, k, g.Data[k], w.Data[k])
			}
		}
	}
	for i := range wantState {
		for l := range wantState[i] {
			if !same(gotState[i][l], wantState[i][l]) {
				t.Fatalf("state %d lane %d: fused %v, interpreted %v", i, l, gotState[i][l], wantState[i][l])
			}
		}
	}
}
