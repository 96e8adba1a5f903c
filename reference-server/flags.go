package referenceserver

import (
	"errors"
	"strings"
)

// systemFlag is one of the system flags a client may store (RFC 3501
// section 2.3.2); \Recent is per session and never stored.
type systemFlag uint8

const (
	flagAnswered systemFlag = 1 << iota
	flagFlagged
	flagDeleted
	flagSeen
	flagDraft
)

// systemFlags lists the storable system flags in the order FLAGS responses
// use (the order of RFC 3501 section 2.3.2).
var systemFlags = [...]struct {
	bit  systemFlag
	name string
}{
	{flagAnswered, `\Answered`},
	{flagFlagged, `\Flagged`},
	{flagDeleted, `\Deleted`},
	{flagSeen, `\Seen`},
	{flagDraft, `\Draft`},
}

// maxKeywords bounds the keywords one mailbox can hold.
const maxKeywords = 256

// flagSet is the stored flags of a message: system flags and keywords. The
// keywords are indexes into the mailbox's keyword table, ascending.
type flagSet struct {
	sys      systemFlag
	keywords []uint16
}

func (f flagSet) has(k uint16) bool {
	for _, x := range f.keywords {
		if x == k {
			return true
		}
	}
	return false
}

func (f flagSet) equal(g flagSet) bool {
	if f.sys != g.sys || len(f.keywords) != len(g.keywords) {
		return false
	}
	for i := range f.keywords {
		if f.keywords[i] != g.keywords[i] {
			return false
		}
	}
	return true
}

func (f flagSet) clone() flagSet {
	return flagSet{sys: f.sys, keywords: append([]uint16(nil), f.keywords...)}
}

// parsedFlags is a client's flag list sorted into system flags and keyword
// names.
type parsedFlags struct {
	sys      systemFlag
	keywords []string
}

var (
	errRecentFlag     = errors.New(`\Recent cannot be stored: the server sets it (RFC 3501 section 2.3.2)`)
	errUnknownSysFlag = errors.New("unknown system flag")
)

// parseFlags sorts a flag list from STORE or APPEND. System flags are
// case-insensitive (RFC 3501 section 9 note 2); \Recent and flag extensions
// this server does not define are refused.
func parseFlags(in []string) (parsedFlags, error) {
	var p parsedFlags
	for _, f := range in {
		if strings.HasPrefix(f, `\`) {
			found := false
			for _, sf := range systemFlags {
				if strings.EqualFold(f, sf.name) {
					p.sys |= sf.bit
					found = true
					break
				}
			}
			if found {
				continue
			}
			if strings.EqualFold(f, `\Recent`) {
				return p, errRecentFlag
			}
			return p, errors.New(f + " is not a flag this server defines; keywords do not begin with \\")
		}
		p.keywords = append(p.keywords, f)
	}
	return p, nil
}

// appendFlagNames appends the names of the flags to dst, separated by SP,
// with \Recent last when recent is set.
func (mb *mailbox) appendFlagNames(dst []byte, f flagSet, recent bool) []byte {
	first := true
	sep := func() {
		if !first {
			dst = append(dst, ' ')
		}
		first = false
	}
	for _, sf := range systemFlags {
		if f.sys&sf.bit != 0 {
			sep()
			dst = append(dst, sf.name...)
		}
	}
	for _, k := range f.keywords {
		sep()
		dst = append(dst, mb.keywords[k]...)
	}
	if recent {
		sep()
		dst = append(dst, `\Recent`...)
	}
	return dst
}
