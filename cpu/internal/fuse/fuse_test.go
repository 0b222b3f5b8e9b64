package fuse

import (
	"slices"
	"testing"

	"github.com/neuromass/neuromass/engine/eqn"
	"github.com/neuromass/neuromass/models"
)

func program(t *testing.T, src string) *eqn.Program {
	t.Helper()
	m, err := eqn.Compile("m.nm", src, eqn.Options{})
	if err != nil {
		t.Fatal(err)
	}
	p, err := m.Program()
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestAnalyzeHopf checks the plan of Hopf's step against its listing: the new values are stored
// (and only they: its output registers are the new values, and BOLD is computed in Out), the
// state, input and noise loads are leaves, and every operand is either a value of the region or a
// register from before it.
func TestAnalyzeHopf(t *testing.T) {
	m, err := models.Compile("hopf", eqn.Options{})
	if err != nil {
		t.Fatal(err)
	}
	p, err := m.Program()
	if err != nil {
		t.Fatal(err)
	}
	pl, err := Analyze(p)
	if err != nil {
		t.Fatal(err)
	}
	var stored []int32
	for _, i := range pl.Stores {
		stored = append(stored, pl.Code[i].Dst)
	}
	slices.Sort(stored)
	want := slices.Clone(p.New)
	slices.Sort(want)
	if !slices.Equal(stored, want) {
		t.Errorf("stores %v, expected the new values %v", stored, want)
	}
	// the outputs x and y are the new values of x and y (and Out reads x for BOLD): only the OU
	// states' new values are read by the commit alone
	if len(pl.CommitOnly) != len(pl.Stores) {
		t.Fatalf("%d CommitOnly for %d stores", len(pl.CommitOnly), len(pl.Stores))
	}
	for k, i := range pl.Stores {
		st := slices.Index(p.New, pl.Code[i].Dst)
		name := m.States[st].Name
		if want := name == "x_ou" || name == "y_ou"; pl.CommitOnly[k] != want {
			t.Errorf("new value of %s: CommitOnly %v, expected %v", name, pl.CommitOnly[k], want)
		}
	}
	for _, i := range pl.Leaves {
		if op := pl.Code[i].Op; op != eqn.OpState && op != eqn.OpInput && op != eqn.OpNoise {
			t.Errorf("leaf %d is %v", i, op)
		}
	}
	for i, args := range pl.Args {
		for k := range pl.Code[i].Op.Arity() {
			if s := args[k]; s.Kind == SrcVal && s.Index >= i || s.Kind == SrcNone {
				t.Errorf("instruction %d operand %d: %+v", i, k, s)
			}
		}
	}
}

// TestAnalyzeRefuses checks that a program with an operation the fused code has no form for (the
// derivative of a lookup, which only Jacobians hold) is refused.
func TestAnalyzeRefuses(t *testing.T) {
	p := &eqn.Program{NumRegs: 3, Bold: -1, New: []int32{2},
		Step: []eqn.Instr{{Op: eqn.OpState, Dst: 0, A: -1, B: -1, C: -1},
			{Op: eqn.OpLookupDRow, Dst: 1, A: 0, B: 0, C: -1}, {Op: eqn.OpAdd, Dst: 2, A: 0, B: 1, C: -1}}}
	if _, err := Analyze(p); err == nil {
		t.Error("a derivative lookup: no error")
	}
	if _, err := Analyze(&eqn.Program{Bold: -1}); err == nil {
		t.Error("an empty step: no error")
	}
}

// TestAnalyzeGroups checks that lookups at the same arguments share a group, whatever their
// tables, and a lookup at other arguments starts one of its own.
func TestAnalyzeGroups(t *testing.T) {
	p := program(t, `model m
param k = 0.3
state x
init x = 0.5
table T(a, b)
table U(a, b)
d x/dt = -x + T(x, k * x) + U(x, k * x) + T(k * x, x)
output x
`)
	pl, err := Analyze(p)
	if err != nil {
		t.Fatal(err)
	}
	if len(pl.Groups) != 2 || len(pl.Groups[0]) != 2 || len(pl.Groups[1]) != 1 {
		t.Errorf("lookup groups %v, expected two and one", pl.Groups)
	}
}

// TestFingerprint checks that the fingerprint tells programs apart and is stable.
func TestFingerprint(t *testing.T) {
	a := program(t, "model m\nstate x\ninit x = 1\nd x/dt = -x\noutput x\n")
	b := program(t, "model m\nstate x\ninit x = 1\nd x/dt = -2 * x\noutput x\n")
	if Fingerprint(a) == Fingerprint(b) {
		t.Error("two programs share a fingerprint")
	}
	if Fingerprint(a) != Fingerprint(program(t, "model m\nstate x\ninit x = 1\nd x/dt = -x\noutput x\n")) {
		t.Error("the same program has two fingerprints")
	}
}
