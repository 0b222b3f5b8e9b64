package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// writeConfigFile writes a run configuration into a fresh directory and returns its path.
func writeConfigFile(t *testing.T, text string) string {
	t.Helper()
	return writeFile(t, t.TempDir(), "run.toml", text)
}

// printed runs "run --print-config" with args and returns the effective configuration.
func printed(t *testing.T, args ...string) string {
	t.Helper()
	code, out, errs := cli(t, append([]string{"run", "--print-config"}, args...)...)
	if code != 0 {
		t.Fatalf("run --print-config %v: exit %d, stderr:\n%s", args, code, errs)
	}
	return out
}

// hasLine reports whether text has the line want.
func hasLine(text, want string) bool {
	for _, l := range strings.Split(text, "\n") {
		if l == want {
			return true
		}
	}
	return false
}

func TestConfigFileAndFlags(t *testing.T) {
	p := writeConfigFile(t, `# a Hopf sweep
model = "hopf"
duration = 500            # an integer is a number of ms too
dt = 0.05
members = 3
network = "single"
inputs = ["x_ext:sine:amplitude=0.5,frequency=10"]
[params]
K_gl = 0.8
w = [0.19, 0.2, 0.21]
coupling = "additive"
`)
	out := printed(t, "--config", p, "--duration", "300", "--param", "K_gl=0.5")
	for _, want := range []string{
		`model = "hopf"`,
		`duration = 300.0`, // the flag wins over the file
		`dt = 0.05`,
		`members = 3`,
		`network = "single"`,
		`input = ["x_ext:sine:amplitude=0.5,frequency=10"]`,
		`K_gl = 0.5`, // --param wins name by name ...
		`w = [0.19, 0.2, 0.21]`,
		`coupling = "additive"`, // ... and the file's other names stay
		`mode = "default"`,      // defaults are part of the effective settings
		`# cmat = ""`,           // empty ones are shown as comments
	} {
		if !hasLine(out, want) {
			t.Errorf("effective config lacks the line %q:\n%s", want, out)
		}
	}

	// what --print-config writes reads back as the same settings
	again := writeFile(t, t.TempDir(), "saved.toml", out)
	if out2 := printed(t, "--config", again); out2 != out {
		t.Errorf("the printed config does not read back the same:\nfirst:\n%s\nsecond:\n%s", out, out2)
	}
}

// A run from a file: the settings reach the simulation.
func TestConfigRun(t *testing.T) {
	p := writeConfigFile(t, `model = "hopf"
network = "single"
duration = 10
members = 2
[params]
a = [0.1, 0.2]
`)
	code, out, errs := cli(t, "run", "--config", p)
	if code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", code, errs)
	}
	if !strings.Contains(out, "model hopf: 1 node, 2 members") || !strings.Contains(out, "100 steps of 0.1 ms") {
		t.Errorf("the run did not take the file's settings:\n%s", out)
	}
	// a parameter the model does not have: found after the file was read, named with its line
	p = writeConfigFile(t, "model = \"hopf\"\nnetwork = \"single\"\nduration = 10\n\n[params]\nnope = 1\n")
	code, _, errs = cli(t, "run", "--config", p)
	if code != 1 || !strings.Contains(errs, p+":5: --param nope=1: model hopf has no parameter") {
		t.Errorf("unknown parameter in the file: exit %d, stderr %q; want 1 naming the file's line", code, errs)
	}
}

