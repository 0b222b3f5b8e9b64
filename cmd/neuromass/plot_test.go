package main

import (
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/neuromass/neuromass/internal/testref"
	"github.com/neuromass/neuromass/store"
)

// checkPicture decodes a PNG and checks its size and that data is drawn on it: the plots draw
// axes and text in black and grey and their data in colour, so a picture needs pixels whose
// channels differ by more than 40 of 255 (an axes-only plot has none; one coloured line
// across a plot has thousands; 200 is the floor).
func checkPicture(t *testing.T, path string, w, h int) {
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
	b := img.Bounds()
	if b.Dx() != w || b.Dy() != h {
		t.Errorf("%s is %d x %d, expected %d x %d", path, b.Dx(), b.Dy(), w, h)
	}
	colour := 0
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bb, _ := img.At(x, y).RGBA()
			if max(r, g, bb)-min(r, g, bb) > 40*0x101 {
				colour++
			}
		}
	}
	if colour < 200 {
		t.Errorf("%s has %d pixels in colour: no data drawn?", path, colour)
	}
}

func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	slices.Sort(names)
	return names
}

// run --plot on the gw dataset with BOLD: the time series, spectrum, BOLD and the FC against gw's
// empirical FC.
func TestRunPlotDataset(t *testing.T) {
	gwDir := filepath.Join(testref.Dir(t), "datasets", "gw")
	dir := filepath.Join(t.TempDir(), "figs", "new") // created, parents too
	out, errs := mustRun(t, "run", "--model", "hopf", "--dataset", gwDir, "--bold", "--tr", "500", "--duration", "2000", "--plot", dir)
	if !strings.Contains(out, "plots in "+dir+": timeseries.png, spectrum.png, bold.png, fc.png") || errs != "" {
		t.Errorf("stdout %q, stderr %q", out, errs)
	}
	if got := dirNames(t, dir); !slices.Equal(got, []string{"bold.png", "fc.png", "spectrum.png", "timeseries.png"}) {
		t.Errorf("%s holds %v", dir, got)
	}
	for name, size := range map[string][2]int{"timeseries.png": {900, 500}, "spectrum.png": {900, 500}, "bold.png": {900, 500}, "fc.png": {1100, 520}} {
		checkPicture(t, filepath.Join(dir, name), size[0], size[1])
	}
}

// run --plot on the built-in connectome: no dataset, so no fc.png; no --bold, no bold.png. With
// --out the result file is written too, and "plot" then draws every output of it.
func TestRunPlotAndPlotFile(t *testing.T) {
	tmp := t.TempDir()
	dir, res := filepath.Join(tmp, "figs"), filepath.Join(tmp, "wc.npz")
	out, _ := mustRun(t, "run", "--model", "wc", "--members", "2", "--duration", "300", "--out", res, "--plot", dir)
	if !strings.Contains(out, "wrote "+res) || !strings.Contains(out, "plots in "+dir+": timeseries.png, spectrum.png\n") {
		t.Errorf("stdout %q", out)
	}
	if got := dirNames(t, dir); !slices.Equal(got, []string{"spectrum.png", "timeseries.png"}) {
		t.Errorf("%s holds %v", dir, got)
	}

	out, _ = mustRun(t, "plot", res, "--member", "1")
	def := filepath.Join(tmp, "wc_plots")
	want := []string{"exc.png", "exc_spectrum.png", "inh.png", "inh_spectrum.png"}
	if got := dirNames(t, def); !slices.Equal(got, want) {
		t.Errorf("plot wrote %v into %s, expected %v (stdout %q)", got, def, want, out)
	}
	checkPicture(t, filepath.Join(def, "exc.png"), 900, 500)

	svgDir := filepath.Join(tmp, "svg")
	mustRun(t, "plot", res, "--out", svgDir, "--format", "svg", "--width", "600", "--height", "400")
	b, err := os.ReadFile(filepath.Join(svgDir, "exc.svg"))
	if err != nil {
		t.Fatal(err)
	}
	// 600 x 400 pixels are 450 x 300 points; the title names the member drawn.
	if !strings.Contains(string(b), `<svg width="450pt" height="300pt"`) || !strings.Contains(string(b), "(member 0 of 2)") {
		t.Errorf("exc.svg starts %q", string(b[:min(len(b), 300)]))
	}

	// a window: the x axis spans 100 to 200 ms, nothing of the 300 ms run beyond
	winDir := filepath.Join(tmp, "win")
	mustRun(t, "plot", res, "--from", "100", "--to", "200", "--format", "svg", "--out", winDir)
	b, err = os.ReadFile(filepath.Join(winDir, "exc.svg"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), ">100<") || !strings.Contains(string(b), ">200<") || strings.Contains(string(b), ">300<") {
		t.Error("exc.svg of --from 100 --to 200 does not span 100 to 200 ms")
	}
	code, _, errs := cli(t, "plot", res, "--from", "5000", "--out", filepath.Join(tmp, "late"))
	if code != 1 || !strings.Contains(errs, "nothing to plot: exc: no samples from 5000 ms to the end (it has 0.1 to 300 ms)") {
		t.Errorf("--from 5000: exit %d, %q", code, errs)
	}

	code, _, errs = cli(t, "plot", res, "--member", "2", "--out", filepath.Join(tmp, "m2"))
	if code != 1 || !strings.Contains(errs, "--member 2: exc has 2 members (0 to 1)") {
		t.Errorf("--member 2: exit %d, %q", code, errs)
	}
}

