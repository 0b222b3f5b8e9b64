package eqn

import (
	"encoding/binary"
	"fmt"
	"math"
	"sort"
	"strings"
)

// constant compiles a constant expression (parameter defaults, ranges, input defaults).
func (c *compiler) constant(e Expr) float64 {
	if e == nil {
		return 0
	}
	saved := c.ctx
	c.ctx = cConst
	defer func() { c.ctx = saved }()
	n := len(c.errs)
	id := c.expr(e)
	if v, ok := c.g.IsConst(id); ok {
		return v
	}
	if len(c.errs) == n {
		c.errorf(e.Pos(), "found an expression that is not constant, expected numbers and constants only")
	}
	return 0
}

// let compiles the named let once, detecting cycles.
func (c *compiler) let(name string, use Pos) ID {
	if id, ok := c.lets[name]; ok {
		return id
	}
	if c.active[name] {
		i := 0
		for k, n := range c.stack {
			if n == name {
				i = k
			}
		}
		cycle := append(append([]string{}, c.stack[i:]...), name)
		c.errorf(c.syms[name].decl.NameP, "the lets %s form a cycle, expected each to be computable from the others", strings.Join(cycle, " -> "))
		c.lets[name] = c.g.Const(math.NaN())
		return c.lets[name]
	}
	d := c.syms[name].decl
	savedCtx, savedArgs, savedFn := c.ctx, c.args, c.inFn
	c.ctx, c.args, c.inFn = cStep, nil, false
	c.active[name] = true
	c.stack = append(c.stack, name)
	id := c.expr(d.Expr)
	c.stack = c.stack[:len(c.stack)-1]
	delete(c.active, name)
	c.ctx, c.args, c.inFn = savedCtx, savedArgs, savedFn
	if _, done := c.lets[name]; !done {
		c.lets[name] = id
		c.letOrder = append(c.letOrder, name)
	}
	return c.lets[name]
}

// isNoise reports whether an expression mentions a noise source.
func (c *compiler) isNoise(e Expr) bool {
	switch e := e.(type) {
	case *Ident:
		s, ok := c.syms[e.Name]
		return ok && s.kind == symNoise
	case *Unary:
		return c.isNoise(e.X)
	case *Binary:
		return c.isNoise(e.X) || c.isNoise(e.Y)
	case *Call:
		for _, a := range e.Args {
			if c.isNoise(a) {
				return true
			}
		}
	}
	return false
}

// ode compiles d x/dt = f + g*xi: the drift f keeps the text's structure, the white-noise terms
// come out, and the new value is x + dt*f + (g*sqrt(dt))*xi.
func (c *compiler) ode(s *State, d *Decl) {
	g := c.g
	var diff []Diffusion
	var split func(e Expr, neg bool) ID // returns the drift part or NoID
	split = func(e Expr, neg bool) ID {
		if !c.isNoise(e) {
			return c.expr(e)
		}
		switch e := e.(type) {
		case *Binary:
			switch e.Op {
			case "+", "-":
				x := split(e.X, neg)
				y := split(e.Y, neg != (e.Op == "-"))
				switch {
				case x == NoID && y == NoID:
					return NoID
				case x == NoID:
					if e.Op == "-" {
						return g.Op(OpNeg, y)
					}
					return y
				case y == NoID:
					return x
				}
				if e.Op == "-" {
					return g.Op(OpSub, x, y)
				}
				return g.Op(OpAdd, x, y)
			case "*":
				var coef, nz Expr
				switch {
				case c.isNoiseIdent(e.Y) && !c.isNoise(e.X):
					coef, nz = e.X, e.Y
				case c.isNoiseIdent(e.X) && !c.isNoise(e.Y):
					coef, nz = e.Y, e.X
				default:
					c.errorf(e.P, "found a product with noise inside, expected a white-noise term g * NOISE with g free of noise")
					return NoID
				}
				k := c.syms[nz.(*Ident).Name].index
				cf := c.expr(coef)
				if neg {
					cf = g.Op(OpNeg, cf)
				}
				diff = append(diff, Diffusion{Noise: k, Coef: cf})
				return NoID
			}
		case *Unary:
			if e.Op == "-" || e.Op == "+" {
				x := split(e.X, neg != (e.Op == "-"))
				if x != NoID && e.Op == "-" {
					return g.Op(OpNeg, x)
				}
				return x
			}
		case *Ident:
			k := c.syms[e.Name].index
			cf := g.Const(1)
			if neg {
				cf = g.Const(-1)
			}
			diff = append(diff, Diffusion{Noise: k, Coef: cf})
			return NoID
		}
		c.errorf(e.Pos(), "found noise inside %s, expected white noise only as an additive term g * NOISE of the right-hand side", describeExpr(e))
		return NoID
	}
	drift := split(d.Expr, false)
	if drift == NoID {
		drift = g.Const(0)
	}
	s.Drift = drift
	s.Noise = diff
	x := g.Leaf(OpState, c.syms[s.Name].index)
	next := g.Op(OpAdd, x, g.Op(OpMul, g.Leaf(OpDt, 0), drift))
	for _, t := range diff {
		term := g.Op(OpMul, g.Op(OpMul, t.Coef, g.Op(OpSqrt, g.Leaf(OpDt, 0))), g.Leaf(OpNoise, t.Noise))
		next = g.Op(OpAdd, next, term)
	}
	s.Next = next
}

