package referenceserver

import (
	"testing"
	"time"
)

const multipartMessage = "From: Fred <fred@example.org>\r\n" +
	"To: joe@example.org\r\n" +
	"Subject: parts\r\n" +
	"Date: Tue, 1 Feb 1994 10:00:00 +0000\r\n" +
	"MIME-Version: 1.0\r\n" +
	"Content-Type: multipart/mixed; boundary=XX\r\n" +
	"\r\n" +
	"preamble\r\n" +
	"--XX\r\n" +
	"Content-Type: text/plain\r\n" +
	"\r\n" +
	"first part\r\n" +
	"--XX\r\n" +
	"Content-Type: message/rfc822\r\n" +
	"\r\n" +
	"Subject: inner\r\n" +
	"\r\n" +
	"inner body\r\n" +
	"--XX--\r\n"

func fetchServer(t *testing.T) (*Server, *client) {
	t.Helper()
	srv := startServer(t, Options{})
	date := time.Date(1996, 7, 17, 2, 44, 25, 0, time.FixedZone("", -7*3600))
	if _, err := srv.Append(alice, "INBOX", []byte(testMessage("one")), nil, date); err != nil {
		t.Fatal(err)
	}
	if _, err := srv.Append(alice, "INBOX", []byte(multipartMessage), []string{`\Flagged`}, date); err != nil {
		t.Fatal(err)
	}
	c := login(t, srv, alice)
	c.do("s", "SELECT INBOX", "OK")
	return srv, c
}

// RFC 3501 section 6.4.5: every data item and macro.
func TestFetchItems(t *testing.T) {
	_, c := fetchServer(t)
	c.run(`
C: a1 FETCH 1 (UID FLAGS INTERNALDATE RFC822.SIZE)
S: * 1 FETCH (UID 1 FLAGS (\Recent) INTERNALDATE "17-Jul-1996 02:44:25 -0700" RFC822.SIZE 150)
S: a1 OK FETCH completed
C: a2 FETCH 1 ENVELOPE
S: * 1 FETCH (ENVELOPE ("Mon, 7 Feb 1994 21:52:25 -0800" "one" (("Alice" NIL "alice" "example.org")) (("Alice" NIL "alice" "example.org")) (("Alice" NIL "alice" "example.org")) ((NIL NIL "bob" "example.org")) NIL NIL NIL "<one@example.org>"))
S: a2 OK FETCH completed
C: a3 FETCH 1 BODY
S: * 1 FETCH (BODY ("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 11 1))
S: a3 OK FETCH completed
C: a4 FETCH 1 BODYSTRUCTURE
S: * 1 FETCH (BODYSTRUCTURE ("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 11 1 NIL NIL NIL NIL))
S: a4 OK FETCH completed
C: a5 FETCH 1 FAST
S: * 1 FETCH (FLAGS (\Recent) INTERNALDATE "17-Jul-1996 02:44:25 -0700" RFC822.SIZE 150)
S: a5 OK FETCH completed
C: a6 FETCH 1 ALL
S: * 1 FETCH (FLAGS (\Recent) INTERNALDATE "17-Jul-1996 02:44:25 -0700" RFC822.SIZE 150 ENVELOPE ({{.*}}))
S: a6 OK FETCH completed
C: a7 FETCH 1 FULL
S: * 1 FETCH (FLAGS (\Recent) INTERNALDATE "17-Jul-1996 02:44:25 -0700" RFC822.SIZE 150 ENVELOPE ({{.*}}) BODY ("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 11 1))
S: a7 OK FETCH completed
C: a8 FETCH 1 RFC822.HEADER
S: * 1 FETCH (RFC822.HEADER {139}
S: From: Alice <alice@example.org>
S: To: bob@example.org
S: Subject: one
S: Date: Mon, 7 Feb 1994 21:52:25 -0800
S: Message-ID: <one@example.org>
S:
S: )
S: a8 OK FETCH completed
# RFC822.HEADER does not set \Seen; RFC822.TEXT does, and FLAGS come back
C: a9 FETCH 1 RFC822.TEXT
S: * 1 FETCH (RFC822.TEXT {11}
S: Hello one
S:  FLAGS (\Seen \Recent))
S: a9 OK FETCH completed
C: a10 FETCH 1 RFC822
S: * 1 FETCH (RFC822 {150}
S: From: Alice <alice@example.org>
S: To: bob@example.org
S: Subject: one
S: Date: Mon, 7 Feb 1994 21:52:25 -0800
S: Message-ID: <one@example.org>
S:
S: Hello one
S: )
S: a10 OK FETCH completed
C: a11 FETCH 1 (FLAGS FLAGS UID)
S: * 1 FETCH (FLAGS (\Seen \Recent) UID 1)
S: a11 OK FETCH completed`)
}

