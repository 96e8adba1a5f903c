package command

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"
)

// readAll parses every command in input and returns one result per command:
// the command or the refusal.
func readAll(t *testing.T, input string, lim Limits) (cmds []*Command, errs []*Error, conts int) {
	t.Helper()
	r := NewReader(bufio.NewReader(strings.NewReader(input)), lim, func() error { conts++; return nil })
	for {
		cmd, err := r.Read()
		var pe *Error
		switch {
		case err == nil:
			cmds = append(cmds, cmd)
			errs = append(errs, nil)
		case errors.As(err, &pe):
			cmds = append(cmds, nil)
			errs = append(errs, pe)
			if pe.Fatal {
				return
			}
		case err == io.EOF || err == io.ErrUnexpectedEOF:
			return
		default:
			t.Fatalf("unexpected error: %v", err)
		}
	}
}

func parseOne(t *testing.T, line string) (*Command, *Error) {
	t.Helper()
	cmds, errs, _ := readAll(t, line+"\r\n", Limits{})
	if len(cmds) != 1 {
		t.Fatalf("%q: got %d results, want 1", line, len(cmds))
	}
	return cmds[0], errs[0]
}

// TestValidCommands parses one well-formed example of each command form of
// RFC 3501 section 9 and checks the fields the server relies on.
func TestValidCommands(t *testing.T) {
	for _, tc := range []struct {
		line string
		want Command
	}{
		{"a CAPABILITY", Command{Tag: "a", Name: "CAPABILITY"}},
		{"a1 noop", Command{Tag: "a1", Name: "NOOP"}},
		{"] LOGOUT", Command{Tag: "]", Name: "LOGOUT"}}, // "]" is an ASTRING-CHAR, so a valid tag
		{"a StartTLS", Command{Tag: "a", Name: "STARTTLS"}},
		{`a LOGIN joe "pass \"w\\ord"`, Command{Tag: "a", Name: "LOGIN", UserID: "joe", Password: `pass "w\ord`}},
		{"a LOGIN ]joe] x", Command{Tag: "a", Name: "LOGIN", UserID: "]joe]", Password: "x"}},
		{"a AUTHENTICATE plain", Command{Tag: "a", Name: "AUTHENTICATE", Mechanism: "PLAIN"}},
		{"a AUTHENTICATE PLAIN =", Command{Tag: "a", Name: "AUTHENTICATE", Mechanism: "PLAIN", HasInitialResponse: true, InitialResponse: []byte{}}},
		{"a AUTHENTICATE PLAIN AGFsaWNlAHNlY3JldA==", Command{Tag: "a", Name: "AUTHENTICATE", Mechanism: "PLAIN", HasInitialResponse: true, InitialResponse: []byte("\x00alice\x00secret")}},
		{"a SELECT inbox", Command{Tag: "a", Name: "SELECT", Mailbox: "inbox"}},
		{`a EXAMINE "a b"`, Command{Tag: "a", Name: "EXAMINE", Mailbox: "a b"}},
		{`a CREATE ""`, Command{Tag: "a", Name: "CREATE", Mailbox: ""}},
		{"a DELETE foo/bar", Command{Tag: "a", Name: "DELETE", Mailbox: "foo/bar"}},
		{"a RENAME foo zowie", Command{Tag: "a", Name: "RENAME", Mailbox: "foo", NewName: "zowie"}},
		{"a SUBSCRIBE #news.comp.mail.mime", Command{Tag: "a", Name: "SUBSCRIBE", Mailbox: "#news.comp.mail.mime"}},
		{"a UNSUBSCRIBE x", Command{Tag: "a", Name: "UNSUBSCRIBE", Mailbox: "x"}},
		{`a LIST "" *`, Command{Tag: "a", Name: "LIST", Mailbox: "", Pattern: "*"}},
		{`a LIST ~/Mail/ %`, Command{Tag: "a", Name: "LIST", Mailbox: "~/Mail/", Pattern: "%"}},
		{`a LSUB "#news." "comp.mail.*"`, Command{Tag: "a", Name: "LSUB", Mailbox: "#news.", Pattern: "comp.mail.*"}},
		{`a LIST "" foo/%]`, Command{Tag: "a", Name: "LIST", Mailbox: "", Pattern: "foo/%]"}},
		{"a STATUS blurdybloop (UIDNEXT messages)", Command{Tag: "a", Name: "STATUS", Mailbox: "blurdybloop", StatusItems: []string{"UIDNEXT", "MESSAGES"}}},
		{"a CHECK", Command{Tag: "a", Name: "CHECK"}},
		{"a CLOSE", Command{Tag: "a", Name: "CLOSE"}},
		{"a EXPUNGE", Command{Tag: "a", Name: "EXPUNGE"}},
		{"a COPY 2:4,7,*:9 MEETING", Command{Tag: "a", Name: "COPY", Mailbox: "MEETING", Set: SeqSet{{2, 4}, {7, 7}, {0, 9}}}},
		{"a UID COPY 4294967295 x", Command{Tag: "a", Name: "COPY", UID: true, Mailbox: "x", Set: SeqSet{{4294967295, 4294967295}}}},
		{"a STORE 2:4 +FLAGS (\\Deleted)", Command{Tag: "a", Name: "STORE", Set: SeqSet{{2, 4}}, StoreMode: StoreAdd, Flags: []string{`\Deleted`}}},
		{"a store 12 -flags.silent \\deleted $Junk", Command{Tag: "a", Name: "STORE", Set: SeqSet{{12, 12}}, StoreMode: StoreRemove, Silent: true, Flags: []string{`\deleted`, "$Junk"}}},
		{"a STORE 1 FLAGS ()", Command{Tag: "a", Name: "STORE", Set: SeqSet{{1, 1}}, StoreMode: StoreReplace, Flags: []string{}}},
		{"a UID STORE 1:* FLAGS.SILENT (\\Seen)", Command{Tag: "a", Name: "STORE", UID: true, Set: SeqSet{{1, 0}}, Silent: true, Flags: []string{`\Seen`}}},
	} {
		got, perr := parseOne(t, tc.line)
		if perr != nil {
			t.Errorf("%q: refused: %v", tc.line, perr)
			continue
		}
		if !reflect.DeepEqual(*got, tc.want) {
			t.Errorf("%q:\n got %+v\nwant %+v", tc.line, *got, tc.want)
		}
	}
}

