package referenceserver

import (
	"strings"
	"testing"
)

// RFC 3501 section 7.1.1: the greeting is an untagged OK; ours carries the
// capabilities so that clients need not ask.
func TestGreeting(t *testing.T) {
	srv := startServer(t, Options{})
	c := dial(t, srv.Addr())
	if c.greeting != "* OK [CAPABILITY IMAP4rev1 STARTTLS AUTH=PLAIN SASL-IR CHILDREN] imapgauge reference server ready" {
		t.Fatalf("greeting %q", c.greeting)
	}
}

// RFC 3501 section 6.1: CAPABILITY, NOOP and LOGOUT are valid in every
// state; the capability list follows the state.
func TestAnyStateCommands(t *testing.T) {
	srv := startServer(t, Options{})
	c := dial(t, srv.Addr())
	c.run(`
# not authenticated
C: a1 CAPABILITY
S: * CAPABILITY IMAP4rev1 STARTTLS AUTH=PLAIN SASL-IR CHILDREN
S: a1 OK CAPABILITY completed
C: a2 noop
S: a2 OK NOOP completed
C: a3 LOGIN alice secret
S: a3 OK [CAPABILITY IMAP4rev1 CHILDREN] Logged in
# authenticated: no STARTTLS, no AUTH= (RFC 3501 section 6.2.1: STARTTLS only before login)
C: a4 CAPABILITY
S: * CAPABILITY IMAP4rev1 CHILDREN
S: a4 OK CAPABILITY completed
C: a5 NOOP
S: a5 OK NOOP completed
C: a6 SELECT INBOX
S: * FLAGS (\Answered \Flagged \Deleted \Seen \Draft)
S: * OK [PERMANENTFLAGS (\Answered \Flagged \Deleted \Seen \Draft \*)] Flags and new keywords can be stored
S: * 0 EXISTS
S: * 0 RECENT
S: * OK [UIDVALIDITY {{\d+}}] UIDs valid
S: * OK [UIDNEXT 1] Predicted next UID
S: a6 OK [READ-WRITE] SELECT completed
# selected
C: a7 CAPABILITY
S: * CAPABILITY IMAP4rev1 CHILDREN
S: a7 OK CAPABILITY completed
C: a8 NOOP
S: a8 OK NOOP completed
C: a9 LOGOUT
S: * BYE imapgauge reference server logging out
S: a9 OK LOGOUT completed`)
	c.expectClosed()
}

func TestLogoutBeforeLogin(t *testing.T) {
	srv := startServer(t, Options{})
	c := dial(t, srv.Addr())
	c.run(`
C: A023 LOGOUT
S: * BYE {{.*}}
S: A023 OK LOGOUT completed`)
	c.expectClosed()
}

// RFC 3501 section 7.1.3: an unknown command, or one with invalid
// arguments, is a BAD; the session goes on.
func TestBadCommands(t *testing.T) {
	srv := startServer(t, Options{})
	c := dial(t, srv.Addr())
	c.run(`
C: a1 XPIG-LATIN
S: a1 BAD Unknown command XPIG-LATIN
C: a2 FOOBAR arg
S: a2 BAD Unknown command FOOBAR
C: a3 CAPABILITY extra
S: a3 BAD Unexpected " extra" after the command's arguments
C: a4 NOOP x
S: a4 BAD {{.*}}
C: a5 LOGOUT now
S: a5 BAD {{.*}}
C: +bad NOOP
S: * BAD Invalid tag{{.*}}
C: a6
S: a6 BAD Command name expected after the tag
C:
S: * BAD Empty command line
C: a7  NOOP
S: a7 BAD Command name expected, found " NOOP"
C: a8 NOOP
S: a8 OK NOOP completed`)
}

