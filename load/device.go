package load

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
)

// cached is what a device remembers of one message.
type cached struct {
	id    string // Message-ID without brackets ("" when the message has none)
	size  int64
	date  int64
	flags uint8
}

// mailboxCache is a device's local copy of one mailbox: UIDVALIDITY, UIDNEXT,
// HIGHESTMODSEQ and UID -> message (RFC 4549 section 4.3, the disconnected
// client's model).
type mailboxCache struct {
	uidValidity uint32
	uidNext     imap.UID
	modSeq      uint64
	msgs        map[imap.UID]*cached
}

func (c *mailboxCache) maxUID() imap.UID {
	m := imap.UID(0)
	for uid := range c.msgs {
		m = max(m, uid)
	}
	return m
}

// queued is a tick waiting for its device.
type queued struct {
	t   Tick
	due time.Time
	// reply receives a checkpoint's view.
	reply chan checkpointView
	// follow is the second half of an action; finish ends it.
	follow func(*session) error
	finish func(error)
	// release gives back the user's action token an action holds.
	release func()
}

// checkpointView is one device's INBOX at a checkpoint: Message-ID -> flags.
type checkpointView struct {
	dev  *device
	msgs map[string]uint8
	err  error
}

// maxQueue bounds the ticks waiting for a busy device; a tick beyond it is
// skipped (counted).
const maxQueue = 4

// device is one simulated device: its cache, its session, and the loop its
// kind runs. Its work runs in a goroutine started when a tick arrives and
// ending when the queue is empty, so an idle device holds no goroutine of its
// own.
type device struct {
	r     *Runner
	u     *user
	index int
	name  string
	spec  *DeviceSpec

	mu       sync.Mutex
	busy     bool
	queue    []queued
	react    bool
	sess     *session
	cache    map[string]*mailboxCache
	asleep   bool
	stopped  bool
	sessions int
	// late is how long the current tick waited past its scheduled time;
	// the tick's first command is charged with it.
	late atomic.Int64
}

// keeps reports whether the device keeps a cache of mailbox and synchronises
// it (the devices that take part in sync lag and checkpoints).
func (d *device) keeps(mailbox string) bool {
	switch d.spec.Kind {
	case Desktop, Laptop:
		return true
	case Phone:
		return mailbox == "INBOX"
	}
	return false
}

func (d *device) folders() []string {
	w := d.r.workload
	return []string{w.Mailbox.Archive, w.Mailbox.Trash, w.Mailbox.Sent}
}

// offer hands the device a tick. It runs now if the device is free, waits in
// the queue if not, and is skipped when the queue is full.
func (d *device) offer(q queued) {
	d.mu.Lock()
	if d.stopped {
		d.mu.Unlock()
		d.r.tickSkipped(q)
		return
	}
	if d.busy {
		if len(d.queue) >= maxQueue {
			d.mu.Unlock()
			d.r.tickSkipped(q)
			return
		}
		d.queue = append(d.queue, q)
		d.mu.Unlock()
		return
	}
	d.busy = true
	d.mu.Unlock()
	d.r.wg.Add(1)
	go d.work(q)
}

// poke is called by a session's handlers when the server announced something.
// An idling device reacts (fetches what is new); a busy one picks it up when
// its work ends.
func (d *device) poke(s *session) {
	s.mu.Lock()
	idling := s.sel != nil && s.sel.idling
	s.mu.Unlock()
	if !idling {
		return
	}
	d.mu.Lock()
	if d.stopped || d.sess != s {
		d.mu.Unlock()
		return
	}
	if d.busy {
		d.react = true
		d.mu.Unlock()
		return
	}
	d.busy = true
	d.mu.Unlock()
	d.r.wg.Add(1)
	go d.work(queued{t: Tick{Kind: tickReact, User: d.u.index, Device: d.index}, due: time.Now()})
}

