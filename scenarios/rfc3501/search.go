package rfc3501

import (
	"fmt"
	"slices"
	"strings"

	"github.com/imapgauge/imapgauge/conformance"
	"github.com/imapgauge/imapgauge/conformance/fault"
	"github.com/imapgauge/imapgauge/conformance/wire"
)

// searchCorpus is the mailbox most SEARCH cases run against: five messages
// whose flags, addresses, subjects, bodies, sizes and dates each set them
// apart. Message 3 is much larger than the others. The internal dates and
// Date: headers are at noon UTC, five days apart, so that whichever time
// zone a server reads a date in, it falls on that day or the next
// (searchdate.go).
var searchCorpus = []seedMessage{{
	flags: []string{`\Seen`, `\Answered`},
	date:  "01-Mar-2021 12:00:00 +0000",
	text: buildMessage("The numbers look good this quarter.\n",
		"From: Alice Example <alice@example.org>",
		"To: bob@example.net",
		"Cc: carol@example.com",
		"Subject: Quarterly report",
		"Date: Mon, 01 Mar 2021 12:00:00 +0000",
		"Message-ID: <q1@example.org>",
		"X-Priority: 1"),
}, {
	flags: []string{`\Flagged`},
	date:  "05-Mar-2021 12:00:00 +0000",
	text: buildMessage("Shall we discuss the budget on Friday?\n",
		"From: Bob <bob@example.net>",
		"To: alice@example.org",
		"Subject: Re: Quarterly report",
		"Date: Fri, 05 Mar 2021 12:00:00 +0000",
		"Message-ID: <q2@example.net>",
		"In-Reply-To: <q1@example.org>"),
}, {
	flags: []string{`\Deleted`, `\Draft`},
	date:  "10-Mar-2021 12:00:00 +0000",
	text: buildMessage("Lunch menu for the week:\n"+strings.Repeat("Soup of the day, bread and a choice of salads.\n", 30),
		"From: Carol <carol@example.com>",
		"To: dave@example.org",
		"Bcc: erin@example.net",
		"Subject: Lunch",
		"Date: Wed, 10 Mar 2021 12:00:00 +0000",
		"Message-ID: <lunch@example.com>"),
}, {
	date: "15-Mar-2021 12:00:00 +0000",
	text: buildMessage("See the attached figures.\n",
		"From: dave@example.org",
		"To: carol@example.com",
		"Cc: alice@example.org",
		"Subject: Budget",
		"Date: Mon, 15 Mar 2021 12:00:00 +0000",
		"Message-ID: <budget@example.org>"),
}, {
	date: "20-Mar-2021 12:00:00 +0000",
	text: buildMessage("Nothing to add.\n",
		`From: "Erin" <erin@example.net>`,
		"To: bob@example.net",
		`Subject: Notes on "Q1"`,
		"Date: Sat, 20 Mar 2021 12:00:00 +0000",
		"Message-ID: <notes@example.net>",
		"X-Priority: 5"),
}}

// corpusSize is the RFC822.SIZE of message seq of searchCorpus: its octets.
func corpusSize(seq int) int { return len(searchCorpus[seq-1].text) }

// corpusOthers returns the messages of the corpus not in nums.
func corpusOthers(nums ...uint32) []uint32 {
	var out []uint32
next:
	for _, n := range seqRange(len(searchCorpus)) {
		for _, m := range nums {
			if n == m {
				continue next
			}
		}
		out = append(out, n)
	}
	return out
}

// searchCase is a case that runs one SEARCH over searchCorpus and expects
// exactly the messages want. Without faults of its own, its negative
// controls are a SEARCH that misses its last match and one that reports a
// message too many.
func searchCase(name, title, sentence, criteria string, want []uint32, faults ...fault.Fault) conformance.Case {
	if len(faults) == 0 {
		if len(want) > 0 {
			faults = append(faults, searchDropsLast())
		}
		if extra := corpusOthers(want...); len(extra) > 0 {
			faults = append(faults, searchAddsOne(int(extra[0])))
		}
	}
	return conformance.Case{
		Name:      name,
		Title:     title,
		Level:     conformance.Must,
		Sentence:  sentence,
		Commands:  []string{"SEARCH"},
		Responses: []string{"SEARCH"},
		Faults:    faults,
		Run: func(t *conformance.T) {
			b := seedAndSelect(t, searchCorpus...)
			expectSearch(t, b.s, "SEARCH "+criteria, want...)
		},
	}
}

// searchCommand checks RFC 3501 section 6.4.4.
func searchCommand() []conformance.Section {
	return []conformance.Section{{
		Number: "6.4.4",
		Title:  "SEARCH Command",
		Cases: slices.Concat(searchKeyCases(), searchCombinationCases(), searchStringCases(),
			searchDateCases(), searchCharsetCases()),
	}}
}

