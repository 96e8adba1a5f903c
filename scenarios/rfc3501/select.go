package rfc3501

import (
	"fmt"
	"slices"
	"strings"

	"github.com/imapgauge/imapgauge/conformance"
	"github.com/imapgauge/imapgauge/conformance/fault"
	"github.com/imapgauge/imapgauge/conformance/grammar"
	"github.com/imapgauge/imapgauge/conformance/wire"
)

const (
	selectMustSend = "Before returning an OK to the client, the server MUST send the following untagged data to the client.\n"
	examineSame    = "The EXAMINE command is identical to SELECT and returns the same output; however, the selected mailbox\n" +
		"is identified as read-only.\n"
	implicitClose = "The SELECT, EXAMINE, and LOGOUT commands implicitly close the currently selected mailbox\n" +
		"without doing an expunge."
)

// requiredOpenData describes one of the untagged responses SELECT and
// EXAMINE must send (RFC 3501 sections 6.3.1 and 6.3.2).
type requiredOpenData struct {
	name, title string
	// item is the line of the SELECT description naming the data.
	item      string
	responses []string
	codes     []string
	// faults make the case fail, given the command (SELECT or EXAMINE).
	faults func(open string) []fault.Fault
	// seed fills the mailbox (as a fixture); check judges the reply.
	seed  func(t *conformance.T, mailbox string)
	check func(t *conformance.T, r *conformance.Reply)
}

// seedLabels appends one labelled message per label, flagged as flags.
func seedLabels(t *conformance.T, mailbox string, flags []string, labels ...string) {
	for _, l := range labels {
		t.Append(0, mailbox, labelledMessage(l), flags...)
	}
}

