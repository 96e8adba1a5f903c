package wire

import (
	"bufio"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"

	"math/big"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
)

// peer is the server side of a scripted exchange.
type peer struct {
	t  *testing.T
	c  net.Conn
	br *bufio.Reader
}

// line reads one client line (without CRLF).
func (p *peer) line() string {
	p.c.SetReadDeadline(time.Now().Add(5 * time.Second))
	s, err := p.br.ReadString('\n')
	if err != nil {
		return "<" + err.Error() + ">"
	}
	return strings.TrimSuffix(s, "\r\n")
}

func (p *peer) send(s string) { p.c.Write([]byte(s)) }

// serve runs script on every connection to a fresh listener and returns its
// address.
func serve(t *testing.T, tlsConfig *tls.Config, script func(p *peer)) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer c.Close()
				if tlsConfig != nil {
					c = tls.Server(c, tlsConfig)
				}
				script(&peer{t: t, c: c, br: bufio.NewReader(c)})
			}()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		wg.Wait()
	})
	return ln.Addr().String()
}

func dial(t *testing.T, addr string, opts Options) *Conn {
	t.Helper()
	if opts.Timeout == 0 {
		opts.Timeout = 2 * time.Second
	}
	c, err := Dial(context.Background(), addr, opts)
	if err != nil {
		t.Fatalf("Dial: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func TestCommandCollectsUntaggedAndTagged(t *testing.T) {
	got := make(chan string, 1)
	addr := serve(t, nil, func(p *peer) {
		p.send("* OK [CAPABILITY IMAP4rev1] ready\r\n")
		got <- p.line()
		p.send("* CAPABILITY IMAP4rev1 LITERAL+\r\n* 3 exists\r\na1 OK done\r\n")
		p.line()
	})
	c := dial(t, addr, Options{})
	g, err := c.ReadGreeting()
	if err != nil {
		t.Fatal(err)
	}
	if g.Line() != "* OK [CAPABILITY IMAP4rev1] ready" || g.Status() != "OK" {
		t.Fatalf("greeting = %q status %q", g.Line(), g.Status())
	}
	cmd, err := c.Do("CAPABILITY")
	if err != nil {
		t.Fatal(err)
	}
	if line := <-got; line != "a1 CAPABILITY" {
		t.Fatalf("server read %q", line)
	}
	if cmd.Status() != "OK" || len(cmd.Untagged) != 2 {
		t.Fatalf("status %q, %d untagged", cmd.Status(), len(cmd.Untagged))
	}
	if string(cmd.Untagged[1].Raw) != "* 3 exists\r\n" {
		t.Fatalf("raw = %q", cmd.Untagged[1].Raw)
	}
}

// RFC 3501 section 4.3: a literal's octets are data, even when they look
// like protocol lines.
func TestResponseLiteralIsReadWhole(t *testing.T) {
	addr := serve(t, nil, func(p *peer) {
		p.send("* OK hi\r\n")
		p.line()
		p.send("* 1 FETCH (BODY[] {12}\r\na1 OK fake\r\n FLAGS (\\Seen))\r\na1 OK done\r\n")
	})
	c := dial(t, addr, Options{})
	c.ReadGreeting()
	cmd, err := c.Do("FETCH", Atom("1"), Atom("(BODY[] FLAGS)"))
	if err != nil {
		t.Fatal(err)
	}
	want := "* 1 FETCH (BODY[] {12}\r\na1 OK fake\r\n FLAGS (\\Seen))\r\n"
	if len(cmd.Untagged) != 1 || string(cmd.Untagged[0].Raw) != want {
		t.Fatalf("untagged = %q", cmd.Untagged)
	}
	if cmd.Tagged.Line() != "a1 OK done" {
		t.Fatalf("tagged = %q", cmd.Tagged.Line())
	}
}

// Text at the end of a status response may look like a literal's length
// without being one: resp-text is free text (RFC 3501 section 9).
func TestTextEndingInBraceCountIsNotALiteral(t *testing.T) {
	addr := serve(t, nil, func(p *peer) {
		p.send("* OK ready {5}\r\n")
		p.line()
		p.send("* NO [BADCHARSET ({3}\r\nabc)] no such charset\r\na1 OK see {2}\r\n")
	})
	c := dial(t, addr, Options{})
	g, err := c.ReadGreeting()
	if err != nil || g.Line() != "* OK ready {5}" {
		t.Fatalf("greeting %v, %v", g, err)
	}
	cmd, err := c.Do("NOOP")
	if err != nil {
		t.Fatal(err)
	}
	if len(cmd.Untagged) != 1 || string(cmd.Untagged[0].Raw) != "* NO [BADCHARSET ({3}\r\nabc)] no such charset\r\n" {
		t.Fatalf("untagged = %q", cmd.Untagged)
	}
}

func TestBrokenServers(t *testing.T) {
	for _, tc := range []struct {
		name     string
		script   func(p *peer)
		protocol bool // a *ProtocolError rather than an I/O error
		want     string
	}{
		{"bare LF", func(p *peer) { p.send("* OK hi\r\n"); p.line(); p.send("a1 OK done\n") }, true, "bare LF"},
		{"wrong tag", func(p *peer) { p.send("* OK hi\r\n"); p.line(); p.send("zz9 OK done\r\n") }, true, `tagged "zz9"`},
		{"garbage line", func(p *peer) { p.send("* OK hi\r\n"); p.line(); p.send("%%%garbage\r\n") }, true, "no command with that tag"},
		{"unexpected continuation", func(p *peer) { p.send("* OK hi\r\n"); p.line(); p.send("+ more?\r\n") }, true, "continuation"},
		{"dropped connection", func(p *peer) { p.send("* OK hi\r\n"); p.line(); p.send("* 1 EXI") }, false, "EOF"},
		{"never answers", func(p *peer) {
			p.send("* OK hi\r\n")
			p.line()
			p.line() // until the client gives up and closes
		}, false, "no complete response within"},
		{"oversize", func(p *peer) {
			p.send("* OK hi\r\n")
			p.line()
			p.send("* 1 FETCH (BODY[] {99999}\r\n")
		}, true, "exceeds the response size limit"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			addr := serve(t, nil, tc.script)
			c := dial(t, addr, Options{Timeout: 300 * time.Millisecond, MaxResponse: 4096})
			if _, err := c.ReadGreeting(); err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			_, err := c.Do("NOOP")
			if err == nil {
				t.Fatal("no error")
			}
			if time.Since(start) > 2*time.Second {
				t.Fatalf("took %v", time.Since(start))
			}
			if IsProtocolError(err) != tc.protocol || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v (protocol error: %v), want %q", err, IsProtocolError(err), tc.want)
			}
			// The error is sticky and in the transcript.
			if _, err2 := c.Do("NOOP"); err2 == nil {
				t.Fatal("connection still usable after a broken exchange")
			}
			if !strings.Contains(c.Transcript().String(), tc.want) {
				t.Fatalf("transcript lacks the error:\n%s", c.Transcript())
			}
		})
	}
}

