package referenceserver

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/imapgauge/imapgauge/reference-server/internal/command"
)

// Server is a running reference server. Its methods are safe for concurrent
// use.
type Server struct {
	opts      Options
	tlsConfig *tls.Config
	pool      *x509.CertPool
	log       *slog.Logger
	store     storage
	limits    command.Limits
	idle      atomic.Int64 // autologout timer once authenticated, a time.Duration

	ln, tlsLn                   net.Listener
	lnLoopback, tlsLnIsLoopback bool

	mu       sync.Mutex
	users    map[string]*user
	sessions map[*session]struct{}
	closed   bool

	closing       atomic.Bool
	wg            sync.WaitGroup // accept loops and sessions
	nextMailboxID atomic.Uint64
	nextSession   atomic.Uint64
	validity      atomic.Uint32
}

// Start starts a server with the given options and returns once its
// listeners accept connections.
func Start(opts Options) (*Server, error) {
	s := &Server{
		opts:     opts,
		log:      opts.Logger,
		store:    memoryStorage{},
		users:    map[string]*user{},
		sessions: map[*session]struct{}{},
		limits:   command.Limits{MaxMessage: opts.MaxMessageSize},
	}
	s.idle.Store(int64(opts.idleTimeout()))
	if s.log == nil {
		s.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	// UIDVALIDITY values start at the current time in seconds, so that a
	// restarted server never repeats the values of an earlier run for the
	// same names (RFC 3501 section 2.3.1.1).
	s.validity.Store(uint32(time.Now().Unix()))
	for _, u := range opts.Users {
		if err := s.AddUser(u.Name, u.Password); err != nil {
			return nil, fmt.Errorf("user %q: %w", u.Name, err)
		}
	}
	s.tlsConfig = opts.TLSConfig
	if s.tlsConfig == nil {
		cfg, err := selfSignedConfig()
		if err != nil {
			return nil, fmt.Errorf("generate a self-signed certificate: %w", err)
		}
		s.tlsConfig = cfg
	}
	pool, err := certPool(s.tlsConfig)
	if err != nil {
		return nil, err
	}
	s.pool = pool

	addr := opts.Addr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	if s.ln, err = net.Listen("tcp", addr); err != nil {
		return nil, err
	}
	s.lnLoopback = isLoopback(s.ln.Addr())
	if opts.TLSAddr != "" {
		if s.tlsLn, err = net.Listen("tcp", opts.TLSAddr); err != nil {
			s.ln.Close()
			return nil, err
		}
		s.tlsLnIsLoopback = isLoopback(s.tlsLn.Addr())
	}
	s.wg.Add(1)
	go s.accept(s.ln, false)
	if s.tlsLn != nil {
		s.wg.Add(1)
		go s.accept(s.tlsLn, true)
	}
	s.log.Info("listening", "addr", s.ln.Addr().String(), "tls_addr", s.TLSAddr())
	return s, nil
}

func isLoopback(a net.Addr) bool {
	ta, ok := a.(*net.TCPAddr)
	return ok && ta.IP.IsLoopback()
}

// Addr returns the address of the plain listener, "127.0.0.1:port".
func (s *Server) Addr() string { return s.ln.Addr().String() }

// TLSAddr returns the address of the implicit-TLS listener, or "" when there
// is none.
func (s *Server) TLSAddr() string {
	if s.tlsLn == nil {
		return ""
	}
	return s.tlsLn.Addr().String()
}

// CertPool returns a pool that trusts the server's certificate, for clients
// that verify it.
func (s *Server) CertPool() *x509.CertPool { return s.pool }

// AddUser creates a user with an empty INBOX.
func (s *Server) AddUser(name, password string) error {
	if name == "" {
		return errors.New("empty user name")
	}
	for i := 0; i < len(name); i++ {
		if name[i] < 0x20 || name[i] == 0x7f {
			return errors.New("user name contains a control character")
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return ErrClosed
	}
	if _, ok := s.users[name]; ok {
		return ErrUserExists
	}
	u := &user{srv: s, name: name, password: password, mailboxes: map[string]*mailbox{}, subscribed: map[string]struct{}{}}
	u.mu.Lock()
	defer u.mu.Unlock()
	if err := u.addMailbox(u.newMailbox("INBOX", true)); err != nil {
		return errors.New(err.text)
	}
	s.users[name] = u
	return nil
}

// Users returns the names of the users, in no particular order.
func (s *Server) Users() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]string, 0, len(s.users))
	for n := range s.users {
		out = append(out, n)
	}
	return out
}

func (s *Server) user(name string) *user {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.users[name]
}

// CreateMailbox creates a mailbox (and its missing superiors) for a user,
// as the CREATE command does.
func (s *Server) CreateMailbox(userName, mailboxName string) error {
	u := s.user(userName)
	if u == nil {
		return ErrNoSuchUser
	}
	if err := u.create(mailboxName); err != nil {
		return errors.New(err.text)
	}
	return nil
}

