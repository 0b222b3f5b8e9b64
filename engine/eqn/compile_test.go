package eqn

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// nmLines joins source lines, so that a test's line numbers are its indices + 1.
func nmLines(l ...string) string { return strings.Join(l, "\n") + "\n" }

// compileErrorCases are bad models and the exact text of the error(s) each gets.
var compileErrorCases = []struct {
	name, src, want string
}{
	// lexical and syntax errors
	{"missing paren at the end", nmLines("model m", "state x = 0", "output x", "d x/dt = -(x + 1"),
		`m.nm:5:1: found end of file, expected ")"`},
	{"missing paren before the next line", nmLines("model m", "state x = 0", "d x/dt = -(x + 1", "output x"),
		`m.nm:4:1: found "output", expected ")"`},
	{"missing paren in a call", nmLines("model m", "state x = 0", "x := max(x, 1", "output x"),
		`m.nm:4:1: found "output", expected "," or ")" in the argument list`},
	{"unknown token", nmLines("model m", "param a = 1 $"),
		`m.nm:2:13: found "$", expected the end of the line`},
	{"unknown token in an expression", nmLines("model m", "let a = 2 * $"),
		`m.nm:2:13: found "$", expected an expression`},
	{"number glued to a name", nmLines("model m", "param a = 3x"),
		`m.nm:2:11: found "3x", expected a number (put units in [brackets] and use * for products)`},
	{"number glued to a unit", nmLines("model m", "param a = 1.5ms"),
		`m.nm:2:11: found "1.5ms", expected a number (put units in [brackets] and use * for products)`},
	{"number out of range", nmLines("model m", "param a = 1e999"),
		`m.nm:2:11: found "1e999", expected a number in range (value out of range)`},
	{"unterminated string at the end of the file", `model m "a model`,
		`m.nm:1:9: found an unterminated string, expected a closing "`},
	{"unterminated string at the end of a line", nmLines(`model m "a model`, "param a = 1"),
		`m.nm:1:9: found the end of the line inside a string, expected a closing "`},
	{"unit without bracket", nmLines("model m", "state x = 0 [mV", "x := 1", "output x"),
		`m.nm:2:13: found a unit without its closing "]", expected [UNIT] on one line`},
	{"assignment without let", nmLines("model m", "a = 1"),
		`m.nm:2:1: found "a", expected a declaration: write "let a = ..." for an intermediate, "a := ..." for an algebraic state or "d a/dt = ..." for an ODE`},
	{"chained comparison", nmLines("model m", "state x = 0", "x := select(0 < x < 1, 1, 0)", "output x"),
		`m.nm:3:19: found "<" after a comparison, expected "and" between comparisons (a < b and b < c)`},
	{"bad range", nmLines("model m", "param a = 1 in 0, 1"),
		`m.nm:2:16: found "0", expected "[" or "(" starting a range such as [0, inf)`},
	{"one error per declaration", nmLines("model m", "param a = ) 1", "param b = 1 2 3x", "state x = 0", "x := select(0 < x < 1, 1, 0)", "output x = 2x"),
		"m.nm:2:11: found \")\", expected an expression\n" +
			"m.nm:3:13: found \"2\", expected the end of the line\n" +
			"m.nm:5:19: found \"<\" after a comparison, expected \"and\" between comparisons (a < b and b < c)\n" +
			"m.nm:6:12: found \"2x\", expected a number (put units in [brackets] and use * for products)"},
	{"line continued after an operator", nmLines("model m", "param a = 1 +", "param b = 2"),
		`m.nm:3:7: found "b", expected the end of the line`},

	// declarations
	{"missing model line", nmLines("param a = 1", "state x = 0", "x := a", "output x"),
		`m.nm:1:1: found "param", expected "model NAME" as the first declaration`},
	{"second model line", nmLines("model m", "model n", "state x = 0", "x := 1", "output x"),
		`m.nm:2:1: found a second "model" line, expected one per file`},
	{"empty model", "# nothing here\n",
		`m.nm:1:1: found an empty model, expected "model NAME" first`},
	{"duplicate name", nmLines("model m", "param a = 1", "state a = 0", "a := 1", "output a"),
		`m.nm:3:7: "a" is already declared as a parameter at line 2`},
	{"reserved name", nmLines("model m", "param dt = 1"),
		`m.nm:2:7: found "dt", expected a name that is not built in ("dt" is reserved)`},
	{"built-in function name", nmLines("model m", "let exp = 1"),
		`m.nm:2:5: found "exp", expected a name that is not a built-in function`},
	{"param default outside its range", nmLines("model m", "param a = 2 in (0, 1]"),
		`m.nm:2:11: found the default 2, expected a value within (0, 1]`},
	{"param default on an open bound", nmLines("model m", "param a = 0 in (0, inf)"),
		`m.nm:2:11: found the default 0, expected a value within (0, inf)`},
	{"param default infinite", nmLines("model m", "param a = inf"),
		`m.nm:2:11: found the default inf, expected a value within (-inf, inf)`},
	{"param default NaN", nmLines("model m", "param a = 0/0 in [0, 1]"),
		`m.nm:2:12: found the default NaN, expected a value within [0, 1]`},
	{"param default not constant", nmLines("model m", "param a = 1", "param b = a * x", "state x = 0"),
		"m.nm:3:11: found a parameter \"a\" in a parameter default or range (numbers and constants only), expected numbers and constants only\n" +
			"m.nm:3:15: found a state \"x\" in a parameter default or range (numbers and constants only), expected numbers and constants only"},
	{"input default not constant", nmLines("model m", "input u = a", "param a = 1"),
		`m.nm:2:11: found a parameter "a" in a parameter default or range (numbers and constants only), expected numbers and constants only`},
	{"empty range", nmLines("model m", "param a = 1 in [2, 1]"),
		`m.nm:2:17: found the range [2, 1], expected a lower bound not above the upper one`},
	{"dt in a param default", nmLines("model m", "param a = 2 * dt"),
		`m.nm:2:15: found "dt" in a parameter default or range (numbers and constants only), expected numbers and constants (dt is only known at run time)`},
	{"param in a param default", nmLines("model m", "param a = 1", "param b = a"),
		`m.nm:3:11: found a parameter "a" in a parameter default or range (numbers and constants only), expected numbers and constants only`},
	{"switch default not an option", nmLines("model m", "switch s = c in {a, b}"),
		`m.nm:2:12: found the default "c", expected one of the options {a, b}`},
	{"table with one axis", nmLines("model m", "table t(u)"),
		`m.nm:2:7: table "t" has 1 axes, expected 2 (row axis, column axis)`},

	// states: updates and initial values
	{"state without update", nmLines("model m", "state x = 0", "output x"),
		`m.nm:2:7: state "x" has no update, expected "d x/dt = ..." or "x := ..."`},
	{"state without init", nmLines("model m", "state x", "d x/dt = -x", "output x"),
		`m.nm:2:7: state "x" has no initial value, expected "init x = ..." or "state x = ..."`},
	{"two updates", nmLines("model m", "state x = 0", "d x/dt = -x", "x := 1", "output x"),
		`m.nm:4:1: state "x" already has an update at line 3, expected one`},
	{"two initial values", nmLines("model m", "state x = 0", "init x = 1", "x := 1", "output x"),
		`m.nm:3:6: state "x" already has an initial value at line 2, expected one`},
	{"init of an undeclared state", nmLines("model m", "init y = 0"),
		`m.nm:2:6: "y" is not declared, expected a state (declare it with "state y")`},
	{"update of a param", nmLines("model m", "param p = 1", "d p/dt = 1"),
		`m.nm:3:3: found a parameter "p", expected a state for an update`},
	{"after map of an undeclared state", nmLines("model m", "state x = 0", "x := 1", "after y = 1", "output x"),
		`m.nm:4:7: "y" is not declared, expected a state (declare it with "state y")`},

	// names
	{"undefined name with a suggestion", nmLines("model m", "param sigma = 1", "state x = 0", "d x/dt = -x * sigam", "output x"),
		`m.nm:4:15: found "sigam", expected a declared name ("sigam" is not defined) (did you mean "sigma"?)`},
	{"undefined name too far from a suggestion", nmLines("model m", "param tau = 1", "state x = 0", "d x/dt = -x / tua", "output x"),
		`m.nm:4:15: found "tua", expected a declared name ("tua" is not defined)`},
	{"undefined name without a suggestion", nmLines("model m", "state x = 0", "d x/dt = -x / zzzzzz", "output x"),
		`m.nm:3:15: found "zzzzzz", expected a declared name ("zzzzzz" is not defined)`},
	{"undefined function with a suggestion", nmLines("model m", "state x = 0", "x := exq(x)", "output x"),
		`m.nm:3:6: found "exq", expected a function or table ("exq" is not defined) (did you mean "exp"?)`},
	{"param called like a function", nmLines("model m", "param p = 1", "state x = 0", "x := p(x)", "output x"),
		`m.nm:4:6: found a parameter "p" called like a function, expected a function or table`},
	{"fn without arguments", nmLines("model m", "fn f(a) = a", "state x = 0", "x := f", "output x"),
		`m.nm:4:6: found the function "f" without arguments, expected a call f(...)`},
	{"table without arguments", nmLines("model m", "table t(u, v)", "state x = 0", "x := t", "output x"),
		`m.nm:4:6: found the table "t" without arguments, expected a lookup t(u, v)`},
	{"switch used as a value", nmLines("model m", "switch s = a in {a, b}", "state x = 0", "x := s", "output x"),
		`m.nm:4:6: found the switch "s" used as a value, expected it in a comparison such as s == a`},

	// arity
	{"builtin arity", nmLines("model m", "state x = 0", "x := exp(x, 1)", "output x"),
		`m.nm:3:6: found 2 arguments to exp, expected 1 (x)`},
	{"builtin arity clamp", nmLines("model m", "state x = 0", "x := clamp(x)", "output x"),
		`m.nm:3:6: found 1 argument to clamp, expected 3 (x, lo, hi)`},
	{"fn arity", nmLines("model m", "fn f(a, b) = a + b", "state x = 0", "x := f(x)", "output x"),
		`m.nm:4:6: found 1 argument to f, expected 2 (a, b)`},
	{"table arity", nmLines("model m", "table t(mu, sigma)", "state x = 0", "x := t(x, x, x)", "output x"),
		`m.nm:4:6: found 3 arguments to t, expected 2 (mu, sigma)`},
	{"delayed arity", nmLines("model m", "state x = 0", "x := delayed(x)", "output x"),
		`m.nm:3:6: found 1 argument to delayed, expected 2 (state, delay in ms)`},

	// lets and fns
	{"let cycle of 3", nmLines("model m", "let a = b + 1", "let b = 2 * c", "let c = a", "state x = 0", "x := a", "output x"),
		`m.nm:2:5: the lets a -> b -> c -> a form a cycle, expected each to be computable from the others`},
	{"let cycle of 1", nmLines("model m", "let a = a", "state x = 0", "x := 1", "output x"),
		`m.nm:2:5: the lets a -> a form a cycle, expected each to be computable from the others`},
	{"recursion in fn", nmLines("model m", "fn f(a) = 1 + f(a)", "state x = 0", "x := f(x)", "output x"),
		`m.nm:2:15: found f calling itself, expected no recursion`},
	{"mutual recursion in fns", nmLines("model m", "fn f(a) = g(a)", "fn g(a) = f(a)", "state x = 0", "x := f(x)", "output x"),
		`m.nm:3:11: found f calling itself, expected no recursion`},
	{"state in a fn body", nmLines("model m", "state x = 0", "fn f(a) = a * x", "x := f(1)", "output x"),
		`m.nm:3:15: found a state "x" in a right-hand side, expected only the function's arguments, parameters and constants (pass it as an argument)`},
	{"remote state in a fn body", nmLines("model m", "state x = 0", "fn f(a) = a * x[j]", "coupling c = sum_j(f(C_ij))", "x := c", "output x"),
		`m.nm:3:15: found x[j] inside a fn, expected only the function's arguments, parameters and constants (pass it as an argument)`},
	{"table in a fn body", nmLines("model m", "table t(u, v)", "fn f(a) = t(a, a)", "state x = 0", "x := f(x)", "output x"),
		`m.nm:3:11: found the table t inside a fn, expected table lookups in right-hand sides, lets and outputs`},
	{"duplicate fn argument", nmLines("model m", "fn f(a, a) = a"),
		`m.nm:2:9: argument "a" of f is listed twice`},

	// noise
	{"noise inside exp", nmLines("model m", "noise xi", "state x = 0", "d x/dt = -x + exp(xi)", "output x"),
		`m.nm:4:15: found noise inside exp(...), expected white noise only as an additive term g * NOISE of the right-hand side`},
	{"noise times noise", nmLines("model m", "noise xi", "state x = 0", "d x/dt = xi * xi", "output x"),
		`m.nm:4:13: found a product with noise inside, expected a white-noise term g * NOISE with g free of noise`},
	{"noise divided", nmLines("model m", "noise xi", "state x = 0", "d x/dt = xi / 2", "output x"),
		`m.nm:4:13: found noise inside an "/" expression, expected white noise only as an additive term g * NOISE of the right-hand side`},
	{"noise in an algebraic state", nmLines("model m", "noise xi", "state x = 0", "x := xi", "output x"),
		`m.nm:4:6: found a noise source "xi" in a right-hand side, expected noise only as an additive term g * NOISE of an ODE (d x/dt = f + g * NOISE)`},
	{"noise in a let", nmLines("model m", "noise xi", "let a = 2 * xi", "state x = 0", "d x/dt = a", "output x"),
		`m.nm:3:13: found a noise source "xi" in a right-hand side, expected noise only as an additive term g * NOISE of an ODE (d x/dt = f + g * NOISE)`},

	// coupling
	{"remote outside sum_j", nmLines("model m", "state x = 0", "d x/dt = x[j]", "output x"),
		`m.nm:3:10: found x[j], expected remote values x[j] only inside sum_j(...) of a coupling`},
	{"C_ij outside sum_j", nmLines("model m", "state x = 0", "d x/dt = C_ij * x", "output x"),
		`m.nm:3:10: found C_ij, expected the connection weight C_ij only inside sum_j(...) of a coupling`},
	{"C for C_ij", nmLines("model m", "state x = 0", "coupling c = sum_j(C * x[j])", "d x/dt = c", "output x"),
		`m.nm:3:20: found "C", expected C_ij for the connection weight from node j to node i ("C" is not defined)`},
	{"remote param", nmLines("model m", "param p = 1", "state x = 0", "coupling c = sum_j(C_ij * p[j])", "d x/dt = c", "output x"),
		`m.nm:4:27: found p[j] where p is a parameter, expected a state: only states can be coupled`},
	{"remote undefined", nmLines("model m", "state x = 0", "coupling c = sum_j(C_ij * y[j])", "d x/dt = c", "output x"),
		`m.nm:3:27: found "y", expected a declared state ("y" is not defined)`},
	{"sum_j inside an expression", nmLines("model m", "state x = 0", "d x/dt = 1 + sum_j(C_ij * x[j])", "output x"),
		`m.nm:3:14: found sum_j(...) inside an expression, expected it only as the whole right-hand side of "coupling NAME = sum_j(...)"`},
	{"coupling not a sum", nmLines("model m", "state x = 0", "coupling c = 2 * sum_j(C_ij * x[j])", "d x/dt = c", "output x"),
		`m.nm:3:16: found an expression, expected sum_j(...) as the whole right-hand side of a coupling`},
	{"coupling in a summand", nmLines("model m", "state x = 0", "coupling c = sum_j(C_ij * c)", "d x/dt = c", "output x"),
		`m.nm:3:27: found a coupling "c" in a coupling summand, expected no coupling input here`},
	{"let in a summand", nmLines("model m", "state x = 0", "let a = 2", "coupling c = sum_j(C_ij * a)", "d x/dt = c", "output x"),
		`m.nm:4:27: found a let "a" in a coupling summand, expected no let here`},

	// delayed and uniform
	{"delayed of a param", nmLines("model m", "param p = 1", "state x = 0", "d x/dt = delayed(p, 1)", "output x"),
		`m.nm:4:18: found a parameter "p" as the first argument of delayed, expected a state name`},
	{"delayed by a state", nmLines("model m", "state x = 0", "d x/dt = delayed(x, x)", "output x"),
		`m.nm:3:21: found a state "x" in an expression of parameters and constants, expected parameters and constants only`},
	{"delayed in an output", nmLines("model m", "state x = 0", "x := 1", "output y = delayed(x, 1)"),
		`m.nm:4:12: found delayed(...) in an output, expected delayed values only in right-hand sides and lets`},
	{"uniform outside init", nmLines("model m", "state x = 0", "x := uniform(0, 1)", "output x"),
		`m.nm:3:6: found uniform(...) in a right-hand side, expected random draws only in initial values`},
	{"uniform in a param default", nmLines("model m", "param p = uniform(0, 1)"),
		`m.nm:2:11: found uniform(...) in a parameter default or range (numbers and constants only), expected random draws only in initial values`},
	{"state in an init", nmLines("model m", "state x = 0", "state y = x", "x := 1", "y := 1", "output x"),
		`m.nm:3:11: found a state "x" in an initial value, expected parameters, constants and uniform(lo, hi) draws`},

	// outputs, bold and after maps
	{"let in an output", nmLines("model m", "state x = 0", "let a = 2 * x", "x := a", "output y = a"),
		`m.nm:5:12: found a let "a" in an output, expected states and parameters: a let is a value of the step before, outputs see the new state (use a fn to share a formula)`},
	{"input in an output", nmLines("model m", "input u = 0", "state x = 0", "x := u", "output y = u"),
		`m.nm:5:12: found an input "u" in an output, expected no external input here (inputs enter right-hand sides)`},
	{"output of a non-state", nmLines("model m", "state x = 0", "x := 1", "output y"),
		`m.nm:4:8: output "y" has no expression and is not a state, expected "output y = EXPR"`},
	{"output with a param's name", nmLines("model m", "param p = 1", "state x = 0", "x := 1", "output p = 2 * x"),
		`m.nm:5:8: output "p" has the name of a parameter, expected a new name or a state's`},
	{"two default outputs", nmLines("model m", "state x = 0", "x := 1", "output x default", "output y = 2 * x default"),
		`m.nm:5:1: output "y" is marked default, but "x" already is, expected one default output`},
	{"no output", nmLines("model m", "state x = 0", "x := 1"),
		`m.nm:1:1: model m has no output, expected at least one "output NAME"`},
	{"two bold lines", nmLines("model m", "state x = 0", "x := 1", "output x", "bold = x", "bold = 2 * x"),
		`m.nm:6:1: found a second bold line, expected one`},
	{"after map referencing another state", nmLines("model m", "state x = 0", "state y = 0", "x := 1", "y := 1", "after x = clamp(y, 0, 1)", "output x"),
		`m.nm:6:17: found a state "y" in an after map, expected only the state being mapped (x), parameters and constants`},
	{"after map using a let", nmLines("model m", "state x = 0", "let a = 1", "x := a", "after x = x * a", "output x"),
		`m.nm:5:15: found a let "a" in an after map, expected no let here`},

	// switches and options
	{"switch compared with a non-option", nmLines("model m", "switch s = a in {a, b}", "state x = 0", "x := select(s == c, 1, 2)", "output x"),
		`m.nm:4:18: found "c" compared with switch s, expected one of its options {a, b}`},
	{"switch compared with a number", nmLines("model m", "switch s = a in {a, b}", "state x = 0", "x := select(1 != s, 1, 2)", "output x"),
		`m.nm:4:13: found 1 compared with switch s, expected one of its options {a, b}`},
	{"unknown option", nmLines("model m", "option foo = 1", "state x = 0", "x := 1", "output x"),
		`m.nm:2:8: found the option "foo", expected self_delay or compat_delays`},
	{"dt in self_delay", nmLines("model m", "option self_delay = 2 * dt", "state x = 0", "x := 1", "output x"),
		`m.nm:2:25: found "dt" in an expression of parameters and constants, expected numbers, constants and parameters (dt is only known at run time)`},

	// types
	{"condition used as a number", nmLines("model m", "state x = 0", "x := x < 1", "output x"),
		`m.nm:3:8: found a condition, expected a number (use select(cond, a, b))`},
	{"number used as a condition", nmLines("model m", "state x = 0", "x := select(x, 1, 2)", "output x"),
		`m.nm:3:13: found a number, expected a condition (a comparison such as x < 0)`},
	{"number in and", nmLines("model m", "state x = 0", "x := select(x > 0 and 1, 1, 2)", "output x"),
		`m.nm:3:23: found a number, expected a condition (a comparison such as x < 0)`},
}

