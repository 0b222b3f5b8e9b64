package eqn

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Program is a model lowered to a register machine for CPU executors: the "lane program". Every
// register holds one value per lane; the executor decides what the lanes are (the members of an
// ensemble at one node, or the nodes of one member) and how many there are. An executor runs
//
//	Member                       once per member: constants and member values, hoisted out of the time loop
//	Node                         once per member and node: per-node values (keep the NodeLive registers per node)
//	every step, for every node:
//	    Pre                      step values the coupling summands read, before the sums
//	    for every coupling c:    Acc = +0.0; for j = 0 .. N-1 ascending: Body
//	                             (Body ends with Acc = Acc + summand, an ordinary OpAdd)
//	    Step                     the new values of the states, before the after maps
//	    After                    the after maps
//	    Out                      outputs and bold; it defines nothing else, so it may be skipped on
//	                             steps that record nothing
//	    then New[k] holds state k's new value (store it), Outputs[o] and Bold the recorded values
//
// Instructions never reorder, fuse or reassociate the model's arithmetic: each one is one graph
// node, computed exactly as Graph.Eval computes it (progApply). Registers are reused once the value
// they hold is dead (linear scan over the instruction order, with values that a loop reads but does
// not define kept live to the end of that loop), so a program needs few lane vectors.
type Program struct {
	NumRegs int // registers r0 .. NumRegs-1

	Member    []Instr        // LevelConst and LevelMember values
	Node      []Instr        // LevelNode values (per-node parameters and what depends only on them)
	Pre       []Instr        // LevelStep values read by coupling summands
	Couplings []ProgCoupling // one per Model.Couplings, run in order after Pre
	Step      []Instr        // the rest of the step: the states' new values before after maps
	After     []Instr        // the after maps, reading the new values from Step
	Out       []Instr        // outputs and bold, reading the new values after the after maps

	New     []int32 // per state: the register of its new value (after its after map), valid after After
	Outputs []int32 // per output: its register, valid after Out
	Bold    int32   // the register of the BOLD input, valid after Out; -1 when the model has none

	// Registers live across phases: those the member prologue leaves for later phases, and those
	// the node prologue leaves for the step (an executor running nodes one after another keeps
	// these per node). Every other register is a temporary of its phase, dead at the phase's end,
	// except the coupling accumulators (from the start of their loop to their last use in Step) and
	// New, Outputs and Bold (to the end of the step).
	MemberLive []int32
	NodeLive   []int32

	m *Model
}

// ProgCoupling is the summand loop of one coupling.
type ProgCoupling struct {
	Acc  int32   // the accumulator: set to +0.0 before j = 0; after the loop it holds the sum
	Body []Instr // evaluated for every j in ascending order; its last instruction is Acc = Acc + summand
}

// Instr is one instruction of a Program: Dst = Op(A, B, C). A, B and C are registers, -1 where the
// operation takes fewer arguments. Leaves load one value per lane into Dst:
//
//	OpConst, OpBoolConst   Val
//	OpParam                parameter Ref of the lane (the lane's member, and node if per node)
//	OpState                state Ref before the step
//	OpInput, OpNoise       input Ref, the standard-normal sample of noise Ref, this step
//	OpDelayed              Model.Delays[Ref] of this node
//	OpDt, OpN              the step in ms, the number of nodes
//	OpConn                 C[i][j] of the current j (coupling bodies only)
//	OpRemote               state Ref of node j, delayed by d[i][j] (coupling bodies only)
//
// OpNew and OpCoupling never occur: new values and coupling sums are registers (Program.New,
// ProgCoupling.Acc, and Step reads the Acc registers directly). OpLookup, OpLookupDRow and
// OpLookupDCol read table Ref at (A, B).
type Instr struct {
	Op           Op
	Dst, A, B, C int32
	Ref          int32
	Val          float64
}

