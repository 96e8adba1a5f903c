package rfc3501

import (
	"bytes"
	"embed"
	"fmt"
	"path"
	"slices"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"

	"github.com/imapgauge/imapgauge/conformance"
	"github.com/imapgauge/imapgauge/conformance/grammar"
	"github.com/imapgauge/imapgauge/conformance/wire"
)

// The FETCH corpus: messages chosen for what servers get wrong when they
// compute ENVELOPE and BODYSTRUCTURE (RFC 3501 section 7.4.2) or cut body
// sections (section 6.4.5), each with a golden file. A message NAME is
// testdata/fetch/NAME.eml, exact octets with CRLF line ends; its golden is
// testdata/fetch/NAME.yaml, written by reading the message and the RFC.
//
//go:embed testdata/fetch
var corpusFS embed.FS

const corpusDir = "testdata/fetch"

// corpusMessage returns the octets of the corpus message name.
func corpusMessage(name string) ([]byte, error) {
	return corpusFS.ReadFile(path.Join(corpusDir, name+".eml"))
}

// corpusNames lists the corpus messages, sorted.
func corpusNames() ([]string, error) {
	entries, err := corpusFS.ReadDir(corpusDir)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if n, ok := strings.CutSuffix(e.Name(), ".eml"); ok {
			names = append(names, n)
		}
	}
	return names, nil
}

// message returns the octets of the corpus message name, as a fixture.
func message(t *conformance.T, name string) []byte {
	m, err := corpusMessage(name)
	if err != nil {
		t.Errorf("corpus message %s: %v", name, err)
	}
	return m
}

// headerAndText splits a message into its header, with the blank line that
// ends it, and its text (RFC 3501 section 6.4.5, HEADER and TEXT). A message
// without a blank line is all header.
func headerAndText(m []byte) (header, text []byte) {
	if i := bytes.Index(m, []byte("\r\n\r\n")); i >= 0 {
		return m[:i+4], m[i+4:]
	}
	return m, nil
}

// corpusSession appends the named corpus messages, in order, to a new
// private mailbox of the first user and returns a session with that mailbox
// selected: message number i+1 is names[i]. It is a fixture: a failure is
// a setup error.
func corpusSession(t *conformance.T, names ...string) *conformance.Session {
	s, _ := corpusMailbox(t, names...)
	return s
}

// corpusMailbox is corpusSession that also returns the mailbox's name.
func corpusMailbox(t *conformance.T, names ...string) (*conformance.Session, string) {
	mailbox := t.Mailbox(0)
	s := t.Login(0)
	t.Setup(func() {
		for _, n := range names {
			s.Cmd("OK", "APPEND", wire.Astring(mailbox), wire.Literal(message(t, n)))
		}
		s.Cmd("OK", "SELECT", wire.Astring(mailbox))
	})
	return s, mailbox
}

// A golden is the expected ENVELOPE and BODYSTRUCTURE of a corpus message.
type golden struct {
	Envelope *goldenEnvelope
	Body     *goldenBody
}

// alt is a golden value: one value, or (written !any [a, b] in the file)
// every value the RFC allows. set is false when the file does not give the
// field.
type alt[T any] struct {
	set  bool
	vals []T
}

// goldenEnvelope is an expected envelope; a nil *string is NIL, a nil
// address list is NIL.
type goldenEnvelope struct {
	Date, Subject                      alt[*string]
	From, Sender, ReplyTo, To, Cc, Bcc alt[[]goldenAddress]
	InReplyTo, MessageID               alt[*string]
}

// goldenAddress is an address structure: name, adl, mailbox, host.
type goldenAddress [4]*string

