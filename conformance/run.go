package conformance

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"github.com/imapgauge/imapgauge/conformance/grammar"
	"github.com/imapgauge/imapgauge/conformance/wire"
	"github.com/imapgauge/imapgauge/reports"
)

// Env is what every case of a run shares: the target, the users, the
// timeouts, and what the probe learned.
type Env struct {
	Target Target
	// Users are the accounts cases log in with; cases use two.
	Users []User
	// Timeout bounds each step of a session: connecting, the TLS
	// handshake, each command's complete answer. Zero means
	// wire.DefaultTimeout.
	Timeout time.Duration
	// CaseTimeout bounds a whole case, cleanup included. Zero means 20
	// times Timeout.
	CaseTimeout time.Duration
	// Profile is what Probe learned about the target; nil means unknown,
	// and then Needs are left to the cases' own checks.
	Profile *Profile
	// RunID makes the names of private mailboxes unique to the run.
	RunID string
}

func (e *Env) timeout() time.Duration {
	if e.Timeout <= 0 {
		return wire.DefaultTimeout
	}
	return e.Timeout
}

func (e *Env) caseTimeout() time.Duration {
	if e.CaseTimeout <= 0 {
		return 20 * e.timeout()
	}
	return e.CaseTimeout
}

// redact removes every user's password from text meant for reports.
func (e *Env) redact(s string) string {
	for _, u := range e.Users {
		if u.Password != "" {
			s = strings.ReplaceAll(s, u.Password, "[redacted]")
		}
	}
	return s
}

// Profile is what the target advertises, learned once per run by Probe.
type Profile struct {
	// Greeting is the greeting line.
	Greeting string
	// Capabilities are listed before authentication, in the target's
	// security mode (after STARTTLS for a STARTTLS target).
	Capabilities []string
	// PlaintextCapabilities are listed on a plaintext connection before
	// STARTTLS; empty for an implicit-TLS target.
	PlaintextCapabilities []string
	// AuthenticatedCapabilities are listed after LOGIN.
	AuthenticatedCapabilities []string
}

// Has reports whether the target lists the capability at any stage.
func (p *Profile) Has(name string) bool {
	for _, list := range [][]string{p.Capabilities, p.PlaintextCapabilities, p.AuthenticatedCapabilities} {
		if slices.ContainsFunc(list, func(c string) bool { return strings.EqualFold(c, name) }) {
			return true
		}
	}
	return false
}

// RunCase runs one case against env and returns its result; it never
// panics and returns within env's case timeout. Known failures are not
// applied: the outcome is PASS, FAIL, WARN, SKIP or ERROR. Transcripts are
// attached to every result but PASS.
func RunCase(ctx context.Context, env *Env, c *Case) reports.Case {
	start := time.Now()
	rc := reports.Case{
		ID:       c.ID(),
		Title:    c.Title,
		Section:  c.section,
		Level:    c.Level,
		Labels:   c.Labels(),
		Sentence: c.Sentence,
	}
	if rc.Title == "" {
		rc.Title = c.sectionTitle
	}
	if env.Profile != nil {
		for _, need := range c.Needs {
			if !env.Profile.Has(need) {
				rc.Outcome = reports.Skip
				rc.Message = fmt.Sprintf("the server does not advertise %s", need)
				return rc
			}
		}
	}
	ctx, cancel := context.WithTimeout(ctx, env.caseTimeout())
	defer cancel()
	t := newT(ctx, env, c)
	stop := context.AfterFunc(ctx, t.closeAll)
	defer stop()

	t.runBody()
	t.finish()

	rc.Duration = time.Since(start)
	f := t.result
	switch {
	case f == nil:
		rc.Outcome = reports.Pass
	case f.kind == kindSkip:
		rc.Outcome = reports.Skip
	case f.kind == kindError:
		rc.Outcome = reports.Error
	case f.kind == kindViolation || c.Level == Must:
		rc.Outcome = reports.Fail
	default:
		rc.Outcome = reports.Warn
	}
	if f != nil {
		rc.Expected = f.expected
		rc.Actual = env.redact(f.actual)
		rc.Message = env.redact(f.message)
		if f.kind == kindError {
			switch {
			case errors.Is(ctx.Err(), context.DeadlineExceeded):
				rc.Message = fmt.Sprintf("the case did not finish within %v: %s", env.caseTimeout(), rc.Message)
			case ctx.Err() != nil:
				rc.Message = "the run was interrupted during the case: " + rc.Message
			}
		}
		for i := range rc.Expected {
			rc.Expected[i] = env.redact(rc.Expected[i])
		}
	}
	if rc.Outcome != reports.Pass {
		rc.Transcripts = t.reportTranscripts()
	}
	return rc
}

// runBody runs the case's function, turning the abort panic of a failure
// into a result and any other panic into an ERROR.
func (t *T) runBody() {
	defer func() {
		r := recover()
		if r == nil {
			return
		}
		if _, ok := r.(abort); ok {
			return
		}
		if t.result == nil {
			t.result = &failure{kind: kindError, message: fmt.Sprintf("the case panicked: %v\n%s", r, debug.Stack())}
		}
	}()
	t.c.Run(t)
}

// reportTranscripts converts the case's transcripts for reports.
func (t *T) reportTranscripts() []reports.Transcript {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make([]reports.Transcript, 0, len(t.transcripts))
	for _, tr := range t.transcripts {
		out = append(out, ReportTranscript(tr))
	}
	return out
}

