// Package scenarios holds what imapgauge checks and applies, as opposed to the
// machinery in conformance and load: the RFC 3501 suites (rfc3501), the load
// workload profiles (profiles) and the known-failures lists of real servers.
package scenarios
