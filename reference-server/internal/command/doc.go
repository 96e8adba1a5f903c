// Package command reads and parses the commands an IMAP4rev1 client sends,
// following the formal syntax of RFC 3501 section 9 to the letter.
//
// A Reader frames a command line by line: a synchronising literal at the end
// of a line makes it ask its owner to send the command continuation request
// (RFC 3501 section 7.5) before it reads the literal's octets and the next
// line. Parsing is strict: anything the grammar does not produce is refused
// with an *Error whose Status is BAD, and the refused line is consumed whole,
// so a malformed command never swallows the one after it. Limits on line
// length, literal size, command size, the number of parenthesised items and
// nesting depth are enforced while reading, never after buffering.
//
// The package knows nothing about sessions or mailboxes; the server decides
// what a parsed command means.
package command