func (d *device) work(q queued) {
	defer d.r.wg.Done()
	for {
		d.run(q)
		d.mu.Lock()
		switch {
		case d.stopped:
			d.busy = false
			dropped := d.queue
			d.queue = nil
			d.mu.Unlock()
			for _, q := range dropped {
				d.drop(q)
			}
			return
		case len(d.queue) > 0:
			q = d.queue[0]
			d.queue = d.queue[1:]
		case d.react:
			d.react = false
			q = queued{t: Tick{Kind: tickReact, User: d.u.index, Device: d.index}, due: time.Now()}
		default:
			d.busy = false
			d.queue = nil
			d.mu.Unlock()
			return
		}
		d.mu.Unlock()
	}
}

// drop answers for work that will not run: a follow-up ends its action
// unjudged, a checkpoint share reports the device as absent.
func (d *device) drop(q queued) {
	if q.release != nil {
		q.release()
	}
	if q.finish != nil {
		q.finish(errors.New("run ended"))
	}
	if q.reply != nil {
		q.reply <- checkpointView{dev: d, err: errors.New("run ended")}
	}
}

// run executes one tick.
func (d *device) run(q queued) {
	ctx := d.r.ctx
	t := q.t
	if t.Kind != tickReact && t.Kind != tickFollow {
		d.r.tickStarted(q)
		d.late.Store(int64(max(0, time.Since(q.due))))
	}
	var err error
	switch t.Kind {
	case tickConnect:
		if d.spec.Kind == Webmail || d.spec.Kind == Phone && d.spec.Mode == PhoneFetch {
			err = d.shortSession(ctx, nil)
		} else {
			err = d.online(ctx)
		}
	case tickSweep:
		err = d.sweep(ctx)
	case tickRenew:
		err = d.renew(ctx)
	case tickPoll:
		err = d.poll(ctx)
	case tickSleep:
		d.setAsleep(true)
		if s := d.session(); s != nil {
			s.tap.event("device goes to sleep: connection dropped")
			s.close()
		}
	case tickWake:
		d.setAsleep(false)
		err = d.online(ctx)
	case tickSession:
		err = d.shortSession(ctx, nil)
	case tickReconnect:
		if s := d.session(); s != nil {
			s.tap.event("network change: connection dropped")
			s.close()
		}
		err = d.online(ctx)
	case tickReact:
		err = d.reactToServer(ctx)
	case tickAction:
		err = d.action(ctx, q)
	case tickFollow:
		err = d.followUp(ctx, q)
	case tickCheckpoint:
		view, cerr := d.checkpoint(ctx)
		err = cerr
		q.reply <- checkpointView{dev: d, msgs: view, err: cerr}
	}
	if err != nil && ctx.Err() == nil {
		d.r.noteFailure(err)
	}
}

func (d *device) session() *session {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.sess != nil && d.sess.closed.Load() {
		d.sess = nil
	}
	return d.sess
}

func (d *device) setAsleep(v bool) {
	d.mu.Lock()
	d.asleep = v
	d.mu.Unlock()
}

func (d *device) isAsleep() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.asleep
}

func (d *device) mailbox(name string) *mailboxCache {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.cache == nil {
		d.cache = map[string]*mailboxCache{}
	}
	c := d.cache[name]
	if c == nil {
		c = &mailboxCache{msgs: map[imap.UID]*cached{}}
		d.cache[name] = c
	}
	return c
}

// connect opens a session for the device.
func (d *device) connect(ctx context.Context) (*session, error) {
	d.mu.Lock()
	d.sessions++
	name := fmt.Sprintf("%s#%d", d.name, d.sessions)
	d.mu.Unlock()
	s, err := d.r.dial(ctx, d.u, d, name)
	if err != nil {
		return nil, err
	}
	return s, nil
}

// online makes sure a persistent device (desktop, laptop, push phone) has a
// session with INBOX selected and synchronised, and idles when it should.
func (d *device) online(ctx context.Context) error {
	if s := d.session(); s != nil {
		return d.idle(s)
	}
	if d.isAsleep() {
		return nil
	}
	s, err := d.connect(ctx)
	if err != nil {
		return err
	}
	d.mu.Lock()
	d.sess = s
	d.mu.Unlock()
	first := true
	if d.spec.Kind == Desktop || d.spec.Kind == Laptop {
		// A full client resynchronises every folder it keeps on connect.
		for _, f := range d.folders() {
			if err := d.selectAndSync(s, f, true, first); err != nil {
				return err
			}
			first = false
		}
	}
	if err := d.selectAndSync(s, "INBOX", false, first); err != nil {
		return err
	}
	return d.idle(s)
}

