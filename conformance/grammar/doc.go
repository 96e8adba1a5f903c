// Package grammar is a strict parser and validator of IMAP server responses
// following the formal syntax of RFC 3501 section 9. It shares no code with
// any server: a bug on one side must not hide on the other.
//
// # Input and output
//
// Parse takes one complete response exactly as received: a line ending in
// CRLF with any literals inline ("{n}" CRLF, n octets, then the rest of
// the line), as the wire driver frames it. It returns a *Response with the
// kind (continuation, tagged, untagged), tag, upper-cased name, response
// code and text, and the typed data of the response (capabilities, flags,
// LIST, STATUS, SEARCH, FETCH with ENVELOPE and BODYSTRUCTURE trees...).
// ParseGreeting parses the first response of a connection. A response that
// breaks the grammar gives a *SyntaxError naming the section 9 rule, the
// octet offset and what was wrong. Validate checks a parsed response
// against the requirements RFC 3501 states beside its grammar (no
// extension data in BODY, no \Recent in FLAGS, balanced address groups).
//
// # Strict where the RFC is strict
//
//   - Lines end in CRLF; a bare CR or LF is an error, as are octets after
//     the final CRLF.
//   - SP is exactly one space (section 9 note 2); NUL never appears outside
//     a literal8 (note 3).
//   - Quoted strings escape only DQUOTE and backslash and hold no CR, LF or
//     8-bit octet (8-bit data goes in literals); text is 7-bit. A Parser
//     with UTF8 set accepts UTF-8 in both, as after ENABLE UTF8=ACCEPT
//     (RFC 6855).
//   - number is 32 bits, nz-number is non-zero without a leading zero,
//     mod-sequence-value is 63 bits and non-zero (RFC 7162).
//   - A literal's length must match the octets that follow.
//   - Known response codes must have their defined arguments: [UIDNEXT 0]
//     and [ALERT now] are errors even though the generic
//     atom [SP 1*<any TEXT-CHAR except "]">] alternative could match them,
//     because the earlier alternative takes priority (section 9 preamble).
//     For the same reason text that begins with "[" is read as a code.
//   - CAPABILITY must list IMAP4rev1; a LIST response carries at most one
//     of \Noselect, \Marked, \Unmarked; address lists and parameter lists
//     are NIL, never "()"; an item appears once in a FETCH response; a
//     response names BODY[...], never BODY.PEEK[...], and only the origin
//     of a partial fetch.
//   - INTERNALDATE is exactly "dd-Mon-yyyy hh:mm:ss +zzzz" (the day may be
//     SP DIGIT) and must name a real date and time.
//   - PREAUTH is valid only as the greeting; a tagged response is OK, NO
//     or BAD.
//
// # Fair where the RFC is permissive
//
//   - Keywords and atoms are case-insensitive (section 9 note 1): "* 3
//     exists", "\seen", "ok", "nil" are accepted. Names are reported
//     upper-cased, system flags and list attributes canonically spelled.
//   - A literal is accepted wherever a string is allowed, including where
//     the grammar spells a quoted string (media types, body-fld-enc).
//   - Untagged OK, NO and BAD may come at any time; any human-readable text
//     is accepted.
//   - Response codes this package does not know are accepted by the
//     generic alternative and marked Unknown. Untagged responses it does
//     not know are kept as generic tokens and marked Unknown; only a
//     response that cannot even be tokenised is an error.
//   - Extension responses a server may legitimately send are typed by
//     their RFCs: ENABLED (5161), ID (2971), NAMESPACE (2342), ESEARCH
//     (4731), SORT and THREAD (5256), LIST-EXTENDED items (5258), VANISHED,
//     MODSEQ, HIGHESTMODSEQ, NOMODSEQ, MODIFIED and CLOSED (7162),
//     APPENDUID, COPYUID and UIDNOTSTICKY (4315), the codes of RFC 5530 and
//     METADATA (5464). Unknown FETCH items (BINARY, X-GM-MSGID...) are kept
//     as generic values.
//
// # Empty response text
//
// RFC 3501 defines resp-text = ["[" resp-text-code "]" SP] text with
// text = 1*TEXT-CHAR, so "A1 OK [READ-WRITE]" breaks it; verified erratum
// 5055 (against RFC 7162's examples) confirms that a code without text is
// not RFC 3501. RFC 9051 relaxed the rule to ["[" resp-text-code "]" SP]
// [text] (its appendix E, item 23). A strict but fair tool should not fail
// a server for what the protocol's own revision allows, so "A1 OK " and
// "* OK [CODE] " are accepted and the relaxation is recorded in
// Response.Notes for reports to show as a warning. The SP itself stays
// required ("A1 OK", "* OK [CODE]" are errors): RFC 9051 requires it too,
// and erratum 7343, which proposes dropping it, is not verified.
//
// # Cost
//
// The strings of a Response share one copy of the input. A typical FETCH
// response (UID, FLAGS, RFC822.SIZE, INTERNALDATE) costs three
// allocations: that copy, the Response and its FetchData; see the
// benchmarks.
package grammar
