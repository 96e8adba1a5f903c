package fault

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"io"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/imapgauge/imapgauge/conformance/wire"
)

// upstream is a small IMAP-like server for the proxy's tests: NOOP,
// STARTTLS, APPEND with a synchronising literal (echoed back in the
// completion; refused before the continuation request for the mailbox
// "missing"), LOGOUT; implicit TLS when tlsConfig is set for it.
type upstream struct {
	ln        net.Listener
	tlsConfig *tls.Config
	implicit  bool
	wg        sync.WaitGroup
}

func startUpstream(t *testing.T, implicit bool) (*upstream, *x509.CertPool) {
	t.Helper()
	cert, pool, err := selfSigned()
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	u := &upstream{ln: ln, tlsConfig: &tls.Config{Certificates: []tls.Certificate{cert}}, implicit: implicit}
	u.wg.Add(1)
	go func() {
		defer u.wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			u.wg.Add(1)
			go func() { defer u.wg.Done(); u.serve(c) }()
		}
	}()
	t.Cleanup(func() { ln.Close(); u.wg.Wait() })
	return u, pool
}

func (u *upstream) serve(c net.Conn) {
	defer c.Close()
	if u.implicit {
		c = tls.Server(c, u.tlsConfig)
	}
	br := bufio.NewReader(c)
	c.Write([]byte("* OK upstream ready\r\n"))
	for {
		c.SetDeadline(time.Now().Add(5 * time.Second))
		line, err := br.ReadString('\n')
		if err != nil {
			return
		}
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		tag := f[0]
		switch strings.ToUpper(f[1]) {
		case "NOOP":
			c.Write([]byte(tag + " OK noop\r\n"))
		case "STARTTLS":
			c.Write([]byte(tag + " OK begin TLS\r\n"))
			// A careful server discards what was pipelined in plaintext.
			tc := tls.Server(&drained{Conn: c}, u.tlsConfig)
			if tc.Handshake() != nil {
				return
			}
			c, br = tc, bufio.NewReader(tc)
		case "APPEND":
			if f[2] == "missing" {
				// Refused before the continuation request (RFC 3501
				// section 7.5): the client does not send the octets.
				c.Write([]byte(tag + " NO [TRYCREATE] no such mailbox\r\n"))
				continue
			}
			n, _ := strconv.Atoi(strings.Trim(f[len(f)-1], "{}"))
			c.Write([]byte("+ go ahead\r\n"))
			data := make([]byte, n)
			if _, err := io.ReadFull(br, data); err != nil {
				return
			}
			br.ReadString('\n')
			c.Write([]byte(tag + " OK got " + string(data) + "\r\n"))
		case "LOGOUT":
			c.Write([]byte("* BYE bye\r\n" + tag + " OK logout\r\n"))
			return
		default:
			c.Write([]byte(tag + " BAD what?\r\n"))
		}
	}
}

// drained discards the plaintext that reaches the server after its
// STARTTLS OK, up to the client's first TLS record (0x16).
type drained struct {
	net.Conn
	started bool
}

func (d *drained) Read(p []byte) (int, error) {
	for !d.started {
		n, err := d.Conn.Read(p)
		if err != nil {
			return 0, err
		}
		if i := bytes.IndexByte(p[:n], 0x16); i >= 0 {
			d.started = true
			return copy(p, p[i:n]), nil
		}
	}
	return d.Conn.Read(p)
}

