package eqn

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// fuzzSeedDirs hold the model texts that seed FuzzCompile: the built-in models and the worked
// example of the language reference. Whatever .nm files exist there at test time are used.
var fuzzSeedDirs = []string{"../../models", "../../docs"}

// fuzzBrokenSeeds are small, mostly broken, model texts that start the fuzzer near the error paths.
var fuzzBrokenSeeds = []string{
	"",
	"# only a comment\n",
	"model m\nstate x = 0\nd x/dt = -(x\noutput x\n",
	"model m\nparam a = 1 $\n",
	"model m\nparam a = 3x\n",
	"model m \"unterminated\n",
	"model m\nstate x = 0 [mV\nx := 1\noutput x\n",
	"model m\nlet a = b\nlet b = c\nlet c = a\nstate x = a\nx := a\noutput x\n",
	"model m\nfn f(x) = f(x)\nstate x = 0\nx := f(1)\noutput x\n",
	"model m\nnoise xi\nstate x = 0\nd x/dt = exp(xi)\noutput x\n",
	"model m\nstate x = 0\ncoupling c = sum_j(C_ij * x[j] + sum_j(1))\nd x/dt = c\noutput x\n",
	"model m\nswitch s = a in {a, b}\nstate x = 0\nx := select(s == c, 1, 2)\noutput x\n",
	"model m\nparam p = 2 in (0, 1]\nstate x = uniform(0, p)\nd x/dt = delayed(p, 1)\noutput x\n",
	"model m\ntable t(u, v)\nstate x = 0\nx := t(x, 0/0) + t(x)\nafter x = clamp(x, 0, 1)\noutput x\nbold = 2 * x\n",
	"model m\nnoise xi\nstate x = 0\nd x/dt = -x +\n  x * xi - 2 * (1 - xi)\noutput x = x^3 default\n",
	"model m\noption self_delay = dt\noption compat_delays = other\nstate x = 0\nx := x\noutput x\n",
	"model m\nmodel n\nstate x = 0\nx := x\nd x/dt = 1\ninit x = 1\noutput x\noutput y = 1 default\noutput x default\n",
	// a short model that compiles and uses most of the language
	`model k "kitchen sink"
param a = 1 [1/ms] in (0, inf) per node "doc"
param b = -1 in [-2, 0]
switch mode = one in {one, two}
input u = 0 [mV]
noise xi, eta
table t(mu, sigma) [Hz]
state x = 0.5 * uniform(-1, 1) [mV]
state y
state r = 1
init y = b
fn g(v, w) = v * tanh(w) + C_ij^2
coupling net = sum_j(g(C_ij, x[j] - x) + a * y[j])
let z = delayed(x, 2 * a) + t(x, abs(y))
d x/dt = -x / a + net + select(mode == two and not x > 1, z, u) + sqrt(abs(x)) * xi
dy/dt = (b - y) * x^2 - 0.5 * eta
r := max(min(r, 1), mod(x, 2 * pi))
after x = clamp(x, -1, 1)
option self_delay = a
output x default
output s = x + y [mV]
bold = 2 * s
`,
}

// readFuzzSeeds returns the .nm files of the seed directories (name, text).
func readFuzzSeeds(tb testing.TB) (names, texts []string) {
	for _, dir := range fuzzSeedDirs {
		entries, err := os.ReadDir(dir)
		if err != nil {
			continue // the directory may not exist yet
		}
		for _, e := range entries {
			if e.IsDir() || !strings.HasSuffix(e.Name(), ".nm") {
				continue
			}
			b, err := os.ReadFile(filepath.Join(dir, e.Name()))
			if err != nil {
				tb.Fatal(err)
			}
			names = append(names, e.Name())
			texts = append(texts, string(b))
		}
	}
	return names, texts
}

// FuzzCompile compiles arbitrary model texts. Compile must never panic; every error it reports must
// be an *Error or ErrorList positioned inside the source; a model it accepts must be internally
// consistent: every expression evaluates in the context it belongs to, the schedule puts arguments
// before their users, compiling the same text twice gives the same graph, and the GLSL emitter, the
// CPU program builder and the symbolic Jacobian accept it (their derivatives evaluate too).
func FuzzCompile(f *testing.F) {
	_, texts := readFuzzSeeds(f)
	for _, s := range texts {
		f.Add(s)
	}
	for _, s := range fuzzBrokenSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		checkCompile(t, "fuzz.nm", src)
	})
}

