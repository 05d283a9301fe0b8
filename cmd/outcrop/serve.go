package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/outcrop/outcrop/server"
	"github.com/outcrop/outcrop/store"
)

func init() {
	register("serve", command{"publish every tileset of a store over HTTP", runServe})
}

func runServe(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("serve", "serve --store DIR [--addr HOST:PORT]", stderr)
	storeDir := fs.String("store", "", "directory of tileset files (required)")
	addr := fs.String("addr", "localhost:8080", "address to listen on, HOST:PORT")
	baseURL := fs.String("base-url", "", "public root URL used in links when behind a proxy (default: from each request)")
	poll := fs.Duration("poll", time.Second, "how often the store directory is checked for new or replaced tilesets")
	logLevel := fs.String("log-level", "info", "log level: debug, info, warn or error")
	maxOverzoom := fs.Int("max-overzoom", server.DefaultMaxOverzoom, "deepest zoom the XYZ tile URL answers: zooms deeper than a tileset's max zoom are cut from its max-zoom tiles, for clients that do not overzoom (QGIS); 0 serves each tileset's own zooms only")
	writeTimeout := fs.Duration("write-timeout", server.DefaultWriteTimeout, "how long one write of a response may wait on a client that does not read before its connection is closed; 0 for no bound")
	grace := fs.Duration("version-grace", store.DefaultGrace, "how long a replaced or removed tileset version stays open for the requests that began on it; then they fail and its file is released; 0 for no bound")
	maxHeavy := fs.Int("max-heavy", 0, "heavy requests served at once (pages of over 1000 features, HTML pages of features, raster renders, WMS maps); more are answered 503 with Retry-After (default 2 per CPU)")
	serviceMeta := fs.String("service-metadata", "", "YAML file of the service provider's metadata for the WMS capabilities: title, abstract, keywords, organization, person, position, email, phone, online_resource, fees, access_constraints (docs/API.md, WMS)")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usageError{fmt.Sprintf("unexpected argument %q; serve takes only flags", rest[0])}
	}
	if *storeDir == "" {
		return usageError{"--store is required: the directory that 'outcrop ingest --store' writes to"}
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		return usageError{fmt.Sprintf("--log-level %q is not one of debug, info, warn, error", *logLevel)}
	}
	if *maxOverzoom < 0 || *maxOverzoom > 30 {
		return usageError{fmt.Sprintf("--max-overzoom %d is not a zoom from 0 to 30; 0 serves each tileset's own zooms only", *maxOverzoom)}
	}
	if *maxOverzoom == 0 {
		*maxOverzoom = -1 // server.Config's "none"
	}
	if *maxHeavy < 0 {
		return usageError{fmt.Sprintf("--max-heavy %d is negative; give a number of requests, or 0 for 2 per CPU", *maxHeavy)}
	}
	if *writeTimeout < 0 || *grace < 0 {
		return usageError{fmt.Sprintf("--write-timeout %v and --version-grace %v must not be negative; 0 means no bound", *writeTimeout, *grace)}
	}
	if *writeTimeout == 0 {
		*writeTimeout = -1 // server.Config's "none"
	}
	if *grace == 0 {
		*grace = -1 // store.Options' "none"
	}
	var service *server.ServiceMetadata
	if *serviceMeta != "" {
		if service, err = server.LoadServiceMetadata(*serviceMeta); err != nil {
			return fmt.Errorf("--service-metadata: %w", err)
		}
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))

	st, err := store.Open(*storeDir, store.Options{PollInterval: *poll, Logger: logger, Grace: *grace})
	if err != nil {
		return err
	}
	defer st.Close()

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return listenErr(*addr, err)
	}
	srv := &http.Server{
		Handler:           server.New(server.Config{Catalog: st, BaseURL: *baseURL, Logger: logger, MaxOverzoom: *maxOverzoom, WriteTimeout: *writeTimeout, MaxHeavy: *maxHeavy, Service: service}),
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
	}
	fmt.Fprintf(stdout, "Outcrop is serving %d tileset(s) from %s\n", len(st.IDs()), *storeDir)
	fmt.Fprintf(stdout, "  map viewer:  %s/map/\n", displayURL(ln.Addr().String(), *addr))
	fmt.Fprintf(stdout, "  OGC API:     %s/\n", displayURL(ln.Addr().String(), *addr))

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down")
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// displayURL turns the listening address into a URL a person can open:
// an unspecified host (":8080", "0.0.0.0:8080") becomes localhost.
func displayURL(listening, requested string) string {
	host, port, err := net.SplitHostPort(listening)
	if err != nil {
		return "http://" + requested
	}
	if ip := net.ParseIP(host); ip == nil || ip.IsUnspecified() {
		host = "localhost"
	} else if h, _, _ := net.SplitHostPort(requested); strings.EqualFold(h, "localhost") {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}

// listenErr words a failure to listen on --addr by its cause: a malformed
// address is a command-line mistake; one in use, not this machine's, or
// needing privileges is not.
func listenErr(addr string, err error) error {
	host, _, _ := net.SplitHostPort(addr)
	var ae *net.AddrError
	var dns *net.DNSError
	switch {
	case errors.As(err, &ae):
		return usageError{fmt.Sprintf("--addr %s is not a valid address (%s); give HOST:PORT with a port from 1 to 65535, e.g. localhost:8080 or :8080", addr, ae.Err)}
	case errors.As(err, &dns) && strings.Trim(host, "0123456789.") == "":
		return usageError{fmt.Sprintf("--addr %s: %s is not a valid IP address; give HOST:PORT, e.g. 127.0.0.1:8080 or :8080", addr, host)}
	case errors.As(err, &dns):
		return fmt.Errorf("--addr %s: %s does not resolve (%s); give a host name or address of this machine, or :PORT for all", addr, dns.Name, dns.Err)
	case errors.Is(err, syscall.EADDRINUSE):
		return fmt.Errorf("--addr %s is already in use by another program; choose a free port, or stop that program", addr)
	case errors.Is(err, syscall.EADDRNOTAVAIL):
		return fmt.Errorf("--addr %s cannot be assigned: no network interface of this machine has address %s; give one of its addresses, or :PORT to listen on all", addr, host)
	case errors.Is(err, syscall.EACCES):
		return fmt.Errorf("--addr %s: permission denied; ports below 1024 need privileges, choose one from 1024 up", addr)
	}
	return fmt.Errorf("cannot listen on --addr %s: %v; give HOST:PORT with a free port of this machine", addr, err)
}
