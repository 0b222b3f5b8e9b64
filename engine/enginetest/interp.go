package enginetest

import (
	"fmt"
	"math"

	"github.com/neuromass/neuromass/engine"
	"github.com/neuromass/neuromass/engine/eqn"
	"github.com/neuromass/neuromass/engine/rng"
)

// Interp is a reference Backend: every step runs the lane program through eqn's reference executor
// (Program.Exec in float64, Program.Exec32 in float32, as the plan's precision says) over all N*E
// lanes, with the delay history kept as plain columns. It shares no code with the fast backends
// beyond eqn and rng, so a bit-for-bit agreement with it checks their fusions, blocking, vector
// kernels and layouts against the definition. It allocates every step: use it on small grids.
type Interp struct{}

// Name implements engine.Backend.
func (Interp) Name() string { return "interp" }

// NewSim implements engine.Backend.
func (Interp) NewSim(p *engine.Plan) (engine.Sim, error) {
	if p.N < 1 || p.E < 1 {
		return nil, fmt.Errorf("interp: %d nodes and %d members, expected at least 1 of each", p.N, p.E)
	}
	prog := p.Program
	if prog == nil {
		var err error
		if prog, err = p.Model.Program(); err != nil {
			return nil, err
		}
	}
	L := p.N * p.E
	s := &interp{p: p, prog: prog, L: L, H: max(p.History, 1)}
	for _, d := range p.Delays {
		s.H = max(s.H, int(d)+1)
	}
	for _, v := range p.LocalDelays {
		for _, d := range v {
			s.H = max(s.H, int(d)+1)
		}
	}
	for i, v := range p.Params {
		lane := make([]float64, L)
		switch len(v) {
		case p.E:
			for l := range lane {
				lane[l] = v[l%p.E]
			}
		case L:
			copy(lane, v)
		default:
			return nil, fmt.Errorf("interp: parameter %s has %d values, expected %d or %d", p.Model.Params[i].Name, len(v), p.E, L)
		}
		s.params = append(s.params, lane)
	}
	return s, nil
}

type interp struct {
	p      *engine.Plan
	prog   *eqn.Program
	L, H   int
	params [][]float64
	cur    [][]float64   // [state][lane]
	hist   [][][]float64 // [state][column][lane], column (head - d) mod H is d steps before the newest
	head   int
}

func (s *interp) SetState(x [][]float64) error {
	if len(x) != len(s.p.Model.States) {
		return fmt.Errorf("interp: %d state vectors for %d states", len(x), len(s.p.Model.States))
	}
	s.cur = make([][]float64, len(x))
	s.hist = make([][][]float64, len(x))
	for i, v := range x {
		if len(v) != s.L {
			return fmt.Errorf("interp: state %d has %d values, expected %d", i, len(v), s.L)
		}
		s.cur[i] = s.round(append([]float64(nil), v...))
		s.hist[i] = make([][]float64, s.H)
		for c := range s.hist[i] {
			s.hist[i][c] = append([]float64(nil), s.cur[i]...)
		}
	}
	s.head = 0
	return nil
}

// round rounds v to the plan's precision in place (the state a float32 backend holds).
func (s *interp) round(v []float64) []float64 {
	if s.p.Precision == engine.F32 {
		for l, x := range v {
			v[l] = float64(float32(x))
		}
	}
	return v
}

func (s *interp) State() [][]float64 {
	out := make([][]float64, len(s.cur))
	for i, v := range s.cur {
		out[i] = append([]float64(nil), v...)
	}
	return out
}

func (s *interp) Close() error { return nil }

// col returns state st's values d steps before the newest column.
func (s *interp) col(st, d int) []float64 {
	return s.hist[st][((s.head-d)%s.H+s.H)%s.H]
}