// TestFuzzSeeds runs the FuzzCompile checks on every seed also under plain go test (it names each
// seed, which the fuzz seed corpus does not).
func TestFuzzSeeds(t *testing.T) {
	names, texts := readFuzzSeeds(t)
	for i, s := range texts {
		t.Run(names[i], func(t *testing.T) { checkCompile(t, names[i], s) })
	}
	for i, s := range fuzzBrokenSeeds {
		t.Run(fmt.Sprintf("broken%d", i), func(t *testing.T) { checkCompile(t, "broken.nm", s) })
	}
}

// checkCompile compiles src and checks the result as FuzzCompile does.
func checkCompile(t *testing.T, file, src string) {
	t.Helper()
	m, err := Compile(file, src, Options{})
	m2, err2 := Compile(file, src, Options{})
	if err != nil {
		if m != nil {
			t.Errorf("Compile returned a model and an error: %v", err)
		}
		checkErrorPositions(t, file, src, err)
		if err2 == nil || err2.Error() != err.Error() {
			t.Errorf("Compile is not deterministic: first\n%v\nthen\n%v", err, err2)
		}
		return
	}
	if m == nil {
		t.Fatal("Compile returned neither a model nor an error")
	}
	if err2 != nil || graphFingerprint(m.G) != graphFingerprint(m2.G) {
		t.Fatalf("Compile is not deterministic: the second compilation differs (err %v)", err2)
	}
	checkModel(t, m)
}

// checkErrorPositions asserts that err is an *Error or a non-empty ErrorList whose positions lie in
// the source: 1 <= line <= lines+1 and 1 <= column <= length of that line + 1.
func checkErrorPositions(t *testing.T, file, src string, err error) {
	t.Helper()
	var list ErrorList
	var one *Error
	switch {
	case errors.As(err, &list):
	case errors.As(err, &one):
		list = ErrorList{one}
	default:
		t.Fatalf("error of type %T, want *Error or ErrorList: %v", err, err)
	}
	if len(list) == 0 {
		t.Fatalf("empty ErrorList returned as an error")
	}
	lines := strings.Split(src, "\n")
	for _, e := range list {
		if e == nil {
			t.Fatalf("nil *Error in the list: %v", err)
		}
		if e.File != file {
			t.Errorf("error names the file %q, want %q: %v", e.File, file, e)
		}
		if e.Msg == "" {
			t.Errorf("error without a message at %v", e.Pos)
		}
		l, c := e.Pos.Line, e.Pos.Col
		if l < 1 || l > len(lines)+1 {
			t.Errorf("error line %d outside the source (%d lines): %v", l, len(lines), e)
			continue
		}
		max := 1
		if l <= len(lines) {
			max = utf8.RuneCountInString(lines[l-1]) + 1
		}
		if c < 1 || c > max {
			t.Errorf("error column %d outside line %d (%d columns): %v", c, l, max-1, e)
		}
	}
}

// graphFingerprint writes a graph's nodes as text (NaN-safe, unlike reflect.DeepEqual).
func graphFingerprint(g *Graph) string {
	var b strings.Builder
	for _, n := range g.Nodes {
		fmt.Fprintf(&b, "%v %d %d %d %d %x;", n.Op, n.A, n.B, n.C, n.Ref, math.Float64bits(n.Val))
	}
	return b.String()
}

// fuzzTable is a 3x3 table on [0, 2] x [0, 2].
func fuzzTable() *TableData {
	return &TableData{
		Row: Axis{First: 0, Step: 1, N: 3}, Col: Axis{First: 0, Step: 1, N: 3}, Last: [2]float64{2, 2},
		V: []float64{0, 1, 2, 3, 4, 5, 6, 7, 8},
	}
}

func fuzzFill(n int, v float64) []float64 {
	s := make([]float64, n)
	for i := range s {
		s[i] = v
	}
	return s
}

