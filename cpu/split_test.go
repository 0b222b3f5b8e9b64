package cpu_test

import (
	"math"
	"runtime"
	"testing"

	"github.com/neuromass/neuromass/cpu"
	"github.com/neuromass/neuromass/engine"
	"github.com/neuromass/neuromass/engine/eqn"
	"github.com/neuromass/neuromass/models"
)

// TestSplitEqualsOneGoroutine runs single simulations of 41 nodes (an odd count: the last target
// has no partner) whose coupling sums two goroutines share, and checks them against one goroutine
// bit for bit, for each fused sum (weighted pairs, weighted, diffusive, diffusive with sin) and an
// ensemble of three.
func TestSplitEqualsOneGoroutine(t *testing.T) {
	if runtime.GOMAXPROCS(0) < 2 {
		t.Skip("needs GOMAXPROCS >= 2 for the split to be taken")
	}
	const N = 41
	w, l := make([]float64, N*N), make([]float64, N*N)
	for i := range N {
		for j := range N {
			if i != j {
				w[i*N+j] = 0.02 * float64((i*7+j*3)%5)
				l[i*N+j] = float64((i*11 + j*5) % 90)
			}
		}
	}
	for _, c := range []struct {
		model string
		sw    map[string]string
		E     int
	}{{"aln", nil, 1}, {"wc", nil, 1}, {"hopf", nil, 1}, {"kuramoto", nil, 1}, {"hopf", nil, 3}} {
		m, err := models.Compile(c.model, eqn.Options{Switches: c.sw})
		if err != nil {
			t.Fatal(err)
		}
		run := func(split bool) *engine.Result {
			was := cpu.SetSplit(split)
			defer cpu.SetSplit(was)
			spec := engine.Spec{Model: m, Network: engine.Network{N: N, Weights: w, Lengths: l}, Members: c.E,
				Duration: 30, Mode: engine.Default, Seed: 9}
			if c.model == "aln" {
				spec.Tables = alnTablesOnce(t)
			}
			res, _ := simulateDiverging(t, spec)
			return res
		}
		a, b := run(true), run(false)
		for o := range a.Series {
			x, y := a.Series[o].Data, b.Series[o].Data
			for k := range x {
				if math.Float64bits(x[k]) != math.Float64bits(y[k]) {
					t.Fatalf("%s E=%d %s value %d: split %v, one goroutine %v", c.model, c.E, a.Series[o].Name, k, x[k], y[k])
				}
			}
		}
	}
}
