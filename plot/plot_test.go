package plot

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"github.com/neuromass/neuromass/analysis"
)

// sines is a [node][sample] series of n nodes, T samples every dt ms: node i is a sine of
// 10·(i+1) Hz plus a node offset, so the nodes and their mean differ.
func sines(n, T int, dt float64) Series {
	s := Series{T: make([]float64, T), Values: make([][]float64, n), Quantity: "rate", Unit: "Hz"}
	for k := range s.T {
		s.T[k] = float64(k+1) * dt
	}
	for i := range s.Values {
		s.Values[i] = make([]float64, T)
		for k := range s.Values[i] {
			s.Values[i][k] = float64(i) + math.Sin(2*math.Pi*10*float64(i+1)*s.T[k]/1000)
		}
	}
	return s
}

// matrix is a symmetric n x n matrix with 1 on the diagonal and entries cos(i·j) off it.
func matrix(n int, f func(i, j int) float64) [][]float64 {
	m := make([][]float64, n)
	for i := range m {
		m[i] = make([]float64, n)
		for j := range m[i] {
			if i == j {
				m[i][j] = 1
			} else {
				m[i][j] = f(min(i, j), max(i, j))
			}
		}
	}
	return m
}

// pictures renders with draw to a PNG and an SVG of the given size (0 x 0: the default, which
// is defW x defH) and checks both: the PNG has that size in pixels and is not blank, the SVG is
// well-formed XML whose root has the same physical size in points. It returns the SVG's text.
func pictures(t *testing.T, w, h, defW, defH int, draw func(path string, o Options) error) string {
	t.Helper()
	dir := t.TempDir()
	o := Options{Width: w, Height: h}
	if w == 0 {
		w, h = defW, defH
	}
	pngPath := filepath.Join(dir, "x.png")
	if err := draw(pngPath, o); err != nil {
		t.Fatalf("png: %v", err)
	}
	checkPNG(t, pngPath, w, h)
	svgPath := filepath.Join(dir, "x.svg")
	if err := draw(svgPath, o); err != nil {
		t.Fatalf("svg: %v", err)
	}
	svg := checkSVG(t, svgPath, w, h)
	left, _ := filepath.Glob(filepath.Join(dir, ".*"))
	if len(left) > 0 {
		t.Errorf("temporary files left behind: %v", left)
	}
	return svg
}

func checkPNG(t *testing.T, path string, w, h int) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if b := img.Bounds(); b.Dx() != w || b.Dy() != h {
		t.Fatalf("%s is %d x %d pixels, asked for %d x %d", path, b.Dx(), b.Dy(), w, h)
	}
	if err := notBlank(img); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// notBlank says why img looks like no data was drawn on it. Every plot here draws its data in
// colour (lines, dots, heat maps) and its axes and text in black and grey, so it counts the
// pixels that differ from the background (the corner pixel) and the chromatic ones (channels
// differing by more than 40 of 255, which anti-aliased black never does). Axes, ticks and labels
// alone cover 0.9% of a 900 x 500 plot (TestNotBlankRejectsBlank draws one) and no chromatic
// pixel; one thin coloured line across the plot adds about 1% and 0.3% in colour. A picture
// passes with 1.2% drawn and 0.02% (90 pixels of 900 x 500) in colour: the spectrum of clean
// sines, whose coloured lines mostly hide under the black mean, has 3.9% and 0.09%.
func notBlank(img image.Image) error {
	b := img.Bounds()
	bg := img.At(b.Min.X, b.Min.Y)
	other, chroma := 0, 0
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			c := img.At(x, y)
			if c == bg {
				continue
			}
			other++
			r, g, bb, _ := c.RGBA()
			if max(r, g, bb)-min(r, g, bb) > 40*0x101 {
				chroma++
			}
		}
	}
	n := float64(b.Dx() * b.Dy())
	if f, fc := float64(other)/n, float64(chroma)/n; f < 0.012 || fc < 0.0002 {
		return fmt.Errorf("looks blank: %.2f%% of the pixels not background, %.2f%% in colour", 100*f, 100*fc)
	}
	return nil
}

