package eqn

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// progHopf3 is a Hopf-like model with diffusive coupling, OU noise and a per-node parameter.
const progHopf3 = `
model hopf3 "Hopf-like test model"
param a = 0.25
param w = 0.2 per node
param K_gl = 0.6
param tau_ou = 5 in (0, inf)
param sigma_ou = 0.05
noise xi
state x = 0.1
state y = 0.1
state x_ou = 0
coupling net = sum_j(K_gl * C_ij * (x[j] - x))
d x/dt = (a - x^2 - y^2) * x - w * y + net + x_ou
d y/dt = (a - x^2 - y^2) * y + w * x
d x_ou/dt = -x_ou / tau_ou + sigma_ou * xi
output x default
output y
bold = 4 * (x + 1)
`

// progTabTest has table lookups, a delayed read, per-node parameters, an algebraic state, after
// maps, outputs with expressions, bold, a step value inside a summand and every operation.
const progTabTest = `
model tabtest "tables, delays, per-node parameters, algebraic state, after maps"
param p = 1.5
param q = 2 per node
param de = 3 [ms] in [0, inf)
param g = 0.7
input I = 0
table F(mu, sigma)
table G(mu, sigma)
noise xi
state u = 0.5
state r = 0
state v = 0
fn sig(z) = 1 / (1 + exp(-z))
coupling R = sum_j(C_ij * C_ij * (r[j] * 1e-3))
coupling S = sum_j(C_ij * sig(r[j]) * exp(u) + q)
coupling Z = sum_j(-(C_ij * 0))
let mu = u * p + R + I
let s = sqrt(v^2 + q)
let qn = (q * 3.25 + 0.375) * q
r := F(mu, s) * 1e3
d u/dt = (G(mu, s) - u) / (1 + delayed(r, de) * 1e-3) + S * g + Z + pow(abs(u), 1.5) - log(1 + u^2) + 0.3 * xi
d v/dt = -v + max(min(u, 1), -1) + select(u > 0 and v < 1 or not (v >= 0.5), mod(u, 0.7), tanh(v)) + sin(u) * cos(v) - tan(v * 0.1) + floor(u * 3) + select(u == v, 1, 0) + select(u != 0.25, 0, 1) + select(u <= 0.3, 1, 2) + N * dt + qn * 0.01
after v = clamp(v, -1.5, 1.5)
after u = select(u < 0.2, 0.2, u)
output r default
output uu = u * 2 + exp(-v)
output v
output qq = (q * 3.25 + 0.375) * q + u
bold = r * 1e-3 + abs(u) - v
`

func progCompile(t *testing.T, name, src string, opt Options) *Model {
	t.Helper()
	m, err := Compile(name, src, opt)
	if err != nil {
		t.Fatalf("compiling %s: %v", name, err)
	}
	return m
}

func progProgram(t *testing.T, m *Model) *Program {
	t.Helper()
	p, err := m.Program()
	if err != nil {
		t.Fatalf("%s: Program: %v", m.Name, err)
	}
	return p
}

// progSynthTable is a smooth positive table over mu in [-1, 3.95] (rows) and sigma in [0, 4.9].
func progSynthTable(k int) *TableData {
	t := &TableData{Row: Axis{First: -1, Step: 0.05, N: 100}, Col: Axis{First: 0, Step: 0.1, N: 50}}
	t.Last = [2]float64{t.Row.Last(), t.Col.Last()}
	t.V = make([]float64, t.Row.N*t.Col.N)
	for r := range t.Row.N {
		mu := t.Row.First + float64(r)*t.Row.Step
		for c := range t.Col.N {
			sigma := t.Col.First + float64(c)*t.Col.Step
			t.V[r*t.Col.N+c] = 0.01 + float64(k+1)*0.2/(1+math.Exp(-(mu-1)/(0.3+0.2*sigma))) + 0.05*math.Sin(sigma+float64(k))*math.Sin(sigma+float64(k))
		}
	}
	return t
}

// progSmallTable is a coarse table whose grid the test models' arguments partly leave.
func progSmallTable(k int) *TableData {
	t := &TableData{Row: Axis{First: -1, Step: 0.25, N: 12}, Col: Axis{First: 1, Step: 0.5, N: 6}}
	t.Last = [2]float64{t.Row.Last(), t.Col.Last()}
	t.V = make([]float64, t.Row.N*t.Col.N)
	for i := range t.V {
		t.V[i] = 0.5 + float64(k) + math.Cos(float64(i)*0.37)*0.4
	}
	return t
}

