package reports

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Load is the load part of a result: what was asked for, what was achieved,
// how the server answered, and whether it stayed correct. Every distribution
// is an HDR histogram, so results of several shards merge exactly (see Merge).
type Load struct {
	Profile Profile `json:"profile"`
	// Seed makes the run reproducible (--seed).
	Seed int64 `json:"seed"`
	// Users is the number of simulated users this result covers (this
	// shard's users, or all of them after a merge).
	Users int `json:"users"`
	// Devices counts the simulated devices by kind (desktop, laptop,
	// phone, webmail).
	Devices []DeviceCount `json:"devices,omitempty"`
	// Duration and RampUp are the planned length of the run and of its
	// ramp-up; Interval is the length of one entry of Series.
	Duration time.Duration `json:"duration_ns"`
	RampUp   time.Duration `json:"ramp_up_ns"`
	Interval time.Duration `json:"interval_ns"`
	// Shard is set on the result of one shard of a sharded run (--shard i/N).
	Shard *Shard `json:"shard,omitempty"`
	// MergedFrom lists the shards a merged result was built from.
	MergedFrom []ShardRef `json:"merged_from,omitempty"`

	// Schedule compares the intended load with the achieved one.
	Schedule Schedule `json:"schedule"`
	// Commands holds one entry per IMAP command name, sorted by name.
	Commands []CommandStats `json:"commands"`
	// Setup holds the session setup phases (tcp, tls, greeting, auth,
	// select), in that order.
	Setup []PhaseStats `json:"setup,omitempty"`
	// SyncLag: from a change on one device (or a delivery) until every
	// sibling device has observed it.
	SyncLag *Histogram `json:"sync_lag,omitempty"`
	// Notification: from a delivery until an idling session announced it
	// (IDLE notification latency).
	Notification *Histogram `json:"notification,omitempty"`
	// Series is the run cut into Interval-long pieces, in time order.
	Series []Interval `json:"series,omitempty"`

	// Thresholds are the pass/fail criteria and their results. Expressions
	// are kept so that a merge re-evaluates them (EvaluateThresholds).
	Thresholds []Threshold `json:"thresholds,omitempty"`

	// Violations are correctness violations. ViolationCount counts all of
	// them, Violations keeps the first ones with their transcripts, and
	// ViolationsByCheck counts them per check.
	ViolationCount    int64            `json:"violation_count"`
	ViolationsByCheck map[string]int64 `json:"violations_by_check,omitempty"`
	Violations        []Violation      `json:"violations,omitempty"`
	// Errors keeps the first command errors (NO, BAD, timeout, dropped
	// connection) with their transcripts; the counts are in Commands.
	Errors []ErrorSample `json:"errors,omitempty"`

	// Generator tells whether the load generator itself kept up.
	Generator Generator `json:"generator"`
}

// Profile identifies the workload profile of a load run.
type Profile struct {
	Name string `json:"name"`
	// Source is the profile file, or "preset" for a shipped one.
	Source      string `json:"source,omitempty"`
	Description string `json:"description,omitempty"`
	// Definition is the profile's YAML as it was used, so that a run can be
	// repeated from its result.
	Definition string `json:"definition,omitempty"`
}

// DeviceCount is the number of simulated devices of one kind.
type DeviceCount struct {
	Kind  string `json:"kind"`
	Count int    `json:"count"`
}

// Shard identifies one shard of a sharded run: Index of Count, as given to
// --shard (1-based).
type Shard struct {
	Index int `json:"index"`
	Count int `json:"count"`
}

// String formats the shard as "i/N".
func (s Shard) String() string { return fmt.Sprintf("%d/%d", s.Index, s.Count) }

// ShardRef records one shard result that went into a merge.
type ShardRef struct {
	Shard    Shard     `json:"shard"`
	Host     string    `json:"host,omitempty"`
	Started  time.Time `json:"started"`
	Finished time.Time `json:"finished,omitzero"`
	Users    int       `json:"users"`
	State    State     `json:"state"`
}

