package referenceserver

import (
	"sort"
	"strconv"

	"github.com/imapgauge/imapgauge/reference-server/internal/command"
)

// view is a session's image of its selected mailbox: the messages in the
// order of this session's message sequence numbers (RFC 3501 section
// 2.3.1.2), the messages that are \Recent in this session, and the changes
// other sessions made that this one has not been told about yet.
//
// The session alone reads and changes msgs, recent, lastUID and keywords;
// pendingExpunge and pendingFlags are filled by other sessions and drained by
// this one, both under the mailbox's lock.
type view struct {
	mb       *mailbox
	readOnly bool

	msgs     []*message // sequence number n is msgs[n-1]; ascending UID
	recent   map[*message]struct{}
	lastUID  uint32 // every message with a higher UID is new to this view
	keywords int    // keywords announced by the last FLAGS response

	// guarded by mb.mu
	pendingExpunge []*message
	pendingFlags   map[*message]struct{}
}

// selectInfo is what SELECT and EXAMINE report (RFC 3501 section 6.3.1).
type selectInfo struct {
	exists, recent, firstUnseen uint32
	uidValidity, uidNext        uint32
	keywords                    []string
}

// open selects the mailbox: a new view holding every message. A read-write
// view takes \Recent from the messages no session has seen; a read-only one
// shows them as \Recent but leaves them for the next session (RFC 3501
// section 6.3.2: EXAMINE must not make messages lose \Recent).
func (mb *mailbox) open(readOnly bool) (*view, selectInfo, *statusError) {
	mb.mu.Lock()
	defer mb.mu.Unlock()
	if mb.deleted {
		return nil, selectInfo{}, errNo("", "Mailbox does not exist")
	}
	v := &view{
		mb:           mb,
		readOnly:     readOnly,
		msgs:         append([]*message(nil), mb.msgs...),
		recent:       map[*message]struct{}{},
		lastUID:      mb.uidNext - 1,
		keywords:     len(mb.keywords),
		pendingFlags: map[*message]struct{}{},
	}
	info := selectInfo{exists: uint32(len(v.msgs)), uidValidity: mb.uidValidity, uidNext: mb.uidNext, keywords: append([]string(nil), mb.keywords...)}
	for i, m := range v.msgs {
		if m.unclaimed {
			v.recent[m] = struct{}{}
			if !readOnly {
				m.unclaimed = false
			}
		}
		if info.firstUnseen == 0 && m.flags.sys&flagSeen == 0 {
			info.firstUnseen = uint32(i + 1)
		}
	}
	info.recent = uint32(len(v.recent))
	mb.views[v] = struct{}{}
	return v, info, nil
}

// close deselects: the view stops receiving updates, and the messages that
// were \Recent in it are \Recent nowhere any more.
func (v *view) close() {
	v.mb.mu.Lock()
	delete(v.mb.views, v)
	v.mb.mu.Unlock()
}

// isRecent reports whether m is \Recent in this session.
func (v *view) isRecent(m *message) bool {
	_, ok := v.recent[m]
	return ok
}

// seqOf returns the index in v.msgs of the message with that UID, or -1.
func (v *view) seqOf(uid uint32) int {
	i := sort.Search(len(v.msgs), func(i int) bool { return v.msgs[i].uid >= uid })
	if i < len(v.msgs) && v.msgs[i].uid == uid {
		return i
	}
	return -1
}