// searchKeyCases are the flag, size, address and sequence keys of section
// 6.4.4, each alone.
func searchKeyCases() []conformance.Case {
	return []conformance.Case{
		searchCase("search-all-matches-every-message", "SEARCH ALL finds every message",
			"ALL\nAll messages in the mailbox; the default initial key for ANDing.", "ALL", seqRange(5)),
		searchCase("search-answered-matches-answered-flag", `SEARCH ANSWERED finds the messages with \Answered`,
			"ANSWERED\nMessages with the \\Answered flag set.", "ANSWERED", []uint32{1},
			onSearchLine("ANSWERED read as UNANSWERED", "ANSWERED", "UNANSWERED")),
		searchCase("search-unanswered-matches-without-answered-flag", `SEARCH UNANSWERED finds the messages without \Answered`,
			"UNANSWERED\nMessages that do not have the \\Answered flag set.", "UNANSWERED", []uint32{2, 3, 4, 5},
			onSearchLine("UNANSWERED read as ALL", "UNANSWERED", "ALL")),
		searchCase("search-deleted-matches-deleted-flag", `SEARCH DELETED finds the messages with \Deleted`,
			"DELETED\nMessages with the \\Deleted flag set.", "DELETED", []uint32{3},
			onSearchLine("DELETED read as DRAFT or SEEN", "DELETED", "OR DRAFT SEEN")),
		searchCase("search-undeleted-matches-without-deleted-flag", `SEARCH UNDELETED finds the messages without \Deleted`,
			"UNDELETED\nMessages that do not have the \\Deleted flag set.", "UNDELETED", []uint32{1, 2, 4, 5}),
		searchCase("search-draft-matches-draft-flag", `SEARCH DRAFT finds the messages with \Draft`,
			"DRAFT\nMessages with the \\Draft flag set.", "DRAFT", []uint32{3}),
		searchCase("search-undraft-matches-without-draft-flag", `SEARCH UNDRAFT finds the messages without \Draft`,
			"UNDRAFT\nMessages that do not have the \\Draft flag set.", "UNDRAFT", []uint32{1, 2, 4, 5},
			onSearchLine("UNDRAFT read as UNDELETED UNSEEN", "UNDRAFT", "UNDELETED UNSEEN")),
		searchCase("search-flagged-matches-flagged-flag", `SEARCH FLAGGED finds the messages with \Flagged`,
			"FLAGGED\nMessages with the \\Flagged flag set.", "FLAGGED", []uint32{2}),
		searchCase("search-unflagged-matches-without-flagged-flag", `SEARCH UNFLAGGED finds the messages without \Flagged`,
			"UNFLAGGED\nMessages that do not have the \\Flagged flag set.", "UNFLAGGED", []uint32{1, 3, 4, 5}),
		searchCase("search-seen-matches-seen-flag", `SEARCH SEEN finds the messages with \Seen`,
			"SEEN\nMessages that have the \\Seen flag set.", "SEEN", []uint32{1},
			onSearchLine("SEEN read as UNSEEN", "SEEN", "UNSEEN")),
		searchCase("search-unseen-matches-without-seen-flag", `SEARCH UNSEEN finds the messages without \Seen`,
			"UNSEEN\nMessages that do not have the \\Seen flag set.", "UNSEEN", []uint32{2, 3, 4, 5},
			onSearchLine("UNSEEN read as SEEN", "UNSEEN", "SEEN")),
		searchCase("search-from-matches-envelope-from", "SEARCH FROM finds a substring of the From address",
			"FROM <string>\nMessages that contain the specified string in the envelope\nstructure's FROM field.", "FROM example.net", []uint32{2, 5},
			onSearchLine("FROM read as TO", "FROM", "TO")),
		searchCase("search-to-matches-envelope-to", "SEARCH TO finds a substring of the To address",
			"TO <string>\nMessages that contain the specified string in the envelope\nstructure's TO field.", "TO bob", []uint32{1, 5},
			onSearchLine("TO read as FROM", "TO", "FROM")),
		searchCase("search-cc-matches-envelope-cc", "SEARCH CC finds a substring of the Cc address",
			"CC <string>\nMessages that contain the specified string in the envelope\nstructure's CC field.", "CC alice", []uint32{4},
			onSearchLine("CC read as TO", "CC", "TO")),
		searchCase("search-bcc-matches-envelope-bcc", "SEARCH BCC finds a substring of the Bcc address",
			"BCC <string>\nMessages that contain the specified string in the envelope\nstructure's BCC field.", "BCC erin", []uint32{3},
			onSearchLine("BCC read as TEXT", "BCC", "TEXT")),
		searchCase("search-subject-matches-envelope-subject", "SEARCH SUBJECT finds a substring of the subject",
			"SUBJECT <string>\nMessages that contain the specified string in the envelope\nstructure's SUBJECT field.", "SUBJECT Quarterly", []uint32{1, 2}),
		searchCase("search-larger-matches-bigger-messages", "SEARCH LARGER finds the messages bigger than the size given",
			"LARGER <n>\nMessages with an [RFC-2822] size larger than the specified\nnumber of octets.", "LARGER 1000", []uint32{3},
			onSearchLine("LARGER read as SMALLER", "LARGER", "SMALLER")),
		searchCase("search-smaller-matches-smaller-messages", "SEARCH SMALLER finds the messages smaller than the size given",
			"SMALLER <n>\nMessages with an [RFC-2822] size smaller than the specified\nnumber of octets.", "SMALLER 1000", []uint32{1, 2, 4, 5},
			onSearchLine("SMALLER read as LARGER", "SMALLER", "LARGER")),
		{
			Name:      "search-larger-excludes-equal-size",
			Title:     "SEARCH LARGER n excludes a message of exactly n octets, LARGER n-1 includes it",
			Level:     conformance.Must,
			Sentence:  "LARGER <n>\nMessages with an [RFC-2822] size larger than the specified\nnumber of octets.",
			Commands:  []string{"SEARCH"},
			Responses: []string{"SEARCH"},
			Faults: []fault.Fault{
				onSearchLine("LARGER compared as at least", fmt.Sprintf("LARGER %d", corpusSize(3)), fmt.Sprintf("LARGER %d", corpusSize(3)-1)),
			},
			Run: func(t *conformance.T) {
				b := seedAndSelect(t, searchCorpus...)
				size := corpusSize(3)
				expectSearch(t, b.s, fmt.Sprintf("SEARCH LARGER %d", size))
				expectSearch(t, b.s, fmt.Sprintf("SEARCH LARGER %d", size-1), 3)
			},
		},
		{
			Name:      "search-smaller-excludes-equal-size",
			Title:     "SEARCH SMALLER n excludes a message of exactly n octets, SMALLER n+1 includes it",
			Level:     conformance.Must,
			Sentence:  "SMALLER <n>\nMessages with an [RFC-2822] size smaller than the specified\nnumber of octets.",
			Commands:  []string{"SEARCH"},
			Responses: []string{"SEARCH"},
			Faults: []fault.Fault{
				onSearchLine("SMALLER compared as at most", fmt.Sprintf("SMALLER %d", corpusSize(3)), fmt.Sprintf("SMALLER %d", corpusSize(3)+1)),
			},
			Run: func(t *conformance.T) {
				b := seedAndSelect(t, searchCorpus...)
				size := corpusSize(3)
				expectSearch(t, b.s, fmt.Sprintf("SEARCH SMALLER %d", size), 1, 2, 4, 5)
				expectSearch(t, b.s, fmt.Sprintf("SEARCH SMALLER %d", size+1), 1, 2, 3, 4, 5)
			},
		},
		{
			Name:      "search-keyword-matches-keyword",
			Title:     "SEARCH KEYWORD finds the messages with that keyword",
			Level:     conformance.Must,
			Sentence:  "KEYWORD <flag>\nMessages with the specified keyword flag set.",
			Commands:  []string{"SEARCH", "STORE"},
			Responses: []string{"SEARCH"},
			Faults: []fault.Fault{
				onSearchLine("KEYWORD read as UNKEYWORD", "KEYWORD", "UNKEYWORD"),
				searchAddsOne(1),
			},
			Run: func(t *conformance.T) {
				b := seedAndSelect(t, searchCorpus...)
				b.requireKeywords()
				b.s.Tx("OK", `STORE 2,4 +FLAGS.SILENT ($Work)`)
				expectSearch(t, b.s, "SEARCH KEYWORD $Work", 2, 4)
			},
		},
		{
			Name:      "search-unkeyword-matches-without-keyword",
			Title:     "SEARCH UNKEYWORD finds the messages without that keyword",
			Level:     conformance.Must,
			Sentence:  "UNKEYWORD <flag>\nMessages that do not have the specified keyword flag set.",
			Commands:  []string{"SEARCH", "STORE"},
			Responses: []string{"SEARCH"},
			Faults: []fault.Fault{
				onSearchLine("UNKEYWORD read as KEYWORD", "UNKEYWORD", "KEYWORD"),
				searchDropsLast(),
			},
			Run: func(t *conformance.T) {
				b := seedAndSelect(t, searchCorpus...)
				b.requireKeywords()
				b.s.Tx("OK", `STORE 2,4 +FLAGS.SILENT ($Work)`)
				expectSearch(t, b.s, "SEARCH UNKEYWORD $Work", 1, 3, 5)
			},
		},
		{
			Name:      "search-recent-new-old",
			Title:     "SEARCH RECENT, NEW and OLD follow the session's \\Recent and \\Seen flags",
			Level:     conformance.Must,
			Sentence:  "RECENT  Messages that have the \\Recent flag set.\nNEW  Messages that have the \\Recent flag set but not the \\Seen flag.\nOLD  Messages that do not have the \\Recent flag set.",
			Commands:  []string{"SEARCH", "SELECT"},
			Responses: []string{"SEARCH"},
			Faults: []fault.Fault{
				onSearchLine("NEW read as RECENT", "NEW", "RECENT"),
				onSearchLine("OLD read as NOT NEW", "OLD", "NOT NEW"),
				onSearchLine("RECENT read as ALL", "RECENT", "ALL"),
			},
			Run: func(t *conformance.T) {
				mailbox := t.Mailbox(0)
				// A first session takes \Recent for messages 1 and 2
				// (section 2.3.2: only one session is told a message is
				// recent) and leaves; messages 3 and 4 arrive after it.
				first := t.Login(0)
				appendMessages(t, first, mailbox, numberedMessages(2)...)
				t.Setup(func() {
					first.Cmd("OK", "SELECT", wire.Astring(mailbox))
					first.Tx("OK", "CLOSE")
				})
				appendMessages(t, first, mailbox, numberedMessages(4)[2:]...)
				s := t.Select(0, mailbox)
				// \Seen set with STORE: APPEND's flags are only a SHOULD.
				t.Setup(func() { s.Tx("OK", `STORE 3 +FLAGS.SILENT (\Seen)`) })
				expectSearch(t, s, "SEARCH RECENT", 3, 4)
				expectSearch(t, s, "SEARCH NEW", 4)
				expectSearch(t, s, "SEARCH OLD", 1, 2)
			},
		},
		{
			Name:      "search-recent-not-for-other-session",
			Title:     "Messages another session was told about first are OLD in a later session",
			Level:     conformance.Must,
			Sentence:  "OLD\nMessages that do not have the \\Recent flag set.  This is functionally\nequivalent to \"NOT RECENT\" (as opposed to \"NOT NEW\").",
			Commands:  []string{"SEARCH", "SELECT"},
			Responses: []string{"SEARCH"},
			Faults: []fault.Fault{
				onSearchLine("RECENT read as ALL", "SEARCH RECENT", "SEARCH ALL"),
				onSearchLine("OLD read as NOT ALL", "SEARCH OLD", "SEARCH NOT ALL"),
			},
			Run: func(t *conformance.T) {
				mailbox := t.Mailbox(0)
				first := t.Login(0)
				appendMessages(t, first, mailbox, numberedMessages(2)...)
				t.Setup(func() { first.Cmd("OK", "SELECT", wire.Astring(mailbox)) })
				// The first session keeps the mailbox selected: it holds
				// \Recent, so a second session sees none of it.
				s := t.Select(0, mailbox)
				expectSearch(t, s, "SEARCH RECENT")
				expectSearch(t, s, "SEARCH OLD", 1, 2)
				expectSearch(t, s, "SEARCH NOT NEW", 1, 2)
			},
		},
		// Sequence sets (section 9, sequence-set and seq-range).
		searchCase("search-sequence-range", "SEARCH 2:4 finds messages 2, 3 and 4",
			"<sequence set>\nMessages with message sequence numbers corresponding to the\nspecified message sequence number set.", "2:4", []uint32{2, 3, 4}),
		searchCase("search-sequence-range-reversed", "SEARCH 4:2 finds the same messages as 2:4",
			"seq-range = seq-number \":\" seq-number\n; two seq-number values and all values between these two regardless of order.\n; Example: 2:4 and 4:2 are equivalent and indicate values 2, 3, and 4.", "4:2", []uint32{2, 3, 4},
			onSearchLine("reversed range matches nothing", "4:2", "4:2 1"), searchDropsLast()),
		searchCase("search-sequence-star-is-last-message", "SEARCH * finds the last message",
			"* represents the largest number in use.  In the case of message sequence\nnumbers, it is the number of messages in a non-empty mailbox.", "*", []uint32{5},
			onSearchLine("* read as the first message", "SEARCH *", "SEARCH 1")),
		searchCase("search-sequence-range-to-star", "SEARCH 3:* finds messages 3 to the last",
			"* represents the largest number in use.", "3:*", []uint32{3, 4, 5}),
		searchCase("search-sequence-range-from-star", "SEARCH *:4 finds message 4 to the last",
			"seq-range = seq-number \":\" seq-number\n; two seq-number values and all values between these two regardless of order.", "*:4", []uint32{4, 5},
			onSearchLine("*:4 read as 1:4", "*:4", "1:4")),
		searchCase("search-sequence-set-list", "SEARCH 1,3:4 finds messages 1, 3 and 4",
			"sequence-set = (seq-number / seq-range) *(\",\" sequence-set)\n; set of seq-number values, regardless of order.", "1,3:4", []uint32{1, 3, 4},
			onSearchLine("only the first item of a set", "1,3:4", "1")),
		searchCase("search-sequence-set-unordered-overlapping", "SEARCH 5,2:3,3:1 finds messages 1, 2, 3 and 5",
			"; set of seq-number values, regardless of order.\n; Servers MAY coalesce overlaps and/or execute the sequence in any order.", "5,2:3,3:1", []uint32{1, 2, 3, 5},
			onSearchLine("only the first item of a set", "5,2:3,3:1", "5")),
		searchCase("search-sequence-set-with-key", "SEARCH 1:3 UNSEEN intersects the set with the key",
			"When multiple keys are specified, the result is the intersection\n(AND function) of all the messages that match those keys.", "1:3 UNSEEN", []uint32{2, 3},
			onSearchLine("set ignored", "1:3 UNSEEN", "UNSEEN")),
		{
			Name:  "search-sequence-range-to-star-beyond-count",
			Title: "SEARCH 7:* in a five-message mailbox finds message 5 or is a BAD",
			Level: conformance.Must,
			Sentence: "; two seq-number values and all values between these two regardless of order.\n" +
				"; * represents the largest number in use.\n; The server should respond with a tagged BAD response to a command that uses a message sequence number greater than ...",
			Commands:  []string{"SEARCH"},
			Responses: []string{"SEARCH", "BAD"},
			Faults: []fault.Fault{
				fault.RewriteResponse("7:* matches nothing", "SEARCH", `^\* SEARCH 5\r\n$`, "* SEARCH\r\n"),
				fault.RewriteResponse("7:* reports a message that does not exist", "SEARCH", `^\* SEARCH 5\r\n$`, "* SEARCH 5 7\r\n"),
			},
			Run: func(t *conformance.T) {
				b := seedAndSelect(t, searchCorpus...)
				// 7:* is 5:7: the range holds message 5, whatever the
				// order of its ends. The number 7 is beyond the mailbox,
				// which the server should answer with BAD; if it searches,
				// message 5 is found and nothing else.
				r := b.s.Tx("OK|BAD", "SEARCH 7:*")
				if r.Status() == "OK" {
					if got := r.One("SEARCH").Search.Nums; !sameNums(got, []uint32{5}) {
						t.Mismatch([]string{"tagged BAD", "* SEARCH 5"}, r.One("SEARCH").Raw, "SEARCH 7:*: 7:* holds message 5 (the largest number in use)")
					}
				}
			},
		},
		{
			Name:      "search-sequence-beyond-count-no-phantom",
			Title:     "SEARCH 4:9 in a five-message mailbox finds messages 4 and 5 or is a BAD",
			Level:     conformance.Must,
			Sentence:  "The untagged SEARCH response from the server contains a listing of message sequence\nnumbers corresponding to those messages that match the searching criteria.",
			Commands:  []string{"SEARCH"},
			Responses: []string{"SEARCH", "BAD"},
			Faults: []fault.Fault{
				fault.RewriteResponse("numbers beyond the mailbox reported", "SEARCH", `^\* SEARCH 4 5\r\n$`, "* SEARCH 4 5 6 7 8 9\r\n"),
			},
			Run: func(t *conformance.T) {
				b := seedAndSelect(t, searchCorpus...)
				r := b.s.Tx("OK|BAD", "SEARCH 4:9")
				if r.Status() == "OK" {
					if got := r.One("SEARCH").Search.Nums; !sameNums(got, []uint32{4, 5}) {
						t.Mismatch([]string{"tagged BAD", "* SEARCH 4 5"}, r.One("SEARCH").Raw, "SEARCH 4:9 in a mailbox of 5 messages")
					}
				}
			},
		},
		{
			Name:      "search-uid-key-matches-uid-set",
			Title:     "SEARCH UID finds the messages whose UIDs are in the set",
			Level:     conformance.Must,
			Sentence:  "UID <sequence set>\nMessages with unique identifiers corresponding to the specified\nunique identifier set.  Sequence set ranges are permitted.",
			Commands:  []string{"SEARCH"},
			Responses: []string{"SEARCH"},
			Faults:    []fault.Fault{onSearchLine("UID key read as a sequence set", "SEARCH UID ", "SEARCH "), searchDropsLast()},
			Run: func(t *conformance.T) {
				b := seedAndSelect(t, searchCorpus...)
				// Expunge message 1 (and only it) so that sequence numbers
				// and UIDs part.
				b.s.Tx("OK", `STORE 1 +FLAGS.SILENT (\Deleted)`)
				b.s.Tx("OK", `STORE 3 -FLAGS.SILENT (\Deleted)`)
				b.s.Tx("OK", "EXPUNGE")
				expectSearch(t, b.s, fmt.Sprintf("SEARCH UID %d:%d", b.uids[1], b.uids[3]), 1, 2, 3)
			},
		},
		{
			Name:      "search-uid-key-range-to-star-beyond-last",
			Title:     "SEARCH UID n:* with n above every UID finds the last message",
			Level:     conformance.Must,
			Sentence:  "; Example: a unique identifier sequence range of\n; 3291:* includes the UID of the last message in\n; the mailbox, even if that value is less than 3291.",
			Commands:  []string{"SEARCH"},
			Responses: []string{"SEARCH"},
			Faults: []fault.Fault{
				fault.RewriteResponse("UID n:* beyond the last UID matches nothing", "SEARCH", `^\* SEARCH 5\r\n$`, "* SEARCH\r\n"),
			},
			Run: func(t *conformance.T) {
				b := seedAndSelect(t, searchCorpus...)
				expectSearch(t, b.s, fmt.Sprintf("SEARCH UID %d:*", b.uids[4]+1000), 5)
			},
		},
		{
			Name:      "search-uid-key-nonexistent-empty",
			Title:     "SEARCH UID with a UID no message has finds nothing, and the SEARCH response is still sent",
			Level:     conformance.Must,
			Sentence:  "Responses:  REQUIRED untagged response: SEARCH",
			Commands:  []string{"SEARCH"},
			Responses: []string{"SEARCH"},
			Faults: []fault.Fault{
				fault.DropResponse("empty SEARCH response left out", "SEARCH", `^\* SEARCH\r\n$`),
				fault.RewriteResponse("nonexistent UID matches a message", "SEARCH", `^\* SEARCH\r\n$`, "* SEARCH 1\r\n"),
			},
			Run: func(t *conformance.T) {
				b := seedAndSelect(t, searchCorpus...)
				expectSearch(t, b.s, fmt.Sprintf("SEARCH UID %d", b.uids[4]+1000))
			},
		},
	}
}

