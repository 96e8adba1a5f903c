package reports_test

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/imapgauge/imapgauge/reports"
	"github.com/imapgauge/imapgauge/reports/reportstest"
)

func regressions(d *reports.Diff) []string {
	var out []string
	for _, r := range d.Regression {
		name, _, _ := strings.Cut(r, ": ")
		out = append(out, name)
	}
	slices.Sort(out)
	return out
}

// A copy of a conformance result with regressions injected: the diff flags
// exactly the injected regressions, and sorts the other changes apart.
func TestDiffConformanceFlagsExactlyTheRegressions(t *testing.T) {
	base := reportstest.SyntheticConformance(200)
	newer := roundTrip(t, base)
	cases := newer.Conformance.Cases
	set := func(i int, o reports.Outcome) string {
		cases[i].Outcome = o
		return cases[i].ID
	}
	// Indices by the synthetic pattern: i%10 in 0..5 PASS, 6 SKIP, 7 WARN,
	// 8 XFAIL, 9 FAIL; i%97 == 0 ERROR.
	wantFailing := []string{set(1, reports.Fail), set(12, reports.Error), set(28, reports.Fail)}
	warned := set(31, reports.Warn) // PASS -> WARN fails only in strict mode
	passing := []string{set(9, reports.Pass), set(19, reports.XPass)}
	changed := set(16, reports.Pass) // SKIP -> PASS
	added := reports.Case{ID: "rfc3501/6.4.9/new-case", Section: "6.4.9", Outcome: reports.Fail}
	newer.Conformance.Cases = append(cases[:len(cases)-1], added) // drop the last case, add one
	removed := base.Conformance.Cases[len(base.Conformance.Cases)-1].ID
	newer.Judge(false)

	d, err := reports.Compare(base, newer, reports.DiffOptions{})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(wantFailing)
	if got := regressions(d); !slices.Equal(got, wantFailing) || !d.Regressed {
		t.Fatalf("regressions %v, want %v", got, wantFailing)
	}
	var gotPassing []string
	for _, c := range d.NewlyPassing {
		gotPassing = append(gotPassing, c.ID)
	}
	if !slices.Equal(gotPassing, passing) {
		t.Errorf("newly passing %v, want %v", gotPassing, passing)
	}
	var gotChanged []string
	for _, c := range d.Changed {
		gotChanged = append(gotChanged, c.ID)
	}
	if !slices.Equal(gotChanged, []string{changed, warned}) {
		t.Errorf("other changes %v, want %v", gotChanged, []string{changed, warned})
	}
	if len(d.Added) != 1 || d.Added[0].ID != added.ID || len(d.Removed) != 1 || d.Removed[0].ID != removed {
		t.Errorf("added %v removed %v", d.Added, d.Removed)
	}

	strict, err := reports.Compare(base, newer, reports.DiffOptions{Strict: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := regressions(strict); !slices.Contains(got, warned) {
		t.Errorf("strict: a new WARN is a regression; got %v", got)
	}

	same, err := reports.Compare(base, roundTrip(t, base), reports.DiffOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if same.Regressed || len(same.NewlyPassing)+len(same.Changed)+len(same.Added)+len(same.Removed) != 0 {
		t.Fatalf("identical results differ: %+v", same)
	}

	var text bytes.Buffer
	if err := reports.WriteDiffText(&text, d); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"REGRESSED (3)", "Newly failing (3)", "PASS   -> FAIL   " + wantFailing[0], "Newly passing (2)"} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("diff text lacks %q:\n%s", want, text.String())
		}
	}
}

func loadUsers() []int {
	var u []int
	for i := 20; i < 80; i++ {
		u = append(u, i)
	}
	return u
}

// Load results of a normal, a slowed and a broken target: the diff flags
// exactly the injected regressions and nothing on a rerun of the same
// target.
func TestDiffLoadFlagsExactlyTheRegressions(t *testing.T) {
	base := simulate(loadUsers(), nil)
	for name, tc := range map[string]struct {
		tweaks runTweaks
		want   []string
	}{
		"same target": {runTweaks{}, nil},
		"slowed FETCH": {runTweaks{fetchSlowdown: 1.6},
			[]string{"fetch_p50", "fetch_p90", "fetch_p99", "threshold p99(fetch)<20ms"}},
		"broken target": {runTweaks{noPercent: 5, violations: 2},
			[]string{"errors", "threshold errors<2%", "threshold violations==0", "violations"}},
		"overloaded generator": {runTweaks{lostPercent: 30},
			[]string{"achieved", "throughput"}},
	} {
		t.Run(name, func(t *testing.T) {
			newer := simulateWith(loadUsers(), nil, tc.tweaks)
			newer.Judge(false)
			d, err := reports.Compare(roundTrip(t, base), roundTrip(t, newer), reports.DiffOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if got := regressions(d); !slices.Equal(got, tc.want) {
				t.Fatalf("regressions %v, want %v\n%s", got, tc.want, diffText(t, d))
			}
		})
	}
}

func diffText(t *testing.T, d *reports.Diff) string {
	var b bytes.Buffer
	if err := reports.WriteDiffText(&b, d); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestDiffRejectsDifferentKinds(t *testing.T) {
	if _, err := reports.Compare(reportstest.Conformance(), reportstest.Load(), reports.DiffOptions{}); err == nil {
		t.Fatal("compared a conformance result with a load result")
	}
}

// A percentile resting on a handful of samples cannot regress by chance:
// the same slowdown is flagged with enough samples and not with five.
func TestDiffLatencyNeedsEnoughSamples(t *testing.T) {
	mk := func(n int, slow time.Duration) *reports.Result {
		r := reports.NewLoad("devel", "imap://127.0.0.1:1")
		h := reports.NewLatencyHistogram()
		for i := range n {
			h.Record(time.Duration(1+i%10)*time.Millisecond + slow)
		}
		r.Load.Commands = []reports.CommandStats{{Name: "FETCH", Latency: h, OK: int64(n)}}
		r.Judge(false)
		return r
	}
	few, err := reports.Compare(mk(5, 0), mk(5, 5*time.Millisecond), reports.DiffOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range few.Metrics {
		if m.Regressed && m.Metric == "fetch_p99" {
			t.Errorf("p99 of 5 samples flagged: %+v", m)
		}
	}
	many, err := reports.Compare(mk(5000, 0), mk(5000, 5*time.Millisecond), reports.DiffOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got := regressions(many); !slices.Equal(got, []string{"fetch_p50", "fetch_p90", "fetch_p99"}) {
		t.Errorf("5000 samples: regressions %v", got)
	}
}
