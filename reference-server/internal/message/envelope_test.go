package message

import (
	"strings"
	"testing"
)

// envelopeOf parses a message made of the given header lines and an empty
// body and returns its ENVELOPE.
func envelopeOf(header ...string) string {
	raw := strings.Join(header, "\r\n") + "\r\n\r\nbody\r\n"
	return string(Parse([]byte(raw)).AppendEnvelope(nil))
}

// TestEnvelopeFields pins the order and defaults of RFC 3501 section 7.4.2.
func TestEnvelopeFields(t *testing.T) {
	tests := []struct {
		name   string
		header []string
		want   string
	}{
		{
			"order of the ten members",
			[]string{
				"Message-ID: <m@x>", "In-Reply-To: <r@x>", "Bcc: h@x", "Cc: g@x", "To: f@x",
				"Reply-To: e@x", "Sender: d@x", "From: c@x", "Subject: b", "Date: a",
			},
			`("a" "b" ((NIL NIL "c" "x")) ((NIL NIL "d" "x")) ((NIL NIL "e" "x")) ((NIL NIL "f" "x")) ((NIL NIL "g" "x")) ((NIL NIL "h" "x")) "<r@x>" "<m@x>")`,
		},
		{
			"absent fields are NIL; sender and reply-to default to from",
			[]string{"From: Ann <ann@example.com>"},
			`(NIL NIL (("Ann" NIL "ann" "example.com")) (("Ann" NIL "ann" "example.com")) (("Ann" NIL "ann" "example.com")) NIL NIL NIL NIL NIL)`,
		},
		{
			"empty sender and reply-to default to from too",
			[]string{"From: ann@example.com", "Sender:", "Reply-To:   ", "Subject:", "To: ,"},
			`(NIL NIL ((NIL NIL "ann" "example.com")) ((NIL NIL "ann" "example.com")) ((NIL NIL "ann" "example.com")) NIL NIL NIL NIL NIL)`,
		},
		{
			"no from: sender and reply-to stay NIL",
			[]string{"To: bob@example.com"},
			`(NIL NIL NIL NIL NIL ((NIL NIL "bob" "example.com")) NIL NIL NIL NIL)`,
		},
		{
			"values are unfolded and trimmed, encoded words kept",
			[]string{"Subject:  =?utf-8?q?caf=C3=A9?=\r\n  au lait ", "Date:\r\n Mon, 7 Feb 1994\r\n 21:52:25 -0800"},
			`("Mon, 7 Feb 1994 21:52:25 -0800" "=?utf-8?q?caf=C3=A9?=  au lait" NIL NIL NIL NIL NIL NIL NIL NIL)`,
		},
		{
			"field names are case-insensitive; the first occurrence counts",
			[]string{"SUBJECT: first", "subject: second", "fRoM: a@b"},
			`(NIL "first" ((NIL NIL "a" "b")) ((NIL NIL "a" "b")) ((NIL NIL "a" "b")) NIL NIL NIL NIL NIL)`,
		},
		{
			"8-bit and quoted-specials choose the string form",
			[]string{"Subject: Gr\xc3\xbc\xc3\x9fe \"quoted\" back\\slash"},
			"(NIL {27}\r\nGr\xc3\xbc\xc3\x9fe \"quoted\" back\\slash NIL NIL NIL NIL NIL NIL NIL NIL)",
		},
		{
			"quoted-specials alone stay quoted",
			[]string{"Subject: say \"hi\" \\o/"},
			`(NIL "say \"hi\" \\o/" NIL NIL NIL NIL NIL NIL NIL NIL)`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := envelopeOf(tt.header...); got != tt.want {
				t.Errorf("\n got %s\nwant %s", got, tt.want)
			}
		})
	}
}

