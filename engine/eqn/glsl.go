package eqn

// The GLSL emitter: one compiled model becomes a GLSL fragment that the GPU integration-loop
// template (shaders/, written against this contract) splices in with #include or by text.
//
// # Contract
//
// The fragment has no #version line. The template defines, before the fragment, these macros:
//
//	NM_REAL                float or double: the type of every value (GLSLOptions.Double must agree)
//	NM_NODES               the number of nodes, as an int (the bound of the coupling loops)
//	NM_N                   the number of nodes, as NM_REAL (the model's N)
//	NM_DT                  the step in ms, as NM_REAL
//	NM_PARAM(k)            parameter k of this ensemble member (and of this node, for per-node parameters)
//	NM_STATE(k)            state k of this node before the step
//	NM_INPUT(k)            external input k of this node at this step
//	NM_NOISE(k)            noise source k: a standard-normal sample of this node and step
//	NM_DELAYED(k)          this node's k-th local delayed read, Model.Delays[k] (delayed(x, T))
//	NM_CONN(j)             the weight C[i][j] from node j (an int) to this node i
//	NM_REMOTE(k, j)        state k of node j delayed by d[i][j] steps
//	NM_TABLE(t, r, c)      entry of table t at row r, column c (ints)
//	NM_AXIS_FIRST(t, a)    first grid value of axis a (0 the row axis, 1 the column axis) of table t
//	NM_AXIS_STEP(t, a)     grid step of that axis (the second grid value minus the first)
//	NM_AXIS_LAST(t, a)     the stored last grid value of that axis
//	NM_AXIS_N(t, a)        the number of grid points of that axis, as an int (at least 2)
//
// NM_AXIS_* are only invoked with t the first table of a grid (Table.Grid): tables on one grid share
// their axes. Only the macros a fragment uses are required; the fragment checks with #error that
// they are defined.
//
// The fragment defines
//
//	#define NM_FRAGMENT_DOUBLE 0|1  whether it was emitted for double (GLSLOptions.Double)
//	#define NM_NSTATES, NM_NOUTPUTS, NM_NPARAMS, NM_NINPUTS, NM_NNOISE, NM_NCOUPLINGS, NM_NDELAYS,
//	        NM_NTABLES               the counts of the model's declarations
//	#define NM_STATES_LEN, NM_OUTPUTS_LEN   max(1, NM_NSTATES), max(1, NM_NOUTPUTS): the array
//	                                 sizes of the arguments below (GLSL has no zero-size arrays)
//	void nm_step(out NM_REAL next_[NM_STATES_LEN])
//	    the new value of every state of this node: coupling sums first (one loop over j = 0 ..
//	    NM_NODES-1 ascending, each sum accumulated from 0 in the order of the summand), then every
//	    state's update (Euler-Maruyama for ODEs, the value for algebraic states), then each state's
//	    after map applied to its new value. It reads only the macros above.
//	void nm_outputs(in NM_REAL new_[NM_STATES_LEN], out NM_REAL out_[NM_OUTPUTS_LEN], out NM_REAL bold_)
//	    the outputs, in declaration order, and the BOLD input, from the new state values.
//
// plus helper functions named nm_* and a comment block giving the index of every parameter, state,
// input, noise source, coupling, delayed read, table and output. All identifiers the fragment
// declares at file scope start with nm_ or NM_; its locals are v<n>, s<n>, p<n>_*, j, next_, new_,
// out_ and bold_, which the template's macros must not use as global names.
//
// # Exactness
//
// Every generated value is a precise local, so + - * / are neither fused nor reassociated and are
// evaluated in the order the model text writes them (docs/model-language.md section 1). min and max
// are emitted as the ternaries of eval.go (min(x, y) = y < x ? y : x), clamp as eval.go's nested
// ternary, select as a ternary, comparisons as bool locals, and table lookups in eval.go's order
// of arithmetic. Literals are exact: float literals are the shortest decimal that rounds to the
// float32 value of the (float64-folded) constant, double literals have 17 significant digits and the
// LF suffix, and infinities, NaN and -0 are written as bit patterns (uintBitsToFloat,
// packDouble2x32). On Mesa llvmpipe this gives the bits of Program.Exec32 (float) and Program.Exec
// (double, the same as Graph.Eval) for every operation except the transcendentals below, NaN and
// infinities included (measured on random and special values, not asserted by the tests here,
// which only compile the GLSL).
//
// mod is Go's math.Mod computed exactly (the same long division in binary: frexp, ldexp and exact
// subtractions), then shifted to the sign of b as eval.go's Mod does, so it is exact in float and
// double alike; a subnormal divisor is the exception where a driver's frexp does not handle
// subnormals (Mesa's does not).
//
// exp, log, pow, sin, cos, tan and tanh are the GLSL built-ins and differ from Go's (platform.md
// 1.3: a few ULP for moderate arguments; more in relative terms near a zero of log and for large
// exponents of pow; subnormal results of pow may flush to 0). pow, log and sqrt are wrapped so that
// the arguments GLSL leaves undefined (a negative or zero base, a non-positive logarithm, a negative
// square root) give Go's values, and pow takes Go's special cases (y = 0, +-0.5, 1, +-inf; x = 1,
// +-0, +-inf, NaN; negative x with an integer y) exactly. GLSL has no double overload of those seven
// functions: GLSL(GLSLOptions{Double: true}) returns an error for a model that uses one.
//
// Table lookups follow eval.go's lookup: an index is kept at most N-2 with fraction 1 when rounding
// would place it on the last point; a NaN coordinate gives NaN; a derivative across a coordinate
// outside its axis is 0 whatever the other coordinate. Axes need at least 2 points. Lookups at the same (row value,
// column value) on tables of one grid share one position computation.
//
// Member-level values (Model.Levels) are recomputed at every call; the template may rely on the
// driver hoisting them out of its time loop.

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
)