// searchCombinationCases check AND, OR, NOT and parentheses (section 6.4.4
// and the search-key rule of section 9).
func searchCombinationCases() []conformance.Case {
	const and = "When multiple keys are specified, the result is the intersection\n(AND function) of all the messages that match those keys."
	const paren = "A search key can also be a parenthesized list of one or more search keys\n(e.g., for use with the OR and NOT keys)."
	return []conformance.Case{
		searchCase("search-multiple-keys-intersect", "Several keys find the messages matching all of them",
			and, `UNSEEN SINCE 3-Mar-2021 NOT FROM "dave"`, []uint32{2, 3, 5},
			onSearchLine("keys joined by OR", `UNSEEN SINCE 3-Mar-2021 NOT FROM "dave"`, `OR UNSEEN OR SINCE 3-Mar-2021 NOT FROM "dave"`), searchDropsLast()),
		searchCase("search-rfc-example-flagged-since-not-from", "The RFC's example FLAGGED SINCE date NOT FROM name",
			"Example:    C: A282 SEARCH FLAGGED SINCE 1-Feb-1994 NOT FROM \"Smith\"\n            S: * SEARCH 2 84 882", `FLAGGED SINCE 1-Feb-2021 NOT FROM "Carol"`, []uint32{2},
			onSearchLine("NOT ignored", `NOT FROM "Carol"`, `FROM "Carol"`), searchAddsOne(1)),
		searchCase("search-or-matches-either", "SEARCH OR finds the messages matching either key",
			"OR <search-key1> <search-key2>\nMessages that match either search key.", "OR ANSWERED FLAGGED", []uint32{1, 2},
			onSearchLine("OR read as AND", "OR ANSWERED FLAGGED", "ANSWERED FLAGGED")),
		searchCase("search-or-nested", "SEARCH OR OR nests: three alternatives",
			"OR <search-key1> <search-key2>\nMessages that match either search key.", "OR OR SEEN FLAGGED DRAFT", []uint32{1, 2, 3},
			onSearchLine("nested OR loses its last key", "OR OR SEEN FLAGGED DRAFT", "OR SEEN FLAGGED")),
		searchCase("search-not-negates", "SEARCH NOT finds the messages not matching the key",
			"NOT <search-key>\nMessages that do not match the specified search key.", "NOT TO bob", []uint32{2, 3, 4},
			onSearchLine("NOT ignored", "NOT TO bob", "TO bob")),
		searchCase("search-not-or", "SEARCH NOT OR negates the whole OR",
			"NOT <search-key>\nMessages that do not match the specified search key.", "NOT OR SEEN FLAGGED", []uint32{3, 4, 5},
			onSearchLine("NOT applied to the first key of OR", "NOT OR SEEN FLAGGED", "OR NOT SEEN FLAGGED")),
		searchCase("search-not-not", "SEARCH NOT NOT SEEN is SEEN",
			"NOT <search-key>\nMessages that do not match the specified search key.", "NOT NOT SEEN", []uint32{1},
			onSearchLine("double NOT taken as one", "NOT NOT SEEN", "NOT SEEN")),
		searchCase("search-parenthesized-list", "A parenthesized list of keys is their intersection",
			paren, "OR (SEEN ANSWERED) (DELETED DRAFT)", []uint32{1, 3},
			onSearchLine("list boundaries misread", "OR (SEEN ANSWERED) (DELETED DRAFT)", "OR (SEEN) (ANSWERED DELETED DRAFT)"), searchDropsLast()),
		searchCase("search-nested-parentheses", "Parenthesized lists nest",
			paren, "((NOT DELETED) (OR SEEN (FLAGGED)))", []uint32{1, 2},
			onSearchLine("NOT applied to the whole list", "((NOT DELETED) (OR SEEN (FLAGGED)))", "NOT (DELETED (OR SEEN (FLAGGED)))")),
		searchCase("search-not-parenthesized", "NOT of a parenthesized list negates the intersection",
			"NOT <search-key>\nMessages that do not match the specified search key.\n"+`"(" search-key *(SP search-key) ")"`, "NOT (UNSEEN UNFLAGGED)", []uint32{1, 2},
			onSearchLine("NOT applied to the first key only", "NOT (UNSEEN UNFLAGGED)", "NOT UNSEEN UNFLAGGED")),
		searchCase("search-keys-case-insensitive", "Search keys are case-insensitive",
			"search-key = \"ALL\" / \"ANSWERED\" / ... / \"OR\" SP search-key SP search-key / ...\n(ABNF strings are case-insensitive: RFC 2234 section 2.3)", "or Seen flagged", []uint32{1, 2},
			onSearchLine("lower-case OR taken as AND", "or Seen flagged", "Seen flagged")),
		{
			Name:      "search-unknown-key-bad",
			Title:     "SEARCH with an unknown key is a BAD",
			Level:     conformance.Must,
			Sentence:  "BAD - command unknown or arguments invalid",
			Commands:  []string{"SEARCH"},
			Responses: []string{"BAD"},
			Faults:    []fault.Fault{fault.RewriteResponse("unknown key answered OK", "SEARCH", `^(\S+) BAD .*\r\n$`, "* SEARCH\r\n$1 OK SEARCH completed\r\n")},
			Run: func(t *conformance.T) {
				b := seedAndSelect(t, numberedMessages(1)...)
				b.s.Tx("BAD", "SEARCH FLAGGEDX")
			},
		},
		{
			Name:      "search-keyword-system-flag-bad",
			Title:     "SEARCH KEYWORD \\Seen is a syntax error: a keyword does not begin with \\",
			Level:     conformance.Should,
			Sentence:  "search-key = ... \"KEYWORD\" SP flag-keyword ...    flag-keyword = atom\nServers SHOULD enforce the syntax outlined in this specification strictly.  Any client\ncommand with a protocol syntax error ... SHOULD be rejected, and the client given a BAD",
			Commands:  []string{"SEARCH"},
			Responses: []string{"BAD"},
			Faults:    []fault.Fault{fault.RewriteResponse("system flag accepted as a keyword", "SEARCH", `^(\S+) BAD .*\r\n$`, "* SEARCH\r\n$1 OK SEARCH completed\r\n")},
			Run: func(t *conformance.T) {
				b := seedAndSelect(t, numberedMessages(1)...)
				b.s.Tx("BAD", `SEARCH KEYWORD \Seen`)
			},
		},
		{
			Name:      "search-missing-argument-bad",
			Title:     "SEARCH FROM without its string is a BAD",
			Level:     conformance.Must,
			Sentence:  `search-key = ... "FROM" SP astring ...` + "\nBAD - command unknown or arguments invalid",
			Commands:  []string{"SEARCH"},
			Responses: []string{"BAD"},
			Faults:    []fault.Fault{fault.RewriteResponse("missing argument answered OK", "SEARCH", `^(\S+) BAD .*\r\n$`, "* SEARCH 1\r\n$1 OK SEARCH completed\r\n")},
			Run: func(t *conformance.T) {
				b := seedAndSelect(t, numberedMessages(1)...)
				b.s.Tx("BAD", "SEARCH FROM")
			},
		},
		{
			Name:      "search-empty-parentheses-bad",
			Title:     "SEARCH () is a BAD: a parenthesized list holds at least one key",
			Level:     conformance.Must,
			Sentence:  `"(" search-key *(SP search-key) ")"` + "\nBAD - command unknown or arguments invalid",
			Commands:  []string{"SEARCH"},
			Responses: []string{"BAD"},
			Faults:    []fault.Fault{fault.RewriteResponse("empty list answered OK", "SEARCH", `^(\S+) BAD .*\r\n$`, "* SEARCH 1\r\n$1 OK SEARCH completed\r\n")},
			Run: func(t *conformance.T) {
				b := seedAndSelect(t, numberedMessages(1)...)
				b.s.Tx("BAD", "SEARCH ()")
			},
		},
	}
}

