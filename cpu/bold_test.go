package cpu_test

import (
	"testing"

	"github.com/neuromass/neuromass/bold"
	"github.com/neuromass/neuromass/cpu"
	"github.com/neuromass/neuromass/engine"
	"github.com/neuromass/neuromass/engine/eqn"
	"github.com/neuromass/neuromass/models"
)

func boldNet() engine.Network {
	return engine.Network{N: 3, Speed: 20,
		Weights: []float64{0, 0.5, 0.2, 0.3, 0, 0.4, 0.1, 0.6, 0},
		Lengths: []float64{0, 40, 80, 40, 0, 60, 80, 60, 0}}
}

func runBold(t *testing.T, spec engine.Spec) (*engine.Result, *engine.Simulation) {
	t.Helper()
	sim, err := engine.New(spec, cpu.New())
	if err != nil {
		t.Fatal(err)
	}
	res, err := sim.Run()
	if err != nil {
		t.Fatal(err)
	}
	return res, sim
}

// TestBoldAgainstStandalone: the backend's BOLD equals package bold driven by the recorded BOLD
// input (Hopf's transform 4·(x+1) of every step's x, computed here), bit for bit: the same
// arithmetic in the same order. Compat (X = 1 start, g ≡ 1 mod S_B) and default (rest, end of TR).
func TestBoldAgainstStandalone(t *testing.T) {
	m, err := models.Load("hopf", eqn.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, mode := range []engine.Mode{engine.Compat, engine.Default} {
		spec := engine.Spec{Model: m, Network: boldNet(), Duration: 5000, Mode: mode, Seed: 3,
			Params: map[string][]float64{"sigma_ou": {0.05}}, Record: []string{"x"}, Bold: &engine.BoldSpec{TR: 1000}}
		res, _ := runBold(t, spec)
		x, _ := res.Output("x")
		b, err := res.Output("BOLD")
		if err != nil {
			t.Fatal(err)
		}
		init, first := bold.Rest, 9999 // default: after steps 9999, 19999, ... (the end of each TR)
		if mode == engine.Compat {
			init, first = bold.Compat, 1
		}
		stp, _ := bold.NewStepper(bold.Params{}, 1e-4)
		st := bold.NewState(3, init)
		z, sig := make([]float64, 3), make([]float64, 3)
		var want [3][]float64
		for k := range x.Samples {
			for n := range 3 {
				z[n] = 4 * (x.Node(0, n)[k] + 1)
			}
			stp.Step(st, z)
			if k >= first && (k-first)%10000 == 0 {
				stp.Signal(sig, st)
				for n := range 3 {
					want[n] = append(want[n], sig[n])
				}
			}
		}
		if b.Samples != 5 || len(want[0]) != 5 {
			t.Fatalf("%v: %d BOLD samples, expected 5 (reference %d)", mode, b.Samples, len(want[0]))
		}
		for n := range 3 {
			for i, w := range want[n] {
				if got := b.Node(0, n)[i]; got != w {
					t.Errorf("%v: BOLD node %d sample %d = %v, stand-alone %v", mode, n, i, got, w)
				}
			}
		}
		if mode == engine.Default && b.Times[0] != 1000 {
			t.Errorf("default mode: first BOLD at %v ms, expected 1000", b.Times[0])
		}
	}
}

// TestBoldMembersAndContinue: an ensemble (in blocks of 2 members) gives each member the BOLD of
// its own single run (compat mode, where members with one seed share initial state and noise),
// and a run continued in parts the BOLD of one run (the state persists; default mode, whose noise
// does not restart at each call).
func TestBoldMembersAndContinue(t *testing.T) {
	m, err := models.Load("hopf", eqn.Options{})
	if err != nil {
		t.Fatal(err)
	}
	k := []float64{0.2, 0.6, 1.0, 1.4, 1.8}
	spec := engine.Spec{Model: m, Network: boldNet(), Duration: 4000, Members: 5, Seed: 7, Mode: engine.Compat,
		Params: map[string][]float64{"K_gl": k, "sigma_ou": {0.02}}, Record: []string{}, Bold: &engine.BoldSpec{TR: 500}}
	cpu.SetBlockSize(2)
	res, _ := runBold(t, spec)
	cpu.SetBlockSize(0)
	ens, _ := res.Output("BOLD")
	for mb := range 5 {
		one := spec
		one.Members = 1
		one.Params = map[string][]float64{"K_gl": {k[mb]}, "sigma_ou": {0.02}}
		r, _ := runBold(t, one)
		b, _ := r.Output("BOLD")
		if b.Samples != ens.Samples || b.Samples != 8 {
			t.Fatalf("member %d: %d samples alone, %d in the ensemble, expected 8", mb, b.Samples, ens.Samples)
		}
		for n := range 3 {
			for i, w := range b.Node(0, n) {
				if got := ens.Node(mb, n)[i]; got != w {
					t.Errorf("member %d node %d sample %d: ensemble %v, single run %v", mb, n, i, got, w)
				}
			}
		}
	}

	// one run of 4000 ms against 2000 + 2000 ms (Continue)
	spec.Mode, spec.Seed, spec.MemberSeeds = engine.Default, 0, []uint64{1, 2, 3, 4, 5}
	whole, _ := runBold(t, spec)
	wb, _ := whole.Output("BOLD")
	r1, sim := runBold(t, engine.Spec{Model: m, Network: boldNet(), Duration: 2000, Members: 5, MemberSeeds: spec.MemberSeeds,
		Params: spec.Params, Record: []string{}, Bold: spec.Bold})
	r2, err := sim.Continue(2000)
	if err != nil {
		t.Fatal(err)
	}
	b1, _ := r1.Output("BOLD")
	b2, _ := r2.Output("BOLD")
	if b1.Samples+b2.Samples != wb.Samples {
		t.Fatalf("continued: %d + %d samples, expected %d", b1.Samples, b2.Samples, wb.Samples)
	}
	for mb := range 5 {
		for n := range 3 {
			got := append(append([]float64(nil), b1.Node(mb, n)...), b2.Node(mb, n)...)
			for i, w := range wb.Node(mb, n) {
				if got[i] != w {
					t.Fatalf("member %d node %d sample %d: continued %v, one run %v", mb, n, i, got[i], w)
				}
			}
		}
	}
	if times := append(append([]float64(nil), b1.Times...), b2.Times...); times[len(times)-1] != 4000 {
		t.Errorf("continued BOLD times %v, expected to end at 4000 ms", times)
	}
}