func TestCompileErrors(t *testing.T) {
	for _, tc := range compileErrorCases {
		t.Run(tc.name, func(t *testing.T) {
			m, err := Compile("m.nm", tc.src, Options{})
			if err == nil {
				t.Fatalf("compiled (model %s), want the error\n%s", m.Name, tc.want)
			}
			if got := err.Error(); got != tc.want {
				t.Errorf("got the error\n%s\nwant\n%s", got, tc.want)
			}
			checkErrorPositions(t, "m.nm", tc.src, err)
		})
	}
}

// TestCompileOptionErrors: switch choices that the model does not have. These errors are about the
// options, not the text, so they carry no position.
func TestCompileOptionErrors(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		opt       Options
		want      string
	}{
		{"unknown switch option in Options", nmLines("model m", "switch s = a in {a, b}", "state x = 0", "x := select(s == a, 1, 2)", "output x"),
			Options{Switches: map[string]string{"s": "c"}},
			`m.nm: switch s: found "c", expected one of {a, b}`},
		{"unknown switch in Options", nmLines("model m", "switch s = a in {a, b}", "state x = 0", "x := 1", "output x"),
			Options{Switches: map[string]string{"t": "a"}},
			`m.nm: model m has no switch "t" (switches: s)`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Compile("m.nm", tc.src, tc.opt)
			if err == nil || err.Error() != tc.want {
				t.Errorf("got the error\n%v\nwant\n%s", err, tc.want)
			}
		})
	}
}

