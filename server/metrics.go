package server

import (
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metric names, exported under /metrics.
const (
	metricRequests = "outcrop_http_requests_total"
	metricDuration = "outcrop_http_request_duration_seconds"
)

// durationBuckets span a tile served from the page cache (tens of
// microseconds) to a slow document (seconds); Prometheus's default buckets
// start at 5 ms and would put every tile in the first one.
var durationBuckets = []float64{.0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5}

// metrics holds the server's request metrics. Labels are the route template,
// never the raw path, so that the number of series stays fixed whatever
// clients request.
type metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

// newMetrics registers the request metrics in reg, or in a new registry with
// the Go runtime and process collectors when reg is nil. A registry shared by
// several servers gets the metrics once and every server counts into them.
func newMetrics(reg *prometheus.Registry) *metrics {
	if reg == nil {
		reg = prometheus.NewRegistry()
		reg.MustRegister(
			collectors.NewGoCollector(),
			collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		)
	}
	m := &metrics{
		reg: reg,
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: metricRequests,
			Help: "HTTP requests answered, by route template and status code.",
		}, []string{"route", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    metricDuration,
			Help:    "Time to answer an HTTP request, by route template.",
			Buckets: durationBuckets,
		}, []string{"route"}),
	}
	m.requests = registerOrReuse(reg, m.requests)
	m.duration = registerOrReuse(reg, m.duration)
	return m
}

// registerOrReuse registers c, or returns the identical collector that reg
// already holds.
func registerOrReuse[C prometheus.Collector](reg *prometheus.Registry, c C) C {
	if err := reg.Register(c); err != nil {
		var are prometheus.AlreadyRegisteredError
		if errors.As(err, &are) {
			if existing, ok := are.ExistingCollector.(C); ok {
				return existing
			}
		}
		panic("server: registering metrics: " + err.Error())
	}
	return c
}

// handler serves the registry in the Prometheus exposition format.
func (m *metrics) handler(log *slog.Logger) http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelError),
		Registry: m.reg,
	})
}

// route returns the metrics of one route, with its histogram resolved now
// rather than by label lookup on every request.
func (m *metrics) route(name string) *routeMetrics {
	return &routeMetrics{
		name:     name,
		requests: m.requests,
		duration: m.duration.WithLabelValues(name),
	}
}

// routeMetrics counts the requests of one route. Counters per status code
// are resolved on first use and then read from an immutable map, so that a
// request costs a map read rather than a label hash and a locked lookup.
type routeMetrics struct {
	name     string
	requests *prometheus.CounterVec
	duration prometheus.Observer
	byCode   atomic.Pointer[map[int]prometheus.Counter]
	mu       sync.Mutex // serialises additions to byCode
}

// observe records one answered request.
func (rm *routeMetrics) observe(code int, elapsed time.Duration) {
	rm.duration.Observe(elapsed.Seconds())
	rm.counter(code).Inc()
}

func (rm *routeMetrics) counter(code int) prometheus.Counter {
	if m := rm.byCode.Load(); m != nil {
		if c, ok := (*m)[code]; ok {
			return c
		}
	}
	rm.mu.Lock()
	defer rm.mu.Unlock()
	next := map[int]prometheus.Counter{}
	if m := rm.byCode.Load(); m != nil {
		for k, v := range *m {
			next[k] = v
		}
	}
	c := rm.requests.WithLabelValues(rm.name, strconv.Itoa(code))
	next[code] = c
	rm.byCode.Store(&next)
	return c
}