// Schedule compares intended with achieved load. The generator schedules
// ticks (user actions, polls, deliveries) in advance (open model); a tick that
// started late is counted, one dropped because its device was still busy is
// skipped. Latency is measured from the scheduled time.
type Schedule struct {
	// IntendedRate is the profile's planned tick rate at full load, per
	// second.
	IntendedRate float64 `json:"intended_rate"`
	// AchievedRate is Executed divided by the run's elapsed time.
	AchievedRate float64 `json:"achieved_rate"`
	Scheduled    int64   `json:"scheduled"`
	Executed     int64   `json:"executed"`
	Late         int64   `json:"late"`
	Skipped      int64   `json:"skipped"`
	// Deliveries counts messages delivered (APPENDed by the simulated MTA).
	Deliveries int64 `json:"deliveries"`
	// Elapsed is how long load was applied.
	Elapsed time.Duration `json:"elapsed_ns"`
}

// CommandStats is what one IMAP command (by name: "FETCH", "UID FETCH",
// "IDLE"...) did during the run.
type CommandStats struct {
	Name    string     `json:"name"`
	Latency *Histogram `json:"latency"`
	OK      int64      `json:"ok"`
	NO      int64      `json:"no"`
	BAD     int64      `json:"bad"`
	Timeout int64      `json:"timeout"`
	// Failed counts commands that got no status response because the
	// connection broke.
	Failed int64 `json:"failed"`
}

// Total is the number of commands issued.
func (c *CommandStats) Total() int64 { return c.OK + c.NO + c.BAD + c.Timeout + c.Failed }

// Errors is the number of commands that did not end in OK.
func (c *CommandStats) Errors() int64 { return c.NO + c.BAD + c.Timeout + c.Failed }

// PhaseStats is the latency of one session setup phase.
type PhaseStats struct {
	// Name is one of tcp, tls, greeting, auth, select.
	Name     string     `json:"name"`
	Latency  *Histogram `json:"latency"`
	Failures int64      `json:"failures"`
}

// Interval is one slice of the run's time series. Its histograms use the
// series geometry (NewSeriesHistogram).
type Interval struct {
	// Offset is the interval's start, counted from the run's start.
	Offset    time.Duration `json:"offset_ns"`
	Scheduled int64         `json:"scheduled"`
	Executed  int64         `json:"executed"`
	Late      int64         `json:"late"`
	Skipped   int64         `json:"skipped"`
	// Commands holds the latency of the commands completed in the interval,
	// one entry per command name.
	Commands []IntervalCommand `json:"commands,omitempty"`
	// Connections counts open connections by state (connecting,
	// not-authenticated, authenticated, selected, idling) at the interval's
	// end.
	Connections map[string]int64 `json:"connections,omitempty"`
	// SyncLag and Notification are the interval's sync lag and IDLE
	// notification latency samples, when any.
	SyncLag      *Histogram `json:"sync_lag,omitempty"`
	Notification *Histogram `json:"notification,omitempty"`
	Violations   int64      `json:"violations"`
}

// IntervalCommand is one command's share of an interval.
type IntervalCommand struct {
	Name    string     `json:"name"`
	Latency *Histogram `json:"latency"`
	Errors  int64      `json:"errors"`
}

// Completed is the number of commands completed in the interval.
func (iv *Interval) Completed() int64 {
	n := int64(0)
	for _, c := range iv.Commands {
		if c.Latency != nil {
			n += c.Latency.Count()
		}
	}
	return n
}

// Violation is one correctness violation found by the consistency checks.
type Violation struct {
	// Check names the invariant broken: e.g. "append-missing",
	// "uid-reuse", "uid-order", "static-changed", "flags-diverged",
	// "expunge-missed", "no-new-mail-notification", "checkpoint-disagree".
	Check   string `json:"check"`
	User    string `json:"user,omitempty"`
	Device  string `json:"device,omitempty"`
	Mailbox string `json:"mailbox,omitempty"`
	// Offset is when the violation was found, from the run's start.
	Offset   time.Duration `json:"offset_ns"`
	Message  string        `json:"message"`
	Expected string        `json:"expected,omitempty"`
	Actual   string        `json:"actual,omitempty"`
	// Transcripts show the wire around the violation.
	Transcripts []Transcript `json:"transcripts,omitempty"`
}

// ErrorSample is one failed command kept as an example.
type ErrorSample struct {
	Command string        `json:"command"`
	Kind    string        `json:"kind"` // NO, BAD, timeout, failed
	User    string        `json:"user,omitempty"`
	Device  string        `json:"device,omitempty"`
	Offset  time.Duration `json:"offset_ns"`
	Message string        `json:"message"`
	// Transcripts show the wire around the error.
	Transcripts []Transcript `json:"transcripts,omitempty"`
}

