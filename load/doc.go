// Package load applies load to an IMAP server: simulated users with several
// synchronising devices each, an open-model scheduler, HDR-histogram metrics
// and correctness checks of what every device observes.
package load
