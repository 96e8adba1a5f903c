package message

import (
	"bytes"
	"encoding/base64"
	"io"
	"mime"
	"strings"
	"unicode/utf8"

	"github.com/emersion/go-message/charset"
	"golang.org/x/text/cases"
)

// HeaderContains reports whether the message's header has a field named
// field (case-insensitively) whose value contains substr (RFC 3501 section
// 6.4.4, SEARCH HEADER, FROM, TO, CC, BCC and SUBJECT). Every occurrence of
// the field is tried. The value is unfolded and its encoded words
// (RFC 2047) are decoded to UTF-8 before matching; substr is UTF-8 and the
// match ignores case (Unicode case folding). An empty substr matches any
// message that has the field, as HeaderExists.
func (m *Message) HeaderContains(field, substr string) bool {
	if substr == "" {
		return m.HeaderExists(field)
	}
	needle := foldCase(substr)
	for _, f := range m.root.fields {
		if strings.EqualFold(f.name, field) && strings.Contains(foldCase(decodeHeaderValue(unfold(m.raw, f))), needle) {
			return true
		}
	}
	return false
}

// HeaderExists reports whether the message's header has a field named
// field, compared case-insensitively (RFC 3501 section 6.4.4: SEARCH
// HEADER with an empty string matches every message that has the field).
func (m *Message) HeaderExists(field string) bool {
	_, ok := findField(m.root.fields, field)
	return ok
}

// BodyContains reports whether the body of the message contains substr
// (RFC 3501 section 6.4.4, SEARCH BODY), matched as in HeaderContains.
//
// The text searched is that of every TEXT and MESSAGE part (and of a body
// without Content-Type, which is text), decoded from its
// Content-Transfer-Encoding (BASE64, QUOTED-PRINTABLE) and converted from
// its charset to UTF-8, and the header of every encapsulated MESSAGE/RFC822
// (decoded as in HeaderContains), which is part of the message body.
// Other media types (images, applications) are not text and are not
// searched, nor are the MIME headers of body parts. An empty substr
// matches every message.
func (m *Message) BodyContains(substr string) bool {
	if substr == "" {
		return true
	}
	return m.searchBody(m.root, foldCase(substr), false, 0)
}

// TextContains reports whether the header or the body of the message
// contains substr (RFC 3501 section 6.4.4, SEARCH TEXT): the message's
// header, every header inside its body (MIME headers of parts included),
// and the text BodyContains searches. Each header field is matched on its
// own, as "Name: decoded value".
func (m *Message) TextContains(substr string) bool {
	if substr == "" {
		return true
	}
	needle := foldCase(substr)
	return m.headerTextContains(m.root, needle) || m.searchBody(m.root, needle, true, 0)
}

func (m *Message) headerTextContains(e *entity, needle string) bool {
	for _, f := range e.fields {
		if strings.Contains(foldCase(f.name+": "+decodeHeaderValue(unfold(m.raw, f))), needle) {
			return true
		}
	}
	return false
}

// searchBody looks for needle in the body of e; partHeaders adds the MIME
// headers of the parts below e.
func (m *Message) searchBody(e *entity, needle string, partHeaders bool, depth int) bool {
	if depth > MaxDepth {
		return false
	}
	switch {
	case e.multipart:
		for _, c := range e.children {
			if partHeaders && m.headerTextContains(c, needle) || m.searchBody(c, needle, partHeaders, depth+1) {
				return true
			}
		}
		return false
	case e.message != nil:
		return m.headerTextContains(e.message, needle) || m.searchBody(e.message, needle, partHeaders, depth+1)
	case e.typ == "TEXT" || e.typ == "MESSAGE":
		return strings.Contains(foldCase(m.decodedText(e)), needle)
	}
	return false
}

