package grammar

import (
	"strings"
	"time"
)

// Kind says which of the three shapes of RFC 3501 section 2.2.2 a response
// has: a command continuation request, a tagged or an untagged response.
type Kind uint8

// The kinds of server response.
const (
	// Continuation is a continue-req: "+" SP (resp-text / base64).
	Continuation Kind = iota + 1
	// Tagged is a response-tagged: tag SP resp-cond-state.
	Tagged
	// Untagged is any response starting "*" SP: response-data,
	// response-fatal or the greeting.
	Untagged
)

// String returns the kind's name.
func (k Kind) String() string {
	switch k {
	case Continuation:
		return "continuation"
	case Tagged:
		return "tagged"
	case Untagged:
		return "untagged"
	}
	return "invalid"
}

// Response is one parsed server response. Only the fields that belong to
// Name are set; the others keep their zero value. Strings taken from the
// response as sent share the memory of Raw, so keeping one field alive
// keeps the whole response; only quoted strings with escapes and names
// that had to be upper-cased are copies.
type Response struct {
	// Raw is the complete response exactly as received, CRLF and inline
	// literals included.
	Raw string
	// Kind is continuation, tagged or untagged.
	Kind Kind
	// Tag is the tag of a tagged response, as sent (tags are compared
	// octet for octet).
	Tag string
	// Name is the upper-cased response name: OK, NO, BAD, PREAUTH, BYE,
	// CAPABILITY, FLAGS, LIST, LSUB, STATUS, SEARCH, EXISTS, RECENT,
	// EXPUNGE, FETCH, ENABLED, ID, NAMESPACE, ESEARCH, SORT, THREAD,
	// VANISHED, METADATA, or the name of an unknown response. It is empty
	// for a continuation request.
	Name string
	// Number is the message number or count of message-data and of
	// "* n EXISTS" / "* n RECENT" (RFC 3501 sections 7.3 and 7.4).
	Number uint32
	// Code is the response code of a status response or continuation
	// request ("[" resp-text-code "]"), nil when there is none.
	Code *Code
	// Text is the human-readable text of a status response (resp-text
	// after the code) or of a continuation request.
	Text string
	// Base64 reports that the text of a continuation request is a valid
	// base64 rule (possibly empty), as an AUTHENTICATE challenge is.
	Base64 bool
	// Unknown is set for an untagged response whose name this package does
	// not know; its arguments are kept as tokens in Values.
	Unknown bool

	// Capabilities lists the capabilities of CAPABILITY, and of ENABLED
	// (RFC 5161), as sent; compare them with HasCapability.
	Capabilities []string
	// Flags lists the flags of a FLAGS response (RFC 3501 section 7.2.6).
	// System flags are spelled canonically (\Seen); keywords as sent.
	Flags []string
	// List is the data of a LIST or LSUB response.
	List *ListData
	// Status is the data of a STATUS response.
	Status *StatusData
	// Search is the data of a SEARCH or SORT response.
	Search *SearchData
	// Fetch is the data of a FETCH response.
	Fetch *FetchData
	// ID is the data of an ID response (RFC 2971).
	ID *IDData
	// Namespace is the data of a NAMESPACE response (RFC 2342).
	Namespace *NamespaceData
	// ESearch is the data of an ESEARCH response (RFC 4731).
	ESearch *ESearchData
	// Vanished is the data of a VANISHED response (RFC 7162 section 3.2.10).
	Vanished *VanishedData
	// Threads are the threads of a THREAD response (RFC 5256).
	Threads []Thread
	// Metadata is the data of a METADATA response (RFC 5464).
	Metadata *MetadataData
	// Values are the tokens after the name of an unknown response.
	Values []Value

	// Notes lists the places where the response relied on a relaxation
	// that RFC 3501 does not grant but a later RFC or a verified erratum
	// does. The response is accepted; a strict report may show a warning.
	Notes []Note
}

// IsStatus reports whether the response is a status response: OK, NO, BAD,
// PREAUTH or BYE (RFC 3501 section 7.1).
func (r *Response) IsStatus() bool {
	switch r.Name {
	case "OK", "NO", "BAD", "PREAUTH", "BYE":
		return true
	}
	return false
}

// HasCapability reports whether the CAPABILITY or ENABLED response lists
// the capability, compared without regard to case.
func (r *Response) HasCapability(name string) bool { return hasFold(r.Capabilities, name) }

// HasFlag reports whether a FLAGS response lists the flag, compared without
// regard to case.
func (r *Response) HasFlag(flag string) bool { return hasFold(r.Flags, flag) }

