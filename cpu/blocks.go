package cpu

import (
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/neuromass/neuromass/engine"
)

// An ensemble runs as blocks of members, each block a Sim of its own with its own delay history.
// Members never read each other, so a block is a whole simulation of its members; what blocks buy
// is locality: each coupling pair reads a column of the history at its own delay, and a block's
// history (history steps x nodes x block members per delayed value) stays in cache where the whole
// ensemble's would not (ALN on 80 nodes with 118 steps of history: 226 KB per member). Blocks run
// on GOMAXPROCS goroutines.

// blockBytes is the history a block aims to keep in (last-level) cache. Measured with ALN and Hopf
// ensembles of 64 on 80 nodes with up to 100 steps of delay (cpu's BenchmarkStep*x64, one thread):
// blocks of 32 members (6 MB of ALN history) ran ALN 1.8x faster than blocks of 64 and 1.5x faster
// than blocks of 8; Hopf, with less history per member, was fastest at 64.
const blockBytes = 6 << 20

// blockUnit is the bytes of one member group a block is made of: four 512-bit vectors of lanes
// (32 float64 or 64 float32 members), which the coupling sums keep in registers (rowW).
const blockUnit = 256

// blockOverride, when positive, replaces the chosen block size (tests).
var blockOverride int

// blockSize picks the members per block for a plan.
func blockSize(p *engine.Plan, h, elem int) int {
	if blockOverride > 0 {
		return blockOverride
	}
	rings := 1
	for _, st := range p.Model.States {
		if st.History {
			rings++ // plus one for a coupling's transformed values, roughly
		}
	}
	perMember := 2 * h * p.N * elem * rings / 2 // the kept half of each node's 2h columns is what is read
	unit := blockUnit / elem
	b := (blockBytes/max(perMember, 1) + unit/2) / unit * unit // whole groups of four vectors
	// at least one group (fewer members leave the vector units idle), at most two (beyond, the
	// per-instruction cost is amortised and the history only grows)
	return min(max(b, unit), 2*unit)
}

// blockSims is an ensemble split into blocks of members.
type blockSims[F float] struct {
	p      *engine.Plan
	blocks []*sim[F]
	m0     []int // first member of each block
}

// newBlocks splits the plan's members into blocks of at most size members.
func newBlocks[F float](p *engine.Plan, size int, k *kernels[F]) (engine.Sim, error) {
	b := &blockSims[F]{p: p}
	for m0 := 0; m0 < p.E; m0 += size {
		m1 := min(m0+size, p.E)
		sub, err := subPlan(p, m0, m1)
		if err != nil {
			return nil, err
		}
		s, err := newSim(sub, k)
		if err != nil {
			return nil, err
		}
		s.base = m0
		s.inBlock = true
		b.blocks = append(b.blocks, s)
		b.m0 = append(b.m0, m0)
	}
	return b, nil
}

// subPlan is the plan of members m0 .. m1-1.
func subPlan(p *engine.Plan, m0, m1 int) (*engine.Plan, error) {
	q := *p
	E, B := p.E, m1-m0
	q.E = B
	q.Params = make([][]float64, len(p.Params))
	for i, v := range p.Params {
		switch len(v) {
		case E:
			q.Params[i] = v[m0:m1]
		case p.N * E:
			w := make([]float64, p.N*B)
			for n := range p.N {
				copy(w[n*B:(n+1)*B], v[n*E+m0:n*E+m1])
			}
			q.Params[i] = w
		default:
			return nil, fmt.Errorf("cpu: parameter %s has %d values, expected %d or %d", p.Model.Params[i].Name, len(v), E, p.N*E)
		}
	}
	q.LocalDelays = make([][]int32, len(p.LocalDelays))
	for k, v := range p.LocalDelays {
		q.LocalDelays[k] = v[m0:m1]
	}
	if len(p.Seeds) == E {
		q.Seeds = p.Seeds[m0:m1]
	}
	return &q, nil
}

