package download

import (
	"archive/zip"
	"bufio"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/paulmach/orb"
)

// ShapefileWriter writes a zip of ESRI Shapefiles: one shapefile (.shp,
// .shx, .dbf, .prj naming WGS 84, .cpg saying UTF-8) per geometry type the
// features have (points, multipoints, lines, polygons), the feature id the
// first attribute, and a README.txt
// that says which file holds what and how DBF's limits changed the
// attributes: field names are cut to 10 bytes (kept unique), and text to
// 254 bytes.
//
// It is written here rather than with github.com/jonas-p/go-shp, the usual
// Go Shapefile package: that one writes only to named files, fixes the
// width of every DBF column before the first record (so text columns are
// either cut or 254 bytes wide in every record), and has not been released
// since 2019; nor could the Go module proxy serve it when this was written.
// Here each record's shape and attributes go to temporary files as they
// come, and Close writes the headers, now that counts, extents and column
// widths are known, while it streams the zip.
type ShapefileWriter struct {
	out    io.Writer
	dir    string
	layer  Layer
	fields []dbfField
	parts  map[shpKind]*shpPart
	closed bool
	// truncated counts text values cut to 254 bytes.
	truncated int
	// collections counts geometry collections split into their members.
	collections int
}

// shpKind is a Shapefile shape type.
type shpKind int32

// The shape types written.
const (
	shpNull       shpKind = 0
	shpPoint      shpKind = 1
	shpPolyLine   shpKind = 3
	shpPolygon    shpKind = 5
	shpMultiPoint shpKind = 8
)

// shpKindNames name the shapefile of each kind when there are several.
var shpKindNames = map[shpKind]string{
	shpNull: "nogeometry", shpPoint: "points", shpPolyLine: "lines", shpPolygon: "polygons", shpMultiPoint: "multipoints",
}

// shpMaxBytes is the largest .shp file written: the format counts in signed
// 32-bit numbers of 16-bit words, but most readers stop at 2 GB. A variable,
// so that tests can lower it.
var shpMaxBytes int64 = math.MaxInt32

// dbfMaxText is the widest DBF character column.
const dbfMaxText = 254

// dbfField is a DBF column and what its values need.
type dbfField struct {
	name, dbfName string
	typ           string // the tileset field type
	// width is the widest value's bytes, as text; intDigits and decimals
	// the widest integer part and fraction of the numbers.
	width, intDigits, decimals int
	// notNumber, notBool and notDate are set when a value is not a number,
	// a boolean or a YYYY-MM-DD date, which decides the column's type.
	notNumber, notBool, notDate bool
	seen                        bool
}

// shpPart is the shapefile of one shape type under construction: the
// records of .shp and .shx and the DBF records (each value length-prefixed)
// in temporary files, with the counts and extent for the headers.
type shpPart struct {
	kind          shpKind
	shp, shx, dbf *os.File
	shpW, shxW    *bufio.Writer
	dbfW          *bufio.Writer
	records       int
	offset        int64 // in 16-bit words, of the next .shp record
	bound         orb.Bound
	any           bool
}

// wgs84PRJ is the .prj of WGS 84, in the ESRI WKT that .prj files hold.
const wgs84PRJ = `GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]`

// NewShapefile starts a zipped Shapefile in a temporary directory in tmpDir
// ("" for the system's).
func NewShapefile(out io.Writer, layer Layer, tmpDir string) (*ShapefileWriter, error) {
	dir, err := os.MkdirTemp(tmpDir, "outcrop-shp-")
	if err != nil {
		return nil, fmt.Errorf("download: temporary Shapefile: %w", err)
	}
	if layer.Name == "" {
		layer.Name = "features"
	}
	s := &ShapefileWriter{out: out, dir: dir, layer: layer, parts: map[shpKind]*shpPart{}}
	// The first column is the feature id, as in the other formats, which
	// links a record to /collections/{id}/items/{featureId}.
	taken := map[string]bool{}
	s.fields = append(s.fields, dbfField{name: "id", dbfName: uniqueName("id", taken, 10), typ: "integer"})
	for _, f := range layer.Fields {
		s.fields = append(s.fields, dbfField{name: f.Name, dbfName: uniqueName(f.Name, taken, 10), typ: f.Type})
	}
	return s, nil
}

