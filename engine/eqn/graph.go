package eqn

import (
	"fmt"
	"math"
)

// ID names a node of a Graph. NoID marks an absent expression.
type ID int32

// NoID is the absent expression.
const NoID ID = -1

// Op is the operation of a graph node.
type Op uint8

// The operations. Leaves first, then arithmetic in the order the emitters list them.
const (
	OpConst     Op = iota // Val
	OpParam               // Ref: index into Model.Params (value of this member, and node if per node)
	OpState               // Ref: state index; this node's value before the step
	OpNew                 // Ref: state index; this node's value after the step (outputs, after maps)
	OpInput               // Ref: input index; this node's external input at this step
	OpNoise               // Ref: noise index; a standard normal sample of this node and step
	OpCoupling            // Ref: coupling index; the network sum of this node
	OpDelayed             // Ref: index into Model.Delays; this node's delayed state
	OpDt                  // the step in ms
	OpN                   // the number of nodes
	OpConn                // C[i][j] (coupling summands only)
	OpRemote              // Ref: state index; x_j(t - d_ij) (coupling summands only)
	OpBoolConst           // Val: 1 for true, 0 for false
	OpUniform             // A, B: lo, hi; Ref: draw number (init only; never merged)

	OpNeg
	OpAdd
	OpSub
	OpMul
	OpDiv
	OpPow
	OpExp
	OpLog
	OpSqrt
	OpSin
	OpCos
	OpTan
	OpTanh
	OpAbs
	OpFloor
	OpMin
	OpMax
	OpClamp  // A clamped to [B, C]
	OpMod    // floored modulo, sign of B
	OpSelect // A ? B : C
	OpLt
	OpLe
	OpGt
	OpGe
	OpEq
	OpNe
	OpAnd
	OpOr
	OpNot
	OpLookup     // Ref: table; A row-axis value, B column-axis value
	OpLookupDRow // Ref: table; derivative of the lookup along the row axis
	OpLookupDCol // Ref: table; derivative of the lookup along the column axis

	numOps
)

var opNames = [numOps]string{
	OpConst: "const", OpParam: "param", OpState: "state", OpNew: "new", OpInput: "input",
	OpNoise: "noise", OpCoupling: "coupling", OpDelayed: "delayed", OpDt: "dt", OpN: "N",
	OpConn: "C", OpRemote: "remote", OpBoolConst: "bool", OpUniform: "uniform",
	OpNeg: "neg", OpAdd: "+", OpSub: "-", OpMul: "*", OpDiv: "/", OpPow: "pow", OpExp: "exp",
	OpLog: "log", OpSqrt: "sqrt", OpSin: "sin", OpCos: "cos", OpTan: "tan", OpTanh: "tanh",
	OpAbs: "abs", OpFloor: "floor", OpMin: "min", OpMax: "max", OpClamp: "clamp", OpMod: "mod",
	OpSelect: "select", OpLt: "<", OpLe: "<=", OpGt: ">", OpGe: ">=", OpEq: "==", OpNe: "!=",
	OpAnd: "and", OpOr: "or", OpNot: "not", OpLookup: "lookup", OpLookupDRow: "lookup_drow",
	OpLookupDCol: "lookup_dcol",
}

func (o Op) String() string {
	if o < numOps {
		return opNames[o]
	}
	return fmt.Sprintf("op(%d)", o)
}

// Arity is the number of arguments an operation takes.
func (o Op) Arity() int {
	switch {
	case o < OpUniform:
		return 0
	case o == OpUniform:
		return 2
	}
	switch o {
	case OpNeg, OpExp, OpLog, OpSqrt, OpSin, OpCos, OpTan, OpTanh, OpAbs, OpFloor, OpNot:
		return 1
	case OpClamp, OpSelect:
		return 3
	}
	return 2
}

// IsLeaf reports whether the operation reads a value rather than computing one.
func (o Op) IsLeaf() bool { return o < OpUniform }

// IsBool reports whether the operation yields a boolean.
func (o Op) IsBool() bool {
	switch o {
	case OpLt, OpLe, OpGt, OpGe, OpEq, OpNe, OpAnd, OpOr, OpNot, OpBoolConst:
		return true
	}
	return false
}

// Node is one operation of the graph. Unused arguments are NoID.
type Node struct {
	Op      Op
	A, B, C ID
	Ref     int32
	Val     float64
}

// Args returns the node's arguments.
func (n Node) Args() []ID {
	switch n.Op.Arity() {
	case 1:
		return []ID{n.A}
	case 2:
		return []ID{n.A, n.B}
	case 3:
		return []ID{n.A, n.B, n.C}
	}
	return nil
}

type nodeKey struct {
	op      Op
	a, b, c ID
	ref     int32
	bits    uint64
}

// Graph holds every expression of a model as one DAG. Nodes are hash-consed: building the same
// operation on the same arguments twice returns the same ID, which is the common-subexpression
// elimination. Constant operands are folded where the folded value is exactly what run time would
// compute (in float64); identities are applied only where they are exact in IEEE arithmetic.
type Graph struct {
	Nodes []Node
	memo  map[nodeKey]ID
	draws int32
	dmemo map[diffKey]ID // derivatives already built
}