// split copies x [state][node*E + member] into each block's layout, or back when toBlocks is false.
func (b *blockSims[F]) split(x [][]float64, toBlocks bool, each func(k int, part [][]float64) error) error {
	N, E := b.p.N, b.p.E
	for k, s := range b.blocks {
		m0, B := b.m0[k], s.E
		part := make([][]float64, len(x))
		for i, v := range x {
			part[i] = make([]float64, N*B)
			if toBlocks {
				for n := range N {
					copy(part[i][n*B:(n+1)*B], v[n*E+m0:n*E+m0+B])
				}
			}
		}
		if err := each(k, part); err != nil {
			return err
		}
		if !toBlocks {
			for i, v := range x {
				for n := range N {
					copy(v[n*E+m0:n*E+m0+B], part[i][n*B:(n+1)*B])
				}
			}
		}
	}
	return nil
}

// SetState implements engine.Sim.
func (b *blockSims[F]) SetState(x [][]float64) error {
	for i, v := range x {
		if len(v) != b.p.N*b.p.E {
			return fmt.Errorf("cpu: state %s has %d values, expected %d", b.p.Model.States[i].Name, len(v), b.p.N*b.p.E)
		}
	}
	return b.split(x, true, func(k int, part [][]float64) error { return b.blocks[k].SetState(part) })
}

// State implements engine.Sim.
func (b *blockSims[F]) State() [][]float64 {
	x := make([][]float64, len(b.p.Model.States))
	for i := range x {
		x[i] = make([]float64, b.p.N*b.p.E)
	}
	b.split(x, false, func(k int, part [][]float64) error {
		copy(part, b.blocks[k].State())
		return nil
	})
	return x
}

// Close implements engine.Sim.
func (b *blockSims[F]) Close() error { return nil }

// Run implements engine.Sim: every block integrates the call for its members, on GOMAXPROCS
// goroutines.
func (b *blockSims[F]) Run(c *engine.Call) error {
	N, T := b.p.N, c.T
	samples := c.Samples()
	calls := make([]*engine.Call, len(b.blocks))
	// progress: the mean of the blocks' steps, reported under a lock (blocks run concurrently)
	var mu sync.Mutex
	stepsDone := make([]int, len(b.blocks))
	sum := 0
	for k, s := range b.blocks {
		m0, B := b.m0[k], s.E
		sc := *c
		sc.Out = make([][]float64, len(c.Out))
		for o, v := range c.Out {
			if len(v) != b.p.E*N*samples {
				return fmt.Errorf("cpu: output buffer %d has %d values, expected %d", o, len(v), b.p.E*N*samples)
			}
			sc.Out[o] = v[m0*N*samples : (m0+B)*N*samples]
		}
		if bs := c.BoldSamples(); c.BoldEvery > 0 && len(c.BoldOut) == b.p.E*N*bs {
			sc.BoldOut = c.BoldOut[m0*N*bs : (m0+B)*N*bs] // each block's members, [member][node][sample]
		}
		sc.Noise = make([][]float64, len(c.Noise))
		for q, u := range c.Noise {
			switch {
			case u == nil, len(u) == N*T:
				sc.Noise[q] = u
			case len(u) == b.p.E*N*T:
				sc.Noise[q] = u[m0*N*T : (m0+B)*N*T]
			default:
				return fmt.Errorf("cpu: noise %s has %d samples, expected %d or %d", b.p.Model.Noises[q].Name, len(u), N*T, b.p.E*N*T)
			}
		}
		if c.Bad != nil {
			if len(c.Bad) != b.p.E {
				return fmt.Errorf("cpu: divergence slots for %d members, expected %d", len(c.Bad), b.p.E)
			}
			sc.Bad = c.Bad[m0 : m0+B]
		}
		if c.Progress != nil {
			sc.Progress = func(d int) {
				mu.Lock()
				defer mu.Unlock()
				sum += d - stepsDone[k]
				stepsDone[k] = d
				c.Progress(sum / len(b.blocks))
			}
		}
		calls[k] = &sc
	}
	workers := min(runtime.GOMAXPROCS(0), len(b.blocks))
	errs := make([]error, len(b.blocks))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				k := int(next.Add(1)) - 1
				if k >= len(b.blocks) {
					return
				}
				errs[k] = b.blocks[k].Run(calls[k])
			}
		}()
	}
	wg.Wait()
	for k, err := range errs {
		if err != nil {
			return fmt.Errorf("members %d to %d: %w", b.m0[k], b.m0[k]+b.blocks[k].E-1, err)
		}
	}
	return nil
}
