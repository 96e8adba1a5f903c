package rfc3501

import (
	"github.com/imapgauge/imapgauge/conformance"
	"github.com/imapgauge/imapgauge/conformance/fault"
)

const capabilitySentence = `The server MUST send a single untagged CAPABILITY response with "IMAP4rev1"
as one of the listed capabilities before the (tagged) OK response.`

// capabilityFaults break the CAPABILITY response in the ways the sentence
// forbids: missing, repeated, without IMAP4rev1, completed with NO.
func capabilityFaults() []fault.Fault {
	return []fault.Fault{
		fault.DropResponse("untagged CAPABILITY dropped", "CAPABILITY", `^\* CAPABILITY `),
		fault.InsertAfter("untagged CAPABILITY sent twice", "CAPABILITY", `^\* CAPABILITY `, "* CAPABILITY IMAP4rev1\r\n"),
		fault.RewriteResponse("IMAP4rev1 missing from CAPABILITY", "CAPABILITY", `(?i) IMAP4rev1`, " IMAP4"),
		fault.RewriteResponse("CAPABILITY completed with NO", "CAPABILITY", `^(\S+) OK `, "$1 NO "),
	}
}

// checkCapability runs CAPABILITY on s and checks the required response.
func checkCapability(t *conformance.T, s *conformance.Session) {
	r := s.Tx("OK", "CAPABILITY")
	t.Expect(r.One("CAPABILITY")).To(conformance.HaveCapability("IMAP4rev1"))
}

// capability checks RFC 3501 section 6.1.1.
func capability() []conformance.Section {
	return []conformance.Section{{
		Number: "6.1.1",
		Title:  "CAPABILITY Command",
		Cases: []conformance.Case{{
			Name:      "capability-not-authenticated",
			Title:     "CAPABILITY before authentication lists IMAP4rev1 once",
			Level:     conformance.Must,
			Sentence:  capabilitySentence,
			Commands:  []string{"CAPABILITY"},
			Responses: []string{"CAPABILITY", "OK"},
			Faults:    capabilityFaults(),
			Run: func(t *conformance.T) {
				checkCapability(t, t.Dial())
			},
		}, {
			Name:      "capability-authenticated",
			Title:     "CAPABILITY in the authenticated state lists IMAP4rev1 once",
			Level:     conformance.Must,
			Sentence:  capabilitySentence,
			Commands:  []string{"CAPABILITY"},
			Responses: []string{"CAPABILITY", "OK"},
			Faults:    capabilityFaults(),
			Run: func(t *conformance.T) {
				checkCapability(t, t.Login(0))
			},
		}, {
			Name:      "capability-selected",
			Title:     "CAPABILITY in the selected state lists IMAP4rev1 once",
			Level:     conformance.Must,
			Sentence:  capabilitySentence,
			Commands:  []string{"CAPABILITY"},
			Responses: []string{"CAPABILITY", "OK"},
			Faults:    capabilityFaults(),
			Run: func(t *conformance.T) {
				s := t.Select(0, t.Mailbox(0))
				checkCapability(t, s)
			},
		}, {
			Name:      "capability-plaintext",
			Title:     "CAPABILITY on a plaintext connection lists IMAP4rev1 once",
			Level:     conformance.Must,
			Sentence:  capabilitySentence,
			Commands:  []string{"CAPABILITY"},
			Responses: []string{"CAPABILITY", "OK"},
			Faults:    capabilityFaults(),
			Run: func(t *conformance.T) {
				checkCapability(t, t.DialPlaintext())
			},
		}, {
			Name:      "capability-with-argument-bad",
			Title:     "CAPABILITY with an argument is a BAD command",
			Level:     conformance.Must,
			Sentence:  `BAD - command unknown or arguments invalid`,
			Commands:  []string{"CAPABILITY"},
			Responses: []string{"BAD"},
			Faults: []fault.Fault{
				fault.RewriteResponse("CAPABILITY with argument answered OK", "CAPABILITY", `^(\S+) BAD `, "$1 OK "),
			},
			Run: func(t *conformance.T) {
				s := t.Dial()
				s.Tx("BAD", "CAPABILITY IMAP4rev1") // capability = "CAPABILITY": no arguments.
			},
		}},
	}}
}
