package wire

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// An Arg is one argument of a command, encoded in one of the forms of RFC
// 3501 section 4 (atom, quoted string, literal, parenthesised list).
type Arg interface {
	appendTo(e *encoder)
}

// encoder builds a command's octets as parts: after each part but the last,
// the client waits for a continuation request (synchronising literal).
type encoder struct {
	parts [][]byte
	cur   []byte
	conn  *Conn
}

func (e *encoder) cut() {
	e.parts = append(e.parts, e.cur)
	e.cur = nil
}

type atomArg string

// Atom is written exactly as given. Use it for atoms, numbers, sequence
// sets, flags, and any argument the caller already encoded.
func Atom(s string) Arg { return atomArg(s) }

func (a atomArg) appendTo(e *encoder) { e.cur = append(e.cur, a...) }

type quotedArg string

// Quoted is written as a quoted string, escaping '"' and '\'. The caller
// must not pass CR, LF, NUL or 8-bit octets, which a quoted string cannot
// carry (RFC 3501 section 4.3); Astring picks a literal for those.
func Quoted(s string) Arg { return quotedArg(s) }

func (q quotedArg) appendTo(e *encoder) { e.cur = appendQuoted(e.cur, string(q)) }

func appendQuoted(b []byte, s string) []byte {
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		if s[i] == '"' || s[i] == '\\' {
			b = append(b, '\\')
		}
		b = append(b, s[i])
	}
	return append(b, '"')
}

type literalArg struct {
	data []byte
	plus bool
}

// Literal is written as a synchronising literal: the client sends "{n}"
// CRLF, waits for the server's continuation request, then the octets.
func Literal(data []byte) Arg { return literalArg{data: data} }

// LiteralPlus is written as a non-synchronising literal "{n+}" (RFC 7888
// LITERAL+): the octets follow at once, without waiting.
func LiteralPlus(data []byte) Arg { return literalArg{data: data, plus: true} }

func (l literalArg) appendTo(e *encoder) {
	e.cur = append(e.cur, '{')
	e.cur = strconv.AppendInt(e.cur, int64(len(l.data)), 10)
	if l.plus {
		e.cur = append(e.cur, "+}\r\n"...)
	} else {
		e.cur = append(e.cur, "}\r\n"...)
		e.cut()
	}
	e.cur = append(e.cur, l.data...)
}

type astringArg string

// Astring is written as an atom when every octet is an ASTRING-CHAR, as a
// quoted string when it can be, and as a synchronising literal otherwise
// (RFC 3501 section 9, astring).
func Astring(s string) Arg { return astringArg(s) }

func (a astringArg) appendTo(e *encoder) { astringForm(string(a)).appendTo(e) }

func astringForm(s string) Arg {
	switch {
	case isAtom(s):
		return atomArg(s)
	case isQuotable(s):
		return quotedArg(s)
	default:
		return literalArg{data: []byte(s)}
	}
}

type secretArg struct {
	value string
	form  Arg
}

// Secret is an astring that never appears in the transcript: every form it
// is written in (as is, quoted, as a literal) is registered with the
// transcript before it is sent and recorded as "[redacted]". Use it for
// LOGIN passwords.
func Secret(s string) Arg { return secretArg{value: s, form: astringForm(s)} }

// QuotedSecret is a Secret always written as a quoted string.
func QuotedSecret(s string) Arg { return secretArg{value: s, form: quotedArg(s)} }

// LiteralSecret is a Secret always written as a synchronising literal.
func LiteralSecret(s string) Arg { return secretArg{value: s, form: literalArg{data: []byte(s)}} }

func (s secretArg) appendTo(e *encoder) {
	if e.conn != nil {
		tr := e.conn.opts.Transcript
		tr.AddSecret([]byte(s.value))
		if q, ok := s.form.(quotedArg); ok {
			tr.AddSecret(appendQuoted(nil, string(q)))
		}
	}
	s.form.appendTo(e)
}

type listArg []Arg

// List is a parenthesised list of args separated by spaces.
func List(args ...Arg) Arg { return listArg(args) }

func (l listArg) appendTo(e *encoder) {
	e.cur = append(e.cur, '(')
	for i, a := range l {
		if i > 0 {
			e.cur = append(e.cur, ' ')
		}
		a.appendTo(e)
	}
	e.cur = append(e.cur, ')')
}

