package command

import (
	"encoding/base64"
	"strings"
	"time"
)

// commands lists every command name of RFC 3501 section 6 (UID's
// subcommands are listed as "UID FETCH" and so on).
var commands = map[string]bool{
	"CAPABILITY": true, "LOGOUT": true, "NOOP": true,
	"STARTTLS": true, "AUTHENTICATE": true, "LOGIN": true,
	"SELECT": true, "EXAMINE": true, "CREATE": true, "DELETE": true, "RENAME": true,
	"SUBSCRIBE": true, "UNSUBSCRIBE": true, "LIST": true, "LSUB": true, "STATUS": true, "APPEND": true,
	"CHECK": true, "CLOSE": true, "EXPUNGE": true, "SEARCH": true, "FETCH": true, "STORE": true, "COPY": true,
	"UID COPY": true, "UID FETCH": true, "UID SEARCH": true, "UID STORE": true,
}

// parseCommand parses the line read into r.line, reading literals and
// continuation lines as the arguments require.
//
//	command = tag SP (command-any / command-auth / command-nonauth /
//	          command-select) CRLF
func (r *Reader) parseCommand() (*Command, error) {
	for r.pos < len(r.line) && isTagChar(r.line[r.pos]) {
		r.pos++
	}
	if r.pos == 0 {
		if r.atEOL() {
			return nil, &Error{Status: "BAD", Text: "Empty command line"}
		}
		return nil, &Error{Status: "BAD", Text: "Invalid tag"}
	}
	if !r.atEOL() && r.peek() != ' ' {
		return nil, &Error{Status: "BAD", Text: "Invalid tag: " + r.found() + " is not allowed in a tag"}
	}
	r.tag = string(r.line[:r.pos])
	if r.atEOL() {
		return nil, r.syntaxError("Command name expected after the tag")
	}
	r.pos++ // SP
	name, err := r.atom("Command name")
	if err != nil {
		return nil, err
	}
	name = strings.ToUpper(name)
	cmd := &Command{Tag: r.tag, Name: name}
	if name == "UID" {
		if err := r.sp(); err != nil {
			return nil, err
		}
		sub, err := r.atom("UID subcommand")
		if err != nil {
			return nil, err
		}
		sub = strings.ToUpper(sub)
		switch sub {
		case "COPY", "FETCH", "SEARCH", "STORE":
		default:
			return nil, r.syntaxError("UID must be followed by COPY, FETCH, SEARCH or STORE, not %s", sub)
		}
		cmd.Name, cmd.UID = sub, true
		name = "UID " + sub
	}
	if !commands[name] {
		return nil, r.syntaxError("Unknown command %s", name)
	}
	if r.hooks.Allow != nil {
		if e := r.hooks.Allow(name); e != nil {
			e.Tag = r.tag
			return nil, e
		}
	}
	switch cmd.Name {
	case "CAPABILITY", "LOGOUT", "NOOP", "STARTTLS", "CHECK", "CLOSE", "EXPUNGE":
		// no arguments
	case "LOGIN":
		err = r.parseLogin(cmd)
	case "AUTHENTICATE":
		err = r.parseAuthenticate(cmd)
	case "SELECT", "EXAMINE", "CREATE", "DELETE", "SUBSCRIBE", "UNSUBSCRIBE":
		err = r.spThen(func() (err error) { cmd.Mailbox, err = r.astringS("Mailbox name"); return })
	case "RENAME":
		err = r.parseRename(cmd)
	case "LIST", "LSUB":
		err = r.parseList(cmd)
	case "STATUS":
		err = r.parseStatus(cmd)
	case "APPEND":
		err = r.parseAppend(cmd)
	case "COPY":
		err = r.parseCopy(cmd)
	case "FETCH":
		err = r.parseFetch(cmd)
	case "STORE":
		err = r.parseStore(cmd)
	case "SEARCH":
		err = r.parseSearch(cmd)
	}
	if err != nil {
		return nil, err
	}
	if err := r.eol(); err != nil {
		return nil, err
	}
	return cmd, nil
}

