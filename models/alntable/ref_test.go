package alntable

import (
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/neuromass/neuromass/internal/npz"
)

// referenceDir finds ../shared/reference/neurolib relative to the repository root (the directory
// holding go.mod), walking up from the test's working directory. CI always has it.
func referenceDir(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		up := filepath.Dir(dir)
		if up == dir {
			t.Fatal("no go.mod above the working directory")
		}
		dir = up
	}
	ref := filepath.Join(dir, "..", "shared", "reference", "neurolib")
	if _, err := os.Stat(filepath.Join(ref, "data", "aln_lookup_tables.npz")); err != nil {
		t.Fatalf("neurolib reference data not found (%v); CI provides ../shared/reference", err)
	}
	return ref
}

// neurolibTables reads neurolib's tables from the reference npz.
func neurolibTables(t testing.TB) map[string][]float64 {
	t.Helper()
	f, err := npz.Read(filepath.Join(referenceDir(t), "data", "aln_lookup_tables.npz"))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]float64{}
	for _, k := range []string{"Irange", "sigmarange", "precalc_r", "precalc_V", "precalc_tau_mu", "precalc_tau_sigma"} {
		a := f[k]
		if a == nil {
			t.Fatalf("reference npz lacks %s", k)
		}
		out[k] = a.Floats()
	}
	return out
}

func relErr(a, b float64) float64 {
	if a == b {
		return 0
	}
	return math.Abs(a-b) / math.Max(math.Abs(a), math.Abs(b))
}
