package rfc3501

import (
	"strings"

	"github.com/imapgauge/imapgauge/conformance"
	"github.com/imapgauge/imapgauge/conformance/fault"
	"github.com/imapgauge/imapgauge/conformance/wire"
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
			Responses: []string{"OK", "PREAUTH"},
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
		}, {
			Name:  "greeting-announces-the-initial-state",
			Title: "After an OK greeting LOGIN is needed, after PREAUTH it is not, after BYE the server closes",
			Level: conformance.Must,
			Sentence: `The untagged form [of OK] is also used as one of three possible greetings at connection startup.
It indicates that the connection is not yet authenticated and that a LOGIN command is needed.` + "\n" +
				`[PREAUTH] indicates that the connection has already been authenticated by external means; thus no LOGIN command is needed.`,
			Commands:  []string{"LIST", "LOGIN"},
			Responses: []string{"OK", "PREAUTH", "BYE", "LIST"},
			Faults: []fault.Fault{
				fault.ReplaceGreeting("PREAUTH greeting on a session that needs LOGIN", "* PREAUTH [CAPABILITY IMAP4rev1] ready\r\n"),
				fault.ReplaceGreeting("BYE greeting, then the session goes on", "* BYE [CAPABILITY IMAP4rev1] busy\r\n"),
			},
			Run: func(t *conformance.T) {
				s := t.Dial()
				switch s.Greeting.Name {
				case "OK":
					s.Tx("NO|BAD", `LIST "" ""`).Only()
				case "PREAUTH":
					s.Tx("OK", `LIST "" ""`).One("LIST")
					// Authenticated already: the state cannot go back.
					u := t.User(0)
					s.Cmd("NO|BAD", "LOGIN", wire.Astring(u.Name), wire.Secret(u.Password))
				case "BYE":
					// The server rejected the connection (section 7.1.5):
					// nothing more may be executed.
					tag := s.Conn.NextTag()
					if _, err := s.Conn.WriteRaw([]byte(tag+" NOOP\r\n"), tag); err != nil {
						return // Closed already.
					}
					if r, err := s.Conn.ReadResponse(); err == nil {
						t.Mismatch([]string{"the connection closed after the BYE greeting"}, strings.TrimRight(firstLineOf(string(r.Raw)), "\r\n"),
							"the server went on after greeting with BYE")
					}
				}
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
		Number: "3.4",
		Title:  "Logout State",
		Cases:  logoutState(),
	}, {
		Number: "6",
		Title:  "Client Commands",
		Cases:  rejectedCommandsKeepState(),
	}}
}
