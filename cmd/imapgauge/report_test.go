package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/imapgauge/imapgauge/reports"
	"github.com/imapgauge/imapgauge/reports/reportstest"
)

func writeResult(t *testing.T, dir, name string, r *reports.Result) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := reports.WriteFile(p, r); err != nil {
		t.Fatal(err)
	}
	return p
}

func runCLI(args ...string) (code int, stdout, stderr string) {
	var out, errOut bytes.Buffer
	code = run(args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestReportRenderEveryFormat(t *testing.T) {
	dir := t.TempDir()
	res := writeResult(t, dir, "result.json", reportstest.Conformance())
	html, junit, md := filepath.Join(dir, "r.html"), filepath.Join(dir, "r.xml"), filepath.Join(dir, "r.md")
	code, out, errOut := runCLI("report", "render", res, "--html", html, "--junit", junit, "--markdown", md, "--text", "--transcripts", filepath.Join(dir, "tr"))
	if code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", code, errOut)
	}
	if !strings.HasPrefix(out, "imapgauge conformance: FAIL (exit 1)") || !strings.Contains(out, "Transcript: 1 connection, "+filepath.Join(dir, "tr")) {
		t.Errorf("text summary:\n%s", out)
	}
	for _, p := range []string{html, junit, md, filepath.Join(dir, "tr", reports.TranscriptFileName("rfc3501/6.1.3/logout-bye-before-ok"))} {
		if st, err := os.Stat(p); err != nil || st.Size() == 0 {
			t.Errorf("%s not written: %v", p, err)
		}
	}
	// No flag: the text summary with the transcripts inline.
	code, out, _ = runCLI("report", "render", res)
	if code != 0 || !strings.Contains(out, "   6  +0.015s  S: a2 OK LOGOUT completed") {
		t.Errorf("default render: exit %d\n%s", code, out)
	}
	// --strict turns WARN and XPASS into failures.
	code, out, _ = runCLI("report", "render", res, "--junit", "-", "--strict")
	if code != 0 || !strings.Contains(out, `type="WARN"`) {
		t.Errorf("strict JUnit: exit %d\n%s", code, out)
	}
}

func TestReportRenderRejectsBadInput(t *testing.T) {
	dir := t.TempDir()
	future := filepath.Join(dir, "future.json")
	if err := os.WriteFile(future, []byte(`{"schema_version":"2.0","kind":"load"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	for name, tc := range map[string]struct {
		args []string
		want string
	}{
		"missing file":  {[]string{"report", "render", filepath.Join(dir, "nope.json")}, "no such file"},
		"major version": {[]string{"report", "render", future}, "schema version 2.0 is not supported"},
		"no argument":   {[]string{"report", "render"}, "accepts 1 arg"},
		"no subcommand": {[]string{"report"}, "needs a subcommand"},
		"bad flag":      {[]string{"report", "render", future, "--pdf", "x"}, "unknown flag"},
	} {
		t.Run(name, func(t *testing.T) {
			code, _, errOut := runCLI(tc.args...)
			if code != exitUsage || !strings.Contains(errOut, tc.want) {
				t.Fatalf("exit %d, stderr:\n%s\nwant exit 2 and %q", code, errOut, tc.want)
			}
		})
	}
}

func TestReportDiffExitCodes(t *testing.T) {
	dir := t.TempDir()
	base := reportstest.SyntheticConformance(50)
	basePath := writeResult(t, dir, "base.json", base)
	newer := reportstest.SyntheticConformance(50)
	newer.Conformance.Cases[3].Outcome = reports.Fail // PASS -> FAIL
	newer.Conformance.Cases[9].Outcome = reports.Pass // FAIL -> PASS
	newer.Judge(false)
	newPath := writeResult(t, dir, "new.json", newer)

	code, out, errOut := runCLI("report", "diff", basePath, basePath)
	if code != 0 || !strings.Contains(out, "no regression") {
		t.Fatalf("same result: exit %d\n%s%s", code, out, errOut)
	}
	jsonOut, mdOut := filepath.Join(dir, "diff.json"), filepath.Join(dir, "diff.md")
	code, out, _ = runCLI("report", "diff", basePath, newPath, "--json", jsonOut, "--markdown", mdOut)
	if code != exitRegressed {
		t.Fatalf("regression: exit %d, want %d\n%s", code, exitRegressed, out)
	}
	id := newer.Conformance.Cases[3].ID
	if !strings.Contains(out, "Newly failing (1)") || !strings.Contains(out, id) || !strings.Contains(out, "Newly passing (1)") {
		t.Errorf("diff text:\n%s", out)
	}
	var d reports.Diff
	data, err := os.ReadFile(jsonOut)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &d); err != nil || !d.Regressed || len(d.NewlyFailing) != 1 || d.NewlyFailing[0].ID != id {
		t.Errorf("diff JSON: %v %+v", err, d)
	}
	md, _ := os.ReadFile(mdOut)
	if !strings.Contains(string(md), "1 regression") || !strings.Contains(string(md), id) {
		t.Errorf("diff Markdown:\n%s", md)
	}
	// Diffing the other way round, the fixed case is the regression.
	if code, _, _ := runCLI("report", "diff", newPath, basePath); code != exitRegressed {
		t.Errorf("reverse diff: exit %d", code)
	}
	loadPath := writeResult(t, dir, "load.json", reportstest.Load())
	for name, args := range map[string][]string{
		"kinds differ":  {"report", "diff", basePath, loadPath},
		"bad tolerance": {"report", "diff", basePath, newPath, "--latency-tolerance", "lots"},
		"bad pct":       {"report", "diff", basePath, newPath, "--percentiles", "120"},
		"one argument":  {"report", "diff", basePath},
	} {
		if code, _, errOut := runCLI(args...); code != exitUsage {
			t.Errorf("%s: exit %d, want 2\n%s", name, code, errOut)
		}
	}
}

func TestReportDiffLoadTolerance(t *testing.T) {
	dir := t.TempDir()
	base := reportstest.Load()
	base.Load.Thresholds = nil
	base.Load.ViolationCount, base.Load.ViolationsByCheck, base.Load.Violations = 0, nil, nil
	base.Judge(false)
	slow := reportstest.Load()
	slow.Load.Thresholds = nil
	slow.Load.ViolationCount, slow.Load.ViolationsByCheck, slow.Load.Violations = 0, nil, nil
	// SELECT twice as slow.
	h := reports.NewLatencyHistogram()
	for _, b := range slow.Load.Command("SELECT").Latency.HDR().Distribution() {
		if b.Count > 0 {
			h.RecordN(2*time.Duration(b.From), b.Count)
		}
	}
	slow.Load.Command("SELECT").Latency = h
	slow.Judge(false)
	bp, sp := writeResult(t, dir, "base.json", base), writeResult(t, dir, "slow.json", slow)
	jp := filepath.Join(dir, "diff.json")
	code, out, _ := runCLI("report", "diff", bp, sp, "--json", jp)
	if code != exitRegressed {
		t.Fatalf("exit %d\n%s", code, out)
	}
	var d reports.Diff
	data, _ := os.ReadFile(jp)
	if err := json.Unmarshal(data, &d); err != nil {
		t.Fatal(err)
	}
	// SELECT's p50 and p90 rest on enough of its 600 samples; its p99 does
	// not (the 99% interval of the 594th of 600 samples is open above).
	for _, m := range d.Metrics {
		if want := m.Metric == "select_p50" || m.Metric == "select_p90"; m.Regressed != want {
			t.Errorf("%s: regressed=%v, want %v", m.Metric, m.Regressed, want)
		}
	}
	// A tolerance above the slowdown accepts it.
	if code, out, _ := runCLI("report", "diff", bp, sp, "--latency-tolerance", "150%"); code != 0 {
		t.Fatalf("with 150%% tolerance: exit %d\n%s", code, out)
	}
}

func TestReportMerge(t *testing.T) {
	dir := t.TempDir()
	var paths []string
	for i := 1; i <= 2; i++ {
		r := reportstest.Load()
		r.Load.Shard = &reports.Shard{Index: i, Count: 2}
		paths = append(paths, writeResult(t, dir, "shard"+string(rune('0'+i))+".json", r))
	}
	out := filepath.Join(dir, "merged.json")
	html := filepath.Join(dir, "merged.html")
	code, stdout, errOut := runCLI(append([]string{"report", "merge", out}, append(paths, "--html", html)...)...)
	// The sample has correctness violations: the merged verdict is 100.
	if code != reports.ExitViolation {
		t.Fatalf("exit %d, want %d\n%s%s", code, reports.ExitViolation, stdout, errOut)
	}
	m, err := reports.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if m.Load.Users != 100 || m.Load.ViolationCount != 6 || len(m.Load.MergedFrom) != 2 || m.Load.Command("FETCH").Latency.Count() != 6000 {
		t.Fatalf("merged: users %d violations %d shards %d", m.Load.Users, m.Load.ViolationCount, len(m.Load.MergedFrom))
	}
	if !strings.Contains(stdout, "merged from 2 shards") {
		t.Errorf("summary:\n%s", stdout)
	}
	if _, err := os.Stat(html); err != nil {
		t.Error(err)
	}
	for name, args := range map[string][]string{
		"missing shard": {"report", "merge", out, paths[0]},
		"out is input":  {"report", "merge", paths[0], paths[0], paths[1]},
		"conformance":   {"report", "merge", out, writeResult(t, dir, "c.json", reportstest.Conformance())},
	} {
		if code, _, errOut := runCLI(args...); code != exitUsage {
			t.Errorf("%s: exit %d, want 2\n%s", name, code, errOut)
		}
	}
}

func TestReportSchema(t *testing.T) {
	code, out, _ := runCLI("report", "schema")
	if code != 0 || !json.Valid([]byte(out)) || !strings.Contains(out, "2020-12") {
		t.Fatalf("exit %d\n%.200s", code, out)
	}
}
