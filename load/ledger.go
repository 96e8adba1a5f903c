package load

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/emersion/go-imap/v2"
)

// System flags the checks compare, as bits. Keywords and \Recent are left
// out: a server may add keywords of its own, and \Recent belongs to a session
// (RFC 3501 section 2.3.2).
const (
	flagSeen uint8 = 1 << iota
	flagAnswered
	flagFlagged
	flagDeleted
	flagDraft
)

var flagBits = []struct {
	flag imap.Flag
	bit  uint8
}{{imap.FlagSeen, flagSeen}, {imap.FlagAnswered, flagAnswered}, {imap.FlagFlagged, flagFlagged}, {imap.FlagDeleted, flagDeleted}, {imap.FlagDraft, flagDraft}}

func flagMask(flags []imap.Flag) uint8 {
	var m uint8
	for _, f := range flags {
		for _, b := range flagBits {
			if strings.EqualFold(string(f), string(b.flag)) {
				m |= b.bit
			}
		}
	}
	return m
}

func flagString(m uint8) string {
	var parts []string
	for _, b := range flagBits {
		if m&b.bit != 0 {
			parts = append(parts, string(b.flag))
		}
	}
	return "(" + strings.Join(parts, " ") + ")"
}

// Check names, as they appear in reports.Violation.Check. Each check's rule and
// its RFC basis are documented where it is made.
const (
	checkAppendMissing  = "append-missing"
	checkMoveMissing    = "move-missing"
	checkExpungeMissed  = "expunge-missed"
	checkUIDOrder       = "uid-order"
	checkUIDReuse       = "uid-reuse"
	checkUIDMismatch    = "uid-mismatch"
	checkStaticChanged  = "static-changed"
	checkContent        = "content-changed"
	checkFlagsDiverged  = "flags-diverged"
	checkNoNotification = "no-new-mail-notification"
	checkCheckpoint     = "checkpoint-disagree"
	checkUIDValidity    = "uidvalidity-decreased"
	checkExists         = "exists-decreased"
)

// ledgerMsg is what the generator knows for certain about one message it
// created: its content, where it must be, and its flags, updated only when
// the server acknowledged a change (tagged OK).
type ledgerMsg struct {
	id      string
	hash    uint64
	size    int64
	mailbox string // where it must be; "" once expunged
	// placedAt: acknowledgement of the APPEND or move that put it in
	// mailbox. removedFrom/removedAt: the mailbox it left and when.
	placedAt    time.Time
	removedFrom string
	removedAt   time.Time
	// inflight counts actions on the message that started and did not end;
	// while non-zero its location and flags are not judged.
	inflight int
	// untracked is set when an action on the message ended without a
	// status response: the server may or may not have done it, so the
	// message is no longer judged.
	untracked bool
	// Expected flags: exact when known; otherwise only must/mustNot.
	flags      uint8
	flagsKnown bool
	must       uint8
	mustNot    uint8
	changedAt  time.Time
	// Sync lag: version counts acknowledged changes; observed holds the
	// devices that saw the current version; lagDone once recorded.
	observed uint64
	lagDone  bool
	// mark and markFlags: the message was in the view being verified
	// (ledger.epoch), with these flags.
	mark      uint32
	markFlags uint8
	// reported holds the checks already reported for this message: one
	// lost message is one violation, however many devices miss it.
	reported uint8
}

// Bits of ledgerMsg.reported.
const (
	reportedMissing uint8 = 1 << iota
	reportedExpunge
	reportedFlags
	reportedSize
)

// once reports whether the check may be reported for m, and marks it.
func (m *ledgerMsg) once(bit uint8) bool {
	if m.reported&bit != 0 {
		return false
	}
	m.reported |= bit
	return true
}

// staticKey names one message of one mailbox incarnation.
type staticKey struct {
	mailbox     string
	uidValidity uint32
	uid         imap.UID
}

// staticVal is a message's static data (RFC 3501 section 2.3: UID, internal
// date and size never change).
type staticVal struct {
	id   string
	size int64
	date int64
}

