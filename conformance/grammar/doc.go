// Package grammar is a strict parser and validator of IMAP server responses
// following the formal syntax of RFC 3501 section 9. It shares no code with
// any server: a bug on one side must not hide on the other.
package grammar
