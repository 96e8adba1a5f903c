package conformance

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/imapgauge/imapgauge/reports"
)

// txCase is a case that logs in and sends one command expecting OK.
func txCase(name string, level Level, command string) Case {
	return Case{Name: name, Level: level, Sentence: "The server answers " + command + ".", Run: func(t *T) {
		t.Login(0).Tx("OK", command)
	}}
}

// misbehaving are the cases the adversarial tests run against the fake
// server, with the outcome each must get and a word its message must
// contain. The per-step timeout of the fake's environment is 1s.
var misbehaving = []struct {
	c       Case
	outcome reports.Outcome
	message string
}{
	{txCase("healthy-noop", Must, "NOOP"), reports.Pass, ""},
	{txCase("wrong-tag", Must, "X-WRONGTAG"), reports.Fail, "no command with that tag"},
	{txCase("bare-lf", Must, "X-BARELF"), reports.Fail, "bare LF"},
	{txCase("garbage-line", Must, "X-GARBAGE"), reports.Fail, "imap response syntax"},
	{txCase("grammar-violation", Should, "X-BADSYNTAX"), reports.Fail, "imap response syntax"},
	{txCase("invalid-data", Must, "X-RECENTFLAGS"), reports.Fail, "imap response invalid"},
	{txCase("dropped-connection", Must, "X-DROP"), reports.Error, "EOF"},
	{txCase("never-answers", Must, "X-HANG"), reports.Error, "no complete response within"},
	{txCase("should-broken", Should, "X-UNKNOWN"), reports.Warn, "expected tagged OK, got BAD"},
	{txCase("must-broken", Must, "X-UNKNOWN"), reports.Fail, "expected tagged OK, got BAD"},
	{Case{Name: "setup-broken", Level: Must, Sentence: "s", Run: func(t *T) {
		s := t.Login(0)
		t.Setup(func() { s.Tx("OK", "X-UNKNOWN") })
	}}, reports.Error, "setup failed"},
	{Case{Name: "panics", Level: Must, Sentence: "s", Run: func(t *T) {
		var m map[string]int
		m["x"] = 1
	}}, reports.Error, "panicked"},
	{Case{Name: "skips", Level: Must, Sentence: "s", Run: func(t *T) {
		t.Dial().Require("X-NOT-ADVERTISED")
	}}, reports.Skip, "does not advertise X-NOT-ADVERTISED"},
}

func misbehavingCases(t *testing.T) []Case {
	t.Helper()
	s := Section{Suite: "engine", Number: "1", Title: "Engine"}
	for _, m := range misbehaving {
		s.Cases = append(s.Cases, m.c)
	}
	cases, err := Flatten(s)
	if err != nil {
		t.Fatal(err)
	}
	return cases
}

// checkMisbehaving checks one result against the misbehaving table.
func checkMisbehaving(t *testing.T, rc reports.Case) {
	t.Helper()
	for _, m := range misbehaving {
		if "engine/1/"+m.c.Name != rc.ID {
			continue
		}
		if rc.Outcome != m.outcome || !strings.Contains(rc.Message, m.message) {
			t.Errorf("%s: %s %q, want %s with %q", rc.ID, rc.Outcome, rc.Message, m.outcome, m.message)
		}
		// A case that stops before connecting has nothing to show.
		if rc.Outcome != reports.Pass && m.c.Name != "panics" && len(rc.Transcripts) == 0 {
			t.Errorf("%s: %s without transcripts", rc.ID, rc.Outcome)
		}
		if rc.Outcome == reports.Pass && len(rc.Transcripts) != 0 {
			t.Errorf("%s: transcripts kept for a PASS", rc.ID)
		}
		if rc.Duration > 5*time.Second {
			t.Errorf("%s took %v: timeouts are 1s", rc.ID, rc.Duration)
		}
		return
	}
	t.Errorf("unexpected result %s", rc.ID)
}

// TestMisbehavingServer runs each case alone against the fake server: a
// wrong tag, a bare LF, a garbage line or a grammar violation FAIL the
// case; a dropped connection or a server that never answers is an ERROR;
// every non-PASS has its transcript; nothing waits longer than its timeout.
func TestMisbehavingServer(t *testing.T) {
	f := startFake(t)
	env := f.env(t)
	for _, c := range misbehavingCases(t) {
		checkMisbehaving(t, RunCase(context.Background(), env, &c))
	}
}

// TestRunAsGinkgoSuite runs the same cases through the Ginkgo runner: the
// whole run ends within the timeouts with the same outcomes, each case
// once, in catalog order.
func TestRunAsGinkgoSuite(t *testing.T) {
	f := startFake(t)
	env := f.env(t)
	cases := misbehavingCases(t)
	var started, reported int
	start := time.Now()
	results, err := Run(context.Background(), cases, RunConfig{
		Env:      env,
		OnStart:  func(n int) { started = n },
		OnResult: func(reports.Case) { reported++ },
	})
	if errors.Is(err, ErrSuiteRan) {
		t.Skip("the Ginkgo suite runs once per process (go test -count > 1)")
	}
	if err != nil {
		t.Fatal(err)
	}
	if elapsed := time.Since(start); elapsed > 20*time.Second {
		t.Errorf("the run took %v", elapsed)
	}
	if started != len(cases) || reported != len(cases) || len(results) != len(cases) {
		t.Errorf("started %d, reported %d, results %d, for %d cases", started, reported, len(results), len(cases))
	}
	for i, rc := range results {
		if rc.ID != cases[i].ID() {
			t.Errorf("result %d is %s, want %s (catalog order)", i, rc.ID, cases[i].ID())
		}
		checkMisbehaving(t, rc)
	}
}

