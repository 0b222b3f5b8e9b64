package main

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/neuromass/neuromass/engine/eqn"
	"github.com/neuromass/neuromass/models"
)

// listWidth is how long the state and output name lists of model list may grow before they are
// abbreviated.
const listWidth = 36

func newModelListCmd(_ *globalOptions) *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List the built-in models",
		Long: `List prints one line per built-in model, after a header line: its name, its states
(how many, then their names, abbreviated when long), its outputs (the default one
marked with *) and its description.

A built-in model that does not compile is listed with its first error, and the
command then fails (exit status 1).`,
		Example: `  neuromass model list`,
		Args:    exactArgs(0, "no arguments"),
		RunE: func(cmd *cobra.Command, _ []string) error {
			var rows [][]string
			var broken []error
			for _, name := range models.Names() {
				m, err := models.Compile(name, eqn.Options{})
				if err != nil {
					first := err
					var list eqn.ErrorList
					if errors.As(err, &list) && len(list) > 0 {
						first = list[0]
					}
					rows = append(rows, []string{name, "-", "-", "does not compile: " + first.Error()})
					broken = append(broken, fmt.Errorf("built-in model %s does not compile: %v", name, err))
					continue
				}
				rows = append(rows, []string{name, listStates(m), listOutputs(m), m.Doc})
			}
			if err := writeTable(cmd.OutOrStdout(), "", []string{"NAME", "STATES", "OUTPUTS", "DESCRIPTION"}, rows); err != nil {
				return err
			}
			return errors.Join(broken...)
		},
	}
}

// listStates writes "COUNT: name, name, ...", abbreviated.
func listStates(m *eqn.Model) string {
	names := make([]string, len(m.States))
	for i, s := range m.States {
		names[i] = s.Name
	}
	return strconv.Itoa(len(names)) + ": " + abbreviate(names, ", ", listWidth)
}

// listOutputs writes the output names, the default one marked with *, abbreviated.
func listOutputs(m *eqn.Model) string {
	def := m.DefaultOutput()
	names := make([]string, len(m.Outputs))
	for i, o := range m.Outputs {
		names[i] = o.Name
		if i == def {
			names[i] += "*"
		}
	}
	return orDash(abbreviate(names, ", ", listWidth))
}
