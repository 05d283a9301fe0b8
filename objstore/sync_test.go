package objstore

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/outcrop/outcrop/internal/storetest"
	"github.com/outcrop/outcrop/server"
	"github.com/outcrop/outcrop/store"
	"github.com/outcrop/outcrop/tileset"
)

// replica is a serving store that a Syncer pulls into, behind the real
// server.
type replica struct {
	dir    string
	store  *store.Store
	syncer *Syncer
	http   *httptest.Server
	log    *storetest.LogBuffer
}

func newReplica(t *testing.T, loc Location) *replica {
	t.Helper()
	r := &replica{dir: t.TempDir(), log: &storetest.LogBuffer{}}
	logger := slog.New(slog.NewTextHandler(r.log, nil))
	st, err := store.Open(r.dir, store.Options{PollInterval: -1, Logger: logger})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	r.store = st
	c, err := NewClient(context.Background(), loc)
	if err != nil {
		t.Fatal(err)
	}
	r.syncer = NewSyncer(c, r.dir, logger, func() { st.Refresh() })
	r.http = httptest.NewServer(server.New(server.Config{Catalog: st, Logger: logger}))
	t.Cleanup(r.http.Close)
	return r
}

// tile fetches z/x/y of id over HTTP and returns the status and the body.
func (r *replica) tile(id string, z, x, y int) (int, string, error) {
	resp, err := http.Get(fmt.Sprintf("%s/tiles/%s/%d/%d/%d.mvt", r.http.URL, id, z, x, y))
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), err
}

