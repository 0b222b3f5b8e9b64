package eqn

// Symbolic differentiation on the expression graph. Derivatives are built with simplifying
// constructors (0 and 1 absorb, x*0 = 0): unlike the model's own arithmetic they need not reproduce
// any reference bit for bit, and the simplified form is what the adjoint evaluates every step. The
// graph's hash-consing shares every subexpression between the derivatives and the model.

func (g *Graph) isZero(id ID) bool { v, ok := g.IsConst(id); return ok && v == 0 }
func (g *Graph) isOne(id ID) bool  { v, ok := g.IsConst(id); return ok && v == 1 }

func (g *Graph) dAdd(a, b ID) ID {
	switch {
	case g.isZero(a):
		return b
	case g.isZero(b):
		return a
	}
	return g.Op(OpAdd, a, b)
}

func (g *Graph) dSub(a, b ID) ID {
	switch {
	case g.isZero(b):
		return a
	case g.isZero(a):
		return g.dNeg(b)
	}
	return g.Op(OpSub, a, b)
}

func (g *Graph) dMul(a, b ID) ID {
	switch {
	case g.isZero(a) || g.isZero(b):
		return g.Const(0)
	case g.isOne(a):
		return b
	case g.isOne(b):
		return a
	}
	return g.Op(OpMul, a, b)
}

func (g *Graph) dDiv(a, b ID) ID {
	if g.isZero(a) {
		return g.Const(0)
	}
	return g.Op(OpDiv, a, b)
}

func (g *Graph) dNeg(a ID) ID {
	if g.isZero(a) {
		return g.Const(0)
	}
	return g.Op(OpNeg, a)
}

func (g *Graph) dSelect(c, a, b ID) ID {
	if a == b {
		return a
	}
	return g.Op(OpSelect, c, a, b)
}

type diffKey struct{ id, wrt ID }

// Diff returns the derivative of expression id with respect to the leaf wrt (a state, new state,
// coupling, input, delayed value, remote value, parameter, ...). Piecewise functions differentiate
// piecewise: abs, min, max and clamp pick the derivative of the active branch, select that of the
// chosen value, floor and comparisons have derivative 0, mod(a, b) has d a - floor(a/b) d b. Table
// lookups give the slopes of the bilinear patch (OpLookupDRow, OpLookupDCol); the derivative of
// those slopes (a second derivative of a table) is taken as 0, which drops the bilinear cross term.
func (g *Graph) Diff(id, wrt ID) ID {
	if g.dmemo == nil {
		g.dmemo = map[diffKey]ID{}
	}
	return g.diff(id, wrt)
}

func (g *Graph) diff(id, wrt ID) ID {
	if id == wrt {
		return g.Const(1)
	}
	if d, ok := g.dmemo[diffKey{id, wrt}]; ok {
		return d
	}
	n := g.Nodes[id]
	var d ID
	if n.Op.IsLeaf() || n.Op.IsBool() || n.Op == OpUniform || n.Op == OpFloor {
		d = g.Const(0)
	} else {
		d = g.diffOp(n, wrt)
	}
	g.dmemo[diffKey{id, wrt}] = d
	return d
}

func (g *Graph) diffOp(n Node, wrt ID) ID {
	a, b := n.A, n.B
	da := g.diff(a, wrt)
	var db ID = NoID
	if n.Op.Arity() >= 2 {
		db = g.diff(b, wrt)
	}
	switch n.Op {
	case OpNeg:
		return g.dNeg(da)
	case OpAdd:
		return g.dAdd(da, db)
	case OpSub:
		return g.dSub(da, db)
	case OpMul:
		return g.dAdd(g.dMul(da, b), g.dMul(a, db))
	case OpDiv:
		// (a/b)' = a'/b - a*b'/(b*b)
		return g.dSub(g.dDiv(da, b), g.dDiv(g.dMul(a, db), g.Op(OpMul, b, b)))
	case OpPow:
		self := g.Op(OpPow, a, b)
		if g.isZero(db) {
			// b * a^(b-1) * a'
			return g.dMul(g.dMul(b, g.Pow(a, g.Op(OpSub, b, g.Const(1)))), da)
		}
		// a^b * (b' log a + b a'/a)
		return g.dMul(self, g.dAdd(g.dMul(db, g.Op(OpLog, a)), g.dDiv(g.dMul(b, da), a)))
	case OpExp:
		return g.dMul(g.Op(OpExp, a), da)
	case OpLog:
		return g.dDiv(da, a)
	case OpSqrt:
		return g.dDiv(da, g.Op(OpMul, g.Const(2), g.Op(OpSqrt, a)))
	case OpSin:
		return g.dMul(g.Op(OpCos, a), da)
	case OpCos:
		return g.dNeg(g.dMul(g.Op(OpSin, a), da))
	case OpTan:
		c := g.Op(OpCos, a)
		return g.dDiv(da, g.Op(OpMul, c, c))
	case OpTanh:
		t := g.Op(OpTanh, a)
		return g.dMul(g.Op(OpSub, g.Const(1), g.Op(OpMul, t, t)), da)
	case OpAbs:
		return g.dSelect(g.Op(OpLt, a, g.Const(0)), g.dNeg(da), da)
	case OpMin: // min(x, y) = y < x ? y : x
		return g.dSelect(g.Op(OpLt, b, a), db, da)
	case OpMax: // max(x, y) = x < y ? y : x
		return g.dSelect(g.Op(OpLt, a, b), db, da)
	case OpClamp:
		dc := g.diff(n.C, wrt)
		return g.dSelect(g.Op(OpLt, a, b), db, g.dSelect(g.Op(OpGt, a, n.C), dc, da))
	case OpMod:
		return g.dSub(da, g.dMul(g.Op(OpFloor, g.Op(OpDiv, a, b)), db))
	case OpSelect:
		dc := g.diff(n.C, wrt)
		return g.dSelect(a, db, dc)
	case OpLookup:
		dr := g.intern(Node{Op: OpLookupDRow, A: a, B: b, C: NoID, Ref: n.Ref})
		dcol := g.intern(Node{Op: OpLookupDCol, A: a, B: b, C: NoID, Ref: n.Ref})
		return g.dAdd(g.dMul(dr, da), g.dMul(dcol, db))
	case OpLookupDRow, OpLookupDCol:
		return g.Const(0)
	}
	return g.Const(0)
}