// Write adds one feature to the shapefile of its geometry type; a geometry
// collection's points, lines and polygons each go to theirs as one record,
// with the same attributes.
func (s *ShapefileWriter) Write(raw []byte) error {
	if s.closed {
		return errClosed
	}
	f, err := decode(raw, s.layer.Fields)
	if err != nil {
		return err
	}
	var id any
	if f.hasID {
		id = json.Number(strconv.FormatInt(f.id, 10))
	}
	row := s.row(append([]any{id}, f.values...))
	if c, ok := f.geometry.(orb.Collection); ok {
		s.collections++
		parts := splitCollection(c)
		if len(parts) == 0 {
			return s.writeShape(nil, row)
		}
		for _, g := range parts {
			if err := s.writeShape(g, row); err != nil {
				return err
			}
		}
		return nil
	}
	return s.writeShape(f.geometry, row)
}

// splitCollection gathers a collection's members by shape type: its points
// into one multipoint (a point when alone), its lines into one
// multilinestring, its polygons into one multipolygon.
func splitCollection(c orb.Collection) []orb.Geometry {
	var (
		points orb.MultiPoint
		lines  orb.MultiLineString
		polys  orb.MultiPolygon
	)
	for _, g := range flatten(c) {
		switch g := g.(type) {
		case orb.Point:
			points = append(points, g)
		case orb.MultiPoint:
			points = append(points, g...)
		case orb.LineString:
			lines = append(lines, g)
		case orb.MultiLineString:
			lines = append(lines, g...)
		case orb.Ring:
			lines = append(lines, orb.LineString(g))
		case orb.Polygon:
			polys = append(polys, g)
		case orb.MultiPolygon:
			polys = append(polys, g...)
		case orb.Bound:
			polys = append(polys, g.ToPolygon())
		}
	}
	var out []orb.Geometry
	switch {
	case len(points) == 1:
		out = append(out, points[0])
	case len(points) > 1:
		out = append(out, points)
	}
	if len(lines) > 0 {
		out = append(out, lines)
	}
	if len(polys) > 0 {
		out = append(out, polys)
	}
	return out
}

// flatten lists the members of nested collections.
func flatten(c orb.Collection) []orb.Geometry {
	var out []orb.Geometry
	for _, g := range c {
		if cc, ok := g.(orb.Collection); ok {
			out = append(out, flatten(cc)...)
			continue
		}
		out = append(out, g)
	}
	return out
}

// row encodes a feature's values as DBF text, each prefixed with its length
// plus one (0 for null), and notes what they need of their columns.
func (s *ShapefileWriter) row(values []any) []byte {
	var row []byte
	for i, v := range values {
		fd := &s.fields[i]
		t, ok := text(v)
		if !ok {
			row = binary.AppendUvarint(row, 0)
			continue
		}
		fd.seen = true
		switch v := v.(type) {
		case bool:
			fd.notNumber, fd.notDate = true, true
			t = "F"
			if v {
				t = "T"
			}
		case json.Number:
			fd.notBool, fd.notDate = true, true
			t = fd.noteNumber(string(v))
		default:
			fd.notNumber, fd.notBool = true, true
			if !isDate(t) {
				fd.notDate = true
			}
		}
		if len(t) > dbfMaxText {
			t = truncate(t, dbfMaxText)
			s.truncated++
		}
		fd.width = max(fd.width, len(t))
		row = binary.AppendUvarint(row, uint64(len(t))+1)
		row = append(row, t...)
	}
	return row
}