func publish(t *testing.T, loc Location, dir, id string) *Manifest {
	t.Helper()
	c, err := NewClient(context.Background(), loc)
	if err != nil {
		t.Fatal(err)
	}
	m, err := c.Publish(context.Background(), dir, id)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestPublishedVersionIsServedByAReplica(t *testing.T) {
	bucket := s3Env(t)
	loc := Location{Bucket: bucket, Prefix: "surveys/v1"}
	src := t.TempDir()
	v1 := storetest.WriteVersion(t, src, "geology", "first")
	m := publish(t, loc, src, "geology")
	if m.Version != v1 || m.Object != v1+".tileset" {
		t.Fatalf("manifest names version %s object %s, want %s", m.Version, m.Object, v1)
	}
	fi, _ := os.Stat(filepath.Join(src, "geology.tileset"))
	if m.Size != fi.Size() {
		t.Errorf("manifest size %d, file %d", m.Size, fi.Size())
	}
	// The layout other tools read: the version object and the manifest.
	raw := rawClient(t)
	raw.loc = loc
	body, _, err := raw.get(context.Background(), "surveys/v1/geology/manifest.json", "")
	if err != nil {
		t.Fatal(err)
	}
	js, _ := io.ReadAll(body)
	body.Close()
	if !strings.Contains(string(js), `"sha256": "`+m.SHA256+`"`) {
		t.Errorf("manifest.json lacks the checksum: %s", js)
	}

	r := newReplica(t, loc)
	if n := r.syncer.Once(context.Background()); n != 1 {
		t.Fatalf("first pass put %d versions in place, want 1; log:\n%s", n, r.log)
	}
	status, got, err := r.tile("geology", 2, 1, 3)
	if err != nil || status != 200 || got != storetest.TileBody("first", 2, 1, 3) {
		t.Fatalf("tile 2/1/3: %d %q %v, want 200 %q; log:\n%s", status, got, err, storetest.TileBody("first", 2, 1, 3), r.log)
	}
	// Nothing new: a second pass downloads nothing.
	if n := r.syncer.Once(context.Background()); n != 0 {
		t.Errorf("second pass put %d versions in place, want 0", n)
	}
	// A replica restarted on the same store finds its version current.
	again := NewSyncer(r.syncer.client, r.dir, slog.New(slog.NewTextHandler(io.Discard, nil)), nil)
	if n := again.Once(context.Background()); n != 0 {
		t.Errorf("a restarted replica downloaded %d versions it holds", n)
	}
}

// TestNewVersionSwapsInWithoutAFailedRequest hammers a replica with tile
// requests while new versions are published: every request must succeed
// with one version's tile, and the replica serve the newest within its
// sync interval.
func TestNewVersionSwapsInWithoutAFailedRequest(t *testing.T) {
	bucket := s3Env(t)
	loc := Location{Bucket: bucket, Prefix: "p"}
	src := t.TempDir()
	storetest.WriteVersion(t, src, "geology", "v0")
	publish(t, loc, src, "geology")
	r := newReplica(t, loc)
	r.syncer.Once(context.Background())

	const interval = 200 * time.Millisecond
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go r.syncer.Run(ctx, interval)

	var requests, failures atomic.Int64
	var failMu sync.Mutex
	var firstFailure string
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				z := (i + w) % (storetest.MaxZoom + 1)
				x, y := i%(1<<z), (i/3)%(1<<z)
				status, body, err := r.tile("geology", z, x, y)
				requests.Add(1)
				label, _, _ := strings.Cut(body, " ")
				if err != nil || status != 200 || body != storetest.TileBody(label, z, x, y) || !strings.HasPrefix(label, "v") {
					failures.Add(1)
					failMu.Lock()
					if firstFailure == "" {
						firstFailure = fmt.Sprintf("%d/%d/%d: %d %q %v", z, x, y, status, body, err)
					}
					failMu.Unlock()
				}
			}
		})
	}
	for i := 1; i <= 3; i++ {
		label := fmt.Sprintf("v%d", i)
		storetest.WriteVersion(t, src, "geology", label)
		published := time.Now()
		publish(t, loc, src, "geology")
		// Within the interval, plus the download and check of a small file.
		deadline := published.Add(interval + 5*time.Second)
		for {
			_, body, _ := r.tile("geology", 0, 0, 0)
			if body == storetest.TileBody(label, 0, 0, 0) {
				t.Logf("%s served %v after its publish", label, time.Since(published).Round(time.Millisecond))
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s not served %v after its publish (serving %q); log:\n%s", label, time.Since(published), body, r.log)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	close(stop)
	wg.Wait()
	if failures.Load() > 0 {
		t.Fatalf("%d of %d requests failed during the swaps, the first: %s", failures.Load(), requests.Load(), firstFailure)
	}
	t.Logf("%d tile requests during three swaps, none failed", requests.Load())
	if requests.Load() < 50 {
		t.Errorf("only %d requests made: the hammer did not run", requests.Load())
	}
}

// TestDamagedObjectIsRefusedAndTheOldVersionKept replaces a published
// version's object by a corrupted copy, then by a truncated one: each is
// refused with one error line naming the key and the reason, is not
// downloaded again at the next pass, and the replica keeps serving the
// version it had.
func TestDamagedObjectIsRefusedAndTheOldVersionKept(t *testing.T) {
	bucket := s3Env(t)
	loc := Location{Bucket: bucket}
	src := t.TempDir()
	storetest.WriteVersion(t, src, "geology", "good")
	publish(t, loc, src, "geology")
	r := newReplica(t, loc)
	if n := r.syncer.Once(context.Background()); n != 1 {
		t.Fatalf("first pass put %d versions in place; log:\n%s", n, r.log)
	}
	raw := rawClient(t)
	raw.loc = loc
	for _, damage := range []struct {
		name, reason string
		spoil        func([]byte) []byte
	}{
		{"flipped bytes", "corrupted: its SHA-256 is", func(b []byte) []byte {
			b = bytes.Clone(b)
			for i := len(b) / 2; i < len(b)/2+16; i++ {
				b[i] ^= 0xff
			}
			return b
		}},
		{"truncated", "truncated: it holds", func(b []byte) []byte { return b[:len(b)/3] }},
	} {
		t.Run(damage.name, func(t *testing.T) {
			storetest.WriteVersion(t, src, "geology", "bad")
			m := publish(t, loc, src, "geology")
			good, err := os.ReadFile(filepath.Join(src, "geology.tileset"))
			if err != nil {
				t.Fatal(err)
			}
			spoilt := damage.spoil(good)
			key := loc.key("geology", m.Object)
			if err := raw.put(context.Background(), key, bytes.NewReader(spoilt), int64(len(spoilt)), "application/octet-stream"); err != nil {
				t.Fatal(err)
			}
			before := strings.Count(r.log.String(), "level=ERROR")
			for range 3 {
				if n := r.syncer.Once(context.Background()); n != 0 {
					t.Fatalf("a %s object was put in place", damage.name)
				}
			}
			lines := strings.Split(strings.TrimSpace(r.log.String()), "\n")
			var refusals []string
			for _, l := range lines {
				if strings.Contains(l, "level=ERROR") {
					refusals = append(refusals, l)
				}
			}
			if len(refusals)-before != 1 {
				t.Fatalf("%d error lines for a %s object over three passes, want 1 (not retried); log:\n%s", len(refusals)-before, damage.name, r.log)
			}
			line := refusals[len(refusals)-1]
			for _, want := range []string{"refused", "key=s3://" + bucket + "/" + key, damage.reason, "keeping the current one"} {
				if !strings.Contains(line, want) {
					t.Errorf("refusal %q lacks %q", line, want)
				}
			}
			if status, body, _ := r.tile("geology", 1, 1, 0); status != 200 || body != storetest.TileBody("good", 1, 1, 0) {
				t.Errorf("after the refusal tile 1/1/0 is %d %q, want the good version's", status, body)
			}
			if left, _ := filepath.Glob(filepath.Join(r.dir, ".*")); len(left) > 0 {
				t.Errorf("the refused download was left in the store: %v", left)
			}
		})
	}
	// A sound version published after the refusals is taken.
	storetest.WriteVersion(t, src, "geology", "fixed")
	publish(t, loc, src, "geology")
	if n := r.syncer.Once(context.Background()); n != 1 {
		t.Fatalf("the sound version published after the refusals was not taken; log:\n%s", r.log)
	}
	if _, body, _ := r.tile("geology", 1, 1, 0); body != storetest.TileBody("fixed", 1, 1, 0) {
		t.Errorf("tile 1/1/0 is %q, want the fixed version's", body)
	}
}

// TestObjectThatIsNotATilesetIsRefused publishes, by hand, a manifest whose
// size and checksum match an object that is not a tileset.
func TestObjectThatIsNotATilesetIsRefused(t *testing.T) {
	bucket := s3Env(t)
	loc := Location{Bucket: bucket}
	raw := rawClient(t)
	raw.loc = loc
	junk := bytes.Repeat([]byte("not a tileset "), 1000)
	m := fmt.Sprintf(`{"id":"geology","version":"20260101T000000Z-1","object":"20260101T000000Z-1.tileset","size":%d,"sha256":"%x"}`, len(junk), sha256Sum(junk))
	ctx := context.Background()
	if err := raw.put(ctx, "geology/20260101T000000Z-1.tileset", bytes.NewReader(junk), int64(len(junk)), ""); err != nil {
		t.Fatal(err)
	}
	if err := raw.put(ctx, "geology/manifest.json", strings.NewReader(m), int64(len(m)), "application/json"); err != nil {
		t.Fatal(err)
	}
	r := newReplica(t, loc)
	if n := r.syncer.Once(ctx); n != 0 {
		t.Fatal("a file that is not a tileset was put in place")
	}
	if !strings.Contains(r.log.String(), "not a readable tileset") {
		t.Errorf("no refusal naming the reason; log:\n%s", r.log)
	}
	if _, err := os.Stat(filepath.Join(r.dir, "geology"+tileset.Ext)); err == nil {
		t.Error("geology.tileset was created")
	}
}

func TestCredentialsComeFromTheEnvironment(t *testing.T) {
	bucket := s3Env(t)
	loc := Location{Bucket: bucket}
	src := t.TempDir()
	storetest.WriteVersion(t, src, "geology", "first")

	t.Setenv("AWS_SECRET_ACCESS_KEY", "wrong")
	c, err := NewClient(context.Background(), loc)
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Publish(context.Background(), src, "geology")
	if err == nil || !strings.Contains(err.Error(), "AWS_SECRET_ACCESS_KEY") {
		t.Fatalf("publish with a wrong secret: %v, want an error naming AWS_SECRET_ACCESS_KEY", err)
	}

	// The shared credentials file, as the AWS tools write it.
	t.Setenv("AWS_ACCESS_KEY_ID", "")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "")
	creds := "[default]\naws_access_key_id = " + accessKey + "\naws_secret_access_key = " + secretKey + "\n"
	if err := os.WriteFile(os.Getenv("AWS_SHARED_CREDENTIALS_FILE"), []byte(creds), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err = NewClient(context.Background(), loc)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Publish(context.Background(), src, "geology"); err != nil {
		t.Fatalf("publish with ~/.aws/credentials: %v", err)
	}
}
