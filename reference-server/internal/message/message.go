package message

import "bytes"

// Limits that keep the analysis of any input bounded in time and size.
const (
	// MaxDepth is the deepest nesting of multipart bodies and encapsulated
	// messages that Parse analyses. The top-level message is at depth 0; a
	// multipart or MESSAGE/RFC822 entity at depth MaxDepth is not looked
	// into and is described as APPLICATION/OCTET-STREAM.
	MaxDepth = 32
	// MaxParts bounds the MIME entities Parse creates for one message. Once
	// it is reached, no further boundary delimiter is recognised (the body
	// part being read runs to the end of its multipart) and no further
	// multipart or MESSAGE/RFC822 entity is looked into (it is described
	// as APPLICATION/OCTET-STREAM). The parts still being read then end,
	// so a message has at most MaxParts+MaxDepth entities.
	MaxParts = 10000
)

// Message is a parsed RFC 5322 message with its MIME structure
// (RFC 2045, RFC 2046). It keeps the raw octets it was parsed from and
// refers to them by offset; sizes and section octets always come from the
// raw bytes. A Message is immutable and safe for concurrent use.
type Message struct {
	raw  []byte
	root *entity
}

// entity is one MIME entity: a header and a body, located in the raw
// message. The header occupies raw[start:bodyStart] (the empty line that
// ends it included) and the body raw[bodyStart:end].
type entity struct {
	start, bodyStart, end int
	fields                []field

	typ, subtype string // upper case, defaults applied
	params       []param

	multipart bool      // analysed as multipart: children holds its body parts
	children  []*entity // body parts of a multipart, in order
	message   *entity   // the encapsulated message of a MESSAGE/RFC822 entity
}

// Parse analyses raw as an RFC 5322 message. It never fails: malformed input
// gives a best-effort structure, as the rules in the package documentation
// describe. Parse keeps raw without copying it; the caller must not modify
// it afterwards. Lines may end in CRLF or bare LF.
func Parse(raw []byte) *Message {
	p := &parser{raw: raw}
	return &Message{raw: raw, root: p.entity(0, len(raw), 0, false)}
}

// Size returns the number of octets of the raw message (RFC 3501 section
// 6.4.5, RFC822.SIZE).
func (m *Message) Size() int { return len(m.raw) }

type parser struct {
	raw   []byte
	parts int
}

// entity parses the entity in raw[start:end]. inDigest selects the default
// Content-Type of a body part of MULTIPART/DIGEST (RFC 2046 section 5.1.5).
func (p *parser) entity(start, end, depth int, inDigest bool) *entity {
	p.parts++
	e := &entity{start: start, end: end}
	e.fields, e.bodyStart = parseHeader(p.raw, start, end)
	ok := false
	if f, found := findField(e.fields, "Content-Type"); found {
		e.typ, e.subtype, e.params, ok = parseContentType(unfold(p.raw, f))
	}
	if !ok {
		// RFC 2045 section 5.2: no (or an invalid) Content-Type means
		// text/plain; charset=us-ascii, or message/rfc822 in a digest.
		if inDigest {
			e.typ, e.subtype, e.params = "MESSAGE", "RFC822", nil
		} else {
			e.typ, e.subtype, e.params = "TEXT", "PLAIN", []param{{"CHARSET", "US-ASCII"}}
		}
	}
	if e.typ == "TEXT" {
		_, plain := paramValue(e.params, "CHARSET")
		_, extended := paramValue(e.params, "CHARSET*")
		if !plain && !extended {
			// The charset of text without one is US-ASCII (RFC 2046
			// section 4.1.2); BODYSTRUCTURE states it.
			e.params = append(e.params, param{"CHARSET", "US-ASCII"})
		}
	}
	switch {
	case e.typ == "MULTIPART":
		if depth >= MaxDepth || p.parts > MaxParts {
			e.opaque()
			break
		}
		e.multipart = true
		if b, ok := paramValue(e.params, "BOUNDARY"); ok && b != "" {
			p.split(e, b, depth)
		}
	case e.typ == "MESSAGE" && e.subtype == "RFC822":
		if depth >= MaxDepth || p.parts > MaxParts {
			e.opaque()
			break
		}
		if !isIdentityEncoding(e.encoding(p.raw)) {
			// RFC 2046 section 5.2.1 forbids encoding message/rfc822; an
			// encoded one cannot be analysed as a message in place, so it
			// encapsulates an empty message located at its end.
			e.message = &entity{start: end, bodyStart: end, end: end}
			e.message.typ, e.message.subtype, e.message.params = "TEXT", "PLAIN", []param{{"CHARSET", "US-ASCII"}}
			break
		}
		e.message = p.entity(e.bodyStart, end, depth+1, false)
	}
	return e
}

