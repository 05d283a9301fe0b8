// Package objstore keeps tilesets in S3-compatible object storage as their
// source of truth: Publish pushes a store's tileset version, and a Syncer
// pulls the versions published into a serving replica's store directory.
//
// The layout under a location s3://BUCKET/PREFIX is, for each tileset ID:
//
//	PREFIX/ID/VERSION.tileset   one object per published version, never rewritten
//	PREFIX/ID/manifest.json     names the current version, its size and SHA-256,
//	                            or says the tileset is deleted
//
// The version object is written before the manifest that names it, so a
// reader of the manifest always finds a complete object. A tileset is
// removed from replicas only by a manifest saying so, never because its
// folder or manifest cannot be read or listed.
package objstore

import (
	"fmt"
	"net/url"
	"strings"
)

// Location is a bucket and a key prefix, written s3://BUCKET/PREFIX.
type Location struct {
	Bucket string
	Prefix string // without leading or trailing slashes; may be empty
}

// ParseLocation parses s3://BUCKET[/PREFIX].
func ParseLocation(s string) (Location, error) {
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "s3" || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return Location{}, fmt.Errorf("%q is not an object storage location; give s3://BUCKET/PREFIX, e.g. s3://tiles/outcrop", s)
	}
	return Location{Bucket: u.Host, Prefix: strings.Trim(u.Path, "/")}, nil
}

// String returns the location as s3://BUCKET/PREFIX.
func (l Location) String() string { return "s3://" + l.Bucket + "/" + l.Prefix }

// key returns the key of name in the folder of tileset id.
func (l Location) key(id, name string) string {
	if l.Prefix == "" {
		return id + "/" + name
	}
	return l.Prefix + "/" + id + "/" + name
}

// root is the key prefix every tileset folder starts with.
func (l Location) root() string {
	if l.Prefix == "" {
		return ""
	}
	return l.Prefix + "/"
}

// url returns the s3:// URL of key, for messages.
func (l Location) url(key string) string { return "s3://" + l.Bucket + "/" + key }
