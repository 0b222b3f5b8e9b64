package engine

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/neuromass/neuromass/engine/eqn"
)

// toySrc is a small model for the engine's own tests: three noise sources with separate
// coefficients (so that each can be on or off), a per-node parameter, a local delay, an input, a
// network coupling and a random initial value.
const toySrc = `model toy "engine test model"

param s1 = 0 [1] in [0, inf) "intensity of n1"
param s2 = 0 [1] in [0, inf) "intensity of n2"
param s3 = 0 [1] in [0, inf) "intensity of n3"
param g = 1 [1] per node "gain of the network input"
param d = 0.3 [ms] in [0, inf) "local delay"
param tau = 10 [ms] in (0, inf) "time constant"

option self_delay = d

input u = 0 [1] "external input"

noise n1, n2, n3 "white noise"

state x [1] "activity"
state z [1] "a second state"

init x = uniform(0, 1)
init z = 2 * uniform(-1, 1)

coupling net = sum_j(C_ij * x[j])

d x/dt = (-x + g * net + u + delayed(x, d)) / tau + s1 * n1 + s2 * n2 + s3 * n3
d z/dt = -z / tau

output x [1] default "activity"
output z [1] "second state"
`

func toyModel(t *testing.T) *eqn.Model {
	t.Helper()
	m, err := eqn.Compile("toy.nm", toySrc, eqn.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestParseModeAndPrecision(t *testing.T) {
	for s, want := range map[string]Mode{"": Default, "default": Default, "compat": Compat, "COMPAT": Compat} {
		if got, err := ParseMode(s); err != nil || got != want {
			t.Errorf("ParseMode(%q) = %v, %v; expected %v", s, got, err, want)
		}
	}
	if _, err := ParseMode("neurolib"); err == nil || !strings.Contains(err.Error(), `"neurolib"`) {
		t.Errorf("ParseMode(neurolib): error %v, expected one naming it", err)
	}
	for s, want := range map[string]Precision{"": F64, "f64": F64, "float64": F64, "F32": F32, "float32": F32} {
		if got, err := ParsePrecision(s); err != nil || got != want {
			t.Errorf("ParsePrecision(%q) = %v, %v; expected %v", s, got, err, want)
		}
	}
	if _, err := ParsePrecision("f16"); err == nil || !strings.Contains(err.Error(), `"f16"`) {
		t.Errorf("ParsePrecision(f16): error %v, expected one naming it", err)
	}
	// String and Parse round trip; unknown values print their number
	for _, m := range []Mode{Default, Compat} {
		if got, _ := ParseMode(m.String()); got != m {
			t.Errorf("ParseMode(%v.String()) = %v", m, got)
		}
	}
	for _, p := range []Precision{F64, F32} {
		if got, _ := ParsePrecision(p.String()); got != p {
			t.Errorf("ParsePrecision(%v.String()) = %v", p, got)
		}
	}
	if s := Mode(5).String(); s != "mode(5)" {
		t.Errorf("Mode(5) = %q", s)
	}
	if s := Precision(5).String(); s != "precision(5)" {
		t.Errorf("Precision(5) = %q", s)
	}
}

// TestSpecDefaults: the zero values mean one member, dt 0.1, 2000 ms, a single node, seed 0 for
// every member.
func TestSpecDefaults(t *testing.T) {
	s := Spec{Model: toyModel(t)}
	if s.members() != 1 || s.dt() != 0.1 || s.duration() != 2000 {
		t.Errorf("defaults: %d members, dt %v, duration %v", s.members(), s.dt(), s.duration())
	}
	if n := s.network(); n.N != 1 || len(n.Weights) != 1 || n.Weights[0] != 0 {
		t.Errorf("default network %+v, expected a single node", n)
	}
	if err := s.check(); err != nil {
		t.Errorf("zero spec: %v", err)
	}
	s.Members = 3
	s.Seed = 5
	if got := s.seeds(); !slices.Equal(got, []uint64{5, 5, 5}) {
		t.Errorf("seeds = %v, expected the seed for each member", got)
	}
	s.MemberSeeds = []uint64{1, 2, 3}
	if got := s.seeds(); !slices.Equal(got, []uint64{1, 2, 3}) {
		t.Errorf("seeds = %v, expected the member seeds", got)
	}
	// a default-mode seed may use all 64 bits; compat is NumPy's 32-bit seed
	s.MemberSeeds = nil
	s.Seed = 1 << 40
	if err := s.check(); err != nil {
		t.Errorf("default mode, seed 2^40: %v", err)
	}
	s.Mode = Compat
	if err := s.check(); err == nil || !strings.Contains(err.Error(), "2^32") {
		t.Errorf("compat mode, seed 2^40: error %v", err)
	}
	s.Seed = 1<<32 - 1
	if err := s.check(); err != nil {
		t.Errorf("compat mode, seed 2^32-1: %v", err)
	}
}

// TestParamTable: the layouts Spec.Params accepts and how they land in the plan's [param] vectors
// (member-level: E values; per node: N*E, [node][member] with the member fastest).
func TestParamTable(t *testing.T) {
	m := toyModel(t)
	const N, E = 3, 2
	ip := func(name string) int {
		i := m.Param(name)
		if i < 0 {
			t.Fatalf("toy has no parameter %s", name)
		}
		return i
	}
	get := func(set map[string][]float64, name string) []float64 {
		t.Helper()
		tab, err := paramTable(m, set, N, E, false)
		if err != nil {
			t.Fatal(err)
		}
		return tab[ip(name)]
	}
	if got := get(nil, "tau"); !slices.Equal(got, []float64{10, 10}) {
		t.Errorf("default tau = %v", got)
	}
	if got := get(nil, "g"); !slices.Equal(got, []float64{1, 1, 1, 1, 1, 1}) {
		t.Errorf("default g (per node) = %v", got)
	}
	if got := get(map[string][]float64{"tau": {4}}, "tau"); !slices.Equal(got, []float64{4, 4}) {
		t.Errorf("one tau = %v", got)
	}
	if got := get(map[string][]float64{"tau": {4, 5}}, "tau"); !slices.Equal(got, []float64{4, 5}) {
		t.Errorf("tau per member = %v", got)
	}
	// per node: one per member, one per node, members x nodes
	if got := get(map[string][]float64{"g": {7, 8}}, "g"); !slices.Equal(got, []float64{7, 8, 7, 8, 7, 8}) {
		t.Errorf("g per member = %v, expected [node][member]", got)
	}
	if got := get(map[string][]float64{"g": {1, 2, 3}}, "g"); !slices.Equal(got, []float64{1, 1, 2, 2, 3, 3}) {
		t.Errorf("g per node = %v, expected [node][member]", got)
	}
	// given [member][node] = {{1,2,3},{4,5,6}}: stored [node][member]
	if got := get(map[string][]float64{"g": {1, 2, 3, 4, 5, 6}}, "g"); !slices.Equal(got, []float64{1, 4, 2, 5, 3, 6}) {
		t.Errorf("g members x nodes = %v, expected [node][member]", got)
	}
	// useDefaultsOnly ignores what is set (compat initial conditions)
	tab, err := paramTable(m, map[string][]float64{"tau": {4}}, N, E, true)
	if err != nil || tab[ip("tau")][0] != 10 {
		t.Errorf("defaults only: tau = %v, %v", tab[ip("tau")], err)
	}
	// errors name the parameter, the count and the accepted counts, or the value and where it is
	for _, c := range []struct {
		set   map[string][]float64
		words []string
	}{
		{map[string][]float64{"tau": {1, 2, 3}}, []string{"tau", "3 values", "1 or 2"}},
		{map[string][]float64{"g": {1, 2, 3, 4}}, []string{"g", "4 values", "2 (one per member), 3 (one per node) or 6"}},
		{map[string][]float64{"tau": {1, 0}}, []string{"tau", "0", "(0, inf)", "member 1"}},
		{map[string][]float64{"s2": {-1}}, []string{"s2", "-1", "[0, inf)"}},
		{map[string][]float64{"d": {math.Inf(1)}}, []string{"d", "+Inf"}},
		{map[string][]float64{"g": {1, 2, 3, 4, math.NaN(), 6}}, []string{"g", "NaN", "member 1, node 1"}},
	} {
		_, err := paramTable(m, c.set, N, E, false)
		if err == nil {
			t.Errorf("%v: no error", c.set)
			continue
		}
		for _, w := range c.words {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%v: error %q does not contain %q", c.set, err, w)
			}
		}
	}
	// E == N: a list of that length is one per member, not one per node
	tab, err = paramTable(m, map[string][]float64{"g": {1, 2}}, 2, 2, false)
	if err != nil || !slices.Equal(tab[ip("g")], []float64{1, 2, 1, 2}) {
		t.Errorf("N = E = 2, g = {1, 2}: %v, %v; expected one value per member", tab[ip("g")], err)
	}
}

// TestSpecCheckNames: unknown names are errors that list or suggest the known ones.
func TestSpecCheckNames(t *testing.T) {
	m := toyModel(t)
	for _, c := range []struct {
		spec  Spec
		words []string
	}{
		{Spec{Model: m, Params: map[string][]float64{"TAU": {1}}}, []string{`"TAU"`, "did you mean tau?"}},
		{Spec{Model: m, Params: map[string][]float64{"sigma": {1}}}, []string{`"sigma"`, "s1, s2, s3, g, d, tau"}},
		{Spec{Model: m, Inputs: map[string]InputArray{"v": Scalar(1)}}, []string{`no input "v"`, "(it has u)"}},
		{Spec{Model: m, Record: []string{"x", "y"}}, []string{`no output "y"`, "x, z"}},
		{Spec{Model: m, Tables: map[string]*eqn.TableData{"r": {}}}, []string{`table "r"`, "toy"}},
		{Spec{Model: m, Members: 2, MemberSeeds: []uint64{1}}, []string{"1 member seeds for 2 members"}},
		{Spec{Model: m, Dt: math.Copysign(0, -1)}, []string{"dt = -0"}},
		{Spec{Model: m, Chunk: -1}, []string{"chunk = -1"}},
	} {
		err := c.spec.check()
		if err == nil {
			t.Errorf("%+v: no error", c.words)
			continue
		}
		for _, w := range c.words {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("error %q does not contain %q", err, w)
			}
		}
	}
	if got := suggest("q", nil); got != " (it has none)" {
		t.Errorf("suggest with no names = %q", got)
	}
}
