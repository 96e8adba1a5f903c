package referenceserver

import (
	"crypto/tls"
	"fmt"
	"log/slog"
	"time"
)

// Options configure a server. The zero value is valid: a plain listener on a
// random port of 127.0.0.1 offering STARTTLS with a self-signed certificate,
// no users, plaintext authentication allowed because the listener is on the
// loopback interface, and no logging.
type Options struct {
	// Addr is the address of the plain listener, which offers STARTTLS.
	// "" means "127.0.0.1:0", a random loopback port.
	Addr string
	// TLSAddr is the address of an implicit-TLS (IMAPS) listener; "" means
	// none.
	TLSAddr string
	// TLSConfig is used for STARTTLS and the implicit-TLS listener. Nil
	// means a self-signed certificate for localhost, 127.0.0.1 and ::1,
	// generated at Start.
	TLSConfig *tls.Config
	// Users are created at Start, each with an empty INBOX.
	Users []User
	// PlaintextAuth says when LOGIN and AUTHENTICATE PLAIN are allowed on a
	// connection that is not protected by TLS.
	PlaintextAuth PlaintextAuth
	// Logger receives connection and error events; passwords and
	// authentication data are never logged. Nil discards.
	Logger *slog.Logger

	// IdleTimeout is the autologout timer of an authenticated session
	// (RFC 3501 section 5.4: at least 30 minutes). Zero means 30 minutes;
	// shorter values are raised to 30 minutes.
	IdleTimeout time.Duration
	// LoginTimeout is the autologout timer before authentication. Zero
	// means one minute.
	LoginTimeout time.Duration
	// MaxMessageSize bounds APPEND's message literal; zero means 64 MiB.
	MaxMessageSize int64
	// ShutdownTimeout bounds how long Close waits for sessions to finish
	// their command and say BYE; zero means 5 seconds.
	ShutdownTimeout time.Duration
}

// User is an account of the server.
type User struct {
	Name     string
	Password string
}

// PlaintextAuth is the policy for plaintext passwords (LOGIN, AUTHENTICATE
// PLAIN) on connections without TLS (RFC 3501 sections 6.2.3 and 11.1).
// Where they are refused, CAPABILITY advertises LOGINDISABLED and no
// AUTH=PLAIN.
type PlaintextAuth int

const (
	// PlaintextAuthLoopback allows plaintext passwords without TLS only on
	// a listener bound to a loopback address. It is the zero value.
	PlaintextAuthLoopback PlaintextAuth = iota
	// PlaintextAuthNever requires TLS (STARTTLS or implicit) first.
	PlaintextAuthNever
	// PlaintextAuthAlways allows plaintext passwords on every connection.
	PlaintextAuthAlways
)

// String returns the name used on the command line.
func (p PlaintextAuth) String() string {
	switch p {
	case PlaintextAuthLoopback:
		return "loopback"
	case PlaintextAuthNever:
		return "never"
	case PlaintextAuthAlways:
		return "always"
	}
	return fmt.Sprintf("PlaintextAuth(%d)", int(p))
}

// ParsePlaintextAuth parses "loopback", "never" or "always".
func ParsePlaintextAuth(s string) (PlaintextAuth, error) {
	for _, p := range []PlaintextAuth{PlaintextAuthLoopback, PlaintextAuthNever, PlaintextAuthAlways} {
		if s == p.String() {
			return p, nil
		}
	}
	return 0, fmt.Errorf("invalid plaintext-auth policy %q: want loopback, never or always", s)
}

const minIdleTimeout = 30 * time.Minute

func (o *Options) idleTimeout() time.Duration {
	if o.IdleTimeout < minIdleTimeout {
		return minIdleTimeout
	}
	return o.IdleTimeout
}

func (o *Options) loginTimeout() time.Duration {
	if o.LoginTimeout <= 0 {
		return time.Minute
	}
	return o.LoginTimeout
}

func (o *Options) shutdownTimeout() time.Duration {
	if o.ShutdownTimeout <= 0 {
		return 5 * time.Second
	}
	return o.ShutdownTimeout
}
