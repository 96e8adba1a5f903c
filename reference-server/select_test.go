package referenceserver

import (
	"testing"
	"time"
)

// RFC 3501 section 6.3.1.
func TestSelect(t *testing.T) {
	srv := startServer(t, Options{})
	seed(t, srv, alice, "INBOX", "one", "two", "three")
	if _, err := srv.Append(alice, "INBOX", []byte(testMessage("seen")), []string{`\Seen`, "$Work"}, time.Time{}); err != nil {
		t.Fatal(err)
	}
	c := login(t, srv, alice)
	c.run(`
C: A142 SELECT INBOX
S: * FLAGS (\Answered \Flagged \Deleted \Seen \Draft $Work)
S: * OK [PERMANENTFLAGS (\Answered \Flagged \Deleted \Seen \Draft $Work \*)] Flags and new keywords can be stored
S: * 4 EXISTS
S: * 4 RECENT
S: * OK [UNSEEN 1] Message 1 is the first unseen
S: * OK [UIDVALIDITY {{\d+}}] UIDs valid
S: * OK [UIDNEXT 5] Predicted next UID
S: A142 OK [READ-WRITE] SELECT completed
# a second SELECT: \Recent was taken by the first
C: a1 SELECT inbox
S: * FLAGS (\Answered \Flagged \Deleted \Seen \Draft $Work)
S: * OK [PERMANENTFLAGS {{.*}}
S: * 4 EXISTS
S: * 0 RECENT
S: * OK [UNSEEN 1] Message 1 is the first unseen
S: * OK [UIDVALIDITY {{\d+}}] UIDs valid
S: * OK [UIDNEXT 5] Predicted next UID
S: a1 OK [READ-WRITE] SELECT completed
# a failed SELECT leaves no mailbox selected
C: a2 SELECT nosuch
S: a2 NO Mailbox does not exist
C: a3 FETCH 1 FLAGS
S: a3 BAD FETCH is not valid in the authenticated state
C: a4 SELECT
S: a4 BAD {{.*}}
C: a5 SELECT INBOX extra
S: a5 BAD {{.*}}`)
}

// RFC 3501 section 6.3.2: EXAMINE is read-only: no flag changes, no
// expunge, \Recent stays for the next session.
func TestExamine(t *testing.T) {
	srv := startServer(t, Options{})
	seed(t, srv, alice, "INBOX", "one", "two")
	c := login(t, srv, alice)
	c.run(`
C: A932 EXAMINE INBOX
S: * FLAGS (\Answered \Flagged \Deleted \Seen \Draft)
S: * OK [PERMANENTFLAGS ()] No permanent flags: the mailbox is read-only
S: * 2 EXISTS
S: * 2 RECENT
S: * OK [UNSEEN 1] Message 1 is the first unseen
S: * OK [UIDVALIDITY {{\d+}}] UIDs valid
S: * OK [UIDNEXT 3] Predicted next UID
S: A932 OK [READ-ONLY] EXAMINE completed
C: a1 STORE 1 +FLAGS (\Deleted)
S: a1 NO The mailbox is read-only (EXAMINE): flags cannot be changed
C: a2 UID STORE 1 +FLAGS (\Deleted)
S: a2 NO The mailbox is read-only (EXAMINE): flags cannot be changed
C: a3 EXPUNGE
S: a3 NO The mailbox is read-only (EXAMINE): nothing can be expunged
# BODY[] does not set \Seen
C: a4 FETCH 1 (BODY[TEXT] FLAGS)
S: * 1 FETCH (BODY[TEXT] {11}
S: Hello one
S:  FLAGS (\Recent))
S: a4 OK FETCH completed
C: a5 FETCH 1 RFC822.TEXT
S: * 1 FETCH (RFC822.TEXT {11}
S: Hello one
S: )
S: a5 OK FETCH completed
C: a6 FETCH 1 FLAGS
S: * 1 FETCH (FLAGS (\Recent))
S: a6 OK FETCH completed
# \Recent was not taken: EXAMINE again still shows it
C: a7 EXAMINE INBOX
S: * FLAGS {{.*}}
S: * OK [PERMANENTFLAGS ()] {{.*}}
S: * 2 EXISTS
S: * 2 RECENT
S: * OK [UNSEEN 1] {{.*}}
S: * OK [UIDVALIDITY {{\d+}}] UIDs valid
S: * OK [UIDNEXT 3] Predicted next UID
S: a7 OK [READ-ONLY] EXAMINE completed
C: a8 CLOSE
S: a8 OK CLOSE completed
C: a9 STATUS INBOX (RECENT UNSEEN)
S: * STATUS "INBOX" (RECENT 2 UNSEEN 2)
S: a9 OK STATUS completed`)
}