// ledger is the ground truth of one user: every message the generator created
// and every change the server acknowledged, plus the static data any of the
// user's devices has observed. Devices report what they see to it; it decides
// whether that is a violation.
type ledger struct {
	u  *user
	mu sync.Mutex
	// msgs by Message-ID (generated, unique per run).
	msgs map[string]*ledgerMsg
	// static data seen per (mailbox, UIDVALIDITY, UID), and the UID a
	// generated message has in a mailbox incarnation.
	static  map[staticKey]staticVal
	uidOf   map[staticKey]imap.UID // key.uid is 0; mailbox+uidvalidity+id below
	uidByID map[idKey]imap.UID
	// expunged UIDs observed per mailbox incarnation: never to be seen again.
	expunged map[staticKey]struct{}
	// validity holds the UIDVALIDITY last seen per mailbox, to catch a
	// decrease (a handful of mailboxes: a slice is smaller than a map).
	validity []mailboxValidity
	// epoch numbers the verifications (see ledgerMsg.mark).
	epoch uint32
	// mismatched: messages already reported with two UIDs.
	mismatched map[idKey]bool
}

// mailboxValidity is one mailbox's highest UIDVALIDITY seen.
type mailboxValidity struct {
	mailbox string
	value   uint32
}

type idKey struct {
	mailbox     string
	uidValidity uint32
	id          string
}

func newLedger(u *user) *ledger {
	return &ledger{u: u, msgs: map[string]*ledgerMsg{}}
}

// maps allocates the observation maps on first use: most users of a large
// run observe little, and an empty map still costs memory. Caller holds l.mu.
func (l *ledger) maps() {
	if l.static == nil {
		l.static = map[staticKey]staticVal{}
		l.uidByID = map[idKey]imap.UID{}
	}
}

// observers is the set of devices that must see a change to a message in
// mailbox before its sync lag is recorded: the stateful devices that keep that
// mailbox.
func (l *ledger) observers(mailbox string) uint64 {
	var m uint64
	for i, d := range l.u.devices {
		if d.keeps(mailbox) {
			m |= 1 << uint(i)
		}
	}
	return m
}

// appended records a message the server acknowledged (APPEND tagged OK).
func (l *ledger) appended(id, mailbox string, hash uint64, size int64, at time.Time, flagsKnown bool, flags uint8) {
	l.mu.Lock()
	l.msgs[id] = &ledgerMsg{id: id, hash: hash, size: size, mailbox: mailbox, placedAt: at, changedAt: at,
		flagsKnown: flagsKnown, flags: flags}
	l.mu.Unlock()
}

// settled marks a message as not a change of the run: mail delivered while
// preparing the mailboxes does not count as sync lag.
func (l *ledger) settled(id string) {
	l.mu.Lock()
	if m := l.msgs[id]; m != nil {
		m.lagDone = true
	}
	l.mu.Unlock()
}

// uncertain records a message whose APPEND got no status response: it may or
// may not exist, so it is never judged missing.
func (l *ledger) uncertain(id string, hash uint64, size int64) {
	l.mu.Lock()
	l.msgs[id] = &ledgerMsg{id: id, hash: hash, size: size, untracked: true}
	l.mu.Unlock()
}

// begin marks an action on message id as started; it returns false when the
// message is not one the ledger can act on.
func (l *ledger) begin(id string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	m := l.msgs[id]
	if m == nil || m.untracked || m.mailbox == "" || m.inflight > 0 {
		return false
	}
	m.inflight++
	return true
}

// end marks the action finished. ok reports that the server answered it (OK
// or NO); a timeout or a broken connection leaves the message untracked.
func (l *ledger) end(id string, answered bool) {
	l.mu.Lock()
	if m := l.msgs[id]; m != nil {
		m.inflight--
		if !answered {
			m.untracked = true
		}
	}
	l.mu.Unlock()
}

