package server

import (
	"bytes"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/outcrop/outcrop/store"
	"github.com/outcrop/outcrop/tileset"
)

// The benchmarks of OGC API - Features run over a collection of a million
// points spread evenly over Southeast Asia (90–130°E, 10°S–25°N), each with
// three properties. Writing it takes a while, so it is kept between runs in
// the system's temporary directory, named for its generator's version:
// change benchStoreVersion when the generator or the tileset format changes.
const (
	benchPoints       = 1_000_000
	benchStoreVersion = "v1"
	benchID           = "points"
)

var benchArea = orb.Bound{Min: orb.Point{90, -10}, Max: orb.Point{130, 25}}

// benchBBox is a box holding about 100 of the points: 1e-4 of the area.
var benchBBox = func() orb.Bound {
	c := orb.Point{112.3, 7.7}
	side := 0.374 // degrees: 0.374² ≈ 1400 deg² × 1e-4
	return orb.Bound{Min: orb.Point{c[0] - side/2, c[1] - side/2}, Max: orb.Point{c[0] + side/2, c[1] + side/2}}
}()

var benchStore struct {
	once sync.Once
	dir  string
	err  error
}

// benchStoreDir returns the directory of the benchmark store, writing it
// the first time.
func benchStoreDir(b *testing.B) string {
	b.Helper()
	benchStore.once.Do(func() {
		dir := filepath.Join(os.TempDir(), "outcrop-bench-ogc-"+benchStoreVersion)
		benchStore.dir = dir
		if _, err := os.Stat(filepath.Join(dir, benchID+tileset.Ext)); err == nil {
			return
		}
		if benchStore.err = os.MkdirAll(dir, 0o755); benchStore.err != nil {
			return
		}
		start := time.Now()
		benchStore.err = writeBenchPoints(dir)
		b.Logf("wrote %d points to %s in %s", benchPoints, dir, time.Since(start).Round(time.Millisecond))
	})
	if benchStore.err != nil {
		b.Fatal(benchStore.err)
	}
	return benchStore.dir
}

func writeBenchPoints(dir string) error {
	w, err := tileset.Create(dir, benchID)
	if err != nil {
		return err
	}
	defer w.Abort()
	rng := rand.New(rand.NewPCG(1, 2))
	batch := make([]*geojson.Feature, 0, 10000)
	commodities := []string{"Cu", "Au", "Sn", "Ni", "Zn"}
	for i := 1; i <= benchPoints; i++ {
		p := orb.Point{
			benchArea.Min[0] + rng.Float64()*(benchArea.Max[0]-benchArea.Min[0]),
			benchArea.Min[1] + rng.Float64()*(benchArea.Max[1]-benchArea.Min[1]),
		}
		f := geojson.NewFeature(p)
		f.ID = i
		f.Properties = geojson.Properties{"name": "Occurrence " + strconv.Itoa(i), "commodity": commodities[i%len(commodities)], "rank": i % 7}
		batch = append(batch, f)
		if len(batch) == cap(batch) || i == benchPoints {
			if err := w.PutFeatures(batch); err != nil {
				return err
			}
			batch = batch[:0]
		}
	}
	return w.Commit(&tileset.Metadata{
		Title: "A million points", Layer: benchID, GeometryType: "point",
		Fields: []tileset.Field{{Name: "name", Type: "string"}, {Name: "commodity", Type: "string"}, {Name: "rank", Type: "integer"}},
		Bounds: [4]float64{benchArea.Min[0], benchArea.Min[1], benchArea.Max[0], benchArea.Max[1]},
		Center: [3]float64{110, 7.5, 4}, MinZoom: 0, MaxZoom: 0,
	})
}

