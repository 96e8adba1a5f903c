package main

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/imapgauge/imapgauge/reports"
)

// exitRegressed is report diff's exit code when the new result regressed.
const exitRegressed = 1

func newReportCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "report",
		Short: "Render, compare and merge result files",
		Long: `report works on the JSON result files that conform and load write with --json:
render turns one into HTML, JUnit XML, Markdown or a text summary; diff
compares two runs and fails on regressions; merge combines the results of the
shards of a sharded load run; schema prints the result's JSON Schema.

A result written by another MAJOR version of the result schema is refused with
a clear error; newer MINOR versions are read.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return usageErr("report needs a subcommand: render, diff, merge or schema")
		},
	}
	cmd.AddCommand(newReportRenderCommand(), newReportDiffCommand(), newReportMergeCommand(), newReportSchemaCommand())
	return cmd
}

// readResult reads a result file; every problem is a setup error (exit 2).
func readResult(path string) (*reports.Result, error) {
	r, err := reports.ReadFile(path)
	if err != nil {
		return nil, withCode(exitUsage, err)
	}
	return r, nil
}

type renderFlags struct {
	html, junit, markdown, transcripts string
	text, strict                       bool
}

func newReportRenderCommand() *cobra.Command {
	var f renderFlags
	cmd := &cobra.Command{
		Use:   "render RESULT.json",
		Short: "Render a result as HTML, JUnit XML, Markdown or text",
		Long: `render writes the result in every format asked for. With no format flag it
prints the text summary. A file name of - writes to standard output.

  --html FILE       one self-contained page (styles, scripts and charts inline)
  --junit FILE      JUnit XML for CI test reports
  --markdown FILE   a short summary for a CI job summary
  --text            the text summary, with the transcripts of failures
  --transcripts DIR one text file per non-passing case (or violation)

Exit codes: 0 written, 2 usage error or unreadable result.`,
		Example: `  imapgauge report render result.json --html report.html --junit junit.xml
  imapgauge report render result.json --markdown "$GITHUB_STEP_SUMMARY"`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runReportRender(cmd, args[0], f)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.html, "html", "", "write the HTML report to `FILE`")
	fl.StringVar(&f.junit, "junit", "", "write JUnit XML to `FILE`")
	fl.StringVar(&f.markdown, "markdown", "", "write the Markdown summary to `FILE`")
	fl.BoolVar(&f.text, "text", false, "print the text summary (the default when no other output is asked for)")
	fl.StringVar(&f.transcripts, "transcripts", "", "write the transcripts of non-passing cases into `DIR`")
	fl.BoolVar(&f.strict, "strict", false, "judge WARN and XPASS as failures (JUnit <failure>, verdict)")
	return cmd
}

func runReportRender(cmd *cobra.Command, path string, f renderFlags) error {
	r, err := readResult(path)
	if err != nil {
		return err
	}
	if f.strict && r.Conformance != nil && !r.Conformance.Strict {
		r.Judge(true)
	}
	out := cmd.OutOrStdout()
	write := func(file string, fn func(io.Writer) error) error {
		if file == "-" {
			return fn(out)
		}
		return reports.WriteFileFunc(file, fn)
	}
	var errs []error
	if f.html != "" {
		errs = append(errs, write(f.html, func(w io.Writer) error { return reports.WriteHTML(w, r) }))
	}
	if f.junit != "" {
		errs = append(errs, write(f.junit, func(w io.Writer) error {
			return reports.WriteJUnit(w, r, reports.JUnitOptions{Strict: f.strict})
		}))
	}
	if f.markdown != "" {
		errs = append(errs, write(f.markdown, func(w io.Writer) error { return reports.WriteMarkdown(w, r, reports.MarkdownOptions{}) }))
	}
	if f.transcripts != "" {
		_, err := reports.WriteTranscriptFiles(f.transcripts, r, true)
		errs = append(errs, err)
	}
	if f.text || f.html == "" && f.junit == "" && f.markdown == "" && f.transcripts == "" {
		opts := reports.TextOptions{InlineTranscripts: f.transcripts == "", TranscriptDir: f.transcripts}
		errs = append(errs, reports.WriteText(out, r, opts))
	}
	if err := errors.Join(errs...); err != nil {
		return withCode(exitUsage, err)
	}
	return nil
}

// ratioValue is a flag holding a share given as "10%" or "0.1".
type ratioValue struct{ v *float64 }

func (r ratioValue) String() string {
	if r.v == nil {
		return ""
	}
	return strconv.FormatFloat(*r.v*100, 'g', -1, 64) + "%"
}

func (r ratioValue) Set(s string) error {
	num, pct := strings.CutSuffix(strings.TrimSpace(s), "%")
	v, err := strconv.ParseFloat(num, 64)
	if err != nil || v < 0 {
		return fmt.Errorf("%q is not a share (like 10%% or 0.1)", s)
	}
	if pct {
		v /= 100
	}
	*r.v = v
	return nil
}

func (r ratioValue) Type() string { return "share" }

type diffFlags struct {
	json, markdown   string
	minLatencyChange time.Duration
	percentiles      []float64
	latencyTolerance float64
	confidence       float64
	throughputTol    float64
	errorRateTol     float64
	strict           bool
}

func newReportDiffCommand() *cobra.Command {
	f := diffFlags{latencyTolerance: 0.10, confidence: 0.99, throughputTol: 0.05, errorRateTol: 0.001, minLatencyChange: time.Millisecond}
	cmd := &cobra.Command{
		Use:   "diff BASE.json NEW.json",
		Short: "Compare two results and fail on regressions",
		Long: `diff compares NEW with BASE, two results of the same kind.

