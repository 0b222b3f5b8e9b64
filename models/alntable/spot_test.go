package alntable

import (
	"context"
	"math"
	"testing"
	"time"
)

// spotPoints is a spread sample of neurolib's 350 x 64 grid: the corners, the middle, points
// where tau_sigma_exp is 0 (the rate falls with sigma), where r_ss is tiny (3.7e-130 at (0, 0)),
// and a deterministic scatter over the rest.
func spotPoints() [][2]int {
	pts := [][2]int{{0, 0}, {0, 63}, {349, 0}, {349, 63}, {175, 32}, {200, 40}, {20, 5}, {100, 10}, {60, 0}, {120, 63}}
	for k := 1; len(pts) < 36; k++ {
		pts = append(pts, [2]int{(k * 97) % 350, (k * 29) % 64})
	}
	return pts
}

// TestSpotPoints recomputes the spread sample (with the kernel of this build: plain Go, or SIMD
// with GOEXPERIMENT=simd) and checks it against neurolib's table (r_ss and V_mean_ss to 1e-10
// relative, the time constants exactly) and, when the shipped table is built in, against it (bit
// for bit: same code, same arithmetic).
func TestSpotPoints(t *testing.T) {
	ref := neurolibTables(t)
	mu, sg := ref["Irange"], ref["sigmarange"]
	s, err := NewSolver(NeurolibParams())
	if err != nil {
		t.Fatal(err)
	}
	pts := spotPoints()
	if testing.Short() {
		pts = pts[:6]
	}
	want := map[[2]int]bool{}
	for _, p := range pts {
		want[p] = true
	}
	shipped, serr := Default()
	if serr != nil {
		t.Logf("no shipped table to compare with: %v", serr)
	}
	got := map[[2]int]Point{}
	t0 := time.Now()
	err = s.Grid(context.Background(), mu, sg, GridOptions{
		Skip: func(i, j int) bool { return !want[[2]int{i, j}] },
		Emit: func(i, j int, p Point) error { got[[2]int{i, j}] = p; return nil },
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d points in %v with kernel %s", len(got), time.Since(t0), KernelName())
	nonzeroTauSigma, zeroTauSigma := 0, 0
	for _, ij := range pts {
		p, ok := got[ij]
		if !ok {
			t.Fatalf("point %v not computed", ij)
		}
		k := ij[0]*len(sg) + ij[1]
		where := func() string { return "(mu " + fmtF(mu[ij[0]]) + ", sigma " + fmtF(sg[ij[1]]) + ")" }
		if e := relErr(p.R, ref["precalc_r"][k]); e > 1e-10 {
			t.Errorf("%s r_ss %v, neurolib %v (rel. %.2g)", where(), p.R, ref["precalc_r"][k], e)
		}
		if e := relErr(p.V, ref["precalc_V"][k]); e > 1e-10 {
			t.Errorf("%s V_mean_ss %v, neurolib %v (rel. %.2g)", where(), p.V, ref["precalc_V"][k], e)
		}
		if p.TauMu != ref["precalc_tau_mu"][k] {
			t.Errorf("%s tau_mu_exp %v, neurolib %v", where(), p.TauMu, ref["precalc_tau_mu"][k])
		}
		if p.TauSigma != ref["precalc_tau_sigma"][k] {
			t.Errorf("%s tau_sigma_exp %v, neurolib %v", where(), p.TauSigma, ref["precalc_tau_sigma"][k])
		}
		if p.TauSigma == 0 {
			zeroTauSigma++
		} else {
			nonzeroTauSigma++
		}
		if shipped != nil {
			if sp := shipped.At(ij[0], ij[1]); !samePoint(sp, p) {
				t.Errorf("%s recomputed %+v, shipped table %+v", where(), p, sp)
			}
		}
	}
	if zeroTauSigma == 0 || nonzeroTauSigma == 0 {
		t.Errorf("the sample should cover tau_sigma_exp = 0 and > 0 (%d, %d)", zeroTauSigma, nonzeroTauSigma)
	}
}

func samePoint(a, b Point) bool {
	return math.Float64bits(a.R) == math.Float64bits(b.R) && math.Float64bits(a.V) == math.Float64bits(b.V) &&
		a.TauMu == b.TauMu && a.TauSigma == b.TauSigma
}

func fmtF(x float64) string { return formatFloat(x) }
