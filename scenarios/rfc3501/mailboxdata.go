package rfc3501

import (
	"fmt"
	"strings"

	"github.com/imapgauge/imapgauge/conformance"
	"github.com/imapgauge/imapgauge/conformance/fault"
	"github.com/imapgauge/imapgauge/conformance/wire"
)

// systemFlags are the flags RFC 3501 section 2.3.2 defines that a client
// can set (\Recent is the server's).
var systemFlags = []string{`\Answered`, `\Flagged`, `\Deleted`, `\Seen`, `\Draft`}

// mailboxStatusData checks the responses of RFC 3501 section 7 that the
// authenticated-state commands produce, up to SEARCH: the response codes of
// 7.1 they carry, and LIST, LSUB and STATUS (7.2.2 to 7.2.4).
func mailboxStatusData() []conformance.Section {
	return []conformance.Section{
		{Number: "7.1", Title: "Server Responses - Status Responses", Cases: responseCodeCases()},
		{Number: "7.2.2", Title: "LIST Response", Cases: listResponseCases()},
		{Number: "7.2.3", Title: "LSUB Response", Cases: lsubResponseCases()},
		{Number: "7.2.4", Title: "STATUS Response", Cases: statusResponseCases()},
	}
}

// mailboxSizeData checks FLAGS (RFC 3501 section 7.2.6), EXISTS and RECENT
// (7.3) as SELECT, EXAMINE, APPEND and NOOP produce them.
func mailboxSizeData() []conformance.Section {
	return []conformance.Section{
		{Number: "7.2.6", Title: "FLAGS Response", Cases: flagsResponseCases()},
		{Number: "7.3.1", Title: "EXISTS Response", Cases: existsResponseCases()},
		{Number: "7.3.2", Title: "RECENT Response", Cases: recentResponseCases()},
	}
}