// Program lowers the model to a lane program. It returns an error, not a panic, when an expression
// reads something its phase cannot supply (uniform() outside init, C_ij or x[j] outside a coupling
// summand, a new value in the step, a coupling inside a summand, ...), or when the graph is malformed.
func (m *Model) Program() (*Program, error) {
	if m == nil || m.G == nil {
		return nil, fmt.Errorf("eqn: program: no compiled model")
	}
	if err := m.progCheck(); err != nil {
		return nil, err
	}
	b := &progBuilder{m: m, g: m.G, lv: m.Levels(), global: map[ID]int{}}
	return b.build(), nil
}

// progPhase names the contexts the phases evaluate in.
type progPhase int

const (
	progInStep progPhase = iota
	progInSummand
	progInAfter
	progInOut
)

// progCheck checks the graph's structure and that every expression reads only what its phase has.
func (m *Model) progCheck() error {
	g := m.G
	fail := func(format string, args ...any) error {
		return fmt.Errorf("eqn: model %s: "+format, append([]any{m.Name}, args...)...)
	}
	for id, n := range g.Nodes {
		if n.Op >= numOps {
			return fail("node %d has the unknown operation %d", id, n.Op)
		}
		for _, a := range n.Args() {
			if a < 0 || a >= ID(id) {
				return fail("node %d (%v) has the argument %d, expected an earlier node", id, n.Op, a)
			}
		}
		var count int
		var what string
		switch n.Op {
		case OpParam:
			count, what = len(m.Params), "parameter"
		case OpState, OpNew, OpRemote:
			count, what = len(m.States), "state"
		case OpInput:
			count, what = len(m.Inputs), "input"
		case OpNoise:
			count, what = len(m.Noises), "noise source"
		case OpCoupling:
			count, what = len(m.Couplings), "coupling"
		case OpDelayed:
			count, what = len(m.Delays), "delayed value"
		case OpLookup, OpLookupDRow, OpLookupDCol:
			count, what = len(m.Tables), "table"
		default:
			continue
		}
		if n.Ref < 0 || int(n.Ref) >= count {
			return fail("node %d (%v) reads %s %d, the model has %d", id, n.Op, what, n.Ref, count)
		}
	}
	root := func(id ID, what string, optional bool) error {
		if id == NoID && optional {
			return nil
		}
		if id < 0 || int(id) >= len(g.Nodes) {
			return fail("%s is the invalid node %d", what, id)
		}
		return nil
	}
	type job struct {
		id    ID
		what  string
		phase progPhase
		self  int
	}
	var jobs []job
	for k := range m.States {
		s := &m.States[k]
		what := "the update of state " + s.Name
		if err := root(s.Next, what, false); err != nil {
			return err
		}
		jobs = append(jobs, job{s.Next, what, progInStep, k})
		what = "the after map of state " + s.Name
		if err := root(s.After, what, true); err != nil {
			return err
		}
		if s.After != NoID {
			jobs = append(jobs, job{s.After, what, progInAfter, k})
		}
	}
	for c := range m.Couplings {
		what := "the summand of coupling " + m.Couplings[c].Name
		if err := root(m.Couplings[c].Sum, what, false); err != nil {
			return err
		}
		jobs = append(jobs, job{m.Couplings[c].Sum, what, progInSummand, -1})
	}
	for o := range m.Outputs {
		what := "output " + m.Outputs[o].Name
		if err := root(m.Outputs[o].Expr, what, false); err != nil {
			return err
		}
		jobs = append(jobs, job{m.Outputs[o].Expr, what, progInOut, -1})
	}
	if err := root(m.Bold, "the bold input", true); err != nil {
		return err
	}
	if m.Bold != NoID {
		jobs = append(jobs, job{m.Bold, "the bold input", progInOut, -1})
	}
	for _, j := range jobs {
		for _, id := range g.Schedule(j.id) {
			if why := m.progLeafAllowed(g.Nodes[id], j.phase, j.self); why != "" {
				return fail("%s reads %s, %s", j.what, m.progLeafName(g.Nodes[id]), why)
			}
		}
	}
	return nil
}

