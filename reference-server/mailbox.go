package referenceserver

import (
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	mail "github.com/imapgauge/imapgauge/reference-server/internal/message"
)

// user is an account: its password, its mailbox names and its subscriptions.
type user struct {
	srv      *Server
	name     string
	password string

	mu         sync.Mutex
	mailboxes  map[string]*mailbox // by canonical name; \Noselect names included
	subscribed map[string]struct{}
}

// mailbox is a mailbox, or a \Noselect name kept in the hierarchy (RFC 3501
// section 6.3.4). Its lock serialises every change to its messages and to the
// views of the sessions that have it selected.
type mailbox struct {
	owner *user
	id    uint64

	// guarded by owner.mu
	name       string
	selectable bool

	mu          sync.RWMutex
	deleted     bool // removed from the hierarchy, or emptied into a \Noselect name
	uidValidity uint32
	uidNext     uint32
	modseq      uint64     // highest modification sequence
	msgs        []*message // ascending UID
	keywords    []string   // keyword names in first-use spelling; flagSet indexes into it
	views       map[*view]struct{}
}

// message is one stored message. Its octets and internal date never change.
type message struct {
	uid  uint32
	date time.Time
	raw  []byte

	parsed atomic.Pointer[mail.Message]

	// guarded by the mailbox's mu
	flags     flagSet
	modseq    uint64
	unclaimed bool // \Recent not yet given to a session (RFC 3501 section 2.3.2)
	expunged  bool
}

// analysis returns the parsed form of the message, parsing it on first use.
func (m *message) analysis() *mail.Message {
	if p := m.parsed.Load(); p != nil {
		return p
	}
	p := mail.Parse(m.raw)
	m.parsed.Store(p)
	return p
}

func (m *message) size() int { return len(m.raw) }

// lookup returns the mailbox or \Noselect name called name (canonical), or nil.
func (u *user) lookup(name string) *mailbox {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.mailboxes[canonicalName(name)]
}

// selectable returns the mailbox called name if it exists and can be
// selected.
func (u *user) selectable(name string) (*mailbox, *statusError) {
	mb := u.lookup(name)
	if mb == nil {
		return nil, errNo("", "Mailbox does not exist")
	}
	u.mu.Lock()
	ok := mb.selectable
	u.mu.Unlock()
	if !ok {
		return nil, errNo("", "Mailbox is a \\Noselect name: it holds no messages")
	}
	return mb, nil
}

// newMailbox returns a new mailbox object; the caller holds u.mu.
func (u *user) newMailbox(name string, selectable bool) *mailbox {
	return &mailbox{
		owner:       u,
		id:          u.srv.nextMailboxID.Add(1),
		name:        name,
		selectable:  selectable,
		uidValidity: u.srv.newUIDValidity(),
		uidNext:     1,
		views:       map[*view]struct{}{},
	}
}

// addMailbox records mb in the hierarchy and in storage; the caller holds
// u.mu.
func (u *user) addMailbox(mb *mailbox) *statusError {
	if len(u.mailboxes) >= maxMailboxes {
		return errNo("", "Too many mailboxes (limit %d)", maxMailboxes)
	}
	err := u.srv.store.createMailbox(u.name, mailboxRecord{id: mb.id, name: mb.name, selectable: mb.selectable, uidValidity: mb.uidValidity, uidNext: mb.uidNext})
	if err != nil {
		return storageFailure(u.srv, err)
	}
	u.mailboxes[mb.name] = mb
	return nil
}

// ensureSuperiors creates the missing superiors of name as mailboxes (RFC
// 3501 sections 6.3.3 and 6.3.5); the caller holds u.mu.
func (u *user) ensureSuperiors(name string) *statusError {
	var missing []string
	for p := parentName(name); p != ""; p = parentName(p) {
		if _, ok := u.mailboxes[p]; ok {
			break
		}
		missing = append(missing, p)
	}
	for i := len(missing) - 1; i >= 0; i-- {
		if err := u.addMailbox(u.newMailbox(missing[i], true)); err != nil {
			return err
		}
	}
	return nil
}

