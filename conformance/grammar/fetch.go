package grammar

import (
	"fmt"
	"strings"
)

// Names of the msg-att items of RFC 3501 and RFC 7162.
var fetchNames = [...]string{
	"FLAGS", "UID", "INTERNALDATE", "RFC822.SIZE", "ENVELOPE", "BODY",
	"BODYSTRUCTURE", "RFC822", "RFC822.HEADER", "RFC822.TEXT", "MODSEQ",
}

// Names a client may send in FETCH that are never msg-att names.
var fetchOnlyNames = [...]string{"BODY.PEEK", "ALL", "FAST", "FULL", "BINARY.PEEK"}

// msgAtt parses msg-att = "(" (msg-att-dynamic / msg-att-static)
// *(SP (msg-att-dynamic / msg-att-static)) ")". An item may appear once.
func (p *parser) msgAtt() *FetchData {
	f := &FetchData{}
	f.Items = f.items[:0:len(f.items)]
	p.expect('(', "msg-att")
	for {
		p.fetchItem(f)
		if p.accept(')') {
			return f
		}
		if !p.peekIs(' ') {
			p.unexpected("msg-att", `SP or ")"`)
		}
		p.pos++
	}
}

// fetchItem parses one msg-att-dynamic or msg-att-static item, or an
// extension item kept generically.
func (p *parser) fetchItem(f *FetchData) {
	start := p.pos
	for p.pos < len(p.s) && class[p.s[p.pos]]&cAtom != 0 && p.s[p.pos] != '[' {
		p.pos++
	}
	if p.pos == start {
		p.unexpected("msg-att", "a message data item name")
	}
	word := p.s[start:p.pos]
	name := canonical(fetchNames[:], word)
	if name == "BODY" && p.peekIs('[') {
		p.bodySection(f, start)
		return
	}
	if name == "" {
		if n := canonical(fetchOnlyNames[:], word); n != "" {
			p.failAt(start, "msg-att", n+" is a fetch-att of the command, never a msg-att of the response (RFC 3501 section 7.4.2)")
		}
		p.fetchExtension(f, start)
		return
	}
	p.addItem(f, start, name)
	p.sp("msg-att")
	switch name {
	case "FLAGS":
		// "FLAGS" SP "(" [flag-fetch *(SP flag-fetch)] ")"
		f.Flags = p.flagList("flag-fetch", flagFetch, f.flags[:])
	case "UID":
		// "UID" SP uniqueid
		f.UID = p.nzNumber("uniqueid")
	case "INTERNALDATE":
		f.InternalDate = p.dateTime()
	case "RFC822.SIZE":
		f.RFC822Size = p.number("msg-att-static")
	case "ENVELOPE":
		f.Envelope = p.envelope()
	case "BODY":
		f.Body = p.body()
	case "BODYSTRUCTURE":
		f.BodyStructure = p.body()
	case "RFC822":
		f.RFC822 = p.nstring("msg-att-static")
	case "RFC822.HEADER":
		f.RFC822Header = p.nstring("msg-att-static")
	case "RFC822.TEXT":
		f.RFC822Text = p.nstring("msg-att-static")
	case "MODSEQ":
		// RFC 7162: "MODSEQ" SP "(" permsg-modsequence ")"
		p.expect('(', "fetch-mod-resp")
		f.ModSeq = p.modSeq("permsg-modsequence")
		p.expect(')', "fetch-mod-resp")
	}
}

// addItem records an item name, failing on a duplicate.
func (p *parser) addItem(f *FetchData, at int, name string) {
	p.unique(f.Items, name, at, "msg-att", "the %s item appears twice in one FETCH response")
	f.Items = append(f.Items, name)
}