func TestSynchronisingLiteralWaitsForContinuation(t *testing.T) {
	lines := make(chan string, 4)
	addr := serve(t, nil, func(p *peer) {
		p.send("* OK hi\r\n")
		lines <- p.line()
		p.send("+ go ahead\r\n")
		lines <- p.line()
		p.send("a1 OK appended\r\n")
	})
	c := dial(t, addr, Options{})
	c.ReadGreeting()
	cmd, err := c.Do("APPEND", Atom("box"), Literal([]byte("hello")))
	if err != nil || cmd.Status() != "OK" {
		t.Fatalf("%v %v", cmd, err)
	}
	if a, b := <-lines, <-lines; a != "a1 APPEND box {5}" || b != "hello" {
		t.Fatalf("server read %q, %q", a, b)
	}
}

func TestSynchronisingLiteralRefused(t *testing.T) {
	addr := serve(t, nil, func(p *peer) {
		p.send("* OK hi\r\n")
		p.line()
		p.send("a1 NO [TRYCREATE] no such mailbox\r\n")
		p.line()
	})
	c := dial(t, addr, Options{})
	c.ReadGreeting()
	cmd, err := c.Do("APPEND", Atom("missing"), Literal([]byte("hello")))
	if err != nil {
		t.Fatal(err)
	}
	if !cmd.LiteralRefused || cmd.Status() != "NO" {
		t.Fatalf("refused %v status %q", cmd.LiteralRefused, cmd.Status())
	}
	if strings.Contains(c.Transcript().String(), "hello") {
		t.Fatal("literal sent although the server refused it")
	}
}

func TestNonSynchronisingLiteralDoesNotWait(t *testing.T) {
	line := make(chan string, 1)
	addr := serve(t, nil, func(p *peer) {
		p.send("* OK hi\r\n")
		l1 := p.line()
		line <- l1 + "|" + p.line()
		p.send("a1 OK done\r\n")
	})
	c := dial(t, addr, Options{})
	c.ReadGreeting()
	if _, err := c.Do("APPEND", Atom("box"), LiteralPlus([]byte("hi"))); err != nil {
		t.Fatal(err)
	}
	if got := <-line; got != "a1 APPEND box {2+}|hi" {
		t.Fatalf("server read %q", got)
	}
}

