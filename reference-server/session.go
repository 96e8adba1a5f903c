package referenceserver

import (
	"bufio"
	"crypto/tls"
	"errors"
	"io"
	"log/slog"
	"net"
	"os"
	"runtime/debug"
	"time"

	"github.com/imapgauge/imapgauge/reference-server/internal/command"
)

// state is a session's state (RFC 3501 section 3).
type state int

const (
	stateNotAuthenticated state = iota
	stateAuthenticated
	stateSelected
	stateLogout
)

var stateNames = [...]string{"not authenticated", "authenticated", "selected", "logout"}

// writeTimeout bounds each write to a client; a client that stops reading
// is disconnected rather than holding its session forever.
const writeTimeout = 2 * time.Minute

// handshakeTimeout bounds a TLS handshake.
const handshakeTimeout = 30 * time.Second

// session is one client connection.
type session struct {
	srv *Server
	id  uint64
	log *slog.Logger

	raw        net.Conn // the TCP connection, with write deadlines
	conn       net.Conn // raw, or the TLS connection over it
	br         *bufio.Reader
	bw         *bufio.Writer
	r          *command.Reader
	tls        bool
	plaintexts bool // plaintext passwords allowed without TLS on this listener

	state state
	user  *user
	view  *view

	// per command
	out    []byte // responses built before being written
	okCode string // response code of the tagged OK
	okText string
}

// deadlineConn sets a write deadline before every write.
type deadlineConn struct{ net.Conn }

func (c deadlineConn) Write(p []byte) (int, error) {
	if err := c.Conn.SetWriteDeadline(time.Now().Add(writeTimeout)); err != nil {
		return 0, err
	}
	return c.Conn.Write(p)
}

func (s *Server) newSession(c net.Conn, implicitTLS bool) *session {
	sess := &session{srv: s, id: s.nextSession.Add(1), raw: deadlineConn{c}}
	sess.log = s.log.With("session", sess.id, "remote", c.RemoteAddr().String())
	sess.conn = sess.raw
	if implicitTLS {
		sess.plaintexts = s.opts.PlaintextAuth == PlaintextAuthAlways || s.opts.PlaintextAuth == PlaintextAuthLoopback && s.tlsLnIsLoopback
	} else {
		sess.plaintexts = s.opts.PlaintextAuth == PlaintextAuthAlways || s.opts.PlaintextAuth == PlaintextAuthLoopback && s.lnLoopback
	}
	sess.br = bufio.NewReaderSize(sess.conn, 4<<10)
	sess.bw = bufio.NewWriterSize(sess.conn, 8<<10)
	sess.r = command.NewReader(sess.br, s.limits, sess.continuation)
	sess.r.SetHooks(command.Hooks{Allow: sess.allow, BeforeMessage: sess.beforeAppendMessage})
	if implicitTLS {
		sess.tls = true // the handshake happens in serve
	}
	return sess
}

// interrupt makes a blocked read return, for shutdown.
func (sess *session) interrupt() {
	sess.raw.SetReadDeadline(time.Unix(1, 0))
}

// serve runs the session until LOGOUT, an error, autologout or shutdown.
func (sess *session) serve() {
	sess.log.Debug("connected")
	defer func() {
		if p := recover(); p != nil {
			sess.log.Error("panic", "panic", p, "stack", string(debug.Stack()))
			sess.bw.WriteString("* BYE Internal server error; the session ends\r\n")
			sess.bw.Flush()
		}
		if sess.view != nil {
			sess.view.close()
		}
		sess.conn.Close()
		sess.log.Debug("disconnected")
	}()
	if sess.tls {
		tc := tls.Server(sess.raw, sess.srv.tlsConfig)
		sess.raw.SetReadDeadline(time.Now().Add(handshakeTimeout))
		if err := tc.Handshake(); err != nil {
			sess.log.Info("TLS handshake failed", "err", err)
			return
		}
		sess.conn = tc
		sess.br.Reset(tc)
		sess.bw.Reset(tc)
	}
	sess.bw.WriteString("* OK [CAPABILITY " + sess.capabilities() + "] imapgauge reference server ready\r\n")
	if sess.bw.Flush() != nil {
		return
	}
	for sess.state != stateLogout {
		timeout := time.Duration(sess.srv.idle.Load())
		if sess.state == stateNotAuthenticated {
			timeout = sess.srv.opts.loginTimeout()
		}
		sess.raw.SetReadDeadline(time.Now().Add(timeout))
		if sess.srv.closing.Load() {
			sess.bye("Server shutting down")
			return
		}
		cmd, err := sess.r.Read()
		if err != nil {
			var pe *command.Error
			if errors.As(err, &pe) {
				sess.refuse(pe)
				if pe.Fatal {
					sess.bye("Cannot read commands in step any more")
					return
				}
				if sess.bw.Flush() != nil {
					return
				}
				continue
			}
			if errors.Is(err, os.ErrDeadlineExceeded) {
				if sess.srv.closing.Load() {
					sess.bye("Server shutting down")
				} else {
					sess.bye("Autologout; idle for too long")
				}
			} else if !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, net.ErrClosed) {
				sess.log.Debug("read", "err", err)
			}
			return
		}
		sess.execute(cmd)
		if sess.bw.Flush() != nil {
			return
		}
	}
}

