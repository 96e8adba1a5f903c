package reports

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Merge combines the results of the shards of one sharded load run (--shard
// i/N, i = 1..N) into one result, as if one generator had applied the whole
// load: histograms are merged exactly (the merged histogram is the histogram
// of all samples), counts are summed, the time series are aligned by interval,
// and the thresholds are evaluated again on the merged figures. The shards
// must be complete (every index 1..N once), of the same run (profile, seed,
// interval, target), and their histograms of the same geometry.
func Merge(shards []*Result) (*Result, error) {
	if len(shards) == 0 {
		return nil, errors.New("merge: no shard results")
	}
	if err := checkShards(shards); err != nil {
		return nil, fmt.Errorf("merge: %w", err)
	}
	shards = slices.Clone(shards)
	slices.SortFunc(shards, func(a, b *Result) int { return a.Load.Shard.Index - b.Load.Shard.Index })

	first := shards[0]
	out := &Result{
		SchemaVersion: SchemaVersion,
		Kind:          KindLoad,
		Tool:          first.Tool,
		Target:        first.Target,
		State:         StateFinished,
		Started:       first.Started,
		Finished:      first.Finished,
		Environment:   first.Environment,
	}
	out.Environment.Hostname = ""
	fl := first.Load
	l := &Load{
		Profile:  fl.Profile,
		Seed:     fl.Seed,
		Duration: fl.Duration,
		RampUp:   fl.RampUp,
		Interval: fl.Interval,
	}
	out.Load = l
	var hosts []string
	for _, s := range shards {
		sl := s.Load
		if s.Started.Before(out.Started) {
			out.Started = s.Started
		}
		if s.Finished.IsZero() || out.Finished.IsZero() {
			out.Finished = time.Time{}
		} else if s.Finished.After(out.Finished) {
			out.Finished = s.Finished
		}
		switch {
		case s.State == StateInterrupted:
			out.State = StateInterrupted
		case s.State == StateRunning && out.State != StateInterrupted:
			out.State = StateRunning
		}
		if s.Environment.Hostname != "" && !slices.Contains(hosts, s.Environment.Hostname) {
			hosts = append(hosts, s.Environment.Hostname)
		}
		l.MergedFrom = append(l.MergedFrom, ShardRef{Shard: *sl.Shard, Host: s.Environment.Hostname,
			Started: s.Started, Finished: s.Finished, Users: sl.Users, State: s.State})
		if err := l.add(sl); err != nil {
			return nil, fmt.Errorf("merge: shard %s: %w", sl.Shard, err)
		}
	}
	if len(hosts) == 1 {
		out.Environment.Hostname = hosts[0]
	}
	if l.Schedule.Elapsed > 0 {
		l.Schedule.AchievedRate = float64(l.Schedule.Executed) / l.Schedule.Elapsed.Seconds()
	}
	l.SortCommands()
	slices.SortStableFunc(l.Violations, func(a, b Violation) int { return cmpDuration(a.Offset, b.Offset) })
	slices.SortStableFunc(l.Errors, func(a, b ErrorSample) int { return cmpDuration(a.Offset, b.Offset) })
	out.Judge(false)
	return out, nil
}

func cmpDuration(a, b time.Duration) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func checkShards(shards []*Result) error {
	var n int
	seen := map[int]bool{}
	first := shards[0]
	for i, s := range shards {
		if s.Kind != KindLoad || s.Load == nil {
			return fmt.Errorf("result %d is a %s result; only load results merge", i+1, s.Kind)
		}
		sh := s.Load.Shard
		if sh == nil {
			return fmt.Errorf("result %d is not a shard result (no shard i/N)", i+1)
		}
		if i == 0 {
			n = sh.Count
		}
		if sh.Count != n {
			return fmt.Errorf("shard %s does not belong with shard %d/%d", sh, shards[0].Load.Shard.Index, n)
		}
		if sh.Index < 1 || sh.Index > n {
			return fmt.Errorf("shard %s: index out of range", sh)
		}
		if seen[sh.Index] {
			return fmt.Errorf("shard %s given twice", sh)
		}
		seen[sh.Index] = true
		fl, sl := first.Load, s.Load
		switch {
		case sl.Profile.Name != fl.Profile.Name:
			return fmt.Errorf("shard %s ran profile %q, shard %s ran %q", sh, sl.Profile.Name, fl.Shard, fl.Profile.Name)
		case sl.Seed != fl.Seed:
			return fmt.Errorf("shard %s has seed %d, shard %s has %d", sh, sl.Seed, fl.Shard, fl.Seed)
		case sl.Interval != fl.Interval:
			return fmt.Errorf("shard %s has interval %s, shard %s has %s", sh, sl.Interval, fl.Shard, fl.Interval)
		case s.Target.URL != first.Target.URL:
			return fmt.Errorf("shard %s loaded %s, shard %s loaded %s", sh, s.Target.URL, fl.Shard, first.Target.URL)
		}
	}
	var missing []string
	for i := 1; i <= n; i++ {
		if !seen[i] {
			missing = append(missing, fmt.Sprintf("%d/%d", i, n))
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("missing shard results: %s", strings.Join(missing, ", "))
	}
	return nil
}

// add merges one shard's load section into l.
func (l *Load) add(s *Load) error {
	l.Users += s.Users
	for _, d := range s.Devices {
		i := slices.IndexFunc(l.Devices, func(x DeviceCount) bool { return x.Kind == d.Kind })
		if i < 0 {
			l.Devices = append(l.Devices, d)
		} else {
			l.Devices[i].Count += d.Count
		}
	}
	l.Duration = max(l.Duration, s.Duration)
	l.RampUp = max(l.RampUp, s.RampUp)

	sc := &l.Schedule
	sc.IntendedRate += s.Schedule.IntendedRate
	sc.Scheduled += s.Schedule.Scheduled
	sc.Executed += s.Schedule.Executed
	sc.Late += s.Schedule.Late
	sc.Skipped += s.Schedule.Skipped
	sc.Deliveries += s.Schedule.Deliveries
	sc.Elapsed = max(sc.Elapsed, s.Schedule.Elapsed)

	for _, c := range s.Commands {
		dst := l.Command(c.Name)
		if dst == nil {
			l.Commands = append(l.Commands, CommandStats{Name: c.Name, Latency: cloneOrNil(c.Latency)})
			dst = &l.Commands[len(l.Commands)-1]
		} else if err := mergeInto(&dst.Latency, c.Latency); err != nil {
			return fmt.Errorf("command %s: %w", c.Name, err)
		}
		dst.OK += c.OK
		dst.NO += c.NO
		dst.BAD += c.BAD
		dst.Timeout += c.Timeout
		dst.Failed += c.Failed
	}
	for _, p := range s.Setup {
		dst := l.Phase(p.Name)
		if dst == nil {
			l.Setup = append(l.Setup, PhaseStats{Name: p.Name, Latency: cloneOrNil(p.Latency)})
			dst = &l.Setup[len(l.Setup)-1]
		} else if err := mergeInto(&dst.Latency, p.Latency); err != nil {
			return fmt.Errorf("setup phase %s: %w", p.Name, err)
		}
		dst.Failures += p.Failures
	}
	if err := mergeInto(&l.SyncLag, s.SyncLag); err != nil {
		return fmt.Errorf("sync lag: %w", err)
	}
	if err := mergeInto(&l.Notification, s.Notification); err != nil {
		return fmt.Errorf("notification latency: %w", err)
	}
	for i := range s.Series {
		if i == len(l.Series) {
			l.Series = append(l.Series, Interval{Offset: s.Series[i].Offset})
		}
		if err := l.Series[i].add(&s.Series[i]); err != nil {
			return fmt.Errorf("interval %d: %w", i+1, err)
		}
	}
	for _, t := range s.Thresholds {
		if !slices.ContainsFunc(l.Thresholds, func(x Threshold) bool { return x.Expression == t.Expression }) {
			l.Thresholds = append(l.Thresholds, Threshold{Expression: t.Expression})
		}
	}
	l.ViolationCount += s.ViolationCount
	for k, n := range s.ViolationsByCheck {
		if l.ViolationsByCheck == nil {
			l.ViolationsByCheck = map[string]int64{}
		}
		l.ViolationsByCheck[k] += n
	}
	l.Violations = append(l.Violations, s.Violations...)
	l.Errors = append(l.Errors, s.Errors...)

	g, sg := &l.Generator, s.Generator
	g.CPUSeconds += sg.CPUSeconds
	g.MaxCPUPercent = max(g.MaxCPUPercent, sg.MaxCPUPercent)
	g.MaxHeapBytes = max(g.MaxHeapBytes, sg.MaxHeapBytes)
	g.GCPause += sg.GCPause
	g.GCCycles += sg.GCCycles
	g.MaxGoroutines = max(g.MaxGoroutines, sg.MaxGoroutines)
	if err := mergeInto(&g.SchedulerLag, sg.SchedulerLag); err != nil {
		return fmt.Errorf("scheduler lag: %w", err)
	}
	if sg.Overloaded {
		g.Overloaded = true
		reason := "shard " + s.Shard.String()
		if sg.Reason != "" {
			reason += ": " + sg.Reason
		}
		if g.Reason != "" {
			g.Reason += "; "
		}
		g.Reason += reason
	}
	return nil
}

// add merges one shard's interval into iv. Intervals are aligned by their
// position from each shard's start.
func (iv *Interval) add(s *Interval) error {
	iv.Scheduled += s.Scheduled
	iv.Executed += s.Executed
	iv.Late += s.Late
	iv.Skipped += s.Skipped
	iv.Violations += s.Violations
	for _, c := range s.Commands {
		i := slices.IndexFunc(iv.Commands, func(x IntervalCommand) bool { return x.Name == c.Name })
		if i < 0 {
			iv.Commands = append(iv.Commands, IntervalCommand{Name: c.Name, Latency: cloneOrNil(c.Latency), Errors: c.Errors})
			continue
		}
		if err := mergeInto(&iv.Commands[i].Latency, c.Latency); err != nil {
			return fmt.Errorf("command %s: %w", c.Name, err)
		}
		iv.Commands[i].Errors += c.Errors
	}
	slices.SortFunc(iv.Commands, func(a, b IntervalCommand) int { return strings.Compare(a.Name, b.Name) })
	for k, n := range s.Connections {
		if iv.Connections == nil {
			iv.Connections = map[string]int64{}
		}
		iv.Connections[k] += n
	}
	if err := mergeInto(&iv.SyncLag, s.SyncLag); err != nil {
		return fmt.Errorf("sync lag: %w", err)
	}
	return mergeInto(&iv.Notification, s.Notification)
}

func cloneOrNil(h *Histogram) *Histogram {
	if h == nil {
		return nil
	}
	return h.Clone()
}

// mergeInto merges src into *dst, cloning src when *dst is nil.
func mergeInto(dst **Histogram, src *Histogram) error {
	if src == nil {
		return nil
	}
	if *dst == nil {
		*dst = src.Clone()
		return nil
	}
	return (*dst).Merge(src)
}
