package models

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/neuromass/neuromass/engine/eqn"
)

func TestCompileAll(t *testing.T) {
	names := Names()
	if len(names) == 0 {
		t.Fatal("no built-in models embedded")
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			m, err := Compile(name, eqn.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if m.Name != name {
				t.Errorf("model declares the name %q, its file is %s.nm", m.Name, name)
			}
			lintModel(t, m)
		})
	}
}

// lintModel checks the descriptor: every parameter documented, with a unit and a default inside its
// own range; states and outputs documented; exactly one default output.
func lintModel(t *testing.T, m *eqn.Model) {
	t.Helper()
	if m.Doc == "" {
		t.Errorf("model %s has no doc string", m.Name)
	}
	for i := range m.Params {
		p := &m.Params[i]
		if p.Doc == "" || p.Unit == "" {
			t.Errorf("param %s: unit %q, doc %q; both are required", p.Name, p.Unit, p.Doc)
		}
		if err := p.Check(p.Default); err != nil {
			t.Errorf("default outside its range: %v", err)
		}
	}
	for _, s := range m.States {
		if s.Doc == "" || s.Unit == "" {
			t.Errorf("state %s: unit %q, doc %q; both are required", s.Name, s.Unit, s.Doc)
		}
	}
	for _, in := range m.Inputs {
		if in.Doc == "" || in.Unit == "" {
			t.Errorf("input %s: unit %q, doc %q; both are required", in.Name, in.Unit, in.Doc)
		}
	}
	defaults := 0
	for _, o := range m.Outputs {
		if o.Doc == "" || o.Unit == "" {
			t.Errorf("output %s: unit %q, doc %q; both are required", o.Name, o.Unit, o.Doc)
		}
		if o.Default {
			defaults++
		}
	}
	if len(m.Outputs) == 0 || defaults != 1 {
		t.Errorf("model %s: %d outputs, %d marked default; want one default", m.Name, len(m.Outputs), defaults)
	}
}

// TestJansenRitExample compiles the language reference's worked example, which the project does not
// ship as a built-in.
func TestJansenRitExample(t *testing.T) {
	path := filepath.Join(repoRoot(t), "docs", "jansen-rit.nm")
	m, err := Load(path, eqn.Options{})
	if err != nil {
		t.Fatal(err)
	}
	lintModel(t, m)
	if IsBuiltin(m.Name) {
		t.Errorf("the worked example %q must not shadow a built-in model", m.Name)
	}
}

func TestSwitches(t *testing.T) {
	for _, name := range []string{"fhn", "hopf"} {
		for _, opt := range []string{"diffusive", "additive"} {
			m, err := Compile(name, eqn.Options{Switches: map[string]string{"coupling": opt}})
			if err != nil {
				t.Errorf("%s with coupling=%s: %v", name, opt, err)
				continue
			}
			if len(m.Switches) != 1 || m.Switches[0].Value != opt || m.Switches[0].Default != "diffusive" {
				t.Errorf("%s with coupling=%s: switches %+v", name, opt, m.Switches)
			}
		}
		if _, err := Compile(name, eqn.Options{Switches: map[string]string{"coupling": "multiplicative"}}); err == nil {
			t.Errorf("%s accepted coupling=multiplicative", name)
		}
	}
}

