package rfc3501

import (
	"fmt"
	"strings"
	"time"

	"github.com/imapgauge/imapgauge/conformance"
	"github.com/imapgauge/imapgauge/conformance/fault"
)

// The date keys of SEARCH compare a date "disregarding time and timezone"
// (RFC 3501 section 6.4.4), which leaves open in which zone the date of an
// instant is taken: the zone written with it, the server's own, UTC.
// Dovecot and the reference server take the internal date in the server's
// zone and the Date: header in its own. So the cases here do not fix one
// reading: for each message they work out every date a server could read
// (the date as written, or the date in any zone from -12:00 to +14:00) and
// require that one of them explains every answer the server gave about
// that message, for every key and date asked. A BEFORE that includes its
// date, an ON that matches two days, a SINCE that excludes its date, or a
// key compared with the wrong date field, is explained by none.

// keyDateLayout is the layout of date-text in a search key (section 9, date).
const keyDateLayout = "2-Jan-2006"

// appendTimeLayout is the layout of APPEND's date-time (section 9, date-time).
const appendTimeLayout = "02-Jan-2006 15:04:05 -0700"

// dateHeaderLayout is the layout of the Date: headers the cases write.
const dateHeaderLayout = "Mon, 02 Jan 2006 15:04:05 -0700"

// dateReadings returns the calendar dates (as UTC midnights) a server may
// take as the date of at: the date as written in at's own zone, and the
// date of the instant in any time zone from -12:00 to +14:00.
func dateReadings(at time.Time) []time.Time {
	var out []time.Time
	seen := map[time.Time]bool{}
	add := func(t time.Time) {
		d := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
		if !seen[d] {
			seen[d] = true
			out = append(out, d)
		}
	}
	add(at)
	for off := -12 * time.Hour; off <= 14*time.Hour; off += 15 * time.Minute {
		add(at.UTC().Add(off))
	}
	return out
}

// dateKeyMatches says whether a message read as date d matches key
// (BEFORE, ON, SINCE, or their SENT forms) with the date x.
func dateKeyMatches(key string, d, x time.Time) bool {
	switch strings.TrimPrefix(key, "SENT") {
	case "BEFORE":
		return d.Before(x)
	case "ON":
		return d.Equal(x)
	default: // SINCE
		return !d.Before(x)
	}
}

// datedMessage is a message whose date a case checks: the instant as
// written, in its own zone (the internal date or the Date: header).
type datedMessage struct {
	seq uint32
	at  time.Time
}

// fixedTime parses a date in layout; the cases' dates are constants.
func fixedTime(layout, value string) time.Time {
	t, err := time.Parse(layout, value)
	if err != nil {
		panic(fmt.Sprintf("date %q: %v", value, err))
	}
	return t
}

// checkDateKeys runs SEARCH key date for every key and date and fails the
// case unless, for each message, one of its date readings explains every
// answer. dates are in date-text form ("2-Jan-2020").
func checkDateKeys(t *conformance.T, s *conformance.Session, keys, dates []string, msgs []datedMessage) {
	type query struct {
		key string
		x   time.Time
	}
	var queries []query
	found := map[query]map[uint32]bool{}
	for _, key := range keys {
		for _, date := range dates {
			q := query{key, fixedTime(keyDateLayout, date)}
			nums, _ := searchNums(s, "SEARCH "+key+" "+date)
			found[q] = map[uint32]bool{}
			for _, n := range nums {
				found[q][n] = true
			}
			queries = append(queries, q)
		}
	}
	show := func(matched func(q query) bool) string {
		var yes []string
		for _, q := range queries {
			if matched(q) {
				yes = append(yes, q.key+" "+q.x.Format(keyDateLayout))
			}
		}
		if len(yes) == 0 {
			return "no key matches"
		}
		return "matches " + strings.Join(yes, ", ")
	}
	for _, m := range msgs {
		readings := dateReadings(m.at)
		explained := false
		for _, d := range readings {
			ok := true
			for _, q := range queries {
				if dateKeyMatches(q.key, d, q.x) != found[q][m.seq] {
					ok = false
					break
				}
			}
			if ok {
				explained = true
				break
			}
		}
		if explained {
			continue
		}
		var expected []string
		for _, d := range readings {
			expected = append(expected, fmt.Sprintf("read as %s: %s", d.Format(keyDateLayout),
				show(func(q query) bool { return dateKeyMatches(q.key, d, q.x) })))
		}
		t.Mismatch(expected, fmt.Sprintf("message %d (%s) %s", m.seq, m.at.Format(appendTimeLayout), show(func(q query) bool { return found[q][m.seq] })),
			"SEARCH date keys: no single date of message %d, in any time zone, explains the answers", m.seq)
	}
}