// NewGraph returns an empty graph.
func NewGraph() *Graph { return &Graph{memo: map[nodeKey]ID{}} }

// Node returns the node with the given ID.
func (g *Graph) Node(id ID) Node { return g.Nodes[id] }

func (g *Graph) intern(n Node) ID {
	k := nodeKey{n.Op, n.A, n.B, n.C, n.Ref, math.Float64bits(n.Val)}
	if id, ok := g.memo[k]; ok {
		return id
	}
	id := ID(len(g.Nodes))
	g.Nodes = append(g.Nodes, n)
	g.memo[k] = id
	return id
}

// Const returns the constant v.
func (g *Graph) Const(v float64) ID {
	return g.intern(Node{Op: OpConst, A: NoID, B: NoID, C: NoID, Val: v})
}

// Bool returns the boolean constant b.
func (g *Graph) Bool(b bool) ID {
	v := 0.0
	if b {
		v = 1
	}
	return g.intern(Node{Op: OpBoolConst, A: NoID, B: NoID, C: NoID, Val: v})
}

// Leaf returns the leaf op with reference ref.
func (g *Graph) Leaf(op Op, ref int) ID {
	return g.intern(Node{Op: op, A: NoID, B: NoID, C: NoID, Ref: int32(ref)})
}

// Uniform returns a fresh random draw in [lo, hi); each call is a distinct node.
func (g *Graph) Uniform(lo, hi ID) ID {
	g.draws++
	return g.intern(Node{Op: OpUniform, A: lo, B: hi, C: NoID, Ref: g.draws})
}

// IsConst reports whether id is a numeric constant, and its value.
func (g *Graph) IsConst(id ID) (float64, bool) {
	n := g.Nodes[id]
	return n.Val, n.Op == OpConst
}

// constBool reports whether id is a boolean constant, and its value.
func (g *Graph) constBool(id ID) (bool, bool) {
	n := g.Nodes[id]
	return n.Val != 0, n.Op == OpBoolConst
}

// Op builds an arithmetic or logical operation. It folds constant operands and applies the
// identities that are exact in IEEE arithmetic (x*1, x/1, x-0, --x, select on a constant).
func (g *Graph) Op(op Op, args ...ID) ID {
	n := Node{Op: op, A: NoID, B: NoID, C: NoID}
	if len(args) != op.Arity() {
		panic(fmt.Sprintf("eqn: %v takes %d arguments, got %d", op, op.Arity(), len(args)))
	}
	switch len(args) {
	case 3:
		n.C = args[2]
		fallthrough
	case 2:
		n.B = args[1]
		fallthrough
	case 1:
		n.A = args[0]
	}
	allConst := op != OpLookup && op != OpLookupDRow && op != OpLookupDCol
	for _, a := range args {
		if o := g.Nodes[a].Op; o != OpConst && o != OpBoolConst {
			allConst = false
		}
	}
	if allConst {
		v := g.evalNode(n, func(id ID) float64 { return g.Nodes[id].Val })
		if op.IsBool() {
			return g.Bool(v != 0)
		}
		return g.Const(v)
	}
	switch op {
	case OpMul:
		if v, ok := g.IsConst(n.B); ok && v == 1 {
			return n.A
		}
		if v, ok := g.IsConst(n.A); ok && v == 1 {
			return n.B
		}
	case OpDiv:
		if v, ok := g.IsConst(n.B); ok && v == 1 {
			return n.A
		}
	case OpSub:
		if v, ok := g.IsConst(n.B); ok && v == 0 && !math.Signbit(v) {
			return n.A
		}
	case OpNeg:
		if g.Nodes[n.A].Op == OpNeg {
			return g.Nodes[n.A].A
		}
	case OpSelect:
		if c, ok := g.constBool(n.A); ok {
			if c {
				return n.B
			}
			return n.C
		}
		if n.B == n.C {
			return n.B
		}
	case OpAnd, OpOr:
		if c, ok := g.constBool(n.A); ok {
			if c == (op == OpOr) {
				return n.A
			}
			return n.B
		}
	}
	return g.intern(n)
}

// Pow builds a^b. An integer constant exponent with absolute value up to 4 becomes products
// (x^2 = x*x, x^3 = (x*x)*x, x^4 = (x*x)*(x*x)), as compiled numerical code does.
func (g *Graph) Pow(a, b ID) ID {
	if e, ok := g.IsConst(b); ok && e == math.Trunc(e) && math.Abs(e) <= 4 {
		var p ID
		switch math.Abs(e) {
		case 0:
			return g.Const(1)
		case 1:
			p = a
		case 2:
			p = g.Op(OpMul, a, a)
		case 3:
			p = g.Op(OpMul, g.Op(OpMul, a, a), a)
		case 4:
			sq := g.Op(OpMul, a, a)
			p = g.Op(OpMul, sq, sq)
		}
		if e < 0 {
			return g.Op(OpDiv, g.Const(1), p)
		}
		return p
	}
	return g.Op(OpPow, a, b)
}
