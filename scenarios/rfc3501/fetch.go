package rfc3501

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/imapgauge/imapgauge/conformance"
	"github.com/imapgauge/imapgauge/conformance/fault"
	"github.com/imapgauge/imapgauge/conformance/grammar"
	"github.com/imapgauge/imapgauge/conformance/wire"
)

// Sentences of RFC 3501 section 6.4.5 that several cases check.
const (
	fetchSeenSentence = `The \Seen flag is implicitly set; if this causes the flags to change, they SHOULD be
included as part of the FETCH responses.`
	fetchPeekSentence = `BODY.PEEK[<section>]<<partial>>
An alternate form of BODY[<section>] that does not implicitly set the \Seen flag.`
	fetchMacroAloneSentence = `A macro must be used by itself, and not in conjunction with other macros or data items.
fetch = "FETCH" SP sequence-set SP ("ALL" / "FULL" / "FAST" / fetch-att / "(" fetch-att *(SP fetch-att) ")")`
	fetchBlankLineSentence = `Subsetting does not exclude the [RFC-2822] delimiting blank line between the header and
the body; the blank line is included in all header fetches, except in the case of a message
which has no body and no blank line.`
	fetchFieldsSentence = `The subset returned by HEADER.FIELDS contains only those header fields with a field-name
that matches one of the names in the list ... The field-matching is case-insensitive but
otherwise exact.`
	fetchMessagePartSentence = `The HEADER, HEADER.FIELDS, HEADER.FIELDS.NOT, and TEXT part specifiers can be the sole part
specifier or can be prefixed by one or more numeric part specifiers, provided that the numeric
part specifier refers to a part of type MESSAGE/RFC822.`
	fetchNestedSentence = `Multipart messages are assigned consecutive part numbers, as they occur in the message.  If a
particular part is of type message or multipart, its parts MUST be indicated by a period
followed by the part number within that nested multipart part.`
	fetchMIMESentence     = `The MIME part specifier refers to the [MIME-IMB] header for this part.`
	fetchTruncateSentence = `Any partial fetch that attempts to read beyond the end of the text is truncated as appropriate.
A partial fetch that starts at octet 0 is returned as a partial fetch, even if this truncation
happened.`
	fetchSubstringSentence = `It is possible to fetch a substring of the designated text.  This is done by appending an open
angle bracket ("<"), the octet position of the first desired octet, a period, the maximum number
of octets desired, and a close angle bracket (">") to the part specifier.`
	fetchBeyondSentence = `The server should respond with a tagged BAD response to a command that uses a message
sequence number greater than the number of messages in the selected mailbox.  This
includes "*" if the selected mailbox is empty.`
	fetchBadSentence = `BAD - command unknown or arguments invalid`
)

// fetchAcceptsBad is the negative control of a case expecting BAD: the
// server accepts the malformed command.
func fetchAcceptsBad(what string) fault.Fault {
	return fault.RewriteResponse(what+" accepted", "FETCH", `^(\S+) BAD `, "$1 OK ")
}

// fetchRefusesOK is the negative control of a case expecting OK: the server
// refuses the command.
func fetchRefusesOK(what string) fault.Fault {
	return fault.RewriteResponse(what+" refused", "FETCH", `^(\S+) OK `, "$1 BAD ")
}

// dropItem removes an item from every FETCH response that has it, as a
// server that forgets it would.
func dropItem(name, item string) fault.Fault {
	return mutateFetch(name, func(_ uint32, f *grammar.FetchData) bool {
		i := slices.Index(f.Items, item)
		if i < 0 || len(f.Items) == 1 {
			return false
		}
		f.Items = slices.Delete(f.Items, i, i+1)
		return true
	})
}

// sectionCase is a case that fetches a section of one corpus message and
// compares its data with want, computed from the message; item names the
// section as the response does ("[HEADER]").
func sectionCase(c conformance.Case, msg, command, item string, want func(m []byte) []byte) conformance.Case {
	c.Commands = []string{"FETCH"}
	c.Responses = []string{"FETCH"}
	c.Run = func(t *conformance.T) {
		s := corpusSession(t, msg)
		r := s.Tx("OK", command)
		sec := fetchSection(t, r, 1, item)
		expectOctets(t, fmt.Sprintf("%s (message %s.eml)", r.Command, msg), sec.Data, want(message(t, msg)))
	}
	return c
}

// fixed is a want function for a section whose data the case spells out.
func fixed(data string) func([]byte) []byte { return func([]byte) []byte { return []byte(data) } }

// badFetchCase is a case whose FETCH command is malformed: BAD.
func badFetchCase(name, title, sentence, command string) conformance.Case {
	return conformance.Case{
		Name:      name,
		Title:     title,
		Level:     conformance.Must,
		Sentence:  sentence,
		Commands:  []string{"FETCH"},
		Responses: []string{"BAD"},
		Faults:    []fault.Fault{fetchAcceptsBad(command)},
		Run: func(t *conformance.T) {
			s := corpusSession(t, "simple")
			s.Tx("BAD", command)
		},
	}
}

// seenCase is a case that fetches with command and checks whether \Seen
// was set afterwards.
func seenCase(c conformance.Case, command string, setsSeen bool) conformance.Case {
	c.Commands = []string{"FETCH"}
	c.Responses = []string{"FETCH"}
	c.Run = func(t *conformance.T) {
		s := corpusSession(t, "simple")
		t.Setup(func() { expectSeen(t, s, 1, false, "a message appended without flags is not \\Seen") })
		s.Tx("OK", command)
		why := command + " did not set \\Seen"
		if !setsSeen {
			why = command + " set \\Seen"
		}
		expectSeen(t, s, 1, setsSeen, why)
	}
	return c
}

// macroCase checks that a macro returns the items it stands for.
func macroCase(name, macro string, items []string, sentence string, f fault.Fault) conformance.Case {
	return conformance.Case{
		Name:      name,
		Title:     fmt.Sprintf("FETCH %s returns %s", macro, strings.Join(items, ", ")),
		Level:     conformance.Must,
		Sentence:  sentence,
		Commands:  []string{"FETCH"},
		Responses: []string{"FETCH"},
		Faults:    []fault.Fault{f},
		Run: func(t *conformance.T) {
			s := corpusSession(t, "simple")
			r := s.Tx("OK", "FETCH 1 "+macro)
			for _, item := range items {
				fetchItem(t, r, 1, item)
			}
			if slices.Contains(items, "BODY") {
				// The macro names BODY, the non-extensible form.
				for _, g := range fetchesOf(r, 1) {
					if g.Has("BODY") && g.Body.ExtFields > 0 || g.Has("BODYSTRUCTURE") && !g.Has("BODY") {
						t.Mismatch([]string{"BODY without extension data"}, showFetches(r), "FETCH 1 %s: BODYSTRUCTURE data instead of BODY", macro)
					}
				}
			}
		},
	}
}

