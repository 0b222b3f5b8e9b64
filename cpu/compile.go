package cpu

import (
	"math"

	"github.com/neuromass/neuromass/engine/eqn"
)

// The step phases (Pre, Step, After, Out) run over ranges of whole nodes' lanes, and every register
// a step instruction reads lives in memory fixed for the whole run: its own store, a state vector,
// a parameter vector, or (one member) a scalar constant. So each instruction is compiled once, at
// NewSim, into a closure over the slices it reads and writes, with its kernel chosen for the
// operands' shapes: per step and lane range, an instruction costs one call and its loop, not a
// decode. Every instruction of a step phase is lane-local (values of other nodes arrive only
// through the delay rings), so running the phases over one range of lanes after another gives the
// same bits as running each instruction over all lanes (sim.go, "Chunks").
//
// Every closure also records its destination in s.view, so that code still interpreted (coupling
// bodies, the g rings, recording and commit) sees the same registers.

// compiler tracks, while a phase is compiled, what each register holds at that point.
type compiler[F float] struct {
	s    *sim[F]
	view [][]F // the register's memory at this point of the program
	def  []int // an id of the definition it holds (lookups at the same definitions share placements)
	next int
	pos  map[[3]int]*placeGroup[F] // (def of A, def of B, table) -> a placement made earlier in the step
	cst  []bool                    // the register holds a run constant (member or node phase, or folded here)
}

func newCompiler[F float](s *sim[F]) *compiler[F] {
	c := &compiler[F]{s: s, view: make([][]F, len(s.view)), def: make([]int, len(s.view)), pos: map[[3]int]*placeGroup[F]{},
		cst: make([]bool, len(s.view))}
	for r := range s.view {
		c.cst[r] = s.consts[r]
		c.view[r] = s.view[r]
		c.def[r] = -1 - r
		if s.view[r] != nil && s.full[r] {
			c.view[r] = s.view[r][:s.L:s.L]
		}
	}
	return c
}

// define makes register r hold memory v from here on, and returns a closure suffix that publishes
// it to s.view at run time.
func (c *compiler[F]) define(r int32, v []F) {
	c.view[r] = v
	c.cst[r] = false
	c.next++
	c.def[r] = c.next
}

// stepFn runs one compiled instruction over lanes [lo, hi).
type stepFn func(lo, hi int)

// phase compiles a step phase.
func (c *compiler[F]) phase(code []eqn.Instr) []stepFn {
	fs := make([]stepFn, 0, len(code))
	for _, in := range code {
		fs = append(fs, c.instr(in))
	}
	return fs
}

// publish returns a closure that sets s.view[r] to v (full lanes) after running f.
func (c *compiler[F]) publish(r int32, v []F, f stepFn) stepFn {
	s := c.s
	full := len(v) == s.L
	if f == nil {
		return func(int, int) { s.view[r], s.full[r] = v, full }
	}
	return func(lo, hi int) {
		f(lo, hi)
		s.view[r], s.full[r] = v, full
	}
}

// lanes returns lanes [lo, hi) of v when it covers all L lanes, else v (a scalar).
func lanes[F float](v []F, L, lo, hi int) []F {
	if len(v) == L {
		return v[lo:hi:hi]
	}
	return v
}

