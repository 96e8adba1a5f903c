package message

import (
	"fmt"
	"testing"
)

// TestSection checks BODY[section] octets (RFC 3501 section 6.4.5) on the
// corpus. The "nested" message has the structure of the section 6.4.5
// example, so its part numbers are the RFC's own.
func TestSection(t *testing.T) {
	const none = "\x00no such part"
	tests := []struct {
		msg  string
		spec SectionSpec
		want string
	}{
		// RFC 3501 section 6.4.5 example numbering.
		{"nested", SectionSpec{Part: []int{1}}, "part 1 text"},
		{"nested", SectionSpec{Part: []int{2}}, "AAECAwQFBgcICQ=="},
		{"nested", SectionSpec{Part: []int{3}, Specifier: "HEADER"}, "From: inner3@example.com\r\nSubject: part 3 message\r\nMessage-ID: <inner3@example.com>\r\nMIME-Version: 1.0\r\nContent-Type: MULTIPART/MIXED; boundary=\"b3\"\r\n\r\n"},
		{"nested", SectionSpec{Part: []int{3, 1}}, "part 3.1 text"},
		{"nested", SectionSpec{Part: []int{3, 2}}, "binary-ish 3.2"},
		{"nested", SectionSpec{Part: []int{3, 2}, Specifier: "MIME"}, "Content-Type: APPLICATION/OCTET-STREAM\r\n\r\n"},
		{"nested", SectionSpec{Part: []int{4, 1}}, "R0lGODlhAQABAAAAACw="},
		{"nested", SectionSpec{Part: []int{4, 1}, Specifier: "MIME"}, "Content-Type: IMAGE/GIF\r\nContent-Transfer-Encoding: base64\r\n\r\n"},
		{"nested", SectionSpec{Part: []int{4, 2}, Specifier: "HEADER.FIELDS", Fields: []string{"subject", "TO"}}, "To: someone@example.com\r\nSubject: part 4.2 message\r\n\r\n"},
		{"nested", SectionSpec{Part: []int{4, 2, 1}}, "part 4.2.1 text"},
		{"nested", SectionSpec{Part: []int{4, 2, 2}, Specifier: "MIME"}, "Content-Type: MULTIPART/ALTERNATIVE; boundary=\"b422\"\r\n\r\n"},
		{"nested", SectionSpec{Part: []int{4, 2, 2, 1}}, "part 4.2.2.1 plain"},
		{"nested", SectionSpec{Part: []int{4, 2, 2, 2}}, "part 4.2.2.2 <bold>rich</bold>"},
		{"nested", SectionSpec{Part: []int{4, 2}, Specifier: "TEXT"}, "--b42\r\nContent-Type: TEXT/PLAIN\r\n\r\npart 4.2.1 text\r\n--b42\r\nContent-Type: MULTIPART/ALTERNATIVE; boundary=\"b422\"\r\n\r\n--b422\r\nContent-Type: TEXT/PLAIN\r\n\r\npart 4.2.2.1 plain\r\n--b422\r\nContent-Type: TEXT/RICHTEXT\r\n\r\npart 4.2.2.2 <bold>rich</bold>\r\n--b422--\r\n--b42--"},
		// A multipart part's body runs from its header to the delimiter,
		// preamble and epilogue included.
		{"nested", SectionSpec{Part: []int{4}}, "--b4\r\nContent-Type: IMAGE/GIF\r\nContent-Transfer-Encoding: base64\r\n\r\nR0lGODlhAQABAAAAACw=\r\n--b4\r\nContent-Type: MESSAGE/RFC822\r\n\r\nFrom: inner42@example.com\r\nTo: someone@example.com\r\nSubject: part 4.2 message\r\nMIME-Version: 1.0\r\nContent-Type: MULTIPART/MIXED; boundary=\"b42\"\r\n\r\n--b42\r\nContent-Type: TEXT/PLAIN\r\n\r\npart 4.2.1 text\r\n--b42\r\nContent-Type: MULTIPART/ALTERNATIVE; boundary=\"b422\"\r\n\r\n--b422\r\nContent-Type: TEXT/PLAIN\r\n\r\npart 4.2.2.1 plain\r\n--b422\r\nContent-Type: TEXT/RICHTEXT\r\n\r\npart 4.2.2.2 <bold>rich</bold>\r\n--b422--\r\n--b42--\r\n--b4--"},
		// Sections that do not exist.
		{"nested", SectionSpec{Part: []int{5}}, none},
		{"nested", SectionSpec{Part: []int{0}}, none},
		{"nested", SectionSpec{Part: []int{-1}}, none},
		{"nested", SectionSpec{Part: []int{1, 1}}, none},                   // a leaf has no sub-parts
		{"nested", SectionSpec{Part: []int{4, 1, 1}}, none},                // nor does an image
		{"nested", SectionSpec{Part: []int{1}, Specifier: "HEADER"}, none}, // HEADER needs MESSAGE/RFC822
		{"nested", SectionSpec{Part: []int{4}, Specifier: "TEXT"}, none},
		{"nested", SectionSpec{Specifier: "MIME"}, none}, // MIME needs a part number
		{"nested", SectionSpec{Specifier: "BOGUS"}, none},
		// Top-level specifiers.
		{"plain", SectionSpec{Specifier: "HEADER.FIELDS", Fields: []string{"FROM", "to", "X-Absent"}}, "From: Alice Example <alice@example.org>\r\nTo: Bob <bob@example.net>\r\n\r\n"},
		{"plain", SectionSpec{Specifier: "header.fields", Fields: []string{"received"}}, "Received: from mail.example.org (mail.example.org [192.0.2.1])\r\n\tby mx.example.net with ESMTP id 12345\r\n\tfor <bob@example.net>; Mon, 7 Feb 1994 21:52:25 -0800\r\n\r\n"},
		{"plain", SectionSpec{Specifier: "HEADER.FIELDS", Fields: []string{"X-Absent"}}, "\r\n"},
		{"plain", SectionSpec{Specifier: "HEADER.FIELDS.NOT", Fields: []string{"Received", "return-path", "cc", "MIME-Version", "Content-Type", "message-id", "date"}}, "From: Alice Example <alice@example.org>\r\nSubject: Weekly status\r\nTo: Bob <bob@example.net>\r\n\r\n"},
		{"plain", SectionSpec{Specifier: "TEXT"}, "Hello Bob,\r\n\r\nStatus is green this week.\r\n-- \r\nAlice\r\n"},
		// Part 1 of a non-multipart message is its body; 1.MIME its header.
		{"plain", SectionSpec{Part: []int{1}}, "Hello Bob,\r\n\r\nStatus is green this week.\r\n-- \r\nAlice\r\n"},
		{"no-mime", SectionSpec{Part: []int{1}, Specifier: "MIME"}, "From: old@example.com\r\nTo: new@example.com\r\nSubject: No MIME at all\r\nDate: 1 Jan 1990 00:00:00 -0000\r\n\r\n"},
		{"plain", SectionSpec{Part: []int{2}}, none},
		{"plain", SectionSpec{Part: []int{1, 1}}, none},
		// Encapsulated message inside a multipart.
		{"rfc822-attached", SectionSpec{Part: []int{2, 2}, Specifier: "MIME"}, "Content-Type: text/csv; name=\"budget.csv\"\r\nContent-Disposition: attachment; filename=\"budget.csv\"\r\n\r\n"},
		{"rfc822-attached", SectionSpec{Part: []int{2, 2}}, "item,amount\r\nrent,1000"},
		{"rfc822-attached", SectionSpec{Part: []int{2}, Specifier: "HEADER.FIELDS.NOT", Fields: []string{"Date", "From", "To", "Message-ID", "In-Reply-To", "MIME-Version", "Content-Type"}}, "Subject: Budget\r\n\r\n"},
		// A digest's parts default to MESSAGE/RFC822 (RFC 2046 section 5.1.5).
		{"digest", SectionSpec{Part: []int{1}, Specifier: "HEADER"}, "From: one@example.com\r\nSubject: first digest entry\r\n\r\n"},
		{"digest", SectionSpec{Part: []int{1, 1}}, "one"},
		{"digest", SectionSpec{Part: []int{1}, Specifier: "MIME"}, "\r\n"},
		{"digest", SectionSpec{Part: []int{3}, Specifier: "TEXT"}, none},
		// Malformed structures.
		{"broken-boundary", SectionSpec{Part: []int{1}}, none},
		{"no-close-delimiter", SectionSpec{Part: []int{2}}, "second part, the close delimiter is missing\r\n"},
		{"header-only", SectionSpec{Specifier: "HEADER"}, "From: headeronly@example.com\r\nSubject: No empty line at all"},
		{"header-only", SectionSpec{Specifier: "TEXT"}, ""},
		{"header-only", SectionSpec{Specifier: "HEADER.FIELDS", Fields: []string{"Subject"}}, "Subject: No empty line at all\r\n\r\n"},
		{"empty-body", SectionSpec{Specifier: "TEXT"}, ""},
		{"encoded-rfc822", SectionSpec{Part: []int{1}, Specifier: "HEADER"}, ""},
		// Bare LF: octets are the raw ones.
		{"bare-lf", SectionSpec{Part: []int{1}}, "line one\nline two"},
		{"bare-lf", SectionSpec{Part: []int{2}, Specifier: "MIME"}, "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n"},
		{"bare-lf", SectionSpec{Specifier: "HEADER.FIELDS", Fields: []string{"subject"}}, "Subject: Bare LF line endings\n\n"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s/%v/%s", tt.msg, tt.spec.Part, tt.spec.Specifier), func(t *testing.T) {
			got, ok := corpusMessage(t, tt.msg).Section(tt.spec)
			switch {
			case tt.want == none && ok:
				t.Fatalf("Section(%+v) = %q, want no such part", tt.spec, got)
			case tt.want == none:
			case !ok:
				t.Fatalf("Section(%+v): no such part, want %q", tt.spec, tt.want)
			case string(got) != tt.want:
				t.Fatalf("Section(%+v)\n got %q\nwant %q", tt.spec, got, tt.want)
			}
		})
	}
}

