package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/gorilla/mux"

	"github.com/outcrop/outcrop/tileset"
)

// handleItem serves /collections/{id}/items/{fid}: one feature, as a GeoJSON
// Feature with links, or an HTML page of its attributes; and, as GeoJSON
// cached as immutable, /collections/{id}@{version}/items/{fid} while that
// version is current (see versioned.go).
func (s *server) handleItem(w http.ResponseWriter, r *http.Request) error {
	vars := mux.Vars(r)
	seg, fidText := vars["id"], vars["fid"]
	fm, id, ts, release, versioned, err := s.openFeatures(r, seg)
	if err != nil {
		return err
	}
	defer release()
	notFound := statusError(http.StatusNotFound, "collection "+strconv.Quote(id)+" has no feature "+strconv.Quote(fidText)+
		"; feature ids are whole numbers from 1, listed at /collections/"+id+"/items")
	fid, ok := parseFeatureID(fidText)
	if !ok {
		return notFound
	}
	var body []byte
	found, err := ts.Feature(fid, func(f tileset.RawFeature) error {
		body = append(body, f.JSON...)
		return nil
	})
	if err != nil {
		return failure(readFailureStatus(err), "feature "+fidText+" of collection "+strconv.Quote(id)+" could not be read; the server log has the cause",
			err, "reading feature", "tileset", id, "feature", fid)
	}
	if !found {
		return notFound
	}
	base := s.baseURL(r)
	if fm == formatHTML {
		return s.writeItemHTML(w, r, ts.Metadata(), id, fid, base, body)
	}
	body, err = withLinks(body, itemLinks(base, seg, fidText))
	if err != nil {
		return failure(http.StatusServiceUnavailable, "feature "+fidText+" of collection "+strconv.Quote(id)+" is damaged; the server log has the cause",
			err, "reading feature", "tileset", id, "feature", fid)
	}
	setVaryAccept(w, r)
	w.Header()["Content-Crs"] = hdrContentCRS
	doc := docLinked
	if versioned {
		doc = docVersioned
	}
	s.writeBody(w, r, doc, geoJSONType, body)
	return nil
}

// errInvalidStoredFeature reports a stored feature that is not a JSON
// object: a damaged file, since the writer stores only objects.
var errInvalidStoredFeature = errors.New("stored feature is not a JSON object")

// itemLinks are the links of one feature. seg is "id", or "id@version"
// for the feature of that version.
func itemLinks(base, seg, fid string) []link {
	id, _, _ := strings.Cut(seg, versionSep)
	item := base + "/collections/" + seg + "/items/" + fid
	return []link{
		{Href: item + "?f=json", Rel: "self", Type: geoJSONType, Title: "This feature as GeoJSON"},
		{Href: item + "?f=html", Rel: "alternate", Type: htmlType, Title: "This feature as HTML"},
		{Href: base + "/collections/" + id, Rel: "collection", Type: jsonType, Title: "The collection"},
	}
}

// parseFeatureID reads a feature id in its one canonical form: a decimal
// number from 1 without sign or leading zeros, so each feature has one URL.
func parseFeatureID(s string) (uint64, bool) {
	if s == "" || s[0] == '0' || len(s) > 20 {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.ParseUint(s, 10, 64)
	return n, err == nil
}

// withLinks adds a links member to a stored GeoJSON feature object, by
// splicing it before the closing brace rather than decoding the geometry.
func withLinks(feature []byte, links []link) ([]byte, error) {
	feature = bytes.TrimRight(feature, " \t\r\n")
	if len(feature) < 2 || feature[0] != '{' || feature[len(feature)-1] != '}' {
		return nil, errInvalidStoredFeature
	}
	var out bytes.Buffer
	out.Grow(len(feature) + 512)
	out.Write(feature[:len(feature)-1])
	out.WriteString(`,"links":`)
	enc := json.NewEncoder(&out)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(links); err != nil {
		return nil, err
	}
	out.Truncate(out.Len() - 1) // Encode's newline
	out.WriteString("}\n")
	return out.Bytes(), nil
}
