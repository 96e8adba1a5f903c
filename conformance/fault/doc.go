// Package fault makes a healthy IMAP server misbehave on purpose, so that
// every conformance case can be seen to fail at least once.
//
// A Proxy sits between the client and a real server, terminates TLS on both
// sides (implicit TLS and STARTTLS alike) so that it sees plaintext, frames
// what passes into complete responses and command lines, and lets a Fault
// rewrite, drop, insert or hold them back, break their framing, hang the
// connection or drop it. Faults are values: a case lists the ones that must
// make it fail, and a test applies each of them in turn.
package fault