func TestFetchItems(t *testing.T) {
	for _, tc := range []struct {
		line string
		want []FetchItem
	}{
		{"a FETCH 1 ALL", []FetchItem{{Name: "FLAGS"}, {Name: "INTERNALDATE"}, {Name: "RFC822.SIZE"}, {Name: "ENVELOPE"}}},
		{"a FETCH 1 fast", []FetchItem{{Name: "FLAGS"}, {Name: "INTERNALDATE"}, {Name: "RFC822.SIZE"}}},
		{"a FETCH 1 FULL", []FetchItem{{Name: "FLAGS"}, {Name: "INTERNALDATE"}, {Name: "RFC822.SIZE"}, {Name: "ENVELOPE"}, {Name: "BODY"}}},
		{"a FETCH 1 body", []FetchItem{{Name: "BODY"}}},
		{"a FETCH 1 (UID RFC822.SIZE rfc822.header RFC822.TEXT RFC822 BODYSTRUCTURE)", []FetchItem{{Name: "UID"}, {Name: "RFC822.SIZE"}, {Name: "RFC822.HEADER"}, {Name: "RFC822.TEXT"}, {Name: "RFC822"}, {Name: "BODYSTRUCTURE"}}},
		{"a FETCH 1 BODY[]", []FetchItem{{Name: "BODY", Section: &Section{}}}},
		{"a FETCH 1 body.peek[]<0.10>", []FetchItem{{Name: "BODY", Peek: true, Section: &Section{}, Partial: true, Origin: 0, Count: 10}}},
		{"a FETCH 1 BODY[1.2.3]", []FetchItem{{Name: "BODY", Section: &Section{Part: []int{1, 2, 3}}}}},
		{"a FETCH 1 BODY[1.2.MIME]", []FetchItem{{Name: "BODY", Section: &Section{Part: []int{1, 2}, Specifier: "MIME"}}}},
		{"a FETCH 1 BODY[3.header]", []FetchItem{{Name: "BODY", Section: &Section{Part: []int{3}, Specifier: "HEADER"}}}},
		{"a FETCH 1 BODY[TEXT]<5.1>", []FetchItem{{Name: "BODY", Section: &Section{Specifier: "TEXT"}, Partial: true, Origin: 5, Count: 1}}},
		{`a FETCH 2:4 (FLAGS BODY[HEADER.FIELDS (DATE "From" {2}` + "\r\nTo)])", []FetchItem{{Name: "FLAGS"}, {Name: "BODY", Section: &Section{Specifier: "HEADER.FIELDS", Fields: []string{"DATE", "From", "To"}}}}},
		{"a FETCH 1 BODY.PEEK[4.HEADER.FIELDS.NOT (Received)]", []FetchItem{{Name: "BODY", Peek: true, Section: &Section{Part: []int{4}, Specifier: "HEADER.FIELDS.NOT", Fields: []string{"Received"}}}}},
	} {
		cmds, errs, _ := readAll(t, tc.line+"\r\n", Limits{})
		if len(cmds) != 1 || errs[0] != nil {
			t.Errorf("%q: refused: %v", tc.line, errs)
			continue
		}
		if !reflect.DeepEqual(cmds[0].FetchItems, tc.want) {
			t.Errorf("%q:\n got %+v\nwant %+v", tc.line, cmds[0].FetchItems, tc.want)
		}
	}
}

