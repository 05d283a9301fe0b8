package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"hash/fnv"
	"net/http"
	"strconv"
)

// apiError is the body of every error response, in the shape of OGC API's
// exception document so that OGC clients can show it.
type apiError struct {
	Code        string `json:"code"`
	Description string `json:"description"`
	// CurrentVersion, on a 404 for a versioned tile URL, is the version
	// served now (see versioned.go).
	CurrentVersion string `json:"currentVersion,omitempty"`
}

// writeError answers with status and a JSON error whose description tells
// the client, in one line, what was wrong and how to fix it. Errors are not
// cached: the tileset that was missing may be there on the next request.
func writeError(w http.ResponseWriter, status int, description string) {
	writeErrorDoc(w, status, apiError{Description: description})
}

// writeErrorDoc is writeError with the whole error document; its Code is
// set from status.
func writeErrorDoc(w http.ResponseWriter, status int, doc apiError) {
	h := w.Header()
	// A tile handler may have set these before it failed.
	delete(h, "Etag")
	delete(h, "Content-Encoding")
	delete(h, "Vary")
	h["Cache-Control"] = hdrNoStore
	doc.Code = errorCode(status)
	body, _ := json.Marshal(doc)
	h["Content-Type"] = hdrJSONType
	h["X-Content-Type-Options"] = hdrNoSniff
	h.Set("Content-Length", strconv.Itoa(len(body)+1))
	w.WriteHeader(status)
	w.Write(append(body, '\n'))
}

// httpError is an error a handler returns to be answered as writeError
// answers: its status and its error document, whose description tells
// the client in one line what was wrong and how to fix it.
type httpError struct {
	status int
	doc    apiError
	// retry is true for a 503 of a busy server, answered with Retry-After.
	retry bool
	// cause, when set, is logged (see logReadError) as logMsg with logArgs.
	cause   error
	logMsg  string
	logArgs []any
}

func (e *httpError) Error() string { return e.doc.Description }

func (e *httpError) Unwrap() error { return e.cause }

// statusError is the error answered with status and description.
func statusError(status int, description string) *httpError {
	return &httpError{status: status, doc: apiError{Description: description}}
}

// failure is the error answered with status and description once cause
// is logged as msg with args (key, value pairs).
func failure(status int, description string, cause error, msg string, args ...any) *httpError {
	return &httpError{status: status, doc: apiError{Description: description}, cause: cause, logMsg: msg, logArgs: args}
}

// api adapts a handler that returns an error rather than answer one: see
// answerError.
func (s *server) api(h func(http.ResponseWriter, *http.Request) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.answerError(w, r, h(w, r))
	}
}

// answerError answers err, when it is not nil, as writeError does: an
// *httpError with its status and document (its cause logged first), any
// other error logged and answered as a 500 pointing at the log.
func (s *server) answerError(w http.ResponseWriter, r *http.Request, err error) {
	if err == nil {
		return
	}
	var e *httpError
	if !errors.As(err, &e) {
		s.log.Error("request", "path", r.URL.Path, "err", err)
		e = statusError(http.StatusInternalServerError, "the request failed; the server log has the cause")
	}
	if e.cause != nil {
		s.logReadError(e.logMsg, e.cause, e.logArgs...)
	}
	if e.retry {
		w.Header().Set("Retry-After", strconv.Itoa(heavyRetryAfter))
	}
	writeErrorDoc(w, e.status, e.doc)
}

// errorCode names a status the way OGC API exception codes do.
func errorCode(status int) string {
	switch status {
	case http.StatusBadRequest:
		return "InvalidParameterValue"
	case http.StatusNotFound:
		return "NotFound"
	case http.StatusMethodNotAllowed:
		return "MethodNotAllowed"
	case http.StatusServiceUnavailable:
		return "ServiceUnavailable"
	default:
		return "InternalServerError"
	}
}

// jsonDoc describes how a JSON document may be cached.
type jsonDoc struct {
	// cacheControl is the Cache-Control value.
	cacheControl string
	// linked is true for documents whose links follow the request's
	// forwarding headers, which a shared cache must then key on.
	linked bool
}

// Cache policies of the JSON documents. Metadata documents change when a
// tileset is added or replaced, so they are kept briefly and then
// revalidated by ETag; live status is never kept.
var (
	docLinked = jsonDoc{cacheControl: "public, max-age=60", linked: true}
	docLive   = jsonDoc{cacheControl: "no-store"}
)

// writeJSON answers 200 with v as indented JSON (these documents are read by
// people too), or 304 when the client's If-None-Match holds the ETag of the
// same bytes. The ETag hashes the body: these documents are small and
// assembled per request, and the hash covers everything they depend on, the
// request's base URL included. When v cannot be encoded it answers nothing
// and returns the error to answer.
func (s *server) writeJSON(w http.ResponseWriter, r *http.Request, doc jsonDoc, v any) error {
	return s.writeJSONAs(w, r, doc, jsonType, v)
}

// writeJSONAs is writeJSON with another JSON media type, such as
// application/schema+json or the OpenAPI one.
func (s *server) writeJSONAs(w http.ResponseWriter, r *http.Request, doc jsonDoc, contentType string, v any) error {
	body, err := marshalDoc(v)
	if err != nil {
		return failure(http.StatusInternalServerError, "the response could not be encoded; the server log has the cause",
			err, "encoding JSON response", "path", r.URL.Path)
	}
	s.writeBody(w, r, doc, contentType, body)
	return nil
}

// marshalDoc encodes a document indented, for people, and with &, < and >
// as they are: JSON needs no HTML escaping, and links full of \u0026 are
// hard to read and copy.
func marshalDoc(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// writeBody answers 200 with body as contentType, or 304 when the client's
// If-None-Match holds the ETag of the same bytes.
func (s *server) writeBody(w http.ResponseWriter, r *http.Request, doc jsonDoc, contentType string, body []byte) {
	h := w.Header()
	h.Set("Cache-Control", doc.cacheControl)
	if doc.linked && s.base == "" {
		h.Add("Vary", hdrVaryForwarded[0])
	}
	if doc.cacheControl != "no-store" {
		etag := bodyETag(body)
		h.Set("ETag", etag)
		if inm := r.Header["If-None-Match"]; len(inm) > 0 && etagListMatches(inm, etag) {
			w.WriteHeader(http.StatusNotModified)
			return
		}
	}
	if contentType == jsonType {
		h["Content-Type"] = hdrJSONType
	} else {
		h.Set("Content-Type", contentType)
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}

// bodyETag returns a strong ETag for body.
func bodyETag(body []byte) string {
	h := fnv.New64a()
	h.Write(body)
	var b [20]byte
	return string(append(strconv.AppendUint(append(b[:0], '"'), h.Sum64(), 16), '"'))
}
