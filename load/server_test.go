package load

import (
	"fmt"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"

	referenceserver "github.com/imapgauge/imapgauge/reference-server"
)

// testPassword is the password of every test user.
const testPassword = "pw-%d"

// startMemServer serves users "u1".."uN" (password "pw-N") from go-imap's
// in-memory server on a random local port, with IDLE and UIDPLUS. MOVE is
// left out: that server announces a moved message's EXPUNGE twice, which the
// checks rightly report.
func startMemServer(t testing.TB, users int) string {
	t.Helper()
	addr, stop := startStoppableMemServer(t, users)
	t.Cleanup(stop)
	return addr
}

// startStoppableMemServer is startMemServer with a function that stops the
// server and closes every connection, as a crashed server would.
func startStoppableMemServer(t testing.TB, users int) (string, func()) {
	t.Helper()
	mem := imapmemserver.New()
	for i := 1; i <= users; i++ {
		u := imapmemserver.NewUser(fmt.Sprintf("u%d", i), fmt.Sprintf(testPassword, i))
		if err := u.Create("INBOX", nil); err != nil {
			t.Fatal(err)
		}
		mem.AddUser(u)
	}
	srv := imapserver.New(&imapserver.Options{
		NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			return mem.NewSession(), nil, nil
		},
		Caps:         imap.CapSet{imap.CapIMAP4rev1: {}, imap.CapUIDPlus: {}},
		InsecureAuth: true,
		Logger:       quietLogger{},
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	var once sync.Once
	return ln.Addr().String(), func() { once.Do(func() { srv.Close() }) }
}

type quietLogger struct{}

func (quietLogger) Printf(string, ...any) {}

// testWorkload is a small, busy profile for tests: every device kind, every
// action, deliveries, checkpoints.
func testWorkload() *Workload {
	return &Workload{
		Name: "test", Users: 3, Duration: 5 * time.Second, RampUp: 500 * time.Millisecond, TimeScale: 600,
		Mailbox: MailboxSpec{InitialMessages: 8, Archive: "Archive", Trash: "Trash", Sent: "Sent"},
		Delivery: DeliverySpec{PerUserPerHour: 60, SizeMedian: 4 << 10, SizeSigma: 1, SizeMin: 600, SizeMax: 256 << 10,
			AttachmentShare: 0.3},
		Actions: ActionSpec{PerUserPerHour: 60, Mix: map[ActionKind]float64{Read: 3, Flag: 2, Delete: 1, Move: 1, Reply: 1},
			ThinkMin: time.Second, ThinkMax: 10 * time.Second},
		Devices: []DeviceSpec{
			{Kind: Desktop, Share: 1, Count: 1, ActionWeight: 3, Jitter: 0.2, SweepEvery: 10 * time.Minute, IdleRenew: 25 * time.Minute, PollEvery: 2 * time.Minute},
			{Kind: Laptop, Share: 1, Count: 1, ActionWeight: 1, Jitter: 0.2, PollEvery: 5 * time.Minute, SleepEvery: 20 * time.Minute, SleepFor: 5 * time.Minute},
			{Kind: Phone, Share: 1, Count: 1, ActionWeight: 1, Jitter: 0.2, Mode: PhoneFetch, SessionEvery: 10 * time.Minute},
			{Kind: Webmail, Share: 1, Count: 1, ActionWeight: 1, SessionEvery: 15 * time.Minute, PageSize: 20},
		},
		Checks: CheckSpec{NotifyWithin: 3 * time.Second, ExpungeGrace: 500 * time.Millisecond, CheckpointEvery: 15 * time.Minute},
	}
}

// startRefServer serves users "u1".."uN" (password "pw-N") from the reference
// server on a random local port: the target of the tests that expect a
// correct server. (go-imap's in-memory server can list fewer messages than it
// announced when an expunge and a delivery for a session are both pending,
// which the checks rightly report.)
func startRefServer(t testing.TB, users int) string {
	t.Helper()
	var opts referenceserver.Options
	for i := 1; i <= users; i++ {
		opts.Users = append(opts.Users, referenceserver.User{Name: fmt.Sprintf("u%d", i), Password: fmt.Sprintf(testPassword, i)})
	}
	srv, err := referenceserver.Start(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv.Addr()
}
