package rfc3501

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/imapgauge/imapgauge/conformance"
	"github.com/imapgauge/imapgauge/conformance/fault"
	"github.com/imapgauge/imapgauge/conformance/wire"
)

// extraMailbox registers name, a mailbox the case creates besides its
// private one, for deletion when the case ends; it returns name.
func extraMailbox(t *conformance.T, user int, name string) string {
	t.Cleanup(func() {
		s := t.Login(user)
		s.Cmd("", "DELETE", wire.Astring(name))
	})
	return name
}

// listedNames returns the mailbox names of the LIST (or LSUB) responses of
// r, decoded from their quoting, and their raw tokens.
func listedNames(r *conformance.Reply, name string) (names, raw []string) {
	for _, u := range r.All(name) {
		names = append(names, u.List.Mailbox)
		raw = append(raw, u.List.RawMailbox)
	}
	return names, raw
}

// hierarchyDelimiter asks LIST "" "" for the hierarchy delimiter and skips
// the case when the server has none (a flat namespace).
func hierarchyDelimiter(t *conformance.T, s *conformance.Session) string {
	d := s.Tx("OK", `LIST "" ""`).One("LIST").List.Delimiter
	if d == "" {
		t.Skipf("the server has no hierarchy delimiter (LIST \"\" \"\" answered NIL)")
	}
	return d
}

// mailboxNames checks RFC 3501 sections 5.1, 5.1.1 and 5.1.3.
func mailboxNames() []conformance.Section {
	return []conformance.Section{{
		Number: "5.1",
		Title:  "Mailbox Naming",
		Cases:  append(namingCases(), inboxCases()...),
	}, {
		Number: "5.1.1",
		Title:  "Mailbox Hierarchy Naming",
		Cases: []conformance.Case{{
			Name:  "hierarchy-delimiter-separates-every-level",
			Title: "Names of three levels are listed with the one delimiter LIST \"\" \"\" gives, between every level",
			Level: conformance.Must,
			Sentence: `If it is desired to export hierarchical mailbox names, mailbox names MUST be left-to-right
hierarchical using a single character to separate levels of hierarchy.  The same hierarchy
separator character is used for all levels of hierarchy within a single name.`,
			Commands:  []string{"LIST", "CREATE"},
			Responses: []string{"LIST"},
			Faults: []fault.Fault{
				fault.RewriteResponse("another delimiter for the third level", "LIST", `^(\* LIST \([^)]*\)) "/" ("?imapgauge[^\r]*/level-a/level-b)`, `$1 "." $2`),
			},
			Run: func(t *conformance.T) {
				parent := t.Mailbox(0)
				s := t.Login(0)
				d := hierarchyDelimiter(t, s)
				child := t.NamedMailbox(0, parent+d+"level-a")
				grandchild := t.NamedMailbox(0, child+d+"level-b")
				r := s.Cmd("OK", "LIST", wire.Quoted(""), wire.Astring(parent+"*"))
				found := 0
				for _, u := range r.All("LIST") {
					l := u.List
					if l.Delimiter != d {
						t.Mismatch([]string{fmt.Sprintf("delimiter %q, as LIST \"\" \"\" gave", d)}, show1(u), "%s", r.Command)
					}
					if l.Mailbox == child || l.Mailbox == grandchild {
						found++
					}
				}
				if found != 2 {
					t.Mismatch([]string{"LIST responses for " + child + " and " + grandchild}, describeUntagged(r), "%s", r.Command)
				}
			},
		}},
	}, {
		Number: "5.1.3",
		Title:  "Mailbox International Naming Convention",
		Cases:  internationalNameCases(),
	}}
}