// searchStringCases check the string keys: substring, case-insensitive,
// header and body, quoted strings and literals.
func searchStringCases() []conformance.Case {
	const substring = "In all search keys that use strings, a message matches the key if\nthe string is a substring of the field.  The matching is case-insensitive."
	return []conformance.Case{
		searchCase("search-string-case-insensitive", "SEARCH SUBJECT matches without regard to case",
			substring, "SUBJECT qUARTERLY", []uint32{1, 2},
			onSearchLine("case-sensitive matching", "qUARTERLY", "qUARTERLYx")),
		searchCase("search-string-substring-inside-word", "SEARCH FROM matches a substring inside a word",
			substring, "FROM lic", []uint32{1},
			onSearchLine("whole words only", "FROM lic", "FROM \"lic \"")),
		searchCase("search-body-matches-body-only", "SEARCH BODY looks in the body, not in the header",
			"BODY <string>\nMessages that contain the specified string in the body of the\nmessage.", "BODY budget", []uint32{2},
			onSearchLine("BODY read as TEXT", "BODY", "TEXT")),
		searchCase("search-text-matches-header-or-body", "SEARCH TEXT looks in the header and in the body",
			"TEXT <string>\nMessages that contain the specified string in the header or\nbody of the message.", "TEXT budget", []uint32{2, 4},
			onSearchLine("TEXT read as BODY", "TEXT", "BODY")),
		searchCase("search-text-matches-header-field-name", "SEARCH TEXT also finds a header field's name",
			"TEXT <string>\nMessages that contain the specified string in the header or\nbody of the message.", "TEXT In-Reply-To", []uint32{2},
			onSearchLine("TEXT read as BODY", "TEXT", "BODY")),
		searchCase("search-header-matches-field-text", "SEARCH HEADER finds a string in the named field",
			"HEADER <field-name> <string>\nMessages that have a header with the specified field-name (as defined in [RFC-2822])\nand that contains the specified string in the text of the header (what comes after the colon).",
			"HEADER In-Reply-To q1@example", []uint32{2},
			onSearchLine("HEADER read as TEXT", "HEADER In-Reply-To", "TEXT"), searchDropsLast()),
		searchCase("search-header-empty-string-matches-presence", "SEARCH HEADER field \"\" finds every message with that field",
			"If the string to search is zero-length, this matches all messages that\nhave a header line with the specified field-name regardless of the contents.",
			`HEADER X-Priority ""`, []uint32{1, 5},
			onSearchLine("empty string matches nothing", `X-Priority ""`, `X-Priority "\\"`), searchAddsOne(2)),
		searchCase("search-header-field-name-case-insensitive", "SEARCH HEADER matches the field name without regard to case",
			"HEADER <field-name> <string>\nMessages that have a header with the specified field-name (as defined in [RFC-2822])\n(RFC 2822 section 1.2.2: field names are case-insensitive)",
			"HEADER x-PRIORITY 1", []uint32{1},
			onSearchLine("field names compared case-sensitively", "x-PRIORITY", "x-PRIORITY-other")),
		searchCase("search-header-not-in-other-fields", "SEARCH HEADER does not find the string in another field",
			"HEADER <field-name> <string>\nMessages that have a header with the specified field-name (as defined in [RFC-2822])\nand that contains the specified string in the text of the header (what comes after the colon).",
			"HEADER Subject example", nil,
			onSearchLine("HEADER read as TEXT", "HEADER Subject", "TEXT")),
		{
			Name:      "search-folded-header-unfolded",
			Title:     "SEARCH SUBJECT and HEADER match a folded field as unfolded",
			Level:     conformance.Must,
			Sentence:  "SUBJECT <string>\nMessages that contain the specified string in the envelope\nstructure's SUBJECT field.  (RFC 2822 section 2.2.3: unfolding removes each CRLF before WSP)",
			Commands:  []string{"SEARCH"},
			Responses: []string{"SEARCH"},
			Faults: []fault.Fault{
				onSearchLine("field searched without unfolding", `"Quarterly report"`, `"Quarterly  report"`),
				onSearchLine("folding removed with its space", `"part second"`, `"partsecond"`),
			},
			Run: func(t *conformance.T) {
				b := seedAndSelect(t, seedMessage{text: buildMessage("Folded fields.\n",
					"From: alice@example.org", "Subject: Quarterly\r\n report", "X-Note: first part\r\n second part")},
					numberedMessages(1)[0])
				expectSearch(t, b.s, `SEARCH SUBJECT "Quarterly report"`, 1)
				expectSearch(t, b.s, `SEARCH HEADER X-Note "part second"`, 1)
			},
		},
		searchCase("search-quoted-string-with-space", "A quoted search string may hold spaces",
			"string = quoted / literal\nquoted = DQUOTE *QUOTED-CHAR DQUOTE", `SUBJECT "Re: Quarterly"`, []uint32{2},
			onSearchLine("quoted string read from its last word", `"Re: Quarterly"`, `"Quarterly"`), searchAddsOne(1)),
		searchCase("search-quoted-string-with-escapes", "A quoted search string may hold escaped quotes",
			"QUOTED-CHAR = <any TEXT-CHAR except quoted-specials> / \"\\\" quoted-specials\nquoted-specials = DQUOTE / \"\\\"", `SUBJECT "\"Q1\""`, []uint32{5},
			onSearchLine("escape kept as a backslash", `"\"Q1\""`, `"\\\\Q1"`)),
		{
			Name:      "search-literal-string",
			Title:     "A search string may be sent as a literal",
			Level:     conformance.Must,
			Sentence:  "string = quoted / literal\nliteral = \"{\" number \"}\" CRLF *CHAR8",
			Commands:  []string{"SEARCH"},
			Responses: []string{"SEARCH", "+"},
			Faults: []fault.Fault{
				searchDropsLast(),
				{
					Name: "literal refused with BAD",
					Response: func(s *fault.State, raw []byte) ([]byte, fault.Action) {
						if s.Command == "SEARCH" && raw[0] == '+' {
							return []byte(s.Tag + " BAD literals not accepted\r\n"), fault.Forward
						}
						return raw, fault.Forward
					},
				},
			},
			Run: func(t *conformance.T) {
				b := seedAndSelect(t, searchCorpus...)
				r := b.s.Cmd("OK", "SEARCH", wire.Atom("SUBJECT"), wire.Literal([]byte("quarterly report")))
				if got := r.One("SEARCH").Search.Nums; !sameNums(got, []uint32{1, 2}) {
					t.Mismatch([]string{"* SEARCH 1 2"}, r.One("SEARCH").Raw, "SEARCH SUBJECT {16} quarterly report")
				}
			},
		},
		searchCase("search-no-match-empty-response", "A SEARCH that finds nothing still sends an empty SEARCH response",
			"Responses:  REQUIRED untagged response: SEARCH\nExample: C: A283 SEARCH TEXT \"string not in mailbox\"  S: * SEARCH",
			`TEXT "string not in mailbox"`, nil,
			fault.DropResponse("empty SEARCH response left out", "SEARCH", `^\* SEARCH\r\n$`),
			fault.RewriteResponse("SEARCH for an absent string reports message 1", "SEARCH", `^\* SEARCH\r\n$`, "* SEARCH 1\r\n")),
	}
}

