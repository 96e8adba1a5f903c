package referenceserver

import "testing"

// selected logs in as alice and selects INBOX, expecting n messages.
func selected(t *testing.T, srv *Server, cmd string) *client {
	t.Helper()
	c := login(t, srv, alice)
	c.do("s", cmd+" INBOX", "OK")
	return c
}

// RFC 3501 sections 5.2, 7.3.1 and 7.3.2: new messages are announced to
// every session at its next command, and \Recent goes to exactly one of them
// (section 2.3.2).
func TestNewMessagesAndRecent(t *testing.T) {
	srv := startServer(t, Options{})
	a := selected(t, srv, "SELECT")
	b := selected(t, srv, "SELECT")
	e := selected(t, srv, "EXAMINE")
	seed(t, srv, alice, "INBOX", "new")
	a.run(`
C: a1 NOOP
S: * 1 EXISTS
S: * 1 RECENT
S: a1 OK NOOP completed
C: a2 FETCH 1 FLAGS
S: * 1 FETCH (FLAGS (\Recent))
S: a2 OK FETCH completed`)
	b.run(`
C: b1 NOOP
S: * 1 EXISTS
S: * 0 RECENT
S: b1 OK NOOP completed
C: b2 FETCH 1 FLAGS
S: * 1 FETCH (FLAGS ())
S: b2 OK FETCH completed
C: b3 SEARCH RECENT
S: * SEARCH
S: b3 OK SEARCH completed`)
	// The EXAMINE session, told last, shows \Recent only for messages no
	// read-write session has claimed: not this one.
	e.run(`
C: e1 CHECK
S: * 1 EXISTS
S: * 0 RECENT
S: e1 OK CHECK completed`)
	// A second message: the EXAMINE session is told first; it shows it as
	// \Recent without taking it, so the next read-write session gets it.
	seed(t, srv, alice, "INBOX", "newer")
	e.run(`
C: e2 NOOP
S: * 2 EXISTS
S: * 1 RECENT
S: e2 OK NOOP completed`)
	b.run(`
C: b4 NOOP
S: * 2 EXISTS
S: * 1 RECENT
S: b4 OK NOOP completed`)
	a.run(`
C: a3 NOOP
S: * 2 EXISTS
S: * 1 RECENT
S: a3 OK NOOP completed
C: a4 FETCH 2 FLAGS
S: * 2 FETCH (FLAGS ())
S: a4 OK FETCH completed`)
	// When a session deselects, its \Recent messages are recent nowhere.
	a.do("c", "CLOSE", "OK")
	c := selected(t, srv, "SELECT")
	c.run(`
C: c1 SEARCH RECENT
S: * SEARCH
S: c1 OK SEARCH completed`)
}

// RFC 3501 section 5.2: flag changes are sent to the other sessions as
// untagged FETCH responses; a new keyword first as FLAGS.
func TestFlagUpdates(t *testing.T) {
	srv := startServer(t, Options{})
	seed(t, srv, alice, "INBOX", "1", "2")
	a := selected(t, srv, "SELECT")
	b := selected(t, srv, "SELECT")
	a.run(`
C: a1 STORE 2 +FLAGS.SILENT (\Seen $Urgent)
S: * FLAGS (\Answered \Flagged \Deleted \Seen \Draft $Urgent)
S: * OK [PERMANENTFLAGS (\Answered \Flagged \Deleted \Seen \Draft $Urgent \*)] Flags and new keywords can be stored
S: a1 OK STORE completed`)
	b.run(`
C: b1 NOOP
S: * FLAGS (\Answered \Flagged \Deleted \Seen \Draft $Urgent)
S: * OK [PERMANENTFLAGS (\Answered \Flagged \Deleted \Seen \Draft $Urgent \*)] Flags and new keywords can be stored
S: * 2 FETCH (FLAGS (\Seen $Urgent))
S: b1 OK NOOP completed
C: b2 NOOP
S: b2 OK NOOP completed`)
	// A fetch that sets \Seen is a flag change for the others too.
	b.run(`
C: b3 FETCH 1 BODY[TEXT]
S: * 1 FETCH (BODY[TEXT] {9}
S: Hello 1
S:  FLAGS (\Seen))
S: b3 OK FETCH completed`)
	a.run(`
C: a2 NOOP
S: * 1 FETCH (FLAGS (\Seen \Recent))
S: a2 OK NOOP completed`)
}

