package store

import (
	"os"
	"path/filepath"
	"strings"

	"github.com/outcrop/outcrop/tileset"
)

// candidate is a file in the store directory that names a tileset.
type candidate struct {
	name string // file name
	id   string // the name without Ext; may be an invalid id
	path string
	info os.FileInfo
}

// listCandidates returns the regular files (or links to them) in dir whose
// names end in tileset.Ext and do not start with a dot. Temporary files of
// writers (".ID.tileset.tmp-…") and anything else are not candidates.
func listCandidates(dir string) ([]candidate, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []candidate
	for _, e := range entries {
		name := e.Name()
		if strings.HasPrefix(name, ".") || !strings.HasSuffix(name, tileset.Ext) {
			continue
		}
		path := filepath.Join(dir, name)
		info, err := os.Stat(path) // follows a symbolic link
		if err != nil || !info.Mode().IsRegular() {
			continue // gone since ReadDir, a dangling link, or a directory
		}
		out = append(out, candidate{name: name, id: strings.TrimSuffix(name, tileset.Ext), path: path, info: info})
	}
	return out, nil
}
