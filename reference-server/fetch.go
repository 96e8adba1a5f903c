package referenceserver

import (
	"strconv"
	"strings"

	"github.com/imapgauge/imapgauge/reference-server/internal/command"
	mail "github.com/imapgauge/imapgauge/reference-server/internal/message"
)

// internalDateLayout is date-time of RFC 3501 section 9, with the
// space-padded day of date-day-fixed.
const internalDateLayout = `"_2-Jan-2006 15:04:05 -0700"`

// fetchItem is a fetch attribute ready to be answered: its name in the
// response and how to produce its value.
type fetchItem struct {
	command.FetchItem
	name string // the name as it appears in the response: "BODY[1.TEXT]<0>"
}

// fetchItems prepares the items of a FETCH: duplicates (by response name)
// dropped, UID first for UID FETCH (RFC 3501 section 6.4.8).
func fetchItems(cmd *command.Command) []fetchItem {
	var out []fetchItem
	seen := map[string]bool{}
	add := func(it command.FetchItem) {
		name := fetchResponseName(it)
		if seen[name] {
			if it.Section != nil && !it.Peek {
				// BODY.PEEK[] and BODY[] both asked: the answer is
				// the same, but \Seen is set.
				for i := range out {
					if out[i].name == name {
						out[i].Peek = false
					}
				}
			}
			return
		}
		seen[name] = true
		out = append(out, fetchItem{FetchItem: it, name: name})
	}
	if cmd.UID {
		add(command.FetchItem{Name: "UID"})
	}
	for _, it := range cmd.FetchItems {
		add(it)
	}
	return out
}

// fetchResponseName is the name of an item in a FETCH response (RFC 3501
// section 7.4.2): BODY[section]<origin> for a section, with the header field
// names as the client gave them.
func fetchResponseName(it command.FetchItem) string {
	if it.Section == nil {
		return it.Name
	}
	var b strings.Builder
	b.WriteString("BODY[")
	b.WriteString(sectionString(it.Section))
	b.WriteByte(']')
	if it.Partial {
		b.WriteByte('<')
		b.WriteString(strconv.FormatUint(uint64(it.Origin), 10))
		b.WriteByte('>')
	}
	return b.String()
}

// sectionString renders a section-spec.
func sectionString(s *command.Section) string {
	var b strings.Builder
	for i, p := range s.Part {
		if i > 0 {
			b.WriteByte('.')
		}
		b.WriteString(strconv.Itoa(p))
	}
	if s.Specifier != "" {
		if len(s.Part) > 0 {
			b.WriteByte('.')
		}
		b.WriteString(s.Specifier)
	}
	if len(s.Fields) > 0 {
		b.WriteString(" (")
		for i, f := range s.Fields {
			if i > 0 {
				b.WriteByte(' ')
			}
			b.Write(appendAString(nil, f))
		}
		b.WriteByte(')')
	}
	return b.String()
}

