package load

import (
	"context"
	crand "crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"math/rand/v2"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/emersion/go-imap/v2"

	"github.com/imapgauge/imapgauge/reports"
)

// Config is everything a load run needs. Zero values of the optional fields
// are valid (see each field).
type Config struct {
	Target   Target
	Workload *Workload
	// Users overrides Workload.Users when positive.
	Users int
	Seed  int64
	Shard Shard
	// Duration and RampUp override the workload's when positive (RampUp:
	// when not negative and RampUpSet).
	Duration  time.Duration
	RampUp    time.Duration
	RampUpSet bool
	// Timeout bounds every dial, handshake and command (default 10s).
	Timeout time.Duration
	// Credentials is "NAME:PASSWORD" where %d in either part is replaced by
	// the user's number (1-based), as imaptest does.
	Credentials string
	// Thresholds are k6-style expressions (reports.ParseThreshold).
	Thresholds []string
	// Disable lists capabilities the devices must not use even when the
	// server has them (IDLE, CONDSTORE, MOVE, UIDPLUS...).
	Disable []string
	// ResetMailboxes deletes every message of the users' INBOX and folders
	// before the run. Off by default: it destroys mail.
	ResetMailboxes bool
	// Interval is the length of one time-series entry (default: the run's
	// duration / 60, between 1s and 1m).
	Interval time.Duration
	// ToolVersion goes into the result.
	ToolVersion string
	// TargetDescription says what the target is ("embedded reference
	// server").
	TargetDescription string
	// Settings are recorded in the result's environment.
	Settings map[string]string

	// userOffset shifts the user numbers (tests that share one server).
	userOffset int
}

func (c *Config) disabled(capName string) bool {
	for _, d := range c.Disable {
		if strings.EqualFold(d, capName) {
			return true
		}
	}
	return false
}

// UnreachableError says the target could not be reached at all.
type UnreachableError struct{ Err error }

func (e *UnreachableError) Error() string { return "target unreachable: " + e.Err.Error() }
func (e *UnreachableError) Unwrap() error { return e.Err }

// user is one simulated user: credentials, devices, ledger, and the deliverer's
// session.
type user struct {
	r        *Runner
	index    int
	name     string
	password string
	devices  []*device
	ledger   *ledger
	// actionToken serialises the user's actions (capacity 1);
	// pendingActions counts actions waiting for it.
	actionToken    chan struct{}
	pendingActions atomic.Int32
	msgSeq         atomic.Int64

	mtaMu    sync.Mutex
	mta      *session
	mtaTimer *time.Timer
	mtaQueue int
}

func (u *user) nextMessageID(kind string) string {
	n := u.msgSeq.Add(1)
	return fmt.Sprintf("%s.%d.%s.%d.%s@imapgauge.invalid", kind, n, u.name, u.r.cfg.Seed, u.r.runID)
}

// intern returns the ledger's copy of a generated message's Message-ID, so
// that the caches of the user's devices share one string.
func (u *user) intern(id string) string {
	u.ledger.mu.Lock()
	defer u.ledger.mu.Unlock()
	if m := u.ledger.msgs[id]; m != nil {
		return m.id
	}
	return id
}

// Credential returns the name and password of user number n (1-based) from a
// "NAME:PASSWORD" template.
func Credential(template string, n int) (string, string, error) {
	name, pw, ok := strings.Cut(template, ":")
	if !ok || name == "" || pw == "" {
		return "", "", errors.New("credentials must be NAME:PASSWORD, for example 'user%d:secret'")
	}
	num := fmt.Sprint(n)
	return strings.ReplaceAll(name, "%d", num), strings.ReplaceAll(pw, "%d", num), nil
}

// Runner is one load run, an executor in two steps: Init prepares the users'
// mailboxes, Run applies the schedule. Progress and Result may be called from
// other goroutines at any time; the runner never draws anything itself.
type Runner struct {
	cfg Config
	// capSets shares the filtered capability sets among sessions.
	capSets sync.Map
	// runID makes the Message-IDs of this run unique among runs with the
	// same seed against the same mailboxes.
	runID    string
	workload *Workload
	users    []*user // the shard's users
	byIndex  map[int]*user
	duration time.Duration
	rampUp   time.Duration
	started  time.Time
	metrics  *metrics
	health   *health

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	result    *reports.Result
	resultMu  sync.Mutex
	finished  atomic.Bool
	lost      atomic.Bool // the target went away
	ending    atomic.Bool // the schedule is over
	lastOK    atomic.Int64
	failures  atomic.Int64
	lostCause atomic.Value
}

