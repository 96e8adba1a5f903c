package rfc3501

import (
	"fmt"

	"github.com/imapgauge/imapgauge/conformance"
	"github.com/imapgauge/imapgauge/conformance/fault"
	"github.com/imapgauge/imapgauge/conformance/wire"
)

const (
	uidImplicitSentence = "server implementations MUST implicitly include the UID message data item as part\n" +
		"of any FETCH response caused by a UID command, regardless of whether a UID was\nspecified as a message data item to the FETCH."
	uidIgnoredSentence = "A non-existent unique identifier is ignored without any error message generated.\n" +
		"Thus, it is possible for a UID FETCH command to return an OK without any data or a\nUID COPY or UID STORE to return an OK without performing any operations."
	uidStarSentence = "Also note that a UID range of 559:* always includes the UID of the last message in\n" +
		"the mailbox, even if 559 is higher than any assigned UID value."
)

// uidGapped seeds five numbered messages and expunges messages 1 and 3, so
// that the mailbox holds "message 2", "message 4" and "message 5" at
// sequence numbers 1 to 3, and its UIDs have gaps and differ from the
// sequence numbers. It returns the box, whose uids are updated.
func uidGapped(t *conformance.T) *seededBox {
	b := seedAndSelect(t, deletedMessages(5, 1, 3)...)
	t.Setup(func() {
		b.s.Tx("OK", "EXPUNGE")
		b.uids = pick(b.uids, 2, 4, 5)
	})
	return b
}

// uidFetches sends a UID FETCH command line and returns, by sequence
// number, the UID each FETCH response carries (0 when it has none).
func uidFetches(s *conformance.Session, line string) (map[uint32]uint32, *conformance.Reply) {
	r := s.Tx("OK", line)
	got := map[uint32]uint32{}
	for _, f := range r.All("FETCH") {
		got[f.Number] = f.Fetch.UID
	}
	return got, r
}

// expectUIDFetch fails the case unless the FETCH responses of r are
// exactly one per message in want (sequence number to UID), each carrying
// its UID.
func expectUIDFetch(t *conformance.T, r *conformance.Reply, got, want map[uint32]uint32) {
	ok := len(got) == len(want) && len(r.All("FETCH")) == len(want)
	for seq, uid := range want {
		if got[seq] != uid {
			ok = false
		}
	}
	if !ok {
		var expected []string
		for seq := uint32(1); seq <= 10; seq++ {
			if uid, found := want[seq]; found {
				expected = append(expected, fmt.Sprintf("* %d FETCH (UID %d ...)", seq, uid))
			}
		}
		if len(expected) == 0 {
			expected = []string{"no FETCH response"}
		}
		t.Mismatch([]string{fmt.Sprint(expected)}, showUntagged(r), "%s", r.Command)
	}
}

// stripUID removes the UID item from the FETCH responses to UID commands,
// as a server that forgets to include it would send them.
func stripUID() fault.Fault {
	return fault.Chain("UID left out of the FETCH responses",
		fault.RewriteResponse("", "UID", `UID \d+ `, ""),
		fault.RewriteResponse("", "UID", ` UID \d+\)`, ")"))
}

