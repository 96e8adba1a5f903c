package load

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"github.com/imapgauge/imapgauge/reports"
)

// Security says how sessions protect their connection.
type Security string

// The security modes.
const (
	Plain       Security = "plain"
	StartTLS    Security = "starttls"
	ImplicitTLS Security = "tls"
)

// Target is the server under load.
type Target struct {
	// URL names the target in reports (no credentials).
	URL  string
	Addr string
	// Security and TLS say how to protect connections; TLS may be nil for
	// Plain.
	Security Security
	TLS      *tls.Config
}

// errTimeout marks a command that got no answer within the timeout.
var errTimeout = errors.New("no response within the timeout")

// session is one connection of a device (or of the mail deliverer): an
// imapclient.Client over a recording connection, with the state the checks
// need.
type session struct {
	r     *Runner
	owner *device // nil for deliveries
	user  *user
	name  string
	tap   *tapConn
	c     *imapclient.Client
	caps  imap.CapSet

	state atomic.Int32 // connection state, one of conn*
	// closed is set once the session is closed; timedOut when a command
	// timeout closed it.
	closed   atomic.Bool
	timedOut atomic.Bool
	// late is the lateness of the delivery tick the session serves
	// (devices keep theirs on the device).
	late atomic.Int64
	// counted: the session is a device's, logged in, and counted online.
	counted atomic.Bool
	// setup sessions prepare mailboxes before the run: not measured.
	setup bool
	// greetingTook is the greeting phase of a STARTTLS session.
	greetingTook time.Duration

	// sel is the selected mailbox's state, updated by the unilateral data
	// handlers in imapclient's reader goroutine and by the device.
	mu      sync.Mutex
	sel     *selection
	idleCmd *imapclient.IdleCommand
}

// selection is a selected mailbox as one session sees it: the UID of each
// message sequence number (0 while unknown), maintained from EXISTS and
// EXPUNGE responses (RFC 3501 sections 7.3.1, 7.4.1).
type selection struct {
	mailbox     string
	uidValidity uint32
	readOnly    bool
	seqs        []imap.UID
	// expunges counts EXPUNGE responses; a listing during which it moved
	// cannot be trusted for sequence numbers.
	expunges uint64
	// unknownGone is set when an EXPUNGE hit a sequence number whose UID
	// was unknown: the next full listing is trusted without comparison.
	unknownGone bool
	// flagsPushed is set when the server sent an unsolicited FETCH.
	flagsPushed bool
	// idling: an IDLE is in progress; existsAt lists the times of EXISTS
	// increases not yet matched with a delivery.
	idling    bool
	idleSince time.Time
	idleEpoch uint64
	expect    []expectation
	unclaimed []time.Time
	// findings from the handlers, collected by the device.
	pending []finding
	gone    []imap.UID // UIDs announced expunged, for the cache
}

// expectation is a delivery an idling session must be told of.
type expectation struct {
	sent  time.Time
	epoch uint64
}

func (r *Runner) setState(s *session, st int) {
	old := int(s.state.Swap(int32(st)))
	if old != st {
		r.metrics.connMove(old, st)
	}
}

// dial opens and authenticates a session, recording the setup phases. The
// connection is never used without a deadline: imapclient bounds each
// response's reading, and every command runs under the run's timeout.
func (r *Runner) dial(ctx context.Context, u *user, owner *device, name string) (*session, error) {
	return r.dialWith(ctx, u, owner, name, false)
}