// progEnvs returns one environment per node for lanes lanes (the members), all with the same
// member parameters; per-node parameters, states and the rest differ between nodes.
func progEnvs(m *Model, lanes, nodes int, seed uint64, stateLo, stateHi float64, tables []*TableData) []*ProgEnv {
	rng := rand.New(rand.NewPCG(seed, 7))
	u := func(lo, hi float64) float64 { return lo + (hi-lo)*rng.Float64() }
	mat := func(n int, lo, hi float64) [][]float64 {
		s := make([][]float64, n)
		for i := range s {
			s[i] = make([]float64, lanes)
			for l := range s[i] {
				s[i][l] = u(lo, hi)
			}
		}
		return s
	}
	param := func(p Param) float64 {
		d := p.Default
		if d == 0 || math.IsInf(d, 0) {
			return u(0, 0.5)
		}
		return d * u(0.8, 1.2)
	}
	member := make([][]float64, len(m.Params))
	for k, p := range m.Params {
		member[k] = make([]float64, lanes)
		for l := range member[k] {
			member[k][l] = param(p)
		}
	}
	envs := make([]*ProgEnv, nodes)
	for i := range envs {
		params := make([][]float64, len(m.Params))
		for k, p := range m.Params {
			params[k] = member[k]
			if p.PerNode {
				params[k] = make([]float64, lanes)
				for l := range params[k] {
					params[k][l] = param(p)
				}
			}
		}
		noise := mat(len(m.Noises), 0, 0)
		for k := range noise {
			for l := range noise[k] {
				noise[k][l] = rng.NormFloat64()
			}
		}
		conn := mat(lanes, 0, 1)
		for l := range conn {
			conn[l] = make([]float64, nodes)
			for j := range conn[l] {
				conn[l][j] = u(0, 1)
			}
		}
		remote := make([][][]float64, len(m.States))
		for s := range remote {
			remote[s] = make([][]float64, lanes)
			for l := range remote[s] {
				remote[s][l] = make([]float64, nodes)
				for j := range remote[s][l] {
					remote[s][l][j] = u(stateLo, stateHi)
				}
			}
		}
		envs[i] = &ProgEnv{
			Params: params, State: mat(len(m.States), stateLo, stateHi), Inputs: mat(len(m.Inputs), 0, 1),
			Noise: noise, Delayed: mat(len(m.Delays), stateLo, stateHi), Dt: u(0.05, 0.5), N: nodes,
			Conn:   func(l, j int) float64 { return conn[l][j] },
			Remote: func(s, l, j int) float64 { return remote[s][l][j] },
			Tables: tables,
		}
	}
	for _, e := range envs[1:] {
		e.Dt = envs[0].Dt
	}
	return envs
}

func progColumn(s [][]float64, l int) []float64 {
	out := make([]float64, len(s))
	for i := range s {
		out[i] = s[i][l]
	}
	return out
}

// progEvalRef computes what one step of the model gives for every lane with Graph.Eval: coupling
// sums evaluate the summand for every j, added in order from +0.0.
func progEvalRef(t *testing.T, m *Model, lanes int, env *ProgEnv) *ProgOut[float64] {
	t.Helper()
	g := m.G
	eval := func(id ID, e *Env) float64 {
		t.Helper()
		v, err := g.Eval(id, e)
		if err != nil {
			t.Fatalf("%s: Eval: %v", m.Name, err)
		}
		return v
	}
	out := &ProgOut[float64]{
		New: make([][]float64, len(m.States)), Outputs: make([][]float64, len(m.Outputs)),
		Couplings: make([][]float64, len(m.Couplings)),
	}
	for k := range out.New {
		out.New[k] = make([]float64, lanes)
	}
	for o := range out.Outputs {
		out.Outputs[o] = make([]float64, lanes)
	}
	for c := range out.Couplings {
		out.Couplings[c] = make([]float64, lanes)
	}
	if m.Bold != NoID {
		out.Bold = make([]float64, lanes)
	}
	for l := range lanes {
		base := &Env{
			Params: progColumn(env.Params, l), State: progColumn(env.State, l), Inputs: progColumn(env.Inputs, l),
			Noise: progColumn(env.Noise, l), Delayed: progColumn(env.Delayed, l), Dt: env.Dt,
			N: float64(env.N), Tables: env.Tables,
		}
		base.Coupling = make([]float64, len(m.Couplings))
		for c := range m.Couplings {
			sum := 0.0
			for j := range env.N {
				e := *base
				e.Conn = env.Conn(l, j)
				e.Remote = make([]float64, len(m.States))
				for s := range e.Remote {
					e.Remote[s] = env.Remote(s, l, j)
				}
				sum = sum + eval(m.Couplings[c].Sum, &e)
			}
			base.Coupling[c] = sum
			out.Couplings[c][l] = sum
		}
		next := make([]float64, len(m.States))
		for k := range m.States {
			next[k] = eval(m.States[k].Next, base)
		}
		e := *base
		e.New = next
		nw := make([]float64, len(m.States))
		for k := range m.States {
			nw[k] = next[k]
			if m.States[k].After != NoID {
				nw[k] = eval(m.States[k].After, &e)
			}
			out.New[k][l] = nw[k]
		}
		e.New = nw
		for o := range m.Outputs {
			out.Outputs[o][l] = eval(m.Outputs[o].Expr, &e)
		}
		if m.Bold != NoID {
			out.Bold[l] = eval(m.Bold, &e)
		}
	}
	return out
}