// requiredOpenResponses are the data of RFC 3501 section 6.3.1's list.
var requiredOpenResponses = []requiredOpenData{{
	name: "sends-flags", title: "sends an untagged FLAGS response",
	item:      "FLAGS       Defined flags in the mailbox.",
	responses: []string{"FLAGS"},
	faults: func(open string) []fault.Fault {
		return []fault.Fault{fault.DropResponse(open+" omits FLAGS", open, `^\* FLAGS `)}
	},
	seed: func(t *conformance.T, mb string) { seedLabels(t, mb, nil, "flags-1") },
	check: func(t *conformance.T, r *conformance.Reply) {
		if len(r.All("FLAGS")) == 0 {
			t.Mismatch([]string{"* FLAGS (...)"}, showUntagged(r), "%s: no FLAGS response", r.Command)
		}
	},
}, {
	name: "sends-exists-count", title: "sends EXISTS with the number of messages",
	item:      "<n> EXISTS  The number of messages in the mailbox.",
	responses: []string{"EXISTS"},
	faults: func(open string) []fault.Fault {
		return []fault.Fault{
			fault.DropResponse(open+" omits EXISTS", open, `^\* \d+ EXISTS\r\n`),
			fault.RewriteResponse(open+" counts one message too few", open, `^\* 3 EXISTS`, "* 2 EXISTS"),
		}
	},
	seed: func(t *conformance.T, mb string) { seedLabels(t, mb, nil, "exists-1", "exists-2", "exists-3") },
	check: func(t *conformance.T, r *conformance.Reply) {
		if n := lastExists(r); n != 3 {
			t.Mismatch([]string{"* 3 EXISTS"}, showUntagged(r), "%s: the mailbox holds 3 messages", r.Command)
		}
	},
}, {
	name: "sends-recent-count", title: "sends RECENT with the number of messages no session has seen yet",
	item:      "<n> RECENT  The number of messages with the \\Recent flag set.",
	responses: []string{"RECENT"},
	faults: func(open string) []fault.Fault {
		return []fault.Fault{
			fault.DropResponse(open+" omits RECENT", open, `^\* \d+ RECENT\r\n`),
			fault.RewriteResponse(open+" reports no recent message", open, `^\* 2 RECENT`, "* 0 RECENT"),
		}
	},
	// Appended by sessions that never selected the mailbox: the session
	// opening it is the first to be told of them (section 2.3.2).
	seed: func(t *conformance.T, mb string) { seedLabels(t, mb, nil, "recent-1", "recent-2") },
	check: func(t *conformance.T, r *conformance.Reply) {
		all := r.All("RECENT")
		if len(all) == 0 || all[len(all)-1].Number != 2 {
			t.Mismatch([]string{"* 2 RECENT"}, showUntagged(r), "%s: two messages arrived and no session has seen them", r.Command)
		}
	},
}, {
	name: "sends-uidvalidity-code", title: "sends an untagged OK with the UIDVALIDITY response code",
	item:      "OK [UIDVALIDITY <n>]  The unique identifier validity value.",
	responses: []string{"OK"}, codes: []string{"UIDVALIDITY"},
	faults: func(open string) []fault.Fault {
		return []fault.Fault{fault.DropResponse(open+" omits UIDVALIDITY", open, `^\* OK \[UIDVALIDITY `)}
	},
	seed:  func(t *conformance.T, mb string) { seedLabels(t, mb, nil, "uidvalidity-1") },
	check: func(t *conformance.T, r *conformance.Reply) { expectUntaggedCode(t, r, "UIDVALIDITY") },
}, {
	name: "sends-uidnext-code", title: "sends an untagged OK with the UIDNEXT response code",
	item:      "OK [UIDNEXT <n>]  The next unique identifier value.",
	responses: []string{"OK"}, codes: []string{"UIDNEXT"},
	faults: func(open string) []fault.Fault {
		return []fault.Fault{fault.DropResponse(open+" omits UIDNEXT", open, `^\* OK \[UIDNEXT `)}
	},
	seed:  func(t *conformance.T, mb string) { seedLabels(t, mb, nil, "uidnext-1") },
	check: func(t *conformance.T, r *conformance.Reply) { expectUntaggedCode(t, r, "UIDNEXT") },
}, {
	name: "sends-permanentflags-code", title: "sends an untagged OK with the PERMANENTFLAGS response code",
	item:      "OK [PERMANENTFLAGS (<list of flags>)]  A list of message flags that the client can change permanently.",
	responses: []string{"OK"}, codes: []string{"PERMANENTFLAGS"},
	faults: func(open string) []fault.Fault {
		return []fault.Fault{fault.DropResponse(open+" omits PERMANENTFLAGS", open, `^\* OK \[PERMANENTFLAGS `)}
	},
	seed:  func(t *conformance.T, mb string) { seedLabels(t, mb, nil, "permanentflags-1") },
	check: func(t *conformance.T, r *conformance.Reply) { expectUntaggedCode(t, r, "PERMANENTFLAGS") },
}, {
	name: "unseen-code-names-first-unseen", title: "sends [UNSEEN n] with the number of the first message without \\Seen",
	item:      "OK [UNSEEN <n>]  The message sequence number of the first unseen message in the mailbox.",
	responses: []string{"OK"}, codes: []string{"UNSEEN"},
	faults: func(open string) []fault.Fault {
		return []fault.Fault{
			fault.DropResponse(open+" omits UNSEEN", open, `^\* OK \[UNSEEN `),
			fault.RewriteResponse(open+" gives the count of unseen messages in UNSEEN", open, `\[UNSEEN 3\]`, "[UNSEEN 2]"),
		}
	},
	seed: func(t *conformance.T, mb string) {
		seedLabels(t, mb, []string{`\Seen`}, "unseen-1", "unseen-2")
		seedLabels(t, mb, nil, "unseen-3", "unseen-4")
	},
	check: func(t *conformance.T, r *conformance.Reply) {
		u := expectUntaggedCode(t, r, "UNSEEN")
		if u.Code.Number != 3 {
			t.Mismatch([]string{"* OK [UNSEEN 3]"}, show1(u), "%s: messages 1 and 2 are \\Seen, 3 and 4 are not", r.Command)
		}
	},
}}

// expectUntaggedCode fails the case unless r has an untagged OK with the
// response code name, and returns it.
func expectUntaggedCode(t *conformance.T, r *conformance.Reply, name string) *grammar.Response {
	u := untaggedCode(r, name)
	if u == nil {
		t.Mismatch([]string{"* OK [" + name + " ...]"}, showUntagged(r), "%s: no untagged OK with the %s response code", r.Command, name)
	}
	return u
}

// requiredOpenCases turns requiredOpenResponses into cases for open
// (SELECT or EXAMINE).
func requiredOpenCases(open string) []conformance.Case {
	var out []conformance.Case
	for _, d := range requiredOpenResponses {
		sentence := selectMustSend + d.item
		if open == "EXAMINE" {
			sentence = examineSame + d.item
		}
		out = append(out, conformance.Case{
			Name:      strings.ToLower(open) + "-" + d.name,
			Title:     open + " " + d.title,
			Level:     conformance.Must,
			Sentence:  sentence,
			Commands:  []string{open},
			Responses: d.responses,
			Codes:     d.codes,
			Faults:    d.faults(open),
			Run: func(t *conformance.T) {
				mb := t.Mailbox(0)
				d.seed(t, mb)
				s := t.Login(0)
				d.check(t, s.Cmd("OK", open, wire.Astring(mb)))
			},
		})
	}
	return out
}