// flagsChanged records an acknowledged STORE: add or remove bits. returned
// holds the FLAGS of the STORE's FETCH response (nil when the server sent
// none). It returns a violation message when the server's own answer
// contradicts the STORE (RFC 3501 section 6.4.6).
func (l *ledger) flagsChanged(id string, add bool, bits uint8, returned *uint8, at time.Time) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	m := l.msgs[id]
	if m == nil {
		return ""
	}
	bad := ""
	if returned != nil {
		r := *returned
		if add && r&bits != bits || !add && r&bits != 0 {
			bad = fmt.Sprintf("STORE %sFLAGS %s answered FLAGS %s", map[bool]string{true: "+", false: "-"}[add], flagString(bits), flagString(r))
		}
	}
	if returned != nil && bad == "" {
		m.flags, m.flagsKnown = *returned, true
		m.must, m.mustNot = 0, 0
	} else if m.flagsKnown {
		if add {
			m.flags |= bits
		} else {
			m.flags &^= bits
		}
	} else if add {
		m.must |= bits
		m.mustNot &^= bits
	} else {
		m.mustNot |= bits
		m.must &^= bits
	}
	m.changedAt = at
	m.observed = 0
	m.lagDone = false
	return bad
}

// removed records an acknowledged EXPUNGE (or the source side of a move) of
// message id from its mailbox.
func (l *ledger) removed(id string, at time.Time) {
	l.mu.Lock()
	if m := l.msgs[id]; m != nil {
		m.removedFrom, m.removedAt = m.mailbox, at
		m.mailbox = ""
		m.changedAt = at
		m.observed = 0
		m.lagDone = false
	}
	l.mu.Unlock()
}

// moved records an acknowledged move of id to dest. Flags in the destination
// are not asserted: RFC 3501 section 6.4.7 only says they SHOULD be preserved.
func (l *ledger) moved(id, dest string, at time.Time) {
	l.mu.Lock()
	if m := l.msgs[id]; m != nil {
		m.removedFrom, m.removedAt = m.mailbox, at
		m.mailbox, m.placedAt = dest, at
		m.flagsKnown, m.must, m.mustNot = false, 0, 0
		m.changedAt = at
		m.observed = 0
		m.lagDone = false
	}
	l.mu.Unlock()
}

// candidates returns the UIDs in a device's view of mailbox that an action
// may pick, ascending: generated messages the ledger knows there, not in
// flight, not untracked.
func (l *ledger) candidates(mailbox string, view map[imap.UID]*cached) []imap.UID {
	l.mu.Lock()
	defer l.mu.Unlock()
	var uids []imap.UID
	for uid, c := range view {
		m := l.msgs[c.id]
		if m != nil && !m.untracked && m.inflight == 0 && m.mailbox == mailbox {
			uids = append(uids, uid)
		}
	}
	slices.Sort(uids)
	return uids
}

// expectedFlags returns the flags the ledger expects for id, when known.
func (l *ledger) expectedFlags(id string) (uint8, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if m := l.msgs[id]; m != nil && m.flagsKnown {
		return m.flags, true
	}
	return 0, false
}

// content returns the hash and size of a generated message.
func (l *ledger) content(id string) (uint64, int64, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if m := l.msgs[id]; m != nil {
		return m.hash, m.size, true
	}
	return 0, 0, false
}

// finding is a violation found by the ledger, before it is given transcripts.
type finding struct {
	check, mailbox, message, expected, actual string
}

