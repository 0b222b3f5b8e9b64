package cpu_test

import (
	"testing"

	"github.com/neuromass/neuromass/cpu"
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
		// local delays of 40 and 20 steps (ALN's de and di at dt 0.1 ms), network delays up to 80
		// steps (81 columns)
		N := 3
		delays := make([]int32, N*N)
		for ij := range delays {
			delays[ij] = int32(ij * 10)
		}
		s := smallSim(t, c.model, nil, N, 4, delays, func(k int) int32 { return int32(40 / (k + 1)) })
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