// create implements CREATE (RFC 3501 section 6.3.3).
func (u *user) create(name string) *statusError {
	// "If the mailbox name is suffixed with the server's hierarchy
	// separator character ..., this is a declaration that the client
	// intends to create mailbox names under this name": the name itself
	// is created without the delimiter.
	name = canonicalName(strings.TrimSuffix(name, string(delimiter)))
	if name == "INBOX" {
		return errNo("", "INBOX always exists")
	}
	if err := checkNewName(name); err != nil {
		return err
	}
	u.mu.Lock()
	defer u.mu.Unlock()
	if old, ok := u.mailboxes[name]; ok {
		if old.selectable {
			return errNo("", "Mailbox already exists")
		}
		// A \Noselect name becomes a mailbox again: a new incarnation
		// with a new UIDVALIDITY (RFC 3501 section 2.3.1.1).
		delete(u.mailboxes, name)
		if err := u.addMailbox(u.newMailbox(name, true)); err != nil {
			u.mailboxes[name] = old
			return err
		}
		return nil
	}
	if err := u.ensureSuperiors(name); err != nil {
		return err
	}
	return u.addMailbox(u.newMailbox(name, true))
}

// hasInferiors reports whether any name lies below name; the caller holds
// u.mu.
func (u *user) hasInferiors(name string) bool {
	prefix := name + string(delimiter)
	for n := range u.mailboxes {
		if strings.HasPrefix(n, prefix) {
			return true
		}
	}
	return false
}

// delete implements DELETE (RFC 3501 section 6.3.4).
func (u *user) delete(name string) *statusError {
	name = canonicalName(name)
	if name == "INBOX" {
		return errNo("", "INBOX cannot be deleted")
	}
	u.mu.Lock()
	defer u.mu.Unlock()
	mb, ok := u.mailboxes[name]
	if !ok {
		return errNo("", "Mailbox does not exist")
	}
	inferiors := u.hasInferiors(name)
	if inferiors && !mb.selectable {
		return errNo("", "Name has inferior hierarchical names and is \\Noselect: delete them first")
	}
	if err := u.srv.store.deleteMailbox(u.name, mb.id, inferiors); err != nil {
		return storageFailure(u.srv, err)
	}
	mb.mu.Lock()
	mb.expungeAllLocked()
	mb.deleted = true
	mb.mu.Unlock()
	if inferiors {
		// The name stays, with the \Noselect attribute; the mailbox
		// object is detached so that sessions that had it selected see
		// it emptied.
		nb := &mailbox{owner: u, id: mb.id, name: name, selectable: false, uidValidity: mb.uidValidity, uidNext: 1, views: map[*view]struct{}{}}
		u.mailboxes[name] = nb
		return nil
	}
	delete(u.mailboxes, name)
	return nil
}