// Jacobian holds the symbolic derivatives of a model's step, as graph nodes (evaluate them with
// Eval, or emit them like any other expression). F_s is state s's right-hand side: the drift of an
// ODE (dx/dt = F + noise) or the assigned value of an algebraic state. Everything is differentiated
// with respect to the values the step reads: this node's states, coupling sums, delayed values and
// external inputs. Noise coefficients are not differentiated (the adjoint is of the drift).
type Jacobian struct {
	DState    [][]ID // [s][k]: dF_s / d state_k
	DCoupling [][]ID // [s][c]: dF_s / d coupling_c
	DDelayed  [][]ID // [s][d]: dF_s / d delayed read d (Model.Delays)
	DInput    [][]ID // [s][i]: dF_s / d input_i
	// Summand[c] holds the derivatives of coupling c's summand: DRemote[k] with respect to the
	// remote value of state k (x_k of node j, delayed), DLocal[k] with respect to this node's
	// state k, DConn with respect to the weight C_ij.
	Summand []SummandJacobian
	// DOutput[o][k]: d output_o / d new state_k; DBold[k] likewise for the BOLD input.
	DOutput [][]ID
	DBold   []ID
}

// SummandJacobian holds the derivatives of one coupling summand.
type SummandJacobian struct {
	DRemote []ID // by state index; constant 0 for states the summand does not read remotely
	DLocal  []ID // by state index
	DConn   ID
}

// Jacobian differentiates the model symbolically. The result is cached on the model.
func (m *Model) Jacobian() *Jacobian {
	if m.jac != nil {
		return m.jac
	}
	g := m.G
	ns := len(m.States)
	leaves := func(op Op, n int) []ID {
		l := make([]ID, n)
		for i := range l {
			l[i] = g.Leaf(op, i)
		}
		return l
	}
	st, cp, dl, in := leaves(OpState, ns), leaves(OpCoupling, len(m.Couplings)), leaves(OpDelayed, len(m.Delays)), leaves(OpInput, len(m.Inputs))
	row := func(f ID, wrt []ID) []ID {
		r := make([]ID, len(wrt))
		for i, w := range wrt {
			r[i] = g.Diff(f, w)
		}
		return r
	}
	j := &Jacobian{}
	for _, s := range m.States {
		j.DState = append(j.DState, row(s.Drift, st))
		j.DCoupling = append(j.DCoupling, row(s.Drift, cp))
		j.DDelayed = append(j.DDelayed, row(s.Drift, dl))
		j.DInput = append(j.DInput, row(s.Drift, in))
	}
	rem := leaves(OpRemote, ns)
	for _, c := range m.Couplings {
		j.Summand = append(j.Summand, SummandJacobian{
			DRemote: row(c.Sum, rem),
			DLocal:  row(c.Sum, st),
			DConn:   g.Diff(c.Sum, g.Leaf(OpConn, 0)),
		})
	}
	nw := leaves(OpNew, ns)
	for _, o := range m.Outputs {
		j.DOutput = append(j.DOutput, row(o.Expr, nw))
	}
	if m.Bold != NoID {
		j.DBold = row(m.Bold, nw)
	}
	m.jac = j
	return j
}
