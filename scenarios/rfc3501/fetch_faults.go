package rfc3501

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/imapgauge/imapgauge/conformance/fault"
	"github.com/imapgauge/imapgauge/conformance/grammar"
)

// Negative controls for the FETCH cases. A server that gets a body structure
// or a section wrong still sends well-formed responses, so these faults do
// the same: they parse each untagged FETCH response with the strict grammar,
// change its typed data as a buggy server would have computed it, and send
// it re-encoded, literal lengths and all.

// mutateFetch returns a fault that lets change edit the data of every
// untagged FETCH response (message number seq); when change returns true,
// the edited response is sent instead of the original.
func mutateFetch(name string, change func(seq uint32, f *grammar.FetchData) bool) fault.Fault {
	return fault.Fault{Name: name, Response: func(s *fault.State, raw []byte) ([]byte, fault.Action) {
		if !bytes.HasPrefix(raw, []byte("* ")) {
			return raw, fault.Forward
		}
		r, err := grammar.Parse(raw)
		if err != nil || r.Name != "FETCH" || len(r.Fetch.Extensions) > 0 {
			return raw, fault.Forward
		}
		if !change(r.Number, r.Fetch) {
			return raw, fault.Forward
		}
		return encodeFetch(r.Number, r.Fetch), fault.Forward
	}}
}

// mutateBodyStructure edits every BODYSTRUCTURE (and, when body is set,
// every BODY) a FETCH response carries.
func mutateBodyStructure(name string, body bool, change func(b *grammar.BodyStructure) bool) fault.Fault {
	return mutateFetch(name, func(_ uint32, f *grammar.FetchData) bool {
		changed := false
		if f.BodyStructure != nil {
			changed = change(f.BodyStructure) || changed
		}
		if body && f.Body != nil {
			changed = change(f.Body) || changed
		}
		return changed
	})
}

// mutateEnvelope edits every ENVELOPE a FETCH response carries, and the
// envelopes of message/rfc822 parts in its BODYSTRUCTURE when inner is set.
func mutateEnvelope(name string, inner bool, change func(e *grammar.Envelope) bool) fault.Fault {
	return mutateFetch(name, func(_ uint32, f *grammar.FetchData) bool {
		changed := false
		if f.Envelope != nil {
			changed = change(f.Envelope)
		}
		if inner && f.BodyStructure != nil {
			walkBody(f.BodyStructure, func(b *grammar.BodyStructure) {
				if b.Envelope != nil {
					changed = change(b.Envelope) || changed
				}
			})
		}
		return changed
	})
}

// mutateSection edits the data of every BODY[section] item whose spec is
// spec (compared without regard to case; "*" for every section), and of
// the RFC822, RFC822.HEADER and RFC822.TEXT items when spec names their
// equivalent ("", "HEADER", "TEXT") or is "*".
func mutateSection(name, spec string, change func(data []byte) []byte) fault.Fault {
	return mutateFetch(name, func(_ uint32, f *grammar.FetchData) bool {
		changed := false
		for i := range f.Sections {
			s := &f.Sections[i]
			if s.Data.Nil || spec != "*" && !strings.EqualFold(s.Spec, spec) {
				continue
			}
			s.Data.Value = string(change([]byte(s.Data.Value)))
			changed = true
		}
		for _, it := range []struct {
			equivalent string
			data       *grammar.NString
		}{{"", &f.RFC822}, {"HEADER", &f.RFC822Header}, {"TEXT", &f.RFC822Text}} {
			item := "RFC822"
			if it.equivalent != "" {
				item += "." + it.equivalent
			}
			if f.Has(item) && !it.data.Nil && (spec == "*" || strings.EqualFold(spec, it.equivalent)) {
				it.data.Value = string(change([]byte(it.data.Value)))
				changed = true
			}
		}
		return changed
	})
}

