package cpu

//go:generate go run rows_gen.go

// The inner loops of the SIMD coupling sums (kernels_simd.go's rowW8, rowWD8 and rowWW8, the
// AVX2 rowW4, rowWD4 and rowWW4, and their float32 forms), in assembly (rows_amd64.s, written by
// rows_gen.go): one target's group of four vectors of members (AVX-512: 32 float64 or 64 float32,
// a whole block of the default size) summed over all sources. The compiled Go loop spent about 45 instructions per source, slicing and
// bounds checks around 13 vector operations, and reloaded a spilled pointer every source; these
// spend 22 (rowWD), 29 with the prefetches. The arithmetic is the Go loop's, operation for operation and operand for
// operand (the same VSUBP/VMULP/VADDP with the same sources first, so even NaN payloads agree):
// the same bits.
//
// Arguments: acc (and acc2) the group's first accumulator, w (and w2) the n weights, off the n
// source offsets, buf the history with lim = len(buf) - the group's lanes, base the index of the
// newest column plus the group's first member. Source j's values are buf[base+off[j]:][:lanes];
// a kernel checks each such index against [0, lim] and returns false at the first outside it,
// without storing anything (the caller then runs the Go loop, which panics as Go does).
//
// next, when not nil, holds offsets read in step with off (ahead: those pfAhead sources further
// on): while summing source j the kernel prefetches the group's lines at buf[base+next[j]:]
// (AVX2: two; PREFETCHT0; a prefetch never faults and changes no value), so that the history, which lives in
// L2 and L3 (a 64-member block's live history is about 2.5 MB, the L2 1 MB), is in the first
// cache when its turn comes. The hardware prefetchers cannot guess these addresses: each source's
// column is at its own delay.

//go:noescape
func asmRowW8(acc *float64, w *float64, n int, off *int32, buf *float64, lim int, base int, next *int32) bool

//go:noescape
func asmRowWD8(acc *float64, w *float64, n int, off *int32, buf *float64, lim int, base int, next *int32, y *float64) bool

//go:noescape
func asmRowWW8(acc *float64, w *float64, n int, off *int32, buf *float64, lim int, base int, next *int32, acc2 *float64, w2 *float64) bool

//go:noescape
func asmRowW8f32(acc *float32, w *float32, n int, off *int32, buf *float32, lim int, base int, next *int32) bool

//go:noescape
func asmRowWD8f32(acc *float32, w *float32, n int, off *int32, buf *float32, lim int, base int, next *int32, y *float32) bool

//go:noescape
func asmRowWW8f32(acc *float32, w *float32, n int, off *int32, buf *float32, lim int, base int, next *int32, acc2 *float32, w2 *float32) bool

//go:noescape
func asmRowW4(acc *float64, w *float64, n int, off *int32, buf *float64, lim int, base int, next *int32) bool

//go:noescape
func asmRowWD4(acc *float64, w *float64, n int, off *int32, buf *float64, lim int, base int, next *int32, y *float64) bool

//go:noescape
func asmRowWW4(acc *float64, w *float64, n int, off *int32, buf *float64, lim int, base int, next *int32, acc2 *float64, w2 *float64) bool

//go:noescape
func asmRowW4f32(acc *float32, w *float32, n int, off *int32, buf *float32, lim int, base int, next *int32) bool

//go:noescape
func asmRowWD4f32(acc *float32, w *float32, n int, off *int32, buf *float32, lim int, base int, next *int32, y *float32) bool

//go:noescape
func asmRowWW4f32(acc *float32, w *float32, n int, off *int32, buf *float32, lim int, base int, next *int32, acc2 *float32, w2 *float32) bool

// ahead returns the offsets pfAhead sources after off's first, which run into the next target's
// row in off's capacity (ensembleSums passes rows of the target-major s.off), or nil when the
// capacity ends before (the last target). What it returns only steers prefetches: any memory
// within the capacity is safe to read.
func ahead(off []int32) *int32 {
	n := len(off)
	if !asmPrefetch || n == 0 || cap(off) < n+pfAhead {
		return nil
	}
	return &off[:n+pfAhead][pfAhead]
}

// pfAhead is how many sources ahead the loops prefetch: 16 columns (64 lines, 4 KB of float32
// or float64 members) in flight. Measured on the development VM (Hopf's rowWD over a ring of 80
// nodes x 64 float32 members x 120 columns, random delays, user seconds): no prefetch 0.53-0.75,
// 8 ahead 0.43-0.56, 12-32 ahead 0.39-0.50, 48 0.49-0.60, a whole target (80) ahead 0.45-0.63.
// Near the end of a row the offsets are the next target's (its first sources), when off's
// capacity holds them.
const pfAhead = 16

// asmRows and asmPrefetch switch the assembly loops and their prefetches (tests compare both
// ways).
var asmRows, asmPrefetch = true, true