// RFC 3501 section 3: each command belongs to states; in another state it
// is refused with BAD and does nothing.
func TestWrongState(t *testing.T) {
	srv := startServer(t, Options{})
	c := dial(t, srv.Addr())
	for _, cmd := range []string{"SELECT INBOX", "EXAMINE INBOX", "CREATE x", "DELETE x", "RENAME x y", "SUBSCRIBE x", "UNSUBSCRIBE x",
		`LIST "" *`, `LSUB "" *`, "STATUS INBOX (MESSAGES)", "CHECK", "CLOSE", "EXPUNGE", "SEARCH ALL", "FETCH 1 FLAGS",
		`STORE 1 +FLAGS (\Seen)`, "COPY 1 x", "UID FETCH 1 FLAGS", "UID SEARCH ALL", `UID STORE 1 FLAGS ()`, "UID COPY 1 x"} {
		name := strings.Fields(cmd)[0]
		if name == "UID" {
			name = "UID " + strings.Fields(cmd)[1]
		}
		c.run(`
C: w ` + cmd + `
S: w BAD ` + name + ` is not valid in the not authenticated state`)
	}
	// An APPEND in the wrong state gets its BAD before any literal is
	// asked for.
	c.run(`
C: w APPEND INBOX {5}
S: w BAD APPEND is not valid in the not authenticated state
C: w2 LOGIN alice secret
S: w2 OK {{.*}}
C: w3 LOGIN alice secret
S: w3 BAD LOGIN is not valid in the authenticated state
C: w4 AUTHENTICATE PLAIN
S: w4 BAD AUTHENTICATE is not valid in the authenticated state
C: w5 STARTTLS
S: w5 BAD STARTTLS is only valid in the not authenticated state
C: w6 FETCH 1 FLAGS
S: w6 BAD FETCH is not valid in the authenticated state
C: w7 CLOSE
S: w7 BAD CLOSE is not valid in the authenticated state
C: w8 SELECT INBOX
S: * FLAGS {{.*}}
S: * OK [PERMANENTFLAGS {{.*}}
S: * 0 EXISTS
S: * 0 RECENT
S: * OK [UIDVALIDITY {{\d+}}] UIDs valid
S: * OK [UIDNEXT 1] Predicted next UID
S: w8 OK [READ-WRITE] SELECT completed
C: w9 LOGIN alice secret
S: w9 BAD LOGIN is not valid in the selected state`)
}

// The session survives a panic-free stream of junk, and other sessions are
// never affected by one client's input.
func TestJunkDoesNotAffectOthers(t *testing.T) {
	srv := startServer(t, Options{})
	a := login(t, srv, alice)
	b := dial(t, srv.Addr())
	b.send("\x00\x01\x02\xff\xfe garbage\r\n")
	if l := b.line(); !strings.HasPrefix(l, "* BAD ") {
		t.Fatalf("got %q", l)
	}
	a.run(`
C: n NOOP
S: n OK NOOP completed`)
}

// Every selected-state command is refused in the authenticated state, and
// every not-authenticated command once logged in.
func TestWrongStateAuthenticated(t *testing.T) {
	srv := startServer(t, Options{})
	c := login(t, srv, alice)
	check := func(state string, cmds ...string) {
		t.Helper()
		for _, cmd := range cmds {
			f := strings.Fields(cmd)
			name := f[0]
			if name == "UID" {
				name += " " + f[1]
			}
			c.run(`
C: w ` + cmd + `
S: w BAD ` + name + ` is not valid in the ` + state + ` state`)
		}
	}
	check("authenticated", "CHECK", "CLOSE", "EXPUNGE", "SEARCH ALL", "FETCH 1 FLAGS", `STORE 1 +FLAGS (\Seen)`, "COPY 1 x",
		"UID FETCH 1 FLAGS", "UID SEARCH ALL", "UID STORE 1 FLAGS ()", "UID COPY 1 x", "LOGIN a b", "AUTHENTICATE PLAIN")
	c.do("s", "SELECT INBOX", "OK")
	check("selected", "LOGIN a b", "AUTHENTICATE PLAIN")
	c.run(`
C: w STARTTLS
S: w BAD STARTTLS is only valid in the not authenticated state
C: w2 EXAMINE
S: w2 BAD SP expected, found end of line
C: w3 EXAMINE "INBOX
S: w3 BAD Unterminated quoted string in Mailbox name
C: w4 AUTHENTICATE
S: w4 BAD AUTHENTICATE is not valid in the selected state`)
}
