package alntable

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParamsValidate(t *testing.T) {
	p := NeurolibParams()
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		mod  func(p *Params)
		want string
	}{
		{"Vr >= Vs", func(p *Params) { p.Vr = -40 }, "Vr = -40 mV must be below the spike voltage Vs"},
		{"C = 0", func(p *Params) { p.C = 0 }, "C = 0 pF must be positive"},
		{"C < 0", func(p *Params) { p.C = -1 }, "C = -1 pF"},
		{"gL <= 0", func(p *Params) { p.GL = 0 }, "gL = 0 nS"},
		{"DeltaT <= 0", func(p *Params) { p.DeltaT = 0 }, "DeltaT = 0 mV must be positive"},
		{"Vlb >= Vr", func(p *Params) { p.Vlb = -70 }, "lower bound Vlb = -70 mV must be below the reset"},
		{"dV <= 0", func(p *Params) { p.DV = 0 }, "voltage step dV = 0"},
		{"dV too coarse", func(p *Params) { p.DV = 100 }, "cells"},
		{"no frequencies", func(p *Params) { p.Freqs = nil }, "frequency list is empty"},
		{"negative frequency", func(p *Params) { p.Freqs = []float64{-1, 2} }, "frequency 0 = -1 kHz"},
		{"unsorted frequencies", func(p *Params) { p.Freqs = []float64{2, 1} }, "ascending"},
		{"Tref < 0", func(p *Params) { p.Tref = -1 }, "Tref = -1 ms must not be negative"},
		{"NaN", func(p *Params) { p.EL = nan() }, "EL = NaN is not a finite number"},
		{"dSigma", func(p *Params) { p.DSigma = 0 }, "dSigma"},
	}
	for _, c := range cases {
		p := NeurolibParams()
		c.mod(&p)
		err := p.Validate()
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "ill-posed") {
			t.Errorf("%s: error %v, want one saying %q", c.name, err, c.want)
		}
		if _, err := NewSolver(p); err == nil {
			t.Errorf("%s: NewSolver accepted the parameters", c.name)
		}
	}
}

func nan() float64 { z := 0.0; return z / z }

func TestGridValidate(t *testing.T) {
	s, err := NewSolver(Params{C: 200, GL: 10, EL: -65, DeltaT: 1.5, VT: -50, Vs: -40, Vr: -70, Vlb: -100,
		Tref: 1.5, DV: 0.1, DMu: 1e-5, DSigma: 1e-5, Freqs: []float64{0.001, 0.01}})
	if err != nil {
		t.Fatal(err)
	}
	good := []float64{1, 2}
	cases := []struct {
		mu, sigma []float64
		want      string
	}{
		{[]float64{1}, good, "mu grid has 1 points; at least 2"},
		{good, nil, "sigma grid has 0 points"},
		{[]float64{2, 1}, good, "mu grid is not ascending"},
		{[]float64{0, 1, 3}, good, "mu grid is not uniform"},
		{good, []float64{-1, 0}, "sigma must be positive"},
		{good, []float64{1, nan()}, "sigma grid: value 1 is NaN"},
	}
	for _, c := range cases {
		err := s.Grid(context.Background(), c.mu, c.sigma, GridOptions{})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("grid %v x %v: error %v, want %q", c.mu, c.sigma, err, c.want)
		}
	}
	if _, err := s.Point(0, 0); err == nil {
		t.Error("Point at sigma 0: no error")
	}
	tb := NewTables([]float64{1}, good)
	if err := tb.Validate(); err == nil || !strings.Contains(err.Error(), "at least 2") {
		t.Errorf("Tables.Validate on a 1-point grid: %v", err)
	}
	tb = smallTables()
	tb.R[3] = nan()
	if err := tb.Validate(); err == nil || !strings.Contains(err.Error(), "r_ss at (mu -1, sigma 2) is NaN") {
		t.Errorf("Tables.Validate with a NaN: %v", err)
	}
	tb = smallTables()
	tb.TauMu = tb.TauMu[:5]
	if err := tb.Validate(); err == nil || !strings.Contains(err.Error(), "tau_mu_exp has 5 values") {
		t.Errorf("Tables.Validate with a short array: %v", err)
	}
}

// TestCheckpointResume: a checkpoint keeps its points across a reopen, a record cut short is
// dropped, and a checkpoint of another computation is refused.
func TestCheckpointResume(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.partial")
	p := NeurolibParams()
	mu, sigma := Linspace(0, 1, 3), Linspace(1, 2, 2)
	c, err := OpenCheckpoint(path, p, mu, sigma)
	if err != nil {
		t.Fatal(err)
	}
	c.Add(0, 1, Point{1, 2, 3, 4})
	c.Add(2, 0, Point{5, 6, 7, 8})
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	f, _ := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	f.Write([]byte{1, 0, 0, 0, 1, 0}) // an interrupted record
	f.Close()
	c, err = OpenCheckpoint(path, p, mu, sigma)
	if err != nil {
		t.Fatal(err)
	}
	if c.N != 2 || !c.Done[1] || !c.Done[4] || c.T.At(2, 0) != (Point{5, 6, 7, 8}) || c.Complete() {
		t.Errorf("reopened checkpoint: N %d, done %v, (2,0) %+v", c.N, c.Done, c.T.At(2, 0))
	}
	c.Add(1, 1, Point{9, 9, 9, 9})
	c.Close()
	c, err = OpenCheckpoint(path, p, mu, sigma)
	if err != nil || c.N != 3 {
		t.Fatalf("after a record past the cut: %v, N %d", err, c.N)
	}
	c.Close()
	p.Vr = -65
	if _, err := OpenCheckpoint(path, p, mu, sigma); err == nil || !strings.Contains(err.Error(), "other parameters") {
		t.Errorf("checkpoint of another computation: %v", err)
	}
	os.WriteFile(path, []byte("something else\n"), 0o644)
	if _, err := OpenCheckpoint(path, NeurolibParams(), mu, sigma); err == nil || !strings.Contains(err.Error(), "not a checkpoint") {
		t.Errorf("foreign file as checkpoint: %v", err)
	}
}

// TestComputeSmall: a whole (small, coarse) grid through Compute, in neuromass's file format.
func TestComputeSmall(t *testing.T) {
	p := NeurolibParams()
	p.DV = 0.1
	p.Vlb = -100
	p.Freqs = Arange(0.001, 0.2, 0.004)
	tb, err := Compute(context.Background(), p, Linspace(0, 3, 3), Linspace(1, 3, 3), 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := tb.Validate(); err != nil {
		t.Fatal(err)
	}
	for k := range tb.R {
		if !(tb.R[k] > 0) || !(tb.TauMu[k] > 0) || tb.V[k] > -40 || tb.V[k] < -100 {
			t.Errorf("point %d: %+v", k, tb.At(k/3, k%3))
		}
	}
	// rate increases with mu
	if !(tb.R[0] < tb.R[3] && tb.R[3] < tb.R[6]) {
		t.Errorf("r_ss not increasing in mu: %v %v %v", tb.R[0], tb.R[3], tb.R[6])
	}
}
