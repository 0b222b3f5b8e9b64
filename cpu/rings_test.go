package cpu_test

import (
	"testing"

	"github.com/neuromass/neuromass/cpu"
	"github.com/neuromass/neuromass/engine"
	"github.com/neuromass/neuromass/engine/eqn"
	"github.com/neuromass/neuromass/models"
)

// TestRingColumns checks which delay rings are shortened (sim.go, shortenRings): ALN's rates are
// read by the couplings only through the ring of their g (rates * 1e-3), so their own rings keep
// the local delays' columns (de and di steps, plus the newest); Hopf's diffusive coupling reads x's
// ring itself at the network delays, which keeps them all. The values read are checked against the
// definition by the conformance suites (TestChunksConformance and the enginetest runs).
func TestRingColumns(t *testing.T) {
	cases := []struct {
		model  string
		expect map[string]int // state -> columns
	}{
		{"aln", map[string]int{"rates_exc": 41, "rates_inh": 21}},
		{"hopf", map[string]int{"x": 81}},
	}
	for _, c := range cases {
		m, err := models.Compile(c.model, eqn.Options{})
		if err != nil {
			t.Fatal(err)
		}
		prog, err := m.Program()
		if err != nil {
			t.Fatal(err)
		}
		N, E := 3, 4
		params := make([][]float64, len(m.Params))
		for i, p := range m.Params {
			params[i] = make([]float64, E)
			for k := range E {
				params[i][k] = p.Default
			}
		}
		tables := make([]*eqn.TableData, len(m.Tables))
		for i := range tables {
			tables[i] = &eqn.TableData{Row: eqn.Axis{First: 0, Step: 1, N: 2}, Col: eqn.Axis{First: 0, Step: 1, N: 2},
				Last: [2]float64{1, 1}, V: []float64{1, 1, 1, 1}}
		}
		// local delays of 40 and 20 steps (ALN's de and di at dt 0.1 ms), network delays up to 80 (81 columns)
		local := make([][]int32, len(m.Delays))
		for k := range local {
			local[k] = make([]int32, E)
			for e := range E {
				local[k][e] = int32(40 / (k + 1))
			}
		}
		delays := make([]int32, N*N)
		for ij := range delays {
			delays[ij] = int32(ij * 10)
		}
		p := &engine.Plan{Model: m, Program: prog, Tables: tables, N: N, E: E, Dt: 0.1,
			Weights: make([]float64, N*N), Delays: delays, LocalDelays: local, History: 1,
			Params: params, Seeds: make([]uint64, E)}
		s, err := cpu.New().NewSim(p)
		if err != nil {
			t.Fatal(err)
		}
		got := cpu.RingColumns(s)
		for i, st := range m.States {
			want, ok := c.expect[st.Name]
			if !ok && got[i] != 0 {
				t.Errorf("%s: state %s has a ring of %d columns, expected none", c.model, st.Name, got[i])
			}
			if ok && got[i] != want {
				t.Errorf("%s: state %s keeps %d columns, expected %d", c.model, st.Name, got[i], want)
			}
		}
	}
}