func proxyFor(t *testing.T, u *upstream, pool *x509.CertPool, f Fault) *Proxy {
	t.Helper()
	p, err := Listen(Options{
		Upstream:          u.ln.Addr().String(),
		UpstreamTLS:       u.implicit,
		UpstreamTLSConfig: &tls.Config{RootCAs: pool, ServerName: "127.0.0.1"},
		Fault:             f,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

func dialProxy(t *testing.T, p *Proxy, implicit bool) *wire.Conn {
	t.Helper()
	c, err := wire.Dial(context.Background(), p.Addr(), wire.Options{
		Timeout:     500 * time.Millisecond,
		ImplicitTLS: implicit,
		TLSConfig:   &tls.Config{RootCAs: p.CertPool(), ServerName: "127.0.0.1"},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	if _, err := c.ReadGreeting(); err != nil {
		t.Fatal(err)
	}
	return c
}

// The zero Fault forwards faithfully: plaintext, literals, STARTTLS.
func TestProxyIsTransparent(t *testing.T) {
	u, pool := startUpstream(t, false)
	c := dialProxy(t, proxyFor(t, u, pool, Fault{}), false)
	cmd, err := c.Do("APPEND", wire.Atom("box"), wire.Literal([]byte("hello")))
	if err != nil || cmd.Tagged.Line() != "a1 OK got hello" {
		t.Fatalf("APPEND through the proxy: %v %v", cmd, err)
	}
	if cmd, err := c.StartTLS(); err != nil || cmd.Status() != "OK" {
		t.Fatalf("STARTTLS: %v %v", cmd, err)
	}
	if cmd, err := c.Do("NOOP"); err != nil || cmd.Tagged.Line() != "a3 OK noop" {
		t.Fatalf("NOOP under TLS: %v %v", cmd, err)
	}
}

func TestProxyImplicitTLS(t *testing.T) {
	u, pool := startUpstream(t, true)
	p := proxyFor(t, u, pool, RewriteResponse("noop says NO", "NOOP", `^(\S+) OK `, "$1 NO "))
	c := dialProxy(t, p, true)
	cmd, err := c.Do("NOOP")
	if err != nil || cmd.Status() != "NO" {
		t.Fatalf("NOOP: %v %v", cmd, err)
	}
}

func TestFaults(t *testing.T) {
	u, pool := startUpstream(t, false)
	for _, tc := range []struct {
		fault  Fault
		check  func(c *wire.Conn) error
		expect string
	}{
		{DropResponse("drop", "NOOP", `^\S+ OK`), func(c *wire.Conn) error { _, err := c.Do("NOOP"); return err }, "no complete response"},
		{InsertBefore("insert", "NOOP", `^\S+ OK`, "* 1 EXISTS\r\n"), func(c *wire.Conn) error {
			cmd, err := c.Do("NOOP")
			if err == nil && len(cmd.Untagged) != 1 {
				return errString("no inserted response")
			}
			return err
		}, ""},
		{BareLF("bare LF", "NOOP", `.`), func(c *wire.Conn) error { _, err := c.Do("NOOP"); return err }, "bare LF"},
		{HangAt("hang", "NOOP", `.`), func(c *wire.Conn) error { _, err := c.Do("NOOP"); return err }, "no complete response"},
		{DisconnectAt("disconnect", "NOOP", `.`), func(c *wire.Conn) error { _, err := c.Do("NOOP"); return err }, "EOF"},
		{RewriteCommand("rewrite command", `NOOP`, "FROB"), func(c *wire.Conn) error {
			cmd, err := c.Do("NOOP")
			if err == nil && cmd.Status() != "BAD" {
				return errString("command not rewritten")
			}
			return err
		}, ""},
		{Chain("chain", RewriteResponse("a", "NOOP", "noop", "first"), RewriteResponse("b", "NOOP", "first", "second")), func(c *wire.Conn) error {
			cmd, err := c.Do("NOOP")
			if err == nil && cmd.Tagged.Line() != "a1 OK second" {
				return errString("got " + cmd.Tagged.Line())
			}
			return err
		}, ""},
	} {
		t.Run(tc.fault.Name, func(t *testing.T) {
			c := dialProxy(t, proxyFor(t, u, pool, tc.fault), false)
			err := tc.check(c)
			switch {
			case tc.expect == "" && err != nil:
				t.Fatal(err)
			case tc.expect != "" && (err == nil || !strings.Contains(err.Error(), tc.expect)):
				t.Fatalf("err = %v, want %q", err, tc.expect)
			}
		})
	}
}

// With ReplayPlaintext the server appears to execute what was pipelined
// after STARTTLS; without it, it does not.
func TestReplayPlaintextAfterStartTLS(t *testing.T) {
	u, pool := startUpstream(t, false)
	for _, replay := range []bool{false, true} {
		f := Fault{}
		if replay {
			f = ReplayPlaintextAfterStartTLS("replay")
		}
		c := dialProxy(t, proxyFor(t, u, pool, f), false)
		cmds, err := c.WriteRaw([]byte("s1 STARTTLS\r\ns2 NOOP\r\n"), "s1")
		if err != nil {
			t.Fatal(err)
		}
		if err := c.Wait(cmds[0]); err != nil || cmds[0].Status() != "OK" {
			t.Fatalf("STARTTLS: %v", err)
		}
		if err := c.UpgradeTLS(); err != nil {
			t.Fatalf("replay %v: TLS: %v", replay, err)
		}
		if _, err := c.WriteRaw([]byte("s3 NOOP\r\n"), "s3"); err != nil {
			t.Fatal(err)
		}
		r, err := c.ReadResponse()
		if err != nil {
			t.Fatal(err)
		}
		if got, want := r.Tag, map[bool]string{false: "s3", true: "s2"}[replay]; got != want {
			t.Fatalf("replay %v: first response under TLS is tagged %s, want %s", replay, got, want)
		}
	}
}

func TestKeepOpenAfterClose(t *testing.T) {
	u, pool := startUpstream(t, false)
	c := dialProxy(t, proxyFor(t, u, pool, KeepOpenAfterClose("keep open")), false)
	if cmd, err := c.Do("LOGOUT"); err != nil || cmd.Status() != "OK" {
		t.Fatalf("LOGOUT: %v %v", cmd, err)
	}
	if _, err := c.ReadResponse(); !wire.IsTimeout(err) {
		t.Fatalf("after LOGOUT: %v, want a timeout (connection kept open)", err)
	}
}

// Close ends every connection, including hung ones, and returns.
func TestProxyCloseEndsHungConnections(t *testing.T) {
	u, pool := startUpstream(t, false)
	p := proxyFor(t, u, pool, HangAt("hang", "", `^\* OK`))
	c, err := net.Dial("tcp", p.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	done := make(chan struct{})
	go func() { p.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not return")
	}
}

type errString string

func (e errString) Error() string { return string(e) }

// A synchronising literal the server refuses with a tagged response is
// never sent: the proxy reads the client's next command as a command, not
// as the literal's octets.
func TestRefusedLiteral(t *testing.T) {
	u, pool := startUpstream(t, false)
	c := dialProxy(t, proxyFor(t, u, pool, Fault{}), false)
	// Longer than the next command: a proxy waiting for these octets would
	// swallow it and wait on.
	cmd, err := c.Do("APPEND", wire.Atom("missing"), wire.Literal(bytes.Repeat([]byte("x"), 100)))
	if err != nil {
		t.Fatal(err)
	}
	if !cmd.LiteralRefused || cmd.Status() != "NO" {
		t.Fatalf("APPEND to a missing mailbox: %s (literal refused: %v), want NO before the continuation request", cmd.Tagged, cmd.LiteralRefused)
	}
	for _, name := range []string{"NOOP", "APPEND"} {
		args := []wire.Arg{}
		if name == "APPEND" {
			args = []wire.Arg{wire.Atom("inbox"), wire.Literal([]byte("hello"))}
		}
		next, err := c.Do(name, args...)
		if err != nil || next.Status() != "OK" {
			t.Fatalf("%s after the refused literal: %v %v, want OK", name, next.Tagged, err)
		}
	}
}
