package referenceserver

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// The benchmarks run against the embedded server, or, for comparison, against
// another server named by IMAPGAUGE_BENCH_ADDR (host:port) whose users are
// <prefix>0..<prefix>19 (prefix IMAPGAUGE_BENCH_USER_PREFIX, default "bench")
// with the password in IMAPGAUGE_BENCH_PASSWORD. Their INBOXes are emptied.

// benchTarget returns the address, a user name for client i and its
// password; with the embedded server, the users are created.
func benchTarget(b *testing.B, clients int) (addr string, user func(int) string, password string) {
	b.Helper()
	prefix := "bench"
	if p := os.Getenv("IMAPGAUGE_BENCH_USER_PREFIX"); p != "" {
		prefix = p
	}
	user = func(i int) string { return prefix + strconv.Itoa(i) }
	if a := os.Getenv("IMAPGAUGE_BENCH_ADDR"); a != "" {
		return a, user, os.Getenv("IMAPGAUGE_BENCH_PASSWORD")
	}
	srv := startServer(b, Options{Users: []User{}})
	for i := 0; i < clients; i++ {
		if err := srv.AddUser(user(i), "pw"); err != nil {
			b.Fatal(err)
		}
	}
	return srv.Addr(), user, "pw"
}

// benchMailbox logs in and leaves exactly ten messages in INBOX, selected.
func benchMailbox(b *testing.B, addr, user, password string) *benchClient {
	b.Helper()
	c, err := benchDial(addr)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { c.conn.Close() })
	for _, cmd := range []string{"LOGIN " + user + " " + password, "SELECT INBOX", "UID STORE 1:* +FLAGS.SILENT (\\Deleted)", "EXPUNGE"} {
		if err := c.do(cmd); err != nil {
			b.Fatal(err)
		}
	}
	for j := 0; j < 10; j++ {
		if err := c.appendMessage(testMessage(fmt.Sprintf("message %d", j))); err != nil {
			b.Fatal(err)
		}
	}
	return c
}

// benchClient is a minimal IMAP client for benchmarks: it sends a command
// and reads to its tagged response, skipping literals.
type benchClient struct {
	conn net.Conn
	br   *bufio.Reader
	bw   *bufio.Writer
	n    int
}

func benchDial(addr string) (*benchClient, error) {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	c := &benchClient{conn: conn, br: bufio.NewReader(conn), bw: bufio.NewWriter(conn)}
	conn.SetDeadline(time.Now().Add(time.Minute))
	if _, err := c.br.ReadSlice('\n'); err != nil {
		conn.Close()
		return nil, err
	}
	return c, nil
}

// do runs one command and returns an error unless it ends in OK.
func (c *benchClient) do(cmd string) error {
	return c.command(cmd, "")
}

// appendMessage APPENDs msg to INBOX with a synchronising literal.
func (c *benchClient) appendMessage(msg string) error {
	return c.command("APPEND INBOX {"+strconv.Itoa(len(msg))+"}", msg)
}

// command sends cmd; when literal is set, cmd ends with its announcement and
// the literal follows the continuation request. It reads to the tagged
// response, which must be OK.
func (c *benchClient) command(cmd, literal string) error {
	c.n++
	tag := "t" + strconv.Itoa(c.n)
	c.bw.WriteString(tag)
	c.bw.WriteByte(' ')
	c.bw.WriteString(cmd)
	c.bw.WriteString("\r\n")
	if err := c.bw.Flush(); err != nil {
		return err
	}
	for {
		line, err := c.br.ReadSlice('\n')
		if err != nil {
			return err
		}
		if line[0] == '+' && literal != "" {
			c.bw.WriteString(literal)
			c.bw.WriteString("\r\n")
			if err := c.bw.Flush(); err != nil {
				return err
			}
			literal = ""
			continue
		}
		if n := len(line); n > 3 && line[n-3] == '}' {
			if i := strings.LastIndexByte(string(line), '{'); i >= 0 {
				size, err := strconv.Atoi(string(line[i+1 : n-3]))
				if err != nil {
					return err
				}
				if _, err := c.br.Discard(size); err != nil {
					return err
				}
				continue
			}
		}
		if len(line) > len(tag) && string(line[:len(tag)]) == tag && line[len(tag)] == ' ' {
			if !strings.HasPrefix(string(line[len(tag)+1:]), "OK") {
				return fmt.Errorf("%s: %s", cmd, strings.TrimSpace(string(line)))
			}
			return nil
		}
	}
}

