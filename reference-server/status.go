package referenceserver

import (
	"strconv"

	"github.com/imapgauge/imapgauge/reference-server/internal/command"
	mail "github.com/imapgauge/imapgauge/reference-server/internal/message"
)

// cmdStatus implements STATUS (RFC 3501 section 6.3.10): the items asked
// for, in the order asked. RECENT counts the messages a SELECT would report
// as \Recent now.
func (sess *session) cmdStatus(cmd *command.Command) error {
	mb, err := sess.user.selectable(cmd.Mailbox)
	if err != nil {
		return err
	}
	st := mb.status()
	sess.out = append(sess.out, "* STATUS "...)
	sess.out = mail.AppendString(sess.out, canonicalName(cmd.Mailbox))
	sess.out = append(sess.out, " ("...)
	for i, item := range cmd.StatusItems {
		if i > 0 {
			sess.out = append(sess.out, ' ')
		}
		var n uint32
		switch item {
		case "MESSAGES":
			n = st.messages
		case "RECENT":
			n = st.recent
		case "UIDNEXT":
			n = st.uidNext
		case "UIDVALIDITY":
			n = st.uidValidity
		case "UNSEEN":
			n = st.unseen
		}
		sess.out = append(sess.out, item...)
		sess.out = append(sess.out, ' ')
		sess.out = strconv.AppendUint(sess.out, uint64(n), 10)
	}
	sess.out = append(sess.out, ")\r\n"...)
	return nil
}
