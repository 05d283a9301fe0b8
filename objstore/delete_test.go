package objstore

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/outcrop/outcrop/internal/storetest"
)

// TestDeletedTilesetIsRemovedFromReplicas withdraws one of two published
// tilesets: a replica removes it at its next pass and answers 404 for it,
// keeps the other, and takes it back when it is published again.
func TestDeletedTilesetIsRemovedFromReplicas(t *testing.T) {
	bucket := s3Env(t)
	loc := Location{Bucket: bucket, Prefix: "p"}
	src := t.TempDir()
	storetest.WriteVersion(t, src, "geology", "geo")
	storetest.WriteVersion(t, src, "faults", "flt")
	publish(t, loc, src, "geology")
	publish(t, loc, src, "faults")
	r := newReplica(t, loc)
	if n := r.syncer.Once(context.Background()); n != 2 {
		t.Fatalf("first pass put %d versions in place, want 2; log:\n%s", n, r.log)
	}
	if status, _, _ := r.tile("geology", 0, 0, 0); status != 200 {
		t.Fatalf("geology before its deletion: %d", status)
	}

	c, err := NewClient(context.Background(), loc)
	if err != nil {
		t.Fatal(err)
	}
	m, err := c.Delete(context.Background(), "geology")
	if err != nil {
		t.Fatal(err)
	}
	if !m.Deleted {
		t.Fatalf("Delete returned %+v", m)
	}
	if n := r.syncer.Once(context.Background()); n != 1 {
		t.Fatalf("the pass after the deletion made %d changes, want 1; log:\n%s", n, r.log)
	}
	if status, body, _ := r.tile("geology", 0, 0, 0); status != 404 {
		t.Errorf("geology after its deletion: %d %q, want 404", status, body)
	}
	if _, err := os.Stat(filepath.Join(r.dir, "geology.tileset")); !os.IsNotExist(err) {
		t.Errorf("geology.tileset is still in the store: %v", err)
	}
	if status, body, _ := r.tile("faults", 1, 0, 1); status != 200 || body != storetest.TileBody("flt", 1, 0, 1) {
		t.Errorf("faults after geology's deletion: %d %q", status, body)
	}
	if !strings.Contains(r.log.String(), "deleted from object storage, removed from the store") {
		t.Errorf("no log line of the removal; log:\n%s", r.log)
	}
	if n := r.syncer.Once(context.Background()); n != 0 {
		t.Errorf("a pass after the removal made %d changes", n)
	}
	// A replica started after the deletion does not fetch the tileset.
	late := newReplica(t, loc)
	late.syncer.Once(context.Background())
	if status, _, _ := late.tile("geology", 0, 0, 0); status != 404 {
		t.Errorf("a replica started after the deletion serves geology: %d", status)
	}

	if _, err := c.Delete(context.Background(), "never-published"); err == nil || !strings.Contains(err.Error(), `no tileset "never-published" is published`) {
		t.Errorf("deleting a tileset never published: %v", err)
	}

	// Published again, it is back.
	storetest.WriteVersion(t, src, "geology", "again")
	publish(t, loc, src, "geology")
	if n := r.syncer.Once(context.Background()); n != 1 {
		t.Fatalf("the republished tileset was not taken; log:\n%s", r.log)
	}
	if status, body, _ := r.tile("geology", 0, 0, 0); status != 200 || body != storetest.TileBody("again", 0, 0, 0) {
		t.Errorf("geology republished: %d %q", status, body)
	}
}

// outage is a proxy in front of the S3 server that can fail as storage
// does in an outage.
type outage struct {
	mode atomic.Value // string: "", "down", "503", "empty listing", "no manifest"
	srv  *httptest.Server
}

