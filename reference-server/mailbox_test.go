package referenceserver

import (
	"strings"
	"testing"
)

// RFC 3501 section 6.3.3.
func TestCreate(t *testing.T) {
	srv := startServer(t, Options{})
	c := login(t, srv, alice)
	c.run(`
C: A003 CREATE owatagusiam/
S: A003 OK CREATE completed
C: A004 CREATE owatagusiam/blurdybloop
S: A004 OK CREATE completed
C: a1 CREATE owatagusiam
S: a1 NO Mailbox already exists
C: a2 CREATE INBOX
S: a2 NO INBOX always exists
C: a3 CREATE inbox
S: a3 NO INBOX always exists
# superiors are created as needed
C: a4 CREATE foo/bar/zap
S: a4 OK CREATE completed
C: a5 LIST "" *
S: * LIST (\HasNoChildren) "/" "INBOX"
S: * LIST (\HasChildren) "/" "foo"
S: * LIST (\HasChildren) "/" "foo/bar"
S: * LIST (\HasNoChildren) "/" "foo/bar/zap"
S: * LIST (\HasChildren) "/" "owatagusiam"
S: * LIST (\HasNoChildren) "/" "owatagusiam/blurdybloop"
S: a5 OK LIST completed
# names that cannot be created
C: a6 CREATE ""
S: a6 NO Mailbox name is empty
C: a7 CREATE /lead
S: a7 NO Mailbox name begins with the hierarchy delimiter "/"
C: a8 CREATE x//y
S: a8 NO Mailbox name has an empty hierarchy level ("//")
C: a9 CREATE "a%b"
S: a9 NO Mailbox name contains a LIST wildcard (% or *)
C: a10 CREATE "&Jjo!"
S: a10 NO Mailbox name is not valid modified UTF-7 (RFC 3501 section 5.1.3)
C: a11 CREATE "&U,BTFw-&ZeVnLIqe-"
S: a11 NO Mailbox name is not valid modified UTF-7 (RFC 3501 section 5.1.3)
C: a12 CREATE {2}
S: + Ready for literal data
C: é
S: a12 NO Mailbox name contains octet 0xc3: {{.*}}
C: a13 CREATE "~peter/mail/&U,BTFw-/&ZeVnLIqe-"
S: a13 OK CREATE completed
C: a14 CREATE "&Jjo-!"
S: a14 OK CREATE completed
C: a15 CREATE "x&-y"
S: a15 OK CREATE completed
# malformed
C: a16 CREATE
S: a16 BAD SP expected, found end of line
C: a17 CREATE a b
S: a17 BAD {{.*}}`)
}

func TestModifiedUTF7(t *testing.T) {
	for name, ok := range map[string]bool{
		"plain": true, "&-": true, "a&-b": true, "&U,BTFw-": true, "&Jjo-!": true,
		"~peter/mail/&U,BTFw-/&ZeVnLIqe-": true, "&U,BTF2XlZyyKng-": true,
		"&": false, "&Jjo": false, "&Jjo!": false, "&U,BTFw-&ZeVnLIqe-": false,
		"&AGE-":    false, // encodes "a", which must represent itself
		"&2D3eAA-": true, "&2D0-": false, "&3gA-": false, "&AB-": false, "&A=-": false,
	} {
		if got := validModifiedUTF7(name); got != ok {
			t.Errorf("%q: valid = %v, want %v", name, got, ok)
		}
	}
}

// RFC 3501 section 6.3.4, with the example of the RFC.
func TestDelete(t *testing.T) {
	srv := startServer(t, Options{})
	for _, n := range []string{"blurdybloop", "foo/bar"} {
		if err := srv.CreateMailbox(alice, n); err != nil {
			t.Fatal(err)
		}
	}
	seed(t, srv, alice, "foo", "in foo")
	c := login(t, srv, alice)
	c.run(`
C: A683 DELETE blurdybloop
S: A683 OK DELETE completed
# foo has an inferior: its messages go, the name stays as \Noselect
C: A684 DELETE foo
S: A684 OK DELETE completed
C: A685 LIST "" *
S: * LIST (\HasNoChildren) "/" "INBOX"
S: * LIST (\Noselect \HasChildren) "/" "foo"
S: * LIST (\HasNoChildren) "/" "foo/bar"
S: A685 OK LIST completed
C: a1 SELECT foo
S: a1 NO Mailbox is a \Noselect name: it holds no messages
C: a2 DELETE foo
S: a2 NO Name has inferior hierarchical names and is \Noselect: delete them first
C: A686 DELETE foo/bar
S: A686 OK DELETE completed
C: A687 DELETE foo
S: A687 OK DELETE completed
C: a3 DELETE foo
S: a3 NO Mailbox does not exist
C: a4 DELETE INBOX
S: a4 NO INBOX cannot be deleted
C: a5 DELETE inbox
S: a5 NO INBOX cannot be deleted
C: a6 DELETE
S: a6 BAD {{.*}}
C: a7 LIST "" *
S: * LIST (\HasNoChildren) "/" "INBOX"
S: a7 OK LIST completed`)
}

