package eqn

import (
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// glslHopf is a Hopf-like oscillator with diffusive delayed coupling and OU noise.
const glslHopf = `
model hopf_t "Hopf-like oscillator"
param a = 0.25 [1/ms]
param w = 0.2 [rad/ms]
param K_gl = 0.6 [1/ms] in [0, inf)
param tau_ou = 5.0 [ms] in (0, inf)
param sigma_ou = 0.1 in [0, inf)
input x_ext = 0
noise xi_x, xi_y
state x = 0.1
state y = 0.2
state x_ou = 0
state y_ou = 0
coupling net = sum_j(K_gl * C_ij * (x[j] - x))
d x/dt = (a - x^2 - y^2) * x - w * y + net + x_ou + x_ext
d y/dt = (a - x^2 - y^2) * y + w * x + y_ou
d x_ou/dt = -x_ou / tau_ou + sigma_ou * xi_x
d y_ou/dt = -y_ou / tau_ou + sigma_ou * xi_y
output x default
output y
bold = 4 * (x + 1)
`

// glslEvery uses every operator and function, two tables on one grid and one on another, a
// delayed read, a per-node parameter, an algebraic state, after maps, outputs and bold. It is
// float-only (it has transcendentals).
const glslEvery = `
model every "every operation"
param p1 = 1.5 in (0, inf)
param p2 = -0.5
param om = 2 per node "per-node frequency"
param lo = -1
param hi = 1
param d_ms = 2 [ms] in [0, inf)
param ex = 2.5
switch mode = one in {one, two}
input I = 0
noise xi
table ta(u, v)
table tb(u, v)
table tc(v, u)
state x = 0.1
state y = 0.2
state r = 0
state th = 0
fn sq(z) = z * z
let s = sin(x) + cos(y) - tan(x * 0.1) * tanh(y)
let e1 = exp(-x) + log(1 + x^2) + sqrt(abs(y)) + floor(x * 3)
let pw = pow(abs(x) + 1, ex) + x^3 + y^-2 + pow(x, 1.5) + x^4 + x^5 + x^0.5 + 2^x
let mm = min(x, y) + max(x, hi) + clamp(y, lo, hi) + mod(x, 2 * pi) + mod(y, -1.5) + max(x, -1e39)
let cnd = select(x < y and not (y >= hi) or x == lo, p1, select(x != y and x <= y or x > hi, -p2, 0))
let tab = ta(x, y) + tb(x, y) + tc(y, x) + ta(y, x)
let dl = delayed(x, d_ms) + delayed(y, 1)
let k = select(mode == one, inf, -inf)
coupling net = sum_j(C_ij * tanh(x[j]) - C_ij^2 * y[j] * x / N + ta(x[j], x))
d x/dt = -x + s + e1 + net + I + p1 * xi
d y/dt = om * x - y + pw * 1e-3 + mm + cnd + dl + dt + min(k, 1e30) + select(x > 1e38, log(-1), 0)
r := tab + min(x, inf) + select(x > 0, -0, x)
d th/dt = om
after th = mod(th, 2 * pi)
after r = clamp(r, -1e30, 1e30)
output x default
output th
output q = sq(x) + r * 2 + ta(x, y) + tb(x, y)
bold = 50 * x + max(y, -1)
`

// glslArith is like glslEvery without the functions GLSL has no double overload of, so it is
// emitted in double too.
const glslArith = `
model arith "arithmetic, tables, mod, delays"
param p1 = 1.5 in (0, inf)
param om = 2 per node
param lo = -1
param hi = 1
param d_ms = 2 [ms] in [0, inf)
input I = 0
noise xi
table ta(u, v)
table tb(u, v)
state x = 0.1
state y = 0.2
state r = 0
state th = 0
let mm = min(x, y) + max(x, hi) + clamp(y, lo, hi) + mod(x, 2 * pi) + mod(y, -1.5) + abs(x) + floor(y)
let cnd = select(x < y and not (y >= hi) or x == lo, p1, x^3 + y^-2 + sqrt(abs(x)))
let tab = ta(x, y) + tb(x, y) + ta(y, x)
coupling net = sum_j(C_ij * x[j] - C_ij^2 * (y[j] - x) / N)
coupling loc = sum_j(om * C_ij)
d x/dt = -x + net + loc + I + p1 * xi
d y/dt = om * x - y + mm + cnd + delayed(x, d_ms) + dt + select(x > 0, -0, inf) / 1e300
r := tab + min(x, inf)
d th/dt = om
after th = mod(th, 2 * pi)
after r = clamp(r, -1e30, 1e30)
output x default
output th
output q = r * 2 + ta(x, y)
bold = 50 * x + max(y, -1)
`

var glslModels = []struct {
	name, src string
	double    bool // the double emission is allowed
}{
	{"hopf_t", glslHopf, true},
	{"every", glslEvery, false},
	{"arith", glslArith, true},
}

func compileGLSLModel(t *testing.T, name, src string) *Model {
	t.Helper()
	m, err := Compile(name+".nm", src, Options{})
	if err != nil {
		t.Fatalf("compile %s: %v", name, err)
	}
	return m
}

// glslang returns the path of glslangValidator, or skips the test (fails it when
// NEUROMASS_REQUIRE_GLSLANG=1).
func glslang(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("glslangValidator")
	if err != nil {
		msg := "glslangValidator is not on PATH (Debian package glslang-tools; make deps installs it): " + err.Error()
		if os.Getenv("NEUROMASS_REQUIRE_GLSLANG") == "1" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return p
}

// validateGLSL compiles a complete compute shader with glslangValidator.
func validateGLSL(t *testing.T, tool, name, src string) {
	t.Helper()
	f := filepath.Join(t.TempDir(), name+".comp")
	if err := os.WriteFile(f, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(tool, "-S", "comp", f).CombinedOutput()
	if err != nil {
		var num strings.Builder
		for i, l := range strings.Split(src, "\n") {
			num.WriteString(strconv.Itoa(i+1) + "\t" + l + "\n")
		}
		t.Errorf("%s: glslangValidator: %v\n%s\n--- shader:\n%s", name, err, out, num.String())
	}
}

func TestGLSLValidates(t *testing.T) {
	tool := glslang(t)
	for _, tc := range glslModels {
		m := compileGLSLModel(t, tc.name, tc.src)
		for _, double := range []bool{false, true} {
			frag, err := m.GLSL(GLSLOptions{Double: double})
			if double && !tc.double {
				if err == nil {
					t.Errorf("%s: double GLSL emitted, expected an error (the model has transcendentals)", tc.name)
				}
				continue
			}
			if err != nil {
				t.Fatalf("%s (double %v): %v", tc.name, double, err)
			}
			prec := map[bool]string{false: "float", true: "double"}[double]
			validateGLSL(t, tool, tc.name+"_"+prec, GLSLTestHarness(frag, m, double))
		}
	}
}

// TestGLSLBuiltinModels validates the GLSL of every built-in model and of the documentation's
// example models (the Jansen-Rit model the project does not ship).
func TestGLSLBuiltinModels(t *testing.T) {
	files, _ := filepath.Glob("../../models/*.nm")
	docs, _ := filepath.Glob("../../docs/*.nm")
	if len(files) < 8 || len(docs) == 0 {
		t.Fatalf("found %d built-in models and %d documentation models, expected 8 and at least 1", len(files), len(docs))
	}
	files = append(files, docs...)
	tool := glslang(t)
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Base(f)
		m, err := Compile(name, string(src), Options{})
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		for _, double := range []bool{false, true} {
			frag, err := m.GLSL(GLSLOptions{Double: double})
			if err != nil {
				if double && strings.Contains(err.Error(), "no double-precision") {
					t.Logf("%s: %v", name, err)
					continue
				}
				t.Errorf("%s (double %v): %v", name, double, err)
				continue
			}
			validateGLSL(t, tool, strings.TrimSuffix(name, ".nm")+map[bool]string{false: "_float", true: "_double"}[double], GLSLTestHarness(frag, m, double))
		}
	}
}

func TestGLSLDoubleRejectsTranscendentals(t *testing.T) {
	for _, fn := range []string{"exp", "log", "sin", "cos", "tan", "tanh"} {
		src := glslLines("model m", "param a = 2", "state x = 0.5", "d x/dt = -x + "+fn+"(x * a)", "output x")
		m := compileGLSLModel(t, "m", src)
		if _, err := m.GLSL(GLSLOptions{}); err != nil {
			t.Errorf("%s: float GLSL: %v", fn, err)
		}
		_, err := m.GLSL(GLSLOptions{Double: true})
		if err == nil || !strings.Contains(err.Error(), "no double-precision "+fn) || !strings.Contains(err.Error(), "state x") {
			t.Errorf("%s: double GLSL gave error %v, expected one naming %s and state x", fn, err, fn)
		}
	}
	// pow with a non-integer exponent, in an output
	m := compileGLSLModel(t, "m", glslLines("model m", "state x = 0.5", "x := x", "output x", "output y = x^2.5"))
	if _, err := m.GLSL(GLSLOptions{Double: true}); err == nil || !strings.Contains(err.Error(), "pow") || !strings.Contains(err.Error(), "output y") {
		t.Errorf("pow: got %v, expected an error naming pow and output y", err)
	}
	// integer powers multiply out: no pow, double is fine
	m = compileGLSLModel(t, "m", glslLines("model m", "state x = 0.5", "x := x^3 + x^-2", "output x"))
	if _, err := m.GLSL(GLSLOptions{Double: true}); err != nil {
		t.Errorf("x^3 + x^-2 in double: %v", err)
	}
	// a transcendental of constants folds away
	m = compileGLSLModel(t, "m", glslLines("model m", "state x = 0.5", "x := x * exp(1)", "output x"))
	if _, err := m.GLSL(GLSLOptions{Double: true}); err != nil {
		t.Errorf("exp(1) in double: %v", err)
	}
}

func TestGLSLStable(t *testing.T) {
	for _, tc := range glslModels {
		for _, double := range []bool{false, true} {
			if double && !tc.double {
				continue
			}
			a, err := compileGLSLModel(t, tc.name, tc.src).GLSL(GLSLOptions{Double: double})
			if err != nil {
				t.Fatal(err)
			}
			m := compileGLSLModel(t, tc.name, tc.src)
			b, _ := m.GLSL(GLSLOptions{Double: double})
			c, _ := m.GLSL(GLSLOptions{Double: double})
			if a != b || b != c {
				t.Errorf("%s (double %v): GLSL differs between emissions", tc.name, double)
			}
		}
	}
}

// body returns the text of the named GLSL function.
func glslBody(t *testing.T, src, fn string) string {
	t.Helper()
	i := strings.Index(src, "\nvoid "+fn+"(")
	if i < 0 {
		t.Fatalf("no function %s in\n%s", fn, src)
	}
	j := strings.Index(src[i:], "\n}\n")
	return src[i : i+j]
}

func TestGLSLStructure(t *testing.T) {
	m := compileGLSLModel(t, "every", glslEvery)
	src, err := m.GLSL(GLSLOptions{})
	if err != nil {
		t.Fatal(err)
	}
	step, outs := glslBody(t, src, "nm_step"), glslBody(t, src, "nm_outputs")
	for _, want := range []string{
		"#define NM_NSTATES 4", "#define NM_NOUTPUTS 3", "#define NM_NPARAMS 7", "#define NM_NINPUTS 1",
		"#define NM_NNOISE 1", "#define NM_NCOUPLINGS 1", "#define NM_NDELAYS 2", "#define NM_NTABLES 3",
		"#define NM_FRAGMENT_DOUBLE 0", "NM_PARAM(2)\tom (per node)", "NM_STATE(2), next_[2], new_[2]\tr (algebraic, after map)",
		"NM_DELAYED(0)\tstate 0 x, delayed by param d_ms ms", "NM_DELAYED(1)\tstate 1 y, delayed by 1 ms",
		"table 2\ttc(v, u), grid of table 2", "table 1\ttb(u, v), grid of table 0", "out_[2]\tq",
		"#ifndef NM_TABLE", "#ifndef NM_REMOTE", "#ifndef NM_DELAYED",
		"NM_REAL nm_mod(", "NM_REAL nm_pow(", "NM_REAL nm_log(", "NM_REAL nm_sqrt(", "void nm_axis(",
		"NM_REAL nm_lookup_t0(", "NM_REAL nm_lookup_t1(", "NM_REAL nm_lookup_t2(",
		"uintBitsToFloat(0x7f800000u)", // inf
		"uintBitsToFloat(0xff800000u)", // -inf: 1e39 overflows float32
		"uintBitsToFloat(0x80000000u)", // -0
		"uintBitsToFloat(0x7fc00000u)", // NaN (log(-1), folded)
	} {
		if !strings.Contains(src, want) {
			t.Errorf("the fragment lacks %q", want)
		}
	}
	if strings.Contains(src, "nm_lookup_drow") || strings.Contains(src, "#version") {
		t.Errorf("the fragment has an unused helper or a #version line")
	}
	// one coupling loop; the lookup of x[j] inside it has its own cell position
	if n := strings.Count(step, "for (int j = 0; j < NM_NODES; j++)"); n != 1 {
		t.Errorf("nm_step has %d coupling loops, expected 1", n)
	}
	loop := step[strings.Index(step, "for (int j"):]
	loop = loop[:strings.Index(loop, "\n\t}\n")]
	if n := strings.Count(loop, "nm_axis("); n != 2 {
		t.Errorf("the coupling loop has %d nm_axis calls, expected 2 (one cell position):\n%s", n, loop)
	}
	// outside the loop: ta(x, y) and tb(x, y) share a position, ta(y, x) and tc(y, x) (another
	// grid) have their own: 3 positions, 6 nm_axis calls; nm_outputs: ta and tb share one
	if n := strings.Count(step, "nm_axis(") - 2; n != 6 {
		t.Errorf("nm_step has %d nm_axis calls outside the loop, expected 6", n)
	}
	if n := strings.Count(outs, "nm_axis("); n != 2 {
		t.Errorf("nm_outputs has %d nm_axis calls, expected 2", n)
	}
	// every value is a precise local; min/max/clamp/mod are ternaries or helpers, not GLSL built-ins
	decl := regexp.MustCompile(`^\s*(\w+ )?NM_REAL v\d+ = `)
	builtin := regexp.MustCompile(`\b(min|max|clamp|mod)\(`)
	for _, l := range strings.Split(step+outs, "\n") {
		if d := decl.FindStringSubmatch(l); d != nil && d[1] != "precise " {
			t.Errorf("a value that is not a precise local: %q", l)
		}
		if builtin.MatchString(l) {
			t.Errorf("a GLSL min/max/clamp/mod call in the step or outputs: %q", l)
		}
	}
	for _, want := range []string{"next_[3] = ", "// after th", "nm_mod(", "bold_ = ", "out_[2] = ", "NM_REMOTE(0, j)", "NM_REMOTE(1, j)", "NM_CONN(j)", "NM_DELAYED(1)", "NM_NOISE(0)"} {
		if !strings.Contains(step+outs, want) {
			t.Errorf("nm_step/nm_outputs lack %q", want)
		}
	}
	// the let names appear in comments
	if !regexp.MustCompile(`precise NM_REAL v\d+ = .*// .*let tab`).MatchString(step) {
		t.Errorf("the let tab is not named in a comment")
	}
}

// TestGLSLAccumulation checks the coupling loop's form: each sum from 0, added in j order.
func TestGLSLAccumulation(t *testing.T) {
	m := compileGLSLModel(t, "hopf_t", glslHopf)
	src, err := m.GLSL(GLSLOptions{Double: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"precise NM_REAL s0 = 0.0LF; // coupling net",
		"for (int j = 0; j < NM_NODES; j++) {",
		"s0 = s0 + v",
		"#define NM_FRAGMENT_DOUBLE 1",
		"4.0LF * v",
	} {
		if !strings.Contains(src, want) {
			t.Errorf("the double fragment lacks %q", want)
		}
	}
	// every floating literal of the double code has the LF suffix
	num := regexp.MustCompile(`(^|[^\w.])(\d+\.\d*(?:e[+-]?\d+)?|\d+e[+-]?\d+)(LF)?`)
	for _, l := range strings.Split(src, "\n") {
		code, _, _ := strings.Cut(l, "//")
		for _, mt := range num.FindAllStringSubmatch(code, -1) {
			if mt[3] != "LF" {
				t.Errorf("a float literal %s in double code: %q", mt[2], l)
			}
		}
	}
}

func TestGLSLLiterals(t *testing.T) {
	vals := []float64{0, 1, -1, 0.1, 1e-3, 2.5e2, math.Pi, 1e30, -1e-30, 1.0 / 3, 123456789, 1e-45, 3.4028234663852886e38, 5e-324, 1e300, -7}
	for _, double := range []bool{false, true} {
		e := &glslGen{double: double}
		for _, v := range vals {
			s := e.lit(v)
			if strings.Contains(s, "Bits") || strings.Contains(s, "pack") {
				if f := float32(v); double || f != 0 && !math.IsInf(float64(f), 0) {
					t.Errorf("lit(%v, double %v) = %s, expected a decimal", v, double, s)
				}
				continue
			}
			num := strings.TrimSuffix(strings.TrimSuffix(strings.TrimPrefix(s, "("), ")"), "LF")
			if double != strings.HasSuffix(strings.TrimSuffix(s, ")"), "LF") {
				t.Errorf("lit(%v, double %v) = %s: wrong suffix", v, double, s)
			}
			if !strings.ContainsAny(num, ".e") {
				t.Errorf("lit(%v) = %s is not a floating literal", v, s)
			}
			if v < 0 != strings.HasPrefix(s, "(-") {
				t.Errorf("lit(%v) = %s: negative literals are bracketed", v, s)
			}
			if double {
				got, err := strconv.ParseFloat(num, 64)
				if err != nil || got != v {
					t.Errorf("lit(%v, double) = %s reads back as %v (%v)", v, s, got, err)
				}
			} else {
				got, err := strconv.ParseFloat(num, 32)
				if err != nil && float32(v) != 0 || float32(got) != float32(v) {
					t.Errorf("lit(%v, float) = %s reads back as %v (%v)", v, s, got, err)
				}
			}
		}
	}
	f, d := &glslGen{}, &glslGen{double: true}
	for _, c := range []struct {
		v          float64
		float, dbl string
	}{
		{math.Inf(1), "uintBitsToFloat(0x7f800000u)", "packDouble2x32(uvec2(0x00000000u, 0x7ff00000u))"},
		{math.Inf(-1), "uintBitsToFloat(0xff800000u)", "packDouble2x32(uvec2(0x00000000u, 0xfff00000u))"},
		{math.Copysign(0, -1), "uintBitsToFloat(0x80000000u)", "packDouble2x32(uvec2(0x00000000u, 0x80000000u))"},
		{1e39, "uintBitsToFloat(0x7f800000u)", "9.9999999999999994e+38LF"},
		{0, "0.0", "0.0LF"},
		{0.1, "0.1", "0.10000000000000001LF"},
		{2, "2.0", "2.0LF"},
	} {
		if got := f.lit(c.v); got != c.float {
			t.Errorf("float lit(%v) = %s, expected %s", c.v, got, c.float)
		}
		if got := d.lit(c.v); got != c.dbl {
			t.Errorf("double lit(%v) = %s, expected %s", c.v, got, c.dbl)
		}
	}
	if got := f.lit(math.NaN()); !strings.HasPrefix(got, "uintBitsToFloat(0x7fc") && !strings.HasPrefix(got, "uintBitsToFloat(0xffc") {
		t.Errorf("float NaN literal %s", got)
	}
	if got := d.lit(math.NaN()); !strings.Contains(got, "0x7ff8") && !strings.Contains(got, "0xfff8") {
		t.Errorf("double NaN literal %s", got)
	}
}

// TestGLSLLookupDerivatives emits the derivatives of table lookups (which deriv.go introduces)
// in an output, sharing one cell position with the lookup itself.
func TestGLSLLookupDerivatives(t *testing.T) {
	m := compileGLSLModel(t, "arith", glslArith)
	g := m.G
	x, y := g.Leaf(OpNew, m.State("x")), g.Leaf(OpNew, m.State("y"))
	dr := g.intern(Node{Op: OpLookupDRow, A: x, B: y, C: NoID, Ref: 1})
	dc := g.intern(Node{Op: OpLookupDCol, A: x, B: y, C: NoID, Ref: 0})
	m.Outputs = append(m.Outputs, Output{Name: "dta", Expr: g.Op(OpAdd, dr, dc)})
	for _, double := range []bool{false, true} {
		src, err := m.GLSL(GLSLOptions{Double: double})
		if err != nil {
			t.Fatal(err)
		}
		outs := glslBody(t, src, "nm_outputs")
		for _, want := range []string{"nm_lookup_drow_t1(", "nm_lookup_dcol_t0(", "NM_REAL nm_lookup_drow_t1(", "NM_REAL nm_lookup_dcol_t0("} {
			if !strings.Contains(src, want) {
				t.Errorf("the fragment lacks %q", want)
			}
		}
		if n := strings.Count(outs, "nm_axis("); n != 2 {
			t.Errorf("nm_outputs has %d nm_axis calls, expected 2 (ta, d tb/du, d ta/dv at (x, y))", n)
		}
		validateGLSL(t, glslang(t), "lookupd", GLSLTestHarness(src, m, double))
	}
}

// TestGLSLInvalidGraphs checks that nodes that cannot occur in a valid model give errors, not panics.
func TestGLSLInvalidGraphs(t *testing.T) {
	cases := []struct {
		name   string
		break_ func(m *Model)
		want   string
	}{
		{"C in the step", func(m *Model) {
			m.States[0].Next = m.G.Op(OpAdd, m.States[0].Next, m.G.Leaf(OpConn, 0))
		}, "outside a coupling summand"},
		{"x[j] in an output", func(m *Model) {
			m.Outputs[0].Expr = m.G.Leaf(OpRemote, 0)
		}, "outside a coupling summand"},
		{"uniform in the step", func(m *Model) {
			m.States[1].Next = m.G.Uniform(m.G.Const(0), m.G.Const(1))
		}, "uniform"},
		{"new value in the step", func(m *Model) {
			m.States[1].Next = m.G.Leaf(OpNew, 0)
		}, "new state value"},
		{"old state in an output", func(m *Model) {
			m.Outputs[0].Expr = m.G.Leaf(OpState, 0)
		}, "before the step"},
		{"noise in a summand", func(m *Model) {
			m.Couplings[0].Sum = m.G.Leaf(OpNoise, 0)
		}, "summand"},
		{"missing update", func(m *Model) {
			m.States[2].Next = NoID
		}, "no update"},
		{"unknown parameter", func(m *Model) {
			m.States[2].Next = m.G.Leaf(OpParam, 99)
		}, "parameter 99"},
		{"unknown table", func(m *Model) {
			m.States[2].Next = m.G.intern(Node{Op: OpLookup, A: m.G.Const(1), B: m.G.Const(2), C: NoID, Ref: 7})
		}, "table 7"},
	}
	for _, c := range cases {
		m := compileGLSLModel(t, "hopf_t", glslHopf)
		c.break_(m)
		_, err := m.GLSL(GLSLOptions{})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, expected an error containing %q", c.name, err, c.want)
		}
	}
	var nilModel *Model
	if _, err := nilModel.GLSL(GLSLOptions{}); err == nil {
		t.Errorf("nil model: no error")
	}
}

// glslLines joins source lines into a model text.
func glslLines(l ...string) string { return strings.Join(l, "\n") + "\n" }