// observeStatic checks one observation of a message's static data: the same
// (mailbox, UIDVALIDITY, UID) must always be the same message with the same
// size and internal date (RFC 3501 section 2.3.1.1: a UID is never reused
// within a UIDVALIDITY; section 2.3.3 and 2.3.4: internal date and size do
// not change), a UID seen expunged must never come back, and one generated
// message has one UID per mailbox incarnation.
func (l *ledger) observeStatic(mailbox string, validity uint32, uid imap.UID, v staticVal) []finding {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.maps()
	var out []finding
	k := staticKey{mailbox, validity, uid}
	if _, gone := l.expunged[k]; gone {
		out = append(out, finding{check: checkUIDReuse, mailbox: mailbox,
			message:  fmt.Sprintf("UID %d was expunged earlier and is reported again", uid),
			expected: "an expunged UID is never reused (RFC 3501 section 2.3.1.1)", actual: fmt.Sprintf("UID %d, Message-ID %s", uid, v.id)})
		delete(l.expunged, k)
	}
	if old, ok := l.static[k]; ok {
		switch {
		case old.id != v.id:
			l.static[k] = v
			out = append(out, finding{check: checkUIDReuse, mailbox: mailbox,
				message:  fmt.Sprintf("UID %d names two different messages", uid),
				expected: "Message-ID " + old.id, actual: "Message-ID " + v.id})
		case old.size != v.size || old.date != v.date:
			l.static[k] = v
			out = append(out, finding{check: checkStaticChanged, mailbox: mailbox,
				message:  fmt.Sprintf("static data of UID %d changed (RFC 3501 sections 2.3.3, 2.3.4)", uid),
				expected: fmt.Sprintf("RFC822.SIZE %d, INTERNALDATE %s", old.size, time.Unix(old.date, 0).UTC().Format(time.RFC3339)),
				actual:   fmt.Sprintf("RFC822.SIZE %d, INTERNALDATE %s", v.size, time.Unix(v.date, 0).UTC().Format(time.RFC3339))})
		}
	} else {
		l.static[k] = v
	}
	if m := l.msgs[v.id]; m != nil {
		ik := idKey{mailbox, validity, v.id}
		if prev, ok := l.uidByID[ik]; ok && prev != uid && !l.mismatched[ik] {
			if l.mismatched == nil {
				l.mismatched = map[idKey]bool{}
			}
			l.mismatched[ik] = true
			// A generated message is in a mailbox once: two UIDs mean one
			// of them is wrong.
			out = append(out, finding{check: checkUIDMismatch, mailbox: mailbox,
				message:  fmt.Sprintf("message %s is reported with two UIDs", v.id),
				expected: fmt.Sprintf("UID %d", prev), actual: fmt.Sprintf("UID %d", uid)})
		} else if !ok {
			l.uidByID[ik] = uid
		}
		if v.size != m.size && m.once(reportedSize) {
			out = append(out, finding{check: checkStaticChanged, mailbox: mailbox,
				message:  fmt.Sprintf("RFC822.SIZE of %s differs from the %d bytes appended (RFC 3501 section 2.3.4)", v.id, m.size),
				expected: fmt.Sprint(m.size), actual: fmt.Sprint(v.size)})
		}
	}
	return out
}

// observeExpunged records that a device saw UID expunged from a mailbox.
func (l *ledger) observeExpunged(mailbox string, validity uint32, uid imap.UID) {
	l.mu.Lock()
	l.maps()
	k := staticKey{mailbox, validity, uid}
	if v, ok := l.static[k]; ok {
		delete(l.static, k)
		delete(l.uidByID, idKey{mailbox, validity, v.id})
	}
	if l.expunged == nil {
		l.expunged = map[staticKey]struct{}{}
	}
	l.expunged[k] = struct{}{}
	l.mu.Unlock()
}

// observeValidity checks a mailbox's UIDVALIDITY: RFC 3501 section 2.3.1.1
// lets it change only upwards ("MUST be greater than the one used in the
// earlier session").
func (l *ledger) observeValidity(mailbox string, v uint32) []finding {
	l.mu.Lock()
	defer l.mu.Unlock()
	i := 0
	for i < len(l.validity) && l.validity[i].mailbox != mailbox {
		i++
	}
	if i == len(l.validity) {
		l.validity = append(l.validity, mailboxValidity{mailbox: mailbox, value: v})
		return nil
	}
	old := l.validity[i].value
	l.validity[i].value = max(old, v)
	if v < old {
		return []finding{{check: checkUIDValidity, mailbox: mailbox, message: "UIDVALIDITY went down (RFC 3501 section 2.3.1.1)",
			expected: fmt.Sprintf(">= %d", old), actual: fmt.Sprint(v)}}
	}
	return nil
}

// syncView is what one device knows of one mailbox after a synchronisation.
type syncView struct {
	mailbox string
	msgs    map[imap.UID]*cached
	// started is when the synchronisation began: every change acknowledged
	// before it must show. complete says the view lists every message
	// (absence means absent); a partial view only vouches for what it shows.
	started  time.Time
	complete bool
	// continuing is set when the view comes from a session that stayed
	// selected, where expunges are announced (RFC 3501 section 5.2) rather
	// than read: the expunge grace applies.
	continuing bool
}