// sync brings the view up to date and appends the untagged responses that
// tell the client (RFC 3501 sections 5.2, 7.3.1, 7.3.2, 7.4.1): FLAGS when
// keywords were added, EXPUNGE for messages other sessions removed (only when
// allowExpunge: never during FETCH, STORE or SEARCH, section 7.4.1), EXISTS
// and RECENT for new messages, and FETCH FLAGS for flags other sessions
// changed. During a UID command (uid set) those FETCH responses carry the
// UID too (section 6.4.8: "any FETCH response caused by a UID command"). The
// responses are built under the mailbox's lock and written after it is
// released, so a slow client never holds other sessions up.
func (v *view) sync(dst []byte, allowExpunge, uid bool) []byte {
	mb := v.mb
	mb.mu.Lock()
	defer mb.mu.Unlock()
	if len(mb.keywords) > v.keywords {
		v.keywords = len(mb.keywords)
		dst = appendFlagsResponses(dst, mb.keywords, v.readOnly)
	}
	if allowExpunge && len(v.pendingExpunge) > 0 {
		var idx []int
		for _, m := range v.pendingExpunge {
			if i := v.seqOf(m.uid); i >= 0 && v.msgs[i] == m {
				idx = append(idx, i)
			}
		}
		sort.Ints(idx)
		removed := 0
		for k, i := range idx {
			if k > 0 && idx[k-1] == i {
				continue
			}
			// Each EXPUNGE renumbers the messages after it, so the
			// n-th removal in ascending order is at i+1-n.
			dst = append(dst, "* "...)
			dst = strconv.AppendInt(dst, int64(i+1-removed), 10)
			dst = append(dst, " EXPUNGE\r\n"...)
			m := v.msgs[i]
			delete(v.recent, m)
			delete(v.pendingFlags, m)
			v.msgs[i] = nil
			removed++
		}
		if removed > 0 {
			out := v.msgs[:0]
			for _, m := range v.msgs {
				if m != nil {
					out = append(out, m)
				}
			}
			clear(v.msgs[len(out):])
			v.msgs = out
		}
		v.pendingExpunge = v.pendingExpunge[:0]
	}
	start := sort.Search(len(mb.msgs), func(i int) bool { return mb.msgs[i].uid > v.lastUID })
	if start < len(mb.msgs) {
		for _, m := range mb.msgs[start:] {
			v.msgs = append(v.msgs, m)
			if m.unclaimed {
				v.recent[m] = struct{}{}
				if !v.readOnly {
					m.unclaimed = false
				}
			}
		}
		v.lastUID = mb.msgs[len(mb.msgs)-1].uid
		dst = append(dst, "* "...)
		dst = strconv.AppendInt(dst, int64(len(v.msgs)), 10)
		dst = append(dst, " EXISTS\r\n* "...)
		dst = strconv.AppendInt(dst, int64(len(v.recent)), 10)
		dst = append(dst, " RECENT\r\n"...)
	}
	if len(v.pendingFlags) > 0 {
		idx := make([]int, 0, len(v.pendingFlags))
		for m := range v.pendingFlags {
			if m.expunged {
				continue
			}
			if i := v.seqOf(m.uid); i >= 0 && v.msgs[i] == m {
				idx = append(idx, i)
			}
		}
		sort.Ints(idx)
		for _, i := range idx {
			m := v.msgs[i]
			dst = append(dst, "* "...)
			dst = strconv.AppendInt(dst, int64(i+1), 10)
			dst = append(dst, " FETCH ("...)
			if uid {
				dst = append(dst, "UID "...)
				dst = strconv.AppendUint(dst, uint64(m.uid), 10)
				dst = append(dst, ' ')
			}
			dst = append(dst, "FLAGS ("...)
			dst = mb.appendFlagNames(dst, m.flags, v.isRecent(m))
			dst = append(dst, "))\r\n"...)
		}
		clear(v.pendingFlags)
	}
	return dst
}

