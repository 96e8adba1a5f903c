package rfc3501

import (
	"github.com/imapgauge/imapgauge/conformance"
	"github.com/imapgauge/imapgauge/conformance/fault"
	"github.com/imapgauge/imapgauge/conformance/wire"
)

const closeSentence = "The CLOSE command permanently removes all messages that have the \\Deleted flag set\n" +
	"from the currently selected mailbox, and returns to the authenticated state from the selected state."

// closeWithoutExpunge is the fault of a CLOSE that leaves the mailbox like
// EXAMINE of another mailbox would: closed, nothing expunged.
func closeWithoutExpunge() fault.Fault {
	return fault.RewriteCommand("CLOSE closes without expunging", `^(\S+) CLOSE\r\n$`, "$1 EXAMINE INBOX\r\n")
}

// deletedMessages returns n numbered messages, those at the given
// sequence numbers flagged \Deleted.
func deletedMessages(n int, deleted ...int) []seedMessage {
	msgs := numberedMessages(n)
	for _, d := range deleted {
		msgs[d-1].flags = []string{`\Deleted`}
	}
	return msgs
}

// closeCommand checks RFC 3501 section 6.4.2.
func closeCommand() []conformance.Section {
	return []conformance.Section{{
		Number: "6.4.2",
		Title:  "CLOSE Command",
		Cases: []conformance.Case{{
			Name:      "close-expunges-deleted-messages",
			Title:     "CLOSE removes the messages flagged \\Deleted and keeps the others",
			Level:     conformance.Must,
			Sentence:  closeSentence,
			Commands:  []string{"CLOSE", "SELECT"},
			Responses: []string{"OK"},
			Faults:    []fault.Fault{closeWithoutExpunge()},
			Run: func(t *conformance.T) {
				b := seedAndSelect(t, deletedMessages(4, 1, 3)...)
				b.s.Tx("OK", "CLOSE")
				b.s.Cmd("OK", "SELECT", wire.Astring(b.name))
				expectUIDs(t, b.s, "CLOSE then SELECT", []uint32{b.uids[1], b.uids[3]})
			},
		}, {
			Name:      "close-sends-no-expunge",
			Title:     "CLOSE sends no untagged EXPUNGE responses",
			Level:     conformance.Must,
			Sentence:  "No untagged EXPUNGE responses are sent.",
			Commands:  []string{"CLOSE"},
			Responses: []string{"OK", "EXPUNGE"},
			Faults: []fault.Fault{
				fault.InsertBefore("CLOSE reports its expunges", "CLOSE", `^\S+ OK `, "* 1 EXPUNGE\r\n"),
			},
			Run: func(t *conformance.T) {
				b := seedAndSelect(t, deletedMessages(3, 1, 2)...)
				r := b.s.Tx("OK", "CLOSE")
				if len(r.All("EXPUNGE")) > 0 {
					t.Mismatch([]string{"no untagged EXPUNGE"}, r.All("EXPUNGE")[0].Raw, "CLOSE reported an expunge")
				}
			},
		}, {
			Name:      "close-returns-to-authenticated-state",
			Title:     "After CLOSE, selected-state commands are refused and SELECT works",
			Level:     conformance.Must,
			Sentence:  "OK - close completed, now in authenticated state",
			Commands:  []string{"CLOSE", "SEARCH", "SELECT"},
			Responses: []string{"OK", "BAD", "NO"},
			Faults: []fault.Fault{
				fault.RewriteCommand("CLOSE leaves the mailbox selected", `^(\S+) CLOSE\r\n$`, "$1 CHECK\r\n"),
			},
			Run: func(t *conformance.T) {
				b := seedAndSelect(t, numberedMessages(2)...)
				b.s.Tx("OK", "CLOSE")
				// Section 3: a command in the wrong state gets BAD or NO.
				b.s.Tx("BAD|NO", "SEARCH ALL")
				b.s.Cmd("OK", "SELECT", wire.Astring(b.name))
			},
		}, {
			Name:      "close-examined-removes-nothing",
			Title:     "CLOSE of a mailbox opened with EXAMINE removes nothing and gives no error",
			Level:     conformance.Must,
			Sentence:  "No messages are removed, and no error is given, if the mailbox is selected\nby an EXAMINE command or is otherwise selected read-only.",
			Commands:  []string{"CLOSE", "EXAMINE", "SELECT"},
			Responses: []string{"OK"},
			Faults: []fault.Fault{
				fault.RewriteCommand("EXAMINE opens read-write", `^(\S+) EXAMINE `, "$1 SELECT "),
				fault.RewriteResponse("CLOSE of a read-only mailbox answered NO", "CLOSE", `^(\S+) OK `, "$1 NO "),
			},
			Run: func(t *conformance.T) {
				b := seedAndOpen(t, "EXAMINE", deletedMessages(3, 1, 2)...)
				b.s.Tx("OK", "CLOSE")
				b.s.Cmd("OK", "SELECT", wire.Astring(b.name))
				expectUIDs(t, b.s, "EXAMINE, CLOSE, then SELECT", b.uids)
			},
		}, {
			Name:      "close-other-session-sees-expunge",
			Title:     "Another session with the mailbox selected learns of the messages CLOSE removed",
			Level:     conformance.Must,
			Sentence:  closeSentence,
			Commands:  []string{"CLOSE", "NOOP"},
			Responses: []string{"EXPUNGE"},
			Faults:    []fault.Fault{closeWithoutExpunge()},
			Run: func(t *conformance.T) {
				b := seedAndSelect(t, deletedMessages(3, 2)...)
				other := t.Select(0, b.name)
				b.s.Tx("OK", "CLOSE")
				r := other.Tx("OK", "NOOP")
				left, err := applyExpunges(b.uids, r)
				if err != nil {
					t.Failf("NOOP after another session's CLOSE: %v", err)
				}
				if !sameNums(left, []uint32{b.uids[0], b.uids[2]}) {
					t.Mismatch([]string{"* 2 EXPUNGE"}, showUntagged(r), "NOOP in another session after CLOSE removed message 2")
				}
				expectUIDs(t, other, "the other session after CLOSE", left)
			},
		}, {
			Name:      "close-with-argument-bad",
			Title:     "CLOSE with an argument is a BAD command, and the mailbox stays selected",
			Level:     conformance.Must,
			Sentence:  "Arguments:  none\nBAD - command unknown or arguments invalid",
			Commands:  []string{"CLOSE"},
			Responses: []string{"BAD"},
			Faults: []fault.Fault{
				fault.RewriteResponse("CLOSE with an argument answered OK", "CLOSE", `^(\S+) BAD `, "$1 OK "),
			},
			Run: func(t *conformance.T) {
				b := seedAndSelect(t, numberedMessages(1)...)
				b.s.Tx("BAD", "CLOSE now") // close = "CLOSE": no arguments.
				expectSearch(t, b.s, "SEARCH ALL", 1)
			},
		}},
	}}
}