func responseCodeCases() []conformance.Case {
	return []conformance.Case{{
		Name:  "permanentflags-lists-known-flags",
		Title: "Every flag PERMANENTFLAGS lists, \\* aside, is one of the flags the FLAGS response lists",
		Level: conformance.Must,
		Sentence: "PERMANENTFLAGS  Followed by a parenthesized list of flags, indicates which of the known flags the client can\n" +
			"change permanently.  Any flags that are in the FLAGS untagged response, but not the PERMANENTFLAGS list, can not be set permanently.",
		Commands:  []string{"SELECT"},
		Responses: []string{"FLAGS", "OK"},
		Codes:     []string{"PERMANENTFLAGS"},
		Faults: []fault.Fault{
			fault.RewriteResponse("PERMANENTFLAGS lists a flag FLAGS does not", "SELECT", `\[PERMANENTFLAGS \(`, `[PERMANENTFLAGS ($Unannounced `),
		},
		Run: func(t *conformance.T) {
			mb := t.Mailbox(0)
			r := t.Login(0).Cmd("OK", "SELECT", wire.Astring(mb))
			pf := expectUntaggedCode(t, r, "PERMANENTFLAGS")
			flags := r.All("FLAGS")
			if len(flags) == 0 {
				t.Mismatch([]string{"* FLAGS (...)"}, showUntagged(r), "%s: no FLAGS response", r.Command)
			}
			known := flags[len(flags)-1]
			for _, f := range pf.Code.Flags {
				if f != `\*` && !known.HasFlag(f) {
					t.Mismatch([]string{"PERMANENTFLAGS within " + flagListText(known.Flags) + " and \\*"}, show1(pf), "%s: %s is not a known flag", r.Command, f)
				}
			}
		},
	}, {
		Name:      "uidnext-above-every-uid",
		Title:     "The UIDNEXT code of SELECT is above the UID of every message",
		Level:     conformance.Must,
		Sentence:  "UIDNEXT  Followed by a decimal number, indicates the next unique identifier value.",
		Commands:  []string{"SELECT", "FETCH"},
		Responses: []string{"OK", "FETCH"},
		Codes:     []string{"UIDNEXT"},
		Faults: []fault.Fault{
			fault.RewriteResponse("UIDNEXT is the last UID given, not the next", "SELECT", `\[UIDNEXT (\d+)\]`, "[UIDNEXT 2]"),
		},
		Run: func(t *conformance.T) {
			mb := t.Mailbox(0)
			seedLabels(t, mb, nil, "uid-1", "uid-2")
			s := t.Login(0)
			next := expectUntaggedCode(t, s.Cmd("OK", "SELECT", wire.Astring(mb)), "UIDNEXT").Code.Number
			for _, uid := range fetchUIDList(t, s, "FETCH 1:2 (UID)", 2) {
				if uid >= next {
					t.Mismatch([]string{fmt.Sprintf("UIDNEXT above %d", uid)}, fmt.Sprintf("UIDNEXT %d", next), "SELECT of a mailbox with a message of UID %d", uid)
				}
			}
		},
	}, {
		Name:      "read-only-code-after-select",
		Title:     "EXAMINE of the mailbox the session has selected read-write answers [READ-ONLY]",
		Level:     conformance.Must,
		Sentence:  "READ-ONLY  The mailbox is selected read-only, or its access while selected has changed from read-write to read-only.",
		Commands:  []string{"SELECT", "EXAMINE"},
		Responses: []string{"OK"},
		Codes:     []string{"READ-ONLY", "READ-WRITE"},
		Faults: []fault.Fault{
			fault.RewriteResponse("EXAMINE keeps the mailbox read-write", "EXAMINE", `\[READ-ONLY\]`, "[READ-WRITE]"),
		},
		Run: func(t *conformance.T) {
			mb := t.Mailbox(0)
			s := t.Login(0)
			s.Cmd("OK", "SELECT", wire.Astring(mb))
			t.Expect(s.Cmd("OK", "EXAMINE", wire.Astring(mb))).To(conformance.HaveCode("READ-ONLY"))
		},
	}, {
		Name:      "read-write-code-after-examine",
		Title:     "SELECT of the mailbox the session has examined answers [READ-WRITE]",
		Level:     conformance.Should,
		Sentence:  "If the client is permitted to modify the mailbox, the server SHOULD prefix the text of the tagged OK\nresponse with the \"[READ-WRITE]\" response code.",
		Commands:  []string{"EXAMINE", "SELECT"},
		Responses: []string{"OK"},
		Codes:     []string{"READ-WRITE", "READ-ONLY"},
		Faults: []fault.Fault{
			fault.RewriteResponse("SELECT after EXAMINE stays read-only", "SELECT", `\[READ-WRITE\]`, "[READ-ONLY]"),
		},
		Run: func(t *conformance.T) {
			mb := t.Mailbox(0)
			s := t.Login(0)
			s.Cmd("OK", "EXAMINE", wire.Astring(mb))
			t.Expect(s.Cmd("OK", "SELECT", wire.Astring(mb))).To(conformance.HaveCode("READ-WRITE"))
		},
	}, {
		Name:  "trycreate-only-for-missing-mailbox",
		Title: "A refused APPEND to a mailbox that exists carries no [TRYCREATE]",
		Level: conformance.Must,
		Sentence: "TRYCREATE  An APPEND or COPY attempt is failing because the target mailbox does not exist (as opposed to\n" +
			"some other reason).",
		Commands:  []string{"APPEND"},
		Responses: []string{"NO", "BAD"},
		Codes:     []string{"TRYCREATE"},
		Faults: []fault.Fault{
			fault.RewriteResponse("every refused APPEND carries [TRYCREATE]", "APPEND", `^([^*+]\S*) (NO|BAD) (\[[^\]]*\] )?`, "$1 NO [TRYCREATE] "),
		},
		Run: func(t *conformance.T) {
			mb := t.Mailbox(0)
			// \Bogus is not a flag RFC 3501 defines: the append fails
			// for its flags, not for its mailbox.
			r := t.Login(0).Cmd("NO|BAD", "APPEND", wire.Astring(mb), listOf(`\Bogus`), wire.Literal(labelledMessage("bogus")))
			t.Expect(r).NotTo(conformance.HaveCode("TRYCREATE"))
		},
	}}
}

