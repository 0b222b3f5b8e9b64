package main

import (
	"io"

	"github.com/spf13/cobra"
)

func newModelProgramCmd(_ *globalOptions) *cobra.Command {
	var switches switchFlag
	cmd := &cobra.Command{
		Use:   "program NAME|FILE",
		Short: "Print the CPU lane program of a model",
		Long: `Program compiles a built-in model or a model file and prints the register program the
CPU backend runs: its phases (once per member, once per node, every step, each coupling's
term for every j, after maps, outputs), one instruction per line, with the registers where
each new state value, output and the BOLD input end up.

--switch name=option compiles the model with another switch option (repeatable).
A model that does not compile prints its errors as FILE:LINE:COL: message (exit status 1).`,
		Example: `  neuromass model program hopf
  neuromass model program docs/jansen-rit.nm`,
		Args: exactArgs(1, "one model name or file"),
		RunE: func(cmd *cobra.Command, args []string) error {
			m, err := loadModel(args[0], switches.options())
			if err != nil {
				return err
			}
			p, err := m.Program()
			if err != nil {
				return err
			}
			_, err = io.WriteString(cmd.OutOrStdout(), p.String())
			return err
		},
	}
	addSwitchFlag(cmd, &switches)
	return cmd
}
