package grammar

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// A corpus file holds one response per line as a Go-quoted string; lines
// starting with "#" are comments that say where the responses come from.
type corpusEntry struct {
	file    string
	line    int
	comment string // the nearest comment above
	raw     string
}

func loadCorpus(t testing.TB, name string) []corpusEntry {
	t.Helper()
	path := filepath.Join("testdata", name)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	var out []corpusEntry
	comment := ""
	for i, line := range strings.Split(string(data), "\n") {
		switch {
		case line == "":
		case strings.HasPrefix(line, "#"):
			comment = strings.TrimSpace(strings.TrimPrefix(line, "#"))
		default:
			raw, err := strconv.Unquote(line)
			if err != nil {
				t.Fatalf("%s:%d: not a quoted string: %v", path, i+1, err)
			}
			out = append(out, corpusEntry{file: name, line: i + 1, comment: comment, raw: raw})
		}
	}
	if len(out) == 0 {
		t.Fatalf("%s holds no responses", path)
	}
	return out
}

// writeCorpus writes entries in the corpus format.
func writeCorpus(path string, header []string, blocks []corpusBlock) error {
	var b bytes.Buffer
	for _, h := range header {
		fmt.Fprintf(&b, "# %s\n", h)
	}
	for _, blk := range blocks {
		b.WriteString("\n")
		for _, c := range blk.comments {
			fmt.Fprintf(&b, "# %s\n", c)
		}
		for _, r := range blk.responses {
			b.WriteString(strconv.Quote(r))
			b.WriteString("\n")
		}
	}
	return os.WriteFile(path, b.Bytes(), 0o644)
}

type corpusBlock struct {
	comments  []string
	responses []string
}

// errLineTooLong stops framing of a runaway line.
var errLineTooLong = errors.New("response line longer than the framing limit")

// readResponse frames one server response the way the wire driver does:
// a line up to LF, and while it ends in "{n}" CRLF, n more octets and the
// rest of the line.
func readResponse(r *bufio.Reader) (string, error) {
	var out []byte
	for {
		line, err := r.ReadSlice('\n')
		out = append(out, line...)
		if err != nil {
			if errors.Is(err, bufio.ErrBufferFull) {
				if len(out) > 1<<20 {
					return "", errLineTooLong
				}
				continue
			}
			return string(out), err
		}
		n, ok := literalAtEnd(out)
		if !ok {
			return string(out), nil
		}
		buf := make([]byte, n)
		if _, err := io.ReadFull(r, buf); err != nil {
			return string(out), err
		}
		out = append(out, buf...)
	}
}

// literalAtEnd reports the octet count of a "{n}" CRLF that ends b.
func literalAtEnd(b []byte) (int, bool) {
	if !bytes.HasSuffix(b, []byte("}\r\n")) {
		return 0, false
	}
	open := bytes.LastIndexByte(b, '{')
	if open < 0 {
		return 0, false
	}
	n, err := strconv.Atoi(string(b[open+1 : len(b)-3]))
	if err != nil || n < 0 {
		return 0, false
	}
	return n, true
}
