package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestServeBadFlags(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "users")
	os.WriteFile(bad, []byte("alice:x\nnocolon\n"), 0o600)
	dup := filepath.Join(dir, "dup")
	os.WriteFile(dup, []byte("alice:x\n"), 0o600)
	for _, args := range [][]string{
		{"serve", "--plaintext-auth", "sometimes"},
		{"serve", "--user", "alice"},
		{"serve", "--user", ":pw"},
		{"serve", "--user", "a:1", "--user", "a:2"},
		{"serve", "--users-file", filepath.Join(dir, "missing")},
		{"serve", "--users-file", bad},
		{"serve", "--users-file", dup, "--user", "alice:y"},
		{"serve", "--cert", "c.pem"},
		{"serve", "--cert", "c.pem", "--key", "k.pem"},
		{"serve", "--log-level", "loud"},
		{"serve", "--listen", ""},
		{"serve", "extra-argument"},
		{"serve", "--no-such-flag"},
	} {
		var out, errOut bytes.Buffer
		if code := run(args, &out, &errOut); code != exitUsage {
			t.Errorf("%v: exit code %d, want %d; stderr:\n%s", args, code, exitUsage, errOut.String())
		}
		if !strings.Contains(errOut.String(), "Usage:") {
			t.Errorf("%v: stderr lacks the usage:\n%s", args, errOut.String())
		}
	}
}

func TestServeUsersFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "users")
	os.WriteFile(path, []byte("# test users\r\nalice:se:cret\r\n\r\n  # indented comment\nbob: spaced \n"), 0o600)
	opts, err := serveOptions(serveFlags{listen: "127.0.0.1:0", plaintextAuth: "never", usersFile: path, users: []string{"carol:pw"}, logLevel: "error"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, u := range opts.Users {
		got = append(got, u.Name+"="+u.Password)
	}
	if strings.Join(got, "|") != "carol=pw|alice=se:cret|bob= spaced " {
		t.Fatalf("users: %q", got)
	}
	if opts.PlaintextAuth.String() != "never" {
		t.Fatalf("policy: %v", opts.PlaintextAuth)
	}
}

// TestServeRuns starts the server as the command line does, talks to it
// and stops it the way a signal does, by cancelling the command's context.
func TestServeRuns(t *testing.T) {
	pr, pw := io.Pipe()
	var errOut bytes.Buffer
	root := newRootCommand(pw, &errOut)
	root.SetArgs([]string{"serve", "--listen", "127.0.0.1:0", "--tls-listen", "127.0.0.1:0", "--user", "alice:s3cret-pw", "--user", "bob:x"})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- root.ExecuteContext(ctx); pw.Close() }()
	sc := bufio.NewScanner(pr)
	var lines []string
	for sc.Scan() {
		lines = append(lines, sc.Text())
		if strings.HasPrefix(sc.Text(), "users:") {
			break
		}
	}
	go io.Copy(io.Discard, pr)
	text := strings.Join(lines, "\n")
	if strings.Contains(text, "s3cret") {
		t.Fatalf("a password was printed:\n%s", text)
	}
	if !strings.Contains(text, "users: alice, bob") || !strings.Contains(text, "implicit TLS on 127.0.0.1:") {
		t.Fatalf("startup output:\n%s", text)
	}
	addr := strings.Fields(strings.TrimPrefix(lines[0], "imapgauge reference server listening on "))[0]
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(5 * time.Second))
	br := bufio.NewReader(conn)
	greeting, _ := br.ReadString('\n')
	if !strings.HasPrefix(greeting, "* OK [CAPABILITY IMAP4rev1 STARTTLS AUTH=PLAIN") {
		t.Fatalf("greeting %q", greeting)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve returned %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop")
	}
	if bye, _ := br.ReadString('\n'); !strings.HasPrefix(bye, "* BYE ") {
		t.Fatalf("open session got %q at shutdown, want BYE", bye)
	}
}

func TestServeAddressInUse(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	var out, errOut bytes.Buffer
	if code := run([]string{"serve", "--listen", ln.Addr().String()}, &out, &errOut); code != exitServeFailed {
		t.Fatalf("exit code %d, want %d; stderr:\n%s", code, exitServeFailed, errOut.String())
	}
}
