package rfc3501

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/imapgauge/imapgauge/conformance"
	"github.com/imapgauge/imapgauge/conformance/fault"
	"github.com/imapgauge/imapgauge/conformance/grammar"
	"github.com/imapgauge/imapgauge/conformance/wire"
)

// This file holds what the authenticated-state cases (RFC 3501 section 6.3:
// SELECT, EXAMINE, CREATE, DELETE, RENAME, SUBSCRIBE, UNSUBSCRIBE, LIST,
// LSUB, STATUS, APPEND) and the responses they produce (section 7) share: a
// private mailbox with a hierarchy of names under it, cleaned up whatever
// the case did to it, and readings of LIST, LSUB and STATUS responses.

// mailboxTree is a case's private mailbox (T.Mailbox) for one user and the
// names the case makes under it. Every name under the root, and every
// subscription to one, is removed when the case ends, so a case may create,
// rename and subscribe freely below its root.
type mailboxTree struct {
	t    *conformance.T
	user int
	// s is an authenticated session of the user, for the case's commands.
	s *conformance.Session
	// root is the private mailbox.
	root string
	// delim is the hierarchy delimiter (section 6.3.8: LIST "" ""), ""
	// when the server's names are flat.
	delim string
}

// newMailboxTree creates a private mailbox for user and learns the
// hierarchy delimiter, as a fixture.
func newMailboxTree(t *conformance.T, user int) *mailboxTree {
	m := &mailboxTree{t: t, user: user, root: t.Mailbox(user)}
	// Registered after T.Mailbox's own cleanup, so it runs first: the
	// inferiors go before the root is deleted.
	t.Cleanup(func() { removeBelow(t, user, m.root) })
	m.s = t.Login(user)
	t.Setup(func() { m.delim = treeDelimiter(m.s) })
	return m
}

// hierarchyDelimiter asks LIST "" "" for the hierarchy delimiter (RFC 3501
// section 6.3.8); "" means the names are flat (NIL).
func treeDelimiter(s *conformance.Session) string {
	r := s.Cmd("OK", "LIST", wire.Quoted(""), wire.Quoted(""))
	return r.One("LIST").List.Delimiter
}

// hierarchical makes the case SKIP when the server has no hierarchy.
func (m *mailboxTree) hierarchical() {
	if m.delim == "" {
		m.t.Skipf(`LIST "" "" gives a NIL hierarchy delimiter: the server's mailbox names are flat`)
	}
}

// name returns the name of parts below the root: root/a/b for ("a", "b")
// with "/" as the delimiter. On a flat server the parts are joined with
// "-" instead, which keeps names unique to the case.
func (m *mailboxTree) name(parts ...string) string {
	sep := m.delim
	if sep == "" {
		sep = "-"
	}
	return m.root + sep + strings.Join(parts, sep)
}

// create creates the mailbox named by parts below the root, creating each
// level first so that no case relies on superior names being created for
// it, as a fixture. A superior that exists already (made by an earlier
// CREATE of an inferior) may answer NO. It returns the name.
func (m *mailboxTree) create(parts ...string) string {
	m.t.Setup(func() {
		if len(parts) > 1 {
			m.hierarchical()
		}
		for i := range parts {
			name := m.name(parts[:i+1]...)
			if i == len(parts)-1 {
				createFresh(m.t, m.s, name)
			} else {
				m.s.Cmd("OK|NO", "CREATE", wire.Astring(name))
			}
		}
	})
	return m.name(parts...)
}

// createFresh creates name, unique to the case, in s and fails the case
// unless it was created. A NO is accepted when LIST then shows name as a
// selectable mailbox: Dovecot 2.3 answers NO [ALREADYEXISTS] to a CREATE it
// carried out while another session of the user lists mailboxes, and
// nothing else can have made a name unique to the case. The transcript
// says so.
func createFresh(t *conformance.T, s *conformance.Session, name string) {
	createFreshAs(t, s, name, name)
}