// A name recreated after DELETE gets a new UIDVALIDITY (RFC 3501 section
// 2.3.1.1), so old UIDs cannot be confused with new ones.
func TestRecreateNewUIDValidity(t *testing.T) {
	srv := startServer(t, Options{})
	c := login(t, srv, alice)
	c.do("a", "CREATE box", "OK")
	first := status(t, c, "box", "UIDVALIDITY")
	c.do("b", "DELETE box", "OK")
	c.do("c", "CREATE box", "OK")
	if second := status(t, c, "box", "UIDVALIDITY"); second == first {
		t.Fatalf("UIDVALIDITY reused: %s", first)
	}
}

// status returns the value of one STATUS item.
func status(t *testing.T, c *client, mailbox, item string) string {
	t.Helper()
	lines := c.do("st", "STATUS "+mailbox+" ("+item+")", "OK")
	f := strings.Fields(strings.Trim(lines[0], "()"))
	return strings.TrimSuffix(f[len(f)-1], ")")
}

// RFC 3501 section 6.3.5, with the examples of the RFC.
func TestRename(t *testing.T) {
	srv := startServer(t, Options{})
	for _, n := range []string{"blurdybloop", "foo/bar", "INBOX/bar"} {
		if err := srv.CreateMailbox(alice, n); err != nil {
			t.Fatal(err)
		}
	}
	seed(t, srv, alice, "INBOX", "one", "two")
	seed(t, srv, alice, "blurdybloop", "three")
	c := login(t, srv, alice)
	v := status(t, c, "blurdybloop", "UIDVALIDITY")
	c.run(`
C: A683 RENAME blurdybloop sarasoop
S: A683 OK RENAME completed
C: A684 RENAME foo zowie
S: A684 OK RENAME completed
C: A685 LIST "" *
S: * LIST (\HasChildren) "/" "INBOX"
S: * LIST (\HasNoChildren) "/" "INBOX/bar"
S: * LIST (\HasNoChildren) "/" "sarasoop"
S: * LIST (\HasChildren) "/" "zowie"
S: * LIST (\HasNoChildren) "/" "zowie/bar"
S: A685 OK LIST completed
C: a1 STATUS sarasoop (MESSAGES UIDVALIDITY)
S: * STATUS "sarasoop" (MESSAGES 1 UIDVALIDITY ` + v + `)
S: a1 OK STATUS completed
# INBOX: its messages move, INBOX stays (empty) with its inferiors
C: Z433 RENAME INBOX old-mail
S: Z433 OK RENAME completed
C: Z434 LIST "" *
S: * LIST (\HasChildren) "/" "INBOX"
S: * LIST (\HasNoChildren) "/" "INBOX/bar"
S: * LIST (\HasNoChildren) "/" "old-mail"
S: * LIST (\HasNoChildren) "/" "sarasoop"
S: * LIST (\HasChildren) "/" "zowie"
S: * LIST (\HasNoChildren) "/" "zowie/bar"
S: Z434 OK LIST completed
C: a2 STATUS INBOX (MESSAGES UIDNEXT)
S: * STATUS "INBOX" (MESSAGES 0 UIDNEXT 3)
S: a2 OK STATUS completed
C: a3 STATUS old-mail (MESSAGES UIDNEXT)
S: * STATUS "old-mail" (MESSAGES 2 UIDNEXT 3)
S: a3 OK STATUS completed
# superiors of the new name are created
C: a4 RENAME sarasoop a/b/c
S: a4 OK RENAME completed
C: a5 LIST "" a*
S: * LIST (\HasChildren) "/" "a"
S: * LIST (\HasChildren) "/" "a/b"
S: * LIST (\HasNoChildren) "/" "a/b/c"
S: a5 OK LIST completed
C: a6 RENAME nosuch x
S: a6 NO Mailbox does not exist
C: a7 RENAME zowie old-mail
S: a7 NO A mailbox with the new name already exists
C: a8 RENAME zowie INBOX
S: a8 NO INBOX already exists
C: a9 RENAME zowie zowie/bar/x
S: a9 NO {{.*}}
C: a10 RENAME zowie "bad%name"
S: a10 NO Mailbox name contains a LIST wildcard (% or *)
C: a11 RENAME zowie
S: a11 BAD {{.*}}`)
}