// GLSLFloatOps defines nm_fdiv and nm_fsqrt, which float code emitted by GLSL calls for every
// division and square root; the template (package gpu, GLSLTestHarness) puts it before the
// fragment. Without NM_EXACT_DIVSQRT they are the driver's / and sqrt. GLSL lets a driver divide
// and take square roots to 2.5 ULP, and `precise` does not forbid that: NVIDIA's driver does
// (measured on an H200: ALN, FHN and Hopf then differ from the CPU in the last bits within a step).
// With NM_EXACT_DIVSQRT defined they give the IEEE 754 results (round to nearest even: Go's
// float32 / and sqrt) whatever the driver's / and sqrt are, by integer arithmetic, which every
// driver does exactly: the driver's result is only a guess of the 24-bit significand, which the
// remainder (A 2^s - Q B for division, N - Q² for the root), exact modulo 2^32 because it is
// small, moves to the truncated result and then rounds. fma would be shorter but is not exact
// everywhere (llvmpipe's fma() is not fused: platform.md 1.3). Operands or results outside the
// normal range (zeros, subnormals, infinities, NaN, a negative root) return the driver's own / or
// sqrt. NM_DIV_GUESS and NM_SQRT_GUESS may be defined before this text to replace the guesses (the
// tests perturb them to exercise the corrections). The exact forms cost time where a model divides
// often (ALN's table lookups: 2.2x on an H200), so package gpu makes them an option.
const GLSLFloatOps = `// nm_fdiv, nm_fsqrt: float division and square root, IEEE with NM_EXACT_DIVSQRT (engine/eqn GLSLFloatOps).
#ifndef NM_EXACT_DIVSQRT
float nm_fdiv(float a, float b) { precise float q = a / b; return q; }
float nm_fsqrt(float x) { precise float r = sqrt(x); return r; }
#else
#ifndef NM_DIV_GUESS
#define NM_DIV_GUESS(a, b) ((a) / (b))
#endif
#ifndef NM_SQRT_GUESS
#define NM_SQRT_GUESS(x) sqrt(x)
#endif
float nm_fdiv(float a, float b) {
	uint ua = floatBitsToUint(a);
	uint ub = floatBitsToUint(b);
	int ea = int((ua >> 23) & 0xFFu);
	int eb = int((ub >> 23) & 0xFFu);
	if (ea == 0 || ea == 255 || eb == 0 || eb == 255) { precise float q = a / b; return q; }
	uint A = (ua & 0x7FFFFFu) | 0x800000u; // a = A 2^(ea - 150), b = B 2^(eb - 150)
	uint B = (ub & 0x7FFFFFu) | 0x800000u;
	int s = (A >= B) ? 23 : 24;          // A 2^s / B in [2^23, 2^24)
	int E = ea - eb + 150 - s;           // the biased exponent of Q 2^(ea - eb - s)
	precise float g = NM_DIV_GUESS(float(A), float(B));
	uint Q = uint(ldexp(g, s));
	int R = int((A << s) - Q * B);       // A 2^s - Q B, exact: |R| < 2^31 (mod 2^32 arithmetic)
	for (int k = 0; k < 8 && R < 0; k++) { Q -= 1u; R += int(B); }
	for (int k = 0; k < 8 && R >= int(B); k++) { Q += 1u; R -= int(B); }
	uint R2 = uint(R) << 1;              // now Q = floor(A 2^s / B) and 0 <= R < B: round
	if (R2 > B || (R2 == B && (Q & 1u) == 1u)) Q += 1u;
	if (Q == 0x1000000u) { Q = 0x800000u; E += 1; }
	if (E <= 0 || E >= 255) { precise float q = a / b; return q; }
	return uintBitsToFloat(((ua ^ ub) & 0x80000000u) | (uint(E) << 23) | (Q & 0x7FFFFFu));
}

float nm_fsqrt(float x) {
	uint ux = floatBitsToUint(x);
	int ex = int(ux >> 23);              // >= 256 for a negative x
	if (ex == 0 || ex >= 255) { precise float r = sqrt(x); return r; }
	uint M = (ux & 0x7FFFFFu) | 0x800000u; // x = M 2^p
	int p = ex - 150;
	if ((p & 1) != 0) { M <<= 1; p -= 1; } // p even, M in [2^23, 2^25)
	int s = (M >= 0x1000000u) ? 22 : 24; // N = M 2^s in [2^46, 2^48), sqrt(x) = sqrt(N) 2^((p - s)/2)
	int h = (p - s) / 2;
	precise float g = NM_SQRT_GUESS(x);
	uint Q = uint(ldexp(g, -h));
	int R = int((M << s) - Q * Q);       // N - Q², exact: |R| < 2^31 (mod 2^32 arithmetic)
	for (int k = 0; k < 8 && R < 0; k++) { Q -= 1u; R += int(2u * Q + 1u); }
	for (int k = 0; k < 8 && R > int(2u * Q); k++) { R -= int(2u * Q + 1u); Q += 1u; }
	if (R > int(Q)) Q += 1u;             // Q = floor(sqrt(N)): round (sqrt(N) is never a midpoint)
	int E = h + 150;
	if (Q == 0x1000000u) { Q = 0x800000u; E += 1; }
	return uintBitsToFloat((uint(E) << 23) | (Q & 0x7FFFFFu));
}
#endif

`

// GLSLOptions chooses the precision of the emitted GLSL.
type GLSLOptions struct {
	// Double emits double-precision code (NM_REAL must then be double): LF literals, and an error
	// for models that use exp, log, pow, sin, cos, tan or tanh, which GLSL has no double overload of.
	Double bool
}

// glslNoDouble lists the functions GLSL has no double-precision overload of.
var glslNoDouble = map[Op]bool{OpExp: true, OpLog: true, OpPow: true, OpSin: true, OpCos: true, OpTan: true, OpTanh: true}

// GLSL emits the model as a GLSL fragment for the GPU integration template. See the contract at the
// top of glsl.go (repeated in the fragment's header comment).
func (m *Model) GLSL(opt GLSLOptions) (string, error) {
	if m == nil || m.G == nil {
		return "", fmt.Errorf("eqn: GLSL of a model that is not compiled")
	}
	if err := glslCheckGraph(m); err != nil {
		return "", fmt.Errorf("model %s: GLSL: %w", m.Name, err)
	}
	e := &glslGen{
		m: m, g: m.G, double: opt.Double, lv: m.Levels(),
		macros: map[string]bool{}, ops: map[Op]bool{}, tables: map[int]*glslTableUse{},
	}
	e.comments()
	step, err := e.stepFunc()
	if err != nil {
		return "", fmt.Errorf("model %s: GLSL nm_step: %w", m.Name, err)
	}
	outs, err := e.outputsFunc()
	if err != nil {
		return "", fmt.Errorf("model %s: GLSL nm_outputs: %w", m.Name, err)
	}
	if opt.Double {
		if err := e.checkDouble(); err != nil {
			return "", err
		}
	}
	var b strings.Builder
	e.header(&b)
	e.helpers(&b)
	b.WriteString(step)
	b.WriteString("\n")
	b.WriteString(outs)
	return b.String(), nil
}

// glslCheckGraph rejects graphs Levels and Schedule cannot walk: arguments must precede their
// users and parameters must exist.
func glslCheckGraph(m *Model) error {
	for id, n := range m.G.Nodes {
		if n.Op >= numOps {
			return fmt.Errorf("node %d has the unknown operation %v", id, n.Op)
		}
		for _, a := range n.Args() {
			if a < 0 || int(a) >= id {
				return fmt.Errorf("node %d (%v) has an invalid argument %d", id, n.Op, a)
			}
		}
		if n.Op == OpParam && (n.Ref < 0 || int(n.Ref) >= len(m.Params)) {
			return fmt.Errorf("parameter %d does not exist (the model has %d)", n.Ref, len(m.Params))
		}
	}
	return nil
}

type glslTableUse struct{ lookup, drow, dcol bool }

type glslGen struct {
	m      *Model
	g      *Graph
	double bool
	lv     []Level

	note   map[ID]string // comments: let names, state updates, outputs
	macros map[string]bool
	ops    map[Op]bool // operations emitted
	tables map[int]*glslTableUse
	npos   int // position counter (per function)
}

