package conformance

import (
	"strings"
	"testing"

	"github.com/onsi/gomega"

	"github.com/imapgauge/imapgauge/conformance/grammar"
	"github.com/imapgauge/imapgauge/reports"
)

func TestParseTarget(t *testing.T) {
	for _, tc := range []struct {
		in       string
		addr     string
		security Security
		err      string
	}{
		{"imap://127.0.0.1:1143", "127.0.0.1:1143", Plain, ""},
		{"imap://mail.example.org", "mail.example.org:143", Plain, ""},
		{"imaps://mail.example.org", "mail.example.org:993", ImplicitTLS, ""},
		{"IMAP://[::1]:1143?starttls=1", "[::1]:1143", StartTLS, ""},
		{"imap://h:1?starttls=0", "h:1", Plain, ""},
		{"imaps://h:1?starttls=1", "", "", "does not apply"},
		{"imap://alice:pw@h:1", "", "", "must not carry credentials"},
		{"pop3://h:1", "", "", "scheme"},
		{"imap://h:1/INBOX", "", "", "no path"},
		{"imap://h:1?tls=1", "", "", "unknown parameter"},
		{"imap://h:1?starttls=maybe", "", "", "1 or 0"},
		{"imap://", "", "", "no host"},
	} {
		got, err := ParseTarget(tc.in)
		switch {
		case tc.err != "":
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("ParseTarget(%q) err = %v, want %q", tc.in, err, tc.err)
			}
		case err != nil:
			t.Errorf("ParseTarget(%q): %v", tc.in, err)
		case got.Addr != tc.addr || got.Security != tc.security:
			t.Errorf("ParseTarget(%q) = %s %s, want %s %s", tc.in, got.Addr, got.Security, tc.addr, tc.security)
		}
	}
}

func TestParseUsers(t *testing.T) {
	users, err := ParseUsers(" alice:pa:ss , bob:x,")
	if err != nil || len(users) != 2 || users[0].Password != "pa:ss" || users[1].Name != "bob" {
		t.Fatalf("%#v %v", users, err)
	}
	for _, bad := range []string{"alice", ":pw", "alice:"} {
		if _, err := ParseUser(bad); err == nil {
			t.Errorf("ParseUser(%q) accepted", bad)
		}
	}
	// A user never prints its password.
	u := User{Name: "alice", Password: "hunter2"}
	for _, s := range []string{u.String(), u.GoString()} {
		if strings.Contains(s, "hunter2") {
			t.Errorf("%q shows the password", s)
		}
	}
}

func okCase(name string) Case {
	return Case{Name: name, Level: Must, Sentence: "s", Run: func(*T) {}}
}

