package load

import (
	"context"
	"math/rand/v2"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"github.com/imapgauge/imapgauge/load/internal/faultproxy"
	"github.com/imapgauge/imapgauge/reports"
)

// faultWorkload keeps desktops idling long enough for notifications to be
// judged, and has every action and device kind that can observe a fault.
func faultWorkload() *Workload {
	w := testWorkload()
	w.Users = 2
	w.Duration = 4 * time.Second
	w.Delivery.PerUserPerHour = 120
	w.Actions.PerUserPerHour = 120
	w.Actions.Mix = map[ActionKind]float64{Read: 2, Flag: 3, Delete: 3, Move: 1, Reply: 1}
	w.Devices[0].SweepEvery = 15 * time.Minute
	w.Devices[0].ActionWeight = 0
	w.Checks.NotifyWithin = 700 * time.Millisecond
	w.Checks.CheckpointEvery = 10 * time.Minute
	return w
}

// target is a server the fault tests run against: the in-memory Go server
// always, the private Dovecot when IMAPGAUGE_TEST_DOVECOT names it (to
// exercise CONDSTORE).
type testTarget struct {
	name        string
	addr        string
	credentials string
	reset       bool
	flagger     func(t *testing.T, user, pw string) func()
}

func testTargets(t *testing.T, users int) []testTarget {
	addr := startMemServer(t, users)
	out := []testTarget{{name: "memserver", addr: addr, credentials: "u%d:" + testPassword}}
	if dv := os.Getenv("IMAPGAUGE_TEST_DOVECOT"); dv != "" {
		out = append(out, testTarget{name: "dovecot", addr: dv, credentials: "loadfault%d:interop-secret", reset: true})
	}
	return out
}

// rogue changes a flag of a random INBOX message every 200 ms, through its own
// connection straight to the server: a server that changes flags behind the
// devices' backs.
func rogue(t *testing.T, addr, user, pw string) func() {
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		time.Sleep(500 * time.Millisecond)
		c, err := imapclient.DialInsecure(addr, nil)
		if err != nil {
			t.Errorf("rogue: %v", err)
			return
		}
		defer c.Close()
		if err := c.Login(user, pw).Wait(); err != nil {
			t.Errorf("rogue login: %v", err)
			return
		}
		rng := rand.New(rand.NewPCG(1, 2))
		for ctx.Err() == nil {
			data, err := c.Select("INBOX", nil).Wait()
			if err == nil && data.NumMessages > 0 {
				seq := uint32(rng.IntN(int(data.NumMessages))) + 1
				_ = c.Store(imap.SeqSetNum(seq), &imap.StoreFlags{Op: imap.StoreFlagsAdd, Silent: true,
					Flags: []imap.Flag{imap.FlagFlagged, imap.FlagDraft}}, nil).Close()
			}
			select {
			case <-ctx.Done():
			case <-time.After(200 * time.Millisecond):
			}
		}
	}()
	return func() { cancel(); wg.Wait() }
}

// TestChecksCatchFaults runs a short load through a proxy that breaks the
// server in one way, with and without the sync extensions, and expects the
// check made for that fault to fire and the verdict to be exit 100.
func TestChecksCatchFaults(t *testing.T) {
	faults := []struct {
		name   string
		faults faultproxy.Faults
		rogue  bool
		want   []string // any of these checks
		idle   bool     // needs IDLE to be observable
		tweak  func(*Workload)
	}{
		{name: "lost-append", faults: faultproxy.Faults{LoseAppendEvery: 3}, want: []string{checkAppendMissing}},
		{name: "dropped-expunge", faults: faultproxy.Faults{DropExpunge: true}, want: []string{checkExpungeMissed}},
		{name: "no-idle-notification", faults: faultproxy.Faults{DropIdleExists: true}, want: []string{checkNoNotification}, idle: true,
			// Nothing that makes the desktop leave IDLE before the bound
			// (a sibling's change, a checkpoint, a sweep): a delivery to a
			// session that left IDLE is not judged.
			tweak: func(w *Workload) {
				w.Actions.PerUserPerHour = 0
				w.Checks.CheckpointEvery = 0
				w.Devices[0].SweepEvery = time.Hour
			}},
		{name: "wrong-uids", faults: faultproxy.Faults{ShiftUIDs: 7}, want: []string{checkUIDMismatch, checkUIDReuse, checkUIDOrder}},
		{name: "flags-behind-back", rogue: true, want: []string{checkFlagsDiverged, checkCheckpoint}},
	}
	variants := []struct {
		name string
		hide []string
	}{
		{"all-extensions", nil},
		{"no-extensions", []string{"IDLE", "CONDSTORE", "QRESYNC", "MOVE", "UIDPLUS"}},
	}
	// The runs are mostly waiting on the network: run them all at once, then
	// judge each in its own subtest.
	type outcome struct {
		name  string
		want  []string
		res   *reports.Result
		proxy *faultproxy.Proxy
		err   error
	}
	var (
		mu       sync.Mutex
		outcomes []*outcome
		wg       sync.WaitGroup
	)
	for _, tt := range testTargets(t, 2*len(faults)*2) {
		n := 0
		for _, f := range faults {
			for _, v := range variants {
				if f.idle && len(v.hide) > 0 {
					continue // no IDLE, nothing to announce
				}
				n++
				first := n*2 - 1
				o := &outcome{name: tt.name + "/" + f.name + "/" + v.name, want: f.want}
				mu.Lock()
				outcomes = append(outcomes, o)
				mu.Unlock()
				ff := f.faults
				ff.HideCaps = v.hide
				p, err := faultproxy.Start(tt.addr, ff)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { p.Close() })
				o.proxy = p
				w := faultWorkload()
				if f.tweak != nil {
					f.tweak(w)
				}
				// Each case gets its own users.
				cfg := Config{Target: Target{URL: "imap://" + p.Addr(), Addr: p.Addr(), Security: Plain}, Workload: w,
					Credentials: tt.credentials, Seed: int64(first), ResetMailboxes: tt.reset, Users: 2,
					Timeout: 5 * time.Second, userOffset: first - 1}
				var stopRogue func()
				if f.rogue {
					name, pw, _ := Credential(tt.credentials, first)
					stopRogue = rogue(t, tt.addr, name, pw)
				}
				wg.Add(1)
				go func() {
					defer wg.Done()
					if stopRogue != nil {
						defer stopRogue()
					}
					r, err := New(cfg)
					if err == nil {
						err = r.Init(context.Background())
					}
					if err != nil {
						o.err = err
						return
					}
					_ = r.Run(context.Background())
					o.res = r.Result()
				}()
			}
		}
	}
	wg.Wait()
	for _, o := range outcomes {
		t.Run(o.name, func(t *testing.T) {
			if o.err != nil {
				t.Fatal(o.err)
			}
			l := o.res.Load
			found := false
			for _, c := range o.want {
				found = found || l.ViolationsByCheck[c] > 0
			}
			if !found || o.res.Verdict.ExitCode != reports.ExitViolation {
				var b strings.Builder
				_ = reports.WriteText(&b, o.res, reports.TextOptions{MaxFailures: 3, InlineTranscripts: true})
				t.Fatalf("want a %v violation and exit 100, got exit %d, violations %v (lost %d, dropped %d, shifted %d)\n%s",
					o.want, o.res.Verdict.ExitCode, l.ViolationsByCheck, o.proxy.Lost.Load(), o.proxy.Dropped.Load(), o.proxy.Shifted.Load(), b.String())
			}
			t.Logf("caught: %v", l.ViolationsByCheck)
		})
	}
}
