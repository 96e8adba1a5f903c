package rfc3501

import (
	"errors"
	"io"

	"github.com/imapgauge/imapgauge/conformance"
	"github.com/imapgauge/imapgauge/conformance/fault"
	"github.com/imapgauge/imapgauge/conformance/wire"
)

const logoutSentence = `The server MUST send a BYE untagged response before the (tagged) OK response,
and then close the network connection.`

func logoutFaults() []fault.Fault {
	return []fault.Fault{
		fault.DropResponse("BYE dropped from LOGOUT", "LOGOUT", `^\* BYE `),
		fault.RewriteResponse("LOGOUT completed with NO", "LOGOUT", `^(\S+) OK `, "$1 NO "),
	}
}

// logout checks RFC 3501 section 6.1.3.
func logout() []conformance.Section {
	return []conformance.Section{{
		Number: "6.1.3",
		Title:  "LOGOUT Command",
		Cases: []conformance.Case{{
			Name:      "logout-not-authenticated-bye-then-ok",
			Title:     "LOGOUT before authentication: untagged BYE, then tagged OK",
			Level:     conformance.Must,
			Sentence:  logoutSentence,
			Commands:  []string{"LOGOUT"},
			Responses: []string{"BYE", "OK"},
			Faults:    logoutFaults(),
			Run: func(t *conformance.T) {
				t.Dial().Logout()
			},
		}, {
			Name:      "logout-authenticated-bye-then-ok",
			Title:     "LOGOUT in the authenticated state: untagged BYE, then tagged OK",
			Level:     conformance.Must,
			Sentence:  logoutSentence,
			Commands:  []string{"LOGOUT"},
			Responses: []string{"BYE", "OK"},
			Faults:    logoutFaults(),
			Run: func(t *conformance.T) {
				t.Login(0).Logout()
			},
		}, {
			Name:      "logout-selected-bye-then-ok",
			Title:     "LOGOUT in the selected state: untagged BYE, then tagged OK",
			Level:     conformance.Must,
			Sentence:  logoutSentence,
			Commands:  []string{"LOGOUT"},
			Responses: []string{"BYE", "OK"},
			Faults:    logoutFaults(),
			Run: func(t *conformance.T) {
				s := t.Select(0, t.Mailbox(0))
				s.Logout()
			},
		}, {
			Name:      "logout-closes-connection",
			Title:     "The server closes the connection after the tagged OK of LOGOUT",
			Level:     conformance.Must,
			Sentence:  logoutSentence,
			Commands:  []string{"LOGOUT"},
			Responses: []string{"OK"},
			Faults: []fault.Fault{
				fault.KeepOpenAfterClose("connection kept open after LOGOUT"),
				fault.InsertAfter("data after the LOGOUT completion", "LOGOUT", `^\S+ OK `, "* OK still here\r\n"),
			},
			Run: func(t *conformance.T) {
				s := t.Login(0)
				s.Tx("OK", "LOGOUT")
				// Nothing may follow the tagged OK but the close.
				_, err := s.Conn.ReadResponse()
				switch {
				case err == nil:
					t.Mismatch([]string{"the connection closed"}, "another response", "the server sent a response after the LOGOUT completion")
				case wire.IsTimeout(err):
					t.Mismatch([]string{"the connection closed"}, "the connection still open",
						"the server did not close the connection after LOGOUT: %v", err)
				case !errors.Is(err, io.EOF) && !isReset(err):
					t.Errorf("reading after LOGOUT: %v", err)
				}
			},
		}},
	}}
}
