package reports_test

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/imapgauge/imapgauge/reports"
	"github.com/imapgauge/imapgauge/reports/reportstest"
)

// shardsOf returns n copies of r as shards 1/n..n/n.
func shardsOf(t *testing.T, r *reports.Result, n int) []*reports.Result {
	t.Helper()
	var out []*reports.Result
	for i := range n {
		data, err := reports.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		c, err := reports.Unmarshal(data)
		if err != nil {
			t.Fatal(err)
		}
		c.Load.Shard = &reports.Shard{Index: i + 1, Count: n}
		out = append(out, c)
	}
	return out
}

const (
	runUsers    = 60
	runInterval = 10 * time.Second
	runLength   = time.Minute
)

// simulate builds the load result of the given users, as one generator
// would record it: every user's samples come from a generator seeded by the
// user's number, so a user's samples are the same whichever shard runs it.
func simulate(users []int, shard *reports.Shard) *reports.Result {
	return simulateWith(users, shard, runTweaks{})
}

// runTweaks make a simulated target slower or broken, for diff tests.
type runTweaks struct {
	fetchSlowdown float64 // FETCH latency multiplier (0: 1)
	noPercent     int     // share of commands answered NO, in percent (0: 1%)
	violations    int     // extra correctness violations
	lostPercent   int     // share of scheduled ticks the generator skipped, in percent
}

func simulateWith(users []int, shard *reports.Shard, tw runTweaks) *reports.Result {
	if tw.fetchSlowdown == 0 {
		tw.fetchSlowdown = 1
	}
	if tw.noPercent == 0 {
		tw.noPercent = 1
	}
	r := reports.NewLoad("devel", "imap://127.0.0.1:1")
	r.Started = reportstest.Start
	r.Finished = reportstest.Start.Add(runLength)
	r.State = reports.StateFinished
	l := r.Load
	l.Profile = reports.Profile{Name: "office-day"}
	l.Seed, l.Interval, l.Duration, l.Shard = 9, runInterval, runLength, shard
	l.SyncLag, l.Notification = reports.NewLatencyHistogram(), reports.NewLatencyHistogram()
	l.Generator.SchedulerLag = reports.NewLatencyHistogram()
	l.Thresholds = []reports.Threshold{{Expression: "p99(fetch)<20ms"}, {Expression: "errors<2%"}, {Expression: "violations==0"}}
	steps := int(runLength / runInterval)
	for i := range steps {
		l.Series = append(l.Series, reports.Interval{Offset: time.Duration(i) * runInterval})
	}
	cmd := func(name string) *reports.CommandStats {
		if c := l.Command(name); c != nil {
			return c
		}
		l.Commands = append(l.Commands, reports.CommandStats{Name: name, Latency: reports.NewLatencyHistogram()})
		l.SortCommands()
		return l.Command(name)
	}
	for _, u := range users {
		rng := rand.New(rand.NewPCG(uint64(u), 77))
		l.Users++
		l.Devices = append(l.Devices, reports.DeviceCount{Kind: "desktop", Count: 1})
		const ticks = 200
		l.Schedule.IntendedRate += ticks / runLength.Seconds()
		for k := range ticks {
			name := []string{"FETCH", "SELECT", "UID STORE"}[k%3]
			at := time.Duration(rng.Int64N(int64(runLength)))
			if k >= ticks*(100-tw.lostPercent)/100 {
				iv := &l.Series[int(at/runInterval)]
				iv.Scheduled++
				iv.Skipped++
				l.Schedule.Scheduled++
				l.Schedule.Skipped++
				continue
			}
			d := time.Duration(float64(3*time.Millisecond) * math.Exp(0.7*rng.NormFloat64()))
			if name == "FETCH" {
				d = time.Duration(float64(d) * tw.fetchSlowdown)
			}
			c := cmd(name)
			c.Latency.Record(d)
			if rng.IntN(100) < tw.noPercent {
				c.NO++
			} else {
				c.OK++
			}
			iv := &l.Series[int(at/runInterval)]
			iv.Scheduled++
			iv.Executed++
			l.Schedule.Scheduled++
			l.Schedule.Executed++
			found := false
			for j := range iv.Commands {
				if iv.Commands[j].Name == name {
					iv.Commands[j].Latency.Record(d)
					found = true
				}
			}
			if !found {
				h := reports.NewSeriesHistogram()
				h.Record(d)
				iv.Commands = append(iv.Commands, reports.IntervalCommand{Name: name, Latency: h})
			}
		}
		for i := range l.Series {
			if l.Series[i].Connections == nil {
				l.Series[i].Connections = map[string]int64{}
			}
			l.Series[i].Connections["idling"]++
		}
		for range 20 {
			l.SyncLag.Record(time.Duration(rng.Int64N(int64(time.Second))))
			l.Notification.Record(time.Duration(rng.Int64N(int64(100 * time.Millisecond))))
			l.Generator.SchedulerLag.Record(time.Duration(rng.Int64N(int64(time.Millisecond))))
		}
		if u == 17 {
			l.ViolationCount++
			l.ViolationsByCheck = map[string]int64{"uid-reuse": 1}
			l.Violations = append(l.Violations, reports.Violation{Check: "uid-reuse", User: "user17", Offset: 30 * time.Second, Message: "UID 4 reused"})
		}
	}
	for i := range tw.violations {
		l.ViolationCount++
		if l.ViolationsByCheck == nil {
			l.ViolationsByCheck = map[string]int64{}
		}
		l.ViolationsByCheck["expunge-missed"]++
		l.Violations = append(l.Violations, reports.Violation{Check: "expunge-missed", User: "user1", Offset: time.Duration(i) * time.Second,
			Message: "EXPUNGE of UID 9 never reported to the idling desktop"})
	}
	l.Schedule.Elapsed = runLength
	l.Schedule.AchievedRate = float64(l.Schedule.Executed) / runLength.Seconds()
	// Devices as the generator reports them: one entry per kind.
	l.Devices = []reports.DeviceCount{{Kind: "desktop", Count: len(users)}}
	for i := range l.Series {
		cs := l.Series[i].Commands
		for a := range cs {
			for b := a + 1; b < len(cs); b++ {
				if cs[b].Name < cs[a].Name {
					cs[a], cs[b] = cs[b], cs[a]
				}
			}
		}
	}
	r.Judge(false)
	return r
}

