package rfc3501

import (
	"strings"

	"github.com/imapgauge/imapgauge/conformance"
	"github.com/imapgauge/imapgauge/conformance/fault"
	"github.com/imapgauge/imapgauge/conformance/wire"
)

const (
	subscribeSentence = "The SUBSCRIBE command adds the specified mailbox name to the server's set of \"active\" or \"subscribed\"\n" +
		"mailboxes as returned by the LSUB command.  This command returns a tagged OK response only if the\nsubscription is successful."
	subscribeKeptSentence = "However, it MUST NOT unilaterally remove an existing mailbox name from the subscription list even if\n" +
		"a mailbox by that name no longer exists."
	unsubscribeSentence = "The UNSUBSCRIBE command removes the specified mailbox name from the server's set of \"active\" or\n" +
		"\"subscribed\" mailboxes as returned by the LSUB command.  This command returns a tagged OK response\nonly if the unsubscription is successful."
	lsubSentence = "The LSUB command returns a subset of names from the set of names that the user has declared as being\n" +
		"\"active\" or \"subscribed\".  Zero or more untagged LSUB replies are returned.  The arguments to LSUB are\nin the same form as those for LIST."
	lsubPercentSentence = "Consider what happens if \"foo/bar\" (with a hierarchy delimiter of \"/\") is subscribed but \"foo\" is not.\n" +
		"A \"%\" wildcard to LSUB must return foo, not foo/bar, in the LSUB response, and it MUST be flagged with\nthe \\Noselect attribute."
)

// subscriptionsForgotten is the fault of a server that keeps
// subscriptions for the session only: at LOGOUT it drops every name the
// session subscribed.
func subscriptionsForgotten() fault.Fault {
	return fault.Fault{
		Name: "subscriptions last only for the session",
		Command: func(s *fault.State, line []byte) ([]byte, fault.Action) {
			l := strings.TrimRight(string(line), "\r\n")
			switch commandWords(l) {
			case "SUBSCRIBE":
				names, _ := s.Data["subscribed"].([]string)
				s.Data["subscribed"] = append(names, lastArgument(l))
			case "LOGOUT":
				var out []byte
				names, _ := s.Data["subscribed"].([]string)
				for _, n := range names {
					out = append(out, hiddenTag+" UNSUBSCRIBE "+n+"\r\n"...)
				}
				return append(out, line...), fault.Forward
			}
			return line, fault.Forward
		},
		Response: func(_ *fault.State, raw []byte) ([]byte, fault.Action) {
			if strings.HasPrefix(string(raw), hiddenTag+" ") {
				return nil, fault.Forward
			}
			return raw, fault.Forward
		},
	}
}

// lsubRepeats is the fault of a subscription list that keeps a name once
// per SUBSCRIBE: every LSUB response is sent twice.
func lsubRepeats() fault.Fault {
	return fault.Fault{Name: "LSUB lists a name subscribed twice twice", Response: func(s *fault.State, raw []byte) ([]byte, fault.Action) {
		if s.Command == "LSUB" && strings.HasPrefix(string(raw), "* LSUB ") {
			return append(append([]byte(nil), raw...), raw...), fault.Forward
		}
		return raw, fault.Forward
	}}
}

// subscribe subscribes name in m's session, as a fixture.
func (m *mailboxTree) subscribe(names ...string) {
	m.t.Setup(func() {
		for _, n := range names {
			m.s.Cmd("OK", "SUBSCRIBE", wire.Astring(n))
		}
	})
}

