package message

import "strings"

// Placeholders for the parts of a malformed address that are missing.
// RFC 3501 section 7.4.2 gives a NIL host the meaning "group marker", and
// clients treat an empty host the same way, so an address without a domain
// needs a non-empty host that cannot be mistaken for a real one (the
// underscore is not allowed in a host name). Dovecot uses the same words.
const (
	missingMailbox = "MISSING_MAILBOX"
	missingDomain  = "MISSING_DOMAIN"
)

// address is one element of an ENVELOPE address list (RFC 3501 section
// 7.4.2). A group start marker has only mailbox (the group name) set; a
// group end marker has nothing set.
type address struct {
	name, adl, mailbox, host             string
	hasName, hasADL, hasMailbox, hasHost bool
}

type addrTokenKind uint8

const (
	tokAtom    addrTokenKind = iota // atext run (RFC 5322 section 3.2.3), 8-bit octets included
	tokQuoted                       // quoted-string, text holds its content unquoted
	tokLiteral                      // domain-literal, text holds it with its brackets
	tokSpecial                      // one of < > , : ; @ .
	tokComment                      // comment, text holds its content
)

type addrToken struct {
	kind  addrTokenKind
	text  string
	space bool // preceded by white space or a comment
}

// maxAddresses bounds the addresses taken from one field.
const maxAddresses = 1000

// tokenizeAddresses splits an unfolded address field body into tokens
// (RFC 5322 section 3.2). It accepts any input.
func tokenizeAddresses(s string) []addrToken {
	// Roughly one token per four octets in ordinary address fields.
	toks := make([]addrToken, 0, min(len(s)/4+4, 4096))
	space := false
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\r' || c == '\n':
			space = true
			i++
			continue
		case c == '(':
			end := skipComment(s, i)
			inner := s[i+1 : end]
			inner = strings.TrimSuffix(inner, ")")
			toks = append(toks, addrToken{kind: tokComment, text: unquotePairs(inner), space: space})
			i = end
			space = true
			continue
		case c == '"':
			v := &valueScanner{s: s, pos: i}
			text := v.quoted()
			toks = append(toks, addrToken{kind: tokQuoted, text: text, space: space})
			i = v.pos
		case c == '[':
			end := strings.IndexByte(s[i:], ']')
			if end < 0 {
				end = len(s) - i - 1
			}
			toks = append(toks, addrToken{kind: tokLiteral, text: s[i : i+end+1], space: space})
			i += end + 1
		case strings.IndexByte("<>,:;@.", c) >= 0:
			toks = append(toks, addrToken{kind: tokSpecial, text: s[i : i+1], space: space})
			i++
		case c == ')' || c == ']':
			i++ // stray closing bracket: junk
		default:
			start := i
			for i < len(s) && strings.IndexByte(" \t\r\n()\"[]<>,:;@.", s[i]) < 0 {
				i++
			}
			toks = append(toks, addrToken{kind: tokAtom, text: s[start:i], space: space})
		}
		space = false
	}
	return toks
}