func namingCases() []conformance.Case {
	return []conformance.Case{{
		Name:  "mailbox-name-with-atom-specials-quoted",
		Title: "A name with spaces and parentheses, sent quoted, is created and listed as it was given",
		Level: conformance.Must,
		Sentence: `Any character which is one of the atom-specials (see the Formal Syntax) will require that the
mailbox name be represented as a quoted string or literal.`,
		Commands:  []string{"CREATE", "LIST", "STATUS"},
		Responses: []string{"LIST", "STATUS"},
		Faults: []fault.Fault{
			fault.RewriteResponse("spaces in a name listed as underscores", "LIST", `with space \(x\)`, "with_space_(x)"),
		},
		Run: func(t *conformance.T) {
			name := extraMailbox(t, 0, t.Mailbox(0)+" with space (x)")
			s := t.Login(0)
			if r := s.Cmd("OK|NO", "CREATE", wire.Quoted(name)); r.Status() == "NO" {
				t.Skipf("the server does not allow this name: %s", show1(r.Tagged))
			}
			r := s.Cmd("OK", "LIST", wire.Quoted(""), wire.Quoted(name))
			if names, _ := listedNames(r, "LIST"); len(names) != 1 || names[0] != name {
				t.Mismatch([]string{fmt.Sprintf("one LIST response for %q", name)}, describeUntagged(r), "%s", r.Command)
			}
			s.Cmd("OK", "STATUS", wire.Quoted(name), listOf("MESSAGES")).One("STATUS")
		},
	}, {
		Name:  "8bit-mailbox-name-refused",
		Title: "CREATE of a name with raw 8-bit UTF-8 is refused: names are 7-bit, modified UTF-7",
		Level: conformance.Should,
		Sentence: `Mailbox names are 7-bit.  Client implementations MUST NOT attempt to create 8-bit mailbox names,
... Server implementations SHOULD prohibit the creation of 8-bit mailbox names, and SHOULD NOT
return 8-bit mailbox names in LIST or LSUB.`,
		Commands:  []string{"CREATE"},
		Responses: []string{"NO", "BAD"},
		Faults: []fault.Fault{
			fault.RewriteResponse("8-bit name created", "CREATE", `^(\S+) (NO|BAD) `, "$1 OK "),
		},
		Run: func(t *conformance.T) {
			name := extraMailbox(t, 0, t.Mailbox(0)+"-Grüße")
			t.Login(0).Cmd("NO|BAD", "CREATE", wire.Literal([]byte(name)))
		},
	}}
}

