package rfc3501

import (
	"fmt"
	"strings"

	"github.com/imapgauge/imapgauge/conformance"
	"github.com/imapgauge/imapgauge/conformance/fault"
)

const (
	storeFlagsSentence = "FLAGS <flag list>\nReplace the flags for the message (other than \\Recent) with the argument.\n" +
		"The new value of the flags is returned as if a FETCH of those flags was done."
	storePlusSentence = "+FLAGS <flag list>\nAdd the argument to the flags for the message.  The new value\n" +
		"of the flags is returned as if a FETCH of those flags was done."
	storeMinusSentence = "-FLAGS <flag list>\nRemove the argument from the flags for the message.  The new\n" +
		"value of the flags is returned as if a FETCH of those flags was done."
	storeSilentSentence = "A suffix of \".SILENT\" in the data item name prevents the untagged FETCH, and the server\n" +
		"SHOULD assume that the client has determined the updated value itself or does not care about the updated value."
	recentSentence = "\\Recent  Message is \"recently\" arrived in this mailbox. ...\nThis flag can not be altered by the client."
)

// storeAndExpect sends a STORE command line and fails the case unless its
// untagged FETCH for message seq gives the flags want (\Recent aside), and
// unless a later FETCH of the flags agrees.
func storeAndExpect(t *conformance.T, s *conformance.Session, line string, seq uint32, want ...string) {
	r := s.Tx("OK", line)
	got, ok := replyFlags(r, seq)
	if !ok {
		t.Mismatch([]string{fmt.Sprintf("* %d FETCH (FLAGS %s)", seq, flagListText(want))}, showUntagged(r),
			"%s: no untagged FETCH with the new flags of message %d", line, seq)
	}
	if !sameFlagSet(got, want) {
		t.Mismatch([]string{fmt.Sprintf("* %d FETCH (FLAGS %s) (in any order, \\Recent aside)", seq, flagListText(want))}, showUntagged(r),
			"%s: the FETCH response gives other flags", line)
	}
	expectFlags(t, s, seq, "after "+line, want...)
}

// expectFlags fails the case unless FETCH seq (FLAGS) gives the flags want,
// \Recent aside.
func expectFlags(t *conformance.T, s *conformance.Session, seq uint32, when string, want ...string) {
	r := s.Tx("OK", fmt.Sprintf("FETCH %d (FLAGS)", seq))
	got, ok := replyFlags(r, seq)
	if !ok || !sameFlagSet(got, want) {
		t.Mismatch([]string{fmt.Sprintf("* %d FETCH (FLAGS %s) (in any order, \\Recent aside)", seq, flagListText(want))}, showUntagged(r),
			"FETCH %d (FLAGS) %s", seq, when)
	}
}

// silentStore sends a .SILENT STORE command line and fails the case if it
// brings a FETCH response for message seq, then checks the flags did
// change to want.
func silentStore(t *conformance.T, s *conformance.Session, line string, seq uint32, want ...string) {
	r := s.Tx("OK", line)
	if fs := messageFetches(r, seq); len(fs) > 0 {
		t.Mismatch([]string{"no untagged FETCH for message " + fmt.Sprint(seq)}, fs[0].Raw, "%s: .SILENT returned the new value", line)
	}
	expectFlags(t, s, seq, "after "+line, want...)
}

// silentIgnored is the fault of a server that ignores .SILENT.
func silentIgnored() fault.Fault {
	return rewriteCommandOf(".SILENT ignored", "STORE", `FLAGS\.SILENT`, "FLAGS")
}

// silentDiscards is the fault of a server whose .SILENT STORE changes
// nothing.
func silentDiscards() fault.Fault {
	return rewriteCommandOf(".SILENT STORE changes nothing", "STORE", `FLAGS\.SILENT \(.*\)`, "FLAGS.SILENT ()")
}

