package wire

import (
	"bytes"
	"fmt"
	"net"
	"strings"
	"sync"
	"time"
)

// Direction says who sent the octets of a transcript Event.
type Direction byte

// The directions of a transcript.
const (
	Client Direction = 'C' // octets the client sent
	Server Direction = 'S' // octets the server sent
	Note   Direction = '*' // something that happened on the connection: dial, TLS, close, error
)

// redacted replaces every secret in a transcript.
const redacted = "[redacted]"

// maxPending bounds how many octets of an unfinished line the recorder holds
// before it records them as a partial event.
const maxPending = 64 << 10

// Transcript size bounds: once a transcript holds maxKept octets, each
// further event keeps only its first keepAfterFull octets, so that a case
// fetching large messages still shows its whole conversation.
const (
	maxKept       = 1 << 20
	keepAfterFull = 160
)

// An Event is one line (or one partial line) of a connection's transcript.
type Event struct {
	// Offset is the time since the transcript started.
	Offset time.Duration
	// Dir says who sent Data, or Note for a remark about the connection.
	Dir Direction
	// Data holds the octets, secrets already replaced by "[redacted]". A
	// complete line keeps its line ending so that a bare LF stays visible.
	Data []byte
	// Partial is true when Data does not end a line: the connection paused,
	// failed or closed in the middle of one.
	Partial bool
}

// A Transcript records every octet of one connection, in both directions,
// with timestamps. Secrets registered with AddSecret are replaced at record
// time: they are never stored in the transcript. It is safe for concurrent
// use.
type Transcript struct {
	// Name identifies the connection within its case (e.g. "alice#1").
	Name string

	mu        sync.Mutex
	start     time.Time
	events    []Event
	secrets   [][]byte
	pending   [2][]byte // unfinished line per direction: 0 client, 1 server
	kept      int       // octets of Data kept so far
	truncated bool
}

// NewTranscript returns an empty transcript whose offsets count from now.
func NewTranscript(name string) *Transcript {
	return &Transcript{Name: name, start: time.Now()}
}

// Start is the time the transcript's offsets count from.
func (t *Transcript) Start() time.Time { return t.start }

// AddSecret registers octets that must never appear in the transcript, in
// either direction. Empty secrets are ignored.
func (t *Transcript) AddSecret(secret []byte) {
	if len(secret) == 0 {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, s := range t.secrets {
		if bytes.Equal(s, secret) {
			return
		}
	}
	// Longest first, so that a secret containing another is replaced whole.
	t.secrets = append(t.secrets, bytes.Clone(secret))
	for i := len(t.secrets) - 1; i > 0 && len(t.secrets[i]) > len(t.secrets[i-1]); i-- {
		t.secrets[i], t.secrets[i-1] = t.secrets[i-1], t.secrets[i]
	}
}

// Notef records a remark about the connection.
func (t *Transcript) Notef(format string, args ...any) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.flushLocked(0)
	t.flushLocked(1)
	t.events = append(t.events, Event{Offset: time.Since(t.start), Dir: Note, Data: t.scrubLocked([]byte(fmt.Sprintf(format, args...)))})
}

// record appends octets sent in direction d, split into lines.
func (t *Transcript) record(d Direction, p []byte) {
	if len(p) == 0 {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	i, other := 0, 1
	if d == Server {
		i, other = 1, 0
	}
	// Keep the order in which octets crossed the wire: whatever the other
	// side had half-sent is recorded before this side's new octets.
	t.flushLocked(other)
	if d == Client {
		// The client writes each secret whole in one call: scrub before the
		// octets are buffered, so they are never held even briefly.
		p = t.scrubLocked(p)
	}
	buf := append(t.pending[i], p...)
	for {
		n := bytes.IndexByte(buf, '\n')
		if n < 0 {
			break
		}
		t.appendLocked(d, buf[:n+1], false)
		buf = buf[n+1:]
	}
	t.pending[i] = bytes.Clone(buf)
	if len(t.pending[i]) >= maxPending {
		t.flushLocked(i)
	}
}

// flush records any unfinished line of both directions as partial events.
func (t *Transcript) flush() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.flushLocked(0)
	t.flushLocked(1)
}

