package referenceserver

import "github.com/imapgauge/imapgauge/reference-server/internal/command"

// cmdRename implements RENAME (RFC 3501 section 6.3.5).
func (sess *session) cmdRename(cmd *command.Command) error {
	if err := sess.user.rename(cmd.Mailbox, cmd.NewName); err != nil {
		return err
	}
	return nil
}
