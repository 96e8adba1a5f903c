package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/spf13/cobra"
	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"

	"github.com/imapgauge/imapgauge/conformance"
	"github.com/imapgauge/imapgauge/load"
	referenceserver "github.com/imapgauge/imapgauge/reference-server"
	"github.com/imapgauge/imapgauge/reports"
	"github.com/imapgauge/imapgauge/scenarios/profiles"
)

// credentialsEnv holds the --credentials template when the flag is not given.
const credentialsEnv = "IMAPGAUGE_CREDENTIALS"

type loadFlags struct {
	profile        string
	users          int
	duration       time.Duration
	rampUp         optionalDuration
	seed           int64
	shard          string
	credentials    string
	thresholds     []string
	outputs        reports.Outputs
	insecure       bool
	timeout        time.Duration
	disable        []string
	resetMailboxes bool
	listProfiles   bool
	progressEvery  time.Duration
}

func newLoadCommand() *cobra.Command {
	var f loadFlags
	cmd := &cobra.Command{
		Use:   "load [TARGET]",
		Short: "Load an IMAP server with users' synchronising devices and check it stays correct",
		Long: `load simulates users who each own several devices (desktop holding IDLE, laptop
polling with CONDSTORE and sleeping, phone with short sessions or push, webmail)
that read, flag, file, delete and answer mail while new mail arrives, and
measures the server: latency of every command (HDR histograms), session setup
phases, sync lag between a user's devices, IDLE notification latency, and
throughput over time. Every device keeps a cache that is checked against what
the server acknowledged: lost messages, missed expunges, reused or wrong UIDs,
changed static data, diverging flags and unannounced new mail are correctness
violations.

Load is open-model: device ticks, actions and deliveries are scheduled in
advance from --seed and measured from their scheduled time, so a stalled server
cannot hide behind a slowed-down client. The same seed gives the same schedule.

TARGET is imap://HOST[:PORT], imap://HOST[:PORT]?starttls=1 or
imaps://HOST[:PORT]; it needs --credentials (or ` + credentialsEnv + `) as
NAME:PASSWORD where %d is replaced by the user's number (1-based), for example
'load%d:secret'. Without TARGET the bundled reference server is started
in-process with the users the run needs.

--profile names a preset (` + strings.Join(profiles.Presets(), ", ") + `) or a
YAML file (see scenarios/profiles/presets for the format).

--shard i/N runs every N-th user (all devices of a user stay together); merge
the shards' --json results with 'imapgauge report merge'.

Thresholds (--threshold, repeatable) are k6-style: 'p99(fetch)<50ms',
'sync_lag_p95<2s', 'errors<0.1%', 'notification_p99<1s', 'violations==0'.

Exit codes: 0 ok, 2 usage error, 3 target unreachable (also when it goes away
during the run), 99 a threshold was breached, 100 a correctness violation,
101 the run is invalid because the load generator itself was overloaded.`,
		Example: `  imapgauge load --duration 30s
  imapgauge load imap://127.0.0.1:14143?starttls=1 --insecure --credentials 'load%d:secret' --profile office-day --users 50
  imapgauge load imaps://mail.example.org --credentials 'u%d:pw' --shard 2/4 --json shard2.json --threshold 'p99<200ms'`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runLoad(cmd, args, f)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.profile, "profile", "office-day", "workload: a preset name or a YAML file")
	fl.IntVar(&f.users, "users", 0, "number of users (default: the profile's)")
	fl.DurationVar(&f.duration, "duration", 0, "length of the run (default: the profile's)")
	fl.Var(&f.rampUp, "ramp-up", "time over which users start (default: the profile's)")
	fl.Int64Var(&f.seed, "seed", 1, "seed of the schedule and of the generated mail")
	fl.StringVar(&f.shard, "shard", "", "run shard i of N (i/N): every N-th user")
	fl.StringVar(&f.credentials, "credentials", "", "NAME:PASSWORD template, %d = user number (or "+credentialsEnv+")")
	fl.StringArrayVar(&f.thresholds, "threshold", nil, "pass/fail criterion, repeatable (e.g. 'p99(fetch)<50ms')")
	fl.StringVar(&f.outputs.JSON, "json", "", "write the result as JSON to this file, updated while the run goes")
	fl.StringVar(&f.outputs.HTML, "html", "", "write an HTML report to this file")
	fl.StringVar(&f.outputs.JUnit, "junit", "", "write a JUnit XML report to this file")
	fl.StringVar(&f.outputs.Markdown, "markdown", "", "write a Markdown summary to this file")
	fl.BoolVar(&f.insecure, "insecure", false, "do not verify the server's TLS certificate")
	fl.DurationVar(&f.timeout, "timeout", 10*time.Second, "bound on every dial, handshake and command")
	fl.StringSliceVar(&f.disable, "disable", nil, "capabilities the devices must not use even if offered (IDLE,CONDSTORE,MOVE,UIDPLUS)")
	fl.BoolVar(&f.resetMailboxes, "reset-mailboxes", false, "delete all mail of the users' INBOX and folders first (destroys mail)")
	fl.BoolVar(&f.listProfiles, "list-profiles", false, "list the preset profiles and exit")
	fl.DurationVar(&f.progressEvery, "progress-every", 5*time.Second, "interval of the plain progress lines when not on a terminal")
	return cmd
}