// Each bad file: the exit status and what the message must say (file, line, key).
func TestConfigErrors(t *testing.T) {
	cases := []struct {
		name, text string
		code       int
		want       []string
	}{
		{"unknown key", "model = \"hopf\"\n\ndurration = 10\n", 2,
			[]string{":3: unknown key \"durration\" (did you mean duration?)"}},
		{"underscore spelling", "aln_tables = \"x.alnt\"\n", 2,
			[]string{":1: unknown key \"aln_tables\" (did you mean aln-tables?)"}},
		{"unknown table", "[plots]\nx = 1\n", 2, []string{":1: unknown key \"plots\""}},
		{"far from any key", "colour = \"red\"\n", 2,
			[]string{":1: unknown key \"colour\"; the keys are the flags of run: ", "duration"}},
		{"string for a number", "model = \"hopf\"\nduration = \"long\"\n", 2,
			[]string{":2: duration: expected a number, got the string \"long\""}},
		{"float for an integer", "members = 2.5\n", 2,
			[]string{":1: members: expected an integer, got the number 2.5"}},
		{"negative seed", "seed = -1\n", 2, []string{":1: seed: -1 is negative"}},
		{"number for a string", "model = 3\n", 2, []string{":1: model: expected a string, got the integer 3"}},
		{"string for a boolean", "bold = \"yes\"\n", 2, []string{":1: bold: expected true or false"}},
		{"array of numbers for inputs", "inputs = [1, 2]\n", 2,
			[]string{":1: inputs: element 1 is the integer 1; expected strings"}},
		{"param not a table", "params = 3\n", 2, []string{":1: params: expected a table"}},
		{"param value a boolean", "[params]\nK_gl = 0.8\na = true\n", 2,
			[]string{":3: params.a: expected a number, an array of numbers or a switch option"}},
		{"param array of strings", "[params]\na = [\"x\"]\n", 2,
			[]string{":2: params.a: element 1 is the string \"x\"; expected numbers"}},
		{"param and params", "[param]\na = 1\n[params]\nw = 1\n", 2,
			[]string{":3: params: the file already set it as param"}},
		{"not TOML", "model = \"hopf\"\nduration = \n", 2, []string{":2: not valid TOML"}},
		{"duplicate key", "dt = 0.1\ndt = 0.2\n", 2, []string{":2: not valid TOML"}},
		{"bad keyword", "model = \"hopf\"\nmode = \"fast\"\n", 2,
			[]string{":2: --mode \"fast\": expected compat or default"}},
		{"two errors", "durration = 1\nmembers = \"x\"\n", 2,
			[]string{":1: unknown key \"durration\"", ":2: members: expected an integer"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := writeConfigFile(t, c.text)
			// --print-config checks the file without running a simulation
			code, out, errs := cli(t, "run", "--config", p, "--print-config")
			if code != c.code {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, c.code, errs)
			}
			if out != "" {
				t.Errorf("stdout not empty on error:\n%s", out)
			}
			for _, w := range c.want {
				if strings.HasPrefix(w, ":") {
					w = p + w
				}
				if !strings.Contains(errs, w) {
					t.Errorf("stderr lacks %q:\n%s", w, errs)
				}
			}
			if code == 2 && !strings.Contains(errs, "Run 'neuromass run --help' for usage.") {
				t.Errorf("a usage error without the pointer to the help:\n%s", errs)
			}
		})
	}
}

func TestConfigMissingFile(t *testing.T) {
	code, _, errs := cli(t, "run", "--config", filepath.Join(t.TempDir(), "none.toml"))
	if code != 1 || !strings.Contains(errs, "none.toml") {
		t.Errorf("missing config file: exit %d, stderr %q; want 1 naming the file", code, errs)
	}
}

// The command line wins even when the file's value for that key is well formed but different,
// and a file value for a flag the command line set is still checked.
func TestConfigCommandLineWins(t *testing.T) {
	p := writeConfigFile(t, "model = \"wc\"\nseed = 7\n")
	out := printed(t, "--config", p, "--model", "fhn")
	if !hasLine(out, `model = "fhn"`) || !hasLine(out, "seed = 7") {
		t.Errorf("want model fhn from the flag and seed 7 from the file:\n%s", out)
	}
	p = writeConfigFile(t, "model = 1\n")
	if code, _, _ := cli(t, "run", "--config", p, "--model", "fhn", "--print-config"); code != 2 {
		t.Errorf("a mistyped key overridden by a flag: exit %d, want 2", code)
	}
}

func TestTomlWriters(t *testing.T) {
	for in, want := range map[float64]string{2000: "2000.0", 0.1: "0.1", 1e21: "1e+21", -0.5: "-0.5"} {
		if got := tomlFloat(in); got != want {
			t.Errorf("tomlFloat(%v) = %s, want %s", in, got, want)
		}
	}
	if got := tomlString("a\"b\\c\n\x01"); got != `"a\"b\\c\n\u0001"` {
		t.Errorf("tomlString: %s", got)
	}
	if got := tomlParam("0.5,1,1.5"); got != "[0.5, 1.0, 1.5]" {
		t.Errorf("tomlParam list: %s", got)
	}
	if got := tomlParam("additive"); got != `"additive"` {
		t.Errorf("tomlParam switch: %s", got)
	}
	if got := tomlKey("a.b"); got != `"a.b"` {
		t.Errorf("tomlKey: %s", got)
	}
}
