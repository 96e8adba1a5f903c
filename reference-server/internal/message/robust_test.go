package message

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

// nestedMultipart builds a message whose multiparts nest depth levels deep,
// each with its own boundary, with a text leaf at the bottom.
func nestedMultipart(depth int) []byte {
	var b strings.Builder
	b.WriteString("Subject: deep\r\n")
	for i := 0; i < depth; i++ {
		fmt.Fprintf(&b, "Content-Type: multipart/mixed; boundary=b%d\r\n\r\n--b%d\r\n", i, i)
	}
	b.WriteString("Content-Type: text/plain\r\n\r\nbottom\r\n")
	for i := depth - 1; i >= 0; i-- {
		fmt.Fprintf(&b, "--b%d--\r\n", i)
	}
	return []byte(b.String())
}

// nestedMessages builds depth MESSAGE/RFC822 bodies inside each other.
func nestedMessages(depth int) []byte {
	var b strings.Builder
	for i := 0; i < depth; i++ {
		fmt.Fprintf(&b, "Subject: level %d\r\nContent-Type: message/rfc822\r\n\r\n", i)
	}
	b.WriteString("Subject: bottom\r\n\r\nbottom text\r\n")
	return []byte(b.String())
}

// structureDepth returns how deeply the bodies of n nest.
func structureDepth(n *bodyNode) int {
	d := 0
	for _, c := range n.children {
		d = max(d, structureDepth(c))
	}
	if n.message != nil {
		d = max(d, structureDepth(n.message))
	}
	return d + 1
}

// TestNestingLimit: nesting beyond MaxDepth is described, not followed,
// and the values stay well-formed.
func TestNestingLimit(t *testing.T) {
	for name, raw := range map[string][]byte{
		"multipart": nestedMultipart(200),
		"message":   nestedMessages(200),
	} {
		t.Run(name, func(t *testing.T) {
			m := Parse(raw)
			if err := checkMessage(m); err != nil {
				t.Fatal(err)
			}
			var n *bodyNode
			if err := parseGrammar(m.AppendBodyStructure(nil, true), func(r *grammarReader) { n = r.body(true) }); err != nil {
				t.Fatal(err)
			}
			if d := structureDepth(n); d != MaxDepth+1 {
				t.Errorf("BODYSTRUCTURE nests %d bodies deep, want %d", d, MaxDepth+1)
			}
			if !bytes.Contains(m.AppendBodyStructure(nil, false), []byte(`("APPLICATION" "OCTET-STREAM" NIL NIL NIL "7BIT"`)) {
				t.Errorf("the entity at the limit is not described as APPLICATION/OCTET-STREAM")
			}
			if m.BodyContains("bottom text") || m.BodyContains("bottom\r\n") {
				t.Errorf("search went below the nesting limit")
			}
		})
	}
	// Just under the limit everything is analysed.
	m := Parse(nestedMultipart(MaxDepth))
	if !m.BodyContains("bottom") {
		t.Error("text at depth MaxDepth not searched")
	}
	path := make([]int, MaxDepth)
	for i := range path {
		path[i] = 1
	}
	if got, ok := m.Section(SectionSpec{Part: path}); !ok || string(got) != "bottom" {
		t.Errorf("BODY[1.1...1] at the limit = %q, %v", got, ok)
	}
}

// TestPartsLimit: at most MaxParts entities, and the last one takes the rest.
func TestPartsLimit(t *testing.T) {
	var b strings.Builder
	b.WriteString("Content-Type: multipart/mixed; boundary=x\r\n\r\n")
	for i := 0; i < MaxParts+500; i++ {
		fmt.Fprintf(&b, "--x\r\n\r\n%d\r\n", i)
	}
	b.WriteString("--x--\r\n")
	m := Parse([]byte(b.String()))
	if err := checkMessage(m); err != nil {
		t.Fatal(err)
	}
	var n *bodyNode
	if err := parseGrammar(m.AppendBodyStructure(nil, false), func(r *grammarReader) { n = r.body(false) }); err != nil {
		t.Fatal(err)
	}
	// The message is one entity; its parts are cut once there are MaxParts
	// entities, and the part being read then takes the rest.
	if got := len(n.children); got != MaxParts {
		t.Errorf("%d parts, want %d", got, MaxParts)
	}
	last, _ := m.Section(SectionSpec{Part: []int{MaxParts}})
	if !bytes.HasPrefix(last, []byte(fmt.Sprintf("%d\r\n--x\r\n", MaxParts-1))) || !bytes.HasSuffix(last, []byte(fmt.Sprintf("\r\n%d\r\n--x--\r\n", MaxParts+499))) {
		t.Errorf("the last part does not run to the end of the multipart: ...%q", last[max(0, len(last)-20):])
	}
}

