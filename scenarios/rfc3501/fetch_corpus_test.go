package rfc3501

import (
	"bytes"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/imapgauge/imapgauge/conformance/grammar"
)

// TestCorpusMessages checks the corpus itself: every message has a golden
// that parses, uses CRLF line ends only (RFC 3501 section 2.2 and RFC 2822
// section 2.1) and holds no NUL.
func TestCorpusMessages(t *testing.T) {
	names, err := corpusNames()
	if err != nil {
		t.Fatal(err)
	}
	if len(names) < 12 {
		t.Fatalf("%d corpus messages, want the whole corpus", len(names))
	}
	for _, n := range names {
		m, err := corpusMessage(n)
		if err != nil {
			t.Fatal(err)
		}
		for i, c := range m {
			switch {
			case c == 0:
				t.Errorf("%s.eml: NUL at octet %d", n, i)
			case c == '\n' && (i == 0 || m[i-1] != '\r'):
				t.Errorf("%s.eml: bare LF at octet %d", n, i)
			case c == '\r' && (i+1 == len(m) || m[i+1] != '\n'):
				t.Errorf("%s.eml: bare CR at octet %d", n, i)
			}
		}
		g, err := loadGolden(n)
		if err != nil {
			t.Fatal(err)
		}
		// A single-part message's body is its text: the golden's size and
		// line count must say so.
		if !g.Body.multipart() && g.Body.Envelope == nil {
			_, text := headerAndText(m)
			if len(g.Body.Size.vals) != 1 || int(g.Body.Size.vals[0]) != len(text) {
				t.Errorf("%s.yaml: size %v, but the text of the message is %d octets", n, g.Body.Size.vals, len(text))
			}
			lines := uint32(bytes.Count(text, []byte("\r\n")))
			if len(text) > 0 && !bytes.HasSuffix(text, []byte("\r\n")) {
				if !g.Body.Lines.has(lines) || !g.Body.Lines.has(lines+1) {
					t.Errorf("%s.yaml: lines %v, want %d or %d (the last line has no CRLF)", n, g.Body.Lines.vals, lines, lines+1)
				}
			} else if len(g.Body.Lines.vals) != 1 || g.Body.Lines.vals[0] != lines {
				t.Errorf("%s.yaml: lines %v, want %d", n, g.Body.Lines.vals, lines)
			}
		}
	}
}

func (a alt[T]) has(v T) bool {
	for _, w := range a.vals {
		if reflect.DeepEqual(w, v) {
			return true
		}
	}
	return false
}

// attachmentBodyStructure is the BODYSTRUCTURE of attachment.eml as a
// server that sends every extension field writes it.
const attachmentBodyStructure = `(("TEXT" "PLAIN" ("CHARSET" "us-ascii" "FORMAT" "flowed") NIL NIL "7BIT" 24 1 NIL NIL NIL NIL)` +
	`("APPLICATION" "PDF" ("NAME" "report.pdf") "<report.part2@example.org>" "Quarterly report" "BASE64" 76 "hna34uODnJbYgcY5md4z9A==" ` +
	`("attachment" ("filename" "report.pdf" "size" "57")) ("en" "fr") "http://www.example.org/report.pdf") "MIXED" ("boundary" "==mixed==") NIL "en" NIL)`

func parseFetch(t *testing.T, raw string) *grammar.Response {
	t.Helper()
	r, err := grammar.Parse([]byte(raw))
	if err != nil {
		t.Fatalf("%q: %v", raw, err)
	}
	return r
}

// TestEncodeFetch checks the encoder the negative controls use: a parsed
// response encodes back to the same octets, and what it writes parses to
// the same data.
func TestEncodeFetch(t *testing.T) {
	for _, raw := range []string{
		"* 1 FETCH (FLAGS (\\Seen \\Recent $Label) UID 42 RFC822.SIZE 259 INTERNALDATE \"17-Jul-1996 02:44:25 -0700\")\r\n",
		"* 2 FETCH (INTERNALDATE \" 7-Feb-1994 21:52:25 +0000\")\r\n",
		"* 1 FETCH (BODYSTRUCTURE " + attachmentBodyStructure + ")\r\n",
		"* 1 FETCH (BODY (\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 0 0))\r\n",
		"* 1 FETCH (ENVELOPE (\"Mon, 7 Feb 1994 21:52:25 -0800\" \"a \\\"quoted\\\" subject\" ((\"Fred\" NIL \"foobar\" \"example.org\")) " +
			"((NIL NIL \"A Group\" NIL)(NIL NIL \"joe\" \"where.test\")(NIL NIL NIL NIL)) NIL NIL NIL NIL NIL \"<id@example.org>\"))\r\n",
		"* 3 FETCH (BODY[HEADER.FIELDS (SUBJECT FROM)] {4}\r\nab\r\n BODY[]<0> {3}\r\nxyz RFC822.TEXT NIL)\r\n",
		"* 4 FETCH (BODY (\"MESSAGE\" \"RFC822\" NIL NIL NIL \"7BIT\" 40 (NIL \"s\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 3 1) 5))\r\n",
	} {
		r := parseFetch(t, raw)
		out := encodeFetch(r.Number, r.Fetch)
		if string(out) != raw {
			t.Errorf("encode(parse(%q)) = %q", raw, out)
		}
		again := parseFetch(t, string(out))
		if !reflect.DeepEqual(again.Fetch.Envelope, r.Fetch.Envelope) || !reflect.DeepEqual(again.Fetch.BodyStructure, r.Fetch.BodyStructure) {
			t.Errorf("%q: data changed by a round trip", raw)
		}
	}
	// A string that cannot be quoted goes out as a literal.
	r := parseFetch(t, "* 1 FETCH (ENVELOPE (NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL))\r\n")
	r.Fetch.Envelope.Subject = grammar.NString{Value: "Gr\xc3\xbc\xc3\x9fe"}
	if got := string(encodeFetch(1, r.Fetch)); !strings.Contains(got, "{7}\r\nGr\xc3\xbc\xc3\x9fe") {
		t.Errorf("8-bit subject encoded as %q", got)
	}
}

