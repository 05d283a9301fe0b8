package compile

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/outcrop/outcrop/compile/qa"
	"github.com/outcrop/outcrop/server"
	"github.com/outcrop/outcrop/store"
	"github.com/outcrop/outcrop/styles"
)

func get(t *testing.T, url, accept string) (string, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %s", url, resp.StatusCode, b)
	}
	return string(b), resp.Header.Get("Content-Type")
}

// TestReportFormatsAgree serves the compiled fixture and checks that the
// report's JSON, HTML and CSV say the same: per class lengths, gap and
// overlap counts and areas, and the same issues with the same viewer links.
func TestReportFormatsAgree(t *testing.T) {
	_, res, dir := compileFixture(t)
	st, err := store.Open(dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	srv := httptest.NewServer(server.New(server.Config{Catalog: st}))
	defer srv.Close()
	url := srv.URL + "/collections/th-la-geology-qa/report"

	body, ct := get(t, url, "*/*")
	if !strings.HasPrefix(ct, "application/json") {
		t.Errorf("default Content-Type %q, want JSON", ct)
	}
	var rep qa.Report
	if err := json.Unmarshal([]byte(body), &rep); err != nil {
		t.Fatal(err)
	}
	// The contract's names.
	var generic map[string]any
	json.Unmarshal([]byte(body), &generic)
	for _, k := range []string{"border_km", "border_km_by_class", "gaps", "overlaps"} {
		if _, ok := generic[k]; !ok {
			t.Errorf("JSON report lacks %q", k)
		}
	}
	if rep.BorderKm != res.Report.BorderKm || len(rep.Pairs) != 1 {
		t.Fatalf("served report differs from the compiled one")
	}
	p := rep.Pairs[0]
	if len(p.Issues) == 0 || !strings.HasPrefix(p.Issues[0].Viewer, srv.URL+"/map#") {
		t.Fatalf("issues %+v: want viewer links under %s/map#", p.Issues, srv.URL)
	}

	// CSV: the border rows, the totals and one row per issue.
	csvBody, ct := get(t, url+"?f=csv", "")
	if !strings.HasPrefix(ct, "text/csv") {
		t.Errorf("f=csv Content-Type %q", ct)
	}
	rows, err := csv.NewReader(strings.NewReader(csvBody)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	num := func(s string) float64 { x, _ := strconv.ParseFloat(s, 64); return x }
	var issues []string
	for _, r := range rows[1:] {
		switch r[col["kind"]] {
		case "border":
			if got, want := num(r[col["length_m"]]), p.BorderKmByClass.Get(r[col["class"]])*1000; !agree(got, want) {
				t.Errorf("CSV border %s = %g m, JSON %g m", r[col["class"]], got, want)
			}
		case "gaps", "overlaps":
			m := p.Gaps
			if r[col["kind"]] == "overlaps" {
				m = p.Overlaps
			}
			if r[col["count"]] != strconv.Itoa(m.Count) || !agree(num(r[col["area_km2"]]), m.AreaKm2) {
				t.Errorf("CSV %s = %v, JSON %+v", r[col["kind"]], r, m)
			}
		case "dangling_lines":
			if r[col["count"]] != strconv.Itoa(p.Dangling) || p.Dangling == 0 {
				t.Errorf("CSV dangling = %v, JSON %d", r, p.Dangling)
			}
		case "snapped_line_ends":
			if r[col["count"]] != strconv.Itoa(p.SnappedLineEnds) || p.SnappedLineEnds == 0 {
				t.Errorf("CSV snapped line ends = %v, JSON %d", r, p.SnappedLineEnds)
			}
		default:
			issues = append(issues, r[col["feature_id"]]+" "+r[col["kind"]]+" "+r[col["class"]]+" "+r[col["viewer"]])
		}
	}
	var want []string
	for _, is := range p.Issues {
		want = append(want, fmt.Sprintf("%d %s %s %s", is.FeatureID, is.Kind, is.Class, is.Viewer))
	}
	if strings.Join(issues, "\n") != strings.Join(want, "\n") {
		t.Errorf("CSV issues:\n%s\nJSON issues:\n%s", strings.Join(issues, "\n"), strings.Join(want, "\n"))
	}

	// HTML, for a browser: the same numbers and the same issues, linked.
	page, ct := get(t, url, "text/html,application/xhtml+xml,*/*;q=0.8")
	if !strings.HasPrefix(ct, "text/html") {
		t.Fatalf("browser Content-Type %q", ct)
	}
	for _, c := range qa.Classes {
		m := regexp.MustCompile(`data-km="` + c + `">([0-9.]+)<`).FindStringSubmatch(page)
		if m == nil || !agree(num(m[1]), p.BorderKmByClass.Get(c)) {
			t.Errorf("HTML %s = %v, JSON %.3f km", c, m, p.BorderKmByClass.Get(c))
		}
	}
	for kind, m := range map[string]qa.Measured{"gaps": p.Gaps, "overlaps": p.Overlaps} {
		cm := regexp.MustCompile(`data-count="` + kind + `">(\d+)<`).FindStringSubmatch(page)
		if cm == nil || cm[1] != strconv.Itoa(m.Count) {
			t.Errorf("HTML %s count %v, JSON %d", kind, cm, m.Count)
		}
	}
	if cm := regexp.MustCompile(`data-count="dangling">(\d+)<`).FindStringSubmatch(page); cm == nil || cm[1] != strconv.Itoa(p.Dangling) {
		t.Errorf("HTML dangling count %v, JSON %d", cm, p.Dangling)
	}
	if cm := regexp.MustCompile(`data-count="snapped_line_ends">(\d+)<`).FindStringSubmatch(page); cm == nil || cm[1] != strconv.Itoa(p.SnappedLineEnds) {
		t.Errorf("HTML snapped line ends %v, JSON %d", cm, p.SnappedLineEnds)
	}
	rowsHTML := regexp.MustCompile(`<tr data-feature="(\d+)">`).FindAllStringSubmatch(page, -1)
	if len(rowsHTML) != len(p.Issues) {
		t.Errorf("HTML lists %d issues, JSON %d", len(rowsHTML), len(p.Issues))
	}
	for _, is := range p.Issues {
		if !strings.Contains(page, `href="`+is.Viewer+`"`) {
			t.Errorf("HTML lacks the viewer link %s", is.Viewer)
		}
	}

	// The served legends: the QA one counts what the report lists, the
	// compiled map's preferred one is by unit, in the surveys' colours.
	var qaLegend, unitLegend struct {
		Style   string
		Entries []styles.Entry
	}
	body, _ = get(t, srv.URL+"/collections/th-la-geology-qa/legend", "application/json")
	if err := json.Unmarshal([]byte(body), &qaLegend); err != nil {
		t.Fatal(err)
	}
	counts := map[string]int64{}
	for _, e := range qaLegend.Entries {
		counts[e.Values[0]] = e.Count
	}
	if counts[qa.KindGap] != int64(p.Gaps.Count) || counts[qa.KindOverlap] != int64(p.Overlaps.Count) || counts[qa.ClassAgeMismatch] == 0 {
		t.Errorf("served QA legend counts %v; the report has %d gaps, %d overlaps and age mismatches", counts, p.Gaps.Count, p.Overlaps.Count)
	}
	body, _ = get(t, srv.URL+"/collections/th-la-geology/legend", "application/json")
	if err := json.Unmarshal([]byte(body), &unitLegend); err != nil {
		t.Fatal(err)
	}
	colours := map[string]string{}
	for _, e := range unitLegend.Entries {
		colours[e.Code] = e.Colour
	}
	if unitLegend.Style != "th-la-geology."+styles.KindGeologyUnit || colours["THA:P-granite"] != fixtureTHAGranite || colours["LAO:P-granite"] != fixtureLAOGranite {
		t.Errorf("compiled map's legend: style %s, colours %v; want %s with THA:P-granite %s and LAO:P-granite %s",
			unitLegend.Style, colours, styles.KindGeologyUnit, fixtureTHAGranite, fixtureLAOGranite)
	}

	// The compiled map has no report; an unknown format is refused.
	resp, err := http.Get(srv.URL + "/collections/th-la-geology/report")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("report of the compiled map: %d, want 404", resp.StatusCode)
	}
	resp, err = http.Get(url + "?f=xml")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("f=xml: %d, want 400", resp.StatusCode)
	}
}

// agree reports whether two numbers printed at different precisions agree.
func agree(a, b float64) bool { return a-b < 0.001 && b-a < 0.001 }