func TestSourceAndLoadErrors(t *testing.T) {
	_, err := Source("nosuchmodel")
	if err == nil || !strings.Contains(err.Error(), "nosuchmodel") || !strings.Contains(err.Error(), strings.Join(Names(), ", ")) {
		t.Errorf("Source of an unknown model: error %v should name it and list the built-in models", err)
	}
	for _, bad := range []string{"", "wc.nm", "../models/wc"} {
		if IsBuiltin(bad) {
			t.Errorf("IsBuiltin(%q) = true", bad)
		}
	}
	_, err = Load("nosuchmodel", eqn.Options{})
	if err == nil || !strings.Contains(err.Error(), "built-in") || !strings.Contains(err.Error(), "file") {
		t.Errorf("Load of an unknown name: error %v should say it is neither a built-in model nor a file", err)
	}
	m, err := Load("wc", eqn.Options{})
	if err != nil || m.Name != "wc" {
		t.Errorf("Load(wc) = %v, %v", m, err)
	}
	// a file path
	src, _ := Source("hopf")
	path := filepath.Join(t.TempDir(), "myhopf.nm")
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	if m, err := Load(path, eqn.Options{}); err != nil || m.Name != "hopf" {
		t.Errorf("Load(%s) = %v, %v", path, m, err)
	}
	// a compile error names the file
	bad := filepath.Join(t.TempDir(), "bad.nm")
	if err := os.WriteFile(bad, []byte("model bad\nstate v = 0\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(bad, eqn.Options{}); err == nil || !strings.Contains(err.Error(), "bad.nm") {
		t.Errorf("Load of a broken file: error %v should name the file", err)
	}
}

// repoRoot is the directory holding go.mod, found from the package directory upwards.
func repoRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found above the package directory")
		}
		dir = parent
	}
}

// ReferenceDir is neurolib's reference data, ../shared/reference/neurolib relative to the
// repository root; the test skips when it is absent. It is not part of the repository (CI provides
// it). Exported from this test file for the external test package (parity_test.go).
func ReferenceDir(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(repoRoot(t), "..", "shared", "reference", "neurolib")
	if _, err := os.Stat(filepath.Join(dir, "single")); err != nil {
		t.Skipf("neurolib reference data not available (%v); CI provides ../shared/reference", err)
	}
	return dir
}

// referenceDir is the single-node reference runs.
func referenceDir(t *testing.T) string { return filepath.Join(ReferenceDir(t), "single") }

// engineKeys are neurolib parameters that are engine-level settings in neuromass, not model
// parameters: integration step and length, the RNG seed, the network (node count, connectivity,
// fibre lengths, conduction speed), and metadata.
var engineKeys = []string{"dt", "duration", "seed", "N", "Cmat", "lengthMat", "signalV", "model", "name", "description"}

// skipKeys are, per model, neurolib parameters with no counterpart among the model's parameters,
// inputs and switches. Initial conditions (*_init arrays, and the OU states' initial values) are
// given by the model's init lines instead.
var skipKeys = map[string][]string{
	"aln": {
		// initial conditions of the states and of the OU inputs (init lines; OU starts at the means)
		"mufe_init", "mufi_init", "IA_init", "seem_init", "seim_init", "seev_init", "seiv_init",
		"siim_init", "siem_init", "siiv_init", "siev_init", "rates_exc_init", "rates_inh_init",
		"mue_ou", "mui_ou",
		// flags unused by neurolib's integrator
		"warn", "dosc_version", "fast_interp",
		// the distributed-delay and sigma-filter variants and the distributed delays' time
		// constants: left out of aln.nm (quirk Q15, models.md 3.8)
		"distr_delay", "filter_sigma", "tau_de", "tau_di",
		// the transfer-function tables and their grids: run-time table data, not parameters
		"Irange", "sigmarange", "dI", "ds", "precalc_r", "precalc_V", "precalc_tau_mu", "precalc_tau_sigma",
	},
	"fhn":      {"xs_init", "ys_init", "x_ou", "y_ou"},
	"hopf":     {"xs_init", "ys_init", "x_ou", "y_ou"},
	"kuramoto": {"theta_init", "theta_ou"},
	"thalamus": {
		"V_t_init", "V_r_init", "Ca_init", "h_T_t_init", "h_T_r_init", "m_h1_init", "m_h2_init",
		"s_et_init", "s_gt_init", "s_er_init", "s_gr_init", "ds_et_init", "ds_gt_init", "ds_er_init", "ds_gr_init",
		// drawn by neurolib but never used (quirk Q21); Q_t and Q_r are outputs here
		"Q_t_init", "Q_r_init",
	},
	"wc": {"exc_init", "inh_init", "exc_ou", "inh_ou"},
	"ww": {"ses_init", "sis_init", "exc_ou", "inh_ou"},
}

