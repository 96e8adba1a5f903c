package rfc3501

import (
	"strings"

	"github.com/imapgauge/imapgauge/conformance"
	"github.com/imapgauge/imapgauge/conformance/fault"
	"github.com/imapgauge/imapgauge/conformance/grammar"
	"github.com/imapgauge/imapgauge/conformance/wire"
)

// alertSentence is RFC 3501 section 7.1 on ALERT, with the grammar's rule
// that a response code is followed by text.
const alertSentence = `ALERT The human-readable text contains a special alert that MUST be presented to the user in a
fashion that calls the user's attention to the message.` + "\n" +
	`resp-text = ["[" resp-text-code "]" SP] text ... text = 1*TEXT-CHAR`

// checkAlerts fails the case when a response of r carries an ALERT code
// without the alert itself: the text to present. A server that sends no
// ALERT passes: there is nothing to present.
func checkAlerts(t *conformance.T, where string, responses ...*grammar.Response) {
	for _, u := range responses {
		if u == nil || u.Code == nil || u.Code.Name != "ALERT" {
			continue
		}
		if strings.TrimSpace(u.Text) == "" {
			t.Mismatch([]string{"[ALERT] followed by the alert's text"}, show1(u), "%s: an ALERT with no text to present", where)
		}
	}
}

// alertsOf returns the tagged and untagged responses of r.
func alertsOf(r *conformance.Reply) []*grammar.Response {
	return append(append([]*grammar.Response(nil), r.Untagged...), r.Tagged)
}

// malformedHeaderMessage has a header line without a colon, an encoded word
// that never ends and a Date that is no date: a server must still give its
// data (RFC 3501 section 7.1, PARSE).
const malformedHeaderMessage = "From: Ann Example <ann@example.org>\r\n" +
	"This line has no colon\r\n" +
	"Subject: =?UTF-8?Q?never=20closed\r\n" +
	"Date: the day after tomorrow\r\n" +
	"Message-ID: <malformed-header@imapgauge.example>\r\n" +
	"\r\n" +
	"The header above is broken.\r\n"

// malformedMIMEMessage is a multipart message whose boundary never appears
// and whose part headers are cut: no MIME parser can agree with it.
const malformedMIMEMessage = "From: Ann Example <ann@example.org>\r\n" +
	"Subject: broken MIME\r\n" +
	"MIME-Version: 1.0\r\n" +
	"Content-Type: multipart/mixed; boundary=\"never-used\"\r\n" +
	"Message-ID: <malformed-mime@imapgauge.example>\r\n" +
	"\r\n" +
	"--another-boundary\r\n" +
	"Content-Type: text/plain; charset=\r\n" +
	"\r\n" +
	"A part that belongs to no boundary.\r\n"

// parseSentence is RFC 3501 section 7.1 on PARSE, with the untagged NO that
// carries such a report without failing the command.
const parseSentence = `PARSE The human-readable text represents an error in parsing the [RFC-2822] header or
[MIME-IMB] headers of a message in the mailbox.` + "\n" +
	`The untagged form [of NO] indicates a warning; the command can still complete successfully.`

// appendMalformed appends message to a private mailbox and selects it; the
// case is SKIP when the server refuses the message, as APPEND may (its
// argument SHOULD be in the format of an RFC 2822 message, section 6.3.11).
func appendMalformed(t *conformance.T, messages ...string) *conformance.Session {
	mbox := t.Mailbox(0)
	s := t.Login(0)
	for _, m := range messages {
		if r := s.Cmd("OK|NO", "APPEND", wire.Astring(mbox), wire.Literal([]byte(m))); r.Status() == "NO" {
			t.Skipf("the server refuses a malformed message at APPEND: %s", show1(r.Tagged))
		}
	}
	s.Cmd("OK", "SELECT", wire.Astring(mbox))
	return s
}

// parseFault answers command with NO [PARSE], as a server that fails the
// whole command over one message it cannot parse.
func parseFault(command string) fault.Fault {
	return fault.RewriteResponse(command+" failed over a parse error", command, `^([^*+]\S*) OK [^\r]*`, "$1 NO [PARSE] cannot parse the message header")
}

