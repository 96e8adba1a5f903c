package conformance

import (
	"bytes"
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"
)

// CatalogEntry is one case as the checked-in catalog lists it.
type CatalogEntry struct {
	ID       string `yaml:"id"`
	Section  string `yaml:"section"`
	Level    Level  `yaml:"level"`
	Title    string `yaml:"title,omitempty"`
	Sentence string `yaml:"sentence"`
	// Commands, Responses and Codes are what the case exercises, in RFC
	// 3501's names (see Case).
	Commands  []string `yaml:"commands,omitempty,flow"`
	Responses []string `yaml:"responses,omitempty,flow"`
	Codes     []string `yaml:"codes,omitempty,flow"`
	Needs     []string `yaml:"needs,omitempty,flow"`
	// Faults names the negative controls that must make the case fail.
	Faults []string `yaml:"faults"`
}

// catalogHeader starts the catalog file.
const catalogHeader = `# Every conformance case: its stable ID, the RFC section and requirement level,
# the sentence it checks, the commands, responses and codes it exercises, the
# capabilities it needs and the faults that must make it fail (its negative controls). Generated from the suites; a test
# keeps it in sync: go test ./scenarios -run TestCatalog -update
`

// Catalog renders cases as the catalog file: YAML, one entry per case, in
// suite order. It fails on duplicate IDs.
func Catalog(cases []Case) ([]byte, error) {
	entries := make([]CatalogEntry, 0, len(cases))
	seen := map[string]bool{}
	for i := range cases {
		c := &cases[i]
		if seen[c.ID()] {
			return nil, fmt.Errorf("duplicate case ID %s", c.ID())
		}
		seen[c.ID()] = true
		e := CatalogEntry{ID: c.ID(), Section: c.section, Level: c.Level, Title: c.Title,
			Sentence: strings.TrimSpace(c.Sentence), Commands: c.Commands, Responses: c.Responses,
			Codes: c.Codes, Needs: c.Needs, Faults: []string{}}
		for _, f := range c.Faults {
			e.Faults = append(e.Faults, f.Name)
		}
		entries = append(entries, e)
	}
	var b bytes.Buffer
	b.WriteString(catalogHeader)
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(entries); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// ParseCatalog reads a catalog file and rejects duplicate IDs.
func ParseCatalog(data []byte) ([]CatalogEntry, error) {
	var entries []CatalogEntry
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&entries); err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	for _, e := range entries {
		if seen[e.ID] {
			return nil, fmt.Errorf("duplicate case ID %s", e.ID)
		}
		seen[e.ID] = true
	}
	return entries, nil
}