func (r *Reader) spThen(f func() error) error {
	if err := r.sp(); err != nil {
		return err
	}
	return f()
}

// login = "LOGIN" SP userid SP password
func (r *Reader) parseLogin(cmd *Command) (err error) {
	if err = r.sp(); err != nil {
		return err
	}
	if cmd.UserID, err = r.astringS("User name"); err != nil {
		return err
	}
	if err = r.sp(); err != nil {
		return err
	}
	cmd.Password, err = r.astringS("Password")
	return err
}

// authenticate = "AUTHENTICATE" SP auth-type [SP (base64 / "=")]
// (RFC 3501 section 9 with the initial response of RFC 4959 section 7).
func (r *Reader) parseAuthenticate(cmd *Command) (err error) {
	if err = r.sp(); err != nil {
		return err
	}
	mech, err := r.atom("Authentication mechanism")
	if err != nil {
		return err
	}
	cmd.Mechanism = strings.ToUpper(mech)
	if r.atEOL() {
		return nil
	}
	if err = r.sp(); err != nil {
		return err
	}
	cmd.HasInitialResponse = true
	if r.peek() == '=' && r.pos+1 == len(r.line) {
		r.pos++
		cmd.InitialResponse = []byte{}
		return nil
	}
	start := r.pos
	for r.pos < len(r.line) && r.line[r.pos] != ' ' {
		r.pos++
	}
	if r.pos == start {
		return r.syntaxError("Initial response expected (base64, or \"=\" for an empty one)")
	}
	ir, err := DecodeBase64(r.line[start:r.pos])
	if err != nil {
		return r.syntaxError("Initial response is not valid base64")
	}
	cmd.InitialResponse = ir
	return nil
}

// DecodeBase64 decodes base64 as RFC 3501 section 9 defines it: the standard
// alphabet, padding required, nothing else allowed.
func DecodeBase64(b []byte) ([]byte, error) {
	for _, c := range b {
		if !(isAlpha(c) || isDigit(c) || c == '+' || c == '/' || c == '=') {
			return nil, base64.CorruptInputError(0)
		}
	}
	out := make([]byte, base64.StdEncoding.DecodedLen(len(b)))
	n, err := base64.StdEncoding.Strict().Decode(out, b)
	if err != nil {
		return nil, err
	}
	return out[:n], nil
}

// rename = "RENAME" SP mailbox SP mailbox
func (r *Reader) parseRename(cmd *Command) (err error) {
	if err = r.sp(); err != nil {
		return err
	}
	if cmd.Mailbox, err = r.astringS("Existing mailbox name"); err != nil {
		return err
	}
	if err = r.sp(); err != nil {
		return err
	}
	cmd.NewName, err = r.astringS("New mailbox name")
	return err
}

// list = "LIST" SP mailbox SP list-mailbox
// lsub = "LSUB" SP mailbox SP list-mailbox
func (r *Reader) parseList(cmd *Command) (err error) {
	if err = r.sp(); err != nil {
		return err
	}
	if cmd.Mailbox, err = r.astringS("Reference name"); err != nil {
		return err
	}
	if err = r.sp(); err != nil {
		return err
	}
	cmd.Pattern, err = r.listMailbox()
	return err
}

