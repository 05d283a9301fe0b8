package download

import (
	"bytes"
	"cmp"
	"database/sql"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
	_ "modernc.org/sqlite" // the pure-Go SQLite: the server is built without cgo

	"github.com/outcrop/outcrop/tileset"
)

// GeoPackageWriter writes a GeoPackage 1.2 with one feature table in WGS 84
// (EPSG:4326), fid being the feature id, polygons and lines promoted to
// multipolygons and multilines, and its R-tree spatial index
// (the gpkg_rtree_index extension), which QGIS and GDAL use for spatial
// filters.
//
// There is no maintained pure-Go GeoPackage writer (go-spatial/geom's gpkg
// package needs cgo's mattn/go-sqlite3), so this one writes the few
// required tables itself through modernc.org/sqlite, and encodes the
// GeoPackage geometry header before orb's WKB.
//
// SQLite needs a file, so the GeoPackage is built in a temporary file that
// Close copies to the output and removes.
type GeoPackageWriter struct {
	out    io.Writer
	path   string
	db     *sql.DB
	tx     *sql.Tx
	insert *sql.Stmt
	// index adds a row's envelope to the spatial index.
	index  *sql.Stmt
	table  string
	fields []tileset.Field
	args   []any
	blob   []byte
	// types counts the geometry types written, for the geometry column's
	// declared type; bound is the extent of every geometry.
	types  map[string]bool
	bound  orb.Bound
	any    bool
	closed bool
}

// gpkgApplicationID is "GPKG" and gpkgUserVersion 1.2.0, as the standard
// sets them in the SQLite header: nothing here needs a later version, and
// GDAL releases before 3.6 warn about 1.4 files.
const (
	gpkgApplicationID = 0x47504B47
	gpkgUserVersion   = 10200
)

// wgs84WKT is EPSG:4326 as OGC WKT, the definition GDAL writes.
const wgs84WKT = `GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4326"]]`

// NewGeoPackage starts a GeoPackage in a temporary file in tmpDir ("" for
// the system's).
func NewGeoPackage(out io.Writer, layer Layer, tmpDir string) (*GeoPackageWriter, error) {
	dir, err := os.MkdirTemp(tmpDir, "outcrop-gpkg-")
	if err != nil {
		return nil, fmt.Errorf("download: temporary GeoPackage: %w", err)
	}
	g := &GeoPackageWriter{out: out, path: filepath.Join(dir, "download.gpkg"), fields: layer.Fields, types: map[string]bool{}}
	if err := g.create(layer); err != nil {
		g.Abort()
		return nil, fmt.Errorf("download: creating GeoPackage: %w", err)
	}
	return g, nil
}

// quoteIdent quotes an SQL identifier.
func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// gpkgColumnType is the GeoPackage column type of a field type.
func gpkgColumnType(t string) string {
	switch t {
	case "integer":
		return "INTEGER"
	case "real":
		return "REAL"
	case "boolean":
		return "BOOLEAN"
	case "date":
		return "DATE"
	case "datetime":
		return "DATETIME"
	}
	return "TEXT"
}

