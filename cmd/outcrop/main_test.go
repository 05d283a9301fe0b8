package main

import (
	"bytes"
	"strings"
	"testing"
)

// runCLI runs the command line in-process and returns its exit status and
// output.
func runCLI(args ...string) (code int, stdout, stderr string) {
	var out, errOut bytes.Buffer
	code = run(args, &out, &errOut)
	return code, out.String(), errOut.String()
}

// oneLine fails the test unless stderr is exactly one line holding every
// one of want.
func oneLine(t *testing.T, stderr string, want ...string) {
	t.Helper()
	line := strings.TrimSuffix(stderr, "\n")
	if line == "" || strings.Contains(line, "\n") {
		t.Errorf("stderr is %d lines, want one:\n%s", strings.Count(stderr, "\n"), stderr)
		return
	}
	for _, w := range want {
		if !strings.Contains(line, w) {
			t.Errorf("stderr %q does not name %q", line, w)
		}
	}
}

func TestUsageListsCommands(t *testing.T) {
	for _, c := range []struct {
		args []string
		code int
	}{
		{nil, 2}, // no command is a mistake: status 2, but still the help
		{[]string{"help"}, 0},
		{[]string{"-h"}, 0},
		{[]string{"--help"}, 0},
	} {
		code, stdout, stderr := runCLI(c.args...)
		if code != c.code {
			t.Errorf("outcrop %q: exit status %d, want %d", c.args, code, c.code)
		}
		if stdout != "" {
			t.Errorf("outcrop %q: help went to stdout: %q", c.args, stdout)
		}
		for _, name := range []string{"ingest", "serve", "synth", "version"} {
			if !strings.Contains(stderr, "  "+name+" ") {
				t.Errorf("outcrop %q: usage does not list %s:\n%s", c.args, name, stderr)
			}
		}
	}
}

func TestUnknownCommand(t *testing.T) {
	code, _, stderr := runCLI("injest", "--store", "s")
	if code != 2 {
		t.Errorf("exit status %d, want 2", code)
	}
	oneLine(t, stderr, `"injest"`, "outcrop help")
}

func TestVersion(t *testing.T) {
	defer func(v string) { version = v }(version)
	version = "v1.2.3-test"
	code, stdout, _ := runCLI("version")
	if code != 0 || stdout != "outcrop v1.2.3-test\n" {
		t.Errorf("outcrop version: %d %q, want 0 and the version set at build time", code, stdout)
	}
}

// A mistyped flag is one line naming it, not the flag list: the list is
// for -h.
func TestUnknownFlagIsOneLine(t *testing.T) {
	for _, cmd := range []string{"serve", "synth"} {
		code, _, stderr := runCLI(cmd, "--colour", "red")
		if code != 2 {
			t.Errorf("outcrop %s --colour: exit status %d, want 2", cmd, code)
		}
		oneLine(t, stderr, "outcrop "+cmd+": ", "-colour", "outcrop "+cmd+" -h")
	}
}

func TestCommandHelp(t *testing.T) {
	for cmd, flag := range map[string]string{"serve": "-store", "synth": "-out"} {
		code, stdout, stderr := runCLI(cmd, "-h")
		if code != 0 || stdout != "" {
			t.Errorf("outcrop %s -h: exit status %d, stdout %q; want 0 and nothing", cmd, code, stdout)
		}
		if !strings.HasPrefix(stderr, "Usage: outcrop "+cmd) || !strings.Contains(stderr, "\n  "+flag+" ") {
			t.Errorf("outcrop %s -h: %q, want the usage line and the flag %s among the flags", cmd, stderr, flag)
		}
	}
}

func TestParseFlagsAfterArguments(t *testing.T) {
	fs := newFlagSet("test", "test FILE", &bytes.Buffer{})
	id := fs.String("id", "", "")
	quiet := fs.Bool("quiet", false, "")
	rest, err := parseFlags(fs, []string{"a.shp", "--id", "geology", "b.shp", "--quiet"})
	if err != nil {
		t.Fatal(err)
	}
	if *id != "geology" || !*quiet || len(rest) != 2 || rest[0] != "a.shp" || rest[1] != "b.shp" {
		t.Errorf("id %q, quiet %v, positional %q; want geology, true, [a.shp b.shp]", *id, *quiet, rest)
	}
}
