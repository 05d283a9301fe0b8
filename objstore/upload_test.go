package objstore

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/outcrop/outcrop/tileset"
)

// headerRecorder is a transport that records the payload hash and CRC32
// headers of each PUT, by the key it writes, and can corrupt a part's body.
type headerRecorder struct {
	mu   sync.Mutex
	puts []sentPut
	// corrupt, if set, is the part number whose body is sent with one byte
	// changed, as a faulty network or proxy would.
	corrupt string
}

type sentPut struct {
	path, part, payload, crc32 string
}

func (h *headerRecorder) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Method == http.MethodPut {
		part := r.URL.Query().Get("partNumber")
		h.mu.Lock()
		h.puts = append(h.puts, sentPut{r.URL.Path, part, r.Header.Get("X-Amz-Content-Sha256"), r.Header.Get("X-Amz-Checksum-Crc32")})
		h.mu.Unlock()
		if part != "" && part == h.corrupt && r.Body != nil {
			b, err := io.ReadAll(r.Body)
			r.Body.Close()
			if err != nil {
				return nil, err
			}
			b[len(b)/2] ^= 0xff
			r = r.Clone(r.Context())
			r.Body = io.NopCloser(bytes.NewReader(b))
		}
	}
	return http.DefaultTransport.RoundTrip(r)
}

// TestVersionObjectIsNotHashedForTheSignature checks that a version object,
// in one PUT or in parts, is signed as UNSIGNED-PAYLOAD, so that publish
// does not read it once more for its SHA-256, yet still sent with its
// CRC32; the manifest keeps its signed payload hash.
func TestVersionObjectIsNotHashedForTheSignature(t *testing.T) {
	bucket := s3Env(t)
	for _, tc := range []struct {
		name string
		size int
	}{{"one-put", 1 << 20}, {"parts", 13 << 20}} {
		t.Run(tc.name, func(t *testing.T) {
			loc := Location{Bucket: bucket, Prefix: tc.name}
			src := t.TempDir()
			writeBigVersion(t, src, "geology", tc.name, tc.size)
			rec := &headerRecorder{}
			c := countingClient(t, loc, rec)
			m, err := c.Publish(context.Background(), src, "geology")
			if err != nil {
				t.Fatal(err)
			}
			objects, manifests := 0, 0
			for _, p := range rec.puts {
				switch {
				case strings.HasSuffix(p.path, "/"+m.Object):
					objects++
					if p.payload != "UNSIGNED-PAYLOAD" || p.crc32 == "" {
						t.Errorf("PUT %s part %q: X-Amz-Content-Sha256 %q, X-Amz-Checksum-Crc32 %q; want UNSIGNED-PAYLOAD and a CRC32", p.path, p.part, p.payload, p.crc32)
					}
				case strings.HasSuffix(p.path, "/"+manifestName):
					manifests++
					if len(p.payload) != 64 {
						t.Errorf("manifest PUT: X-Amz-Content-Sha256 %q, want its hex SHA-256", p.payload)
					}
				}
			}
			if objects == 0 || manifests != 1 {
				t.Fatalf("saw %d PUTs of the object and %d of the manifest: %+v", objects, manifests, rec.puts)
			}
			r := newReplica(t, loc)
			if n := r.syncer.Once(context.Background()); n != 1 {
				t.Fatalf("the version was not taken; log:\n%s", r.log)
			}
			if v := localVersion(filepath.Join(r.dir, "geology"+tileset.Ext)); v != m.Version {
				t.Fatalf("replica holds version %q, want %q", v, m.Version)
			}
		})
	}
}

// TestPartCorruptedInTransitFailsThePublish changes one byte of a part on
// its way: the storage refuses the part against its CRC32 (there is no
// signed payload hash to catch it), the publish fails and no manifest is
// written.
func TestPartCorruptedInTransitFailsThePublish(t *testing.T) {
	bucket := s3Env(t)
	loc := Location{Bucket: bucket, Prefix: "corrupt"}
	src := t.TempDir()
	writeBigVersion(t, src, "geology", "corrupt", 13<<20)
	c := countingClient(t, loc, &headerRecorder{corrupt: "2"})
	if m, err := c.Publish(context.Background(), src, "geology"); err == nil {
		t.Fatalf("a part corrupted in transit was published as %+v", m)
	} else if !strings.Contains(err.Error(), "cannot write s3://"+bucket+"/corrupt/geology/") {
		t.Errorf("error %q does not name the object", err)
	}
	if _, _, err := c.get(context.Background(), loc.key("geology", manifestName), ""); !errors.Is(err, errNotFound) {
		t.Fatalf("manifest after a failed publish: %v, want none", err)
	}
}