// checkSVG parses the whole file as XML and checks the root's width and height (points).
func checkSVG(t *testing.T, path string, w, h int) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	d := xml.NewDecoder(bytes.NewReader(b))
	var root *xml.StartElement
	for {
		tok, err := d.Token()
		if err != nil {
			if err.Error() == "EOF" {
				break
			}
			t.Fatalf("%s is not well-formed XML: %v", path, err)
		}
		if se, ok := tok.(xml.StartElement); ok && root == nil {
			se := se.Copy()
			root = &se
		}
	}
	if root == nil || root.Name.Local != "svg" {
		t.Fatalf("%s: the root element is not <svg>", path)
	}
	attr := map[string]string{}
	for _, a := range root.Attr {
		attr[a.Name.Local] = a.Value
	}
	// 0.75 points per pixel (96 dpi); the expectation is written out, not asked of the code.
	for name, px := range map[string]int{"width": w, "height": h} {
		got, ok := strings.CutSuffix(attr[name], "pt")
		if !ok {
			t.Fatalf("%s: %s=%q, expected points", path, name, attr[name])
		}
		v, err := strconv.ParseFloat(got, 64)
		if err != nil || math.Abs(v-0.75*float64(px)) > 1e-6 {
			t.Fatalf("%s: %s=%q, expected %gpt (%d pixels)", path, name, attr[name], 0.75*float64(px), px)
		}
	}
	return string(b)
}

func TestNotBlankRejectsBlank(t *testing.T) {
	c := vgimg.New(vg.Points(300), vg.Points(200))
	if err := notBlank(c.Image()); err == nil {
		t.Fatal("an empty canvas passed the not-blank check")
	}
	// axes, ticks, labels and a title, but no data
	c = vgimg.New(vg.Length(900)*vg.Inch/dpi, vg.Length(500)*vg.Inch/dpi)
	p := newPlot("rate of V1", "time (ms)", "rate (Hz)")
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = 0, 200, -1, 1
	p.Draw(draw.New(c))
	if err := notBlank(c.Image()); err == nil {
		t.Fatal("a plot without data passed the not-blank check")
	}
}

func TestTimeSeries(t *testing.T) {
	s := sines(6, 3000, 0.1)
	for _, size := range [][2]int{{0, 0}, {640, 360}} {
		svg := pictures(t, size[0], size[1], defaultWidth, defaultHeight, func(p string, o Options) error { return TimeSeries(p, s, o) })
		for _, want := range []string{"rate: mean over 6 nodes and 3 single nodes", "time (ms)", "rate (Hz)", "node 0", "node 2", "node 4", "mean"} {
			if !strings.Contains(svg, want) {
				t.Errorf("the SVG has no %q", want)
			}
		}
	}
}

func TestOneNode(t *testing.T) {
	s := sines(1, 2000, 0.1)
	s.Names = []string{"V1"}
	svg := pictures(t, 0, 0, defaultWidth, defaultHeight, func(p string, o Options) error { return TimeSeries(p, s, o) })
	if !strings.Contains(svg, "rate of V1") || strings.Contains(svg, "mean") {
		t.Error("one node is not drawn as itself, without a mean")
	}
	svg = pictures(t, 0, 0, defaultWidth, defaultHeight, func(p string, o Options) error {
		return Spectrum(p, s, analysis.SpectrumOptions{}, o)
	})
	if !strings.Contains(svg, ">V1<") || strings.Contains(svg, ">mean<") {
		t.Error("one node's spectrum is not drawn as itself, without a mean")
	}
}

func TestTimeSeriesLongIsThinnedAndSeconds(t *testing.T) {
	// 20 s at 0.1 ms: 200 000 samples a node. Drawn 900 pixels wide, each line keeps at most
	// 2 points per pixel column, so the SVG stays small.
	s := sines(2, 200000, 0.1)
	s.Values[1][5000] = math.NaN() // a gap, not an error
	dir := t.TempDir()
	p := filepath.Join(dir, "long.svg")
	if err := TimeSeries(p, s, Options{}); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(p)
	if !strings.Contains(string(b), "time (s)") {
		t.Error("a 20 s series is not drawn in seconds")
	}
	// 3 lines x 2·900 points x ~20 bytes a point is ~110 KB; unthinned it would be ~12 MB.
	if len(b) > 400_000 {
		t.Errorf("the SVG of a thinned 200 000 sample series is %d bytes", len(b))
	}
}

func TestBOLD(t *testing.T) {
	// 20 BOLD samples every 2 s.
	s := Series{T: make([]float64, 20), Values: make([][]float64, 4)}
	for k := range s.T {
		s.T[k] = 2000 * float64(k+1)
	}
	for i := range s.Values {
		s.Values[i] = make([]float64, 20)
		for k := range s.Values[i] {
			s.Values[i][k] = 0.01*float64(i) + 0.02*math.Sin(float64(k)/3)
		}
	}
	svg := pictures(t, 500, 300, defaultWidth, defaultHeight, func(p string, o Options) error {
		o.Note = "member 1 of 2"
		return BOLD(p, s, o)
	})
	if !strings.Contains(svg, "time (s)") || !strings.Contains(svg, "BOLD: mean over 4 nodes and 3 single nodes (member 1 of 2)") {
		t.Error("BOLD is not titled as BOLD with time in s")
	}
}