func TestAppend(t *testing.T) {
	msg := "Subject: hi\r\n\r\nbody\r\n"
	cmds, errs, conts := readAll(t, "A003 APPEND saved-messages (\\Seen $x) \" 7-Feb-1994 21:52:25 -0800\" {"+itoa(int64(len(msg)))+"}\r\n"+msg+"\r\n", Limits{})
	if len(cmds) != 1 || errs[0] != nil {
		t.Fatalf("refused: %v", errs)
	}
	c := cmds[0]
	if conts != 1 {
		t.Errorf("continuation requests = %d, want 1", conts)
	}
	want := time.Date(1994, 2, 7, 21, 52, 25, 0, time.FixedZone("", -8*3600))
	if !c.Date.Equal(want) || c.Date.Format("-0700") != "-0800" {
		t.Errorf("date = %v, want %v", c.Date, want)
	}
	if string(c.Message) != msg || c.Mailbox != "saved-messages" || !reflect.DeepEqual(c.Flags, []string{`\Seen`, "$x"}) {
		t.Errorf("got %+v", c)
	}
	// without flags and date
	cmds, errs, _ = readAll(t, "a APPEND INBOX {4}\r\nabcd\r\n", Limits{})
	if errs[0] != nil || cmds[0].Flags != nil || !cmds[0].Date.IsZero() || string(cmds[0].Message) != "abcd" {
		t.Errorf("got %+v %v", cmds[0], errs[0])
	}
}