// isAtom reports whether s is a non-empty sequence of ASTRING-CHAR.
func isAtom(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= 0x1f || c >= 0x7f || strings.IndexByte(`(){ %*"\`, c) >= 0 {
			return false
		}
	}
	return true
}

// isQuotable reports whether s fits in a quoted string: 7-bit, no NUL, CR
// or LF.
func isQuotable(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == 0 || c == '\r' || c == '\n' || c >= 0x80 {
			return false
		}
	}
	return true
}

// A Command is one command sent on a Conn, and, once completed, the
// responses it collected.
type Command struct {
	// Tag is the command's tag.
	Tag string
	// Name is the command name as sent ("" for raw writes).
	Name string
	// Untagged holds the untagged responses read since the previous
	// command completed, up to this command's completion.
	Untagged []*Response
	// Tagged is the tagged completion; nil until the command completed.
	Tagged *Response
	// LiteralRefused is set when the server answered with the tagged
	// completion instead of the continuation request a synchronising
	// literal waited for; the rest of the command was not sent.
	LiteralRefused bool
}

// Done reports whether the command completed.
func (cmd *Command) Done() bool { return cmd.Tagged != nil }

// Status is the completion's status (OK, NO, BAD), or "" before it.
func (cmd *Command) Status() string {
	if cmd.Tagged == nil {
		return ""
	}
	return cmd.Tagged.Status()
}

// Encode returns the octets of a command as Send would write them, without
// waiting for continuation requests. It is meant for messages and tests;
// secrets are included.
func Encode(tag, name string, args ...Arg) []byte {
	e := encoder{}
	appendCommand(&e, tag, name, args)
	return bytes.Join(append(e.parts, e.cur), nil)
}

func appendCommand(e *encoder, tag, name string, args []Arg) {
	e.cur = append(e.cur, tag...)
	e.cur = append(e.cur, ' ')
	e.cur = append(e.cur, name...)
	for _, a := range args {
		e.cur = append(e.cur, ' ')
		a.appendTo(e)
	}
	e.cur = append(e.cur, "\r\n"...)
}

// Send writes a command with a fresh tag and returns it without waiting for
// its completion, so that several commands can be pipelined. For each
// synchronising literal it waits for the server's continuation request; if
// the server completes the command instead, the rest is not sent and the
// command is returned completed with LiteralRefused set.
func (c *Conn) Send(name string, args ...Arg) (*Command, error) {
	if c.err != nil {
		return nil, c.err
	}
	cmd := &Command{Tag: c.nextTag(), Name: name}
	e := encoder{conn: c}
	appendCommand(&e, cmd.Tag, name, args)
	parts := append(e.parts, e.cur)
	c.pending[cmd.Tag] = cmd
	for i, part := range parts {
		if err := c.write(part); err != nil {
			return cmd, err
		}
		if i == len(parts)-1 {
			break
		}
		cont, err := c.waitContinuation(cmd)
		if err != nil {
			return cmd, err
		}
		if cont == nil {
			cmd.LiteralRefused = true
			return cmd, nil
		}
	}
	return cmd, nil
}

// Do sends a command and waits for its completion.
func (c *Conn) Do(name string, args ...Arg) (*Command, error) {
	cmd, err := c.Send(name, args...)
	if err != nil {
		return cmd, err
	}
	return cmd, c.Wait(cmd)
}

// Wait reads responses until cmd completes, within the timeout. Untagged
// responses read meanwhile are handed to the command; completions of other
// commands in progress are kept for their own Wait.
func (c *Conn) Wait(cmd *Command) error {
	if cmd.Done() {
		return nil
	}
	if c.err != nil {
		return c.err
	}
	if c.pending[cmd.Tag] != cmd {
		return fmt.Errorf("command %s %s is not in progress on this connection", cmd.Tag, cmd.Name)
	}
	if err := c.rec.Conn.SetReadDeadline(time.Now().Add(c.opts.timeout())); err != nil {
		return c.fail(err)
	}
	for !cmd.Done() {
		r, err := c.readResponse()
		if err != nil {
			return err
		}
		if r.Continuation() {
			return c.fail(&ProtocolError{Reason: "continuation request while no command waits for one", Raw: r.Raw})
		}
		if err := c.dispatch(r); err != nil {
			return err
		}
	}
	return nil
}

// waitContinuation reads responses until the continuation request cmd
// waits for (returned), or cmd's completion (nil).
func (c *Conn) waitContinuation(cmd *Command) (*Response, error) {
	if err := c.rec.Conn.SetReadDeadline(time.Now().Add(c.opts.timeout())); err != nil {
		return nil, c.fail(err)
	}
	for {
		r, err := c.readResponse()
		if err != nil {
			return nil, err
		}
		if r.Continuation() {
			return r, nil
		}
		if err := c.dispatch(r); err != nil {
			return nil, err
		}
		if cmd.Done() {
			return nil, nil
		}
	}
}

// dispatch files an untagged or tagged response.
func (c *Conn) dispatch(r *Response) error {
	if r.Untagged() {
		c.queued += len(r.Raw)
		if c.queued > DefaultMaxQueued {
			return c.fail(&ProtocolError{Reason: "more than " + strconv.Itoa(DefaultMaxQueued) + " octets of untagged responses for one command", Raw: r.Raw})
		}
		c.untagged = append(c.untagged, r)
		return nil
	}
	cmd, ok := c.pending[r.Tag]
	if !ok {
		return c.fail(&ProtocolError{Reason: fmt.Sprintf("response tagged %q, but no command with that tag is in progress", r.Tag), Raw: r.Raw})
	}
	delete(c.pending, r.Tag)
	cmd.Tagged = r
	cmd.Untagged = c.untagged
	c.untagged, c.queued = nil, 0
	return nil
}

// Idle reports whether no command is in progress and the connection is
// usable: a new command would be read by the server as a command.
func (c *Conn) Idle() bool { return c.err == nil && len(c.pending) == 0 }

// Pending returns the untagged responses read but not yet handed to a
// command, and forgets them.
func (c *Conn) Pending() []*Response {
	out := c.untagged
	c.untagged, c.queued = nil, 0
	return out
}
