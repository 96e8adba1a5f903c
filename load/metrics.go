package load

import (
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/imapgauge/imapgauge/reports"
)

// Status is how a command ended.
type Status uint8

// Command outcomes, as counted in reports.CommandStats.
const (
	StatusOK Status = iota
	StatusNO
	StatusBAD
	StatusTimeout
	// StatusFailed: the connection broke before a status response.
	StatusFailed
)

func (s Status) String() string {
	return [...]string{"OK", "NO", "BAD", "timeout", "failed"}[s]
}

// Connection states counted in the time series (reports.Interval).
const (
	connConnecting = iota
	connNotAuthenticated
	connAuthenticated
	connSelected
	connIdling
	numConnStates
)

var connStateNames = [numConnStates]string{"connecting", "not-authenticated", "authenticated", "selected", "idling"}

// Setup phases, in order (reports.PhaseStats).
const (
	phaseTCP = iota
	phaseTLS
	phaseGreeting
	phaseAuth
	phaseSelect
	numPhases
)

var phaseNames = [numPhases]string{"tcp", "tls", "greeting", "auth", "select"}

// Bounds on what a result keeps as examples.
const (
	maxViolationSamples = 50
	maxErrorSamples     = 50
)

// metrics records everything a run measures. Distributions are HDR histograms,
// never raw samples; one lock guards them (recording is a few hundred
// nanoseconds, far below the rate at which one generator issues commands).
type metrics struct {
	start    time.Time
	interval time.Duration

	mu         sync.Mutex
	commands   map[string]*reports.CommandStats
	phases     [numPhases]reports.PhaseStats
	syncLag    *reports.Histogram
	notify     *reports.Histogram
	schedLag   *reports.Histogram
	series     []*seriesSlot
	violations []reports.Violation
	byCheck    map[string]int64
	errors     []reports.ErrorSample

	// Counters read by the progress display without the lock.
	scheduled  atomic.Int64
	executed   atomic.Int64
	late       atomic.Int64
	skipped    atomic.Int64
	deliveries atomic.Int64
	cmdCount   atomic.Int64
	errCount   atomic.Int64
	violCount  atomic.Int64
	conns      [numConnStates]atomic.Int64
	// devicesOnline counts devices with a logged-in session (the
	// deliverer's sessions are not devices).
	devicesOnline atomic.Int64
	// unjudged counts notification expectations that could not be judged
	// (the session left IDLE before the bound).
	unjudged atomic.Int64
}

// seriesSlot is one interval of the time series while it is being filled.
type seriesSlot struct {
	scheduled, executed, late, skipped int64
	commands                           map[string]*reports.IntervalCommand
	connections                        map[string]int64
	syncLag, notify                    *reports.Histogram
	violations                         int64
}

func newMetrics(start time.Time, interval time.Duration) *metrics {
	m := &metrics{
		start:    start,
		interval: interval,
		commands: map[string]*reports.CommandStats{},
		syncLag:  reports.NewLatencyHistogram(),
		notify:   reports.NewLatencyHistogram(),
		schedLag: reports.NewLatencyHistogram(),
		byCheck:  map[string]int64{},
	}
	for i := range m.phases {
		m.phases[i] = reports.PhaseStats{Name: phaseNames[i], Latency: reports.NewLatencyHistogram()}
	}
	return m
}

// slot returns the series slot for time t, creating the slots up to it. The
// caller holds m.mu.
func (m *metrics) slot(t time.Time) *seriesSlot {
	i := int(t.Sub(m.start) / m.interval)
	if i < 0 {
		i = 0
	}
	// A run is bounded in time; the cap only protects against a clock jump.
	if i > 100000 {
		i = 100000
	}
	for len(m.series) <= i {
		m.series = append(m.series, &seriesSlot{commands: map[string]*reports.IntervalCommand{}})
	}
	return m.series[i]
}

// command records one command: its name ("UID FETCH"), latency and outcome.
func (m *metrics) command(name string, at time.Time, latency time.Duration, st Status) {
	m.cmdCount.Add(1)
	if st != StatusOK {
		m.errCount.Add(1)
	}
	m.mu.Lock()
	c := m.commands[name]
	if c == nil {
		c = &reports.CommandStats{Name: name, Latency: reports.NewLatencyHistogram()}
		m.commands[name] = c
	}
	switch st {
	case StatusOK:
		c.OK++
	case StatusNO:
		c.NO++
	case StatusBAD:
		c.BAD++
	case StatusTimeout:
		c.Timeout++
	case StatusFailed:
		c.Failed++
	}
	if st != StatusFailed && st != StatusTimeout || latency > 0 {
		c.Latency.Record(latency)
	}
	s := m.slot(at)
	ic := s.commands[name]
	if ic == nil {
		ic = &reports.IntervalCommand{Name: name, Latency: reports.NewSeriesHistogram()}
		s.commands[name] = ic
	}
	ic.Latency.Record(latency)
	if st != StatusOK {
		ic.Errors++
	}
	m.mu.Unlock()
}

// phase records one session setup phase.
func (m *metrics) phase(p int, d time.Duration, ok bool) {
	m.mu.Lock()
	if ok {
		m.phases[p].Latency.Record(d)
	} else {
		m.phases[p].Failures++
	}
	m.mu.Unlock()
}

func (m *metrics) recordSyncLag(at time.Time, d time.Duration) {
	m.mu.Lock()
	m.syncLag.Record(d)
	s := m.slot(at)
	if s.syncLag == nil {
		s.syncLag = reports.NewSeriesHistogram()
	}
	s.syncLag.Record(d)
	m.mu.Unlock()
}