func runLoad(cmd *cobra.Command, args []string, f loadFlags) error {
	stdout := cmd.OutOrStdout()
	if f.listProfiles {
		for _, name := range profiles.Presets() {
			w, err := profiles.Load(name)
			if err != nil {
				return withCode(exitUsage, err)
			}
			fmt.Fprintf(stdout, "%-16s %s\n", name, firstSentence(w.Description))
		}
		return nil
	}
	w, err := profiles.Load(f.profile)
	if err != nil {
		return usageErr("%v", err)
	}
	if f.users < 0 {
		return usageErr("--users must be positive")
	}
	if f.timeout <= 0 {
		return usageErr("--timeout must be positive")
	}
	if f.duration < 0 {
		return usageErr("--duration must be positive")
	}
	var shard load.Shard
	if f.shard != "" {
		if shard, err = load.ParseShard(f.shard); err != nil {
			return usageErr("--shard: %v", err)
		}
	}
	if _, err := reports.NewThresholds(f.thresholds); err != nil {
		return usageErr("%v", err)
	}
	users := f.users
	if users == 0 {
		users = w.Users
	}
	cfg := load.Config{
		Workload: w, Users: users, Seed: f.seed, Shard: shard, Duration: f.duration, Timeout: f.timeout,
		Thresholds: f.thresholds, Disable: f.disable, ResetMailboxes: f.resetMailboxes, ToolVersion: version(),
		Settings: map[string]string{"profile": f.profile, "users": fmt.Sprint(users), "seed": fmt.Sprint(f.seed),
			"timeout": f.timeout.String()},
	}
	if f.rampUp.set {
		if f.rampUp.d < 0 {
			return usageErr("--ramp-up must not be negative")
		}
		cfg.RampUp, cfg.RampUpSet = f.rampUp.d, true
	}
	if f.shard != "" {
		cfg.Settings["shard"] = f.shard
	}
	if len(args) == 1 {
		t, err := conformance.ParseTarget(args[0])
		if err != nil {
			return usageErr("%v", err)
		}
		t.Insecure = f.insecure
		creds := f.credentials
		if creds == "" {
			creds = os.Getenv(credentialsEnv)
		}
		if creds == "" {
			return usageErr("a TARGET needs --credentials NAME:PASSWORD (with %%d for the user number) or %s", credentialsEnv)
		}
		cfg.Credentials = creds
		cfg.Target = load.Target{URL: reports.RedactURL(t.URL), Addr: t.Addr, Security: load.Security(t.Security), TLS: t.TLSConfig()}
	} else {
		if f.credentials != "" {
			return usageErr("--credentials applies to a TARGET; the embedded server gets generated users")
		}
		pw := randomHex(12)
		cfg.Credentials = "imapgauge-load-%d:" + pw
		opts := referenceserver.Options{}
		for i := 1; i <= users; i++ {
			name, pass, _ := load.Credential(cfg.Credentials, i)
			opts.Users = append(opts.Users, referenceserver.User{Name: name, Password: pass})
		}
		srv, err := referenceserver.Start(opts)
		if err != nil {
			return withCode(exitUsage, fmt.Errorf("starting the reference server: %w", err))
		}
		defer srv.Close()
		cfg.Target = load.Target{URL: "imap://" + srv.Addr(), Addr: srv.Addr(), Security: load.Plain}
		cfg.TargetDescription = "embedded reference server"
	}
	runner, err := load.New(cfg)
	if err != nil {
		return usageErr("%v", err)
	}

	ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	fmt.Fprintf(stdout, "load: profile %s, %d users, %d devices, %s against %s; preparing mailboxes\n",
		w.Name, users, runner.Devices(), runner.Duration(), targetName(cfg))
	if err := runner.Init(ctx); err != nil {
		var ue *load.UnreachableError
		if errors.As(err, &ue) {
			return withCode(exitUnreachable, err)
		}
		if ctx.Err() != nil {
			return withCode(exitUnreachable, errors.New("interrupted while preparing mailboxes"))
		}
		return withCode(exitUsage, err)
	}
	var cp *reports.Checkpointer
	if f.outputs.JSON != "" {
		cp = reports.StartCheckpointer(f.outputs.JSON, 5*time.Second, runner.Result)
	}
	ui := startLoadProgress(stdout, runner, f.progressEvery)
	runErr := runner.Run(ctx)
	ui.stop()
	res := runner.Result()
	if cp != nil {
		if err := cp.Stop(res); err != nil {
			fmt.Fprintf(cmd.ErrOrStderr(), "imapgauge: writing %s: %v\n", f.outputs.JSON, err)
		}
	}
	outs := f.outputs
	outs.JSON = ""
	if err := outs.Write(res); err != nil {
		fmt.Fprintf(cmd.ErrOrStderr(), "imapgauge: %v\n", err)
	}
	fmt.Fprintln(stdout)
	_ = reports.WriteText(stdout, res, reports.TextOptions{MaxFailures: 5, ResultPath: f.outputs.JSON, HTMLPath: f.outputs.HTML})
	if runErr != nil {
		var ue *load.UnreachableError
		if errors.As(runErr, &ue) && res.Verdict.ExitCode == exitOK {
			return withCode(exitUnreachable, runErr)
		}
	}
	if res.Verdict.ExitCode != exitOK {
		return withCode(res.Verdict.ExitCode, nil)
	}
	return nil
}