// TestCompareBody checks the golden comparison: a conformant answer has no
// difference whatever the case of its tokens, and each wrong field is
// named.
func TestCompareBody(t *testing.T) {
	g, err := loadGolden("attachment")
	if err != nil {
		t.Fatal(err)
	}
	compare := func(bs string) []difference {
		r := parseFetch(t, "* 1 FETCH (BODYSTRUCTURE "+bs+")\r\n")
		var c comparer
		c.compareBody("message", "", g.Body, r.Fetch.BodyStructure, true)
		return c.diffs
	}
	if d := compare(attachmentBodyStructure); d != nil {
		t.Errorf("conformant BODYSTRUCTURE: %v", d)
	}
	lower := strings.NewReplacer(`"TEXT" "PLAIN"`, `"text" "plain"`, `"BASE64"`, `"base64"`, `"CHARSET" "us-ascii"`, `"charset" "US-ASCII"`).Replace(attachmentBodyStructure)
	if d := compare(lower); d != nil {
		t.Errorf("lower-case tokens: %v", d)
	}
	// Without extension data, and with one tag as a string.
	if d := compare(`(("TEXT" "PLAIN" ("CHARSET" "us-ascii" "FORMAT" "flowed") NIL NIL "7BIT" 24 0)("APPLICATION" "PDF" ("NAME" "report.pdf") "<report.part2@example.org>" "Quarterly report" "BASE64" 76) "MIXED")`); d != nil {
		t.Errorf("no extension data: %v", d)
	}
	for _, tc := range []struct{ from, to, field string }{
		{`"BASE64" 76`, `"BASE64" 57`, "part 2 size"},
		{`"7BIT" 24 1`, `"7BIT" 24 3`, "part 1 lines"},
		{`("NAME" "report.pdf")`, `("NAME" "Report.pdf")`, "part 2 parameters"},
		{`"MIXED" ("boundary"`, `"ALTERNATIVE" ("boundary"`, "message subtype"},
		{`("en" "fr")`, `("fr" "en")`, "part 2 language"},
		{`"Quarterly report"`, `NIL`, "part 2 description"},
		{`("attachment" ("filename" "report.pdf" "size" "57"))`, `("inline" NIL)`, "part 2 disposition"},
	} {
		bs := strings.Replace(attachmentBodyStructure, tc.from, tc.to, 1)
		d := compare(bs)
		if len(d) != 1 || d[0].Field != tc.field {
			t.Errorf("%s -> %s: differences %v, want one in %s", tc.from, tc.to, d, tc.field)
		}
	}
	// A single-part body where a multipart one is expected.
	if d := compare(`("TEXT" "PLAIN" NIL NIL NIL "7BIT" 24 1)`); len(d) != 1 || d[0].Field != "message" {
		t.Errorf("single part for multipart: %v", d)
	}
}

