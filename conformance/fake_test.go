package conformance

import (
	"bufio"
	"net"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeServer is a minimal IMAP server for the engine's tests: enough of
// RFC 3501 for sessions to greet, log in and log out, plus commands that
// misbehave on request:
//
//	X-WRONGTAG  answers with a tag the client never sent
//	X-BARELF    ends its completion with a bare LF
//	X-GARBAGE   sends a line that is no IMAP response at all
//	X-BADSYNTAX sends an untagged response that breaks the grammar
//	X-RECENTFLAGS sends a well-formed FLAGS response listing \Recent
//	X-DROP      closes the connection without a word
//	X-HANG      never answers
//
// CREATE, LIST "" name and DELETE keep a set of mailboxes. CREATE of a name
// containing "-racy-" creates the mailbox but answers NO [ALREADYEXISTS],
// as Dovecot 2.3 does when another session lists the mailboxes meanwhile;
// CREATE of a name containing "-refused-" answers NO and creates nothing.
//
// It shares nothing with the reference server: the engine's tests must not
// depend on it.
type fakeServer struct {
	ln       net.Listener
	users    map[string]string
	greeting string
	wg       sync.WaitGroup
	mu       sync.Mutex
	conns    map[net.Conn]bool
	boxes    map[string]bool
}

func startFake(t *testing.T) *fakeServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	f := &fakeServer{
		ln:       ln,
		users:    map[string]string{"fake-one": "pw-one-secret", "fake-two": "pw-two-secret"},
		greeting: "* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] fake ready\r\n",
		conns:    map[net.Conn]bool{},
		boxes:    map[string]bool{},
	}
	f.wg.Add(1)
	go f.accept()
	t.Cleanup(f.close)
	return f
}

func (f *fakeServer) addr() string { return f.ln.Addr().String() }

func (f *fakeServer) env(t *testing.T) *Env {
	t.Helper()
	target, err := ParseTarget("imap://" + f.addr())
	if err != nil {
		t.Fatal(err)
	}
	return &Env{
		Target:  target,
		Users:   []User{{Name: "fake-one", Password: "pw-one-secret"}, {Name: "fake-two", Password: "pw-two-secret"}},
		Timeout: time.Second,
		RunID:   "fake",
	}
}

func (f *fakeServer) close() {
	f.ln.Close()
	f.mu.Lock()
	for c := range f.conns {
		c.Close()
	}
	f.mu.Unlock()
	f.wg.Wait()
}

func (f *fakeServer) accept() {
	defer f.wg.Done()
	for {
		c, err := f.ln.Accept()
		if err != nil {
			return
		}
		f.mu.Lock()
		f.conns[c] = true
		f.mu.Unlock()
		f.wg.Add(1)
		go func() {
			defer f.wg.Done()
			defer c.Close()
			f.serve(c)
		}()
	}
}

func (f *fakeServer) serve(c net.Conn) {
	br := bufio.NewReader(c)
	write := func(s string) { c.Write([]byte(s)) }
	write(f.greeting)
	for {
		c.SetReadDeadline(time.Now().Add(10 * time.Second))
		line, err := br.ReadString('\n')
		if err != nil {
			return
		}
		fields := strings.Fields(line)
		if len(fields) < 2 {
			write("* BAD empty command\r\n")
			continue
		}
		tag, name := fields[0], strings.ToUpper(fields[1])
		switch name {
		case "CAPABILITY":
			write("* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n" + tag + " OK done\r\n")
		case "NOOP":
			write(tag + " OK done\r\n")
		case "LOGIN":
			if len(fields) == 4 && f.users[fields[2]] == fields[3] {
				write(tag + " OK logged in\r\n")
			} else {
				write(tag + " NO [AUTHENTICATIONFAILED] wrong credentials\r\n")
			}
		case "LOGOUT":
			write("* BYE bye\r\n" + tag + " OK done\r\n")
			return
		case "CREATE", "DELETE", "LIST":
			write(f.mailboxCommand(tag, name, fields[2:]))
		case "X-ECHO":
			// Repeats the command line, as some servers do in error texts.
			write(tag + " BAD you said: " + strings.TrimRight(line, "\r\n") + "\r\n")
		case "X-WRONGTAG":
			write("zz" + tag + " OK done\r\n")
		case "X-BARELF":
			write(tag + " OK done\n")
		case "X-GARBAGE":
			write("\x00\x01 garbage\r\n")
		case "X-BADSYNTAX":
			write("* FLAGS (\\Seen\r\n" + tag + " OK done\r\n")
		case "X-RECENTFLAGS":
			write("* FLAGS (\\Seen \\Recent)\r\n" + tag + " OK done\r\n")
		case "X-DROP":
			return
		case "X-HANG":
			// Read on, answer nothing.
		default:
			write(tag + " BAD unknown command\r\n")
		}
	}
}

// mailboxCommand answers CREATE, DELETE and LIST "" name.
func (f *fakeServer) mailboxCommand(tag, name string, args []string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(args) == 0 {
		return tag + " BAD missing mailbox\r\n"
	}
	mbox := args[len(args)-1]
	switch {
	case name == "LIST":
		if f.boxes[mbox] {
			return "* LIST () \"/\" " + mbox + "\r\n" + tag + " OK done\r\n"
		}
		return tag + " OK done\r\n"
	case name == "DELETE":
		delete(f.boxes, mbox)
		return tag + " OK done\r\n"
	case strings.Contains(mbox, "-refused-"):
		return tag + " NO cannot create\r\n"
	case strings.Contains(mbox, "-racy-"):
		f.boxes[mbox] = true
		return tag + " NO [ALREADYEXISTS] Mailbox already exists\r\n"
	}
	f.boxes[mbox] = true
	return tag + " OK done\r\n"
}
