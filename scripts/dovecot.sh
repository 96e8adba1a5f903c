#!/usr/bin/env bash
# Start or stop a private Dovecot instance on 127.0.0.1 for interoperability runs.
#
#   scripts/dovecot.sh start    install dovecot-imapd if needed, start it, print its addresses
#   scripts/dovecot.sh stop     stop it and remove its state
#   scripts/dovecot.sh env      print the shell variables describing the running instance
#
# The instance listens on 127.0.0.1 only: IMAP with STARTTLS on $DOVECOT_IMAP_PORT
# (default 14143) and implicit TLS on $DOVECOT_IMAPS_PORT (default 14993), with a
# self-signed certificate. Any user name logs in with the password in
# $DOVECOT_PASSWORD (static passdb), so load runs can use user1..userN. Its state
# lives in $DOVECOT_DIR (default /tmp/imapgauge-dovecot) and is wiped at start.
set -euo pipefail

DOVECOT_DIR=${DOVECOT_DIR:-/tmp/imapgauge-dovecot}
DOVECOT_IMAP_PORT=${DOVECOT_IMAP_PORT:-14143}
DOVECOT_IMAPS_PORT=${DOVECOT_IMAPS_PORT:-14993}
DOVECOT_PASSWORD=${DOVECOT_PASSWORD:-interop-secret}
MAIL_USER=imapgauge-mail

need_root() {
	if [ "$(id -u)" != 0 ]; then
		echo "dovecot.sh: must run as root (installs a package and starts a daemon)" >&2
		exit 2
	fi
}

install_dovecot() {
	if ! command -v dovecot >/dev/null 2>&1; then
		echo "dovecot.sh: installing dovecot-imapd" >&2
		export DEBIAN_FRONTEND=noninteractive
		apt-get update -q >/dev/null
		apt-get install -y -q dovecot-imapd >/dev/null
	fi
	# The package's own service is not wanted: our instance uses its own config.
	if [ -f /run/dovecot/master.pid ]; then
		dovecot stop >/dev/null 2>&1 || true
	fi
	if ! id "$MAIL_USER" >/dev/null 2>&1; then
		useradd --system --no-create-home --shell /usr/sbin/nologin "$MAIL_USER"
	fi
}

wait_port() {
	local port=$1
	for _ in $(seq 1 100); do
		if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
			return 0
		fi
		sleep 0.1
	done
	echo "dovecot.sh: nothing listening on 127.0.0.1:$port; log follows" >&2
	cat "$DOVECOT_DIR/dovecot.log" >&2 || true
	return 1
}

start() {
	need_root
	install_dovecot
	stop_quiet
	rm -rf "$DOVECOT_DIR"
	mkdir -p "$DOVECOT_DIR/run" "$DOVECOT_DIR/state" "$DOVECOT_DIR/home"
	chown "$MAIL_USER:$MAIL_USER" "$DOVECOT_DIR/home"
	openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=localhost" \
		-addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
		-keyout "$DOVECOT_DIR/key.pem" -out "$DOVECOT_DIR/cert.pem" >/dev/null 2>&1
	local uid gid
	uid=$(id -u "$MAIL_USER")
	gid=$(id -g "$MAIL_USER")
	cat >"$DOVECOT_DIR/dovecot.conf" <<CONF
base_dir = $DOVECOT_DIR/run
state_dir = $DOVECOT_DIR/state
log_path = $DOVECOT_DIR/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = yes
ssl_cert = <$DOVECOT_DIR/cert.pem
ssl_key = <$DOVECOT_DIR/key.pem
auth_mechanisms = plain login
disable_plaintext_auth = yes
login_trusted_networks =
mail_location = maildir:~/Maildir
first_valid_uid = $uid
default_internal_user = dovecot
default_login_user = dovenull
default_process_limit = 1000
default_client_limit = 20000
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $DOVECOT_IMAP_PORT
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = $DOVECOT_IMAPS_PORT
    ssl = yes
  }
  service_count = 0
  process_min_avail = 2
  client_limit = 20000
}
service imap {
  process_limit = 20000
}
passdb {
  driver = static
  args = password=$DOVECOT_PASSWORD
}
userdb {
  driver = static
  args = uid=$uid gid=$gid home=$DOVECOT_DIR/home/%u
}
namespace inbox {
  inbox = yes
  separator = /
  mailbox Drafts {
    special_use = \\Drafts
    auto = create
  }
  mailbox Sent {
    special_use = \\Sent
    auto = create
  }
  mailbox Trash {
    special_use = \\Trash
    auto = create
  }
  mailbox Junk {
    special_use = \\Junk
    auto = create
  }
  mailbox Archive {
    special_use = \\Archive
    auto = create
  }
}
CONF
	dovecot -c "$DOVECOT_DIR/dovecot.conf"
	wait_port "$DOVECOT_IMAP_PORT"
	wait_port "$DOVECOT_IMAPS_PORT"
	env_vars
}

env_vars() {
	echo "DOVECOT_DIR=$DOVECOT_DIR"
	echo "DOVECOT_IMAP=imap://127.0.0.1:$DOVECOT_IMAP_PORT"
	echo "DOVECOT_IMAPS=imaps://127.0.0.1:$DOVECOT_IMAPS_PORT"
	echo "DOVECOT_PASSWORD=$DOVECOT_PASSWORD"
}

stop_quiet() {
	if [ -f "$DOVECOT_DIR/dovecot.conf" ]; then
		doveadm -c "$DOVECOT_DIR/dovecot.conf" stop >/dev/null 2>&1 ||
			dovecot -c "$DOVECOT_DIR/dovecot.conf" stop >/dev/null 2>&1 || true
		for _ in $(seq 1 50); do
			[ -f "$DOVECOT_DIR/run/master.pid" ] || break
			kill -0 "$(cat "$DOVECOT_DIR/run/master.pid")" 2>/dev/null || break
			sleep 0.1
		done
	fi
}

case "${1:-}" in
start) start ;;
stop)
	need_root
	stop_quiet
	rm -rf "$DOVECOT_DIR"
	;;
env) env_vars ;;
*)
	echo "usage: scripts/dovecot.sh start|stop|env" >&2
	exit 2
	;;
esac
