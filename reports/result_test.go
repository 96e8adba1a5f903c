package reports_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/imapgauge/imapgauge/reports"
	"github.com/imapgauge/imapgauge/reports/reportstest"
)

func samples() map[string]*reports.Result {
	return map[string]*reports.Result{
		"conformance": reportstest.Conformance(),
		"load":        reportstest.Load(),
	}
}

// An encoded result decodes to a result that encodes to the same bytes:
// nothing is lost, histograms included.
func TestEncodeDecodeRoundTrip(t *testing.T) {
	for name, r := range samples() {
		t.Run(name, func(t *testing.T) {
			first, err := reports.Marshal(r)
			if err != nil {
				t.Fatal(err)
			}
			back, err := reports.Unmarshal(first)
			if err != nil {
				t.Fatalf("decode: %v", err)
			}
			second, err := reports.Marshal(back)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(first, second) {
				t.Fatalf("round trip changed the document:\n%s", firstDifference(first, second))
			}
		})
	}
}

func firstDifference(a, b []byte) string {
	al, bl := strings.Split(string(a), "\n"), strings.Split(string(b), "\n")
	for i := range min(len(al), len(bl)) {
		if al[i] != bl[i] {
			return "line " + itoa(i+1) + ":\n- " + al[i] + "\n+ " + bl[i]
		}
	}
	return "lengths differ"
}

func itoa(i int) string { return strconv.Itoa(i) }

func withVersion(t *testing.T, r *reports.Result, version string, extra map[string]any) []byte {
	t.Helper()
	data, err := reports.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	doc["schema_version"] = version
	for k, v := range extra {
		doc[k] = v
	}
	out, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestDecodeRejectsUnknownMajorVersion(t *testing.T) {
	for _, v := range []string{"2.0", "0.9", "10.1"} {
		_, err := reports.Unmarshal(withVersion(t, reportstest.Conformance(), v, nil))
		var ve *reports.VersionError
		if !errors.As(err, &ve) {
			t.Fatalf("version %s: err = %v, want a *VersionError", v, err)
		}
		if ve.Version != v || !strings.Contains(err.Error(), v) || !strings.Contains(err.Error(), "1.x") {
			t.Errorf("version %s: unclear error %q", v, err)
		}
	}
}

func TestDecodeAcceptsNewerMinorVersion(t *testing.T) {
	data := withVersion(t, reportstest.Load(), "1.9", map[string]any{"field_from_the_future": map[string]any{"x": 1}})
	r, err := reports.Unmarshal(data)
	if err != nil {
		t.Fatalf("a 1.9 document must decode: %v", err)
	}
	if r.Load == nil || r.Load.Command("FETCH") == nil || r.Load.Command("FETCH").Latency.Count() != 3000 {
		t.Fatalf("decoded 1.9 document lost data: %+v", r.Load)
	}
}

func TestDecodeRejectsInconsistentDocuments(t *testing.T) {
	conf, _ := reports.Marshal(reportstest.Conformance())
	cases := map[string]struct {
		doc  string
		want string
	}{
		"no version":       {`{"kind":"load"}`, "no schema_version"},
		"bad version":      {`{"schema_version":"one"}`, "MAJOR.MINOR"},
		"syntax":           {"{\"schema_version\":\"1.0\",\n\"kind\": }", "line 2"},
		"unknown kind":     {`{"schema_version":"1.0","kind":"benchmark"}`, `unknown kind "benchmark"`},
		"missing section":  {`{"schema_version":"1.0","kind":"load"}`, "load section is missing"},
		"unknown outcome":  {strings.Replace(string(conf), `"outcome": "PASS"`, `"outcome": "GREAT"`, 1), `unknown outcome "GREAT"`},
		"unknown dir":      {strings.Replace(string(conf), `"dir": "C"`, `"dir": "X"`, 1), `unknown direction "X"`},
		"histogram counts": {`{"schema_version":"1.0","kind":"load","load":{"sync_lag":{"lowest":1000,"highest":3600000000000,"digits":3,"count":5,"counts":[1,2]}}}`, "count is 5 but the counts sum to 3"},
		"histogram digits": {`{"schema_version":"1.0","kind":"load","load":{"sync_lag":{"lowest":1000,"highest":3600000000000,"digits":9,"count":0,"counts":[]}}}`, "significant digits"},
		"histogram range":  {`{"schema_version":"1.0","kind":"load","load":{"sync_lag":{"lowest":0,"highest":10,"digits":2,"count":0,"counts":[]}}}`, "invalid range"},
		"histogram huge":   {`{"schema_version":"1.0","kind":"load","load":{"sync_lag":{"lowest":1000,"highest":3600000000000,"digits":2,"count":1,"counts":[-9000000000000,1]}}}`, "too long"},
		"command latency":  {`{"schema_version":"1.0","kind":"load","load":{"commands":[{"name":"FETCH"}]}}`, "no latency histogram"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := reports.Unmarshal([]byte(tc.doc))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want one containing %q", err, tc.want)
			}
		})
	}
}

