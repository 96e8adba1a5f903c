package grammar

import (
	"strings"
)

// mailbox parses mailbox = "INBOX" / astring and returns the decoded name
// (INBOX canonical in any case, RFC 3501 section 9) and the raw token.
func (p *parser) mailbox(rule string) (name, raw string) {
	start := p.pos
	name = p.astring(rule)
	if strings.EqualFold(name, "INBOX") {
		name = "INBOX"
	}
	return name, p.s[start:p.pos]
}

// Selectability attributes, of which a LIST response carries at most one
// (mbx-list-sflag).
var selectability = [...]string{`\Noselect`, `\Marked`, `\Unmarked`}

// mailboxList parses mailbox-list = "(" [mbx-list-flags] ")" SP
// (DQUOTE QUOTED-CHAR DQUOTE / nil) SP mailbox [SP mbox-list-extended]
// (RFC 3501 section 9, RFC 5258 section 6).
func (p *parser) mailboxList() *ListData {
	l := &ListData{}
	p.expect('(', "mailbox-list")
	l.Attributes = []string{}
	sflag := ""
	if !p.accept(')') {
		for {
			at := p.pos
			if !p.peekIs('\\') {
				p.unexpected("mbx-list-flags", `"\" and a name attribute (mbx-list-oflag = "\Noinferiors" / flag-extension)`)
			}
			p.pos++
			p.atom("mbx-list-flags")
			a := p.s[at:p.pos]
			if c := canonical(listAttributes[:], a); c != "" {
				a = c
			}
			if canonical(selectability[:], a) != "" {
				if sflag != "" {
					p.failAt(at, "mbx-list-flags", "at most one of \\Noselect, \\Marked, \\Unmarked per LIST response (mbx-list-sflag); found "+sflag+" and "+a)
				}
				sflag = a
			}
			l.Attributes = append(l.Attributes, a)
			if p.accept(')') {
				break
			}
			p.sp("mbx-list-flags")
		}
	}
	p.sp("mailbox-list")
	if !p.acceptNil() {
		l.Delimiter = p.delimiter("mailbox-list")
	}
	p.sp("mailbox-list")
	l.Mailbox, l.RawMailbox = p.mailbox("mailbox")
	if p.accept(' ') {
		l.Extended = p.extendedItems("mbox-list-extended")
	}
	return l
}

// delimiter parses DQUOTE QUOTED-CHAR DQUOTE: exactly one character.
func (p *parser) delimiter(rule string) string {
	at := p.pos
	if !p.peekIs('"') {
		p.unexpected(rule, "hierarchy delimiter (DQUOTE QUOTED-CHAR DQUOTE) or NIL")
	}
	d := p.quoted(rule)
	if len(d) != 1 && !(p.utf8 && len([]rune(d)) == 1) {
		p.failAt(at, rule, "the hierarchy delimiter is exactly one QUOTED-CHAR")
	}
	return d
}

// extendedItems parses "(" [item *(SP item)] ")" where item = tag SP
// tagged-ext-val, tag an astring (RFC 5258 mbox-list-extended).
func (p *parser) extendedItems(rule string) []ExtItem {
	p.expect('(', rule)
	items := []ExtItem{}
	if p.accept(')') {
		return items
	}
	for {
		tag := p.astring(rule)
		p.sp(rule)
		items = append(items, ExtItem{Name: strings.ToUpper(tag), Value: p.value(rule, false)})
		if p.accept(')') {
			return items
		}
		p.sp(rule)
	}
}

// Status attributes whose values are 32-bit numbers (RFC 3501 section
// 6.3.10, RFC 9051 DELETED), and the wider ones.
var status32 = [...]string{"MESSAGES", "RECENT", "UIDNEXT", "UIDVALIDITY", "UNSEEN", "DELETED"}

// status parses the rest of "STATUS" SP mailbox SP "(" [status-att-list]
// ")" (RFC 3501 section 9, RFC 7162 HIGHESTMODSEQ, RFC 9051 SIZE, RFC 7889
// APPENDLIMIT).
func (p *parser) status() *StatusData {
	st := &StatusData{Items: map[string]uint64{}}
	p.sp("mailbox-data")
	st.Mailbox, st.RawMailbox = p.mailbox("mailbox")
	p.sp("mailbox-data")
	p.expect('(', "mailbox-data")
	if p.accept(')') {
		return st
	}
	for {
		at := p.pos
		word := p.atom("status-att-list")
		name := canonical(status32[:], word)
		if name == "" {
			name = strings.ToUpper(word)
		}
		if _, dup := st.Items[name]; dup {
			p.failAt(at, "status-att-list", "status attribute "+name+" appears twice")
		}
		p.sp("status-att-list")
		switch {
		case canonical(status32[:], name) != "":
			st.Items[name] = uint64(p.number("status-att-list"))
		case name == "HIGHESTMODSEQ":
			// mod-sequence-valzer: "0" / mod-sequence-value
			st.Items[name] = p.number64("status-att-list")
		case name == "APPENDLIMIT" && p.acceptNil():
			// RFC 7889: no limit; left out of Items.
		default:
			st.Items[name] = p.number64("status-att-list")
		}
		if p.accept(')') {
			return st
		}
		p.sp("status-att-list")
	}
}

