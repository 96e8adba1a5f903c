package rfc3501

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"

	"github.com/imapgauge/imapgauge/conformance"
	"github.com/imapgauge/imapgauge/conformance/fault"
	"github.com/imapgauge/imapgauge/conformance/wire"
)

const expungeSentence = "The EXPUNGE command permanently removes all messages that have the \\Deleted flag set\n" +
	"from the currently selected mailbox.  Before returning an OK to the client, an untagged\n" +
	"EXPUNGE response is sent for each message that is removed."

// expungeRemovesNothing is the fault of an EXPUNGE that does nothing.
func expungeRemovesNothing() fault.Fault {
	return fault.RewriteCommand("EXPUNGE removes nothing", `^(\S+) EXPUNGE\r\n$`, "$1 NOOP\r\n")
}

// expungeWithoutDecrement renumbers the EXPUNGE responses of an EXPUNGE
// command as a server that forgets the immediate decrement would send
// them: the k-th response (from 0) names the message k places further,
// its number before the earlier removals. It assumes a server that removes
// from lower to higher numbers, as the reference server does.
func expungeWithoutDecrement() fault.Fault {
	re := regexp.MustCompile(`^\* (\d+) EXPUNGE\r\n$`)
	return fault.Fault{Name: "EXPUNGE responses without the immediate decrement", Response: func(s *fault.State, raw []byte) ([]byte, fault.Action) {
		m := re.FindSubmatch(raw)
		if m == nil || s.Command != "EXPUNGE" {
			return raw, fault.Forward
		}
		if s.Data["expunge-tag"] != s.Tag {
			s.Data["expunge-tag"], s.Data["expunge-count"] = s.Tag, 0
		}
		k := s.Data["expunge-count"].(int)
		s.Data["expunge-count"] = k + 1
		n, _ := strconv.Atoi(string(m[1]))
		return []byte(fmt.Sprintf("* %d EXPUNGE\r\n", n+k)), fault.Forward
	}}
}

// expungeAndFollow runs EXPUNGE, follows its EXPUNGE responses over the
// UIDs the session knew and fails the case unless they name valid
// messages, remove exactly the UIDs want keeps, and agree with the
// mailbox the server then lists. It returns the reply.
func expungeAndFollow(t *conformance.T, b *seededBox, want []uint32) *conformance.Reply {
	r := b.s.Tx("OK", "EXPUNGE")
	left, err := applyExpunges(b.uids, r)
	if err != nil {
		t.Mismatch([]string{"EXPUNGE responses naming messages that exist, each number decremented after every removal"},
			showUntagged(r), "EXPUNGE: %v", err)
	}
	if !slices.Equal(left, want) {
		t.Mismatch([]string{fmt.Sprintf("EXPUNGE responses leaving the messages with the UIDs %s", uidsText(want))},
			showUntagged(r), "EXPUNGE: following its responses leaves the UIDs %s", uidsText(left))
	}
	expectUIDs(t, b.s, "after EXPUNGE", want)
	return r
}

// pick returns the UIDs at the given sequence numbers.
func pick(uids []uint32, seqs ...int) []uint32 {
	out := make([]uint32, len(seqs))
	for i, s := range seqs {
		out[i] = uids[s-1]
	}
	return out
}

