package grammar

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// extractRFC names a copy of rfc3501.txt to extract testdata/rfc3501.txt
// from. The extraction is run by hand; the test that reads the file needs
// only the file.
var extractRFC = flag.String("extract-rfc", "", "path of rfc3501.txt to extract testdata/rfc3501.txt from")

// rfcExampleLine matches a server line of an RFC example, with or without
// an "Example:" label.
var rfcExampleLine = regexp.MustCompile(`^\s*(?:Example:\s+)?S:\s?(.*)$`)

// rfcFixup describes an example the RFC does not show as one wire line:
// wrapped for the page, elided, or with a literal whose count does not
// match the text. Lines are RFC 3501 text line numbers (1-based).
type rfcFixup struct {
	// lines is how many text lines the response spans, starting at the
	// S: line.
	lines int
	// response is the response as a server sends it; empty to skip the
	// example.
	response string
	// note says what was done and why.
	note string
}

// rfcFixups are keyed by the line number of the S: line.
var rfcFixups = map[int]rfcFixup{
	1352: {lines: 2,
		response: "* CAPABILITY IMAP4rev1 STARTTLS AUTH=GSSAPI LOGINDISABLED\r\n",
		note:     "wrapped for the page: the capability list continues on the next line"},
	1633: {lines: 1,
		response: "+ \r\n",
		note:     `"S: +" is an empty GSSAPI challenge; the page cannot show the SP that continue-req requires after "+"`},
	1648: {lines: 3,
		response: "+ YGgGCSqGSIb3EgECAgIAb1kwV6ADAgEFoQMCAQ+iSzBJoAMCAQGiQgRAtHTEuOP2BXb9sBYFR4SJlDZxmg39IxmRBOhXRKdDA0uHTCOT9Bq3OsUTXUlk0CsFLoa8j+gvGDlgHuqzWHPSQg==\r\n",
		note:     "base64 challenge broken over three lines for editorial clarity (the RFC says so below the example)"},
	1652: {lines: 2,
		response: "+ YDMGCSqGSIb3EgECAgIBAAD/////6jcyG4GE3KkTzBeBiVHeceP2CWY0SR0fAQAgAAQEBAQ=\r\n",
		note:     "base64 challenge broken over two lines for editorial clarity"},
	3208: {lines: 1, note: `"* 2 FETCH ...." is elided by the RFC; nothing to parse`},
	3209: {lines: 1, note: `"* 3 FETCH ...." is elided by the RFC; nothing to parse`},
	3210: {lines: 1, note: `"* 4 FETCH ...." is elided by the RFC; nothing to parse`},
	4447: {lines: 12,
		response: `* 12 FETCH (FLAGS (\Seen) INTERNALDATE "17-Jul-1996 02:44:25 -0700" ` +
			`RFC822.SIZE 4286 ENVELOPE ("Wed, 17 Jul 1996 02:23:25 -0700 (PDT)" ` +
			`"IMAP4rev1 WG mtg summary and minutes" ` +
			`(("Terry Gray" NIL "gray" "cac.washington.edu")) ` +
			`(("Terry Gray" NIL "gray" "cac.washington.edu")) ` +
			`(("Terry Gray" NIL "gray" "cac.washington.edu")) ` +
			`((NIL NIL "imap" "cac.washington.edu")) ` +
			`((NIL NIL "minutes" "CNRI.Reston.VA.US")` +
			`("John Klensin" NIL "KLENSIN" "MIT.EDU")) NIL NIL ` +
			`"<B27397-0100000@cac.washington.edu>") ` +
			`BODY ("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 3028 92))` + "\r\n",
		note: "wrapped over 12 lines for the page; joined with one SP at each break, " +
			"except between the two addresses of env-cc, which follow each other without SP (1*address)"},
	4461: {lines: 11,
		response: "* 12 FETCH (BODY[HEADER] {342}\r\n" +
			"Date: Wed, 17 Jul 1996 02:23:25 -0700 (PDT)\r\n" +
			"From: Terry Gray <gray@cac.washington.edu>\r\n" +
			"Subject: IMAP4rev1 WG mtg summary and minutes\r\n" +
			"To: imap@cac.washington.edu\r\n" +
			"cc: minutes@CNRI.Reston.VA.US, John Klensin <KLENSIN@MIT.EDU>\r\n" +
			"Message-Id: <B27397-0100000@cac.washington.edu>\r\n" +
			"MIME-Version: 1.0\r\n" +
			"Content-Type: TEXT/PLAIN; CHARSET=US-ASCII\r\n" +
			"\r\n" +
			")\r\n",
		note: "a literal spread over ten S: lines, joined with CRLF: the {342} it announces " +
			"is exactly the header shown, blank line included"},
}

// TestExtractRFCExamples writes testdata/rfc3501.txt from the RFC text. It
// runs only with -extract-rfc.
func TestExtractRFCExamples(t *testing.T) {
	if *extractRFC == "" {
		t.Skip("extract with -extract-rfc=/path/to/rfc3501.txt")
	}
	data, err := os.ReadFile(*extractRFC)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(data), "\n")
	var blocks []corpusBlock
	used := map[int]bool{}
	for i := 0; i < len(lines); i++ {
		m := rfcExampleLine.FindStringSubmatch(strings.TrimRight(lines[i], "\r"))
		if m == nil {
			continue
		}
		n := i + 1
		comment := fmt.Sprintf("RFC 3501 line %d: S: %s", n, strings.TrimSpace(m[1]))
		fx, ok := rfcFixups[n]
		if !ok {
			blocks = append(blocks, corpusBlock{comments: []string{comment}, responses: []string{strings.TrimSpace(m[1]) + "\r\n"}})
			continue
		}
		used[n] = true
		resp := fx.response
		comments := []string{comment, "note: " + fx.note}
		if resp == "" {
			comments = append(comments, "skipped")
			blocks = append(blocks, corpusBlock{comments: comments})
		} else {
			blocks = append(blocks, corpusBlock{comments: comments, responses: []string{resp}})
		}
		i += fx.lines - 1
	}
	for n := range rfcFixups {
		if !used[n] {
			t.Errorf("fixup for line %d matched no S: line; is this the RFC 3501 text?", n)
		}
	}
	header := []string{
		"Every server (S:) line of the examples of RFC 3501, in order, one response per entry.",
		"Extracted by TestExtractRFCExamples (go test -run TestExtractRFCExamples",
		"-extract-rfc=rfc3501.txt); lines wrapped, elided or miscounted by the RFC carry a note.",
	}
	path := filepath.Join("testdata", "rfc3501.txt")
	if err := writeCorpus(path, header, blocks); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %d examples to %s", len(blocks), path)
}
