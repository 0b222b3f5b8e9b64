package cpu

import (
	"os"
	"runtime"
	"sync/atomic"
)

// One simulation on two cores: the coupling sums, the largest part of a step (about half of it
// for ALN and Hopf on 80 nodes), are shared between the calling goroutine and a helper, each
// computing the sums of half of the targets. A target's sum is still computed by one goroutine in
// ascending j, so the results do not change by a bit. The two meet twice per step through atomic
// counters (a channel round trip would cost more than the half of the sums it saves).
//
// It is off unless NEUROMASS_CPU_SPLIT=1: on the 2-vCPU development VM it made single gw
// simulations slower (ALN 60 s: 18.4 s against 14.8 s; Hopf 6.1 s against 3.8 s), the two vCPUs
// meeting 600,000 times not being two independent cores; machines with real cores may gain.

// splitMinNodes is the smallest network worth splitting: below it the meeting costs more than half
// of the sums.
const splitMinNodes = 32

// noSplit turns the split off: the default (see above); tests compare both ways.
var noSplit = os.Getenv("NEUROMASS_CPU_SPLIT") != "1"

// useSplit says whether this Sim's calls share their coupling sums with a helper goroutine.
func (s *sim[F]) useSplit() bool {
	if noSplit || s.inBlock || s.N < splitMinNodes || runtime.GOMAXPROCS(0) < 2 {
		return false
	}
	for _, g := range s.groups {
		if g[0].kind == generic {
			return false // the generic path interprets with the Sim's shared registers
		}
	}
	return true
}

// pairSplit is the helper goroutine of one Run.
type pairSplit[F float] struct {
	s     *sim[F]
	mid   int // the helper computes targets mid .. N-1
	jobs  []sumJob[F]
	start atomic.Uint64 // step number the helper is asked to do
	done  atomic.Uint64 // step number the helper has done
	quit  atomic.Bool
	seq   uint64
}

func startPairSplit[F float](s *sim[F]) *pairSplit[F] {
	p := &pairSplit[F]{s: s, mid: s.N / 2 &^ 1} // even: one member's sums go two targets at a time
	go p.loop()
	return p
}

// run computes every target's sums: the first half here, the second half on the helper.
func (p *pairSplit[F]) run(jobs []sumJob[F]) {
	p.seq++
	p.jobs = jobs
	p.start.Store(p.seq) // publishes jobs to the helper
	p.s.runJobs(jobs, 0, p.mid)
	for i := 0; p.done.Load() != p.seq; i++ {
		if i > 256 {
			runtime.Gosched()
		}
	}
}

func (p *pairSplit[F]) loop() {
	var last uint64
	for {
		var v uint64
		for i := 0; ; i++ {
			if v = p.start.Load(); v != last {
				break
			}
			if p.quit.Load() {
				return
			}
			if i > 256 {
				runtime.Gosched()
			}
		}
		last = v
		p.s.runJobs(p.jobs, p.mid, p.s.N)
		p.done.Store(v)
	}
}

// stop ends the helper.
func (p *pairSplit[F]) stop() { p.quit.Store(true) }
