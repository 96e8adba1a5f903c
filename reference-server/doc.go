// Package referenceserver is imapgauge's bundled IMAP4rev1 server, written to
// the strictest reading of RFC 3501: its own command parser, state machine and
// responses. It is the default target of the conform and load subcommands and
// can be embedded in tests.
//
// # Embedding
//
// Start a server on a random loopback port, seed it, point a client at it, and
// close it:
//
//	srv, err := referenceserver.Start(referenceserver.Options{
//		Users: []referenceserver.User{{Name: "alice", Password: "secret"}},
//	})
//	if err != nil { ... }
//	defer srv.Close()
//	uid, err := srv.Append("alice", "INBOX", raw, []string{`\Seen`}, time.Time{})
//	conn, err := net.Dial("tcp", srv.Addr())
//
// The zero Options are valid. STARTTLS is always offered, with a self-signed
// certificate unless Options.TLSConfig gives one; CertPool returns a pool that
// trusts it. Options.TLSAddr adds an implicit-TLS listener.
//
// # Protocol
//
// Every command of RFC 3501 section 6 is implemented in every state, in one
// file per command. The parser (internal/command) follows the grammar of
// section 9 to the letter: anything else is a BAD, and a refused command never
// swallows the next one. Literals are asked for with a continuation request
// only after what precedes them was accepted, so a command refused for its
// state, a missing APPEND target (TRYCREATE) or a literal over the limit is
// answered before the client sends the octets.
//
// Capabilities: IMAP4rev1, STARTTLS before TLS, AUTH=PLAIN and SASL-IR where
// plaintext passwords are allowed and LOGINDISABLED where they are not, and
// CHILDREN. See NOTES.md for each place where the RFC leaves a choice.
//
// # Sessions and updates
//
// Each session that selects a mailbox holds a view: the messages as numbered
// for that session, the messages that are \Recent in it, and the changes other
// sessions made that it has not been told about. After each command the view
// is brought up to date and the client gets FLAGS, EXPUNGE, EXISTS, RECENT and
// FETCH FLAGS responses as RFC 3501 sections 5.2 and 7 require; EXPUNGE is
// withheld during FETCH, STORE and SEARCH (section 7.4.1). \Recent goes to
// exactly one read-write session.
//
// # Storage
//
// Mail lives in memory: users, the mailbox hierarchy, each message's octets,
// UID, flags, internal date and modification sequence. Every change is also
// reported to a storage interface before the command is answered, which is
// where a durable store plugs in; the in-memory store needs nothing more.
//
// # Robustness
//
// Every read has a deadline (the autologout timer of section 5.4: 30 minutes
// once authenticated, one minute before), every write too; lines, literals,
// commands, parenthesised items and nesting are bounded; a panic ends only
// its own session; passwords and authentication data are never logged.
package referenceserver