func (g *GeoPackageWriter) create(layer Layer) error {
	db, err := sql.Open("sqlite", "file:"+g.path+"?_pragma=journal_mode(OFF)&_pragma=synchronous(OFF)")
	if err != nil {
		return err
	}
	db.SetMaxOpenConns(1)
	g.db = db
	g.table = layer.Name
	if g.table == "" {
		g.table = "features"
	}
	taken := map[string]bool{}
	cols := []string{quoteIdent(uniqueName("fid", taken, 0)) + " INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL", quoteIdent(uniqueName("geom", taken, 0)) + " GEOMETRY"}
	for _, f := range layer.Fields {
		cols = append(cols, quoteIdent(uniqueName(f.Name, taken, 0))+" "+gpkgColumnType(f.Type))
	}
	stmts := []string{
		fmt.Sprintf("PRAGMA application_id = %d", gpkgApplicationID),
		fmt.Sprintf("PRAGMA user_version = %d", gpkgUserVersion),
		`CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER NOT NULL PRIMARY KEY,
			organization TEXT NOT NULL, organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT)`,
		`INSERT INTO gpkg_spatial_ref_sys VALUES ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system')`,
		`INSERT INTO gpkg_spatial_ref_sys VALUES ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system')`,
		`INSERT INTO gpkg_spatial_ref_sys VALUES ('WGS 84 geodetic', 4326, 'EPSG', 4326, '` + wgs84WKT + `', 'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid')`,
		`CREATE TABLE gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,
			description TEXT DEFAULT '', last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
			min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
			CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id))`,
		`CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
			srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
			CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name), CONSTRAINT uk_gc_table_name UNIQUE (table_name),
			CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
			CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id))`,
		"CREATE TABLE " + quoteIdent(g.table) + " (" + strings.Join(cols, ", ") + ")",
		`CREATE TABLE gpkg_extensions (table_name TEXT, column_name TEXT, extension_name TEXT NOT NULL, definition TEXT NOT NULL, scope TEXT NOT NULL,
			CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name))`,
		"CREATE VIRTUAL TABLE " + quoteIdent(g.rtree()) + " USING rtree(id, minx, maxx, miny, maxy)",
	}
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			return err
		}
	}
	desc := layer.Description
	if layer.Attribution != "" {
		desc = strings.TrimSpace(desc + "\n\nAttribution: " + layer.Attribution)
	}
	if layer.License != "" {
		desc = strings.TrimSpace(desc + "\n\nLicence: " + layer.License)
	}
	if _, err := db.Exec(`INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change, srs_id) VALUES (?, 'features', ?, ?, ?, 4326)`,
		g.table, cmp.Or(layer.Title, g.table), desc, time.Now().UTC().Format("2006-01-02T15:04:05.000Z")); err != nil {
		return err
	}
	if _, err := db.Exec(`INSERT INTO gpkg_geometry_columns VALUES (?, 'geom', 'GEOMETRY', 4326, 0, 0)`, g.table); err != nil {
		return err
	}
	if _, err := db.Exec(`INSERT INTO gpkg_extensions VALUES (?, 'geom', 'gpkg_rtree_index', 'http://www.geopackage.org/spec120/#extension_rtree', 'write-only')`, g.table); err != nil {
		return err
	}
	if g.tx, err = db.Begin(); err != nil {
		return err
	}
	marks := strings.TrimSuffix(strings.Repeat("?, ", len(layer.Fields)+2), ", ")
	if g.insert, err = g.tx.Prepare("INSERT INTO " + quoteIdent(g.table) + " VALUES (" + marks + ")"); err != nil {
		return err
	}
	if g.index, err = g.tx.Prepare("INSERT INTO " + quoteIdent(g.rtree()) + " VALUES (?, ?, ?, ?, ?)"); err != nil {
		return err
	}
	g.args = make([]any, len(layer.Fields)+2)
	return nil
}

// rtree is the name of the spatial index table.
func (g *GeoPackageWriter) rtree() string { return "rtree_" + g.table + "_geom" }

// Write inserts one feature.
func (g *GeoPackageWriter) Write(raw []byte) error {
	if g.closed {
		return errClosed
	}
	f, err := decode(raw, g.fields)
	if err != nil {
		return err
	}
	clear(g.args)
	if f.hasID {
		g.args[0] = f.id
	}
	if f.geometry != nil {
		if g.blob, err = g.geometryBlob(g.blob[:0], promoteToMulti(f.geometry)); err != nil {
			return fmt.Errorf("feature %d: %w", f.id, err)
		}
		g.args[1] = g.blob
	}
	for i, v := range f.values {
		g.args[2+i] = gpkgValue(g.fields[i].Type, v)
	}
	res, err := g.insert.Exec(g.args...)
	if err != nil || f.geometry == nil || isEmpty(f.geometry) {
		return err
	}
	fid, err := res.LastInsertId()
	if err != nil {
		return err
	}
	b := f.geometry.Bound()
	_, err = g.index.Exec(fid, b.Min[0], b.Max[0], b.Min[1], b.Max[1])
	return err
}

