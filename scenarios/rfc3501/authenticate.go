package rfc3501

import (
	"github.com/emersion/go-sasl"

	"github.com/imapgauge/imapgauge/conformance"
	"github.com/imapgauge/imapgauge/conformance/fault"
	"github.com/imapgauge/imapgauge/conformance/grammar"
)

// authenticate checks RFC 3501 section 6.2.2.
func authenticate() []conformance.Section {
	return []conformance.Section{{
		Number: "6.2.2",
		Title:  "AUTHENTICATE Command",
		Cases: []conformance.Case{{
			Name:  "authenticate-plain-ok",
			Title: "AUTHENTICATE PLAIN with valid credentials enters the authenticated state",
			Level: conformance.Must,
			Sentence: `OK - authenticate completed, now in authenticated state
... it is not required to implement any authentication mechanisms other than the PLAIN mechanism`,
			Commands:  []string{"AUTHENTICATE", "LIST"},
			Responses: []string{"+", "OK"},
			Needs:     []string{"AUTH=PLAIN"},
			Faults: []fault.Fault{
				fault.RewriteResponse("AUTHENTICATE completed with NO", "AUTHENTICATE", `^(\S+) OK `, "$1 NO "),
				fault.RewriteResponse("authenticated state refuses LIST", "LIST", `^(\S+) OK `, "$1 NO "),
			},
			Run: func(t *conformance.T) {
				s := t.Dial()
				s.Require("AUTH=PLAIN")
				u := t.User(0)
				s.Authenticate(sasl.NewPlainClient("", u.Name, u.Password), "OK")
				s.Tx("OK", `LIST "" ""`) // Authenticated: the hierarchy delimiter may be asked.
			},
		}, {
			Name:      "authenticate-wrong-password-no",
			Title:     "AUTHENTICATE PLAIN with a wrong password is refused with NO",
			Level:     conformance.Must,
			Sentence:  `NO - authenticate failure: unsupported authentication mechanism, credentials rejected`,
			Commands:  []string{"AUTHENTICATE", "SELECT"},
			Responses: []string{"NO"},
			Needs:     []string{"AUTH=PLAIN"},
			Faults: []fault.Fault{
				fault.RewriteResponse("wrong password accepted", "AUTHENTICATE", `^(\S+) NO `, "$1 OK "),
			},
			Run: func(t *conformance.T) {
				s := t.Dial()
				s.Require("AUTH=PLAIN")
				u := t.User(0)
				s.Authenticate(sasl.NewPlainClient("", u.Name, "not-"+u.Password), "NO")
				s.Tx("NO|BAD", "SELECT INBOX") // Still not authenticated.
			},
		}, {
			Name:  "authenticate-cancel-bad",
			Title: `A "*" line cancels AUTHENTICATE with a tagged BAD`,
			Level: conformance.Must,
			Sentence: `If the client wishes to cancel an authentication exchange, it issues a line consisting of
a single "*".  If the server receives such a response, it MUST reject the AUTHENTICATE
command by sending a tagged BAD response.`,
			Commands:  []string{"AUTHENTICATE"},
			Responses: []string{"+", "BAD"},
			Needs:     []string{"AUTH=PLAIN"},
			Faults: []fault.Fault{
				fault.RewriteResponse("cancelled AUTHENTICATE completed with NO", "AUTHENTICATE", `^(\S+) BAD `, "$1 NO "),
			},
			Run: func(t *conformance.T) {
				s := t.Dial()
				s.Require("AUTH=PLAIN")
				tag := s.Conn.NextTag()
				s.WriteRaw(tag+" AUTHENTICATE PLAIN\r\n", tag)
				s.ExpectContinuation("AUTHENTICATE PLAIN")
				s.WriteRaw("*\r\n")
				s.WaitTag(tag, "BAD")
			},
		}, {
			Name:  "authenticate-challenge-is-base64",
			Title: "AUTHENTICATE challenges are base64",
			Level: conformance.Must,
			Sentence: `A server challenge consists of a command continuation request response with the "+"
token followed by a BASE64 encoded string.`,
			Commands:  []string{"AUTHENTICATE"},
			Responses: []string{"+"},
			Needs:     []string{"AUTH=PLAIN"},
			Faults: []fault.Fault{
				fault.RewriteResponse("challenge is not base64", "AUTHENTICATE", `^\+[^\r]*\r\n`, "+ send credentials!\r\n"),
			},
			Run: func(t *conformance.T) {
				s := t.Dial()
				s.Require("AUTH=PLAIN")
				tag := s.Conn.NextTag()
				s.WriteRaw(tag+" AUTHENTICATE PLAIN\r\n", tag)
				c := s.ExpectContinuation("AUTHENTICATE PLAIN")
				if !c.Base64 {
					t.Mismatch([]string{"+ followed by base64 (possibly empty)"}, c.Raw, "the challenge is not base64")
				}
				s.WriteRaw("*\r\n")
				s.WaitTag(tag, "BAD")
			},
		}, {
			Name:  "authenticate-unknown-mechanism-no",
			Title: "AUTHENTICATE with an unsupported mechanism is refused with NO",
			Level: conformance.Should,
			Sentence: `If the requested authentication mechanism is not supported, the server SHOULD reject
the AUTHENTICATE command by sending a tagged NO response.`,
			Commands:  []string{"AUTHENTICATE"},
			Responses: []string{"NO"},
			Faults: []fault.Fault{
				fault.RewriteResponse("unknown mechanism refused with BAD", "AUTHENTICATE", `^(\S+) NO `, "$1 BAD "),
			},
			Run: func(t *conformance.T) {
				s := t.Dial()
				tag := s.Conn.NextTag()
				s.WriteRaw(tag+" AUTHENTICATE X-IMAPGAUGE-NO-SUCH-MECHANISM\r\n", tag)
				r := s.ReadResponse()
				for r.Kind == grammar.Untagged {
					r = s.ReadResponse()
				}
				if r.Kind == grammar.Continuation {
					s.WriteRaw("*\r\n")
					s.WaitTag(tag, "")
					t.Mismatch([]string{"tagged NO"}, r.Raw, "the server started an exchange for a mechanism it cannot support")
				}
				t.Expect(r).To(conformance.HaveStatus("NO"))
			},
		}, {
			Name:  "authenticate-authenticated-state-refused",
			Title: "AUTHENTICATE is refused once authenticated",
			Level: conformance.Must,
			Sentence: `Once authenticated (including as anonymous), it is not possible to re-enter not
authenticated state.`,
			Commands:  []string{"AUTHENTICATE"},
			Responses: []string{"NO", "BAD"},
			Faults: []fault.Fault{
				fault.RewriteResponse("second AUTHENTICATE answered OK", "AUTHENTICATE", `^(\S+) (NO|BAD) `, "$1 OK "),
			},
			Run: func(t *conformance.T) {
				s := t.Login(0)
				tag := s.Conn.NextTag()
				s.WriteRaw(tag+" AUTHENTICATE PLAIN\r\n", tag)
				r := s.ReadResponse()
				for r.Kind == grammar.Untagged {
					r = s.ReadResponse()
				}
				if r.Kind == grammar.Continuation {
					s.WriteRaw("*\r\n")
					s.WaitTag(tag, "")
					t.Mismatch([]string{"tagged NO", "tagged BAD"}, r.Raw, "the server started an authentication exchange in the authenticated state")
				}
				// Section 3: BAD or NO, depending upon the implementation.
				t.Expect(r).To(conformance.HaveStatus("NO", "BAD"))
			},
		}, {
			Name:      "authenticate-capability-code-lists-imap4rev1",
			Title:     "A CAPABILITY code in the OK of AUTHENTICATE lists IMAP4rev1",
			Level:     conformance.Must,
			Sentence:  `capability-data  = "CAPABILITY" *(SP capability) SP "IMAP4rev1" *(SP capability)`,
			Commands:  []string{"AUTHENTICATE"},
			Responses: []string{"OK"},
			Codes:     []string{"CAPABILITY"},
			Needs:     []string{"AUTH=PLAIN"},
			Faults: []fault.Fault{
				fault.RewriteResponse("AUTHENTICATE capabilities without IMAP4rev1", "AUTHENTICATE", `(?i)^(\S+ OK \[CAPABILITY[^\]]*) IMAP4rev1`, "$1 IMAP4"),
			},
			Run: func(t *conformance.T) {
				s := t.Dial()
				s.Require("AUTH=PLAIN")
				u := t.User(0)
				r := s.Authenticate(sasl.NewPlainClient("", u.Name, u.Password), "OK")
				if r.Code() == nil || r.Code().Name != "CAPABILITY" {
					t.Skipf("the OK of AUTHENTICATE carries no CAPABILITY response code")
				}
				t.Expect(r.Tagged).To(conformance.HaveCapability("IMAP4rev1"))
			},
		}, {
			Name:  "authenticate-selected-state-refused",
			Title: "AUTHENTICATE is refused in the selected state and the mailbox stays selected",
			Level: conformance.Must,
			Sentence: `Once authenticated (including as anonymous), it is not possible to re-enter not
authenticated state.`,
			Commands:  []string{"AUTHENTICATE", "SELECT", "FETCH"},
			Responses: []string{"NO", "BAD"},
			Faults: []fault.Fault{
				fault.RewriteResponse("AUTHENTICATE in the selected state answered OK", "AUTHENTICATE", `^(\S+) (NO|BAD) `, "$1 OK "),
			},
			Run: func(t *conformance.T) {
				mbox := t.Mailbox(0)
				t.Append(0, mbox, labelledMessage("authenticate-selected"))
				s := t.Select(0, mbox)
				tag := s.Conn.NextTag()
				s.WriteRaw(tag+" AUTHENTICATE PLAIN\r\n", tag)
				r := s.ReadResponse()
				for r.Kind == grammar.Untagged {
					r = s.ReadResponse()
				}
				if r.Kind == grammar.Continuation {
					s.WriteRaw("*\r\n")
					s.WaitTag(tag, "")
					t.Mismatch([]string{"tagged NO", "tagged BAD"}, r.Raw, "the server started an authentication exchange in the selected state")
				}
				t.Expect(r).To(conformance.HaveStatus("NO", "BAD"))
				requireFetch(t, s.Tx("OK", "FETCH 1 (UID)"), 1, "UID")
			},
		}},
	}}
}