// New checks the configuration and builds a runner.
func New(cfg Config) (*Runner, error) {
	if cfg.Workload == nil {
		return nil, errors.New("no workload")
	}
	w := cfg.Workload
	if errs := w.Validate(); len(errs) > 0 {
		return nil, errs[0]
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 10 * time.Second
	}
	if _, _, err := Credential(cfg.Credentials, 1); err != nil {
		return nil, err
	}
	if cfg.Users <= 0 {
		cfg.Users = w.Users
	}
	var nonce [4]byte
	_, _ = crand.Read(nonce[:])
	r := &Runner{cfg: cfg, workload: w, duration: w.Duration, rampUp: w.RampUp, byIndex: map[int]*user{},
		runID: hex.EncodeToString(nonce[:])}
	if cfg.Duration > 0 {
		r.duration = cfg.Duration
	}
	if cfg.RampUpSet && cfg.RampUp >= 0 {
		r.rampUp = cfg.RampUp
	}
	if !cfg.RampUpSet && r.rampUp > r.duration/2 {
		// A short run of a profile with a long ramp-up: keep the ramp-up
		// a quarter of the run.
		r.rampUp = r.duration / 4
	}
	if r.rampUp >= r.duration {
		return nil, fmt.Errorf("ramp-up %s must be shorter than the run (%s)", r.rampUp, r.duration)
	}
	if _, err := reports.NewThresholds(cfg.Thresholds); err != nil {
		return nil, err
	}
	if cfg.Interval <= 0 {
		cfg.Interval = min(max(r.duration/60, time.Second), time.Minute)
		r.cfg.Interval = cfg.Interval
	}
	for i := range cfg.Users {
		if !cfg.Shard.Owns(i) {
			continue
		}
		name, pw, _ := Credential(cfg.Credentials, i+1+cfg.userOffset)
		u := &user{r: r, index: i, name: name, password: pw, actionToken: make(chan struct{}, 1)}
		u.ledger = newLedger(u)
		counts := map[DeviceKind]int{}
		for di, si := range userDevices(w, cfg.Seed, i) {
			spec := &w.Devices[si]
			counts[spec.Kind]++
			u.devices = append(u.devices, &device{r: r, u: u, index: di, spec: spec,
				name: fmt.Sprintf("%s/%s-%d", name, spec.Kind, counts[spec.Kind])})
		}
		r.users = append(r.users, u)
		r.byIndex[i] = u
	}
	if len(r.users) == 0 {
		return nil, fmt.Errorf("shard %d/%d has no users out of %d", cfg.Shard.Index, cfg.Shard.Count, cfg.Users)
	}
	r.result = r.newResult()
	return r, nil
}

func (r *Runner) newResult() *reports.Result {
	res := reports.NewLoad(r.cfg.ToolVersion, r.cfg.Target.URL)
	res.Target.Description = r.cfg.TargetDescription
	res.Environment.Settings = r.cfg.Settings
	l := res.Load
	w := r.workload
	l.Profile = reports.Profile{Name: w.Name, Source: w.Source, Description: w.Description, Definition: w.Definition}
	l.Seed = r.cfg.Seed
	l.Users = len(r.users)
	l.Duration, l.RampUp, l.Interval = r.duration, r.rampUp, r.cfg.Interval
	if r.cfg.Shard.Count > 1 {
		l.Shard = &reports.Shard{Index: r.cfg.Shard.Index, Count: r.cfg.Shard.Count}
	}
	counts := map[DeviceKind]int{}
	for _, u := range r.users {
		for _, d := range u.devices {
			counts[d.spec.Kind]++
		}
	}
	for _, k := range DeviceKinds {
		if counts[k] > 0 {
			l.Devices = append(l.Devices, reports.DeviceCount{Kind: string(k), Count: counts[k]})
		}
	}
	l.Schedule.IntendedRate = IntendedRate(w, r.cfg.Users, r.cfg.Seed, r.cfg.Shard)
	l.Thresholds, _ = reports.NewThresholds(r.cfg.Thresholds)
	return res
}

// Devices returns the number of simulated devices of the shard.
func (r *Runner) Devices() int {
	n := 0
	for _, u := range r.users {
		n += len(u.devices)
	}
	return n
}

