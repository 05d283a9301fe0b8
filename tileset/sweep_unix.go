//go:build unix

package tileset

import (
	"os"
	"syscall"
)

// removeIfUnlocked removes path if no process holds a lock on it, taking
// the lock bbolt's writers take (flock, exclusive) for the time of the
// removal.
func removeIfUnlocked(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		return false // a live writer holds it
	}
	return os.Remove(path) == nil
}
