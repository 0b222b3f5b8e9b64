package rng

import (
	"math"
	"testing"
)

// TestFillNormal64Nodes holds the node-wise fill equal to Normal64, bit for bit, for lengths that
// exercise the four-lane body and the tail.
func TestFillNormal64Nodes(t *testing.T) {
	for _, n := range []int{1, 3, 4, 5, 8, 80, 81} {
		dst := make([]float64, n)
		FillNormal64Nodes(dst, 0x123456789abc, 7, 11, 3, 1<<33+5)
		for i, v := range dst {
			want := Normal64(0x123456789abc, 7, uint32(11+i), 3, 1<<33+5)
			if math.Float64bits(v) != math.Float64bits(want) {
				t.Fatalf("n=%d node %d: %v, Normal64 %v", n, 11+i, v, want)
			}
		}
	}
}
