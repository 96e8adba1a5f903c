package load

import (
	"bytes"
	"net"
	"strconv"
	"sync"
	"time"

	"github.com/imapgauge/imapgauge/reports"
)

// The transcript ring kept per connection holds the last ringSlots lines of
// both directions, each cut to entryText bytes: enough to show the exchange
// around a violation while costing each of thousands of idle connections
// 1.25 KiB.
const (
	ringSlots = 12
	entryText = 93
	// maxEntryText bounds the bytes of a line kept while it is read.
	maxEntryText = entryText
)

// tapConn wraps a connection and records what crosses it in a bounded ring:
// one entry per line, literal contents replaced by their size, the password of
// a LOGIN command redacted. It records while imapclient reads and writes, so
// the transcript is what was on the wire, not what the client library made of
// it.
type tapConn struct {
	net.Conn
	opened time.Time

	mu   sync.Mutex
	ring *[ringSlots]ringEntry // allocated on the first entry
	next int                   // entries recorded so far
	in   lineState
	out  lineState
}

// lineState cuts one direction of the stream into lines and literals.
type lineState struct {
	line    []byte
	long    bool   // the current line exceeded maxEntryText
	tailBuf []byte // the last bytes of a long line, to find a literal
	literal int64  // bytes of literal still to skip
	litSize int64
}

func newTapConn(c net.Conn) *tapConn {
	return &tapConn{Conn: c, opened: time.Now()}
}

func (t *tapConn) Read(p []byte) (int, error) {
	n, err := t.Conn.Read(p)
	if n > 0 {
		t.mu.Lock()
		t.feed(&t.in, reports.Server, p[:n])
		t.mu.Unlock()
	}
	return n, err
}

func (t *tapConn) Write(p []byte) (int, error) {
	n, err := t.Conn.Write(p)
	if n > 0 {
		t.mu.Lock()
		t.feed(&t.out, reports.Client, p[:n])
		t.mu.Unlock()
	}
	return n, err
}

// event records a connection event that is not on the wire.
func (t *tapConn) event(text string) {
	t.mu.Lock()
	t.add(reports.Event, []byte(text))
	t.mu.Unlock()
}

func (t *tapConn) feed(st *lineState, dir reports.Direction, p []byte) {
	for len(p) > 0 {
		if st.literal > 0 {
			k := int64(len(p))
			if k > st.literal {
				k = st.literal
			}
			st.literal -= k
			p = p[k:]
			if st.literal == 0 {
				t.add(dir, []byte("("+strconv.FormatInt(st.litSize, 10)+" bytes of literal data)"))
			}
			continue
		}
		i := bytes.IndexByte(p, '\n')
		chunk := p
		if i >= 0 {
			chunk = p[:i+1]
		}
		p = p[len(chunk):]
		if !st.long {
			room := maxEntryText + 2 - len(st.line)
			if len(chunk) <= room {
				st.line = append(st.line, chunk...)
			} else {
				st.line = append(st.line, chunk[:room]...)
				st.long = true
			}
		}
		if st.long {
			st.tailBuf = append(st.tailBuf, chunk...)
			if len(st.tailBuf) > 32 {
				st.tailBuf = append(st.tailBuf[:0], st.tailBuf[len(st.tailBuf)-32:]...)
			}
		}
		if i < 0 {
			continue
		}
		end := st.line
		if st.long {
			end = st.tailBuf
		}
		if n, ok := literalAtEnd(end); ok {
			st.literal, st.litSize = n, n
		}
		text := bytes.TrimRight(st.line, "\r\n")
		if dir == reports.Client {
			text = redactLine(text)
		}
		if st.long {
			text = append(text[:min(len(text), maxEntryText)], " …"...)
		}
		t.add(dir, text)
		st.line, st.long, st.tailBuf = st.line[:0], false, st.tailBuf[:0]
		if cap(st.line) > 512 {
			st.line = nil
		}
	}
}

// literalAtEnd finds "{N}" or "{N+}" at the end of a line (RFC 3501 section
// 4.3; RFC 7888 for the non-synchronising form).
func literalAtEnd(line []byte) (int64, bool) {
	line = bytes.TrimRight(line, "\r\n")
	if len(line) < 3 || line[len(line)-1] != '}' {
		return 0, false
	}
	open := bytes.LastIndexByte(line, '{')
	if open < 0 {
		return 0, false
	}
	num := bytes.TrimSuffix(line[open+1:len(line)-1], []byte("+"))
	n, err := strconv.ParseInt(string(num), 10, 64)
	if err != nil || n < 0 {
		return 0, false
	}
	return n, true
}

// redactLine hides the password of a LOGIN command and the data of an
// AUTHENTICATE command: "a1 LOGIN alice secret" becomes
// "a1 LOGIN alice ***".
func redactLine(line []byte) []byte {
	f := bytes.Fields(line)
	if len(f) >= 2 && bytes.EqualFold(f[1], []byte("AUTHENTICATE")) && len(f) > 3 {
		return []byte(string(f[0]) + " AUTHENTICATE " + string(f[2]) + " ***")
	}
	if len(f) >= 3 && bytes.EqualFold(f[1], []byte("LOGIN")) {
		return []byte(string(f[0]) + " LOGIN " + string(f[2]) + " ***")
	}
	return line
}

// ringEntry is one slot of the transcript ring: fixed size, so a
// connection's ring is one small allocation and recording never allocates.
type ringEntry struct {
	off  int64
	dir  byte
	n    uint8
	cut  bool
	text [entryText]byte
}

// add appends one entry to the ring, overwriting the oldest when it is full.
func (t *tapConn) add(dir reports.Direction, text []byte) {
	if t.ring == nil {
		t.ring = new([ringSlots]ringEntry)
	}
	e := &t.ring[t.next%ringSlots]
	t.next++
	e.off = int64(time.Since(t.opened))
	e.dir = dir[0]
	e.cut = len(text) > entryText
	e.n = uint8(copy(e.text[:], text))
}

// transcript returns the recorded entries, oldest first.
func (t *tapConn) transcript(name string) reports.Transcript {
	t.mu.Lock()
	defer t.mu.Unlock()
	tr := reports.Transcript{Connection: name, Started: t.opened.UTC(), Truncated: t.next > ringSlots}
	if t.ring == nil {
		return tr
	}
	first := 0
	if t.next > ringSlots {
		first = t.next - ringSlots
	}
	for i := first; i < t.next; i++ {
		e := &t.ring[i%ringSlots]
		text := reports.EscapeText(e.text[:e.n])
		if e.cut {
			text += " …"
		}
		tr.Entries = append(tr.Entries, reports.Entry{
			Offset:    time.Duration(e.off),
			Direction: reports.Direction(string(rune(e.dir))),
			Text:      text,
		})
	}
	return tr
}
