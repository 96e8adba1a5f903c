package rfc3501

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/imapgauge/imapgauge/conformance"
	"github.com/imapgauge/imapgauge/conformance/fault"
	"github.com/imapgauge/imapgauge/conformance/grammar"
	"github.com/imapgauge/imapgauge/conformance/wire"
)

// This file holds what the message-attribute, state and multi-session cases
// (RFC 3501 sections 2.3, 3, 5.2 and 5.5) share: labelled messages that a
// case can find again, readings of FETCH and response codes, and a model of
// a session's message sequence numbers that follows EXISTS and EXPUNGE
// responses as RFC 3501 sections 7.3.1 and 7.4.1 define them.

// labelledMessage returns a small message with CRLF line ends whose Subject
// and Message-ID carry label, so that a case can tell its messages apart.
func labelledMessage(label string) []byte {
	return []byte("From: Ann Example <ann@example.org>\r\n" +
		"To: Bob Example <bob@example.org>\r\n" +
		"Subject: " + label + "\r\n" +
		"Date: Mon, 7 Feb 1994 21:52:25 -0800\r\n" +
		"Message-ID: <" + label + "@imapgauge.example>\r\n" +
		"\r\n" +
		"This is the message labelled " + label + ".\r\n")
}

// fetchByNumber returns the FETCH responses of r for message number seq.
func fetchByNumber(r *conformance.Reply, seq uint32) []*grammar.FetchData {
	var out []*grammar.FetchData
	for _, u := range r.All("FETCH") {
		if u.Number == seq {
			out = append(out, u.Fetch)
		}
	}
	return out
}

// requireFetch returns the first FETCH response of r for message seq that
// carries item (UID, FLAGS, RFC822.SIZE...), failing the case when there is
// none.
func requireFetch(t *conformance.T, r *conformance.Reply, seq uint32, item string) *grammar.FetchData {
	for _, f := range fetchByNumber(r, seq) {
		if f.Has(item) {
			return f
		}
	}
	t.Mismatch([]string{fmt.Sprintf("* %d FETCH (... %s ...)", seq, item)}, describeUntagged(r),
		"%s: no %s for message %d", r.Command, item, seq)
	return nil
}

// fetchUIDList sends line (a FETCH or UID FETCH asking for UID of every
// message, count of them) and returns the UIDs by message sequence number:
// uids[0] is message 1. A missing message, a second differing answer for
// one, or a number beyond count fails the case.
func fetchUIDList(t *conformance.T, s *conformance.Session, line string, count int) []uint32 {
	r := s.Tx("OK", line)
	uids := make([]uint32, count)
	for _, u := range r.All("FETCH") {
		if !u.Fetch.Has("UID") {
			continue
		}
		if u.Number < 1 || int(u.Number) > count {
			t.Mismatch([]string{fmt.Sprintf("message numbers 1 to %d", count)}, show1(u),
				"%s: a FETCH response for message %d, but the session knows %d messages", r.Command, u.Number, count)
		}
		if prev := uids[u.Number-1]; prev != 0 && prev != u.Fetch.UID {
			t.Mismatch([]string{fmt.Sprintf("UID %d for message %d", prev, u.Number)}, show1(u),
				"%s: two different UIDs for message %d", r.Command, u.Number)
		}
		uids[u.Number-1] = u.Fetch.UID
	}
	for i, uid := range uids {
		if uid == 0 {
			t.Mismatch([]string{fmt.Sprintf("* %d FETCH (UID n)", i+1)}, describeUntagged(r),
				"%s: no UID for message %d of %d", r.Command, i+1, count)
		}
	}
	return uids
}

// codeNumber returns the number of the response code name (UIDVALIDITY,
// UIDNEXT, UNSEEN) in the untagged or tagged responses of r.
func codeNumber(r *conformance.Reply, name string) (uint32, bool) {
	for _, u := range append(r.Untagged, r.Tagged) {
		if u.Code != nil && u.Code.Name == name {
			return u.Code.Number, true
		}
	}
	return 0, false
}

// requireCode returns the number of the response code name in r, failing
// the case when r has none.
func requireCode(t *conformance.T, r *conformance.Reply, name string) uint32 {
	n, ok := codeNumber(r, name)
	if !ok {
		t.Mismatch([]string{"* OK [" + name + " n]"}, describeUntagged(r), "%s: no %s response code", r.Command, name)
	}
	return n
}

// statusItem sends STATUS mailbox (item) and returns the item's value.
func statusItem(t *conformance.T, s *conformance.Session, mailbox, item string) uint64 {
	r := s.Cmd("OK", "STATUS", wire.Astring(mailbox), listOf(item))
	st := r.One("STATUS").Status
	v, ok := st.Items[item]
	if !ok {
		t.Mismatch([]string{"STATUS data with " + item}, show1(r.One("STATUS")), "%s: no %s in the STATUS response", r.Command, item)
	}
	return v
}

// existsCount returns the number of the last EXISTS response of r, and
// whether there was one.
func existsCount(r *conformance.Reply) (uint32, bool) {
	all := r.All("EXISTS")
	if len(all) == 0 {
		return 0, false
	}
	return all[len(all)-1].Number, true
}

// show1 renders one response for a failure message.
func show1(r *grammar.Response) string {
	return strings.TrimRight(firstLineOf(r.Raw), "\r\n")
}

func firstLineOf(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i+1]
	}
	return s
}

