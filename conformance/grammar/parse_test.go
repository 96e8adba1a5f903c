package grammar

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

func mustParse(t *testing.T, s string) *Response {
	t.Helper()
	r, err := Parse([]byte(s))
	if err != nil {
		t.Fatalf("Parse(%q): %v", s, err)
	}
	return r
}

func eq[T any](t *testing.T, what string, got, want T) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s = %#v, want %#v", what, got, want)
	}
}

// RFC 3501 section 7.1: status responses, tagged and untagged.
func TestStatusResponses(t *testing.T) {
	r := mustParse(t, "a002 OK [READ-WRITE] SELECT completed\r\n")
	eq(t, "Kind", r.Kind, Tagged)
	eq(t, "Tag", r.Tag, "a002")
	eq(t, "Name", r.Name, "OK")
	eq(t, "Code.Name", r.Code.Name, "READ-WRITE")
	eq(t, "Code.Raw", r.Code.Raw, "READ-WRITE")
	eq(t, "Text", r.Text, "SELECT completed")
	eq(t, "IsStatus", r.IsStatus(), true)

	r = mustParse(t, "* NO Disk is 98% full, please delete unnecessary data\r\n")
	eq(t, "Kind", r.Kind, Untagged)
	eq(t, "Name", r.Name, "NO")
	eq(t, "Text", r.Text, "Disk is 98% full, please delete unnecessary data")
	if r.Code != nil {
		t.Errorf("Code = %+v, want none", r.Code)
	}

	r = mustParse(t, "* BYE Autologout; idle for too long\r\n")
	eq(t, "Name", r.Name, "BYE")

	// Text may itself begin with SP or hold brackets after the code.
	r = mustParse(t, "A1 BAD  two spaces [not a code]\r\n")
	eq(t, "Text", r.Text, " two spaces [not a code]")

	// The tag may hold "]" and any ATOM-CHAR but "+".
	r = mustParse(t, "a]b.c-1 NO x\r\n")
	eq(t, "Tag", r.Tag, "a]b.c-1")
}

// RFC 3501 section 7.5: continuation requests.
func TestContinuation(t *testing.T) {
	r := mustParse(t, "+ Ready for literal data\r\n")
	eq(t, "Kind", r.Kind, Continuation)
	eq(t, "Text", r.Text, "Ready for literal data")
	eq(t, "Base64", r.Base64, false)

	r = mustParse(t, "+ dGVzdA==\r\n")
	eq(t, "Base64", r.Base64, true)

	r = mustParse(t, "+ \r\n")
	eq(t, "Text", r.Text, "")
	eq(t, "Base64 (empty challenge)", r.Base64, true)
	eq(t, "Notes", len(r.Notes), 0)

	r = mustParse(t, "+ [ALERT] slow down\r\n")
	eq(t, "Code.Name", r.Code.Name, "ALERT")
	eq(t, "Text", r.Text, "slow down")
}

func TestGreeting(t *testing.T) {
	for _, tc := range []struct{ in, name string }{
		{"* OK IMAP4rev1 Service Ready\r\n", "OK"},
		{"* PREAUTH IMAP4rev1 server logged in as Smith\r\n", "PREAUTH"},
		{"* BYE Too many connections\r\n", "BYE"},
		{"* ok [CAPABILITY IMAP4rev1 STARTTLS] ready\r\n", "OK"},
	} {
		r, err := ParseGreeting([]byte(tc.in))
		if err != nil {
			t.Errorf("ParseGreeting(%q): %v", tc.in, err)
			continue
		}
		eq(t, "Name of "+tc.in, r.Name, tc.name)
	}
	for _, in := range []string{
		"* NO go away\r\n",
		"A1 OK hello\r\n",
		"+ hello\r\n",
		"* CAPABILITY IMAP4rev1\r\n",
	} {
		_, err := ParseGreeting([]byte(in))
		var se *SyntaxError
		if !errors.As(err, &se) || se.Rule != "greeting" {
			t.Errorf("ParseGreeting(%q) = %v, want a greeting syntax error", in, err)
		}
	}
}