// RFC 3501 section 6.4.2: CLOSE expunges silently, except after EXAMINE.
func TestClose(t *testing.T) {
	srv := startServer(t, Options{})
	seed(t, srv, alice, "INBOX", "one", "two", "three")
	c := login(t, srv, alice)
	c.do("s", "SELECT INBOX", "OK")
	c.run(`
C: a1 STORE 2 +FLAGS.SILENT (\Deleted)
S: a1 OK STORE completed
C: A341 CLOSE
S: A341 OK CLOSE completed
C: a2 STATUS INBOX (MESSAGES)
S: * STATUS "INBOX" (MESSAGES 2)
S: a2 OK STATUS completed
C: a3 CLOSE
S: a3 BAD CLOSE is not valid in the authenticated state
C: a4 SELECT INBOX
S: * FLAGS {{.*}}
S: * OK [PERMANENTFLAGS {{.*}}
S: * 2 EXISTS
S: * 0 RECENT
S: * OK [UNSEEN 1] {{.*}}
S: * OK [UIDVALIDITY {{\d+}}] UIDs valid
S: * OK [UIDNEXT 4] Predicted next UID
S: a4 OK [READ-WRITE] SELECT completed
C: a5 STORE 1 +FLAGS.SILENT (\Deleted)
S: a5 OK STORE completed
C: a6 EXAMINE INBOX
S: * FLAGS {{.*}}
S: * OK [PERMANENTFLAGS ()] {{.*}}
S: * 2 EXISTS
S: * 0 RECENT
S: * OK [UNSEEN 1] {{.*}}
S: * OK [UIDVALIDITY {{\d+}}] UIDs valid
S: * OK [UIDNEXT 4] Predicted next UID
S: a6 OK [READ-ONLY] EXAMINE completed
C: a7 CLOSE
S: a7 OK CLOSE completed
C: a8 STATUS INBOX (MESSAGES)
S: * STATUS "INBOX" (MESSAGES 2)
S: a8 OK STATUS completed
C: a9 SELECT INBOX
S: * FLAGS {{.*}}
S: * OK [PERMANENTFLAGS {{.*}}
S: * 2 EXISTS
S: * 0 RECENT
S: * OK [UNSEEN 1] {{.*}}
S: * OK [UIDVALIDITY {{\d+}}] UIDs valid
S: * OK [UIDNEXT 4] Predicted next UID
S: a9 OK [READ-WRITE] SELECT completed
C: a10 CLOSE x
S: a10 BAD {{.*}}`)
}

// RFC 3501 section 6.4.3, with the example of the RFC: messages 3, 4, 7 and
// 11 deleted give EXPUNGE 3, 3, 5, 8.
func TestExpunge(t *testing.T) {
	srv := startServer(t, Options{})
	seed(t, srv, alice, "INBOX", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12")
	c := login(t, srv, alice)
	c.do("s", "SELECT INBOX", "OK")
	c.run(`
C: a1 STORE 3:4,7,11 +FLAGS.SILENT (\Deleted)
S: a1 OK STORE completed
C: A202 EXPUNGE
S: * 3 EXPUNGE
S: * 3 EXPUNGE
S: * 5 EXPUNGE
S: * 8 EXPUNGE
S: A202 OK EXPUNGE completed
C: a2 FETCH 1:* UID
S: * 1 FETCH (UID 1)
S: * 2 FETCH (UID 2)
S: * 3 FETCH (UID 5)
S: * 4 FETCH (UID 6)
S: * 5 FETCH (UID 8)
S: * 6 FETCH (UID 9)
S: * 7 FETCH (UID 10)
S: * 8 FETCH (UID 12)
S: a2 OK FETCH completed
C: a3 EXPUNGE
S: a3 OK EXPUNGE completed
C: a4 EXPUNGE 1
S: a4 BAD {{.*}}
C: FXXZ CHECK
S: FXXZ OK CHECK completed
C: a5 CHECK now
S: a5 BAD {{.*}}`)
}
