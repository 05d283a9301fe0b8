package export

import (
	"database/sql"
	"fmt"
	"os"
	"strconv"

	_ "modernc.org/sqlite" // the pure-Go SQLite, so export needs no cgo

	"github.com/outcrop/outcrop/tileset"
)

// mbtilesSchema is the MBTiles 1.3 schema: the metadata and tiles tables
// and the unique index readers look tiles up by.
const mbtilesSchema = `
PRAGMA application_id = 0x4d504258;
CREATE TABLE metadata (name TEXT, value TEXT);
CREATE UNIQUE INDEX name ON metadata (name);
CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB);
CREATE UNIQUE INDEX tile_index ON tiles (zoom_level, tile_column, tile_row);
`

// writeMBTiles writes r as an MBTiles 1.3 database into the empty file f,
// its tiles unchanged (gzip-compressed MVT, format pbf) with rows counted
// in the TMS scheme from the south edge.
func writeMBTiles(r *tileset.Reader, f *os.File) error {
	m := r.Metadata()
	// The file is a temporary one, renamed only when complete: no journal
	// is needed to survive a crash half-way.
	db, err := sql.Open("sqlite", "file:"+f.Name()+"?_pragma=journal_mode(OFF)&_pragma=synchronous(OFF)")
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.Exec(mbtilesSchema); err != nil {
		return fmt.Errorf("cannot create the MBTiles tables: %v", err)
	}
	tx, err := db.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	rows := [][2]string{
		{"name", name(m)},
		{"format", "pbf"},
		{"type", "overlay"},
		{"version", strconv.FormatInt(m.Created.Unix(), 10)},
		{"bounds", fmt.Sprintf("%s,%s,%s,%s", num(m.Bounds[0]), num(m.Bounds[1]), num(m.Bounds[2]), num(m.Bounds[3]))},
		{"center", fmt.Sprintf("%s,%s,%d", num(m.Center[0]), num(m.Center[1]), int(m.Center[2]))},
		{"minzoom", strconv.Itoa(m.MinZoom)},
		{"maxzoom", strconv.Itoa(m.MaxZoom)},
		{"json", `{"vector_layers":` + string(vectorLayers(m)) + `}`},
	}
	for _, kv := range [][2]string{{"description", m.Description}, {"attribution", m.Attribution}, {"license", m.License}} {
		if kv[1] != "" {
			rows = append(rows, kv)
		}
	}
	for _, kv := range rows {
		if _, err := tx.Exec("INSERT INTO metadata (name, value) VALUES (?, ?)", kv[0], kv[1]); err != nil {
			return fmt.Errorf("cannot write metadata %s: %v", kv[0], err)
		}
	}
	put, err := tx.Prepare("INSERT INTO tiles (zoom_level, tile_column, tile_row, tile_data) VALUES (?, ?, ?, ?)")
	if err != nil {
		return err
	}
	defer put.Close()
	n := 0
	err = r.ForEach(func(z, x, y int, gz []byte) error {
		n++
		if _, err := put.Exec(z, x, (1<<z)-1-y, gz); err != nil {
			return fmt.Errorf("cannot write tile %d/%d/%d: %v", z, x, y, err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	if n == 0 {
		return fmt.Errorf("tileset %q holds no tiles", m.ID)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("cannot commit the MBTiles database: %v", err)
	}
	return db.Close()
}

// num formats a coordinate in the shortest form that reads back exactly.
func num(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