// TestAddresses covers RFC 5322 address syntax as ENVELOPE addresses
// (RFC 3501 section 7.4.2 and section 9, address).
func TestAddresses(t *testing.T) {
	tests := []struct {
		name, to, want string
	}{
		{"addr-spec", "user@example.com", `((NIL NIL "user" "example.com"))`},
		{"name-addr", "Jane Roe <jane@example.com>", `(("Jane Roe" NIL "jane" "example.com"))`},
		{"quoted display name", `"Roe, Jane" <jane@example.com>`, `(("Roe, Jane" NIL "jane" "example.com"))`},
		{"quoted-pair in name", `"A \"B\" C" <x@y>`, `(("A \"B\" C" NIL "x" "y"))`},
		{"dots in an obsolete phrase", "John Q. Public <jqp@example.com>", `(("John Q. Public" NIL "jqp" "example.com"))`},
		{"quoted local part loses its quotes", `"john doe"@example.com`, `((NIL NIL "john doe" "example.com"))`},
		{"dot-atom local part", "first.last@sub.example.com", `((NIL NIL "first.last" "sub.example.com"))`},
		{"comment as name", "user@example.com (User Name)", `(("User Name" NIL "user" "example.com"))`},
		{"comment ignored beside a phrase", "Real Name (comment) <u@x>", `(("Real Name" NIL "u" "x"))`},
		{"nested comment", "u@x (outer (inner) text)", `(("outer (inner) text" NIL "u" "x"))`},
		{"route address", "<@a.example,@b.example:joe@c.example>", `((NIL "@a.example,@b.example" "joe" "c.example"))`},
		{"domain literal", "root@[192.0.2.1]", `((NIL NIL "root" "[192.0.2.1]"))`},
		{"list", "a@x, B <b@y>,c@z", `((NIL NIL "a" "x")("B" NIL "b" "y")(NIL NIL "c" "z"))`},
		{"empty list elements skipped", ", ,a@x,,", `((NIL NIL "a" "x"))`},
		{"group", "Friends: a@x, b@y;", `((NIL NIL "Friends" NIL)(NIL NIL "a" "x")(NIL NIL "b" "y")(NIL NIL NIL NIL))`},
		{"empty group", "undisclosed-recipients:;", `((NIL NIL "undisclosed-recipients" NIL)(NIL NIL NIL NIL))`},
		{"group then address", "G: a@x;, c@z", `((NIL NIL "G" NIL)(NIL NIL "a" "x")(NIL NIL NIL NIL)(NIL NIL "c" "z"))`},
		{"unterminated group is closed", "G: a@x", `((NIL NIL "G" NIL)(NIL NIL "a" "x")(NIL NIL NIL NIL))`},
		{"quoted group name", `"My Group": a@x;`, `((NIL NIL "My Group" NIL)(NIL NIL "a" "x")(NIL NIL NIL NIL))`},
		{"no host", "localuser", `((NIL NIL "localuser" "MISSING_DOMAIN"))`},
		{"no mailbox", "@example.com", `((NIL NIL "MISSING_MAILBOX" "example.com"))`},
		{"null address", "<>", `((NIL NIL "MISSING_MAILBOX" "MISSING_DOMAIN"))`},
		{"encoded words not decoded", "=?utf-8?q?J=C3=B6rg?= <j@x>", `(("=?utf-8?q?J=C3=B6rg?=" NIL "j" "x"))`},
		{"8-bit name", "J\xc3\xb6rg <j@x>", "(({5}\r\nJ\xc3\xb6rg NIL \"j\" \"x\"))"},
		{"junk is skipped up to the next comma", "a@x, >>>, ;;, b@y", `((NIL NIL "a" "x")(NIL NIL ">>>" "MISSING_DOMAIN")(NIL NIL "b" "y"))`},
		{"unterminated quote", `"open <a@x>`, `((NIL NIL "open <a@x>" "MISSING_DOMAIN"))`},
		{"unterminated angle", "Name <a@x", `(("Name" NIL "a" "x"))`},
		{"only white space and comments", " (nothing) ", `NIL`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := envelopeOf("To: " + tt.to)
			// The To member is the sixth: after date, subject and three NILs.
			prefix := "(NIL NIL NIL NIL NIL "
			suffix := " NIL NIL NIL NIL)"
			if !strings.HasPrefix(env, prefix) || !strings.HasSuffix(env, suffix) {
				t.Fatalf("unexpected envelope shape: %s", env)
			}
			if got := env[len(prefix) : len(env)-len(suffix)]; got != tt.want {
				t.Errorf("To: %s\n got %s\nwant %s", tt.to, got, tt.want)
			}
			if err := parseGrammar([]byte(env), func(r *grammarReader) { r.envelope() }); err != nil {
				t.Errorf("ENVELOPE %s: %v", env, err)
			}
		})
	}
}

// TestAppendString checks the IMAP string forms (RFC 3501 section 4.3).
func TestAppendString(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", `""`},
		{"plain text", `"plain text"`},
		{`a "quote" and \ backslash`, `"a \"quote\" and \\ backslash"`},
		{"tab\tstays", "\"tab\tstays\""},
		{"line\r\nbreak", "{11}\r\nline\r\nbreak"},
		{"bare\nLF", "{7}\r\nbare\nLF"},
		{"caf\xc3\xa9", "{5}\r\ncaf\xc3\xa9"},
		{"nul\x00here", "{10}\r\nnul\xef\xbf\xbdhere"},
		{"\x7f", "\"\x7f\""},
	}
	for _, tt := range tests {
		if got := string(AppendString([]byte("x "), tt.in)); got != "x "+tt.want {
			t.Errorf("AppendString(%q) = %q, want %q", tt.in, got, "x "+tt.want)
		}
		if err := parseGrammar(AppendString(nil, tt.in), func(r *grammarReader) { r.str() }); err != nil {
			t.Errorf("AppendString(%q) is not a string: %v", tt.in, err)
		}
	}
}
