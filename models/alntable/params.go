package alntable

import (
	"errors"
	"fmt"
	"math"
)

// Params are the neuron and discretisation parameters of a table computation (models.md 4.2-4.6).
// Voltages in mV, times in ms, C in pF, gL in nS, frequencies in kHz.
type Params struct {
	C      float64 `json:"C"`      // membrane capacitance (pF)
	GL     float64 `json:"gL"`     // leak conductance (nS); tau_m = C/gL
	EL     float64 `json:"EL"`     // leak reversal potential
	DeltaT float64 `json:"DeltaT"` // slope factor of the exponential term
	VT     float64 `json:"VT"`     // threshold of the exponential term
	Vs     float64 `json:"Vs"`     // spike (cut-off) voltage, the absorbing boundary
	Vr     float64 `json:"Vr"`     // reset voltage
	Vlb    float64 `json:"Vlb"`    // lower bound of the voltage domain
	Tref   float64 `json:"Tref"`   // refractory period
	DV     float64 `json:"dV"`     // voltage step of the grid
	DMu    float64 `json:"dMu"`    // modulation amplitude of mu (linear response)
	DSigma float64 `json:"dSigma"` // modulation amplitude and finite-difference step of sigma

	// Freqs are the modulation frequencies (kHz) of the exponential-filter fits, ascending.
	// Empty in a params file means the default list, arange(0.25, 1000.125, 0.25)/1000.
	Freqs []float64 `json:"freqs,omitempty"`
}

// NeurolibParams are the parameters neurolib's shipped table was computed with
// (quantities_cascade.h5, models.md 4.1).
func NeurolibParams() Params {
	return Params{
		C: 200, GL: 10, EL: -65, DeltaT: 1.5, VT: -50, Vs: -40, Vr: -70, Vlb: -200, Tref: 1.5,
		DV: 0.01, DMu: 1e-5, DSigma: 1e-5, Freqs: DefaultFreqs(),
	}
}

// DefaultFreqs is neurolib's frequency list: arange(0.25, 1000.125, 0.25)/1000 kHz (4000 values).
func DefaultFreqs() []float64 {
	f := Arange(0.25, 1000+0.25/2, 0.25)
	for i := range f {
		f[i] /= 1000
	}
	return f
}

// Arange reproduces numpy.arange(start, stop, step) for float64 bit for bit: the length is
// ceil((stop-start)/step), element 1 is start+step and element i >= 2 is start + i*(x1-start).
func Arange(start, stop, step float64) []float64 {
	l := math.Ceil((stop - start) / step)
	if !(l > 0) || math.IsInf(l, 0) || l > 1<<31 {
		return nil
	}
	n := int(l)
	v := make([]float64, n)
	v[0] = start
	if n == 1 {
		return v
	}
	v[1] = start + step
	d := v[1] - start
	for i := 2; i < n; i++ {
		v[i] = start + float64(i)*d
	}
	return v
}

// Linspace reproduces numpy.linspace(start, stop, n): start + i*step with step = (stop-start)/(n-1),
// the last value stop exactly.
func Linspace(start, stop float64, n int) []float64 {
	if n <= 0 {
		return nil
	}
	v := make([]float64, n)
	if n == 1 {
		v[0] = start
		return v
	}
	step := (stop - start) / float64(n-1)
	for i := range v {
		v[i] = float64(i)*step + start
	}
	v[n-1] = stop
	return v
}

// Validate reports parameters that make the neuron model or its discretisation ill-posed.
func (p *Params) Validate() error {
	var errs []error
	bad := func(format string, a ...any) { errs = append(errs, fmt.Errorf(format, a...)) }
	fin := func(name string, v float64) bool {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			bad("%s = %v is not a finite number", name, v)
			return false
		}
		return true
	}
	for _, x := range []struct {
		n string
		v float64
	}{{"C", p.C}, {"gL", p.GL}, {"EL", p.EL}, {"DeltaT", p.DeltaT}, {"VT", p.VT}, {"Vs", p.Vs},
		{"Vr", p.Vr}, {"Vlb", p.Vlb}, {"Tref", p.Tref}, {"dV", p.DV}, {"dMu", p.DMu}, {"dSigma", p.DSigma}} {
		fin(x.n, x.v)
	}
	if len(errs) > 0 {
		return joinParams(errs)
	}
	if p.C <= 0 {
		bad("C = %g pF must be positive", p.C)
	}
	if p.GL <= 0 {
		bad("gL = %g nS must be positive", p.GL)
	}
	if p.DeltaT <= 0 {
		bad("DeltaT = %g mV must be positive (the EIF neuron; DeltaT = 0 is not supported)", p.DeltaT)
	}
	if p.Vr >= p.Vs {
		bad("reset Vr = %g mV must be below the spike voltage Vs = %g mV", p.Vr, p.Vs)
	}
	if p.Vlb >= p.Vr {
		bad("lower bound Vlb = %g mV must be below the reset Vr = %g mV", p.Vlb, p.Vr)
	}
	if p.Tref < 0 {
		bad("Tref = %g ms must not be negative", p.Tref)
	}
	if p.DV <= 0 {
		bad("voltage step dV = %g mV must be positive", p.DV)
	}
	if p.DMu <= 0 {
		bad("dMu = %g must be positive", p.DMu)
	}
	if p.DSigma <= 0 {
		bad("dSigma = %g must be positive", p.DSigma)
	}
	if len(errs) == 0 {
		if n := (p.Vs - p.Vlb) / p.DV; n < 3 || n > 1e8 {
			bad("voltage grid from Vlb = %g to Vs = %g mV in steps of dV = %g has %.3g cells; want 3 to 1e8", p.Vlb, p.Vs, p.DV, n)
		} else if (p.Vs-p.Vr)/p.DV < 1 || (p.Vr-p.Vlb)/p.DV < 1 {
			bad("the reset Vr = %g mV must be at least one voltage step dV = %g from Vlb and Vs", p.Vr, p.DV)
		}
	}
	if len(p.Freqs) == 0 {
		bad("the frequency list is empty")
	}
	for i, f := range p.Freqs {
		if !(f > 0) || math.IsInf(f, 0) {
			bad("frequency %d = %v kHz must be positive and finite", i, f)
			break
		}
		if i > 0 && !(f > p.Freqs[i-1]) {
			bad("frequencies must be ascending: freqs[%d] = %v after %v", i, f, p.Freqs[i-1])
			break
		}
	}
	return joinParams(errs)
}

func joinParams(errs []error) error {
	if len(errs) == 0 {
		return nil
	}
	return fmt.Errorf("alntable: ill-posed neuron parameters: %w", errors.Join(errs...))
}