// decodedText returns the body of the leaf entity e decoded from its
// transfer encoding and charset, as valid UTF-8.
func (m *Message) decodedText(e *entity) string {
	body := m.raw[e.bodyStart:e.end]
	switch e.encoding(m.raw) {
	case "BASE64":
		body = decodeBase64(body)
	case "QUOTED-PRINTABLE":
		body = decodeQuotedPrintable(body)
	}
	cs, _ := paramValue(e.params, "CHARSET")
	return toUTF8(cs, body)
}

// decodeBase64 decodes base64 text leniently (RFC 2045 section 6.8): octets
// outside the alphabet are ignored, as the RFC requires, decoding stops at
// the first "=", and a dangling last character is dropped.
func decodeBase64(in []byte) []byte {
	clean := make([]byte, 0, len(in))
	for _, c := range in {
		switch {
		case c == '=':
			goto done
		case 'A' <= c && c <= 'Z', 'a' <= c && c <= 'z', '0' <= c && c <= '9', c == '+', c == '/':
			clean = append(clean, c)
		}
	}
done:
	if len(clean)%4 == 1 {
		clean = clean[:len(clean)-1]
	}
	out := make([]byte, base64.RawStdEncoding.DecodedLen(len(clean)))
	n, _ := base64.RawStdEncoding.Decode(out, clean)
	return out[:n]
}

// decodeQuotedPrintable decodes quoted-printable text leniently (RFC 2045
// section 6.7): "=XX" gives the octet, "=" at the end of a line is a soft
// line break, trailing white space on a line is dropped, and a malformed
// "=" sequence is kept as it is.
func decodeQuotedPrintable(in []byte) []byte {
	out := make([]byte, 0, len(in))
	for len(in) > 0 {
		line := in
		next := len(in)
		if i := bytes.IndexByte(in, '\n'); i >= 0 {
			line, next = in[:i], i+1
		}
		hardBreak := next <= len(in) && next > len(line)
		line = bytes.TrimRight(line, " \t\r")
		soft := false
		for i := 0; i < len(line); i++ {
			c := line[i]
			if c != '=' {
				out = append(out, c)
				continue
			}
			if i == len(line)-1 {
				soft = true
				break
			}
			if i+2 < len(line) {
				if hi, ok := unhex(line[i+1]); ok {
					if lo, ok := unhex(line[i+2]); ok {
						out = append(out, hi<<4|lo)
						i += 2
						continue
					}
				}
			}
			out = append(out, c)
		}
		if hardBreak && !soft {
			out = append(out, '\r', '\n')
		}
		in = in[next:]
	}
	return out
}

func unhex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// wordDecoder decodes RFC 2047 encoded words in any charset go-message
// knows.
var wordDecoder = &mime.WordDecoder{CharsetReader: charset.Reader}

// decodeHeaderValue decodes the encoded words of an unfolded field value
// (RFC 2047) to UTF-8. Octets outside encoded words are taken as UTF-8
// (RFC 6532); anything undecodable is kept as it is, and invalid UTF-8
// becomes U+FFFD.
func decodeHeaderValue(v string) string {
	if strings.Contains(v, "=?") {
		if d, err := wordDecoder.DecodeHeader(v); err == nil {
			v = d
		}
	}
	if !utf8.ValidString(v) {
		v = strings.ToValidUTF8(v, replacementChar)
	}
	return v
}

// foldCase maps s to its Unicode case folding, so that matching ignores
// case ("Straße" contains "STRASSE").
func foldCase(s string) string {
	return cases.Fold().String(s)
}

// toUTF8 converts text in the named charset to UTF-8. US-ASCII, UTF-8, an
// empty name and unknown charsets are taken as UTF-8; invalid sequences
// become U+FFFD either way, so the result is always valid UTF-8.
func toUTF8(cs string, text []byte) string {
	switch strings.ToLower(cs) {
	case "", "us-ascii", "ascii", "utf-8", "utf8":
	default:
		if r, err := charset.Reader(cs, bytes.NewReader(text)); err == nil {
			if out, err := io.ReadAll(r); err == nil {
				text = out
			}
		}
	}
	if utf8.Valid(text) {
		return string(text)
	}
	return strings.ToValidUTF8(string(text), replacementChar)
}
