// Package reports is the versioned result model shared by conformance and
// load runs, and its renderers (JSON, JUnit, HTML, Markdown, text), diff and
// merge.
//
// # The model
//
// A Result (schema version SchemaVersion, "MAJOR.MINOR") describes one run:
// target (credentials removed by RedactURL), environment, state and Verdict,
// and exactly one of a Conformance section (every Case with its RFC section,
// level, sentence, Outcome, Expected/Actual and redacted Transcripts; counts
// per outcome and per section, derived by Tally) or a Load section (intended
// vs achieved Schedule, per-command latency, setup phases, sync lag and IDLE
// notification latency as exact HDR Histograms, an Interval time series,
// Thresholds, correctness Violations with transcripts, Generator health,
// Shard). NewConformance and NewLoad start one; Finish and Judge compute the
// verdict from the data.
//
// # Files
//
// Encode, Decode, WriteFile (atomic: temporary file and rename) and
// ReadFile read and write the JSON form; Decode rejects another MAJOR version
// with a *VersionError and reads any MINOR. A Checkpointer rewrites a long
// run's file at intervals so that an interrupted run leaves a valid report.
// JSONSchema is the model's JSON Schema (draft 2020-12).
//
// # Renderers
//
// WriteText is the end-of-run summary, WriteMarkdown the CI job summary,
// WriteJUnit the JUnit XML for CI test reports, WriteHTML the self-contained
// HTML report with inline SVG charts. Outputs.Write renders every file a run
// was asked for in one call; WriteTranscriptFiles writes one transcript file
// per non-passing case.
//
// # Comparing and merging
//
// Compare finds regressions between two results (newly failing cases,
// slower percentiles, lower throughput, new violations). Merge combines the
// results of load shards exactly and re-checks their thresholds, which are
// written in the language ParseThreshold reads (p99(fetch)<50ms,
// sync_lag_p95<2s, errors<0.1%).
package reports
