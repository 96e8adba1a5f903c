package rfc3501

import (
	"errors"
	"syscall"

	"github.com/imapgauge/imapgauge/conformance/wire"
)

// astring is a mailbox or string argument in the form the wire driver
// picks (atom, quoted string or literal).
func astring(s string) wire.Arg { return wire.Astring(s) }

// isReset reports whether err says the peer reset the connection, which
// closes it as surely as a FIN.
func isReset(err error) bool {
	return errors.Is(err, syscall.ECONNRESET)
}

// listOf is a parenthesised list of atoms.
func listOf(atoms ...string) wire.Arg {
	args := make([]wire.Arg, len(atoms))
	for i, a := range atoms {
		args[i] = wire.Atom(a)
	}
	return wire.List(args...)
}