func (s *interp) Run(c *engine.Call) error {
	p, m := s.p, s.p.Model
	N, E, L := p.N, p.E, s.L
	samples := c.Samples()
	if len(c.Out) != len(p.Record) {
		return fmt.Errorf("interp: %d output buffers for %d recorded outputs", len(c.Out), len(p.Record))
	}
	for o, b := range c.Out {
		if len(b) != L*samples {
			return fmt.Errorf("interp: output buffer %d has %d values, expected %d", o, len(b), L*samples)
		}
	}
	f32 := p.Precision == engine.F32
	env := &eqn.ProgEnv{Params: s.params, Dt: p.Dt, N: N, Tables: p.Tables,
		Inputs: make([][]float64, len(m.Inputs)), Noise: make([][]float64, len(m.Noises)),
		Delayed: make([][]float64, len(m.Delays))}
	env.Conn = func(lane, j int) float64 { return p.Weights[(lane/E)*N+j] }
	env.Remote = func(st, lane, j int) float64 {
		i, mb := lane/E, lane%E
		return s.col(st, int(p.Delays[i*N+j]))[j*E+mb]
	}
	for k := range env.Inputs {
		env.Inputs[k] = make([]float64, L)
	}
	for q := range env.Noise {
		env.Noise[q] = make([]float64, L)
	}
	for k := range env.Delayed {
		env.Delayed[k] = make([]float64, L)
	}
	for k := 0; k < c.T; k++ {
		step := c.Step0 + uint64(k)
		env.State = s.cur
		for q, u := range env.Inputs {
			for l := range u {
				if q < len(c.Inputs) && c.Inputs[q] != nil {
					u[l] = c.Inputs[q][(l/E)*c.T+k]
				} else {
					u[l] = m.Inputs[q].Default
				}
			}
		}
		for q, u := range env.Noise {
			for l := range u {
				n, mb := l/E, l%E
				switch {
				case c.NoiseUsed != nil && !c.NoiseUsed[q]:
					u[l] = 0
				case p.Mode == engine.Compat:
					u[l] = 0
					if q < len(c.Noise) && c.Noise[q] != nil {
						if len(c.Noise[q]) == N*c.T {
							u[l] = c.Noise[q][n*c.T+k]
						} else {
							u[l] = c.Noise[q][(mb*N+n)*c.T+k]
						}
					}
				case f32:
					u[l] = float64(rng.Normal32(p.Seeds[mb], uint32(mb), uint32(n), uint8(q), step))
				default:
					u[l] = rng.Normal64(p.Seeds[mb], uint32(mb), uint32(n), uint8(q), step)
				}
			}
		}
		for kd, u := range env.Delayed {
			st := m.Delays[kd].State
			for l := range u {
				u[l] = s.col(st, int(p.LocalDelays[kd][l%E]))[l]
			}
		}
		var next, outs [][]float64
		if f32 {
			o, err := s.prog.Exec32(L, env)
			if err != nil {
				return err
			}
			next, outs = widen(o.New), widen(o.Outputs)
		} else {
			o, err := s.prog.Exec(L, env)
			if err != nil {
				return err
			}
			next, outs = o.New, o.Outputs
		}
		if k >= c.First && (k-c.First)%c.Every == 0 {
			smp := (k - c.First) / c.Every
			for o, idx := range p.Record {
				for l, v := range outs[idx] {
					c.Out[o][((l%E)*N+l/E)*samples+smp] = v
				}
			}
		}
		if p.Mode == engine.Default {
			// the definition of default mode: a new state value below the smallest normal number
			// of the precision, in magnitude, is stored as +0 (package cpu, "Subnormals")
			tiny := 2.2250738585072014e-308
			if f32 {
				tiny = 1.1754943508222875e-38
			}
			for _, v := range next {
				for l, x := range v {
					if x != 0 && math.Abs(x) < tiny {
						v[l] = 0
					}
				}
			}
		}
		s.cur = next
		s.head = (s.head + 1) % s.H
		for i, v := range next {
			copy(s.hist[i][s.head], v)
			if c.Bad != nil {
				for l, x := range v {
					if x-x != 0 && c.Bad[l%E] == nil {
						c.Bad[l%E] = &engine.Divergence{Member: l % E, Node: l / E, Step: step, State: m.States[i].Name, Value: x}
					}
				}
			}
		}
		if c.Progress != nil {
			c.Progress(k + 1)
		}
	}
	return nil
}

func widen(v [][]float32) [][]float64 {
	out := make([][]float64, len(v))
	for i, x := range v {
		out[i] = make([]float64, len(x))
		for l, y := range x {
			out[i][l] = float64(y)
		}
	}
	return out
}