// glslScope maps graph nodes to the GLSL expressions (locals, aliases) that hold them. A coupling
// loop body is a child scope: what it declares is not visible after the loop.
type glslScope struct {
	parent *glslScope
	names  map[ID]string
	pos    map[[3]ID]string // (grid, row value, column value) -> position prefix
	indent string
	b      *strings.Builder
}

func newScope(parent *glslScope, b *strings.Builder, indent string) *glslScope {
	return &glslScope{parent: parent, names: map[ID]string{}, pos: map[[3]ID]string{}, indent: indent, b: b}
}

func (s *glslScope) name(id ID) (string, bool) {
	for ; s != nil; s = s.parent {
		if n, ok := s.names[id]; ok {
			return n, true
		}
	}
	return "", false
}

func (s *glslScope) position(k [3]ID) (string, bool) {
	for ; s != nil; s = s.parent {
		if n, ok := s.pos[k]; ok {
			return n, true
		}
	}
	return "", false
}

func (s *glslScope) line(format string, args ...any) {
	s.b.WriteString(s.indent)
	fmt.Fprintf(s.b, format, args...)
	s.b.WriteString("\n")
}

// glslCtx says which function a node is emitted in.
type glslCtx int

const (
	gStep    glslCtx = iota // nm_step, outside coupling loops
	gSummand                // nm_step, inside the coupling loop
	gOutput                 // nm_outputs
)

// comments collects the names a node carries in the model text, for the generated comments.
func (e *glslGen) comments() {
	m := e.m
	notes := map[ID][]string{}
	add := func(id ID, s string) {
		if id == NoID {
			return
		}
		if n := e.g.Nodes[id]; n.Op == OpConst || n.Op == OpBoolConst {
			return
		}
		for _, x := range notes[id] {
			if x == s {
				return
			}
		}
		notes[id] = append(notes[id], s)
	}
	for _, l := range m.Lets {
		add(l.Expr, "let "+l.Name)
	}
	for _, c := range m.Couplings {
		add(c.Sum, "summand of "+c.Name)
	}
	for _, s := range m.States {
		if s.Kind == ODE {
			add(s.Drift, "d "+s.Name+"/dt")
			add(s.Next, s.Name+" updated")
		} else {
			add(s.Next, s.Name+" :=")
		}
		add(s.After, "after "+s.Name)
	}
	for _, o := range m.Outputs {
		add(o.Expr, "output "+o.Name)
	}
	add(m.Bold, "bold")
	e.note = map[ID]string{}
	for id, s := range notes {
		e.note[id] = strings.Join(s, ", ")
	}
}

// lit writes the constant v exactly in the emitted precision.
func (e *glslGen) lit(v float64) string {
	if e.double {
		if math.IsInf(v, 0) || math.IsNaN(v) || v == 0 && math.Signbit(v) {
			bits := math.Float64bits(v)
			return fmt.Sprintf("packDouble2x32(uvec2(0x%08xu, 0x%08xu))", uint32(bits), uint32(bits>>32))
		}
		return glslNumber(strconv.FormatFloat(v, 'g', 17, 64), "LF")
	}
	f := float32(v)
	if math.IsInf(float64(f), 0) || f != f || f == 0 && math.Signbit(float64(f)) {
		return fmt.Sprintf("uintBitsToFloat(0x%08xu)", math.Float32bits(f))
	}
	return glslNumber(strconv.FormatFloat(float64(f), 'g', -1, 32), "")
}

// glslNumber makes a Go-formatted number a GLSL floating literal: it gets a '.' unless it has an
// exponent, the suffix, and brackets when negative.
func glslNumber(s, suffix string) string {
	if !strings.ContainsAny(s, ".eE") {
		s += ".0"
	}
	s += suffix
	if strings.HasPrefix(s, "-") {
		s = "(" + s + ")"
	}
	return s
}

func (e *glslGen) macro(name string) string {
	e.macros[name] = true
	return name
}

// ref is the GLSL expression of an emitted node (a literal for constants).
func (e *glslGen) ref(sc *glslScope, id ID) (string, error) {
	n := e.g.Nodes[id]
	switch n.Op {
	case OpConst:
		return e.lit(n.Val), nil
	case OpBoolConst:
		if n.Val != 0 {
			return "true", nil
		}
		return "false", nil
	}
	if s, ok := sc.name(id); ok {
		return s, nil
	}
	return "", fmt.Errorf("internal error: node %d (%v) used before it is computed", id, n.Op)
}

// leafNote describes a leaf for the comments.
func (e *glslGen) leafNote(n Node) string {
	m := e.m
	ok := func(k int32, l int) bool { return k >= 0 && int(k) < l }
	switch n.Op {
	case OpParam:
		if ok(n.Ref, len(m.Params)) {
			if m.Params[n.Ref].PerNode {
				return "param " + m.Params[n.Ref].Name + " (per node)"
			}
			return "param " + m.Params[n.Ref].Name
		}
	case OpState:
		if ok(n.Ref, len(m.States)) {
			return m.States[n.Ref].Name
		}
	case OpNew:
		if ok(n.Ref, len(m.States)) {
			return "new " + m.States[n.Ref].Name
		}
	case OpInput:
		if ok(n.Ref, len(m.Inputs)) {
			return "input " + m.Inputs[n.Ref].Name
		}
	case OpNoise:
		if ok(n.Ref, len(m.Noises)) {
			return "noise " + m.Noises[n.Ref].Name
		}
	case OpDelayed:
		if ok(n.Ref, len(m.Delays)) && ok(int32(m.Delays[n.Ref].State), len(m.States)) {
			return "delayed " + m.States[m.Delays[n.Ref].State].Name
		}
	case OpRemote:
		if ok(n.Ref, len(m.States)) {
			return m.States[n.Ref].Name + "[j]"
		}
	case OpConn:
		return "C_ij"
	case OpDt:
		return "dt"
	case OpN:
		return "N"
	}
	return ""
}

func (e *glslGen) checkRef(n Node, count int, what string) error {
	if n.Ref < 0 || int(n.Ref) >= count {
		return fmt.Errorf("%s %d does not exist (the model has %d)", what, n.Ref, count)
	}
	return nil
}

