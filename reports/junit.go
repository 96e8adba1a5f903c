package reports

import (
	"encoding/xml"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
)

// JUnit XML as Jenkins' junit plugin, GitLab and the common CI reporters read
// it (testdata/junit.xsd describes the subset written here). Every testcase
// has a name (the case ID) and a classname (the RFC section); assertion
// failures are <failure>, never <error>, which is kept for cases that could
// not run.

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name       string           `xml:"name,attr"`
	Tests      int              `xml:"tests,attr"`
	Failures   int              `xml:"failures,attr"`
	Errors     int              `xml:"errors,attr"`
	Skipped    int              `xml:"skipped,attr"`
	Time       string           `xml:"time,attr"`
	Timestamp  string           `xml:"timestamp,attr,omitempty"`
	Hostname   string           `xml:"hostname,attr,omitempty"`
	Properties *junitProperties `xml:"properties,omitempty"`
	Cases      []junitCase      `xml:"testcase"`
}

type junitProperties struct {
	Props []junitProperty `xml:"property"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	Skipped   *junitMessage `xml:"skipped,omitempty"`
	Error     *junitMessage `xml:"error,omitempty"`
	Failure   *junitMessage `xml:"failure,omitempty"`
	SystemOut *junitOutput  `xml:"system-out,omitempty"`
}

type junitMessage struct {
	Message string `xml:"message,attr,omitempty"`
	Type    string `xml:"type,attr,omitempty"`
	// Body is written as CDATA, so that multi-line text stays readable in
	// the raw file.
	Body string `xml:",cdata"`
}

// junitOutput is a system-out element, CDATA like junitMessage.Body.
type junitOutput struct {
	Text string `xml:",cdata"`
}

// xmlSafe replaces the characters XML 1.0 cannot represent with U+FFFD.
func xmlSafe(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\t' || r == '\n' || r == '\r':
			return r
		case r < 0x20, r == 0xFFFE, r == 0xFFFF, r >= 0xD800 && r <= 0xDFFF:
			return '\uFFFD'
		}
		return r
	}, s)
}

// JUnitOptions tunes WriteJUnit. The zero value is valid.
type JUnitOptions struct {
	// Strict writes WARN and XPASS cases as failures. When false, the
	// result's own Conformance.Strict decides.
	Strict bool
}

// WriteJUnit writes r as JUnit XML. Conformance: one testsuite per RFC
// section, one testcase per case (classname = section, name = case ID);
// FAIL is a <failure> (WARN and XPASS too when strict), ERROR an <error>,
// SKIP and XFAIL <skipped>; the failure body carries the RFC sentence,
// Expected, Actual and the numbered transcripts. Load: testsuites for the
// thresholds, the correctness checks and the generator's health.
func WriteJUnit(w io.Writer, r *Result, opts JUnitOptions) error {
	var doc junitSuites
	switch {
	case r.Conformance != nil:
		doc = conformanceJUnit(r, opts.Strict || r.Conformance.Strict)
	case r.Load != nil:
		doc = loadJUnit(r)
	default:
		return fmt.Errorf("result has neither a conformance nor a load section")
	}
	for i := range doc.Suites {
		s := &doc.Suites[i]
		for j := range s.Cases {
			for _, m := range []*junitMessage{s.Cases[j].Failure, s.Cases[j].Error, s.Cases[j].Skipped} {
				if m != nil {
					m.Body = xmlSafe(m.Body)
				}
			}
			if o := s.Cases[j].SystemOut; o != nil {
				o.Text = xmlSafe(o.Text)
			}
		}
		doc.Tests += s.Tests
		doc.Failures += s.Failures
		doc.Errors += s.Errors
		doc.Skipped += s.Skipped
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

func seconds(d time.Duration) string { return strconv.FormatFloat(d.Seconds(), 'f', 3, 64) }

// junitTimestamp formats t as the timezone-less ISO 8601 form Jenkins' schema
// requires, in UTC.
func junitTimestamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02T15:04:05")
}

func conformanceJUnit(r *Result, strict bool) junitSuites {
	c := r.Conformance
	doc := junitSuites{Name: "imapgauge conformance " + r.Target.URL, Time: seconds(r.Elapsed())}
	bySection := map[string]*junitSuite{}
	elapsed := map[string]time.Duration{}
	var order []string
	for i := range c.Cases {
		cs := &c.Cases[i]
		s := bySection[cs.Section]
		if s == nil {
			s = &junitSuite{Name: suiteName(c.Suite, cs.Section), Timestamp: junitTimestamp(r.Started), Hostname: r.Environment.Hostname}
			bySection[cs.Section] = s
			order = append(order, cs.Section)
		}
		s.Tests++
		tc := junitCase{Name: cs.ID, Classname: cs.Section, Time: seconds(cs.Duration)}
		switch cs.Outcome {
		case Fail:
			s.Failures++
			tc.Failure = &junitMessage{Type: string(cs.Outcome), Message: shortMessage(cs), Body: caseBody(cs)}
		case Warn, XPass:
			if strict {
				s.Failures++
				tc.Failure = &junitMessage{Type: string(cs.Outcome), Message: shortMessage(cs), Body: caseBody(cs)}
			} else {
				tc.SystemOut = &junitOutput{Text: string(cs.Outcome) + ": " + shortMessage(cs) + "\n\n" + caseBody(cs)}
			}
		case Error:
			s.Errors++
			tc.Error = &junitMessage{Type: string(cs.Outcome), Message: shortMessage(cs), Body: caseBody(cs)}
		case Skip:
			s.Skipped++
			tc.Skipped = &junitMessage{Message: firstNonEmpty(cs.Message, "skipped")}
		case XFail:
			s.Skipped++
			tc.Skipped = &junitMessage{Message: "known failure: " + firstNonEmpty(cs.KnownFailure, cs.Message)}
		}
		elapsed[cs.Section] += cs.Duration
		s.Time = seconds(elapsed[cs.Section])
		s.Cases = append(s.Cases, tc)
	}
	slices.SortStableFunc(order, CompareSections)
	for _, sec := range order {
		doc.Suites = append(doc.Suites, *bySection[sec])
	}
	return doc
}

func suiteName(suite, section string) string {
	if suite == "" {
		return "section " + section
	}
	return suite + " section " + section
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// shortMessage is a one-line summary of a non-PASS case.
func shortMessage(cs *Case) string {
	if cs.Message != "" {
		return firstLine(cs.Message)
	}
	if cs.Actual != "" {
		return "Expected " + strings.Join(cs.Expected, " or ") + ", got " + firstLine(cs.Actual)
	}
	return string(cs.Outcome)
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i] + " …"
	}
	return s
}

// caseBody is the plain-text account of a case shared by the JUnit and text
// renderers: the sentence, Expected, Actual, message, then the transcripts.
func caseBody(cs *Case) string {
	var b strings.Builder
	writeCaseDetails(&b, cs, "")
	for _, t := range cs.Transcripts {
		b.WriteByte('\n')
		_ = WriteTranscript(&b, t)
	}
	return b.String()
}

// writeCaseDetails writes the sentence, Expected, Actual, message and known
// failure reason of a case, each line prefixed with indent.
func writeCaseDetails(b *strings.Builder, cs *Case, indent string) {
	level := ""
	if cs.Level != "" {
		level = " (" + string(cs.Level) + ")"
	}
	if cs.Sentence != "" {
		fmt.Fprintf(b, "%sRFC 3501 section %s%s: %s\n", indent, cs.Section, level, quoteSentence(cs.Sentence))
	}
	if len(cs.Expected) > 0 {
		for i, e := range cs.Expected {
			if i == 0 {
				fmt.Fprintf(b, "%sExpected: %s\n", indent, e)
			} else {
				fmt.Fprintf(b, "%s      or: %s\n", indent, e)
			}
		}
	}
	if cs.Actual != "" {
		writeLabelled(b, indent, "Actual:   ", cs.Actual)
	}
	if cs.Message != "" {
		writeLabelled(b, indent, "Message:  ", cs.Message)
	}
	if cs.KnownFailure != "" {
		writeLabelled(b, indent, "Known failure: ", cs.KnownFailure)
	}
}

func writeLabelled(b *strings.Builder, indent, label, text string) {
	pad := strings.Repeat(" ", len(label))
	for i, line := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		if i == 0 {
			fmt.Fprintf(b, "%s%s%s\n", indent, label, line)
		} else {
			fmt.Fprintf(b, "%s%s%s\n", indent, pad, line)
		}
	}
}

func quoteSentence(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if strings.HasPrefix(s, `"`) {
		return s
	}
	return `"` + s + `"`
}

