package main

import (
	"strconv"
	"strings"
	"testing"
)

// bench at tiny sizes: the header says what ran, and there is one row per model and ensemble size
// with a positive speed that agrees with its own steps and wall time column.
func TestBench(t *testing.T) {
	code, out, errs := cli(t, "bench", "--backend", "cpu", "--models", "hopf,fhn", "--members", "1,3", "--duration", "2")
	if code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", code, errs)
	}
	for _, want := range []string{"backend:  cpu\n", "device:   ", "kernels:  ", "GOMAXPROCS", "settings: f64, default mode"} {
		if !strings.Contains(out, want) {
			t.Errorf("header lacks %q:\n%s", want, out)
		}
	}
	var got []string
	for _, l := range lines(out) {
		f := strings.Fields(l)
		if len(f) != 7 || (f[0] != "hopf" && f[0] != "fhn") {
			continue
		}
		got = append(got, f[0]+"/"+f[2])
		if f[1] != "80" || f[3] != "20" {
			t.Errorf("row %q: want 80 nodes (the built-in connectome) and 20 steps (2 ms at 0.1 ms)", l)
		}
		if v, err := strconv.ParseFloat(f[6], 64); err != nil || !(v > 0) {
			t.Errorf("row %q: node-steps/s %q is not a positive number", l, f[6])
		}
	}
	if strings.Join(got, " ") != "hopf/1 hopf/3 fhn/1 fhn/3" {
		t.Errorf("rows %v, want hopf and fhn with 1 and 3 members, in that order:\n%s", got, out)
	}

	// --quiet: the table only; -v: what was built and run, on stderr
	code, out, errs = cli(t, "bench", "-q", "--models", "hopf", "--members", "2", "--duration", "1")
	if code != 0 || strings.Contains(out, "backend:") || len(lines(out)) != 2 || errs != "" {
		t.Errorf("--quiet: exit %d, stdout:\n%s\nstderr:\n%s\nwant the header row and one row", code, out, errs)
	}
	code, _, errs = cli(t, "bench", "-v", "--models", "hopf", "--members", "1", "--duration", "1")
	if code != 0 || !strings.Contains(errs, "bench: backend cpu") || !strings.Contains(errs, "bench: hopf, 1 member: built in") {
		t.Errorf("--verbose: exit %d, stderr:\n%s", code, errs)
	}
}

func TestBenchErrors(t *testing.T) {
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"--members", "0"}, 1, "--members 0"},
		{[]string{"--members", "x"}, 2, "--members"},
		{[]string{"--precision", "f16"}, 2, "--precision \"f16\""},
		{[]string{"--backend", "tpu"}, 2, "--backend \"tpu\""},
		{[]string{"--duration", "-1"}, 1, "--duration -1"},
		{[]string{"--models", "nope"}, 1, "--models nope"},
		{[]string{"extra"}, 2, "bench takes no arguments"},
	} {
		code, out, errs := cli(t, append([]string{"bench", "--duration", "1"}, c.args...)...)
		if code != c.code || !strings.Contains(errs, c.want) || out != "" {
			t.Errorf("bench %v: exit %d, stdout %q, stderr %q; want %d and %q", c.args, code, out, errs, c.code, c.want)
		}
	}
}
