package reports

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"text/tabwriter"
	"time"
)

// DiffOptions sets what counts as a regression in Compare. The zero value
// uses the defaults documented on each field.
type DiffOptions struct {
	// LatencyTolerance is the relative latency increase tolerated before a
	// percentile counts as regressed: 0.10 tolerates 10%. Default 0.10.
	LatencyTolerance float64
	// MinLatencyChange is the absolute increase below which a latency
	// change is noise whatever its relative size. Default 1ms.
	MinLatencyChange time.Duration
	// ThroughputTolerance is the relative throughput (and achieved rate)
	// decrease tolerated: 0.05 tolerates 5%. Default 0.05.
	ThroughputTolerance float64
	// ErrorRateTolerance is the absolute increase of the command error
	// share tolerated: 0.001 tolerates 0.1 percentage points. Default 0.001.
	ErrorRateTolerance float64
	// Percentiles are compared for every command and distribution.
	// Default 50, 90, 99.
	Percentiles []float64
	// Confidence is the confidence level of the test that a percentile
	// really moved: a percentile regresses only when the confidence
	// intervals of the two runs' percentiles do not overlap, so that a
	// percentile resting on a handful of samples cannot regress by chance.
	// Default 0.99.
	Confidence float64
	// Strict counts WARN and XPASS as failing when comparing conformance
	// outcomes.
	Strict bool
}

func (o DiffOptions) withDefaults() DiffOptions {
	if o.LatencyTolerance <= 0 {
		o.LatencyTolerance = 0.10
	}
	if o.MinLatencyChange <= 0 {
		o.MinLatencyChange = time.Millisecond
	}
	if o.ThroughputTolerance <= 0 {
		o.ThroughputTolerance = 0.05
	}
	if o.ErrorRateTolerance <= 0 {
		o.ErrorRateTolerance = 0.001
	}
	if len(o.Percentiles) == 0 {
		o.Percentiles = []float64{50, 90, 99}
	}
	if o.Confidence <= 0 || o.Confidence >= 1 {
		o.Confidence = 0.99
	}
	return o
}

// Diff is the comparison of a result (New) with a baseline (Base).
type Diff struct {
	Kind       Kind     `json:"kind"`
	Base       RunRef   `json:"base"`
	New        RunRef   `json:"new"`
	Regressed  bool     `json:"regressed"`
	Regression []string `json:"regressions,omitempty"`

	// Conformance: cases whose outcome changed, by kind of change.
	NewlyFailing []CaseChange `json:"newly_failing,omitempty"`
	NewlyPassing []CaseChange `json:"newly_passing,omitempty"`
	Changed      []CaseChange `json:"changed,omitempty"`
	// Added and Removed are cases present in only one of the results.
	Added   []CaseChange `json:"added,omitempty"`
	Removed []CaseChange `json:"removed,omitempty"`

	// Load: every compared metric, regressed or not.
	Metrics []MetricChange `json:"metrics,omitempty"`
}

// RunRef identifies one of the compared results.
type RunRef struct {
	Target  string    `json:"target"`
	Started time.Time `json:"started"`
	Verdict Verdict   `json:"verdict"`
}

// CaseChange is one case whose outcome differs between the results.
type CaseChange struct {
	ID      string  `json:"id"`
	Section string  `json:"section"`
	Title   string  `json:"title,omitempty"`
	Base    Outcome `json:"base,omitempty"`
	New     Outcome `json:"new,omitempty"`
	// Actual and Message are from the new result.
	Actual  string `json:"actual,omitempty"`
	Message string `json:"message,omitempty"`
}

// MetricChange compares one metric of two load results.
type MetricChange struct {
	// Metric is named in the threshold language: p99(FETCH), sync_lag_p95,
	// throughput, errors, violations, threshold p99(fetch)<50ms.
	Metric string  `json:"metric"`
	Unit   string  `json:"unit"`
	Base   float64 `json:"base"`
	New    float64 `json:"new"`
	// Change is (New - Base) / Base, or 0 when Base is 0.
	Change      float64 `json:"change"`
	Regressed   bool    `json:"regressed"`
	Improved    bool    `json:"improved"`
	Explanation string  `json:"explanation,omitempty"`
}

