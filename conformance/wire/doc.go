// Package wire drives one IMAP connection for the conformance suites: TCP,
// implicit TLS and STARTTLS, command tags, synchronising and non-synchronising
// literals, pipelining, the raw bytes of every response, and a transcript of
// every octet in both directions with timestamps, passwords redacted.
package wire
