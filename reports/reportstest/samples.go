package reportstest

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/imapgauge/imapgauge/reports"
)

// Start is the fixed start time of every sample result, so that rendered
// output is stable.
var Start = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func header(kind reports.Kind) reports.Result {
	return reports.Result{
		SchemaVersion: reports.SchemaVersion,
		Kind:          kind,
		Tool:          reports.Tool{Name: "imapgauge", Version: "v0.1.0"},
		Target: reports.Target{
			URL:          "imap://127.0.0.1:14143?starttls=1",
			Description:  "Dovecot 2.3",
			Greeting:     "* OK [CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+ STARTTLS AUTH=PLAIN] Dovecot ready.",
			Capabilities: []string{"IMAP4rev1", "SASL-IR", "ID", "ENABLE", "IDLE", "LITERAL+", "STARTTLS", "AUTH=PLAIN"},
		},
		State:    reports.StateFinished,
		Started:  Start,
		Finished: Start.Add(3*time.Second + 250*time.Millisecond),
		Environment: reports.Environment{
			Hostname: "ci-runner-7", OS: "linux", Arch: "amd64", CPUs: 2, GoVersion: "go1.26.8",
			Settings: map[string]string{"timeout": "5s", "procs": "1"},
		},
	}
}

// transcript builds a transcript from alternating "C: ..." / "S: ..." /
// "*: ..." lines, 3 ms apart.
func transcript(conn string, lines ...string) reports.Transcript {
	t := reports.Transcript{Connection: conn, Started: Start}
	for i, l := range lines {
		t.Entries = append(t.Entries, reports.Entry{
			Offset:    time.Duration(i) * 3 * time.Millisecond,
			Direction: reports.Direction(l[:1]),
			Text:      l[3:],
		})
	}
	return t
}

