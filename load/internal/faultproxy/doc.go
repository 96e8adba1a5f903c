// Package faultproxy is an IMAP proxy that breaks a correct server on purpose:
// it loses APPENDs while answering OK, drops EXPUNGE or EXISTS responses,
// reports wrong UIDs, or hides capabilities. The load generator's tests put it
// between the devices and a server to show that each correctness check
// catches the fault it is meant for.
package faultproxy
