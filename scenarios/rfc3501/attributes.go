package rfc3501

import (
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/imapgauge/imapgauge/conformance"
	"github.com/imapgauge/imapgauge/conformance/fault"
	"github.com/imapgauge/imapgauge/conformance/grammar"
	"github.com/imapgauge/imapgauge/conformance/wire"
)

// dropFlag removes flag from the responses to command that carry it, as a
// server that loses the flag would: `(\Recent \Seen)` becomes `(\Seen)`.
func dropFlag(name, command, flag string) fault.Fault {
	f := strings.ReplaceAll(flag, `\`, `\\`)
	return fault.RewriteResponse(name, command, `(?i)`+f+` ?|\s`+f, "")
}

// addFlag puts flag first in the FLAGS of the responses to command.
func addFlag(name, command, flag string) fault.Fault {
	flag = strings.ReplaceAll(flag, `$`, `$$`)
	return fault.Chain(name,
		fault.RewriteResponse(name, command, `FLAGS \(([^)])`, "FLAGS ("+flag+" $1"),
		fault.RewriteResponse(name, command, `FLAGS \(\)`, "FLAGS ("+flag+")"))
}

// fetchFlagsOf returns the flags of message seq from the last FETCH response
// of r that carries FLAGS, failing the case when there is none.
func fetchFlagsOf(t *conformance.T, r *conformance.Reply, seq uint32) []string {
	var flags []string
	found := false
	for _, f := range fetchByNumber(r, seq) {
		if f.Has("FLAGS") {
			flags, found = f.Flags, true
		}
	}
	if !found {
		t.Mismatch([]string{fmt.Sprintf("* %d FETCH (FLAGS (...))", seq)}, describeUntagged(r), "%s: no FLAGS for message %d", r.Command, seq)
	}
	return flags
}

func containsFold(list []string, s string) bool {
	return slices.ContainsFunc(list, func(x string) bool { return strings.EqualFold(x, s) })
}

// permanentFlags returns the flags of the PERMANENTFLAGS code of a SELECT
// reply, and whether there was one.
func permanentFlags(r *conformance.Reply) ([]string, bool) {
	for _, u := range append(r.Untagged, r.Tagged) {
		if u.Code != nil && u.Code.Name == "PERMANENTFLAGS" {
			return u.Code.Flags, true
		}
	}
	return nil, false
}

// attributeSizeMessage is a message with 8-bit text: its size in octets
// and in characters differ.
const attributeSizeMessage = "From: Zoë Example <zoe@example.org>\r\n" +
	"To: Renée <renee@example.org>\r\n" +
	"Subject: Grüße\r\n" +
	"Date: Tue, 2 Mar 2021 09:30:00 +0100\r\n" +
	"MIME-Version: 1.0\r\n" +
	"Content-Type: text/plain; charset=utf-8\r\n" +
	"Content-Transfer-Encoding: 8bit\r\n" +
	"\r\n" +
	"Ça va? Fünf Äpfel, señor; žluťoučký kůň.\r\n"

// attributes checks RFC 3501 section 2.3: UIDs, message sequence numbers,
// flags, the internal date and the size.
func attributes() []conformance.Section {
	return []conformance.Section{
		uidAttribute(), sequenceNumberAttribute(), flagsAttribute(), internalDateAttribute(), sizeAttribute(),
	}
}

func uidAttribute() conformance.Section {
	return conformance.Section{
		Number: "2.3.1.1",
		Title:  "Unique Identifier (UID) Message Attribute",
		Cases: []conformance.Case{{
			Name:  "uids-ascend-with-message-numbers",
			Title: "The UIDs of a mailbox's messages ascend strictly with their sequence numbers",
			Level: conformance.Must,
			Sentence: `Unique identifiers are assigned in a strictly ascending fashion in the mailbox; as each
message is added to the mailbox it is assigned a higher UID than the message(s) which were added previously.`,
			Commands:  []string{"APPEND", "FETCH"},
			Responses: []string{"FETCH"},
			Faults: []fault.Fault{
				fault.RewriteResponse("last message given the first message's UID", "FETCH", `^\* 3 FETCH \(UID \d+\)`, "* 3 FETCH (UID 1)"),
			},
			Run: func(t *conformance.T) {
				mbox := t.Mailbox(0)
				for i := 1; i <= 3; i++ {
					t.Append(0, mbox, labelledMessage(fmt.Sprintf("uid-order-%d", i)))
				}
				s := t.Select(0, mbox)
				newSeqModel(t, make([]uint32, 3)).verify(s, "FETCH 1:* (UID)")
			},
		}, {
			Name:  "uid-of-new-message-above-previous",
			Title: "A message delivered while the mailbox is selected gets a UID above the earlier ones",
			Level: conformance.Must,
			Sentence: `as each message is added to the mailbox it is assigned a higher UID than the message(s)
which were added previously.`,
			Commands:  []string{"APPEND", "NOOP", "FETCH"},
			Responses: []string{"EXISTS", "FETCH"},
			Faults: []fault.Fault{
				fault.RewriteResponse("new message given the first message's UID", "FETCH", `^\* 2 FETCH \(UID \d+\)`, "* 2 FETCH (UID 1)"),
			},
			Run: func(t *conformance.T) {
				mbox := t.Mailbox(0)
				t.Append(0, mbox, labelledMessage("uid-first"))
				s := t.Select(0, mbox)
				m := newSeqModel(t, fetchUIDList(t, s, "FETCH 1 (UID)", 1))
				t.Append(0, mbox, labelledMessage("uid-second"))
				m.apply(s.Tx("OK", "NOOP"))
				if m.count() != 2 {
					t.Mismatch([]string{"* 2 EXISTS"}, fmt.Sprintf("%d messages", m.count()), "NOOP after a delivery by another session")
				}
				m.verify(s, "FETCH 1:2 (UID)")
			},
		}, {
			Name:  "uid-not-reused-after-expunge",
			Title: "A message added after the highest UID was expunged gets a higher UID still",
			Level: conformance.Must,
			Sentence: `A 32-bit value assigned to each message, which when used with the unique identifier validity
value (see below) forms a 64-bit value that MUST NOT refer to any other message in the mailbox
or any subsequent mailbox with the same name forever.`,
			Commands:  []string{"APPEND", "STORE", "EXPUNGE", "FETCH"},
			Responses: []string{"FETCH", "EXPUNGE", "EXISTS"},
			Faults: []fault.Fault{
				fault.RewriteResponse("expunged UID given to the next message", "FETCH", `^\* 2 FETCH \(UID 3\)`, "* 2 FETCH (UID 2)"),
			},
			Run: func(t *conformance.T) {
				mbox := t.Mailbox(0)
				t.Append(0, mbox, labelledMessage("reuse-1"))
				t.Append(0, mbox, labelledMessage("reuse-2"))
				s := t.Select(0, mbox)
				uids := fetchUIDList(t, s, "FETCH 1:2 (UID)", 2)
				s.Tx("OK", `STORE 2 +FLAGS.SILENT (\Deleted)`)
				s.Tx("OK", "EXPUNGE")
				t.Append(0, mbox, labelledMessage("reuse-3"))
				s.Tx("OK", "NOOP")
				uid := requireFetch(t, s.Tx("OK", "FETCH 2 (UID)"), 2, "UID").UID
				if uid <= uids[1] {
					t.Mismatch([]string{fmt.Sprintf("a UID above %d, the expunged one", uids[1])}, fmt.Sprintf("UID %d", uid),
						"the message added after UID %d was expunged got UID %d", uids[1], uid)
				}
			},
		}, {
			Name:      "uid-unchanged-during-session",
			Title:     "A message keeps its UID for the whole session while others change the mailbox",
			Level:     conformance.Must,
			Sentence:  `The unique identifier of a message MUST NOT change during the session`,
			Commands:  []string{"FETCH", "STORE", "APPEND", "NOOP", "UID"},
			Responses: []string{"FETCH", "EXISTS"},
			Faults: []fault.Fault{
				fault.RewriteResponse("message 1 renumbered during the session", "UID", `^\* 1 FETCH \(UID \d+\)`, "* 1 FETCH (UID 7)"),
			},
			Run: func(t *conformance.T) {
				mbox := t.Mailbox(0)
				t.Append(0, mbox, labelledMessage("stable-1"))
				t.Append(0, mbox, labelledMessage("stable-2"))
				s := t.Select(0, mbox)
				m := newSeqModel(t, fetchUIDList(t, s, "FETCH 1:2 (UID)", 2))
				other := t.Select(0, mbox)
				other.Tx("OK", `STORE 1:2 +FLAGS.SILENT (\Flagged)`)
				t.Append(0, mbox, labelledMessage("stable-3"))
				m.apply(s.Tx("OK", "NOOP"))
				m.verify(s, "UID FETCH 1:* (UID)")
			},
		}, {
			Name:  "uidnext-unchanged-without-new-messages",
			Title: "UIDNEXT stays the same when only flags change",
			Level: conformance.Must,
			Sentence: `First, the next unique identifier value MUST NOT change unless new messages are added to the
mailbox`,
			Commands:  []string{"SELECT", "STORE", "FETCH", "STATUS"},
			Responses: []string{"STATUS"},
			Codes:     []string{"UIDNEXT"},
			Faults: []fault.Fault{
				fault.RewriteResponse("UIDNEXT advanced by flag changes", "STATUS", `UIDNEXT (\d+)`, "UIDNEXT 9$1"),
			},
			Run: func(t *conformance.T) {
				mbox := t.Mailbox(0)
				t.Append(0, mbox, labelledMessage("uidnext-still"))
				s := t.Login(0)
				before := requireCode(t, s.Cmd("OK", "SELECT", wire.Astring(mbox)), "UIDNEXT")
				s.Tx("OK", `STORE 1 +FLAGS (\Flagged \Answered)`)
				s.Tx("OK", "FETCH 1 (BODY[])") // sets \Seen
				after := statusItem(t, t.Login(0), mbox, "UIDNEXT")
				if uint64(before) != after {
					t.Mismatch([]string{fmt.Sprintf("UIDNEXT %d", before)}, fmt.Sprintf("UIDNEXT %d", after),
						"UIDNEXT changed from %d to %d though no message was added", before, after)
				}
			},
		}, {
			Name:  "uidnext-advances-on-append",
			Title: "UIDNEXT grows when a message is added",
			Level: conformance.Must,
			Sentence: `second, the next unique identifier value MUST change whenever new messages are added to
the mailbox, even if those new messages are subsequently expunged.`,
			Commands:  []string{"STATUS", "APPEND"},
			Responses: []string{"STATUS"},
			Faults: []fault.Fault{
				fault.RewriteResponse("UIDNEXT not advanced by APPEND", "STATUS", `UIDNEXT \d+`, "UIDNEXT 1"),
			},
			Run: func(t *conformance.T) {
				mbox := t.Mailbox(0)
				s := t.Login(0)
				before := statusItem(t, s, mbox, "UIDNEXT")
				s.Cmd("OK", "APPEND", wire.Astring(mbox), wire.Literal(labelledMessage("uidnext-grows")))
				after := statusItem(t, s, mbox, "UIDNEXT")
				if after <= before {
					t.Mismatch([]string{fmt.Sprintf("UIDNEXT above %d", before)}, fmt.Sprintf("UIDNEXT %d", after),
						"UIDNEXT went from %d to %d across an APPEND", before, after)
				}
			},
		}, {
			Name:  "uidnext-advances-even-if-message-expunged",
			Title: "UIDNEXT stays advanced after the added message is expunged",
			Level: conformance.Must,
			Sentence: `second, the next unique identifier value MUST change whenever new messages are added to
the mailbox, even if those new messages are subsequently expunged.`,
			Commands:  []string{"STATUS", "APPEND", "STORE", "EXPUNGE"},
			Responses: []string{"STATUS", "EXPUNGE"},
			Codes:     []string{"UIDNEXT"},
			Faults: []fault.Fault{
				fault.RewriteResponse("UIDNEXT rolled back by EXPUNGE", "STATUS", `UIDNEXT \d+`, "UIDNEXT 1"),
			},
			Run: func(t *conformance.T) {
				mbox := t.Mailbox(0)
				s := t.Login(0)
				before := statusItem(t, s, mbox, "UIDNEXT")
				t.Append(0, mbox, labelledMessage("uidnext-expunged"))
				sel := t.Select(0, mbox)
				sel.Tx("OK", `STORE 1 +FLAGS.SILENT (\Deleted)`)
				if n := expungeCount(sel.Tx("OK", "EXPUNGE")); n != 1 {
					t.Mismatch([]string{"* 1 EXPUNGE"}, fmt.Sprintf("%d EXPUNGE responses", n), "EXPUNGE of the only message, marked \\Deleted")
				}
				after := statusItem(t, s, mbox, "UIDNEXT")
				if after <= before {
					t.Mismatch([]string{fmt.Sprintf("UIDNEXT above %d", before)}, fmt.Sprintf("UIDNEXT %d", after),
						"UIDNEXT went from %d to %d across an APPEND and the EXPUNGE of that message", before, after)
				}
			},
		}, {
			Name:  "uid-of-new-message-at-least-uidnext",
			Title: "A message that arrives after the client read UIDNEXT has a UID no lower than it",
			Level: conformance.Must,
			Sentence: `A client can only assume, at the time that it obtains the next unique identifier value, that
messages arriving after that time will have a UID greater than or equal to that value.`,
			Commands:  []string{"SELECT", "APPEND", "NOOP", "FETCH"},
			Responses: []string{"EXISTS", "FETCH"},
			Codes:     []string{"UIDNEXT"},
			Faults: []fault.Fault{
				fault.RewriteResponse("UIDNEXT predicted above the next UID", "SELECT", `UIDNEXT \d+`, "UIDNEXT 4000000000"),
			},
			Run: func(t *conformance.T) {
				mbox := t.Mailbox(0)
				t.Append(0, mbox, labelledMessage("uidnext-before"))
				s := t.Login(0)
				next := requireCode(t, s.Cmd("OK", "SELECT", wire.Astring(mbox)), "UIDNEXT")
				t.Append(0, mbox, labelledMessage("uidnext-after"))
				s.Tx("OK", "NOOP")
				uid := requireFetch(t, s.Tx("OK", "FETCH 2 (UID)"), 2, "UID").UID
				if uid < next {
					t.Mismatch([]string{fmt.Sprintf("UID >= %d (UIDNEXT at SELECT)", next)}, fmt.Sprintf("UID %d", uid),
						"a message delivered after SELECT reported UIDNEXT %d got UID %d", next, uid)
				}
			},
		}, {
			Name:  "uidvalidity-signals-changed-uids-between-sessions",
			Title: "A later session sees the same UIDs, or a greater UIDVALIDITY",
			Level: conformance.Must,
			Sentence: `Any change of unique identifiers between sessions MUST be detectable using the UIDVALIDITY
mechanism ... If unique identifiers from an earlier session fail to persist in this session,
the unique identifier validity value MUST be greater than the one used in the earlier session.`,
			Commands:  []string{"SELECT", "FETCH", "UID", "LOGOUT"},
			Responses: []string{"FETCH"},
			Codes:     []string{"UIDVALIDITY"},
			Faults: []fault.Fault{
				fault.RewriteResponse("UIDs renumbered between sessions, UIDVALIDITY kept", "UID", `\(UID (\d+)\)`, "(UID 9$1)"),
			},
			Run: func(t *conformance.T) {
				mbox := t.Mailbox(0)
				t.Append(0, mbox, labelledMessage("persist-1"))
				t.Append(0, mbox, labelledMessage("persist-2"))
				a := t.Login(0)
				v1 := requireCode(t, a.Cmd("OK", "SELECT", wire.Astring(mbox)), "UIDVALIDITY")
				first := fetchUIDList(t, a, "FETCH 1:2 (UID)", 2)
				a.Logout()
				b := t.Login(0)
				v2 := requireCode(t, b.Cmd("OK", "SELECT", wire.Astring(mbox)), "UIDVALIDITY")
				second := fetchUIDList(t, b, "UID FETCH 1:* (UID)", 2)
				switch {
				case v2 == v1 && !slices.Equal(first, second):
					t.Mismatch([]string{"UIDs " + uidSeq(first) + " again", "a UIDVALIDITY above " + strconv.FormatUint(uint64(v1), 10)},
						fmt.Sprintf("UIDVALIDITY %d with UIDs %s", v2, uidSeq(second)), "the UIDs changed between sessions but UIDVALIDITY did not")
				case v2 < v1:
					t.Mismatch([]string{fmt.Sprintf("UIDVALIDITY %d, or above", v1)}, fmt.Sprintf("UIDVALIDITY %d", v2), "UIDVALIDITY went down between sessions")
				}
			},
		}, {
			Name:  "uid-not-reused-by-recreated-mailbox",
			Title: "A mailbox deleted and created again does not give an old UIDVALIDITY and UID pair to a new message",
			Level: conformance.Must,
			Sentence: `A 32-bit value assigned to each message, which when used with the unique identifier validity
value (see below) forms a 64-bit value that MUST NOT refer to any other message in the mailbox
or any subsequent mailbox with the same name forever.`,
			Commands:  []string{"SELECT", "DELETE", "CREATE", "APPEND", "FETCH"},
			Responses: []string{"FETCH"},
			Codes:     []string{"UIDVALIDITY"},
			Faults: []fault.Fault{
				fault.RewriteResponse("UIDVALIDITY constant and UIDs restarted", "SELECT", `UIDVALIDITY \d+`, "UIDVALIDITY 1"),
			},
			Run: func(t *conformance.T) {
				mbox := t.Mailbox(0)
				t.Append(0, mbox, labelledMessage("incarnation-1"))
				a := t.Login(0)
				v1 := requireCode(t, a.Cmd("OK", "SELECT", wire.Astring(mbox)), "UIDVALIDITY")
				u1 := fetchUIDList(t, a, "FETCH 1 (UID)", 1)[0]
				a.Logout()
				b := t.Login(0)
				b.Cmd("OK", "DELETE", wire.Astring(mbox))
				t.NamedMailbox(0, mbox)
				b.Cmd("OK", "APPEND", wire.Astring(mbox), wire.Literal(labelledMessage("incarnation-2")))
				c := t.Login(0)
				v2 := requireCode(t, c.Cmd("OK", "SELECT", wire.Astring(mbox)), "UIDVALIDITY")
				u2 := fetchUIDList(t, c, "FETCH 1 (UID)", 1)[0]
				if v1 == v2 && u1 == u2 {
					t.Mismatch([]string{fmt.Sprintf("a UIDVALIDITY other than %d, or a UID other than %d", v1, u1)},
						fmt.Sprintf("UIDVALIDITY %d, UID %d", v2, u2),
						"the new message of the recreated mailbox has the same UIDVALIDITY and UID as the deleted one's")
				}
			},
		}, {
			Name:  "uid-names-an-immutable-message",
			Title: "Size, internal date, envelope, structure and text of a UID stay the same in a later session",
			Level: conformance.Must,
			Sentence: `The combination of mailbox name, UIDVALIDITY, and UID must refer to a single immutable message
on that server forever.  In particular, the internal date, [RFC-2822] size, envelope, body
structure, and message texts ... must never change.`,
			Commands:  []string{"FETCH", "STORE", "UID"},
			Responses: []string{"FETCH"},
			Codes:     []string{"UIDVALIDITY"},
			Faults: []fault.Fault{
				fault.RewriteResponse("size changed in a later session", "UID", `RFC822\.SIZE (\d+)`, "RFC822.SIZE 1$1"),
				fault.RewriteResponse("text changed in a later session", "UID", `Hello\.`, "Hallo."),
			},
			Run: func(t *conformance.T) {
				const items = "(RFC822.SIZE INTERNALDATE ENVELOPE BODYSTRUCTURE BODY.PEEK[])"
				mbox := t.Mailbox(0)
				t.Append(0, mbox, []byte(syntaxMessage))
				a := t.Login(0)
				v1 := requireCode(t, a.Cmd("OK", "SELECT", wire.Astring(mbox)), "UIDVALIDITY")
				uid := fetchUIDList(t, a, "FETCH 1 (UID)", 1)[0]
				before := requireFetch(t, a.Tx("OK", "FETCH 1 "+items), 1, "RFC822.SIZE")
				a.Tx("OK", `STORE 1 +FLAGS (\Seen \Answered)`)
				a.Logout()
				b := t.Login(0)
				v2 := requireCode(t, b.Cmd("OK", "SELECT", wire.Astring(mbox)), "UIDVALIDITY")
				if v1 != v2 {
					t.Skipf("UIDVALIDITY changed from %d to %d between sessions: the UID names another message now", v1, v2)
				}
				after := requireFetch(t, b.Tx("OK", fmt.Sprintf("UID FETCH %d %s", uid, items)), 1, "RFC822.SIZE")
				compareStatic(t, uid, before, after)
			},
		}, {
			Name:  "uid-fetch-largest-32-bit-number-accepted",
			Title: "UID FETCH accepts 4294967295, the largest UID",
			Level: conformance.Must,
			Sentence: `uniqueid = nz-number ; Strictly ascending` + "\n" +
				`nz-number = digit-nz *DIGIT ; Non-zero unsigned 32-bit integer (0 < n < 4,294,967,296)`,
			Commands:  []string{"UID", "FETCH"},
			Responses: []string{"FETCH"},
			Faults: []fault.Fault{
				fault.RewriteResponse("largest UID refused as out of range", "UID", `^(\S+) OK `, "$1 BAD "),
			},
			Run: func(t *conformance.T) {
				mbox := t.Mailbox(0)
				t.Append(0, mbox, labelledMessage("uid-range"))
				s := t.Select(0, mbox)
				s.Tx("OK", "UID FETCH 4294967295 (UID)")
				r := s.Tx("OK", "UID FETCH 1:4294967295 (UID)")
				requireFetch(t, r, 1, "UID")
			},
		}, {
			Name:      "uid-fetch-beyond-32-bits-bad",
			Title:     "UID FETCH 4294967296 is a syntax error: a UID is a 32-bit number",
			Level:     conformance.Should,
			Sentence:  shortSyntaxSentence + "\n" + `nz-number = digit-nz *DIGIT ; Non-zero unsigned 32-bit integer (0 < n < 4,294,967,296)`,
			Commands:  []string{"UID", "FETCH"},
			Responses: []string{"BAD"},
			Faults: []fault.Fault{
				fault.RewriteResponse("33-bit UID accepted", "UID", `^(\S+) BAD `, "$1 OK "),
			},
			Run: func(t *conformance.T) {
				mbox := t.Mailbox(0)
				t.Append(0, mbox, labelledMessage("uid-overflow"))
				s := t.Select(0, mbox)
				// 4294967296 wraps to 0 in 32 bits, 4294967297 to 1: a server
				// that truncates would answer with message 1.
				s.Tx("BAD", "UID FETCH 4294967297 (UID)")
			},
		}},
	}
}

// compareStatic fails the case when the static attributes of a message in
// two FETCH responses differ (RFC 3501 section 2.3.1.1, note 4).
func compareStatic(t *conformance.T, uid uint32, a, b *grammar.FetchData) {
	differ := func(item, x, y string) {
		t.Mismatch([]string{item + " " + x + " (as in the earlier session)"}, item+" "+y, "UID %d: %s changed between sessions", uid, item)
	}
	if a.RFC822Size != b.RFC822Size {
		differ("RFC822.SIZE", strconv.FormatUint(uint64(a.RFC822Size), 10), strconv.FormatUint(uint64(b.RFC822Size), 10))
	}
	if !a.InternalDate.Equal(b.InternalDate) {
		differ("INTERNALDATE", a.InternalDate.Format(time.RFC3339), b.InternalDate.Format(time.RFC3339))
	}
	if !reflect.DeepEqual(a.Envelope, b.Envelope) {
		differ("ENVELOPE", fmt.Sprintf("%+v", a.Envelope), fmt.Sprintf("%+v", b.Envelope))
	}
	if !reflect.DeepEqual(a.BodyStructure, b.BodyStructure) {
		differ("BODYSTRUCTURE", fmt.Sprintf("%+v", a.BodyStructure), fmt.Sprintf("%+v", b.BodyStructure))
	}
	x, y := a.Section(""), b.Section("")
	if x == nil || y == nil {
		t.Mismatch([]string{"BODY[] in both FETCH responses"}, "BODY[] missing", "UID %d: the message text was not returned", uid)
	}
	if x.Data != y.Data {
		differ("BODY[]", fmt.Sprintf("of %d octets", len(x.Data.Value)), fmt.Sprintf("of %d octets, different", len(y.Data.Value)))
	}
}

func sequenceNumberAttribute() conformance.Section {
	return conformance.Section{
		Number: "2.3.1.2",
		Title:  "Message Sequence Number Message Attribute",
		Cases: []conformance.Case{{
			Name:  "message-numbers-decremented-after-expunge",
			Title: "After an EXPUNGE the following messages move down by one",
			Level: conformance.Must,
			Sentence: `when a message is permanently removed (expunged) from the mailbox, the message sequence number
for all subsequent messages is decremented.`,
			Commands:  []string{"STORE", "EXPUNGE", "FETCH"},
			Responses: []string{"EXPUNGE", "FETCH"},
			Faults: []fault.Fault{
				fault.RewriteResponse("EXPUNGE names the wrong message", "EXPUNGE", `^\* 1 EXPUNGE`, "* 2 EXPUNGE"),
			},
			Run: func(t *conformance.T) {
				mbox := t.Mailbox(0)
				for i := 1; i <= 3; i++ {
					t.Append(0, mbox, labelledMessage(fmt.Sprintf("decrement-%d", i)))
				}
				s := t.Select(0, mbox)
				m := newSeqModel(t, fetchUIDList(t, s, "FETCH 1:3 (UID)", 3))
				s.Tx("OK", `STORE 1 +FLAGS.SILENT (\Deleted)`)
				m.apply(s.Tx("OK", "EXPUNGE"))
				if m.count() != 2 {
					t.Mismatch([]string{"* 1 EXPUNGE"}, fmt.Sprintf("%d messages left", m.count()), "EXPUNGE of message 1 of 3")
				}
				m.verify(s, "FETCH 1:2 (UID)")
			},
		}, {
			Name:  "new-message-numbered-one-above-count",
			Title: "A new message takes the number one above the count, even one that an expunged message held",
			Level: conformance.Must,
			Sentence: `As each new message is added, it is assigned a message sequence number that is 1 higher than
the number of messages in the mailbox before that new message was added.`,
			Commands:  []string{"EXPUNGE", "APPEND", "NOOP", "FETCH"},
			Responses: []string{"EXPUNGE", "EXISTS", "FETCH"},
			Faults: []fault.Fault{
				fault.RewriteResponse("new message counted twice", "NOOP", `^\* 2 EXISTS`, "* 3 EXISTS"),
			},
			Run: func(t *conformance.T) {
				mbox := t.Mailbox(0)
				t.Append(0, mbox, labelledMessage("renumber-1"))
				t.Append(0, mbox, labelledMessage("renumber-2"))
				s := t.Select(0, mbox)
				m := newSeqModel(t, fetchUIDList(t, s, "FETCH 1:2 (UID)", 2))
				s.Tx("OK", `STORE 1 +FLAGS.SILENT (\Deleted)`)
				m.apply(s.Tx("OK", "EXPUNGE"))
				t.Append(0, mbox, labelledMessage("renumber-3"))
				m.apply(s.Tx("OK", "NOOP"))
				if m.count() != 2 {
					t.Mismatch([]string{"2 messages: * 2 EXISTS"}, fmt.Sprintf("%d messages", m.count()),
						"one message was left and one was added")
				}
				m.verify(s, "FETCH 1:2 (UID)")
				env := requireFetch(t, s.Tx("OK", "FETCH 2 (ENVELOPE)"), 2, "ENVELOPE").Envelope
				if env.Subject.Value != "renumber-3" {
					t.Mismatch([]string{"message 2 is the new message (Subject renumber-3)"}, "Subject "+env.Subject.String(), "FETCH 2 (ENVELOPE)")
				}
			},
		}, {
			Name:  "exists-growth-numbers-new-messages",
			Title: "When EXISTS grows from 1 to 3, messages 2 and 3 are the new ones, in order of arrival",
			Level: conformance.Must,
			Sentence: `if an untagged "11 EXISTS" is received, and previously an untagged "8 EXISTS" was received,
three new messages have arrived with message sequence numbers of 9, 10, and 11.`,
			Commands:  []string{"APPEND", "NOOP", "FETCH"},
			Responses: []string{"EXISTS", "FETCH"},
			Faults: []fault.Fault{
				fault.RewriteResponse("EXISTS one short", "NOOP", `^\* 3 EXISTS`, "* 2 EXISTS"),
				fault.RewriteResponse("new messages in the wrong order", "FETCH", `(?i)arrival-2@`, "arrival-x@"),
			},
			Run: func(t *conformance.T) {
				mbox := t.Mailbox(0)
				t.Append(0, mbox, labelledMessage("arrival-1"))
				s := t.Select(0, mbox)
				t.Append(0, mbox, labelledMessage("arrival-2"))
				t.Append(0, mbox, labelledMessage("arrival-3"))
				r := s.Tx("OK", "NOOP")
				if n, ok := existsCount(r); !ok || n != 3 {
					t.Mismatch([]string{"* 3 EXISTS"}, describeUntagged(r), "NOOP after two deliveries to a mailbox of one message")
				}
				r = s.Tx("OK", "FETCH 2:3 (ENVELOPE)")
				for i, want := range []string{"<arrival-2@imapgauge.example>", "<arrival-3@imapgauge.example>"} {
					env := requireFetch(t, r, uint32(i+2), "ENVELOPE").Envelope
					if env.MessageID.Value != want {
						t.Mismatch([]string{fmt.Sprintf("message %d is %s", i+2, want)}, "Message-ID "+env.MessageID.String(), "FETCH 2:3 (ENVELOPE)")
					}
				}
			},
		}},
	}
}

func flagsAttribute() conformance.Section {
	const permanentSentence = `Permanent flags are those which the client can add or remove from the message flags
permanently; that is, concurrent and subsequent sessions will see any change in permanent flags.`
	const recentSentence = `\Recent Message is "recently" arrived in this mailbox.  This session is the first session to
have been notified about this message; if the session is read-write, subsequent sessions will
not see \Recent set for this message.  This flag can not be altered by the client.`
	return conformance.Section{
		Number: "2.3.2",
		Title:  "Flags Message Attribute",
		Cases: []conformance.Case{{
			Name:      "system-flags-kept-for-later-sessions",
			Title:     "System flags stored in one session are there in the next",
			Level:     conformance.Must,
			Sentence:  permanentSentence,
			Commands:  []string{"SELECT", "STORE", "EXAMINE", "FETCH"},
			Responses: []string{"FETCH"},
			Codes:     []string{"PERMANENTFLAGS"},
			Faults: []fault.Fault{
				fault.RewriteResponse(`\Answered lost between sessions`, "FETCH", `(?i)\\Answered`, "$$Gone"),
			},
			Run: func(t *conformance.T) {
				mbox := t.Mailbox(0)
				t.Append(0, mbox, labelledMessage("permanent-flags"))
				a := t.Login(0)
				sel := a.Cmd("OK", "SELECT", wire.Astring(mbox))
				perm, ok := permanentFlags(sel)
				var flags []string
				for _, f := range []string{`\Seen`, `\Answered`, `\Flagged`, `\Draft`, `\Deleted`} {
					// Without PERMANENTFLAGS, all flags can be changed
					// permanently (section 6.3.1).
					if !ok || containsFold(perm, f) {
						flags = append(flags, f)
					}
				}
				if len(flags) == 0 {
					t.Skipf("PERMANENTFLAGS lists no system flag: none can be stored permanently")
				}
				a.Tx("OK", "STORE 1 +FLAGS.SILENT ("+strings.Join(flags, " ")+")")
				a.Logout()
				b := t.Login(0)
				b.Cmd("OK", "EXAMINE", wire.Astring(mbox))
				got := fetchFlagsOf(t, b.Tx("OK", "FETCH 1 (FLAGS)"), 1)
				for _, f := range flags {
					if !containsFold(got, f) {
						t.Mismatch([]string{"FLAGS with " + strings.Join(flags, " ")}, "FLAGS ("+strings.Join(got, " ")+")",
							"%s, stored in an earlier session, is gone", f)
					}
				}
			},
		}, {
			Name:      "flag-cleared-by-removal",
			Title:     "A flag removed with -FLAGS is gone for the next session, the others stay",
			Level:     conformance.Must,
			Sentence:  `A flag is set by its addition to this list, and is cleared by its removal.`,
			Commands:  []string{"STORE", "EXAMINE", "FETCH"},
			Responses: []string{"FETCH"},
			Faults: []fault.Fault{
				addFlag(`\Flagged still set for the next session`, "FETCH", `\Flagged`),
			},
			Run: func(t *conformance.T) {
				mbox := t.Mailbox(0)
				t.Append(0, mbox, labelledMessage("flag-removal"), `\Flagged`, `\Seen`)
				a := t.Select(0, mbox)
				a.Tx("OK", `STORE 1 -FLAGS.SILENT (\Flagged)`)
				a.Logout()
				b := t.Login(0)
				b.Cmd("OK", "EXAMINE", wire.Astring(mbox))
				got := fetchFlagsOf(t, b.Tx("OK", "FETCH 1 (FLAGS)"), 1)
				if containsFold(got, `\Flagged`) || !containsFold(got, `\Seen`) {
					t.Mismatch([]string{`FLAGS with \Seen, without \Flagged`}, "FLAGS ("+strings.Join(got, " ")+")", `after STORE 1 -FLAGS (\Flagged)`)
				}
			},
		}, {
			Name:      "flag-change-visible-to-concurrent-session",
			Title:     "A flag stored by one session is fetched by another that has the mailbox selected",
			Level:     conformance.Must,
			Sentence:  permanentSentence,
			Commands:  []string{"STORE", "FETCH"},
			Responses: []string{"FETCH"},
			Faults: []fault.Fault{
				fault.RewriteResponse(`other session keeps a stale copy of the flags`, "FETCH", `(?i)\\Flagged`, "$$Gone"),
			},
			Run: func(t *conformance.T) {
				mbox := t.Mailbox(0)
				t.Append(0, mbox, labelledMessage("concurrent-flags"))
				a := t.Select(0, mbox)
				b := t.Select(0, mbox)
				a.Tx("OK", `STORE 1 +FLAGS.SILENT (\Flagged)`)
				got := fetchFlagsOf(t, b.Tx("OK", "FETCH 1 (FLAGS)"), 1)
				if !containsFold(got, `\Flagged`) {
					t.Mismatch([]string{`FLAGS with \Flagged`}, "FLAGS ("+strings.Join(got, " ")+")", `the other session stored \Flagged`)
				}
			},
		}, {
			Name:      "recent-set-for-first-session-notified",
			Title:     `A message delivered while one session has the mailbox selected is \Recent there`,
			Level:     conformance.Must,
			Sentence:  recentSentence,
			Commands:  []string{"APPEND", "NOOP", "FETCH"},
			Responses: []string{"EXISTS", "RECENT", "FETCH"},
			Faults: []fault.Fault{
				dropFlag(`\Recent not set for the first session`, "FETCH", `\Recent`),
			},
			Run: func(t *conformance.T) {
				mbox := t.Mailbox(0)
				s := t.Select(0, mbox)
				t.Append(0, mbox, labelledMessage("recent-first"))
				r := s.Tx("OK", "NOOP")
				if n, ok := existsCount(r); !ok || n != 1 {
					t.Mismatch([]string{"* 1 EXISTS"}, describeUntagged(r), "NOOP after a delivery to the empty mailbox")
				}
				if got := fetchFlagsOf(t, s.Tx("OK", "FETCH 1 (FLAGS)"), 1); !containsFold(got, `\Recent`) {
					t.Mismatch([]string{`FLAGS with \Recent`}, "FLAGS ("+strings.Join(got, " ")+")", "the only session with the mailbox selected was the first to be told of the message")
				}
			},
		}, {
			Name:      "recent-not-seen-by-subsequent-session",
			Title:     `After a read-write session saw a message as \Recent, the next session does not`,
			Level:     conformance.Must,
			Sentence:  recentSentence,
			Commands:  []string{"SELECT", "FETCH", "LOGOUT"},
			Responses: []string{"RECENT", "FETCH"},
			Faults: []fault.Fault{
				addFlag(`\Recent shown to a later session`, "FETCH", `\Recent`),
				fault.RewriteResponse(`RECENT counted for a later session`, "SELECT", `^\* 0 RECENT`, "* 1 RECENT"),
			},
			Run: func(t *conformance.T) {
				mbox := t.Mailbox(0)
				t.Append(0, mbox, labelledMessage("recent-once"))
				a := t.Login(0)
				r := a.Cmd("OK", "SELECT", wire.Astring(mbox))
				if u := r.All("RECENT"); len(u) == 0 || u[len(u)-1].Number != 1 {
					t.Skipf("the first session was not given the message as recent (%s)", describeUntagged(r))
				}
				a.Logout()
				b := t.Login(0)
				r = b.Cmd("OK", "SELECT", wire.Astring(mbox))
				if u := r.All("RECENT"); len(u) > 0 && u[len(u)-1].Number != 0 {
					t.Mismatch([]string{"* 0 RECENT"}, show1(u[len(u)-1]), "SELECT after a read-write session was told of the message")
				}
				if got := fetchFlagsOf(t, b.Tx("OK", "FETCH 1 (FLAGS)"), 1); containsFold(got, `\Recent`) {
					t.Mismatch([]string{`FLAGS without \Recent`}, "FLAGS ("+strings.Join(got, " ")+")", "a read-write session was told of the message before")
				}
			},
		}, {
			Name:      "store-flags-replacement-keeps-recent",
			Title:     `STORE FLAGS replaces the flags but leaves \Recent set`,
			Level:     conformance.Must,
			Sentence:  `\Recent can not be used as an argument in a STORE or APPEND command, and thus can not be changed at all.`,
			Commands:  []string{"STORE", "FETCH"},
			Responses: []string{"FETCH"},
			Faults: []fault.Fault{
				dropFlag(`STORE FLAGS clears \Recent`, "FETCH", `\Recent`),
			},
			Run: func(t *conformance.T) {
				mbox := t.Mailbox(0)
				t.Append(0, mbox, labelledMessage("recent-replace"))
				s := t.Login(0)
				r := s.Cmd("OK", "SELECT", wire.Astring(mbox))
				if u := r.All("RECENT"); len(u) == 0 || u[len(u)-1].Number != 1 {
					t.Skipf("the session was not given the message as recent (%s)", describeUntagged(r))
				}
				r = s.Tx("OK", `STORE 1 FLAGS (\Seen)`)
				if f := fetchByNumber(r, 1); len(f) > 0 && f[len(f)-1].Has("FLAGS") && !containsFold(f[len(f)-1].Flags, `\Recent`) {
					t.Mismatch([]string{`FLAGS (\Seen \Recent)`}, "FLAGS ("+strings.Join(f[len(f)-1].Flags, " ")+")", `STORE 1 FLAGS (\Seen)`)
				}
				if got := fetchFlagsOf(t, s.Tx("OK", "FETCH 1 (FLAGS)"), 1); !containsFold(got, `\Recent`) {
					t.Mismatch([]string{`FLAGS (\Seen \Recent)`}, "FLAGS ("+strings.Join(got, " ")+")", `after STORE 1 FLAGS (\Seen)`)
				}
			},
		}, {
			Name:      "store-cannot-remove-recent",
			Title:     `STORE -FLAGS (\Recent) leaves \Recent set, whatever its result`,
			Level:     conformance.Must,
			Sentence:  `\Recent can not be used as an argument in a STORE or APPEND command, and thus can not be changed at all.`,
			Commands:  []string{"STORE", "FETCH"},
			Responses: []string{"FETCH"},
			Faults: []fault.Fault{
				dropFlag(`STORE -FLAGS removes \Recent`, "FETCH", `\Recent`),
			},
			Run: func(t *conformance.T) {
				mbox := t.Mailbox(0)
				t.Append(0, mbox, labelledMessage("recent-remove"))
				s := t.Login(0)
				r := s.Cmd("OK", "SELECT", wire.Astring(mbox))
				if u := r.All("RECENT"); len(u) == 0 || u[len(u)-1].Number != 1 {
					t.Skipf("the session was not given the message as recent (%s)", describeUntagged(r))
				}
				s.Tx("OK|NO|BAD", `STORE 1 -FLAGS (\Recent)`)
				if got := fetchFlagsOf(t, s.Tx("OK", "FETCH 1 (FLAGS)"), 1); !containsFold(got, `\Recent`) {
					t.Mismatch([]string{`FLAGS with \Recent`}, "FLAGS ("+strings.Join(got, " ")+")", `after STORE 1 -FLAGS (\Recent)`)
				}
			},
		}, {
			Name:  "recent-at-most-one-of-two-sessions",
			Title: `Of two read-write sessions told of a new message, at most one sees it \Recent`,
			Level: conformance.Must,
			Sentence: `This session is the first session to have been notified about this message; if the session
is read-write, subsequent sessions will not see \Recent set for this message.`,
			Commands:  []string{"APPEND", "NOOP", "FETCH"},
			Responses: []string{"EXISTS", "FETCH"},
			Faults: []fault.Fault{
				addFlag(`\Recent given to every session`, "FETCH", `\Recent`),
			},
			Run: func(t *conformance.T) {
				if n := recentSessions(t); n > 1 {
					t.Mismatch([]string{`\Recent in at most one session`}, fmt.Sprintf(`\Recent in %d sessions`, n), "two read-write sessions were told of one new message")
				}
			},
		}, {
			Name:  "recent-given-to-one-of-two-sessions",
			Title: `Of two read-write sessions told of a new message, one sees it \Recent`,
			Level: conformance.Should,
			Sentence: `If it is not possible to determine whether or not this session is the first session to be
notified about a message, then that message SHOULD be considered recent.`,
			Commands:  []string{"APPEND", "NOOP", "FETCH"},
			Responses: []string{"EXISTS", "FETCH"},
			Faults: []fault.Fault{
				dropFlag(`\Recent given to no session`, "FETCH", `\Recent`),
			},
			Run: func(t *conformance.T) {
				if n := recentSessions(t); n == 0 {
					t.Mismatch([]string{`\Recent in one session`}, `\Recent in no session`, "two read-write sessions were told of one new message")
				}
			},
		}, {
			Name:  "permanentflags-star-allows-new-keyword",
			Title: `With \* in PERMANENTFLAGS a new keyword can be stored, and later sessions see it`,
			Level: conformance.Must,
			Sentence: `The PERMANENTFLAGS list can also include the special flag \*, which indicates that it is
possible to create new keywords by attempting to store those flags in the mailbox.`,
			Commands:  []string{"SELECT", "STORE", "EXAMINE", "FETCH"},
			Responses: []string{"FETCH", "FLAGS"},
			Codes:     []string{"PERMANENTFLAGS"},
			Faults: []fault.Fault{
				fault.RewriteResponse("new keyword not kept", "FETCH", `(?i)Imapgauge-Keyword`, "$$Gone"),
				fault.RewriteResponse("new keyword refused", "STORE", `^(\S+) OK `, "$1 NO "),
			},
			Run: func(t *conformance.T) {
				mbox := t.Mailbox(0)
				t.Append(0, mbox, labelledMessage("new-keyword"))
				a := t.Login(0)
				perm, _ := permanentFlags(a.Cmd("OK", "SELECT", wire.Astring(mbox)))
				if !containsFold(perm, `\*`) {
					t.Skipf(`PERMANENTFLAGS does not list \*: new keywords cannot be created`)
				}
				a.Tx("OK", "STORE 1 +FLAGS (Imapgauge-Keyword)")
				a.Logout()
				b := t.Login(0)
				b.Cmd("OK", "EXAMINE", wire.Astring(mbox))
				if got := fetchFlagsOf(t, b.Tx("OK", "FETCH 1 (FLAGS)"), 1); !containsFold(got, "Imapgauge-Keyword") {
					t.Mismatch([]string{"FLAGS with Imapgauge-Keyword"}, "FLAGS ("+strings.Join(got, " ")+")", "the keyword stored in an earlier session is gone")
				}
			},
		}},
	}
}

// recentSessions selects a private mailbox in two read-write sessions,
// delivers a message and returns in how many of them it is \Recent (RFC
// 3501 section 2.3.2).
func recentSessions(t *conformance.T) int {
	mbox := t.Mailbox(0)
	a := t.Select(0, mbox)
	b := t.Select(0, mbox)
	t.Append(0, mbox, labelledMessage("recent-shared"))
	n := 0
	for _, s := range []*conformance.Session{a, b} {
		r := s.Tx("OK", "NOOP")
		if c, ok := existsCount(r); !ok || c != 1 {
			t.Mismatch([]string{"* 1 EXISTS"}, describeUntagged(r), "%s: NOOP after a delivery to the empty mailbox", s.Name())
		}
	}
	for _, s := range []*conformance.Session{a, b} {
		if containsFold(fetchFlagsOf(t, s.Tx("OK", "FETCH 1 (FLAGS)"), 1), `\Recent`) {
			n++
		}
	}
	return n
}

func internalDateAttribute() conformance.Section {
	return conformance.Section{
		Number: "2.3.3",
		Title:  "Internal Date Message Attribute",
		Cases: []conformance.Case{{
			Name:  "internal-date-of-append-is-arrival-time",
			Title: "Without a date-time, APPEND gives the message the current time, not its Date: header",
			Level: conformance.Should,
			Sentence: `In the case of messages delivered by the IMAP4rev1 APPEND command, this SHOULD be the date
and time as specified in the APPEND command description.
... otherwise, the internal date of the resulting message is set to the current date and time`,
			Commands:  []string{"APPEND", "FETCH"},
			Responses: []string{"FETCH"},
			Faults: []fault.Fault{
				fault.RewriteResponse("internal date taken from the Date: header", "FETCH", `INTERNALDATE "[^"]*"`, `INTERNALDATE "07-Feb-1994 21:52:25 -0800"`),
			},
			Run: func(t *conformance.T) {
				mbox := t.Mailbox(0)
				before := time.Now()
				t.Append(0, mbox, labelledMessage("arrival-time"))
				after := time.Now()
				s := t.Select(0, mbox)
				got := requireFetch(t, s.Tx("OK", "FETCH 1 (INTERNALDATE)"), 1, "INTERNALDATE").InternalDate
				// A day either side allows for a server clock set apart
				// from ours; the Date: header says 1994.
				if got.Before(before.Add(-24*time.Hour)) || got.After(after.Add(24*time.Hour)) {
					t.Mismatch([]string{"the time of the APPEND, about " + before.UTC().Format("02-Jan-2006 15:04:05 -0700")},
						got.Format("02-Jan-2006 15:04:05 -0700"), "INTERNALDATE of a message appended without a date-time")
				}
			},
		}, {
			Name:  "internal-date-from-append-date-time",
			Title: "The date-time given to APPEND becomes the internal date (the same instant)",
			Level: conformance.Should,
			Sentence: `In the case of messages delivered by the IMAP4rev1 APPEND command, this SHOULD be the date
and time as specified in the APPEND command description.
If a date-time is specified, the internal date SHOULD be set in the resulting message`,
			Commands:  []string{"APPEND", "FETCH"},
			Responses: []string{"FETCH"},
			Faults: []fault.Fault{
				fault.RewriteResponse("time zone of the date-time ignored", "FETCH", `INTERNALDATE "[^"]*"`, `INTERNALDATE "17-Jul-1996 02:44:25 +0000"`),
			},
			Run: func(t *conformance.T) {
				const given = "17-Jul-1996 02:44:25 -0700"
				mbox := t.Mailbox(0)
				s := t.Login(0)
				s.Cmd("OK", "APPEND", wire.Astring(mbox), wire.Quoted(given), wire.Literal(labelledMessage("given-date")))
				s.Cmd("OK", "SELECT", wire.Astring(mbox))
				got := requireFetch(t, s.Tx("OK", "FETCH 1 (INTERNALDATE)"), 1, "INTERNALDATE").InternalDate
				want, _ := time.Parse("02-Jan-2006 15:04:05 -0700", given)
				if !got.Equal(want) {
					t.Mismatch([]string{given + " (or the same instant in another zone)"}, got.Format("02-Jan-2006 15:04:05 -0700"),
						"INTERNALDATE of a message appended with a date-time")
				}
			},
		}},
	}
}