// progSame reports the first difference between two results, comparing float64 bits.
func progSame[T float32 | float64](got, want *ProgOut[T]) error {
	bits := func(v T) uint64 {
		if f, ok := any(v).(float32); ok {
			return uint64(math.Float32bits(f))
		}
		return math.Float64bits(float64(v))
	}
	cmp := func(what string, g, w [][]T) error {
		if len(g) != len(w) {
			return fmt.Errorf("%s: %d series, want %d", what, len(g), len(w))
		}
		for k := range g {
			if len(g[k]) != len(w[k]) {
				return fmt.Errorf("%s %d: %d lanes, want %d", what, k, len(g[k]), len(w[k]))
			}
			for l := range g[k] {
				if bits(g[k][l]) != bits(w[k][l]) {
					return fmt.Errorf("%s %d lane %d: got %v (%#x), want %v (%#x)", what, k, l, g[k][l], bits(g[k][l]), w[k][l], bits(w[k][l]))
				}
			}
		}
		return nil
	}
	if err := cmp("coupling", got.Couplings, want.Couplings); err != nil {
		return err
	}
	if err := cmp("new state", got.New, want.New); err != nil {
		return err
	}
	if err := cmp("output", got.Outputs, want.Outputs); err != nil {
		return err
	}
	if (got.Bold == nil) != (want.Bold == nil) {
		return fmt.Errorf("bold: got %v, want %v", got.Bold, want.Bold)
	}
	if got.Bold != nil {
		return cmp("bold", [][]T{got.Bold}, [][]T{want.Bold})
	}
	return nil
}

// progCheckModel checks that Exec equals Graph.Eval bit for bit, and that the program keeps its
// promises when the member and node prologues run once and the step runs for many nodes and steps.
func progCheckModel(t *testing.T, m *Model, tables []*TableData, stateLo, stateHi float64) *Program {
	t.Helper()
	p := progProgram(t, m)
	const lanes, nodes = 5, 4
	for seed := range uint64(3) {
		envs := progEnvs(m, lanes, nodes, seed, stateLo, stateHi, tables)
		wants := make([]*ProgOut[float64], nodes)
		for i, env := range envs {
			got, err := p.Exec(lanes, env)
			if err != nil {
				t.Fatalf("%s: Exec: %v", m.Name, err)
			}
			wants[i] = progEvalRef(t, m, lanes, env)
			if err := progSame(got, wants[i]); err != nil {
				t.Fatalf("%s (seed %d, node %d): Exec differs from Eval: %v\n%s", m.Name, seed, i, err, p)
			}
			got32, err := p.Exec32(lanes, env)
			if err != nil {
				t.Fatalf("%s: Exec32: %v", m.Name, err)
			}
			if err := progSame(got32, progEvalRef32(m, lanes, env)); err != nil {
				t.Fatalf("%s (seed %d, node %d): Exec32 differs from the float32 graph walk: %v\n%s", m.Name, seed, i, err, p)
			}
		}
		if err := progSimulate(p, lanes, envs, wants); err != nil {
			t.Fatalf("%s (seed %d): %v\n%s", m.Name, seed, err, p)
		}
	}
	return p
}

// progSimulate runs the program as an executor whose lanes are members: the member prologue once,
// the node prologue once per node keeping NodeLive, then two steps over all nodes, every register
// not declared live overwritten with garbage before each phase group.
func progSimulate(p *Program, lanes int, envs []*ProgEnv, wants []*ProgOut[float64]) error {
	mc := progNewMachine(p, lanes, envs[0], progApply, progLookup)
	keep := map[int32]bool{}
	for _, r := range p.MemberLive {
		keep[r] = true
	}
	poison := func() {
		for r := range mc.regs {
			if !keep[int32(r)] {
				for l := range mc.regs[r] {
					mc.regs[r][l] = -7.77e77 + float64(r)
				}
			}
		}
	}
	mc.run(p.Member, 0)
	poison()
	saved := make([]map[int32][]float64, len(envs))
	for i, env := range envs {
		mc.env = env
		mc.run(p.Node, 0)
		saved[i] = map[int32][]float64{}
		for _, r := range p.NodeLive {
			saved[i][r] = append([]float64(nil), mc.regs[r]...)
		}
		poison()
	}
	for step := range 2 {
		for k := range envs {
			i := k
			if step == 1 {
				i = len(envs) - 1 - k
			}
			poison()
			for r, v := range saved[i] {
				copy(mc.regs[r], v)
			}
			mc.env = envs[i]
			got := &ProgOut[float64]{Couplings: mc.step()}
			for _, r := range p.New {
				got.New = append(got.New, append([]float64(nil), mc.regs[r]...))
			}
			for _, r := range p.Outputs {
				got.Outputs = append(got.Outputs, append([]float64(nil), mc.regs[r]...))
			}
			if p.Bold >= 0 {
				got.Bold = append([]float64(nil), mc.regs[p.Bold]...)
			}
			if err := progSame(got, wants[i]); err != nil {
				return fmt.Errorf("step %d node %d, prologues hoisted: %v", step, i, err)
			}
		}
	}
	return nil
}

