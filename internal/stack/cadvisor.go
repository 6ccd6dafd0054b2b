package stack

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// cAdvisor is not a Debian package and its command module is not served by the Go module proxy, so
// the stack builds demo/cadvisor (our small main on github.com/google/cadvisor/lib, its own Go
// module) once and caches the binary by the hash of its sources and the Go version.

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

// BuildCAdvisor builds demo/cadvisor under repoRoot unless a binary of the same sources is cached,
// and returns the binary's path.
func BuildCAdvisor(ctx context.Context, repoRoot string, logf func(string, ...any)) (string, error) {
	goBin, ok := FindProgram("go")
	if !ok {
		return "", fmt.Errorf("the go command is not on PATH")
	}
	src := filepath.Join(repoRoot, "demo", "cadvisor")
	h := sha256.New()
	version, err := exec.CommandContext(ctx, goBin, "env", "GOVERSION", "GOARCH").Output()
	if err != nil {
		return "", fmt.Errorf("go env: %w", err)
	}
	h.Write(version)
	for _, name := range []string{"go.mod", "go.sum", "main.go"} {
		data, err := os.ReadFile(filepath.Join(src, name))
		if err != nil {
			return "", err
		}
		h.Write([]byte(name))
		h.Write(data)
	}
	cache, err := CacheDir()
	if err != nil {
		return "", err
	}
	bin := filepath.Join(cache, "cadvisor-"+hex.EncodeToString(h.Sum(nil))[:16])
	unlock, err := lockFile(filepath.Join(cache, "cadvisor.lock"))
	if err != nil {
		return "", err
	}
	defer unlock()
	if isExecutable(bin) {
		return bin, nil
	}
	logf("building cAdvisor from demo/cadvisor (github.com/google/cadvisor/lib; once, cached as %s)", bin)
	started := time.Now()
	tmp := bin + ".tmp"
	build := exec.CommandContext(ctx, goBin, "build", "-trimpath", "-o", tmp, ".")
	build.Dir = src
	build.Env = append(os.Environ(), "GOFLAGS=-mod=readonly", "CGO_ENABLED=0")
	build.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if out, err := build.CombinedOutput(); err != nil {
		_ = os.Remove(tmp)
		return "", fmt.Errorf("go build in %s: %v\n%s", src, err, tail(string(out), 3000))
	}
	if err := os.Rename(tmp, bin); err != nil {
		return "", err
	}
	logf("built cAdvisor in %s", time.Since(started).Round(time.Second))
	return bin, nil
}

// startCAdvisor runs the built cAdvisor reporting the root cgroup and the stack's cgroups.
func startCAdvisor(ctx context.Context, binary, logDir string) (*Process, error) {
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	p, err := StartProcess(ProcSpec{
		Name: "cadvisor",
		Path: binary,
		Args: []string{
			"-listen=" + addr,
			// Only the stack's cgroups (and "/"): other cgroups on a developer machine or CI runner
			// (the sandbox's own, systemd slices) are not the demo's containers.
			"-raw_cgroup_prefix_whitelist=/" + CgroupPrefix,
		},
		Addr:   addr,
		LogDir: logDir,
	})
	if err != nil {
		return nil, err
	}
	if err := waitReady(ctx, p, "/healthz"); err != nil {
		return nil, err
	}
	return p, nil
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

// trimLines shortens a multi-line message to its first line (for notes).
func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
