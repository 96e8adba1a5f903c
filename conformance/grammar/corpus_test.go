package grammar

import (
	"strings"
	"testing"
)

// parseEntry parses a corpus response as the greeting when it is one.
func parseEntry(e corpusEntry) (*Response, error) {
	if e.comment == "greeting" || strings.HasPrefix(e.raw, "* PREAUTH ") {
		return ParseGreeting([]byte(e.raw))
	}
	return Parse([]byte(e.raw))
}

// TestRFCExamples parses every server line of RFC 3501's examples.
func TestRFCExamples(t *testing.T) {
	entries := loadCorpus(t, "rfc3501.txt")
	if len(entries) < 160 {
		t.Fatalf("only %d RFC examples; the extraction lost some", len(entries))
	}
	for _, e := range entries {
		r, err := parseEntry(e)
		if err != nil {
			t.Errorf("%s:%d (%s): %v", e.file, e.line, e.comment, err)
			continue
		}
		if err := Validate(r); err != nil {
			t.Errorf("%s:%d (%s): %v", e.file, e.line, e.comment, err)
		}
		if len(r.Notes) > 0 {
			t.Errorf("%s:%d (%s): unexpected notes %v", e.file, e.line, e.comment, r.Notes)
		}
	}
}

// TestDovecotResponses parses every response recorded from Dovecot.
func TestDovecotResponses(t *testing.T) {
	entries := loadCorpus(t, "dovecot.txt")
	names := map[string]int{}
	for _, e := range entries {
		r, err := parseEntry(e)
		if err != nil {
			t.Errorf("%s:%d (%s): %v", e.file, e.line, e.comment, err)
			continue
		}
		if err := Validate(r); err != nil {
			t.Errorf("%s:%d (%s): %v", e.file, e.line, e.comment, err)
		}
		if r.Unknown {
			t.Errorf("%s:%d (%s): response %s not typed", e.file, e.line, e.comment, r.Name)
		}
		if r.Fetch != nil && len(r.Fetch.Extensions) > 0 {
			names["FETCH "+r.Fetch.Extensions[0].Name]++
		}
		names[r.Name]++
	}
	// The recording must keep covering the response kinds it was made
	// for.
	for _, want := range []string{
		"OK", "NO", "BAD", "BYE", "CAPABILITY", "ENABLED", "ID", "NAMESPACE", "LIST",
		"LSUB", "STATUS", "FLAGS", "EXISTS", "RECENT", "FETCH", "SEARCH", "ESEARCH",
		"SORT", "THREAD", "VANISHED",
	} {
		if names[want] == 0 {
			t.Errorf("testdata/dovecot.txt has no %s response", want)
		}
	}
}