// Compare compares newer with base. Conformance: a case is newly failing when
// its outcome fails the run now (FAIL, ERROR; WARN and XPASS when strict) and
// did not in base; newly passing the other way round. Load: latency
// percentiles of every command and of sync lag and IDLE notification, the
// throughput, achieved rate, error share, correctness violations and the
// thresholds, each judged against the tolerances. Regressed is set when
// anything got worse beyond them.
func Compare(base, newer *Result, opts DiffOptions) (*Diff, error) {
	if base.Kind != newer.Kind {
		return nil, fmt.Errorf("cannot compare a %s result with a %s result", base.Kind, newer.Kind)
	}
	opts = opts.withDefaults()
	d := &Diff{
		Kind: base.Kind,
		Base: RunRef{Target: base.Target.URL, Started: base.Started, Verdict: base.Verdict},
		New:  RunRef{Target: newer.Target.URL, Started: newer.Started, Verdict: newer.Verdict},
	}
	switch base.Kind {
	case KindConformance:
		d.compareConformance(base.Conformance, newer.Conformance, opts)
	case KindLoad:
		d.compareLoad(base, newer, opts)
	default:
		return nil, fmt.Errorf("cannot compare results of kind %q", base.Kind)
	}
	d.Regressed = len(d.Regression) > 0
	return d, nil
}

func (d *Diff) compareConformance(base, newer *Conformance, opts DiffOptions) {
	strict := opts.Strict
	old := map[string]*Case{}
	for i := range base.Cases {
		old[base.Cases[i].ID] = &base.Cases[i]
	}
	seen := map[string]bool{}
	for i := range newer.Cases {
		n := &newer.Cases[i]
		seen[n.ID] = true
		ch := CaseChange{ID: n.ID, Section: n.Section, Title: n.Title, New: n.Outcome, Actual: n.Actual, Message: n.Message}
		b, ok := old[n.ID]
		if !ok {
			d.Added = append(d.Added, ch)
			continue
		}
		if b.Outcome == n.Outcome {
			continue
		}
		ch.Base = b.Outcome
		switch bf, nf := b.Outcome.Failing(strict), n.Outcome.Failing(strict); {
		case nf && !bf:
			d.NewlyFailing = append(d.NewlyFailing, ch)
		case bf && !nf && (n.Outcome == Pass || n.Outcome == XPass):
			d.NewlyPassing = append(d.NewlyPassing, ch)
		default:
			d.Changed = append(d.Changed, ch)
		}
	}
	for i := range base.Cases {
		b := &base.Cases[i]
		if !seen[b.ID] {
			d.Removed = append(d.Removed, CaseChange{ID: b.ID, Section: b.Section, Title: b.Title, Base: b.Outcome})
		}
	}
	for _, c := range d.NewlyFailing {
		d.Regression = append(d.Regression, fmt.Sprintf("%s: %s -> %s", c.ID, c.Base, c.New))
	}
}