// Messages for the CHARSET cases: the same words in an encoded-word
// subject, a quoted-printable body and a base64 body (RFC 2047, RFC 2045).
var charsetCorpus = []seedMessage{{
	text: buildMessage("Viele Gr=C3=BC=C3=9Fe aus K=C3=B6ln.\n",
		"From: anna@example.de",
		"To: ben@example.de",
		"Subject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe_aus_M=C3=BCnchen?=",
		"Date: Mon, 01 Mar 2021 12:00:00 +0100",
		"MIME-Version: 1.0",
		"Content-Type: text/plain; charset=utf-8",
		"Content-Transfer-Encoding: quoted-printable"),
}, {
	text: buildMessage("U2Now7ZuZSBHcsO8w59lIGF1cyBCcmVtZW4uCg==\n",
		"From: ben@example.de",
		"To: anna@example.de",
		"Subject: Antwort",
		"Date: Tue, 02 Mar 2021 12:00:00 +0100",
		"MIME-Version: 1.0",
		"Content-Type: text/plain; charset=utf-8",
		"Content-Transfer-Encoding: base64"),
}, {
	text: buildMessage("Plain ASCII text about Gruesse.\n",
		"From: carl@example.de",
		"To: anna@example.de",
		"Subject: Gruesse",
		"Date: Wed, 03 Mar 2021 12:00:00 +0100"),
}}