// showExpr writes the expression id in prefix form with the model's names: (- (- a b) c).
func showExpr(m *Model, id ID) string {
	if id == NoID {
		return "<none>"
	}
	n := m.G.Node(id)
	switch n.Op {
	case OpConst:
		return strconv.FormatFloat(n.Val, 'g', -1, 64)
	case OpBoolConst:
		return strconv.FormatBool(n.Val != 0)
	case OpParam:
		return m.Params[n.Ref].Name
	case OpState:
		return m.States[n.Ref].Name
	case OpNew:
		return "new(" + m.States[n.Ref].Name + ")"
	case OpInput:
		return m.Inputs[n.Ref].Name
	case OpNoise:
		return m.Noises[n.Ref].Name
	case OpCoupling:
		return m.Couplings[n.Ref].Name
	case OpDelayed:
		d := m.Delays[n.Ref]
		return "delayed(" + m.States[d.State].Name + ", " + showExpr(m, d.Ms) + ")"
	case OpDt, OpN, OpConn:
		return map[Op]string{OpDt: "dt", OpN: "N", OpConn: "C_ij"}[n.Op]
	case OpRemote:
		return m.States[n.Ref].Name + "[j]"
	case OpLookup:
		return "(" + m.Tables[n.Ref].Name + " " + showExpr(m, n.A) + " " + showExpr(m, n.B) + ")"
	}
	parts := []string{n.Op.String()}
	for _, a := range n.Args() {
		parts = append(parts, showExpr(m, a))
	}
	return "(" + strings.Join(parts, " ") + ")"
}

