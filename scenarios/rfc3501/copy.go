package rfc3501

import (
	"bytes"
	"fmt"
	"time"

	"github.com/imapgauge/imapgauge/conformance"
	"github.com/imapgauge/imapgauge/conformance/fault"
	"github.com/imapgauge/imapgauge/conformance/wire"
)

const (
	copySentence     = "The COPY command copies the specified message(s) to the end of the specified destination mailbox."
	copyKeepSentence = "The flags and internal date of the message(s) SHOULD be preserved, and the Recent flag\nSHOULD be set, in the copy."
	tryCreateSayings = "Unless it is certain that the destination mailbox can not be created, the server MUST send\nthe response code \"[TRYCREATE]\" as the prefix of the text of the tagged NO response."
)

// copiedMessage is one message of a mailbox as a COPY case reads it.
type copiedMessage struct {
	text  []byte
	flags []string
	date  time.Time
}

// readMailbox opens mailbox with EXAMINE in a new session of user 1 and
// returns its messages in order: octets, flags and internal date. EXAMINE
// leaves the messages' \Recent flags to a later SELECT (section 6.3.2).
func readMailbox(t *conformance.T, mailbox string) []copiedMessage {
	s := t.Login(0)
	r := s.Cmd("OK", "EXAMINE", wire.Astring(mailbox))
	return readMessages(t, s, lastExists(r))
}

// readMessages returns messages 1 to n of the mailbox selected in s.
func readMessages(t *conformance.T, s *conformance.Session, n int) []copiedMessage {
	if n <= 0 {
		return nil
	}
	out := make([]copiedMessage, n)
	r := s.Tx("OK", fmt.Sprintf("FETCH 1:%d (FLAGS INTERNALDATE BODY.PEEK[])", n))
	for _, f := range r.All("FETCH") {
		if f.Number < 1 || int(f.Number) > n {
			continue
		}
		m := &out[f.Number-1]
		if f.Fetch.Has("FLAGS") {
			m.flags = f.Fetch.Flags
		}
		if f.Fetch.Has("INTERNALDATE") {
			m.date = f.Fetch.InternalDate
		}
		if sec := f.Fetch.Section(""); sec != nil {
			m.text = []byte(sec.Data.Value)
		}
	}
	return out
}

// subjects renders the Subject lines of messages for a failure message.
func subjects(msgs []copiedMessage) string {
	var parts []string
	for i, m := range msgs {
		subject := "?"
		for _, line := range bytes.Split(m.text, []byte("\r\n")) {
			if bytes.HasPrefix(line, []byte("Subject: ")) {
				subject = string(line[len("Subject: "):])
				break
			}
		}
		parts = append(parts, fmt.Sprintf("%d: %s", i+1, subject))
	}
	if len(parts) == 0 {
		return "no messages"
	}
	return fmt.Sprint(parts)
}

// copyDestination is the suffix of the destination mailbox's name in the
// COPY cases: the second mailbox a case creates (T.Mailbox).
const copyDestination = "-2"

// copySetup seeds a source mailbox with msgs, selected, and creates an
// empty destination mailbox.
func copySetup(t *conformance.T, msgs ...seedMessage) (*seededBox, string) {
	b := seedAndSelect(t, msgs...)
	return b, t.Mailbox(0)
}

// flaggedMessages are three messages with distinct flags and internal
// dates, for the cases on what a copy keeps.
func flaggedMessages() []seedMessage {
	msgs := numberedMessages(3)
	msgs[0].flags, msgs[0].date = []string{`\Seen`, `\Answered`}, "14-Feb-2020 08:30:00 +0100"
	msgs[1].flags, msgs[1].date = []string{`\Flagged`, `\Draft`}, "29-Feb-2020 23:59:59 -0800"
	msgs[2].flags, msgs[2].date = nil, "01-Jul-2019 00:00:01 +0000"
	return msgs
}

