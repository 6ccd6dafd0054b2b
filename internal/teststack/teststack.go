// Package teststack is the small testing.TB face of internal/stack for tests that need only
// Prometheus and node_exporter (the protocol tests): real servers from the machine's packages on free
// 127.0.0.1 ports, stopped when the test ends. Nothing is mocked; internal/stack finds the programs
// (installing missing Debian packages when running as root) and starts and stops the processes, so
// there is one way to start servers. Larger stacks use stack.StartTB directly.
package teststack

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pulse-monitoring/pulse/internal/stack"
)

// Process is a started server; it is stopped by the test's cleanup.
type Process = stack.Process

// FreePort returns a TCP port on 127.0.0.1 that was free a moment ago.
func FreePort(t testing.TB) int {
	t.Helper()
	port, err := stack.FreePort()
	if err != nil {
		t.Fatal(err)
	}
	return port
}

// Find returns the path of the first of names found on PATH or in the usual bin directories.
func Find(t testing.TB, installHint string, names ...string) string {
	t.Helper()
	p, ok := stack.FindProgram(names...)
	if !ok {
		t.Fatalf("%s not found (looked for %s): %s", names[0], strings.Join(names, ", "), installHint)
	}
	return p
}

func startCtx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), 5*time.Minute)
}

func stopAtCleanup(t testing.TB, p *Process) {
	t.Cleanup(func() {
		if err := p.Stop(5 * time.Second); err != nil {
			t.Logf("stop %s: %v", p.Name, err)
		}
	})
}

// NodeExporter starts node_exporter on a free port.
func NodeExporter(t testing.TB) *Process {
	t.Helper()
	ctx, cancel := startCtx()
	defer cancel()
	p, err := stack.StartNodeExporter(ctx, "", t.TempDir())
	if err != nil {
		t.Fatalf("node_exporter: %v", err)
	}
	stopAtCleanup(t, p)
	return p
}

// Prometheus starts Prometheus on a free port with a throwaway data directory, scraping itself (job
// `prometheus`) and the given targets (host:port, job name = "job_<n>" unless given as
// job=host:port) every scrapeInterval.
func Prometheus(t testing.TB, scrapeInterval time.Duration, targets ...string) *Process {
	t.Helper()
	var jobs []stack.Job
	for i, target := range targets {
		job := "job_" + strconv.Itoa(i)
		if j, tgt, ok := strings.Cut(target, "="); ok {
			job, target = j, tgt
		}
		jobs = append(jobs, stack.Job{Name: job, Targets: []stack.Target{{Addr: target}}})
	}
	ctx, cancel := startCtx()
	defer cancel()
	dir := t.TempDir()
	p, err := stack.StartPrometheus(ctx, stack.PrometheusSpec{Dir: dir, LogDir: dir, ScrapeInterval: scrapeInterval, Jobs: jobs})
	if err != nil {
		t.Fatalf("prometheus: %v", err)
	}
	stopAtCleanup(t, p)
	return p
}

// WaitForQuery polls an instant query until it returns at least one sample, so a test starts
// once the first scrapes have landed.
func WaitForQuery(t testing.TB, promURL, expr string, within time.Duration) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), within)
	defer cancel()
	if err := stack.WaitForQuery(ctx, promURL, expr); err != nil {
		t.Fatal(err)
	}
}