func TestFlattenChecksTheCatalogRules(t *testing.T) {
	for _, tc := range []struct {
		s    Section
		want string
	}{
		{Section{Suite: "x", Number: "1", Cases: []Case{okCase("a"), okCase("a")}}, "duplicate case ID"},
		{Section{Suite: "x", Number: "1", Cases: []Case{okCase("Bad_Name")}}, "lower-case words"},
		{Section{Suite: "x", Number: "1", Cases: []Case{{Name: "a", Level: "MUSTN'T", Sentence: "s", Run: func(*T) {}}}}, "level"},
		{Section{Suite: "x", Number: "1", Cases: []Case{{Name: "a", Level: Must, Sentence: "1\n2\n3\n4", Run: func(*T) {}}}}, "three lines"},
		{Section{Suite: "x", Number: "1", Cases: []Case{{Name: "a", Level: Must, Run: func(*T) {}}}}, "no RFC sentence"},
		{Section{Suite: "x", Number: "1", Cases: []Case{{Name: "a", Level: Must, Sentence: "s"}}}, "no Run"},
		{Section{Suite: "x", Number: "1", Cases: []Case{{Name: "a", Level: Must, Sentence: "s", Needs: []string{"A/B"}, Run: func(*T) {}}}}, "cannot be a label"},
		{Section{Suite: "x", Number: "6.a", Cases: []Case{okCase("a")}}, "malformed"},
	} {
		if _, err := Flatten(tc.s); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Flatten: err = %v, want %q", err, tc.want)
		}
	}
	cases, err := Flatten(Section{Suite: "rfc3501", Number: "6.2.1", Title: "STARTTLS Command", Cases: []Case{
		{Name: "a", Level: Should, Sentence: "s", Needs: []string{"STARTTLS"}, Run: func(*T) {}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if id := cases[0].ID(); id != "rfc3501/6.2.1/a" {
		t.Errorf("ID = %s", id)
	}
	if got := strings.Join(cases[0].Labels(), " "); got != "rfc3501 6 6.2 6.2.1 SHOULD STARTTLS" {
		t.Errorf("labels = %s", got)
	}
}

func TestCatalogRejectsDuplicates(t *testing.T) {
	cases, err := Flatten(Section{Suite: "x", Number: "1", Cases: []Case{okCase("a"), okCase("b")}})
	if err != nil {
		t.Fatal(err)
	}
	data, err := Catalog(cases)
	if err != nil {
		t.Fatal(err)
	}
	entries, err := ParseCatalog(data)
	if err != nil || len(entries) != 2 || entries[1].ID != "x/1/b" {
		t.Fatalf("%v %v", entries, err)
	}
	if _, err := Catalog(append(cases, cases[0])); err == nil {
		t.Error("Catalog accepted a duplicate ID")
	}
	dup := strings.Replace(string(data), "x/1/b", "x/1/a", 1)
	if _, err := ParseCatalog([]byte(dup)); err == nil || !strings.Contains(err.Error(), "duplicate") {
		t.Errorf("ParseCatalog accepted a duplicate ID: %v", err)
	}
}

func TestKnownFailures(t *testing.T) {
	cases, err := Flatten(Section{Suite: "x", Number: "1", Cases: []Case{okCase("a"), okCase("b"), okCase("c")}})
	if err != nil {
		t.Fatal(err)
	}
	k, err := ParseKnownFailures([]byte(`
server: Test 1.0
failures:
  - id: x/1/a
    reason: answers OK to everything
    observed: a1 OK
  - id: x/1/b
    reason: rejects everything
`), cases)
	if err != nil {
		t.Fatal(err)
	}
	k.Path = "test.yaml"
	for _, tc := range []struct {
		id   string
		in   reports.Outcome
		want reports.Outcome
	}{
		{"x/1/a", reports.Fail, reports.XFail},
		{"x/1/a", reports.Warn, reports.XFail},
		{"x/1/b", reports.Pass, reports.XPass},
		{"x/1/b", reports.Error, reports.Error},
		{"x/1/b", reports.Skip, reports.Skip},
		{"x/1/c", reports.Fail, reports.Fail},
	} {
		rc := reports.Case{ID: tc.id, Outcome: tc.in}
		k.Apply(&rc)
		if rc.Outcome != tc.want {
			t.Errorf("%s %s -> %s, want %s", tc.id, tc.in, rc.Outcome, tc.want)
		}
	}
	var none *KnownFailures
	rc := reports.Case{ID: "x/1/a", Outcome: reports.Fail}
	none.Apply(&rc)
	if rc.Outcome != reports.Fail {
		t.Error("a nil list changed an outcome")
	}
	for doc, want := range map[string]string{
		"failures:\n  - id: x/1/z\n    reason: r\n":                               "no case has the ID",
		"failures:\n  - id: x/1/a\n    reason: r\n  - id: x/1/a\n    reason: r\n": "listed twice",
		"failures:\n  - id: x/1/a\n":                                              "needs a reason",
		"failures:\n  - id: x/1/a\n    reason: r\n    why: typo\n":                "field why not found",
	} {
		if _, err := ParseKnownFailures([]byte(doc), cases); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: err = %v, want %q", doc, err, want)
		}
	}
}

func TestMatchers(t *testing.T) {
	parse := func(s string) *grammar.Response {
		r, err := grammar.Parse([]byte(s))
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	reply := &Reply{
		Tagged:   parse("a1 NO [TRYCREATE] no such mailbox\r\n"),
		Untagged: []*grammar.Response{parse("* CAPABILITY IMAP4rev1 STARTTLS\r\n"), parse("* 3 EXISTS\r\n")},
	}
	var failure string
	g := gomega.NewGomega(func(message string, _ ...int) { failure = message })
	for _, tc := range []struct {
		ok  bool
		run func() bool
	}{
		{true, func() bool { return g.Expect(reply).To(HaveStatus("no", "bad")) }},
		{false, func() bool { return g.Expect(reply).To(HaveStatus("OK")) }},
		{true, func() bool { return g.Expect(reply).To(HaveCode("trycreate")) }},
		{false, func() bool { return g.Expect(reply).To(HaveCode("ALERT")) }},
		{true, func() bool { return g.Expect(reply).To(HaveUntagged("EXISTS")) }},
		{true, func() bool { return g.Expect(reply).To(HaveUntagged("CAPABILITY", HaveCapability("starttls"))) }},
		{false, func() bool { return g.Expect(reply).To(HaveUntagged("CAPABILITY", HaveCapability("IDLE"))) }},
		{true, func() bool { return g.Expect(reply).To(HaveCapability("IMAP4REV1")) }},
		{true, func() bool { return g.Expect([]string{"A", "B"}).To(HaveCapability("b")) }},
		{true, func() bool { return g.Expect(parse("* OK [CAPABILITY IMAP4rev1 X] hi\r\n")).To(HaveCapability("x")) }},
	} {
		failure = ""
		if got := tc.run(); got != tc.ok {
			t.Errorf("matcher %d: %v, want %v (%s)", len(failure), got, tc.ok, failure)
		}
		if !tc.ok {
			exp, act, _ := splitMatcherMessage(failure)
			if len(exp) == 0 || act == "" {
				t.Errorf("failure message lacks Expected/Actual: %q", failure)
			}
		}
	}
}
