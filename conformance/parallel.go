package conformance

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/imapgauge/imapgauge/reports"
)

// Parallel runs. Ginkgo's own parallel mode needs its CLI as the host of
// the worker processes; imapgauge is its own host instead. The parent
// process lists the selected cases (a dry run), starts Procs workers — the
// same binary, running ServeWorker — and sends each the run's
// configuration. Every worker runs the same Ginkgo suite with the same
// selection, but asks the parent before each case ("claim"); the parent
// grants each case once, to the first worker that asks, so faster workers
// take more cases, as with Ginkgo's own counter. Workers send each result
// back as it completes. A case claimed by a worker that died without a
// result is reported as ERROR. The protocol is JSON lines on the workers'
// standard input and output, marked with workerPrefix; other output is
// passed to the parent's standard error.

// workerPrefix starts every protocol line a worker writes.
const workerPrefix = "\x1eimapgauge-worker "

// workerConfig is everything a worker needs to run cases like the parent.
type workerConfig struct {
	URL         string
	Addr        string
	Security    Security
	Insecure    bool
	RootPEM     []byte
	Users       []User
	Timeout     time.Duration
	CaseTimeout time.Duration
	RunID       string
	Profile     *Profile
	Selection   Selection
	Strict      bool
	Seed        int64
}

type toWorker struct {
	Config *workerConfig `json:"config,omitempty"`
	Grant  *bool         `json:"grant,omitempty"`
}

type fromWorker struct {
	Claim  string        `json:"claim,omitempty"`
	Result *reports.Case `json:"result,omitempty"`
}

func runParallel(ctx context.Context, cases []Case, cfg RunConfig) ([]reports.Case, error) {
	if cfg.Worker == nil {
		return nil, ErrNoWorker
	}
	selected, err := List(cases, cfg.Selection)
	if err != nil {
		return nil, err
	}
	if cfg.OnStart != nil {
		cfg.OnStart(len(selected))
	}
	env := cfg.Env
	if env.Target.RootCAs != nil && env.Target.rootPEM == nil {
		if err := env.Target.PinRoots(ctx, env.timeout()); err != nil {
			return nil, fmt.Errorf("sharing the target's certificate with the workers: %w", err)
		}
	}
	seed := cfg.Seed
	if seed == 0 {
		seed = time.Now().UnixNano()
	}
	wc := &workerConfig{
		URL: env.Target.URL, Addr: env.Target.Addr, Security: env.Target.Security, Insecure: env.Target.Insecure,
		RootPEM: env.Target.rootPEM, Users: env.Users, Timeout: env.Timeout, CaseTimeout: env.CaseTimeout,
		RunID: env.RunID, Profile: env.Profile, Selection: cfg.Selection, Strict: cfg.Strict, Seed: seed,
	}
	col := newCollector(cfg.OnResult)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var failures []error
	for i := 0; i < cfg.Procs; i++ {
		cmd := cfg.Worker(ctx)
		stdin, err := cmd.StdinPipe()
		if err != nil {
			return nil, err
		}
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			return nil, err
		}
		if cmd.Stderr == nil {
			cmd.Stderr = os.Stderr
		}
		if err := cmd.Start(); err != nil {
			return nil, fmt.Errorf("starting worker %d: %w", i+1, err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := host(stdin, stdout, cmd.Stderr, wc, col)
			stdin.Close()
			if werr := cmd.Wait(); werr != nil && err == nil {
				err = werr
			}
			if err != nil {
				mu.Lock()
				failures = append(failures, fmt.Errorf("worker %d: %w", i+1, err))
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	for i := range selected {
		c := &selected[i]
		if col.has(c.ID()) {
			continue
		}
		msg := "no result: the worker running the case ended before reporting it"
		if ctx.Err() != nil {
			msg = "the run was interrupted before the case ran"
		}
		if len(failures) > 0 {
			msg += fmt.Sprintf(" (%v)", errors.Join(failures...))
		}
		col.record(reports.Case{ID: c.ID(), Title: c.Title, Section: c.section, Level: c.Level, Labels: c.Labels(),
			Sentence: c.Sentence, Outcome: reports.Error, Message: msg})
	}
	if ctx.Err() != nil {
		return col.ordered(cases), ErrInterrupted
	}
	return col.ordered(cases), nil
}

// host talks to one worker until it closes its output.
func host(stdin io.Writer, stdout io.Reader, stderr io.Writer, wc *workerConfig, col *collector) error {
	enc := json.NewEncoder(stdin)
	if err := enc.Encode(toWorker{Config: wc}); err != nil {
		return err
	}
	br := bufio.NewReader(stdout)
	for {
		line, err := br.ReadBytes('\n')
		if len(line) > 0 {
			payload, ok := bytes.CutPrefix(line, []byte(workerPrefix))
			if !ok {
				stderr.Write(line)
			} else {
				var m fromWorker
				if err := json.Unmarshal(payload, &m); err != nil {
					return fmt.Errorf("malformed message from worker: %v", err)
				}
				switch {
				case m.Claim != "":
					grant := col.claim(m.Claim)
					if err := enc.Encode(toWorker{Grant: &grant}); err != nil {
						return err
					}
				case m.Result != nil:
					col.record(*m.Result)
				}
			}
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// ServeWorker runs cases as one worker of a parallel run: it reads the
// run's configuration from in, asks on out before running each case, and
// writes each result to out. It returns when the suite has run. See Run
// about calling it once per process.
func ServeWorker(ctx context.Context, in io.Reader, out io.Writer, cases []Case) error {
	br := bufio.NewReader(in)
	line, err := br.ReadBytes('\n')
	if err != nil {
		return fmt.Errorf("reading the run configuration: %w", err)
	}
	var first toWorker
	if err := json.Unmarshal(line, &first); err != nil || first.Config == nil {
		return fmt.Errorf("malformed run configuration: %v", err)
	}
	wc := first.Config
	env := &Env{
		Target:  Target{URL: wc.URL, Addr: wc.Addr, Security: wc.Security, Insecure: wc.Insecure},
		Users:   wc.Users,
		Timeout: wc.Timeout, CaseTimeout: wc.CaseTimeout,
		Profile: wc.Profile,
		RunID:   wc.RunID,
	}
	if len(wc.RootPEM) > 0 {
		if err := env.Target.SetRootPEM(wc.RootPEM); err != nil {
			return err
		}
	}
	var mu sync.Mutex
	send := func(m fromWorker) error {
		data, err := json.Marshal(m)
		if err != nil {
			return err
		}
		_, err = out.Write(append(append([]byte(workerPrefix), data...), '\n'))
		return err
	}
	claim := func(id string) bool {
		mu.Lock()
		defer mu.Unlock()
		if send(fromWorker{Claim: id}) != nil {
			return false
		}
		line, err := br.ReadBytes('\n')
		if err != nil {
			return false
		}
		var reply toWorker
		if json.Unmarshal(line, &reply) != nil || reply.Grant == nil {
			return false
		}
		return *reply.Grant
	}
	col := newCollector(func(rc reports.Case) {
		mu.Lock()
		defer mu.Unlock()
		_ = send(fromWorker{Result: &rc})
	})
	cfg := RunConfig{Env: env, Selection: wc.Selection, Strict: wc.Strict, Seed: wc.Seed}
	return runSuite(ctx, cases, cfg, false, claim, col, nil)
}