func (t *Transcript) flushLocked(i int) {
	if len(t.pending[i]) == 0 {
		return
	}
	d := Client
	if i == 1 {
		d = Server
	}
	t.appendLocked(d, t.pending[i], true)
	t.pending[i] = nil
}

func (t *Transcript) appendLocked(d Direction, data []byte, partial bool) {
	data = t.scrubLocked(bytes.Clone(data))
	if t.kept+len(data) > maxKept && len(data) > keepAfterFull {
		// Cut after scrubbing, so that a cut never splits a secret.
		dropped := len(data) - keepAfterFull
		data = append(data[:keepAfterFull:keepAfterFull], fmt.Sprintf(" [%d more octets not kept]", dropped)...)
		partial = true
		t.truncated = true
	}
	t.kept += len(data)
	t.events = append(t.events, Event{
		Offset:  time.Since(t.start),
		Dir:     d,
		Data:    data,
		Partial: partial,
	})
}

// Truncated reports whether some events were cut to keep the transcript
// within its size bound.
func (t *Transcript) Truncated() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.truncated
}

func (t *Transcript) scrubLocked(p []byte) []byte {
	for _, s := range t.secrets {
		if bytes.Contains(p, s) {
			p = bytes.ReplaceAll(p, s, []byte(redacted))
		}
	}
	return p
}

// Events returns a copy of the events recorded so far, including any
// unfinished line as a partial event.
func (t *Transcript) Events() []Event {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make([]Event, 0, len(t.events)+2)
	for _, e := range t.events {
		e.Data = bytes.Clone(e.Data)
		out = append(out, e)
	}
	for i, d := range []Direction{Client, Server} {
		if len(t.pending[i]) > 0 {
			out = append(out, Event{Offset: time.Since(t.start), Dir: d, Data: t.scrubLocked(bytes.Clone(t.pending[i])), Partial: true})
		}
	}
	return out
}

// String renders the transcript one event per line:
//
//	0.412ms S: * OK [CAPABILITY IMAP4rev1] ready
//	0.530ms C: a1 LOGIN alice [redacted]
//
// Line endings are not shown unless they are not CRLF; other control octets
// are escaped (\x00).
func (t *Transcript) String() string {
	var b strings.Builder
	if t.Name != "" {
		fmt.Fprintf(&b, "== %s\n", t.Name)
	}
	for _, e := range t.Events() {
		fmt.Fprintf(&b, "%10.3fms %c: %s\n", float64(e.Offset.Microseconds())/1000, e.Dir, RenderLine(e.Data, e.Partial))
	}
	return b.String()
}

// RenderLine shows one transcript line as printable text: a CRLF ending is
// dropped, a bare LF is shown as "[bare LF]", a partial line is marked
// "[no line end]", and other non-printable octets are escaped.
func RenderLine(data []byte, partial bool) string {
	var suffix string
	switch {
	case partial:
		suffix = " [no line end]"
	case bytes.HasSuffix(data, []byte("\r\n")):
		data = data[:len(data)-2]
	case bytes.HasSuffix(data, []byte("\n")):
		data = data[:len(data)-1]
		suffix = " [bare LF]"
	}
	var b strings.Builder
	for _, c := range data {
		switch {
		case c == '\\':
			b.WriteString(`\\`)
		case c >= 0x20 && c < 0x7f:
			b.WriteByte(c)
		case c == '\t':
			b.WriteString(`\t`)
		case c == '\r':
			b.WriteString(`\r`)
		case c == '\n':
			b.WriteString(`\n`)
		default:
			fmt.Fprintf(&b, `\x%02x`, c)
		}
	}
	return b.String() + suffix
}

// recorder is the net.Conn wrapper that feeds a Transcript: every octet read
// or written through it is recorded, after TLS decryption when it wraps a
// *tls.Conn.
type recorder struct {
	net.Conn
	t *Transcript
}

func (r *recorder) Read(p []byte) (int, error) {
	n, err := r.Conn.Read(p)
	r.t.record(Server, p[:n])
	if err != nil {
		r.t.flush()
	}
	return n, err
}

func (r *recorder) Write(p []byte) (int, error) {
	n, err := r.Conn.Write(p)
	r.t.record(Client, p[:n])
	if err != nil {
		r.t.flush()
	}
	return n, err
}