// Duration is the planned length of the run.
func (r *Runner) Duration() time.Duration { return r.duration }

// Init probes the target and prepares every user's mailboxes: the folders the
// actions use exist, the mailboxes are emptied when asked, and the initial
// messages are delivered. An unreachable target gives *UnreachableError.
func (r *Runner) Init(ctx context.Context) error {
	r.metrics = newMetrics(time.Now(), r.cfg.Interval)
	r.ctx, r.cancel = context.WithCancel(ctx)
	u0 := r.users[0]
	s, err := r.dialSetup(ctx, u0)
	if err != nil {
		var ne interface{ Timeout() bool }
		if strings.HasPrefix(err.Error(), "tcp:") || strings.HasPrefix(err.Error(), "tls:") || strings.HasPrefix(err.Error(), "greeting:") || errors.As(err, &ne) {
			return &UnreachableError{Err: err}
		}
		return fmt.Errorf("%s cannot log in: %w", u0.name, err)
	}
	r.resultMu.Lock()
	for c := range s.caps {
		r.result.Target.Capabilities = append(r.result.Target.Capabilities, string(c))
	}
	r.resultMu.Unlock()
	s.logout()

	work := make(chan *user)
	errc := make(chan error, len(r.users))
	workers := min(len(r.users), 16)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for u := range work {
				if err := r.prepare(ctx, u); err != nil {
					errc <- fmt.Errorf("preparing %s: %w", u.name, err)
				}
			}
		}()
	}
	for _, u := range r.users {
		select {
		case work <- u:
		case <-ctx.Done():
		}
	}
	close(work)
	wg.Wait()
	close(errc)
	return <-errc
}

// dialSetup opens a session for preparing mailboxes: its commands are not
// part of the measurement.
func (r *Runner) dialSetup(ctx context.Context, u *user) (*session, error) {
	return r.dialWith(ctx, u, nil, u.name+"/setup", true)
}

// prepare sets up one user's mailboxes.
func (r *Runner) prepare(ctx context.Context, u *user) error {
	s, err := r.dialSetup(ctx, u)
	if err != nil {
		return err
	}
	defer s.logout()
	w := r.workload
	for _, f := range []string{w.Mailbox.Archive, w.Mailbox.Trash, w.Mailbox.Sent} {
		// NO [ALREADYEXISTS] is fine (RFC 3501 section 6.3.3 lets CREATE of
		// an existing name fail).
		_ = s.run("CREATE", func() error { return s.c.Create(f, nil).Wait() })
		if s.closed.Load() {
			return errors.New("connection lost during setup")
		}
	}
	if r.cfg.ResetMailboxes {
		for _, f := range []string{"INBOX", w.Mailbox.Archive, w.Mailbox.Trash, w.Mailbox.Sent} {
			var data *imap.SelectData
			if err := s.run("SELECT", func() error {
				var err error
				data, err = s.c.Select(f, nil).Wait()
				return err
			}); err != nil {
				return err
			}
			if data.NumMessages == 0 {
				continue
			}
			all := imap.SeqSet{imap.SeqRange{Start: 1, Stop: 0}}
			if err := s.run("STORE", func() error {
				return s.c.Store(all, &imap.StoreFlags{Op: imap.StoreFlagsAdd, Silent: true, Flags: []imap.Flag{imap.FlagDeleted}}, nil).Close()
			}); err != nil {
				return err
			}
			if err := s.run("EXPUNGE", func() error { return s.c.Expunge().Close() }); err != nil {
				return err
			}
		}
	}
	rng := newRand(r.cfg.Seed, u.index, 200)
	for range w.Mailbox.InitialMessages {
		if err := r.append(s, u, rng); err != nil {
			return err
		}
	}
	return nil
}