// search parses the rest of "SEARCH" *(SP nz-number) (RFC 3501) or
// "SORT" *(SP nz-number) (RFC 5256), with the RFC 7162
// [SP search-sort-mod-seq].
func (p *parser) search(name string) *SearchData {
	sd := &SearchData{}
	rule := "mailbox-data"
	if name == "SORT" {
		rule = "sort-data"
	}
	for p.accept(' ') {
		if p.peekIs('(') {
			// search-sort-mod-seq = "(" "MODSEQ" SP mod-sequence-value ")"
			p.pos++
			if !p.acceptFold("MODSEQ") {
				p.unexpected("search-sort-mod-seq", "MODSEQ")
			}
			p.sp("search-sort-mod-seq")
			sd.ModSeq = p.modSeq("search-sort-mod-seq")
			p.expect(')', "search-sort-mod-seq")
			break
		}
		sd.Nums = append(sd.Nums, p.nzNumber(rule))
	}
	return sd
}

// id parses the rest of RFC 2971's id_response: "ID" SP id_params_list,
// id_params_list = "(" *(string SP nstring) ")" / nil.
func (p *parser) id() *IDData {
	p.sp("id-response")
	d := &IDData{}
	if p.acceptNil() {
		d.Nil = true
		return d
	}
	p.expect('(', "id-params-list")
	d.Params = []IDParam{}
	if p.accept(')') {
		return d
	}
	for {
		name, _ := p.str("id-params-list")
		p.sp("id-params-list")
		d.Params = append(d.Params, IDParam{Name: name, Value: p.nstring("id-params-list")})
		if p.accept(')') {
			return d
		}
		p.sp("id-params-list")
	}
}

// namespace parses the rest of RFC 2342's Namespace_Response: "NAMESPACE"
// SP Namespace SP Namespace SP Namespace.
func (p *parser) namespace() *NamespaceData {
	d := &NamespaceData{}
	for _, dst := range []*[]Namespace{&d.Personal, &d.Other, &d.Shared} {
		p.sp("namespace-response")
		*dst = p.namespaceList()
	}
	return d
}

// namespaceList parses Namespace = nil / "(" 1*( "(" string SP
// (DQUOTE QUOTED_CHAR DQUOTE / nil) *(Namespace_Response_Extension) ")" )
// ")".
func (p *parser) namespaceList() []Namespace {
	const rule = "namespace"
	if p.acceptNil() {
		return nil
	}
	p.expect('(', rule)
	var list []Namespace
	for {
		p.expect('(', rule)
		var ns Namespace
		ns.Prefix, _ = p.str(rule)
		p.sp(rule)
		if !p.acceptNil() {
			ns.Delimiter = p.delimiter(rule)
		}
		// Namespace_Response_Extension = SP string SP "(" string *(SP string) ")"
		for p.accept(' ') {
			var ext NamespaceExtension
			ext.Name, _ = p.str("namespace-response-extension")
			p.sp("namespace-response-extension")
			p.expect('(', "namespace-response-extension")
			for {
				v, _ := p.str("namespace-response-extension")
				ext.Values = append(ext.Values, v)
				if p.accept(')') {
					break
				}
				p.sp("namespace-response-extension")
			}
			ns.Extensions = append(ns.Extensions, ext)
		}
		p.expect(')', rule)
		list = append(list, ns)
		if p.accept(')') {
			return list
		}
		if !p.peekIs('(') {
			p.unexpected(rule, `"(" of the next namespace or ")"`)
		}
	}
}

