package conformance

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/emersion/go-sasl"

	"github.com/imapgauge/imapgauge/conformance/grammar"
	"github.com/imapgauge/imapgauge/conformance/wire"
	"github.com/imapgauge/imapgauge/reports"
)

// A Session is one connection of a case. Every response it reads goes
// through the strict grammar (RFC 3501 section 9) as it arrives; the first
// malformed one fails the case at the next step, with the line and the
// rule it breaks.
type Session struct {
	// Conn is the underlying connection, for exchanges the helpers do not
	// cover. Responses read through it are still checked.
	Conn *wire.Conn
	// Greeting is the parsed greeting.
	Greeting *grammar.Response

	t        *T
	name     string
	parsed   map[*wire.Response]*grammar.Response
	greeting bool // the next response is the greeting
	gerr     error
	graw     []byte
	caps     []string
	capsOK   bool
	raw      map[string]*wire.Command // commands written with WriteRaw
	ended    bool                     // logged out or closed by the case
}

// Dial opens a session to the target in its security mode (for a
// STARTTLS target, STARTTLS is done) and reads the greeting. The session
// is not authenticated.
func (t *T) Dial() *Session { return t.open("session", false) }

// DialPlaintext opens a session that stays in plaintext, even for a
// STARTTLS target; the case is SKIP for an implicit-TLS target, which has
// no plaintext port.
func (t *T) DialPlaintext() *Session {
	if t.env.Target.Security == ImplicitTLS {
		t.Skipf("the target uses implicit TLS: no plaintext connection to check")
	}
	return t.open("plaintext", true)
}

// Login opens a session and logs user i in; a failure there is a setup
// error. The session is in the authenticated state.
func (t *T) Login(user int) *Session { return t.login(user, "user"+fmt.Sprint(user+1)) }

// Select opens a session for user i with mailbox selected (SELECT, RFC
// 3501 section 6.3.1), as a fixture: a failure is a setup error.
func (t *T) Select(user int, mailbox string) *Session {
	s := t.Login(user)
	t.Setup(func() { s.Cmd("OK", "SELECT", wire.Astring(mailbox)) })
	return s
}

func (t *T) login(user int, name string) *Session {
	var s *Session
	t.Setup(func() {
		s = t.open(name, false)
		s.Login(t.User(user))
	})
	return s
}

func (t *T) open(name string, plaintext bool) *Session {
	t.nconn++
	tr := wire.NewTranscript(fmt.Sprintf("%d-%s", t.nconn, name))
	for _, u := range t.env.Users {
		tr.AddSecret([]byte(u.Password))
	}
	s := &Session{t: t, name: tr.Name, parsed: map[*wire.Response]*grammar.Response{}, greeting: true, raw: map[string]*wire.Command{}}
	t.mu.Lock()
	t.transcripts = append(t.transcripts, tr)
	t.mu.Unlock()
	target := &t.env.Target
	opts := wire.Options{
		Timeout:     t.env.timeout(),
		ImplicitTLS: target.Security == ImplicitTLS && !plaintext,
		TLSConfig:   target.TLSConfig(),
		Transcript:  tr,
		OnResponse:  s.check,
	}
	conn, err := wire.Dial(t.ctx, target.Addr, opts)
	if err != nil {
		t.fail(failure{kind: kindError, message: fmt.Sprintf("%s: %v", s.name, err)})
	}
	s.Conn = conn
	t.mu.Lock()
	t.sessions = append(t.sessions, s)
	closed := t.closed
	t.mu.Unlock()
	if closed {
		conn.Close()
	}
	raw, err := conn.ReadGreeting()
	s.checkGrammar()
	if err != nil {
		t.failWire(s, "greeting", err)
	}
	s.Greeting = s.parsed[raw]
	if target.Security == StartTLS && !plaintext {
		t.Setup(func() { s.StartTLS() })
	}
	return s
}

// Name is the session's name in transcripts ("2-user1").
func (s *Session) Name() string { return s.name }

// check is the wire driver's OnResponse hook: it parses every response.
func (s *Session) check(r *wire.Response) {
	var p *grammar.Response
	var err error
	if s.greeting {
		s.greeting = false
		p, err = grammar.ParseGreeting(r.Raw)
	} else {
		p, err = grammar.Parse(r.Raw)
	}
	if err == nil {
		// The rules RFC 3501 states beside its grammar (no \Recent in
		// FLAGS, no extension data in BODY, modified UTF-7 names...).
		err = grammar.Validate(p)
	}
	if err != nil {
		if s.gerr == nil {
			s.gerr, s.graw = err, r.Raw
			s.Conn.Transcript().Notef("grammar: %v", err)
		}
		return
	}
	s.parsed[r] = p
}

