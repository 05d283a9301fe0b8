package tileset

import (
	"os"
	"path/filepath"
	"strings"
	"time"
)

// minTempAge spares a temporary file younger than this: a Writer creates its
// file a moment before bbolt locks it, and a sweep in that moment must not
// take it for abandoned.
const minTempAge = time.Minute

// SweepTemps removes the temporary files that interrupted writers left in
// dir (".ID.tileset.tmp-…", see TempMarker) and returns their paths. A live
// Writer holds its temporary file under bbolt's exclusive lock until it
// renames or removes it, so a file that can be locked, and is older than a
// minute, has no writer left. Files it cannot lock or remove are left alone;
// err reports only a directory that cannot be read.
func SweepTemps(dir string) (removed []string, err error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		name := e.Name()
		if !strings.HasPrefix(name, ".") || !strings.Contains(name, Ext+TempMarker) || !e.Type().IsRegular() {
			continue
		}
		info, err := e.Info()
		if err != nil || time.Since(info.ModTime()) < minTempAge {
			continue
		}
		path := filepath.Join(dir, name)
		if removeIfUnlocked(path) {
			removed = append(removed, path)
		}
	}
	return removed, nil
}
