package conformance

import (
	"fmt"
	"slices"
	"strings"

	"github.com/onsi/gomega/types"

	"github.com/imapgauge/imapgauge/conformance/grammar"
	"github.com/imapgauge/imapgauge/reports"
)

// The matchers below take a *Reply (its tagged response, or its untagged
// responses) or a *grammar.Response, and word their failures as
// "Expected: ... Actual: ..." so reports show both apart:
//
//	t.Expect(r).To(HaveUntagged("CAPABILITY", HaveCapability("IMAP4rev1")))
//	t.Expect(r).To(HaveCode("TRYCREATE"))

// matcher is a Gomega matcher built from a description and a test.
type matcher struct {
	expected string
	match    func(actual any) (ok bool, observed string, err error)
	observed string
}

func (m *matcher) Match(actual any) (bool, error) {
	ok, observed, err := m.match(actual)
	m.observed = observed
	return ok, err
}

func (m *matcher) FailureMessage(any) string {
	return "Expected: " + m.expected + "\nActual: " + m.observed
}

func (m *matcher) NegatedFailureMessage(any) string {
	return "Expected: not " + m.expected + "\nActual: " + m.observed
}

// tagged returns the tagged response of a *Reply, or a *grammar.Response
// as it is.
func tagged(actual any) (*grammar.Response, error) {
	switch a := actual.(type) {
	case *Reply:
		return a.Tagged, nil
	case *grammar.Response:
		return a, nil
	}
	return nil, fmt.Errorf("expected a *conformance.Reply or *grammar.Response, got %T", actual)
}

func show(r *grammar.Response) string {
	if r == nil {
		return "no response"
	}
	return reports.EscapeText(firstLine([]byte(r.Raw)))
}

// HaveStatus succeeds when the tagged status of a *Reply, or the name of a
// *grammar.Response, is one of statuses (OK, NO, BAD, BYE, PREAUTH).
func HaveStatus(statuses ...string) types.GomegaMatcher {
	want := make([]string, len(statuses))
	for i, s := range statuses {
		want[i] = strings.ToUpper(s)
	}
	return &matcher{expected: strings.Join(want, " | "), match: func(actual any) (bool, string, error) {
		r, err := tagged(actual)
		if err != nil {
			return false, "", err
		}
		return r != nil && slices.Contains(want, r.Name), show(r), nil
	}}
}

// HaveCode succeeds when the tagged response of a *Reply, or a
// *grammar.Response, carries the response code name ([TRYCREATE],
// [UIDVALIDITY 3]...).
func HaveCode(name string) types.GomegaMatcher {
	name = strings.ToUpper(name)
	return &matcher{expected: "response code [" + name + "]", match: func(actual any) (bool, string, error) {
		r, err := tagged(actual)
		if err != nil {
			return false, "", err
		}
		return r != nil && r.Code != nil && r.Code.Name == name, show(r), nil
	}}
}

// HaveUntagged succeeds when a *Reply carries an untagged response named
// name that satisfies every matcher in ms (applied to the
// *grammar.Response).
func HaveUntagged(name string, ms ...types.GomegaMatcher) types.GomegaMatcher {
	name = strings.ToUpper(name)
	desc := "untagged " + name
	for _, m := range ms {
		if mm, ok := m.(*matcher); ok {
			desc += " with " + mm.expected
		}
	}
	return &matcher{expected: desc, match: func(actual any) (bool, string, error) {
		r, ok := actual.(*Reply)
		if !ok {
			return false, "", fmt.Errorf("HaveUntagged expects a *conformance.Reply, got %T", actual)
		}
		var seen []string
	next:
		for _, u := range r.Untagged {
			seen = append(seen, show(u))
			if u.Name != name {
				continue
			}
			for _, m := range ms {
				ok, err := m.Match(u)
				if err != nil {
					return false, "", err
				}
				if !ok {
					continue next
				}
			}
			return true, show(u), nil
		}
		if len(seen) == 0 {
			return false, "no untagged response", nil
		}
		return false, strings.Join(seen, " / "), nil
	}}
}

// HaveCapability succeeds when a CAPABILITY response, a response whose
// code is [CAPABILITY ...], a *Reply with an untagged CAPABILITY, or a
// []string lists the capability (compared without regard to case).
func HaveCapability(name string) types.GomegaMatcher {
	return &matcher{expected: "capability " + name, match: func(actual any) (bool, string, error) {
		var list []string
		switch a := actual.(type) {
		case []string:
			list = a
		case *grammar.Response:
			list = a.Capabilities
			if a.Code != nil && a.Code.Name == "CAPABILITY" {
				list = a.Code.Capabilities
			}
		case *Reply:
			for _, u := range a.All("CAPABILITY") {
				list = append(list, u.Capabilities...)
			}
		default:
			return false, "", fmt.Errorf("HaveCapability cannot look into %T", actual)
		}
		found := slices.ContainsFunc(list, func(c string) bool { return strings.EqualFold(c, name) })
		return found, "capabilities " + strings.Join(list, " "), nil
	}}
}