// unquotePairs resolves the quoted-pairs of a comment.
func unquotePairs(s string) string {
	if strings.IndexByte(s, '\\') < 0 {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// parseAddressList parses an address-list (RFC 5322 section 3.4, with the
// obsolete forms of section 4.4) into ENVELOPE addresses. It never fails:
// a malformed address is kept as far as it can be read, with
// MISSING_MAILBOX or MISSING_DOMAIN for what is missing, and empty
// elements are skipped. Encoded words are not decoded and quoting is
// removed from names and local parts (RFC 3501 section 9, addr-name and
// addr-mailbox).
func parseAddressList(s string) []address {
	toks := tokenizeAddresses(s)
	var out []address
	inGroup := false
	for i := 0; i <= len(toks) && len(out) < maxAddresses; {
		// A segment runs to the next ",", ";" or ":" outside angle brackets.
		j, angle := i, 0
		for ; j < len(toks); j++ {
			t := toks[j]
			if t.kind != tokSpecial {
				continue
			}
			switch t.text[0] {
			case '<':
				angle++
			case '>':
				if angle > 0 {
					angle--
				}
			case ',', ';', ':':
				if angle == 0 {
					goto found
				}
			}
		}
	found:
		seg := toks[i:j]
		var term byte
		if j < len(toks) {
			term = toks[j].text[0]
		}
		if term == ':' && !inGroup {
			// group = display-name ":" [group-list] ";" (RFC 5322 section 3.4).
			out = append(out, address{mailbox: phrase(seg), hasMailbox: true})
			inGroup = true
		} else {
			if a, ok := parseMailbox(seg); ok {
				out = append(out, a)
			}
			if term == ';' && inGroup {
				out = append(out, address{})
				inGroup = false
			}
		}
		if j >= len(toks) {
			break
		}
		i = j + 1
	}
	if inGroup {
		out = append(out, address{}) // an unterminated group still ends
	}
	return out
}

// parseMailbox reads one mailbox (RFC 5322 section 3.4): a name-addr with an
// optional obsolete route, or an addr-spec whose comment, if any, serves as
// the name (as RFC 822 readers traditionally do). ok is false for an empty
// segment.
func parseMailbox(seg []addrToken) (address, bool) {
	var comment string
	hasComment := false
	words, filtered := seg, false
	for _, t := range seg {
		if t.kind != tokComment {
			continue
		}
		if !hasComment && strings.TrimSpace(t.text) != "" {
			comment, hasComment = strings.TrimSpace(t.text), true
		}
		if !filtered {
			filtered = true
			words = make([]addrToken, 0, len(seg))
			for _, u := range seg {
				if u.kind != tokComment {
					words = append(words, u)
				}
			}
		}
	}
	if len(words) == 0 {
		return address{}, false
	}
	var a address
	lt := -1
	for k, t := range words {
		if t.kind == tokSpecial && t.text == "<" {
			lt = k
			break
		}
	}
	spec := words
	if lt >= 0 {
		if name := phrase(words[:lt]); name != "" {
			a.name, a.hasName = name, true
		}
		spec = words[lt+1:]
		for k, t := range spec {
			if t.kind == tokSpecial && t.text == ">" {
				spec = spec[:k]
				break
			}
		}
		// obs-route = obs-domain-list ":" (RFC 5322 section 4.4).
		if len(spec) > 0 && spec[0].kind == tokSpecial && spec[0].text == "@" {
			for k, t := range spec {
				if t.kind == tokSpecial && t.text == ":" {
					a.adl, a.hasADL = join(spec[:k]), true
					spec = spec[k+1:]
					break
				}
			}
		}
	} else if hasComment {
		a.name, a.hasName = comment, true
	}
	at := -1
	for k, t := range spec {
		if t.kind == tokSpecial && t.text == "@" {
			at = k
			break
		}
	}
	local, domain := spec, spec[:0]
	if at >= 0 {
		local, domain = spec[:at], spec[at+1:]
	}
	a.mailbox, a.hasMailbox = join(local), true
	a.host, a.hasHost = joinDomain(domain), true
	if a.mailbox == "" {
		a.mailbox = missingMailbox
	}
	if a.host == "" {
		a.host = missingDomain
	}
	return a, true
}

// phrase joins the words of a display name, quoting removed, with one
// space wherever the field had white space (RFC 5322 section 3.2.5).
func phrase(toks []addrToken) string {
	var b strings.Builder
	for _, t := range toks {
		if t.kind == tokComment {
			continue
		}
		if t.space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(t.text)
	}
	return b.String()
}

// join concatenates tokens without the white space between them: a
// local-part or a route (RFC 5322 sections 3.4.1 and 4.4).
func join(toks []addrToken) string {
	var b strings.Builder
	for _, t := range toks {
		if t.kind != tokComment {
			b.WriteString(t.text)
		}
	}
	return b.String()
}

// joinDomain concatenates the atoms, dots and literals of a domain; other
// specials (a second "@", stray ">") are junk and dropped.
func joinDomain(toks []addrToken) string {
	var b strings.Builder
	for _, t := range toks {
		switch {
		case t.kind == tokAtom, t.kind == tokLiteral, t.kind == tokSpecial && t.text == ".":
			b.WriteString(t.text)
		}
	}
	return b.String()
}

// appendAddressList appends an ENVELOPE address list: "(" 1*address ")",
// or NIL when there are no addresses (RFC 3501 section 9, env-from etc.).
func appendAddressList(dst []byte, list []address) []byte {
	if len(list) == 0 {
		return append(dst, "NIL"...)
	}
	dst = append(dst, '(')
	for _, a := range list {
		dst = append(dst, '(')
		dst = appendNString(dst, a.name, a.hasName)
		dst = append(dst, ' ')
		dst = appendNString(dst, a.adl, a.hasADL)
		dst = append(dst, ' ')
		dst = appendNString(dst, a.mailbox, a.hasMailbox)
		dst = append(dst, ' ')
		dst = appendNString(dst, a.host, a.hasHost)
		dst = append(dst, ')')
	}
	return append(dst, ')')
}
