package rfc3501

import (
	"github.com/imapgauge/imapgauge/conformance"
	"github.com/imapgauge/imapgauge/conformance/fault"
)

const noopSentence = `The NOOP command always succeeds.  It does nothing.`

func noopFaults() []fault.Fault {
	return []fault.Fault{
		fault.RewriteResponse("NOOP completed with NO", "NOOP", `^(\S+) OK `, "$1 NO "),
		fault.RewriteResponse("NOOP completed with BAD", "NOOP", `^(\S+) OK `, "$1 BAD "),
	}
}

// noop checks RFC 3501 section 6.1.2.
func noop() []conformance.Section {
	return []conformance.Section{{
		Number: "6.1.2",
		Title:  "NOOP Command",
		Cases: []conformance.Case{{
			Name:      "noop-not-authenticated-ok",
			Title:     "NOOP succeeds before authentication",
			Level:     conformance.Must,
			Sentence:  noopSentence,
			Commands:  []string{"NOOP"},
			Responses: []string{"OK"},
			Faults:    noopFaults(),
			Run: func(t *conformance.T) {
				t.Dial().Tx("OK", "NOOP")
			},
		}, {
			Name:      "noop-authenticated-ok",
			Title:     "NOOP succeeds in the authenticated state",
			Level:     conformance.Must,
			Sentence:  noopSentence,
			Commands:  []string{"NOOP"},
			Responses: []string{"OK"},
			Faults:    noopFaults(),
			Run: func(t *conformance.T) {
				t.Login(0).Tx("OK", "NOOP")
			},
		}, {
			Name:      "noop-selected-ok",
			Title:     "NOOP succeeds in the selected state and reports no change in a quiet mailbox",
			Level:     conformance.Must,
			Sentence:  noopSentence,
			Commands:  []string{"NOOP", "SELECT"},
			Responses: []string{"OK", "EXPUNGE"},
			Faults: append(noopFaults(),
				fault.InsertBefore("NOOP reports a message that does not exist", "NOOP", `^\S+ OK `, "* 1 EXPUNGE\r\n")),
			Run: func(t *conformance.T) {
				s := t.Select(0, t.Mailbox(0))
				// Nobody else uses the private mailbox: there is nothing to
				// report, and an EXPUNGE of a message that never existed
				// would break section 7.4.1.
				s.Tx("OK", "NOOP").Only("EXISTS", "RECENT", "FLAGS")
			},
		}, {
			Name:      "noop-with-argument-bad",
			Title:     "NOOP with an argument is a BAD command",
			Level:     conformance.Must,
			Sentence:  `BAD - command unknown or arguments invalid`,
			Commands:  []string{"NOOP"},
			Responses: []string{"BAD"},
			Faults: []fault.Fault{
				fault.RewriteResponse("NOOP with argument answered OK", "NOOP", `^(\S+) BAD `, "$1 OK "),
			},
			Run: func(t *conformance.T) {
				t.Dial().Tx("BAD", "NOOP now") // noop = "NOOP": no arguments.
			},
		}},
	}}
}