func TestSpectrum(t *testing.T) {
	s := sines(4, 20000, 0.1) // 2 s at 0.1 ms: 10, 20, 30, 40 Hz
	s.Values = append(s.Values, make([]float64, 20000))
	s.Values[4][7] = math.Inf(1) // left out, and said so
	svg := pictures(t, 0, 0, defaultWidth, defaultHeight, func(p string, o Options) error {
		return Spectrum(p, s, analysis.SpectrumOptions{}, o)
	})
	for _, want := range []string{"power spectrum of rate (Welch); 1 node not finite, left out", "frequency (Hz)", "power (Hz²)"} {
		if !strings.Contains(svg, want) {
			t.Errorf("the SVG has no %q", want)
		}
	}
}

func TestFCPair(t *testing.T) {
	n := 30
	emp := matrix(n, func(i, j int) float64 { return math.Cos(float64(i * j)) })
	same := pictures(t, 0, 0, 1100, 520, func(p string, o Options) error {
		return FCPair(p, FC{Simulated: emp, Empirical: emp, SimulatedLabel: "BOLD FC"}, o)
	})
	// The upper triangles are equal: correlation 1, as written in the title with 3 decimals.
	if !strings.Contains(same, "FC: BOLD FC vs empirical, r = 1.000") {
		t.Error("identical matrices are not titled r = 1.000")
	}
	neg := matrix(n, func(i, j int) float64 { return -math.Cos(float64(i * j)) })
	anti := pictures(t, 800, 400, 1100, 520, func(p string, o Options) error { return FCPair(p, FC{Simulated: neg, Empirical: emp}, o) })
	// Negated off-diagonal entries: the upper triangles correlate -1.
	if !strings.Contains(anti, "r = -1.000") {
		t.Error("negated matrices are not titled r = -1.000")
	}
	withNaN := matrix(n, func(i, j int) float64 { return math.Cos(float64(i + j)) })
	withNaN[3][4] = math.NaN()
	nan := pictures(t, 0, 0, 1100, 520, func(p string, o Options) error { return FCPair(p, FC{Simulated: withNaN, Empirical: emp}, o) })
	if !strings.Contains(nan, "r undefined") {
		t.Error("an FC with NaN is not titled r undefined")
	}
	// A big matrix stays one embedded image, not a rectangle per cell.
	big := matrix(400, func(i, j int) float64 { return math.Sin(float64(i*j) / 50) })
	dir := t.TempDir()
	p := filepath.Join(dir, "big.svg")
	if err := FCPair(p, FC{Simulated: big, Empirical: big}, Options{}); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(p)
	if c := strings.Count(string(b), "<image"); c != 3 { // two heat maps and the colour bar
		t.Errorf("the SVG of two 400 x 400 FCs has %d images, expected 3", c)
	}
}

func TestHeatmap2D(t *testing.T) {
	m := Map{X: []float64{0, 0.5, 1, 1.5}, Y: []float64{1, 2, 4}, XName: "mue_ext_mean", YName: "mui_ext_mean", ZName: "max rate", ZUnit: "Hz"}
	m.Z = [][]float64{{1, 2, 3, 4}, {2, math.NaN(), 6, 8}, {3, 6, math.NaN(), 12}}
	svg := pictures(t, 0, 0, 800, 600, func(p string, o Options) error { return Heatmap2D(p, m, o) })
	for _, want := range []string{"max rate over mue_ext_mean and mui_ext_mean (2 of 12 cells blank: NaN)", "max rate (Hz)", ">1.5<", ">4<"} {
		if !strings.Contains(svg, want) {
			t.Errorf("the SVG has no %q", want)
		}
	}
	// One cell, and a constant map, are drawable too.
	one := Map{X: []float64{3}, Y: []float64{7}, Z: [][]float64{{5}}}
	pictures(t, 400, 300, 800, 600, func(p string, o Options) error { return Heatmap2D(p, one, o) })
}

