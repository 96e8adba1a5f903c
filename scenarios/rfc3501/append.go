package rfc3501

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"mime/quotedprintable"
	"net/mail"
	"strings"
	"time"

	"github.com/imapgauge/imapgauge/conformance"
	"github.com/imapgauge/imapgauge/conformance/fault"
	"github.com/imapgauge/imapgauge/conformance/grammar"
	"github.com/imapgauge/imapgauge/conformance/wire"
)

const (
	appendSentence = "The APPEND command appends the literal argument as a new message to the end of the specified\n" +
		"destination mailbox."
	appendFlagsSentence = "If a flag parenthesized list is specified, the flags SHOULD be set in the resulting message; otherwise,\n" +
		"the flag list of the resulting message is set to empty by default.  In either case, the Recent flag is also set."
	appendDateSentence = "If a date-time is specified, the internal date SHOULD be set in the resulting message; otherwise, the\n" +
		"internal date of the resulting message is set to the current date and time by default."
	appendFailedSentence = "NO - append error: can't append to that mailbox, error in flags or date/time or message text\n" +
		"If the append is unsuccessful for any reason, the mailbox MUST be restored to its state before the APPEND\nattempt; no partial appending is permitted."
	appendMissingSentence = "If the destination mailbox does not exist, a server MUST return an error, and MUST NOT automatically\n" +
		"create the mailbox.  Unless it is certain that the destination mailbox can not be created, the server MUST\nsend the response code \"[TRYCREATE]\" as the prefix of the text of the tagged NO response."
)

// appendDropsFlags is the fault of a server that ignores APPEND's flag list.
func appendDropsFlags() fault.Fault {
	return rewriteCommandOf("APPEND ignores the flag list", "APPEND", `^(\S+ APPEND \S+) \([^)]*\)`, "$1")
}

// appendDropsDate is the fault of a server that ignores APPEND's date-time
// and stamps the message with the time of arrival.
func appendDropsDate() fault.Fault {
	return rewriteCommandOf("APPEND ignores the date-time", "APPEND", `"[^"]*" (\{\d+\+?\}\r\n)$`, "$1")
}

// appendedMessage examines mailbox in a new session of user 1 and returns
// the FETCH data items of its last message.
func appendedMessage(t *conformance.T, mailbox, items string) *grammar.FetchData {
	s := t.Login(0)
	r := s.Cmd("OK", "EXAMINE", wire.Astring(mailbox))
	n := lastExists(r)
	if n < 1 {
		t.Mismatch([]string{"* n EXISTS, n at least 1"}, showUntagged(r), "EXAMINE of the mailbox APPEND added to")
	}
	f := s.Tx("OK", fmt.Sprintf("FETCH %d (%s)", n, items))
	var out grammar.FetchData
	found := false
	for _, u := range f.All("FETCH") {
		if u.Number != uint32(n) {
			continue
		}
		found = true
		if u.Fetch.Has("FLAGS") {
			out.Flags = u.Fetch.Flags
		}
		if u.Fetch.Has("INTERNALDATE") {
			out.InternalDate = u.Fetch.InternalDate
		}
		if u.Fetch.Has("RFC822.SIZE") {
			out.RFC822Size = u.Fetch.RFC822Size
		}
		out.Items = append(out.Items, u.Fetch.Items...)
		out.Sections = append(out.Sections, u.Fetch.Sections...)
	}
	if !found {
		t.Mismatch([]string{fmt.Sprintf("* %d FETCH (%s)", n, items)}, showUntagged(f), "%s", f.Command)
	}
	return &out
}

// expectFlagsInclude fails the case unless flags holds every flag of want.
func expectFlagsInclude(t *conformance.T, flags []string, what string, want ...string) {
	for _, w := range want {
		if !containsFold(flags, w) {
			t.Mismatch([]string{"FLAGS with " + strings.Join(want, " ")}, "FLAGS ("+strings.Join(flags, " ")+")", "%s", what)
		}
	}
}

