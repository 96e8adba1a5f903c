package reports

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// VersionError is returned by Decode for a document whose schema version this
// build cannot read.
type VersionError struct {
	// Version is the document's schema_version ("" when absent).
	Version string
}

func (e *VersionError) Error() string {
	if e.Version == "" {
		return fmt.Sprintf("not an imapgauge result: no schema_version (this build reads %d.x)", SchemaMajor)
	}
	return fmt.Sprintf("result schema version %s is not supported: this build of imapgauge reads %d.x; use a version of imapgauge that matches the one that wrote it", e.Version, SchemaMajor)
}

// ParseSchemaVersion splits "MAJOR.MINOR" into its numbers.
func ParseSchemaVersion(v string) (major, minor int, err error) {
	a, b, ok := strings.Cut(v, ".")
	if !ok {
		return 0, 0, fmt.Errorf("schema version %q is not MAJOR.MINOR", v)
	}
	major, err1 := strconv.Atoi(a)
	minor, err2 := strconv.Atoi(b)
	if err1 != nil || err2 != nil || major < 0 || minor < 0 {
		return 0, 0, fmt.Errorf("schema version %q is not MAJOR.MINOR", v)
	}
	return major, minor, nil
}

// Encode writes r as indented JSON, setting its schema version.
func Encode(w io.Writer, r *Result) error {
	r.SchemaVersion = SchemaVersion
	r.normalize()
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(r)
}

// normalize replaces nil lists the schema requires with empty ones, so that
// they encode as [] rather than null.
//
// A result whose verdict was never set (a run still going) is judged first.
func (r *Result) normalize() {
	if r.Verdict.Status == "" {
		r.Judge(r.Conformance != nil && r.Conformance.Strict)
	}
	if c := r.Conformance; c != nil {
		if c.Cases == nil {
			c.Cases = []Case{}
		}
		if c.Sections == nil {
			c.Sections = []SectionCount{}
		}
	}
	if l := r.Load; l != nil && l.Commands == nil {
		l.Commands = []CommandStats{}
	}
}

