package reports_test

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/imapgauge/imapgauge/reports"
	"github.com/imapgauge/imapgauge/reports/reportstest"
)

const chromiumPath = "/usr/bin/chromium"

// browserEvents collects what the page did that a self-contained report
// must not do: console errors, uncaught exceptions, browser log errors (CSP
// violations land there) and every network request.
type browserEvents struct {
	mu       sync.Mutex
	problems []string
	requests []string
}

func (b *browserEvents) add(list *[]string, s string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	*list = append(*list, s)
}

func (b *browserEvents) listen(ev any) {
	switch e := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		if e.Type == runtime.APITypeError || e.Type == runtime.APITypeWarning || e.Type == runtime.APITypeAssert {
			var args []string
			for _, a := range e.Args {
				args = append(args, string(a.Value)+a.Description)
			}
			b.add(&b.problems, fmt.Sprintf("console.%s: %s", e.Type, strings.Join(args, " ")))
		}
	case *runtime.EventExceptionThrown:
		b.add(&b.problems, "uncaught exception: "+e.ExceptionDetails.Error())
	case *log.EventEntryAdded:
		if e.Entry.Level == log.LevelError || e.Entry.Level == log.LevelWarning {
			b.add(&b.problems, fmt.Sprintf("browser log %s (%s): %s %s", e.Entry.Level, e.Entry.Source, e.Entry.Text, e.Entry.URL))
		}
	case *network.EventRequestWillBeSent:
		b.add(&b.requests, e.Request.URL)
	}
}

// TestHTMLReportsInChromium opens a conformance and a load report in
// headless Chromium (Debian's chromium package) and checks that each page
// loads with no console error and no network request besides the page
// itself, that the expected sections are visible, and that the conformance
// filters work. It saves full-page screenshots into
// $IMAPGAUGE_SCREENSHOTS (default: a temporary directory, logged).
func TestHTMLReportsInChromium(t *testing.T) {
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Skipf("%s not found: install Debian's chromium package to run the browser test (.ci/run does)", chromiumPath)
	}
	shots := os.Getenv("IMAPGAUGE_SCREENSHOTS")
	if shots == "" {
		shots = t.TempDir()
	} else if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(filepath.Join(dir, "profile")),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.WindowSize(1280, 900),
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	defer cancelAlloc()

	for _, tc := range []struct {
		name     string
		r        *reports.Result
		sections []string
		check    func(t *testing.T, ctx context.Context)
	}{
		{"conformance", reportstest.Conformance(),
			[]string{"verdict", "run", "counts", "matrix", "cases", "filters", "case-list"}, checkFilters},
		{"load", reportstest.Load(),
			[]string{"verdict", "thresholds", "load", "latency", "throughput", "commands", "distributions", "violations", "errors", "generator"}, checkCharts},
	} {
		t.Run(tc.name, func(t *testing.T) {
			page := filepath.Join(dir, tc.name+".html")
			f, err := os.Create(page)
			if err != nil {
				t.Fatal(err)
			}
			if err := reports.WriteHTML(f, tc.r); err != nil {
				t.Fatal(err)
			}
			if err := f.Close(); err != nil {
				t.Fatal(err)
			}
			pageURL, tabCtx, ev := openPage(t, allocCtx, page)
			for _, id := range tc.sections {
				var visible bool
				js := fmt.Sprintf(`(function(){var e=document.getElementById(%q);if(!e)return false;var r=e.getBoundingClientRect();return r.width>0&&r.height>0&&getComputedStyle(e).visibility!=="hidden";})()`, id)
				if err := chromedp.Run(tabCtx, chromedp.Evaluate(js, &visible)); err != nil {
					t.Fatal(err)
				}
				if !visible {
					t.Errorf("section #%s is missing or not visible", id)
				}
			}
			tc.check(t, tabCtx)

			var png []byte
			if err := chromedp.Run(tabCtx, chromedp.FullScreenshot(&png, 100)); err != nil {
				t.Fatal(err)
			}
			shot := filepath.Join(shots, tc.name+".png")
			if err := os.WriteFile(shot, png, 0o644); err != nil {
				t.Fatal(err)
			}
			t.Logf("screenshot: %s (%d bytes)", shot, len(png))

			problems, requests := ev.after(pageURL)
			for _, p := range problems {
				t.Errorf("%s", p)
			}
			for _, u := range requests {
				t.Errorf("network request to %s", u)
			}
		})
	}

	// The checks above can fail: a page that logs an error and loads an
	// image is caught on both counts.
	t.Run("negative control", func(t *testing.T) {
		page := filepath.Join(dir, "bad.html")
		bad := `<!DOCTYPE html><html><body><h1 id="verdict">bad</h1>` +
			`<img src="http://127.0.0.1:9/pixel.png"><script>console.error("deliberate error")</script></body></html>`
		if err := os.WriteFile(page, []byte(bad), 0o644); err != nil {
			t.Fatal(err)
		}
		pageURL, _, ev := openPage(t, allocCtx, page)
		// The script has run once the page is visible; wait (bounded) for
		// the image request to be reported.
		var problems, requests []string
		for deadline := time.Now().Add(10 * time.Second); ; {
			problems, requests = ev.after(pageURL)
			if len(requests) > 0 || time.Now().After(deadline) {
				break
			}
			time.Sleep(20 * time.Millisecond)
		}
		if !slices.ContainsFunc(problems, func(p string) bool { return strings.Contains(p, "deliberate error") }) {
			t.Errorf("the console error was not seen: %q", problems)
		}
		if !slices.Contains(requests, "http://127.0.0.1:9/pixel.png") {
			t.Errorf("the image request was not seen: %q", requests)
		}
	})
}

