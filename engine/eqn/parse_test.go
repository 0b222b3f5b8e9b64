package eqn

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
)

// parseDecls parses src and fails the test on a syntax error.
func parseDecls(t *testing.T, src string) []*Decl {
	t.Helper()
	f, err := Parse("p.nm", src)
	if err != nil {
		t.Fatalf("Parse(%q): %v", src, err)
	}
	return f.Decls
}

// showAST writes a parsed expression in prefix form: (- (- a b) c).
func showAST(e Expr) string {
	switch e := e.(type) {
	case nil:
		return "<nil>"
	case *NumLit:
		return e.Text
	case *Ident:
		return e.Name
	case *RemoteRef:
		return e.Name + "[j]"
	case *Unary:
		return "(" + e.Op + " " + showAST(e.X) + ")"
	case *Binary:
		return "(" + e.Op + " " + showAST(e.X) + " " + showAST(e.Y) + ")"
	case *Call:
		parts := []string{e.Fun}
		for _, a := range e.Args {
			parts = append(parts, showAST(a))
		}
		return "(" + strings.Join(parts, " ") + ")"
	}
	return fmt.Sprintf("<%T>", e)
}

// showDecl writes a declaration's kind, name and expression.
func showDecl(d *Decl) string {
	s := d.Kind + " " + d.Name
	if d.Expr != nil {
		s += " = " + showAST(d.Expr)
	}
	return s
}

func TestParseLineContinuation(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{"let a = b +\n  c", "let a = (+ b c)"},
		{"let a = b *\n\n  c", "let a = (* b c)"}, // blank lines too
		{"let a = b -   # a comment after the operator\n  c", "let a = (- b c)"},
		{"let a = (b\n  + c)", "let a = (+ b c)"},
		{"let a = max(b,\n  c)", "let a = (max b c)"},
		{"let a = max(\n  b,\n  c\n)", "let a = (max b c)"},
		{"let a = (b *\n (c\n - d))", "let a = (* b (- c d))"},
		{"let a = b \\\n  + c", "let a = (+ b c)"},
		{"let a = b ==\n c", "let a = (== b c)"},
		{"let a = b and\n c", "let a = (and b c)"},
		{"let a =\n  b", "let a = b"},
		{"d x/dt =\n  -x", "ode x = (- x)"},
		{"x :=\n 1", "assign x = 1"},
	} {
		ds := parseDecls(t, tc.src)
		if len(ds) != 1 {
			t.Errorf("%q: %d declarations, want 1", tc.src, len(ds))
			continue
		}
		if got := showDecl(ds[0]); got != tc.want {
			t.Errorf("%q: got %s, want %s", tc.src, got, tc.want)
		}
	}
	// noise names continue after a comma
	ds := parseDecls(t, "noise xi,\n  eta \"doc\"")
	if len(ds) != 1 || !slices.Equal(ds[0].Names, []string{"xi", "eta"}) || ds[0].Doc != "doc" {
		t.Errorf("noise over two lines: %+v", ds)
	}
	// a line ending in a closing bracket or a name does not continue
	for _, src := range []string{"let a = (b)\n+ c", "let a = b\n+ c", "state x [mV]\n+ c"} {
		_, err := Parse("p.nm", src)
		if err == nil || !strings.Contains(err.Error(), `p.nm:2:1: found "+", expected a declaration`) {
			t.Errorf("%q: got %v, want an error at 2:1", src, err)
		}
	}
}

func TestParseComments(t *testing.T) {
	src := "# a model\n" +
		"model m \"doc # not a comment\" # a comment\n" +
		"   # an indented comment\n" +
		"param a = 1 # trailing\n" +
		"#param b = 2\n" +
		"let c = a # + b\n" +
		"# the end, without a newline"
	ds := parseDecls(t, src)
	var got []string
	for _, d := range ds {
		got = append(got, showDecl(d))
	}
	want := []string{"model m", "param a = 1", "let c = a"}
	if !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	if ds[0].Doc != "doc # not a comment" {
		t.Errorf("model doc %q", ds[0].Doc)
	}
	if len(parseDecls(t, "")) != 0 || len(parseDecls(t, "# only\n\n# comments")) != 0 {
		t.Errorf("comments-only text has declarations")
	}
}