// expungeCommand checks RFC 3501 section 6.4.3.
func expungeCommand() []conformance.Section {
	return []conformance.Section{{
		Number: "6.4.3",
		Title:  "EXPUNGE Command",
		Cases: []conformance.Case{{
			Name:      "expunge-removes-deleted-messages",
			Title:     "EXPUNGE removes the messages flagged \\Deleted, reporting each",
			Level:     conformance.Must,
			Sentence:  expungeSentence,
			Commands:  []string{"EXPUNGE"},
			Responses: []string{"EXPUNGE", "OK"},
			Faults: []fault.Fault{
				expungeRemovesNothing(),
				dropFirst("one EXPUNGE response left out", "EXPUNGE", `^\* \d+ EXPUNGE`),
			},
			Run: func(t *conformance.T) {
				b := seedAndSelect(t, deletedMessages(4, 2, 4)...)
				expungeAndFollow(t, b, pick(b.uids, 1, 3))
			},
		}, {
			Name:      "expunge-keeps-messages-without-deleted",
			Title:     "EXPUNGE keeps every message without \\Deleted",
			Level:     conformance.Must,
			Sentence:  "The EXPUNGE command permanently removes all messages that have the \\Deleted flag set\nfrom the currently selected mailbox.",
			Commands:  []string{"EXPUNGE"},
			Responses: []string{"EXPUNGE"},
			Faults: []fault.Fault{
				alsoRuns("EXPUNGE also removes \\Seen messages", "EXPUNGE", func(string) []string {
					return []string{`STORE 1:* +FLAGS.SILENT (\Deleted)`}
				}),
			},
			Run: func(t *conformance.T) {
				msgs := deletedMessages(4, 3)
				msgs[0].flags = []string{`\Seen`, `\Flagged`}
				msgs[1].flags = []string{`\Answered`, `\Draft`}
				b := seedAndSelect(t, msgs...)
				expungeAndFollow(t, b, pick(b.uids, 1, 2, 4))
			},
		}, {
			Name:      "expunge-nothing-deleted-no-response",
			Title:     "EXPUNGE with no message flagged \\Deleted sends no EXPUNGE response",
			Level:     conformance.Must,
			Sentence:  expungeSentence,
			Commands:  []string{"EXPUNGE"},
			Responses: []string{"EXPUNGE", "OK"},
			Faults: []fault.Fault{
				fault.InsertBefore("EXPUNGE reports a removal that did not happen", "EXPUNGE", `^\S+ OK `, "* 1 EXPUNGE\r\n"),
			},
			Run: func(t *conformance.T) {
				b := seedAndSelect(t, numberedMessages(3)...)
				r := b.s.Tx("OK", "EXPUNGE")
				if len(r.All("EXPUNGE")) > 0 {
					t.Mismatch([]string{"no untagged EXPUNGE"}, showUntagged(r), "EXPUNGE with nothing flagged \\Deleted")
				}
				expectUIDs(t, b.s, "after EXPUNGE", b.uids)
			},
		}, {
			Name:      "expunge-every-message-empties-mailbox",
			Title:     "EXPUNGE of a mailbox where every message is \\Deleted leaves it empty",
			Level:     conformance.Must,
			Sentence:  expungeSentence,
			Commands:  []string{"EXPUNGE", "SEARCH"},
			Responses: []string{"EXPUNGE", "SEARCH"},
			Faults: []fault.Fault{
				dropFirst("one EXPUNGE response left out", "EXPUNGE", `^\* \d+ EXPUNGE`),
				expungeRemovesNothing(),
			},
			Run: func(t *conformance.T) {
				b := seedAndSelect(t, deletedMessages(3, 1, 2, 3)...)
				expungeAndFollow(t, b, nil)
			},
		}, {
			Name:      "expunge-examined-removes-nothing",
			Title:     "EXPUNGE in a mailbox opened with EXAMINE removes nothing",
			Level:     conformance.Must,
			Sentence:  "The selected mailbox is identified as read-only.  No changes to the permanent\nstate of the mailbox, including per-user state, are permitted;",
			Commands:  []string{"EXPUNGE", "EXAMINE", "SELECT"},
			Responses: []string{"NO", "EXPUNGE"},
			Faults: []fault.Fault{
				fault.RewriteCommand("EXAMINE opens read-write", `^(\S+) EXAMINE `, "$1 SELECT "),
			},
			Run: func(t *conformance.T) {
				b := seedAndOpen(t, "EXAMINE", deletedMessages(3, 1, 3)...)
				// The RFC names no result: a NO (section 6.4.3: "can't
				// expunge") or an OK that removed nothing both keep the
				// rule.
				r := b.s.Tx("OK|NO|BAD", "EXPUNGE")
				if len(r.All("EXPUNGE")) > 0 {
					t.Mismatch([]string{"no untagged EXPUNGE"}, showUntagged(r), "EXPUNGE in a read-only mailbox")
				}
				other := t.Login(0)
				other.Cmd("OK", "SELECT", wire.Astring(b.name))
				expectUIDs(t, other, "another session after EXPUNGE in a read-only mailbox", b.uids)
			},
		}, {
			Name:      "expunge-deleted-keyword-is-not-the-flag",
			Title:     "EXPUNGE keeps a message with the keyword Deleted but not the flag \\Deleted",
			Level:     conformance.Must,
			Sentence:  "The EXPUNGE command permanently removes all messages that have the \\Deleted flag set\nKeywords do not begin with \"\\\".",
			Commands:  []string{"EXPUNGE", "STORE"},
			Responses: []string{"EXPUNGE"},
			Faults: []fault.Fault{
				rewriteCommandOf("keyword Deleted stored as \\Deleted", "STORE", `\(Deleted\)`, `(\Deleted)`),
			},
			Run: func(t *conformance.T) {
				b := seedAndSelect(t, deletedMessages(3, 3)...)
				b.requireKeywords()
				b.s.Tx("OK", "STORE 1 +FLAGS.SILENT (Deleted)")
				expungeAndFollow(t, b, pick(b.uids, 1, 2))
			},
		}, {
			Name:      "expunge-with-argument-bad",
			Title:     "EXPUNGE with an argument is a BAD command and removes nothing",
			Level:     conformance.Must,
			Sentence:  "Arguments:  none\nBAD - command unknown or arguments invalid",
			Commands:  []string{"EXPUNGE"},
			Responses: []string{"BAD"},
			Faults: []fault.Fault{
				fault.RewriteCommand("argument ignored", `^(\S+) EXPUNGE 1\r\n$`, "$1 EXPUNGE\r\n"),
			},
			Run: func(t *conformance.T) {
				b := seedAndSelect(t, deletedMessages(2, 1)...)
				b.s.Tx("BAD", "EXPUNGE 1") // expunge = "EXPUNGE": no arguments.
				expectUIDs(t, b.s, "after a BAD EXPUNGE", b.uids)
			},
		}},
	}}
}