// goldenBody is an expected body structure. Extension data (MD5,
// Disposition, Language, Location, and Params of a multipart body) is
// checked only when the server sends it, since it is optional; a field the
// file leaves out is then expected to be NIL.
type goldenBody struct {
	Type, Subtype   alt[string]
	Params          alt[map[string]string]
	ID, Description alt[*string]
	Encoding        alt[string]
	Size, Lines     alt[uint32]
	MD5             alt[*string]
	Disposition     alt[*goldenDisposition]
	Language        alt[[]string]
	Location        alt[*string]
	Envelope        *goldenEnvelope
	Body            *goldenBody
	Parts           []*goldenBody
}

// goldenDisposition is an expected body-fld-dsp.
type goldenDisposition struct {
	Type   string
	Params map[string]string
}

func (b *goldenBody) multipart() bool { return b.Parts != nil }

func (b *goldenBody) is(typ, subtype string) bool {
	return len(b.Type.vals) == 1 && strings.EqualFold(b.Type.vals[0], typ) &&
		len(b.Subtype.vals) == 1 && strings.EqualFold(b.Subtype.vals[0], subtype)
}

var (
	goldensOnce sync.Once
	goldens     map[string]*golden
	goldensErr  error
)

// loadGolden returns the golden of corpus message name.
func loadGolden(name string) (*golden, error) {
	goldensOnce.Do(func() { goldens, goldensErr = loadGoldens() })
	if goldensErr != nil {
		return nil, goldensErr
	}
	g, ok := goldens[name]
	if !ok {
		return nil, fmt.Errorf("no golden %s/%s.yaml", corpusDir, name)
	}
	return g, nil
}

// goldenFor returns the golden of corpus message name, as a fixture.
func goldenFor(t *conformance.T, name string) *golden {
	g, err := loadGolden(name)
	if err != nil {
		t.Errorf("%v", err)
	}
	return g
}

func loadGoldens() (map[string]*golden, error) {
	names, err := corpusNames()
	if err != nil {
		return nil, err
	}
	out := map[string]*golden{}
	for _, n := range names {
		file := path.Join(corpusDir, n+".yaml")
		data, err := corpusFS.ReadFile(file)
		if err != nil {
			return nil, fmt.Errorf("corpus message %s has no golden: %v", n, err)
		}
		g, err := parseGolden(data)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", file, err)
		}
		out[n] = g
	}
	return out, nil
}

// parseGolden decodes a golden file: a mapping with "envelope" and
// "bodystructure".
func parseGolden(data []byte) (*golden, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, err
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 {
		return nil, fmt.Errorf("not a YAML document")
	}
	g := &golden{}
	err := mapping(doc.Content[0], map[string]func(*yaml.Node) error{
		"envelope":      func(n *yaml.Node) (err error) { g.Envelope, err = parseEnvelope(n); return },
		"bodystructure": func(n *yaml.Node) (err error) { g.Body, err = parseBody(n); return },
	}, "envelope", "bodystructure")
	return g, err
}

// mapping walks a YAML mapping, calling fields[key] for each key; unknown
// and repeated keys are errors, and so are missing required ones.
func mapping(n *yaml.Node, fields map[string]func(*yaml.Node) error, required ...string) error {
	if n.Kind != yaml.MappingNode {
		return fmt.Errorf("line %d: expected a mapping", n.Line)
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		f, ok := fields[k.Value]
		if !ok {
			return fmt.Errorf("line %d: unknown key %q", k.Line, k.Value)
		}
		if seen[k.Value] {
			return fmt.Errorf("line %d: %q given twice", k.Line, k.Value)
		}
		seen[k.Value] = true
		if err := f(v); err != nil {
			return fmt.Errorf("%s: %w", k.Value, err)
		}
	}
	for _, r := range required {
		if !seen[r] {
			return fmt.Errorf("line %d: %q is required", n.Line, r)
		}
	}
	return nil
}