// openPage opens the file page in a new tab of the browser and waits until
// #verdict is visible; the events it returns keep recording.
func openPage(t *testing.T, allocCtx context.Context, page string) (string, context.Context, *browserEvents) {
	t.Helper()
	pageURL := (&url.URL{Scheme: "file", Path: page}).String()
	tabCtx, cancelTab := chromedp.NewContext(allocCtx)
	t.Cleanup(cancelTab)
	ev := &browserEvents{}
	chromedp.ListenTarget(tabCtx, ev.listen)
	if err := chromedp.Run(tabCtx,
		network.Enable(), log.Enable(), runtime.Enable(),
		chromedp.Navigate(pageURL),
		chromedp.WaitVisible("#verdict", chromedp.ByID),
	); err != nil {
		t.Fatalf("loading %s: %v", pageURL, err)
	}
	return pageURL, tabCtx, ev
}

// after returns the problems seen and the requests made other than the page
// itself. A page that made no request at all means the listener is broken.
func (b *browserEvents) after(pageURL string) (problems, requests []string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.requests) == 0 {
		problems = append(problems, "saw no request at all: the network listener is not working")
	}
	problems = append(problems, b.problems...)
	for _, u := range b.requests {
		if u != pageURL {
			requests = append(requests, u)
		}
	}
	return problems, requests
}

func evalInt(t *testing.T, ctx context.Context, js string) int {
	t.Helper()
	var n int
	if err := chromedp.Run(ctx, chromedp.Evaluate(js, &n)); err != nil {
		t.Fatalf("%s: %v", js, err)
	}
	return n
}

const visibleCases = `Array.prototype.filter.call(document.querySelectorAll("#case-list > .case"), function(c){return c.getClientRects().length>0;}).length`

// checkFilters exercises the conformance page's filters: the default view
// hides PASS and SKIP, ticking PASS shows them, and a matrix cell narrows the
// list to one section and outcome.
func checkFilters(t *testing.T, ctx context.Context) {
	if n := evalInt(t, ctx, visibleCases); n != 6 {
		t.Errorf("default view shows %d cases, want the 6 that are not PASS or SKIP", n)
	}
	if err := chromedp.Run(ctx, chromedp.Click(`#filters input[value="PASS"]`, chromedp.ByQuery)); err != nil {
		t.Fatal(err)
	}
	if n := evalInt(t, ctx, visibleCases); n != 8 {
		t.Errorf("with PASS ticked %d cases shown, want 8", n)
	}
	if err := chromedp.Run(ctx, chromedp.Click(`.matrix td.hit[data-s="6.3.9"][data-o="WARN"]`, chromedp.ByQuery)); err != nil {
		t.Fatal(err)
	}
	if n := evalInt(t, ctx, visibleCases); n != 1 {
		t.Errorf("after clicking the 6.3.9 x WARN cell %d cases shown, want 1", n)
	}
	var count string
	if err := chromedp.Run(ctx, chromedp.Text("#f-count", &count, chromedp.ByID)); err != nil {
		t.Fatal(err)
	}
	if count != "1" {
		t.Errorf("shown counter says %q, want 1", count)
	}
	if err := chromedp.Run(ctx, chromedp.SendKeys("#f-text", "nothing-matches-this", chromedp.ByID)); err != nil {
		t.Fatal(err)
	}
	if n := evalInt(t, ctx, visibleCases); n != 0 {
		t.Errorf("search for a missing text shows %d cases", n)
	}
	// Leave the page as a reader first sees it, for the screenshot.
	if err := chromedp.Run(ctx, chromedp.Reload(), chromedp.WaitVisible("#verdict", chromedp.ByID)); err != nil {
		t.Fatal(err)
	}
}

// checkCharts verifies the load page's charts were drawn: each inline SVG has
// a laid-out size and lines in it.
func checkCharts(t *testing.T, ctx context.Context) {
	n := evalInt(t, ctx, `Array.prototype.filter.call(document.querySelectorAll("svg.chart"), function(s){var r=s.getBoundingClientRect();return r.width>100&&r.height>50&&s.querySelectorAll("path").length>5;}).length`)
	if n < 7 {
		t.Errorf("%d laid-out charts with lines, want at least 7 (load, 3 commands, throughput, connections, distributions)", n)
	}
}