// fetch checks RFC 3501 section 6.4.5.
func fetch() []conformance.Section {
	nestedPart3 := func(m []byte) []byte {
		return between(m, "Content-Type: message/rfc822\r\n\r\n", "\r\n--top-b\r\nContent-Type: multipart/mixed")
	}
	return []conformance.Section{{
		Number: "6.4.5",
		Title:  "FETCH Command",
		Cases: []conformance.Case{
			// Macros.
			macroCase("fetch-all-macro-items", "ALL", []string{"FLAGS", "INTERNALDATE", "RFC822.SIZE", "ENVELOPE"},
				`ALL
   Macro equivalent to: (FLAGS INTERNALDATE RFC822.SIZE ENVELOPE)`,
				dropItem("ALL without ENVELOPE", "ENVELOPE")),
			macroCase("fetch-fast-macro-items", "FAST", []string{"FLAGS", "INTERNALDATE", "RFC822.SIZE"},
				`FAST
   Macro equivalent to: (FLAGS INTERNALDATE RFC822.SIZE)`,
				dropItem("FAST without RFC822.SIZE", "RFC822.SIZE")),
			macroCase("fetch-full-macro-items", "FULL", []string{"FLAGS", "INTERNALDATE", "RFC822.SIZE", "ENVELOPE", "BODY"},
				`FULL
   Macro equivalent to: (FLAGS INTERNALDATE RFC822.SIZE ENVELOPE BODY)`,
				mutateFetch("FULL answered with BODYSTRUCTURE for BODY", func(_ uint32, f *grammar.FetchData) bool {
					i := slices.Index(f.Items, "BODY")
					if i < 0 {
						return false
					}
					f.Items[i], f.BodyStructure, f.Body = "BODYSTRUCTURE", f.Body, nil
					f.BodyStructure.ExtFields = 1 // an MD5 of NIL: extension data
					return true
				})),
			badFetchCase("fetch-macro-with-data-item-bad", "A macro combined with a data item is a BAD command", fetchMacroAloneSentence, "FETCH 1 (FAST UID)"),
			badFetchCase("fetch-macro-in-parentheses-bad", "A macro inside a parenthesised list is a BAD command", fetchMacroAloneSentence, "FETCH 1 (ALL)"),

			// Data items and sequence sets.
			{
				Name:  "fetch-single-item-without-parentheses",
				Title: "A single data item may be sent without parentheses",
				Level: conformance.Must,
				Sentence: `The data items to be fetched can be either a single atom or a parenthesized list.
fetch = "FETCH" SP sequence-set SP ("ALL" / "FULL" / "FAST" / fetch-att / "(" fetch-att *(SP fetch-att) ")")`,
				Commands:  []string{"FETCH"},
				Responses: []string{"FETCH"},
				Faults: []fault.Fault{
					fault.RewriteCommand("a single item without parentheses refused", `^(\S+ FETCH 1) (FLAGS|BODY\.PEEK\[HEADER\])\r\n$`, "$1 ($2\r\n"),
				},
				Run: func(t *conformance.T) {
					s := corpusSession(t, "simple")
					fetchItem(t, s.Tx("OK", "FETCH 1 FLAGS"), 1, "FLAGS")
					fetchSection(t, s.Tx("OK", "FETCH 1 BODY.PEEK[HEADER]"), 1, "[HEADER]")
				},
			}, {
				Name:      "fetch-several-items-one-command",
				Title:     "Every item of a parenthesised list is returned",
				Level:     conformance.Must,
				Sentence:  `The FETCH command retrieves data associated with a message in the mailbox.  The data items to be fetched can be either a single atom or a parenthesized list.`,
				Commands:  []string{"FETCH"},
				Responses: []string{"FETCH"},
				Faults:    []fault.Fault{dropItem("INTERNALDATE left out", "INTERNALDATE")},
				Run: func(t *conformance.T) {
					s := corpusSession(t, "simple")
					r := s.Tx("OK", "FETCH 1 (UID RFC822.SIZE INTERNALDATE FLAGS BODY.PEEK[HEADER.FIELDS (Subject)])")
					for _, item := range []string{"UID", "RFC822.SIZE", "INTERNALDATE", "FLAGS"} {
						fetchItem(t, r, 1, item)
					}
					fetchSection(t, r, 1, "[HEADER.FIELDS (Subject)]")
				},
			}, {
				Name:      "fetch-items-case-insensitive",
				Title:     "Data item names are accepted in lower case",
				Level:     conformance.Must,
				Sentence:  `Except as noted otherwise, all alphabetic characters are case-insensitive. ... Implementations MUST accept these strings in a case-insensitive fashion.`,
				Commands:  []string{"FETCH"},
				Responses: []string{"FETCH"},
				Faults:    []fault.Fault{fetchRefusesOK("lower-case FETCH")},
				Run: func(t *conformance.T) {
					s := corpusSession(t, "simple")
					r := s.Tx("OK", "fetch 1 (flags rfc822.size body.peek[header.fields (subject)])")
					fetchItem(t, r, 1, "RFC822.SIZE")
					sec := fetchSection(t, r, 1, "[HEADER.FIELDS (subject)]")
					expectOctets(t, r.Command, sec.Data, []byte("Subject: afternoon meeting\r\n\r\n"))
				},
			}, {
				Name:  "fetch-flags-lists-flags-set",
				Title: "FLAGS returns the flags set on the message",
				Level: conformance.Must,
				Sentence: `FLAGS
   The flags that are set for this message.`,
				Commands:  []string{"FETCH", "STORE"},
				Responses: []string{"FETCH"},
				Faults: []fault.Fault{
					mutateFetch(`\Draft left out of FLAGS`, func(_ uint32, f *grammar.FetchData) bool {
						n := len(f.Flags)
						f.Flags = slices.DeleteFunc(f.Flags, func(s string) bool { return s == `\Draft` })
						return len(f.Flags) != n
					}),
				},
				Run: func(t *conformance.T) {
					s := corpusSession(t, "simple")
					// STORE with .SILENT sends no FETCH: the flags are
					// learned from FETCH FLAGS alone.
					t.Setup(func() { s.Tx("OK", `STORE 1 +FLAGS.SILENT (\Flagged \Draft)`) })
					flags := flagsOf(t, s, 1)
					for _, want := range []string{`\Flagged`, `\Draft`} {
						if !hasFlag(flags, want) {
							t.Mismatch([]string{`FLAGS with \Flagged and \Draft`}, showFlags(flags), "message 1 lacks %s", want)
						}
					}
					for _, f := range flags {
						if !strings.EqualFold(f, `\Flagged`) && !strings.EqualFold(f, `\Draft`) && !strings.EqualFold(f, `\Recent`) {
							t.Mismatch([]string{`FLAGS (\Flagged \Draft), \Recent allowed`}, showFlags(flags), "message 1 has %s, which was never set", f)
						}
					}
				},
			}, {
				Name:  "fetch-static-items-unchanged",
				Title: "ENVELOPE, BODYSTRUCTURE, INTERNALDATE, RFC822.SIZE and UID do not change",
				Level: conformance.Must,
				Sentence: `Most data items, identified in the formal syntax under the msg-att-static rule, are static
and MUST NOT change for any particular message.`,
				Commands:  []string{"FETCH", "STORE"},
				Responses: []string{"FETCH"},
				Faults:    []fault.Fault{internalDateMovedByStore()},
				Run: func(t *conformance.T) {
					const items = "FETCH 1 (UID INTERNALDATE RFC822.SIZE ENVELOPE BODYSTRUCTURE)"
					s, mailbox := corpusMailbox(t, "alternative")
					first := fetchItem(t, s.Tx("OK", items), 1, "BODYSTRUCTURE")
					s.Tx("OK", `STORE 1 +FLAGS (\Flagged)`)
					again := fetchItem(t, s.Tx("OK", items), 1, "BODYSTRUCTURE")
					other := fetchItem(t, t.Select(0, mailbox).Tx("OK", items), 1, "BODYSTRUCTURE")
					for _, f := range []*grammar.FetchData{again, other} {
						if field, a, b := staticDifference(first, f); field != "" {
							t.Mismatch([]string{field + " " + a}, field+" "+b, "%s changed after a STORE or in another session", field)
						}
					}
				},
			}, {
				Name:  "fetch-range-every-message",
				Title: "A range returns one FETCH for each message in it",
				Level: conformance.Must,
				Sentence: `seq-range = seq-number ":" seq-number
  ; two seq-number values and all values between these two regardless of order.`,
				Commands:  []string{"FETCH"},
				Responses: []string{"FETCH"},
				Faults:    []fault.Fault{fault.DropResponse("message 2 of the range left out", "FETCH", `^\* 2 FETCH`)},
				Run: func(t *conformance.T) {
					s := corpusSession(t, "simple", "groups", "missing-headers")
					expectNumbers(t, s.Tx("OK", "FETCH 1:3 (BODY.PEEK[HEADER.FIELDS (Subject)])"), 1, 2, 3)
				},
			}, {
				Name:  "fetch-reversed-range",
				Title: "A range given high to low returns the same messages",
				Level: conformance.Must,
				Sentence: `seq-range = seq-number ":" seq-number
  ; two seq-number values and all values between these two regardless of order.
  ; Example: 2:4 and 4:2 are equivalent and indicate values 2, 3, and 4.`,
				Commands:  []string{"FETCH"},
				Responses: []string{"FETCH"},
				Faults:    []fault.Fault{fault.DropResponse("a reversed range matches nothing", "FETCH", `^\* \d+ FETCH`)},
				Run: func(t *conformance.T) {
					s := corpusSession(t, "simple", "groups", "missing-headers")
					expectNumbers(t, s.Tx("OK", "FETCH 3:2 (BODY.PEEK[HEADER.FIELDS (Subject)])"), 2, 3)
				},
			}, {
				Name:  "fetch-star-is-last-message",
				Title: `"*" is the last message of the mailbox`,
				Level: conformance.Must,
				Sentence: `seq-number = nz-number / "*"
  ; * represents the largest number in use.  In the case of message sequence numbers,
  ; it is the number of messages in a non-empty mailbox.`,
				Commands:  []string{"FETCH"},
				Responses: []string{"FETCH"},
				Faults:    []fault.Fault{fault.RewriteCommand(`"*" read as 1`, `^(\S+ FETCH )\*`, "${1}1")},
				Run: func(t *conformance.T) {
					s := corpusSession(t, "simple", "groups", "missing-headers")
					expectNumbers(t, s.Tx("OK", "FETCH * (BODY.PEEK[HEADER.FIELDS (Subject)])"), 3)
				},
			}, {
				Name:  "fetch-sequence-list",
				Title: "A comma-separated set returns exactly the messages listed",
				Level: conformance.Must,
				Sentence: `sequence-set = (seq-number / seq-range) *("," sequence-set)
  ; set of seq-number values, regardless of order.`,
				Commands:  []string{"FETCH"},
				Responses: []string{"FETCH"},
				Faults:    []fault.Fault{fault.RewriteCommand("a list read as a range", `^(\S+ FETCH )3,1`, "${1}1:3")},
				Run: func(t *conformance.T) {
					s := corpusSession(t, "simple", "groups", "missing-headers")
					expectNumbers(t, s.Tx("OK", "FETCH 3,1 (BODY.PEEK[HEADER.FIELDS (Subject)])"), 1, 3)
				},
			}, {
				Name:      "fetch-beyond-last-message-bad",
				Title:     "A message number beyond the mailbox gets BAD",
				Level:     conformance.Should,
				Sentence:  fetchBeyondSentence,
				Commands:  []string{"FETCH"},
				Responses: []string{"BAD"},
				Faults:    []fault.Fault{fetchAcceptsBad("FETCH beyond the last message")},
				Run: func(t *conformance.T) {
					s := corpusSession(t, "simple", "groups")
					s.Tx("BAD", "FETCH 3 (FLAGS)")
				},
			}, {
				Name:      "fetch-star-in-empty-mailbox-bad",
				Title:     `"*" in an empty mailbox gets BAD`,
				Level:     conformance.Should,
				Sentence:  fetchBeyondSentence,
				Commands:  []string{"FETCH"},
				Responses: []string{"BAD"},
				Faults:    []fault.Fault{fetchAcceptsBad(`FETCH * in an empty mailbox`)},
				Run: func(t *conformance.T) {
					s := t.Select(0, t.Mailbox(0))
					s.Tx("BAD", "FETCH * (FLAGS)")
				},
			},
			badFetchCase("fetch-message-zero-bad", "Message number 0 is a BAD command",
				`seq-number = nz-number / "*"`+"\n"+`nz-number = digit-nz *DIGIT ; Non-zero unsigned 32-bit integer`, "FETCH 0 (FLAGS)"),
			badFetchCase("fetch-unknown-item-bad", "An unknown data item is a BAD command",
				fetchBadSentence+"\n"+`fetch-att = "ENVELOPE" / "FLAGS" / "INTERNALDATE" / "RFC822" [".HEADER" / ".SIZE" / ".TEXT"] / ...`, "FETCH 1 (FLAGS FROBNICATE)"),
			badFetchCase("fetch-no-items-bad", "FETCH without data items is a BAD command",
				`fetch = "FETCH" SP sequence-set SP ("ALL" / "FULL" / "FAST" / fetch-att / "(" fetch-att *(SP fetch-att) ")")`, "FETCH 1"),
			badFetchCase("fetch-body-peek-without-section-bad", "BODY.PEEK without a section is a BAD command",
				`"BODY.PEEK" section ["<" number "." nz-number ">"]`+"\n"+`section = "[" [section-spec] "]"`, "FETCH 1 BODY.PEEK"),
			badFetchCase("fetch-mime-without-part-bad", "MIME without a part number is a BAD command",
				`The MIME part specifier MUST be prefixed by one or more numeric part specifiers.`, "FETCH 1 BODY.PEEK[MIME]"),
			badFetchCase("fetch-part-zero-bad", "Part number 0 is a BAD command",
				`section-part = nz-number *("." nz-number)`, "FETCH 1 BODY.PEEK[0]"),
			badFetchCase("fetch-partial-zero-length-bad", "A partial fetch of 0 octets is a BAD command",
				`"BODY" section ["<" number "." nz-number ">"]`, "FETCH 1 BODY.PEEK[]<0.0>"),
			badFetchCase("fetch-header-fields-empty-list-bad", "HEADER.FIELDS with an empty list is a BAD command",
				`header-list = "(" header-fld-name *(SP header-fld-name) ")"`, "FETCH 1 BODY.PEEK[HEADER.FIELDS ()]"),

			// Sections of the whole message.
			sectionCase(conformance.Case{
				Name:     "fetch-body-empty-section-whole-message",
				Title:    "BODY[] returns the message exactly as appended, 8-bit octets included",
				Level:    conformance.Must,
				Sentence: `An empty section specification refers to the entire message, including the header.`,
				Faults:   []fault.Fault{sectionChanged("")},
			}, "eight-bit", "FETCH 1 (BODY.PEEK[])", "[]", func(m []byte) []byte { return m }),
			sectionCase(conformance.Case{
				Name:     "fetch-header-includes-blank-line",
				Title:    "BODY[HEADER] returns the header with the blank line that ends it",
				Level:    conformance.Must,
				Sentence: fetchBlankLineSentence,
				Faults: []fault.Fault{mutateSection("blank line left out of the header", "HEADER", func(d []byte) []byte {
					return []byte(strings.TrimSuffix(string(d), "\r\n"))
				})},
			}, "simple", "FETCH 1 (BODY.PEEK[HEADER])", "[HEADER]", func(m []byte) []byte { h, _ := headerAndText(m); return h }),
			sectionCase(conformance.Case{
				Name:     "fetch-header-of-message-without-body",
				Title:    "BODY[HEADER] of a message with no body and no blank line adds no blank line",
				Level:    conformance.Must,
				Sentence: fetchBlankLineSentence,
				Faults: []fault.Fault{mutateSection("blank line added to a header that has none", "HEADER", func(d []byte) []byte {
					return append(d, "\r\n"...)
				})},
			}, "header-only", "FETCH 1 (BODY.PEEK[HEADER])", "[HEADER]", func(m []byte) []byte { return m }),
			sectionCase(conformance.Case{
				Name:     "fetch-text-omits-header",
				Title:    "BODY[TEXT] returns the body without the header",
				Level:    conformance.Must,
				Sentence: `The TEXT part specifier refers to the text body of the message, omitting the [RFC-2822] header.`,
				Faults: []fault.Fault{mutateSection("TEXT starts with the blank line", "TEXT", func(d []byte) []byte {
					return append([]byte("\r\n"), d...)
				})},
			}, "simple", "FETCH 1 (BODY.PEEK[TEXT])", "[TEXT]", func(m []byte) []byte { _, b := headerAndText(m); return b }),
			sectionCase(conformance.Case{
				Name:     "fetch-text-of-message-without-body-empty",
				Title:    "BODY[TEXT] of a message without a body is the empty string",
				Level:    conformance.Must,
				Sentence: `The TEXT part specifier refers to the text body of the message, omitting the [RFC-2822] header.`,
				Faults: []fault.Fault{mutateSection("TEXT of a header-only message is a blank line", "TEXT", func(d []byte) []byte {
					return append(d, "\r\n"...)
				})},
			}, "header-only", "FETCH 1 (BODY.PEEK[TEXT])", "[TEXT]", fixed("")),

			// HEADER.FIELDS and HEADER.FIELDS.NOT.
			sectionCase(conformance.Case{
				Name:     "fetch-header-fields-subset",
				Title:    "HEADER.FIELDS returns only the fields named, in message order, with the blank line",
				Level:    conformance.Must,
				Sentence: fetchFieldsSentence,
				Faults: []fault.Fault{
					fault.RewriteCommand("HEADER.FIELDS read as HEADER", `(?i)\[HEADER\.FIELDS \([^)]*\)\]`, "[HEADER]"),
				},
			}, "simple", "FETCH 1 (BODY.PEEK[HEADER.FIELDS (Subject From)])", "[HEADER.FIELDS (Subject From)]",
				fixed("From: Fred Foobar <foobar@Blurdybloop.example>\r\nSubject: afternoon meeting\r\n\r\n")),
			sectionCase(conformance.Case{
				Name:     "fetch-header-fields-case-insensitive",
				Title:    "HEADER.FIELDS matches field names without regard to case, folded lines kept",
				Level:    conformance.Must,
				Sentence: fetchFieldsSentence,
				Faults: []fault.Fault{mutateSection("field names matched case-sensitively", "*", func(d []byte) []byte {
					return []byte("\r\n")
				})},
			}, "header-fields", "FETCH 1 (BODY.PEEK[HEADER.FIELDS (SUBJECT)])", "[HEADER.FIELDS (SUBJECT)]",
				fixed("subject: A folded\r\n subject line\r\n\r\n")),
			sectionCase(conformance.Case{
				Name:     "fetch-header-fields-exact-name",
				Title:    "HEADER.FIELDS (X-Tag) returns every X-Tag field and no X-Tagged field",
				Level:    conformance.Must,
				Sentence: fetchFieldsSentence,
				Faults: []fault.Fault{mutateSection("field names matched as prefixes", "*", func(d []byte) []byte {
					return []byte(strings.TrimSuffix(string(d), "\r\n") + "X-Tagged: not the same field\r\n\r\n")
				})},
			}, "header-fields", "FETCH 1 (BODY.PEEK[HEADER.FIELDS (X-Tag)])", "[HEADER.FIELDS (X-Tag)]",
				fixed("X-Tag: first\r\nX-Tag: second\r\n\r\n")),
			sectionCase(conformance.Case{
				Name:     "fetch-header-fields-every-occurrence",
				Title:    "HEADER.FIELDS returns every occurrence of a repeated field",
				Level:    conformance.Must,
				Sentence: fetchFieldsSentence,
				Faults: []fault.Fault{mutateSection("only the first occurrence of a field returned", "*", func(d []byte) []byte {
					first, _, _ := strings.Cut(string(d), "\r\n")
					return []byte(first + "\r\n\r\n")
				})},
			}, "header-fields", "FETCH 1 (BODY.PEEK[HEADER.FIELDS (Received)])", "[HEADER.FIELDS (Received)]",
				fixed("Received: from a.example by b.example; Tue, 1 Apr 2025 10:00:00 +0000\r\n"+
					"Received: from c.example by a.example; Tue, 1 Apr 2025 09:59:00 +0000\r\n\r\n")),
			sectionCase(conformance.Case{
				Name:     "fetch-header-fields-absent-field-blank-line",
				Title:    "HEADER.FIELDS of a field the message lacks returns the blank line alone",
				Level:    conformance.Must,
				Sentence: fetchBlankLineSentence,
				Faults:   []fault.Fault{mutateSection("empty subset without the blank line", "*", func([]byte) []byte { return nil })},
			}, "simple", "FETCH 1 (BODY.PEEK[HEADER.FIELDS (X-Absent)])", "[HEADER.FIELDS (X-Absent)]", fixed("\r\n")),
			sectionCase(conformance.Case{
				Name:  "fetch-header-fields-not-excludes",
				Title: "HEADER.FIELDS.NOT returns every field except those named",
				Level: conformance.Must,
				Sentence: `similarly, the subset returned by HEADER.FIELDS.NOT contains only the header fields
with a non-matching field-name.  The field-matching is case-insensitive but otherwise exact.`,
				Faults: []fault.Fault{mutateSection("HEADER.FIELDS.NOT keeps a named field", "*", func(d []byte) []byte {
					return append([]byte("X-Mailer: gauge 1.0\r\n"), d...)
				})},
			}, "header-fields", "FETCH 1 (BODY.PEEK[HEADER.FIELDS.NOT (Received x-tag X-MAILER)])", "[HEADER.FIELDS.NOT (Received x-tag X-MAILER)]",
				fixed("From: Folder <folder@example.org>\r\nTo: reader@example.net\r\nsubject: A folded\r\n subject line\r\n"+
					"Date: Tue, 1 Apr 2025 10:00:01 +0000\r\nMessage-ID: <fields@example.org>\r\nX-Tagged: not the same field\r\n\r\n")),
			sectionCase(conformance.Case{
				Name:     "fetch-header-fields-quoted-names",
				Title:    "HEADER.FIELDS accepts field names as quoted strings",
				Level:    conformance.Must,
				Sentence: `header-fld-name = astring` + "\n" + `header-list = "(" header-fld-name *(SP header-fld-name) ")"`,
				Faults:   []fault.Fault{fetchRefusesOK("quoted header field names")},
			}, "simple", `FETCH 1 (BODY.PEEK[HEADER.FIELDS ("Subject" "Message-Id")])`, "[HEADER.FIELDS (Subject Message-Id)]",
				fixed("Subject: afternoon meeting\r\nMessage-Id: <B27397-0100000@Blurdybloop.example>\r\n\r\n")),
			{
				Name:      "fetch-header-fields-literal-name",
				Title:     "HEADER.FIELDS accepts a field name as a literal",
				Level:     conformance.Must,
				Sentence:  `header-fld-name = astring` + "\n" + `astring = 1*ASTRING-CHAR / string` + "\n" + `string = quoted / literal`,
				Commands:  []string{"FETCH"},
				Responses: []string{"FETCH", "+"},
				Faults: []fault.Fault{{
					Name: "literal in FETCH refused with BAD",
					Response: func(s *fault.State, raw []byte) ([]byte, fault.Action) {
						if s.Command == "FETCH" && raw[0] == '+' {
							return []byte(s.Tag + " BAD literals not accepted here\r\n"), fault.Forward
						}
						return raw, fault.Forward
					},
				}},
				Run: func(t *conformance.T) {
					s := corpusSession(t, "simple")
					tag := s.Conn.NextTag()
					s.WriteRaw(tag + " FETCH 1 (BODY.PEEK[HEADER.FIELDS ({7}\r\n")
					s.ExpectContinuation("a literal header field name")
					s.WriteRaw("Subject)])\r\n", tag)
					r := s.WaitTag(tag, "OK")
					sec := fetchSection(t, r, 1, "[HEADER.FIELDS (Subject)]")
					expectOctets(t, tag+" FETCH 1 (BODY.PEEK[HEADER.FIELDS ({7}Subject)])", sec.Data, []byte("Subject: afternoon meeting\r\n\r\n"))
				},
			},

			// Part numbers.
			sectionCase(conformance.Case{
				Name:  "fetch-part-1-of-non-mime-message",
				Title: "BODY[1] of a message without MIME structure is its body",
				Level: conformance.Must,
				Sentence: `Every message has at least one part number.  Non-[MIME-IMB] messages, and non-multipart
[MIME-IMB] messages with no encapsulated message, only have a part 1.`,
				Faults: []fault.Fault{sectionChanged("1")},
			}, "simple", "FETCH 1 (BODY.PEEK[1])", "[1]", func(m []byte) []byte { _, b := headerAndText(m); return b }),
			sectionCase(conformance.Case{
				Name:     "fetch-part-without-mime-header",
				Title:    "BODY[2] of a multipart message is the part's body, without its MIME header or the boundary",
				Level:    conformance.Must,
				Sentence: fetchNestedSentence,
				Faults: []fault.Fault{mutateSection("part returned with its MIME header", "2", func(d []byte) []byte {
					return append([]byte("Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"), d...)
				})},
			}, "alternative", "FETCH 1 (BODY.PEEK[2])", "[2]", fixed("<html><body><p>Soup of the day: cr=C3=A8me de l=C3=A9gumes.</p>\r\n<p>Dessert: tarte aux pommes.</p></body></html>")),
			sectionCase(conformance.Case{
				Name:     "fetch-nested-multipart-part",
				Title:    "BODY[4.2.2.2] is a part of a multipart inside a message/rfc822 inside a multipart",
				Level:    conformance.Must,
				Sentence: fetchNestedSentence,
				Faults: []fault.Fault{mutateSection("nested parts numbered one off", "4.2.2.2", func([]byte) []byte {
					return []byte("Part 4.2.2.1.")
				})},
			}, "nested", "FETCH 1 (BODY.PEEK[4.2.2.2])", "[4.2.2.2]", fixed("<bold>Part 4.2.2.2.</bold>")),
			sectionCase(conformance.Case{
				Name:  "fetch-part-of-encapsulated-message",
				Title: "BODY[3.1] is the first part of the message/rfc822 part 3",
				Level: conformance.Must,
				Sentence: `A part of type MESSAGE/RFC822 also has nested part numbers, referring to parts of the
MESSAGE part's body.`,
				Faults: []fault.Fault{sectionChanged("3.1")},
			}, "nested", "FETCH 1 (BODY.PEEK[3.1])", "[3.1]", fixed("Part 3.1.")),
			sectionCase(conformance.Case{
				Name:  "fetch-part-1-of-encapsulated-single-part-message",
				Title: "BODY[2.1] of a message/rfc822 part holding a single-part message is that message's body",
				Level: conformance.Must,
				Sentence: `A part of type MESSAGE/RFC822 also has nested part numbers, referring to parts of the
MESSAGE part's body.`,
				Faults: []fault.Fault{mutateSection("part 1 of an encapsulated message is the whole message", "2.1", func([]byte) []byte {
					return []byte("From: Original Author <author@example.com>\r\n")
				})},
			}, "rfc822-attached", "FETCH 1 (BODY.PEEK[2.1])", "[2.1]", fixed("All systems nominal.\r\nNothing to report.")),
			sectionCase(conformance.Case{
				Name:  "fetch-message-part-whole",
				Title: "BODY[3] of a message/rfc822 part is the whole encapsulated message",
				Level: conformance.Must,
				Sentence: `A part of type MESSAGE/RFC822 also has nested part numbers, referring to parts of the
MESSAGE part's body.`,
				Faults: []fault.Fault{mutateSection("message part returned without its header", "3", func(d []byte) []byte {
					_, text := headerAndText(d)
					return text
				})},
			}, "nested", "FETCH 1 (BODY.PEEK[3])", "[3]", nestedPart3),
			sectionCase(conformance.Case{
				Name:     "fetch-message-part-header",
				Title:    "BODY[3.HEADER] is the header of the encapsulated message",
				Level:    conformance.Must,
				Sentence: fetchMessagePartSentence,
				Faults: []fault.Fault{mutateSection("HEADER of a message part is the part's MIME header", "3.HEADER", func([]byte) []byte {
					return []byte("Content-Type: message/rfc822\r\n\r\n")
				})},
			}, "nested", "FETCH 1 (BODY.PEEK[3.HEADER])", "[3.HEADER]", func(m []byte) []byte { h, _ := headerAndText(nestedPart3(m)); return h }),
			sectionCase(conformance.Case{
				Name:     "fetch-message-part-text",
				Title:    "BODY[4.2.TEXT] is the body of the message encapsulated in part 4.2",
				Level:    conformance.Must,
				Sentence: fetchMessagePartSentence,
				Faults:   []fault.Fault{sectionChanged("4.2.TEXT")},
			}, "nested", "FETCH 1 (BODY.PEEK[4.2.TEXT])", "[4.2.TEXT]", func(m []byte) []byte {
				return between(m, "Content-Type: multipart/mixed; boundary=\"fourtwo-b\"\r\n\r\n", "\r\n--four-b--")
			}),
			sectionCase(conformance.Case{
				Name:     "fetch-message-part-header-fields",
				Title:    "BODY[4.2.HEADER.FIELDS (Subject)] subsets the header of the encapsulated message",
				Level:    conformance.Must,
				Sentence: fetchMessagePartSentence,
				Faults: []fault.Fault{mutateSection("HEADER.FIELDS of a part read from the outer header", "*", func([]byte) []byte {
					return []byte("Subject: nested parts\r\n\r\n")
				})},
			}, "nested", "FETCH 1 (BODY.PEEK[4.2.HEADER.FIELDS (Subject)])", "[4.2.HEADER.FIELDS (Subject)]", fixed("Subject: inner message 4.2\r\n\r\n")),
			sectionCase(conformance.Case{
				Name:     "fetch-mime-header-of-part",
				Title:    "BODY[4.1.MIME] is the MIME header of part 4.1 with its blank line",
				Level:    conformance.Must,
				Sentence: fetchMIMESentence,
				Faults: []fault.Fault{mutateSection("MIME header without the blank line", "4.1.MIME", func(d []byte) []byte {
					return []byte(strings.TrimSuffix(string(d), "\r\n"))
				})},
			}, "nested", "FETCH 1 (BODY.PEEK[4.1.MIME])", "[4.1.MIME]",
				fixed("Content-Type: image/gif\r\nContent-Transfer-Encoding: base64\r\nContent-ID: <pixel@example.org>\r\n\r\n")),
			sectionCase(conformance.Case{
				Name:     "fetch-mime-header-of-message-part",
				Title:    "BODY[3.MIME] is the MIME header of the message/rfc822 part, not the encapsulated header",
				Level:    conformance.Must,
				Sentence: fetchMIMESentence,
				Faults: []fault.Fault{mutateSection("MIME of a message part read as its HEADER", "3.MIME", func([]byte) []byte {
					return []byte("From: Inner One <inner1@example.com>\r\n\r\n")
				})},
			}, "nested", "FETCH 1 (BODY.PEEK[3.MIME])", "[3.MIME]", fixed("Content-Type: message/rfc822\r\n\r\n")),
			sectionCase(conformance.Case{
				Name:     "fetch-mime-header-of-multipart-part",
				Title:    "BODY[4.MIME] is the MIME header of the multipart part 4",
				Level:    conformance.Must,
				Sentence: fetchMIMESentence,
				Faults:   []fault.Fault{sectionChanged("4.MIME")},
			}, "nested", "FETCH 1 (BODY.PEEK[4.MIME])", "[4.MIME]", fixed("Content-Type: multipart/mixed; boundary=\"four-b\"\r\n\r\n")),
			sectionCase(conformance.Case{
				Name:  "fetch-digest-part-is-message",
				Title: "BODY[2.HEADER] of a multipart/digest reads part 2 as message/rfc822 by default",
				Level: conformance.Must,
				Sentence: `The HEADER, HEADER.FIELDS, HEADER.FIELDS.NOT, and TEXT part specifiers can be ... prefixed by one
or more numeric part specifiers, provided that the numeric part specifier refers to a part of type
MESSAGE/RFC822.  (RFC 2046 section 5.1.5: in a digest, a part's default type is message/rfc822.)`,
				Faults: []fault.Fault{mutateSection("digest parts read as text/plain", "2.HEADER", func([]byte) []byte { return []byte("\r\n") })},
			}, "digest", "FETCH 1 (BODY.PEEK[2.HEADER])", "[2.HEADER]",
				fixed("From: Second Poster <second@example.com>\r\nSubject: second post\r\nDate: Mon, 7 Apr 2025 11:00:00 +0000\r\n\r\n")),

			// Partial fetches.
			sectionCase(conformance.Case{
				Name:     "fetch-partial-returns-origin",
				Title:    "BODY[]<0.10> returns the first 10 octets as BODY[]<0>",
				Level:    conformance.Must,
				Sentence: fetchSubstringSentence,
				Faults: []fault.Fault{mutateFetch("partial fetch answered without the origin", func(_ uint32, f *grammar.FetchData) bool {
					for i := range f.Sections {
						if f.Sections[i].Partial {
							f.Sections[i].Partial = false
							f.Items[slices.Index(f.Items, "BODY[]<0>")] = "BODY[]"
							return true
						}
					}
					return false
				})},
			}, "simple", "FETCH 1 (BODY.PEEK[]<0.10>)", "[]<0>", func(m []byte) []byte { return m[:10] }),
			sectionCase(conformance.Case{
				Name:     "fetch-partial-from-middle",
				Title:    "BODY[TEXT]<6.3> returns octets 6 to 8 of the text",
				Level:    conformance.Must,
				Sentence: fetchSubstringSentence,
				Faults:   []fault.Fault{mutateSection("partial origin counted from 1", "TEXT", func([]byte) []byte { return []byte(" Jo") })},
			}, "simple", "FETCH 1 (BODY.PEEK[TEXT]<6.3>)", "[TEXT]<6>", fixed("Joe")),
			sectionCase(conformance.Case{
				Name:     "fetch-partial-beyond-end-empty",
				Title:    "A partial fetch starting beyond the end returns the empty string",
				Level:    conformance.Must,
				Sentence: `If the starting octet is beyond the end of the text, an empty string is returned.`,
				Faults: []fault.Fault{mutateFetch("partial fetch beyond the end answered NIL", func(_ uint32, f *grammar.FetchData) bool {
					for i := range f.Sections {
						f.Sections[i].Data = grammar.NString{Nil: true}
					}
					return len(f.Sections) > 0
				})},
			}, "simple", "FETCH 1 (BODY.PEEK[]<5000.10>)", "[]<5000>", fixed("")),
			sectionCase(conformance.Case{
				Name:     "fetch-partial-truncated-at-end",
				Title:    "A partial fetch reading past the end returns the octets up to the end",
				Level:    conformance.Must,
				Sentence: fetchTruncateSentence,
				Faults:   []fault.Fault{sectionChanged("")},
			}, "simple", "FETCH 1 (BODY.PEEK[]<250.100>)", "[]<250>", func(m []byte) []byte { return m[250:] }),
			sectionCase(conformance.Case{
				Name:     "fetch-partial-from-zero-stays-partial",
				Title:    "BODY[]<0.2048> of a shorter message is still returned as BODY[]<0>",
				Level:    conformance.Must,
				Sentence: fetchTruncateSentence,
				Faults: []fault.Fault{mutateFetch("truncated partial fetch answered as BODY[]", func(_ uint32, f *grammar.FetchData) bool {
					i := slices.Index(f.Items, "BODY[]<0>")
					if i < 0 {
						return false
					}
					f.Items[i] = "BODY[]"
					f.Sections[0].Partial = false
					return true
				})},
			}, "simple", "FETCH 1 (BODY.PEEK[]<0.2048>)", "[]<0>", func(m []byte) []byte { return m }),
			sectionCase(conformance.Case{
				Name:  "fetch-partial-after-header-subsetting",
				Title: "A partial HEADER.FIELDS fetch cuts the subset, not the whole header",
				Level: conformance.Must,
				Sentence: `Note: A substring fetch of a HEADER.FIELDS or HEADER.FIELDS.NOT part specifier is calculated
after subsetting the header.`,
				Faults: []fault.Fault{mutateSection("partial cut from the whole header", "*", func([]byte) []byte { return []byte("Date: Mon") })},
			}, "simple", "FETCH 1 (BODY.PEEK[HEADER.FIELDS (Subject)]<0.9>)", "[HEADER.FIELDS (Subject)]<0>", fixed("Subject: ")),
			sectionCase(conformance.Case{
				Name:     "fetch-partial-of-part",
				Title:    "BODY[1]<5.4> cuts part 1 of a multipart message",
				Level:    conformance.Must,
				Sentence: fetchSubstringSentence,
				Faults:   []fault.Fault{mutateSection("partial origin ignored", "1", func([]byte) []byte { return []byte("Part") })},
			}, "nested", "FETCH 1 (BODY.PEEK[1]<5.4>)", "[1]<5>", fixed("1 of")),

			// \Seen.
			seenCase(conformance.Case{
				Name:     "fetch-body-sets-seen",
				Title:    `BODY[TEXT] sets \Seen`,
				Level:    conformance.Must,
				Sentence: fetchSeenSentence,
				Faults:   []fault.Fault{seenNotSet()},
			}, "FETCH 1 (BODY[TEXT])", true),
			seenCase(conformance.Case{
				Name:     "fetch-body-header-sets-seen",
				Title:    `BODY[HEADER] sets \Seen`,
				Level:    conformance.Must,
				Sentence: `BODY[HEADER] response data occurs as a result of a FETCH of BODY[HEADER] (which sets \Seen)` + "\n" + `or BODY.PEEK[HEADER] (which does not set \Seen).`,
				Faults:   []fault.Fault{seenNotSet()},
			}, "FETCH 1 (BODY[HEADER])", true),
			seenCase(conformance.Case{
				Name:     "fetch-body-partial-sets-seen",
				Title:    `A partial BODY[]<0.5> sets \Seen`,
				Level:    conformance.Must,
				Sentence: `BODY[<section>]<<partial>> ...` + "\n" + fetchSeenSentence,
				Faults:   []fault.Fault{seenNotSet()},
			}, "FETCH 1 (BODY[]<0.5>)", true),
			seenCase(conformance.Case{
				Name:     "fetch-body-part-sets-seen",
				Title:    `BODY[1] sets \Seen`,
				Level:    conformance.Must,
				Sentence: fetchSeenSentence,
				Faults:   []fault.Fault{seenNotSet()},
			}, "FETCH 1 (BODY[1])", true),
			seenCase(conformance.Case{
				Name:     "fetch-body-peek-does-not-set-seen",
				Title:    `BODY.PEEK[] leaves \Seen unset`,
				Level:    conformance.Must,
				Sentence: fetchPeekSentence,
				Faults:   []fault.Fault{peekSetsSeen()},
			}, "FETCH 1 (BODY.PEEK[])", false),
			seenCase(conformance.Case{
				Name:     "fetch-body-peek-header-does-not-set-seen",
				Title:    `BODY.PEEK[HEADER] leaves \Seen unset`,
				Level:    conformance.Must,
				Sentence: fetchPeekSentence,
				Faults:   []fault.Fault{peekSetsSeen()},
			}, "FETCH 1 (BODY.PEEK[HEADER])", false),
			seenCase(conformance.Case{
				Name:  "fetch-rfc822-sets-seen",
				Title: `RFC822 sets \Seen, as BODY[] does`,
				Level: conformance.Must,
				Sentence: `RFC822
   Functionally equivalent to BODY[], differing in the syntax of the resulting untagged FETCH data`,
				Faults: []fault.Fault{fault.RewriteCommand(`RFC822 does not set \Seen`, `(?i)\(RFC822\)`, "(BODY.PEEK[])")},
			}, "FETCH 1 (RFC822)", true),
			seenCase(conformance.Case{
				Name:  "fetch-rfc822-text-sets-seen",
				Title: `RFC822.TEXT sets \Seen, as BODY[TEXT] does`,
				Level: conformance.Must,
				Sentence: `RFC822.TEXT
   Functionally equivalent to BODY[TEXT], differing in the syntax of the resulting untagged FETCH data`,
				Faults: []fault.Fault{fault.RewriteCommand(`RFC822.TEXT does not set \Seen`, `(?i)\(RFC822\.TEXT\)`, "(BODY.PEEK[TEXT])")},
			}, "FETCH 1 (RFC822.TEXT)", true),
			seenCase(conformance.Case{
				Name:  "fetch-rfc822-header-does-not-set-seen",
				Title: `RFC822.HEADER leaves \Seen unset, as BODY.PEEK[HEADER] does`,
				Level: conformance.Must,
				Sentence: `RFC822.HEADER
   Functionally equivalent to BODY.PEEK[HEADER], differing in the syntax of the resulting untagged FETCH data`,
				Faults: []fault.Fault{fault.RewriteCommand(`RFC822.HEADER sets \Seen`, `(?i)\(RFC822\.HEADER\)`, "(BODY[HEADER])")},
			}, "FETCH 1 (RFC822.HEADER)", false),
			{
				Name:      "fetch-body-seen-reported-in-fetch",
				Title:     `The \Seen set by BODY[] is reported with FLAGS in the FETCH response`,
				Level:     conformance.Should,
				Sentence:  fetchSeenSentence,
				Commands:  []string{"FETCH"},
				Responses: []string{"FETCH"},
				Faults: []fault.Fault{mutateFetch(`FLAGS not sent after setting \Seen`, func(_ uint32, f *grammar.FetchData) bool {
					i := slices.Index(f.Items, "FLAGS")
					if i < 0 || len(f.Items) == 1 {
						return false
					}
					f.Items = slices.Delete(f.Items, i, i+1)
					return true
				})},
				Run: func(t *conformance.T) {
					s := corpusSession(t, "simple")
					r := s.Tx("OK", "FETCH 1 (BODY[TEXT])")
					for _, f := range fetchesOf(r, 1) {
						if f.Has("FLAGS") && hasFlag(f.Flags, `\Seen`) {
							return
						}
					}
					t.Mismatch([]string{`untagged FETCH for message 1 with FLAGS including \Seen`}, showFetches(r),
						`%s: \Seen was set but the FETCH responses do not include the new flags`, r.Command)
				},
			}, {
				Name:      "fetch-seen-is-permanent",
				Title:     `The \Seen set by BODY[] is seen by a later session`,
				Level:     conformance.Must,
				Sentence:  fetchSeenSentence,
				Commands:  []string{"FETCH"},
				Responses: []string{"FETCH"},
				Faults:    []fault.Fault{seenNotSet()},
				Run: func(t *conformance.T) {
					s, mailbox := corpusMailbox(t, "simple")
					s.Tx("OK", "FETCH 1 (BODY[])")
					s.Logout()
					expectSeen(t, t.Select(0, mailbox), 1, true, "BODY[] in an earlier session did not leave \\Seen set")
				},
			}, {
				Name:  "fetch-body-in-examined-mailbox-does-not-set-seen",
				Title: `BODY[] in a mailbox opened with EXAMINE does not set \Seen`,
				Level: conformance.Must,
				Sentence: `the selected mailbox is identified as read-only.  No changes to the permanent state of the
mailbox, including per-user state, are permitted`,
				Commands:  []string{"FETCH", "EXAMINE"},
				Responses: []string{"FETCH"},
				Faults:    []fault.Fault{fault.RewriteCommand("EXAMINE opens the mailbox read-write", `^(\S+) EXAMINE `, "$1 SELECT ")},
				Run: func(t *conformance.T) {
					s, mailbox := corpusMailbox(t, "simple")
					s.Cmd("OK", "EXAMINE", wire.Astring(mailbox))
					s.Tx("OK", "FETCH 1 (BODY[])")
					s.Logout()
					expectSeen(t, t.Select(0, mailbox), 1, false, "BODY[] in a read-only session set \\Seen")
				},
			},

			// RFC822, RFC822.HEADER and RFC822.TEXT.
			{
				Name:  "fetch-rfc822-whole-message",
				Title: "RFC822 returns the whole message under the name RFC822",
				Level: conformance.Must,
				Sentence: `RFC822
   Functionally equivalent to BODY[], differing in the syntax of the resulting untagged FETCH
   data (RFC822 is returned).`,
				Commands:  []string{"FETCH"},
				Responses: []string{"FETCH"},
				Faults: []fault.Fault{
					sectionChanged(""),
					mutateFetch("RFC822 answered as BODY[]", func(_ uint32, f *grammar.FetchData) bool {
						i := slices.Index(f.Items, "RFC822")
						if i < 0 {
							return false
						}
						f.Items[i] = "BODY[]"
						f.Sections = append(f.Sections, grammar.BodySection{Spec: "", Data: f.RFC822, Literal: true})
						return true
					}),
				},
				Run: func(t *conformance.T) {
					s := corpusSession(t, "eight-bit")
					r := s.Tx("OK", "FETCH 1 (RFC822)")
					expectOctets(t, r.Command, fetchItem(t, r, 1, "RFC822").RFC822, message(t, "eight-bit"))
				},
			}, {
				Name:  "fetch-rfc822-header-returns-header",
				Title: "RFC822.HEADER returns the header with its blank line",
				Level: conformance.Must,
				Sentence: `RFC822.HEADER
   Functionally equivalent to BODY.PEEK[HEADER], differing in the syntax of the resulting untagged
   FETCH data (RFC822.HEADER is returned).`,
				Commands:  []string{"FETCH"},
				Responses: []string{"FETCH"},
				Faults: []fault.Fault{mutateSection("RFC822.HEADER without the blank line", "HEADER", func(d []byte) []byte {
					return []byte(strings.TrimSuffix(string(d), "\r\n"))
				})},
				Run: func(t *conformance.T) {
					s := corpusSession(t, "alternative")
					r := s.Tx("OK", "FETCH 1 (RFC822.HEADER)")
					h, _ := headerAndText(message(t, "alternative"))
					expectOctets(t, r.Command, fetchItem(t, r, 1, "RFC822.HEADER").RFC822Header, h)
				},
			}, {
				Name:  "fetch-rfc822-text-returns-text",
				Title: "RFC822.TEXT returns the body without the header",
				Level: conformance.Must,
				Sentence: `RFC822.TEXT
   Functionally equivalent to BODY[TEXT], differing in the syntax of the resulting untagged FETCH
   data (RFC822.TEXT is returned).`,
				Commands:  []string{"FETCH"},
				Responses: []string{"FETCH"},
				Faults:    []fault.Fault{sectionChanged("TEXT")},
				Run: func(t *conformance.T) {
					s := corpusSession(t, "alternative")
					r := s.Tx("OK", "FETCH 1 (RFC822.TEXT)")
					_, text := headerAndText(message(t, "alternative"))
					expectOctets(t, r.Command, fetchItem(t, r, 1, "RFC822.TEXT").RFC822Text, text)
				},
			},
		},
	}}
}