// TestRefused lists malformed commands: each must give exactly one BAD (or
// the listed status), and the command after it must still parse.
func TestRefused(t *testing.T) {
	for _, tc := range []struct {
		line, status, text string
	}{
		{"", "BAD", "Empty"},
		{"a", "BAD", "Command name expected"},
		{"a ", "BAD", "Command name expected"},
		{"+a NOOP", "BAD", "Invalid tag"},
		{"a+b NOOP", "BAD", "Invalid tag"},
		{"a*b NOOP", "BAD", "Invalid tag"},
		{"a{ NOOP", "BAD", "Invalid tag"},
		{"\"a\" NOOP", "BAD", "Invalid tag"},
		{"a  NOOP", "BAD", "Command name expected"},
		{"a FOOBAR", "BAD", "Unknown command FOOBAR"},
		{"a XPIG-LATIN", "BAD", "Unknown command"},
		{"a NOOP ", "BAD", "Unexpected"},
		{"a NOOP x", "BAD", "Unexpected"},
		{"a CAPABILITY\x00", "BAD", "Unexpected"},
		{"a UID", "BAD", "SP expected"},
		{"a UID EXPUNGE 1", "BAD", "UID must be followed"},
		{"a LOGIN joe", "BAD", "SP expected"},
		{"a LOGIN joe pass extra", "BAD", "Unexpected"},
		{"a LOGIN \"joe pass", "BAD", "Unterminated quoted string"},
		{"a LOGIN \"j\\oe\" pass", "BAD", "Invalid escape"},
		{"a LOGIN \"j\xc3\xa9\" pass", "BAD", "Invalid octet"},
		{"a LOGIN (joe) pass", "BAD", "User name expected"},
		{"a LOGIN joe% pass", "BAD", "SP expected"},
		{"a AUTHENTICATE", "BAD", "SP expected"},
		{"a AUTHENTICATE PLAIN AG!", "BAD", "not valid base64"},
		{"a AUTHENTICATE PLAIN AGF", "BAD", "not valid base64"},
		{"a AUTHENTICATE PLAIN ", "BAD", "Initial response expected"},
		{"a AUTHENTICATE PLAIN == ", "BAD", "not valid base64"},
		{"a SELECT", "BAD", "SP expected"},
		{"a SELECT a b", "BAD", "Unexpected"},
		{"a SELECT {3}x", "BAD", "CRLF must follow"},
		{"a SELECT {x}", "BAD", "number must follow"},
		{"a SELECT {99999999999}", "BAD", "32-bit"},
		{"a SELECT {100000}", "BAD", "Literal too large"},
		{"a RENAME a", "BAD", "SP expected"},
		{"a LIST \"\"", "BAD", "SP expected"},
		{"a LIST % %", "BAD", "Reference name expected"},
		{"a LIST \"\" (", "BAD", "Mailbox pattern expected"},
		{"a STATUS x", "BAD", "SP expected"},
		{"a STATUS x ()", "BAD", "Status data item expected"},
		{"a STATUS x (MESSAGES", "BAD", "SP expected"},
		{"a STATUS x (FOO)", "BAD", "Unknown status data item"},
		{"a STATUS x MESSAGES", "BAD", "\"(\""},
		{"a STATUS x (MESSAGES  UNSEEN)", "BAD", "Status data item expected"},
		{"a APPEND x", "BAD", "SP expected"},
		{"a APPEND x \"hello\"", "BAD", "Day of month"},
		{"a APPEND x (\\Seen) \"31-Feb-2020 00:00:00 +0000\" {1}", "BAD", "out of range"},
		{"a APPEND x \"01-Jan-2020 24:00:00 +0000\" {1}", "BAD", "out of range"},
		{"a APPEND x \"1-Jan-2020 00:00:00 +0000\" {1}", "BAD", "Day of month"},
		{"a APPEND x \"01-Jan-2020 00:00:00 0000\" {1}", "BAD", "Time zone"},
		{"a APPEND x \"01-Foo-2020 00:00:00 +0000\" {1}", "BAD", "Month name"},
		{"a APPEND x (\\*) {1}", "BAD", "PERMANENTFLAGS"},
		{"a APPEND x (\\Seen {1}", "BAD", "Flag expected"},
		{"a APPEND x \"abc\"", "BAD", "Day of month"},
		{"a APPEND x (\\Seen)", "BAD", "SP expected"},
		{"a APPEND x (\\Seen) abc", "BAD", "Message literal expected"},
		{"a APPEND x {999999999}", "NO", "Message too large"},
		{"a COPY 1", "BAD", "SP expected"},
		{"a COPY 0 x", "BAD", "non-zero"},
		{"a COPY 01 x", "BAD", "non-zero"},
		{"a COPY 1: x", "BAD", "Sequence number"},
		{"a COPY 1,,2 x", "BAD", "Sequence number"},
		{"a COPY 1, x", "BAD", "Sequence number"},
		{"a COPY 4294967296 x", "BAD", "32-bit"},
		{"a COPY -1 x", "BAD", "Sequence number"},
		{"a FETCH 1", "BAD", "SP expected"},
		{"a FETCH 1 ()", "BAD", "Fetch data item expected"},
		{"a FETCH 1 (FLAGS", "BAD", "SP expected"},
		{"a FETCH 1 (FLAGS)x", "BAD", "Unexpected"},
		{"a FETCH 1 FOO", "BAD", "Unknown fetch data item"},
		{"a FETCH 1 (ALL)", "BAD", "macro cannot be combined"},
		{"a FETCH 1 (FLAGS FAST)", "BAD", "macro cannot be combined"},
		{"a FETCH 1 BODY.PEEK", "BAD", "BODY.PEEK must be followed"},
		{"a FETCH 1 BODY[", "BAD", "Section specifier expected"},
		{"a FETCH 1 BODY[0]", "BAD", "non-zero"},
		{"a FETCH 1 BODY[1.]", "BAD", "Section specifier expected"},
		{"a FETCH 1 BODY[1HEADER]", "BAD", "after a part number"},
		{"a FETCH 1 BODY[MIME]", "BAD", "MIME needs a part"},
		{"a FETCH 1 BODY[FOO]", "BAD", "Unknown section"},
		{"a FETCH 1 BODY[HEADER.FIELDS]", "BAD", "SP expected"},
		{"a FETCH 1 BODY[HEADER.FIELDS ()]", "BAD", "Header field name expected"},
		{"a FETCH 1 BODY[HEADER.FIELDS (From]", "BAD", "SP expected"},
		{"a FETCH 1 BODY[TEXT", "BAD", "\"]\" closing"},
		{"a FETCH 1 BODY[]<0>", "BAD", "\".\" in <origin.count>"},
		{"a FETCH 1 BODY[]<0.0>", "BAD", "non-zero"},
		{"a FETCH 1 BODY[]<1.2", "BAD", "\">\" closing"},
		{"a FETCH 1 RFC822.FOO", "BAD", "Unknown fetch data item"},
		{"a FETCH * FLAGS FLAGS", "BAD", "Unexpected"},
		{"a STORE 1 FLAGS", "BAD", "SP expected"},
		{"a STORE 1 +FLAGS", "BAD", "SP expected"},
		{"a STORE 1 FLAGZ \\Seen", "BAD", "Unknown STORE data item"},
		{"a STORE 1 FLAGS.SILENTX \\Seen", "BAD", "Unknown STORE data item"},
		{"a STORE 1 FLAGS \\Seen ", "BAD", "Flag expected"},
		{"a STORE 1 FLAGS (\\Seen))", "BAD", "Unexpected"},
		{"a STORE 1 FLAGS \\", "BAD", "Flag expected"},
		{"a SEARCH", "BAD", "SP expected"},
		{"a SEARCH FOOBAR", "BAD", "Unknown search key"},
		{"a SEARCH ALL ", "BAD", "Search key expected"},
		{"a SEARCH ()", "BAD", "Search key"},
		{"a SEARCH (ALL", "BAD", "SP expected"},
		{"a SEARCH FROM", "BAD", "SP expected"},
		{"a SEARCH CHARSET", "BAD", "CHARSET must come first"},
		{"a SEARCH CHARSET UTF-8", "BAD", "SP expected"},
		{"a SEARCH ALL CHARSET UTF-8 ALL", "BAD", "CHARSET must come first"},
		{"a SEARCH BEFORE 1-Feb-94", "BAD", "Year expected"},
		{"a SEARCH BEFORE 30-Feb-1994", "BAD", "Invalid date"},
		{"a SEARCH BEFORE 001-Feb-1994", "BAD", "\"-\" in date"},
		{"a SEARCH BEFORE \"1-Feb-1994", "BAD", "DQUOTE closing"},
		{"a SEARCH LARGER x", "BAD", "number"},
		{"a SEARCH LARGER 99999999999", "BAD", "32-bit"},
		{"a SEARCH KEYWORD \\Seen", "BAD", "Keyword expected"},
		{"a SEARCH NOT", "BAD", "SP expected"},
		{"a SEARCH OR ALL", "BAD", "SP expected"},
		{"a SEARCH UID", "BAD", "SP expected"},
		{"a SEARCH 0", "BAD", "non-zero"},
		{"a SEARCH HEADER Subject", "BAD", "SP expected"},
	} {
		cmds, errs, _ := readAll(t, tc.line+"\r\nb NOOP\r\n", Limits{})
		if len(cmds) != 2 {
			t.Errorf("%q: got %d results, want 2 (the refusal, then NOOP)", tc.line, len(cmds))
			continue
		}
		if errs[0] == nil {
			t.Errorf("%q: accepted as %+v", tc.line, cmds[0])
			continue
		}
		if errs[0].Status != tc.status || !strings.Contains(errs[0].Text, tc.text) {
			t.Errorf("%q: got %v, want %s containing %q", tc.line, errs[0], tc.status, tc.text)
		}
		if cmds[1] == nil || cmds[1].Name != "NOOP" || cmds[1].Tag != "b" {
			t.Errorf("%q: the next command was not read cleanly: %v", tc.line, errs[1])
		}
	}
}