// checkGrammar fails the case if a response broke the grammar.
func (s *Session) checkGrammar() {
	if s.gerr == nil {
		return
	}
	var expected string
	var se *grammar.SyntaxError
	var ve *grammar.ValidationError
	switch {
	case errors.As(s.gerr, &se):
		expected = fmt.Sprintf("a response matching the rule %s of RFC 3501 section 9", se.Rule)
	case errors.As(s.gerr, &ve):
		expected = "a response meeting RFC 3501's rules for its data"
	default:
		expected = "a response matching RFC 3501 section 9"
	}
	s.t.fail(failure{kind: kindViolation, expected: []string{expected}, actual: reports.EscapeText(firstLine(s.graw)),
		message: fmt.Sprintf("%s: %v", s.name, s.gerr)})
}

// typed returns the parsed form of r; nil only if r broke the grammar,
// which checkGrammar reports first.
func (s *Session) typed(r *wire.Response) *grammar.Response {
	if p, ok := s.parsed[r]; ok {
		return p
	}
	p, err := grammar.Parse(r.Raw)
	if err != nil {
		s.gerr, s.graw = err, r.Raw
		s.checkGrammar()
	}
	s.parsed[r] = p
	return p
}

// A Reply is a completed command: its tagged response and the untagged
// responses that came with it, all parsed.
type Reply struct {
	// Command is the command as sent, for messages (secrets redacted in
	// reports).
	Command string
	// Tagged is the tagged completion.
	Tagged *grammar.Response
	// Untagged are the untagged responses read since the previous
	// completion on the connection, in order.
	Untagged []*grammar.Response
	// Wire is the command at the wire level, raw octets included.
	Wire *wire.Command

	s *Session
}

// Status is the tagged status: OK, NO or BAD.
func (r *Reply) Status() string { return r.Tagged.Name }

// Code is the tagged response's code, nil when it has none.
func (r *Reply) Code() *grammar.Code { return r.Tagged.Code }

// All returns the untagged responses named name (CAPABILITY, EXISTS, FETCH...).
func (r *Reply) All(name string) []*grammar.Response {
	var out []*grammar.Response
	for _, u := range r.Untagged {
		if strings.EqualFold(u.Name, name) {
			out = append(out, u)
		}
	}
	return out
}

// One returns the only untagged response named name, failing the case
// when there is none or more than one.
func (r *Reply) One(name string) *grammar.Response {
	all := r.All(name)
	if len(all) != 1 {
		r.s.t.Mismatch([]string{"exactly one untagged " + name + " response"}, fmt.Sprintf("%d untagged %s responses", len(all), name),
			"%s: expected exactly one untagged %s response, got %d", r.Command, name, len(all))
	}
	return all[0]
}

// Only fails the case when an untagged response other than the named ones
// came with the command. Untagged OK, NO and BAD are always allowed: a
// server may send them at any time (RFC 3501 section 7.1).
func (r *Reply) Only(names ...string) *Reply {
	for _, u := range r.Untagged {
		if u.IsStatus() && u.Name != "BYE" && u.Name != "PREAUTH" {
			continue
		}
		if !slices.ContainsFunc(names, func(n string) bool { return strings.EqualFold(n, u.Name) }) {
			r.s.t.Mismatch([]string{"only untagged " + strings.Join(names, ", ")}, reports.EscapeText(firstLine([]byte(u.Raw))),
				"%s: unexpected untagged %s response", r.Command, u.Name)
		}
	}
	return r
}

// Tx sends line (without tag and CRLF) as a command and checks the tagged
// status against want: one status ("OK") or several that the RFC allows
// ("NO|BAD"). It is the session-log style of writing a case:
//
//	s.Tx("BAD", "STATUS INBOX ()") // At least one status data item is required.
//
// line cannot carry synchronising literals; use Cmd with wire.Literal.
func (s *Session) Tx(want, line string) *Reply {
	tag := s.Conn.NextTag()
	cmds, err := s.Conn.WriteRaw([]byte(tag+" "+line+"\r\n"), tag)
	if err != nil {
		s.checkGrammar()
		s.t.failWire(s, tag+" "+line, err)
	}
	return s.finish(cmds[0], tag+" "+line, want)
}

