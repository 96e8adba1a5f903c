package rfc3501

import (
	"bytes"
	"slices"
	"strconv"
	"strings"

	"github.com/imapgauge/imapgauge/conformance"
	"github.com/imapgauge/imapgauge/conformance/fault"
	"github.com/imapgauge/imapgauge/conformance/grammar"
)

// Sentences of RFC 3501 section 7.4.2 that several cases check.
const (
	bodystructureSentence = `BODYSTRUCTURE  A parenthesized list that describes the [MIME-IMB] body structure of a message.
This is computed by the server by parsing the [MIME-IMB] header fields, defaulting various
fields as necessary.`
	envelopeSentence = `ENVELOPE  A parenthesized list that describes the envelope structure of a message.  This is
computed by the server by parsing the [RFC-2822] header into the component parts, defaulting
various fields as necessary.`
	envelopeDefaultSentence = `If the Sender or Reply-To lines are absent in the [RFC-2822] header, or are present but empty,
the server sets the corresponding member of the envelope to be the same value as the from
member (the client is not expected to know to do this).`
	envelopeAbsentSentence = `If the Date, Subject, In-Reply-To, and Message-ID header lines are absent in the [RFC-2822]
header, the corresponding member of the envelope is NIL; if these header lines are present but
empty the corresponding member of the envelope is the empty string.`
	bodyTextLinesSentence = `A body type of type TEXT contains, immediately after the basic fields, the size of the body in
text lines.  Note that this size is the size in its content transfer encoding and not the
resulting size after any decoding.`
	bodySizeSentence = `body size  A number giving the size of the body in octets.  Note that this size is the size in
its transfer encoding and not the resulting size after any decoding.`
)

// bodystructureCase compares the BODYSTRUCTURE of corpus message msg with
// its golden, field by field, or with focus only the fields focus compares.
func bodystructureCase(c conformance.Case, msg string, focus ...func(*comparer, *goldenBody, *grammar.BodyStructure)) conformance.Case {
	c.Commands = []string{"FETCH"}
	c.Responses = []string{"FETCH"}
	c.Run = func(t *conformance.T) {
		g := goldenFor(t, msg)
		s := corpusSession(t, msg)
		f := fetchItem(t, s.Tx("OK", "FETCH 1 (BODYSTRUCTURE)"), 1, "BODYSTRUCTURE")
		var cmp comparer
		if len(focus) == 0 {
			cmp.compareBody("message", "", g.Body, f.BodyStructure, true)
		}
		for _, compare := range focus {
			compare(&cmp, g.Body, f.BodyStructure)
		}
		reportDiffs(t, &cmp, "BODYSTRUCTURE", msg)
	}
	return c
}

// base64Sizes compares only the sizes of the base64 parts.
func base64Sizes(c *comparer, want *goldenBody, got *grammar.BodyStructure) {
	wants, gots := map[string]*goldenBody{}, map[string]*grammar.BodyStructure{}
	numberGolden(want, "", wants)
	numberBody(got, "", gots)
	numbers := make([]string, 0, len(wants))
	for n := range wants {
		numbers = append(numbers, n)
	}
	slices.Sort(numbers)
	for _, n := range numbers {
		w := wants[n]
		if len(w.Encoding.vals) != 1 || !strings.EqualFold(w.Encoding.vals[0], "base64") {
			continue
		}
		g, ok := gots[n]
		if !ok {
			c.add("part "+n, "a base64 part", "no such part")
			continue
		}
		check(c, "part "+n+" size", w.Size, g.Size, eqNumber, showNumber, showNumber)
	}
}

// numberGolden and numberBody index the single parts of a body by their
// part numbers (RFC 3501 section 6.4.5): the parts of a multipart are
// numbered from 1 within it, the body of a message/rfc822 part N is
// numbered within N (N.1 when it is a single part).
func numberGolden(b *goldenBody, number string, out map[string]*goldenBody) {
	child := func(i int) string {
		if number == "" {
			return strconv.Itoa(i + 1)
		}
		return number + "." + strconv.Itoa(i+1)
	}
	switch {
	case b.multipart():
		for i, p := range b.Parts {
			numberGolden(p, child(i), out)
		}
	case number == "":
		out["1"] = b
	default:
		out[number] = b
		if b.Body != nil {
			if b.Body.multipart() {
				numberGolden(b.Body, number, out)
			} else {
				out[child(0)] = b.Body
			}
		}
	}
}