// createFreshAs is createFresh for a CREATE argument that names the
// mailbox listed differently: with a trailing hierarchy delimiter
// (section 6.3.3).
func createFreshAs(t *conformance.T, s *conformance.Session, arg, name string) {
	r := s.Cmd("OK|NO", "CREATE", wire.Astring(arg))
	if r.Status() == "OK" {
		return
	}
	l := listEntry(s.Cmd("OK", "LIST", wire.Quoted(""), wire.Quoted(name)), "LIST", name)
	if l == nil || l.HasAttribute(`\Noselect`) {
		t.Mismatch([]string{"tagged OK"}, show1(r.Tagged), "CREATE %s", name)
	}
	s.Conn.Transcript().Notef("CREATE %s answered NO, but the mailbox exists: it was created", name)
}

// exists reports whether LIST "" name lists name.
func (m *mailboxTree) exists(name string) bool {
	r := m.s.Cmd("OK", "LIST", wire.Quoted(""), wire.Quoted(name))
	return listEntry(r, "LIST", name) != nil
}

// fill appends one labelled message per label to mailbox, as a fixture.
func (m *mailboxTree) fill(mailbox string, labels ...string) {
	m.t.Setup(func() {
		for _, l := range labels {
			m.s.Cmd("OK", "APPEND", wire.Astring(mailbox), wire.Literal(labelledMessage(l)))
		}
	})
}

// noselectName makes a name that exists only as a level of hierarchy, with
// the \Noselect attribute and one inferior mailbox (RFC 3501 sections 6.3.4
// and 7.2.2), and returns the name and its inferior. Servers differ in how
// such a name arises: some list the superiors CREATE makes for an inferior
// as \Noselect, others only a mailbox deleted while it has inferiors; both
// ways are tried, as a fixture, and the case is SKIP when neither gives one.
func (m *mailboxTree) noselectName(part string) (name, inferior string) {
	m.hierarchical()
	name, inferior = m.name(part), m.name(part, "inner")
	m.t.Setup(func() {
		createFresh(m.t, m.s, inferior)
		if m.isNoselect(name) {
			return
		}
		if m.exists(name) {
			m.s.Tx("", "DELETE "+quoteName(name))
		}
	})
	if !m.isNoselect(name) {
		m.t.Skipf("neither CREATE %s nor DELETE of its superior left %s as a \\Noselect name", inferior, name)
	}
	return name, inferior
}

// isNoselect reports whether LIST lists name with \Noselect.
func (m *mailboxTree) isNoselect(name string) bool {
	var l *grammar.ListData
	m.t.Setup(func() {
		l = listEntry(m.s.Cmd("OK", "LIST", wire.Quoted(""), wire.Quoted(name)), "LIST", name)
	})
	return l != nil && l.HasAttribute(`\Noselect`)
}

// removeBelow deletes every name below root, deepest first, and drops
// every subscription to root and the names below it. It is a cleanup: its
// failures do not change the case's outcome.
func removeBelow(t *conformance.T, user int, root string) {
	s := t.Login(user)
	r := s.Cmd("", "LSUB", wire.Quoted(""), wire.Quoted(root+"*"))
	for _, u := range r.All("LSUB") {
		s.Cmd("", "UNSUBSCRIBE", wire.Astring(u.List.Mailbox))
	}
	r = s.Cmd("", "LIST", wire.Quoted(""), wire.Quoted(root+"*"))
	var names []string
	for _, u := range r.All("LIST") {
		if u.List.Mailbox != root && strings.HasPrefix(u.List.Mailbox, root) {
			names = append(names, u.List.Mailbox)
		}
	}
	// An inferior's name is longer than its superior's.
	sort.Slice(names, func(i, j int) bool { return len(names[i]) > len(names[j]) })
	for _, n := range names {
		s.Cmd("", "DELETE", wire.Astring(n))
	}
	s.Logout()
}

