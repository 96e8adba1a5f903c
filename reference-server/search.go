package referenceserver

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/imapgauge/imapgauge/reference-server/internal/command"
)

// searchCharsets lists the charsets SEARCH accepts, for BADCHARSET.
const searchCharsets = "US-ASCII UTF-8"

// cmdSearch implements SEARCH and UID SEARCH (RFC 3501 sections 6.4.4 and
// 6.4.8). Strings are matched as case-insensitive substrings, in US-ASCII
// (the default) or UTF-8; another CHARSET gets NO [BADCHARSET]. Date keys
// compare dates only: the internal date as a date in the server's time zone,
// the Date: header as the date written in it.
func (sess *session) cmdSearch(cmd *command.Command) error {
	v := sess.view
	charset := strings.ToUpper(cmd.Charset)
	switch charset {
	case "", "US-ASCII", "UTF-8":
	default:
		return errNo("BADCHARSET ("+searchCharsets+")", "Charset %s is not supported", cmd.Charset)
	}
	s := &searcher{v: v, location: time.Local}
	if err := s.prepare(cmd.Search, charset); err != nil {
		return err
	}
	mb := v.mb
	mb.mu.RLock()
	s.flags = make([]flagSet, len(v.msgs))
	for i, m := range v.msgs {
		s.flags[i] = m.flags
	}
	s.keywords = append([]string(nil), mb.keywords...)
	mb.mu.RUnlock()

	sess.out = append(sess.out, "* SEARCH"...)
	for i, m := range v.msgs {
		if s.matchAll(cmd.Search, i) {
			sess.out = append(sess.out, ' ')
			if cmd.UID {
				sess.out = strconv.AppendUint(sess.out, uint64(m.uid), 10)
			} else {
				sess.out = strconv.AppendInt(sess.out, int64(i+1), 10)
			}
		}
	}
	sess.out = append(sess.out, "\r\n"...)
	return nil
}

// searcher evaluates search keys against the messages of a view.
type searcher struct {
	v        *view
	location *time.Location
	flags    []flagSet // snapshot, by view index
	keywords []string
	sets     map[*command.SearchKey][]bool
	text     map[*command.SearchKey]string
}

// prepare checks the strings against the charset and resolves the sequence
// sets of the keys.
func (s *searcher) prepare(keys []*command.SearchKey, charset string) *statusError {
	s.sets = map[*command.SearchKey][]bool{}
	s.text = map[*command.SearchKey]string{}
	var walk func(k *command.SearchKey) *statusError
	walk = func(k *command.SearchKey) *statusError {
		switch k.Key {
		case "SEQ", "UID":
			s.sets[k] = s.v.inSet(k.Set, k.Key == "UID")
		case "BCC", "BODY", "CC", "FROM", "HEADER", "SUBJECT", "TEXT", "TO":
			if charset == "UTF-8" {
				if !utf8.Valid(k.Value) {
					return errBad("%s search string is not valid UTF-8", k.Key)
				}
			} else {
				for _, c := range k.Value {
					if c >= 0x80 {
						return errBad("%s search string has 8-bit octets but the charset is US-ASCII; say CHARSET UTF-8", k.Key)
					}
				}
			}
			s.text[k] = string(k.Value)
		}
		for _, sub := range k.Sub {
			if err := walk(sub); err != nil {
				return err
			}
		}
		return nil
	}
	for _, k := range keys {
		if err := walk(k); err != nil {
			return err
		}
	}
	return nil
}

func (s *searcher) matchAll(keys []*command.SearchKey, i int) bool {
	for _, k := range keys {
		if !s.match(k, i) {
			return false
		}
	}
	return true
}

// dayNumber orders dates: year, month and day of t in its own location.
func dayNumber(t time.Time) int {
	y, m, d := t.Date()
	return y*10000 + int(m)*100 + d
}

func (s *searcher) hasKeyword(f flagSet, kw string) bool {
	for _, k := range f.keywords {
		if strings.EqualFold(s.keywords[k], kw) {
			return true
		}
	}
	return false
}

// match evaluates one key for the message at view index i (RFC 3501
// section 6.4.4).
func (s *searcher) match(k *command.SearchKey, i int) bool {
	m := s.v.msgs[i]
	f := s.flags[i]
	switch k.Key {
	case "ALL":
		return true
	case "AND":
		return s.matchAll(k.Sub, i)
	case "NOT":
		return !s.match(k.Sub[0], i)
	case "OR":
		return s.match(k.Sub[0], i) || s.match(k.Sub[1], i)
	case "SEQ", "UID":
		return s.sets[k][i]
	case "ANSWERED":
		return f.sys&flagAnswered != 0
	case "UNANSWERED":
		return f.sys&flagAnswered == 0
	case "DELETED":
		return f.sys&flagDeleted != 0
	case "UNDELETED":
		return f.sys&flagDeleted == 0
	case "DRAFT":
		return f.sys&flagDraft != 0
	case "UNDRAFT":
		return f.sys&flagDraft == 0
	case "FLAGGED":
		return f.sys&flagFlagged != 0
	case "UNFLAGGED":
		return f.sys&flagFlagged == 0
	case "SEEN":
		return f.sys&flagSeen != 0
	case "UNSEEN":
		return f.sys&flagSeen == 0
	case "RECENT":
		return s.v.isRecent(m)
	case "OLD":
		return !s.v.isRecent(m)
	case "NEW":
		return s.v.isRecent(m) && f.sys&flagSeen == 0
	case "KEYWORD":
		return s.hasKeyword(f, k.Flag)
	case "UNKEYWORD":
		return !s.hasKeyword(f, k.Flag)
	case "LARGER":
		return int64(m.size()) > int64(k.Number)
	case "SMALLER":
		return int64(m.size()) < int64(k.Number)
	case "BEFORE":
		return dayNumber(m.date.In(s.location)) < dayNumber(k.Date)
	case "ON":
		return dayNumber(m.date.In(s.location)) == dayNumber(k.Date)
	case "SINCE":
		return dayNumber(m.date.In(s.location)) >= dayNumber(k.Date)
	case "SENTBEFORE", "SENTON", "SENTSINCE":
		sent, ok := m.analysis().SentDate()
		if !ok {
			return false
		}
		d, want := dayNumber(sent), dayNumber(k.Date)
		switch k.Key {
		case "SENTBEFORE":
			return d < want
		case "SENTON":
			return d == want
		}
		return d >= want
	case "BCC", "CC", "FROM", "SUBJECT", "TO":
		return m.analysis().HeaderContains(k.Key, s.text[k])
	case "HEADER":
		return m.analysis().HeaderContains(k.Field, s.text[k])
	case "BODY":
		return m.analysis().BodyContains(s.text[k])
	case "TEXT":
		return m.analysis().TextContains(s.text[k])
	}
	return false
}