func loadJUnit(r *Result) junitSuites {
	l := r.Load
	doc := junitSuites{Name: "imapgauge load " + r.Target.URL, Time: seconds(r.Elapsed())}
	ts := junitTimestamp(r.Started)
	host := r.Environment.Hostname

	th := junitSuite{Name: "thresholds", Timestamp: ts, Hostname: host, Time: seconds(r.Elapsed())}
	for _, t := range l.Thresholds {
		th.Tests++
		tc := junitCase{Name: t.Expression, Classname: "thresholds", Time: "0.000"}
		if !t.Passed {
			th.Failures++
			tc.Failure = &junitMessage{Type: "threshold", Message: t.Describe(),
				Body: fmt.Sprintf("Threshold: %s\nObserved:  %s\n", t.Expression, observedOrError(t))}
		} else {
			tc.SystemOut = &junitOutput{Text: "observed " + FormatObserved(t.Observed, t.Unit) + "\n"}
		}
		th.Cases = append(th.Cases, tc)
	}

	co := junitSuite{Name: "correctness", Timestamp: ts, Hostname: host, Time: seconds(r.Elapsed())}
	checks := violationChecks(l)
	for _, check := range checks {
		co.Tests++
		tc := junitCase{Name: check, Classname: "correctness", Time: "0.000"}
		n := l.ViolationsByCheck[check]
		for i := range l.Violations {
			if l.Violations[i].Check == check && n == 0 {
				n = 1
			}
		}
		if n > 0 {
			co.Failures++
			var b strings.Builder
			for i := range l.Violations {
				if l.Violations[i].Check == check {
					writeViolation(&b, &l.Violations[i])
					b.WriteByte('\n')
				}
			}
			tc.Failure = &junitMessage{Type: "violation", Message: fmt.Sprintf("%d %s %s", n, check, plural(int(min(n, 2)), "violation", "violations")), Body: b.String()}
		}
		co.Cases = append(co.Cases, tc)
	}
	if len(checks) == 0 {
		co.Tests++
		tc := junitCase{Name: "violations", Classname: "correctness", Time: "0.000"}
		if l.ViolationCount > 0 {
			co.Failures++
			tc.Failure = &junitMessage{Type: "violation", Message: fmt.Sprintf("%d correctness violations", l.ViolationCount)}
		}
		co.Cases = append(co.Cases, tc)
	}

	gen := junitSuite{Name: "generator", Timestamp: ts, Hostname: host, Time: seconds(r.Elapsed()), Tests: 1}
	tc := junitCase{Name: "generator-kept-up", Classname: "generator", Time: "0.000"}
	if l.Generator.Overloaded {
		gen.Errors++
		tc.Error = &junitMessage{Type: "invalid-run", Message: "the load generator was overloaded: " + l.Generator.Reason,
			Body: "The generator could not keep its schedule; the run measured the generator, not the server.\n" + l.Generator.Reason + "\n"}
	}
	gen.Cases = append(gen.Cases, tc)

	props := []junitProperty{
		{Name: "profile", Value: l.Profile.Name},
		{Name: "users", Value: strconv.Itoa(l.Users)},
		{Name: "verdict", Value: string(r.Verdict.Status)},
		{Name: "exit_code", Value: strconv.Itoa(r.Verdict.ExitCode)},
	}
	if l.Shard != nil {
		props = append(props, junitProperty{Name: "shard", Value: l.Shard.String()})
	}
	th.Properties = &junitProperties{Props: props}
	doc.Suites = []junitSuite{th, co, gen}
	return doc
}

func observedOrError(t Threshold) string {
	if t.Error != "" {
		return t.Error
	}
	return FormatObserved(t.Observed, t.Unit)
}

// violationChecks lists the checks with violations, sorted.
func violationChecks(l *Load) []string {
	seen := map[string]bool{}
	var out []string
	for k := range l.ViolationsByCheck {
		seen[k] = true
		out = append(out, k)
	}
	for _, v := range l.Violations {
		if !seen[v.Check] {
			seen[v.Check] = true
			out = append(out, v.Check)
		}
	}
	slices.Sort(out)
	return out
}

func writeViolation(b *strings.Builder, v *Violation) {
	who := strings.Trim(strings.Join([]string{v.User, v.Device, v.Mailbox}, " "), " ")
	fmt.Fprintf(b, "[%s] at +%s %s: %s\n", v.Check, FormatDuration(v.Offset), who, v.Message)
	if v.Expected != "" {
		writeLabelled(b, "  ", "Expected: ", v.Expected)
	}
	if v.Actual != "" {
		writeLabelled(b, "  ", "Actual:   ", v.Actual)
	}
	for _, t := range v.Transcripts {
		_ = WriteTranscript(b, t)
	}
}
