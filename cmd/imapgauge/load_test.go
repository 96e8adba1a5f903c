package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	referenceserver "github.com/imapgauge/imapgauge/reference-server"
	"github.com/imapgauge/imapgauge/reports"
)

// A short run against the embedded reference server passes and prints the
// summary led by the verdict; the JSON result decodes.
func TestLoadEmbeddedServer(t *testing.T) {
	out := filepath.Join(t.TempDir(), "load.json")
	var stdout, stderr bytes.Buffer
	code := run([]string{"load", "--duration", "3s", "--users", "3", "--json", out}, &stdout, &stderr)
	if code != exitOK {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout.String(), stderr.String())
	}
	s := stdout.String()
	if !strings.Contains(s, "imapgauge load: PASS (exit 0)") || !strings.Contains(s, "Correctness: 0 violations") {
		t.Fatalf("summary lacks the verdict:\n%s", s)
	}
	res, err := reports.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if res.State != reports.StateFinished || res.Load.Users != 3 || res.Target.Description != "embedded reference server" {
		t.Fatalf("result: state %s, users %d, target %+v", res.State, res.Load.Users, res.Target)
	}
	if strings.Contains(s, "imapgauge-load-1:") || strings.Contains(stderr.String(), "imapgauge-load-1:") {
		t.Fatal("the generated password was printed")
	}
}

func TestLoadUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"load", "--profile", "no-such-profile"},
		{"load", "--shard", "3/2"},
		{"load", "--threshold", "p99(fetch)<fast"},
		{"load", "imap://127.0.0.1:1"}, // no credentials
		{"load", "ftp://example.org", "--credentials", "u%d:p"},
		{"load", "--credentials", "u%d:p"}, // credentials without a target
		{"load", "--ramp-up", "-1s"},
	} {
		var stdout, stderr bytes.Buffer
		if code := run(args, &stdout, &stderr); code != exitUsage {
			t.Errorf("%v: exit %d, want %d; stderr: %s", args, code, exitUsage, stderr.String())
		}
	}
}

func TestLoadUnreachableTarget(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := run([]string{"load", "imap://127.0.0.1:1", "--credentials", "u%d:secret-pw", "--timeout", "1s"}, &stdout, &stderr)
	if code != exitUnreachable {
		t.Fatalf("exit %d, want %d; stderr: %s", code, exitUnreachable, stderr.String())
	}
	if strings.Contains(stdout.String()+stderr.String(), "secret-pw") {
		t.Fatal("the password was printed")
	}
}

// A target that dies in the middle of the run: the run ends within its
// timeouts, writes a partial report and exits non-zero.
func TestLoadKilledTarget(t *testing.T) {
	opts := referenceserver.Options{ShutdownTimeout: 100 * time.Millisecond}
	for i := 1; i <= 2; i++ {
		opts.Users = append(opts.Users, referenceserver.User{Name: "k" + string(rune('0'+i)), Password: "pw"})
	}
	srv, err := referenceserver.Start(opts)
	if err != nil {
		t.Fatal(err)
	}
	time.AfterFunc(2*time.Second, func() { srv.Close() })
	out := filepath.Join(t.TempDir(), "partial.json")
	var stdout, stderr bytes.Buffer
	start := time.Now()
	code := run([]string{"load", "imap://" + srv.Addr(), "--credentials", "k%d:pw", "--users", "2",
		"--duration", "1m", "--timeout", "1s", "--json", out}, &stdout, &stderr)
	took := time.Since(start)
	if code == exitOK {
		t.Fatalf("exit 0 after the target died\n%s", stdout.String())
	}
	if took > 20*time.Second {
		t.Fatalf("the run went on for %s after the target died", took)
	}
	res, err := reports.ReadFile(out)
	if err != nil {
		t.Fatalf("no partial report: %v", err)
	}
	if res.State != reports.StateInterrupted || res.Verdict.ExitCode != code {
		t.Fatalf("report state %s, exit %d; the command exited %d", res.State, res.Verdict.ExitCode, code)
	}
	if _, err := os.Stat(out); err != nil {
		t.Fatal(err)
	}
	t.Logf("exit %d after %s: %v", code, took.Round(time.Millisecond), res.Verdict.Reasons)
}

// The Kubernetes manifest runs N shards: an Indexed Job whose completion
// index becomes --shard, with N the same in every place it appears.
func TestDeployManifestShards(t *testing.T) {
	data, err := os.ReadFile("../../deploy/load-shards.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var job struct {
		Kind string `yaml:"kind"`
		Spec struct {
			CompletionMode string `yaml:"completionMode"`
			Completions    int    `yaml:"completions"`
			Parallelism    int    `yaml:"parallelism"`
			Template       struct {
				Spec struct {
					Containers []struct {
						Env []struct {
							Name  string `yaml:"name"`
							Value string `yaml:"value"`
						} `yaml:"env"`
						Args []string `yaml:"args"`
					} `yaml:"containers"`
				} `yaml:"spec"`
			} `yaml:"template"`
		} `yaml:"spec"`
	}
	if err := yaml.Unmarshal(data, &job); err != nil {
		t.Fatal(err)
	}
	s := job.Spec
	if job.Kind != "Job" || s.CompletionMode != "Indexed" || len(s.Template.Spec.Containers) != 1 {
		t.Fatalf("not an Indexed Job with one container: %+v", job)
	}
	c := s.Template.Spec.Containers[0]
	shards := ""
	for _, e := range c.Env {
		if e.Name == "SHARDS" {
			shards = e.Value
		}
	}
	if shards != fmt.Sprint(s.Completions) || s.Parallelism != s.Completions {
		t.Fatalf("SHARDS %q, completions %d, parallelism %d must agree", shards, s.Completions, s.Parallelism)
	}
	args := strings.Join(c.Args, " ")
	for _, want := range []string{`--shard "$((JOB_COMPLETION_INDEX + 1))/$SHARDS"`, "--json", "--seed"} {
		if !strings.Contains(args, want) {
			t.Errorf("the command lacks %s", want)
		}
	}
}
