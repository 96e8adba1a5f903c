// Package load applies load to an IMAP server: simulated users with several
// synchronising devices each, an open-model scheduler, HDR-histogram metrics
// and correctness checks of what every device observes.
//
// A run is a Runner built from a Config (target, Workload, users, seed,
// shard): Init prepares the users' mailboxes, Run applies the schedule until
// its end, Result returns the reports.Result (a snapshot while running), and
// Progress is pulled by whatever displays the run; the runner never draws.
//
// The schedule (NewSchedule) is fixed by the seed: every device loop and every
// user's actions, deliveries and checkpoints draw from their own random
// source, so the same seed gives the same ticks, and the ticks of the shards
// of a run add up to the ticks of the whole run. Ticks are dispatched at their
// time whether or not earlier work finished, and commands are timed from the
// tick's scheduled time.
//
// Devices are driven by go-imap's imapclient. Each keeps a cache of the
// mailboxes it synchronises (UIDVALIDITY, UIDNEXT, HIGHESTMODSEQ, UID ->
// Message-ID, size, internal date, flags) and uses CONDSTORE (RFC 7162) when
// the server has it, a full flag listing when not. imapclient has no QRESYNC
// (it cannot send SELECT (QRESYNC ...) nor parse VANISHED), so devices that
// would use QRESYNC resynchronise with CONDSTORE and a UID listing instead.
//
// Every synchronisation is judged by the user's ledger, the record of what the
// server acknowledged; ledger.go documents each check and its RFC basis.
// Transcripts are kept in a small ring per connection with passwords and
// literal contents left out.
package load
