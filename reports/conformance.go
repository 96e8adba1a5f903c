package reports

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Outcome is the class of a conformance case's result.
type Outcome string

// The outcome classes of a conformance case.
const (
	// Pass: the server did what the RFC sentence requires.
	Pass Outcome = "PASS"
	// Fail: a MUST (or MUST NOT) was broken.
	Fail Outcome = "FAIL"
	// Warn: a SHOULD was broken. It fails the run only in strict mode.
	Warn Outcome = "WARN"
	// Skip: the case could not apply (a capability it needs is absent).
	Skip Outcome = "SKIP"
	// XFail: the case failed and is listed as a known failure.
	XFail Outcome = "XFAIL"
	// XPass: the case is listed as a known failure but passed.
	XPass Outcome = "XPASS"
	// Error: the case could not run (dial, TLS, timeout, setup).
	Error Outcome = "ERROR"
)

// Outcomes lists every outcome class in the order reports show them.
var Outcomes = []Outcome{Pass, Fail, Warn, Skip, XFail, XPass, Error}

// Valid reports whether o is one of the outcome classes.
func (o Outcome) Valid() bool { return slices.Contains(Outcomes, o) }

// Failing reports whether o makes a run fail: FAIL and ERROR always, WARN and
// XPASS only in strict mode.
func (o Outcome) Failing(strict bool) bool {
	switch o {
	case Fail, Error:
		return true
	case Warn, XPass:
		return strict
	}
	return false
}

// Level is a requirement level of RFC 2119, as RFC 3501 uses it.
type Level string

// The requirement levels.
const (
	Must   Level = "MUST"
	Should Level = "SHOULD"
	May    Level = "MAY"
)

// Conformance is the conformance part of a result: every case run (or
// skipped), and the tallies Tally derives from them.
type Conformance struct {
	// Suite names the suite that ran, e.g. "rfc3501".
	Suite string `json:"suite,omitempty"`
	// Strict is set when WARN and XPASS fail the run.
	Strict bool `json:"strict"`
	// LabelFilter, Focus and Skip are the case selection, when one was given.
	LabelFilter string `json:"label_filter,omitempty"`
	Focus       string `json:"focus,omitempty"`
	Skip        string `json:"skip,omitempty"`
	// KnownFailures is the known-failures file the run used, if any.
	KnownFailures string `json:"known_failures,omitempty"`
	Cases         []Case `json:"cases"`
	// Counts and Sections are derived from Cases by Tally.
	Counts   Counts         `json:"counts"`
	Sections []SectionCount `json:"sections"`
}

// Case is the result of one conformance case.
type Case struct {
	// ID is the case's stable identifier, e.g. rfc3501/6.3.1/select-missing-mailbox-no.
	ID    string `json:"id"`
	Title string `json:"title"`
	// Section is the RFC section the case checks, e.g. "6.3.1".
	Section string `json:"section"`
	Level   Level  `json:"level"`
	// Labels are the case's labels: suite, section, level, capabilities.
	Labels []string `json:"labels,omitempty"`
	// Sentence is the RFC sentence the case checks, quoted.
	Sentence string  `json:"sentence"`
	Outcome  Outcome `json:"outcome"`
	// Expected lists every acceptable outcome (where the RFC allows NO or BAD,
	// both); Actual is what the server did.
	Expected []string `json:"expected,omitempty"`
	Actual   string   `json:"actual,omitempty"`
	// Message explains a non-PASS outcome: the broken expectation, the
	// grammar rule, the error.
	Message string `json:"message,omitempty"`
	// KnownFailure is the reason from the known-failures file, for XFAIL and
	// XPASS.
	KnownFailure string        `json:"known_failure,omitempty"`
	Duration     time.Duration `json:"duration_ns"`
	// Transcripts are the redacted wire transcripts of every connection the
	// case opened, in the order they were opened.
	Transcripts []Transcript `json:"transcripts,omitempty"`
}

// Direction tells who sent a transcript entry.
type Direction string

// The directions of a transcript entry.
const (
	// Client: sent by imapgauge.
	Client Direction = "C"
	// Server: sent by the server.
	Server Direction = "S"
	// Event: not on the wire; a connection event such as "connected",
	// "TLS handshake complete", "closed by peer", "read timeout".
	Event Direction = "*"
)

// Transcript is the redacted record of one connection.
type Transcript struct {
	// Connection names the connection within its case or device, e.g.
	// "main", "second-session", "alice/desktop".
	Connection string `json:"connection"`
	// Started is when the connection was opened; entry offsets count from it.
	Started time.Time `json:"started,omitzero"`
	Entries []Entry   `json:"entries"`
	// Truncated is set when the recorder stopped keeping entries (a size
	// bound); Entries then hold the start of the connection.
	Truncated bool `json:"truncated,omitempty"`
}

// Entry is one line of a transcript. Passwords and AUTHENTICATE data are
// redacted before an entry is recorded.
type Entry struct {
	Offset    time.Duration `json:"offset_ns"`
	Direction Direction     `json:"dir"`
	// Text is one line without its CRLF, or a literal's content; bytes that
	// are not printable UTF-8 appear as EscapeText writes them.
	Text string `json:"text"`
}