func hasFold(list []string, s string) bool {
	for _, it := range list {
		if strings.EqualFold(it, s) {
			return true
		}
	}
	return false
}

// Note records a relaxation a response relied on; see Response.Notes.
type Note struct {
	// Offset is the octet offset in Response.Raw.
	Offset int
	// Rule is the RFC 3501 section 9 rule that was relaxed.
	Rule string
	// Msg says what was accepted and on whose authority.
	Msg string
}

// Code is a response code: "[" resp-text-code "]" (RFC 3501 section 7.1).
// The typed fields are set for the codes that define arguments.
type Code struct {
	// Name is the upper-cased code atom: ALERT, BADCHARSET, CAPABILITY,
	// PARSE, PERMANENTFLAGS, READ-ONLY, READ-WRITE, TRYCREATE, UIDNEXT,
	// UIDVALIDITY, UNSEEN, APPENDUID, COPYUID, UIDNOTSTICKY,
	// HIGHESTMODSEQ, NOMODSEQ, MODIFIED, CLOSED, an RFC 5530 code, or an
	// unknown atom.
	Name string
	// Raw is the text between "[" and "]" exactly as sent.
	Raw string
	// Args is the raw text after the name and its SP; empty when none.
	Args string
	// Unknown is set for a code this package does not know (the generic
	// atom [SP 1*<any TEXT-CHAR except "]">] alternative).
	Unknown bool

	// Capabilities lists the capabilities of CAPABILITY, as sent.
	Capabilities []string
	// Flags lists the flags of PERMANENTFLAGS, \* included.
	Flags []string
	// Number is the argument of UIDNEXT, UIDVALIDITY and UNSEEN.
	Number uint32
	// Charsets lists the charsets of BADCHARSET.
	Charsets []string
	// UIDValidity is the first argument of APPENDUID and COPYUID
	// (RFC 4315 section 3).
	UIDValidity uint32
	// UIDs is the uid-set of APPENDUID and the destination uid-set of
	// COPYUID.
	UIDs NumSet
	// SourceUIDs is the source uid-set of COPYUID.
	SourceUIDs NumSet
	// ModSeq is the argument of HIGHESTMODSEQ (RFC 7162 section 3.1.2.1).
	ModSeq uint64
	// Set is the sequence-set of MODIFIED (RFC 7162 section 3.1.3).
	Set NumSet
}

// HasCapability reports whether a CAPABILITY code lists the capability,
// compared without regard to case.
func (c *Code) HasCapability(name string) bool { return hasFold(c.Capabilities, name) }

// NumRange is a range of a sequence-set or uid-set. A single number has
// Start == Stop. The "*" seq-number is represented as 0, which no
// nz-number can be.
type NumRange struct {
	Start, Stop uint32
}

// NumSet is a parsed sequence-set or uid-set, in the order sent.
type NumSet []NumRange

// Contains reports whether n is in the set. A range is taken regardless of
// order (RFC 3501 section 9, seq-range); "*" matches only itself (0).
func (s NumSet) Contains(n uint32) bool {
	for _, r := range s {
		lo, hi := r.Start, r.Stop
		if lo > hi {
			lo, hi = hi, lo
		}
		if r.Start == 0 || r.Stop == 0 {
			// "*" is the largest number in use, unknown here: n:* holds
			// n and above.
			lo, hi = max(r.Start, r.Stop), ^uint32(0)
			if r.Start == 0 && r.Stop == 0 {
				lo, hi = 0, 0
			}
		}
		if n >= lo && n <= hi {
			return true
		}
	}
	return false
}

// String formats the set in sequence-set syntax.
func (s NumSet) String() string {
	var b strings.Builder
	num := func(n uint32) {
		if n == 0 {
			b.WriteByte('*')
			return
		}
		b.WriteString(formatUint(uint64(n)))
	}
	for i, r := range s {
		if i > 0 {
			b.WriteByte(',')
		}
		num(r.Start)
		if r.Stop != r.Start {
			b.WriteByte(':')
			num(r.Stop)
		}
	}
	return b.String()
}

// NString is an nstring: a string or NIL (RFC 3501 section 4.5).
type NString struct {
	// Value is the decoded content; empty when Nil.
	Value string
	// Nil is set for NIL.
	Nil bool
}

// String returns the value, or "NIL" for NIL.
func (n NString) String() string {
	if n.Nil {
		return "NIL"
	}
	return n.Value
}

