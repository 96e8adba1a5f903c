package rfc3501

import (
	"errors"
	"io"
	"strings"

	"github.com/imapgauge/imapgauge/conformance"
	"github.com/imapgauge/imapgauge/conformance/fault"
	"github.com/imapgauge/imapgauge/conformance/wire"
)

// wrongStateSentence is RFC 3501 section 3 on commands sent in the wrong
// state: BAD and NO are both acceptable answers.
const wrongStateSentence = `It is a protocol error for the client to attempt a command while the connection is in
an inappropriate state, and the server will respond with a BAD or NO (depending upon server
implementation) command completion result.`

// stateCommand is a command sent in a state where it is not valid. line
// is the command without its tag; a command that carries a message
// (APPEND) sends it as a synchronising literal, which the server may
// refuse before the continuation request.
type stateCommand struct {
	name, title, line string
}

// refusedFault makes the server accept a command it should refuse.
func refusedFault(command, state string) fault.Fault {
	return fault.RewriteResponse(command+" accepted "+state, command, `^(\S+) (NO|BAD) `, "$1 OK ")
}

// sendRefused sends c on s and requires BAD or NO with no data besides
// status responses.
func sendRefused(t *conformance.T, s *conformance.Session, c stateCommand) {
	var r *conformance.Reply
	if mailbox, ok := strings.CutPrefix(c.line, "APPEND "); ok {
		r = s.Cmd("NO|BAD", "APPEND", wire.Atom(mailbox), wire.Literal(labelledMessage("wrong-state")))
	} else {
		r = s.Tx("NO|BAD", c.line)
	}
	r.Only() // No data may come back from a refused command.
}

// commandName is the RFC 3501 command name of a command line ("UID" for
// the UID forms).
func commandName(line string) string {
	name, _, _ := strings.Cut(line, " ")
	return strings.ToUpper(name)
}

// notAuthenticatedRefusals are the commands of the authenticated and
// selected states sent before authentication (RFC 3501 sections 3.1, 6.3
// and 6.4). SELECT and LIST have their own cases.
func notAuthenticatedRefusals() []conformance.Case {
	commands := []stateCommand{
		{"examine-before-authentication-refused", "EXAMINE is refused before authentication", "EXAMINE INBOX"},
		{"create-before-authentication-refused", "CREATE is refused before authentication", "CREATE imapgauge-unauthenticated"},
		{"delete-before-authentication-refused", "DELETE is refused before authentication", "DELETE imapgauge-unauthenticated"},
		{"rename-before-authentication-refused", "RENAME is refused before authentication", "RENAME imapgauge-unauthenticated imapgauge-unauthenticated-2"},
		{"subscribe-before-authentication-refused", "SUBSCRIBE is refused before authentication", "SUBSCRIBE INBOX"},
		{"unsubscribe-before-authentication-refused", "UNSUBSCRIBE is refused before authentication", "UNSUBSCRIBE INBOX"},
		{"lsub-before-authentication-refused", "LSUB is refused before authentication and lists nothing", `LSUB "" "*"`},
		{"status-before-authentication-refused", "STATUS is refused before authentication and reports nothing", "STATUS INBOX (MESSAGES UIDNEXT)"},
		{"append-before-authentication-refused", "APPEND is refused before authentication", "APPEND INBOX"},
		{"check-before-authentication-refused", "CHECK is refused before authentication", "CHECK"},
		{"close-before-authentication-refused", "CLOSE is refused before authentication", "CLOSE"},
		{"expunge-before-authentication-refused", "EXPUNGE is refused before authentication", "EXPUNGE"},
		{"search-before-authentication-refused", "SEARCH is refused before authentication", "SEARCH ALL"},
		{"fetch-before-authentication-refused", "FETCH is refused before authentication", "FETCH 1 (FLAGS)"},
		{"store-before-authentication-refused", "STORE is refused before authentication", `STORE 1 +FLAGS (\Seen)`},
		{"copy-before-authentication-refused", "COPY is refused before authentication", "COPY 1 INBOX"},
		{"uid-fetch-before-authentication-refused", "UID FETCH is refused before authentication", "UID FETCH 1:* (FLAGS)"},
	}
	var cases []conformance.Case
	for _, c := range commands {
		name := commandName(c.line)
		cases = append(cases, conformance.Case{
			Name:      c.name,
			Title:     c.title,
			Level:     conformance.Must,
			Sentence:  wrongStateSentence,
			Commands:  []string{name},
			Responses: []string{"NO", "BAD"},
			Faults:    []fault.Fault{refusedFault(name, "before authentication")},
			Run: func(t *conformance.T) {
				s := t.Dial()
				if s.Greeting.Name != "OK" {
					t.Skipf("the greeting is %s, not OK: the session does not start unauthenticated", s.Greeting.Name)
				}
				sendRefused(t, s, c)
			},
		})
	}
	return cases
}