// RFC 3501 section 5.5: responses to pipelined commands may complete in any
// order; each is matched by its tag.
func TestPipelinedCompletionsOutOfOrder(t *testing.T) {
	addr := serve(t, nil, func(p *peer) {
		p.send("* OK hi\r\n")
		p.line()
		p.line()
		p.send("* 1 RECENT\r\na2 OK second\r\n* 2 RECENT\r\na1 OK first\r\n")
	})
	c := dial(t, addr, Options{})
	c.ReadGreeting()
	c1, _ := c.Send("NOOP")
	c2, _ := c.Send("CHECK")
	if err := c.Wait(c1); err != nil {
		t.Fatal(err)
	}
	if c1.Tagged.Line() != "a1 OK first" || !c2.Done() || c2.Tagged.Line() != "a2 OK second" {
		t.Fatalf("c1 %v c2 %v", c1.Tagged, c2.Tagged)
	}
	if err := c.Wait(c2); err != nil {
		t.Fatal(err)
	}
	if len(c2.Untagged) != 1 || len(c1.Untagged) != 1 {
		t.Fatalf("untagged %d/%d", len(c1.Untagged), len(c2.Untagged))
	}
}

func TestSecretsAreRedactedAtRecordTime(t *testing.T) {
	addr := serve(t, nil, func(p *peer) {
		p.send("* OK hi\r\n")
		p.line()
		p.send("a1 BAD you said LOGIN alice \"pa ss\\\\word\"\r\n")
		p.line()
		p.send("+ \r\n")
		p.line()
		p.send("a2 OK authenticated\r\n")
	})
	c := dial(t, addr, Options{})
	c.ReadGreeting()
	if _, err := c.Do("LOGIN", Astring("alice"), Secret(`pa ss\word`)); err != nil {
		t.Fatal(err)
	}
	cmd, err := c.Authenticate(sasl.NewPlainClient("", "alice", "s3cret-pw"))
	if err != nil || cmd.Status() != "OK" {
		t.Fatalf("AUTHENTICATE: %v %v", cmd, err)
	}
	tr := c.Transcript().String()
	for _, secret := range []string{`pa ss`, `s3cret-pw`, "AGFsaWNlAHMzY3JldC1wdw=="} {
		if strings.Contains(tr, secret) {
			t.Fatalf("transcript holds %q:\n%s", secret, tr)
		}
	}
	if !strings.Contains(tr, "C: a1 LOGIN alice [redacted]") || !strings.Contains(tr, "S: a1 BAD you said LOGIN alice [redacted]") {
		t.Fatalf("transcript:\n%s", tr)
	}
	for _, e := range c.Transcript().Events() {
		if strings.Contains(string(e.Data), "s3cret") || strings.Contains(string(e.Data), "pa ss") {
			t.Fatalf("event holds a secret: %q", e.Data)
		}
	}
}

func TestTranscriptRendering(t *testing.T) {
	tr := NewTranscript("x")
	tr.record(Server, []byte("* OK hi\r\n* BYE\n\x00part"))
	tr.record(Client, []byte("a1 NOOP\r\n"))
	ev := tr.Events()
	if len(ev) != 4 || !ev[2].Partial || ev[2].Dir != Server || ev[3].Dir != Client {
		t.Fatalf("events %+v", ev)
	}
	s := tr.String()
	for _, want := range []string{"S: * OK hi\n", "S: * BYE [bare LF]\n", `S: \x00part [no line end]`, "C: a1 NOOP\n"} {
		if !strings.Contains(s, want) {
			t.Fatalf("rendering lacks %q:\n%s", want, s)
		}
	}
}

func TestTranscriptIsBounded(t *testing.T) {
	tr := NewTranscript("big")
	tr.AddSecret([]byte("hunter2"))
	line := strings.Repeat("x", 4000) + " hunter2\r\n"
	for i := 0; i < 1000; i++ {
		tr.record(Server, []byte(line))
	}
	kept := 0
	for _, e := range tr.Events() {
		kept += len(e.Data)
		if strings.Contains(string(e.Data), "hunter2") {
			t.Fatal("secret kept")
		}
	}
	if !tr.Truncated() || kept > maxKept+1000*(keepAfterFull+40) {
		t.Fatalf("truncated %v, %d octets kept", tr.Truncated(), kept)
	}
	if n := len(tr.Events()); n != 1000 {
		t.Fatalf("%d events, want every line", n)
	}
}