// ListData is the data of a LIST or LSUB response: mailbox-list
// (RFC 3501 sections 7.2.2 and 7.2.3), with the RFC 5258 extended items.
type ListData struct {
	// Attributes are the name attributes, spelled canonically where known
	// (\Noinferiors, \Noselect, \Marked, \Unmarked, \HasChildren,
	// \HasNoChildren, \NonExistent, \Subscribed, \Remote and the RFC 6154
	// special uses), otherwise as sent.
	Attributes []string
	// Delimiter is the hierarchy delimiter, empty for NIL.
	Delimiter string
	// Mailbox is the decoded mailbox name; every case variant of INBOX is
	// "INBOX" (RFC 3501 section 9, mailbox).
	Mailbox string
	// RawMailbox is the mailbox token as sent: atom, quoted string with
	// its quotes, or literal with its "{n}" CRLF prefix.
	RawMailbox string
	// Extended are the RFC 5258 mbox-list-extended items, such as
	// CHILDINFO and OLDNAME.
	Extended []ExtItem
}

// HasAttribute reports whether the attribute is present, compared without
// regard to case.
func (l *ListData) HasAttribute(attr string) bool { return hasFold(l.Attributes, attr) }

// StatusData is the data of a STATUS response (RFC 3501 section 7.2.4).
type StatusData struct {
	// Mailbox is the decoded mailbox name (INBOX canonical).
	Mailbox string
	// RawMailbox is the mailbox token as sent.
	RawMailbox string
	// Items maps each upper-cased status attribute to its number.
	Items map[string]uint64
}

// SearchData is the data of a SEARCH response (RFC 3501 section 7.2.5) or
// of a SORT response (RFC 5256).
type SearchData struct {
	// Nums are the message numbers or UIDs, in the order sent.
	Nums []uint32
	// ModSeq is the RFC 7162 search-sort-mod-seq, 0 when absent.
	ModSeq uint64
}

// FetchData is the data of a FETCH response: msg-att (RFC 3501 section
// 7.4.2). Items says which fields were sent.
type FetchData struct {
	// Items are the upper-cased names of the msg-att items in the order
	// sent: FLAGS, UID, INTERNALDATE, RFC822.SIZE, ENVELOPE, BODY,
	// BODYSTRUCTURE, RFC822, RFC822.HEADER, RFC822.TEXT, MODSEQ,
	// BODY[section]<origin> and extension item names.
	Items []string
	// Flags are the flags of FLAGS, system flags canonically spelled.
	Flags []string
	// UID is the UID; 0 when absent.
	UID uint32
	// InternalDate is the INTERNALDATE, in the zone sent.
	InternalDate time.Time
	// RFC822Size is RFC822.SIZE.
	RFC822Size uint32
	// Envelope is the ENVELOPE.
	Envelope *Envelope
	// Body is the non-extensible BODY structure.
	Body *BodyStructure
	// BodyStructure is the BODYSTRUCTURE.
	BodyStructure *BodyStructure
	// Sections are the BODY[section]<origin> items, in the order sent.
	Sections []BodySection
	// RFC822, RFC822Header and RFC822Text are RFC822, RFC822.HEADER and
	// RFC822.TEXT.
	RFC822, RFC822Header, RFC822Text NString
	// ModSeq is the RFC 7162 MODSEQ; 0 when absent.
	ModSeq uint64
	// Extensions are the items of extensions this package does not type
	// (BINARY, EMAILID, X-GM-MSGID...), as generic values.
	Extensions []ExtItem

	items [8]string
	flags [6]string
}

// Has reports whether the item was sent. Names are compared without regard
// to case; a section item must be named in full ("BODY[TEXT]<0>").
func (f *FetchData) Has(item string) bool { return hasFold(f.Items, item) }

// HasFlag reports whether FLAGS lists the flag, compared without regard to
// case.
func (f *FetchData) HasFlag(flag string) bool { return hasFold(f.Flags, flag) }

// Section returns the first BODY[section] item whose spec (the text between
// the brackets, compared without regard to case) is spec, or nil.
func (f *FetchData) Section(spec string) *BodySection {
	for i := range f.Sections {
		if strings.EqualFold(f.Sections[i].Spec, spec) {
			return &f.Sections[i]
		}
	}
	return nil
}