// progEvalRef32 walks the graph recursively in float32 with progApply32 and progLookup32, an
// evaluation independent of the program's scheduling and registers.
func progEvalRef32(m *Model, lanes int, env *ProgEnv) *ProgOut[float32] {
	g := m.G
	out := &ProgOut[float32]{}
	alloc := func(n int) [][]float32 {
		s := make([][]float32, n)
		for i := range s {
			s[i] = make([]float32, lanes)
		}
		return s
	}
	out.New, out.Outputs, out.Couplings = alloc(len(m.States)), alloc(len(m.Outputs)), alloc(len(m.Couplings))
	if m.Bold != NoID {
		out.Bold = make([]float32, lanes)
	}
	for l := range lanes {
		var j int
		var newv, sums []float32
		var ev func(id ID, memo map[ID]float32) float32
		ev = func(id ID, memo map[ID]float32) float32 {
			if v, ok := memo[id]; ok {
				return v
			}
			n := g.Nodes[id]
			var v float32
			switch n.Op {
			case OpConst, OpBoolConst:
				v = float32(n.Val)
			case OpParam:
				v = float32(env.Params[n.Ref][l])
			case OpState:
				v = float32(env.State[n.Ref][l])
			case OpInput:
				v = float32(env.Inputs[n.Ref][l])
			case OpNoise:
				v = float32(env.Noise[n.Ref][l])
			case OpDelayed:
				v = float32(env.Delayed[n.Ref][l])
			case OpDt:
				v = float32(env.Dt)
			case OpN:
				v = float32(env.N)
			case OpConn:
				v = float32(env.Conn(l, j))
			case OpRemote:
				v = float32(env.Remote(int(n.Ref), l, j))
			case OpNew:
				v = newv[n.Ref]
			case OpCoupling:
				v = sums[n.Ref]
			case OpLookup, OpLookupDRow, OpLookupDCol:
				v = progLookup32(env.Tables[n.Ref], n.Op, ev(n.A, memo), ev(n.B, memo))
			default:
				var a, b, c float32
				args := n.Args()
				a = ev(args[0], memo)
				if len(args) > 1 {
					b = ev(args[1], memo)
				}
				if len(args) > 2 {
					c = ev(args[2], memo)
				}
				v = progApply32(n.Op, a, b, c)
			}
			memo[id] = v
			return v
		}
		sums = make([]float32, len(m.Couplings))
		for c := range m.Couplings {
			var sum float32
			for j = 0; j < env.N; j++ {
				sum = float32(sum + ev(m.Couplings[c].Sum, map[ID]float32{}))
			}
			sums[c] = sum
			out.Couplings[c][l] = sum
		}
		memo := map[ID]float32{}
		next := make([]float32, len(m.States))
		for k := range m.States {
			next[k] = ev(m.States[k].Next, memo)
		}
		newv = next
		fin := make([]float32, len(m.States))
		memo = map[ID]float32{}
		for k := range m.States {
			fin[k] = next[k]
			if a := m.States[k].After; a != NoID {
				fin[k] = ev(a, memo)
			}
			out.New[k][l] = fin[k]
		}
		newv = fin
		memo = map[ID]float32{}
		for o := range m.Outputs {
			out.Outputs[o][l] = ev(m.Outputs[o].Expr, memo)
		}
		if m.Bold != NoID {
			out.Bold[l] = ev(m.Bold, memo)
		}
	}
	return out
}

