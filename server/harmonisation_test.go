package server

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

func TestHarmonisation(t *testing.T) {
	h := styleFixture(t)
	w := serve(h, httptestRequest(http.MethodGet, "/collections/units/harmonisation"))
	if w.Code != http.StatusOK {
		t.Fatalf("status %d: %s", w.Code, w.Body)
	}
	var got, want any
	decodeJSON(t, w, &got)
	json.Unmarshal([]byte(unitsReport), &want)
	gb, _ := json.Marshal(got)
	wb, _ := json.Marshal(want)
	if string(gb) != string(wb) {
		t.Errorf("report served as %s, stored as %s", gb, wb)
	}

	for _, tc := range []struct{ id, says string }{
		{faultsID, "was not harmonised; ingest it with --mapping"},
		{"nope", `no tileset "nope"`},
	} {
		e := wantError(t, serve(h, httptestRequest(http.MethodGet, "/collections/"+tc.id+"/harmonisation")), http.StatusNotFound, "NotFound")
		if !strings.Contains(e.Description, tc.says) {
			t.Errorf("%s: %q does not say %q", tc.id, e.Description, tc.says)
		}
	}
}