// BodySection is a BODY[section]<origin> item of a FETCH response.
type BodySection struct {
	// Spec is the section-spec between the brackets, as sent.
	Spec string
	// Part is the section-part; nil for the whole message.
	Part []uint32
	// Specifier is the upper-cased section-msgtext or MIME: HEADER,
	// HEADER.FIELDS, HEADER.FIELDS.NOT, TEXT, MIME, or empty.
	Specifier string
	// Fields are the header-list of HEADER.FIELDS and HEADER.FIELDS.NOT.
	Fields []string
	// Partial is set when an origin "<" number ">" was sent.
	Partial bool
	// Origin is the origin octet of a partial fetch.
	Origin uint32
	// Data is the section's content or NIL.
	Data NString
	// Literal is set when the data was sent as a literal.
	Literal bool
}

// Envelope is an ENVELOPE (RFC 3501 section 7.4.2). An address list is nil
// for NIL; the grammar has no empty list.
type Envelope struct {
	// Date and Subject are env-date and env-subject.
	Date, Subject NString
	// From, Sender, ReplyTo, To, Cc and Bcc are the address lists.
	From, Sender, ReplyTo, To, Cc, Bcc []Address
	// InReplyTo and MessageID are env-in-reply-to and env-message-id.
	InReplyTo, MessageID NString
}

// Address is one address structure. RFC 2822 groups are encoded in place:
// a group starts with an address whose Host is NIL and Mailbox holds the
// group name, and ends with one whose Host and Mailbox are both NIL.
type Address struct {
	// Name is addr-name, the phrase; ADL is addr-adl, the source route;
	// Mailbox is addr-mailbox, the local part or group name; Host is
	// addr-host, the domain, or NIL in group syntax.
	Name, ADL, Mailbox, Host NString
}

// IsGroupStart reports whether the address opens an RFC 2822 group.
func (a Address) IsGroupStart() bool { return a.Host.Nil && !a.Mailbox.Nil }

// IsGroupEnd reports whether the address closes an RFC 2822 group.
func (a Address) IsGroupEnd() bool { return a.Host.Nil && a.Mailbox.Nil }

// AddressGroup is an RFC 2822 group, or a run of addresses outside any
// group (Name empty, Group false).
type AddressGroup struct {
	// Group is set for an RFC 2822 group.
	Group bool
	// Name is the group's name.
	Name string
	// Addresses are the members, or the run of addresses.
	Addresses []Address
}

// BodyStructure is a body: a BODY or BODYSTRUCTURE value (RFC 3501 section
// 7.4.2). A multipart body has Parts; a message/rfc822 body has Envelope
// and Body.
type BodyStructure struct {
	// Type and Subtype are the upper-cased media type and subtype; Type is
	// MULTIPART for a multipart body.
	Type, Subtype string
	// Params are the body parameters (body-fld-param), nil for NIL. For a
	// multipart body they are extension data.
	Params []Param
	// ID and Description are body-fld-id and body-fld-desc.
	ID, Description NString
	// Encoding is body-fld-enc, upper-cased.
	Encoding string
	// Size is body-fld-octets.
	Size uint32
	// Lines is body-fld-lines of text and message/rfc822 bodies.
	Lines uint32
	// Envelope and Body describe the message of a message/rfc822 body.
	Envelope *Envelope
	Body     *BodyStructure
	// Parts are the parts of a multipart body.
	Parts []*BodyStructure

	// ExtFields counts the extension fields sent: 0 none; for a single
	// part 1 MD5, 2 + disposition, 3 + language, 4 + location, more for
	// further body-extension values; for a multipart body 1 params, then
	// as for a single part.
	ExtFields int
	// MD5 is body-fld-md5.
	MD5 NString
	// Disposition is body-fld-dsp, nil for NIL or absent.
	Disposition *Disposition
	// Language is body-fld-lang, nil for NIL or absent.
	Language []string
	// Location is body-fld-loc.
	Location NString
	// Extensions are further body-extension values.
	Extensions []Value
}

// IsMultipart reports whether the body is a multipart body.
func (b *BodyStructure) IsMultipart() bool { return b.Parts != nil }

// MediaType returns the lower-cased "type/subtype".
func (b *BodyStructure) MediaType() string {
	return strings.ToLower(b.Type) + "/" + strings.ToLower(b.Subtype)
}

// Param is one attribute/value pair of body-fld-param.
type Param struct {
	// Name is the attribute, Value its value, both as sent.
	Name, Value string
}

// Disposition is body-fld-dsp: a disposition type and its parameters.
type Disposition struct {
	// Type is the disposition type as sent (inline, attachment).
	Type string
	// Params are its parameters, nil for NIL.
	Params []Param
}

// IDData is the data of an ID response (RFC 2971 section 3.2).
type IDData struct {
	// Nil is set when the server sent NIL instead of a list.
	Nil bool
	// Params are the field/value pairs in the order sent.
	Params []IDParam
}

