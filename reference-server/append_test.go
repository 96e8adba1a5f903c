package referenceserver

import (
	"fmt"
	"strings"
	"testing"
)

// RFC 3501 section 6.3.11, with the example of the RFC.
func TestAppend(t *testing.T) {
	srv := startServer(t, Options{})
	if err := srv.CreateMailbox(alice, "saved-messages"); err != nil {
		t.Fatal(err)
	}
	msg := "Date: Mon, 7 Feb 1994 21:52:25 -0800 (PST)\r\n" +
		"From: Fred Foobar <foobar@Blurdybloop.COM>\r\n" +
		"Subject: afternoon meeting\r\n" +
		"To: mooch@owatagu.siam.edu\r\n" +
		"Message-Id: <B27397-0100000@Blurdybloop.COM>\r\n" +
		"MIME-Version: 1.0\r\n" +
		"Content-Type: TEXT/PLAIN; CHARSET=US-ASCII\r\n" +
		"\r\n" +
		"Hello Joe, do you think we can meet at 3:30 tomorrow?\r\n"
	if len(msg) != 310 {
		t.Fatalf("example message is %d octets, the RFC says 310", len(msg))
	}
	c := login(t, srv, alice)
	c.run(`
C: A003 APPEND saved-messages (\Seen) {310}
S: + Ready for literal data`)
	c.send(msg + "\r\n")
	c.run(`
S: A003 OK APPEND completed
C: a1 APPEND saved-messages (\Flagged $Label1 \Draft) " 5-Mar-2004 07:08:09 +0530" {5}
S: + Ready for literal data
C: hello
S: a1 OK APPEND completed
C: a2 APPEND saved-messages "05-Mar-2004 07:08:09 -0000" {0}
S: + Ready for literal data
C:
S: a2 OK APPEND completed
C: a3 APPEND saved-messages () {3}
S: + Ready for literal data
C: abc
S: a3 OK APPEND completed
C: a4 SELECT saved-messages
S: * FLAGS (\Answered \Flagged \Deleted \Seen \Draft $Label1)
S: * OK [PERMANENTFLAGS (\Answered \Flagged \Deleted \Seen \Draft $Label1 \*)] {{.*}}
S: * 4 EXISTS
S: * 4 RECENT
S: * OK [UNSEEN 2] Message 2 is the first unseen
S: * OK [UIDVALIDITY {{\d+}}] UIDs valid
S: * OK [UIDNEXT 5] Predicted next UID
S: a4 OK [READ-WRITE] SELECT completed
C: a5 FETCH 1:* (UID FLAGS INTERNALDATE RFC822.SIZE)
S: * 1 FETCH (UID 1 FLAGS (\Seen \Recent) INTERNALDATE "{{.*}}" RFC822.SIZE 310)
S: * 2 FETCH (UID 2 FLAGS (\Flagged \Draft $Label1 \Recent) INTERNALDATE " 5-Mar-2004 07:08:09 +0530" RFC822.SIZE 5)
S: * 3 FETCH (UID 3 FLAGS (\Recent) INTERNALDATE " 5-Mar-2004 07:08:09 +0000" RFC822.SIZE 0)
S: * 4 FETCH (UID 4 FLAGS (\Recent) INTERNALDATE "{{.*}}" RFC822.SIZE 3)
S: a5 OK FETCH completed
# APPEND to the selected mailbox: the new message is announced
C: a6 APPEND saved-messages {2}
S: + Ready for literal data
C: hi
S: * 5 EXISTS
S: * 5 RECENT
S: a6 OK APPEND completed`)
}

func TestAppendRefused(t *testing.T) {
	srv := startServer(t, Options{MaxMessageSize: 1000})
	c := login(t, srv, alice)
	c.run(`
# a missing mailbox: TRYCREATE, before the message is sent
C: a1 APPEND nosuch {5}
S: a1 NO [TRYCREATE] Mailbox does not exist; CREATE it first
C: a2 APPEND "nosuch/%" {5}
S: a2 NO Mailbox does not exist, and the name is not valid for a new mailbox
# \Recent cannot be set by a client
C: a3 APPEND INBOX (\Recent) {5}
S: a3 BAD \Recent cannot be stored: the server sets it (RFC 3501 section 2.3.2)
C: a4 APPEND INBOX (\Foo) {5}
S: a4 BAD \Foo is not a flag this server defines; keywords do not begin with \
# too large: NO without a continuation request
C: a5 APPEND INBOX {1001}
S: a5 NO Message too large (limit 1000 octets)
# syntax
C: a6 APPEND INBOX "hello"
S: a6 BAD {{.*}}
C: a7 APPEND INBOX
S: a7 BAD SP expected, found end of line
C: a8 APPEND INBOX (\Seen) "32-Jan-2000 00:00:00 +0000" {1}
S: a8 BAD Invalid date-time: a field is out of range
C: a9 APPEND INBOX {3}x
S: a9 BAD Invalid literal: CRLF must follow "}"
C: a10 APPEND INBOX {3}
S: + Ready for literal data
C: abc extra
S: a10 BAD Unexpected " extra" after the command's arguments
C: a11 APPEND INBOX {3}
S: + Ready for literal data`)
	c.send("a\x00c\r\n")
	c.run(`
S: a11 BAD Literal contains NUL
C: a12 STATUS INBOX (MESSAGES)
S: * STATUS "INBOX" (MESSAGES 0)
S: a12 OK STATUS completed`)
}

// A message of many lines and 8-bit octets comes back octet for octet.
func TestAppendRoundTrip(t *testing.T) {
	srv := startServer(t, Options{})
	c := login(t, srv, alice)
	var b strings.Builder
	b.WriteString("Subject: round trip\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n")
	for i := 0; i < 500; i++ {
		fmt.Fprintf(&b, "line %d: \xc3\xa9t\xc3\xa9 \x01\x7f\r\n", i)
	}
	msg := b.String()
	c.appendMsg("INBOX", msg, "")
	c.do("s", "SELECT INBOX", "OK")
	c.send("f FETCH 1 BODY.PEEK[]\r\n")
	if l := c.line(); l != fmt.Sprintf("* 1 FETCH (BODY[] {%d}", len(msg)) {
		t.Fatalf("got %q", l)
	}
	got := make([]byte, len(msg))
	if _, err := c.readFull(got); err != nil {
		t.Fatal(err)
	}
	if string(got) != msg {
		t.Fatal("message changed on the way")
	}
	c.run(`
S: )
S: f OK FETCH completed`)
}
