package rfc3501

import (
	"fmt"
	"strings"

	"github.com/imapgauge/imapgauge/conformance"
	"github.com/imapgauge/imapgauge/conformance/fault"
	"github.com/imapgauge/imapgauge/conformance/grammar"
	"github.com/imapgauge/imapgauge/conformance/wire"
)

// syntaxSentence is RFC 3501 section 2.2.2 on commands that break the
// grammar: a SHOULD, so a lenient server gets WARN.
const syntaxSentence = `Any client command with a protocol syntax error, including (but not limited to) missing or
extraneous spaces or arguments, SHOULD be rejected, and the client given a BAD server completion
response.`

// shortSyntaxSentence is syntaxSentence in two lines, leaving a line for the
// rule a case breaks.
const shortSyntaxSentence = `Any client command with a protocol syntax error ... SHOULD be rejected, and the client given a
BAD server completion response.`

// subjectMessage is a message with the given subject, for SEARCH cases.
func subjectMessage(subject string) []byte {
	return []byte("From: Ann Example <ann@example.org>\r\n" +
		"Subject: " + subject + "\r\n" +
		"Date: Wed, 3 Mar 2021 10:00:00 +0000\r\n" +
		"\r\n" +
		"A message about " + subject + ".\r\n")
}

// literalRefused stands for a server that answers a synchronising literal
// of command with a tagged BAD instead of the continuation request.
func literalRefused(command string) fault.Fault {
	return fault.Fault{
		Name: "literal of " + command + " refused with BAD",
		Response: func(s *fault.State, raw []byte) ([]byte, fault.Action) {
			if s.Command == command && raw[0] == '+' {
				return []byte(s.Tag + " BAD literals not accepted\r\n"), fault.Forward
			}
			return raw, fault.Forward
		},
	}
}