// Conformance returns a small conformance result with every outcome class,
// several RFC sections (including 6.3.10 after 6.3.9), failures with
// transcripts of one and two connections, and characters that need escaping
// in XML, HTML and Markdown.
func Conformance() *reports.Result {
	r := header(reports.KindConformance)
	ms := time.Millisecond
	greeting := "S: * OK [CAPABILITY IMAP4rev1 STARTTLS AUTH=PLAIN] Dovecot ready."
	r.Conformance = &reports.Conformance{
		Suite:         "rfc3501",
		KnownFailures: "scenarios/known-failures/dovecot.yaml",
		Cases: []reports.Case{
			{
				ID: "rfc3501/6.1.1/capability-lists-imap4rev1", Title: "CAPABILITY lists IMAP4rev1",
				Section: "6.1.1", Level: reports.Must, Labels: []string{"rfc3501", "6.1.1", "MUST"},
				Sentence: `The server MUST send a single untagged CAPABILITY response with "IMAP4rev1" as one of the listed capabilities before the (tagged) OK response.`,
				Outcome:  reports.Pass, Expected: []string{"untagged CAPABILITY with IMAP4rev1, then tagged OK"},
				Actual: "* CAPABILITY IMAP4rev1 ... then a1 OK", Duration: 4 * ms,
			},
			{
				ID: "rfc3501/6.1.2/noop-ok", Title: "NOOP answers OK",
				Section: "6.1.2", Level: reports.Must, Labels: []string{"rfc3501", "6.1.2", "MUST"},
				Sentence: "The NOOP command always succeeds.", Outcome: reports.Pass,
				Expected: []string{"tagged OK"}, Actual: "a1 OK NOOP completed", Duration: 3 * ms,
			},
			{
				ID: "rfc3501/6.1.3/logout-bye-before-ok", Title: "LOGOUT sends BYE before the tagged OK",
				Section: "6.1.3", Level: reports.Must, Labels: []string{"rfc3501", "6.1.3", "MUST"},
				Sentence: "The server MUST send a BYE untagged response before the (tagged) OK response, and then close the network connection.",
				Outcome:  reports.Fail, Expected: []string{"* BYE, then tagged OK, then close"},
				Actual:   "tagged OK without a preceding * BYE",
				Message:  "no untagged BYE before a2 OK",
				Duration: 5 * ms,
				Transcripts: []reports.Transcript{transcript("main",
					greeting, "C: a1 CAPABILITY", "S: * CAPABILITY IMAP4rev1 STARTTLS AUTH=PLAIN", "S: a1 OK done",
					"C: a2 LOGOUT", "S: a2 OK LOGOUT completed", "*: closed by peer")},
			},
			{
				ID: "rfc3501/6.2.1/starttls-pipelined-not-executed", Title: "Commands pipelined after STARTTLS are not executed",
				Section: "6.2.1", Level: reports.Must, Labels: []string{"rfc3501", "6.2.1", "MUST", "STARTTLS"},
				Sentence: "Once [TLS] has been started, the client MUST discard cached information about server capabilities.",
				Outcome:  reports.Skip, Message: "the target does not announce STARTTLS", Duration: 1 * ms,
			},
			{
				ID: "rfc3501/6.2.3/login-wrong-password-no", Title: "LOGIN with a wrong password is refused with NO",
				Section: "6.2.3", Level: reports.Must, Labels: []string{"rfc3501", "6.2.3", "MUST"},
				Sentence: "NO - login failure: user name or password rejected",
				Outcome:  reports.Error, Expected: []string{"tagged NO"},
				Actual:   "no response within 5s",
				Message:  "read timeout after 5s waiting for a2",
				Duration: 5*time.Second + 2*ms,
				Transcripts: []reports.Transcript{transcript("main",
					greeting, `C: a2 LOGIN "srv-e1" ***`, "*: read timeout after 5s")},
			},
			{
				ID: "rfc3501/6.2.3/login-bad-syntax", Title: "LOGIN with a missing argument is BAD",
				Section: "6.2.3", Level: reports.Must, Labels: []string{"rfc3501", "6.2.3", "MUST"},
				Sentence: "BAD - command unknown or arguments invalid",
				Outcome:  reports.XFail, Expected: []string{"tagged BAD"}, Actual: "tagged NO",
				KnownFailure: "Dovecot answers NO <Authentication failed> for a missing password",
				Duration:     2 * ms,
				Transcripts: []reports.Transcript{transcript("main",
					greeting, "C: a1 LOGIN alice", "S: a1 NO [AUTHENTICATIONFAILED] Authentication failed.")},
			},
			{
				ID: "rfc3501/6.3.9/lsub-after-subscribe", Title: "LSUB lists a subscribed mailbox",
				Section: "6.3.9", Level: reports.Should, Labels: []string{"rfc3501", "6.3.9", "SHOULD"},
				Sentence: `The server SHOULD NOT unilaterally remove an existing mailbox name from the subscription list even if a mailbox by that name no longer exists.`,
				Outcome:  reports.Warn, Expected: []string{`* LSUB () "/" gone-box`}, Actual: "no LSUB response for gone-box",
				Message: "subscription removed with the mailbox", Duration: 7 * ms,
				Transcripts: []reports.Transcript{
					transcript("main", greeting, "C: a1 LOGIN srv-e1 ***", "S: a1 OK Logged in",
						"C: a2 SUBSCRIBE gone-box", "S: a2 OK Subscribe completed.",
						"C: a3 LSUB \"\" *", "S: a3 OK Lsub completed."),
					transcript("second-session", greeting, "C: b1 LOGIN srv-e1 ***", "S: b1 OK Logged in",
						"C: b2 DELETE gone-box", "S: b2 OK Delete completed."),
				},
			},
			{
				ID: "rfc3501/6.3.10/status-messages", Title: "STATUS MESSAGES counts <messages> & \"quotes\"",
				Section: "6.3.10", Level: reports.Must, Labels: []string{"rfc3501", "6.3.10", "MUST"},
				Sentence: "MESSAGES The number of messages in the mailbox.",
				Outcome:  reports.XPass, Expected: []string{"* STATUS box (MESSAGES 2)"}, Actual: "* STATUS box (MESSAGES 2)",
				KnownFailure: "fixed upstream in 2.3.21 | listed until the CI image updates", Duration: 6 * ms,
				Transcripts: []reports.Transcript{transcript("main", greeting, "C: a4 STATUS box (MESSAGES)",
					"S: * STATUS box (MESSAGES 2)", "S: a4 OK Status completed.")},
			},
			{
				ID: "rfc3501/7.1/greeting-ok-or-preauth", Title: "The greeting is OK, PREAUTH or BYE",
				Section: "7.1", Level: reports.Must, Labels: []string{"rfc3501", "7.1", "MUST"},
				Sentence: "The initial server greeting is one of OK, PREAUTH or BYE.",
				Outcome:  reports.Fail, Expected: []string{"* OK ...", "* PREAUTH ...", "* BYE ..."},
				Actual:      "* HELLO \\xFF",
				Message:     "grammar: greeting: expected \"OK\" / \"PREAUTH\" / \"BYE\" at offset 2 (RFC 3501 section 9, rule greeting)",
				Duration:    1 * ms,
				Transcripts: []reports.Transcript{transcript("main", `S: * HELLO \xFF`, "*: closed by client")},
			},
		},
	}
	r.Conformance.Tally()
	res := &r
	res.Judge(false)
	return res
}

