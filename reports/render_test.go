package reports_test

import (
	"bytes"
	"encoding/xml"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/imapgauge/imapgauge/reports"
	"github.com/imapgauge/imapgauge/reports/reportstest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./reports -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (go test ./reports -run %s -update to accept):\n%s",
			path, t.Name(), firstDifference(want, got))
	}
}

func render(t *testing.T, f func(*bytes.Buffer) error) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := f(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestGoldenJUnit(t *testing.T) {
	for _, tc := range []struct {
		file   string
		r      *reports.Result
		strict bool
	}{
		{"conformance.junit.xml", reportstest.Conformance(), false},
		{"conformance-strict.junit.xml", reportstest.Conformance(), true},
		{"load.junit.xml", reportstest.Load(), false},
	} {
		t.Run(tc.file, func(t *testing.T) {
			got := render(t, func(b *bytes.Buffer) error {
				return reports.WriteJUnit(b, tc.r, reports.JUnitOptions{Strict: tc.strict})
			})
			golden(t, tc.file, got)
			validateJUnitXSD(t, got)
		})
	}
}

func TestGoldenText(t *testing.T) {
	for _, tc := range []struct {
		file string
		r    *reports.Result
		opts reports.TextOptions
	}{
		{"conformance.txt", reportstest.Conformance(), reports.TextOptions{ResultPath: "result.json"}},
		{"conformance-transcripts.txt", reportstest.Conformance(), reports.TextOptions{InlineTranscripts: true, TranscriptDir: "transcripts"}},
		{"load.txt", reportstest.Load(), reports.TextOptions{}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			golden(t, tc.file, render(t, func(b *bytes.Buffer) error { return reports.WriteText(b, tc.r, tc.opts) }))
		})
	}
}

func TestGoldenMarkdown(t *testing.T) {
	for _, tc := range []struct {
		file string
		r    *reports.Result
	}{
		{"conformance.md", reportstest.Conformance()},
		{"load.md", reportstest.Load()},
	} {
		t.Run(tc.file, func(t *testing.T) {
			golden(t, tc.file, render(t, func(b *bytes.Buffer) error { return reports.WriteMarkdown(b, tc.r, reports.MarkdownOptions{}) }))
		})
	}
}