// RFC 3501 section 6.4.5: BODY[section] and its partial form.
func TestFetchSections(t *testing.T) {
	_, c := fetchServer(t)
	c.run(`
C: a1 FETCH 2 BODY.PEEK[1]
S: * 2 FETCH (BODY[1] {10}
S: first part)
S: a1 OK FETCH completed
C: a2 FETCH 2 BODY.PEEK[1.MIME]
S: * 2 FETCH (BODY[1.MIME] {28}
S: Content-Type: text/plain
S:
S: )
S: a2 OK FETCH completed
C: a3 FETCH 2 BODY.PEEK[2.HEADER]
S: * 2 FETCH (BODY[2.HEADER] {18}
S: Subject: inner
S:
S: )
S: a3 OK FETCH completed
C: a4 FETCH 2 BODY.PEEK[2.TEXT]
S: * 2 FETCH (BODY[2.TEXT] {10}
S: inner body)
S: a4 OK FETCH completed
C: a5 FETCH 2 BODY.PEEK[2.1]
S: * 2 FETCH (BODY[2.1] {10}
S: inner body)
S: a5 OK FETCH completed
C: A654 FETCH 2 (FLAGS BODY.PEEK[HEADER.FIELDS (DATE FROM)])
S: * 2 FETCH (FLAGS (\Flagged \Recent) BODY[HEADER.FIELDS (DATE FROM)] {71}
S: From: Fred <fred@example.org>
S: Date: Tue, 1 Feb 1994 10:00:00 +0000
S:
S: )
S: A654 OK FETCH completed
C: a6 FETCH 2 BODY.PEEK[HEADER.FIELDS.NOT (from to date mime-version content-type)]
S: * 2 FETCH (BODY[HEADER.FIELDS.NOT (from to date mime-version content-type)] {18}
S: Subject: parts
S:
S: )
S: a6 OK FETCH completed
# a part that does not exist is NIL
C: a7 FETCH 2 BODY.PEEK[3]
S: * 2 FETCH (BODY[3] NIL)
S: a7 OK FETCH completed
C: a8 FETCH 2 BODY.PEEK[1.2.3]
S: * 2 FETCH (BODY[1.2.3] NIL)
S: a8 OK FETCH completed
# partial: origin and count; beyond the end, an empty string
C: a9 FETCH 2 BODY.PEEK[1]<0.5>
S: * 2 FETCH (BODY[1]<0> {5}
S: first)
S: a9 OK FETCH completed
C: a10 FETCH 2 BODY.PEEK[1]<6.100>
S: * 2 FETCH (BODY[1]<6> {4}
S: part)
S: a10 OK FETCH completed
C: a11 FETCH 2 BODY.PEEK[1]<10.5>
S: * 2 FETCH (BODY[1]<10> {0}
S: )
S: a11 OK FETCH completed
C: a12 FETCH 2 BODY.PEEK[1]<4294967295.1>
S: * 2 FETCH (BODY[1]<4294967295> {0}
S: )
S: a12 OK FETCH completed
C: a13 FETCH 2 BODYSTRUCTURE
S: * 2 FETCH (BODYSTRUCTURE (("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 10 1 NIL NIL NIL NIL)("MESSAGE" "RFC822" NIL NIL NIL "7BIT" 28 (NIL "inner" NIL NIL NIL NIL NIL NIL NIL NIL) ("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 10 1 NIL NIL NIL NIL) 3 NIL NIL NIL NIL) "MIXED" ("BOUNDARY" "XX") NIL NIL NIL))
S: a13 OK FETCH completed
# no \Seen was set by any .PEEK
C: a14 FETCH 2 FLAGS
S: * 2 FETCH (FLAGS (\Flagged \Recent))
S: a14 OK FETCH completed
# BODY[] sets \Seen, and the FLAGS come back with it
C: a15 FETCH 2 BODY[1]<0.5>
S: * 2 FETCH (BODY[1]<0> {5}
S: first FLAGS (\Flagged \Seen \Recent))
S: a15 OK FETCH completed
C: a16 FETCH 2 (BODY[1]<0.5>)
S: * 2 FETCH (BODY[1]<0> {5}
S: first)
S: a16 OK FETCH completed
C: a17 FETCH 2 (BODY.PEEK[1]<0.1> BODY[1]<0.1>)
S: * 2 FETCH (BODY[1]<0> {1}
S: f)
S: a17 OK FETCH completed`)
}

