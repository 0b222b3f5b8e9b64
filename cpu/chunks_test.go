package cpu_test

import (
	"fmt"
	"testing"

	"github.com/neuromass/neuromass/cpu"
	"github.com/neuromass/neuromass/engine"
	"github.com/neuromass/neuromass/engine/enginetest"
)

// TestChunksConformance runs ensembles' steps a few nodes at a time (sim.go, "Chunks": the lane
// program, the coupling sums of those targets, recording and commit per chunk) and checks every
// model, every variant and both precisions against the definition (enginetest.Interp) bit for bit.
// Chunks of 1 and 4 nodes of 3 and 6 (the last one partial) with 7 and 33 members (vector tails),
// and 8, 16 and 32 members, which the coupling sums run four or two targets at a time (rowWT) where
// they fill one or two vectors. The default chunk covers these small networks whole, so without the
// override the suite would not run chunks.
func TestChunksConformance(t *testing.T) {
	for _, chunk := range []int{1, 4} {
		for name, b := range variantBackends(t) {
			for _, prec := range []engine.Precision{engine.F64, engine.F32} {
				t.Run(fmt.Sprintf("chunk%d/%s/%v", chunk, name, prec), func(t *testing.T) {
					defer cpu.SetChunkNodes(cpu.SetChunkNodes(chunk))
					enginetest.Run(t, b, enginetest.Options{Precision: prec, Reference: enginetest.Interp{},
						ReferencePrecision: prec, Exact: enginetest.ExactAll, Members: []int{7, 8, 16, 32, 33}, Nodes: []int{3, 6}, Duration: 5})
				})
			}
		}
	}
}
