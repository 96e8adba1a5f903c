package grammar

import (
	"strconv"
	"strings"
)

// SyntaxError reports a response that breaks the formal syntax of RFC 3501
// section 9 (or of the extension RFC that defines it).
type SyntaxError struct {
	// Raw is the offending response exactly as received.
	Raw string
	// Offset is the octet offset in Raw where the response stopped
	// matching the grammar.
	Offset int
	// Rule is the name of the grammar rule broken, as RFC 3501 section 9
	// spells it (resp-text-code, date-time, mailbox-list, CRLF...).
	Rule string
	// Msg says what was wrong, readably.
	Msg string
}

// Error returns the rule, the offset, the message and an excerpt of the
// response around the offset.
func (e *SyntaxError) Error() string {
	var b strings.Builder
	b.WriteString("imap response syntax: ")
	b.WriteString(e.Rule)
	b.WriteString(" at octet ")
	b.WriteString(strconv.Itoa(e.Offset))
	b.WriteString(": ")
	b.WriteString(e.Msg)
	b.WriteString(": ")
	b.WriteString(Excerpt(e.Raw, e.Offset))
	return b.String()
}

// excerptWidth is how many octets of context Excerpt shows on each side.
const excerptWidth = 40

// Excerpt quotes the part of raw around offset, marking the offset with
// "^". Long responses (literals of megabytes) are cut at both ends.
func Excerpt(raw string, offset int) string {
	offset = max(0, min(offset, len(raw)))
	lo := max(0, offset-excerptWidth)
	hi := min(len(raw), offset+excerptWidth)
	var b strings.Builder
	if lo > 0 {
		b.WriteString("...")
	}
	b.WriteString(strconv.Quote(raw[lo:offset]))
	b.WriteString("^")
	b.WriteString(strconv.Quote(raw[offset:hi]))
	if hi < len(raw) {
		b.WriteString("...")
	}
	return b.String()
}

// ValidationError lists the rules a syntactically valid response breaks
// when its fields are checked against each other and against the
// requirements RFC 3501 states beside its grammar. See Validate.
type ValidationError struct {
	// Raw is the offending response.
	Raw string
	// Violations are the rules broken, at least one.
	Violations []Violation
}

// Violation is one rule a response breaks.
type Violation struct {
	// Rule is the grammar rule whose comment or section states the
	// requirement (body-ext-1part, flag-extension...).
	Rule string
	// Msg says what is wrong, and cites the RFC.
	Msg string
}

// Error lists the violations.
func (e *ValidationError) Error() string {
	var b strings.Builder
	b.WriteString("imap response invalid: ")
	for i, v := range e.Violations {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(v.Rule)
		b.WriteString(": ")
		b.WriteString(v.Msg)
	}
	return b.String()
}
