package objstore

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/feature/s3/manager"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go/middleware"
)

// Client reads and writes the tilesets kept under one Location.
type Client struct {
	s3  *s3.Client
	loc Location
	// PartSize is the size of the parts a version object is uploaded in,
	// at least MinPartSize; 0 chooses it for the file (see PartSizeFor).
	PartSize int64
}

// defaultRegion is used when no region is configured: S3-compatible
// servers accept any region, and AWS answers for us-east-1.
const defaultRegion = "us-east-1"

// NewClient returns a client for loc configured as the AWS tools are: the
// endpoint from AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL (or endpoint_url in
// ~/.aws/config), the region from AWS_REGION (default us-east-1), and the
// credentials from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY,
// ~/.aws/credentials (AWS_PROFILE), or the instance's role. A custom
// endpoint is addressed path-style (http://HOST/BUCKET/KEY), as
// S3-compatible servers expect.
func NewClient(ctx context.Context, loc Location) (*Client, error) {
	return newClient(ctx, loc, nil)
}

// newClient is NewClient with more S3 client options, for tests.
func newClient(ctx context.Context, loc Location, opts func(*s3.Options)) (*Client, error) {
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		return nil, fmt.Errorf("cannot load the object storage configuration (AWS_* variables, ~/.aws/config, ~/.aws/credentials): %v", err)
	}
	c := s3.NewFromConfig(cfg, func(o *s3.Options) {
		if o.BaseEndpoint != nil {
			o.UsePathStyle = true
		}
		// A multipart object has no whole-object checksum to validate on
		// download; the manifest's SHA-256 is checked instead.
		o.DisableLogOutputChecksumValidationSkipped = true
		if o.Region == "" {
			o.Region = defaultRegion
		}
		if opts != nil {
			opts(o)
		}
	})
	return &Client{s3: c, loc: loc}, nil
}

// Location returns the location the client reads and writes.
func (c *Client) Location() Location { return c.loc }

// put writes body, of size bytes, to key.
func (c *Client) put(ctx context.Context, key string, body io.ReadSeeker, size int64, contentType string, opts ...func(*s3.Options)) error {
	_, err := c.s3.PutObject(ctx, &s3.PutObjectInput{
		Bucket:        aws.String(c.loc.Bucket),
		Key:           aws.String(key),
		Body:          body,
		ContentLength: aws.Int64(size),
		ContentType:   aws.String(contentType),
	}, opts...)
	if err != nil {
		return fmt.Errorf("cannot write %s: %w", c.loc.url(key), explain(err))
	}
	return nil
}

