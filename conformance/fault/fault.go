package fault

import (
	"bytes"
	"regexp"
	"strings"
	"time"
)

// Action says what a Proxy does after forwarding the octets a fault returned.
type Action int

// The actions a fault can take.
const (
	// Forward goes on as usual.
	Forward Action = iota
	// Hang stops forwarding in both directions but keeps both connections
	// open: the client waits for an answer that never comes.
	Hang
	// Disconnect closes both connections.
	Disconnect
)

// State is what a fault knows about its connection. Each proxied
// connection has its own.
type State struct {
	// Index counts the server's responses on the connection; the greeting
	// is 0.
	Index int
	// Command is the upper-cased name of the latest command the client
	// sent ("" before the first), Tag its tag.
	Command, Tag string
	// TLS reports whether the client side of the connection uses TLS.
	TLS bool
	// Data is for a fault's own per-connection memory.
	Data map[string]any
}

// A Fault is one deliberate misbehaviour. Its hooks see plaintext; the zero
// Fault changes nothing.
type Fault struct {
	// Name says what the fault does, in a few words; negative-control tests
	// are named after it.
	Name string
	// Response sees each complete server response (first line, literals,
	// CRLFs) and returns the octets to send the client instead: nil drops
	// it, several responses may be returned at once.
	Response func(s *State, raw []byte) ([]byte, Action)
	// Command sees each line the client sends outside literal data (command
	// lines and AUTHENTICATE data lines) and returns the octets to send
	// the server instead.
	Command func(s *State, line []byte) ([]byte, Action)
	// ReplayPlaintext holds back whatever the client pipelined in plaintext
	// after STARTTLS and sends it to the server once TLS is established:
	// the server appears to execute commands an attacker injected before
	// the negotiation (RFC 3501 section 6.2.1).
	ReplayPlaintext bool
	// KeepOpen keeps the client's connection open when the server closes
	// its own, as a server that never closes after LOGOUT would.
	KeepOpen bool
}

// String returns the fault's name.
func (f Fault) String() string { return f.Name }

// matches reports whether s is inside a response to command (any command
// when command is empty) and raw matches re.
func matches(s *State, command string, re *regexp.Regexp, raw []byte) bool {
	if command != "" && !strings.EqualFold(s.Command, command) {
		return false
	}
	return re.Match(raw)
}

// RewriteResponse replaces, in every response to command ("" for any) that
// matches pattern, each match with repl (regexp.ReplaceAll syntax: $1 for
// submatches). Patterns see the raw response, CRLF included; (?i) makes
// them case-insensitive.
func RewriteResponse(name, command, pattern, repl string) Fault {
	re := regexp.MustCompile(pattern)
	return Fault{Name: name, Response: func(s *State, raw []byte) ([]byte, Action) {
		if !matches(s, command, re, raw) {
			return raw, Forward
		}
		return re.ReplaceAll(raw, []byte(repl)), Forward
	}}
}

// DropResponse removes every response to command ("" for any) that matches
// pattern.
func DropResponse(name, command, pattern string) Fault {
	re := regexp.MustCompile(pattern)
	return Fault{Name: name, Response: func(s *State, raw []byte) ([]byte, Action) {
		if matches(s, command, re, raw) {
			return nil, Forward
		}
		return raw, Forward
	}}
}

// InsertBefore sends extra (complete lines with CRLF) right before every
// response to command ("" for any) that matches pattern.
func InsertBefore(name, command, pattern, extra string) Fault {
	re := regexp.MustCompile(pattern)
	return Fault{Name: name, Response: func(s *State, raw []byte) ([]byte, Action) {
		if matches(s, command, re, raw) {
			return append([]byte(extra), raw...), Forward
		}
		return raw, Forward
	}}
}

// InsertAfter sends extra right after every response to command ("" for
// any) that matches pattern.
func InsertAfter(name, command, pattern, extra string) Fault {
	re := regexp.MustCompile(pattern)
	return Fault{Name: name, Response: func(s *State, raw []byte) ([]byte, Action) {
		if matches(s, command, re, raw) {
			return append(bytes.Clone(raw), extra...), Forward
		}
		return raw, Forward
	}}
}

