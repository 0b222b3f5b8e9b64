package enginetest

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/neuromass/neuromass/cpu"
	"github.com/neuromass/neuromass/engine"
	"github.com/neuromass/neuromass/engine/eqn"
	"github.com/neuromass/neuromass/models"
	"github.com/neuromass/neuromass/models/alntable"
)

// Options says what Run checks. The zero value compares a float64 backend with the CPU backend in
// float64, bit for bit for every model, over the whole grid.
type Options struct {
	// Precision is what the backend under test is asked for.
	Precision engine.Precision
	// Reference is the backend compared against (nil: cpu.New()), run at ReferencePrecision.
	Reference          engine.Backend
	ReferencePrecision engine.Precision
	// Exact says which models must agree bit for bit; nil means every model when both precisions
	// are equal and none otherwise. ExactAll and ExactArithmetic are ready-made choices.
	Exact func(m *eqn.Model) bool
	// Tolerance gives the tolerance of a model not compared exactly (nil, or a zero Rel returned:
	// DefaultTolerance).
	Tolerance func(m *eqn.Model) Tolerance
	// Models are the model names to run (built-in names, or UserModel's name "user"); nil: every
	// built-in model and the user model.
	Models []string
	// Members and Nodes are the grid; nil: the package doc's (its -short subset under -short).
	Members, Nodes []int
	// Duration is the simulated time per case in ms; 0: 20 ms (5 ms under -short).
	Duration float64
	// Dt is the step in ms; 0: 0.1.
	Dt float64
	// Period, when set, names outputs and states that are angles: compared modulo the period it
	// returns (0: not an angle), since float32 and float64 may wrap a phase near 2*pi on different
	// steps (Kuramoto's theta). Exact comparisons ignore it.
	Period func(m *eqn.Model, name string) float64
}

// AnglePeriod is a ready-made Options.Period: 2*pi for Kuramoto's theta, else 0.
func AnglePeriod(m *eqn.Model, name string) float64 {
	if m.Name == "kuramoto" && name == "theta" {
		return 2 * math.Pi
	}
	return 0
}

// Tolerance is a relative tolerance, against the largest magnitude of the reference's values of
// each output (and state), with the reason it is what it is.
type Tolerance struct {
	Rel    float64
	Reason string
}

// ExactAll demands bit-for-bit agreement for every model.
func ExactAll(*eqn.Model) bool { return true }

// ExactArithmetic demands bit-for-bit agreement for the models whose step uses only operations
// that IEEE 754 rounds correctly and that every backend computes the same way (+ - * / sqrt,
// negation, comparisons, select, min, max, clamp, abs, floor, table lookups, which are built of
// + - * / floor): aln, hopf, fhn and the user model. exp, log, pow, sin, cos, tan, tanh and mod
// are left to each platform's library, which may differ in the last bit.
func ExactArithmetic(m *eqn.Model) bool {
	p, err := m.Program()
	if err != nil {
		return false
	}
	codes := [][]eqn.Instr{p.Member, p.Node, p.Pre, p.Step, p.After, p.Out}
	for _, c := range p.Couplings {
		codes = append(codes, c.Body)
	}
	for _, code := range codes {
		for _, in := range code {
			switch in.Op {
			case eqn.OpPow, eqn.OpExp, eqn.OpLog, eqn.OpSin, eqn.OpCos, eqn.OpTan, eqn.OpTanh, eqn.OpMod:
				return false
			}
		}
	}
	return true
}

// DefaultTolerance is the tolerance Run uses when Options.Tolerance gives none.
func DefaultTolerance(prec, ref engine.Precision) Tolerance {
	switch {
	case prec == engine.F64 && ref == engine.F64:
		return Tolerance{1e-12, "float64 against float64: only the last bits of library functions (exp, sin, pow) may differ, and a short run does not amplify them past 1e-12"}
	case prec == ref:
		return Tolerance{1e-4, "float32 against float32: library functions (GLSL exp, sin, pow) are not correctly rounded; an ulp (6e-8) per call grows over the run's steps"}
	}
	return Tolerance{2e-3, "float32 against float64: every operation rounds to 24 bits (6e-8 relative) and the noise is Normal32, not Normal64; over 20 ms of integration with delayed coupling the differences stay below 2e-3 of each trace's scale (measured worst: see cpu's conformance test)"}
}

