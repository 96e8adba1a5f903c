package rfc3501

import (
	"github.com/imapgauge/imapgauge/conformance"
	"github.com/imapgauge/imapgauge/conformance/fault"
	"github.com/imapgauge/imapgauge/conformance/wire"
)

const createSentence = "The CREATE command creates a mailbox with the given name.  An OK response is returned only if a\n" +
	"new mailbox with that name has been created."

// createCommand checks RFC 3501 section 6.3.3.
func createCommand() []conformance.Section {
	return []conformance.Section{{
		Number: "6.3.3",
		Title:  "CREATE Command",
		Cases: []conformance.Case{{
			Name:      "create-new-mailbox-selectable-and-empty",
			Title:     "CREATE makes a mailbox that LIST shows and SELECT opens, with no message",
			Level:     conformance.Must,
			Sentence:  createSentence,
			Commands:  []string{"CREATE", "LIST", "SELECT"},
			Responses: []string{"OK", "LIST", "EXISTS"},
			Faults:    []fault.Fault{okCommand("CREATE answers OK without creating", "CREATE", "fresh")},
			Run: func(t *conformance.T) {
				m := newMailboxTree(t, 0)
				fresh := m.name("fresh")
				createFresh(t, m.s, fresh)
				expectListed(t, listCmd(m.s, "LIST", "", fresh), "LIST", fresh)
				r := m.s.Cmd("OK", "SELECT", wire.Astring(fresh))
				if n := lastExists(r); n != 0 {
					t.Mismatch([]string{"* 0 EXISTS"}, showUntagged(r), "SELECT of a mailbox just created")
				}
			},
		}, {
			Name:      "create-existing-mailbox-no",
			Title:     "CREATE of a name that exists fails with NO and keeps the mailbox's messages",
			Level:     conformance.Must,
			Sentence:  "It is an error to attempt to create INBOX or a mailbox with a name that refers to an extant mailbox.\nAny error in creation will return a tagged NO response.",
			Commands:  []string{"CREATE", "EXAMINE"},
			Responses: []string{"NO"},
			Faults: []fault.Fault{
				answer("CREATE of an existing name answers OK", "CREATE", "NO", "OK"),
				alsoRuns("CREATE replaces an existing mailbox", "CREATE", func(line string) []string {
					return []string{"DELETE " + lastArgument(line)}
				}),
			},
			Run: func(t *conformance.T) {
				m := newMailboxTree(t, 0)
				dup := m.create("dup")
				m.fill(dup, "dup-1")
				m.s.Cmd("NO", "CREATE", wire.Astring(dup))
				expectLabels(t, m.s, dup, "the mailbox after a second CREATE of its name", "dup-1")
			},
		}, {
			Name:      "create-inbox-no",
			Title:     "CREATE INBOX fails with NO",
			Level:     conformance.Must,
			Sentence:  "It is an error to attempt to create INBOX or a mailbox with a name that refers to an extant mailbox.\nAny error in creation will return a tagged NO response.",
			Commands:  []string{"CREATE"},
			Responses: []string{"NO"},
			Faults:    []fault.Fault{answer("CREATE INBOX answers OK", "CREATE", "NO", "OK")},
			Run: func(t *conformance.T) {
				t.Login(0).Tx("NO", "CREATE INBOX")
			},
		}, {
			Name:  "create-trailing-delimiter-not-in-name",
			Title: "CREATE of a name ending with the hierarchy delimiter creates the name without it",
			Level: conformance.Must,
			Sentence: "Server implementations that do not require this declaration MUST ignore the declaration.\n" +
				"In any case, the name created is without the trailing hierarchy delimiter.",
			Commands:  []string{"CREATE", "LIST"},
			Responses: []string{"LIST"},
			Faults: []fault.Fault{
				fault.RewriteResponse("CREATE keeps the trailing delimiter in the name", "LIST", `/declared"\r\n$`, "/declared/\"\r\n"),
			},
			Run: func(t *conformance.T) {
				m := newMailboxTree(t, 0)
				m.hierarchical()
				declared := m.name("declared")
				createFreshAs(t, m.s, declared+m.delim, declared)
				r := listCmd(m.s, "LIST", "", declared+"*")
				expectListed(t, r, "LIST", declared)
				expectNotListed(t, r, "LIST", declared+m.delim)
				createFresh(t, m.s, m.name("declared", "inner"))
			},
		}, {
			Name:  "create-makes-superior-names",
			Title: "CREATE of a/b/c also creates the superior names a and a/b",
			Level: conformance.Should,
			Sentence: "If the server's hierarchy separator character appears elsewhere in the name, the server SHOULD create\n" +
				"any superior hierarchical names that are needed for the CREATE command to be successfully completed.",
			Commands:  []string{"CREATE", "LIST"},
			Responses: []string{"LIST"},
			Faults: []fault.Fault{
				fault.DropResponse("CREATE makes no superior names", "LIST", `/(up|up/mid)"?\r\n$`),
			},
			Run: func(t *conformance.T) {
				m := newMailboxTree(t, 0)
				m.hierarchical()
				createFresh(t, m.s, m.name("up", "mid", "leaf"))
				r := listCmd(m.s, "LIST", "", m.name("up")+"*")
				expectListed(t, r, "LIST", m.name("up"))
				expectListed(t, r, "LIST", m.name("up", "mid"))
				expectListed(t, r, "LIST", m.name("up", "mid", "leaf"))
			},
		}, {
			Name:      "create-name-kept-as-given",
			Title:     "CREATE keeps the name as given, case and spaces included",
			Level:     conformance.Must,
			Sentence:  "The CREATE command creates a mailbox with the given name.",
			Commands:  []string{"CREATE", "LIST", "SELECT"},
			Responses: []string{"LIST"},
			Faults: []fault.Fault{
				fault.RewriteResponse("CREATE lower-cases the name", "LIST", `/Mixed Case Name"\r\n$`, "/mixed case name\"\r\n"),
			},
			Run: func(t *conformance.T) {
				m := newMailboxTree(t, 0)
				mixed := m.name("Mixed Case Name")
				createFresh(t, m.s, mixed)
				expectListed(t, listCmd(m.s, "LIST", "", m.name("*")), "LIST", mixed)
				m.s.Cmd("OK", "SELECT", wire.Astring(mixed))
			},
		}, {
			Name:      "create-without-name-bad",
			Title:     "CREATE without a mailbox name is a BAD command",
			Level:     conformance.Must,
			Sentence:  "Arguments:  mailbox name\nBAD - command unknown or arguments invalid",
			Commands:  []string{"CREATE"},
			Responses: []string{"BAD"},
			Faults:    []fault.Fault{answer("CREATE without a name answers NO", "CREATE", "BAD", "NO")},
			Run: func(t *conformance.T) {
				t.Login(0).Tx("BAD", "CREATE")
			},
		}},
	}}
}