func (m *metrics) recordNotification(at time.Time, d time.Duration) {
	m.mu.Lock()
	m.notify.Record(d)
	s := m.slot(at)
	if s.notify == nil {
		s.notify = reports.NewSeriesHistogram()
	}
	s.notify.Record(d)
	m.mu.Unlock()
}

func (m *metrics) recordSchedulerLag(d time.Duration) {
	m.mu.Lock()
	m.schedLag.Record(d)
	m.mu.Unlock()
}

// tick counts one scheduled tick and what became of it.
type tickOutcome uint8

const (
	tickOnTime tickOutcome = iota
	tickLate
	tickSkipped
)

func (m *metrics) tickScheduled(at time.Time) {
	m.scheduled.Add(1)
	m.mu.Lock()
	m.slot(at).scheduled++
	m.mu.Unlock()
}

func (m *metrics) tickDone(at time.Time, o tickOutcome) {
	m.mu.Lock()
	s := m.slot(at)
	switch o {
	case tickSkipped:
		m.skipped.Add(1)
		s.skipped++
	case tickLate:
		m.late.Add(1)
		m.executed.Add(1)
		s.late++
		s.executed++
	default:
		m.executed.Add(1)
		s.executed++
	}
	m.mu.Unlock()
}

// violation records a correctness violation. Only the first ones keep their
// details and transcripts; every one is counted.
func (m *metrics) violation(v reports.Violation, transcripts func() []reports.Transcript) {
	m.violCount.Add(1)
	m.mu.Lock()
	v.Offset = time.Since(m.start)
	m.byCheck[v.Check]++
	m.slot(time.Now()).violations++
	keep := len(m.violations) < maxViolationSamples
	m.mu.Unlock()
	if !keep {
		return
	}
	if transcripts != nil {
		v.Transcripts = transcripts()
	}
	m.mu.Lock()
	if len(m.violations) < maxViolationSamples {
		m.violations = append(m.violations, v)
	}
	m.mu.Unlock()
}

// errorSample keeps the first command errors with their transcripts.
func (m *metrics) errorSample(e reports.ErrorSample, transcripts func() []reports.Transcript) {
	m.mu.Lock()
	keep := len(m.errors) < maxErrorSamples
	m.mu.Unlock()
	if !keep {
		return
	}
	e.Offset = time.Since(m.start)
	if transcripts != nil {
		e.Transcripts = transcripts()
	}
	m.mu.Lock()
	if len(m.errors) < maxErrorSamples {
		m.errors = append(m.errors, e)
	}
	m.mu.Unlock()
}

// connMove moves one connection from one state to another (-1: none).
func (m *metrics) connMove(from, to int) {
	if from >= 0 {
		m.conns[from].Add(-1)
	}
	if to >= 0 {
		m.conns[to].Add(1)
	}
}

// sampleConnections stores the connection counts in the series slot of t.
func (m *metrics) sampleConnections(t time.Time) {
	counts := make(map[string]int64, numConnStates)
	for i := range m.conns {
		counts[connStateNames[i]] = m.conns[i].Load()
	}
	m.mu.Lock()
	m.slot(t).connections = counts
	m.mu.Unlock()
}

// fill copies the recorded figures into l (histograms cloned), so that l can
// be encoded while the run goes on.
func (m *metrics) fill(l *reports.Load, until time.Time) {
	m.mu.Lock()
	defer m.mu.Unlock()
	l.Commands = l.Commands[:0]
	for _, c := range m.commands {
		cc := *c
		cc.Latency = c.Latency.Clone()
		l.Commands = append(l.Commands, cc)
	}
	l.SortCommands()
	l.Setup = make([]reports.PhaseStats, numPhases)
	for i, p := range m.phases {
		l.Setup[i] = reports.PhaseStats{Name: p.Name, Latency: p.Latency.Clone(), Failures: p.Failures}
	}
	l.SyncLag = m.syncLag.Clone()
	l.Notification = m.notify.Clone()
	l.Generator.SchedulerLag = m.schedLag.Clone()
	l.Series = l.Series[:0]
	last := int(until.Sub(m.start) / m.interval)
	for i, s := range m.series {
		if i > last {
			break
		}
		iv := reports.Interval{
			Offset:      time.Duration(i) * m.interval,
			Scheduled:   s.scheduled,
			Executed:    s.executed,
			Late:        s.late,
			Skipped:     s.skipped,
			Connections: s.connections,
			Violations:  s.violations,
		}
		names := make([]string, 0, len(s.commands))
		for n := range s.commands {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			c := s.commands[n]
			iv.Commands = append(iv.Commands, reports.IntervalCommand{Name: n, Latency: c.Latency.Clone(), Errors: c.Errors})
		}
		if s.syncLag != nil {
			iv.SyncLag = s.syncLag.Clone()
		}
		if s.notify != nil {
			iv.Notification = s.notify.Clone()
		}
		l.Series = append(l.Series, iv)
	}
	l.ViolationCount = m.violCount.Load()
	l.ViolationsByCheck = map[string]int64{}
	for k, v := range m.byCheck {
		l.ViolationsByCheck[k] = v
	}
	if len(l.ViolationsByCheck) == 0 {
		l.ViolationsByCheck = nil
	}
	l.Violations = append([]reports.Violation(nil), m.violations...)
	l.Errors = append([]reports.ErrorSample(nil), m.errors...)
	l.Schedule.Scheduled = m.scheduled.Load()
	l.Schedule.Executed = m.executed.Load()
	l.Schedule.Late = m.late.Load()
	l.Schedule.Skipped = m.skipped.Load()
	l.Schedule.Deliveries = m.deliveries.Load()
}
