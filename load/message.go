package load

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"
	"sync"
	"time"
)

// words make message bodies look like prose, so that servers that index or
// compress text see something like real mail.
var words = []string{
	"meeting", "report", "quarter", "budget", "please", "review", "attached", "draft", "thanks", "agenda",
	"tomorrow", "project", "customer", "invoice", "deadline", "update", "schedule", "team", "question", "proposal",
	"the", "a", "and", "of", "to", "in", "for", "on", "with", "we", "you", "this", "that", "is", "are", "will",
	"can", "our", "next", "week", "call", "notes", "plan", "release", "server", "mailbox", "numbers", "figures",
}

var firstNames = []string{"Alice", "Bob", "Carol", "Dave", "Erin", "Frank", "Grace", "Heidi", "Ivan", "Judy", "Mallory", "Niaj", "Olivia", "Peggy", "Rupert", "Sybil", "Trent", "Victor", "Walter"}

// MessageSize draws a message size from the delivery's log-normal
// distribution: median SizeMedian, shape SizeSigma, clamped to [SizeMin,
// SizeMax].
func MessageSize(rng *rand.Rand, d *DeliverySpec) int64 {
	size := float64(d.SizeMedian) * math.Exp(d.SizeSigma*rng.NormFloat64())
	return min(max(int64(size), d.SizeMin), d.SizeMax)
}

// generated is a message built by the generator, with what the checks need.
type generated struct {
	id   string // Message-ID without angle brackets
	raw  []byte
	hash uint64
	date time.Time
}

// contentHash is the digest the checks compare bodies with.
func contentHash(b []byte) uint64 {
	sum := sha256.Sum256(b)
	return binary.LittleEndian.Uint64(sum[:8])
}

// buildMessage writes an RFC 5322 message of about size bytes with CRLF line
// endings: plain text, text and HTML (multipart/alternative), or, for large
// ones, text plus a base64 attachment (multipart/mixed).
func buildMessage(rng *rand.Rand, id, to, subject, inReplyTo string, size int64, attachShare float64, date time.Time) *generated {
	var b bytes.Buffer
	b.Grow(int(size) + 512)
	from := firstNames[rng.IntN(len(firstNames))]
	fmt.Fprintf(&b, "Return-Path: <%s@example.net>\r\n", lower(from))
	fmt.Fprintf(&b, "From: %s <%s@example.net>\r\n", from, lower(from))
	fmt.Fprintf(&b, "To: <%s@example.org>\r\n", to)
	fmt.Fprintf(&b, "Subject: %s\r\n", subject)
	fmt.Fprintf(&b, "Date: %s\r\n", date.Format(time.RFC1123Z))
	fmt.Fprintf(&b, "Message-ID: <%s>\r\n", id)
	if inReplyTo != "" {
		fmt.Fprintf(&b, "In-Reply-To: <%s>\r\nReferences: <%s>\r\n", inReplyTo, inReplyTo)
	}
	b.WriteString("MIME-Version: 1.0\r\n")
	remaining := func() int { return int(size) - b.Len() - 64 }
	kind := rng.Float64()
	switch {
	case size > 32<<10 && kind < attachShare*2:
		boundary := fmt.Sprintf("=_mixed_%016x", rng.Uint64())
		fmt.Fprintf(&b, "Content-Type: multipart/mixed; boundary=\"%s\"\r\n\r\n", boundary)
		fmt.Fprintf(&b, "--%s\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n", boundary)
		prose(&b, rng, min(2000, remaining()/4))
		name := fmt.Sprintf("%s-%d.pdf", words[rng.IntN(20)], rng.IntN(1000))
		fmt.Fprintf(&b, "\r\n--%s\r\nContent-Type: application/pdf; name=\"%s\"\r\nContent-Disposition: attachment; filename=\"%s\"\r\nContent-Transfer-Encoding: base64\r\n\r\n", boundary, name, name)
		n := max(remaining()*3/4, 16)
		blob := make([]byte, n)
		for i := range blob {
			blob[i] = byte(rng.Uint32())
		}
		enc := base64.StdEncoding.EncodeToString(blob)
		for len(enc) > 76 {
			b.WriteString(enc[:76])
			b.WriteString("\r\n")
			enc = enc[76:]
		}
		b.WriteString(enc)
		fmt.Fprintf(&b, "\r\n--%s--\r\n", boundary)
	case kind < 0.4:
		boundary := fmt.Sprintf("=_alt_%016x", rng.Uint64())
		fmt.Fprintf(&b, "Content-Type: multipart/alternative; boundary=\"%s\"\r\n\r\n", boundary)
		fmt.Fprintf(&b, "--%s\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n", boundary)
		half := remaining() / 2
		prose(&b, rng, half)
		fmt.Fprintf(&b, "\r\n--%s\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<html><body><p>", boundary)
		prose(&b, rng, remaining()-40)
		fmt.Fprintf(&b, "</p></body></html>\r\n--%s--\r\n", boundary)
	default:
		b.WriteString("Content-Type: text/plain; charset=utf-8\r\n\r\n")
		prose(&b, rng, remaining())
		b.WriteString("\r\n")
	}
	raw := b.Bytes()
	return &generated{id: id, raw: raw, hash: contentHash(raw), date: date}
}

// corpus is prose built once from words, in CRLF lines under 78
// characters; lineStarts indexes its lines. Message bodies are cut from it:
// drawing every word anew made generating mail a visible share of the
// generator's CPU.
var (
	corpusOnce sync.Once
	corpus     []byte
	lineStarts []int
)

func buildCorpus() {
	rng := rand.New(rand.NewPCG(0x1dea, 0x5eed))
	var b bytes.Buffer
	for b.Len() < 256<<10 {
		lineStarts = append(lineStarts, b.Len())
		line := 0
		for line < 60+rng.IntN(12) {
			if line > 0 {
				b.WriteByte(' ')
				line++
			}
			w := words[rng.IntN(len(words))]
			b.WriteString(w)
			line += len(w)
		}
		b.WriteString("\r\n")
	}
	corpus = b.Bytes()
}

// prose writes about n bytes of whole lines of the corpus, starting at a line
// drawn from rng.
func prose(b *bytes.Buffer, rng *rand.Rand, n int) {
	corpusOnce.Do(buildCorpus)
	for n > 0 {
		start := lineStarts[rng.IntN(len(lineStarts))]
		end := min(start+n, len(corpus))
		// End on a line boundary so that no bare CR or LF is written.
		if i := bytes.LastIndex(corpus[start:end], []byte("\r\n")); i >= 0 {
			end = start + i + 2
		} else {
			end = start + bytes.Index(corpus[start:], []byte("\r\n")) + 2
		}
		b.Write(corpus[start:end])
		n -= end - start
	}
}

func lower(s string) string { return string(bytes.ToLower([]byte(s))) }

// subject makes a subject line from words.
func subject(rng *rand.Rand) string {
	n := 2 + rng.IntN(5)
	var b bytes.Buffer
	for i := range n {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(words[rng.IntN(len(words))])
	}
	s := b.String()
	return string(bytes.ToUpper([]byte(s[:1]))) + s[1:]
}