func (c *compiler) isNoiseIdent(e Expr) bool {
	id, ok := e.(*Ident)
	if !ok {
		return false
	}
	s, ok := c.syms[id.Name]
	return ok && s.kind == symNoise
}

func describeExpr(e Expr) string {
	switch e := e.(type) {
	case *Call:
		return e.Fun + "(...)"
	case *Binary:
		return fmt.Sprintf("an %q expression", e.Op)
	case *Unary:
		return fmt.Sprintf("a %q expression", e.Op)
	case *Ident: // Fix (TestCompileErrors): "found "c" compared with switch s", not "found an expression"
		return fmt.Sprintf("%q", e.Name)
	case *NumLit:
		return e.Text
	}
	return "an expression"
}

// expr compiles a numeric expression.
func (c *compiler) expr(e Expr) ID {
	id, isBool := c.any(e)
	if isBool {
		c.errorf(e.Pos(), "found a condition, expected a number (use select(cond, a, b))")
	}
	return id
}

// cond compiles a condition.
func (c *compiler) cond(e Expr) ID {
	id, isBool := c.any(e)
	if !isBool {
		c.errorf(e.Pos(), "found a number, expected a condition (a comparison such as x < 0)")
		return c.g.Bool(false)
	}
	return id
}

var cmpOps = map[string]Op{"<": OpLt, "<=": OpLe, ">": OpGt, ">=": OpGe, "==": OpEq, "!=": OpNe}

func (c *compiler) any(e Expr) (ID, bool) {
	g := c.g
	switch e := e.(type) {
	case *NumLit:
		return g.Const(e.Val), false
	case *Ident:
		return c.ident(e), false
	case *RemoteRef:
		if c.ctx != cSummand {
			c.errorf(e.P, "found %s[j], expected remote values x[j] only inside sum_j(...) of a coupling", e.Name)
			return g.Const(0), false
		}
		s, ok := c.syms[e.Name]
		if !ok {
			c.errorf(e.P, "found %q, expected a declared state (%q is not defined)%s", e.Name, e.Name, c.suggest(e.Name))
			return g.Const(0), false
		}
		if s.kind != symState {
			c.errorf(e.P, "found %s[j] where %s is %s, expected a state: only states can be coupled", e.Name, e.Name, symWhat[s.kind])
			return g.Const(0), false
		}
		if c.inFn {
			// Fix (TestCompileErrors): a fn body sees no states (model-language.md 3, fn), remote
			// ones included, as for a plain x; this also keeps fn expansions free of side effects
			// on the coupling's Remote list, so they can be reused (see call).
			c.errorf(e.P, "found %s[j] inside a fn, expected only the function's arguments, parameters and constants (pass it as an argument)", e.Name)
			return g.Const(0), false
		}
		if !c.remote[s.index] {
			c.remote[s.index] = true
			c.remoteOr = append(c.remoteOr, s.index)
		}
		return g.Leaf(OpRemote, s.index), false
	case *Unary:
		switch e.Op {
		case "not":
			return g.Op(OpNot, c.cond(e.X)), true
		case "-":
			return g.Op(OpNeg, c.expr(e.X)), false
		}
		return c.expr(e.X), false
	case *Binary:
		switch e.Op {
		case "and", "or":
			op := OpAnd
			if e.Op == "or" {
				op = OpOr
			}
			return g.Op(op, c.cond(e.X), c.cond(e.Y)), true
		case "==", "!=":
			if id, ok := c.switchCompare(e); ok {
				return id, true
			}
			fallthrough
		case "<", "<=", ">", ">=":
			return g.Op(cmpOps[e.Op], c.expr(e.X), c.expr(e.Y)), true
		case "^":
			return g.Pow(c.expr(e.X), c.expr(e.Y)), false
		}
		op := map[string]Op{"+": OpAdd, "-": OpSub, "*": OpMul, "/": OpDiv}[e.Op]
		return g.Op(op, c.expr(e.X), c.expr(e.Y)), false
	case *Call:
		return c.call(e)
	}
	panic(fmt.Sprintf("eqn: unknown expression %T", e))
}

