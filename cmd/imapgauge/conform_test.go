package main

import (
	"bytes"
	"crypto/tls"
	"encoding/xml"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/imapgauge/imapgauge/conformance/fault"
	referenceserver "github.com/imapgauge/imapgauge/reference-server"
	"github.com/imapgauge/imapgauge/reports"
	"github.com/imapgauge/imapgauge/scenarios"
)

// runMainEnv makes the test binary act as imapgauge itself. conform runs
// the Ginkgo suite, which can run once per process, so each conform test
// runs the command in a fresh process: the test binary, re-executed. The
// parallel workers of --procs are re-executed the same way.
const runMainEnv = "IMAPGAUGE_TEST_RUN_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(runMainEnv) != "" || os.Getenv(conformWorkerEnv) != "" {
		os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// imapgauge runs the command line in a child process and returns its
// output and exit code.
func imapgauge(t testing.TB, env []string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(append(os.Environ(), runMainEnv+"=1"), env...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	done := make(chan error, 1)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(2 * time.Minute):
		cmd.Process.Kill()
		t.Fatalf("imapgauge %s did not end", strings.Join(args, " "))
	}
	return out.String(), errOut.String(), cmd.ProcessState.ExitCode()
}

func catalogSize(t testing.TB) int {
	t.Helper()
	cases, err := scenarios.Cases()
	if err != nil {
		t.Fatal(err)
	}
	return len(cases)
}

