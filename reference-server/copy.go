package referenceserver

import "github.com/imapgauge/imapgauge/reference-server/internal/command"

// cmdCopy implements COPY and UID COPY (RFC 3501 sections 6.4.7 and 6.4.8):
// the messages are added to the destination with their flags and internal
// dates, \Recent there, all or none. A missing destination gets NO
// [TRYCREATE].
func (sess *session) cmdCopy(cmd *command.Command) error {
	v := sess.view
	idx, err := sess.resolve(cmd)
	if err != nil {
		return err
	}
	dst, err := sess.user.appendTarget(cmd.Mailbox)
	if err != nil {
		return err
	}
	if len(idx) == 0 {
		return nil
	}
	nms := make([]newMessage, 0, len(idx))
	mb := v.mb
	mb.mu.RLock()
	for _, i := range idx {
		m := v.msgs[i]
		if m.expunged {
			continue
		}
		nms = append(nms, newMessage{raw: m.raw, date: m.date, flags: mb.flagNames(m.flags), parsed: m.parsed.Load()})
	}
	mb.mu.RUnlock()
	if len(nms) < len(idx) {
		return errNo("", "Some of the messages no longer exist; nothing was copied")
	}
	if _, err := dst.appendMessages(nms); err != nil {
		return err
	}
	return nil
}