func (c *compiler[F]) instr(in eqn.Instr) stepFn {
	s := c.s
	L := s.L
	dst := s.store[in.Dst][:L:L]
	switch in.Op {
	case eqn.OpState:
		v := s.cur[in.Ref]
		c.define(in.Dst, v)
		return c.publish(in.Dst, v, nil)
	case eqn.OpParam:
		v := s.params[in.Ref]
		c.define(in.Dst, v)
		return c.publish(in.Dst, v, nil)
	case eqn.OpConst, eqn.OpBoolConst, eqn.OpDt, eqn.OpN:
		val := in.Val
		switch in.Op {
		case eqn.OpDt:
			val = s.p.Dt
		case eqn.OpN:
			val = float64(s.N)
		}
		v := F(val)
		for l := range dst {
			dst[l] = v
		}
		c.define(in.Dst, dst)
		return c.publish(in.Dst, dst, nil)
	case eqn.OpInput, eqn.OpNoise, eqn.OpDelayed:
		c.define(in.Dst, dst)
		return c.publish(in.Dst, dst, func(lo, hi int) { s.exec(in, lo, hi, -1, -1) })
	case eqn.OpLookup:
		t, tf := s.p.Tables[in.Ref], s.tables[in.Ref]
		a, b := c.view[in.A], c.view[in.B]
		key := [3]int{c.def[in.A], c.def[in.B], int(in.Ref)}
		// a placement made for the same arguments on the same grid is shared: the first lookup
		// (the leader) interpolates every table of its group in one pass over the lanes, into
		// buffers of their own, since the later lookups' registers may still hold live values then
		var shared *placeGroup[F]
		for k, g := range c.pos {
			if k[0] == key[0] && k[1] == key[1] {
				if o := s.p.Tables[k[2]]; o.Row == t.Row && o.Col == t.Col && o.Last == t.Last {
					shared = g
					break
				}
			}
		}
		if shared != nil {
			buf := make([]F, L)
			shared.more = append(shared.more, fusedLookup[F]{t: tf, d: buf})
			c.define(in.Dst, buf)
			return c.publish(in.Dst, buf, nil)
		}
		c.define(in.Dst, dst)
		g := &placeGroup[F]{pos: newTablePos[F](L)}
		c.pos[key] = g
		return c.publish(in.Dst, dst, func(lo, hi int) {
			g.pos.place(s.kn, tf, lanes(a, L, lo, hi), lanes(b, L, lo, hi), lo, hi-lo)
			g.pos.interp(tf, dst[lo:hi:hi], g.more, lo)
		})
	case eqn.OpLookupDRow, eqn.OpLookupDCol, eqn.OpConn, eqn.OpRemote:
		c.define(in.Dst, dst)
		return c.publish(in.Dst, dst, func(lo, hi int) { s.exec(in, lo, hi, -1, -1) })
	}
	// arithmetic
	var a, b, cc []F
	switch in.Op.Arity() {
	case 3:
		cc = c.view[in.C]
		fallthrough
	case 2:
		b = c.view[in.B]
		fallthrough
	case 1:
		a = c.view[in.A]
	}
	// constants of a single member (length-1 run constants) fold here, once
	isConst := func(r int32, v []F) bool { return v == nil || len(v) == 1 && c.cst[r] }
	scalar := len(a) == 1 && c.cst[in.A] && (in.Op.Arity() < 2 || isConst(in.B, b)) && (in.Op.Arity() < 3 || isConst(in.C, cc))
	if scalar {
		// constants of a single member: computed now, once
		d := s.store[in.Dst][:1:1]
		var y, z F
		if b != nil {
			y = b[0]
		}
		if cc != nil {
			z = cc[0]
		}
		d[0] = s.apply(in.Op, a[0], y, z)
		c.define(in.Dst, d)
		c.cst[in.Dst] = true
		return c.publish(in.Dst, d, nil)
	}
	c.define(in.Dst, dst)
	var f stepFn
	switch in.Op {
	case eqn.OpAdd, eqn.OpSub, eqn.OpMul, eqn.OpDiv:
		f = binKernel(s.kn, s.apply, in.Op, dst, a, b)
	case eqn.OpSqrt:
		if len(a) == L {
			f = func(lo, hi int) { s.kn.sqrtV(dst[lo:hi:hi], a[lo:hi:hi]) }
		} else {
			f = func(lo, hi int) { sqrtOp(s.kn, dst[lo:hi:hi], a) }
		}
	case eqn.OpNeg:
		f = func(lo, hi int) {
			dst, a := dst[lo:hi:hi], lanes(a, L, lo, hi)
			for l := range dst {
				dst[l] = -pick(a, l)
			}
		}
	case eqn.OpSelect:
		if len(a) == L && len(b) == L && len(cc) == L {
			f = func(lo, hi int) { s.kn.selVVV(dst[lo:hi:hi], a[lo:hi:hi], b[lo:hi:hi], cc[lo:hi:hi]) }
			break
		}
		f = func(lo, hi int) {
			dst, a, b, cc := dst[lo:hi:hi], lanes(a, L, lo, hi), lanes(b, L, lo, hi), lanes(cc, L, lo, hi)
			for l := range dst {
				if pick(a, l) != 0 {
					dst[l] = pick(b, l)
				} else {
					dst[l] = pick(cc, l)
				}
			}
		}
	case eqn.OpExp, eqn.OpSin:
		// eqn's exp and sin: math's, in float64, rounded once; whole vectors with the kernel set's
		// expV or sinV (the same bits), when it has them and the operand has every lane
		fn, k := math.Exp, s.kn.expV
		if in.Op == eqn.OpSin {
			fn, k = math.Sin, s.kn.sinV
		}
		f = func(lo, hi int) {
			dst, a := dst[lo:hi:hi], lanes(a, L, lo, hi)
			done := 0
			if k != nil && len(a) == len(dst) {
				done = k(dst, a)
			}
			for l := done; l < len(dst); l++ {
				dst[l] = F(fn(float64(pick(a, l))))
			}
		}
	case eqn.OpLt, eqn.OpLe, eqn.OpGt, eqn.OpGe:
		op := in.Op
		if len(a) == L && len(b) == L {
			k := map[eqn.Op]func(d, a, b []F){eqn.OpLt: s.kn.ltVV, eqn.OpLe: s.kn.leVV, eqn.OpGt: s.kn.gtVV, eqn.OpGe: s.kn.geVV}[op]
			f = func(lo, hi int) { k(dst[lo:hi:hi], a[lo:hi:hi], b[lo:hi:hi]) }
			break
		}
		f = func(lo, hi int) {
			dst, a, b := dst[lo:hi:hi], lanes(a, L, lo, hi), lanes(b, L, lo, hi)
			for l := range dst {
				x, y := pick(a, l), pick(b, l)
				var t bool
				switch op {
				case eqn.OpLt:
					t = x < y
				case eqn.OpLe:
					t = x <= y
				case eqn.OpGt:
					t = x > y
				default:
					t = x >= y
				}
				if t {
					dst[l] = 1
				} else {
					dst[l] = 0
				}
			}
		}
	default:
		op := in.Op
		apply := s.apply
		f = func(lo, hi int) {
			applyLanes(apply, op, dst[lo:hi:hi], lanes(a, L, lo, hi), lanes(b, L, lo, hi), lanes(cc, L, lo, hi))
		}
	}
	return c.publish(in.Dst, dst, f)
}

