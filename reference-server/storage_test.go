package referenceserver

import (
	"errors"
	"testing"
)

// failingStorage refuses every change, as a full disk would.
type failingStorage struct{}

var errDiskFull = errors.New("disk full")

func (failingStorage) createMailbox(string, mailboxRecord) error     { return errDiskFull }
func (failingStorage) deleteMailbox(string, uint64, bool) error      { return errDiskFull }
func (failingStorage) renameMailboxes(string, []mailboxRename) error { return errDiskFull }
func (failingStorage) setSubscribed(string, string, bool) error      { return errDiskFull }
func (failingStorage) appendMessages(string, uint64, uint32, []messageRecord) error {
	return errDiskFull
}
func (failingStorage) updateFlags(string, uint64, []flagRecord) error { return errDiskFull }
func (failingStorage) expunge(string, uint64, []uint32, uint64) error { return errDiskFull }

// When storage refuses a change, the command answers NO and nothing changes:
// not the hierarchy, not the messages, not the flags.
func TestStorageFailure(t *testing.T) {
	srv := startServer(t, Options{})
	if err := srv.CreateMailbox(alice, "box"); err != nil {
		t.Fatal(err)
	}
	seed(t, srv, alice, "INBOX", "1")
	if err := srv.user(alice).subscribe("box"); err != nil {
		t.Fatal(err)
	}
	c := login(t, srv, alice)
	c.do("s", "SELECT INBOX", "OK")
	c.do("d", `STORE 1 +FLAGS.SILENT (\Deleted)`, "OK")
	srv.store = failingStorage{}
	const no = "NO The change could not be stored; nothing was changed"
	c.run(`
C: a1 CREATE other
S: a1 ` + no + `
C: a2 DELETE box
S: a2 ` + no + `
C: a3 RENAME box other
S: a3 ` + no + `
C: a4 SUBSCRIBE INBOX
S: a4 ` + no + `
C: a5 UNSUBSCRIBE box
S: a5 ` + no + `
C: a6 APPEND INBOX ($New) {1}
S: + Ready for literal data
C: x
S: a6 ` + no + `
C: a7 STORE 1 +FLAGS ($Label)
S: a7 ` + no + `
C: a8 EXPUNGE
S: a8 ` + no + `
C: a9 COPY 1 box
S: a9 ` + no + `
C: a10 RENAME INBOX other
S: a10 ` + no + `
C: a11 FETCH 1 (BODY[TEXT] FLAGS)
S: * 1 FETCH (BODY[TEXT] {9}
S: Hello 1
S:  FLAGS (\Deleted \Recent))
S: a11 OK FETCH completed
C: a12 LIST "" *
S: * LIST (\HasNoChildren) "/" "INBOX"
S: * LIST (\HasNoChildren) "/" "box"
S: a12 OK LIST completed
C: a13 LSUB "" *
S: * LSUB () "/" "box"
S: a13 OK LSUB completed
C: a14 STATUS INBOX (MESSAGES UIDNEXT)
S: * STATUS "INBOX" (MESSAGES 1 UIDNEXT 2)
S: a14 OK STATUS completed`)
	if err := srv.AddUser("carol", "x"); err == nil {
		t.Fatal("AddUser succeeded although INBOX could not be stored")
	}
}

// A \Noselect name left by DELETE becomes a mailbox again with CREATE, with
// a new UIDVALIDITY.
func TestCreateOverNoselect(t *testing.T) {
	srv := startServer(t, Options{})
	c := login(t, srv, alice)
	c.do("a", "CREATE p/q", "OK")
	v := status(t, c, "p", "UIDVALIDITY")
	c.do("b", "DELETE p", "OK")
	c.run(`
C: c LIST "" p
S: * LIST (\Noselect \HasChildren) "/" "p"
S: c OK LIST completed
C: d CREATE p/
S: d OK CREATE completed
C: e LIST "" p
S: * LIST (\HasChildren) "/" "p"
S: e OK LIST completed`)
	if w := status(t, c, "p", "UIDVALIDITY"); w == v {
		t.Fatalf("UIDVALIDITY %s reused", v)
	}
}
