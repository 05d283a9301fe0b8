package server

import (
	"encoding/json"
	"encoding/xml"
	"go/ast"
	"go/parser"
	"go/token"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gorilla/mux"
)

// errorShape is the body family a route's errors take: OGC API's JSON
// exception (respond.go), an OWS 1.1 ExceptionReport (WMTS, WFS) or a WMS
// ServiceExceptionReport.
type errorShape int

const (
	jsonShape errorShape = iota
	owsShape
	wmsShape
)

// errorCase is a request a route must answer with an error.
type errorCase struct {
	target string
	status int
}

// routeErrors lists, for every route the router registers (by its
// routeLabel), requests that must fail: an unknown id and a bad parameter
// where the route takes them. A route added without an entry fails
// TestEveryRouteAnswersErrorsInOneShape, so that its errors are checked.
// Routes that cannot fail have an empty list.
var routeErrors = map[string]struct {
	shape errorShape
	cases []errorCase
}{
	"/tiles/{id}/{z}/{x}/{y}.{format}":  {jsonShape, []errorCase{{"/tiles/nosuch/0/0/0.mvt", 404}, {"/tiles/" + geologyID + "/1/2/0.pbf", 400}}},
	"/tiles/{id}/{z}/{x}/{y}.png":       {jsonShape, []errorCase{{"/tiles/nosuch/0/0/0.png", 404}, {"/tiles/" + geologyID + "/0/0/0.png", 404}}},
	"/tiles/{id}/{z}/{x}/{y}.jpg":       {jsonShape, []errorCase{{"/tiles/nosuch/0/0/0.jpg", 404}, {"/tiles/" + geologyID + "/0/0/0.jpg", 404}}},
	"/tiles/{id}/{z}/{x}/{y}.webp":      {jsonShape, []errorCase{{"/tiles/nosuch/0/0/0.webp", 404}, {"/tiles/" + geologyID + "/0/0/0.webp", 404}}},
	"/collections/{id}/value":           {jsonShape, []errorCase{{"/collections/nosuch/value?lon=0&lat=0", 404}, {"/collections/" + geologyID + "/value?lon=0&lat=0", 404}}},
	"/colormaps":                        {},
	"/collections/{id}/map/tiles":       {jsonShape, []errorCase{{"/collections/nosuch/map/tiles", 404}, {"/collections/" + geologyID + "/map/tiles?f=bogus", 400}}},
	"/collections/{id}/map/tiles/{tms}": {jsonShape, []errorCase{{"/collections/nosuch/map/tiles/WebMercatorQuad", 404}, {"/collections/" + geologyID + "/map/tiles/WebMercatorQuad?f=bogus", 400}}},
	"/collections/{id}/map/tiles/{tms}/{tileMatrix}/{tileRow}/{tileCol}": {jsonShape, []errorCase{{"/collections/nosuch/map/tiles/WebMercatorQuad/0/0/0", 404}}},
	"/wmts":                                  {owsShape, []errorCase{{"/wmts?SERVICE=WMTS&REQUEST=Bogus", 400}, {"/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=nosuch&STYLE=default&FORMAT=image/png&TILEMATRIXSET=WebMercatorQuad&TILEMATRIX=0&TILEROW=0&TILECOL=0", 400}}},
	"/wmts/1.0.0/WMTSCapabilities.xml":       {},
	"/wmts/1.0.0/{layer}/{style}/legend.png": {owsShape, []errorCase{{"/wmts/1.0.0/nosuch/default/legend.png", 400}}},
	"/wmts/1.0.0/{layer}/{style}/{tms}/{tileMatrix}/{tileRow}/{tileCol}.png":          {owsShape, []errorCase{{"/wmts/1.0.0/nosuch/default/WebMercatorQuad/0/0/0.png", 400}}},
	"/wmts/1.0.0/{layer}/{style}/{tms}/{tileMatrix}/{tileRow}/{tileCol}.jpg":          {owsShape, []errorCase{{"/wmts/1.0.0/nosuch/default/WebMercatorQuad/0/0/0.jpg", 400}}},
	"/wmts/1.0.0/{layer}/{style}/{tms}/{tileMatrix}/{tileRow}/{tileCol}.webp":         {owsShape, []errorCase{{"/wmts/1.0.0/nosuch/default/WebMercatorQuad/0/0/0.webp", 400}}},
	"/wmts/1.0.0/{layer}/{style}/{tms}/{tileMatrix}/{tileRow}/{tileCol}/{j}/{i}.html": {owsShape, []errorCase{{"/wmts/1.0.0/nosuch/default/WebMercatorQuad/0/0/0/0/0.html", 400}}},
	"/wmts/1.0.0/{layer}/{style}/{tms}/{tileMatrix}/{tileRow}/{tileCol}/{j}/{i}.txt":  {owsShape, []errorCase{{"/wmts/1.0.0/nosuch/default/WebMercatorQuad/0/0/0/0/0.txt", 400}}},
	"/wmts/1.0.0/{layer}/{style}/{tms}/{tileMatrix}/{tileRow}/{tileCol}/{j}/{i}.json": {owsShape, []errorCase{{"/wmts/1.0.0/nosuch/default/WebMercatorQuad/0/0/0/0/0.json", 400}}},
	"/wmts/1.0.0/{layer}/{style}/{tms}/{tileMatrix}/{tileRow}/{tileCol}/{j}/{i}.gml":  {owsShape, []errorCase{{"/wmts/1.0.0/nosuch/default/WebMercatorQuad/0/0/0/0/0.gml", 400}}},
	"/wms":                            {wmsShape, []errorCase{{"/wms?SERVICE=WMS&REQUEST=Bogus", 400}, {"/wms?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetLegendGraphic&LAYER=nosuch&FORMAT=image/png", 400}}},
	"/wfs":                            {owsShape, []errorCase{{"/wfs?SERVICE=WFS&REQUEST=Bogus", 400}}},
	"/tiles/{id}.json":                {jsonShape, []errorCase{{"/tiles/nosuch.json", 404}, {"/tiles/" + geologyID + ".json?encoding=bogus", 400}}},
	"/":                               {jsonShape, []errorCase{{"/?f=bogus", 400}}},
	"/api":                            {jsonShape, []errorCase{{"/api?f=bogus", 400}}},
	"/conformance":                    {jsonShape, []errorCase{{"/conformance?f=bogus", 400}}},
	"/collections":                    {jsonShape, []errorCase{{"/collections?f=bogus", 400}}},
	"/collections/{id}":               {jsonShape, []errorCase{{"/collections/nosuch", 404}, {"/collections/" + geologyID + "?f=bogus", 400}}},
	"/collections/{id}/items":         {jsonShape, []errorCase{{"/collections/nosuch/items", 404}, {"/collections/" + geologyID + "/items?limit=0", 400}, {"/collections/" + geologyID + "@nosuch/items", 404}}},
	"/collections/{id}/items/{fid}":   {jsonShape, []errorCase{{"/collections/nosuch/items/1", 404}, {"/collections/" + geologyID + "/items/0", 404}, {"/collections/" + geologyID + "/items/99", 404}}},
	"/collections/{id}/queryables":    {jsonShape, []errorCase{{"/collections/nosuch/queryables", 404}, {"/collections/" + geologyID + "/queryables?f=bogus", 400}}},
	"/collections/{id}/thumbnail.svg": {jsonShape, []errorCase{{"/collections/nosuch/thumbnail.svg", 404}}},
	"/collections/{id}/download":      {jsonShape, []errorCase{{"/collections/nosuch/download?f=geojson", 404}, {"/collections/" + geologyID + "/download", 400}, {"/collections/" + geologyID + "/download?f=bogus", 400}}},
	"/collections/{id}/tiles":         {jsonShape, []errorCase{{"/collections/nosuch/tiles", 404}, {"/collections/" + geologyID + "/tiles?f=bogus", 400}}},
	"/collections/{id}/tiles/{tms}":   {jsonShape, []errorCase{{"/collections/nosuch/tiles/WebMercatorQuad", 404}, {"/collections/" + geologyID + "/tiles/Nope", 404}}},
	"/collections/{id}/tiles/{tms}/{tileMatrix}/{tileRow}/{tileCol}": {jsonShape, []errorCase{{"/collections/nosuch/tiles/WebMercatorQuad/0/0/0", 404}, {"/collections/" + geologyID + "/tiles/WebMercatorQuad/0/0/5", 404}, {"/collections/" + geologyID + "/tiles/WebMercatorQuad/a/0/0", 400}}},
	"/tileMatrixSets":                 {jsonShape, []errorCase{{"/tileMatrixSets?f=bogus", 400}}},
	"/tileMatrixSets/{tms}":           {jsonShape, []errorCase{{"/tileMatrixSets/Nope", 404}, {"/tileMatrixSets/WebMercatorQuad?f=bogus", 400}}},
	"/styles":                         {jsonShape, []errorCase{{"/styles?lang=!!", 400}}},
	"/styles/{id}.json":               {jsonShape, []errorCase{{"/styles/nosuch.json", 404}, {"/styles/nosuch.geology.json", 404}, {"/styles/" + geologyID + ".nosuch.json", 404}, {"/styles/all.json?lang=!!", 400}}},
	"/styles/{id}.sld":                {jsonShape, []errorCase{{"/styles/nosuch.sld", 404}, {"/styles/" + geologyID + ".nosuch.sld", 404}}},
	"/styles/{id}.qml":                {jsonShape, []errorCase{{"/styles/nosuch.qml", 404}, {"/styles/" + geologyID + ".nosuch.qml?lang=!!", 400}}},
	"/collections/{id}/legend":        {jsonShape, []errorCase{{"/collections/nosuch/legend", 404}, {"/collections/" + geologyID + "/legend?style=nosuch", 404}, {"/collections/" + geologyID + "/legend?f=bogus", 400}}},
	"/collections/{id}/harmonisation": {jsonShape, []errorCase{{"/collections/nosuch/harmonisation", 404}, {"/collections/" + geologyID + "/harmonisation", 404}}},
	"/collections/{id}/report":        {jsonShape, []errorCase{{"/collections/nosuch/report", 404}, {"/collections/" + geologyID + "/report", 404}, {"/collections/" + geologyID + "/report?f=bogus", 400}}},
	"/vocab/labels":                   {jsonShape, []errorCase{{"/vocab/labels", 400}, {"/vocab/labels?lang=!!&uri=x", 400}, {"/vocab/labels?tileset=nosuch&uri=x", 404}}},
	"/fonts.json":                     {},
	"/fonts/{fontstack}/{range}.pbf":  {jsonShape, []errorCase{{"/fonts/Noto%20Sans/0-10.pbf", 400}, {"/fonts/Noto%20Sans/0-255.pbf", 404}}},
	"/fonts/{font}.ttf":               {jsonShape, []errorCase{{"/fonts/Nope.ttf", 404}}},
	"/healthz":                        {},
	"/metrics":                        {},
	"/map":                            {},
	"/map/basemap.json":               {},
	"/map/i18n.json":                  {},
	"/map/":                           {jsonShape, []errorCase{{"/map/nosuch.js", 404}}},
}

