package main

import (
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"
)

// Exit codes shared by the subcommands. Each subcommand documents the codes it
// uses in its long help; the README lists them all.
const (
	exitOK          = 0
	exitFailures    = 1 // conform: at least one case failed
	exitUsage       = 2 // bad flag, bad argument, unusable configuration
	exitUnreachable = 3 // the target could not be reached
)

// exitError carries a subcommand's verdict to main: the process exits with
// code, and err (when not nil) is printed to stderr first.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit status %d", e.code)
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }

// withCode wraps err so that the process exits with code.
func withCode(code int, err error) error { return &exitError{code: code, err: err} }

// usageErr reports a usage problem found after flag parsing (a bad TARGET, an
// invalid flag value): usage message, exit code 2.
func usageErr(format string, args ...any) error {
	return &usageError{err: fmt.Errorf(format, args...)}
}

type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

func newRootCommand(stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:   "imapgauge",
		Short: "RFC 3501 conformance and load testing for IMAP servers",
		Long: `imapgauge tells IMAP server authors, CI pipelines and capacity planners two things
about any IMAP server: does it follow RFC 3501, and how much load does it carry
while staying correct.

With no TARGET, conform and load start the bundled reference server in-process.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return &usageError{err: err} })
	root.AddCommand(
		// One file per subcommand; each constructor lives beside its name.
		newVersionCommand(),
		newConformCommand(),
		newServeCommand(),
		newReportCommand(),
		newLoadCommand(),
	)
	return root
}

// run executes the command line and returns the process exit code.
func run(args []string, stdout, stderr io.Writer) int {
	root := newRootCommand(stdout, stderr)
	root.SetArgs(args)
	cmd, err := root.ExecuteC()
	if err == nil {
		return exitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil {
			fmt.Fprintf(stderr, "imapgauge: %v\n", ee.err)
		}
		return ee.code
	}
	// Everything else cobra returns is a usage problem: an unknown command or
	// flag, a wrong number of arguments, an invalid flag value.
	fmt.Fprintf(stderr, "imapgauge: %v\n\n%s", err, cmd.UsageString())
	return exitUsage
}