// exprTestModel declares the names the expression tests use; the lets e0, e1, ... are appended.
const exprTestModel = `model m
param a = 1
param b = 2
param c = 3
param pn = 1 per node
input u = 0
switch s = on in {on, off}
fn sq(v) = v * v
state x = 0
state y = 0
x := 1
y := 1
output x
`

// compileLets compiles "let eK = EXPR" for each expression and returns each let in prefix form.
func compileLets(t *testing.T, opt Options, exprs ...string) (*Model, []string) {
	t.Helper()
	var b strings.Builder
	b.WriteString(exprTestModel)
	for i, e := range exprs {
		fmt.Fprintf(&b, "let e%d = %s\n", i, e)
	}
	m, err := Compile("m.nm", b.String(), opt)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]string, len(exprs))
	for i := range exprs {
		out[i] = showExpr(m, letID(t, m, fmt.Sprintf("e%d", i)))
	}
	return m, out
}

func letID(t *testing.T, m *Model, name string) ID {
	t.Helper()
	for _, l := range m.Lets {
		if l.Name == name {
			return l.Expr
		}
	}
	t.Fatalf("no let %s", name)
	return NoID
}

// TestExpressions checks precedence, associativity, constant folding, integer powers, fn inlining
// and switch specialisation through the compiled graph.
func TestExpressions(t *testing.T) {
	cases := []struct{ expr, want string }{
		// precedence and associativity
		{"-x^2", "(neg (* x x))"},
		{"2^-1", "0.5"},
		{"a - b - c", "(- (- a b) c)"},
		{"a - (b - c)", "(- a (- b c))"},
		{"a / b * c", "(* (/ a b) c)"},
		{"a * b / c", "(/ (* a b) c)"},
		{"a + b * c", "(+ a (* b c))"},
		{"(a + b) * c", "(* (+ a b) c)"},
		{"-a * b", "(* (neg a) b)"},
		{"a^b^c", "(pow a (pow b c))"},
		{"-a^b", "(neg (pow a b))"},
		{"a * -b", "(* a (neg b))"},
		{"select(a < b or b < c and not c < a, x, y)", "(select (or (< a b) (and (< b c) (not (< c a)))) x y)"},
		// constant folding: only where the value is exact
		{"2*3", "6"},
		{"2*pi", "6.283185307179586"},
		{"sqrt(4) + exp(0)", "3"},
		{"x*1", "x"},
		{"1*x", "x"},
		{"x/1", "x"},
		{"x - 0", "x"},
		{"--x", "x"},
		{"0*x", "(* 0 x)"},
		{"x*0", "(* x 0)"},
		{"x+0", "(+ x 0)"},
		{"0+x", "(+ 0 x)"},
		{"x - -0", "(- x -0)"},
		{"x * (2 - 1)", "x"},
		{"a * b * c", "(* (* a b) c)"},
		// integer powers multiply out; others call pow
		{"x^0", "1"},
		{"x^1", "x"},
		{"x^2", "(* x x)"},
		{"x^3", "(* (* x x) x)"},
		{"x^4", "(* (* x x) (* x x))"},
		{"x^-2", "(/ 1 (* x x))"},
		{"x^5", "(pow x 5)"},
		{"x^0.5", "(pow x 0.5)"},
		{"pow(x, 3)", "(* (* x x) x)"},
		{"x^a", "(pow x a)"},
		// functions, fns and switches
		{"sq(x + 1)", "(* (+ x 1) (+ x 1))"},
		{"clamp(x, 0, 1)", "(clamp x 0 1)"},
		{"mod(x, 2 * pi)", "(mod x 6.283185307179586)"},
		{"select(s == on, x, y)", "x"},
		{"select(s != on, x, y)", "y"},
		{"select(on == s, x, y)", "x"},
		{"select(1 < 2 and x < 1, a, b)", "(select (< x 1) a b)"},
		{"select(x < 1, a, a)", "a"},
		{"u * dt / N", "(/ (* u dt) N)"},
	}
	exprs := make([]string, len(cases))
	for i, tc := range cases {
		exprs[i] = tc.expr
	}
	_, got := compileLets(t, Options{}, exprs...)
	for i, tc := range cases {
		if got[i] != tc.want {
			t.Errorf("%s: got %s, want %s", tc.expr, got[i], tc.want)
		}
	}
}

