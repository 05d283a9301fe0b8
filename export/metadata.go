package export

import (
	"bytes"
	"encoding/json"

	"github.com/outcrop/outcrop/tileset"
)

// vectorLayers returns the TileJSON vector_layers array of m: its one
// layer, with its fields in source order typed as tippecanoe's convention
// (Number, String, Boolean) and its zoom range.
func vectorLayers(m *tileset.Metadata) json.RawMessage {
	var b bytes.Buffer
	id, _ := json.Marshal(m.Layer)
	b.WriteString(`[{"id":`)
	b.Write(id)
	if m.Description != "" {
		d, _ := json.Marshal(m.Description)
		b.WriteString(`,"description":`)
		b.Write(d)
	}
	b.WriteString(`,"fields":{`)
	for i, f := range m.Fields {
		if i > 0 {
			b.WriteByte(',')
		}
		name, _ := json.Marshal(f.Name)
		b.Write(name)
		b.WriteString(`:"`)
		b.WriteString(fieldType(f.Type))
		b.WriteByte('"')
	}
	b.WriteString(`},"minzoom":`)
	b.WriteString(itoa(m.MinZoom))
	b.WriteString(`,"maxzoom":`)
	b.WriteString(itoa(m.MaxZoom))
	b.WriteString(`}]`)
	return b.Bytes()
}

func itoa(i int) string { s, _ := json.Marshal(i); return string(s) }

// fieldType maps a tileset field type onto the TileJSON type names; dates
// travel in tiles as ISO 8601 strings.
func fieldType(t string) string {
	switch t {
	case "integer", "real":
		return "Number"
	case "boolean":
		return "Boolean"
	default:
		return "String"
	}
}

// name is the archive's human-readable name: the title, else the id.
func name(m *tileset.Metadata) string {
	if m.Title != "" {
		return m.Title
	}
	return m.ID
}