// RFC 3501 section 7.4.1: no EXPUNGE while a FETCH, STORE or SEARCH is
// answered; the expunge is reported at the next command that allows it, and
// sequence numbers stay consistent in between.
func TestExpungeWithheld(t *testing.T) {
	srv := startServer(t, Options{})
	seed(t, srv, alice, "INBOX", "1", "2", "3")
	a := selected(t, srv, "SELECT")
	b := selected(t, srv, "SELECT")
	a.run(`
C: a1 STORE 2 +FLAGS.SILENT (\Deleted)
S: a1 OK STORE completed
C: a2 EXPUNGE
S: * 2 EXPUNGE
S: a2 OK EXPUNGE completed`)
	seed(t, srv, alice, "INBOX", "4")
	b.run(`
# b still numbers the expunged message 2; the new message is 4
C: b1 FETCH 1:* (UID FLAGS)
S: * 1 FETCH (UID 1 FLAGS ())
S: * 2 FETCH (UID 2 FLAGS (\Deleted))
S: * 3 FETCH (UID 3 FLAGS ())
S: * 4 EXISTS
S: * 1 RECENT
S: b1 OK FETCH completed
C: b2 STORE 2:3 +FLAGS (\Flagged)
S: * 3 FETCH (FLAGS (\Flagged))
S: b2 OK STORE completed
C: b3 SEARCH ALL
S: * SEARCH 1 2 3 4
S: b3 OK SEARCH completed
C: b4 FETCH 2 BODY.PEEK[TEXT]
S: * 2 FETCH (BODY[TEXT] {9}
S: Hello 2
S: )
S: b4 OK FETCH completed
# a COPY of the expunged message fails as a whole
C: b5 COPY 2:3 INBOX
S: * 2 EXPUNGE
S: b5 NO Some of the messages no longer exist; nothing was copied
C: b6 FETCH 1:* UID
S: * 1 FETCH (UID 1)
S: * 2 FETCH (UID 3)
S: * 3 FETCH (UID 4)
S: b6 OK FETCH completed`)
	a.run(`
C: a3 NOOP
S: * 3 EXISTS
S: * 2 RECENT
S: * 2 FETCH (FLAGS (\Flagged \Recent))
S: a3 OK NOOP completed`)
}

// UID commands may carry EXPUNGE (RFC 3501 section 5.5 note); it comes after
// the FETCH responses, so their sequence numbers are those before it.
func TestExpungeAfterUIDFetch(t *testing.T) {
	srv := startServer(t, Options{})
	seed(t, srv, alice, "INBOX", "1", "2", "3")
	a := selected(t, srv, "SELECT")
	b := selected(t, srv, "SELECT")
	a.do("a1", `STORE 1 +FLAGS.SILENT (\Deleted)`, "OK")
	a.do("a2", "EXPUNGE", "OK")
	b.run(`
C: b1 UID FETCH 3 FLAGS
S: * 3 FETCH (UID 3 FLAGS ())
S: * 1 EXPUNGE
S: b1 OK UID FETCH completed
C: b2 UID SEARCH ALL
S: * SEARCH 2 3
S: b2 OK UID SEARCH completed`)
	// A flag change reported during a UID command carries the UID
	// (RFC 3501 section 6.4.8).
	a.do("a3", `STORE 2 +FLAGS.SILENT (\Answered)`, "OK")
	b.run(`
C: b3 UID FETCH 2 UID
S: * 1 FETCH (UID 2)
S: * 2 FETCH (UID 3 FLAGS (\Answered))
S: b3 OK UID FETCH completed`)
}

// CLOSE expunges silently for its own session, but the others are told.
func TestCloseExpungeSeenByOthers(t *testing.T) {
	srv := startServer(t, Options{})
	seed(t, srv, alice, "INBOX", "1", "2")
	a := selected(t, srv, "SELECT")
	b := selected(t, srv, "SELECT")
	a.run(`
C: a1 STORE 1 +FLAGS.SILENT (\Deleted)
S: a1 OK STORE completed
C: a2 CLOSE
S: a2 OK CLOSE completed`)
	b.run(`
C: b1 NOOP
S: * 1 EXPUNGE
S: b1 OK NOOP completed`)
}

// A mailbox deleted or renamed away under a session: its messages are
// expunged for that session.
func TestSelectedMailboxDeletedOrRenamed(t *testing.T) {
	srv := startServer(t, Options{})
	if err := srv.CreateMailbox(alice, "box"); err != nil {
		t.Fatal(err)
	}
	seed(t, srv, alice, "box", "1", "2")
	seed(t, srv, alice, "INBOX", "3")
	a := login(t, srv, alice)
	a.do("s", "SELECT box", "OK")
	b := selected(t, srv, "SELECT")
	c := login(t, srv, alice)
	c.do("d", "DELETE box", "OK")
	c.do("r", "RENAME INBOX moved", "OK")
	a.run(`
C: a1 NOOP
S: * 1 EXPUNGE
S: * 1 EXPUNGE
S: a1 OK NOOP completed
C: a2 STORE 1 +FLAGS (\Seen)
S: a2 BAD No messages: the mailbox is empty (RFC 3501 section 9: seq-number)`)
	b.run(`
C: b1 NOOP
S: * 1 EXPUNGE
S: b1 OK NOOP completed`)
	c.run(`
C: c1 STATUS moved (MESSAGES)
S: * STATUS "moved" (MESSAGES 1)
S: c1 OK STATUS completed`)
}

// RFC 3501 section 5.5: "FETCH + STORE + SEARCH + CHECK" may be sent
// without waiting; the answers come in order.
func TestPipelining(t *testing.T) {
	srv := startServer(t, Options{})
	seed(t, srv, alice, "INBOX", "1", "2")
	a := selected(t, srv, "SELECT")
	a.send("p1 FETCH 1 UID\r\np2 STORE 2 +FLAGS (\\Seen)\r\np3 SEARCH SEEN\r\np4 CHECK\r\n")
	a.run(`
S: * 1 FETCH (UID 1)
S: p1 OK FETCH completed
S: * 2 FETCH (FLAGS (\Seen \Recent))
S: p2 OK STORE completed
S: * SEARCH 2
S: p3 OK SEARCH completed
S: p4 OK CHECK completed`)
}
