package main

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// TestCIExamplesUseRealFlags keeps docs/ci honest: the example pipelines
// are valid YAML, and every imapgauge command line in them names a real
// subcommand with flags it accepts. A subcommand not built into this binary
// yet is reported in the log and checked once it exists.
func TestCIExamplesUseRealFlags(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "..", "docs", "ci", "*.yml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no example pipelines in docs/ci (%v)", err)
	}
	checked := 0
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		var doc any
		if err := yaml.Unmarshal(data, &doc); err != nil {
			t.Errorf("%s: not valid YAML: %v", file, err)
			continue
		}
		var scripts []string
		collectStrings(doc, &scripts)
		for _, script := range scripts {
			for _, line := range shellLines(script) {
				args, ok := splitShellWords(line)
				if !ok || len(args) < 2 || args[0] != "imapgauge" {
					continue
				}
				if err := checkCommandLine(args[1:]); err != nil {
					var nb *notBuilt
					if errors.As(err, &nb) {
						t.Logf("%s: %v", filepath.Base(file), err)
						continue
					}
					t.Errorf("%s: %q: %v", filepath.Base(file), line, err)
				}
				checked++
			}
		}
	}
	if checked < 6 {
		t.Fatalf("checked only %d imapgauge command lines", checked)
	}
}

// checkCommandLine resolves args to a subcommand and parses its flags.
func checkCommandLine(args []string) error {
	root := newRootCommand(io.Discard, io.Discard)
	cmd, rest, err := root.Find(args)
	if err != nil || cmd == root {
		return &notBuilt{args[0]}
	}
	if err := cmd.ParseFlags(rest); err != nil {
		return err
	}
	if cmd.Args != nil {
		return cmd.Args(cmd, cmd.Flags().Args())
	}
	return nil
}

type notBuilt struct{ name string }

func (e *notBuilt) Error() string { return "not built: imapgauge has no subcommand " + e.name + " yet" }

// collectStrings gathers every string value of a decoded YAML document.
func collectStrings(v any, out *[]string) {
	switch x := v.(type) {
	case string:
		*out = append(*out, x)
	case []any:
		for _, e := range x {
			collectStrings(e, out)
		}
	case map[string]any:
		for _, e := range x {
			collectStrings(e, out)
		}
	}
}

// shellLines splits a script into logical lines, joining backslash
// continuations and cutting "&" and "|" tails.
func shellLines(script string) []string {
	script = strings.ReplaceAll(script, "\\\n", " ")
	var out []string
	for _, l := range strings.Split(script, "\n") {
		l = strings.TrimSpace(l)
		for _, sep := range []string{" && ", " || ", " | ", " &"} {
			if i := strings.Index(l, sep); i >= 0 {
				l = l[:i]
			}
		}
		if l != "" {
			out = append(out, l)
		}
	}
	return out
}

// splitShellWords splits a command line into words, honouring single and
// double quotes; variables stay as they are written.
func splitShellWords(line string) ([]string, bool) {
	var words []string
	var cur strings.Builder
	inWord := false
	var quote rune
	for _, r := range line {
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			} else {
				cur.WriteRune(r)
			}
		case r == '\'' || r == '"':
			quote, inWord = r, true
		case r == ' ' || r == '\t':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		case r == '#' && !inWord:
			return append(words, flush(&cur, inWord)...), true
		default:
			cur.WriteRune(r)
			inWord = true
		}
	}
	if quote != 0 {
		return nil, false
	}
	return append(words, flush(&cur, inWord)...), true
}

func flush(b *strings.Builder, inWord bool) []string {
	if !inWord {
		return nil
	}
	return []string{b.String()}
}
