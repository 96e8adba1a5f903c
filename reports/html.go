package reports

import (
	"bufio"
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"slices"
	"strings"
	"time"

	"gonum.org/v1/plot/plotter"
)

//go:embed templates/report.html.tmpl
var reportTemplate string

var htmlTemplate = template.Must(template.New("report").Funcs(template.FuncMap{
	"lower": func(s any) string { return strings.ToLower(fmt.Sprint(s)) },
	"dur":   FormatDuration,
	"time":  func(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05 MST") },
	"pct":   pct,
	"max":   maxOf,
	"count": func(h *Histogram) int64 {
		if h == nil {
			return 0
		}
		return h.Count()
	},
	"bytes":    formatBytes,
	"observed": observedOrError,
}).Parse(reportTemplate))

// HTMLOptions tunes WriteHTMLWith. The zero value is valid.
type HTMLOptions struct {
	// MaxBytes is the size a conformance report aims to stay under, so that
	// a huge run still gives a file a browser opens and a CI artifact store
	// keeps. The cases themselves are always written; transcripts are
	// inlined in order of importance — FAIL, ERROR, XPASS, WARN, XFAIL —
	// while they fit; the others are left in the JSON result, and the report
	// says so. 0 means 8 MiB.
	MaxBytes int
	// MaxTranscriptBytes, when set, bounds the inlined transcript text
	// directly instead of deriving the bound from MaxBytes.
	MaxTranscriptBytes int
}

// WriteHTML writes r as one self-contained HTML page with default options.
func WriteHTML(w io.Writer, r *Result) error { return WriteHTMLWith(w, r, HTMLOptions{}) }

// WriteHTMLWith writes r as one self-contained HTML page: styles, scripts and
// charts (inline SVG) are in the file, and its Content-Security-Policy forbids
// the browser to fetch anything, so it works offline and leaks nothing.
//
// Conformance: the verdict banner, counts, a matrix of RFC sections by
// outcome, then every case with filters by outcome, section and text; each
// failure shows the RFC sentence, Expected, Actual and the numbered redacted
// transcript of every connection. Load: the verdict and thresholds first, then
// intended vs achieved load, latency percentiles per command over time,
// throughput and connections over time, sync lag and notification latency
// distributions, errors and violations with their transcripts.
func WriteHTMLWith(w io.Writer, r *Result, opts HTMLOptions) error {
	if opts.MaxBytes <= 0 {
		opts.MaxBytes = 8 << 20
	}
	v := htmlView{R: r, Generated: r.Finished}
	if v.Generated.IsZero() {
		v.Generated = time.Now()
	}
	switch {
	case r.Conformance != nil:
		budget := opts.MaxTranscriptBytes
		if budget <= 0 {
			// Measure the page without transcripts; they get the rest.
			v.C = conformanceView(r.Conformance, 0)
			var n countingWriter
			if err := htmlTemplate.Execute(&n, v); err != nil {
				return err
			}
			budget = max(opts.MaxBytes-int(n), 256<<10)
		}
		v.C = conformanceView(r.Conformance, budget)
	case r.Load != nil:
		lv, err := loadView(r)
		if err != nil {
			return err
		}
		v.L = lv
	default:
		return fmt.Errorf("result has neither a conformance nor a load section")
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	if err := htmlTemplate.Execute(bw, v); err != nil {
		return err
	}
	return bw.Flush()
}

type htmlView struct {
	R         *Result
	Generated time.Time
	C         *htmlConformance
	L         *htmlLoad
}

// Title is the page title.
func (v htmlView) Title() string {
	return fmt.Sprintf("imapgauge %s %s: %s", v.R.Kind, v.R.Target.URL, strings.ToUpper(string(v.R.Verdict.Status)))
}

// Settings returns the environment's settings sorted by name.
func (v htmlView) Settings() [][2]string {
	var out [][2]string
	for k, val := range v.R.Environment.Settings {
		out = append(out, [2]string{k, val})
	}
	slices.SortFunc(out, func(a, b [2]string) int { return strings.Compare(a[0], b[0]) })
	return out
}

type htmlConformance struct {
	Outcomes []Outcome
	Counts   []outcomeCount
	Matrix   []matrixRow
	Sections []string
	Cases    []htmlCase
	Shown    int
	Omitted  int
}

type outcomeCount struct {
	Outcome Outcome
	N       int
	Checked bool
}

type matrixRow struct {
	Section string
	Cells   []outcomeCount
	Total   int
}

type htmlCase struct {
	*Case
	Hidden      bool
	Detail      bool
	Open        bool
	Transcripts []htmlTranscript
	Omitted     int
}

type htmlTranscript struct {
	Connection string
	// Text is the numbered transcript, escaped for element content.
	Text      template.HTML
	Truncated bool
}

// preText escapes s for the content of a <pre> element. Only &, < and > need
// it there; html/template's escaper also rewrites quotes and '+', which makes
// big transcripts a fifth larger.
func preText(s string) template.HTML {
	return template.HTML(strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)) // #nosec: escaped above
}

// shownByDefault is the filter a conformance page opens with: everything a
// reader must look at; PASS and SKIP are one click away.
func shownByDefault(o Outcome) bool { return o != Pass && o != Skip }

// countingWriter counts the bytes written to it.
type countingWriter int

func (c *countingWriter) Write(p []byte) (int, error) {
	*c += countingWriter(len(p))
	return len(p), nil
}

// transcriptOverhead is the markup around one inlined transcript.
const transcriptOverhead = 64

// conformanceView prepares a conformance page whose inlined transcripts take
// at most budget bytes.
func conformanceView(c *Conformance, budget int) *htmlConformance {
	v := &htmlConformance{Outcomes: Outcomes}
	for _, o := range Outcomes {
		v.Counts = append(v.Counts, outcomeCount{Outcome: o, N: c.Counts.Get(o), Checked: shownByDefault(o)})
	}
	for _, s := range c.Sections {
		row := matrixRow{Section: s.Section, Total: s.Counts.Total}
		for _, o := range Outcomes {
			row.Cells = append(row.Cells, outcomeCount{Outcome: o, N: s.Counts.Get(o)})
		}
		v.Matrix = append(v.Matrix, row)
		v.Sections = append(v.Sections, s.Section)
	}
	v.Cases = make([]htmlCase, len(c.Cases))
	for i := range c.Cases {
		cs := &c.Cases[i]
		hc := htmlCase{Case: cs, Hidden: !shownByDefault(cs.Outcome)}
		hc.Detail = cs.Outcome != Pass
		hc.Open = cs.Outcome == Fail || cs.Outcome == Error
		if !hc.Hidden {
			v.Shown++
		}
		v.Cases[i] = hc
	}
	// Inline transcripts by importance until the budget is spent.
	for _, o := range []Outcome{Fail, Error, XPass, Warn, XFail, Skip, Pass} {
		for i := range v.Cases {
			hc := &v.Cases[i]
			if hc.Outcome != o || len(hc.Case.Transcripts) == 0 {
				continue
			}
			if o == Pass {
				// Passing cases carry transcripts only when the runner
				// kept them; the report shows them on request.
				hc.Detail = true
			}
			for _, t := range hc.Case.Transcripts {
				var b strings.Builder
				for n, e := range t.Entries {
					b.WriteString(TranscriptLine(n+1, e))
					b.WriteByte('\n')
				}
				text := preText(b.String())
				size := len(text) + len(t.Connection) + transcriptOverhead
				if size > budget {
					hc.Omitted++
					v.Omitted++
					continue
				}
				budget -= size
				hc.Transcripts = append(hc.Transcripts, htmlTranscript{Connection: t.Connection, Text: text, Truncated: t.Truncated})
			}
		}
	}
	return v
}

type htmlLoad struct {
	L            *Load
	All          CommandStats
	Commands     []CommandStats
	Dists        []namedHistogram
	Charts       []htmlChart
	LatencyChart []htmlChart
	Violations   []htmlViolation
	Errors       []htmlError
	Devices      int
	Unit         string
}

type htmlChart struct {
	Title string
	SVG   template.HTML
}

type htmlViolation struct {
	*Violation
	Transcripts []htmlTranscript
}

type htmlError struct {
	*ErrorSample
	Transcripts []htmlTranscript
}

// Name, Count and the percentiles of a distribution, for the template.
func (n namedHistogram) Name() string  { return n.name }
func (n namedHistogram) H() *Histogram { return n.h }
func (c htmlChart) ID() string {
	return "chart-" + strings.ReplaceAll(strings.ToLower(c.Title), " ", "-")
}
func (v htmlLoad) ShardText() string       { return shardText(v.L) }
func (v htmlLoad) AchievedPercent() string { return achievedPercent(v.L.Schedule) }

func shardText(l *Load) string {
	switch {
	case l.Shard != nil:
		return "shard " + l.Shard.String()
	case len(l.MergedFrom) > 0:
		var parts []string
		for _, s := range l.MergedFrom {
			parts = append(parts, s.Shard.String())
		}
		return "merged from shards " + strings.Join(parts, ", ")
	}
	return ""
}

func achievedPercent(s Schedule) string {
	if s.IntendedRate <= 0 {
		return "-"
	}
	return fmt.Sprintf("%.1f%%", 100*s.AchievedRate/s.IntendedRate)
}

func transcriptsView(ts []Transcript) []htmlTranscript {
	var out []htmlTranscript
	for _, t := range ts {
		var b strings.Builder
		for n, e := range t.Entries {
			b.WriteString(TranscriptLine(n+1, e))
			b.WriteByte('\n')
		}
		out = append(out, htmlTranscript{Connection: t.Connection, Text: preText(b.String()), Truncated: t.Truncated})
	}
	return out
}

// maxLatencyCharts bounds the per-command latency charts: the busiest
// commands get one each. maxThroughputSeries bounds the commands drawn in the
// throughput chart beside the total.
const (
	maxLatencyCharts    = 8
	maxThroughputSeries = 5
)

func loadView(r *Result) (*htmlLoad, error) {
	l := r.Load
	v := &htmlLoad{L: l, All: l.AllCommands(), Commands: l.Commands}
	for _, d := range l.Devices {
		v.Devices += d.Count
	}
	for _, p := range l.Setup {
		v.Dists = append(v.Dists, namedHistogram{"setup " + p.Name, p.Latency})
	}
	if l.SyncLag != nil {
		v.Dists = append(v.Dists, namedHistogram{"sync lag", l.SyncLag})
	}
	if l.Notification != nil {
		v.Dists = append(v.Dists, namedHistogram{"IDLE notification", l.Notification})
	}
	if l.Generator.SchedulerLag != nil {
		v.Dists = append(v.Dists, namedHistogram{"generator scheduler lag", l.Generator.SchedulerLag})
	}
	for i := range l.Violations {
		v.Violations = append(v.Violations, htmlViolation{&l.Violations[i], transcriptsView(l.Violations[i].Transcripts)})
	}
	for i := range l.Errors {
		v.Errors = append(v.Errors, htmlError{&l.Errors[i], transcriptsView(l.Errors[i].Transcripts)})
	}

	// X axis: minutes for runs longer than five minutes, else seconds.
	unit, div := "s", 1.0
	if n := len(l.Series); n > 0 && l.Series[n-1].Offset > 5*time.Minute {
		unit, div = "min", 60
	}
	v.Unit = unit
	xOf := func(iv *Interval) float64 { return (iv.Offset + l.Interval).Seconds() / div }
	perSecond := func(n int64) float64 {
		if l.Interval <= 0 {
			return 0
		}
		return float64(n) / l.Interval.Seconds()
	}
	xLabel := "time (" + unit + ")"
	add := func(title, yLabel string, ss []chartSeries) error {
		if len(l.Series) == 0 {
			return nil
		}
		svg, err := lineChart(title, xLabel, yLabel, ss)
		if err != nil {
			return err
		}
		v.Charts = append(v.Charts, htmlChart{Title: title, SVG: svg})
		return nil
	}

	var sched, exec, late chartSeries
	sched.name, exec.name, late.name = "scheduled", "executed", "late"
	var total chartSeries
	total.name = "all commands"
	perCmd := map[string]*chartSeries{}
	states := map[string]*chartSeries{}
	var stateNames []string
	for i := range l.Series {
		iv := &l.Series[i]
		x := xOf(iv)
		sched.pts = append(sched.pts, plotter.XY{X: x, Y: perSecond(iv.Scheduled)})
		exec.pts = append(exec.pts, plotter.XY{X: x, Y: perSecond(iv.Executed)})
		late.pts = append(late.pts, plotter.XY{X: x, Y: perSecond(iv.Late + iv.Skipped)})
		total.pts = append(total.pts, plotter.XY{X: x, Y: perSecond(iv.Completed())})
		for _, c := range iv.Commands {
			s := perCmd[c.Name]
			if s == nil {
				s = &chartSeries{name: c.Name}
				perCmd[c.Name] = s
			}
			s.pts = append(s.pts, plotter.XY{X: x, Y: perSecond(c.Latency.Count())})
		}
		for st := range iv.Connections {
			if states[st] == nil {
				states[st] = &chartSeries{name: st}
				stateNames = append(stateNames, st)
			}
		}
	}
	slices.Sort(stateNames)
	for i := range l.Series {
		iv := &l.Series[i]
		for _, st := range stateNames {
			states[st].pts = append(states[st].pts, plotter.XY{X: xOf(iv), Y: float64(iv.Connections[st])})
		}
	}
	if err := add("Intended vs achieved load", "ticks/s", []chartSeries{sched, exec, late}); err != nil {
		return nil, err
	}
	throughput := []chartSeries{total}
	// The busiest commands only: a legend of twenty hides the chart.
	for _, c := range busiestCommands(l, maxThroughputSeries) {
		if s := perCmd[c]; s != nil {
			throughput = append(throughput, *s)
		}
	}
	if err := add("Throughput", "commands/s", throughput); err != nil {
		return nil, err
	}
	var conns []chartSeries
	for _, st := range stateNames {
		conns = append(conns, *states[st])
	}
	if err := add("Connections by state", "connections", conns); err != nil {
		return nil, err
	}

	// Latency percentiles per command over time.
	for _, name := range busiestCommands(l, maxLatencyCharts) {
		var p50, p90, p99, top chartSeries
		p50.name, p90.name, p99.name, top.name = "p50", "p90", "p99", "max"
		for i := range l.Series {
			iv := &l.Series[i]
			for _, c := range iv.Commands {
				if c.Name != name || c.Latency == nil || c.Latency.Count() == 0 {
					continue
				}
				x := xOf(iv)
				p50.pts = append(p50.pts, plotter.XY{X: x, Y: ms(c.Latency.Percentile(50))})
				p90.pts = append(p90.pts, plotter.XY{X: x, Y: ms(c.Latency.Percentile(90))})
				p99.pts = append(p99.pts, plotter.XY{X: x, Y: ms(c.Latency.Percentile(99))})
				top.pts = append(top.pts, plotter.XY{X: x, Y: ms(c.Latency.Max())})
			}
		}
		if len(p50.pts) == 0 {
			continue
		}
		svg, err := lineChart(name+" latency", xLabel, "latency (ms)", []chartSeries{p50, p90, p99, top})
		if err != nil {
			return nil, err
		}
		v.LatencyChart = append(v.LatencyChart, htmlChart{Title: name + " latency", SVG: svg})
	}

	var lagDists []namedHistogram
	if l.SyncLag != nil {
		lagDists = append(lagDists, namedHistogram{"sync lag", l.SyncLag})
	}
	if l.Notification != nil {
		lagDists = append(lagDists, namedHistogram{"IDLE notification", l.Notification})
	}
	if len(lagDists) > 0 {
		svg, err := distributionChart("Sync lag and IDLE notification latency by percentile", lagDists)
		if err != nil {
			return nil, err
		}
		v.Charts = append(v.Charts, htmlChart{Title: "Sync lag and notification latency", SVG: svg})
	}
	var cmdDists []namedHistogram
	for _, name := range busiestCommands(l, maxLatencyCharts) {
		if c := l.Command(name); c != nil {
			cmdDists = append(cmdDists, namedHistogram{name, c.Latency})
		}
	}
	if len(cmdDists) > 0 {
		svg, err := distributionChart("Command latency by percentile (whole run)", cmdDists)
		if err != nil {
			return nil, err
		}
		v.Charts = append(v.Charts, htmlChart{Title: "Command latency by percentile", SVG: svg})
	}
	return v, nil
}

// busiestCommands names up to n commands, most issued first.
func busiestCommands(l *Load, n int) []string {
	cs := slices.Clone(l.Commands)
	slices.SortStableFunc(cs, func(a, b CommandStats) int {
		switch ta, tb := a.Total(), b.Total(); {
		case ta > tb:
			return -1
		case ta < tb:
			return 1
		}
		return strings.Compare(a.Name, b.Name)
	})
	var out []string
	for i := 0; i < len(cs) && i < n; i++ {
		out = append(out, cs[i].Name)
	}
	return out
}