func newOutage(t *testing.T) *outage {
	t.Helper()
	target, _ := url.Parse(s3srv.endpoint)
	proxy := httputil.NewSingleHostReverseProxy(target) // keeps Host: the signature holds
	o := &outage{}
	o.mode.Store("")
	o.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		list := r.Method == http.MethodGet && r.URL.Query().Get("list-type") == "2"
		switch mode := o.mode.Load().(string); {
		case mode == "down":
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				conn.Close()
			}
			return
		case mode == "503":
			w.WriteHeader(http.StatusServiceUnavailable)
			w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>ServiceUnavailable</Code><Message>down for a test</Message></Error>`))
			return
		case mode == "empty listing" && list:
			w.Header().Set("Content-Type", "application/xml")
			w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>b</Name><Prefix></Prefix><KeyCount>0</KeyCount><MaxKeys>1000</MaxKeys><Delimiter>/</Delimiter><IsTruncated>false</IsTruncated></ListBucketResult>`))
			return
		case mode == "no manifest" && strings.HasSuffix(r.URL.Path, "/"+manifestName):
			w.Header().Set("Content-Type", "application/xml")
			w.WriteHeader(http.StatusNotFound)
			w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>`))
			return
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(o.srv.Close)
	return o
}

// TestOutageDeletesNothing makes the storage unreachable, failing, listing
// nothing and losing manifests: a replica keeps serving what it has
// through all of it, and still removes a tileset deleted once the storage
// is back.
func TestOutageDeletesNothing(t *testing.T) {
	bucket := s3Env(t)
	loc := Location{Bucket: bucket}
	src := t.TempDir()
	storetest.WriteVersion(t, src, "geology", "geo")
	publish(t, loc, src, "geology")
	o := newOutage(t)
	t.Setenv("AWS_ENDPOINT_URL_S3", o.srv.URL)
	t.Setenv("AWS_MAX_ATTEMPTS", "1")
	r := newReplica(t, loc)
	if n := r.syncer.Once(context.Background()); n != 1 {
		t.Fatalf("first pass through the proxy put %d versions in place; log:\n%s", n, r.log)
	}
	serving := func(when string) {
		t.Helper()
		if status, body, _ := r.tile("geology", 1, 1, 1); status != 200 || body != storetest.TileBody("geo", 1, 1, 1) {
			t.Fatalf("%s: tile 1/1/1 is %d %q, want geo's; log:\n%s", when, status, body, r.log)
		}
	}
	for _, mode := range []string{"down", "503", "empty listing", "no manifest"} {
		o.mode.Store(mode)
		for range 2 {
			if n := r.syncer.Once(context.Background()); n != 0 {
				t.Fatalf("storage %s: a pass made %d changes; log:\n%s", mode, n, r.log)
			}
		}
		serving("storage " + mode)
	}
	o.mode.Store("")
	// The folder really emptied by hand, not withdrawn: kept as well.
	raw := rawClient(t)
	list, err := raw.s3.ListObjectsV2(context.Background(), &s3.ListObjectsV2Input{Bucket: aws.String(bucket)})
	if err != nil {
		t.Fatal(err)
	}
	saved := map[string][]byte{}
	for _, obj := range list.Contents {
		k := aws.ToString(obj.Key)
		raw.loc = loc
		body, _, err := raw.get(context.Background(), k, "")
		if err != nil {
			t.Fatal(err)
		}
		b := new(strings.Builder)
		if _, err := io.Copy(b, body); err != nil {
			t.Fatal(err)
		}
		body.Close()
		saved[k] = []byte(b.String())
		if _, err := raw.s3.DeleteObject(context.Background(), &s3.DeleteObjectInput{Bucket: aws.String(bucket), Key: aws.String(k)}); err != nil {
			t.Fatal(err)
		}
	}
	if len(saved) != 2 {
		t.Fatalf("bucket held %d objects, want the version and the manifest", len(saved))
	}
	if n := r.syncer.Once(context.Background()); n != 0 {
		t.Fatalf("an emptied folder made %d changes; log:\n%s", n, r.log)
	}
	serving("folder emptied by hand")
	if strings.Contains(r.log.String(), "removed from the store") {
		t.Fatalf("a tileset was removed without a deletion manifest; log:\n%s", r.log)
	}

	// Storage back, the tileset withdrawn: removed through the same proxy.
	for k, b := range saved {
		if err := raw.put(context.Background(), k, strings.NewReader(string(b)), int64(len(b)), ""); err != nil {
			t.Fatal(err)
		}
	}
	c, err := NewClient(context.Background(), loc)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Delete(context.Background(), "geology"); err != nil {
		t.Fatal(err)
	}
	if n := r.syncer.Once(context.Background()); n != 1 {
		t.Fatalf("the deletion after the outage made %d changes; log:\n%s", n, r.log)
	}
	if status, _, _ := r.tile("geology", 1, 1, 1); status != 404 {
		t.Errorf("geology deleted after the outage: %d, want 404", status)
	}
}
