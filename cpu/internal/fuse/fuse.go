package fuse

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"

	"github.com/neuromass/neuromass/engine/eqn"
)

// Version changes whenever the generated code's conventions change, so that kernels generated
// before no longer match any program.
const Version = "fuse-1 step+after"

// Fingerprint identifies a program and the phases a fused kernel covers: a kernel is used only
// for a program with the fingerprint it was generated from.
func Fingerprint(p *eqn.Program) string {
	h := sha256.Sum256([]byte(Version + "\n" + p.String()))
	return hex.EncodeToString(h[:])
}

// SrcKind says where an operand of a fused instruction comes from.
type SrcKind uint8

const (
	// SrcNone: the operation takes fewer operands.
	SrcNone SrcKind = iota
	// SrcExt: a register defined before the fused region (Plan.Ext[Index]), loaded from memory.
	SrcExt
	// SrcVal: the value of instruction Index of the region.
	SrcVal
)

// Src is one operand.
type Src struct {
	Kind  SrcKind
	Index int
}

// Plan is the fused form of a program's Step and After phases.
type Plan struct {
	Code []eqn.Instr // Step, then After
	Args [][3]Src    // per instruction: its operands A, B, C

	// Ext are the registers read before the region defines them, in the order of their first
	// read; the backend binds each to the memory the register has at the start of the Step phase.
	Ext []int32
	// Member says, per Ext, that the register holds a member value (Program.MemberLive): the same
	// for every node of a member, so the backend may bind it as one node's lanes, repeated.
	Member []bool
	// Leaves are the instructions (indices into Code) that load memory rather than compute: state,
	// parameter, input, noise and delayed values. The backend binds each, in this order, to the
	// memory it loads (input, noise and delayed values: a buffer of its own, filled before the
	// loop by the interpreter's code).
	Leaves []int
	// Groups are the lookups that share a table placement (the same arguments): the first
	// instruction of each places and interpolates every table of its group, the others read the
	// values it interpolated for them. Every lookup is in exactly one group, in order of leaders.
	Groups [][]int
	// Stores are the instructions whose values the region leaves in memory (each the last
	// definition of a register read after the region: a new state value, an output, the BOLD
	// input, or a register the Out phase reads), in the order of the instructions.
	Stores []int
	// CommitOnly says, per Stores, that only the commit reads the value after the region (a new
	// state value that Out does not read): the backend may keep it in scratch for the range the
	// region ran, which the commit of that range reads next.
	CommitOnly []bool
	// Final is, per register read after the region, the instruction of the region that last
	// defines it (leaves included); registers the region does not define are absent.
	Final map[int32]int
	// Used says whether each instruction's value is read by a later instruction or stored.
	Used []bool
}

// IsLeaf says whether op is a leaf the fused code loads from memory.
func IsLeaf(op eqn.Op) bool {
	switch op {
	case eqn.OpState, eqn.OpParam, eqn.OpInput, eqn.OpNoise, eqn.OpDelayed:
		return true
	}
	return false
}

// Analyze returns the fused plan of p's Step and After phases, or an error naming the first
// instruction the fused code does not handle (the backend then interprets the program).
func Analyze(p *eqn.Program) (*Plan, error) {
	pl := &Plan{Code: slices.Concat(p.Step, p.After), Final: map[int32]int{}}
	if len(pl.Code) == 0 {
		return nil, fmt.Errorf("fuse: no step instructions")
	}
	def := map[int32]int{} // register -> the instruction of the region that defines it now
	ext := map[int32]int{}
	src := func(r int32) Src {
		if i, ok := def[r]; ok {
			return Src{SrcVal, i}
		}
		k, ok := ext[r]
		if !ok {
			k = len(pl.Ext)
			ext[r] = k
			pl.Ext = append(pl.Ext, r)
			pl.Member = append(pl.Member, slices.Contains(p.MemberLive, r))
		}
		return Src{SrcExt, k}
	}
	type key struct{ a, b Src }
	groups := map[key]int{} // the arguments of a placement -> its group
	pl.Args = make([][3]Src, len(pl.Code))
	pl.Used = make([]bool, len(pl.Code))
	for i, in := range pl.Code {
		switch {
		case IsLeaf(in.Op):
			pl.Leaves = append(pl.Leaves, i)
		case in.Op == eqn.OpConst || in.Op == eqn.OpBoolConst:
		case in.Op == eqn.OpLookup, in.Op >= eqn.OpNeg && in.Op < eqn.OpLookup:
			regs := [3]int32{in.A, in.B, in.C}
			for k := range in.Op.Arity() {
				pl.Args[i][k] = src(regs[k])
				if s := pl.Args[i][k]; s.Kind == SrcVal {
					pl.Used[s.Index] = true
				}
			}
			if in.Op == eqn.OpLookup {
				k := key{pl.Args[i][0], pl.Args[i][1]}
				if g, ok := groups[k]; ok {
					pl.Groups[g] = append(pl.Groups[g], i)
				} else {
					groups[k] = len(pl.Groups)
					pl.Groups = append(pl.Groups, []int{i})
				}
			}
		default:
			return nil, fmt.Errorf("fuse: instruction %d (%v) has no fused form", i, in.Op)
		}
		def[in.Dst] = i
	}
	// a lookup reads its arguments' lanes as they lie in memory: all of them
	for i, in := range pl.Code {
		for k := range 2 {
			if in.Op == eqn.OpLookup && pl.Args[i][k].Kind == SrcExt {
				pl.Member[pl.Args[i][k].Index] = false
			}
		}
	}
	// the registers read after the region: New, what Out reads before it defines it, and the
	// Outputs and Bold that Out does not define
	after := slices.Clone(p.New)
	byOut := map[int32]bool{} // read after the region by something other than the commit
	outDef := map[int32]bool{}
	for _, in := range p.Out {
		regs := [3]int32{in.A, in.B, in.C}
		for k := range in.Op.Arity() {
			if !outDef[regs[k]] {
				after = append(after, regs[k])
				byOut[regs[k]] = true
			}
		}
		outDef[in.Dst] = true
	}
	for _, r := range p.Outputs {
		if !outDef[r] {
			after = append(after, r)
			byOut[r] = true
		}
	}
	if p.Bold >= 0 && !outDef[p.Bold] {
		after = append(after, p.Bold)
		byOut[p.Bold] = true
	}
	for _, r := range after {
		if i, ok := def[r]; ok {
			pl.Final[r] = i
			pl.Used[i] = true
			if !IsLeaf(pl.Code[i].Op) && !slices.Contains(pl.Stores, i) {
				pl.Stores = append(pl.Stores, i)
			}
		}
	}
	slices.Sort(pl.Stores)
	for _, i := range pl.Stores {
		pl.CommitOnly = append(pl.CommitOnly, !byOut[pl.Code[i].Dst])
	}
	return pl, nil
}
