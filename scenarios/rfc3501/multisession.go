package rfc3501

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/imapgauge/imapgauge/conformance"
	"github.com/imapgauge/imapgauge/conformance/fault"
	"github.com/imapgauge/imapgauge/conformance/grammar"
	"github.com/imapgauge/imapgauge/conformance/wire"
)

// The multi-session cases: one session has a private mailbox selected while
// other sessions of the same user change it. Sessions are synchronised by
// waiting for each command's completion and polling with NOOP, never by
// sleeping: a change acknowledged to one session is in the mailbox before
// the next command of another starts.

// watchedMailbox is a private mailbox with n messages, selected in one
// session whose sequence numbers a model follows.
type watchedMailbox struct {
	name string
	s    *conformance.Session
	m    *seqModel
}

// watchMailbox creates a private mailbox for user 1 with n labelled
// messages and selects it in a new session.
func watchMailbox(t *conformance.T, label string, n int) *watchedMailbox {
	w := &watchedMailbox{name: t.Mailbox(0)}
	for i := 1; i <= n; i++ {
		t.Append(0, w.name, labelledMessage(fmt.Sprintf("%s-%d", label, i)))
	}
	w.s = t.Select(0, w.name)
	var uids []uint32
	t.Setup(func() { uids = fetchUIDList(t, w.s, fmt.Sprintf("FETCH 1:%d (UID)", n), n) })
	w.m = newSeqModel(t, uids)
	return w
}

// expungeElsewhere removes the messages set (a sequence set) from mailbox
// in another session of user 1: STORE \Deleted, EXPUNGE, LOGOUT. When it
// returns, the messages are gone from the mailbox.
func expungeElsewhere(t *conformance.T, mailbox, set string) {
	t.Setup(func() {
		o := t.Select(0, mailbox)
		o.Tx("OK", `STORE `+set+` +FLAGS.SILENT (\Deleted)`)
		o.Tx("OK", "EXPUNGE")
		o.Logout()
	})
}

// noExpungeIn fails the case when r carries an EXPUNGE response: r
// answered a command during which the server must not send one (RFC 3501
// section 7.4.1).
func noExpungeIn(t *conformance.T, r *conformance.Reply) {
	for _, u := range r.Untagged {
		if u.Name == "EXPUNGE" {
			t.Mismatch([]string{"no EXPUNGE response until the command completes"}, show1(u),
				"%s: an EXPUNGE response came before the command completed", r.Command)
		}
	}
}

// expungeLine matches an EXPUNGE response.
var expungeLine = regexp.MustCompile(`^\* \d+ EXPUNGE\r\n`)

// firstOnConnection rewrites the first response on a connection that
// matches pattern, whatever the command: for pipelined commands, whose
// responses the proxy cannot tell apart by command.
func firstOnConnection(name, pattern, repl string) fault.Fault {
	re := regexp.MustCompile(pattern)
	return fault.Fault{Name: name, Response: func(s *fault.State, raw []byte) ([]byte, fault.Action) {
		if s.Data["done"] == nil && re.Match(raw) {
			s.Data["done"] = true
			return re.ReplaceAll(raw, []byte(repl)), fault.Forward
		}
		return raw, fault.Forward
	}}
}

// multiSession checks RFC 3501 sections 5.2, 5.3, 5.5 and 7.4.1 with
// several sessions on one mailbox.
func multiSession() []conformance.Section {
	return []conformance.Section{sizeUpdates(), noCommandInProgress(), pipelining(), expungeResponses()}
}