func TestCloseUnblocksWait(t *testing.T) {
	addr := serve(t, nil, func(p *peer) {
		p.send("* OK hi\r\n")
		p.line()
		p.line()
	})
	c := dial(t, addr, Options{Timeout: time.Minute})
	c.ReadGreeting()
	go func() {
		time.Sleep(50 * time.Millisecond)
		c.Close()
	}()
	_, err := c.Do("NOOP")
	if !errors.Is(err, ErrClosed) {
		t.Fatalf("err = %v", err)
	}
}

func TestStartTLS(t *testing.T) {
	cert, pool := testCert(t)
	addr := serve(t, nil, func(p *peer) {
		p.send("* OK hi\r\n")
		p.line()
		p.send("a1 OK begin TLS\r\n")
		tc := tls.Server(p.c, &tls.Config{Certificates: []tls.Certificate{cert}})
		tp := &peer{t: p.t, c: tc, br: bufio.NewReader(tc)}
		if l := tp.line(); l != "a2 NOOP" {
			tp.send("a2 BAD unexpected " + l + "\r\n")
			return
		}
		tp.send("a2 OK noop under TLS\r\n")
	})
	c := dial(t, addr, Options{TLSConfig: &tls.Config{RootCAs: pool}})
	c.ReadGreeting()
	cmd, err := c.StartTLS()
	if err != nil || cmd.Status() != "OK" || !c.TLS() {
		t.Fatalf("STARTTLS: %v %v", cmd, err)
	}
	cmd, err = c.Do("NOOP")
	if err != nil || cmd.Tagged.Line() != "a2 OK noop under TLS" {
		t.Fatalf("NOOP: %v %v", cmd, err)
	}
	if !strings.Contains(c.Transcript().String(), "TLS established") {
		t.Fatalf("transcript:\n%s", c.Transcript())
	}
}

// RFC 3501 section 6.2.1: TLS negotiation begins right after the OK; a
// response sent in plaintext after it could be injected by an attacker.
func TestStartTLSRejectsPlaintextAfterOK(t *testing.T) {
	addr := serve(t, nil, func(p *peer) {
		p.send("* OK hi\r\n")
		p.line()
		p.send("a1 OK begin TLS\r\n* injected\r\n")
		p.line()
	})
	c := dial(t, addr, Options{})
	c.ReadGreeting()
	_, err := c.StartTLS()
	if !IsProtocolError(err) || !strings.Contains(err.Error(), "plaintext after the STARTTLS OK") {
		t.Fatalf("err = %v", err)
	}
}

func TestImplicitTLS(t *testing.T) {
	cert, pool := testCert(t)
	addr := serve(t, &tls.Config{Certificates: []tls.Certificate{cert}}, func(p *peer) {
		p.send("* OK tls hi\r\n")
		p.line()
	})
	c := dial(t, addr, Options{ImplicitTLS: true, TLSConfig: &tls.Config{RootCAs: pool}})
	g, err := c.ReadGreeting()
	if err != nil || g.Line() != "* OK tls hi" || !c.TLS() {
		t.Fatalf("greeting %v %v", g, err)
	}
	// Without the pool, verification fails and the dial reports it.
	tr := NewTranscript("bad")
	_, err = Dial(context.Background(), addr, Options{ImplicitTLS: true, Timeout: time.Second, Transcript: tr})
	if err == nil || !strings.Contains(tr.String(), "TLS handshake") {
		t.Fatalf("err %v, transcript:\n%s", err, tr)
	}
}

func TestGreetingMustBeUntagged(t *testing.T) {
	addr := serve(t, nil, func(p *peer) { p.send("a1 OK hi\r\n"); p.line() })
	c := dial(t, addr, Options{})
	if _, err := c.ReadGreeting(); !IsProtocolError(err) {
		t.Fatalf("err = %v", err)
	}
}

func TestAstringForms(t *testing.T) {
	for in, want := range map[string]string{
		"INBOX":    "t NAME INBOX\r\n",
		"a b":      "t NAME \"a b\"\r\n",
		`q"\`:      "t NAME \"q\\\"\\\\\"\r\n",
		"":         "t NAME \"\"\r\n",
		"l\r\nf":   "t NAME {4}\r\nl\r\nf\r\n",
		"caf\xc3a": "t NAME {5}\r\ncaf\xc3a\r\n",
		"x]y":      "t NAME x]y\r\n",
		"%":        "t NAME \"%\"\r\n",
	} {
		if got := string(Encode("t", "NAME", Astring(in))); got != want {
			t.Errorf("Astring(%q) = %q, want %q", in, got, want)
		}
	}
	if got := string(Encode("t", "X", List(Atom("A"), Quoted("b c")))); got != "t X (A \"b c\")\r\n" {
		t.Errorf("List = %q", got)
	}
}

func testCert(t *testing.T) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "127.0.0.1"},
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool
}