func TestParseODEForms(t *testing.T) {
	for _, tc := range []struct {
		src, name string
		p, nameP  Pos
	}{
		{"d x/dt = 1", "x", Pos{1, 1}, Pos{1, 3}},
		{"dx/dt = 1", "x", Pos{1, 1}, Pos{1, 2}},
		{"d  x / dt = 1", "x", Pos{1, 1}, Pos{1, 4}},
		{"dX/dt = 1", "X", Pos{1, 1}, Pos{1, 2}},
		{"d X/dt = 1", "X", Pos{1, 1}, Pos{1, 3}},
		{"ddx/dt = 1", "dx", Pos{1, 1}, Pos{1, 2}},
		{"d dx/dt = 1", "dx", Pos{1, 1}, Pos{1, 3}},
		{"d d/dt = 1", "d", Pos{1, 1}, Pos{1, 3}},
		{"dd/dt = 1", "d", Pos{1, 1}, Pos{1, 2}},
		{"  d theta/dt = 1", "theta", Pos{1, 3}, Pos{1, 5}},
		{"d input/dt = 1", "input", Pos{1, 1}, Pos{1, 3}},
	} {
		ds := parseDecls(t, tc.src)
		if len(ds) != 1 || ds[0].Kind != "ode" || ds[0].Name != tc.name || ds[0].P != tc.p || ds[0].NameP != tc.nameP {
			t.Errorf("%q: got %+v, want ode %s at %v, name at %v", tc.src, ds[0], tc.name, tc.p, tc.nameP)
		}
	}
	for _, tc := range []struct{ src, want string }{
		{"d x/ds = 1", `p.nm:1:5: found "ds", expected "dt" (as in d x/dt)`},
		{"d x/dt 1", `p.nm:1:8: found "1", expected "="`},
		{"d/dt = 1", `p.nm:1:1: found "d", expected a declaration (model, param, state, let, d x/dt = ..., x := ..., ...)`},
		{"d x = 1", `p.nm:1:1: found "d", expected a declaration (model, param, state, let, d x/dt = ..., x := ..., ...)`},
	} {
		_, err := Parse("p.nm", tc.src)
		if err == nil || err.Error() != tc.want {
			t.Errorf("%q: got %v, want %s", tc.src, err, tc.want)
		}
	}
}

