package message

import "strconv"

// AppendString appends s to dst as an IMAP string (RFC 3501 section 4.3):
// a quoted string when every octet is a 7-bit TEXT-CHAR, otherwise a
// synchronising literal "{n}\r\n" followed by the octets. Inside a quoted
// string the quoted-specials '"' and '\' are escaped with '\'.
//
// NUL is not a CHAR8 and may appear in no IMAP string (RFC 3501 section 9),
// so each NUL octet is replaced by U+FFFD REPLACEMENT CHARACTER, which makes
// the result a literal.
func AppendString(dst []byte, s string) []byte {
	quotable := true
	hasNUL := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == 0:
			hasNUL = true
			quotable = false
		case c == '\r' || c == '\n' || c >= 0x80:
			quotable = false
		}
	}
	if quotable {
		dst = append(dst, '"')
		for i := 0; i < len(s); i++ {
			c := s[i]
			if c == '"' || c == '\\' {
				dst = append(dst, '\\')
			}
			dst = append(dst, c)
		}
		return append(dst, '"')
	}
	n := len(s)
	if hasNUL {
		for i := 0; i < len(s); i++ {
			if s[i] == 0 {
				n += len(replacementChar) - 1
			}
		}
	}
	dst = append(dst, '{')
	dst = strconv.AppendInt(dst, int64(n), 10)
	dst = append(dst, "}\r\n"...)
	if !hasNUL {
		return append(dst, s...)
	}
	for i := 0; i < len(s); i++ {
		if s[i] == 0 {
			dst = append(dst, replacementChar...)
		} else {
			dst = append(dst, s[i])
		}
	}
	return dst
}

const replacementChar = "\uFFFD"

// appendNString appends NIL when ok is false, otherwise s as a string
// (RFC 3501 section 9, nstring).
func appendNString(dst []byte, s string, ok bool) []byte {
	if !ok {
		return append(dst, "NIL"...)
	}
	return AppendString(dst, s)
}
