package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestUnknownFlagIsUsageError(t *testing.T) {
	var out, errOut bytes.Buffer
	code := run([]string{"--no-such-flag"}, &out, &errOut)
	if code != exitUsage {
		t.Fatalf("exit code = %d, want %d", code, exitUsage)
	}
	if !strings.Contains(errOut.String(), "Usage:") || !strings.Contains(errOut.String(), "no-such-flag") {
		t.Fatalf("stderr lacks usage and the bad flag:\n%s", errOut.String())
	}
}

func TestUnknownCommandIsUsageError(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run([]string{"frobnicate"}, &out, &errOut); code != exitUsage {
		t.Fatalf("exit code = %d, want %d; stderr:\n%s", code, exitUsage, errOut.String())
	}
}

func TestHelpExitsZero(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run([]string{"--help"}, &out, &errOut); code != exitOK {
		t.Fatalf("exit code = %d, want 0", code)
	}
	if !strings.Contains(out.String(), "imapgauge") {
		t.Fatalf("help output lacks the program name:\n%s", out.String())
	}
}