func TestResponseCodes(t *testing.T) {
	code := func(s string) *Code {
		t.Helper()
		r := mustParse(t, "* OK ["+s+"] text\r\n")
		if r.Code == nil {
			t.Fatalf("%q: no code", s)
		}
		eq(t, "Raw", r.Code.Raw, s)
		return r.Code
	}
	c := code("UIDVALIDITY 3857529045")
	eq(t, "UIDVALIDITY", c.Number, uint32(3857529045))
	c = code("UIDNEXT 4392")
	eq(t, "UIDNEXT", c.Number, uint32(4392))
	c = code("UNSEEN 17")
	eq(t, "UNSEEN", c.Number, uint32(17))
	c = code(`PERMANENTFLAGS (\Deleted \seen \*)`)
	eq(t, "PERMANENTFLAGS", c.Flags, []string{`\Deleted`, `\Seen`, `\*`})
	c = code("PERMANENTFLAGS ()")
	eq(t, "empty PERMANENTFLAGS", c.Flags, []string{})
	c = code("CAPABILITY IMAP4rev1 LITERAL+ AUTH=PLAIN")
	eq(t, "CAPABILITY", c.Capabilities, []string{"IMAP4rev1", "LITERAL+", "AUTH=PLAIN"})
	eq(t, "HasCapability", c.HasCapability("literal+"), true)
	c = code("BADCHARSET (UTF-8 \"US-ASCII\")")
	eq(t, "BADCHARSET", c.Charsets, []string{"UTF-8", "US-ASCII"})
	c = code("BADCHARSET")
	eq(t, "bare BADCHARSET", c.Name, "BADCHARSET")
	c = code("APPENDUID 38505 3955")
	eq(t, "APPENDUID validity", c.UIDValidity, uint32(38505))
	eq(t, "APPENDUID uids", c.UIDs, NumSet{{3955, 3955}})
	c = code("COPYUID 38505 304,319:320 3956:3958")
	eq(t, "COPYUID source", c.SourceUIDs, NumSet{{304, 304}, {319, 320}})
	eq(t, "COPYUID dest", c.UIDs, NumSet{{3956, 3958}})
	c = code("HIGHESTMODSEQ 715194045007")
	eq(t, "HIGHESTMODSEQ", c.ModSeq, uint64(715194045007))
	c = code("MODIFIED 7,9:*")
	eq(t, "MODIFIED", c.Set, NumSet{{7, 7}, {9, 0}})
	for _, bare := range []string{"ALERT", "PARSE", "READ-ONLY", "TRYCREATE", "NOMODSEQ", "CLOSED", "UIDNOTSTICKY", "NONEXISTENT", "alreadyexists"} {
		c = code(bare)
		eq(t, "bare code", c.Name, strings.ToUpper(bare))
		eq(t, "Unknown", c.Unknown, false)
	}
	c = code("REFERRAL imap://user;AUTH=*@SERVER2/")
	eq(t, "unknown code name", c.Name, "REFERRAL")
	eq(t, "unknown code args", c.Args, "imap://user;AUTH=*@SERVER2/")
	eq(t, "Unknown", c.Unknown, true)
	c = code("x-custom")
	eq(t, "unknown code without args", c.Name, "X-CUSTOM")
}

