package referenceserver

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// FuzzSession drives a live session with arbitrary client input, after a
// login and a SELECT so that every state is reachable. The server must
// neither crash nor panic (a recovered panic is a failure too), must end the
// session when the client stops sending, and must keep serving others.
func FuzzSession(f *testing.F) {
	lines, err := os.ReadFile("internal/command/testdata/rfc3501-client-lines.txt")
	if err != nil {
		f.Fatal(err)
	}
	var all bytes.Buffer
	for _, l := range strings.Split(string(lines), "\n") {
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		f.Add([]byte(l + "\r\n"))
		all.WriteString(l + "\r\n")
	}
	f.Add(all.Bytes())
	for _, s := range []string{
		"a APPEND INBOX (\\Seen) {11}\r\nSubject: x\r\n\r\nb FETCH 1:* (FLAGS BODY[] BODYSTRUCTURE ENVELOPE)\r\n",
		"a STORE 1:* +FLAGS (\\Deleted)\r\nb EXPUNGE\r\nc CLOSE\r\n",
		"a CREATE x/y\r\nb RENAME x z\r\nc LIST \"\" *\r\nd DELETE z\r\ne LSUB \"\" %\r\n",
		"a SEARCH CHARSET UTF-8 OR TEXT {1}\r\nx NOT (UID 1:* SENTON 1-Jan-2000)\r\n",
		"a AUTHENTICATE PLAIN\r\n*\r\nb STARTTLS\r\n",
		"a COPY 1:* INBOX\r\nb UID FETCH 1:* BODY.PEEK[1.MIME]<0.10>\r\n",
	} {
		f.Add([]byte(s))
	}

	var panics atomic.Int64
	logger := slog.New(panicCounter{&panics})
	srv, err := Start(Options{Logger: logger, MaxMessageSize: 64 << 10, ShutdownTimeout: time.Second})
	if err != nil {
		f.Fatal(err)
	}
	defer srv.Close()
	var n atomic.Int64
	seedRaw := []byte("From: a@b.c\r\nSubject: s\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\npart\r\n--b--\r\n")

	f.Fuzz(func(t *testing.T, in []byte) {
		user := fmt.Sprintf("f%d", n.Add(1))
		if err := srv.AddUser(user, "pw"); err != nil {
			t.Fatal(err)
		}
		if _, err := srv.Append(user, "INBOX", seedRaw, nil, time.Time{}); err != nil {
			t.Fatal(err)
		}
		conn, err := net.Dial("tcp", srv.Addr())
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		done := make(chan []byte, 1)
		go func() {
			conn.SetReadDeadline(time.Now().Add(10 * time.Second))
			out, _ := io.ReadAll(conn)
			done <- out
		}()
		conn.SetWriteDeadline(time.Now().Add(10 * time.Second))
		conn.Write([]byte("L LOGIN " + user + " pw\r\nS SELECT INBOX\r\n"))
		conn.Write(in)
		conn.(*net.TCPConn).CloseWrite()
		var out []byte
		select {
		case out = <-done:
		case <-time.After(15 * time.Second):
			t.Fatal("the session did not end after the client stopped sending")
		}
		if !bytes.HasPrefix(out, []byte("* OK ")) {
			t.Fatalf("no greeting: %.200q", out)
		}
		if !bytes.HasSuffix(out, []byte("\r\n")) {
			t.Fatalf("output does not end with CRLF: %.200q", out[max(0, len(out)-200):])
		}
		if p := panics.Load(); p > 0 {
			t.Fatalf("%d panics recovered in sessions", p)
		}
	})
}

// panicCounter is a slog handler that counts the server's panic reports.
type panicCounter struct{ n *atomic.Int64 }

func (h panicCounter) Enabled(_ context.Context, l slog.Level) bool { return l >= slog.LevelError }

func (h panicCounter) Handle(_ context.Context, r slog.Record) error {
	if r.Message == "panic" {
		h.n.Add(1)
	}
	return nil
}

func (h panicCounter) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h panicCounter) WithGroup(string) slog.Handler      { return h }
