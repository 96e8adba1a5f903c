package rfc3501

import (
	"strings"

	"github.com/imapgauge/imapgauge/conformance"
	"github.com/imapgauge/imapgauge/conformance/fault"
)

// caseSentence is the rule of RFC 3501 section 9 that makes every token of
// the grammar case-insensitive.
const caseSentence = `The use of upper or lower case characters to define token strings is for editorial clarity
only.  Implementations MUST accept these strings in a case-insensitive fashion.`

// tokenCases check how the server reads the tokens of commands (RFC 3501
// section 9): in any case, and not when they are malformed.
func tokenCases() []conformance.Case {
	return []conformance.Case{{
		Name:      "lower-case-commands-accepted",
		Title:     "Command names in lower case are accepted",
		Level:     conformance.Must,
		Sentence:  caseSentence,
		Commands:  []string{"CAPABILITY", "NOOP", "LIST"},
		Responses: []string{"CAPABILITY", "LIST"},
		Faults: []fault.Fault{
			fault.RewriteResponse("lower-case NOOP refused", "NOOP", `^(\S+) OK `, "$1 BAD "),
			fault.RewriteResponse("lower-case LIST refused", "LIST", `^(\S+) OK `, "$1 BAD "),
		},
		Run: func(t *conformance.T) {
			s := t.Dial()
			s.Tx("OK", "capability").One("CAPABILITY")
			s.Tx("OK", "noop")
			s.Login(t.User(0))
			s.Tx("OK", `list "" ""`).One("LIST")
		},
	}, {
		Name:      "mixed-case-fetch-items-accepted",
		Title:     "FETCH data items and section names in mixed case are accepted",
		Level:     conformance.Must,
		Sentence:  caseSentence,
		Commands:  []string{"FETCH"},
		Responses: []string{"FETCH"},
		Faults: []fault.Fault{
			fault.RewriteResponse("mixed-case FETCH items refused", "FETCH", `^(\S+) OK `, "$1 BAD "),
		},
		Run: func(t *conformance.T) {
			s := selectedWithMessage(t)
			r := s.Tx("OK", "Fetch 1 (Flags uid Rfc822.Size body.peek[header.fields (subject)])")
			f := requireFetch(t, r, 1, "UID")
			for _, item := range []string{"FLAGS", "RFC822.SIZE"} {
				if !f.Has(item) {
					t.Mismatch([]string{"FETCH data with FLAGS, UID, RFC822.SIZE and BODY[HEADER.FIELDS (SUBJECT)]"}, show1(r.All("FETCH")[0]),
						"%s missing from the answer to mixed-case items", item)
				}
			}
			if len(f.Sections) != 1 || !strings.Contains(strings.ToLower(f.Sections[0].Data.Value), "subject:") {
				t.Mismatch([]string{"BODY[HEADER.FIELDS (SUBJECT)] with the Subject line"}, show1(r.All("FETCH")[0]), "body.peek[header.fields (subject)]")
			}
		},
	}, {
		Name:      "mixed-case-flags-accepted",
		Title:     `STORE with "+flags" and flags in any case sets the system flags`,
		Level:     conformance.Must,
		Sentence:  caseSentence + "\n" + `flag = "\Answered" / "\Flagged" / "\Deleted" / "\Seen" / "\Draft" / flag-keyword / flag-extension`,
		Commands:  []string{"STORE", "FETCH"},
		Responses: []string{"FETCH"},
		Faults: []fault.Fault{
			dropFlag(`lower-case \seen not taken for \Seen`, "FETCH", `\Seen`),
		},
		Run: func(t *conformance.T) {
			s := selectedWithMessage(t)
			s.Tx("OK", `store 1 +flags.silent (\seen \ANSWERED)`)
			got := fetchFlagsOf(t, s.Tx("OK", "FETCH 1 (FLAGS)"), 1)
			if !containsFold(got, `\Seen`) || !containsFold(got, `\Answered`) {
				t.Mismatch([]string{`FLAGS with \Seen and \Answered`}, "FLAGS ("+strings.Join(got, " ")+")", `after store 1 +flags.silent (\seen \ANSWERED)`)
			}
		},
	}, {
		Name:      "mixed-case-status-items-accepted",
		Title:     "STATUS items in mixed case are accepted and answered",
		Level:     conformance.Must,
		Sentence:  caseSentence,
		Commands:  []string{"STATUS"},
		Responses: []string{"STATUS"},
		Faults: []fault.Fault{
			fault.RewriteResponse("mixed-case STATUS items refused", "STATUS", `^(\S+) OK `, "$1 BAD "),
		},
		Run: func(t *conformance.T) {
			mbox := t.Mailbox(0)
			r := t.Login(0).Tx("OK", "status "+mbox+" (messages UidNext)")
			st := r.One("STATUS").Status
			if _, ok := st.Items["MESSAGES"]; !ok {
				t.Mismatch([]string{"STATUS data with MESSAGES and UIDNEXT"}, show1(r.One("STATUS")), "status (messages UidNext)")
			}
			if _, ok := st.Items["UIDNEXT"]; !ok {
				t.Mismatch([]string{"STATUS data with MESSAGES and UIDNEXT"}, show1(r.One("STATUS")), "status (messages UidNext)")
			}
		},
	}, {
		Name:      "unknown-command-bad",
		Title:     "A command the server does not know is answered BAD in every state",
		Level:     conformance.Must,
		Sentence:  `BAD - command unknown or arguments invalid`,
		Commands:  []string{"LOGIN", "SELECT"},
		Responses: []string{"BAD"},
		Faults: []fault.Fault{
			fault.RewriteResponse("unknown command answered NO", "IMAPGAUGEUNKNOWN", `^(\S+) BAD `, "$1 NO "),
		},
		Run: func(t *conformance.T) {
			mbox := t.Mailbox(0)
			s := t.Dial()
			s.Tx("BAD", "IMAPGAUGEUNKNOWN")
			s.Login(t.User(0))
			s.Tx("BAD", "IMAPGAUGEUNKNOWN argument")
			s.Tx("OK", "SELECT "+mbox)
			s.Tx("BAD", "IMAPGAUGEUNKNOWN")
		},
	}}
}

// strictSyntax checks RFC 3501 section 2.2.2: servers enforce the grammar.
func strictSyntax() []conformance.Section {
	return []conformance.Section{{
		Number: "2.2.2",
		Title:  "Server Protocol Sender and Client Protocol Receiver",
		Cases: []conformance.Case{{
			Name:      "extraneous-space-bad",
			Title:     "Two spaces between arguments are a syntax error",
			Level:     conformance.Should,
			Sentence:  syntaxSentence,
			Commands:  []string{"STATUS"},
			Responses: []string{"BAD"},
			Faults: []fault.Fault{
				fault.RewriteResponse("extra space accepted", "STATUS", `^(\S+) BAD `, "$1 OK "),
			},
			Run: func(t *conformance.T) {
				mbox := t.Mailbox(0)
				t.Login(0).Tx("BAD", "STATUS  "+mbox+" (MESSAGES)")
			},
		}},
	}}
}
