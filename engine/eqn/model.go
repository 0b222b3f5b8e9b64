package eqn

import (
	"fmt"
	"math"
	"slices"
)

// Param is a model parameter: a number every ensemble member may set, and every node too when
// PerNode is set.
type Param struct {
	Name, Unit, Doc string
	Default         float64
	Lo, Hi          float64 // allowed range; -Inf/+Inf when unbounded
	LoOpen, HiOpen  bool
	PerNode         bool
	Pos             Pos
}

// Check reports whether v is an allowed value of the parameter.
func (p *Param) Check(v float64) error {
	if math.IsNaN(v) {
		return fmt.Errorf("parameter %s: value is NaN", p.Name)
	}
	if math.IsInf(v, 0) && !(math.IsInf(p.Lo, -1) && v < 0 && !p.LoOpen || math.IsInf(p.Hi, 1) && v > 0 && !p.HiOpen) {
		return fmt.Errorf("parameter %s: value %v is not finite (allowed range %s)", p.Name, v, p.RangeString())
	}
	if v < p.Lo || p.LoOpen && v == p.Lo || v > p.Hi || p.HiOpen && v == p.Hi {
		return fmt.Errorf("parameter %s: value %v is outside its range %s", p.Name, v, p.RangeString())
	}
	return nil
}

// RangeString writes the allowed range in interval notation, e.g. "(0, inf)".
func (p *Param) RangeString() string {
	lo, hi := "[", "]"
	if p.LoOpen {
		lo = "("
	}
	if p.HiOpen {
		hi = ")"
	}
	return fmt.Sprintf("%s%s, %s%s", lo, fmtBound(p.Lo), fmtBound(p.Hi), hi)
}

func fmtBound(v float64) string {
	switch {
	case math.IsInf(v, 1):
		return "inf"
	case math.IsInf(v, -1):
		return "-inf"
	}
	return fmt.Sprint(v)
}

// Switch is a choice fixed at compile time (FHN's coupling = diffusive | additive).
type Switch struct {
	Name, Doc string
	Options   []string
	Default   string
	Value     string // the option this compilation uses
}

// StateKind says how a state is updated.
type StateKind int

const (
	// ODE states move by Euler-Maruyama: x + dt*Drift + sum (Coef*sqrt(dt))*xi.
	ODE StateKind = iota
	// Algebraic states take a new value each step (x := expr).
	Algebraic
)

// Diffusion is one white-noise term g*xi of an ODE.
type Diffusion struct {
	Noise int // index into Model.Noises
	Coef  ID  // g, in the step context
}

// State is a state variable and its update.
type State struct {
	Name, Unit, Doc string
	Kind            StateKind
	Drift           ID // ODE: f of dx/dt = f + g*xi; Algebraic: the assigned value
	Noise           []Diffusion
	Next            ID   // the new value before the after map, in the step context
	After           ID   // the after map in terms of OpNew of this state, or NoID
	Init            ID   // initial value (init context: params, constants, uniform draws)
	History         bool // read with a delay (x[j] in a coupling, or delayed(x, T))
	Pos             Pos
}

// Input is an external input: a value per node and step supplied by the engine.
type Input struct {
	Name, Unit, Doc string
	Default         float64
}

// Noise is a standard-normal white-noise source, one sample per node and step.
type Noise struct {
	Name, Doc string
}

// Table is a 2-D lookup table supplied at run time. Tables with the same Grid share axes.
type Table struct {
	Name, Unit, Doc string
	Row, Col        string // axis names
	Grid            int
}

// Coupling is a network input: Sum is the summand, evaluated for every j and added in order.
type Coupling struct {
	Name   string
	Sum    ID    // the summand, in the summand context (OpConn, OpRemote, OpState, params)
	Remote []int // states read as x[j], in order of first use
}

// Delay is a read of this node's own delayed state: Ms (params and constants only), rounded
// half-to-even to whole steps.
type Delay struct {
	State int
	Ms    ID
}

// Output is a recorded time series, evaluated from the new values after each step.
type Output struct {
	Name, Unit, Doc string
	Expr            ID
	Default         bool
}

// InitStep is one initial-value statement, in the order random draws are made.
type InitStep struct {
	State int
	Expr  ID
}

// Let is a named intermediate, kept for readable generated code.
type Let struct {
	Name string
	Expr ID
}

// Model is a compiled model: its declarations and one expression graph holding every expression.
type Model struct {
	Name, Doc    string
	File, Source string
	Params       []Param
	Switches     []Switch
	States       []State
	Inputs       []Input
	Noises       []Noise
	Tables       []Table
	Couplings    []Coupling
	Delays       []Delay
	Outputs      []Output
	Lets         []Let
	Init         []InitStep // in draw order
	Bold         ID         // BOLD input, in the output context
	SelfDelay    ID         // delay in ms on the network diagonal (params and constants only)
	CompatDelays string     // "" or "integer_ms_as_steps"
	G            *Graph
	jac          *Jacobian
}

// Param returns the index of the named parameter, or -1.
func (m *Model) Param(name string) int {
	for i := range m.Params {
		if m.Params[i].Name == name {
			return i
		}
	}
	return -1
}

// State returns the index of the named state, or -1.
func (m *Model) State(name string) int {
	for i := range m.States {
		if m.States[i].Name == name {
			return i
		}
	}
	return -1
}

// Input returns the index of the named input, or -1.
func (m *Model) Input(name string) int {
	for i := range m.Inputs {
		if m.Inputs[i].Name == name {
			return i
		}
	}
	return -1
}

// Output returns the index of the named output, or -1.
func (m *Model) Output(name string) int {
	for i := range m.Outputs {
		if m.Outputs[i].Name == name {
			return i
		}
	}
	return -1
}

// DefaultOutput returns the index of the default output.
func (m *Model) DefaultOutput() int {
	for i := range m.Outputs {
		if m.Outputs[i].Default {
			return i
		}
	}
	return 0
}

// StepRoots returns the roots of the step phase: every state's Next, in state order.
func (m *Model) StepRoots() []ID {
	r := make([]ID, len(m.States))
	for i := range m.States {
		r[i] = m.States[i].Next
	}
	return r
}

// SummandRoots returns each coupling's summand, in coupling order.
func (m *Model) SummandRoots() []ID {
	r := make([]ID, len(m.Couplings))
	for i, c := range m.Couplings {
		r[i] = c.Sum
	}
	return r
}

// AfterRoots returns the after maps, in state order (states without one are left out).
func (m *Model) AfterRoots() []ID {
	var r []ID
	for _, s := range m.States {
		if s.After != NoID {
			r = append(r, s.After)
		}
	}
	return r
}

// OutputRoots returns the outputs, in declaration order, then the BOLD input.
func (m *Model) OutputRoots() []ID {
	var r []ID
	for _, o := range m.Outputs {
		r = append(r, o.Expr)
	}
	if m.Bold != NoID {
		r = append(r, m.Bold)
	}
	return r
}

// Roots returns every expression a step evaluates, in this order: each state's Next, each
// coupling's summand, each after map, each output, the BOLD input.
func (m *Model) Roots() []ID {
	return slices.Concat(m.StepRoots(), m.SummandRoots(), m.AfterRoots(), m.OutputRoots())
}