func TestCellImage(t *testing.T) {
	// 3 columns x 2 rows; row 0 is the bottom of the image, the NaN-like nil cell transparent.
	red, blue := color.NRGBA{R: 255, A: 255}, color.NRGBA{B: 255, A: 255}
	img := cellImage(3, 2, func(c, r int) color.Color {
		switch {
		case c == 1 && r == 1:
			return nil
		case r == 0:
			return red
		}
		return blue
	})
	k := img.Bounds().Dx() / 3
	if img.Bounds().Dy() != 2*k || k < 1 {
		t.Fatalf("image %v for 3 x 2 cells", img.Bounds())
	}
	at := func(c, r int) color.NRGBA { return img.NRGBAAt(c*k+k/2, (1-r)*k+k/2) }
	if at(0, 0) != red || at(2, 0) != red || at(0, 1) != blue || at(1, 1).A != 0 {
		t.Errorf("cells: bottom %v %v, top %v, blank %v", at(0, 0), at(2, 0), at(0, 1), at(1, 1))
	}
}

func TestEvolution(t *testing.T) {
	e := Evolution{Best: []float64{0.1, 0.3, 0.35, 0.5, 0.52}, Mean: []float64{0.0, 0.1, math.NaN(), 0.3, 0.4}, Fitness: "FC fit"}
	svg := pictures(t, 0, 0, defaultWidth, defaultHeight, func(p string, o Options) error { return EvolutionProgress(p, e, o) })
	if !strings.Contains(svg, "evolution: FC fit over 5 generations") {
		t.Error("no title")
	}
	pop := Population{Names: []string{"K_gl", "sigma_ou", "signalV", "b"}}
	for g := range 6 {
		for i := range 10 {
			pop.Generation = append(pop.Generation, g)
			x := float64(i) / 10
			pop.Values = append(pop.Values, []float64{x / float64(g+1), 0.1 * x, 20 - x, float64(g)})
		}
	}
	svg = pictures(t, 0, 0, defaultWidth, 640, func(p string, o Options) error { return EvolutionParameters(p, pop, o) })
	for _, want := range []string{"parameters of 60 individuals over 6 generations", "sigma_ou", "signalV"} {
		if !strings.Contains(svg, want) {
			t.Errorf("the SVG has no %q", want)
		}
	}
}

func TestControl(t *testing.T) {
	T := 500
	c := Control{T: make([]float64, T), StateUnit: "Hz", InputUnit: "mV/ms"}
	for k := range c.T {
		c.T[k] = 0.1 * float64(k)
	}
	for ch := range 2 {
		st, tg, in := make([]float64, T), make([]float64, T), make([]float64, T)
		for k := range st {
			tg[k] = float64(ch + 1)
			st[k] = tg[k] * (1 - math.Exp(-float64(k)/100))
			in[k] = math.Exp(-float64(k)/100) * float64(ch+1)
			if k < 50 {
				tg[k] = math.NaN() // no target in the first 5 ms
			}
		}
		c.State, c.Target, c.Input = append(c.State, st), append(c.Target, tg), append(c.Input, in)
	}
	svg := pictures(t, 0, 0, defaultWidth, 700, func(p string, o Options) error { return ControlPlot(p, c, o) })
	for _, want := range []string{"optimal control", "state (solid) and target (dashed)", "control input", "input (mV/ms)", "state 1"} {
		if !strings.Contains(svg, want) {
			t.Errorf("the SVG has no %q", want)
		}
	}
}

func TestThinKeepsExtremes(t *testing.T) {
	n := 10000
	x, y := make([]float64, n), make([]float64, n)
	for i := range y {
		x[i] = float64(i)
		y[i] = math.Sin(float64(i) / 100)
	}
	y[1234], y[8765] = 7, -9 // spikes a plain stride would skip
	xy := thin(x, y, 100)
	if len(xy) > 200 {
		t.Errorf("%d points from 100 buckets", len(xy))
	}
	var hi, lo bool
	for k, p := range xy {
		hi = hi || (p.X == 1234 && p.Y == 7)
		lo = lo || (p.X == 8765 && p.Y == -9)
		if k > 0 && !(p.X > xy[k-1].X) {
			t.Fatalf("points out of order at %d", k)
		}
	}
	if !hi || !lo {
		t.Error("thinning lost a spike")
	}
	segs := lineSegments([]float64{0, 1, 2, 3, 4, 5}, []float64{1, math.NaN(), 2, 3, math.Inf(1), 4}, 100)
	if len(segs) != 3 || len(segs[0]) != 1 || len(segs[1]) != 2 || len(segs[2]) != 1 {
		t.Errorf("segments %v, expected [1] [2 3] [4] split at NaN and Inf", segs)
	}
}

