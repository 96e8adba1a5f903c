package referenceserver

import (
	"time"

	"github.com/imapgauge/imapgauge/reference-server/internal/command"
)

// appendTarget returns the mailbox APPEND or COPY adds to, or the NO it gets:
// with [TRYCREATE] when CREATE could make the mailbox (RFC 3501 sections
// 6.3.11 and 6.4.7), without it when the name could never be created.
func (u *user) appendTarget(name string) (*mailbox, *statusError) {
	mb, err := u.selectable(name)
	if err == nil {
		return mb, nil
	}
	if canonicalName(name) != "INBOX" && checkNewName(canonicalName(name)) != nil {
		return nil, errNo("", "Mailbox does not exist, and the name is not valid for a new mailbox")
	}
	return nil, errNo("TRYCREATE", "Mailbox does not exist; CREATE it first")
}

// beforeAppendMessage refuses an APPEND before the client sends its message
// when the flags are refused or the mailbox does not exist.
func (sess *session) beforeAppendMessage(cmd *command.Command, size int64) *command.Error {
	if _, err := parseFlags(cmd.Flags); err != nil {
		return &command.Error{Status: "BAD", Text: err.Error()}
	}
	if _, err := sess.user.appendTarget(cmd.Mailbox); err != nil {
		text := err.text
		if err.code != "" {
			text = "[" + err.code + "] " + text
		}
		return &command.Error{Status: err.status, Text: text}
	}
	return nil
}

// cmdAppend implements APPEND (RFC 3501 section 6.3.11): flags, internal
// date (now when absent) and the message. The mailbox must exist. A client
// with the mailbox selected learns of the new message from the EXISTS that
// follows.
func (sess *session) cmdAppend(cmd *command.Command) error {
	if _, err := parseFlags(cmd.Flags); err != nil {
		return errBad("%s", err.Error())
	}
	mb, err := sess.user.appendTarget(cmd.Mailbox)
	if err != nil {
		return err
	}
	date := cmd.Date
	if date.IsZero() {
		date = time.Now()
	}
	if _, err := mb.appendMessages([]newMessage{{raw: cmd.Message, date: date, flags: cmd.Flags}}); err != nil {
		return err
	}
	return nil
}