// idle enters IDLE on the selected INBOX when the device holds IDLE and the
// server has it (RFC 2177); otherwise the device polls on its poll ticks.
func (d *device) idle(s *session) error {
	if !d.holdsIdle() || !s.has(imap.CapIdle) {
		return nil
	}
	s.mu.Lock()
	ok := s.sel != nil && s.sel.mailbox == "INBOX" && !s.sel.idling
	s.mu.Unlock()
	if !ok {
		return nil
	}
	var cmd *imapclient.IdleCommand
	err := s.run("IDLE", func() error {
		var err error
		cmd, err = s.c.Idle()
		return err
	})
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.idleCmd = cmd
	if s.sel != nil {
		s.sel.idling = true
		s.sel.idleSince = time.Now()
		s.sel.idleEpoch++
		s.sel.unclaimed = s.sel.unclaimed[:0]
	}
	s.mu.Unlock()
	d.r.setState(s, connIdling)
	return nil
}

func (d *device) holdsIdle() bool {
	return d.spec.Kind == Desktop || d.spec.Kind == Phone && d.spec.Mode == PhonePush
}

// leaveIdle ends IDLE (DONE) and waits for its tagged response.
func (d *device) leaveIdle(s *session) error {
	s.mu.Lock()
	cmd := s.idleCmd
	s.idleCmd = nil
	if s.sel != nil && s.sel.idling {
		s.sel.idling = false
		s.sel.idleEpoch++
		s.sel.expect = nil
	}
	s.mu.Unlock()
	if cmd == nil {
		return nil
	}
	err := s.run("DONE", func() error {
		if err := cmd.Close(); err != nil {
			return err
		}
		return cmd.Wait()
	})
	if err == nil {
		d.r.setState(s, connSelected)
	}
	return err
}

// renew ends IDLE and starts it again, before the server's 30-minute
// inactivity limit (RFC 2177 section 3).
func (d *device) renew(ctx context.Context) error {
	s := d.session()
	if s == nil {
		return d.online(ctx)
	}
	if err := d.leaveIdle(s); err != nil {
		return err
	}
	return d.idle(s)
}

// poll is a laptop's periodic check, and the NOOP poll of an IDLE device on a
// server without IDLE. An idling device has nothing to do.
func (d *device) poll(ctx context.Context) error {
	s := d.session()
	if s == nil {
		if d.spec.Kind == Laptop && d.isAsleep() {
			return nil
		}
		return d.online(ctx)
	}
	s.mu.Lock()
	idling := s.sel != nil && s.sel.idling
	s.mu.Unlock()
	if idling {
		return nil
	}
	if err := d.resyncSelected(s); err != nil {
		return err
	}
	return d.idle(s)
}

// sweep is a desktop's periodic pass over its folders: INBOX is checked in the
// session that stayed selected, then every other folder is examined, then
// INBOX is selected again.
func (d *device) sweep(ctx context.Context) error {
	s := d.session()
	if s == nil {
		return d.online(ctx)
	}
	if err := d.leaveIdle(s); err != nil {
		return err
	}
	if err := d.resyncSelected(s); err != nil {
		return err
	}
	for _, f := range d.folders() {
		if err := d.selectAndSync(s, f, true, false); err != nil {
			return err
		}
	}
	if err := d.selectAndSync(s, "INBOX", false, false); err != nil {
		return err
	}
	return d.idle(s)
}

// reactToServer runs when the server announced something to an idling
// device: it leaves IDLE, fetches what is new, and idles again.
func (d *device) reactToServer(ctx context.Context) error {
	s := d.session()
	if s == nil {
		return nil
	}
	s.mu.Lock()
	idling := s.sel != nil && s.sel.idling
	s.mu.Unlock()
	if !idling {
		return nil
	}
	if err := d.leaveIdle(s); err != nil {
		return err
	}
	if err := d.resyncSelected(s); err != nil {
		return err
	}
	return d.idle(s)
}

