package conformance

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/imapgauge/imapgauge/reports"
)

// KnownFailures lists a server's known deviations from the RFC, so that a
// run against it can pass while its failures are still shown: a listed
// case that fails (or warns) is XFAIL, a listed case that passes is XPASS.
// The file is YAML:
//
//	server: Dovecot 2.3
//	failures:
//	  - id: rfc3501/6.1.1/capability-lists-imap4rev1
//	    reason: Why the server deviates, and why it is not the suite's mistake.
//	    sentence: The RFC sentence it breaks.
//	    observed: The response the server sends.
type KnownFailures struct {
	// Path is the file the list was read from.
	Path string `yaml:"-"`
	// Server names the server (and version) the list describes.
	Server   string         `yaml:"server"`
	Failures []KnownFailure `yaml:"failures"`
}

// KnownFailure is one listed deviation.
type KnownFailure struct {
	ID       string `yaml:"id"`
	Reason   string `yaml:"reason"`
	Sentence string `yaml:"sentence,omitempty"`
	Observed string `yaml:"observed,omitempty"`
}

// LoadKnownFailures reads a known-failures file and checks it against the
// catalog: every entry names a case that exists, once, with a reason.
func LoadKnownFailures(path string, cases []Case) (*KnownFailures, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	k, err := ParseKnownFailures(data, cases)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	k.Path = path
	return k, nil
}

// ParseKnownFailures decodes a known-failures document; see
// LoadKnownFailures.
func ParseKnownFailures(data []byte, cases []Case) (*KnownFailures, error) {
	var k KnownFailures
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&k); err != nil && !errors.Is(err, io.EOF) {
		return nil, err
	}
	ids := map[string]bool{}
	for _, c := range cases {
		ids[c.ID()] = true
	}
	seen := map[string]bool{}
	for i, f := range k.Failures {
		switch {
		case f.ID == "":
			return nil, fmt.Errorf("entry %d has no id", i+1)
		case !ids[f.ID]:
			return nil, fmt.Errorf("entry %d: no case has the ID %q (see imapgauge conform --list)", i+1, f.ID)
		case seen[f.ID]:
			return nil, fmt.Errorf("entry %d: %s is listed twice", i+1, f.ID)
		case strings.TrimSpace(f.Reason) == "":
			return nil, fmt.Errorf("entry %d (%s): a known failure needs a reason", i+1, f.ID)
		}
		seen[f.ID] = true
	}
	return &k, nil
}

// Lookup returns the entry for id, if listed.
func (k *KnownFailures) Lookup(id string) (KnownFailure, bool) {
	if k == nil {
		return KnownFailure{}, false
	}
	for _, f := range k.Failures {
		if f.ID == id {
			return f, true
		}
	}
	return KnownFailure{}, false
}

// Apply turns the outcome of a listed case into XFAIL (it failed or
// warned, as known) or XPASS (it passed: the entry may be stale). ERROR and
// SKIP are kept: a case that could not run proves nothing either way.
func (k *KnownFailures) Apply(rc *reports.Case) {
	f, ok := k.Lookup(rc.ID)
	if !ok {
		return
	}
	switch rc.Outcome {
	case reports.Fail, reports.Warn:
		rc.Outcome = reports.XFail
		rc.KnownFailure = f.Reason
	case reports.Pass:
		rc.Outcome = reports.XPass
		rc.KnownFailure = f.Reason
		rc.Message = "listed as a known failure but passed: remove it from " + k.Path
	}
}
