package analysis

import (
	"fmt"
	"math"
)

// Bandpass filters x, sampled every dt ms, to the band lo..hi Hz with a Butterworth high-pass at lo
// and low-pass at hi, each of the given order (1 to 10), designed by the bilinear transform with
// the cut-offs pre-warped, and run forwards then backwards (zero phase; the magnitude response
// is squared: half amplitude at each cut-off). The ends are padded with odd reflections of
// 3·(order+1) samples each and every section starts in the steady state of the first sample, as
// SciPy's filtfilt does, so that the edges do not ring. lo = 0 gives a low-pass filter.
func Bandpass(x []float64, dt, lo, hi float64, order int) ([]float64, error) {
	if err := checkVector("band-pass", x, 1); err != nil {
		return nil, err
	}
	if math.IsNaN(dt) || math.IsInf(dt, 0) || !(dt > 0) {
		return nil, fmt.Errorf("band-pass: dt = %v ms, expected a positive finite step", dt)
	}
	nyq := 500 / dt
	if math.IsNaN(lo) || math.IsNaN(hi) || lo < 0 || !(hi > lo) || !(hi < nyq) {
		return nil, fmt.Errorf("band-pass: band %v to %v Hz, expected 0 <= lo < hi < %v Hz (the Nyquist frequency at dt = %v ms)", lo, hi, nyq, dt)
	}
	if order < 1 || order > 10 {
		return nil, fmt.Errorf("band-pass: order %d, expected 1 to 10", order)
	}
	fs := 1000 / dt
	secs := butterworth(hi, fs, order, false)
	if lo > 0 {
		secs = append(secs, butterworth(lo, fs, order, true)...)
	}
	pad := min(3*(order+1), len(x)-1)
	ext := make([]float64, 0, len(x)+2*pad)
	for i := pad; i >= 1; i-- {
		ext = append(ext, 2*x[0]-x[i])
	}
	ext = append(ext, x...)
	for i := 1; i <= pad; i++ {
		ext = append(ext, 2*x[len(x)-1]-x[len(x)-1-i])
	}
	for _, s := range secs {
		s.run(ext)
	}
	reverse(ext)
	for _, s := range secs {
		s.run(ext)
	}
	reverse(ext)
	return ext[pad : pad+len(x)], nil
}

func reverse(x []float64) {
	for i, j := 0, len(x)-1; i < j; i, j = i+1, j-1 {
		x[i], x[j] = x[j], x[i]
	}
}

// biquad is one second-order section, y = (b0 + b1 z^-1 + b2 z^-2)/(1 + a1 z^-1 + a2 z^-2)
// (b2 = a2 = 0 for a first-order section).
type biquad struct{ b0, b1, b2, a1, a2 float64 }

// run filters x in place in direct form II transposed, starting in the steady state of x[0].
func (q biquad) run(x []float64) {
	if len(x) == 0 {
		return
	}
	g := (q.b0 + q.b1 + q.b2) / (1 + q.a1 + q.a2) // DC gain
	c := x[0]
	y0 := g * c
	s2 := q.b2*c - q.a2*y0
	s1 := y0 - q.b0*c
	for i, v := range x {
		y := q.b0*v + s1
		s1 = q.b1*v - q.a1*y + s2
		s2 = q.b2*v - q.a2*y
		x[i] = y
	}
}

// butterworth returns the sections of an order-n Butterworth low-pass (or high-pass) at fc Hz for
// sampling at fs Hz: pairs of analog poles at quality factors 1/(2·cos θ_k), θ_k = (2k+1)π/(2n),
// and for odd n one real pole, each through the bilinear transform with K = tan(π·fc/fs).
func butterworth(fc, fs float64, n int, high bool) []biquad {
	K := math.Tan(math.Pi * fc / fs)
	var out []biquad
	for k := 0; k < n/2; k++ {
		Q := 1 / (2 * math.Cos(float64(2*k+1)*math.Pi/float64(2*n)))
		norm := 1 / (1 + K/Q + K*K)
		a1, a2 := 2*(K*K-1)*norm, (1-K/Q+K*K)*norm
		if high {
			out = append(out, biquad{norm, -2 * norm, norm, a1, a2})
		} else {
			b0 := K * K * norm
			out = append(out, biquad{b0, 2 * b0, b0, a1, a2})
		}
	}
	if n%2 == 1 {
		norm := 1 / (1 + K)
		a1 := (K - 1) * norm
		if high {
			out = append(out, biquad{norm, -norm, 0, a1, 0})
		} else {
			out = append(out, biquad{K * norm, K * norm, 0, a1, 0})
		}
	}
	return out
}
