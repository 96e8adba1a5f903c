package referenceserver

import (
	"strings"
	"testing"
	"time"
)

// searchServer holds four messages; 1 to 3 are no longer \Recent, 4 is.
func searchServer(t *testing.T) *client {
	t.Helper()
	srv := startServer(t, Options{})
	add := func(raw string, flags []string, date time.Time) {
		t.Helper()
		if _, err := srv.Append(alice, "INBOX", []byte(raw), flags, date); err != nil {
			t.Fatal(err)
		}
	}
	noon := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 12, 0, 0, 0, time.UTC) }
	add(testMessage("one"), []string{`\Answered`}, noon(2024, 3, 10))
	add("From: John Smith <smith@example.org>\r\nTo: joe@example.org\r\nCc: carol@example.org\r\nBcc: dave@example.org\r\n"+
		"Subject: Meeting tomorrow\r\nDate: Tue, 1 Feb 1994 23:30:00 -0800\r\nX-Priority: 1\r\n\r\nShall we have lunch at noon?\r\n",
		[]string{`\Flagged`, `\Seen`, "$Work"}, noon(1994, 2, 1))
	add("From: pierre@example.fr\r\nSubject: =?ISO-8859-1?Q?caf=E9?=\r\nDate: 2 Feb 1994 08:00:00 +0100\r\n"+
		"Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\nZMOpasOgIHZ1Cg==\r\n",
		[]string{`\Deleted`, `\Draft`}, noon(1994, 2, 2))
	c := login(t, srv, alice)
	c.do("s", "SELECT INBOX", "OK") // takes \Recent from 1 to 3
	add("Subject: big\r\n\r\n"+strings.Repeat("x", 2000)+"\r\n", nil, noon(2024, 3, 11))
	c.do("s", "SELECT INBOX", "OK")
	return c
}

// RFC 3501 section 6.4.4: each search key.
func TestSearchKeys(t *testing.T) {
	c := searchServer(t)
	for _, tc := range []struct{ criteria, want string }{
		{"ALL", "1 2 3 4"},
		{"ANSWERED", "1"},
		{"UNANSWERED", "2 3 4"},
		{"DELETED", "3"},
		{"UNDELETED", "1 2 4"},
		{"DRAFT", "3"},
		{"UNDRAFT", "1 2 4"},
		{"FLAGGED", "2"},
		{"UNFLAGGED", "1 3 4"},
		{"SEEN", "2"},
		{"UNSEEN", "1 3 4"},
		{"RECENT", "4"},
		{"OLD", "1 2 3"},
		{"NEW", "4"},
		{"KEYWORD $Work", "2"},
		{"KEYWORD $work", "2"},
		{"UNKEYWORD $Work", "1 3 4"},
		{"KEYWORD $Nonexistent", ""},
		{"FROM smith", "2"},
		{"FROM SMITH", "2"},
		{`FROM "John Smith"`, "2"},
		{"TO joe", "2"},
		{"CC carol", "2"},
		{"BCC dave", "2"},
		{"SUBJECT meeting", "2"},
		{"SUBJECT caf", "3"},
		{"HEADER X-Priority 1", "2"},
		{`HEADER X-Priority ""`, "2"},
		{`HEADER subject ""`, "1 2 3 4"},
		{"BODY lunch", "2"},
		{"BODY Meeting", ""},
		{"TEXT Meeting", "2"},
		{"TEXT lunch", "2"},
		{`TEXT "string not in mailbox"`, ""},
		{"BEFORE 2-Feb-1994", "2"},
		{"ON 2-Feb-1994", "3"},
		{`ON "02-Feb-1994"`, "3"},
		{"SINCE 2-Feb-1994", "1 3 4"},
		{"SINCE 11-Mar-2024", "4"},
		// the Date: header as written, whatever its zone
		{"SENTON 1-Feb-1994", "2"},
		{"SENTBEFORE 2-Feb-1994", "2"},
		{"SENTSINCE 2-Feb-1994", "1 3"},
		{"SENTSINCE 1-Jan-1990", "1 2 3"},
		{"LARGER 1000", "4"},
		{"SMALLER 200", "1 3"},
		{"SMALLER 151", "1"},
		{"LARGER 4294967295", ""},
		{"UID 2:3", "2 3"},
		{"UID 3:*", "3 4"},
		{"UID 100:*", "4"},
		{"2,4", "2 4"},
		{"*", "4"},
		{"3:*", "3 4"},
		{"NOT SEEN", "1 3 4"},
		{"NOT NOT SEEN", "2"},
		{"OR SEEN DELETED", "2 3"},
		{"OR (SEEN FLAGGED) OR DRAFT ANSWERED", "1 2 3"},
		{"FLAGGED SINCE 1-Feb-1994 NOT FROM \"Smith\"", ""},
		{"(UNSEEN UNDELETED) SMALLER 1000", "1"},
		{"CHARSET US-ASCII SUBJECT big", "4"},
		{"charset utf-8 SUBJECT big", "4"},
	} {
		want := "* SEARCH"
		if tc.want != "" {
			want += " " + tc.want
		}
		lines := c.do("a", "SEARCH "+tc.criteria, "OK")
		if len(lines) != 2 || lines[0] != want {
			t.Errorf("SEARCH %s:\n got %q\nwant %q", tc.criteria, lines, want)
		}
	}
}