// TestParseKeywordsAsNames: keywords are keywords only at the start of a line.
func TestParseKeywordsAsNames(t *testing.T) {
	src := nmLines(
		"model m",
		"param d = 0.5 \"a parameter called d (the reduced Wong-Wang model has one)\"",
		"param model = 2",
		"switch coupling = diffusive in {diffusive, additive}",
		"state input = 0",
		"state output = 1",
		"state after = 0",
		"state x = 0",
		"input := d * model",
		"d output/dt = -output + input",
		"after after = clamp(after, 0, d)",
		"d after/dt = select(coupling == diffusive, 1, 2)",
		"coupling net = sum_j(C_ij * (x[j] - x))",
		"dx/dt = net + select(coupling == additive, d, 0)",
		"output input",
		"output output",
		"output node = d * input",
	)
	m, err := Compile("m.nm", src, Options{Switches: map[string]string{"coupling": "additive"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		id   ID
		want string
	}{
		{m.States[0].Next, "(* d model)"},
		{m.States[1].Drift, "(+ (neg output) input)"},
		{m.States[2].After, "(clamp new(after) 0 d)"},
		{m.States[2].Drift, "2"},
		{m.States[3].Drift, "(+ net d)"},
		{m.Outputs[2].Expr, "(* d new(input))"},
	} {
		if got := showExpr(m, tc.id); got != tc.want {
			t.Errorf("got %s, want %s", got, tc.want)
		}
	}
	if m.States[0].Kind != Algebraic || m.Params[0].Name != "d" || m.Switches[0].Name != "coupling" || m.Couplings[0].Name != "net" {
		t.Errorf("declarations: %+v %+v %+v", m.States[0], m.Params[0], m.Switches[0])
	}
}

func TestParseUnits(t *testing.T) {
	for _, tc := range []struct{ line, unit string }{
		{"param a = 1 [mV]", "mV"},
		{"param a = 1 [mV/sqrt(ms)]", "mV/sqrt(ms)"},
		{"param a = 1 [ 1 / ms ]", "1 / ms"},
		{"param a = 1 [mV/ms/sqrt(ms)] in [0, inf)", "mV/ms/sqrt(ms)"},
		{"param a = 1[1]", "1"},
		{"param a = 2 * pi [rad]", "rad"},
		{"param a = 1 []", ""},
		{"state x = a [pA] \"doc\"", "pA"},
		{"state x [m^2 s^-1]", "m^2 s^-1"},
		{"input u = 0 [kHz]", "kHz"},
		{"table t(mu, sigma) [Hz]", "Hz"},
		{"output y = x [mV] default", "mV"},
		{"param a = 1 [µV]", "µV"},
	} {
		ds := parseDecls(t, tc.line)
		if len(ds) != 1 || !ds[0].HasUnit || ds[0].Unit != tc.unit {
			t.Errorf("%q: unit %q (has %v), want %q", tc.line, ds[0].Unit, ds[0].HasUnit, tc.unit)
		}
	}
	if ds := parseDecls(t, "param a = 1"); ds[0].HasUnit {
		t.Errorf("a unit without brackets")
	}
	// x[j] is a remote reference, not a unit, with or without spaces
	ds := parseDecls(t, "coupling c = sum_j(C_ij * x[j] + y[ j ] * z [j])")
	if got := showAST(ds[0].Expr); got != "(sum_j (+ (* C_ij x[j]) (* y[j] z[j])))" {
		t.Errorf("remote references: %s", got)
	}
	// the line after a unit is a new declaration; units do not continue lines
	ds = parseDecls(t, "param a = 1 [mV/]\nparam b = 2 [(]\nparam c = 3")
	if len(ds) != 3 || ds[0].Unit != "mV/" || ds[1].Unit != "(" || ds[2].Name != "c" {
		t.Errorf("units with operators and brackets: %v", ds)
	}
}

func TestParseRanges(t *testing.T) {
	for _, tc := range []struct {
		line           string
		lo, hi         float64
		loOpen, hiOpen bool
	}{
		{"param a = 0.5 in [0, 1]", 0, 1, false, false},
		{"param a = 1 in (0, inf)", 0, math.Inf(1), true, true},
		{"param a = 0 in [-1, 1)", -1, 1, false, true},
		{"param a = -1 in (-inf, 0]", math.Inf(-1), 0, true, false},
		{"param a = 1 [rad] in [0, 2 * pi) per node \"phase\"", 0, 2 * math.Pi, false, true},
		{"param a = 1 in (0,\n  10]", 0, 10, true, false},
		{"param a = inf in [0, inf]", 0, math.Inf(1), false, false},
	} {
		ds := parseDecls(t, tc.line)
		r := ds[0].Range
		if r == nil || r.LoOpen != tc.loOpen || r.HiOpen != tc.hiOpen {
			t.Errorf("%q: range %+v", tc.line, r)
			continue
		}
		// the bounds are constant expressions, folded when the model compiles
		src := "model m\n" + tc.line + "\nstate x = 0\nx := a\noutput x\n"
		cm, err := Compile("m.nm", src, Options{})
		if err != nil {
			t.Errorf("%q: %v", tc.line, err)
			continue
		}
		p := cm.Params[0]
		if p.Lo != tc.lo || p.Hi != tc.hi || p.LoOpen != tc.loOpen || p.HiOpen != tc.hiOpen {
			t.Errorf("%q: range %s, want lo %v hi %v open %v %v", tc.line, p.RangeString(), tc.lo, tc.hi, tc.loOpen, tc.hiOpen)
		}
		if p.Check(p.Default) != nil {
			t.Errorf("%q: default rejected: %v", tc.line, p.Check(p.Default))
		}
	}
	// without a range any finite value is accepted, and the range prints as (-inf, inf)
	cm, err := Compile("m.nm", "model m\nparam a = 1\nstate x = 0\nx := a\noutput x\n", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if p := cm.Params[0]; p.RangeString() != "(-inf, inf)" || p.Check(1e300) != nil || p.Check(math.Inf(1)) == nil || p.Check(math.NaN()) == nil {
		t.Errorf("unbounded param: %s", p.RangeString())
	}
}

func TestParsePerNode(t *testing.T) {
	for _, tc := range []struct {
		line    string
		perNode bool
		doc     string
	}{
		{"param w = 1", false, ""},
		{"param w = 1 per node", true, ""},
		{"param w = 1 [Hz] per node \"freq\"", true, "freq"},
		{"param w = 1 [Hz] in (0, inf) per node \"freq\"", true, "freq"},
		{"param w = 1 in (0, inf) \"freq\"", false, "freq"},
	} {
		ds := parseDecls(t, tc.line)
		if ds[0].PerNode != tc.perNode || ds[0].Doc != tc.doc {
			t.Errorf("%q: per node %v doc %q", tc.line, ds[0].PerNode, ds[0].Doc)
		}
	}
	_, err := Parse("p.nm", "param w = 1 per nod")
	if err == nil || err.Error() != `p.nm:1:17: found "nod", expected "node" (as in "per node")` {
		t.Errorf("per nod: %v", err)
	}
}

func TestParseDocs(t *testing.T) {
	for _, tc := range []struct{ src, doc string }{
		{`model m "plain"`, "plain"},
		{`model m "say \"hi\""`, `say "hi"`},
		{`model m "back\\slash"`, `back\slash`},
		{`model m "two\nlines"`, "two\nlines"},
		{`model m "tab\t kept"`, `tab\t kept`},
		{`model m ""`, ""},
		{`model m "µ and ü"`, "µ and ü"},
		{`state x = 0 [mV] "x \"in\" mV"`, `x "in" mV`},
		{`output x default "the \\ x"`, `the \ x`},
	} {
		ds := parseDecls(t, tc.src)
		if ds[0].Doc != tc.doc {
			t.Errorf("%s: doc %q, want %q", tc.src, ds[0].Doc, tc.doc)
		}
	}
}

func TestParsePositions(t *testing.T) {
	// columns count characters, not bytes; a tab is one column
	for _, tc := range []struct{ src, want string }{
		{"param a = 1 \"µs\" 2", `p.nm:1:18: found "2", expected the end of the line`},
		{"param a = 1 \"€€€\" 2", `p.nm:1:19: found "2", expected the end of the line`},
		{"\tparam a = 1 2", `p.nm:1:14: found "2", expected the end of the line`},
		{"model m\r\nparam a = 1 2\r\n", `p.nm:2:13: found "2", expected the end of the line`},
		{"model m\nlet a = é", `p.nm:2:9: found "é", expected an expression`},
		{"model m\nlet a = 1 ? 2", `p.nm:2:11: found "?", expected the end of the line`},
	} {
		_, err := Parse("p.nm", tc.src)
		if err == nil || err.Error() != tc.want {
			t.Errorf("%q: got %v, want %s", tc.src, err, tc.want)
		}
	}
	// Windows line ends are whitespace
	if _, err := Compile("m.nm", "model m\r\nstate x = 0\r\nx := 1 +\r\n  x\r\noutput x\r\n", Options{}); err != nil {
		t.Errorf("CRLF: %v", err)
	}
}

func TestParseNumbers(t *testing.T) {
	for _, tc := range []struct {
		text string
		val  float64
	}{{"3", 3}, {"0.25", 0.25}, {".5", 0.5}, {"1e-3", 1e-3}, {"2.5E+2", 250}, {"1.", 1}, {"7e2", 700}} {
		ds := parseDecls(t, "param a = "+tc.text)
		if n, ok := ds[0].Expr.(*NumLit); !ok || n.Val != tc.val || n.Text != tc.text {
			t.Errorf("%s: %s", tc.text, showAST(ds[0].Expr))
		}
	}
	// 2e followed by a name is not an exponent, and is glued to a name
	_, err := Parse("p.nm", "param a = 2e")
	if err == nil || err.Error() != `p.nm:1:11: found "2e", expected a number (put units in [brackets] and use * for products)` {
		t.Errorf("2e: %v", err)
	}
}