// UserModelSource is the text of the user model Run compiles at run time ("user"): a model the
// built-in ones do not cover, using only + - * / sqrt, with an additive delayed coupling through a
// nonlinear function of x[j], a local delay and noise.
const UserModelSource = `model user "damped oscillators with a saturating delayed coupling (enginetest)"

param k = 0.4 [1/ms] in [0, inf) "coupling strength"
param g = 0.05 [1/ms] in [0, inf) "damping"
param w2 = 0.04 [1/ms^2] in (0, inf) "squared angular frequency"
param tau_ou = 5.0 [ms] in (0, inf) "time constant of the OU noise"
param sigma_ou = 0.0 [1/ms/sqrt(ms)] in [0, inf) "intensity of the OU noise"
param lag = 1.5 [ms] in [0, inf) "delay of the self feedback"

input u_ext = 0.0 [1/ms] "external input"
noise xi "white noise"

state u [1] "position"
state v [1/ms] "velocity"
state n [1/ms] "OU noise"

init u = 0.5 * uniform(-1, 1)
init v = 0
init n = 0

coupling net = sum_j(k * C_ij * u[j] / sqrt(1 + u[j] * u[j]))

d u/dt = v
d v/dt = -w2 * u - g * v + net - 0.01 * delayed(u, lag) + n + u_ext
d n/dt = -n / tau_ou + sigma_ou * xi

output u [1] default "position"
output v [1/ms] "velocity"
`

// Model compiles a model of the suite by name: a built-in one, or "user".
func Model(name string) (*eqn.Model, error) {
	if name == "user" {
		return eqn.Compile("user.nm", UserModelSource, eqn.Options{})
	}
	return models.Compile(name, eqn.Options{})
}

// Network is the suite's N-node network: weights in [0, 1) and fibre lengths in [10, 100) mm at
// 20 mm/ms (delays of 5 to 50 steps at dt = 0.1 ms), drawn from a fixed seed; no self-connections.
func Network(N int) engine.Network {
	if N == 1 {
		return engine.SingleNode()
	}
	r := rand.New(rand.NewPCG(uint64(N), 7))
	net := engine.Network{N: N, Weights: make([]float64, N*N), Lengths: make([]float64, N*N), Speed: 20}
	for i := range N {
		for j := range N {
			if i != j {
				net.Weights[i*N+j] = r.Float64()
				net.Lengths[i*N+j] = 10 + 90*r.Float64()
			}
		}
	}
	return net
}

// Spec is the suite's spec of one case: model m on Network(N) with E members, default mode, every
// OU noise on (sigma_ou = 0.05). With an odd E every member has a seed of its own and the
// parameters K_gl, c_gl, mue_ext_mean and lag (those the model has) vary by member, which makes
// the coupling weights and the user model's local delay per member; with an even E the members
// share the seed and the parameters.
func Spec(m *eqn.Model, N, E int, duration, dt float64, prec engine.Precision) (engine.Spec, error) {
	s := engine.Spec{Model: m, Network: Network(N), Members: E, Duration: duration, Dt: dt,
		Precision: prec, Seed: 42, Params: map[string][]float64{}}
	if len(m.Tables) > 0 {
		t, err := alntable.Default()
		if err != nil {
			return s, err
		}
		s.Tables = map[string]*eqn.TableData{}
		for name, d := range t.Data() {
			if slices.ContainsFunc(m.Tables, func(x eqn.Table) bool { return x.Name == name }) {
				s.Tables[name] = d
			}
		}
	}
	if m.Param("sigma_ou") >= 0 {
		s.Params["sigma_ou"] = []float64{0.05}
	}
	if E%2 == 1 {
		s.MemberSeeds = make([]uint64, E)
		for mb := range E {
			s.MemberSeeds[mb] = 1000 + uint64(mb)*7919
		}
		for _, name := range []string{"K_gl", "c_gl", "mue_ext_mean", "lag"} {
			if i := m.Param(name); i >= 0 {
				v := make([]float64, E)
				for mb := range v {
					v[mb] = m.Params[i].Default * (1 + 0.2*float64(mb)/float64(E))
				}
				s.Params[name] = v
			}
		}
	}
	return s, nil
}

// Run runs the suite: every model of opt.Models on every (N, E) of the grid, with b and with the
// reference, and compares them (package doc).
func Run(t *testing.T, b engine.Backend, opt Options) {
	t.Helper()
	ref := opt.Reference
	if ref == nil {
		ref = cpu.New()
	}
	names := opt.Models
	if names == nil {
		names = append(models.Names(), "user")
	}
	members, nodes := opt.Members, opt.Nodes
	if members == nil {
		members = []int{1, 7, 32, 33, 64, 65, 257}
		if testing.Short() {
			members = []int{1, 7, 33}
		}
	}
	if nodes == nil {
		nodes = []int{1, 3, 80}
		if testing.Short() {
			nodes = []int{1, 3}
		}
	}
	dur := opt.Duration
	if dur == 0 {
		dur = 20
		if testing.Short() {
			dur = 5
		}
	}
	for _, name := range names {
		m, err := Model(name)
		if err != nil {
			t.Fatalf("model %s: %v", name, err)
		}
		exact := opt.Precision == opt.ReferencePrecision
		if opt.Exact != nil {
			exact = opt.Exact(m)
		}
		tol := DefaultTolerance(opt.Precision, opt.ReferencePrecision)
		if opt.Tolerance != nil {
			if v := opt.Tolerance(m); v.Rel > 0 {
				tol = v
			}
		}
		for _, N := range nodes {
			for _, E := range members {
				t.Run(fmt.Sprintf("%s/N%d/E%d", name, N, E), func(t *testing.T) {
					runCase(t, b, ref, m, N, E, dur, opt, exact, tol)
				})
			}
		}
	}
}

