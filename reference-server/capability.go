package referenceserver

import "github.com/imapgauge/imapgauge/reference-server/internal/command"

// cmdCapability implements CAPABILITY (RFC 3501 section 6.1.1). The list
// depends on the state and on TLS: STARTTLS only before TLS, AUTH=PLAIN or
// LOGINDISABLED before authentication.
func (sess *session) cmdCapability(*command.Command) error {
	sess.untagged("CAPABILITY " + sess.capabilities())
	return nil
}

// cmdLogout implements LOGOUT (RFC 3501 section 6.1.3): BYE, then OK, then
// the server closes the connection.
func (sess *session) cmdLogout(*command.Command) error {
	sess.untagged("BYE imapgauge reference server logging out")
	sess.deselect()
	sess.state = stateLogout
	return nil
}