// binKernel returns d = a op b over a range of lanes with the kernel for the operands' shapes (d
// covers all lanes).
func binKernel[F float](k *kernels[F], apply func(eqn.Op, F, F, F) F, op eqn.Op, d, a, b []F) stepFn {
	vv, sv, vs := k.addVV, k.addSV, k.addVS
	switch op {
	case eqn.OpSub:
		vv, sv, vs = k.subVV, k.subSV, k.subVS
	case eqn.OpMul:
		vv, sv, vs = k.mulVV, k.mulSV, k.mulVS
	case eqn.OpDiv:
		vv, sv, vs = k.divVV, k.divSV, k.divVS
	}
	L := len(d)
	switch {
	case len(a) == L && len(b) == L:
		return func(lo, hi int) { vv(d[lo:hi:hi], a[lo:hi:hi], b[lo:hi:hi]) }
	case len(a) == 1 && len(b) == L:
		return func(lo, hi int) { sv(d[lo:hi:hi], a[0], b[lo:hi:hi]) }
	case len(b) == 1 && len(a) == L:
		return func(lo, hi int) { vs(d[lo:hi:hi], a[lo:hi:hi], b[0]) }
	}
	return func(lo, hi int) {
		d, a, b := d[lo:hi:hi], lanes(a, L, lo, hi), lanes(b, L, lo, hi)
		for l := range d {
			d[l] = apply(op, pick(a, l), pick(b, l), 0)
		}
	}
}

// placeGroup is a table placement and the other tables interpolated at it.
type placeGroup[F float] struct {
	pos  *tablePos[F]
	more []fusedLookup[F]
}