// recentClearedByStore is the fault of a server that lets STORE -FLAGS
// clear \Recent: after such a STORE, FETCH responses lose the flag.
func recentClearedByStore() fault.Fault {
	strip := dropRecent("", "FETCH")
	return fault.Fault{
		Name: "STORE -FLAGS clears \\Recent",
		Command: func(s *fault.State, line []byte) ([]byte, fault.Action) {
			if commandWords(string(line)) == "STORE" && strings.Contains(string(line), `-FLAGS (\Recent)`) {
				s.Data["recent-cleared"] = true
			}
			return line, fault.Forward
		},
		Response: func(s *fault.State, raw []byte) ([]byte, fault.Action) {
			if s.Data["recent-cleared"] == true {
				return strip.Response(s, raw)
			}
			return raw, fault.Forward
		},
	}
}

// storeCommand checks RFC 3501 section 6.4.6.
func storeCommand() []conformance.Section {
	one := func(flags ...string) []seedMessage {
		msgs := numberedMessages(1)
		msgs[0].flags = flags
		return msgs
	}
	return []conformance.Section{{
		Number: "6.4.6",
		Title:  "STORE Command",
		Cases: []conformance.Case{{
			Name:      "store-flags-replaces-flags",
			Title:     "STORE FLAGS replaces the flags and returns the new value",
			Level:     conformance.Must,
			Sentence:  storeFlagsSentence,
			Commands:  []string{"STORE"},
			Responses: []string{"FETCH"},
			Faults: []fault.Fault{
				rewriteCommandOf("FLAGS read as +FLAGS", "STORE", ` FLAGS `, " +FLAGS "),
				fault.DropResponse("FETCH response left out", "STORE", `^\* \d+ FETCH`),
			},
			Run: func(t *conformance.T) {
				b := seedAndSelect(t, one(`\Seen`, `\Flagged`)...)
				storeAndExpect(t, b.s, `STORE 1 FLAGS (\Answered \Draft)`, 1, `\Answered`, `\Draft`)
			},
		}, {
			Name:      "store-plus-flags-adds",
			Title:     "STORE +FLAGS adds to the flags and returns the new value",
			Level:     conformance.Must,
			Sentence:  storePlusSentence,
			Commands:  []string{"STORE"},
			Responses: []string{"FETCH"},
			Faults: []fault.Fault{
				rewriteCommandOf("+FLAGS read as FLAGS", "STORE", ` \+FLAGS `, " FLAGS "),
				fault.DropResponse("FETCH response left out", "STORE", `^\* \d+ FETCH`),
			},
			Run: func(t *conformance.T) {
				b := seedAndSelect(t, one(`\Seen`)...)
				storeAndExpect(t, b.s, `STORE 1 +FLAGS (\Flagged \Answered)`, 1, `\Seen`, `\Flagged`, `\Answered`)
			},
		}, {
			Name:      "store-minus-flags-removes",
			Title:     "STORE -FLAGS removes from the flags and returns the new value",
			Level:     conformance.Must,
			Sentence:  storeMinusSentence,
			Commands:  []string{"STORE"},
			Responses: []string{"FETCH"},
			Faults: []fault.Fault{
				rewriteCommandOf("-FLAGS read as FLAGS", "STORE", ` -FLAGS `, " FLAGS "),
				fault.DropResponse("FETCH response left out", "STORE", `^\* \d+ FETCH`),
			},
			Run: func(t *conformance.T) {
				b := seedAndSelect(t, one(`\Seen`, `\Flagged`, `\Draft`)...)
				storeAndExpect(t, b.s, `STORE 1 -FLAGS (\Seen \Draft)`, 1, `\Flagged`)
			},
		}, {
			Name:      "store-minus-absent-flag-changes-nothing",
			Title:     "STORE -FLAGS of a flag the message does not have leaves its flags as they were",
			Level:     conformance.Must,
			Sentence:  storeMinusSentence,
			Commands:  []string{"STORE", "FETCH"},
			Responses: []string{"FETCH"},
			Faults: []fault.Fault{
				rewriteCommandOf("-FLAGS read as FLAGS", "STORE", ` -FLAGS `, " FLAGS "),
			},
			Run: func(t *conformance.T) {
				b := seedAndSelect(t, one(`\Seen`, `\Answered`)...)
				// Nothing changes, so a server may have no new value to
				// return ("Normally, STORE will return the updated
				// value"); one it sends must be right.
				r := b.s.Tx("OK", `STORE 1 -FLAGS (\Draft)`)
				if got, ok := replyFlags(r, 1); ok && !sameFlagSet(got, []string{`\Seen`, `\Answered`}) {
					t.Mismatch([]string{`no FETCH`, `* 1 FETCH (FLAGS (\Seen \Answered))`}, showUntagged(r), "STORE 1 -FLAGS (\\Draft)")
				}
				expectFlags(t, b.s, 1, "after removing a flag the message does not have", `\Seen`, `\Answered`)
			},
		}, {
			Name:      "store-rfc-example-range",
			Title:     "STORE 2:4 +FLAGS (\\Deleted) returns a FETCH for each of the three messages",
			Level:     conformance.Must,
			Sentence:  "Example:    C: A003 STORE 2:4 +FLAGS (\\Deleted)\n            S: * 2 FETCH (FLAGS (\\Deleted \\Seen))  S: * 3 FETCH (FLAGS (\\Deleted))\n            S: * 4 FETCH (FLAGS (\\Deleted \\Flagged \\Seen))",
			Commands:  []string{"STORE"},
			Responses: []string{"FETCH"},
			Faults: []fault.Fault{
				fault.DropResponse("FETCH for message 3 left out", "STORE", `^\* 3 FETCH`),
				rewriteCommandOf("range cut to its first message", "STORE", ` 2:4 `, " 2 "),
			},
			Run: func(t *conformance.T) {
				msgs := numberedMessages(4)
				msgs[0].flags = []string{`\Answered`}
				msgs[1].flags = []string{`\Seen`}
				msgs[3].flags = []string{`\Flagged`, `\Seen`}
				b := seedAndSelect(t, msgs...)
				r := b.s.Tx("OK", `STORE 2:4 +FLAGS (\Deleted)`)
				want := map[uint32][]string{2: {`\Deleted`, `\Seen`}, 3: {`\Deleted`}, 4: {`\Deleted`, `\Flagged`, `\Seen`}}
				for seq := uint32(2); seq <= 4; seq++ {
					if got, ok := replyFlags(r, seq); !ok || !sameFlagSet(got, want[seq]) {
						t.Mismatch([]string{fmt.Sprintf("* %d FETCH (FLAGS %s)", seq, flagListText(want[seq]))}, showUntagged(r),
							"STORE 2:4 +FLAGS (\\Deleted): message %d", seq)
					}
				}
				expectFlags(t, b.s, 1, "after STORE 2:4", `\Answered`)
			},
		}, {
			Name:      "store-star-is-last-message",
			Title:     "STORE * changes the last message only",
			Level:     conformance.Must,
			Sentence:  "* represents the largest number in use.  In the case of message sequence\nnumbers, it is the number of messages in a non-empty mailbox.",
			Commands:  []string{"STORE", "SEARCH"},
			Responses: []string{"FETCH", "SEARCH"},
			Faults: []fault.Fault{
				rewriteCommandOf("* read as 1", "STORE", `STORE \* `, "STORE 1 "),
			},
			Run: func(t *conformance.T) {
				b := seedAndSelect(t, numberedMessages(3)...)
				storeAndExpect(t, b.s, `STORE * +FLAGS (\Flagged)`, 3, `\Flagged`)
				expectSearch(t, b.s, "SEARCH FLAGGED", 3)
			},
		}, {
			Name:      "store-flags-silent-no-fetch",
			Title:     "STORE FLAGS.SILENT replaces the flags without a FETCH response",
			Level:     conformance.Must,
			Sentence:  "FLAGS.SILENT <flag list>\nEquivalent to FLAGS, but without returning a new value.",
			Commands:  []string{"STORE"},
			Responses: []string{"FETCH"},
			Faults:    []fault.Fault{silentIgnored(), silentDiscards()},
			Run: func(t *conformance.T) {
				b := seedAndSelect(t, one(`\Seen`)...)
				silentStore(t, b.s, `STORE 1 FLAGS.SILENT (\Flagged)`, 1, `\Flagged`)
			},
		}, {
			Name:      "store-plus-flags-silent-no-fetch",
			Title:     "STORE +FLAGS.SILENT adds flags without a FETCH response",
			Level:     conformance.Must,
			Sentence:  "+FLAGS.SILENT <flag list>\nEquivalent to +FLAGS, but without returning a new value.",
			Commands:  []string{"STORE"},
			Responses: []string{"FETCH"},
			Faults:    []fault.Fault{silentIgnored(), silentDiscards()},
			Run: func(t *conformance.T) {
				b := seedAndSelect(t, one(`\Seen`)...)
				silentStore(t, b.s, `STORE 1 +FLAGS.SILENT (\Flagged)`, 1, `\Seen`, `\Flagged`)
			},
		}, {
			Name:      "store-minus-flags-silent-no-fetch",
			Title:     "STORE -FLAGS.SILENT removes flags without a FETCH response",
			Level:     conformance.Must,
			Sentence:  "-FLAGS.SILENT <flag list>\nEquivalent to -FLAGS, but without returning a new value.",
			Commands:  []string{"STORE"},
			Responses: []string{"FETCH"},
			Faults:    []fault.Fault{silentIgnored(), silentDiscards()},
			Run: func(t *conformance.T) {
				b := seedAndSelect(t, one(`\Seen`, `\Flagged`)...)
				silentStore(t, b.s, `STORE 1 -FLAGS.SILENT (\Seen)`, 1, `\Flagged`)
			},
		}, {
			Name:      "store-silent-range-no-fetch",
			Title:     "STORE 1:* +FLAGS.SILENT sends no FETCH for any message",
			Level:     conformance.Must,
			Sentence:  storeSilentSentence,
			Commands:  []string{"STORE", "SEARCH"},
			Responses: []string{"FETCH", "SEARCH"},
			Faults:    []fault.Fault{silentIgnored(), silentDiscards()},
			Run: func(t *conformance.T) {
				b := seedAndSelect(t, numberedMessages(3)...)
				r := b.s.Tx("OK", `STORE 1:* +FLAGS.SILENT (\Answered)`)
				if fs := r.All("FETCH"); len(fs) > 0 {
					t.Mismatch([]string{"no untagged FETCH"}, fs[0].Raw, "STORE 1:* +FLAGS.SILENT")
				}
				expectSearch(t, b.s, "SEARCH ANSWERED", 1, 2, 3)
			},
		}, {
			Name:      "store-keyword-added",
			Title:     "STORE +FLAGS adds a keyword, returned with the flags",
			Level:     conformance.Must,
			Sentence:  storePlusSentence,
			Commands:  []string{"STORE"},
			Responses: []string{"FETCH"},
			Faults: []fault.Fault{
				rewriteCommandOf("keyword dropped", "STORE", `\(\$Label1 \\Flagged\)`, `(\Flagged)`),
			},
			Run: func(t *conformance.T) {
				b := seedAndSelect(t, one(`\Seen`)...)
				b.requireKeywords()
				storeAndExpect(t, b.s, `STORE 1 +FLAGS ($Label1 \Flagged)`, 1, `\Seen`, `$Label1`, `\Flagged`)
			},
		}, {
			Name:      "store-keyword-removed",
			Title:     "STORE -FLAGS removes a keyword and leaves the others",
			Level:     conformance.Must,
			Sentence:  storeMinusSentence,
			Commands:  []string{"STORE"},
			Responses: []string{"FETCH"},
			Faults: []fault.Fault{
				rewriteCommandOf("-FLAGS of a keyword ignored", "STORE", `-FLAGS \(\$Label1\)`, `-FLAGS ($Other)`),
			},
			Run: func(t *conformance.T) {
				b := seedAndSelect(t, numberedMessages(1)...)
				b.requireKeywords()
				b.s.Tx("OK", `STORE 1 +FLAGS.SILENT ($Label1 $Label2)`)
				storeAndExpect(t, b.s, `STORE 1 -FLAGS ($Label1)`, 1, `$Label2`)
			},
		}, {
			Name:      "store-flags-without-parentheses",
			Title:     "STORE accepts flags without parentheses",
			Level:     conformance.Must,
			Sentence:  "store-att-flags = ([\"+\" / \"-\"] \"FLAGS\" [\".SILENT\"]) SP\n                  (flag-list / (flag *(SP flag)))",
			Commands:  []string{"STORE"},
			Responses: []string{"FETCH", "OK"},
			Faults: []fault.Fault{
				fault.RewriteResponse("flags without parentheses refused", "STORE", `^(\S+) OK .*\r\n$`, "$1 BAD Missing '('\r\n"),
			},
			Run: func(t *conformance.T) {
				b := seedAndSelect(t, numberedMessages(1)...)
				storeAndExpect(t, b.s, `STORE 1 +FLAGS \Seen \Flagged`, 1, `\Seen`, `\Flagged`)
			},
		}, {
			Name:      "store-system-flag-case-insensitive",
			Title:     "STORE of \\fLaGgEd sets the system flag \\Flagged",
			Level:     conformance.Must,
			Sentence:  "flag = \"\\Answered\" / \"\\Flagged\" / \"\\Deleted\" / \"\\Seen\" / \"\\Draft\" / flag-keyword / flag-extension\n(ABNF strings are case-insensitive: RFC 2234 section 2.3)",
			Commands:  []string{"STORE", "SEARCH"},
			Responses: []string{"FETCH", "SEARCH"},
			Faults: []fault.Fault{
				rewriteCommandOf("system flag taken as a keyword", "STORE", `\\fLaGgEd`, "fLaGgEd"),
			},
			Run: func(t *conformance.T) {
				b := seedAndSelect(t, numberedMessages(2)...)
				r := b.s.Tx("OK|BAD", `STORE 2 +FLAGS.SILENT (\fLaGgEd)`)
				if r.Status() != "OK" {
					t.Mismatch([]string{"tagged OK"}, r.Tagged.Raw, "\\fLaGgEd is \\Flagged")
				}
				expectSearch(t, b.s, "SEARCH FLAGGED", 2)
			},
		}, {
			Name:      "store-recent-refused",
			Title:     "STORE +FLAGS (\\Recent) is refused",
			Level:     conformance.Must,
			Sentence:  recentSentence + "\nflag = ... ; Does not include \"\\Recent\"",
			Commands:  []string{"STORE"},
			Responses: []string{"BAD", "NO"},
			Faults: []fault.Fault{
				fault.RewriteResponse("\\Recent stored", "STORE", `^(\S+) (BAD|NO) .*\r\n$`, "* 1 FETCH (FLAGS (\\Recent))\r\n$1 OK STORE completed\r\n"),
			},
			Run: func(t *conformance.T) {
				b := seedAndSelect(t, numberedMessages(1)...)
				b.s.Tx("BAD|NO", `STORE 1 +FLAGS (\Recent)`)
			},
		}, {
			Name:      "store-minus-recent-keeps-recent",
			Title:     "STORE -FLAGS (\\Recent) does not clear \\Recent",
			Level:     conformance.Must,
			Sentence:  recentSentence,
			Commands:  []string{"STORE", "FETCH"},
			Responses: []string{"FETCH"},
			Faults:    []fault.Fault{recentClearedByStore()},
			Run: func(t *conformance.T) {
				b := seedAndSelect(t, numberedMessages(1)...)
				if !flagListed(messageFlags(t, b.s, 1), `\Recent`) {
					t.Skipf("the message is not \\Recent in the session that appended and selected it")
				}
				b.s.Tx("", `STORE 1 -FLAGS (\Recent)`) // BAD or NO; the flag is what counts.
				if flags := messageFlags(t, b.s, 1); !flagListed(flags, `\Recent`) {
					t.Mismatch([]string{"* 1 FETCH (FLAGS (\\Recent))"}, "* 1 FETCH (FLAGS "+flagListText(flags)+")", "STORE -FLAGS (\\Recent) cleared \\Recent")
				}
			},
		}, {
			Name:      "store-flags-keep-recent",
			Title:     "STORE FLAGS () replaces every flag but \\Recent",
			Level:     conformance.Must,
			Sentence:  storeFlagsSentence,
			Commands:  []string{"STORE"},
			Responses: []string{"FETCH"},
			Faults:    []fault.Fault{dropRecent("\\Recent replaced", "STORE")},
			Run: func(t *conformance.T) {
				b := seedAndSelect(t, one(`\Seen`, `\Draft`)...)
				if !flagListed(messageFlags(t, b.s, 1), `\Recent`) {
					t.Skipf("the message is not \\Recent in the session that appended and selected it")
				}
				r := b.s.Tx("OK", `STORE 1 FLAGS ()`)
				flags, ok := replyFlags(r, 1)
				if !ok || len(flagsButRecent(flags)) != 0 || !flagListed(flags, `\Recent`) {
					t.Mismatch([]string{`* 1 FETCH (FLAGS (\Recent))`}, showUntagged(r), "STORE 1 FLAGS () of a \\Recent message")
				}
			},
		}, {
			Name:      "store-examined-changes-nothing",
			Title:     "STORE in a mailbox opened with EXAMINE changes no flag",
			Level:     conformance.Must,
			Sentence:  "The selected mailbox is identified as read-only.  No changes to the permanent\nstate of the mailbox, including per-user state, are permitted;",
			Commands:  []string{"STORE", "EXAMINE"},
			Responses: []string{"NO", "FETCH"},
			Faults: []fault.Fault{
				fault.RewriteCommand("EXAMINE opens read-write", `^(\S+) EXAMINE `, "$1 SELECT "),
			},
			Run: func(t *conformance.T) {
				b := seedAndOpen(t, "EXAMINE", one(`\Seen`)...)
				// The RFC names no result: NO, or an OK that changed
				// nothing, both keep the rule.
				b.s.Tx("OK|NO|BAD", `STORE 1 +FLAGS (\Flagged)`)
				expectFlags(t, b.s, 1, "after STORE in a read-only mailbox", `\Seen`)
			},
		}, {
			Name:      "store-beyond-mailbox-bad",
			Title:     "STORE of a message number beyond the mailbox is a BAD",
			Level:     conformance.Should,
			Sentence:  "The server should respond with a tagged BAD response to a command that uses a message\nsequence number greater than the number of messages in the selected mailbox.",
			Commands:  []string{"STORE"},
			Responses: []string{"BAD"},
			Faults: []fault.Fault{
				fault.RewriteResponse("number beyond the mailbox ignored", "STORE", `^(\S+) BAD `, "$1 OK "),
			},
			Run: func(t *conformance.T) {
				b := seedAndSelect(t, numberedMessages(2)...)
				b.s.Tx("BAD", `STORE 3 +FLAGS (\Seen)`)
			},
		}, {
			Name:      "store-unknown-data-item-bad",
			Title:     "STORE with an unknown data item is a BAD",
			Level:     conformance.Must,
			Sentence:  "store-att-flags = ([\"+\" / \"-\"] \"FLAGS\" [\".SILENT\"]) SP ...\nBAD - command unknown or arguments invalid",
			Commands:  []string{"STORE"},
			Responses: []string{"BAD"},
			Faults: []fault.Fault{
				fault.RewriteResponse("unknown data item answered OK", "STORE", `^(\S+) BAD `, "$1 OK "),
			},
			Run: func(t *conformance.T) {
				b := seedAndSelect(t, numberedMessages(1)...)
				b.s.Tx("BAD", `STORE 1 FLAGZ (\Seen)`)
			},
		}},
	}}
}