func TestCSE(t *testing.T) {
	m, got := compileLets(t, Options{}, "(x + a) * (x + a)", "exp(x) - exp(x)", "x + a", "x^4", "sq(x)")
	g := m.G
	for i, op := range []Op{OpMul, OpSub} {
		n := g.Node(letID(t, m, fmt.Sprintf("e%d", i)))
		if n.Op != op || n.A != n.B {
			t.Errorf("e%d = %s: the two equal operands are nodes %d and %d, want one node", i, got[i], n.A, n.B)
		}
	}
	if sum := g.Node(letID(t, m, "e0")).A; sum != letID(t, m, "e2") {
		t.Errorf("x + a in e0 is node %d, in e2 node %d, want one node", sum, letID(t, m, "e2"))
	}
	if n := g.Node(letID(t, m, "e3")); n.A != n.B {
		t.Errorf("x^4 = %s multiplies nodes %d and %d, want the square computed once", got[3], n.A, n.B)
	}
	if n := g.Node(letID(t, m, "e4")); n.Op != OpMul || n.A != n.B || showExpr(m, n.A) != "x" {
		t.Errorf("sq(x) = %s, want x * x with one x", got[4])
	}
	// Every node is distinct: hash-consing leaves no two equal nodes.
	seen := map[string]ID{}
	for id := range g.Nodes {
		n := g.Nodes[id]
		if n.Op == OpUniform {
			continue
		}
		k := fmt.Sprintf("%v %d %d %d %d %v", n.Op, n.A, n.B, n.C, n.Ref, n.Val)
		if old, dup := seen[k]; dup {
			t.Errorf("nodes %d and %d are equal: %s", old, id, k)
		}
		seen[k] = ID(id)
	}
}