// append delivers one generated message to the user's INBOX over s and
// records it in the ledger.
func (r *Runner) append(s *session, u *user, rng *rand.Rand) error {
	w := r.workload
	id := u.nextMessageID("msg")
	size := MessageSize(rng, &w.Delivery)
	g := buildMessage(rng, id, u.name, subject(rng), "", size, w.Delivery.AttachmentShare, time.Now().Truncate(time.Second))
	sent := time.Now()
	err := s.run("APPEND", func() error {
		cmd := s.c.Append("INBOX", int64(len(g.raw)), &imap.AppendOptions{Time: g.date})
		if _, err := cmd.Write(g.raw); err != nil {
			cmd.Close()
			return err
		}
		if err := cmd.Close(); err != nil {
			return err
		}
		_, err := cmd.Wait()
		return err
	})
	if err != nil {
		if !answered(err) {
			u.ledger.uncertain(id, g.hash, int64(len(g.raw)))
		}
		return err
	}
	// RFC 3501 section 6.3.11: without a flag list the message gets no
	// flags (other than \Recent, which the checks ignore).
	u.ledger.appended(id, "INBOX", g.hash, int64(len(g.raw)), time.Now(), true, 0)
	if r.started.IsZero() {
		u.ledger.settled(id)
		return nil
	}
	r.metrics.deliveries.Add(1)
	for _, d := range u.devices {
		if ds := d.session(); ds != nil {
			ds.expectDelivery(sent)
		}
	}
	return nil
}

// deliver runs a delivery tick: the user's mail arrives by APPEND over the
// deliverer's session, kept open for a while between deliveries.
func (r *Runner) deliver(q queued) {
	defer r.wg.Done()
	u := r.byIndex[q.t.User]
	u.mtaMu.Lock()
	defer u.mtaMu.Unlock()
	r.tickStarted(q)
	if u.mta == nil || u.mta.closed.Load() {
		s, err := r.dial(r.ctx, u, nil, u.name+"/delivery")
		if err != nil {
			r.noteFailure(err)
			return
		}
		u.mta = s
	}
	rng := rand.New(rand.NewPCG(q.t.Rand, uint64(q.t.User)))
	u.mta.late.Store(int64(max(0, time.Since(q.due))))
	if err := r.append(u.mta, u, rng); err != nil {
		r.noteFailure(err)
		return
	}
	r.noteSuccess()
	if u.mtaTimer != nil {
		u.mtaTimer.Stop()
	}
	s := u.mta
	u.mtaTimer = time.AfterFunc(10*time.Second, func() {
		u.mtaMu.Lock()
		defer u.mtaMu.Unlock()
		if u.mta == s {
			s.logout()
			u.mta = nil
		}
	})
}

// checkpoint asks every device of the user that keeps INBOX to resynchronise
// and compares what they see. Rule (checkpoint-disagree): with the user's
// actions paused, every message of INBOX the ledger vouches for (acknowledged
// before the checkpoint, nothing in flight) and every message the generator
// did not create must look the same — present or absent, same system flags —
// on every device.
func (r *Runner) checkpoint(q queued) {
	defer r.wg.Done()
	u := r.byIndex[q.t.User]
	r.tickStarted(q)
	select {
	case u.actionToken <- struct{}{}:
	case <-r.ctx.Done():
		return
	}
	defer func() { <-u.actionToken }()
	started := time.Now()
	reply := make(chan checkpointView, len(u.devices))
	n := 0
	for _, d := range u.devices {
		if !d.keeps("INBOX") || d.isAsleep() {
			continue
		}
		n++
		r.wg.Add(1)
		go func() {
			defer r.wg.Done()
			d.offerWait(queued{t: Tick{Kind: tickCheckpoint, User: u.index, Device: d.index}, due: started, reply: reply}, reply)
		}()
	}
	var views []checkpointView
	timeout := time.NewTimer(4 * r.cfg.Timeout)
	defer timeout.Stop()
	for range n {
		select {
		case v := <-reply:
			if v.err == nil && v.msgs != nil {
				views = append(views, v)
			}
		case <-timeout.C:
			return
		case <-r.ctx.Done():
			return
		}
	}
	if len(views) < 2 {
		return
	}
	l := u.ledger
	l.mu.Lock()
	stable := func(id string) bool {
		m := l.msgs[id]
		if m == nil {
			return true // not generated by this run: nobody changes it
		}
		return !m.untracked && m.inflight == 0 && m.changedAt.Before(started) && m.placedAt.Before(started)
	}
	ids := map[string]bool{}
	for _, v := range views {
		for id := range v.msgs {
			if id != "" && stable(id) {
				ids[id] = true
			}
		}
	}
	l.mu.Unlock()
	for id := range ids {
		ref := views[0]
		rf, rok := ref.msgs[id]
		for _, v := range views[1:] {
			f, ok := v.msgs[id]
			if ok != rok || f != rf {
				desc := func(ok bool, f uint8) string {
					if !ok {
						return "absent"
					}
					return "present " + flagString(f)
				}
				r.violation(u, v.dev, finding{check: checkCheckpoint, mailbox: "INBOX",
					message:  fmt.Sprintf("devices disagree on %s at a checkpoint", id),
					expected: ref.dev.name + ": " + desc(rok, rf), actual: v.dev.name + ": " + desc(ok, f)}, v.dev.session())
				return
			}
		}
	}
}

