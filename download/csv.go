package download

import (
	"bufio"
	"encoding/csv"
	"io"
	"strconv"

	"github.com/paulmach/orb/encoding/wkt"

	"github.com/outcrop/outcrop/tileset"
)

// CSVWriter writes a CSV file, UTF-8 with a header row: the geometry as WKT
// in a column named WKT (which GDAL and QGIS read as the geometry without
// being told), the feature id in a column named id, then one column per
// field (a field whose name is taken gets a numeric suffix). Null values
// and missing geometries are empty cells.
type CSVWriter struct {
	bw     *bufio.Writer
	cw     *csv.Writer
	fields []tileset.Field
	header []string // nil once written
	row    []string
	closed bool
}

// NewCSV returns a CSV writer to out. Nothing reaches out before the first
// Write or Close.
func NewCSV(out io.Writer, layer Layer) *CSVWriter {
	bw := bufio.NewWriterSize(out, 64<<10)
	c := &CSVWriter{bw: bw, cw: csv.NewWriter(bw), fields: layer.Fields}
	taken := map[string]bool{}
	c.header = append(c.header, uniqueName("WKT", taken, 0), uniqueName("id", taken, 0))
	for _, f := range layer.Fields {
		c.header = append(c.header, uniqueName(f.Name, taken, 0))
	}
	c.row = make([]string, len(c.header))
	return c
}

func (c *CSVWriter) writeHeader() error {
	if c.header == nil {
		return nil
	}
	err := c.cw.Write(c.header)
	c.header = nil
	return err
}

// Write appends one feature's row.
func (c *CSVWriter) Write(raw []byte) error {
	if c.closed {
		return errClosed
	}
	if err := c.writeHeader(); err != nil {
		return err
	}
	f, err := decode(raw, c.fields)
	if err != nil {
		return err
	}
	clear(c.row)
	if f.geometry != nil {
		c.row[0] = wkt.MarshalString(f.geometry)
	}
	if f.hasID {
		c.row[1] = strconv.FormatInt(f.id, 10)
	}
	for i, v := range f.values {
		c.row[2+i], _ = text(v)
	}
	return c.cw.Write(c.row)
}

// Close writes what is buffered.
func (c *CSVWriter) Close() error {
	if c.closed {
		return errClosed
	}
	c.closed = true
	if err := c.writeHeader(); err != nil {
		return err
	}
	c.cw.Flush()
	if err := c.cw.Error(); err != nil {
		return err
	}
	return c.bw.Flush()
}

// Abort drops what is buffered.
func (c *CSVWriter) Abort() { c.closed = true }
