package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestMain lets the test binary act as the neuromass program: with NEUROMASS_TEST_MAIN=1 it runs
// main() itself, so that TestProcessExitCodes sees the exit status a shell sees.
func TestMain(m *testing.M) {
	if os.Getenv("NEUROMASS_TEST_MAIN") == "1" {
		os.Args = append([]string{"neuromass"}, os.Args[1:]...)
		main()
		return // main exits; a return here would be a bug, caught as exit status 0 with no output
	}
	os.Exit(m.Run())
}

// The exit status of the real process, through main and os.Exit: 0, 1 and 2.
func TestProcessExitCodes(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		code int
	}{
		{[]string{"model", "list"}, 0},
		{[]string{"run", "--bogus"}, 2},
		{[]string{"model", "show", filepath.Join(t.TempDir(), "none.nm")}, 1},
	} {
		cmd := exec.Command(exe, c.args...)
		cmd.Env = append(os.Environ(), "NEUROMASS_TEST_MAIN=1")
		out, err := cmd.CombinedOutput()
		code := 0
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		if code != c.code {
			t.Errorf("neuromass %v: exit status %d, want %d; output:\n%s", c.args, code, c.code, out)
		}
	}
}

// Every command's exit status for success (0), a wrong command line (2) and a failure (1).
func TestExitCodes(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "missing")
	badConfig := writeFile(t, dir, "bad.toml", "modle = \"hopf\"\n")
	for _, c := range []struct {
		args []string
		code int
	}{
		{[]string{}, 0},
		{[]string{"run", "--network", "single", "--model", "hopf", "--duration", "1"}, 0},
		{[]string{"bench", "--models", "hopf", "--members", "1", "--duration", "1"}, 0},
		{[]string{"model", "show", "hopf"}, 0},
		{[]string{"data", "list", "--dir", dir}, 0},
		{[]string{"help", "run"}, 0},

		{[]string{"run", "--bogus"}, 2},
		{[]string{"run", "extra"}, 2},
		{[]string{"run", "--duration", "x"}, 2},
		{[]string{"run", "--config", badConfig}, 2},
		{[]string{"bench", "--bogus"}, 2},
		{[]string{"precalc", "aln", "--bogus"}, 2},
		{[]string{"precalc", "aln"}, 2}, // --out is required
		{[]string{"data", "fetch", "nope"}, 2},
		{[]string{"info", "extra"}, 2},
		{[]string{"model", "glsl"}, 2},

		{[]string{"run", "--model", missing + ".nm", "--duration", "1"}, 1},
		{[]string{"run", "--cmat", missing + ".npy", "--duration", "1"}, 1},
		{[]string{"run", "--config", missing + ".toml"}, 1},
		{[]string{"run", "--network", "single", "--model", "hopf", "--duration", "1", "--param", "a=1,2"}, 1}, // 2 values, 1 member
		{[]string{"bench", "--models", missing + ".nm"}, 1},
		{[]string{"precalc", "aln", "--params", missing + ".json", "--out", filepath.Join(dir, "t.alnt")}, 1},
		{[]string{"model", "show", missing + ".nm"}, 1},
	} {
		code, _, errs := cli(t, c.args...)
		if code != c.code {
			t.Errorf("neuromass %s: exit %d, want %d; stderr:\n%s", strings.Join(c.args, " "), code, c.code, errs)
		}
		if code != 0 && !strings.Contains(errs, "neuromass: ") {
			t.Errorf("neuromass %s: exit %d without a message on stderr: %q", strings.Join(c.args, " "), code, errs)
		}
	}
}

// --quiet: a command that succeeds writes nothing to stderr, and the commands whose output is a
// report of what they did (not the thing asked for) write nothing at all. --verbose adds detail
// on stderr where a command has any.
func TestQuietAndVerbose(t *testing.T) {
	dir := t.TempDir()
	model := writeFile(t, dir, "decay.nm", goodModel)
	params := writeFile(t, dir, "neuron.json", coarseParams)
	runArgs := []string{"run", "--network", "single", "--model", "hopf", "--duration", "1"}
	for _, c := range []struct {
		args    []string
		silent  bool   // nothing on stdout with -q either
		verbose string // what -v adds on stderr ("" for commands that have nothing to add)
	}{
		{runArgs, true, "run: backend"},
		{append(slices.Clone(runArgs), "--out", filepath.Join(dir, "r.npz")), true, "run: model hopf"},
		{[]string{"run", "--model", "hopf", "--duration", "200", "--out", filepath.Join(dir, "p.npz")}, true, "run: backend"},
		{[]string{"plot", filepath.Join(dir, "p.npz"), "--out", filepath.Join(dir, "plots")}, true, ""}, // the file run wrote
		{[]string{"bench", "--models", "hopf", "--members", "1", "--duration", "1"}, false, "bench: hopf, 1 member"},
		{[]string{"precalc", "aln", "--params", params, "--mu", "0:1:2", "--sigma", "1:2:2", "--out", filepath.Join(dir, "t.alnt")}, true, "points (100%)"},
		{[]string{"model", "check", model}, true, ""},
		{[]string{"model", "list"}, false, ""},
		{[]string{"model", "show", "hopf"}, false, ""},
		{[]string{"model", "glsl", "hopf"}, false, ""},
		{[]string{"model", "program", "hopf"}, false, ""},
		{[]string{"data", "list", "--dir", dir}, false, ""},
		{[]string{"run", "--print-config"}, false, ""},
	} {
		name := strings.Join(c.args, " ")
		code, out, errs := cli(t, append([]string{"--quiet"}, c.args...)...)
		if code != 0 || errs != "" {
			t.Errorf("--quiet %s: exit %d, stderr %q", name, code, errs)
		}
		if c.silent && out != "" {
			t.Errorf("--quiet %s: stdout %q, want nothing", name, out)
		}
		if !c.silent && out == "" {
			t.Errorf("--quiet %s: no output; --quiet must not hide what the command is for", name)
		}
		if c.verbose == "" {
			continue
		}
		code, _, errs = cli(t, append([]string{"--verbose"}, c.args...)...)
		if code != 0 || !strings.Contains(errs, c.verbose) {
			t.Errorf("--verbose %s: exit %d, stderr lacks %q:\n%s", name, code, c.verbose, errs)
		}
	}
}
