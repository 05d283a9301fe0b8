package server

import (
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"

	"github.com/outcrop/outcrop/raster"
	"github.com/outcrop/outcrop/tileset"
)

// Limits of a profile.
const (
	defaultProfileSamples = 100
	maxProfileSamples     = 2000
	maxProfileVertices    = 500
)

// earthRadius is the mean radius (IUGG) that profile distances use.
const earthRadius = 6371008.8

// profilePoint is one sample of a profile.
type profilePoint struct {
	Distance float64    `json:"distance"` // metres along the line from its start, to the mm
	Lon      float64    `json:"lon"`
	Lat      float64    `json:"lat"`
	Values   []*float64 `json:"values"` // one per band, null for nodata or outside the data
}

// profileBand names a band of a profile.
type profileBand struct {
	Band  string `json:"band"`
	Units string `json:"units,omitempty"`
}

// profileDoc answers /collections/{id}/value?line=.
type profileDoc struct {
	Zoom   int            `json:"zoom"`
	Length float64        `json:"length"` // metres
	Bands  []profileBand  `json:"bands"`
	Points []profilePoint `json:"points"`
}

// handleProfile serves /collections/{id}/value?line=lon,lat,lon,lat…
// &samples=N: the band values at N points evenly spaced along the line (its
// ends included), from the max-zoom tiles. Each segment runs straight in
// lon/lat; distances are great-circle (haversine) lengths of the segments.
func (s *server) handleProfile(w http.ResponseWriter, r *http.Request, ts *tileset.Reader, m *tileset.Metadata) error {
	q := r.URL.Query()
	if q.Has("lon") || q.Has("lat") {
		return statusError(http.StatusBadRequest, "line= and lon=/lat= both given: give a point (lon=, lat=) or a line (line=)")
	}
	line, msg := parseLine(q.Get("line"))
	if msg != "" {
		return statusError(http.StatusBadRequest, msg)
	}
	n := defaultProfileSamples
	if v := q.Get("samples"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 2 || n > maxProfileSamples {
			return statusError(http.StatusBadRequest, fmt.Sprintf("samples=%q: give a number of points from 2 to %d", v, maxProfileSamples))
		}
	}
	cum := make([]float64, len(line))
	for i := 1; i < len(line); i++ {
		cum[i] = cum[i-1] + haversine(line[i-1], line[i])
	}
	total := cum[len(cum)-1]
	doc := profileDoc{Zoom: m.MaxZoom, Length: total, Points: make([]profilePoint, n)}
	for _, b := range m.Raster.Bands {
		doc.Bands = append(doc.Bands, profileBand{Band: b.Name, Units: b.Units})
	}
	size := m.Raster.TileSize
	tiles := map[[2]int]*raster.Tile{}
	seg := 0
	for k := range n {
		d := total * float64(k) / float64(n-1)
		for seg < len(line)-2 && cum[seg+1] < d {
			seg++
		}
		f := 0.0
		if l := cum[seg+1] - cum[seg]; l > 0 {
			f = min(max((d-cum[seg])/l, 0), 1)
		}
		a, b := line[seg], line[seg+1]
		p := profilePoint{Distance: math.Round(d*1000) / 1000, Lon: a[0] + f*(b[0]-a[0]), Lat: a[1] + f*(b[1]-a[1]), Values: make([]*float64, len(m.Raster.Bands))}
		col, row := maxZoomPixel(m, p.Lon, p.Lat)
		key := [2]int{col / size, row / size}
		tile, ok := tiles[key]
		if !ok {
			var err error
			if tile, err = dataTile(ts, m.MaxZoom, key[0], key[1]); err != nil {
				return failure(http.StatusInternalServerError, "the profile could not be read; the server log has the cause",
					err, "reading raster tile", "tileset", m.Title)
			}
			tiles[key] = tile
		}
		if tile != nil {
			for bi := range p.Values {
				if v := tile.At(bi, col%size, row%size); v == v {
					f := float64(v)
					p.Values[bi] = &f
				}
			}
		}
		doc.Points[k] = p
	}
	doc.Length = math.Round(total*1000) / 1000
	return s.writeJSON(w, r, docLinked, doc)
}

// parseLine reads line=lon,lat,lon,lat…: 2 to maxProfileVertices points in
// WGS 84, within Web Mercator's latitudes.
func parseLine(v string) ([][2]float64, string) {
	bad := func(why string) ([][2]float64, string) {
		return nil, fmt.Sprintf("line=%q: %s; give lon,lat,lon,lat… (2 to %d points, WGS 84 degrees), e.g. line=95,2,100,-3", v, why, maxProfileVertices)
	}
	parts := strings.Split(v, ",")
	if len(parts)%2 != 0 || len(parts) < 4 {
		return bad("an even count of at least 4 numbers is needed")
	}
	if len(parts) > 2*maxProfileVertices {
		return bad("too many points")
	}
	line := make([][2]float64, len(parts)/2)
	for i, p := range parts {
		f, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return bad(fmt.Sprintf("%q is not a number", p))
		}
		if i%2 == 0 && (f < -180 || f > 180) {
			return bad(fmt.Sprintf("longitude %v is outside -180 to 180", f))
		}
		if i%2 == 1 && (f < -85.0511 || f > 85.0511) {
			return bad(fmt.Sprintf("latitude %v is outside Web Mercator's -85.0511 to 85.0511", f))
		}
		line[i/2][i%2] = f
	}
	return line, ""
}

// haversine is the great-circle distance in metres between two lon, lat
// points.
func haversine(a, b [2]float64) float64 {
	const rad = math.Pi / 180
	dlat, dlon := (b[1]-a[1])*rad, (b[0]-a[0])*rad
	h := math.Sin(dlat/2)*math.Sin(dlat/2) + math.Cos(a[1]*rad)*math.Cos(b[1]*rad)*math.Sin(dlon/2)*math.Sin(dlon/2)
	return 2 * earthRadius * math.Asin(math.Min(1, math.Sqrt(h)))
}
