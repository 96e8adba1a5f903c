// Package reportstest builds result documents for tests and benchmarks: small
// hand-made conformance and load results that exercise every field and every
// outcome, and large synthetic ones (thousands of cases, hours of load) for
// measuring renderers.
package reportstest
