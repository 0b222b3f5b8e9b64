package neuromass_test

import (
	"math"
	"strings"
	"testing"

	"github.com/neuromass/neuromass"
	"github.com/neuromass/neuromass/engine"
	"github.com/neuromass/neuromass/stimulus"
)

// TestBoldAndStimulusAPI: Config.Bold adds a BOLD series with its times, Config.Record limits the
// recorded outputs, Model.Stimulus drives an input (a step from 500 ms on both nodes moves x only
// after the onset).
func TestBoldAndStimulusAPI(t *testing.T) {
	cmat := [][]float64{{0, 1}, {1, 0}}
	dmat := [][]float64{{0, 20}, {20, 0}}
	cfg := neuromass.Config{Cmat: cmat, Dmat: dmat, Duration: 4000, Bold: &engine.BoldSpec{TR: 1000}, Record: []string{"x"}}
	m, err := neuromass.Load("hopf", cfg)
	if err != nil {
		t.Fatal(err)
	}
	plain, err := m.Run()
	if err != nil {
		t.Fatal(err)
	}
	if len(plain.Series) != 2 || plain.Series[0].Name != "x" {
		t.Fatalf("series %d, expected x and BOLD", len(plain.Series))
	}
	b, err := plain.Output("BOLD")
	if err != nil || b.Samples != 4 || b.Times[3] != 4000 {
		t.Fatalf("BOLD: %v, %+v", err, b)
	}
	if err := m.Stimulus("x_ext", stimulus.Step{Size: 1, Window: stimulus.Window{Start: 500}}); err != nil {
		t.Fatal(err)
	}
	if in := m.Spec.Inputs["x_ext"]; in.Rows != 2 || in.Cols != 40000 {
		t.Fatalf("input x_ext is %d x %d, expected 2 nodes x 40000 steps", in.Rows, in.Cols)
	}
	driven, err := m.Run()
	if err != nil {
		t.Fatal(err)
	}
	x0, _ := plain.Output("x")
	x1, _ := driven.Output("x")
	if x0.Node(0, 1)[4000] != x1.Node(0, 1)[4000] || x0.Node(0, 1)[39999] == x1.Node(0, 1)[39999] {
		t.Error("the stimulus did not start at 500 ms")
	}
	if err := m.Stimulus("nope", stimulus.Zero{}); err == nil || !strings.Contains(err.Error(), `no input "nope"`) {
		t.Errorf("unknown input: %v", err)
	}
	if err := m.Stimulus("x_ext", stimulus.Step{Size: 1, Window: stimulus.Window{Start: 9000}}); err == nil || !strings.Contains(err.Error(), "input x_ext") {
		t.Errorf("a window past the end: %v", err)
	}
}

// TestPrecisionAPI: Config.Precision F32 runs in float32 (close to float64 over a short run, not
// equal to it), and F32 with compat mode is refused with an error naming the conflict.
func TestPrecisionAPI(t *testing.T) {
	run := func(p engine.Precision) []float64 {
		t.Helper()
		m, err := neuromass.Load("hopf", neuromass.Config{Duration: 200, Precision: p})
		if err != nil {
			t.Fatal(err)
		}
		res, err := m.Run()
		if err != nil {
			t.Fatal(err)
		}
		x, err := res.Output("x")
		if err != nil {
			t.Fatal(err)
		}
		return x.Node(0, 0)
	}
	x64, x32 := run(engine.F64), run(engine.F32)
	same, worst := true, 0.0
	for i := range x64 {
		same = same && x64[i] == x32[i]
		worst = max(worst, math.Abs(x64[i]-x32[i]))
	}
	// float32 rounds every operation to 24 bits: over 2000 steps of a bounded oscillator the
	// difference stays far below the amplitude, yet some values must differ
	if same || worst > 1e-3 {
		t.Errorf("float32 against float64: identical %v, largest difference %g (want a difference, below 1e-3)", same, worst)
	}
	m, err := neuromass.Load("hopf", neuromass.Config{Duration: 10, Precision: engine.F32, Mode: engine.Compat})
	if err == nil {
		_, err = m.Run()
	}
	if err == nil || !strings.Contains(err.Error(), "compat") {
		t.Errorf("f32 in compat mode: error %v, expected one naming compat mode", err)
	}
}