// TestSectionWholeMessage: BODY[] is the raw message, octet for octet.
func TestSectionWholeMessage(t *testing.T) {
	for name, raw := range corpus(t) {
		got, ok := Parse(raw).Section(SectionSpec{})
		if !ok || string(got) != string(raw) {
			t.Errorf("%s: BODY[] differs from the raw message", name)
		}
		header, _ := Parse(raw).Section(SectionSpec{Specifier: "HEADER"})
		text, _ := Parse(raw).Section(SectionSpec{Specifier: "TEXT"})
		if string(header)+string(text) != string(raw) {
			t.Errorf("%s: HEADER followed by TEXT is not the message", name)
		}
	}
}

// TestHeaderFieldsResultIsACopy: the caller may append to a HEADER.FIELDS
// result without touching the message.
func TestHeaderFieldsResultIsACopy(t *testing.T) {
	m := corpusMessage(t, "plain")
	b, _ := m.Section(SectionSpec{Specifier: "HEADER.FIELDS", Fields: []string{"From"}})
	for i := range b {
		b[i] = 'x'
	}
	if again, _ := m.Section(SectionSpec{Specifier: "HEADER.FIELDS", Fields: []string{"From"}}); string(again) != "From: Alice Example <alice@example.org>\r\n\r\n" {
		t.Fatalf("message modified through a HEADER.FIELDS result: %q", again)
	}
}