func TestProgramHopfExplicit(t *testing.T) {
	m := progCompile(t, "hopf3.nm", progHopf3, Options{})
	p := progProgram(t, m)
	// three nodes, lanes are nodes; C[i][j] and the delayed x_j as seen from i given explicitly
	cm := [][]float64{{0, 0.5, 0.25}, {0.3, 0, 0.7}, {0.1, 0.9, 0}}
	xd := [][]float64{{0.11, -0.4, 0.93}, {0.2, 0.05, -0.6}, {0.71, 0.33, 0.15}}
	x := []float64{0.1, -0.35, 0.8}
	env := &ProgEnv{
		Params: [][]float64{{0.25, 0.25, 0.25}, {0.2, 0.21, 0.22}, {0.6, 0.6, 0.6}, {5, 5, 5}, {0.05, 0.05, 0.05}},
		State:  [][]float64{x, {0.3, 0.1, -0.2}, {0.01, -0.02, 0.03}},
		Noise:  [][]float64{{0.5, -1.2, 2.1}}, Dt: 0.1, N: 3,
		Conn: func(l, j int) float64 { return cm[l][j] },
		Remote: func(s, l, j int) float64 {
			if s != 0 {
				return math.NaN() // only x is read remotely
			}
			return xd[l][j]
		},
	}
	got, err := p.Exec(3, env)
	if err != nil {
		t.Fatal(err)
	}
	if err := progSame(got, progEvalRef(t, m, 3, env)); err != nil {
		t.Fatalf("Exec differs from Eval: %v\n%s", err, p)
	}
	for i := range 3 {
		sum := 0.0
		for j := range 3 {
			sum = sum + 0.6*cm[i][j]*(xd[i][j]-x[i])
		}
		if math.Float64bits(got.Couplings[0][i]) != math.Float64bits(sum) {
			t.Errorf("node %d: coupling %v, want %v", i, got.Couplings[0][i], sum)
		}
	}
	// w is per node: it must be loaded in the node prologue, not the member prologue
	var inNode bool
	for _, in := range p.Node {
		inNode = inNode || in.Op == OpParam && in.Ref == int32(m.Param("w"))
	}
	if !inNode {
		t.Errorf("per-node parameter w is not loaded in the node prologue:\n%s", p)
	}
	progCheckModel(t, m, nil, -1, 1)
}

func TestProgramTables(t *testing.T) {
	m := progCompile(t, "tabtest.nm", progTabTest, Options{})
	tables := []*TableData{progSmallTable(0), progSmallTable(1)}
	p := progCheckModel(t, m, tables, 0, 1)
	if len(p.Pre) == 0 {
		t.Errorf("exp(u) in the summand of S should be computed once per step, in Pre:\n%s", p)
	}
	if len(m.Delays) == 0 {
		t.Fatalf("tabtest has no delayed read")
	}
	// the derivative lookups only the Jacobian builds
	g := m.G
	nu, nv := g.Leaf(OpNew, m.State("u")), g.Leaf(OpNew, m.State("v"))
	m.Outputs = append(m.Outputs,
		Output{Name: "dF_dmu", Expr: g.Op(OpLookupDRow, g.Op(OpMul, nu, g.Const(4)), g.Op(OpAdd, nv, g.Const(2)))},
		Output{Name: "dG_dsigma", Expr: g.Op(OpLookupDCol, g.Op(OpMul, nu, g.Const(4)), g.Op(OpMul, nv, g.Const(5)))})
	progCheckModel(t, m, tables, 0, 1)
}

// progModelFiles returns the built-in models and the documentation's example.
func progModelFiles(t *testing.T) []string {
	files, err := filepath.Glob("../../models/*.nm")
	if err != nil {
		t.Fatal(err)
	}
	more, _ := filepath.Glob("../../docs/*.nm")
	return append(files, more...)
}

func TestProgramBuiltinModels(t *testing.T) {
	files := progModelFiles(t)
	if len(files) == 0 {
		t.Skip("no model files")
	}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		name := strings.TrimSuffix(filepath.Base(f), ".nm")
		m, err := Compile(filepath.Base(f), string(src), Options{})
		if err != nil {
			t.Logf("%s does not compile yet, skipped: %v", name, err)
			continue
		}
		opts := []Options{{}}
		for _, s := range m.Switches {
			for _, o := range s.Options {
				if o != s.Default {
					opts = append(opts, Options{Switches: map[string]string{s.Name: o}})
				}
			}
		}
		for _, opt := range opts {
			sub := name
			for k, v := range opt.Switches {
				sub += "/" + k + "=" + v
			}
			t.Run(sub, func(t *testing.T) {
				m := progCompile(t, filepath.Base(f), string(src), opt)
				tables := make([]*TableData, len(m.Tables))
				for k := range tables {
					tables[k] = progSynthTable(k)
				}
				lo, hi := -1.0, 1.0
				if len(tables) > 0 {
					lo = 0 // keep the table arguments (square roots of variances) real
				}
				p := progCheckModel(t, m, tables, lo, hi)
				sched := len(m.G.Schedule(m.Roots()...))
				t.Logf("%s: %d registers, %d instructions, %d scheduled nodes, member live %d, node live %d",
					name, p.NumRegs, p.NumInstrs(), sched, len(p.MemberLive), len(p.NodeLive))
				if sched > 60 && p.NumRegs >= sched {
					t.Errorf("%s: %d registers for %d scheduled nodes: registers are not reused", name, p.NumRegs, sched)
				}
			})
		}
	}
}