// corpusDates returns the internal dates of searchCorpus.
func corpusDates() []datedMessage {
	out := make([]datedMessage, len(searchCorpus))
	for i, m := range searchCorpus {
		out[i] = datedMessage{seq: uint32(i + 1), at: fixedTime(appendTimeLayout, m.date)}
	}
	return out
}

// sentCorpus has Date: headers on the days of searchCorpus's internal dates
// (1, 5, 10, 15 and 20 March 2021, noon UTC) but internal dates in April in
// the reverse order, so that a SENT* key compared with the internal date
// finds other messages.
var sentCorpus = func() []seedMessage {
	days := []int{1, 5, 10, 15, 20}
	out := make([]seedMessage, len(days))
	for i, d := range days {
		sent := time.Date(2021, time.March, d, 12, 0, 0, 0, time.UTC)
		received := time.Date(2021, time.April, 25-i, 12, 0, 0, 0, time.UTC)
		out[i] = seedMessage{date: received.Format(appendTimeLayout), text: buildMessage(fmt.Sprintf("Sent on %d March.\n", d),
			"From: sender@example.org", "To: receiver@example.org",
			fmt.Sprintf("Subject: sent %d March", d),
			"Date: "+sent.Format(dateHeaderLayout))}
	}
	return out
}()

// sentDates returns the Date: headers of sentCorpus.
func sentDates() []datedMessage {
	out := make([]datedMessage, len(sentCorpus))
	for i := range sentCorpus {
		out[i] = datedMessage{seq: uint32(i + 1), at: time.Date(2021, time.March, []int{1, 5, 10, 15, 20}[i], 12, 0, 0, 0, time.UTC)}
	}
	return out
}

// zoneTimes are instants whose date differs between their own zone and
// UTC, in both directions, and at the far ends of the zones in use.
var zoneTimes = []string{
	"01-Jan-2020 23:30:00 -0500", // 2 January in UTC
	"02-Jan-2020 00:30:00 +0100", // 1 January in UTC
	"01-Jan-2020 12:00:00 +1400", // 31 December in UTC
	"01-Jan-2020 12:00:00 -1200", // 2 January in UTC, at midnight
	"01-Jan-2020 12:00:00 +0000", // 1 January in every zone up to +11:59
}

// zoneDates are the dates the zone cases ask about: every reading of
// zoneTimes and a day on each side.
var zoneDates = []string{"31-Dec-2019", "1-Jan-2020", "2-Jan-2020", "3-Jan-2020"}

