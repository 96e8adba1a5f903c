package wire

import (
	"bytes"
	"encoding/base64"
	"fmt"

	"github.com/emersion/go-sasl"
)

// maxAuthRounds bounds the challenge/response exchanges of one
// AUTHENTICATE command, so that a server that keeps challenging cannot keep
// the client busy forever.
const maxAuthRounds = 16

// Authenticate runs an AUTHENTICATE command (RFC 3501 section 6.2.2) with a
// SASL client mechanism. Every response the client sends is registered as a
// secret before it is written, so the transcript shows "[redacted]" in its
// place. When the mechanism fails the client cancels the exchange with "*"
// and waits for the completion. The command is returned completed unless
// err is set.
func (c *Conn) Authenticate(client sasl.Client) (*Command, error) {
	if c.err != nil {
		return nil, c.err
	}
	mech, ir, err := client.Start()
	if err != nil {
		return nil, fmt.Errorf("SASL start: %w", err)
	}
	tag := c.nextTag()
	cmd, err := c.WriteRaw([]byte(tag+" AUTHENTICATE "+mech+"\r\n"), tag)
	if err != nil {
		return nil, err
	}
	auth := cmd[0]
	auth.Name = "AUTHENTICATE"
	for round := 0; ; round++ {
		cont, err := c.waitContinuation(auth)
		if err != nil {
			return auth, err
		}
		if cont == nil {
			return auth, nil
		}
		if round == maxAuthRounds {
			return auth, c.fail(&ProtocolError{Reason: fmt.Sprintf("more than %d AUTHENTICATE challenges", maxAuthRounds), Raw: cont.Raw})
		}
		text := bytes.TrimSuffix(bytes.TrimPrefix(cont.Raw, []byte("+")), []byte("\r\n"))
		text = bytes.TrimPrefix(text, []byte(" "))
		challenge, decErr := base64.StdEncoding.DecodeString(string(text))
		var resp []byte
		var mechErr error
		switch {
		case decErr != nil:
			mechErr = &ProtocolError{Reason: "AUTHENTICATE challenge is not base64 (RFC 3501 section 6.2.2)", Raw: cont.Raw}
		case round == 0 && ir != nil:
			resp = ir
		default:
			resp, mechErr = client.Next(challenge)
		}
		if mechErr != nil {
			// RFC 3501 section 6.2.2: a "*" line cancels the exchange.
			if err := c.write([]byte("*\r\n")); err != nil {
				return auth, err
			}
			if err := c.Wait(auth); err != nil {
				return auth, err
			}
			return auth, fmt.Errorf("AUTHENTICATE %s: %w", mech, mechErr)
		}
		line := base64.StdEncoding.EncodeToString(resp)
		c.AddSecret(line)
		if err := c.write([]byte(line + "\r\n")); err != nil {
			return auth, err
		}
	}
}
