package grammar

import (
	"errors"
	"strings"
	"testing"
)

// Each strictness rule with a minimal response that breaks it and the
// RFC 3501 section 9 rule the error must name.
var strictCases = []struct {
	name, in, rule string
}{
	// Lines end in CRLF (section 2.2), and the response ends there.
	{"bare LF", "* OK hi\n", "CRLF"},
	{"bare CR at end", "* OK hi\r", "CRLF"},
	{"bare CR inside", "* OK a\rb\r\n", "CRLF"},
	{"no line end", "* OK hi", "CRLF"},
	{"two responses", "* OK hi\r\n* OK again\r\n", "CRLF"},
	{"garbage after EXISTS", "* 3 EXISTS 4\r\n", "CRLF"},
	{"garbage after FETCH", "* 1 FETCH (UID 1) x\r\n", "CRLF"},
	{"garbage after SEARCH", "* SEARCH 1 2)\r\n", "CRLF"},
	{"empty", "", "response"},
	{"star alone", "*\r\n", "response-data"},
	{"star SP alone", "* \r\n", "response-data"},

	// SP is exactly one space (section 9 note 2).
	{"two SP after star", "*  OK hi\r\n", "response-data"},
	{"two SP after tag", "A1  OK x\r\n", "response-tagged"},
	{"two SP in message-data", "* 3  EXISTS\r\n", "message-data"},
	{"two SP in flag list", "* FLAGS (\\Seen  \\Draft)\r\n", "flag-list"},
	{"TAB for SP", "* FLAGS\t(\\Seen)\r\n", "mailbox-data"},
	{"trailing SP in SEARCH", "* SEARCH 1 2 \r\n", "mailbox-data"},
	{"two SP before mailbox", "* LIST () \"/\"  foo\r\n", "mailbox"},
	{"SP between FETCH items doubled", "* 1 FETCH (UID 1  FLAGS ())\r\n", "msg-att"},

	// Quoted strings (section 4.3).
	{"bad escape", "* LIST () \"/\" \"a\\b\"\r\n", "quoted"},
	{"8-bit in quoted", "* LIST () \"/\" \"caf\xc3\xa9\"\r\n", "quoted"},
	{"CRLF in quoted", "* LIST () \"/\" \"a\r\nb\"\r\n", "quoted"},
	{"unterminated quoted", "* LIST () \"/\" \"abc\r\n", "quoted"},
	{"NUL in quoted", "* LIST () \"/\" \"a\x00b\"\r\n", "quoted"},

	// Numbers.
	{"EXPUNGE 0", "* 0 EXPUNGE\r\n", "message-data"},
	{"FETCH 0", "* 0 FETCH (UID 1)\r\n", "message-data"},
	{"leading zero nz-number", "* 01 EXPUNGE\r\n", "message-data"},
	{"EXISTS over 32 bits", "* 4294967296 EXISTS\r\n", "mailbox-data"},
	{"UID 0", "* 1 FETCH (UID 0)\r\n", "uniqueid"},
	{"UID leading zero", "* 1 FETCH (UID 012)\r\n", "uniqueid"},
	{"UIDVALIDITY 0", "* OK [UIDVALIDITY 0] x\r\n", "resp-text-code"},
	{"UIDNEXT over 32 bits", "* OK [UIDNEXT 99999999999] x\r\n", "resp-text-code"},
	{"SEARCH 0", "* SEARCH 0\r\n", "mailbox-data"},
	{"negative size", "* 1 FETCH (RFC822.SIZE -1)\r\n", "msg-att-static"},
	{"HIGHESTMODSEQ 0", "* OK [HIGHESTMODSEQ 0] x\r\n", "resp-text-code"},
	{"MODSEQ over 63 bits", "* 1 FETCH (MODSEQ (9223372036854775808))\r\n", "permsg-modsequence"},

	// Tags (tag = 1*<any ASTRING-CHAR except "+">).
	{"plus in tag", "A+1 OK x\r\n", "tag"},
	{"paren in tag", "A(1 OK x\r\n", "tag"},
	{"brace in tag", "A{1 OK x\r\n", "tag"},
	{"quote in tag", "A\"1 OK x\r\n", "tag"},
	{"percent in tag", "A%1 OK x\r\n", "tag"},
	{"tag alone", "A1\r\n", "tag"},

	// Atoms and flags.
	{"paren in flag", "* FLAGS (\\Se(en)\r\n", "flag-list"},
	{"wildcard in keyword", "* FLAGS (foo%bar)\r\n", "flag-list"},
	{"empty flag-extension", "* FLAGS (\\)\r\n", "flag-list"},
	{"star flag outside PERMANENTFLAGS", "* FLAGS (\\*)\r\n", "flag-list"},
	{"star flag in FETCH", "* 1 FETCH (FLAGS (\\*))\r\n", "flag-fetch"},
	{"flags without parens", "* FLAGS \\Seen\r\n", "flag-list"},
	{"unclosed flag list", "* FLAGS (\\Seen\r\n", "flag-list"},

	// Literals.
	{"literal too short", "* 1 FETCH (BODY[] {10}\r\nabc)\r\n", "literal"},
	{"literal count with bare LF", "* 1 FETCH (BODY[] {3}\nabc)\r\n", "literal"},
	{"non-synchronizing literal", "* 1 FETCH (BODY[] {3+}\r\nabc)\r\n", "literal"},
	{"NUL in literal", "* 1 FETCH (BODY[] {3}\r\na\x00c)\r\n", "literal"},
	{"literal without count", "* 1 FETCH (BODY[] {}\r\n)\r\n", "literal"},
	{"literal8 outside BINARY", "* 1 FETCH (BODY[] ~{3}\r\nabc)\r\n", "msg-att-static"},

	// Message numbers come first.
	{"EXISTS without number", "* EXISTS 3\r\n", "message-data"},
	{"negative EXISTS", "* -1 EXISTS\r\n", "response-data"},

	// resp-text (RFC 9051 relaxes only the text, not the SP).
	{"tagged OK without text", "A1 OK\r\n", "resp-cond-state"},
	{"code without SP", "* OK [ALERT]\r\n", "resp-text"},
	{"code glued to text", "A1 OK [READ-WRITE]x\r\n", "resp-text"},
	{"BYE without text", "* BYE\r\n", "resp-cond-bye"},
	{"continuation without SP", "+\r\n", "continue-req"},
	{"NUL in text", "* OK a\x00b\r\n", "text"},
	{"8-bit text", "* OK caf\xc3\xa9\r\n", "text"},

	// Response codes.
	{"ALERT with arguments", "* OK [ALERT now] x\r\n", "resp-text-code"},
	{"UIDNEXT without number", "* OK [UIDNEXT] x\r\n", "resp-text-code"},
	{"UIDNEXT not a number", "* OK [UIDNEXT abc] x\r\n", "resp-text-code"},
	{"PERMANENTFLAGS without list", "* OK [PERMANENTFLAGS \\Seen] x\r\n", "flag-perm"},
	{"CAPABILITY code without IMAP4rev1", "* OK [CAPABILITY STARTTLS] x\r\n", "capability-data"},
	{"star in COPYUID", "* OK [COPYUID 1 1:* 2] x\r\n", "uid-set"},
	{"unterminated code", "* OK [UNKNOWN-CODE x\r\n", "resp-text-code"},
	{"empty code", "* OK [] x\r\n", "resp-text-code"},
	{"BADCHARSET empty list", "* NO [BADCHARSET ()] x\r\n", "resp-text-code"},

	// Tagged responses and the greeting.
	{"tagged BYE", "A1 BYE x\r\n", "response-tagged"},
	{"tagged PREAUTH", "A1 PREAUTH x\r\n", "response-tagged"},
	{"tagged data", "A1 FETCH x\r\n", "response-tagged"},
	{"untagged PREAUTH after greeting", "* PREAUTH x\r\n", "response-data"},

	// FETCH (section 7.4.2).
	{"duplicate item", "* 1 FETCH (UID 1 UID 1)\r\n", "msg-att"},
	{"duplicate section", "* 1 FETCH (BODY[] NIL body[] NIL)\r\n", "msg-att"},
	{"empty msg-att", "* 1 FETCH ()\r\n", "msg-att"},
	{"BODY.PEEK in response", "* 1 FETCH (BODY.PEEK[] {1}\r\nx)\r\n", "msg-att"},
	{"partial with length", "* 1 FETCH (BODY[]<0.10> NIL)\r\n", "msg-att-static"},
	{"bad section text", "* 1 FETCH (BODY[1.MIMEX] NIL)\r\n", "section-spec"},
	{"MIME without part", "* 1 FETCH (BODY[MIME] NIL)\r\n", "section-spec"},
	{"part zero", "* 1 FETCH (BODY[0] NIL)\r\n", "section-part"},
	{"HEADER.FIELDS without list", "* 1 FETCH (BODY[HEADER.FIELDS] NIL)\r\n", "section-msgtext"},
	{"empty header list", "* 1 FETCH (BODY[HEADER.FIELDS ()] NIL)\r\n", "header-fld-name"},
	{"date without zone", "* 1 FETCH (INTERNALDATE \"17-Jul-1996 02:44:25\")\r\n", "date-time"},
	{"one-digit day without SP", "* 1 FETCH (INTERNALDATE \"7-Jul-1996 02:44:25 -0700\")\r\n", "date-time"},
	{"no such day", "* 1 FETCH (INTERNALDATE \"31-Apr-1996 02:44:25 -0700\")\r\n", "date-time"},
	{"29 Feb of a common year", "* 1 FETCH (INTERNALDATE \"29-Feb-2023 02:44:25 -0700\")\r\n", "date-time"},
	{"bad month", "* 1 FETCH (INTERNALDATE \"17-Jux-1996 02:44:25 -0700\")\r\n", "date-time"},
	{"hour 24", "* 1 FETCH (INTERNALDATE \"17-Jul-1996 24:00:00 -0700\")\r\n", "date-time"},
	{"zone without sign", "* 1 FETCH (INTERNALDATE \"17-Jul-1996 02:44:25 0700\")\r\n", "date-time"},
	{"zone minutes 60", "* 1 FETCH (INTERNALDATE \"17-Jul-1996 02:44:25 +0060\")\r\n", "date-time"},
	{"date as literal", "* 1 FETCH (INTERNALDATE {26}\r\n17-Jul-1996 02:44:25 -0700)\r\n", "date-time"},
	{"ISO date", "* 1 FETCH (INTERNALDATE \"1996-07-17T02:44:25-07:00\")\r\n", "date-time"},
	{"empty address list", "* 1 FETCH (ENVELOPE (NIL NIL () NIL NIL NIL NIL NIL NIL NIL))\r\n", "env-from"},
	{"SP between addresses", "* 1 FETCH (ENVELOPE (NIL NIL ((NIL NIL \"a\" \"b\") (NIL NIL \"c\" \"d\")) NIL NIL NIL NIL NIL NIL NIL))\r\n", "env-from"},
	{"short envelope", "* 1 FETCH (ENVELOPE (NIL NIL NIL NIL NIL NIL NIL NIL NIL))\r\n", "envelope"},
	{"atom in envelope", "* 1 FETCH (ENVELOPE (foo NIL NIL NIL NIL NIL NIL NIL NIL NIL))\r\n", "env-date"},
	{"short address", "* 1 FETCH (ENVELOPE (NIL NIL ((NIL \"a\" \"b\")) NIL NIL NIL NIL NIL NIL NIL))\r\n", "address"},
	{"text body without lines", "* 1 FETCH (BODY (\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 3))\r\n", "body-type-text"},
	{"empty body params", "* 1 FETCH (BODY (\"TEXT\" \"PLAIN\" () NIL NIL \"7BIT\" 3 1))\r\n", "body-fld-param"},
	{"odd body params", "* 1 FETCH (BODY (\"TEXT\" \"PLAIN\" (\"A\") NIL NIL \"7BIT\" 3 1))\r\n", "body-fld-param"},
	{"SP between parts", "* 1 FETCH (BODY ((\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 3 1) (\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 3 1) \"MIXED\"))\r\n", "body-type-mpart"},
	{"message/rfc822 without envelope", "* 1 FETCH (BODY (\"MESSAGE\" \"RFC822\" NIL NIL NIL \"7BIT\" 3))\r\n", "body-type-msg"},
	{"encoding as atom", "* 1 FETCH (BODY (\"IMAGE\" \"GIF\" NIL NIL NIL BASE64 3))\r\n", "body-fld-enc"},
	{"disposition without params", "* 1 FETCH (BODYSTRUCTURE (\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 3 1 NIL (\"inline\") NIL NIL))\r\n", "body-fld-dsp"},
	{"media type as atom", "* 1 FETCH (BODY (TEXT \"PLAIN\" NIL NIL NIL \"7BIT\" 3 1))\r\n", "media-basic"},
	{"multipart without subtype", "* 1 FETCH (BODY ((\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 3 1)))\r\n", "body-type-mpart"},

	// LIST and LSUB (sections 7.2.2, 7.2.3).
	{"two selectability flags", "* LIST (\\Noselect \\Marked) \"/\" foo\r\n", "mbx-list-flags"},
	{"attribute without backslash", "* LIST (Noselect) \"/\" foo\r\n", "mbx-list-flags"},
	{"two-character delimiter", "* LIST () \"//\" foo\r\n", "mailbox-list"},
	{"unquoted delimiter", "* LIST () / foo\r\n", "mailbox-list"},
	{"literal delimiter", "* LIST () {1}\r\n/ foo\r\n", "mailbox-list"},
	{"no mailbox", "* LIST () \"/\"\r\n", "mailbox-list"},
	{"bad extended data", "* LIST () \"/\" foo bar\r\n", "mbox-list-extended"},

	// STATUS, CAPABILITY and the extensions.
	{"status attribute without number", "* STATUS foo (MESSAGES)\r\n", "status-att-list"},
	{"status attribute twice", "* STATUS foo (MESSAGES 1 MESSAGES 2)\r\n", "status-att-list"},
	{"status without parens", "* STATUS foo MESSAGES 1\r\n", "mailbox-data"},
	{"CAPABILITY without IMAP4rev1", "* CAPABILITY STARTTLS\r\n", "capability-data"},
	{"empty CAPABILITY", "* CAPABILITY\r\n", "capability-data"},
	{"thread-nested of one", "* THREAD (1 (2))\r\n", "thread-nested"},
	{"empty thread", "* THREAD ()\r\n", "thread-members"},
	{"star in VANISHED", "* VANISHED 1:*\r\n", "known-uids"},
	{"VANISHED (LATER)", "* VANISHED (LATER) 1\r\n", "expunged-resp"},
	{"ESEARCH MIN 0", "* ESEARCH MIN 0\r\n", "search-return-data"},
	{"ESEARCH item twice", "* ESEARCH COUNT 1 COUNT 2\r\n", "search-return-data"},
	{"ID field without value", "* ID (\"a\")\r\n", "id-params-list"},
	{"empty namespace list", "* NAMESPACE () NIL NIL\r\n", "namespace"},
	{"two namespaces", "* NAMESPACE NIL NIL\r\n", "namespace-response"},

	// Unknown responses must still tokenise.
	{"unbalanced list", "* XFOO (a b\r\n", "response-data"},
	{"double SP in unknown", "* XFOO a  b\r\n", "response-data"},
	{"8-bit in unknown", "* XFOO caf\xc3\xa9\r\n", "response-data"},
	{"deep nesting", "* XFOO " + strings.Repeat("(", 200) + strings.Repeat(")", 200) + "\r\n", "response-data"},
	{"deep body", "* 1 FETCH (BODY " + strings.Repeat("(", 150) + "\r\n", "body"},
}

