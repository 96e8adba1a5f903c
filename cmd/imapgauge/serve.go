package main

import (
	"bufio"
	"crypto/tls"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	referenceserver "github.com/imapgauge/imapgauge/reference-server"
)

// exitServeFailed is serve's exit code when the server cannot start or
// stop cleanly.
const exitServeFailed = 1

// serveFlags are the flags of the serve subcommand.
type serveFlags struct {
	listen        string
	tlsListen     string
	cert, key     string
	plaintextAuth string
	users         []string
	usersFile     string
	logLevel      string
}

func newServeCommand() *cobra.Command {
	var f serveFlags
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the bundled reference IMAP server",
		Long: `serve runs imapgauge's reference IMAP4rev1 server (RFC 3501) until SIGINT or
SIGTERM, then shuts down gracefully: every session finishes its command and
gets a BYE.

The plain listener offers STARTTLS; --tls-listen adds an implicit-TLS (IMAPS)
listener. Without --cert and --key a self-signed certificate for localhost,
127.0.0.1 and ::1 is generated at start. Mail is kept in memory.

Users come from --user NAME:PASSWORD (repeatable) and --users-file, a file of
name:password lines where blank lines and lines starting with # are ignored.
Each user gets an empty INBOX. Passwords are never printed or logged.

Exit codes: 0 after a clean shutdown, 1 if the server cannot start (address in
use), 2 for a usage error.`,
		Example: `  imapgauge serve --user alice:secret
  imapgauge serve --listen 127.0.0.1:1143 --tls-listen 127.0.0.1:1993 --users-file users.txt`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runServe(cmd, f)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.listen, "listen", "127.0.0.1:1143", "address of the plain listener (STARTTLS offered)")
	fl.StringVar(&f.tlsListen, "tls-listen", "", "address of an implicit-TLS listener (off when empty)")
	fl.StringVar(&f.cert, "cert", "", "PEM certificate file (with --key); a self-signed one is generated when absent")
	fl.StringVar(&f.key, "key", "", "PEM private key file (with --cert)")
	fl.StringVar(&f.plaintextAuth, "plaintext-auth", "loopback", "when LOGIN and AUTHENTICATE PLAIN work without TLS: loopback (listeners on a loopback address), never, always")
	fl.StringArrayVar(&f.users, "user", nil, "a user as NAME:PASSWORD (repeatable)")
	fl.StringVar(&f.usersFile, "users-file", "", "file of NAME:PASSWORD lines (# starts a comment line)")
	fl.StringVar(&f.logLevel, "log-level", "warn", "log level on stderr: debug, info, warn or error")
	return cmd
}

// serveOptions turns the flags into server options; every error is a usage
// error.
func serveOptions(f serveFlags, stderr io.Writer) (referenceserver.Options, error) {
	var opts referenceserver.Options
	if f.listen == "" {
		return opts, usageErr("--listen must not be empty")
	}
	opts.Addr = f.listen
	opts.TLSAddr = f.tlsListen
	policy, err := referenceserver.ParsePlaintextAuth(f.plaintextAuth)
	if err != nil {
		return opts, usageErr("--plaintext-auth: %v", err)
	}
	opts.PlaintextAuth = policy
	if (f.cert == "") != (f.key == "") {
		return opts, usageErr("--cert and --key must be given together")
	}
	if f.cert != "" {
		pair, err := tls.LoadX509KeyPair(f.cert, f.key)
		if err != nil {
			return opts, usageErr("--cert/--key: %v", err)
		}
		opts.TLSConfig = &tls.Config{Certificates: []tls.Certificate{pair}, MinVersion: tls.VersionTLS12}
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(f.logLevel)); err != nil {
		return opts, usageErr("--log-level: want debug, info, warn or error, not %q", f.logLevel)
	}
	opts.Logger = slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))

	seen := map[string]bool{}
	add := func(spec, where string) error {
		name, password, ok := strings.Cut(spec, ":")
		if !ok || name == "" {
			return usageErr("%s: want NAME:PASSWORD, got a value without a colon or without a name", where)
		}
		if seen[name] {
			return usageErr("%s: user %q is defined twice", where, name)
		}
		seen[name] = true
		opts.Users = append(opts.Users, referenceserver.User{Name: name, Password: password})
		return nil
	}
	for _, u := range f.users {
		if err := add(u, "--user"); err != nil {
			return opts, err
		}
	}
	if f.usersFile != "" {
		file, err := os.Open(f.usersFile)
		if err != nil {
			return opts, usageErr("--users-file: %v", err)
		}
		defer file.Close()
		sc := bufio.NewScanner(file)
		for n := 1; sc.Scan(); n++ {
			line := strings.TrimRight(sc.Text(), "\r")
			if t := strings.TrimSpace(line); t == "" || strings.HasPrefix(t, "#") {
				continue
			}
			if err := add(line, fmt.Sprintf("--users-file %s line %d", f.usersFile, n)); err != nil {
				return opts, err
			}
		}
		if err := sc.Err(); err != nil {
			return opts, usageErr("--users-file: %v", err)
		}
	}
	return opts, nil
}

func runServe(cmd *cobra.Command, f serveFlags) error {
	out := cmd.OutOrStdout()
	opts, err := serveOptions(f, cmd.ErrOrStderr())
	if err != nil {
		return err
	}
	srv, err := referenceserver.Start(opts)
	if err != nil {
		return withCode(exitServeFailed, fmt.Errorf("start the reference server: %w", err))
	}
	fmt.Fprintf(out, "imapgauge reference server listening on %s (plain, STARTTLS offered; plaintext auth: %s)\n", srv.Addr(), opts.PlaintextAuth)
	if a := srv.TLSAddr(); a != "" {
		fmt.Fprintf(out, "implicit TLS on %s\n", a)
	}
	if f.cert == "" {
		fmt.Fprintln(out, "certificate: self-signed for localhost, 127.0.0.1 and ::1")
	}
	names := srv.Users()
	sort.Strings(names)
	if len(names) == 0 {
		fmt.Fprintln(out, "users: none; nobody can log in (add --user NAME:PASSWORD)")
	} else {
		fmt.Fprintf(out, "users: %s\n", strings.Join(names, ", "))
	}
	ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	<-ctx.Done()
	fmt.Fprintln(out, "shutting down")
	if err := srv.Close(); err != nil {
		return withCode(exitServeFailed, err)
	}
	return nil
}
