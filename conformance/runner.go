package conformance

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/formatter"
	"github.com/onsi/ginkgo/v2/types"

	"github.com/imapgauge/imapgauge/reports"
)

// Selection picks the cases of a run, as Ginkgo does: by label expression
// and by regular expressions over the case IDs.
type Selection struct {
	// LabelFilter is a Ginkgo label expression over the case labels, e.g.
	// "6.2 && MUST" or "rfc3501 && !STARTTLS".
	LabelFilter string
	// Focus runs only cases whose ID matches this regular expression.
	Focus string
	// Skip leaves out cases whose ID matches this regular expression.
	Skip string
}

// Validate checks the label expression and the regular expressions, so
// that a typo is a usage error rather than a failed run.
func (s Selection) Validate() error {
	if s.LabelFilter != "" {
		if _, err := types.ParseLabelFilter(s.LabelFilter); err != nil {
			var ge types.GinkgoError
			if errors.As(err, &ge) {
				return fmt.Errorf("--label-filter: %s: %s", ge.Heading, strings.TrimSpace(ge.Message))
			}
			return fmt.Errorf("--label-filter: %v", err)
		}
	}
	for flag, re := range map[string]string{"--focus": s.Focus, "--skip": s.Skip} {
		if _, err := regexp.Compile(re); err != nil {
			return fmt.Errorf("%s: %v", flag, err)
		}
	}
	return nil
}

// RunConfig configures Run.
type RunConfig struct {
	Env       *Env
	Selection Selection
	// Strict makes WARN fail the Ginkgo spec as well (the run's verdict
	// is computed from the results either way).
	Strict bool
	// Seed orders the specs; zero picks one from the clock.
	Seed int64
	// Procs is the number of processes running cases at once. With more
	// than one, Worker must start a copy of the program that calls
	// ServeWorker.
	Procs int
	// Worker returns a command, not yet started, that runs ServeWorker on
	// its standard input and output.
	Worker func(ctx context.Context) *exec.Cmd
	// OnStart, when set, is called once with the number of cases the run
	// will attempt, before the first one.
	OnStart func(total int)
	// OnResult, when set, is called with each result as it arrives, one at
	// a time (for progress displays).
	OnResult func(reports.Case)
}

// collector gathers results from spec bodies (in-process or from workers),
// at most one per case.
type collector struct {
	mu       sync.Mutex
	results  map[string]reports.Case
	claimed  map[string]bool
	onResult func(reports.Case)
}

func newCollector(onResult func(reports.Case)) *collector {
	return &collector{results: map[string]reports.Case{}, claimed: map[string]bool{}, onResult: onResult}
}

// claim gives a case to the first process that asks for it.
func (c *collector) claim(id string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.claimed[id] {
		return false
	}
	c.claimed[id] = true
	return true
}

func (c *collector) record(rc reports.Case) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, dup := c.results[rc.ID]; dup {
		return
	}
	c.results[rc.ID] = rc
	if c.onResult != nil {
		c.onResult(rc)
	}
}

func (c *collector) has(id string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	_, ok := c.results[id]
	return ok
}

// ordered returns the results in the order of cases.
func (c *collector) ordered(cases []Case) []reports.Case {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []reports.Case
	for i := range cases {
		if rc, ok := c.results[cases[i].ID()]; ok {
			out = append(out, rc)
		}
	}
	return out
}

// Run runs the selected cases as one Ginkgo suite and returns their
// results in catalog order; known failures are not applied. With Procs > 1
// the cases run in worker processes (see ServeWorker). The Ginkgo suite can
// run once per process: Run, List and ServeWorker are each called at most
// once, and only one of them.
func Run(ctx context.Context, cases []Case, cfg RunConfig) ([]reports.Case, error) {
	if err := cfg.Selection.Validate(); err != nil {
		return nil, err
	}
	if cfg.Procs > 1 {
		return runParallel(ctx, cases, cfg)
	}
	col := newCollector(cfg.OnResult)
	err := runSuite(ctx, cases, cfg, false, col.claim, col, nil)
	return col.ordered(cases), err
}

// List returns the cases the selection picks, in catalog order, without
// running them (a Ginkgo dry run). See Run about calling it once.
func List(cases []Case, sel Selection) ([]Case, error) {
	if err := sel.Validate(); err != nil {
		return nil, err
	}
	var mu sync.Mutex
	picked := map[string]bool{}
	err := runSuite(context.Background(), cases, RunConfig{Selection: sel, Env: &Env{}}, true, nil, nil, func(r types.SpecReport) {
		if r.State == types.SpecStatePassed {
			mu.Lock()
			picked[r.LeafNodeText] = true
			mu.Unlock()
		}
	})
	if err != nil {
		return nil, err
	}
	var out []Case
	for _, c := range cases {
		if picked[c.ID()] {
			out = append(out, c)
		}
	}
	return out, nil
}

// ginkgoT is the GinkgoTestingT of a suite run outside `go test`.
type ginkgoT struct{ failed bool }

func (g *ginkgoT) Fail() { g.failed = true }

