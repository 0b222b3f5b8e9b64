package eqn

import (
	"math"
	"math/rand/v2"
	"testing"
)

// Every operation the language has, so each differentiation rule meets a finite difference.
const allOpsModel = `
model allops
param p = 1.5
param q = 0.3 per node
input u = 0
state x = 0.7
state y = 1.3
state z = 0.4
table t(a, b)
coupling c = sum_j(C_ij * sin(x[j] - x) + p * y[j])
let w = delayed(z, 2)
d x/dt = exp(-x) * log(y) + sqrt(y) * sin(x) * cos(z) - tan(x / 3) + tanh(y - x) + abs(x - y)
d y/dt = pow(y, x) + x^3 - y^-2 + min(x, y) * max(x, z) + clamp(x, 0.2, 0.9) + mod(y * 5, 1.7) + c + u * q + w
d z/dt = select(x < y, x / y, y / x) + floor(x * 10) + t(x, y) * t(y, z) + p^p
output s = x * y^2
`

func TestDiffAllOps(t *testing.T) {
	m, err := Compile("allops.nm", allOpsModel, Options{})
	if err != nil {
		t.Fatal(err)
	}
	j := m.Jacobian()
	tab := &TableData{Row: Axis{First: 0, Step: 0.1, N: 21}, Col: Axis{First: 0, Step: 0.2, N: 11}}
	tab.Last = [2]float64{tab.Row.Last(), tab.Col.Last()}
	for i := range tab.Row.N * tab.Col.N {
		tab.V = append(tab.V, math.Sin(float64(i)*0.37)+2)
	}
	rng := rand.New(rand.NewPCG(7, 7))
	for trial := 0; trial < 20; trial++ {
		env := &Env{
			Params: []float64{1.5, 0.3}, State: []float64{0.2 + rng.Float64(), 0.5 + rng.Float64(), 0.1 + rng.Float64()},
			Inputs: []float64{rng.Float64()}, Coupling: []float64{rng.Float64()}, Delayed: []float64{rng.Float64()},
			Dt: 0.1, N: 3, Conn: rng.Float64(), Remote: []float64{rng.Float64(), rng.Float64(), rng.Float64()},
			Tables: []*TableData{tab},
		}
		env.New = append([]float64(nil), env.State...)
		fd := func(f ID, x *float64) float64 {
			x0 := *x
			h := 1e-7 * (1 + math.Abs(x0))
			*x = x0 + h
			fp, _ := m.G.Eval(f, env)
			*x = x0 - h
			fm, _ := m.G.Eval(f, env)
			*x = x0
			return (fp - fm) / (2 * h)
		}
		check := func(what string, f, d ID, x *float64) {
			sym, err := m.G.Eval(d, env)
			if err != nil {
				t.Fatal(err)
			}
			num := fd(f, x)
			// floor(x*10) and mod jump; a finite difference straddling a jump is not a derivative.
			if math.Abs(num) > 1e4 {
				return
			}
			if math.Abs(sym-num) > 1e-6*math.Max(1, math.Abs(sym)) {
				t.Errorf("trial %d %s: symbolic %.10g, finite difference %.10g", trial, what, sym, num)
			}
		}
		for s := range m.States {
			for k := range m.States {
				check(m.States[s].Name+"/"+m.States[k].Name, m.States[s].Drift, j.DState[s][k], &env.State[k])
			}
			check(m.States[s].Name+"/c", m.States[s].Drift, j.DCoupling[s][0], &env.Coupling[0])
			check(m.States[s].Name+"/u", m.States[s].Drift, j.DInput[s][0], &env.Inputs[0])
			check(m.States[s].Name+"/w", m.States[s].Drift, j.DDelayed[s][0], &env.Delayed[0])
		}
		for k := range m.States {
			check("summand/remote", m.Couplings[0].Sum, j.Summand[0].DRemote[k], &env.Remote[k])
			check("summand/local", m.Couplings[0].Sum, j.Summand[0].DLocal[k], &env.State[k])
			check("output", m.Outputs[0].Expr, j.DOutput[0][k], &env.New[k])
		}
		check("summand/C_ij", m.Couplings[0].Sum, j.Summand[0].DConn, &env.Conn)
	}
	// Spot-check the symbolic form, not only its values: d(x^2.5)/dx simplifies to 2.5*pow(x, 1.5).
	g := m.G
	x := g.Leaf(OpState, 0)
	d := g.Diff(g.Pow(x, g.Const(2.5)), x)
	if want := g.Op(OpMul, g.Const(2.5), g.Op(OpPow, x, g.Const(1.5))); d != want {
		t.Errorf("d(x^2.5)/dx is node %d (%v), want 2.5*pow(x, 1.5) (node %d)", d, g.Node(d).Op, want)
	}
	if d := g.Diff(g.Op(OpMul, x, g.Const(2)), g.Leaf(OpState, 1)); !g.isZero(d) {
		t.Errorf("d(2x)/dy is not the constant 0")
	}
}
