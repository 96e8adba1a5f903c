package grammar

import (
	"strings"
	"testing"
)

func benchParse(b *testing.B, in string) {
	data := []byte(in)
	if _, err := Parse(data); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Parse(data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFetchFlags is the response a sync client sees most: one
// message's UID, flags, size and internal date.
func BenchmarkFetchFlags(b *testing.B) {
	benchParse(b, "* 12 FETCH (UID 4827313 FLAGS (\\Seen \\Answered $Label1) RFC822.SIZE 44827 INTERNALDATE \"17-Jul-1996 02:44:25 -0700\")\r\n")
}

func BenchmarkFetchCondstore(b *testing.B) {
	benchParse(b, "* 3 FETCH (UID 3 MODSEQ (10) FLAGS (\\Seen))\r\n")
}

func BenchmarkTaggedOK(b *testing.B) {
	benchParse(b, "a042 OK [READ-WRITE] SELECT completed\r\n")
}

func BenchmarkList(b *testing.B) {
	benchParse(b, "* LIST (\\HasNoChildren \\Sent) \"/\" \"Sent Messages\"\r\n")
}

// BenchmarkFetchEnvelope is the ENVELOPE of RFC 3501's example.
func BenchmarkFetchEnvelope(b *testing.B) {
	for _, e := range loadCorpus(b, "rfc3501.txt") {
		if strings.Contains(e.raw, "ENVELOPE") {
			benchParse(b, e.raw)
			return
		}
	}
	b.Fatal("no ENVELOPE example")
}

// BenchmarkFetchBodyStructure is Dovecot's BODYSTRUCTURE of a multipart
// message with an attachment and an encapsulated message.
func BenchmarkFetchBodyStructure(b *testing.B) {
	for _, e := range loadCorpus(b, "dovecot.txt") {
		if strings.HasPrefix(e.raw, "* 2 FETCH (BODYSTRUCTURE (((") {
			benchParse(b, e.raw)
			return
		}
	}
	b.Fatal("no BODYSTRUCTURE response")
}

// BenchmarkFetchBody64K is a 64 KiB BODY[] literal: the cost should be the
// copy of the input and the NUL scan, not per-octet parsing.
func BenchmarkFetchBody64K(b *testing.B) {
	body := strings.Repeat("Lorem ipsum dolor sit amet, consectetur adipiscing elit.\r\n", 1130)[:65536]
	benchParse(b, "* 7 FETCH (UID 99 BODY[] {65536}\r\n"+body+")\r\n")
}
