package main

import (
	"encoding/json"
	"errors"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/neuromass/neuromass"
	"github.com/neuromass/neuromass/dataset"
	"github.com/neuromass/neuromass/engine"
	"github.com/neuromass/neuromass/store"
)

// The Python side of the check (scripts/check_store.py) and what it needs.
const (
	python        = "/usr/bin/python3" // Debian's: the first python3 on PATH may not see Debian's packages
	pythonModules = "import numpy, h5py, xarray, h5netcdf"
	requirePyEnv  = "NEUROMASS_REQUIRE_PYTHON"
)

// needPython skips the test when Debian's Python with numpy, h5py, xarray and h5netcdf is missing,
// unless NEUROMASS_REQUIRE_PYTHON is set (CI sets it), where it fails instead.
func needPython(t *testing.T) {
	t.Helper()
	out, err := exec.Command(python, "-c", pythonModules).CombinedOutput()
	if err == nil {
		return
	}
	msg := "Python readers unavailable (" + python + ": " + strings.TrimSpace(string(out)) + " " + err.Error() +
		"): apt-get install python3-numpy python3-h5py python3-xarray python3-h5netcdf"
	if os.Getenv(requirePyEnv) != "" {
		t.Fatal(msg + " (" + requirePyEnv + " is set)")
	}
	t.Skip(msg)
}

// expectFile is one file of the expectation JSON that scripts/check_store.py reads.
type expectFile struct {
	Path              string               `json:"path"`
	Format            string               `json:"format"`
	Attrs             map[string]any       `json:"attrs"`
	ModelTextContains string               `json:"model_text_contains"`
	Params            map[string][]float64 `json:"params"`
	ParamUnits        map[string]string    `json:"param_units"`
	NodeNames         []string             `json:"node_names,omitempty"`
	Arrays            []expectArray        `json:"arrays"`
}

type expectArray struct {
	Name    string   `json:"name"`
	Shape   []int    `json:"shape"`
	Dims    []string `json:"dims"`
	Units   string   `json:"units"`
	Sum     float64  `json:"sum"` // of the finite values
	NaN     int      `json:"nan"`
	First   float64  `json:"first"`
	Last    float64  `json:"last"`
	Samples [][2]any `json:"samples"` // [index, value]
}

// summarize describes values of the given shape for the check.
func summarize(name string, shape []int, dims []string, units string, data []float64) expectArray {
	a := expectArray{Name: name, Shape: shape, Dims: dims, Units: units}
	for _, v := range data {
		switch {
		case math.IsNaN(v):
			a.NaN++
		case !math.IsInf(v, 0):
			a.Sum += v
		}
	}
	if len(data) > 0 {
		a.First, a.Last = data[0], data[len(data)-1]
		// the middle element, by its index in every dimension: catches transposed axes, which
		// sums and the two ends would not
		k := len(data) / 2
		idx := make([]int, len(shape))
		for i := len(shape) - 1; i >= 0; i-- {
			idx[i] = k % shape[i]
			k /= shape[i]
		}
		a.Samples = append(a.Samples, [2]any{idx, data[len(data)/2]})
	}
	return a
}

