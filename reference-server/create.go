package referenceserver

import "github.com/imapgauge/imapgauge/reference-server/internal/command"

// cmdCreate implements CREATE (RFC 3501 section 6.3.3).
func (sess *session) cmdCreate(cmd *command.Command) error {
	return asError(sess.user.create(cmd.Mailbox))
}
