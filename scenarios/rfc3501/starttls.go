package rfc3501

import (
	"crypto/tls"
	"errors"
	"strings"

	"github.com/imapgauge/imapgauge/conformance"
	"github.com/imapgauge/imapgauge/conformance/fault"
	"github.com/imapgauge/imapgauge/conformance/grammar"
	"github.com/imapgauge/imapgauge/conformance/wire"
)

const starttlsSentence = `A [TLS] negotiation begins immediately after the CRLF at the end of the tagged OK
response from the server.`

// starttls checks RFC 3501 section 6.2.1.
func starttls() []conformance.Section {
	return []conformance.Section{{
		Number: "6.2.1",
		Title:  "STARTTLS Command",
		Cases: []conformance.Case{{
			Name:      "starttls-ok-then-negotiation",
			Title:     "STARTTLS answers OK and TLS starts right after it",
			Level:     conformance.Must,
			Sentence:  starttlsSentence,
			Commands:  []string{"STARTTLS"},
			Responses: []string{"OK"},
			Needs:     []string{"STARTTLS"},
			Faults: []fault.Fault{
				fault.InsertAfter("plaintext response after the STARTTLS OK", "STARTTLS", `^\S+ OK `, "* OK injected in plaintext\r\n"),
				fault.RewriteResponse("STARTTLS completed with NO", "STARTTLS", `^(\S+) OK `, "$1 NO "),
			},
			Run: func(t *conformance.T) {
				s := t.DialPlaintext()
				s.Require("STARTTLS")
				s.StartTLS()
				s.Tx("OK", "NOOP") // The session goes on under TLS.
			},
		}, {
			Name:  "starttls-pipelined-plaintext-not-executed",
			Title: "Commands pipelined in plaintext after STARTTLS are not executed",
			Level: conformance.Must,
			Sentence: starttlsSentence + `
Once a client issues a STARTTLS command, it MUST NOT issue further commands until ... the [TLS] negotiation is complete.`,
			Commands:  []string{"STARTTLS", "NOOP"},
			Responses: []string{"OK"},
			Needs:     []string{"STARTTLS"},
			Faults: []fault.Fault{
				fault.ReplayPlaintextAfterStartTLS("plaintext pipelined after STARTTLS executed under TLS"),
			},
			Run: func(t *conformance.T) {
				// An attacker who can write to the plaintext stream appends
				// a command after STARTTLS; it must not run in the
				// protected session (the CVE-2011-0411 class of flaws).
				injectAfterStartTLS(t, func(tag string) string { return tag + " NOOP" })
			},
		}, {
			Name:  "starttls-remains-not-authenticated",
			Title: "After STARTTLS the session is still not authenticated",
			Level: conformance.Must,
			Sentence: `The server remains in the non-authenticated state, even if client credentials are
supplied during the [TLS] negotiation.`,
			Commands:  []string{"STARTTLS", "SELECT"},
			Responses: []string{"NO", "BAD"},
			Needs:     []string{"STARTTLS"},
			Faults: []fault.Fault{
				fault.RewriteResponse("SELECT after STARTTLS answered OK", "SELECT", `^(\S+) (NO|BAD) `, "$1 OK "),
			},
			Run: func(t *conformance.T) {
				s := t.DialPlaintext()
				s.Require("STARTTLS")
				s.StartTLS()
				s.Tx("NO|BAD", "SELECT INBOX")
			},
		}, {
			Name:  "starttls-authenticated-state-refused",
			Title: "STARTTLS is refused in the authenticated state",
			Level: conformance.Must,
			Sentence: `It is a protocol error for the client to attempt a command while the connection is in
an inappropriate state, and the server will respond with a BAD or NO`,
			Commands:  []string{"STARTTLS"},
			Responses: []string{"NO", "BAD"},
			Faults: []fault.Fault{
				fault.RewriteResponse("STARTTLS after LOGIN answered OK", "STARTTLS", `^(\S+) (NO|BAD) `, "$1 OK "),
			},
			Run: func(t *conformance.T) {
				// Section 6.2: STARTTLS is a command of the not
				// authenticated state only.
				t.Login(0).Tx("NO|BAD", "STARTTLS")
			},
		}, {
			Name:      "starttls-selected-state-refused",
			Title:     "STARTTLS is refused in the selected state",
			Level:     conformance.Must,
			Sentence:  wrongStateSentence,
			Commands:  []string{"STARTTLS", "SELECT"},
			Responses: []string{"NO", "BAD"},
			Faults: []fault.Fault{
				refusedFault("STARTTLS", "in the selected state"),
			},
			Run: func(t *conformance.T) {
				t.Select(0, t.Mailbox(0)).Tx("NO|BAD", "STARTTLS")
			},
		}, {
			Name:  "starttls-pipelined-login-not-executed",
			Title: "A LOGIN pipelined in plaintext after STARTTLS is not executed under TLS",
			Level: conformance.Must,
			Sentence: starttlsSentence + `
The server remains in the non-authenticated state, even if client credentials are supplied during the [TLS] negotiation.`,
			Commands:  []string{"STARTTLS", "LOGIN", "SELECT"},
			Responses: []string{"OK", "NO", "BAD"},
			Needs:     []string{"STARTTLS"},
			Faults: []fault.Fault{
				fault.ReplayPlaintextAfterStartTLS("plaintext LOGIN pipelined after STARTTLS executed under TLS"),
			},
			Run: func(t *conformance.T) {
				// Credentials an attacker slipped in before the negotiation;
				// the password is wrong, so that nothing valid travels in
				// plaintext, and an answer to it shows it ran.
				u := t.User(0)
				s := injectAfterStartTLS(t, func(tag string) string {
					return tag + " LOGIN " + u.Name + ` "not-` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(u.Password) + `"`
				})
				if s != nil {
					s.Tx("NO|BAD", "SELECT INBOX") // Still not authenticated.
				}
			},
		}},
	}}
}