func TestRefusalTag(t *testing.T) {
	for line, tag := range map[string]string{
		"a001 FOO":  "a001",
		"a001":      "a001",
		"+x NOOP":   "",
		"a+b NOOP":  "",
		"":          "",
		"x] SELECT": "x]",
	} {
		_, perr := parseOne(t, line)
		if perr == nil || perr.Tag != tag {
			t.Errorf("%q: refusal %v, want tag %q", line, perr, tag)
		}
	}
}

// TestLiteralContinuation: a synchronising literal is read only after the
// continuation request (RFC 3501 section 7.5), and a refused line never
// leads to one.
func TestLiteralContinuation(t *testing.T) {
	cmds, errs, conts := readAll(t, "A001 LOGIN {11}\r\nFRED FOOBAR {7}\r\nfat man\r\n", Limits{})
	if errs[0] != nil || cmds[0].UserID != "FRED FOOBAR" || cmds[0].Password != "fat man" || conts != 2 {
		t.Fatalf("got %+v %v, %d continuations", cmds[0], errs[0], conts)
	}
	// The literal would follow a syntax error: no continuation, BAD at once.
	_, errs, conts = readAll(t, "a LOGIN joe pass {5}\r\n", Limits{})
	if errs[0] == nil || conts != 0 {
		t.Fatalf("got %v, %d continuations", errs[0], conts)
	}
	// Too large: no continuation either.
	_, errs, conts = readAll(t, "a LOGIN {70000}\r\n", Limits{})
	if errs[0] == nil || errs[0].Status != "BAD" || conts != 0 {
		t.Fatalf("got %v, %d continuations", errs[0], conts)
	}
	// A literal containing NUL is refused after it was read, and the
	// command after it parses.
	cmds, errs, _ = readAll(t, "a LOGIN {3}\r\na\x00b x\r\nb NOOP\r\n", Limits{})
	if len(errs) != 2 || errs[0] == nil || !strings.Contains(errs[0].Text, "NUL") || cmds[1] == nil {
		t.Fatalf("got %v", errs)
	}
	// A literal with CRLF and 8-bit octets inside.
	cmds, errs, _ = readAll(t, "a LOGIN {4}\r\n\r\n\xff\xfe {0}\r\n\r\n", Limits{})
	if errs[0] != nil || cmds[0].UserID != "\r\n\xff\xfe" || cmds[0].Password != "" {
		t.Fatalf("got %+v %v", cmds[0], errs[0])
	}
}

