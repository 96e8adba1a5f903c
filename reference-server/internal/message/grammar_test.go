package message

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
)

// This file holds a strict reader of the RFC 3501 section 9 productions
// that this package produces (body, envelope, address, string), written
// independently of the code under test. Tests use it to check that every
// value is well-formed and to read back the sizes it states.

// bodyNode is one body read back from a BODY or BODYSTRUCTURE value.
type bodyNode struct {
	multipart bool
	children  []*bodyNode
	typ       string
	subtype   string
	params    [][2]string
	size      int64
	lines     int64
	hasLines  bool
	envelope  *envelopeNode // body-type-msg
	message   *bodyNode     // body-type-msg
}

// envelopeNode is an ENVELOPE read back.
type envelopeNode struct {
	date, subject, inReplyTo, messageID *string
	from, sender, replyTo, to, cc, bcc  []addressNode
}

type addressNode struct {
	name, adl, mailbox, host *string
}

type grammarReader struct {
	b   []byte
	pos int
}

type grammarError struct {
	pos int
	msg string
}

func (e *grammarError) Error() string { return fmt.Sprintf("offset %d: %s", e.pos, e.msg) }

func (r *grammarReader) fail(format string, args ...any) {
	panic(&grammarError{r.pos, fmt.Sprintf(format, args...)})
}

// parseGrammar runs f over b, which it must consume entirely.
func parseGrammar(b []byte, f func(r *grammarReader)) (err error) {
	r := &grammarReader{b: b}
	defer func() {
		if p := recover(); p != nil {
			ge, ok := p.(*grammarError)
			if !ok {
				panic(p)
			}
			err = ge
		}
	}()
	f(r)
	if r.pos != len(b) {
		r.fail("trailing octets %q", b[r.pos:])
	}
	return nil
}

func (r *grammarReader) peek() byte {
	if r.pos >= len(r.b) {
		return 0
	}
	return r.b[r.pos]
}

func (r *grammarReader) expect(s string) {
	if !bytes.HasPrefix(r.b[r.pos:], []byte(s)) {
		end := min(r.pos+20, len(r.b))
		r.fail("want %q, have %q", s, r.b[r.pos:end])
	}
	r.pos += len(s)
}

func (r *grammarReader) sp() { r.expect(" ") }

func (r *grammarReader) isNIL() bool {
	if bytes.HasPrefix(r.b[r.pos:], []byte("NIL")) {
		r.pos += 3
		return true
	}
	return false
}

// str reads a string = quoted / literal.
func (r *grammarReader) str() string {
	switch r.peek() {
	case '"':
		r.pos++
		var sb strings.Builder
		for {
			if r.pos >= len(r.b) {
				r.fail("unterminated quoted string")
			}
			c := r.b[r.pos]
			r.pos++
			switch {
			case c == '"':
				return sb.String()
			case c == '\\':
				if r.pos >= len(r.b) || (r.b[r.pos] != '"' && r.b[r.pos] != '\\') {
					r.fail("bad quoted-pair")
				}
				sb.WriteByte(r.b[r.pos])
				r.pos++
			case c == 0 || c == '\r' || c == '\n' || c >= 0x80:
				r.fail("octet %#x not allowed in a quoted string", c)
			default:
				sb.WriteByte(c)
			}
		}
	case '{':
		r.pos++
		n := r.number()
		r.expect("}\r\n")
		if int64(len(r.b)-r.pos) < n {
			r.fail("literal runs past the end")
		}
		s := r.b[r.pos : r.pos+int(n)]
		for _, c := range s {
			if c == 0 {
				r.fail("NUL in literal")
			}
		}
		r.pos += int(n)
		return string(s)
	}
	r.fail("want a string")
	return ""
}

func (r *grammarReader) nstring() *string {
	if r.isNIL() {
		return nil
	}
	s := r.str()
	return &s
}

func (r *grammarReader) number() int64 {
	start := r.pos
	for r.pos < len(r.b) && '0' <= r.b[r.pos] && r.b[r.pos] <= '9' {
		r.pos++
	}
	if start == r.pos {
		r.fail("want a number")
	}
	n, err := strconv.ParseInt(string(r.b[start:r.pos]), 10, 64)
	if err != nil || n > 1<<32-1 {
		r.fail("number out of range")
	}
	return n
}