// status     = "STATUS" SP mailbox SP "(" status-att *(SP status-att) ")"
// status-att = "MESSAGES" / "RECENT" / "UIDNEXT" / "UIDVALIDITY" / "UNSEEN"
func (r *Reader) parseStatus(cmd *Command) (err error) {
	if err = r.sp(); err != nil {
		return err
	}
	if cmd.Mailbox, err = r.astringS("Mailbox name"); err != nil {
		return err
	}
	if err = r.sp(); err != nil {
		return err
	}
	if err = r.expect('(', "\"(\" opening the status data item list"); err != nil {
		return err
	}
	for {
		att, err := r.keyword("Status data item")
		if err != nil {
			return err
		}
		switch att {
		case "MESSAGES", "RECENT", "UIDNEXT", "UIDVALIDITY", "UNSEEN":
		default:
			return r.syntaxError("Unknown status data item %s", att)
		}
		if err := r.item(); err != nil {
			return err
		}
		cmd.StatusItems = append(cmd.StatusItems, att)
		if r.peek() == ')' {
			r.pos++
			return nil
		}
		if err := r.sp(); err != nil {
			return err
		}
	}
}

// append = "APPEND" SP mailbox [SP flag-list] [SP date-time] SP literal
func (r *Reader) parseAppend(cmd *Command) (err error) {
	if err = r.sp(); err != nil {
		return err
	}
	if cmd.Mailbox, err = r.astringS("Mailbox name"); err != nil {
		return err
	}
	if err = r.sp(); err != nil {
		return err
	}
	if r.peek() == '(' {
		if cmd.Flags, err = r.flagList(); err != nil {
			return err
		}
		if cmd.Flags == nil {
			cmd.Flags = []string{}
		}
		if err = r.sp(); err != nil {
			return err
		}
	}
	if r.peek() == '"' {
		if cmd.Date, err = r.dateTime(); err != nil {
			return err
		}
		if err = r.sp(); err != nil {
			return err
		}
	}
	if r.peek() != '{' {
		return r.syntaxError("Message literal expected, found %s", r.found())
	}
	tooBig := func(size int64) *Error {
		return &Error{Tag: r.tag, Status: "NO", Text: "Message too large (limit " + itoa(r.lim.MaxMessage) + " octets)"}
	}
	var before func(int64) *Error
	if r.hooks.BeforeMessage != nil {
		before = func(size int64) *Error { return r.hooks.BeforeMessage(cmd, size) }
	}
	cmd.Message, err = r.literal(r.lim.MaxMessage, false, tooBig, before)
	return err
}

func itoa(n int64) string {
	var b [20]byte
	i := len(b)
	for {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
		if n == 0 {
			return string(b[i:])
		}
	}
}

// flagList reads flag-list = "(" [flag *(SP flag)] ")".
func (r *Reader) flagList() ([]string, error) {
	if err := r.expect('(', "\"(\" opening the flag list"); err != nil {
		return nil, err
	}
	var flags []string
	if r.peek() == ')' {
		r.pos++
		return flags, nil
	}
	for {
		f, err := r.flag()
		if err != nil {
			return nil, err
		}
		flags = append(flags, f)
		if r.peek() == ')' {
			r.pos++
			return flags, nil
		}
		if err := r.sp(); err != nil {
			return nil, err
		}
	}
}

// flag reads flag = "\Answered" / "\Flagged" / "\Deleted" / "\Seen" /
// "\Draft" / flag-keyword / flag-extension, where flag-keyword = atom and
// flag-extension = "\" atom. The flag is returned as sent.
func (r *Reader) flag() (string, error) {
	if err := r.item(); err != nil {
		return "", err
	}
	start := r.pos
	if r.peek() == '\\' {
		r.pos++
	}
	if _, err := r.atom("Flag"); err != nil {
		if r.pos < len(r.line) && r.line[r.pos] == '*' && r.pos == start+1 {
			return "", r.syntaxError("\\* is a PERMANENTFLAGS value, not a flag")
		}
		return "", err
	}
	return string(r.line[start:r.pos]), nil
}

var months = [...]string{"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"}

// month reads date-month = "Jan" / "Feb" / ... / "Dec" (case-insensitive,
// as every ABNF string).
func (r *Reader) month() (time.Month, error) {
	if r.pos+3 <= len(r.line) {
		m := strings.ToUpper(string(r.line[r.pos : r.pos+3]))
		for i, name := range months {
			if m == name {
				r.pos += 3
				return time.Month(i + 1), nil
			}
		}
	}
	return 0, r.syntaxError("Month name expected (Jan, Feb, ...), found %s", r.found())
}