// dateCase is a case appending a message with a date-time and checking
// the internal date, as an instant, that FETCH INTERNALDATE gives back.
func dateCase(name, title, dateTime string, want time.Time, faults ...fault.Fault) conformance.Case {
	return conformance.Case{
		Name:      name,
		Title:     title,
		Level:     conformance.Should,
		Sentence:  appendDateSentence,
		Commands:  []string{"APPEND", "FETCH"},
		Responses: []string{"FETCH"},
		Faults:    append([]fault.Fault{appendDropsDate()}, faults...),
		Run: func(t *conformance.T) {
			mb := t.Mailbox(0)
			t.Login(0).Cmd("OK", "APPEND", wire.Astring(mb), wire.Quoted(dateTime), wire.Literal(labelledMessage("dated")))
			got := appendedMessage(t, mb, "INTERNALDATE").InternalDate
			if !got.Equal(want) {
				t.Mismatch([]string{fmt.Sprintf("INTERNALDATE %q or the same instant in another zone", dateTime)},
					fmt.Sprintf("INTERNALDATE %q", got.Format("02-Jan-2006 15:04:05 -0700")), "the message appended with the date-time %q", dateTime)
			}
		},
	}
}

// refusedDateCase is a case appending a message with a date-time the
// server must not accept, and checking the mailbox is left as it was.
func refusedDateCase(name, title, sentence string, level conformance.Level, dateTime string, faults ...fault.Fault) conformance.Case {
	return conformance.Case{
		Name:      name,
		Title:     title,
		Level:     level,
		Sentence:  sentence,
		Commands:  []string{"APPEND", "STATUS"},
		Responses: []string{"NO", "BAD", "STATUS"},
		Faults:    faults,
		Run: func(t *conformance.T) {
			mb := t.Mailbox(0)
			s := t.Login(0)
			s.Cmd("NO|BAD", "APPEND", wire.Astring(mb), wire.Quoted(dateTime), wire.Literal(labelledMessage("misdated")))
			if n := statusOf(t, s, mb, "MESSAGES")["MESSAGES"]; n != 0 {
				t.Mismatch([]string{"MESSAGES 0"}, fmt.Sprintf("MESSAGES %d", n), "STATUS after a refused APPEND")
			}
		},
	}
}

// eightBitMessage is a message with 8-bit text in a Content-Transfer-Encoding
// of 8bit (RFC 2045).
var eightBitMessage = []byte("From: Jörg Müller <joerg@example.org>\r\n" +
	"To: Zoë <zoe@example.org>\r\n" +
	"Subject: eight-bit\r\n" +
	"MIME-Version: 1.0\r\n" +
	"Content-Type: text/plain; charset=utf-8\r\n" +
	"Content-Transfer-Encoding: 8bit\r\n" +
	"\r\n" +
	"Grüße aus Köln, naïve café, 東京, ½ €.\r\n")

// sameAfterReversibleConversion reports whether got is the message
// original, either as sent or with its body converted to a 7-bit
// Content-Transfer-Encoding that decodes to the original body (RFC 3501
// section 6.3.11).
func sameAfterReversibleConversion(original, got []byte) bool {
	if bytes.Equal(original, got) {
		return true
	}
	m, err := mail.ReadMessage(bytes.NewReader(got))
	if err != nil {
		return false
	}
	body, err := io.ReadAll(m.Body)
	if err != nil {
		return false
	}
	var decoded []byte
	switch strings.ToLower(strings.TrimSpace(m.Header.Get("Content-Transfer-Encoding"))) {
	case "quoted-printable":
		decoded, err = io.ReadAll(quotedprintable.NewReader(bytes.NewReader(body)))
	case "base64":
		decoded, err = io.ReadAll(base64.NewDecoder(base64.StdEncoding, bytes.NewReader(bytes.ReplaceAll(body, []byte("\r\n"), nil))))
	default:
		return false
	}
	if err != nil {
		return false
	}
	_, want, _ := bytes.Cut(original, []byte("\r\n\r\n"))
	return bytes.Equal(bytes.ReplaceAll(decoded, []byte("\r\n"), []byte("\n")), bytes.ReplaceAll(want, []byte("\r\n"), []byte("\n")))
}

// largeMessage returns a message of about size octets of text lines.
func largeMessage(size int) []byte {
	var b bytes.Buffer
	b.WriteString("From: Ann Example <ann@example.org>\r\nSubject: large\r\n\r\n")
	for i := 0; b.Len() < size; i++ {
		fmt.Fprintf(&b, "%06d The quick brown fox jumps over the lazy dog; pack my box with five dozen.\r\n", i)
	}
	return b.Bytes()
}

