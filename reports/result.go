package reports

import (
	"net/url"
	"os"
	"runtime"
	"strings"
	"time"
)

// Schema version of the result model, "MAJOR.MINOR". A reader accepts every
// result whose MAJOR equals SchemaMajor, whatever its MINOR: a MINOR bump only
// adds optional fields, which older readers ignore. A MAJOR bump changes or
// removes fields, and Decode rejects it with a *VersionError.
const (
	SchemaMajor   = 1
	SchemaMinor   = 0
	SchemaVersion = "1.0"
)

// Kind tells which kind of run produced a Result.
type Kind string

// The kinds of run.
const (
	KindConformance Kind = "conformance"
	KindLoad        Kind = "load"
)

// State tells whether a run had finished when its result was written.
type State string

// The states of a run. A long run writes its result again and again while it
// runs (StateRunning), so that an interrupted run still leaves a valid report.
const (
	StateRunning     State = "running"
	StateFinished    State = "finished"
	StateInterrupted State = "interrupted"
)

// Result is the outcome of one imapgauge run, conformance or load. It is the
// one document every renderer, diff and merge reads; Encode and Decode give its
// versioned JSON form.
type Result struct {
	// SchemaVersion is the model version the document was written with
	// ("MAJOR.MINOR"); Encode sets it.
	SchemaVersion string `json:"schema_version"`
	Kind          Kind   `json:"kind"`
	Tool          Tool   `json:"tool"`
	Target        Target `json:"target"`
	State         State  `json:"state"`
	// Started and Finished bound the run. Finished is zero while it runs.
	Started     time.Time   `json:"started"`
	Finished    time.Time   `json:"finished,omitzero"`
	Environment Environment `json:"environment"`
	// Verdict is the run's judgement and the process exit code it implies.
	Verdict Verdict `json:"verdict"`
	// Exactly one of Conformance and Load is set, matching Kind.
	Conformance *Conformance `json:"conformance,omitempty"`
	Load        *Load        `json:"load,omitempty"`
}

// Tool names the program that wrote the result.
type Tool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// Target is the server a run was pointed at.
type Target struct {
	// URL is the target as given (imap://host:port, imaps://..., or
	// imap://...?starttls=1) with any credentials removed: see RedactURL.
	URL string `json:"url"`
	// Description says what the target is when the URL does not, for example
	// "embedded reference server".
	Description string `json:"description,omitempty"`
	// Greeting is the server's greeting line, as a hint of its software.
	Greeting string `json:"greeting,omitempty"`
	// Capabilities are the capabilities the server announced before login.
	Capabilities []string `json:"capabilities,omitempty"`
}

// Environment describes where the run happened and with which settings.
type Environment struct {
	Hostname  string `json:"hostname,omitempty"`
	OS        string `json:"os"`
	Arch      string `json:"arch"`
	CPUs      int    `json:"cpus"`
	GoVersion string `json:"go_version"`
	// Settings holds the options that shaped the run (strict, procs,
	// label filter, timeout, profile...), as name -> value. Never secrets.
	Settings map[string]string `json:"settings,omitempty"`
}

// CurrentEnvironment describes the machine the calling process runs on.
func CurrentEnvironment() Environment {
	host, _ := os.Hostname()
	return Environment{
		Hostname:  host,
		OS:        runtime.GOOS,
		Arch:      runtime.GOARCH,
		CPUs:      runtime.NumCPU(),
		GoVersion: runtime.Version(),
	}
}

// Status is the short form of a verdict.
type Status string

// The verdict statuses.
const (
	// StatusPass: everything required passed.
	StatusPass Status = "pass"
	// StatusFail: the target broke a requirement (a failed case, a breached
	// threshold, a correctness violation).
	StatusFail Status = "fail"
	// StatusError: the run could not judge the target (unreachable, setup
	// error, interrupted before it had anything to judge).
	StatusError Status = "error"
	// StatusInvalid: the measurement itself is not trustworthy (the load
	// generator was the bottleneck).
	StatusInvalid Status = "invalid"
)

