package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"sort"
	"strings"
	"sync"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"

	"github.com/imapgauge/imapgauge/conformance"
	referenceserver "github.com/imapgauge/imapgauge/reference-server"
	"github.com/imapgauge/imapgauge/reports"
	"github.com/imapgauge/imapgauge/scenarios"
)

// conformWorkerEnv, when set, makes `imapgauge conform` a worker of a
// parallel run (--procs): it reads the run from its standard input and
// answers on its standard output.
const conformWorkerEnv = "IMAPGAUGE_CONFORM_WORKER"

// usersEnv holds NAME:PASSWORD,NAME:PASSWORD when --user is not given.
const usersEnv = "IMAPGAUGE_USERS"

type conformFlags struct {
	users          []string
	labelFilter    string
	focus, skip    string
	list           bool
	strict         bool
	timeout        time.Duration
	procs          int
	knownFailures  string
	json, junit    string
	html, markdown string
	transcripts    string
	insecure       bool
}

func newConformCommand() *cobra.Command {
	var f conformFlags
	cmd := &cobra.Command{
		Use:   "conform [TARGET]",
		Short: "Check an IMAP server against RFC 3501",
		Long: `conform runs the RFC 3501 conformance suite against TARGET and prints a verdict,
counts per outcome and per RFC section, and every case that did not pass with
the RFC sentence it checks, what was expected and what the server did.

TARGET is imap://HOST[:PORT] (plaintext), imap://HOST[:PORT]?starttls=1
(STARTTLS on every session) or imaps://HOST[:PORT] (implicit TLS). Without
TARGET the bundled reference server is started in-process with two generated
users.

Cases log in as two users, given as --user NAME:PASSWORD twice or as
IMAPGAUGE_USERS=NAME:PASSWORD,NAME:PASSWORD. Passwords are never printed and
are redacted from transcripts and reports. Cases create and delete their own
mailboxes (named imapgauge-...); they do not touch existing mail, though
they may read INBOX.

Outcomes: PASS; FAIL (a MUST broken); WARN (a SHOULD broken, fails the run only
with --strict); SKIP (a capability the case needs is not advertised); XFAIL and
XPASS (cases listed in --known-failures); ERROR (the case could not run).

Cases carry labels: the suite (rfc3501), the RFC section and its parents
(6, 6.2, 6.2.1), the level (MUST, SHOULD, MAY) and the capabilities they need.
--label-filter takes a Ginkgo label expression over them.

Exit codes: 0 all passed, 1 a case failed (FAIL or ERROR; WARN and XPASS with
--strict), 2 usage or setup error (bad flag, credentials refused), 3 target
unreachable.`,
		Example: `  imapgauge conform
  imapgauge conform --list --label-filter '6.2 && MUST'
  IMAPGAUGE_USERS=alice:pw1,bob:pw2 imapgauge conform imaps://mail.example.org --junit junit.xml
  imapgauge conform 'imap://127.0.0.1:143?starttls=1' --insecure --user a:pw1 --user b:pw2 \
      --known-failures scenarios/known-failures/dovecot.yaml --procs 4`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runConform(cmd, args, f)
		},
	}
	fl := cmd.Flags()
	fl.StringArrayVar(&f.users, "user", nil, "NAME:PASSWORD of a user on the target; give it twice (or set "+usersEnv+")")
	fl.StringVar(&f.labelFilter, "label-filter", "", "run the cases whose labels match this Ginkgo label expression")
	fl.StringVar(&f.focus, "focus", "", "run only the cases whose ID matches this regular expression")
	fl.StringVar(&f.skip, "skip", "", "leave out the cases whose ID matches this regular expression")
	fl.BoolVar(&f.list, "list", false, "list the selected cases (ID, level, title) without running them")
	fl.BoolVar(&f.strict, "strict", false, "fail the run on WARN (a broken SHOULD) and XPASS as well")
	fl.DurationVar(&f.timeout, "timeout", 10*time.Second, "longest wait for each step of a session: connect, TLS, each command's answer")
	fl.IntVar(&f.procs, "procs", 1, "number of processes running cases at once")
	fl.StringVar(&f.knownFailures, "known-failures", "", "YAML file of the target's known deviations: listed failures become XFAIL")
	fl.StringVar(&f.json, "json", "", "write the result as JSON to this file")
	fl.StringVar(&f.junit, "junit", "", "write the result as JUnit XML to this file")
	fl.StringVar(&f.html, "html", "", "write the result as a self-contained HTML report to this file")
	fl.StringVar(&f.markdown, "markdown", "", "write a short Markdown summary (for a CI job summary) to this file")
	fl.StringVar(&f.transcripts, "transcripts", "", "write the wire transcript of every case that did not pass into this directory")
	fl.BoolVar(&f.insecure, "insecure", false, "accept any TLS certificate (self-signed test servers)")
	return cmd
}

