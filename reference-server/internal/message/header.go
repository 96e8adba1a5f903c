package message

import (
	"bytes"
	"strings"
)

// field is one header field (RFC 5322 section 2.2) located in the raw
// message. Its octets, folding and line terminators included, are
// raw[start:end]; its value begins at valStart, just after the colon.
type field struct {
	name     string
	start    int
	valStart int
	end      int
}

// parseHeader reads the header that begins at raw[start] and may extend to
// raw[limit]. It returns the fields in message order and the offset of the
// first body octet, which follows the empty line that ends the header
// (RFC 5322 section 2.1). Without an empty line the whole range is header
// and the body is empty. Lines that are neither a field nor a continuation
// are skipped; they never end the header early.
//
// Both CRLF and bare LF end a line.
func parseHeader(raw []byte, start, limit int) (fields []field, bodyStart int) {
	pos := start
	cur := -1 // index of the field that a continuation line extends
	for pos < limit {
		next := lineEnd(raw, pos, limit)
		line := raw[pos:next]
		if isEmptyLine(line) {
			if cur >= 0 {
				fields[cur].end = pos
			}
			return fields, next
		}
		switch {
		case line[0] == ' ' || line[0] == '\t':
			// Continuation of a folded field (RFC 5322 section 2.2.3).
			if cur >= 0 {
				fields[cur].end = next
			}
		default:
			cur = -1
			colon := bytes.IndexByte(line, ':')
			if colon <= 0 {
				break
			}
			name := strings.TrimRight(string(line[:colon]), " \t")
			if !isFieldName(name) {
				break
			}
			fields = append(fields, field{name: name, start: pos, valStart: pos + colon + 1, end: next})
			cur = len(fields) - 1
		}
		pos = next
	}
	return fields, limit
}

// lineEnd returns the offset just after the line terminator of the line that
// starts at pos, or limit when the line is not terminated.
func lineEnd(raw []byte, pos, limit int) int {
	i := bytes.IndexByte(raw[pos:limit], '\n')
	if i < 0 {
		return limit
	}
	return pos + i + 1
}

// isEmptyLine reports whether line, terminator included, holds no text.
func isEmptyLine(line []byte) bool {
	return len(line) == 1 && line[0] == '\n' || len(line) == 2 && line[0] == '\r' && line[1] == '\n'
}

// isFieldName reports whether s is a field-name: one or more printable
// US-ASCII characters other than colon (RFC 5322 section 3.6.8, ftext).
func isFieldName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 33 || s[i] > 126 {
			return false
		}
	}
	return true
}

// unfold returns the field body of f with the folding line breaks removed
// (RFC 5322 section 2.2.3) and surrounding white space trimmed. Encoded words
// are left as they are.
func unfold(raw []byte, f field) string {
	v := raw[f.valStart:f.end]
	var b strings.Builder
	b.Grow(len(v))
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c == '\n' || c == '\r' && i+1 < len(v) && v[i+1] == '\n' {
			continue
		}
		b.WriteByte(c)
	}
	return strings.Trim(b.String(), " \t\r")
}

// findField returns the first field named name (compared case-insensitively,
// RFC 5322 section 1.2.2).
func findField(fields []field, name string) (field, bool) {
	for _, f := range fields {
		if strings.EqualFold(f.name, name) {
			return f, true
		}
	}
	return field{}, false
}
