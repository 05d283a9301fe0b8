package e2e

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// featuresClientDir holds @ogcapi-js/features from npm at a pinned version;
// `npm ci --prefix e2e/testdata/ogcapi-features-client` installs it.
var featuresClientDir = filepath.Join("testdata", "ogcapi-features-client")

// TestOGCDatetimeClient ingests the USGS porphyry copper deposits with their
// discovery year as the time field, serves them with the real binary, and
// pages through datetime queries with @ogcapi-js/features: each query gets
// exactly the deposits discovered in its span, read here from the CSV, plus
// the undated ones (/req/core/fc-time-response), and each next link keeps
// the datetime.
func TestOGCDatetimeClient(t *testing.T) {
	node := ogcNeeds(t, "node", "Debian: nodejs")
	if _, err := os.Stat(filepath.Join(featuresClientDir, "node_modules", "@ogcapi-js", "features")); err != nil {
		msg := "@ogcapi-js/features is not installed: npm ci --prefix e2e/testdata/ogcapi-features-client"
		if os.Getenv("CI") != "" {
			t.Fatalf("%s; CI is set, so this is a failure, not a skip", msg)
		}
		t.Skip(msg)
	}
	csvPath := filepath.Join("..", "data", "occurrences", "usgs-porphyry-copper-deposits-2008.csv")
	years, err := discoveryYears(csvPath)
	if err != nil {
		t.Fatal(err)
	}
	bin := outcropBinary(t)
	store := t.TempDir()
	res := mustRun(t, bin, "ingest", "--store", store, "--id", "copper", "--maxzoom", "3", "--time-field", "DiscoveryDate", csvPath)
	dated := 0
	for _, y := range years {
		if y != 0 {
			dated++
		}
	}
	if want := "DiscoveryDate: " + strconv.Itoa(dated) + " dated"; !strings.Contains(res.stdout, want) {
		t.Errorf("the ingest summary does not say %q:\n%s", want, res.stdout)
	}
	srv := startServe(t, bin, store)

	type query struct {
		Instant    string `json:"instant,omitempty"`
		Start      string `json:"start,omitempty"`
		End        string `json:"end,omitempty"`
		from, upTo int    // the years selected, inclusive
	}
	queries := []query{
		{Start: "1960-01-01T00:00:00Z", End: "1969-12-31T23:59:59.999Z", from: 1960, upTo: 1969},
		{Instant: "1968-05-01T12:00:00Z", from: 1968, upTo: 1968},
		{Start: "2000-01-01T00:00:00Z", from: 2000, upTo: 9999},
		// A year starts at its first instant: 1900 meets this end.
		{End: "1900-01-01T00:00:00Z", from: 0, upTo: 1900},
	}
	arg, err := json.Marshal(queries)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(node, filepath.Join(featuresClientDir, "client.mjs"), srv.url, "copper", string(arg))
	out, err := cmd.Output()
	if err != nil {
		var stderr []byte
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = ee.Stderr
		}
		t.Fatalf("@ogcapi-js/features: %v\n%s", err, stderr)
	}
	var got struct {
		Extent struct {
			Temporal struct {
				Interval [][2]string `json:"interval"`
			} `json:"temporal"`
		} `json:"extent"`
		Queries []struct {
			Matched []int    `json:"matched"`
			IDs     []int    `json:"ids"`
			Next    []string `json:"next"`
		} `json:"queries"`
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("client output: %v\n%s", err, out)
	}

	first, last := 9999, 0
	for _, y := range years {
		if y != 0 {
			first, last = min(first, y), max(last, y)
		}
	}
	if iv := got.Extent.Temporal.Interval; len(iv) != 1 || !strings.HasPrefix(iv[0][0], strconv.Itoa(first)+"-01-01T00:00:00") ||
		!strings.HasPrefix(iv[0][1], strconv.Itoa(last)+"-12-31T23:59:59") {
		t.Errorf("extent.temporal %v, want the years %d to %d", iv, first, last)
	}
	if len(got.Queries) != len(queries) {
		t.Fatalf("the client answered %d queries of %d", len(got.Queries), len(queries))
	}
	for i, q := range queries {
		var want []int
		for id, y := range years {
			if y == 0 || q.from <= y && y <= q.upTo {
				want = append(want, id+1)
			}
		}
		r := got.Queries[i]
		if !slices.Equal(r.IDs, want) {
			t.Errorf("%+v: the client got %d features, want %d (%d undated)", q, len(r.IDs), len(want), len(years)-dated)
		}
		for _, m := range r.Matched {
			if m != len(want) {
				t.Errorf("%+v: numberMatched %d, want %d", q, m, len(want))
			}
		}
		if len(r.Next) == 0 {
			t.Errorf("%+v: %d features in one page of 100", q, len(r.IDs))
		}
		for _, next := range r.Next {
			if !strings.Contains(next, "datetime=") {
				t.Errorf("%+v: next link %s lost the datetime", q, next)
			}
		}
	}
}

// discoveryYears reads the CSV's DiscoveryDate per row, in row order (the
// feature ids less one): the year where it is one ("1968"), else 0 for the
// rows without a date ("n.d.", "1970s", "before 1915", empty).
func discoveryYears(path string) ([]int, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, err
	}
	col := slices.Index(rows[0], "DiscoveryDate")
	year := regexp.MustCompile(`^[0-9]{4}$`)
	var years []int
	for _, r := range rows[1:] {
		y := 0
		if year.MatchString(r[col]) {
			y, _ = strconv.Atoi(r[col])
		}
		years = append(years, y)
	}
	return years, nil
}