// validateJUnitXSD validates doc against testdata/junit.xsd with xmllint,
// libxml2's validator, when it is installed (CI installs it).
func validateJUnitXSD(t *testing.T, doc []byte) {
	t.Helper()
	xmllint, err := exec.LookPath("xmllint")
	if err != nil {
		t.Log("xmllint not installed (Debian package libxml2-utils): XSD validation skipped")
		return
	}
	f := filepath.Join(t.TempDir(), "report.xml")
	if err := os.WriteFile(f, doc, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(xmllint, "--noout", "--nonet", "--schema", filepath.Join("testdata", "junit.xsd"), f).CombinedOutput()
	if err != nil {
		t.Fatalf("JUnit XML does not validate against testdata/junit.xsd: %v\n%s", err, out)
	}
}

// The XSD check must be able to fail: a testcase without classname, or with
// both a failure and an error, is rejected.
func TestJUnitXSDRejectsBrokenDocuments(t *testing.T) {
	xmllint, err := exec.LookPath("xmllint")
	if err != nil {
		t.Skip("xmllint not installed (Debian package libxml2-utils)")
	}
	for name, doc := range map[string]string{
		"no classname":  `<testsuites><testsuite name="s" tests="1"><testcase name="a"/></testsuite></testsuites>`,
		"two problems":  `<testsuites><testsuite name="s" tests="1"><testcase name="a" classname="c"><failure/><error/></testcase></testsuite></testsuites>`,
		"zoned time":    `<testsuites><testsuite name="s" tests="1" timestamp="2026-03-02T09:00:00Z"><testcase name="a" classname="c"/></testsuite></testsuites>`,
		"negative time": `<testsuites><testsuite name="s" tests="1"><testcase name="a" classname="c" time="-1"/></testsuite></testsuites>`,
	} {
		f := filepath.Join(t.TempDir(), "bad.xml")
		if err := os.WriteFile(f, []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
		if out, err := exec.Command(xmllint, "--noout", "--nonet", "--schema", filepath.Join("testdata", "junit.xsd"), f).CombinedOutput(); err == nil {
			t.Errorf("%s: xmllint accepted an invalid document:\n%s", name, out)
		}
	}
}

type junitDoc struct {
	Tests    int `xml:"tests,attr"`
	Failures int `xml:"failures,attr"`
	Errors   int `xml:"errors,attr"`
	Skipped  int `xml:"skipped,attr"`
	Suites   []struct {
		Name  string `xml:"name,attr"`
		Cases []struct {
			Name      string    `xml:"name,attr"`
			Classname string    `xml:"classname,attr"`
			Failure   *xmlProbl `xml:"failure"`
			Error     *xmlProbl `xml:"error"`
			Skipped   *xmlProbl `xml:"skipped"`
		} `xml:"testcase"`
	} `xml:"testsuite"`
}

type xmlProbl struct {
	Type    string `xml:"type,attr"`
	Message string `xml:"message,attr"`
	Body    string `xml:",chardata"`
}

// The JUnit mapping of outcomes: FAIL is <failure>, ERROR <error>, SKIP and
// XFAIL <skipped>, WARN and XPASS failures only when strict; name is the
// case ID and classname the section; the failure body has the sentence,
// Expected, Actual and the numbered transcript.
func TestJUnitOutcomeMapping(t *testing.T) {
	for _, strict := range []bool{false, true} {
		r := reportstest.Conformance()
		var doc junitDoc
		if err := xml.Unmarshal(render(t, func(b *bytes.Buffer) error { return reports.WriteJUnit(b, r, reports.JUnitOptions{Strict: strict}) }), &doc); err != nil {
			t.Fatal(err)
		}
		byID := map[string]int{}
		for i, c := range r.Conformance.Cases {
			byID[c.ID] = i
		}
		seen := 0
		for _, s := range doc.Suites {
			for _, tc := range s.Cases {
				seen++
				cs := r.Conformance.Cases[byID[tc.Name]]
				if tc.Name != cs.ID || tc.Classname != cs.Section {
					t.Errorf("testcase name=%q classname=%q, want %q / %q", tc.Name, tc.Classname, cs.ID, cs.Section)
				}
				wantFailure := cs.Outcome == reports.Fail || strict && (cs.Outcome == reports.Warn || cs.Outcome == reports.XPass)
				wantError := cs.Outcome == reports.Error
				wantSkipped := cs.Outcome == reports.Skip || cs.Outcome == reports.XFail
				if (tc.Failure != nil) != wantFailure || (tc.Error != nil) != wantError || (tc.Skipped != nil) != wantSkipped {
					t.Errorf("strict=%v %s (%s): failure=%v error=%v skipped=%v", strict, cs.ID, cs.Outcome, tc.Failure != nil, tc.Error != nil, tc.Skipped != nil)
				}
				if p := firstProblem(tc.Failure, tc.Error); p != nil {
					for _, want := range []string{cs.Sentence, "Expected: " + cs.Expected[0], "Actual:   " + cs.Actual, "   1  +0.000s  "} {
						if !strings.Contains(p.Body, want) {
							t.Errorf("%s: body lacks %q:\n%s", cs.ID, want, p.Body)
						}
					}
				}
			}
		}
		if seen != len(r.Conformance.Cases) || doc.Tests != seen {
			t.Errorf("testcases = %d, tests attr = %d, want %d", seen, doc.Tests, len(r.Conformance.Cases))
		}
	}
}

func firstProblem(ps ...*xmlProbl) *xmlProbl {
	for _, p := range ps {
		if p != nil {
			return p
		}
	}
	return nil
}

func TestJUnitLoadThresholdsAndViolations(t *testing.T) {
	var doc junitDoc
	if err := xml.Unmarshal(render(t, func(b *bytes.Buffer) error { return reports.WriteJUnit(b, reportstest.Load(), reports.JUnitOptions{}) }), &doc); err != nil {
		t.Fatal(err)
	}
	failed := map[string]string{}
	for _, s := range doc.Suites {
		for _, tc := range s.Cases {
			if tc.Failure != nil {
				failed[s.Name+"/"+tc.Name] = tc.Failure.Body
			}
		}
	}
	if len(failed) != 3 || failed["thresholds/p99(fetch)<50ms"] == "" ||
		!strings.Contains(failed["correctness/append-missing"], "d1 OK [APPENDUID 1700000000 57]") ||
		failed["correctness/flags-diverged"] == "" {
		t.Fatalf("failed testcases = %v", keys(failed))
	}
}

func keys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// The HTML report is one self-contained file: it references nothing outside
// itself, forbids fetches in its CSP, and has the sections people look for.
func TestHTMLIsSelfContained(t *testing.T) {
	for name, tc := range map[string]struct {
		r        *reports.Result
		sections []string
		texts    []string
	}{
		"conformance": {reportstest.Conformance(), []string{"verdict", "counts", "matrix", "cases", "filters"},
			[]string{"rfc3501/6.1.3/logout-bye-before-ok", "The server MUST send a BYE untagged response", "   7  +0.018s  *: closed by peer",
				`C: a2 LOGIN "srv-e1" ***`, "STATUS MESSAGES counts &lt;messages&gt; &amp; &#34;quotes&#34;"}},
		"load": {reportstest.Load(), []string{"verdict", "thresholds", "load", "latency", "throughput", "distributions", "commands", "violations", "errors", "generator"},
			[]string{"p99(fetch)&lt;50ms", "FETCH latency", "Connections by state", "d1 OK [APPENDUID 1700000000 57]", "<svg class=\"chart\""}},
	} {
		t.Run(name, func(t *testing.T) {
			page := render(t, func(b *bytes.Buffer) error { return reports.WriteHTML(b, tc.r) })
			doc, err := html.Parse(bytes.NewReader(page))
			if err != nil {
				t.Fatal(err)
			}
			ids := map[string]bool{}
			csp := false
			var walk func(*html.Node)
			walk = func(n *html.Node) {
				if n.Type == html.ElementNode {
					switch n.Data {
					case "link", "img", "iframe", "object", "embed", "audio", "video", "source":
						t.Errorf("<%s> element would fetch or embed an external resource", n.Data)
					}
					for _, a := range n.Attr {
						switch strings.ToLower(a.Key) {
						case "src", "href", "srcset", "action", "poster", "xlink:href", "data":
							t.Errorf("<%s %s=%q> references a resource", n.Data, a.Key, a.Val)
						case "id":
							ids[a.Val] = true
						case "http-equiv":
							csp = csp || strings.EqualFold(a.Val, "Content-Security-Policy")
						}
					}
				}
				for c := n.FirstChild; c != nil; c = c.NextSibling {
					walk(c)
				}
			}
			walk(doc)
			if !csp || !bytes.Contains(page, []byte("default-src 'none'")) {
				t.Error("no Content-Security-Policy forbidding fetches")
			}
			if bytes.Contains(page, []byte("url(")) || bytes.Contains(page, []byte("@import")) {
				t.Error("the styles reference an external resource")
			}
			for _, s := range tc.sections {
				if !ids[s] {
					t.Errorf("no element with id %q", s)
				}
			}
			for _, s := range tc.texts {
				if !bytes.Contains(page, []byte(s)) {
					t.Errorf("page lacks %q", s)
				}
			}
		})
	}
}

// A conformance page opens showing what needs attention: PASS and SKIP
// cases are present but hidden until their filter is ticked.
func TestHTMLDefaultFilter(t *testing.T) {
	page := string(render(t, func(b *bytes.Buffer) error { return reports.WriteHTML(b, reportstest.Conformance()) }))
	for _, o := range reports.Outcomes {
		marker := `data-o="` + string(o) + `"`
		i := strings.Index(page, `class="case" `+marker)
		if i < 0 {
			i = strings.Index(page, `class="case row" `+marker)
		}
		if i < 0 {
			t.Fatalf("no %s case on the page", o)
		}
		j := strings.Index(page[i:], ">")
		hidden := strings.Contains(page[i:i+j], " hidden")
		if want := o == reports.Pass || o == reports.Skip; hidden != want {
			t.Errorf("%s cases hidden=%v, want %v", o, hidden, want)
		}
	}
}

// Transcripts beyond the size budget stay in the JSON result, and the page
// says so; FAIL transcripts are inlined first.
func TestHTMLTranscriptBudget(t *testing.T) {
	r := reportstest.SyntheticConformance(200)
	var b bytes.Buffer
	if err := reports.WriteHTMLWith(&b, r, reports.HTMLOptions{MaxTranscriptBytes: 20000}); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	if !strings.Contains(page, "transcripts are not inlined, to keep this file small") {
		t.Fatal("the page does not say transcripts were left out")
	}
	inlined, n := 0, 0
	for rest := page; ; n++ {
		i := strings.Index(rest, `<pre class="tr">`)
		if i < 0 {
			break
		}
		j := strings.Index(rest[i:], "</pre>")
		inlined += len(html.UnescapeString(rest[i+len(`<pre class="tr">`) : i+j]))
		rest = rest[i+j:]
	}
	if n == 0 || inlined > 20000 {
		t.Fatalf("%d transcripts of %d bytes inlined with a 20000-byte budget", n, inlined)
	}
	firstPre := strings.Index(page, `<pre class="tr">`)
	caseStart := strings.LastIndex(page[:firstPre], `<details class="case"`)
	if !strings.Contains(page[caseStart:firstPre], `data-o="FAIL"`) {
		t.Fatal("the first inlined transcript is not a FAIL case's")
	}
}

func TestTranscriptFiles(t *testing.T) {
	dir := t.TempDir()
	paths, err := reports.WriteTranscriptFiles(dir, reportstest.Conformance(), true)
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) != 6 {
		t.Fatalf("wrote %d files, want one per non-passing case with transcripts (6): %v", len(paths), paths)
	}
	data, err := os.ReadFile(filepath.Join(dir, reports.TranscriptFileName("rfc3501/6.1.3/logout-bye-before-ok")))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"FAIL rfc3501/6.1.3/logout-bye-before-ok", "Expected: * BYE", "--- connection main", "   5  +0.012s  C: a2 LOGOUT"} {
		if !strings.Contains(string(data), want) {
			t.Errorf("transcript file lacks %q:\n%s", want, data)
		}
	}
	if name := reports.TranscriptFileName("rfc3501/6.3.1/select ../x"); name != "rfc3501_6.3.1_select_.._x.txt" {
		t.Errorf("TranscriptFileName = %q", name)
	}
}

func TestOutputsWriteEveryFile(t *testing.T) {
	dir := t.TempDir()
	o := reports.Outputs{JSON: filepath.Join(dir, "r.json"), JUnit: filepath.Join(dir, "r.xml"),
		HTML: filepath.Join(dir, "r.html"), Markdown: filepath.Join(dir, "r.md")}
	if err := o.Write(reportstest.Load()); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{o.JSON, o.JUnit, o.HTML, o.Markdown} {
		if st, err := os.Stat(p); err != nil || st.Size() == 0 {
			t.Errorf("%s: %v", p, err)
		}
	}
	if _, err := reports.ReadFile(o.JSON); err != nil {
		t.Fatal(err)
	}
	bad := reports.Outputs{JSON: filepath.Join(dir, "no", "such", "dir.json"), Markdown: filepath.Join(dir, "ok.md")}
	if err := bad.Write(reportstest.Load()); err == nil || !strings.Contains(err.Error(), "dir.json") {
		t.Fatalf("err = %v, want the failing path", err)
	}
	if _, err := os.Stat(bad.Markdown); err != nil {
		t.Fatal("one failing output stopped the others")
	}
}
