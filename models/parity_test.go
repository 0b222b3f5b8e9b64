package models_test

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/neuromass/neuromass/engine/eqn"
	"github.com/neuromass/neuromass/internal/npz"
	"github.com/neuromass/neuromass/internal/testref"
	"github.com/neuromass/neuromass/models"
)

// TestNeurolibParity runs every classic built-in model as a single node (N = 1, Cmat = [[0]], so every
// coupling sum is 0; sigma_ou = 0, so every noise sample is 0; inputs at their defaults) with a
// plain Euler integrator written here, and compares every output at every step, and the final
// states, with neurolib's deterministic single-node reference runs
// (../shared/reference/neurolib/single/<model>_single_2000ms.{npz,json}, seed 42, 2000 ms). It
// checks the transcription of the .nm files: right-hand sides, defaults, init expressions, delays,
// after maps and outputs. The states neurolib draws at random start from the draws the reference
// run used (its param__*_init arrays); every other state starts from the model's own init
// expression, which must reproduce neurolib's value exactly where the reference stores it.
//
// The integrator follows models.md 2.3 and 2.7: history columns 0 .. S-1 hold the initial value
// repeated, S = max delay in steps + 1; step k writes column i = S + k from the old values (column
// i-1) and the delayed values (column i-1-d); the after maps apply to the new values, and the
// outputs are evaluated from them. The reference stores columns S .. S+T-1 (startindt = S).
func TestNeurolibParity(t *testing.T) {
	dir := models.ReferenceDir(t)
	for _, c := range parityCases {
		t.Run(c.model, func(t *testing.T) {
			t.Parallel()
			runParity(t, dir, c)
		})
	}
}

// parityCase says how to start a model from a reference run and how closely it must match.
type parityCase struct {
	model string
	// tol is the relative tolerance. aln, hopf and fhn use only + - * / sqrt and table lookups, all
	// correctly rounded in IEEE arithmetic in Go and in numba, so they must agree to rounding (in
	// practice bit for bit). wc, ww, kuramoto and thalamus call exp, sin or pow, where Go's math
	// package and glibc's libm may differ in the last bit; those differences are propagated by the
	// dynamics over thousands of steps, hence the looser tolerance.
	tol float64
	// drawn maps a state that neurolib initialises with random draws to the npz key (without
	// "param__") of the values the reference run drew; the run starts from those.
	drawn map[string]string
	// fixed maps a state whose model init is deterministic to the npz key of neurolib's initial
	// value: the model's init expression must reproduce it exactly.
	fixed map[string]string
}

var parityCases = []parityCase{
	{
		model: "aln", tol: 1e-9,
		drawn: map[string]string{
			"mufe": "mufe_init", "mufi": "mufi_init", "seem": "seem_init", "seim": "seim_init",
			"seev": "seev_init", "seiv": "seiv_init", "siim": "siim_init", "siem": "siem_init",
			"siiv": "siiv_init", "siev": "siev_init", "IA": "IA_init",
			"rates_exc": "rates_exc_init", "rates_inh": "rates_inh_init", // in Hz, like the model's rates
		},
		fixed: map[string]string{"mue_ou": "mue_ou", "mui_ou": "mui_ou"},
	},
	{
		model: "hopf", tol: 1e-9,
		drawn: map[string]string{"x": "xs_init", "y": "ys_init"},
		fixed: map[string]string{"x_ou": "x_ou", "y_ou": "y_ou"},
	},
	{
		model: "fhn", tol: 1e-9,
		drawn: map[string]string{"x": "xs_init", "y": "ys_init"},
		fixed: map[string]string{"x_ou": "x_ou", "y_ou": "y_ou"},
	},
	{
		model: "wc", tol: 1e-6,
		drawn: map[string]string{"exc": "exc_init", "inh": "inh_init"},
		fixed: map[string]string{"exc_ou": "exc_ou", "inh_ou": "inh_ou"},
	},
	{
		// r_exc and r_inh start at 0 (their history columns are 0, models.md 9); neurolib
		// stores no array for them.
		model: "ww", tol: 1e-6,
		drawn: map[string]string{"se": "ses_init", "si": "sis_init"},
		fixed: map[string]string{"exc_ou": "exc_ou", "inh_ou": "inh_ou"},
	},
	{
		model: "kuramoto", tol: 1e-6,
		drawn: map[string]string{"theta": "theta_init"},
		fixed: map[string]string{"theta_ou": "theta_ou"},
	},
	{
		model: "thalamus", tol: 1e-6,
		drawn: map[string]string{"V_t": "V_t_init", "V_r": "V_r_init"},
		fixed: map[string]string{
			"Ca": "Ca_init", "h_T_t": "h_T_t_init", "h_T_r": "h_T_r_init", "m_h1": "m_h1_init",
			"m_h2": "m_h2_init", "s_et": "s_et_init", "s_gt": "s_gt_init", "s_er": "s_er_init",
			"s_gr": "s_gr_init", "ds_et": "ds_et_init", "ds_gt": "ds_gt_init", "ds_er": "ds_er_init",
			"ds_gr": "ds_gr_init",
		},
	},
}

