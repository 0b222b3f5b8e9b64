package alntable

import (
	"math"
	"testing"
	"time"
)

// TestSweepMatchesGeneric: the kernel in use (SIMD with GOEXPERIMENT=simd on amd64) gives the plain
// kernel's bits.
func TestSweepMatchesGeneric(t *testing.T) {
	p := NeurolibParams()
	p.Freqs = p.Freqs[:37] // not a multiple of the vector widths: the tail runs the plain kernel
	s, err := NewSolver(p)
	if err != nil {
		t.Fatal(err)
	}
	w := s.newWork()
	for _, ms := range [][2]float64{{1.5, 2.0}, {-1, 0.5}, {7, 5}} {
		r := s.steady(ms[0], ms[1], w.p, w.A, w.B)
		for k := range w.p {
			w.hmu[k] = 1e-5 * w.p[k]
			w.hsig[k] = 1e-5 * (r - float64(k)*w.p[k])
		}
		s.packCoef(w)
		got, want := newSweepOut(len(s.c)), newSweepOut(len(s.c))
		t0 := time.Now()
		sweep(w.coef, len(s.V), s.kr, s.c, s.eRe, s.eIm, &got)
		t1 := time.Now()
		sweepGeneric(w.coef, len(s.V), s.kr, s.c, s.eRe, s.eIm, &want, 0, len(s.c))
		t.Logf("kernel %s: %v, generic %v", KernelName(), t1.Sub(t0), time.Since(t1))
		for name, pair := range map[string][2][]float64{
			"qa.re": {got.qaRe, want.qaRe}, "qa.im": {got.qaIm, want.qaIm},
			"qmu.re": {got.qmRe, want.qmRe}, "qmu.im": {got.qmIm, want.qmIm},
			"qsigma.re": {got.qsRe, want.qsRe}, "qsigma.im": {got.qsIm, want.qsIm},
		} {
			for i := range pair[0] {
				if math.Float64bits(pair[0][i]) != math.Float64bits(pair[1][i]) {
					t.Fatalf("(mu %v, sigma %v) %s[%d]: kernel %s %v, plain Go %v", ms[0], ms[1], name, i, KernelName(), pair[0][i], pair[1][i])
				}
			}
		}
	}
}
