package referenceserver

import (
	"strings"
	"unicode/utf16"
)

// delimiter is the hierarchy delimiter (RFC 3501 section 5.1.1).
const delimiter = '/'

// maxNameLength bounds a mailbox name in octets.
const maxNameLength = 1000

// maxMailboxes bounds the names (mailboxes and \Noselect names) of one user,
// and maxSubscriptions the subscription list.
const (
	maxMailboxes     = 10000
	maxSubscriptions = 10000
)

// canonicalName folds the name INBOX, and the INBOX level of its inferiors,
// to upper case: INBOX is case-insensitive (RFC 3501 section 5.1), and
// "inbox/x" must name an inferior of the same INBOX as "INBOX/x".
func canonicalName(name string) string {
	if len(name) >= 5 && strings.EqualFold(name[:5], "INBOX") && (len(name) == 5 || name[5] == delimiter) && name[:5] != "INBOX" {
		return "INBOX" + name[5:]
	}
	return name
}

// parentName returns the name of the superior of name, or "" for a top-level
// name.
func parentName(name string) string {
	if i := strings.LastIndexByte(name, delimiter); i >= 0 {
		return name[:i]
	}
	return ""
}

// checkNewName tells why name cannot be given to a new mailbox, or returns
// nil. Names are 7-bit printable, in modified UTF-7 (RFC 3501 section 5.1.3),
// free of wildcards and of empty hierarchy levels.
func checkNewName(name string) *statusError {
	switch {
	case name == "":
		return errNo("", "Mailbox name is empty")
	case len(name) > maxNameLength:
		return errNo("", "Mailbox name is longer than %d octets", maxNameLength)
	case name[0] == delimiter:
		return errNo("", "Mailbox name begins with the hierarchy delimiter \"/\"")
	case name[len(name)-1] == delimiter:
		return errNo("", "Mailbox name ends with the hierarchy delimiter \"/\"")
	case strings.Contains(name, "//"):
		return errNo("", "Mailbox name has an empty hierarchy level (\"//\")")
	case strings.ContainsAny(name, "%*"):
		return errNo("", "Mailbox name contains a LIST wildcard (%% or *)")
	}
	for i := 0; i < len(name); i++ {
		if c := name[i]; c < 0x20 || c > 0x7e {
			return errNo("", "Mailbox name contains octet 0x%02x: names are 7-bit, international names use modified UTF-7 (RFC 3501 section 5.1.3)", c)
		}
	}
	if !validModifiedUTF7(name) {
		return errNo("", "Mailbox name is not valid modified UTF-7 (RFC 3501 section 5.1.3)")
	}
	return nil
}

// validModifiedUTF7 checks the rules of RFC 3501 section 5.1.3: "&" shifts to
// modified BASE64 (alphabet A-Z a-z 0-9 + ,) and "-" back; "&-" is "&"; the
// BASE64 holds UTF-16 with no printable US-ASCII character and no padding
// bits set; no superfluous shift ("-&" between two BASE64 runs); the name ends
// in US-ASCII.
func validModifiedUTF7(s string) bool {
	prevBase64 := false // the previous character ended a BASE64 run
	for i := 0; i < len(s); {
		if s[i] != '&' {
			prevBase64 = false
			i++
			continue
		}
		end := strings.IndexByte(s[i+1:], '-')
		if end < 0 {
			return false
		}
		run := s[i+1 : i+1+end]
		i += end + 2
		if run == "" {
			prevBase64 = false
			continue
		}
		if prevBase64 {
			return false
		}
		units, ok := decodeModifiedBase64(run)
		if !ok || len(units) == 0 {
			return false
		}
		for j := 0; j < len(units); j++ {
			u := units[j]
			switch {
			case u >= 0x20 && u <= 0x7e:
				return false
			case utf16.IsSurrogate(rune(u)):
				if u >= 0xdc00 || j+1 >= len(units) || units[j+1] < 0xdc00 || units[j+1] > 0xdfff {
					return false
				}
				j++
			}
		}
		prevBase64 = true
	}
	return true
}