func runConform(cmd *cobra.Command, args []string, f conformFlags) error {
	stdout, stderr := cmd.OutOrStdout(), cmd.ErrOrStderr()
	ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	cases, err := scenarios.Cases()
	if err != nil {
		return withCode(exitUsage, fmt.Errorf("the case catalog is inconsistent: %w", err))
	}
	if os.Getenv(conformWorkerEnv) != "" {
		if err := conformance.ServeWorker(ctx, os.Stdin, stdout, cases); err != nil {
			return withCode(exitUsage, err)
		}
		return nil
	}

	sel := conformance.Selection{LabelFilter: f.labelFilter, Focus: f.focus, Skip: f.skip}
	if err := sel.Validate(); err != nil {
		return usageErr("%v", err)
	}
	if f.list {
		return listCases(stdout, cases, sel)
	}
	if f.procs < 1 {
		return usageErr("--procs must be at least 1")
	}
	if f.timeout <= 0 {
		return usageErr("--timeout must be positive")
	}
	var known *conformance.KnownFailures
	if f.knownFailures != "" {
		if known, err = conformance.LoadKnownFailures(f.knownFailures, cases); err != nil {
			return usageErr("--known-failures: %v", err)
		}
	}
	users, err := conformUsers(f.users)
	if err != nil {
		return usageErr("%v", err)
	}

	var target conformance.Target
	description := ""
	if len(args) == 1 {
		if target, err = conformance.ParseTarget(args[0]); err != nil {
			return usageErr("%v", err)
		}
		if len(users) != 2 {
			return usageErr("the suite logs in as two users: give --user NAME:PASSWORD twice or set %s (got %d)", usersEnv, len(users))
		}
		target.Insecure = f.insecure
	} else {
		if len(users) > 0 {
			return usageErr("--user and %s apply to a TARGET; the embedded server gets generated users", usersEnv)
		}
		srv, embeddedUsers, err := startEmbedded()
		if err != nil {
			return withCode(exitUsage, fmt.Errorf("starting the reference server: %w", err))
		}
		defer srv.Close()
		users = embeddedUsers
		target, _ = conformance.ParseTarget("imap://" + srv.Addr())
		target.RootCAs = srv.CertPool()
		description = "embedded reference server"
	}

	profile, err := conformance.Probe(ctx, target, users, f.timeout)
	if err != nil {
		if conformance.IsUnreachable(err) {
			return withCode(exitUnreachable, err)
		}
		return withCode(exitUsage, err)
	}

	env := &conformance.Env{Target: target, Users: users, Timeout: f.timeout, Profile: profile, RunID: runID()}
	progress := newProgress(stdout)
	cfg := conformance.RunConfig{
		Env:       env,
		Selection: sel,
		Strict:    f.strict,
		Procs:     f.procs,
		OnStart:   progress.start,
		OnResult: func(rc reports.Case) {
			known.Apply(&rc)
			progress.result(rc)
		},
		Worker: func(ctx context.Context) *exec.Cmd {
			exe, err := os.Executable()
			if err != nil {
				exe = os.Args[0]
			}
			c := exec.CommandContext(ctx, exe, "conform")
			c.Env = append(os.Environ(), conformWorkerEnv+"=1")
			c.Stderr = stderr
			return c
		},
	}
	result := reports.NewConformance(version(), target.URL)
	results, runErr := conformance.Run(ctx, cases, cfg)
	progress.done()
	interrupted := errors.Is(runErr, conformance.ErrInterrupted)
	if runErr != nil && !interrupted {
		return withCode(exitUsage, runErr)
	}

	result.Target.Description = description
	result.Target.Greeting = profile.Greeting
	result.Target.Capabilities = profile.Capabilities
	result.Environment.Settings = map[string]string{
		"procs":   fmt.Sprint(f.procs),
		"timeout": f.timeout.String(),
		"strict":  fmt.Sprint(f.strict),
		"tls":     string(target.Security),
	}
	c := result.Conformance
	c.Suite = "rfc3501"
	c.LabelFilter, c.Focus, c.Skip = sel.LabelFilter, sel.Focus, sel.Skip
	if known != nil {
		c.KnownFailures = known.Path
	}
	for _, rc := range results {
		known.Apply(&rc)
		c.Add(rc)
	}
	result.Finish(f.strict)
	if interrupted {
		result.State = reports.StateInterrupted
		result.Judge(f.strict)
	}

	var outErr error
	if f.transcripts != "" {
		if _, err := reports.WriteTranscriptFiles(f.transcripts, result, true); err != nil {
			outErr = fmt.Errorf("--transcripts: %w", err)
		}
	}
	if err := (reports.Outputs{JSON: f.json, JUnit: f.junit, HTML: f.html, Markdown: f.markdown}).Write(result); err != nil {
		outErr = errors.Join(outErr, err)
	}
	if err := reports.WriteText(stdout, result, reports.TextOptions{
		TranscriptDir:     f.transcripts,
		ResultPath:        f.json,
		InlineTranscripts: f.transcripts == "" && f.json == "",
	}); err != nil {
		outErr = errors.Join(outErr, err)
	}
	writeNotRun(stdout, result.Conformance)
	if outErr != nil {
		return withCode(exitUsage, outErr)
	}
	if result.Verdict.ExitCode != exitOK {
		return withCode(result.Verdict.ExitCode, nil)
	}
	return nil
}