func sizeUpdates() conformance.Section {
	const sizeSentence = `A server MUST send mailbox size updates automatically if a mailbox size change is observed
during the processing of a command.`
	return conformance.Section{
		Number: "5.2",
		Title:  "Mailbox Size and Message Status Updates",
		Cases: []conformance.Case{{
			Name:      "exists-sent-after-delivery-by-other-session",
			Title:     "NOOP reports a message another session added with EXISTS",
			Level:     conformance.Must,
			Sentence:  sizeSentence,
			Commands:  []string{"APPEND", "NOOP"},
			Responses: []string{"EXISTS"},
			Faults: []fault.Fault{
				fault.DropResponse("EXISTS not sent", "NOOP", `^\* \d+ EXISTS`),
			},
			Run: func(t *conformance.T) {
				w := watchMailbox(t, "delivered", 1)
				t.Append(0, w.name, labelledMessage("delivered-2"))
				r := w.s.Tx("OK", "NOOP")
				w.m.apply(r)
				if w.m.count() != 2 {
					t.Mismatch([]string{"* 2 EXISTS"}, describeUntagged(r), "NOOP after another session added a message")
				}
				w.m.verify(w.s, "FETCH 1:2 (UID)")
			},
		}, {
			Name:      "expunge-sent-after-removal-by-other-session",
			Title:     "NOOP reports a message another session expunged with EXPUNGE",
			Level:     conformance.Must,
			Sentence:  sizeSentence,
			Commands:  []string{"STORE", "EXPUNGE", "NOOP"},
			Responses: []string{"EXPUNGE"},
			Faults: []fault.Fault{
				fault.DropResponse("EXPUNGE not sent", "NOOP", `^\* \d+ EXPUNGE`),
			},
			Run: func(t *conformance.T) {
				w := watchMailbox(t, "removed", 2)
				expungeElsewhere(t, w.name, "1")
				r := w.s.Tx("OK", "NOOP")
				w.m.apply(r)
				if w.m.count() != 1 {
					t.Mismatch([]string{"* 1 EXPUNGE"}, describeUntagged(r), "NOOP after another session expunged message 1 of 2")
				}
				w.m.verify(w.s, "FETCH 1 (UID)")
			},
		}, {
			Name:  "exists-never-reduces-message-count",
			Title: "Messages removed by another session are reported with EXPUNGE, never with a smaller EXISTS",
			Level: conformance.Must,
			Sentence: `it is NOT permitted to send an EXISTS response that would reduce the number of messages in the
mailbox; only the EXPUNGE response can do this.`,
			Commands:  []string{"EXPUNGE", "NOOP"},
			Responses: []string{"EXISTS", "EXPUNGE"},
			Faults: []fault.Fault{
				fault.RewriteResponse("removal reported with a smaller EXISTS", "NOOP", `^\* \d+ EXPUNGE\r\n`, "* 1 EXISTS\r\n"),
			},
			Run: func(t *conformance.T) {
				w := watchMailbox(t, "shrink", 3)
				expungeElsewhere(t, w.name, "1:2")
				w.m.apply(w.s.Tx("OK", "NOOP"))
				w.m.verify(w.s, "FETCH 1:* (UID)")
			},
		}, {
			Name:      "expunge-and-delivery-counted-consistently",
			Title:     "An expunge and a delivery by others, reported together, leave the right count and numbers",
			Level:     conformance.Must,
			Sentence:  sizeSentence,
			Commands:  []string{"EXPUNGE", "APPEND", "NOOP", "FETCH"},
			Responses: []string{"EXISTS", "EXPUNGE"},
			Faults: []fault.Fault{
				fault.RewriteResponse("EXISTS still counts the expunged message", "NOOP", `^\* 2 EXISTS`, "* 3 EXISTS"),
			},
			Run: func(t *conformance.T) {
				w := watchMailbox(t, "churn", 2)
				expungeElsewhere(t, w.name, "1")
				t.Append(0, w.name, labelledMessage("churn-3"))
				w.m.apply(w.s.Tx("OK", "NOOP"))
				if w.m.count() != 2 {
					t.Mismatch([]string{"2 messages after one EXPUNGE and one EXISTS"}, fmt.Sprintf("%d messages", w.m.count()),
						"NOOP after another session expunged one message and added one")
				}
				w.m.verify(w.s, "FETCH 1:* (UID)")
			},
		}, {
			Name:  "flag-change-by-other-session-sent-unsolicited",
			Title: "NOOP reports a flag another session stored with an untagged FETCH",
			Level: conformance.Should,
			Sentence: `A server SHOULD send message flag updates automatically, without requiring the client to
request such updates explicitly.`,
			Commands:  []string{"STORE", "NOOP"},
			Responses: []string{"FETCH"},
			Faults: []fault.Fault{
				fault.DropResponse("flag update not sent", "NOOP", `^\* \d+ FETCH`),
			},
			Run: func(t *conformance.T) {
				w := watchMailbox(t, "flag-update", 2)
				o := t.Select(0, w.name)
				o.Tx("OK", `STORE 2 +FLAGS.SILENT (\Flagged)`)
				r := w.s.Tx("OK", "NOOP")
				for _, f := range fetchByNumber(r, 2) {
					if f.Has("FLAGS") && containsFold(f.Flags, `\Flagged`) {
						return
					}
				}
				t.Mismatch([]string{`* 2 FETCH (FLAGS (... \Flagged ...))`}, describeUntagged(r), "NOOP after another session stored \\Flagged on message 2")
			},
		}, {
			Name:      "expunge-reported-to-every-session",
			Title:     "Two sessions with the mailbox selected both learn of a third session's expunge",
			Level:     conformance.Must,
			Sentence:  sizeSentence,
			Commands:  []string{"EXPUNGE", "NOOP", "FETCH"},
			Responses: []string{"EXPUNGE"},
			Faults: []fault.Fault{
				{Name: "second session not told of the expunge", Response: func(s *fault.State, raw []byte) ([]byte, fault.Action) {
					// The second session is the one that read its UIDs with
					// UID FETCH.
					if s.Command == "UID" {
						s.Data["second"] = true
					}
					if s.Data["second"] != nil && s.Command == "NOOP" && expungeLine.Match(raw) {
						return nil, fault.Forward
					}
					return raw, fault.Forward
				}},
			},
			Run: func(t *conformance.T) {
				w := watchMailbox(t, "everyone", 3)
				b := t.Select(0, w.name)
				mb := newSeqModel(t, fetchUIDList(t, b, "UID FETCH 1:* (UID)", 3))
				expungeElsewhere(t, w.name, "2")
				for _, x := range []struct {
					s *conformance.Session
					m *seqModel
				}{{w.s, w.m}, {b, mb}} {
					r := x.s.Tx("OK", "NOOP")
					x.m.apply(r)
					if x.m.count() != 2 {
						t.Mismatch([]string{"* 2 EXPUNGE"}, describeUntagged(r), "%s: NOOP after a third session expunged message 2 of 3", x.s.Name())
					}
					x.m.verify(x.s, "FETCH 1:2 (UID)")
				}
			},
		}},
	}
}