// switchCompare folds switch == option at compile time.
func (c *compiler) switchCompare(e *Binary) (ID, bool) {
	sw, opt := e.X, e.Y
	isSwitch := func(x Expr) *symbol {
		if id, ok := x.(*Ident); ok {
			if s, ok := c.syms[id.Name]; ok && s.kind == symSwitch {
				return s
			}
		}
		return nil
	}
	s := isSwitch(sw)
	if s == nil {
		if s = isSwitch(opt); s == nil {
			return NoID, false
		}
		sw, opt = opt, sw
	}
	swi := &c.m.Switches[s.index]
	o, ok := opt.(*Ident)
	valid := false
	if ok {
		for _, x := range swi.Options {
			valid = valid || x == o.Name
		}
	}
	if !valid {
		c.errorf(opt.Pos(), "found %s compared with switch %s, expected one of its options {%s}", describeExpr(opt), swi.Name, strings.Join(swi.Options, ", "))
		return c.g.Bool(false), true
	}
	eq := swi.Value == o.Name
	if e.Op == "!=" {
		eq = !eq
	}
	return c.g.Bool(eq), true
}

func (c *compiler) ident(e *Ident) ID {
	g := c.g
	if id, ok := c.args[e.Name]; ok {
		return id
	}
	switch e.Name {
	case "pi":
		return g.Const(math.Pi)
	case "inf":
		return g.Const(math.Inf(1))
	case "dt", "N":
		if c.ctx == cConst || c.ctx == cParam {
			// Fix (TestCompileErrors): a parameter default or range takes no parameters either.
			allowed := "numbers, constants and parameters"
			if c.ctx == cConst {
				allowed = "numbers and constants"
			}
			c.errorf(e.P, "found %q in %s, expected %s (%s is only known at run time)", e.Name, contextWhat[c.ctx], allowed, e.Name)
			return g.Const(0)
		}
		if e.Name == "dt" {
			return g.Leaf(OpDt, 0)
		}
		return g.Leaf(OpN, 0)
	case "C_ij":
		if c.ctx != cSummand {
			c.errorf(e.P, "found C_ij, expected the connection weight C_ij only inside sum_j(...) of a coupling")
			return g.Const(0)
		}
		return g.Leaf(OpConn, 0)
	}
	s, ok := c.syms[e.Name]
	if id, isOut := c.outs[e.Name]; !ok && isOut && c.ctx == cBold {
		// Fix (TestOutputsAndBold): bold may use the outputs (c.outs was filled for it but never read).
		return id
	}
	if !ok && e.Name == "C" && c.ctx == cSummand {
		c.errorf(e.P, "found \"C\", expected C_ij for the connection weight from node j to node i (\"C\" is not defined)")
		return g.Const(0)
	}
	if !ok {
		c.errorf(e.P, "found %q, expected a declared name (%q is not defined)%s", e.Name, e.Name, c.suggest(e.Name))
		return g.Const(0)
	}
	bad := func(expected string) ID {
		c.errorf(e.P, "found %s %q in %s, expected %s", symWhat[s.kind], e.Name, contextWhat[c.ctx], expected)
		return g.Const(0)
	}
	if c.inFn && s.kind != symParam {
		return bad("only the function's arguments, parameters and constants (pass it as an argument)")
	}
	switch s.kind {
	case symParam:
		if c.ctx == cConst {
			return bad("numbers and constants only")
		}
		return g.Leaf(OpParam, s.index)
	case symSwitch:
		c.errorf(e.P, "found the switch %q used as a value, expected it in a comparison such as %s == %s", e.Name, e.Name, c.m.Switches[s.index].Default)
		return g.Const(0)
	case symInput:
		if c.ctx != cStep {
			return bad("no external input here (inputs enter right-hand sides)")
		}
		return g.Leaf(OpInput, s.index)
	case symNoise:
		return bad("noise only as an additive term g * NOISE of an ODE (d x/dt = f + g * NOISE)")
	case symState:
		switch c.ctx {
		case cStep, cSummand:
			return g.Leaf(OpState, s.index)
		case cOutput, cBold:
			return g.Leaf(OpNew, s.index)
		case cAfter:
			if s.index != c.self {
				return bad(fmt.Sprintf("only the state being mapped (%s), parameters and constants", c.m.States[c.self].Name))
			}
			return g.Leaf(OpNew, s.index)
		case cConst: // Fix (TestCompileErrors): say what these two contexts take (no uniform())
			return bad("numbers and constants only")
		case cParam:
			return bad("parameters and constants only")
		}
		return bad("parameters, constants and uniform(lo, hi) draws")
	case symLet:
		if c.ctx != cStep {
			if c.ctx == cOutput || c.ctx == cBold {
				return bad("states and parameters: a let is a value of the step before, outputs see the new state (use a fn to share a formula)")
			}
			return bad("no let here")
		}
		return c.let(e.Name, e.P)
	case symCoupling:
		if c.ctx != cStep {
			return bad("no coupling input here")
		}
		return g.Leaf(OpCoupling, s.index)
	case symTable:
		c.errorf(e.P, "found the table %q without arguments, expected a lookup %s(%s, %s)", e.Name, e.Name, c.m.Tables[s.index].Row, c.m.Tables[s.index].Col)
		return g.Const(0)
	case symFn:
		c.errorf(e.P, "found the function %q without arguments, expected a call %s(...)", e.Name, e.Name)
		return g.Const(0)
	}
	return g.Const(0)
}

