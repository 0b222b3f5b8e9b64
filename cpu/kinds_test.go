package cpu_test

import (
	"slices"
	"testing"

	"github.com/neuromass/neuromass/cpu"
	"github.com/neuromass/neuromass/engine"
	"github.com/neuromass/neuromass/engine/eqn"
	"github.com/neuromass/neuromass/models"
)

// TestCouplingKinds checks that the built-ins' coupling sums take the fused loops with one member
// (the speed of a single simulation depends on it) and the generic path in ensembles.
func TestCouplingKinds(t *testing.T) {
	cases := []struct {
		model  string
		sw     map[string]string
		E      int
		expect []string
	}{
		{"aln", nil, 1, []string{"weighted", "weighted"}},
		{"hopf", nil, 1, []string{"diffusive"}},
		{"hopf", map[string]string{"coupling": "additive"}, 1, []string{"weighted"}},
		{"fhn", nil, 1, []string{"diffusive"}},
		{"wc", nil, 1, []string{"weighted"}},
		{"ww", nil, 1, []string{"weighted"}},
		{"kuramoto", nil, 1, []string{"diffusive"}}, // W * sin(theta_j - theta_i)
		{"hopf", nil, 4, []string{"diffusive"}},
		{"aln", nil, 4, []string{"weighted", "weighted"}},
		{"kuramoto", nil, 4, []string{"diffusive"}},
	}
	for _, c := range cases {
		s := smallSim(t, c.model, c.sw, 3, c.E, nil, nil)
		if got := cpu.CouplingKinds(s); !slices.Equal(got, c.expect) {
			t.Errorf("%s %v E=%d: couplings %v, expected %v", c.model, c.sw, c.E, got, c.expect)
		}
	}
}

// smallSim prepares a CPU Sim of a built-in model on N unconnected nodes with E members at the
// defaults, flat 2 x 2 tables, the given network delays (N*N; nil: none) and per-delay local
// delays in steps (nil: none).
func smallSim(t *testing.T, model string, sw map[string]string, N, E int, delays []int32, localSteps func(k int) int32) engine.Sim {
	t.Helper()
	m, err := models.Compile(model, eqn.Options{Switches: sw})
	if err != nil {
		t.Fatal(err)
	}
	prog, err := m.Program()
	if err != nil {
		t.Fatal(err)
	}
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
	local := make([][]int32, len(m.Delays))
	for k := range local {
		local[k] = make([]int32, E)
		if localSteps != nil {
			for e := range E {
				local[k][e] = localSteps(k)
			}
		}
	}
	if delays == nil {
		delays = make([]int32, N*N)
	}
	p := &engine.Plan{Model: m, Program: prog, Tables: tables, N: N, E: E, Dt: 0.1,
		Weights: make([]float64, N*N), Delays: delays, LocalDelays: local, History: 1,
		Params: params, Seeds: make([]uint64, E)}
	s, err := cpu.New().NewSim(p)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
