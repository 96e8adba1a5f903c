package message

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// corpus returns the messages of testdata/corpus by name (without .eml).
func corpus(tb testing.TB) map[string][]byte {
	tb.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "corpus", "*.eml"))
	if err != nil || len(files) == 0 {
		tb.Fatalf("no corpus: %v", err)
	}
	out := make(map[string][]byte, len(files))
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		out[strings.TrimSuffix(filepath.Base(f), ".eml")] = raw
	}
	return out
}

func corpusMessage(tb testing.TB, name string) *Message {
	tb.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", "corpus", name+".eml"))
	if err != nil {
		tb.Fatal(err)
	}
	return Parse(raw)
}

// describe renders the FETCH values of m as they appear in the golden files.
func describe(m *Message) []byte {
	var b []byte
	b = append(b, "ENVELOPE "...)
	b = m.AppendEnvelope(b)
	b = append(b, "\r\nBODY "...)
	b = m.AppendBodyStructure(b, false)
	b = append(b, "\r\nBODYSTRUCTURE "...)
	b = m.AppendBodyStructure(b, true)
	return append(b, "\r\n"...)
}

// TestGolden pins ENVELOPE, BODY and BODYSTRUCTURE of every corpus message
// (RFC 3501 section 7.4.2). Run with -update to rewrite the golden files,
// then review the difference by hand against the RFC.
func TestGolden(t *testing.T) {
	for name, raw := range corpus(t) {
		t.Run(name, func(t *testing.T) {
			got := describe(Parse(raw))
			path := filepath.Join("testdata", "golden", name+".golden")
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("FETCH values differ from %s\n got: %s\nwant: %s", path, got, want)
			}
		})
	}
}

// TestCorpusWellFormed reads every value back with the strict grammar of
// RFC 3501 section 9 and checks that each part's stated size and lines
// agree with its BODY[part] octets.
func TestCorpusWellFormed(t *testing.T) {
	for name, raw := range corpus(t) {
		t.Run(name, func(t *testing.T) {
			if err := checkMessage(Parse(raw)); err != nil {
				t.Error(err)
			}
		})
	}
}

// checkMessage validates the ENVELOPE, BODY and BODYSTRUCTURE of m against
// the grammar and the sizes against the sections.
func checkMessage(m *Message) error {
	if err := parseGrammar(m.AppendEnvelope(nil), func(r *grammarReader) { r.envelope() }); err != nil {
		return fmt.Errorf("ENVELOPE %s: %w", m.AppendEnvelope(nil), err)
	}
	var basic *bodyNode
	if err := parseGrammar(m.AppendBodyStructure(nil, false), func(r *grammarReader) { basic = r.body(false) }); err != nil {
		return fmt.Errorf("BODY %s: %w", m.AppendBodyStructure(nil, false), err)
	}
	var full *bodyNode
	if err := parseGrammar(m.AppendBodyStructure(nil, true), func(r *grammarReader) { full = r.body(true) }); err != nil {
		return fmt.Errorf("BODYSTRUCTURE %s: %w", m.AppendBodyStructure(nil, true), err)
	}
	if got := len(m.raw); m.Size() != got {
		return fmt.Errorf("Size() = %d, want %d", m.Size(), got)
	}
	for _, n := range []*bodyNode{basic, full} {
		var err error
		walkMessageParts(n, nil, func(path []int, part *bodyNode) {
			if err != nil {
				return
			}
			err = checkPart(m, path, part)
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// walkMessageParts calls fn for each part of the message whose body is n,
// numbered as RFC 3501 section 6.4.5 numbers them.
func walkMessageParts(n *bodyNode, prefix []int, fn func([]int, *bodyNode)) {
	if !n.multipart {
		walkPart(n, append(slices.Clone(prefix), 1), fn)
		return
	}
	for i, c := range n.children {
		walkPart(c, append(slices.Clone(prefix), i+1), fn)
	}
}

func walkPart(n *bodyNode, path []int, fn func([]int, *bodyNode)) {
	fn(path, n)
	switch {
	case n.multipart:
		for i, c := range n.children {
			walkPart(c, append(slices.Clone(path), i+1), fn)
		}
	case n.message != nil:
		walkMessageParts(n.message, path, fn)
	}
}

func checkPart(m *Message, path []int, n *bodyNode) error {
	octets, ok := m.Section(SectionSpec{Part: path})
	if n.multipart {
		if !ok {
			return fmt.Errorf("BODY[%s] of a multipart: no such part", partString(path))
		}
		return nil
	}
	if !ok {
		// The empty part that stands for a multipart without parts.
		if n.size != 0 || n.lines != 0 {
			return fmt.Errorf("BODY[%s] missing but described with size %d", partString(path), n.size)
		}
		return nil
	}
	if int64(len(octets)) != n.size {
		return fmt.Errorf("part %s: size %d, BODY[%s] has %d octets", partString(path), n.size, partString(path), len(octets))
	}
	if n.hasLines {
		lines := int64(bytes.Count(octets, []byte("\n")))
		if len(octets) > 0 && octets[len(octets)-1] != '\n' {
			lines++
		}
		if lines != n.lines {
			return fmt.Errorf("part %s: %d lines, BODY[%s] has %d", partString(path), n.lines, partString(path), lines)
		}
	}
	if n.message != nil {
		header, ok1 := m.Section(SectionSpec{Part: path, Specifier: "HEADER"})
		text, ok2 := m.Section(SectionSpec{Part: path, Specifier: "TEXT"})
		if !ok1 || !ok2 {
			return fmt.Errorf("BODY[%s.HEADER] or BODY[%s.TEXT] missing", partString(path), partString(path))
		}
		if len(header)+len(text) > 0 && !bytes.Equal(octets, append(slices.Clone(header), text...)) {
			return fmt.Errorf("BODY[%s] is not HEADER followed by TEXT", partString(path))
		}
	}
	return nil
}

func partString(path []int) string {
	s := make([]string, len(path))
	for i, n := range path {
		s[i] = fmt.Sprint(n)
	}
	return strings.Join(s, ".")
}