// `imapgauge conform` with no target runs every case against the embedded
// reference server and exits 0, writing JSON and JUnit.
func TestConformEmbeddedServerPasses(t *testing.T) {
	dir := t.TempDir()
	jsonPath, junitPath := filepath.Join(dir, "r.json"), filepath.Join(dir, "r.xml")
	stdout, stderr, code := imapgauge(t, nil, "conform", "--strict", "--json", jsonPath, "--junit", junitPath)
	if code != exitOK {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	r, err := reports.ReadFile(jsonPath)
	if err != nil {
		t.Fatal(err)
	}
	c := r.Conformance
	if r.Verdict.Status != reports.StatusPass || c.Counts.Total != catalogSize(t) || c.Counts.Fail+c.Counts.Error+c.Counts.Warn != 0 {
		t.Fatalf("verdict %+v counts %+v", r.Verdict, c.Counts)
	}
	if !strings.Contains(r.Target.Description, "embedded") || !strings.Contains(stdout, "imapgauge conformance: PASS") {
		t.Fatalf("target %+v\n%s", r.Target, stdout)
	}
	var suites struct {
		Suites []struct {
			Cases []struct {
				Name      string `xml:"name,attr"`
				Classname string `xml:"classname,attr"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	data, err := os.ReadFile(junitPath)
	if err != nil {
		t.Fatal(err)
	}
	if err := xml.Unmarshal(data, &suites); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, s := range suites.Suites {
		for _, tc := range s.Cases {
			if tc.Name == "" || tc.Classname == "" {
				t.Errorf("JUnit testcase without name or classname: %+v", tc)
			}
			n++
		}
	}
	if n != c.Counts.Total {
		t.Errorf("JUnit has %d testcases, the run %d cases", n, c.Counts.Total)
	}
}

// --procs re-executes the binary as workers; every case runs once and the
// result is the same as in one process.
func TestConformParallel(t *testing.T) {
	jsonPath := filepath.Join(t.TempDir(), "r.json")
	stdout, stderr, code := imapgauge(t, nil, "conform", "--procs", "3", "--json", jsonPath)
	if code != exitOK {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	r, err := reports.ReadFile(jsonPath)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, c := range r.Conformance.Cases {
		if seen[c.ID] {
			t.Errorf("%s reported twice", c.ID)
		}
		seen[c.ID] = true
	}
	if len(seen) != catalogSize(t) || r.Verdict.ExitCode != 0 {
		t.Fatalf("%d cases, verdict %+v", len(seen), r.Verdict)
	}
}

func TestConformList(t *testing.T) {
	stdout, stderr, code := imapgauge(t, nil, "conform", "--list", "--label-filter", "6.2.1 && MUST")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	for _, l := range lines[:len(lines)-2] {
		if !strings.HasPrefix(l, "rfc3501/6.2.1/") || !strings.Contains(l, "MUST") {
			t.Errorf("listed %q", l)
		}
	}
	if !strings.Contains(lines[len(lines)-1], "cases in 1 sections") {
		t.Errorf("no count line:\n%s", stdout)
	}
}

func TestConformUsageErrors(t *testing.T) {
	known := filepath.Join(t.TempDir(), "known.yaml")
	os.WriteFile(known, []byte("failures:\n  - id: rfc3501/0/no-such-case\n    reason: r\n"), 0o644)
	for _, tc := range []struct {
		args []string
		env  []string
		want string
	}{
		{[]string{"conform", "--label-filter", "6.2 &&"}, nil, "--label-filter"},
		{[]string{"conform", "--focus", "("}, nil, "--focus"},
		{[]string{"conform", "pop3://h"}, []string{usersEnv + "=a:b,c:d"}, "scheme"},
		{[]string{"conform", "imap://127.0.0.1:1", "--user", "a:b"}, nil, "two users"},
		{[]string{"conform", "imap://127.0.0.1:1", "--user", "nopassword", "--user", "c:d"}, nil, "NAME:PASSWORD"},
		{[]string{"conform", "--procs", "0"}, nil, "--procs"},
		{[]string{"conform", "--known-failures", known}, nil, "no case has the ID"},
		{[]string{"conform", "--user", "a:b", "--user", "c:d"}, nil, "apply to a TARGET"},
	} {
		_, stderr, code := imapgauge(t, tc.env, tc.args...)
		if code != exitUsage || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: exit %d, stderr:\n%s\nwant exit 2 and %q", tc.args, code, stderr, tc.want)
		}
	}
}

// A target that refuses connections, or accepts them and never greets,
// is unreachable: exit 3 within the timeout.
func TestConformUnreachable(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			defer c.Close() // silent: no greeting
		}
	}()
	users := []string{usersEnv + "=a:pw-a,b:pw-b"}
	for _, target := range []string{"imap://127.0.0.1:1", "imap://" + ln.Addr().String()} {
		start := time.Now()
		_, stderr, code := imapgauge(t, users, "conform", target, "--timeout", "500ms")
		if code != exitUnreachable || !strings.Contains(stderr, "unreachable") {
			t.Errorf("%s: exit %d, stderr:\n%s", target, code, stderr)
		}
		if d := time.Since(start); d > 20*time.Second {
			t.Errorf("%s: took %v", target, d)
		}
	}
}

func startReference(t testing.TB, opts referenceserver.Options) *referenceserver.Server {
	t.Helper()
	opts.Users = append(opts.Users, referenceserver.User{Name: "cli-one", Password: "cli-secret-one"},
		referenceserver.User{Name: "cli-two", Password: "cli-secret-two"})
	srv, err := referenceserver.Start(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv
}

// Credentials the server refuses are a setup error (exit 2), reported
// without the password; so is a plaintext target that disables LOGIN.
func TestConformSetupErrors(t *testing.T) {
	srv := startReference(t, referenceserver.Options{})
	_, stderr, code := imapgauge(t, nil, "conform", "imap://"+srv.Addr(), "--user", "cli-one:not-the-password", "--user", "cli-two:cli-secret-two")
	if code != exitUsage || !strings.Contains(stderr, "cli-one cannot log in") || strings.Contains(stderr, "not-the-password") {
		t.Errorf("bad password: exit %d, stderr:\n%s", code, stderr)
	}
	strict := startReference(t, referenceserver.Options{PlaintextAuth: referenceserver.PlaintextAuthNever})
	_, stderr, code = imapgauge(t, []string{usersEnv + "=cli-one:cli-secret-one,cli-two:cli-secret-two"}, "conform", "imap://"+strict.Addr())
	if code != exitUsage || !strings.Contains(stderr, "starttls=1") {
		t.Errorf("LOGINDISABLED: exit %d, stderr:\n%s", code, stderr)
	}
}

// Against a server that breaks a rule the run fails (exit 1) and shows
// each failure with its sentence, Expected, Actual and transcript; the
// same failures listed as known make the run pass with XFAIL. Passwords
// appear nowhere.
func TestConformFailuresAndKnownFailures(t *testing.T) {
	srv := startReference(t, referenceserver.Options{})
	p, err := fault.Listen(fault.Options{
		Upstream:          srv.Addr(),
		UpstreamTLSConfig: &tls.Config{RootCAs: srv.CertPool(), ServerName: "127.0.0.1"},
		Fault:             fault.RewriteResponse("NOOP answered NO", "NOOP", `^(\S+) OK `, "$1 NO "),
	})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	dir := t.TempDir()
	args := []string{"conform", "imap://" + p.Addr() + "?starttls=1", "--insecure",
		"--user", "cli-one:cli-secret-one", "--user", "cli-two:cli-secret-two",
		"--focus", "6.1.2", "--transcripts", filepath.Join(dir, "tr"), "--json", filepath.Join(dir, "r.json")}
	stdout, stderr, code := imapgauge(t, nil, args...)
	if code != exitFailures {
		t.Fatalf("exit %d, want 1\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	for _, want := range []string{"FAIL  rfc3501/6.1.2/noop-authenticated-ok", "The NOOP command always succeeds", "Expected: tagged OK", "Actual:", "Transcript:"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("summary lacks %q:\n%s", want, stdout)
		}
	}
	files, _ := filepath.Glob(filepath.Join(dir, "tr", "*.txt"))
	if len(files) == 0 {
		t.Error("no transcript files written")
	}
	everything := stdout + stderr
	for _, f := range append(files, filepath.Join(dir, "r.json")) {
		data, _ := os.ReadFile(f)
		everything += string(data)
	}
	for _, secret := range []string{"cli-secret-one", "cli-secret-two"} {
		if strings.Contains(everything, secret) {
			t.Fatalf("the password %q appears in the output or reports", secret)
		}
	}

	r, err := reports.ReadFile(filepath.Join(dir, "r.json"))
	if err != nil {
		t.Fatal(err)
	}
	var known strings.Builder
	known.WriteString("server: reference server behind a fault proxy\nfailures:\n")
	for _, c := range r.Conformance.Cases {
		if c.Outcome == reports.Fail {
			known.WriteString("  - id: " + c.ID + "\n    reason: the proxy answers NOOP with NO\n")
		}
	}
	knownPath := filepath.Join(dir, "known.yaml")
	os.WriteFile(knownPath, []byte(known.String()), 0o644)
	stdout, stderr, code = imapgauge(t, nil, append(args, "--known-failures", knownPath)...)
	if code != exitOK || !strings.Contains(stdout, "XFAIL") {
		t.Fatalf("with known failures: exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
}

// BenchmarkConformProcs runs the whole suite against the reference server
// behind a proxy that delays every response by 5ms, as a distant server
// would, in one process and in four. Every run must pass; the time per
// run compares the two:
//
//	go test ./cmd/imapgauge -run '^$' -bench ConformProcs -benchtime 3x
func BenchmarkConformProcs(b *testing.B) {
	srv := startReference(b, referenceserver.Options{})
	p, err := fault.Listen(fault.Options{
		Upstream:          srv.Addr(),
		UpstreamTLSConfig: &tls.Config{RootCAs: srv.CertPool(), ServerName: "127.0.0.1"},
		Fault:             fault.Latency(5 * time.Millisecond),
	})
	if err != nil {
		b.Fatal(err)
	}
	defer p.Close()
	for _, procs := range []string{"1", "4"} {
		b.Run("procs="+procs, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				jsonPath := filepath.Join(b.TempDir(), "r.json")
				stdout, stderr, code := imapgauge(b, nil, "conform", "imap://"+p.Addr(), "--insecure", "--procs", procs,
					"--user", "cli-one:cli-secret-one", "--user", "cli-two:cli-secret-two", "--json", jsonPath)
				if code != exitOK {
					b.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
				}
				r, err := reports.ReadFile(jsonPath)
				if err != nil {
					b.Fatal(err)
				}
				if n := r.Conformance.Counts.Pass + r.Conformance.Counts.Skip; n != catalogSize(b) {
					b.Fatalf("%d cases passed or skipped, want %d", n, catalogSize(b))
				}
			}
		})
	}
}
