package objstore

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/outcrop/outcrop/tileset"
)

// Publish pushes the current version of tileset id of store directory dir:
// it checks the file (it opens as a tileset and every stored value matches
// its checksum), writes it as PREFIX/ID/VERSION.tileset (in parts of
// c.PartSize when larger than one), then writes the manifest naming it. Replicas see the new version only once both are
// written; a failure leaves the manifest, and so the current version,
// unchanged.
func (c *Client) Publish(ctx context.Context, dir, id string) (*Manifest, error) {
	if err := tileset.ValidateID(id); err != nil {
		return nil, err
	}
	path := filepath.Join(dir, id+tileset.Ext)
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("no tileset %q in store %s (%s does not exist); check --id and --store", id, dir, path)
	}
	r, err := tileset.Open(path)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	// Hash and upload the very file that is checked, even if an ingest
	// replaces path meanwhile.
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !os.SameFile(fi, r.Stat()) {
		return nil, fmt.Errorf("tileset %s was replaced while it was being published; run outcrop publish again", path)
	}
	// The SHA-256 is computed while the checksums are verified: verify walks
	// the tileset in key order, so the two cannot share one read of the
	// file, but on two cores they overlap, and the second read of each page
	// comes from the page cache.
	sum := make(chan error, 1)
	h := sha256.New()
	go func() {
		_, err := io.CopyBuffer(h, io.NewSectionReader(f, 0, fi.Size()), make([]byte, copyBuffer))
		sum <- err
	}()
	verr := verify(r)
	if err := <-sum; err != nil {
		return nil, fmt.Errorf("cannot read %s: %v", path, err)
	}
	if verr != nil {
		return nil, verr
	}
	meta := r.Metadata()
	m := &Manifest{
		ID:        id,
		Version:   meta.Version,
		Object:    meta.Version + tileset.Ext,
		Size:      fi.Size(),
		SHA256:    hex.EncodeToString(h.Sum(nil)),
		Published: time.Now().UTC(),
	}
	if !versionRE.MatchString(m.Version) {
		return nil, fmt.Errorf("tileset %s has version %q, which cannot name an object; ingest it again", path, m.Version)
	}
	if err := c.upload(ctx, c.loc.key(id, m.Object), f, m.Size, "application/octet-stream"); err != nil {
		return nil, err
	}
	if err := c.writeManifest(ctx, m); err != nil {
		return nil, fmt.Errorf("%w; the version object is written but not yet current: run outcrop publish again", err)
	}
	return m, nil
}

// Delete withdraws tileset id: it writes a manifest saying the tileset is
// deleted, and each replica removes its copy at its next pass. The version
// objects stay, for a rollback (publish the tileset again). It fails if id
// was never published under the location.
func (c *Client) Delete(ctx context.Context, id string) (*Manifest, error) {
	if err := tileset.ValidateID(id); err != nil {
		return nil, err
	}
	key := c.loc.key(id, manifestName)
	body, _, err := c.get(ctx, key, "")
	if errors.Is(err, errNotFound) {
		return nil, fmt.Errorf("no tileset %q is published at %s (%s does not exist); check --id and the location", id, c.loc, c.loc.url(key))
	}
	if err != nil {
		return nil, err
	}
	body.Close()
	m := &Manifest{ID: id, Deleted: true, Published: time.Now().UTC()}
	if err := c.writeManifest(ctx, m); err != nil {
		return nil, err
	}
	return m, nil
}

// writeManifest writes m as the manifest of its tileset.
func (c *Client) writeManifest(ctx context.Context, m *Manifest) error {
	js, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	return c.put(ctx, c.loc.key(m.ID, manifestName), bytes.NewReader(js), int64(len(js)), "application/json")
}

// ManifestURL returns the s3:// URL of the manifest of m's tileset.
func (c *Client) ManifestURL(m *Manifest) string { return c.loc.url(c.loc.key(m.ID, manifestName)) }

// ObjectURL returns the s3:// URL of the object m names.
func (c *Client) ObjectURL(m *Manifest) string { return c.loc.url(c.loc.key(m.ID, m.Object)) }

// verify checks every stored value of r against its checksum.
func verify(r *tileset.Reader) error {
	var first *tileset.DamageError
	damaged := 0
	_, err := r.Verify(func(d *tileset.DamageError) {
		if first == nil {
			first = d
		}
		damaged++
	})
	if err != nil {
		return err
	}
	if damaged > 0 {
		return fmt.Errorf("%d stored values fail their checksum, the first: %v", damaged, first)
	}
	return nil
}
