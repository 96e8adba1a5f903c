// Package rfc3501 is the RFC 3501 conformance suite: Ginkgo specs, one file
// per section of the RFC, each case tied to the sentence it checks.
package rfc3501