// authenticatedRefusals are the commands of the selected state sent in the
// authenticated state, with no mailbox selected (RFC 3501 sections 3.2 and
// 6.4).
func authenticatedRefusals() []conformance.Case {
	const sentence = `In the authenticated state, the client is authenticated and MUST select a mailbox to access
before commands that affect messages will be permitted.`
	commands := []stateCommand{
		{"check-without-selected-mailbox-refused", "CHECK is refused when no mailbox is selected", "CHECK"},
		{"close-without-selected-mailbox-refused", "CLOSE is refused when no mailbox is selected", "CLOSE"},
		{"expunge-without-selected-mailbox-refused", "EXPUNGE is refused when no mailbox is selected", "EXPUNGE"},
		{"search-without-selected-mailbox-refused", "SEARCH is refused when no mailbox is selected", "SEARCH ALL"},
		{"fetch-without-selected-mailbox-refused", "FETCH is refused when no mailbox is selected", "FETCH 1 (FLAGS)"},
		{"store-without-selected-mailbox-refused", "STORE is refused when no mailbox is selected", `STORE 1 +FLAGS (\Seen)`},
		{"copy-without-selected-mailbox-refused", "COPY is refused when no mailbox is selected", "COPY 1 "},
		{"uid-fetch-without-selected-mailbox-refused", "UID FETCH is refused when no mailbox is selected", "UID FETCH 1:* (FLAGS)"},
	}
	var cases []conformance.Case
	for _, c := range commands {
		name := commandName(c.line)
		cases = append(cases, conformance.Case{
			Name:      c.name,
			Title:     c.title,
			Level:     conformance.Must,
			Sentence:  sentence,
			Commands:  []string{name},
			Responses: []string{"NO", "BAD"},
			Faults:    []fault.Fault{refusedFault(name, "with no mailbox selected")},
			Run: func(t *conformance.T) {
				s := t.Login(0)
				cmd := c
				if strings.HasSuffix(cmd.line, " ") {
					// COPY names a real mailbox (an atom), so that only the
					// state is wrong.
					cmd.line += t.Mailbox(0)
				}
				sendRefused(t, s, cmd)
			},
		})
	}
	return cases
}

// leftSelectedState checks that s has no mailbox selected any more: a
// command of the selected state is refused.
func leftSelectedState(t *conformance.T, s *conformance.Session, after string) {
	r := s.Tx("", "FETCH 1 (UID)")
	if r.Status() == "OK" {
		t.Mismatch([]string{"tagged NO", "tagged BAD"}, show1(r.Tagged), "FETCH after %s: a mailbox is still selected", after)
	}
	r.Only()
}

