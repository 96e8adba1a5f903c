package referenceserver

import "github.com/imapgauge/imapgauge/reference-server/internal/command"

// cmdDelete implements DELETE (RFC 3501 section 6.3.4).
func (sess *session) cmdDelete(cmd *command.Command) error {
	if err := sess.user.delete(cmd.Mailbox); err != nil {
		return err
	}
	return nil
}