// dataFormats checks RFC 3501 section 4: every form a data item may take is
// accepted, and the forms the grammar forbids are refused.
func dataFormats() []conformance.Section {
	return []conformance.Section{{
		Number: "4",
		Title:  "Data Formats",
		Cases: []conformance.Case{{
			Name:  "mailbox-as-atom-quoted-string-and-literal",
			Title: "A mailbox name is the same mailbox whether sent as an atom, a quoted string or a literal",
			Level: conformance.Must,
			Sentence: `Note that a particular data item may take more than one form; for example, a data item defined
as using "astring" syntax may be either an atom or a string.`,
			Commands:  []string{"STATUS"},
			Responses: []string{"STATUS", "+"},
			Faults: []fault.Fault{
				rewriteNth("mailbox sent as a literal not found", "STATUS", 3, `^(\S+) OK `, "$1 NO "),
				literalRefused("STATUS"),
			},
			Run: func(t *conformance.T) {
				mbox := t.Mailbox(0)
				t.Append(0, mbox, labelledMessage("astring-forms"))
				s := t.Login(0)
				for _, form := range []wire.Arg{wire.Atom(mbox), wire.Quoted(mbox), wire.Literal([]byte(mbox))} {
					r := s.Cmd("OK", "STATUS", form, listOf("MESSAGES"))
					if n := r.One("STATUS").Status.Items["MESSAGES"]; n != 1 {
						t.Mismatch([]string{"MESSAGES 1"}, show1(r.One("STATUS")), "%s", r.Command)
					}
				}
			},
		}},
	}, {
		Number: "4.1",
		Title:  "Atom",
		Cases: []conformance.Case{{
			Name:      "atom-with-atom-special-bad",
			Title:     `A mailbox atom containing "(" is a syntax error`,
			Level:     conformance.Should,
			Sentence:  shortSyntaxSentence + "\n" + `An atom consists of one or more non-special characters.`,
			Commands:  []string{"STATUS"},
			Responses: []string{"BAD"},
			Faults: []fault.Fault{
				fault.RewriteResponse(`"(" taken as part of an atom`, "STATUS", `^(\S+) BAD `, "$1 NO "),
			},
			Run: func(t *conformance.T) {
				// An atom consists of one or more non-special characters;
				// "(" is an atom-special.
				t.Login(0).Tx("BAD", "STATUS imapgauge(unquoted (MESSAGES)")
			},
		}},
	}, {
		Number: "4.2",
		Title:  "Number",
		Cases: []conformance.Case{{
			Name:      "sequence-number-with-leading-zero-bad",
			Title:     "FETCH 01 is a syntax error: nz-number has no leading zero",
			Level:     conformance.Should,
			Sentence:  shortSyntaxSentence + "\n" + `nz-number = digit-nz *DIGIT ; Non-zero unsigned 32-bit integer`,
			Commands:  []string{"FETCH"},
			Responses: []string{"BAD"},
			Faults: []fault.Fault{
				fault.RewriteResponse("leading zero accepted", "FETCH", `^(\S+) BAD `, "$1 OK "),
			},
			Run: func(t *conformance.T) {
				mbox := t.Mailbox(0)
				t.Append(0, mbox, labelledMessage("leading-zero"))
				// nz-number = digit-nz *DIGIT
				t.Select(0, mbox).Tx("BAD", "FETCH 01 (UID)")
			},
		}, {
			Name:      "literal-count-beyond-32-bits-refused",
			Title:     "A literal of 4294967296 octets is refused, not waited for",
			Level:     conformance.Should,
			Sentence:  shortSyntaxSentence + "\n" + `number = 1*DIGIT ; Unsigned 32-bit integer (0 <= n < 4,294,967,296)`,
			Commands:  []string{"APPEND"},
			Responses: []string{"NO", "BAD", "+"},
			Faults: []fault.Fault{
				fault.RewriteResponse("33-bit literal accepted", "APPEND", `^\S+ (NO|BAD) [^\r]*\r\n`, "+ Ready for literal data\r\n"),
			},
			Run: func(t *conformance.T) {
				mbox := t.Mailbox(0)
				s := t.Login(0)
				tag := s.Conn.NextTag()
				s.WriteRaw(tag+" APPEND "+mbox+" {4294967296}\r\n", tag)
				r := s.ReadResponse()
				for r.Kind == grammar.Untagged {
					r = s.ReadResponse()
				}
				if r.Kind == grammar.Continuation {
					t.Mismatch([]string{"tagged BAD", "tagged NO"}, r.Raw, "the server asked for 4294967296 octets, a count beyond 32 bits")
				}
				if r.Tag != tag || (r.Name != "BAD" && r.Name != "NO") {
					t.Mismatch([]string{"tagged BAD", "tagged NO"}, show1(r), "APPEND with a literal of 4294967296 octets")
				}
			},
		}},
	}, {
		Number: "4.3",
		Title:  "String",
		Cases: []conformance.Case{{
			Name:  "quoted-string-escapes-accepted",
			Title: `A quoted string with \" and \\ escapes is read as the characters they stand for`,
			Level: conformance.Must,
			Sentence: `quoted = DQUOTE *QUOTED-CHAR DQUOTE` + "\n" +
				`QUOTED-CHAR = <any TEXT-CHAR except quoted-specials> / "\" quoted-specials`,
			Commands:  []string{"SEARCH"},
			Responses: []string{"SEARCH"},
			Faults: []fault.Fault{
				fault.RewriteResponse("escapes read literally", "SEARCH", `^\* SEARCH[^\r]*`, "* SEARCH"),
			},
			Run: func(t *conformance.T) {
				mbox := t.Mailbox(0)
				t.Append(0, mbox, subjectMessage(`say "hi" \o/ now`))
				t.Append(0, mbox, subjectMessage(`say hi o now`))
				r := t.Select(0, mbox).Tx("OK", `SEARCH SUBJECT "say \"hi\" \\o/"`)
				if got := r.One("SEARCH").Search.Nums; len(got) != 1 || got[0] != 1 {
					t.Mismatch([]string{"* SEARCH 1"}, show1(r.One("SEARCH")), `SEARCH for the subject say "hi" \o/`)
				}
			},
		}, {
			Name:  "empty-literal-gets-continuation-request",
			Title: "A literal of zero octets is a string too, and the server asks for it with +",
			Level: conformance.Must,
			Sentence: `The empty string is represented as either "" (a quoted string with zero characters between
double quotes) or as {0} followed by CRLF (a literal with an octet count of 0).
Note: Even if the octet count is 0, a client transmitting a literal MUST wait to receive a command continuation request.`,
			Commands:  []string{"LIST"},
			Responses: []string{"+", "LIST"},
			Faults: []fault.Fault{
				literalRefused("LIST"),
			},
			Run: func(t *conformance.T) {
				s := t.Login(0)
				want := s.Tx("OK", `LIST "" ""`).One("LIST").List
				got := s.Cmd("OK", "LIST", wire.Literal(nil), wire.Quoted("")).One("LIST").List
				if got.Delimiter != want.Delimiter || got.Mailbox != want.Mailbox {
					t.Mismatch([]string{fmt.Sprintf("the answer to LIST \"\" \"\": delimiter %q, name %q", want.Delimiter, want.Mailbox)},
						fmt.Sprintf("delimiter %q, name %q", got.Delimiter, got.Mailbox), `LIST {0} ""`)
				}
			},
		}, {
			Name:      "quoted-string-with-8bit-bad",
			Title:     "A quoted string with 8-bit octets is a syntax error: they need a literal",
			Level:     conformance.Should,
			Sentence:  shortSyntaxSentence + "\n" + `A quoted string is a sequence of zero or more 7-bit characters, excluding CR and LF`,
			Commands:  []string{"SEARCH"},
			Responses: []string{"BAD"},
			Faults: []fault.Fault{
				fault.RewriteResponse("8-bit quoted string accepted", "SEARCH", `^(\S+) BAD `, "$1 OK "),
			},
			Run: func(t *conformance.T) {
				mbox := t.Mailbox(0)
				t.Append(0, mbox, []byte(attributeSizeMessage))
				// A quoted string is a sequence of zero or more 7-bit
				// characters (section 4.3).
				t.Select(0, mbox).Tx("BAD", "SEARCH CHARSET UTF-8 SUBJECT \"Grüße\"")
			},
		}, {
			Name:  "8bit-header-sent-as-literal",
			Title: "An 8-bit Subject comes back in ENVELOPE as a literal, never as a quoted string",
			Level: conformance.Must,
			Sentence: `A quoted string is a sequence of zero or more 7-bit characters, excluding CR and LF, with double
quote (<">) characters at each end.`,
			Commands:  []string{"FETCH"},
			Responses: []string{"FETCH"},
			Faults: []fault.Fault{
				fault.RewriteResponse("8-bit subject sent as a quoted string", "FETCH", `\{7\}\r\nGrüße`, `"Grüße"`),
			},
			Run: func(t *conformance.T) {
				mbox := t.Mailbox(0)
				t.Append(0, mbox, []byte(attributeSizeMessage))
				// The grammar check of every response rejects 8-bit octets
				// in a quoted string; the value must still be the header's.
				env := requireFetch(t, t.Select(0, mbox).Tx("OK", "FETCH 1 (ENVELOPE)"), 1, "ENVELOPE").Envelope
				if env.Subject.Value != "Grüße" && !strings.Contains(env.Subject.Value, "=?") {
					t.Mismatch([]string{"Subject Grüße (as in the header)"}, "Subject "+env.Subject.String(), "FETCH 1 (ENVELOPE)")
				}
			},
		}},
	}, {
		Number: "4.4",
		Title:  "Parenthesized List",
		Cases: []conformance.Case{{
			Name:      "append-empty-flag-list-accepted",
			Title:     "APPEND accepts () as its flag list and the message has no flags",
			Level:     conformance.Must,
			Sentence:  `The empty list is represented as () -- a parenthesized list with no members.`,
			Commands:  []string{"APPEND", "FETCH"},
			Responses: []string{"FETCH"},
			Faults: []fault.Fault{
				fault.RewriteResponse("empty flag list refused", "APPEND", `^(\S+) OK `, "$1 BAD "),
			},
			Run: func(t *conformance.T) {
				mbox := t.Mailbox(0)
				s := t.Login(0)
				s.Cmd("OK", "APPEND", wire.Astring(mbox), wire.List(), wire.Literal(labelledMessage("empty-list")))
				s.Cmd("OK", "EXAMINE", wire.Astring(mbox))
				for _, f := range fetchFlagsOf(t, s.Tx("OK", "FETCH 1 (FLAGS)"), 1) {
					if !strings.EqualFold(f, `\Recent`) {
						t.Mismatch([]string{`FLAGS () or FLAGS (\Recent)`}, "a flag "+f, "a message appended with the flag list ()")
					}
				}
			},
		}, {
			Name:      "store-empty-flag-list-clears-flags",
			Title:     "STORE FLAGS () clears every flag",
			Level:     conformance.Must,
			Sentence:  `The empty list is represented as () -- a parenthesized list with no members.`,
			Commands:  []string{"STORE", "FETCH"},
			Responses: []string{"FETCH"},
			Faults: []fault.Fault{
				addFlag(`\Seen kept by STORE FLAGS ()`, "FETCH", `\Seen`),
			},
			Run: func(t *conformance.T) {
				mbox := t.Mailbox(0)
				t.Append(0, mbox, labelledMessage("clear-flags"), `\Seen`, `\Flagged`)
				s := t.Select(0, mbox)
				s.Tx("OK", "STORE 1 FLAGS.SILENT ()")
				for _, f := range fetchFlagsOf(t, s.Tx("OK", "FETCH 1 (FLAGS)"), 1) {
					if !strings.EqualFold(f, `\Recent`) {
						t.Mismatch([]string{`FLAGS () or FLAGS (\Recent)`}, "a flag "+f, "after STORE 1 FLAGS.SILENT ()")
					}
				}
			},
		}, {
			Name:      "no-flags-sent-as-empty-list",
			Title:     "A message without flags is reported as FLAGS (), never as NIL",
			Level:     conformance.Must,
			Sentence:  `The empty list is represented as () -- a parenthesized list with no members.`,
			Commands:  []string{"EXAMINE", "FETCH"},
			Responses: []string{"FETCH"},
			Faults: []fault.Fault{
				fault.RewriteResponse("no flags sent as NIL", "FETCH", `FLAGS \(\)`, "FLAGS NIL"),
			},
			Run: func(t *conformance.T) {
				mbox := t.Mailbox(0)
				t.Append(0, mbox, labelledMessage("no-flags"))
				// A first session takes \Recent, so that the second sees no
				// flag at all.
				t.Select(0, mbox).Logout()
				s := t.Login(0)
				s.Cmd("OK", "EXAMINE", wire.Astring(mbox))
				if got := fetchFlagsOf(t, s.Tx("OK", "FETCH 1 (FLAGS)"), 1); len(got) != 0 {
					t.Skipf("the message still has flags (%s) in a later session", strings.Join(got, " "))
				}
			},
		}},
	}, {
		Number: "4.5",
		Title:  "NIL",
		Cases: []conformance.Case{{
			Name:  "nil-atom-in-astring-is-a-string",
			Title: "SEARCH SUBJECT NIL searches for the text NIL",
			Level: conformance.Must,
			Sentence: `Note: NIL is never used for any data item which takes the form of an atom.  For example, a
mailbox name of "NIL" is a mailbox named NIL as opposed to a non-existent mailbox name.  This is
because mailbox uses "astring" syntax which is an atom or a string.`,
			Commands:  []string{"SEARCH"},
			Responses: []string{"SEARCH"},
			Faults: []fault.Fault{
				fault.RewriteResponse("NIL taken as the empty string", "SEARCH", `^\* SEARCH[^\r]*`, "* SEARCH 1 2"),
			},
			Run: func(t *conformance.T) {
				mbox := t.Mailbox(0)
				t.Append(0, mbox, subjectMessage("values"))
				t.Append(0, mbox, subjectMessage("NIL values"))
				r := t.Select(0, mbox).Tx("OK", "SEARCH SUBJECT NIL")
				if got := r.One("SEARCH").Search.Nums; len(got) != 1 || got[0] != 2 {
					t.Mismatch([]string{"* SEARCH 2"}, show1(r.One("SEARCH")), "SEARCH SUBJECT NIL (search-key SUBJECT takes an astring)")
				}
			},
		}},
	}}
}
