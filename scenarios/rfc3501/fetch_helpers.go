package rfc3501

import (
	"bytes"
	"fmt"
	"slices"
	"strings"

	"github.com/imapgauge/imapgauge/conformance"
	"github.com/imapgauge/imapgauge/conformance/grammar"
)

// Helpers of the FETCH cases (RFC 3501 sections 6.4.5 and 7.4.2). A server
// may split the data of one message over several FETCH responses and send
// FETCH responses for other messages at any time (flag updates), so the
// helpers look for the item asked for among every FETCH response of the
// message.

// fetchesOf returns the data of the untagged FETCH responses for message
// seq in r, in order.
func fetchesOf(r *conformance.Reply, seq uint32) []*grammar.FetchData {
	var out []*grammar.FetchData
	for _, u := range r.All("FETCH") {
		if u.Number == seq {
			out = append(out, u.Fetch)
		}
	}
	return out
}

// fetchedNumbers returns the message numbers of the FETCH responses in r
// that carry item.
func fetchedNumbers(r *conformance.Reply, item string) []uint32 {
	var out []uint32
	for _, u := range r.All("FETCH") {
		if u.Fetch.Has(item) && !slices.Contains(out, u.Number) {
			out = append(out, u.Number)
		}
	}
	return out
}

// showFetches renders the FETCH responses of r for a message.
func showFetches(r *conformance.Reply) string {
	var lines []string
	for _, u := range r.All("FETCH") {
		lines = append(lines, excerpt([]byte(u.Raw), 160))
	}
	if len(lines) == 0 {
		return "no untagged FETCH response"
	}
	return strings.Join(lines, " / ")
}

// fetchItem returns the data of the first FETCH response for message seq
// in r that carries item (FLAGS, ENVELOPE, RFC822...), failing the case
// when none does.
func fetchItem(t *conformance.T, r *conformance.Reply, seq uint32, item string) *grammar.FetchData {
	for _, f := range fetchesOf(r, seq) {
		if f.Has(item) {
			return f
		}
	}
	t.Mismatch([]string{fmt.Sprintf("untagged FETCH for message %d with %s", seq, item)}, showFetches(r),
		"%s: no %s item for message %d", r.Command, item, seq)
	return nil
}

// wantSection parses a BODY section item as a response names it, e.g.
// "[HEADER.FIELDS (Subject)]" or "[]<0>".
func wantSection(item string) grammar.BodySection {
	r, err := grammar.Parse([]byte("* 1 FETCH (BODY" + item + " NIL)\r\n"))
	if err != nil || len(r.Fetch.Sections) != 1 {
		panic(fmt.Sprintf("malformed section %q in a case: %v", item, err))
	}
	return r.Fetch.Sections[0]
}

// sameSection reports whether two sections name the same text: the same
// part numbers, specifier, header field names (compared without regard
// to case, as field-matching is) and origin.
func sameSection(a, b *grammar.BodySection) bool {
	return slices.Equal(a.Part, b.Part) && a.Specifier == b.Specifier &&
		slices.EqualFunc(a.Fields, b.Fields, strings.EqualFold) &&
		a.Partial == b.Partial && a.Origin == b.Origin
}

// fetchSection returns the BODY[section]<origin> item of message seq in r
// that names item ("[TEXT]", "[]<0>", "[HEADER.FIELDS (Subject)]"),
// failing the case when none does.
func fetchSection(t *conformance.T, r *conformance.Reply, seq uint32, item string) *grammar.BodySection {
	want := wantSection(item)
	for _, f := range fetchesOf(r, seq) {
		for i := range f.Sections {
			if sameSection(&f.Sections[i], &want) {
				return &f.Sections[i]
			}
		}
	}
	t.Mismatch([]string{fmt.Sprintf("untagged FETCH for message %d with BODY%s", seq, item)}, showFetches(r),
		"%s: no BODY%s item for message %d", r.Command, item, seq)
	return nil
}

// expectOctets fails the case unless got is exactly want; what names the
// data in the message.
func expectOctets(t *conformance.T, what string, got grammar.NString, want []byte) {
	if got.Nil {
		t.Mismatch([]string{fmt.Sprintf("%d octets: %s", len(want), excerpt(want, 120))}, "NIL", "%s: NIL instead of the data", what)
	}
	if got.Value == string(want) {
		return
	}
	at := 0
	for at < len(want) && at < len(got.Value) && want[at] == got.Value[at] {
		at++
	}
	from := max(0, at-20)
	t.Mismatch([]string{fmt.Sprintf("%d octets: %s", len(want), excerpt(want, 120))},
		fmt.Sprintf("%d octets: %s", len(got.Value), excerpt([]byte(got.Value), 120)),
		"%s: the data differs from octet %d on: expected %s, actual %s", what, at,
		excerpt(want[from:], 60), excerpt([]byte(got.Value[from:]), 60))
}

// excerpt quotes at most n octets of b for a message.
func excerpt(b []byte, n int) string {
	if len(b) <= n {
		return fmt.Sprintf("%q", b)
	}
	return fmt.Sprintf("%q...", b[:n])
}

// between returns the octets of m after the first occurrence of from and
// before the following occurrence of to; it panics when the corpus does
// not hold them, a mistake in a case.
func between(m []byte, from, to string) []byte {
	i := bytes.Index(m, []byte(from))
	if i < 0 {
		panic(fmt.Sprintf("corpus message lacks %q", from))
	}
	rest := m[i+len(from):]
	j := bytes.Index(rest, []byte(to))
	if j < 0 {
		panic(fmt.Sprintf("corpus message lacks %q after %q", to, from))
	}
	return rest[:j]
}

// flagsOf fetches the flags of message seq and returns them.
func flagsOf(t *conformance.T, s *conformance.Session, seq uint32) []string {
	r := s.Tx("OK", fmt.Sprintf("FETCH %d (FLAGS)", seq))
	return fetchItem(t, r, seq, "FLAGS").Flags
}

// hasFlag reports whether flags lists flag, compared without regard to
// case (RFC 3501 section 9: flags are case-insensitive).
func hasFlag(flags []string, flag string) bool {
	return slices.ContainsFunc(flags, func(f string) bool { return strings.EqualFold(f, flag) })
}

// showFlags renders a flag list as a FETCH response shows it.
func showFlags(flags []string) string { return "FLAGS (" + strings.Join(flags, " ") + ")" }

// expectSeen fails the case unless message seq has (want) or has not
// (!want) the \Seen flag now.
func expectSeen(t *conformance.T, s *conformance.Session, seq uint32, want bool, why string) {
	flags := flagsOf(t, s, seq)
	if hasFlag(flags, `\Seen`) == want {
		return
	}
	expected := `FLAGS with \Seen`
	if !want {
		expected = `FLAGS without \Seen`
	}
	t.Mismatch([]string{expected}, showFlags(flags), "message %d: %s", seq, why)
}

// reportDiffs fails the case when a golden comparison found differences,
// listing every differing field.
func reportDiffs(t *conformance.T, c *comparer, item, msg string) {
	if len(c.diffs) == 0 {
		return
	}
	expected := make([]string, len(c.diffs))
	actual := make([]string, len(c.diffs))
	lines := make([]string, len(c.diffs))
	for i, d := range c.diffs {
		expected[i] = d.Field + " = " + d.Expected
		actual[i] = d.Field + " = " + d.Actual
		lines[i] = d.String()
	}
	t.Mismatch(expected, strings.Join(actual, "; "), "%s of %s.eml differs from %s/%s.yaml in %d field(s):\n  %s",
		item, msg, corpusDir, msg, len(c.diffs), strings.Join(lines, "\n  "))
}
