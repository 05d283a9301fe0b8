package ingest

import (
	"fmt"
	"strings"
)

// fileErr is the one-line error a user sees about file: what is wrong, then
// after a semicolon what to do.
func fileErr(file, format string, args ...any) error {
	return &Error{File: file, msg: oneLine(fmt.Sprintf(format, args...))}
}

// flagErr is the one-line error about a command-line setting.
func flagErr(flag, format string, args ...any) error {
	return &Error{Flag: flag, msg: oneLine(fmt.Sprintf(format, args...))}
}

// Error is a problem with the input or the options of an ingest, worded for
// the user: one line naming the file or the flag and saying what to do.
type Error struct {
	File string // the file at fault, if any
	Flag string // the flag at fault, e.g. "--id", if any
	msg  string
}

// Error returns the message, prefixed with the flag or file at fault.
func (e *Error) Error() string {
	if e.Flag != "" {
		return e.Flag + ": " + e.msg
	}
	return e.File + ": " + e.msg
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
