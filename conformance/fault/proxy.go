package fault

import (
	"bufio"
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// maxFrame bounds one framed response or line the proxy holds.
const maxFrame = 64 << 20

// Options configure a Proxy.
type Options struct {
	// Upstream is the real server's "host:port".
	Upstream string
	// UpstreamTLS connects to the upstream with implicit TLS; the proxy
	// then offers implicit TLS to its clients too.
	UpstreamTLS bool
	// UpstreamTLSConfig is used for TLS to the upstream (implicit or after
	// STARTTLS). Nil skips verification: the upstream is a server the test
	// started itself.
	UpstreamTLSConfig *tls.Config
	// Fault is the misbehaviour to add; the zero Fault forwards faithfully.
	Fault Fault
}

// A Proxy forwards IMAP connections to a real server, applying a Fault in
// plaintext. It listens on 127.0.0.1 and presents its own self-signed
// certificate for TLS: clients trust it through CertPool.
type Proxy struct {
	opts Options
	ln   net.Listener
	cert tls.Certificate
	pool *x509.CertPool

	mu     sync.Mutex
	conns  map[net.Conn]bool
	closed bool
	wg     sync.WaitGroup
}

// Listen starts a proxy on a random port of 127.0.0.1.
func Listen(opts Options) (*Proxy, error) {
	cert, pool, err := selfSigned()
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	p := &Proxy{opts: opts, ln: ln, cert: cert, pool: pool, conns: map[net.Conn]bool{}}
	p.wg.Add(1)
	go p.accept()
	return p, nil
}

// Addr is the proxy's "127.0.0.1:port".
func (p *Proxy) Addr() string { return p.ln.Addr().String() }

// CertPool holds the certificate the proxy presents to its clients.
func (p *Proxy) CertPool() *x509.CertPool { return p.pool }

// Certificate is the certificate the proxy presents to its clients.
func (p *Proxy) Certificate() *x509.Certificate { return p.cert.Leaf }

// Close stops the proxy and closes every connection it holds, then waits
// for its goroutines.
func (p *Proxy) Close() error {
	p.mu.Lock()
	p.closed = true
	for c := range p.conns {
		c.Close()
	}
	p.mu.Unlock()
	err := p.ln.Close()
	p.wg.Wait()
	return err
}

// track registers c to be closed by Close; false when the proxy is closed.
func (p *Proxy) track(c net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		c.Close()
		return false
	}
	p.conns[c] = true
	return true
}

func (p *Proxy) untrack(c net.Conn) {
	p.mu.Lock()
	delete(p.conns, c)
	p.mu.Unlock()
}

func (p *Proxy) accept() {
	defer p.wg.Done()
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		if !p.track(c) {
			return
		}
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			defer p.untrack(c)
			p.serve(c)
		}()
	}
}

func (p *Proxy) upstreamTLS() *tls.Config {
	if p.opts.UpstreamTLSConfig != nil {
		return p.opts.UpstreamTLSConfig.Clone()
	}
	return &tls.Config{InsecureSkipVerify: true} //nolint:gosec // the upstream is a server the test started
}

// pconn is one proxied connection.
type pconn struct {
	p     *Proxy
	fault Fault

	rawClient, rawServer net.Conn

	mu          sync.Mutex // guards st, starttlsTag, held, continued, literalTag
	st          State
	starttlsTag string   // tag of a STARTTLS in progress, until TLS is up on both sides
	held        [][]byte // client lines held back for ReplayPlaintext
	continued   bool     // the previous client line ended with a literal
	// literalTag is the tag of a command whose synchronising literal waits
	// for the client's go-ahead; literalGo then says whether the client
	// was sent a continuation request (true: the octets follow) or the
	// command's completion (false: the octets never come). A fault that
	// turns the server's continuation request into a refusal leaves the
	// server waiting for octets that never come: from there the
	// connection is out of step, as with a server that misbehaves so.
	literalTag string
	literalGo  chan bool
	hung       atomic.Bool

	wmu    sync.Mutex // serialises writes to the server
	server net.Conn   // current server side (plaintext or TLS)

	upTLS   chan net.Conn // s->c pump hands the upstream TLS conn to the c->s pump
	downTLS chan net.Conn // and gets the client TLS conn back
	done    chan struct{}
	once    sync.Once
}

