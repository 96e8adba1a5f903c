package message

import (
	"strconv"
	"strings"
	"time"
)

// SentDate returns the date of the first Date: header field (RFC 5322
// section 3.6.1), for SEARCH SENTBEFORE, SENTON and SENTSINCE (RFC 3501
// section 6.4.4). The time keeps the field's own zone offset, so its
// Year, Month and Day are the date as written, which is what those keys
// compare ("disregarding time and timezone"). The obsolete forms of RFC
// 5322 section 4.3 are accepted: two- and three-digit years, named and
// military zones, comments, folding white space, no day of week, no
// seconds. ok is false when there is no Date field or it cannot be read.
func (m *Message) SentDate() (time.Time, bool) {
	f, ok := findField(m.root.fields, "Date")
	if !ok {
		return time.Time{}, false
	}
	return parseDate(unfold(m.raw, f))
}

// obsoleteZones are the named zones of RFC 5322 section 4.3 (obs-zone).
var obsoleteZones = map[string]string{
	"UT": "+0000", "GMT": "+0000", "Z": "+0000",
	"EST": "-0500", "EDT": "-0400",
	"CST": "-0600", "CDT": "-0500",
	"MST": "-0700", "MDT": "-0600",
	"PST": "-0800", "PDT": "-0700",
}

// dateLayouts are the date-time forms tried after normalisation: optional
// day of week, optional seconds, optional zone.
var dateLayouts = []string{
	"Mon, 2 Jan 2006 15:04:05 -0700",
	"Mon, 2 Jan 2006 15:04 -0700",
	"2 Jan 2006 15:04:05 -0700",
	"2 Jan 2006 15:04 -0700",
	"Mon, 2 Jan 2006 15:04:05",
	"Mon, 2 Jan 2006 15:04",
	"2 Jan 2006 15:04:05",
	"2 Jan 2006 15:04",
	"Mon, 2 Jan 2006",
	"2 Jan 2006",
}

// parseDate reads an RFC 5322 date-time (section 3.3), leniently.
func parseDate(v string) (time.Time, bool) {
	// Comments become white space; white space is collapsed, and a comma
	// is followed by one space ("Mon,7 Feb" is "Mon, 7 Feb").
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		switch v[i] {
		case '(':
			i = skipComment(v, i) - 1
			b.WriteByte(' ')
		case ',':
			b.WriteString(", ")
		default:
			b.WriteByte(v[i])
		}
	}
	words := strings.Fields(b.String())
	if len(words) < 3 || len(words) > 7 {
		return time.Time{}, false
	}
	// The year follows the month: its position depends on the day of week.
	yearAt := 2
	if strings.HasSuffix(words[0], ",") {
		yearAt = 3
	}
	if yearAt < len(words) {
		// RFC 5322 section 4.3: a two-digit year below 50 is 20YY, other
		// two- and three-digit years are 1900 + YY(Y).
		if y, err := strconv.Atoi(words[yearAt]); err == nil && len(words[yearAt]) <= 3 {
			if len(words[yearAt]) == 2 && y < 50 {
				y += 2000
			} else {
				y += 1900
			}
			words[yearAt] = strconv.Itoa(y)
		}
	}
	if last := words[len(words)-1]; len(words) > yearAt+2 && isAlpha(last) {
		zone, known := obsoleteZones[strings.ToUpper(last)]
		if !known {
			zone = "-0000" // military and unknown zones (RFC 5322 section 4.3)
		}
		words[len(words)-1] = zone
	}
	s := strings.Join(words, " ")
	for _, layout := range dateLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

func isAlpha(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i] | 0x20; c < 'a' || c > 'z' {
			return false
		}
	}
	return s != ""
}