// progLeafAllowed says why a phase cannot read the node, or "".
func (m *Model) progLeafAllowed(n Node, ph progPhase, self int) string {
	switch n.Op {
	case OpUniform:
		return "which only initial values may draw"
	case OpConn, OpRemote:
		if ph != progInSummand {
			return "which only a coupling summand may read"
		}
	case OpNew:
		switch ph {
		case progInStep, progInSummand:
			return "which only after maps, outputs and bold may read (the step reads the values before it)"
		case progInAfter:
			if int(n.Ref) != self {
				return fmt.Sprintf("but an after map may read only its own state (%s)", m.States[self].Name)
			}
		}
	case OpState:
		if ph == progInAfter || ph == progInOut {
			return "but after maps, outputs and bold read the new values"
		}
	case OpInput, OpNoise, OpCoupling, OpDelayed:
		switch ph {
		case progInSummand:
			return "which a coupling summand cannot read"
		case progInAfter, progInOut:
			return "which only the step may read"
		}
	}
	return ""
}

// progLeafName describes a leaf for error messages and listings.
func (m *Model) progLeafName(n Node) string {
	name := func(s string, what string) string {
		if s == "" {
			return fmt.Sprintf("%s %d", what, n.Ref)
		}
		return what + " " + s
	}
	ref := int(n.Ref)
	switch n.Op {
	case OpConst:
		return "const " + strconv.FormatFloat(n.Val, 'g', -1, 64)
	case OpBoolConst:
		return fmt.Sprintf("bool %v", n.Val != 0)
	case OpParam:
		return name(m.Params[ref].Name, "param")
	case OpState:
		return name(m.States[ref].Name, "state")
	case OpNew:
		return name(m.States[ref].Name, "the new value of state")
	case OpInput:
		return name(m.Inputs[ref].Name, "input")
	case OpNoise:
		return name(m.Noises[ref].Name, "noise")
	case OpCoupling:
		return name(m.Couplings[ref].Name, "coupling")
	case OpDelayed:
		d := m.Delays[ref]
		if d.State >= 0 && d.State < len(m.States) {
			return fmt.Sprintf("delayed[%d] %s", ref, m.States[d.State].Name)
		}
		return fmt.Sprintf("delayed[%d]", ref)
	case OpDt:
		return "dt"
	case OpN:
		return "N"
	case OpConn:
		return "C_ij"
	case OpRemote:
		if s := m.States[ref].Name; s != "" {
			return "remote " + s + "[j]"
		}
		return fmt.Sprintf("remote state %d [j]", ref)
	case OpUniform:
		return "uniform(lo, hi)"
	}
	return n.Op.String()
}

// progPending is an instruction whose operands are still values, not registers.
type progPending struct {
	op      Op
	dst     int // value
	a, b, c int // values, -1 when unused
	ref     int32
	val     float64
}

type progBuilder struct {
	m      *Model
	g      *Graph
	lv     []Level
	def    []int      // per value: the position of its definition
	uses   [][2]int   // (value, position) pairs
	pos    int        // next position
	global map[ID]int // member, node, pre and step values
	acc    []int      // per coupling: its accumulator value
	loops  [][2]int   // first and last position of every loop
}

func (b *progBuilder) newVal() int {
	b.def = append(b.def, b.pos)
	return len(b.def) - 1
}

// value returns the value of node id: OpNew is bound by newBind, OpCoupling to its accumulator,
// and the rest is looked up in local (pair, after and output values) then in global.
func (b *progBuilder) value(id ID, local map[ID]int, newBind []int) int {
	n := b.g.Nodes[id]
	switch n.Op {
	case OpNew:
		return newBind[n.Ref]
	case OpCoupling:
		return b.acc[n.Ref]
	}
	if v, ok := local[id]; ok {
		return v
	}
	v, ok := b.global[id]
	if !ok {
		panic(fmt.Sprintf("eqn: program: node %d (%v) used before it is scheduled", id, n.Op))
	}
	return v
}

// phase emits the nodes of order that keep accepts and that target does not hold yet.
func (b *progBuilder) phase(order []ID, keep func(Level) bool, target, local map[ID]int, newBind []int) []progPending {
	var out []progPending
	for _, id := range order {
		n := b.g.Nodes[id]
		if !keep(b.lv[id]) || n.Op == OpNew || n.Op == OpCoupling {
			continue
		}
		if _, ok := target[id]; ok {
			continue
		}
		p := progPending{op: n.Op, a: -1, b: -1, c: -1, ref: n.Ref, val: n.Val}
		for i, a := range n.Args() {
			v := b.value(a, local, newBind)
			b.uses = append(b.uses, [2]int{v, b.pos})
			switch i {
			case 0:
				p.a = v
			case 1:
				p.b = v
			case 2:
				p.c = v
			}
		}
		p.dst = b.newVal()
		target[id] = p.dst
		b.pos++
		out = append(out, p)
	}
	return out
}

