package main

import (
	"errors"
	"fmt"
	"net"
	"syscall"
)

// listenError explains why serve cannot listen on addr, naming the cause
// rather than assuming the port is taken.
func listenError(addr string, err error) error {
	var dnsErr *net.DNSError
	var fix string
	switch {
	case errors.Is(err, syscall.EADDRINUSE):
		fix = "another program listens on that port; stop it or choose a free port"
	case errors.Is(err, syscall.EACCES):
		fix = "ports below 1024 need privileges; choose a port from 1024 up, or grant the binary CAP_NET_BIND_SERVICE"
	case errors.Is(err, syscall.EADDRNOTAVAIL):
		fix = "the host is not an address of this machine; give one of its addresses, or only :PORT to listen on all of them"
	case errors.As(err, &dnsErr):
		fix = "the host is neither an IP address nor a name that resolves; give an address of this machine, or only :PORT to listen on all of them"
	default:
		fix = "give HOST:PORT with an address of this machine, or only :PORT"
	}
	return fmt.Errorf("cannot listen on --addr %s: %v; %s", addr, err, fix)
}