// quoteName renders a mailbox name as a quoted string for a command line
// written with Tx.
func quoteName(name string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(name) + `"`
}

// listCmd sends LIST (or LSUB, as kind says) with the reference and the
// pattern as quoted strings, and expects OK.
func listCmd(s *conformance.Session, kind, reference, pattern string) *conformance.Reply {
	return s.Cmd("OK", kind, wire.Quoted(reference), wire.Quoted(pattern))
}

// listEntry returns the data of the LIST (or LSUB) response of r naming
// name, nil when there is none.
func listEntry(r *conformance.Reply, kind, name string) *grammar.ListData {
	for _, u := range r.All(kind) {
		if u.List.Mailbox == name {
			return u.List
		}
	}
	return nil
}

// listedNames returns the names of the LIST (or LSUB) responses of r, in
// the order sent.
func namesIn(r *conformance.Reply, kind string) []string {
	var out []string
	for _, u := range r.All(kind) {
		out = append(out, u.List.Mailbox)
	}
	return out
}

// expectListed fails the case unless r lists name, and returns its data.
func expectListed(t *conformance.T, r *conformance.Reply, kind, name string) *grammar.ListData {
	l := listEntry(r, kind, name)
	if l == nil {
		t.Mismatch([]string{fmt.Sprintf("* %s (...) %q", kind, name)}, showUntagged(r), "%s: %s is not listed", r.Command, name)
	}
	return l
}

// expectNotListed fails the case when r lists name.
func expectNotListed(t *conformance.T, r *conformance.Reply, kind, name string) {
	for _, u := range r.All(kind) {
		if u.List.Mailbox == name {
			t.Mismatch([]string{fmt.Sprintf("no %s response for %q", kind, name)}, show1(u), "%s: %s is listed", r.Command, name)
		}
	}
}

// expectExactly fails the case unless r lists exactly the names want, each
// once, in any order (RFC 3501 fixes no order for LIST responses).
func expectExactly(t *conformance.T, r *conformance.Reply, kind string, want ...string) {
	got := namesIn(r, kind)
	sorted := slices.Clone(got)
	slices.Sort(sorted)
	w := slices.Clone(want)
	slices.Sort(w)
	if !slices.Equal(sorted, w) {
		t.Mismatch([]string{fmt.Sprintf("%s responses for exactly %s, in any order", kind, quotedNames(w))},
			showUntagged(r), "%s: listed %s", r.Command, quotedNames(got))
	}
}

func quotedNames(names []string) string {
	if len(names) == 0 {
		return "no name"
	}
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = fmt.Sprintf("%q", n)
	}
	return strings.Join(q, ", ")
}

// mailboxLabels examines mailbox in s and returns the labels (Subject
// lines, see labelledMessage) of its messages by sequence number. It
// leaves mailbox selected read-only; EXAMINE keeps \Recent (section
// 6.3.2).
func mailboxLabels(t *conformance.T, s *conformance.Session, mailbox string) []string {
	r := s.Cmd("OK", "EXAMINE", wire.Astring(mailbox))
	n := lastExists(r)
	if n < 0 {
		t.Mismatch([]string{"* n EXISTS"}, showUntagged(r), "%s: no EXISTS response", r.Command)
	}
	labels := make([]string, n)
	if n == 0 {
		return labels
	}
	f := s.Tx("OK", "FETCH 1:* (BODY.PEEK[HEADER.FIELDS (SUBJECT)])")
	for _, u := range f.All("FETCH") {
		if u.Number < 1 || int(u.Number) > n || len(u.Fetch.Sections) == 0 {
			continue
		}
		for _, line := range strings.Split(u.Fetch.Sections[0].Data.Value, "\r\n") {
			if v, ok := cutFold(line, "Subject:"); ok {
				labels[u.Number-1] = strings.TrimSpace(v)
			}
		}
	}
	return labels
}

// cutFold is strings.CutPrefix without regard to case.
func cutFold(s, prefix string) (string, bool) {
	if len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix) {
		return s[len(prefix):], true
	}
	return s, false
}