// bye sends an untagged BYE (RFC 3501 section 7.1.5) before the server ends
// the connection.
func (sess *session) bye(text string) {
	sess.bw.WriteString("* BYE " + text + "\r\n")
	sess.bw.Flush()
}

// refuse answers a command the reader refused.
func (sess *session) refuse(pe *command.Error) {
	tag := pe.Tag
	if tag == "" {
		tag = "*"
	}
	sess.bw.WriteString(tag + " " + pe.Status + " " + pe.Text + "\r\n")
}

// continuation sends the command continuation request of a synchronising
// literal (RFC 3501 section 7.5).
func (sess *session) continuation() error {
	sess.bw.WriteString("+ Ready for literal data\r\n")
	return sess.bw.Flush()
}

// commandStates says in which states each command is valid (RFC 3501
// section 6).
var commandStates = map[string][]state{
	"CAPABILITY": {stateNotAuthenticated, stateAuthenticated, stateSelected},
	"NOOP":       {stateNotAuthenticated, stateAuthenticated, stateSelected},
	"LOGOUT":     {stateNotAuthenticated, stateAuthenticated, stateSelected},

	"STARTTLS":     {stateNotAuthenticated},
	"AUTHENTICATE": {stateNotAuthenticated},
	"LOGIN":        {stateNotAuthenticated},

	"SELECT":      {stateAuthenticated, stateSelected},
	"EXAMINE":     {stateAuthenticated, stateSelected},
	"CREATE":      {stateAuthenticated, stateSelected},
	"DELETE":      {stateAuthenticated, stateSelected},
	"RENAME":      {stateAuthenticated, stateSelected},
	"SUBSCRIBE":   {stateAuthenticated, stateSelected},
	"UNSUBSCRIBE": {stateAuthenticated, stateSelected},
	"LIST":        {stateAuthenticated, stateSelected},
	"LSUB":        {stateAuthenticated, stateSelected},
	"STATUS":      {stateAuthenticated, stateSelected},
	"APPEND":      {stateAuthenticated, stateSelected},

	"CHECK":      {stateSelected},
	"CLOSE":      {stateSelected},
	"EXPUNGE":    {stateSelected},
	"SEARCH":     {stateSelected},
	"FETCH":      {stateSelected},
	"STORE":      {stateSelected},
	"COPY":       {stateSelected},
	"UID COPY":   {stateSelected},
	"UID FETCH":  {stateSelected},
	"UID SEARCH": {stateSelected},
	"UID STORE":  {stateSelected},
}

// allow refuses, before its arguments are read, a command that is not valid
// in the session's state: BAD, as for any command the server cannot accept
// here (RFC 3501 section 7.1.3), and LOGIN when plaintext passwords are
// disabled: NO, before the client sends a password literal.
func (sess *session) allow(name string) *command.Error {
	for _, st := range commandStates[name] {
		if st == sess.state {
			if name == "LOGIN" && !sess.plaintextAllowed() {
				return &command.Error{Status: "NO", Text: "LOGIN is disabled on a connection without TLS (LOGINDISABLED): use STARTTLS first"}
			}
			return nil
		}
	}
	if name == "STARTTLS" && sess.state != stateNotAuthenticated {
		return &command.Error{Status: "BAD", Text: "STARTTLS is only valid in the not authenticated state"}
	}
	return &command.Error{Status: "BAD", Text: name + " is not valid in the " + stateNames[sess.state] + " state"}
}

// plaintextAllowed reports whether LOGIN and AUTHENTICATE PLAIN may be used
// now (RFC 3501 sections 6.2.3 and 11.1).
func (sess *session) plaintextAllowed() bool { return sess.tls || sess.plaintexts }