// shortSession is a fetch phone's or webmail's session: connect, select INBOX
// and synchronise (a phone from its cache, webmail its newest page), run then
// when given, log out.
func (d *device) shortSession(ctx context.Context, then func(*session) error) error {
	s, err := d.connect(ctx)
	if err != nil {
		return err
	}
	defer s.logout()
	if d.spec.Kind == Webmail {
		if err := d.webmailPage(s); err != nil {
			return err
		}
	} else if err := d.selectAndSync(s, "INBOX", false, true); err != nil {
		return err
	}
	if then != nil {
		return then(s)
	}
	return nil
}

// checkpoint brings the device's INBOX up to date and returns it.
func (d *device) checkpoint(ctx context.Context) (map[string]uint8, error) {
	snapshot := func() map[string]uint8 {
		c := d.mailbox("INBOX")
		out := make(map[string]uint8, len(c.msgs))
		for _, m := range c.msgs {
			out[m.id] = m.flags
		}
		return out
	}
	if s := d.session(); s != nil {
		if err := d.leaveIdle(s); err != nil {
			return nil, err
		}
		if err := d.resyncSelected(s); err != nil {
			return nil, err
		}
		view := snapshot()
		return view, d.idle(s)
	}
	var view map[string]uint8
	err := d.shortSession(ctx, func(*session) error { view = snapshot(); return nil })
	return view, err
}

// selectAndSync selects (or examines) a mailbox and synchronises the cache
// from the server: the fresh-session path.
func (d *device) selectAndSync(s *session, mailbox string, readOnly bool, firstSelect bool) error {
	if err := d.leaveIdle(s); err != nil {
		return err
	}
	c := d.mailbox(mailbox)
	started := time.Now()
	useCondstore := s.has(imap.CapCondStore)
	name := "SELECT"
	if readOnly {
		name = "EXAMINE"
	}
	var data *imap.SelectData
	t0 := time.Now()
	err := s.run(name, func() error {
		var err error
		data, err = s.c.Select(mailbox, &imap.SelectOptions{ReadOnly: readOnly, CondStore: useCondstore}).Wait()
		return err
	})
	if firstSelect {
		d.r.metrics.phase(phaseSelect, time.Since(t0), err == nil)
	}
	if err != nil {
		s.mu.Lock()
		s.sel = nil
		s.mu.Unlock()
		return err
	}
	d.r.setState(s, connSelected)
	s.mu.Lock()
	s.sel = &selection{mailbox: mailbox, uidValidity: data.UIDValidity, readOnly: readOnly, seqs: make([]imap.UID, data.NumMessages)}
	s.mu.Unlock()
	d.report(s, d.u.ledger.observeValidity(mailbox, data.UIDValidity))
	if c.uidValidity != data.UIDValidity {
		// RFC 3501 section 2.3.1.1: a new UIDVALIDITY invalidates every
		// cached UID of the mailbox.
		c.uidValidity, c.modSeq = data.UIDValidity, 0
		c.msgs = map[imap.UID]*cached{}
	}
	condstore := useCondstore && data.HighestModSeq > 0
	return d.sync(s, c, mailbox, started, false, condstore, data.HighestModSeq, data.UIDNext)
}

// resyncSelected checks the mailbox the session has selected: NOOP (the
// RFC 3501 section 6.1.2 poll), then the same synchronisation as after SELECT,
// judged with the expunge grace since the session stayed selected.
func (d *device) resyncSelected(s *session) error {
	s.mu.Lock()
	sel := s.sel
	s.mu.Unlock()
	if sel == nil {
		return d.selectAndSync(s, "INBOX", false, false)
	}
	started := time.Now()
	if err := s.run("NOOP", func() error { return s.c.Noop().Wait() }); err != nil {
		return err
	}
	c := d.mailbox(sel.mailbox)
	condstore := s.has(imap.CapCondStore) && c.modSeq > 0
	return d.sync(s, c, sel.mailbox, started, true, condstore, 0, 0)
}

// fetchItems are what a device learns about a message it does not know yet.
func newMessageItems(condstore bool) *imap.FetchOptions {
	return &imap.FetchOptions{
		UID: true, Flags: true, RFC822Size: true, InternalDate: true, ModSeq: condstore,
		BodySection: []*imap.FetchItemBodySection{{Specifier: imap.PartSpecifierHeader, HeaderFields: []string{"Message-ID"}, Peek: true}},
	}
}

