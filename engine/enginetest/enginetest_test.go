package enginetest

import (
	"fmt"
	"math"
	"testing"

	"github.com/neuromass/neuromass/engine"
)

// TestInterpAgainstCPU runs the suite with the reference interpreter as the backend under test
// against the CPU backend: both are float64 implementations of the same definition, so every model
// must agree bit for bit (the CPU backend's own test runs the suite the other way round, over more).
func TestInterpAgainstCPU(t *testing.T) {
	Run(t, Interp{}, Options{Members: []int{1, 7}, Nodes: []int{1, 3}, Duration: 5, Exact: ExactAll})
}

// recorder is a testing.TB that keeps its errors.
type recorder struct {
	testing.TB
	errs []string
}

func (r *recorder) Errorf(f string, a ...any) { r.errs = append(r.errs, fmt.Sprintf(f, a...)) }
func (r *recorder) Helper()                   {}

// TestCompare checks that the comparison catches what it must: one bit in exact mode, an error
// above the tolerance relative to the trace's scale, a NaN against a number.
func TestCompare(t *testing.T) {
	want := []float64{1, -2, 0.5, 0}
	oneBit := []float64{1, -2, math.Nextafter(0.5, 1), 0}
	tol := Tolerance{Rel: 1e-6, Reason: "test"}
	cases := []struct {
		name      string
		got       []float64
		exact     bool
		wantFails bool
	}{
		{"same bits", []float64{1, -2, 0.5, 0}, true, false},
		{"one bit, exact", oneBit, true, true},
		{"one bit, tolerance", oneBit, false, false},
		{"signed zero, exact", []float64{1, -2, 0.5, math.Copysign(0, -1)}, true, true},
		{"3e-6 of the scale 2", []float64{1, -2, 0.5 + 6e-6, 0}, false, true},
		{"NaN", []float64{1, -2, math.NaN(), 0}, false, true},
	}
	// angles compared modulo 2*pi: 6.2831852 and 1e-7 are 2e-7 apart
	r := &recorder{TB: t}
	compare(r, "angle", []float64{1e-7, 3}, []float64{2*math.Pi - 1e-7, 3}, false, tol, 2*math.Pi)
	if len(r.errs) > 0 {
		t.Errorf("angles across 2*pi: %v", r.errs)
	}
	compare(r, "angle", []float64{1e-7, 3}, []float64{2*math.Pi - 1e-7, 3}, false, tol, 0)
	if len(r.errs) == 0 {
		t.Error("without a period, 1e-7 against 2*pi - 1e-7 passed")
	}
	for _, c := range cases {
		r := &recorder{TB: t}
		if n := compare(r, c.name, c.got, want, c.exact, tol, 0); n != len(want) {
			t.Errorf("%s: compared %d values, expected %d", c.name, n, len(want))
		}
		if fails := len(r.errs) > 0; fails != c.wantFails {
			t.Errorf("%s: failed = %v (%v), expected %v", c.name, fails, r.errs, c.wantFails)
		}
	}
}

// TestUserModel checks that the user model compiles and that its noise and local delay are
// exercised: a run with noise differs from one without.
func TestUserModel(t *testing.T) {
	m, err := Model("user")
	if err != nil {
		t.Fatal(err)
	}
	if !ExactArithmetic(m) {
		t.Error("the user model uses only + - * / sqrt, yet ExactArithmetic says no")
	}
	if len(m.Delays) != 1 {
		t.Errorf("the user model has %d local delays, expected 1", len(m.Delays))
	}
	res, _, err := Simulate(Interp{}, m, 3, 1, 5, 0, engine.F64)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range res.Series[0].Data {
		if v != v || math.Abs(v) > 10 {
			t.Fatalf("user model output %v: expected finite values of order 1", v)
		}
	}
}