// Cmd sends a command built from typed arguments (quoting, literals and
// secrets handled by the wire driver) and checks the tagged status like Tx.
func (s *Session) Cmd(want, name string, args ...wire.Arg) *Reply {
	p := s.Send(name, args...)
	return s.Wait(p, want)
}

// Pending is a command sent but not yet waited for (pipelining).
type Pending struct {
	cmd     *wire.Command
	display string
}

// Send sends a command without waiting for its completion, so that several
// can be pipelined; Wait collects each.
func (s *Session) Send(name string, args ...wire.Arg) *Pending {
	cmd, err := s.Conn.Send(name, args...)
	display := displayCommand(cmd, name, args)
	if err != nil {
		s.checkGrammar()
		s.t.failWire(s, display, err)
	}
	return &Pending{cmd: cmd, display: display}
}

// Wait waits for a pipelined command's completion and checks its status
// like Tx.
func (s *Session) Wait(p *Pending, want string) *Reply { return s.finish(p.cmd, p.display, want) }

func (s *Session) finish(cmd *wire.Command, display, want string) *Reply {
	err := s.Conn.Wait(cmd)
	s.checkGrammar()
	if err != nil {
		s.t.failWire(s, display, err)
	}
	r := &Reply{Command: display, Wire: cmd, s: s, Tagged: s.typed(cmd.Tagged)}
	for _, u := range cmd.Untagged {
		r.Untagged = append(r.Untagged, s.typed(u))
	}
	if want != "" {
		s.expectStatus(r, want)
	}
	return r
}

// expectStatus checks the tagged status against want ("OK", "NO|BAD").
func (s *Session) expectStatus(r *Reply, want string) {
	allowed := strings.Split(strings.ToUpper(want), "|")
	if slices.Contains(allowed, r.Status()) {
		return
	}
	expected := make([]string, len(allowed))
	for i, a := range allowed {
		expected[i] = "tagged " + a
	}
	literal := ""
	if r.Wire.LiteralRefused {
		literal = " (instead of a continuation request for its literal)"
	}
	s.t.Mismatch(expected, reports.EscapeText(firstLine([]byte(r.Tagged.Raw))),
		"%s: expected tagged %s, got %s%s", r.Command, strings.Join(allowed, " or "), r.Status(), literal)
}

// WriteRaw sends data exactly as given (with its CRLFs), registering tags
// as commands in progress so that WaitTag can collect them. For malformed
// commands and hand-made pipelines.
func (s *Session) WriteRaw(data string, tags ...string) {
	cmds, err := s.Conn.WriteRaw([]byte(data), tags...)
	if err != nil {
		s.t.failWire(s, "write", err)
	}
	for _, c := range cmds {
		s.raw[c.Tag] = c
	}
}

// WaitTag waits for the completion of a command written with WriteRaw and
// checks its status like Tx.
func (s *Session) WaitTag(tag, want string) *Reply {
	cmd, ok := s.raw[tag]
	if !ok {
		panic(fmt.Sprintf("WaitTag(%q): no command with this tag was written with WriteRaw", tag))
	}
	delete(s.raw, tag)
	return s.finish(cmd, tag, want)
}

// ReadResponse reads the next response, whatever it is, and returns it
// parsed. For raw exchanges; Tx and Cmd are the usual way.
func (s *Session) ReadResponse() *grammar.Response {
	r, err := s.Conn.ReadResponse()
	s.checkGrammar()
	if err != nil {
		s.t.failWire(s, "read", err)
	}
	return s.typed(r)
}

// Capabilities returns the capabilities the server lists now, asking with
// CAPABILITY when the session does not know them (at first, and after
// STARTTLS or authentication, which may change them).
func (s *Session) Capabilities() []string {
	if !s.capsOK {
		s.t.Setup(func() {
			r := s.Tx("OK", "CAPABILITY")
			s.caps = r.One("CAPABILITY").Capabilities
			s.capsOK = true
		})
	}
	return s.caps
}

// HasCapability reports whether the server lists name now (compared
// without regard to case).
func (s *Session) HasCapability(name string) bool {
	return slices.ContainsFunc(s.Capabilities(), func(c string) bool { return strings.EqualFold(c, name) })
}

// Require makes the case SKIP unless the server lists every capability in
// names now.
func (s *Session) Require(names ...string) {
	for _, n := range names {
		if !s.HasCapability(n) {
			s.t.Skipf("%s: the server does not advertise %s", s.name, n)
		}
	}
}

