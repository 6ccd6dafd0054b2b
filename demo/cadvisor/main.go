// Command cadvisor is a small cAdvisor for the Pulse local stack, built on the cAdvisor library
// (github.com/google/cadvisor/lib, Apache-2.0): the container manager (raw cgroups; no Docker,
// containerd or CRI-O plugins) and the Prometheus collectors, served on /metrics. The upstream
// command (github.com/google/cadvisor/cmd) is not available from the Go module proxy, so this
// replaces it for machines without Docker; the metric names and labels are cAdvisor's own.
//
//	go build -o cadvisor . && sudo ./cadvisor -listen 127.0.0.1:8080
//
// It must run as root to read every cgroup. It is a separate Go module, so the plugin's go.mod does
// not carry cAdvisor's dependencies.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/google/cadvisor/lib/cache/memory"
	"github.com/google/cadvisor/lib/container"
	"github.com/google/cadvisor/lib/manager"
	"github.com/google/cadvisor/lib/metrics"
	info "github.com/google/cadvisor/lib/model"
	"github.com/google/cadvisor/lib/utils/sysfs"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"k8s.io/klog/v2"
	"k8s.io/utils/clock"

	// Filesystem plugins, for container_fs_* of the root cgroup.
	_ "github.com/google/cadvisor/lib/fs/overlay/install"
	_ "github.com/google/cadvisor/lib/fs/tmpfs/install"
	_ "github.com/google/cadvisor/lib/fs/vfs/install"
)

// The metric kinds collected. Like upstream's defaults minus the costly per-CPU, scheduler, TCP/UDP,
// hugetlb, perf and resctrl sets; plus process counts (container_processes, container_threads...).
var includedMetrics = container.MetricSet{
	container.CpuUsageMetrics:     struct{}{},
	container.MemoryUsageMetrics:  struct{}{},
	container.DiskIOMetrics:       struct{}{},
	container.DiskUsageMetrics:    struct{}{},
	container.NetworkUsageMetrics: struct{}{},
	container.ProcessMetrics:      struct{}{},
	container.PressureMetrics:     struct{}{},
}

func main() {
	listen := flag.String("listen", "127.0.0.1:8080", "address to serve /metrics on")
	storageAge := flag.Duration("storage_age", 2*time.Minute, "how long stats are kept in memory")
	rawPrefixes := flag.String("raw_cgroup_prefix_whitelist", "",
		"comma-separated cgroup path prefixes to report besides the root cgroup (empty: all, as upstream)")
	// The library registers its own flags on the default flag set (-housekeeping_interval,
	// -max_housekeeping_interval, -allow_dynamic_housekeeping, -global_housekeeping_interval,
	// -docker_only, ...), klog adds -v. Defaults here suit a 5 s scrape: stats every second, and
	// new cgroups noticed within seconds even without an inotify event.
	klog.InitFlags(nil)
	for name, value := range map[string]string{
		"global_housekeeping_interval": "5s",
		"max_housekeeping_interval":    "2s",
		"allow_dynamic_housekeeping":   "false",
		"logtostderr":                  "true",
	} {
		if err := flag.Set(name, value); err != nil {
			log.Fatalf("cadvisor: flag %s: %v", name, err)
		}
	}
	flag.Parse()

	if os.Geteuid() != 0 {
		log.Printf("warning: not running as root; cgroups that are not readable will be missing")
	}
	if err := run(*listen, *storageAge, strings.Split(*rawPrefixes, ",")); err != nil {
		log.Fatalf("cadvisor: %v", err)
	}
}

func run(listen string, storageAge time.Duration, rawPrefixes []string) error {
	m, err := manager.New(
		memory.New(storageAge, nil),
		sysfs.NewRealSysFs(),
		manager.HousekeepingConfigFlags,
		includedMetrics,
		rawPrefixes, // [""] reports every cgroup
		nil,         // container env metadata: none
		"",          // perf events config: none
		0,           // resctrl interval: off
	)
	if err != nil {
		return fmt.Errorf("container manager: %w", err)
	}
	if err := m.Start(); err != nil {
		return fmt.Errorf("start container manager: %w", err)
	}
	defer func() { _ = m.Stop() }()

	registry := prometheus.NewRegistry()
	registry.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		metrics.NewPrometheusCollector(m, metrics.DefaultContainerLabels, includedMetrics, clock.RealClock{}, info.RequestOptions{
			IdType:    info.TypeName,
			Count:     1,
			Recursive: true,
		}),
		metrics.NewPrometheusMachineCollector(m, includedMetrics),
	)

	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(registry, promhttp.HandlerOpts{ErrorLog: log.Default()}))
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("ok\n")) })
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		_, _ = fmt.Fprintln(w, "cAdvisor (Pulse demo build on github.com/google/cadvisor/lib): metrics at /metrics")
	})
	server := &http.Server{Addr: listen, Handler: mux, ReadHeaderTimeout: 5 * time.Second}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	errc := make(chan error, 1)
	go func() { errc <- server.ListenAndServe() }()
	log.Printf("cadvisor: serving http://%s/metrics (housekeeping every %s)", listen, *manager.HousekeepingInterval)
	select {
	case err := <-errc:
		if !errors.Is(err, http.ErrServerClosed) {
			return err
		}
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	return server.Shutdown(shutdown)
}
