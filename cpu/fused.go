package cpu

// The fused kernels (cpu/fused_gen.go) are generated from the built-in models' lane programs; the
// directive lives here, in a file every build compiles, so that `go generate ./...` always
// refreshes them.
//go:generate go run ./internal/fusegen -o fused_gen.go

import (
	"math"
	"os"
	"slices"
	"sync/atomic"

	"github.com/neuromass/neuromass/cpu/internal/fuse"
	"github.com/neuromass/neuromass/engine/eqn"
)

// Fused kernels. Interpreted, every instruction of a step is a loop over a chunk's lanes that
// loads its operands from memory and stores its result: ALN's 200 step instructions stream 600
// vectors of a chunk through L2 per step. For the built-in models, cpu/internal/fusegen writes the
// Step and After phases as straight-line SIMD code instead (fused_gen.go, GOEXPERIMENT=simd on
// amd64): one vector of lanes at a time, every instruction in program order with the same
// operations the interpreter's kernels use (IEEE + - * / and sqrt per lane, never a fused
// multiply-add; comparisons 1 or +0 and select as ltVV and selVVV; the other functions lane by lane
// through eqn's definitions), so the values stay in vector registers and only what later code
// reads is stored. The lookups split the code into loops: each lookup group runs between two loops
// over the whole range with the interpreter's tablePos.place and interp calls, the values that
// cross it kept in scratch vectors. Scratch (those values, the lookups' placements and results) is
// indexed from the range's first lane, so that every chunk of a chunked step reuses the same few
// kilobytes, which stay in cache, where per-lane buffers would stream the whole step's. Member
// values (ALN's step reads 41) are read from one node's lanes, repeated, rather than from all of the
// chunk's. The bits are the interpreter's.
//
// A kernel is used only when the Sim's program has exactly the fingerprint the kernel was generated
// from (fuse.Fingerprint: any other program, a custom model, is interpreted), the kernel set has a
// vector width the generator wrote (AVX-512 or AVX2: not with the plain-Go kernels, so
// Backend.Disable and NEUROMASS_CPU_FEATURES switch fusion off with them), lookups grouped by the
// generator share their grids, and NEUROMASS_CPU_FUSED is not "0". Ranges of lanes that are not
// whole vectors run interpreted. The operands the fused code reads (states, parameters, member
// constants, the coupling sums, registers of the Pre phase) are bound at NewSim, in fuse.Analyze's
// order, to the memory the compiler's view gives them as the Step phase starts; input, noise and
// delayed values keep the interpreter's code, run before the loop into buffers of their own.

// fusedArgs is what a generated kernel reads and writes.
type fusedArgs[F float] struct {
	in   [][]F // fuse.Plan.Ext, then fuse.Plan.Leaves: all lanes each
	out  [][]F // fuse.Plan.Stores: all lanes each, or scratch (CommitOnly)
	tmp  [][]F // values kept between the kernel's loops: scratch, lane lo at index 0
	pm   int   // the lanes of the member values in: lane l reads index l % pm (see fused)
	look []fusedLook[F]
	kn   *kernels[F]
}

// fusedLook is one lookup group's placement and its tables' values, all lanes each.
type fusedLook[F float] struct {
	pos  *tablePos[F]
	t    *table[F]
	d    []F
	more []fusedLookup[F] // the group's other tables, each into its own buffer
}

// lookup places the n points (y, x) of a range of lanes on lookup group g's grid and interpolates
// every table of the group there: the interpreter's calls (compile.go, OpLookup) on the same
// values. Placements and results are scratch, in the first n lanes of their buffers.
func (a *fusedArgs[F]) lookup(g int, y, x []F, n int) {
	f := &a.look[g]
	f.pos.place(a.kn, f.t, y[:n:n], x[:n:n], 0, n)
	f.pos.interp(f.t, f.d[:n:n], f.more, 0)
}

// fusedKernel is the generated code of one program, per vector width.
type fusedKernel struct {
	model, fingerprint string
	tmp                int // scratch vectors
	f32                map[int]func(*fusedArgs[float32], int, int)
	f64                map[int]func(*fusedArgs[float64], int, int)
}

// fusedKernels are the generated kernels (none without GOEXPERIMENT=simd or off amd64).
var fusedKernels []fusedKernel

