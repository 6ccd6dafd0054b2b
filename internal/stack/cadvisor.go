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
)

// cAdvisor is not a Debian package and its command module is not served by the Go module proxy, so
// the stack builds demo/cadvisor (our small main on github.com/google/cadvisor/lib, its own Go
// module) once and caches the binary by the hash of its sources and the Go version.

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
	file := "cadvisor-" + hex.EncodeToString(h.Sum(nil))[:16]
	return cachedBuild("cadvisor", file, logf, func(tmp string) error {
		logf("cAdvisor: building demo/cadvisor (our main on github.com/google/cadvisor/lib)")
		return goBuild(ctx, goBin, src, []string{"GOFLAGS=-mod=readonly", "CGO_ENABLED=0"}, "-o", tmp, ".")
	})
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

// trimLines shortens a multi-line message to its first line (for notes).
func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
