package grammar

import (
	"strconv"
	"strings"
)

// Parser parses server responses. The zero value is ready and is strict
// RFC 3501: 7-bit text and quoted strings.
type Parser struct {
	// UTF8 accepts UTF-8 in quoted strings and text, as a server may send
	// them once the client has enabled UTF8=ACCEPT (RFC 6855 section 3).
	UTF8 bool
}

// Parse parses one complete server response with the zero Parser.
func Parse(line []byte) (*Response, error) {
	return Parser{}.Parse(line)
}

// ParseGreeting parses the server greeting with the zero Parser.
func ParseGreeting(line []byte) (*Response, error) {
	return Parser{}.ParseGreeting(line)
}

// Parse parses one complete server response: a line ending in CRLF, with
// any literals inline ("{n}" CRLF followed by n octets, then the rest of
// the line), exactly as received. It accepts a continuation request, a
// tagged response or untagged response data (RFC 3501 section 9,
// continue-req, response-tagged, response-data, response-fatal), and
// returns a *SyntaxError when the response breaks the grammar.
func (ps Parser) Parse(line []byte) (*Response, error) {
	return ps.run(line, false)
}

// ParseGreeting parses the first response of a connection: greeting =
// "*" SP (resp-cond-auth / resp-cond-bye) CRLF (RFC 3501 section 9).
func (ps Parser) ParseGreeting(line []byte) (*Response, error) {
	return ps.run(line, true)
}

func (ps Parser) run(line []byte, greeting bool) (r *Response, err error) {
	p := &parser{s: string(line), utf8: ps.UTF8}
	r = &Response{Raw: p.s}
	p.r = r
	defer func() {
		if e := recover(); e != nil {
			se, ok := e.(*SyntaxError)
			if !ok {
				panic(e)
			}
			r, err = nil, se
		}
	}()
	p.response(greeting)
	return r, nil
}

func (p *parser) response(greeting bool) {
	if len(p.s) == 0 {
		p.fail("response", "empty response")
	}
	switch p.s[0] {
	case '+':
		if greeting {
			p.fail("greeting", `the greeting must be untagged ("*" SP)`)
		}
		p.continuation()
	case '*':
		p.pos++
		p.sp("response-data")
		if greeting {
			p.greeting()
		} else {
			p.untagged()
		}
	default:
		if greeting {
			p.fail("greeting", `the greeting must be untagged ("*" SP)`)
		}
		p.tagged()
	}
	p.crlf()
}

// continuation parses continue-req = "+" SP (resp-text / base64) CRLF.
func (p *parser) continuation() {
	r := p.r
	r.Kind = Continuation
	p.pos++
	if !p.accept(' ') {
		p.unexpected("continue-req", `SP after "+"`)
	}
	if p.peekIs('[') {
		p.respText()
		return
	}
	// An empty text is an empty base64 challenge, which the grammar
	// allows; isBase64 reports it so.
	r.Text = p.text("continue-req")
	r.Base64 = isBase64(r.Text)
}

// isBase64 reports whether s matches base64 = *(4base64-char)
// [base64-terminal].
func isBase64(s string) bool {
	if len(s)%4 != 0 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if class[c]&cBase64 != 0 {
			continue
		}
		if c != '=' {
			return false
		}
		// "=" only in the last two positions, and "==" needs both.
		switch {
		case i == len(s)-1:
		case i == len(s)-2 && s[i+1] == '=':
		default:
			return false
		}
	}
	return true
}

// tagged parses response-tagged = tag SP resp-cond-state CRLF.
func (p *parser) tagged() {
	r := p.r
	r.Kind = Tagged
	start := p.pos
	for p.pos < len(p.s) && class[p.s[p.pos]]&cTag != 0 {
		p.pos++
	}
	if p.pos == start {
		p.unexpected("tag", `tag, "*" or "+"`)
	}
	r.Tag = p.s[start:p.pos]
	if p.atEnd() || p.eof() {
		p.unexpected("tag", "SP and a status condition after the tag")
	}
	if !p.peekIs(' ') {
		p.failf("tag", "%s in tag (tag = 1*<any ASTRING-CHAR except \"+\">)", p.found())
	}
	p.pos++
	nameAt := p.pos
	name := p.atom("response-tagged")
	switch {
	case strings.EqualFold(name, "OK"):
		r.Name = "OK"
	case strings.EqualFold(name, "NO"):
		r.Name = "NO"
	case strings.EqualFold(name, "BAD"):
		r.Name = "BAD"
	default:
		p.failAt(nameAt, "response-tagged", "a tagged response is OK, NO or BAD (resp-cond-state), not "+name)
	}
	p.condText("resp-cond-state")
}

