package plot

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"strconv"

	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/neuromass/neuromass/analysis"
)

// Heat maps here are drawn as one image of cells, each cell a block of equal pixels, rather than
// with plotter.HeatMap: its vector form draws one rectangle per cell (seams between them, and
// 94 KB of SVG for an 80 x 80 matrix), and its rasterised form makes an image of one pixel per
// cell that the PNG renderer (gg) scales bilinearly, blurring every cell into its neighbours. A
// block image scaled by a factor near 1 stays sharp, and an SVG holds it as one embedded PNG.

// maxRasterSide bounds the side of a heat map's image in pixels (cells are repeated up to it).
const maxRasterSide = 1200

// cellImage is a cols x rows heat map as an image: cell (c, r) is a k x k block, row r = 0 at
// the bottom (the y axis points up), coloured by at(c, r); a nil colour leaves the cell
// transparent (blank on the white page).
func cellImage(cols, rows int, at func(c, r int) color.Color) *image.NRGBA {
	k := max(1, min(maxRasterSide/max(cols, rows), 64))
	img := image.NewNRGBA(image.Rect(0, 0, cols*k, rows*k))
	for r := range rows {
		for c := range cols {
			col := at(c, r)
			if col == nil {
				continue
			}
			y0 := (rows - 1 - r) * k
			for y := y0; y < y0+k; y++ {
				for x := c * k; x < c*k+k; x++ {
					img.Set(x, y, col)
				}
			}
		}
	}
	return img
}

// colorScale maps values to a colour map's colours over [lo, hi], clamping outside values;
// NaN maps to nil (blank).
type colorScale struct {
	cm palette.ColorMap
}

func newColorScale(cm palette.ColorMap, lo, hi float64) colorScale {
	if !(hi > lo) {
		// A constant map: any range around the value shows it in the middle colour.
		d := math.Max(math.Abs(lo)*0.5, 0.5)
		lo, hi = lo-d, hi+d
	}
	cm.SetMin(lo)
	cm.SetMax(hi)
	return colorScale{cm}
}

func (s colorScale) at(v float64) color.Color {
	if math.IsNaN(v) {
		return nil
	}
	v = math.Min(math.Max(v, s.cm.Min()), s.cm.Max())
	c, err := s.cm.At(v)
	if err != nil {
		// At fails only outside [Min, Max], which the clamp excludes; blank rather than panic.
		return nil
	}
	return c
}

// heatPlot is a plot showing the image of a cols x rows grid of cells in index coordinates
// (cell (c, r) centred on (c, r)).
func heatPlot(title, xlabel, ylabel string, cols, rows int, at func(c, r int) color.Color) *gplot.Plot {
	p := newPlot(title, xlabel, ylabel)
	img := cellImage(cols, rows, at)
	p.Add(plotter.NewImage(img, -0.5, -0.5, float64(cols)-0.5, float64(rows)-0.5))
	p.X.Min, p.X.Max = -0.5, float64(cols)-0.5
	p.Y.Min, p.Y.Max = -0.5, float64(rows)-0.5
	p.X.Padding, p.Y.Padding = 0, 0
	return p
}

// indexTicks labels up to about 6 cell indices: the cell at coordinate pos(i) gets label(i).
type indexTicks struct {
	n     int
	pos   func(i int) float64
	label func(i int) string
}

func (t indexTicks) Ticks(_, _ float64) []gplot.Tick {
	step := 1
	for t.n/step > 6 {
		switch {
		case step%10 == 1 || step == 1:
			step *= 2
		case step%10 == 2 || step == 2:
			step = step / 2 * 5
		default:
			step *= 2
		}
	}
	var ticks []gplot.Tick
	for i := 0; i < t.n; i += step {
		ticks = append(ticks, gplot.Tick{Value: t.pos(i), Label: t.label(i)})
	}
	return ticks
}

// colorBar is a plot of a vertical colour bar for s, labelled label.
func colorBar(s colorScale, label string) *gplot.Plot {
	p := gplot.New()
	p.HideX()
	p.Y.Label.Text = label
	p.Y.Padding = 0
	p.Add(&plotter.ColorBar{ColorMap: s.cm, Vertical: true})
	return p
}