// copyCommand checks RFC 3501 section 6.4.7.
func copyCommand() []conformance.Section {
	return []conformance.Section{{
		Number: "6.4.7",
		Title:  "COPY Command",
		Cases: []conformance.Case{{
			Name:      "copy-appends-to-destination-end",
			Title:     "COPY 2:3 puts copies of messages 2 and 3, octet for octet, after the destination's messages",
			Level:     conformance.Must,
			Sentence:  copySentence,
			Commands:  []string{"COPY", "EXAMINE"},
			Responses: []string{"OK"},
			Faults: []fault.Fault{
				rewriteCommandOf("COPY copies the first message of a range only", "COPY", ` 2:3 `, " 2 "),
				inMailbox("copies altered", copyDestination, "FETCH", `message 3`, "message 9"),
			},
			Run: func(t *conformance.T) {
				b, dest := copySetup(t, numberedMessages(3)...)
				existing := seedMessage{text: buildMessage("Already there.\n", "Subject: existing")}
				t.Append(0, dest, existing.text)
				b.s.Cmd("OK", "COPY", wire.Atom("2:3"), wire.Astring(dest))
				got := readMailbox(t, dest)
				src := numberedMessages(3)
				inOrder := len(got) == 3 && bytes.Equal(got[1].text, src[1].text) && bytes.Equal(got[2].text, src[2].text)
				swapped := len(got) == 3 && bytes.Equal(got[1].text, src[2].text) && bytes.Equal(got[2].text, src[1].text)
				if len(got) != 3 || !bytes.Equal(got[0].text, existing.text) || !inOrder && !swapped {
					t.Mismatch([]string{"[1: existing 2: message 2 3: message 3]", "[1: existing 2: message 3 3: message 2]"}, subjects(got),
						"the destination after COPY 2:3 (each copy identical to its source)")
				}
			},
		}, {
			Name:      "copy-leaves-source-unchanged",
			Title:     "COPY leaves the source messages and their flags as they were",
			Level:     conformance.Must,
			Sentence:  copySentence,
			Commands:  []string{"COPY", "FETCH"},
			Responses: []string{"FETCH"},
			Faults: []fault.Fault{
				alsoRuns("COPY also sets \\Seen on its source", "COPY", func(line string) []string {
					return []string{`STORE 1:* +FLAGS.SILENT (\Seen)`}
				}),
			},
			Run: func(t *conformance.T) {
				msgs := flaggedMessages()
				b, dest := copySetup(t, msgs...)
				b.s.Cmd("OK", "COPY", wire.Atom("1:3"), wire.Astring(dest))
				expectUIDs(t, b.s, "the source after COPY", b.uids)
				for i, m := range msgs {
					expectFlags(t, b.s, uint32(i+1), "in the source after COPY", m.flags...)
				}
			},
		}, {
			Name:      "copy-keeps-flags",
			Title:     "The copies have the flags of their sources",
			Level:     conformance.Should,
			Sentence:  copyKeepSentence,
			Commands:  []string{"COPY"},
			Responses: []string{"FETCH"},
			Faults: []fault.Fault{
				inMailbox("copies lose their flags", copyDestination, "FETCH", `FLAGS \([^)]*\)`, "FLAGS ()"),
			},
			Run: func(t *conformance.T) {
				msgs := flaggedMessages()
				b, dest := copySetup(t, msgs...)
				b.s.Cmd("OK", "COPY", wire.Atom("1:3"), wire.Astring(dest))
				got := readMailbox(t, dest)
				for i, m := range msgs {
					if i >= len(got) || !sameFlagSet(got[i].flags, m.flags) {
						var actual []string
						if i < len(got) {
							actual = got[i].flags
						}
						t.Mismatch([]string{flagListText(m.flags) + " (\\Recent aside)"}, flagListText(actual), "flags of the copy of message %d", i+1)
					}
				}
			},
		}, {
			Name:      "copy-keeps-internal-date",
			Title:     "The copies have the internal dates of their sources",
			Level:     conformance.Should,
			Sentence:  copyKeepSentence,
			Commands:  []string{"COPY"},
			Responses: []string{"FETCH"},
			Faults: []fault.Fault{
				inMailbox("copies dated when copied", copyDestination, "FETCH", `INTERNALDATE "[^"]*"`, `INTERNALDATE "01-Jan-2022 00:00:00 +0000"`),
			},
			Run: func(t *conformance.T) {
				b, dest := copySetup(t, flaggedMessages()...)
				var src []copiedMessage
				t.Setup(func() { src = readMessages(t, b.s, 3) })
				b.s.Cmd("OK", "COPY", wire.Atom("1:3"), wire.Astring(dest))
				got := readMailbox(t, dest)
				for i, m := range src {
					// The same instant: a server may show it in another
					// zone (Dovecot gives its own).
					want := m.date
					if i >= len(got) || !got[i].date.Equal(want) {
						actual := "no message"
						if i < len(got) {
							actual = got[i].date.Format(appendTimeLayout)
						}
						t.Mismatch([]string{want.Format(appendTimeLayout) + " (the same instant in any zone)"}, actual, "internal date of the copy of message %d", i+1)
					}
				}
			},
		}, {
			Name:      "copy-sets-recent",
			Title:     "The copies are \\Recent in the first session that selects the destination",
			Level:     conformance.Should,
			Sentence:  copyKeepSentence,
			Commands:  []string{"COPY", "SELECT"},
			Responses: []string{"FETCH", "RECENT"},
			Faults: []fault.Fault{
				fault.Chain("copies not \\Recent",
					inMailbox("", copyDestination, "FETCH", `\\Recent ?`, ""),
					inMailbox("", copyDestination, "FETCH", ` \)`, ")")),
				inMailbox("RECENT counts no copy", copyDestination, "SELECT", `^\* 3 RECENT`, "* 0 RECENT"),
			},
			Run: func(t *conformance.T) {
				b, dest := copySetup(t, flaggedMessages()...)
				b.s.Cmd("OK", "COPY", wire.Atom("1:3"), wire.Astring(dest))
				s := t.Login(0)
				r := s.Cmd("OK", "SELECT", wire.Astring(dest))
				if rs := r.All("RECENT"); len(rs) == 0 || rs[len(rs)-1].Number != 3 {
					t.Mismatch([]string{"* 3 RECENT"}, showUntagged(r), "SELECT of the destination holding 3 copies")
				}
				for i, m := range readMessages(t, s, lastExists(r)) {
					if !flagListed(m.flags, `\Recent`) {
						t.Mismatch([]string{"\\Recent among the flags"}, flagListText(m.flags), "flags of copy %d in the first session to select the destination", i+1)
					}
				}
			},
		}, {
			Name:      "copy-missing-destination-trycreate",
			Title:     "COPY to a mailbox that does not exist is a NO with TRYCREATE",
			Level:     conformance.Must,
			Sentence:  tryCreateSayings,
			Commands:  []string{"COPY"},
			Responses: []string{"NO"},
			Codes:     []string{"TRYCREATE"},
			Faults: []fault.Fault{
				fault.RewriteResponse("TRYCREATE left out", "COPY", `^(\S+) NO \[TRYCREATE\] `, "$1 NO "),
				fault.RewriteResponse("missing destination answered BAD", "COPY", `^(\S+) NO `, "$1 BAD "),
			},
			Run: func(t *conformance.T) {
				b := seedAndSelect(t, numberedMessages(1)...)
				r := b.s.Cmd("NO", "COPY", wire.Atom("1"), wire.Astring(missingMailbox(t, b.name)))
				t.Expect(r).To(conformance.HaveCode("TRYCREATE"))
			},
		}, {
			Name:      "copy-missing-destination-fails",
			Title:     "COPY to a mailbox that does not exist fails",
			Level:     conformance.Should,
			Sentence:  "If the destination mailbox does not exist, a server SHOULD return an error.",
			Commands:  []string{"COPY"},
			Responses: []string{"NO"},
			Faults:    []fault.Fault{createsDestination()},
			Run: func(t *conformance.T) {
				b := seedAndSelect(t, numberedMessages(1)...)
				absent := missingMailbox(t, b.name)
				b.s.Cmd("NO|BAD", "COPY", wire.Atom("1"), wire.Astring(absent))
			},
		}, {
			Name:      "copy-missing-destination-not-created",
			Title:     "COPY to a mailbox that does not exist does not create it",
			Level:     conformance.Should,
			Sentence:  "It SHOULD NOT automatically create the mailbox.",
			Commands:  []string{"COPY", "LIST"},
			Responses: []string{"NO", "LIST"},
			Faults:    []fault.Fault{createsDestination()},
			Run: func(t *conformance.T) {
				b := seedAndSelect(t, numberedMessages(1)...)
				absent := missingMailbox(t, b.name)
				b.s.Cmd("", "COPY", wire.Atom("1"), wire.Astring(absent))
				r := b.s.Cmd("OK", "LIST", wire.Quoted(""), wire.Astring(absent))
				if len(r.All("LIST")) > 0 {
					t.Mismatch([]string{"no LIST response: the mailbox does not exist"}, r.One("LIST").Raw, "LIST after COPY to a missing mailbox")
				}
			},
		}, {
			Name:      "copy-failure-leaves-destination-unchanged",
			Title:     "A COPY that fails adds nothing to the destination",
			Level:     conformance.Must,
			Sentence:  "If the COPY command is unsuccessful for any reason, server implementations MUST\nrestore the destination mailbox to its state before the COPY attempt.",
			Commands:  []string{"COPY", "STATUS"},
			Responses: []string{"BAD", "NO", "STATUS"},
			Faults: []fault.Fault{
				alsoRuns("COPY copies what exists before failing", "COPY", func(line string) []string {
					return []string{"COPY 1:3 " + lastArgument(line)}
				}),
			},
			Run: func(t *conformance.T) {
				b, dest := copySetup(t, numberedMessages(3)...)
				// Message 5 does not exist: the server should answer BAD
				// (section 9, seq-number), or NO. If it copies anyway,
				// there is no failure to judge.
				r := b.s.Cmd("", "COPY", wire.Atom("1:5"), wire.Astring(dest))
				if r.Status() == "OK" {
					return
				}
				st := b.s.Cmd("OK", "STATUS", wire.Astring(dest), listOf("MESSAGES"))
				if n := st.One("STATUS").Status.Items["MESSAGES"]; n != 0 {
					t.Mismatch([]string{"MESSAGES 0"}, st.One("STATUS").Raw, "the destination after a COPY that failed with %s", r.Status())
				}
			},
		}, {
			Name:      "copy-to-selected-mailbox-reports-exists",
			Title:     "COPY into the selected mailbox is reported with EXISTS, and the copy is the last message",
			Level:     conformance.Must,
			Sentence:  "A server MUST send mailbox size updates automatically if a mailbox size change\nis observed during the processing of a command.",
			Commands:  []string{"COPY", "NOOP"},
			Responses: []string{"EXISTS"},
			Faults: []fault.Fault{
				fault.Chain("EXISTS not sent after COPY",
					fault.DropResponse("", "COPY", `^\* \d+ EXISTS`), fault.DropResponse("", "NOOP", `^\* \d+ EXISTS`)),
				rewriteCommandOf("COPY into the selected mailbox does nothing", "COPY", `^(\S+) COPY .*\r\n$`, "$1 NOOP\r\n"),
			},
			Run: func(t *conformance.T) {
				b := seedAndSelect(t, numberedMessages(2)...)
				r := b.s.Cmd("OK", "COPY", wire.Atom("1"), wire.Astring(b.name))
				n := lastExists(r)
				if n == -1 {
					// Not observed during COPY itself: NOOP must report it.
					n = lastExists(b.s.Tx("OK", "NOOP"))
				}
				if n != 3 {
					t.Mismatch([]string{"* 3 EXISTS with COPY or the next NOOP"}, fmt.Sprintf("%d", n), "COPY 1 into the selected mailbox of 2 messages")
				}
				got := readMessages(t, b.s, 3)
				if want := numberedMessages(1)[0].text; !bytes.Equal(got[2].text, want) {
					t.Mismatch([]string{"message 3 a copy of message 1"}, subjects(got), "the mailbox after COPY 1 into itself")
				}
			},
		}, {
			Name:      "copy-missing-mailbox-argument-bad",
			Title:     "COPY without its mailbox is a BAD",
			Level:     conformance.Must,
			Sentence:  "copy = \"COPY\" SP sequence-set SP mailbox\nBAD - command unknown or arguments invalid",
			Commands:  []string{"COPY"},
			Responses: []string{"BAD"},
			Faults: []fault.Fault{
				fault.RewriteResponse("COPY without mailbox answered NO", "COPY", `^(\S+) BAD `, "$1 NO "),
			},
			Run: func(t *conformance.T) {
				b := seedAndSelect(t, numberedMessages(1)...)
				b.s.Tx("BAD", "COPY 1")
			},
		}, {
			Name:      "copy-beyond-mailbox-bad",
			Title:     "COPY of a message number beyond the mailbox is a BAD",
			Level:     conformance.Should,
			Sentence:  "The server should respond with a tagged BAD response to a command that uses a message\nsequence number greater than the number of messages in the selected mailbox.",
			Commands:  []string{"COPY"},
			Responses: []string{"BAD"},
			Faults: []fault.Fault{
				fault.RewriteResponse("number beyond the mailbox ignored", "COPY", `^(\S+) BAD `, "$1 OK "),
			},
			Run: func(t *conformance.T) {
				b, dest := copySetup(t, numberedMessages(2)...)
				b.s.Cmd("BAD", "COPY", wire.Atom("3"), wire.Astring(dest))
			},
		}},
	}}
}

// missingMailbox returns a name, derived from a private mailbox's, that no
// mailbox has; a cleanup deletes it should a server create it.
func missingMailbox(t *conformance.T, private string) string {
	name := private + "-absent"
	t.Cleanup(func() {
		s := t.Login(0)
		s.Cmd("OK|NO", "DELETE", wire.Astring(name))
	})
	return name
}

// createsDestination is the fault of a server that creates the missing
// destination of a COPY.
func createsDestination() fault.Fault {
	create := func(line string) []string { return []string{"CREATE " + lastArgument(line)} }
	return fault.Chain("COPY creates a missing destination",
		alsoRuns("", "COPY", create), alsoRuns("", "UID COPY", create))
}
