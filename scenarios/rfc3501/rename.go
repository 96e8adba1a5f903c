package rfc3501

import (
	"fmt"
	"strings"

	"github.com/imapgauge/imapgauge/conformance"
	"github.com/imapgauge/imapgauge/conformance/fault"
	"github.com/imapgauge/imapgauge/conformance/wire"
)

const (
	renameSentence = "The RENAME command changes the name of a mailbox.  A tagged OK response is returned only if the\n" +
		"mailbox has been renamed."
	renameErrorSentence = "It is an error to attempt to rename from a mailbox name that does not exist or to a mailbox name\n" +
		"that already exists.  Any error in renaming will return a tagged NO response."
	renameInboxSentence = "Renaming INBOX is permitted, and has special behavior.  It moves all messages in INBOX to a new\n" +
		"mailbox with the given name, leaving INBOX empty.  If the server implementation supports inferior\n" +
		"hierarchical names of INBOX, these are unaffected by a rename of INBOX."
)

// renameArgs returns the two mailbox arguments of a RENAME command line
// whose names are atoms.
func renameArgs(line string) (from, to string) {
	f := strings.Fields(line)
	if len(f) < 4 {
		return "", ""
	}
	return f[2], f[3]
}

// renameCreatesInstead is the fault of a RENAME that creates the new name
// and leaves the old mailbox as it was.
func renameCreatesInstead() fault.Fault {
	return rewriteCommandOf("RENAME creates the new name and keeps the old mailbox", "RENAME", `^(\S+) RENAME \S+ (\S+)\r\n$`, "$1 CREATE $2\r\n")
}

