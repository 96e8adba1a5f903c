package faultproxy

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Faults says what the proxy breaks. The zero value forwards faithfully.
type Faults struct {
	// HideCaps removes these capabilities from CAPABILITY responses and
	// response codes, so that clients fall back.
	HideCaps []string
	// LoseAppendEvery: every n-th APPEND is swallowed and answered "OK"
	// by the proxy, never reaching the server (0: none).
	LoseAppendEvery int
	// DropExpunge drops every EXPUNGE and VANISHED response that is not
	// the answer to the connection's own EXPUNGE, MOVE or CLOSE.
	DropExpunge bool
	// DropIdleExists drops EXISTS responses while the connection idles.
	DropIdleExists bool
	// ShiftUIDs adds this to every UID in FETCH responses on every second
	// connection.
	ShiftUIDs int
}

// Proxy listens on a local port and forwards to a server, applying Faults.
type Proxy struct {
	faults   Faults
	upstream string
	ln       net.Listener
	conns    atomic.Int64
	appends  atomic.Int64
	// Counters of what was broken.
	Lost    atomic.Int64
	Dropped atomic.Int64
	Shifted atomic.Int64

	wg     sync.WaitGroup
	mu     sync.Mutex
	open   map[net.Conn]struct{}
	closed bool
}

// Start listens on 127.0.0.1 (random port) and forwards to upstream.
func Start(upstream string, f Faults) (*Proxy, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	p := &Proxy{faults: f, upstream: upstream, ln: ln, open: map[net.Conn]struct{}{}}
	p.wg.Add(1)
	go p.accept()
	return p, nil
}

// Addr is the proxy's address.
func (p *Proxy) Addr() string { return p.ln.Addr().String() }

// Close stops the proxy and every connection through it.
func (p *Proxy) Close() error {
	err := p.ln.Close()
	p.mu.Lock()
	p.closed = true
	for c := range p.open {
		c.Close()
	}
	p.mu.Unlock()
	p.wg.Wait()
	return err
}

func (p *Proxy) track(c net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		c.Close()
		return false
	}
	p.open[c] = struct{}{}
	return true
}

func (p *Proxy) accept() {
	defer p.wg.Done()
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		up, err := net.DialTimeout("tcp", p.upstream, 5*time.Second)
		if err != nil {
			c.Close()
			continue
		}
		if !p.track(c) || !p.track(up) {
			c.Close()
			up.Close()
			continue
		}
		n := p.conns.Add(1)
		cn := &conn{p: p, client: c, server: up, odd: n%2 == 1, inflight: map[string]string{}}
		p.wg.Add(2)
		go cn.fromClient()
		go cn.fromServer()
	}
}

// conn is one proxied connection.
type conn struct {
	p      *Proxy
	client net.Conn
	server net.Conn
	odd    bool

	wmu      sync.Mutex // serialises writes to the client
	mu       sync.Mutex
	inflight map[string]string // tag -> command name
	idling   bool
}

func (c *conn) closeBoth() {
	c.client.Close()
	c.server.Close()
}

func (c *conn) writeClient(b []byte) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	_, err := c.client.Write(b)
	return err
}

var literalRE = regexp.MustCompile(`\{(\d+)(\+?)\}\r?\n$`)

// readUnit reads one line and, when it announces literals, the literals and
// the rest of the line: one command or one response. It returns the unit and
// its first line.
func readUnit(br *bufio.Reader, sync func(n int64) error) ([]byte, []byte, error) {
	var unit, first []byte
	for range 1000 {
		line, err := br.ReadBytes('\n')
		if err != nil {
			return nil, nil, err
		}
		unit = append(unit, line...)
		if first == nil {
			first = line
		}
		m := literalRE.FindSubmatch(line)
		if m == nil {
			return unit, first, nil
		}
		n, _ := strconv.ParseInt(string(m[1]), 10, 64)
		if n > 64<<20 {
			return nil, nil, fmt.Errorf("literal of %d bytes", n)
		}
		if sync != nil && len(m[2]) == 0 {
			if err := sync(n); err != nil {
				return nil, nil, err
			}
		}
		lit := make([]byte, n)
		if _, err := io.ReadFull(br, lit); err != nil {
			return nil, nil, err
		}
		unit = append(unit, lit...)
	}
	return nil, nil, fmt.Errorf("too many literals")
}

