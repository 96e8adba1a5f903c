package referenceserver

import (
	"strings"
	"testing"
	"time"
)

// Limits on what one command may hold: each refused with BAD (or NO for a
// message too large), and the connection stays usable.
func TestCommandLimits(t *testing.T) {
	srv := startServer(t, Options{})
	c := login(t, srv, alice)
	c.do("s", "SELECT INBOX", "OK")
	long := "a1 LOGIN " + strings.Repeat("x", 70000)
	c.send(long + "\r\n")
	c.run(`
S: a1 BAD Line too long (limit 65536 octets)
C: a2 NOOP
S: a2 OK NOOP completed
# a literal over 64 KiB outside APPEND: BAD, no continuation request
C: a3 CREATE {70000}
S: a3 BAD Literal too large (limit 65536 octets)
C: a4 NOOP
S: a4 OK NOOP completed
# nesting and item counts
C: a5 SEARCH ` + strings.Repeat("NOT ", 70) + `ALL
S: a5 BAD Nesting too deep (limit 64)
C: a6 SEARCH ` + strings.Repeat("(", 65) + "ALL" + strings.Repeat(")", 65) + `
S: a6 BAD Nesting too deep (limit 64)
C: a7 FETCH ` + strings.TrimSuffix(strings.Repeat("1,", 10001), ",") + ` UID
S: a7 BAD Too many items in one command (limit 10000)
C: a8 NOOP
S: a8 OK NOOP completed`)
	// A line that never ends is cut off.
	c.send(strings.Repeat("y", 2<<20))
	if l := c.line(); l != "* BAD Line too long; closing the connection" {
		t.Fatalf("got %q", l)
	}
	if l := c.line(); !strings.HasPrefix(l, "* BYE ") {
		t.Fatalf("got %q", l)
	}
	c.expectClosed()
}

// A bare LF is not a line end (RFC 3501 section 2.2): BAD, then the next
// command is read normally.
func TestBareLF(t *testing.T) {
	srv := startServer(t, Options{})
	c := dial(t, srv.Addr())
	c.send("a1 NOOP\na2 NOOP\r\n")
	c.run(`
S: a1 BAD Line must end with CRLF
S: a2 OK NOOP completed`)
}

// An unterminated quoted string does not swallow the next command.
func TestUnterminatedQuotedString(t *testing.T) {
	srv := startServer(t, Options{})
	c := dial(t, srv.Addr())
	c.send("a1 LOGIN \"alice secret\r\na2 NOOP\r\n")
	c.run(`
S: a1 BAD Unterminated quoted string in User name
S: a2 OK NOOP completed`)
}

// RFC 3501 section 5.4: an idle session is logged out with BYE. Before
// login the timer is short; after it, at least 30 minutes.
func TestAutologout(t *testing.T) {
	srv := startServer(t, Options{LoginTimeout: 500 * time.Millisecond, IdleTimeout: time.Second})
	if d := time.Duration(srv.idle.Load()); d != 30*time.Minute {
		t.Fatalf("authenticated autologout timer %v, want at least 30 minutes", d)
	}
	c := dial(t, srv.Addr())
	if l := c.line(); l != "* BYE Autologout; idle for too long" {
		t.Fatalf("got %q", l)
	}
	c.expectClosed()
	// Each command resets the timer.
	srv.idle.Store(int64(time.Second))
	a := login(t, srv, alice)
	for i := 0; i < 4; i++ {
		time.Sleep(400 * time.Millisecond)
		a.do("n", "NOOP", "OK")
	}
	if l := a.line(); l != "* BYE Autologout; idle for too long" {
		t.Fatalf("got %q", l)
	}
}

// Close says BYE to every session and waits for them.
func TestShutdown(t *testing.T) {
	srv := startServer(t, Options{})
	a := login(t, srv, alice)
	a.do("s", "SELECT INBOX", "OK")
	b := dial(t, srv.Addr())
	// A session in the middle of a literal is ended too.
	b.send("b1 LOGIN {5}\r\n")
	if l := b.line(); l != "+ Ready for literal data" {
		t.Fatalf("got %q", l)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Close() }()
	if l := a.line(); l != "* BYE Server shutting down" {
		t.Fatalf("selected session got %q", l)
	}
	a.expectClosed()
	if l := b.line(); l != "* BYE Server shutting down" {
		t.Fatalf("session in a literal got %q", l)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Close: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Close did not return")
	}
	if err := srv.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	if _, err := Start(Options{Addr: srv.Addr()}); err != nil {
		t.Fatalf("address not released: %v", err)
	}
}