func (r *Runner) dialWith(ctx context.Context, u *user, owner *device, name string, setup bool) (*session, error) {
	s := &session{r: r, owner: owner, user: u, name: name, setup: setup}
	phase := func(p int, d time.Duration, ok bool) {
		if !setup {
			r.metrics.phase(p, d, ok)
		}
	}
	s.state.Store(connConnecting)
	r.metrics.connMove(-1, connConnecting)
	fail := func(p int, err error) (*session, error) {
		phase(p, 0, false)
		s.close()
		return nil, fmt.Errorf("%s: %w", phaseNames[p], err)
	}
	t0 := time.Now()
	d := net.Dialer{Timeout: r.cfg.Timeout}
	raw, err := d.DialContext(ctx, "tcp", r.cfg.Target.Addr)
	if err != nil {
		return fail(phaseTCP, err)
	}
	phase(phaseTCP, time.Since(t0), true)
	var conn net.Conn = raw
	if r.cfg.Target.Security == ImplicitTLS {
		t1 := time.Now()
		tc := tls.Client(raw, r.tlsConfig())
		hctx, cancel := context.WithTimeout(ctx, r.cfg.Timeout)
		err := tc.HandshakeContext(hctx)
		cancel()
		if err != nil {
			raw.Close()
			return fail(phaseTLS, err)
		}
		phase(phaseTLS, time.Since(t1), true)
		conn = tc
	}
	s.tap = newTapConn(conn)
	s.tap.event("connected to " + r.cfg.Target.Addr)
	var clientConn net.Conn = s.tap
	t2 := time.Now()
	if r.cfg.Target.Security == StartTLS {
		// STARTTLS by hand (RFC 3501 section 6.2.1), so that the
		// transcript records the session in plaintext on both sides of
		// the upgrade; imapclient then gets the greeting replayed.
		greeting, err := s.startTLS(ctx, raw)
		if err != nil {
			return fail(phaseTLS, err)
		}
		phase(phaseGreeting, s.greetingTook, true)
		phase(phaseTLS, time.Since(t2)-s.greetingTook, true)
		clientConn = &replayConn{Conn: s.tap, pending: greeting}
		t2 = time.Now()
	}
	opts := &imapclient.Options{UnilateralDataHandler: s.handlers()}
	s.c = imapclient.New(clientConn, opts)
	timer := time.AfterFunc(r.cfg.Timeout, func() { s.c.Close() })
	err = s.c.WaitGreeting()
	timer.Stop()
	if err != nil {
		return fail(phaseGreeting, err)
	}
	if r.cfg.Target.Security != StartTLS {
		phase(phaseGreeting, time.Since(t2), true)
	}
	r.setState(s, connNotAuthenticated)
	t3 := time.Now()
	err = s.run("LOGIN", func() error { return s.c.Login(u.name, u.password).Wait() })
	if err != nil {
		phase(phaseAuth, 0, false)
		s.close()
		return nil, fmt.Errorf("auth: %w", err)
	}
	phase(phaseAuth, time.Since(t3), true)
	if owner != nil {
		s.counted.Store(true)
		r.metrics.devicesOnline.Add(1)
	}
	r.setState(s, connAuthenticated)
	var caps imap.CapSet
	err = s.run("CAPABILITY", func() error {
		var err error
		caps, err = s.c.Capability().Wait()
		return err
	})
	if err != nil {
		s.close()
		return nil, fmt.Errorf("capability: %w", err)
	}
	s.caps = r.filterCaps(caps)
	return s, nil
}

func (r *Runner) tlsConfig() *tls.Config {
	if r.cfg.Target.TLS != nil {
		return r.cfg.Target.TLS.Clone()
	}
	host, _, _ := net.SplitHostPort(r.cfg.Target.Addr)
	return &tls.Config{ServerName: host, MinVersion: tls.VersionTLS12}
}

// filterCaps removes the extensions the run was told not to use. Sessions
// whose server announced the same capabilities share one set.
func (r *Runner) filterCaps(caps imap.CapSet) imap.CapSet {
	names := make([]string, 0, len(caps))
	for c := range caps {
		names = append(names, string(c))
	}
	sort.Strings(names)
	key := strings.Join(names, " ")
	if v, ok := r.capSets.Load(key); ok {
		return v.(imap.CapSet)
	}
	out := imap.CapSet{}
	for c := range caps {
		if !r.cfg.disabled(string(c)) {
			out[c] = struct{}{}
		}
	}
	v, _ := r.capSets.LoadOrStore(key, out)
	return v.(imap.CapSet)
}

