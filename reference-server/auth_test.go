package referenceserver

import (
	"bufio"
	"bytes"
	"crypto/tls"
	"encoding/base64"
	"log/slog"
	"net"
	"strings"
	"sync"
	"testing"
)

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

// RFC 3501 section 6.2.3: LOGIN with atoms, quoted strings and literals.
func TestLogin(t *testing.T) {
	srv := startServer(t, Options{Users: []User{{"alice", "secret"}, {`we ird"\`, `p{3}"`}}})
	c := dial(t, srv.Addr())
	c.run(`
C: a1 LOGIN alice wrong
S: a1 NO Invalid user name or password
C: a2 LOGIN nobody secret
S: a2 NO Invalid user name or password
C: a3 LOGIN ALICE secret
S: a3 NO Invalid user name or password
C: a4 LOGIN alice
S: a4 BAD SP expected, found end of line
C: a5 LOGIN "alice" "secret" x
S: a5 BAD {{.*}}
C: a6 LOGIN {8}
S: + Ready for literal data
C: we ird"\ "p{3}\""
S: a6 OK [CAPABILITY IMAP4rev1 CHILDREN] Logged in`)
	c = dial(t, srv.Addr())
	c.run(`
C: A001 LOGIN {5}
S: + Ready for literal data
C: alice {6}
S: + Ready for literal data
C: secret
S: A001 OK [CAPABILITY IMAP4rev1 CHILDREN] Logged in`)
}

// RFC 3501 section 6.2.2 with PLAIN (RFC 4616) and SASL-IR (RFC 4959).
func TestAuthenticatePlain(t *testing.T) {
	srv := startServer(t, Options{})
	c := dial(t, srv.Addr())
	c.run(`
C: a1 AUTHENTICATE PLAIN
S: +{{ }}
C: ` + b64("\x00alice\x00wrong") + `
S: a1 NO Authentication failed
# "*" cancels the exchange with BAD
C: a2 AUTHENTICATE PLAIN
S: +{{ }}
C: *
S: a2 BAD Authentication cancelled
# a response that is not base64 is a BAD
C: a3 AUTHENTICATE PLAIN
S: +{{ }}
C: AGFsaWNl!!!
S: a3 BAD Authentication response is not valid base64
C: a4 AUTHENTICATE PLAIN
S: +{{ }}
C: AGFsaWN
S: a4 BAD Authentication response is not valid base64
# an authorization identity other than the user is refused
C: a5 AUTHENTICATE PLAIN ` + b64("bob\x00alice\x00secret") + `
S: a5 NO Authentication failed
# an empty initial response ("=") is not a valid PLAIN message
C: a6 AUTHENTICATE PLAIN =
S: a6 NO Authentication failed
C: a7 AUTHENTICATE CRAM-MD5
S: a7 NO Unsupported authentication mechanism CRAM-MD5 (supported: PLAIN)
C: a7b AUTHENTICATE
S: a7b BAD SP expected, found end of line
C: a7c AUTHENTICATE "PLAIN"
S: a7c BAD Authentication mechanism expected, found "\"PLAIN\""
C: a8 AUTHENTICATE PLAIN ` + b64("\x00alice\x00secret") + `x
S: a8 BAD Initial response is not valid base64
C: a9 authenticate plain
S: +{{ }}
C: ` + b64("alice\x00alice\x00secret") + `
S: a9 OK [CAPABILITY IMAP4rev1 CHILDREN] Logged in`)
	c = dial(t, srv.Addr())
	c.run(`
C: b1 AUTHENTICATE PLAIN ` + b64("\x00bob\x00secret") + `
S: b1 OK [CAPABILITY IMAP4rev1 CHILDREN] Logged in`)
}

// RFC 3501 sections 6.2.3 and 11.1: with plaintext passwords disabled, the
// server advertises LOGINDISABLED, no AUTH=PLAIN, and refuses both until
// STARTTLS.
func TestLoginDisabled(t *testing.T) {
	srv := startServer(t, Options{PlaintextAuth: PlaintextAuthNever})
	c := dial(t, srv.Addr())
	if c.greeting != "* OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED CHILDREN] imapgauge reference server ready" {
		t.Fatalf("greeting %q", c.greeting)
	}
	c.run(`
C: a1 CAPABILITY
S: * CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED CHILDREN
S: a1 OK CAPABILITY completed
C: a2 LOGIN alice secret
S: a2 NO LOGIN is disabled on a connection without TLS (LOGINDISABLED): use STARTTLS first
# refused before the password literal is asked for
C: a3 LOGIN alice {6}
S: a3 NO LOGIN is disabled {{.*}}
C: a4 AUTHENTICATE PLAIN ` + b64("\x00alice\x00secret") + `
S: a4 NO PLAIN is disabled on a connection without TLS: use STARTTLS first
C: a5 STARTTLS
S: a5 OK Begin TLS negotiation now`)
	c.startTLS(srv)
	c.run(`
C: a6 CAPABILITY
S: * CAPABILITY IMAP4rev1 AUTH=PLAIN SASL-IR CHILDREN
S: a6 OK CAPABILITY completed
C: a7 LOGIN alice secret
S: a7 OK [CAPABILITY IMAP4rev1 CHILDREN] Logged in`)
}

func TestPlaintextAuthPolicy(t *testing.T) {
	srv := startServer(t, Options{PlaintextAuth: PlaintextAuthAlways})
	if c := dial(t, srv.Addr()); !strings.Contains(c.greeting, "AUTH=PLAIN") {
		t.Fatalf("always: %q", c.greeting)
	}
	// A listener on a non-loopback address, in loopback mode, refuses
	// plaintext passwords; the decision is per listener.
	s := &Server{opts: Options{PlaintextAuth: PlaintextAuthLoopback}, log: srv.log}
	for _, tc := range []struct {
		loopback bool
		want     bool
	}{{true, true}, {false, false}} {
		s.lnLoopback = tc.loopback
		sess := s.newSession(nopConn{}, false)
		if sess.plaintextAllowed() != tc.want {
			t.Errorf("loopback listener %v: plaintext allowed %v", tc.loopback, !tc.want)
		}
		if strings.Contains(sess.capabilities(), "LOGINDISABLED") == tc.want {
			t.Errorf("loopback listener %v: capabilities %q", tc.loopback, sess.capabilities())
		}
	}
	for _, p := range []PlaintextAuth{PlaintextAuthLoopback, PlaintextAuthNever, PlaintextAuthAlways} {
		if q, err := ParsePlaintextAuth(p.String()); err != nil || q != p {
			t.Errorf("%v: %v %v", p, q, err)
		}
	}
	if _, err := ParsePlaintextAuth("sometimes"); err == nil {
		t.Error("ParsePlaintextAuth accepted sometimes")
	}
}

// startTLS performs the client side of the TLS negotiation after the OK to
// STARTTLS.
func (c *client) startTLS(srv *Server) {
	c.t.Helper()
	tc := tls.Client(c.conn, &tls.Config{RootCAs: srv.CertPool(), ServerName: "localhost"})
	if err := tc.Handshake(); err != nil {
		c.t.Fatalf("TLS handshake: %v", err)
	}
	c.conn = tc
	c.br = bufio.NewReader(tc)
}

// RFC 3501 section 6.2.1.
func TestStartTLS(t *testing.T) {
	srv := startServer(t, Options{})
	c := dial(t, srv.Addr())
	c.run(`
C: a1 STARTTLS extra
S: a1 BAD {{.*}}
C: a2 STARTTLS
S: a2 OK Begin TLS negotiation now`)
	c.startTLS(srv)
	c.run(`
C: a3 CAPABILITY
S: * CAPABILITY IMAP4rev1 AUTH=PLAIN SASL-IR CHILDREN
S: a3 OK CAPABILITY completed
C: a4 STARTTLS
S: a4 BAD TLS is already active
C: a5 LOGIN alice secret
S: a5 OK {{.*}}`)
}

// Commands pipelined after STARTTLS in the clear must not be executed after
// the TLS negotiation (the plaintext command injection attack).
func TestStartTLSInjection(t *testing.T) {
	srv := startServer(t, Options{})
	c := dial(t, srv.Addr())
	c.send("a1 STARTTLS\r\na2 LOGIN alice secret\r\na3 SELECT INBOX\r\n")
	if l := c.line(); l != "a1 OK Begin TLS negotiation now" {
		t.Fatalf("got %q", l)
	}
	tc := tls.Client(c.conn, &tls.Config{RootCAs: srv.CertPool(), ServerName: "localhost"})
	if err := tc.Handshake(); err != nil {
		// The injected octets reached the handshake and broke it: they
		// were not executed either.
		t.Logf("handshake failed: %v", err)
		return
	}
	c.conn, c.br = tc, bufio.NewReader(tc)
	// Still not authenticated: the LOGIN was discarded.
	c.run(`
C: a4 CAPABILITY
S: * CAPABILITY IMAP4rev1 AUTH=PLAIN SASL-IR CHILDREN
S: a4 OK CAPABILITY completed
C: a5 SELECT INBOX
S: a5 BAD SELECT is not valid in the not authenticated state`)
}

// A client that fails the TLS handshake is disconnected.
func TestStartTLSBadHandshake(t *testing.T) {
	srv := startServer(t, Options{})
	c := dial(t, srv.Addr())
	c.run(`
C: a1 STARTTLS
S: a1 OK Begin TLS negotiation now
C: this is not a TLS client hello`)
	c.expectClosed()
}

func TestImplicitTLS(t *testing.T) {
	srv := startServer(t, Options{TLSAddr: "127.0.0.1:0", PlaintextAuth: PlaintextAuthNever})
	if srv.TLSAddr() == "" {
		t.Fatal("no TLS listener")
	}
	c := dialTLS(t, srv)
	if c.greeting != "* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN SASL-IR CHILDREN] imapgauge reference server ready" {
		t.Fatalf("greeting %q", c.greeting)
	}
	c.run(`
C: a1 STARTTLS
S: a1 BAD TLS is already active
C: a2 AUTHENTICATE PLAIN ` + b64("\x00alice\x00secret") + `
S: a2 OK [CAPABILITY IMAP4rev1 CHILDREN] Logged in`)
	// The plain listener of the same server has LOGINDISABLED.
	if p := dial(t, srv.Addr()); !strings.Contains(p.greeting, "LOGINDISABLED") {
		t.Fatalf("plain greeting %q", p.greeting)
	}
}

// safeBuffer is a bytes.Buffer for a logger written by several sessions.
type safeBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *safeBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *safeBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// Passwords and AUTHENTICATE data never reach the log, even at debug level.
func TestPasswordsNotLogged(t *testing.T) {
	var logs safeBuffer
	srv := startServer(t, Options{Logger: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})), Users: []User{{"alice", "Pa55-word"}}})
	c := dial(t, srv.Addr())
	c.do("a1", "LOGIN alice Pa55-wrong", "NO")
	c.do("a2", "AUTHENTICATE PLAIN "+b64("\x00alice\x00Pa55-wrang"), "NO")
	c.do("a3", "LOGIN alice Pa55-word", "OK")
	c.do("a4", "LOGOUT", "OK")
	c.expectClosed()
	srv.Close()
	out := logs.String()
	if !strings.Contains(out, "logged in") {
		t.Fatalf("log lacks the login event:\n%s", out)
	}
	for _, secret := range []string{"Pa55", b64("\x00alice\x00Pa55-wrang")[:12]} {
		if strings.Contains(out, secret) {
			t.Fatalf("log contains %q:\n%s", secret, out)
		}
	}
}

// nopConn stands for a connection in tests that only build a session.
type nopConn struct{ net.Conn }

func (nopConn) RemoteAddr() net.Addr { return &net.TCPAddr{IP: net.IPv4(192, 0, 2, 1), Port: 1} }
