package reports

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"
)

// TextOptions tunes WriteText. The zero value is valid: no transcripts
// inline, failures pointed at the JSON result if ResultPath is set.
type TextOptions struct {
	// InlineTranscripts prints each failure's numbered transcripts under it.
	InlineTranscripts bool
	// TranscriptDir is where WriteTranscriptFiles put the transcripts; each
	// failure then names its file.
	TranscriptDir string
	// ResultPath, HTMLPath are the JSON result and HTML report written by the
	// run, named as the place to read transcripts when TranscriptDir is not
	// set.
	ResultPath string
	HTMLPath   string
	// MaxFailures bounds the failures listed (0: all of them).
	MaxFailures int
}

// WriteText writes the end-of-run summary people read in a terminal or a CI
// log. It leads with the verdict; then counts per outcome and per RFC section
// and each failure with the RFC sentence, Expected and Actual (conformance),
// or thresholds, correctness, load and latency (load).
func WriteText(w io.Writer, r *Result, opts TextOptions) error {
	var b strings.Builder
	switch {
	case r.Conformance != nil:
		conformanceText(&b, r, opts)
	case r.Load != nil:
		loadText(&b, r, opts)
	default:
		return fmt.Errorf("result has neither a conformance nor a load section")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// verdictLine is the first line of every summary.
func verdictLine(r *Result) string {
	s := fmt.Sprintf("imapgauge %s: %s (exit %d)", r.Kind, strings.ToUpper(string(r.Verdict.Status)), r.Verdict.ExitCode)
	if len(r.Verdict.Reasons) > 0 {
		s += " — " + strings.Join(r.Verdict.Reasons, "; ")
	}
	if r.State == StateRunning {
		s += " [run still in progress]"
	} else if r.State == StateInterrupted {
		s += " [run interrupted]"
	}
	return s
}

func targetLine(r *Result) string {
	var parts []string
	t := r.Target.URL
	if r.Target.Description != "" {
		t += " (" + r.Target.Description + ")"
	}
	parts = append(parts, "target "+t)
	parts = append(parts, "started "+r.Started.UTC().Format(time.RFC3339))
	if !r.Finished.IsZero() {
		parts = append(parts, "took "+FormatDuration(r.Finished.Sub(r.Started)))
	}
	return strings.Join(parts, ", ")
}

func conformanceText(b *strings.Builder, r *Result, opts TextOptions) {
	c := r.Conformance
	fmt.Fprintln(b, verdictLine(r))
	fmt.Fprintln(b, targetLine(r))
	strict := ""
	if c.Strict {
		strict = " (strict: WARN and XPASS fail the run)"
	}
	fmt.Fprintf(b, "\n%d cases%s\n", c.Counts.Total, strict)
	tw := tabwriter.NewWriter(b, 0, 0, 2, ' ', tabwriter.AlignRight)
	header := "section\t"
	total := "all\t"
	for _, o := range Outcomes {
		header += string(o) + "\t"
		total += countCell(c.Counts.Get(o)) + "\t"
	}
	fmt.Fprintln(tw, header)
	for _, s := range c.Sections {
		line := s.Section + "\t"
		for _, o := range Outcomes {
			line += countCell(s.Counts.Get(o)) + "\t"
		}
		fmt.Fprintln(tw, line)
	}
	fmt.Fprintln(tw, total)
	tw.Flush()

	failures := c.Failures()
	if len(failures) == 0 {
		return
	}
	fmt.Fprintf(b, "\nNot passed (%d)\n", len(failures))
	for i, cs := range failures {
		if opts.MaxFailures > 0 && i == opts.MaxFailures {
			fmt.Fprintf(b, "\n… and %d more: see the full report.\n", len(failures)-i)
			break
		}
		fmt.Fprintf(b, "\n%-5s %s\n", cs.Outcome, cs.ID)
		if cs.Title != "" {
			fmt.Fprintf(b, "      %s\n", cs.Title)
		}
		writeCaseDetails(b, cs, "      ")
		if len(cs.Transcripts) > 0 {
			if where := transcriptWhere(cs, opts); where != "" {
				fmt.Fprintf(b, "      Transcript: %s\n", where)
			}
			if opts.InlineTranscripts {
				for _, t := range cs.Transcripts {
					var tb strings.Builder
					_ = WriteTranscript(&tb, t)
					for _, line := range strings.Split(strings.TrimRight(tb.String(), "\n"), "\n") {
						fmt.Fprintf(b, "      %s\n", line)
					}
				}
			}
		}
	}
}

func countCell(n int) string {
	if n == 0 {
		return "-"
	}
	return fmt.Sprint(n)
}

// transcriptWhere says where a case's transcripts can be read.
func transcriptWhere(cs *Case, opts TextOptions) string {
	n := fmt.Sprintf("%d %s", len(cs.Transcripts), plural(len(cs.Transcripts), "connection", "connections"))
	switch {
	case opts.TranscriptDir != "":
		return n + ", " + filepath.Join(opts.TranscriptDir, TranscriptFileName(cs.ID))
	case opts.HTMLPath != "":
		return n + ", in " + opts.HTMLPath
	case opts.ResultPath != "":
		return n + ", in " + opts.ResultPath
	case opts.InlineTranscripts:
		return n + ", below"
	}
	return ""
}

func loadText(b *strings.Builder, r *Result, opts TextOptions) {
	l := r.Load
	fmt.Fprintln(b, verdictLine(r))
	fmt.Fprintln(b, targetLine(r))
	fmt.Fprintln(b, loadShapeLine(l))

	if len(l.Thresholds) > 0 {
		fmt.Fprintln(b, "\nThresholds")
		tw := tabwriter.NewWriter(b, 0, 0, 2, ' ', 0)
		for _, t := range l.Thresholds {
			mark := "ok  "
			if !t.Passed {
				mark = "FAIL"
			}
			fmt.Fprintf(tw, "  %s\t%s\t%s\n", mark, t.Expression, observedOrError(t))
		}
		tw.Flush()
	}

	fmt.Fprintf(b, "\nCorrectness: %d %s", l.ViolationCount, plural(int(min(l.ViolationCount, 2)), "violation", "violations"))
	if len(l.ViolationsByCheck) > 0 {
		var parts []string
		for _, k := range violationChecks(l) {
			parts = append(parts, fmt.Sprintf("%s %d", k, l.ViolationsByCheck[k]))
		}
		fmt.Fprintf(b, " (%s)", strings.Join(parts, ", "))
	}
	b.WriteString("\n")

	s := l.Schedule
	fmt.Fprintf(b, "\nLoad: intended %.1f ticks/s, achieved %.1f/s", s.IntendedRate, s.AchievedRate)
	if s.IntendedRate > 0 {
		fmt.Fprintf(b, " (%.1f%%)", 100*s.AchievedRate/s.IntendedRate)
	}
	fmt.Fprintf(b, "; %d scheduled, %d late, %d skipped; %d deliveries\n", s.Scheduled, s.Late, s.Skipped, s.Deliveries)

	if len(l.Commands) > 0 {
		b.WriteString("\n")
		tw := tabwriter.NewWriter(b, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "command\tcount\tOK\tNO\tBAD\ttimeout\tfailed\tp50\tp90\tp99\tp99.9\tmax\t")
		all := l.AllCommands()
		for _, c := range append(append([]CommandStats{}, l.Commands...), all) {
			fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\t%d\t%s\t", c.Name, c.Total(), c.OK, c.NO, c.BAD, c.Timeout, c.Failed, percentileCells(c.Latency))
			fmt.Fprintln(tw)
		}
		tw.Flush()
	}

	dists := []struct {
		name string
		h    *Histogram
	}{}
	for _, p := range l.Setup {
		dists = append(dists, struct {
			name string
			h    *Histogram
		}{"setup " + p.Name, p.Latency})
	}
	dists = append(dists, struct {
		name string
		h    *Histogram
	}{"sync lag", l.SyncLag}, struct {
		name string
		h    *Histogram
	}{"IDLE notification", l.Notification})
	b.WriteString("\n")
	tw := tabwriter.NewWriter(b, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "distribution\tcount\tp50\tp90\tp99\tp99.9\tmax\t")
	for _, d := range dists {
		if d.h == nil {
			continue
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\t\n", d.name, d.h.Count(), percentileCells(d.h))
	}
	tw.Flush()

	g := l.Generator
	state := "kept up"
	if g.Overloaded {
		state = "OVERLOADED: " + g.Reason
	}
	fmt.Fprintf(b, "\nGenerator: %s; CPU %.1fs (max %.0f%%), heap max %s, %d GC cycles (%s paused)",
		state, g.CPUSeconds, g.MaxCPUPercent, formatBytes(g.MaxHeapBytes), g.GCCycles, FormatDuration(g.GCPause))
	if g.SchedulerLag != nil && g.SchedulerLag.Count() > 0 {
		fmt.Fprintf(b, ", scheduler lag p99 %s", FormatDuration(g.SchedulerLag.Percentile(99)))
	}
	b.WriteString("\n")

	for i := range l.Violations {
		if i == 0 {
			fmt.Fprintf(b, "\nViolations (%d shown of %d)\n", len(l.Violations), l.ViolationCount)
		}
		if opts.MaxFailures > 0 && i == opts.MaxFailures {
			fmt.Fprintf(b, "… and %d more in the full report.\n", len(l.Violations)-i)
			break
		}
		var vb strings.Builder
		v := l.Violations[i]
		if !opts.InlineTranscripts {
			v.Transcripts = nil
		}
		writeViolation(&vb, &v)
		b.WriteString(vb.String())
	}
	if len(l.Errors) > 0 {
		fmt.Fprintf(b, "\nCommand errors (first %d)\n", len(l.Errors))
		for i, e := range l.Errors {
			if opts.MaxFailures > 0 && i == opts.MaxFailures {
				fmt.Fprintf(b, "… and %d more in the full report.\n", len(l.Errors)-i)
				break
			}
			fmt.Fprintf(b, "  +%s %s %s %s: %s\n", FormatDuration(e.Offset), e.Command, e.Kind, strings.TrimSpace(e.User+" "+e.Device), e.Message)
		}
	}
}

// loadShapeLine describes what load was applied.
func loadShapeLine(l *Load) string {
	parts := []string{"profile " + l.Profile.Name, fmt.Sprintf("%d users", l.Users)}
	devices := 0
	var kinds []string
	for _, d := range l.Devices {
		devices += d.Count
		kinds = append(kinds, fmt.Sprintf("%d %s", d.Count, d.Kind))
	}
	if devices > 0 {
		parts = append(parts, fmt.Sprintf("%d devices (%s)", devices, strings.Join(kinds, ", ")))
	}
	if l.Duration > 0 {
		parts = append(parts, "planned "+FormatDuration(l.Duration))
	}
	parts = append(parts, fmt.Sprintf("seed %d", l.Seed))
	if l.Shard != nil {
		parts = append(parts, "shard "+l.Shard.String())
	}
	if len(l.MergedFrom) > 0 {
		parts = append(parts, fmt.Sprintf("merged from %d shards", len(l.MergedFrom)))
	}
	return strings.Join(parts, ", ")
}

// percentileCells formats p50 p90 p99 p99.9 max as tab-separated cells.
func percentileCells(h *Histogram) string {
	if h == nil || h.Count() == 0 {
		return "-\t-\t-\t-\t-"
	}
	return strings.Join([]string{
		FormatDuration(h.Percentile(50)), FormatDuration(h.Percentile(90)), FormatDuration(h.Percentile(99)),
		FormatDuration(h.Percentile(99.9)), FormatDuration(h.Max()),
	}, "\t")
}

func formatBytes(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1fGiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1fMiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1fKiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%dB", n)
}
