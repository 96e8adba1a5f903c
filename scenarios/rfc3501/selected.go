package rfc3501

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/imapgauge/imapgauge/conformance"
	"github.com/imapgauge/imapgauge/conformance/fault"
	"github.com/imapgauge/imapgauge/conformance/grammar"
	"github.com/imapgauge/imapgauge/conformance/wire"
)

// This file holds what the selected-state cases (RFC 3501 section 6.4:
// CHECK, CLOSE, EXPUNGE, SEARCH, STORE, COPY, UID) share: messages seeded
// into a private mailbox, and the readings of SEARCH, FETCH FLAGS and
// EXPUNGE responses the checks are built on.

// seedMessage is a message a case appends to its mailbox: its octets, and
// the flags and internal date APPEND gives it (RFC 3501 section 6.3.11).
type seedMessage struct {
	// flags are the flags given to APPEND, none when empty.
	flags []string
	// date is the date-time given to APPEND ("01-Mar-2021 12:00:00
	// +0000"); when empty the server picks the internal date.
	date string
	// text is the message, CRLF line ends.
	text []byte
}

// buildMessage builds a message from header lines and a body, with CRLF line
// ends. The body's own lines are joined with CRLF too.
func buildMessage(body string, headers ...string) []byte {
	var b strings.Builder
	for _, h := range headers {
		b.WriteString(h)
		b.WriteString("\r\n")
	}
	b.WriteString("\r\n")
	b.WriteString(strings.ReplaceAll(strings.ReplaceAll(body, "\r\n", "\n"), "\n", "\r\n"))
	return []byte(b.String())
}

// numberedMessages returns n small messages with the subjects "message 1" to
// "message n", no flags and the server's internal date.
func numberedMessages(n int) []seedMessage {
	out := make([]seedMessage, n)
	for i := range out {
		out[i] = seedMessage{text: buildMessage(fmt.Sprintf("Body of message %d.\n", i+1),
			"From: sender@example.org", "To: receiver@example.org",
			fmt.Sprintf("Subject: message %d", i+1),
			fmt.Sprintf("Message-ID: <seed-%d@example.org>", i+1))}
	}
	return out
}

// seededBox is a private mailbox filled with messages and selected in a
// session of user 1.
type seededBox struct {
	t *conformance.T
	// s is the session that appended the messages and selected the
	// mailbox; it holds their \Recent flags.
	s *conformance.Session
	// name is the mailbox name.
	name string
	// sel is the reply of the command that opened the mailbox last
	// (SELECT, or EXAMINE for seedAndOpen's read-only boxes).
	sel *conformance.Reply
	// uids are the UIDs of the messages by sequence number, uids[0] for
	// message 1.
	uids []uint32
	// datesKept reports whether every internal date APPEND was given was
	// kept, which section 6.3.11 asks with a SHOULD only.
	datesKept bool
}

// seedAndSelect creates a private mailbox for user 1, appends msgs in order
// and selects it in the same session, all as a fixture: a failure there is
// an ERROR, not a FAIL.
func seedAndSelect(t *conformance.T, msgs ...seedMessage) *seededBox {
	return seedAndOpen(t, "SELECT", msgs...)
}