// ReportTranscript converts a wire transcript to its report form.
func ReportTranscript(tr *wire.Transcript) reports.Transcript {
	rt := reports.Transcript{Connection: tr.Name, Started: tr.Start().UTC(), Truncated: tr.Truncated()}
	for _, e := range tr.Events() {
		entry := reports.Entry{Offset: e.Offset, Text: reports.EscapeText(e.Data)}
		switch e.Dir {
		case wire.Client:
			entry.Direction = reports.Client
		case wire.Server:
			entry.Direction = reports.Server
		default:
			entry.Direction = reports.Event
		}
		if e.Partial {
			entry.Text += " [no line end]"
		}
		rt.Entries = append(rt.Entries, entry)
	}
	return rt
}

// UnreachableError says the target could not be reached at all: refused,
// timed out, TLS failed, or no greeting.
type UnreachableError struct{ Err error }

func (e *UnreachableError) Error() string { return "target unreachable: " + e.Err.Error() }
func (e *UnreachableError) Unwrap() error { return e.Err }

// SetupError says the target was reached but cannot be checked as
// configured: STARTTLS refused, LOGIN disabled, a user's credentials
// rejected.
type SetupError struct{ Msg string }

func (e *SetupError) Error() string { return e.Msg }

// Probe connects to the target once before a run: it checks that it is
// reachable (*UnreachableError otherwise), that every user can log in in
// the target's security mode (*SetupError otherwise), and learns the
// capabilities the server lists at each stage.
func Probe(ctx context.Context, target Target, users []User, timeout time.Duration) (*Profile, error) {
	p := &Profile{}
	dial := func() (*wire.Conn, error) {
		tr := wire.NewTranscript("probe")
		for _, u := range users {
			tr.AddSecret([]byte(u.Password))
		}
		c, err := wire.Dial(ctx, target.Addr, wire.Options{
			Timeout:     timeout,
			ImplicitTLS: target.Security == ImplicitTLS,
			TLSConfig:   target.TLSConfig(),
			Transcript:  tr,
		})
		if err != nil {
			return nil, &UnreachableError{Err: err}
		}
		g, err := c.ReadGreeting()
		if err != nil {
			c.Close()
			return nil, &UnreachableError{Err: fmt.Errorf("no greeting: %w", err)}
		}
		p.Greeting = g.Line()
		if g.Status() == "BYE" {
			c.Close()
			return nil, &UnreachableError{Err: fmt.Errorf("the server refused the connection: %s", g.Line())}
		}
		if target.Security == StartTLS {
			p.PlaintextCapabilities = capabilities(c)
			cmd, err := c.StartTLS()
			if err != nil {
				c.Close()
				if wire.IsProtocolError(err) {
					return nil, &SetupError{Msg: fmt.Sprintf("STARTTLS: %v", err)}
				}
				return nil, &UnreachableError{Err: fmt.Errorf("STARTTLS: %w", err)}
			}
			if cmd.Status() != "OK" {
				c.Close()
				return nil, &SetupError{Msg: "the server refused STARTTLS: " + cmd.Tagged.Line()}
			}
		}
		return c, nil
	}
	for i, u := range users {
		c, err := dial()
		if err != nil {
			return nil, err
		}
		if i == 0 {
			p.Capabilities = capabilities(c)
			if target.Security == Plain {
				p.PlaintextCapabilities = p.Capabilities
			}
			if slices.ContainsFunc(p.Capabilities, func(s string) bool { return strings.EqualFold(s, "LOGINDISABLED") }) {
				c.Close()
				return nil, &SetupError{Msg: "the server advertises LOGINDISABLED on this connection, so sessions cannot log in: use imaps://HOST:PORT or imap://HOST:PORT?starttls=1"}
			}
		}
		cmd, err := c.Do("LOGIN", wire.Astring(u.Name), wire.Secret(u.Password))
		if err != nil {
			c.Close()
			return nil, &UnreachableError{Err: fmt.Errorf("LOGIN: %w", err)}
		}
		if cmd.Status() != "OK" {
			c.Close()
			return nil, &SetupError{Msg: fmt.Sprintf("user %s cannot log in: %s", u.Name, cmd.Tagged.Line())}
		}
		if i == 0 {
			p.AuthenticatedCapabilities = capabilities(c)
		}
		_, _ = c.Do("LOGOUT")
		c.Close()
	}
	if len(users) == 0 {
		c, err := dial()
		if err != nil {
			return nil, err
		}
		p.Capabilities = capabilities(c)
		if target.Security == Plain {
			p.PlaintextCapabilities = p.Capabilities
		}
		c.Close()
	}
	return p, nil
}

// capabilities asks CAPABILITY and returns the list, parsed leniently: the
// probe learns, the cases judge.
func capabilities(c *wire.Conn) []string {
	cmd, err := c.Do("CAPABILITY")
	if err != nil {
		return nil
	}
	for _, u := range cmd.Untagged {
		if r, err := grammar.Parse(u.Raw); err == nil && r.Name == "CAPABILITY" {
			return r.Capabilities
		}
		fields := strings.Fields(u.Line())
		if len(fields) > 2 && strings.EqualFold(fields[1], "CAPABILITY") {
			return fields[2:]
		}
	}
	return nil
}

// IsUnreachable reports whether err is an *UnreachableError.
func IsUnreachable(err error) bool {
	var ue *UnreachableError
	return errors.As(err, &ue)
}
