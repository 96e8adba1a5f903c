package message

import "testing"

// FuzzParse feeds arbitrary octets to Parse and every accessor. Nothing may
// panic, and ENVELOPE, BODY and BODYSTRUCTURE must always follow the RFC
// 3501 grammar with sizes that match the BODY[part] octets.
func FuzzParse(f *testing.F) {
	for _, raw := range corpus(f) {
		f.Add(raw)
	}
	f.Add(nestedMultipart(3))
	f.Add(nestedMessages(3))
	f.Add([]byte("To: g: a@b, <@r:c@d>;, (x) e@f\r\nSubject: =?utf-8?q?x?=\r\n\r\n"))
	f.Add([]byte("Content-Type: multipart/digest; boundary=z\n\n--z\n\nSubject: s\n\nt\n--z--\n"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		m := Parse(raw)
		if err := checkMessage(m); err != nil {
			t.Fatal(err)
		}
		exercise(m)
	})
}