// seedAndOpen is seedAndSelect with the command that opens the mailbox in
// the end: SELECT or EXAMINE.
//
// APPEND's flags and date-time are only a SHOULD (RFC 3501 section
// 6.3.11), so the fixture does not rely on them: it selects the mailbox,
// reads every message's flags and internal date, sets with STORE the flags
// of any message that did not get its own, and records whether the dates
// were kept (requireDates).
func seedAndOpen(t *conformance.T, open string, msgs ...seedMessage) *seededBox {
	b := &seededBox{t: t, name: t.Mailbox(0), datesKept: true}
	b.s = t.Login(0)
	appendMessages(t, b.s, b.name, msgs...)
	t.Setup(func() {
		b.sel = b.s.Cmd("OK", "SELECT", wire.Astring(b.name))
		if n := lastExists(b.sel); n != len(msgs) {
			t.Mismatch([]string{fmt.Sprintf("* %d EXISTS", len(msgs))}, fmt.Sprintf("* %d EXISTS", n),
				"SELECT of a mailbox just given %d messages", len(msgs))
		}
		if len(msgs) > 0 {
			b.uids = make([]uint32, len(msgs))
			r := b.s.Tx("OK", fmt.Sprintf("FETCH 1:%d (UID FLAGS INTERNALDATE)", len(msgs)))
			for _, f := range r.All("FETCH") {
				i := int(f.Number) - 1
				if i < 0 || i >= len(msgs) {
					continue
				}
				b.uids[i] = f.Fetch.UID
				m := msgs[i]
				if f.Fetch.Has("FLAGS") && !sameFlagSet(f.Fetch.Flags, m.flags) {
					b.s.Tx("OK", fmt.Sprintf("STORE %d FLAGS.SILENT %s", i+1, flagListText(m.flags)))
				}
				if m.date != "" && !f.Fetch.InternalDate.Equal(fixedTime(appendTimeLayout, m.date)) {
					b.datesKept = false
				}
			}
			for i, u := range b.uids {
				if u == 0 {
					t.Mismatch([]string{fmt.Sprintf("* %d FETCH (UID n ...)", i+1)}, "no UID for message "+strconv.Itoa(i+1),
						"FETCH 1:%d (UID FLAGS INTERNALDATE) did not give every message's UID", len(msgs))
				}
			}
		}
		if open != "SELECT" {
			b.sel = b.s.Cmd("OK", open, wire.Astring(b.name))
		}
	})
	return b
}

// requireDates makes the case SKIP unless the server kept the internal
// dates APPEND gave the messages.
func (b *seededBox) requireDates() {
	if !b.datesKept {
		b.t.Skipf("the server did not keep the date-time given to APPEND (section 6.3.11: SHOULD), which the case relies on")
	}
}

// appendMessages appends msgs to mailbox in session s, as a fixture.
func appendMessages(t *conformance.T, s *conformance.Session, mailbox string, msgs ...seedMessage) {
	t.Setup(func() {
		for _, m := range msgs {
			args := []wire.Arg{wire.Astring(mailbox)}
			if len(m.flags) > 0 {
				args = append(args, listOf(m.flags...))
			}
			if m.date != "" {
				args = append(args, wire.Quoted(m.date))
			}
			args = append(args, wire.Literal(m.text))
			s.Cmd("OK", "APPEND", args...)
		}
	})
}

// lastExists returns the number of the last EXISTS response of r, -1 when
// there is none.
func lastExists(r *conformance.Reply) int {
	n := -1
	for _, u := range r.All("EXISTS") {
		n = int(u.Number)
	}
	return n
}

// messageFlags returns the flags of message seq of the selected mailbox from
// FETCH seq (FLAGS), as a fixture.
func messageFlags(t *conformance.T, s *conformance.Session, seq uint32) []string {
	var flags []string
	t.Setup(func() {
		r := s.Tx("OK", fmt.Sprintf("FETCH %d (FLAGS)", seq))
		found := false
		for _, f := range r.All("FETCH") {
			if f.Number == seq && f.Fetch.Has("FLAGS") {
				flags, found = f.Fetch.Flags, true
			}
		}
		if !found {
			t.Mismatch([]string{fmt.Sprintf("* %d FETCH (FLAGS (...))", seq)}, "no FLAGS for the message", "FETCH %d (FLAGS)", seq)
		}
	})
	return flags
}

// requireKeywords makes the case SKIP unless the SELECT reply says new
// keywords can be stored: \* in PERMANENTFLAGS (RFC 3501 section 7.1).
func (b *seededBox) requireKeywords() {
	for _, u := range b.sel.Untagged {
		if u.Code != nil && u.Code.Name == "PERMANENTFLAGS" && slices.Contains(u.Code.Flags, `\*`) {
			return
		}
	}
	b.t.Skipf("PERMANENTFLAGS does not list \\*: the mailbox cannot store new keywords")
}

// flagListed reports whether flags holds flag, compared without regard to
// case (flags are atoms: RFC 3501 section 9 is case-insensitive).
func flagListed(flags []string, flag string) bool {
	return slices.ContainsFunc(flags, func(f string) bool { return strings.EqualFold(f, flag) })
}