// describeUntagged lists the first lines of r's untagged responses, or says
// there were none.
func describeUntagged(r *conformance.Reply) string {
	if len(r.Untagged) == 0 {
		return "no untagged response"
	}
	lines := make([]string, len(r.Untagged))
	for i, u := range r.Untagged {
		lines[i] = show1(u)
	}
	return strings.Join(lines, " / ")
}

// seqModel is what a client knows of the selected mailbox: the UIDs of its
// messages by message sequence number, 0 for a message announced by EXISTS
// whose UID the client has not fetched yet. It follows EXISTS and EXPUNGE
// responses in the order they arrive, as RFC 3501 section 7.4.1 requires of
// a client, and fails the case on the updates a server must never send.
type seqModel struct {
	t    *conformance.T
	uids []uint32
}

// newSeqModel starts a model from the UIDs of the messages, by sequence
// number.
func newSeqModel(t *conformance.T, uids []uint32) *seqModel {
	return &seqModel{t: t, uids: append([]uint32(nil), uids...)}
}

// count is the number of messages the session knows.
func (m *seqModel) count() int { return len(m.uids) }

// apply follows the EXISTS and EXPUNGE responses of r in order. An EXISTS
// that would reduce the number of messages (section 5.2) or an EXPUNGE of a
// message the session does not know (section 7.4.1) fails the case.
func (m *seqModel) apply(r *conformance.Reply) {
	for _, u := range r.Untagged {
		switch u.Name {
		case "EXISTS":
			n := int(u.Number)
			if n < len(m.uids) {
				m.t.Mismatch([]string{fmt.Sprintf("* n EXISTS with n >= %d, or EXPUNGE responses", len(m.uids))}, show1(u),
					"%s: an EXISTS response reduced the number of messages from %d to %d (only EXPUNGE may do this)", r.Command, len(m.uids), n)
			}
			for len(m.uids) < n {
				m.uids = append(m.uids, 0)
			}
		case "EXPUNGE":
			n := int(u.Number)
			if n < 1 || n > len(m.uids) {
				m.t.Mismatch([]string{fmt.Sprintf("* n EXPUNGE with 1 <= n <= %d", len(m.uids))}, show1(u),
					"%s: an EXPUNGE response for message %d, but the session knows %d messages", r.Command, n, len(m.uids))
			}
			m.uids = append(m.uids[:n-1], m.uids[n:]...)
		}
	}
}

// expungeCount is the number of EXPUNGE responses in r.
func expungeCount(r *conformance.Reply) int { return len(r.All("EXPUNGE")) }

// verify fetches the UIDs of every message the model knows with line (a
// FETCH or UID FETCH of UID over all of them) and fails the case when they
// differ from the model: the server's sequence numbers and the ones its
// responses taught the session have parted. Unknown UIDs are learnt.
func (m *seqModel) verify(s *conformance.Session, line string) {
	r := s.Tx("OK", line)
	m.apply(r)
	got := make([]uint32, len(m.uids))
	for _, u := range r.All("FETCH") {
		if !u.Fetch.Has("UID") {
			continue
		}
		if u.Number < 1 || int(u.Number) > len(m.uids) {
			m.t.Mismatch([]string{fmt.Sprintf("message numbers 1 to %d", len(m.uids))}, show1(u),
				"%s: a FETCH response for message %d, but the session knows %d messages", r.Command, u.Number, len(m.uids))
		}
		got[u.Number-1] = u.Fetch.UID
	}
	for i := range m.uids {
		switch {
		case got[i] == 0:
			m.t.Mismatch([]string{fmt.Sprintf("* %d FETCH (UID n)", i+1)}, describeUntagged(r),
				"%s: no UID for message %d, which the session knows to exist", r.Command, i+1)
		case m.uids[i] == 0:
			m.uids[i] = got[i]
		case m.uids[i] != got[i]:
			m.t.Mismatch([]string{"UIDs by message number " + uidSeq(m.uids)}, "UIDs by message number "+uidSeq(got),
				"%s: message %d is UID %d, but the responses so far make it UID %d", r.Command, i+1, got[i], m.uids[i])
		}
	}
	for i := 1; i < len(m.uids); i++ {
		if m.uids[i] <= m.uids[i-1] {
			m.t.Mismatch([]string{"UIDs strictly ascending with the message number"}, "UIDs by message number "+uidSeq(m.uids),
				"%s: message %d has UID %d, not above message %d's UID %d", r.Command, i+1, m.uids[i], i, m.uids[i-1])
		}
	}
}

// uidSeq renders UIDs as "1:4 2:7 3:9" (message number:UID).
func uidSeq(uids []uint32) string {
	parts := make([]string, len(uids))
	for i, u := range uids {
		parts[i] = strconv.Itoa(i+1) + ":" + strconv.FormatUint(uint64(u), 10)
	}
	if len(parts) == 0 {
		return "(none)"
	}
	return strings.Join(parts, " ")
}

// rewriteNth is fault.RewriteResponse limited to the responses that come
// with the n-th completion of command on a connection (n from 1): the
// untagged responses before it and the tagged response itself.
func rewriteNth(name, command string, n int, pattern, repl string) fault.Fault {
	re := regexp.MustCompile(pattern)
	key := name + ": completions of " + command
	return fault.Fault{Name: name, Response: func(s *fault.State, raw []byte) ([]byte, fault.Action) {
		if !strings.EqualFold(s.Command, command) {
			return raw, fault.Forward
		}
		done, _ := s.Data[key].(int)
		if done+1 == n {
			raw = re.ReplaceAll(raw, []byte(repl))
		}
		if len(raw) > 0 && raw[0] != '*' && raw[0] != '+' {
			s.Data[key] = done + 1
		}
		return raw, fault.Forward
	}}
}