func TestBadInput(t *testing.T) {
	dir := t.TempDir()
	good := sines(3, 100, 0.1)
	png := filepath.Join(dir, "x.png")
	notDir := filepath.Join(dir, "file")
	if err := os.WriteFile(notDir, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	ragged := sines(3, 100, 0.1)
	ragged.Values[1] = ragged.Values[1][:50]
	backwards := sines(3, 100, 0.1)
	backwards.T[10] = backwards.T[9]
	allNaN := sines(1, 10, 0.1)
	for k := range allNaN.Values[0] {
		allNaN.Values[0][k] = math.NaN()
	}
	gappy := sines(2, 100, 0.1)
	gappy.T[50] += 0.05
	emp := matrix(5, func(i, j int) float64 { return 0.1 * float64(i+j) })
	cases := []struct {
		name, want string
		err        error
	}{
		{"unknown extension", `unknown picture format ".jpg"`, TimeSeries(filepath.Join(dir, "x.jpg"), good, Options{})},
		{"no extension", "no file extension", TimeSeries(filepath.Join(dir, "x"), good, Options{})},
		{"empty path", "no output file", TimeSeries("", good, Options{})},
		{"missing folder", "no such file or directory", TimeSeries(filepath.Join(dir, "no", "x.png"), good, Options{})},
		{"folder is a file", "not a directory", TimeSeries(filepath.Join(notDir, "x.png"), good, Options{})},
		{"negative size", "size -5 x 10 pixels", TimeSeries(png, good, Options{Width: -5, Height: 10})},
		{"huge size", "expected 1 to 20000", TimeSeries(png, good, Options{Width: 100000})},
		{"bad time unit", `time unit "min"`, TimeSeries(png, good, Options{TimeUnit: "min"})},
		{"empty series", "0 times, expected at least 2", TimeSeries(png, Series{}, Options{})},
		{"no nodes", "no nodes", TimeSeries(png, Series{T: []float64{1, 2}}, Options{})},
		{"ragged", "node 1 has 50 samples, expected 100", TimeSeries(png, ragged, Options{})},
		{"times repeat", "times 9 and 10", TimeSeries(png, backwards, Options{})},
		{"names", "2 node names for 3 nodes", TimeSeries(png, Series{T: good.T, Values: good.Values, Names: []string{"a", "b"}}, Options{})},
		{"all NaN", "no finite value", BOLD(png, allNaN, Options{})},
		{"uneven sampling", "constant sampling interval", Spectrum(png, gappy, analysis.SpectrumOptions{}, Options{})},
		{"constant spectrum", "power is 0", Spectrum(png, Series{T: good.T, Values: [][]float64{make([]float64, 100)}}, analysis.SpectrumOptions{}, Options{})},
		{"empty FC", "simulated FC: empty matrix", FCPair(png, FC{Empirical: emp}, Options{})},
		{"FC not square", "row 2 has 4 entries", FCPair(png, FC{Simulated: emp, Empirical: [][]float64{{1, 2, 3}, {1, 2, 3}, {1, 2, 3, 4}}}, Options{})},
		{"FC sizes", "5 x 5 and the empirical FC 3 x 3", FCPair(png, FC{Simulated: emp, Empirical: matrix(3, func(i, j int) float64 { return 0 })}, Options{})},
		{"map Z shape", "Z has 1 rows for 2 y values", Heatmap2D(png, Map{X: []float64{1, 2}, Y: []float64{1, 2}, Z: [][]float64{{1, 2}}}, Options{})},
		{"map row", "Z row 0 has 1 values for 2 x values", Heatmap2D(png, Map{X: []float64{1, 2}, Y: []float64{1}, Z: [][]float64{{1}}}, Options{})},
		{"map axis order", "values 0 and 1 (2, 1) do not increase", Heatmap2D(png, Map{X: []float64{2, 1}, Y: []float64{1}, Z: [][]float64{{1, 2}}}, Options{})},
		{"map all NaN", "every cell of Z", Heatmap2D(png, Map{X: []float64{1}, Y: []float64{1}, Z: [][]float64{{math.NaN()}}}, Options{})},
		{"map no axis", "x (a): 0 values", Heatmap2D(png, Map{XName: "a", Y: []float64{1}}, Options{})},
		{"evolution empty", "no generations", EvolutionProgress(png, Evolution{}, Options{})},
		{"evolution lengths", "3 best and 2 mean", EvolutionProgress(png, Evolution{Best: []float64{1, 2, 3}, Mean: []float64{1, 2}}, Options{})},
		{"population no names", "no parameters named", EvolutionParameters(png, Population{}, Options{})},
		{"population generations", "1 generation numbers for 2 individuals", EvolutionParameters(png, Population{Names: []string{"a"}, Generation: []int{0}, Values: [][]float64{{1}, {2}}}, Options{})},
		{"population row", "individual 1 has 2 values for 1 parameters", EvolutionParameters(png, Population{Names: []string{"a"}, Generation: []int{0, 1}, Values: [][]float64{{1}, {2, 3}}}, Options{})},
		{"population negative generation", "generation -1", EvolutionParameters(png, Population{Names: []string{"a"}, Generation: []int{-1}, Values: [][]float64{{1}}}, Options{})},
		{"control target rows", "1 target rows for 3 state channels", ControlPlot(png, Control{T: good.T, State: good.Values, Target: good.Values[:1]}, Options{})},
		{"control input length", "input: channel 0 has 50 samples", ControlPlot(png, Control{T: good.T, State: good.Values, Input: [][]float64{make([]float64, 50)}}, Options{})},
		{"control no state", "no channels", ControlPlot(png, Control{T: good.T}, Options{})},
	}
	for _, c := range cases {
		if c.err == nil {
			t.Errorf("%s: no error", c.name)
			continue
		}
		if !strings.Contains(c.err.Error(), c.want) {
			t.Errorf("%s: error %q does not say %q", c.name, c.err, c.want)
		}
	}
	if _, err := os.Stat(png); err == nil {
		t.Error("a failed plot left a file under the final name")
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".*")); len(left) > 0 {
		t.Errorf("temporary files left behind: %v", left)
	}
}