// extraNames are, per model, parameters, inputs and switches of the model that neurolib's
// parameter dictionary does not have. None so far: every one of them mirrors a neurolib parameter.
var extraNames = map[string][]string{}

// reference is the part of a neurolib sidecar JSON file the tests use.
type reference struct {
	ModelName     string         `json:"model_name"`
	StateVars     []string       `json:"state_vars"`
	OutputVars    []string       `json:"output_vars"`
	DefaultOutput string         `json:"default_output"`
	Params        map[string]any `json:"params"`
}

func loadReference(t *testing.T, name string) (*reference, bool) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(referenceDir(t), name+"_single_2000ms.json"))
	if os.IsNotExist(err) {
		return nil, false
	}
	if err != nil {
		t.Fatal(err)
	}
	var ref reference
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return &ref, true
}

// jsonScalar returns the value of a neurolib parameter as one number: a number, or an array (stored
// as {"__ndarray__": true, "data": [...]}) whose elements are all equal, such as omega = pi*ones(N).
func jsonScalar(v any) (float64, bool) {
	switch v := v.(type) {
	case float64:
		return v, true
	case map[string]any:
		if v["__ndarray__"] != true {
			return 0, false
		}
		data, ok := v["data"].([]any)
		if !ok || len(data) == 0 {
			return 0, false
		}
		first, ok := data[0].(float64)
		if !ok {
			return 0, false
		}
		for _, d := range data[1:] {
			if f, ok := d.(float64); !ok || math.Float64bits(f) != math.Float64bits(first) {
				return 0, false
			}
		}
		return first, true
	}
	return 0, false
}

func TestDefaultsMatchNeurolib(t *testing.T) {
	for _, name := range Names() {
		t.Run(name, func(t *testing.T) {
			ref, ok := loadReference(t, name)
			if !ok {
				if name != "rww" {
					t.Fatalf("no neurolib reference for %s; only rww has none", name)
				}
				t.Skip("no classic neurolib counterpart (see TestRWWDefaults)")
			}
			m, err := Compile(name, eqn.Options{})
			if err != nil {
				t.Fatal(err)
			}
			checkDefaults(t, m, ref)
			checkVariables(t, m, ref)
		})
	}
}