// decodeModifiedBase64 decodes a BASE64 run of modified UTF-7 into UTF-16
// code units.
func decodeModifiedBase64(run string) ([]uint16, bool) {
	var bits, nbits uint32
	var octets []byte
	for i := 0; i < len(run); i++ {
		c := run[i]
		var v uint32
		switch {
		case c >= 'A' && c <= 'Z':
			v = uint32(c - 'A')
		case c >= 'a' && c <= 'z':
			v = uint32(c-'a') + 26
		case c >= '0' && c <= '9':
			v = uint32(c-'0') + 52
		case c == '+':
			v = 62
		case c == ',':
			v = 63
		default:
			return nil, false
		}
		bits = bits<<6 | v
		nbits += 6
		if nbits >= 8 {
			nbits -= 8
			octets = append(octets, byte(bits>>nbits))
			bits &= 1<<nbits - 1
		}
	}
	if nbits >= 6 || bits != 0 || len(octets)%2 != 0 {
		return nil, false
	}
	units := make([]uint16, len(octets)/2)
	for i := range units {
		units[i] = uint16(octets[2*i])<<8 | uint16(octets[2*i+1])
	}
	return units, true
}

// pattern is a LIST or LSUB mailbox name with wildcards (RFC 3501 section
// 6.3.8): "*" matches any characters, "%" any but the hierarchy delimiter.
type pattern struct {
	p string
}

// newPattern builds the pattern of reference and mailbox name: the two are
// concatenated, with the INBOX level folded as names are. Runs of wildcards
// are collapsed, which keeps matching cheap.
func newPattern(ref, name string) pattern {
	full := canonicalName(ref + name)
	var b strings.Builder
	for i := 0; i < len(full); i++ {
		c := full[i]
		if (c == '*' || c == '%') && b.Len() > 0 {
			last := b.String()[b.Len()-1]
			if last == '*' {
				continue
			}
			if last == '%' && c == '*' {
				s := b.String()[:b.Len()-1]
				b.Reset()
				b.WriteString(s)
			} else if last == '%' {
				continue
			}
		}
		b.WriteByte(c)
	}
	return pattern{p: b.String()}
}

// endsWithPercent reports whether "%" is the pattern's last character, the
// case in which levels of hierarchy are also returned (RFC 3501 sections
// 6.3.8 and 6.3.9).
func (p pattern) endsWithPercent() bool { return strings.HasSuffix(p.p, "%") }

// match reports whether name matches. The INBOX level of a name matches
// case-insensitively.
func (p pattern) match(name string) bool {
	literal := 0
	for i := 0; i < len(p.p); i++ {
		if p.p[i] != '*' && p.p[i] != '%' {
			literal++
		}
	}
	if literal > len(name) {
		return false
	}
	fold := len(name) >= 5 && name[:5] == "INBOX" && (len(name) == 5 || name[5] == delimiter)
	m := len(p.p)
	prev := make([]bool, m+1)
	cur := make([]bool, m+1)
	prev[0] = true
	for j := 0; j < m; j++ {
		prev[j+1] = prev[j] && (p.p[j] == '*' || p.p[j] == '%')
	}
	for i := 1; i <= len(name); i++ {
		c := name[i-1]
		cur[0] = false
		any := false
		for j := 0; j < m; j++ {
			pc := p.p[j]
			var v bool
			switch pc {
			case '*':
				v = cur[j] || prev[j+1]
			case '%':
				v = cur[j] || (prev[j+1] && c != delimiter)
			default:
				eq := pc == c || (fold && i <= 5 && asciiLower(pc) == asciiLower(c))
				v = prev[j] && eq
			}
			cur[j+1] = v
			any = any || v
		}
		if !any {
			return false
		}
		prev, cur = cur, prev
	}
	return prev[m]
}

func asciiLower(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}