// opaque turns a multipart or MESSAGE/RFC822 entity that is not looked
// into, past MaxDepth or MaxParts, into an APPLICATION/OCTET-STREAM leaf.
func (e *entity) opaque() {
	e.typ, e.subtype, e.params = "APPLICATION", "OCTET-STREAM", nil
}

// split finds the body parts of the multipart entity e (RFC 2046 section
// 5.1.1). A delimiter line is "--" boundary, optionally followed by "--"
// (the close delimiter) and by linear white space. The line break before a
// delimiter line belongs to the delimiter, not to the part before it. The
// preamble and epilogue are not parts. A missing close delimiter ends the
// last part at the end of the multipart body.
func (p *parser) split(e *entity, boundary string, depth int) {
	raw := p.raw
	partStart := -1
	inDigest := e.subtype == "DIGEST"
	for pos := e.bodyStart; pos < e.end; {
		next := lineEnd(raw, pos, e.end)
		closing, ok := delimiter(raw[pos:next], boundary)
		if !ok || p.parts >= MaxParts && partStart >= 0 {
			pos = next
			continue
		}
		if partStart >= 0 {
			partEnd := pos
			if partEnd > partStart && raw[partEnd-1] == '\n' {
				partEnd--
				if partEnd > partStart && raw[partEnd-1] == '\r' {
					partEnd--
				}
			}
			e.children = append(e.children, p.entity(partStart, partEnd, depth+1, inDigest))
		}
		if closing {
			return
		}
		partStart = next
		pos = next
	}
	if partStart >= 0 {
		e.children = append(e.children, p.entity(partStart, e.end, depth+1, inDigest))
	}
}

// delimiter reports whether line is a boundary delimiter line for boundary,
// and whether it is the close delimiter.
func delimiter(line []byte, boundary string) (closing, ok bool) {
	if len(line) < 2+len(boundary) || line[0] != '-' || line[1] != '-' || string(line[2:2+len(boundary)]) != boundary {
		return false, false
	}
	rest := line[2+len(boundary):]
	if bytes.HasPrefix(rest, []byte("--")) {
		return true, true
	}
	for _, c := range rest {
		if c != ' ' && c != '\t' && c != '\r' && c != '\n' {
			return false, false
		}
	}
	return false, true
}

// paramValue returns the value of the parameter named name (upper case).
func paramValue(params []param, name string) (string, bool) {
	for _, p := range params {
		if p.name == name {
			return p.value, true
		}
	}
	return "", false
}

// encoding returns the Content-Transfer-Encoding mechanism of e in upper
// case, "7BIT" when the field is absent or empty (RFC 2045 section 6.1).
func (e *entity) encoding(raw []byte) string {
	if f, ok := findField(e.fields, "Content-Transfer-Encoding"); ok {
		v := &valueScanner{s: unfold(raw, f)}
		v.skipCFWS()
		if t := v.token(); t != "" {
			return upperASCII(t)
		}
	}
	return "7BIT"
}

// isIdentityEncoding reports whether enc leaves the octets unchanged
// (RFC 2045 section 6.2).
func isIdentityEncoding(enc string) bool {
	return enc == "7BIT" || enc == "8BIT" || enc == "BINARY"
}

// upperASCII upper-cases the ASCII letters of s.
func upperASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if 'a' <= s[i] && s[i] <= 'z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if 'a' <= b[j] && b[j] <= 'z' {
					b[j] -= 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}
