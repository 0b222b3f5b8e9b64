package alntable_test

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/neuromass/neuromass/cpu"
	"github.com/neuromass/neuromass/engine"
	"github.com/neuromass/neuromass/engine/eqn"
	"github.com/neuromass/neuromass/internal/npz"
	"github.com/neuromass/neuromass/internal/testref"
	"github.com/neuromass/neuromass/models"
	"github.com/neuromass/neuromass/models/alntable"
)

// TestALNRunsWithShippedTable runs neurolib's ALN reference runs (one node and the gw network)
// through the engine twice, with neurolib's table and with the shipped one, and checks that both
// agree with the reference outputs to the ALN parity tolerance (1e-9 relative, cpu/parity_test.go).
func TestALNRunsWithShippedTable(t *testing.T) {
	dir := testref.Dir(t)
	shipped, err := alntable.Default()
	if err != nil {
		t.Fatal(err)
	}
	neurolib, err := alntable.Load(filepath.Join(dir, "data", "aln_lookup_tables.npz"))
	if err != nil {
		t.Fatal(err)
	}
	const tol = 1e-9
	for _, run := range []string{"single/aln_single_2000ms", "gw/aln_gw_2000ms"} {
		for _, tb := range []struct {
			name string
			t    *alntable.Tables
		}{{"neurolib", neurolib}, {"shipped", shipped}} {
			t.Run(strings.ReplaceAll(run, "/", "_")+"/"+tb.name, func(t *testing.T) {
				if testing.Short() && strings.Contains(run, "gw") {
					t.Skip("-short")
				}
				worst := alnRun(t, filepath.Join(dir, run), tb.t.Data())
				t.Logf("max relative error over all outputs: %.3g", worst)
				if worst > tol {
					t.Errorf("max relative error %.3g > %g", worst, tol)
				}
			})
		}
	}
}

// alnRun runs the reference run base (.json, .npz) with tables and returns the largest relative
// error of its outputs.
func alnRun(t *testing.T, base string, tables map[string]*eqn.TableData) float64 {
	t.Helper()
	var meta struct {
		Dt     float64        `json:"dt"`
		Params map[string]any `json:"params"`
	}
	b, err := os.ReadFile(base + ".json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &meta); err != nil {
		t.Fatal(err)
	}
	ref, err := npz.Read(base + ".npz")
	if err != nil {
		t.Fatal(err)
	}
	m, err := models.Compile("aln", eqn.Options{})
	if err != nil {
		t.Fatal(err)
	}
	cm, lm := ref["param__Cmat"], ref["param__lengthMat"]
	N := cm.Shape[0]
	speed, _ := meta.Params["signalV"].(float64)
	net := engine.Network{N: N, Weights: cm.Floats(), Lengths: lm.Floats(), Speed: speed}
	if N == 1 {
		net.Lengths = nil
	}
	sim, err := engine.New(engine.Spec{Model: m, Network: net, Dt: meta.Dt, Duration: meta.Params["duration"].(float64),
		Mode: engine.Compat, Seed: 42, Tables: tables}, cpu.New())
	if err != nil {
		t.Fatal(err)
	}
	defer sim.Close()
	res, err := sim.Run()
	if err != nil {
		t.Fatal(err)
	}
	worst := 0.0
	check := func(name string, got, want []float64) {
		if len(got) != len(want) {
			t.Fatalf("%s: %d values, neurolib %d", name, len(got), len(want))
		}
		scale := 0.0
		for _, w := range want {
			scale = max(scale, math.Abs(w))
		}
		floor := max(1e-12*scale, 1e-300)
		for k := range want {
			e := math.Abs(got[k]-want[k]) / max(math.Abs(want[k]), floor)
			if math.IsNaN(e) {
				e = math.Inf(1)
			}
			worst = max(worst, e)
		}
	}
	compared := 0
	for _, sr := range res.Series {
		if a := ref[sr.Name]; a != nil {
			L := a.Shape[1]
			w := a.Floats()
			for n := range N {
				check(sr.Name, sr.Node(0, n), w[n*L:(n+1)*L])
			}
			compared++
			continue
		}
		first, every := ref[sr.Name+"__first1000"], ref[sr.Name+"__every10"]
		if first == nil || every == nil {
			continue
		}
		L1 := first.Shape[1]
		var g1, g10 []float64
		for n := range N {
			v := sr.Node(0, n)
			g1 = append(g1, v[:L1]...)
			for k := 0; k < len(v); k += 10 {
				g10 = append(g10, v[k])
			}
		}
		check(sr.Name+"[:1000]", g1, first.Floats())
		check(sr.Name+"[::10]", g10, every.Floats())
		compared++
	}
	if compared == 0 {
		t.Fatal("no output compared")
	}
	return worst
}