func TestSwitchSpecialisation(t *testing.T) {
	src := nmLines("model m", "switch coupling = diffusive in {diffusive, additive}", "state x = 0", "state y = 0",
		"x := select(coupling == diffusive, x + 1, y * 2)", "y := 1", "output x")
	for _, tc := range []struct {
		opt        Options
		want, gone string
	}{
		{Options{}, "(+ x 1)", "(* y 2)"},
		{Options{Switches: map[string]string{"coupling": "diffusive"}}, "(+ x 1)", "(* y 2)"},
		{Options{Switches: map[string]string{"coupling": "additive"}}, "(* y 2)", "(+ x 1)"},
	} {
		m, err := Compile("m.nm", src, tc.opt)
		if err != nil {
			t.Fatal(err)
		}
		if got := showExpr(m, m.States[0].Next); got != tc.want {
			t.Errorf("%v: x := %s, want %s", tc.opt.Switches, got, tc.want)
		}
		for _, id := range m.G.Schedule(m.StepRoots()...) {
			if s := showExpr(m, id); s == tc.gone {
				t.Errorf("%v: the step still computes the other branch %s", tc.opt.Switches, s)
			}
		}
		want := "diffusive"
		if v := tc.opt.Switches["coupling"]; v != "" {
			want = v
		}
		if sw := m.Switches[0]; sw.Value != want || sw.Default != "diffusive" {
			t.Errorf("switch value %q default %q, want %q and diffusive", sw.Value, sw.Default, want)
		}
	}
}

