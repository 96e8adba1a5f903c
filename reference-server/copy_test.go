package referenceserver

import (
	"testing"
	"time"
)

// RFC 3501 section 6.4.7: flags and internal date are kept; the copies are
// \Recent in the destination; a missing destination gets TRYCREATE.
func TestCopy(t *testing.T) {
	srv := startServer(t, Options{})
	date := time.Date(2001, 2, 3, 4, 5, 6, 0, time.FixedZone("", 3600))
	if _, err := srv.Append(alice, "INBOX", []byte(testMessage("one")), []string{`\Flagged`, "$Label"}, date); err != nil {
		t.Fatal(err)
	}
	seed(t, srv, alice, "INBOX", "two", "three")
	if err := srv.CreateMailbox(alice, "MEETING"); err != nil {
		t.Fatal(err)
	}
	c := login(t, srv, alice)
	c.do("s", "SELECT INBOX", "OK")
	c.run(`
C: A003 COPY 1:2 MEETING
S: A003 OK COPY completed
C: a1 COPY 1 nosuch
S: a1 NO [TRYCREATE] Mailbox does not exist; CREATE it first
C: a2 COPY 4 MEETING
S: a2 BAD No message with sequence number 4: the mailbox has 3
C: a3 COPY 1 MEETING extra
S: a3 BAD {{.*}}
C: a4 COPY MEETING
S: a4 BAD {{.*}}
C: a5 STATUS MEETING (MESSAGES RECENT UIDNEXT)
S: * STATUS "MEETING" (MESSAGES 2 RECENT 2 UIDNEXT 3)
S: a5 OK STATUS completed
C: a6 SELECT MEETING
S: * FLAGS (\Answered \Flagged \Deleted \Seen \Draft $Label)
S: * OK [PERMANENTFLAGS {{.*}}
S: * 2 EXISTS
S: * 2 RECENT
S: * OK [UNSEEN 1] {{.*}}
S: * OK [UIDVALIDITY {{\d+}}] UIDs valid
S: * OK [UIDNEXT 3] Predicted next UID
S: a6 OK [READ-WRITE] SELECT completed
C: a7 FETCH 1:2 (UID FLAGS INTERNALDATE ENVELOPE)
S: * 1 FETCH (UID 1 FLAGS (\Flagged $Label \Recent) INTERNALDATE " 3-Feb-2001 04:05:06 +0100" ENVELOPE ({{.*}} "one" {{.*}}))
S: * 2 FETCH (UID 2 FLAGS (\Recent) INTERNALDATE "10-Mar-2024 12:00:00 +0000" ENVELOPE ({{.*}} "two" {{.*}}))
S: a7 OK FETCH completed
# COPY into the selected mailbox itself: the copies are announced
C: a8 COPY 1 MEETING
S: * 3 EXISTS
S: * 3 RECENT
S: a8 OK COPY completed
C: a9 UID COPY 2:* INBOX
S: a9 OK UID COPY completed
C: a10 UID COPY 100:200 INBOX
S: a10 OK UID COPY completed
C: a11 STATUS INBOX (MESSAGES)
S: * STATUS "INBOX" (MESSAGES 5)
S: a11 OK STATUS completed`)
}

// RFC 3501 section 6.4.8: UID commands name messages by UID and report
// the UID in every FETCH response.
func TestUIDCommands(t *testing.T) {
	srv := startServer(t, Options{})
	seed(t, srv, alice, "INBOX", "1", "2", "3", "4", "5")
	c := login(t, srv, alice)
	c.do("s", "SELECT INBOX", "OK")
	c.run(`
C: a1 STORE 2,4 +FLAGS.SILENT (\Deleted)
S: a1 OK STORE completed
C: a2 EXPUNGE
S: * 2 EXPUNGE
S: * 3 EXPUNGE
S: a2 OK EXPUNGE completed
C: A999 UID FETCH 4827313:* FLAGS
S: * 3 FETCH (UID 5 FLAGS (\Recent))
S: A999 OK UID FETCH completed
C: a3 UID FETCH 2:4 (FLAGS)
S: * 2 FETCH (UID 3 FLAGS (\Recent))
S: a3 OK UID FETCH completed
C: a4 UID FETCH 1:* RFC822.SIZE
S: * 1 FETCH (UID 1 RFC822.SIZE {{\d+}})
S: * 2 FETCH (UID 3 RFC822.SIZE {{\d+}})
S: * 3 FETCH (UID 5 RFC822.SIZE {{\d+}})
S: a4 OK UID FETCH completed
C: a5 UID FETCH 2,4827313:4828442 UID
S: a5 OK UID FETCH completed
C: a6 UID FETCH 4294967295 UID
S: a6 OK UID FETCH completed
C: a7 UID STORE 3,5 +FLAGS (\Answered)
S: * 2 FETCH (UID 3 FLAGS (\Answered \Recent))
S: * 3 FETCH (UID 5 FLAGS (\Answered \Recent))
S: a7 OK UID STORE completed
C: a8 UID STORE 1:* +FLAGS.SILENT (\Seen)
S: a8 OK UID STORE completed
C: a9 UID SEARCH ANSWERED
S: * SEARCH 3 5
S: a9 OK UID SEARCH completed
C: a10 UID SEARCH 2
S: * SEARCH 3
S: a10 OK UID SEARCH completed
C: a11 UID SEARCH UID 4:5
S: * SEARCH 5
S: a11 OK UID SEARCH completed
C: a12 UID FETCH 0 FLAGS
S: a12 BAD {{.*}}
C: a13 UID EXPUNGE 1
S: a13 BAD UID must be followed by COPY, FETCH, SEARCH or STORE, not EXPUNGE
C: a14 UID
S: a14 BAD SP expected, found end of line
C: a15 UID FETCH
S: a15 BAD SP expected, found end of line`)
}