// expectLabels fails the case unless mailbox holds exactly the labelled
// messages want, in that order.
func expectLabels(t *conformance.T, s *conformance.Session, mailbox, what string, want ...string) {
	got := mailboxLabels(t, s, mailbox)
	if !slices.Equal(got, want) {
		t.Mismatch([]string{fmt.Sprintf("%s holding the messages %s", mailbox, labelList(want))},
			fmt.Sprintf("messages %s", labelList(got)), "%s", what)
	}
}

func labelList(labels []string) string {
	if len(labels) == 0 {
		return "(none)"
	}
	return strings.Join(labels, ", ")
}

// expectNotSelectable fails the case unless SELECT name is refused with NO
// (no such mailbox, or a \Noselect name).
func expectNotSelectable(t *conformance.T, s *conformance.Session, name, why string) {
	r := s.Cmd("", "SELECT", wire.Astring(name))
	if r.Status() != "NO" {
		t.Mismatch([]string{"tagged NO"}, show1(r.Tagged), "SELECT %s %s", name, why)
	}
}

// statusOf sends STATUS mailbox (items...) and returns the items of its
// STATUS response, failing the case when the response is missing or lacks
// one of them.
func statusOf(t *conformance.T, s *conformance.Session, mailbox string, items ...string) map[string]uint64 {
	r := s.Cmd("OK", "STATUS", wire.Astring(mailbox), listOf(items...))
	all := r.All("STATUS")
	if len(all) != 1 {
		t.Mismatch([]string{"exactly one untagged STATUS response"}, showUntagged(r), "%s: %d STATUS responses", r.Command, len(all))
	}
	st := all[0].Status
	for _, it := range items {
		if _, ok := st.Items[it]; !ok {
			t.Mismatch([]string{fmt.Sprintf("* STATUS %s (... %s n ...)", quoteName(mailbox), it)}, show1(all[0]),
				"%s: no %s in the STATUS response", r.Command, it)
		}
	}
	return st.Items
}

// untaggedCode returns the untagged OK response of r carrying the response
// code name, nil when there is none.
func untaggedCode(r *conformance.Reply, name string) *grammar.Response {
	for _, u := range r.Untagged {
		if u.Name == "OK" && u.Code != nil && u.Code.Name == name {
			return u
		}
	}
	return nil
}

// okCommand is a fault turning each command named command whose line
// matches pattern into NOOP: the server answers OK without doing anything,
// like a command that reports success it did not achieve.
func okCommand(name, command, pattern string) fault.Fault {
	return rewriteCommandOf(name, command, `^(\S+) .*`+pattern+`.*\r\n$`, "$1 NOOP\r\n")
}

// answer is a fault replacing the tagged status from with to in the
// responses to command: a server that reports the wrong outcome.
func answer(name, command, from, to string) fault.Fault {
	return fault.RewriteResponse(name, command, `^([^*+ ]\S*) `+from+` `, "$1 "+to+" ")
}

// forListMatching limits the responses fault f changes to those of LIST
// and LSUB commands whose line matches pattern, such as the ones with a
// given wildcard: the fixtures' own LIST commands are left alone.
func forListMatching(pattern string, f fault.Fault) fault.Fault {
	re := regexp.MustCompile(pattern)
	return fault.Fault{
		Name: f.Name,
		Command: func(s *fault.State, line []byte) ([]byte, fault.Action) {
			switch commandWords(string(line)) {
			case "LIST", "LSUB":
				s.Data["list matches"] = re.Match(line)
			}
			return line, fault.Forward
		},
		Response: func(s *fault.State, raw []byte) ([]byte, fault.Action) {
			if on, _ := s.Data["list matches"].(bool); !on || (s.Command != "LIST" && s.Command != "LSUB") {
				return raw, fault.Forward
			}
			return f.Response(s, raw)
		},
	}
}
