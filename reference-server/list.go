package referenceserver

import (
	"strings"

	"github.com/imapgauge/imapgauge/reference-server/internal/command"
	mail "github.com/imapgauge/imapgauge/reference-server/internal/message"
)

// cmdList implements LIST and LSUB (RFC 3501 sections 6.3.8 and 6.3.9).
//
// The reference and the mailbox name are concatenated into one pattern. An
// empty mailbox name asks for the delimiter and the root of the reference.
// When "%" ends the pattern, levels of hierarchy that match but are not
// themselves listed (LIST) or subscribed (LSUB) are returned with \Noselect.
// LIST adds \HasChildren or \HasNoChildren (RFC 3348).
func (sess *session) cmdList(cmd *command.Command) error {
	lsub := cmd.Name == "LSUB"
	if cmd.Pattern == "" {
		if lsub {
			return nil
		}
		// "The value returned as the root MAY be the empty string if
		// the reference is non-rooted": names here have no root, so the
		// root is the reference's first level, if it has one.
		root := ""
		if i := strings.IndexByte(cmd.Mailbox, delimiter); i >= 0 {
			root = cmd.Mailbox[:i+1]
		}
		sess.out = append(sess.out, `* LIST (\Noselect) "/" `...)
		sess.out = mail.AppendString(sess.out, root)
		sess.out = append(sess.out, "\r\n"...)
		return nil
	}
	pat := newPattern(cmd.Mailbox, cmd.Pattern)
	var entries []listEntry
	if lsub {
		entries = sess.user.subscriptions()
	} else {
		entries = sess.user.names()
	}
	listed := make(map[string]bool, len(entries))
	var out []listEntry
	for _, e := range entries {
		listed[e.name] = true
		if pat.match(e.name) {
			out = append(out, e)
		}
	}
	if pat.endsWithPercent() {
		implied := map[string]bool{}
		for _, e := range entries {
			for p := parentName(e.name); p != ""; p = parentName(p) {
				if listed[p] || implied[p] {
					continue
				}
				if pat.match(p) {
					implied[p] = true
					out = append(out, listEntry{name: p, children: true})
				}
			}
		}
		sortNames(out)
	}
	resp := "LIST"
	if lsub {
		resp = "LSUB"
	}
	for _, e := range out {
		sess.out = append(sess.out, "* "+resp+" ("...)
		var attrs []string
		if !e.selectable {
			attrs = append(attrs, `\Noselect`)
		}
		if !lsub {
			if e.children {
				attrs = append(attrs, `\HasChildren`)
			} else {
				attrs = append(attrs, `\HasNoChildren`)
			}
		}
		sess.out = append(sess.out, strings.Join(attrs, " ")...)
		sess.out = append(sess.out, `) "/" `...)
		sess.out = mail.AppendString(sess.out, e.name)
		sess.out = append(sess.out, "\r\n"...)
		if len(sess.out) > 64<<10 {
			sess.flushOut()
		}
	}
	return nil
}