// flagsButRecent returns flags without \Recent, sorted case-insensitively,
// for comparing flag lists.
func flagsButRecent(flags []string) []string {
	var out []string
	for _, f := range flags {
		if !strings.EqualFold(f, `\Recent`) {
			out = append(out, f)
		}
	}
	slices.SortFunc(out, func(a, b string) int { return strings.Compare(strings.ToLower(a), strings.ToLower(b)) })
	return out
}

// sameFlagSet reports whether two flag lists hold the same flags, \Recent
// aside, compared without regard to case or order.
func sameFlagSet(a, b []string) bool {
	a, b = flagsButRecent(a), flagsButRecent(b)
	return slices.EqualFunc(a, b, strings.EqualFold)
}

// flagListText renders a flag list as IMAP does: (\Seen $Work).
func flagListText(flags []string) string { return "(" + strings.Join(flags, " ") + ")" }

// searchNums sends a SEARCH or UID SEARCH command line, expecting OK, and
// returns the numbers of its untagged SEARCH response, which is required
// (RFC 3501 section 6.4.4) even when nothing matches.
func searchNums(s *conformance.Session, line string) ([]uint32, *conformance.Reply) {
	r := s.Tx("OK", line)
	return r.One("SEARCH").Search.Nums, r
}

// numsText renders numbers in ascending order as a SEARCH response's
// contents.
func numsText(nums []uint32) string {
	sorted := slices.Clone(nums)
	slices.Sort(sorted)
	sorted = slices.Compact(sorted)
	parts := make([]string, len(sorted))
	for i, n := range sorted {
		parts[i] = strconv.FormatUint(uint64(n), 10)
	}
	return strings.Join(parts, " ")
}

// sameNums reports whether two lists hold the same numbers, whatever their
// order: RFC 3501 section 7.2.5 fixes no order for a SEARCH response.
func sameNums(a, b []uint32) bool { return numsText(a) == numsText(b) }

// expectSearch sends a SEARCH command line and fails the case unless its
// SEARCH response lists exactly want, in any order.
func expectSearch(t *conformance.T, s *conformance.Session, line string, want ...uint32) *conformance.Reply {
	got, r := searchNums(s, line)
	if !sameNums(got, want) {
		t.Mismatch([]string{searchResponseText(want) + " (numbers in any order)"}, r.One("SEARCH").Raw,
			"%s: the messages found are not the ones matching the criteria", line)
	}
	return r
}

// searchResponseText renders the SEARCH response listing nums.
func searchResponseText(nums []uint32) string {
	if len(nums) == 0 {
		return "* SEARCH"
	}
	return "* SEARCH " + numsText(nums)
}

// seqRange is 1..n.
func seqRange(n int) []uint32 {
	out := make([]uint32, n)
	for i := range out {
		out[i] = uint32(i + 1)
	}
	return out
}

// messageFetches returns the FETCH responses of r for message seq.
func messageFetches(r *conformance.Reply, seq uint32) []*grammar.Response {
	var out []*grammar.Response
	for _, f := range r.All("FETCH") {
		if f.Number == seq {
			out = append(out, f)
		}
	}
	return out
}

// replyFlags returns the flags the FETCH responses of r give for message
// seq (the last FLAGS item wins), and whether any did.
func replyFlags(r *conformance.Reply, seq uint32) ([]string, bool) {
	var flags []string
	found := false
	for _, f := range messageFetches(r, seq) {
		if f.Fetch.Has("FLAGS") {
			flags, found = f.Fetch.Flags, true
		}
	}
	return flags, found
}

// applyExpunges follows the EXPUNGE responses of r, in order, over the list
// of UIDs by sequence number (RFC 3501 section 7.4.1: each one decrements
// the numbers of the messages after it at once), and returns the UIDs left,
// or an error naming the first EXPUNGE response that names no message.
func applyExpunges(uids []uint32, r *conformance.Reply) ([]uint32, error) {
	left := slices.Clone(uids)
	for _, u := range r.All("EXPUNGE") {
		n := int(u.Number)
		if n < 1 || n > len(left) {
			return left, fmt.Errorf("%q names message %d, but the mailbox has %d messages at that point", strings.TrimSpace(u.Raw), n, len(left))
		}
		left = slices.Delete(left, n-1, n)
	}
	return left, nil
}

