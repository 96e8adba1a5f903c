package referenceserver

import "time"

// storage makes the state that must outlive a session durable. The server
// keeps the live index in memory (users, the mailbox hierarchy, each message's
// UID, flags, internal date, modification sequence and octets, and the
// sessions watching each mailbox) and reports every change to storage before
// the command that made it is answered, while it holds the lock of the user
// or mailbox concerned. Each call must be all or nothing: when it returns an
// error the index is left unchanged and the command answers NO.
//
// Mailboxes are identified by id, which never changes (RENAME changes only
// the name); a new incarnation of a name gets a new id and a new UIDVALIDITY.
//
// memoryStorage, the default, keeps nothing beyond the index: the index is the
// store, and it ends with the process.
type storage interface {
	createMailbox(user string, rec mailboxRecord) error
	// deleteMailbox removes the mailbox and its messages; keepName means the
	// name stays as a \Noselect name with the same id (RFC 3501 section
	// 6.3.4, a deleted mailbox that has inferiors).
	deleteMailbox(user string, id uint64, keepName bool) error
	renameMailboxes(user string, renames []mailboxRename) error
	setSubscribed(user, name string, subscribed bool) error
	appendMessages(user string, mailbox uint64, uidNext uint32, msgs []messageRecord) error
	updateFlags(user string, mailbox uint64, updates []flagRecord) error
	expunge(user string, mailbox uint64, uids []uint32, modseq uint64) error
}

// mailboxRecord describes a mailbox or \Noselect name at creation.
type mailboxRecord struct {
	id          uint64
	name        string
	selectable  bool
	uidValidity uint32
	uidNext     uint32
}

// mailboxRename is one name change of a RENAME (the mailbox and each of its
// inferiors).
type mailboxRename struct {
	id      uint64
	newName string
}

// messageRecord is a new message of APPEND or COPY.
type messageRecord struct {
	uid      uint32
	date     time.Time
	flags    []string // system flags and keywords by name
	modseq   uint64
	contents []byte
}

// flagRecord is a message's new flags after STORE or a fetch that set \Seen.
type flagRecord struct {
	uid    uint32
	flags  []string
	modseq uint64
}

// memoryStorage is the in-memory store: the live index holds everything.
type memoryStorage struct{}

func (memoryStorage) createMailbox(string, mailboxRecord) error                    { return nil }
func (memoryStorage) deleteMailbox(string, uint64, bool) error                     { return nil }
func (memoryStorage) renameMailboxes(string, []mailboxRename) error                { return nil }
func (memoryStorage) setSubscribed(string, string, bool) error                     { return nil }
func (memoryStorage) appendMessages(string, uint64, uint32, []messageRecord) error { return nil }
func (memoryStorage) updateFlags(string, uint64, []flagRecord) error               { return nil }
func (memoryStorage) expunge(string, uint64, []uint32, uint64) error               { return nil }
