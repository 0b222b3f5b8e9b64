package main

import (
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/neuromass/neuromass/engine/eqn"
)

func newModelGLSLCmd(_ *globalOptions) *cobra.Command {
	var (
		switches switchFlag
		double   bool
	)
	cmd := &cobra.Command{
		Use:   "glsl NAME|FILE",
		Short: "Print the GLSL the GPU backend runs for a model",
		Long: `GLSL compiles a built-in model or a model file and prints the GLSL fragment the GPU
backend's compute shader includes: one integration step of one node (nm_step) and the
outputs and BOLD input from the new values (nm_outputs). It is single precision unless
--double is given; GLSL has no double-precision exp, log, pow, sin, cos, tan or tanh, so
--double fails for models that use them.

--switch name=option compiles the model with another switch option (repeatable).
A model that does not compile prints its errors as FILE:LINE:COL: message (exit status 1).`,
		Example: `  neuromass model glsl hopf
  neuromass model glsl hopf --double
  neuromass model glsl fhn --switch coupling=additive > fhn.glsl`,
		Args: exactArgs(1, "one model name or file"),
		RunE: func(cmd *cobra.Command, args []string) error {
			m, err := loadModel(args[0], switches.options())
			if err != nil {
				return err
			}
			code, err := m.GLSL(eqn.GLSLOptions{Double: double})
			if err != nil {
				return err
			}
			if !strings.HasSuffix(code, "\n") {
				code += "\n"
			}
			_, err = io.WriteString(cmd.OutOrStdout(), code)
			return err
		},
	}
	addSwitchFlag(cmd, &switches)
	cmd.Flags().BoolVar(&double, "double", false, "generate double-precision code (float64 arithmetic)")
	return cmd
}