// renameCommand checks RFC 3501 section 6.3.5.
func renameCommand() []conformance.Section {
	return []conformance.Section{{
		Number: "6.3.5",
		Title:  "RENAME Command",
		Cases: []conformance.Case{{
			Name:      "rename-moves-mailbox-and-messages",
			Title:     "After RENAME the messages are under the new name and the old name is gone",
			Level:     conformance.Must,
			Sentence:  renameSentence,
			Commands:  []string{"RENAME", "EXAMINE", "FETCH", "SELECT"},
			Responses: []string{"OK", "FETCH", "NO"},
			Faults:    []fault.Fault{renameCreatesInstead()},
			Run: func(t *conformance.T) {
				m := newMailboxTree(t, 0)
				old := m.create("old")
				m.fill(old, "moved-1", "moved-2")
				renamed := m.name("new")
				m.s.Cmd("OK", "RENAME", wire.Astring(old), wire.Astring(renamed))
				expectLabels(t, m.s, renamed, "the new name after RENAME", "moved-1", "moved-2")
				expectNotSelectable(t, m.s, old, "after RENAME of it")
			},
		}, {
			Name:      "rename-keeps-message-flags",
			Title:     "RENAME keeps the flags of the mailbox's messages",
			Level:     conformance.Must,
			Sentence:  renameSentence,
			Commands:  []string{"RENAME", "EXAMINE", "FETCH"},
			Responses: []string{"FETCH"},
			Faults: []fault.Fault{
				alsoRuns("RENAME clears the messages' flags", "RENAME", func(line string) []string {
					from, _ := renameArgs(line)
					return []string{"SELECT " + from, `STORE 1:* -FLAGS.SILENT (\Flagged \Seen)`, "CLOSE"}
				}),
			},
			Run: func(t *conformance.T) {
				m := newMailboxTree(t, 0)
				old := m.create("old")
				m.s.Cmd("OK", "APPEND", wire.Astring(old), listOf(`\Flagged`, `\Seen`), wire.Literal(labelledMessage("flagged-1")))
				renamed := m.name("new")
				m.s.Cmd("OK", "RENAME", wire.Astring(old), wire.Astring(renamed))
				m.s.Cmd("OK", "EXAMINE", wire.Astring(renamed))
				r := m.s.Tx("OK", "FETCH 1 (FLAGS)")
				f := requireFetch(t, r, 1, "FLAGS")
				if !f.HasFlag(`\Flagged`) || !f.HasFlag(`\Seen`) {
					t.Mismatch([]string{`FLAGS (\Flagged \Seen) in any order, \Recent aside`}, showUntagged(r), "the message's flags after RENAME")
				}
			},
		}, {
			Name:      "rename-to-existing-name-no",
			Title:     "RENAME to a name that exists fails with NO and changes neither mailbox",
			Level:     conformance.Must,
			Sentence:  renameErrorSentence,
			Commands:  []string{"RENAME", "EXAMINE"},
			Responses: []string{"NO"},
			Faults: []fault.Fault{
				alsoRuns("RENAME replaces an existing target", "RENAME", func(line string) []string {
					_, to := renameArgs(line)
					return []string{"DELETE " + to}
				}),
			},
			Run: func(t *conformance.T) {
				m := newMailboxTree(t, 0)
				a, b := m.create("first"), m.create("second")
				m.fill(a, "first-1")
				m.fill(b, "second-1")
				m.s.Cmd("NO", "RENAME", wire.Astring(a), wire.Astring(b))
				expectLabels(t, m.s, a, "the source of a refused RENAME", "first-1")
				expectLabels(t, m.s, b, "the target of a refused RENAME", "second-1")
			},
		}, {
			Name:      "rename-missing-source-no",
			Title:     "RENAME of a name that does not exist fails with NO and creates nothing",
			Level:     conformance.Must,
			Sentence:  renameErrorSentence,
			Commands:  []string{"RENAME", "LIST"},
			Responses: []string{"NO", "LIST"},
			Faults: []fault.Fault{
				rewriteCommandOf("RENAME of a missing name creates the new name", "RENAME", `^(\S+) RENAME \S+ (\S+)\r\n$`, "$1 CREATE $2\r\n"),
			},
			Run: func(t *conformance.T) {
				m := newMailboxTree(t, 0)
				target := m.name("target")
				m.s.Cmd("NO", "RENAME", wire.Astring(m.name("absent")), wire.Astring(target))
				expectNotListed(t, listCmd(m.s, "LIST", "", target), "LIST", target)
			},
		}, {
			Name:  "rename-moves-inferior-names",
			Title: "RENAME of a mailbox renames its inferiors with it",
			Level: conformance.Must,
			Sentence: "If the name has inferior hierarchical names, then the inferior hierarchical names MUST also be renamed.\n" +
				"For example, a rename of \"foo\" to \"zap\" will rename \"foo/bar\" (assuming \"/\" is the hierarchy delimiter\ncharacter) to \"zap/bar\".",
			Commands:  []string{"RENAME", "LIST", "EXAMINE"},
			Responses: []string{"LIST"},
			Faults: []fault.Fault{
				alsoRuns("RENAME leaves the inferiors behind", "RENAME", func(line string) []string {
					from, _ := renameArgs(line)
					return []string{"RENAME " + from + "/inner " + from + "-stray"}
				}),
			},
			Run: func(t *conformance.T) {
				m := newMailboxTree(t, 0)
				m.hierarchical()
				old := m.create("old")
				inner := m.create("old", "inner")
				m.fill(inner, "inner-1")
				m.s.Cmd("OK", "RENAME", wire.Astring(old), wire.Astring(m.name("new")))
				r := listCmd(m.s, "LIST", "", m.name("*"))
				expectNotListed(t, r, "LIST", inner)
				expectListed(t, r, "LIST", m.name("new", "inner"))
				expectLabels(t, m.s, m.name("new", "inner"), "the renamed inferior", "inner-1")
			},
		}, {
			Name:  "rename-makes-superior-names",
			Title: "RENAME to a/b/c also creates the superior names a and a/b",
			Level: conformance.Should,
			Sentence: "If the server's hierarchy separator character appears in the name, the server SHOULD create any\n" +
				"superior hierarchical names that are needed for the RENAME command to complete successfully.",
			Commands:  []string{"RENAME", "LIST"},
			Responses: []string{"LIST"},
			Faults: []fault.Fault{
				fault.DropResponse("RENAME makes no superior names", "LIST", `/(up|up/mid)"?\r\n$`),
			},
			Run: func(t *conformance.T) {
				m := newMailboxTree(t, 0)
				m.hierarchical()
				old := m.create("old")
				leaf := m.name("up", "mid", "leaf")
				m.s.Cmd("OK", "RENAME", wire.Astring(old), wire.Astring(leaf))
				r := listCmd(m.s, "LIST", "", m.name("up")+"*")
				expectListed(t, r, "LIST", m.name("up"))
				expectListed(t, r, "LIST", m.name("up", "mid"))
				expectListed(t, r, "LIST", leaf)
			},
		}, {
			Name:      "rename-inbox-moves-messages-leaves-inferiors",
			Title:     "RENAME INBOX moves INBOX's messages to the new mailbox; INBOX stays, without them, with its inferiors",
			Level:     conformance.Must,
			Sentence:  renameInboxSentence,
			Commands:  []string{"RENAME", "APPEND", "CREATE", "EXAMINE", "SEARCH", "LIST"},
			Responses: []string{"SEARCH", "LIST"},
			Faults: []fault.Fault{
				rewriteCommandOf("RENAME INBOX creates the new name and moves nothing", "RENAME", `^(\S+) RENAME INBOX (\S+)\r\n$`, "$1 CREATE $2\r\n"),
				alsoRuns("RENAME INBOX takes INBOX's inferiors along", "RENAME", func(line string) []string {
					from, to := renameArgs(line)
					if !strings.EqualFold(from, "INBOX") {
						return nil
					}
					root := strings.TrimSuffix(to, "/old-mail")
					return []string{"RENAME INBOX/" + root + " " + to + "/" + root}
				}),
			},
			Run: func(t *conformance.T) {
				m := newMailboxTree(t, 0)
				// RENAME INBOX moves every message of INBOX: only an
				// INBOX that holds none is used, so no mail is disturbed.
				// (Messages of other runs of this case may come and go.)
				if n := countMatching(t, m.s, "INBOX", wire.Atom("NOT"), wire.Atom("SUBJECT"), wire.Quoted(renameInboxLabel)); n != 0 {
					t.Skipf("INBOX of the first user holds %d messages, which RENAME INBOX would move", n)
				}
				kid := ""
				if m.delim != "" {
					kid = "INBOX" + m.delim + m.root
					if r := m.s.Cmd("", "CREATE", wire.Astring(kid)); r.Status() == "OK" {
						t.Cleanup(func() { t.Login(0).Cmd("", "DELETE", wire.Astring(kid)) })
					} else {
						kid = "" // The server has no inferiors of INBOX.
					}
				}
				label := renameInboxLabel + strings.TrimPrefix(m.root, "imapgauge-")
				m.s.Cmd("OK", "APPEND", wire.Atom("INBOX"), wire.Literal(labelledMessage(label)))
				removeLabelled(t, "INBOX", label)
				oldMail := m.name("old-mail")
				m.s.Cmd("OK", "RENAME", wire.Atom("INBOX"), wire.Astring(oldMail))
				if n := searchSubject(t, m.s, oldMail, label); n != 1 {
					t.Mismatch([]string{"the message appended to INBOX"}, fmt.Sprintf("%d such messages", n), "the new mailbox after RENAME INBOX")
				}
				if n := searchSubject(t, m.s, "INBOX", label); n != 0 {
					t.Mismatch([]string{"INBOX without the message"}, fmt.Sprintf("%d such messages", n), "INBOX after RENAME INBOX")
				}
				if kid != "" {
					expectListed(t, listCmd(m.s, "LIST", "", kid), "LIST", kid)
					expectNotListed(t, listCmd(m.s, "LIST", "", oldMail+"*"), "LIST", oldMail+m.delim+m.root)
				}
			},
		}, {
			Name:  "rename-old-name-does-not-reuse-uids",
			Title: "A mailbox created under a name renamed away does not reuse its UIDs under the same UIDVALIDITY",
			Level: conformance.Must,
			Sentence: "The value of the highest-used unique identifier of the old mailbox name MUST be preserved so that a new\n" +
				"mailbox created with the same name will not reuse the identifiers of the former incarnation,\n" +
				"UNLESS the new incarnation has a different unique identifier validity value.",
			Commands:  []string{"RENAME", "CREATE", "APPEND", "SELECT", "FETCH"},
			Responses: []string{"FETCH"},
			Codes:     []string{"UIDVALIDITY"},
			Faults: []fault.Fault{
				fault.RewriteResponse("UIDVALIDITY constant and UIDs restarted", "SELECT", `UIDVALIDITY \d+`, "UIDVALIDITY 1"),
			},
			Run: func(t *conformance.T) {
				m := newMailboxTree(t, 0)
				old := m.create("old")
				m.fill(old, "first-1", "first-2")
				r := m.s.Cmd("OK", "SELECT", wire.Astring(old))
				v1 := requireCode(t, r, "UIDVALIDITY")
				u1 := fetchUIDList(t, m.s, "FETCH 1:2 (UID)", 2)
				m.s.Tx("OK", "CLOSE")
				m.s.Cmd("OK", "RENAME", wire.Astring(old), wire.Astring(m.name("new")))
				createFresh(t, m.s, old)
				m.fill(old, "second-1")
				v2 := requireCode(t, m.s.Cmd("OK", "SELECT", wire.Astring(old)), "UIDVALIDITY")
				u2 := fetchUIDList(t, m.s, "FETCH 1 (UID)", 1)[0]
				if v1 == v2 && u2 <= max(u1[0], u1[1]) {
					t.Mismatch([]string{fmt.Sprintf("a UIDVALIDITY other than %d, or a UID above %d", v1, max(u1[0], u1[1]))},
						fmt.Sprintf("UIDVALIDITY %d, UID %d", v2, u2), "the first message of the mailbox created under the old name")
				}
			},
		}, {
			Name:      "rename-with-one-argument-bad",
			Title:     "RENAME with only one mailbox name is a BAD command",
			Level:     conformance.Must,
			Sentence:  "Arguments:  existing mailbox name\nnew mailbox name\nBAD - command unknown or arguments invalid",
			Commands:  []string{"RENAME"},
			Responses: []string{"BAD"},
			Faults:    []fault.Fault{answer("RENAME with one name answers NO", "RENAME", "BAD", "NO")},
			Run: func(t *conformance.T) {
				m := newMailboxTree(t, 0)
				m.s.Cmd("BAD", "RENAME", wire.Astring(m.create("lonely")))
			},
		}},
	}}
}