// TestCompareEnvelope checks the envelope comparison rules: header values
// may come unfolded with or without the space after the colon, host names
// in any case; anything else must match.
func TestCompareEnvelope(t *testing.T) {
	g, err := loadGolden("groups")
	if err != nil {
		t.Fatal(err)
	}
	const good = `("Thu, 13 Feb 1969 23:32:54 -0330" " groups" (("Pete" NIL "pete" "silly.example")) (("Pete" NIL "pete" "Silly.Example")) ` +
		`(("Pete" NIL "pete" "silly.example")) ((NIL NIL "A Group" NIL)("Ed Jones" NIL "c" "a.test")(NIL NIL "joe" "where.test")` +
		`("John" NIL "jdoe" "one.test")(NIL NIL NIL NIL)) ((NIL NIL "Undisclosed recipients" NIL)(NIL NIL NIL NIL)) NIL NIL "<testabcd.1234@silly.example>")`
	compare := func(env string) []difference {
		r := parseFetch(t, "* 1 FETCH (ENVELOPE "+env+")\r\n")
		var c comparer
		c.compareEnvelope("envelope", g.Envelope, r.Fetch.Envelope)
		return c.diffs
	}
	if d := compare(good); d != nil {
		t.Errorf("conformant ENVELOPE: %v", d)
	}
	for _, tc := range []struct{ from, to, field string }{
		{`" groups"`, `"Groups"`, "envelope subject"},
		{`(("Pete" NIL "pete" "Silly.Example"))`, `NIL`, "envelope sender"},
		{`(NIL NIL NIL NIL)) ((NIL NIL "Undisclosed`, `) ((NIL NIL "Undisclosed`, "envelope to"},
		{`NIL NIL "<testabcd`, `NIL "<x@example.org>" "<testabcd`, "envelope in-reply-to"},
		{`"jdoe"`, `"JDoe"`, "envelope to"},
	} {
		d := compare(strings.Replace(good, tc.from, tc.to, 1))
		if len(d) != 1 || d[0].Field != tc.field {
			t.Errorf("%s -> %s: differences %v, want one in %s", tc.from, tc.to, d, tc.field)
		}
	}
}

// TestParseGoldenErrors checks that a mistyped golden is refused rather
// than read as an expectation of NIL.
func TestParseGoldenErrors(t *testing.T) {
	env := "envelope: {date: null, subject: null, from: null, sender: null, reply-to: null, to: null, cc: null, bcc: null, in-reply-to: null, message-id: null}\n"
	text := "bodystructure: {type: text, subtype: plain, params: null, id: null, description: null, encoding: 7bit, size: 1, lines: 1}\n"
	if _, err := parseGolden([]byte(env + text)); err != nil {
		t.Fatalf("valid golden: %v", err)
	}
	for name, doc := range map[string]string{
		"unknown key":         env + strings.Replace(text, "lines: 1", "lines: 1, line: 2", 1),
		"missing size":        env + strings.Replace(text, "size: 1, ", "", 1),
		"one alternative":     env + strings.Replace(text, "lines: 1", "lines: !any [1]", 1),
		"text without lines":  env + strings.Replace(text, ", lines: 1", "", 1),
		"empty parameters":    env + strings.Replace(text, "params: null", "params: {}", 1),
		"missing envelope":    text,
		"size not a number":   env + strings.Replace(text, "size: 1", "size: one", 1),
		"address of 3 fields": strings.Replace(env, "from: null", "from: [[a, b, c]]", 1) + text,
	} {
		if _, err := parseGolden([]byte(doc)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// TestPartNumbers checks that the golden and the parsed structure number
// parts alike, by the rules of RFC 3501 section 6.4.5, and that a base64
// size check names the part that is wrong.
func TestPartNumbers(t *testing.T) {
	g, err := loadGolden("nested")
	if err != nil {
		t.Fatal(err)
	}
	wants := map[string]*goldenBody{}
	numberGolden(g.Body, "", wants)
	var numbers []string
	for n := range wants {
		numbers = append(numbers, n)
	}
	slices.Sort(numbers)
	if want := []string{"1", "2", "3", "3.1", "3.2", "4.1", "4.2", "4.2.1", "4.2.2.1", "4.2.2.2"}; !slices.Equal(numbers, want) {
		t.Errorf("golden part numbers %v, want %v", numbers, want)
	}
	r := parseFetch(t, "* 1 FETCH (BODYSTRUCTURE (("+
		`"TEXT" "PLAIN" NIL NIL NIL "7BIT" 1 0)("APPLICATION" "OCTET-STREAM" NIL NIL NIL "BASE64" 24)`+
		`("MESSAGE" "RFC822" NIL NIL NIL "7BIT" 402 (NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL) `+
		`(("TEXT" "PLAIN" NIL NIL NIL "7BIT" 9 0)("APPLICATION" "OCTET-STREAM" NIL NIL NIL "BASE64" 24) "MIXED") 16)`+
		`(("IMAGE" "GIF" NIL NIL NIL "BASE64" 55)("MESSAGE" "RFC822" NIL NIL NIL "7BIT" 540 (NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL) `+
		`("TEXT" "PLAIN" NIL NIL NIL "7BIT" 11 0) 25) "MIXED") "MIXED"))`+"\r\n")
	gots := map[string]*grammar.BodyStructure{}
	numberBody(r.Fetch.BodyStructure, "", gots)
	for _, n := range []string{"2", "3.2", "4.1", "4.2", "4.2.1"} {
		if gots[n] == nil {
			t.Errorf("no part %s in the parsed structure", n)
		}
	}
	var c comparer
	base64Sizes(&c, g.Body, r.Fetch.BodyStructure)
	if len(c.diffs) != 1 || c.diffs[0].Field != "part 4.1 size" {
		t.Errorf("base64 sizes: %v, want one difference in part 4.1 size", c.diffs)
	}
}
