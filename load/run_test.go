package load

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/imapgauge/imapgauge/reports"
)

func runLoad(t *testing.T, cfg Config) *reports.Result {
	t.Helper()
	r, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := r.Init(ctx); err != nil {
		t.Fatalf("init: %v", err)
	}
	if err := r.Run(ctx); err != nil {
		t.Logf("run: %v", err)
	}
	return r.Result()
}

func TestRunAgainstCorrectServerHasNoViolations(t *testing.T) {
	addr := startRefServer(t, 3)
	w := testWorkload()
	res := runLoad(t, Config{Target: Target{URL: "imap://" + addr, Addr: addr, Security: Plain}, Workload: w,
		Credentials: "u%d:" + testPassword, Seed: 7})
	l := res.Load
	var b strings.Builder
	_ = reports.WriteText(&b, res, reports.TextOptions{InlineTranscripts: true, MaxFailures: 5})
	t.Log(b.String())
	if l.ViolationCount != 0 {
		t.Fatalf("%d violations against a correct server", l.ViolationCount)
	}
}

// TestKilledTargetEndsTheRun stops the server in the middle of a run: the run
// must end by itself soon after (not at its planned end), marked interrupted,
// with the unreachable exit code and the figures gathered so far.
func TestKilledTargetEndsTheRun(t *testing.T) {
	addr, stop := startStoppableMemServer(t, 2)
	w := testWorkload()
	w.Users = 2
	w.Duration = time.Minute
	r, err := New(Config{Target: Target{URL: "imap://" + addr, Addr: addr, Security: Plain}, Workload: w,
		Credentials: "u%d:" + testPassword, Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Init(context.Background()); err != nil {
		t.Fatal(err)
	}
	time.AfterFunc(1500*time.Millisecond, stop)
	start := time.Now()
	err = r.Run(context.Background())
	took := time.Since(start)
	var ue *UnreachableError
	if !errors.As(err, &ue) {
		t.Fatalf("Run returned %v, want *UnreachableError", err)
	}
	if took > 15*time.Second {
		t.Fatalf("the run took %s after the target died; it should end within its timeouts", took)
	}
	res := r.Result()
	if res.State != reports.StateInterrupted || res.Verdict.ExitCode != reports.ExitUnreachable {
		t.Fatalf("state %s, exit %d; want interrupted, exit %d", res.State, res.Verdict.ExitCode, reports.ExitUnreachable)
	}
	if all := res.Load.AllCommands(); all.Total() == 0 {
		t.Fatal("the partial result has no commands")
	}
	t.Logf("ended %s after start: %s", took.Round(time.Millisecond), res.Verdict.Reasons)
}

// TestUnreachableTarget: nothing listens.
func TestUnreachableTarget(t *testing.T) {
	r, err := New(Config{Target: Target{URL: "imap://127.0.0.1:1", Addr: "127.0.0.1:1", Security: Plain},
		Workload: testWorkload(), Credentials: "u%d:pw", Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	var ue *UnreachableError
	if err := r.Init(context.Background()); !errors.As(err, &ue) {
		t.Fatalf("Init = %v, want *UnreachableError", err)
	}
}
