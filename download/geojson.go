package download

import (
	"bufio"
	"encoding/json"
	"io"
)

// GeoJSONWriter writes a GeoJSON FeatureCollection, copying each stored
// feature as it is: a tileset stores RFC 7946 features already.
type GeoJSONWriter struct {
	bw      *bufio.Writer
	n       int
	started bool
	closed  bool
	name    string
}

// NewGeoJSON returns a writer of a FeatureCollection named for the layer to
// out. Nothing reaches out before the first Write or Close.
func NewGeoJSON(out io.Writer, layer Layer) *GeoJSONWriter {
	return &GeoJSONWriter{bw: bufio.NewWriterSize(out, 64<<10), name: layer.Name}
}

func (g *GeoJSONWriter) start() {
	g.started = true
	name, _ := json.Marshal(g.name)
	g.bw.WriteString(`{"type":"FeatureCollection","name":`)
	g.bw.Write(name)
	g.bw.WriteString(`,"features":[`)
}

// Write appends one feature.
func (g *GeoJSONWriter) Write(feature []byte) error {
	if g.closed {
		return errClosed
	}
	if !g.started {
		g.start()
	}
	if g.n > 0 {
		g.bw.WriteByte(',')
	}
	g.n++
	g.bw.WriteByte('\n')
	_, err := g.bw.Write(feature)
	return err
}

// Close ends the collection and flushes it.
func (g *GeoJSONWriter) Close() error {
	if g.closed {
		return errClosed
	}
	if !g.started {
		g.start()
	}
	g.closed = true
	g.bw.WriteString("\n]}\n")
	return g.bw.Flush()
}

// Abort drops what is buffered.
func (g *GeoJSONWriter) Abort() { g.closed = true }
