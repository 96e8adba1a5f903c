package reports

import (
	"fmt"
	"io"
	"strings"
)

// MarkdownOptions tunes WriteMarkdown. The zero value is valid.
type MarkdownOptions struct {
	// MaxFailures bounds the failures (or violations) listed; 0 means 10.
	MaxFailures int
}

// WriteMarkdown writes a summary short enough for a CI job summary (GitHub
// Actions' $GITHUB_STEP_SUMMARY, a merge request note): the verdict, the
// counts and the top failures (conformance), or the verdict, thresholds and
// key percentiles (load).
func WriteMarkdown(w io.Writer, r *Result, opts MarkdownOptions) error {
	if opts.MaxFailures <= 0 {
		opts.MaxFailures = 10
	}
	var b strings.Builder
	switch {
	case r.Conformance != nil:
		conformanceMarkdown(&b, r, opts)
	case r.Load != nil:
		loadMarkdown(&b, r, opts)
	default:
		return fmt.Errorf("result has neither a conformance nor a load section")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func verdictHeading(r *Result) string {
	mark := map[Status]string{StatusPass: "✅", StatusFail: "❌", StatusError: "⚠️", StatusInvalid: "⚠️"}[r.Verdict.Status]
	s := fmt.Sprintf("## %s imapgauge %s: %s (exit %d)\n\n", mark, r.Kind, strings.ToUpper(string(r.Verdict.Status)), r.Verdict.ExitCode)
	for _, reason := range r.Verdict.Reasons {
		s += "- " + mdText(reason) + "\n"
	}
	if r.State != StateFinished {
		s += fmt.Sprintf("- the run is %s\n", r.State)
	}
	if len(r.Verdict.Reasons) > 0 || r.State != StateFinished {
		s += "\n"
	}
	target := "`" + mdCode(r.Target.URL) + "`"
	if r.Target.Description != "" {
		target += " (" + mdText(r.Target.Description) + ")"
	}
	s += "Target " + target
	if !r.Finished.IsZero() {
		s += ", took " + FormatDuration(r.Finished.Sub(r.Started))
	}
	return s + ".\n"
}

func conformanceMarkdown(b *strings.Builder, r *Result, opts MarkdownOptions) {
	c := r.Conformance
	b.WriteString(verdictHeading(r))
	b.WriteString("\n| cases |")
	for _, o := range Outcomes {
		fmt.Fprintf(b, " %s |", o)
	}
	b.WriteString("\n| ---: |")
	for range Outcomes {
		b.WriteString(" ---: |")
	}
	fmt.Fprintf(b, "\n| %d |", c.Counts.Total)
	for _, o := range Outcomes {
		fmt.Fprintf(b, " %d |", c.Counts.Get(o))
	}
	b.WriteString("\n")

	failures := c.Failures()
	if len(failures) == 0 {
		return
	}
	fmt.Fprintf(b, "\n### Not passed (%d)\n\n", len(failures))
	b.WriteString("| outcome | case | RFC 3501 | expected | actual |\n| --- | --- | --- | --- | --- |\n")
	for i, cs := range failures {
		if i == opts.MaxFailures {
			break
		}
		fmt.Fprintf(b, "| %s | `%s` | %s %s | %s | %s |\n", cs.Outcome, mdCode(cs.ID), cs.Section, cs.Level,
			mdCell(strings.Join(cs.Expected, " or "), 120), mdCell(firstNonEmpty(cs.Actual, cs.Message), 120))
	}
	if len(failures) > opts.MaxFailures {
		fmt.Fprintf(b, "\n… and %d more in the full report.\n", len(failures)-opts.MaxFailures)
	}
}

func loadMarkdown(b *strings.Builder, r *Result, opts MarkdownOptions) {
	l := r.Load
	b.WriteString(verdictHeading(r))
	fmt.Fprintf(b, "%s.\n", mdText(loadShapeLine(l)))
	if len(l.Thresholds) > 0 {
		b.WriteString("\n| threshold | observed | |\n| --- | ---: | --- |\n")
		for _, t := range l.Thresholds {
			mark := "✅"
			if !t.Passed {
				mark = "❌"
			}
			fmt.Fprintf(b, "| `%s` | %s | %s |\n", mdCode(t.Expression), mdCell(observedOrError(t), 80), mark)
		}
	}
	s := l.Schedule
	fmt.Fprintf(b, "\nCorrectness violations: **%d**. Load: intended %.1f ticks/s, achieved %.1f/s; %d late, %d skipped.",
		l.ViolationCount, s.IntendedRate, s.AchievedRate, s.Late, s.Skipped)
	if l.Generator.Overloaded {
		fmt.Fprintf(b, " The load generator was overloaded: %s.", mdText(l.Generator.Reason))
	}
	b.WriteString("\n")
	if len(l.Commands) > 0 {
		b.WriteString("\n| command | count | errors | p50 | p99 | max |\n| --- | ---: | ---: | ---: | ---: | ---: |\n")
		all := l.AllCommands()
		for _, c := range append(append([]CommandStats{}, l.Commands...), all) {
			fmt.Fprintf(b, "| %s | %d | %d | %s | %s | %s |\n", mdText(c.Name), c.Total(), c.Errors(),
				pct(c.Latency, 50), pct(c.Latency, 99), maxOf(c.Latency))
		}
	}
	if l.SyncLag != nil || l.Notification != nil {
		b.WriteString("\n| distribution | count | p50 | p95 | p99 | max |\n| --- | ---: | ---: | ---: | ---: | ---: |\n")
		for _, d := range []struct {
			name string
			h    *Histogram
		}{{"sync lag", l.SyncLag}, {"IDLE notification", l.Notification}} {
			if d.h != nil {
				fmt.Fprintf(b, "| %s | %d | %s | %s | %s | %s |\n", d.name, d.h.Count(), pct(d.h, 50), pct(d.h, 95), pct(d.h, 99), maxOf(d.h))
			}
		}
	}
	if len(l.Violations) > 0 {
		b.WriteString("\n### Violations\n\n")
		for i, v := range l.Violations {
			if i == opts.MaxFailures {
				fmt.Fprintf(b, "- … and %d more in the full report\n", l.ViolationCount-int64(i))
				break
			}
			fmt.Fprintf(b, "- `%s` at +%s %s: %s\n", mdCode(v.Check), FormatDuration(v.Offset),
				mdText(strings.TrimSpace(v.User+" "+v.Device+" "+v.Mailbox)), mdCell(v.Message, 200))
		}
	}
}

func pct(h *Histogram, p float64) string {
	if h == nil || h.Count() == 0 {
		return "-"
	}
	return FormatDuration(h.Percentile(p))
}

func maxOf(h *Histogram) string {
	if h == nil || h.Count() == 0 {
		return "-"
	}
	return FormatDuration(h.Max())
}

// mdText escapes the characters Markdown would interpret in running text.
func mdText(s string) string {
	r := strings.NewReplacer(`\`, `\\`, "`", "\\`", "*", `\*`, "_", `\_`, "|", `\|`, "<", "&lt;", ">", "&gt;", "[", `\[`, "]", `\]`)
	return r.Replace(strings.Join(strings.Fields(s), " "))
}

// mdCode makes s safe inside a `code span` within a table cell.
func mdCode(s string) string {
	return strings.NewReplacer("`", "'", "|", `\|`, "\n", " ").Replace(s)
}

// mdCell is mdText for a table cell, cut to max runes.
func mdCell(s string, max int) string {
	s = strings.Join(strings.Fields(s), " ")
	if rs := []rune(s); len(rs) > max {
		s = string(rs[:max-1]) + "…"
	}
	return mdText(s)
}
