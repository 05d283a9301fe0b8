package main

import (
	"path/filepath"
	"testing"
)

// TestPublishMistakes checks each mistake in publish's and serve --sync's
// command lines is one line naming the flag or argument, before any
// object storage is reached.
func TestPublishMistakes(t *testing.T) {
	store := exportStore(t)
	missing := filepath.Join(store, "no-such-store")
	for _, c := range []struct {
		args []string
		code int
		want []string
	}{
		{[]string{"publish", "--store", store, "--id", "fixture"}, 2, []string{"no location", "s3://BUCKET/PREFIX"}},
		{[]string{"publish", "--id", "fixture", "s3://b/p"}, 2, []string{"--store"}},
		{[]string{"publish", "--store", store, "s3://b/p"}, 2, []string{"--id"}},
		{[]string{"publish", "--store", store, "--id", "Bad.Id", "s3://b/p"}, 2, []string{"--id", `"Bad.Id"`}},
		{[]string{"publish", "--store", store, "--id", "fixture", "/srv/tiles"}, 2, []string{`"/srv/tiles"`, "s3://BUCKET/PREFIX"}},
		{[]string{"publish", "--store", store, "--id", "fixture", "s3://b/p", "s3://c/q"}, 2, []string{`"s3://c/q"`}},
		{[]string{"publish", "--store", missing, "--id", "fixture", "s3://b/p"}, 1, []string{missing, "--store"}},
		{[]string{"publish", "--store", store, "--id", "fixture", "--part-size", "4", "s3://b/p"}, 2, []string{"--part-size 4", "5 and 5120 MiB"}},
		{[]string{"publish", "--store", store, "--id", "fixture", "--part-size", "6000", "s3://b/p"}, 2, []string{"--part-size 6000"}},
		{[]string{"publish", "--delete", "--store", store, "--id", "fixture", "s3://b/p"}, 2, []string{"--delete", "--store"}},
		{[]string{"publish", "--delete", "s3://b/p"}, 2, []string{"--id"}},
		{[]string{"serve", "--store", store, "--sync", "tiles/outcrop"}, 2, []string{"--sync", `"tiles/outcrop"`, "s3://BUCKET/PREFIX"}},
		{[]string{"serve", "--store", store, "--sync", "s3://b/p", "--sync-interval", "0s"}, 2, []string{"--sync-interval", "positive"}},
	} {
		code, stdout, stderr := runCLI(c.args...)
		if code != c.code {
			t.Errorf("outcrop %q: exit status %d, want %d: %s", c.args, code, c.code, stderr)
		}
		if stdout != "" {
			t.Errorf("outcrop %q: printed %q", c.args, stdout)
		}
		oneLine(t, stderr, append([]string{"outcrop " + c.args[0] + ": "}, c.want...)...)
	}
}