// halfWriter is a picture whose writing fails halfway, as on a full disk.
type halfWriter struct{ vgimg.PngCanvas }

func (h *halfWriter) WriteTo(w io.Writer) (int64, error) {
	n, _ := w.Write([]byte("\x89PNG\r\n\x1a\n half"))
	return int64(n), syscall.ENOSPC
}

func TestWriteFailureKeepsOldFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "x.png")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	c := &halfWriter{PngCanvas: vgimg.PngCanvas{Canvas: vgimg.New(vg.Points(10), vg.Points(10))}}
	err := writeAtomic(path, c)
	if err == nil || !strings.Contains(err.Error(), "no space left") {
		t.Fatalf("error %v, expected the writer's", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "old" {
		t.Errorf("the existing file became %q", b)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".*")); len(left) > 0 {
		t.Errorf("temporary files left behind: %v", left)
	}
}

func TestTicks(t *testing.T) {
	var labels []string
	for _, tk := range (logTicks{}).Ticks(3e-13, 50) {
		if tk.Label != "" {
			labels = append(labels, tk.Label)
		}
	}
	// 14 decades from 1e-12 to 10: every second one labelled.
	if got := strings.Join(labels, " "); got != "1e-12 1e-10 1e-08 1e-06 0.0001 0.01 1" {
		t.Errorf("log labels %q", got)
	}
	for _, tk := range (intTicks{}).Ticks(0, 5) {
		if tk.Value != math.Trunc(tk.Value) {
			t.Errorf("generation tick at %v", tk.Value)
		}
	}
	if one := (intTicks{}).Ticks(2.5, 3.5); len(one) == 0 || one[0].Value != 3 {
		t.Errorf("one generation: ticks %v", one)
	}
}

func TestChunks(t *testing.T) {
	for _, n := range []int{1, 2, 64, 65, 127, 128, 1000} {
		xy := make(plotter.XYs, n)
		for i := range xy {
			xy[i] = plotter.XY{X: float64(i), Y: float64(i % 7)}
		}
		var joined plotter.XYs
		for k, c := range chunks(xy) {
			if len(c) > chunkPoints || (n > 1 && len(c) < 2) {
				t.Fatalf("n=%d: chunk %d has %d points", n, k, len(c))
			}
			if k > 0 {
				if c[0] != joined[len(joined)-1] {
					t.Fatalf("n=%d: chunk %d does not start where chunk %d ended", n, k, k-1)
				}
				c = c[1:]
			}
			joined = append(joined, c...)
		}
		if len(joined) != n {
			t.Fatalf("n=%d: the chunks hold %d points", n, len(joined))
		}
		for i := range joined {
			if joined[i] != xy[i] {
				t.Fatalf("n=%d: point %d differs", n, i)
			}
		}
	}
}
