// Package conformance is the engine that checks an IMAP server against
// RFC 3501.
//
// A Case is a value: a stable ID (suite/section/name), the requirement
// level and the RFC sentence it checks, the capabilities it needs, the
// faults that must make it fail (its negative controls) and a Run
// function. Cases are grouped by RFC section (Section) and flattened with
// Flatten, which checks the catalog's rules.
//
// Run gets a T: fresh sessions (Session) in the target's security mode,
// private mailboxes, fixtures, and an embedded Gomega whose failures fail
// the case. Every response of every session is parsed by the grammar
// sub-package as it arrives; a malformed one fails the case with the line
// and the rule. RunCase runs one case and classifies it: PASS, FAIL (MUST
// broken, or the protocol itself), WARN (SHOULD or MAY broken), SKIP
// (does not apply), ERROR (could not run); KnownFailures turns listed
// failures into XFAIL and listed passes into XPASS.
//
// Run runs a selection of cases as one Ginkgo suite (labels, focus, skip),
// in this process or in worker processes (ServeWorker) that claim cases
// from the parent. Probe checks a target before a run; Catalog renders the
// checked-in list of cases.
//
// How a server is talked to lives in the wire sub-package, how its
// responses are judged in grammar, how it is made to misbehave on purpose
// in fault; what is checked lives in scenarios.
package conformance
