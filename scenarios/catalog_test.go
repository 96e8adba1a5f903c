package scenarios

import (
	"bytes"
	"flag"
	"os"
	"testing"

	"github.com/imapgauge/imapgauge/conformance"
)

var update = flag.Bool("update", false, "rewrite catalog.yaml from the suites")

const catalogFile = "catalog.yaml"

// TestCatalog keeps the checked-in catalog in sync with the suites: every
// case, with its ID, section, level, sentence and negative controls, and
// no ID twice; and the README's table of cases per section in sync with
// the catalog. Run with -update after adding or changing cases.
func TestCatalog(t *testing.T) {
	cases := allCases(t)
	want, err := conformance.Catalog(cases)
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile(catalogFile, want, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(catalogFile)
	if err != nil {
		t.Fatalf("%v (run go test ./scenarios -run TestCatalog -update)", err)
	}
	entries, err := conformance.ParseCatalog(got)
	if err != nil {
		t.Fatalf("%s: %v", catalogFile, err)
	}
	if len(entries) != len(cases) {
		t.Errorf("%s lists %d cases, the suites have %d", catalogFile, len(entries), len(cases))
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s is out of date with the suites: run go test ./scenarios -run TestCatalog -update and review the diff", catalogFile)
	}
	// The README's table of cases per section comes from the same
	// catalog and is rewritten with it.
	if err := checkReadmeTable(entries, cases); err != nil {
		t.Error(err)
	}
}