func noCommandInProgress() conformance.Section {
	return conformance.Section{
		Number: "5.3",
		Title:  "Response when no Command in Progress",
		Cases: []conformance.Case{{
			Name:  "no-expunge-while-no-command-in-progress",
			Title: "An expunge by another session is not pushed to an idle session nor sent during its FETCH",
			Level: conformance.Must,
			Sentence: `Server implementations are permitted to send an untagged response (except for EXPUNGE)
while there is no command in progress.`,
			Commands:  []string{"EXPUNGE", "FETCH", "NOOP"},
			Responses: []string{"EXPUNGE", "FETCH"},
			Faults: []fault.Fault{
				fault.InsertAfter("EXPUNGE sent after a command completed", "FETCH", `^[^*+]\S* OK `, "* 1 EXPUNGE\r\n"),
			},
			Run: func(t *conformance.T) {
				w := watchMailbox(t, "idle", 2)
				expungeElsewhere(t, w.name, "1")
				// Whatever the server sent while the session was idle
				// arrives before the FETCH's own responses; an EXPUNGE
				// there was sent either with no command in progress or
				// during the FETCH, and both are forbidden.
				noExpungeIn(t, w.s.Tx("OK|NO", "FETCH 1:2 (UID)"))
				r := w.s.Tx("OK", "NOOP")
				w.m.apply(r)
				if w.m.count() != 1 {
					t.Mismatch([]string{"* 1 EXPUNGE"}, describeUntagged(r), "NOOP after another session expunged message 1 of 2")
				}
				w.m.verify(w.s, "FETCH 1 (UID)")
			},
		}},
	}
}