func TestHooks(t *testing.T) {
	conts := 0
	r := NewReader(bufio.NewReader(strings.NewReader("a SELECT {5}\r\nb APPEND x {5}\r\nc NOOP\r\n")), Limits{}, func() error { conts++; return nil })
	r.SetHooks(Hooks{
		Allow: func(name string) *Error {
			if name == "SELECT" {
				return &Error{Status: "BAD", Text: "Not allowed now"}
			}
			return nil
		},
		BeforeMessage: func(cmd *Command, size int64) *Error {
			return &Error{Status: "NO", Text: "[TRYCREATE] no mailbox " + cmd.Mailbox}
		},
	})
	_, err := r.Read()
	var pe *Error
	if !errors.As(err, &pe) || pe.Tag != "a" || pe.Status != "BAD" || pe.Text != "Not allowed now" {
		t.Fatalf("Allow: got %v", err)
	}
	_, err = r.Read()
	if !errors.As(err, &pe) || pe.Tag != "b" || pe.Status != "NO" || !strings.Contains(pe.Text, "TRYCREATE") {
		t.Fatalf("BeforeMessage: got %v", err)
	}
	if cmd, err := r.Read(); err != nil || cmd.Name != "NOOP" {
		t.Fatalf("next: %v %v", cmd, err)
	}
	if conts != 0 {
		t.Fatalf("continuations = %d, want 0", conts)
	}
}

