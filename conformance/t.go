package conformance

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/fnv"
	"strings"
	"sync"

	"github.com/onsi/gomega"

	"github.com/imapgauge/imapgauge/conformance/wire"
	"github.com/imapgauge/imapgauge/reports"
)

// failKind says how a failure is classified.
type failKind int

const (
	// kindCheck: the case's own expectation was broken: FAIL for MUST,
	// WARN for SHOULD and MAY.
	kindCheck failKind = iota
	// kindViolation: the server broke the protocol itself (grammar, framing):
	// FAIL whatever the case's level.
	kindViolation
	// kindError: the case could not run (connection, timeout, setup): ERROR.
	kindError
	// kindSkip: the case does not apply to the target: SKIP.
	kindSkip
)

// failure is what ended a case early.
type failure struct {
	kind     failKind
	expected []string
	actual   string
	message  string
}

// abort is the panic value that unwinds a case after a failure or a skip.
type abort struct{}

// T is the handle a case's Run function gets: it opens sessions, creates
// private mailboxes, and fails or skips the case. Its embedded Gomega
// reports failed expectations against the case:
//
//	t.Expect(reply).To(conformance.HaveCode("TRYCREATE"))
//
// The first failure ends the case. T is not safe for concurrent use.
type T struct {
	gomega.Gomega

	ctx context.Context
	env *Env
	c   *Case

	mu          sync.Mutex // guards sessions and transcripts for closeAll
	sessions    []*Session
	transcripts []*wire.Transcript
	nconn       int
	cleanups    []func()
	mailboxes   int
	nonce       string
	setup       int // > 0 while a fixture runs: failures are errors
	result      *failure
	closed      bool
}

func newT(ctx context.Context, env *Env, c *Case) *T {
	t := &T{ctx: ctx, env: env, c: c}
	t.Gomega = gomega.NewGomega(func(message string, _ ...int) {
		expected, actual, msg := splitMatcherMessage(message)
		t.fail(failure{kind: kindCheck, expected: expected, actual: actual, message: msg})
	})
	return t
}

// Context is cancelled when the case must stop (its time is up or the run
// was interrupted); every connection of the case is closed then.
func (t *T) Context() context.Context { return t.ctx }

// Case is the case being run.
func (t *T) Case() *Case { return t.c }

// Target is the server being checked.
func (t *T) Target() *Target { return &t.env.Target }

// Profile is what the preliminary probe learned about the target; nil when
// the run did not probe.
func (t *T) Profile() *Profile { return t.env.Profile }

// User returns the i-th configured user (0 or 1).
func (t *T) User(i int) User {
	if i < 0 || i >= len(t.env.Users) {
		t.fail(failure{kind: kindError, message: fmt.Sprintf("the case needs user %d, but %d users are configured", i+1, len(t.env.Users))})
	}
	return t.env.Users[i]
}

// Failf fails the case: FAIL for a MUST case, WARN for SHOULD and MAY.
func (t *T) Failf(format string, args ...any) {
	t.fail(failure{kind: kindCheck, message: fmt.Sprintf(format, args...)})
}

// Mismatch fails the case with what was expected (every acceptable
// outcome) and what actually came.
// Raw protocol text in actual is shown escaped, without its line ending.
func (t *T) Mismatch(expected []string, actual string, format string, args ...any) {
	t.fail(failure{kind: kindCheck, expected: expected, actual: reports.EscapeText(firstLine([]byte(actual))), message: fmt.Sprintf(format, args...)})
}

// Skipf ends the case as SKIP: it does not apply to this target.
func (t *T) Skipf(format string, args ...any) {
	t.fail(failure{kind: kindSkip, message: fmt.Sprintf(format, args...)})
}

// Errorf ends the case as ERROR: it could not be run.
func (t *T) Errorf(format string, args ...any) {
	t.fail(failure{kind: kindError, message: fmt.Sprintf(format, args...)})
}

// Cleanup registers f to run when the case ends, after the check, in
// reverse order of registration. Failures inside f do not change the
// outcome.
func (t *T) Cleanup(f func()) { t.cleanups = append(t.cleanups, f) }

// Setup runs f as a fixture: a failed expectation inside it means the
// case could not be set up, so the outcome is ERROR rather than FAIL.
// Protocol and grammar violations still FAIL.
func (t *T) Setup(f func()) {
	t.setup++
	defer func() { t.setup-- }()
	f()
}

func (t *T) fail(f failure) {
	if f.kind == kindCheck && t.setup > 0 {
		f.kind = kindError
		f.message = "setup failed: " + f.message
	}
	if t.result == nil {
		t.result = &f
	}
	panic(abort{})
}

// failWire classifies an error from the wire driver: a protocol violation
// fails the case, anything else (timeout, refused, reset) is an error.
func (t *T) failWire(s *Session, what string, err error) {
	var pe *wire.ProtocolError
	if errors.As(err, &pe) {
		actual := ""
		if len(pe.Raw) > 0 {
			actual = reports.EscapeText(pe.Raw)
		}
		t.fail(failure{kind: kindViolation, expected: []string{"a well-formed response (RFC 3501 sections 2.2 and 9)"}, actual: actual,
			message: fmt.Sprintf("%s on %s: %v", what, s.name, err)})
	}
	t.fail(failure{kind: kindError, message: fmt.Sprintf("%s on %s: %v", what, s.name, err)})
}