func TestSearchCharsetsAndErrors(t *testing.T) {
	c := searchServer(t)
	c.run(`
# RFC 3501 section 6.4.4: "A284 SEARCH CHARSET UTF-8 TEXT {6}"; the
# encoded word of the Subject is decoded before matching
C: A284 SEARCH CHARSET UTF-8 SUBJECT {5}
S: + Ready for literal data
C: café
S: * SEARCH 3
S: A284 OK SEARCH completed
# the base64 UTF-8 body is decoded, and matched without regard to case
C: a1 SEARCH CHARSET UTF-8 BODY {6}
S: + Ready for literal data
C: DÉJÀ
S: * SEARCH 3
S: a1 OK SEARCH completed
C: a2 SEARCH CHARSET ISO-8859-1 ALL
S: a2 NO [BADCHARSET (US-ASCII UTF-8)] Charset ISO-8859-1 is not supported
C: a3 SEARCH CHARSET "" ALL
S: a3 BAD Charset name must not be empty
C: a4 SEARCH SUBJECT {5}
S: + Ready for literal data
C: café
S: a4 BAD SUBJECT search string has 8-bit octets but the charset is US-ASCII; say CHARSET UTF-8
C: a5 SEARCH CHARSET UTF-8 TEXT {2}
S: + Ready for literal data`)
	c.send("\xff\xfe\r\n")
	c.run(`
S: a5 BAD TEXT search string is not valid UTF-8
# sequence sets beyond the last message match nothing
C: a6 SEARCH 5:10
S: * SEARCH
S: a6 OK SEARCH completed
C: a7 SEARCH FOOBAR
S: a7 BAD Unknown search key FOOBAR
C: a8 SEARCH
S: a8 BAD SP expected, found end of line
C: a9 SEARCH FROM
S: a9 BAD SP expected, found end of line
C: a10 SEARCH BEFORE 31-Feb-2000
S: a10 BAD Invalid date: day 31 does not exist in that month
C: a11 SEARCH (SEEN
S: a11 BAD SP expected, found end of line
C: a12 SEARCH SEEN)
S: a12 BAD SP expected, found ")"
C: a13 SEARCH KEYWORD \Seen
S: a13 BAD Keyword expected, found "\\Seen"
C: a14 SEARCH LARGER -1
S: a14 BAD LARGER size expected (a number), found "-1"
C: a15 SEARCH OR SEEN
S: a15 BAD SP expected, found end of line
C: a16 SEARCH ALL CHARSET UTF-8
S: a16 BAD CHARSET must come first, before any search key`)
}

// An empty mailbox: "*" matches nothing, UID SEARCH works.
func TestSearchEmptyMailbox(t *testing.T) {
	srv := startServer(t, Options{})
	c := login(t, srv, alice)
	c.do("s", "SELECT INBOX", "OK")
	c.run(`
C: a1 SEARCH *
S: * SEARCH
S: a1 OK SEARCH completed
C: a2 UID SEARCH 1:*
S: * SEARCH
S: a2 OK UID SEARCH completed`)
}
