package load

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
)

// action runs a user action on this device. A user does one thing at a time:
// the user's action token serialises actions across their devices, so the
// ledger always knows which change the server acknowledged last. A persistent
// device does not wait through the user's think time: the second half of the
// action (the \Seen or the reply) comes back to it as follow-up work, and it
// keeps polling and idling meanwhile.
func (d *device) action(ctx context.Context, q queued) error {
	u := d.u
	release := q.release
	if release == nil {
		release = func() {}
	}
	rng := rand.New(rand.NewPCG(q.t.Rand, uint64(q.t.User)))
	if d.spec.Kind == Webmail || d.spec.Kind == Phone && d.spec.Mode == PhoneFetch || d.isAsleep() {
		// The user opens the app (or the lid), does it, and closes it.
		defer release()
		return d.shortSession(ctx, func(s *session) error {
			follow, finish, err := d.act(s, q.t.Action, rng)
			if follow != nil && err == nil {
				d.think(rng)
				err = follow(s)
			}
			if finish != nil {
				finish(answered(err))
			}
			return err
		})
	}
	s, err := d.inboxSession(ctx)
	if s == nil || err != nil {
		release()
		return err
	}
	follow, finish, err := d.act(s, q.t.Action, rng)
	if follow == nil || err != nil {
		if finish != nil {
			finish(answered(err))
		}
		release()
		if err != nil {
			return err
		}
		return d.idle(s)
	}
	// The user thinks; the device goes on.
	think := d.thinkTime(rng)
	time.AfterFunc(think, func() {
		d.offerUnscheduled(queued{t: Tick{Kind: tickFollow, User: u.index, Device: d.index}, due: time.Now(),
			follow: follow, finish: func(err error) {
				finish(answered(err))
				release()
			}})
	})
	return d.idle(s)
}

