package cpu

import (
	"math"

	"github.com/neuromass/neuromass/engine/eqn"
)

// The step phases (Pre, Step, After, Out) always run over all lanes, and every register a step
// instruction reads lives in memory fixed for the whole run: its own store, a state vector, a
// parameter vector, or (one member) a scalar constant. So each instruction is compiled once, at
// NewSim, into a closure over the slices it reads and writes, with its kernel chosen for the
// operands' shapes: per step, an instruction costs one call and its loop, not a decode.
//
// Every closure also records its destination in s.view, so that code still interpreted (coupling
// bodies, the g rings, recording and commit) sees the same registers.

// compiler tracks, while a phase is compiled, what each register holds at that point.
type compiler struct {
	s    *sim
	view [][]float64 // the register's memory at this point of the program
	def  []int       // an id of the definition it holds (lookups at the same definitions share placements)
	next int
	pos  map[[3]int]*placeGroup // (def of A, def of B, table) -> a placement made earlier in the step
	cst  []bool                 // the register holds a run constant (member or node phase, or folded here)
}

func newCompiler(s *sim) *compiler {
	c := &compiler{s: s, view: make([][]float64, len(s.view)), def: make([]int, len(s.view)), pos: map[[3]int]*placeGroup{},
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
func (c *compiler) define(r int32, v []float64) {
	c.view[r] = v
	c.cst[r] = false
	c.next++
	c.def[r] = c.next
}

// phase compiles a step phase.
func (c *compiler) phase(code []eqn.Instr) []func() {
	fs := make([]func(), 0, len(code))
	for _, in := range code {
		fs = append(fs, c.instr(in))
	}
	return fs
}

// publish returns a closure that sets s.view[r] to v (full lanes) after running f.
func (c *compiler) publish(r int32, v []float64, f func()) func() {
	s := c.s
	full := len(v) == s.L
	if f == nil {
		return func() { s.view[r], s.full[r] = v, full }
	}
	return func() {
		f()
		s.view[r], s.full[r] = v, full
	}
}

func (c *compiler) instr(in eqn.Instr) func() {
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
		for l := range dst {
			dst[l] = val
		}
		c.define(in.Dst, dst)
		return c.publish(in.Dst, dst, nil)
	case eqn.OpInput, eqn.OpNoise, eqn.OpDelayed:
		c.define(in.Dst, dst)
		return c.publish(in.Dst, dst, func() { s.exec(in, 0, L, -1, -1) })
	case eqn.OpLookup:
		t := s.p.Tables[in.Ref]
		a, b := c.view[in.A], c.view[in.B]
		key := [3]int{c.def[in.A], c.def[in.B], int(in.Ref)}
		// a placement made for the same arguments on the same grid is shared: the first lookup
		// (the leader) interpolates every table of its group in one pass over the lanes, into
		// buffers of their own, since the later lookups' registers may still hold live values then
		var shared *placeGroup
		for k, g := range c.pos {
			if k[0] == key[0] && k[1] == key[1] {
				if o := s.p.Tables[k[2]]; o.Row == t.Row && o.Col == t.Col && o.Last == t.Last {
					shared = g
					break
				}
			}
		}
		if shared != nil {
			buf := make([]float64, L)
			shared.more = append(shared.more, fusedLookup{t: t, d: buf})
			c.define(in.Dst, buf)
			return c.publish(in.Dst, buf, nil)
		}
		c.define(in.Dst, dst)
		g := &placeGroup{pos: newTablePos(L)}
		c.pos[key] = g
		return c.publish(in.Dst, dst, func() {
			g.pos.place(t, a, b, L)
			g.pos.interp(t, dst, g.more)
		})
	case eqn.OpLookupDRow, eqn.OpLookupDCol, eqn.OpConn, eqn.OpRemote:
		c.define(in.Dst, dst)
		return c.publish(in.Dst, dst, func() { s.exec(in, 0, L, -1, -1) })
	}
	// arithmetic
	var a, b, cc []float64
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
	isConst := func(r int32, v []float64) bool { return v == nil || len(v) == 1 && c.cst[r] }
	scalar := len(a) == 1 && c.cst[in.A] && (in.Op.Arity() < 2 || isConst(in.B, b)) && (in.Op.Arity() < 3 || isConst(in.C, cc))
	if scalar {
		// constants of a single member: computed now, once
		d := s.store[in.Dst][:1:1]
		var y, z float64
		if b != nil {
			y = b[0]
		}
		if cc != nil {
			z = cc[0]
		}
		d[0] = eqn.Apply(in.Op, a[0], y, z)
		c.define(in.Dst, d)
		c.cst[in.Dst] = true
		return c.publish(in.Dst, d, nil)
	}
	c.define(in.Dst, dst)
	var f func()
	switch in.Op {
	case eqn.OpAdd, eqn.OpSub, eqn.OpMul, eqn.OpDiv:
		f = binKernel(in.Op, dst, a, b)
	case eqn.OpSqrt:
		if len(a) == L {
			f = func() { sqrtV(dst, a) }
		} else {
			f = func() { sqrtOp(dst, a) }
		}
	case eqn.OpNeg:
		f = func() {
			for l := range dst {
				dst[l] = -pick(a, l)
			}
		}
	case eqn.OpSelect:
		f = func() {
			for l := range dst {
				if pick(a, l) != 0 {
					dst[l] = pick(b, l)
				} else {
					dst[l] = pick(cc, l)
				}
			}
		}
	case eqn.OpExp:
		f = func() {
			for l := range dst {
				dst[l] = math.Exp(pick(a, l))
			}
		}
	case eqn.OpLt, eqn.OpLe, eqn.OpGt, eqn.OpGe:
		op := in.Op
		f = func() {
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
		f = func() { applyLanes(op, dst, a, b, cc) }
	}
	return c.publish(in.Dst, dst, f)
}

// binKernel returns d = a op b with the kernel for the operands' shapes.
func binKernel(op eqn.Op, d, a, b []float64) func() {
	type kset struct {
		vv func(d, a, b []float64)
		sv func(d []float64, x float64, b []float64)
		vs func(d, a []float64, y float64)
	}
	var k kset
	switch op {
	case eqn.OpAdd:
		k = kset{addVV, addSV, addVS}
	case eqn.OpSub:
		k = kset{subVV, subSV, subVS}
	case eqn.OpMul:
		k = kset{mulVV, mulSV, mulVS}
	default:
		k = kset{divVV, divSV, divVS}
	}
	switch {
	case len(a) == len(d) && len(b) == len(d):
		return func() { k.vv(d, a, b) }
	case len(a) == 1 && len(b) == len(d):
		return func() { k.sv(d, a[0], b) }
	case len(b) == 1 && len(a) == len(d):
		return func() { k.vs(d, a, b[0]) }
	}
	return func() {
		for l := range d {
			d[l] = eqn.Apply(op, pick(a, l), pick(b, l), 0)
		}
	}
}

// placeGroup is a table placement and the other tables interpolated at it.
type placeGroup struct {
	pos  *tablePos
	more []fusedLookup
}
