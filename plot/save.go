package plot

import (
	"bufio"
	"errors"
	"fmt"
	"image/color"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Options are the settings every plot shares; the zero value is a picture of the plot's default
// size with its default title.
type Options struct {
	// Width and Height are the picture's size in pixels (PNG, 96 dpi); an SVG has the same
	// physical size, Width·0.75 by Height·0.75 points. 0 means the plot's default.
	Width, Height int
	// Title replaces the plot's own title when set.
	Title string
	// Note is appended to the plot's own title ("member 2 of 8", a file name); not to Title.
	Note string
	// Nodes is how many single nodes a time series or spectrum plot draws beside the mean over
	// all nodes: 0 means 3, a negative number none (only the mean).
	Nodes int
	// TimeUnit is the unit of time axes: "ms", "s", or "" to choose (s when the series spans
	// more than 10 s, else ms). Times are always given in ms.
	TimeUnit string
}

// MaxPixels bounds Width and Height: a bigger picture is more likely a mistake than a wish, and
// its raster would take gigabytes.
const MaxPixels = 20000

// dpi is the PNG resolution: vgimg's default, at which a 12 pt label is 16 pixels high.
const dpi = 96

// size returns the picture's size in points, from o or the defaults in pixels.
func (o Options) size(defW, defH int) (vg.Length, vg.Length, error) {
	w, h := o.Width, o.Height
	if w == 0 {
		w = defW
	}
	if h == 0 {
		h = defH
	}
	if w < 1 || h < 1 || w > MaxPixels || h > MaxPixels {
		return 0, 0, fmt.Errorf("size %d x %d pixels: expected 1 to %d each (0 for the default)", o.Width, o.Height, MaxPixels)
	}
	// One pixel is 72/96 points at 96 dpi; vgimg rounds w/72·96 back to exactly w pixels.
	return vg.Length(w) * vg.Inch / dpi, vg.Length(h) * vg.Inch / dpi, nil
}

// title is o.Title, or def with o.Note when it is empty.
func (o Options) title(def string) string {
	switch {
	case o.Title != "":
		return o.Title
	case o.Note != "":
		return def + " (" + o.Note + ")"
	}
	return def
}

// Formats are the file extensions the plots can be written as.
var Formats = []string{".png", ".svg"}

// formatOf returns the format named by path's extension: "png" or "svg".
func formatOf(path string) (string, error) {
	if path == "" {
		return "", errors.New("no output file given")
	}
	ext := strings.ToLower(filepath.Ext(path))
	switch ext {
	case ".png", ".svg":
		return ext[1:], nil
	case "":
		return "", fmt.Errorf("%s: no file extension; expected .png or .svg", path)
	}
	return "", fmt.Errorf("%s: unknown picture format %q; expected .png or .svg", path, ext)
}

// render draws a picture of o's size (defW x defH pixels by default) with fn and writes it to
// path. Everything that can be wrong with the data is checked before render is called; the
// recover is a last line of defence against a panic inside gonum/plot on data the checks did
// not foresee, so that a caller gets an error and no half-written file.
func render(path string, o Options, defW, defH int, fn func(dc draw.Canvas) error) (err error) {
	format, err := formatOf(path)
	if err != nil {
		return err
	}
	w, h, err := o.size(defW, defH)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	c, err := draw.NewFormattedCanvas(w, h, format)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%s: drawing failed: %v", path, r)
		}
	}()
	if err := fn(draw.New(c)); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return writeAtomic(path, c)
}

// writeAtomic writes c to a temporary file in path's directory and renames it to path when
// complete; on error the temporary file is removed and an existing path is untouched.
func writeAtomic(path string, c vg.CanvasWriterTo) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".*.tmp")
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	bw := bufio.NewWriter(f)
	if _, err = c.WriteTo(bw); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if err = bw.Flush(); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	// CreateTemp makes the file 0600; a picture is as readable as any file the user creates.
	if err = f.Chmod(0o644); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if err = f.Close(); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if err = os.Rename(tmp, path); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// figureTitle draws a title across the top of dc and returns the canvas below it.
func figureTitle(dc draw.Canvas, title string) draw.Canvas {
	if title == "" {
		return dc
	}
	sty := titleStyle()
	rect := sty.Rectangle(title)
	pad := vg.Points(4)
	dc.FillText(sty, vg.Point{X: dc.Center().X, Y: dc.Max.Y - pad + sty.FontExtents().Descent}, title)
	return draw.Crop(dc, 0, 0, 0, -(rect.Size().Y + 2*pad))
}

