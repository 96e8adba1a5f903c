package scenarios

import (
	"github.com/imapgauge/imapgauge/conformance"
	"github.com/imapgauge/imapgauge/scenarios/rfc3501"
)

// Sections returns the sections of every conformance suite, in order.
func Sections() []conformance.Section {
	return rfc3501.Sections()
}

// Cases returns every conformance case, flattened and checked (names,
// levels, sentences, unique IDs); an error here is a bug in a suite.
func Cases() ([]conformance.Case, error) {
	return conformance.Flatten(Sections()...)
}
