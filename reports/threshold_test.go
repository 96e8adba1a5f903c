package reports_test

import (
	"strings"
	"testing"
	"time"

	"github.com/imapgauge/imapgauge/reports"
	"github.com/imapgauge/imapgauge/reports/reportstest"
)

func TestThresholdEvaluation(t *testing.T) {
	l := reportstest.Load().Load
	fetch := l.Command("FETCH").Latency
	all := l.AllCommands()
	for _, tc := range []struct {
		expr     string
		observed float64
		passed   bool
	}{
		{"p99(fetch)<50ms", float64(fetch.Percentile(99)), false},
		{"p99(FETCH) < 1s", float64(fetch.Percentile(99)), true},
		{"fetch_p99<1s", float64(fetch.Percentile(99)), true},
		{"p99.9<10s", float64(all.Latency.Percentile(99.9)), true},
		{"med(select)>=1us", float64(l.Command("SELECT").Latency.Percentile(50)), true},
		{"max(uid_store)<=1h", float64(l.Command("UID STORE").Latency.Max()), true},
		{"max(UID-STORE)<=1h", float64(l.Command("UID STORE").Latency.Max()), true},
		{"sync_lag_p95<2s", float64(l.SyncLag.Percentile(95)), true},
		{"notification_p99<10ms", float64(l.Notification.Percentile(99)), false},
		{"setup_tls_p99<100ms", float64(l.Phase("tls").Latency.Percentile(99)), true},
		{"errors<0.1%", 3.0 / 4500, true},
		{"errors<0.0001", 3.0 / 4500, false},
		{"errors(uid store)<1%", 3.0 / 900, true},
		{"timeouts(uid_store)==0", 1.0 / 900, false},
		{"violations==0", 3, false},
		{"violations<=3", 3, true},
		{"late<1%", 12.0 / 4500, true},
		{"skipped!=0", 0, false},
		{"achieved>=99%", 74.8 / 75, true},
		{"throughput>70/s", 4500.0 / 60, true},
		{"count(fetch)>2999", 3000, true},
		{"p99(list)<1s", 0, false}, // no LIST commands: fails with a reason
	} {
		e, err := reports.ParseThreshold(tc.expr)
		if err != nil {
			t.Errorf("%s: %v", tc.expr, err)
			continue
		}
		got := e.Evaluate(l)
		if got.Passed != tc.passed || (got.Error == "" && diff(got.Observed, tc.observed) > 1e-9) {
			t.Errorf("%s: %+v, want observed %v passed %v", tc.expr, got, tc.observed, tc.passed)
		}
		if tc.expr == "p99(list)<1s" && !strings.Contains(got.Error, "no LIST") {
			t.Errorf("%s: error %q", tc.expr, got.Error)
		}
	}
}

func diff(a, b float64) float64 {
	if a > b {
		return (a - b) / max(b, 1)
	}
	return (b - a) / max(a, 1)
}

func TestThresholdParseErrors(t *testing.T) {
	for expr, want := range map[string]string{
		"p99(fetch)":          "no comparison",
		"<50ms":               "no metric",
		"p99(fetch)<":         "no value",
		"p99(fetch)<50":       "needs a unit",
		"p99(fetch)<fast":     "needs a unit",
		"p101(fetch)<1s":      "unknown function",
		"p99(fetch<1s":        "missing ')'",
		"p99()<1s":            "empty name",
		"latency<1s":          "unknown metric",
		"errors<lots":         "not a number",
		"frobs(fetch)<1":      "unknown function",
		"throughput>0x10":     "not a number",
		"p99(fetch)<NaNms":    "not a number",
		"errors(fetch)<1e400": "not a number",
	} {
		_, err := reports.ParseThreshold(expr)
		if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), expr) {
			t.Errorf("%q: err = %v, want one naming the expression and %q", expr, err, want)
		}
	}
	if _, err := reports.NewThresholds([]string{"p99<1s", "bogus"}); err == nil {
		t.Error("NewThresholds accepted an invalid expression")
	}
	th, err := reports.NewThresholds([]string{" p99(fetch) < 50ms ", "errors<1%"})
	if err != nil || len(th) != 2 || th[0].Expression != "p99(fetch) < 50ms" || th[0].Unit != "ns" || th[1].Unit != "ratio" {
		t.Fatalf("NewThresholds = %+v, %v", th, err)
	}
}

func TestFormatDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		0: "0", 850 * time.Nanosecond: "850ns", 850 * time.Microsecond: "850µs", 12340 * time.Microsecond: "12.3ms",
		1200 * time.Millisecond: "1.20s", 125 * time.Second: "2m05s", 3*time.Hour + 4*time.Minute: "3h04m", -2 * time.Second: "-2.00s",
	} {
		if got := reports.FormatDuration(d); got != want {
			t.Errorf("FormatDuration(%v) = %q, want %q", d, got, want)
		}
	}
}
