package load

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/imapgauge/imapgauge/reports"
)

// TestShardsMergeToTheSingleRun runs the same workload once whole and once as
// three shards side by side, merges the shards with reports.Merge, and checks
// that everything the schedule fixes is equal (users, devices, intended rate,
// scheduled ticks overall and per interval, deliveries) and that every
// histogram of the merge is exactly the merge of the shards' histograms.
func TestShardsMergeToTheSingleRun(t *testing.T) {
	w := testWorkload()
	w.Duration = 3 * time.Second
	w.Actions.PerUserPerHour = 30
	const users, seed = 6, 11
	cfg := func(addr string, s Shard) Config {
		return Config{Target: Target{URL: "imap://shard-test", Addr: addr, Security: Plain}, Workload: w,
			Users: users, Seed: seed, Shard: s, Credentials: "u%d:" + testPassword, Interval: time.Second}
	}
	single := runLoad(t, cfg(startRefServer(t, users), Shard{}))

	shardAddr := startRefServer(t, users)
	shards := make([]*reports.Result, 3)
	var wg sync.WaitGroup
	for i := range shards {
		wg.Add(1)
		go func() {
			defer wg.Done()
			shards[i] = runLoad(t, cfg(shardAddr, Shard{Index: i + 1, Count: 3}))
		}()
	}
	wg.Wait()
	merged, err := reports.Merge(shards)
	if err != nil {
		t.Fatal(err)
	}
	m, s := merged.Load, single.Load
	if m.Users != s.Users || m.Users != users {
		t.Errorf("users: merged %d, single %d", m.Users, s.Users)
	}
	if !equalDevices(m.Devices, s.Devices) {
		t.Errorf("devices: merged %v, single %v", m.Devices, s.Devices)
	}
	if diff := m.Schedule.IntendedRate - s.Schedule.IntendedRate; diff > 1e-9 || diff < -1e-9 {
		t.Errorf("intended rate: merged %g, single %g", m.Schedule.IntendedRate, s.Schedule.IntendedRate)
	}
	if m.Schedule.Scheduled != s.Schedule.Scheduled || s.Schedule.Scheduled == 0 {
		t.Errorf("scheduled ticks: merged %d, single %d", m.Schedule.Scheduled, s.Schedule.Scheduled)
	}
	if m.Schedule.Deliveries != s.Schedule.Deliveries || s.Schedule.Deliveries == 0 {
		t.Errorf("deliveries: merged %d, single %d", m.Schedule.Deliveries, s.Schedule.Deliveries)
	}
	for i := range min(len(m.Series), len(s.Series)) {
		if m.Series[i].Scheduled != s.Series[i].Scheduled {
			t.Errorf("interval %d: merged %d scheduled ticks, single %d", i, m.Series[i].Scheduled, s.Series[i].Scheduled)
		}
	}
	if m.ViolationCount != 0 || s.ViolationCount != 0 {
		var b strings.Builder
		for _, r := range append(shards, single) {
			_ = reports.WriteText(&b, r, reports.TextOptions{InlineTranscripts: true, MaxFailures: 3})
		}
		t.Errorf("violations: merged %d, single %d\n%s", m.ViolationCount, s.ViolationCount, b.String())
	}
	// Histograms merge exactly.
	for _, c := range m.Commands {
		want := reports.NewLatencyHistogram()
		var n int64
		for _, sh := range shards {
			if sc := sh.Load.Command(c.Name); sc != nil {
				if err := want.Merge(sc.Latency); err != nil {
					t.Fatal(err)
				}
				n += sc.Total()
			}
		}
		if !c.Latency.Equal(want) || c.Total() != n {
			t.Errorf("%s: the merged histogram is not the merge of the shards' (%d vs %d samples)", c.Name, c.Latency.Count(), want.Count())
		}
	}
	want := reports.NewLatencyHistogram()
	for _, sh := range shards {
		_ = want.Merge(sh.Load.SyncLag)
	}
	if !m.SyncLag.Equal(want) || want.Count() == 0 {
		t.Errorf("sync lag: merged %d samples, shards %d", m.SyncLag.Count(), want.Count())
	}
}

func equalDevices(a, b []reports.DeviceCount) bool {
	count := func(ds []reports.DeviceCount) map[string]int {
		m := map[string]int{}
		for _, d := range ds {
			m[d.Kind] += d.Count
		}
		return m
	}
	ca, cb := count(a), count(b)
	if len(ca) != len(cb) {
		return false
	}
	for k, v := range ca {
		if cb[k] != v {
			return false
		}
	}
	return true
}
