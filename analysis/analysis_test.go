package analysis

import (
	"errors"
	"math"
	"strings"
	"testing"
)

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

// TestSmallByHand checks each metric on inputs small enough to compute by hand (the numbers in
// the comments).
func TestSmallByHand(t *testing.T) {
	// KS: a = {1,2,3}, b = {2,4}; at 1, 2, 3, 4 the CDFs are 1/3|0, 2/3|1/2, 1|1/2, 1|1: D = 1/2
	if d, err := KS([]float64{3, 1, 2}, []float64{4, 2}); err != nil || d != 0.5 {
		t.Errorf("KS = %v, %v; expected 0.5", d, err)
	}
	// weighted correlation: x = 0,1,2, y = 0,2,1, w = 1,1,2: means 1.25 and 1, cov 0.25,
	// var 0.6875 and 0.5: 0.25/sqrt(0.34375) = 0.42640143271122083
	if r, err := WeightedCorrelation([]float64{0, 1, 2}, []float64{0, 2, 1}, []float64{1, 1, 2}); err != nil || !near(r, 0.42640143271122083, 1e-15) {
		t.Errorf("weighted correlation = %v, %v; expected 0.4264014327", r, err)
	}
	// FC of three regions: 1,2,3 / 3,2,1 / 1,1,1 (constant: 0 row and column, diagonal included)
	fc, err := FC([][]float64{{1, 2, 3}, {3, 2, 1}, {1, 1, 1}})
	if err != nil {
		t.Fatal(err)
	}
	want := [][]float64{{1, -1, 0}, {-1, 1, 0}, {0, 0, 0}}
	for i := range want {
		for j := range want {
			if !near(fc[i][j], want[i][j], 1e-15) {
				t.Errorf("FC[%d][%d] = %v, expected %v", i, j, fc[i][j], want[i][j])
			}
		}
	}
	// matrix correlation uses the upper triangle only: (1,2,3) against (2,4,6) is 1 whatever the
	// lower triangles hold
	a := [][]float64{{0, 1, 2}, {9, 0, 3}, {-5, 7, 0}}
	b := [][]float64{{5, 2, 4}, {0, 5, 6}, {1, 1, 5}}
	if r, err := MatrixCorrelation(a, b); err != nil || !near(r, 1, 1e-15) {
		t.Errorf("matrix correlation = %v, %v; expected 1", r, err)
	}
}

func TestFindPeaks(t *testing.T) {
	for _, c := range []struct {
		x    []float64
		dist int
		prom float64
		want []int
	}{
		{[]float64{0, 1, 1, 1, 0}, 1, 0, []int{2}},             // a plateau counts once, at its middle
		{[]float64{0, 1, 1, 0, 0}, 1, 0, []int{1}},             // (1+2)/2 rounded down
		{[]float64{0, 5, 1, 3, 0}, 1, 2.5, []int{1}},           // peak 3 has prominence 3 - max(1, 0) = 2
		{[]float64{0, 5, 1, 3, 0}, 1, 2, []int{1, 3}},          // prominence exactly 2 is kept
		{[]float64{0, 3, 0, 5, 0}, 3, 0, []int{3}},             // the higher peak wins the spacing
		{[]float64{0, 3, 0, 5, 0, 4, 0}, 2, 0, []int{1, 3, 5}}, // 2 apart is allowed at distance 2
		{[]float64{1, 1, 1}, 1, 0, nil},                        // no local maximum
		{[]float64{2, 1, 0}, 1, 0, nil},                        // the ends are never peaks
	} {
		got := findPeaks(c.x, c.dist, c.prom)
		if len(got) != len(c.want) {
			t.Errorf("findPeaks(%v, %d, %v) = %v, expected %v", c.x, c.dist, c.prom, got, c.want)
			continue
		}
		for i := range got {
			if got[i] != c.want[i] {
				t.Errorf("findPeaks(%v, %d, %v) = %v, expected %v", c.x, c.dist, c.prom, got, c.want)
			}
		}
	}
}

func TestGaussianFilter(t *testing.T) {
	// sigma 1: radius 4, weights exp(-d²/2) over their sum 1 + 2·(e^-0.5 + e^-2 + e^-4.5 + e^-8)
	// = 2.506620804 (not sqrt(2π): the kernel is truncated), the centre 0.398943469, next
	// e^-0.5 times that, 0.241971446
	x := make([]float64, 21)
	x[10] = 1
	y := gaussianFilter(x, 1)
	if !near(y[10], 0.398943469, 1e-9) || !near(y[11], 0.241971446, 1e-9) || y[15] != 0 {
		t.Errorf("smoothed delta: %v %v %v; expected 0.398943469 0.241971446 0", y[10], y[11], y[15])
	}
	// reflect mode mirrors the edge sample: a delta at 0 gets its own weight plus the next one's
	x = make([]float64, 10)
	x[0] = 1
	if y := gaussianFilter(x, 1); !near(y[0], 0.398943469+0.241971446, 1e-9) {
		t.Errorf("delta at the edge: %v, expected 0.640914915", y[0])
	}
}