// Append adds a message to a user's mailbox, as the APPEND command does:
// sessions that have the mailbox selected are told at their next command,
// and the message is \Recent. flags are system flags (\Seen...) and keywords;
// a zero date means now. It returns the message's UID. The mailbox must
// exist (ErrNoSuchMailbox otherwise); raw is copied.
func (s *Server) Append(userName, mailboxName string, raw []byte, flags []string, date time.Time) (uint32, error) {
	u := s.user(userName)
	if u == nil {
		return 0, ErrNoSuchUser
	}
	if _, err := parseFlags(flags); err != nil {
		return 0, err
	}
	for _, f := range flags {
		if !validFlagName(f) {
			return 0, fmt.Errorf("invalid flag %q: a flag is an atom, optionally after a backslash", f)
		}
	}
	for _, c := range raw {
		if c == 0 {
			return 0, errors.New("message contains NUL, which no IMAP literal may carry")
		}
	}
	if date.IsZero() {
		date = time.Now()
	}
	mb, serr := u.selectable(mailboxName)
	if serr != nil {
		return 0, fmt.Errorf("%w: %s", ErrNoSuchMailbox, mailboxName)
	}
	uids, serr := mb.appendMessages([]newMessage{{raw: append([]byte(nil), raw...), date: date, flags: flags}})
	if serr != nil {
		if serr.code == "TRYCREATE" {
			return 0, fmt.Errorf("%w: %s", ErrNoSuchMailbox, mailboxName)
		}
		return 0, errors.New(serr.text)
	}
	return uids[0], nil
}

// validFlagName reports whether f is a flag or keyword as the grammar writes
// it: an atom, optionally after "\".
func validFlagName(f string) bool {
	f = strings.TrimPrefix(f, `\`)
	if f == "" {
		return false
	}
	for i := 0; i < len(f); i++ {
		c := f[i]
		if c <= 0x1f || c >= 0x7f || strings.IndexByte(`(){ %*"\]`, c) >= 0 {
			return false
		}
	}
	return true
}

// newUIDValidity returns a UIDVALIDITY never given before by this server.
func (s *Server) newUIDValidity() uint32 {
	for {
		v := s.validity.Add(1)
		if v != 0 {
			return v
		}
	}
}

// authenticate checks a user's password in constant time; a missing user
// costs the same comparison.
func (s *Server) authenticate(name, password string) *user {
	u := s.user(name)
	want := "\x00no such user\x00"
	if u != nil {
		want = u.password
	}
	if !constantTimeEqual(password, want) || u == nil {
		return nil
	}
	return u
}

// syscallEMFILE is the error of an accept that ran out of file descriptors.
var syscallEMFILE = syscall.EMFILE

// constantTimeEqual compares two secrets without leaking where they differ
// or their lengths.
func constantTimeEqual(a, b string) bool {
	ha, hb := sha256.Sum256([]byte(a)), sha256.Sum256([]byte(b))
	return subtle.ConstantTimeCompare(ha[:], hb[:]) == 1
}

func (s *Server) accept(ln net.Listener, implicitTLS bool) {
	defer s.wg.Done()
	var delay time.Duration
	for {
		c, err := ln.Accept()
		if err != nil {
			if s.closing.Load() {
				return
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() || errors.Is(err, syscallEMFILE) {
				// Transient: back off and retry, as net/http does.
				delay = min(max(2*delay, 5*time.Millisecond), time.Second)
				s.log.Warn("accept", "err", err)
				time.Sleep(delay)
				continue
			}
			if errors.Is(err, net.ErrClosed) {
				return
			}
			s.log.Error("accept", "err", err)
			return
		}
		delay = 0
		sess := s.newSession(c, implicitTLS)
		s.mu.Lock()
		if s.closed {
			s.mu.Unlock()
			c.Close()
			continue
		}
		s.sessions[sess] = struct{}{}
		s.wg.Add(1)
		s.mu.Unlock()
		go func() {
			defer s.wg.Done()
			sess.serve()
			s.mu.Lock()
			delete(s.sessions, sess)
			s.mu.Unlock()
		}()
	}
}

// Close shuts the server down gracefully: the listeners close, every session
// finishes the command it is running, says BYE and disconnects. Sessions
// still busy after ShutdownTimeout are disconnected. Close waits for all of
// them.
func (s *Server) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	s.closing.Store(true)
	sessions := make([]*session, 0, len(s.sessions))
	for sess := range s.sessions {
		sessions = append(sessions, sess)
	}
	s.mu.Unlock()
	var errs []error
	errs = append(errs, s.ln.Close())
	if s.tlsLn != nil {
		errs = append(errs, s.tlsLn.Close())
	}
	for _, sess := range sessions {
		sess.interrupt()
	}
	done := make(chan struct{})
	go func() { s.wg.Wait(); close(done) }()
	ctx, cancel := context.WithTimeout(context.Background(), s.opts.shutdownTimeout())
	defer cancel()
	select {
	case <-done:
	case <-ctx.Done():
		s.mu.Lock()
		for sess := range s.sessions {
			sess.raw.Close()
		}
		s.mu.Unlock()
		<-done
	}
	return errors.Join(errs...)
}

// storageFailure logs a storage error and returns the NO the command gets.
func storageFailure(s *Server, err error) *statusError {
	s.log.Error("storage", "err", err)
	return errNo("", "The change could not be stored; nothing was changed")
}