// ReplaceGreeting sends greeting (a complete line with CRLF) instead of the
// server's greeting.
func ReplaceGreeting(name, greeting string) Fault {
	return Fault{Name: name, Response: func(s *State, raw []byte) ([]byte, Action) {
		if s.Index == 0 {
			return []byte(greeting), Forward
		}
		return raw, Forward
	}}
}

// BareLF ends every response to command ("" for any) that matches pattern
// with LF instead of CRLF, breaking the framing of RFC 3501 section 2.2.
func BareLF(name, command, pattern string) Fault {
	re := regexp.MustCompile(pattern)
	return Fault{Name: name, Response: func(s *State, raw []byte) ([]byte, Action) {
		if matches(s, command, re, raw) {
			return bytes.ReplaceAll(raw, []byte("\r\n"), []byte("\n")), Forward
		}
		return raw, Forward
	}}
}

// HangAt stops the conversation at the first response to command ("" for
// any) that matches pattern: it is not sent, and nothing else either.
func HangAt(name, command, pattern string) Fault {
	re := regexp.MustCompile(pattern)
	return Fault{Name: name, Response: func(s *State, raw []byte) ([]byte, Action) {
		if matches(s, command, re, raw) {
			return nil, Hang
		}
		return raw, Forward
	}}
}

// DisconnectAt closes the connection instead of sending the first response
// to command ("" for any) that matches pattern.
func DisconnectAt(name, command, pattern string) Fault {
	re := regexp.MustCompile(pattern)
	return Fault{Name: name, Response: func(s *State, raw []byte) ([]byte, Action) {
		if matches(s, command, re, raw) {
			return nil, Disconnect
		}
		return raw, Forward
	}}
}

// RewriteCommand replaces, in every client line that matches pattern, each
// match with repl.
func RewriteCommand(name, pattern, repl string) Fault {
	re := regexp.MustCompile(pattern)
	return Fault{Name: name, Command: func(s *State, line []byte) ([]byte, Action) {
		return re.ReplaceAll(line, []byte(repl)), Forward
	}}
}

// ReplayPlaintextAfterStartTLS makes the server execute commands pipelined
// in plaintext after STARTTLS, as a vulnerable server would.
func ReplayPlaintextAfterStartTLS(name string) Fault {
	return Fault{Name: name, ReplayPlaintext: true}
}

// KeepOpenAfterClose keeps the client's connection open after the server
// closed its side (RFC 3501 section 6.1.3: the server closes the connection
// after LOGOUT).
func KeepOpenAfterClose(name string) Fault { return Fault{Name: name, KeepOpen: true} }

// Latency delays every server response by d, like a distant server. It is
// not a misbehaviour: it is for measuring parallel runs.
func Latency(d time.Duration) Fault {
	return Fault{Name: "latency " + d.String(), Response: func(s *State, raw []byte) ([]byte, Action) {
		time.Sleep(d)
		return raw, Forward
	}}
}

// Chain applies several faults in order under one name: each response or
// line goes through every hook, the strongest action wins.
func Chain(name string, faults ...Fault) Fault {
	f := Fault{Name: name}
	for _, g := range faults {
		f.ReplayPlaintext = f.ReplayPlaintext || g.ReplayPlaintext
		f.KeepOpen = f.KeepOpen || g.KeepOpen
	}
	f.Response = func(s *State, raw []byte) ([]byte, Action) {
		act := Forward
		for _, g := range faults {
			if g.Response == nil {
				continue
			}
			var a Action
			raw, a = g.Response(s, raw)
			act = max(act, a)
		}
		return raw, act
	}
	f.Command = func(s *State, line []byte) ([]byte, Action) {
		act := Forward
		for _, g := range faults {
			if g.Command == nil {
				continue
			}
			var a Action
			line, a = g.Command(s, line)
			act = max(act, a)
		}
		return line, act
	}
	return f
}