func checkDefaults(t *testing.T, m *eqn.Model, ref *reference) {
	skip := map[string]bool{}
	for _, k := range engineKeys {
		skip[k] = true
	}
	for _, k := range skipKeys[m.Name] {
		skip[k] = true
	}
	keys := make([]string, 0, len(ref.Params))
	for k := range ref.Params {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, key := range keys {
		v := ref.Params[key]
		p, in := m.Param(key), m.Input(key)
		sw := slices.IndexFunc(m.Switches, func(s eqn.Switch) bool { return s.Name == key })
		if skip[key] {
			if p >= 0 || in >= 0 || sw >= 0 {
				t.Errorf("%s is in the skip list but is a parameter, input or switch of the model: check it", key)
			}
			continue
		}
		switch {
		case sw >= 0:
			if s, ok := v.(string); !ok || s != m.Switches[sw].Default {
				t.Errorf("switch %s: default %q, neurolib %v", key, m.Switches[sw].Default, v)
			}
		case p >= 0 || in >= 0:
			want, ok := jsonScalar(v)
			if !ok {
				t.Errorf("%s: neurolib's value %.80v is not one number", key, v)
				continue
			}
			got, what := 0.0, "param"
			if p >= 0 {
				got = m.Params[p].Default
			} else {
				got, what = m.Inputs[in].Default, "input"
			}
			if got != want {
				t.Errorf("%s %s: default %v, neurolib %v", what, key, got, want)
			}
		default:
			t.Errorf("neurolib parameter %s is not a parameter, input or switch of the model and not in the skip list", key)
		}
	}
	extra := map[string]bool{}
	for _, k := range extraNames[m.Name] {
		extra[k] = true
	}
	var names []string
	for _, p := range m.Params {
		names = append(names, p.Name)
	}
	for _, in := range m.Inputs {
		names = append(names, in.Name)
	}
	for _, s := range m.Switches {
		names = append(names, s.Name)
	}
	for _, n := range names {
		if _, ok := ref.Params[n]; !ok && !extra[n] {
			t.Errorf("%s of the model is not a neurolib parameter and not in the allow-list", n)
		}
	}
}

// checkVariables compares the outputs with neurolib's output_vars (same names, same order, same
// default) and the states with its state_vars (same relative order; a neurolib state that is not a
// state here must be an output, like the thalamus' Q_t and Q_r).
func checkVariables(t *testing.T, m *eqn.Model, ref *reference) {
	var outs []string
	for _, o := range m.Outputs {
		outs = append(outs, o.Name)
	}
	if !slices.Equal(outs, ref.OutputVars) {
		t.Errorf("outputs %v, neurolib's output_vars %v", outs, ref.OutputVars)
	}
	if d := m.Outputs[m.DefaultOutput()].Name; d != ref.DefaultOutput {
		t.Errorf("default output %s, neurolib's %s", d, ref.DefaultOutput)
	}
	var states, refStates []string
	for _, s := range m.States {
		states = append(states, s.Name)
	}
	for _, s := range ref.StateVars {
		if m.State(s) >= 0 {
			refStates = append(refStates, s)
		} else if m.Output(s) < 0 {
			t.Errorf("neurolib state %s is neither a state nor an output of the model", s)
		}
	}
	if !slices.Equal(states, refStates) {
		t.Errorf("states %v, neurolib's state_vars order %v", states, refStates)
	}
}

// TestRWWDefaults checks the reduced Wong-Wang model, which has no classic neurolib counterpart and
// so no reference file, against the parameter table of models.md section 13.5 (neurolib's
// MultiModel ReducedWongWangNode), and its OU input against the MultiModel's default noise
// OU(mu = 0, sigma = 0, tau = 5 ms) of section 13.2.
func TestRWWDefaults(t *testing.T) {
	want := map[string]float64{
		// models.md 13.5
		"a": 0.27, "b": 0.108, "d": 154, "tau": 100, "gamma": 0.641, "w": 0.6, "J": 0.2609,
		"exc_current": 0.33, "lambda": 10,
		// models.md 13.2: the noise input OU(0, 0, 5)
		"tau_ou": 5, "sigma_ou": 0, "S_ou_mean": 0,
	}
	m, err := Compile("rww", eqn.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range m.Params {
		w, ok := want[p.Name]
		if !ok {
			t.Errorf("param %s is not in models.md 13.5", p.Name)
			continue
		}
		if p.Default != w {
			t.Errorf("param %s: default %v, models.md 13.5 says %v", p.Name, p.Default, w)
		}
		delete(want, p.Name)
	}
	for n := range want {
		t.Errorf("param %s of models.md 13.5 is missing", n)
	}
	if len(m.Inputs) != 0 || len(m.Switches) != 0 {
		t.Errorf("rww has inputs %v, switches %v; want none", m.Inputs, m.Switches)
	}
	var outs []string
	for _, o := range m.Outputs {
		outs = append(outs, o.Name)
	}
	if !slices.Equal(outs, []string{"S", "q_mean"}) || m.Outputs[m.DefaultOutput()].Name != "S" {
		t.Errorf("outputs %v (default %s), models.md 13.5: S (default), q_mean", outs, m.Outputs[m.DefaultOutput()].Name)
	}
}

func ExampleNames() {
	fmt.Println(Names())
	// Output: [aln fhn hopf kuramoto rww thalamus wc ww]
}
