package referenceserver

// expunge permanently removes the messages marked \Deleted (RFC 3501
// sections 6.4.2 and 6.4.3); when only is not nil, just those among them.
// Every view of the mailbox, this one included, learns of the removals at
// its next update.
func (v *view) expunge(only map[*message]bool) *statusError {
	mb := v.mb
	mb.mu.Lock()
	defer mb.mu.Unlock()
	if mb.deleted {
		return nil
	}
	var gone []*message
	var uids []uint32
	for _, m := range mb.msgs {
		if m.flags.sys&flagDeleted != 0 && (only == nil || only[m]) {
			gone = append(gone, m)
			uids = append(uids, m.uid)
		}
	}
	if len(gone) == 0 {
		return nil
	}
	if err := mb.owner.srv.store.expunge(mb.owner.name, mb.id, uids, mb.modseq+1); err != nil {
		return storageFailure(mb.owner.srv, err)
	}
	mb.modseq++
	keep := mb.msgs[:0]
	for _, m := range mb.msgs {
		if m.flags.sys&flagDeleted != 0 && (only == nil || only[m]) {
			m.expunged = true
			continue
		}
		keep = append(keep, m)
	}
	clear(mb.msgs[len(keep):])
	mb.msgs = keep
	for ov := range mb.views {
		ov.pendingExpunge = append(ov.pendingExpunge, gone...)
	}
	return nil
}
