package message

import "strings"

// Section specifiers (RFC 3501 section 6.4.5, section-msgtext and
// section-text).
const (
	SpecifierNone            = ""
	SpecifierHeader          = "HEADER"
	SpecifierHeaderFields    = "HEADER.FIELDS"
	SpecifierHeaderFieldsNot = "HEADER.FIELDS.NOT"
	SpecifierMIME            = "MIME"
	SpecifierText            = "TEXT"
)

// SectionSpec names a section of a message: BODY[section] in RFC 3501
// section 6.4.5. Part is the part number path (nil or empty: the whole
// message); Specifier is one of the Specifier constants (compared
// case-insensitively); Fields lists the field names of HEADER.FIELDS and
// HEADER.FIELDS.NOT. The zero value is BODY[], the whole message.
type SectionSpec struct {
	Part      []int
	Specifier string
	Fields    []string
}

// Section returns the octets of the section s of the message, ready to be
// sent as the BODY[section] value, before any <origin.count> partial
// slicing. ok is false when the message has no such section; the protocol
// layer then answers NIL. (Dovecot answers an empty string instead.)
//
// Part numbering follows RFC 3501 section 6.4.5: the parts of a multipart
// are numbered from 1; part 1 of a message that is not multipart is its
// body, so 1.MIME is that message's header; the parts of a MESSAGE/RFC822
// part are those of the message it encapsulates. A part that is neither
// multipart nor MESSAGE/RFC822 has no sub-parts.
//
// The specifiers:
//   - "" (no part): the whole message; "" (with part): the body of the part
//     (for MESSAGE/RFC822, the whole encapsulated message).
//   - HEADER: the header, including the empty line that ends it.
//   - HEADER.FIELDS / HEADER.FIELDS.NOT: the header fields whose name is
//     (is not) in Fields, compared case-insensitively, in message order,
//     with their folding kept, followed by an empty line (CRLF, or LF in
//     a header whose lines end in bare LF).
//   - TEXT: the body of the message.
//   - MIME: the MIME header of the part, including its empty line; it needs
//     a part number.
//
// With a part number, HEADER, HEADER.FIELDS(.NOT) and TEXT need a
// MESSAGE/RFC822 part and apply to the message it encapsulates.
//
// The result shares memory with the raw message except for HEADER.FIELDS
// and HEADER.FIELDS.NOT; the caller must not modify it.
func (m *Message) Section(s SectionSpec) ([]byte, bool) {
	e := m.root
	sub := messageParts(m.root)
	for _, n := range s.Part {
		if n < 1 || n > len(sub) {
			return nil, false
		}
		e = sub[n-1]
		sub = subParts(e)
	}
	spec := strings.ToUpper(s.Specifier)
	if len(s.Part) == 0 {
		if spec == SpecifierNone {
			return m.raw, true
		}
	} else {
		switch spec {
		case SpecifierNone:
			return m.raw[e.bodyStart:e.end], true
		case SpecifierMIME:
			return m.raw[e.start:e.bodyStart], true
		}
		if e.message == nil {
			return nil, false
		}
		e = e.message
	}
	switch spec {
	case SpecifierHeader:
		return m.raw[e.start:e.bodyStart], true
	case SpecifierText:
		return m.raw[e.bodyStart:e.end], true
	case SpecifierHeaderFields:
		return m.headerFields(e, s.Fields, true), true
	case SpecifierHeaderFieldsNot:
		return m.headerFields(e, s.Fields, false), true
	}
	return nil, false
}

// messageParts returns the parts numbered 1, 2, ... of a message (the
// top-level one or an encapsulated one): the body parts of a multipart
// message, or else the message itself, whose body is its part 1.
func messageParts(msg *entity) []*entity {
	if msg.multipart {
		return msg.children
	}
	return []*entity{msg}
}

// subParts returns the parts numbered 1, 2, ... below the part e.
func subParts(e *entity) []*entity {
	switch {
	case e.multipart:
		return e.children
	case e.message != nil:
		return messageParts(e.message)
	}
	return nil
}

// headerFields selects the fields of e whose name is (include) or is not
// (!include) in names, in message order, and ends them with an empty line.
// Lines keep their own terminators; a last line without one, and the empty
// line, get the header's line ending (CRLF unless the header uses bare LF).
func (m *Message) headerFields(e *entity, names []string, include bool) []byte {
	eol := "\r\n"
	if h := m.raw[e.start:e.bodyStart]; len(h) > 0 && h[len(h)-1] == '\n' && (len(h) < 2 || h[len(h)-2] != '\r') {
		eol = "\n"
	}
	var out []byte
	for _, f := range e.fields {
		listed := false
		for _, n := range names {
			if strings.EqualFold(f.name, n) {
				listed = true
				break
			}
		}
		if listed != include {
			continue
		}
		out = append(out, m.raw[f.start:f.end]...)
		if out[len(out)-1] != '\n' {
			out = append(out, eol...)
		}
	}
	return append(out, eol...)
}
