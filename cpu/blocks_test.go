package cpu_test

import (
	"math"
	"testing"

	"github.com/neuromass/neuromass/cpu"
	"github.com/neuromass/neuromass/engine"
	"github.com/neuromass/neuromass/engine/eqn"
	"github.com/neuromass/neuromass/models"
)

// TestBlocksEqualOneSim splits ensembles into blocks of members (4 blocks, the last one partial)
// and checks everything against the same ensemble in one Sim, bit for bit: samples, final states,
// divergences with their global member index, default-mode noise (keyed by the global member
// index), compat noise with per-member seeds, per-node parameters and chunked runs.
func TestBlocksEqualOneSim(t *testing.T) {
	const E = 13
	N := 4
	w := []float64{0, 0.5, 0.2, 0.1, 0.3, 0, 0.4, 0.2, 0.1, 0.6, 0, 0.3, 0.2, 0.2, 0.2, 0}
	l := []float64{0, 40, 80, 30, 40, 0, 60, 20, 80, 60, 0, 50, 30, 20, 50, 0}
	a := make([]float64, E)
	sig := make([]float64, E)
	seeds := make([]uint64, E)
	for m := range E {
		a[m] = -0.2 + 0.05*float64(m)
		sig[m] = 0.02 * float64(m%3)
		seeds[m] = uint64(100 + m%4)
	}
	a[9] = 1e6 // member 9 diverges
	omega := make([]float64, E*N)
	for k := range omega {
		omega[k] = 3 + 0.01*float64(k)
	}
	cases := []struct {
		name   string
		model  string
		mode   engine.Mode
		params map[string][]float64
		seeds  []uint64
		chunk  float64
	}{
		{"hopf default mode", "hopf", engine.Default, map[string][]float64{"a": a, "sigma_ou": sig}, nil, 0},
		{"hopf compat member seeds", "hopf", engine.Compat, map[string][]float64{"a": a, "sigma_ou": sig}, seeds, 0},
		{"kuramoto per-node omega, chunks", "kuramoto", engine.Default, map[string][]float64{"omega": omega, "sigma_ou": sig}, nil, 3},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m, err := models.Compile(c.model, eqn.Options{})
			if err != nil {
				t.Fatal(err)
			}
			run := func(block int) (*engine.Result, [][]float64) {
				cpu.SetBlockSize(block)
				defer cpu.SetBlockSize(0)
				spec := engine.Spec{Model: m, Network: engine.Network{N: N, Weights: w, Lengths: l}, Members: E,
					Duration: 20, Chunk: c.chunk, Mode: c.mode, Seed: 5, MemberSeeds: c.seeds, Params: c.params}
				return simulateDiverging(t, spec)
			}
			one, st1 := run(E) // one block: a single Sim
			blk, st4 := run(4)
			for o := range one.Series {
				x, y := one.Series[o].Data, blk.Series[o].Data
				for k := range x {
					if math.Float64bits(x[k]) != math.Float64bits(y[k]) && !(x[k] != x[k] && y[k] != y[k]) {
						t.Fatalf("%s value %d: one Sim %v, blocks %v", one.Series[o].Name, k, x[k], y[k])
					}
				}
			}
			for s := range st1 {
				for k := range st1[s] {
					x, y := st1[s][k], st4[s][k]
					if math.Float64bits(x) != math.Float64bits(y) && !(x != x && y != y) {
						t.Fatalf("final %s lane %d: one Sim %v, blocks %v", m.States[s].Name, k, x, y)
					}
				}
			}
			if len(one.Diverged) != len(blk.Diverged) {
				t.Fatalf("diverged: one Sim %v, blocks %v", one.Diverged, blk.Diverged)
			}
			for k := range one.Diverged {
				if *one.Diverged[k] != *blk.Diverged[k] {
					t.Fatalf("divergence: one Sim %+v, blocks %+v", *one.Diverged[k], *blk.Diverged[k])
				}
			}
			if c.model == "hopf" && (len(blk.Diverged) != 1 || blk.Diverged[0].Member != 9) {
				t.Fatalf("expected member 9 to diverge, got %v", blk.Diverged)
			}
		})
	}
}
