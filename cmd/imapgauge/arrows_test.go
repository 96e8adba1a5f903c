package main

import (
	"bufio"
	"bytes"
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/imapgauge/imapgauge"

// forbidden lists, for each part of the tree, the parts it must never import
// (directly or not). It is the "allowed arrows" table of ARCHITECTURE.md read
// the other way round: the reference server and the conformance checks must
// stay independent, or one shared bug hides on both sides.
var forbidden = map[string][]string{
	"reference-server": {"conformance", "scenarios", "load", "reports", "cmd"},
	"conformance":      {"reference-server", "scenarios", "load", "cmd"},
	"scenarios":        {"reference-server", "cmd"},
	"load":             {"reference-server", "conformance", "scenarios", "cmd"},
	"reports":          {"reference-server", "conformance", "scenarios", "load", "cmd"},
}

// TestImportArrows runs `go list -deps` over every package of the module and
// fails on any import that crosses a forbidden arrow. Test files are not
// considered: the scenario tests may start the reference server as a target.
func TestImportArrows(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("go tool not on PATH")
	}
	out, err := exec.Command("go", "list", "-deps", "-f", `{{.ImportPath}}{{range .Deps}} {{.}}{{end}}`, module+"/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	checked := 0
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) == 0 {
			continue
		}
		from, ok := area(fields[0])
		if !ok {
			continue
		}
		checked++
		for _, dep := range fields[1:] {
			to, ok := area(dep)
			if !ok {
				continue
			}
			for _, bad := range forbidden[from] {
				if to == bad {
					t.Errorf("%s imports %s: %s must not depend on %s", fields[0], dep, from, to)
				}
			}
		}
	}
	if checked == 0 {
		t.Fatal("go list returned no packages of the module")
	}
}

// area names the top-level folder a package of this module lives in.
func area(importPath string) (string, bool) {
	rest, ok := strings.CutPrefix(importPath, module+"/")
	if !ok {
		return "", false
	}
	top, _, _ := strings.Cut(rest, "/")
	return top, true
}

func TestArea(t *testing.T) {
	for in, want := range map[string]string{
		module + "/reference-server":          "reference-server",
		module + "/conformance/grammar":       "conformance",
		module + "/cmd/imapgauge":             "cmd",
		"github.com/emersion/go-imap/v2":      "",
		"github.com/imapgauge/imapgaugeother": "",
	} {
		got, _ := area(in)
		if got != want {
			t.Errorf("area(%q) = %q, want %q", in, got, want)
		}
	}
}
