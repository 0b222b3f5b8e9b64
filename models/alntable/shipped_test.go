package alntable

import (
	"math"
	"reflect"
	"strings"
	"testing"
)

// tauExceptions lists grid points (mu index, sigma index) where the shipped tau_mu_exp or
// tau_sigma_exp may differ from neurolib's, with the reason. Empty: they agree everywhere.
var tauExceptions = map[[2]int]string{}

// TestShippedAgainstNeurolib compares the shipped table with neurolib's over the whole grid:
// r_ss and V_mean_ss to 1e-10 relative, the time constants exactly.
func TestShippedAgainstNeurolib(t *testing.T) {
	ref := neurolibTables(t)
	tb, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	if tb.Params == nil || !reflect.DeepEqual(*tb.Params, NeurolibParams()) {
		t.Errorf("shipped table's parameters %+v are not neurolib's", tb.Params)
	}
	if !strings.HasPrefix(tb.Command, "neuromass precalc aln") {
		t.Errorf("shipped table's command %q", tb.Command)
	}
	for q, key := range []string{"Irange", "sigmarange"} {
		got := [][]float64{tb.Mu, tb.Sigma}[q]
		if !reflect.DeepEqual(got, ref[key]) {
			t.Fatalf("grid %s differs from neurolib's", key)
		}
	}
	var maxR, maxV float64
	var diffR, diffV, diffTau int
	ns := len(tb.Sigma)
	for k := range tb.R {
		if e := relErr(tb.R[k], ref["precalc_r"][k]); e > 0 {
			diffR++
			maxR = math.Max(maxR, e)
		}
		if e := relErr(tb.V[k], ref["precalc_V"][k]); e > 0 {
			diffV++
			maxV = math.Max(maxV, e)
		}
		if tb.TauMu[k] != ref["precalc_tau_mu"][k] || tb.TauSigma[k] != ref["precalc_tau_sigma"][k] {
			diffTau++
			if why, ok := tauExceptions[[2]int{k / ns, k % ns}]; ok {
				t.Logf("(%d, %d): tau_mu %v (neurolib %v), tau_sigma %v (neurolib %v): %s", k/ns, k%ns,
					tb.TauMu[k], ref["precalc_tau_mu"][k], tb.TauSigma[k], ref["precalc_tau_sigma"][k], why)
				continue
			}
			t.Errorf("(mu %v, sigma %v): tau_mu_exp %v (neurolib %v), tau_sigma_exp %v (neurolib %v)",
				tb.Mu[k/ns], tb.Sigma[k%ns], tb.TauMu[k], ref["precalc_tau_mu"][k], tb.TauSigma[k], ref["precalc_tau_sigma"][k])
		}
	}
	t.Logf("%d points: r_ss differs at %d (max rel. %.3g), V_mean_ss at %d (max rel. %.3g), time constants at %d",
		len(tb.R), diffR, maxR, diffV, maxV, diffTau)
	if maxR > 1e-10 || maxV > 1e-10 {
		t.Errorf("max relative error r_ss %.3g, V_mean_ss %.3g; want <= 1e-10", maxR, maxV)
	}
}
