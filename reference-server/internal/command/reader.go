package command

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
)

// Limits bound what one command may hold. A zero field takes its default.
type Limits struct {
	MaxLine    int   // octets in one line of a command, CRLF excluded; default 65536
	MaxLiteral int64 // octets in a literal other than APPEND's message; default 65536
	MaxMessage int64 // octets in APPEND's message literal; default 64 MiB
	MaxCommand int64 // octets in one command, APPEND's message excluded; default 1 MiB
	MaxItems   int   // parenthesised items and sequence-set ranges in one command; default 10000
	MaxDepth   int   // nesting of parentheses, NOT and OR; default 64
}

// Default limits.
const (
	DefaultMaxLine    = 64 << 10
	DefaultMaxLiteral = 64 << 10
	DefaultMaxMessage = 64 << 20
	DefaultMaxCommand = 1 << 20
	DefaultMaxItems   = 10000
	DefaultMaxDepth   = 64
)

func (l Limits) withDefaults() Limits {
	if l.MaxLine <= 0 {
		l.MaxLine = DefaultMaxLine
	}
	if l.MaxLiteral <= 0 {
		l.MaxLiteral = DefaultMaxLiteral
	}
	if l.MaxMessage <= 0 {
		l.MaxMessage = DefaultMaxMessage
	}
	if l.MaxCommand <= 0 {
		l.MaxCommand = DefaultMaxCommand
	}
	if l.MaxItems <= 0 {
		l.MaxItems = DefaultMaxItems
	}
	if l.MaxDepth <= 0 {
		l.MaxDepth = DefaultMaxDepth
	}
	return l
}

// Error is a command refused before it ran: the server answers it with a
// tagged (or, when Tag is empty, untagged) status response. When Fatal is set
// the input can no longer be framed into commands and the server should end
// the connection after answering.
type Error struct {
	Tag    string // "" when no valid tag was read
	Status string // "BAD" or "NO"
	Text   string
	Fatal  bool
}

func (e *Error) Error() string {
	tag := e.Tag
	if tag == "" {
		tag = "*"
	}
	return tag + " " + e.Status + " " + e.Text
}

// Hooks let the server take part in reading a command. Either may be nil.
type Hooks struct {
	// Allow is called with the upper-case command name ("UID FETCH" for a
	// UID command) as soon as it is read, before any argument; a non-nil
	// *Error refuses the command (its Tag is filled in). It is how commands
	// sent in the wrong state are refused without reading their literals.
	Allow func(name string) *Error
	// BeforeMessage is called before APPEND's message literal is accepted,
	// with the command as parsed so far (mailbox, flags, date) and the
	// announced size; a non-nil *Error refuses the command without sending
	// the continuation request, so the client does not send the message
	// (RFC 3501 section 6.3.11: TRYCREATE before the message is sent).
	BeforeMessage func(cmd *Command, size int64) *Error
}

// Reader reads commands from a client connection.
type Reader struct {
	br    *bufio.Reader
	lim   Limits
	cont  func() error
	hooks Hooks

	buf  []byte // storage of the current line
	line []byte // current line, CRLF excluded
	pos  int    // parse position in line

	// per command
	tag   string
	items int
	depth int
	size  int64
}

// NewReader returns a Reader over br. cont is called when a synchronising
// literal is about to be read: it must send (and flush) a command
// continuation request. A nil cont sends nothing, which suits tests and
// fuzzing.
func NewReader(br *bufio.Reader, lim Limits, cont func() error) *Reader {
	return &Reader{br: br, lim: lim.withDefaults(), cont: cont}
}

// SetHooks installs the server's hooks.
func (r *Reader) SetHooks(h Hooks) { r.hooks = h }

// Reset makes r read from br, as after the TLS negotiation of STARTTLS.
func (r *Reader) Reset(br *bufio.Reader) {
	r.br = br
	r.line, r.pos = nil, 0
}

var (
	errLineTooLong = errors.New("line too long")
	errBareLF      = errors.New("line ends with LF without CR")
)