// sync brings cache c of the selected mailbox up to date and has the ledger
// judge the result. The UID list always comes from "FETCH 1:* (UID ...)" by
// sequence number: it also tells whether the session's sequence numbers agree
// with the server's. Flags come from the same listing, or, with CONDSTORE,
// from "UID FETCH 1:* (FLAGS) (CHANGEDSINCE m)" (RFC 7162 section 3.1.4).
// The messages the cache lacks are fetched by UID.
func (d *device) sync(s *session, c *mailboxCache, mailbox string, started time.Time, continuing, condstore bool, highest uint64, uidNext imap.UID) error {
	s.mu.Lock()
	sel := s.sel
	n := len(sel.seqs)
	e0 := sel.expunges
	s.mu.Unlock()
	listed := map[imap.UID]uint8{}
	var order []imap.UID
	trusted := true
	if n > 0 {
		items := &imap.FetchOptions{UID: true, Flags: !(condstore && c.modSeq > 0)}
		var msgs []*imapclient.FetchMessageBuffer
		err := s.run("FETCH", func() error {
			var err error
			msgs, err = s.c.Fetch(imap.SeqSet{imap.SeqRange{Start: 1, Stop: 0}}, items).Collect()
			return err
		})
		if err != nil {
			return err
		}
		sort.Slice(msgs, func(i, j int) bool { return msgs[i].SeqNum < msgs[j].SeqNum })
		for _, m := range msgs {
			if m.UID == 0 {
				continue
			}
			order = append(order, m.UID)
			listed[m.UID] = flagMask(m.Flags)
		}
		trusted = d.checkSequence(s, mailbox, msgs, e0, n)
	}
	condstoreFlags := condstore && c.modSeq > 0
	if condstoreFlags {
		var msgs []*imapclient.FetchMessageBuffer
		err := s.run("UID FETCH", func() error {
			var err error
			msgs, err = s.c.Fetch(imap.UIDSet{imap.UIDRange{Start: 1, Stop: 0}},
				&imap.FetchOptions{UID: true, Flags: true, ModSeq: true, ChangedSince: c.modSeq}).Collect()
			return err
		})
		if err != nil {
			return err
		}
		for _, m := range msgs {
			if cm := c.msgs[m.UID]; cm != nil {
				cm.flags = flagMask(m.Flags)
			}
			c.modSeq = max(c.modSeq, m.ModSeq)
		}
	}
	// Messages the cache lacks.
	var missing []imap.UID
	for _, uid := range order {
		if cm := c.msgs[uid]; cm == nil {
			missing = append(missing, uid)
		} else if !condstoreFlags {
			cm.flags = listed[uid]
		}
	}
	for len(missing) > 0 {
		batch := missing[:min(len(missing), 200)]
		missing = missing[len(batch):]
		var msgs []*imapclient.FetchMessageBuffer
		err := s.run("UID FETCH", func() error {
			var err error
			msgs, err = s.c.Fetch(imap.UIDSetNum(batch...), newMessageItems(condstore)).Collect()
			return err
		})
		if err != nil {
			return err
		}
		for _, m := range msgs {
			if _, want := listed[m.UID]; !want || m.UID == 0 {
				continue
			}
			cm := &cached{id: messageID(m), size: m.RFC822Size, date: m.InternalDate.Unix(), flags: flagMask(m.Flags)}
			d.report(s, d.u.ledger.observeStatic(mailbox, c.uidValidity, m.UID, staticVal{id: cm.id, size: cm.size, date: cm.date}))
			if cm.id != "" {
				cm.id = d.u.intern(cm.id)
			}
			c.msgs[m.UID] = cm
		}
	}
	// Messages the server no longer lists are gone. UIDs announced by
	// EXPUNGE are recorded as expunged for the UID-reuse check.
	s.mu.Lock()
	gone := sel.gone
	sel.gone = nil
	s.mu.Unlock()
	for _, uid := range gone {
		d.u.ledger.observeExpunged(mailbox, c.uidValidity, uid)
	}
	if trusted || n == 0 {
		for uid := range c.msgs {
			if _, ok := listed[uid]; !ok {
				delete(c.msgs, uid)
				d.u.ledger.observeExpunged(mailbox, c.uidValidity, uid)
			}
		}
	}
	if uidNext > 0 {
		c.uidNext = uidNext
	}
	if condstore && highest > 0 {
		// After a SELECT (CONDSTORE) the listing is complete up to the
		// HIGHESTMODSEQ the server announced.
		c.modSeq = max(c.modSeq, highest)
	}
	if condstore && c.modSeq == 0 {
		c.modSeq = highest
	}
	d.drainPending(s)
	view := &syncView{mailbox: mailbox, msgs: c.msgs, started: started, complete: trusted, continuing: continuing}
	d.report(s, d.u.ledger.verify(d, view, time.Now(), d.r.workload.Checks.ExpungeGrace))
	return nil
}