// expectUIDs fails the case unless the selected mailbox now holds exactly
// the messages with the UIDs want, in this order (FETCH 1:* (UID)).
func expectUIDs(t *conformance.T, s *conformance.Session, what string, want []uint32) {
	var got []uint32
	if len(want) == 0 {
		// An empty mailbox: FETCH 1:* would be a BAD (section 9,
		// seq-number), so ask SEARCH instead.
		nums, _ := searchNums(s, "SEARCH ALL")
		if len(nums) != 0 {
			t.Mismatch([]string{"an empty mailbox"}, searchResponseText(nums), "%s: messages are left", what)
		}
		return
	}
	r := s.Tx("OK|BAD", "FETCH 1:* (UID)")
	if r.Status() == "OK" {
		byNum := map[uint32]uint32{}
		for _, f := range r.All("FETCH") {
			byNum[f.Number] = f.Fetch.UID
		}
		for i := uint32(1); byNum[i] != 0; i++ {
			got = append(got, byNum[i])
		}
	}
	if !slices.Equal(got, want) {
		t.Mismatch([]string{"messages with the UIDs " + numsText(want) + ", in this order"}, "UIDs "+uidsText(got),
			"%s: the mailbox does not hold the messages it should", what)
	}
}

// uidsText renders UIDs in the order given.
func uidsText(uids []uint32) string {
	if len(uids) == 0 {
		return "none"
	}
	parts := make([]string, len(uids))
	for i, u := range uids {
		parts[i] = strconv.FormatUint(uint64(u), 10)
	}
	return strings.Join(parts, " ")
}

// onSearchLine rewrites, in each SEARCH or UID SEARCH command line, the
// text from with to: a fault that makes the server evaluate other criteria
// than the client sent, as a server misreading a search key would.
func onSearchLine(name, from, to string) fault.Fault {
	return fault.Fault{Name: name, Command: func(_ *fault.State, line []byte) ([]byte, fault.Action) {
		l := string(line)
		fields := strings.Fields(l)
		isSearch := len(fields) >= 2 && (strings.EqualFold(fields[1], "SEARCH") ||
			len(fields) >= 3 && strings.EqualFold(fields[1], "UID") && strings.EqualFold(fields[2], "SEARCH"))
		if !isSearch {
			return line, fault.Forward
		}
		return []byte(strings.Replace(l, from, to, 1)), fault.Forward
	}}
}

// searchDropsLast is the fault of a SEARCH that misses its last match.
func searchDropsLast() fault.Fault {
	return fault.RewriteResponse("SEARCH misses its last match", "SEARCH", `^\* SEARCH((?: \d+)*) \d+\r\n$`, "* SEARCH$1\r\n")
}

// searchAddsOne is the fault of a SEARCH that also reports message n.
func searchAddsOne(n int) fault.Fault {
	return fault.RewriteResponse(fmt.Sprintf("SEARCH also reports message %d", n), "SEARCH", `^\* SEARCH((?: \d+)*)\r\n$`,
		fmt.Sprintf("* SEARCH$1 %d\r\n", n))
}

// commandWords returns the upper-cased command name of a client line and,
// for UID commands, the name of the command UID carries ("UID COPY").
func commandWords(line string) string {
	f := strings.Fields(line)
	if len(f) < 2 {
		return ""
	}
	name := strings.ToUpper(f[1])
	if name == "UID" && len(f) >= 3 {
		name += " " + strings.ToUpper(f[2])
	}
	return name
}

// hiddenTag tags the commands a fault sends on its own; the client never
// sees their completions.
const hiddenTag = "fault-hidden"