// writeNotRun lists, after the summary, the cases that were skipped and the
// known failures, one line each with the reason: they do not fail the run
// but a reader should see them.
func writeNotRun(w io.Writer, c *reports.Conformance) {
	for _, group := range []struct {
		outcome reports.Outcome
		title   string
	}{{reports.Skip, "Skipped"}, {reports.XFail, "Known failures"}} {
		var lines []string
		for _, cs := range c.Cases {
			if cs.Outcome != group.outcome {
				continue
			}
			reason := cs.Message
			if group.outcome == reports.XFail {
				reason = cs.KnownFailure
			}
			lines = append(lines, fmt.Sprintf("  %s: %s", cs.ID, firstLineOf(reason)))
		}
		if len(lines) > 0 {
			fmt.Fprintf(w, "\n%s (%d)\n%s\n", group.title, len(lines), strings.Join(lines, "\n"))
		}
	}
}

// conformUsers reads the users from --user, or else from IMAPGAUGE_USERS.
func conformUsers(flags []string) ([]conformance.User, error) {
	if len(flags) > 0 {
		users := make([]conformance.User, 0, len(flags))
		for _, s := range flags {
			u, err := conformance.ParseUser(s)
			if err != nil {
				return nil, fmt.Errorf("--user: %v", err)
			}
			users = append(users, u)
		}
		return users, nil
	}
	users, err := conformance.ParseUsers(os.Getenv(usersEnv))
	if err != nil {
		return nil, fmt.Errorf("%s: %v", usersEnv, err)
	}
	return users, nil
}

// startEmbedded starts the reference server on a random loopback port with
// two users whose passwords are generated.
func startEmbedded() (*referenceserver.Server, []conformance.User, error) {
	users := []conformance.User{
		{Name: "imapgauge-1", Password: randomHex(16)},
		{Name: "imapgauge-2", Password: randomHex(16)},
	}
	opts := referenceserver.Options{}
	for _, u := range users {
		opts.Users = append(opts.Users, referenceserver.User{Name: u.Name, Password: u.Password})
	}
	srv, err := referenceserver.Start(opts)
	if err != nil {
		return nil, nil, err
	}
	return srv, users, nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// runID makes the names of the run's private mailboxes unique.
func runID() string { return randomHex(4) }

// listCases prints the selected cases: ID, level and title, then a count.
func listCases(w io.Writer, cases []conformance.Case, sel conformance.Selection) error {
	picked, err := conformance.List(cases, sel)
	if err != nil {
		return usageErr("%v", err)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for i := range picked {
		c := &picked[i]
		title := c.Title
		if title == "" {
			title = c.SectionTitle()
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", c.ID(), c.Level, title)
	}
	tw.Flush()
	sections := map[string]int{}
	for i := range picked {
		sections[picked[i].Section()]++
	}
	names := make([]string, 0, len(sections))
	for s := range sections {
		names = append(names, s)
	}
	sort.Slice(names, func(i, j int) bool { return reports.CompareSections(names[i], names[j]) < 0 })
	fmt.Fprintf(w, "\n%d cases in %d sections\n", len(picked), len(names))
	return nil
}

// progress shows the run as it goes: a bar on a terminal, one line per
// case otherwise (CI logs).
type progress struct {
	w   io.Writer
	tty bool

	mu    sync.Mutex
	p     *mpb.Progress
	bar   *mpb.Bar
	total int
	n     int
}

func newProgress(w io.Writer) *progress {
	f, ok := w.(*os.File)
	tty := false
	if ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			tty = true
		}
	}
	return &progress{w: w, tty: tty}
}

func (p *progress) start(total int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.total = total
	if !p.tty {
		fmt.Fprintf(p.w, "running %d cases\n", total)
		return
	}
	p.p = mpb.New(mpb.WithOutput(p.w), mpb.WithWidth(40))
	p.bar = p.p.AddBar(int64(total),
		mpb.PrependDecorators(decor.Name("conform "), decor.CountersNoUnit("%d/%d")),
		mpb.AppendDecorators(decor.Elapsed(decor.ET_STYLE_GO)),
	)
}

func (p *progress) result(rc reports.Case) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.n++
	if p.bar != nil {
		p.bar.Increment()
		return
	}
	line := fmt.Sprintf("%-5s %s (%s)", rc.Outcome, rc.ID, reports.FormatDuration(rc.Duration))
	if rc.Outcome != reports.Pass && rc.Message != "" {
		line += ": " + firstLineOf(rc.Message)
	}
	fmt.Fprintln(p.w, line)
}

func (p *progress) done() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.bar != nil {
		p.bar.SetTotal(int64(p.n), true)
		p.p.Wait()
	}
	fmt.Fprintln(p.w)
}

func firstLineOf(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}
