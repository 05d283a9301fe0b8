package objstore

import (
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/outcrop/outcrop/internal/storetest"
	"github.com/outcrop/outcrop/tileset"
)

// partCounter is a transport that counts the parts of multipart uploads
// and, through fail, can make one of them fail.
type partCounter struct {
	mu    sync.Mutex
	parts map[string]bool // part numbers whose upload succeeded
	// fail, if not nil, is asked before each part is sent; an error it
	// returns fails the part as the network would.
	fail func(part string) error
	// done, if not nil, is called after each part succeeded.
	done func(part string)
}

func (p *partCounter) RoundTrip(r *http.Request) (*http.Response, error) {
	part := r.URL.Query().Get("partNumber")
	if r.Method != http.MethodPut || part == "" {
		return http.DefaultTransport.RoundTrip(r)
	}
	if p.fail != nil {
		if err := p.fail(part); err != nil {
			return nil, err
		}
	}
	resp, err := http.DefaultTransport.RoundTrip(r)
	if err == nil && resp.StatusCode == 200 {
		p.mu.Lock()
		if p.parts == nil {
			p.parts = map[string]bool{}
		}
		p.parts[part] = true
		p.mu.Unlock()
		if p.done != nil {
			p.done(part)
		}
	}
	return resp, err
}

func (p *partCounter) count() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.parts)
}

// countingClient is a client of loc whose requests go through rt.
func countingClient(t *testing.T, loc Location, rt http.RoundTripper) *Client {
	t.Helper()
	c, err := newClient(context.Background(), loc, func(o *s3.Options) { o.HTTPClient = &http.Client{Transport: rt} })
	if err != nil {
		t.Fatal(err)
	}
	c.PartSize = MinPartSize
	return c
}

// writeBigVersion commits a version of id whose tiles hold about size
// bytes of incompressible data, and returns its version.
func writeBigVersion(t *testing.T, dir, id, label string, size int) string {
	t.Helper()
	w, err := tileset.Create(dir, id)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, uint64(len(label))))
	const z = 5
	per := size / (1 << (2 * z))
	var tiles []tileset.Tile
	for x := 0; x < 1<<z; x++ {
		for y := 0; y < 1<<z; y++ {
			noise := make([]byte, per)
			for i := range noise {
				noise[i] = 'a' + byte(rng.IntN(26))
			}
			tiles = append(tiles, tileset.Tile{Z: z, X: x, Y: y, Data: storetest.Gzip(t, storetest.TileBody(label, z, x, y)+" "+string(noise))})
		}
	}
	if err := w.PutTiles(tiles); err != nil {
		t.Fatal(err)
	}
	meta := &tileset.Metadata{Title: label, Layer: id, MinZoom: z, MaxZoom: z}
	if err := w.Commit(meta); err != nil {
		t.Fatal(err)
	}
	return meta.Version
}

// TestLargeVersionIsUploadedInParts publishes a tileset of several parts
// and checks a replica takes it whole, its SHA-256 checked as for one PUT.
func TestLargeVersionIsUploadedInParts(t *testing.T) {
	bucket := s3Env(t)
	loc := Location{Bucket: bucket, Prefix: "big"}
	src := t.TempDir()
	writeBigVersion(t, src, "geology", "big", 13<<20)
	fi, err := os.Stat(filepath.Join(src, "geology.tileset"))
	if err != nil {
		t.Fatal(err)
	}
	pc := &partCounter{}
	c := countingClient(t, loc, pc)
	m, err := c.Publish(context.Background(), src, "geology")
	if err != nil {
		t.Fatal(err)
	}
	want := int((fi.Size() + MinPartSize - 1) / MinPartSize)
	if want < 3 || pc.count() != want {
		t.Fatalf("a %d-byte file was uploaded in %d parts of %d bytes, want %d (at least 3)", fi.Size(), pc.count(), MinPartSize, want)
	}
	head, err := c.s3.HeadObject(context.Background(), &s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String(loc.key("geology", m.Object))})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToInt64(head.ContentLength) != fi.Size() {
		t.Errorf("object holds %d bytes, the file %d", aws.ToInt64(head.ContentLength), fi.Size())
	}
	r := newReplica(t, loc)
	if n := r.syncer.Once(context.Background()); n != 1 {
		t.Fatalf("the multipart object was not taken; log:\n%s", r.log)
	}
	status, body, err := r.tile("geology", 5, 17, 9)
	if err != nil || status != 200 || !strings.HasPrefix(body, storetest.TileBody("big", 5, 17, 9)+" ") {
		t.Fatalf("tile 5/17/9: %d %.40q %v; log:\n%s", status, body, err, r.log)
	}
}

