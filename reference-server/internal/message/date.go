package message

import (
	"net/mail"
	"strings"
	"time"
)

// SentDate returns the date of the first Date: header field (RFC 5322
// section 3.6.1), for SEARCH SENTBEFORE, SENTON and SENTSINCE (RFC 3501
// section 6.4.4). The time keeps the field's own zone offset, so its
// Year, Month and Day are the date as written, which is what those keys
// compare ("disregarding time and timezone"). Obsolete forms (two-digit
// years, named zones, comments, no day of week, no seconds) are accepted;
// ok is false when there is no Date field or it cannot be read.
func (m *Message) SentDate() (time.Time, bool) {
	f, ok := findField(m.root.fields, "Date")
	if !ok {
		return time.Time{}, false
	}
	return parseDate(unfold(m.raw, f))
}

// dateLayouts are tried, in order, when net/mail cannot read a date.
var dateLayouts = []string{
	"Mon, 2 Jan 2006 15:04:05 -0700",
	"Mon, 2 Jan 2006 15:04:05 MST",
	"Mon, 2 Jan 2006 15:04 -0700",
	"2 Jan 2006 15:04:05 -0700",
	"2 Jan 2006 15:04:05 MST",
	"2 Jan 2006 15:04 -0700",
	"Mon, 2 Jan 06 15:04:05 -0700",
	"2 Jan 06 15:04:05 -0700",
	"Mon, 2 Jan 2006 15:04:05",
	"2 Jan 2006 15:04:05",
	"Mon, 2 Jan 2006",
	"2 Jan 2006",
}

// parseDate reads an RFC 5322 date-time, leniently.
func parseDate(v string) (time.Time, bool) {
	if t, err := mail.ParseDate(v); err == nil {
		return t, true
	}
	// Remove comments, collapse white space, and try the layouts.
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		if v[i] == '(' {
			i = skipComment(v, i) - 1
			b.WriteByte(' ')
			continue
		}
		b.WriteByte(v[i])
	}
	s := strings.Join(strings.Fields(b.String()), " ")
	s = strings.TrimSuffix(strings.TrimSpace(s), " UT")
	for _, layout := range dateLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			if t.Year() < 100 {
				// Two-digit year (RFC 5322 section 4.3).
				if t.Year() < 50 {
					t = t.AddDate(2000, 0, 0)
				} else {
					t = t.AddDate(1900, 0, 0)
				}
			}
			return t, true
		}
	}
	return time.Time{}, false
}
