// Command imapgauge tells whether an IMAP server follows RFC 3501 and how much
// load it carries while staying correct. See the README for the subcommands.
package main

import "os"

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}
