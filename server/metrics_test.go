package server

import (
	"net/http"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
)

func TestMetrics(t *testing.T) {
	f := newFixture(t, Config{})
	path := tilePath(geologyID, graniteTile(geologyMax), "mvt")
	for range 3 {
		f.get(t, path, "Accept-Encoding", "gzip")
	}
	f.get(t, "/tiles/geology/x/0/0.mvt")
	f.get(t, "/tiles/geology/4/0/0.pbf")
	f.get(t, "/no/such/path")
	f.get(t, "/healthz")

	w := f.get(t, "/metrics")
	if w.Code != http.StatusOK {
		t.Fatalf("status %d", w.Code)
	}
	body := w.Body.String()
	for _, want := range []string{
		`outcrop_http_requests_total{code="200",route="/tiles/{id}/{z}/{x}/{y}.{format}"} 3`,
		`outcrop_http_requests_total{code="400",route="/tiles/{id}/{z}/{x}/{y}.{format}"} 1`,
		`outcrop_http_requests_total{code="204",route="/tiles/{id}/{z}/{x}/{y}.{format}"} 1`,
		`outcrop_http_requests_total{code="404",route="unmatched"} 1`,
		`outcrop_http_requests_total{code="200",route="/healthz"} 1`,
		`outcrop_http_request_duration_seconds_count{route="/tiles/{id}/{z}/{x}/{y}.{format}"} 5`,
		`outcrop_http_request_duration_seconds_bucket{route="/tiles/{id}/{z}/{x}/{y}.{format}",le="0.0001"}`,
		"go_goroutines ",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	// Raw paths never become labels.
	if strings.Contains(body, "/no/such/path") || strings.Contains(body, "/tiles/geology/") {
		t.Error("/metrics holds a raw request path as a label")
	}
}

func TestMetricsSharedRegistry(t *testing.T) {
	reg := prometheus.NewRegistry()
	a := New(Config{Catalog: emptyCatalog{}, Registry: reg})
	b := New(Config{Catalog: emptyCatalog{}, Registry: reg})
	serve(a, httptestRequest(http.MethodGet, "/healthz"))
	serve(b, httptestRequest(http.MethodGet, "/healthz"))
	w := serve(a, httptestRequest(http.MethodGet, "/metrics"))
	if want := `outcrop_http_requests_total{code="200",route="/healthz"} 2`; !strings.Contains(w.Body.String(), want) {
		t.Errorf("two servers on one registry: /metrics lacks %s:\n%s", want, w.Body.String())
	}
}