// noteNumber records a number's digits and returns it as plain decimal text.
func (fd *dbfField) noteNumber(n string) string {
	if !strings.ContainsAny(n, ".eE") {
		fd.intDigits = max(fd.intDigits, len(n))
		return n
	}
	f, err := strconv.ParseFloat(n, 64)
	if err != nil || math.IsInf(f, 0) {
		fd.notNumber = true
		return n
	}
	t := strconv.FormatFloat(f, 'f', -1, 64)
	ip, frac, _ := strings.Cut(t, ".")
	fd.intDigits = max(fd.intDigits, len(ip))
	fd.decimals = max(fd.decimals, min(len(frac), 15))
	return t
}

// isDate reports whether t is a YYYY-MM-DD date.
func isDate(t string) bool {
	_, err := time.Parse(time.DateOnly, t)
	return err == nil
}

// kindOf is the shape type a geometry is written as.
func kindOf(g orb.Geometry) shpKind {
	switch g.(type) {
	case nil:
		return shpNull
	case orb.Point:
		return shpPoint
	case orb.MultiPoint:
		return shpMultiPoint
	case orb.LineString, orb.MultiLineString, orb.Ring:
		return shpPolyLine
	case orb.Polygon, orb.MultiPolygon, orb.Bound:
		return shpPolygon
	}
	return shpNull
}

// part returns the shapefile under construction for kind, starting it.
func (s *ShapefileWriter) part(kind shpKind) (*shpPart, error) {
	if p := s.parts[kind]; p != nil {
		return p, nil
	}
	p := &shpPart{kind: kind, offset: 50}
	var err error
	for _, f := range []**os.File{&p.shp, &p.shx, &p.dbf} {
		if *f, err = os.CreateTemp(s.dir, "part-"); err != nil {
			return nil, err
		}
	}
	p.shpW, p.shxW, p.dbfW = bufio.NewWriter(p.shp), bufio.NewWriter(p.shx), bufio.NewWriter(p.dbf)
	s.parts[kind] = p
	return p, nil
}

// writeShape appends one record: its shape and its encoded attributes.
func (s *ShapefileWriter) writeShape(g orb.Geometry, row []byte) error {
	if g != nil && isEmpty(g) {
		g = nil
	}
	p, err := s.part(kindOf(g))
	if err != nil {
		return err
	}
	content := shapeContent(g)
	p.records++
	var hdr [8]byte
	binary.BigEndian.PutUint32(hdr[0:], uint32(p.records))
	binary.BigEndian.PutUint32(hdr[4:], uint32(len(content)/2))
	p.shpW.Write(hdr[:])
	p.shpW.Write(content)
	binary.BigEndian.PutUint32(hdr[0:], uint32(p.offset))
	p.shxW.Write(hdr[:])
	p.offset += int64(4 + len(content)/2)
	if 2*p.offset > shpMaxBytes {
		return fmt.Errorf("%w: the %s shapefile would pass the format's 2 GB limit; download a smaller area, or as GeoPackage", ErrTooBig, shpKindNames[p.kind])
	}
	if g != nil {
		b := g.Bound()
		if p.any {
			p.bound = p.bound.Union(b)
		} else {
			p.bound, p.any = b, true
		}
	}
	p.dbfW.Write(binary.AppendUvarint(nil, uint64(len(row))))
	_, err = p.dbfW.Write(row)
	return err
}