// RFC 3501 sections 6.3.6 and 6.3.7, and LSUB (6.3.9) with the \Noselect rule
// for "%".
func TestSubscribeAndLsub(t *testing.T) {
	srv := startServer(t, Options{})
	for _, n := range []string{"news/comp/mail/mime", "news/comp/mail/misc", "other"} {
		if err := srv.CreateMailbox(alice, n); err != nil {
			t.Fatal(err)
		}
	}
	c := login(t, srv, alice)
	c.run(`
C: A002 SUBSCRIBE news/comp/mail/mime
S: A002 OK SUBSCRIBE completed
C: a1 SUBSCRIBE news/comp/mail/misc
S: a1 OK SUBSCRIBE completed
C: a2 SUBSCRIBE inbox
S: a2 OK SUBSCRIBE completed
C: a3 SUBSCRIBE nosuch
S: a3 NO Mailbox does not exist
C: a4 LSUB "" *
S: * LSUB () "/" "INBOX"
S: * LSUB () "/" "news/comp/mail/mime"
S: * LSUB () "/" "news/comp/mail/misc"
S: a4 OK LSUB completed
C: a5 LSUB "news/" "comp/mail/*"
S: * LSUB () "/" "news/comp/mail/mime"
S: * LSUB () "/" "news/comp/mail/misc"
S: a5 OK LSUB completed
# "foo/bar" subscribed but not "foo": "%" returns foo with \Noselect
C: a6 LSUB "news/" "comp/%"
S: * LSUB (\Noselect) "/" "news/comp/mail"
S: a6 OK LSUB completed
C: a7 LSUB "" %
S: * LSUB () "/" "INBOX"
S: * LSUB (\Noselect) "/" "news"
S: a7 OK LSUB completed
C: A003 UNSUBSCRIBE news/comp/mail/mime
S: A003 OK UNSUBSCRIBE completed
C: a8 UNSUBSCRIBE news/comp/mail/mime
S: a8 OK UNSUBSCRIBE completed
# a deleted mailbox stays subscribed, and shows it cannot be selected
C: a9 DELETE news/comp/mail/misc
S: a9 OK DELETE completed
C: a10 LSUB "" news*
S: * LSUB (\Noselect) "/" "news/comp/mail/misc"
S: a10 OK LSUB completed
C: a11 LSUB "" ""
S: a11 OK LSUB completed
C: a12 SUBSCRIBE
S: a12 BAD {{.*}}
C: a13 UNSUBSCRIBE a b
S: a13 BAD {{.*}}
C: a14 LSUB ""
S: a14 BAD {{.*}}`)
}

// RFC 3501 section 6.3.8.
func TestList(t *testing.T) {
	srv := startServer(t, Options{})
	for _, n := range []string{"Drafts", "foo/bar/baz", "foo/qux", "INBOX/sub"} {
		if err := srv.CreateMailbox(alice, n); err != nil {
			t.Fatal(err)
		}
	}
	c := login(t, srv, alice)
	c.run(`
# an empty pattern asks for the delimiter and the root
C: A101 LIST "" ""
S: * LIST (\Noselect) "/" ""
S: A101 OK LIST completed
C: A103 LIST foo/bar ""
S: * LIST (\Noselect) "/" "foo/"
S: A103 OK LIST completed
C: a1 LIST "" %
S: * LIST (\HasChildren) "/" "INBOX"
S: * LIST (\HasNoChildren) "/" "Drafts"
S: * LIST (\HasChildren) "/" "foo"
S: a1 OK LIST completed
C: a2 LIST foo/ %
S: * LIST (\HasChildren) "/" "foo/bar"
S: * LIST (\HasNoChildren) "/" "foo/qux"
S: a2 OK LIST completed
C: a3 LIST foo *
S: * LIST (\HasChildren) "/" "foo"
S: * LIST (\HasChildren) "/" "foo/bar"
S: * LIST (\HasNoChildren) "/" "foo/bar/baz"
S: * LIST (\HasNoChildren) "/" "foo/qux"
S: a3 OK LIST completed
C: a4 LIST "" f%/%
S: * LIST (\HasChildren) "/" "foo/bar"
S: * LIST (\HasNoChildren) "/" "foo/qux"
S: a4 OK LIST completed
# INBOX matches case-insensitively and is returned as INBOX
C: a5 LIST "" inbox
S: * LIST (\HasChildren) "/" "INBOX"
S: a5 OK LIST completed
C: a6 LIST "" InBoX/*
S: * LIST (\HasNoChildren) "/" "INBOX/sub"
S: a6 OK LIST completed
C: a7 LIST "" nomatch*
S: a7 OK LIST completed
C: a8 LIST "" "*%*%%**"
S: * LIST {{.*}} "INBOX"
S: * LIST {{.*}} "INBOX/sub"
S: * LIST {{.*}} "Drafts"
S: * LIST {{.*}} "foo"
S: * LIST {{.*}} "foo/bar"
S: * LIST {{.*}} "foo/bar/baz"
S: * LIST {{.*}} "foo/qux"
S: a8 OK LIST completed
C: a9 LIST {0}
S: + Ready for literal data
C:  {3}
S: + Ready for literal data
C: fo*
S: * LIST (\HasChildren) "/" "foo"
S: * LIST (\HasChildren) "/" "foo/bar"
S: * LIST (\HasNoChildren) "/" "foo/bar/baz"
S: * LIST (\HasNoChildren) "/" "foo/qux"
S: a9 OK LIST completed
C: a10 LIST "" (foo)
S: a10 BAD Mailbox pattern expected, found "(foo)"
C: a11 LIST *
S: a11 BAD {{.*}}`)
}

