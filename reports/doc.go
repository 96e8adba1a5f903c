// Package reports is the versioned result model shared by conformance and
// load runs, and its renderers (JSON, JUnit, HTML, Markdown, text), diff and
// merge.
package reports
