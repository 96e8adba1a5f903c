package rfc3501

import (
	"fmt"
	"strings"

	"github.com/imapgauge/imapgauge/conformance"
	"github.com/imapgauge/imapgauge/conformance/fault"
	"github.com/imapgauge/imapgauge/conformance/wire"
)

const (
	listWildcardSentence = "The character \"*\" is a wildcard, and matches zero or more characters at this position.  The\n" +
		"character \"%\" is similar to \"*\", but it does not match a hierarchy delimiter."
	listMatchSentence = "An empty (\"\" string) reference name argument indicates that the mailbox name is interpreted as by\n" +
		"SELECT.  The returned mailbox names MUST match the supplied mailbox name pattern."
	listEmptySentence = "An empty (\"\" string) mailbox name argument is a special request to return the hierarchy delimiter and\n" +
		"the root name of the name given in the reference.  The value returned as the root MAY be the empty string\n" +
		"if the reference is non-rooted or is an empty string.  In all cases, a hierarchy delimiter (or NIL if there is no hierarchy) is returned."
	listReferenceSentence = "A non-empty reference name argument is the name of a mailbox or a level of mailbox hierarchy, and\n" +
		"indicates the context in which the mailbox name is interpreted."
)

// listTree makes, below the root, the mailboxes a/, a/b, a/b/c and other,
// as a fixture.
func listTree(t *conformance.T) *mailboxTree {
	m := newMailboxTree(t, 0)
	m.hierarchical()
	m.create("a", "b", "c")
	m.create("other")
	return m
}

// listPattern is a fault that rewrites the mailbox pattern of LIST (the
// last quoted argument) from one text to another, as a server misreading
// the wildcards would.
func listPattern(name, from, to string) fault.Fault {
	return rewriteCommandOf(name, "LIST", `"([^"]*)`+from+`"\r\n$`, `"${1}`+to+`"`+"\r\n")
}