// body = "(" (body-type-1part / body-type-mpart) ")"
func (r *grammarReader) body(extended bool) *bodyNode {
	r.expect("(")
	n := &bodyNode{}
	if r.peek() == '(' {
		n.multipart = true
		for r.peek() == '(' {
			n.children = append(n.children, r.body(extended))
		}
		r.sp()
		n.subtype = r.str()
		if extended {
			// body-ext-mpart
			r.sp()
			n.params = r.params()
			r.sp()
			r.disposition()
			r.sp()
			r.language()
			r.sp()
			r.nstring()
		}
		r.expect(")")
		return n
	}
	n.typ = r.str()
	r.sp()
	n.subtype = r.str()
	r.sp()
	// body-fields
	n.params = r.params()
	r.sp()
	r.nstring() // id
	r.sp()
	r.nstring() // description
	r.sp()
	r.str() // encoding
	r.sp()
	n.size = r.number()
	switch {
	case strings.EqualFold(n.typ, "MESSAGE") && strings.EqualFold(n.subtype, "RFC822"):
		r.sp()
		n.envelope = r.envelope()
		r.sp()
		n.message = r.body(extended)
		r.sp()
		n.lines, n.hasLines = r.number(), true
	case strings.EqualFold(n.typ, "TEXT"):
		r.sp()
		n.lines, n.hasLines = r.number(), true
	}
	if extended {
		// body-ext-1part
		r.sp()
		r.nstring() // md5
		r.sp()
		r.disposition()
		r.sp()
		r.language()
		r.sp()
		r.nstring() // location
	}
	r.expect(")")
	return n
}

// body-fld-param = "(" string SP string *(SP string SP string) ")" / nil
func (r *grammarReader) params() [][2]string {
	if r.isNIL() {
		return nil
	}
	r.expect("(")
	var ps [][2]string
	for {
		k := r.str()
		r.sp()
		v := r.str()
		ps = append(ps, [2]string{k, v})
		if r.peek() == ')' {
			r.pos++
			return ps
		}
		r.sp()
	}
}

// body-fld-dsp = "(" string SP body-fld-param ")" / nil
func (r *grammarReader) disposition() {
	if r.isNIL() {
		return
	}
	r.expect("(")
	r.str()
	r.sp()
	r.params()
	r.expect(")")
}

// body-fld-lang = nstring / "(" string *(SP string) ")"
func (r *grammarReader) language() {
	if r.peek() != '(' {
		r.nstring()
		return
	}
	r.pos++
	r.str()
	for r.peek() == ' ' {
		r.pos++
		r.str()
	}
	r.expect(")")
}

// envelope (RFC 3501 section 9).
func (r *grammarReader) envelope() *envelopeNode {
	e := &envelopeNode{}
	r.expect("(")
	e.date = r.nstring()
	r.sp()
	e.subject = r.nstring()
	for _, list := range []*[]addressNode{&e.from, &e.sender, &e.replyTo, &e.to, &e.cc, &e.bcc} {
		r.sp()
		*list = r.addressList()
	}
	r.sp()
	e.inReplyTo = r.nstring()
	r.sp()
	e.messageID = r.nstring()
	r.expect(")")
	return e
}

// "(" 1*address ")" / nil, with the group markers well nested.
func (r *grammarReader) addressList() []addressNode {
	if r.isNIL() {
		return nil
	}
	r.expect("(")
	var list []addressNode
	inGroup := false
	for {
		r.expect("(")
		var a addressNode
		a.name = r.nstring()
		r.sp()
		a.adl = r.nstring()
		r.sp()
		a.mailbox = r.nstring()
		r.sp()
		a.host = r.nstring()
		r.expect(")")
		switch {
		case a.host == nil && a.mailbox != nil:
			if inGroup {
				r.fail("group start inside a group")
			}
			inGroup = true
		case a.host == nil:
			if !inGroup {
				r.fail("group end outside a group")
			}
			inGroup = false
		case *a.host == "" || a.mailbox == nil || *a.mailbox == "":
			r.fail("address with an empty host or mailbox")
		}
		list = append(list, a)
		if r.peek() == ')' {
			r.pos++
			if inGroup {
				r.fail("unterminated group")
			}
			return list
		}
	}
}
