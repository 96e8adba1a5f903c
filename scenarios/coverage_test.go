package scenarios

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/imapgauge/imapgauge/conformance"
)

// minCases is the smallest suite we ship: the RFC 3501 suite has at least
// this many cases.
const minCases = 400

// minCasesPerName is how many cases must exercise each command of RFC 3501
// section 6, each response of section 7 and each response code of section
// 7.1.
const minCasesPerName = 3

// TestCoverage holds the suite to its breadth: enough cases, every case
// naming what it exercises, and every command, response and response code
// of RFC 3501 checked by several cases. It reads the checked-in catalog,
// which TestCatalog keeps equal to the suites.
func TestCoverage(t *testing.T) {
	data, err := os.ReadFile(catalogFile)
	if err != nil {
		t.Fatal(err)
	}
	entries, err := conformance.ParseCatalog(data)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) < minCases {
		t.Errorf("%s lists %d cases; the suite must have at least %d", catalogFile, len(entries), minCases)
	}
	for _, e := range entries {
		if len(e.Commands) == 0 && len(e.Responses) == 0 {
			t.Errorf("%s names neither the commands nor the responses it exercises", e.ID)
		}
	}
	for _, v := range []struct {
		what  string
		names []string
		of    func(conformance.CatalogEntry) []string
	}{
		{"command (RFC 3501 section 6)", conformance.Commands, func(e conformance.CatalogEntry) []string { return e.Commands }},
		{"response (RFC 3501 section 7)", conformance.Responses, func(e conformance.CatalogEntry) []string { return e.Responses }},
		{"response code (RFC 3501 section 7.1)", conformance.Codes, func(e conformance.CatalogEntry) []string { return e.Codes }},
	} {
		count := map[string]int{}
		for _, e := range entries {
			for _, n := range v.of(e) {
				count[n]++
			}
		}
		var short []string
		for _, n := range v.names {
			if count[n] < minCasesPerName {
				short = append(short, fmt.Sprintf("%s (%d)", n, count[n]))
			}
		}
		if len(short) > 0 {
			t.Errorf("every %s must be exercised by at least %d cases; these are not: %s", v.what, minCasesPerName, strings.Join(short, ", "))
		}
	}
}