func (b *progBuilder) build() *Program {
	m, g := b.m, b.g
	stepRoots, sums, afterRoots, outRoots := m.StepRoots(), m.SummandRoots(), m.AfterRoots(), m.OutputRoots()
	allOrder := g.Schedule(m.Roots()...)
	is := func(l Level) func(Level) bool { return func(x Level) bool { return x == l } }

	member := b.phase(allOrder, func(l Level) bool { return l <= LevelMember }, b.global, nil, nil)
	memberEnd := b.pos - 1
	nodeStart := b.pos
	node := b.phase(allOrder, is(LevelNode), b.global, nil, nil)
	nodeEnd := b.pos - 1
	b.loops = append(b.loops, [2]int{nodeStart, nodeEnd})

	stepStart := b.pos
	pre := b.phase(g.Schedule(sums...), is(LevelStep), b.global, nil, nil)
	b.acc = make([]int, len(m.Couplings))
	bodies := make([][]progPending, len(m.Couplings))
	for c := range m.Couplings {
		start := b.pos
		b.acc[c] = b.newVal() // initialised by the executor, before the loop
		b.pos++
		local := map[ID]int{}
		body := b.phase(g.Schedule(sums[c]), is(LevelPair), local, local, nil)
		s := b.value(sums[c], local, nil)
		b.uses = append(b.uses, [2]int{b.acc[c], b.pos}, [2]int{s, b.pos})
		bodies[c] = append(body, progPending{op: OpAdd, dst: b.acc[c], a: b.acc[c], b: s, c: -1})
		b.pos++
		b.loops = append(b.loops, [2]int{start, b.pos - 1})
	}
	step := b.phase(g.Schedule(stepRoots...), is(LevelStep), b.global, nil, nil)

	next := make([]int, len(m.States))
	for k, r := range stepRoots {
		next[k] = b.value(r, nil, nil)
	}
	afterLocal := map[ID]int{}
	after := b.phase(g.Schedule(afterRoots...), is(LevelStep), afterLocal, afterLocal, next)
	final := slices.Clone(next)
	for k, s := range m.States {
		if s.After != NoID {
			final[k] = b.value(s.After, afterLocal, next)
		}
	}
	outLocal := map[ID]int{}
	out := b.phase(g.Schedule(outRoots...), is(LevelStep), outLocal, outLocal, final)
	outs := make([]int, len(m.Outputs))
	for o := range m.Outputs {
		outs[o] = b.value(m.Outputs[o].Expr, outLocal, final)
	}
	bold := -1
	if m.Bold != NoID {
		bold = b.value(m.Bold, outLocal, final)
	}
	end := b.pos
	b.loops = append(b.loops, [2]int{stepStart, end - 1})

	// Lifetimes: last[v] is the first position whose result may take v's register. The instruction
	// that reads v last may (an executor reads every operand lane before writing it); a value a
	// loop reads but defines outside it is kept until the loop has ended; the values the executor
	// reads at the end (New, Outputs, Bold) are never given up.
	last := make([]int, len(b.def))
	for v, d := range b.def {
		last[v] = d + 1
	}
	for _, u := range b.uses {
		v, p := u[0], u[1]
		e := p
		for _, l := range b.loops {
			if l[0] <= p && p <= l[1] && !(l[0] <= b.def[v] && b.def[v] <= l[1]) {
				e = max(e, l[1]+1)
			}
		}
		last[v] = max(last[v], e)
	}
	pin := func(v int) {
		if v >= 0 {
			last[v] = end + 1
		}
	}
	for _, v := range final {
		pin(v)
	}
	for _, v := range outs {
		pin(v)
	}
	pin(bold)

	// Linear scan: values are defined in position order, one per position.
	reg := make([]int32, len(b.def))
	expire := make([][]int, end+2)
	for v, l := range last {
		expire[min(l, end+1)] = append(expire[min(l, end+1)], v)
	}
	var free []int32 // sorted, lowest first
	numRegs, released := 0, -1
	for v, p := range b.def { // values are numbered in position order
		for ; released < p; released++ { // free what expired at or before p
			for _, w := range expire[released+1] {
				i, _ := slices.BinarySearch(free, reg[w])
				free = slices.Insert(free, i, reg[w])
			}
		}
		if len(free) > 0 {
			reg[v], free = free[0], free[1:]
		} else {
			reg[v] = int32(numRegs)
			numRegs++
		}
	}

	lower := func(ps []progPending) []Instr {
		out := make([]Instr, len(ps))
		r := func(v int) int32 {
			if v < 0 {
				return -1
			}
			return reg[v]
		}
		for i, p := range ps {
			out[i] = Instr{Op: p.op, Dst: reg[p.dst], A: r(p.a), B: r(p.b), C: r(p.c), Ref: p.ref, Val: p.val}
		}
		return out
	}
	prog := &Program{
		NumRegs: numRegs, Member: lower(member), Node: lower(node), Pre: lower(pre), Step: lower(step),
		After: lower(after), Out: lower(out), Bold: -1, m: m,
	}
	for c := range m.Couplings {
		prog.Couplings = append(prog.Couplings, ProgCoupling{Acc: reg[b.acc[c]], Body: lower(bodies[c])})
	}
	for _, v := range final {
		prog.New = append(prog.New, reg[v])
	}
	for _, v := range outs {
		prog.Outputs = append(prog.Outputs, reg[v])
	}
	if bold >= 0 {
		prog.Bold = reg[bold]
	}
	maxUse := make([]int, len(b.def))
	for _, u := range b.uses {
		maxUse[u[0]] = max(maxUse[u[0]], u[1])
	}
	live := func(from, to int) []int32 { // defined in [from, to], read after to or by the executor
		var rs []int32
		for v, d := range b.def {
			if d >= from && d <= to && (maxUse[v] > to || last[v] > end) {
				rs = append(rs, reg[v])
			}
		}
		slices.Sort(rs)
		return slices.Compact(rs)
	}
	prog.MemberLive = live(0, memberEnd)
	prog.NodeLive = live(nodeStart, nodeEnd)
	return prog
}