// charsetSearch runs SEARCH CHARSET UTF-8 key with value as a literal over
// charsetCorpus and expects want; the case is SKIP when the server refuses
// UTF-8 with NO, which section 6.4.4 allows.
func charsetSearch(t *conformance.T, key, value string, want ...uint32) {
	b := seedAndSelect(t, charsetCorpus...)
	r := b.s.Cmd("OK|NO", "SEARCH", wire.Atom("CHARSET"), wire.Atom("UTF-8"), wire.Atom(key), wire.Literal([]byte(value)))
	if r.Status() == "NO" {
		t.Skipf("the server does not search in UTF-8 (section 6.4.4: other [CHARSET]s MAY be supported): %s", strings.TrimSpace(r.Tagged.Raw))
	}
	if got := r.One("SEARCH").Search.Nums; !sameNums(got, want) {
		t.Mismatch([]string{searchResponseText(want)}, r.One("SEARCH").Raw, "SEARCH CHARSET UTF-8 %s %q", key, value)
	}
}

// searchCharsetCases check CHARSET and BADCHARSET.
func searchCharsetCases() []conformance.Case {
	const decode = "[MIME-IMB] content transfer encodings, and [MIME-HDRS] strings in\n[RFC-2822]/[MIME-IMB] headers, MUST be decoded before comparing\ntext in a [CHARSET] other than US-ASCII."
	const badcharset = "If the server does not support the specified [CHARSET], it MUST\nreturn a tagged NO response (not a BAD)."
	return []conformance.Case{{
		Name:      "search-charset-us-ascii-supported",
		Title:     "SEARCH CHARSET US-ASCII is supported",
		Level:     conformance.Must,
		Sentence:  "US-ASCII MUST be supported; other [CHARSET]s MAY be supported.",
		Commands:  []string{"SEARCH"},
		Responses: []string{"SEARCH", "OK"},
		Faults: []fault.Fault{
			fault.RewriteResponse("US-ASCII refused", "SEARCH", `^(\S+) OK .*\r\n$`, "$1 NO [BADCHARSET (UTF-8)] unsupported charset\r\n"),
			searchAddsOne(1),
		},
		Run: func(t *conformance.T) {
			b := seedAndSelect(t, searchCorpus...)
			expectSearch(t, b.s, "SEARCH CHARSET US-ASCII SUBJECT lunch", 3)
		},
	}, {
		Name:      "search-charset-utf8-encoded-word-subject",
		Title:     "SEARCH CHARSET UTF-8 SUBJECT finds text inside an encoded word",
		Level:     conformance.Must,
		Sentence:  decode,
		Commands:  []string{"SEARCH"},
		Responses: []string{"SEARCH"},
		Faults:    []fault.Fault{searchDropsLast(), searchAddsOne(3)},
		Run: func(t *conformance.T) {
			charsetSearch(t, "SUBJECT", "Grüße aus München", 1)
		},
	}, {
		Name:      "search-charset-utf8-quoted-printable-body",
		Title:     "SEARCH CHARSET UTF-8 BODY finds text in a quoted-printable body",
		Level:     conformance.Must,
		Sentence:  decode,
		Commands:  []string{"SEARCH"},
		Responses: []string{"SEARCH"},
		Faults:    []fault.Fault{searchDropsLast(), searchAddsOne(2)},
		Run: func(t *conformance.T) {
			charsetSearch(t, "BODY", "Köln", 1)
		},
	}, {
		Name:      "search-charset-utf8-base64-body",
		Title:     "SEARCH CHARSET UTF-8 BODY finds text in a base64 body",
		Level:     conformance.Must,
		Sentence:  decode,
		Commands:  []string{"SEARCH"},
		Responses: []string{"SEARCH"},
		Faults:    []fault.Fault{searchDropsLast(), searchAddsOne(1)},
		Run: func(t *conformance.T) {
			charsetSearch(t, "BODY", "Grüße aus Bremen", 2)
		},
	}, {
		Name:      "search-charset-utf8-text-both-encodings",
		Title:     "SEARCH CHARSET UTF-8 TEXT finds a word in an encoded header and in encoded bodies",
		Level:     conformance.Must,
		Sentence:  decode,
		Commands:  []string{"SEARCH"},
		Responses: []string{"SEARCH"},
		Faults:    []fault.Fault{searchDropsLast(), searchAddsOne(3)},
		Run: func(t *conformance.T) {
			charsetSearch(t, "TEXT", "Grüße", 1, 2)
		},
	}, {
		Name:      "search-unknown-charset-no-not-bad",
		Title:     "SEARCH with an unsupported charset is a NO, not a BAD",
		Level:     conformance.Must,
		Sentence:  badcharset,
		Commands:  []string{"SEARCH"},
		Responses: []string{"NO"},
		Faults: []fault.Fault{
			fault.RewriteResponse("unknown charset answered BAD", "SEARCH", `^(\S+) NO `, "$1 BAD "),
			fault.RewriteResponse("unknown charset searched anyway", "SEARCH", `^(\S+) NO .*\r\n$`, "* SEARCH 1\r\n$1 OK SEARCH completed\r\n"),
		},
		Run: func(t *conformance.T) {
			b := seedAndSelect(t, numberedMessages(1)...)
			b.s.Tx("NO", "SEARCH CHARSET X-IMAPGAUGE-UNKNOWN ALL")
		},
	}, {
		Name:      "search-unknown-charset-badcharset-code",
		Title:     "The NO for an unsupported charset carries BADCHARSET",
		Level:     conformance.Should,
		Sentence:  "This response SHOULD contain the BADCHARSET response code, which MAY list\nthe [CHARSET]s supported by the server.",
		Commands:  []string{"SEARCH"},
		Responses: []string{"NO"},
		Codes:     []string{"BADCHARSET"},
		Faults: []fault.Fault{
			fault.RewriteResponse("BADCHARSET code left out", "SEARCH", `^(\S+) NO \[[^\]]*\] `, "$1 NO "),
		},
		Run: func(t *conformance.T) {
			b := seedAndSelect(t, numberedMessages(1)...)
			r := b.s.Tx("NO", "SEARCH CHARSET X-IMAPGAUGE-UNKNOWN ALL")
			t.Expect(r).To(conformance.HaveCode("BADCHARSET"))
		},
	}, {
		Name:      "search-badcharset-lists-supported-charsets",
		Title:     "Every charset a BADCHARSET code lists can be searched in",
		Level:     conformance.May,
		Sentence:  "This response SHOULD contain the BADCHARSET response code, which MAY list\nthe [CHARSET]s supported by the server.",
		Commands:  []string{"SEARCH"},
		Responses: []string{"NO", "SEARCH"},
		Codes:     []string{"BADCHARSET"},
		Faults: []fault.Fault{
			fault.RewriteResponse("BADCHARSET lists a charset it refuses", "SEARCH", `\[BADCHARSET \(`, "[BADCHARSET (X-IMAPGAUGE-UNKNOWN "),
		},
		Run: func(t *conformance.T) {
			b := seedAndSelect(t, numberedMessages(1)...)
			r := b.s.Tx("NO", "SEARCH CHARSET X-IMAPGAUGE-UNKNOWN ALL")
			if r.Code() == nil || r.Code().Name != "BADCHARSET" || len(r.Code().Charsets) == 0 {
				t.Skipf("the NO lists no charsets: %s", strings.TrimSpace(r.Tagged.Raw))
			}
			for _, cs := range r.Code().Charsets {
				got := b.s.Cmd("", "SEARCH", wire.Atom("CHARSET"), wire.Astring(cs), wire.Atom("ALL"))
				if got.Status() != "OK" {
					t.Mismatch([]string{"tagged OK: " + cs + " is listed as supported"}, got.Tagged.Raw,
						"SEARCH CHARSET %s ALL: the BADCHARSET code listed %s", cs, cs)
				}
			}
		},
	}}
}

