package message

import (
	"sort"
	"strconv"
	"strings"
)

// param is one MIME parameter (RFC 2045 section 5.1) after RFC 2231
// continuations are joined. name is upper case; value is as in the message.
type param struct {
	name  string
	value string
}

// valueScanner walks a structured MIME field body (RFC 2045 section 5.1,
// RFC 2183 section 2): tokens, quoted strings and "/", ";" and "=" between
// them, with white space and comments skipped.
type valueScanner struct {
	s   string
	pos int
}

// skipCFWS skips white space and (nested) comments (RFC 822 section 3.4.3).
func (v *valueScanner) skipCFWS() {
	for v.pos < len(v.s) {
		switch v.s[v.pos] {
		case ' ', '\t', '\r', '\n':
			v.pos++
		case '(':
			v.pos = skipComment(v.s, v.pos)
		default:
			return
		}
	}
}

// skipComment returns the offset after the comment that starts at s[i],
// or len(s) when it is not closed.
func skipComment(s string, i int) int {
	depth := 0
	for ; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return i + 1
			}
		}
	}
	return len(s)
}

// isTSpecial reports whether c is one of the tspecials of RFC 2045
// section 5.1.
func isTSpecial(c byte) bool {
	return strings.IndexByte("()<>@,;:\\\"/[]?=", c) >= 0
}

// token reads an RFC 2045 token, possibly empty.
func (v *valueScanner) token() string {
	start := v.pos
	for v.pos < len(v.s) {
		c := v.s[v.pos]
		if c <= ' ' || c >= 0x7f || isTSpecial(c) {
			break
		}
		v.pos++
	}
	return v.s[start:v.pos]
}

// value reads a parameter value: a quoted string (its quoting removed) or,
// leniently, any run of octets up to white space or ";".
func (v *valueScanner) value() string {
	if v.pos < len(v.s) && v.s[v.pos] == '"' {
		return v.quoted()
	}
	start := v.pos
	for v.pos < len(v.s) {
		c := v.s[v.pos]
		if c == ';' || c == ' ' || c == '\t' || c == '\r' || c == '\n' {
			break
		}
		v.pos++
	}
	return v.s[start:v.pos]
}