// Load returns a small load result: three commands, setup phases, sync lag
// and notification latency, six 10-second intervals, thresholds of which one
// fails, correctness violations with transcripts, error samples and
// generator health. Samples come from a fixed seed.
func Load() *reports.Result {
	r := header(reports.KindLoad)
	r.Target.URL = "imap://127.0.0.1:14143"
	r.Finished = Start.Add(time.Minute)
	rng := rand.New(rand.NewPCG(7, 11))
	lognormal := func(median time.Duration, sigma float64) time.Duration {
		return time.Duration(float64(median) * math.Exp(sigma*rng.NormFloat64()))
	}
	l := &reports.Load{
		Profile: reports.Profile{Name: "office-day", Source: "preset", Description: "A steady office day",
			Definition: "name: office-day\ndevices:\n  desktop: 1\n  phone: 1\n"},
		Seed: 42, Users: 50,
		Devices:  []reports.DeviceCount{{Kind: "desktop", Count: 50}, {Kind: "phone", Count: 50}},
		Duration: time.Minute, RampUp: 10 * time.Second, Interval: 10 * time.Second,
		Shard: &reports.Shard{Index: 1, Count: 2},
	}
	cmds := []struct {
		name   string
		median time.Duration
		n      int
	}{{"FETCH", 4 * time.Millisecond, 3000}, {"SELECT", 2 * time.Millisecond, 600}, {"UID STORE", 3 * time.Millisecond, 900}}
	for _, c := range cmds {
		l.Commands = append(l.Commands, reports.CommandStats{Name: c.name, Latency: reports.NewLatencyHistogram()})
	}
	for i := range 6 {
		iv := reports.Interval{
			Offset: time.Duration(i) * 10 * time.Second, Scheduled: 750, Executed: 748, Late: 2,
			Connections: map[string]int64{"idling": 45 + int64(i), "selected": 40, "authenticated": 10, "connecting": 5 - int64(i%3)},
			SyncLag:     reports.NewSeriesHistogram(), Notification: reports.NewSeriesHistogram(),
		}
		for ci, c := range cmds {
			h := reports.NewSeriesHistogram()
			slow := 1.0
			if i == 4 && c.name == "FETCH" {
				slow = 6 // a stall in the fifth interval
			}
			for range c.n / 6 {
				d := time.Duration(float64(lognormal(c.median, 0.6)) * slow)
				h.Record(d)
				l.Commands[ci].Latency.Record(d)
			}
			errs := int64(0)
			if c.name == "UID STORE" && i == 4 {
				errs = 3
			}
			iv.Commands = append(iv.Commands, reports.IntervalCommand{Name: c.name, Latency: h, Errors: errs})
		}
		for range 40 {
			d := lognormal(300*time.Millisecond, 0.5)
			iv.SyncLag.Record(d)
		}
		for range 20 {
			iv.Notification.Record(lognormal(40*time.Millisecond, 0.4))
		}
		l.Series = append(l.Series, iv)
	}
	for ci := range l.Commands {
		l.Commands[ci].OK = l.Commands[ci].Latency.Count()
	}
	l.Commands[2].OK -= 3
	l.Commands[2].NO = 2
	l.Commands[2].Timeout = 1
	l.SyncLag = reports.NewLatencyHistogram()
	l.Notification = reports.NewLatencyHistogram()
	for _, iv := range l.Series {
		// Series histograms are coarser: record run-wide samples anew.
		for _, b := range iv.SyncLag.HDR().Distribution() {
			if b.Count > 0 {
				l.SyncLag.RecordN(time.Duration(b.From), b.Count)
			}
		}
		for _, b := range iv.Notification.HDR().Distribution() {
			if b.Count > 0 {
				l.Notification.RecordN(time.Duration(b.From), b.Count)
			}
		}
	}
	for _, p := range []struct {
		name   string
		median time.Duration
	}{{"tcp", 200 * time.Microsecond}, {"tls", 3 * time.Millisecond}, {"greeting", 500 * time.Microsecond}, {"auth", 2 * time.Millisecond}, {"select", 2 * time.Millisecond}} {
		h := reports.NewLatencyHistogram()
		for range 100 {
			h.Record(lognormal(p.median, 0.3))
		}
		l.Setup = append(l.Setup, reports.PhaseStats{Name: p.name, Latency: h})
	}
	l.Schedule = reports.Schedule{IntendedRate: 75, AchievedRate: 74.8, Scheduled: 4500, Executed: 4488, Late: 12, Skipped: 0,
		Deliveries: 300, Elapsed: time.Minute}
	l.ViolationCount = 3
	l.ViolationsByCheck = map[string]int64{"flags-diverged": 2, "append-missing": 1}
	l.Violations = []reports.Violation{
		{Check: "append-missing", User: "user7", Device: "desktop", Mailbox: "INBOX", Offset: 41 * time.Second,
			Message:  "APPEND acknowledged with UID 57 but UID 57 is missing from UID SEARCH ALL",
			Expected: "UID 57 present", Actual: "UIDs 1:56",
			Transcripts: []reports.Transcript{transcript("user7/deliver", "C: d1 APPEND INBOX {812}", "S: + go ahead",
				"C: <812 octets>", "S: d1 OK [APPENDUID 1700000000 57] Append completed."),
				transcript("user7/desktop", "C: a9 UID SEARCH ALL", "S: * SEARCH 1 2 3 4 5 56", "S: a9 OK Search completed.")}},
		{Check: "flags-diverged", User: "user3", Device: "phone", Mailbox: "INBOX", Offset: 47 * time.Second,
			Message:  "after checkpoint, phone sees UID 12 without \\Seen that desktop set",
			Expected: `(\Seen)`, Actual: "()",
			Transcripts: []reports.Transcript{transcript("user3/phone", "C: p4 UID FETCH 12 (FLAGS)",
				"S: * 3 FETCH (UID 12 FLAGS ())", "S: p4 OK Fetch completed.")}},
	}
	l.Errors = []reports.ErrorSample{
		{Command: "UID STORE", Kind: "NO", User: "user9", Device: "laptop", Offset: 44 * time.Second,
			Message: "p7 NO [SERVERBUG] Internal error occurred",
			Transcripts: []reports.Transcript{transcript("user9/laptop", "C: p7 UID STORE 5 +FLAGS (\\Flagged)",
				"S: p7 NO [SERVERBUG] Internal error occurred")}},
		{Command: "UID STORE", Kind: "timeout", User: "user2", Device: "desktop", Offset: 45 * time.Second,
			Message: "no tagged response within 5s"},
	}
	l.Generator = reports.Generator{CPUSeconds: 4.2, MaxCPUPercent: 31, MaxHeapBytes: 48 << 20,
		GCPause: 3 * time.Millisecond, GCCycles: 21, MaxGoroutines: 230, SchedulerLag: reports.NewLatencyHistogram()}
	for range 500 {
		l.Generator.SchedulerLag.Record(lognormal(50*time.Microsecond, 0.5))
	}
	l.Thresholds = []reports.Threshold{{Expression: "p99(fetch)<50ms"}, {Expression: "errors<0.1%"},
		{Expression: "sync_lag_p95<2s"}, {Expression: "p99(select)<10ms"}}
	r.Load = l
	res := &r
	res.Judge(false)
	return res
}