// walkBody calls f on b and on every body nested in it.
func walkBody(b *grammar.BodyStructure, f func(*grammar.BodyStructure)) {
	f(b)
	if b.Body != nil {
		walkBody(b.Body, f)
	}
	for _, p := range b.Parts {
		walkBody(p, f)
	}
}

// eachPart applies change to every body nested in b (b included) and
// reports whether any call changed something.
func eachPart(b *grammar.BodyStructure, change func(*grammar.BodyStructure) bool) bool {
	changed := false
	walkBody(b, func(p *grammar.BodyStructure) { changed = change(p) || changed })
	return changed
}

// encodeFetch writes a FETCH response: "*" SP nz-number SP "FETCH" SP
// msg-att CRLF (RFC 3501 section 7.4.2), items in the order received.
func encodeFetch(seq uint32, f *grammar.FetchData) []byte {
	var e fetchEncoder
	e.s("* ").n(uint64(seq)).s(" FETCH (")
	section := 0
	for i, item := range f.Items {
		if i > 0 {
			e.s(" ")
		}
		switch item {
		case "FLAGS":
			e.s("FLAGS (").s(strings.Join(f.Flags, " ")).s(")")
		case "UID":
			e.s("UID ").n(uint64(f.UID))
		case "INTERNALDATE":
			// date-time = DQUOTE date-day-fixed "-" date-month "-" date-year SP time SP zone DQUOTE
			e.s("INTERNALDATE \"").s(f.InternalDate.Format("_2-Jan-2006 15:04:05 -0700")).s("\"")
		case "RFC822.SIZE":
			e.s("RFC822.SIZE ").n(uint64(f.RFC822Size))
		case "ENVELOPE":
			e.s("ENVELOPE ").envelope(f.Envelope)
		case "BODY":
			e.s("BODY ").body(f.Body)
		case "BODYSTRUCTURE":
			e.s("BODYSTRUCTURE ").body(f.BodyStructure)
		case "RFC822":
			e.s("RFC822 ").nstring(f.RFC822, true)
		case "RFC822.HEADER":
			e.s("RFC822.HEADER ").nstring(f.RFC822Header, true)
		case "RFC822.TEXT":
			e.s("RFC822.TEXT ").nstring(f.RFC822Text, true)
		case "MODSEQ":
			e.s("MODSEQ (").n(f.ModSeq).s(")")
		default:
			s := f.Sections[section]
			section++
			e.s("BODY[").s(s.Spec).s("]")
			if s.Partial {
				e.s("<").n(uint64(s.Origin)).s(">")
			}
			e.s(" ").nstring(s.Data, s.Literal)
		}
	}
	e.s(")\r\n")
	return e.b
}

// fetchEncoder writes the parts of a response.
type fetchEncoder struct{ b []byte }

func (e *fetchEncoder) s(s string) *fetchEncoder { e.b = append(e.b, s...); return e }

func (e *fetchEncoder) n(n uint64) *fetchEncoder { e.b = strconv.AppendUint(e.b, n, 10); return e }

// str writes a string: quoted when it can be, else a literal (RFC 3501
// section 4.3).
func (e *fetchEncoder) str(v string, literal bool) *fetchEncoder {
	quotable := !literal && len(v) < 1024
	for i := 0; quotable && i < len(v); i++ {
		quotable = v[i] >= 0x20 && v[i] < 0x7f
	}
	if !quotable {
		e.s("{").n(uint64(len(v))).s("}\r\n").s(v)
		return e
	}
	e.b = append(e.b, '"')
	for i := 0; i < len(v); i++ {
		if v[i] == '"' || v[i] == '\\' {
			e.b = append(e.b, '\\')
		}
		e.b = append(e.b, v[i])
	}
	e.b = append(e.b, '"')
	return e
}

func (e *fetchEncoder) nstring(v grammar.NString, literal bool) *fetchEncoder {
	if v.Nil {
		return e.s("NIL")
	}
	return e.str(v.Value, literal)
}