// ctxEnv returns an environment that holds only the leaves the context may read, every value v, so
// that an expression leaking out of its context fails to evaluate.
func ctxEnv(m *Model, ctx context, v float64) *Env {
	tables := make([]*TableData, len(m.Tables))
	for i := range tables {
		tables[i] = fuzzTable()
	}
	env := &Env{Params: fuzzFill(len(m.Params), v), Dt: 0.1, N: 3, Tables: tables}
	switch ctx {
	case cInit:
		env.Draw = func(lo, hi float64) float64 { return lo + (hi-lo)*0.25 }
	case cStep:
		env.State = fuzzFill(len(m.States), v)
		env.Inputs = fuzzFill(len(m.Inputs), v)
		env.Noise = fuzzFill(len(m.Noises), v)
		env.Coupling = fuzzFill(len(m.Couplings), v)
		env.Delayed = fuzzFill(len(m.Delays), v)
	case cSummand:
		env.State = fuzzFill(len(m.States), v)
		env.Remote = fuzzFill(len(m.States), v)
		env.Conn = v
	case cAfter, cOutput, cBold:
		env.New = fuzzFill(len(m.States), v)
	}
	return env
}

// checkModel checks a compiled model's consistency and evaluates every expression in its context.
func checkModel(t *testing.T, m *Model) {
	t.Helper()
	g := m.G
	for id, n := range g.Nodes {
		if n.Op >= numOps {
			t.Fatalf("node %d has an unknown op %d", id, n.Op)
		}
		for _, a := range n.Args() {
			if a < 0 || a >= ID(id) {
				t.Fatalf("node %d (%v) has the argument %d, want an earlier node", id, n.Op, a)
			}
		}
	}
	valid := func(what string, id ID) bool {
		if id < 0 || int(id) >= len(g.Nodes) {
			t.Errorf("%s: invalid node %d", what, id)
			return false
		}
		return true
	}
	if lv := m.Levels(); len(lv) != len(g.Nodes) {
		t.Errorf("Levels returned %d levels for %d nodes", len(lv), len(g.Nodes))
	}
	order := g.Schedule(m.StepRoots()...)
	pos := map[ID]int{}
	for i, id := range order {
		if _, dup := pos[id]; dup {
			t.Errorf("Schedule lists node %d twice", id)
		}
		pos[id] = i
	}
	for i, id := range order {
		for _, a := range g.Nodes[id].Args() {
			if p, ok := pos[a]; !ok || p >= i {
				t.Errorf("Schedule puts node %d before its argument %d", id, a)
			}
		}
	}
	for _, r := range m.StepRoots() {
		if _, ok := pos[r]; !ok && valid("step root", r) {
			t.Errorf("Schedule misses the root %d", r)
		}
	}
	_ = g.Uses(order)
	// a coupling's Remote list holds the states its summand reads as x[j]; those and the states read
	// by delayed() keep a history, no others
	history := make([]bool, len(m.States))
	for _, c := range m.Couplings {
		if !valid("summand of "+c.Name, c.Sum) {
			continue
		}
		var read []int
		for _, id := range g.Schedule(c.Sum) {
			if n := g.Nodes[id]; n.Op == OpRemote {
				read = append(read, int(n.Ref))
			}
		}
		// (the list may hold more: an x[j] in a branch a switch removed, or passed to a fn argument
		// the body ignores, is listed though not read)
		for _, k := range read {
			if !slices.Contains(c.Remote, k) {
				t.Errorf("coupling %s reads the remote state %d, its Remote list is %v", c.Name, k, c.Remote)
			}
		}
		for _, k := range c.Remote {
			history[k] = true
		}
	}
	for _, d := range m.Delays {
		history[d.State] = true
	}
	for k, s := range m.States {
		if s.History != history[k] {
			t.Errorf("state %s: History %v, want %v", s.Name, s.History, history[k])
		}
	}
	if len(m.Outputs) == 0 {
		t.Errorf("model %s compiled without outputs", m.Name)
	} else if d := m.Outputs[m.DefaultOutput()]; !d.Default {
		t.Errorf("no output is marked default")
	}

	eval := func(what string, id ID, ctx context) {
		if !valid(what, id) {
			return
		}
		for _, v := range []float64{0, 1} {
			if _, err := g.Eval(id, ctxEnv(m, ctx, v)); err != nil {
				t.Errorf("%s (node %d) in %s with values %v: %v", what, id, contextWhat[ctx], v, err)
			}
		}
	}
	for _, s := range m.States {
		eval("next of "+s.Name, s.Next, cStep)
		eval("drift of "+s.Name, s.Drift, cStep)
		eval("init of "+s.Name, s.Init, cInit)
		for _, d := range s.Noise {
			eval("noise coefficient of "+s.Name, d.Coef, cStep)
		}
		if s.After != NoID {
			eval("after map of "+s.Name, s.After, cAfter)
		}
	}
	for _, st := range m.Init {
		eval("init step", st.Expr, cInit)
	}
	for _, l := range m.Lets {
		eval("let "+l.Name, l.Expr, cStep)
	}
	for _, c := range m.Couplings {
		eval("coupling "+c.Name, c.Sum, cSummand)
	}
	for _, d := range m.Delays {
		eval("delay", d.Ms, cParam)
	}
	eval("self delay", m.SelfDelay, cParam)
	for _, o := range m.Outputs {
		eval("output "+o.Name, o.Expr, cOutput)
	}
	eval("bold", m.Bold, cBold)

	// The backends and the derivatives must accept every model the compiler accepts.
	if _, err := m.GLSL(GLSLOptions{}); err != nil {
		t.Errorf("GLSL: %v", err)
	}
	if _, err := m.Program(); err != nil {
		t.Errorf("Program: %v", err)
	}
	jac := m.Jacobian()
	for s, row := range jac.DState {
		for k, id := range row {
			eval(fmt.Sprintf("d %s / d %s", m.States[s].Name, m.States[k].Name), id, cStep)
		}
	}
	for _, rows := range [][][]ID{jac.DCoupling, jac.DDelayed, jac.DInput} {
		for s, row := range rows {
			for k, id := range row {
				eval(fmt.Sprintf("derivative %d of %s", k, m.States[s].Name), id, cStep)
			}
		}
	}
	for c, sj := range jac.Summand {
		for k := range sj.DRemote {
			eval(fmt.Sprintf("d summand %d / d remote %d", c, k), sj.DRemote[k], cSummand)
		}
		for k := range sj.DLocal {
			eval(fmt.Sprintf("d summand %d / d local %d", c, k), sj.DLocal[k], cSummand)
		}
		eval(fmt.Sprintf("d summand %d / d C_ij", c), sj.DConn, cSummand)
	}
	for o, row := range jac.DOutput {
		for k, id := range row {
			eval(fmt.Sprintf("d output %d / d %d", o, k), id, cOutput)
		}
	}
	for k, id := range jac.DBold {
		eval(fmt.Sprintf("d bold / d %d", k), id, cBold)
	}
}