// Merging shard results gives exactly the result of one generator that ran
// every user: same histograms (bucket for bucket), counts, series and
// threshold results.
func TestMergeEqualsSingleRun(t *testing.T) {
	var all []int
	for u := range runUsers {
		all = append(all, u)
	}
	single := simulate(all, nil)
	const n = 3
	var shards []*reports.Result
	for i := n; i >= 1; i-- { // out of order on purpose
		var mine []int
		for _, u := range all {
			if u%n == i-1 {
				mine = append(mine, u)
			}
		}
		shards = append(shards, roundTrip(t, simulate(mine, &reports.Shard{Index: i, Count: n})))
	}
	merged, err := reports.Merge(shards)
	if err != nil {
		t.Fatal(err)
	}
	m, s := merged.Load, single.Load
	if m.Users != s.Users || m.Devices[0].Count != runUsers || len(m.MergedFrom) != n || m.Shard != nil {
		t.Fatalf("users %d devices %v merged_from %d shard %v", m.Users, m.Devices, len(m.MergedFrom), m.Shard)
	}
	for i, sc := range s.Commands {
		mc := m.Commands[i]
		if mc.Name != sc.Name || !mc.Latency.Equal(sc.Latency) || mc.OK != sc.OK || mc.NO != sc.NO {
			t.Errorf("command %s: merged count %d ok %d no %d p99 %v, single %d %d %d %v", sc.Name,
				mc.Latency.Count(), mc.OK, mc.NO, mc.Latency.Percentile(99), sc.Latency.Count(), sc.OK, sc.NO, sc.Latency.Percentile(99))
		}
	}
	for name, pair := range map[string][2]*reports.Histogram{
		"sync lag": {m.SyncLag, s.SyncLag}, "notification": {m.Notification, s.Notification},
		"scheduler lag": {m.Generator.SchedulerLag, s.Generator.SchedulerLag},
	} {
		if !pair[0].Equal(pair[1]) {
			t.Errorf("%s histograms differ", name)
		}
	}
	if m.Schedule.Scheduled != s.Schedule.Scheduled || m.Schedule.Executed != s.Schedule.Executed ||
		math.Abs(m.Schedule.AchievedRate-s.Schedule.AchievedRate) > 1e-9 || math.Abs(m.Schedule.IntendedRate-s.Schedule.IntendedRate) > 1e-9 {
		t.Errorf("schedule merged %+v, single %+v", m.Schedule, s.Schedule)
	}
	if len(m.Series) != len(s.Series) {
		t.Fatalf("series length %d, want %d", len(m.Series), len(s.Series))
	}
	for i := range s.Series {
		mi, si := m.Series[i], s.Series[i]
		if mi.Scheduled != si.Scheduled || mi.Connections["idling"] != si.Connections["idling"] || len(mi.Commands) != len(si.Commands) {
			t.Fatalf("interval %d differs: %+v vs %+v", i, mi, si)
		}
		for j := range si.Commands {
			if mi.Commands[j].Name != si.Commands[j].Name || !mi.Commands[j].Latency.Equal(si.Commands[j].Latency) {
				t.Errorf("interval %d command %s histogram differs", i, si.Commands[j].Name)
			}
		}
	}
	if m.ViolationCount != 1 || m.ViolationsByCheck["uid-reuse"] != 1 || len(m.Violations) != 1 {
		t.Errorf("violations %d %v %d", m.ViolationCount, m.ViolationsByCheck, len(m.Violations))
	}
	for i, th := range s.Thresholds {
		if m.Thresholds[i] != th {
			t.Errorf("threshold re-check: merged %+v, single %+v", m.Thresholds[i], th)
		}
	}
	if merged.Verdict.ExitCode != single.Verdict.ExitCode || merged.Verdict.ExitCode != reports.ExitViolation {
		t.Errorf("verdict merged %+v single %+v", merged.Verdict, single.Verdict)
	}
}