func (e *fetchEncoder) envelope(env *grammar.Envelope) *fetchEncoder {
	e.s("(").nstring(env.Date, false).s(" ").nstring(env.Subject, false)
	for _, list := range [...][]grammar.Address{env.From, env.Sender, env.ReplyTo, env.To, env.Cc, env.Bcc} {
		e.s(" ")
		if list == nil {
			e.s("NIL")
			continue
		}
		e.s("(")
		for _, a := range list {
			e.s("(").nstring(a.Name, false).s(" ").nstring(a.ADL, false).s(" ").nstring(a.Mailbox, false).s(" ").nstring(a.Host, false).s(")")
		}
		e.s(")")
	}
	return e.s(" ").nstring(env.InReplyTo, false).s(" ").nstring(env.MessageID, false).s(")")
}

func (e *fetchEncoder) params(ps []grammar.Param) *fetchEncoder {
	if ps == nil {
		return e.s("NIL")
	}
	e.s("(")
	for i, p := range ps {
		if i > 0 {
			e.s(" ")
		}
		e.str(p.Name, false).s(" ").str(p.Value, false)
	}
	return e.s(")")
}

// body writes body = "(" (body-type-1part / body-type-mpart) ")", with as
// many extension fields as ExtFields says.
func (e *fetchEncoder) body(b *grammar.BodyStructure) *fetchEncoder {
	e.s("(")
	if b.IsMultipart() {
		for _, p := range b.Parts {
			e.body(p)
		}
		e.s(" ").str(b.Subtype, false)
		if b.ExtFields >= 1 {
			e.s(" ").params(b.Params)
		}
	} else {
		e.str(b.Type, false).s(" ").str(b.Subtype, false).s(" ").params(b.Params).s(" ")
		e.nstring(b.ID, false).s(" ").nstring(b.Description, false).s(" ").str(b.Encoding, false).s(" ").n(uint64(b.Size))
		switch {
		case b.Envelope != nil:
			e.s(" ").envelope(b.Envelope).s(" ").body(b.Body).s(" ").n(uint64(b.Lines))
		case b.Type == "TEXT":
			e.s(" ").n(uint64(b.Lines))
		}
		if b.ExtFields >= 1 {
			e.s(" ").nstring(b.MD5, false)
		}
	}
	if b.ExtFields >= 2 {
		e.s(" ")
		if b.Disposition == nil {
			e.s("NIL")
		} else {
			e.s("(").str(b.Disposition.Type, false).s(" ").params(b.Disposition.Params).s(")")
		}
	}
	if b.ExtFields >= 3 {
		e.s(" ")
		switch len(b.Language) {
		case 0:
			e.s("NIL")
		case 1:
			e.str(b.Language[0], false)
		default:
			e.s("(")
			for i, l := range b.Language {
				if i > 0 {
					e.s(" ")
				}
				e.str(l, false)
			}
			e.s(")")
		}
	}
	if b.ExtFields >= 4 {
		e.s(" ").nstring(b.Location, false)
	}
	for _, x := range b.Extensions {
		e.s(" ").s(x.String())
	}
	return e.s(")")
}

// Faults shared by several cases.

// seenNotSet makes BODY[...] behave as BODY.PEEK[...]: the server never
// sets \Seen implicitly (RFC 3501 section 6.4.5).
func seenNotSet() fault.Fault {
	return fault.RewriteCommand(`BODY[] and BODY[section] do not set \Seen`, `(?i)\bBODY\[`, "BODY.PEEK[")
}

// peekSetsSeen makes BODY.PEEK[...] behave as BODY[...].
func peekSetsSeen() fault.Fault {
	return fault.RewriteCommand(`BODY.PEEK sets \Seen`, `(?i)\bBODY\.PEEK\[`, "BODY[")
}

// sectionChanged cuts the last octet of every returned section that is not
// empty, as a server off by one at the end of a part would.
func sectionChanged(spec string) fault.Fault {
	return mutateSection("section returned one octet short", spec, func(d []byte) []byte {
		if len(d) == 0 {
			return d
		}
		return d[:len(d)-1]
	})
}