// benchHandler is a server over the benchmark store.
func benchHandler(b *testing.B) http.Handler {
	b.Helper()
	st, err := store.Open(benchStoreDir(b), store.Options{PollInterval: -1, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	return New(Config{Catalog: st})
}

// tailWriter is a ResponseWriter that counts the body and keeps its
// tail, where an items response puts numberReturned and its links, so that
// the benchmark measures the server rather than a recorder's buffer.
type tailWriter struct {
	h      http.Header
	status int
	n      int
	tail   []byte
}

func (d *tailWriter) Header() http.Header  { return d.h }
func (d *tailWriter) WriteHeader(code int) { d.status = code }
func (d *tailWriter) Write(p []byte) (int, error) {
	d.n += len(p)
	d.tail = append(d.tail, p...)
	if len(d.tail) > 8192 {
		d.tail = append(d.tail[:0], d.tail[len(d.tail)-4096:]...)
	}
	return len(p), nil
}

func (d *tailWriter) reset() {
	clear(d.h)
	d.status, d.n, d.tail = 0, 0, d.tail[:0]
}

// numberReturned reads numberReturned from the tail of an items response.
func (d *tailWriter) numberReturned() int {
	i := bytes.LastIndex(d.tail, []byte(`"numberReturned":`))
	if i < 0 {
		return -1
	}
	rest := d.tail[i+len(`"numberReturned":`):]
	j := bytes.IndexByte(rest, ',')
	n, _ := strconv.Atoi(string(rest[:j]))
	return n
}

// reportLatency adds p50 and p99 of the request times, in milliseconds.
func reportLatency(b *testing.B, times []time.Duration) {
	slices.Sort(times)
	pct := func(p float64) float64 {
		return float64(times[min(len(times)-1, int(p*float64(len(times))))]) / float64(time.Millisecond)
	}
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
}

// BenchmarkItemsBBox asks for the features in a box holding about 100 of a
// million points, as a map client does when panning.
func BenchmarkItemsBBox(b *testing.B) {
	h := benchHandler(b)
	target := fmt.Sprintf("/collections/%s/items?f=json&limit=1000&bbox=%g,%g,%g,%g", benchID, benchBBox.Min[0], benchBBox.Min[1], benchBBox.Max[0], benchBBox.Max[1])
	r := httptest.NewRequest(http.MethodGet, target, nil)
	w := &tailWriter{h: http.Header{}}
	serve := func() {
		w.reset()
		h.ServeHTTP(w, r)
		if w.status != http.StatusOK {
			b.Fatalf("status %d", w.status)
		}
	}
	serve()
	returned := w.numberReturned()
	if returned < 50 || returned > 200 {
		b.Fatalf("the box holds %d points, want about 100", returned)
	}
	times := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for range b.N {
		start := time.Now()
		serve()
		times = append(times, time.Since(start))
	}
	b.StopTimer()
	b.ReportMetric(float64(returned), "features/op")
	reportLatency(b, times)
}

// BenchmarkItemsPageAll reads the whole collection at limit=10000, page
// after page as a client following next links does. One op is the whole
// collection; p50 and p99 are per page.
func BenchmarkItemsPageAll(b *testing.B) {
	h := benchHandler(b)
	w := &tailWriter{h: http.Header{}}
	var times []time.Duration
	b.ResetTimer()
	for range b.N {
		total := 0
		for offset := 0; ; offset += maxLimit {
			r := httptest.NewRequest(http.MethodGet, "/collections/"+benchID+"/items?f=json&limit=10000&offset="+strconv.Itoa(offset), nil)
			w.reset()
			start := time.Now()
			h.ServeHTTP(w, r)
			times = append(times, time.Since(start))
			n := w.numberReturned()
			if w.status != http.StatusOK || n < 0 {
				b.Fatalf("offset %d: status %d", offset, w.status)
			}
			total += n
			if n < maxLimit {
				break
			}
		}
		if total != benchPoints {
			b.Fatalf("read %d features, want %d", total, benchPoints)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(benchPoints)*float64(b.N)/b.Elapsed().Seconds(), "features/s")
	reportLatency(b, times)
}
