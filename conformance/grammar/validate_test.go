package grammar

import (
	"errors"
	"strings"
	"testing"
)

func TestValidate(t *testing.T) {
	const text = `("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 3 1`
	for _, tc := range []struct {
		name, in string
		rules    []string // nil: valid
	}{
		{"BODYSTRUCTURE with extension data", "* 1 FETCH (BODYSTRUCTURE " + text + " NIL NIL NIL NIL))\r\n", nil},
		{"BODY without extension data", "* 1 FETCH (BODY " + text + "))\r\n", nil},
		{"BODY with extension data", "* 1 FETCH (BODY " + text + " NIL))\r\n", []string{"body-ext-1part"}},
		{"BODY multipart with extension data", "* 1 FETCH (BODY (" + text + ") \"MIXED\" (\"BOUNDARY\" \"x\")))\r\n", []string{"body-ext-mpart"}},
		{"BODY with extension data in an encapsulated message",
			"* 1 FETCH (BODY (\"MESSAGE\" \"RFC822\" NIL NIL NIL \"7BIT\" 3 (NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL) " + text + " \"md5\") 2))\r\n",
			[]string{"body-ext-1part"}},
		{"body-extension after location", "* 1 FETCH (BODYSTRUCTURE " + text + " NIL NIL NIL NIL 7 (\"x\")))\r\n", []string{"body-extension"}},
		{"FLAGS with \\Recent", "* FLAGS (\\Seen \\Recent)\r\n", []string{"flag"}},
		{"PERMANENTFLAGS with \\Recent", "* OK [PERMANENTFLAGS (\\Recent \\*)] x\r\n", []string{"flag-perm"}},
		{"FETCH FLAGS with \\Recent", "* 1 FETCH (FLAGS (\\Seen \\Recent))\r\n", nil},
		{"flag-extension in FLAGS", "* FLAGS (\\Seen \\Important)\r\n", []string{"flag-extension"}},
		{"flag-extension in FETCH", "* 1 FETCH (FLAGS (\\Junk))\r\n", []string{"flag-extension"}},
		{"keywords are fine", "* FLAGS ($Junk NonJunk \\Draft)\r\n", nil},
		{"unclosed group", "* 1 FETCH (ENVELOPE (NIL NIL ((NIL NIL \"Team\" NIL)(NIL NIL \"a\" \"b\")) NIL NIL NIL NIL NIL NIL NIL))\r\n", []string{"env-from"}},
		{"group end without start", "* 1 FETCH (ENVELOPE (NIL NIL NIL NIL NIL ((NIL NIL NIL NIL)) NIL NIL NIL NIL))\r\n", []string{"env-to"}},
		{"nested group", "* 1 FETCH (ENVELOPE (NIL NIL NIL NIL NIL NIL ((NIL NIL \"A\" NIL)(NIL NIL \"B\" NIL)(NIL NIL NIL NIL)(NIL NIL NIL NIL)) NIL NIL NIL))\r\n", []string{"env-cc"}},
		{"modified UTF-7", "* LIST () \"/\" \"Entw&APw-rfe\"\r\n", nil},
		{"ampersand", "* LIST () \"/\" \"Q&-A\"\r\n", nil},
		{"surrogate pair", "* LIST () \"/\" \"&2D3eAA-\"\r\n", nil},
		{"8-bit mailbox name", "* LIST () \"/\" {6}\r\nEntw\xc3\xbc\r\n", []string{"mailbox"}},
		{"unclosed shift", "* LIST () \"/\" \"Entw&APw\"\r\n", []string{"mailbox"}},
		{"ASCII in BASE64", "* STATUS \"&AGE-\" (MESSAGES 1)\r\n", []string{"mailbox"}},
		{"null shift", "* LIST () \"/\" \"&APw-&APw-\"\r\n", []string{"mailbox"}},
		{"slash in modified BASE64", "* LIST () \"/\" \"&AP/-\"\r\n", []string{"mailbox"}},
		{"bad padding", "* LIST () \"/\" \"&APx-\"\r\n", []string{"mailbox"}},
		{"lone surrogate", "* LIST () \"/\" \"&2D0-\"\r\n", []string{"mailbox"}},
		{"control octet", "* LIST () \"/\" {3}\r\na\tb\r\n", []string{"mailbox"}},
		{"ID field too long", "* ID (\"" + strings.Repeat("f", 31) + "\" NIL)\r\n", []string{"id-params-list"}},
		{"ID value too long", "* ID (\"name\" \"" + strings.Repeat("v", 1025) + "\")\r\n", []string{"id-params-list"}},
		{"ID too many pairs", "* ID (" + strings.Repeat("\"a\" NIL ", 30) + "\"a\" NIL)\r\n", []string{"id-params-list"}},
	} {
		r := mustParse(t, tc.in)
		err := Validate(r)
		if tc.rules == nil {
			if err != nil {
				t.Errorf("%s: Validate = %v, want nil", tc.name, err)
			}
			continue
		}
		var ve *ValidationError
		if !errors.As(err, &ve) {
			t.Errorf("%s: Validate = %v, want violations of %v", tc.name, err, tc.rules)
			continue
		}
		var got []string
		for _, v := range ve.Violations {
			got = append(got, v.Rule)
			if v.Msg == "" {
				t.Errorf("%s: violation without message", tc.name)
			}
		}
		eq(t, tc.name, got, tc.rules)
		eq(t, tc.name+" Raw", ve.Raw, tc.in)
		if !strings.Contains(ve.Error(), tc.rules[0]) {
			t.Errorf("%s: Error() = %q lacks the rule", tc.name, ve.Error())
		}
	}
}

// A Parser that accepts UTF-8 also accepts UTF-8 mailbox names.
func TestValidateUTF8(t *testing.T) {
	ps := Parser{UTF8: true}
	r, err := ps.Parse([]byte("* LIST () \"/\" \"Entw\xc3\xbcrfe\"\r\n"))
	if err != nil {
		t.Fatal(err)
	}
	if err := ps.Validate(r); err != nil {
		t.Errorf("Validate = %v, want nil", err)
	}
	if err := Validate(r); err == nil {
		t.Error("the strict Validate accepts a UTF-8 mailbox name")
	}
}