// rename implements RENAME (RFC 3501 section 6.3.5).
func (u *user) rename(from, to string) *statusError {
	from, to = canonicalName(from), canonicalName(to)
	if to == "INBOX" {
		return errNo("", "INBOX already exists")
	}
	if err := checkNewName(to); err != nil {
		return err
	}
	u.mu.Lock()
	defer u.mu.Unlock()
	src, ok := u.mailboxes[from]
	if !ok {
		return errNo("", "Mailbox does not exist")
	}
	if _, ok := u.mailboxes[to]; ok {
		return errNo("", "A mailbox with the new name already exists")
	}
	if from == "INBOX" {
		return u.renameInbox(src, to)
	}
	if strings.HasPrefix(to, from+string(delimiter)) {
		return errNo("", "A mailbox cannot be renamed to one of its own inferiors")
	}
	// The mailbox and every inferior move; collect them first.
	prefix := from + string(delimiter)
	type move struct {
		mb      *mailbox
		newName string
	}
	moves := []move{{src, to}}
	for n, mb := range u.mailboxes {
		if strings.HasPrefix(n, prefix) {
			nn := to + n[len(from):]
			if len(nn) > maxNameLength {
				return errNo("", "An inferior's new name would exceed %d octets", maxNameLength)
			}
			if _, ok := u.mailboxes[nn]; ok {
				return errNo("", "The new name of an inferior, %q, already exists", nn)
			}
			moves = append(moves, move{mb, nn})
		}
	}
	if err := u.ensureSuperiors(to); err != nil {
		return err
	}
	renames := make([]mailboxRename, len(moves))
	for i, m := range moves {
		renames[i] = mailboxRename{id: m.mb.id, newName: m.newName}
	}
	if err := u.srv.store.renameMailboxes(u.name, renames); err != nil {
		return storageFailure(u.srv, err)
	}
	for _, m := range moves {
		delete(u.mailboxes, m.mb.name)
	}
	for _, m := range moves {
		m.mb.name = m.newName
		u.mailboxes[m.newName] = m.mb
	}
	return nil
}

// renameInbox moves every message of INBOX to a new mailbox, leaving INBOX
// empty with its UIDVALIDITY and UIDNEXT; INBOX's inferiors stay (RFC 3501
// section 6.3.5). The caller holds u.mu.
func (u *user) renameInbox(inbox *mailbox, to string) *statusError {
	if err := u.ensureSuperiors(to); err != nil {
		return err
	}
	dst := u.newMailbox(to, true)
	inbox.mu.Lock()
	defer inbox.mu.Unlock()
	recs := make([]messageRecord, len(inbox.msgs))
	msgs := make([]*message, len(inbox.msgs))
	dst.uidNext = inbox.uidNext
	for i, m := range inbox.msgs {
		nm := &message{uid: m.uid, date: m.date, raw: m.raw, modseq: 1, unclaimed: m.unclaimed}
		nm.parsed.Store(m.parsed.Load())
		nm.flags = dst.importFlags(inbox.flagNames(m.flags))
		msgs[i] = nm
		recs[i] = messageRecord{uid: nm.uid, date: nm.date, flags: dst.flagNames(nm.flags), modseq: 1, contents: nm.raw}
	}
	dst.msgs = msgs
	if len(msgs) > 0 {
		dst.modseq = 1
	}
	if err := u.addMailbox(dst); err != nil {
		return err
	}
	if len(recs) > 0 {
		if err := u.srv.store.appendMessages(u.name, dst.id, dst.uidNext, recs); err != nil {
			delete(u.mailboxes, to)
			return storageFailure(u.srv, err)
		}
	}
	if len(inbox.msgs) > 0 {
		uids := make([]uint32, len(inbox.msgs))
		for i, m := range inbox.msgs {
			uids[i] = m.uid
		}
		if err := u.srv.store.expunge(u.name, inbox.id, uids, inbox.modseq+1); err != nil {
			return storageFailure(u.srv, err)
		}
	}
	inbox.expungeAllLocked()
	return nil
}

// listEntry is one name of a LIST or LSUB answer.
type listEntry struct {
	name       string
	selectable bool
	children   bool
}

// names returns every name of the hierarchy with its attributes, sorted
// with INBOX first.
func (u *user) names() []listEntry {
	u.mu.Lock()
	defer u.mu.Unlock()
	parents := map[string]bool{}
	for n := range u.mailboxes {
		parents[parentName(n)] = true
	}
	out := make([]listEntry, 0, len(u.mailboxes))
	for n, mb := range u.mailboxes {
		out = append(out, listEntry{name: n, selectable: mb.selectable, children: parents[n]})
	}
	sortNames(out)
	return out
}

// sortNames orders names as LIST returns them: INBOX and its inferiors
// first, then the others in octet order.
func sortNames(l []listEntry) {
	inInbox := func(n string) bool { return n == "INBOX" || strings.HasPrefix(n, "INBOX/") }
	sort.Slice(l, func(i, j int) bool {
		a, b := l[i].name, l[j].name
		if inInbox(a) != inInbox(b) {
			return inInbox(a)
		}
		return a < b
	})
}

