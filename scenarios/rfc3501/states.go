package rfc3501

import (
	"github.com/imapgauge/imapgauge/conformance"
	"github.com/imapgauge/imapgauge/conformance/fault"
)

// states checks RFC 3501 section 3: the greeting identifies the initial
// state, and commands outside their state are refused.
func states() []conformance.Section {
	return []conformance.Section{{
		Number: "3",
		Title:  "State and Flow Diagram",
		Cases: []conformance.Case{{
			Name:      "greeting-is-ok-preauth-or-bye",
			Title:     "The greeting is an untagged OK, PREAUTH or BYE",
			Level:     conformance.Must,
			Sentence:  `The initial state is identified in the server greeting.` + "\n" + `greeting = "*" SP (resp-cond-auth / resp-cond-bye) CRLF`,
			Responses: []string{"OK", "PREAUTH", "BYE"},
			Faults: []fault.Fault{
				fault.ReplaceGreeting("greeting is an untagged NO", "* NO not a greeting\r\n"),
				fault.ReplaceGreeting("greeting is tagged", "a0 OK hello\r\n"),
			},
			Run: func(t *conformance.T) {
				s := t.Dial()
				t.Expect(s.Greeting).To(conformance.HaveStatus("OK", "PREAUTH", "BYE"))
			},
		}, {
			Name:      "greeting-capability-code-lists-imap4rev1",
			Title:     "A CAPABILITY code in the greeting lists IMAP4rev1",
			Level:     conformance.Must,
			Sentence:  `capability-data  = "CAPABILITY" *(SP capability) SP "IMAP4rev1" *(SP capability)`,
			Responses: []string{"OK"},
			Codes:     []string{"CAPABILITY"},
			Faults: []fault.Fault{
				fault.ReplaceGreeting("greeting capabilities without IMAP4rev1", "* OK [CAPABILITY IMAP4 AUTH=PLAIN] ready\r\n"),
			},
			Run: func(t *conformance.T) {
				s := t.Dial()
				if s.Greeting.Code == nil || s.Greeting.Code.Name != "CAPABILITY" {
					t.Skipf("the greeting carries no CAPABILITY response code")
				}
				t.Expect(s.Greeting).To(conformance.HaveCapability("IMAP4rev1"))
			},
		}},
	}, {
		Number: "3.1",
		Title:  "Not Authenticated State",
		Cases: append([]conformance.Case{{
			Name:  "select-before-authentication-refused",
			Title: "SELECT is refused before authentication",
			Level: conformance.Must,
			Sentence: `In the not authenticated state, the client MUST supply authentication credentials
before most commands will be permitted.`,
			Commands:  []string{"SELECT"},
			Responses: []string{"NO", "BAD"},
			Faults: []fault.Fault{
				fault.RewriteResponse("SELECT before LOGIN answered OK", "SELECT", `^(\S+) (NO|BAD) `, "$1 OK "),
			},
			Run: func(t *conformance.T) {
				s := t.Dial()
				if s.Greeting.Name != "OK" {
					t.Skipf("the greeting is %s, not OK: the session does not start unauthenticated", s.Greeting.Name)
				}
				s.Tx("NO|BAD", "SELECT INBOX") // Section 3: BAD or NO, depending upon the implementation.
			},
		}, {
			Name:  "list-before-authentication-refused",
			Title: "LIST is refused before authentication",
			Level: conformance.Must,
			Sentence: `It is a protocol error for the client to attempt a command while the connection is in
an inappropriate state, and the server will respond with a BAD or NO`,
			Commands:  []string{"LIST"},
			Responses: []string{"NO", "BAD", "LIST"},
			Faults: []fault.Fault{
				fault.RewriteResponse("LIST before LOGIN answered OK", "LIST", `^(\S+) (NO|BAD) `, "$1 OK "),
			},
			Run: func(t *conformance.T) {
				s := t.Dial()
				if s.Greeting.Name != "OK" {
					t.Skipf("the greeting is %s, not OK: the session does not start unauthenticated", s.Greeting.Name)
				}
				r := s.Tx("NO|BAD", `LIST "" "*"`)
				r.Only() // No mailbox may be listed to an unauthenticated client.
			},
		}}, notAuthenticatedRefusals()...),
	}, {
		Number: "3.2",
		Title:  "Authenticated State",
		Cases:  append(authenticatedRefusals(), stateChanges()...),
	}, {
		Number: "6",
		Title:  "Client Commands",
		Cases:  rejectedCommandsKeepState(),
	}}
}
