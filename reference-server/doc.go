// Package referenceserver is imapgauge's bundled IMAP4rev1 server, written to
// the strictest reading of RFC 3501: its own command parser, state machine and
// responses. It is the default target of the conform and load subcommands and
// can be embedded in tests.
package referenceserver
