package plot

import (
	"fmt"
	"math"

	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/neuromass/neuromass/analysis"
)

// Series is one recorded quantity of several nodes over time.
type Series struct {
	T        []float64   // sample times in ms, strictly increasing
	Values   [][]float64 // [node][sample]: one row per node, len(T) samples each; NaN is a gap
	Names    []string    // node names (optional; else "node i"): Names[i] labels Values[i]
	Quantity string      // what the values are, for the y axis ("rates_exc"); empty: "value"
	Unit     string      // their unit ("Hz"); empty for none
}

func (s Series) check(what string) error {
	if err := checkTimes(what, s.T, 2); err != nil {
		return err
	}
	if err := checkRows(what, "node", s.Values, len(s.T)); err != nil {
		return err
	}
	if len(s.Names) != 0 && len(s.Names) != len(s.Values) {
		return fmt.Errorf("%s: %d node names for %d nodes", what, len(s.Names), len(s.Values))
	}
	if _, _, ok := finiteRange(s.Values...); !ok {
		return fmt.Errorf("%s: no finite value in %d nodes x %d samples", what, len(s.Values), len(s.T))
	}
	return nil
}

func (s Series) name(i int) string {
	if len(s.Names) > 0 && s.Names[i] != "" {
		return s.Names[i]
	}
	return fmt.Sprintf("node %d", i)
}

func (s Series) quantity() string {
	if s.Quantity == "" {
		return "value"
	}
	return s.Quantity
}

// mean is the mean over nodes at every sample; a sample where a node is not finite is NaN (a gap).
func (s Series) mean() []float64 {
	m := make([]float64, len(s.T))
	for _, row := range s.Values {
		for k, v := range row {
			m[k] += v
		}
	}
	for k := range m {
		m[k] /= float64(len(s.Values))
	}
	return m
}

const (
	defaultWidth  = 900
	defaultHeight = 500
)

// TimeSeries draws a few nodes of s (Options.Nodes, spread over the nodes) as thin coloured
// lines and the mean over all nodes as a thick black one, against time in ms or s
// (Options.TimeUnit), the quantity and its unit on the y axis.
func TimeSeries(path string, s Series, o Options) error {
	return timeSeries(path, s, o, "time series")
}

// BOLD draws a BOLD signal as TimeSeries does, with time in s unless Options.TimeUnit says
// otherwise, and "BOLD" as the quantity unless s names one.
func BOLD(path string, s Series, o Options) error {
	if o.TimeUnit == "" {
		o.TimeUnit = "s"
	}
	if s.Quantity == "" {
		s.Quantity = "BOLD"
	}
	return timeSeries(path, s, o, "BOLD")
}

func timeSeries(path string, s Series, o Options, what string) error {
	if err := s.check(what); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	t, xlabel, err := timeAxis(s.T, o.TimeUnit)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	nodes := pickNodes(len(s.Values), o)
	def := fmt.Sprintf("%s: mean over %s", s.quantity(), plural(len(s.Values), "node"))
	switch {
	case len(s.Values) == 1:
		def = fmt.Sprintf("%s of %s", s.quantity(), s.name(0))
	case len(nodes) > 0:
		def += fmt.Sprintf(" and %s", plural(len(nodes), "single node"))
	}
	return render(path, o, defaultWidth, defaultHeight, func(dc draw.Canvas) error {
		p := newPlot(o.title(def), xlabel, labelWith(s.quantity(), s.Unit))
		b := o.buckets(defaultWidth)
		for k, i := range nodes {
			if _, err := addLine(p, t, s.Values[i], b, s.name(i), lineColor(k), vg.Points(1), false); err != nil {
				return err
			}
		}
		entries := len(nodes)
		if len(s.Values) > 1 || len(nodes) == 0 {
			if _, err := addLine(p, t, s.mean(), b, "mean", blackish, vg.Points(2), false); err != nil {
				return err
			}
			entries++
		}
		legendRoom(p, entries, false)
		drawSingle(p, dc)
		return nil
	})
}

