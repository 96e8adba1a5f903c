package grammar

import (
	"strings"
)

// Response codes without arguments: RFC 3501 section 7.1, RFC 4315
// (UIDNOTSTICKY), RFC 7162 (NOMODSEQ, CLOSED) and RFC 5530.
var bareCodes = [...]string{
	"ALERT", "PARSE", "READ-ONLY", "READ-WRITE", "TRYCREATE",
	"UIDNOTSTICKY", "NOMODSEQ", "CLOSED",
	"UNAVAILABLE", "AUTHENTICATIONFAILED", "AUTHORIZATIONFAILED", "EXPIRED",
	"PRIVACYREQUIRED", "CONTACTADMIN", "NOPERM", "INUSE", "EXPUNGEISSUED",
	"CORRUPTION", "SERVERBUG", "CLIENTBUG", "CANNOT", "LIMIT", "OVERQUOTA",
	"ALREADYEXISTS", "NONEXISTENT",
}

// Response codes with arguments that this package types.
var argCodes = [...]string{
	"BADCHARSET", "CAPABILITY", "PERMANENTFLAGS", "UIDNEXT", "UIDVALIDITY",
	"UNSEEN", "APPENDUID", "COPYUID", "HIGHESTMODSEQ", "MODIFIED",
}

// respTextCode parses resp-text-code after "[", up to but not including
// the closing "]". A known code must have its defined arguments; an
// unknown one is atom [SP 1*<any TEXT-CHAR except "]">].
func (p *parser) respTextCode() *Code {
	start := p.pos
	word := p.atom("resp-text-code")
	c := &Code{}
	defer func() { c.Raw = p.s[start:p.pos] }()
	if name := canonical(bareCodes[:], word); name != "" {
		c.Name = name
		if !p.peekIs(']') {
			p.failf("resp-text-code", "the %s response code takes no arguments", name)
		}
		return c
	}
	name := canonical(argCodes[:], word)
	if name == "" {
		c.Name = strings.ToUpper(word)
		c.Unknown = true
		if p.accept(' ') {
			argStart := p.pos
			for p.pos < len(p.s) && p.s[p.pos] != ']' && class[p.s[p.pos]]&cText != 0 {
				p.pos++
			}
			if p.pos == argStart {
				p.unexpected("resp-text-code", `1*<any TEXT-CHAR except "]">`)
			}
			c.Args = p.s[argStart:p.pos]
		}
		return c
	}
	c.Name = name
	rule := "resp-text-code"
	if name == "CAPABILITY" {
		c.Capabilities = p.capabilities(true)
		c.Args = strings.TrimPrefix(p.s[start+len(word):p.pos], " ")
		return c
	}
	if name == "BADCHARSET" && p.peekIs(']') {
		return c
	}
	p.sp(rule)
	argStart := p.pos
	switch name {
	case "BADCHARSET":
		// "BADCHARSET" [SP "(" astring *(SP astring) ")" ]
		p.expect('(', rule)
		for {
			c.Charsets = append(c.Charsets, p.astring(rule))
			if p.accept(')') {
				break
			}
			p.sp(rule)
		}
	case "PERMANENTFLAGS":
		// "PERMANENTFLAGS" SP "(" [flag-perm *(SP flag-perm)] ")"
		c.Flags = p.flagList("flag-perm", flagPerm, nil)
	case "UIDNEXT", "UIDVALIDITY", "UNSEEN":
		c.Number = p.nzNumber(rule)
	case "APPENDUID":
		// RFC 4315 section 4: "APPENDUID" SP nz-number SP append-uid
		c.UIDValidity = p.nzNumber(rule)
		p.sp(rule)
		c.UIDs = p.seqSet("append-uid", false)
	case "COPYUID":
		// RFC 4315 section 4: "COPYUID" SP nz-number SP uid-set SP uid-set
		c.UIDValidity = p.nzNumber(rule)
		p.sp(rule)
		c.SourceUIDs = p.seqSet("uid-set", false)
		p.sp(rule)
		c.UIDs = p.seqSet("uid-set", false)
	case "HIGHESTMODSEQ":
		// RFC 7162 section 7: "HIGHESTMODSEQ" SP mod-sequence-value
		c.ModSeq = p.modSeq(rule)
	case "MODIFIED":
		// RFC 7162 section 7: "MODIFIED" SP sequence-set
		c.Set = p.seqSet(rule, true)
	}
	c.Args = p.s[argStart:p.pos]
	if !p.peekIs(']') {
		p.failf(rule, "expected \"]\" after the %s arguments, found %s", name, p.found())
	}
	return c
}

// capabilities parses the rest of capability-data after "CAPABILITY":
// *(SP capability) SP "IMAP4rev1" *(SP capability). Inside a response code
// the list ends at "]".
func (p *parser) capabilities(inCode bool) []string {
	start := p.pos
	var caps []string
	rev1 := false
	for p.peekIs(' ') {
		p.pos++
		// capability = ("AUTH=" auth-type) / atom; both are atoms.
		c := p.atom("capability")
		if strings.EqualFold(c, "IMAP4rev1") {
			rev1 = true
		}
		caps = append(caps, c)
	}
	if inCode && !p.peekIs(']') || !inCode && !p.atEnd() {
		p.unexpected("capability-data", "SP and a capability")
	}
	if !rev1 {
		p.failAt(start, "capability-data", "IMAP4rev1 is missing from the capability list (RFC 3501 section 7.2.1)")
	}
	return caps
}

// enabled parses the rest of RFC 5161's enable-data: "ENABLED"
// *(SP capability).
func (p *parser) enabled() []string {
	var caps []string
	for p.accept(' ') {
		caps = append(caps, p.atom("capability"))
	}
	return caps
}

// Kinds of flag list.
const (
	flagPlain = iota // flag: no \Recent, no \*
	flagFetch        // flag-fetch: flag / "\Recent"
	flagPerm         // flag-perm: flag / "\*"
)

// System flags and mailbox name attributes, canonically spelled.
var systemFlags = [...]string{
	`\Answered`, `\Flagged`, `\Deleted`, `\Seen`, `\Draft`, `\Recent`,
}

var listAttributes = [...]string{
	`\Noinferiors`, `\Noselect`, `\Marked`, `\Unmarked`,
	`\HasChildren`, `\HasNoChildren`, `\NonExistent`, `\Subscribed`, `\Remote`,
	`\All`, `\Archive`, `\Drafts`, `\Flagged`, `\Junk`, `\Sent`, `\Trash`,
}

// flag scans one flag of the kind: "\" atom (system flag or
// flag-extension), "\*" for flag-perm, or a flag-keyword atom.
func (p *parser) flag(rule string, kind int) string {
	start := p.pos
	if p.accept('\\') {
		if p.peekIs('*') {
			if kind != flagPerm {
				p.fail(rule, `"\*" is valid only in PERMANENTFLAGS (flag-perm)`)
			}
			p.pos++
			return `\*`
		}
		p.atom(rule)
		f := p.s[start:p.pos]
		if c := canonical(systemFlags[:], f); c != "" {
			return c
		}
		return f
	}
	return p.atom(rule)
}

// flagList parses "(" [flag *(SP flag)] ")" into buf.
func (p *parser) flagList(rule string, kind int, buf []string) []string {
	p.expect('(', rule)
	flags := buf[:0:len(buf)]
	if flags == nil {
		flags = []string{}
	}
	if p.accept(')') {
		return flags
	}
	for {
		flags = append(flags, p.flag(rule, kind))
		if p.accept(')') {
			return flags
		}
		p.sp(rule)
	}
}
