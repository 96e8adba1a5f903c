package wire

import (
	"errors"
	"fmt"
	"net"
	"os"
)

// A ProtocolError says the server broke the rules of the conversation itself:
// a line ending in a bare LF, a tag the client never sent, a response larger
// than the limit, a continuation request nobody asked for, data sent in
// plaintext after a STARTTLS OK. A server that does this is not conformant;
// compare with I/O errors (refused, reset, timed out), which say the exchange
// could not be completed at all.
type ProtocolError struct {
	// Reason says what rule was broken, in a short sentence.
	Reason string
	// Raw holds the offending octets, as far as they were read (may be
	// truncated for very large responses).
	Raw []byte
}

func (e *ProtocolError) Error() string {
	if len(e.Raw) == 0 {
		return "protocol violation: " + e.Reason
	}
	raw := e.Raw
	if len(raw) > 200 {
		raw = raw[:200]
	}
	return fmt.Sprintf("protocol violation: %s: %s", e.Reason, RenderLine(raw, false))
}

// ErrClosed is returned by operations on a connection that was closed by
// Close (possibly from another goroutine, to abandon a case).
var ErrClosed = errors.New("connection closed")

// IsTimeout reports whether err is a read or write deadline expiring.
func IsTimeout(err error) bool {
	if errors.Is(err, os.ErrDeadlineExceeded) {
		return true
	}
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// IsProtocolError reports whether err (or an error it wraps) is a
// *ProtocolError.
func IsProtocolError(err error) bool {
	var pe *ProtocolError
	return errors.As(err, &pe)
}
