package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/outcrop/outcrop/glyphs"
	"github.com/outcrop/outcrop/objstore"
	"github.com/outcrop/outcrop/server"
	"github.com/outcrop/outcrop/server/viewer"
	"github.com/outcrop/outcrop/store"
	"github.com/outcrop/outcrop/tileset"
)

func init() {
	register("serve", command{"publish every tileset of a store over HTTP", runServe})
}

func runServe(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("serve", "serve --store DIR [--addr HOST:PORT] [--sync s3://BUCKET/PREFIX]", stderr)
	storeDir := fs.String("store", "", "directory of tileset files (required)")
	addr := fs.String("addr", "localhost:8080", "address to listen on, HOST:PORT")
	baseURL := fs.String("base-url", "", "public root URL used in links when behind a proxy (default: from each request)")
	poll := fs.Duration("poll", time.Second, "how often the store directory is checked for new or replaced tilesets")
	logLevel := fs.String("log-level", "info", "log level: debug, info, warn or error")
	maxOverzoom := fs.Int("max-overzoom", server.DefaultMaxOverzoom, "deepest zoom the XYZ tile URL answers: zooms deeper than a tileset's max zoom are cut from its max-zoom tiles, for clients that do not overzoom (QGIS); 0 serves each tileset's own zooms only")
	writeTimeout := fs.Duration("write-timeout", server.DefaultWriteTimeout, "how long one write of a response may wait on a client that does not read before its connection is closed; 0 for no bound")
	grace := fs.Duration("version-grace", store.DefaultGrace, "how long a replaced or removed tileset version stays open for the requests that began on it; then they fail and its file is released; 0 for no bound")
	keepReplaced := fs.Duration("keep-replaced", store.DefaultKeepReplaced, "how long a tileset version replaced by a newer one stays served under its versioned URLs, for clients that still hold a TileJSON naming it (kept 60 s; a map page until reloaded); its file stays open, and on disk, until then; 0 keeps none")
	keepVersions := fs.Int("keep-versions", 1, "how many replaced versions of each tileset --keep-replaced keeps at most, newest first; each costs one tileset file of disk")
	maxHeavy := fs.Int("max-heavy", 0, "heavy requests served at once (pages of over 1000 features, HTML pages of features, raster renders, WMS maps); more are answered 503 with Retry-After (default 2 per CPU)")
	basemap := fs.String("basemap", "", "tileset the viewer draws under every other layer, in its preferred style; none for no basemap (default: basemap, when the store holds it)")
	basemapStyle := fs.String("basemap-style", "", "URL of a MapLibre style the viewer draws as its basemap instead of a tileset, e.g. a survey's own")
	lang := fs.String("lang", "", "interface language of the viewer and the catalogue for readers who have not chosen one: "+strings.Join(viewer.Languages(), " or ")+" (default: the browser's Accept-Language, else en)")
	syncFrom := fs.String("sync", "", "s3://BUCKET/PREFIX that outcrop publish writes to: new versions published there are pulled into --store, checked and swapped in")
	syncEvery := fs.Duration("sync-interval", 10*time.Second, "how often --sync checks for newly published versions")
	fontsDir := fs.String("fonts", "", "directory of .ttf, .otf and .ttc fonts label glyphs are drawn from, /fonts.json lists their names (default: Debian's Noto directories, "+strings.Join(glyphs.DefaultDirs, " and ")+", when present; none for no fonts: no glyphs, no labels in WMS maps)")
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
	var syncLoc objstore.Location
	if *syncFrom != "" {
		if syncLoc, err = objstore.ParseLocation(*syncFrom); err != nil {
			return usageError{"--sync: " + err.Error()}
		}
	}
	if *syncEvery <= 0 {
		return usageError{fmt.Sprintf("--sync-interval %v is not a positive duration; give e.g. 10s", *syncEvery)}
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
	if err := checkBasemap(*basemap, *basemapStyle); err != nil {
		return err
	}
	if err := server.CheckLang(*lang); err != nil {
		return usageError{"--lang: " + err.Error()}
	}
	if *maxHeavy < 0 {
		return usageError{fmt.Sprintf("--max-heavy %d is negative; give a number of requests, or 0 for 2 per CPU", *maxHeavy)}
	}
	if *writeTimeout < 0 || *grace < 0 {
		return usageError{fmt.Sprintf("--write-timeout %v and --version-grace %v must not be negative; 0 means no bound", *writeTimeout, *grace)}
	}
	if *keepReplaced < 0 || *keepVersions < 1 {
		return usageError{fmt.Sprintf("--keep-replaced %v must not be negative (0 keeps none) and --keep-versions %d must be at least 1", *keepReplaced, *keepVersions)}
	}
	if *keepReplaced == 0 {
		*keepReplaced = -1 // store.Options' "none"
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

	fonts, err := openFonts(*fontsDir, logger)
	if err != nil {
		return err
	}

	st, err := store.Open(*storeDir, store.Options{PollInterval: *poll, Logger: logger, Grace: *grace,
		KeepReplaced: *keepReplaced, KeepVersions: *keepVersions})
	if err != nil {
		return err
	}
	defer st.Close()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var catalog store.Catalog = st
	if *syncFrom != "" {
		c, err := objstore.NewClient(ctx, syncLoc)
		if err != nil {
			return err
		}
		syncer := objstore.NewSyncer(c, *storeDir, logger, func() { st.Refresh() })
		syncer.Once(ctx) // before listening, so that a new replica starts with what is published
		go syncer.Run(ctx, *syncEvery)
		catalog = syncedStore{st, func() { syncer.Catchup(ctx) }}
	}

	if *basemap != "" && *basemap != server.NoBasemap && !slices.Contains(st.IDs(), *basemap) {
		logger.Warn("the store has no tileset "+*basemap+" yet: the viewer draws no basemap until one is ingested", "flag", "--basemap")
	}

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return listenErr(*addr, err)
	}
	srv := &http.Server{
		Handler: server.New(server.Config{Catalog: catalog, BaseURL: *baseURL, Logger: logger, MaxOverzoom: *maxOverzoom, WriteTimeout: *writeTimeout, MaxHeavy: *maxHeavy,
			Basemap: *basemap, BasemapStyle: *basemapStyle, Fonts: fonts, WarmGlyphs: true, Service: service, Lang: *lang}),
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
	}
	fmt.Fprintf(stdout, "Outcrop is serving %d tileset(s) from %s\n", len(st.IDs()), *storeDir)
	fmt.Fprintf(stdout, "  map viewer:  %s/map/\n", displayURL(ln.Addr().String(), *addr))
	fmt.Fprintf(stdout, "  OGC API:     %s/\n", displayURL(ln.Addr().String(), *addr))
	if *syncFrom != "" {
		fmt.Fprintf(stdout, "  pulling:     %s every %v\n", syncLoc, *syncEvery)
	}
	if fonts != nil {
		fmt.Fprintf(stdout, "  label fonts: %d, listed at %s/fonts.json\n", len(fonts.Names()), displayURL(ln.Addr().String(), *addr))
	}

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

// checkBasemap checks --basemap (a tileset id or none) and --basemap-style
// (an absolute http(s) URL), which exclude each other.
func checkBasemap(id, styleURL string) error {
	if id != "" && styleURL != "" {
		return usageError{"--basemap and --basemap-style exclude each other; give a tileset id or a style URL"}
	}
	if id != "" && id != server.NoBasemap {
		if err := tileset.ValidateID(id); err != nil {
			return usageError{fmt.Sprintf("--basemap %q is not a tileset id (%v); give the id of a tileset of the store, or none", id, err)}
		}
	}
	if styleURL != "" {
		u, err := url.Parse(styleURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return usageError{fmt.Sprintf("--basemap-style %q is not an http or https URL; give a MapLibre style's full URL, e.g. https://tiles.example.org/style.json", styleURL)}
		}
	}
	return nil
}

// openFonts opens the fonts of --fonts dir, or, without it, those of
// Debian's Noto packages that are installed. A --fonts directory that
// cannot be read or holds no font is an error; no Noto installed is a
// warning, and a server that draws no labels; so is --fonts none.
func openFonts(dir string, logger *slog.Logger) (*glyphs.Library, error) {
	if dir == "none" {
		logger.Info("--fonts none: no glyphs served, and no labels drawn in WMS maps")
		return nil, nil
	}
	dirs := []string{dir}
	if dir == "" {
		dirs = nil
		for _, d := range glyphs.DefaultDirs {
			if _, err := os.Stat(d); err == nil {
				dirs = append(dirs, d)
			}
		}
		if len(dirs) == 0 {
			logger.Warn("no fonts for map labels: install fonts-noto-core and fonts-noto-cjk (make deps), or give --fonts DIR; styles' labels will not be drawn")
			return nil, nil
		}
	}
	l, err := glyphs.Open(dirs...)
	if err != nil {
		return nil, fmt.Errorf("--fonts: %w", err)
	}
	for _, s := range l.Skipped {
		logger.Warn("font left out", "err", s)
	}
	if len(l.Names()) == 0 {
		if dir != "" {
			return nil, usageError{fmt.Sprintf("--fonts %s holds no .ttf, .otf or .ttc font that can be read; give a directory of fonts", dir)}
		}
		logger.Warn("no fonts for map labels in " + strings.Join(dirs, " and ") + ": give --fonts DIR; styles' labels will not be drawn")
		return nil, nil
	}
	return l, nil
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

// syncedStore is the store of a replica that pulls from object storage: a
// request for a version newer than the one served (which another replica
// gave the client) makes a pull now, and waits for it, rather than answer
// 404 until the next --sync-interval.
type syncedStore struct {
	*store.Store
	catchup func()
}

// Recheck pulls what was published since the last pass, then rescans the
// store.
func (s syncedStore) Recheck() {
	s.catchup()
	s.Store.Recheck()
}
