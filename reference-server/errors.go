package referenceserver

import (
	"errors"
	"fmt"
)

// statusError is a command's failure, carrying the tagged status response
// the command gets (RFC 3501 section 7.1): NO for an operational error, BAD
// for a protocol error.
type statusError struct {
	status string // "NO" or "BAD"
	code   string // response code without the brackets, "" for none
	text   string
}

func (e *statusError) Error() string {
	if e.code != "" {
		return e.status + " [" + e.code + "] " + e.text
	}
	return e.status + " " + e.text
}

// errNo returns a NO with an optional response code.
func errNo(code, format string, args ...any) *statusError {
	return &statusError{status: "NO", code: code, text: fmt.Sprintf(format, args...)}
}

// errBad returns a BAD.
func errBad(format string, args ...any) *statusError {
	return &statusError{status: "BAD", text: fmt.Sprintf(format, args...)}
}

// asError converts a *statusError to an error, keeping nil nil.
func asError(e *statusError) error {
	if e == nil {
		return nil
	}
	return e
}

// Errors of the embedding API and the mailbox operations.
var (
	// ErrNoSuchUser is returned for a user the server does not have.
	ErrNoSuchUser = errors.New("no such user")
	// ErrUserExists is returned by AddUser for a name already taken.
	ErrUserExists = errors.New("user already exists")
	// ErrNoSuchMailbox is returned for a mailbox that does not exist (or
	// is a \Noselect name).
	ErrNoSuchMailbox = errors.New("no such mailbox")
	// ErrClosed is returned by calls on a closed server.
	ErrClosed = errors.New("server closed")
)