// uidCommand checks RFC 3501 section 6.4.8.
func uidCommand() []conformance.Section {
	return []conformance.Section{{
		Number: "6.4.8",
		Title:  "UID Command",
		Cases: []conformance.Case{{
			Name:      "uid-fetch-includes-uid",
			Title:     "UID FETCH returns the UID even when not asked for",
			Level:     conformance.Must,
			Sentence:  uidImplicitSentence,
			Commands:  []string{"UID", "FETCH"},
			Responses: []string{"FETCH"},
			Faults:    []fault.Fault{stripUID()},
			Run: func(t *conformance.T) {
				b := uidGapped(t)
				got, r := uidFetches(b.s, fmt.Sprintf("UID FETCH %d FLAGS", b.uids[1]))
				expectUIDFetch(t, r, got, map[uint32]uint32{2: b.uids[1]})
			},
		}, {
			Name:      "uid-fetch-number-is-sequence-number",
			Title:     "The number of a FETCH response to UID FETCH is the sequence number, not the UID",
			Level:     conformance.Must,
			Sentence:  "The number after the \"*\" in an untagged FETCH response is always a message sequence\nnumber, not a unique identifier, even for a UID command response.",
			Commands:  []string{"UID", "FETCH"},
			Responses: []string{"FETCH"},
			Faults: []fault.Fault{
				fault.RewriteResponse("UID sent as the message number", "UID", `^\* \d+ FETCH \(UID (\d+)`, "* $1 FETCH (UID $1"),
			},
			Run: func(t *conformance.T) {
				b := uidGapped(t)
				got, r := uidFetches(b.s, fmt.Sprintf("UID FETCH %d (UID FLAGS)", b.uids[2]))
				expectUIDFetch(t, r, got, map[uint32]uint32{3: b.uids[2]})
			},
		}, {
			Name:      "uid-fetch-range-across-gaps",
			Title:     "A UID range whose ends do not exist returns the messages between them",
			Level:     conformance.Must,
			Sentence:  "Sequence set ranges are permitted, but there is no guarantee that unique identifiers\nwill be contiguous.",
			Commands:  []string{"UID", "FETCH"},
			Responses: []string{"FETCH"},
			Faults: []fault.Fault{
				dropFirst("one message of the range left out", "UID", `^\* \d+ FETCH`),
			},
			Run: func(t *conformance.T) {
				b := uidGapped(t)
				// The first and third UIDs of the seeding were expunged.
				lo, hi := b.uids[0]-1, b.uids[2]+5
				got, r := uidFetches(b.s, fmt.Sprintf("UID FETCH %d:%d FLAGS", lo, hi))
				expectUIDFetch(t, r, got, map[uint32]uint32{1: b.uids[0], 2: b.uids[1], 3: b.uids[2]})
			},
		}, {
			Name:      "uid-fetch-reversed-range",
			Title:     "UID FETCH hi:lo returns the same messages as lo:hi",
			Level:     conformance.Must,
			Sentence:  "seq-range = seq-number \":\" seq-number\n; two seq-number values and all values between these two regardless of order.",
			Commands:  []string{"UID", "FETCH"},
			Responses: []string{"FETCH"},
			Faults: []fault.Fault{
				rewriteCommandOf("reversed range read as its first end", "UID FETCH", `FETCH (\d+):\d+ `, "FETCH $1 "),
			},
			Run: func(t *conformance.T) {
				b := uidGapped(t)
				got, r := uidFetches(b.s, fmt.Sprintf("UID FETCH %d:%d FLAGS", b.uids[2], b.uids[0]))
				expectUIDFetch(t, r, got, map[uint32]uint32{1: b.uids[0], 2: b.uids[1], 3: b.uids[2]})
			},
		}, {
			Name:      "uid-fetch-nonexistent-ok-empty",
			Title:     "UID FETCH of UIDs no message has is an OK without data",
			Level:     conformance.Must,
			Sentence:  uidIgnoredSentence,
			Commands:  []string{"UID", "FETCH"},
			Responses: []string{"OK", "FETCH"},
			Faults: []fault.Fault{
				fault.RewriteResponse("nonexistent UIDs answered NO", "UID", `^(\S+) OK `, "$1 NO "),
			},
			Run: func(t *conformance.T) {
				b := uidGapped(t)
				got, r := uidFetches(b.s, fmt.Sprintf("UID FETCH %d,%d:%d FLAGS", b.uids[0]-1, b.uids[2]+100, b.uids[2]+200))
				expectUIDFetch(t, r, got, map[uint32]uint32{})
			},
		}, {
			Name:      "uid-fetch-range-to-star-beyond-last",
			Title:     "UID FETCH n:* with n above every UID returns the last message",
			Level:     conformance.Must,
			Sentence:  uidStarSentence,
			Commands:  []string{"UID", "FETCH"},
			Responses: []string{"FETCH"},
			Faults: []fault.Fault{
				fault.DropResponse("n:* beyond the last UID matches nothing", "UID", `^\* \d+ FETCH`),
			},
			Run: func(t *conformance.T) {
				b := uidGapped(t)
				got, r := uidFetches(b.s, fmt.Sprintf("UID FETCH %d:* (FLAGS)", b.uids[2]+1000))
				expectUIDFetch(t, r, got, map[uint32]uint32{3: b.uids[2]})
			},
		}, {
			Name:      "uid-fetch-star-empty-mailbox-ok",
			Title:     "UID FETCH 1:* in an empty mailbox is an OK without data",
			Level:     conformance.Must,
			Sentence:  uidIgnoredSentence,
			Commands:  []string{"UID", "FETCH"},
			Responses: []string{"OK"},
			Faults: []fault.Fault{
				fault.RewriteResponse("empty mailbox answered BAD", "UID", `^(\S+) OK `, "$1 BAD "),
			},
			Run: func(t *conformance.T) {
				b := seedAndSelect(t)
				got, r := uidFetches(b.s, "UID FETCH 1:* (FLAGS)")
				expectUIDFetch(t, r, got, map[uint32]uint32{})
			},
		}, {
			Name:      "uid-store-includes-uid",
			Title:     "UID STORE returns the UID with the new flags",
			Level:     conformance.Must,
			Sentence:  uidImplicitSentence,
			Commands:  []string{"UID", "STORE"},
			Responses: []string{"FETCH"},
			Faults:    []fault.Fault{stripUID()},
			Run: func(t *conformance.T) {
				b := uidGapped(t)
				r := b.s.Tx("OK", fmt.Sprintf(`UID STORE %d +FLAGS (\Flagged)`, b.uids[1]))
				fs := messageFetches(r, 2)
				if len(fs) != 1 || fs[0].Fetch.UID != b.uids[1] || !flagListed(fs[0].Fetch.Flags, `\Flagged`) {
					t.Mismatch([]string{fmt.Sprintf(`* 2 FETCH (UID %d FLAGS (\Flagged ...))`, b.uids[1])}, showUntagged(r), "%s", r.Command)
				}
			},
		}, {
			Name:      "uid-store-silent-no-fetch",
			Title:     "UID STORE +FLAGS.SILENT changes the flags without a FETCH response",
			Level:     conformance.Must,
			Sentence:  "+FLAGS.SILENT <flag list>\nEquivalent to +FLAGS, but without returning a new value.",
			Commands:  []string{"UID", "STORE", "SEARCH"},
			Responses: []string{"FETCH", "SEARCH"},
			Faults: []fault.Fault{
				rewriteCommandOf(".SILENT ignored", "UID STORE", `FLAGS\.SILENT`, "FLAGS"),
				rewriteCommandOf("UID read as a sequence number", "UID STORE", `^(\S+) UID STORE `, "$1 STORE "),
			},
			Run: func(t *conformance.T) {
				b := uidGapped(t)
				r := b.s.Tx("OK", fmt.Sprintf(`UID STORE %d +FLAGS.SILENT (\Answered)`, b.uids[2]))
				if fs := r.All("FETCH"); len(fs) > 0 {
					t.Mismatch([]string{"no untagged FETCH"}, fs[0].Raw, "%s", r.Command)
				}
				expectSearch(t, b.s, "SEARCH ANSWERED", 3)
			},
		}, {
			Name:      "uid-store-nonexistent-ok",
			Title:     "UID STORE of a UID no message has is an OK that changes nothing",
			Level:     conformance.Must,
			Sentence:  uidIgnoredSentence,
			Commands:  []string{"UID", "STORE", "SEARCH"},
			Responses: []string{"OK", "SEARCH"},
			Faults: []fault.Fault{
				fault.RewriteResponse("nonexistent UID answered NO", "UID", `^(\S+) OK `, "$1 NO "),
				rewriteCommandOf("UID read as a sequence number", "UID STORE", `^(\S+) UID STORE \d+ `, "$1 STORE 1 "),
			},
			Run: func(t *conformance.T) {
				b := uidGapped(t)
				// The first UID of the seeding was expunged.
				r := b.s.Tx("OK", fmt.Sprintf(`UID STORE %d +FLAGS (\Flagged)`, b.uids[0]-1))
				if fs := r.All("FETCH"); len(fs) > 0 {
					t.Mismatch([]string{"no untagged FETCH"}, fs[0].Raw, "%s", r.Command)
				}
				expectSearch(t, b.s, "SEARCH FLAGGED")
			},
		}, {
			Name:      "uid-copy-copies-by-uid",
			Title:     "UID COPY copies the message with that UID",
			Level:     conformance.Must,
			Sentence:  "In the first form, it takes as its arguments a COPY, FETCH, or STORE command ...\nHowever, the numbers in the sequence set argument are unique identifiers instead of\nmessage sequence numbers.",
			Commands:  []string{"UID", "COPY"},
			Responses: []string{"OK"},
			Faults: []fault.Fault{
				rewriteCommandOf("UID read as a sequence number", "UID COPY", `^(\S+) UID COPY `, "$1 COPY "),
			},
			Run: func(t *conformance.T) {
				b := uidGapped(t)
				dest := t.Mailbox(0)
				// UID of "message 4", now message 2.
				b.s.Cmd("OK", "UID", wire.Atom("COPY"), wire.Atom(fmt.Sprint(b.uids[1])), wire.Astring(dest))
				got := readMailbox(t, dest)
				if len(got) != 1 || string(got[0].text) != string(numberedMessages(4)[3].text) {
					t.Mismatch([]string{"[1: message 4]"}, subjects(got), "the destination after UID COPY")
				}
			},
		}, {
			Name:      "uid-copy-nonexistent-ok",
			Title:     "UID COPY of a UID no message has is an OK that copies nothing",
			Level:     conformance.Must,
			Sentence:  uidIgnoredSentence,
			Commands:  []string{"UID", "COPY", "STATUS"},
			Responses: []string{"OK", "STATUS"},
			Faults: []fault.Fault{
				fault.RewriteResponse("nonexistent UID answered NO", "UID", `^(\S+) OK `, "$1 NO "),
				rewriteCommandOf("UID read as a sequence number", "UID COPY", `^(\S+) UID COPY \d+ `, "$1 COPY 1 "),
			},
			Run: func(t *conformance.T) {
				b := uidGapped(t)
				dest := t.Mailbox(0)
				b.s.Cmd("OK", "UID", wire.Atom("COPY"), wire.Atom(fmt.Sprint(b.uids[2]+100)), wire.Astring(dest))
				st := b.s.Cmd("OK", "STATUS", wire.Astring(dest), listOf("MESSAGES"))
				if n := st.One("STATUS").Status.Items["MESSAGES"]; n != 0 {
					t.Mismatch([]string{"MESSAGES 0"}, st.One("STATUS").Raw, "the destination after UID COPY of a nonexistent UID")
				}
			},
		}, {
			Name:      "uid-copy-missing-destination-trycreate",
			Title:     "UID COPY to a mailbox that does not exist is a NO with TRYCREATE",
			Level:     conformance.Must,
			Sentence:  tryCreateSayings,
			Commands:  []string{"UID", "COPY"},
			Responses: []string{"NO"},
			Codes:     []string{"TRYCREATE"},
			Faults: []fault.Fault{
				fault.RewriteResponse("TRYCREATE left out", "UID", `^(\S+) NO \[TRYCREATE\] `, "$1 NO "),
				createsDestination(),
			},
			Run: func(t *conformance.T) {
				b := uidGapped(t)
				r := b.s.Cmd("NO", "UID", wire.Atom("COPY"), wire.Atom(fmt.Sprint(b.uids[0])), wire.Astring(missingMailbox(t, b.name)))
				t.Expect(r).To(conformance.HaveCode("TRYCREATE"))
			},
		}, {
			Name:      "uid-search-sequence-and-uid-sets-intersect",
			Title:     "UID SEARCH with a sequence set and a UID set returns the UIDs of their intersection",
			Level:     conformance.Must,
			Sentence:  "For example, the command UID SEARCH 1:100 UID 443:557 returns the unique identifiers\ncorresponding to the intersection of two sequence sets, the message sequence number\nrange 1:100 and the UID range 443:557.",
			Commands:  []string{"UID", "SEARCH"},
			Responses: []string{"SEARCH"},
			Faults: []fault.Fault{
				onSearchLine("sequence set ignored", "SEARCH 2:3 UID", "SEARCH UID"),
				onSearchLine("UID SEARCH answered with sequence numbers", " UID SEARCH ", " SEARCH "),
			},
			Run: func(t *conformance.T) {
				b := uidGapped(t)
				// Sequence numbers 2:3 and the UIDs from the first one on:
				// messages 2 and 3, given by their UIDs.
				expectSearch(t, b.s, fmt.Sprintf("UID SEARCH 2:3 UID %d:%d", b.uids[0], b.uids[2]+50), b.uids[1], b.uids[2])
			},
		}, {
			Name:      "uid-search-uid-range-nonexistent-ends",
			Title:     "UID SEARCH UID lo:hi, neither end a UID in use, finds the messages between",
			Level:     conformance.Must,
			Sentence:  "Hence, even if neither UID 443 or 557 exist, this range is valid and would include\nan existing UID 495.",
			Commands:  []string{"UID", "SEARCH"},
			Responses: []string{"SEARCH"},
			Faults: []fault.Fault{
				fault.RewriteResponse("range with nonexistent ends matches nothing", "UID", `^\* SEARCH \d+ \d+\r\n$`, "* SEARCH\r\n"),
			},
			Run: func(t *conformance.T) {
				b := uidGapped(t)
				// The UID after the first message's was the seeding's
				// third, now expunged, or never used; the top end is above
				// every UID.
				expectSearch(t, b.s, fmt.Sprintf("UID SEARCH UID %d:%d", b.uids[0]+1, b.uids[2]+10), b.uids[1], b.uids[2])
			},
		}, {
			Name:      "uid-search-uid-star-beyond-last",
			Title:     "UID SEARCH UID n:* with n above every UID finds the last message",
			Level:     conformance.Must,
			Sentence:  uidStarSentence,
			Commands:  []string{"UID", "SEARCH"},
			Responses: []string{"SEARCH"},
			Faults: []fault.Fault{
				fault.RewriteResponse("n:* beyond the last UID matches nothing", "UID", `^\* SEARCH \d+\r\n$`, "* SEARCH\r\n"),
			},
			Run: func(t *conformance.T) {
				b := uidGapped(t)
				expectSearch(t, b.s, fmt.Sprintf("UID SEARCH UID %d:*", b.uids[2]+1000), b.uids[2])
			},
		}, {
			Name:      "uid-search-unknown-charset-badcharset",
			Title:     "UID SEARCH with an unsupported charset is a NO with BADCHARSET, as SEARCH is",
			Level:     conformance.Should,
			Sentence:  "The interpretation of the arguments is the same as with SEARCH;\nThis response SHOULD contain the BADCHARSET response code, which MAY list\nthe [CHARSET]s supported by the server.",
			Commands:  []string{"UID", "SEARCH"},
			Responses: []string{"NO"},
			Codes:     []string{"BADCHARSET"},
			Faults: []fault.Fault{
				fault.RewriteResponse("BADCHARSET left out", "UID", `^(\S+) NO \[[^\]]*\] `, "$1 NO "),
				fault.RewriteResponse("unknown charset answered BAD", "UID", `^(\S+) NO `, "$1 BAD "),
			},
			Run: func(t *conformance.T) {
				b := uidGapped(t)
				r := b.s.Tx("NO", "UID SEARCH CHARSET X-IMAPGAUGE-UNKNOWN ALL")
				t.Expect(r).To(conformance.HaveCode("BADCHARSET"))
			},
		}, {
			Name:      "uid-unknown-command-bad",
			Title:     "UID with a command other than COPY, FETCH, SEARCH or STORE is a BAD",
			Level:     conformance.Must,
			Sentence:  "uid = \"UID\" SP (copy / fetch / search / store)\nBAD - command unknown or arguments invalid",
			Commands:  []string{"UID"},
			Responses: []string{"BAD"},
			Faults: []fault.Fault{
				fault.RewriteResponse("UID NOOP answered OK", "UID", `^(\S+) BAD `, "$1 OK "),
			},
			Run: func(t *conformance.T) {
				b := uidGapped(t)
				b.s.Tx("BAD", "UID NOOP")
			},
		}},
	}}
}
