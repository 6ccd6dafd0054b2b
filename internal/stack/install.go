package stack

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// A program shipped by a Debian package.
type program struct {
	pkg   string   // Debian package
	names []string // executable names, first match wins
}

var (
	progPrometheus       = program{"prometheus", []string{"prometheus"}}
	progNodeExporter     = program{"prometheus-node-exporter", []string{"prometheus-node-exporter", "node_exporter"}}
	progPostgresExporter = program{"prometheus-postgres-exporter", []string{"prometheus-postgres-exporter", "postgres_exporter"}}
	progVictoriaMetrics  = program{"victoria-metrics", []string{"victoria-metrics", "victoria-metrics-prod"}}
	progPostgres         = program{"postgresql", nil} // initdb, postgres, pg_isready, psql in /usr/lib/postgresql/<v>/bin
	progNode             = program{"nodejs", []string{"node"}}
	progNpm              = program{"npm", []string{"npm"}}
)

var binDirs = []string{"/usr/local/bin", "/usr/bin", "/usr/sbin", "/bin", "/sbin"}

// FindProgram returns the path of the first of names on PATH or in the usual bin directories.
func FindProgram(names ...string) (string, bool) {
	for _, n := range names {
		if p, err := exec.LookPath(n); err == nil {
			return p, true
		}
		for _, dir := range binDirs {
			if p := filepath.Join(dir, n); isExecutable(p) {
				return p, true
			}
		}
	}
	return "", false
}

func isExecutable(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir() && st.Mode()&0o111 != 0
}

// postgresBinDir is the newest /usr/lib/postgresql/<version>/bin with initdb and postgres.
func postgresBinDir() (string, bool) {
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return pgVersion(dirs[i]) > pgVersion(dirs[j]) })
	for _, d := range dirs {
		if isExecutable(filepath.Join(d, "initdb")) && isExecutable(filepath.Join(d, "postgres")) {
			return d, true
		}
	}
	return "", false
}

func pgVersion(binDir string) float64 {
	v, _ := strconv.ParseFloat(filepath.Base(filepath.Dir(binDir)), 64)
	return v
}

func (p program) find() (string, bool) {
	if p.pkg == progPostgres.pkg {
		return postgresBinDir()
	}
	return FindProgram(p.names...)
}

// installer finds programs and, when allowed and running as root, installs the missing ones with
// apt-get in one go. Without root it names the command to run.
type installer struct {
	allow bool
	logf  func(string, ...any)
	mu    sync.Mutex
}

// ensure returns the path of each program (for PostgreSQL: its bin directory), installing the
// missing packages first when it can.
func (in *installer) ensure(ctx context.Context, progs ...program) (map[string]string, error) {
	in.mu.Lock()
	defer in.mu.Unlock()
	paths := map[string]string{}
	var missing []string
	for _, p := range progs {
		if path, ok := p.find(); ok {
			paths[p.pkg] = path
		} else if !contains(missing, p.pkg) {
			missing = append(missing, p.pkg)
		}
	}
	if len(missing) == 0 {
		return paths, nil
	}
	command := "apt-get install -y --no-install-recommends " + strings.Join(missing, " ")
	switch {
	case !in.allow:
		return paths, fmt.Errorf("missing Debian packages %s; install them with: sudo %s", strings.Join(missing, ", "), command)
	case os.Geteuid() != 0:
		return paths, fmt.Errorf("missing Debian packages %s and not running as root; install them with: sudo apt-get update && sudo %s",
			strings.Join(missing, ", "), command)
	}
	in.logf("installing %s (%s)", strings.Join(missing, ", "), command)
	out, err := aptInstall(ctx, missing)
	if err != nil {
		in.logf("apt-get install failed (%v); running apt-get update and trying again", err)
		if upd, uerr := apt(ctx, "update"); uerr != nil {
			return paths, fmt.Errorf("apt-get update: %v\n%s", uerr, tail(upd, 2000))
		}
		if out, err = aptInstall(ctx, missing); err != nil {
			return paths, fmt.Errorf("%s: %v\n%s", command, err, tail(out, 3000))
		}
	}
	for _, p := range progs {
		if _, ok := paths[p.pkg]; ok {
			continue
		}
		path, ok := p.find()
		if !ok {
			return paths, fmt.Errorf("package %s is installed but none of %v was found", p.pkg, p.names)
		}
		paths[p.pkg] = path
	}
	return paths, nil
}

func aptInstall(ctx context.Context, pkgs []string) (string, error) {
	return apt(ctx, append([]string{"install", "-y", "--no-install-recommends"}, pkgs...)...)
}

func apt(ctx context.Context, args ...string) (string, error) {
	// Wait for a lock held by another apt instead of failing at once.
	cmd := exec.CommandContext(ctx, "apt-get", append([]string{"-o", "DPkg::Lock::Timeout=300", "-q"}, args...)...)
	cmd.Env = append(os.Environ(), "DEBIAN_FRONTEND=noninteractive")
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	err := cmd.Run()
	return out.String(), err
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "..." + s[len(s)-n:]
}
