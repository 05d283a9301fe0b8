package tileset

import (
	"errors"
	"strconv"

	"github.com/paulmach/orb"
)

var errBadGeometry = errors.New("not a GeoJSON geometry")

// decodeGeometry reads a GeoJSON geometry object (or null, giving nil) into
// orb's types, as orb's geojson.UnmarshalGeometry does, for the exact test of
// a feature crossing a query's edge.
//
// Why not orb's decoder: it goes through encoding/json twice (once for the
// object, once for its coordinates) with reflection, some 35 MB/s; a
// country's coastline of 50,000 vertices then costs 30 ms of every query
// that crosses it. Reading the numbers straight from the text is several
// times faster, and the shape of a geometry is small enough to walk by hand.
// Extra coordinates of a position (z, m) are skipped.
func decodeGeometry(raw []byte) (orb.Geometry, error) {
	if string(raw) == "null" {
		return nil, nil
	}
	var typ, coords, geoms []byte
	it := memberIter{obj: raw}
	for {
		k, v, ok, err := it.next()
		if err != nil {
			return nil, err
		}
		if !ok {
			break
		}
		switch string(k) {
		case "type":
			typ = v
		case "coordinates":
			coords = v
		case "geometries":
			geoms = v
		}
	}
	c := coordReader{b: coords}
	var g orb.Geometry
	var err error
	switch string(typ) {
	case `"Point"`:
		g, err = c.position()
	case `"MultiPoint"`:
		var ps []orb.Point
		ps, err = c.positions()
		g = orb.MultiPoint(ps)
	case `"LineString"`:
		var ps []orb.Point
		ps, err = c.positions()
		g = orb.LineString(ps)
	case `"MultiLineString"`:
		var ls orb.MultiLineString
		err = c.list(func() error {
			ps, err := c.positions()
			ls = append(ls, ps)
			return err
		})
		g = ls
	case `"Polygon"`:
		g, err = c.polygon()
	case `"MultiPolygon"`:
		var mp orb.MultiPolygon
		err = c.list(func() error {
			p, err := c.polygon()
			mp = append(mp, p)
			return err
		})
		g = mp
	case `"GeometryCollection"`:
		return decodeCollection(geoms)
	default:
		return nil, errBadGeometry
	}
	if err == nil && c.rest() {
		err = errBadGeometry // trailing text after the coordinates
	}
	return g, err
}

// decodeCollection reads the "geometries" array of a GeometryCollection.
func decodeCollection(raw []byte) (orb.Geometry, error) {
	c := coordReader{b: raw}
	coll := orb.Collection{}
	err := c.list(func() error {
		end, ok := valueEnd(c.b, c.i)
		if !ok {
			return errBadGeometry
		}
		g, err := decodeGeometry(c.b[c.i:end])
		if err != nil {
			return err
		}
		if g != nil {
			coll = append(coll, g)
		}
		c.i = end
		return nil
	})
	return coll, err
}

// coordReader reads nested JSON arrays of numbers.
type coordReader struct {
	b []byte
	i int
}

func (c *coordReader) space() { c.i = skipSpace(c.b, c.i) }

// rest reports whether anything but white space follows.
func (c *coordReader) rest() bool {
	c.space()
	return c.i < len(c.b)
}

// list reads an array, calling elem with the reader at each element.
func (c *coordReader) list(elem func() error) error {
	c.space()
	if c.i >= len(c.b) || c.b[c.i] != '[' {
		return errBadGeometry
	}
	c.i++
	c.space()
	if c.i < len(c.b) && c.b[c.i] == ']' {
		c.i++
		return nil
	}
	for {
		c.space()
		if err := elem(); err != nil {
			return err
		}
		c.space()
		if c.i >= len(c.b) {
			return errBadGeometry
		}
		switch c.b[c.i] {
		case ',':
			c.i++
		case ']':
			c.i++
			return nil
		default:
			return errBadGeometry
		}
	}
}

// number reads one JSON number.
func (c *coordReader) number() (float64, error) {
	start := c.i
	for c.i < len(c.b) && numberByte(c.b[c.i]) {
		c.i++
	}
	if start == c.i {
		return 0, errBadGeometry
	}
	return strconv.ParseFloat(string(c.b[start:c.i]), 64)
}

// position reads [x, y, ...].
func (c *coordReader) position() (orb.Point, error) {
	var p orb.Point
	n := 0
	err := c.list(func() error {
		v, err := c.number()
		if n < 2 {
			p[n] = v
		}
		n++
		return err
	})
	if err == nil && n < 2 {
		err = errBadGeometry
	}
	return p, err
}

// positions reads an array of positions.
func (c *coordReader) positions() ([]orb.Point, error) {
	ps := []orb.Point{}
	err := c.list(func() error {
		p, err := c.position()
		ps = append(ps, p)
		return err
	})
	return ps, err
}

// polygon reads an array of rings.
func (c *coordReader) polygon() (orb.Polygon, error) {
	p := orb.Polygon{}
	err := c.list(func() error {
		ps, err := c.positions()
		p = append(p, ps)
		return err
	})
	return p, err
}

func numberByte(ch byte) bool {
	return ch >= '0' && ch <= '9' || ch == '-' || ch == '+' || ch == '.' || ch == 'e' || ch == 'E'
}
