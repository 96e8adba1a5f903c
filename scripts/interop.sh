#!/usr/bin/env bash
# Interoperability run: the RFC 3501 conformance suite against Dovecot.
#
#   scripts/interop.sh
#
# Starts a private Dovecot with scripts/dovecot.sh (installing it if needed),
# runs `imapgauge conform` against it three ways -- STARTTLS, implicit TLS
# and plaintext -- in strict mode with its known deviations listed in
# scenarios/known-failures/dovecot.yaml, and stops Dovecot on exit. It exits
# non-zero if any run does: a case that fails and is not a listed deviation,
# an ERROR, or a listed deviation that now passes (XPASS).
#
# Reports go to $INTEROP_OUT (default /tmp/imapgauge-interop): JSON, JUnit
# and the transcripts of every case that did not pass, per run.
#
# INTEROP_USE_RUNNING_DOVECOT=1 uses a Dovecot already started by
# scripts/dovecot.sh instead of starting (and stopping) one.
set -euo pipefail
cd "$(dirname "$0")/.."

out=${INTEROP_OUT:-/tmp/imapgauge-interop}
known=scenarios/known-failures/dovecot.yaml

tmp=$(mktemp -d)
started=0
cleanup() {
	rm -rf "$tmp"
	if [ "$started" = 1 ]; then
		scripts/dovecot.sh stop
	fi
}
trap cleanup EXIT

if [ "${INTEROP_USE_RUNNING_DOVECOT:-}" = 1 ]; then
	eval "$(scripts/dovecot.sh env)"
else
	started=1
	eval "$(scripts/dovecot.sh start)"
fi

# Dovecot's static passdb accepts any user name with the configured password.
export IMAPGAUGE_USERS="interop-one:$DOVECOT_PASSWORD,interop-two:$DOVECOT_PASSWORD"

bin=$tmp/imapgauge
go build -o "$bin" ./cmd/imapgauge

rm -rf "$out"
mkdir -p "$out"
status=0
for run in "starttls $DOVECOT_IMAP?starttls=1" "imaps $DOVECOT_IMAPS" "plaintext $DOVECOT_IMAP"; do
	name=${run%% *}
	target=${run#* }
	echo "== imapgauge conform $target"
	if ! "$bin" conform "$target" --insecure --strict --procs 2 \
		--known-failures "$known" \
		--json "$out/$name.json" --junit "$out/$name.xml" --transcripts "$out/$name-transcripts"; then
		status=1
	fi
done

# ---------------------------------------------------------------------------
# Load: the office-day preset against Dovecot over STARTTLS, with the users
# load1..loadN (their mailboxes are emptied first: these accounts belong to
# this run). Any correctness violation fails the script (exit 100), as does an
# overloaded generator (101) or a breached threshold (99). Set
# INTEROP_LOAD_DURATION and INTEROP_LOAD_USERS to change the size of the run.
# ---------------------------------------------------------------------------
echo "== imapgauge load $DOVECOT_IMAP?starttls=1 --profile office-day"
if ! "$bin" load "$DOVECOT_IMAP?starttls=1" --insecure --profile office-day \
	--credentials "load%d:$DOVECOT_PASSWORD" --reset-mailboxes \
	--users "${INTEROP_LOAD_USERS:-20}" --duration "${INTEROP_LOAD_DURATION:-2m}" \
	--threshold 'violations==0' --threshold 'errors<1%' \
	--json "$out/load.json" --html "$out/load.html" --junit "$out/load.xml" \
	--markdown "$out/load.md"; then
	status=1
fi

exit $status
