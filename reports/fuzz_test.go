package reports_test

import (
	"bytes"
	"testing"

	"github.com/imapgauge/imapgauge/reports"
	"github.com/imapgauge/imapgauge/reports/reportstest"
)

// FuzzUnmarshal feeds the decoder arbitrary documents: it must never panic
// or hang, and whatever it accepts must encode and decode again to the same
// document, and render as text, JUnit and Markdown (HTML rendering draws
// charts and is too slow to fuzz; the renderer tests cover it).
func FuzzUnmarshal(f *testing.F) {
	// A small load result keeps each mutation cheap.
	small := reportstest.Load()
	l := small.Load
	l.Series, l.Setup, l.Commands, l.Violations, l.Errors = l.Series[:1], l.Setup[:1], l.Commands[:1], l.Violations[:1], nil
	l.Series[0].Commands = l.Series[0].Commands[:1]
	for _, r := range []*reports.Result{reportstest.Conformance(), small} {
		data, err := reports.Marshal(r)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`{"schema_version":"1.0","kind":"load","load":{"sync_lag":{"lowest":1000,"highest":3600000000000,"digits":2,"count":1,"counts":[-5,1]}}}`))
	f.Add([]byte(`{"schema_version":"1.3","kind":"conformance","conformance":{"cases":[{"id":"a","outcome":"FAIL","transcripts":[{"entries":[{"dir":"S","text":"\u0000"}]}]}]}}`))
	f.Add([]byte(`{"schema_version":"2.0"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := reports.Unmarshal(data)
		if err != nil {
			return
		}
		first, err := reports.Marshal(r)
		if err != nil {
			t.Fatalf("accepted document does not encode: %v", err)
		}
		back, err := reports.Unmarshal(first)
		if err != nil {
			t.Fatalf("re-encoded document does not decode: %v\n%s", err, first)
		}
		second, err := reports.Marshal(back)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(first, second) {
			t.Fatalf("encoding is not stable:\n%s\n---\n%s", first, second)
		}
		for _, f := range []reports.Format{reports.FormatJUnit, reports.FormatMarkdown, reports.FormatText} {
			if err := reports.Render(&bytes.Buffer{}, f, back); err != nil {
				t.Fatalf("%s: %v", f, err)
			}
		}
	})
}