// listCommand checks RFC 3501 section 6.3.8.
func listCommand() []conformance.Section {
	return []conformance.Section{{
		Number: "6.3.8",
		Title:  "LIST Command",
		Cases: []conformance.Case{{
			Name:      "list-empty-name-gives-delimiter",
			Title:     `LIST "" "" answers one LIST response whose delimiter is the one of the real names`,
			Level:     conformance.Must,
			Sentence:  listEmptySentence,
			Commands:  []string{"LIST", "CREATE"},
			Responses: []string{"LIST"},
			Faults: []fault.Fault{
				fault.DropResponse(`LIST "" "" answers nothing`, "LIST", `^\* LIST \([^)]*\) "/" ""\r\n$`),
				fault.RewriteResponse(`LIST "" "" gives another delimiter`, "LIST", `^(\* LIST \([^)]*\)) "/" ""\r\n$`, `$1 "." ""`+"\r\n"),
			},
			Run: func(t *conformance.T) {
				// The LIST "" "" checked here is the session's first.
				root := t.Mailbox(0)
				s := t.Login(0)
				d := listCmd(s, "LIST", "", "").One("LIST").List.Delimiter
				if d == "" {
					return // A flat server: NIL is the right answer.
				}
				child := root + d + "child"
				t.Cleanup(func() { t.Login(0).Cmd("", "DELETE", wire.Astring(child)) })
				createFresh(t, s, child)
				l := expectListed(t, listCmd(s, "LIST", "", child), "LIST", child)
				if l.Delimiter != d {
					t.Mismatch([]string{fmt.Sprintf("the delimiter %q, as LIST \"\" \"\" said", d)}, fmt.Sprintf("%q", l.Delimiter),
						"LIST of a name made with the delimiter %q", d)
				}
			},
		}, {
			Name:      "list-empty-name-gives-root-of-reference",
			Title:     `LIST with a reference and "" answers the root of the reference or the empty string`,
			Level:     conformance.Must,
			Sentence:  listEmptySentence,
			Commands:  []string{"LIST"},
			Responses: []string{"LIST"},
			Faults: []fault.Fault{
				forListMatching(`^\S+ LIST "[^"]+" ""\r\n$`,
					fault.RewriteResponse("LIST answers the whole reference as its root", "LIST", `"/" ("?)([^"/\r]+)/[^\r]*\r\n$`, `"/" $1$2/a/b$1`+"\r\n")),
			},
			Run: func(t *conformance.T) {
				m := listTree(t)
				r := listCmd(m.s, "LIST", m.name("a", "b"), "")
				got := r.One("LIST").List
				roots := []string{"", m.root + m.delim, m.root}
				matched := false
				for _, root := range roots {
					matched = matched || got.Mailbox == root
				}
				if !matched || got.Delimiter != m.delim {
					t.Mismatch([]string{fmt.Sprintf("the root %q or %q (or the empty string) with the delimiter %q", m.root+m.delim, m.root, m.delim)},
						show1(r.One("LIST")), "%s", r.Command)
				}
			},
		}, {
			Name:      "list-star-matches-every-level",
			Title:     "LIST with * lists the names at every level below",
			Level:     conformance.Must,
			Sentence:  listWildcardSentence,
			Commands:  []string{"LIST"},
			Responses: []string{"LIST"},
			Faults: []fault.Fault{
				fault.DropResponse("LIST * misses the deepest level", "LIST", `/a/b/c"?\r\n$`),
				listPattern("LIST reads * as %", `\*`, "%"),
			},
			Run: func(t *conformance.T) {
				m := listTree(t)
				expectExactly(t, listCmd(m.s, "LIST", "", m.name("*")), "LIST",
					m.name("a"), m.name("a", "b"), m.name("a", "b", "c"), m.name("other"))
			},
		}, {
			Name:      "list-percent-matches-one-level",
			Title:     "LIST with % lists the names of one level only",
			Level:     conformance.Must,
			Sentence:  listWildcardSentence,
			Commands:  []string{"LIST"},
			Responses: []string{"LIST"},
			Faults:    []fault.Fault{listPattern("LIST reads % as *", "%", "*")},
			Run: func(t *conformance.T) {
				m := listTree(t)
				expectExactly(t, listCmd(m.s, "LIST", "", m.name("%")), "LIST", m.name("a"), m.name("other"))
			},
		}, {
			Name:      "list-percent-inside-pattern",
			Title:     "A % between levels matches exactly one level",
			Level:     conformance.Must,
			Sentence:  listWildcardSentence,
			Commands:  []string{"LIST"},
			Responses: []string{"LIST"},
			Faults: []fault.Fault{
				rewriteCommandOf("LIST reads % inside a pattern as *", "LIST", `/%/`, "/*/"),
			},
			Run: func(t *conformance.T) {
				m := listTree(t)
				m.create("other", "c")
				pattern := m.name("%", "c")
				expectExactly(t, listCmd(m.s, "LIST", "", pattern), "LIST", m.name("other", "c"))
			},
		}, {
			Name:  "list-percent-lists-noselect-levels",
			Title: "LIST with % lists a level of hierarchy that is not a mailbox, flagged \\Noselect",
			Level: conformance.Must,
			Sentence: "If the \"%\" wildcard is the last character of a mailbox name argument, matching levels of hierarchy\n" +
				"are also returned.  If these levels of hierarchy are not also selectable mailboxes, they are returned\nwith the \\Noselect mailbox name attribute",
			Commands:  []string{"LIST"},
			Responses: []string{"LIST"},
			Faults: []fault.Fault{
				forListMatching(`%"\r\n$`, fault.DropResponse("LIST % omits levels that are not mailboxes", "LIST", `/hollow"?\r\n$`)),
				forListMatching(`%"\r\n$`, fault.RewriteResponse("LIST % lists a level without \\Noselect", "LIST", `\\Noselect ?(.*/hollow"?\r\n)$`, "$1")),
			},
			Run: func(t *conformance.T) {
				m := newMailboxTree(t, 0)
				hollow, _ := m.noselectName("hollow")
				r := listCmd(m.s, "LIST", "", m.name("%"))
				l := expectListed(t, r, "LIST", hollow)
				if !l.HasAttribute(`\Noselect`) {
					t.Mismatch([]string{`* LIST (\Noselect ...) ` + quoteName(hollow)}, showUntagged(r), "%s", r.Command)
				}
			},
		}, {
			Name:      "list-star-matches-zero-characters",
			Title:     "A trailing * also matches the name without further characters",
			Level:     conformance.Must,
			Sentence:  listWildcardSentence,
			Commands:  []string{"LIST"},
			Responses: []string{"LIST"},
			Faults: []fault.Fault{
				fault.DropResponse("LIST * needs at least one character", "LIST", `/other"?\r\n$`),
			},
			Run: func(t *conformance.T) {
				m := listTree(t)
				m.create("others")
				expectExactly(t, listCmd(m.s, "LIST", "", m.name("other*")), "LIST", m.name("other"), m.name("others"))
			},
		}, {
			Name:      "list-names-match-pattern",
			Title:     "LIST lists only the names that match the pattern",
			Level:     conformance.Must,
			Sentence:  listMatchSentence,
			Commands:  []string{"LIST"},
			Responses: []string{"LIST"},
			Faults: []fault.Fault{
				listPattern("LIST matches by the text before the wildcard only", `ot%`, "%"),
			},
			Run: func(t *conformance.T) {
				m := listTree(t)
				m.create("notes")
				expectExactly(t, listCmd(m.s, "LIST", "", m.name("ot%")), "LIST", m.name("other"))
			},
		}, {
			Name:      "list-no-match-no-response",
			Title:     "LIST of a pattern nothing matches answers OK with no LIST response",
			Level:     conformance.Must,
			Sentence:  "Zero or more untagged LIST replies are returned, containing the name attributes, hierarchy\ndelimiter, and name; ...\n" + "The returned mailbox names MUST match the supplied mailbox name pattern.",
			Commands:  []string{"LIST"},
			Responses: []string{"OK", "LIST"},
			Faults: []fault.Fault{
				listPattern("LIST matches by the text before the wildcard only", `absent\*`, "*"),
			},
			Run: func(t *conformance.T) {
				m := listTree(t)
				expectExactly(t, listCmd(m.s, "LIST", "", m.name("absent*")), "LIST")
			},
		}, {
			Name:      "list-reference-gives-context",
			Title:     "LIST with a reference ending with the delimiter lists the names below it",
			Level:     conformance.Must,
			Sentence:  listReferenceSentence,
			Commands:  []string{"LIST"},
			Responses: []string{"LIST"},
			Faults: []fault.Fault{
				rewriteCommandOf("LIST ignores the reference", "LIST", `^(\S+) LIST "[^"]+" `, `$1 LIST "" `),
			},
			Run: func(t *conformance.T) {
				m := listTree(t)
				expectExactly(t, listCmd(m.s, "LIST", m.root+m.delim, "*"), "LIST",
					m.name("a"), m.name("a", "b"), m.name("a", "b", "c"), m.name("other"))
			},
		}, {
			Name:  "list-reference-prefixes-names",
			Title: "The names LIST returns for a reference begin with the reference as given",
			Level: conformance.Should,
			Sentence: "Any part of the reference argument that is included in the interpreted form SHOULD prefix the\n" +
				"interpreted form.  It SHOULD also be in the same form as the reference name argument.",
			Commands:  []string{"LIST"},
			Responses: []string{"LIST"},
			Faults: []fault.Fault{
				forListMatching(`^\S+ LIST "[^"]+" "%"\r\n$`,
					fault.RewriteResponse("LIST answers names relative to the reference", "LIST", `"[^"/\r]+/(a|other)("?)\r\n$`, `"$1$2`+"\r\n")),
			},
			Run: func(t *conformance.T) {
				m := listTree(t)
				r := listCmd(m.s, "LIST", m.root+m.delim, "%")
				for _, n := range namesIn(r, "LIST") {
					if !strings.HasPrefix(n, m.root+m.delim) {
						t.Mismatch([]string{"names beginning with " + quoteName(m.root+m.delim)}, showUntagged(r), "%s", r.Command)
					}
				}
				expectExactly(t, r, "LIST", m.name("a"), m.name("other"))
			},
		}, {
			Name:  "list-inbox-matched-by-pattern",
			Title: "LIST includes INBOX when the pattern matches the upper-case name INBOX",
			Level: conformance.Must,
			Sentence: "The special name INBOX is included in the output from LIST, if INBOX is supported by this server for\n" +
				"this user and if the uppercase string \"INBOX\" matches the interpreted reference and mailbox name\narguments with wildcards as described above.",
			Commands:  []string{"LIST"},
			Responses: []string{"LIST"},
			Faults: []fault.Fault{
				fault.DropResponse("LIST omits INBOX", "LIST", `(?i) "?INBOX"?\r\n$`),
			},
			Run: func(t *conformance.T) {
				s := t.Login(0)
				expectListed(t, listCmd(s, "LIST", "", "INB%"), "LIST", "INBOX")
				expectListed(t, listCmd(s, "LIST", "", "I*X"), "LIST", "INBOX")
			},
		}, {
			Name:      "list-deleted-mailbox-not-listed",
			Title:     "LIST no longer lists a deleted mailbox that had no inferiors",
			Level:     conformance.Must,
			Sentence:  "The LIST command returns a subset of names from the complete set of all names available to the client.",
			Commands:  []string{"LIST", "DELETE"},
			Responses: []string{"LIST"},
			Faults: []fault.Fault{
				fault.Chain("LIST lists deleted names as \\Noselect",
					okCommand("", "DELETE", "gone"),
					fault.RewriteResponse("", "LIST", `^\* LIST \(([^)]*)\)(.*/gone"?\r\n)$`, `* LIST (\Noselect)$2`)),
			},
			Run: func(t *conformance.T) {
				m := listTree(t)
				gone := m.create("gone")
				m.s.Cmd("OK", "DELETE", wire.Astring(gone))
				expectExactly(t, listCmd(m.s, "LIST", "", m.name("%")), "LIST", m.name("a"), m.name("other"))
			},
		}, {
			Name:      "list-with-one-argument-bad",
			Title:     "LIST with only a reference is a BAD command",
			Level:     conformance.Must,
			Sentence:  "Arguments:  reference name\nmailbox name with possible wildcards\nBAD - command unknown or arguments invalid",
			Commands:  []string{"LIST"},
			Responses: []string{"BAD"},
			Faults:    []fault.Fault{answer("LIST with one argument answers OK", "LIST", "BAD", "OK")},
			Run: func(t *conformance.T) {
				t.Login(0).Tx("BAD", `LIST ""`)
			},
		}},
	}}
}
