package server

import (
	"errors"
	"fmt"
	"maps"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gorilla/mux"

	"github.com/outcrop/outcrop/raster"
	"github.com/outcrop/outcrop/tileset"
)

// rasterTileRoute serves a raster tileset's data tiles rendered to PNG.
const rasterTileRoute = "/tiles/{id}/{z}/{x}/{y}.png"

// renderCacheBytes bounds the memory of rendered PNG tiles kept.
const renderCacheBytes = 64 << 20

// decodedCacheBytes bounds the memory of decoded data tiles kept for
// rendering: 256 float32 tiles of 256×256, so that the tiles around a view
// are decoded once for all the renders that read them (a hillshaded tile
// reads the edges of its eight neighbours).
const decodedCacheBytes = 64 << 20

// dataKey names one decoded data tile of a tileset version.
type dataKey struct {
	version string
	z, x, y int
}

// renderKey names one rendered tile: the version of the tileset and every
// parameter that changes the picture.
type renderKey struct {
	version, ramp string // ramp: a bundled ramp's name or a custom ramp's text
	z, x, y       int
	band          int
	lo, hi        float64
	stretch       string // "" (lo, hi) or "histeq"
	shade         string // "" none, raster.ShadeGrey or raster.ShadeBlend
	azimuth       float64
	altitude      float64
	zfactor       float64
	multi         bool
	encoding      string // "" colours, or raster.Terrarium or raster.TerrainRGB
}