func TestKuramotoOrder(t *testing.T) {
	// region A peaks at 10, region B at 5 (T = 21): at t = 0 both phases are 0 (R = 1), at t = 5
	// A is at π and B at 0 (R = 0), at t = 20 both are 2π (R = 1)
	A := make([]float64, 21)
	B := make([]float64, 21)
	A[10], B[5] = 10, 10
	r, err := KuramotoOrder([][]float64{A, B}, KuramotoOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !near(r[0], 1, 1e-15) || !near(r[5], 0, 1e-15) || !near(r[20], 1, 1e-15) {
		t.Errorf("R(0), R(5), R(20) = %v %v %v; expected 1 0 1", r[0], r[5], r[20])
	}
	// t = 15: A at 2π·5/10 = π, B at 2π·10/15: R = |e^{iπ} + e^{i4π/3}|/2 = |(-1.5, -0.866)|/2
	if w := math.Hypot(-1-0.5, -math.Sqrt(3)/2) / 2; !near(r[15], w, 1e-12) {
		t.Errorf("R(15) = %v, expected %v", r[15], w)
	}
	if _, err := KuramotoOrder([][]float64{A, make([]float64, 21)}, KuramotoOptions{}); !errors.Is(err, ErrNoPeaks) || !strings.Contains(err.Error(), "region 1") {
		t.Errorf("flat region: error %v, expected ErrNoPeaks naming region 1", err)
	}
}

func TestPowerSpectrum(t *testing.T) {
	// a sine of amplitude 2 at 10 Hz, sampled at 1 kHz for 5 s, 1 s windows: bin 10 holds
	// A²/2 = 2, its neighbours the Hann window's leakage A²/8 = 0.5, the others nothing
	x := make([]float64, 5000)
	for k := range x {
		x[k] = 2*math.Sin(2*math.Pi*10*float64(k)/1000) + 3
	}
	f, p, err := PowerSpectrum(x, 1, SpectrumOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(f) != 70 || f[10] != 10 || f[69] != 69 {
		t.Fatalf("%d frequencies (%v ... %v), expected 0 ... 69 Hz", len(f), f[0], f[len(f)-1])
	}
	for k, v := range p {
		want := 0.0
		switch k {
		case 10:
			want = 2
		case 9, 11:
			want = 0.5
		}
		// 1e-12: sums of 1000 products of order 1
		if !near(v, want, 1e-12) {
			t.Errorf("power at %v Hz = %v, expected %v", f[k], v, want)
		}
	}
	_, pn, _ := PowerSpectrum(x, 1, SpectrumOptions{Normalize: true})
	if pn[10] != 1 || !near(pn[9], 0.25, 1e-12) {
		t.Errorf("normalised: %v at 10 Hz, %v at 9 Hz; expected 1 and 0.25", pn[10], pn[9])
	}
	// mean over two rows of amplitude 2 and 0: 1 at 10 Hz
	_, pm, err := MeanPowerSpectrum([][]float64{x, make([]float64, 5000)}, 1, SpectrumOptions{})
	if err != nil || !near(pm[10], 1, 1e-12) {
		t.Errorf("mean spectrum at 10 Hz = %v (%v), expected 1", pm[10], err)
	}
}

func TestBandpass(t *testing.T) {
	// the squared magnitude of each filter pass, from the Butterworth formula with pre-warping
	// (independent of the sections' coefficients): zero phase, so a sine keeps its phase and is
	// scaled by |H_lp|²·|H_hp|²
	const dt, lo, hi, order = 1.0, 5.0, 20.0, 4
	gain := func(f float64) float64 {
		w := math.Tan(math.Pi * f / 1000)
		lp := 1 / (1 + math.Pow(w/math.Tan(math.Pi*hi/1000), 2*order))
		hp := 1 / (1 + math.Pow(math.Tan(math.Pi*lo/1000)/w, 2*order))
		return lp * hp
	}
	for _, f := range []float64{2, 5, 10, 20, 40} {
		x := make([]float64, 20000)
		for k := range x {
			x[k] = math.Sin(2 * math.Pi * f * float64(k) / 1000)
		}
		y, err := Bandpass(x, dt, lo, hi, order)
		if err != nil {
			t.Fatal(err)
		}
		// the middle of the series, far from the edges' transients: y = gain·x sample by sample
		g := gain(f)
		for k := 8000; k < 12000; k++ {
			// 1e-4: the transients of the padded ends have decayed by then (slowest pole at 5 Hz)
			if !near(y[k], g*x[k], 1e-4) {
				t.Fatalf("%v Hz: y[%d] = %v, expected %v (gain %v)", f, k, y[k], g*x[k], g)
			}
		}
	}
}

func TestBadInput(t *testing.T) {
	nan := math.NaN()
	good := [][]float64{{1, 2, 3, 4}, {2, 1, 4, 3}, {0, 1, 0, 2}}
	sq := [][]float64{{1, 0.5, 0.2}, {0.5, 1, 0.1}, {0.2, 0.1, 1}}
	for _, c := range []struct {
		name string
		err  func() error
		want string
	}{
		{"fc NaN", func() error { _, err := FC([][]float64{{1, nan}, {1, 2}}); return err }, "region 0, sample 1 is NaN"},
		{"fc ragged", func() error { _, err := FC([][]float64{{1, 2}, {1}}); return err }, "region 1 has 1 samples"},
		{"fc empty", func() error { _, err := FC(nil); return err }, "no regions"},
		{"matrix corr shapes", func() error {
			_, err := MatrixCorrelation(sq, [][]float64{{1, 2, 3, 4}, {1, 2, 3, 4}, {1, 2, 3, 4}, {1, 2, 3, 4}})
			return err
		}, "3 x 3 and a 4 x 4"},
		{"matrix corr not square", func() error { _, err := MatrixCorrelation(sq, [][]float64{{1, 2}, {1, 2}, {1, 2}}); return err }, "row 0 has 2 columns"},
		{"matrix corr Inf", func() error {
			_, err := MatrixCorrelation(sq, [][]float64{{1, math.Inf(1), 0}, {0, 1, 0}, {0, 0, 1}})
			return err
		}, "[0][1] is +Inf"},
		{"fcd window", func() error { _, err := FCD(good, 4, 1); return err }, "more than the window"},
		{"fcd step", func() error { _, err := FCD(good, 2, 0); return err }, "step of 0"},
		{"fcd seconds", func() error { _, err := FCDSeconds(good, 0, 60, 10); return err }, "sampling interval"},
		{"ks NaN", func() error { _, err := KS([]float64{1, nan}, []float64{1}); return err }, "value 1 is NaN"},
		{"ks empty", func() error { _, err := KS(nil, []float64{1}); return err }, "0 values"},
		{"weighted lengths", func() error {
			_, err := WeightedCorrelation([]float64{1, 2}, []float64{1}, []float64{1, 1})
			return err
		}, "x has 2 values, y 1"},
		{"weighted negative", func() error {
			_, err := WeightedCorrelation([]float64{1, 2}, []float64{1, 3}, []float64{1, -1})
			return err
		}, "weight 1 is -1"},
		{"weighted zero", func() error {
			_, err := WeightedCorrelation([]float64{1, 2}, []float64{1, 3}, []float64{0, 0})
			return err
		}, "sum to 0"},
		{"spectrum dt", func() error { _, _, err := PowerSpectrum([]float64{1, 2, 3}, -1, SpectrumOptions{}); return err }, "dt = -1"},
		{"spectrum NaN", func() error { _, _, err := PowerSpectrum([]float64{1, nan, 3}, 1, SpectrumOptions{}); return err }, "value 1 is NaN"},
		{"spectrum window", func() error {
			_, _, err := PowerSpectrum([]float64{1, 2, 3}, 1, SpectrumOptions{Window: 0.001})
			return err
		}, "at least 2"},
		{"kuramoto NaN", func() error { _, err := KuramotoOrder([][]float64{{0, 1, nan}}, KuramotoOptions{}); return err }, "sample 2 is NaN"},
		{"kuramoto distance", func() error { _, err := KuramotoOrder(good, KuramotoOptions{Distance: -1}); return err }, "distance -1"},
		{"bandpass band", func() error { _, err := Bandpass([]float64{1, 2, 3}, 1, 20, 10, 2); return err }, "band 20 to 10 Hz"},
		{"bandpass nyquist", func() error { _, err := Bandpass([]float64{1, 2, 3}, 1, 1, 600, 2); return err }, "Nyquist"},
		{"bandpass order", func() error { _, err := Bandpass([]float64{1, 2, 3}, 1, 1, 10, 0); return err }, "order 0"},
		{"ts ks windows", func() error { _, err := TSKolmogorov(good, good, 2, 5); return err }, "at least 2 each"},
	} {
		err := c.err()
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, expected one containing %q", c.name, err, c.want)
		}
	}
}
