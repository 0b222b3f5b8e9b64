package engine

import (
	"slices"
	"strings"
	"testing"
)

// boldFake wraps the fake backend: its Sim also fills BoldOut, each sample with the index of the
// BOLD step it follows among the steps fed so far (counted by the fake itself, reset by SetState)
// plus member and node codes, so the driver's BOLD timing and assembly are checked exactly.
type boldFake struct{ fakeBackend }

type boldFakeSim struct {
	*fakeSim
	fed uint64
}

func (b *boldFake) NewSim(p *Plan) (Sim, error) {
	s, err := b.fakeBackend.NewSim(p)
	if err != nil {
		return nil, err
	}
	return &boldFakeSim{fakeSim: s.(*fakeSim)}, nil
}

func (s *boldFakeSim) SetState(x [][]float64) error { s.fed = 0; return s.fakeSim.SetState(x) }

func (s *boldFakeSim) Run(c *Call) error {
	if err := s.fakeSim.Run(c); err != nil {
		return err
	}
	if c.BoldEvery == 0 {
		return nil
	}
	N, E, bs := s.p.N, s.p.E, c.BoldSamples()
	if len(c.BoldOut) != E*N*bs {
		panic("BoldOut has the wrong size")
	}
	for mb := range E {
		for n := range N {
			for smp := range bs {
				c.BoldOut[(mb*N+n)*bs+smp] = fakeValue(9, mb, n, s.fed+uint64(c.BoldFirst+smp*c.BoldEvery))
			}
		}
	}
	s.fed += uint64(c.T)
	return nil
}

// boldSteps returns the fed-step index of each BOLD sample of member 0, node 0, and checks that
// every member and node has the same.
func boldSteps(t *testing.T, res *Result) ([]uint64, []float64) {
	t.Helper()
	s, err := res.Output("BOLD")
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Times) != s.Samples {
		t.Fatalf("BOLD: %d samples, %d time stamps", s.Samples, len(s.Times))
	}
	var steps []uint64
	for smp, v := range s.Node(0, 0) {
		g := uint64(v - fakeValue(9, 0, 0, 0))
		steps = append(steps, g)
		for mb := range res.Members {
			for n := range res.Nodes {
				if got := s.Node(mb, n)[smp]; got != fakeValue(9, mb, n, g) {
					t.Fatalf("BOLD sample %d of member %d node %d is %v, expected %v", smp, mb, n, got, fakeValue(9, mb, n, g))
				}
			}
		}
	}
	return steps, s.Times
}