func TestLimits(t *testing.T) {
	lim := Limits{MaxLine: 100, MaxItems: 5, MaxDepth: 3, MaxLiteral: 10, MaxCommand: 150}
	long := "a LOGIN " + strings.Repeat("x", 200) + " y"
	cases := []struct{ line, text string }{
		{long, "Line too long"},
		{"a FETCH 1 (FLAGS UID ENVELOPE BODY RFC822 RFC822.SIZE)", "Too many items"},
		{"a FETCH 1,2,3,4,5,6 FLAGS", "Too many items"},
		{"a SEARCH NOT NOT NOT NOT ALL", "Nesting too deep"},
		{"a SEARCH ((((ALL))))", "Nesting too deep"},
		{"a LOGIN {11}", "Literal too large"},
	}
	for _, tc := range cases {
		cmds, errs, _ := readAll(t, tc.line+"\r\nb NOOP\r\n", lim)
		if len(errs) < 1 || errs[0] == nil || !strings.Contains(errs[0].Text, tc.text) {
			t.Errorf("%.40q: got %v, want %q", tc.line, errs, tc.text)
			continue
		}
		if len(cmds) != 2 || cmds[1] == nil || cmds[1].Name != "NOOP" {
			t.Errorf("%.40q: next command not read: %v", tc.line, errs)
		}
	}
	// Literals count toward the command size.
	_, errs, _ := readAll(t, "a LOGIN {10}\r\n0123456789 {10}\r\n0123456789\r\n", Limits{MaxCommand: 30})
	if errs[0] == nil || !strings.Contains(errs[0].Text, "Command too large") {
		t.Errorf("command size: %v", errs)
	}
	// The tag of a too-long line is kept.
	_, errs, _ = readAll(t, long+"\r\n", lim)
	if errs[0].Tag != "a" {
		t.Errorf("tag = %q", errs[0].Tag)
	}
	// An endless line ends the connection.
	_, errs, _ = readAll(t, strings.Repeat("x", 20000), lim)
	if len(errs) != 1 || !errs[0].Fatal {
		t.Errorf("endless line: %v", errs)
	}
}

// TestNonSynchronisingLiteral: LITERAL+ is not offered, but a client using
// it anyway sends the octets at once; they are consumed so that the next
// command is read in step.
func TestNonSynchronisingLiteral(t *testing.T) {
	cmds, errs, conts := readAll(t, "a SELECT {5+}\r\nhello\r\nb NOOP\r\n", Limits{})
	if len(errs) != 2 || errs[0] == nil || !strings.Contains(errs[0].Text, "Non-synchronising") || cmds[1] == nil || conts != 0 {
		t.Fatalf("got %v, %d continuations", errs, conts)
	}
	_, errs, _ = readAll(t, "a SELECT {500000+}\r\n", Limits{})
	if len(errs) != 1 || !errs[0].Fatal {
		t.Fatalf("too large: %v", errs)
	}
}

func TestBareLF(t *testing.T) {
	cmds, errs, _ := readAll(t, "a NOOP\nb NOOP\r\n", Limits{})
	if len(errs) != 2 || errs[0] == nil || errs[0].Tag != "a" || !strings.Contains(errs[0].Text, "CRLF") || cmds[1] == nil {
		t.Fatalf("got %v", errs)
	}
}