// appendFlagsResponses appends the FLAGS response and the PERMANENTFLAGS
// response code (RFC 3501 sections 7.2.6 and 7.1): every system flag and
// keyword; in a read-write mailbox all of them can be stored and new
// keywords created (\*), in a read-only one none.
func appendFlagsResponses(dst []byte, keywords []string, readOnly bool) []byte {
	dst = append(dst, `* FLAGS (\Answered \Flagged \Deleted \Seen \Draft`...)
	for _, k := range keywords {
		dst = append(dst, ' ')
		dst = append(dst, k...)
	}
	dst = append(dst, ")\r\n"...)
	if readOnly {
		return append(dst, "* OK [PERMANENTFLAGS ()] No permanent flags: the mailbox is read-only\r\n"...)
	}
	dst = append(dst, `* OK [PERMANENTFLAGS (\Answered \Flagged \Deleted \Seen \Draft`...)
	for _, k := range keywords {
		dst = append(dst, ' ')
		dst = append(dst, k...)
	}
	return append(dst, ` \*)] Flags and new keywords can be stored`+"\r\n"...)
}

// seqRanges normalises a sequence set against max, the value of "*": each
// range ascending, sorted, overlaps merged.
func seqRanges(set command.SeqSet, max uint32) []command.SeqRange {
	out := make([]command.SeqRange, 0, len(set))
	for _, r := range set {
		a, b := r.Start, r.Stop
		if a == 0 {
			a = max
		}
		if b == 0 {
			b = max
		}
		if a > b {
			a, b = b, a
		}
		out = append(out, command.SeqRange{Start: a, Stop: b})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Start < out[j].Start })
	merged := out[:0]
	for _, r := range out {
		if n := len(merged); n > 0 && uint64(r.Start) <= uint64(merged[n-1].Stop)+1 {
			if r.Stop > merged[n-1].Stop {
				merged[n-1].Stop = r.Stop
			}
			continue
		}
		merged = append(merged, r)
	}
	return merged
}

// bySeq returns the indexes into v.msgs of a set of message sequence
// numbers. A number beyond the last message, or "*" in an empty mailbox, is
// a BAD (RFC 3501 section 9, seq-number).
func (v *view) bySeq(set command.SeqSet) ([]int, *statusError) {
	n := uint32(len(v.msgs))
	if n == 0 {
		return nil, errBad("No messages: the mailbox is empty (RFC 3501 section 9: seq-number)")
	}
	ranges := seqRanges(set, n)
	var out []int
	for _, r := range ranges {
		if r.Stop > n {
			return nil, errBad("No message with sequence number %d: the mailbox has %d", r.Stop, n)
		}
		for i := r.Start; i <= r.Stop; i++ {
			out = append(out, int(i-1))
		}
	}
	return out, nil
}

// byUID returns the indexes into v.msgs of the messages whose UID is in set.
// "*" is the UID of the last message, or UIDNEXT in an empty mailbox; UIDs
// that no message has are ignored (RFC 3501 sections 6.4.8 and 9).
func (v *view) byUID(set command.SeqSet) []int {
	var max uint32
	if len(v.msgs) > 0 {
		max = v.msgs[len(v.msgs)-1].uid
	} else {
		max = v.lastUID + 1
	}
	var out []int
	for _, r := range seqRanges(set, max) {
		i := sort.Search(len(v.msgs), func(i int) bool { return v.msgs[i].uid >= r.Start })
		for ; i < len(v.msgs) && v.msgs[i].uid <= r.Stop; i++ {
			out = append(out, i)
		}
	}
	return out
}

// inSet reports, for each message of the view, whether its sequence number
// (or UID, when uid is set) is in set, for SEARCH. In SEARCH a sequence set
// is a criterion: numbers beyond the last message match nothing (the BAD of
// RFC 3501 section 9, seq-number, is for COPY, FETCH and STORE).
func (v *view) inSet(set command.SeqSet, uid bool) []bool {
	member := make([]bool, len(v.msgs))
	if uid {
		for _, i := range v.byUID(set) {
			member[i] = true
		}
		return member
	}
	n := uint32(len(v.msgs))
	if n == 0 {
		return member
	}
	for _, r := range seqRanges(set, n) {
		for i := r.Start; i <= r.Stop && i <= n; i++ {
			member[i-1] = true
		}
	}
	return member
}
