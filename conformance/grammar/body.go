package grammar

import (
	"strings"
	"sync/atomic"
	"time"
)

// body parses body = "(" (body-type-1part / body-type-mpart) ")".
func (p *parser) body() *BodyStructure {
	const rule = "body"
	p.enter(rule)
	defer p.leave()
	p.expect('(', rule)
	var b *BodyStructure
	if p.peekIs('(') {
		b = p.bodyMultipart()
	} else {
		b = p.bodyOnePart()
	}
	p.expect(')', rule)
	return b
}

// bodyMultipart parses body-type-mpart = 1*body SP media-subtype
// [SP body-ext-mpart].
func (p *parser) bodyMultipart() *BodyStructure {
	b := &BodyStructure{Type: "MULTIPART"}
	for p.peekIs('(') {
		b.Parts = append(b.Parts, p.body())
	}
	if p.peekIs(' ') && p.pos+1 < len(p.s) && p.s[p.pos+1] == '(' {
		p.fail("body-type-mpart", "the parts of a multipart body follow each other without SP (1*body)")
	}
	p.sp("body-type-mpart")
	b.Subtype = p.mediaString("media-subtype")
	if !p.accept(' ') {
		return b
	}
	// body-ext-mpart = body-fld-param [SP body-fld-dsp [SP body-fld-lang
	// [SP body-fld-loc *(SP body-extension)]]]
	b.ExtFields = 1
	b.Params = p.bodyParams()
	p.bodyExtTail(b)
	return b
}

// bodyOnePart parses body-type-1part = (body-type-basic / body-type-msg /
// body-type-text) [SP body-ext-1part].
func (p *parser) bodyOnePart() *BodyStructure {
	b := &BodyStructure{}
	b.Type = p.mediaString("media-basic")
	p.sp("media-basic")
	b.Subtype = p.mediaString("media-subtype")
	p.sp("body-fields")
	p.bodyFields(b)
	switch {
	case b.Type == "TEXT":
		// body-type-text = media-text SP body-fields SP body-fld-lines
		p.sp("body-type-text")
		b.Lines = p.number("body-fld-lines")
	case b.Type == "MESSAGE" && b.Subtype == "RFC822",
		b.Type == "MESSAGE" && b.Subtype == "GLOBAL" && p.pos+1 < len(p.s) && p.s[p.pos] == ' ' && p.s[p.pos+1] == '(':
		// body-type-msg = media-message SP body-fields SP envelope SP
		// body SP body-fld-lines. MESSAGE/GLOBAL has the same form in
		// RFC 9051 and is read so when an envelope follows.
		p.sp("body-type-msg")
		b.Envelope = p.envelope()
		p.sp("body-type-msg")
		b.Body = p.body()
		p.sp("body-type-msg")
		b.Lines = p.number("body-fld-lines")
	}
	if !p.accept(' ') {
		return b
	}
	// body-ext-1part = body-fld-md5 [SP body-fld-dsp [SP body-fld-lang
	// [SP body-fld-loc *(SP body-extension)]]]
	b.ExtFields = 1
	b.MD5 = p.nstring("body-fld-md5")
	p.bodyExtTail(b)
	return b
}

// bodyExtTail parses [SP body-fld-dsp [SP body-fld-lang [SP body-fld-loc
// *(SP body-extension)]]], common to both extension forms.
func (p *parser) bodyExtTail(b *BodyStructure) {
	if !p.accept(' ') {
		return
	}
	b.ExtFields++
	b.Disposition = p.bodyDisposition()
	if !p.accept(' ') {
		return
	}
	b.ExtFields++
	b.Language = p.bodyLanguage()
	if !p.accept(' ') {
		return
	}
	b.ExtFields++
	b.Location = p.nstring("body-fld-loc")
	for p.accept(' ') {
		b.ExtFields++
		b.Extensions = append(b.Extensions, p.bodyExtension())
	}
}

// mediaString parses a media type or subtype string, upper-cased: the
// grammar quotes the types it names, but a literal where a quoted string
// could be is fair, so any string is taken.
func (p *parser) mediaString(rule string) string {
	s, _ := p.str(rule)
	return strings.ToUpper(s)
}

// bodyFields parses body-fields = body-fld-param SP body-fld-id SP
// body-fld-desc SP body-fld-enc SP body-fld-octets.
func (p *parser) bodyFields(b *BodyStructure) {
	const rule = "body-fields"
	b.Params = p.bodyParams()
	p.sp(rule)
	b.ID = p.nstring("body-fld-id")
	p.sp(rule)
	b.Description = p.nstring("body-fld-desc")
	p.sp(rule)
	enc, _ := p.str("body-fld-enc")
	b.Encoding = strings.ToUpper(enc)
	p.sp(rule)
	b.Size = p.number("body-fld-octets")
}

// bodyParams parses body-fld-param = "(" string SP string *(SP string SP
// string) ")" / nil.
func (p *parser) bodyParams() []Param {
	const rule = "body-fld-param"
	if p.acceptNil() {
		return nil
	}
	p.expect('(', rule)
	if p.peekIs(')') {
		p.fail(rule, `body-fld-param holds at least one attribute/value pair; none is NIL, not "()"`)
	}
	var ps []Param
	for {
		var pr Param
		pr.Name, _ = p.str(rule)
		p.sp(rule)
		pr.Value, _ = p.str(rule)
		ps = append(ps, pr)
		if p.accept(')') {
			return ps
		}
		p.sp(rule)
	}
}