func (d *Diff) compareLoad(base, newer *Result, opts DiffOptions) {
	bl, nl := base.Load, newer.Load
	z := math.Sqrt2 * math.Erfinv(opts.Confidence)
	addLatency := func(metric string, bh, nh *Histogram) {
		if bh == nil || nh == nil || bh.Count() == 0 || nh.Count() == 0 {
			return
		}
		for _, p := range opts.Percentiles {
			bv, nv := bh.Percentile(p), nh.Percentile(p)
			m := MetricChange{Metric: fmt.Sprintf("%s_p%s", metric, trimFloat(p)), Unit: unitNS, Base: float64(bv), New: float64(nv)}
			m.Change = relChange(m.Base, m.New)
			grew, shrank := nv-bv, bv-nv
			bLo, bHi := percentileInterval(bh, p, z)
			nLo, nHi := percentileInterval(nh, p, z)
			switch {
			case grew >= opts.MinLatencyChange && m.Change > opts.LatencyTolerance && nLo > bHi:
				m.Regressed = true
				m.Explanation = fmt.Sprintf("%s -> %s (+%.0f%%, tolerance %.0f%%; %.0f%% intervals %s..%s and %s..%s)",
					FormatDuration(bv), FormatDuration(nv), 100*m.Change, 100*opts.LatencyTolerance, 100*opts.Confidence,
					formatBound(bLo), formatBound(bHi), formatBound(nLo), formatBound(nHi))
			case shrank >= opts.MinLatencyChange && -m.Change > opts.LatencyTolerance && bLo > nHi:
				m.Improved = true
			}
			d.Metrics = append(d.Metrics, m)
		}
	}
	for _, bc := range bl.Commands {
		nc := nl.Command(bc.Name)
		if nc == nil {
			continue
		}
		addLatency(normalizeName(bc.Name), bc.Latency, nc.Latency)
	}
	addLatency("sync_lag", bl.SyncLag, nl.SyncLag)
	addLatency("notification", bl.Notification, nl.Notification)

	// Throughput and achieved rate: lower is worse.
	addRate := func(metric, unit string, bv, nv float64, ok bool) {
		if !ok || bv <= 0 {
			return
		}
		m := MetricChange{Metric: metric, Unit: unit, Base: bv, New: nv, Change: relChange(bv, nv)}
		switch {
		case -m.Change > opts.ThroughputTolerance:
			m.Regressed = true
			m.Explanation = fmt.Sprintf("%s -> %s (%.0f%%, tolerance -%.0f%%)", FormatObserved(bv, unit), FormatObserved(nv, unit), 100*m.Change, 100*opts.ThroughputTolerance)
		case m.Change > opts.ThroughputTolerance:
			m.Improved = true
		}
		d.Metrics = append(d.Metrics, m)
	}
	bt, errB := (metric{kind: "throughput"}).value(bl)
	nt, errN := (metric{kind: "throughput"}).value(nl)
	addRate("throughput", unitPerSecond, bt, nt, errB == nil && errN == nil)
	ba, errB := (metric{kind: "achieved"}).value(bl)
	na, errN := (metric{kind: "achieved"}).value(nl)
	addRate("achieved", unitRatio, ba, na, errB == nil && errN == nil)

	// Error share: higher is worse, compared in absolute terms.
	be, errB := (metric{kind: "share", stat: "errors"}).value(bl)
	ne, errN := (metric{kind: "share", stat: "errors"}).value(nl)
	if errB == nil && errN == nil {
		m := MetricChange{Metric: "errors", Unit: unitRatio, Base: be, New: ne, Change: relChange(be, ne)}
		switch {
		case ne-be > opts.ErrorRateTolerance:
			m.Regressed = true
			m.Explanation = fmt.Sprintf("%s -> %s of commands", FormatObserved(be, unitRatio), FormatObserved(ne, unitRatio))
		case be-ne > opts.ErrorRateTolerance:
			m.Improved = true
		}
		d.Metrics = append(d.Metrics, m)
	}

	// Correctness: any new violation is a regression.
	v := MetricChange{Metric: "violations", Unit: unitCount, Base: float64(bl.ViolationCount), New: float64(nl.ViolationCount),
		Change: relChange(float64(bl.ViolationCount), float64(nl.ViolationCount))}
	if nl.ViolationCount > bl.ViolationCount {
		v.Regressed = true
		v.Explanation = fmt.Sprintf("%d -> %d correctness violations", bl.ViolationCount, nl.ViolationCount)
	} else if nl.ViolationCount < bl.ViolationCount {
		v.Improved = true
	}
	d.Metrics = append(d.Metrics, v)

	// Thresholds that passed before and fail now.
	for _, nt := range nl.Thresholds {
		i := slices.IndexFunc(bl.Thresholds, func(t Threshold) bool { return t.Expression == nt.Expression })
		if i < 0 {
			continue
		}
		bt := bl.Thresholds[i]
		m := MetricChange{Metric: "threshold " + nt.Expression, Unit: nt.Unit, Base: bt.Observed, New: nt.Observed,
			Change: relChange(bt.Observed, nt.Observed)}
		switch {
		case bt.Passed && !nt.Passed:
			m.Regressed = true
			m.Explanation = "passed, now fails: " + observedOrError(nt)
		case !bt.Passed && nt.Passed:
			m.Improved = true
		}
		d.Metrics = append(d.Metrics, m)
	}
	if newer.Load.Generator.Overloaded && !base.Load.Generator.Overloaded {
		d.Metrics = append(d.Metrics, MetricChange{Metric: "generator", Unit: unitCount, Base: 0, New: 1, Regressed: true,
			Explanation: "the new run is invalid: the load generator was overloaded"})
	}
	for _, m := range d.Metrics {
		if m.Regressed {
			d.Regression = append(d.Regression, m.Metric+": "+m.Explanation)
		}
	}
}

// percentileInterval returns a distribution-free confidence interval for
// percentile p of the population h samples: the values at the order
// statistics n*q -/+ z*sqrt(n*q*(1-q)) (the normal approximation of the
// binomial count of samples below the percentile). Few samples give a wide
// interval; one that reaches past the samples is open on that side (0 or
// unbounded): five samples say nothing about an upper bound of the p99.
func percentileInterval(h *Histogram, p, z float64) (lo, hi time.Duration) {
	n := float64(h.Count())
	q := p / 100
	sd := z * math.Sqrt(n*q*(1-q))
	loRank, hiRank := math.Floor(n*q-sd), math.Ceil(n*q+sd)
	lo, hi = 0, time.Duration(math.MaxInt64)
	if loRank >= 1 {
		lo = h.Percentile(100 * loRank / n)
	}
	if hiRank <= n {
		hi = h.Percentile(100 * hiRank / n)
	}
	return lo, hi
}

// formatBound formats an interval bound, "∞" for an open upper bound.
func formatBound(d time.Duration) string {
	if d == time.Duration(math.MaxInt64) {
		return "∞"
	}
	return FormatDuration(d)
}

func relChange(base, newer float64) float64 {
	if base == 0 {
		return 0
	}
	return (newer - base) / base
}

func trimFloat(f float64) string {
	return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.3f", f), "0"), ".")
}

