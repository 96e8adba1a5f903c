package reports

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Threshold is one pass/fail criterion of a load run and its result. The
// expression is kept so that merged shard results are re-checked against the
// merged figures.
//
// The expression language (ParseThreshold) is "METRIC OP VALUE":
//
//	p99(fetch)<50ms        99th percentile of FETCH latency under 50 ms
//	p99.9<200ms            over all commands
//	max(uid_fetch)<=1s     UID FETCH; "uid fetch" and "UID-FETCH" work too
//	sync_lag_p95<2s        NAME_STAT is STAT(NAME)
//	notification_p99<1s    IDLE notification latency
//	setup_auth_p99<100ms   one session setup phase (tcp, tls, greeting, auth, select)
//	errors<0.1%            share of commands not ending in OK (NO, BAD, timeout, broken)
//	errors(append)<1%      the same for one command; also timeouts, bad, no
//	violations==0          correctness violations
//	late<1%                share of scheduled ticks that started late; also skipped
//	achieved>=95%          achieved tick rate over intended tick rate
//	throughput>500/s       commands completed per second
//	count(fetch)>1000      commands issued
//
// STAT is pN (any percentile, p50, p99.9), min, max, mean (or avg) or med
// (p50). OP is <, <=, >, >=, == or !=. Durations take a unit (ns, us, µs, ms,
// s, m, h); shares take % or a plain fraction; counts and rates are plain
// numbers ("/s" may follow a rate).
type Threshold struct {
	Expression string `json:"expression"`
	Passed     bool   `json:"passed"`
	// Observed is the metric's value, in Unit: "ns" for durations, "ratio"
	// for shares (0 to 1), "count", or "per_second".
	Observed float64 `json:"observed"`
	Unit     string  `json:"unit,omitempty"`
	// Error says why the threshold could not be evaluated (no samples for
	// the command, an invalid expression); such a threshold fails.
	Error string `json:"error,omitempty"`
}

// Describe formats the threshold and its result for people:
// "p99(fetch)<50ms: 72.3ms".
func (t Threshold) Describe() string {
	if t.Error != "" {
		return t.Expression + ": " + t.Error
	}
	return t.Expression + ": " + FormatObserved(t.Observed, t.Unit)
}