// injectAfterStartTLS opens a plaintext session, sends STARTTLS with the
// command line(tag) pipelined after it in plaintext, negotiates TLS and
// fails the case if the server answers the injected command, in plaintext
// or under TLS (RFC 3501 section 6.2.1). It returns the session under TLS,
// or nil when the server refused to negotiate over the injected octets,
// which is safe: nothing was executed.
func injectAfterStartTLS(t *conformance.T, line func(tag string) string) *conformance.Session {
	s := t.DialPlaintext()
	s.Require("STARTTLS")
	start, injected := s.Conn.NextTag(), s.Conn.NextTag()
	s.WriteRaw(start+" STARTTLS\r\n"+line(injected)+"\r\n", start)
	s.WaitTag(start, "OK")
	if err := s.UpgradeTLS(); err != nil {
		var pe *wire.ProtocolError
		if errors.As(err, &pe) {
			t.Mismatch([]string{"TLS negotiation right after the OK"}, string(pe.Raw),
				"the server answered in plaintext after its STARTTLS OK: %v", err)
		}
		// The answer to the injected command may also arrive just
		// late enough to be read as the first TLS record.
		var rh tls.RecordHeaderError
		if errors.As(err, &rh) {
			header, tag := string(rh.RecordHeader[:]), injected+" "
			if strings.HasPrefix(header, tag) || strings.HasPrefix(tag, header) {
				t.Mismatch([]string{"no response to the command tagged " + injected}, header,
					"the server answered %s, sent in plaintext after its STARTTLS OK", injected)
			}
		}
		return nil
	}
	probe := s.Conn.NextTag()
	s.WriteRaw(probe + " NOOP\r\n")
	for {
		r := s.ReadResponse()
		if r.Kind != grammar.Tagged {
			continue
		}
		if r.Tag == injected {
			t.Mismatch([]string{"no response to the command tagged " + injected}, r.Raw,
				"the server executed the command tagged %s, sent in plaintext after STARTTLS", injected)
		}
		if r.Tag == probe {
			return s
		}
	}
}