// decodeAlt reads one value, or an !any sequence of alternatives.
func decodeAlt[T any](dst *alt[T], one func(*yaml.Node) (T, error)) func(*yaml.Node) error {
	return func(n *yaml.Node) error {
		dst.set = true
		if n.Tag == "!any" {
			if n.Kind != yaml.SequenceNode || len(n.Content) < 2 {
				return fmt.Errorf("line %d: !any takes a sequence of at least two alternatives", n.Line)
			}
			for _, c := range n.Content {
				v, err := one(c)
				if err != nil {
					return err
				}
				dst.vals = append(dst.vals, v)
			}
			return nil
		}
		v, err := one(n)
		dst.vals = []T{v}
		return err
	}
}

func isNull(n *yaml.Node) bool { return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" }

func yamlString(n *yaml.Node) (string, error) {
	if n.Kind != yaml.ScalarNode || isNull(n) {
		return "", fmt.Errorf("line %d: expected a string", n.Line)
	}
	return n.Value, nil
}

func yamlNString(n *yaml.Node) (*string, error) {
	if isNull(n) {
		return nil, nil
	}
	s, err := yamlString(n)
	return &s, err
}

func yamlNumber(n *yaml.Node) (uint32, error) {
	var v uint32
	if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!int" {
		return 0, fmt.Errorf("line %d: expected a number", n.Line)
	}
	err := n.Decode(&v)
	return v, err
}

// yamlParams reads body-fld-param: null for NIL, else a non-empty mapping.
func yamlParams(n *yaml.Node) (map[string]string, error) {
	if isNull(n) {
		return nil, nil
	}
	if n.Kind != yaml.MappingNode || len(n.Content) == 0 {
		return nil, fmt.Errorf("line %d: parameters are null (NIL) or a non-empty mapping", n.Line)
	}
	m := map[string]string{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, err := yamlString(n.Content[i])
		if err != nil {
			return nil, err
		}
		v, err := yamlString(n.Content[i+1])
		if err != nil {
			return nil, err
		}
		m[k] = v
	}
	return m, nil
}