func (s *session) has(c imap.Cap) bool { _, ok := s.caps[c]; return ok }

// run issues one command through fn, bounded by the run's timeout, and records
// its latency and outcome. The first command of a tick that started late is
// also charged with that lateness (the time the tick waited for its device),
// so that a stall cannot hide behind a schedule the device could not keep
// (coordinated omission); the tick's own earlier work, such as connecting, is
// not charged.
func (s *session) run(name string, fn func() error) error {
	if s.closed.Load() {
		return net.ErrClosed
	}
	timer := time.AfterFunc(s.r.cfg.Timeout, func() {
		s.timedOut.Store(true)
		s.tap.event("no response within " + s.r.cfg.Timeout.String() + ": closing")
		s.c.Close()
	})
	start := time.Now()
	err := fn()
	timer.Stop()
	now := time.Now()
	latency := now.Sub(start) + s.takeLate()
	st := StatusOK
	var ie *imap.Error
	switch {
	case err == nil:
		s.r.lastOK.Store(now.UnixNano())
	case errors.As(err, &ie) && ie.Type == imap.StatusResponseTypeNo:
		st = StatusNO
	case errors.As(err, &ie) && ie.Type == imap.StatusResponseTypeBad:
		st = StatusBAD
	case s.timedOut.Load():
		st, err = StatusTimeout, fmt.Errorf("%s: %w", name, errTimeout)
	default:
		st = StatusFailed
	}
	if s.setup {
		if st == StatusTimeout || st == StatusFailed {
			s.close()
		}
		return err
	}
	s.r.metrics.command(name, now, latency, st)
	if st != StatusOK {
		if st == StatusTimeout || st == StatusFailed {
			s.close()
		}
		s.r.metrics.errorSample(reports.ErrorSample{Command: name, Kind: st.String(), User: s.user.name,
			Device: s.deviceName(), Message: errText(err)}, func() []reports.Transcript {
			return []reports.Transcript{s.tap.transcript(s.name)}
		})
	}
	return err
}

// takeLate returns the lateness the next command is charged with, once.
func (s *session) takeLate() time.Duration {
	if s.owner != nil {
		return time.Duration(s.owner.late.Swap(0))
	}
	return time.Duration(s.late.Swap(0))
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	s := err.Error()
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	return s
}

func (s *session) deviceName() string {
	if s.owner == nil {
		return "delivery"
	}
	return s.owner.name
}

// answered reports whether err means the server answered (OK, NO or BAD), as
// opposed to a timeout or a broken connection.
func answered(err error) bool {
	var ie *imap.Error
	return err == nil || errors.As(err, &ie)
}

// close ends the connection without LOGOUT (a device losing its network).
func (s *session) close() {
	if s.closed.Swap(true) {
		return
	}
	if s.c != nil {
		s.c.Close()
	} else if s.tap != nil {
		s.tap.Close()
	}
	old := int(s.state.Swap(-1))
	if old >= 0 {
		s.r.metrics.connMove(old, -1)
	}
	if s.counted.Swap(false) {
		s.r.metrics.devicesOnline.Add(-1)
	}
}

// logout ends the session politely.
func (s *session) logout() {
	if s.closed.Load() {
		return
	}
	_ = s.run("LOGOUT", func() error { return s.c.Logout().Wait() })
	s.close()
}

// transcripts returns the session's transcript for a violation.
func (s *session) transcripts() []reports.Transcript {
	if s == nil || s.tap == nil {
		return nil
	}
	return []reports.Transcript{s.tap.transcript(s.name)}
}

