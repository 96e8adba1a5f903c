package referenceserver

import (
	"sort"
	"strconv"

	"github.com/imapgauge/imapgauge/reference-server/internal/command"
)

// cmdStore implements STORE and UID STORE (RFC 3501 sections 6.4.6 and
// 6.4.8). Each message's new flags come back in an untagged FETCH unless
// .SILENT was given; UID STORE adds the UID. \Recent and flags this server
// does not define cannot be stored (BAD). Messages that another session has
// expunged, but that this session has not been told about yet, are left
// alone.
func (sess *session) cmdStore(cmd *command.Command) error {
	v := sess.view
	idx, err := sess.resolve(cmd)
	if err != nil {
		return err
	}
	pf, perr := parseFlags(cmd.Flags)
	if perr != nil {
		return errBad("%s", perr.Error())
	}
	if v.readOnly {
		return errNo("", "The mailbox is read-only (EXAMINE): flags cannot be changed")
	}
	sess.out, err = v.store(sess.out, idx, cmd.StoreMode, pf, cmd.Silent, cmd.UID)
	return asError(err)
}

// resolve returns the view indexes of a command's sequence set: UIDs for a
// UID command, message sequence numbers otherwise.
func (sess *session) resolve(cmd *command.Command) ([]int, *statusError) {
	if cmd.UID {
		return sess.view.byUID(cmd.Set), nil
	}
	return sess.view.bySeq(cmd.Set)
}

// store changes the flags of the messages at idx and appends their FETCH
// responses (unless silent) to dst. Other views are told at their next
// update.
func (v *view) store(dst []byte, idx []int, mode command.StoreMode, pf parsedFlags, silent, uid bool) ([]byte, *statusError) {
	mb := v.mb
	mb.mu.Lock()
	defer mb.mu.Unlock()
	if mode != command.StoreRemove {
		if err := mb.checkKeywords(pf.keywords); err != nil {
			return dst, err
		}
	}
	nkw := len(mb.keywords)
	var kws []uint16
	for _, kw := range pf.keywords {
		k, ok := mb.keywordIndex(kw, mode != command.StoreRemove)
		if ok {
			kws = append(kws, k)
		}
	}
	modseq := mb.modseq + 1
	type change struct {
		m     *message
		flags flagSet
	}
	var changes []change
	var recs []flagRecord
	for _, i := range idx {
		m := v.msgs[i]
		if m.expunged {
			continue
		}
		nf := m.flags.clone()
		switch mode {
		case command.StoreReplace:
			nf = flagSet{sys: pf.sys, keywords: append([]uint16(nil), kws...)}
		case command.StoreAdd:
			nf.sys |= pf.sys
			for _, k := range kws {
				if !nf.has(k) {
					nf.keywords = append(nf.keywords, k)
				}
			}
		case command.StoreRemove:
			nf.sys &^= pf.sys
			out := nf.keywords[:0]
			for _, k := range nf.keywords {
				drop := false
				for _, r := range kws {
					if r == k {
						drop = true
					}
				}
				if !drop {
					out = append(out, k)
				}
			}
			nf.keywords = out
		}
		sort.Slice(nf.keywords, func(a, b int) bool { return nf.keywords[a] < nf.keywords[b] })
		dedup := nf.keywords[:0]
		for j, k := range nf.keywords {
			if j == 0 || nf.keywords[j-1] != k {
				dedup = append(dedup, k)
			}
		}
		nf.keywords = dedup
		if !nf.equal(m.flags) {
			changes = append(changes, change{m, nf})
			recs = append(recs, flagRecord{uid: m.uid, flags: mb.flagNames(nf), modseq: modseq})
		}
	}
	if len(changes) > 0 {
		if err := mb.owner.srv.store.updateFlags(mb.owner.name, mb.id, recs); err != nil {
			mb.keywords = mb.keywords[:nkw]
			return dst, storageFailure(mb.owner.srv, err)
		}
		mb.modseq = modseq
		for _, c := range changes {
			c.m.flags = c.flags
			c.m.modseq = modseq
			for ov := range mb.views {
				if ov != v {
					ov.pendingFlags[c.m] = struct{}{}
				}
			}
		}
	} else {
		mb.keywords = mb.keywords[:nkw]
	}
	if silent {
		return dst, nil
	}
	for _, i := range idx {
		m := v.msgs[i]
		if m.expunged {
			continue
		}
		dst = append(dst, "* "...)
		dst = strconv.AppendInt(dst, int64(i+1), 10)
		dst = append(dst, " FETCH ("...)
		if uid {
			dst = append(dst, "UID "...)
			dst = strconv.AppendUint(dst, uint64(m.uid), 10)
			dst = append(dst, ' ')
		}
		dst = append(dst, "FLAGS ("...)
		dst = mb.appendFlagNames(dst, m.flags, v.isRecent(m))
		dst = append(dst, "))\r\n"...)
	}
	return dst, nil
}
