package cpu_test

import (
	"fmt"
	"testing"

	"github.com/neuromass/neuromass/cpu"
	"github.com/neuromass/neuromass/engine"
	"github.com/neuromass/neuromass/engine/enginetest"
)

// variantBackends returns a backend per kernel variant this build and CPU have.
func variantBackends(t *testing.T) map[string]*cpu.Backend {
	t.Helper()
	out := map[string]*cpu.Backend{}
	for _, v := range cpu.Variants() {
		b, err := cpu.ForVariant(v)
		if err != nil {
			t.Fatal(err)
		}
		if got, err := b.Variant(); err != nil || got != v {
			t.Fatalf("ForVariant(%q) uses %q (%v)", v, got, err)
		}
		out[v] = b
	}
	return out
}

// TestConformanceInterp checks every variant in both precisions against the definition of the
// arithmetic (enginetest.Interp on eqn's Exec and Exec32) bit for bit, every model included: the
// float32 path computes exp, sin, pow as Exec32 does (in float64, rounded once), so nothing is left
// to a library's last bit. Small grids: the interpreter is slow.
func TestConformanceInterp(t *testing.T) {
	members := []int{1, 7, 8, 33}
	if testing.Short() {
		members = []int{1, 7, 33}
	}
	for name, b := range variantBackends(t) {
		for _, prec := range []engine.Precision{engine.F64, engine.F32} {
			t.Run(fmt.Sprintf("%s/%v", name, prec), func(t *testing.T) {
				enginetest.Run(t, b, enginetest.Options{Precision: prec, Reference: enginetest.Interp{},
					ReferencePrecision: prec, Exact: enginetest.ExactAll, Members: members, Nodes: []int{1, 3}, Duration: 5})
			})
		}
	}
}
