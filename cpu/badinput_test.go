package cpu_test

import (
	"math"
	"strings"
	"testing"

	"github.com/neuromass/neuromass/cpu"
	"github.com/neuromass/neuromass/engine"
	"github.com/neuromass/neuromass/engine/eqn"
)

// newAndRun prepares and runs a spec; the error is New's, else Run's (some checks, such as the
// inputs' shapes and the chunking, depend on the run's length and happen there).
func newAndRun(spec engine.Spec) error {
	sim, err := engine.New(spec, cpu.New())
	if err != nil {
		return err
	}
	defer sim.Close()
	_, err = sim.Run()
	return err
}

// TestBadInput: every malformed spec is an error (never a panic, never a silent run) that names
// the culprit; each case lists words the message must contain.
func TestBadInput(t *testing.T) {
	hopf := compile(t, "hopf")
	aln := compile(t, "aln")
	tables := func() map[string]*eqn.TableData { return clone2(alnTablesOnce(t)) }
	net3 := func() engine.Network { return randomNet(3, 1) }
	ok := func() engine.Spec {
		return engine.Spec{Model: hopf, Network: net3(), Duration: 5, Members: 2, Mode: engine.Compat, Seed: 1}
	}
	nan, inf := math.NaN(), math.Inf(1)
	cases := []struct {
		name  string
		spec  func() engine.Spec
		words []string
	}{
		// network
		{"weights not N*N", func() engine.Spec { s := ok(); s.Network.Weights = s.Network.Weights[:8]; return s }, []string{"weights", "8", "9"}},
		{"lengths not N*N", func() engine.Spec { s := ok(); s.Network.Lengths = make([]float64, 4); return s }, []string{"lengths", "4"}},
		{"N zero with weights", func() engine.Spec { s := ok(); s.Network.N = 0; return s }, []string{"N = 0"}},
		{"NaN weight", func() engine.Spec { s := ok(); s.Network.Weights[5] = nan; return s }, []string{"weights[1][2]", "NaN"}},
		{"Inf weight", func() engine.Spec { s := ok(); s.Network.Weights[1] = -inf; return s }, []string{"weights[0][1]", "Inf"}},
		{"NaN length", func() engine.Spec { s := ok(); s.Network.Lengths[3] = nan; return s }, []string{"lengths[1][0]", "NaN"}},
		{"Inf length", func() engine.Spec { s := ok(); s.Network.Lengths[7] = inf; return s }, []string{"lengths[2][1]", "Inf"}},
		{"negative length", func() engine.Spec { s := ok(); s.Network.Lengths[2] = -1; return s }, []string{"lengths[0][2]", "negative"}},
		{"negative speed", func() engine.Spec { s := ok(); s.Network.Speed = -20; return s }, []string{"speed"}},
		{"NaN speed", func() engine.Spec { s := ok(); s.Network.Speed = nan; return s }, []string{"speed"}},
		// time
		{"negative dt", func() engine.Spec { s := ok(); s.Dt = -0.1; return s }, []string{"dt", "-0.1"}},
		{"negative zero dt", func() engine.Spec { s := ok(); s.Dt = math.Copysign(0, -1); return s }, []string{"dt"}},
		{"NaN dt", func() engine.Spec { s := ok(); s.Dt = nan; return s }, []string{"dt", "NaN"}},
		{"Inf dt", func() engine.Spec { s := ok(); s.Dt = inf; return s }, []string{"dt", "Inf"}},
		{"negative duration", func() engine.Spec { s := ok(); s.Duration = -5; return s }, []string{"duration"}},
		{"NaN duration", func() engine.Spec { s := ok(); s.Duration = nan; return s }, []string{"duration"}},
		{"sampling dt below dt", func() engine.Spec { s := ok(); s.SamplingDt = 0.05; return s }, []string{"sampling dt", "smaller than dt"}},
		{"sampling dt above duration", func() engine.Spec { s := ok(); s.SamplingDt = 6; return s }, []string{"sampling dt", "duration"}},
		{"negative sampling dt", func() engine.Spec { s := ok(); s.SamplingDt = -1; return s }, []string{"sampling dt"}},
		{"chunk not a multiple of the sampling", func() engine.Spec { s := ok(); s.SamplingDt = 0.5; s.Chunk = 0.7; return s }, []string{"chunk", "7 steps", "sampling interval (5 steps)"}},
		{"chunk below a step", func() engine.Spec { s := ok(); s.Chunk = 0.04; return s }, []string{"chunk", "shorter than one step"}},
		{"NaN chunk", func() engine.Spec { s := ok(); s.Chunk = nan; return s }, []string{"chunk"}},
		// ensemble, mode, seeds
		{"negative members", func() engine.Spec { s := ok(); s.Members = -1; return s }, []string{"members", "-1"}},
		{"absurd members", func() engine.Spec { s := ok(); s.Members = 1 << 40; return s }, []string{"members", "lanes"}},
		{"members x nodes too many", func() engine.Spec { s := ok(); s.Members = 1 << 30; return s }, []string{"members", "3 nodes", "lanes"}},
		{"compat seed >= 2^32", func() engine.Spec { s := ok(); s.Seed = 1 << 32; return s }, []string{"seed", "2^32"}},
		{"compat member seed >= 2^32", func() engine.Spec { s := ok(); s.MemberSeeds = []uint64{1, 1<<32 + 5}; return s }, []string{"seed", "member 1", "2^32"}},
		{"member seeds count", func() engine.Spec { s := ok(); s.MemberSeeds = []uint64{1, 2, 3}; return s }, []string{"3 member seeds", "2 members"}},
		{"unknown mode", func() engine.Spec { s := ok(); s.Mode = engine.Mode(7); return s }, []string{"mode"}},
		{"unknown precision", func() engine.Spec { s := ok(); s.Precision = engine.Precision(9); return s }, []string{"precision"}},
		{"no model", func() engine.Spec { s := ok(); s.Model = nil; return s }, []string{"no model"}},
		// parameters
		{"unknown parameter", func() engine.Spec {
			s := ok()
			s.Params = map[string][]float64{"sigma": {0.1}}
			return s
		}, []string{`"sigma"`, "sigma_ou"}},
		{"parameter case", func() engine.Spec { s := ok(); s.Params = map[string][]float64{"K_GL": {1}}; return s }, []string{`"K_GL"`, "did you mean K_gl"}},
		{"hopf tau_ou = 0", func() engine.Spec { s := ok(); s.Params = map[string][]float64{"tau_ou": {0}}; return s }, []string{"tau_ou", "(0, inf)"}},
		{"hopf sigma_ou < 0 for one member", func() engine.Spec {
			s := ok()
			s.Params = map[string][]float64{"sigma_ou": {0.1, -0.1}}
			return s
		}, []string{"sigma_ou", "-0.1", "member 1"}},
		{"NaN parameter", func() engine.Spec { s := ok(); s.Params = map[string][]float64{"a": {nan}}; return s }, []string{"parameter a", "NaN"}},
		{"wrong number of member values", func() engine.Spec {
			s := ok()
			s.Params = map[string][]float64{"a": {1, 2, 3}}
			return s
		}, []string{"parameter a", "3 values", "1 or 2"}},
		{"no values", func() engine.Spec { s := ok(); s.Params = map[string][]float64{"a": {}}; return s }, []string{"parameter a", "0 values"}},
		{"aln tauA = -1", func() engine.Spec {
			return engine.Spec{Model: aln, Tables: tables(), Duration: 5, Params: map[string][]float64{"tauA": {-1}}}
		}, []string{"tauA", "-1"}},
		{"aln negative delay de", func() engine.Spec {
			return engine.Spec{Model: aln, Tables: tables(), Duration: 5, Params: map[string][]float64{"de": {-2}}}
		}, []string{"de", "-2"}},
		// tables
		{"aln without tables", func() engine.Spec { return engine.Spec{Model: aln, Duration: 5} }, []string{"table", "r_ss"}},
		{"aln missing one table", func() engine.Spec {
			tb := tables()
			delete(tb, "tau_mu_exp")
			return engine.Spec{Model: aln, Tables: tb, Duration: 5}
		}, []string{"tau_mu_exp", "none given"}},
		{"table of the wrong size", func() engine.Spec {
			tb := tables()
			d := *tb["V_mean_ss"]
			d.V = d.V[:len(d.V)-1]
			tb["V_mean_ss"] = &d
			return engine.Spec{Model: aln, Tables: tb, Duration: 5}
		}, []string{"V_mean_ss", "values"}},
		{"table with a zero grid step", func() engine.Spec {
			tb := tables()
			d := *tb["r_ss"]
			d.Col.Step = 0
			tb["r_ss"] = &d
			return engine.Spec{Model: aln, Tables: tb, Duration: 5}
		}, []string{"r_ss", "step"}},
		{"table the model lacks", func() engine.Spec {
			tb := tables()
			tb["r_ss2"] = tb["r_ss"]
			return engine.Spec{Model: aln, Tables: tb, Duration: 5}
		}, []string{`"r_ss2"`}},
		{"table for a model without tables", func() engine.Spec { s := ok(); s.Tables = tables(); return s }, []string{"table", "hopf"}},
		// inputs and outputs
		{"unknown input", func() engine.Spec {
			s := ok()
			s.Inputs = map[string]engine.InputArray{"x_input": engine.Scalar(1)}
			return s
		}, []string{`"x_input"`, "x_ext"}},
		{"unknown output", func() engine.Spec { s := ok(); s.Record = []string{"x", "z"}; return s }, []string{`"z"`}},
		{"input with NaN", func() engine.Spec {
			s := ok()
			s.Inputs = map[string]engine.InputArray{"x_ext": engine.SeriesInput([]float64{0, nan, 1})}
			return s
		}, []string{"x_ext", "NaN"}},
		{"input 2-D of the wrong size", func() engine.Spec {
			s := ok()
			s.Inputs = map[string]engine.InputArray{"y_ext": {Dims: 2, Rows: 3, Cols: 10, Data: make([]float64, 29)}}
			return s
		}, []string{"y_ext", "29"}},
		{"input with 3 dimensions", func() engine.Spec {
			s := ok()
			s.Inputs = map[string]engine.InputArray{"x_ext": {Dims: 3, Data: []float64{1}}}
			return s
		}, []string{"x_ext", "Dims = 3"}},
		{"empty 1-D input", func() engine.Spec {
			s := ok()
			s.Inputs = map[string]engine.InputArray{"x_ext": {Dims: 1}}
			return s
		}, []string{"x_ext", "empty"}},
		{"scalar with two values", func() engine.Spec {
			s := ok()
			s.Inputs = map[string]engine.InputArray{"x_ext": {Dims: 0, Data: []float64{1, 2}}}
			return s
		}, []string{"x_ext", "scalar"}},
		// f32 is not implemented on the CPU yet: an error, not a silent f64 run
		{"f32 on the cpu", func() engine.Spec { s := ok(); s.Precision = engine.F32; return s }, []string{"cpu", "f32"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := newAndRun(c.spec())
			if err == nil {
				t.Fatalf("no error, expected one naming %q", c.words)
			}
			for _, w := range c.words {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
			if strings.Contains(err.Error(), "network: network:") {
				t.Errorf("error %q repeats its prefix", err)
			}
		})
	}
	// the base spec itself is fine (so each case fails for its own reason)
	if err := newAndRun(ok()); err != nil {
		t.Fatalf("the base spec fails: %v", err)
	}
	if err := newAndRun(engine.Spec{Model: aln, Tables: tables(), Duration: 5}); err != nil {
		t.Fatalf("the aln base spec fails: %v", err)
	}
}

// TestBadContinue: Continue's duration must be positive and finite, and a failed Continue leaves the
// simulation usable.
func TestBadContinue(t *testing.T) {
	sim, err := engine.New(engine.Spec{Model: compile(t, "hopf"), Duration: 5}, cpu.New())
	if err != nil {
		t.Fatal(err)
	}
	defer sim.Close()
	if _, err := sim.Run(); err != nil {
		t.Fatal(err)
	}
	for _, d := range []float64{0, -1, math.NaN(), math.Inf(1)} {
		if _, err := sim.Continue(d); err == nil || !strings.Contains(err.Error(), "duration") {
			t.Errorf("Continue(%v): error %v, expected one about the duration", d, err)
		}
	}
	r, err := sim.Continue(1)
	if err != nil {
		t.Fatal(err)
	}
	dt := 0.1
	if want := float64(51) * dt; r.Steps != 10 || r.T[0] != want {
		t.Errorf("Continue(1) after the bad ones: %d steps from t = %v, expected 10 from %v", r.Steps, r.T[0], want)
	}
}

var alnTablesCache map[string]*eqn.TableData

func alnTablesOnce(t *testing.T) map[string]*eqn.TableData {
	if alnTablesCache == nil {
		alnTablesCache = baseSpec(t, "aln", engine.Default).Tables
	}
	return alnTablesCache
}

// clone2 copies a table map (the tables themselves are shared, read only).
func clone2(m map[string]*eqn.TableData) map[string]*eqn.TableData {
	out := map[string]*eqn.TableData{}
	for k, v := range m {
		out[k] = v
	}
	return out
}