// handlers are imapclient's unilateral data handlers. They run in the
// client's reader goroutine, in the order the responses arrived, and must not
// issue commands.
func (s *session) handlers() *imapclient.UnilateralDataHandler {
	return &imapclient.UnilateralDataHandler{
		Expunge: func(seq uint32) {
			s.mu.Lock()
			s.expunged(seq)
			s.mu.Unlock()
			s.poke()
		},
		Mailbox: func(data *imapclient.UnilateralDataMailbox) {
			if data.NumMessages == nil {
				return
			}
			s.mu.Lock()
			s.exists(*data.NumMessages, time.Now())
			s.mu.Unlock()
			s.poke()
		},
		Fetch: func(msg *imapclient.FetchMessageData) {
			// Runs in its own goroutine (imapclient starts one per
			// unsolicited FETCH), so its order relative to EXPUNGE is
			// lost: it is only a hint to resynchronise flags.
			_, _ = msg.Collect()
			s.mu.Lock()
			if s.sel != nil {
				s.sel.flagsPushed = true
			}
			s.mu.Unlock()
			s.poke()
		},
	}
}

// poke asks the owning device to react to what the server announced while
// it idles.
func (s *session) poke() {
	if s.owner != nil {
		s.owner.poke(s)
	}
}

// expunged applies an EXPUNGE response: the message sequence number is removed
// and every later one shifts down (RFC 3501 section 7.4.1). Caller holds s.mu.
func (s *session) expunged(seq uint32) {
	sel := s.sel
	if sel == nil {
		return
	}
	sel.expunges++
	i := int(seq) - 1
	if i < 0 || i >= len(sel.seqs) {
		// A sequence number beyond what the session knows: the next
		// listing decides.
		sel.unknownGone = true
		return
	}
	uid := sel.seqs[i]
	sel.seqs = append(sel.seqs[:i], sel.seqs[i+1:]...)
	if uid == 0 {
		sel.unknownGone = true
		return
	}
	sel.gone = append(sel.gone, uid)
}

// exists applies an EXISTS response. RFC 3501 section 5.2: an EXISTS that
// would reduce the number of messages is not permitted. An increase while
// idling answers pending delivery expectations. Caller holds s.mu.
func (s *session) exists(n uint32, at time.Time) {
	sel := s.sel
	if sel == nil {
		return
	}
	old := uint32(len(sel.seqs))
	switch {
	case n < old:
		sel.pending = append(sel.pending, finding{check: checkExists, mailbox: sel.mailbox,
			message:  "EXISTS reduced the number of messages without EXPUNGE (RFC 3501 section 5.2)",
			expected: fmt.Sprintf(">= %d", old), actual: fmt.Sprint(n)})
		sel.seqs = sel.seqs[:n]
		sel.unknownGone = true
	case n > old:
		for range n - old {
			sel.seqs = append(sel.seqs, 0)
		}
		if sel.idling {
			for range min(n-old, 64) {
				if len(sel.expect) > 0 {
					e := sel.expect[0]
					sel.expect = sel.expect[1:]
					s.r.metrics.recordNotification(at, at.Sub(e.sent))
				} else {
					sel.unclaimed = append(sel.unclaimed, at)
					if len(sel.unclaimed) > 64 {
						sel.unclaimed = sel.unclaimed[1:]
					}
				}
			}
		}
	}
}

// expectDelivery registers a delivery that was sent at sent and acknowledged:
// if the session has been idling on INBOX since before sent, an EXISTS must
// announce it within the profile's bound. It returns false when the session
// is not idling there.
func (s *session) expectDelivery(sent time.Time) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	sel := s.sel
	if sel == nil || !sel.idling || sel.mailbox != "INBOX" || !sel.idleSince.Before(sent) {
		return false
	}
	// An EXISTS may already have arrived (before the APPEND's tagged OK
	// reached the deliverer).
	for i, t := range sel.unclaimed {
		if !t.Before(sent) {
			sel.unclaimed = append(sel.unclaimed[:i], sel.unclaimed[i+1:]...)
			s.r.metrics.recordNotification(t, t.Sub(sent))
			return true
		}
	}
	sel.expect = append(sel.expect, expectation{sent: sent, epoch: sel.idleEpoch})
	epoch := sel.idleEpoch
	time.AfterFunc(s.r.workload.Checks.NotifyWithin, func() { s.checkExpectation(sent, epoch) })
	return true
}