func yamlStrings(n *yaml.Node) ([]string, error) {
	if isNull(n) {
		return nil, nil
	}
	if n.Kind != yaml.SequenceNode || len(n.Content) == 0 {
		return nil, fmt.Errorf("line %d: expected null or a non-empty sequence of strings", n.Line)
	}
	var out []string
	for _, c := range n.Content {
		s, err := yamlString(c)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

func yamlDisposition(n *yaml.Node) (*goldenDisposition, error) {
	if isNull(n) {
		return nil, nil
	}
	if n.Kind != yaml.SequenceNode || len(n.Content) != 2 {
		return nil, fmt.Errorf("line %d: a disposition is null or [type, parameters]", n.Line)
	}
	typ, err := yamlString(n.Content[0])
	if err != nil {
		return nil, err
	}
	params, err := yamlParams(n.Content[1])
	return &goldenDisposition{Type: typ, Params: params}, err
}

// yamlAddresses reads an address list: null for NIL, else a sequence of
// [name, adl, mailbox, host].
func yamlAddresses(n *yaml.Node) ([]goldenAddress, error) {
	if isNull(n) {
		return nil, nil
	}
	if n.Kind != yaml.SequenceNode || len(n.Content) == 0 {
		return nil, fmt.Errorf("line %d: an address list is null (NIL) or a non-empty sequence", n.Line)
	}
	var out []goldenAddress
	for _, c := range n.Content {
		if c.Kind != yaml.SequenceNode || len(c.Content) != 4 {
			return nil, fmt.Errorf("line %d: an address is [name, adl, mailbox, host]", c.Line)
		}
		var a goldenAddress
		for i, f := range c.Content {
			v, err := yamlNString(f)
			if err != nil {
				return nil, err
			}
			a[i] = v
		}
		out = append(out, a)
	}
	return out, nil
}

func parseEnvelope(n *yaml.Node) (*goldenEnvelope, error) {
	e := &goldenEnvelope{}
	all := []string{"date", "subject", "from", "sender", "reply-to", "to", "cc", "bcc", "in-reply-to", "message-id"}
	err := mapping(n, map[string]func(*yaml.Node) error{
		"date":        decodeAlt(&e.Date, yamlNString),
		"subject":     decodeAlt(&e.Subject, yamlNString),
		"from":        decodeAlt(&e.From, yamlAddresses),
		"sender":      decodeAlt(&e.Sender, yamlAddresses),
		"reply-to":    decodeAlt(&e.ReplyTo, yamlAddresses),
		"to":          decodeAlt(&e.To, yamlAddresses),
		"cc":          decodeAlt(&e.Cc, yamlAddresses),
		"bcc":         decodeAlt(&e.Bcc, yamlAddresses),
		"in-reply-to": decodeAlt(&e.InReplyTo, yamlNString),
		"message-id":  decodeAlt(&e.MessageID, yamlNString),
	}, all...)
	return e, err
}

func parseBody(n *yaml.Node) (*goldenBody, error) {
	b := &goldenBody{}
	fields := map[string]func(*yaml.Node) error{
		"type":        decodeAlt(&b.Type, yamlString),
		"subtype":     decodeAlt(&b.Subtype, yamlString),
		"params":      decodeAlt(&b.Params, yamlParams),
		"id":          decodeAlt(&b.ID, yamlNString),
		"description": decodeAlt(&b.Description, yamlNString),
		"encoding":    decodeAlt(&b.Encoding, yamlString),
		"size":        decodeAlt(&b.Size, yamlNumber),
		"lines":       decodeAlt(&b.Lines, yamlNumber),
		"md5":         decodeAlt(&b.MD5, yamlNString),
		"disposition": decodeAlt(&b.Disposition, yamlDisposition),
		"language":    decodeAlt(&b.Language, yamlStrings),
		"location":    decodeAlt(&b.Location, yamlNString),
		"envelope":    func(n *yaml.Node) (err error) { b.Envelope, err = parseEnvelope(n); return },
		"body":        func(n *yaml.Node) (err error) { b.Body, err = parseBody(n); return },
		"parts": func(n *yaml.Node) error {
			if n.Kind != yaml.SequenceNode || len(n.Content) == 0 {
				return fmt.Errorf("line %d: parts is a non-empty sequence", n.Line)
			}
			b.Parts = []*goldenBody{}
			for _, c := range n.Content {
				p, err := parseBody(c)
				if err != nil {
					return err
				}
				b.Parts = append(b.Parts, p)
			}
			return nil
		},
	}
	if err := mapping(n, fields, "type", "subtype"); err != nil {
		return nil, err
	}
	// The fields each kind of body has (section 9, body-type-mpart,
	// body-type-basic, body-type-msg, body-type-text).
	need := func(what string, ok bool) error {
		if !ok {
			return fmt.Errorf("line %d: %s", n.Line, what)
		}
		return nil
	}
	if b.is("multipart", b.Subtype.vals[0]) {
		return b, need("a multipart body has parts, params (extension data) and no single-part fields",
			b.Parts != nil && b.Params.set && !b.ID.set && !b.Description.set && !b.Encoding.set && !b.Size.set &&
				!b.Lines.set && !b.MD5.set && b.Envelope == nil && b.Body == nil)
	}
	if err := need("a single-part body has type, subtype, params, id, description, encoding and size, and no parts",
		b.Parts == nil && b.Params.set && b.ID.set && b.Description.set && b.Encoding.set && b.Size.set); err != nil {
		return nil, err
	}
	msg := b.is("message", "rfc822")
	if err := need("a message/rfc822 body has envelope and body, no other body does", msg == (b.Envelope != nil) && msg == (b.Body != nil)); err != nil {
		return nil, err
	}
	text := len(b.Type.vals) == 1 && strings.EqualFold(b.Type.vals[0], "text")
	return b, need("text and message/rfc822 bodies have lines, no other body does", (text || msg) == b.Lines.set)
}

// A difference between a golden and what the server sent.
type difference struct {
	// Field names the field: "part 4.2.2.1 subtype", "envelope sender".
	Field string
	// Expected shows every acceptable value, Actual the one sent.
	Expected, Actual string
}

func (d difference) String() string {
	return fmt.Sprintf("%s: expected %s, actual %s", d.Field, d.Expected, d.Actual)
}

// comparer collects the differences of one comparison.
type comparer struct {
	diffs []difference
}

func (c *comparer) add(field, expected, actual string) {
	c.diffs = append(c.diffs, difference{Field: field, Expected: expected, Actual: actual})
}

// check compares an actual value with the acceptable ones of want; showW
// and showG render expected and actual values in messages.
func check[W, G any](c *comparer, field string, want alt[W], got G, eq func(W, G) bool, showW func(W) string, showG func(G) string) {
	for _, w := range want.vals {
		if eq(w, got) {
			return
		}
	}
	shown := make([]string, len(want.vals))
	for i, w := range want.vals {
		shown[i] = showW(w)
	}
	c.add(field, strings.Join(shown, " or "), showG(got))
}

// nilAlt is the expectation of a field the golden leaves out: NIL.
func nilAlt[T any]() alt[T] {
	var zero T
	return alt[T]{vals: []T{zero}}
}

func orNil[T any](a alt[T]) alt[T] {
	if a.set {
		return a
	}
	return nilAlt[T]()
}

func showString(s string) string { return quoteShow(s) }

func showNString(s *string) string {
	if s == nil {
		return "NIL"
	}
	return quoteShow(*s)
}

func quoteShow(s string) string { return fmt.Sprintf("%q", s) }

func showNumber(n uint32) string { return fmt.Sprint(n) }

func fromNString(n grammar.NString) *string {
	if n.Nil {
		return nil
	}
	v := n.Value
	return &v
}

// Tokens that RFC 2045 and RFC 2183 make case-insensitive: media types
// and subtypes, transfer encodings, parameter and disposition names.
func eqFold(a, b string) bool { return strings.EqualFold(a, b) }

func eqNumber(a, b uint32) bool { return a == b }

func eqNString(a, b *string) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return *a == *b
}

// eqHeaderValue compares an envelope string with the expected header
// value: the server may send the value unfolded (RFC 2822 section 2.2.3),
// with or without the white space that follows the colon.
func eqHeaderValue(want, got *string) bool {
	if want == nil || got == nil {
		return want == nil && got == nil
	}
	v := strings.ReplaceAll(*got, "\r\n", "")
	return v == *want || strings.TrimLeft(v, " \t") == *want
}

// eqParams compares parameter lists: names without regard to case (RFC
// 2045 section 5.1), values exactly, except charset names, which are
// case-insensitive (RFC 2046 section 4.1.2); the order does not matter.
func eqParams(want map[string]string, got []grammar.Param) bool {
	if want == nil || got == nil {
		return want == nil && got == nil
	}
	if len(want) != len(got) {
		return false
	}
	for k, v := range want {
		i := slices.IndexFunc(got, func(p grammar.Param) bool { return strings.EqualFold(p.Name, k) })
		if i < 0 {
			return false
		}
		if got[i].Value != v && !(strings.EqualFold(k, "charset") && strings.EqualFold(got[i].Value, v)) {
			return false
		}
	}
	return true
}

func showParams(m map[string]string) string {
	if m == nil {
		return "NIL"
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var b strings.Builder
	b.WriteByte('(')
	for i, k := range keys {
		if i > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "%q %q", k, m[k])
	}
	b.WriteByte(')')
	return b.String()
}

func showParamList(ps []grammar.Param) string {
	if ps == nil {
		return "NIL"
	}
	var b strings.Builder
	b.WriteByte('(')
	for i, p := range ps {
		if i > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "%q %q", p.Name, p.Value)
	}
	b.WriteByte(')')
	return b.String()
}