func TestProgramRegisterReuse(t *testing.T) {
	m := progCompile(t, "tabtest.nm", progTabTest, Options{})
	p := progProgram(t, m)
	sched := len(m.G.Schedule(m.Roots()...))
	if p.NumRegs >= sched || p.NumRegs >= p.NumInstrs() {
		t.Errorf("%d registers for %d scheduled nodes and %d instructions", p.NumRegs, sched, p.NumInstrs())
	}
	// every register is written before it is read, within the order of the phases
	written := make([]bool, p.NumRegs)
	read := func(code []Instr) {
		for _, in := range code {
			for _, r := range []int32{in.A, in.B, in.C} {
				if r >= 0 && !written[r] {
					t.Errorf("r%d read before it is written", r)
				}
			}
			written[in.Dst] = true
		}
	}
	read(p.Member)
	read(p.Node)
	read(p.Pre)
	for _, c := range p.Couplings {
		written[c.Acc] = true
		read(c.Body)
	}
	read(p.Step)
	read(p.After)
	read(p.Out)
}

func TestProgramString(t *testing.T) {
	const src = `
model tiny
param a = 2
param b = 1 per node
noise xi
state x = 0
coupling c = sum_j(C_ij * x[j] * exp(x))
d x/dt = -a * x + b + c + 0.5 * xi
after x = clamp(x, -1, 1)
output x
output y = x * a
bold = x + 1
`
	m := progCompile(t, "tiny.nm", src, Options{})
	p := progProgram(t, m)
	want := `program tiny: 12 registers, 27 instructions
member (once per member):
	r0 = dt
	r1 = param a
	r2 = -r1
	r3 = const 0.5
	r4 = sqrt(r0)
	r3 = r3 * r4
	r4 = const -1
	r5 = const 1
node (once per member and node):
	r6 = param b
pre (every step):
	r7 = state x
	r8 = exp(r7)
coupling c (r9 = +0; for j = 0 .. N-1):
	r10 = C_ij
	r11 = remote x[j]
	r10 = r10 * r11
	r10 = r10 * r8
	r9 = r9 + r10
step:
	r8 = r2 * r7
	r8 = r8 + r6
	r8 = r8 + r9
	r8 = r0 * r8
	r7 = r7 + r8
	r8 = noise xi
	r8 = r3 * r8
	r7 = r7 + r8
after:
	r7 = clamp(r7, r4, r5)
out:
	r8 = r7 * r1
	r9 = r7 + r5
new: x=r7
outputs: x=r7 y=r8
bold: r9
member live: r0 r1 r2 r3 r4 r5
node live: r6
`
	if got := p.String(); got != want {
		t.Errorf("listing:\n%s\nwant:\n%s", got, want)
	}
	progCheckModel(t, m, nil, -1, 1)
}

func TestProgApplyMatchesEvalNode(t *testing.T) {
	vals := []float64{0, math.Copysign(0, -1), 1, -1, 0.5, 2.5, -3.7, 7, math.Inf(1), math.Inf(-1), math.NaN(),
		5e-324, 1e308, math.Pi}
	g := NewGraph()
	for op := OpNeg; op <= OpNot; op++ {
		for _, a := range vals {
			for _, b := range vals {
				for _, c := range vals {
					in := []float64{a, b, c}
					want := g.evalNode(Node{Op: op, A: 0, B: 1, C: 2}, func(id ID) float64 { return in[id] })
					got := progApply(op, a, b, c)
					if math.Float64bits(got) != math.Float64bits(want) {
						t.Fatalf("%v(%v, %v, %v) = %v, evalNode gives %v", op, a, b, c, got, want)
					}
				}
			}
		}
	}
}

func TestProgApply32(t *testing.T) {
	// every operation is the float64 one on the float32 arguments, rounded once to float32: for
	// + - * / and sqrt that is the IEEE single-precision operation (53 >= 2*24+2 bits)
	vals := []float32{0, float32(math.Copysign(0, -1)), 1, -1, 0.5, 2.5, -3.7, 7, float32(math.Inf(1)),
		float32(math.Inf(-1)), 1e-45, 3e38, math.Pi, 0.1}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 200 {
		vals = append(vals, float32(rng.NormFloat64()*10))
	}
	for op := OpNeg; op <= OpNot; op++ {
		for i, a := range vals {
			for _, b := range vals {
				c := vals[(i*7)%len(vals)]
				got := progApply32(op, a, b, c)
				want := float32(progApply(op, float64(a), float64(b), float64(c)))
				if got != want && !(got != got && want != want) {
					t.Fatalf("%v(%v, %v, %v) = %v, want %v", op, a, b, c, got, want)
				}
			}
		}
	}
	nan := float32(math.NaN())
	if v := progApply32(OpMin, nan, 1, 0); v == v {
		t.Errorf("min(NaN, 1) = %v, want NaN (GLSL's y < x ? y : x)", v)
	}
	if v := progApply32(OpClamp, nan, 0, 1); v == v {
		t.Errorf("clamp(NaN, 0, 1) = %v, want NaN", v)
	}
}