// inboxSession returns the device's session with INBOX selected for writing,
// out of IDLE, connecting when needed.
func (d *device) inboxSession(ctx context.Context) (*session, error) {
	s := d.session()
	if s == nil {
		if err := d.online(ctx); err != nil {
			return nil, err
		}
		if s = d.session(); s == nil {
			return nil, nil
		}
	}
	if err := d.leaveIdle(s); err != nil {
		return nil, err
	}
	s.mu.Lock()
	inInbox := s.sel != nil && s.sel.mailbox == "INBOX" && !s.sel.readOnly
	s.mu.Unlock()
	if !inInbox {
		if err := d.selectAndSync(s, "INBOX", false, false); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// followUp runs the second half of an action after the user's think time.
func (d *device) followUp(ctx context.Context, q queued) error {
	s, err := d.inboxSession(ctx)
	if err == nil && s == nil {
		err = errors.New("device offline")
	}
	if err == nil {
		err = q.follow(s)
	}
	q.finish(err)
	if err != nil {
		return err
	}
	return d.idle(s)
}

// pick chooses the message an action works on, among the messages of INBOX
// that both the device and the ledger know; prefer narrows the choice when it
// leaves any.
func (d *device) pick(rng *rand.Rand, prefer func(*cached) bool) (imap.UID, *cached) {
	c := d.mailbox("INBOX")
	uids := d.u.ledger.candidates("INBOX", c.msgs)
	if len(uids) == 0 {
		return 0, nil
	}
	if prefer != nil {
		var narrowed []imap.UID
		for _, uid := range uids {
			if prefer(c.msgs[uid]) {
				narrowed = append(narrowed, uid)
			}
		}
		if len(narrowed) > 0 {
			uids = narrowed
		}
	}
	uid := uids[rng.IntN(len(uids))]
	return uid, c.msgs[uid]
}

// act performs one action in session s, which has INBOX selected. Read and
// reply return their second half as follow, to run after the user's think
// time; finish ends the action in the ledger (answered: the server answered
// every command).
func (d *device) act(s *session, kind ActionKind, rng *rand.Rand) (follow func(*session) error, finish func(bool), err error) {
	var prefer func(*cached) bool
	switch kind {
	case Read:
		prefer = func(m *cached) bool { return m.flags&flagSeen == 0 }
	case Reply:
		prefer = func(m *cached) bool { return m.flags&flagSeen != 0 && m.flags&flagAnswered == 0 }
	}
	uid, m := d.pick(rng, prefer)
	if m == nil {
		return nil, nil, nil
	}
	l := d.u.ledger
	if !l.begin(m.id) {
		return nil, nil, nil
	}
	id := m.id
	finish = func(ok bool) { l.end(id, ok) }
	switch kind {
	case Read:
		err = d.read(s, uid, id)
		follow = func(s *session) error { return d.store(s, uid, id, true, flagSeen) }
	case Flag:
		err = d.store(s, uid, id, m.flags&flagFlagged == 0, flagFlagged)
	case Delete:
		err = d.store(s, uid, id, true, flagDeleted)
		if err == nil {
			err = d.expunge(s, uid, id, "")
		}
	case Move:
		dest := d.r.workload.Mailbox.Archive
		if rng.IntN(3) == 0 {
			dest = d.r.workload.Mailbox.Trash
		}
		err = d.move(s, uid, id, dest)
	case Reply:
		err = d.read(s, uid, id)
		follow = func(s *session) error {
			if err := d.reply(s, id, rng); err != nil {
				return err
			}
			return d.store(s, uid, id, true, flagAnswered)
		}
	}
	if err != nil {
		follow = nil
	}
	return follow, finish, err
}

// thinkTime draws the pause between reading a message and acting on it.
func (d *device) thinkTime(rng *rand.Rand) time.Duration {
	a := d.r.workload.Actions
	if a.ThinkMax <= 0 {
		return 0
	}
	t := a.ThinkMin + time.Duration(rng.Float64()*float64(a.ThinkMax-a.ThinkMin))
	return d.r.workload.real(t)
}

// think pauses between reading a message and acting on it, within a short
// session.
func (d *device) think(rng *rand.Rand) {
	t := d.thinkTime(rng)
	select {
	case <-time.After(t):
	case <-d.r.ctx.Done():
	}
}

// read fetches a message's whole body and compares it with what was
// appended: the body of a message never changes (RFC 3501 section 2.3; the
// APPEND argument is the message, section 6.3.11).
func (d *device) read(s *session, uid imap.UID, id string) error {
	var msgs []*imapclient.FetchMessageBuffer
	err := s.run("UID FETCH", func() error {
		var err error
		msgs, err = s.c.Fetch(imap.UIDSetNum(uid), &imap.FetchOptions{UID: true,
			BodySection: []*imap.FetchItemBodySection{{Peek: true}}}).Collect()
		return err
	})
	if err != nil {
		return err
	}
	hash, size, known := d.u.ledger.content(id)
	for _, m := range msgs {
		if m.UID != uid || len(m.BodySection) == 0 || !known {
			continue
		}
		body := m.BodySection[0].Bytes
		if contentHash(body) != hash {
			d.report(s, []finding{{check: checkContent, mailbox: "INBOX",
				message:  fmt.Sprintf("BODY[] of %s (UID %d) differs from the message appended (RFC 3501 sections 2.3, 6.3.11)", id, uid),
				expected: fmt.Sprintf("%d bytes as appended", size), actual: fmt.Sprintf("%d bytes, different content", len(body))}})
		}
	}
	return nil
}

// store adds or removes a flag with UID STORE and records the acknowledged
// change. The server's FETCH answer must show the change (RFC 3501 section
// 6.4.6).
func (d *device) store(s *session, uid imap.UID, id string, add bool, bit uint8) error {
	op := imap.StoreFlagsAdd
	if !add {
		op = imap.StoreFlagsDel
	}
	var flag imap.Flag
	for _, b := range flagBits {
		if b.bit == bit {
			flag = b.flag
		}
	}
	var msgs []*imapclient.FetchMessageBuffer
	err := s.run("UID STORE", func() error {
		var err error
		msgs, err = s.c.Store(imap.UIDSetNum(uid), &imap.StoreFlags{Op: op, Flags: []imap.Flag{flag}}, nil).Collect()
		return err
	})
	if err != nil {
		return err
	}
	var returned *uint8
	for _, m := range msgs {
		if m.UID == uid || m.UID == 0 && len(msgs) == 1 {
			f := flagMask(m.Flags)
			returned = &f
		}
	}
	if bad := d.u.ledger.flagsChanged(id, add, bit, returned, time.Now()); bad != "" {
		d.report(s, []finding{{check: checkFlagsDiverged, mailbox: "INBOX", message: "the server's answer to STORE contradicts it (RFC 3501 section 6.4.6)",
			expected: fmt.Sprintf("UID %d with the change applied", uid), actual: bad}})
	}
	if c := d.mailbox("INBOX"); c.msgs[uid] != nil {
		if returned != nil {
			c.msgs[uid].flags = *returned
		} else if add {
			c.msgs[uid].flags |= bit
		} else {
			c.msgs[uid].flags &^= bit
		}
	}
	return nil
}

// expunge removes a \Deleted message: UID EXPUNGE when the server has UIDPLUS
// (RFC 4315 section 2.1), EXPUNGE otherwise. dest is set when the expunge
// ends a COPY-based move.
func (d *device) expunge(s *session, uid imap.UID, id, dest string) error {
	var cmd *imapclient.ExpungeCommand
	name := "EXPUNGE"
	var seqs []uint32
	err := s.run(name, func() error {
		if s.has(imap.CapUIDPlus) {
			cmd = s.c.UIDExpunge(imap.UIDSetNum(uid))
		} else {
			cmd = s.c.Expunge()
		}
		var err error
		seqs, err = cmd.Collect()
		return err
	})
	// The command's own EXPUNGE responses renumber the session.
	s.mu.Lock()
	for _, seq := range seqs {
		s.expunged(seq)
	}
	s.mu.Unlock()
	if err != nil {
		return err
	}
	now := time.Now()
	if dest != "" {
		d.u.ledger.moved(id, dest, now)
	} else {
		d.u.ledger.removed(id, now)
	}
	c := d.mailbox("INBOX")
	delete(c.msgs, uid)
	d.u.ledger.observeExpunged("INBOX", c.uidValidity, uid)
	return nil
}

// move moves a message to dest: MOVE (RFC 6851) when the server has it,
// otherwise COPY, STORE \Deleted and EXPUNGE (RFC 6851 section 1 describes
// the fallback).
func (d *device) move(s *session, uid imap.UID, id, dest string) error {
	if s.has(imap.CapMove) {
		err := s.run("UID MOVE", func() error {
			_, err := s.c.Move(imap.UIDSetNum(uid), dest).Wait()
			return err
		})
		if err != nil {
			return err
		}
		d.u.ledger.moved(id, dest, time.Now())
		c := d.mailbox("INBOX")
		delete(c.msgs, uid)
		d.u.ledger.observeExpunged("INBOX", c.uidValidity, uid)
		return nil
	}
	err := s.run("UID COPY", func() error {
		_, err := s.c.Copy(imap.UIDSetNum(uid), dest).Wait()
		return err
	})
	if err != nil {
		return err
	}
	if err := d.store(s, uid, id, true, flagDeleted); err != nil {
		return err
	}
	return d.expunge(s, uid, id, dest)
}

// reply appends a reply to the Sent folder with \Seen. Its flags are not
// asserted: RFC 3501 section 6.3.11 says the flags SHOULD be set.
func (d *device) reply(s *session, orig string, rng *rand.Rand) error {
	u := d.u
	w := d.r.workload
	id := u.nextMessageID("reply")
	size := MessageSize(rng, &w.Delivery) / 2
	g := buildMessage(rng, id, u.name, "Re: "+subject(rng), orig, max(size, w.Delivery.SizeMin), 0, time.Now().Truncate(time.Second))
	err := s.run("APPEND", func() error {
		cmd := s.c.Append(w.Mailbox.Sent, int64(len(g.raw)), &imap.AppendOptions{Flags: []imap.Flag{imap.FlagSeen}, Time: g.date})
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
	switch {
	case err == nil:
		u.ledger.appended(id, w.Mailbox.Sent, g.hash, int64(len(g.raw)), time.Now(), false, 0)
	case !answered(err):
		u.ledger.uncertain(id, g.hash, int64(len(g.raw)))
	}
	return err
}
