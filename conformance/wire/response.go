package wire

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"strconv"
	"time"
)

// A Response is one complete server response as it crossed the wire: the
// first line, every literal and every line that continues after a literal,
// with all their CRLFs. RFC 3501 section 2.2.2.
type Response struct {
	// Raw holds every octet of the response, line endings included.
	Raw []byte
	// Tag is "*" for an untagged response, "+" for a continuation request,
	// and otherwise the tag of the command the response completes.
	Tag string
	// At is when the last octet of the response arrived.
	At time.Time
}

// Untagged reports whether r is an untagged response ("* ...").
func (r *Response) Untagged() bool { return r.Tag == "*" }

// Continuation reports whether r is a continuation request ("+ ...").
func (r *Response) Continuation() bool { return r.Tag == "+" }

// Line is the first line of the response without its line ending.
func (r *Response) Line() string {
	line := r.Raw
	if i := bytes.IndexByte(line, '\n'); i >= 0 {
		line = line[:i]
	}
	return string(bytes.TrimSuffix(line, []byte("\r")))
}

// Status is the upper-cased word after the tag of a status response (OK, NO,
// BAD, PREAUTH, BYE), or "" when the response is not one. It is a framing
// aid; the grammar package does the real parsing.
func (r *Response) Status() string {
	if r.Continuation() {
		return ""
	}
	rest, ok := bytes.CutPrefix([]byte(r.Line()), []byte(r.Tag+" "))
	if !ok {
		return ""
	}
	word, _, _ := bytes.Cut(rest, []byte(" "))
	switch s := string(bytes.ToUpper(word)); s {
	case "OK", "NO", "BAD", "PREAUTH", "BYE":
		return s
	}
	return ""
}

// String is the first line, printable, for messages.
func (r *Response) String() string {
	s := RenderLine([]byte(r.Line()), false)
	if len(r.Raw) > len(r.Line())+2 {
		s += " ..."
	}
	return s
}

// responseReader frames responses from a buffered stream. It enforces the
// line ending (CRLF), the size limit, and reads literals (RFC 3501 section
// 4.3) so that a literal's octets never pass for protocol lines.
type responseReader struct {
	br  *bufio.Reader
	max int
}

// read returns the next complete response. Errors are either I/O errors
// from the stream or *ProtocolError; raw holds what was read so far when the
// response could not be completed.
func (rr *responseReader) read() (*Response, error) {
	var raw []byte
	for {
		line, err := rr.readLine(rr.max - len(raw))
		raw = append(raw, line...)
		if err != nil {
			return nil, withRaw(err, raw)
		}
		n, ok := literalAt(raw, line)
		if !ok {
			break
		}
		if n > int64(rr.max-len(raw)) {
			return nil, &ProtocolError{Reason: "literal of " + strconv.FormatInt(n, 10) + " octets exceeds the response size limit of " + strconv.Itoa(rr.max), Raw: raw}
		}
		start := len(raw)
		raw = append(raw, make([]byte, n)...)
		if _, err := io.ReadFull(rr.br, raw[start:]); err != nil {
			return nil, withRaw(err, raw)
		}
	}
	return &Response{Raw: raw, Tag: tagOf(raw), At: time.Now()}, nil
}

// readLine reads through the next LF, at most limit octets. A line must end
// in CRLF (RFC 3501 section 2.2).
func (rr *responseReader) readLine(limit int) ([]byte, error) {
	var line []byte
	for {
		chunk, err := rr.br.ReadSlice('\n')
		line = append(line, chunk...)
		if len(line) > limit {
			return line[:limit], &ProtocolError{Reason: "response exceeds the size limit of " + strconv.Itoa(rr.max) + " octets"}
		}
		if err == nil {
			break
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		return line, err
	}
	if len(line) < 2 || line[len(line)-2] != '\r' {
		return line, &ProtocolError{Reason: "line ends in a bare LF instead of CRLF (RFC 3501 section 2.2)"}
	}
	return line, nil
}

// withRaw attaches the octets read so far to a protocol error.
func withRaw(err error, raw []byte) error {
	var pe *ProtocolError
	if errors.As(err, &pe) && pe.Raw == nil {
		pe.Raw = raw
	}
	return err
}

// tagOf extracts the tag of a response from its first octets.
func tagOf(raw []byte) string {
	if len(raw) > 0 && raw[0] == '+' {
		return "+"
	}
	end := bytes.IndexAny(raw, " \r\n")
	if end < 0 {
		end = len(raw)
	}
	return string(raw[:end])
}

// literalAt reports whether the line just read (the last part of raw) ends
// with a literal's octet count "{n}" CRLF, and n. In a continuation request
// no literal is possible; in a status response (OK, NO, BAD, PREAUTH, BYE)
// the only place for one is inside a response code such as BADCHARSET, so a
// trailing "{n}" in human-readable text is text, not a literal.
func literalAt(raw, line []byte) (int64, bool) {
	body := bytes.TrimSuffix(line, []byte("\r\n"))
	if len(body) < 3 || body[len(body)-1] != '}' {
		return 0, false
	}
	open := bytes.LastIndexByte(body, '{')
	if open < 0 || open == len(body)-2 {
		return 0, false
	}
	digits := body[open+1 : len(body)-1]
	for _, c := range digits {
		if c < '0' || c > '9' {
			return 0, false
		}
	}
	n, err := strconv.ParseInt(string(digits), 10, 64)
	if err != nil || n > 1<<32-1 {
		return 0, false
	}
	r := &Response{Raw: raw, Tag: tagOf(raw)}
	if r.Continuation() {
		return 0, false
	}
	if r.Status() != "" {
		// Inside an unclosed "[" response code, a literal is an astring.
		text := raw[:len(raw)-len(line)+open]
		lb := bytes.LastIndexByte(text, '[')
		if lb < 0 || bytes.IndexByte(text[lb:], ']') >= 0 {
			return 0, false
		}
	}
	return n, true
}
