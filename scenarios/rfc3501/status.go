package rfc3501

import (
	"fmt"
	"strings"

	"github.com/imapgauge/imapgauge/conformance"
	"github.com/imapgauge/imapgauge/conformance/fault"
	"github.com/imapgauge/imapgauge/conformance/wire"
)

const (
	statusSentence    = "The STATUS command requests the status of the indicated mailbox."
	statusKeepsRecent = "It does not change the currently selected mailbox, nor does it affect the state of any messages in\n" +
		"the queried mailbox (in particular, STATUS MUST NOT cause messages to lose the \\Recent flag)."
)

// statusItemCase is a case checking the value of one status data item.
func statusItemCase(name, title, item, definition string, seed func(t *conformance.T, mb string), want func(t *conformance.T, mb string) uint64, faults ...fault.Fault) conformance.Case {
	return conformance.Case{
		Name:      name,
		Title:     title,
		Level:     conformance.Must,
		Sentence:  statusSentence + "\n" + item + "  " + definition,
		Commands:  []string{"STATUS"},
		Responses: []string{"STATUS"},
		Faults:    faults,
		Run: func(t *conformance.T) {
			mb := t.Mailbox(0)
			seed(t, mb)
			got := statusOf(t, t.Login(0), mb, item)[item]
			if w := want(t, mb); got != w {
				t.Mismatch([]string{fmt.Sprintf("%s %d", item, w)}, fmt.Sprintf("%s %d", item, got), "STATUS %s (%s)", mb, item)
			}
		},
	}
}

// wantN returns a want function giving n.
func wantN(n uint64) func(*conformance.T, string) uint64 {
	return func(*conformance.T, string) uint64 { return n }
}

// selectCode returns a want function giving the number of a response code
// of a SELECT of the mailbox in a new session, made after the STATUS.
func selectCode(code string) func(*conformance.T, string) uint64 {
	return func(t *conformance.T, mb string) uint64 {
		r := t.Login(0).Cmd("OK", "SELECT", wire.Astring(mb))
		return uint64(expectUntaggedCode(t, r, code).Code.Number)
	}
}

