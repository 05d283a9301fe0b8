package main

import (
	"os"
	"path/filepath"
	"testing"
)

func TestSources(t *testing.T) {
	ids, files := map[string]bool{}, map[string]bool{}
	for _, s := range sources {
		if ids[s.ID] || files[s.File] {
			t.Errorf("%s / %s listed twice", s.ID, s.File)
		}
		ids[s.ID], files[s.File] = true, true
		if s.Scheme == "" || s.Licence == "" || s.LicenceURL == "" || s.Attribution == "" {
			t.Errorf("%s: incomplete %+v", s.ID, s)
		}
		if _, err := os.Stat(filepath.Join("../../ttl", s.File)); err != nil {
			t.Errorf("%s: %v", s.ID, err)
		}
	}
	if len(sources) != 7 {
		t.Errorf("%d sources, want the 7 vocabularies of shared/data/vocab", len(sources))
	}
}