func numberBody(b *grammar.BodyStructure, number string, out map[string]*grammar.BodyStructure) {
	child := func(i int) string {
		if number == "" {
			return strconv.Itoa(i + 1)
		}
		return number + "." + strconv.Itoa(i+1)
	}
	switch {
	case b.IsMultipart():
		for i, p := range b.Parts {
			numberBody(p, child(i), out)
		}
	case number == "":
		out["1"] = b
	default:
		out[number] = b
		if b.Body != nil {
			if b.Body.IsMultipart() {
				numberBody(b.Body, number, out)
			} else {
				out[child(0)] = b.Body
			}
		}
	}
}

// bodyCase compares the BODY of corpus message msg with its golden: the
// same fields as BODYSTRUCTURE without extension data.
func bodyCase(c conformance.Case, msg string) conformance.Case {
	c.Commands = []string{"FETCH"}
	c.Responses = []string{"FETCH"}
	c.Run = func(t *conformance.T) {
		g := goldenFor(t, msg)
		s := corpusSession(t, msg)
		f := fetchItem(t, s.Tx("OK", "FETCH 1 (BODY)"), 1, "BODY")
		var cmp comparer
		cmp.compareBody("message", "", g.Body, f.Body, false)
		reportDiffs(t, &cmp, "BODY", msg)
	}
	return c
}

// envelopeCase compares the ENVELOPE of corpus message msg with its
// golden.
func envelopeCase(c conformance.Case, msg string) conformance.Case {
	c.Commands = []string{"FETCH"}
	c.Responses = []string{"FETCH"}
	if c.Sentence == "" {
		c.Sentence = envelopeSentence
	}
	c.Run = func(t *conformance.T) {
		g := goldenFor(t, msg)
		s := corpusSession(t, msg)
		f := fetchItem(t, s.Tx("OK", "FETCH 1 (ENVELOPE)"), 1, "ENVELOPE")
		var cmp comparer
		cmp.compareEnvelope("envelope", g.Envelope, f.Envelope)
		reportDiffs(t, &cmp, "ENVELOPE", msg)
	}
	return c
}

// Faults that compute a body structure the way buggy servers do.

// textLinesOff adds n to the line count of every text body.
func textLinesOff(name string, n int) fault.Fault {
	return mutateBodyStructure(name, true, func(b *grammar.BodyStructure) bool {
		return eachPart(b, func(p *grammar.BodyStructure) bool {
			if p.Type != "TEXT" {
				return false
			}
			p.Lines = uint32(int(p.Lines) + n)
			return true
		})
	})
}

// partSizesOff adds n to the size of every body that is a part of a
// multipart body.
func partSizesOff(name string, n int) fault.Fault {
	return mutateBodyStructure(name, true, func(b *grammar.BodyStructure) bool {
		return eachPart(b, func(p *grammar.BodyStructure) bool {
			for _, c := range p.Parts {
				if !c.IsMultipart() {
					c.Size = uint32(int(c.Size) + n)
				}
			}
			return p.IsMultipart()
		})
	})
}

// envelopeChanged edits the top-level envelope.
func envelopeChanged(name string, change func(e *grammar.Envelope) bool) fault.Fault {
	return mutateEnvelope(name, false, change)
}

// nstr is a non-NIL nstring.
func nstr(s string) grammar.NString { return grammar.NString{Value: s} }

