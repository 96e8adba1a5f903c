package grammar

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Character classes of RFC 3501 section 9.
const (
	cAtom    = 1 << iota // ATOM-CHAR: any CHAR except atom-specials
	cAstring             // ASTRING-CHAR: ATOM-CHAR / resp-specials
	cTag                 // any ASTRING-CHAR except "+"
	cText                // TEXT-CHAR: any CHAR except CR and LF
	cQuoted              // QUOTED-CHAR without escape: TEXT-CHAR except quoted-specials
	cGeneric             // a character of a generic atom-like token of an unknown response
	cBase64              // base64-char
)

var class [256]uint8

func init() {
	for c := 1; c < 0x80; c++ {
		b := byte(c)
		ctl := c < 0x20 || c == 0x7f
		atomSpecial := ctl || strings.IndexByte(`(){ %*"\]`, b) >= 0
		if !atomSpecial {
			class[c] |= cAtom | cAstring | cTag
		}
		if b == ']' {
			class[c] |= cAstring | cTag
		}
		if b == '+' {
			class[c] &^= cTag
		}
		if b != '\r' && b != '\n' {
			class[c] |= cText
			if b != '"' && b != '\\' {
				class[c] |= cQuoted
			}
		}
		if !ctl && strings.IndexByte(`(){ "`, b) < 0 {
			class[c] |= cGeneric
		}
		if b >= 'A' && b <= 'Z' || b >= 'a' && b <= 'z' || b >= '0' && b <= '9' || b == '+' || b == '/' {
			class[c] |= cBase64
		}
	}
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// maxDepth bounds the nesting of parenthesised lists and bodies, so that no
// response can exhaust the stack. RFC 3501 sets no limit; real structures
// stay far below it.
const maxDepth = 100

// parser holds the state of one parse. Errors are raised by panicking with
// a *SyntaxError, recovered in run; any other panic is a bug and is not
// recovered.
type parser struct {
	s     string
	pos   int
	utf8  bool
	depth int
	r     *Response
	// seen holds the FETCH item names of a long msg-att.
	seen map[string]bool
}

func (p *parser) fail(rule, msg string) {
	panic(&SyntaxError{Raw: p.s, Offset: p.pos, Rule: rule, Msg: msg})
}

func (p *parser) failAt(pos int, rule, msg string) {
	panic(&SyntaxError{Raw: p.s, Offset: pos, Rule: rule, Msg: msg})
}

func (p *parser) failf(rule, format string, args ...any) {
	p.fail(rule, fmt.Sprintf(format, args...))
}

// found describes the octet at the current position for error messages.
func (p *parser) found() string {
	if p.pos >= len(p.s) {
		return "end of response"
	}
	c := p.s[p.pos]
	switch {
	case c == ' ' && p.pos > 0 && p.s[p.pos-1] == ' ':
		return "a second SP (SP is exactly one space, RFC 3501 section 9 note 2)"
	case c == ' ':
		return "SP"
	case c == '\t':
		return "TAB (SP is exactly one space, RFC 3501 section 9 note 2)"
	case c == '\r' && p.pos+1 < len(p.s) && p.s[p.pos+1] == '\n':
		return "end of line"
	case c == '\r':
		return "bare CR"
	case c == '\n':
		return "bare LF"
	case c == 0:
		return "NUL (RFC 3501 section 9 note 3)"
	case c >= 0x80:
		return fmt.Sprintf("8-bit octet 0x%02x", c)
	case c < 0x20 || c == 0x7f:
		return fmt.Sprintf("control octet 0x%02x", c)
	}
	return strconv.QuoteRune(rune(c))
}

// unexpected fails saying what was wanted and what was found.
func (p *parser) unexpected(rule, want string) {
	p.failf(rule, "expected %s, found %s", want, p.found())
}

func (p *parser) eof() bool { return p.pos >= len(p.s) }

func (p *parser) peek() byte {
	if p.pos < len(p.s) {
		return p.s[p.pos]
	}
	return 0
}

func (p *parser) peekIs(c byte) bool { return p.pos < len(p.s) && p.s[p.pos] == c }

func (p *parser) accept(c byte) bool {
	if p.peekIs(c) {
		p.pos++
		return true
	}
	return false
}

func (p *parser) expect(c byte, rule string) {
	if !p.accept(c) {
		p.unexpected(rule, strconv.QuoteRune(rune(c)))
	}
}

// sp consumes exactly one SP.
func (p *parser) sp(rule string) {
	if !p.accept(' ') {
		p.unexpected(rule, "SP")
	}
}

// acceptFold consumes word if it is next, compared without regard to case
// (RFC 3501 section 9 note 1).
func (p *parser) acceptFold(word string) bool {
	if len(p.s)-p.pos >= len(word) && strings.EqualFold(p.s[p.pos:p.pos+len(word)], word) {
		p.pos += len(word)
		return true
	}
	return false
}

func (p *parser) enter(rule string) {
	p.depth++
	if p.depth > maxDepth {
		p.failf(rule, "nesting deeper than %d levels", maxDepth)
	}
}

func (p *parser) leave() { p.depth-- }

// crlf consumes the final CRLF, which must end the input.
func (p *parser) crlf() {
	if p.pos+2 == len(p.s) && p.s[p.pos] == '\r' && p.s[p.pos+1] == '\n' {
		p.pos += 2
		return
	}
	if p.pos+2 < len(p.s) && p.s[p.pos] == '\r' && p.s[p.pos+1] == '\n' {
		p.failAt(p.pos, "CRLF", "octets after the CRLF that ends the response")
	}
	switch p.peek() {
	case '\n':
		p.fail("CRLF", "bare LF ends the line; lines end in CRLF (RFC 3501 section 2.2)")
	case '\r':
		p.fail("CRLF", "bare CR; lines end in CRLF (RFC 3501 section 2.2)")
	}
	if p.eof() {
		p.fail("CRLF", "response does not end in CRLF")
	}
	p.failf("CRLF", "expected end of response, found %s (trailing garbage)", p.found())
}

// atEnd reports whether the final CRLF is next.
func (p *parser) atEnd() bool {
	return p.pos+1 < len(p.s) && p.s[p.pos] == '\r' && p.s[p.pos+1] == '\n'
}

// run scans 1*char of the class and returns it.
func (p *parser) run(cls uint8, rule, want string) string {
	start := p.pos
	for p.pos < len(p.s) && class[p.s[p.pos]]&cls != 0 {
		p.pos++
	}
	if p.pos == start {
		p.unexpected(rule, want)
	}
	return p.s[start:p.pos]
}

// atom scans atom = 1*ATOM-CHAR.
func (p *parser) atom(rule string) string { return p.run(cAtom, rule, "atom") }

// number scans number = 1*DIGIT, an unsigned 32-bit integer.
func (p *parser) number(rule string) uint32 {
	return uint32(p.digits(rule, "number", 1<<32-1, false))
}

// nzNumber scans nz-number = digit-nz *DIGIT, non-zero and 32-bit.
func (p *parser) nzNumber(rule string) uint32 {
	return uint32(p.digits(rule, "nz-number", 1<<32-1, true))
}

// number64 scans a number of up to 63 bits (RFC 9051 number64).
func (p *parser) number64(rule string) uint64 {
	return p.digits(rule, "number64", 1<<63-1, false)
}

// modSeq scans mod-sequence-value: 1*DIGIT, 1 <= n < 2^63 (RFC 7162
// section 7).
func (p *parser) modSeq(rule string) uint64 {
	return p.digits(rule, "mod-sequence-value", 1<<63-1, true)
}

func (p *parser) digits(rule, what string, limit uint64, nonZero bool) uint64 {
	start := p.pos
	var n uint64
	for p.pos < len(p.s) && isDigit(p.s[p.pos]) {
		n = n*10 + uint64(p.s[p.pos]-'0')
		if n > limit {
			p.failAt(start, rule, fmt.Sprintf("%s out of range (at most %d)", what, limit))
		}
		p.pos++
	}
	if p.pos == start {
		p.unexpected(rule, what)
	}
	if nonZero {
		if n == 0 {
			p.failAt(start, rule, what+" must not be zero")
		}
		if p.s[start] == '0' {
			p.failAt(start, rule, what+" must not have a leading zero (digit-nz *DIGIT)")
		}
	}
	return n
}

// quoted scans quoted = DQUOTE *QUOTED-CHAR DQUOTE and returns the
// unescaped content.
func (p *parser) quoted(rule string) string {
	p.expect('"', rule)
	start := p.pos
	escaped := false
	for {
		if p.pos >= len(p.s) {
			p.failAt(start-1, "quoted", "unterminated quoted string")
		}
		c := p.s[p.pos]
		switch {
		case c == '"':
			s := p.s[start:p.pos]
			p.pos++
			if escaped {
				return unescape(s)
			}
			return s
		case c == '\\':
			if p.pos+1 < len(p.s) && (p.s[p.pos+1] == '"' || p.s[p.pos+1] == '\\') {
				escaped = true
				p.pos += 2
				continue
			}
			p.pos++
			p.fail("quoted", `backslash in a quoted string escapes only "\"" or "\\" (QUOTED-CHAR)`)
		case class[c]&cQuoted != 0:
			p.pos++
		case c >= 0x80 && p.utf8:
			p.utf8Char("quoted")
		case c >= 0x80:
			p.fail("quoted", fmt.Sprintf("8-bit octet 0x%02x in a quoted string; 8-bit data must be sent as a literal (RFC 3501 section 4.3)", c))
		case c == '\r' || c == '\n':
			if p.atEnd() && p.pos+2 == len(p.s) {
				p.failAt(start-1, "quoted", "quoted string not closed before the end of the line")
			}
			p.fail("quoted", "CR or LF in a quoted string (RFC 3501 section 4.3)")
		default:
			p.failf("quoted", "%s in a quoted string", p.found())
		}
	}
}

// utf8Char consumes one valid multi-octet UTF-8 character.
func (p *parser) utf8Char(rule string) {
	r, size := utf8.DecodeRuneInString(p.s[p.pos:])
	if r == utf8.RuneError && size <= 1 {
		p.fail(rule, fmt.Sprintf("invalid UTF-8 at octet 0x%02x", p.s[p.pos]))
	}
	p.pos += size
}

func unescape(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// literal scans literal = "{" number "}" CRLF *CHAR8 and returns the
// octets. With binary, literal8 = "~{" number "}" CRLF *OCTET (RFC 3516)
// is accepted too.
func (p *parser) literal(rule string, binary bool) string {
	start := p.pos
	eight := false
	if binary && p.peekIs('~') {
		eight = true
		p.pos++
	}
	p.expect('{', rule)
	n := p.number("literal")
	if p.peekIs('+') {
		p.fail("literal", "non-synchronizing literal {n+} is for clients only (RFC 7888 section 3)")
	}
	p.expect('}', "literal")
	if !(p.pos+1 < len(p.s) && p.s[p.pos] == '\r' && p.s[p.pos+1] == '\n') {
		p.unexpected("literal", "CRLF after the literal's octet count")
	}
	p.pos += 2
	if uint64(len(p.s)-p.pos) < uint64(n) {
		p.failAt(start, "literal", fmt.Sprintf("literal announces %d octets but only %d follow", n, len(p.s)-p.pos))
	}
	data := p.s[p.pos : p.pos+int(n)]
	if !eight {
		if i := strings.IndexByte(data, 0); i >= 0 {
			p.failAt(p.pos+i, "literal", "NUL in a literal; literal holds CHAR8 (RFC 3501 section 4.3)")
		}
	}
	p.pos += int(n)
	return data
}

// str scans string = quoted / literal. It reports whether a literal was
// used.
func (p *parser) str(rule string) (string, bool) {
	switch p.peek() {
	case '"':
		return p.quoted(rule), false
	case '{':
		return p.literal(rule, false), true
	}
	p.unexpected(rule, "string (quoted or literal)")
	return "", false
}

// astring scans astring = 1*ASTRING-CHAR / string.
func (p *parser) astring(rule string) string {
	switch p.peek() {
	case '"', '{':
		s, _ := p.str(rule)
		return s
	}
	return p.run(cAstring, rule, "astring")
}

// isNil reports whether NIL (any case) is next as a whole token.
func (p *parser) isNil() bool {
	if len(p.s)-p.pos < 3 || !strings.EqualFold(p.s[p.pos:p.pos+3], "NIL") {
		return false
	}
	return p.pos+3 == len(p.s) || class[p.s[p.pos+3]]&cAtom == 0
}

// acceptNil consumes nil = "NIL".
func (p *parser) acceptNil() bool {
	if p.isNil() {
		p.pos += 3
		return true
	}
	return false
}

// nstring scans nstring = string / nil.
func (p *parser) nstring(rule string) NString {
	if p.acceptNil() {
		return NString{Nil: true}
	}
	switch p.peek() {
	case '"', '{':
		s, _ := p.str(rule)
		return NString{Value: s}
	}
	p.unexpected(rule, "nstring (string or NIL)")
	return NString{}
}

// text scans text = 1*TEXT-CHAR up to the CRLF and returns it; it may be
// empty, and the caller decides.
func (p *parser) text(rule string) string {
	start := p.pos
	for p.pos < len(p.s) {
		c := p.s[p.pos]
		switch {
		case class[c]&cText != 0:
			p.pos++
		case c == '\r' || c == '\n':
			return p.s[start:p.pos]
		case c >= 0x80 && p.utf8:
			p.utf8Char(rule)
		case c >= 0x80:
			p.fail(rule, fmt.Sprintf("8-bit octet 0x%02x in text; TEXT-CHAR is 7-bit (RFC 3501 section 9)", c))
		default:
			p.failf(rule, "%s in text", p.found())
		}
	}
	return p.s[start:]
}

// seqSet scans sequence-set (with "*" when star) or uid-set (without) of
// RFC 3501 section 9 and RFC 4315 section 4.
func (p *parser) seqSet(rule string, star bool) NumSet {
	var set NumSet
	num := func() uint32 {
		if p.peekIs('*') {
			if !star {
				p.fail(rule, `"*" is not allowed in this set`)
			}
			p.pos++
			return 0
		}
		return p.nzNumber(rule)
	}
	for {
		r := NumRange{Start: num()}
		r.Stop = r.Start
		if p.accept(':') {
			r.Stop = num()
		}
		set = append(set, r)
		if !p.accept(',') {
			return set
		}
	}
}

func formatUint(n uint64) string { return strconv.FormatUint(n, 10) }

// quote renders s as an IMAP quoted string when it can be one.
func quote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		if s[i] == '"' || s[i] == '\\' {
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	b.WriteByte('"')
	return b.String()
}
