package store

import (
	"bufio"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
)

var formats = []string{".npz", ".h5"}

// listDir returns the names in dir.
func listDir(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	return names
}

// checkOnly fails unless dir holds exactly the names given (no temporary file left).
func checkOnly(t *testing.T, dir string, names ...string) {
	t.Helper()
	if got := listDir(t, dir); !slices.Equal(got, names) {
		t.Errorf("%s holds %q, want %q", dir, got, names)
	}
}

// noise returns n pseudo-random values: incompressible, so the file is about 8n bytes.
func noise(n int) []float64 {
	r := rand.New(rand.NewPCG(1, 2))
	v := make([]float64, n)
	for i := range v {
		v[i] = r.NormFloat64()
	}
	return v
}

func bigFile(n int) *File {
	return &File{Arrays: []Array{{Name: "x", Shape: []int{n}, Data: noise(n), Dims: []string{"i"}}}}
}

// childEnv names the environment variable that makes TestChild act; the parent sets it when it
// re-executes the test binary for a test that must change process-wide state (a file size limit,
// another user) which the other tests must not see.
const childEnv = "NEUROMASS_STORE_TEST_CHILD"

// runChild runs TestChild in a new process of the test binary and returns what it printed.
func runChild(t *testing.T, mode, path string) string {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), childEnv+"="+mode, "NEUROMASS_STORE_TEST_PATH="+path)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child %s: %v\n%s", mode, err, out)
	}
	return string(out)
}

// TestChild is the child's side of runChild; without childEnv it does nothing.
func TestChild(t *testing.T) {
	mode := os.Getenv(childEnv)
	if mode == "" {
		t.Skip("only run by runChild")
	}
	path := os.Getenv("NEUROMASS_STORE_TEST_PATH")
	switch mode {
	case "fsize":
		// Writes past 256 KiB fail with EFBIG, as on a full disk, instead of killing the process.
		signal.Ignore(syscall.SIGXFSZ)
		lim := syscall.Rlimit{Cur: 256 << 10, Max: 256 << 10}
		if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &lim); err != nil {
			t.Fatal(err)
		}
	case "nobody":
		// root writes anywhere: become nobody, for whom a 0555 directory is unwritable
		if err := syscall.Setgid(65534); err != nil {
			t.Fatal(err)
		}
		if err := syscall.Setuid(65534); err != nil {
			t.Fatal(err)
		}
	case "kill":
		// stop, complete but not renamed, until the parent kills this process
		beforeRename = func(tmp string) {
			fmt.Printf("\nTEMP: %s\n", tmp)
			select {}
		}
	default:
		t.Fatalf("unknown mode %q", mode)
	}
	err := Write(path, bigFile(1<<16))
	fmt.Printf("\nRESULT: %v\n", err)
}

// childResult returns the error text the child printed ("<nil>" on success).
func childResult(t *testing.T, out string) string {
	t.Helper()
	_, res, ok := strings.Cut(out, "RESULT: ")
	if !ok {
		t.Fatalf("child printed no result:\n%s", out)
	}
	res, _, _ = strings.Cut(res, "\n")
	return res
}

// TestFullDisk: a write that runs out of space (a file size limit gives the same EFBIG a full
// disk gives ENOSPC, without root or a small file system) fails with the system's reason, leaves
// no temporary file and does not touch an existing file under the final name.
func TestFullDisk(t *testing.T) {
	for _, ext := range formats {
		t.Run(ext, func(t *testing.T) {
			dir := t.TempDir()
			p := filepath.Join(dir, "out"+ext)
			if err := os.WriteFile(p, []byte("old"), 0o644); err != nil {
				t.Fatal(err)
			}
			res := childResult(t, runChild(t, "fsize", p))
			if !strings.Contains(strings.ToLower(res), "file too large") || !strings.Contains(res, p) {
				t.Errorf("error %q: want one naming %s and the cause (file too large)", res, p)
			}
			checkOnly(t, dir, "out"+ext)
			if b, _ := os.ReadFile(p); string(b) != "old" {
				t.Errorf("existing file changed to %d bytes", len(b))
			}
			// the same write without the limit works: the limit was the cause
			if err := Write(p, bigFile(1<<16)); err != nil {
				t.Fatal(err)
			}
			checkOnly(t, dir, "out"+ext)
		})
	}
}

