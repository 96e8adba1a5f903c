package referenceserver

import (
	"encoding/base64"
	"errors"

	"github.com/emersion/go-sasl"
	"github.com/imapgauge/imapgauge/reference-server/internal/command"
)

// cmdLogin implements LOGIN (RFC 3501 section 6.2.3). The hook that admits
// commands has already refused it when plaintext passwords are disabled.
func (sess *session) cmdLogin(cmd *command.Command) error {
	u := sess.srv.authenticate(cmd.UserID, cmd.Password)
	if u == nil {
		sess.log.Info("login failed", "user", cmd.UserID)
		return errNo("", "Invalid user name or password")
	}
	sess.loggedIn(u)
	return nil
}

// loggedIn enters the authenticated state and announces the new
// capabilities in the tagged OK (RFC 3501 section 7.2.1 allows the
// CAPABILITY response code there).
func (sess *session) loggedIn(u *user) {
	sess.user = u
	sess.state = stateAuthenticated
	sess.okCode = "CAPABILITY " + sess.capabilities()
	sess.okText = "Logged in"
	sess.log.Info("logged in", "user", u.name)
}

var errAuthFailed = errors.New("authentication failed")

// cmdAuthenticate implements AUTHENTICATE (RFC 3501 section 6.2.2) with the
// PLAIN mechanism (RFC 4616) and the initial response of SASL-IR (RFC 4959).
// A client response of "*" cancels with BAD; a response that is not base64 is
// a BAD; wrong credentials are a NO. Responses are never logged.
func (sess *session) cmdAuthenticate(cmd *command.Command) error {
	if cmd.Mechanism != sasl.Plain {
		return errNo("", "Unsupported authentication mechanism %s (supported: PLAIN)", cmd.Mechanism)
	}
	if !sess.plaintextAllowed() {
		return errNo("", "PLAIN is disabled on a connection without TLS: use STARTTLS first")
	}
	var authed *user
	server := sasl.NewPlainServer(func(identity, username, password string) error {
		if identity != "" && identity != username {
			return errAuthFailed
		}
		authed = sess.srv.authenticate(username, password)
		if authed == nil {
			sess.log.Info("authentication failed", "user", username)
			return errAuthFailed
		}
		return nil
	})
	var resp []byte
	if cmd.HasInitialResponse {
		resp = cmd.InitialResponse
	}
	for step := 0; ; step++ {
		challenge, done, err := server.Next(resp)
		if err != nil {
			return errNo("", "Authentication failed")
		}
		if done {
			break
		}
		if step >= 4 {
			return errNo("", "Authentication failed: too many steps")
		}
		// "+" SP base64 CRLF: the (possibly empty) challenge.
		sess.bw.WriteString("+ " + base64.StdEncoding.EncodeToString(challenge) + "\r\n")
		if err := sess.bw.Flush(); err != nil {
			return err
		}
		line, err := sess.r.ReadLine()
		if err != nil {
			var pe *command.Error
			if errors.As(err, &pe) {
				return errBad("%s", pe.Text)
			}
			return err
		}
		if len(line) == 1 && line[0] == '*' {
			return errBad("Authentication cancelled")
		}
		if resp, err = command.DecodeBase64(line); err != nil {
			return errBad("Authentication response is not valid base64")
		}
	}
	if authed == nil {
		return errNo("", "Authentication failed")
	}
	sess.loggedIn(authed)
	return nil
}