// searchResponse checks RFC 3501 section 7.2.5.
func searchResponse() []conformance.Section {
	const uidSentence = "The number(s) refer to those messages that match the search criteria.\nFor SEARCH, these are message sequence numbers; for UID SEARCH, these are unique identifiers."
	return []conformance.Section{{
		Number: "7.2.5",
		Title:  "SEARCH Response",
		Cases: []conformance.Case{{
			Name:      "search-response-sequence-numbers-for-search",
			Title:     "SEARCH lists message sequence numbers, UID SEARCH lists UIDs",
			Level:     conformance.Must,
			Sentence:  uidSentence,
			Commands:  []string{"SEARCH", "UID", "EXPUNGE"},
			Responses: []string{"SEARCH"},
			Faults: []fault.Fault{
				onSearchLine("SEARCH answered as UID SEARCH", "SEARCH SUBJECT", "UID SEARCH SUBJECT"),
				onSearchLine("UID SEARCH answered as SEARCH", "UID SEARCH", "SEARCH"),
			},
			Run: func(t *conformance.T) {
				b := seedAndSelect(t, numberedMessages(4)...)
				// After message 1 is gone, message "message 3" is number 2
				// and keeps its UID, which differs from 2.
				b.s.Tx("OK", `STORE 1 +FLAGS.SILENT (\Deleted)`)
				b.s.Tx("OK", "EXPUNGE")
				expectSearch(t, b.s, `SEARCH SUBJECT "message 3"`, 2)
				expectSearch(t, b.s, `UID SEARCH SUBJECT "message 3"`, b.uids[2])
			},
		}, {
			Name:      "search-response-uid-search-all",
			Title:     "UID SEARCH ALL lists every UID of the mailbox",
			Level:     conformance.Must,
			Sentence:  uidSentence,
			Commands:  []string{"UID", "SEARCH"},
			Responses: []string{"SEARCH"},
			Faults: []fault.Fault{
				fault.RewriteResponse("UID SEARCH gives sequence numbers", "UID", `^\* SEARCH( \d+)+\r\n$`, "* SEARCH 1 2 3\r\n"),
			},
			Run: func(t *conformance.T) {
				b := seedAndSelect(t, numberedMessages(4)...)
				b.s.Tx("OK", `STORE 2 +FLAGS.SILENT (\Deleted)`)
				b.s.Tx("OK", "EXPUNGE")
				expectSearch(t, b.s, "UID SEARCH ALL", b.uids[0], b.uids[2], b.uids[3])
			},
		}, {
			Name:      "search-response-empty-mailbox",
			Title:     "SEARCH ALL in an empty mailbox sends an empty SEARCH response",
			Level:     conformance.Must,
			Sentence:  "Contents:   zero or more numbers\nResponses:  REQUIRED untagged response: SEARCH",
			Commands:  []string{"SEARCH"},
			Responses: []string{"SEARCH"},
			Faults: []fault.Fault{
				fault.DropResponse("empty SEARCH response left out", "SEARCH", `^\* SEARCH\r\n$`),
			},
			Run: func(t *conformance.T) {
				b := seedAndSelect(t)
				expectSearch(t, b.s, "SEARCH ALL")
			},
		}, {
			Name:      "search-response-one-per-search",
			Title:     "A SEARCH gets exactly one SEARCH response",
			Level:     conformance.Must,
			Sentence:  "The untagged SEARCH response from the server contains a listing of message\nsequence numbers corresponding to those messages that match the searching criteria.",
			Commands:  []string{"SEARCH"},
			Responses: []string{"SEARCH"},
			Faults: []fault.Fault{
				fault.InsertAfter("SEARCH response sent twice", "SEARCH", `^\* SEARCH`, "* SEARCH 1 2 3\r\n"),
				searchDropsLast(),
			},
			Run: func(t *conformance.T) {
				b := seedAndSelect(t, numberedMessages(3)...)
				expectSearch(t, b.s, "SEARCH 1:3 ALL", 1, 2, 3)
			},
		}},
	}}
}