// TestUnwritableDir: a directory the user cannot write into gives "permission denied" for the
// final path and leaves nothing.
func TestUnwritableDir(t *testing.T) {
	for _, ext := range formats {
		t.Run(ext, func(t *testing.T) {
			base := t.TempDir()
			dir := filepath.Join(base, "ro")
			if err := os.Mkdir(dir, 0o555); err != nil {
				t.Fatal(err)
			}
			// nobody must reach the directory: open the temporary directories above it
			for d := dir; d != filepath.Dir(filepath.Dir(base)); d = filepath.Dir(d) {
				if d != dir {
					os.Chmod(d, 0o755)
				}
			}
			p := filepath.Join(dir, "out"+ext)
			var res string
			if os.Geteuid() == 0 {
				res = childResult(t, runChild(t, "nobody", p))
			} else {
				res = fmt.Sprint(Write(p, bigFile(10)))
			}
			if !strings.Contains(res, "permission denied") || !strings.Contains(res, p) {
				t.Errorf("error %q: want permission denied for %s", res, p)
			}
			checkOnly(t, dir)
		})
	}
}

func TestBadPaths(t *testing.T) {
	for _, ext := range formats {
		t.Run(ext, func(t *testing.T) {
			dir := t.TempDir()
			// a missing directory
			p := filepath.Join(dir, "no", "such", "out"+ext)
			err := Write(p, sampleFile())
			if err == nil || !errors.Is(err, os.ErrNotExist) || !strings.Contains(err.Error(), p) {
				t.Errorf("missing directory: %v", err)
			}
			// the final name is a directory
			d := filepath.Join(dir, "taken"+ext)
			if err := os.Mkdir(d, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := Write(d, sampleFile()); err == nil || !strings.Contains(err.Error(), "is a directory") {
				t.Errorf("final name is a directory: %v", err)
			}
			checkOnly(t, dir, "taken"+ext)
			// an existing file is replaced by the whole new one
			p = filepath.Join(dir, "out"+ext)
			if err := os.WriteFile(p, []byte("old"), 0o600); err != nil {
				t.Fatal(err)
			}
			if err := Write(p, sampleFile()); err != nil {
				t.Fatal(err)
			}
			if f, err := Read(p); err != nil || f.Meta.Model != "hopf" {
				t.Errorf("overwritten file reads as %v, %v", f, err)
			}
			checkOnly(t, dir, "out"+ext, "taken"+ext)
		})
	}
}

// TestBadArrays: arrays a reader would misread are refused before anything is written, and an
// existing file stays.
func TestBadArrays(t *testing.T) {
	good := func() Array { return Array{Name: "x", Shape: []int{2}, Data: []float64{1, 2}, Dims: []string{"i"}} }
	cases := map[string]struct {
		arrays []Array
		meta   Meta
		want   string
	}{
		"shape":       {arrays: []Array{{Name: "x", Shape: []int{2, 2}, Data: []float64{1, 2, 3}}}, want: "3 values for shape [2 2]"},
		"twice":       {arrays: []Array{good(), good()}, want: `"x" given twice`},
		"no name":     {arrays: []Array{{Shape: []int{1}, Data: []float64{1}}}, want: "invalid array name"},
		"slash":       {arrays: []Array{{Name: "a/b", Shape: []int{1}, Data: []float64{1}}}, want: "invalid array name"},
		"reserved":    {arrays: []Array{{Name: "attrs", Shape: []int{1}, Data: []float64{1}}}, want: "reserved"},
		"dims count":  {arrays: []Array{{Name: "x", Shape: []int{2}, Data: []float64{1, 2}, Dims: []string{"a", "b"}}}, want: "2 dimension names"},
		"dim lengths": {arrays: []Array{good(), {Name: "y", Shape: []int{3}, Data: []float64{1, 2, 3}, Dims: []string{"i"}}}, want: "dimension i has length 3 here and 2"},
		"dim clash":   {arrays: []Array{good(), {Name: "i", Shape: []int{2, 1}, Data: []float64{1, 2}, Dims: []string{"i", "j"}}}, want: "name of a dimension"},
		"node names":  {arrays: []Array{{Name: "x", Shape: []int{2}, Data: []float64{1, 2}, Dims: []string{"node"}}}, meta: Meta{NodeNames: []string{"a"}}, want: "1 node names for 2 nodes"},
		"param":       {arrays: []Array{good()}, meta: Meta{Params: map[string][]float64{"p": {}}}, want: "parameter p has no values"},
		"dt":          {arrays: []Array{good()}, meta: Meta{Dt: math.Inf(1)}, want: "must be finite: +Inf"},
	}
	for name, c := range cases {
		for _, ext := range formats {
			dir := t.TempDir()
			p := filepath.Join(dir, "out"+ext)
			if err := os.WriteFile(p, []byte("old"), 0o644); err != nil {
				t.Fatal(err)
			}
			err := Write(p, &File{Meta: c.meta, Arrays: c.arrays})
			if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), p) {
				t.Errorf("%s %s: error %v, want one with %q and the path", name, ext, err, c.want)
			}
			checkOnly(t, dir, "out"+ext)
		}
	}
	// HDF5 names every dimension
	p := filepath.Join(t.TempDir(), "out.h5")
	if err := Write(p, &File{Arrays: []Array{{Name: "x", Shape: []int{1}, Data: []float64{1}}}}); err == nil || !strings.Contains(err.Error(), "no dimension names") {
		t.Errorf("HDF5 without dims: %v", err)
	}
	checkOnly(t, filepath.Dir(p))
}

