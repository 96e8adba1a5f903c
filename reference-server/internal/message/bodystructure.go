package message

import (
	"bytes"
	"strconv"
	"strings"
)

// AppendBodyStructure appends the body structure of the message (RFC 3501
// sections 7.4.2 and 9, body): the BODY form when extended is false, the
// BODYSTRUCTURE form, with extension data, when it is true.
//
// Every non-multipart body carries type, subtype, parameters, id,
// description, encoding and size in octets as transmitted; TEXT bodies add
// their size in lines; MESSAGE/RFC822 bodies add the envelope, body
// structure and size in lines of the encapsulated message. Extension data
// is always complete: MD5, disposition, language and location for a
// non-multipart body; parameters, disposition, language and location for a
// multipart one. See the package documentation for the case of names and
// for malformed input.
func (m *Message) AppendBodyStructure(dst []byte, extended bool) []byte {
	return appendBody(dst, m.raw, m.root, extended)
}

// emptyPart is the body part described for a multipart that has none
// (no boundary, or no delimiter line): the grammar requires at least one
// (RFC 3501 section 9, body-type-mpart).
var emptyPart = &entity{typ: "TEXT", subtype: "PLAIN", params: []param{{"CHARSET", "US-ASCII"}}}

func appendBody(dst []byte, raw []byte, e *entity, extended bool) []byte {
	dst = append(dst, '(')
	if e.multipart {
		if len(e.children) == 0 {
			dst = appendBody(dst, raw, emptyPart, extended)
		}
		for _, c := range e.children {
			dst = appendBody(dst, raw, c, extended)
		}
		dst = append(dst, ' ')
		dst = AppendString(dst, e.subtype)
		if extended {
			dst = append(dst, ' ')
			dst = appendParams(dst, e.params)
			dst = appendDispLangLoc(dst, raw, e)
		}
		return append(dst, ')')
	}
	dst = AppendString(dst, e.typ)
	dst = append(dst, ' ')
	dst = AppendString(dst, e.subtype)
	dst = append(dst, ' ')
	dst = appendParams(dst, e.params)
	dst = append(dst, ' ')
	dst = appendFieldNString(dst, raw, e, "Content-ID")
	dst = append(dst, ' ')
	dst = appendFieldNString(dst, raw, e, "Content-Description")
	dst = append(dst, ' ')
	dst = AppendString(dst, e.encoding(raw))
	dst = append(dst, ' ')
	body := raw[e.bodyStart:e.end]
	dst = strconv.AppendInt(dst, int64(len(body)), 10)
	switch {
	case e.message != nil:
		dst = append(dst, ' ')
		dst = appendEnvelope(dst, raw, e.message)
		dst = append(dst, ' ')
		dst = appendBody(dst, raw, e.message, extended)
		dst = append(dst, ' ')
		dst = strconv.AppendInt(dst, int64(countLines(body)), 10)
	case e.typ == "TEXT":
		dst = append(dst, ' ')
		dst = strconv.AppendInt(dst, int64(countLines(body)), 10)
	}
	if extended {
		dst = append(dst, ' ')
		dst = appendFieldNString(dst, raw, e, "Content-MD5")
		dst = appendDispLangLoc(dst, raw, e)
	}
	return append(dst, ')')
}

// countLines returns the number of text lines in body: its line
// terminators, plus one for a last line that has none. The line break
// before a boundary delimiter belongs to the delimiter (RFC 2046 section
// 5.1.1), so the last line of a body part is usually unterminated and still
// a line.
func countLines(body []byte) int {
	n := bytes.Count(body, []byte{'\n'})
	if len(body) > 0 && body[len(body)-1] != '\n' {
		n++
	}
	return n
}

// appendParams appends a body-fld-param: NIL when there are no parameters.
func appendParams(dst []byte, params []param) []byte {
	if len(params) == 0 {
		return append(dst, "NIL"...)
	}
	dst = append(dst, '(')
	for i, p := range params {
		if i > 0 {
			dst = append(dst, ' ')
		}
		dst = AppendString(dst, p.name)
		dst = append(dst, ' ')
		dst = AppendString(dst, p.value)
	}
	return append(dst, ')')
}

// appendFieldNString appends the unfolded value of e's field name, or NIL
// when the field is absent or empty.
func appendFieldNString(dst []byte, raw []byte, e *entity, name string) []byte {
	if f, ok := findField(e.fields, name); ok {
		if v := unfold(raw, f); v != "" {
			return AppendString(dst, v)
		}
	}
	return append(dst, "NIL"...)
}

// appendDispLangLoc appends " " body-fld-dsp " " body-fld-lang " "
// body-fld-loc (RFC 3501 section 9; RFC 2183, RFC 3282, RFC 2557).
func appendDispLangLoc(dst []byte, raw []byte, e *entity) []byte {
	dst = append(dst, ' ')
	disposition := false
	if f, ok := findField(e.fields, "Content-Disposition"); ok {
		if typ, params, ok := parseDisposition(unfold(raw, f)); ok {
			disposition = true
			dst = append(dst, '(')
			dst = AppendString(dst, typ)
			dst = append(dst, ' ')
			dst = appendParams(dst, params)
			dst = append(dst, ')')
		}
	}
	if !disposition {
		dst = append(dst, "NIL"...)
	}
	dst = append(dst, ' ')
	var tags []string
	if f, ok := findField(e.fields, "Content-Language"); ok {
		tags = languageTags(unfold(raw, f))
	}
	if len(tags) == 0 {
		dst = append(dst, "NIL"...)
	} else {
		dst = append(dst, '(')
		for i, t := range tags {
			if i > 0 {
				dst = append(dst, ' ')
			}
			dst = AppendString(dst, t)
		}
		dst = append(dst, ')')
	}
	dst = append(dst, ' ')
	return appendFieldNString(dst, raw, e, "Content-Location")
}

// languageTags splits a Content-Language field body into its language tags
// (RFC 3282 section 2), comments and white space removed.
func languageTags(body string) []string {
	var tags []string
	v := &valueScanner{s: body}
	for v.pos < len(v.s) && len(tags) < maxParams {
		v.skipCFWS()
		start := v.pos
		for v.pos < len(v.s) && v.s[v.pos] != ',' && v.s[v.pos] != '(' && v.s[v.pos] != ' ' && v.s[v.pos] != '\t' {
			v.pos++
		}
		if t := strings.TrimSpace(v.s[start:v.pos]); t != "" {
			tags = append(tags, t)
		}
		v.skipCFWS()
		if v.pos < len(v.s) && v.s[v.pos] == ',' {
			v.pos++
		} else if v.pos < len(v.s) && v.pos == start {
			v.pos++ // junk octet: skip it
		}
	}
	return tags
}
