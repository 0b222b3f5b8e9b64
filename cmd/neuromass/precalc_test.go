package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/neuromass/neuromass/models/alntable"
)

// coarseParams is a params file for fast runs: a coarse voltage grid and three frequencies.
const coarseParams = `{"dV": 0.1, "Vlb": -100, "freqs": [0.001, 0.01, 0.1]}`

func TestPrecalcALN(t *testing.T) {
	dir := t.TempDir()
	params := writeFile(t, dir, "neuron.json", coarseParams)
	out := filepath.Join(dir, "t.alnt")
	code, stdout, stderr := cli(t, "precalc", "aln", "--params", params, "--mu", "0:2:3", "--sigma", "1:3:2", "--out", out, "-v")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if stdout != "" || !strings.Contains(stderr, "6/6 points (100%)") || !strings.Contains(stderr, "wrote "+out) {
		t.Errorf("stdout %q, stderr %q", stdout, stderr)
	}
	tb, err := alntable.Load(out)
	if err != nil {
		t.Fatal(err)
	}
	if len(tb.Mu) != 3 || len(tb.Sigma) != 2 || tb.Params == nil || tb.Params.DV != 0.1 || len(tb.Params.Freqs) != 3 ||
		tb.Command != "neuromass precalc aln --params "+params+" --mu 0:2:3 --sigma 1:3:2 --out "+out {
		t.Errorf("table: grid %d x %d, params %+v, command %q", len(tb.Mu), len(tb.Sigma), tb.Params, tb.Command)
	}
	if _, err := os.Stat(out + ".partial"); !os.IsNotExist(err) {
		t.Errorf("checkpoint left behind: %v", err)
	}

	// stderr not a terminal and no --verbose: no progress lines, only what is done
	code, _, stderr = cli(t, "precalc", "aln", "--params", params, "--mu", "0:2:2", "--sigma", "1:3:2", "--out", out)
	if code != 0 || strings.Contains(stderr, "points (") || !strings.Contains(stderr, "wrote "+out) {
		t.Errorf("without -v: exit %d, stderr %q; want no progress lines", code, stderr)
	}

	// quiet: nothing on stderr
	code, _, stderr = cli(t, "--quiet", "precalc", "aln", "--params", params, "--mu", "0:2:2", "--sigma", "1:3:2", "--out", out)
	if code != 0 || stderr != "" {
		t.Errorf("--quiet: exit %d, stderr %q", code, stderr)
	}
}

// TestPrecalcALNResume: points in the checkpoint are not computed again.
func TestPrecalcALNResume(t *testing.T) {
	dir := t.TempDir()
	params := writeFile(t, dir, "neuron.json", coarseParams)
	out := filepath.Join(dir, "t.alnt")
	p, err := readPrecalcParams(params)
	if err != nil {
		t.Fatal(err)
	}
	mu, sigma := alntable.Linspace(0, 2, 2), alntable.Linspace(1, 3, 2)
	ck, err := alntable.OpenCheckpoint(out+".partial", p, mu, sigma)
	if err != nil {
		t.Fatal(err)
	}
	marker := alntable.Point{R: 0.125, V: -60, TauMu: 1, TauSigma: 2}
	ck.Add(1, 0, marker)
	ck.Close()
	code, _, stderr := cli(t, "precalc", "aln", "--params", params, "--mu", "0:2:2", "--sigma", "1:3:2", "--out", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stderr, "resuming from "+out+".partial (1 of 4 points done)") {
		t.Errorf("stderr %q", stderr)
	}
	tb, err := alntable.Load(out)
	if err != nil {
		t.Fatal(err)
	}
	if tb.At(1, 0) != marker || tb.At(0, 0) == (alntable.Point{}) {
		t.Errorf("resumed table: (1,0) %+v (want the checkpoint's), (0,0) %+v", tb.At(1, 0), tb.At(0, 0))
	}

	// a checkpoint of another computation is refused
	ck, _ = alntable.OpenCheckpoint(out+".partial", p, mu, sigma)
	ck.Close()
	code, _, stderr = cli(t, "precalc", "aln", "--params", params, "--mu", "0:3:2", "--sigma", "1:3:2", "--out", out)
	if code != 1 || !strings.Contains(stderr, "other parameters or grids") {
		t.Errorf("foreign checkpoint: exit %d, stderr %q", code, stderr)
	}
}

func TestPrecalcALNErrors(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "t.alnt")
	good := writeFile(t, dir, "good.json", coarseParams)
	cases := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"precalc", "aln"}, 2, "needs --out"},
		{[]string{"precalc", "aln", "--out", out, "extra"}, 2, "takes no arguments"},
		{[]string{"precalc", "aln", "--out", out, "--mu", "1:2:1"}, 2, "at least 2 points"},
		{[]string{"precalc", "aln", "--out", out, "--mu", "a:b"}, 2, "FIRST:LAST:N"},
		{[]string{"precalc", "aln", "--out", out, "--sigma", "2:1:5"}, 2, "LAST must be above FIRST"},
		{[]string{"precalc", "aln", "--out", out, "--sigma", "0:1:5"}, 2, "sigma must be positive"},
		{[]string{"precalc", "aln", "--out", out, "--params", writeFile(t, dir, "vr.json", `{"Vr": -30}`)}, 1, "reset Vr = -30 mV must be below the spike voltage Vs = -40 mV"},
		{[]string{"precalc", "aln", "--out", out, "--params", writeFile(t, dir, "c.json", `{"C": 0}`)}, 1, "C = 0 pF must be positive"},
		{[]string{"precalc", "aln", "--out", out, "--params", writeFile(t, dir, "f.json", `{"freqs": []}`)}, 1, "frequency list is empty"},
		{[]string{"precalc", "aln", "--out", out, "--params", writeFile(t, dir, "u.json", `{"Vreset": -60}`)}, 1, `unknown field "Vreset"`},
		{[]string{"precalc", "aln", "--out", out, "--params", filepath.Join(dir, "missing.json")}, 1, "no such file"},
		{[]string{"precalc", "aln", "--out", filepath.Join(dir, "no", "dir", "t.alnt"), "--params", good, "--mu", "0:1:2", "--sigma", "1:2:2"}, 1, "no such file"},
		{[]string{"precalc", "nest"}, 2, "unknown command"},
	}
	for _, c := range cases {
		code, _, stderr := cli(t, c.args...)
		if code != c.code || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit %d and %q", c.args, code, stderr, c.code, c.want)
		}
	}
}
