package reports

import (
	"errors"
	"fmt"
	"io"
	"os"
)

// Format names an output format of a result.
type Format string

// The output formats.
const (
	FormatJSON     Format = "json"
	FormatJUnit    Format = "junit"
	FormatHTML     Format = "html"
	FormatMarkdown Format = "markdown"
	FormatText     Format = "text"
)

// Render writes r to w in format f with default options.
func Render(w io.Writer, f Format, r *Result) error {
	switch f {
	case FormatJSON:
		return Encode(w, r)
	case FormatJUnit:
		return WriteJUnit(w, r, JUnitOptions{})
	case FormatHTML:
		return WriteHTML(w, r)
	case FormatMarkdown:
		return WriteMarkdown(w, r, MarkdownOptions{})
	case FormatText:
		return WriteText(w, r, TextOptions{InlineTranscripts: true})
	}
	return fmt.Errorf("unknown report format %q", f)
}

// RenderFile writes r to path in format f, atomically (a temporary file
// renamed into place). "-" writes to standard output.
func RenderFile(path string, f Format, r *Result) error {
	if path == "-" {
		return Render(os.Stdout, f, r)
	}
	return writeAtomic(path, func(w io.Writer) error { return Render(w, f, r) })
}

// WriteFileFunc writes path atomically (a temporary file renamed into place)
// with write; "-" writes to standard output.
func WriteFileFunc(path string, write func(io.Writer) error) error {
	if path == "-" {
		return write(os.Stdout)
	}
	return writeAtomic(path, write)
}

// Outputs are the report files a run was asked for (--json, --junit, --html,
// --markdown); an empty path is not written. The zero value writes nothing.
type Outputs struct {
	JSON     string
	JUnit    string
	HTML     string
	Markdown string
}

// Write renders r into every requested file. It writes them all even when
// one fails, and returns every error.
func (o Outputs) Write(r *Result) error {
	var errs []error
	for _, out := range []struct {
		path string
		f    Format
	}{{o.JSON, FormatJSON}, {o.JUnit, FormatJUnit}, {o.HTML, FormatHTML}, {o.Markdown, FormatMarkdown}} {
		if out.path == "" {
			continue
		}
		if err := RenderFile(out.path, out.f, r); err != nil {
			errs = append(errs, fmt.Errorf("writing %s report %s: %w", out.f, out.path, err))
		}
	}
	return errors.Join(errs...)
}