// leaf is the GLSL expression that reads a leaf, or an error where the leaf cannot occur.
func (e *glslGen) leaf(n Node, ctx glslCtx) (string, error) {
	m := e.m
	k := n.Ref
	switch n.Op {
	case OpParam:
		return fmt.Sprintf("%s(%d)", e.macro("NM_PARAM"), k), e.checkRef(n, len(m.Params), "parameter")
	case OpDt:
		return e.macro("NM_DT"), nil
	case OpN:
		return e.macro("NM_N"), nil
	case OpState:
		if ctx == gOutput {
			return "", fmt.Errorf("an output reads the state before the step (outputs see new values only)")
		}
		return fmt.Sprintf("%s(%d)", e.macro("NM_STATE"), k), e.checkRef(n, len(m.States), "state")
	case OpNew:
		if ctx != gOutput {
			return "", fmt.Errorf("a new state value is read outside an after map")
		}
		return fmt.Sprintf("new_[%d]", k), e.checkRef(n, len(m.States), "state")
	case OpConn, OpRemote:
		if ctx != gSummand {
			return "", fmt.Errorf("%v occurs outside a coupling summand", n.Op)
		}
		if n.Op == OpConn {
			return e.macro("NM_CONN") + "(j)", nil
		}
		return fmt.Sprintf("%s(%d, j)", e.macro("NM_REMOTE"), k), e.checkRef(n, len(m.States), "state")
	case OpUniform:
		return "", fmt.Errorf("uniform() occurs outside an initial value")
	}
	if ctx == gOutput {
		return "", fmt.Errorf("an output reads %v, which only the step sees", n.Op)
	}
	if ctx == gSummand && n.Op != OpState {
		return "", fmt.Errorf("a coupling summand reads %v", n.Op)
	}
	switch n.Op {
	case OpInput:
		return fmt.Sprintf("%s(%d)", e.macro("NM_INPUT"), k), e.checkRef(n, len(m.Inputs), "input")
	case OpNoise:
		return fmt.Sprintf("%s(%d)", e.macro("NM_NOISE"), k), e.checkRef(n, len(m.Noises), "noise source")
	case OpDelayed:
		return fmt.Sprintf("%s(%d)", e.macro("NM_DELAYED"), k), e.checkRef(n, len(m.Delays), "delayed read")
	}
	return "", fmt.Errorf("cannot emit %v here", n.Op)
}

var glslInfix = map[Op]string{
	OpAdd: "+", OpSub: "-", OpMul: "*", OpDiv: "/", OpLt: "<", OpLe: "<=", OpGt: ">", OpGe: ">=",
	OpEq: "==", OpNe: "!=", OpAnd: "&&", OpOr: "||",
}

var glslFunc = map[Op]string{
	OpExp: "exp", OpSin: "sin", OpCos: "cos", OpTan: "tan", OpTanh: "tanh", OpAbs: "abs",
	OpFloor: "floor", OpLog: "nm_log", OpSqrt: "nm_sqrt", OpPow: "nm_pow", OpMod: "nm_mod",
}

