package main

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// cli runs the tool in-process and returns its exit code, stdout and stderr.
func cli(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(args, &out, &errb)
	return code, out.String(), errb.String()
}

// writeFile writes a model file into dir and returns its path.
func writeFile(t *testing.T, dir, name, text string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// lines splits s into its non-empty lines.
func lines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l != "" {
			out = append(out, l)
		}
	}
	return out
}

// row returns the fields of the first line of s whose first field is name; nil if none.
func row(s, name string) []string {
	for _, l := range lines(s) {
		if f := strings.Fields(l); len(f) > 0 && f[0] == name {
			return f
		}
	}
	return nil
}

var builtins = []string{"aln", "wc", "fhn", "hopf", "kuramoto", "ww", "thalamus", "rww"}

func TestModelList(t *testing.T) {
	code, out, errs := cli(t, "model", "list")
	if code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", code, errs)
	}
	ls := lines(out)
	if len(ls) == 0 || !strings.HasPrefix(ls[0], "NAME") {
		t.Fatalf("no header line:\n%s", out)
	}
	var names []string
	for _, l := range ls[1:] {
		names = append(names, strings.Fields(l)[0])
	}
	for _, b := range builtins {
		if !slices.Contains(names, b) {
			t.Errorf("model list lacks built-in model %s; listed: %v", b, names)
		}
	}
	if len(names) != len(ls)-1 {
		t.Errorf("expected one line per model")
	}
	// hopf: 4 states x, y, x_ou, y_ou; default output x; its doc.
	hopf := ""
	for _, l := range ls {
		if strings.HasPrefix(l, "hopf ") {
			hopf = l
		}
	}
	for _, want := range []string{"4: x, y, x_ou, y_ou", "x*, y", "Hopf"} {
		if !strings.Contains(hopf, want) {
			t.Errorf("hopf line %q lacks %q", hopf, want)
		}
	}
}

func TestModelShowHopf(t *testing.T) {
	code, out, errs := cli(t, "model", "show", "hopf")
	if code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", code, errs)
	}
	for name, def := range map[string]string{"a": "0.25", "w": "0.2", "K_gl": "0.6"} {
		f := row(out, name)
		if len(f) < 2 || f[1] != def {
			t.Errorf("parameter %s: row %q, want default %s", name, f, def)
		}
	}
	if f := row(out, "K_gl"); len(f) < 5 || f[2] != "1/ms" || f[3]+" "+f[4] != "[0, inf)" {
		t.Errorf("K_gl row %q: want unit 1/ms and range [0, inf)", f)
	}
	for _, want := range []string{
		"model hopf: Hopf", "switches (1):", "parameters (7):", "states (4):", "inputs (2):",
		"noises (2):", "tables: none", "outputs (2):", "couplings (1):", "diffusive | additive",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if f := row(out, "coupling"); len(f) < 2 || f[1] != "diffusive" {
		t.Errorf("switch row %q: want value diffusive", f)
	}
}

func TestModelShowSwitch(t *testing.T) {
	code, out, errs := cli(t, "model", "show", "hopf", "--switch", "coupling=additive")
	if code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", code, errs)
	}
	if f := row(out, "coupling"); len(f) < 2 || f[1] != "additive" {
		t.Errorf("switch row %q: want value additive", f)
	}
	code, _, errs = cli(t, "model", "show", "hopf", "--switch", "coupling=nope")
	if code != 1 || !strings.Contains(errs, "nope") {
		t.Errorf("unknown option: exit %d, stderr %q; want 1 naming it", code, errs)
	}
	code, _, errs = cli(t, "model", "show", "hopf", "--switch", "coupling")
	if code != 2 || !strings.Contains(errs, "name=option") {
		t.Errorf("malformed --switch: exit %d, stderr %q; want 2", code, errs)
	}
}

func TestModelShowSource(t *testing.T) {
	code, out, errs := cli(t, "model", "show", "--source", "hopf")
	if code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", code, errs)
	}
	if !strings.Contains(out, "model hopf") || !strings.Contains(out, "d x/dt") {
		t.Errorf("--source does not print the model text:\n%s", out)
	}
}