// NumInstrs is the number of instructions of all phases.
func (p *Program) NumInstrs() int {
	n := len(p.Member) + len(p.Node) + len(p.Pre) + len(p.Step) + len(p.After) + len(p.Out)
	for _, c := range p.Couplings {
		n += len(c.Body)
	}
	return n
}

// String is a readable listing of the program.
func (p *Program) String() string {
	var sb strings.Builder
	name := ""
	if p.m != nil {
		name = p.m.Name
	}
	fmt.Fprintf(&sb, "program %s: %d registers, %d instructions\n", name, p.NumRegs, p.NumInstrs())
	list := func(title string, code []Instr) {
		fmt.Fprintf(&sb, "%s:\n", title)
		for _, in := range code {
			fmt.Fprintf(&sb, "\t%s\n", p.instrString(in))
		}
	}
	list("member (once per member)", p.Member)
	list("node (once per member and node)", p.Node)
	list("pre (every step)", p.Pre)
	for c, pc := range p.Couplings {
		cn := fmt.Sprint(c)
		if p.m != nil && c < len(p.m.Couplings) {
			cn = p.m.Couplings[c].Name
		}
		list(fmt.Sprintf("coupling %s (r%d = +0; for j = 0 .. N-1)", cn, pc.Acc), pc.Body)
	}
	list("step", p.Step)
	list("after", p.After)
	list("out", p.Out)
	regs := func(title string, names func(int) string, rs []int32) {
		sb.WriteString(title + ":")
		for i, r := range rs {
			if names != nil {
				fmt.Fprintf(&sb, " %s=r%d", names(i), r)
			} else {
				fmt.Fprintf(&sb, " r%d", r)
			}
		}
		sb.WriteString("\n")
	}
	regs("new", func(k int) string {
		if p.m != nil && k < len(p.m.States) {
			return p.m.States[k].Name
		}
		return fmt.Sprint(k)
	}, p.New)
	regs("outputs", func(o int) string {
		if p.m != nil && o < len(p.m.Outputs) {
			return p.m.Outputs[o].Name
		}
		return fmt.Sprint(o)
	}, p.Outputs)
	if p.Bold >= 0 {
		fmt.Fprintf(&sb, "bold: r%d\n", p.Bold)
	} else {
		sb.WriteString("bold: none\n")
	}
	regs("member live", nil, p.MemberLive)
	regs("node live", nil, p.NodeLive)
	return sb.String()
}