// EscapeText makes raw protocol bytes safe to keep in a transcript: printable
// UTF-8 and tabs are kept, a trailing CRLF is dropped, and every other byte
// (a bare CR or LF, NUL, invalid UTF-8, other controls) is written as \xNN.
// Backslashes are kept as they are, so the escape is for reading, not for
// reversing.
func EscapeText(raw []byte) string {
	raw = trimCRLF(raw)
	var b strings.Builder
	b.Grow(len(raw))
	for i := 0; i < len(raw); {
		c := raw[i]
		if c >= 0x20 && c < 0x7f || c == '\t' {
			b.WriteByte(c)
			i++
			continue
		}
		if c >= 0x80 {
			r, size := utf8.DecodeRune(raw[i:])
			if r != utf8.RuneError && strconv.IsPrint(r) {
				b.Write(raw[i : i+size])
				i += size
				continue
			}
		}
		fmt.Fprintf(&b, `\x%02X`, c)
		i++
	}
	return b.String()
}

func trimCRLF(raw []byte) []byte {
	if n := len(raw); n >= 2 && raw[n-2] == '\r' && raw[n-1] == '\n' {
		return raw[:n-2]
	}
	return raw
}

// Counts tallies outcomes.
type Counts struct {
	Total int `json:"total"`
	Pass  int `json:"pass"`
	Fail  int `json:"fail"`
	Warn  int `json:"warn"`
	Skip  int `json:"skip"`
	XFail int `json:"xfail"`
	XPass int `json:"xpass"`
	Error int `json:"error"`
}

// Add counts one more case with outcome o.
func (c *Counts) Add(o Outcome) {
	if p := c.field(o); p != nil {
		*p++
		c.Total++
	}
}

// Get returns the number of cases with outcome o.
func (c Counts) Get(o Outcome) int {
	if p := c.field(o); p != nil {
		return *p
	}
	return 0
}

func (c *Counts) field(o Outcome) *int {
	switch o {
	case Pass:
		return &c.Pass
	case Fail:
		return &c.Fail
	case Warn:
		return &c.Warn
	case Skip:
		return &c.Skip
	case XFail:
		return &c.XFail
	case XPass:
		return &c.XPass
	case Error:
		return &c.Error
	}
	return nil
}

// Failing returns how many of the counted cases make a run fail.
func (c Counts) Failing(strict bool) int {
	n := 0
	for _, o := range Outcomes {
		if o.Failing(strict) {
			n += c.Get(o)
		}
	}
	return n
}

// SectionCount tallies the outcomes of one RFC section's cases.
type SectionCount struct {
	Section string `json:"section"`
	Counts  Counts `json:"counts"`
}

// Add appends a case result. It is a convenience for runners that collect
// cases one by one; Tally must still run before the result is written.
func (c *Conformance) Add(cs Case) { c.Cases = append(c.Cases, cs) }

// Tally recomputes Counts and Sections from Cases. Sections come in RFC order
// (6.3.10 after 6.3.9), each with its own counts.
func (c *Conformance) Tally() {
	c.Counts = Counts{}
	by := map[string]*Counts{}
	for _, cs := range c.Cases {
		c.Counts.Add(cs.Outcome)
		sc := by[cs.Section]
		if sc == nil {
			sc = &Counts{}
			by[cs.Section] = sc
		}
		sc.Add(cs.Outcome)
	}
	c.Sections = c.Sections[:0]
	for s, n := range by {
		c.Sections = append(c.Sections, SectionCount{Section: s, Counts: *n})
	}
	slices.SortFunc(c.Sections, func(a, b SectionCount) int { return CompareSections(a.Section, b.Section) })
}

// Failures returns the cases whose outcome is not PASS, SKIP or XFAIL, in
// their run order: the ones a reader must look at.
func (c *Conformance) Failures() []*Case {
	var out []*Case
	for i := range c.Cases {
		switch c.Cases[i].Outcome {
		case Fail, Error, Warn, XPass:
			out = append(out, &c.Cases[i])
		}
	}
	return out
}

func (c *Conformance) verdict() Verdict {
	n := c.Counts
	v := Verdict{Status: StatusPass, ExitCode: ExitOK}
	add := func(count int, what string) {
		if count > 0 {
			v.Status, v.ExitCode = StatusFail, ExitFailures
			v.Reasons = append(v.Reasons, fmt.Sprintf("%d %s", count, what))
		}
	}
	add(n.Fail, plural(n.Fail, "case", "cases")+" failed (FAIL)")
	add(n.Error, plural(n.Error, "case", "cases")+" could not run (ERROR)")
	if c.Strict {
		add(n.Warn, plural(n.Warn, "SHOULD", "SHOULDs")+" broken (WARN, strict)")
		add(n.XPass, plural(n.XPass, "known failure", "known failures")+" now passing (XPASS, strict)")
	}
	if n.Total == 0 {
		v = Verdict{Status: StatusError, ExitCode: ExitUsage, Reasons: []string{"no case ran"}}
	}
	return v
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// CompareSections orders RFC section numbers numerically, part by part:
// "6.3.9" < "6.3.10" < "7". Parts that are not numbers compare as strings,
// after numbers.
func CompareSections(a, b string) int {
	pa, pb := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(pa) && i < len(pb); i++ {
		na, ea := strconv.Atoi(pa[i])
		nb, eb := strconv.Atoi(pb[i])
		switch {
		case ea == nil && eb == nil:
			if na != nb {
				return na - nb
			}
		case ea == nil:
			return -1
		case eb == nil:
			return 1
		default:
			if c := strings.Compare(pa[i], pb[i]); c != 0 {
				return c
			}
		}
	}
	return len(pa) - len(pb)
}