// rtreeTriggers are the triggers of the gpkg_rtree_index extension
// (GeoPackage 1.2, annex F.3) for column c of table t with primary key i.
func rtreeTriggers(t, c, i string) []string {
	r := quoteIdent("rtree_" + t + "_" + c)
	name := func(suffix string) string { return quoteIdent("rtree_" + t + "_" + c + "_" + suffix) }
	qt, qc, qi := quoteIdent(t), quoteIdent(c), quoteIdent(i)
	upsert := "INSERT OR REPLACE INTO " + r + " VALUES (NEW." + qi + ", ST_MinX(NEW." + qc + "), ST_MaxX(NEW." + qc + "), ST_MinY(NEW." + qc + "), ST_MaxY(NEW." + qc + "));"
	nonEmpty := "(NEW." + qc + " NOTNULL AND NOT ST_IsEmpty(NEW." + qc + "))"
	empty := "(NEW." + qc + " ISNULL OR ST_IsEmpty(NEW." + qc + "))"
	return []string{
		"CREATE TRIGGER " + name("insert") + " AFTER INSERT ON " + qt + " WHEN " + nonEmpty + " BEGIN " + upsert + " END",
		"CREATE TRIGGER " + name("update1") + " AFTER UPDATE OF " + qc + " ON " + qt + " WHEN OLD." + qi + " = NEW." + qi + " AND " + nonEmpty + " BEGIN " + upsert + " END",
		"CREATE TRIGGER " + name("update2") + " AFTER UPDATE OF " + qc + " ON " + qt + " WHEN OLD." + qi + " = NEW." + qi + " AND " + empty +
			" BEGIN DELETE FROM " + r + " WHERE id = OLD." + qi + "; END",
		"CREATE TRIGGER " + name("update3") + " AFTER UPDATE ON " + qt + " WHEN OLD." + qi + " != NEW." + qi + " AND " + nonEmpty +
			" BEGIN DELETE FROM " + r + " WHERE id = OLD." + qi + "; " + upsert + " END",
		"CREATE TRIGGER " + name("update4") + " AFTER UPDATE ON " + qt + " WHEN OLD." + qi + " != NEW." + qi + " AND " + empty +
			" BEGIN DELETE FROM " + r + " WHERE id IN (OLD." + qi + ", NEW." + qi + "); END",
		"CREATE TRIGGER " + name("delete") + " AFTER DELETE ON " + qt + " WHEN OLD." + qc + " NOT NULL BEGIN DELETE FROM " + r + " WHERE id = OLD." + qi + "; END",
	}
}

// gpkgValue is the SQLite value of a property of field type typ.
func gpkgValue(typ string, v any) any {
	switch v := v.(type) {
	case string:
		if typ == "datetime" {
			return gpkgDateTime(v)
		}
	case bool:
		if v {
			return 1
		}
		return 0
	case json.Number:
		if typ == "integer" {
			if n, err := v.Int64(); err == nil {
				return n
			}
		}
		if f, err := v.Float64(); err == nil {
			return f
		}
		return string(v)
	}
	return v
}

// promoteToMulti makes a polygon a multipolygon and a line a multiline. A
// geological map mixes polygons and multipolygons, and a GeoPackage column
// of one declared type must hold that type only: promoted, the layer is
// MULTIPOLYGON, which QGIS opens as one layer, where a column declared
// GEOMETRY would be offered as one sublayer per type. ogr2ogr's
// -nlt PROMOTE_TO_MULTI does the same.
func promoteToMulti(g orb.Geometry) orb.Geometry {
	switch g := g.(type) {
	case orb.Polygon:
		return orb.MultiPolygon{g}
	case orb.LineString:
		return orb.MultiLineString{g}
	}
	return g
}

// gpkgDateTime writes a datetime with a known offset in UTC, as the
// standard's DATETIME wants (YYYY-MM-DDTHH:MM:SS.SSSZ); a local time, with
// no offset, stays as it is rather than being given one.
func gpkgDateTime(v string) string {
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		return v
	}
	return t.UTC().Format("2006-01-02T15:04:05.000Z")
}