func (p *Proxy) serve(client net.Conn) {
	d := net.Dialer{Timeout: 10 * time.Second}
	server, err := d.Dial("tcp", p.opts.Upstream)
	if err != nil {
		client.Close()
		return
	}
	if !p.track(server) {
		client.Close()
		return
	}
	defer p.untrack(server)
	pc := &pconn{
		p: p, fault: p.opts.Fault,
		rawClient: client, rawServer: server,
		st:        State{Data: map[string]any{}},
		upTLS:     make(chan net.Conn, 1),
		literalGo: make(chan bool, 1),
		downTLS:   make(chan net.Conn, 1),
		done:      make(chan struct{}),
	}
	clientSide, serverSide := net.Conn(client), net.Conn(server)
	if p.opts.UpstreamTLS {
		up := tls.Client(server, p.upstreamTLS())
		down := tls.Server(client, &tls.Config{Certificates: []tls.Certificate{p.cert}})
		if up.Handshake() != nil || down.Handshake() != nil {
			pc.closeAll()
			return
		}
		clientSide, serverSide = down, up
		pc.st.TLS = true
	}
	pc.server = serverSide
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); pc.serverToClient(serverSide, clientSide) }()
	go func() { defer wg.Done(); pc.clientToServer(clientSide) }()
	wg.Wait()
}

func (pc *pconn) closeAll() {
	pc.once.Do(func() {
		close(pc.done)
		pc.rawClient.Close()
		pc.rawServer.Close()
	})
}

// hang stops forwarding until the proxy or the client closes the connection.
func (pc *pconn) hang() {
	pc.hung.Store(true)
	<-pc.done
}

func (pc *pconn) writeServer(p []byte) error {
	pc.wmu.Lock()
	defer pc.wmu.Unlock()
	_, err := pc.server.Write(p)
	return err
}

// serverToClient frames responses from the server and forwards them
// through the fault.
func (pc *pconn) serverToClient(server, client net.Conn) {
	defer pc.closeAll()
	br := bufio.NewReader(server)
	for {
		raw, err := readResponse(br)
		if err != nil {
			if pc.fault.KeepOpen && errors.Is(err, io.EOF) {
				pc.hang()
			}
			return
		}
		pc.mu.Lock()
		out, act := raw, Forward
		if pc.fault.Response != nil {
			out, act = pc.fault.Response(&pc.st, raw)
		}
		pc.st.Index++
		tag := pc.starttlsTag
		if pc.literalTag != "" && len(out) > 0 {
			if goAhead, decided := literalDecision(out, pc.literalTag); decided {
				pc.literalTag = ""
				pc.literalGo <- goAhead
			}
		}
		pc.mu.Unlock()
		if len(out) > 0 {
			if _, err := client.Write(out); err != nil {
				return
			}
		}
		switch act {
		case Hang:
			pc.hang()
			return
		case Disconnect:
			return
		}
		if tag == "" || !bytes.HasPrefix(raw, []byte(tag+" ")) {
			continue
		}
		// The completion of STARTTLS (RFC 3501 section 6.2.1).
		if status(raw) == "OK" {
			up := tls.Client(pc.rawServer, pc.p.upstreamTLS())
			if up.Handshake() != nil {
				return
			}
			pc.wmu.Lock()
			pc.server = up
			pc.wmu.Unlock()
			pc.upTLS <- up
			select {
			case down := <-pc.downTLS:
				server, client = up, down
				br = bufio.NewReader(up)
			case <-pc.done:
				return
			}
		}
		if !pc.endStartTLS() {
			return
		}
	}
}