// greeting parses the rest of greeting after "*" SP.
func (p *parser) greeting() {
	r := p.r
	r.Kind = Untagged
	nameAt := p.pos
	name := p.atom("greeting")
	switch {
	case strings.EqualFold(name, "OK"):
		r.Name = "OK"
		p.condText("resp-cond-auth")
	case strings.EqualFold(name, "PREAUTH"):
		r.Name = "PREAUTH"
		p.condText("resp-cond-auth")
	case strings.EqualFold(name, "BYE"):
		r.Name = "BYE"
		p.condText("resp-cond-bye")
	default:
		p.failAt(nameAt, "greeting", "the greeting is OK, PREAUTH or BYE, not "+name)
	}
}

// condText parses SP resp-text after a status condition.
func (p *parser) condText(rule string) {
	if p.atEnd() {
		p.fail(rule, "SP and text missing after the status condition")
	}
	p.sp(rule)
	p.respText()
}

// respText parses resp-text = ["[" resp-text-code "]" SP] text.
//
// RFC 3501 requires text (1*TEXT-CHAR) and verified erratum 5055 (to
// RFC 7162) confirms that a code without text is not RFC 3501. RFC 9051
// relaxed resp-text to ["[" resp-text-code "]" SP] [text] (its appendix E,
// item 23), so empty text after the SP is accepted with a Note. A code
// not followed by SP is rejected: even RFC 9051 requires it (erratum 7343
// proposing otherwise is not verified).
func (p *parser) respText() {
	r := p.r
	if p.peekIs('[') {
		// Text that begins with "[" is read as a response code: the
		// earlier alternative takes priority (RFC 3501 section 9).
		p.pos++
		r.Code = p.respTextCode()
		if !p.peekIs(']') {
			p.unexpected("resp-text-code", `"]"`)
		}
		p.pos++
		if p.atEnd() {
			p.fail("resp-text", `SP and text missing after the response code ("[" resp-text-code "]" SP text)`)
		}
		p.sp("resp-text")
	}
	at := p.pos
	r.Text = p.text("text")
	if r.Text == "" {
		r.Notes = append(r.Notes, Note{
			Offset: at,
			Rule:   "text",
			Msg:    "empty text: RFC 3501 requires 1*TEXT-CHAR; RFC 9051 (appendix E, item 23) allows empty text",
		})
	}
}

// Names of untagged responses.
var untaggedNames = [...]string{
	"OK", "NO", "BAD", "BYE", "PREAUTH", "CAPABILITY", "FLAGS", "LIST", "LSUB",
	"STATUS", "SEARCH", "ENABLED", "ID", "NAMESPACE", "ESEARCH", "SORT",
	"THREAD", "VANISHED", "METADATA",
}

// Names of the responses that follow a number.
var numberedNames = [...]string{"EXISTS", "RECENT", "EXPUNGE", "FETCH"}

// canonical returns the entry of names equal to s without regard to case,
// or "".
func canonical(names []string, s string) string {
	for _, n := range names {
		if len(n) == len(s) && strings.EqualFold(n, s) {
			return n
		}
	}
	return ""
}

// untagged parses the rest of an untagged response after "*" SP.
func (p *parser) untagged() {
	r := p.r
	r.Kind = Untagged
	if isDigit(p.peek()) {
		p.numbered()
		return
	}
	nameAt := p.pos
	word := p.atom("response-data")
	name := canonical(untaggedNames[:], word)
	if name == "" {
		if canonical(numberedNames[:], word) != "" {
			p.failAt(nameAt, "message-data", "the number comes first: \"* n "+strings.ToUpper(word)+"\"")
		}
		p.checkName(nameAt, word)
		r.Name = strings.ToUpper(word)
		p.unknown()
		return
	}
	r.Name = name
	switch name {
	case "OK", "NO", "BAD":
		p.condText("resp-cond-state")
	case "BYE":
		p.condText("resp-cond-bye")
	case "PREAUTH":
		p.failAt(nameAt, "response-data", "PREAUTH is valid only as the greeting (RFC 3501 section 7.1.4)")
	case "CAPABILITY":
		r.Capabilities = p.capabilities(false)
	case "FLAGS":
		p.sp("mailbox-data")
		r.Flags = p.flagList("flag-list", flagPlain, nil)
	case "LIST", "LSUB":
		p.sp("mailbox-data")
		r.List = p.mailboxList()
	case "STATUS":
		r.Status = p.status()
	case "SEARCH", "SORT":
		r.Search = p.search(name)
	case "ENABLED":
		r.Capabilities = p.enabled()
	case "ID":
		r.ID = p.id()
	case "NAMESPACE":
		r.Namespace = p.namespace()
	case "ESEARCH":
		r.ESearch = p.esearch()
	case "THREAD":
		r.Threads = p.threads()
	case "VANISHED":
		r.Vanished = p.vanished()
	case "METADATA":
		r.Metadata = p.metadata()
	}
}

