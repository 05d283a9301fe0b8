package main

import (
	"log/slog"
	"net"
	"path/filepath"
	"testing"
)

func TestDisplayURL(t *testing.T) {
	for _, c := range []struct{ listening, requested, want string }{
		{"[::]:8080", ":8080", "http://localhost:8080"},
		{"0.0.0.0:8080", "0.0.0.0:8080", "http://localhost:8080"},
		{"127.0.0.1:41234", "127.0.0.1:0", "http://127.0.0.1:41234"},
		{"127.0.0.1:8080", "localhost:8080", "http://localhost:8080"},
		{"192.0.2.7:80", "192.0.2.7:80", "http://192.0.2.7:80"},
		{"[::1]:9000", "[::1]:9000", "http://[::1]:9000"},
	} {
		if got := displayURL(c.listening, c.requested); got != c.want {
			t.Errorf("displayURL(%q, %q) = %q, want %q", c.listening, c.requested, got, c.want)
		}
	}
}

// Mistakes that serve must report before it listens: each one line naming
// the flag or directory, with status 2 for the command line and 1 otherwise.
func TestServeRefusesBadInvocations(t *testing.T) {
	store := t.TempDir()
	missing := filepath.Join(store, "no-such-store")
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	for _, c := range []struct {
		args []string
		code int
		want []string
	}{
		{[]string{"serve"}, 2, []string{"--store"}},
		{[]string{"serve", "--store", store, "extra"}, 2, []string{`"extra"`}},
		{[]string{"serve", "--store", store, "--log-level", "loud"}, 2, []string{"--log-level", "loud"}},
		{[]string{"serve", "--store", store, "--max-overzoom", "31"}, 2, []string{"--max-overzoom", "31"}},
		{[]string{"serve", "--store", store, "--keep-replaced", "-1s"}, 2, []string{"--keep-replaced -1s", "0 keeps none"}},
		{[]string{"serve", "--store", store, "--keep-versions", "0"}, 2, []string{"--keep-versions 0", "at least 1"}},
		{[]string{"serve", "--store", missing}, 1, []string{missing}},
		{[]string{"serve", "--store", store, "--basemap", "Bad.Id"}, 2, []string{"--basemap", `"Bad.Id"`, "none"}},
		{[]string{"serve", "--store", store, "--basemap-style", "tiles.example.org/style.json"}, 2, []string{"--basemap-style", "http"}},
		{[]string{"serve", "--store", store, "--basemap", "basemap", "--basemap-style", "https://tiles.example.org/style.json"}, 2, []string{"--basemap and --basemap-style"}},
		{[]string{"serve", "--store", store, "--addr", busy.Addr().String()}, 1, []string{"--addr", busy.Addr().String(), "already in use"}},
		// Each address mistake named for what it is; "choose a free port"
		// was the answer to all of them.
		{[]string{"serve", "--store", store, "--addr", "no-port"}, 2, []string{"--addr", "no-port", "not a valid address", "missing port"}},
		{[]string{"serve", "--store", store, "--addr", "127.0.0.1:99999"}, 2, []string{"--addr", "invalid port"}},
		{[]string{"serve", "--store", store, "--addr", "999.1.1.1:80"}, 2, []string{"--addr", "999.1.1.1 is not a valid IP address"}},
		{[]string{"serve", "--store", store, "--addr", "192.0.2.7:8080"}, 1, []string{"--addr", "cannot be assigned", "192.0.2.7"}},
		{[]string{"serve", "--store", store, "--fonts", missing}, 1, []string{"--fonts", missing}},
		{[]string{"serve", "--store", store, "--fonts", store}, 2, []string{"--fonts", store, "holds no .ttf, .otf or .ttc font"}},
	} {
		code, stdout, stderr := runCLI(c.args...)
		if code != c.code {
			t.Errorf("outcrop %q: exit status %d, want %d", c.args, code, c.code)
		}
		if stdout != "" {
			t.Errorf("outcrop %q: printed %q, as if it were serving", c.args, stdout)
		}
		oneLine(t, stderr, append([]string{"outcrop serve: "}, c.want...)...)
	}
}

// TestFontsNone: --fonts none opens no fonts, and is no error.
func TestFontsNone(t *testing.T) {
	l, err := openFonts("none", slog.New(slog.DiscardHandler))
	if l != nil || err != nil {
		t.Fatalf("openFonts(none) = %v, %v; want no library and no error", l, err)
	}
}