// fetchResponse checks RFC 3501 section 7.4.2.
func fetchResponse() []conformance.Section {
	return []conformance.Section{{
		Number: "7.4.2",
		Title:  "FETCH Response",
		Cases: []conformance.Case{
			// BODYSTRUCTURE against the goldens.
			bodystructureCase(conformance.Case{
				Name:     "bodystructure-text-defaults",
				Title:    "BODYSTRUCTURE of a message without MIME header fields is text/plain, 7bit, with its size and lines",
				Level:    conformance.Must,
				Sentence: bodystructureSentence,
				Faults: []fault.Fault{
					textLinesOff("line count includes the blank line after the header", 1),
					mutateBodyStructure("absent Content-Transfer-Encoding reported as 8BIT", false, func(b *grammar.BodyStructure) bool {
						b.Encoding = "8BIT"
						return true
					}),
				},
			}, "simple"),
			bodystructureCase(conformance.Case{
				Name:  "bodystructure-multipart-alternative",
				Title: "BODYSTRUCTURE of multipart/alternative lists both parts, sized without the CRLF before each boundary",
				Level: conformance.Must,
				Sentence: `Multiple parts are indicated by parenthesis nesting.  Instead of a body type as the first element
of the parenthesized list, there is a sequence of one or more nested body structures.  The second
element of the parenthesized list is the multipart subtype (mixed, digest, parallel, alternative, etc.).`,
				Faults: []fault.Fault{
					partSizesOff("part size includes the CRLF before the boundary", 2),
					mutateBodyStructure("multipart subtype reported as MIXED", false, func(b *grammar.BodyStructure) bool {
						b.Subtype = "MIXED"
						return true
					}),
				},
			}, "alternative"),
			bodystructureCase(conformance.Case{
				Name:  "bodystructure-message-rfc822-part",
				Title: "BODYSTRUCTURE of a message/rfc822 part carries the envelope, body and lines of the encapsulated message",
				Level: conformance.Must,
				Sentence: `A body type of type MESSAGE and subtype RFC822 contains, immediately after the basic fields, the
envelope structure, body structure, and size in text lines of the encapsulated message.`,
				Faults: []fault.Fault{
					mutateBodyStructure("message/rfc822 size counts only the encapsulated body", false, func(b *grammar.BodyStructure) bool {
						return eachPart(b, func(p *grammar.BodyStructure) bool {
							if p.Body == nil {
								return false
							}
							p.Size = p.Body.Size
							return true
						})
					}),
					mutateEnvelope("encapsulated envelope taken from the outer message", true, func(e *grammar.Envelope) bool {
						if e.Subject.Value != "status" {
							return false
						}
						e.Subject = nstr("Fwd: status")
						return true
					}),
				},
			}, "rfc822-attached"),
			bodystructureCase(conformance.Case{
				Name:  "bodystructure-nested-parts",
				Title: "BODYSTRUCTURE of multiparts nested in message/rfc822 parts nested in multiparts",
				Level: conformance.Must,
				Sentence: `Multiple parts are indicated by parenthesis nesting.` + "\n" + `A body type of type MESSAGE and subtype RFC822 contains, immediately after the basic fields, the
envelope structure, body structure, and size in text lines of the encapsulated message.`,
				Faults: []fault.Fault{
					mutateBodyStructure("last part of a nested multipart/alternative lost", true, func(b *grammar.BodyStructure) bool {
						return eachPart(b, func(p *grammar.BodyStructure) bool {
							if p.Subtype != "ALTERNATIVE" || len(p.Parts) < 2 {
								return false
							}
							p.Parts = p.Parts[:len(p.Parts)-1]
							return true
						})
					}),
				},
			}, "nested"),
			bodystructureCase(conformance.Case{
				Name:  "bodystructure-extension-data",
				Title: "BODYSTRUCTURE extension data carries MD5, disposition, language and location in order",
				Level: conformance.Must,
				Sentence: `Extension data follows the basic fields and the type-specific fields listed above.  Extension
data is never returned with the BODY fetch, but can be returned with a BODYSTRUCTURE fetch.
Extension data, if present, MUST be in the defined order.`,
				Faults: []fault.Fault{
					mutateBodyStructure("MD5 and location swapped", false, func(b *grammar.BodyStructure) bool {
						return eachPart(b, func(p *grammar.BodyStructure) bool {
							if p.ExtFields < 4 || p.IsMultipart() || p.MD5.Nil {
								return false
							}
							p.MD5, p.Location = p.Location, p.MD5
							return true
						})
					}),
					mutateBodyStructure("disposition parameters dropped", false, func(b *grammar.BodyStructure) bool {
						return eachPart(b, func(p *grammar.BodyStructure) bool {
							if p.Disposition == nil || p.Disposition.Params == nil {
								return false
							}
							p.Disposition.Params = nil
							return true
						})
					}),
				},
			}, "attachment"),
			bodystructureCase(conformance.Case{
				Name:     "bodystructure-base64-size-encoded",
				Title:    "BODYSTRUCTURE gives a base64 part's size in its encoded form",
				Level:    conformance.Must,
				Sentence: bodySizeSentence,
				Faults: []fault.Fault{
					mutateBodyStructure("base64 part size after decoding", true, func(b *grammar.BodyStructure) bool {
						return eachPart(b, func(p *grammar.BodyStructure) bool {
							if p.Encoding != "BASE64" {
								return false
							}
							p.Size = p.Size / 4 * 3
							return true
						})
					}),
				},
			}, "nested", base64Sizes),
			bodystructureCase(conformance.Case{
				Name:     "bodystructure-empty-body",
				Title:    "BODYSTRUCTURE of a message with no body has size 0 and 0 lines",
				Level:    conformance.Must,
				Sentence: bodySizeSentence,
				Faults: []fault.Fault{
					mutateBodyStructure("missing blank line counted as the body", false, func(b *grammar.BodyStructure) bool {
						b.Size, b.Lines = 2, 1
						return true
					}),
				},
			}, "header-only"),
			bodystructureCase(conformance.Case{
				Name:  "bodystructure-unterminated-last-line",
				Title: "BODYSTRUCTURE counts the octets of a body whose last line has no CRLF",
				Level: conformance.Must,
				Sentence: bodySizeSentence + "\n" +
					`(The RFC leaves open whether the unterminated last line counts in body-fld-lines: both are accepted.)`,
				Faults: []fault.Fault{
					mutateBodyStructure("a CRLF added to the unterminated last line", false, func(b *grammar.BodyStructure) bool {
						b.Size += 2
						return true
					}),
				},
			}, "unterminated"),
			bodystructureCase(conformance.Case{
				Name:     "bodystructure-8bit-text-octets",
				Title:    "BODYSTRUCTURE of an 8bit UTF-8 text gives 8BIT and the size in octets",
				Level:    conformance.Must,
				Sentence: bodySizeSentence,
				Faults: []fault.Fault{
					mutateBodyStructure("size counted in characters", false, func(b *grammar.BodyStructure) bool {
						b.Size -= 20
						return true
					}),
					mutateBodyStructure("Content-Transfer-Encoding 8bit reported as 7BIT", false, func(b *grammar.BodyStructure) bool {
						b.Encoding = "7BIT"
						return true
					}),
				},
			}, "eight-bit"),
			bodystructureCase(conformance.Case{
				Name:     "bodystructure-quoted-printable-lines-encoded",
				Title:    "BODYSTRUCTURE counts the lines of quoted-printable text before decoding",
				Level:    conformance.Must,
				Sentence: bodyTextLinesSentence,
				Faults:   []fault.Fault{textLinesOff("lines counted after joining soft line breaks", -1)},
			}, "encoded-words"),
			bodystructureCase(conformance.Case{
				Name:  "bodystructure-digest-parts-default-to-message",
				Title: "BODYSTRUCTURE of multipart/digest types parts without Content-Type as message/rfc822",
				Level: conformance.Must,
				Sentence: `BODYSTRUCTURE ... This is computed by the server by parsing the [MIME-IMB] header fields,
defaulting various fields as necessary.
(RFC 2046 section 5.1.5: in a digest, the default Content-Type of a body part is message/rfc822.)`,
				Faults: []fault.Fault{
					mutateBodyStructure("digest parts typed text/plain", false, func(b *grammar.BodyStructure) bool {
						for _, p := range b.Parts {
							p.Type, p.Subtype, p.Envelope, p.Body = "TEXT", "PLAIN", nil, nil
						}
						return b.IsMultipart()
					}),
				},
			}, "digest"),

			// BODY against the goldens.
			bodyCase(conformance.Case{
				Name:  "body-nested-parts-without-extension-data",
				Title: "BODY of a nested message has the structure of BODYSTRUCTURE and no extension data",
				Level: conformance.Must,
				Sentence: `BODY  A form of BODYSTRUCTURE without extension data.` + "\n" +
					`Extension data is never returned with the BODY fetch, but can be returned with a BODYSTRUCTURE fetch.`,
				Faults: []fault.Fault{
					mutateFetch("BODY answered with extension data", func(_ uint32, f *grammar.FetchData) bool {
						if f.Body == nil {
							return false
						}
						f.Body.ExtFields, f.Body.Params = 1, []grammar.Param{{Name: "BOUNDARY", Value: "top-b"}}
						return true
					}),
					textLinesOff("line count includes the blank line after the header", 1),
				},
			}, "nested"),
			bodyCase(conformance.Case{
				Name:     "body-attachment-fields",
				Title:    "BODY of a message with an attachment gives type, parameters, id, description, encoding and size",
				Level:    conformance.Must,
				Sentence: `BODY  A form of BODYSTRUCTURE without extension data.` + "\n" + bodySizeSentence,
				Faults: []fault.Fault{
					mutateBodyStructure("Content-Description lost", true, func(b *grammar.BodyStructure) bool {
						return eachPart(b, func(p *grammar.BodyStructure) bool {
							if p.Description.Nil {
								return false
							}
							p.Description = grammar.NString{Nil: true}
							return true
						})
					}),
				},
			}, "attachment"),

			// ENVELOPE against the goldens.
			envelopeCase(conformance.Case{
				Name:  "envelope-every-field",
				Title: "ENVELOPE of a message with every envelope header field gives each in order",
				Level: conformance.Must,
				Sentence: `The fields of the envelope structure are in the following order: date, subject, from, sender,
reply-to, to, cc, bcc, in-reply-to, and message-id.`,
				Faults: []fault.Fault{
					envelopeChanged("Sender ignored: sender is the From value", func(e *grammar.Envelope) bool { e.Sender = e.From; return true }),
					envelopeChanged("In-Reply-To and Message-ID swapped", func(e *grammar.Envelope) bool {
						e.InReplyTo, e.MessageID = e.MessageID, e.InReplyTo
						return true
					}),
				},
			}, "alternative"),
			envelopeCase(conformance.Case{
				Name:     "envelope-absent-sender-and-reply-to-are-from",
				Title:    "ENVELOPE sender and reply-to repeat the From value when the fields are absent",
				Level:    conformance.Must,
				Sentence: envelopeDefaultSentence,
				Faults: []fault.Fault{
					envelopeChanged("absent Sender and Reply-To sent as NIL", func(e *grammar.Envelope) bool {
						e.Sender, e.ReplyTo = nil, nil
						return true
					}),
				},
			}, "simple"),
			envelopeCase(conformance.Case{
				Name:     "envelope-empty-sender-and-reply-to-are-from",
				Title:    "ENVELOPE of empty Sender, Reply-To, To, Cc and Subject fields",
				Level:    conformance.Must,
				Sentence: envelopeDefaultSentence,
				Faults: []fault.Fault{
					envelopeChanged("empty Reply-To sent as NIL", func(e *grammar.Envelope) bool { e.ReplyTo = nil; return true }),
				},
			}, "empty-headers"),
			envelopeCase(conformance.Case{
				Name:     "envelope-absent-fields-nil",
				Title:    "ENVELOPE of a message with only a From field: absent fields are NIL",
				Level:    conformance.Must,
				Sentence: envelopeAbsentSentence,
				Faults: []fault.Fault{
					envelopeChanged("absent Subject sent as the empty string", func(e *grammar.Envelope) bool { e.Subject = nstr(""); return true }),
					envelopeChanged("absent Date replaced by the internal date", func(e *grammar.Envelope) bool {
						e.Date = nstr("Mon, 7 Apr 2025 13:00:00 +0000")
						return true
					}),
				},
			}, "missing-headers"),
			envelopeCase(conformance.Case{
				Name:  "envelope-group-syntax",
				Title: "ENVELOPE encodes RFC 2822 groups with start and end markers",
				Level: conformance.Must,
				Sentence: `[RFC-2822] group syntax is indicated by a special form of address structure in which the host name
field is NIL.  If the mailbox name field is also NIL, this is an end of group marker ...  If the
mailbox name field is non-NIL, this is a start of group marker`,
				Faults: []fault.Fault{
					envelopeChanged("empty group sent as NIL", func(e *grammar.Envelope) bool { e.Cc = nil; return true }),
					envelopeChanged("group name read as a member", func(e *grammar.Envelope) bool {
						if len(e.To) == 0 {
							return false
						}
						e.To[0].Host = nstr("silly.example")
						e.To = e.To[:len(e.To)-1]
						return true
					}),
				},
			}, "groups"),
			envelopeCase(conformance.Case{
				Name:  "envelope-encoded-words-not-decoded",
				Title: "ENVELOPE carries RFC 2047 encoded words as they are, unfolded",
				Level: conformance.Must,
				Sentence: `ENVELOPE ... This is computed by the server by parsing the [RFC-2822] header into the component
parts, defaulting various fields as necessary.
(Headers "MUST be 7-bit; 8-bit characters are not permitted in headers": encoded words stay encoded.)`,
				Faults: []fault.Fault{
					envelopeChanged("Subject decoded", func(e *grammar.Envelope) bool {
						e.Subject = nstr("If you can read this you understand the example.")
						return true
					}),
				},
			}, "encoded-words"),
			envelopeCase(conformance.Case{
				Name:  "envelope-address-forms",
				Title: "ENVELOPE of quoted display names, a source route, and distinct Sender and Reply-To",
				Level: conformance.Must,
				Sentence: `An address structure is a parenthesized list that describes an electronic mail address.  The
fields of an address structure are in the following order: personal name, [SMTP] at-domain-list
(source route), mailbox name, and host name.`,
				Faults: []fault.Fault{
					envelopeChanged("source route dropped", func(e *grammar.Envelope) bool {
						if len(e.To) == 0 {
							return false
						}
						e.To[0].ADL = grammar.NString{Nil: true}
						return true
					}),
					envelopeChanged("display name sent with its quotes", func(e *grammar.Envelope) bool {
						if len(e.From) == 0 {
							return false
						}
						e.From[0].Name = nstr(`"Doe, John \"JD\""`)
						return true
					}),
				},
			}, "address-forms"),
			envelopeCase(conformance.Case{
				Name:     "envelope-folded-subject",
				Title:    "ENVELOPE carries a folded Subject whole, unfolded",
				Level:    conformance.Must,
				Sentence: envelopeSentence,
				Faults: []fault.Fault{
					envelopeChanged("Subject cut at the fold", func(e *grammar.Envelope) bool { e.Subject = nstr("A folded"); return true }),
				},
			}, "header-fields"),

			// Section data.
			{
				Name:  "fetch-origin-only-when-requested",
				Title: "BODY[] and BODY[TEXT] are answered without an origin octet",
				Level: conformance.Must,
				Sentence: `Note: The origin octet facility MUST NOT be used by a server in a FETCH response unless the
client specifically requested it by means of a FETCH of a BODY[<section>]<<partial>> data item.`,
				Commands:  []string{"FETCH"},
				Responses: []string{"FETCH"},
				Faults: []fault.Fault{
					mutateFetch("origin <0> added to a full section", func(_ uint32, f *grammar.FetchData) bool {
						for i, it := range f.Items {
							if strings.HasPrefix(it, "BODY[") && !strings.HasSuffix(it, ">") {
								f.Items[i] = it + "<0>"
							}
						}
						for i := range f.Sections {
							f.Sections[i].Partial = true
						}
						return len(f.Sections) > 0
					}),
				},
				Run: func(t *conformance.T) {
					s := corpusSession(t, "simple")
					r := s.Tx("OK", "FETCH 1 (BODY.PEEK[] BODY.PEEK[TEXT])")
					fetchSection(t, r, 1, "[]")
					fetchSection(t, r, 1, "[TEXT]")
				},
			}, {
				Name:  "fetch-body-never-truncated",
				Title: "BODY[] of a 1723-octet message returns every octet, as many as RFC822.SIZE",
				Level: conformance.Must,
				Sentence: `If the origin octet is specified, this string is a substring of the entire body contents,
starting at that origin octet.  This means that BODY[]<0> MAY be truncated, but BODY[] is NEVER
truncated.`,
				Commands:  []string{"FETCH"},
				Responses: []string{"FETCH"},
				Faults: []fault.Fault{mutateSection("BODY[] cut at 1024 octets", "", func(d []byte) []byte {
					return d[:min(len(d), 1024)]
				})},
				Run: func(t *conformance.T) {
					s := corpusSession(t, "nested")
					want := message(t, "nested")
					r := s.Tx("OK", "FETCH 1 (RFC822.SIZE BODY.PEEK[])")
					expectOctets(t, r.Command, fetchSection(t, r, 1, "[]").Data, want)
					if size := fetchItem(t, r, 1, "RFC822.SIZE").RFC822Size; int(size) != len(want) {
						t.Mismatch([]string{"RFC822.SIZE " + strconv.Itoa(len(want))}, "RFC822.SIZE "+strconv.Itoa(int(size)), "RFC822.SIZE is not the size of the message")
					}
				},
			}, {
				Name:  "fetch-8bit-text-returned-unchanged",
				Title: "BODY[1] of an 8bit UTF-8 text returns its octets unchanged",
				Level: conformance.Must,
				Sentence: `8-bit textual data is permitted if a [CHARSET] identifier is part of the body parameter
parenthesized list for this section.`,
				Commands:  []string{"FETCH"},
				Responses: []string{"FETCH"},
				Faults: []fault.Fault{mutateSection("8-bit octets replaced by question marks", "1", func(d []byte) []byte {
					return bytes.Map(func(r rune) rune {
						if r >= 0x80 {
							return '?'
						}
						return r
					}, d)
				})},
				Run: func(t *conformance.T) {
					s := corpusSession(t, "eight-bit")
					r := s.Tx("OK", "FETCH 1 (BODY.PEEK[1])")
					_, text := headerAndText(message(t, "eight-bit"))
					expectOctets(t, r.Command, fetchSection(t, r, 1, "[1]").Data, text)
				},
			}, {
				Name:  "fetch-binary-part-stays-transfer-encoded",
				Title: "BODY[2] of a base64 part returns the base64 text, not the decoded octets",
				Level: conformance.Must,
				Sentence: `Non-textual data such as binary data MUST be transfer encoded into a textual form, such as
BASE64, prior to being sent to the client.  To derive the original binary data, the client MUST
decode the transfer encoded string.`,
				Commands:  []string{"FETCH"},
				Responses: []string{"FETCH"},
				Faults: []fault.Fault{mutateSection("base64 part sent decoded", "2", func([]byte) []byte {
					return []byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}
				})},
				Run: func(t *conformance.T) {
					s := corpusSession(t, "nested")
					r := s.Tx("OK", "FETCH 1 (BODY.PEEK[2])")
					expectOctets(t, r.Command, fetchSection(t, r, 1, "[2]").Data, []byte("AAECAwQFBgcICQoLDA0ODw=="))
				},
			}, {
				Name:  "fetch-rfc822-size-counts-octets",
				Title: "RFC822.SIZE of an 8-bit message is its size in octets",
				Level: conformance.Must,
				Sentence: `RFC822.SIZE
   A number expressing the [RFC-2822] size of the message.`,
				Commands:  []string{"FETCH"},
				Responses: []string{"FETCH"},
				Faults: []fault.Fault{mutateFetch("RFC822.SIZE counted in characters", func(_ uint32, f *grammar.FetchData) bool {
					if !f.Has("RFC822.SIZE") {
						return false
					}
					f.RFC822Size -= 20
					return true
				})},
				Run: func(t *conformance.T) {
					s := corpusSession(t, "eight-bit")
					want := len(message(t, "eight-bit"))
					r := s.Tx("OK", "FETCH 1 (RFC822.SIZE)")
					if size := fetchItem(t, r, 1, "RFC822.SIZE").RFC822Size; int(size) != want {
						t.Mismatch([]string{"RFC822.SIZE " + strconv.Itoa(want)}, "RFC822.SIZE "+strconv.Itoa(int(size)),
							"RFC822.SIZE is not the number of octets of the appended message")
					}
				},
			},
		},
	}}
}