// plot reads HDF5 result files through store, with named dimensions: BOLD on its own time axis.
func TestPlotHDF5(t *testing.T) {
	tmp := t.TempDir()
	n, T, TB := 4, 200, 5
	f := &store.File{Meta: store.Meta{Model: "test", NodeNames: []string{"A", "B", "C", "D"}}}
	tt, tb := make([]float64, T), make([]float64, TB)
	x, bold := make([]float64, n*T), make([]float64, n*TB)
	for k := range tt {
		tt[k] = 0.5 * float64(k+1)
	}
	for k := range tb {
		tb[k] = 20 * float64(k+1)
	}
	for i := range n {
		for k := range T {
			x[i*T+k] = float64(i) + float64(k%(10+i))/10
		}
		for k := range TB {
			bold[i*TB+k] = float64(i*k%3) + float64(k)
		}
	}
	f.Arrays = []store.Array{
		{Name: "t", Shape: []int{T}, Data: tt, Units: "ms", Dims: []string{"t"}},
		{Name: "rate", Shape: []int{n, T}, Data: x, Units: "Hz", Dims: []string{"node", "t"}},
		{Name: "BOLD", Shape: []int{n, TB}, Data: bold, Dims: []string{"node", "t_BOLD"}},
		{Name: "t_BOLD", Shape: []int{TB}, Data: tb, Units: "ms", Dims: []string{"t_BOLD"}},
	}
	p := filepath.Join(tmp, "r.h5")
	if err := store.Write(p, f); err != nil {
		t.Fatal(err)
	}
	out, _ := mustRun(t, "plot", p, "--out", filepath.Join(tmp, "figs"))
	if !strings.Contains(out, "rate.png, rate_spectrum.png, bold.png") {
		t.Errorf("stdout %q", out)
	}
	svgDir := filepath.Join(tmp, "svg")
	mustRun(t, "plot", p, "--out", svgDir, "--format", "svg")
	b, err := os.ReadFile(filepath.Join(svgDir, "rate.svg"))
	if err != nil {
		t.Fatal(err)
	}
	// the node names come from the file; the unit from the array
	if !strings.Contains(string(b), ">A<") || !strings.Contains(string(b), "rate (Hz)") {
		t.Error("rate.svg lacks the node names or the unit")
	}
}