// Generator reports the load generator's own health. A run where the
// generator was the bottleneck measures the generator, not the server, and is
// invalid.
type Generator struct {
	// CPUSeconds is the process CPU time (user + system) spent.
	CPUSeconds float64 `json:"cpu_seconds"`
	// MaxCPUPercent is the highest sampled CPU use, 100 per core.
	MaxCPUPercent float64 `json:"max_cpu_percent"`
	// MaxHeapBytes is the largest sampled Go heap.
	MaxHeapBytes int64 `json:"max_heap_bytes"`
	// GCPause is the total GC stop-the-world time; GCCycles the cycles.
	GCPause  time.Duration `json:"gc_pause_ns"`
	GCCycles int64         `json:"gc_cycles"`
	// MaxGoroutines is the largest sampled goroutine count.
	MaxGoroutines int64 `json:"max_goroutines"`
	// SchedulerLag: how late the generator's timers woke up, before any
	// network I/O.
	SchedulerLag *Histogram `json:"scheduler_lag,omitempty"`
	// Overloaded is set when the generator could not keep its schedule;
	// Reason says why.
	Overloaded bool   `json:"overloaded"`
	Reason     string `json:"reason,omitempty"`
}

// Command returns the stats of the named command (case-insensitive), or nil.
func (l *Load) Command(name string) *CommandStats {
	for i := range l.Commands {
		if strings.EqualFold(l.Commands[i].Name, name) {
			return &l.Commands[i]
		}
	}
	return nil
}

// Phase returns the stats of the named setup phase, or nil.
func (l *Load) Phase(name string) *PhaseStats {
	for i := range l.Setup {
		if strings.EqualFold(l.Setup[i].Name, name) {
			return &l.Setup[i]
		}
	}
	return nil
}

// AllCommands returns one histogram of every command's latency together, and
// the summed counts.
func (l *Load) AllCommands() CommandStats {
	all := CommandStats{Name: "all", Latency: NewLatencyHistogram()}
	for _, c := range l.Commands {
		if c.Latency != nil {
			if err := all.Latency.Merge(c.Latency); err != nil {
				// Different geometry: fall back to re-recording at the
				// precision of the coarser histogram.
				reRecord(all.Latency, c.Latency)
			}
		}
		all.OK += c.OK
		all.NO += c.NO
		all.BAD += c.BAD
		all.Timeout += c.Timeout
		all.Failed += c.Failed
	}
	return all
}

// reRecord adds every sample of src to dst at src's bucket values, for
// histograms whose geometry differs.
func reRecord(dst, src *Histogram) {
	for _, b := range src.h.Distribution() {
		if b.Count > 0 {
			dst.RecordN(time.Duration(b.From), b.Count)
		}
	}
}

// SortCommands sorts Commands by name, as the model requires.
func (l *Load) SortCommands() {
	slices.SortFunc(l.Commands, func(a, b CommandStats) int { return strings.Compare(a.Name, b.Name) })
}

func (l *Load) verdict() Verdict {
	v := Verdict{Status: StatusPass, ExitCode: ExitOK}
	// Correctness first: a violation is a real server bug whatever else
	// happened. Then an invalid run: its performance figures cannot be
	// trusted, so its thresholds do not count. Then the thresholds.
	if l.ViolationCount > 0 {
		v.Status, v.ExitCode = StatusFail, ExitViolation
		v.Reasons = append(v.Reasons, fmt.Sprintf("%d correctness %s", l.ViolationCount,
			plural(int(min(l.ViolationCount, 2)), "violation", "violations")))
	}
	if l.Generator.Overloaded {
		if v.Status == StatusPass {
			v.Status, v.ExitCode = StatusInvalid, ExitInvalid
		}
		reason := "the load generator was overloaded"
		if l.Generator.Reason != "" {
			reason += ": " + l.Generator.Reason
		}
		v.Reasons = append(v.Reasons, reason)
	}
	for _, t := range l.Thresholds {
		if !t.Passed {
			if v.Status == StatusPass {
				v.Status, v.ExitCode = StatusFail, ExitThresholds
			}
			v.Reasons = append(v.Reasons, "threshold "+t.Describe())
		}
	}
	return v
}