func listResponseCases() []conformance.Case {
	return []conformance.Case{{
		Name:  "list-delimiter-same-for-all-children",
		Title: "Every name below a top-level name is listed with the same hierarchy delimiter",
		Level: conformance.Must,
		Sentence: "The hierarchy delimiter is a character used to delimit levels of hierarchy in a mailbox name.\n" +
			"All children of a top-level hierarchy node MUST use the same separator character.",
		Commands:  []string{"LIST"},
		Responses: []string{"LIST"},
		Faults: []fault.Fault{
			forListMatching(`\*"\r\n$`, fault.RewriteResponse("the deepest level is listed with another delimiter", "LIST", `"/" ("?[^"\r]*/a/b/c"?\r\n)$`, `"." $1`)),
		},
		Run: func(t *conformance.T) {
			m := listTree(t)
			r := listCmd(m.s, "LIST", "", m.root+"*")
			for _, u := range r.All("LIST") {
				if u.List.Delimiter != m.delim {
					t.Mismatch([]string{fmt.Sprintf("the delimiter %q for every name below %s", m.delim, m.root)}, show1(u), "%s", r.Command)
				}
			}
		},
	}, {
		Name:      "noselect-name-not-selectable",
		Title:     "SELECT of a name listed with \\Noselect fails with NO",
		Level:     conformance.Must,
		Sentence:  "\\Noselect  It is not possible to use this name as a selectable mailbox.",
		Commands:  []string{"LIST", "SELECT"},
		Responses: []string{"LIST", "NO"},
		Faults: []fault.Fault{
			rewriteCommandOf("SELECT of a \\Noselect name opens an inferior", "SELECT", `(/hollow)\r\n$`, "$1/inner\r\n"),
		},
		Run: func(t *conformance.T) {
			m := newMailboxTree(t, 0)
			hollow, _ := m.noselectName("hollow")
			expectNotSelectable(t, m.s, hollow, "of a \\Noselect name")
		},
	}, {
		Name:  "listed-names-selectable",
		Title: "Every name LIST gives without \\Noselect can be selected as given",
		Level: conformance.Must,
		Sentence: "The name represents an unambiguous left-to-right hierarchy, and MUST be valid for use as a reference in\n" +
			"LIST and LSUB commands.  Unless \\Noselect is indicated, the name MUST also be valid as an argument for\ncommands, such as SELECT, that accept mailbox names.",
		Commands:  []string{"LIST", "SELECT"},
		Responses: []string{"LIST", "OK"},
		Faults: []fault.Fault{
			forListMatching(`\*"\r\n$`, fault.RewriteResponse("LIST folds names to upper case", "LIST", `/(a|other)("?\r\n)$`, "/A$2")),
		},
		Run: func(t *conformance.T) {
			m := listTree(t)
			r := listCmd(m.s, "LIST", "", m.name("*"))
			for _, u := range r.All("LIST") {
				if !u.List.HasAttribute(`\Noselect`) {
					m.s.Cmd("OK", "SELECT", wire.Astring(u.List.Mailbox))
				}
			}
			expectListed(t, r, "LIST", m.name("other"))
		},
	}, {
		Name:  "listed-names-valid-as-reference",
		Title: "A name LIST gives, used as a reference, lists the names below it",
		Level: conformance.Must,
		Sentence: "The name represents an unambiguous left-to-right hierarchy, and MUST be valid for use as a reference in\n" +
			"LIST and LSUB commands.",
		Commands:  []string{"LIST"},
		Responses: []string{"LIST"},
		Faults: []fault.Fault{
			forListMatching(`%"\r\n$`, fault.RewriteResponse("LIST folds names to upper case", "LIST", `/(a|b)("?\r\n)$`, "/X$2")),
		},
		Run: func(t *conformance.T) {
			m := listTree(t)
			a := expectListed(t, listCmd(m.s, "LIST", "", m.name("%")), "LIST", m.name("a"))
			ab := expectListed(t, listCmd(m.s, "LIST", a.Mailbox+a.Delimiter, "%"), "LIST", m.name("a", "b"))
			expectExactly(t, listCmd(m.s, "LIST", ab.Mailbox+ab.Delimiter, "%"), "LIST", m.name("a", "b", "c"))
		},
	}, {
		Name:      "listed-name-with-specials-exact",
		Title:     "LIST gives a name with spaces, quotes and a backslash exactly as created",
		Level:     conformance.Must,
		Sentence:  "Unless \\Noselect is indicated, the name MUST also be valid as an argument for commands, such as SELECT,\nthat accept mailbox names.",
		Commands:  []string{"CREATE", "LIST", "SELECT"},
		Responses: []string{"LIST"},
		Faults: []fault.Fault{
			fault.RewriteResponse("LIST drops the escapes of a quoted name", "LIST", `\\\\`, `\`),
		},
		Run: func(t *conformance.T) {
			m := newMailboxTree(t, 0)
			odd := m.name(`say "hi" \ now`)
			if r := m.s.Cmd("OK|NO", "CREATE", wire.Astring(odd)); r.Status() == "NO" {
				t.Skipf("CREATE %s: NO: the server does not allow quotes or backslashes in names", quoteName(odd))
			}
			r := listCmd(m.s, "LIST", "", m.name("say*"))
			expectExactly(t, r, "LIST", odd)
			m.s.Cmd("OK", "SELECT", wire.Astring(odd))
		},
	}}
}

func lsubResponseCases() []conformance.Case {
	return []conformance.Case{{
		Name:      "lsub-answered-with-lsub-responses",
		Title:     "LSUB is answered with LSUB responses, not LIST",
		Level:     conformance.Must,
		Sentence:  "The LSUB response occurs as a result of an LSUB command.  It returns a single name that matches the\nLSUB specification.",
		Commands:  []string{"LSUB", "SUBSCRIBE"},
		Responses: []string{"LSUB", "LIST"},
		Faults:    []fault.Fault{fault.RewriteResponse("LSUB is answered with LIST responses", "LSUB", `^\* LSUB `, "* LIST ")},
		Run: func(t *conformance.T) {
			m := newMailboxTree(t, 0)
			box := m.create("box")
			m.subscribe(box)
			r := listCmd(m.s, "LSUB", "", m.name("*"))
			if all := r.All("LIST"); len(all) > 0 {
				t.Mismatch([]string{"* LSUB (...)"}, show1(all[0]), "%s", r.Command)
			}
			expectExactly(t, r, "LSUB", box)
		},
	}, {
		Name:      "lsub-data-as-in-list",
		Title:     "An LSUB response gives the name and delimiter as LIST does",
		Level:     conformance.Must,
		Sentence:  "The data is identical in format to the LIST response.",
		Commands:  []string{"LSUB", "LIST"},
		Responses: []string{"LSUB", "LIST"},
		Faults: []fault.Fault{
			fault.RewriteResponse("LSUB gives another delimiter", "LSUB", `^(\* LSUB \([^)]*\)) "/" `, `$1 "." `),
		},
		Run: func(t *conformance.T) {
			m := newMailboxTree(t, 0)
			m.hierarchical()
			deep := m.create("box", "inner")
			m.subscribe(deep)
			l := expectListed(t, listCmd(m.s, "LIST", "", deep), "LIST", deep)
			s := expectListed(t, listCmd(m.s, "LSUB", "", deep), "LSUB", deep)
			if s.Delimiter != l.Delimiter {
				t.Mismatch([]string{fmt.Sprintf("the delimiter %q, as LIST gives", l.Delimiter)}, fmt.Sprintf("%q", s.Delimiter), "LSUB of %s", deep)
			}
		},
	}}
}

func statusResponseCases() []conformance.Case {
	return []conformance.Case{{
		Name:      "status-response-names-mailbox",
		Title:     "The STATUS response names the mailbox asked about, spaces included",
		Level:     conformance.Must,
		Sentence:  "The STATUS response occurs as a result of an STATUS command.  It returns the mailbox name that matches\nthe STATUS specification and the requested mailbox status information.",
		Commands:  []string{"STATUS", "CREATE"},
		Responses: []string{"STATUS"},
		Faults: []fault.Fault{
			fault.RewriteResponse("STATUS names the mailbox without its last word", "STATUS", ` words"? \(`, `" (`),
		},
		Run: func(t *conformance.T) {
			m := newMailboxTree(t, 0)
			spaced := m.create("two words")
			r := m.s.Cmd("OK", "STATUS", wire.Astring(spaced), listOf("MESSAGES"))
			if got := r.One("STATUS").Status.Mailbox; got != spaced {
				t.Mismatch([]string{"* STATUS " + quoteName(spaced) + " (...)"}, show1(r.One("STATUS")), "%s", r.Command)
			}
		},
	}, {
		Name:      "status-response-items-as-requested",
		Title:     "The STATUS response carries each requested item once",
		Level:     conformance.Must,
		Sentence:  "It returns the mailbox name that matches the STATUS specification and the requested mailbox status\ninformation.",
		Commands:  []string{"STATUS"},
		Responses: []string{"STATUS"},
		Faults: []fault.Fault{
			fault.RewriteResponse("STATUS answers UIDNEXT for UNSEEN", "STATUS", `UNSEEN (\d+)`, "UIDNEXT $1"),
		},
		Run: func(t *conformance.T) {
			mb := t.Mailbox(0)
			seedLabels(t, mb, nil, "unseen-1")
			r := t.Login(0).Cmd("OK", "STATUS", wire.Astring(mb), listOf("UNSEEN", "MESSAGES"))
			raw := strings.ToUpper(r.One("STATUS").Raw)
			for _, item := range []string{"UNSEEN", "MESSAGES"} {
				if strings.Count(raw, " "+item+" ")+strings.Count(raw, "("+item+" ") != 1 {
					t.Mismatch([]string{"UNSEEN and MESSAGES, once each"}, show1(r.One("STATUS")), "%s", r.Command)
				}
			}
		},
	}}
}

func flagsResponseCases() []conformance.Case {
	flagsCase := func(open string) conformance.Case {
		return conformance.Case{
			Name:  "flags-of-" + strings.ToLower(open) + "-lists-system-flags",
			Title: "The FLAGS response to " + open + " lists at least the system flags",
			Level: conformance.Must,
			Sentence: "The FLAGS response occurs as a result of a SELECT or EXAMINE command.  The flag parenthesized list\n" +
				"identifies the flags (at a minimum, the system-defined flags) that are applicable for this mailbox.",
			Commands:  []string{open},
			Responses: []string{"FLAGS"},
			Faults: []fault.Fault{
				fault.RewriteResponse("FLAGS leaves out \\Draft", open, `^(\* FLAGS \([^)]*)\\Draft ?`, "$1"),
			},
			Run: func(t *conformance.T) {
				mb := t.Mailbox(0)
				r := t.Login(0).Cmd("OK", open, wire.Astring(mb))
				all := r.All("FLAGS")
				if len(all) == 0 {
					t.Mismatch([]string{"* FLAGS (...)"}, showUntagged(r), "%s", r.Command)
				}
				for _, f := range systemFlags {
					if !all[len(all)-1].HasFlag(f) {
						t.Mismatch([]string{"* FLAGS (" + strings.Join(systemFlags, " ") + " ...)"}, show1(all[len(all)-1]), "%s: no %s", r.Command, f)
					}
				}
			},
		}
	}
	return []conformance.Case{flagsCase("SELECT"), flagsCase("EXAMINE")}
}

func existsResponseCases() []conformance.Case {
	return []conformance.Case{{
		Name:  "exists-after-append-to-selected-mailbox",
		Title: "A message appended to the selected mailbox is counted by EXISTS by the end of the next NOOP",
		Level: conformance.Must,
		Sentence: "The EXISTS response reports the number of messages in the mailbox.  This response occurs as a result of\n" +
			"a SELECT or EXAMINE command, and if the size of the mailbox changes (e.g., new messages).",
		Commands:  []string{"APPEND", "NOOP", "SELECT"},
		Responses: []string{"EXISTS"},
		Faults: []fault.Fault{
			fault.Chain("the new size is never reported",
				fault.DropResponse("", "APPEND", `^\* \d+ EXISTS\r\n`),
				fault.DropResponse("", "NOOP", `^\* \d+ EXISTS\r\n`)),
		},
		Run: func(t *conformance.T) {
			mb := t.Mailbox(0)
			seedLabels(t, mb, nil, "first")
			s := t.Login(0)
			s.Cmd("OK", "SELECT", wire.Astring(mb))
			a := s.Cmd("OK", "APPEND", wire.Astring(mb), wire.Literal(labelledMessage("second")))
			n := s.Tx("OK", "NOOP")
			if max(lastExists(a), lastExists(n)) != 2 {
				t.Mismatch([]string{"* 2 EXISTS during APPEND or NOOP"}, showUntagged(a)+" / "+showUntagged(n), "APPEND to the selected mailbox, then NOOP")
			}
		},
	}, {
		Name:      "exists-on-select-matches-status-messages",
		Title:     "The EXISTS count of SELECT equals the MESSAGES that STATUS reported just before",
		Level:     conformance.Must,
		Sentence:  "The EXISTS response reports the number of messages in the mailbox.",
		Commands:  []string{"SELECT", "STATUS"},
		Responses: []string{"EXISTS", "STATUS"},
		Faults: []fault.Fault{
			fault.RewriteResponse("SELECT counts the \\Deleted messages out", "SELECT", `^\* 3 EXISTS`, "* 2 EXISTS"),
		},
		Run: func(t *conformance.T) {
			mb := t.Mailbox(0)
			seedLabels(t, mb, []string{`\Deleted`}, "deleted-1")
			seedLabels(t, mb, nil, "kept-2", "kept-3")
			s := t.Login(0)
			want := statusOf(t, s, mb, "MESSAGES")["MESSAGES"]
			r := s.Cmd("OK", "SELECT", wire.Astring(mb))
			if uint64(lastExists(r)) != want || want != 3 {
				t.Mismatch([]string{"* 3 EXISTS, as STATUS MESSAGES 3"}, fmt.Sprintf("%s; STATUS MESSAGES %d", showUntagged(r), want), "%s", r.Command)
			}
		},
	}}
}

func recentResponseCases() []conformance.Case {
	return []conformance.Case{{
		Name:      "recent-sent-with-new-message",
		Title:     "NOOP after another session's APPEND reports RECENT along with EXISTS",
		Level:     conformance.Must,
		Sentence:  "If new messages are found, the server sends untagged EXISTS and RECENT responses reflecting the new size\nof the mailbox.",
		Commands:  []string{"NOOP", "APPEND", "SELECT"},
		Responses: []string{"RECENT", "EXISTS"},
		Faults:    []fault.Fault{fault.DropResponse("RECENT not sent for new messages", "NOOP", `^\* \d+ RECENT\r\n`)},
		Run: func(t *conformance.T) {
			mb := t.Mailbox(0)
			s := t.Login(0)
			s.Cmd("OK", "SELECT", wire.Astring(mb))
			t.Login(0).Cmd("OK", "APPEND", wire.Astring(mb), wire.Literal(labelledMessage("new")))
			r := s.Tx("OK", "NOOP")
			all := r.All("RECENT")
			if lastExists(r) != 1 || len(all) == 0 || all[len(all)-1].Number != 1 {
				t.Mismatch([]string{"* 1 EXISTS and * 1 RECENT"}, showUntagged(r), "NOOP in the only session with the mailbox selected after a new message arrived")
			}
		},
	}, {
		Name:  "recent-count-matches-search-recent",
		Title: "The RECENT count of SELECT is the number of messages SEARCH RECENT finds",
		Level: conformance.Must,
		Sentence: "The RECENT response reports the number of messages with the \\Recent flag set.\n" +
			"The only reliable way to identify recent messages is to look at message flags to see which have the\n\\Recent flag set, or to do a SEARCH RECENT.",
		Commands:  []string{"SELECT", "SEARCH"},
		Responses: []string{"RECENT", "SEARCH"},
		Faults: []fault.Fault{
			fault.RewriteResponse("RECENT counts every message", "SELECT", `^\* 1 RECENT`, "* 3 RECENT"),
		},
		Run: func(t *conformance.T) {
			mb := t.Mailbox(0)
			seedLabels(t, mb, nil, "old-1", "old-2")
			// A first session is told of messages 1 and 2; message 3
			// arrives after it has gone.
			a := t.Login(0)
			a.Cmd("OK", "SELECT", wire.Astring(mb))
			a.Logout()
			seedLabels(t, mb, nil, "new-3")
			s := t.Login(0)
			r := s.Cmd("OK", "SELECT", wire.Astring(mb))
			all := r.All("RECENT")
			if len(all) == 0 {
				t.Mismatch([]string{"* n RECENT"}, showUntagged(r), "%s", r.Command)
			}
			found := s.Tx("OK", "SEARCH RECENT").One("SEARCH").Search.Nums
			if int(all[len(all)-1].Number) != len(found) || len(found) != 1 {
				t.Mismatch([]string{"* 1 RECENT and * SEARCH 3"}, fmt.Sprintf("* %d RECENT and SEARCH RECENT %v", all[len(all)-1].Number, found),
					"SELECT of a mailbox with one message no session has seen")
			}
		},
	}}
}
