package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/neuromass/neuromass/engine/eqn"
)

func newModelCheckCmd(g *globalOptions) *cobra.Command {
	return &cobra.Command{
		Use:   "check FILE...",
		Short: "Compile model files and report their errors",
		Long: `Check compiles each model file with its switches at their defaults.

For a file that compiles it prints one line on stdout:

  FILE: model NAME: P params, S states (ODE k, algebraic m), C couplings, O outputs, N noise sources, graph of G nodes

(G counts the nodes of the compiled expression graph, after common-subexpression
elimination). With --quiet nothing is printed for a file that compiles.

For a file that does not compile it prints every problem the compiler found on stderr,
one per line, as FILE:LINE:COL: what was found, what was expected. A file that cannot be
read is reported by name. All files are checked; the exit status is 1 if any failed.`,
		Example: `  neuromass model check docs/jansen-rit.nm
  neuromass model check models/*.nm
  neuromass -q model check my-model.nm && echo ok`,
		Args: minArgs(1, "one or more model files"),
		RunE: func(cmd *cobra.Command, args []string) error {
			failed := false
			for _, path := range args {
				src, err := readModelFile(path)
				if err != nil {
					fmt.Fprintf(cmd.ErrOrStderr(), "neuromass: %v\n", err)
					failed = true
					continue
				}
				m, err := eqn.Compile(path, src, eqn.Options{})
				if err != nil {
					if list, ok := err.(eqn.ErrorList); ok {
						for _, e := range list {
							fmt.Fprintln(cmd.ErrOrStderr(), e.Error())
						}
					} else {
						fmt.Fprintf(cmd.ErrOrStderr(), "neuromass: %s: %v\n", path, err)
					}
					failed = true
					continue
				}
				if !g.quiet {
					fmt.Fprintln(cmd.OutOrStdout(), checkSummary(path, m))
				}
			}
			if failed {
				return exitCodeError{exitError}
			}
			return nil
		},
	}
}

// checkSummary is model check's line for a file that compiles.
func checkSummary(path string, m *eqn.Model) string {
	ode, alg := stateCounts(m)
	nodes := 0
	if m.G != nil {
		nodes = len(m.G.Nodes)
	}
	return fmt.Sprintf("%s: model %s: %d params, %d states (ODE %d, algebraic %d), %d couplings, %d outputs, %d noise sources, graph of %d nodes",
		path, m.Name, len(m.Params), len(m.States), ode, alg, len(m.Couplings), len(m.Outputs), len(m.Noises), nodes)
}