// unique fails when name is among items, the names of one list so far,
// with the message format applied to name. Past a few names it keeps them
// in a set, so that a list of thousands of items stays linear. A response
// has at most one such list.
func (p *parser) unique(items []string, name string, at int, rule, format string) {
	dup := false
	if p.seen != nil {
		dup = p.seen[name]
	} else {
		for _, it := range items {
			dup = dup || it == name
		}
	}
	if dup {
		p.failAt(at, rule, fmt.Sprintf(format, name))
	}
	if p.seen != nil {
		p.seen[name] = true
	} else if len(items) >= 16 {
		p.seen = make(map[string]bool, 2*len(items))
		for _, it := range items {
			p.seen[it] = true
		}
		p.seen[name] = true
	}
}

// fetchExtension parses an item of an extension: name ["[" ... "]"]
// ["<" number ">"] SP value, e.g. BINARY[1] ~{3} (RFC 3516) or
// X-GM-MSGID 123.
func (p *parser) fetchExtension(f *FetchData, start int) {
	if p.accept('[') {
		for p.pos < len(p.s) && p.s[p.pos] != ']' && class[p.s[p.pos]]&cText != 0 {
			p.pos++
		}
		p.expect(']', "msg-att")
		if p.accept('<') {
			p.number("msg-att")
			p.expect('>', "msg-att")
		}
	}
	name := strings.ToUpper(p.s[start:p.pos])
	p.addItem(f, start, name)
	p.sp("msg-att")
	f.Extensions = append(f.Extensions, ExtItem{Name: name, Value: p.value("msg-att", true)})
}

// bodySection parses "BODY" section ["<" number ">"] SP nstring.
func (p *parser) bodySection(f *FetchData, start int) {
	var s BodySection
	p.pos++ // "["
	specStart := p.pos
	p.sectionSpec(&s)
	s.Spec = p.s[specStart:p.pos]
	p.expect(']', "section")
	if p.accept('<') {
		s.Partial = true
		s.Origin = p.number("msg-att-static")
		if p.peekIs('.') {
			p.fail("msg-att-static", `a response names only the origin octet, "<" number ">"; "<" number "." nz-number ">" is the command's form`)
		}
		p.expect('>', "msg-att-static")
	}
	p.addItem(f, start, strings.ToUpper(p.s[start:p.pos]))
	p.sp("msg-att-static")
	if p.acceptNil() {
		s.Data = NString{Nil: true}
	} else {
		s.Literal = p.peekIs('{')
		v, _ := p.str("msg-att-static")
		s.Data = NString{Value: v}
	}
	f.Sections = append(f.Sections, s)
}

// sectionSpec parses [section-spec], section-spec = section-msgtext /
// (section-part ["." section-text]).
func (p *parser) sectionSpec(s *BodySection) {
	if p.peekIs(']') {
		return
	}
	if isDigit(p.peek()) {
		// section-part = nz-number *("." nz-number)
		for {
			s.Part = append(s.Part, p.nzNumber("section-part"))
			if !p.peekIs('.') {
				return
			}
			p.pos++
			if !isDigit(p.peek()) {
				break
			}
		}
		s.Specifier = p.sectionText(true)
	} else {
		s.Specifier = p.sectionText(false)
	}
	if strings.HasPrefix(s.Specifier, "HEADER.FIELDS") {
		// SP header-list; header-list = "(" header-fld-name *(SP header-fld-name) ")"
		p.sp("section-msgtext")
		p.expect('(', "header-list")
		for {
			s.Fields = append(s.Fields, p.astring("header-fld-name"))
			if p.accept(')') {
				break
			}
			p.sp("header-list")
		}
	}
}

var sectionTexts = [...]string{"HEADER.FIELDS.NOT", "HEADER.FIELDS", "HEADER", "TEXT", "MIME"}

// sectionText parses section-msgtext, or section-text (which adds MIME)
// after a section-part.
func (p *parser) sectionText(afterPart bool) string {
	at := p.pos
	for p.pos < len(p.s) && (p.s[p.pos] >= 'A' && p.s[p.pos] <= 'Z' || p.s[p.pos] >= 'a' && p.s[p.pos] <= 'z' || p.s[p.pos] == '.') {
		p.pos++
	}
	t := canonical(sectionTexts[:], p.s[at:p.pos])
	if t == "" || t == "MIME" && !afterPart {
		p.pos = at
		want := "HEADER, HEADER.FIELDS, HEADER.FIELDS.NOT or TEXT (section-msgtext)"
		if afterPart {
			want = "HEADER, HEADER.FIELDS, HEADER.FIELDS.NOT, TEXT or MIME (section-text)"
		}
		p.unexpected("section-spec", want)
	}
	return t
}