// IDParam is one field/value pair of an ID response.
type IDParam struct {
	// Name is the field name, Value its value or NIL.
	Name  string
	Value NString
}

// NamespaceData is the data of a NAMESPACE response (RFC 2342 section 5).
// A nil slice stands for NIL.
type NamespaceData struct {
	Personal, Other, Shared []Namespace
}

// Namespace is one namespace description.
type Namespace struct {
	// Prefix is the namespace prefix.
	Prefix string
	// Delimiter is the hierarchy delimiter, empty for NIL.
	Delimiter string
	// Extensions are namespace_response_extension pairs.
	Extensions []NamespaceExtension
}

// NamespaceExtension is one extension of a namespace description.
type NamespaceExtension struct {
	// Name is the extension's name, Values its values.
	Name   string
	Values []string
}

// ESearchData is the data of an ESEARCH response (RFC 4731 section 3.1,
// RFC 4466 section 2.6.2).
type ESearchData struct {
	// Tag is the search-correlator's tag, empty when absent.
	Tag string
	// UID is set when the numbers are UIDs.
	UID bool
	// Items are the upper-cased names of the search-return-data sent.
	Items []string
	// Min and Max are MIN and MAX; 0 when absent.
	Min, Max uint32
	// Count is COUNT.
	Count uint32
	// All is ALL.
	All NumSet
	// ModSeq is the RFC 7162 MODSEQ; 0 when absent.
	ModSeq uint64
	// Extensions are search-ret-data-ext items.
	Extensions []ExtItem
}

// Has reports whether the return data item was sent.
func (e *ESearchData) Has(item string) bool { return hasFold(e.Items, item) }

// VanishedData is the data of a VANISHED response (RFC 7162 section
// 3.2.10).
type VanishedData struct {
	// Earlier is set for VANISHED (EARLIER).
	Earlier bool
	// UIDs are the vanished UIDs.
	UIDs NumSet
}

// Thread is one node of a THREAD response (RFC 5256 section 4). Num is 0
// for the missing parent of a thread-nested list whose root is not in the
// search result.
type Thread struct {
	// Num is the message number or UID.
	Num uint32
	// Children are the replies, in order.
	Children []Thread
}

// MetadataData is the data of a METADATA response (RFC 5464 section 4.4).
type MetadataData struct {
	// Mailbox is the decoded mailbox name; empty for server annotations.
	Mailbox string
	// Values is set when entries came with values (entry-values);
	// otherwise only names were sent (entry-list, unsolicited).
	Values bool
	// Entries are the entries in the order sent.
	Entries []MetadataEntry
}

// MetadataEntry is one entry of a METADATA response.
type MetadataEntry struct {
	// Name is the entry name; Value its value, or NIL, or empty when
	// only names were sent.
	Name  string
	Value NString
}

// ExtItem is one item of an extension whose values this package keeps
// generically: a name (tag or label) and its value.
type ExtItem struct {
	// Name is the upper-cased tag or label.
	Name string
	// Value is its value.
	Value Value
}

// ValueKind says what a generic Value is.
type ValueKind uint8

// The kinds of generic value.
const (
	// Atom is an atom-like token, also a sequence-set; Value.Str holds it.
	Atom ValueKind = iota + 1
	// Number is a number; Value.Num holds it, Value.Str its digits.
	Number
	// String is a quoted string, literal or literal8; Value.Str holds the
	// decoded content.
	String
	// Nil is NIL.
	Nil
	// List is a parenthesised list; Value.List holds its items.
	List
)

// Value is a generic token of an extension or unknown response.
type Value struct {
	// Kind says which of the other fields hold the value.
	Kind ValueKind
	// Str is the atom, the digits of a number, the content of a string,
	// or "NIL" as sent.
	Str string
	// Num is the value of a number.
	Num uint64
	// Literal is set for a string sent as a literal or literal8.
	Literal bool
	// List holds the items of a list.
	List []Value
}

// String renders the value in a compact IMAP-like form for messages.
func (v Value) String() string {
	var b strings.Builder
	v.write(&b)
	return b.String()
}

func (v Value) write(b *strings.Builder) {
	switch v.Kind {
	case Nil:
		b.WriteString("NIL")
	case String:
		b.WriteString(quote(v.Str))
	case List:
		b.WriteByte('(')
		for i, it := range v.List {
			if i > 0 {
				b.WriteByte(' ')
			}
			it.write(b)
		}
		b.WriteByte(')')
	default:
		b.WriteString(v.Str)
	}
}