// examineAsSelect is the fault of a server that opens an EXAMINEd mailbox
// read-write.
func examineAsSelect() fault.Fault {
	return rewriteCommandOf("EXAMINE opens the mailbox read-write", "EXAMINE", `^(\S+) EXAMINE `, "$1 SELECT ")
}

// createsMissing is the fault of a server that creates a mailbox command
// names when it does not exist.
func createsMissing(command string) fault.Fault {
	return alsoRuns(command+" creates a missing mailbox", command, func(line string) []string {
		return []string{"CREATE " + lastArgument(line)}
	})
}

// openCommands checks RFC 3501 sections 6.3.1 and 6.3.2.
func openCommands() []conformance.Section {
	selectCases := append(requiredOpenCases("SELECT"), conformance.Case{
		Name:  "select-read-write-code",
		Title: "The tagged OK of SELECT carries [READ-WRITE] when the mailbox can be modified",
		Level: conformance.Should,
		Sentence: "If the client is permitted to modify the mailbox, the server SHOULD prefix the text of the tagged OK\n" +
			"response with the \"[READ-WRITE]\" response code.",
		Commands:  []string{"SELECT"},
		Responses: []string{"OK"},
		Codes:     []string{"READ-WRITE"},
		Faults:    []fault.Fault{fault.RewriteResponse("SELECT completes without [READ-WRITE]", "SELECT", `\[READ-WRITE\] `, "")},
		Run: func(t *conformance.T) {
			mb := t.Mailbox(0)
			r := t.Login(0).Cmd("OK", "SELECT", wire.Astring(mb))
			t.Expect(r).To(conformance.HaveCode("READ-WRITE"))
		},
	}, conformance.Case{
		Name:      "select-missing-mailbox-no",
		Title:     "SELECT of a mailbox that does not exist fails with NO and creates nothing",
		Level:     conformance.Must,
		Sentence:  "NO - select failure, now in authenticated state: no such mailbox, can't access mailbox",
		Commands:  []string{"SELECT", "LIST"},
		Responses: []string{"NO"},
		Faults:    []fault.Fault{createsMissing("SELECT")},
		Run: func(t *conformance.T) {
			m := newMailboxTree(t, 0)
			absent := m.name("absent")
			m.s.Cmd("NO", "SELECT", wire.Astring(absent))
			expectNotListed(t, listCmd(m.s, "LIST", "", absent), "LIST", absent)
		},
	}, conformance.Case{
		Name:  "select-replaces-selected-mailbox",
		Title: "SELECT of a second mailbox shows the second mailbox's messages",
		Level: conformance.Must,
		Sentence: "Only one mailbox can be selected at a time in a connection; ...\n" +
			"The SELECT command automatically deselects any currently selected mailbox before attempting the new selection.",
		Commands:  []string{"SELECT", "FETCH"},
		Responses: []string{"EXISTS", "FETCH"},
		Faults: []fault.Fault{
			rewriteCommandOf("a second SELECT keeps the first mailbox", "SELECT", `-2\r\n$`, "-1\r\n"),
		},
		Run: func(t *conformance.T) {
			first, second := t.Mailbox(0), t.Mailbox(0)
			seedLabels(t, first, nil, "first-1")
			seedLabels(t, second, nil, "second-1", "second-2", "second-3")
			s := t.Login(0)
			s.Cmd("OK", "SELECT", wire.Astring(first))
			r := s.Cmd("OK", "SELECT", wire.Astring(second))
			if n := lastExists(r); n != 3 {
				t.Mismatch([]string{"* 3 EXISTS"}, showUntagged(r), "SELECT of the second mailbox, which holds 3 messages")
			}
			expectSubject(t, s, 3, "second-3")
		},
	}, conformance.Case{
		Name:      "select-other-mailbox-expunges-nothing",
		Title:     "SELECT of another mailbox leaves the \\Deleted messages of the first in place",
		Level:     conformance.Must,
		Sentence:  implicitClose,
		Commands:  []string{"SELECT", "STATUS"},
		Responses: []string{"STATUS"},
		Faults: []fault.Fault{
			alsoRuns("SELECT expunges the mailbox it leaves", "SELECT", func(string) []string { return []string{"CLOSE"} }),
		},
		Run: func(t *conformance.T) {
			first, second := t.Mailbox(0), t.Mailbox(0)
			seedLabels(t, first, []string{`\Deleted`}, "deleted-1")
			seedLabels(t, first, nil, "kept-2")
			s := t.Login(0)
			s.Cmd("OK", "SELECT", wire.Astring(first))
			s.Cmd("OK", "SELECT", wire.Astring(second))
			if n := statusOf(t, s, first, "MESSAGES")["MESSAGES"]; n != 2 {
				t.Mismatch([]string{"MESSAGES 2"}, fmt.Sprintf("MESSAGES %d", n), "STATUS of the first mailbox after SELECT of another")
			}
		},
	}, conformance.Case{
		Name:      "select-no-unseen-code-when-all-seen",
		Title:     "SELECT of a mailbox whose messages are all \\Seen names no first unseen message",
		Level:     conformance.Must,
		Sentence:  "OK [UNSEEN <n>]\nThe message sequence number of the first unseen message in the mailbox.",
		Commands:  []string{"SELECT"},
		Responses: []string{"OK"},
		Codes:     []string{"UNSEEN"},
		Faults: []fault.Fault{
			fault.InsertBefore("SELECT names a seen message as the first unseen", "SELECT", `^[^*+]\S* OK `, "* OK [UNSEEN 1] First unseen.\r\n"),
		},
		Run: func(t *conformance.T) {
			mb := t.Mailbox(0)
			seedLabels(t, mb, []string{`\Seen`}, "seen-1", "seen-2")
			r := t.Login(0).Cmd("OK", "SELECT", wire.Astring(mb))
			if u := untaggedCode(r, "UNSEEN"); u != nil {
				t.Mismatch([]string{"no [UNSEEN n]: every message is \\Seen"}, show1(u), "%s", r.Command)
			}
		},
	})

	examineCases := append(requiredOpenCases("EXAMINE"), conformance.Case{
		Name:      "examine-tagged-ok-read-only",
		Title:     "The tagged OK of EXAMINE begins with [READ-ONLY]",
		Level:     conformance.Must,
		Sentence:  "The text of the tagged OK response to the EXAMINE command MUST begin with the \"[READ-ONLY]\" response code.",
		Commands:  []string{"EXAMINE"},
		Responses: []string{"OK"},
		Codes:     []string{"READ-ONLY"},
		Faults: []fault.Fault{
			examineAsSelect(),
			fault.RewriteResponse("EXAMINE completes with [READ-WRITE]", "EXAMINE", `\[READ-ONLY\]`, "[READ-WRITE]"),
		},
		Run: func(t *conformance.T) {
			mb := t.Mailbox(0)
			r := t.Login(0).Cmd("OK", "EXAMINE", wire.Astring(mb))
			t.Expect(r).To(conformance.HaveCode("READ-ONLY"))
		},
	}, conformance.Case{
		Name:  "examine-keeps-recent-for-next-select",
		Title: "Messages shown by EXAMINE are still \\Recent for the next SELECT",
		Level: conformance.Must,
		Sentence: "No changes to the permanent state of the mailbox, including per-user state, are permitted;\n" +
			"in particular, EXAMINE MUST NOT cause messages to lose the \\Recent flag.",
		Commands:  []string{"EXAMINE", "SELECT"},
		Responses: []string{"RECENT"},
		Faults:    []fault.Fault{examineAsSelect()},
		Run: func(t *conformance.T) {
			mb := t.Mailbox(0)
			seedLabels(t, mb, nil, "recent-1", "recent-2")
			a := t.Login(0)
			a.Cmd("OK", "EXAMINE", wire.Astring(mb))
			a.Tx("OK", "FETCH 1:* (FLAGS)")
			a.Logout()
			r := t.Login(0).Cmd("OK", "SELECT", wire.Astring(mb))
			all := r.All("RECENT")
			if len(all) == 0 || all[len(all)-1].Number != 2 {
				t.Mismatch([]string{"* 2 RECENT"}, showUntagged(r), "SELECT after another session only examined the mailbox")
			}
		},
	}, conformance.Case{
		Name:      "examine-store-changes-no-flags",
		Title:     "STORE in a mailbox opened with EXAMINE leaves the flags other sessions see unchanged",
		Level:     conformance.Must,
		Sentence:  "No changes to the permanent state of the mailbox, including per-user state, are permitted",
		Commands:  []string{"EXAMINE", "STORE", "FETCH"},
		Responses: []string{"FETCH"},
		Faults:    []fault.Fault{examineAsSelect()},
		Run: func(t *conformance.T) {
			mb := t.Mailbox(0)
			seedLabels(t, mb, nil, "flags-1")
			a := t.Login(0)
			a.Cmd("OK", "EXAMINE", wire.Astring(mb))
			// Refusing with NO or BAD is what most servers do; an OK
			// that keeps the change to this session is allowed too
			// (section 7.1, PERMANENTFLAGS).
			a.Tx("", `STORE 1 +FLAGS (\Flagged)`)
			expectNoFlag(t, mb, `\Flagged`, "after STORE in a session that examined the mailbox")
		},
	}, conformance.Case{
		Name:      "examine-fetch-body-leaves-unseen",
		Title:     "FETCH BODY[] in a mailbox opened with EXAMINE does not set \\Seen",
		Level:     conformance.Must,
		Sentence:  "No changes to the permanent state of the mailbox, including per-user state, are permitted",
		Commands:  []string{"EXAMINE", "FETCH"},
		Responses: []string{"FETCH"},
		Faults:    []fault.Fault{examineAsSelect()},
		Run: func(t *conformance.T) {
			mb := t.Mailbox(0)
			seedLabels(t, mb, nil, "unseen-1")
			a := t.Login(0)
			a.Cmd("OK", "EXAMINE", wire.Astring(mb))
			a.Tx("OK", "FETCH 1 (BODY[])")
			expectNoFlag(t, mb, `\Seen`, "after FETCH BODY[] in a session that examined the mailbox")
		},
	}, conformance.Case{
		Name:      "examine-expunge-removes-nothing",
		Title:     "EXPUNGE in a mailbox opened with EXAMINE removes no message",
		Level:     conformance.Must,
		Sentence:  "No changes to the permanent state of the mailbox, including per-user state, are permitted",
		Commands:  []string{"EXAMINE", "EXPUNGE", "STATUS"},
		Responses: []string{"STATUS"},
		Faults:    []fault.Fault{examineAsSelect()},
		Run: func(t *conformance.T) {
			mb := t.Mailbox(0)
			seedLabels(t, mb, []string{`\Deleted`}, "deleted-1", "deleted-2")
			a := t.Login(0)
			a.Cmd("OK", "EXAMINE", wire.Astring(mb))
			a.Tx("", "EXPUNGE") // NO (read-only) is the usual answer.
			if n := statusOf(t, t.Login(0), mb, "MESSAGES")["MESSAGES"]; n != 2 {
				t.Mismatch([]string{"MESSAGES 2"}, fmt.Sprintf("MESSAGES %d", n), "STATUS after EXPUNGE in a session that examined the mailbox")
			}
		},
	}, conformance.Case{
		Name:      "examine-missing-mailbox-no",
		Title:     "EXAMINE of a mailbox that does not exist fails with NO and creates nothing",
		Level:     conformance.Must,
		Sentence:  "NO - examine failure, now in authenticated state: no such mailbox, can't access mailbox",
		Commands:  []string{"EXAMINE", "LIST"},
		Responses: []string{"NO"},
		Faults:    []fault.Fault{createsMissing("EXAMINE")},
		Run: func(t *conformance.T) {
			m := newMailboxTree(t, 0)
			absent := m.name("absent")
			m.s.Cmd("NO", "EXAMINE", wire.Astring(absent))
			expectNotListed(t, listCmd(m.s, "LIST", "", absent), "LIST", absent)
		},
	}, conformance.Case{
		Name:      "examine-output-matches-select",
		Title:     "EXAMINE reports the same EXISTS, RECENT, FLAGS, UIDVALIDITY, UIDNEXT and UNSEEN as a later SELECT",
		Level:     conformance.Must,
		Sentence:  "The EXAMINE command is identical to SELECT and returns the same output",
		Commands:  []string{"EXAMINE", "SELECT"},
		Responses: []string{"EXISTS", "RECENT", "FLAGS", "OK"},
		Codes:     []string{"UIDVALIDITY", "UIDNEXT", "UNSEEN"},
		Faults: []fault.Fault{
			fault.RewriteResponse("EXAMINE reports another UIDNEXT", "EXAMINE", `\[UIDNEXT (\d+)\]`, "[UIDNEXT 1$1]"),
		},
		Run: func(t *conformance.T) {
			mb := t.Mailbox(0)
			seedLabels(t, mb, []string{`\Seen`}, "same-1")
			seedLabels(t, mb, nil, "same-2", "same-3")
			a := t.Login(0)
			examined := openSummary(a.Cmd("OK", "EXAMINE", wire.Astring(mb)))
			a.Logout()
			selected := openSummary(t.Login(0).Cmd("OK", "SELECT", wire.Astring(mb)))
			if examined != selected {
				t.Mismatch([]string{selected + " (as SELECT reports)"}, examined, "EXAMINE and a later SELECT of an unchanged mailbox")
			}
		},
	}, conformance.Case{
		Name:      "examine-other-mailbox-expunges-nothing",
		Title:     "EXAMINE of another mailbox leaves the \\Deleted messages of the selected one in place",
		Level:     conformance.Must,
		Sentence:  implicitClose,
		Commands:  []string{"SELECT", "EXAMINE", "STATUS"},
		Responses: []string{"STATUS"},
		Faults: []fault.Fault{
			alsoRuns("EXAMINE expunges the mailbox it leaves", "EXAMINE", func(string) []string { return []string{"CLOSE"} }),
		},
		Run: func(t *conformance.T) {
			first, second := t.Mailbox(0), t.Mailbox(0)
			seedLabels(t, first, []string{`\Deleted`}, "deleted-1")
			s := t.Login(0)
			s.Cmd("OK", "SELECT", wire.Astring(first))
			s.Cmd("OK", "EXAMINE", wire.Astring(second))
			if n := statusOf(t, s, first, "MESSAGES")["MESSAGES"]; n != 1 {
				t.Mismatch([]string{"MESSAGES 1"}, fmt.Sprintf("MESSAGES %d", n), "STATUS of the first mailbox after EXAMINE of another")
			}
		},
	})

	return []conformance.Section{
		{Number: "6.3.1", Title: "SELECT Command", Cases: selectCases},
		{Number: "6.3.2", Title: "EXAMINE Command", Cases: examineCases},
	}
}

