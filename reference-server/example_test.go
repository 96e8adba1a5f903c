package referenceserver_test

import (
	"bufio"
	"fmt"
	"net"
	"strings"
	"time"

	referenceserver "github.com/imapgauge/imapgauge/reference-server"
)

// Start a server, seed a message, and talk to it over TCP.
func Example() {
	srv, err := referenceserver.Start(referenceserver.Options{
		Users: []referenceserver.User{{Name: "alice", Password: "secret"}},
	})
	if err != nil {
		panic(err)
	}
	defer srv.Close()
	if _, err := srv.Append("alice", "INBOX", []byte("Subject: hello\r\n\r\nHi!\r\n"), nil, time.Time{}); err != nil {
		panic(err)
	}

	conn, err := net.Dial("tcp", srv.Addr())
	if err != nil {
		panic(err)
	}
	defer conn.Close()
	r := bufio.NewReader(conn)
	r.ReadString('\n') // greeting
	fmt.Fprint(conn, "a LOGIN alice secret\r\nb STATUS INBOX (MESSAGES RECENT)\r\nc LOGOUT\r\n")
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			break
		}
		fmt.Println(strings.TrimRight(line, "\r\n"))
	}
	// Output:
	// a OK [CAPABILITY IMAP4rev1 CHILDREN] Logged in
	// * STATUS "INBOX" (MESSAGES 1 RECENT 1)
	// b OK STATUS completed
	// * BYE imapgauge reference server logging out
	// c OK LOGOUT completed
}