func roundTrip(t *testing.T, r *reports.Result) *reports.Result {
	t.Helper()
	data, err := reports.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	back, err := reports.Unmarshal(data)
	if err != nil {
		t.Fatal(err)
	}
	return back
}

// Thresholds are re-checked on merged figures: two shards that each pass
// "count(fetch)<200" fail it together.
func TestMergeRechecksThresholds(t *testing.T) {
	a := simulate([]int{1, 2}, &reports.Shard{Index: 1, Count: 2})
	b := simulate([]int{3, 4}, &reports.Shard{Index: 2, Count: 2})
	for _, r := range []*reports.Result{a, b} {
		r.Load.Thresholds = []reports.Threshold{{Expression: "count(fetch)<200"}}
		r.Judge(false)
		if !r.Load.Thresholds[0].Passed {
			t.Fatalf("shard alone fails: %+v", r.Load.Thresholds[0])
		}
	}
	m, err := reports.Merge([]*reports.Result{a, b})
	if err != nil {
		t.Fatal(err)
	}
	if m.Load.Thresholds[0].Passed || m.Verdict.ExitCode != reports.ExitThresholds {
		t.Fatalf("merged threshold %+v, verdict %+v", m.Load.Thresholds[0], m.Verdict)
	}
}

func TestMergeRejectsMismatchedShards(t *testing.T) {
	mk := func(i, n int) *reports.Result { return simulate([]int{i}, &reports.Shard{Index: i, Count: n}) }
	for name, tc := range map[string]struct {
		shards []*reports.Result
		want   string
	}{
		"missing":     {[]*reports.Result{mk(1, 3), mk(3, 3)}, "missing shard results: 2/3"},
		"duplicate":   {[]*reports.Result{mk(1, 2), mk(1, 2)}, "given twice"},
		"count":       {[]*reports.Result{mk(1, 2), mk(2, 3)}, "does not belong"},
		"not shard":   {[]*reports.Result{simulate([]int{1}, nil)}, "not a shard result"},
		"conformance": {[]*reports.Result{reportstest.Conformance()}, "only load results merge"},
		"seed": {func() []*reports.Result {
			a, b := mk(1, 2), mk(2, 2)
			b.Load.Seed = 10
			return []*reports.Result{a, b}
		}(), "seed"},
		"geometry": {func() []*reports.Result {
			a, b := mk(1, 2), mk(2, 2)
			b.Load.SyncLag = reports.NewSeriesHistogram()
			return []*reports.Result{a, b}
		}(), "sync lag: histograms have different geometry"},
		"none": {nil, "no shard results"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := reports.Merge(tc.shards)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
		})
	}
}

func TestMergeMarksInterruptedShards(t *testing.T) {
	a := simulate([]int{1}, &reports.Shard{Index: 1, Count: 2})
	b := simulate([]int{2}, &reports.Shard{Index: 2, Count: 2})
	b.State = reports.StateInterrupted
	b.Load.Generator.Overloaded, b.Load.Generator.Reason = true, "CPU saturated"
	m, err := reports.Merge([]*reports.Result{a, b})
	if err != nil {
		t.Fatal(err)
	}
	if m.State != reports.StateInterrupted || !m.Load.Generator.Overloaded || !strings.Contains(m.Load.Generator.Reason, "shard 2/2: CPU saturated") {
		t.Fatalf("state %s generator %+v", m.State, m.Load.Generator)
	}
}