func containsUID(list []imap.UID, uid imap.UID) bool {
	for _, u := range list {
		if u == uid {
			return true
		}
	}
	return false
}

// checkSequence compares a "FETCH 1:* (UID ...)" listing with the session's
// sequence numbers. Rules (RFC 3501 sections 2.3.1.1, 2.3.1.2, 7.4.1):
//
//   - uid-order: UIDs ascend with sequence numbers.
//   - expunge-missed: without an EXPUNGE response the server cannot list
//     fewer messages than it announced; message numbers change only through
//     EXPUNGE.
//   - uid-mismatch: a sequence number whose UID the session knows must carry
//     that UID.
//
// A listing during which an EXPUNGE arrived is not judged (its numbers mix two
// states). It returns whether the listing is complete and can replace the
// session's numbering.
func (d *device) checkSequence(s *session, mailbox string, msgs []*imapclient.FetchMessageBuffer, e0 uint64, n0 int) bool {
	s.mu.Lock()
	defer func() { s.mu.Unlock(); d.drainPending(s) }()
	sel := s.sel
	if sel == nil || sel.expunges != e0 {
		if sel != nil {
			sel.unknownGone = true
		}
		return false
	}
	var list []imap.UID
	for i, m := range msgs {
		if m.SeqNum != uint32(i+1) {
			// Not a contiguous listing from 1 (the server answered only
			// part of it): not judged.
			return false
		}
		list = append(list, m.UID)
	}
	for i := 1; i < len(list); i++ {
		if list[i] <= list[i-1] {
			sel.pending = append(sel.pending, finding{check: checkUIDOrder, mailbox: mailbox,
				message:  fmt.Sprintf("UIDs do not ascend with sequence numbers: message %d has UID %d, message %d has UID %d", i, list[i-1], i+1, list[i]),
				expected: "strictly ascending UIDs (RFC 3501 section 2.3.1.1)", actual: fmt.Sprintf("%d after %d", list[i], list[i-1])})
			return false
		}
	}
	if !sel.unknownGone {
		// n0 is what the session knew when the listing began; EXISTS
		// during the listing may only add to it. A UID the session knows
		// and was never told is expunged must still be listed.
		known := sel.seqs[:min(n0, len(sel.seqs))]
		var lost []string
		for _, uid := range known {
			if uid != 0 && !containsUID(list, uid) {
				lost = append(lost, fmt.Sprint(uid))
			}
		}
		switch {
		case len(lost) > 0 || len(list) < n0:
			sel.pending = append(sel.pending, finding{check: checkExpungeMissed, mailbox: mailbox,
				message: fmt.Sprintf("the server lists %d messages but the session was told of %d and of no EXPUNGE since (RFC 3501 section 7.4.1); unannounced: UID %s",
					len(list), n0, strings.Join(lost, ", ")),
				expected: fmt.Sprintf("%d messages, or EXPUNGE responses first", n0), actual: fmt.Sprintf("%d messages", len(list))})
		default:
			for i, uid := range known {
				if uid != 0 && list[i] != uid {
					sel.pending = append(sel.pending, finding{check: checkUIDMismatch, mailbox: mailbox,
						message:  fmt.Sprintf("message %d changed its UID within the session", i+1),
						expected: fmt.Sprintf("UID %d", uid), actual: fmt.Sprintf("UID %d", list[i])})
					break
				}
			}
		}
	}
	// Messages announced after the listing keep unknown UIDs.
	for len(list) < len(sel.seqs) {
		list = append(list, 0)
	}
	sel.seqs = list
	sel.unknownGone = false
	return true
}

