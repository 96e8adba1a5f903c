package reports_test

import (
	"bytes"
	"io"
	"testing"
	"time"

	"github.com/imapgauge/imapgauge/reports"
	"github.com/imapgauge/imapgauge/reports/reportstest"
)

// countingWriter counts the bytes a renderer writes.
type countingWriter struct{ n int64 }

func (c *countingWriter) Write(p []byte) (int, error) {
	c.n += int64(len(p))
	return len(p), nil
}

// benchmarkRender measures decoding a result file and rendering it, as
// "imapgauge report render" does, and reports the output size.
func benchmarkRender(b *testing.B, r *reports.Result, f reports.Format) {
	data, err := reports.Marshal(r)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ReportMetric(float64(len(data)), "json-bytes")
	var size int64
	for b.Loop() {
		decoded, err := reports.Unmarshal(data)
		if err != nil {
			b.Fatal(err)
		}
		var w countingWriter
		if err := reports.Render(&w, f, decoded); err != nil {
			b.Fatal(err)
		}
		size = w.n
	}
	b.ReportMetric(float64(size), "out-bytes")
}

// BenchmarkHTMLConformance10k: a 10,000-case conformance result, one case in
// ten failing with two 20-line transcripts. Goal: under 5 s and 10 MB.
func BenchmarkHTMLConformance10k(b *testing.B) {
	benchmarkRender(b, reportstest.SyntheticConformance(10000), reports.FormatHTML)
}

// BenchmarkHTMLLoad1h: a one-hour load result with a 10 s interval (360
// intervals of eight commands). Goal: under 5 s and 10 MB.
func BenchmarkHTMLLoad1h(b *testing.B) {
	benchmarkRender(b, reportstest.SyntheticLoad(time.Hour, 10*time.Second), reports.FormatHTML)
}

func BenchmarkJUnitConformance10k(b *testing.B) {
	benchmarkRender(b, reportstest.SyntheticConformance(10000), reports.FormatJUnit)
}

func BenchmarkEncodeLoad1h(b *testing.B) {
	r := reportstest.SyntheticLoad(time.Hour, 10*time.Second)
	b.ReportAllocs()
	for b.Loop() {
		if err := reports.Encode(io.Discard, r); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMergeShards(b *testing.B) {
	var shards []*reports.Result
	for i := 1; i <= 4; i++ {
		r := reportstest.SyntheticLoad(10*time.Minute, 10*time.Second)
		r.Load.Shard = &reports.Shard{Index: i, Count: 4}
		shards = append(shards, r)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := reports.Merge(shards); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkHistogramJSON(b *testing.B) {
	h := reports.NewLatencyHistogram()
	for i := range 100000 {
		h.Record(time.Duration(i%5000) * 10 * time.Microsecond)
	}
	var buf bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		data, err := h.MarshalJSON()
		if err != nil {
			b.Fatal(err)
		}
		var back reports.Histogram
		if err := back.UnmarshalJSON(data); err != nil {
			b.Fatal(err)
		}
	}
}
