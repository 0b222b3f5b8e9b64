package main

import (
	"math"
	"path/filepath"
	"strings"
	"testing"
)

// TestRunBoldAndInput: --bold writes BOLD [nodes][samples] and t_BOLD; --input drives an input
// with a stimulus (here a step that switches Hopf's x_ext on from 500 ms, which must change x).
func TestRunBoldAndInput(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "h.npz")
	said, _ := mustRun(t, "run", "--model", "hopf", "--network", "single", "--duration", "3000", "--bold", "--tr", "1000", "--out", out)
	if !strings.Contains(said, "BOLD [1 3], t_BOLD [3]") {
		t.Errorf("the summary line does not list BOLD and t_BOLD: %q", said)
	}
	f := readNPZ(t, out)
	b, tb := f["BOLD"], f["t_BOLD"]
	if b == nil || tb == nil {
		t.Fatalf("no BOLD or t_BOLD in %s", out)
	}
	if len(b.Shape) != 2 || b.Shape[0] != 1 || b.Shape[1] != 3 || len(tb.Floats()) != 3 || tb.Floats()[2] != 3000 {
		t.Errorf("BOLD %v, t_BOLD %v; expected [1 3] and 1000, 2000, 3000 ms", b.Shape, tb.Floats())
	}
	// compat: neurolib's stamps g·dt, g = 1, 10001, 20001
	mustRun(t, "run", "--model", "hopf", "--network", "single", "--duration", "3000", "--bold", "--tr", "1000", "--mode", "compat", "--out", out)
	if tb := readNPZ(t, out)["t_BOLD"].Floats(); len(tb) != 3 || math.Abs(tb[1]-1000.1) > 1e-9 {
		t.Errorf("compat t_BOLD %v, expected 0.1, 1000.1, 2000.1", tb)
	}

	plain := filepath.Join(dir, "plain.npz")
	driven := filepath.Join(dir, "driven.npz")
	mustRun(t, "run", "--model", "hopf", "--network", "single", "--duration", "1000", "--out", plain)
	mustRun(t, "run", "--model", "hopf", "--network", "single", "--duration", "1000", "--input", "x_ext:step:size=1,start=500",
		"--input", "x_ext:step:size=0.5,start=500", "--out", driven)
	x0, x1 := readNPZ(t, plain)["x"].Floats(), readNPZ(t, driven)["x"].Floats()
	// before the onset the runs agree; after it, the drive of 1.5 moves x
	if x0[4000] != x1[4000] || x0[9999] == x1[9999] {
		t.Errorf("x at 400 ms: %v and %v (expected equal); at 1000 ms: %v and %v (expected different)", x0[4000], x1[4000], x0[9999], x1[9999])
	}
}

func TestRunBoldBadFlags(t *testing.T) {
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"--tr", "1000"}, 2, "needs --bold"},
		{[]string{"--bold", "--tr", "-5"}, 1, "--tr -5"},
		{[]string{"--bold", "--tr", "1000.05"}, 1, "whole number of steps"},
		{[]string{"--input", "x_ext"}, 2, "NAME:KIND"},
		{[]string{"--input", "nope:sine:amplitude=1"}, 1, `no input "nope"`},
		{[]string{"--input", "x_ext:sine:phase=1"}, 1, `no key "phase"`},
		{[]string{"--input", "x_ext:step:size=1,start=5000"}, 1, "window from 5000"},
	} {
		args := append([]string{"run", "--model", "hopf", "--network", "single", "--duration", "2000"}, c.args...)
		code, _, errs := cli(t, args...)
		if code != c.code || !strings.Contains(errs, c.want) {
			t.Errorf("%v: exit %d, stderr %q; expected exit %d and %q", c.args, code, errs, c.code, c.want)
		}
	}
}