// Marshal returns r encoded as by Encode.
func Marshal(r *Result) ([]byte, error) {
	var b bytes.Buffer
	if err := Encode(&b, r); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// Decode reads one result. It rejects a document whose MAJOR schema version
// differs from SchemaMajor with a *VersionError, accepts any MINOR (fields it
// does not know are ignored), and checks that the document is consistent: a
// known kind with its matching section, known outcomes and directions.
func Decode(rd io.Reader) (*Result, error) {
	data, err := io.ReadAll(rd)
	if err != nil {
		return nil, err
	}
	return Unmarshal(data)
}

// Unmarshal decodes a result from data as Decode does.
func Unmarshal(data []byte) (*Result, error) {
	var head struct {
		SchemaVersion *string `json:"schema_version"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return nil, fmt.Errorf("result: %w", jsonError(data, err))
	}
	if head.SchemaVersion == nil {
		return nil, &VersionError{}
	}
	major, _, err := ParseSchemaVersion(*head.SchemaVersion)
	if err != nil {
		return nil, fmt.Errorf("result: %w", err)
	}
	if major != SchemaMajor {
		return nil, &VersionError{Version: *head.SchemaVersion}
	}
	var r Result
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("result: %w", jsonError(data, err))
	}
	if err := r.check(); err != nil {
		return nil, fmt.Errorf("result: %w", err)
	}
	return &r, nil
}

// jsonError adds the line and column to a JSON syntax error.
func jsonError(data []byte, err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		line := 1 + bytes.Count(data[:min(int(se.Offset), len(data))], []byte("\n"))
		return fmt.Errorf("line %d: %w", line, err)
	}
	return err
}

// check verifies what the JSON decoder cannot: enumerations and the
// kind/section match.
func (r *Result) check() error {
	switch r.Kind {
	case KindConformance:
		if r.Conformance == nil {
			return errors.New(`kind is "conformance" but the conformance section is missing`)
		}
	case KindLoad:
		if r.Load == nil {
			return errors.New(`kind is "load" but the load section is missing`)
		}
	default:
		return fmt.Errorf("unknown kind %q (want conformance or load)", r.Kind)
	}
	if r.Conformance != nil {
		for i, c := range r.Conformance.Cases {
			if !c.Outcome.Valid() {
				return fmt.Errorf("case %d (%s): unknown outcome %q", i, c.ID, c.Outcome)
			}
			if err := checkTranscripts(c.Transcripts); err != nil {
				return fmt.Errorf("case %d (%s): %w", i, c.ID, err)
			}
		}
	}
	if r.Load != nil {
		for i, c := range r.Load.Commands {
			if c.Latency == nil {
				return fmt.Errorf("command %d (%s): no latency histogram", i, c.Name)
			}
		}
		for i, v := range r.Load.Violations {
			if err := checkTranscripts(v.Transcripts); err != nil {
				return fmt.Errorf("violation %d: %w", i, err)
			}
		}
	}
	return nil
}

func checkTranscripts(ts []Transcript) error {
	for _, t := range ts {
		for j, e := range t.Entries {
			switch e.Direction {
			case Client, Server, Event:
			default:
				return fmt.Errorf("transcript %q entry %d: unknown direction %q", t.Connection, j, e.Direction)
			}
		}
	}
	return nil
}

// ReadFile decodes the result stored at path.
func ReadFile(path string) (*Result, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	r, err := Unmarshal(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return r, nil
}

// WriteFile writes r to path atomically: it encodes into a temporary file in
// the same directory, syncs it and renames it over path, so a reader (or a
// run interrupted at any moment) sees either the previous document or the new
// one, never a torn one.
func WriteFile(path string, r *Result) error {
	return writeAtomic(path, func(w io.Writer) error { return Encode(w, r) })
}

// writeAtomic writes path through a temporary file and a rename.
func writeAtomic(path string, write func(io.Writer) error) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".*.tmp")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if err = write(f); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Chmod(0o644); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}

// Checkpointer rewrites a long run's result file at intervals, so that an
// interrupted run still leaves a valid report. Snapshot is called from the
// checkpointer's goroutine and must return a result safe to encode while the
// run goes on (a copy, or one built under the run's lock).
type Checkpointer struct {
	path     string
	snapshot func() *Result
	stop     chan struct{}
	done     chan struct{}
	once     sync.Once

	mu      sync.Mutex
	lastErr error
}

// StartCheckpointer writes snapshot() to path every interval until Stop.
func StartCheckpointer(path string, interval time.Duration, snapshot func() *Result) *Checkpointer {
	c := &Checkpointer{path: path, snapshot: snapshot, stop: make(chan struct{}), done: make(chan struct{})}
	go c.loop(interval)
	return c
}

func (c *Checkpointer) loop(interval time.Duration) {
	defer close(c.done)
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-c.stop:
			return
		case <-t.C:
			c.write(c.snapshot())
		}
	}
}

func (c *Checkpointer) write(r *Result) {
	err := WriteFile(c.path, r)
	c.mu.Lock()
	c.lastErr = err
	c.mu.Unlock()
}

// Err returns the error of the latest write, if it failed.
func (c *Checkpointer) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.lastErr
}

// Stop ends the periodic writes and writes final, the finished result, one
// last time. It returns that write's error.
func (c *Checkpointer) Stop(final *Result) error {
	c.once.Do(func() { close(c.stop) })
	<-c.done
	if final == nil {
		return c.Err()
	}
	c.write(final)
	return c.Err()
}

// JSONSchema is the JSON Schema (draft 2020-12) of the result model at
// SchemaVersion, for tools that validate results before reading them.
//
//go:embed schema/result.schema.json
var JSONSchema []byte
