package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/neuromass/neuromass"
	"github.com/neuromass/neuromass/analysis"
	"github.com/neuromass/neuromass/engine"
	"github.com/neuromass/neuromass/plot"
	"github.com/neuromass/neuromass/store"
)

// options of one run.
type options struct {
	Model    string
	Duration float64 // ms
	Skip     float64 // ms left out of the summary (the transient)
	Params   map[string]float64
	CSV, Out string // files to write; "" for none
	Plot     string // a picture of the default output (.png or .svg); "" for none
}

// summary is what the program prints about the default output after the transient.
type summary struct {
	Output, Unit   string
	Min, Mean, Max float64
	PeakHz         float64 // the frequency of the power spectrum's largest value (0 Hz excluded)
	Samples        int
}

// simulate runs one node and returns the result.
func simulate(o options) (*engine.Result, error) {
	m, err := neuromass.Load(o.Model, neuromass.Config{Duration: o.Duration})
	if err != nil {
		return nil, err
	}
	names := slices.Sorted(func(yield func(string) bool) {
		for k := range o.Params {
			if !yield(k) {
				return
			}
		}
	})
	for _, name := range names {
		if err := m.Set(name, o.Params[name]); err != nil {
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
	return res, nil
}

// summarize describes the model's default output after o.Skip ms.
func summarize(res *engine.Result, skip float64) (summary, error) {
	m, err := neuromass.Load(res.Model, neuromass.Config{}) // the model's declarations: its default output
	if err != nil {
		return summary{}, err
	}
	def := m.Spec.Model.Outputs[m.Spec.Model.DefaultOutput()]
	x, err := res.Output(def.Name)
	if err != nil {
		return summary{}, err
	}
	from := 0
	for from < len(res.T) && res.T[from] <= skip {
		from++
	}
	tr := x.Node(0, 0)[from:]
	if len(tr) < 2 {
		return summary{}, fmt.Errorf("%g ms of %g ms are left out as the transient: nothing left to describe", skip, res.T[len(res.T)-1])
	}
	s := summary{Output: def.Name, Unit: def.Unit, Min: math.Inf(1), Max: math.Inf(-1), Samples: len(tr)}
	for _, v := range tr {
		s.Min, s.Max, s.Mean = min(s.Min, v), max(s.Max, v), s.Mean+v
	}
	s.Mean /= float64(len(tr))
	dt := float64(res.Every) * res.Dt
	freq, power, err := analysis.PowerSpectrum(tr, dt, analysis.SpectrumOptions{MaxFreq: 500})
	if err != nil {
		return summary{}, err
	}
	best := 0.0
	for i := range freq {
		if freq[i] > 0 && power[i] > best {
			best, s.PeakHz = power[i], freq[i]
		}
	}
	return s, nil
}

// writeCSV writes t and every output of the single node, one row per sample.
func writeCSV(path string, res *engine.Result) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			os.Remove(path) // no partial file that looks whole
		}
	}()
	w := bufio.NewWriter(f)
	head := []string{"t_ms"}
	for _, s := range res.Series {
		if s.Times != nil || s.Offset != 0 {
			continue // a series on its own time axis (BOLD) does not fit the table's rows
		}
		head = append(head, s.Name)
	}
	fmt.Fprintln(w, strings.Join(head, ","))
	row := make([]string, 0, len(head))
	for k, t := range res.T {
		row = append(row[:0], strconv.FormatFloat(t, 'g', -1, 64))
		for _, s := range res.Series {
			if s.Times != nil || s.Offset != 0 {
				continue
			}
			row = append(row, strconv.FormatFloat(s.Node(0, 0)[k], 'g', -1, 64))
		}
		fmt.Fprintln(w, strings.Join(row, ","))
	}
	return w.Flush()
}

// paramFlag is the repeatable -param NAME=VALUE.
type paramFlag map[string]float64

func (p paramFlag) String() string { return fmt.Sprint(map[string]float64(p)) }

