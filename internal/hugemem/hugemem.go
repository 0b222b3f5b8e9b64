// Package hugemem allocates large float64 slices that the kernel may back with transparent huge
// pages. On the virtual machines neuromass is developed on, a first touch of a fresh 4 KiB page
// costs about 20 us: writing a 100 MB result array page by page took 0.6 s, against 0.02 s with
// huge pages (measured, see the cpu backend's issue notes). Where the kernel or the platform does
// not support the advice, the slices are ordinary ones.
package hugemem

// threshold is the size from which the advice is given: smaller slices come from the Go heap's
// small-object spans, where it would be pointless.
const threshold = 4 << 20

// Floats returns a zeroed slice of n float64.
func Floats(n int) []float64 {
	s := make([]float64, n)
	if n*8 >= threshold {
		advise(s)
	}
	return s
}