// randModel writes a random model from a small grammar. Names are mostly ones the context allows,
// so that most models compile and reach the checks of a compiled model; now and then one is not.
type randModel struct {
	r *rand.Rand
	b strings.Builder
}

func (g *randModel) pick(s ...string) string { return s[g.r.IntN(len(s))] }

// expr writes a random numeric expression over the names.
func (g *randModel) expr(depth int, names []string) string {
	if depth <= 0 || g.r.IntN(4) == 0 {
		if g.r.IntN(3) == 0 {
			return g.pick("0", "1", "2", "0.5", "3", "1e-3", "pi", "-0", "4", "inf")
		}
		if g.r.IntN(40) == 0 {
			return g.pick("zz", "dt", "N", "C_ij", "xi", "x[j]", "t", "g", "mode", "u", "net", "z") // maybe out of context
		}
		return names[g.r.IntN(len(names))]
	}
	d := depth - 1
	switch g.r.IntN(12) {
	case 0, 1, 2:
		return g.expr(d, names) + " " + g.pick("+", "-", "*", "/") + " " + g.expr(d, names)
	case 3:
		return "(" + g.expr(d, names) + ")^" + g.pick("2", "3", "-1", "0", "0.5", "4", "5", "-4", "(1 + 1)")
	case 4:
		return "-" + g.expr(d, names)
	case 5:
		return g.pick("exp", "log", "sqrt", "sin", "cos", "tan", "tanh", "abs", "floor") + "(" + g.expr(d, names) + ")"
	case 6:
		return g.pick("pow", "min", "max", "mod") + "(" + g.expr(d, names) + ", " + g.expr(d, names) + ")"
	case 7:
		return "clamp(" + g.expr(d, names) + ", " + g.expr(d, names) + ", " + g.expr(d, names) + ")"
	case 8:
		return "select(" + g.cond(d, names) + ", " + g.expr(d, names) + ", " + g.expr(d, names) + ")"
	case 9:
		return "g(" + g.expr(d, names) + ", " + g.expr(d, names) + ")"
	case 10:
		return "t(" + g.expr(d, names) + ", " + g.expr(d, names) + ")"
	}
	return "(" + g.expr(d, names) + ")"
}