// appendAString appends s as an astring: an atom when it is one, otherwise
// a string.
func appendAString(dst []byte, s string) []byte {
	if s != "" {
		atom := true
		for i := 0; i < len(s); i++ {
			c := s[i]
			if c <= 0x20 || c >= 0x7f || strings.IndexByte(`(){%*"\`, c) >= 0 {
				atom = false
				break
			}
		}
		if atom {
			return append(dst, s...)
		}
	}
	return mail.AppendString(dst, s)
}

// setsSeen reports whether fetching the item sets \Seen (RFC 3501 section
// 6.4.5): BODY[...] without .PEEK, RFC822 and RFC822.TEXT.
func (it fetchItem) setsSeen() bool {
	if it.Section != nil {
		return !it.Peek
	}
	return it.Name == "RFC822" || it.Name == "RFC822.TEXT"
}

// cmdFetch implements FETCH and UID FETCH (RFC 3501 sections 6.4.5 and
// 6.4.8). In a read-write mailbox, fetching body text sets \Seen, and the
// new FLAGS are then part of the response even if not asked for.
func (sess *session) cmdFetch(cmd *command.Command) error {
	v := sess.view
	idx, err := sess.resolve(cmd)
	if err != nil {
		return err
	}
	items := fetchItems(cmd)
	var changed map[*message]bool
	if !v.readOnly {
		for _, it := range items {
			if it.setsSeen() {
				changed = v.markSeen(idx)
				break
			}
		}
	}
	wantFlags := false
	for _, it := range items {
		if it.Name == "FLAGS" {
			wantFlags = true
		}
	}
	flags := v.flagSnapshot(idx, wantFlags, changed)
	for k, i := range idx {
		m := v.msgs[i]
		sess.out = append(sess.out, "* "...)
		sess.out = strconv.AppendInt(sess.out, int64(i+1), 10)
		sess.out = append(sess.out, " FETCH ("...)
		for j, it := range items {
			if j > 0 {
				sess.out = append(sess.out, ' ')
			}
			sess.fetchValue(m, it, flags[k])
		}
		if !wantFlags && changed[m] {
			sess.out = append(sess.out, " FLAGS ("...)
			sess.out = append(sess.out, flags[k]...)
			sess.out = append(sess.out, ')')
		}
		sess.out = append(sess.out, ")\r\n"...)
		if len(sess.out) > 32<<10 {
			sess.flushOut()
		}
	}
	return nil
}

// fetchValue appends one item of a message's FETCH response.
func (sess *session) fetchValue(m *message, it fetchItem, flags []byte) {
	sess.out = append(sess.out, it.name...)
	sess.out = append(sess.out, ' ')
	switch it.Name {
	case "UID":
		sess.out = strconv.AppendUint(sess.out, uint64(m.uid), 10)
		return
	case "FLAGS":
		sess.out = append(sess.out, '(')
		sess.out = append(sess.out, flags...)
		sess.out = append(sess.out, ')')
		return
	case "INTERNALDATE":
		sess.out = m.date.AppendFormat(sess.out, internalDateLayout)
		return
	case "RFC822.SIZE":
		sess.out = strconv.AppendInt(sess.out, int64(m.size()), 10)
		return
	case "ENVELOPE":
		sess.out = m.analysis().AppendEnvelope(sess.out)
		return
	case "BODYSTRUCTURE":
		sess.out = m.analysis().AppendBodyStructure(sess.out, true)
		return
	case "RFC822":
		sess.literal(m.raw)
		return
	case "RFC822.HEADER":
		data, _ := m.analysis().Section(mail.SectionSpec{Specifier: mail.SpecifierHeader})
		sess.literal(data)
		return
	case "RFC822.TEXT":
		data, _ := m.analysis().Section(mail.SectionSpec{Specifier: mail.SpecifierText})
		sess.literal(data)
		return
	case "BODY":
		if it.Section == nil {
			sess.out = m.analysis().AppendBodyStructure(sess.out, false)
			return
		}
	}
	data, ok := m.analysis().Section(mail.SectionSpec{Part: it.Section.Part, Specifier: it.Section.Specifier, Fields: it.Section.Fields})
	if !ok {
		sess.out = append(sess.out, "NIL"...)
		return
	}
	if it.Partial {
		// "If the origin is beyond the end of the data, an empty string
		// is returned" (RFC 3501 section 6.4.5).
		origin := int64(it.Origin)
		if origin >= int64(len(data)) {
			data = nil
		} else {
			data = data[origin:]
			if int64(len(data)) > int64(it.Count) {
				data = data[:it.Count]
			}
		}
	}
	sess.literal(data)
}

// literal appends data as a literal; large data goes straight to the
// connection's buffer.
func (sess *session) literal(data []byte) {
	sess.out = append(sess.out, '{')
	sess.out = strconv.AppendInt(sess.out, int64(len(data)), 10)
	sess.out = append(sess.out, "}\r\n"...)
	if len(data) > 4<<10 {
		sess.flushOut()
		sess.bw.Write(data)
		return
	}
	sess.out = append(sess.out, data...)
}

// markSeen sets \Seen on the messages at idx that lack it and returns them.
func (v *view) markSeen(idx []int) map[*message]bool {
	mb := v.mb
	mb.mu.Lock()
	defer mb.mu.Unlock()
	modseq := mb.modseq + 1
	var recs []flagRecord
	var ms []*message
	for _, i := range idx {
		m := v.msgs[i]
		if m.expunged || m.flags.sys&flagSeen != 0 {
			continue
		}
		nf := m.flags.clone()
		nf.sys |= flagSeen
		recs = append(recs, flagRecord{uid: m.uid, flags: mb.flagNames(nf), modseq: modseq})
		ms = append(ms, m)
	}
	if len(ms) == 0 {
		return nil
	}
	if err := mb.owner.srv.store.updateFlags(mb.owner.name, mb.id, recs); err != nil {
		storageFailure(mb.owner.srv, err)
		return nil
	}
	mb.modseq = modseq
	changed := make(map[*message]bool, len(ms))
	for _, m := range ms {
		m.flags.sys |= flagSeen
		m.modseq = modseq
		changed[m] = true
		for ov := range mb.views {
			if ov != v {
				ov.pendingFlags[m] = struct{}{}
			}
		}
	}
	return changed
}

// flagSnapshot renders the flags of the messages at idx (all of them when
// all is set, else only those in changed), read at one instant.
func (v *view) flagSnapshot(idx []int, all bool, changed map[*message]bool) [][]byte {
	out := make([][]byte, len(idx))
	if !all && len(changed) == 0 {
		return out
	}
	mb := v.mb
	mb.mu.RLock()
	defer mb.mu.RUnlock()
	for k, i := range idx {
		m := v.msgs[i]
		if all || changed[m] {
			out[k] = mb.appendFlagNames(nil, m.flags, v.isRecent(m))
		}
	}
	return out
}