var progInfix = map[Op]string{
	OpAdd: "+", OpSub: "-", OpMul: "*", OpDiv: "/", OpLt: "<", OpLe: "<=", OpGt: ">", OpGe: ">=",
	OpEq: "==", OpNe: "!=", OpAnd: "and", OpOr: "or",
}

func (p *Program) instrString(in Instr) string {
	var rhs string
	switch {
	case in.Op.IsLeaf():
		if p.m != nil {
			rhs = p.m.progLeafName(Node{Op: in.Op, Ref: in.Ref, Val: in.Val})
		} else {
			rhs = fmt.Sprintf("%v %d %v", in.Op, in.Ref, in.Val)
		}
	case in.Op == OpLookup || in.Op == OpLookupDRow || in.Op == OpLookupDCol:
		t := fmt.Sprint(in.Ref)
		if p.m != nil && int(in.Ref) < len(p.m.Tables) {
			t = p.m.Tables[in.Ref].Name
		}
		rhs = fmt.Sprintf("%v %s(r%d, r%d)", in.Op, t, in.A, in.B)
	case progInfix[in.Op] != "":
		rhs = fmt.Sprintf("r%d %s r%d", in.A, progInfix[in.Op], in.B)
	case in.Op == OpNeg:
		rhs = fmt.Sprintf("-r%d", in.A)
	case in.Op == OpNot:
		rhs = fmt.Sprintf("not r%d", in.A)
	default:
		switch in.Op.Arity() {
		case 1:
			rhs = fmt.Sprintf("%v(r%d)", in.Op, in.A)
		case 2:
			rhs = fmt.Sprintf("%v(r%d, r%d)", in.Op, in.A, in.B)
		default:
			rhs = fmt.Sprintf("%v(r%d, r%d, r%d)", in.Op, in.A, in.B, in.C)
		}
	}
	return fmt.Sprintf("r%d = %s", in.Dst, rhs)
}

// ProgEnv supplies the leaf values of one step to the reference executors, per lane. Slices are
// indexed like the model's declarations, then by lane.
type ProgEnv struct {
	Params  [][]float64 // [param][lane]
	State   [][]float64 // [state][lane], before the step
	Inputs  [][]float64 // [input][lane]
	Noise   [][]float64 // [noise][lane]
	Delayed [][]float64 // [Model.Delays index][lane]
	Dt      float64
	N       int // the number of nodes: OpN reads it, coupling sums run over j = 0 .. N-1
	// Conn returns C[i][j] for the lane's node i; Remote returns state s of node j delayed by
	// d[i][j], as seen from the lane's node i.
	Conn   func(lane, j int) float64
	Remote func(state, lane, j int) float64
	Tables []*TableData
}

// ProgOut is what a reference executor returns, per lane.
type ProgOut[T float32 | float64] struct {
	New       [][]T // [state][lane]: the new values, after the after maps
	Outputs   [][]T // [output][lane]
	Bold      []T   // nil when the model has no bold input
	Couplings [][]T // [coupling][lane]: the coupling sums the step used
}

// Exec is the reference executor: it runs one step of every phase of the program over lanes lanes
// in float64, one instruction at a time over all lanes, exactly as Graph.Eval evaluates the same
// expressions (bit for bit: it is the oracle for the fast executors); both use eval.go's apply
// and lookup.
func (p *Program) Exec(lanes int, env *ProgEnv) (*ProgOut[float64], error) {
	return progRun(p, lanes, env, progApply, progLookup)
}