// searchDateCases check the date keys of RFC 3501 section 6.4.4.
func searchDateCases() []conformance.Case {
	const before = "BEFORE <date>\nMessages whose internal date (disregarding time and timezone)\nis earlier than the specified date."
	const on = "ON <date>\nMessages whose internal date (disregarding time and timezone)\nis within the specified date."
	const since = "SINCE <date>\nMessages whose internal date (disregarding time and timezone)\nis within or later than the specified date."
	const sentbefore = "SENTBEFORE <date>\nMessages whose [RFC-2822] Date: header (disregarding time and\ntimezone) is earlier than the specified date."
	const senton = "SENTON <date>\nMessages whose [RFC-2822] Date: header (disregarding time and\ntimezone) is within the specified date."
	const sentsince = "SENTSINCE <date>\nMessages whose [RFC-2822] Date: header (disregarding time and\ntimezone) is within or later than the specified date."
	internal := func(keys []string, dates ...string) func(t *conformance.T) {
		return func(t *conformance.T) {
			b := seedAndSelect(t, searchCorpus...)
			b.requireDates()
			checkDateKeys(t, b.s, keys, dates, corpusDates())
		}
	}
	sent := func(keys []string, dates ...string) func(t *conformance.T) {
		return func(t *conformance.T) {
			b := seedAndSelect(t, sentCorpus...)
			checkDateKeys(t, b.s, keys, dates, sentDates())
		}
	}
	zones := func(keys []string, header bool) func(t *conformance.T) {
		return func(t *conformance.T) {
			var msgs []seedMessage
			var dated []datedMessage
			for i, z := range zoneTimes {
				at := fixedTime(appendTimeLayout, z)
				m := seedMessage{text: buildMessage("Dated across time zones.\n", "From: sender@example.org",
					fmt.Sprintf("Subject: zone %d", i+1), "Date: "+at.Format(dateHeaderLayout))}
				if header {
					// The internal date is far away, so that it cannot
					// stand in for the Date: header.
					m.date = "15-Jun-2020 12:00:00 +0000"
				} else {
					m.date = z
				}
				msgs = append(msgs, m)
				dated = append(dated, datedMessage{seq: uint32(i + 1), at: at})
			}
			b := seedAndSelect(t, msgs...)
			if !header {
				b.requireDates()
			}
			checkDateKeys(t, b.s, keys, zoneDates, dated)
		}
	}
	dateCase := func(name, title, sentence string, run func(t *conformance.T), faults ...fault.Fault) conformance.Case {
		return conformance.Case{Name: name, Title: title, Level: conformance.Must, Sentence: sentence,
			Commands: []string{"SEARCH"}, Responses: []string{"SEARCH"}, Faults: faults, Run: run}
	}
	return []conformance.Case{
		dateCase("search-before-internal-date", "SEARCH BEFORE finds messages received before the date, not on it",
			before, internal([]string{"BEFORE"}, "6-Mar-2021", "10-Mar-2021", "12-Mar-2021"),
			onSearchLine("BEFORE includes its date", "BEFORE 10-Mar-2021", "BEFORE 12-Mar-2021"),
			onSearchLine("BEFORE read as SINCE", "BEFORE", "SINCE")),
		dateCase("search-on-internal-date", "SEARCH ON finds the messages received on the date",
			on, internal([]string{"ON"}, "5-Mar-2021", "6-Mar-2021", "10-Mar-2021", "11-Mar-2021"),
			onSearchLine("ON read as SINCE", "ON", "SINCE"),
			onSearchLine("ON matches the day before too", "ON 11-Mar-2021", "OR ON 10-Mar-2021 ON 11-Mar-2021")),
		dateCase("search-since-internal-date", "SEARCH SINCE finds messages received on or after the date",
			since, internal([]string{"SINCE"}, "3-Mar-2021", "10-Mar-2021", "12-Mar-2021"),
			onSearchLine("SINCE excludes its date", "SINCE 10-Mar-2021", "SINCE 12-Mar-2021"),
			onSearchLine("SINCE read as BEFORE", "SINCE", "BEFORE")),
		dateCase("search-internal-date-keys-agree-across-zones", "BEFORE, ON and SINCE read each internal date as one day, whatever its zone",
			"BEFORE / ON / SINCE <date>\nMessages whose internal date (disregarding time and timezone)\nis earlier than / within / within or later than the specified date.",
			zones([]string{"BEFORE", "ON", "SINCE"}, false),
			onSearchLine("BEFORE includes its date", "BEFORE 1-Jan-2020", "BEFORE 2-Jan-2020"),
			onSearchLine("ON off by one day", "ON 2-Jan-2020", "ON 1-Jan-2020")),
		dateCase("search-date-forms-equivalent", "A search date may have a one-digit day, any case of month, and quotes",
			"date = date-text / DQUOTE date-text DQUOTE\ndate-day = 1*2DIGIT\ndate-text = date-day \"-\" date-month \"-\" date-year",
			func(t *conformance.T) {
				b := seedAndSelect(t, searchCorpus...)
				b.requireDates()
				for _, form := range []string{"5-Mar-2021", "05-Mar-2021", `"5-Mar-2021"`, "05-MAR-2021"} {
					// Messages 2 to 5 were received on 5 March or later
					// in any time zone, message 1 on 2 March at the
					// latest.
					expectSearch(t, b.s, "SEARCH SINCE "+form, 2, 3, 4, 5)
				}
			},
			onSearchLine("quoted date refused", `"5-Mar-2021"`, `"5-Mar-2021`),
			onSearchLine("one-digit day misread", "SINCE 5-Mar-2021", "SINCE 15-Mar-2021")),
		{
			Name:      "search-date-wrong-format-bad",
			Title:     "A search date in another format is a BAD",
			Level:     conformance.Must,
			Sentence:  "date-text = date-day \"-\" date-month \"-\" date-year\nBAD - command unknown or arguments invalid",
			Commands:  []string{"SEARCH"},
			Responses: []string{"BAD"},
			Faults: []fault.Fault{
				fault.RewriteResponse("ISO date accepted", "SEARCH", `^(\S+) BAD .*\r\n$`, "* SEARCH\r\n$1 OK SEARCH completed\r\n"),
			},
			Run: func(t *conformance.T) {
				b := seedAndSelect(t, numberedMessages(1)...)
				b.s.Tx("BAD", "SEARCH SINCE 2021-03-05")
			},
		},
		dateCase("search-sentbefore-date-header", "SEARCH SENTBEFORE compares the Date: header, excluding its date",
			sentbefore, sent([]string{"SENTBEFORE"}, "6-Mar-2021", "10-Mar-2021", "12-Mar-2021"),
			onSearchLine("SENTBEFORE read as BEFORE", "SENTBEFORE", "BEFORE"),
			onSearchLine("SENTBEFORE includes its date", "SENTBEFORE 10-Mar-2021", "SENTBEFORE 12-Mar-2021")),
		dateCase("search-senton-date-header", "SEARCH SENTON finds the messages whose Date: header is on the date",
			senton, sent([]string{"SENTON"}, "5-Mar-2021", "6-Mar-2021", "10-Mar-2021", "11-Mar-2021"),
			onSearchLine("SENTON read as ON", "SENTON", "ON"),
			onSearchLine("SENTON read as SENTSINCE", "SENTON", "SENTSINCE")),
		dateCase("search-sentsince-date-header", "SEARCH SENTSINCE compares the Date: header, including its date",
			sentsince, sent([]string{"SENTSINCE"}, "3-Mar-2021", "10-Mar-2021", "12-Mar-2021"),
			onSearchLine("SENTSINCE read as SINCE", "SENTSINCE", "SINCE"),
			onSearchLine("SENTSINCE excludes its date", "SENTSINCE 10-Mar-2021", "SENTSINCE 12-Mar-2021")),
		dateCase("search-sent-date-keys-agree-across-zones", "SENTBEFORE, SENTON and SENTSINCE read each Date: header as one day, whatever its zone",
			"SENTBEFORE / SENTON / SENTSINCE <date>\nMessages whose [RFC-2822] Date: header (disregarding time and\ntimezone) is earlier than / within / within or later than the specified date.",
			zones([]string{"SENTBEFORE", "SENTON", "SENTSINCE"}, true),
			onSearchLine("SENTBEFORE includes its date", "SENTBEFORE 1-Jan-2020", "SENTBEFORE 2-Jan-2020"),
			onSearchLine("SENTON read as ON", "SENTON", "ON")),
	}
}
