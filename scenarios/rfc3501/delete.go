package rfc3501

import (
	"fmt"

	"github.com/imapgauge/imapgauge/conformance"
	"github.com/imapgauge/imapgauge/conformance/fault"
	"github.com/imapgauge/imapgauge/conformance/wire"
)

const (
	deleteSentence = "The DELETE command permanently removes the mailbox with the given name.  A tagged OK response is\n" +
		"returned only if the mailbox has been deleted."
	deleteErrorSentence = "It is an error to attempt to delete INBOX or a mailbox name that does not exist."
	deleteInferiors     = "It is permitted to delete a name that has inferior hierarchical names and does not have the\n" +
		"\\Noselect mailbox name attribute.  In this case, all messages in that mailbox are removed, and the name\n" +
		"will acquire the \\Noselect mailbox name attribute."
)

// deleteAlsoRemovesInferior is the fault of a DELETE that removes the
// inferior "inner" of the name it deletes.
func deleteAlsoRemovesInferior() fault.Fault {
	return alsoRuns("DELETE removes the inferior names too", "DELETE", func(line string) []string {
		return []string{"DELETE " + lastArgument(line) + "/inner"}
	})
}

// deleteCommand checks RFC 3501 section 6.3.4.
func deleteCommand() []conformance.Section {
	return []conformance.Section{{
		Number: "6.3.4",
		Title:  "DELETE Command",
		Cases: []conformance.Case{{
			Name:      "delete-removes-mailbox",
			Title:     "After DELETE, the mailbox is not listed and SELECT of it fails",
			Level:     conformance.Must,
			Sentence:  deleteSentence,
			Commands:  []string{"DELETE", "LIST", "SELECT"},
			Responses: []string{"OK", "LIST", "NO"},
			Faults:    []fault.Fault{okCommand("DELETE answers OK without deleting", "DELETE", "doomed")},
			Run: func(t *conformance.T) {
				m := newMailboxTree(t, 0)
				doomed := m.create("doomed")
				m.fill(doomed, "doomed-1")
				m.s.Cmd("OK", "DELETE", wire.Astring(doomed))
				expectNotListed(t, listCmd(m.s, "LIST", "", m.name("*")), "LIST", doomed)
				expectNotSelectable(t, m.s, doomed, "after DELETE")
			},
		}, {
			Name:      "delete-recreated-mailbox-empty",
			Title:     "A mailbox created again after DELETE holds none of the old messages",
			Level:     conformance.Must,
			Sentence:  deleteSentence,
			Commands:  []string{"DELETE", "CREATE", "STATUS"},
			Responses: []string{"STATUS"},
			Faults: []fault.Fault{
				fault.Chain("DELETE keeps the messages for a mailbox created again",
					okCommand("", "DELETE", "doomed"),
					answer("", "CREATE", "NO", "OK")),
			},
			Run: func(t *conformance.T) {
				m := newMailboxTree(t, 0)
				doomed := m.create("doomed")
				m.fill(doomed, "doomed-1", "doomed-2")
				m.s.Cmd("OK", "DELETE", wire.Astring(doomed))
				createFresh(t, m.s, doomed)
				if n := statusOf(t, m.s, doomed, "MESSAGES")["MESSAGES"]; n != 0 {
					t.Mismatch([]string{"MESSAGES 0"}, fmt.Sprintf("MESSAGES %d", n), "STATUS of a mailbox deleted and created again")
				}
			},
		}, {
			Name:      "delete-missing-mailbox-no",
			Title:     "DELETE of a name that does not exist fails with NO",
			Level:     conformance.Must,
			Sentence:  deleteErrorSentence,
			Commands:  []string{"DELETE"},
			Responses: []string{"NO"},
			Faults:    []fault.Fault{answer("DELETE of a missing name answers OK", "DELETE", "NO", "OK")},
			Run: func(t *conformance.T) {
				m := newMailboxTree(t, 0)
				m.s.Cmd("NO", "DELETE", wire.Astring(m.name("absent")))
			},
		}, {
			Name:      "delete-inbox-no",
			Title:     "DELETE INBOX fails with NO and INBOX stays",
			Level:     conformance.Must,
			Sentence:  deleteErrorSentence,
			Commands:  []string{"DELETE", "STATUS"},
			Responses: []string{"NO", "STATUS"},
			Faults:    []fault.Fault{answer("DELETE INBOX answers OK", "DELETE", "NO", "OK")},
			Run: func(t *conformance.T) {
				s := t.Login(0)
				s.Tx("NO", "DELETE INBOX")
				statusOf(t, s, "INBOX", "MESSAGES")
			},
		}, {
			Name:  "delete-keeps-inferior-names",
			Title: "DELETE of a mailbox with an inferior leaves the inferior and its messages",
			Level: conformance.Must,
			Sentence: "The DELETE command MUST NOT remove inferior hierarchical names.  For example, if a mailbox \"foo\"\n" +
				"has an inferior \"foo.bar\" (assuming \".\" is the hierarchy delimiter character), removing \"foo\" MUST NOT remove \"foo.bar\".",
			Commands:  []string{"DELETE", "EXAMINE", "FETCH"},
			Responses: []string{"OK", "NO"},
			Faults:    []fault.Fault{deleteAlsoRemovesInferior()},
			Run: func(t *conformance.T) {
				m := newMailboxTree(t, 0)
				parent := m.create("parent")
				inner := m.create("parent", "inner")
				m.fill(inner, "inner-1")
				// The server may refuse (NO); either way the inferior stays.
				m.s.Cmd("OK|NO", "DELETE", wire.Astring(parent))
				expectLabels(t, m.s, inner, "the inferior after DELETE of its superior", "inner-1")
			},
		}, {
			Name:      "delete-with-inferiors-leaves-noselect-name",
			Title:     "A mailbox deleted while it has inferiors stays listed with \\Noselect",
			Level:     conformance.Must,
			Sentence:  deleteInferiors,
			Commands:  []string{"DELETE", "LIST"},
			Responses: []string{"OK", "LIST"},
			Faults: []fault.Fault{
				fault.RewriteResponse("the deleted name is listed without \\Noselect", "LIST", `\\Noselect ?(.*/parent"\r\n)$`, "$1"),
			},
			Run: func(t *conformance.T) {
				m := newMailboxTree(t, 0)
				parent := m.create("parent")
				m.create("parent", "inner")
				m.fill(parent, "parent-1")
				if r := m.s.Cmd("OK|NO", "DELETE", wire.Astring(parent)); r.Status() == "NO" {
					// A server may refuse; the mailbox must then be whole.
					expectLabels(t, m.s, parent, "a mailbox whose DELETE failed", "parent-1")
					return
				}
				l := expectListed(t, listCmd(m.s, "LIST", "", parent), "LIST", parent)
				if !l.HasAttribute(`\Noselect`) {
					t.Mismatch([]string{fmt.Sprintf(`* LIST (\Noselect ...) %q`, parent)}, fmt.Sprint(l.Attributes),
						"LIST of a name deleted while it has an inferior")
				}
			},
		}, {
			Name:      "delete-with-inferiors-removes-messages",
			Title:     "A mailbox deleted while it has inferiors can no longer be opened and loses its messages",
			Level:     conformance.Must,
			Sentence:  deleteInferiors,
			Commands:  []string{"DELETE", "SELECT", "STATUS"},
			Responses: []string{"OK", "NO"},
			Faults:    []fault.Fault{okCommand("DELETE answers OK and keeps the mailbox", "DELETE", "parent")},
			Run: func(t *conformance.T) {
				m := newMailboxTree(t, 0)
				parent := m.create("parent")
				m.create("parent", "inner")
				m.fill(parent, "parent-1", "parent-2")
				if r := m.s.Cmd("OK|NO", "DELETE", wire.Astring(parent)); r.Status() == "NO" {
					expectLabels(t, m.s, parent, "a mailbox whose DELETE failed", "parent-1", "parent-2")
					return
				}
				if r := m.s.Cmd("", "SELECT", wire.Astring(parent)); r.Status() == "OK" && lastExists(r) != 0 {
					t.Mismatch([]string{"tagged NO (a \\Noselect name)", "* 0 EXISTS"}, showUntagged(r),
						"SELECT of a name deleted while it has an inferior")
				}
			},
		}, {
			Name:  "delete-noselect-with-inferiors-no",
			Title: "DELETE of a \\Noselect name that has inferiors fails with NO and removes nothing",
			Level: conformance.Must,
			Sentence: "It is an error to attempt to delete a name that has inferior hierarchical names and also has\n" +
				"the \\Noselect mailbox name attribute (see the description of the LIST response for more details).",
			Commands:  []string{"DELETE", "LIST"},
			Responses: []string{"NO", "LIST"},
			Faults: []fault.Fault{
				answer("DELETE of a \\Noselect name with inferiors answers OK", "DELETE", "NO", "OK"),
			},
			Run: func(t *conformance.T) {
				m := newMailboxTree(t, 0)
				hollow, inner := m.noselectName("hollow")
				m.s.Cmd("NO", "DELETE", wire.Astring(hollow))
				expectListed(t, listCmd(m.s, "LIST", "", inner), "LIST", inner)
			},
		}, {
			Name:  "delete-noselect-without-inferiors-ok",
			Title: "A \\Noselect name whose last inferior is gone can be deleted",
			Level: conformance.Must,
			Sentence: "C: A685 DELETE foo/bar / S: A685 OK DELETE Completed / C: A686 LIST \"\" * / S: * LIST (\\Noselect) \"/\" foo\n" +
				"C: A687 DELETE foo / S: A687 OK DELETE Completed",
			Commands:  []string{"DELETE", "LIST"},
			Responses: []string{"OK", "LIST"},
			Faults: []fault.Fault{
				rewriteNth("DELETE of an empty \\Noselect name refused", "DELETE", 2, `^([^*+]\S*) OK `, "$1 NO "),
			},
			Run: func(t *conformance.T) {
				m := newMailboxTree(t, 0)
				hollow, inner := m.noselectName("hollow")
				s := t.Login(0)
				s.Cmd("OK", "DELETE", wire.Astring(inner))
				// Some servers drop a \Noselect name with its last
				// inferior; one still listed must be deletable.
				if listEntry(listCmd(s, "LIST", "", hollow), "LIST", hollow) == nil {
					return
				}
				s.Cmd("OK", "DELETE", wire.Astring(hollow))
				expectNotListed(t, listCmd(s, "LIST", "", hollow), "LIST", hollow)
			},
		}, {
			Name:      "delete-without-name-bad",
			Title:     "DELETE without a mailbox name is a BAD command",
			Level:     conformance.Must,
			Sentence:  "Arguments:  mailbox name\nBAD - command unknown or arguments invalid",
			Commands:  []string{"DELETE"},
			Responses: []string{"BAD"},
			Faults:    []fault.Fault{answer("DELETE without a name answers NO", "DELETE", "BAD", "NO")},
			Run: func(t *conformance.T) {
				t.Login(0).Tx("BAD", "DELETE")
			},
		}},
	}}
}
