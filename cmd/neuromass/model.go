package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/neuromass/neuromass/engine/eqn"
	"github.com/neuromass/neuromass/models"
)

// newModelCmd is the "model" command group.
func newModelCmd(g *globalOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "model",
		Short: "List, show, check and translate models (GLSL, CPU program)",
		Long: `Commands about models: the built-in ones (aln, fhn, hopf, kuramoto, rww, thalamus,
wc, ww) and model files written in the neuromass model language (docs/model-language.md).

Where a command takes NAME|FILE, a built-in name wins over a file of the same name in the
working directory; write ./wc to mean the file.`,
		Example: `  neuromass model list
  neuromass model show fhn --switch coupling=additive
  neuromass model show --source wc
  neuromass model check docs/jansen-rit.nm
  neuromass model glsl hopf
  neuromass model program hopf`,
		Args: subcommandArgs,
		RunE: helpIfNoArgs,
	}
	cmd.AddCommand(newModelListCmd(g), newModelShowCmd(g), newModelCheckCmd(g), newModelGLSLCmd(g), newModelProgramCmd(g))
	return cmd
}

// switchFlag is the repeatable --switch name=option flag.
type switchFlag struct {
	values map[string]string
	order  []string
}

func (s *switchFlag) String() string {
	parts := make([]string, len(s.order))
	for i, n := range s.order {
		parts[i] = n + "=" + s.values[n]
	}
	return strings.Join(parts, ",")
}

func (s *switchFlag) Set(v string) error {
	name, opt, ok := strings.Cut(v, "=")
	name, opt = strings.TrimSpace(name), strings.TrimSpace(opt)
	if !ok || name == "" || opt == "" {
		return fmt.Errorf("%q is not name=option", v)
	}
	if old, dup := s.values[name]; dup && old != opt {
		return fmt.Errorf("switch %s given twice (%s and %s)", name, old, opt)
	}
	if s.values == nil {
		s.values = map[string]string{}
	}
	if _, dup := s.values[name]; !dup {
		s.order = append(s.order, name)
	}
	s.values[name] = opt
	return nil
}

func (s *switchFlag) Type() string { return "name=option" }

// options returns the compile options for the switches given.
func (s *switchFlag) options() eqn.Options {
	return eqn.Options{Switches: s.values}
}

// addSwitchFlag adds --switch to cmd.
func addSwitchFlag(cmd *cobra.Command, s *switchFlag) {
	cmd.Flags().Var(s, "switch", "pick a compile-time switch option, name=option (repeatable)")
}

// loadModel compiles a built-in model or a model file.
func loadModel(nameOrPath string, opt eqn.Options) (*eqn.Model, error) {
	return models.Load(nameOrPath, opt)
}

// readModelFile reads a model file, naming it in the error.
func readModelFile(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		why := err
		var pe *fs.PathError
		if errors.As(err, &pe) {
			why = pe.Err
		}
		return "", fmt.Errorf("cannot read model file %s: %v", path, why)
	}
	return string(b), nil
}

// modelSource returns the text of a built-in model or of a model file.
func modelSource(nameOrPath string) (string, error) {
	if models.IsBuiltin(nameOrPath) {
		return models.Source(nameOrPath)
	}
	if _, err := os.Stat(nameOrPath); errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("model %q is neither a built-in model (%s) nor a model file (no such file)",
			nameOrPath, strings.Join(models.Names(), ", "))
	}
	return readModelFile(nameOrPath)
}

// stateCounts returns the number of ODE and algebraic states.
func stateCounts(m *eqn.Model) (ode, alg int) {
	for _, s := range m.States {
		if s.Kind == eqn.Algebraic {
			alg++
		} else {
			ode++
		}
	}
	return ode, alg
}

// couplingSources returns the text of every coupling declaration of m, by name, taken from the
// model's source (declarations may continue over several lines).
func couplingSources(m *eqn.Model) map[string]string {
	out := map[string]string{}
	f, err := eqn.Parse(m.File, m.Source)
	if err != nil {
		return out
	}
	lines := strings.Split(m.Source, "\n")
	starts := make([]int, 0, len(f.Decls))
	for _, d := range f.Decls {
		starts = append(starts, d.P.Line)
	}
	sort.Ints(starts)
	for _, d := range f.Decls {
		if d.Kind != "coupling" || d.P.Line < 1 || d.P.Line > len(lines) {
			continue
		}
		end := len(lines) + 1
		if i := sort.SearchInts(starts, d.P.Line+1); i < len(starts) {
			end = starts[i]
		}
		var parts []string
		for l := d.P.Line; l < end && l <= len(lines); l++ {
			text, _, _ := strings.Cut(lines[l-1], "#")
			if text = strings.TrimSpace(text); text != "" {
				parts = append(parts, text)
			}
		}
		text := strings.Join(parts, " ")
		text = strings.TrimSpace(strings.TrimPrefix(text, "coupling"))
		out[d.Name] = text
	}
	return out
}