// WriteDiffText writes the comparison for people: the regressions first,
// then what improved and what else changed.
func WriteDiffText(w io.Writer, d *Diff) error {
	var b strings.Builder
	status := "no regression"
	if d.Regressed {
		status = fmt.Sprintf("REGRESSED (%d)", len(d.Regression))
	}
	fmt.Fprintf(&b, "imapgauge %s diff: %s\n", d.Kind, status)
	fmt.Fprintf(&b, "base %s (%s, %s)\nnew  %s (%s, %s)\n", d.Base.Target, d.Base.Started.UTC().Format(time.RFC3339), d.Base.Verdict.Status,
		d.New.Target, d.New.Started.UTC().Format(time.RFC3339), d.New.Verdict.Status)
	caseList := func(title string, cs []CaseChange, details bool) {
		if len(cs) == 0 {
			return
		}
		fmt.Fprintf(&b, "\n%s (%d)\n", title, len(cs))
		for _, c := range cs {
			from := string(c.Base)
			if from == "" {
				from = "(absent)"
			}
			to := string(c.New)
			if to == "" {
				to = "(absent)"
			}
			fmt.Fprintf(&b, "  %-6s -> %-6s %s\n", from, to, c.ID)
			if details {
				if msg := firstNonEmpty(c.Message, c.Actual); msg != "" {
					fmt.Fprintf(&b, "                   %s\n", firstLine(msg))
				}
			}
		}
	}
	caseList("Newly failing", d.NewlyFailing, true)
	caseList("Newly passing", d.NewlyPassing, false)
	caseList("Other outcome changes", d.Changed, false)
	caseList("Cases only in the new result", d.Added, false)
	caseList("Cases only in the base result", d.Removed, false)
	if len(d.Metrics) > 0 {
		b.WriteString("\n")
		tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "metric\tbase\tnew\tchange\t")
		for _, m := range d.Metrics {
			mark := ""
			switch {
			case m.Regressed:
				mark = "REGRESSED"
			case m.Improved:
				mark = "improved"
			}
			change := "-"
			if m.Base != 0 {
				change = fmt.Sprintf("%+.1f%%", 100*m.Change)
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", m.Metric, FormatObserved(m.Base, m.Unit), FormatObserved(m.New, m.Unit), change, mark)
		}
		tw.Flush()
	}
	if d.Regressed {
		b.WriteString("\nRegressions\n")
		for _, r := range d.Regression {
			fmt.Fprintf(&b, "  %s\n", r)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteDiffJSON writes the comparison as indented JSON.
func WriteDiffJSON(w io.Writer, d *Diff) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(d)
}

// WriteDiffMarkdown writes the comparison for a CI job summary or a merge
// request note: the verdict, the regressions, then what improved.
func WriteDiffMarkdown(w io.Writer, d *Diff) error {
	var b strings.Builder
	if d.Regressed {
		fmt.Fprintf(&b, "## ❌ imapgauge %s diff: %d %s\n\n", d.Kind, len(d.Regression), plural(len(d.Regression), "regression", "regressions"))
	} else {
		fmt.Fprintf(&b, "## ✅ imapgauge %s diff: no regression\n\n", d.Kind)
	}
	fmt.Fprintf(&b, "Base `%s` (%s) → new `%s` (%s).\n", mdCode(d.Base.Target), d.Base.Verdict.Status, mdCode(d.New.Target), d.New.Verdict.Status)
	cases := func(title string, cs []CaseChange) {
		if len(cs) == 0 {
			return
		}
		fmt.Fprintf(&b, "\n### %s (%d)\n\n| case | base | new | actual |\n| --- | --- | --- | --- |\n", title, len(cs))
		for i, c := range cs {
			if i == 20 {
				fmt.Fprintf(&b, "\n… and %d more.\n", len(cs)-i)
				break
			}
			fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", mdCode(c.ID), c.Base, c.New, mdCell(firstNonEmpty(c.Message, c.Actual), 100))
		}
	}
	cases("Newly failing", d.NewlyFailing)
	cases("Newly passing", d.NewlyPassing)
	var changed []MetricChange
	for _, m := range d.Metrics {
		if m.Regressed || m.Improved {
			changed = append(changed, m)
		}
	}
	if len(changed) > 0 {
		b.WriteString("\n| metric | base | new | change | |\n| --- | ---: | ---: | ---: | --- |\n")
		for _, m := range changed {
			mark := "improved"
			if m.Regressed {
				mark = "❌ regressed"
			}
			change := "-"
			if m.Base != 0 {
				change = fmt.Sprintf("%+.1f%%", 100*m.Change)
			}
			fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s |\n", mdCode(m.Metric), FormatObserved(m.Base, m.Unit), FormatObserved(m.New, m.Unit), change, mark)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}