func TestModelShowFileAndMissing(t *testing.T) {
	t.Chdir(t.TempDir())
	writeFile(t, ".", "decay.nm", goodModel)
	code, out, errs := cli(t, "model", "show", "decay.nm")
	if code != 0 || !strings.Contains(out, "model decay: a decaying node") || row(out, "k") == nil {
		t.Errorf("show decay.nm: exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errs)
	}
	code, _, errs = cli(t, "model", "show", "nothere.nm")
	if code != 1 || !strings.Contains(errs, "nothere.nm") || !strings.HasPrefix(errs, "neuromass: ") {
		t.Errorf("show nothere.nm: exit %d, stderr %q; want 1 naming the file", code, errs)
	}
}

const goodModel = `model decay "a decaying node"
param k = 0.5 [1/ms] in (0, inf) "decay rate"
param g = 0.1 in [0, inf) "coupling strength"
noise xi "noise"
state x = 1 [1] "activity"
state r "rate"
init r = 0
coupling net = sum_j(g * C_ij * x[j])
d x/dt = -k * x + net + 0.01 * xi
r := k * x
output x default "activity"
output r
`

func TestModelCheckGood(t *testing.T) {
	t.Chdir(t.TempDir())
	writeFile(t, ".", "decay.nm", goodModel)
	code, out, errs := cli(t, "model", "check", "decay.nm")
	if code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", code, errs)
	}
	want := "decay.nm: model decay: 2 params, 2 states (ODE 1, algebraic 1), 1 couplings, 2 outputs, 1 noise sources, graph of "
	if ls := lines(out); len(ls) != 1 || !strings.HasPrefix(ls[0], want) || !strings.HasSuffix(ls[0], " nodes") {
		t.Errorf("summary:\n%s\nwant one line starting %q", out, want)
	}
	if errs != "" {
		t.Errorf("stderr not empty: %q", errs)
	}
	// --quiet prints nothing for a file that compiles.
	code, out, _ = cli(t, "--quiet", "model", "check", "decay.nm")
	if code != 0 || out != "" {
		t.Errorf("--quiet: exit %d, stdout %q", code, out)
	}
}

// Each broken model and the errors model check must print for it: the FILE:LINE:COL: prefix
// exactly, and a part of the message.
var badModels = []struct {
	file, text string
	want       []string // "FILE:LINE:COL: |message part"
}{
	{
		file: "paren.nm",
		text: "model paren\nparam a = 1\nstate x = 0\nd x/dt = -(a * x\noutput x\n",
		want: []string{`paren.nm:5:1: |expected ")"`},
	},
	{
		file: "paren_eof.nm",
		text: "model paren_eof\nstate x = 0\nd x/dt = -x\noutput y = (x + 1\n",
		want: []string{`paren_eof.nm:5:1: |expected ")"`},
	},
	{
		file: "undef.nm",
		text: "model undef\nparam a = 1\nstate x = 0\nd x/dt = -a * y\noutput x\n",
		want: []string{`undef.nm:4:15: |"y" is not defined`},
	},
	{
		file: "noupdate.nm",
		text: "model noupdate\nparam a = 1\nstate x = 0\nstate v = 0\nd x/dt = -a * x\noutput x\n",
		want: []string{`noupdate.nm:4:7: |state "v" has no update`},
	},
	{
		file: "several.nm",
		text: "model several\nparam a = 1\nstate x = 0\nstate v = 0\nd x/dt = -a * y + b\noutput x\n",
		want: []string{
			`several.nm:4:7: |state "v" has no update`,
			`several.nm:5:15: |"y" is not defined`,
			`several.nm:5:19: |"b" is not defined`,
		},
	},
}

func TestModelCheckBad(t *testing.T) {
	t.Chdir(t.TempDir())
	for _, bm := range badModels {
		t.Run(bm.file, func(t *testing.T) {
			writeFile(t, ".", bm.file, bm.text)
			code, out, errs := cli(t, "model", "check", bm.file)
			if code != 1 {
				t.Errorf("exit %d, want 1", code)
			}
			if out != "" {
				t.Errorf("stdout not empty: %q", out)
			}
			got := lines(errs)
			if len(got) != len(bm.want) {
				t.Fatalf("got %d error lines, want %d:\n%s", len(got), len(bm.want), errs)
			}
			for i, w := range bm.want {
				prefix, msg, _ := strings.Cut(w, "|")
				if !strings.HasPrefix(got[i], prefix) || !strings.Contains(got[i], msg) {
					t.Errorf("line %d: %q\nwant %q followed by a message containing %q", i+1, got[i], prefix, msg)
				}
			}
		})
	}
}

func TestModelCheckSeveralFiles(t *testing.T) {
	t.Chdir(t.TempDir())
	writeFile(t, ".", "decay.nm", goodModel)
	writeFile(t, ".", "undef.nm", badModels[2].text)
	code, out, errs := cli(t, "model", "check", "undef.nm", "missing.nm", "decay.nm")
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	if !strings.HasPrefix(out, "decay.nm: model decay: ") {
		t.Errorf("the good file after the bad ones is not reported:\n%s", out)
	}
	want := []string{
		`undef.nm:4:15: found "y"`,
		"neuromass: cannot read model file missing.nm: no such file or directory",
	}
	got := lines(errs)
	if len(got) != len(want) {
		t.Fatalf("stderr:\n%s\nwant %d lines", errs, len(want))
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("stderr line %d: %q, want it to start %q", i+1, got[i], want[i])
		}
	}
}