func sizeAttribute() conformance.Section {
	const sentence = `[RFC-2822] Size Message Attribute: The number of octets in the message, as expressed in
[RFC-2822] format.`
	return conformance.Section{
		Number: "2.3.4",
		Title:  "[RFC-2822] Size Message Attribute",
		Cases: []conformance.Case{{
			Name:      "rfc822-size-equals-message-octets",
			Title:     "RFC822.SIZE is the number of octets APPEND sent and BODY[] returns",
			Level:     conformance.Must,
			Sentence:  sentence,
			Commands:  []string{"APPEND", "FETCH"},
			Responses: []string{"FETCH"},
			Faults: []fault.Fault{
				fault.RewriteResponse("size one octet off", "FETCH", `RFC822\.SIZE (\d+)`, "RFC822.SIZE ${1}1"),
			},
			Run: func(t *conformance.T) {
				mbox := t.Mailbox(0)
				t.Append(0, mbox, []byte(syntaxMessage))
				s := t.Select(0, mbox)
				f := requireFetch(t, s.Tx("OK", "FETCH 1 (RFC822.SIZE BODY.PEEK[])"), 1, "RFC822.SIZE")
				body := f.Section("")
				if body == nil {
					t.Mismatch([]string{"BODY[] in the FETCH response"}, "no BODY[]", "FETCH 1 (RFC822.SIZE BODY.PEEK[])")
				}
				if int(f.RFC822Size) != len(syntaxMessage) || len(body.Data.Value) != len(syntaxMessage) {
					t.Mismatch([]string{fmt.Sprintf("RFC822.SIZE %d and BODY[] of %d octets, as appended", len(syntaxMessage), len(syntaxMessage))},
						fmt.Sprintf("RFC822.SIZE %d, BODY[] of %d octets", f.RFC822Size, len(body.Data.Value)), "the size of a message")
				}
			},
		}, {
			Name:      "rfc822-size-counts-octets-not-characters",
			Title:     "RFC822.SIZE of a message with 8-bit UTF-8 text counts octets",
			Level:     conformance.Must,
			Sentence:  sentence,
			Commands:  []string{"APPEND", "FETCH"},
			Responses: []string{"FETCH"},
			Faults: []fault.Fault{
				fault.RewriteResponse("size counted in characters", "FETCH", `RFC822\.SIZE \d+`,
					"RFC822.SIZE "+strconv.Itoa(utf8.RuneCountInString(attributeSizeMessage))),
			},
			Run: func(t *conformance.T) {
				mbox := t.Mailbox(0)
				t.Append(0, mbox, []byte(attributeSizeMessage))
				s := t.Select(0, mbox)
				f := requireFetch(t, s.Tx("OK", "FETCH 1 (RFC822.SIZE)"), 1, "RFC822.SIZE")
				if int(f.RFC822Size) != len(attributeSizeMessage) {
					t.Mismatch([]string{fmt.Sprintf("RFC822.SIZE %d (octets)", len(attributeSizeMessage))}, fmt.Sprintf("RFC822.SIZE %d", f.RFC822Size),
						"the size of a message of %d octets and %d characters", len(attributeSizeMessage), utf8.RuneCountInString(attributeSizeMessage))
				}
			},
		}, {
			Name:      "rfc822-size-equals-header-plus-text",
			Title:     "RFC822.SIZE is the length of RFC822.HEADER plus RFC822.TEXT, and of RFC822",
			Level:     conformance.Must,
			Sentence:  sentence,
			Commands:  []string{"FETCH"},
			Responses: []string{"FETCH"},
			Faults: []fault.Fault{
				fault.RewriteResponse("size excludes the header", "FETCH", `RFC822\.SIZE \d+`, "RFC822.SIZE 100"),
			},
			Run: func(t *conformance.T) {
				mbox := t.Mailbox(0)
				t.Append(0, mbox, []byte(syntaxMessage))
				s := t.Select(0, mbox)
				r := s.Tx("OK", "FETCH 1 (RFC822.SIZE RFC822.HEADER RFC822.TEXT RFC822)")
				f := requireFetch(t, r, 1, "RFC822.SIZE")
				h, x, all := len(f.RFC822Header.Value), len(f.RFC822Text.Value), len(f.RFC822.Value)
				if int(f.RFC822Size) != h+x || int(f.RFC822Size) != all {
					t.Mismatch([]string{fmt.Sprintf("RFC822.SIZE %d = RFC822.HEADER (%d) + RFC822.TEXT (%d) = RFC822 (%d)", h+x, h, x, all)},
						fmt.Sprintf("RFC822.SIZE %d", f.RFC822Size), "FETCH 1 (RFC822.SIZE RFC822.HEADER RFC822.TEXT RFC822)")
				}
			},
		}},
	}
}