// appendCommand checks RFC 3501 section 6.3.11.
func appendCommand() []conformance.Section {
	return []conformance.Section{{
		Number: "6.3.11",
		Title:  "APPEND Command",
		Cases: []conformance.Case{{
			Name:      "append-adds-message-at-end-exactly",
			Title:     "APPEND adds the message after the existing ones, octet for octet",
			Level:     conformance.Must,
			Sentence:  appendSentence,
			Commands:  []string{"APPEND", "FETCH"},
			Responses: []string{"FETCH"},
			Faults: []fault.Fault{
				mutateSection("APPEND stores the message with an added header", "", func(d []byte) []byte {
					return append([]byte("Return-Path: <ann@example.org>\r\n"), d...)
				}),
			},
			Run: func(t *conformance.T) {
				mb := t.Mailbox(0)
				seedLabels(t, mb, nil, "first", "second")
				msg := labelledMessage("third")
				t.Login(0).Cmd("OK", "APPEND", wire.Astring(mb), wire.Literal(msg))
				expectLabels(t, t.Login(0), mb, "the mailbox after APPEND", "first", "second", "third")
				got := appendedMessage(t, mb, "BODY.PEEK[]").Sections
				if len(got) != 1 || !bytes.Equal([]byte(got[0].Data.Value), msg) {
					t.Mismatch([]string{"BODY[] equal to the APPEND literal"}, showSections(got), "FETCH of the appended message")
				}
			},
		}, {
			Name:      "append-sets-flags-given",
			Title:     "APPEND with a flag list sets those flags on the message",
			Level:     conformance.Should,
			Sentence:  appendFlagsSentence,
			Commands:  []string{"APPEND", "FETCH"},
			Responses: []string{"FETCH"},
			Faults:    []fault.Fault{appendDropsFlags()},
			Run: func(t *conformance.T) {
				mb := t.Mailbox(0)
				flags := []string{`\Seen`, `\Answered`, `\Flagged`, `\Draft`}
				t.Login(0).Cmd("OK", "APPEND", wire.Astring(mb), listOf(flags...), wire.Literal(labelledMessage("flagged")))
				expectFlagsInclude(t, appendedMessage(t, mb, "FLAGS").Flags, "the message appended with "+flagListText(flags), flags...)
			},
		}, {
			Name:      "append-sets-keyword-given",
			Title:     "APPEND with a keyword sets it when the mailbox accepts new keywords",
			Level:     conformance.Should,
			Sentence:  appendFlagsSentence,
			Commands:  []string{"APPEND", "SELECT", "FETCH"},
			Responses: []string{"FETCH"},
			Codes:     []string{"PERMANENTFLAGS"},
			Faults:    []fault.Fault{appendDropsFlags()},
			Run: func(t *conformance.T) {
				mb := t.Mailbox(0)
				s := t.Login(0)
				pf := untaggedCode(s.Cmd("OK", "SELECT", wire.Astring(mb)), "PERMANENTFLAGS")
				if pf == nil || !containsFold(pf.Code.Flags, `\*`) {
					t.Skipf("PERMANENTFLAGS does not list \\*: the mailbox cannot store new keywords")
				}
				s.Tx("OK", "CLOSE")
				s.Cmd("OK", "APPEND", wire.Astring(mb), listOf("$Imapgauge"), wire.Literal(labelledMessage("keyword")))
				expectFlagsInclude(t, appendedMessage(t, mb, "FLAGS").Flags, "the message appended with ($Imapgauge)", "$Imapgauge")
			},
		}, {
			Name:      "append-without-flags-sets-none",
			Title:     "APPEND without a flag list leaves the message with no flag but \\Recent",
			Level:     conformance.Must,
			Sentence:  appendFlagsSentence,
			Commands:  []string{"APPEND", "FETCH"},
			Responses: []string{"FETCH"},
			Faults: []fault.Fault{
				rewriteCommandOf("APPEND marks new messages \\Seen", "APPEND", `^(\S+ APPEND \S+) \{`, `$1 (\Seen) {`),
			},
			Run: func(t *conformance.T) {
				mb := t.Mailbox(0)
				t.Login(0).Cmd("OK", "APPEND", wire.Astring(mb), wire.Literal(labelledMessage("plain")))
				if flags := flagsButRecent(appendedMessage(t, mb, "FLAGS").Flags); len(flags) > 0 {
					t.Mismatch([]string{`FLAGS () or FLAGS (\Recent)`}, "FLAGS "+flagListText(flags), "the message appended without flags")
				}
			},
		}, {
			Name:      "append-sets-recent",
			Title:     "A message APPEND adds with flags is also \\Recent for the next session to select the mailbox",
			Level:     conformance.Must,
			Sentence:  appendFlagsSentence,
			Commands:  []string{"APPEND", "SELECT", "FETCH"},
			Responses: []string{"FETCH", "RECENT"},
			Faults:    []fault.Fault{dropRecent("appended messages are not \\Recent", "FETCH")},
			Run: func(t *conformance.T) {
				mb := t.Mailbox(0)
				t.Login(0).Cmd("OK", "APPEND", wire.Astring(mb), listOf(`\Seen`), wire.Literal(labelledMessage("recent")))
				s := t.Login(0)
				s.Cmd("OK", "SELECT", wire.Astring(mb))
				r := s.Tx("OK", "FETCH 1 (FLAGS)")
				f := requireFetch(t, r, 1, "FLAGS")
				if !f.HasFlag(`\Recent`) || !f.HasFlag(`\Seen`) {
					t.Mismatch([]string{`FLAGS (\Seen \Recent) in any order`}, showUntagged(r), "the first session to select the mailbox after APPEND (\\Seen)")
				}
			},
		},
			dateCase("append-date-time-utc", "APPEND with a date-time in UTC sets that internal date",
				"01-Jan-2020 00:00:00 +0000", time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)),
			dateCase("append-date-time-west-of-utc", "APPEND with a date-time west of UTC sets that instant as the internal date",
				"07-Feb-1994 21:52:25 -0800", time.Date(1994, 2, 8, 5, 52, 25, 0, time.UTC),
				rewriteCommandOf("APPEND ignores the zone of the date-time", "APPEND", `[+-]\d{4}" `, `+0000" `)),
			dateCase("append-date-time-half-hour-zone", "APPEND with a date-time in a zone half an hour off sets that instant",
				"15-Aug-2021 23:45:10 +0530", time.Date(2021, 8, 15, 18, 15, 10, 0, time.UTC),
				rewriteCommandOf("APPEND ignores the minutes of the zone", "APPEND", `([+-]\d{2})30" `, `${1}00" `)),
			dateCase("append-date-time-space-padded-day", "APPEND with a one-digit day written with a leading space sets that date",
				" 3-Mar-2022 09:08:07 +0100", time.Date(2022, 3, 3, 8, 8, 7, 0, time.UTC)),
			refusedDateCase("append-impossible-date-refused", "APPEND with a date-time of 31 February fails and adds nothing",
				appendFailedSentence, conformance.Must, "31-Feb-2021 10:00:00 +0000", appendDropsDate()),
			refusedDateCase("append-unpadded-day-refused", "APPEND with a one-digit day without its leading space is rejected and adds nothing",
				"date-day-fixed  = (SP DIGIT) / 2DIGIT\nAny client command with a protocol syntax error, including (but not limited to) missing or extraneous\nspaces or arguments, SHOULD be rejected, and the client given a BAD server completion response.",
				conformance.Should, "7-Feb-2021 10:00:00 +0000",
				rewriteCommandOf("APPEND reads a one-digit day leniently", "APPEND", `"7-Feb`, `" 7-Feb`)),
			{
				Name:      "append-missing-mailbox-trycreate",
				Title:     "APPEND to a mailbox that does not exist fails with NO [TRYCREATE]",
				Level:     conformance.Must,
				Sentence:  appendMissingSentence,
				Commands:  []string{"APPEND"},
				Responses: []string{"NO"},
				Codes:     []string{"TRYCREATE"},
				Faults: []fault.Fault{
					fault.RewriteResponse("APPEND fails without [TRYCREATE]", "APPEND", `\[TRYCREATE\] ?`, ""),
				},
				Run: func(t *conformance.T) {
					m := newMailboxTree(t, 0)
					r := m.s.Cmd("NO", "APPEND", wire.Astring(m.name("absent")), wire.Literal(labelledMessage("lost")))
					t.Expect(r).To(conformance.HaveCode("TRYCREATE"))
				},
			}, {
				Name:      "append-missing-mailbox-not-created",
				Title:     "APPEND to a mailbox that does not exist does not create it",
				Level:     conformance.Must,
				Sentence:  appendMissingSentence,
				Commands:  []string{"APPEND", "LIST"},
				Responses: []string{"NO", "LIST"},
				Faults:    []fault.Fault{createsMissing("APPEND")},
				Run: func(t *conformance.T) {
					m := newMailboxTree(t, 0)
					absent := m.name("absent")
					m.s.Cmd("NO", "APPEND", wire.Astring(absent), wire.Literal(labelledMessage("lost")))
					expectNotListed(t, listCmd(m.s, "LIST", "", absent), "LIST", absent)
				},
			}, {
				Name:      "append-after-trycreate-and-create-succeeds",
				Title:     "After NO [TRYCREATE], CREATE then APPEND again stores the message",
				Level:     conformance.Must,
				Sentence:  "This gives a hint to the client that it can attempt a CREATE command and retry the APPEND if the CREATE\nis successful.",
				Commands:  []string{"APPEND", "CREATE", "EXAMINE", "FETCH"},
				Responses: []string{"NO", "OK", "FETCH"},
				Codes:     []string{"TRYCREATE"},
				Faults: []fault.Fault{
					answer("APPEND still fails after CREATE", "APPEND", "OK", "NO"),
				},
				Run: func(t *conformance.T) {
					m := newMailboxTree(t, 0)
					target := m.name("target")
					r := m.s.Cmd("NO", "APPEND", wire.Astring(target), wire.Literal(labelledMessage("retried")))
					t.Expect(r).To(conformance.HaveCode("TRYCREATE"))
					s := t.Login(0)
					createFresh(t, s, target)
					s.Cmd("OK", "APPEND", wire.Astring(target), wire.Literal(labelledMessage("retried")))
					expectLabels(t, s, target, "the mailbox created after [TRYCREATE]", "retried")
				},
			}, {
				Name:  "append-8bit-message-kept",
				Title: "APPEND of a message with 8-bit text keeps it, or converts it reversibly to 7 bits",
				Level: conformance.Must,
				Sentence: "8-bit characters are permitted in the message.  A server implementation that is unable to preserve\n" +
					"8-bit data properly MUST be able to reversibly convert 8-bit APPEND data to 7-bit using a [MIME-IMB]\ncontent transfer encoding.",
				Commands:  []string{"APPEND", "FETCH"},
				Responses: []string{"FETCH"},
				Faults: []fault.Fault{
					mutateSection("APPEND strips the 8th bit", "", func(d []byte) []byte {
						out := bytes.Clone(d)
						for i, c := range out {
							out[i] = c & 0x7f
						}
						return out
					}),
				},
				Run: func(t *conformance.T) {
					mb := t.Mailbox(0)
					t.Login(0).Cmd("OK", "APPEND", wire.Astring(mb), wire.Literal(eightBitMessage))
					got := appendedMessage(t, mb, "BODY.PEEK[]").Sections
					if len(got) != 1 || !sameAfterReversibleConversion(eightBitMessage, []byte(got[0].Data.Value)) {
						t.Mismatch([]string{"the message as appended, or its body in quoted-printable or base64 decoding to the same text"},
							showSections(got), "FETCH BODY[] of the 8-bit message")
					}
				},
			}, {
				Name:      "append-large-message-kept",
				Title:     "APPEND of a 256 KiB message keeps every octet",
				Level:     conformance.Must,
				Sentence:  appendSentence,
				Commands:  []string{"APPEND", "FETCH"},
				Responses: []string{"FETCH"},
				Faults: []fault.Fault{
					mutateSection("APPEND cuts a large message short", "", func(d []byte) []byte { return d[:len(d)/2] }),
				},
				Run: func(t *conformance.T) {
					mb := t.Mailbox(0)
					msg := largeMessage(256 << 10)
					t.Login(0).Cmd("OK", "APPEND", wire.Astring(mb), wire.Literal(msg))
					f := appendedMessage(t, mb, "RFC822.SIZE BODY.PEEK[]")
					if f.RFC822Size != uint32(len(msg)) || len(f.Sections) != 1 || !bytes.Equal([]byte(f.Sections[0].Data.Value), msg) {
						got := -1
						if len(f.Sections) == 1 {
							got = len(f.Sections[0].Data.Value)
						}
						t.Mismatch([]string{fmt.Sprintf("RFC822.SIZE %d and BODY[] equal to the %d octets appended", len(msg), len(msg))},
							fmt.Sprintf("RFC822.SIZE %d, BODY[] of %d octets", f.RFC822Size, got), "FETCH of the large message")
					}
				},
			}, {
				Name:  "append-to-selected-mailbox-sends-exists",
				Title: "APPEND to the selected mailbox brings an untagged EXISTS at once",
				Level: conformance.Should,
				Sentence: "If the mailbox is currently selected, the normal new message actions SHOULD occur.  Specifically, the\n" +
					"server SHOULD notify the client immediately via an untagged EXISTS response.",
				Commands:  []string{"APPEND", "SELECT"},
				Responses: []string{"EXISTS"},
				Faults:    []fault.Fault{fault.DropResponse("APPEND sends no EXISTS", "APPEND", `^\* \d+ EXISTS\r\n`)},
				Run: func(t *conformance.T) {
					mb := t.Mailbox(0)
					seedLabels(t, mb, nil, "first")
					s := t.Login(0)
					s.Cmd("OK", "SELECT", wire.Astring(mb))
					r := s.Cmd("OK", "APPEND", wire.Astring(mb), wire.Literal(labelledMessage("second")))
					if lastExists(r) != 2 {
						t.Mismatch([]string{"* 2 EXISTS before the tagged OK"}, showUntagged(r), "APPEND to the selected mailbox")
					}
				},
			}, {
				Name:      "append-without-message-bad",
				Title:     "APPEND without a message literal is a BAD command and adds nothing",
				Level:     conformance.Must,
				Sentence:  "Arguments:  mailbox name ... message literal\nBAD - command unknown or arguments invalid",
				Commands:  []string{"APPEND", "STATUS"},
				Responses: []string{"BAD", "STATUS"},
				Faults:    []fault.Fault{answer("APPEND without a message answers NO", "APPEND", "BAD", "NO")},
				Run: func(t *conformance.T) {
					mb := t.Mailbox(0)
					s := t.Login(0)
					s.Tx("BAD", "APPEND "+quoteName(mb)+` (\Seen)`)
					if n := statusOf(t, s, mb, "MESSAGES")["MESSAGES"]; n != 0 {
						t.Mismatch([]string{"MESSAGES 0"}, fmt.Sprintf("MESSAGES %d", n), "STATUS after APPEND without a message")
					}
				},
			}, {
				Name:      "append-flags-and-date-time-together",
				Title:     "APPEND with both a flag list and a date-time sets both",
				Level:     conformance.Should,
				Sentence:  appendFlagsSentence + "\n" + "If a date-time is specified, the internal date SHOULD be set in the resulting message",
				Commands:  []string{"APPEND", "FETCH"},
				Responses: []string{"FETCH"},
				Faults:    []fault.Fault{appendDropsFlags(), appendDropsDate()},
				Run: func(t *conformance.T) {
					mb := t.Mailbox(0)
					t.Login(0).Cmd("OK", "APPEND", wire.Astring(mb), listOf(`\Flagged`), wire.Quoted("29-Feb-2024 12:34:56 -0330"), wire.Literal(labelledMessage("both")))
					f := appendedMessage(t, mb, "FLAGS INTERNALDATE")
					expectFlagsInclude(t, f.Flags, `the message appended with (\Flagged) and a date-time`, `\Flagged`)
					if want := time.Date(2024, 2, 29, 16, 4, 56, 0, time.UTC); !f.InternalDate.Equal(want) {
						t.Mismatch([]string{`INTERNALDATE "29-Feb-2024 12:34:56 -0330" or the same instant`},
							fmt.Sprintf("INTERNALDATE %q", f.InternalDate.Format("02-Jan-2006 15:04:05 -0700")), "the message appended with a flag list and a date-time")
					}
				},
			}},
	}}
}

// showSections renders fetched sections for a failure message, cut short.
func showSections(sections []grammar.BodySection) string {
	if len(sections) == 0 {
		return "no BODY[] item"
	}
	v := sections[0].Data.Value
	return fmt.Sprintf("BODY[] of %d octets beginning %q", len(v), v[:min(len(v), 80)])
}