// alsoRuns is a fault that, before each client command named command ("COPY",
// "UID STORE"...), has the server run the extra commands hidden(line)
// returns (without tags or CRLF) and hides their tagged completions: a
// server that does more than it was asked, such as a COPY that also sets
// \Seen on its source, or one that creates a missing destination. Untagged
// responses of the extra commands reach the client, as they would from
// such a server.
func alsoRuns(name, command string, hidden func(line string) []string) fault.Fault {
	return fault.Fault{
		Name: name,
		Command: func(_ *fault.State, line []byte) ([]byte, fault.Action) {
			if commandWords(string(line)) != command {
				return line, fault.Forward
			}
			var out []byte
			for _, h := range hidden(strings.TrimRight(string(line), "\r\n")) {
				out = append(out, hiddenTag+" "+h+"\r\n"...)
			}
			return append(out, line...), fault.Forward
		},
		Response: func(_ *fault.State, raw []byte) ([]byte, fault.Action) {
			if strings.HasPrefix(string(raw), hiddenTag+" ") {
				return nil, fault.Forward
			}
			return raw, fault.Forward
		},
	}
}

// lastArgument returns the last space-separated word of a command line:
// the mailbox of COPY, when it is sent as an atom.
func lastArgument(line string) string {
	f := strings.Fields(line)
	return f[len(f)-1]
}

// inMailbox is a fault that rewrites, like fault.RewriteResponse, the
// responses to command ("" for any) matching pattern, but only in a session
// that selected or examined a mailbox whose name ends with suffix: the
// server misbehaves in one mailbox, such as the destination of a COPY
// (T.Mailbox names its n-th mailbox with the suffix "-n").
func inMailbox(name, suffix, command, pattern, repl string) fault.Fault {
	re := regexp.MustCompile(pattern)
	return fault.Fault{
		Name: name,
		Command: func(s *fault.State, line []byte) ([]byte, fault.Action) {
			switch commandWords(string(line)) {
			case "SELECT", "EXAMINE":
				s.Data["mailbox"] = lastArgument(strings.TrimRight(string(line), "\r\n"))
			case "CLOSE", "LOGOUT":
				s.Data["mailbox"] = ""
			}
			return line, fault.Forward
		},
		Response: func(s *fault.State, raw []byte) ([]byte, fault.Action) {
			mbox, _ := s.Data["mailbox"].(string)
			if !strings.HasSuffix(mbox, suffix) || (command != "" && !strings.EqualFold(s.Command, command)) {
				return raw, fault.Forward
			}
			return re.ReplaceAll(raw, []byte(repl)), fault.Forward
		},
	}
}

// rewriteCommandOf is fault.RewriteCommand limited to the lines of one
// command ("STORE", "UID FETCH"...).
func rewriteCommandOf(name, command, pattern, repl string) fault.Fault {
	re := regexp.MustCompile(pattern)
	return fault.Fault{Name: name, Command: func(_ *fault.State, line []byte) ([]byte, fault.Action) {
		if commandWords(string(line)) != command {
			return line, fault.Forward
		}
		return re.ReplaceAll(line, []byte(repl)), fault.Forward
	}}
}

// dropRecent removes \Recent from every FLAGS list in the responses to
// command, as a server that lost the flag would send them.
func dropRecent(name, command string) fault.Fault {
	return fault.Chain(name,
		fault.RewriteResponse("", command, `\\Recent ?`, ""),
		fault.RewriteResponse("", command, ` \)`, ")"))
}

// dropFirst is a fault that drops the first response to each command
// named command that matches pattern, and only that one: a server that
// forgets to report one of several changes.
func dropFirst(name, command, pattern string) fault.Fault {
	re := regexp.MustCompile(pattern)
	return fault.Fault{Name: name, Response: func(s *fault.State, raw []byte) ([]byte, fault.Action) {
		if !strings.EqualFold(s.Command, command) || !re.Match(raw) || s.Data["dropped"] == s.Tag {
			return raw, fault.Forward
		}
		s.Data["dropped"] = s.Tag
		return nil, fault.Forward
	}}
}

// showUntagged renders the untagged responses of r for a message, "none"
// when there are none.
func showUntagged(r *conformance.Reply) string {
	if len(r.Untagged) == 0 {
		return "no untagged response"
	}
	parts := make([]string, len(r.Untagged))
	for i, u := range r.Untagged {
		parts[i] = strings.TrimRight(u.Raw, "\r\n")
	}
	return strings.Join(parts, " / ")
}