// esearch parses the rest of RFC 4731's esearch-response: "ESEARCH"
// [search-correlator] [SP "UID"] *(SP search-return-data).
func (p *parser) esearch() *ESearchData {
	d := &ESearchData{}
	if p.pos+1 < len(p.s) && p.s[p.pos] == ' ' && p.s[p.pos+1] == '(' {
		// search-correlator = SP "(" "TAG" SP tag-string ")"; tag-string
		// is a string in RFC 4466 and an astring in RFC 9051.
		p.pos += 2
		if !p.acceptFold("TAG") {
			p.unexpected("search-correlator", "TAG")
		}
		p.sp("search-correlator")
		d.Tag = p.astring("search-correlator")
		p.expect(')', "search-correlator")
	}
	first := true
	for p.accept(' ') {
		at := p.pos
		word := p.run(cAtom, "search-return-data", "search-return-data")
		name := strings.ToUpper(word)
		if first && name == "UID" {
			first = false
			d.UID = true
			continue
		}
		first = false
		p.unique(d.Items, name, at, "search-return-data", "%s appears twice")
		p.sp("search-return-data")
		switch name {
		case "MIN":
			d.Min = p.nzNumber("search-return-data")
		case "MAX":
			d.Max = p.nzNumber("search-return-data")
		case "COUNT":
			d.Count = p.number("search-return-data")
		case "ALL":
			d.All = p.seqSet("search-return-data", true)
		case "MODSEQ":
			d.ModSeq = p.modSeq("search-return-data")
		default:
			d.Extensions = append(d.Extensions, ExtItem{Name: name, Value: p.value("search-ret-data-ext", false)})
		}
		d.Items = append(d.Items, name)
	}
	return d
}

// threads parses the rest of RFC 5256's thread-data: "THREAD" [SP
// 1*thread-list].
func (p *parser) threads() []Thread {
	if !p.accept(' ') {
		return nil
	}
	var ts []Thread
	for {
		ts = append(ts, p.threadList())
		if !p.peekIs('(') {
			return ts
		}
	}
}

// threadList parses thread-list = "(" (thread-members / thread-nested)
// ")", thread-members = nz-number *(SP nz-number) [SP thread-nested],
// thread-nested = 2*thread-list.
func (p *parser) threadList() Thread {
	const rule = "thread-list"
	p.enter(rule)
	defer p.leave()
	p.expect('(', rule)
	if p.peekIs('(') {
		t := Thread{Children: p.threadNested()}
		p.expect(')', rule)
		return t
	}
	root := Thread{Num: p.nzNumber("thread-members")}
	chain := []uint32{root.Num}
	var nested []Thread
	for p.accept(' ') {
		if p.peekIs('(') {
			nested = p.threadNested()
			break
		}
		chain = append(chain, p.nzNumber("thread-members"))
	}
	p.expect(')', rule)
	// Build the chain from the innermost member outwards.
	t := Thread{Num: chain[len(chain)-1], Children: nested}
	for i := len(chain) - 2; i >= 0; i-- {
		t = Thread{Num: chain[i], Children: []Thread{t}}
	}
	return t
}

func (p *parser) threadNested() []Thread {
	at := p.pos
	var ts []Thread
	for p.peekIs('(') {
		ts = append(ts, p.threadList())
	}
	if len(ts) < 2 {
		p.failAt(at, "thread-nested", "thread-nested holds at least two thread-lists")
	}
	return ts
}

// vanished parses the rest of RFC 7162's expunged-resp: "VANISHED"
// [SP "(EARLIER)"] SP known-uids.
func (p *parser) vanished() *VanishedData {
	d := &VanishedData{}
	p.sp("expunged-resp")
	if p.peekIs('(') {
		if !p.acceptFold("(EARLIER)") {
			p.unexpected("expunged-resp", `"(EARLIER)"`)
		}
		d.Earlier = true
		p.sp("expunged-resp")
	}
	// known-uids = sequence-set; "*" is not allowed.
	d.UIDs = p.seqSet("known-uids", false)
	return d
}

// metadata parses the rest of RFC 5464's metadata-resp: "METADATA" SP
// mailbox SP (entry-values / entry-list).
func (p *parser) metadata() *MetadataData {
	const rule = "metadata-resp"
	d := &MetadataData{}
	p.sp(rule)
	d.Mailbox, _ = p.mailbox(rule)
	p.sp(rule)
	if p.accept('(') {
		// entry-values = "(" entry-value *(SP entry-value) ")"
		d.Values = true
		for {
			name := p.astring("entry-value")
			p.sp("entry-value")
			var v NString
			if p.peekIs('~') {
				v = NString{Value: p.literal("entry-value", true)}
			} else {
				v = p.nstring("entry-value")
			}
			d.Entries = append(d.Entries, MetadataEntry{Name: name, Value: v})
			if p.accept(')') {
				return d
			}
			p.sp("entry-values")
		}
	}
	// entry-list = entry *(SP entry)
	for {
		d.Entries = append(d.Entries, MetadataEntry{Name: p.astring("entry-list")})
		if !p.accept(' ') {
			return d
		}
	}
}