// pipelined waits for pipelined commands in the order sent, checks each
// status against want, and returns one reply holding the untagged
// responses of all of them in the order they arrived. Untagged data is not
// bound to a command (RFC 3501 section 2.2.2): a server may send a later
// command's data before an earlier command's completion, so the data of
// the group is judged as a whole.
func pipelined(s *conformance.Session, want string, cmds ...*conformance.Pending) *conformance.Reply {
	all := &conformance.Reply{}
	var names []string
	for _, p := range cmds {
		r := s.Wait(p, want)
		names = append(names, r.Command)
		all.Untagged = append(all.Untagged, r.Untagged...)
	}
	all.Command = strings.Join(names, " + ")
	return all
}

// flagsInOrder returns the FLAGS of every FETCH response of r for message
// seq, in order.
func flagsInOrder(r *conformance.Reply, seq uint32) [][]string {
	var out [][]string
	for _, f := range fetchByNumber(r, seq) {
		if f.Has("FLAGS") {
			out = append(out, f.Flags)
		}
	}
	return out
}

// searchNumbers returns the numbers of the SEARCH responses of r, failing
// the case unless there is exactly one.
func searchNumbers(t *conformance.T, r *conformance.Reply) []uint32 {
	all := r.All("SEARCH")
	if len(all) != 1 {
		t.Mismatch([]string{"exactly one untagged SEARCH response"}, describeUntagged(r), "%s", r.Command)
	}
	return all[0].Search.Nums
}