// TestEveryRouteAnswersErrorsInOneShape walks every route the router
// registers and asks each for what it must refuse: an unknown id, a bad
// parameter, a method other than GET or HEAD. Each error must have the
// status the route's family gives it, in that family's one body shape,
// uncached; the 405 carries Allow. A route missing from routeErrors fails.
func TestEveryRouteAnswersErrorsInOneShape(t *testing.T) {
	f := newFixture(t, Config{})
	s := newServer(Config{Catalog: emptyCatalog{}})
	seen := map[string]bool{}
	err := s.routes().Walk(func(route *mux.Route, _ *mux.Router, _ []*mux.Route) error {
		tpl, err := route.GetPathTemplate()
		if err != nil {
			return err
		}
		label := routeLabel(tpl)
		seen[label] = true
		want, ok := routeErrors[label]
		if !ok {
			t.Errorf("route %s has no entry in routeErrors: add requests it must refuse, so that its errors are checked", label)
			return nil
		}
		for _, c := range want.cases {
			w := f.get(t, c.target)
			checkErrorShape(t, c.target, w, want.shape, c.status)
		}
		// A method the server does not answer: the router's 405, in JSON.
		target := strings.NewReplacer("{", "", "}", "").Replace(label)
		if len(want.cases) > 0 {
			target, _, _ = strings.Cut(want.cases[0].target, "?")
		}
		w := f.do(t, http.MethodPost, target, nil)
		checkErrorShape(t, "POST "+target, w, jsonShape, http.StatusMethodNotAllowed)
		if w.Header().Get("Allow") == "" {
			t.Errorf("POST %s: 405 without Allow", target)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for label := range routeErrors {
		if !seen[label] {
			t.Errorf("routeErrors names %s, which the router does not register", label)
		}
	}
	checkErrorShape(t, "/nosuch/path", f.get(t, "/nosuch/path"), jsonShape, http.StatusNotFound)
}

// checkErrorShape checks an error response: its status, that no cache
// keeps it, and its body in shape.
func checkErrorShape(t *testing.T, target string, w *httptest.ResponseRecorder, shape errorShape, status int) {
	t.Helper()
	if w.Code != status {
		t.Errorf("%s: status %d, want %d; body %q", target, w.Code, status, w.Body.String())
		return
	}
	if got := w.Header().Get("Cache-Control"); got != "no-store" {
		t.Errorf("%s: error Cache-Control %q, want no-store", target, got)
	}
	if w.Header().Get("ETag") != "" {
		t.Errorf("%s: error carries ETag %q", target, w.Header().Get("ETag"))
	}
	body := w.Body.Bytes()
	switch shape {
	case jsonShape:
		if ct := w.Header().Get("Content-Type"); ct != jsonType {
			t.Errorf("%s: Content-Type %q, want %s", target, ct, jsonType)
		}
		var e map[string]string
		if err := json.Unmarshal(body, &e); err != nil {
			t.Errorf("%s: body %q is not an error document: %v", target, body, err)
			return
		}
		if e["code"] != errorCode(status) || e["description"] == "" || strings.Contains(e["description"], "\n") {
			t.Errorf("%s: error %q, want code %s and a one-line description", target, body, errorCode(status))
		}
		for k := range e {
			if k != "code" && k != "description" && k != "currentVersion" {
				t.Errorf("%s: error document has member %q", target, k)
			}
		}
	case owsShape:
		var e exceptionReport
		if err := xml.Unmarshal(body, &e); err != nil || e.Exception.Code == "" || e.Exception.Text == "" {
			t.Errorf("%s: body %q is not an OWS ExceptionReport (%v)", target, body, err)
		}
	case wmsShape:
		var e wmsExceptionReport
		if err := xml.Unmarshal(body, &e); err != nil || e.Exception.Code == "" || e.Exception.Text == "" {
			t.Errorf("%s: body %q is not a WMS ServiceExceptionReport (%v)", target, body, err)
		}
	}
}

// errorWriters are the only functions that may write an error response:
// the adapters that handlers return their errors to (respond.go's for OGC
// API, WMS's and the OWS services'), the panic recovery, and the wrapper of
// the viewer's file server, which is not ours to change.
var errorWriters = map[string]bool{
	"writeError":        true, // respond.go
	"writeErrorDoc":     true,
	"answerError":       true,
	"api":               true,
	"tileDispatch":      true, // the tiles' fast path, s.api without the router
	"wmsAdapter":        true, // WMS
	"writeWMSException": true,
	"owsErrors":         true, // WMTS, WFS
	"owsFailure":        true, // and WMS
	"recovered":         true, // middleware.go
	"WriteHeader":       true, // plainErrorWriter (plainerrors.go)
}

// TestHandlersReturnErrors: no function but errorWriters writes an error
// response itself (writeError, writeErrorDoc, answerError,
// writeWMSException, http.Error, http.NotFound) or sets its Retry-After:
// handlers return their errors to an adapter,
// so that every error of a family has one shape and one set of headers.
func TestHandlersReturnErrors(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	writers := map[string]bool{"writeError": true, "writeErrorDoc": true, "answerError": true, "writeWMSException": true, "Error": true, "NotFound": true}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		file, err := parser.ParseFile(fset, name, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range file.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Body == nil || errorWriters[fn.Name.Name] {
				continue
			}
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				if lit, ok := n.(*ast.BasicLit); ok && lit.Value == `"Retry-After"` {
					t.Errorf("%s: %s sets Retry-After: return a busy error (retry, or a 503 owsException) and let the adapter set it",
						fset.Position(lit.Pos()), fn.Name.Name)
				}
				call, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				var callee string
				switch c := call.Fun.(type) {
				case *ast.Ident:
					callee = c.Name
				case *ast.SelectorExpr:
					if x, ok := c.X.(*ast.Ident); ok && x.Name == "http" {
						callee = c.Sel.Name
					}
				}
				if writers[callee] {
					t.Errorf("%s: %s calls %s: return the error to the route's adapter (s.api, s.wmts, s.wfs, s.wmsAdapter) instead",
						fset.Position(call.Pos()), fn.Name.Name, callee)
				}
				return true
			})
		}
	}
}
