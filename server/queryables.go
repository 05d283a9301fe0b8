package server

import (
	"bytes"
	"encoding/json"
	"net/http"
	"slices"

	"github.com/gorilla/mux"

	"github.com/outcrop/outcrop/tileset"
)

// jsonSchemaDialect is the JSON Schema version of queryables documents, the
// one OGC API - Features Part 3 uses.
const jsonSchemaDialect = "https://json-schema.org/draft/2019-09/schema"

// queryables is the /collections/{id}/queryables document: a JSON Schema of
// the properties that equality filters on the items accept.
type queryables struct {
	Schema               string          `json:"$schema"`
	ID                   string          `json:"$id"`
	Type                 string          `json:"type"`
	Title                string          `json:"title"`
	Description          string          `json:"description"`
	Properties           schemaQueryable `json:"properties"`
	AdditionalProperties bool            `json:"additionalProperties"`
}

// schemaQueryable is the properties member of a queryables document,
// written in the tileset's field order, which is the source file's.
type schemaQueryable []tileset.Field

// MarshalJSON writes {"name": {"title": name, "type": ...}, ...}.
func (q schemaQueryable) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, f := range q {
		if i > 0 {
			b.WriteByte(',')
		}
		name, err := json.Marshal(f.Name)
		if err != nil {
			return nil, err
		}
		b.Write(name)
		b.WriteByte(':')
		typ, format := jsonSchemaType(f.Type)
		prop, err := json.Marshal(struct {
			Title  string `json:"title"`
			Type   string `json:"type"`
			Format string `json:"format,omitempty"`
		}{f.Name, typ, format})
		if err != nil {
			return nil, err
		}
		b.Write(prop)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// jsonSchemaType maps a tileset field type onto a JSON Schema type and
// format.
func jsonSchemaType(t string) (typ, format string) {
	switch t {
	case "integer":
		return "integer", ""
	case "real":
		return "number", ""
	case "boolean":
		return "boolean", ""
	case "date":
		return "string", "date"
	case "datetime":
		return "string", "date-time"
	default:
		return "string", ""
	}
}

// queryableFields returns the fields a filter can name: all but those whose
// names are taken by the standard parameters (limit, bbox, …).
func queryableFields(fields []tileset.Field) []tileset.Field {
	out := make([]tileset.Field, 0, len(fields))
	for _, f := range fields {
		if !slices.Contains(reservedParams, f.Name) {
			out = append(out, f)
		}
	}
	return out
}

// handleQueryables serves /collections/{id}/queryables.
func (s *server) handleQueryables(w http.ResponseWriter, r *http.Request) error {
	id := mux.Vars(r)["id"]
	fm, ts, release, err := s.lookupCollection(r, id)
	if err != nil {
		return err
	}
	defer release()
	meta := ts.Metadata()
	base := s.baseURL(r)
	doc := queryables{
		Schema:      jsonSchemaDialect,
		ID:          base + "/collections/" + id + "/queryables",
		Type:        "object",
		Title:       collectionTitle(meta, id),
		Description: "Properties of the features of this collection that the items request filters by equality, as name=value.",
		Properties:  schemaQueryable(queryableFields(meta.Fields)),
		// Filters on anything else are refused.
		AdditionalProperties: false,
	}
	if fm == formatHTML {
		return s.writeQueryablesHTML(w, r, id, base, &doc)
	}
	setVaryAccept(w, r)
	return s.writeJSONAs(w, r, docLinked, schemaType, doc)
}
