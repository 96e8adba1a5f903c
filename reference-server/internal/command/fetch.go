package command

import "strings"

// Fetch macros of RFC 3501 section 6.4.5.
var fetchMacros = map[string][]string{
	"ALL":  {"FLAGS", "INTERNALDATE", "RFC822.SIZE", "ENVELOPE"},
	"FAST": {"FLAGS", "INTERNALDATE", "RFC822.SIZE"},
	"FULL": {"FLAGS", "INTERNALDATE", "RFC822.SIZE", "ENVELOPE", "BODY"},
}

// fetch = "FETCH" SP sequence-set SP ("ALL" / "FULL" / "FAST" /
//
//	fetch-att / "(" fetch-att *(SP fetch-att) ")")
func (r *Reader) parseFetch(cmd *Command) (err error) {
	if err = r.sp(); err != nil {
		return err
	}
	if cmd.Set, err = r.sequenceSet(); err != nil {
		return err
	}
	if err = r.sp(); err != nil {
		return err
	}
	if r.peek() != '(' {
		save := r.pos
		name, err := r.keyword("Fetch data item")
		if err != nil {
			return err
		}
		if names, ok := fetchMacros[name]; ok && r.peek() != '[' {
			for _, n := range names {
				cmd.FetchItems = append(cmd.FetchItems, FetchItem{Name: n})
			}
			return nil
		}
		r.pos = save
		it, err := r.fetchAtt()
		if err != nil {
			return err
		}
		cmd.FetchItems = append(cmd.FetchItems, it)
		return nil
	}
	r.pos++
	for {
		it, err := r.fetchAtt()
		if err != nil {
			return err
		}
		cmd.FetchItems = append(cmd.FetchItems, it)
		if r.peek() == ')' {
			r.pos++
			return nil
		}
		if err := r.sp(); err != nil {
			return err
		}
	}
}

// fetchAtt reads one fetch-att:
//
//	fetch-att = "ENVELOPE" / "FLAGS" / "INTERNALDATE" /
//	            "RFC822" [".HEADER" / ".SIZE" / ".TEXT"] /
//	            "BODY" ["STRUCTURE"] / "UID" /
//	            "BODY" section ["<" number "." nz-number ">"] /
//	            "BODY.PEEK" section ["<" number "." nz-number ">"]
func (r *Reader) fetchAtt() (FetchItem, error) {
	var it FetchItem
	if err := r.item(); err != nil {
		return it, err
	}
	name, err := r.keyword("Fetch data item")
	if err != nil {
		return it, err
	}
	switch name {
	case "ENVELOPE", "FLAGS", "INTERNALDATE", "RFC822", "RFC822.HEADER", "RFC822.SIZE", "RFC822.TEXT", "BODYSTRUCTURE", "UID":
		it.Name = name
		return it, nil
	case "BODY":
		it.Name = name
		if r.peek() != '[' {
			return it, nil
		}
	case "BODY.PEEK":
		it.Name, it.Peek = "BODY", true
		if r.peek() != '[' {
			return it, r.syntaxError("BODY.PEEK must be followed by a section in brackets")
		}
	case "ALL", "FAST", "FULL":
		return it, r.syntaxError("The %s macro cannot be combined with other data items", name)
	default:
		return it, r.syntaxError("Unknown fetch data item %s", name)
	}
	sec, err := r.section()
	if err != nil {
		return it, err
	}
	it.Section = sec
	if r.peek() == '<' {
		r.pos++
		if it.Origin, err = r.number("Partial origin"); err != nil {
			return it, err
		}
		if err = r.expect('.', "\".\" in <origin.count>"); err != nil {
			return it, err
		}
		if it.Count, err = r.nzNumber("Partial octet count"); err != nil {
			return it, err
		}
		if err = r.expect('>', "\">\" closing <origin.count>"); err != nil {
			return it, err
		}
		it.Partial = true
	}
	return it, nil
}

// section reads:
//
//	section         = "[" [section-spec] "]"
//	section-spec    = section-msgtext / (section-part ["." section-text])
//	section-msgtext = "HEADER" / "HEADER.FIELDS" [".NOT"] SP header-list /
//	                  "TEXT"
//	section-part    = nz-number *("." nz-number)
//	section-text    = section-msgtext / "MIME"
func (r *Reader) section() (*Section, error) {
	sec := &Section{}
	r.pos++ // "["
	if r.peek() == ']' && !r.atEOL() {
		r.pos++
		return sec, nil
	}
	if isDigit(r.peek()) {
		for {
			if err := r.item(); err != nil {
				return nil, err
			}
			n, err := r.nzNumber("Section part number")
			if err != nil {
				return nil, err
			}
			sec.Part = append(sec.Part, int(n))
			if r.peek() == ']' && !r.atEOL() {
				r.pos++
				return sec, nil
			}
			if err := r.expect('.', "\".\" or \"]\" after a part number"); err != nil {
				return nil, err
			}
			if !isDigit(r.peek()) {
				break
			}
		}
	}
	start := r.pos
	for !r.atEOL() && (isAlpha(r.peek()) || r.peek() == '.') {
		r.pos++
	}
	spec := strings.ToUpper(string(r.line[start:r.pos]))
	switch spec {
	case "HEADER", "TEXT":
	case "MIME":
		if len(sec.Part) == 0 {
			return nil, r.syntaxError("MIME needs a part number: BODY[1.MIME]")
		}
	case "HEADER.FIELDS", "HEADER.FIELDS.NOT":
		if err := r.sp(); err != nil {
			return nil, err
		}
		if err := r.expect('(', "\"(\" opening the header field list"); err != nil {
			return nil, err
		}
		for {
			if err := r.item(); err != nil {
				return nil, err
			}
			f, err := r.astringS("Header field name")
			if err != nil {
				return nil, err
			}
			sec.Fields = append(sec.Fields, f)
			if r.peek() == ')' && !r.atEOL() {
				r.pos++
				break
			}
			if err := r.sp(); err != nil {
				return nil, err
			}
		}
	case "":
		return nil, r.syntaxError("Section specifier expected, found %s", r.found())
	default:
		return nil, r.syntaxError("Unknown section specifier %s", spec)
	}
	sec.Specifier = spec
	if err := r.expect(']', "\"]\" closing the section"); err != nil {
		return nil, err
	}
	return sec, nil
}
