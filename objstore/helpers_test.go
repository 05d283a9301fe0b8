package objstore

import (
	"context"
	"crypto/sha256"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// The tests run against SeaweedFS's S3 gateway (weed mini) on loopback:
// OUTCROP_TEST_WEED names its binary, or testdata/weed.sh builds it once
// into ~/.cache/outcrop (make deps-test does so too).
const (
	weedEnv   = "OUTCROP_TEST_WEED"
	accessKey = "outcrop-test"
	secretKey = "outcrop-test-secret"
)

var s3srv struct {
	once     sync.Once
	endpoint string
	err      error
	cmd      *exec.Cmd
	dir      string
}

func TestMain(m *testing.M) {
	code := m.Run()
	if s3srv.cmd != nil {
		s3srv.cmd.Process.Kill()
		s3srv.cmd.Wait()
		os.RemoveAll(s3srv.dir)
	}
	os.Exit(code)
}

// s3Env starts the S3 server once, and points the AWS environment of test
// t at it, with a bucket of its own, isolated from the user's ~/.aws.
func s3Env(t *testing.T) (bucket string) {
	t.Helper()
	s3srv.once.Do(startWeed)
	if s3srv.err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal(s3srv.err)
		}
		t.Skip(s3srv.err)
	}
	home := t.TempDir()
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(home, "config"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(home, "credentials"))
	t.Setenv("AWS_PROFILE", "")
	t.Setenv("AWS_ENDPOINT_URL", "")
	t.Setenv("AWS_ENDPOINT_URL_S3", s3srv.endpoint)
	t.Setenv("AWS_REGION", "")
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	t.Setenv("AWS_ACCESS_KEY_ID", accessKey)
	t.Setenv("AWS_SECRET_ACCESS_KEY", secretKey)
	bucket = strings.ToLower(strings.NewReplacer("/", "-", "_", "-").Replace(t.Name()))
	c := rawClient(t)
	// The gateway may answer before its filer is ready for a first bucket.
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(250 * time.Millisecond) {
		_, err := c.s3.CreateBucket(context.Background(), &s3.CreateBucketInput{Bucket: aws.String(bucket)})
		if err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("create bucket %s: %v", bucket, err)
		}
	}
	return bucket
}

// rawClient is a Client of the environment's configuration, for the tests
// to put and read objects directly.
func rawClient(t *testing.T) *Client {
	t.Helper()
	c, err := NewClient(context.Background(), Location{Bucket: "unused"})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func startWeed() {
	bin := os.Getenv(weedEnv)
	if bin == "" {
		out, err := exec.Command("testdata/weed.sh").Output()
		if err != nil {
			s3srv.err = fmt.Errorf("no S3 server to test against: set %s to SeaweedFS's weed binary, or let testdata/weed.sh build it (make deps-test): %v", weedEnv, err)
			return
		}
		bin = strings.TrimSpace(string(out))
	}
	dir, err := os.MkdirTemp("", "outcrop-weed-")
	if err != nil {
		s3srv.err = err
		return
	}
	s3srv.dir = dir
	config := `{"identities":[{"name":"outcrop","credentials":[{"accessKey":"` + accessKey + `","secretKey":"` + secretKey + `"}],"actions":["Admin","Read","Write","List","Tagging"]}]}`
	if err := os.WriteFile(filepath.Join(dir, "s3.json"), []byte(config), 0o600); err != nil {
		s3srv.err = err
		return
	}
	ports := freePorts(11)
	s3Port := ports[0]
	args := []string{"mini", "-dir=" + filepath.Join(dir, "data"), "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
		"-s3.config=" + filepath.Join(dir, "s3.json"),
		"-master.port=" + ports[1], "-master.port.grpc=" + ports[2],
		"-volume.port=" + ports[3], "-volume.port.grpc=" + ports[4],
		"-filer.port=" + ports[5], "-filer.port.grpc=" + ports[6],
		"-s3.port=" + s3Port, "-s3.port.grpc=" + ports[7], "-s3.port.iceberg=0", "-s3.port.lance=0",
		"-webdav=false", "-admin.ui=false", "-master.telemetry=false", "-debug.port=" + ports[8],
		"-admin.port=" + ports[9], "-admin.port.grpc=" + ports[10], "-admin.port.legacy=0",
	}
	os.MkdirAll(filepath.Join(dir, "data"), 0o755)
	log, err := os.Create(filepath.Join(dir, "weed.log"))
	if err != nil {
		s3srv.err = err
		return
	}
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		s3srv.err = fmt.Errorf("cannot start %s: %v", bin, err)
		return
	}
	s3srv.cmd = cmd
	s3srv.endpoint = "http://127.0.0.1:" + s3Port
	// The gateway answers once master, volume and filer are up.
	deadline := time.Now().Add(90 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get(s3srv.endpoint + "/status")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode < 500 {
				return
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	b, _ := os.ReadFile(filepath.Join(dir, "weed.log"))
	s3srv.err = fmt.Errorf("%s mini did not answer on %s within 90s; its log:\n%s", bin, s3srv.endpoint, tail(string(b), 3000))
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}

// freePorts returns n distinct ports free on loopback now.
func freePorts(n int) []string {
	var ls []net.Listener
	var ports []string
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			panic(err)
		}
		ls = append(ls, l)
		ports = append(ports, strconv.Itoa(l.Addr().(*net.TCPAddr).Port))
	}
	for _, l := range ls {
		l.Close()
	}
	return ports
}

func sha256Sum(b []byte) [32]byte { return sha256.Sum256(b) }