// unsignedPayload has a request signed without hashing its body
// (X-Amz-Content-Sha256: UNSIGNED-PAYLOAD), as the SDK already does over
// HTTPS, so that a version object is not read once more for its SHA-256
// over plain HTTP. The SDK still sends each PUT or part with its CRC32,
// which the storage checks, and the manifest's SHA-256, which every
// replica checks, covers the whole object.
func unsignedPayload(o *s3.Options) {
	o.APIOptions = append(o.APIOptions, func(st *middleware.Stack) error {
		// First in the finalize step, before the checksum middleware,
		// which would otherwise hash the body for the signature.
		return st.Finalize.Add(middleware.FinalizeMiddlewareFunc("OutcropUnsignedPayload",
			func(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (middleware.FinalizeOutput, middleware.Metadata, error) {
				return next.HandleFinalize(v4.SetPayloadHash(ctx, "UNSIGNED-PAYLOAD"), in)
			}), middleware.Before)
	})
}

// Multipart upload limits, as S3 sets them.
const (
	// MinPartSize is the smallest part of a multipart upload (but the last).
	MinPartSize = manager.MinUploadPartSize
	// MaxPartSize is the largest part, and the largest object written in
	// one PUT.
	MaxPartSize = 5 << 30
	// maxParts is the most parts an upload may have.
	maxParts = manager.MaxUploadParts
)

// PartSizeFor returns the part size of an object of size bytes: 16 MiB, or
// more for an object of over 5,000 such parts, so that parts are few
// enough to track and the largest object S3 holds (5 TiB) still fits.
// An object no larger than one part is written with one PUT.
func PartSizeFor(size int64) int64 {
	const base, mib = 16 << 20, 1 << 20
	ps := int64(base)
	if per := (size + 4999) / 5000; per > ps {
		ps = (per + mib - 1) / mib * mib
	}
	return min(ps, MaxPartSize)
}

// upload writes the size bytes of f to key: one PUT if they fit in one
// part, a multipart upload of parts uploaded in parallel otherwise. A
// multipart upload that fails, or whose ctx is cancelled, is aborted, so
// that no object and no stored part is left behind.
func (c *Client) upload(ctx context.Context, key string, f *os.File, size int64, contentType string) error {
	ps := c.PartSize
	if ps == 0 {
		ps = PartSizeFor(size)
	}
	if ps < MinPartSize || ps > MaxPartSize {
		return fmt.Errorf("part size %d is not between %d (5 MiB) and %d (5 GiB) bytes", ps, MinPartSize, int64(MaxPartSize))
	}
	if (size+ps-1)/ps > int64(maxParts) {
		return fmt.Errorf("%d bytes in parts of %d make more than %d parts; give a larger part size", size, ps, maxParts)
	}
	if size <= ps {
		return c.put(ctx, key, f, size, contentType, unsignedPayload)
	}
	u := manager.NewUploader(c.s3, func(u *manager.Uploader) {
		u.PartSize = ps
		u.ClientOptions = append(u.ClientOptions, unsignedPayload)
	})
	_, err := u.Upload(ctx, &s3.PutObjectInput{
		Bucket:        aws.String(c.loc.Bucket),
		Key:           aws.String(key),
		Body:          io.NewSectionReader(f, 0, size),
		ContentLength: aws.Int64(size),
		ContentType:   aws.String(contentType),
	})
	if err == nil {
		return nil
	}
	// The uploader aborts a failed upload with ctx, which does not reach
	// the storage once cancelled (an interrupted publish): abort it again
	// on a context of its own. Aborting an aborted upload is harmless.
	var mf manager.MultiUploadFailure
	if errors.As(err, &mf) && mf.UploadID() != "" {
		actx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		defer cancel()
		_, aerr := c.s3.AbortMultipartUpload(actx, &s3.AbortMultipartUploadInput{
			Bucket: aws.String(c.loc.Bucket), Key: aws.String(key), UploadId: aws.String(mf.UploadID()),
		})
		var nsu *types.NoSuchUpload
		if aerr != nil && !errors.As(aerr, &nsu) && status(aerr) != 404 {
			return fmt.Errorf("cannot write %s: %w; and its multipart upload %s could not be aborted (%v): its parts are billed until a lifecycle rule on incomplete uploads removes them", c.loc.url(key), explain(err), mf.UploadID(), aerr)
		}
	}
	return fmt.Errorf("cannot write %s: %w", c.loc.url(key), explain(err))
}

// get opens key; if etag is not empty and the object still has it, it
// returns errNotModified.
func (c *Client) get(ctx context.Context, key, etag string) (body io.ReadCloser, newETag string, err error) {
	in := &s3.GetObjectInput{Bucket: aws.String(c.loc.Bucket), Key: aws.String(key)}
	if etag != "" {
		in.IfNoneMatch = aws.String(etag)
	}
	out, err := c.s3.GetObject(ctx, in)
	if err != nil {
		if status(err) == 304 {
			return nil, etag, errNotModified
		}
		if isNotFound(err) {
			return nil, "", fmt.Errorf("%s: %w", c.loc.url(key), errNotFound)
		}
		return nil, "", fmt.Errorf("cannot read %s: %w", c.loc.url(key), explain(err))
	}
	return out.Body, aws.ToString(out.ETag), nil
}

// ids lists the tileset folders under the location.
func (c *Client) ids(ctx context.Context) ([]string, error) {
	root := c.loc.root()
	p := s3.NewListObjectsV2Paginator(c.s3, &s3.ListObjectsV2Input{
		Bucket:    aws.String(c.loc.Bucket),
		Prefix:    aws.String(root),
		Delimiter: aws.String("/"),
	})
	var ids []string
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("cannot list %s: %w", c.loc, explain(err))
		}
		for _, cp := range page.CommonPrefixes {
			k := aws.ToString(cp.Prefix)
			ids = append(ids, k[len(root):len(k)-1])
		}
	}
	return ids, nil
}

var (
	errNotModified = errors.New("not modified")
	errNotFound    = errors.New("no such object")
)

// status returns the HTTP status of a failed request, or 0.
func status(err error) int {
	var re interface{ HTTPStatusCode() int }
	if errors.As(err, &re) {
		return re.HTTPStatusCode()
	}
	return 0
}

func isNotFound(err error) bool {
	var nsk *types.NoSuchKey
	return errors.As(err, &nsk) || status(err) == 404
}

// explain adds the fix to the errors a configuration mistake causes.
func explain(err error) error {
	var nsb *types.NoSuchBucket
	switch s := status(err); {
	case errors.As(err, &nsb):
		return fmt.Errorf("%w; create the bucket, or check the bucket name", err)
	case s == 403:
		return fmt.Errorf("%w; check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or ~/.aws/credentials) and the key's permissions on the bucket", err)
	case s == 0 && errors.Is(err, context.Canceled):
		return err
	case s == 0 && strings.Contains(err.Error(), "credentials"):
		return fmt.Errorf("%w; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or write them to ~/.aws/credentials", err)
	case s == 0:
		return fmt.Errorf("%w; check AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL, and that the object storage is reachable", err)
	}
	return err
}