// offerWait hands a checkpoint tick to the device, and answers for it when the
// device skips it.
func (d *device) offerWait(q queued, reply chan checkpointView) {
	d.mu.Lock()
	full := d.stopped || d.busy && len(d.queue) >= maxQueue
	d.mu.Unlock()
	if full {
		reply <- checkpointView{dev: d, err: errors.New("device busy")}
		return
	}
	q.t.Kind = tickCheckpoint
	d.offerUnscheduled(q)
}

// offerUnscheduled queues work that is part of a scheduled user-level tick.
func (d *device) offerUnscheduled(q queued) {
	d.mu.Lock()
	if d.stopped {
		d.mu.Unlock()
		d.drop(q)
		return
	}
	if d.busy {
		d.queue = append(d.queue, q)
		d.mu.Unlock()
		return
	}
	d.busy = true
	d.mu.Unlock()
	d.r.wg.Add(1)
	go d.work(q)
}

// violation records a finding as a violation with the transcript of the
// session where it was seen.
func (r *Runner) violation(u *user, d *device, f finding, s *session) {
	v := reports.Violation{Check: f.check, User: u.name, Mailbox: f.mailbox, Message: f.message, Expected: f.expected, Actual: f.actual}
	if d != nil {
		v.Device = d.name
	}
	r.metrics.violation(v, func() []reports.Transcript { return s.transcripts() })
}

// tickStarted counts a scheduled tick as executed, late when it began more
// than lateAfter after its time.
func (r *Runner) tickStarted(q queued) {
	if q.reply != nil && q.t.Kind == tickCheckpoint && q.t.Device >= 0 {
		return // a device's share of a user-level checkpoint
	}
	if time.Since(q.due) > lateAfter {
		r.metrics.tickDone(q.due, tickLate)
	} else {
		r.metrics.tickDone(q.due, tickOnTime)
	}
}

func (r *Runner) tickSkipped(q queued) {
	if q.reply != nil {
		return
	}
	if q.release != nil {
		q.release()
	}
	r.metrics.tickDone(q.due, tickSkipped)
}

// lateAfter is how far past its time a tick may start and still count as on
// time: timer and dispatch delays of a healthy generator stay well below it.
const lateAfter = 25 * time.Millisecond

// noteFailure and noteSuccess watch for a target that went away: when every
// attempt fails for lostAfter, the run ends.
func (r *Runner) noteFailure(err error) {
	r.failures.Add(1)
	last := time.Unix(0, r.lastOK.Load())
	if time.Since(last) > r.lostAfter() && r.ctx.Err() == nil && !r.ending.Load() {
		if r.lost.CompareAndSwap(false, true) {
			r.lostCause.Store(err.Error())
			r.cancel()
		}
	}
}

func (r *Runner) noteSuccess() { r.lastOK.Store(time.Now().UnixNano()) }

func (r *Runner) lostAfter() time.Duration { return max(2*r.cfg.Timeout, 5*time.Second) }

// Run applies the schedule until the run's duration ends, the context is
// cancelled, or the target is lost; then it closes every session and leaves
// the result ready (Result). It returns *UnreachableError when the target
// went away during the run.
func (r *Runner) Run(ctx context.Context) error {
	if r.ctx == nil {
		return errors.New("Run before Init")
	}
	stop := context.AfterFunc(ctx, r.cancel)
	defer stop()
	r.started = time.Now()
	r.metrics.start = r.started
	r.noteSuccess()
	r.resultMu.Lock()
	r.result.Started = r.started.UTC()
	r.resultMu.Unlock()
	r.health = startHealth(r)
	sched := NewSchedule(r.workload, r.cfg.Users, r.cfg.Seed, r.cfg.Shard, r.duration, r.rampUp)
	r.dispatch(sched)
	// Let running commands finish, within the timeout; waits for a user
	// or a think time end now.
	r.stopDevices()
	r.ending.Store(true)
	r.cancel()
	waitBounded(&r.wg, 2*r.cfg.Timeout)
	r.closeSessions()
	r.health.stop()
	elapsed := time.Since(r.started)
	waitBounded(&r.wg, 2*r.cfg.Timeout)
	r.finish(elapsed, ctx.Err() != nil || r.lost.Load())
	if r.lost.Load() {
		cause, _ := r.lostCause.Load().(string)
		return &UnreachableError{Err: errors.New(cause)}
	}
	return nil
}

