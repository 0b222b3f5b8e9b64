//go:build !(goexperiment.simd && amd64)

package alntable

// sweep runs the backward sweep over all frequencies.
func sweep(coef []float64, n, kr int, c, eRe, eIm []float64, o *sweepOut) {
	sweepGeneric(coef, n, kr, c, eRe, eIm, o, 0, len(c))
}

// KernelName names the sweep kernel in use.
func KernelName() string { return "generic" }