// Merging histograms gives exactly the histogram of all the samples, and
// encoding keeps every count.
func TestHistogramMergeIsExact(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	all := reports.NewLatencyHistogram()
	parts := []*reports.Histogram{reports.NewLatencyHistogram(), reports.NewLatencyHistogram(), reports.NewLatencyHistogram()}
	for i := range 20000 {
		d := time.Duration(rng.ExpFloat64() * float64(5*time.Millisecond))
		if i%1000 == 0 {
			d = time.Duration(rng.Int64N(int64(2 * time.Hour))) // some beyond the range, clamped
		}
		all.Record(d)
		parts[i%3].Record(d)
	}
	merged := reports.NewLatencyHistogram()
	for _, p := range parts {
		// Through JSON, as shard results travel.
		data, err := json.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		var back reports.Histogram
		if err := json.Unmarshal(data, &back); err != nil {
			t.Fatal(err)
		}
		if !back.Equal(p) {
			t.Fatal("JSON round trip changed a histogram")
		}
		if err := merged.Merge(&back); err != nil {
			t.Fatal(err)
		}
	}
	if !merged.Equal(all) {
		t.Fatalf("merged histogram differs from the histogram of all samples: count %d vs %d, p99 %v vs %v",
			merged.Count(), all.Count(), merged.Percentile(99), all.Percentile(99))
	}
	if err := merged.Merge(reports.NewSeriesHistogram()); !errors.Is(err, reports.ErrGeometry) {
		t.Fatalf("merging different geometry: err = %v, want ErrGeometry", err)
	}
}

