package stack

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"time"
)

// Helpers that are not Debian packages (cAdvisor, Thanos) are built from Go sources once and kept
// in CacheDir, under a name that changes when what they are built from changes.

// CacheDir is where built helpers are kept: $PULSE_CACHE_DIR, else $XDG_CACHE_HOME/pulse or ~/.cache/pulse.
func CacheDir() (string, error) {
	if d := os.Getenv("PULSE_CACHE_DIR"); d != "" {
		return d, os.MkdirAll(d, 0o755)
	}
	base, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	d := filepath.Join(base, "pulse")
	return d, os.MkdirAll(d, 0o755)
}

// cachedBuild returns CacheDir/<file>, calling build(tmp) to make it first unless it is there.
// build writes the binary to tmp, which becomes the cached file only when build succeeds; a lock
// (<what>.lock) keeps two runs from building at once. what names the helper in log lines.
func cachedBuild(what, file string, logf func(string, ...any), build func(tmp string) error) (string, error) {
	cache, err := CacheDir()
	if err != nil {
		return "", err
	}
	bin := filepath.Join(cache, file)
	unlock, err := lockFile(filepath.Join(cache, what+".lock"))
	if err != nil {
		return "", err
	}
	defer unlock()
	if isExecutable(bin) {
		return bin, nil
	}
	logf("building %s (once, cached as %s)", what, bin)
	started := time.Now()
	tmp := bin + ".tmp"
	if err := build(tmp); err != nil {
		_ = os.Remove(tmp)
		return "", err
	}
	if err := os.Rename(tmp, bin); err != nil {
		return "", err
	}
	logf("built %s in %s", what, time.Since(started).Round(time.Second))
	return bin, nil
}

// goBuild runs `go build -trimpath <args>` in dir with env added to the environment, and says what
// failed with the end of go's output. The build stops with the stack runner.
func goBuild(ctx context.Context, goBin, dir string, env []string, args ...string) error {
	cmd := exec.CommandContext(ctx, goBin, append([]string{"build", "-trimpath"}, args...)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build in %s: %v\n%s", dir, err, tail(string(out), 3000))
	}
	return nil
}

// lockFile takes an exclusive flock on path (waiting for it) and returns the unlock function.
func lockFile(path string) (func(), error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	return func() {
		_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}