// quoted reads the quoted string at the current position and returns its
// content with quoted-pairs resolved. An unterminated string runs to the end.
func (v *valueScanner) quoted() string {
	v.pos++ // opening quote
	var b strings.Builder
	for v.pos < len(v.s) {
		c := v.s[v.pos]
		v.pos++
		switch c {
		case '"':
			return b.String()
		case '\\':
			if v.pos < len(v.s) {
				b.WriteByte(v.s[v.pos])
				v.pos++
			}
		case '\r', '\n':
			// Folding inside a quoted string; the line break is not content.
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// skipTo moves to the next c outside a quoted string or comment, or to the
// end.
func (v *valueScanner) skipTo(c byte) {
	for v.pos < len(v.s) {
		switch v.s[v.pos] {
		case c:
			return
		case '"':
			v.quoted()
		case '(':
			v.pos = skipComment(v.s, v.pos)
		default:
			v.pos++
		}
	}
}

// parseContentType parses a Content-Type field body (RFC 2045 section 5.1).
// ok is false when the type or subtype is missing or not a token; the caller
// then applies the default of RFC 2045 section 5.2.
func parseContentType(body string) (typ, subtype string, params []param, ok bool) {
	v := &valueScanner{s: body}
	v.skipCFWS()
	typ = v.token()
	v.skipCFWS()
	if typ == "" || v.pos >= len(v.s) || v.s[v.pos] != '/' {
		return "", "", nil, false
	}
	v.pos++
	v.skipCFWS()
	subtype = v.token()
	if subtype == "" {
		return "", "", nil, false
	}
	return upperASCII(typ), upperASCII(subtype), v.params(), true
}

// parseDisposition parses a Content-Disposition field body (RFC 2183
// section 2). ok is false when there is no disposition type.
func parseDisposition(body string) (typ string, params []param, ok bool) {
	v := &valueScanner{s: body}
	v.skipCFWS()
	typ = v.token()
	if typ == "" {
		return "", nil, false
	}
	return upperASCII(typ), v.params(), true
}

// params reads the "; attribute=value" list that follows a type. Malformed
// parameters are skipped up to the next ";"; the others are kept. RFC 2231
// continuations are joined and extended values decoded.
func (v *valueScanner) params() []param {
	var raw []param
	for {
		v.skipCFWS()
		if v.pos >= len(v.s) {
			break
		}
		if v.s[v.pos] != ';' {
			v.skipTo(';')
			continue
		}
		v.pos++
		v.skipCFWS()
		name := v.token()
		v.skipCFWS()
		if name == "" || v.pos >= len(v.s) || v.s[v.pos] != '=' {
			v.skipTo(';')
			continue
		}
		v.pos++
		v.skipCFWS()
		raw = append(raw, param{name: upperASCII(name), value: v.value()})
		if len(raw) >= maxParams {
			break
		}
	}
	return joinRFC2231(raw)
}

// maxParams bounds the parameters kept per field, so that a hostile field
// cannot make BODYSTRUCTURE quadratic or huge.
const maxParams = 64

// rfc2231Section splits an RFC 2231 parameter name (section 3 and 4):
// "NAME*2*" gives ("NAME", 2, true, true); "NAME*" gives ("NAME", 0, false,
// true); a plain name gives (name, 0, false, false).
func rfc2231Section(name string) (base string, index int, continued, extended bool) {
	if strings.HasSuffix(name, "*") {
		extended = true
		name = name[:len(name)-1]
	}
	if i := strings.LastIndexByte(name, '*'); i > 0 {
		if n, err := strconv.Atoi(name[i+1:]); err == nil && n >= 0 && n < maxParams && name[i+1] != '+' {
			return name[:i], n, true, extended
		}
	}
	if extended && name == "" {
		return "*", 0, false, false
	}
	return name, 0, false, extended
}

// joinRFC2231 joins the sections of continued parameters (RFC 2231 section
// 3). When any section uses the extended form (section 4), the joined
// parameter keeps that form: its name ends in "*" and its value is
// charset'language'%XX-encoded text, so that no information is lost and the
// value stays 7-bit; sections in plain form are percent-encoded into it.
// Parameters without RFC 2231 syntax pass through unchanged, and each
// parameter appears once, at the place its first section appeared.
func joinRFC2231(raw []param) []param {
	special := false
	for _, p := range raw {
		if strings.IndexByte(p.name, '*') >= 0 {
			special = true
			break
		}
	}
	if !special {
		return raw
	}
	type section struct {
		index    int
		extended bool
		value    string
	}
	type group struct {
		name     string
		sections []section
		plain    string // value of a parameter without RFC 2231 syntax
		hasPlain bool
	}
	var order []*group
	byName := map[string]*group{}
	for _, p := range raw {
		base, index, continued, extended := rfc2231Section(p.name)
		if !continued && !extended {
			base = p.name
		}
		g := byName[base]
		if g == nil {
			g = &group{name: base}
			byName[base] = g
			order = append(order, g)
		}
		if base == p.name {
			if !g.hasPlain {
				g.plain, g.hasPlain = p.value, true
			}
			continue
		}
		g.sections = append(g.sections, section{index, extended, p.value})
	}
	out := make([]param, 0, len(order))
	for _, g := range order {
		if g.hasPlain || len(g.sections) == 0 {
			// A plain value wins over RFC 2231 sections of the same name.
			out = append(out, param{name: g.name, value: g.plain})
			continue
		}
		sort.SliceStable(g.sections, func(i, j int) bool { return g.sections[i].index < g.sections[j].index })
		extended := false
		for _, s := range g.sections {
			extended = extended || s.extended
		}
		var b strings.Builder
		for i, s := range g.sections {
			if i > 0 && s.index == g.sections[i-1].index {
				continue // a repeated section: the first one wins
			}
			switch {
			case !extended:
				b.WriteString(s.value)
			case i == 0 && s.extended && strings.Count(s.value, "'") >= 2:
				b.WriteString(s.value) // charset'language'text
			case i == 0:
				b.WriteString("''")
				fallthrough
			default:
				if s.extended {
					b.WriteString(s.value)
				} else {
					appendPercentEncoded(&b, s.value)
				}
			}
		}
		name := g.name
		if extended {
			name += "*"
		}
		out = append(out, param{name: name, value: b.String()})
	}
	return out
}

// appendPercentEncoded writes s with every octet that is not an
// attribute-char (RFC 2231 section 7) as %XX.
func appendPercentEncoded(b *strings.Builder, s string) {
	const hex = "0123456789ABCDEF"
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || c == '*' || c == '\'' || c == '%' || isTSpecial(c) {
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
			continue
		}
		b.WriteByte(c)
	}
}