// bodyDisposition parses body-fld-dsp = "(" string SP body-fld-param ")"
// / nil.
func (p *parser) bodyDisposition() *Disposition {
	const rule = "body-fld-dsp"
	if p.acceptNil() {
		return nil
	}
	p.expect('(', rule)
	d := &Disposition{}
	d.Type, _ = p.str(rule)
	p.sp(rule)
	d.Params = p.bodyParams()
	p.expect(')', rule)
	return d
}

// bodyLanguage parses body-fld-lang = nstring / "(" string *(SP string)
// ")".
func (p *parser) bodyLanguage() []string {
	const rule = "body-fld-lang"
	if p.acceptNil() {
		return nil
	}
	if !p.accept('(') {
		s, _ := p.str(rule)
		return []string{s}
	}
	var ls []string
	for {
		s, _ := p.str(rule)
		ls = append(ls, s)
		if p.accept(')') {
			return ls
		}
		p.sp(rule)
	}
}

// bodyExtension parses body-extension = nstring / number /
// "(" body-extension *(SP body-extension) ")".
func (p *parser) bodyExtension() Value {
	const rule = "body-extension"
	switch c := p.peek(); {
	case c == '(':
		p.enter(rule)
		p.pos++
		var list []Value
		for {
			list = append(list, p.bodyExtension())
			if p.accept(')') {
				break
			}
			p.sp(rule)
		}
		p.leave()
		return Value{Kind: List, List: list}
	case isDigit(c):
		at := p.pos
		n := p.number(rule)
		return Value{Kind: Number, Num: uint64(n), Str: p.s[at:p.pos]}
	}
	ns := p.nstring(rule)
	if ns.Nil {
		return Value{Kind: Nil, Str: "NIL"}
	}
	return Value{Kind: String, Str: ns.Value}
}

var months = [...]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}

// dateTime parses date-time = DQUOTE date-day-fixed "-" date-month "-"
// date-year SP time SP zone DQUOTE, with date-day-fixed = (SP DIGIT) /
// 2DIGIT, and checks that the date and time exist.
func (p *parser) dateTime() time.Time {
	const rule = "date-time"
	start := p.pos
	if !p.peekIs('"') {
		p.unexpected(rule, `DQUOTE (date-time is a quoted "dd-Mon-yyyy hh:mm:ss +zzzz")`)
	}
	if len(p.s)-start < 28 || p.s[start+27] != '"' {
		p.fail(rule, `date-time is exactly "dd-Mon-yyyy hh:mm:ss +zzzz" (26 characters between DQUOTEs)`)
	}
	d := p.s[start+1 : start+27]
	bad := func(off int, msg string) {
		p.failAt(start+1+off, rule, msg)
	}
	two := func(off int, what string) int {
		if !isDigit(d[off]) || !isDigit(d[off+1]) {
			bad(off, what+" is 2DIGIT")
		}
		return int(d[off]-'0')*10 + int(d[off+1]-'0')
	}
	var day int
	switch {
	case d[0] == ' ' && isDigit(d[1]):
		day = int(d[1] - '0')
	case isDigit(d[0]) && isDigit(d[1]):
		day = two(0, "date-day-fixed")
	default:
		bad(0, `date-day-fixed is (SP DIGIT) / 2DIGIT`)
	}
	if d[2] != '-' || d[6] != '-' {
		bad(2, `the date is dd-Mon-yyyy`)
	}
	month := 0
	for i, m := range months {
		if strings.EqualFold(d[3:6], m) {
			month = i + 1
		}
	}
	if month == 0 {
		bad(3, "date-month is Jan, Feb, ... Dec")
	}
	for i := 7; i < 11; i++ {
		if !isDigit(d[i]) {
			bad(i, "date-year is 4DIGIT")
		}
	}
	year := int(d[7]-'0')*1000 + int(d[8]-'0')*100 + int(d[9]-'0')*10 + int(d[10]-'0')
	if d[11] != ' ' || d[20] != ' ' {
		bad(11, "date, time and zone are separated by one SP")
	}
	hh := two(12, "hours")
	if d[14] != ':' || d[17] != ':' {
		bad(14, "time is hh:mm:ss")
	}
	mm := two(15, "minutes")
	ss := two(18, "seconds")
	if d[21] != '+' && d[21] != '-' {
		bad(21, `zone is ("+" / "-") 4DIGIT`)
	}
	zh := two(22, "zone hours")
	zm := two(24, "zone minutes")
	if hh > 23 || mm > 59 || ss > 60 {
		bad(12, "time of day out of range")
	}
	if zm > 59 {
		bad(24, "zone minutes out of range")
	}
	if day < 1 || day > daysIn(month, year) {
		bad(0, "no such day in that month")
	}
	off := (zh*60 + zm) * 60
	if d[21] == '-' {
		off = -off
	}
	p.pos = start + 28
	return time.Date(year, time.Month(month), day, hh, mm, ss, 0, zone(off))
}

func daysIn(month, year int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// zones caches the fixed zones of quarter-hour offsets within a day, so
// that parsing an INTERNALDATE does not allocate a *time.Location.
var zones [193]atomic.Pointer[time.Location]

func zone(offset int) *time.Location {
	if offset == 0 {
		return time.UTC
	}
	q := offset / 900
	if offset%900 != 0 || q < -96 || q > 96 {
		return time.FixedZone("", offset)
	}
	loc := zones[q+96].Load()
	if loc == nil {
		loc = time.FixedZone("", offset)
		zones[q+96].Store(loc)
	}
	return loc
}