// dispatch is the open-model scheduler: one goroutine walks the schedule and
// hands every tick to its device at its time, whether or not earlier ticks
// finished. Its own timer lateness is the generator's scheduler lag.
func (r *Runner) dispatch(sched *Schedule) {
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for {
		next, ok := sched.Peek()
		if !ok {
			// Nothing left: wait for the end of the run.
			select {
			case <-time.After(time.Until(r.started.Add(r.duration))):
			case <-r.ctx.Done():
			}
			return
		}
		elapsed := time.Since(r.started)
		wait, stop := Pace(elapsed, next, r.duration)
		if stop {
			select {
			case <-time.After(r.duration - elapsed):
			case <-r.ctx.Done():
			}
			return
		}
		if wait > 0 {
			timer.Reset(wait)
			select {
			case <-timer.C:
				r.metrics.recordSchedulerLag(time.Since(r.started) - next)
			case <-r.ctx.Done():
				return
			}
		}
		now := time.Since(r.started)
		for {
			at, ok := sched.Peek()
			if !ok || at > now {
				break
			}
			t, _ := sched.Next()
			r.send(t)
		}
	}
}

// send dispatches one tick.
func (r *Runner) send(t Tick) {
	due := r.started.Add(t.At)
	r.metrics.tickScheduled(due)
	q := queued{t: t, due: due}
	u := r.byIndex[t.User]
	switch t.Kind {
	case tickDeliver:
		r.wg.Add(1)
		go r.deliver(q)
	case tickCheckpoint:
		r.wg.Add(1)
		go r.checkpoint(q)
	case tickAction:
		// The user does one thing at a time: the action waits for the
		// user (not on the device, which goes on with its own work) and
		// then goes to the device. A user more than maxQueue actions
		// behind skips the new one.
		if u.pendingActions.Add(1) > maxQueue {
			u.pendingActions.Add(-1)
			r.tickSkipped(q)
			return
		}
		r.wg.Add(1)
		go func() {
			defer r.wg.Done()
			defer u.pendingActions.Add(-1)
			select {
			case u.actionToken <- struct{}{}:
			case <-r.ctx.Done():
				r.tickSkipped(q)
				return
			}
			q.release = func() { <-u.actionToken }
			u.devices[t.Device].offer(q)
		}()
	default:
		u.devices[t.Device].offer(q)
	}
}

func (r *Runner) stopDevices() {
	for _, u := range r.users {
		for _, d := range u.devices {
			d.mu.Lock()
			d.stopped = true
			d.mu.Unlock()
		}
	}
}

// closeSessions ends every session: LOGOUT where it can within a short bound,
// closing otherwise.
func (r *Runner) closeSessions() {
	var wg sync.WaitGroup
	sem := make(chan struct{}, 64)
	for _, u := range r.users {
		var ss []*session
		for _, d := range u.devices {
			d.mu.Lock()
			if d.sess != nil {
				ss = append(ss, d.sess)
				d.sess = nil
			}
			d.mu.Unlock()
		}
		u.mtaMu.Lock()
		if u.mta != nil {
			ss = append(ss, u.mta)
			u.mta = nil
		}
		if u.mtaTimer != nil {
			u.mtaTimer.Stop()
		}
		u.mtaMu.Unlock()
		for _, s := range ss {
			wg.Add(1)
			sem <- struct{}{}
			go func() {
				defer wg.Done()
				defer func() { <-sem }()
				if r.lost.Load() {
					s.close()
					return
				}
				s.mu.Lock()
				cmd := s.idleCmd
				s.idleCmd = nil
				s.mu.Unlock()
				if cmd != nil {
					t := time.AfterFunc(r.cfg.Timeout, func() { s.close() })
					_ = cmd.Close()
					_ = cmd.Wait()
					t.Stop()
				}
				t := time.AfterFunc(min(r.cfg.Timeout, 2*time.Second), func() { s.close() })
				_ = s.c.Logout().Wait()
				t.Stop()
				s.close()
			}()
		}
	}
	wg.Wait()
}

