package rfc3501

import "github.com/imapgauge/imapgauge/conformance"

// Suite is the first part of every case ID of this package.
const Suite = "rfc3501"

// Sections returns the suite's sections in RFC order. A new section file
// adds its function here.
func Sections() []conformance.Section {
	var out []conformance.Section
	for _, group := range [][]conformance.Section{
		strictSyntax(),
		attributes(),
		states(),
		dataFormats(),
		mailboxNames(),
		capability(),
		noop(),
		logout(),
		starttls(),
		authenticate(),
		login(),
		authenticatedState(),
		checkCommand(),
		closeCommand(),
		expungeCommand(),
		searchCommand(),
		fetch(),
		storeCommand(),
		copyCommand(),
		uidCommand(),
		responseCodes(),
		mailboxStatusData(),
		searchResponse(),
		mailboxSizeData(),
		expungeResponse(),
		fetchResponse(),
		multiSession(),
		syntax(),
	} {
		for _, s := range group {
			s.Suite = Suite
			out = append(out, s)
		}
	}
	return out
}