func TestStrictness(t *testing.T) {
	seen := map[string]bool{}
	for _, tc := range strictCases {
		if seen[tc.name] {
			t.Errorf("duplicate case name %q", tc.name)
		}
		seen[tc.name] = true
		r, err := Parse([]byte(tc.in))
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("%s: Parse(%q) = %+v, %v; want a syntax error on %s", tc.name, tc.in, r, err, tc.rule)
			continue
		}
		if se.Rule != tc.rule {
			t.Errorf("%s: rule %q, want %q (%v)", tc.name, se.Rule, tc.rule, se)
		}
		if se.Raw != tc.in || se.Offset < 0 || se.Offset > len(tc.in) || se.Msg == "" {
			t.Errorf("%s: error fields %+v", tc.name, se)
		}
	}
}

// Tokens are case-insensitive (section 9 note 1): a strict tool must not
// fail a server for its choice of case.
func TestCaseInsensitive(t *testing.T) {
	for _, tc := range []struct {
		in    string
		check func(*Response) bool
	}{
		{"* 3 exists\r\n", func(r *Response) bool { return r.Name == "EXISTS" && r.Number == 3 }},
		{"* 2 Recent\r\n", func(r *Response) bool { return r.Name == "RECENT" }},
		{"* 4 expunge\r\n", func(r *Response) bool { return r.Name == "EXPUNGE" }},
		{"a1 ok done\r\n", func(r *Response) bool { return r.Name == "OK" }},
		{"a1 No nope\r\n", func(r *Response) bool { return r.Name == "NO" }},
		{"a1 bad what\r\n", func(r *Response) bool { return r.Name == "BAD" }},
		{"* bye now\r\n", func(r *Response) bool { return r.Name == "BYE" }},
		{"* ok [uidvalidity 5] x\r\n", func(r *Response) bool { return r.Code.Name == "UIDVALIDITY" && r.Code.Number == 5 }},
		{"* ok [read-only] x\r\n", func(r *Response) bool { return r.Code.Name == "READ-ONLY" }},
		{"* ok [permanentflags (\\deleted \\SEEN \\*)] x\r\n", func(r *Response) bool {
			return strings.Join(r.Code.Flags, " ") == `\Deleted \Seen \*`
		}},
		{"* flags (\\seen \\ANSWERED $junk)\r\n", func(r *Response) bool { return strings.Join(r.Flags, " ") == `\Seen \Answered $junk` }},
		{"* capability imap4REV1 starttls\r\n", func(r *Response) bool { return r.HasCapability("IMAP4rev1") }},
		{"* list (\\noselect \\HASCHILDREN) nil inbox\r\n", func(r *Response) bool {
			return r.List.Mailbox == "INBOX" && r.List.Attributes[0] == `\Noselect` && r.List.Attributes[1] == `\HasChildren`
		}},
		{"* lsub () \"/\" \"iNbOx\"\r\n", func(r *Response) bool { return r.Name == "LSUB" && r.List.Mailbox == "INBOX" }},
		{"* status inbox (messages 1 uidnext 2)\r\n", func(r *Response) bool { return r.Status.Items["MESSAGES"] == 1 && r.Status.Items["UIDNEXT"] == 2 }},
		{"* search 1 2 (modseq 3)\r\n", func(r *Response) bool { return len(r.Search.Nums) == 2 && r.Search.ModSeq == 3 }},
		{"* 1 fetch (uid 5 flags (\\seen) rfc822.size 3 modseq (4))\r\n", func(r *Response) bool {
			f := r.Fetch
			return f.UID == 5 && f.Flags[0] == `\Seen` && f.RFC822Size == 3 && f.ModSeq == 4 && f.Has("RFC822.SIZE")
		}},
		{"* 1 fetch (body[header.fields.not (from)] nil body[1.mime] nil)\r\n", func(r *Response) bool {
			s := r.Fetch.Sections
			return s[0].Specifier == "HEADER.FIELDS.NOT" && s[0].Data.Nil && s[1].Specifier == "MIME"
		}},
		{"* 1 fetch (internaldate \"17-jul-1996 02:44:25 -0700\")\r\n", func(r *Response) bool { return r.Fetch.InternalDate.Month() == 7 }},
		{"* 1 fetch (envelope (nil nil nil nil nil nil nil nil nil nil))\r\n", func(r *Response) bool { return r.Fetch.Envelope.Date.Nil }},
		{"* 1 fetch (bodystructure (\"text\" \"plain\" nil nil nil \"7bit\" 3 1 nil nil nil nil))\r\n", func(r *Response) bool {
			b := r.Fetch.BodyStructure
			return b.Type == "TEXT" && b.Subtype == "PLAIN" && b.Encoding == "7BIT" && b.Lines == 1 && b.ExtFields == 4
		}},
		{"* 1 fetch (body (\"message\" \"rfc822\" nil nil nil \"7bit\" 3 (nil nil nil nil nil nil nil nil nil nil) (\"text\" \"plain\" nil nil nil \"7bit\" 1 1) 2))\r\n", func(r *Response) bool {
			return r.Fetch.Body.Body.MediaType() == "text/plain"
		}},
		{"* esearch (tag \"a\") uid all 1:2 count 2\r\n", func(r *Response) bool { return r.ESearch.UID && r.ESearch.Count == 2 }},
		{"* vanished (earlier) 1\r\n", func(r *Response) bool { return r.Vanished.Earlier }},
		{"* enabled condstore\r\n", func(r *Response) bool { return r.HasCapability("CONDSTORE") }},
		{"* id nil\r\n", func(r *Response) bool { return r.ID.Nil }},
		{"* namespace nil nil nil\r\n", func(r *Response) bool { return r.Namespace.Personal == nil }},
		{"* ok [appenduid 1 2] x\r\n", func(r *Response) bool { return r.Code.UIDValidity == 1 }},
		{"* ok [highestmodseq 9] x\r\n", func(r *Response) bool { return r.Code.ModSeq == 9 }},
		{"* ok [capability imap4rev1 idle] x\r\n", func(r *Response) bool { return r.Code.HasCapability("IDLE") }},
		{"* ok [badcharset (utf-8)] x\r\n", func(r *Response) bool { return r.Code.Charsets[0] == "utf-8" }},
	} {
		r, err := Parse([]byte(tc.in))
		if err != nil {
			t.Errorf("Parse(%q): %v", tc.in, err)
			continue
		}
		if !tc.check(r) {
			t.Errorf("Parse(%q) typed wrongly: %+v", tc.in, r)
		}
	}
}