func TestProgLookup32(t *testing.T) {
	tab := progSynthTable(1)
	rng := rand.New(rand.NewPCG(3, 4))
	for range 2000 {
		y, x := -1.5+6*rng.Float64(), -0.5+6*rng.Float64()
		y32, x32 := float32(y), float32(x)
		for _, op := range []Op{OpLookup, OpLookupDRow, OpLookupDCol} {
			got := float64(progLookup32(tab, op, y32, x32))
			want := progLookup(tab, op, float64(y32), float64(x32))
			tol := 1e-5 * (1 + math.Abs(want))
			if op != OpLookup {
				tol = 1e-3 * (1 + math.Abs(want)) // differences of neighbouring values lose digits
			}
			if math.Abs(got-want) > tol {
				t.Fatalf("%v(%v, %v): float32 %v, float64 %v", op, y32, x32, got, want)
			}
		}
	}
	// at grid points and outside the grid a lookup is the stored value, rounded
	for _, p := range [][2]float64{{-1, 0}, {-0.5, 1.2}, {-7, -7}, {9, 9}, {3.95, 4.9}} {
		got := progLookup32(tab, OpLookup, float32(p[0]), float32(p[1]))
		if want := float32(tab.Lookup(p[0], p[1])); math.Abs(float64(got-want)) > 1e-7 {
			t.Errorf("lookup at %v: %v, want %v", p, got, want)
		}
	}
	nan := math.NaN()
	for _, op := range []Op{OpLookup, OpLookupDRow, OpLookupDCol} {
		if v := progLookup(tab, op, nan, 1); v == v {
			t.Errorf("%v(NaN, 1) = %v, want NaN", op, v)
		}
		if v := progLookup32(tab, op, float32(nan), 1); v == v {
			t.Errorf("float32 %v(NaN, 1) = %v, want NaN", op, v)
		}
	}
	if v := progLookup(tab, OpLookupDRow, 10, nan); v != 0 {
		t.Errorf("d/dmu outside the rows at NaN sigma = %v, want 0 as LookupD gives", v)
	}
	if v := progLookup32(tab, OpLookupDCol, float32(nan), 10); v != 0 {
		t.Errorf("float32 d/dsigma outside the columns at NaN mu = %v, want 0", v)
	}
}