// BenchmarkLoginSelectFetchLogout measures whole short sessions: connect,
// LOGIN, SELECT, FETCH of ten messages' flags, sizes and envelopes, LOGOUT.
func BenchmarkLoginSelectFetchLogout(b *testing.B) {
	addr, user, password := benchTarget(b, 1)
	benchMailbox(b, addr, user(0), password)
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		c, err := benchDial(addr)
		if err != nil {
			b.Fatal(err)
		}
		for _, cmd := range []string{"LOGIN " + user(0) + " " + password, "SELECT INBOX", "FETCH 1:* (FLAGS UID RFC822.SIZE ENVELOPE)", "LOGOUT"} {
			if err := c.do(cmd); err != nil {
				b.Fatal(err)
			}
		}
		io.Copy(io.Discard, c.br)
		c.conn.Close()
	}
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "cycles/s")
}

// BenchmarkMixedCommands runs a mix of commands from 20 concurrent clients,
// each logged in as its own user with INBOX selected: FETCH of flags and of a
// body, STORE, SEARCH, NOOP, STATUS, LIST, UID FETCH, and an APPEND whose
// message the next EXPUNGE removes, so that INBOX keeps ten messages.
func BenchmarkMixedCommands(b *testing.B) {
	const clients = 20
	addr, user, password := benchTarget(b, clients)
	conns := make([]*benchClient, clients)
	for i := range conns {
		conns[i] = benchMailbox(b, addr, user(i), password)
		conns[i].conn.SetDeadline(time.Time{})
	}
	msg := testMessage("mix")
	// The APPEND adds a message marked \Deleted and the EXPUNGE after it
	// removes it: each client's INBOX keeps ten messages.
	mix := []func(c *benchClient) error{
		func(c *benchClient) error { return c.do("FETCH 1:* (FLAGS UID)") },
		func(c *benchClient) error { return c.do("FETCH 1 BODY.PEEK[]") },
		func(c *benchClient) error { return c.do("STORE 1 +FLAGS.SILENT (\\Flagged)") },
		func(c *benchClient) error { return c.do("SEARCH UNSEEN") },
		func(c *benchClient) error { return c.do("NOOP") },
		func(c *benchClient) error {
			return c.command("APPEND INBOX (\\Deleted) {"+strconv.Itoa(len(msg))+"}", msg)
		},
		func(c *benchClient) error { return c.do("EXPUNGE") },
		func(c *benchClient) error { return c.do("STATUS INBOX (MESSAGES UNSEEN)") },
		func(c *benchClient) error { return c.do("UID FETCH 1:* FLAGS") },
		func(c *benchClient) error { return c.do("LIST \"\" *") },
		func(c *benchClient) error { return c.do("STORE 1 -FLAGS.SILENT (\\Flagged)") },
	}
	var wg sync.WaitGroup
	errs := make(chan error, clients)
	per := b.N/clients + 1
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < clients; i++ {
		wg.Add(1)
		go func(c *benchClient) {
			defer wg.Done()
			for k := 0; k < per; k++ {
				if err := mix[k%len(mix)](c); err != nil {
					errs <- err
					return
				}
			}
		}(conns[i])
	}
	wg.Wait()
	b.ReportMetric(float64(per*clients)/time.Since(start).Seconds(), "commands/s")
	select {
	case err := <-errs:
		b.Fatal(err)
	default:
	}
}
