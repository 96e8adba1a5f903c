package command

import "time"

// Command is one parsed client command. Which fields are set depends on Name;
// each field's comment lists the commands that use it.
type Command struct {
	Tag  string
	Name string // upper case: "FETCH", "UID" is reported through the UID field
	UID  bool   // UID COPY, UID FETCH, UID SEARCH, UID STORE (RFC 3501 section 6.4.8)

	// LOGIN (RFC 3501 section 6.2.3).
	UserID   string
	Password string

	// AUTHENTICATE (RFC 3501 section 6.2.2) with the optional initial
	// response of RFC 4959: HasInitialResponse is set when one was sent;
	// "=" gives an empty InitialResponse.
	Mechanism          string // upper case
	InitialResponse    []byte // decoded from base64
	HasInitialResponse bool

	// Mailbox is the mailbox argument exactly as sent (INBOX is not
	// normalised): SELECT, EXAMINE, CREATE, DELETE, RENAME (existing name),
	// SUBSCRIBE, UNSUBSCRIBE, STATUS, APPEND, COPY (destination); the
	// reference name of LIST and LSUB.
	Mailbox string
	NewName string // RENAME: the new name
	Pattern string // LIST, LSUB: the mailbox name with possible wildcards

	StatusItems []string // STATUS: upper-case status-att names, in order

	// Flags of APPEND's flag list and of STORE, as sent.
	Flags []string
	// Date is APPEND's date-time; the zero Time when absent.
	Date time.Time
	// Message is APPEND's message literal.
	Message []byte

	// Set is the sequence set of COPY, FETCH and STORE (message sequence
	// numbers, or UIDs when UID is set).
	Set SeqSet

	FetchItems []FetchItem // FETCH: macros expanded, in order, duplicates kept

	StoreMode StoreMode // STORE
	Silent    bool      // STORE: .SILENT

	// SEARCH: Charset is the CHARSET argument as sent ("" when absent);
	// Search holds the criteria, implicitly ANDed.
	Charset string
	Search  []*SearchKey
}

// StoreMode is how STORE combines the given flags with a message's flags
// (RFC 3501 section 6.4.6).
type StoreMode int

const (
	StoreReplace StoreMode = iota // FLAGS
	StoreAdd                      // +FLAGS
	StoreRemove                   // -FLAGS
)

// SeqRange is a seq-range of RFC 3501 section 9. Zero stands for "*", the
// largest number in use. Start may be greater than Stop (a reversed range).
type SeqRange struct {
	Start, Stop uint32
}

// SeqSet is a sequence-set of RFC 3501 section 9, in the order sent.
type SeqSet []SeqRange

// FetchItem is one fetch-att of RFC 3501 section 6.4.5.
type FetchItem struct {
	// Name is ENVELOPE, FLAGS, INTERNALDATE, RFC822, RFC822.HEADER,
	// RFC822.SIZE, RFC822.TEXT, BODY, BODYSTRUCTURE or UID; for a
	// BODY[section] or BODY.PEEK[section] item it is "BODY" and Section is
	// set.
	Name    string
	Section *Section
	Peek    bool // BODY.PEEK[...]: do not set \Seen
	// Partial is set for <origin.count>.
	Partial bool
	Origin  uint32
	Count   uint32
}

// Section is the section of a BODY[...] fetch item (RFC 3501 section 6.4.5).
type Section struct {
	Part      []int    // part numbers, empty for the whole message
	Specifier string   // "", HEADER, HEADER.FIELDS, HEADER.FIELDS.NOT, TEXT or MIME
	Fields    []string // HEADER.FIELDS (.NOT): header field names as sent
}

// SearchKey is one search-key of RFC 3501 section 6.4.4.
type SearchKey struct {
	// Key is the upper-case key name (ALL, ANSWERED, BCC, ...), "SEQ" for
	// a bare sequence set and "AND" for a parenthesised list.
	Key    string
	Value  []byte    // BCC, BODY, CC, FROM, HEADER, SUBJECT, TEXT, TO: octets in the command's charset
	Field  string    // HEADER: the field name
	Flag   string    // KEYWORD, UNKEYWORD
	Date   time.Time // BEFORE, ON, SINCE, SENTBEFORE, SENTON, SENTSINCE: midnight UTC of the date
	Number uint32    // LARGER, SMALLER
	Set    SeqSet    // SEQ, UID
	Sub    []*SearchKey
}