func TestSearchKeys(t *testing.T) {
	c, perr := parseOne(t, `a SEARCH CHARSET utf-8 FLAGGED SINCE 1-Feb-1994 NOT FROM "Smith" OR (UID 1:*) 2,3 HEADER X-Foo "" LARGER 10 ON "07-Mar-2003" KEYWORD $Seen`)
	if perr != nil {
		t.Fatal(perr)
	}
	if c.Charset != "utf-8" || len(c.Search) != 8 {
		t.Fatalf("got %+v", c)
	}
	keys := []string{}
	for _, k := range c.Search {
		keys = append(keys, k.Key)
	}
	if strings.Join(keys, " ") != "FLAGGED SINCE NOT OR HEADER LARGER ON KEYWORD" {
		t.Errorf("keys: %v", keys)
	}
	if !c.Search[1].Date.Equal(time.Date(1994, 2, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("date: %v", c.Search[1].Date)
	}
	if k := c.Search[2].Sub[0]; k.Key != "FROM" || string(k.Value) != "Smith" {
		t.Errorf("NOT: %+v", k)
	}
	if or := c.Search[3]; or.Sub[0].Key != "AND" || or.Sub[0].Sub[0].Key != "UID" || or.Sub[1].Key != "SEQ" || !reflect.DeepEqual(or.Sub[1].Set, SeqSet{{2, 2}, {3, 3}}) {
		t.Errorf("OR: %+v", or)
	}
	if h := c.Search[4]; h.Field != "X-Foo" || len(h.Value) != 0 {
		t.Errorf("HEADER: %+v", h)
	}
	// A literal search string (RFC 3501 section 6.4.4 example).
	cmds, errs, conts := readAll(t, "A284 SEARCH CHARSET UTF-8 TEXT {6}\r\nXXXXXX\r\n", Limits{})
	if errs[0] != nil || string(cmds[0].Search[0].Value) != "XXXXXX" || conts != 1 {
		t.Errorf("literal: %v", errs[0])
	}
	// Without CHARSET, CHARSET-looking keys are not swallowed.
	if c, perr := parseOne(t, "a SEARCH ALL"); perr != nil || c.Charset != "" {
		t.Errorf("%+v %v", c, perr)
	}
}

// TestRFCClientLines parses every C: line of the RFC's examples that is a
// complete command on its own, checking that what the RFC shows as valid is
// accepted.
func TestRFCClientLines(t *testing.T) {
	data, err := os.ReadFile("testdata/rfc3501-client-lines.txt")
	if err != nil {
		t.Fatal(err)
	}
	// Lines that are not whole commands in the RFC's examples: message
	// text, AUTHENTICATE continuations, placeholders, literals' octets and
	// the example of an unknown command.
	notCommands := []string{"YIIB", "YDMG", "Date:", "From:", "Subject:", "To:", "Message-Id:", "MIME-Version:", "Content-Type:", "Hello Joe", "...", "XXXXXX", "FRED FOOBAR", "fat man", "A442 XPIG-LATIN", "A044 BLURDYBLOOP", "A001 LOGIN {11}", "A284 SEARCH", "A003 APPEND"}
	n := 0
lines:
	for _, line := range strings.Split(string(data), "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		for _, p := range notCommands {
			if strings.HasPrefix(line, p) {
				continue lines
			}
		}
		n++
		if _, perr := parseOne(t, line); perr != nil {
			t.Errorf("%q: %v", line, perr)
		}
	}
	if n < 50 {
		t.Fatalf("only %d lines checked", n)
	}
}

func TestDecodeBase64(t *testing.T) {
	for in, ok := range map[string]bool{"": true, "AA==": true, "AAA=": true, "AAAA": true, "AA": false, "A===": false, "AB==": false, "AA=A": false, "AA\r\n==": false} {
		_, err := DecodeBase64([]byte(in))
		if (err == nil) != ok {
			t.Errorf("%q: err %v", in, err)
		}
	}
}

func FuzzRead(f *testing.F) {
	data, err := os.ReadFile("testdata/rfc3501-client-lines.txt")
	if err != nil {
		f.Fatal(err)
	}
	var all bytes.Buffer
	for _, line := range strings.Split(string(data), "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f.Add([]byte(line + "\r\n"))
		all.WriteString(line + "\r\n")
	}
	f.Add(all.Bytes())
	f.Add([]byte("a APPEND x (\\Seen) \" 1-Jan-2000 00:00:00 +0000\" {3}\r\nabc\r\n"))
	f.Add([]byte("a FETCH 1:*,3 (BODY.PEEK[1.2.HEADER.FIELDS.NOT (a {1}\r\nb)]<0.5> UID)\r\n"))
	f.Add([]byte("a SEARCH OR NOT (UID 1:5 ANSWERED) SENTON 1-Jan-2000 2:*\r\n"))
	f.Add([]byte("a SELECT {5+}\r\nhello\r\n"))
	lim := Limits{MaxLine: 1024, MaxLiteral: 1024, MaxMessage: 4096, MaxCommand: 8192, MaxItems: 100, MaxDepth: 8}
	f.Fuzz(func(t *testing.T, in []byte) {
		r := NewReader(bufio.NewReaderSize(bytes.NewReader(in), 16), lim, nil)
		// Every Read consumes input, so at most len(in)+1 calls.
		for i := 0; i <= len(in)+1; i++ {
			cmd, err := r.Read()
			if err != nil {
				var pe *Error
				if errors.As(err, &pe) {
					if pe.Status != "BAD" && pe.Status != "NO" {
						t.Fatalf("status %q", pe.Status)
					}
					if pe.Fatal {
						return
					}
					continue
				}
				return // end of input
			}
			if cmd.Tag == "" || cmd.Name == "" {
				t.Fatalf("command without tag or name: %+v", cmd)
			}
		}
		t.Fatal("Read did not consume its input")
	})
}
