package grammar

import (
	"fmt"
	"strings"
)

// Validate checks a parsed response with the zero Parser; see
// Parser.Validate.
func Validate(r *Response) error { return Parser{}.Validate(r) }

// Validate checks a response that parsed against the requirements RFC 3501
// states beside its grammar, which a parser alone does not enforce:
//
//   - A non-extensible BODY carries no extension data (body-ext-1part,
//     body-ext-mpart: "MUST NOT be returned on non-extensible BODY
//     fetch").
//   - No body-extension fields beyond body-fld-loc ("Server implementations
//     MUST NOT generate body-extension fields except as defined by future
//     standard or standards-track revisions").
//   - FLAGS and PERMANENTFLAGS list no \Recent (flag does not include it),
//     and no flag-extension is generated ("Server implementations MUST NOT
//     generate flag-extension flags except as defined by future
//     standard").
//   - RFC 2822 groups in envelope address lists are opened and closed in
//     order (addr-mailbox, addr-host comments).
//   - Mailbox names are 7-bit modified UTF-7 (section 5.1.3), unless the
//     Parser accepts UTF-8.
//   - ID responses keep RFC 2971's limits (section 3.3).
//
// It returns nil or a *ValidationError listing every violation.
func (ps Parser) Validate(r *Response) error {
	v := validator{utf8: ps.UTF8}
	if r.Code != nil && r.Code.Name == "PERMANENTFLAGS" {
		v.flags(r.Code.Flags, "flag-perm", false)
	}
	switch r.Name {
	case "FLAGS":
		v.flags(r.Flags, "flag", false)
	case "LIST", "LSUB":
		v.mailboxName(r.List.Mailbox)
	case "STATUS":
		v.mailboxName(r.Status.Mailbox)
	case "ID":
		v.id(r.ID)
	case "FETCH":
		f := r.Fetch
		if f.Flags != nil {
			v.flags(f.Flags, "flag-fetch", true)
		}
		if f.Envelope != nil {
			v.envelope(f.Envelope)
		}
		if f.Body != nil {
			v.body(f.Body, false)
		}
		if f.BodyStructure != nil {
			v.body(f.BodyStructure, true)
		}
	}
	if len(v.out) == 0 {
		return nil
	}
	return &ValidationError{Raw: r.Raw, Violations: v.out}
}

type validator struct {
	utf8 bool
	out  []Violation
}

func (v *validator) add(rule, format string, args ...any) {
	v.out = append(v.out, Violation{Rule: rule, Msg: fmt.Sprintf(format, args...)})
}

var definedFlags = [...]string{`\Answered`, `\Flagged`, `\Deleted`, `\Seen`, `\Draft`}

