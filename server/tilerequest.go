package server

import (
	"math"
	"net/http"
	"strconv"

	"github.com/gorilla/mux"

	"github.com/outcrop/outcrop/tileset"
)

// What every tile route does before it reads a tile: the tile's address
// read from the path, and its tileset acquired, a versioned id too (see
// versioned.go), with the Cache-Control its answer carries. The XYZ routes
// (/tiles/{id}/{z}/{x}/{y}.mvt, .png, .jpg, .webp) share acquireXYZ; the
// OGC API routes of vector and of map tiles share acquireOGCTile, which
// checks the tile matrix set, the zoom and the data's limits too.

// heldTile is a tile request whose address is valid and whose tileset the
// handler holds until it calls release.
type heldTile struct {
	id      string // the tileset's id, without a version
	ts      *tileset.Reader
	meta    *tileset.Metadata
	release func()
	// cacheControl is the tile's: the server's for a plain id, immutable
	// for a version.
	cacheControl []string
	z, x, y      int
}

// acquireXYZ reads zs/xs/ys, the z/x/y of an XYZ tile path, and acquires
// the tileset that seg, the path's tileset segment, names.
func (s *server) acquireXYZ(r *http.Request, seg, zs, xs, ys string) (heldTile, error) {
	z, x, y, msg := parseTileAddress(zs, xs, ys)
	if msg != "" {
		return heldTile{}, statusError(http.StatusBadRequest, msg)
	}
	return s.holdTile(r, seg, z, x, y)
}

// holdTile acquires the tileset that seg names for tile z/x/y.
func (s *server) holdTile(r *http.Request, seg string, z, x, y int) (heldTile, error) {
	id, ts, release, cacheControl, err := s.acquireTile(r, seg)
	if err != nil {
		return heldTile{}, err
	}
	return heldTile{id: id, ts: ts, meta: ts.Metadata(), release: release, cacheControl: cacheControl, z: z, x: x, y: y}, nil
}

// ogcTiles is what the OGC API routes of vector tiles and of map tiles
// differ in.
type ogcTiles struct {
	f     string // the one value f= may take
	fText string // the 400 for another
	// zoomLimit is the deepest tileMatrix a path may give; deeper is a
	// 400. Within it, a zoom the tileset has not is a 404.
	zoomLimit int
	path      string // where the tileset metadata is, below /collections/{id}/
	noun      string // what the tiles are called in messages
	// zooms is the range of zooms the tileset offers.
	zooms func(*tileset.Metadata) (lo, hi int)
	// refuse, when set, is the error for a tileset without such tiles.
	refuse func(id string, m *tileset.Metadata) error
}

// The two kinds of OGC API tiles.
var (
	vectorTiles = ogcTiles{f: "mvt", fText: "parameter f of a tile must be mvt or absent; tiles are Mapbox Vector Tiles",
		zoomLimit: math.MaxInt, path: "tiles", noun: "tiles", zooms: tileZoomRange}
	mapTiles = ogcTiles{f: "png", fText: "parameter f of a map tile must be png or absent; map tiles are PNG",
		zoomLimit: webMercatorMaxZoom, path: "map/tiles", noun: "map tiles",
		zooms: func(m *tileset.Metadata) (int, int) { return m.MinZoom, mapTileMaxZoom(m) }, refuse: notRaster}
)

// template is the URL template of these tiles of collection id (which may
// name a version, see versioned.go).
func (k ogcTiles) template(base, id string) string {
	return base + "/collections/" + id + "/" + k.path + "/" + webMercatorQuadID + "/{tileMatrix}/{tileRow}/{tileCol}"
}

// notRaster refuses map tiles of a vector collection.
func notRaster(id string, m *tileset.Metadata) error {
	if m.Raster != nil {
		return nil
	}
	return statusError(http.StatusNotFound, "collection "+strconv.Quote(id)+" holds vector tiles, not map tiles: GET /collections/"+id+"/tiles")
}