// SyntheticConformance returns a conformance result with n cases spread over
// the sections of RFC 3501: one in ten fails, each failure with two
// connections of twenty transcript lines.
func SyntheticConformance(n int) *reports.Result {
	r := header(reports.KindConformance)
	r.Conformance = &reports.Conformance{Suite: "rfc3501"}
	sections := []string{"6.1.1", "6.1.2", "6.1.3", "6.2.1", "6.2.2", "6.2.3", "6.3.1", "6.3.2", "6.3.3", "6.3.4",
		"6.3.5", "6.3.6", "6.3.7", "6.3.8", "6.3.9", "6.3.10", "6.3.11", "6.4.1", "6.4.2", "6.4.3", "6.4.4", "6.4.5",
		"6.4.6", "6.4.7", "6.4.8", "7.1", "7.2", "7.3", "7.4", "9"}
	outcomes := []reports.Outcome{reports.Pass, reports.Pass, reports.Pass, reports.Pass, reports.Pass, reports.Pass,
		reports.Skip, reports.Warn, reports.XFail, reports.Fail}
	for i := range n {
		sec := sections[i%len(sections)]
		o := outcomes[i%len(outcomes)]
		if i%97 == 0 {
			o = reports.Error
		}
		cs := reports.Case{
			ID: fmt.Sprintf("rfc3501/%s/case-%05d", sec, i), Title: fmt.Sprintf("Synthetic case %d", i),
			Section: sec, Level: reports.Must, Labels: []string{"rfc3501", sec, "MUST"},
			Sentence: "The server MUST send a tagged response for every command it receives, in the order it receives them.",
			Outcome:  o, Expected: []string{"tagged OK", "tagged NO"}, Actual: "tagged BAD",
			Duration: time.Duration(1+i%13) * time.Millisecond,
		}
		if o != reports.Pass && o != reports.Skip {
			cs.Message = "the server answered BAD to a well-formed command"
			for c := range 2 {
				lines := []string{"S: * OK [CAPABILITY IMAP4rev1] ready"}
				for j := range 19 {
					if j%2 == 0 {
						lines = append(lines, fmt.Sprintf("C: a%d FETCH %d (FLAGS UID)", j, j+1))
					} else {
						lines = append(lines, fmt.Sprintf("S: * %d FETCH (FLAGS (\\Seen) UID %d)", j, j+100))
					}
				}
				cs.Transcripts = append(cs.Transcripts, transcript(fmt.Sprintf("conn-%d", c+1), lines...))
			}
		}
		r.Conformance.Cases = append(r.Conformance.Cases, cs)
	}
	res := &r
	res.Judge(false)
	return res
}