// shapeContent is a record's content: shape type and shape, little-endian.
func shapeContent(g orb.Geometry) []byte {
	le := binary.LittleEndian
	b := le.AppendUint32(nil, uint32(kindOf(g)))
	f64 := func(v float64) { b = le.AppendUint64(b, math.Float64bits(v)) }
	box := func(bd orb.Bound) { f64(bd.Min[0]); f64(bd.Min[1]); f64(bd.Max[0]); f64(bd.Max[1]) }
	parts := func(rings [][]orb.Point) {
		box(g.Bound())
		n := 0
		for _, r := range rings {
			n += len(r)
		}
		b = le.AppendUint32(b, uint32(len(rings)))
		b = le.AppendUint32(b, uint32(n))
		start := 0
		for _, r := range rings {
			b = le.AppendUint32(b, uint32(start))
			start += len(r)
		}
		for _, r := range rings {
			for _, p := range r {
				f64(p[0])
				f64(p[1])
			}
		}
	}
	switch g := g.(type) {
	case orb.Point:
		f64(g[0])
		f64(g[1])
	case orb.MultiPoint:
		box(g.Bound())
		b = le.AppendUint32(b, uint32(len(g)))
		for _, p := range g {
			f64(p[0])
			f64(p[1])
		}
	case orb.LineString:
		parts([][]orb.Point{g})
	case orb.Ring:
		parts([][]orb.Point{g})
	case orb.MultiLineString:
		var rs [][]orb.Point
		for _, l := range g {
			if len(l) > 0 {
				rs = append(rs, l)
			}
		}
		parts(rs)
	case orb.Polygon:
		parts(shpRings(orb.MultiPolygon{g}))
	case orb.MultiPolygon:
		parts(shpRings(g))
	case orb.Bound:
		parts(shpRings(orb.MultiPolygon{g.ToPolygon()}))
	}
	return b
}

// shpRings lists the rings of polygons as a Shapefile wants them: outer
// rings clockwise, holes counterclockwise (GeoJSON has them the other way).
func shpRings(mp orb.MultiPolygon) [][]orb.Point {
	var out [][]orb.Point
	for _, p := range mp {
		for i, r := range p {
			if len(r) == 0 {
				continue
			}
			r = append(orb.Ring(nil), r...)
			if o := r.Orientation(); (i == 0 && o == orb.CCW) || (i > 0 && o == orb.CW) {
				r.Reverse()
			}
			out = append(out, r)
		}
	}
	return out
}

// Close writes the zip: each shapefile's files, then README.txt.
func (s *ShapefileWriter) Close() error {
	if s.closed {
		return errClosed
	}
	defer s.Abort()
	if len(s.parts) == 0 {
		// No feature: an empty shapefile of points still opens.
		if _, err := s.part(shpPoint); err != nil {
			return err
		}
	}
	kinds := make([]shpKind, 0, len(s.parts))
	for k := range s.parts {
		kinds = append(kinds, k)
	}
	sort.Slice(kinds, func(i, j int) bool { return kinds[i] < kinds[j] })
	z := zip.NewWriter(s.out)
	var names []string
	for _, k := range kinds {
		name := s.layer.Name
		if len(kinds) > 1 {
			name += "_" + shpKindNames[k]
		}
		names = append(names, name)
		if err := s.writePart(z, name, s.parts[k]); err != nil {
			return err
		}
	}
	w, err := z.Create("README.txt")
	if err != nil {
		return err
	}
	if _, err := io.WriteString(w, s.readme(kinds, names)); err != nil {
		return err
	}
	return z.Close()
}

// writePart adds one shapefile's files to the zip.
func (s *ShapefileWriter) writePart(z *zip.Writer, name string, p *shpPart) error {
	for _, w := range []*bufio.Writer{p.shpW, p.shxW, p.dbfW} {
		if err := w.Flush(); err != nil {
			return err
		}
	}
	create := func(ext string) (io.Writer, error) {
		return z.CreateHeader(&zip.FileHeader{Name: name + ext, Method: zip.Deflate, Modified: time.Now()})
	}
	// .shp and .shx: the header, then the records.
	for _, f := range []struct {
		ext   string
		file  *os.File
		words int64
	}{{".shp", p.shp, p.offset}, {".shx", p.shx, 50 + 4*int64(p.records)}} {
		w, err := create(f.ext)
		if err != nil {
			return err
		}
		if _, err := w.Write(p.shpHeader(f.words)); err != nil {
			return err
		}
		if _, err := f.file.Seek(0, io.SeekStart); err != nil {
			return err
		}
		if _, err := io.Copy(w, f.file); err != nil {
			return err
		}
	}
	w, err := create(".dbf")
	if err != nil {
		return err
	}
	if err := s.writeDBF(w, p); err != nil {
		return err
	}
	for ext, body := range map[string]string{".prj": wgs84PRJ, ".cpg": "UTF-8"} {
		w, err := create(ext)
		if err != nil {
			return err
		}
		if _, err := io.WriteString(w, body); err != nil {
			return err
		}
	}
	return nil
}

