package referenceserver

import (
	"crypto/tls"
	"time"

	"github.com/imapgauge/imapgauge/reference-server/internal/command"
)

// cmdStartTLS implements STARTTLS (RFC 3501 section 6.2.1). Anything the
// client sent after the command, before the handshake, is discarded: it was
// sent in the clear and could have been injected by an attacker, so it must
// not be executed as if it came over TLS (RFC 3501 section 11.1, the
// plaintext command injection of RFC 7817 section 4.1).
func (sess *session) cmdStartTLS(cmd *command.Command) error {
	if sess.tls {
		return errBad("TLS is already active")
	}
	sess.bw.WriteString(cmd.Tag + " OK Begin TLS negotiation now\r\n")
	if err := sess.bw.Flush(); err != nil {
		sess.state = stateLogout
		return errAnswered
	}
	if n := sess.br.Buffered(); n > 0 {
		sess.log.Info("discarding input pipelined after STARTTLS", "octets", n)
		sess.br.Discard(n)
	}
	tc := tls.Server(sess.raw, sess.srv.tlsConfig)
	sess.raw.SetReadDeadline(time.Now().Add(handshakeTimeout))
	if err := tc.Handshake(); err != nil {
		sess.log.Info("TLS handshake failed", "err", err)
		sess.state = stateLogout
		return errAnswered
	}
	sess.conn = tc
	sess.tls = true
	sess.br.Reset(tc)
	sess.bw.Reset(tc)
	sess.r.Reset(sess.br)
	return errAnswered
}
