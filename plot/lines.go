package plot

import (
	"fmt"
	"image/color"
	"math"

	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// lineSegments cuts the points (x[i], y[i]) into runs of finite values (a NaN or infinity, such
// as the samples of a diverged member, is a gap in the line) and thins each run to at most about
// 2·buckets points: a run longer than 4·buckets keeps, per bucket of consecutive samples, its
// smallest and largest value in their order, so the drawn envelope is the data's (a 200 000
// sample series drawn 900 pixels wide would otherwise cost megabytes of SVG and show nothing
// more).
func lineSegments(x, y []float64, buckets int) []plotter.XYs {
	var segs []plotter.XYs
	start := -1
	for i := 0; i <= len(y); i++ {
		ok := i < len(y) && finite(y[i]) && finite(x[i])
		if ok && start < 0 {
			start = i
		}
		if !ok && start >= 0 {
			segs = append(segs, thin(x[start:i], y[start:i], buckets))
			start = -1
		}
	}
	return segs
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// thin is lineSegments' min-max decimation of one finite run.
func thin(x, y []float64, buckets int) plotter.XYs {
	n := len(y)
	if buckets < 1 || n <= 4*buckets {
		xy := make(plotter.XYs, n)
		for i := range xy {
			xy[i] = plotter.XY{X: x[i], Y: y[i]}
		}
		return xy
	}
	xy := make(plotter.XYs, 0, 2*buckets)
	for b := range buckets {
		lo, hi := b*n/buckets, (b+1)*n/buckets
		imin, imax := lo, lo
		for i := lo; i < hi; i++ {
			if y[i] < y[imin] {
				imin = i
			}
			if y[i] > y[imax] {
				imax = i
			}
		}
		first, second := min(imin, imax), max(imin, imax)
		xy = append(xy, plotter.XY{X: x[first], Y: y[first]})
		if second != first {
			xy = append(xy, plotter.XY{X: x[second], Y: y[second]})
		}
	}
	return xy
}

// addLine adds the finite runs of (x, y) to p as lines of one style, with one legend entry
// (none for an empty label). It reports whether anything was drawn.
func addLine(p *gplot.Plot, x, y []float64, buckets int, label string, c color.Color, width vg.Length, dashed bool) (bool, error) {
	segs := lineSegments(x, y, buckets)
	first := true
	for _, seg := range segs {
		for _, part := range chunks(seg) {
			l, err := plotter.NewLine(part)
			if err != nil {
				return false, fmt.Errorf("line %q: %w", label, err)
			}
			l.Color = c
			l.Width = width
			if dashed {
				l.Dashes = []vg.Length{vg.Points(5), vg.Points(3)}
			}
			p.Add(l)
			if first && label != "" {
				p.Legend.Add(label, l)
			}
			first = false
		}
	}
	return len(segs) > 0, nil
}

// chunkPoints is the most points one stroked path gets. The PNG renderer's rasteriser (freetype)
// searches its cells linearly, so stroking one long zig-zag (a thinned series of fast
// oscillations: 80 nodes' 600 000 samples drawn 900 pixels wide) took 80 s; as paths of 64
// points it takes under a second, and the joins between them do not show.
const chunkPoints = 64

// chunks cuts a line into consecutive pieces of at most chunkPoints points that share their end
// points, so together they draw the same line.
func chunks(xy plotter.XYs) []plotter.XYs {
	if len(xy) <= chunkPoints {
		return []plotter.XYs{xy}
	}
	var out []plotter.XYs
	for start := 0; start < len(xy)-1; start += chunkPoints - 1 {
		out = append(out, xy[start:min(start+chunkPoints, len(xy))])
	}
	return out
}

// addPoints adds (x, y) as small dots, leaving out non-finite points; it reports whether any
// was drawn.
func addPoints(p *gplot.Plot, x, y []float64, c color.Color, label string) (bool, error) {
	var xy plotter.XYs
	for i := range y {
		if finite(x[i]) && finite(y[i]) {
			xy = append(xy, plotter.XY{X: x[i], Y: y[i]})
		}
	}
	if len(xy) == 0 {
		return false, nil
	}
	s, err := plotter.NewScatter(xy)
	if err != nil {
		return false, fmt.Errorf("points %q: %w", label, err)
	}
	s.Color = c
	s.Shape = draw.CircleGlyph{}
	s.Radius = vg.Points(2)
	p.Add(s)
	if label != "" {
		p.Legend.Add(label, s)
	}
	return true, nil
}

// checkTimes checks sample times in ms: at least minT, finite and strictly increasing.
func checkTimes(what string, t []float64, minT int) error {
	return checkIncreasing(what, "time", " ms", t, minT)
}

// checkIncreasing checks that v has at least minN values, finite and strictly increasing; noun
// names one value ("time") and unit follows values in messages.
func checkIncreasing(what, noun, unit string, v []float64, minN int) error {
	if len(v) < minN {
		return fmt.Errorf("%s: %d %ss, expected at least %d", what, len(v), noun, minN)
	}
	for i, x := range v {
		if !finite(x) {
			return fmt.Errorf("%s: %s %d is %v", what, noun, i, x)
		}
		if i > 0 && !(x > v[i-1]) {
			return fmt.Errorf("%s: %ss %d and %d (%v, %v%s) do not increase", what, noun, i-1, i, v[i-1], x, unit)
		}
	}
	return nil
}

// checkRows checks that rows is a non-empty [row][sample] array whose rows have n samples each.
func checkRows(what, row string, rows [][]float64, n int) error {
	if len(rows) == 0 {
		return fmt.Errorf("%s: no %ss", what, row)
	}
	for i, r := range rows {
		if len(r) != n {
			return fmt.Errorf("%s: %s %d has %d samples, expected %d (one per time point)", what, row, i, len(r), n)
		}
	}
	return nil
}

// timeAxis converts times in ms to the unit asked for ("" chooses s for a span over 10 s) and
// returns the converted times and the axis label.
func timeAxis(t []float64, unit string) ([]float64, string, error) {
	switch unit {
	case "":
		unit = "ms"
		if len(t) > 0 && t[len(t)-1]-t[0] > 10000 {
			unit = "s"
		}
	case "ms", "s":
	default:
		return nil, "", fmt.Errorf("time unit %q: expected ms, s or empty (choose)", unit)
	}
	if unit == "ms" {
		return t, "time (ms)", nil
	}
	ts := make([]float64, len(t))
	for i, v := range t {
		ts[i] = v / 1000
	}
	return ts, "time (s)", nil
}

// pickNodes returns which of n rows to draw singly: k of them spread evenly (k from o.Nodes).
func pickNodes(n int, o Options) []int {
	k := o.Nodes
	switch {
	case k < 0:
		return nil
	case k == 0:
		k = 3
	}
	k = min(k, n)
	idx := make([]int, k)
	for i := range idx {
		idx[i] = i * n / k
	}
	return idx
}

// buckets is how many decimation buckets a line across a picture of o's width gets: one per
// pixel column.
func (o Options) buckets(defW int) int {
	if o.Width > 0 {
		return o.Width
	}
	return defW
}