// fromClient forwards commands, swallowing the APPENDs it loses.
func (c *conn) fromClient() {
	defer c.p.wg.Done()
	defer c.closeBoth()
	br := bufio.NewReader(c.client)
	for {
		line, err := br.ReadBytes('\n')
		if err != nil {
			return
		}
		fields := strings.Fields(string(line))
		if len(fields) == 1 && strings.EqualFold(fields[0], "DONE") {
			c.mu.Lock()
			c.idling = false
			c.mu.Unlock()
		}
		if len(fields) >= 2 {
			name := strings.ToUpper(fields[1])
			if name == "UID" && len(fields) >= 3 {
				name += " " + strings.ToUpper(fields[2])
			}
			c.mu.Lock()
			c.inflight[fields[0]] = name
			if name == "IDLE" {
				c.idling = true
			}
			c.mu.Unlock()
			if name == "APPEND" && c.p.faults.LoseAppendEvery > 0 && literalRE.Match(line) &&
				c.p.appends.Add(1)%int64(c.p.faults.LoseAppendEvery) == 0 {
				if err := c.loseAppend(br, fields[0], line); err != nil {
					return
				}
				continue
			}
		}
		// Forward the line; literals follow as plain bytes (the server
		// sends the continuation requests).
		if _, err := c.server.Write(line); err != nil {
			return
		}
		if m := literalRE.FindSubmatch(line); m != nil {
			// A synchronising literal is sent by the client only after
			// the server's continuation, which fromServer forwards.
			n, _ := strconv.ParseInt(string(m[1]), 10, 64)
			if _, err := io.CopyN(c.server, br, n); err != nil {
				return
			}
			// The rest of the command line follows as the next line.
		}
	}
}

// loseAppend answers an APPEND itself: continuation, literal read and
// discarded, tagged OK. The server never sees the message.
func (c *conn) loseAppend(br *bufio.Reader, tag string, line []byte) error {
	for {
		m := literalRE.FindSubmatch(line)
		if m == nil {
			break
		}
		n, _ := strconv.ParseInt(string(m[1]), 10, 64)
		if len(m[2]) == 0 {
			if err := c.writeClient([]byte("+ Ready for literal data\r\n")); err != nil {
				return err
			}
		}
		if _, err := io.CopyN(io.Discard, br, n); err != nil {
			return err
		}
		var err error
		if line, err = br.ReadBytes('\n'); err != nil {
			return err
		}
	}
	c.mu.Lock()
	delete(c.inflight, tag)
	c.mu.Unlock()
	c.p.Lost.Add(1)
	return c.writeClient([]byte(tag + " OK APPEND completed\r\n"))
}

var (
	expungeRE = regexp.MustCompile(`(?i)^\* (\d+ EXPUNGE|VANISHED)\b`)
	existsRE  = regexp.MustCompile(`(?i)^\* \d+ EXISTS\r?\n$`)
	fetchUID  = regexp.MustCompile(`(?i)^(\* \d+ FETCH \(.*?\bUID )(\d+)`)
	capRE     = regexp.MustCompile(`(?i)(\* CAPABILITY |\[CAPABILITY )([^\]\r\n]*)`)
)

// fromServer forwards responses, dropping and rewriting the ones the faults
// name.
func (c *conn) fromServer() {
	defer c.p.wg.Done()
	defer c.closeBoth()
	br := bufio.NewReader(c.server)
	for {
		unit, first, err := readUnit(br, nil)
		if err != nil {
			return
		}
		if bytes.HasPrefix(first, []byte("* ")) {
			if c.drop(first) {
				c.p.Dropped.Add(1)
				continue
			}
			unit = c.rewrite(unit)
		} else if !bytes.HasPrefix(first, []byte("+")) {
			if tag, _, ok := bytes.Cut(first, []byte(" ")); ok {
				c.mu.Lock()
				delete(c.inflight, string(tag))
				c.mu.Unlock()
			}
			unit = c.rewrite(unit)
		}
		if err := c.writeClient(unit); err != nil {
			return
		}
	}
}

func (c *conn) drop(line []byte) bool {
	f := c.p.faults
	c.mu.Lock()
	defer c.mu.Unlock()
	if f.DropExpunge && expungeRE.Match(line) {
		for _, name := range c.inflight {
			switch name {
			case "EXPUNGE", "UID EXPUNGE", "MOVE", "UID MOVE", "CLOSE":
				return false
			}
		}
		return true
	}
	if f.DropIdleExists && c.idling && existsRE.Match(line) {
		return true
	}
	return false
}

func (c *conn) rewrite(unit []byte) []byte {
	f := c.p.faults
	if len(f.HideCaps) > 0 {
		unit = capRE.ReplaceAllFunc(unit, func(m []byte) []byte {
			sub := capRE.FindSubmatch(m)
			var keep []string
			for _, tok := range strings.Fields(string(sub[2])) {
				hidden := false
				for _, h := range f.HideCaps {
					hidden = hidden || strings.EqualFold(tok, h)
				}
				if !hidden {
					keep = append(keep, tok)
				}
			}
			return []byte(string(sub[1]) + strings.Join(keep, " "))
		})
	}
	if f.ShiftUIDs != 0 && c.odd {
		if m := fetchUID.FindSubmatchIndex(unit); m != nil {
			n, err := strconv.Atoi(string(unit[m[4]:m[5]]))
			if err == nil {
				c.p.Shifted.Add(1)
				out := append([]byte{}, unit[:m[4]]...)
				out = append(out, strconv.Itoa(n+f.ShiftUIDs)...)
				unit = append(out, unit[m[5]:]...)
			}
		}
	}
	return unit
}
