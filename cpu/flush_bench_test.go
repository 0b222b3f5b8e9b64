package cpu

import (
	"fmt"
	"testing"
)

// BenchmarkFlush times the commit's copy and flush of one chunk's lanes of a state (4 KB, as the
// chunked step commits them), for every kernel variant this machine has: ns per call.
func BenchmarkFlush(b *testing.B) {
	for _, v := range variants {
		{
			n := 1024
			b.Run(fmt.Sprintf("%s/f32/%d", v.name, n), func(b *testing.B) {
				src, dst := make([]float32, n), make([]float32, n)
				for l := range src {
					src[l] = float32(l%97) * 0.37
				}
				for b.Loop() {
					v.k32.flush(dst, src)
				}
			})
			b.Run(fmt.Sprintf("%s/f64/%d", v.name, n/2), func(b *testing.B) {
				src, dst := make([]float64, n/2), make([]float64, n/2)
				for l := range src {
					src[l] = float64(l%97) * 0.37
				}
				for b.Loop() {
					v.k64.flush(dst, src)
				}
			})
		}
	}
}
