package referenceserver

import (
	"crypto/tls"
	"errors"
	"net"
	"strings"
	"testing"
	"time"
)

// The zero Options start a usable server on a loopback port.
func TestZeroOptions(t *testing.T) {
	srv, err := Start(Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	host, _, err := net.SplitHostPort(srv.Addr())
	if err != nil || host != "127.0.0.1" {
		t.Fatalf("Addr() = %q", srv.Addr())
	}
	if srv.TLSAddr() != "" {
		t.Fatalf("TLSAddr() = %q without a TLS listener", srv.TLSAddr())
	}
	if err := srv.AddUser("carol", "pw"); err != nil {
		t.Fatal(err)
	}
	c := dial(t, srv.Addr())
	c.run(`
C: a LOGIN carol pw
S: a OK {{.*}}`)
}

func TestAddUser(t *testing.T) {
	srv := startServer(t, Options{})
	if err := srv.AddUser(alice, "x"); !errors.Is(err, ErrUserExists) {
		t.Fatalf("duplicate user: %v", err)
	}
	if err := srv.AddUser("", "x"); err == nil {
		t.Fatal("empty user name accepted")
	}
	if err := srv.AddUser("a\r\nb", "x"); err == nil {
		t.Fatal("user name with CRLF accepted")
	}
	if _, err := Start(Options{Users: []User{{"x", "1"}, {"x", "2"}}}); err == nil {
		t.Fatal("Start accepted a duplicate user")
	}
	names := strings.Join(srv.Users(), ",")
	if names != "alice,bob" && names != "bob,alice" {
		t.Fatalf("Users() = %q", names)
	}
}

func TestAppendAPI(t *testing.T) {
	srv := startServer(t, Options{})
	date := time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC)
	uid, err := srv.Append(alice, "inbox", []byte("Subject: x\r\n\r\nbody\r\n"), []string{`\Seen`, "$k"}, date)
	if err != nil || uid != 1 {
		t.Fatalf("Append: %d, %v", uid, err)
	}
	if uid, _ := srv.Append(alice, "INBOX", []byte("x"), nil, time.Time{}); uid != 2 {
		t.Fatalf("second UID %d", uid)
	}
	for _, tc := range []struct {
		user, mailbox string
		raw           string
		flags         []string
		want          error
	}{
		{"nobody", "INBOX", "x", nil, ErrNoSuchUser},
		{alice, "nosuch", "x", nil, ErrNoSuchMailbox},
		{alice, "INBOX", "x", []string{`\Recent`}, nil},
		{alice, "INBOX", "x", []string{"two words"}, nil},
		{alice, "INBOX", "x\x00y", nil, nil},
	} {
		_, err := srv.Append(tc.user, tc.mailbox, []byte(tc.raw), tc.flags, time.Time{})
		if err == nil || tc.want != nil && !errors.Is(err, tc.want) {
			t.Errorf("Append(%q, %q, %q, %q) = %v, want %v", tc.user, tc.mailbox, tc.raw, tc.flags, err, tc.want)
		}
	}
	if err := srv.CreateMailbox("nobody", "x"); !errors.Is(err, ErrNoSuchUser) {
		t.Fatalf("CreateMailbox: %v", err)
	}
	if err := srv.CreateMailbox(alice, "INBOX"); err == nil {
		t.Fatal("CreateMailbox INBOX succeeded")
	}
	c := login(t, srv, alice)
	c.run(`
C: a SELECT INBOX
S: * FLAGS (\Answered \Flagged \Deleted \Seen \Draft $k)
S: * OK [PERMANENTFLAGS {{.*}}
S: * 2 EXISTS
S: * 2 RECENT
S: * OK [UNSEEN 2] {{.*}}
S: * OK [UIDVALIDITY {{\d+}}] UIDs valid
S: * OK [UIDNEXT 3] Predicted next UID
S: a OK [READ-WRITE] SELECT completed
C: b FETCH 1 (FLAGS INTERNALDATE)
S: * 1 FETCH (FLAGS (\Seen $k \Recent) INTERNALDATE " 2-Jan-2020 03:04:05 +0000")
S: b OK FETCH completed`)
}

// A given TLS configuration is used, and CertPool trusts it.
func TestGivenTLSConfig(t *testing.T) {
	cfg, err := selfSignedConfig()
	if err != nil {
		t.Fatal(err)
	}
	srv := startServer(t, Options{TLSConfig: cfg, TLSAddr: "127.0.0.1:0"})
	conn, err := tls.Dial("tcp", srv.TLSAddr(), &tls.Config{RootCAs: srv.CertPool(), ServerName: "localhost"})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if !conn.ConnectionState().PeerCertificates[0].Equal(cfg.Certificates[0].Leaf) {
		t.Fatal("the server did not present the given certificate")
	}
	if _, err := Start(Options{TLSConfig: &tls.Config{}}); err == nil {
		t.Fatal("Start accepted a TLS configuration without a certificate")
	}
	if _, err := Start(Options{Addr: "127.0.0.1:-1"}); err == nil {
		t.Fatal("Start accepted a bad address")
	}
}

// UIDVALIDITY values are never repeated within a server (RFC 3501 section
// 2.3.1.1), and UIDs only ascend.
func TestUIDValidityUnique(t *testing.T) {
	srv := startServer(t, Options{})
	seen := map[uint32]bool{}
	for i := 0; i < 100; i++ {
		v := srv.newUIDValidity()
		if v == 0 || seen[v] {
			t.Fatalf("UIDVALIDITY %d repeated or zero", v)
		}
		seen[v] = true
	}
}