// responseCodes checks the response codes of RFC 3501 section 7.1 that a
// server sends on its own initiative, where they can be observed.
func responseCodes() []conformance.Section {
	return []conformance.Section{{
		Number: "7.1",
		Title:  "Server Responses - Status Responses",
		Cases: []conformance.Case{{
			Name:      "alert-code-in-greeting-or-login-has-text",
			Title:     "An ALERT in the greeting or the answer to LOGIN comes with the alert's text (if the server sends one)",
			Level:     conformance.Must,
			Sentence:  alertSentence,
			Commands:  []string{"LOGIN"},
			Responses: []string{"OK"},
			Codes:     []string{"ALERT"},
			Faults: []fault.Fault{
				fault.InsertBefore("ALERT without text at LOGIN", "LOGIN", `^[^*+]\S* OK `, "* OK [ALERT] \r\n"),
			},
			Run: func(t *conformance.T) {
				s := t.Dial()
				checkAlerts(t, "greeting", s.Greeting)
				checkAlerts(t, "LOGIN", alertsOf(s.Login(t.User(0)))...)
			},
		}, {
			Name:      "alert-code-in-select-has-text",
			Title:     "An ALERT among the answers to SELECT comes with the alert's text (if the server sends one)",
			Level:     conformance.Must,
			Sentence:  alertSentence,
			Commands:  []string{"SELECT"},
			Responses: []string{"OK"},
			Codes:     []string{"ALERT"},
			Faults: []fault.Fault{
				fault.InsertBefore("ALERT without text at SELECT", "SELECT", `^[^*+]\S* OK `, "* NO [ALERT] \r\n"),
			},
			Run: func(t *conformance.T) {
				mbox := t.Mailbox(0)
				s := t.Login(0)
				checkAlerts(t, "SELECT", alertsOf(s.Cmd("OK", "SELECT", wire.Astring(mbox)))...)
			},
		}, {
			Name:      "alert-code-in-any-response-has-text",
			Title:     "An ALERT sent with NOOP, LIST or LOGOUT comes with the alert's text (if the server sends one)",
			Level:     conformance.Must,
			Sentence:  alertSentence,
			Commands:  []string{"NOOP", "LIST", "LOGOUT"},
			Responses: []string{"OK", "NO", "BYE"},
			Codes:     []string{"ALERT"},
			Faults: []fault.Fault{
				fault.InsertBefore("ALERT without text at NOOP", "NOOP", `^[^*+]\S* OK `, "* OK [ALERT] \r\n"),
			},
			Run: func(t *conformance.T) {
				s := t.Login(0)
				checkAlerts(t, "NOOP", alertsOf(s.Tx("OK", "NOOP"))...)
				checkAlerts(t, "LIST", alertsOf(s.Tx("OK", `LIST "" ""`))...)
				checkAlerts(t, "LOGOUT", alertsOf(s.Logout())...)
			},
		}, {
			Name:      "parse-error-in-header-does-not-fail-fetch",
			Title:     "FETCH of a message with a malformed header answers with its data; a parse error is at most a warning",
			Level:     conformance.Must,
			Sentence:  parseSentence,
			Commands:  []string{"APPEND", "FETCH"},
			Responses: []string{"FETCH", "NO"},
			Codes:     []string{"PARSE"},
			Faults: []fault.Fault{
				parseFault("FETCH"),
			},
			Run: func(t *conformance.T) {
				s := appendMalformed(t, malformedHeaderMessage)
				r := s.Tx("OK", "FETCH 1 (ENVELOPE RFC822.SIZE BODY.PEEK[HEADER])")
				f := requireFetch(t, r, 1, "ENVELOPE")
				if int(f.RFC822Size) != len(malformedHeaderMessage) {
					t.Mismatch([]string{"RFC822.SIZE of the message as appended"}, show1(r.All("FETCH")[0]), "FETCH of a message with a malformed header")
				}
			},
		}, {
			Name:      "parse-error-in-mime-does-not-fail-fetch",
			Title:     "FETCH BODYSTRUCTURE of a message with broken MIME answers with a structure; a parse error is at most a warning",
			Level:     conformance.Must,
			Sentence:  parseSentence,
			Commands:  []string{"APPEND", "FETCH"},
			Responses: []string{"FETCH", "NO"},
			Codes:     []string{"PARSE"},
			Faults: []fault.Fault{
				parseFault("FETCH"),
			},
			Run: func(t *conformance.T) {
				s := appendMalformed(t, malformedMIMEMessage)
				r := s.Tx("OK", "FETCH 1 (BODYSTRUCTURE BODY.PEEK[1])")
				requireFetch(t, r, 1, "BODYSTRUCTURE")
			},
		}, {
			Name:      "parse-error-does-not-fail-search",
			Title:     "SEARCH over a mailbox holding malformed messages completes and finds the good one",
			Level:     conformance.Must,
			Sentence:  parseSentence,
			Commands:  []string{"APPEND", "SEARCH"},
			Responses: []string{"SEARCH", "NO"},
			Codes:     []string{"PARSE"},
			Faults: []fault.Fault{
				parseFault("SEARCH"),
			},
			Run: func(t *conformance.T) {
				s := appendMalformed(t, malformedHeaderMessage, malformedMIMEMessage, string(labelledMessage("well-formed")))
				r := s.Tx("OK", "SEARCH SUBJECT well-formed")
				if got := r.One("SEARCH").Search.Nums; len(got) != 1 || got[0] != 3 {
					t.Mismatch([]string{"* SEARCH 3"}, show1(r.One("SEARCH")), "SEARCH SUBJECT well-formed beside two malformed messages")
				}
			},
		}},
	}}
}
