package command

import (
	"strconv"
	"strings"
)

// Character classes of RFC 3501 section 9.

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isAlpha(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

// isAtomChar: ATOM-CHAR = <any CHAR except atom-specials>, where
// atom-specials = "(" / ")" / "{" / SP / CTL / list-wildcards /
// quoted-specials / resp-specials.
func isAtomChar(c byte) bool {
	if c <= 0x1f || c >= 0x7f {
		return false
	}
	switch c {
	case '(', ')', '{', ' ', '%', '*', '"', '\\', ']':
		return false
	}
	return true
}

// isAStringChar: ASTRING-CHAR = ATOM-CHAR / resp-specials.
func isAStringChar(c byte) bool { return isAtomChar(c) || c == ']' }

// isTagChar: tag = 1*<any ASTRING-CHAR except "+">.
func isTagChar(c byte) bool { return isAStringChar(c) && c != '+' }

// isListChar: list-char = ATOM-CHAR / list-wildcards / resp-specials.
func isListChar(c byte) bool { return isAtomChar(c) || c == '%' || c == '*' || c == ']' }

// isQuotedSpecial: quoted-specials = DQUOTE / "\".
func isQuotedSpecial(c byte) bool { return c == '"' || c == '\\' }

func (r *Reader) atEOL() bool { return r.pos >= len(r.line) }

// peek returns the next octet of the line, or 0 at its end.
func (r *Reader) peek() byte {
	if r.pos >= len(r.line) {
		return 0
	}
	return r.line[r.pos]
}

// found describes what is at the parse position, for error messages.
func (r *Reader) found() string {
	if r.atEOL() {
		return "end of line"
	}
	rest := r.line[r.pos:]
	if len(rest) > 20 {
		rest = rest[:20]
	}
	return strconv.QuoteToASCII(string(rest))
}

func (r *Reader) expect(c byte, what string) error {
	if r.peek() != c || r.atEOL() {
		return r.syntaxError("%s expected, found %s", what, r.found())
	}
	r.pos++
	return nil
}

// sp consumes exactly one SP.
func (r *Reader) sp() error { return r.expect(' ', "SP") }

// eol checks that the command ends here.
func (r *Reader) eol() error {
	if !r.atEOL() {
		return r.syntaxError("Unexpected %s after the command's arguments", r.found())
	}
	return nil
}

// item counts one parenthesised item or sequence range against MaxItems.
func (r *Reader) item() error {
	r.items++
	if r.items > r.lim.MaxItems {
		return r.syntaxError("Too many items in one command (limit %d)", r.lim.MaxItems)
	}
	return nil
}

// enter and leave track nesting depth against MaxDepth.
func (r *Reader) enter() error {
	r.depth++
	if r.depth > r.lim.MaxDepth {
		return r.syntaxError("Nesting too deep (limit %d)", r.lim.MaxDepth)
	}
	return nil
}

func (r *Reader) leave() { r.depth-- }

// atom reads 1*ATOM-CHAR.
func (r *Reader) atom(what string) (string, error) {
	start := r.pos
	for r.pos < len(r.line) && isAtomChar(r.line[r.pos]) {
		r.pos++
	}
	if r.pos == start {
		return "", r.syntaxError("%s expected, found %s", what, r.found())
	}
	return string(r.line[start:r.pos]), nil
}

// keyword reads a command or data item name: letters, digits and the
// punctuation used in names such as RFC822.SIZE or +FLAGS.SILENT. It returns
// the name in upper case.
func (r *Reader) keyword(what string) (string, error) {
	start := r.pos
	for r.pos < len(r.line) {
		c := r.line[r.pos]
		if !isAlpha(c) && !isDigit(c) && c != '.' && c != '-' && c != '+' {
			break
		}
		r.pos++
	}
	if r.pos == start {
		return "", r.syntaxError("%s expected, found %s", what, r.found())
	}
	return strings.ToUpper(string(r.line[start:r.pos])), nil
}

// quoted reads a quoted string: DQUOTE *QUOTED-CHAR DQUOTE, with
// QUOTED-CHAR = <any TEXT-CHAR except quoted-specials> / "\" quoted-specials.
func (r *Reader) quoted(what string) ([]byte, error) {
	if err := r.expect('"', what); err != nil {
		return nil, err
	}
	var out []byte
	for {
		if r.atEOL() {
			return nil, r.syntaxError("Unterminated quoted string in %s", what)
		}
		c := r.line[r.pos]
		r.pos++
		switch {
		case c == '"':
			if out == nil {
				out = []byte{}
			}
			return out, nil
		case c == '\\':
			if r.atEOL() || !isQuotedSpecial(r.line[r.pos]) {
				return nil, r.syntaxError("Invalid escape in quoted string in %s: only \\\\ and \\\" are allowed", what)
			}
			out = append(out, r.line[r.pos])
			r.pos++
		case c == 0 || c >= 0x80:
			return nil, r.syntaxError("Invalid octet 0x%02x in quoted string in %s (use a literal for 8-bit data)", c, what)
		default:
			out = append(out, c)
		}
	}
}

// str reads a string: quoted / literal.
func (r *Reader) str(what string) ([]byte, error) {
	switch r.peek() {
	case '"':
		return r.quoted(what)
	case '{':
		return r.literal(r.lim.MaxLiteral, true, nil, nil)
	}
	return nil, r.syntaxError("%s expected (a quoted string or a literal), found %s", what, r.found())
}

// astring reads an astring: 1*ASTRING-CHAR / string.
func (r *Reader) astring(what string) ([]byte, error) {
	switch r.peek() {
	case '"', '{':
		return r.str(what)
	}
	start := r.pos
	for r.pos < len(r.line) && isAStringChar(r.line[r.pos]) {
		r.pos++
	}
	if r.pos == start {
		return nil, r.syntaxError("%s expected, found %s", what, r.found())
	}
	return r.line[start:r.pos:r.pos], nil
}

func (r *Reader) astringS(what string) (string, error) {
	b, err := r.astring(what)
	return string(b), err
}

// listMailbox reads list-mailbox = 1*list-char / string.
func (r *Reader) listMailbox() (string, error) {
	switch r.peek() {
	case '"', '{':
		b, err := r.str("mailbox pattern")
		return string(b), err
	}
	start := r.pos
	for r.pos < len(r.line) && isListChar(r.line[r.pos]) {
		r.pos++
	}
	if r.pos == start {
		return "", r.syntaxError("Mailbox pattern expected, found %s", r.found())
	}
	return string(r.line[start:r.pos]), nil
}

// number reads number = 1*DIGIT, an unsigned 32-bit integer.
func (r *Reader) number(what string) (uint32, error) {
	start := r.pos
	for r.pos < len(r.line) && isDigit(r.line[r.pos]) {
		r.pos++
	}
	if r.pos == start {
		return 0, r.syntaxError("%s expected (a number), found %s", what, r.found())
	}
	n, err := strconv.ParseUint(string(r.line[start:r.pos]), 10, 32)
	if err != nil {
		return 0, r.syntaxError("%s out of range: numbers are unsigned 32-bit", what)
	}
	return uint32(n), nil
}

// nzNumber reads nz-number = digit-nz *DIGIT: no zero, no leading zero.
func (r *Reader) nzNumber(what string) (uint32, error) {
	if r.peek() == '0' {
		return 0, r.syntaxError("%s must be a non-zero number without leading zeros", what)
	}
	return r.number(what)
}