// shpHeader is the 100-byte header of a .shp or .shx of words 16-bit words.
func (p *shpPart) shpHeader(words int64) []byte {
	h := make([]byte, 100)
	binary.BigEndian.PutUint32(h[0:], 9994)
	binary.BigEndian.PutUint32(h[24:], uint32(words))
	binary.LittleEndian.PutUint32(h[28:], 1000)
	binary.LittleEndian.PutUint32(h[32:], uint32(p.kind))
	for i, v := range []float64{p.bound.Min[0], p.bound.Min[1], p.bound.Max[0], p.bound.Max[1]} {
		binary.LittleEndian.PutUint64(h[36+8*i:], math.Float64bits(v))
	}
	return h
}

// dbfColumn is a DBF column's type, width and decimals.
func (fd *dbfField) dbfColumn() (typ byte, width, decimals int) {
	switch {
	case !fd.seen:
		switch fd.typ {
		case "integer":
			return 'N', 10, 0
		case "real":
			return 'N', 24, 15
		case "boolean":
			return 'L', 1, 0
		case "date":
			return 'D', 8, 0
		}
		return 'C', 1, 0
	case !fd.notBool:
		return 'L', 1, 0
	case !fd.notNumber:
		w := fd.intDigits
		if fd.decimals > 0 {
			w += 1 + fd.decimals
		}
		if w <= dbfMaxText {
			return 'N', max(w, 1), fd.decimals
		}
	case !fd.notDate && fd.typ == "date":
		return 'D', 8, 0
	}
	return 'C', max(fd.width, 1), 0
}

