package eqn

// Level says how often a value changes, for hoisting: constants never, member values once per run
// and ensemble member, node values once per member and node, step values every step, pair values
// for every (i, j) of a coupling sum.
type Level uint8

// The levels, in increasing order of variation.
const (
	LevelConst Level = iota
	LevelMember
	LevelNode
	LevelStep
	LevelPair
)

func (l Level) String() string {
	return [...]string{"const", "member", "node", "step", "pair"}[l]
}

// Levels returns the level of every node of the model's graph.
func (m *Model) Levels() []Level {
	g := m.G
	lv := make([]Level, len(g.Nodes))
	for id, n := range g.Nodes { // arguments always precede their users
		var l Level
		switch n.Op {
		case OpConst, OpBoolConst:
			l = LevelConst
		case OpParam:
			l = LevelMember
			if m.Params[n.Ref].PerNode {
				l = LevelNode
			}
		case OpDt, OpN:
			l = LevelMember
		case OpState, OpNew, OpInput, OpNoise, OpCoupling, OpDelayed, OpUniform:
			l = LevelStep
		case OpConn, OpRemote:
			l = LevelPair
		case OpLookup, OpLookupDRow, OpLookupDCol:
			l = LevelMember // table data arrive at run time, fixed for the run
		}
		for _, a := range n.Args() {
			l = max(l, lv[a])
		}
		lv[id] = l
	}
	return lv
}

// Schedule returns every node reachable from roots, each after its arguments, in a deterministic
// order (depth first, roots in order, arguments A, B, C). Coupling summands are not entered: an
// OpCoupling leaf stands for its sum.
func (g *Graph) Schedule(roots ...ID) []ID {
	seen := make([]bool, len(g.Nodes))
	var order []ID
	var visit func(id ID)
	visit = func(id ID) {
		if id == NoID || seen[id] {
			return
		}
		seen[id] = true
		for _, a := range g.Nodes[id].Args() {
			visit(a)
		}
		order = append(order, id)
	}
	for _, r := range roots {
		visit(r)
	}
	return order
}

// Uses counts, for every node, how many scheduled nodes use it as an argument.
func (g *Graph) Uses(order []ID) map[ID]int {
	u := map[ID]int{}
	for _, id := range order {
		for _, a := range g.Nodes[id].Args() {
			u[a]++
		}
	}
	return u
}