// expectNumbers fails the case unless the FETCH responses of r that carry
// the section asked for are exactly those of messages want (in any order:
// "Servers MAY ... execute the sequence in any order").
func expectNumbers(t *conformance.T, r *conformance.Reply, want ...uint32) {
	got := fetchedNumbers(r, "BODY[HEADER.FIELDS (SUBJECT)]")
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Mismatch([]string{fmt.Sprintf("FETCH responses for messages %v", want)}, fmt.Sprintf("messages %v", got),
			"%s returned the data of messages %v", r.Command, got)
	}
}

// staticDifference names the first static item that differs between two
// FETCH responses for one message, with both values.
func staticDifference(a, b *grammar.FetchData) (field, va, vb string) {
	switch {
	case a.UID != b.UID:
		return "UID", fmt.Sprint(a.UID), fmt.Sprint(b.UID)
	case !a.InternalDate.Equal(b.InternalDate):
		return "INTERNALDATE", a.InternalDate.Format(time.RFC1123Z), b.InternalDate.Format(time.RFC1123Z)
	case a.RFC822Size != b.RFC822Size:
		return "RFC822.SIZE", fmt.Sprint(a.RFC822Size), fmt.Sprint(b.RFC822Size)
	case !reflect.DeepEqual(a.Envelope, b.Envelope):
		return "ENVELOPE", fmt.Sprintf("%+v", *a.Envelope), fmt.Sprintf("%+v", *b.Envelope)
	case !reflect.DeepEqual(a.BodyStructure, b.BodyStructure):
		return "BODYSTRUCTURE", fmt.Sprintf("%+v", *a.BodyStructure), fmt.Sprintf("%+v", *b.BodyStructure)
	}
	return "", "", ""
}

// internalDateMovedByStore shifts INTERNALDATE by an hour in every FETCH
// response after a STORE, as a server that rewrites a message file on a
// flag change and takes its new time as the internal date would.
func internalDateMovedByStore() fault.Fault {
	shift := mutateFetch("", func(_ uint32, f *grammar.FetchData) bool {
		if !f.Has("INTERNALDATE") {
			return false
		}
		f.InternalDate = f.InternalDate.Add(time.Hour)
		return true
	})
	return fault.Fault{
		Name: "INTERNALDATE changed by STORE",
		Command: func(s *fault.State, line []byte) ([]byte, fault.Action) {
			if s.Command == "STORE" {
				s.Data["stored"] = true
			}
			return line, fault.Forward
		},
		Response: func(s *fault.State, raw []byte) ([]byte, fault.Action) {
			if s.Data["stored"] != true {
				return raw, fault.Forward
			}
			return shift.Response(s, raw)
		},
	}
}
