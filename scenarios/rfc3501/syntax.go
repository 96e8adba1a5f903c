package rfc3501

import (
	"github.com/imapgauge/imapgauge/conformance"
	"github.com/imapgauge/imapgauge/conformance/fault"
)

// syntaxMessage is a small message whose FETCH responses exercise most of
// the response grammar: an envelope with a group-less address list, a
// multipart body structure, an encoded word.
const syntaxMessage = "From: Ann Example <ann@example.org>\r\n" +
	"To: Bob <bob@example.org>, carol@example.org\r\n" +
	"Subject: =?UTF-8?Q?caf=C3=A9?= syntax\r\n" +
	"Date: Mon, 7 Feb 1994 21:52:25 -0800\r\n" +
	"Message-ID: <syntax@example.org>\r\n" +
	"MIME-Version: 1.0\r\n" +
	"Content-Type: multipart/mixed; boundary=\"b1\"\r\n" +
	"\r\n" +
	"--b1\r\n" +
	"Content-Type: text/plain; charset=us-ascii\r\n" +
	"\r\n" +
	"Hello.\r\n" +
	"--b1\r\n" +
	"Content-Type: application/octet-stream\r\n" +
	"Content-Transfer-Encoding: base64\r\n" +
	"\r\n" +
	"AAECAw==\r\n" +
	"--b1--\r\n"

// selectedWithMessage creates a private mailbox holding syntaxMessage and
// returns a session with it selected.
func selectedWithMessage(t *conformance.T) *conformance.Session {
	mailbox := t.Mailbox(0)
	t.Append(0, mailbox, []byte(syntaxMessage), `\Flagged`)
	return t.Select(0, mailbox)
}

// syntax holds the grammar-only checks of RFC 3501 section 9: each makes
// the server produce one family of responses, which the strict grammar
// validates as it does for every response of every case.
func syntax() []conformance.Section {
	return []conformance.Section{{
		Number: "9",
		Title:  "Formal Syntax",
		Cases: append([]conformance.Case{{
			Name:      "list-responses-well-formed",
			Title:     "LIST responses follow mailbox-list",
			Level:     conformance.Must,
			Sentence:  `mailbox-list = "(" [mbx-list-flags] ")" SP (DQUOTE QUOTED-CHAR DQUOTE / nil) SP mailbox`,
			Commands:  []string{"LIST"},
			Responses: []string{"LIST"},
			Faults: []fault.Fault{
				fault.RewriteResponse("LIST attributes without parentheses", "LIST", `^\* LIST \(([^)]*)\)`, "* LIST $1"),
				fault.RewriteResponse("LIST delimiter unquoted", "LIST", `^(\* LIST \([^)]*\)) "(.)"`, "$1 $2"),
			},
			Run: func(t *conformance.T) {
				s := t.Login(0)
				t.Expect(s.Tx("OK", `LIST "" "*"`)).To(conformance.HaveUntagged("LIST"))
				s.Tx("OK", `LIST "" ""`).One("LIST")
			},
		}, {
			Name:  "select-responses-well-formed",
			Title: "SELECT responses and their codes follow the grammar",
			Level: conformance.Must,
			Sentence: `resp-text-code = ... "UIDNEXT" SP nz-number / "UIDVALIDITY" SP nz-number / "UNSEEN" SP nz-number` + "\n" +
				`flag = "\Answered" / "\Flagged" / "\Deleted" / "\Seen" / "\Draft" / flag-keyword / flag-extension`,
			Commands:  []string{"SELECT"},
			Responses: []string{"FLAGS", "OK"},
			Codes:     []string{"UIDNEXT", "UIDVALIDITY", "PERMANENTFLAGS"},
			Faults: []fault.Fault{
				fault.RewriteResponse("UIDVALIDITY zero", "SELECT", `\[UIDVALIDITY \d+\]`, "[UIDVALIDITY 0]"),
				fault.RewriteResponse("FLAGS list unterminated", "SELECT", `^\* FLAGS \(([^)]*)\)`, "* FLAGS ($1"),
				fault.RewriteResponse("FLAGS lists \\Recent", "SELECT", `^\* FLAGS \(`, `* FLAGS (\Recent `),
			},
			Run: func(t *conformance.T) {
				mailbox := t.Mailbox(0)
				s := t.Login(0)
				r := s.Cmd("OK", "SELECT", astring(mailbox))
				t.Expect(r).To(conformance.HaveUntagged("FLAGS"))
			},
		}, {
			Name:      "status-response-well-formed",
			Title:     "STATUS responses follow status-att-list",
			Level:     conformance.Must,
			Sentence:  `mailbox-data =/ "STATUS" SP mailbox SP "(" [status-att-list] ")"` + "\n" + `status-att-list = status-att SP number *(SP status-att SP number)`,
			Commands:  []string{"STATUS"},
			Responses: []string{"STATUS"},
			Faults: []fault.Fault{
				fault.RewriteResponse("STATUS item without number", "STATUS", `MESSAGES \d+`, "MESSAGES"),
			},
			Run: func(t *conformance.T) {
				mailbox := t.Mailbox(0)
				s := t.Login(0)
				s.Cmd("OK", "STATUS", astring(mailbox), listOf("MESSAGES", "RECENT", "UIDNEXT", "UIDVALIDITY", "UNSEEN")).One("STATUS")
			},
		}, {
			Name:      "fetch-responses-well-formed",
			Title:     "FETCH responses for every item follow msg-att",
			Level:     conformance.Must,
			Sentence:  `message-data = nz-number SP ("EXPUNGE" / ("FETCH" SP msg-att))` + "\n" + `date-time = DQUOTE date-day-fixed "-" date-month "-" date-year SP time SP zone DQUOTE`,
			Commands:  []string{"FETCH"},
			Responses: []string{"FETCH"},
			Faults: []fault.Fault{
				fault.RewriteResponse("INTERNALDATE month invalid", "FETCH", `INTERNALDATE "(..)-...-`, `INTERNALDATE "$1-Foo-`),
				fault.RewriteResponse("RFC822.SIZE negative", "FETCH", `RFC822\.SIZE (\d+)`, "RFC822.SIZE -$1"),
			},
			Run: func(t *conformance.T) {
				s := selectedWithMessage(t)
				s.Tx("OK", "FETCH 1 (FLAGS INTERNALDATE RFC822.SIZE ENVELOPE BODYSTRUCTURE UID)").One("FETCH")
				s.Tx("OK", "FETCH 1 (BODY BODY.PEEK[HEADER] BODY.PEEK[1] BODY.PEEK[2.MIME] BODY.PEEK[]<0.10>)").One("FETCH")
			},
		}, {
			Name:      "search-response-well-formed",
			Title:     "SEARCH responses list nz-numbers",
			Level:     conformance.Must,
			Sentence:  `mailbox-data =/ "SEARCH" *(SP nz-number)`,
			Commands:  []string{"SEARCH", "UID"},
			Responses: []string{"SEARCH"},
			Faults: []fault.Fault{
				fault.RewriteResponse("SEARCH lists zero", "SEARCH", `^\* SEARCH[^\r]*\r\n`, "* SEARCH 0\r\n"),
			},
			Run: func(t *conformance.T) {
				s := selectedWithMessage(t)
				s.Tx("OK", "SEARCH ALL").One("SEARCH")
				s.Tx("OK", "UID SEARCH FLAGGED").One("SEARCH")
			},
		}}, tokenCases()...),
	}}
}
