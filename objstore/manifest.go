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

// Manifest names the current version of one tileset in object storage,
// or says that the tileset was deleted.
type Manifest struct {
	ID string `json:"id"`
	// Deleted marks a tileset withdrawn by Delete: replicas remove their
	// copy. Version, Object, Size and SHA256 are then empty.
	Deleted bool   `json:"deleted,omitempty"`
	Version string `json:"version,omitempty"` // the tileset's metadata version
	// Object is the name of the version's object in the tileset's folder,
	// VERSION.tileset.
	Object    string    `json:"object,omitempty"`
	Size      int64     `json:"size,omitempty"`   // bytes
	SHA256    string    `json:"sha256,omitempty"` // lower-case hex of the object's SHA-256
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
	case m.Deleted && (m.Version != "" || m.Object != "" || m.Size != 0 || m.SHA256 != ""):
		return nil, fmt.Errorf("manifest says the tileset is deleted but also names version %q", m.Version)
	case m.Deleted:
		return &m, nil
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