// emit writes the local of node id (if it needs one and has none yet) in scope sc.
func (e *glslGen) emit(sc *glslScope, id ID, ctx glslCtx) error {
	n := e.g.Nodes[id]
	if n.Op == OpConst || n.Op == OpBoolConst {
		return nil
	}
	if _, ok := sc.name(id); ok {
		return nil
	}
	if n.Op >= numOps {
		return fmt.Errorf("unknown operation %v", n.Op)
	}
	e.ops[n.Op] = true
	args := make([]string, 0, 3)
	for _, a := range n.Args() {
		if a < 0 || int(a) >= len(e.g.Nodes) {
			return fmt.Errorf("node %d (%v) has a missing argument", id, n.Op)
		}
		s, err := e.ref(sc, a)
		if err != nil {
			return err
		}
		args = append(args, s)
	}
	var expr string
	note := e.note[id]
	switch {
	case n.Op == OpCoupling:
		if ctx != gStep {
			return fmt.Errorf("a coupling input is read outside the step's right-hand sides")
		}
		return fmt.Errorf("internal error: coupling %d is not summed", n.Ref)
	case n.Op.IsLeaf():
		s, err := e.leaf(n, ctx)
		if err != nil {
			return err
		}
		expr = s
		if l := e.leafNote(n); l != "" {
			note = strings.TrimSuffix(l+", "+note, ", ")
		}
	case n.Op == OpUniform:
		return fmt.Errorf("uniform() occurs outside an initial value")
	case n.Op == OpNeg:
		expr = "-" + args[0]
	case n.Op == OpNot:
		expr = "!" + args[0]
	case n.Op == OpDiv && !e.double: // IEEE division on every driver (GLSLFloatOps)
		expr = "nm_fdiv(" + args[0] + ", " + args[1] + ")"
	case glslInfix[n.Op] != "":
		expr = args[0] + " " + glslInfix[n.Op] + " " + args[1]
	case n.Op == OpMin: // eval.go: y < x ? y : x
		expr = fmt.Sprintf("(%s < %s) ? %s : %s", args[1], args[0], args[1], args[0])
	case n.Op == OpMax: // eval.go: x < y ? y : x
		expr = fmt.Sprintf("(%s < %s) ? %s : %s", args[0], args[1], args[1], args[0])
	case n.Op == OpClamp:
		expr = fmt.Sprintf("(%s < %s) ? %s : ((%s > %s) ? %s : %s)", args[0], args[1], args[1], args[0], args[2], args[2], args[0])
	case n.Op == OpSelect:
		expr = fmt.Sprintf("%s ? %s : %s", args[0], args[1], args[2])
	case glslFunc[n.Op] != "":
		expr = glslFunc[n.Op] + "(" + strings.Join(args, ", ") + ")"
	case n.Op == OpLookup || n.Op == OpLookupDRow || n.Op == OpLookupDCol:
		s, err := e.lookup(sc, n, args)
		if err != nil {
			return err
		}
		expr = s
		tb := e.m.Tables[n.Ref]
		call := fmt.Sprintf("%s(%s, %s)", tb.Name, args[0], args[1])
		if n.Op != OpLookup {
			call = "d " + call + "/d" + [2]string{tb.Row, tb.Col}[boolInt(n.Op == OpLookupDCol)]
		}
		note = strings.TrimSuffix(call+", "+note, ", ")
	default:
		return fmt.Errorf("cannot emit %v", n.Op)
	}
	name := fmt.Sprintf("v%d", id)
	decl := "precise NM_REAL"
	if n.Op.IsBool() {
		decl = "bool"
	}
	if note != "" {
		sc.line("%s %s = %s; // %s", decl, name, expr, note)
	} else {
		sc.line("%s %s = %s;", decl, name, expr)
	}
	sc.names[id] = name
	return nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// lookup emits (once per scope and (grid, row value, column value)) the cell position and returns
// the call of the table's interpolation helper.
func (e *glslGen) lookup(sc *glslScope, n Node, args []string) (string, error) {
	t := int(n.Ref)
	if t < 0 || t >= len(e.m.Tables) {
		return "", fmt.Errorf("table %d does not exist (the model has %d)", t, len(e.m.Tables))
	}
	grid := e.m.Tables[t].Grid
	if grid < 0 || grid >= len(e.m.Tables) {
		return "", fmt.Errorf("table %s has grid %d, which is no table", e.m.Tables[t].Name, grid)
	}
	key := [3]ID{ID(grid), n.A, n.B}
	p, ok := sc.position(key)
	if !ok {
		p = fmt.Sprintf("p%d", e.npos)
		e.npos++
		for _, mac := range []string{"NM_AXIS_FIRST", "NM_AXIS_STEP", "NM_AXIS_LAST", "NM_AXIS_N"} {
			e.macro(mac)
		}
		sc.line("int %s_iy, %s_ix; // cell of (%s, %s) on the grid of %s", p, p, args[0], args[1], e.m.Tables[grid].Name)
		sc.line("precise NM_REAL %s_fy, %s_fx;", p, p)
		for a, v := range args[:2] {
			rc := [2]string{"y", "x"}[a]
			sc.line("nm_axis(%s, NM_AXIS_FIRST(%d, %d), NM_AXIS_LAST(%d, %d), NM_AXIS_STEP(%d, %d), NM_AXIS_N(%d, %d), %s_i%s, %s_f%s);",
				v, grid, a, grid, a, grid, a, grid, a, p, rc, p, rc)
		}
		sc.pos[key] = p
	}
	e.macro("NM_TABLE")
	u := e.tables[t]
	if u == nil {
		u = &glslTableUse{}
		e.tables[t] = u
	}
	switch n.Op {
	case OpLookup:
		u.lookup = true
		return fmt.Sprintf("nm_lookup_t%d(%s_iy, %s_ix, %s_fy, %s_fx)", t, p, p, p, p), nil
	case OpLookupDRow:
		u.drow = true
		return fmt.Sprintf("nm_lookup_drow_t%d(%s, %s_iy, %s_ix, %s_fx)", t, args[0], p, p, p), nil
	}
	u.dcol = true
	return fmt.Sprintf("nm_lookup_dcol_t%d(%s, %s_iy, %s_ix, %s_fy)", t, args[1], p, p, p), nil
}

// stepFunc writes nm_step.
func (e *glslGen) stepFunc() (string, error) {
	m, g := e.m, e.g
	e.npos = 0
	for k := range m.States {
		for _, id := range []ID{m.States[k].Next, m.States[k].After} {
			if id != NoID && (id < 0 || int(id) >= len(g.Nodes)) {
				return "", fmt.Errorf("state %s has no valid update", m.States[k].Name)
			}
		}
		if m.States[k].Next == NoID {
			return "", fmt.Errorf("state %s has no update", m.States[k].Name)
		}
	}
	var b strings.Builder
	b.WriteString("// nm_step: the new value of every state of this node (old values in, new values out).\n")
	b.WriteString("void nm_step(out NM_REAL next_[NM_STATES_LEN]) {\n")
	fn := newScope(nil, &b, "\t")
	main := g.Schedule(m.StepRoots()...)

	// Coupling sums: the summands' values that do not depend on j are computed before the loop,
	// the rest in one loop over j for all sums.
	var used []int
	seen := map[int]bool{}
	for _, id := range main {
		if n := g.Nodes[id]; n.Op == OpCoupling && !seen[int(n.Ref)] {
			if n.Ref < 0 || int(n.Ref) >= len(m.Couplings) {
				return "", fmt.Errorf("coupling %d does not exist (the model has %d)", n.Ref, len(m.Couplings))
			}
			seen[int(n.Ref)] = true
			used = append(used, int(n.Ref))
		}
	}
	sort.Ints(used)
	if len(used) > 0 {
		scheds := make([][]ID, len(used))
		fn.line("// coupling sums over j = 0 .. N-1, ascending, from 0")
		for i, k := range used {
			c := m.Couplings[k]
			if c.Sum == NoID || c.Sum < 0 || int(c.Sum) >= len(g.Nodes) {
				return "", fmt.Errorf("coupling %s has no summand", c.Name)
			}
			scheds[i] = g.Schedule(c.Sum)
			for _, id := range scheds[i] {
				if e.lv[id] < LevelPair {
					if err := e.emit(fn, id, gSummand); err != nil {
						return "", fmt.Errorf("coupling %s: %w", c.Name, err)
					}
				}
			}
		}
		for _, k := range used {
			fn.line("precise NM_REAL s%d = %s; // coupling %s", k, e.lit(0), m.Couplings[k].Name)
		}
		fn.line("for (int j = 0; j < %s; j++) {", e.macro("NM_NODES"))
		loop := newScope(fn, &b, "\t\t")
		for i, k := range used {
			c := m.Couplings[k]
			for _, id := range scheds[i] {
				if e.lv[id] == LevelPair {
					if err := e.emit(loop, id, gSummand); err != nil {
						return "", fmt.Errorf("coupling %s: %w", c.Name, err)
					}
				}
			}
			s, err := e.ref(loop, c.Sum)
			if err != nil {
				return "", err
			}
			loop.line("s%d = s%d + %s;", k, k, s)
		}
		fn.line("}")
		for _, id := range main {
			if n := g.Nodes[id]; n.Op == OpCoupling {
				fn.names[id] = fmt.Sprintf("s%d", n.Ref)
			}
		}
	}

	fn.line("// the update")
	for _, id := range main {
		if err := e.emit(fn, id, gStep); err != nil {
			return "", err
		}
	}
	final := make([]string, len(m.States))
	for k, s := range m.States {
		v, err := e.ref(fn, s.Next)
		if err != nil {
			return "", err
		}
		final[k] = v
	}
	for k, s := range m.States {
		if s.After == NoID {
			continue
		}
		fn.line("// after %s", s.Name)
		for _, id := range g.Schedule(s.After) {
			if n := g.Nodes[id]; n.Op == OpNew {
				if int(n.Ref) != k {
					return "", fmt.Errorf("the after map of %s reads another state's new value", s.Name)
				}
				if _, ok := fn.names[id]; !ok {
					fn.names[id] = final[k]
				}
				continue
			}
			if err := e.emit(fn, id, gStep); err != nil {
				return "", fmt.Errorf("after %s: %w", s.Name, err)
			}
		}
		v, err := e.ref(fn, s.After)
		if err != nil {
			return "", err
		}
		final[k] = v
	}
	for k, v := range final {
		fn.line("next_[%d] = %s; // %s", k, v, m.States[k].Name)
	}
	b.WriteString("}\n")
	return b.String(), nil
}

// outputsFunc writes nm_outputs.
func (e *glslGen) outputsFunc() (string, error) {
	m, g := e.m, e.g
	e.npos = 0
	var b strings.Builder
	b.WriteString("// nm_outputs: the outputs and the BOLD input from the new state values.\n")
	b.WriteString("void nm_outputs(in NM_REAL new_[NM_STATES_LEN], out NM_REAL out_[NM_OUTPUTS_LEN], out NM_REAL bold_) {\n")
	sc := newScope(nil, &b, "\t")
	var roots []ID
	for _, o := range m.Outputs {
		if o.Expr == NoID || o.Expr < 0 || int(o.Expr) >= len(g.Nodes) {
			return "", fmt.Errorf("output %s has no expression", o.Name)
		}
		roots = append(roots, o.Expr)
	}
	if m.Bold != NoID {
		if m.Bold < 0 || int(m.Bold) >= len(g.Nodes) {
			return "", fmt.Errorf("the bold input is not a valid expression")
		}
		roots = append(roots, m.Bold)
	}
	for _, id := range g.Schedule(roots...) {
		if err := e.emit(sc, id, gOutput); err != nil {
			return "", err
		}
	}
	for k, o := range m.Outputs {
		v, err := e.ref(sc, o.Expr)
		if err != nil {
			return "", err
		}
		sc.line("out_[%d] = %s; // %s", k, v, o.Name)
	}
	if len(m.Outputs) == 0 {
		sc.line("out_[0] = %s; // the model has no output", e.lit(0))
	}
	if m.Bold == NoID {
		sc.line("bold_ = %s; // the model has no BOLD input", e.lit(0))
	} else {
		v, err := e.ref(sc, m.Bold)
		if err != nil {
			return "", err
		}
		sc.line("bold_ = %s;", v)
	}
	b.WriteString("}\n")
	return b.String(), nil
}

// checkDouble reports the functions without a double overload the emitted code uses, and where.
func (e *glslGen) checkDouble() error {
	var bad []string
	for op := Op(0); op < numOps; op++ {
		if e.ops[op] && glslNoDouble[op] {
			bad = append(bad, op.String())
		}
	}
	if len(bad) == 0 {
		return nil
	}
	m, g := e.m, e.g
	uses := func(root ID) bool {
		for _, id := range g.Schedule(root) {
			if glslNoDouble[g.Nodes[id].Op] {
				return true
			}
		}
		return false
	}
	var where []string
	for _, s := range m.States {
		if uses(s.Next) || s.After != NoID && uses(s.After) {
			where = append(where, "state "+s.Name)
		}
	}
	for _, c := range m.Couplings {
		if c.Sum != NoID && uses(c.Sum) {
			where = append(where, "coupling "+c.Name)
		}
	}
	for _, o := range m.Outputs {
		if uses(o.Expr) {
			where = append(where, "output "+o.Name)
		}
	}
	if m.Bold != NoID && uses(m.Bold) {
		where = append(where, "bold")
	}
	return fmt.Errorf("model %s: GLSL has no double-precision %s, which the model uses (%s): emit float GLSL or run float64 on the CPU",
		m.Name, strings.Join(bad, ", "), strings.Join(where, ", "))
}

// header writes the contract, the checks of the template's macros, the counts and the index lists.
func (e *glslGen) header(b *strings.Builder) {
	m := e.m
	prec := "float"
	if e.double {
		prec = "double"
	}
	fmt.Fprintf(b, "// neuromass model %s: GLSL fragment (%s), generated by engine/eqn from %s. Do not edit.\n", m.Name, prec, orDash(m.File))
	b.WriteString(`//
// The integration template defines before it: NM_REAL (float|double), NM_NODES (int), NM_N, NM_DT,
// NM_PARAM(k), NM_STATE(k), NM_INPUT(k), NM_NOISE(k), NM_DELAYED(k), NM_CONN(j), NM_REMOTE(k, j),
// NM_TABLE(t, r, c), NM_AXIS_FIRST(t, a), NM_AXIS_STEP(t, a), NM_AXIS_LAST(t, a), NM_AXIS_N(t, a)
// (axis a: 0 rows, 1 columns; N an int); those used here are checked below. This fragment defines
// the counts, nm_step(out next_[NM_STATES_LEN]) (coupling sums over j ascending from 0, then every
// update, then the after maps) and nm_outputs(in new_[NM_STATES_LEN], out out_[NM_OUTPUTS_LEN],
// out bold_). Every value is a precise local, evaluated in the order the model text writes; the
// full contract is at the top of engine/eqn/glsl.go.
`)
	var used []string
	for mac := range e.macros {
		used = append(used, mac)
	}
	sort.Strings(used)
	used = append([]string{"NM_REAL"}, used...)
	for _, mac := range used {
		fmt.Fprintf(b, "#ifndef %s\n#error \"neuromass model %s: the template must define %s before the fragment\"\n#endif\n", mac, m.Name, mac)
	}
	fmt.Fprintf(b, "#define NM_FRAGMENT_DOUBLE %d\n", boolInt(e.double))
	counts := []struct {
		name string
		n    int
	}{
		{"NM_NSTATES", len(m.States)}, {"NM_NOUTPUTS", len(m.Outputs)}, {"NM_NPARAMS", len(m.Params)},
		{"NM_NINPUTS", len(m.Inputs)}, {"NM_NNOISE", len(m.Noises)}, {"NM_NCOUPLINGS", len(m.Couplings)},
		{"NM_NDELAYS", len(m.Delays)}, {"NM_NTABLES", len(m.Tables)},
		{"NM_STATES_LEN", max(1, len(m.States))}, {"NM_OUTPUTS_LEN", max(1, len(m.Outputs))},
	}
	for _, c := range counts {
		fmt.Fprintf(b, "#define %s %d\n", c.name, c.n)
	}
	b.WriteString("//\n// Indices:\n")
	for k, p := range m.Params {
		extra := ""
		if p.PerNode {
			extra = " (per node)"
		}
		fmt.Fprintf(b, "//   NM_PARAM(%d)\t%s%s%s\n", k, p.Name, unitOf(p.Unit), extra)
	}
	for k, s := range m.States {
		kind := "ODE"
		if s.Kind == Algebraic {
			kind = "algebraic"
		}
		if s.After != NoID {
			kind += ", after map"
		}
		fmt.Fprintf(b, "//   NM_STATE(%d), next_[%d], new_[%d]\t%s%s (%s)\n", k, k, k, s.Name, unitOf(s.Unit), kind)
	}
	for k, in := range m.Inputs {
		fmt.Fprintf(b, "//   NM_INPUT(%d)\t%s%s\n", k, in.Name, unitOf(in.Unit))
	}
	for k, nz := range m.Noises {
		fmt.Fprintf(b, "//   NM_NOISE(%d)\t%s\n", k, nz.Name)
	}
	for k, c := range m.Couplings {
		var r []string
		for _, s := range c.Remote {
			if s >= 0 && s < len(m.States) {
				r = append(r, fmt.Sprintf("%d %s", s, m.States[s].Name))
			}
		}
		fmt.Fprintf(b, "//   coupling %d\t%s (remote states: %s)\n", k, c.Name, listOrNone(r))
	}
	for k, d := range m.Delays {
		name := "?"
		if d.State >= 0 && d.State < len(m.States) {
			name = m.States[d.State].Name
		}
		fmt.Fprintf(b, "//   NM_DELAYED(%d)\tstate %d %s, delayed by %s ms\n", k, d.State, name, e.constText(d.Ms))
	}
	for k, t := range m.Tables {
		fmt.Fprintf(b, "//   table %d\t%s(%s, %s)%s, grid of table %d\n", k, t.Name, t.Row, t.Col, unitOf(t.Unit), t.Grid)
	}
	for k, o := range m.Outputs {
		def := ""
		if o.Default {
			def = " (default)"
		}
		fmt.Fprintf(b, "//   out_[%d]\t%s%s%s\n", k, o.Name, unitOf(o.Unit), def)
	}
	b.WriteString("\n")
}

// constText describes a parameter expression (a delay) for the index comment.
func (e *glslGen) constText(id ID) string {
	if id == NoID || id < 0 || int(id) >= len(e.g.Nodes) {
		return "?"
	}
	n := e.g.Nodes[id]
	switch n.Op {
	case OpConst:
		return strconv.FormatFloat(n.Val, 'g', -1, 64)
	case OpParam:
		if n.Ref >= 0 && int(n.Ref) < len(e.m.Params) {
			return "param " + e.m.Params[n.Ref].Name
		}
	}
	return "an expression of parameters"
}

func unitOf(u string) string {
	if u == "" {
		return ""
	}
	return " [" + u + "]"
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// div is the GLSL of a / b (both simple expressions): nm_fdiv in float code (GLSLFloatOps), the
// operator in double code.
func (e *glslGen) div(a, b string) string {
	if e.double {
		return "(" + a + ") / (" + b + ")"
	}
	return "nm_fdiv(" + a + ", " + b + ")"
}

// helpers writes the helper functions the emitted code calls.
func (e *glslGen) helpers(b *strings.Builder) {
	nan, inf, ninf := e.lit(math.NaN()), e.lit(math.Inf(1)), e.lit(math.Inf(-1))
	zero, one := e.lit(0), e.lit(1)
	sqrt := "nm_fsqrt"
	if e.double {
		sqrt = "sqrt"
	}
	if e.ops[OpSqrt] || e.ops[OpPow] {
		fmt.Fprintf(b, `// nm_sqrt: sqrt, NaN for x < 0 (GLSL leaves that undefined; Go gives NaN).
NM_REAL nm_sqrt(NM_REAL x) {
	return (x < %s) ? %s : %s(x);
}

`, zero, nan, sqrt)
	}
	if e.ops[OpLog] {
		fmt.Fprintf(b, `// nm_log: log, with Go's values where GLSL leaves it undefined: -inf at 0, NaN below.
NM_REAL nm_log(NM_REAL x) {
	return (x > %s) ? log(x) : ((x == %s) ? %s : %s);
}

`, zero, zero, ninf, nan)
	}
	if e.ops[OpPow] {
		// Only in float code: double code has no pow.
		fmt.Fprintf(b, `// nm_pow: Go's math.Pow special cases (y = 0, 1, +-0.5, +-inf; x = 1, +-0, +-inf, NaN; x < 0
// with an integer y), GLSL's pow (a few ULP from Go's) for x > 0.
NM_REAL nm_pow(NM_REAL x, NM_REAL y) {
	if (y == %[1]s || x == %[2]s) return %[2]s;
	if (y == %[2]s) return x;
	if (isnan(x) || isnan(y)) return %[3]s;
	bool odd = floor(y) == y && abs(y) < 16777216.0 && y - 2.0 * floor(0.5 * y) == %[2]s;
	if (x == %[1]s) {
		bool neg = floatBitsToUint(x) != 0u;
		if (y < %[1]s) return (neg && odd) ? %[5]s : %[4]s;
		return (neg && odd) ? x : %[1]s;
	}
	if (isinf(y)) {
		if (x == -1.0) return %[2]s;
		return ((abs(x) < %[2]s) == (y > %[1]s)) ? %[1]s : %[4]s;
	}
	if (isinf(x)) {
		if (x > %[1]s) return (y < %[1]s) ? %[1]s : %[4]s;
		if (y > %[1]s) return odd ? %[5]s : %[4]s;
		return odd ? %[6]s : %[1]s;
	}
	if (y == 0.5) return nm_sqrt(x);
	if (y == -0.5) { precise NM_REAL r = nm_fdiv(%[2]s, nm_sqrt(x)); return r; }
	if (x < %[1]s) {
		if (floor(y) != y) return %[3]s;
		precise NM_REAL r = pow(-x, y);
		return odd ? -r : r;
	}
	return pow(x, y);
}

`, zero, one, nan, inf, ninf, e.lit(math.Copysign(0, -1)))
	}
	if e.ops[OpMod] {
		fmt.Fprintf(b, `// nm_fmod: Go's math.Mod, exactly: the remainder of x / y with the sign of x, by long division in
// binary (each subtraction is exact; the loop runs once per bit of the quotient's exponent range).
NM_REAL nm_fmod(NM_REAL x, NM_REAL y) {
	if (y == %[1]s || isinf(x) || isnan(x) || isnan(y)) return %[2]s;
	NM_REAL ay = abs(y);
	int yexp;
	NM_REAL yfr = frexp(ay, yexp);
	precise NM_REAL r = (x < %[1]s) ? -x : x;
	for (int k = 0; k < 2200 && r >= ay; k++) {
		int rexp;
		NM_REAL rfr = frexp(r, rexp);
		if (rfr < yfr) rexp = rexp - 1;
		r = r - ldexp(ay, rexp - yexp);
	}
	return (x < %[1]s) ? -r : r;
}

// nm_mod: floored modulo with the sign of b (NumPy's %%), as eval.go's Mod.
NM_REAL nm_mod(NM_REAL a, NM_REAL b) {
	precise NM_REAL m = nm_fmod(a, b);
	if (m != %[1]s && ((m < %[1]s) != (b < %[1]s))) m = m + b;
	return m;
}

`, zero, nan)
	}
	if len(e.tables) == 0 {
		return
	}
	fmt.Fprintf(b, `// nm_axis: the cell index i and fraction f of v on a table axis, as eval.go's axisPos: below the
// first point (0, 0), at or above the last (n-1, 0), else floor and fraction, with the index kept
// at most n-2 (fraction 1) when rounding reaches the last point. NaN gives (0, NaN).
void nm_axis(NM_REAL v, NM_REAL first, NM_REAL last, NM_REAL step, int n, out int i, out NM_REAL f) {
	i = 0;
	f = %[1]s;
	if (v < first) return;
	if (v >= last) {
		i = n - 1;
		return;
	}
	precise NM_REAL q = %[3]s;
	precise NM_REAL fl = floor(q);
	if (fl > NM_REAL(n - 2)) {
		i = n - 2;
		f = %[2]s;
		return;
	}
	i = (fl >= %[1]s) ? int(fl) : 0;
	precise NM_REAL fr = q - fl;
	f = fr;
}

`, zero, one, e.div("v - first", "step"))
	ts := make([]int, 0, len(e.tables))
	for t := range e.tables {
		ts = append(ts, t)
	}
	sort.Ints(ts)
	for _, t := range ts {
		u, tb := e.tables[t], e.m.Tables[t]
		gr := tb.Grid
		if u.lookup {
			fmt.Fprintf(b, `// nm_lookup_t%[1]d: table %[2]s, bilinear at cell (iy, ix) with fractions (fy, fx), as eval.go's Lookup.
NM_REAL nm_lookup_t%[1]d(int iy, int ix, NM_REAL fy, NM_REAL fx) {
	int iy1 = min(iy + 1, NM_AXIS_N(%[3]d, 0) - 1);
	int ix1 = min(ix + 1, NM_AXIS_N(%[3]d, 1) - 1);
	precise NM_REAL r = NM_TABLE(%[1]d, iy, ix) * (%[4]s - fx) * (%[4]s - fy) + NM_TABLE(%[1]d, iy, ix1) * fx * (%[4]s - fy) + NM_TABLE(%[1]d, iy1, ix) * (%[4]s - fx) * fy + NM_TABLE(%[1]d, iy1, ix1) * fx * fy;
	return r;
}

`, t, tb.Name, gr, one)
		}
		if u.drow {
			fmt.Fprintf(b, `// nm_lookup_drow_t%[1]d: d %[2]s/d%[5]s as eval.go's LookupD (axis 0); 0 outside the grid, NaN at NaN.
NM_REAL nm_lookup_drow_t%[1]d(NM_REAL y, int iy, int ix, NM_REAL fx) {
	if (y < NM_AXIS_FIRST(%[3]d, 0) || y >= NM_AXIS_LAST(%[3]d, 0)) return %[6]s;
	if (isnan(y)) return %[7]s;
	int ix1 = min(ix + 1, NM_AXIS_N(%[3]d, 1) - 1);
	precise NM_REAL d = ((NM_TABLE(%[1]d, iy + 1, ix) - NM_TABLE(%[1]d, iy, ix)) * (%[4]s - fx) + (NM_TABLE(%[1]d, iy + 1, ix1) - NM_TABLE(%[1]d, iy, ix1)) * fx);
	precise NM_REAL r = %[8]s;
	return r;
}

`, t, tb.Name, gr, one, tb.Row, zero, nan, e.div("d", "NM_AXIS_STEP("+strconv.Itoa(gr)+", 0)"))
		}
		if u.dcol {
			fmt.Fprintf(b, `// nm_lookup_dcol_t%[1]d: d %[2]s/d%[5]s as eval.go's LookupD (axis 1); 0 outside the grid, NaN at NaN.
NM_REAL nm_lookup_dcol_t%[1]d(NM_REAL x, int iy, int ix, NM_REAL fy) {
	if (x < NM_AXIS_FIRST(%[3]d, 1) || x >= NM_AXIS_LAST(%[3]d, 1)) return %[6]s;
	if (isnan(x)) return %[7]s;
	int iy1 = min(iy + 1, NM_AXIS_N(%[3]d, 0) - 1);
	precise NM_REAL d = ((NM_TABLE(%[1]d, iy, ix + 1) - NM_TABLE(%[1]d, iy, ix)) * (%[4]s - fy) + (NM_TABLE(%[1]d, iy1, ix + 1) - NM_TABLE(%[1]d, iy1, ix)) * fy);
	precise NM_REAL r = %[8]s;
	return r;
}

`, t, tb.Name, gr, one, tb.Col, zero, nan, e.div("d", "NM_AXIS_STEP("+strconv.Itoa(gr)+", 1)"))
		}
	}
}

// GLSLTestHarness wraps a fragment from m.GLSL in a complete compute shader (#version 450) that
// defines the template's macros over storage buffers and calls nm_step and nm_outputs, so that a
// GLSL compiler (glslangValidator -S comp) can validate the fragment, and a test can run it. It is a
// validation harness, not the GPU integration template: one invocation per node, one step, no time
// loop. double must match the option the fragment was emitted with.
//
// Buffers (std430, NM_REAL unless said otherwise; "node-major" means [node][k]):
//
//	0 params   node-major, every parameter at every node
//	1 state    node-major, the states before the step
//	2 inputs   node-major
//	3 noise    node-major
//	4 delayed  node-major, the local delayed reads
//	5 conn     C[i][j], row-major N x N
//	6 lag      int d[i][j], row-major N x N
//	7 history  [lag][state][node]: state k of node j, lag steps back
//	8 tables   all tables, row-major, concatenated
//	9 tinfo    int, per table: offset into tables, rows, columns
//	10 axes    per table and axis (row, column): first, step, last
//	11 out     written: node-major, the new states, then the outputs, then bold
//
// uniform int h_nodes and uniform NM_REAL h_dt give the node count and the step.
func GLSLTestHarness(fragment string, m *Model, double bool) string {
	typ := "float"
	if double {
		typ = "double"
	}
	np, ns, ni, nn, nd := len(m.Params), len(m.States), len(m.Inputs), len(m.Noises), len(m.Delays)
	no := len(m.Outputs)
	var b strings.Builder
	fmt.Fprintf(&b, `#version 450
// neuromass GLSL validation harness for model %s (%s): not the GPU integration template.
layout(local_size_x = 64) in;
#define NM_REAL %s
layout(std430, binding = 0) readonly buffer NmParams { NM_REAL h_params[]; };
layout(std430, binding = 1) readonly buffer NmState { NM_REAL h_state[]; };
layout(std430, binding = 2) readonly buffer NmInputs { NM_REAL h_inputs[]; };
layout(std430, binding = 3) readonly buffer NmNoise { NM_REAL h_noise[]; };
layout(std430, binding = 4) readonly buffer NmDelayed { NM_REAL h_delayed[]; };
layout(std430, binding = 5) readonly buffer NmConn { NM_REAL h_conn[]; };
layout(std430, binding = 6) readonly buffer NmLag { int h_lag[]; };
layout(std430, binding = 7) readonly buffer NmHistory { NM_REAL h_history[]; };
layout(std430, binding = 8) readonly buffer NmTables { NM_REAL h_tables[]; };
layout(std430, binding = 9) readonly buffer NmTableInfo { int h_tinfo[]; };
layout(std430, binding = 10) readonly buffer NmAxes { NM_REAL h_axes[]; };
layout(std430, binding = 11) writeonly buffer NmOut { NM_REAL h_out[]; };
uniform int h_nodes;
uniform NM_REAL h_dt;
int h_i; // this node
#define NM_NODES h_nodes
#define NM_N NM_REAL(h_nodes)
#define NM_DT h_dt
#define NM_PARAM(k) h_params[h_i * %d + (k)]
#define NM_STATE(k) h_state[h_i * %d + (k)]
#define NM_INPUT(k) h_inputs[h_i * %d + (k)]
#define NM_NOISE(k) h_noise[h_i * %d + (k)]
#define NM_DELAYED(k) h_delayed[h_i * %d + (k)]
#define NM_CONN(j) h_conn[h_i * h_nodes + (j)]
#define NM_REMOTE(k, j) h_history[(h_lag[h_i * h_nodes + (j)] * %d + (k)) * h_nodes + (j)]
#define NM_TABLE(t, r, c) h_tables[h_tinfo[3 * (t)] + (r) * h_tinfo[3 * (t) + 2] + (c)]
#define NM_AXIS_FIRST(t, a) h_axes[3 * (2 * (t) + (a))]
#define NM_AXIS_STEP(t, a) h_axes[3 * (2 * (t) + (a)) + 1]
#define NM_AXIS_LAST(t, a) h_axes[3 * (2 * (t) + (a)) + 2]
#define NM_AXIS_N(t, a) h_tinfo[3 * (t) + 1 + (a)]

`, m.Name, typ, typ, np, ns, ni, nn, nd, ns)
	if !double {
		b.WriteString(GLSLFloatOps)
	}
	b.WriteString(fragment)
	fmt.Fprintf(&b, `
void main() {
	h_i = int(gl_GlobalInvocationID.x);
	if (h_i >= h_nodes) return;
	NM_REAL nx[NM_STATES_LEN];
	nm_step(nx);
	NM_REAL o[NM_OUTPUTS_LEN];
	NM_REAL bo;
	nm_outputs(nx, o, bo);
	int base = h_i * %d;
	for (int k = 0; k < %d; k++) h_out[base + k] = nx[k];
	for (int k = 0; k < %d; k++) h_out[base + %d + k] = o[k];
	h_out[base + %d] = bo;
}
`, ns+no+1, ns, no, ns, ns+no)
	return b.String()
}