func (c *compiler) call(e *Call) (ID, bool) {
	g := c.g
	wantArgs := func(n int, what string) bool {
		if len(e.Args) != n {
			c.errorf(e.P, "found %d argument%s to %s, expected %d (%s)", len(e.Args), plural(len(e.Args)), e.Fun, n, what)
			return false
		}
		return true
	}
	if bf, ok := builtinFuncs[e.Fun]; ok {
		if _, shadow := c.args[e.Fun]; !shadow {
			names := map[int]string{1: "x", 2: "a, b", 3: "x, lo, hi"}
			if e.Fun == "select" {
				names[3] = "condition, value if true, value if false"
			}
			if !wantArgs(bf.arity, names[bf.arity]) {
				return g.Const(0), false
			}
			if e.Fun == "select" {
				return g.Op(OpSelect, c.cond(e.Args[0]), c.expr(e.Args[1]), c.expr(e.Args[2])), false
			}
			args := make([]ID, len(e.Args))
			for i, a := range e.Args {
				args[i] = c.expr(a)
			}
			if bf.op == OpPow {
				return g.Pow(args[0], args[1]), false
			}
			return g.Op(bf.op, args...), false
		}
	}
	switch e.Fun {
	case "sum_j":
		c.errorf(e.P, "found sum_j(...) inside an expression, expected it only as the whole right-hand side of \"coupling NAME = sum_j(...)\"")
		return g.Const(0), false
	case "uniform":
		if c.ctx != cInit || c.inFn {
			c.errorf(e.P, "found uniform(...) in %s, expected random draws only in initial values", contextWhat[c.ctx])
			return g.Const(0), false
		}
		if !wantArgs(2, "lo, hi") {
			return g.Const(0), false
		}
		c.ctx = cParam
		lo, hi := c.expr(e.Args[0]), c.expr(e.Args[1])
		c.ctx = cInit
		return g.Uniform(lo, hi), false
	case "delayed":
		if c.ctx != cStep || c.inFn {
			c.errorf(e.P, "found delayed(...) in %s, expected delayed values only in right-hand sides and lets", contextWhat[c.ctx])
			return g.Const(0), false
		}
		if !wantArgs(2, "state, delay in ms") {
			return g.Const(0), false
		}
		id, ok := e.Args[0].(*Ident)
		var s *symbol
		if ok {
			s = c.syms[id.Name]
		}
		if s == nil || s.kind != symState {
			c.errorf(e.Args[0].Pos(), "found %s as the first argument of delayed, expected a state name", describeArg(e.Args[0], c))
			return g.Const(0), false
		}
		c.ctx = cParam
		ms := c.expr(e.Args[1])
		c.ctx = cStep
		for k, d := range c.m.Delays {
			if d.State == s.index && d.Ms == ms {
				return g.Leaf(OpDelayed, k), false
			}
		}
		c.m.Delays = append(c.m.Delays, Delay{State: s.index, Ms: ms})
		c.m.States[s.index].History = true
		return g.Leaf(OpDelayed, len(c.m.Delays)-1), false
	}
	s, ok := c.syms[e.Fun]
	if !ok {
		c.errorf(e.P, "found %q, expected a function or table (%q is not defined)%s", e.Fun, e.Fun, c.suggestFunc(e.Fun))
		return g.Const(0), false
	}
	switch s.kind {
	case symTable:
		t := c.m.Tables[s.index]
		if !wantArgs(2, t.Row+", "+t.Col) {
			return g.Const(0), false
		}
		if c.inFn {
			c.errorf(e.P, "found the table %s inside a fn, expected table lookups in right-hand sides, lets and outputs", e.Fun)
		}
		n := Node{Op: OpLookup, A: c.expr(e.Args[0]), B: c.expr(e.Args[1]), C: NoID, Ref: int32(s.index)}
		return g.intern(n), false
	case symFn:
		d := s.decl
		if !wantArgs(len(d.Names), strings.Join(d.Names, ", ")) {
			return g.Const(0), false
		}
		key := "fn " + e.Fun
		if c.active[key] {
			c.errorf(e.P, "found %s calling itself, expected no recursion", e.Fun)
			return g.Const(0), false
		}
		args := map[string]ID{}
		argIDs := make([]ID, len(e.Args))
		for i, a := range e.Args {
			argIDs[i] = c.expr(a)
			args[d.Names[i]] = argIDs[i]
		}
		// Fix (TestFnExpansionIsLinear): a fn body sees only its arguments, parameters and
		// constants, so expanding it again with the same argument nodes in the same context gives
		// the same node. Reuse it: fns calling fns twice (f2(a) = f1(f1(a)), f3(a) = f2(f2(a)),
		// ...) otherwise took time exponential in their number, and errors in a body repeated.
		ak := make([]byte, 0, 4*len(argIDs))
		for _, a := range argIDs {
			ak = binary.LittleEndian.AppendUint32(ak, uint32(a))
		}
		mk := fnKey{name: e.Fun, ctx: c.ctx, args: string(ak)}
		if r, ok := c.fnMemo[mk]; ok {
			return r.id, r.isBool
		}
		savedArgs, savedFn := c.args, c.inFn
		c.args, c.inFn = args, true
		c.active[key] = true
		id, isBool := c.any(d.Expr)
		delete(c.active, key)
		c.args, c.inFn = savedArgs, savedFn
		if c.fnMemo == nil {
			c.fnMemo = map[fnKey]fnResult{}
		}
		c.fnMemo[mk] = fnResult{id, isBool}
		return id, isBool
	}
	c.errorf(e.P, "found %s %q called like a function, expected a function or table", symWhat[s.kind], e.Fun)
	return g.Const(0), false
}