// internationalNameCases check modified UTF-7 mailbox names (RFC 3501
// section 5.1.3). The names are 日本語 ("&ZeVnLIqe-") and friends from the
// section's own examples.
func internationalNameCases() []conformance.Case {
	const verifySentence = `Server implementations SHOULD verify that any mailbox name with an embedded "&" character, used
as an argument to CREATE, is: in the correctly modified UTF-7 syntax, has no superfluous shifts,
and has no encoding in modified BASE64 of any printing US-ASCII character which can represent itself.`
	const preserveSentence = `server implementations MUST preserve the exact form of the modified BASE64 portion of a
modified UTF-7 name and treat that text as case-sensitive, even if names are otherwise
case-insensitive or case-folded.`
	invalid := func(name, title, suffix, why string) conformance.Case {
		return conformance.Case{
			Name:      name,
			Title:     title,
			Level:     conformance.Should,
			Sentence:  verifySentence,
			Commands:  []string{"CREATE"},
			Responses: []string{"NO", "BAD"},
			Faults: []fault.Fault{
				fault.RewriteResponse("invalid modified UTF-7 accepted", "CREATE", `^(\S+) (NO|BAD) `, "$1 OK "),
			},
			Run: func(t *conformance.T) {
				name := extraMailbox(t, 0, t.Mailbox(0)+"-"+suffix)
				r := t.Login(0).Cmd("", "CREATE", wire.Astring(name))
				if r.Status() == "OK" {
					t.Mismatch([]string{"tagged NO", "tagged BAD"}, show1(r.Tagged), "CREATE %q: %s", name, why)
				}
			},
		}
	}
	return []conformance.Case{{
		Name:      "modified-utf7-name-preserved-exactly",
		Title:     "A modified UTF-7 name is listed exactly as it was created",
		Level:     conformance.Must,
		Sentence:  preserveSentence,
		Commands:  []string{"CREATE", "LIST"},
		Responses: []string{"LIST"},
		Faults: []fault.Fault{
			fault.RewriteResponse("modified BASE64 case-folded", "LIST", `&ZeVnLIqe-`, "&ZEVNLIQE-"),
		},
		Run: func(t *conformance.T) {
			name := t.NamedMailbox(0, t.Mailbox(0)+"-&ZeVnLIqe-")
			s := t.Login(0)
			r := s.Cmd("OK", "LIST", wire.Quoted(""), wire.Astring(name))
			if names, _ := listedNames(r, "LIST"); len(names) != 1 || names[0] != name {
				t.Mismatch([]string{"one LIST response for " + name}, describeUntagged(r), "%s", r.Command)
			}
		},
	}, {
		Name:      "modified-utf7-base64-case-sensitive",
		Title:     "A name whose modified BASE64 differs only in case is another mailbox",
		Level:     conformance.Must,
		Sentence:  preserveSentence,
		Commands:  []string{"CREATE", "STATUS"},
		Responses: []string{"NO", "STATUS"},
		Faults: []fault.Fault{
			fault.RewriteCommand("modified BASE64 case-folded", `&ZEVNLIQE-`, "&ZeVnLIqe-"),
		},
		Run: func(t *conformance.T) {
			base := t.Mailbox(0)
			name := t.NamedMailbox(0, base+"-&ZeVnLIqe-")
			s := t.Login(0)
			// &ZEVNLIQE- is valid modified UTF-7 too: 摅䴬萄, not 日本語.
			r := s.Cmd("NO|OK", "STATUS", wire.Astring(base+"-&ZEVNLIQE-"), listOf("MESSAGES"))
			if r.Status() == "OK" {
				t.Mismatch([]string{"tagged NO: no such mailbox"}, describeUntagged(r),
					"STATUS of %s-&ZEVNLIQE- found a mailbox; only %s was created", base, name)
			}
		},
	}, {
		Name:  "modified-utf7-ampersand-preserved",
		Title: `A name with "&-" (the character &) is listed with "&-"`,
		Level: conformance.Must,
		Sentence: `The character "&" (0x26) is represented by the two-octet sequence "&-".` + "\n" +
			`server implementations MUST preserve the exact form of the modified BASE64 portion of a modified UTF-7 name`,
		Commands:  []string{"CREATE", "LIST"},
		Responses: []string{"LIST"},
		Faults: []fault.Fault{
			fault.RewriteResponse(`"&-" listed as "+AMA-"`, "LIST", `-a&-b`, "-a+ACY-b"),
		},
		Run: func(t *conformance.T) {
			name := t.NamedMailbox(0, t.Mailbox(0)+"-a&-b")
			s := t.Login(0)
			r := s.Cmd("OK", "LIST", wire.Quoted(""), wire.Astring(name))
			if names, _ := listedNames(r, "LIST"); len(names) != 1 || names[0] != name {
				t.Mismatch([]string{"one LIST response for " + name}, describeUntagged(r), "%s", r.Command)
			}
		},
	},
		invalid("modified-utf7-missing-shift-back-refused", `CREATE of "&Jjo!" (no "-" before "!") is refused`, "&Jjo!",
			`"&Jjo!" is not a valid mailbox name because it does not contain a shift to US-ASCII before the "!"`),
		invalid("modified-utf7-superfluous-shift-refused", `CREATE of "&U,BTFw-&ZeVnLIqe-" (a superfluous shift) is refused`, "&U,BTFw-&ZeVnLIqe-",
			`"&U,BTFw-&ZeVnLIqe-" is not permitted because it contains a superfluous shift`),
		invalid("modified-utf7-encoded-ascii-refused", `CREATE of "&AGE-" (the letter a in BASE64) is refused`, "&AGE-",
			`Modified BASE64 MUST NOT be used to represent any printing US-ASCII character which can represent itself`),
		invalid("modified-utf7-unterminated-refused", `CREATE of "&ZeVnLIqe" (ending in BASE64) is refused`, "&ZeVnLIqe",
			`a name that ends with a non-ASCII ISO-10646 character MUST end with a "-"`),
	}
}

// inboxSentence is RFC 3501 section 5.1 on INBOX, with the grammar's rule.
const inboxSentence = `The case-insensitive mailbox name INBOX is a special name reserved to mean "the primary mailbox for this user on this server".` + "\n" +
	`All case variants of INBOX (e.g., "iNbOx") MUST be interpreted as INBOX not as an astring.`

// inboxProbe appends nothing itself: it returns a unique Message-ID for a
// message a case puts in INBOX, and registers the removal of that message
// (and only of messages with such IDs) for the end of the case.
func inboxProbe(t *conformance.T, user int) string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	id := "imapgauge-inbox-probe-" + hex.EncodeToString(b) + "@imapgauge.example"
	t.Cleanup(func() {
		s := t.Login(user)
		s.Tx("OK", "SELECT INBOX")
		r := s.Tx("OK", `UID SEARCH HEADER Message-ID "`+id+`"`)
		nums := r.One("SEARCH").Search.Nums
		if len(nums) == 0 {
			return
		}
		uids := make([]string, len(nums))
		for i, n := range nums {
			uids[i] = fmt.Sprint(n)
		}
		set := strings.Join(uids, ",")
		s.Tx("OK", `UID STORE `+set+` +FLAGS.SILENT (\Deleted)`)
		if s.HasCapability("UIDPLUS") {
			s.Tx("OK", "UID EXPUNGE "+set)
			return
		}
		// Without UID EXPUNGE, EXPUNGE only when every message marked
		// \Deleted is one of ours: nobody else's mail may go.
		others := s.Tx("OK", `SEARCH DELETED NOT HEADER Message-ID "imapgauge-inbox-probe-"`).One("SEARCH").Search.Nums
		if len(others) == 0 {
			s.Tx("OK", "EXPUNGE")
		}
	})
	return id
}

