// Package conformance is the engine that checks an IMAP server against
// RFC 3501: the case model (stable IDs, RFC sentences, requirement levels,
// acceptable outcomes), the Ginkgo runner adapter and the outcome classes.
//
// How a server is talked to lives in the wire sub-package, how its responses
// are judged in the grammar sub-package; what is checked lives in scenarios.
package conformance