// runSuite registers one spec per case and runs the Ginkgo suite. claim
// (nil: every case) decides whether this process runs a case; results go
// to col; afterEach sees every spec report (dry runs use it).
func runSuite(ctx context.Context, cases []Case, cfg RunConfig, dryRun bool, claim func(string) bool, col *collector, afterEach func(types.SpecReport)) error {
	if !suiteRan.CompareAndSwap(false, true) {
		return ErrSuiteRan
	}
	env := cfg.Env
	// Group by section in catalog order; Ginkgo shuffles containers, not
	// the cases of one section.
	var groups [][]int
	for i := range cases {
		if i == 0 || cases[i].section != cases[i-1].section || cases[i].suite != cases[i-1].suite {
			groups = append(groups, nil)
		}
		groups[len(groups)-1] = append(groups[len(groups)-1], i)
	}
	for _, g := range groups {
		first := &cases[g[0]]
		ginkgo.Describe(fmt.Sprintf("%s %s %s", first.suite, first.section, first.sectionTitle), func() {
			for _, i := range g {
				c := &cases[i]
				labels := slices.Clone(c.Labels())
				// Ginkgo needs time beyond the case's own bound to see the
				// case end by itself; it is only a last resort.
				ginkgo.It(c.ID(), ginkgo.Label(labels...), ginkgo.SpecTimeout(env.caseTimeout()+10*time.Second), func(sctx ginkgo.SpecContext) {
					if ctx.Err() != nil {
						ginkgo.Skip("the run was interrupted")
					}
					if claim != nil && !claim(c.ID()) {
						ginkgo.Skip("run by another worker")
					}
					caseCtx, cancel := context.WithCancel(sctx)
					defer cancel()
					stop := context.AfterFunc(ctx, cancel)
					defer stop()
					rc := RunCase(caseCtx, env, c)
					col.record(rc)
					switch rc.Outcome {
					case reports.Fail, reports.Error:
						ginkgo.Fail(rc.Message)
					case reports.Warn:
						if cfg.Strict {
							ginkgo.Fail(rc.Message)
						}
					case reports.Skip:
						ginkgo.Skip(rc.Message)
					}
				})
			}
		})
	}
	if cfg.OnStart != nil {
		ginkgo.ReportBeforeSuite(func(r types.Report) { cfg.OnStart(r.PreRunStats.SpecsThatWillRun) })
	}
	ginkgo.ReportAfterEach(func(r types.SpecReport) {
		if afterEach != nil {
			afterEach(r)
		}
		if dryRun || col == nil || r.LeafNodeType != types.NodeTypeIt {
			return
		}
		// A spec that ended without recording a result was cut short by
		// Ginkgo itself (its timeout, an interrupt): report it as ERROR.
		if r.State.Is(types.SpecStateFailureStates) && !col.has(r.LeafNodeText) {
			for i := range cases {
				if cases[i].ID() == r.LeafNodeText {
					c := &cases[i]
					col.record(reports.Case{ID: c.ID(), Title: c.Title, Section: c.section, Level: c.Level, Labels: c.Labels(),
						Sentence: c.Sentence, Outcome: reports.Error, Message: fmt.Sprintf("%s: %s", r.State, r.Failure.Message), Duration: r.RunTime})
				}
			}
		}
	})

	interrupted := false
	ginkgo.ReportAfterSuite("imapgauge", func(r types.Report) {
		for _, reason := range r.SpecialSuiteFailureReasons {
			if strings.Contains(reason, "Interrupted") {
				interrupted = true
			}
		}
	})

	sc := types.NewDefaultSuiteConfig()
	sc.LabelFilter = cfg.Selection.LabelFilter
	if cfg.Selection.Focus != "" {
		sc.FocusStrings = []string{cfg.Selection.Focus}
	}
	if cfg.Selection.Skip != "" {
		sc.SkipStrings = []string{cfg.Selection.Skip}
	}
	sc.DryRun = dryRun
	sc.Timeout = 24 * time.Hour
	if cfg.Seed != 0 {
		sc.RandomSeed = cfg.Seed
	}
	rc := types.NewDefaultReporterConfig()
	rc.NoColor = true
	// Our own reports replace Ginkgo's console output.
	formatter.ColorableStdOut = io.Discard
	gt := &ginkgoT{}
	ginkgo.RunSpecs(gt, "imapgauge conformance", sc, rc)
	if interrupted || ctx.Err() != nil {
		return ErrInterrupted
	}
	return nil
}

// ErrNoWorker is returned when Procs > 1 but no Worker command is set.
var ErrNoWorker = errors.New("parallel run needs a worker command")

// ErrInterrupted is returned (wrapped) by Run when the run was cut short by
// its context or by an interrupt signal; the results so far are returned
// with it.
var ErrInterrupted = errors.New("the run was interrupted")

// ErrSuiteRan is returned by Run, List and ServeWorker when the Ginkgo suite
// already ran in this process: Ginkgo runs a suite once per process.
var ErrSuiteRan = errors.New("the conformance suite already ran in this process")

// suiteRan records that runSuite was called.
var suiteRan atomic.Bool
