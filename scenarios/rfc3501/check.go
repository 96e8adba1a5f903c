package rfc3501

import (
	"github.com/imapgauge/imapgauge/conformance"
	"github.com/imapgauge/imapgauge/conformance/fault"
)

const checkOKSentence = "Result:     OK - check completed\n" +
	"If a server implementation has no such housekeeping considerations, CHECK is equivalent to NOOP."

func checkOKFaults() []fault.Fault {
	return []fault.Fault{
		fault.RewriteResponse("CHECK completed with NO", "CHECK", `^(\S+) OK `, "$1 NO "),
		fault.RewriteResponse("CHECK completed with BAD", "CHECK", `^(\S+) OK `, "$1 BAD "),
	}
}

// checkCommand checks RFC 3501 section 6.4.1.
func checkCommand() []conformance.Section {
	return []conformance.Section{{
		Number: "6.4.1",
		Title:  "CHECK Command",
		Cases: []conformance.Case{{
			Name:      "check-selected-ok",
			Title:     "CHECK in a selected mailbox completes with OK",
			Level:     conformance.Must,
			Sentence:  checkOKSentence,
			Commands:  []string{"CHECK"},
			Responses: []string{"OK"},
			Faults:    checkOKFaults(),
			Run: func(t *conformance.T) {
				b := seedAndSelect(t, numberedMessages(2)...)
				b.s.Tx("OK", "CHECK")
			},
		}, {
			Name:      "check-examined-ok",
			Title:     "CHECK in a mailbox opened with EXAMINE completes with OK",
			Level:     conformance.Must,
			Sentence:  checkOKSentence,
			Commands:  []string{"CHECK", "EXAMINE"},
			Responses: []string{"OK"},
			Faults:    checkOKFaults(),
			Run: func(t *conformance.T) {
				b := seedAndOpen(t, "EXAMINE", numberedMessages(2)...)
				b.s.Tx("OK", "CHECK")
			},
		}, {
			Name:      "check-with-argument-bad",
			Title:     "CHECK with an argument is a BAD command",
			Level:     conformance.Must,
			Sentence:  "Arguments:  none\nBAD - command unknown or arguments invalid",
			Commands:  []string{"CHECK"},
			Responses: []string{"BAD"},
			Faults: []fault.Fault{
				fault.RewriteResponse("CHECK with an argument answered OK", "CHECK", `^(\S+) BAD `, "$1 OK "),
			},
			Run: func(t *conformance.T) {
				b := seedAndSelect(t, numberedMessages(1)...)
				b.s.Tx("BAD", "CHECK now") // check = "CHECK": no arguments.
			},
		}, {
			Name:      "check-keeps-mailbox-selected",
			Title:     "After CHECK the mailbox is still selected, with every message",
			Level:     conformance.Must,
			Sentence:  "The CHECK command requests a checkpoint of the currently selected mailbox.\nIf a server implementation has no such housekeeping considerations, CHECK is equivalent to NOOP.",
			Commands:  []string{"CHECK", "SEARCH"},
			Responses: []string{"OK", "SEARCH"},
			Faults: []fault.Fault{
				fault.RewriteCommand("CHECK closes the mailbox", `^(\S+) CHECK\r\n$`, "$1 CLOSE\r\n"),
			},
			Run: func(t *conformance.T) {
				msgs := numberedMessages(3)
				msgs[1].flags = []string{`\Deleted`}
				b := seedAndSelect(t, msgs...)
				b.s.Tx("OK", "CHECK")
				// A checkpoint expunges nothing: the \Deleted message is
				// still there.
				expectSearch(t, b.s, "SEARCH ALL", 1, 2, 3)
			},
		}, {
			Name:      "check-quiet-mailbox-reports-nothing",
			Title:     "CHECK in a mailbox nobody else changes reports no expunge and no new count",
			Level:     conformance.Must,
			Sentence:  "Responses:  no specific responses for this command\nIf a server implementation has no such housekeeping considerations, CHECK is equivalent to NOOP.",
			Commands:  []string{"CHECK"},
			Responses: []string{"OK", "EXPUNGE", "EXISTS"},
			Faults: []fault.Fault{
				fault.InsertBefore("CHECK reports an expunge nobody made", "CHECK", `^\S+ OK `, "* 2 EXPUNGE\r\n"),
				fault.InsertBefore("CHECK reports a message that does not exist", "CHECK", `^\S+ OK `, "* 3 EXISTS\r\n"),
			},
			Run: func(t *conformance.T) {
				b := seedAndSelect(t, numberedMessages(2)...)
				r := b.s.Tx("OK", "CHECK").Only("EXISTS", "RECENT", "FLAGS", "FETCH")
				// EXISTS may be repeated, but only with the same count.
				if n := lastExists(r); n != -1 && n != 2 {
					t.Mismatch([]string{"no EXISTS", "* 2 EXISTS"}, r.One("EXISTS").Raw, "CHECK: the mailbox still holds 2 messages")
				}
			},
		}},
	}}
}
