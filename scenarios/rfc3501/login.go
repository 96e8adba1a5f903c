package rfc3501

import (
	"github.com/imapgauge/imapgauge/conformance"
	"github.com/imapgauge/imapgauge/conformance/fault"
	"github.com/imapgauge/imapgauge/conformance/wire"
)

const loginOKSentence = `OK - login completed, now in authenticated state`

func loginOKFaults() []fault.Fault {
	return []fault.Fault{
		fault.RewriteResponse("LOGIN completed with NO", "LOGIN", `^(\S+) OK `, "$1 NO "),
		fault.RewriteResponse("authenticated state refuses LIST", "LIST", `^(\S+) OK `, "$1 NO "),
	}
}

// login checks RFC 3501 section 6.2.3.
func login() []conformance.Section {
	return []conformance.Section{{
		Number: "6.2.3",
		Title:  "LOGIN Command",
		Cases: []conformance.Case{{
			Name:      "login-valid-credentials-ok",
			Title:     "LOGIN with valid credentials enters the authenticated state",
			Level:     conformance.Must,
			Sentence:  loginOKSentence,
			Commands:  []string{"LOGIN", "LIST"},
			Responses: []string{"OK"},
			Faults:    loginOKFaults(),
			Run: func(t *conformance.T) {
				s := t.Dial()
				s.Login(t.User(0))
				s.Tx("OK", `LIST "" ""`)
			},
		}, {
			Name:      "login-quoted-arguments-ok",
			Title:     "LOGIN accepts its arguments as quoted strings",
			Level:     conformance.Must,
			Sentence:  `login = "LOGIN" SP userid SP password` + "\n" + `userid = astring` + "\n" + `password = astring`,
			Commands:  []string{"LOGIN"},
			Responses: []string{"OK"},
			Faults:    loginOKFaults(),
			Run: func(t *conformance.T) {
				s := t.Dial()
				u := t.User(0)
				s.Cmd("OK", "LOGIN", wire.Quoted(u.Name), wire.QuotedSecret(u.Password))
				s.Tx("OK", `LIST "" ""`)
			},
		}, {
			Name:      "login-literal-arguments-ok",
			Title:     "LOGIN accepts its arguments as synchronising literals",
			Level:     conformance.Must,
			Sentence:  `login = "LOGIN" SP userid SP password` + "\n" + `astring = 1*ASTRING-CHAR / string` + "\n" + `string = quoted / literal`,
			Commands:  []string{"LOGIN"},
			Responses: []string{"+", "OK"},
			Faults: append(loginOKFaults(), fault.Fault{
				Name: "literal refused with BAD",
				Response: func(s *fault.State, raw []byte) ([]byte, fault.Action) {
					if s.Command == "LOGIN" && raw[0] == '+' {
						return []byte(s.Tag + " BAD literals not accepted\r\n"), fault.Forward
					}
					return raw, fault.Forward
				},
			}),
			Run: func(t *conformance.T) {
				s := t.Dial()
				u := t.User(0)
				s.Cmd("OK", "LOGIN", wire.Literal([]byte(u.Name)), wire.LiteralSecret(u.Password))
				s.Tx("OK", `LIST "" ""`)
			},
		}, {
			Name:      "login-wrong-password-no",
			Title:     "LOGIN with a wrong password is refused with NO and the session stays unauthenticated",
			Level:     conformance.Must,
			Sentence:  `NO - login failure: user name or password rejected`,
			Commands:  []string{"LOGIN", "SELECT"},
			Responses: []string{"NO"},
			Faults: []fault.Fault{
				fault.RewriteResponse("wrong password accepted", "LOGIN", `^(\S+) NO `, "$1 OK "),
				fault.RewriteResponse("SELECT after a failed LOGIN answered OK", "SELECT", `^(\S+) (NO|BAD) `, "$1 OK "),
			},
			Run: func(t *conformance.T) {
				s := t.Dial()
				u := t.User(0)
				s.Cmd("NO", "LOGIN", wire.Astring(u.Name), wire.Secret("not-"+u.Password))
				s.Tx("NO|BAD", "SELECT INBOX")
			},
		}, {
			Name:      "login-missing-password-bad",
			Title:     "LOGIN without a password is a BAD command",
			Level:     conformance.Must,
			Sentence:  `BAD - command unknown or arguments invalid`,
			Commands:  []string{"LOGIN"},
			Responses: []string{"BAD"},
			Faults: []fault.Fault{
				fault.RewriteResponse("LOGIN without password answered NO", "LOGIN", `^(\S+) BAD `, "$1 NO "),
			},
			Run: func(t *conformance.T) {
				s := t.Dial()
				s.Cmd("BAD", "LOGIN", wire.Astring(t.User(0).Name))
			},
		}, {
			Name:  "login-logindisabled-refused",
			Title: "LOGIN is refused while LOGINDISABLED is advertised",
			Level: conformance.Must,
			Sentence: `a server implementation MUST implement a configuration in which it advertises the
LOGINDISABLED capability and does NOT permit the LOGIN command.`,
			Commands:  []string{"LOGIN", "CAPABILITY"},
			Responses: []string{"CAPABILITY", "NO", "BAD"},
			Faults: []fault.Fault{
				fault.RewriteResponse("LOGINDISABLED advertised, LOGIN permitted", "CAPABILITY", `(?i)^(\* CAPABILITY [^\r]*)\r\n`, "$1 LOGINDISABLED\r\n"),
			},
			Run: func(t *conformance.T) {
				s := t.DialPlaintext()
				if !s.HasCapability("LOGINDISABLED") {
					t.Skipf("the server permits LOGIN on this plaintext connection (no LOGINDISABLED)")
				}
				// The valid password is needed to show that LOGIN is refused
				// and not merely failing; it only travels to a target the
				// user named with imap://.
				u := t.User(0)
				s.Cmd("NO|BAD", "LOGIN", wire.Astring(u.Name), wire.Secret(u.Password))
				s.Tx("NO|BAD", "SELECT INBOX")
			},
		}, {
			Name:  "login-authenticated-state-refused",
			Title: "LOGIN is refused once authenticated",
			Level: conformance.Must,
			Sentence: `Once authenticated (including as anonymous), it is not possible to re-enter not
authenticated state.`,
			Commands:  []string{"LOGIN"},
			Responses: []string{"NO", "BAD"},
			Faults: []fault.Fault{
				fault.RewriteResponse("second LOGIN answered OK", "LOGIN", `^(\S+) (NO|BAD) `, "$1 OK "),
			},
			Run: func(t *conformance.T) {
				s := t.Login(0)
				u := t.User(1)
				// Section 3: BAD or NO, depending upon the implementation.
				s.Cmd("NO|BAD", "LOGIN", wire.Astring(u.Name), wire.Secret(u.Password))
			},
		}, {
			Name:      "login-capability-code-lists-imap4rev1",
			Title:     "A CAPABILITY code in the OK of LOGIN lists IMAP4rev1",
			Level:     conformance.Must,
			Sentence:  `capability-data  = "CAPABILITY" *(SP capability) SP "IMAP4rev1" *(SP capability)`,
			Commands:  []string{"LOGIN"},
			Responses: []string{"OK"},
			Codes:     []string{"CAPABILITY"},
			Faults: []fault.Fault{
				fault.RewriteResponse("LOGIN capabilities without IMAP4rev1", "LOGIN", `(?i)^(\S+ OK \[CAPABILITY[^\]]*) IMAP4rev1`, "$1 IMAP4"),
			},
			Run: func(t *conformance.T) {
				r := t.Dial().Login(t.User(0))
				if r.Code() == nil || r.Code().Name != "CAPABILITY" {
					t.Skipf("the OK of LOGIN carries no CAPABILITY response code")
				}
				t.Expect(r.Tagged).To(conformance.HaveCapability("IMAP4rev1"))
			},
		}, {
			Name:  "login-selected-state-refused",
			Title: "LOGIN is refused in the selected state and the mailbox stays selected",
			Level: conformance.Must,
			Sentence: `Once authenticated (including as anonymous), it is not possible to re-enter not
authenticated state.`,
			Commands:  []string{"LOGIN", "SELECT", "FETCH"},
			Responses: []string{"NO", "BAD", "FETCH"},
			Faults: []fault.Fault{
				fault.RewriteResponse("LOGIN in the selected state answered OK", "LOGIN", `^(\S+) (NO|BAD) `, "$1 OK "),
			},
			Run: func(t *conformance.T) {
				mbox := t.Mailbox(0)
				t.Append(0, mbox, labelledMessage("login-selected"))
				s := t.Select(0, mbox)
				u := t.User(1)
				s.Cmd("NO|BAD", "LOGIN", wire.Astring(u.Name), wire.Secret(u.Password))
				// The credentials changed nothing: the first user's mailbox
				// is still selected.
				requireFetch(t, s.Tx("OK", "FETCH 1 (UID)"), 1, "UID")
			},
		}},
	}}
}