// expungeResponse checks RFC 3501 section 7.4.1 within one session; the
// rules across sessions are checked with section 5.
func expungeResponse() []conformance.Section {
	const decrement = "The message sequence number for each successive message in the mailbox is\nimmediately decremented by 1, and this decrement is reflected in message sequence\nnumbers in subsequent responses (including other untagged EXPUNGE responses)."
	return []conformance.Section{{
		Number: "7.4.1",
		Title:  "EXPUNGE Response",
		Cases: []conformance.Case{{
			Name:      "expunge-response-rfc-example",
			Title:     "Messages 3, 4, 7 and 11 of 11 expunged: the responses decrement as in the RFC's example",
			Level:     conformance.Must,
			Sentence:  decrement,
			Commands:  []string{"EXPUNGE"},
			Responses: []string{"EXPUNGE"},
			Faults:    []fault.Fault{expungeWithoutDecrement()},
			Run: func(t *conformance.T) {
				b := seedAndSelect(t, deletedMessages(11, 3, 4, 7, 11)...)
				r := expungeAndFollow(t, b, pick(b.uids, 1, 2, 5, 6, 8, 9, 10))
				if n := len(r.All("EXPUNGE")); n != 4 {
					t.Mismatch([]string{"4 untagged EXPUNGE responses"}, showUntagged(r), "EXPUNGE of 4 messages gave %d EXPUNGE responses", n)
				}
			},
		}, {
			Name:      "expunge-response-last-five-of-nine",
			Title:     "The last 5 of 9 messages expunged: 5 5 5 5 5, or 9 8 7 6 5, or any order that decrements",
			Level:     conformance.Must,
			Sentence:  "if the last 5 messages in a 9-message mailbox are expunged, a \"lower to higher\" server will\nsend five untagged EXPUNGE responses for message sequence number 5, whereas a \"higher to\nlower server\" will send successive untagged EXPUNGE responses for 9, 8, 7, 6, and 5.",
			Commands:  []string{"EXPUNGE"},
			Responses: []string{"EXPUNGE"},
			Faults:    []fault.Fault{expungeWithoutDecrement()},
			Run: func(t *conformance.T) {
				b := seedAndSelect(t, deletedMessages(9, 5, 6, 7, 8, 9)...)
				expungeAndFollow(t, b, pick(b.uids, 1, 2, 3, 4))
			},
		}, {
			Name:      "expunge-response-renumbers-later-commands",
			Title:     "After an EXPUNGE, commands use the decremented sequence numbers",
			Level:     conformance.Must,
			Sentence:  decrement,
			Commands:  []string{"EXPUNGE", "FETCH", "STORE"},
			Responses: []string{"EXPUNGE", "FETCH"},
			Faults: []fault.Fault{
				rewriteCommandOf("old numbers still used", "FETCH", `^(\S+) FETCH 2 `, "$1 UID FETCH 2 "),
			},
			Run: func(t *conformance.T) {
				b := seedAndSelect(t, deletedMessages(4, 2)...)
				b.s.Tx("OK", "EXPUNGE")
				// Message 2 is gone: number 2 is now the message with the
				// third UID.
				r := b.s.Tx("OK", "FETCH 2 (UID)")
				fs := messageFetches(r, 2)
				if len(fs) == 0 || fs[0].Fetch.UID != b.uids[2] {
					t.Mismatch([]string{fmt.Sprintf("* 2 FETCH (UID %d)", b.uids[2])}, showUntagged(r), "FETCH 2 (UID) after message 2 was expunged")
				}
			},
		}, {
			Name:      "expunge-response-exists-if-sent-is-decremented",
			Title:     "An EXISTS sent with EXPUNGE responses gives the decremented count",
			Level:     conformance.Must,
			Sentence:  "The EXPUNGE response also decrements the number of messages in the mailbox;\nit is not necessary to send an EXISTS response with the new value.",
			Commands:  []string{"EXPUNGE", "NOOP"},
			Responses: []string{"EXPUNGE", "EXISTS"},
			Faults: []fault.Fault{
				fault.InsertBefore("EXISTS repeats the count before the expunge", "EXPUNGE", `^\S+ OK `, "* 4 EXISTS\r\n"),
			},
			Run: func(t *conformance.T) {
				b := seedAndSelect(t, deletedMessages(4, 1, 2)...)
				count := 4
				for _, r := range []*conformance.Reply{b.s.Tx("OK", "EXPUNGE"), b.s.Tx("OK", "NOOP")} {
					// Follow the count through the responses in order: an
					// EXISTS sets it, an EXPUNGE decrements it.
					for _, u := range r.Untagged {
						switch u.Name {
						case "EXISTS":
							count = int(u.Number)
						case "EXPUNGE":
							count--
						}
					}
					if count != 2 {
						t.Mismatch([]string{"responses that leave 2 messages (EXISTS optional)"}, showUntagged(r),
							"%s: 2 of 4 messages were expunged, but the responses leave %d", r.Command, count)
					}
				}
			},
		}},
	}}
}