// parityMeta is the part of a reference run's JSON sidecar the test uses.
type parityMeta struct {
	Dt        float64            `json:"dt"`
	Startindt int                `json:"startindt"`
	MaxDelay  int                `json:"maxDelay_steps"`
	NoiseOff  map[string]float64 `json:"noise_params_checked_zero"`
}

func runParity(t *testing.T, dir string, c parityCase) {
	start := time.Now()
	m, err := models.Compile(c.model, eqn.Options{})
	if err != nil {
		t.Fatal(err)
	}
	base := filepath.Join(dir, "single", c.model+"_single_2000ms")
	var meta parityMeta
	if b, err := os.ReadFile(base + ".json"); err != nil {
		t.Fatal(err)
	} else if err := json.Unmarshal(b, &meta); err != nil {
		t.Fatalf("%s.json: %v", base, err)
	}
	for k, v := range meta.NoiseOff {
		if v != 0 {
			t.Fatalf("reference run has noise parameter %s = %v, want a deterministic run", k, v)
		}
	}
	ref, err := npz.Read(base + ".npz")
	if err != nil {
		t.Fatal(err)
	}
	get := func(key string) *npz.Array {
		t.Helper()
		a := ref[key]
		if a == nil {
			t.Fatalf("%s.npz has no array %q", base, key)
		}
		return a
	}
	if cm := get("param__Cmat"); cm.Len() != 1 || cm.Floats()[0] != 0 {
		t.Fatalf("reference Cmat is %v, want [[0]]", cm.Floats())
	}
	dt := meta.Dt
	T := get("t").Len()

	// parameters, inputs and noise: defaults, and 0 for the noise (sigma = 0, so g*xi = 0 anyway)
	par := make([][]float64, len(m.Params))
	parv := make([]float64, len(m.Params))
	for i, p := range m.Params {
		par[i], parv[i] = []float64{p.Default}, p.Default
	}
	inputs := make([][]float64, len(m.Inputs))
	for i, in := range m.Inputs {
		inputs[i] = []float64{in.Default}
	}
	noise := make([][]float64, len(m.Noises))
	for i := range noise {
		noise[i] = []float64{0}
	}
	tables := make([]*eqn.TableData, len(m.Tables))
	if len(m.Tables) > 0 {
		tables = parityTables(t, m)
	}
	cenv := &eqn.Env{Params: parv, Dt: dt, N: 1}

	// delays in steps (models.md 2.3): the model's own delays, and the network diagonal (ALN: de)
	steps := func(id eqn.ID, what string) int {
		ms, err := m.G.Eval(id, cenv)
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		return int(math.RoundToEven(ms / dt))
	}
	delay := make([]int, len(m.Delays))
	maxDelay := 0
	for k, d := range m.Delays {
		delay[k] = steps(d.Ms, "delay of "+m.States[d.State].Name)
		maxDelay = max(maxDelay, delay[k])
	}
	self := 0
	if m.SelfDelay != eqn.NoID {
		self = steps(m.SelfDelay, "self delay")
		maxDelay = max(maxDelay, self)
	}
	S := maxDelay + 1
	if S != meta.Startindt || maxDelay != meta.MaxDelay {
		t.Fatalf("history length S = %d (max delay %d steps); neurolib's startindt = %d, maxDelay = %d",
			S, maxDelay, meta.Startindt, meta.MaxDelay)
	}

	// trajectories of every state over all S+T columns, the history repeating the initial value
	traj := make([][]float64, len(m.States))
	for s := range m.States {
		st := &m.States[s]
		var x0 float64
		if key, ok := c.drawn[st.Name]; ok {
			a := get("param__" + key)
			if a.Len() != 1 {
				t.Fatalf("param__%s has %d values, want 1 (one node)", key, a.Len())
			}
			x0 = a.Floats()[0]
		} else {
			if st.Init == eqn.NoID {
				t.Fatalf("state %s has no init expression and no reference draw", st.Name)
			}
			x0, err = m.G.Eval(st.Init, cenv)
			if err != nil {
				t.Fatalf("init of %s (not drawn from the reference): %v", st.Name, err)
			}
			if key, ok := c.fixed[st.Name]; ok {
				if a := get("param__" + key); a.Len() != 1 || a.Floats()[0] != x0 {
					t.Errorf("init of %s = %v, neurolib's %s = %v", st.Name, x0, key, a.Floats())
				}
			}
		}
		traj[s] = make([]float64, S+T)
		for i := range S {
			traj[s][i] = x0
		}
	}
	for name := range c.drawn {
		if m.State(name) < 0 {
			t.Fatalf("drawn initial value for %s, which is not a state of the model", name)
		}
	}

	prog, err := m.Program()
	if err != nil {
		t.Fatal(err)
	}
	state := make([][]float64, len(m.States))
	for s := range state {
		state[s] = make([]float64, 1)
	}
	delayed := make([][]float64, len(m.Delays))
	for k := range delayed {
		delayed[k] = make([]float64, 1)
	}
	i := 0 // the column being written
	env := &eqn.ProgEnv{
		Params: par, State: state, Inputs: inputs, Noise: noise, Delayed: delayed,
		Dt: dt, N: 1, Tables: tables,
		Conn: func(lane, j int) float64 { return 0 },
		Remote: func(s, lane, j int) float64 {
			return traj[s][i-1-self]
		},
	}
	got := make([][]float64, len(m.Outputs))
	for o := range got {
		got[o] = make([]float64, T)
	}
	for k := range T {
		i = S + k
		for s := range m.States {
			state[s][0] = traj[s][i-1]
		}
		for q, d := range m.Delays {
			delayed[q][0] = traj[d.State][i-1-delay[q]]
		}
		out, err := prog.Exec(1, env)
		if err != nil {
			t.Fatalf("step %d: %v", k, err)
		}
		for s := range m.States {
			traj[s][i] = out.New[s][0]
		}
		for o := range got {
			got[o][k] = out.Outputs[o][0]
		}
	}
	elapsed := time.Since(start)

	// every output at every step
	for o, out := range m.Outputs {
		a := get(out.Name)
		if len(a.Shape) != 2 || a.Shape[0] != 1 || a.Shape[1] != T {
			t.Fatalf("reference %s has shape %v, want [1 %d]", out.Name, a.Shape, T)
		}
		compareSeries(t, c, out.Name, got[o], a.Floats())
	}

	// the final states (and neurolib's states that are outputs here, such as the thalamus' Q_t):
	// the last columns, as many as neurolib kept (1, or S for its delayed variables)
	var keys []string
	for key := range ref {
		if strings.HasPrefix(key, "state__") {
			keys = append(keys, key)
		}
	}
	sort.Strings(keys)
	for _, key := range keys {
		name := strings.TrimPrefix(key, "state__")
		want := ref[key].Floats()
		var series []float64
		if s := m.State(name); s >= 0 {
			series = traj[s]
		} else if o := m.Output(name); o >= 0 {
			series = got[o]
		} else {
			t.Errorf("neurolib state %s is neither a state nor an output of the model", name)
			continue
		}
		if len(want) > len(series) {
			t.Errorf("%s has %d values, more than the run's %d columns", key, len(want), len(series))
			continue
		}
		compareSeries(t, c, "final "+name, series[len(series)-len(want):], want)
	}
	t.Logf("%s: %d steps of dt = %v ms, S = %d, integrated in %v", c.model, T, dt, S, elapsed.Round(time.Millisecond))
}

