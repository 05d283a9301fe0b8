// Package s3test runs a real S3-compatible server on loopback for tests
// that span processes: SeaweedFS's `weed mini` (master, volume, filer and
// S3 gateway in one process), built once by objstore/testdata/weed.sh into
// ~/.cache/outcrop, or the binary named by OUTCROP_TEST_WEED.
package s3test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// WeedEnv names the environment variable that may give weed's path.
const WeedEnv = "OUTCROP_TEST_WEED"

// The one identity the server accepts.
const (
	AccessKey = "outcrop-test"
	SecretKey = "outcrop-test-secret"
)

// Server is a running weed mini.
type Server struct {
	// Endpoint is the S3 gateway's URL, http://127.0.0.1:PORT.
	Endpoint string
	cmd      *exec.Cmd
	dir      string
}

// Start builds weed if need be (several minutes, once), starts it with its
// data in a new temporary directory, and returns once the S3 gateway
// answers. Stop ends it.
func Start() (*Server, error) {
	bin := os.Getenv(WeedEnv)
	if bin == "" {
		_, self, _, _ := runtime.Caller(0)
		script := filepath.Join(filepath.Dir(self), "..", "..", "objstore", "testdata", "weed.sh")
		out, err := exec.Command(script).Output()
		if err != nil {
			return nil, fmt.Errorf("no S3 server to test against: set %s to SeaweedFS's weed binary, or let objstore/testdata/weed.sh build it (make deps-test): %v", WeedEnv, err)
		}
		bin = strings.TrimSpace(string(out))
	}
	dir, err := os.MkdirTemp("", "outcrop-weed-")
	if err != nil {
		return nil, err
	}
	s := &Server{dir: dir}
	if err := s.start(bin); err != nil {
		s.Stop()
		return nil, err
	}
	return s, nil
}

func (s *Server) start(bin string) error {
	config := `{"identities":[{"name":"outcrop","credentials":[{"accessKey":"` + AccessKey + `","secretKey":"` + SecretKey + `"}],"actions":["Admin","Read","Write","List","Tagging"]}]}`
	if err := os.WriteFile(filepath.Join(s.dir, "s3.json"), []byte(config), 0o600); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Join(s.dir, "data"), 0o755); err != nil {
		return err
	}
	ports, err := freePorts(11)
	if err != nil {
		return err
	}
	args := []string{"mini", "-dir=" + filepath.Join(s.dir, "data"), "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
		"-s3.config=" + filepath.Join(s.dir, "s3.json"),
		"-master.port=" + ports[1], "-master.port.grpc=" + ports[2],
		"-volume.port=" + ports[3], "-volume.port.grpc=" + ports[4],
		"-filer.port=" + ports[5], "-filer.port.grpc=" + ports[6],
		"-s3.port=" + ports[0], "-s3.port.grpc=" + ports[7], "-s3.port.iceberg=0", "-s3.port.lance=0",
		"-webdav=false", "-admin.ui=false", "-master.telemetry=false", "-debug.port=" + ports[8],
		"-admin.port=" + ports[9], "-admin.port.grpc=" + ports[10], "-admin.port.legacy=0",
	}
	logPath := filepath.Join(s.dir, "weed.log")
	log, err := os.Create(logPath)
	if err != nil {
		return err
	}
	defer log.Close()
	s.cmd = exec.Command(bin, args...)
	s.cmd.Stdout, s.cmd.Stderr = log, log
	if err := s.cmd.Start(); err != nil {
		s.cmd = nil
		return fmt.Errorf("cannot start %s: %v", bin, err)
	}
	s.Endpoint = "http://127.0.0.1:" + ports[0]
	// The gateway answers once master, volume and filer are up.
	for deadline := time.Now().Add(90 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		if resp, err := http.Get(s.Endpoint + "/status"); err == nil {
			resp.Body.Close()
			if resp.StatusCode < 500 {
				return nil
			}
		}
	}
	b, _ := os.ReadFile(logPath)
	if len(b) > 3000 {
		b = b[len(b)-3000:]
	}
	return fmt.Errorf("%s mini did not answer on %s within 90s; its log:\n%s", bin, s.Endpoint, b)
}

// Env is the environment that points the AWS tools, and so outcrop publish
// and serve --sync, at the server with its credentials, isolated from the
// user's ~/.aws (home is a directory for the unused configuration files).
func (s *Server) Env(home string) []string {
	return []string{
		"AWS_CONFIG_FILE=" + filepath.Join(home, "config"),
		"AWS_SHARED_CREDENTIALS_FILE=" + filepath.Join(home, "credentials"),
		"AWS_PROFILE=",
		"AWS_ENDPOINT_URL=",
		"AWS_ENDPOINT_URL_S3=" + s.Endpoint,
		"AWS_REGION=",
		"AWS_EC2_METADATA_DISABLED=true",
		"AWS_ACCESS_KEY_ID=" + AccessKey,
		"AWS_SECRET_ACCESS_KEY=" + SecretKey,
	}
}

// CreateBucket creates bucket, retrying for up to 30 s while the gateway's
// filer gets ready for a first bucket.
func (s *Server) CreateBucket(ctx context.Context, bucket string) error {
	c := s3.New(s3.Options{
		BaseEndpoint: aws.String(s.Endpoint),
		UsePathStyle: true,
		Region:       "us-east-1",
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: AccessKey, SecretAccessKey: SecretKey}, nil
		}),
	})
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(250 * time.Millisecond) {
		_, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(bucket)})
		if err == nil {
			return nil
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			return fmt.Errorf("create bucket %s on %s: %v", bucket, s.Endpoint, err)
		}
	}
}

// Pid is the server's process id.
func (s *Server) Pid() int { return s.cmd.Process.Pid }

// Stop ends the server and removes its data.
func (s *Server) Stop() {
	if s.cmd != nil {
		s.cmd.Process.Kill()
		s.cmd.Wait()
	}
	os.RemoveAll(s.dir)
}

// freePorts returns n distinct ports free on loopback now.
func freePorts(n int) ([]string, error) {
	var ports []string
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		defer l.Close()
		ports = append(ports, strconv.Itoa(l.Addr().(*net.TCPAddr).Port))
	}
	return ports, nil
}