// FormatObserved formats a metric value in its unit for people.
func FormatObserved(v float64, unit string) string {
	switch unit {
	case unitNS:
		return FormatDuration(time.Duration(v))
	case unitRatio:
		return strconv.FormatFloat(v*100, 'g', 4, 64) + "%"
	case unitPerSecond:
		return strconv.FormatFloat(v, 'f', 1, 64) + "/s"
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

const (
	unitNS        = "ns"
	unitRatio     = "ratio"
	unitCount     = "count"
	unitPerSecond = "per_second"
)

// ThresholdExpr is a parsed threshold expression.
type ThresholdExpr struct {
	src    string
	metric metric
	op     string
	limit  float64
}

type metric struct {
	// kind is "latency", "share", "count", "achieved" or "throughput".
	kind string
	// stat is the histogram statistic for latency metrics (pN, min, max,
	// mean), or the counter (errors, timeouts, bad, no, late, skipped,
	// violations, count).
	stat       string
	percentile float64
	// name is the histogram or command the metric reads ("" for all
	// commands).
	name string
}

func (m metric) unit() string {
	switch m.kind {
	case "latency":
		return unitNS
	case "share", "achieved":
		return unitRatio
	case "throughput":
		return unitPerSecond
	}
	return unitCount
}

// String returns the expression as it was written.
func (e *ThresholdExpr) String() string { return e.src }

var thresholdOps = []string{"<=", ">=", "==", "!=", "<", ">"}

// ParseThreshold parses a threshold expression (see Threshold for the
// language). Errors name the part that is wrong.
func ParseThreshold(expr string) (*ThresholdExpr, error) {
	src := strings.TrimSpace(expr)
	opAt, op := -1, ""
	for i := 0; i < len(src) && opAt < 0; i++ {
		for _, o := range thresholdOps {
			if strings.HasPrefix(src[i:], o) {
				opAt, op = i, o
				break
			}
		}
	}
	if opAt < 0 {
		return nil, fmt.Errorf("threshold %q: no comparison (one of < <= > >= == !=)", expr)
	}
	left, right := strings.TrimSpace(src[:opAt]), strings.TrimSpace(src[opAt+len(op):])
	m, err := parseMetric(left)
	if err != nil {
		return nil, fmt.Errorf("threshold %q: %w", expr, err)
	}
	limit, err := parseLimit(right, m)
	if err != nil {
		return nil, fmt.Errorf("threshold %q: %w", expr, err)
	}
	return &ThresholdExpr{src: src, metric: m, op: op, limit: limit}, nil
}

// NewThresholds parses every expression and returns thresholds ready to be
// evaluated, or the first parse error: the load command calls it while
// checking its flags.
func NewThresholds(exprs []string) ([]Threshold, error) {
	out := make([]Threshold, 0, len(exprs))
	for _, e := range exprs {
		p, err := ParseThreshold(e)
		if err != nil {
			return nil, err
		}
		out = append(out, Threshold{Expression: p.String(), Unit: p.metric.unit()})
	}
	return out, nil
}

var counterShares = map[string]bool{"errors": true, "timeouts": true, "bad": true, "no": true}

func parseMetric(s string) (metric, error) {
	name := strings.ToLower(strings.TrimSpace(s))
	if name == "" {
		return metric{}, errors.New("no metric before the comparison")
	}
	// STAT(NAME) or COUNTER(NAME)
	if open := strings.IndexByte(name, '('); open >= 0 {
		if !strings.HasSuffix(name, ")") {
			return metric{}, fmt.Errorf("metric %q: missing ')'", s)
		}
		fn, arg := strings.TrimSpace(name[:open]), normalizeName(name[open+1:len(name)-1])
		if arg == "" {
			return metric{}, fmt.Errorf("metric %q: empty name in parentheses", s)
		}
		if counterShares[fn] {
			return metric{kind: "share", stat: fn, name: arg}, nil
		}
		if fn == "count" {
			return metric{kind: "count", stat: "count", name: arg}, nil
		}
		m, ok := parseStat(fn)
		if !ok {
			return metric{}, fmt.Errorf("metric %q: unknown function %q (want pN, min, max, mean, med, count, errors, timeouts, bad, no)", s, fn)
		}
		m.name = arg
		return m, nil
	}
	switch name {
	case "errors", "timeouts", "bad", "no":
		return metric{kind: "share", stat: name}, nil
	case "late", "skipped":
		return metric{kind: "share", stat: name}, nil
	case "violations":
		return metric{kind: "count", stat: "violations"}, nil
	case "achieved":
		return metric{kind: "achieved", stat: name}, nil
	case "throughput":
		return metric{kind: "throughput", stat: name}, nil
	case "count":
		return metric{kind: "count", stat: "count"}, nil
	}
	if m, ok := parseStat(name); ok {
		return m, nil
	}
	// NAME_STAT
	if i := strings.LastIndexByte(name, '_'); i > 0 {
		if m, ok := parseStat(name[i+1:]); ok {
			m.name = normalizeName(name[:i])
			return m, nil
		}
	}
	return metric{}, fmt.Errorf("unknown metric %q", s)
}

func parseStat(s string) (metric, bool) {
	switch s {
	case "min", "max", "mean":
		return metric{kind: "latency", stat: s}, true
	case "avg":
		return metric{kind: "latency", stat: "mean"}, true
	case "med":
		return metric{kind: "latency", stat: "p", percentile: 50}, true
	}
	if rest, ok := strings.CutPrefix(s, "p"); ok && rest != "" {
		p, err := strconv.ParseFloat(rest, 64)
		if err == nil && p > 0 && p <= 100 && !strings.ContainsAny(rest, "eE+-") {
			return metric{kind: "latency", stat: "p", percentile: p}, true
		}
	}
	return metric{}, false
}

// normalizeName makes command and histogram names comparable: lower case,
// runs of spaces, dashes and underscores become one underscore.
func normalizeName(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	var b strings.Builder
	sep := false
	for _, r := range s {
		if r == ' ' || r == '-' || r == '_' {
			sep = true
			continue
		}
		if sep && b.Len() > 0 {
			b.WriteByte('_')
		}
		sep = false
		b.WriteRune(r)
	}
	return b.String()
}

var durationUnits = []struct {
	suffix string
	unit   time.Duration
}{
	{"ns", time.Nanosecond}, {"us", time.Microsecond}, {"µs", time.Microsecond},
	{"ms", time.Millisecond}, {"s", time.Second}, {"m", time.Minute}, {"h", time.Hour},
}

func parseLimit(s string, m metric) (float64, error) {
	if s == "" {
		return 0, errors.New("no value after the comparison")
	}
	switch m.unit() {
	case unitNS:
		for _, u := range durationUnits {
			if num, ok := strings.CutSuffix(s, u.suffix); ok {
				// "ms" also ends in "s": two-letter units come first in
				// the list, so the longest matching unit wins.
				v, err := parseNumber(num)
				if err != nil {
					return 0, fmt.Errorf("value %q: %w", s, err)
				}
				return v * float64(u.unit), nil
			}
		}
		return 0, fmt.Errorf("value %q: a duration needs a unit (ns, us, ms, s, m, h)", s)
	case unitRatio:
		if num, ok := strings.CutSuffix(s, "%"); ok {
			v, err := parseNumber(num)
			if err != nil {
				return 0, fmt.Errorf("value %q: %w", s, err)
			}
			return v / 100, nil
		}
		v, err := parseNumber(s)
		if err != nil {
			return 0, fmt.Errorf("value %q: %w (a share is a percentage like 0.1%% or a fraction like 0.001)", s, err)
		}
		return v, nil
	case unitPerSecond:
		s = strings.TrimSuffix(s, "/s")
	}
	v, err := parseNumber(s)
	if err != nil {
		return 0, fmt.Errorf("value %q: %w", s, err)
	}
	return v, nil
}

func parseNumber(s string) (float64, error) {
	s = strings.TrimSpace(s)
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || strings.ContainsAny(s, "xXpP_") {
		return 0, errors.New("not a number")
	}
	return v, nil
}

// Evaluate computes the expression's metric over l and compares it with the
// limit.
func (e *ThresholdExpr) Evaluate(l *Load) Threshold {
	t := Threshold{Expression: e.src, Unit: e.metric.unit()}
	v, err := e.metric.value(l)
	if err != nil {
		t.Error = err.Error()
		return t
	}
	t.Observed = v
	switch e.op {
	case "<":
		t.Passed = v < e.limit
	case "<=":
		t.Passed = v <= e.limit
	case ">":
		t.Passed = v > e.limit
	case ">=":
		t.Passed = v >= e.limit
	case "==":
		t.Passed = v == e.limit
	case "!=":
		t.Passed = v != e.limit
	}
	return t
}

// EvaluateThresholds re-evaluates every threshold's expression over the
// load's current figures. An expression that no longer parses fails with its
// parse error.
func (l *Load) EvaluateThresholds() {
	for i, t := range l.Thresholds {
		e, err := ParseThreshold(t.Expression)
		if err != nil {
			l.Thresholds[i] = Threshold{Expression: t.Expression, Error: err.Error()}
			continue
		}
		l.Thresholds[i] = e.Evaluate(l)
	}
}

func (m metric) value(l *Load) (float64, error) {
	switch m.kind {
	case "latency":
		h, err := l.histogramNamed(m.name)
		if err != nil {
			return 0, err
		}
		if h.Count() == 0 {
			return 0, fmt.Errorf("no %s samples", displayName(m.name))
		}
		switch m.stat {
		case "min":
			return float64(h.Min()), nil
		case "max":
			return float64(h.Max()), nil
		case "mean":
			return float64(h.Mean()), nil
		}
		return float64(h.Percentile(m.percentile)), nil
	case "share":
		switch m.stat {
		case "late", "skipped":
			if l.Schedule.Scheduled == 0 {
				return 0, errors.New("no scheduled ticks")
			}
			n := l.Schedule.Late
			if m.stat == "skipped" {
				n = l.Schedule.Skipped
			}
			return float64(n) / float64(l.Schedule.Scheduled), nil
		}
		c, err := l.commandsNamed(m.name)
		if err != nil {
			return 0, err
		}
		if c.Total() == 0 {
			return 0, fmt.Errorf("no %s commands", displayName(m.name))
		}
		n := map[string]int64{"errors": c.Errors(), "timeouts": c.Timeout, "bad": c.BAD, "no": c.NO}[m.stat]
		return float64(n) / float64(c.Total()), nil
	case "count":
		if m.stat == "violations" {
			return float64(l.ViolationCount), nil
		}
		c, err := l.commandsNamed(m.name)
		if err != nil {
			return 0, err
		}
		return float64(c.Total()), nil
	case "achieved":
		if l.Schedule.IntendedRate <= 0 {
			return 0, errors.New("no intended rate")
		}
		return l.Schedule.AchievedRate / l.Schedule.IntendedRate, nil
	case "throughput":
		if l.Schedule.Elapsed <= 0 {
			return 0, errors.New("no elapsed time")
		}
		all := l.AllCommands()
		return float64(all.Latency.Count()) / l.Schedule.Elapsed.Seconds(), nil
	}
	return 0, fmt.Errorf("unknown metric kind %q", m.kind)
}

func displayName(name string) string {
	if name == "" {
		return "command"
	}
	return strings.ToUpper(strings.ReplaceAll(name, "_", " "))
}

// commandsNamed returns the stats of one command, or of all of them for "".
func (l *Load) commandsNamed(name string) (CommandStats, error) {
	if name == "" || name == "all" {
		return l.AllCommands(), nil
	}
	for _, c := range l.Commands {
		if normalizeName(c.Name) == name {
			if c.Latency == nil {
				c.Latency = NewLatencyHistogram()
			}
			return c, nil
		}
	}
	return CommandStats{}, fmt.Errorf("no %s commands", displayName(name))
}

// histogramNamed resolves a threshold's histogram name: "" or "all" for all
// commands, sync_lag, notification (idle_notification, notify),
// scheduler_lag, setup_PHASE, or a command name.
func (l *Load) histogramNamed(name string) (*Histogram, error) {
	var h *Histogram
	switch name {
	case "", "all":
		return l.AllCommands().Latency, nil
	case "sync_lag":
		h = l.SyncLag
	case "notification", "idle_notification", "notify":
		h = l.Notification
	case "scheduler_lag":
		h = l.Generator.SchedulerLag
	default:
		if phase, ok := strings.CutPrefix(name, "setup_"); ok {
			if p := l.Phase(phase); p != nil {
				h = p.Latency
			}
			break
		}
		c, err := l.commandsNamed(name)
		if err != nil {
			return nil, err
		}
		h = c.Latency
	}
	if h == nil {
		return nil, fmt.Errorf("no %s samples", strings.ReplaceAll(name, "_", " "))
	}
	return h, nil
}
