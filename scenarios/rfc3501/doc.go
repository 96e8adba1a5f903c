// Package rfc3501 is the RFC 3501 conformance suite: one file per section
// of the RFC (named after the command it covers, as in go-imap), each case
// tied to the sentence it checks and to the faults that make it fail.
// Sections returns them all, in RFC order, for the suite wiring.
package rfc3501