func pipelining() conformance.Section {
	const orderSentence = `If the server detects a possible ambiguity, it MUST execute commands to completion in the
order given by the client.`
	return conformance.Section{
		Number: "5.5",
		Title:  "Multiple Commands in Progress",
		Cases: []conformance.Case{{
			Name:      "pipelined-store-then-fetch-in-order",
			Title:     "A FETCH pipelined after a STORE of the same message sees the stored flag",
			Level:     conformance.Must,
			Sentence:  orderSentence,
			Commands:  []string{"STORE", "FETCH"},
			Responses: []string{"FETCH"},
			Faults: []fault.Fault{
				dropFlag("FETCH answered before the STORE ran", "", `\Flagged`),
			},
			Run: func(t *conformance.T) {
				w := watchMailbox(t, "pipe-fetch", 1)
				store := w.s.Send("STORE", wire.Atom("1"), wire.Atom("+FLAGS.SILENT"), listOf(`\Flagged`))
				fetch := w.s.Send("FETCH", wire.Atom("1"), listOf("FLAGS"))
				r := pipelined(w.s, "OK", store, fetch)
				all := flagsInOrder(r, 1)
				if len(all) == 0 {
					t.Mismatch([]string{"* 1 FETCH (FLAGS (...))"}, describeUntagged(r), "%s", r.Command)
				}
				for _, got := range all {
					if !containsFold(got, `\Flagged`) {
						t.Mismatch([]string{`FLAGS with \Flagged`}, "FLAGS ("+strings.Join(got, " ")+")", "FETCH pipelined after STORE 1 +FLAGS.SILENT (\\Flagged)")
					}
				}
			},
		}, {
			Name:      "pipelined-store-then-search-in-order",
			Title:     "A SEARCH pipelined after a STORE finds the stored flag",
			Level:     conformance.Must,
			Sentence:  orderSentence,
			Commands:  []string{"STORE", "SEARCH"},
			Responses: []string{"SEARCH"},
			Faults: []fault.Fault{
				fault.RewriteResponse("SEARCH answered before the STORE ran", "", `^\* SEARCH[^\r]*`, "* SEARCH"),
			},
			Run: func(t *conformance.T) {
				w := watchMailbox(t, "pipe-search", 2)
				store := w.s.Send("STORE", wire.Atom("2"), wire.Atom("+FLAGS.SILENT"), listOf(`\Flagged`))
				search := w.s.Send("SEARCH", wire.Atom("FLAGGED"))
				r := pipelined(w.s, "OK", store, search)
				if got := searchNumbers(t, r); len(got) != 1 || got[0] != 2 {
					t.Mismatch([]string{"* SEARCH 2"}, show1(r.All("SEARCH")[0]), "SEARCH FLAGGED pipelined after STORE 2 +FLAGS.SILENT (\\Flagged)")
				}
			},
		}, {
			Name:  "pipelined-fetch-store-search-check-answered-in-order",
			Title: "FETCH, STORE, SEARCH and CHECK pipelined: each answered once, each seeing the ones before",
			Level: conformance.Must,
			Sentence: `The following are examples of valid non-waiting command sequences:
FETCH + STORE + SEARCH + CHECK` + "\n" + `If the server detects a possible ambiguity, it MUST execute commands to completion in the order given by the client.`,
			Commands:  []string{"FETCH", "STORE", "SEARCH", "CHECK"},
			Responses: []string{"FETCH", "SEARCH"},
			Faults: []fault.Fault{
				firstOnConnection("STORE ran before the FETCH pipelined ahead of it", `^\* 1 FETCH \(FLAGS \(`, `* 1 FETCH (FLAGS (\Flagged `),
			},
			Run: func(t *conformance.T) {
				w := watchMailbox(t, "pipe-four", 1)
				fetch := w.s.Send("FETCH", wire.Atom("1"), listOf("FLAGS"))
				store := w.s.Send("STORE", wire.Atom("1"), wire.Atom("+FLAGS"), listOf(`\Flagged`))
				search := w.s.Send("SEARCH", wire.Atom("FLAGGED"))
				check := w.s.Send("CHECK")
				r := pipelined(w.s, "OK", fetch, store, search, check)
				all := flagsInOrder(r, 1)
				if len(all) == 0 {
					t.Mismatch([]string{"* 1 FETCH (FLAGS (...))"}, describeUntagged(r), "%s", r.Command)
				}
				if containsFold(all[0], `\Flagged`) {
					t.Mismatch([]string{`FLAGS without \Flagged first: the STORE comes after the FETCH`}, "FLAGS ("+strings.Join(all[0], " ")+")",
						"FETCH pipelined before STORE 1 +FLAGS (\\Flagged)")
				}
				if got := searchNumbers(t, r); len(got) != 1 || got[0] != 1 {
					t.Mismatch([]string{"* SEARCH 1"}, show1(r.All("SEARCH")[0]), "SEARCH FLAGGED pipelined after STORE 1 +FLAGS (\\Flagged)")
				}
			},
		}, {
			Name:  "pipelined-store-copy-expunge-in-order",
			Title: "STORE, COPY and EXPUNGE pipelined: the copy is made before the original is expunged",
			Level: conformance.Must,
			Sentence: `The following are examples of valid non-waiting command sequences: ... STORE + COPY + EXPUNGE` + "\n" +
				`If the server detects a possible ambiguity, it MUST execute commands to completion in the order given by the client.`,
			Commands:  []string{"STORE", "COPY", "EXPUNGE", "STATUS"},
			Responses: []string{"EXPUNGE", "STATUS"},
			Faults: []fault.Fault{
				fault.RewriteResponse("EXPUNGE ran before the COPY pipelined ahead of it", "", `^(\S+) OK COPY completed`, "$1 NO COPY failed: no such message"),
			},
			Run: func(t *conformance.T) {
				w := watchMailbox(t, "pipe-copy", 2)
				dest := t.Mailbox(0)
				store := w.s.Send("STORE", wire.Atom("1"), wire.Atom("+FLAGS.SILENT"), listOf(`\Deleted`))
				cp := w.s.Send("COPY", wire.Atom("1"), wire.Astring(dest))
				expunge := w.s.Send("EXPUNGE")
				w.m.apply(pipelined(w.s, "OK", store, cp, expunge))
				if w.m.count() != 1 {
					t.Mismatch([]string{"* 1 EXPUNGE"}, fmt.Sprintf("%d messages left", w.m.count()), "EXPUNGE after STORE 1 +FLAGS.SILENT (\\Deleted)")
				}
				if n := statusItem(t, t.Login(0), dest, "MESSAGES"); n != 1 {
					t.Mismatch([]string{"MESSAGES 1 in the destination"}, fmt.Sprintf("MESSAGES %d", n), "STATUS of the mailbox COPY 1 wrote to")
				}
			},
		}},
	}
}

