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
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))

	st, err := store.Open(*storeDir, store.Options{PollInterval: *poll, Logger: logger})
	if err != nil {
		return err
	}
	defer st.Close()

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return listenError(*addr, err)
	}
	srv := &http.Server{
		Handler:           server.New(server.Config{Catalog: st, BaseURL: *baseURL, Logger: logger, MaxOverzoom: *maxOverzoom}),
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
