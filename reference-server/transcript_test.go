package referenceserver

import (
	"bufio"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"regexp"
	"strings"
	"testing"
	"time"
)

// Test users of every server started by startServer.
const (
	alice = "alice"
	bob   = "bob"
	pass  = "secret"
)

// startServer starts a server on a random loopback port with users alice and
// bob (password "secret") and closes it when the test ends.
func startServer(t testing.TB, opts Options) *Server {
	t.Helper()
	if opts.Users == nil {
		opts.Users = []User{{alice, pass}, {bob, pass}}
	}
	srv, err := Start(opts)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv
}

// client is a raw IMAP connection driven by transcripts.
type client struct {
	t        testing.TB
	conn     net.Conn
	br       *bufio.Reader
	greeting string
}

const readTimeout = 5 * time.Second

// dial connects to addr and reads the greeting.
func dial(t testing.TB, addr string) *client {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, readTimeout)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	c := &client{t: t, conn: conn, br: bufio.NewReader(conn)}
	t.Cleanup(func() { conn.Close() })
	c.greeting = c.line()
	return c
}

// dialTLS connects to an implicit-TLS address, trusting the server's pool.
func dialTLS(t testing.TB, srv *Server) *client {
	t.Helper()
	conn, err := tls.Dial("tcp", srv.TLSAddr(), &tls.Config{RootCAs: srv.CertPool(), ServerName: "127.0.0.1"})
	if err != nil {
		t.Fatalf("dial TLS: %v", err)
	}
	c := &client{t: t, conn: conn, br: bufio.NewReader(conn)}
	t.Cleanup(func() { conn.Close() })
	c.greeting = c.line()
	return c
}

// login dials and logs in as name.
func login(t testing.TB, srv *Server, name string) *client {
	t.Helper()
	c := dial(t, srv.Addr())
	c.run(`
C: L1 LOGIN ` + name + ` ` + pass + `
S: L1 OK [CAPABILITY IMAP4rev1 CHILDREN] Logged in`)
	return c
}

// line reads one response line, CRLF removed; it fails the test on a
// timeout, an error or a line not ended by CRLF.
func (c *client) line() string {
	c.t.Helper()
	c.conn.SetReadDeadline(time.Now().Add(readTimeout))
	l, err := c.br.ReadString('\n')
	if err != nil {
		c.t.Fatalf("read: %v (got %q)", err, l)
	}
	if !strings.HasSuffix(l, "\r\n") {
		c.t.Fatalf("response line not ended by CRLF: %q", l)
	}
	return strings.TrimSuffix(l, "\r\n")
}

// readFull reads exactly len(b) octets, such as a literal's.
func (c *client) readFull(b []byte) (int, error) {
	c.conn.SetReadDeadline(time.Now().Add(readTimeout))
	return io.ReadFull(c.br, b)
}

// send writes raw octets.
func (c *client) send(s string) {
	c.t.Helper()
	c.conn.SetWriteDeadline(time.Now().Add(readTimeout))
	if _, err := c.conn.Write([]byte(s)); err != nil {
		c.t.Fatalf("write: %v", err)
	}
}

// expectClosed checks that the server ends the connection without sending
// anything more.
func (c *client) expectClosed() {
	c.t.Helper()
	c.conn.SetReadDeadline(time.Now().Add(readTimeout))
	if l, err := c.br.ReadString('\n'); err == nil {
		c.t.Fatalf("expected the connection to be closed, got %q", l)
	}
}

// run plays a transcript written as in the RFC's examples:
//
//	C: a001 NOOP        a line the client sends (CRLF added)
//	S: a001 OK {{.*}}   a line the server must send next
//	# a comment
//
// S: lines are matched whole; {{re}} stands for a regular expression, for
// the parts that vary (UIDVALIDITY, dates, sizes). Lines are matched in order,
// so an extra or missing untagged response fails the transcript.
func (c *client) run(transcript string) {
	c.t.Helper()
	for n, raw := range strings.Split(transcript, "\n") {
		line := strings.TrimLeft(raw, " \t")
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
		case strings.HasPrefix(line, "C: ") || line == "C:":
			c.send(strings.TrimPrefix(strings.TrimPrefix(line, "C:"), " ") + "\r\n")
		case strings.HasPrefix(line, "S: ") || line == "S:":
			want := strings.TrimPrefix(strings.TrimPrefix(line, "S:"), " ")
			got := c.line()
			if !linePattern(want).MatchString(got) {
				c.t.Fatalf("transcript line %d:\nwant S: %s\n got S: %s", n+1, want, got)
			}
		default:
			c.t.Fatalf("transcript line %d: not C:, S: or a comment: %q", n+1, raw)
		}
	}
}

// linePattern compiles an S: line into a regular expression.
func linePattern(s string) *regexp.Regexp {
	var b strings.Builder
	b.WriteString("^")
	for {
		i := strings.Index(s, "{{")
		if i < 0 {
			b.WriteString(regexp.QuoteMeta(s))
			break
		}
		j := strings.Index(s[i:], "}}")
		if j < 0 {
			panic("unterminated {{ in " + s)
		}
		b.WriteString(regexp.QuoteMeta(s[:i]))
		b.WriteString("(?:" + s[i+2:i+j] + ")")
		s = s[i+j+2:]
	}
	b.WriteString("$")
	return regexp.MustCompile(b.String())
}

// do sends one command and returns every line up to and including the
// tagged response, whose status must be status.
func (c *client) do(tag, cmd, status string) []string {
	c.t.Helper()
	c.send(tag + " " + cmd + "\r\n")
	var lines []string
	for {
		l := c.line()
		lines = append(lines, l)
		if strings.HasPrefix(l, tag+" ") {
			if !strings.HasPrefix(l, tag+" "+status+" ") {
				c.t.Fatalf("%s %s: got %q, want %s\n%s", tag, cmd, l, status, strings.Join(lines, "\n"))
			}
			return lines
		}
	}
}

// appendMsg appends a message to a mailbox over this connection.
func (c *client) appendMsg(mailbox, msg string, extra string) {
	c.t.Helper()
	if extra != "" {
		extra += " "
	}
	c.send(fmt.Sprintf("ap APPEND %s %s{%d}\r\n", mailbox, extra, len(msg)))
	if l := c.line(); !strings.HasPrefix(l, "+ ") {
		c.t.Fatalf("APPEND: no continuation request, got %q", l)
	}
	c.send(msg + "\r\n")
	for {
		l := c.line()
		if strings.HasPrefix(l, "ap ") {
			if !strings.HasPrefix(l, "ap OK") {
				c.t.Fatalf("APPEND: %q", l)
			}
			return
		}
	}
}

// testMessage returns a small message with the given subject.
func testMessage(subject string) string {
	return "From: Alice <alice@example.org>\r\nTo: bob@example.org\r\nSubject: " + subject +
		"\r\nDate: Mon, 7 Feb 1994 21:52:25 -0800\r\nMessage-ID: <" + strings.ReplaceAll(subject, " ", "-") + "@example.org>\r\n\r\nHello " + subject + "\r\n"
}

// seed appends messages to a user's mailbox through the embedding API.
func seed(t testing.TB, srv *Server, user, mailbox string, subjects ...string) {
	t.Helper()
	for _, s := range subjects {
		if _, err := srv.Append(user, mailbox, []byte(testMessage(s)), nil, time.Date(2024, 3, 10, 12, 0, 0, 0, time.UTC)); err != nil {
			t.Fatalf("seed: %v", err)
		}
	}
}