// Sequence numbers: RFC 3501 section 9, seq-number and seq-range.
func TestFetchSequenceSets(t *testing.T) {
	srv := startServer(t, Options{})
	c := login(t, srv, alice)
	c.do("s", "SELECT INBOX", "OK")
	c.run(`
# "*" in an empty mailbox is a BAD
C: a1 FETCH 1:* FLAGS
S: a1 BAD No messages: the mailbox is empty (RFC 3501 section 9: seq-number)
C: a2 FETCH * FLAGS
S: a2 BAD {{.*}}
# UID FETCH in an empty mailbox is fine
C: a3 UID FETCH 1:* FLAGS
S: a3 OK UID FETCH completed`)
	seed(t, srv, alice, "INBOX", "1", "2", "3", "4", "5")
	c.run(`
C: a4 NOOP
S: * 5 EXISTS
S: * 5 RECENT
S: a4 OK NOOP completed
C: a5 FETCH 4:2 UID
S: * 2 FETCH (UID 2)
S: * 3 FETCH (UID 3)
S: * 4 FETCH (UID 4)
S: a5 OK FETCH completed
C: a6 FETCH *:4,1,1 UID
S: * 1 FETCH (UID 1)
S: * 4 FETCH (UID 4)
S: * 5 FETCH (UID 5)
S: a6 OK FETCH completed
C: a7 FETCH 6 UID
S: a7 BAD No message with sequence number 6: the mailbox has 5
C: a8 FETCH 1:6 UID
S: a8 BAD No message with sequence number 6: the mailbox has 5
C: a9 FETCH 0 UID
S: a9 BAD Sequence number must be a non-zero number without leading zeros
C: a10 FETCH 01 UID
S: a10 BAD Sequence number must be a non-zero number without leading zeros
C: a11 FETCH 4294967296 UID
S: a11 BAD Sequence number out of range: numbers are unsigned 32-bit
C: a12 FETCH 1 (UID
S: a12 BAD SP expected, found end of line
C: a13 FETCH 1 BODY[HEADER.FIELDS ()]
S: a13 BAD Header field name expected, found ")]"
C: a14 FETCH 1 BINARY[]
S: a14 BAD Unknown fetch data item BINARY
C: a15 FETCH 1 (ALL)
S: a15 BAD The ALL macro cannot be combined with other data items
C: a16 FETCH 1 BODY[0]
S: a16 BAD Section part number must be a non-zero number without leading zeros
C: a17 FETCH
S: a17 BAD SP expected, found end of line
C: a18 FETCH 1
S: a18 BAD SP expected, found end of line`)
}