func targetName(cfg load.Config) string {
	if cfg.TargetDescription != "" {
		return cfg.TargetDescription + " (" + cfg.Target.URL + ")"
	}
	return cfg.Target.URL
}

func firstSentence(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if i := strings.Index(s, ". "); i >= 0 {
		return s[:i+1]
	}
	return s
}

// loadProgress shows a running load: mpb bars on a terminal, a plain line every
// few seconds otherwise (CI logs). It pulls the runner's Progress; the runner
// never draws.
type loadProgress struct {
	done chan struct{}
	wg   sync.WaitGroup
	p    *mpb.Progress
}

func startLoadProgress(w io.Writer, r *load.Runner, every time.Duration) *loadProgress {
	lp := &loadProgress{done: make(chan struct{})}
	tty := false
	if f, ok := w.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			tty = true
		}
	}
	var (
		mu         sync.Mutex
		last       load.Progress
		rate       float64
		prevCmds   int64
		prevRateAt = time.Now()
	)
	sample := func() load.Progress {
		p := r.Progress()
		mu.Lock()
		defer mu.Unlock()
		if dt := time.Since(prevRateAt); dt >= time.Second {
			rate = float64(p.Commands-prevCmds) / dt.Seconds()
			prevCmds, prevRateAt = p.Commands, time.Now()
		}
		last = p
		return p
	}
	line := func(p load.Progress) string {
		mu.Lock()
		defer mu.Unlock()
		return fmt.Sprintf("devices %d/%d connected, %d idling | %.0f cmd/s | p99 %s | errors %d | violations %d",
			p.Connected, p.Devices, p.Idling, rate, reports.FormatDuration(p.P99), p.Errors, p.Violations)
	}
	if tty {
		lp.p = mpb.New(mpb.WithOutput(w), mpb.WithWidth(30), mpb.WithRefreshRate(500*time.Millisecond))
		total := int64(r.Duration() / time.Millisecond)
		bar := lp.p.AddBar(total,
			mpb.PrependDecorators(decor.Name("load "), decor.Any(func(decor.Statistics) string {
				mu.Lock()
				p := last
				mu.Unlock()
				return fmt.Sprintf("%s left", reports.FormatDuration((p.Duration - p.Elapsed).Round(time.Second)))
			})),
			mpb.AppendDecorators(decor.Any(func(decor.Statistics) string {
				mu.Lock()
				p := last
				mu.Unlock()
				return line(p)
			})),
		)
		lp.wg.Add(1)
		go func() {
			defer lp.wg.Done()
			t := time.NewTicker(500 * time.Millisecond)
			defer t.Stop()
			for {
				select {
				case <-lp.done:
					bar.SetCurrent(total)
					bar.SetTotal(total, true)
					return
				case <-t.C:
					p := sample()
					bar.SetCurrent(int64(p.Elapsed / time.Millisecond))
				}
			}
		}()
		return lp
	}
	lp.wg.Add(1)
	go func() {
		defer lp.wg.Done()
		t := time.NewTicker(every)
		defer t.Stop()
		rt := time.NewTicker(time.Second)
		defer rt.Stop()
		for {
			select {
			case <-lp.done:
				return
			case <-rt.C:
				sample()
			case <-t.C:
				p := sample()
				fmt.Fprintf(w, "[%s/%s] %s\n", reports.FormatDuration(p.Elapsed.Round(time.Second)), reports.FormatDuration(p.Duration), line(p))
			}
		}
	}()
	return lp
}

func (lp *loadProgress) stop() {
	close(lp.done)
	lp.wg.Wait()
	if lp.p != nil {
		lp.p.Wait()
	}
}

// optionalDuration is a duration flag that knows whether it was given.
type optionalDuration struct {
	d   time.Duration
	set bool
}

func (o *optionalDuration) String() string {
	if !o.set {
		return ""
	}
	return o.d.String()
}

func (o *optionalDuration) Set(v string) error {
	d, err := time.ParseDuration(v)
	if err != nil {
		return err
	}
	o.d, o.set = d, true
	return nil
}

func (o *optionalDuration) Type() string { return "duration" }