// TestSecretsNeverReported: a server that echoes the LOGIN line back must
// not make the password appear in the result's message, Actual or
// transcripts.
func TestSecretsNeverReported(t *testing.T) {
	f := startFake(t)
	env := f.env(t)
	cases, err := Flatten(Section{Suite: "engine", Number: "1", Cases: []Case{{
		Name: "echo", Level: Must, Sentence: "s", Run: func(t *T) {
			s := t.Dial()
			s.Tx("OK", "X-ECHO LOGIN fake-one pw-one-secret")
		},
	}}})
	if err != nil {
		t.Fatal(err)
	}
	rc := RunCase(context.Background(), env, &cases[0])
	if rc.Outcome != reports.Fail {
		t.Fatalf("outcome %s: %s", rc.Outcome, rc.Message)
	}
	data, err := reports.Marshal(&reports.Result{Kind: reports.KindConformance, Conformance: &reports.Conformance{Cases: []reports.Case{rc}}})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(data), "pw-one-secret") {
		t.Fatalf("the password leaked into the result:\n%s", data)
	}
	if !strings.Contains(string(data), "[redacted]") {
		t.Fatalf("no redaction marker in the result:\n%s", data)
	}
}

// TestCaseTimeout: a case that never ends on its own is stopped at its
// time limit, its connections closed, and reported as ERROR.
func TestCaseTimeout(t *testing.T) {
	f := startFake(t)
	env := f.env(t)
	env.CaseTimeout = 400 * time.Millisecond
	cases, err := Flatten(Section{Suite: "engine", Number: "1", Cases: []Case{{
		Name: "endless", Level: Must, Sentence: "s", Run: func(t *T) {
			s := t.Login(0)
			for {
				s.Tx("OK", "NOOP")
			}
		},
	}}})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	rc := RunCase(context.Background(), env, &cases[0])
	if rc.Outcome != reports.Error || !strings.Contains(rc.Message, "did not finish within") {
		t.Fatalf("%s: %s", rc.Outcome, rc.Message)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("stopped after %v", d)
	}
}

// TestNeedsSkipBeforeConnecting: a case needing a capability the probe did
// not see is SKIP without opening a connection.
func TestNeedsSkipBeforeConnecting(t *testing.T) {
	f := startFake(t)
	env := f.env(t)
	profile, err := Probe(context.Background(), env.Target, env.Users, env.Timeout)
	if err != nil {
		t.Fatal(err)
	}
	env.Profile = profile
	if !profile.Has("auth=plain") || profile.Has("STARTTLS") {
		t.Fatalf("profile %+v", profile)
	}
	cases, err := Flatten(Section{Suite: "engine", Number: "1", Cases: []Case{{
		Name: "needs-starttls", Level: Must, Sentence: "s", Needs: []string{"STARTTLS"},
		Run: func(t *T) { t.Errorf("must not run") },
	}}})
	if err != nil {
		t.Fatal(err)
	}
	rc := RunCase(context.Background(), env, &cases[0])
	if rc.Outcome != reports.Skip || len(rc.Transcripts) != 0 {
		t.Fatalf("%s %q with %d transcripts", rc.Outcome, rc.Message, len(rc.Transcripts))
	}
}

func TestProbeErrors(t *testing.T) {
	f := startFake(t)
	env := f.env(t)
	_, err := Probe(context.Background(), env.Target, []User{{Name: "fake-one", Password: "guessed-pw-77"}}, time.Second)
	var se *SetupError
	if !errors.As(err, &se) || !strings.Contains(err.Error(), "fake-one cannot log in") || strings.Contains(err.Error(), "guessed-pw-77") {
		t.Fatalf("bad credentials: %v", err)
	}
	closed := env.Target
	closed.Addr = "127.0.0.1:1"
	if _, err := Probe(context.Background(), closed, env.Users, time.Second); !IsUnreachable(err) {
		t.Fatalf("closed port: %v", err)
	}
}

// TestMailboxFixture checks T.Mailbox and T.NamedMailbox against servers that answer CREATE
// oddly: a NO for a mailbox that was created anyway (Dovecot under
// concurrent LIST) leaves a usable fixture; a real refusal is an ERROR.
func TestMailboxFixture(t *testing.T) {
	f := startFake(t)
	c := Case{Name: "mailbox", Level: Must, Sentence: "s", Run: func(t *T) {
		t.NamedMailbox(0, t.Mailbox(0)+"/child")
	}}
	cases, err := Flatten(Section{Suite: "engine", Number: "1", Cases: []Case{c}})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		runID   string
		outcome reports.Outcome
		message string
	}{
		{"plain", reports.Pass, ""},
		{"racy", reports.Pass, ""},
		{"refused", reports.Error, "setup failed"},
	} {
		env := f.env(t)
		env.RunID = tc.runID
		rc := RunCase(context.Background(), env, &cases[0])
		if rc.Outcome != tc.outcome || !strings.Contains(rc.Message, tc.message) {
			t.Errorf("CREATE of imapgauge-%s-...: %s %q, want %s with %q", tc.runID, rc.Outcome, rc.Message, tc.outcome, tc.message)
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.boxes) != 0 {
		t.Errorf("mailboxes left behind: %v", f.boxes)
	}
}
