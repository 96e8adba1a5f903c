package message

import (
	"fmt"
	"testing"
	"time"
)

// TestSearch checks the SEARCH text keys of RFC 3501 section 6.4.4 on the
// corpus: case-insensitive substring matching on UTF-8 text, header values
// with their encoded words decoded, bodies decoded from their transfer
// encoding and charset.
func TestSearch(t *testing.T) {
	type key int
	const (
		header key = iota
		body
		text
	)
	tests := []struct {
		msg    string
		key    key
		field  string
		substr string
		want   bool
	}{
		// HEADER / FROM / TO / CC / BCC / SUBJECT.
		{"plain", header, "Subject", "weekly", true},
		{"plain", header, "subject", "STATUS", true},
		{"plain", header, "Subject", "monthly", false},
		{"plain", header, "From", "alice@example.org", true},
		{"plain", header, "Cc", "Dave, Jr.", true},
		{"plain", header, "Bcc", "alice", false},
		{"plain", header, "Received", "by mx.example.net with", true},            // unfolded
		{"encoded-words", header, "From", "Keld Jørn", true},                     // RFC 2047 Q, ISO-8859-1
		{"encoded-words", header, "From", "KELD JØRN", true},                     // case-insensitive beyond ASCII
		{"encoded-words", header, "Subject", "you understand the example", true}, // adjacent words joined
		{"encoded-words", header, "X-Mixed", "café and Пришвет", false},
		{"encoded-words", header, "X-Mixed", "plain café and Привет", true}, // UTF-8 and KOI8-R words
		{"encoded-words", header, "Cc", "André Pirard", true},
		{"alternative", header, "Subject", "Réunion", true}, // RFC 2047 B, UTF-8
		{"alternative", header, "subject", "=?UTF-8?B?", false},
		{"latin1", header, "From", "Jürgen", true},
		{"groups", header, "To", "undisclosed", true},
		{"missing-headers", header, "Subject", "x", false},
		// SEARCH HEADER field "" matches any message with the field.
		{"missing-headers", header, "X-Note", "", true},
		{"missing-headers", header, "From", "", false},
		{"plain", header, "message-id", "", true},
		// BODY.
		{"plain", body, "", "GREEN THIS WEEK", true},
		{"plain", body, "", "Weekly status", false}, // that is the header
		{"plain", body, "", "", true},
		{"alternative", body, "", "réunion de lancement demain à 10h", true}, // quoted-printable UTF-8
		{"alternative", body, "", "coupée en deux", true},                    // soft line break
		{"alternative", body, "", "=C3=A9", false},
		{"qp-base64", body, "", "Grüße aus Köln", true}, // quoted-printable ISO-8859-1
		{"qp-base64", body, "", "soft break joined", true},
		{"qp-base64", body, "", "ελληνικά", true},   // base64 UTF-8, case folded
		{"latin1", body, "", "SCHÖNE GRÜSSE", true}, // full case folding: ß is ss
		{"latin1", body, "", "grüße aus berlin", false},
		{"latin1", body, "", "schöne grüße aus münchen", true}, // 8bit ISO-8859-1
		{"mixed-attachments", body, "", "quarterly report attached", true},
		{"mixed-attachments", body, "", "fake pdf body", false},                // application/pdf is not text
		{"mixed-attachments", body, "", "iVBORw0KGgo", false},                  // nor an image
		{"mixed-attachments", body, "", "This is a multi-part message", false}, // preamble
		{"mixed-attachments", body, "", "report.pdf", false},                   // MIME header, not body text
		{"nested", body, "", "part 4.2.2.2", true},                             // deep inside encapsulated messages
		{"nested", body, "", "part 3 message", true},                           // header of an encapsulated message
		{"nested", body, "", "RFC 3501 part numbering", false},                 // the message's own header
		{"digest", body, "", "second digest entry", true},
		{"rfc822-attached", body, "", "rent,1000", true},
		{"bare-lf", body, "", "café", true},
		{"empty-body", body, "", "x", false},
		{"broken-boundary", body, "", "never used", false}, // no parts
		{"no-mime", body, "", "second line", true},
		// TEXT: header or body.
		{"plain", text, "", "weekly status", true},
		{"plain", text, "", "green this week", true},
		{"plain", text, "", "subject: weekly", true},
		{"plain", text, "", "absent everywhere", false},
		{"mixed-attachments", text, "", "report.pdf", true}, // MIME headers count for TEXT
		{"nested", text, "", "text/richtext", true},
		{"encoded-words", text, "", "keith moore", true},
	}
	for _, tt := range tests {
		name := fmt.Sprintf("%s/%d/%s/%s", tt.msg, tt.key, tt.field, tt.substr)
		t.Run(name, func(t *testing.T) {
			m := corpusMessage(t, tt.msg)
			var got bool
			switch tt.key {
			case header:
				got = m.HeaderContains(tt.field, tt.substr)
			case body:
				got = m.BodyContains(tt.substr)
			case text:
				got = m.TextContains(tt.substr)
			}
			if got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestHeaderExists(t *testing.T) {
	m := corpusMessage(t, "missing-headers")
	for field, want := range map[string]bool{"X-Note": true, "x-note": true, "TO": true, "From": false, "Date": false, "X-Not": false} {
		if got := m.HeaderExists(field); got != want {
			t.Errorf("HeaderExists(%q) = %v, want %v", field, got, want)
		}
	}
}

// TestSentDate covers RFC 5322 section 3.3 dates and their obsolete forms
// (section 4.3), as SENTBEFORE/SENTON/SENTSINCE need them.
func TestSentDate(t *testing.T) {
	tests := []struct {
		date string
		want string // RFC 3339, or "" for no date
	}{
		{"Mon, 7 Feb 1994 21:52:25 -0800", "1994-02-07T21:52:25-08:00"},
		{"Mon, 7 Feb 1994 21:52:25 -0800 (PST)", "1994-02-07T21:52:25-08:00"},
		{"7 Feb 1994 21:52:25 +0100", "1994-02-07T21:52:25+01:00"},
		{"Tue, 1 Apr 2025 09:30 +0200", "2025-04-01T09:30:00+02:00"},
		{"5 Apr 2025 12:00 GMT", "2025-04-05T12:00:00Z"},
		{"Sun, 06 Nov 94 08:49:37 GMT", "1994-11-06T08:49:37Z"},
		{"Thu, 1 Jan 70 00:00:00 +0000", "1970-01-01T00:00:00Z"},
		{"Wed, 31 Dec 25 23:59:59 -0000", "2025-12-31T23:59:59Z"},
		{"  Mon,\t7 Feb  1994   21:52:25 -0800 ", "1994-02-07T21:52:25-08:00"},
		{"Mon, 7 Feb 1994", "1994-02-07T00:00:00Z"},
		{"Sun, 06 Nov 55 08:49:37 GMT", "1955-11-06T08:49:37Z"},    // RFC 5322 section 4.3: 50-99 are 19YY
		{"6 Nov 49 08:49:37 +0000", "2049-11-06T08:49:37Z"},        // and 00-49 are 20YY
		{"6 Nov 103 08:49:37 +0000", "2003-11-06T08:49:37Z"},       // three digits: 1900 + YYY
		{"Fri, 4 Apr 2025 17:45 EST", "2025-04-04T17:45:00-05:00"}, // obs-zone
		{"4 Apr 2025 17:45 pdt", "2025-04-04T17:45:00-07:00"},
		{"4 Apr 2025 17:45:00 Q", "2025-04-04T17:45:00Z"}, // military zone: -0000
		{"Fri,4 Apr 2025 17:45 +0100", "2025-04-04T17:45:00+01:00"},
		{"fri, 4 APR 2025 17:45 +0100", "2025-04-04T17:45:00+01:00"},
		{"4 Apr 2025 9:05 +0100", "2025-04-04T09:05:00+01:00"},
		{"4 Smarch 2025 17:45 +0100", ""},
		{"32 Apr 2025 17:45 +0100", ""},
		{"yesterday", ""},
		{"", ""},
	}
	for _, tt := range tests {
		m := Parse([]byte("Date: " + tt.date + "\r\n\r\n"))
		got, ok := m.SentDate()
		switch {
		case tt.want == "" && ok:
			t.Errorf("SentDate(%q) = %v, want none", tt.date, got)
		case tt.want == "":
		case !ok:
			t.Errorf("SentDate(%q): none, want %s", tt.date, tt.want)
		case !got.Equal(mustTime(t, tt.want)) || got.Format(time.RFC3339) != tt.want:
			t.Errorf("SentDate(%q) = %s, want %s", tt.date, got.Format(time.RFC3339), tt.want)
		}
	}
	if _, ok := corpusMessage(t, "missing-headers").SentDate(); ok {
		t.Error("SentDate without a Date field reported a date")
	}
	// The date as written, not as converted to UTC, is what SENTON compares.
	d, _ := Parse([]byte("Date: Mon, 7 Feb 1994 23:30:00 -0800\r\n\r\n")).SentDate()
	if y, mo, day := d.Date(); y != 1994 || mo != time.February || day != 7 {
		t.Errorf("date as written = %d-%d-%d, want 1994-2-7", y, mo, day)
	}
}

func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}