func TestLangevinSplit(t *testing.T) {
	cases := []struct {
		rhs, drift string
		coefs      []string // "noise:coef"
	}{
		{"a - x - b * xi", "(- a x)", []string{"xi:(neg b)"}},
		{"a + b * xi - x", "(- a x)", []string{"xi:b"}},
		{"-x + x * xi - 2 * eta", "(neg x)", []string{"xi:x", "eta:-2"}},
		{"xi", "0", []string{"xi:1"}},
		{"-xi", "0", []string{"xi:-1"}},
		{"xi * b + a", "a", []string{"xi:b"}},
		{"xi - a", "(neg a)", []string{"xi:1"}},
		{"a - (b - c * xi)", "(- a b)", []string{"xi:c"}},
		{"-(a + xi)", "(neg a)", []string{"xi:-1"}},
		{"a * x + sqrt(x) * xi + (b + 1) * eta", "(* a x)", []string{"xi:(sqrt x)", "eta:(+ b 1)"}},
	}
	for _, tc := range cases {
		src := nmLines("model m", "param a = 1", "param b = 2", "param c = 3", "noise xi, eta", "state x = 0",
			"d x/dt = "+tc.rhs, "output x")
		m, err := Compile("m.nm", src, Options{})
		if err != nil {
			t.Errorf("%s: %v", tc.rhs, err)
			continue
		}
		s := m.States[0]
		if s.Kind != ODE {
			t.Errorf("%s: kind %v, want ODE", tc.rhs, s.Kind)
		}
		if got := showExpr(m, s.Drift); got != tc.drift {
			t.Errorf("%s: drift %s, want %s", tc.rhs, got, tc.drift)
		}
		var coefs []string
		for _, d := range s.Noise {
			coefs = append(coefs, m.Noises[d.Noise].Name+":"+showExpr(m, d.Coef))
		}
		if !slices.Equal(coefs, tc.coefs) {
			t.Errorf("%s: noise terms %v, want %v", tc.rhs, coefs, tc.coefs)
		}
	}
	// The new value is x + dt*f + (g*sqrt(dt))*xi, in that order.
	m, err := Compile("m.nm", nmLines("model m", "param s = 1", "noise xi", "state x = 0", "d x/dt = -x - s * xi", "output x"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := "(+ (+ x (* dt (neg x))) (* (* (neg s) (sqrt dt)) xi))"
	if got := showExpr(m, m.States[0].Next); got != want {
		t.Errorf("next %s, want %s", got, want)
	}
	sv, xv, xiv, dt := 0.5, 2.0, 3.0, 0.04
	want2 := float64(xv+float64(dt*-xv)) + float64(float64(-sv*math.Sqrt(dt))*xiv) // no fused multiply-add
	env := &Env{Params: []float64{sv}, State: []float64{xv}, Noise: []float64{xiv}, Dt: dt}
	if v, err := m.G.Eval(m.States[0].Next, env); err != nil || v != want2 {
		t.Errorf("next evaluates to %v (%v), want %v", v, err, want2)
	}
}

func TestDeclarations(t *testing.T) {
	src := nmLines(
		"model m \"doc\"",
		"param a = 1 [mV] in [0, inf) \"a's doc\"",
		"param w = 2 per node",
		"input u = 0.5 [pA]",
		"noise xi",
		"state x [mV] \"the x\"",
		"state y",
		"state r = 1",
		"init x = 0.5 * uniform(-1, 1)",
		"init y = uniform(-1, 1)",
		"coupling net = sum_j(C_ij * (x[j] - x) + C_ij^2 * y[j])",
		"let z = delayed(x, 2) + delayed(x, 2 * 1)",
		"d x/dt = -x + net + z + u + xi",
		"y := w * net",
		"d r/dt = a",
		"after x = clamp(x, 0, a)",
		"output x",
		"output sum = x + y [mV] default",
		"output r",
	)
	m, err := Compile("m.nm", src, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if m.Name != "m" || m.Doc != "doc" {
		t.Errorf("model %q doc %q", m.Name, m.Doc)
	}
	if p := m.Params[0]; p.Unit != "mV" || p.Doc != "a's doc" || p.Lo != 0 || !p.HiOpen || p.LoOpen || p.PerNode {
		t.Errorf("param a: %+v", p)
	}
	if !m.Params[1].PerNode {
		t.Errorf("param w is not per node")
	}
	if in := m.Inputs[0]; in.Default != 0.5 || in.Unit != "pA" {
		t.Errorf("input %+v", in)
	}
	x, y := m.States[0], m.States[1]
	if x.Kind != ODE || y.Kind != Algebraic || y.Drift != y.Next || len(y.Noise) != 0 {
		t.Errorf("kinds: x %v, y %v (drift %d next %d)", x.Kind, y.Kind, y.Drift, y.Next)
	}
	if got := showExpr(m, y.Next); got != "(* w net)" {
		t.Errorf("y := %s", got)
	}
	if got := showExpr(m, x.After); got != "(clamp new(x) 0 a)" {
		t.Errorf("after x = %s", got)
	}
	if y.After != NoID {
		t.Errorf("y has an after map")
	}
	// one delay for delayed(x, 2) twice; x and y are read with a delay
	if len(m.Delays) != 1 || !x.History || !y.History || m.States[2].History {
		t.Errorf("delays %v, history x %v y %v r %v", m.Delays, x.History, y.History, m.States[2].History)
	}
	if c := m.Couplings[0]; showExpr(m, c.Sum) != "(+ (* C_ij (- x[j] x)) (* (* C_ij C_ij) y[j]))" || !slices.Equal(c.Remote, []int{0, 1}) {
		t.Errorf("coupling %s, remote %v", showExpr(m, c.Sum), c.Remote)
	}
	// init steps in the order written; each uniform() is its own draw
	var inits []string
	for _, st := range m.Init {
		inits = append(inits, m.States[st.State].Name+"="+showExpr(m, st.Expr))
	}
	if want := []string{"r=1", "x=(* 0.5 (uniform -1 1))", "y=(uniform -1 1)"}; !slices.Equal(inits, want) {
		t.Errorf("init steps %v, want %v", inits, want)
	}
	if m.Init[2].Expr == m.G.Node(m.Init[1].Expr).B {
		t.Errorf("two uniform() draws share a node")
	}
	// outputs: x takes the state's unit and doc; sum is the default; bold defaults to it
	if o := m.Outputs[0]; o.Unit != "mV" || o.Doc != "the x" || o.Default || showExpr(m, o.Expr) != "new(x)" {
		t.Errorf("output x: %+v", o)
	}
	if d := m.DefaultOutput(); d != 1 || !m.Outputs[1].Default || m.Outputs[2].Default {
		t.Errorf("default output %d", d)
	}
	if m.Bold != m.Outputs[1].Expr {
		t.Errorf("bold %s, want the default output %s", showExpr(m, m.Bold), showExpr(m, m.Outputs[1].Expr))
	}
	if v, ok := m.G.IsConst(m.SelfDelay); !ok || v != 0 {
		t.Errorf("self delay %s, want 0", showExpr(m, m.SelfDelay))
	}
}

func TestOutputsAndBold(t *testing.T) {
	base := []string{"model m", "state x = 0", "state y = 0", "x := 1", "y := 2"}
	for _, tc := range []struct {
		decls         []string
		outputs, bold string // outputs: names, the default one starred
	}{
		{[]string{"output x", "output y"}, "x* y", "new(x)"},
		{[]string{"output x", "output y default"}, "x y*", "new(y)"},
		{[]string{"output y", "output x", "bold = 2 * y"}, "y* x", "(* 2 new(y))"},
		{[]string{"output r = 2 * x", "bold = r + y"}, "r*", "(+ (* 2 new(x)) new(y))"},
		{[]string{"output x = 3 * x", "bold = x"}, "x*", "new(x)"},
	} {
		m, err := Compile("m.nm", nmLines(append(slices.Clone(base), tc.decls...)...), Options{})
		if err != nil {
			t.Errorf("%v: %v", tc.decls, err)
			continue
		}
		var outs []string
		for _, o := range m.Outputs {
			n := o.Name
			if o.Default {
				n += "*"
			}
			outs = append(outs, n)
		}
		if got := strings.Join(outs, " "); got != tc.outputs {
			t.Errorf("%v: outputs %s, want %s", tc.decls, got, tc.outputs)
		}
		if got := showExpr(m, m.Bold); got != tc.bold {
			t.Errorf("%v: bold %s, want %s", tc.decls, got, tc.bold)
		}
	}
}

func TestLevels(t *testing.T) {
	m, _ := compileLets(t, Options{}, "2 * pi", "a * b", "a * pn", "a * dt", "x + a", "u * pn")
	lv := m.Levels()
	want := []Level{LevelConst, LevelMember, LevelNode, LevelMember, LevelStep, LevelStep}
	for i, w := range want {
		if got := lv[letID(t, m, fmt.Sprintf("e%d", i))]; got != w {
			t.Errorf("e%d: level %v, want %v", i, got, w)
		}
	}
	m, err := Compile("m.nm", nmLines("model m", "param k = 1", "state x = 0", "coupling c = sum_j(k * C_ij * x[j] + k * x)", "x := c", "output x"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	lv = m.Levels()
	sum := m.G.Node(m.Couplings[0].Sum)
	for _, tc := range []struct {
		id   ID
		want Level
	}{{m.Couplings[0].Sum, LevelPair}, {sum.A, LevelPair}, {sum.B, LevelStep}, {m.G.Node(sum.B).A, LevelMember}, {m.States[0].Next, LevelStep}} {
		if lv[tc.id] != tc.want {
			t.Errorf("%s: level %v, want %v", showExpr(m, tc.id), lv[tc.id], tc.want)
		}
	}
}

func TestSchedule(t *testing.T) {
	m, err := Compile("m.nm", nmLines("model m", "param a = 1", "param b = 2", "state x = 0", "state y = 0",
		"let s = x * b", "x := a + s", "y := s - a", "output x"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, id := range m.G.Schedule(m.StepRoots()...) {
		got = append(got, showExpr(m, id))
	}
	// depth first, roots in order, arguments A then B; the shared s once, before both users
	want := []string{"a", "x", "b", "(* x b)", "(+ a (* x b))", "(- (* x b) a)"}
	if !slices.Equal(got, want) {
		t.Errorf("schedule\n%v\nwant\n%v", got, want)
	}
	if u := m.G.Uses(m.G.Schedule(m.StepRoots()...)); u[m.G.Node(m.States[0].Next).B] != 2 {
		t.Errorf("x * b is used %d times, want 2", u[m.G.Node(m.States[0].Next).B])
	}
	// lets are listed dependencies first
	m, err = Compile("m.nm", nmLines("model m", "state x = 0", "let p2 = p1 * 2", "let p1 = x + 1", "x := p2", "output x"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Lets) != 2 || m.Lets[0].Name != "p1" || m.Lets[1].Name != "p2" {
		t.Errorf("lets %v, want p1 then p2", m.Lets)
	}
}

// TestNoiseMayDependOnState: g in g * xi may depend on the state (multiplicative noise).
func TestNoiseMayDependOnState(t *testing.T) {
	m, err := Compile("m.nm", nmLines("model m", "param s = 1", "noise xi", "state x = 0", "d x/dt = -x + s * x * xi", "output x"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if n := m.States[0].Noise; len(n) != 1 || showExpr(m, n[0].Coef) != "(* s x)" {
		t.Errorf("noise terms %v", n)
	}
}

// TestFnExpansionIsLinear: fns that call a fn twice with the same argument expand each body once
// per distinct argument; 40 levels would otherwise take 2^40 expansions.
func TestFnExpansionIsLinear(t *testing.T) {
	var b strings.Builder
	b.WriteString("model m\nfn f0(a) = a + 1\n")
	for i := 1; i <= 40; i++ {
		fmt.Fprintf(&b, "fn f%d(a) = f%d(a) * f%d(a)\n", i, i-1, i-1)
	}
	b.WriteString("state x = 0\nx := f40(x) + f40(x)\noutput x\n")
	m, err := Compile("m.nm", b.String(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(m.G.Schedule(m.StepRoots()...)); n != 44 {
		t.Errorf("the step has %d nodes, want 44 (x, 1, x + 1, 40 products, the sum)", n)
	}
	// an error in a fn body is reported once, however often the fn is called
	_, err = Compile("m.nm", nmLines("model m", "state x = 0", "fn f(a) = a * x", "x := f(1) + f(1) * f(2)", "output x"), Options{})
	if err == nil || strings.Count(err.Error(), "\n") != 1 {
		t.Errorf("got\n%v\nwant one error per distinct call", err)
	}
}

// TestCompileIsDeterministic: the graph and the errors do not depend on map iteration order (the
// after maps were once compiled in map order).
func TestCompileIsDeterministic(t *testing.T) {
	var good, bad strings.Builder
	good.WriteString("model m\n")
	bad.WriteString("model m\n")
	for i := range 8 {
		fmt.Fprintf(&good, "state x%d = 0\nx%d := %d\nafter x%d = x%d * %d\n", i, i, i, i, i, i+2)
		fmt.Fprintf(&bad, "state x%d = 0\nx%d := 1\nafter x%d = x%d * q%d\n", i, i, i, i, i)
	}
	good.WriteString("output x0\n")
	bad.WriteString("output x0\n")
	m0, err := Compile("m.nm", good.String(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	_, err0 := Compile("m.nm", bad.String(), Options{})
	if err0 == nil {
		t.Fatal("undefined names compiled")
	}
	for range 10 {
		m, _ := Compile("m.nm", good.String(), Options{})
		if graphFingerprint(m.G) != graphFingerprint(m0.G) {
			t.Fatal("two compilations of one text give different graphs")
		}
		if _, err := Compile("m.nm", bad.String(), Options{}); err.Error() != err0.Error() {
			t.Fatalf("two compilations of one text give the errors\n%v\nand\n%v", err0, err)
		}
	}
}

// TestCompileReportsEveryError: independent problems are all reported, in source order.
func TestCompileReportsEveryError(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{nmLines("model m", "param a = 1", "param a = 2", "param b = 5 in [0, 1]", "noise a"),
			`m.nm:3:7: "a" is already declared as a parameter at line 2
m.nm:4:11: found the default 5, expected a value within [0, 1]
m.nm:5:7: "a" is already declared as a parameter at line 2`},
		{nmLines("model m", "state x = 0", "state y", "state w = 0", "let p = q", "let q = p",
			"x := zz + y[j]", "y := 1", "output o = p"),
			`m.nm:3:7: state "y" has no initial value, expected "init y = ..." or "state y = ..."
m.nm:4:7: state "w" has no update, expected "d w/dt = ..." or "w := ..."
m.nm:5:5: the lets p -> q -> p form a cycle, expected each to be computable from the others
m.nm:7:6: found "zz", expected a declared name ("zz" is not defined)
m.nm:7:11: found y[j], expected remote values x[j] only inside sum_j(...) of a coupling
m.nm:9:12: found a let "p" in an output, expected states and parameters: a let is a value of the step before, outputs see the new state (use a fn to share a formula)`},
	} {
		_, err := Compile("m.nm", tc.src, Options{})
		if err == nil || err.Error() != tc.want {
			t.Errorf("got\n%v\nwant\n%s", err, tc.want)
		}
	}
}