Conformance: cases newly failing (their outcome fails a run now — FAIL or
ERROR, and WARN or XPASS with --strict — and did not in BASE) are regressions;
newly passing cases, other outcome changes and cases present in only one
result are listed.

Load: for every command and for sync lag and IDLE notification latency, the
percentiles (--percentiles) regress when they grow by more than
--latency-tolerance and by at least --min-latency-change, and the two runs'
confidence intervals of the percentile (--confidence) do not overlap, so that
a percentile resting on a handful of samples cannot regress by chance. On
shared, noisy CI machines raise --min-latency-change. Throughput and the
achieved share of the intended load regress when they drop by more than
--throughput-tolerance; the command error share regresses when it grows by
more than --error-tolerance; any new correctness violation, any threshold
passing in BASE and failing in NEW, and a NEW run whose generator was
overloaded are regressions.

Exit codes: 0 no regression, 1 regression, 2 usage error or unreadable result.`,
		Example: `  imapgauge report diff main.json branch.json
  imapgauge report diff base.json new.json --latency-tolerance 20% --percentiles 99`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runReportDiff(cmd, args[0], args[1], f)
		},
	}
	fl := cmd.Flags()
	fl.Var(ratioValue{&f.latencyTolerance}, "latency-tolerance", "relative latency growth tolerated (like 10%)")
	fl.DurationVar(&f.minLatencyChange, "min-latency-change", f.minLatencyChange, "latency growth below this is noise")
	fl.Var(ratioValue{&f.throughputTol}, "throughput-tolerance", "relative throughput drop tolerated (like 5%)")
	fl.Var(ratioValue{&f.errorRateTol}, "error-tolerance", "growth of the command error share tolerated, in points (like 0.1%)")
	fl.Var(ratioValue{&f.confidence}, "confidence", "confidence level of the percentile intervals (like 99%)")
	fl.Float64SliceVar(&f.percentiles, "percentiles", []float64{50, 90, 99}, "latency percentiles to compare")
	fl.BoolVar(&f.strict, "strict", false, "count new WARN and XPASS outcomes as regressions")
	fl.StringVar(&f.json, "json", "", "also write the comparison as JSON to `FILE`")
	fl.StringVar(&f.markdown, "markdown", "", "also write the comparison as Markdown to `FILE`")
	return cmd
}

func runReportDiff(cmd *cobra.Command, basePath, newPath string, f diffFlags) error {
	if f.confidence <= 0 || f.confidence >= 1 {
		return usageErr("--confidence must be between 0 and 100%%, got %s", ratioValue{&f.confidence})
	}
	for _, p := range f.percentiles {
		if p <= 0 || p > 100 {
			return usageErr("--percentiles: %v is not a percentile (0 < p <= 100)", p)
		}
	}
	base, err := readResult(basePath)
	if err != nil {
		return err
	}
	newer, err := readResult(newPath)
	if err != nil {
		return err
	}
	opts := reports.DiffOptions{
		LatencyTolerance:    f.latencyTolerance,
		MinLatencyChange:    f.minLatencyChange,
		ThroughputTolerance: f.throughputTol,
		ErrorRateTolerance:  f.errorRateTol,
		Percentiles:         f.percentiles,
		Confidence:          f.confidence,
		Strict:              f.strict,
	}
	d, err := reports.Compare(base, newer, opts)
	if err != nil {
		return withCode(exitUsage, err)
	}
	if err := reports.WriteDiffText(cmd.OutOrStdout(), d); err != nil {
		return err
	}
	out := cmd.OutOrStdout()
	writeTo := func(file string, fn func(io.Writer) error) error {
		if file == "-" {
			return fn(out)
		}
		return reports.WriteFileFunc(file, fn)
	}
	if f.json != "" {
		if err := writeTo(f.json, func(w io.Writer) error { return reports.WriteDiffJSON(w, d) }); err != nil {
			return withCode(exitUsage, err)
		}
	}
	if f.markdown != "" {
		if err := writeTo(f.markdown, func(w io.Writer) error { return reports.WriteDiffMarkdown(w, d) }); err != nil {
			return withCode(exitUsage, err)
		}
	}
	if d.Regressed {
		return withCode(exitRegressed, nil)
	}
	return nil
}

type mergeFlags struct {
	html, junit, markdown string
}

func newReportMergeCommand() *cobra.Command {
	var f mergeFlags
	cmd := &cobra.Command{
		Use:   "merge OUT.json SHARD.json...",
		Short: "Merge the results of the shards of a load run",
		Long: `merge combines the results of every shard of one sharded load run (load
--shard i/N, i = 1..N) into OUT.json, as if one generator had applied the whole
load: latency histograms are merged exactly, counts are summed, the time series
are aligned, and the thresholds are checked again on the merged figures. It
prints the merged summary.