// checkExpectation runs when a notification's bound expires. RFC 2177 lets an
// idling client be told of new messages at once; the profile's bound is the
// policy judged here. A session that left IDLE before the bound is not judged.
func (s *session) checkExpectation(sent time.Time, epoch uint64) {
	s.mu.Lock()
	sel := s.sel
	if sel == nil || !sel.idling || sel.idleEpoch != epoch || s.closed.Load() {
		s.mu.Unlock()
		s.r.metrics.unjudged.Add(1)
		return
	}
	found := false
	for i, e := range sel.expect {
		if e.sent.Equal(sent) {
			sel.expect = append(sel.expect[:i], sel.expect[i+1:]...)
			found = true
			break
		}
	}
	s.mu.Unlock()
	if !found {
		return
	}
	s.r.violation(s.user, s.owner, finding{check: checkNoNotification, mailbox: "INBOX",
		message: fmt.Sprintf("an idling session was not told of a delivery within %s (RFC 2177 section 3; RFC 3501 section 7.3.1)",
			s.r.workload.Checks.NotifyWithin),
		expected: "* n EXISTS during IDLE", actual: "nothing"}, s)
}

// startTLS reads the greeting and negotiates STARTTLS on raw, then swaps the
// recording connection onto TLS. It returns the greeting line to replay.
func (s *session) startTLS(ctx context.Context, raw net.Conn) ([]byte, error) {
	_ = raw.SetDeadline(time.Now().Add(s.r.cfg.Timeout))
	defer raw.SetDeadline(time.Time{})
	br := bufio.NewReaderSize(s.tap, 512)
	t0 := time.Now()
	greeting, err := readLine(br)
	if err != nil {
		return nil, fmt.Errorf("greeting: %w", err)
	}
	s.greetingTook = time.Since(t0)
	if !bytes.HasPrefix(greeting, []byte("* OK")) {
		return nil, fmt.Errorf("greeting %q is not OK", bytes.TrimSpace(greeting))
	}
	if _, err := s.tap.Write([]byte("S0 STARTTLS\r\n")); err != nil {
		return nil, err
	}
	for range 100 {
		line, err := readLine(br)
		if err != nil {
			return nil, fmt.Errorf("STARTTLS: %w", err)
		}
		if bytes.HasPrefix(line, []byte("S0 ")) {
			if !bytes.HasPrefix(line, []byte("S0 OK")) {
				return nil, fmt.Errorf("STARTTLS refused: %s", bytes.TrimSpace(line))
			}
			if br.Buffered() > 0 {
				return nil, errors.New("server sent data after STARTTLS OK before the TLS handshake")
			}
			tc := tls.Client(raw, s.r.tlsConfig())
			hctx, cancel := context.WithTimeout(ctx, s.r.cfg.Timeout)
			err := tc.HandshakeContext(hctx)
			cancel()
			if err != nil {
				return nil, err
			}
			s.tap.event("TLS handshake complete")
			s.tap.Conn = tc
			return greeting, nil
		}
	}
	return nil, errors.New("STARTTLS: no tagged response")
}

// readLine reads one CRLF-terminated line of at most 8 KiB.
func readLine(br *bufio.Reader) ([]byte, error) {
	line, err := br.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		return nil, errors.New("line too long")
	}
	return append([]byte(nil), line...), err
}

// replayConn serves pending before reading the connection: the greeting read
// before STARTTLS, replayed to imapclient.
type replayConn struct {
	net.Conn
	pending []byte
}

func (c *replayConn) Read(p []byte) (int, error) {
	if len(c.pending) > 0 {
		n := copy(p, c.pending)
		c.pending = c.pending[n:]
		return n, nil
	}
	return c.Conn.Read(p)
}
