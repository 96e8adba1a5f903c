package message

// AppendEnvelope appends the ENVELOPE of the message (RFC 3501 sections
// 7.4.2 and 9): date, subject, from, sender, reply-to, to, cc, bcc,
// in-reply-to and message-id, built from the first occurrence of each header
// field. Values are unfolded and trimmed but otherwise as in the message:
// encoded words (RFC 2047) are not decoded. An absent or empty field is NIL;
// an absent or empty Sender or Reply-To takes the value of From.
func (m *Message) AppendEnvelope(dst []byte) []byte {
	return appendEnvelope(dst, m.raw, m.root)
}

func appendEnvelope(dst []byte, raw []byte, e *entity) []byte {
	text := func(name string) (string, bool) {
		f, ok := findField(e.fields, name)
		if !ok {
			return "", false
		}
		v := unfold(raw, f)
		return v, v != ""
	}
	addrs := func(name string) []address {
		if v, ok := text(name); ok {
			return parseAddressList(v)
		}
		return nil
	}
	nstring := func(name string) {
		v, ok := text(name)
		dst = appendNString(dst, v, ok)
	}
	dst = append(dst, '(')
	nstring("Date")
	dst = append(dst, ' ')
	nstring("Subject")
	from := addrs("From")
	sender := addrs("Sender")
	if len(sender) == 0 {
		sender = from
	}
	replyTo := addrs("Reply-To")
	if len(replyTo) == 0 {
		replyTo = from
	}
	for _, list := range [][]address{from, sender, replyTo, addrs("To"), addrs("Cc"), addrs("Bcc")} {
		dst = append(dst, ' ')
		dst = appendAddressList(dst, list)
	}
	dst = append(dst, ' ')
	nstring("In-Reply-To")
	dst = append(dst, ' ')
	nstring("Message-ID")
	return append(dst, ')')
}