// numbered parses "* n EXISTS", "* n RECENT" (mailbox-data: number) and
// "* n EXPUNGE", "* n FETCH msg-att" (message-data: nz-number).
func (p *parser) numbered() {
	r := p.r
	numAt := p.pos
	n := p.digits("mailbox-data", "number", 1<<32-1, false)
	r.Number = uint32(n)
	p.sp("message-data")
	nameAt := p.pos
	word := p.atom("message-data")
	switch {
	case strings.EqualFold(word, "EXISTS"):
		r.Name = "EXISTS"
	case strings.EqualFold(word, "RECENT"):
		r.Name = "RECENT"
	case strings.EqualFold(word, "EXPUNGE"):
		r.Name = "EXPUNGE"
		p.checkNZ(numAt, n)
	case strings.EqualFold(word, "FETCH"):
		r.Name = "FETCH"
		p.checkNZ(numAt, n)
		p.sp("message-data")
		r.Fetch = p.msgAtt()
	default:
		p.checkName(nameAt, word)
		r.Name = strings.ToUpper(word)
		p.unknown()
	}
}

// checkName fails unless word can be the name of an unknown response: an
// atom that starts with a letter, as every response name does.
func (p *parser) checkName(at int, word string) {
	if c := word[0]; !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z') {
		p.failAt(at, "response-data", "expected a response name, found "+strconv.Quote(word))
	}
}

func (p *parser) checkNZ(at int, n uint64) {
	if n == 0 {
		p.failAt(at, "message-data", "message sequence number must be nz-number, not 0")
	}
	if p.s[at] == '0' {
		p.failAt(at, "message-data", "nz-number must not have a leading zero")
	}
}

// unknown keeps the arguments of an unknown untagged response as generic
// tokens: *(SP value).
func (p *parser) unknown() {
	r := p.r
	r.Unknown = true
	for !p.atEnd() {
		if p.eof() {
			return // crlf reports it
		}
		if !p.peekIs(' ') {
			p.failf("response-data", "unknown response %s cannot be tokenised: %s", r.Name, p.found())
		}
		p.pos++
		r.Values = append(r.Values, p.value("response-data", true))
	}
}

// value scans one generic token: a quoted string, a literal (or literal8
// when binary), a parenthesised list, NIL, a number or an atom-like run.
func (p *parser) value(rule string, binary bool) Value {
	switch c := p.peek(); {
	case c == '"':
		return Value{Kind: String, Str: p.quoted(rule)}
	case c == '{' || c == '~' && binary && p.pos+1 < len(p.s) && p.s[p.pos+1] == '{':
		return Value{Kind: String, Str: p.literal(rule, binary), Literal: true}
	case c == '(':
		p.enter(rule)
		p.pos++
		var list []Value
		if !p.accept(')') {
			for {
				list = append(list, p.value(rule, binary))
				if p.accept(')') {
					break
				}
				p.sp(rule)
			}
		}
		p.leave()
		if list == nil {
			list = []Value{}
		}
		return Value{Kind: List, List: list}
	}
	start := p.pos
	for p.pos < len(p.s) && class[p.s[p.pos]]&cGeneric != 0 {
		p.pos++
	}
	if p.pos == start {
		p.unexpected(rule, "a value (atom, number, string, NIL or list)")
	}
	tok := p.s[start:p.pos]
	if strings.EqualFold(tok, "NIL") {
		return Value{Kind: Nil, Str: tok}
	}
	if n, ok := parseDigits(tok); ok {
		return Value{Kind: Number, Str: tok, Num: n}
	}
	return Value{Kind: Atom, Str: tok}
}

// parseDigits parses a run of decimal digits that fits 64 bits.
func parseDigits(s string) (uint64, bool) {
	if s == "" || len(s) > 19 {
		return 0, false
	}
	var n uint64
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return 0, false
		}
		n = n*10 + uint64(s[i]-'0')
	}
	return n, true
}