// heatLayout draws the panels side by side and the colour bar at the right, its colour strip
// as tall as the first panel's data area.
func heatLayout(dc draw.Canvas, panels []*gplot.Plot, bar *gplot.Plot) {
	// The bar's width: its y axis (ticks, labels, title) as the bar plot lays it out, a strip of
	// 14 pt of colour, 10 pt of gap to the panels and 6 pt of margin.
	trial := dc
	trial.Min.X = dc.Max.X - vg.Points(200)
	axisW := trial.Size().X - bar.DataCanvas(trial).Size().X
	barW := axisW + vg.Points(14+10+6)
	main := draw.Crop(dc, 0, -barW, 0, 0)
	tiles := draw.Tiles{Rows: 1, Cols: len(panels), PadX: vg.Points(12), PadTop: vg.Points(2), PadBottom: vg.Points(2), PadLeft: vg.Points(2)}
	cs := gplot.Align([][]*gplot.Plot{panels}, tiles, main)
	for i, p := range panels {
		p.Draw(cs[0][i])
	}
	da := panels[0].DataCanvas(cs[0][0])
	bc := dc
	bc.Min.X = dc.Max.X - barW + vg.Points(10)
	bc.Max.X = dc.Max.X - vg.Points(6)
	bc.Min.Y, bc.Max.Y = da.Min.Y, da.Max.Y
	bda := bar.DataCanvas(bc)
	bc.Min.Y += da.Min.Y - bda.Min.Y
	bc.Max.Y += da.Max.Y - bda.Max.Y
	bar.Draw(bc)
}

// FC is a simulated and an empirical functional connectivity matrix, both N x N.
type FC struct {
	Simulated, Empirical           [][]float64
	SimulatedLabel, EmpiricalLabel string // panel titles; default "simulated" and "empirical"
}

// FCPair draws the simulated and the empirical FC side by side as heat maps with one colour bar
// (one scale for both), node 0 at the top left as matrices are read, and their correlation
// (analysis.MatrixCorrelation of the upper triangles) in the title. NaN entries are blank; the
// correlation is then undefined and the title says so.
func FCPair(path string, fc FC, o Options) error {
	n, err := checkMatrix("simulated FC", fc.Simulated)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	ne, err := checkMatrix("empirical FC", fc.Empirical)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if n != ne {
		return fmt.Errorf("%s: the simulated FC is %d x %d and the empirical FC %d x %d; they must be of one size", path, n, n, ne, ne)
	}
	lo, hi, ok := finiteRange(append(append([][]float64{}, fc.Simulated...), fc.Empirical...)...)
	if !ok {
		return fmt.Errorf("%s: no finite entry in either FC matrix", path)
	}
	var r string
	switch {
	case n < 3:
		r = "r undefined (fewer than 3 nodes)"
	case hasNonFinite(fc.Simulated) || hasNonFinite(fc.Empirical):
		r = "r undefined (entries that are not finite)"
	default:
		v, err := analysis.MatrixCorrelation(fc.Simulated, fc.Empirical)
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		r = "r = " + strconv.FormatFloat(v, 'f', 3, 64)
	}
	sl, el := fc.SimulatedLabel, fc.EmpiricalLabel
	if sl == "" {
		sl = "simulated"
	}
	if el == "" {
		el = "empirical"
	}
	scale := newColorScale(moreland.SmoothBlueRed(), lo, hi)
	ticks := indexTicks{n: n, pos: func(i int) float64 { return float64(i) }, label: strconv.Itoa}
	flipped := indexTicks{n: n, pos: func(i int) float64 { return float64(n - 1 - i) }, label: strconv.Itoa}
	panel := func(title string, m [][]float64) *gplot.Plot {
		p := heatPlot(title, "node", "node", n, n, func(c, r int) color.Color { return scale.at(m[n-1-r][c]) })
		p.X.Tick.Marker, p.Y.Tick.Marker = ticks, flipped
		return p
	}
	return render(path, o, 1100, 520, func(dc draw.Canvas) error {
		dc = figureTitle(dc, o.title(fmt.Sprintf("FC: %s vs %s, %s", sl, el, r)))
		heatLayout(dc, []*gplot.Plot{panel(sl, fc.Simulated), panel(el, fc.Empirical)}, colorBar(scale, "correlation"))
		return nil
	})
}

// checkMatrix checks a non-empty square matrix and returns its size.
func checkMatrix(what string, m [][]float64) (int, error) {
	n := len(m)
	if n == 0 {
		return 0, fmt.Errorf("%s: empty matrix", what)
	}
	for i, row := range m {
		if len(row) != n {
			return 0, fmt.Errorf("%s: row %d has %d entries, expected %d (a square matrix)", what, i, len(row), n)
		}
	}
	return n, nil
}