// capabilities returns the capability list for the session's state.
func (sess *session) capabilities() string {
	caps := "IMAP4rev1"
	if sess.state == stateNotAuthenticated {
		if !sess.tls {
			caps += " STARTTLS"
		}
		if sess.plaintextAllowed() {
			caps += " AUTH=PLAIN SASL-IR"
		} else {
			caps += " LOGINDISABLED"
		}
	}
	return caps + " CHILDREN"
}

// errAnswered is returned by a handler that wrote its own tagged response.
var errAnswered = errors.New("answered")

// execute runs one command and writes its responses.
func (sess *session) execute(cmd *command.Command) {
	sess.out = sess.out[:0]
	sess.okCode, sess.okText = "", ""
	var err error
	switch cmd.Name {
	case "CAPABILITY":
		err = sess.cmdCapability(cmd)
	case "NOOP", "CHECK":
		// CHECK (RFC 3501 section 6.4.1): the store is always
		// consistent, so there is nothing to do but the update below.
	case "LOGOUT":
		err = sess.cmdLogout(cmd)
	case "STARTTLS":
		err = sess.cmdStartTLS(cmd)
	case "LOGIN":
		err = sess.cmdLogin(cmd)
	case "AUTHENTICATE":
		err = sess.cmdAuthenticate(cmd)
	case "SELECT", "EXAMINE":
		err = sess.cmdSelect(cmd)
	case "CREATE":
		err = sess.cmdCreate(cmd)
	case "DELETE":
		err = sess.cmdDelete(cmd)
	case "RENAME":
		err = sess.cmdRename(cmd)
	case "SUBSCRIBE", "UNSUBSCRIBE":
		err = sess.cmdSubscribe(cmd)
	case "LIST", "LSUB":
		err = sess.cmdList(cmd)
	case "STATUS":
		err = sess.cmdStatus(cmd)
	case "APPEND":
		err = sess.cmdAppend(cmd)
	case "CLOSE":
		err = sess.cmdClose(cmd)
	case "EXPUNGE":
		err = sess.cmdExpunge(cmd)
	case "SEARCH":
		err = sess.cmdSearch(cmd)
	case "FETCH":
		err = sess.cmdFetch(cmd)
	case "STORE":
		err = sess.cmdStore(cmd)
	case "COPY":
		err = sess.cmdCopy(cmd)
	default:
		err = errBad("Unknown command %s", cmd.Name)
	}
	if err == errAnswered {
		return
	}
	if sess.view != nil && sess.state == stateSelected {
		// Tell the client what other sessions changed (RFC 3501 section
		// 5.2), but no EXPUNGE during FETCH, STORE or SEARCH (section
		// 7.4.1); UID commands may have them (section 5.5).
		allowExpunge := cmd.UID || (cmd.Name != "FETCH" && cmd.Name != "STORE" && cmd.Name != "SEARCH")
		sess.out = sess.view.sync(sess.out, allowExpunge, cmd.UID)
	}
	sess.bw.Write(sess.out)
	name := cmd.Name
	if cmd.UID {
		name = "UID " + name
	}
	var se *statusError
	switch {
	case err == nil:
		sess.bw.WriteString(cmd.Tag + " OK ")
		if sess.okCode != "" {
			sess.bw.WriteString("[" + sess.okCode + "] ")
		}
		if sess.okText != "" {
			sess.bw.WriteString(sess.okText + "\r\n")
		} else {
			sess.bw.WriteString(name + " completed\r\n")
		}
	case errors.As(err, &se):
		sess.bw.WriteString(cmd.Tag + " " + se.Error() + "\r\n")
	default:
		sess.log.Error("command failed", "command", name, "err", err)
		sess.bw.WriteString(cmd.Tag + " NO " + name + " failed: internal error\r\n")
	}
}

// untagged appends an untagged response line (without CRLF) to the output.
func (sess *session) untagged(line string) {
	sess.out = append(sess.out, "* "...)
	sess.out = append(sess.out, line...)
	sess.out = append(sess.out, "\r\n"...)
}

// flushOut writes the responses built so far, so that large answers do not
// accumulate in memory.
func (sess *session) flushOut() {
	if len(sess.out) > 0 {
		sess.bw.Write(sess.out)
		sess.out = sess.out[:0]
	}
}

// deselect leaves the selected state, if the session is in it.
func (sess *session) deselect() {
	if sess.view != nil {
		sess.view.close()
		sess.view = nil
	}
	if sess.state == stateSelected {
		sess.state = stateAuthenticated
	}
}
