package cpu

import (
	"fmt"
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
type couplingPlan struct {
	pc    eqn.ProgCoupling
	kind  couplingKind
	w     []float64   // weighted/diffusive: W_ij per pair, [i*N + j]
	g     *remoteExpr // weighted/diffusive: the remote factor's ring
	local int32       // diffusive: the register of y_i (a step value of the target node)
	swap  bool        // the product is g*W rather than W*g (same bits; kept for the record)
	post  []eqn.Op    // diffusive: one-argument operations applied to g - y before the product
}

// remoteExpr is g(x_j): instructions of a body that read only one remote state and constants,
// kept as a ring of g's values per node, filled when a state value enters its ring.
type remoteExpr struct {
	key   string
	state int
	code  []eqn.Instr // in body order; OpRemote loads the state's newest column
	root  int32
	ring  *ring
	col   []float64 // scratch: the value computed
}

// eval computes g over every lane from the state values x.
func (g *remoteExpr) eval(s *sim, x []float64) []float64 {
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
	copy(g.col, v)
	return g.col
}

// refill recomputes the whole ring from the state's ring (after SetState).
func (g *remoteExpr) refill(s *sim) {
	src := s.rings[g.state]
	g.ring.col = src.col
	for c := 0; c < 2*src.h; c++ {
		x := src.buf[c*src.L : (c+1)*src.L]
		copy(g.ring.buf[c*src.L:(c+1)*src.L], g.eval(s, x))
	}
}

// push appends g of the newest state column.
func (g *remoteExpr) push(s *sim) {
	g.ring.push(g.eval(s, s.rings[g.state].at(0)))
}

// planCouplings classifies every coupling. With one member, summands W_ij*g_j and
// W_ij*(g_j - y_i) become fused loops; everything else runs the body per pair.
func (s *sim) planCouplings() error {
	prog := s.prog
	gByKey := map[string]*remoteExpr{}
	for _, pc := range prog.Couplings {
		cp := &couplingPlan{pc: pc, kind: generic}
		s.couplings = append(s.couplings, cp)
		if s.E != 1 || len(pc.Body) == 0 {
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
			cp.swap = true
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
		key := remoteKey(code, gReg)
		g := gByKey[key]
		if g == nil {
			g = &remoteExpr{key: key, state: remoteState, code: code, root: gReg,
				ring: newRing(s.rings[remoteState].h, s.L), col: make([]float64, s.L)}
			gByKey[key] = g
			s.gs = append(s.gs, g)
		}
		cp.g, cp.local = g, localReg
		wcode := collect(wK, clPair)
		cp.w = make([]float64, s.N*s.N)
		for i := range s.N {
			for j := range s.N {
				s.runCode(wcode, i, i+1, i, j)
				cp.w[i*s.N+j] = s.get(wReg, i, i+1)[0]
			}
		}
	}
	return nil
}

// remoteKey names g's computation, so couplings that share it share its ring.
func remoteKey(code []eqn.Instr, root int32) string {
	var b strings.Builder
	for _, in := range code {
		fmt.Fprintf(&b, "%d:%d=%d,%d,%d,%d;", in.Op, in.Dst, in.A, in.B, in.C, in.Ref)
	}
	fmt.Fprintf(&b, "->%d", root)
	return b.String()
}

// runCouplings computes every coupling sum of this step into its accumulator register.
func (s *sim) runCouplings() {
	done := make([]bool, len(s.couplings))
	for c, cp := range s.couplings {
		if done[c] {
			continue
		}
		switch cp.kind {
		case weighted:
			// fuse the weighted couplings that read the same g
			group := []*couplingPlan{cp}
			for c2 := c + 1; c2 < len(s.couplings); c2++ {
				if o := s.couplings[c2]; !done[c2] && o.kind == weighted && o.g == cp.g {
					group = append(group, o)
					done[c2] = true
				}
			}
			s.weightedSums(group)
		case diffusive:
			s.diffusiveSum(cp)
		default:
			s.genericSum(cp)
		}
		done[c] = true
	}
}

// genericSum runs the body for every target node i and source j in ascending order, over the
// members of node i.
func (s *sim) genericSum(cp *couplingPlan) {
	acc := s.out(cp.pc.Acc, 0, s.L)
	for l := range acc {
		acc[l] = 0
	}
	for i := range s.N {
		lo, hi := i*s.E, (i+1)*s.E
		for j := range s.N {
			s.view[cp.pc.Acc], s.full[cp.pc.Acc] = s.store[cp.pc.Acc], true
			s.runCode(cp.pc.Body, lo, hi, i, j)
		}
	}
	s.view[cp.pc.Acc], s.full[cp.pc.Acc] = s.store[cp.pc.Acc], true
}

// weightedSums computes acc_i = sum_j W_ij * g_j(t - d_ij) for couplings sharing g, one member.
func (s *sim) weightedSums(group []*couplingPlan) {
	N := s.N
	r := group[0].g.ring
	newest := r.col * N
	buf := r.buf
	d := s.off // j - d_ij*N: the offset of x_j(t - d_ij) from the newest column's start
	switch len(group) {
	case 1:
		acc := s.out(group[0].pc.Acc, 0, s.L)
		w := group[0].w
		// two targets at a time: two independent accumulation chains (each still in j order)
		i := 0
		for ; i+1 < N; i += 2 {
			var a0, a1 float64
			w0, w1 := w[i*N:(i+1)*N:(i+1)*N], w[(i+1)*N:(i+2)*N:(i+2)*N]
			d0, d1 := d[i*N:(i+1)*N:(i+1)*N], d[(i+1)*N:(i+2)*N:(i+2)*N]
			w1, d0, d1 = w1[:len(w0)], d0[:len(w0)], d1[:len(w0)]
			for j, wij := range w0 {
				a0 += float64(wij * buf[newest+int(d0[j])])
				a1 += float64(w1[j] * buf[newest+int(d1[j])])
			}
			acc[i], acc[i+1] = a0, a1
		}
		for ; i < N; i++ {
			var a float64
			row, drow := w[i*N:(i+1)*N:(i+1)*N], d[i*N:(i+1)*N:(i+1)*N]
			drow = drow[:len(row)]
			for j, wij := range row {
				a += float64(wij * buf[newest+int(drow[j])])
			}
			acc[i] = a
		}
	case 2:
		acc1 := s.out(group[0].pc.Acc, 0, s.L)
		acc2 := s.out(group[1].pc.Acc, 0, s.L)
		w1, w2 := group[0].w, group[1].w
		i := 0
		// two targets at a time: four independent chains, each in j order
		for ; i+1 < N; i += 2 {
			var a1, a2, b1, b2 float64
			r1, r2 := w1[i*N:(i+1)*N:(i+1)*N], w2[i*N:(i+1)*N:(i+1)*N]
			q1, q2 := w1[(i+1)*N:(i+2)*N:(i+2)*N], w2[(i+1)*N:(i+2)*N:(i+2)*N]
			d0, d1 := d[i*N:(i+1)*N:(i+1)*N], d[(i+1)*N:(i+2)*N:(i+2)*N]
			r2, q1, q2, d0, d1 = r2[:len(r1)], q1[:len(r1)], q2[:len(r1)], d0[:len(r1)], d1[:len(r1)]
			for j, w := range r1 {
				v := buf[newest+int(d0[j])]
				u := buf[newest+int(d1[j])]
				a1 += float64(w * v)
				a2 += float64(r2[j] * v)
				b1 += float64(q1[j] * u)
				b2 += float64(q2[j] * u)
			}
			acc1[i], acc2[i], acc1[i+1], acc2[i+1] = a1, a2, b1, b2
		}
		for ; i < N; i++ {
			var a1, a2 float64
			row1, row2 := w1[i*N:(i+1)*N:(i+1)*N], w2[i*N:(i+1)*N:(i+1)*N]
			drow := d[i*N : (i+1)*N : (i+1)*N]
			row2 = row2[:len(row1)]
			drow = drow[:len(row1)]
			for j, w := range row1 {
				v := buf[newest+int(drow[j])]
				a1 += float64(w * v)
				a2 += float64(row2[j] * v)
			}
			acc1[i], acc2[i] = a1, a2
		}
	default:
		for _, cp := range group {
			s.weightedSums([]*couplingPlan{cp})
		}
	}
}

// diffusiveSum computes acc_i = sum_j W_ij * (g_j(t - d_ij) - y_i), one member.
func (s *sim) diffusiveSum(cp *couplingPlan) {
	N := s.N
	r := cp.g.ring
	newest := r.col * N
	buf := r.buf
	d := s.off // j - d_ij*N: the offset of x_j(t - d_ij) from the newest column's start
	acc := s.out(cp.pc.Acc, 0, s.L)
	y := s.get(cp.local, 0, s.L)
	if len(cp.post) > 0 {
		for i := range N {
			yi := pick(y, i)
			var a float64
			row, drow := cp.w[i*N:(i+1)*N:(i+1)*N], d[i*N:(i+1)*N:(i+1)*N]
			drow = drow[:len(row)]
			for j, wij := range row {
				t := buf[newest+int(drow[j])] - yi
				for _, op := range cp.post {
					t = eqn.Apply(op, t, 0, 0)
				}
				a += float64(wij * t)
			}
			acc[i] = a
		}
		return
	}
	i := 0
	for ; i+1 < N; i += 2 {
		y0, y1 := pick(y, i), pick(y, i+1)
		var a0, a1 float64
		w0, w1 := cp.w[i*N:(i+1)*N:(i+1)*N], cp.w[(i+1)*N:(i+2)*N:(i+2)*N]
		d0, d1 := d[i*N:(i+1)*N:(i+1)*N], d[(i+1)*N:(i+2)*N:(i+2)*N]
		w1, d0, d1 = w1[:len(w0)], d0[:len(w0)], d1[:len(w0)]
		for j, wij := range w0 {
			a0 += float64(wij * (buf[newest+int(d0[j])] - y0))
			a1 += float64(w1[j] * (buf[newest+int(d1[j])] - y1))
		}
		acc[i], acc[i+1] = a0, a1
	}
	for ; i < N; i++ {
		yi := pick(y, i)
		var a float64
		row, drow := cp.w[i*N:(i+1)*N:(i+1)*N], d[i*N:(i+1)*N:(i+1)*N]
		drow = drow[:len(row)]
		for j, wij := range row {
			a += float64(wij * (buf[newest+int(drow[j])] - yi))
		}
		acc[i] = a
	}
}