// endStartTLS ends a STARTTLS exchange: the lines held back go to the
// server (over TLS when it succeeded) before any line the client sends
// afterwards, since both happen under pc.mu.
func (pc *pconn) endStartTLS() bool {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	pc.starttlsTag = ""
	for _, line := range pc.held {
		if pc.writeServer(line) != nil {
			return false
		}
	}
	pc.held = nil
	return true
}

// clientToServer forwards the client's lines through the fault, literal
// octets untouched, and hands the client side to TLS after STARTTLS.
func (pc *pconn) clientToServer(client net.Conn) {
	defer pc.closeAll()
	br := bufio.NewReader(client)
	for {
		pc.mu.Lock()
		pending := pc.starttlsTag != ""
		pc.mu.Unlock()
		if pending {
			if b, err := br.Peek(1); err == nil && b[0] == 0x16 {
				// A TLS ClientHello: the client starts TLS after the OK.
				down, ok := pc.startClientTLS(client, br)
				if !ok {
					return
				}
				client, br = down, bufio.NewReader(down)
				continue
			}
		}
		line, err := readLine(br)
		if err != nil {
			return
		}
		if pc.hung.Load() {
			continue
		}
		n, hasLiteral := literalSize(line)
		pc.mu.Lock()
		if tag, name, ok := commandOf(line); ok && !pc.continued {
			pc.st.Tag, pc.st.Command = tag, strings.ToUpper(name)
			if pc.st.Command == "STARTTLS" {
				pc.starttlsTag = tag
			}
		}
		out, act := line, Forward
		if pc.fault.Command != nil {
			out, act = pc.fault.Command(&pc.st, line)
		}
		hold := pc.fault.ReplayPlaintext && pc.starttlsTag != "" && pc.st.Command != "STARTTLS"
		if hold {
			pc.held = append(pc.held, out)
		}
		pc.continued = hasLiteral
		// A synchronising literal is sent only after the client sees a
		// continuation request; set before the line reaches the server,
		// so that its answer cannot come first (RFC 3501 section 7.5).
		waitGo := hasLiteral && !hold && !isNonSync(line)
		if waitGo {
			pc.literalTag = pc.st.Tag
		}
		pc.mu.Unlock()
		if !hold && len(out) > 0 {
			if pc.writeServer(out) != nil {
				return
			}
		}
		switch act {
		case Hang:
			pc.hang()
			return
		case Disconnect:
			return
		}
		if waitGo {
			select {
			case goAhead := <-pc.literalGo:
				if !goAhead {
					// Refused with a tagged response: the client goes on
					// with its next command, not with the octets.
					pc.mu.Lock()
					pc.continued = false
					pc.mu.Unlock()
					continue
				}
			case <-pc.done:
				return
			}
		}
		if hasLiteral {
			lit := make([]byte, n)
			if _, err := io.ReadFull(br, lit); err != nil {
				return
			}
			if hold {
				pc.mu.Lock()
				pc.held = append(pc.held, lit)
				pc.mu.Unlock()
			} else if pc.writeServer(lit) != nil {
				return
			}
		}
	}
}

// startClientTLS negotiates TLS with the client, whose ClientHello is
// already (partly) in br.
func (pc *pconn) startClientTLS(client net.Conn, br *bufio.Reader) (net.Conn, bool) {
	select {
	case <-pc.upTLS:
	case <-pc.done:
		return nil, false
	}
	buffered, _ := br.Peek(br.Buffered())
	pre := &prefixConn{Conn: client, r: io.MultiReader(bytes.NewReader(bytes.Clone(buffered)), client)}
	down := tls.Server(pre, &tls.Config{Certificates: []tls.Certificate{pc.p.cert}})
	if down.Handshake() != nil {
		return nil, false
	}
	pc.mu.Lock()
	pc.st.TLS = true
	pc.mu.Unlock()
	pc.downTLS <- down
	return down, true
}

