// Package message analyses stored messages for the reference server: the
// ENVELOPE and BODY/BODYSTRUCTURE values of FETCH (RFC 3501 sections 6.4.5,
// 7.4.2 and 9), BODY[section] octets, and the text that SEARCH matches
// (RFC 3501 section 6.4.4).
//
// Parse reads a raw RFC 5322 message and its MIME structure (RFC 2045,
// RFC 2046) once; every accessor then works from that structure and the raw
// octets. The protocol layer parses the FETCH or SEARCH command, applies
// partial <origin.count> slicing and \Seen, and splices the values returned
// here into its response unchanged: they are exactly the octets RFC 3501
// requires.
//
// # Robustness
//
// Parse accepts any byte sequence and never fails or panics; its cost is
// linear in the size of the message times the nesting depth. Lines may end
// in CRLF or bare LF for analysis; sizes and section octets always come
// from the raw bytes. Malformed input gets a best-effort structure:
//
//   - A header runs to the first empty line; without one the whole message
//     (or part) is header and its body is empty. Lines that are neither a
//     field nor a continuation are skipped.
//   - A missing or invalid Content-Type means text/plain; charset=us-ascii
//     (RFC 2045 section 5.2), or message/rfc822 inside multipart/digest
//     (RFC 2046 section 5.1.5). A missing Content-Transfer-Encoding is 7BIT.
//   - A multipart without a boundary parameter, or whose boundary never
//     appears, has no parts; BODYSTRUCTURE then describes one empty
//     TEXT/PLAIN part, since the grammar needs at least one (body-type-mpart).
//     A missing close delimiter ends the last part at the end of the body.
//   - Multipart and MESSAGE/RFC822 nesting deeper than MaxDepth (32) levels
//     is not analysed: such an entity is described as
//     APPLICATION/OCTET-STREAM and has no sub-parts. Past MaxParts
//     (10,000) entities, boundaries are no longer recognised and the part
//     being read runs to the end of its multipart.
//   - A MESSAGE/RFC822 part with a BASE64 or QUOTED-PRINTABLE encoding
//     (forbidden by RFC 2046 section 5.2.1) encapsulates an empty message.
//   - Addresses that lack a local part or a domain get MISSING_MAILBOX or
//     MISSING_DOMAIN, because a NIL host means a group marker (RFC 3501
//     section 7.4.2) and clients treat an empty host alike; junk between
//     addresses is skipped and parsing resumes at the next comma.
//   - NUL octets in header values are sent as U+FFFD, since no IMAP string
//     may contain NUL.
//
// # Case of names in BODYSTRUCTURE
//
// Media types, subtypes, parameter names, transfer encodings and
// disposition types are sent in upper case, whatever case the message
// used; parameter values are sent as written. These names are
// case-insensitive (RFC 2045 section 5.1, RFC 2183 section 2), RFC 3501
// writes them in upper case in its grammar and examples (section 7.4.2:
// ("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 3028 92)), and one
// canonical form lets a client compare them as plain strings. Defaults are
// upper case too: ("TEXT" "PLAIN" ("CHARSET" "US-ASCII") ... "7BIT" ...).
//
// # Comparison with Dovecot
//
// testdata/README.md lists every place where these values differ from
// Dovecot 2.3's on the test corpus, with the reason. In short: names in
// upper case; an unterminated last line counts as a line; the CRLF before a
// boundary never belongs to the part; an invalid Content-Type is
// text/plain; a missing section is NIL rather than an empty string; the
// header of an encapsulated message is searched by SEARCH BODY.
//
// # Concurrency
//
// A Message is immutable once parsed and safe for concurrent use.
package message