func TestHistogramEncodingIsCompact(t *testing.T) {
	h := reports.NewLatencyHistogram()
	h.Record(3 * time.Millisecond)
	h.Record(3 * time.Millisecond)
	h.Record(40 * time.Millisecond)
	data, err := json.Marshal(h)
	if err != nil {
		t.Fatal(err)
	}
	var raw struct {
		Counts []int64 `json:"counts"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		t.Fatal(err)
	}
	// Two buckets with samples: zero run, 2, zero run, 1.
	if len(raw.Counts) != 4 || raw.Counts[0] >= 0 || raw.Counts[1] != 2 || raw.Counts[2] >= 0 || raw.Counts[3] != 1 {
		t.Fatalf("counts = %v, want [-a 2 -b 1]", raw.Counts)
	}
}

func TestRedactURL(t *testing.T) {
	for in, want := range map[string]string{
		"imap://alice:secret@mail.example:143":                "imap://mail.example:143",
		"imaps://alice@mail.example:993":                      "imaps://mail.example:993",
		"imap://mail.example:143?starttls=1&password=hunter2": "imap://mail.example:143?starttls=1",
		"imap://127.0.0.1:14143?starttls=1":                   "imap://127.0.0.1:14143?starttls=1",
		"alice:secret@mail.example:143":                       "mail.example:143",
		"imap://bad url:pw@host:1":                            "imap://host:1",
		"":                                                    "",
	} {
		if got := reports.RedactURL(in); got != want {
			t.Errorf("RedactURL(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestNewResultRedactsTarget(t *testing.T) {
	r := reports.NewConformance("v1", "imap://bob:interop-secret@127.0.0.1:14143")
	data, _ := reports.Marshal(r)
	if bytes.Contains(data, []byte("interop-secret")) || bytes.Contains(data, []byte("bob")) {
		t.Fatalf("credentials leaked into the result:\n%s", data)
	}
}

func TestEscapeText(t *testing.T) {
	for in, want := range map[string]string{
		"a1 OK done\r\n":        "a1 OK done",
		"bare\nLF":              `bare\x0ALF`,
		"nul\x00":               `nul\x00`,
		"caf\xc3\xa9 ok":        "café ok",
		"bad \xff utf8":         `bad \xFF utf8`,
		"tab\tkept":             "tab\tkept",
		"lone CR\r":             `lone CR\x0D`,
		"* 1 FETCH (BODY {3}\r": `* 1 FETCH (BODY {3}\x0D`,
	} {
		if got := reports.EscapeText([]byte(in)); got != want {
			t.Errorf("EscapeText(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCompareSectionsIsNumeric(t *testing.T) {
	in := []string{"7", "6.3.10", "6.3.9", "6.10", "6.2", "9", "greeting", "6.3.1"}
	want := []string{"6.2", "6.3.1", "6.3.9", "6.3.10", "6.10", "7", "9", "greeting"}
	c := &reports.Conformance{}
	for _, s := range in {
		c.Add(reports.Case{ID: s, Section: s, Outcome: reports.Pass})
	}
	c.Tally()
	var got []string
	for _, s := range c.Sections {
		got = append(got, s.Section)
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("sections in order %v, want %v", got, want)
	}
}

func TestConformanceVerdict(t *testing.T) {
	mk := func(outcomes ...reports.Outcome) *reports.Result {
		r := reports.NewConformance("v", "imap://h:1")
		for i, o := range outcomes {
			r.Conformance.Add(reports.Case{ID: itoa(i), Section: "6.1.1", Outcome: o})
		}
		return r
	}
	for _, tc := range []struct {
		outcomes []reports.Outcome
		strict   bool
		status   reports.Status
		code     int
	}{
		{[]reports.Outcome{reports.Pass, reports.Skip, reports.XFail}, false, reports.StatusPass, 0},
		{[]reports.Outcome{reports.Pass, reports.Warn, reports.XPass}, false, reports.StatusPass, 0},
		{[]reports.Outcome{reports.Pass, reports.Warn}, true, reports.StatusFail, 1},
		{[]reports.Outcome{reports.Pass, reports.XPass}, true, reports.StatusFail, 1},
		{[]reports.Outcome{reports.Pass, reports.Fail}, false, reports.StatusFail, 1},
		{[]reports.Outcome{reports.Error}, false, reports.StatusFail, 1},
		{nil, false, reports.StatusError, 2},
	} {
		r := mk(tc.outcomes...)
		r.Finish(tc.strict)
		if r.Verdict.Status != tc.status || r.Verdict.ExitCode != tc.code {
			t.Errorf("%v strict=%v: verdict %+v, want %s/%d", tc.outcomes, tc.strict, r.Verdict, tc.status, tc.code)
		}
		if r.State != reports.StateFinished || r.Finished.IsZero() {
			t.Errorf("Finish did not mark the run finished")
		}
	}
}

func TestLoadVerdictPriorities(t *testing.T) {
	r := reportstest.Load()
	// Sample: violations and a failed threshold: correctness wins.
	if r.Verdict.ExitCode != reports.ExitViolation {
		t.Fatalf("violations + failed threshold: exit %d, want %d (%v)", r.Verdict.ExitCode, reports.ExitViolation, r.Verdict.Reasons)
	}
	if len(r.Verdict.Reasons) != 2 || !strings.Contains(r.Verdict.Reasons[1], "p99(fetch)<50ms") {
		t.Fatalf("reasons = %q", r.Verdict.Reasons)
	}
	r.Load.Generator.Overloaded, r.Load.Generator.Reason = true, "scheduler lag p99 80ms"
	r.Load.ViolationCount = 0
	r.Judge(false)
	if r.Verdict.Status != reports.StatusInvalid || r.Verdict.ExitCode != reports.ExitInvalid {
		t.Fatalf("overloaded generator: %+v", r.Verdict)
	}
	r.Load.Generator.Overloaded = false
	r.Judge(false)
	if r.Verdict.ExitCode != reports.ExitThresholds {
		t.Fatalf("failed threshold only: %+v", r.Verdict)
	}
	r.Load.Thresholds = r.Load.Thresholds[1:]
	r.Judge(false)
	if r.Verdict.Status != reports.StatusPass || r.Verdict.ExitCode != 0 {
		t.Fatalf("all clear: %+v", r.Verdict)
	}
	r.State = reports.StateInterrupted
	r.Judge(false)
	if r.Verdict.Status != reports.StatusError {
		t.Fatalf("interrupted run must not pass: %+v", r.Verdict)
	}
}

// WriteFile never leaves a torn document: a reader polling the file while a
// checkpointer rewrites it always decodes a complete result.
func TestCheckpointerLeavesValidFileAtAllTimes(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "result.json")
	big := reportstest.SyntheticLoad(2*time.Minute, 10*time.Second)
	var mu sync.Mutex
	n := 0
	snapshot := func() *reports.Result {
		mu.Lock()
		defer mu.Unlock()
		n++
		r := *big
		r.State = reports.StateRunning
		return &r
	}
	cp := reports.StartCheckpointer(path, 5*time.Millisecond, snapshot)
	deadline := time.Now().Add(2 * time.Second)
	reads := 0
	for time.Now().Before(deadline) && reads < 20 {
		data, err := os.ReadFile(path)
		if errors.Is(err, os.ErrNotExist) {
			time.Sleep(2 * time.Millisecond)
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if _, err := reports.Unmarshal(data); err != nil {
			t.Fatalf("read %d: torn or invalid checkpoint: %v", reads, err)
		}
		reads++
		time.Sleep(time.Millisecond)
	}
	final := *big
	final.State = reports.StateFinished
	if err := cp.Stop(&final); err != nil {
		t.Fatal(err)
	}
	got, err := reports.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got.State != reports.StateFinished {
		t.Fatalf("final state %s, want finished", got.State)
	}
	if reads == 0 {
		t.Fatal("the checkpointer never wrote the file")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Fatalf("temporary files left behind: %v", entries)
	}
}

func TestWriteFileReportsErrors(t *testing.T) {
	err := reports.WriteFile(filepath.Join(t.TempDir(), "missing-dir", "r.json"), reportstest.Load())
	if err == nil {
		t.Fatal("writing into a missing directory succeeded")
	}
}