// prefixConn reads octets already buffered before the rest of its Conn.
type prefixConn struct {
	net.Conn
	r io.Reader
}

func (c *prefixConn) Read(p []byte) (int, error) { return c.r.Read(p) }

// commandOf splits "tag SP name ..." when line looks like a command.
func commandOf(line []byte) (tag, name string, ok bool) {
	text := strings.TrimRight(string(line), "\r\n")
	tag, rest, ok := strings.Cut(text, " ")
	if !ok || tag == "" || tag == "*" || tag == "+" {
		return "", "", false
	}
	name, _, _ = strings.Cut(rest, " ")
	return tag, name, name != ""
}

// status is the upper-cased status word of a tagged or untagged response.
func status(raw []byte) string {
	fields := strings.SplitN(string(raw), " ", 3)
	if len(fields) < 2 {
		return ""
	}
	return strings.ToUpper(strings.TrimRight(fields[1], "\r\n"))
}

// readLine reads through the next LF.
func readLine(br *bufio.Reader) ([]byte, error) {
	var line []byte
	for {
		chunk, err := br.ReadSlice('\n')
		line = append(line, chunk...)
		if len(line) > maxFrame {
			return nil, errors.New("line too long")
		}
		if err == nil {
			return line, nil
		}
		if !errors.Is(err, bufio.ErrBufferFull) {
			return line, err
		}
	}
}

// literalSize reports whether line ends with a literal's "{n}" or "{n+}"
// and CRLF.
func literalSize(line []byte) (int, bool) {
	body := bytes.TrimRight(line, "\r\n")
	if !bytes.HasSuffix(body, []byte("}")) {
		return 0, false
	}
	open := bytes.LastIndexByte(body, '{')
	if open < 0 {
		return 0, false
	}
	digits := strings.TrimSuffix(string(body[open+1:len(body)-1]), "+")
	n, err := strconv.Atoi(digits)
	if err != nil || n < 0 || n > maxFrame {
		return 0, false
	}
	return n, true
}

// isNonSync reports whether line ends with a non-synchronising literal
// "{n+}" (RFC 7888), whose octets follow without a continuation request.
func isNonSync(line []byte) bool {
	return bytes.HasSuffix(bytes.TrimRight(line, "\r\n"), []byte("+}"))
}

// literalDecision looks at the responses out, as sent to the client, for
// the answer to a synchronising literal of the command tagged tag: a
// continuation request (goAhead) or that command's completion (refused).
func literalDecision(out []byte, tag string) (goAhead, decided bool) {
	br := bufio.NewReader(bytes.NewReader(out))
	for {
		raw, err := readResponse(br)
		if err != nil {
			return false, false
		}
		switch {
		case raw[0] == '+':
			return true, true
		case bytes.HasPrefix(raw, []byte(tag+" ")):
			return false, true
		}
	}
}

// readResponse reads one complete server response with its literals.
func readResponse(br *bufio.Reader) ([]byte, error) {
	var raw []byte
	for {
		line, err := readLine(br)
		raw = append(raw, line...)
		if err != nil {
			return nil, err
		}
		n, ok := literalSize(line)
		if !ok || raw[0] == '+' {
			return raw, nil
		}
		if len(raw)+n > maxFrame {
			return nil, fmt.Errorf("response larger than %d octets", maxFrame)
		}
		start := len(raw)
		raw = append(raw, make([]byte, n)...)
		if _, err := io.ReadFull(br, raw[start:]); err != nil {
			return nil, err
		}
	}
}

// selfSigned makes the certificate the proxy presents to its clients.
func selfSigned() (tls.Certificate, *x509.CertPool, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(time.Now().UnixNano()),
		Subject:               pkix.Name{CommonName: "imapgauge fault proxy"},
		DNSNames:              []string{"localhost"},
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool, nil
}