// digits reads exactly n digits.
func (r *Reader) digits(n int, what string) (int, error) {
	v := 0
	for i := 0; i < n; i++ {
		if r.atEOL() || !isDigit(r.line[r.pos]) {
			return 0, r.syntaxError("%s expected (%d digits), found %s", what, n, r.found())
		}
		v = v*10 + int(r.line[r.pos]-'0')
		r.pos++
	}
	return v, nil
}

func validDay(year int, month time.Month, day int) bool {
	if day < 1 {
		return false
	}
	return day <= time.Date(year, month+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// dateTime reads date-time = DQUOTE date-day-fixed "-" date-month "-"
// date-year SP time SP zone DQUOTE.
func (r *Reader) dateTime() (time.Time, error) {
	var zero time.Time
	if err := r.expect('"', "date-time"); err != nil {
		return zero, err
	}
	// date-day-fixed = (SP DIGIT) / 2DIGIT
	var day int
	if r.peek() == ' ' {
		r.pos++
		d, err := r.digits(1, "Day of month")
		if err != nil {
			return zero, err
		}
		day = d
	} else {
		d, err := r.digits(2, "Day of month")
		if err != nil {
			return zero, err
		}
		day = d
	}
	if err := r.expect('-', "\"-\" in date-time"); err != nil {
		return zero, err
	}
	month, err := r.month()
	if err != nil {
		return zero, err
	}
	if err := r.expect('-', "\"-\" in date-time"); err != nil {
		return zero, err
	}
	year, err := r.digits(4, "Year")
	if err != nil {
		return zero, err
	}
	if err := r.sp(); err != nil {
		return zero, err
	}
	hour, err := r.digits(2, "Hour")
	if err != nil {
		return zero, err
	}
	if err := r.expect(':', "\":\" in time"); err != nil {
		return zero, err
	}
	minute, err := r.digits(2, "Minute")
	if err != nil {
		return zero, err
	}
	if err := r.expect(':', "\":\" in time"); err != nil {
		return zero, err
	}
	sec, err := r.digits(2, "Second")
	if err != nil {
		return zero, err
	}
	if err := r.sp(); err != nil {
		return zero, err
	}
	sign := r.peek()
	if sign != '+' && sign != '-' {
		return zero, r.syntaxError("Time zone expected (+hhmm or -hhmm), found %s", r.found())
	}
	r.pos++
	zone, err := r.digits(4, "Time zone")
	if err != nil {
		return zero, err
	}
	if err := r.expect('"', "DQUOTE closing date-time"); err != nil {
		return zero, err
	}
	zh, zm := zone/100, zone%100
	if !validDay(year, month, day) || hour > 23 || minute > 59 || sec > 60 || zh > 23 || zm > 59 {
		return zero, r.syntaxError("Invalid date-time: a field is out of range")
	}
	offset := zh*3600 + zm*60
	if sign == '-' {
		offset = -offset
	}
	loc := time.FixedZone("", offset)
	return time.Date(year, month, day, hour, minute, sec, 0, loc), nil
}

// date reads date = date-text / DQUOTE date-text DQUOTE, with date-text =
// date-day "-" date-month "-" date-year and date-day = 1*2DIGIT.
func (r *Reader) date() (time.Time, error) {
	var zero time.Time
	quoted := r.peek() == '"'
	if quoted {
		r.pos++
	}
	if r.atEOL() || !isDigit(r.peek()) {
		return zero, r.syntaxError("Date expected (d-Mon-yyyy), found %s", r.found())
	}
	day := int(r.line[r.pos] - '0')
	r.pos++
	if !r.atEOL() && isDigit(r.peek()) {
		day = day*10 + int(r.line[r.pos]-'0')
		r.pos++
	}
	if err := r.expect('-', "\"-\" in date"); err != nil {
		return zero, err
	}
	month, err := r.month()
	if err != nil {
		return zero, err
	}
	if err := r.expect('-', "\"-\" in date"); err != nil {
		return zero, err
	}
	year, err := r.digits(4, "Year")
	if err != nil {
		return zero, err
	}
	if quoted {
		if err := r.expect('"', "DQUOTE closing the date"); err != nil {
			return zero, err
		}
	}
	if !validDay(year, month, day) {
		return zero, r.syntaxError("Invalid date: day %d does not exist in that month", day)
	}
	return time.Date(year, month, day, 0, 0, 0, 0, time.UTC), nil
}

// sequenceSet reads sequence-set = (seq-number / seq-range)
// *("," sequence-set), with seq-number = nz-number / "*" and seq-range =
// seq-number ":" seq-number.
func (r *Reader) sequenceSet() (SeqSet, error) {
	var set SeqSet
	for {
		if err := r.item(); err != nil {
			return nil, err
		}
		start, err := r.seqNumber()
		if err != nil {
			return nil, err
		}
		stop := start
		if r.peek() == ':' {
			r.pos++
			if stop, err = r.seqNumber(); err != nil {
				return nil, err
			}
		}
		set = append(set, SeqRange{Start: start, Stop: stop})
		if r.peek() != ',' || r.atEOL() {
			return set, nil
		}
		r.pos++
	}
}

func (r *Reader) seqNumber() (uint32, error) {
	if r.peek() == '*' {
		r.pos++
		return 0, nil
	}
	if r.atEOL() || !isDigit(r.peek()) {
		return 0, r.syntaxError("Sequence number or \"*\" expected, found %s", r.found())
	}
	return r.nzNumber("Sequence number")
}

// copy = "COPY" SP sequence-set SP mailbox
func (r *Reader) parseCopy(cmd *Command) (err error) {
	if err = r.sp(); err != nil {
		return err
	}
	if cmd.Set, err = r.sequenceSet(); err != nil {
		return err
	}
	if err = r.sp(); err != nil {
		return err
	}
	cmd.Mailbox, err = r.astringS("Destination mailbox name")
	return err
}

// parseStore reads:
//
//	store           = "STORE" SP sequence-set SP store-att-flags
//	store-att-flags = (["+" / "-"] "FLAGS" [".SILENT"]) SP
//	                  (flag-list / (flag *(SP flag)))
func (r *Reader) parseStore(cmd *Command) (err error) {
	if err = r.sp(); err != nil {
		return err
	}
	if cmd.Set, err = r.sequenceSet(); err != nil {
		return err
	}
	if err = r.sp(); err != nil {
		return err
	}
	item, err := r.keyword("Message data item name")
	if err != nil {
		return err
	}
	switch item {
	case "FLAGS", "FLAGS.SILENT":
		cmd.StoreMode = StoreReplace
	case "+FLAGS", "+FLAGS.SILENT":
		cmd.StoreMode = StoreAdd
	case "-FLAGS", "-FLAGS.SILENT":
		cmd.StoreMode = StoreRemove
	default:
		return r.syntaxError("Unknown STORE data item %s: FLAGS, +FLAGS or -FLAGS (with .SILENT) expected", item)
	}
	cmd.Silent = strings.HasSuffix(item, ".SILENT")
	if err = r.sp(); err != nil {
		return err
	}
	if r.peek() == '(' {
		cmd.Flags, err = r.flagList()
		if cmd.Flags == nil {
			cmd.Flags = []string{}
		}
		return err
	}
	for {
		f, err := r.flag()
		if err != nil {
			return err
		}
		cmd.Flags = append(cmd.Flags, f)
		if r.atEOL() {
			return nil
		}
		if err := r.sp(); err != nil {
			return err
		}
	}
}