func TestBoldCompatTiming(t *testing.T) {
	m := toyModel(t)
	// 10 s at dt = 0.1 in one call: g = 1, 20001, 40001, 60001, 80001 at g·dt (models.md 11.3)
	b := &boldFake{}
	sim, err := New(Spec{Model: m, Network: toyNet(), Members: 2, Duration: 10000, Mode: Compat, Bold: &BoldSpec{}}, b)
	if err != nil {
		t.Fatal(err)
	}
	p := sim.Plan().Bold
	if p == nil || p.Init.X != 1 || p.Init.F != 1 || p.H != 1e-4 || p.Params.Rho != 0.34 {
		t.Fatalf("compat BOLD plan %+v, expected X = F = Q = V = 1, h = 1e-4 s, neurolib's constants", p)
	}
	res, err := sim.Run()
	if err != nil {
		t.Fatal(err)
	}
	steps, times := boldSteps(t, res)
	if want := []uint64{1, 20001, 40001, 60001, 80001}; !slices.Equal(steps, want) {
		t.Errorf("BOLD sampled after fed steps %v, expected %v", steps, want)
	}
	for i, g := range steps {
		if times[i] != float64(g)*0.1 {
			t.Errorf("t_BOLD[%d] = %v, expected %v (g·dt)", i, times[i], float64(g)*0.1)
		}
	}
	// the outputs are unchanged by BOLD: the recorded series come first, BOLD last
	if res.Series[len(res.Series)-1].Name != "BOLD" || res.Series[0].Times != nil {
		t.Errorf("series order or time stamps wrong: last %s", res.Series[len(res.Series)-1].Name)
	}

	// chunks of 2000 ms (20000 steps, neurolib's chunkwise default): the same samples; a
	// continuation goes on counting, Run starts again
	sim, _ = New(Spec{Model: m, Network: toyNet(), Duration: 10000, Chunk: 2000, Mode: Compat, Bold: &BoldSpec{}}, &boldFake{})
	res, _ = sim.Run()
	if steps, _ := boldSteps(t, res); !slices.Equal(steps, []uint64{1, 20001, 40001, 60001, 80001}) {
		t.Errorf("chunked: BOLD after %v", steps)
	}
	res, _ = sim.Continue(4000)
	if steps, times := boldSteps(t, res); !slices.Equal(steps, []uint64{100001, 120001}) || times[0] != 100001*0.1 {
		t.Errorf("continued: BOLD after %v at %v, expected 100001, 120001", steps, times)
	}
	res, _ = sim.Run()
	if steps, _ := boldSteps(t, res); !slices.Equal(steps, []uint64{1, 20001, 40001, 60001, 80001}) {
		t.Errorf("run again: BOLD after %v", steps)
	}

	// a call shorter than S_B feeds nothing (quirk Q10)
	sim, _ = New(Spec{Model: m, Network: toyNet(), Duration: 1500, Mode: Compat, Bold: &BoldSpec{}}, &boldFake{})
	res, _ = sim.Run()
	if steps, _ := boldSteps(t, res); len(steps) != 0 {
		t.Errorf("1500 ms run: BOLD samples %v, expected none (shorter than 2000 ms)", steps)
	}
	res, _ = sim.Continue(2000) // the first call fed nothing: this one starts at fed step 0
	if steps, _ := boldSteps(t, res); !slices.Equal(steps, []uint64{1}) {
		t.Errorf("continued after a short call: BOLD after %v, expected [1]", steps)
	}

	// chunks of 3000, 3000, 3000 and 1000 ms: every 30000-step chunk replaces the BOLD so far
	// (quirk Q10) and the last, shorter than S_B, feeds nothing: the third chunk's samples remain,
	// fed steps 60000..89999, from neurolib's start index S_B - ((L-1) mod S_B) = 1 at L = 60000
	sim, _ = New(Spec{Model: m, Network: toyNet(), Duration: 10000, Chunk: 3000, Mode: Compat, Bold: &BoldSpec{}}, &boldFake{})
	res, _ = sim.Run()
	if steps, _ := boldSteps(t, res); !slices.Equal(steps, []uint64{60001, 80001}) {
		t.Errorf("3000 ms chunks: BOLD after %v, expected only the third chunk's [60001 80001]", steps)
	}
	// the second chunk alone (L = 30000) starts at 20000 - 9999 = 10001: g = 40001
	if first, feed := (&boldTimer{every: 20000, fed: 30000}).plan(Compat, 0, 30000); !feed || first != 10001 {
		t.Errorf("compat start index at L = 30000: %d, %v; expected 10001", first, feed)
	}
}

func TestBoldDefaultTiming(t *testing.T) {
	m := toyModel(t)
	// TR 720 ms (HCP) at dt = 0.1: samples at the end of each TR, stamped TR, 2TR, ...,
	// whatever the chunking
	for _, chunk := range []float64{0, 1000, 333.3} {
		sim, err := New(Spec{Model: m, Network: toyNet(), Duration: 3000, Chunk: chunk, Bold: &BoldSpec{TR: 720}}, &boldFake{})
		if err != nil {
			t.Fatal(err)
		}
		if p := sim.Plan().Bold; p.Init.X != 0 || p.Init.F != 1 {
			t.Fatalf("default BOLD starts at %+v, expected the resting state", p.Init)
		}
		res, err := sim.Run()
		if err != nil {
			t.Fatal(err)
		}
		steps, times := boldSteps(t, res)
		if want := []uint64{7199, 14399, 21599, 28799}; !slices.Equal(steps, want) {
			t.Errorf("chunk %v: BOLD after steps %v, expected %v", chunk, steps, want)
		}
		for i, tm := range times {
			if want := float64(7200*(i+1)) * 0.1; tm != want {
				t.Errorf("chunk %v: t_BOLD[%d] = %v, expected %v", chunk, i, tm, want)
			}
		}
	}
}

func TestBoldBadSpec(t *testing.T) {
	m := toyModel(t)
	for _, c := range []struct {
		spec Spec
		want string
	}{
		{Spec{Bold: &BoldSpec{TR: -5}}, "TR = -5"},
		{Spec{Bold: &BoldSpec{TR: 0.01}}, "at least one step"},
		{Spec{Bold: &BoldSpec{TR: 1000.05}}, "whole number of steps"},
		{Spec{Bold: &BoldSpec{TR: 2000}, Params: nil, Dt: 0.1, Duration: 100}, ""},
	} {
		c.spec.Model = m
		_, err := New(c.spec, &boldFake{})
		if c.want == "" {
			if err != nil {
				t.Errorf("%+v: %v", c.spec.Bold, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("BOLD %+v: error %v, expected one containing %q", c.spec.Bold, err, c.want)
		}
	}
	spec := Spec{Model: m, Bold: &BoldSpec{}}
	spec.Bold.Params.Rho = 2
	if _, err := New(spec, &boldFake{}); err == nil || !strings.Contains(err.Error(), "Rho") {
		t.Errorf("Rho = 2: error %v", err)
	}
}
