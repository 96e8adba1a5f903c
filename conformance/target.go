package conformance

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/imapgauge/imapgauge/conformance/wire"
)

// Security is how a connection to the target is protected.
type Security string

// The security modes of a target.
const (
	// Plain connections stay in plaintext (imap://host:port).
	Plain Security = "plain"
	// StartTLS connections issue STARTTLS right after the greeting
	// (imap://host:port?starttls=1).
	StartTLS Security = "starttls"
	// ImplicitTLS connections start TLS before the greeting
	// (imaps://host:port, RFC 8314).
	ImplicitTLS Security = "tls"
)

// Target is the server a run checks.
type Target struct {
	// URL is the target as the user gave it, credentials never included.
	URL string
	// Addr is "host:port".
	Addr string
	// Security says how sessions protect their connection.
	Security Security
	// Insecure skips certificate verification (self-signed test servers).
	Insecure bool
	// RootCAs, when set, verifies the server's certificate against these
	// roots instead of the system's (the embedded reference server).
	RootCAs *x509.CertPool
	// rootPEM holds RootCAs in PEM form, so that parallel workers can
	// rebuild the pool.
	rootPEM []byte
}

// ParseTarget reads a target URL: imap://host[:port] (port 143),
// imaps://host[:port] (port 993), or imap://host[:port]?starttls=1.
// Credentials do not belong in the URL: they are refused so they cannot
// leak into reports.
func ParseTarget(raw string) (Target, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return Target{}, fmt.Errorf("target %q is not a URL: use imap://host:port, imaps://host:port or imap://host:port?starttls=1", raw)
	}
	if u.User != nil {
		return Target{}, errors.New("target URL must not carry credentials: pass them with --user or IMAPGAUGE_USERS")
	}
	t := Target{URL: raw}
	port := ""
	switch strings.ToLower(u.Scheme) {
	case "imap":
		t.Security, port = Plain, "143"
	case "imaps":
		t.Security, port = ImplicitTLS, "993"
	default:
		return Target{}, fmt.Errorf("target %q: scheme must be imap or imaps", raw)
	}
	if u.Host == "" || u.Hostname() == "" {
		return Target{}, fmt.Errorf("target %q has no host", raw)
	}
	if u.Path != "" && u.Path != "/" || u.Fragment != "" {
		return Target{}, fmt.Errorf("target %q: a target has no path or fragment", raw)
	}
	if p := u.Port(); p != "" {
		port = p
	}
	t.Addr = net.JoinHostPort(u.Hostname(), port)
	for name, values := range u.Query() {
		if name != "starttls" {
			return Target{}, fmt.Errorf("target %q: unknown parameter %q (only starttls)", raw, name)
		}
		switch strings.ToLower(values[len(values)-1]) {
		case "1", "true", "yes":
			if t.Security == ImplicitTLS {
				return Target{}, fmt.Errorf("target %q: starttls does not apply to imaps", raw)
			}
			t.Security = StartTLS
		case "0", "false", "no":
		default:
			return Target{}, fmt.Errorf("target %q: starttls must be 1 or 0", raw)
		}
	}
	return t, nil
}

// SetRootPEM makes the target verify certificates against the PEM-encoded
// certificates in pem.
func (t *Target) SetRootPEM(data []byte) error {
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(data) {
		return errors.New("no certificate in PEM data")
	}
	t.RootCAs, t.rootPEM = pool, data
	return nil
}

// SetRootCerts makes the target verify certificates against certs.
func (t *Target) SetRootCerts(certs ...*x509.Certificate) {
	var data []byte
	for _, c := range certs {
		data = append(data, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})...)
	}
	if len(data) > 0 {
		_ = t.SetRootPEM(data)
	}
}

// TLSConfig returns the configuration sessions use for TLS.
func (t *Target) TLSConfig() *tls.Config {
	host, _, _ := net.SplitHostPort(t.Addr)
	return &tls.Config{
		ServerName:         host,
		RootCAs:            t.RootCAs,
		InsecureSkipVerify: t.Insecure, //nolint:gosec // --insecure, for self-signed test servers
		MinVersion:         tls.VersionTLS12,
	}
}

// User is one account on the target.
type User struct {
	Name     string
	Password string
}

// String names the user; the password is never printed.
func (u User) String() string { return u.Name }

// GoString keeps the password out of %#v as well.
func (u User) GoString() string { return fmt.Sprintf("conformance.User{Name: %q}", u.Name) }

// ParseUser reads "NAME:PASSWORD" (split at the first colon).
func ParseUser(s string) (User, error) {
	name, pw, ok := strings.Cut(s, ":")
	if !ok || name == "" || pw == "" {
		return User{}, errors.New("a user is NAME:PASSWORD, both non-empty")
	}
	return User{Name: name, Password: pw}, nil
}

// ParseUsers reads a comma-separated list of NAME:PASSWORD, the form of the
// IMAPGAUGE_USERS environment variable.
func ParseUsers(s string) ([]User, error) {
	var users []User
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		u, err := ParseUser(part)
		if err != nil {
			return nil, err
		}
		users = append(users, u)
	}
	return users, nil
}

// PinRoots connects once, negotiates TLS the way the target does
// (STARTTLS for a plaintext target), verifies the server's certificate with
// the current configuration, and from then on trusts the root of the
// verified chain, in a form parallel workers can share. It is how a pool
// given in memory (the embedded reference server's) reaches the workers.
func (t *Target) PinRoots(ctx context.Context, timeout time.Duration) error {
	c, err := wire.Dial(ctx, t.Addr, wire.Options{Timeout: timeout, ImplicitTLS: t.Security == ImplicitTLS, TLSConfig: t.TLSConfig()})
	if err != nil {
		return err
	}
	defer c.Close()
	if _, err := c.ReadGreeting(); err != nil {
		return err
	}
	if t.Security != ImplicitTLS {
		cmd, err := c.StartTLS()
		if err != nil {
			return err
		}
		if cmd.Status() != "OK" {
			return fmt.Errorf("STARTTLS refused: %s", cmd.Tagged.Line())
		}
	}
	st, ok := c.ConnectionState()
	if !ok || len(st.VerifiedChains) == 0 {
		return errors.New("no verified certificate chain")
	}
	chain := st.VerifiedChains[0]
	t.SetRootCerts(chain[len(chain)-1])
	return nil
}