// libraryRun runs the model through the Go API with the settings the CLI run below is given: the
// expectations come from this run, not from the file or the writer.
func libraryRun(t *testing.T, model string, members int, params map[string][]float64, bold bool) *engine.Result {
	t.Helper()
	d := dataset.Default()
	m, err := neuromass.Load(model, neuromass.Config{Cmat: d.Cmat, Dmat: d.Lengths, Dt: 0.1, Duration: 20, Seed: 7, Members: members})
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range params {
		if err := m.Set(k, v...); err != nil {
			t.Fatal(err)
		}
	}
	if bold {
		m.Spec.Bold = &engine.BoldSpec{TR: 5}
	}
	res, err := m.Run()
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// expectFor builds the expectations of a file written by "run" from the library's own run.
func expectFor(t *testing.T, path string, res *engine.Result, params map[string][]float64, units map[string]string) expectFile {
	t.Helper()
	format := "npz"
	if !strings.HasSuffix(path, ".npz") {
		format = "hdf5"
	}
	d := dataset.Default()
	e := expectFile{
		Path: path, Format: format,
		Attrs: map[string]any{
			"format": "neuromass-result", "format_version": 1, "model": res.Model, "neuromass_version": toolVersion(),
			"backend": "cpu", "precision": "f64", "mode": "default", "dt": 0.1, "duration": 20.0, "seed": 7,
			"members": res.Members, "nodes": res.Nodes, "sampling_dt": 0.1,
		},
		ModelTextContains: "model " + res.Model,
		Params:            params, ParamUnits: units,
		NodeNames: d.Labels,
	}
	e.Arrays = append(e.Arrays, summarize("t", []int{len(res.T)}, []string{"t"}, "ms", res.T))
	var extra []expectArray
	for _, s := range res.Series {
		tdim := "t"
		if s.Times != nil {
			tdim = "t_" + s.Name
			extra = append(extra, summarize(tdim, []int{len(s.Times)}, []string{tdim}, "ms", s.Times))
		}
		shape, dims := []int{res.Nodes, s.Samples}, []string{"node", tdim}
		if res.Members > 1 {
			shape, dims = []int{res.Members, res.Nodes, s.Samples}, []string{"member", "node", tdim}
		}
		e.Arrays = append(e.Arrays, summarize(s.Name, shape, dims, s.Unit, s.Data))
	}
	e.Arrays = append(e.Arrays, extra...)
	return e
}

// runPythonCheck writes the expectations and runs scripts/check_store.py on them.
func runPythonCheck(t *testing.T, files []expectFile) (string, error) {
	t.Helper()
	p := filepath.Join(t.TempDir(), "expect.json")
	b, err := json.MarshalIndent(map[string]any{"files": files}, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	_, here, _, _ := runtime.Caller(0)
	script := filepath.Join(filepath.Dir(here), "..", "..", "scripts", "check_store.py")
	out, err := exec.Command(python, script, p).CombinedOutput()
	return string(out), err
}

// TestResultFilesInPython: files written by "neuromass run --out" open in numpy (.npz), h5py and
// xarray (HDF5) with the shapes, dimension names, units, values and metadata of the run.
func TestResultFilesInPython(t *testing.T) {
	needPython(t)
	dir := t.TempDir()
	var files []expectFile

	// one member with BOLD on the built-in connectome (node names), in every format
	hopfParams := map[string][]float64{"K_gl": {0.3}}
	res := libraryRun(t, "hopf", 1, hopfParams, true)
	for _, name := range []string{"hopf.h5", "hopf.nc", "hopf.npz"} {
		p := filepath.Join(dir, name)
		mustRun(t, "run", "--model", "hopf", "--duration", "20", "--seed", "7", "--param", "K_gl=0.3", "--bold", "--tr", "5", "--out", p, "-q")
		files = append(files, expectFor(t, p, res, map[string][]float64{"K_gl": {0.3}, "a": {0.25}}, map[string]string{"K_gl": "1/ms"}))
	}
	// an ensemble: a member dimension, a parameter per member
	wcParams := map[string][]float64{"exc_ext_baseline": {0.5, 1, 1.5}}
	res = libraryRun(t, "wc", 3, wcParams, false)
	for _, name := range []string{"wc.h5", "wc.npz"} {
		p := filepath.Join(dir, name)
		mustRun(t, "run", "--model", "wc", "--duration", "20", "--seed", "7", "--members", "3", "--param", "exc_ext_baseline=0.5,1,1.5", "--out", p, "-q")
		files = append(files, expectFor(t, p, res, wcParams, map[string]string{"exc_ext_baseline": "1"}))
	}
	// the Go side's own reader agrees on the basics
	for _, f := range files {
		got, err := store.Read(f.Path)
		if err != nil {
			t.Fatal(err)
		}
		if got.Meta.Model != f.Attrs["model"] || len(got.Arrays) != len(f.Arrays) || len(got.Meta.NodeNames) != len(f.NodeNames) {
			t.Errorf("%s: store.Read gives model %s, %d arrays, %d node names", f.Path, got.Meta.Model, len(got.Arrays), len(got.Meta.NodeNames))
		}
		if !strings.Contains(got.Meta.Command, "--out="+f.Path) {
			t.Errorf("%s: command line %q", f.Path, got.Meta.Command)
		}
	}

	out, err := runPythonCheck(t, files)
	if err != nil {
		t.Fatalf("check_store.py: %v\n%s", err, out)
	}
	t.Log(strings.TrimSpace(out))

	// The check can fail: one wrong value, one wrong dimension name and one wrong attribute are
	// each reported.
	bad := make([]expectFile, 2)
	copy(bad, files[:1])
	copy(bad[1:], files[2:3])
	for i := range bad {
		bad[i].Arrays = append([]expectArray(nil), bad[i].Arrays...)
		bad[i].Arrays[1].Last += 1e-9
		bad[i].Arrays[1].Dims = []string{"node", "time"}
		attrs := map[string]any{}
		for k, v := range bad[i].Attrs {
			attrs[k] = v
		}
		attrs["seed"] = 8
		bad[i].Attrs = attrs
	}
	out, err = runPythonCheck(t, bad)
	if err == nil {
		t.Fatalf("check_store.py passed wrong expectations:\n%s", out)
	}
	for _, want := range []string{"last value", "dims ['node', 't']", "dimension scales", "attribute seed"} {
		if !strings.Contains(out, want) {
			t.Errorf("check_store.py did not report %q:\n%s", want, out)
		}
	}
}

// TestRunOutBad: a bad --out is refused before the run, and a failed write leaves nothing.
func TestRunOutBad(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		out  string
		code int
		msg  string
	}{
		{filepath.Join(dir, "r.csv"), 1, `unknown result file type ".csv": expected .npz, .h5, .hdf5 or .nc`},
		{filepath.Join(dir, "r"), 1, "unknown result file type"},
		{filepath.Join(dir, "missing", "r.h5"), 1, "no such file or directory"},
		{dir + "/", 1, "unknown result file type"},
	} {
		code, _, errs := cli(t, "run", "--model", "hopf", "--network", "single", "--duration", "1", "--out", tc.out, "-v")
		if code != tc.code || !strings.Contains(errs, tc.msg) || !strings.Contains(errs, "--out "+tc.out) {
			t.Errorf("--out %s: exit %d, stderr %q; want exit %d and %q", tc.out, code, errs, tc.code, tc.msg)
		}
		if strings.Contains(errs, "built in") {
			t.Errorf("--out %s: the simulation ran before the error:\n%s", tc.out, errs)
		}
	}
	// a directory under the final name
	taken := filepath.Join(dir, "taken.h5")
	if err := os.Mkdir(taken, 0o755); err != nil {
		t.Fatal(err)
	}
	if code, _, errs := cli(t, "run", "--model", "hopf", "--network", "single", "--duration", "1", "--out", taken); code != 1 || !strings.Contains(errs, "is a directory") {
		t.Errorf("--out onto a directory: exit %d, %q", code, errs)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("left behind: %v", ents)
	}
}

// TestRunOutFullDisk: the real process, with a file size limit (writes past it fail with EFBIG,
// as writes to a full disk fail with ENOSPC, without root or a small file system), reports the
// cause for --out and leaves the existing file under that name as it was, and no temporary file.
func TestRunOutFullDisk(t *testing.T) {
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh to set the file size limit with")
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	for _, ext := range []string{".h5", ".npz"} {
		dir := t.TempDir()
		p := filepath.Join(dir, "r"+ext)
		if err := os.WriteFile(p, []byte("old"), 0o644); err != nil {
			t.Fatal(err)
		}
		// SIGXFSZ ignored (Go leaves it so across exec), then at most 512 blocks of 512 bytes
		// (POSIX sh's unit; bash's 1024 only makes it larger): 80 nodes x 2 outputs x 5000
		// samples are several MB.
		cmd := exec.Command(sh, "-c", `trap "" XFSZ; ulimit -f 512 && exec "$@"`, "sh",
			exe, "run", "--model", "hopf", "--duration", "500", "--out", p)
		cmd.Env = append(os.Environ(), "NEUROMASS_TEST_MAIN=1")
		out, err := cmd.CombinedOutput()
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != 1 {
			t.Fatalf("%s: %v, want exit status 1; output:\n%s", ext, err, out)
		}
		if !strings.Contains(string(out), "--out "+p) || !strings.Contains(strings.ToLower(string(out)), "file too large") {
			t.Errorf("%s: output %q: want the path and the cause (file too large)", ext, out)
		}
		if strings.Contains(string(out), "HDF5-DIAG") { // the library's own stack dump, on some thread
			t.Errorf("%s: the HDF5 library printed its error stack:\n%s", ext, out)
		}
		if b, _ := os.ReadFile(p); string(b) != "old" {
			t.Errorf("%s: the existing file changed (%d bytes)", ext, len(b))
		}
		if ents, _ := os.ReadDir(dir); len(ents) != 1 {
			t.Errorf("%s: left behind: %v", ext, ents)
		}
	}
}