// fusedOff switches the fused kernels off (NEUROMASS_CPU_FUSED=0, or SetFused in tests).
var fusedOff = os.Getenv("NEUROMASS_CPU_FUSED") == "0"

// fusedBuilt counts the Sims built with a fused kernel (tests check that they ran one).
var fusedBuilt atomic.Int64

// fusedKernelFor returns the generated kernel for s's program and kernel width, or nil.
func fusedKernelFor[F float](s *sim[F]) (func(*fusedArgs[F], int, int), int) {
	if fusedOff || s.kn.vec == 0 || len(fusedKernels) == 0 {
		return nil, 0
	}
	fp := fuse.Fingerprint(s.prog)
	for _, k := range fusedKernels {
		if k.fingerprint != fp {
			continue
		}
		var f any
		if elemSize[F]() == 4 {
			if g, ok := k.f32[s.kn.vec]; ok {
				f = g
			}
		} else if g, ok := k.f64[s.kn.vec]; ok {
			f = g
		}
		if f == nil {
			return nil, 0
		}
		return f.(func(*fusedArgs[F], int, int)), k.tmp
	}
	return nil, 0
}

// fused returns the Step and After phases as one fused step function, or nil (interpreted). before
// is the compiler's view of every register as the Step phase starts; step and after are the
// interpreted phases, which run the ranges that are not whole vectors.
func (s *sim[F]) fused(before [][]F, step, after []stepFn) stepFn {
	kernel, tmps := fusedKernelFor(s)
	if kernel == nil {
		return nil
	}
	pl, err := fuse.Analyze(s.prog)
	if err != nil {
		return nil
	}
	L, W := s.L, s.kn.vec
	a := &fusedArgs[F]{kn: s.kn, pm: s.fusedPeriod(pl, before, W)}
	ext := make([]bool, len(pl.Ext)) // the operand is one value (a member constant of one member)
	for k, r := range pl.Ext {
		v := before[r]
		if pl.Member[k] && a.pm < L {
			// one node's members (or, with one member, one vector of its value): in the L1 cache
			// however many nodes the range has
			if len(v) == 1 {
				v = slices.Repeat(v, a.pm)
			}
			a.in = append(a.in, v[:a.pm:a.pm])
			ext[k] = len(before[r]) == 1
			continue
		}
		switch len(v) {
		case L:
			a.in = append(a.in, v[:L:L])
		case 1:
			// a run constant: filled out to all lanes once
			full := make([]F, L)
			for l := range full {
				full[l] = v[0]
			}
			a.in = append(a.in, full)
			ext[k] = true
		default:
			return nil
		}
	}
	if a.pm < L && (a.pm%W != 0 || L%a.pm != 0) {
		return nil
	}
	// the interpreter computes an instruction of single values once, at NewSim (compile.go); the
	// kernels have no such form
	for i, in := range pl.Code {
		if in.Op.IsLeaf() {
			continue
		}
		one := true
		for k := range in.Op.Arity() {
			src := pl.Args[i][k]
			one = one && src.Kind == fuse.SrcExt && ext[src.Index]
		}
		if one {
			return nil
		}
	}
	// leaves: states and parameters in place, a local delay of every member's same length in its
	// ring's column (moved every step), the others into registers of their own
	var leaves []stepFn
	mem := map[int][]F{}   // a leaf's memory, by instruction
	moved := map[int]int{} // a leaf read where it is now (a ring's column), by instruction: its index in a.in
	for _, i := range pl.Leaves {
		in := pl.Code[i]
		switch {
		case in.Op == eqn.OpState:
			mem[i] = s.cur[in.Ref]
		case in.Op == eqn.OpParam:
			mem[i] = s.params[in.Ref]
		case in.Op == eqn.OpDelayed && s.laneDelay(in.Ref) >= 0:
			r, d, k := s.rings[s.m.Delays[in.Ref].State], s.laneDelay(in.Ref), len(a.in)
			leaves = append(leaves, func(lo, hi int) { a.in[k] = r.column(d) })
			moved[i] = k
			mem[i] = r.column(d) // the ring has its memory (newSim); the leaf moves it every step
		default:
			r := int32(len(s.store))
			s.store = append(s.store, make([]F, L))
			s.view = append(s.view, nil)
			s.full = append(s.full, false)
			s.ver = append(s.ver, 0)
			s.consts = append(s.consts, false)
			own := in
			own.Dst = r
			if in.Op == eqn.OpInput {
				// without a time series an input is its default at every step: filled once
				filled := false
				leaves = append(leaves, func(lo, hi int) {
					if s.inT[own.Ref] != nil {
						s.exec(own, lo, hi, -1, -1)
						filled = false
					} else if !filled {
						s.exec(own, 0, L, -1, -1)
						filled = true
					}
				})
			} else {
				leaves = append(leaves, func(lo, hi int) { s.exec(own, lo, hi, -1, -1) })
			}
			mem[i] = s.store[r]
		}
		a.in = append(a.in, mem[i][:L:L])
	}
	local := map[int]bool{} // stores kept in scratch, by instruction
	for k, i := range pl.Stores {
		if pl.CommitOnly[k] {
			// only the commit of the range reads it: scratch, as the kernel's other values
			local[i] = true
			a.out = append(a.out, make([]F, L))
			continue
		}
		a.out = append(a.out, s.store[pl.Code[i].Dst][:L:L])
	}
	for range tmps {
		a.tmp = append(a.tmp, make([]F, L))
	}
	for _, g := range pl.Groups {
		lead := pl.Code[g[0]]
		t := s.p.Tables[lead.Ref]
		f := fusedLook[F]{pos: newTablePos[F](L), t: s.tables[lead.Ref], d: make([]F, L)}
		for _, i := range g[1:] {
			ref := pl.Code[i].Ref
			if o := s.p.Tables[ref]; o.Row != t.Row || o.Col != t.Col || o.Last != t.Last {
				return nil // another grid: the interpreter places it apart
			}
			f.more = append(f.more, fusedLookup[F]{t: s.tables[ref], d: make([]F, L)})
		}
		a.look = append(a.look, f)
	}
	// what the region leaves in s.view, for the code after it (Out, recording, commit, BOLD)
	type pub struct {
		r     int32
		v     []F
		in    int  // a leaf read where it is: a.in[in] (v unused); else -1
		local bool // scratch: the range's lanes from index 0
	}
	var pubs []pub
	for r, i := range pl.Final {
		if k, ok := moved[i]; ok {
			pubs = append(pubs, pub{r, nil, k, false})
			continue
		}
		if local[i] {
			pubs = append(pubs, pub{r, a.out[slices.Index(pl.Stores, i)], -1, true})
			continue
		}
		v, ok := mem[i]
		if !ok {
			v = s.store[pl.Code[i].Dst]
		}
		pubs = append(pubs, pub{r, v[:L:L], -1, false})
	}
	fusedBuilt.Add(1)
	return func(lo, hi int) {
		if (hi-lo)%W != 0 {
			s.runPhase(step, lo, hi)
			s.runPhase(after, lo, hi)
			return
		}
		for _, f := range leaves {
			f(lo, hi)
		}
		kernel(a, lo, hi)
		for _, p := range pubs {
			switch {
			case p.local:
				// a view of the range's lanes alone, as the interpreter's out leaves it
				s.view[p.r], s.full[p.r] = p.v[:hi-lo:hi-lo], false
			case p.in >= 0:
				s.view[p.r], s.full[p.r] = a.in[p.in], true
			default:
				s.view[p.r], s.full[p.r] = p.v, true
			}
		}
	}
}

// fusedPeriod returns how the kernel reads member values: lane l at index l % period. With E
// members a multiple of the vector width, and every member value the same at every node (a member
// value computed from parameters given per lane may differ), the period is E: one node's lanes,
// which stay in the L1 cache while the kernel streams many nodes. With one member every member value
// is a single number: one vector of it. Otherwise all L lanes.
func (s *sim[F]) fusedPeriod(pl *fuse.Plan, before [][]F, W int) int {
	switch {
	case s.E == 1 && s.L%W == 0:
		for k, r := range pl.Ext {
			if pl.Member[k] && len(before[r]) != 1 {
				return s.L
			}
		}
		return W
	case s.E > 1 && s.E%W == 0:
		for k, r := range pl.Ext {
			if !pl.Member[k] {
				continue
			}
			v := before[r]
			if len(v) != s.L {
				return s.L
			}
			for l := s.E; l < s.L; l++ {
				if math.Float64bits(float64(v[l])) != math.Float64bits(float64(v[l%s.E])) {
					return s.L
				}
			}
		}
		return s.E
	}
	return s.L
}