// SyntheticLoad returns a load result of the given length with interval-long
// series entries for eight commands, as a long run would leave.
func SyntheticLoad(length, interval time.Duration) *reports.Result {
	r := header(reports.KindLoad)
	r.Finished = Start.Add(length)
	rng := rand.New(rand.NewPCG(1, 2))
	names := []string{"APPEND", "EXAMINE", "FETCH", "IDLE", "NOOP", "SELECT", "UID FETCH", "UID STORE"}
	l := &reports.Load{Profile: reports.Profile{Name: "idle-soak", Source: "preset"}, Seed: 1, Users: 5000,
		Devices:  []reports.DeviceCount{{Kind: "desktop", Count: 5000}, {Kind: "phone", Count: 5000}},
		Duration: length, Interval: interval, SyncLag: reports.NewLatencyHistogram(), Notification: reports.NewLatencyHistogram()}
	for _, n := range names {
		l.Commands = append(l.Commands, reports.CommandStats{Name: n, Latency: reports.NewLatencyHistogram()})
	}
	steps := int(length / interval)
	for i := range steps {
		iv := reports.Interval{Offset: time.Duration(i) * interval, Scheduled: 2000, Executed: 2000,
			Connections: map[string]int64{"idling": 8000, "selected": 1500, "authenticated": 400, "connecting": 100},
			SyncLag:     reports.NewSeriesHistogram(), Notification: reports.NewSeriesHistogram()}
		for ci := range names {
			h := reports.NewSeriesHistogram()
			for range 250 {
				d := time.Duration(float64(2*time.Millisecond) * math.Exp(0.8*rng.NormFloat64()))
				h.Record(d)
				l.Commands[ci].Latency.Record(d)
			}
			iv.Commands = append(iv.Commands, reports.IntervalCommand{Name: names[ci], Latency: h})
		}
		for range 100 {
			d := time.Duration(float64(200*time.Millisecond) * math.Exp(0.5*rng.NormFloat64()))
			iv.SyncLag.Record(d)
			l.SyncLag.Record(d)
			iv.Notification.Record(d / 5)
			l.Notification.Record(d / 5)
		}
		l.Series = append(l.Series, iv)
	}
	for ci := range l.Commands {
		l.Commands[ci].OK = l.Commands[ci].Latency.Count()
	}
	l.Schedule = reports.Schedule{IntendedRate: 2000 / interval.Seconds(), AchievedRate: 2000 / interval.Seconds(),
		Scheduled: int64(2000 * steps), Executed: int64(2000 * steps), Elapsed: length}
	l.Thresholds = []reports.Threshold{{Expression: "p99<100ms"}, {Expression: "sync_lag_p95<2s"}}
	r.Load = l
	res := &r
	res.Judge(false)
	return res
}