// Verdict is a run's judgement: its status, the exit code the command returns
// for it, and the reasons in one line each, most important first.
type Verdict struct {
	Status   Status   `json:"status"`
	ExitCode int      `json:"exit_code"`
	Reasons  []string `json:"reasons,omitempty"`
}

// Exit codes written into verdicts. They are the codes of ARCHITECTURE.md.
const (
	ExitOK          = 0
	ExitFailures    = 1   // conform: at least one case failed
	ExitUsage       = 2   // usage or setup error
	ExitUnreachable = 3   // the target could not be reached
	ExitThresholds  = 99  // load: a threshold was breached
	ExitViolation   = 100 // load: a correctness violation
	ExitInvalid     = 101 // load: the generator was overloaded
)

// NewConformance returns a result for a conformance run against target that
// starts now: kind, tool, target (redacted), state running, environment and an
// empty Conformance section are filled in.
func NewConformance(toolVersion, target string) *Result {
	return newResult(KindConformance, toolVersion, target)
}

// NewLoad returns a result for a load run against target that starts now, with
// an empty Load section.
func NewLoad(toolVersion, target string) *Result {
	return newResult(KindLoad, toolVersion, target)
}

func newResult(kind Kind, toolVersion, target string) *Result {
	r := &Result{
		SchemaVersion: SchemaVersion,
		Kind:          kind,
		Tool:          Tool{Name: "imapgauge", Version: toolVersion},
		Target:        Target{URL: RedactURL(target)},
		State:         StateRunning,
		Started:       time.Now().UTC(),
		Environment:   CurrentEnvironment(),
	}
	switch kind {
	case KindConformance:
		r.Conformance = &Conformance{}
	case KindLoad:
		r.Load = &Load{}
	}
	return r
}

// Finish marks the run finished now, recomputes the conformance tallies, and
// sets the verdict from the data (see Judge). Callers that end a run for a
// reason the data cannot show (the target was unreachable, setup failed) set
// Verdict after Finish.
func (r *Result) Finish(strict bool) {
	r.State = StateFinished
	r.Finished = time.Now().UTC()
	r.Judge(strict)
}

// Judge recomputes the derived parts of the result — conformance counts, load
// threshold results — and sets Verdict from them. strict makes WARN and XPASS
// fail a conformance run. It is idempotent.
func (r *Result) Judge(strict bool) {
	switch {
	case r.Conformance != nil:
		r.Conformance.Strict = strict
		r.Conformance.Tally()
		r.Verdict = r.Conformance.verdict()
	case r.Load != nil:
		r.Load.EvaluateThresholds()
		r.Verdict = r.Load.verdict()
	}
	if r.State == StateInterrupted && r.Verdict.Status == StatusPass {
		r.Verdict = Verdict{Status: StatusError, ExitCode: ExitUnreachable,
			Reasons: []string{"the run was interrupted before it finished"}}
	}
}

// Elapsed is the run's wall-clock length: Finished - Started, or the time
// since Started while the run is still going.
func (r *Result) Elapsed() time.Duration {
	if r.Finished.IsZero() {
		return time.Since(r.Started)
	}
	return r.Finished.Sub(r.Started)
}

// secretParams are query parameters of a target URL that may carry
// credentials; RedactURL removes them.
var secretParams = []string{"password", "pass", "passwd", "secret", "token", "auth", "authpass", "credentials"}

// RedactURL returns target without credentials: the userinfo part (user and
// password) and any query parameter whose name suggests a secret are removed.
// A string that does not parse as a URL is returned with everything up to the
// last '@' before the host removed.
func RedactURL(target string) string {
	u, err := url.Parse(target)
	if err != nil || u.Host == "" {
		// Not a URL we understand: still never let "user:pass@" through.
		if i := strings.LastIndex(target, "@"); i >= 0 {
			scheme := ""
			if j := strings.Index(target, "://"); j >= 0 && j < i {
				scheme = target[:j+3]
			}
			return scheme + target[i+1:]
		}
		return target
	}
	u.User = nil
	if u.RawQuery != "" {
		q := u.Query()
		for name := range q {
			for _, s := range secretParams {
				if strings.EqualFold(name, s) {
					q.Del(name)
				}
			}
		}
		u.RawQuery = q.Encode()
	}
	return u.String()
}
