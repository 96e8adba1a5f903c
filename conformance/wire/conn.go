package wire

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"strconv"
	"sync"
	"time"
)

// Defaults for a zero Options.
const (
	DefaultTimeout     = 10 * time.Second
	DefaultMaxResponse = 64 << 20
	// DefaultMaxQueued bounds the octets of untagged responses held while
	// waiting for one command's completion.
	DefaultMaxQueued = 256 << 20
)

// Options configure a connection. The zero value is valid: plaintext, the
// default timeout and size limits, a transcript named after the address.
type Options struct {
	// Timeout bounds each step: dialing, the TLS handshake, each write, and
	// the whole wait for one response or one command's completion. Zero
	// means DefaultTimeout.
	Timeout time.Duration
	// ImplicitTLS starts TLS as soon as the TCP connection is up (imaps,
	// RFC 8314); otherwise the connection is plaintext until StartTLS.
	ImplicitTLS bool
	// TLSConfig is used for implicit TLS and STARTTLS. Nil means a default
	// configuration that verifies the server name taken from the address.
	TLSConfig *tls.Config
	// MaxResponse bounds one response (line and literals). Zero means
	// DefaultMaxResponse.
	MaxResponse int
	// Transcript records the connection. Nil means a new transcript named
	// after the address.
	Transcript *Transcript
	// TagPrefix starts every command tag, followed by a counter. Empty means
	// "a".
	TagPrefix string
	// OnResponse, when set, is called with every complete response as soon
	// as it is read, including the continuation requests that Send and
	// Authenticate consume themselves: the place to validate each one.
	OnResponse func(*Response)
}

func (o *Options) timeout() time.Duration {
	if o.Timeout <= 0 {
		return DefaultTimeout
	}
	return o.Timeout
}

// A Conn is one client connection to an IMAP server. It keeps the raw
// octets of every response, records a transcript, and never blocks longer
// than its timeout on the server. A Conn is used by one goroutine, except
// Close, which may be called from any goroutine to abandon it.
type Conn struct {
	opts Options
	addr string

	tcp  net.Conn // the TCP connection
	rec  *recorder
	rr   responseReader
	tls  bool
	next int // tag counter

	pending  map[string]*Command // sent, not yet completed
	untagged []*Response         // read, not yet handed to a completed command
	queued   int                 // octets in untagged

	err       error // sticky: once the stream is broken nothing else is read
	closeOnce sync.Once
	closed    chan struct{}
}

// Dial connects to addr ("host:port"), starting TLS first when
// opts.ImplicitTLS is set. It does not read the greeting: call ReadGreeting.
// The transcript records the attempt even when Dial fails.
func Dial(ctx context.Context, addr string, opts Options) (*Conn, error) {
	if opts.Transcript == nil {
		opts.Transcript = NewTranscript(addr)
	}
	if opts.MaxResponse <= 0 {
		opts.MaxResponse = DefaultMaxResponse
	}
	if opts.TagPrefix == "" {
		opts.TagPrefix = "a"
	}
	tr := opts.Transcript
	d := net.Dialer{Timeout: opts.timeout()}
	tr.Notef("connect %s", addr)
	tcp, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		tr.Notef("connect failed: %v", err)
		return nil, fmt.Errorf("connect %s: %w", addr, err)
	}
	c := &Conn{
		opts:    opts,
		addr:    addr,
		tcp:     tcp,
		rec:     &recorder{Conn: tcp, t: tr},
		pending: map[string]*Command{},
		closed:  make(chan struct{}),
	}
	c.rr = responseReader{br: bufio.NewReader(c.rec), max: opts.MaxResponse}
	if opts.ImplicitTLS {
		if err := c.handshake(); err != nil {
			c.Close()
			return nil, err
		}
	}
	return c, nil
}

// Transcript is the connection's transcript.
func (c *Conn) Transcript() *Transcript { return c.opts.Transcript }

// Addr is the address the connection was dialed to.
func (c *Conn) Addr() string { return c.addr }

// TLS reports whether the connection runs over TLS (implicit or after
// STARTTLS).
func (c *Conn) TLS() bool { return c.tls }

// ConnectionState returns the TLS state of the connection; ok is false
// while it is plaintext.
func (c *Conn) ConnectionState() (state tls.ConnectionState, ok bool) {
	if tc, isTLS := c.rec.Conn.(*tls.Conn); isTLS {
		return tc.ConnectionState(), true
	}
	return tls.ConnectionState{}, false
}

// Err is the error that broke the connection, or nil while it is usable.
func (c *Conn) Err() error { return c.err }

// Close closes the connection without a LOGOUT. It is safe to call from any
// goroutine and more than once; operations in progress fail with ErrClosed.
func (c *Conn) Close() error {
	var err error
	c.closeOnce.Do(func() {
		close(c.closed)
		c.opts.Transcript.flush()
		c.opts.Transcript.Notef("closed by client")
		// The TCP connection never changes, unlike the TLS layer above it:
		// closing it is safe while another goroutine reads or negotiates.
		err = c.tcp.Close()
	})
	return err
}

// fail makes err sticky and returns it. Once a read or write failed the
// position in the stream is unknown, so nothing more can be trusted.
func (c *Conn) fail(err error) error {
	select {
	case <-c.closed:
		err = fmt.Errorf("%w (%v)", ErrClosed, err)
	default:
	}
	if c.err == nil {
		c.err = err
		var pe *ProtocolError
		if errors.As(err, &pe) {
			c.opts.Transcript.Notef("%v", err)
		} else {
			c.opts.Transcript.Notef("error: %v", err)
		}
	}
	return c.err
}

