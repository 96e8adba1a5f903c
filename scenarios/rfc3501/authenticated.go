package rfc3501

import "github.com/imapgauge/imapgauge/conformance"

// authenticatedState returns the sections of RFC 3501 section 6.3, the
// commands of the authenticated state, in RFC order.
func authenticatedState() []conformance.Section {
	subscriptions := subscriptionCommands() // 6.3.6, 6.3.7 and 6.3.9
	var out []conformance.Section
	for _, group := range [][]conformance.Section{
		openCommands(),
		createCommand(),
		deleteCommand(),
		renameCommand(),
		subscriptions[:2],
		listCommand(),
		subscriptions[2:],
		statusCommand(),
		appendCommand(),
	} {
		out = append(out, group...)
	}
	return out
}