// Spectrum draws Welch power spectra (analysis.PowerSpectrum with so) on a log power axis: a few
// single nodes (Options.Nodes) and the mean of all nodes' spectra. s must be sampled at a
// constant interval. Nodes with values that are not finite are left out, and the title says so.
func Spectrum(path string, s Series, so analysis.SpectrumOptions, o Options) error {
	if err := s.check("power spectrum"); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	dt := s.T[1] - s.T[0]
	for i := 2; i < len(s.T); i++ {
		// Times are float64 sums or products of dt; 1e-6 relative is far above their rounding
		// and far below a missing or doubled sample.
		if d := s.T[i] - s.T[i-1]; math.Abs(d-dt) > 1e-6*dt {
			return fmt.Errorf("%s: power spectrum: samples %d and %d are %v ms apart, the first two %v ms; a spectrum needs a constant sampling interval", path, i-1, i, d, dt)
		}
	}
	var rows [][]float64
	var names []string
	for i, row := range s.Values {
		if _, _, ok := finiteRange(row); ok && allFinite(row) {
			rows = append(rows, row)
			names = append(names, s.name(i))
		}
	}
	if len(rows) == 0 {
		return fmt.Errorf("%s: power spectrum: every node has values that are not finite", path)
	}
	freq, mean, err := analysis.MeanPowerSpectrum(rows, dt, so)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	nodes := pickNodes(len(rows), o)
	type line struct {
		name    string
		f, p    []float64
		isMean  bool
		colorAt int
	}
	var lines []line
	for k, i := range nodes {
		f, p, err := analysis.PowerSpectrum(rows[i], dt, so)
		if err != nil {
			return fmt.Errorf("%s: %s: %w", path, names[i], err)
		}
		lines = append(lines, line{names[i], f, p, false, k})
	}
	if len(rows) > 1 || len(nodes) == 0 {
		lines = append(lines, line{"mean", freq, mean, true, 0})
	}
	// A log axis has no place for power 0 (a constant series, or the mean removed at 0 Hz).
	drawn := 0
	for i := range lines {
		lines[i].f, lines[i].p = positive(lines[i].f, lines[i].p)
		if len(lines[i].p) > 0 {
			drawn++
		}
	}
	if drawn == 0 {
		return fmt.Errorf("%s: power spectrum: the power is 0 at every frequency (constant series?)", path)
	}
	def := fmt.Sprintf("power spectrum of %s (Welch)", s.quantity())
	if left := len(s.Values) - len(rows); left > 0 {
		def += fmt.Sprintf("; %s not finite, left out", plural(left, "node"))
	}
	ylabel := "power"
	if s.Unit != "" {
		ylabel = "power (" + s.Unit + "²)"
	}
	return render(path, o, defaultWidth, defaultHeight, func(dc draw.Canvas) error {
		p := newPlot(o.title(def), "frequency (Hz)", ylabel)
		p.Y.Scale = gplot.LogScale{}
		p.Y.Tick.Marker = logTicks{}
		for _, l := range lines {
			if len(l.p) == 0 {
				continue
			}
			c, w := lineColor(l.colorAt), vg.Points(1)
			if l.isMean {
				c, w = blackish, vg.Points(2)
			}
			if _, err := addLine(p, l.f, l.p, 0, l.name, c, w, false); err != nil {
				return err
			}
		}
		// Rounding leaves power ~1e-30 of the peak between the peaks of a clean signal; twelve
		// decades below the peak show every physical feature and keep the axis readable.
		p.Y.Min = max(p.Y.Min, p.Y.Max*1e-12)
		legendRoom(p, drawn, true)
		drawSingle(p, dc)
		return nil
	})
}

// positive keeps the points whose power is above 0.
func positive(f, p []float64) ([]float64, []float64) {
	var fo, po []float64
	for i := range p {
		if p[i] > 0 && finite(p[i]) {
			fo, po = append(fo, f[i]), append(po, p[i])
		}
	}
	return fo, po
}

func allFinite(x []float64) bool {
	for _, v := range x {
		if !finite(v) {
			return false
		}
	}
	return true
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}