// subscribe implements SUBSCRIBE (RFC 3501 section 6.3.6). The name must
// exist (the RFC allows the check; Dovecot makes it too).
func (u *user) subscribe(name string) *statusError {
	name = canonicalName(name)
	u.mu.Lock()
	defer u.mu.Unlock()
	if _, ok := u.mailboxes[name]; !ok {
		return errNo("", "Mailbox does not exist")
	}
	if _, ok := u.subscribed[name]; ok {
		return nil
	}
	if len(u.subscribed) >= maxSubscriptions {
		return errNo("", "Too many subscriptions (limit %d)", maxSubscriptions)
	}
	if err := u.srv.store.setSubscribed(u.name, name, true); err != nil {
		return storageFailure(u.srv, err)
	}
	u.subscribed[name] = struct{}{}
	return nil
}

// unsubscribe implements UNSUBSCRIBE (RFC 3501 section 6.3.7). Removing a
// name that is not subscribed succeeds: the name is not in the list
// afterwards, as asked.
func (u *user) unsubscribe(name string) *statusError {
	name = canonicalName(name)
	u.mu.Lock()
	defer u.mu.Unlock()
	if _, ok := u.subscribed[name]; !ok {
		return nil
	}
	if err := u.srv.store.setSubscribed(u.name, name, false); err != nil {
		return storageFailure(u.srv, err)
	}
	delete(u.subscribed, name)
	return nil
}

// subscriptions returns the subscribed names with their attributes as the
// hierarchy has them (a name that no longer exists is not selectable).
func (u *user) subscriptions() []listEntry {
	u.mu.Lock()
	defer u.mu.Unlock()
	out := make([]listEntry, 0, len(u.subscribed))
	for n := range u.subscribed {
		e := listEntry{name: n}
		if mb, ok := u.mailboxes[n]; ok {
			e.selectable = mb.selectable
		}
		out = append(out, e)
	}
	sortNames(out)
	return out
}

// keywordIndex returns the index of keyword kw (case-insensitive), adding it
// when add is set; the caller holds mb.mu for writing when add is set.
func (mb *mailbox) keywordIndex(kw string, add bool) (uint16, bool) {
	for i, k := range mb.keywords {
		if strings.EqualFold(k, kw) {
			return uint16(i), true
		}
	}
	if !add || len(mb.keywords) >= maxKeywords {
		return 0, false
	}
	mb.keywords = append(mb.keywords, kw)
	return uint16(len(mb.keywords) - 1), true
}

// checkKeywords reports whether the keywords can all be stored; the caller
// holds mb.mu.
func (mb *mailbox) checkKeywords(kws []string) *statusError {
	n := len(mb.keywords)
	for _, kw := range kws {
		if _, ok := mb.keywordIndex(kw, false); !ok {
			n++
		}
	}
	if n > maxKeywords {
		return errNo("", "Too many keywords in this mailbox (limit %d)", maxKeywords)
	}
	return nil
}

// importFlags converts flag names (already checked) to a flagSet, adding
// keywords to the mailbox as needed; the caller holds mb.mu for writing.
func (mb *mailbox) importFlags(names []string) flagSet {
	var f flagSet
	p, _ := parseFlags(names)
	f.sys = p.sys
	for _, kw := range p.keywords {
		if k, ok := mb.keywordIndex(kw, true); ok && !f.has(k) {
			f.keywords = append(f.keywords, k)
		}
	}
	sort.Slice(f.keywords, func(i, j int) bool { return f.keywords[i] < f.keywords[j] })
	return f
}