// ReadGreeting reads the server greeting, which must be an untagged
// response (RFC 3501 section 7.1: OK, PREAUTH or BYE; the grammar package
// judges which).
func (c *Conn) ReadGreeting() (*Response, error) {
	r, err := c.ReadResponse()
	if err != nil {
		return nil, err
	}
	if !r.Untagged() {
		return r, c.fail(&ProtocolError{Reason: "greeting is not an untagged response", Raw: r.Raw})
	}
	return r, nil
}

// ReadResponse reads the next response from the stream, whatever it is,
// within the timeout. It is the low-level reader for raw exchanges; Wait
// is the usual way to collect a command's responses.
func (c *Conn) ReadResponse() (*Response, error) {
	if c.err != nil {
		return nil, c.err
	}
	if err := c.rec.Conn.SetReadDeadline(time.Now().Add(c.opts.timeout())); err != nil {
		return nil, c.fail(err)
	}
	return c.readResponse()
}

// readResponse reads one response under the deadline already set.
func (c *Conn) readResponse() (*Response, error) {
	r, err := c.rr.read()
	if err != nil {
		if IsTimeout(err) {
			err = fmt.Errorf("no complete response within %v: %w", c.opts.timeout(), err)
		} else if !IsProtocolError(err) {
			err = fmt.Errorf("read response: %w", err)
		}
		return nil, c.fail(err)
	}
	if c.opts.OnResponse != nil {
		c.opts.OnResponse(r)
	}
	return r, nil
}

// write sends p within the timeout.
func (c *Conn) write(p []byte) error {
	if c.err != nil {
		return c.err
	}
	if err := c.rec.Conn.SetWriteDeadline(time.Now().Add(c.opts.timeout())); err != nil {
		return c.fail(err)
	}
	if _, err := c.rec.Write(p); err != nil {
		if IsTimeout(err) {
			err = fmt.Errorf("server did not accept data within %v: %w", c.opts.timeout(), err)
		} else {
			err = fmt.Errorf("write: %w", err)
		}
		return c.fail(err)
	}
	return nil
}

// WriteRaw sends p exactly as given, for exchanges the command encoder
// cannot produce (malformed commands, several commands in one write). Each
// tag in tags is registered as a command in progress, so that Wait can
// collect its completion; the commands are returned in the same order.
// Registered secrets are still redacted from the transcript.
func (c *Conn) WriteRaw(p []byte, tags ...string) ([]*Command, error) {
	cmds := make([]*Command, 0, len(tags))
	for _, tag := range tags {
		if _, dup := c.pending[tag]; dup {
			return nil, fmt.Errorf("tag %q is already in use by a command in progress", tag)
		}
		cmd := &Command{Tag: tag}
		c.pending[tag] = cmd
		cmds = append(cmds, cmd)
	}
	if err := c.write(p); err != nil {
		return nil, err
	}
	return cmds, nil
}

// AddSecret registers octets that must never appear in the transcript.
func (c *Conn) AddSecret(secret string) { c.opts.Transcript.AddSecret([]byte(secret)) }

// nextTag returns a fresh tag.
func (c *Conn) nextTag() string {
	c.next++
	return c.opts.TagPrefix + strconv.Itoa(c.next)
}

// NextTag reserves a fresh tag for a command written with WriteRaw.
func (c *Conn) NextTag() string { return c.nextTag() }

// StartTLS sends STARTTLS (RFC 3501 section 6.2.1) and, when the server
// answers OK, negotiates TLS at once. The command is returned whatever the
// server answered; err is set when the exchange or the negotiation failed.
func (c *Conn) StartTLS() (*Command, error) {
	cmd, err := c.Do("STARTTLS")
	if err != nil {
		return cmd, err
	}
	if cmd.Status() != "OK" {
		return cmd, nil
	}
	return cmd, c.UpgradeTLS()
}

// UpgradeTLS negotiates TLS now, after the client read the tagged OK of a
// STARTTLS command it sent itself (for example with WriteRaw). The server
// must not have sent anything after that OK: octets already received in
// plaintext would otherwise pass for protected ones (RFC 3501 section
// 6.2.1: negotiation begins immediately after the CRLF of the OK).
func (c *Conn) UpgradeTLS() error {
	if c.err != nil {
		return c.err
	}
	if c.tls {
		return errors.New("connection already uses TLS")
	}
	if n := c.rr.br.Buffered(); n > 0 {
		extra, _ := c.rr.br.Peek(n)
		return c.fail(&ProtocolError{Reason: "server sent data in plaintext after the STARTTLS OK, before TLS negotiation", Raw: extra})
	}
	if len(c.untagged) > 0 {
		// Untagged responses sent before the OK are harmless but belong to
		// the plaintext session; drop them so nothing from before the
		// negotiation is mistaken for data sent under TLS.
		c.untagged, c.queued = nil, 0
	}
	return c.handshake()
}

func (c *Conn) handshake() error {
	cfg := c.opts.TLSConfig
	if cfg == nil {
		cfg = &tls.Config{}
	} else {
		cfg = cfg.Clone()
	}
	if cfg.ServerName == "" && !cfg.InsecureSkipVerify {
		host, _, err := net.SplitHostPort(c.addr)
		if err == nil {
			cfg.ServerName = host
		}
	}
	tc := tls.Client(c.tcp, cfg)
	if err := tc.SetDeadline(time.Now().Add(c.opts.timeout())); err != nil {
		return c.fail(err)
	}
	if err := tc.Handshake(); err != nil {
		return c.fail(fmt.Errorf("TLS handshake: %w", err))
	}
	st := tc.ConnectionState()
	c.opts.Transcript.Notef("TLS established: %s, %s", tls.VersionName(st.Version), tls.CipherSuiteName(st.CipherSuite))
	c.rec.Conn = tc
	c.rr.br = bufio.NewReader(c.rec)
	c.tls = true
	return nil
}