// StartTLS runs STARTTLS and negotiates TLS (RFC 3501 section 6.2.1); the
// capability list is forgotten, as the RFC requires of the client.
func (s *Session) StartTLS() *Reply {
	cmd, err := s.Conn.StartTLS()
	s.checkGrammar()
	if err != nil {
		s.t.failWire(s, "STARTTLS", err)
	}
	r := &Reply{Command: cmd.Tag + " STARTTLS", Wire: cmd, s: s, Tagged: s.typed(cmd.Tagged)}
	for _, u := range cmd.Untagged {
		r.Untagged = append(r.Untagged, s.typed(u))
	}
	s.expectStatus(r, "OK")
	s.capsOK = false
	return r
}

// Login logs u in with LOGIN, the password sent as a secret.
func (s *Session) Login(u User) *Reply {
	r := s.Cmd("OK", "LOGIN", wire.Astring(u.Name), wire.Secret(u.Password))
	s.capsOK = false
	return r
}

// Logout sends LOGOUT and expects the untagged BYE and the tagged OK
// (RFC 3501 section 6.1.3).
func (s *Session) Logout() *Reply {
	r := s.Tx("OK", "LOGOUT")
	if len(r.All("BYE")) == 0 {
		s.t.Mismatch([]string{"untagged BYE before the tagged OK"}, "no BYE", "%s: LOGOUT completed without an untagged BYE", r.Command)
	}
	s.ended = true
	s.Conn.Close()
	return r
}

// logoutQuietly ends the session politely when it is still usable; no
// outcome depends on it.
func (s *Session) logoutQuietly() {
	if s.ended {
		return
	}
	s.ended = true
	if s.Conn.Err() == nil && s.Conn.Idle() {
		tag := s.Conn.NextTag()
		if cmds, err := s.Conn.WriteRaw([]byte(tag+" LOGOUT\r\n"), tag); err == nil {
			_ = s.Conn.Wait(cmds[0])
		}
	}
	s.Conn.Close()
}

// displayCommand renders a command for messages, without its CRLF and with
// long literals cut.
func displayCommand(cmd *wire.Command, name string, args []wire.Arg) string {
	tag := "?"
	if cmd != nil {
		tag = cmd.Tag
	}
	s := strings.TrimSuffix(string(wire.Encode(tag, name, args...)), "\r\n")
	if len(s) > 200 {
		s = s[:200] + "..."
	}
	return reports.EscapeText([]byte(s))
}

func firstLine(raw []byte) []byte {
	for i, c := range raw {
		if c == '\n' {
			return raw[:i+1]
		}
	}
	return raw
}

// Authenticate runs AUTHENTICATE with a SASL mechanism (RFC 3501 section
// 6.2.2) and checks the tagged status like Tx. Every client response is
// redacted from the transcript.
func (s *Session) Authenticate(client sasl.Client, want string) *Reply {
	cmd, err := s.Conn.Authenticate(client)
	s.checkGrammar()
	if err != nil && (cmd == nil || !cmd.Done()) {
		s.t.failWire(s, "AUTHENTICATE", err)
	}
	r := &Reply{Command: cmd.Tag + " AUTHENTICATE", Wire: cmd, s: s, Tagged: s.typed(cmd.Tagged)}
	for _, u := range cmd.Untagged {
		r.Untagged = append(r.Untagged, s.typed(u))
	}
	if want != "" {
		s.expectStatus(r, want)
	}
	s.capsOK = false
	return r
}

// ExpectContinuation reads the next response and fails the case unless it
// is a continuation request ("+ ..."). Untagged responses before it are
// skipped; a tagged response instead of it is a mismatch.
func (s *Session) ExpectContinuation(context string) *grammar.Response {
	for {
		r := s.ReadResponse()
		switch r.Kind {
		case grammar.Continuation:
			return r
		case grammar.Tagged:
			s.t.Mismatch([]string{"a continuation request (+)"}, show(r), "%s: expected a continuation request", context)
		}
	}
}

// UpgradeTLS negotiates TLS after a STARTTLS OK the case read itself (for
// example with WriteRaw and WaitTag) and returns the driver's error, which
// the case judges: a *wire.ProtocolError when the server sent plaintext
// after the OK, an I/O error when the negotiation failed.
func (s *Session) UpgradeTLS() error {
	err := s.Conn.UpgradeTLS()
	if err == nil {
		s.capsOK = false
	}
	return err
}