// Exec32 is the float32 reference executor, the semantics of the CPU float32 executors: every leaf
// is rounded to float32 when it is loaded (constants folded at compile time were folded in float64),
// and every operation rounds its result to float32. + - * / compare, select, min, max, clamp, abs,
// floor and sqrt are the IEEE single-precision operations (sqrt computed in float64 and rounded, which
// is the correctly rounded float32 square root); exp, log, sin, cos, tan, tanh, pow and mod are
// computed in float64 from the float32 arguments and rounded to float32. Table lookups follow
// TableData.Lookup and LookupD's order of arithmetic with every operation in float32, the table's
// values and axes rounded to float32.
func (p *Program) Exec32(lanes int, env *ProgEnv) (*ProgOut[float32], error) {
	return progRun(p, lanes, env, progApply32, progLookup32)
}

// progMachine holds the registers of a reference executor.
type progMachine[T float32 | float64] struct {
	p      *Program
	env    *ProgEnv
	regs   [][]T
	apply  func(op Op, a, b, c T) T
	lookup func(t *TableData, op Op, y, x T) T
}

func progRun[T float32 | float64](p *Program, lanes int, env *ProgEnv, apply func(Op, T, T, T) T,
	lookup func(*TableData, Op, T, T) T) (*ProgOut[T], error) {
	if err := p.CheckEnv(lanes, env); err != nil {
		return nil, err
	}
	mc := progNewMachine(p, lanes, env, apply, lookup)
	mc.run(p.Member, 0)
	mc.run(p.Node, 0)
	out := &ProgOut[T]{}
	out.Couplings = mc.step()
	for _, r := range p.New {
		out.New = append(out.New, slices.Clone(mc.regs[r]))
	}
	for _, r := range p.Outputs {
		out.Outputs = append(out.Outputs, slices.Clone(mc.regs[r]))
	}
	if p.Bold >= 0 {
		out.Bold = slices.Clone(mc.regs[p.Bold])
	}
	return out, nil
}

func progNewMachine[T float32 | float64](p *Program, lanes int, env *ProgEnv, apply func(Op, T, T, T) T,
	lookup func(*TableData, Op, T, T) T) *progMachine[T] {
	mc := &progMachine[T]{p: p, env: env, apply: apply, lookup: lookup, regs: make([][]T, p.NumRegs)}
	nan := T(math.NaN()) // registers start as NaN, so that reading one never written shows
	for r := range mc.regs {
		mc.regs[r] = make([]T, lanes)
		for l := range mc.regs[r] {
			mc.regs[r][l] = nan
		}
	}
	return mc
}

// step runs Pre, the coupling loops, Step, After and Out, and returns the coupling sums.
func (mc *progMachine[T]) step() [][]T {
	p := mc.p
	mc.run(p.Pre, 0)
	sums := make([][]T, len(p.Couplings))
	for c, pc := range p.Couplings {
		acc := mc.regs[pc.Acc]
		for l := range acc {
			acc[l] = 0
		}
		for j := 0; j < mc.env.N; j++ {
			mc.run(pc.Body, j)
		}
		sums[c] = slices.Clone(acc)
	}
	mc.run(p.Step, 0)
	mc.run(p.After, 0)
	mc.run(p.Out, 0)
	return sums
}

