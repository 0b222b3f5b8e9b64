package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
)

// runComing is what run says until the simulation engine lands.
const runComing = "neuromass run: the simulation engine is coming (issue: Engine and CPU reference backend); nothing was simulated"

func newRunCmd(_ *globalOptions) *cobra.Command {
	return &cobra.Command{
		Use:   "run [flags]",
		Short: "Simulate a model on a network (coming with the engine)",
		Long: `Run will simulate a model on a connectome: an ensemble of parameter sets, with delays,
noise and BOLD, on the CPU or the GPU.

The simulation engine does not exist yet. Without arguments, run says so on stderr
and exits with status 0 (so "make run" works as a smoke test). With any flag or
argument it prints the same message and fails with exit status 1: a run that was asked
for something cannot pretend to have done it.`,
		Example: `  neuromass run`,
		// Every argument, flag or not, is refused the same way; parse nothing so that no flag
		// is an "unknown flag" usage error.
		DisableFlagParsing: true,
		Args:               cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			for _, a := range args {
				if a == "-h" || a == "--help" {
					return cmd.Help()
				}
			}
			fmt.Fprintln(cmd.ErrOrStderr(), runComing)
			if len(args) == 0 {
				return nil
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "neuromass run: cannot do what was asked (%s) without the engine\n", strings.Join(args, " "))
			return exitCodeError{exitError}
		},
	}
}