// flagNames returns the names of the flags in f; the caller holds mb.mu.
func (mb *mailbox) flagNames(f flagSet) []string {
	var out []string
	for _, sf := range systemFlags {
		if f.sys&sf.bit != 0 {
			out = append(out, sf.name)
		}
	}
	for _, k := range f.keywords {
		out = append(out, mb.keywords[k])
	}
	return out
}

// expungeAllLocked removes every message and tells the views; the caller
// holds mb.mu for writing.
func (mb *mailbox) expungeAllLocked() {
	if len(mb.msgs) == 0 {
		return
	}
	mb.modseq++
	for _, m := range mb.msgs {
		m.expunged = true
	}
	for v := range mb.views {
		v.pendingExpunge = append(v.pendingExpunge, mb.msgs...)
	}
	mb.msgs = nil
}

// newMessage is a message about to be added by APPEND, COPY or Server.Append.
type newMessage struct {
	raw   []byte
	date  time.Time
	flags []string // checked by parseFlags
	// parsed, when set, is the analysis of raw, shared with a copy's source.
	parsed *mail.Message
}

// appendMessages adds messages with consecutive new UIDs, all or none
// (RFC 3501 sections 6.3.11 and 6.4.7). They are \Recent until a session
// claims them. It returns the new UIDs.
func (mb *mailbox) appendMessages(nms []newMessage) ([]uint32, *statusError) {
	mb.mu.Lock()
	defer mb.mu.Unlock()
	if mb.deleted {
		return nil, errNo("TRYCREATE", "Mailbox does not exist")
	}
	if uint64(mb.uidNext)+uint64(len(nms)) > 1<<32-1 {
		return nil, errNo("", "This mailbox has used up its unique identifiers; a new mailbox is needed")
	}
	var kws []string
	for _, nm := range nms {
		p, _ := parseFlags(nm.flags)
		kws = append(kws, p.keywords...)
	}
	if err := mb.checkKeywords(kws); err != nil {
		return nil, err
	}
	modseq := mb.modseq + 1
	recs := make([]messageRecord, len(nms))
	msgs := make([]*message, len(nms))
	uids := make([]uint32, len(nms))
	nkw := len(mb.keywords)
	for i, nm := range nms {
		m := &message{uid: mb.uidNext + uint32(i), date: nm.date, raw: nm.raw, modseq: modseq, unclaimed: true}
		if nm.parsed != nil {
			m.parsed.Store(nm.parsed)
		}
		m.flags = mb.importFlags(nm.flags)
		msgs[i] = m
		uids[i] = m.uid
		recs[i] = messageRecord{uid: m.uid, date: m.date, flags: mb.flagNames(m.flags), modseq: modseq, contents: m.raw}
	}
	if err := mb.owner.srv.store.appendMessages(mb.owner.name, mb.id, mb.uidNext+uint32(len(nms)), recs); err != nil {
		mb.keywords = mb.keywords[:nkw]
		return nil, storageFailure(mb.owner.srv, err)
	}
	mb.uidNext += uint32(len(nms))
	mb.modseq = modseq
	mb.msgs = append(mb.msgs, msgs...)
	return uids, nil
}

// mailboxStatus is what STATUS and SELECT report about a mailbox.
type mailboxStatus struct {
	messages, recent, unseen uint32
	uidNext, uidValidity     uint32
	firstUnseen              uint32 // sequence number of the first unseen message as of now, 0 if none
}

// status returns the mailbox's counts. RECENT counts the messages no session
// has been told about yet: those a SELECT would report as \Recent.
func (mb *mailbox) status() mailboxStatus {
	mb.mu.RLock()
	defer mb.mu.RUnlock()
	st := mailboxStatus{messages: uint32(len(mb.msgs)), uidNext: mb.uidNext, uidValidity: mb.uidValidity}
	for i, m := range mb.msgs {
		if m.unclaimed {
			st.recent++
		}
		if m.flags.sys&flagSeen == 0 {
			st.unseen++
			if st.firstUnseen == 0 {
				st.firstUnseen = uint32(i + 1)
			}
		}
	}
	return st
}
