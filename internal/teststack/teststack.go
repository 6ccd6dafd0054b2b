// Package teststack starts real servers from the machine's packages (Prometheus, node_exporter)
// on free 127.0.0.1 ports for tests, and stops them when the test ends. Nothing is mocked here:
// a test that needs a server it cannot find fails with the command that installs it.
package teststack

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// FreePort returns a TCP port on 127.0.0.1 that was free a moment ago.
func FreePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("no free port on 127.0.0.1: %v", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// Find returns the path of the first of names found on PATH or in /usr/bin and /usr/sbin.
func Find(t testing.TB, installHint string, names ...string) string {
	t.Helper()
	for _, n := range names {
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
		for _, dir := range []string{"/usr/bin", "/usr/sbin", "/usr/local/bin"} {
			if p := filepath.Join(dir, n); isExecutable(p) {
				return p
			}
		}
	}
	t.Fatalf("%s not found (looked for %s): %s", names[0], strings.Join(names, ", "), installHint)
	return ""
}

func isExecutable(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir() && st.Mode()&0o111 != 0
}

// Process is a started server; it is stopped by the test's cleanup.
type Process struct {
	Name string
	Addr string // host:port
	cmd  *exec.Cmd
	log  *strings.Builder
}

// URL is the server's base URL.
func (p *Process) URL() string { return "http://" + p.Addr }

// start runs cmd, stops it at cleanup (SIGTERM, then SIGKILL after 5 s) and waits for readyPath
// to answer 200.
func start(t testing.TB, name, addr, readyPath string, cmd *exec.Cmd) *Process {
	t.Helper()
	logBuf := &strings.Builder{}
	cmd.Stdout = io.Discard
	cmd.Stderr = &limitedWriter{b: logBuf, max: 64 << 10}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		t.Fatalf("cannot start %s: %v", name, err)
	}
	p := &Process{Name: name, Addr: addr, cmd: cmd, log: logBuf}
	t.Cleanup(p.stop)
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get("http://" + addr + readyPath)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return p
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s did not become ready at %s within 30s; its log:\n%s", name, addr, logBuf.String())
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func (p *Process) stop() {
	if p.cmd.Process == nil {
		return
	}
	_ = syscall.Kill(-p.cmd.Process.Pid, syscall.SIGTERM)
	done := make(chan struct{})
	go func() { _ = p.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		_ = syscall.Kill(-p.cmd.Process.Pid, syscall.SIGKILL)
		<-done
	}
}

// NodeExporter starts prometheus-node-exporter on a free port.
func NodeExporter(t testing.TB) *Process {
	t.Helper()
	bin := Find(t, "apt-get install -y prometheus-node-exporter", "prometheus-node-exporter", "node_exporter")
	addr := fmt.Sprintf("127.0.0.1:%d", FreePort(t))
	cmd := exec.Command(bin, "--web.listen-address="+addr)
	return start(t, "node_exporter", addr, "/metrics", cmd)
}

// Prometheus starts Prometheus on a free port with a throwaway data directory, scraping itself
// and the given targets (host:port, job name = "job_<n>" unless given as job=host:port) every
// scrapeInterval.
func Prometheus(t testing.TB, scrapeInterval time.Duration, targets ...string) *Process {
	t.Helper()
	bin := Find(t, "apt-get install -y prometheus", "prometheus")
	dir := t.TempDir()
	addr := fmt.Sprintf("127.0.0.1:%d", FreePort(t))
	var cfg strings.Builder
	fmt.Fprintf(&cfg, "global:\n  scrape_interval: %s\n  evaluation_interval: %s\nscrape_configs:\n", scrapeInterval, scrapeInterval)
	fmt.Fprintf(&cfg, "  - job_name: prometheus\n    static_configs:\n      - targets: ['%s']\n", addr)
	for i, target := range targets {
		job := fmt.Sprintf("job_%d", i)
		if j, tgt, ok := strings.Cut(target, "="); ok {
			job, target = j, tgt
		}
		fmt.Fprintf(&cfg, "  - job_name: %s\n    static_configs:\n      - targets: ['%s']\n", job, target)
	}
	cfgPath := filepath.Join(dir, "prometheus.yml")
	if err := os.WriteFile(cfgPath, []byte(cfg.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin,
		"--config.file="+cfgPath,
		"--storage.tsdb.path="+filepath.Join(dir, "data"),
		"--web.listen-address="+addr,
		"--storage.tsdb.retention.time=1h",
	)
	return start(t, "prometheus", addr, "/-/ready", cmd)
}

// WaitForQuery polls an instant query until it returns at least one sample, so a test starts
// once the first scrapes have landed.
func WaitForQuery(t testing.TB, promURL, expr string, within time.Duration) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), within)
	defer cancel()
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, promURL+"/api/v1/query?query="+urlQueryEscape(expr), nil)
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if strings.Contains(string(body), `"result":[{`) {
				return
			}
		}
		select {
		case <-ctx.Done():
			t.Fatalf("%s returned no data from %s within %s", expr, promURL, within)
		case <-time.After(500 * time.Millisecond):
		}
	}
}

func urlQueryEscape(s string) string { return url.QueryEscape(s) }

type limitedWriter struct {
	b   *strings.Builder
	max int
}

func (w *limitedWriter) Write(p []byte) (int, error) {
	if room := w.max - w.b.Len(); room > 0 {
		if len(p) > room {
			w.b.Write(p[:room])
		} else {
			w.b.Write(p)
		}
	}
	return len(p), nil
}