func hasNonFinite(m [][]float64) bool {
	for _, row := range m {
		if !allFinite(row) {
			return true
		}
	}
	return false
}

// Map is a result over a grid of two parameters, as an exploration produces.
type Map struct {
	X, Y         []float64   // the parameters' values, each strictly increasing: Z's columns and rows
	XName, YName string      // the parameters' names
	Z            [][]float64 // [len(Y)][len(X)]: Z[j][i] is the result at (X[i], Y[j]); NaN is blank
	ZName, ZUnit string      // the result column's name and unit
}

// Heatmap2D draws m as a heat map, one cell per grid point (cells of equal size whatever the
// spacing of the values; the ticks name the values), with a colour bar for the result. NaN
// cells (runs that failed or diverged) are left blank.
func Heatmap2D(path string, m Map, o Options) error {
	if err := checkAxis("x ("+m.XName+")", m.X); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := checkAxis("y ("+m.YName+")", m.Y); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if len(m.Z) != len(m.Y) {
		return fmt.Errorf("%s: Z has %d rows for %d y values (%s); expected Z[y][x]", path, len(m.Z), len(m.Y), m.YName)
	}
	for j, row := range m.Z {
		if len(row) != len(m.X) {
			return fmt.Errorf("%s: Z row %d has %d values for %d x values (%s)", path, j, len(row), len(m.X), m.XName)
		}
	}
	lo, hi, ok := finiteRange(m.Z...)
	if !ok {
		return fmt.Errorf("%s: every cell of Z (%s) is NaN or infinite; nothing to show", path, m.ZName)
	}
	zname := m.ZName
	if zname == "" {
		zname = "value"
	}
	cm, err := sequential()
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	scale := newColorScale(cm, lo, hi)
	nx, ny := len(m.X), len(m.Y)
	def := fmt.Sprintf("%s over %s and %s", zname, orName(m.XName, "x"), orName(m.YName, "y"))
	if blank := countNaN(m.Z); blank > 0 {
		def += fmt.Sprintf(" (%d of %d cells blank: NaN)", blank, nx*ny)
	}
	return render(path, o, 800, 600, func(dc draw.Canvas) error {
		dc = figureTitle(dc, o.title(def))
		p := heatPlot("", orName(m.XName, "x"), orName(m.YName, "y"), nx, ny, func(c, r int) color.Color {
			v := m.Z[r][c]
			if math.IsInf(v, 0) {
				return nil
			}
			return scale.at(v)
		})
		p.X.Tick.Marker = indexTicks{n: nx, pos: func(i int) float64 { return float64(i) }, label: func(i int) string { return fmtValue(m.X[i]) }}
		p.Y.Tick.Marker = indexTicks{n: ny, pos: func(i int) float64 { return float64(i) }, label: func(i int) string { return fmtValue(m.Y[i]) }}
		heatLayout(dc, []*gplot.Plot{p}, colorBar(scale, labelWith(zname, m.ZUnit)))
		return nil
	})
}

func checkAxis(what string, v []float64) error { return checkIncreasing(what, "value", "", v, 1) }

func countNaN(z [][]float64) int {
	n := 0
	for _, row := range z {
		for _, v := range row {
			if !finite(v) {
				n++
			}
		}
	}
	return n
}

func orName(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// sequential is the colour map of Heatmap2D: viridis' end and middle colours with luminance
// interpolated between them (moreland.NewLuminance). Its brightest colour is yellow, so no value
// looks like a blank NaN cell, which moreland's Kindlmann and black-body maps (ending in white)
// would.
func sequential() (palette.ColorMap, error) {
	return moreland.NewLuminance([]color.Color{
		color.NRGBA{0x44, 0x01, 0x54, 0xff},
		color.NRGBA{0x3b, 0x52, 0x8b, 0xff},
		color.NRGBA{0x21, 0x91, 0x8c, 0xff},
		color.NRGBA{0x5e, 0xc9, 0x62, 0xff},
		color.NRGBA{0xfd, 0xe7, 0x25, 0xff},
	})
}

// fmtValue writes a parameter value short: 3 significant digits.
func fmtValue(v float64) string { return strconv.FormatFloat(v, 'g', 3, 64) }
