package conformance

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/imapgauge/imapgauge/conformance/fault"
	"github.com/imapgauge/imapgauge/reports"
)

// Level is the requirement level of the sentence a case checks (RFC 2119).
// A broken MUST makes the case FAIL, a broken SHOULD or MAY makes it WARN.
type Level = reports.Level

// The requirement levels.
const (
	Must   = reports.Must
	Should = reports.Should
	May    = reports.May
)

// A Case checks one sentence of an RFC against the target.
//
// Cases are plain values, grouped by RFC section in a Section; the suite
// wiring turns them into Ginkgo specs, and tests can run one directly with
// RunCase. A case must be able to fail: Faults lists the misbehaviours that
// make it FAIL (or WARN), and a test runs it against each of them.
type Case struct {
	// Name is the last part of the stable ID: lower-case words joined by
	// hyphens, saying what is checked and, when it helps, the expected
	// answer ("select-missing-mailbox-no"). Never a number or position.
	Name string
	// Title is a one-line description for reports (optional).
	Title string
	// Level is the requirement level of Sentence.
	Level Level
	// Sentence quotes the RFC sentence the case checks, in at most three
	// lines. Reports show it with every failure.
	Sentence string
	// Needs lists the capabilities the target must advertise for the case
	// to apply; without one of them the case is SKIP. They become labels.
	Needs []string
	// Faults are the negative controls: each, applied by a fault.Proxy in
	// front of a conformant server, must make the case FAIL (MUST) or
	// WARN (SHOULD, MAY).
	Faults []fault.Fault
	// Run performs the check. It fails through t (T.Expect, the session
	// helpers, T.Failf) and returns normally when the target passed.
	Run func(t *T)

	// Set by Flatten from the Section.
	suite, section, sectionTitle string
}

// ID is the case's stable identifier: suite/section/name, e.g.
// "rfc3501/6.1.1/capability-lists-imap4rev1".
func (c *Case) ID() string { return c.suite + "/" + c.section + "/" + c.Name }

// Suite is the suite the case belongs to ("rfc3501").
func (c *Case) Suite() string { return c.suite }

// Section is the RFC section the case checks ("6.1.1").
func (c *Case) Section() string { return c.section }

// SectionTitle is the title of the case's RFC section ("CAPABILITY Command").
func (c *Case) SectionTitle() string { return c.sectionTitle }

// Labels are the Ginkgo labels of the case: the suite, the section and every
// enclosing section ("6", "6.1", "6.1.1"), the level, and the capabilities
// it needs.
func (c *Case) Labels() []string {
	labels := []string{c.suite}
	parts := strings.Split(c.section, ".")
	for i := range parts {
		labels = append(labels, strings.Join(parts[:i+1], "."))
	}
	labels = append(labels, string(c.Level))
	return append(labels, c.Needs...)
}

// A Section groups the cases that check one section of an RFC. Scenario
// packages keep one Section per file.
type Section struct {
	// Suite is the suite's name, the first part of every ID ("rfc3501").
	Suite string
	// Number is the RFC section number ("6.1.1").
	Number string
	// Title is the section's title in the RFC ("CAPABILITY Command").
	Title string
	Cases []Case
}

var (
	namePattern    = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	sectionPattern = regexp.MustCompile(`^[0-9]+(\.[0-9]+)*$`)
	labelPattern   = regexp.MustCompile(`^[^&|!,()/:\s]+$`)
)

// Flatten returns the cases of sections in order, each knowing its suite
// and section. It checks what the catalog relies on: well-formed names and
// sections, a level, a sentence of at most three lines, a Run function,
// labels Ginkgo accepts, and IDs that are unique.
func Flatten(sections ...Section) ([]Case, error) {
	var out []Case
	seen := map[string]bool{}
	for _, s := range sections {
		if !namePattern.MatchString(s.Suite) || !sectionPattern.MatchString(s.Number) {
			return nil, fmt.Errorf("section %q of suite %q: malformed suite name or section number", s.Number, s.Suite)
		}
		for _, c := range s.Cases {
			c.suite, c.section, c.sectionTitle = s.Suite, s.Number, s.Title
			id := c.ID()
			switch {
			case !namePattern.MatchString(c.Name):
				return nil, fmt.Errorf("%s: name must be lower-case words joined by hyphens", id)
			case seen[id]:
				return nil, fmt.Errorf("%s: duplicate case ID", id)
			case c.Level != Must && c.Level != Should && c.Level != May:
				return nil, fmt.Errorf("%s: level must be MUST, SHOULD or MAY", id)
			case strings.TrimSpace(c.Sentence) == "":
				return nil, fmt.Errorf("%s: no RFC sentence", id)
			case strings.Count(strings.TrimSpace(c.Sentence), "\n") > 2:
				return nil, fmt.Errorf("%s: the RFC sentence must fit in three lines", id)
			case c.Run == nil:
				return nil, fmt.Errorf("%s: no Run function", id)
			}
			for _, need := range c.Needs {
				if !labelPattern.MatchString(need) {
					return nil, fmt.Errorf("%s: capability %q cannot be a label", id, need)
				}
			}
			seen[id] = true
			out = append(out, c)
		}
	}
	return out, nil
}
