package objstore

import (
	"encoding/json"
	"fmt"
	"regexp"
	"time"

	"github.com/outcrop/outcrop/tileset"
)

// manifestName is the object, in each tileset's folder, naming its current version.
const manifestName = "manifest.json"

// Manifest names the current version of one tileset in object storage.
type Manifest struct {
	ID      string `json:"id"`
	Version string `json:"version"` // the tileset's metadata version
	// Object is the name of the version's object in the tileset's folder,
	// VERSION.tileset.
	Object    string    `json:"object"`
	Size      int64     `json:"size"`   // bytes
	SHA256    string    `json:"sha256"` // lower-case hex of the object's SHA-256
	Published time.Time `json:"published"`
}

var (
	versionRE = regexp.MustCompile(`^[0-9A-Za-z][0-9A-Za-z._-]{0,127}$`)
	sha256RE  = regexp.MustCompile(`^[0-9a-f]{64}$`)
)

// parseManifest decodes and checks the manifest of tileset id.
func parseManifest(id string, data []byte) (*Manifest, error) {
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("manifest is not valid JSON: %v", err)
	}
	switch {
	case m.ID != id:
		return nil, fmt.Errorf("manifest names tileset %q, not %q, the folder it is in", m.ID, id)
	case !versionRE.MatchString(m.Version):
		return nil, fmt.Errorf("manifest version %q is not a tileset version", m.Version)
	case m.Object != m.Version+tileset.Ext:
		return nil, fmt.Errorf("manifest object %q is not %s, its version's object", m.Object, m.Version+tileset.Ext)
	case m.Size <= 0:
		return nil, fmt.Errorf("manifest size %d is not a file size", m.Size)
	case !sha256RE.MatchString(m.SHA256):
		return nil, fmt.Errorf("manifest sha256 %q is not 64 lower-case hex digits", m.SHA256)
	}
	return &m, nil
}