Every shard 1..N must be given once, all from the same run (profile, seed,
interval, target).

Exit codes: the merged run's verdict, as load's: 0 ok, 99 thresholds failed,
100 correctness violation, 101 invalid run (a generator was overloaded);
2 usage error, unreadable or mismatched shard results.`,
		Example: `  imapgauge report merge merged.json shard-*.json --html merged.html`,
		Args:    cobra.MinimumNArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runReportMerge(cmd, args[0], args[1:], f)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.html, "html", "", "also write the merged HTML report to `FILE`")
	fl.StringVar(&f.junit, "junit", "", "also write merged JUnit XML to `FILE`")
	fl.StringVar(&f.markdown, "markdown", "", "also write the merged Markdown summary to `FILE`")
	return cmd
}

func runReportMerge(cmd *cobra.Command, out string, paths []string, f mergeFlags) error {
	for _, p := range paths {
		if p == out {
			return usageErr("OUT.json %s is also given as a shard result", out)
		}
	}
	var shards []*reports.Result
	for _, p := range paths {
		r, err := readResult(p)
		if err != nil {
			return err
		}
		shards = append(shards, r)
	}
	merged, err := reports.Merge(shards)
	if err != nil {
		return withCode(exitUsage, err)
	}
	o := reports.Outputs{JSON: out, HTML: f.html, JUnit: f.junit, Markdown: f.markdown}
	if err := o.Write(merged); err != nil {
		return withCode(exitUsage, err)
	}
	if err := reports.WriteText(cmd.OutOrStdout(), merged, reports.TextOptions{ResultPath: out, MaxFailures: 10}); err != nil {
		return err
	}
	if merged.Verdict.ExitCode != exitOK {
		return withCode(merged.Verdict.ExitCode, nil)
	}
	return nil
}

func newReportSchemaCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "schema",
		Short: "Print the JSON Schema of result files",
		Long: fmt.Sprintf(`schema prints the JSON Schema (draft 2020-12) of the result files this build
writes: result schema version %s.`, reports.SchemaVersion),
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := cmd.OutOrStdout().Write(reports.JSONSchema)
			return err
		},
	}
}