// TestFailedMultipartUploadLeavesNothing fails a multipart upload midway,
// by a network error and by an interrupt: the publish fails, no object and
// no incomplete upload is left, and the manifest still names the version
// published before.
func TestFailedMultipartUploadLeavesNothing(t *testing.T) {
	bucket := s3Env(t)
	loc := Location{Bucket: bucket}
	src := t.TempDir()
	v1 := storetest.WriteVersion(t, src, "geology", "small")
	publish(t, loc, src, "geology")
	writeBigVersion(t, src, "geology", "big", 13<<20)
	ctx := context.Background()
	for _, c := range []struct {
		name string
		// setup configures pc to stop the upload after a part, and returns
		// the context to publish with.
		setup func(pc *partCounter) context.Context
		want  string
	}{
		{"network error on part 3", func(pc *partCounter) context.Context {
			pc.fail = func(part string) error {
				if part == "3" {
					return errors.New("connection reset by a test")
				}
				return nil
			}
			return ctx
		}, "connection reset by a test"},
		{"interrupted after part 1", func(pc *partCounter) context.Context {
			ictx, cancel := context.WithCancel(ctx)
			t.Cleanup(cancel)
			pc.done = func(part string) { cancel() }
			return ictx
		}, "context canceled"},
	} {
		t.Run(c.name, func(t *testing.T) {
			pc := &partCounter{}
			pctx := c.setup(pc)
			cl := countingClient(t, loc, pc)
			_, err := cl.Publish(pctx, src, "geology")
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("publish: %v, want an error naming %q", err, c.want)
			}
			if pc.count() == 0 {
				t.Fatal("no part was uploaded before the failure: the test tests nothing")
			}
			raw := rawClient(t)
			ups, err := raw.s3.ListMultipartUploads(ctx, &s3.ListMultipartUploadsInput{Bucket: aws.String(bucket)})
			if err != nil {
				t.Fatal(err)
			}
			for _, u := range ups.Uploads {
				t.Errorf("incomplete upload %s of %s left behind", aws.ToString(u.UploadId), aws.ToString(u.Key))
			}
			list, err := raw.s3.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String(bucket)})
			if err != nil {
				t.Fatal(err)
			}
			var keys []string
			for _, o := range list.Contents {
				keys = append(keys, aws.ToString(o.Key))
			}
			if want := []string{"geology/" + v1 + ".tileset", "geology/manifest.json"}; strings.Join(keys, " ") != strings.Join(want, " ") {
				t.Errorf("bucket holds %q, want %q", keys, want)
			}
			raw.loc = loc
			body, _, err := raw.get(ctx, "geology/manifest.json", "")
			if err != nil {
				t.Fatal(err)
			}
			defer body.Close()
			m, err := func() (*Manifest, error) {
				b := new(strings.Builder)
				if _, err := io.Copy(b, body); err != nil {
					return nil, err
				}
				return parseManifest("geology", []byte(b.String()))
			}()
			if err != nil || m.Version != v1 {
				t.Errorf("manifest after the failed publish: %+v %v, want version %s", m, err, v1)
			}
		})
	}
}