func TestProgramErrors(t *testing.T) {
	const src = `
model bad
param a = 1
input I = 0
noise xi
state x = 0
state y = 0
coupling c = sum_j(C_ij * x[j])
d x/dt = -a * x + c + I + xi
y := x
output x
bold = x
`
	cases := []struct {
		name, want string
		edit       func(m *Model, g *Graph)
	}{
		{"uniform in step", "uniform", func(m *Model, g *Graph) {
			m.States[0].Next = g.Op(OpAdd, m.States[0].Next, g.Uniform(g.Const(0), g.Const(1)))
		}},
		{"C_ij in step", "only a coupling summand", func(m *Model, g *Graph) {
			m.States[1].Next = g.Op(OpMul, m.States[1].Next, g.Leaf(OpConn, 0))
		}},
		{"remote in output", "remote x[j]", func(m *Model, g *Graph) { m.Outputs[0].Expr = g.Leaf(OpRemote, 0) }},
		{"new in step", "the new value of state x", func(m *Model, g *Graph) {
			m.States[1].Next = g.Op(OpAdd, m.States[1].Next, g.Leaf(OpNew, 0))
		}},
		{"new in summand", "coupling c reads the new value", func(m *Model, g *Graph) {
			m.Couplings[0].Sum = g.Op(OpAdd, m.Couplings[0].Sum, g.Leaf(OpNew, 0))
		}},
		{"coupling in summand", "which a coupling summand cannot read", func(m *Model, g *Graph) {
			m.Couplings[0].Sum = g.Op(OpMul, m.Couplings[0].Sum, g.Leaf(OpCoupling, 0))
		}},
		{"input in summand", "input I", func(m *Model, g *Graph) {
			m.Couplings[0].Sum = g.Op(OpMul, m.Couplings[0].Sum, g.Leaf(OpInput, 0))
		}},
		{"other state in after", "only its own state (x)", func(m *Model, g *Graph) {
			m.States[0].After = g.Op(OpAdd, g.Leaf(OpNew, 0), g.Leaf(OpNew, 1))
		}},
		{"noise in after", "noise xi", func(m *Model, g *Graph) { m.States[0].After = g.Leaf(OpNoise, 0) }},
		{"old state in output", "read the new values", func(m *Model, g *Graph) { m.Outputs[0].Expr = g.Leaf(OpState, 0) }},
		{"uniform in bold", "the bold input reads uniform", func(m *Model, g *Graph) {
			m.Bold = g.Uniform(g.Const(0), g.Const(1))
		}},
		{"param out of range", "parameter 9", func(m *Model, g *Graph) {
			m.States[1].Next = g.Op(OpAdd, m.States[1].Next, g.Leaf(OpParam, 9))
		}},
		{"table out of range", "table 0", func(m *Model, g *Graph) {
			m.States[1].Next = g.Op(OpLookup, m.States[1].Next, m.States[1].Next)
		}},
		{"no update", "the update of state y is the invalid node -1", func(m *Model, g *Graph) { m.States[1].Next = NoID }},
		{"bad bold", "the bold input is the invalid node", func(m *Model, g *Graph) { m.Bold = 100000 }},
		{"forward argument", "expected an earlier node", func(m *Model, g *Graph) {
			g.Nodes = append(g.Nodes, Node{Op: OpNeg, A: ID(len(g.Nodes) + 3), B: NoID, C: NoID})
		}},
		{"unknown op", "unknown operation", func(m *Model, g *Graph) {
			g.Nodes = append(g.Nodes, Node{Op: numOps, A: NoID, B: NoID, C: NoID})
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := progCompile(t, "bad.nm", src, Options{})
			progProgram(t, m) // valid before the edit
			tc.edit(m, m.G)
			p, err := m.Program()
			if err == nil {
				t.Fatalf("no error, program:\n%s", p)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q, want it to mention %q", err, tc.want)
			}
		})
	}
	if _, err := (*Model)(nil).Program(); err == nil {
		t.Errorf("nil model: no error")
	}
	if _, err := (&Model{Name: "x"}).Program(); err == nil {
		t.Errorf("model without graph: no error")
	}
}

func TestProgramExecErrors(t *testing.T) {
	m := progCompile(t, "tabtest.nm", progTabTest, Options{})
	p := progProgram(t, m)
	good := func() *ProgEnv {
		return progEnvs(m, 3, 2, 1, 0, 1, []*TableData{progSmallTable(0), progSmallTable(1)})[0]
	}
	if _, err := p.Exec(3, good()); err != nil {
		t.Fatalf("valid environment: %v", err)
	}
	cases := []struct {
		name, want string
		lanes      int
		edit       func(e *ProgEnv)
	}{
		{"negative lanes", "lanes", -1, func(e *ProgEnv) {}},
		{"missing parameter", "parameter", 3, func(e *ProgEnv) { e.Params = e.Params[:1] }},
		{"short state", "state 0 for 3 lanes", 3, func(e *ProgEnv) { e.State[0] = e.State[0][:2] }},
		{"missing input", "input", 3, func(e *ProgEnv) { e.Inputs = nil }},
		{"missing noise", "noise", 3, func(e *ProgEnv) { e.Noise = nil }},
		{"missing delayed", "delayed", 3, func(e *ProgEnv) { e.Delayed = nil }},
		{"missing table", "table 1", 3, func(e *ProgEnv) { e.Tables = e.Tables[:1] }},
		{"bad table", "values", 3, func(e *ProgEnv) { e.Tables[0] = &TableData{Row: Axis{N: 1}, Col: Axis{N: 1}} }},
		{"no Conn", "Conn", 3, func(e *ProgEnv) { e.Conn = nil }},
		{"no Remote", "Remote", 3, func(e *ProgEnv) { e.Remote = nil }},
		{"negative N", "nodes", 3, func(e *ProgEnv) { e.N = -1 }},
	}
	for _, tc := range cases {
		e := good()
		tc.edit(e)
		if _, err := p.Exec(tc.lanes, e); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want it to mention %q", tc.name, err, tc.want)
		}
		if _, err := p.Exec32(tc.lanes, e); err == nil {
			t.Errorf("%s: Exec32 gives no error", tc.name)
		}
	}
	if _, err := p.Exec(3, nil); err == nil {
		t.Errorf("nil environment: no error")
	}
	if out, err := p.Exec(0, good()); err != nil || len(out.New) != len(m.States) || len(out.New[0]) != 0 {
		t.Errorf("zero lanes: %v, %v", out, err)
	}
}