// handleRasterTile serves /tiles/{id}/{z}/{x}/{y}.png: the data tile drawn
// through colormap= (default viridis) from rescale=min,max (default the
// band's p2 to p98), band= (default 1), nodata transparent. Tiles below
// minzoom or holding no data are 204; deeper than maxzoom they are drawn
// from the max-zoom tile above, each value a block of pixels.
func (s *server) handleRasterTile(w http.ResponseWriter, r *http.Request) error {
	v := mux.Vars(r)
	t, err := s.acquireXYZ(r, v["id"], v["z"], v["x"], v["y"])
	if err != nil {
		return err
	}
	defer t.release()
	w.Header()["Cache-Control"] = t.cacheControl
	id, m, z, x, y := t.id, t.meta, t.z, t.x, t.y
	if m.Raster == nil {
		return statusError(http.StatusNotFound, "tileset "+strconv.Quote(id)+" holds vector tiles: ask for /tiles/"+id+"/{z}/{x}/{y}.mvt")
	}
	if isColour(m) {
		return s.serveColourTile(w, r, t, "png")
	}
	key, ramp, status, msg := renderParams(r, m)
	if msg != "" {
		return statusError(status, msg)
	}
	if z > maxTileZoom-1 || z > m.MaxZoom+8 {
		return statusError(http.StatusNotFound, fmt.Sprintf("tileset %q is drawn to zoom %d", id, m.MaxZoom+8))
	}
	if z < m.MinZoom {
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
	key.version, key.z, key.x, key.y = m.Version, z, x, y
	png, err := s.render(t.ts, m, key, ramp)
	switch {
	case errors.Is(err, errRenderBusy):
		return renderBusy()
	case err != nil:
		return failure(http.StatusInternalServerError, fmt.Sprintf("tile %d/%d/%d of tileset %q could not be rendered; the server log has the cause", z, x, y, id),
			err, "rendering raster tile", "tileset", id, "z", z, "x", x, "y", y)
	case png == nil:
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
	s.writePNG(w, r, png)
	return nil
}

// renderParamNames are the query parameters of a rendered tile.
var renderParamNames = []string{"band", "colormap", "rescale", "stretch", "hillshade", "azimuth", "altitude", "zfactor", "multidirectional", "encoding"}

// renderParams reads band=, colormap=, rescale=, stretch=, hillshade= (with
// azimuth=, altitude=, zfactor=, multidirectional=) and encoding=; a bad
// one gives a 400 naming it, and so does any other parameter, or one given
// twice.
func renderParams(r *http.Request, m *tileset.Metadata) (key renderKey, ramp *raster.Ramp, status int, msg string) {
	q := r.URL.Query()
	bad := func(f string, a ...any) (renderKey, *raster.Ramp, int, string) {
		return key, nil, http.StatusBadRequest, fmt.Sprintf(f, a...)
	}
	for _, name := range slices.Sorted(maps.Keys(q)) {
		if !slices.Contains(renderParamNames, name) {
			return bad("unknown parameter %s=: a rendered tile takes %s= (docs/API.md, Raster rendering parameters)", name, strings.Join(renderParamNames, "=, "))
		}
		if n := len(q[name]); n > 1 {
			return bad("%s= is given %d times: give it once", name, n)
		}
	}
	number := func(name string, def, lo, hi float64) (float64, bool) {
		v := q.Get(name)
		if v == "" {
			return def, true
		}
		f, err := strconv.ParseFloat(v, 64)
		return f, err == nil && f >= lo && f <= hi
	}
	key.band = 1
	if b := q.Get("band"); b != "" {
		n, err := strconv.Atoi(b)
		if err != nil || n < 1 || n > len(m.Raster.Bands) {
			return bad("band=%q: give a band number from 1 to %d", b, len(m.Raster.Bands))
		}
		key.band = n
	}
	if e := q.Get("encoding"); e != "" {
		if !slices.Contains(raster.Encodings, e) {
			return bad("encoding=%q: give one of %s", e, strings.Join(raster.Encodings, ", "))
		}
		for _, p := range []string{"colormap", "rescale", "stretch", "hillshade", "azimuth", "altitude", "multidirectional"} {
			if q.Has(p) {
				return bad("encoding=%s writes elevations, not colours: leave out %s=", e, p)
			}
		}
		key.encoding = e
		var ok bool
		if key.zfactor, ok = number("zfactor", 1, -1e6, 1e6); !ok || key.zfactor == 0 {
			return bad("zfactor=%q: give the factor that makes the values metres of height (1000 for km, -1000 for depths in km), not 0", q.Get("zfactor"))
		}
		return key, nil, 0, ""
	}
	key.ramp = raster.DefaultRamp
	if c := q.Get("colormap"); c != "" {
		key.ramp = c
	}
	if ramp = raster.RampByName(key.ramp); ramp == nil {
		if !strings.Contains(key.ramp, ":") {
			return bad("colormap=%q: give one of %s, or stops value:rrggbb,value:rrggbb…", key.ramp, strings.Join(raster.Ramps(), ", "))
		}
		var err error
		if ramp, err = raster.ParseRamp(key.ramp); err != nil {
			return bad("colormap=%q: %v", key.ramp, err)
		}
		for _, p := range []string{"rescale", "stretch"} {
			if q.Has(p) {
				return bad("%s= does not apply to colormap=%s, whose stops are band values: leave it out", p, key.ramp)
			}
		}
	}
	band := m.Raster.Bands[key.band-1]
	st := band.Stats
	if st != nil {
		key.lo, key.hi = st.Percentiles["p2"], st.Percentiles["p98"]
	}
	rs, sm := q.Get("rescale"), q.Get("stretch")
	switch {
	case rs != "" && sm != "":
		return bad("rescale= and stretch= both given: give one")
	case rs != "":
		a, b, ok := strings.Cut(rs, ",")
		lo, err1 := strconv.ParseFloat(a, 64)
		hi, err2 := strconv.ParseFloat(b, 64)
		if !ok || err1 != nil || err2 != nil || math.IsNaN(lo) || math.IsNaN(hi) || math.IsInf(lo, 0) || math.IsInf(hi, 0) || lo == hi {
			return bad("rescale=%q: give min,max, two different numbers, e.g. rescale=-600,0", rs)
		}
		key.lo, key.hi = lo, hi
	case sm == "" || sm == "p2-98":
	case sm == "minmax":
		if st != nil {
			key.lo, key.hi = st.Min, st.Max
		}
	case sm == "histeq":
		key.stretch, key.lo, key.hi = sm, 0, 0
	default:
		return bad("stretch=%q: give minmax, p2-98 or histeq", sm)
	}
	switch h := q.Get("hillshade"); h {
	case "":
		for _, p := range []string{"azimuth", "altitude", "zfactor", "multidirectional"} {
			if q.Has(p) {
				if p == "zfactor" {
					return bad("zfactor= needs hillshade=grey, hillshade=blend or encoding=")
				}
				return bad("%s= needs hillshade=grey or hillshade=blend", p)
			}
		}
		return key, ramp, 0, ""
	case raster.ShadeGrey, raster.ShadeBlend:
		key.shade = h
	default:
		return bad("hillshade=%q: give grey (the shade alone) or blend (the ramp's colour times the shade)", h)
	}
	var ok bool
	if key.azimuth, ok = number("azimuth", 315, 0, 360); !ok {
		return bad("azimuth=%q: give the light's direction in degrees clockwise from north, 0 to 360", q.Get("azimuth"))
	}
	if key.altitude, ok = number("altitude", 45, 0, 90); !ok {
		return bad("altitude=%q: give the sun's height above the horizon in degrees, 0 to 90", q.Get("altitude"))
	}
	if key.zfactor, ok = number("zfactor", 1, -1e6, 1e6); !ok || key.zfactor == 0 {
		return bad("zfactor=%q: give the factor that makes the values metres of height (1000 for km, -1000 for depths in km), not 0", q.Get("zfactor"))
	}
	switch mv := q.Get("multidirectional"); mv {
	case "", "false":
	case "true":
		key.multi = true
	default:
		return bad("multidirectional=%q: give true or false", mv)
	}
	return key, ramp, 0, ""
}

// errRenderBusy is render's error when the tile is not cached and the
// heavy gate is full.
var errRenderBusy = errors.New("as many raster renders as the server takes at once")

// renderBusyText is the message of a render refused with errRenderBusy.
const renderBusyText = "the server is drawing as many raster tiles as it can at once; retry in a second (tiles drawn before are served from its cache meanwhile)"

// renderBusy is the 503 of a render refused with errRenderBusy.
func renderBusy() *httpError {
	e := statusError(http.StatusServiceUnavailable, renderBusyText)
	e.retry = true
	return e
}

// renderWait is how long a render waits for a place in the heavy gate
// before it is refused. A map client asks for a dozen tiles at once, more
// than the gate admits (2 per CPU), and each is drawn in milliseconds: a
// short wait serves them all, where refusing at once left holes in the map
// (MapLibre does not retry a 503). The wait is bounded, so a client sending
// more than the server draws still gets 503s, not a growing queue.
const renderWait = time.Second

// render returns the PNG of the tile key names, from the cache of rendered
// tiles or drawn now; nil when the tile holds no data. Drawing is a heavy
// request (see heavyGate): when the gate stays full for s.renderWait it
// returns errRenderBusy, while cached tiles are served however many are
// asked for. Every raster tile route (XYZ, OGC API map tiles, WMTS KVP and
// REST) renders through here.
func (s *server) render(ts *tileset.Reader, m *tileset.Metadata, key renderKey, ramp *raster.Ramp) ([]byte, error) {
	return s.rendered.get(key, func() ([]byte, int, error) {
		if !s.heavy.enterWithin(s.renderWait) {
			return nil, 0, errRenderBusy
		}
		defer s.heavy.leave()
		b, err := s.renderTile(ts, m, key, ramp)
		return b, len(b) + 64, err
	})
}

// renderTile draws the tile key names, or returns nil when it holds no data.
func (s *server) renderTile(ts *tileset.Reader, m *tileset.Metadata, key renderKey, ramp *raster.Ramp) ([]byte, error) {
	z, x, y := key.z, key.x, key.y
	d := max(0, z-m.MaxZoom)
	tile, err := s.decoded(ts, m, z-d, x>>d, y>>d)
	if tile == nil || err != nil {
		return nil, err
	}
	span := tile.Size >> d
	if span == 0 {
		return nil, errors.New("zoom too deep for the tile size")
	}
	win := raster.Window{X: (x & (1<<d - 1)) * span, Y: (y & (1<<d - 1)) * span, Span: span}
	src := raster.Source{Tile: tile, Window: win, Z: z, Y: y}
	style := raster.Style{Band: key.band - 1, Ramp: ramp, Stretch: raster.Linear(key.lo, key.hi), Encoding: key.encoding, ZFactor: key.zfactor}
	if key.stretch == "histeq" {
		style.Stretch = raster.Equalise(m.Raster.Bands[key.band-1].Stats)
	}
	if key.shade != "" {
		style.Hillshade = &raster.Hillshade{Mode: key.shade, Azimuth: key.azimuth, Altitude: key.altitude, ZFactor: key.zfactor, Multidirectional: key.multi}
		// The neighbours' edge pixels, so that shaded tiles join without a
		// seam; read only when the window touches that edge.
		n := 1 << (z - d)
		src.Around = func(dx, dy int) *raster.Tile {
			nx, ny := (x>>d+dx+n)%n, y>>d+dy
			if ny < 0 || ny >= n {
				return nil
			}
			t, err := s.decoded(ts, m, z-d, nx, ny)
			if err != nil {
				return nil // a seam rather than no tile
			}
			return t
		}
	}
	return raster.PNG(raster.Draw(src, tile.Size, style))
}

// decoded returns data tile z/x/y of ts, whose metadata is m, from the
// cache of decoded tiles or read and decoded now; nil when none is stored.
func (s *server) decoded(ts *tileset.Reader, m *tileset.Metadata, z, x, y int) (*raster.Tile, error) {
	return s.dataTiles.get(dataKey{m.Version, z, x, y}, func() (*raster.Tile, int, error) {
		t, err := dataTile(ts, z, x, y)
		if t == nil {
			return t, 64, err
		}
		return t, 4*len(t.Data) + 64, err
	})
}

// dataTile reads and decodes one data tile; nil when none is stored.
func dataTile(ts *tileset.Reader, z, x, y int) (*raster.Tile, error) {
	var t *raster.Tile
	_, err := ts.Tile(z, x, y, func(b []byte) (err error) {
		t, err = raster.Decode(b)
		return err
	})
	return t, err
}

// bandValue is one band's value at a point.
type bandValue struct {
	Band  string   `json:"band"`
	Value *float64 `json:"value"` // null for nodata
	Units string   `json:"units,omitempty"`
}

// valueDoc answers /collections/{id}/value.
type valueDoc struct {
	Lon    float64     `json:"lon"`
	Lat    float64     `json:"lat"`
	Zoom   int         `json:"zoom"`
	Values []bandValue `json:"values"`
}

// handleValue serves /collections/{id}/value?lon=&lat=: every band's value
// at the point, from the max-zoom tile (the finest the tileset holds); null
// for nodata, including a point inside the bounds whose tile holds none; 404
// outside the bounds.
func (s *server) handleValue(w http.ResponseWriter, r *http.Request) error {
	id := mux.Vars(r)["id"]
	ts, release, err := s.catalog.Acquire(id)
	if err != nil {
		return acquireError(r, id, err)
	}
	defer release()
	m := ts.Metadata()
	if m.Raster == nil {
		return statusError(http.StatusNotFound, "collection "+strconv.Quote(id)+" is not a raster; /value answers for rasters only")
	}
	q := r.URL.Query()
	if q.Has("line") && isColour(m) {
		return statusError(http.StatusBadRequest, "line=: collection "+strconv.Quote(id)+" holds colours (a scanned map), not values to profile; ask for a point with lon= and lat=")
	}
	if q.Has("line") {
		return s.handleProfile(w, r, ts, m)
	}
	lon, err1 := strconv.ParseFloat(q.Get("lon"), 64)
	lat, err2 := strconv.ParseFloat(q.Get("lat"), 64)
	switch {
	case err1 != nil || !(lon >= -180 && lon <= 180):
		return statusError(http.StatusBadRequest, fmt.Sprintf("lon=%q: give a longitude from -180 to 180", q.Get("lon")))
	case err2 != nil || !(lat >= -85.0511 && lat <= 85.0511):
		return statusError(http.StatusBadRequest, fmt.Sprintf("lat=%q: give a latitude from -85.0511 to 85.0511 (Web Mercator's range)", q.Get("lat")))
	}
	z := m.MaxZoom
	col, row := maxZoomPixel(m, lon, lat)
	read, what := dataValues, "reading raster tile"
	if isColour(m) {
		read, what = colourValues, "reading colour tile"
	}
	values, found, err := read(ts, m, z, col, row)
	if err != nil {
		return failure(http.StatusInternalServerError, "the value could not be read; the server log has the cause", err, what, "tileset", id)
	}
	bb := m.Bounds
	if !found && !(lon >= bb[0] && lon <= bb[2] && lat >= bb[1] && lat <= bb[3]) {
		return statusError(http.StatusNotFound, fmt.Sprintf("no data at lon %g, lat %g: collection %q covers %v (west, south, east, north)", lon, lat, id, m.Bounds))
	}
	doc := valueDoc{Lon: lon, Lat: lat, Zoom: z}
	for b, band := range m.Raster.Bands {
		doc.Values = append(doc.Values, bandValue{Band: band.Name, Units: band.Units, Value: values[b]})
	}
	return s.writeJSON(w, r, docLinked, doc)
}

// dataValues reads every band's value at max-zoom pixel col, row of
// raster m: nil for nodata, all nil when no tile is stored there (found
// false: a missing tile inside the bounds was left out as all nodata).
func dataValues(ts *tileset.Reader, m *tileset.Metadata, z, col, row int) (values []*float64, found bool, err error) {
	size := m.Raster.TileSize
	tile, err := dataTile(ts, z, col/size, row/size)
	if err != nil {
		return nil, false, err
	}
	values = make([]*float64, len(m.Raster.Bands))
	if tile == nil {
		return values, false, nil
	}
	for b := range values {
		if v := tile.At(b, col%size, row%size); v == v {
			f := float64(v)
			values[b] = &f
		}
	}
	return values, true, nil
}

// maxZoomPixel returns the column and row, counted over the whole world, of
// the max-zoom pixel holding lon, lat.
func maxZoomPixel(m *tileset.Metadata, lon, lat float64) (col, row int) {
	world := float64(m.Raster.TileSize << m.MaxZoom)
	px := (lon + 180) / 360 * world
	sin := math.Sin(lat * math.Pi / 180)
	py := (0.5 - math.Log((1+sin)/(1-sin))/(4*math.Pi)) * world
	return min(max(int(px), 0), int(world)-1), min(max(int(py), 0), int(world)-1)
}
