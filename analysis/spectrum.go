package analysis

import (
	"fmt"
	"math"
	"math/cmplx"

	"gonum.org/v1/gonum/dsp/fourier"
)

// SpectrumOptions are PowerSpectrum's settings; the zero value is neurolib's getPowerSpectrum
// defaults (maxfr 70 Hz, windows of 1 s, not normalised).
type SpectrumOptions struct {
	MaxFreq   float64 // Hz: only frequencies strictly below are returned; 0 means 70
	Window    float64 // s: Welch segment length (the frequency resolution is 1/Window Hz); 0 means 1
	Normalize bool    // divide by the largest value
}

func (o SpectrumOptions) resolved() SpectrumOptions {
	if o.MaxFreq == 0 {
		o.MaxFreq = 70
	}
	if o.Window == 0 {
		o.Window = 1
	}
	return o
}

// PowerSpectrum is the Welch power spectrum of x sampled every dt ms (toolkit.md 1.6, neurolib's
// getPowerSpectrum with SciPy's welch): segments of L = trunc(Window·1000/dt) samples (the
// series' length if shorter), a periodic Hann window, half overlap (hop L - L/2), each segment's
// mean removed, one-sided |FFT|²/(Σw)² with the bins other than 0 and Nyquist doubled, averaged
// over segments. It returns the frequencies below MaxFreq and their power (x's unit squared).
func PowerSpectrum(x []float64, dt float64, o SpectrumOptions) (freq, power []float64, err error) {
	if err := checkVector("power spectrum", x, 2); err != nil {
		return nil, nil, err
	}
	if math.IsNaN(dt) || math.IsInf(dt, 0) || !(dt > 0) {
		return nil, nil, fmt.Errorf("power spectrum: dt = %v ms, expected a positive finite step", dt)
	}
	o = o.resolved()
	if math.IsNaN(o.MaxFreq) || !(o.MaxFreq > 0) || math.IsNaN(o.Window) || math.IsInf(o.Window, 0) || !(o.Window > 0) {
		return nil, nil, fmt.Errorf("power spectrum: maximum frequency %v Hz and window %v s, expected positive values", o.MaxFreq, o.Window)
	}
	fs := 1000 / dt
	Lf := math.Trunc(o.Window * 1000 / dt) // neurolib: int(spectrum_windowsize * 1000 / dt)
	if Lf < 2 {
		return nil, nil, fmt.Errorf("power spectrum: a window of %v s is %v samples of %v ms, expected at least 2", o.Window, Lf, dt)
	}
	L := len(x)
	if Lf < float64(L) {
		L = int(Lf)
	}
	w := make([]float64, L)
	sw := 0.0
	for k := range w {
		w[k] = 0.5 - 0.5*math.Cos(2*math.Pi*float64(k)/float64(L))
		sw += w[k]
	}
	hop := L - L/2
	fft := fourier.NewFFT(L)
	seg := make([]float64, L)
	var coef []complex128
	acc := make([]float64, L/2+1)
	segs := 0
	for s := 0; s+L <= len(x); s += hop {
		mu := 0.0
		for _, v := range x[s : s+L] {
			mu += v
		}
		mu /= float64(L)
		for k, v := range x[s : s+L] {
			seg[k] = (v - mu) * w[k]
		}
		coef = fft.Coefficients(coef, seg)
		for k, c := range coef {
			a := cmplx.Abs(c)
			acc[k] += a * a
		}
		segs++
	}
	for k := range acc {
		p := acc[k] / (sw * sw) / float64(segs)
		if k > 0 && !(L%2 == 0 && k == L/2) {
			p *= 2
		}
		f := float64(k) * fs / float64(L)
		if f >= o.MaxFreq {
			break
		}
		freq = append(freq, f)
		power = append(power, p)
	}
	if o.Normalize {
		normalize(power)
	}
	return freq, power, nil
}

// MeanPowerSpectrum is the mean of the rows' power spectra ([region][sample]), normalised after
// averaging when o.Normalize is set (neurolib's getMeanPowerSpectrum).
func MeanPowerSpectrum(ts [][]float64, dt float64, o SpectrumOptions) (freq, power []float64, err error) {
	if _, _, err := checkSeries("mean power spectrum", ts, 2); err != nil {
		return nil, nil, err
	}
	norm := o.Normalize
	o.Normalize = false
	for i, row := range ts {
		f, p, err := PowerSpectrum(row, dt, o)
		if err != nil {
			return nil, nil, fmt.Errorf("region %d: %w", i, err)
		}
		if power == nil {
			freq, power = f, make([]float64, len(p))
		}
		for k, v := range p {
			power[k] += v / float64(len(ts))
		}
	}
	if norm {
		normalize(power)
	}
	return freq, power, nil
}

func normalize(p []float64) {
	m := 0.0
	for _, v := range p {
		m = max(m, v)
	}
	if m > 0 {
		for k := range p {
			p[k] /= m
		}
	}
}