// finish writes the final figures into the result.
func (r *Runner) finish(elapsed time.Duration, interrupted bool) {
	res := r.snapshot(time.Now())
	res.Load.Schedule.Elapsed = elapsed
	if elapsed > 0 {
		res.Load.Schedule.AchievedRate = float64(res.Load.Schedule.Executed) / elapsed.Seconds()
	}
	if interrupted {
		res.State = reports.StateInterrupted
		res.Finished = time.Now().UTC()
		res.Judge(false)
	} else {
		res.Finish(false)
	}
	if r.lost.Load() {
		cause, _ := r.lostCause.Load().(string)
		if res.Verdict.Status == reports.StatusError || res.Verdict.Status == reports.StatusPass {
			res.Verdict = reports.Verdict{Status: reports.StatusError, ExitCode: reports.ExitUnreachable,
				Reasons: []string{"the target stopped answering during the run: " + cause}}
		} else {
			res.Verdict.Reasons = append(res.Verdict.Reasons, "the target stopped answering during the run: "+cause)
		}
	}
	r.resultMu.Lock()
	r.result = res
	r.resultMu.Unlock()
	r.finished.Store(true)
}

// snapshot builds a result from the figures so far.
func (r *Runner) snapshot(now time.Time) *reports.Result {
	r.resultMu.Lock()
	base := *r.result
	l := *r.result.Load
	base.Target.Capabilities = append([]string(nil), r.result.Target.Capabilities...)
	r.resultMu.Unlock()
	l.Thresholds = append([]reports.Threshold(nil), l.Thresholds...)
	l.Commands, l.Series = nil, nil
	if r.metrics != nil {
		r.metrics.fill(&l, now)
	}
	if !r.started.IsZero() {
		l.Schedule.Elapsed = min(now.Sub(r.started), r.duration)
		if l.Schedule.Elapsed > 0 {
			l.Schedule.AchievedRate = float64(l.Schedule.Executed) / l.Schedule.Elapsed.Seconds()
		}
	}
	if r.health != nil {
		r.health.fill(&l.Generator)
	}
	base.Load = &l
	if !r.finished.Load() {
		base.State = reports.StateRunning
		base.Judge(false)
	}
	return &base
}

// Result returns the run's result: the final one after Run, a snapshot of the
// figures so far while it runs (safe to encode concurrently).
func (r *Runner) Result() *reports.Result {
	if r.finished.Load() {
		r.resultMu.Lock()
		defer r.resultMu.Unlock()
		return r.result
	}
	return r.snapshot(time.Now())
}

// Progress is what a progress display shows, pulled by the display.
type Progress struct {
	Elapsed, Duration time.Duration
	Devices           int
	// Connected counts devices with a logged-in session; Idling the
	// sessions in IDLE.
	Connected       int64
	Idling          int64
	Commands        int64
	Errors          int64
	Violations      int64
	Scheduled, Late int64
	Skipped         int64
	Deliveries      int64
	// P99 is the 99th percentile of all commands so far.
	P99 time.Duration
}

// Progress returns the run's progress.
func (r *Runner) Progress() Progress {
	p := Progress{Duration: r.duration, Devices: r.Devices()}
	if r.metrics == nil {
		return p
	}
	m := r.metrics
	if !r.started.IsZero() {
		p.Elapsed = min(time.Since(r.started), r.duration)
	}
	p.Connected = m.devicesOnline.Load()
	p.Idling = m.conns[connIdling].Load()
	p.Commands, p.Errors, p.Violations = m.cmdCount.Load(), m.errCount.Load(), m.violCount.Load()
	p.Scheduled, p.Late, p.Skipped = m.scheduled.Load(), m.late.Load(), m.skipped.Load()
	p.Deliveries = m.deliveries.Load()
	m.mu.Lock()
	all := reports.NewLatencyHistogram()
	for _, c := range m.commands {
		_ = all.Merge(c.Latency)
	}
	m.mu.Unlock()
	p.P99 = all.Percentile(99)
	return p
}

// numGoroutines is split out for the health sampler.
func numGoroutines() int64 { return int64(runtime.NumGoroutine()) }

// waitBounded waits for wg, at most d.
func waitBounded(wg *sync.WaitGroup, d time.Duration) {
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-done:
	case <-t.C:
	}
}
