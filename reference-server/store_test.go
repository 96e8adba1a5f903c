package referenceserver

import "testing"

// RFC 3501 section 6.4.6.
func TestStore(t *testing.T) {
	srv := startServer(t, Options{})
	seed(t, srv, alice, "INBOX", "1", "2", "3", "4")
	c := login(t, srv, alice)
	c.do("s", "SELECT INBOX", "OK")
	c.run(`
C: A003 STORE 2:4 +FLAGS (\Deleted)
S: * 2 FETCH (FLAGS (\Deleted \Recent))
S: * 3 FETCH (FLAGS (\Deleted \Recent))
S: * 4 FETCH (FLAGS (\Deleted \Recent))
S: A003 OK STORE completed
C: a1 STORE 2 FLAGS (\Seen \Answered)
S: * 2 FETCH (FLAGS (\Answered \Seen \Recent))
S: a1 OK STORE completed
C: a2 STORE 3 -FLAGS \Deleted
S: * 3 FETCH (FLAGS (\Recent))
S: a2 OK STORE completed
# system flags are case-insensitive and come back in their canonical form;
# a new keyword is announced with FLAGS and PERMANENTFLAGS
C: a3 STORE 1 +FLAGS (\fLaGgEd \draft $Forwarded)
S: * 1 FETCH (FLAGS (\Flagged \Draft $Forwarded \Recent))
S: * FLAGS (\Answered \Flagged \Deleted \Seen \Draft $Forwarded)
S: * OK [PERMANENTFLAGS (\Answered \Flagged \Deleted \Seen \Draft $Forwarded \*)] Flags and new keywords can be stored
S: a3 OK STORE completed
# keywords are case-insensitive too: the first spelling stays
C: a4 STORE 2 +FLAGS ($FORWARDED)
S: * 2 FETCH (FLAGS (\Answered \Seen $Forwarded \Recent))
S: a4 OK STORE completed
C: a5 STORE 1:2 -FLAGS ($forwarded \Seen)
S: * 1 FETCH (FLAGS (\Flagged \Draft \Recent))
S: * 2 FETCH (FLAGS (\Answered \Recent))
S: a5 OK STORE completed
C: a6 STORE 1 FLAGS ()
S: * 1 FETCH (FLAGS (\Recent))
S: a6 OK STORE completed
C: a7 STORE 1 +FLAGS.SILENT (\Seen)
S: a7 OK STORE completed
C: a8 STORE 1 -flags.silent (\Seen)
S: a8 OK STORE completed
C: a9 STORE 1:* FLAGS.SILENT (\Seen)
S: a9 OK STORE completed
C: a10 FETCH 1:* FLAGS
S: * 1 FETCH (FLAGS (\Seen \Recent))
S: * 2 FETCH (FLAGS (\Seen \Recent))
S: * 3 FETCH (FLAGS (\Seen \Recent))
S: * 4 FETCH (FLAGS (\Seen \Recent))
S: a10 OK FETCH completed
# \Recent cannot be stored, nor a flag extension this server does not define
C: a11 STORE 1 +FLAGS (\Recent)
S: a11 BAD \Recent cannot be stored: the server sets it (RFC 3501 section 2.3.2)
C: a12 STORE 1 FLAGS (\Important)
S: a12 BAD \Important is not a flag this server defines; keywords do not begin with \
C: a13 STORE 1 +FLAGS (\*)
S: a13 BAD \* is a PERMANENTFLAGS value, not a flag
C: a14 STORE 5 +FLAGS (\Seen)
S: a14 BAD No message with sequence number 5: the mailbox has 4
C: a15 STORE 1 FLAGS
S: a15 BAD SP expected, found end of line
C: a16 STORE 1 XFLAGS (\Seen)
S: a16 BAD Unknown STORE data item XFLAGS: FLAGS, +FLAGS or -FLAGS (with .SILENT) expected
C: a17 STORE 1 +FLAGS (\Seen
S: a17 BAD SP expected, found end of line
C: a18 STORE 1 +FLAGS ("quoted")
S: a18 BAD Flag expected, found {{.*}}
C: a19 STORE
S: a19 BAD {{.*}}`)
}
