package load

import (
	"context"
	"strings"
	"testing"

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
	addr := startMemServer(t, 3)
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