func (g *randModel) cond(depth int, names []string) string {
	d := depth - 1
	switch g.r.IntN(6) {
	case 0:
		return "mode " + g.pick("==", "!=") + " " + g.pick("one", "two")
	case 1:
		return g.cond(d, names) + " " + g.pick("and", "or") + " " + g.cond(d, names)
	case 2:
		return "not " + g.cond(d, names)
	}
	return g.expr(d, names) + " " + g.pick("<", "<=", ">", ">=", "==", "!=") + " " + g.expr(d, names)
}

func (g *randModel) line(format string, args ...any) { fmt.Fprintf(&g.b, format+"\n", args...) }

func (g *randModel) model() string {
	g.b.Reset()
	params := []string{"a", "b"}
	step := []string{"a", "b", "x", "y", "r", "u", "net", "z"}
	summand := []string{"a", "x", "y", "C_ij", "x[j]", "y[j]", "r[j]"}
	out := []string{"a", "x", "y", "r"}
	g.line("model rnd")
	g.line("param a = %s in (0, inf) per node", g.pick("1", "0.5", "2"))
	g.line("param b = %s", g.expr(1, []string{"1", "2", "pi"}))
	g.line("switch mode = one in {one, two}")
	g.line("input u = 0")
	g.line("noise xi, eta")
	g.line("table t(mu, sigma)")
	g.line("state x = %s", g.pick("0", "uniform(0, 1)", "a * uniform(-1, b)", "b"))
	g.line("state y")
	g.line("state r = 1")
	g.line("init y = %s", g.expr(2, params))
	g.line("fn g(v, w) = %s", g.expr(2, []string{"v", "w", "a"}))
	g.line("coupling net = sum_j(%s)", g.expr(3, summand))
	g.line("let z = %s", g.expr(3, append(slices.Clone(step[:5]), "delayed(x, a)", "delayed(y, 2)")))
	noise := ""
	if g.r.IntN(2) == 0 {
		noise = " " + g.pick("+", "-") + " " + g.expr(1, step) + " * " + g.pick("xi", "eta")
	}
	g.line("d x/dt = %s%s", g.expr(4, step), noise)
	if g.r.IntN(2) == 0 {
		g.line("dy/dt = %s - eta", g.expr(3, step))
	} else {
		g.line("y := %s", g.expr(3, step))
	}
	g.line("r := %s", g.expr(3, step))
	if g.r.IntN(2) == 0 {
		g.line("after x = %s", g.expr(2, []string{"x", "a", "b"}))
	}
	if g.r.IntN(2) == 0 {
		g.line("option self_delay = %s", g.expr(1, params))
	}
	g.line("output x")
	g.line("output s = %s %s", g.expr(3, out), g.pick("", "default"))
	if g.r.IntN(2) == 0 {
		g.line("bold = %s", g.expr(2, append(out, "s")))
	}
	return g.b.String()
}

// TestRandomModels runs the FuzzCompile checks on models drawn from a grammar, which reach the
// compiled-model checks far more often than byte-level mutation does.
func TestRandomModels(t *testing.T) {
	n := 1500
	if testing.Short() {
		n = 200
	}
	g := &randModel{r: rand.New(rand.NewPCG(1, 2))}
	compiled := 0
	for i := range n {
		src := g.model()
		ok := t.Run(fmt.Sprint(i), func(t *testing.T) {
			checkCompile(t, "rnd.nm", src)
		})
		if !ok {
			t.Fatalf("model %d:\n%s", i, src)
		}
		if _, err := Compile("rnd.nm", src, Options{}); err == nil {
			compiled++
		}
	}
	if compiled < n/4 {
		t.Errorf("only %d of %d random models compiled; the generator has drifted from the language", compiled, n)
	}
}