// renameInboxLabel starts the labels of the messages the RENAME INBOX case
// puts in INBOX.
const renameInboxLabel = "rename-inbox-"

// searchSubject examines mailbox in s and returns how many of its messages
// have label in their Subject.
func searchSubject(t *conformance.T, s *conformance.Session, mailbox, label string) int {
	return countMatching(t, s, mailbox, wire.Atom("SUBJECT"), wire.Quoted(label))
}

// countMatching examines mailbox in s and returns how many of its messages
// SEARCH criteria finds.
func countMatching(t *conformance.T, s *conformance.Session, mailbox string, criteria ...wire.Arg) int {
	s.Cmd("OK", "EXAMINE", wire.Astring(mailbox))
	return len(s.Cmd("OK", "SEARCH", criteria...).One("SEARCH").Search.Nums)
}

// removeLabelled expunges from mailbox the messages whose Subject carries
// label (and no other message), for a case that left one behind in a
// shared mailbox such as INBOX.
func removeLabelled(t *conformance.T, mailbox, label string) {
	t.Cleanup(func() {
		s := t.Login(0)
		s.Cmd("OK", "SELECT", wire.Astring(mailbox))
		nums := s.Cmd("OK", "UID", wire.Atom("SEARCH"), wire.Atom("SUBJECT"), wire.Quoted(label)).One("SEARCH").Search.Nums
		for _, uid := range nums {
			s.Tx("OK", fmt.Sprintf(`UID STORE %d +FLAGS.SILENT (\Deleted)`, uid))
		}
		if len(nums) == 0 {
			return
		}
		others := s.Tx("OK", "SEARCH DELETED").One("SEARCH").Search.Nums
		if len(others) == len(nums) {
			s.Tx("OK", "EXPUNGE")
		}
	})
}