func TestMailboxData(t *testing.T) {
	r := mustParse(t, "* FLAGS (\\Answered \\flagged \\Deleted \\Seen \\Draft $Forwarded)\r\n")
	eq(t, "Flags", r.Flags, []string{`\Answered`, `\Flagged`, `\Deleted`, `\Seen`, `\Draft`, "$Forwarded"})
	eq(t, "HasFlag", r.HasFlag(`\SEEN`), true)

	r = mustParse(t, "* LIST (\\Noselect \\haschildren) \"/\" ~/Mail/foo\r\n")
	eq(t, "Attributes", r.List.Attributes, []string{`\Noselect`, `\HasChildren`})
	eq(t, "Delimiter", r.List.Delimiter, "/")
	eq(t, "Mailbox", r.List.Mailbox, "~/Mail/foo")
	eq(t, "HasAttribute", r.List.HasAttribute(`\NOSELECT`), true)

	r = mustParse(t, "* LIST () NIL inbox\r\n")
	eq(t, "NIL delimiter", r.List.Delimiter, "")
	eq(t, "INBOX canonical", r.List.Mailbox, "INBOX")
	eq(t, "RawMailbox", r.List.RawMailbox, "inbox")
	eq(t, "empty attributes", r.List.Attributes, []string{})

	r = mustParse(t, "* LSUB () \"\\\\\" \"a \\\"b\\\"\"\r\n")
	eq(t, "Name", r.Name, "LSUB")
	eq(t, "escaped delimiter", r.List.Delimiter, `\`)
	eq(t, "quoted mailbox", r.List.Mailbox, `a "b"`)
	eq(t, "RawMailbox", r.List.RawMailbox, `"a \"b\""`)

	r = mustParse(t, "* LIST () \"/\" {4}\r\nf\"o]\r\n")
	eq(t, "literal mailbox", r.List.Mailbox, "f\"o]")

	r = mustParse(t, "* LIST (\\Subscribed) \"/\" foo (\"CHILDINFO\" (\"SUBSCRIBED\") \"OLDNAME\" (\"bar\"))\r\n")
	eq(t, "Extended", r.List.Extended, []ExtItem{
		{Name: "CHILDINFO", Value: Value{Kind: List, List: []Value{{Kind: String, Str: "SUBSCRIBED"}}}},
		{Name: "OLDNAME", Value: Value{Kind: List, List: []Value{{Kind: String, Str: "bar"}}}},
	})

	r = mustParse(t, "* STATUS blurdybloop (MESSAGES 231 UIDNEXT 44292 highestmodseq 7011231777)\r\n")
	eq(t, "Status.Mailbox", r.Status.Mailbox, "blurdybloop")
	eq(t, "Status.Items", r.Status.Items, map[string]uint64{"MESSAGES": 231, "UIDNEXT": 44292, "HIGHESTMODSEQ": 7011231777})

	r = mustParse(t, "* STATUS \"INBOX\" ()\r\n")
	eq(t, "empty status", len(r.Status.Items), 0)

	r = mustParse(t, "* SEARCH 2 84 882\r\n")
	eq(t, "Search.Nums", r.Search.Nums, []uint32{2, 84, 882})
	r = mustParse(t, "* SEARCH\r\n")
	eq(t, "empty SEARCH", len(r.Search.Nums), 0)
	r = mustParse(t, "* SEARCH 2 5 6 7 11 12 18 19 20 23 (MODSEQ 917162500)\r\n")
	eq(t, "Search.ModSeq", r.Search.ModSeq, uint64(917162500))
	r = mustParse(t, "* SORT 2 84 882\r\n")
	eq(t, "SORT", r.Search.Nums, []uint32{2, 84, 882})

	r = mustParse(t, "* 23 EXISTS\r\n")
	eq(t, "EXISTS", r.Number, uint32(23))
	r = mustParse(t, "* 0 RECENT\r\n")
	eq(t, "RECENT 0", r.Number, uint32(0))
	r = mustParse(t, "* 44 EXPUNGE\r\n")
	eq(t, "EXPUNGE", r.Number, uint32(44))
	r = mustParse(t, "* CAPABILITY IMAP4rev1 STARTTLS AUTH=GSSAPI XPIG-LATIN\r\n")
	eq(t, "Capabilities", r.Capabilities, []string{"IMAP4rev1", "STARTTLS", "AUTH=GSSAPI", "XPIG-LATIN"})
}

// The FETCH example of RFC 3501 section 8, typed.
func TestFetchRFCExample(t *testing.T) {
	var raw string
	for _, e := range loadCorpus(t, "rfc3501.txt") {
		if strings.Contains(e.raw, "ENVELOPE") {
			raw = e.raw
		}
	}
	r := mustParse(t, raw)
	f := r.Fetch
	eq(t, "Number", r.Number, uint32(12))
	eq(t, "Items", f.Items, []string{"FLAGS", "INTERNALDATE", "RFC822.SIZE", "ENVELOPE", "BODY"})
	eq(t, "Flags", f.Flags, []string{`\Seen`})
	eq(t, "InternalDate", f.InternalDate.Equal(time.Date(1996, 7, 17, 9, 44, 25, 0, time.UTC)), true)
	_, off := f.InternalDate.Zone()
	eq(t, "zone offset", off, -7*3600)
	eq(t, "RFC822Size", f.RFC822Size, uint32(4286))
	env := f.Envelope
	eq(t, "Date", env.Date, NString{Value: "Wed, 17 Jul 1996 02:23:25 -0700 (PDT)"})
	eq(t, "Subject", env.Subject.Value, "IMAP4rev1 WG mtg summary and minutes")
	gray := Address{Name: NString{Value: "Terry Gray"}, ADL: NString{Nil: true}, Mailbox: NString{Value: "gray"}, Host: NString{Value: "cac.washington.edu"}}
	eq(t, "From", env.From, []Address{gray})
	eq(t, "Cc", len(env.Cc), 2)
	eq(t, "Cc[1]", env.Cc[1].Mailbox.Value, "KLENSIN")
	eq(t, "Bcc", env.Bcc, []Address(nil))
	eq(t, "InReplyTo", env.InReplyTo, NString{Nil: true})
	eq(t, "MessageID", env.MessageID.Value, "<B27397-0100000@cac.washington.edu>")
	b := f.Body
	eq(t, "media type", b.MediaType(), "text/plain")
	eq(t, "Params", b.Params, []Param{{"CHARSET", "US-ASCII"}})
	eq(t, "Encoding", b.Encoding, "7BIT")
	eq(t, "Size", b.Size, uint32(3028))
	eq(t, "Lines", b.Lines, uint32(92))
	eq(t, "ExtFields", b.ExtFields, 0)
}

// The multipart message of the Dovecot recording, typed as a tree.
func TestFetchBodyStructureTree(t *testing.T) {
	var raw string
	for _, e := range loadCorpus(t, "dovecot.txt") {
		if strings.HasPrefix(e.raw, "* 2 FETCH (BODYSTRUCTURE (((") {
			raw = e.raw
		}
	}
	bs := mustParse(t, raw).Fetch.BodyStructure
	eq(t, "top", bs.MediaType(), "multipart/mixed")
	eq(t, "top parts", len(bs.Parts), 3)
	eq(t, "top params", bs.Params, []Param{{"boundary", "outer"}})
	alt := bs.Parts[0]
	eq(t, "alternative", alt.MediaType(), "multipart/alternative")
	eq(t, "html language", alt.Parts[1].Language, []string{"fr", "en"})
	eq(t, "qp encoding", alt.Parts[0].Encoding, "QUOTED-PRINTABLE")
	pdf := bs.Parts[1]
	eq(t, "pdf", pdf.MediaType(), "application/pdf")
	eq(t, "pdf id", pdf.ID.Value, "<part3@example.org>")
	eq(t, "pdf description", pdf.Description.Value, "The report")
	eq(t, "pdf md5", pdf.MD5.Value, "Q2hlY2sgSW50ZWdyaXR5IQ==")
	eq(t, "pdf disposition", pdf.Disposition, &Disposition{Type: "attachment", Params: []Param{{"filename", "report.pdf"}}})
	eq(t, "pdf location", pdf.Location.Value, "http://example.org/report.pdf")
	eq(t, "pdf ExtFields", pdf.ExtFields, 4)
	msg := bs.Parts[2]
	eq(t, "message", msg.MediaType(), "message/rfc822")
	eq(t, "inner subject", msg.Envelope.Subject.Value, "forwarded")
	eq(t, "inner body", msg.Body.MediaType(), "text/plain")
	if msg.Lines == 0 {
		t.Error("message/rfc822 part has no body-fld-lines")
	}
}

func TestFetchSections(t *testing.T) {
	r := mustParse(t, "* 1 FETCH (UID 7 BODY[HEADER.FIELDS (FROM \"Subject\")] {4}\r\nab\r\n BODY[1.2.MIME] NIL body[TEXT]<0> \"Hello\" BODY[] \"\")\r\n")
	f := r.Fetch
	eq(t, "Items", f.Items, []string{"UID", "BODY[HEADER.FIELDS (FROM \"SUBJECT\")]", "BODY[1.2.MIME]", "BODY[TEXT]<0>", "BODY[]"})
	eq(t, "UID", f.UID, uint32(7))
	s := f.Sections
	eq(t, "count", len(s), 4)
	eq(t, "fields", s[0].Fields, []string{"FROM", "Subject"})
	eq(t, "specifier", s[0].Specifier, "HEADER.FIELDS")
	eq(t, "literal data", s[0].Data, NString{Value: "ab\r\n"})
	eq(t, "Literal", s[0].Literal, true)
	eq(t, "part", s[1].Part, []uint32{1, 2})
	eq(t, "MIME", s[1].Specifier, "MIME")
	eq(t, "NIL data", s[1].Data.Nil, true)
	eq(t, "partial", s[2].Partial, true)
	eq(t, "origin", s[2].Origin, uint32(0))
	eq(t, "quoted data", s[2].Data.Value, "Hello")
	eq(t, "whole message spec", s[3].Spec, "")
	eq(t, "Section lookup", f.Section("text").Data.Value, "Hello")
	eq(t, "Has", f.Has("body[text]<0>"), true)

	r = mustParse(t, "* 2 FETCH (RFC822 NIL RFC822.HEADER \"h\" RFC822.TEXT {1}\r\nt MODSEQ (624140003) BINARY[1] ~{3}\r\na\x00b X-GM-MSGID 1278455344230334865)\r\n")
	f = r.Fetch
	eq(t, "RFC822", f.RFC822, NString{Nil: true})
	eq(t, "RFC822.HEADER", f.RFC822Header.Value, "h")
	eq(t, "RFC822.TEXT", f.RFC822Text.Value, "t")
	eq(t, "MODSEQ", f.ModSeq, uint64(624140003))
	eq(t, "extensions", f.Extensions, []ExtItem{
		{Name: "BINARY[1]", Value: Value{Kind: String, Str: "a\x00b", Literal: true}},
		{Name: "X-GM-MSGID", Value: Value{Kind: Number, Str: "1278455344230334865", Num: 1278455344230334865}},
	})
}

func TestInternalDate(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want time.Time
	}{
		{`" 5-Feb-2022 09:03:07 +0100"`, time.Date(2022, 2, 5, 8, 3, 7, 0, time.UTC)},
		{`"05-feb-2022 09:03:07 -0330"`, time.Date(2022, 2, 5, 12, 33, 7, 0, time.UTC)},
		{`"29-Feb-2024 23:59:59 +0000"`, time.Date(2024, 2, 29, 23, 59, 59, 0, time.UTC)},
		{`"31-Dec-1999 00:00:00 +1345"`, time.Date(1999, 12, 30, 10, 15, 0, 0, time.UTC)},
	} {
		r := mustParse(t, "* 1 FETCH (INTERNALDATE "+tc.in+")\r\n")
		if !r.Fetch.InternalDate.Equal(tc.want) {
			t.Errorf("%s = %v, want %v", tc.in, r.Fetch.InternalDate, tc.want)
		}
	}
}

func TestExtensionResponses(t *testing.T) {
	r := mustParse(t, "* ENABLED CONDSTORE QRESYNC\r\n")
	eq(t, "ENABLED", r.Capabilities, []string{"CONDSTORE", "QRESYNC"})
	r = mustParse(t, "* ENABLED\r\n")
	eq(t, "empty ENABLED", len(r.Capabilities), 0)

	r = mustParse(t, "* ID (\"name\" \"Cyrus\" \"version\" \"1.5\" \"os\" NIL)\r\n")
	eq(t, "ID", r.ID.Params, []IDParam{{"name", NString{Value: "Cyrus"}}, {"version", NString{Value: "1.5"}}, {"os", NString{Nil: true}}})
	r = mustParse(t, "* ID NIL\r\n")
	eq(t, "ID NIL", r.ID.Nil, true)

	r = mustParse(t, "* NAMESPACE ((\"\" \"/\")) ((\"~\" \"/\")) ((\"#shared/\" \"/\" \"X-PARAM\" (\"FLAG1\" \"FLAG2\"))(\"#public/\" NIL))\r\n")
	eq(t, "Personal", r.Namespace.Personal, []Namespace{{Prefix: "", Delimiter: "/"}})
	eq(t, "Other", r.Namespace.Other[0].Prefix, "~")
	eq(t, "Shared", r.Namespace.Shared, []Namespace{
		{Prefix: "#shared/", Delimiter: "/", Extensions: []NamespaceExtension{{Name: "X-PARAM", Values: []string{"FLAG1", "FLAG2"}}}},
		{Prefix: "#public/"},
	})
	r = mustParse(t, "* NAMESPACE NIL NIL NIL\r\n")
	eq(t, "NAMESPACE NIL", r.Namespace.Personal, []Namespace(nil))

	r = mustParse(t, "* ESEARCH (TAG \"A285\") UID MIN 7 MAX 3800 COUNT 15 ALL 7,11:13 MODSEQ 9 PARTIAL (1:10 5,6)\r\n")
	es := r.ESearch
	eq(t, "Tag", es.Tag, "A285")
	eq(t, "UID", es.UID, true)
	eq(t, "Min/Max/Count", [3]uint32{es.Min, es.Max, es.Count}, [3]uint32{7, 3800, 15})
	eq(t, "All", es.All, NumSet{{7, 7}, {11, 13}})
	eq(t, "ModSeq", es.ModSeq, uint64(9))
	eq(t, "Items", es.Items, []string{"MIN", "MAX", "COUNT", "ALL", "MODSEQ", "PARTIAL"})
	eq(t, "Extensions", es.Extensions[0].Name, "PARTIAL")
	r = mustParse(t, "* ESEARCH\r\n")
	eq(t, "bare ESEARCH", len(r.ESearch.Items), 0)

	r = mustParse(t, "* THREAD (2)(3 6 (4 23)(44 7 96))\r\n")
	eq(t, "THREAD", r.Threads, []Thread{
		{Num: 2},
		{Num: 3, Children: []Thread{{Num: 6, Children: []Thread{
			{Num: 4, Children: []Thread{{Num: 23}}},
			{Num: 44, Children: []Thread{{Num: 7, Children: []Thread{{Num: 96}}}}},
		}}}},
	})
	r = mustParse(t, "* THREAD ((3)(5))\r\n")
	eq(t, "THREAD nested root", r.Threads, []Thread{{Children: []Thread{{Num: 3}, {Num: 5}}}})
	r = mustParse(t, "* THREAD\r\n")
	eq(t, "empty THREAD", len(r.Threads), 0)

	r = mustParse(t, "* VANISHED (EARLIER) 300:310,405,411\r\n")
	eq(t, "Earlier", r.Vanished.Earlier, true)
	eq(t, "UIDs", r.Vanished.UIDs, NumSet{{300, 310}, {405, 405}, {411, 411}})
	r = mustParse(t, "* VANISHED 2\r\n")
	eq(t, "Earlier", r.Vanished.Earlier, false)

	r = mustParse(t, "* METADATA INBOX (/private/comment \"My comment\" /shared/x NIL /shared/y ~{2}\r\nab)\r\n")
	eq(t, "Metadata", r.Metadata, &MetadataData{Mailbox: "INBOX", Values: true, Entries: []MetadataEntry{
		{"/private/comment", NString{Value: "My comment"}}, {"/shared/x", NString{Nil: true}}, {"/shared/y", NString{Value: "ab"}},
	}})
	r = mustParse(t, "* METADATA \"\" /shared/comment /private/x\r\n")
	eq(t, "entry-list", r.Metadata, &MetadataData{Entries: []MetadataEntry{{Name: "/shared/comment"}, {Name: "/private/x"}}})
}

func TestUnknownResponses(t *testing.T) {
	r := mustParse(t, "* XPIG-LATIN ow-nay eaking-spay ig-pay atin-lay\r\n")
	eq(t, "Unknown", r.Unknown, true)
	eq(t, "Name", r.Name, "XPIG-LATIN")
	eq(t, "Values", len(r.Values), 4)

	r = mustParse(t, "* QUOTA \"\" (STORAGE 10 512)\r\n")
	eq(t, "QUOTA", r.Values, []Value{
		{Kind: String, Str: ""},
		{Kind: List, List: []Value{{Kind: Atom, Str: "STORAGE"}, {Kind: Number, Str: "10", Num: 10}, {Kind: Number, Str: "512", Num: 512}}},
	})
	r = mustParse(t, "* 3 XNEWS {2}\r\nhi NIL\r\n")
	eq(t, "numbered unknown", r.Number, uint32(3))
	eq(t, "Values", r.Values, []Value{{Kind: String, Str: "hi", Literal: true}, {Kind: Nil, Str: "NIL"}})
	r = mustParse(t, "* LISTRIGHTS INBOX smith \"\" l r w\r\n")
	eq(t, "Unknown", r.Unknown, true)
}

// RFC 9051 appendix E item 23: empty text is accepted with a note.
func TestEmptyTextNote(t *testing.T) {
	for _, in := range []string{"A1 OK \r\n", "* OK [HIGHESTMODSEQ 715194045007] \r\n", "* BYE \r\n"} {
		r := mustParse(t, in)
		if len(r.Notes) != 1 || r.Notes[0].Rule != "text" {
			t.Errorf("%q: Notes = %+v, want one note on text", in, r.Notes)
		}
		eq(t, "Text", r.Text, "")
	}
	r := mustParse(t, "A1 OK done\r\n")
	eq(t, "no notes", len(r.Notes), 0)
}

func TestUTF8Parser(t *testing.T) {
	in := "* LIST () \"/\" \"Gr\xc3\xbc\xc3\x9fe\"\r\n"
	if _, err := Parse([]byte(in)); err == nil {
		t.Fatal("8-bit quoted string accepted by the strict parser")
	}
	r, err := Parser{UTF8: true}.Parse([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "UTF-8 mailbox", r.List.Mailbox, "Grüße")
	if _, err := (Parser{UTF8: true}).Parse([]byte("* OK caf\xc3 x\r\n")); err == nil {
		t.Error("invalid UTF-8 accepted")
	}
	r, err = Parser{UTF8: true}.Parse([]byte("A1 NO Gr\xc3\xbc\xc3\x9fe\r\n"))
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "UTF-8 text", r.Text, "Grüße")
}

func TestNumSet(t *testing.T) {
	s := NumSet{{2, 2}, {4, 7}, {9, 9}, {12, 0}}
	eq(t, "String", s.String(), "2,4:7,9,12:*")
	for n, want := range map[uint32]bool{1: false, 2: true, 3: false, 5: true, 9: true, 11: false, 12: true, 4000: true} {
		eq(t, "Contains", s.Contains(n), want)
	}
	eq(t, "reversed range", NumSet{{7, 4}}.Contains(5), true)
}

func TestGroups(t *testing.T) {
	r := mustParse(t, "* 1 FETCH (ENVELOPE (NIL NIL NIL NIL NIL ((NIL NIL \"undisclosed-recipients\" NIL)(NIL NIL NIL NIL)) ((NIL NIL \"Team\" NIL)(NIL NIL \"bob\" \"example.org\")(NIL NIL NIL NIL)(NIL NIL \"dave\" \"example.org\")) NIL NIL NIL))\r\n")
	env := r.Fetch.Envelope
	gs, err := Groups(env.To)
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "empty group", gs, []AddressGroup{{Group: true, Name: "undisclosed-recipients", Addresses: []Address{}}})
	gs, err = Groups(env.Cc)
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "groups", len(gs), 2)
	eq(t, "group name", gs[0].Name, "Team")
	eq(t, "group member", gs[0].Addresses[0].Mailbox.Value, "bob")
	eq(t, "after group", gs[1].Group, false)
	eq(t, "after group member", gs[1].Addresses[0].Mailbox.Value, "dave")
}

func TestSyntaxErrorMessage(t *testing.T) {
	_, err := Parse([]byte("* 3 EXISTS extra\r\n"))
	var se *SyntaxError
	if !errors.As(err, &se) {
		t.Fatalf("err = %v, want *SyntaxError", err)
	}
	eq(t, "Raw", se.Raw, "* 3 EXISTS extra\r\n")
	eq(t, "Offset", se.Offset, 10)
	msg := se.Error()
	for _, want := range []string{"CRLF", "octet 10", "trailing garbage", `"* 3 EXISTS"^" extra\r\n"`} {
		if !strings.Contains(msg, want) {
			t.Errorf("Error() = %q, lacks %q", msg, want)
		}
	}
	// A long literal is cut in the excerpt.
	long := "* 1 FETCH (BODY[] {1000}\r\n" + strings.Repeat("x", 1000) + " junk)\r\n"
	_, err = Parse([]byte(long))
	if !errors.As(err, &se) || len(se.Error()) > 300 {
		t.Errorf("error for a long response is not cut: %v", err)
	}
}