func expungeResponses() conformance.Section {
	const duringSentence = `An EXPUNGE response MUST NOT be sent when no command is in progress, nor while responding to
a FETCH, STORE, or SEARCH command.  This rule is necessary to prevent a loss of synchronization of
message sequence numbers between client and server.`
	during := func(name, title, command, line, want string) conformance.Case {
		return conformance.Case{
			Name:      name,
			Title:     title,
			Level:     conformance.Must,
			Sentence:  duringSentence,
			Commands:  []string{command, "EXPUNGE", "NOOP"},
			Responses: []string{"EXPUNGE"},
			Faults: []fault.Fault{
				fault.InsertBefore("EXPUNGE sent during "+command, command, `^[^*+]\S* (OK|NO) `, "* 2 EXPUNGE\r\n"),
			},
			Run: func(t *conformance.T) {
				w := watchMailbox(t, "during-"+strings.ToLower(command), 3)
				expungeElsewhere(t, w.name, "2")
				noExpungeIn(t, w.s.Tx(want, line))
				r := w.s.Tx("OK", "NOOP")
				w.m.apply(r)
				if w.m.count() != 2 {
					t.Mismatch([]string{"* 2 EXPUNGE"}, describeUntagged(r), "NOOP after another session expunged message 2 of 3")
				}
				w.m.verify(w.s, "FETCH 1:2 (UID)")
			},
		}
	}
	return conformance.Section{
		Number: "7.4.1",
		Title:  "EXPUNGE Response",
		Cases: []conformance.Case{
			// RFC 2180 section 4.1 lets FETCH and STORE of a message
			// expunged elsewhere answer NO.
			during("no-expunge-during-fetch", "An expunge by another session is not reported during FETCH, but at the next NOOP",
				"FETCH", "FETCH 1:3 (UID FLAGS)", "OK|NO"),
			during("no-expunge-during-store", "An expunge by another session is not reported during STORE, but at the next NOOP",
				"STORE", `STORE 1:3 +FLAGS (\Seen)`, "OK|NO"),
			during("no-expunge-during-search", "An expunge by another session is not reported during SEARCH, but at the next NOOP",
				"SEARCH", "SEARCH ALL", "OK"),
			{
				Name:  "no-expunge-during-literal-continuation",
				Title: "An expunge made while a SEARCH waits for its literal is reported neither then nor during the SEARCH",
				Level: conformance.Must,
				Sentence: `A command is not "in progress" until the complete command has been received; in particular, a
command is not "in progress" during the negotiation of command continuation.`,
				Commands:  []string{"SEARCH", "EXPUNGE", "NOOP"},
				Responses: []string{"+", "EXPUNGE", "SEARCH"},
				Faults: []fault.Fault{
					fault.InsertBefore("EXPUNGE sent during SEARCH", "SEARCH", `^[^*+]\S* OK `, "* 2 EXPUNGE\r\n"),
					fault.InsertBefore("EXPUNGE sent before the continuation request", "SEARCH", `^\+`, "* 2 EXPUNGE\r\n"),
				},
				Run: func(t *conformance.T) {
					w := watchMailbox(t, "continuation", 3)
					tag := w.s.Conn.NextTag()
					w.s.WriteRaw(tag+" SEARCH SUBJECT {12}\r\n", tag)
					for {
						r := w.s.ReadResponse()
						if r.Name == "EXPUNGE" {
							t.Mismatch([]string{"a continuation request (+)"}, show1(r), "an EXPUNGE response while SEARCH waited for its literal")
						}
						if r.Kind == grammar.Continuation {
							break
						}
						if r.Kind == grammar.Tagged {
							t.Mismatch([]string{"a continuation request (+)"}, show1(r), "SEARCH SUBJECT {12}")
						}
					}
					expungeElsewhere(t, w.name, "2")
					w.s.WriteRaw("continuation\r\n")
					r := w.s.WaitTag(tag, "OK")
					noExpungeIn(t, r)
					r = w.s.Tx("OK", "NOOP")
					w.m.apply(r)
					if w.m.count() != 2 {
						t.Mismatch([]string{"* 2 EXPUNGE"}, describeUntagged(r), "NOOP after another session expunged message 2 of 3")
					}
					w.m.verify(w.s, "FETCH 1:2 (UID)")
				},
			}, {
				Name:  "expunges-decrement-numbers-immediately",
				Title: "Several EXPUNGE responses each take effect before the next: together they name the removed messages",
				Level: conformance.Must,
				Sentence: `The message sequence number for each successive message in the mailbox is immediately
decremented by 1, and this decrement is reflected in message sequence numbers in subsequent
responses (including other untagged EXPUNGE responses).`,
				Commands:  []string{"EXPUNGE", "NOOP", "FETCH"},
				Responses: []string{"EXPUNGE", "FETCH"},
				Faults: []fault.Fault{
					fault.RewriteResponse("second EXPUNGE not decremented", "NOOP", `^\* 3 EXPUNGE`, "* 4 EXPUNGE"),
				},
				Run: func(t *conformance.T) {
					w := watchMailbox(t, "decrement", 5)
					expungeElsewhere(t, w.name, "2,4")
					r := w.s.Tx("OK", "NOOP")
					w.m.apply(r)
					if n := expungeCount(r); n != 2 {
						t.Mismatch([]string{"two EXPUNGE responses"}, describeUntagged(r), "NOOP after another session expunged messages 2 and 4 of 5")
					}
					w.m.verify(w.s, "FETCH 1:3 (UID)")
				},
			}, {
				Name:  "message-numbers-stable-until-expunge-reported",
				Title: "Until the EXPUNGE is reported, a session's message numbers still name the same messages",
				Level: conformance.Must,
				Sentence: `An EXPUNGE response MUST NOT be sent ... while responding to a FETCH, STORE, or SEARCH command.
This rule is necessary to prevent a loss of synchronization of message sequence numbers between
client and server.`,
				Commands:  []string{"EXPUNGE", "FETCH"},
				Responses: []string{"FETCH"},
				Faults: []fault.Fault{
					fault.Chain("messages renumbered before the EXPUNGE is reported",
						rewriteNth("drop 2", "FETCH", 2, `^\* 2 FETCH[^\r]*\r\n`, ""),
						rewriteNth("renumber 3", "FETCH", 2, `^\* 3 FETCH`, "* 2 FETCH")),
				},
				Run: func(t *conformance.T) {
					w := watchMailbox(t, "stable", 3)
					uids := append([]uint32(nil), w.m.uids...)
					expungeElsewhere(t, w.name, "2")
					r := w.s.Tx("OK|NO", "FETCH 1:3 (UID)")
					noExpungeIn(t, r)
					got := map[uint32]uint32{}
					for _, u := range r.All("FETCH") {
						if u.Fetch.Has("UID") {
							got[u.Number] = u.Fetch.UID
						}
					}
					for seq := uint32(1); seq <= 3; seq++ {
						uid, ok := got[seq]
						switch {
						case ok && uid != uids[seq-1]:
							t.Mismatch([]string{fmt.Sprintf("message %d is still UID %d", seq, uids[seq-1])}, fmt.Sprintf("message %d is UID %d", seq, uid),
								"FETCH 1:3 (UID) before the expunge of message 2 was reported")
						case !ok && seq != 2:
							// Only the expunged message may be left out
							// (RFC 2180 section 4.1).
							t.Mismatch([]string{fmt.Sprintf("* %d FETCH (UID %d)", seq, uids[seq-1])}, describeUntagged(r),
								"FETCH 1:3 (UID) before the expunge of message 2 was reported")
						}
					}
				},
			},
		},
	}
}