// A literal is fine wherever a string is allowed, even where the grammar
// spells a quoted string (media types, body-fld-enc).
func TestLiteralForQuoted(t *testing.T) {
	lit := func(s string) string { return "{" + itoa(len(s)) + "}\r\n" + s }
	for _, tc := range []struct {
		in    string
		check func(*Response) bool
	}{
		{"* LIST () \"/\" " + lit("foo bar") + "\r\n", func(r *Response) bool { return r.List.Mailbox == "foo bar" }},
		{"* STATUS " + lit("a\"b") + " (MESSAGES 1)\r\n", func(r *Response) bool { return r.Status.Mailbox == `a"b` }},
		{"* 1 FETCH (ENVELOPE (" + lit("Mon, 1 Jan 2024") + " " + lit("Grüße") + " ((" + lit("Bob") + " NIL " + lit("bob") + " " + lit("example.org") + ")) NIL NIL NIL NIL NIL " + lit("<a@b>") + " " + lit("<c@d>") + "))\r\n", func(r *Response) bool {
			e := r.Fetch.Envelope
			return e.Subject.Value == "Grüße" && e.From[0].Host.Value == "example.org" && e.MessageID.Value == "<c@d>"
		}},
		{"* 1 FETCH (BODY (" + lit("TEXT") + " " + lit("PLAIN") + " (" + lit("CHARSET") + " " + lit("UTF-8") + ") NIL NIL " + lit("8BIT") + " 3 1))\r\n", func(r *Response) bool {
			b := r.Fetch.Body
			return b.MediaType() == "text/plain" && b.Lines == 1 && b.Encoding == "8BIT" && b.Params[0].Value == "UTF-8"
		}},
		{"* 1 FETCH (BODY (" + lit("MESSAGE") + " " + lit("RFC822") + " NIL NIL NIL \"7BIT\" 3 (NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL) (\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 1 1) 2))\r\n", func(r *Response) bool {
			return r.Fetch.Body.Envelope != nil
		}},
		{"* 1 FETCH (BODY[HEADER.FIELDS (" + lit("From") + ")] NIL RFC822.TEXT " + lit("") + ")\r\n", func(r *Response) bool {
			f := r.Fetch
			return f.Sections[0].Fields[0] == "From" && !f.RFC822Text.Nil && f.RFC822Text.Value == ""
		}},
		{"* 1 FETCH (BODYSTRUCTURE (\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 3 1 " + lit("md5") + " (" + lit("inline") + " NIL) " + lit("en") + " " + lit("loc") + "))\r\n", func(r *Response) bool {
			b := r.Fetch.BodyStructure
			return b.MD5.Value == "md5" && b.Disposition.Type == "inline" && b.Language[0] == "en" && b.Location.Value == "loc"
		}},
		{"* ID (" + lit("name") + " " + lit("x") + ")\r\n", func(r *Response) bool { return r.ID.Params[0].Value.Value == "x" }},
		{"* NAMESPACE ((" + lit("") + " \"/\")) NIL NIL\r\n", func(r *Response) bool { return r.Namespace.Personal[0].Prefix == "" }},
		{"* NO [BADCHARSET (" + lit("UTF-8") + ")] x\r\n", func(r *Response) bool { return r.Code.Charsets[0] == "UTF-8" }},
		{"* ESEARCH (TAG " + lit("A1") + ") COUNT 0\r\n", func(r *Response) bool { return r.ESearch.Tag == "A1" }},
		{"* METADATA " + lit("INBOX") + " (" + lit("/shared/x") + " " + lit("v") + ")\r\n", func(r *Response) bool {
			return r.Metadata.Mailbox == "INBOX" && r.Metadata.Entries[0].Value.Value == "v"
		}},
	} {
		r, err := Parse([]byte(tc.in))
		if err != nil {
			t.Errorf("Parse(%q): %v", tc.in, err)
			continue
		}
		if !tc.check(r) {
			t.Errorf("Parse(%q) typed wrongly: %+v", tc.in, r)
		}
	}
}

func itoa(n int) string { return formatUint(uint64(n)) }