// readLine reads one line into r.line, CRLF removed. A line longer than
// MaxLine is consumed up to its LF (within a bound) and reported as
// errLineTooLong; a line not ended by CRLF is reported as errBareLF. Other
// errors come from the connection.
func (r *Reader) readLine() error {
	r.buf = r.buf[:0]
	r.line, r.pos = nil, 0
	tooLong := false
	discarded := 0
	for {
		chunk, err := r.br.ReadSlice('\n')
		if !tooLong {
			if len(r.buf)+len(chunk) > r.lim.MaxLine+2 {
				tooLong = true
				// keep the start of the line: it holds the tag
				keep := min(len(chunk), 256-min(len(r.buf), 256))
				r.buf = append(r.buf, chunk[:keep]...)
			} else {
				r.buf = append(r.buf, chunk...)
			}
		}
		if tooLong {
			discarded += len(chunk)
			if discarded > 16*r.lim.MaxLine {
				return &Error{Tag: tagOf(r.buf, false), Status: "BAD", Text: "Line too long; closing the connection", Fatal: true}
			}
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if err != nil {
			return err
		}
		break
	}
	r.size += int64(len(r.buf))
	if tooLong {
		r.line = r.buf
		return errLineTooLong
	}
	n := len(r.buf)
	if n < 2 || r.buf[n-2] != '\r' {
		r.line = r.buf[:n-1]
		return errBareLF
	}
	r.line = r.buf[:n-2]
	return nil
}

// tagOf extracts a valid tag from the start of a line, or "". When complete
// is false the line was cut short, and a tag not followed by SP may be cut.
func tagOf(line []byte, complete bool) string {
	i := 0
	for i < len(line) && isTagChar(line[i]) {
		i++
	}
	if i == 0 {
		return ""
	}
	if i == len(line) {
		if complete {
			return string(line)
		}
		return ""
	}
	if line[i] != ' ' && line[i] != '\r' && line[i] != '\n' {
		return ""
	}
	return string(line[:i])
}

// ReadLine reads one continuation line of an exchange that the command
// started, such as the client responses of AUTHENTICATE (RFC 3501 section
// 6.2.2). It returns the line without CRLF; the slice is valid until the next
// read. A malformed or too long line gives an *Error.
func (r *Reader) ReadLine() ([]byte, error) {
	err := r.readLine()
	switch err {
	case nil:
		return r.line, nil
	case errLineTooLong:
		return nil, &Error{Status: "BAD", Text: "Line too long"}
	case errBareLF:
		return nil, &Error{Status: "BAD", Text: "Line must end with CRLF"}
	}
	return nil, err
}

// Read reads and parses the next command. It returns an *Error for a command
// that must be refused (the command's input has been consumed and the
// connection can go on unless Fatal is set), or the connection's error.
func (r *Reader) Read() (*Command, error) {
	r.tag, r.items, r.depth, r.size = "", 0, 0, 0
	if err := r.readLine(); err != nil {
		switch err {
		case errLineTooLong:
			return nil, &Error{Tag: tagOf(r.line, false), Status: "BAD", Text: fmt.Sprintf("Line too long (limit %d octets)", r.lim.MaxLine)}
		case errBareLF:
			return nil, &Error{Tag: tagOf(r.line, true), Status: "BAD", Text: "Line must end with CRLF"}
		}
		return nil, err
	}
	cmd, err := r.parseCommand()
	if err != nil {
		var pe *Error
		if errors.As(err, &pe) {
			if pe.Tag == "" {
				pe.Tag = r.tag
			}
			return nil, pe
		}
		return nil, err
	}
	return cmd, nil
}

// syntaxError is a BAD for the command being read.
func (r *Reader) syntaxError(format string, args ...any) *Error {
	return &Error{Tag: r.tag, Status: "BAD", Text: fmt.Sprintf(format, args...)}
}

// literal reads a literal whose "{" is at r.pos; the literal must end the
// line. max bounds its size; counted literals also count toward MaxCommand.
// tooBig builds the refusal for a larger one (nil: a BAD). before, when set,
// may refuse the literal before the continuation request is sent.
func (r *Reader) literal(max int64, counted bool, tooBig func(size int64) *Error, before func(size int64) *Error) ([]byte, error) {
	// "{" number ["+"] "}" CRLF
	p := r.pos + 1
	start := p
	for p < len(r.line) && isDigit(r.line[p]) {
		p++
	}
	if p == start {
		return nil, r.syntaxError("Invalid literal: a number must follow \"{\"")
	}
	size, err := strconv.ParseUint(string(r.line[start:p]), 10, 32)
	if err != nil {
		return nil, r.syntaxError("Invalid literal: size is not a 32-bit number")
	}
	plus := false
	if p < len(r.line) && r.line[p] == '+' {
		plus = true
		p++
	}
	if p >= len(r.line) || r.line[p] != '}' {
		return nil, r.syntaxError("Invalid literal: \"}\" expected")
	}
	p++
	if p != len(r.line) {
		return nil, r.syntaxError("Invalid literal: CRLF must follow \"}\"")
	}
	r.pos = p
	n := int64(size)
	if plus {
		// LITERAL+ (RFC 7888) is not offered: the client sends the
		// octets without waiting, so consume them to stay in step, then
		// refuse the command.
		if n > r.lim.MaxLiteral {
			return nil, &Error{Tag: r.tag, Status: "BAD", Text: "Non-synchronising literals are not supported; closing the connection", Fatal: true}
		}
		if _, err := io.CopyN(io.Discard, r.br, n); err != nil {
			return nil, err
		}
		if err := r.readLine(); err != nil && err != errLineTooLong && err != errBareLF {
			return nil, err
		}
		return nil, r.syntaxError("Non-synchronising literals ({n+}) are not supported")
	}
	if n > max {
		if tooBig != nil {
			return nil, tooBig(n)
		}
		return nil, r.syntaxError("Literal too large (limit %d octets)", max)
	}
	if counted {
		r.size += n
		if r.size > r.lim.MaxCommand {
			return nil, r.syntaxError("Command too large (limit %d octets)", r.lim.MaxCommand)
		}
	}
	if before != nil {
		if e := before(n); e != nil {
			if e.Tag == "" {
				e.Tag = r.tag
			}
			return nil, e
		}
	}
	if r.cont != nil {
		if err := r.cont(); err != nil {
			return nil, err
		}
	}
	var b bytes.Buffer
	b.Grow(int(min(n, 64<<10)))
	if _, err := io.CopyN(&b, r.br, n); err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return nil, err
	}
	data := b.Bytes()
	// the rest of the command follows on a new line
	switch err := r.readLine(); err {
	case nil:
	case errLineTooLong:
		return nil, r.syntaxError("Line too long (limit %d octets)", r.lim.MaxLine)
	case errBareLF:
		return nil, r.syntaxError("Line must end with CRLF")
	default:
		return nil, err
	}
	if r.size > r.lim.MaxCommand {
		return nil, r.syntaxError("Command too large (limit %d octets)", r.lim.MaxCommand)
	}
	if bytes.IndexByte(data, 0) >= 0 {
		// literal = "{" number "}" CRLF *CHAR8, and CHAR8 excludes NUL.
		return nil, r.syntaxError("Literal contains NUL")
	}
	return data, nil
}