// envelope parses envelope = "(" env-date SP env-subject SP env-from SP
// env-sender SP env-reply-to SP env-to SP env-cc SP env-bcc SP
// env-in-reply-to SP env-message-id ")".
func (p *parser) envelope() *Envelope {
	const rule = "envelope"
	e := &Envelope{}
	p.expect('(', rule)
	e.Date = p.nstring("env-date")
	p.sp(rule)
	e.Subject = p.nstring("env-subject")
	for i, dst := range [...]*[]Address{&e.From, &e.Sender, &e.ReplyTo, &e.To, &e.Cc, &e.Bcc} {
		p.sp(rule)
		*dst = p.addressList(envListRules[i])
	}
	p.sp(rule)
	e.InReplyTo = p.nstring("env-in-reply-to")
	p.sp(rule)
	e.MessageID = p.nstring("env-message-id")
	p.expect(')', rule)
	return e
}

var envListRules = [...]string{"env-from", "env-sender", "env-reply-to", "env-to", "env-cc", "env-bcc"}

// addressList parses "(" 1*address ")" / nil; the addresses follow each
// other without SP.
func (p *parser) addressList(rule string) []Address {
	if p.acceptNil() {
		return nil
	}
	p.expect('(', rule)
	if p.peekIs(')') {
		p.fail(rule, `an address list holds at least one address; an empty list is NIL, not "()"`)
	}
	var list []Address
	for {
		list = append(list, p.address())
		if p.accept(')') {
			return list
		}
		if !p.peekIs('(') {
			if p.peekIs(' ') {
				p.fail(rule, "addresses in a list follow each other without SP (1*address)")
			}
			p.unexpected(rule, `"(" or ")"`)
		}
	}
}

// address parses address = "(" addr-name SP addr-adl SP addr-mailbox SP
// addr-host ")".
func (p *parser) address() Address {
	const rule = "address"
	var a Address
	p.expect('(', rule)
	a.Name = p.nstring("addr-name")
	p.sp(rule)
	a.ADL = p.nstring("addr-adl")
	p.sp(rule)
	a.Mailbox = p.nstring("addr-mailbox")
	p.sp(rule)
	a.Host = p.nstring("addr-host")
	p.expect(')', rule)
	return a
}

// Groups splits an address list into its RFC 2822 groups and the runs of
// addresses between them. It fails when a group is not closed or a group
// end has no start.
func Groups(list []Address) ([]AddressGroup, error) {
	var gs []AddressGroup
	var cur *AddressGroup
	for _, a := range list {
		switch {
		case a.IsGroupEnd():
			if cur == nil || !cur.Group {
				return nil, &ValidationError{Violations: []Violation{{Rule: "addr-mailbox", Msg: "group end without a group start"}}}
			}
			cur = nil
		case a.IsGroupStart():
			if cur != nil && cur.Group {
				return nil, &ValidationError{Violations: []Violation{{Rule: "addr-mailbox", Msg: "group " + a.Mailbox.Value + " starts inside group " + cur.Name}}}
			}
			gs = append(gs, AddressGroup{Group: true, Name: a.Mailbox.Value, Addresses: []Address{}})
			cur = &gs[len(gs)-1]
		default:
			if cur == nil {
				gs = append(gs, AddressGroup{})
				cur = &gs[len(gs)-1]
			}
			cur.Addresses = append(cur.Addresses, a)
		}
	}
	if cur != nil && cur.Group {
		return nil, &ValidationError{Violations: []Violation{{Rule: "addr-mailbox", Msg: "group " + cur.Name + " is not closed"}}}
	}
	return gs, nil
}