// runCase simulates one case on both backends and compares them.
func runCase(t *testing.T, b, ref engine.Backend, m *eqn.Model, N, E int, dur float64, opt Options, exact bool, tol Tolerance) {
	t.Helper()
	got, gotState, err := Simulate(b, m, N, E, dur, opt.Dt, opt.Precision)
	if err != nil {
		t.Fatalf("%s: %v", b.Name(), err)
	}
	want, wantState, err := Simulate(ref, m, N, E, dur, opt.Dt, opt.ReferencePrecision)
	if err != nil {
		t.Fatalf("reference %s: %v", ref.Name(), err)
	}
	if len(got.Diverged) != len(want.Diverged) {
		t.Fatalf("%d members diverged, the reference %d", len(got.Diverged), len(want.Diverged))
	}
	for k := range got.Diverged {
		if g, w := got.Diverged[k], want.Diverged[k]; g.Member != w.Member {
			t.Fatalf("member %d diverged, in the reference member %d", g.Member, w.Member)
		}
	}
	if len(got.Series) != len(want.Series) {
		t.Fatalf("%d outputs, the reference %d", len(got.Series), len(want.Series))
	}
	period := func(name string) float64 {
		if opt.Period == nil {
			return 0
		}
		return opt.Period(m, name)
	}
	checked := 0
	for k := range got.Series {
		g, w := &got.Series[k], &want.Series[k]
		checked += compare(t, "output "+g.Name, g.Data, w.Data, exact, tol, period(g.Name))
	}
	for i := range gotState {
		name := m.States[i].Name
		checked += compare(t, "final state "+name, gotState[i], wantState[i], exact, tol, period(name))
	}
	if checked == 0 {
		t.Fatal("nothing was compared")
	}
}

// compare checks got against want, bit for bit or within tol of want's largest magnitude (modulo
// period when it is positive), and returns the number of values compared.
func compare(t testing.TB, what string, got, want []float64, exact bool, tol Tolerance, period float64) int {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: %d values, the reference %d", what, len(got), len(want))
		return 0
	}
	if exact {
		for i, g := range got {
			w := want[i]
			if math.Float64bits(g) != math.Float64bits(w) && !(g != g && w != w) {
				t.Errorf("%s: value %d is %v (%#x), the reference %v (%#x); expected the same bits", what, i, g, math.Float64bits(g), w, math.Float64bits(w))
				return len(got)
			}
		}
		return len(got)
	}
	scale := 0.0
	for _, w := range want {
		if w == w {
			scale = max(scale, math.Abs(w))
		}
	}
	worst, at := 0.0, -1
	for i, g := range got {
		w := want[i]
		if (g != g) != (w != w) {
			t.Errorf("%s: value %d is %v, the reference %v", what, i, g, w)
			return len(got)
		}
		if g != g {
			continue
		}
		e := math.Abs(g - w)
		if period > 0 {
			e = math.Mod(e, period)
			e = min(e, period-e)
		}
		if scale > 0 {
			e /= scale
		}
		if e > worst {
			worst, at = e, i
		}
	}
	if worst > tol.Rel {
		t.Errorf("%s: value %d is %v, the reference %v: error %.3g of the trace's scale %.3g, more than the tolerance %.3g (%s)",
			what, at, got[at], want[at], worst, scale, tol.Rel, tol.Reason)
	}
	return len(got)
}

// Simulate runs the suite's case (Spec) on a backend and returns the result and the final state.
func Simulate(b engine.Backend, m *eqn.Model, N, E int, dur, dt float64, prec engine.Precision) (*engine.Result, [][]float64, error) {
	spec, err := Spec(m, N, E, dur, dt, prec)
	if err != nil {
		return nil, nil, err
	}
	sim, err := engine.New(spec, b)
	if err != nil {
		return nil, nil, err
	}
	defer sim.Close()
	res, err := sim.Run()
	if err != nil {
		return nil, nil, err
	}
	return res, sim.State(), nil
}