// compareEnvelope compares an ENVELOPE with its golden, field by field.
func (c *comparer) compareEnvelope(prefix string, want *goldenEnvelope, got *grammar.Envelope) {
	if got == nil {
		c.add(prefix, "an envelope", "none")
		return
	}
	check(c, prefix+" date", want.Date, fromNString(got.Date), eqHeaderValue, showNString, showNString)
	check(c, prefix+" subject", want.Subject, fromNString(got.Subject), eqHeaderValue, showNString, showNString)
	for _, l := range []struct {
		name string
		want alt[[]goldenAddress]
		got  []grammar.Address
	}{
		{"from", want.From, got.From}, {"sender", want.Sender, got.Sender}, {"reply-to", want.ReplyTo, got.ReplyTo},
		{"to", want.To, got.To}, {"cc", want.Cc, got.Cc}, {"bcc", want.Bcc, got.Bcc},
	} {
		c.compareAddresses(prefix+" "+l.name, l.want, l.got)
	}
	check(c, prefix+" in-reply-to", want.InReplyTo, fromNString(got.InReplyTo), eqHeaderValue, showNString, showNString)
	check(c, prefix+" message-id", want.MessageID, fromNString(got.MessageID), eqHeaderValue, showNString, showNString)
}

// compareAddresses compares an address list. Names, source routes and
// mailbox names are compared exactly, host names without regard to case
// (RFC 1035 section 2.3.3).
func (c *comparer) compareAddresses(field string, want alt[[]goldenAddress], got []grammar.Address) {
	check(c, field, want, toGoldenAddresses(got), eqAddresses, showAddresses, showAddresses)
}

