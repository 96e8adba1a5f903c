package conformance

import (
	"fmt"
	"regexp"
	"slices"
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
	// Commands, Responses and Codes say what the case exercises, in RFC
	// 3501's own names: the section 6 commands it sends and judges
	// ("SELECT", "UID"), the section 7 responses it checks ("EXISTS", "+"
	// for a continuation request) and the section 7.1 response codes it
	// checks ("UIDVALIDITY"). The catalog records them, and a coverage
	// test holds every command and response to a minimum number of cases.
	Commands  []string
	Responses []string
	Codes     []string
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
			if err := checkVocabulary(c.Commands, Commands, "command"); err != nil {
				return nil, fmt.Errorf("%s: %v", id, err)
			}
			if err := checkVocabulary(c.Responses, Responses, "response"); err != nil {
				return nil, fmt.Errorf("%s: %v", id, err)
			}
			if err := checkVocabulary(c.Codes, Codes, "response code"); err != nil {
				return nil, fmt.Errorf("%s: %v", id, err)
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

// Commands are the commands of RFC 3501 section 6, by the names a Case's
// Commands field uses. UID stands for the UID forms of COPY, FETCH, SEARCH
// and STORE (6.4.8).
var Commands = []string{
	"CAPABILITY", "NOOP", "LOGOUT", // 6.1
	"STARTTLS", "AUTHENTICATE", "LOGIN", // 6.2
	"SELECT", "EXAMINE", "CREATE", "DELETE", "RENAME", "SUBSCRIBE", "UNSUBSCRIBE",
	"LIST", "LSUB", "STATUS", "APPEND", // 6.3
	"CHECK", "CLOSE", "EXPUNGE", "SEARCH", "FETCH", "STORE", "COPY", "UID", // 6.4
}

// Responses are the server responses of RFC 3501 section 7, by the names a
// Case's Responses field uses; "+" is the command continuation request
// (7.5).
var Responses = []string{
	"OK", "NO", "BAD", "PREAUTH", "BYE", // 7.1
	"CAPABILITY", "LIST", "LSUB", "STATUS", "SEARCH", "FLAGS", // 7.2
	"EXISTS", "RECENT", // 7.3
	"EXPUNGE", "FETCH", // 7.4
	"+", // 7.5
}

// Codes are the response codes of RFC 3501 section 7.1, by the names a
// Case's Codes field uses.
var Codes = []string{
	"ALERT", "BADCHARSET", "CAPABILITY", "PARSE", "PERMANENTFLAGS", "READ-ONLY",
	"READ-WRITE", "TRYCREATE", "UIDNEXT", "UIDVALIDITY", "UNSEEN",
}

// checkVocabulary reports the first of names that is not in vocabulary, or a
// name given twice.
func checkVocabulary(names, vocabulary []string, what string) error {
	seen := map[string]bool{}
	for _, n := range names {
		if !slices.Contains(vocabulary, n) {
			return fmt.Errorf("unknown %s %q (names are RFC 3501's, upper case)", what, n)
		}
		if seen[n] {
			return fmt.Errorf("%s %q listed twice", what, n)
		}
		seen[n] = true
	}
	return nil
}
