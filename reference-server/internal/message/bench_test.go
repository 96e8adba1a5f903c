package message

import (
	"encoding/base64"
	"strings"
	"testing"
)

// typicalMessage is an 8 KB multipart/mixed message as a mail client sends
// it: a multipart/alternative with quoted-printable text and HTML, and a
// base64 attachment.
func typicalMessage() []byte {
	var b strings.Builder
	b.WriteString("Return-Path: <alice@example.org>\r\n" +
		"Received: from mail.example.org (mail.example.org [192.0.2.1])\r\n\tby mx.example.net with ESMTPS id 4Zx9;\r\n\tTue, 1 Apr 2025 09:30:02 +0200\r\n" +
		"DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.org; s=s1;\r\n\th=from:to:subject:date; bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=;\r\n\tb=dGhpcyBpcyBub3QgYSByZWFsIHNpZ25hdHVyZQ==\r\n" +
		"From: Alice Example <alice@example.org>\r\n" +
		"To: Bob <bob@example.net>, \"Carol, C.\" <carol@example.com>\r\n" +
		"Cc: team: dave@example.com, erin@example.com;\r\n" +
		"Subject: =?UTF-8?Q?Quarterly_report_=E2=80=94_draft?=\r\n" +
		"Date: Tue, 1 Apr 2025 09:30:00 +0200\r\n" +
		"Message-ID: <20250401093000.12345@example.org>\r\n" +
		"In-Reply-To: <20250331170000.999@example.net>\r\n" +
		"MIME-Version: 1.0\r\n" +
		"Content-Type: multipart/mixed; boundary=\"=_mixed_0123456789\"\r\n\r\n" +
		"This is a multi-part message in MIME format.\r\n" +
		"--=_mixed_0123456789\r\n" +
		"Content-Type: multipart/alternative; boundary=\"=_alt_9876543210\"\r\n\r\n" +
		"--=_alt_9876543210\r\n" +
		"Content-Type: text/plain; charset=UTF-8; format=flowed\r\n" +
		"Content-Transfer-Encoding: quoted-printable\r\n\r\n")
	for i := 0; i < 25; i++ {
		b.WriteString("The numbers for the quarter look fine; see the attached sheet =E2=80=94 =\r\nplease review before Friday.\r\n")
	}
	b.WriteString("--=_alt_9876543210\r\n" +
		"Content-Type: text/html; charset=UTF-8\r\n" +
		"Content-Transfer-Encoding: quoted-printable\r\n\r\n<html><body>\r\n")
	for i := 0; i < 25; i++ {
		b.WriteString("<p>The numbers for the quarter look <b>fine</b>; see the attached sheet.</p>\r\n")
	}
	b.WriteString("</body></html>\r\n--=_alt_9876543210--\r\n\r\n" +
		"--=_mixed_0123456789\r\n" +
		"Content-Type: application/vnd.ms-excel; name=\"q1.xls\"\r\n" +
		"Content-Disposition: attachment; filename=\"q1.xls\"\r\n" +
		"Content-Transfer-Encoding: base64\r\n\r\n")
	data := base64.StdEncoding.EncodeToString([]byte(strings.Repeat("cell,value,1234567890\n", 100)))
	for len(data) > 76 {
		b.WriteString(data[:76] + "\r\n")
		data = data[76:]
	}
	b.WriteString(data + "\r\n--=_mixed_0123456789--\r\n")
	return []byte(b.String())
}

// BenchmarkParseBodyStructure measures what FETCH BODYSTRUCTURE costs on a
// freshly loaded message: Parse plus the extended body structure.
func BenchmarkParseBodyStructure(b *testing.B) {
	raw := typicalMessage()
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	var dst []byte
	for b.Loop() {
		dst = Parse(raw).AppendBodyStructure(dst[:0], true)
	}
}

// BenchmarkEnvelope measures ENVELOPE on a parsed message.
func BenchmarkEnvelope(b *testing.B) {
	m := Parse(typicalMessage())
	b.ReportAllocs()
	var dst []byte
	for b.Loop() {
		dst = m.AppendEnvelope(dst[:0])
	}
}

// BenchmarkBodyContains measures SEARCH BODY on a parsed message that does
// not match, so every text part is decoded and scanned.
func BenchmarkBodyContains(b *testing.B) {
	m := Parse(typicalMessage())
	b.ReportAllocs()
	for b.Loop() {
		if m.BodyContains("no such text anywhere") {
			b.Fatal("unexpected match")
		}
	}
}

func TestTypicalMessageSize(t *testing.T) {
	raw := typicalMessage()
	if n := len(raw); n < 7*1024 || n > 9*1024 {
		t.Fatalf("benchmark message is %d octets, want about 8 KB", n)
	}
	if err := checkMessage(Parse(raw)); err != nil {
		t.Fatal(err)
	}
}
