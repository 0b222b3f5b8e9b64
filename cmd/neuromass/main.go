package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/neuromass/neuromass/engine/eqn"
)

// Exit codes; the root command's long help documents them.
const (
	exitOK    = 0 // success
	exitError = 1 // the command failed
	exitUsage = 2 // the command line was wrong
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run executes the command line args (without the program name), writing to stdout and stderr,
// and returns the process exit code. Tests call it in-process.
func run(args []string, stdout, stderr io.Writer) int {
	if args == nil {
		// cobra reads os.Args when given nil; an empty command line must stay empty.
		args = []string{}
	}
	root := newRootCmd(stdout, stderr)
	root.SetArgs(args)
	cmd, err := root.ExecuteC()
	if err == nil {
		return exitOK
	}
	return report(stderr, cmd, err)
}

// usageError is a wrong command line: an unknown command or flag, a malformed flag value, the
// wrong number of arguments. It exits with code 2.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

// usagef returns a usageError with a formatted message.
func usagef(format string, args ...any) error {
	return usageError{fmt.Errorf(format, args...)}
}

// exitCodeError ends the command with an exit code after the command has already reported what
// went wrong on stderr (model check's error lines, run's message), so nothing more is printed.
type exitCodeError struct{ code int }

func (e exitCodeError) Error() string { return fmt.Sprintf("exit status %d", e.code) }

// report prints err on stderr and returns the exit code for it. A compiler ErrorList prints one
// line per problem, exactly as the compiler writes them (FILE:LINE:COL: message); other errors
// print as "neuromass: <error>". Usage errors add a pointer to the command's help.
func report(stderr io.Writer, cmd *cobra.Command, err error) int {
	var done exitCodeError
	if errors.As(err, &done) {
		return done.code
	}
	var list eqn.ErrorList
	if errors.As(err, &list) && len(list) > 0 {
		for _, e := range list {
			fmt.Fprintln(stderr, e.Error())
		}
		return exitError
	}
	fmt.Fprintf(stderr, "neuromass: %v\n", err)
	var usage usageError
	if errors.As(err, &usage) {
		path := "neuromass"
		if cmd != nil {
			path = cmd.CommandPath()
		}
		fmt.Fprintf(stderr, "Run '%s --help' for usage.\n", path)
		return exitUsage
	}
	return exitError
}