func TestPatternMatch(t *testing.T) {
	for _, tc := range []struct {
		ref, pat, name string
		want           bool
	}{
		{"", "*", "a/b/c", true},
		{"", "%", "a/b", false},
		{"", "%", "a", true},
		{"", "a/%", "a/b", true},
		{"", "a/%", "a/b/c", false},
		{"a/", "%", "a/b", true},
		{"", "a*c", "a/b/c", true},
		{"", "a%c", "a/c", false},
		{"", "a%c", "abc", true},
		{"", "inbox", "INBOX", true},
		{"", "INB*", "INBOX/x", true},
		{"", "INBOX*", "inboxes", false},
		{"", "x", "X", false},
		{"", "", "", true},
		{"", strings.Repeat("a", 2000), "aaa", false},
	} {
		if got := newPattern(tc.ref, tc.pat).match(tc.name); got != tc.want {
			t.Errorf("ref %q pattern %q name %q: %v, want %v", tc.ref, tc.pat, tc.name, got, tc.want)
		}
	}
}

// RFC 3501 section 6.3.10.
func TestStatus(t *testing.T) {
	srv := startServer(t, Options{})
	if err := srv.CreateMailbox(alice, "blurdybloop"); err != nil {
		t.Fatal(err)
	}
	if err := srv.CreateMailbox(alice, "parent/child"); err != nil {
		t.Fatal(err)
	}
	seed(t, srv, alice, "blurdybloop", "one", "two", "three")
	c := login(t, srv, alice)
	c.run(`
C: A042 STATUS blurdybloop (UIDNEXT MESSAGES)
S: * STATUS "blurdybloop" (UIDNEXT 4 MESSAGES 3)
S: A042 OK STATUS completed
C: a1 STATUS blurdybloop (messages recent uidnext uidvalidity unseen)
S: * STATUS "blurdybloop" (MESSAGES 3 RECENT 3 UIDNEXT 4 UIDVALIDITY {{\d+}} UNSEEN 3)
S: a1 OK STATUS completed
C: a2 STATUS inbox (MESSAGES)
S: * STATUS "INBOX" (MESSAGES 0)
S: a2 OK STATUS completed
C: a3 STATUS nosuch (MESSAGES)
S: a3 NO Mailbox does not exist
C: a4 DELETE parent
S: a4 OK DELETE completed
C: a5 STATUS parent (MESSAGES)
S: a5 NO Mailbox is a \Noselect name: it holds no messages
C: a6 STATUS blurdybloop ()
S: a6 BAD Status data item expected, found ")"
C: a7 STATUS blurdybloop (SIZE)
S: a7 BAD Unknown status data item SIZE
C: a8 STATUS blurdybloop MESSAGES
S: a8 BAD {{.*}}
C: a9 STATUS blurdybloop (MESSAGES
S: a9 BAD {{.*}}`)
	// Selecting takes \Recent: STATUS then reports none.
	c.do("s", "SELECT blurdybloop", "OK")
	c.run(`
C: a10 STATUS blurdybloop (RECENT)
S: * STATUS "blurdybloop" (RECENT 0)
S: a10 OK STATUS completed`)
}