func toGoldenAddresses(list []grammar.Address) []goldenAddress {
	if list == nil {
		return nil
	}
	out := make([]goldenAddress, len(list))
	for i, a := range list {
		out[i] = goldenAddress{fromNString(a.Name), fromNString(a.ADL), fromNString(a.Mailbox), fromNString(a.Host)}
	}
	return out
}

func eqAddresses(want, got []goldenAddress) bool {
	if want == nil || got == nil || len(want) != len(got) {
		return want == nil && got == nil
	}
	for i := range want {
		w, g := want[i], got[i]
		if !eqNString(w[0], g[0]) || !eqNString(w[1], g[1]) || !eqNString(w[2], g[2]) {
			return false
		}
		if w[3] == nil || g[3] == nil {
			if w[3] != nil || g[3] != nil {
				return false
			}
		} else if !strings.EqualFold(*w[3], *g[3]) {
			return false
		}
	}
	return true
}

func showAddresses(list []goldenAddress) string {
	if list == nil {
		return "NIL"
	}
	var b strings.Builder
	b.WriteByte('(')
	for _, a := range list {
		b.WriteByte('(')
		for i, f := range a {
			if i > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(showNString(f))
		}
		b.WriteByte(')')
	}
	b.WriteByte(')')
	return b.String()
}