// compareSeries checks got against want elementwise with the case's relative tolerance
// (testref.RelErrors: relative to the series' scale near 0) and logs the largest error.
func compareSeries(t *testing.T, c parityCase, name string, got, want []float64) {
	t.Helper()
	errs := testref.RelErrors(got, want)
	worst, at := testref.MaxRelErr(got, want)
	bad, first := 0, -1
	for k, e := range errs {
		if e > c.tol {
			bad++
			if first < 0 {
				first = k
			}
		}
	}
	msg := fmt.Sprintf("%s %s: max relative error %.3g (index %d of %d)", c.model, name, worst, at, len(want))
	if bad > 0 {
		t.Errorf("%s; %d values exceed %g, the first at index %d: got %v, neurolib %v",
			msg, bad, c.tol, first, got[first], want[first])
		return
	}
	t.Log(msg)
}

// parityTables returns neurolib's ALN tables (testref.ALNTables) in the model's table order.
func parityTables(t *testing.T, m *eqn.Model) []*eqn.TableData {
	t.Helper()
	all := testref.ALNTables(t)
	out := make([]*eqn.TableData, len(m.Tables))
	for i, tb := range m.Tables {
		d, ok := all[tb.Name]
		if !ok || tb.Row != "mu" || tb.Col != "sigma" {
			t.Fatalf("table %s(%s, %s) has no counterpart in neurolib's tables", tb.Name, tb.Row, tb.Col)
		}
		out[i] = d
	}
	return out
}