// TestNaNWritten: NaN and infinities are data (a diverged member), written and read back as such.
func TestNaNWritten(t *testing.T) {
	for _, ext := range formats {
		p := filepath.Join(t.TempDir(), "nan"+ext)
		want := []float64{math.NaN(), math.Inf(1), math.Inf(-1), 0, math.Copysign(0, -1)}
		f := &File{Arrays: []Array{{Name: "x", Shape: []int{5}, Data: want, Dims: []string{"i"}}}}
		if err := Write(p, f); err != nil {
			t.Fatalf("%s: %v", ext, err)
		}
		got, err := Read(p)
		if err != nil {
			t.Fatalf("%s: %v", ext, err)
		}
		if a, ok := got.Array("x"); !ok || !sameFloats(a.Data, want) {
			t.Errorf("%s: read back %v, wrote %v", ext, a, want)
		}
	}
}

// TestReadBad: files that are not results fail with the path and a reason.
func TestReadBad(t *testing.T) {
	dir := t.TempDir()
	for name, content := range map[string]string{
		"empty.npz": "", "text.h5": "hello", "text.dat": "hello", "trunc.npz": "PK\x03\x04abc",
	} {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := Read(p); err == nil || !strings.Contains(err.Error(), p) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := Read(filepath.Join(dir, "missing.npz")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
}

// TestKilled: a process killed while writing (here at the worst moment: the file complete under
// its temporary name, not yet renamed) leaves the final name as it was; what it leaves is a
// dot-file ending in .tmp.
func TestKilled(t *testing.T) {
	for _, ext := range formats {
		t.Run(ext, func(t *testing.T) {
			dir := t.TempDir()
			p := filepath.Join(dir, "out"+ext)
			if err := os.WriteFile(p, []byte("old"), 0o644); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(os.Args[0], "-test.run=^TestChild$", "-test.count=1")
			cmd.Env = append(os.Environ(), childEnv+"=kill", "NEUROMASS_STORE_TEST_PATH="+p)
			out, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			var tmp string
			sc := bufio.NewScanner(out)
			for sc.Scan() {
				if s, ok := strings.CutPrefix(sc.Text(), "TEMP: "); ok {
					tmp = s
					break
				}
			}
			cmd.Process.Kill()
			cmd.Wait()
			if tmp == "" {
				t.Fatal("the child never reached the rename")
			}
			if b, _ := os.ReadFile(p); string(b) != "old" {
				t.Errorf("the final name holds %d bytes, not the old file", len(b))
			}
			base := filepath.Base(tmp)
			if filepath.Dir(tmp) != dir || !strings.HasPrefix(base, ".out"+ext+".") || !strings.HasSuffix(base, ".tmp") {
				t.Errorf("temporary file %s: want .out%s.*.tmp in %s", tmp, ext, dir)
			}
			checkOnly(t, dir, base, "out"+ext)
		})
	}
}