// writeDBF writes the attribute table of p: header, then each record with
// its values padded to the column widths decided by all of them.
func (s *ShapefileWriter) writeDBF(w io.Writer, p *shpPart) error {
	type col struct {
		typ             byte
		width, decimals int
	}
	cols := make([]col, len(s.fields))
	recLen := 1
	for i := range s.fields {
		t, wd, d := s.fields[i].dbfColumn()
		cols[i] = col{t, wd, d}
		recLen += wd
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	now := time.Now().UTC()
	hdr := make([]byte, 32)
	hdr[0] = 0x03
	hdr[1], hdr[2], hdr[3] = byte(now.Year()-1900), byte(now.Month()), byte(now.Day())
	binary.LittleEndian.PutUint32(hdr[4:], uint32(p.records))
	binary.LittleEndian.PutUint16(hdr[8:], uint16(32+32*len(cols)+1))
	binary.LittleEndian.PutUint16(hdr[10:], uint16(recLen))
	bw.Write(hdr)
	for i, c := range cols {
		d := make([]byte, 32)
		copy(d[:10], s.fields[i].dbfName)
		d[11] = c.typ
		d[16], d[17] = byte(c.width), byte(c.decimals)
		bw.Write(d)
	}
	bw.WriteByte(0x0D)
	if recLen > math.MaxUint16 || 32+32*len(cols)+1 > math.MaxUint16 {
		return fmt.Errorf("download: the collection has too many or too wide fields for a DBF file; download another format")
	}
	if _, err := p.dbf.Seek(0, io.SeekStart); err != nil {
		return err
	}
	br := bufio.NewReader(p.dbf)
	rec := make([]byte, 0, recLen)
	for range p.records {
		n, err := binary.ReadUvarint(br)
		if err != nil {
			return err
		}
		row := make([]byte, n)
		if _, err := io.ReadFull(br, row); err != nil {
			return err
		}
		rec = append(rec[:0], ' ')
		for _, c := range cols {
			l, k := binary.Uvarint(row)
			row = row[k:]
			var v string
			if l > 0 {
				v, row = string(row[:l-1]), row[l-1:]
			}
			rec = appendDBFValue(rec, c.typ, c.width, c.decimals, v, l > 0)
		}
		bw.Write(rec)
	}
	bw.WriteByte(0x1A)
	return bw.Flush()
}

// appendDBFValue appends one value padded to its column: numbers right
// aligned with the column's decimals, dates as YYYYMMDD, logicals as T, F
// or ? (null), text left aligned; a null is blank.
func appendDBFValue(rec []byte, typ byte, width, decimals int, v string, ok bool) []byte {
	switch {
	case !ok && typ == 'L':
		v = "?"
	case !ok:
		v = ""
	case typ == 'N' && decimals > 0:
		if f, err := strconv.ParseFloat(v, 64); err == nil {
			v = strconv.FormatFloat(f, 'f', decimals, 64)
		}
	case typ == 'D':
		v = strings.ReplaceAll(v, "-", "")
	}
	v = truncate(v, width)
	pad := strings.Repeat(" ", width-len(v))
	if typ == 'N' {
		return append(append(rec, pad...), v...)
	}
	return append(append(rec, v...), pad...)
}

// readme explains the zip's contents and the attribute changes DBF forced.
func (s *ShapefileWriter) readme(kinds []shpKind, names []string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s as ESRI Shapefile, WGS 84 longitude/latitude (EPSG:4326), attributes in UTF-8 (.cpg).\r\n", s.layer.Name)
	if s.layer.Attribution != "" {
		fmt.Fprintf(&b, "Attribution: %s\r\n", s.layer.Attribution)
	}
	if s.layer.License != "" {
		fmt.Fprintf(&b, "Licence: %s\r\n", s.layer.License)
	}
	b.WriteString("\r\nFiles:\r\n")
	for i, k := range kinds {
		fmt.Fprintf(&b, "  %s.shp: %d %s\r\n", names[i], s.parts[k].records, shpKindNames[k])
	}
	if len(kinds) > 1 {
		b.WriteString("A shapefile holds one geometry type, so the features are split by type.\r\n")
	}
	if s.collections > 0 {
		fmt.Fprintf(&b, "%d features have a geometry collection: its points, lines and polygons are records in the shapefiles of their types, each with the feature's attributes.\r\n", s.collections)
	}
	var renamed []string
	for _, f := range s.fields {
		if f.dbfName != f.name {
			renamed = append(renamed, fmt.Sprintf("  %s -> %s", f.name, f.dbfName))
		}
	}
	if len(renamed) > 0 {
		b.WriteString("\r\nDBF field names hold at most 10 bytes; these fields were renamed:\r\n")
		b.WriteString(strings.Join(renamed, "\r\n") + "\r\n")
	}
	if s.truncated > 0 {
		fmt.Fprintf(&b, "\r\n%d text values longer than %d bytes, the DBF limit, were cut; GeoPackage keeps them whole.\r\n", s.truncated, dbfMaxText)
	}
	if !utf8.ValidString(b.String()) {
		return strings.ToValidUTF8(b.String(), "?")
	}
	return b.String()
}

// Abort removes the temporary files.
func (s *ShapefileWriter) Abort() {
	s.closed = true
	for _, p := range s.parts {
		for _, f := range []*os.File{p.shp, p.shx, p.dbf} {
			if f != nil {
				f.Close()
			}
		}
	}
	os.RemoveAll(s.dir)
}