// fnKey is one expansion of a fn: its name, the context and its argument nodes.
type fnKey struct {
	name string
	ctx  context
	args string
}

type fnResult struct {
	id     ID
	isBool bool
}

func describeArg(e Expr, c *compiler) string {
	if id, ok := e.(*Ident); ok {
		if s, ok := c.syms[id.Name]; ok {
			return fmt.Sprintf("%s %q", symWhat[s.kind], id.Name)
		}
		return fmt.Sprintf("%q (not defined)", id.Name)
	}
	return describeExpr(e)
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// suggest proposes a declared name close to an undefined one.
func (c *compiler) suggest(name string) string {
	var cands []string
	for n := range c.syms {
		cands = append(cands, n)
	}
	cands = append(cands, "dt", "N", "pi", "inf")
	return closest(name, cands)
}

func (c *compiler) suggestFunc(name string) string {
	var cands []string
	for n := range builtinFuncs {
		cands = append(cands, n)
	}
	for n, s := range c.syms {
		if s.kind == symFn || s.kind == symTable {
			cands = append(cands, n)
		}
	}
	return closest(name, append(cands, "delayed", "uniform", "sum_j"))
}

func closest(name string, cands []string) string {
	sort.Strings(cands)
	best, bestD := "", 3
	for _, n := range cands {
		if d := editDistance(name, n); d < bestD {
			best, bestD = n, d
		}
	}
	if best == "" || bestD > len(name)/2 {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