// matrixSetError refuses a tile matrix set other than WebMercatorQuad,
// the one the tiles of collection id are served in.
func (k ogcTiles) matrixSetError(id, tms string) error {
	if tms == webMercatorQuadID {
		return nil
	}
	return statusError(http.StatusNotFound, "no tile matrix set "+strconv.Quote(tms)+"; the "+k.noun+" of "+strconv.Quote(id)+" are served in "+webMercatorQuadID)
}

// openTiles opens the collection of a document about k's tiles, the
// tilesets /collections/{id}/{k.path} or a tileset below it, whose tile
// matrix set the path names: the format asked for, and the collection's
// id and tileset, which the caller must release.
func (s *server) openTiles(r *http.Request, k ogcTiles) (fm format, id string, ts *tileset.Reader, release func(), err error) {
	vars := mux.Vars(r)
	id = vars["id"]
	if fm, ts, release, err = s.lookupCollection(r, id); err != nil {
		return fm, id, nil, nil, err
	}
	if k.refuse != nil {
		err = k.refuse(id, ts.Metadata())
	}
	if tms, ok := vars["tms"]; ok && err == nil {
		err = k.matrixSetError(id, tms)
	}
	if err != nil {
		release()
		return fm, id, nil, nil, err
	}
	return fm, id, ts, release, nil
}

// acquireOGCTile reads the tile of an OGC API tile path (tileRow as y,
// tileCol as x) and acquires its tileset. A tile matrix, row or column
// outside the tileset's limits is a 404, as OGC API - Tiles requires.
func (s *server) acquireOGCTile(r *http.Request, k ogcTiles) (heldTile, error) {
	vars := mux.Vars(r)
	if f := r.URL.Query()[paramF]; len(f) > 0 && (len(f) > 1 || f[0] != k.f) {
		return heldTile{}, statusError(http.StatusBadRequest, k.fText)
	}
	z, ok := parseCoord(vars["tileMatrix"])
	if !ok || z > k.zoomLimit {
		return heldTile{}, statusError(http.StatusBadRequest, "tileMatrix "+strconv.Quote(vars["tileMatrix"])+" in the tile path must be a zoom level, 0 to "+strconv.Itoa(webMercatorMaxZoom))
	}
	row, okRow := parseCoord(vars["tileRow"])
	col, okCol := parseCoord(vars["tileCol"])
	if !okRow || !okCol {
		return heldTile{}, statusError(http.StatusBadRequest, "tileRow "+strconv.Quote(vars["tileRow"])+" and tileCol "+strconv.Quote(vars["tileCol"])+" in the tile path must be whole numbers")
	}
	t, err := s.holdTile(r, vars["id"], z, col, row)
	if err != nil {
		return t, err
	}
	if err := k.check(t, vars["tms"]); err != nil {
		t.release()
		return heldTile{}, err
	}
	return t, nil
}

// check refuses tile t of a tileset without such tiles, in another tile
// matrix set than tms, or outside the tileset's zooms and data.
func (k ogcTiles) check(t heldTile, tms string) error {
	if k.refuse != nil {
		if err := k.refuse(t.id, t.meta); err != nil {
			return err
		}
	}
	if err := k.matrixSetError(t.id, tms); err != nil {
		return err
	}
	z, row, col := t.z, t.y, t.x
	if lo, hi := k.zooms(t.meta); z < lo || z > hi {
		return statusError(http.StatusNotFound, "tileset "+strconv.Quote(t.id)+" has no tile matrix "+strconv.Itoa(z)+"; its "+k.noun+" run from "+strconv.Itoa(lo)+" to "+strconv.Itoa(hi))
	}
	if l := tileLimits(t.meta, z); row < l.MinTileRow || row > l.MaxTileRow || col < l.MinTileCol || col > l.MaxTileCol {
		return statusError(http.StatusNotFound, "tile "+strconv.Itoa(z)+"/"+strconv.Itoa(row)+"/"+strconv.Itoa(col)+" lies outside the data of "+strconv.Quote(t.id)+
			"; its tileMatrixSetLimits at /collections/"+t.id+"/"+k.path+"/"+webMercatorQuadID+" give the rows and columns that hold data")
	}
	return nil
}
