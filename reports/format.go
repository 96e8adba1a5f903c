package reports

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// FormatDuration formats d for reports with three significant digits and the
// unit that suits it: 850µs, 12.3ms, 1.20s, 2m05s.
func FormatDuration(d time.Duration) string {
	switch {
	case d < 0:
		return "-" + FormatDuration(-d)
	case d == 0:
		return "0"
	case d < time.Microsecond:
		return strconv.FormatInt(int64(d), 10) + "ns"
	case d < time.Millisecond:
		return sig3(float64(d)/float64(time.Microsecond)) + "µs"
	case d < time.Second:
		return sig3(float64(d)/float64(time.Millisecond)) + "ms"
	case d < time.Minute:
		return sig3(d.Seconds()) + "s"
	case d < time.Hour:
		m := d / time.Minute
		s := (d - m*time.Minute) / time.Second
		return fmt.Sprintf("%dm%02ds", m, s)
	}
	h := d / time.Hour
	m := (d - h*time.Hour) / time.Minute
	return fmt.Sprintf("%dh%02dm", h, m)
}

// sig3 formats v (>= 1) with three significant digits, dropping nothing:
// 1.20, 12.3, 123.
func sig3(v float64) string {
	switch {
	case v >= 100:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case v >= 10:
		return strconv.FormatFloat(v, 'f', 1, 64)
	}
	return strconv.FormatFloat(v, 'f', 2, 64)
}

// TranscriptLine formats entry n (1-based) of a transcript in the numbered
// view every renderer shares:
//
//	12  +0.031s  C: a3 SELECT INBOX
func TranscriptLine(n int, e Entry) string {
	return fmt.Sprintf("%4d  +%.3fs  %s: %s", n, e.Offset.Seconds(), e.Direction, e.Text)
}

// WriteTranscript writes the numbered view of t to w: a heading line with the
// connection name, then one TranscriptLine per entry.
func WriteTranscript(w io.Writer, t Transcript) error {
	var b strings.Builder
	fmt.Fprintf(&b, "--- connection %s", t.Connection)
	if !t.Started.IsZero() {
		fmt.Fprintf(&b, " (opened %s)", t.Started.UTC().Format(time.RFC3339Nano))
	}
	b.WriteString(" ---\n")
	for i, e := range t.Entries {
		b.WriteString(TranscriptLine(i+1, e))
		b.WriteByte('\n')
	}
	if t.Truncated {
		b.WriteString("      (transcript truncated)\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// TranscriptFileName is the file name WriteTranscriptFiles gives a case's
// transcripts: the case ID with every character outside [A-Za-z0-9.-]
// replaced by '_', plus ".txt".
func TranscriptFileName(caseID string) string {
	var b strings.Builder
	for _, r := range caseID {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '-':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	return b.String() + ".txt"
}

// WriteTranscriptFiles writes one text file per conformance case that has
// transcripts (all cases, or only the ones that did not pass when
// onlyNotPassed is set) into dir, named by TranscriptFileName: the case's ID,
// outcome, RFC sentence, Expected, Actual and its numbered transcripts. For a
// load result it writes one file per kept violation and error sample. It
// returns the paths written.
func WriteTranscriptFiles(dir string, r *Result, onlyNotPassed bool) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	var paths []string
	write := func(name, body string) error {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			return err
		}
		paths = append(paths, p)
		return nil
	}
	if c := r.Conformance; c != nil {
		for i := range c.Cases {
			cs := &c.Cases[i]
			if len(cs.Transcripts) == 0 || onlyNotPassed && (cs.Outcome == Pass || cs.Outcome == Skip) {
				continue
			}
			var b strings.Builder
			fmt.Fprintf(&b, "%s %s\n", cs.Outcome, cs.ID)
			if cs.Title != "" {
				fmt.Fprintf(&b, "%s\n", cs.Title)
			}
			b.WriteByte('\n')
			writeCaseDetails(&b, cs, "")
			for _, t := range cs.Transcripts {
				b.WriteByte('\n')
				_ = WriteTranscript(&b, t)
			}
			if err := write(TranscriptFileName(cs.ID), b.String()); err != nil {
				return paths, err
			}
		}
	}
	if l := r.Load; l != nil {
		for i := range l.Violations {
			var b strings.Builder
			writeViolation(&b, &l.Violations[i])
			if err := write(fmt.Sprintf("violation-%04d-%s", i+1, TranscriptFileName(l.Violations[i].Check)), b.String()); err != nil {
				return paths, err
			}
		}
		for i, e := range l.Errors {
			var b strings.Builder
			fmt.Fprintf(&b, "%s %s at +%s %s: %s\n", e.Command, e.Kind, FormatDuration(e.Offset), strings.TrimSpace(e.User+" "+e.Device), e.Message)
			for _, t := range e.Transcripts {
				_ = WriteTranscript(&b, t)
			}
			if err := write(fmt.Sprintf("error-%04d-%s", i+1, TranscriptFileName(e.Command)), b.String()); err != nil {
				return paths, err
			}
		}
	}
	return paths, nil
}