// inInbox fails the case unless exactly one message of INBOX has the
// Message-ID id.
func inInbox(t *conformance.T, user int, id, after string) {
	s := t.Login(user)
	s.Tx("OK", "EXAMINE INBOX")
	r := s.Tx("OK", `UID SEARCH HEADER Message-ID "`+id+`"`)
	if n := len(r.One("SEARCH").Search.Nums); n != 1 {
		t.Mismatch([]string{"one message in INBOX with Message-ID " + id}, fmt.Sprintf("%d messages", n), "INBOX after %s", after)
	}
}

// inboxValidity returns the UIDVALIDITY of INBOX from STATUS INBOX.
func inboxValidity(t *conformance.T, s *conformance.Session) uint64 {
	return statusItem(t, s, "INBOX", "UIDVALIDITY")
}

func inboxCases() []conformance.Case {
	return []conformance.Case{{
		Name:      "inbox-any-case-select",
		Title:     `SELECT "iNbOx" selects INBOX`,
		Level:     conformance.Must,
		Sentence:  inboxSentence,
		Commands:  []string{"SELECT", "STATUS"},
		Responses: []string{"OK"},
		Codes:     []string{"UIDVALIDITY"},
		Faults: []fault.Fault{
			fault.RewriteResponse(`"iNbOx" is another mailbox`, "SELECT", `UIDVALIDITY \d+`, "UIDVALIDITY 1"),
		},
		Run: func(t *conformance.T) {
			s := t.Login(0)
			want := inboxValidity(t, s)
			if got := requireCode(t, s.Tx("OK", `SELECT "iNbOx"`), "UIDVALIDITY"); uint64(got) != want {
				t.Mismatch([]string{fmt.Sprintf("UIDVALIDITY %d, as STATUS INBOX reports", want)}, fmt.Sprintf("UIDVALIDITY %d", got), `SELECT "iNbOx"`)
			}
		},
	}, {
		Name:      "inbox-any-case-examine",
		Title:     `EXAMINE inbox examines INBOX`,
		Level:     conformance.Must,
		Sentence:  inboxSentence,
		Commands:  []string{"EXAMINE", "STATUS"},
		Responses: []string{"OK"},
		Codes:     []string{"UIDVALIDITY", "READ-ONLY"},
		Faults: []fault.Fault{
			fault.RewriteResponse(`"inbox" not found`, "EXAMINE", `^(\S+) OK [^\r]*`, "$1 NO no such mailbox"),
		},
		Run: func(t *conformance.T) {
			s := t.Login(0)
			want := inboxValidity(t, s)
			if got := requireCode(t, s.Tx("OK", `EXAMINE inbox`), "UIDVALIDITY"); uint64(got) != want {
				t.Mismatch([]string{fmt.Sprintf("UIDVALIDITY %d, as STATUS INBOX reports", want)}, fmt.Sprintf("UIDVALIDITY %d", got), `EXAMINE inbox`)
			}
		},
	}, {
		Name:      "inbox-any-case-status",
		Title:     `STATUS InBox reports on INBOX`,
		Level:     conformance.Must,
		Sentence:  inboxSentence,
		Commands:  []string{"STATUS"},
		Responses: []string{"STATUS"},
		Faults: []fault.Fault{
			rewriteNth(`"InBox" not found`, "STATUS", 2, `^(\S+) OK `, "$1 NO "),
		},
		Run: func(t *conformance.T) {
			s := t.Login(0)
			want := inboxValidity(t, s)
			if got := statusItem(t, s, "InBox", "UIDVALIDITY"); got != want {
				t.Mismatch([]string{fmt.Sprintf("UIDVALIDITY %d, as STATUS INBOX reports", want)}, fmt.Sprintf("UIDVALIDITY %d", got), `STATUS InBox (UIDVALIDITY)`)
			}
		},
	}, {
		Name:  "inbox-any-case-create-refused",
		Title: `CREATE inbox fails: INBOX exists`,
		Level: conformance.Must,
		Sentence: inboxSentence + "\n" +
			`It is an error to attempt to create INBOX or a mailbox with a name that refers to an extant mailbox.`,
		Commands:  []string{"CREATE"},
		Responses: []string{"NO"},
		Faults: []fault.Fault{
			fault.RewriteResponse(`"inbox" created beside INBOX`, "CREATE", `^(\S+) NO `, "$1 OK "),
		},
		Run: func(t *conformance.T) {
			s := t.Login(0)
			if r := s.Tx("", "CREATE inbox"); r.Status() != "NO" {
				if r.Status() == "OK" {
					t.Cleanup(func() { t.Login(0).Tx("", "DELETE inbox") })
				}
				t.Mismatch([]string{"tagged NO"}, show1(r.Tagged), "CREATE inbox")
			}
		},
	}, {
		Name:  "inbox-any-case-delete-refused",
		Title: `DELETE InBoX fails and INBOX stays`,
		Level: conformance.Must,
		Sentence: inboxSentence + "\n" +
			`It is an error to attempt to delete INBOX or a mailbox name that does not exist.`,
		Commands:  []string{"DELETE", "STATUS"},
		Responses: []string{"NO", "STATUS"},
		Faults: []fault.Fault{
			fault.RewriteResponse(`"InBoX" deleted`, "DELETE", `^(\S+) NO `, "$1 OK "),
		},
		Run: func(t *conformance.T) {
			s := t.Login(0)
			s.Tx("NO", "DELETE InBoX")
			inboxValidity(t, s)
		},
	}, {
		Name:  "inbox-any-case-rename-target-exists",
		Title: `RENAME of a mailbox to "Inbox" fails: INBOX exists`,
		Level: conformance.Must,
		Sentence: inboxSentence + "\n" +
			`It is an error to attempt to rename from a mailbox name that does not exist or to a mailbox name that already exists.`,
		Commands:  []string{"RENAME"},
		Responses: []string{"NO"},
		Faults: []fault.Fault{
			fault.RewriteResponse(`"Inbox" is a free name`, "RENAME", `^(\S+) NO `, "$1 OK "),
		},
		Run: func(t *conformance.T) {
			mbox := t.Mailbox(0)
			s := t.Login(0)
			if r := s.Cmd("", "RENAME", wire.Astring(mbox), wire.Atom("Inbox")); r.Status() != "NO" {
				if r.Status() == "OK" {
					t.Cleanup(func() { t.Login(0).Cmd("", "RENAME", wire.Atom("Inbox"), wire.Astring(mbox)) })
				}
				t.Mismatch([]string{"tagged NO"}, show1(r.Tagged), "RENAME %s Inbox", mbox)
			}
		},
	}, {
		Name:      "inbox-any-case-subscribe",
		Title:     `SUBSCRIBE inBOX subscribes INBOX`,
		Level:     conformance.Must,
		Sentence:  inboxSentence,
		Commands:  []string{"SUBSCRIBE", "LSUB"},
		Responses: []string{"LSUB"},
		Faults: []fault.Fault{
			fault.DropResponse("INBOX not subscribed", "LSUB", `^\* LSUB `),
		},
		Run: func(t *conformance.T) {
			// INBOX stays subscribed, as most clients keep it.
			s := t.Login(0)
			s.Tx("OK", "SUBSCRIBE inBOX")
			r := s.Tx("OK", `LSUB "" INBOX`)
			if names, _ := listedNames(r, "LSUB"); len(names) != 1 || names[0] != "INBOX" {
				t.Mismatch([]string{`* LSUB (...) "/" INBOX`}, describeUntagged(r), `LSUB "" INBOX after SUBSCRIBE inBOX`)
			}
		},
	}, {
		Name:      "inbox-any-case-unsubscribe",
		Title:     `UNSUBSCRIBE INbox unsubscribes INBOX`,
		Level:     conformance.Must,
		Sentence:  inboxSentence,
		Commands:  []string{"SUBSCRIBE", "UNSUBSCRIBE", "LSUB"},
		Responses: []string{"LSUB"},
		Faults: []fault.Fault{
			rewriteNth("INBOX still subscribed", "LSUB", 2, `^(\S+) OK `, "* LSUB () \"/\" INBOX\r\n$1 OK "),
		},
		Run: func(t *conformance.T) {
			// The second user, so that the first user's INBOX stays
			// subscribed for the SUBSCRIBE and LSUB cases running beside.
			s := t.Login(1)
			before, _ := listedNames(s.Tx("OK", `LSUB "" INBOX`), "LSUB")
			if len(before) > 0 {
				t.Cleanup(func() { t.Login(1).Tx("OK", "SUBSCRIBE INBOX") })
			} else {
				s.Tx("OK", "SUBSCRIBE INBOX")
			}
			s.Tx("OK", "UNSUBSCRIBE INbox")
			r := s.Tx("OK", `LSUB "" INBOX`)
			if names, _ := listedNames(r, "LSUB"); len(names) != 0 {
				t.Mismatch([]string{"no LSUB response"}, describeUntagged(r), `LSUB "" INBOX after UNSUBSCRIBE INbox`)
			}
		},
	}, {
		Name:      "inbox-any-case-list",
		Title:     `LIST "" inbox lists INBOX`,
		Level:     conformance.Must,
		Sentence:  inboxSentence,
		Commands:  []string{"LIST"},
		Responses: []string{"LIST"},
		Faults: []fault.Fault{
			fault.DropResponse("inbox matched case-sensitively", "LIST", `^\* LIST `),
		},
		Run: func(t *conformance.T) {
			r := t.Login(0).Tx("OK", `LIST "" inbox`)
			if names, _ := listedNames(r, "LIST"); len(names) != 1 || names[0] != "INBOX" {
				t.Mismatch([]string{`* LIST (...) "/" INBOX`}, describeUntagged(r), `LIST "" inbox`)
			}
		},
	}, {
		Name:      "inbox-any-case-lsub",
		Title:     `LSUB "" iNbox lists the subscribed INBOX`,
		Level:     conformance.Must,
		Sentence:  inboxSentence,
		Commands:  []string{"SUBSCRIBE", "LSUB"},
		Responses: []string{"LSUB"},
		Faults: []fault.Fault{
			fault.DropResponse("iNbox matched case-sensitively", "LSUB", `^\* LSUB `),
		},
		Run: func(t *conformance.T) {
			s := t.Login(0)
			s.Tx("OK", "SUBSCRIBE INBOX")
			r := s.Tx("OK", `LSUB "" iNbox`)
			if names, _ := listedNames(r, "LSUB"); len(names) != 1 || names[0] != "INBOX" {
				t.Mismatch([]string{`* LSUB (...) "/" INBOX`}, describeUntagged(r), `LSUB "" iNbox`)
			}
		},
	}, {
		Name:      "inbox-any-case-append",
		Title:     `APPEND to "iNBOX" puts the message in INBOX`,
		Level:     conformance.Must,
		Sentence:  inboxSentence,
		Commands:  []string{"APPEND", "EXAMINE", "UID", "SEARCH"},
		Responses: []string{"SEARCH"},
		Faults: []fault.Fault{
			fault.RewriteResponse(`message appended to another "iNBOX"`, "UID", `^\* SEARCH[^\r]*`, "* SEARCH"),
		},
		Run: func(t *conformance.T) {
			id := inboxProbe(t, 1)
			msg := []byte("From: Ann Example <ann@example.org>\r\nSubject: INBOX in any case\r\nMessage-ID: <" + id + ">\r\n\r\nAppended to iNBOX.\r\n")
			t.Login(1).Cmd("OK", "APPEND", wire.Atom("iNBOX"), wire.Literal(msg))
			inInbox(t, 1, id, `APPEND iNBOX`)
		},
	}, {
		Name:      "inbox-any-case-copy",
		Title:     `COPY to "inbox" puts the message in INBOX`,
		Level:     conformance.Must,
		Sentence:  inboxSentence,
		Commands:  []string{"COPY", "EXAMINE", "UID", "SEARCH"},
		Responses: []string{"SEARCH"},
		Faults: []fault.Fault{
			fault.RewriteResponse(`message copied to another "inbox"`, "UID", `^\* SEARCH[^\r]*`, "* SEARCH"),
		},
		Run: func(t *conformance.T) {
			id := inboxProbe(t, 1)
			mbox := t.Mailbox(1)
			t.Append(1, mbox, []byte("From: Ann Example <ann@example.org>\r\nSubject: INBOX in any case\r\nMessage-ID: <"+id+">\r\n\r\nCopied to inbox.\r\n"))
			t.Select(1, mbox).Tx("OK", "COPY 1 inbox")
			inInbox(t, 1, id, `COPY 1 inbox`)
		},
	}}
}