// Mailbox creates a mailbox private to this case for user i and returns
// its name; it is deleted when the case ends. The name is unique to the
// run and the case, so parallel cases never meet.
func (t *T) Mailbox(user int) string {
	t.mailboxes++
	if t.nonce == "" {
		// Unique to this execution of the case: the same case may run
		// more than once at a time (negative controls, repeated runs).
		b := make([]byte, 4)
		_, _ = rand.Read(b)
		t.nonce = hex.EncodeToString(b)
	}
	h := fnv.New32a()
	h.Write([]byte(t.c.ID()))
	name := fmt.Sprintf("imapgauge-%s-%08x-%s-%d", t.env.RunID, h.Sum32(), t.nonce, t.mailboxes)
	t.Setup(func() {
		s := t.login(user, "setup")
		s.createUnique(name)
		s.logoutQuietly()
	})
	t.Cleanup(func() {
		s := t.login(user, "cleanup")
		s.Cmd("OK|NO", "DELETE", wire.Astring(name))
		s.logoutQuietly()
	})
	return name
}

// NamedMailbox creates name for user i as a fixture and deletes it when
// the case ends, before the mailboxes created earlier: an inferior of a
// private mailbox (t.Mailbox(0)+"/child"), or a sibling with a name the
// case needs. The name must be unique to this execution of the case, as
// names built from t.Mailbox are.
func (t *T) NamedMailbox(user int, name string) string {
	t.Setup(func() {
		s := t.login(user, "setup")
		s.createUnique(name)
		s.logoutQuietly()
	})
	t.Cleanup(func() {
		s := t.login(user, "cleanup")
		s.Cmd("OK|NO", "DELETE", wire.Astring(name))
		s.logoutQuietly()
	})
	return name
}

// createUnique creates name, a mailbox name unique to this execution of the
// case (RFC 3501 section 6.3.3). Some servers answer NO to a CREATE they
// carried out: Dovecot 2.3 says [ALREADYEXISTS] when another session of the
// user lists the mailboxes at that moment. As nothing else can have used
// the name, a selectable mailbox that LIST then shows under it is the one
// just created, and the fixture goes on; the transcript says so.
func (s *Session) createUnique(name string) {
	r := s.Cmd("OK|NO", "CREATE", wire.Astring(name))
	if r.Status() == "OK" {
		return
	}
	l := s.Cmd("OK", "LIST", wire.Quoted(""), wire.Astring(name))
	for _, u := range l.All("LIST") {
		if u.List.Mailbox == name && !u.List.HasAttribute(`\Noselect`) {
			s.Conn.Transcript().Notef("CREATE %s answered NO, but the mailbox exists: it was created", name)
			return
		}
	}
	s.expectStatus(r, "OK")
}

// Append adds message to mailbox as user i, with the given flags, as a
// fixture (RFC 3501 section 6.3.11); a failure is a setup error.
func (t *T) Append(user int, mailbox string, message []byte, flags ...string) {
	t.Setup(func() {
		s := t.login(user, "setup")
		args := []wire.Arg{wire.Astring(mailbox)}
		if len(flags) > 0 {
			list := make([]wire.Arg, len(flags))
			for i, f := range flags {
				list[i] = wire.Atom(f)
			}
			args = append(args, wire.List(list...))
		}
		args = append(args, wire.Literal(message))
		s.Cmd("OK", "APPEND", args...)
		s.logoutQuietly()
	})
}

// closeAll closes every connection of the case; it is called from another
// goroutine when the case's context ends.
func (t *T) closeAll() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.closed = true
	for _, s := range t.sessions {
		s.Conn.Close()
	}
}

// finish runs the cleanups and logs every session out, bounded by the
// timeouts of the connections.
func (t *T) finish() {
	for i := len(t.cleanups) - 1; i >= 0; i-- {
		func() {
			defer func() {
				if r := recover(); r != nil {
					if _, ok := r.(abort); !ok {
						panic(r)
					}
				}
			}()
			saved := t.result
			t.result = nil
			defer func() { t.result = saved }()
			t.cleanups[i]()
		}()
	}
	t.mu.Lock()
	sessions := append([]*Session(nil), t.sessions...)
	t.mu.Unlock()
	for _, s := range sessions {
		if t.result == nil {
			s.logoutQuietly()
		} else {
			// After a failure the conversation may be anywhere (inside an
			// exchange, expecting TLS): just close.
			s.ended = true
			s.Conn.Close()
		}
	}
}

// splitMatcherMessage separates the "Expected:" and "Actual:" parts that
// this package's matchers put in their failure messages; other messages
// are kept whole.
func splitMatcherMessage(m string) (expected []string, actual, message string) {
	const exp, act = "Expected: ", "\nActual: "
	rest, ok := strings.CutPrefix(m, exp)
	if !ok {
		return nil, "", m
	}
	e, a, ok := strings.Cut(rest, act)
	if !ok {
		return nil, "", m
	}
	a, msg, _ := strings.Cut(a, "\n")
	return strings.Split(e, " | "), a, strings.TrimSpace(msg)
}