// geometryBlob appends the GeoPackage binary form of geom: the "GP" header
// (version 0, little-endian, an XY envelope except for points, srs 4326)
// and the standard WKB.
func (g *GeoPackageWriter) geometryBlob(dst []byte, geom orb.Geometry) ([]byte, error) {
	g.types[gpkgTypeName(geom)] = true
	empty := isEmpty(geom)
	flags := byte(1) // little-endian
	_, point := geom.(orb.Point)
	switch {
	case empty:
		flags |= 1 << 4
	case !point:
		flags |= 1 << 1 // envelope [minx, maxx, miny, maxy]
	}
	dst = append(dst, 'G', 'P', 0, flags)
	dst = binary.LittleEndian.AppendUint32(dst, 4326)
	if !empty {
		b := geom.Bound()
		if g.any {
			g.bound = g.bound.Union(b)
		} else {
			g.bound, g.any = b, true
		}
		if !point {
			for _, v := range []float64{b.Min[0], b.Max[0], b.Min[1], b.Max[1]} {
				dst = binary.LittleEndian.AppendUint64(dst, math.Float64bits(v))
			}
		}
	}
	var buf bytes.Buffer
	buf.Write(dst)
	if err := wkb.NewEncoder(&buf).SetByteOrder(binary.LittleEndian).Encode(geom); err != nil {
		return dst, err
	}
	return buf.Bytes(), nil
}

// gpkgTypeName is the GeoPackage name of geom's type.
func gpkgTypeName(geom orb.Geometry) string {
	switch geom.(type) {
	case orb.Collection:
		return "GEOMETRYCOLLECTION"
	case orb.Ring:
		return "LINESTRING"
	case orb.Bound:
		return "POLYGON"
	}
	return strings.ToUpper(geom.GeoJSONType())
}

// isEmpty reports whether geom has no point.
func isEmpty(geom orb.Geometry) bool {
	switch g := geom.(type) {
	case orb.Point:
		return false
	case orb.MultiPoint:
		return len(g) == 0
	case orb.LineString:
		return len(g) == 0
	case orb.MultiLineString:
		for _, l := range g {
			if len(l) > 0 {
				return false
			}
		}
		return true
	case orb.Polygon:
		return len(g) == 0 || len(g[0]) == 0
	case orb.MultiPolygon:
		for _, p := range g {
			if !isEmpty(p) {
				return false
			}
		}
		return true
	case orb.Collection:
		for _, c := range g {
			if !isEmpty(c) {
				return false
			}
		}
		return true
	}
	return false
}

// Close commits the table, records its extent and geometry type, and copies
// the file to the output.
func (g *GeoPackageWriter) Close() error {
	if g.closed {
		return errClosed
	}
	defer g.Abort()
	if err := g.finish(); err != nil {
		return fmt.Errorf("download: finishing GeoPackage: %w", err)
	}
	f, err := os.Open(g.path)
	if err != nil {
		return err
	}
	defer f.Close()
	if sz, ok := g.out.(Sizer); ok {
		fi, err := f.Stat()
		if err != nil {
			return err
		}
		sz.SetSize(fi.Size())
	}
	_, err = io.Copy(g.out, f)
	return err
}

func (g *GeoPackageWriter) finish() error {
	if err := g.insert.Close(); err != nil {
		return err
	}
	if err := g.index.Close(); err != nil {
		return err
	}
	if err := g.tx.Commit(); err != nil {
		return err
	}
	g.tx = nil
	// The triggers that keep the index in step with later edits call the
	// ST_ functions GeoPackage readers provide, which this SQLite lacks: they
	// are added once every row is in, as GDAL does after a bulk load.
	for _, trig := range rtreeTriggers(g.table, "geom", "fid") {
		if _, err := g.db.Exec(trig); err != nil {
			return err
		}
	}
	typ := "GEOMETRY"
	if len(g.types) == 1 {
		for t := range g.types {
			typ = t
		}
	}
	if _, err := g.db.Exec(`UPDATE gpkg_geometry_columns SET geometry_type_name = ?`, typ); err != nil {
		return err
	}
	if g.any {
		b := g.bound
		if _, err := g.db.Exec(`UPDATE gpkg_contents SET min_x = ?, min_y = ?, max_x = ?, max_y = ?`, b.Min[0], b.Min[1], b.Max[0], b.Max[1]); err != nil {
			return err
		}
	}
	err := g.db.Close()
	g.db = nil
	return err
}

// Abort removes the temporary file.
func (g *GeoPackageWriter) Abort() {
	g.closed = true
	if g.tx != nil {
		g.tx.Rollback()
		g.tx = nil
	}
	if g.db != nil {
		g.db.Close()
		g.db = nil
	}
	os.RemoveAll(filepath.Dir(g.path))
}
