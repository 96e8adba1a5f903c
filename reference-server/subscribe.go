package referenceserver

import "github.com/imapgauge/imapgauge/reference-server/internal/command"

// cmdSubscribe implements SUBSCRIBE and UNSUBSCRIBE (RFC 3501 sections
// 6.3.6 and 6.3.7).
func (sess *session) cmdSubscribe(cmd *command.Command) error {
	var err *statusError
	if cmd.Name == "SUBSCRIBE" {
		err = sess.user.subscribe(cmd.Mailbox)
	} else {
		err = sess.user.unsubscribe(cmd.Mailbox)
	}
	if err != nil {
		return err
	}
	return nil
}