// run executes code over all lanes, with j the current index of a coupling sum.
func (mc *progMachine[T]) run(code []Instr, j int) {
	env := mc.env
	for _, in := range code {
		d := mc.regs[in.Dst]
		switch in.Op {
		case OpConst, OpBoolConst:
			v := T(in.Val)
			for l := range d {
				d[l] = v
			}
		case OpDt:
			v := T(env.Dt)
			for l := range d {
				d[l] = v
			}
		case OpN:
			v := T(float64(env.N))
			for l := range d {
				d[l] = v
			}
		case OpParam, OpState, OpInput, OpNoise, OpDelayed:
			src := env.Params
			switch in.Op {
			case OpState:
				src = env.State
			case OpInput:
				src = env.Inputs
			case OpNoise:
				src = env.Noise
			case OpDelayed:
				src = env.Delayed
			}
			s := src[in.Ref]
			for l := range d {
				d[l] = T(s[l])
			}
		case OpConn:
			for l := range d {
				d[l] = T(env.Conn(l, j))
			}
		case OpRemote:
			for l := range d {
				d[l] = T(env.Remote(int(in.Ref), l, j))
			}
		case OpLookup, OpLookupDRow, OpLookupDCol:
			t, a, b := env.Tables[in.Ref], mc.regs[in.A], mc.regs[in.B]
			for l := range d {
				d[l] = mc.lookup(t, in.Op, a[l], b[l])
			}
		default:
			var a, b, c []T
			switch in.Op.Arity() {
			case 3:
				c = mc.regs[in.C]
				fallthrough
			case 2:
				b = mc.regs[in.B]
				fallthrough
			case 1:
				a = mc.regs[in.A]
			}
			for l := range d {
				var x, y, z T
				x = a[l]
				if b != nil {
					y = b[l]
				}
				if c != nil {
					z = c[l]
				}
				d[l] = mc.apply(in.Op, x, y, z)
			}
		}
	}
}

// CheckEnv reports whether env supplies every leaf the program reads for lanes lanes.
func (p *Program) CheckEnv(lanes int, env *ProgEnv) error {
	if lanes < 0 {
		return fmt.Errorf("eqn: program: %d lanes, expected 0 or more", lanes)
	}
	if env == nil {
		return fmt.Errorf("eqn: program: no environment")
	}
	if env.N < 0 {
		return fmt.Errorf("eqn: program: environment has %d nodes, expected 0 or more", env.N)
	}
	codes := [][]Instr{p.Member, p.Node, p.Pre, p.Step, p.After, p.Out}
	for _, c := range p.Couplings {
		codes = append(codes, c.Body)
	}
	check := func(s [][]float64, ref int32, what string) error {
		if int(ref) >= len(s) {
			return fmt.Errorf("eqn: program needs %s %d, the environment has %d", what, ref, len(s))
		}
		if len(s[ref]) < lanes {
			return fmt.Errorf("eqn: program needs %s %d for %d lanes, the environment has %d", what, ref, lanes, len(s[ref]))
		}
		return nil
	}
	for _, code := range codes {
		for _, in := range code {
			var err error
			switch in.Op {
			case OpParam:
				err = check(env.Params, in.Ref, "parameter")
			case OpState:
				err = check(env.State, in.Ref, "state")
			case OpInput:
				err = check(env.Inputs, in.Ref, "input")
			case OpNoise:
				err = check(env.Noise, in.Ref, "noise")
			case OpDelayed:
				err = check(env.Delayed, in.Ref, "delayed value")
			case OpConn:
				if env.Conn == nil && env.N > 0 {
					err = fmt.Errorf("eqn: program needs the connection weights C_ij, the environment has no Conn")
				}
			case OpRemote:
				if env.Remote == nil && env.N > 0 {
					err = fmt.Errorf("eqn: program needs remote states x[j], the environment has no Remote")
				}
			case OpLookup, OpLookupDRow, OpLookupDCol:
				if int(in.Ref) >= len(env.Tables) || env.Tables[in.Ref] == nil {
					err = fmt.Errorf("eqn: program needs table %d, the environment has none", in.Ref)
				} else if t := env.Tables[in.Ref]; t.Row.N < 2 || t.Col.N < 2 || len(t.V) != t.Row.N*t.Col.N {
					err = fmt.Errorf("eqn: table %d is %d x %d with %d values, expected at least 2 x 2 and one value per grid point", in.Ref, t.Row.N, t.Col.N, len(t.V))
				}
			}
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// The reference executors' arithmetic is the language's one definition (eval.go).
func progApply(op Op, a, b, c float64) float64               { return apply(op, a, b, c) }
func progApply32(op Op, a, b, c float32) float32             { return apply(op, a, b, c) }
func progLookup(t *TableData, op Op, y, x float64) float64   { return lookup(t, op, y, x) }
func progLookup32(t *TableData, op Op, y, x float32) float32 { return lookup(t, op, y, x) }