func (p paramFlag) Set(s string) error {
	name, val, ok := strings.Cut(s, "=")
	if !ok || name == "" {
		return errors.New("expected NAME=VALUE")
	}
	v, err := strconv.ParseFloat(val, 64)
	if err != nil {
		return fmt.Errorf("%s: %q is not a number", name, val)
	}
	p[name] = v
	return nil
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run is the program: it parses args (without the program name), prints the summary to stdout and
// errors to stderr, and returns the exit status (2: bad arguments, 1: the run failed). Tests
// call it in-process.
func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("singlenode", flag.ContinueOnError)
	fs.SetOutput(stderr)
	o := options{Params: map[string]float64{}}
	fs.StringVar(&o.Model, "model", "aln", "built-in model name or model file")
	fs.Float64Var(&o.Duration, "duration", 2000, "simulated time in ms")
	fs.Float64Var(&o.Skip, "skip", 500, "ms left out of the summary (the transient)")
	fs.Var(paramFlag(o.Params), "param", "set a parameter, NAME=VALUE (repeatable)")
	fs.StringVar(&o.CSV, "csv", "", "write t and every output to this CSV file")
	fs.StringVar(&o.Out, "out", "", "write the result to this file (.npz, or .h5/.hdf5/.nc for HDF5)")
	fs.StringVar(&o.Plot, "plot", "", "draw the default output against time in this picture (.png or .svg)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "singlenode: unexpected arguments %q (everything is a flag)\n", fs.Args())
		return 2
	}
	if o.Out != "" {
		if _, err := store.FormatFor(o.Out); err != nil {
			fmt.Fprintln(stderr, "singlenode: -out", err)
			return 2
		}
	}
	if err := report(o, stdout); err != nil {
		fmt.Fprintln(stderr, "singlenode:", err)
		return 1
	}
	return 0
}

// report runs, prints the summary and writes the files.
func report(o options, w io.Writer) error {
	res, err := simulate(o)
	if err != nil {
		return err
	}
	s, err := summarize(res, o.Skip)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "model %s: one node, %g ms at dt %g ms, %d samples\n", res.Model, o.Duration, res.Dt, len(res.T))
	unit := ""
	if s.Unit != "" && s.Unit != "1" { // "1": dimensionless
		unit = " " + s.Unit
	}
	fmt.Fprintf(w, "%s after %g ms: min %.4g, mean %.4g, max %.4g%s; power spectrum peak at %g Hz\n",
		s.Output, o.Skip, s.Min, s.Mean, s.Max, unit, s.PeakHz)
	if o.CSV != "" {
		if err := writeCSV(o.CSV, res); err != nil {
			return fmt.Errorf("-csv: %w", err)
		}
		fmt.Fprintf(w, "wrote %s\n", o.CSV)
	}
	if o.Plot != "" {
		x, err := res.Output(s.Output)
		if err != nil {
			return err
		}
		ps := plot.Series{T: res.T, Values: [][]float64{x.Node(0, 0)}, Names: []string{res.Model}, Quantity: s.Output, Unit: s.Unit}
		if err := plot.TimeSeries(o.Plot, ps, plot.Options{Title: fmt.Sprintf("%s of one %s node", s.Output, res.Model)}); err != nil {
			return fmt.Errorf("-plot: %w", err)
		}
		fmt.Fprintf(w, "wrote %s\n", o.Plot)
	}
	if o.Out != "" {
		if err := store.WriteResult(o.Out, res, store.Meta{Model: res.Model, Duration: o.Duration, Params: paramsOf(o)}); err != nil {
			return fmt.Errorf("-out: %w", err)
		}
		fmt.Fprintf(w, "wrote %s\n", o.Out)
	}
	return nil
}

// paramsOf lists the parameters set, for the result file's metadata.
func paramsOf(o options) map[string][]float64 {
	p := map[string][]float64{}
	for k, v := range o.Params {
		p[k] = []float64{v}
	}
	return p
}