// subscriptionCommands checks RFC 3501 sections 6.3.6, 6.3.7 and 6.3.9.
func subscriptionCommands() []conformance.Section {
	subscribe := conformance.Section{Number: "6.3.6", Title: "SUBSCRIBE Command", Cases: []conformance.Case{{
		Name:      "subscribe-name-listed-by-lsub",
		Title:     "A name SUBSCRIBE adds is listed by LSUB",
		Level:     conformance.Must,
		Sentence:  subscribeSentence,
		Commands:  []string{"SUBSCRIBE", "LSUB"},
		Responses: []string{"OK", "LSUB"},
		Faults:    []fault.Fault{okCommand("SUBSCRIBE answers OK without subscribing", "SUBSCRIBE", "")},
		Run: func(t *conformance.T) {
			m := newMailboxTree(t, 0)
			box := m.create("box")
			m.s.Cmd("OK", "SUBSCRIBE", wire.Astring(box))
			expectListed(t, listCmd(m.s, "LSUB", "", m.name("*")), "LSUB", box)
		},
	}, {
		Name:      "subscribe-kept-after-mailbox-deleted",
		Title:     "DELETE of a subscribed mailbox leaves the name subscribed",
		Level:     conformance.Must,
		Sentence:  subscribeKeptSentence,
		Commands:  []string{"SUBSCRIBE", "DELETE", "LSUB"},
		Responses: []string{"LSUB"},
		Faults: []fault.Fault{
			alsoRuns("DELETE unsubscribes the name", "DELETE", func(line string) []string {
				return []string{"UNSUBSCRIBE " + lastArgument(line)}
			}),
		},
		Run: func(t *conformance.T) {
			m := newMailboxTree(t, 0)
			box := m.create("box")
			m.subscribe(box)
			m.s.Cmd("OK", "DELETE", wire.Astring(box))
			expectListed(t, listCmd(m.s, "LSUB", "", m.name("*")), "LSUB", box)
		},
	}, {
		Name:      "subscribe-kept-across-sessions",
		Title:     "A subscription made in one session is listed by LSUB in the next",
		Level:     conformance.Must,
		Sentence:  subscribeSentence,
		Commands:  []string{"SUBSCRIBE", "LOGOUT", "LSUB"},
		Responses: []string{"LSUB"},
		Faults:    []fault.Fault{subscriptionsForgotten()},
		Run: func(t *conformance.T) {
			m := newMailboxTree(t, 0)
			box := m.create("box")
			a := t.Login(0)
			a.Cmd("OK", "SUBSCRIBE", wire.Astring(box))
			a.Logout()
			expectListed(t, listCmd(t.Login(0), "LSUB", "", m.name("*")), "LSUB", box)
		},
	}, {
		Name:  "subscribe-missing-name-consistent",
		Title: "SUBSCRIBE of a name that does not exist may be refused, but an OK means LSUB lists it",
		Level: conformance.Must,
		Sentence: "A server MAY validate the mailbox argument to SUBSCRIBE to verify that it exists.\n" +
			"This command returns a tagged OK response only if the subscription is successful.",
		Commands:  []string{"SUBSCRIBE", "LSUB"},
		Responses: []string{"OK", "NO", "LSUB"},
		Faults:    []fault.Fault{okCommand("SUBSCRIBE answers OK without subscribing", "SUBSCRIBE", "")},
		Run: func(t *conformance.T) {
			m := newMailboxTree(t, 0)
			absent := m.name("absent")
			r := m.s.Cmd("OK|NO", "SUBSCRIBE", wire.Astring(absent))
			lsub := listCmd(m.s, "LSUB", "", m.name("*"))
			if r.Status() == "OK" {
				expectListed(t, lsub, "LSUB", absent)
			} else {
				expectNotListed(t, lsub, "LSUB", absent)
			}
		},
	}, {
		Name:      "subscribe-twice-listed-once",
		Title:     "A name subscribed twice is listed by LSUB once",
		Level:     conformance.Must,
		Sentence:  subscribeSentence,
		Commands:  []string{"SUBSCRIBE", "LSUB"},
		Responses: []string{"LSUB"},
		Faults:    []fault.Fault{lsubRepeats()},
		Run: func(t *conformance.T) {
			m := newMailboxTree(t, 0)
			box := m.create("box")
			m.s.Cmd("OK", "SUBSCRIBE", wire.Astring(box))
			m.s.Cmd("OK", "SUBSCRIBE", wire.Astring(box))
			expectExactly(t, listCmd(m.s, "LSUB", "", m.name("*")), "LSUB", box)
		},
	}, {
		Name:      "subscribe-without-name-bad",
		Title:     "SUBSCRIBE without a mailbox name is a BAD command",
		Level:     conformance.Must,
		Sentence:  "Arguments:  mailbox\nBAD - command unknown or arguments invalid",
		Commands:  []string{"SUBSCRIBE"},
		Responses: []string{"BAD"},
		Faults:    []fault.Fault{answer("SUBSCRIBE without a name answers NO", "SUBSCRIBE", "BAD", "NO")},
		Run: func(t *conformance.T) {
			t.Login(0).Tx("BAD", "SUBSCRIBE")
		},
	}}}

	unsubscribe := conformance.Section{Number: "6.3.7", Title: "UNSUBSCRIBE Command", Cases: []conformance.Case{{
		Name:      "unsubscribe-name-not-listed-by-lsub",
		Title:     "A name UNSUBSCRIBE removes is no longer listed by LSUB",
		Level:     conformance.Must,
		Sentence:  unsubscribeSentence,
		Commands:  []string{"UNSUBSCRIBE", "LSUB"},
		Responses: []string{"OK", "LSUB"},
		Faults:    []fault.Fault{okCommand("UNSUBSCRIBE answers OK without unsubscribing", "UNSUBSCRIBE", "")},
		Run: func(t *conformance.T) {
			m := newMailboxTree(t, 0)
			box := m.create("box")
			m.subscribe(box)
			m.s.Cmd("OK", "UNSUBSCRIBE", wire.Astring(box))
			expectNotListed(t, listCmd(m.s, "LSUB", "", m.name("*")), "LSUB", box)
		},
	}, {
		Name:      "unsubscribe-deleted-mailbox-ok",
		Title:     "A subscribed name whose mailbox was deleted can be unsubscribed",
		Level:     conformance.Must,
		Sentence:  unsubscribeSentence,
		Commands:  []string{"SUBSCRIBE", "DELETE", "UNSUBSCRIBE", "LSUB"},
		Responses: []string{"OK", "LSUB"},
		Faults:    []fault.Fault{answer("UNSUBSCRIBE refuses names with no mailbox", "UNSUBSCRIBE", "OK", "NO")},
		Run: func(t *conformance.T) {
			m := newMailboxTree(t, 0)
			box := m.create("box")
			m.subscribe(box)
			m.s.Cmd("OK", "DELETE", wire.Astring(box))
			m.s.Cmd("OK", "UNSUBSCRIBE", wire.Astring(box))
			expectNotListed(t, listCmd(m.s, "LSUB", "", m.name("*")), "LSUB", box)
		},
	}, {
		Name:      "unsubscribe-keeps-mailbox",
		Title:     "UNSUBSCRIBE leaves the mailbox itself and its messages",
		Level:     conformance.Must,
		Sentence:  unsubscribeSentence,
		Commands:  []string{"UNSUBSCRIBE", "LIST", "EXAMINE"},
		Responses: []string{"LIST"},
		Faults: []fault.Fault{
			alsoRuns("UNSUBSCRIBE deletes the mailbox", "UNSUBSCRIBE", func(line string) []string {
				return []string{"DELETE " + lastArgument(line)}
			}),
		},
		Run: func(t *conformance.T) {
			m := newMailboxTree(t, 0)
			box := m.create("box")
			m.fill(box, "kept-1")
			m.subscribe(box)
			m.s.Cmd("OK", "UNSUBSCRIBE", wire.Astring(box))
			expectListed(t, listCmd(m.s, "LIST", "", box), "LIST", box)
			expectLabels(t, m.s, box, "the mailbox after UNSUBSCRIBE", "kept-1")
		},
	}, {
		Name:      "unsubscribe-keeps-other-subscriptions",
		Title:     "UNSUBSCRIBE of one name leaves the other subscriptions",
		Level:     conformance.Must,
		Sentence:  unsubscribeSentence,
		Commands:  []string{"UNSUBSCRIBE", "LSUB"},
		Responses: []string{"LSUB"},
		Faults: []fault.Fault{
			alsoRuns("UNSUBSCRIBE drops its neighbours too", "UNSUBSCRIBE", func(line string) []string {
				return []string{"UNSUBSCRIBE " + strings.TrimSuffix(lastArgument(line), "one") + "two"}
			}),
		},
		Run: func(t *conformance.T) {
			m := newMailboxTree(t, 0)
			one, two := m.create("one"), m.create("two")
			m.subscribe(one, two)
			m.s.Cmd("OK", "UNSUBSCRIBE", wire.Astring(one))
			expectExactly(t, listCmd(m.s, "LSUB", "", m.name("*")), "LSUB", two)
		},
	}, {
		Name:      "unsubscribe-without-name-bad",
		Title:     "UNSUBSCRIBE without a mailbox name is a BAD command",
		Level:     conformance.Must,
		Sentence:  "Arguments:  mailbox name\nBAD - command unknown or arguments invalid",
		Commands:  []string{"UNSUBSCRIBE"},
		Responses: []string{"BAD"},
		Faults:    []fault.Fault{answer("UNSUBSCRIBE without a name answers NO", "UNSUBSCRIBE", "BAD", "NO")},
		Run: func(t *conformance.T) {
			t.Login(0).Tx("BAD", "UNSUBSCRIBE")
		},
	}}}

	lsub := conformance.Section{Number: "6.3.9", Title: "LSUB Command", Cases: []conformance.Case{{
		Name:      "lsub-lists-only-subscribed-names",
		Title:     "LSUB lists the subscribed names and not the other mailboxes",
		Level:     conformance.Must,
		Sentence:  lsubSentence,
		Commands:  []string{"LSUB", "SUBSCRIBE"},
		Responses: []string{"LSUB"},
		Faults: []fault.Fault{
			rewriteCommandOf("LSUB lists every mailbox", "LSUB", `^(\S+) LSUB `, "$1 LIST "),
		},
		Run: func(t *conformance.T) {
			m := newMailboxTree(t, 0)
			one := m.create("one")
			m.create("two")
			m.subscribe(one)
			r := listCmd(m.s, "LSUB", "", m.name("*"))
			if len(r.All("LIST")) > 0 {
				t.Mismatch([]string{"LSUB responses"}, show1(r.All("LIST")[0]), "%s: LIST responses to LSUB", r.Command)
			}
			expectExactly(t, r, "LSUB", one)
		},
	}, {
		Name:      "lsub-star-matches-every-level",
		Title:     "LSUB with * lists the subscribed names at every level below",
		Level:     conformance.Must,
		Sentence:  lsubSentence,
		Commands:  []string{"LSUB"},
		Responses: []string{"LSUB"},
		Faults: []fault.Fault{
			fault.DropResponse("LSUB * stops at the first level", "LSUB", `/one/two"?\r\n$`),
		},
		Run: func(t *conformance.T) {
			m := newMailboxTree(t, 0)
			m.hierarchical()
			one, deep := m.create("one"), m.create("one", "two")
			m.subscribe(one, deep)
			expectExactly(t, listCmd(m.s, "LSUB", "", m.name("*")), "LSUB", one, deep)
		},
	}, {
		Name:      "lsub-percent-unsubscribed-superior-noselect",
		Title:     "LSUB with % lists the unsubscribed superior of a subscribed name, flagged \\Noselect",
		Level:     conformance.Must,
		Sentence:  lsubPercentSentence,
		Commands:  []string{"LSUB", "SUBSCRIBE"},
		Responses: []string{"LSUB"},
		Faults: []fault.Fault{
			fault.RewriteResponse("LSUB lists the superior without \\Noselect", "LSUB", `^(\* LSUB \()\\Noselect ?`, "$1"),
			rewriteCommandOf("LSUB matches % across levels", "LSUB", `%"\r\n$`, "*\"\r\n"),
		},
		Run: func(t *conformance.T) {
			m := newMailboxTree(t, 0)
			m.hierarchical()
			m.create("foo")
			bar := m.create("foo", "bar")
			m.subscribe(bar)
			r := listCmd(m.s, "LSUB", "", m.name("%"))
			expectExactly(t, r, "LSUB", m.name("foo"))
			if l := listEntry(r, "LSUB", m.name("foo")); !l.HasAttribute(`\Noselect`) {
				t.Mismatch([]string{`* LSUB (\Noselect) ` + quoteName(m.name("foo"))}, showUntagged(r), "%s", r.Command)
			}
		},
	}, {
		Name:      "lsub-reference-gives-context",
		Title:     "LSUB interprets the pattern in the context of the reference, like LIST",
		Level:     conformance.Must,
		Sentence:  lsubSentence,
		Commands:  []string{"LSUB"},
		Responses: []string{"LSUB"},
		Faults: []fault.Fault{
			rewriteCommandOf("LSUB ignores the reference", "LSUB", `^(\S+) LSUB "[^"]*" `, `$1 LSUB "" `),
		},
		Run: func(t *conformance.T) {
			m := newMailboxTree(t, 0)
			m.hierarchical()
			alpha, beta := m.create("alpha"), m.create("beta")
			m.subscribe(alpha, beta)
			expectExactly(t, listCmd(m.s, "LSUB", m.root+m.delim, "al*"), "LSUB", alpha)
		},
	}, {
		Name:      "lsub-lists-subscribed-name-without-mailbox",
		Title:     "LSUB still lists a subscribed name whose mailbox was renamed away",
		Level:     conformance.Must,
		Sentence:  "The server MUST NOT unilaterally remove an existing mailbox name from the subscription list even if a\nmailbox by that name no longer exists.",
		Commands:  []string{"LSUB", "SUBSCRIBE", "RENAME"},
		Responses: []string{"LSUB"},
		Faults: []fault.Fault{
			alsoRuns("RENAME unsubscribes the old name", "RENAME", func(line string) []string {
				from, _ := renameArgs(line)
				return []string{"UNSUBSCRIBE " + from}
			}),
		},
		Run: func(t *conformance.T) {
			m := newMailboxTree(t, 0)
			box := m.create("box")
			m.subscribe(box)
			m.s.Cmd("OK", "RENAME", wire.Astring(box), wire.Astring(m.name("moved")))
			expectListed(t, listCmd(m.s, "LSUB", "", m.name("*")), "LSUB", box)
		},
	}, {
		Name:      "lsub-with-one-argument-bad",
		Title:     "LSUB with only a reference is a BAD command",
		Level:     conformance.Must,
		Sentence:  "Arguments:  reference name\nmailbox name with possible wildcards\nBAD - command unknown or arguments invalid",
		Commands:  []string{"LSUB"},
		Responses: []string{"BAD"},
		Faults:    []fault.Fault{answer("LSUB with one argument answers OK", "LSUB", "BAD", "OK")},
		Run: func(t *conformance.T) {
			t.Login(0).Tx("BAD", `LSUB ""`)
		},
	}}}

	return []conformance.Section{subscribe, unsubscribe, lsub}
}