// openSummary renders what SELECT and EXAMINE report about a mailbox,
// PERMANENTFLAGS and the READ-WRITE/READ-ONLY code aside (they differ by
// design), in a canonical form for comparison.
func openSummary(r *conformance.Reply) string {
	var parts []string
	parts = append(parts, fmt.Sprintf("%d EXISTS", lastExists(r)))
	recent := -1
	for _, u := range r.All("RECENT") {
		recent = int(u.Number)
	}
	parts = append(parts, fmt.Sprintf("%d RECENT", recent))
	var flags []string
	for _, u := range r.All("FLAGS") {
		flags = nil
		for _, f := range u.Flags {
			flags = append(flags, strings.ToLower(f))
		}
	}
	slices.Sort(flags)
	parts = append(parts, "FLAGS ("+strings.Join(flags, " ")+")")
	for _, code := range []string{"UIDVALIDITY", "UIDNEXT", "UNSEEN"} {
		if u := untaggedCode(r, code); u != nil {
			parts = append(parts, fmt.Sprintf("[%s %d]", code, u.Code.Number))
		} else {
			parts = append(parts, "no "+code)
		}
	}
	return strings.Join(parts, ", ")
}

// expectSubject fails the case unless message seq of the selected mailbox
// is the labelled message label.
func expectSubject(t *conformance.T, s *conformance.Session, seq uint32, label string) {
	r := s.Tx("OK", fmt.Sprintf("FETCH %d (BODY.PEEK[HEADER.FIELDS (SUBJECT)])", seq))
	for _, u := range r.All("FETCH") {
		if u.Number == seq && len(u.Fetch.Sections) > 0 && strings.Contains(u.Fetch.Sections[0].Data.Value, label) {
			return
		}
	}
	t.Mismatch([]string{fmt.Sprintf("message %d with Subject: %s", seq, label)}, showUntagged(r), "%s", r.Command)
}

// expectNoFlag opens mailbox read-only in a new session of user 1 and
// fails the case if its first message has flag.
func expectNoFlag(t *conformance.T, mailbox, flag, when string) {
	s := t.Login(0)
	s.Cmd("OK", "EXAMINE", wire.Astring(mailbox))
	r := s.Tx("OK", "FETCH 1 (FLAGS)")
	for _, u := range r.All("FETCH") {
		if u.Number == 1 && u.Fetch.Has("FLAGS") && u.Fetch.HasFlag(flag) {
			t.Mismatch([]string{"FLAGS without " + flag}, show1(u), "message 1 %s", when)
		}
	}
}
