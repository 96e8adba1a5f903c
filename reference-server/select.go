package referenceserver

import (
	"strconv"

	"github.com/imapgauge/imapgauge/reference-server/internal/command"
)

// cmdSelect implements SELECT and EXAMINE (RFC 3501 sections 6.3.1 and
// 6.3.2). Any selected mailbox is deselected first, so a failed SELECT leaves
// the session in the authenticated state.
func (sess *session) cmdSelect(cmd *command.Command) error {
	sess.deselect()
	readOnly := cmd.Name == "EXAMINE"
	mb, err := sess.user.selectable(cmd.Mailbox)
	if err != nil {
		return err
	}
	v, info, err := mb.open(readOnly)
	if err != nil {
		return err
	}
	sess.out = appendFlagsResponses(sess.out, info.keywords, readOnly)
	sess.untagged(strconv.FormatUint(uint64(info.exists), 10) + " EXISTS")
	sess.untagged(strconv.FormatUint(uint64(info.recent), 10) + " RECENT")
	if info.firstUnseen > 0 {
		n := strconv.FormatUint(uint64(info.firstUnseen), 10)
		sess.untagged("OK [UNSEEN " + n + "] Message " + n + " is the first unseen")
	}
	sess.untagged("OK [UIDVALIDITY " + strconv.FormatUint(uint64(info.uidValidity), 10) + "] UIDs valid")
	sess.untagged("OK [UIDNEXT " + strconv.FormatUint(uint64(info.uidNext), 10) + "] Predicted next UID")
	sess.view = v
	sess.state = stateSelected
	if readOnly {
		sess.okCode, sess.okText = "READ-ONLY", "EXAMINE completed"
	} else {
		sess.okCode, sess.okText = "READ-WRITE", "SELECT completed"
	}
	return nil
}

// cmdClose implements CLOSE (RFC 3501 section 6.4.2): in a read-write
// mailbox the messages marked \Deleted are removed without EXPUNGE
// responses; then the session returns to the authenticated state.
func (sess *session) cmdClose(*command.Command) error {
	v := sess.view
	if !v.readOnly {
		v.expunge(nil)
	}
	sess.deselect()
	return nil
}

// cmdExpunge implements EXPUNGE (RFC 3501 section 6.4.3): the messages
// marked \Deleted are removed, and the EXPUNGE responses come from the
// update that follows every command.
func (sess *session) cmdExpunge(*command.Command) error {
	if sess.view.readOnly {
		return errNo("", "The mailbox is read-only (EXAMINE): nothing can be expunged")
	}
	return asError(sess.view.expunge(nil))
}