// titleStyle is gonum/plot's title style (what plot.New gives a plot's title).
func titleStyle() text.Style {
	p := gplot.New()
	sty := p.Title.TextStyle
	sty.Font.Size = vg.Points(13)
	sty.YAlign = draw.YTop
	return sty
}

// newPlot is a plot with a title and axis labels, and a light grid.
func newPlot(title, x, y string) *gplot.Plot {
	p := gplot.New()
	p.Title.Text = title
	p.X.Label.Text = x
	p.Y.Label.Text = y
	p.Legend.Top = true
	return p
}

// labelWith is "name (unit)", or name alone without a unit.
func labelWith(name, unit string) string {
	if unit == "" {
		return name
	}
	return name + " (" + unit + ")"
}

// Colours of the lines: distinguishable on white and in grey print (Paul Tol's bright scheme).
var lineColors = []color.Color{
	color.RGBA{R: 0x44, G: 0x77, B: 0xaa, A: 0xff},
	color.RGBA{R: 0xee, G: 0x66, B: 0x77, A: 0xff},
	color.RGBA{R: 0x22, G: 0x88, B: 0x33, A: 0xff},
	color.RGBA{R: 0xcc, G: 0xbb, B: 0x44, A: 0xff},
	color.RGBA{R: 0x66, G: 0xcc, B: 0xee, A: 0xff},
	color.RGBA{R: 0xaa, G: 0x33, B: 0x77, A: 0xff},
}

// blackish draws the mean: near black, distinct from the grid.
var blackish = color.RGBA{R: 0x20, G: 0x20, B: 0x20, A: 0xff}

func lineColor(i int) color.Color { return lineColors[i%len(lineColors)] }

// finiteRange returns the smallest and largest finite values of xs, ok false when there is none.
func finiteRange(xs ...[]float64) (lo, hi float64, ok bool) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, x := range xs {
		for _, v := range x {
			if !math.IsNaN(v) && !math.IsInf(v, 0) {
				lo, hi = min(lo, v), max(hi, v)
				ok = true
			}
		}
	}
	return lo, hi, ok
}

// drawSingle draws one plot with a small margin at the right and top, where gonum/plot leaves
// none (its legend and last tick label would touch the edge).
func drawSingle(p *gplot.Plot, dc draw.Canvas) {
	p.Draw(draw.Crop(dc, 0, -vg.Points(10), 0, -vg.Points(4)))
}

// legendRoom raises the top of p's y range so that a legend of entries lines in the top corner
// sits above the data instead of over it (log: in decades).
func legendRoom(p *gplot.Plot, entries int, log bool) {
	if entries == 0 || !(p.Y.Max > p.Y.Min) {
		return
	}
	// A legend line is about 5% of a default plot's data height.
	frac := min(0.05*float64(entries)+0.04, 0.6)
	if log {
		lo, hi := math.Log10(p.Y.Min), math.Log10(p.Y.Max)
		p.Y.Max = math.Pow(10, hi+frac*(hi-lo))
		return
	}
	p.Y.Max += frac * (p.Y.Max - p.Y.Min)
}

// logTicks marks the decades of a log axis, labelled 1e-3, 0.01, 0.1, 1, 10, 100, 1e3 (at most
// about 8 labels; the decades between are unlabelled ticks).
type logTicks struct{}

func (logTicks) Ticks(lo, hi float64) []gplot.Tick {
	if !(lo > 0) || !(hi > lo) {
		return nil
	}
	a, b := int(math.Floor(math.Log10(lo))), int(math.Ceil(math.Log10(hi)))
	every := max(1, (b-a+7)/8)
	var ticks []gplot.Tick
	for e := a; e <= b; e++ {
		v := math.Pow(10, float64(e))
		if v < lo || v > hi {
			continue
		}
		t := gplot.Tick{Value: v}
		if e%every == 0 {
			t.Label = strconv.FormatFloat(v, 'g', -1, 64)
		}
		ticks = append(ticks, t)
	}
	return ticks
}

// intTicks keeps the default ticks at whole numbers (generations).
type intTicks struct{}

func (intTicks) Ticks(lo, hi float64) []gplot.Tick {
	var out []gplot.Tick
	for _, t := range (gplot.DefaultTicks{}).Ticks(lo, hi) {
		if t.Value == math.Trunc(t.Value) {
			if t.Label != "" {
				t.Label = strconv.FormatFloat(t.Value, 'f', 0, 64)
			}
			out = append(out, t)
		}
	}
	if len(out) == 0 && hi-lo < 1 {
		// A single generation: one tick at it.
		v := math.Round((lo + hi) / 2)
		out = append(out, gplot.Tick{Value: v, Label: strconv.FormatFloat(v, 'f', 0, 64)})
	}
	return out
}