func TestModelCheckMissing(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "no-such-model.nm")
	code, out, errs := cli(t, "model", "check", missing)
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	if out != "" || !strings.Contains(errs, missing) || !strings.Contains(errs, "no such file") {
		t.Errorf("stdout %q, stderr %q: want an error naming %s", out, errs, missing)
	}
}

func TestModelGLSL(t *testing.T) {
	for _, args := range [][]string{{"hopf"}, {"hopf", "--double"}} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			code, out, errs := cli(t, append([]string{"model", "glsl"}, args...)...)
			if code != 0 {
				t.Fatalf("exit %d, stderr:\n%s", code, errs)
			}
			if !strings.Contains(out, "void nm_step") {
				t.Errorf("output lacks \"void nm_step\":\n%s", out)
			}
		})
	}
}

func TestModelProgram(t *testing.T) {
	code, out, errs := cli(t, "model", "program", "hopf")
	if code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", code, errs)
	}
	for _, want := range []string{"program hopf:", "coupling net", "remote x[j]", "step:"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if code, _, _ := cli(t, "model", "program"); code != 2 {
		t.Errorf("model program without a model: exit %d, want 2", code)
	}
}

func TestUsageErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		msg  string
	}{
		{[]string{"bogus"}, `unknown command "bogus" for "neuromass"`},
		{[]string{"model", "bogus"}, `unknown command "bogus" for "neuromass model"`},
		{[]string{"model", "lsit"}, `did you mean "list"?`},
		{[]string{"--bogus"}, "unknown flag: --bogus"},
		{[]string{"model", "list", "--bogus"}, "unknown flag: --bogus"},
		{[]string{"model", "show", "hopf", "-z"}, "unknown shorthand flag: 'z'"},
		{[]string{"model", "show"}, "model show takes one model name or file, got none"},
		{[]string{"model", "show", "hopf", "wc"}, `got 2 arguments ("hopf" "wc")`},
		{[]string{"model", "glsl"}, "model glsl takes one model name or file, got none"},
		{[]string{"model", "check"}, "model check takes one or more model files, got none"},
		{[]string{"model", "list", "extra"}, "model list takes no arguments"},
		{[]string{"help", "bogus"}, `unknown help topic "bogus"`},
		{[]string{"-q", "-v", "model", "list"}, "--quiet and --verbose cannot be used together"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			code, out, errs := cli(t, tc.args...)
			if code != 2 {
				t.Errorf("exit %d, want 2", code)
			}
			if out != "" {
				t.Errorf("stdout not empty: %q", out)
			}
			if !strings.HasPrefix(errs, "neuromass: ") || !strings.Contains(errs, tc.msg) {
				t.Errorf("stderr %q, want \"neuromass: ...%s...\"", errs, tc.msg)
			}
			if !strings.Contains(errs, "--help' for usage.") {
				t.Errorf("stderr %q does not point to --help", errs)
			}
		})
	}
}

func TestVersionAndHelp(t *testing.T) {
	code, out, _ := cli(t, "--version")
	if code != 0 || !strings.HasPrefix(out, "neuromass version ") {
		t.Errorf("--version: exit %d, stdout %q", code, out)
	}
	for _, args := range [][]string{nil, {"--help"}, {"help"}} {
		code, out, errs := cli(t, args...)
		if code != 0 || !strings.Contains(out, "Exit status:") || errs != "" {
			t.Errorf("%v: exit %d, stderr %q, stdout lacks the exit status:\n%s", args, code, errs, out)
		}
	}
}

// Every command has help with an example and checks its arguments.
func TestEveryCommandHasExample(t *testing.T) {
	root := newRootCmd(&bytes.Buffer{}, &bytes.Buffer{})
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		path := strings.Fields(c.CommandPath())[1:]
		if c.Example == "" {
			t.Errorf("%q has no Example", c.CommandPath())
		}
		if c.Args == nil {
			t.Errorf("%q has no Args check", c.CommandPath())
		}
		code, out, errs := cli(t, append(path, "--help")...)
		if code != 0 || !strings.Contains(out, "Examples:") || !strings.Contains(out, "Usage:") {
			t.Errorf("%q --help: exit %d, stderr %q, stdout:\n%s", c.CommandPath(), code, errs, out)
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	root.InitDefaultHelpCmd()
	walk(root)
}