func (v *validator) flags(flags []string, rule string, recentOK bool) {
	for _, f := range flags {
		switch {
		case !strings.HasPrefix(f, `\`), f == `\*`, canonical(definedFlags[:], f) != "":
		case f == `\Recent`:
			if !recentOK {
				v.add(rule, `\Recent is not a flag of this list: flag does not include "\Recent" (RFC 3501 section 9)`)
			}
		default:
			v.add("flag-extension", "%s is a flag-extension; servers MUST NOT generate flag-extension flags except as defined by a standard (RFC 3501 section 9)", f)
		}
	}
}

func (v *validator) envelope(e *Envelope) {
	for i, list := range [...][]Address{e.From, e.Sender, e.ReplyTo, e.To, e.Cc, e.Bcc} {
		if _, err := Groups(list); err != nil {
			ve := err.(*ValidationError)
			v.add(envListRules[i], "%s (RFC 3501 section 7.4.2, ENVELOPE)", ve.Violations[0].Msg)
		}
	}
}

func (v *validator) body(b *BodyStructure, extensible bool) {
	rule := "body-ext-1part"
	if b.IsMultipart() {
		rule = "body-ext-mpart"
	}
	if !extensible && b.ExtFields > 0 {
		v.add(rule, "extension data in a non-extensible BODY (%s part): it MUST NOT be returned on a BODY fetch (RFC 3501 section 9)", b.MediaType())
	}
	if extensible && len(b.Extensions) > 0 {
		v.add("body-extension", "%d body-extension field(s) after body-fld-loc (%s part): servers MUST NOT generate them except as defined by a standard (RFC 3501 section 9)", len(b.Extensions), b.MediaType())
	}
	if b.Envelope != nil {
		v.envelope(b.Envelope)
	}
	if b.Body != nil {
		v.body(b.Body, extensible)
	}
	for _, part := range b.Parts {
		v.body(part, extensible)
	}
}

func (v *validator) id(d *IDData) {
	if len(d.Params) > 30 {
		v.add("id-params-list", "%d field-value pairs; at most 30 (RFC 2971 section 3.3)", len(d.Params))
	}
	for _, p := range d.Params {
		if len(p.Name) > 30 {
			v.add("id-params-list", "field %q is longer than 30 octets (RFC 2971 section 3.3)", p.Name)
		}
		if len(p.Value.Value) > 1024 {
			v.add("id-params-list", "value of %q is longer than 1024 octets (RFC 2971 section 3.3)", p.Name)
		}
	}
}

func (v *validator) mailboxName(name string) {
	if v.utf8 {
		return
	}
	if msg := checkModifiedUTF7(name); msg != "" {
		v.add("mailbox", "mailbox name %q: %s (RFC 3501 section 5.1.3)", name, msg)
	}
}

// checkModifiedUTF7 returns what is wrong with a mailbox name as modified
// UTF-7 (RFC 3501 section 5.1.3), or "".
func checkModifiedUTF7(s string) string {
	inShift := false
	lastShiftEnd := -2
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if inShift {
			if c != '-' {
				if class[c]&cBase64 == 0 && c != ',' || c == '/' {
					return fmt.Sprintf("octet %q inside modified BASE64", c)
				}
				continue
			}
			inShift = false
			if i == start {
				// "&-" is "&".
				continue
			}
			if start-1 == lastShiftEnd+1 {
				return `null shift "-&" between two modified BASE64 runs`
			}
			if msg := checkShifted(s[start:i]); msg != "" {
				return msg
			}
			lastShiftEnd = i
			continue
		}
		switch {
		case c == '&':
			inShift = true
			start = i + 1
		case c >= 0x80:
			return fmt.Sprintf("8-bit octet 0x%02x; non-ASCII characters are encoded in modified BASE64", c)
		case c < 0x20 || c == 0x7f:
			return fmt.Sprintf("control octet 0x%02x must be encoded in modified BASE64", c)
		}
	}
	if inShift {
		return `modified BASE64 not closed by "-"`
	}
	return ""
}

// checkShifted decodes one modified BASE64 run as UTF-16BE.
func checkShifted(run string) string {
	var bits, nbits uint32
	var units []uint16
	for i := 0; i < len(run); i++ {
		c := run[i]
		var d uint32
		switch {
		case c >= 'A' && c <= 'Z':
			d = uint32(c - 'A')
		case c >= 'a' && c <= 'z':
			d = uint32(c-'a') + 26
		case c >= '0' && c <= '9':
			d = uint32(c-'0') + 52
		case c == '+':
			d = 62
		case c == ',':
			d = 63
		}
		bits = bits<<6 | d
		nbits += 6
		if nbits >= 16 {
			nbits -= 16
			units = append(units, uint16(bits>>nbits))
			bits &= 1<<nbits - 1
		}
	}
	if nbits >= 6 || bits != 0 {
		return "modified BASE64 run does not end on a UTF-16 boundary with zero padding"
	}
	for i := 0; i < len(units); i++ {
		u := units[i]
		switch {
		case u >= 0x20 && u <= 0x7e:
			return fmt.Sprintf("printable US-ASCII %q encoded in modified BASE64", rune(u))
		case u >= 0xd800 && u <= 0xdbff:
			if i+1 >= len(units) || units[i+1] < 0xdc00 || units[i+1] > 0xdfff {
				return "unpaired UTF-16 surrogate"
			}
			i++
		case u >= 0xdc00 && u <= 0xdfff:
			return "unpaired UTF-16 surrogate"
		}
	}
	return ""
}