func TestPlotBadInput(t *testing.T) {
	tmp := t.TempDir()
	notDir := filepath.Join(tmp, "file")
	if err := os.WriteFile(notDir, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	// an npz with nothing on a time axis
	flat := filepath.Join(tmp, "flat.npz")
	if err := store.Write(flat, &store.File{Arrays: []store.Array{{Name: "w", Shape: []int{3}, Data: []float64{1, 2, 3}}}}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"plot"}, 2, "plot takes a result file, got none"},
		{[]string{"plot", flat, "--format", "jpg"}, 2, `--format "jpg": expected png or svg`},
		{[]string{"plot", flat, "--member", "-1"}, 2, "--member -1"},
		{[]string{"plot", flat, "--width", "-3"}, 2, "--width -3"},
		{[]string{"plot", flat, "--from", "10", "--to", "5"}, 2, "--from 10 --to 5: expected times in ms with 0 <= from < to"},
		{[]string{"plot", flat, "--from", "-1"}, 2, "--from -1"},
		{[]string{"plot", flat, "--to", "NaN"}, 2, "--to NaN"},
		{[]string{"plot", flat, "--bogus"}, 2, "unknown flag: --bogus"},
		{[]string{"plot", filepath.Join(tmp, "missing.npz")}, 1, "no such file"},
		{[]string{"plot", flat, "--out", filepath.Join(tmp, "o")}, 1, "nothing to plot: w [3] is not a time series"},
		{[]string{"plot", flat, "--out", filepath.Join(notDir, "o")}, 1, "--out " + filepath.Join(notDir, "o") + ": mkdir"},
		{[]string{"plot", flat, "--dataset", filepath.Join(tmp, "nodata")}, 1, "--dataset"},
		// the folder is checked before the simulation: nothing is run, nothing written
		{[]string{"run", "--model", "hopf", "--network", "single", "--duration", "10", "--out", filepath.Join(tmp, "r.npz"), "--plot", filepath.Join(notDir, "figs")}, 1, "--plot " + filepath.Join(notDir, "figs")},
	} {
		code, _, errs := cli(t, c.args...)
		if code != c.code || !strings.Contains(errs, c.want) {
			t.Errorf("%v: exit %d, stderr %q; expected %d and %q", c.args, code, errs, c.code, c.want)
		}
	}
	if _, err := os.Stat(filepath.Join(tmp, "r.npz")); err == nil {
		t.Error("run with a bad --plot folder simulated and wrote its result")
	}
}

// An output that is NaN throughout (a diverged member) is noted and skipped; the others are
// drawn and the command succeeds. A file with nothing drawable fails.
func TestPlotNaNOutput(t *testing.T) {
	tmp := t.TempDir()
	T := 100
	tt, good, bad := make([]float64, T), make([]float64, 2*T), make([]float64, 2*T)
	for k := range tt {
		tt[k] = float64(k + 1)
		good[k], good[T+k] = float64(k%7), float64(k%5)
	}
	nan := 0.0
	for k := range bad {
		bad[k] = nan / nan
	}
	write := func(name string, arrays ...store.Array) string {
		p := filepath.Join(tmp, name)
		if err := store.Write(p, &store.File{Arrays: arrays}); err != nil {
			t.Fatal(err)
		}
		return p
	}
	tArr := store.Array{Name: "t", Shape: []int{T}, Data: tt}
	p := write("mixed.npz", tArr, store.Array{Name: "good", Shape: []int{2, T}, Data: good}, store.Array{Name: "bad", Shape: []int{2, T}, Data: bad})
	code, out, errs := cli(t, "plot", p)
	if code != 0 || !strings.Contains(out, "good.png, good_spectrum.png") ||
		!strings.Contains(errs, "no bad.png: ") || !strings.Contains(errs, "no finite value") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errs)
	}
	p = write("allnan.npz", tArr, store.Array{Name: "bad", Shape: []int{2, T}, Data: bad})
	code, _, errs = cli(t, "plot", p)
	if code != 1 || !strings.Contains(errs, "nothing to plot") {
		t.Errorf("all NaN: exit %d, stderr %q", code, errs)
	}
}

// TestSimulatedFCSkipsBoldTransient: the simulated FC leaves out BOLD's first 10 s when at least 3
// samples follow them, and keeps everything when fewer do.
func TestSimulatedFCSkipsBoldTransient(t *testing.T) {
	mk := func(n int) *fileSeries {
		s := &fileSeries{name: "BOLD", rows: [][]float64{make([]float64, n), make([]float64, n)}}
		for k := range n {
			s.t = append(s.t, float64(2000*(k+1))) // 2, 4, ... s
			s.rows[0][k], s.rows[1][k] = float64(k), float64(k*k)
		}
		return s
	}
	src, label := simulatedFCSource(nil, mk(15)) // 2..30 s: 10..30 s is 11 samples
	if src.t[0] != 10000 || len(src.t) != 11 || len(src.rows[1]) != 11 || src.rows[1][0] != 16 {
		t.Errorf("15 samples: kept t from %g, %d samples, rows of %d starting %g; want from 10000 ms, 11, 11, 16", src.t[0], len(src.t), len(src.rows[1]), src.rows[1][0])
	}
	if label != "simulated (FC of BOLD after 10 s)" {
		t.Errorf("label %q", label)
	}
	src, label = simulatedFCSource(nil, mk(6)) // 2..12 s: only 10 and 12 s after the transient
	if len(src.t) != 6 || label != "simulated (FC of BOLD)" {
		t.Errorf("6 samples: kept %d with label %q; want all 6, no cut", len(src.t), label)
	}
}