// statusCommand checks RFC 3501 section 6.3.10.
func statusCommand() []conformance.Section {
	return []conformance.Section{{
		Number: "6.3.10",
		Title:  "STATUS Command",
		Cases: []conformance.Case{
			statusItemCase("status-messages-counts-messages", "STATUS MESSAGES is the number of messages in the mailbox",
				"MESSAGES", "The number of messages in the mailbox.",
				func(t *conformance.T, mb string) { seedLabels(t, mb, nil, "count-1", "count-2", "count-3") }, wantN(3),
				fault.RewriteResponse("STATUS counts one message too few", "STATUS", `MESSAGES 3\b`, "MESSAGES 2")),
			statusItemCase("status-recent-counts-recent-messages", "STATUS RECENT is the number of messages no session has been told of",
				"RECENT", "The number of messages with the \\Recent flag set.",
				func(t *conformance.T, mb string) { seedLabels(t, mb, nil, "recent-1", "recent-2") }, wantN(2),
				fault.RewriteResponse("STATUS counts no recent message", "STATUS", `RECENT 2\b`, "RECENT 0")),
			statusItemCase("status-unseen-counts-unseen-messages", "STATUS UNSEEN is the number of messages without \\Seen, not the first of them",
				"UNSEEN", "The number of messages which do not have the \\Seen flag set.",
				func(t *conformance.T, mb string) {
					seedLabels(t, mb, []string{`\Seen`}, "seen-1")
					seedLabels(t, mb, nil, "unseen-2", "unseen-3", "unseen-4")
				}, wantN(3),
				fault.RewriteResponse("STATUS UNSEEN gives the first unseen message", "STATUS", `UNSEEN 3\b`, "UNSEEN 2")),
			statusItemCase("status-uidnext-matches-select", "STATUS UIDNEXT is the UIDNEXT that SELECT reports",
				"UIDNEXT", "The next unique identifier value of the mailbox.",
				func(t *conformance.T, mb string) { seedLabels(t, mb, nil, "uidnext-1", "uidnext-2") }, selectCode("UIDNEXT"),
				fault.RewriteResponse("STATUS reports another UIDNEXT", "STATUS", `UIDNEXT (\d+)`, "UIDNEXT 1$1")),
			statusItemCase("status-uidvalidity-matches-select", "STATUS UIDVALIDITY is the UIDVALIDITY that SELECT reports",
				"UIDVALIDITY", "The unique identifier validity value of the mailbox.",
				func(t *conformance.T, mb string) { seedLabels(t, mb, nil, "uidvalidity-1") }, selectCode("UIDVALIDITY"),
				fault.RewriteResponse("STATUS reports another UIDVALIDITY", "STATUS", `UIDVALIDITY \d+`, "UIDVALIDITY 7")),
			{
				Name:      "status-every-item-answered",
				Title:     "STATUS with every item answers each of them with its value",
				Level:     conformance.Must,
				Sentence:  "The currently defined status data items that can be requested are:\nMESSAGES ... RECENT ... UIDNEXT ... UIDVALIDITY ... UNSEEN",
				Commands:  []string{"STATUS", "SELECT"},
				Responses: []string{"STATUS"},
				Faults: []fault.Fault{
					fault.RewriteResponse("STATUS leaves out UNSEEN", "STATUS", ` ?UNSEEN \d+`, ""),
				},
				Run: func(t *conformance.T) {
					mb := t.Mailbox(0)
					seedLabels(t, mb, []string{`\Seen`}, "all-1")
					seedLabels(t, mb, nil, "all-2")
					got := statusOf(t, t.Login(0), mb, "MESSAGES", "RECENT", "UIDNEXT", "UIDVALIDITY", "UNSEEN")
					r := t.Login(0).Cmd("OK", "SELECT", wire.Astring(mb))
					want := map[string]uint64{
						"MESSAGES": 2, "RECENT": 2, "UNSEEN": 1,
						"UIDNEXT":     uint64(expectUntaggedCode(t, r, "UIDNEXT").Code.Number),
						"UIDVALIDITY": uint64(expectUntaggedCode(t, r, "UIDVALIDITY").Code.Number),
					}
					for _, item := range []string{"MESSAGES", "RECENT", "UIDNEXT", "UIDVALIDITY", "UNSEEN"} {
						if got[item] != want[item] {
							t.Mismatch([]string{fmt.Sprintf("%s %d", item, want[item])}, fmt.Sprintf("%s %d", item, got[item]), "STATUS %s with every item", mb)
						}
					}
				},
			}, {
				Name:      "status-keeps-recent",
				Title:     "Messages counted by STATUS are still \\Recent for the next SELECT",
				Level:     conformance.Must,
				Sentence:  statusKeepsRecent,
				Commands:  []string{"STATUS", "SELECT"},
				Responses: []string{"STATUS", "RECENT"},
				Faults: []fault.Fault{
					alsoRuns("STATUS opens the mailbox read-write", "STATUS", func(line string) []string {
						return []string{"SELECT " + statusMailbox(line), "CLOSE"}
					}),
				},
				Run: func(t *conformance.T) {
					mb := t.Mailbox(0)
					seedLabels(t, mb, nil, "recent-1", "recent-2")
					a := t.Login(0)
					statusOf(t, a, mb, "RECENT", "MESSAGES")
					a.Logout()
					r := t.Login(0).Cmd("OK", "SELECT", wire.Astring(mb))
					if all := r.All("RECENT"); len(all) == 0 || all[len(all)-1].Number != 2 {
						t.Mismatch([]string{"* 2 RECENT"}, showUntagged(r), "SELECT after another session asked STATUS")
					}
				},
			}, {
				Name:      "status-keeps-selected-mailbox",
				Title:     "STATUS of another mailbox leaves the selected mailbox selected",
				Level:     conformance.Must,
				Sentence:  statusKeepsRecent,
				Commands:  []string{"STATUS", "SELECT", "SEARCH"},
				Responses: []string{"STATUS", "SEARCH"},
				Faults: []fault.Fault{
					alsoRuns("STATUS selects the mailbox it reports on", "STATUS", func(line string) []string {
						return []string{"SELECT " + statusMailbox(line)}
					}),
				},
				Run: func(t *conformance.T) {
					selected, other := t.Mailbox(0), t.Mailbox(0)
					seedLabels(t, selected, nil, "selected-1", "selected-2")
					seedLabels(t, other, nil, "other-1", "other-2", "other-3")
					s := t.Login(0)
					s.Cmd("OK", "SELECT", wire.Astring(selected))
					statusOf(t, s, other, "MESSAGES")
					r := s.Tx("OK", "SEARCH ALL")
					if nums := r.One("SEARCH").Search.Nums; len(nums) != 2 {
						t.Mismatch([]string{"* SEARCH 1 2"}, show1(r.One("SEARCH")), "SEARCH ALL in the selected mailbox after STATUS of another")
					}
				},
			}, {
				Name:      "status-of-selected-mailbox",
				Title:     "STATUS of the selected mailbox agrees with what SELECT reported",
				Level:     conformance.Must,
				Sentence:  statusSentence,
				Commands:  []string{"STATUS", "SELECT"},
				Responses: []string{"STATUS"},
				Faults: []fault.Fault{
					fault.RewriteResponse("STATUS of the selected mailbox reports no message", "STATUS", `MESSAGES 3\b`, "MESSAGES 0"),
				},
				Run: func(t *conformance.T) {
					mb := t.Mailbox(0)
					seedLabels(t, mb, []string{`\Seen`}, "selected-1")
					seedLabels(t, mb, nil, "selected-2", "selected-3")
					s := t.Login(0)
					r := s.Cmd("OK", "SELECT", wire.Astring(mb))
					want := map[string]uint64{
						"MESSAGES": 3, "UNSEEN": 2,
						"UIDNEXT":     uint64(expectUntaggedCode(t, r, "UIDNEXT").Code.Number),
						"UIDVALIDITY": uint64(expectUntaggedCode(t, r, "UIDVALIDITY").Code.Number),
					}
					got := statusOf(t, s, mb, "MESSAGES", "UIDNEXT", "UIDVALIDITY", "UNSEEN")
					for _, item := range []string{"MESSAGES", "UIDNEXT", "UIDVALIDITY", "UNSEEN"} {
						if got[item] != want[item] {
							t.Mismatch([]string{fmt.Sprintf("%s %d", item, want[item])}, fmt.Sprintf("%s %d", item, got[item]), "STATUS of the selected mailbox %s", mb)
						}
					}
				},
			}, {
				Name:      "status-follows-new-message",
				Title:     "STATUS MESSAGES and UIDNEXT grow after a message is appended",
				Level:     conformance.Must,
				Sentence:  statusSentence + "\nMESSAGES  The number of messages in the mailbox.",
				Commands:  []string{"STATUS", "APPEND"},
				Responses: []string{"STATUS"},
				Faults: []fault.Fault{
					rewriteNth("STATUS answers from a stale cache", "STATUS", 2, `MESSAGES 2\b`, "MESSAGES 1"),
				},
				Run: func(t *conformance.T) {
					mb := t.Mailbox(0)
					seedLabels(t, mb, nil, "before-1")
					s := t.Login(0)
					before := statusOf(t, s, mb, "MESSAGES", "UIDNEXT")
					s.Cmd("OK", "APPEND", wire.Astring(mb), wire.Literal(labelledMessage("after-2")))
					after := statusOf(t, s, mb, "MESSAGES", "UIDNEXT")
					if after["MESSAGES"] != before["MESSAGES"]+1 || after["UIDNEXT"] <= before["UIDNEXT"] {
						t.Mismatch([]string{fmt.Sprintf("MESSAGES %d UIDNEXT above %d", before["MESSAGES"]+1, before["UIDNEXT"])},
							fmt.Sprintf("MESSAGES %d UIDNEXT %d", after["MESSAGES"], after["UIDNEXT"]), "STATUS after APPEND")
					}
				},
			}, {
				Name:      "status-missing-mailbox-no",
				Title:     "STATUS of a mailbox that does not exist fails with NO, with no STATUS response",
				Level:     conformance.Must,
				Sentence:  "NO - status failure: no status for that name",
				Commands:  []string{"STATUS"},
				Responses: []string{"NO", "STATUS"},
				Faults: []fault.Fault{
					alsoRuns("STATUS creates a missing mailbox", "STATUS", func(line string) []string {
						return []string{"CREATE " + statusMailbox(line)}
					}),
				},
				Run: func(t *conformance.T) {
					m := newMailboxTree(t, 0)
					r := m.s.Cmd("NO", "STATUS", wire.Astring(m.name("absent")), listOf("MESSAGES"))
					if all := r.All("STATUS"); len(all) > 0 {
						t.Mismatch([]string{"no STATUS response"}, show1(all[0]), "%s", r.Command)
					}
				},
			}, {
				Name:      "status-wildcard-not-expanded",
				Title:     "STATUS takes no wildcard: a name with * names no mailbox",
				Level:     conformance.Must,
				Sentence:  "Also unlike the LIST command, the STATUS command does not accept wildcards.",
				Commands:  []string{"STATUS"},
				Responses: []string{"NO", "BAD", "STATUS"},
				Faults: []fault.Fault{
					rewriteCommandOf("STATUS expands wildcards", "STATUS", `\*" `, `" `),
				},
				Run: func(t *conformance.T) {
					mb := t.Mailbox(0)
					r := t.Login(0).Cmd("NO|BAD", "STATUS", wire.Quoted(mb+"*"), listOf("MESSAGES"))
					if all := r.All("STATUS"); len(all) > 0 {
						t.Mismatch([]string{"no STATUS response"}, show1(all[0]), "%s", r.Command)
					}
				},
			}, {
				Name:      "status-empty-item-list-bad",
				Title:     "STATUS with an empty list of items is a BAD command",
				Level:     conformance.Must,
				Sentence:  "status = \"STATUS\" SP mailbox SP \"(\" status-att *(SP status-att) \")\"\nBAD - command unknown or arguments invalid",
				Commands:  []string{"STATUS"},
				Responses: []string{"BAD"},
				Faults:    []fault.Fault{answer("STATUS with no item answers OK", "STATUS", "BAD", "OK")},
				Run: func(t *conformance.T) {
					mb := t.Mailbox(0)
					t.Login(0).Tx("BAD", "STATUS "+quoteName(mb)+" ()")
				},
			}, {
				Name:      "status-unknown-item-bad",
				Title:     "STATUS with an item RFC 3501 does not define is a BAD command",
				Level:     conformance.Must,
				Sentence:  "status-att = \"MESSAGES\" / \"RECENT\" / \"UIDNEXT\" / \"UIDVALIDITY\" / \"UNSEEN\"\nBAD - command unknown or arguments invalid",
				Commands:  []string{"STATUS"},
				Responses: []string{"BAD"},
				Faults:    []fault.Fault{answer("STATUS ignores an unknown item", "STATUS", "BAD", "OK")},
				Run: func(t *conformance.T) {
					mb := t.Mailbox(0)
					t.Login(0).Tx("BAD", "STATUS "+quoteName(mb)+" (MESSAGES XIMAPGAUGE)")
				},
			},
		},
	}}
}

// statusMailbox returns the mailbox argument of a STATUS command line whose
// mailbox is an atom.
func statusMailbox(line string) string {
	f := strings.Fields(line)
	if len(f) < 3 {
		return ""
	}
	return f[2]
}