// TestHostileInputs: shapes that break naive parsers give well-formed
// values.
func TestHostileInputs(t *testing.T) {
	long := strings.Repeat("a", 1<<20)
	inputs := map[string]string{
		"empty":                 "",
		"only CRLF":             "\r\n",
		"only LF":               "\n",
		"lone CR":               "\r",
		"NUL everywhere":        "Subject: a\x00b\r\nFrom: \x00@\x00\r\n\r\n\x00",
		"continuation first":    " folded\r\nSubject: x\r\n\r\n",
		"colon first":           ": no name\r\n\r\n",
		"huge header line":      "Subject: " + long + "\r\n\r\n",
		"huge field name":       long + ": v\r\n\r\n",
		"many params":           "Content-Type: text/plain" + strings.Repeat("; a=b", 10000) + "\r\n\r\n",
		"unclosed comment":      "Content-Type: text/plain (((((\r\nFrom: (a <b@c>\r\n\r\n",
		"unclosed quote":        "Content-Type: text/plain; name=\"abc\r\nTo: \"abc\r\n\r\n",
		"many addresses":        "To: " + strings.Repeat("a@b,", 100000) + "\r\n\r\n",
		"many groups":           "To: " + strings.Repeat("g:;", 10000) + "\r\n\r\n",
		"many angles":           "To: " + strings.Repeat("<", 100000) + "\r\n\r\n",
		"many comments":         "To: " + strings.Repeat("(c)", 100000) + "\r\n\r\n",
		"rfc2231 sections":      "Content-Type: text/plain; n*99=a; n*0*=x'y'%; n*1*=%zz; n*=''q\r\n\r\n",
		"empty boundary":        "Content-Type: multipart/mixed; boundary=\"\"\r\n\r\n--\r\n\r\nx\r\n----\r\n",
		"boundary prefix":       "Content-Type: multipart/mixed; boundary=a\r\n\r\n--ab\r\n--a \t\r\n\r\nx\r\n--a--garbage\r\n",
		"inner reuses boundary": "Content-Type: multipart/mixed; boundary=a\r\n\r\n--a\r\nContent-Type: multipart/mixed; boundary=a\r\n\r\n--a\r\n\r\nx\r\n--a--\r\n",
		"delimiter at the end":  "Content-Type: multipart/mixed; boundary=a\r\n\r\n--a",
		"type without subtype":  "Content-Type: text/\r\n\r\nx",
		"8-bit type":            "Content-Type: t\xe9xt/pl\xe4in\r\n\r\nx",
		"message no body":       "Content-Type: message/rfc822\r\n",
		"base64 junk":           "Content-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\n!!!!====a",
		"qp junk":               "Content-Type: text/plain\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n=\r\n=Z=\n==41",
		"unknown charset":       "Content-Type: text/plain; charset=x-no-such-charset\r\n\r\n\xff\xfe",
		"bad encoded word":      "Subject: =?utf-8?q?=ZZ?= =?bogus?b?!!?= =?utf-8?b?????=\r\n\r\n",
	}
	for name, raw := range inputs {
		t.Run(name, func(t *testing.T) {
			m := Parse([]byte(raw))
			if err := checkMessage(m); err != nil {
				t.Fatal(err)
			}
			exercise(m)
		})
	}
}

// exercise calls every accessor; the tests only care that none of them
// misbehaves.
func exercise(m *Message) {
	m.HeaderContains("Subject", "a")
	m.HeaderContains("To", "")
	m.HeaderExists("From")
	m.BodyContains("a")
	m.TextContains("b")
	m.SentDate()
	for _, s := range []SectionSpec{
		{}, {Specifier: "HEADER"}, {Specifier: "TEXT"},
		{Specifier: "HEADER.FIELDS", Fields: []string{"Subject", "From"}},
		{Specifier: "HEADER.FIELDS.NOT", Fields: []string{"Subject"}},
		{Part: []int{1}, Specifier: "MIME"}, {Part: []int{1}, Specifier: "HEADER"},
		{Part: []int{1}, Specifier: "TEXT"}, {Part: []int{1, 1}}, {Part: []int{2, 1, 1}},
		{Part: []int{1, 2}, Specifier: "HEADER.FIELDS.NOT", Fields: []string{"a"}},
	} {
		m.Section(s)
	}
}
