package reports

import (
	"fmt"
	"io"
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
