package alntable

import (
	"testing"
	"time"
)

func TestQuickPoints(t *testing.T) {
	ref := neurolibTables(t)
	mu, sg := ref["Irange"], ref["sigmarange"]
	lm, ls := Linspace(-1, 7, 350), Linspace(0.5, 5, 64)
	for i := range mu {
		if mu[i] != lm[i] {
			t.Errorf("mu[%d] %v != linspace %v", i, mu[i], lm[i])
		}
	}
	for i := range sg {
		if sg[i] != ls[i] {
			t.Errorf("sigma[%d] %v != linspace %v", i, sg[i], ls[i])
		}
	}
	s, err := NewSolver(NeurolibParams())
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("n=%d kr=%d dV=%v last=%v", len(s.V), s.kr, s.dV, s.V[len(s.V)-1])
	for _, ij := range [][2]int{{20, 5}, {200, 40}, {349, 63}, {0, 0}, {100, 10}} {
		i, j := ij[0], ij[1]
		t0 := time.Now()
		p, err := s.Point(mu[i], sg[j])
		if err != nil {
			t.Fatal(err)
		}
		k := i*64 + j
		t.Logf("(%d,%d) %v: r %v/%v (%.2g) V %v/%v (%.2g) tmu %v/%v tsig %v/%v", i, j, time.Since(t0),
			p.R, ref["precalc_r"][k], relErr(p.R, ref["precalc_r"][k]),
			p.V, ref["precalc_V"][k], relErr(p.V, ref["precalc_V"][k]),
			p.TauMu, ref["precalc_tau_mu"][k], p.TauSigma, ref["precalc_tau_sigma"][k])
	}
}