// drainPending reports the findings the handlers collected.
func (d *device) drainPending(s *session) {
	s.mu.Lock()
	var p []finding
	if s.sel != nil {
		p = s.sel.pending
		s.sel.pending = nil
	}
	s.mu.Unlock()
	d.report(s, p)
}

func (d *device) report(s *session, fs []finding) {
	for _, f := range fs {
		d.r.violation(d.u, d, f, s)
	}
}

// messageID extracts the Message-ID from a fetched header section.
func messageID(m *imapclient.FetchMessageBuffer) string {
	for _, b := range m.BodySection {
		raw := b.Bytes
		// Unfold and find the field (RFC 5322 section 3.6.4).
		for len(raw) > 0 {
			i := bytes.IndexByte(raw, '\n')
			line := raw
			if i >= 0 {
				line, raw = raw[:i], raw[i+1:]
			} else {
				raw = nil
			}
			k, v, ok := bytes.Cut(line, []byte(":"))
			if ok && bytes.EqualFold(bytes.TrimSpace(k), []byte("Message-ID")) {
				v = bytes.TrimSpace(v)
				for len(raw) > 0 && (raw[0] == ' ' || raw[0] == '\t') {
					j := bytes.IndexByte(raw, '\n')
					if j < 0 {
						j = len(raw) - 1
					}
					v = append(append([]byte{}, v...), bytes.TrimSpace(raw[:j])...)
					raw = raw[j+1:]
				}
				return strings.Trim(string(v), "<>")
			}
		}
	}
	return ""
}

// webmailPage is a webmail session's read of INBOX: the newest PageSize
// messages with their flags, size and date. Webmail keeps no cache between
// sessions; what it sees is still checked.
func (d *device) webmailPage(s *session) error {
	started := time.Now()
	var data *imap.SelectData
	t0 := time.Now()
	err := s.run("SELECT", func() error {
		var err error
		data, err = s.c.Select("INBOX", nil).Wait()
		return err
	})
	d.r.metrics.phase(phaseSelect, time.Since(t0), err == nil)
	if err != nil {
		return err
	}
	d.r.setState(s, connSelected)
	s.mu.Lock()
	s.sel = &selection{mailbox: "INBOX", uidValidity: data.UIDValidity, seqs: make([]imap.UID, data.NumMessages)}
	s.mu.Unlock()
	d.report(s, d.u.ledger.observeValidity("INBOX", data.UIDValidity))
	c := d.mailbox("INBOX")
	c.uidValidity = data.UIDValidity
	c.msgs = map[imap.UID]*cached{}
	if data.NumMessages == 0 {
		return nil
	}
	from := uint32(1)
	if data.NumMessages > uint32(d.spec.PageSize) {
		from = data.NumMessages - uint32(d.spec.PageSize) + 1
	}
	var msgs []*imapclient.FetchMessageBuffer
	err = s.run("FETCH", func() error {
		var err error
		msgs, err = s.c.Fetch(imap.SeqSet{imap.SeqRange{Start: from, Stop: 0}}, newMessageItems(false)).Collect()
		return err
	})
	if err != nil {
		return err
	}
	for _, m := range msgs {
		if m.UID == 0 {
			continue
		}
		cm := &cached{id: messageID(m), size: m.RFC822Size, date: m.InternalDate.Unix(), flags: flagMask(m.Flags)}
		d.report(s, d.u.ledger.observeStatic("INBOX", c.uidValidity, m.UID, staticVal{id: cm.id, size: cm.size, date: cm.date}))
		c.msgs[m.UID] = cm
	}
	view := &syncView{mailbox: "INBOX", msgs: c.msgs, started: started}
	d.report(s, d.u.ledger.verify(d, view, time.Now(), d.r.workload.Checks.ExpungeGrace))
	return nil
}