// verify compares a device's view with the ledger. Rules:
//
//   - append-missing / move-missing: a message whose APPEND or move into this
//     mailbox was acknowledged before the sync started, with no action on it
//     in flight, must be in a complete view (RFC 3501 sections 6.3.11, 6.4.7;
//     RFC 6851 section 3).
//   - expunge-missed: a message whose removal from this mailbox was
//     acknowledged before the sync started (minus the grace for a session
//     that stayed selected) must not be in the view (RFC 3501 sections 6.4.3,
//     7.4.1).
//   - flags-diverged: a message whose last flag change was acknowledged before
//     the sync started, with nothing in flight, must show exactly the
//     expected system flags, or satisfy the known constraints (RFC 3501
//     section 6.4.6).
//
// It also marks what the device has observed, to measure sync lag.
func (l *ledger) verify(dev *device, v *syncView, now time.Time, grace time.Duration) []finding {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []finding
	bit := uint64(1) << uint(dev.index)
	// Mark the generated messages the view shows (no map per call: this
	// runs after every synchronisation).
	l.epoch++
	for _, c := range v.msgs {
		if m := l.msgs[c.id]; m != nil {
			m.mark, m.markFlags = l.epoch, c.flags
		}
	}
	for id, m := range l.msgs {
		if m.untracked {
			continue
		}
		f, present := m.markFlags, m.mark == l.epoch
		switch {
		case m.mailbox == v.mailbox:
			if m.inflight > 0 || !m.placedAt.Before(v.started) {
				continue
			}
			if !present {
				if v.complete && m.once(reportedMissing) {
					check := checkAppendMissing
					if !m.removedAt.IsZero() {
						check = checkMoveMissing
					}
					out = append(out, finding{check: check, mailbox: v.mailbox,
						message:  fmt.Sprintf("message %s is missing %s after the server acknowledged it", id, agoText(m.placedAt, v.started)),
						expected: "present in " + v.mailbox, actual: "absent"})
				}
				continue
			}
			if m.changedAt.Before(v.started) {
				if m.flagsKnown {
					if f != m.flags {
						if !m.once(reportedFlags) {
							continue
						}
						out = append(out, finding{check: checkFlagsDiverged, mailbox: v.mailbox,
							message:  fmt.Sprintf("flags of %s differ from the acknowledged changes", id),
							expected: flagString(m.flags), actual: flagString(f)})
						continue
					}
				} else {
					if f&m.must != m.must || f&m.mustNot != 0 {
						if !m.once(reportedFlags) {
							continue
						}
						out = append(out, finding{check: checkFlagsDiverged, mailbox: v.mailbox,
							message:  fmt.Sprintf("flags of %s contradict the acknowledged changes", id),
							expected: fmt.Sprintf("with %s, without %s", flagString(m.must), flagString(m.mustNot)), actual: flagString(f)})
						continue
					}
					m.flags, m.flagsKnown, m.must, m.mustNot = f, true, 0, 0
				}
				l.observe(m, bit, v.mailbox, now)
			}
		case m.removedFrom == v.mailbox:
			if m.inflight > 0 {
				continue
			}
			limit := v.started
			if v.continuing {
				limit = limit.Add(-grace)
			}
			if present && m.removedAt.Before(limit) {
				if !m.once(reportedExpunge) {
					continue
				}
				out = append(out, finding{check: checkExpungeMissed, mailbox: v.mailbox,
					message:  fmt.Sprintf("message %s is still listed %s after its removal was acknowledged", id, agoText(m.removedAt, v.started)),
					expected: "absent from " + v.mailbox, actual: "present"})
				continue
			}
			if !present && v.complete && m.mailbox == "" && m.removedAt.Before(v.started) {
				l.observe(m, bit, v.mailbox, now)
			}
		}
	}
	return out
}

// observe marks that device bit has seen message m's latest state; when all
// the devices that keep the mailbox have, the sync lag is recorded.
func (l *ledger) observe(m *ledgerMsg, bit uint64, mailbox string, now time.Time) {
	if m.lagDone {
		return
	}
	m.observed |= bit
	want := l.observers(mailbox)
	if want != 0 && m.observed&want == want {
		m.lagDone = true
		l.u.r.metrics.recordSyncLag(now, now.Sub(m.changedAt))
	}
}

func agoText(t, ref time.Time) string {
	return fmt.Sprintf("%s", ref.Sub(t).Round(time.Millisecond))
}