// stateChanges check the ways back to the authenticated state (RFC 3501
// section 3.2).
func stateChanges() []conformance.Case {
	const sentence = `This state is entered when a pre-authenticated connection starts, when acceptable
authentication credentials have been provided, after an error in selecting a mailbox, or after a
successful CLOSE command.`
	return []conformance.Case{{
		Name:      "failed-select-leaves-authenticated-state",
		Title:     "A failed SELECT deselects the mailbox that was selected",
		Level:     conformance.Must,
		Sentence:  sentence,
		Commands:  []string{"SELECT", "FETCH"},
		Responses: []string{"NO", "BAD"},
		Faults: []fault.Fault{
			refusedFault("FETCH", "after a failed SELECT"),
		},
		Run: func(t *conformance.T) {
			mbox := t.Mailbox(0)
			t.Append(0, mbox, labelledMessage("failed-select"))
			s := t.Select(0, mbox)
			s.Cmd("NO", "SELECT", wire.Astring(mbox+"-missing"))
			leftSelectedState(t, s, "a failed SELECT")
		},
	}, {
		Name:      "failed-examine-leaves-authenticated-state",
		Title:     "A failed EXAMINE deselects the mailbox that was selected",
		Level:     conformance.Must,
		Sentence:  sentence,
		Commands:  []string{"EXAMINE", "FETCH"},
		Responses: []string{"NO", "BAD"},
		Faults: []fault.Fault{
			refusedFault("FETCH", "after a failed EXAMINE"),
		},
		Run: func(t *conformance.T) {
			mbox := t.Mailbox(0)
			t.Append(0, mbox, labelledMessage("failed-examine"))
			s := t.Select(0, mbox)
			s.Cmd("NO", "EXAMINE", wire.Astring(mbox+"-missing"))
			leftSelectedState(t, s, "a failed EXAMINE")
		},
	}, {
		Name:      "close-leaves-authenticated-state",
		Title:     "After CLOSE no mailbox is selected",
		Level:     conformance.Must,
		Sentence:  sentence,
		Commands:  []string{"CLOSE", "FETCH"},
		Responses: []string{"OK", "NO", "BAD"},
		Faults: []fault.Fault{
			refusedFault("FETCH", "after CLOSE"),
		},
		Run: func(t *conformance.T) {
			mbox := t.Mailbox(0)
			t.Append(0, mbox, labelledMessage("close-state"))
			s := t.Select(0, mbox)
			s.Tx("OK", "CLOSE")
			leftSelectedState(t, s, "CLOSE")
		},
	}, {
		Name:      "authenticated-state-after-close-allows-select",
		Title:     "After CLOSE the session is authenticated: SELECT works again",
		Level:     conformance.Must,
		Sentence:  sentence,
		Commands:  []string{"CLOSE", "SELECT", "FETCH"},
		Responses: []string{"OK", "FETCH"},
		Faults: []fault.Fault{
			rewriteNth("SELECT refused after CLOSE", "SELECT", 2, `^(\S+) OK `, "$1 BAD "),
		},
		Run: func(t *conformance.T) {
			mbox := t.Mailbox(0)
			t.Append(0, mbox, labelledMessage("close-reselect"))
			s := t.Select(0, mbox)
			s.Tx("OK", "CLOSE")
			s.Cmd("OK", "SELECT", wire.Astring(mbox))
			requireFetch(t, s.Tx("OK", "FETCH 1 (UID)"), 1, "UID")
		},
	}}
}