// compareBody compares a BODY or BODYSTRUCTURE with its golden. label names
// the body in messages, number is its part number ("" for the message).
// extensible is false for BODY, which carries no extension data.
func (c *comparer) compareBody(label, number string, want *goldenBody, got *grammar.BodyStructure, extensible bool) {
	if got == nil {
		c.add(label, "a body structure", "none")
		return
	}
	field := func(name string) string { return label + " " + name }
	if want.multipart() != got.IsMultipart() {
		kind := func(m bool) string {
			if m {
				return "a multipart body"
			}
			return "a single-part body"
		}
		c.add(label, kind(want.multipart()), kind(got.IsMultipart())+" "+got.MediaType())
		return
	}
	if !extensible && got.ExtFields > 0 {
		c.add(field("extension data"), "none (BODY is the non-extensible form)", fmt.Sprintf("%d extension field(s)", got.ExtFields))
	}
	if want.multipart() {
		check(c, field("subtype"), want.Subtype, got.Subtype, eqFold, showString, showString)
		if len(want.Parts) != len(got.Parts) {
			c.add(field("parts"), fmt.Sprint(len(want.Parts)), fmt.Sprint(len(got.Parts)))
		}
		for i := range min(len(want.Parts), len(got.Parts)) {
			n := fmt.Sprint(i + 1)
			if number != "" {
				n = number + "." + n
			}
			c.compareBody("part "+n, n, want.Parts[i], got.Parts[i], extensible)
		}
		if extensible && got.ExtFields >= 1 {
			check(c, field("parameters"), want.Params, got.Params, eqParams, showParams, showParamList)
		}
		c.compareExtension(field, want, got, extensible, 2)
		return
	}
	check(c, field("type"), want.Type, got.Type, eqFold, showString, showString)
	check(c, field("subtype"), want.Subtype, got.Subtype, eqFold, showString, showString)
	check(c, field("parameters"), want.Params, got.Params, eqParams, showParams, showParamList)
	check(c, field("id"), want.ID, fromNString(got.ID), eqNString, showNString, showNString)
	check(c, field("description"), want.Description, fromNString(got.Description), eqNString, showNString, showNString)
	check(c, field("encoding"), want.Encoding, got.Encoding, eqFold, showString, showString)
	check(c, field("size"), want.Size, got.Size, eqNumber, showNumber, showNumber)
	if want.Lines.set {
		check(c, field("lines"), want.Lines, got.Lines, eqNumber, showNumber, showNumber)
	}
	if want.Envelope != nil {
		c.compareEnvelope(label+" envelope", want.Envelope, got.Envelope)
		inner := number
		if inner == "" {
			inner = "1"
		}
		c.compareBody(label+" body", inner, want.Body, got.Body, extensible)
	}
	if extensible && got.ExtFields >= 1 {
		check(c, field("md5"), orNil(want.MD5), fromNString(got.MD5), eqNString, showNString, showNString)
	}
	c.compareExtension(field, want, got, extensible, 2)
}

// compareExtension compares the extension fields from body-fld-dsp on, as
// far as the server sent them; from is the position of body-fld-dsp.
func (c *comparer) compareExtension(field func(string) string, want *goldenBody, got *grammar.BodyStructure, extensible bool, from int) {
	if !extensible {
		return
	}
	if got.ExtFields >= from {
		check(c, field("disposition"), orNil(want.Disposition), got.Disposition, eqDisposition, showDisposition, showGotDisposition)
	}
	if got.ExtFields >= from+1 {
		check(c, field("language"), orNil(want.Language), got.Language, eqLanguage, showLanguage, showLanguage)
	}
	if got.ExtFields >= from+2 {
		check(c, field("location"), orNil(want.Location), fromNString(got.Location), eqNString, showNString, showNString)
	}
}

func eqDisposition(want *goldenDisposition, got *grammar.Disposition) bool {
	if want == nil || got == nil {
		return want == nil && got == nil
	}
	return strings.EqualFold(want.Type, got.Type) && eqParams(want.Params, got.Params)
}

func showDisposition(d *goldenDisposition) string {
	if d == nil {
		return "NIL"
	}
	return fmt.Sprintf("(%q %s)", d.Type, showParams(d.Params))
}

func showGotDisposition(d *grammar.Disposition) string {
	if d == nil {
		return "NIL"
	}
	return fmt.Sprintf("(%q %s)", d.Type, showParamList(d.Params))
}

// Language tags are case-insensitive (RFC 5646 section 2.1.1).
func eqLanguage(want, got []string) bool {
	return slices.EqualFunc(want, got, strings.EqualFold) && (want == nil) == (got == nil)
}

func showLanguage(l []string) string {
	if l == nil {
		return "NIL"
	}
	q := make([]string, len(l))
	for i, s := range l {
		q[i] = fmt.Sprintf("%q", s)
	}
	return "(" + strings.Join(q, " ") + ")"
}
