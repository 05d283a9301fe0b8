package server

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/outcrop/outcrop/tileset"
)

// Versioned tile URLs name one version of a tileset, "/tiles/{id}@{version}/…",
// and so do versioned features URLs, "/collections/{id}@{version}/items…":
// what they serve never changes, so they are cached for a year, immutable,
// by browsers and CDNs alike. TileJSON, the OGC API tileset metadata and
// (through TileJSON) the styles point at the current version's URLs and are
// themselves kept briefly and revalidated by ETag, so a re-ingest moves
// clients and caches to new URLs. A version replaced a short while ago stays
// served under its own URLs (see keeper), for the clients that still hold a
// TileJSON naming it; any other version that is not the current one is a
// 404 naming the current one, never the new content under the old URL.

// versionSep separates a tileset id from a version in a tile path. It cannot
// occur in an id (see tileset.IDRule).
const versionSep = "@"

// hdrImmutable is the Cache-Control of a tile under a versioned URL.
var hdrImmutable = []string{"public, max-age=31536000, immutable"}

// docVersioned is the cache policy of a JSON document under a versioned URL.
var docVersioned = jsonDoc{cacheControl: hdrImmutable[0], linked: true}

// urlVersion is the version of meta as it appears in tile URLs: its
// Version, or a hash of it when that holds characters a URL or ETag would
// have to escape; "" when the file records no version, and then its tiles
// have no versioned URLs.
func urlVersion(meta *tileset.Metadata) string {
	if meta.Version == "" {
		return ""
	}
	return etagToken(meta.Version)
}

// versionedID is the tileset segment of the current version's tile URLs:
// "id@version", or id when the tileset records no version.
func versionedID(meta *tileset.Metadata, id string) string {
	if v := urlVersion(meta); v != "" {
		return id + versionSep + v
	}
	return id
}

// rechecker is a Catalog that can look for replaced files at once, as
// store.Store does.
type rechecker interface{ Recheck() }

// acquireTile acquires the tileset that seg, the tileset segment of a tile
// path, names: "id" for whatever version is current, "id@version" for that
// version only. It returns the id and the Cache-Control of the tile: the
// server's for a plain id, immutable for a version. When the version asked
// for is not the current one, or the tileset cannot be acquired, it
// returns the error to answer; otherwise the caller must call release.
func (s *server) acquireTile(r *http.Request, seg string) (id string, ts *tileset.Reader, release func(), cacheControl []string, err error) {
	id, ts, release, versioned, err := s.lookupVersion(r, seg, tilesMoved)
	switch {
	case err != nil:
		return id, nil, nil, nil, err
	case versioned:
		return id, ts, release, hdrImmutable, nil
	}
	return id, ts, release, s.tileCacheControl, nil
}

// lookupVersion acquires the tileset that seg names, "id" or "id@version"
// (see acquireTile), and reports whether seg names a version. A version
// that is not the current one is a 404 naming the current one, where says
// where its resources are.
func (s *server) lookupVersion(r *http.Request, seg string, where movedTo) (id string, ts *tileset.Reader, release func(), versioned bool, err error) {
	id, want, versioned := strings.Cut(seg, versionSep)
	ts, release, err = s.catalog.Acquire(id)
	if err != nil {
		return id, nil, nil, versioned, acquireError(r, id, err)
	}
	if !versioned {
		return id, ts, release, false, nil
	}
	cur := urlVersion(ts.Metadata())
	if want != cur && versionTime(want) >= versionTime(cur) {
		// Versions begin with their UTC write time, so this one may be
		// newer than the file this server last polled: a client was given
		// it by another replica, or by this one just after a re-ingest.
		// Look now rather than answer 404 until the next poll. Older
		// versions, which stale clients ask for, cost no rescan.
		if rc, ok := s.catalog.(rechecker); ok {
			release()
			rc.Recheck()
			if ts, release, err = s.catalog.Acquire(id); err != nil {
				return id, nil, nil, true, acquireError(r, id, err)
			}
			cur = urlVersion(ts.Metadata())
		}
	}
	if want != cur && cur != "" {
		if kc, ok := s.catalog.(keeper); ok {
			if kts, krelease, err := kc.AcquireReplaced(id, func(m *tileset.Metadata) bool { return urlVersion(m) == want }); err == nil {
				release()
				return id, kts, krelease, true, nil
			}
		}
	}
	if want != cur || cur == "" {
		release()
		return id, nil, nil, true, versionNotServed(id, want, cur, where)
	}
	return id, ts, release, true, nil
}

// keeper is a Catalog that keeps versions replaced a short while ago
// acquirable by their versioned URLs, as store.Store does (see
// store.Options.KeepReplaced), for the clients that still hold a TileJSON
// naming them.
type keeper interface {
	AcquireReplaced(id string, is func(*tileset.Metadata) bool) (*tileset.Reader, func(), error)
}

// versionTime is the write time a version begins with ("20261207T102000Z"
// of "20261207T102000Z-5f0c9a3e1b7d2468", see tileset.Metadata.Version),
// which orders versions to the second.
func versionTime(v string) string {
	t, _, _ := strings.Cut(v, "-")
	return t
}

// movedTo says, in the 404 of a version not served, where the resources of
// tileset id are: unversioned when cur is "", else those of version cur.
type movedTo func(id, cur string) string

// tilesMoved points at the tiles.
func tilesMoved(id, cur string) string {
	if cur == "" {
		return "/tiles/" + id + "/{z}/{x}/{y}"
	}
	return "whose tile URLs GET /tiles/" + id + ".json lists"
}

// featuresMoved points at the features.
func featuresMoved(id, cur string) string {
	if cur == "" {
		return "/collections/" + id + "/items"
	}
	return "whose features are at /collections/" + id + versionSep + cur + "/items"
}

// versionNotServed is the error of a versioned URL whose version is not
// the current one: a 404 (never cached) whose JSON names the current
// version, so that a client or an operator sees at once why, and where the
// tileset's resources are now.
func versionNotServed(id, want, cur string, where movedTo) *httpError {
	if cur == "" {
		return statusError(http.StatusNotFound, fmt.Sprintf(
			"tileset %q records no version, so it has no versioned URLs; drop %q from the path: %s", id, versionSep+want, where(id, cur)))
	}
	return &httpError{status: http.StatusNotFound, doc: apiError{
		Description:    fmt.Sprintf("version %q of tileset %q is not the one served: the current version is %q, %s", want, id, cur, where(id, cur)),
		CurrentVersion: cur,
	}}
}

// openFeatures is lookupCollection for the features routes, whose
// collection segment may name a version, "id@version": it returns the id,
// and whether the response is that of a version, to be cached as immutable.
func (s *server) openFeatures(r *http.Request, seg string) (fm format, id string, ts *tileset.Reader, release func(), versioned bool, err error) {
	if fm, err = requestFormat(r); err != nil {
		return 0, seg, nil, nil, false, err
	}
	id, ts, release, versioned, err = s.lookupVersion(r, seg, featuresMoved)
	return fm, id, ts, release, versioned, err
}