// rejectedCommandsKeepState checks RFC 3501 section 6: a BAD command does
// not change the state.
func rejectedCommandsKeepState() []conformance.Case {
	const sentence = `A rejected command (BAD response) never changes the state of the connection or of the
selected mailbox.`
	return []conformance.Case{{
		Name:      "bad-select-keeps-mailbox-selected",
		Title:     "A SELECT rejected with BAD leaves the selected mailbox selected",
		Level:     conformance.Must,
		Sentence:  sentence,
		Commands:  []string{"SELECT", "FETCH"},
		Responses: []string{"BAD", "FETCH"},
		Faults: []fault.Fault{
			fault.RewriteResponse("mailbox deselected by a bad SELECT", "FETCH", `^(\S+) OK `, "$1 BAD "),
		},
		Run: func(t *conformance.T) {
			mbox := t.Mailbox(0)
			t.Append(0, mbox, labelledMessage("bad-select"))
			s := t.Select(0, mbox)
			s.Tx("BAD", "SELECT") // select = "SELECT" SP mailbox: the argument is missing.
			requireFetch(t, s.Tx("OK", "FETCH 1 (UID)"), 1, "UID")
		},
	}, {
		Name:      "bad-login-keeps-not-authenticated-state",
		Title:     "A LOGIN rejected with BAD leaves the session unauthenticated",
		Level:     conformance.Must,
		Sentence:  sentence,
		Commands:  []string{"LOGIN", "LIST"},
		Responses: []string{"BAD", "NO"},
		Faults: []fault.Fault{
			refusedFault("LIST", "after a bad LOGIN"),
		},
		Run: func(t *conformance.T) {
			s := t.Dial()
			if s.Greeting.Name != "OK" {
				t.Skipf("the greeting is %s, not OK: the session does not start unauthenticated", s.Greeting.Name)
			}
			// Three arguments: login = "LOGIN" SP userid SP password.
			s.Cmd("BAD", "LOGIN", wire.Astring(t.User(0).Name), wire.Secret(t.User(0).Password), wire.Atom("extra"))
			s.Tx("NO|BAD", `LIST "" "*"`).Only()
		},
	}, {
		Name:      "bad-store-changes-no-flags",
		Title:     "A STORE rejected with BAD leaves the flags as they were",
		Level:     conformance.Must,
		Sentence:  sentence,
		Commands:  []string{"STORE", "FETCH"},
		Responses: []string{"BAD", "FETCH"},
		Faults: []fault.Fault{
			addFlag(`\Flagged set by a bad STORE`, "FETCH", `\Flagged`),
		},
		Run: func(t *conformance.T) {
			mbox := t.Mailbox(0)
			t.Append(0, mbox, labelledMessage("bad-store"))
			s := t.Select(0, mbox)
			// store-att-flags = (["+" / "-"] "FLAGS" [".SILENT"]) SP (flag-list / (flag *(SP flag))):
			// "*FLAGS" is not a STORE operation.
			s.Tx("BAD", `STORE 1 *FLAGS (\Flagged)`)
			if got := fetchFlagsOf(t, s.Tx("OK", "FETCH 1 (FLAGS)"), 1); containsFold(got, `\Flagged`) {
				t.Mismatch([]string{`FLAGS without \Flagged`}, "FLAGS ("+strings.Join(got, " ")+")", "after a STORE rejected with BAD")
			}
		},
	}}
}

// logoutState checks RFC 3501 section 3.4: after LOGOUT nothing more is
// executed.
func logoutState() []conformance.Case {
	return []conformance.Case{{
		Name:  "command-pipelined-after-logout-not-executed",
		Title: "A command pipelined after LOGOUT is not answered: the server closes after the LOGOUT OK",
		Level: conformance.Must,
		Sentence: `If the client requests the logout state, the server MUST send an untagged BYE response and a
tagged OK response to the LOGOUT command before the server closes the connection`,
		Commands:  []string{"LOGOUT", "NOOP"},
		Responses: []string{"BYE", "OK"},
		Faults: []fault.Fault{
			fault.InsertAfter("pipelined NOOP answered after LOGOUT", "", `^a2 OK `, "a3 OK NOOP completed\r\n"),
			fault.KeepOpenAfterClose("connection kept open after LOGOUT"),
		},
		Run: func(t *conformance.T) {
			s := t.Login(0)
			logout, noop := s.Conn.NextTag(), s.Conn.NextTag()
			s.WriteRaw(logout+" LOGOUT\r\n"+noop+" NOOP\r\n", logout)
			r := s.WaitTag(logout, "OK")
			if len(r.All("BYE")) == 0 {
				t.Mismatch([]string{"untagged BYE before the tagged OK"}, describeUntagged(r), "LOGOUT completed without an untagged BYE")
			}
			next, err := s.Conn.ReadResponse()
			switch {
			case err == nil:
				t.Mismatch([]string{"the connection closed"}, strings.TrimRight(firstLineOf(string(next.Raw)), "\r\n"),
					"the server answered after the LOGOUT completion")
			case wire.IsTimeout(err):
				t.Mismatch([]string{"the connection closed"}, "the connection still open", "after LOGOUT: %v", err)
			case !errors.Is(err, io.EOF) && !isReset(err):
				t.Errorf("reading after LOGOUT: %v", err)
			}
		},
	}}
}
