package stack

import (
	"context"
	"os"
	"path/filepath"
	"time"
)

// PrometheusSpec configures StartPrometheus.
type PrometheusSpec struct {
	Binary string // default: found on PATH
	// Dir holds prometheus.yml and the TSDB; it must exist.
	Dir            string
	LogDir         string
	ScrapeInterval time.Duration
	// LookbackDelta shortens --query.lookback-delta (default 5m). cAdvisor stamps its samples, so
	// without staleness markers a removed container stays visible for the whole lookback window.
	LookbackDelta time.Duration
	// Jobs besides the `prometheus` job, which scrapes this Prometheus itself.
	Jobs []Job
	// Addr to listen on; default a free 127.0.0.1 port.
	Addr string
	// SelfAddr is what the `prometheus` job scrapes (default Addr). The second replica of an HA pair
	// scrapes the first, so both hold the same series and Thanos Query can deduplicate them.
	SelfAddr string
	// ExternalLabels identify the replica to a Thanos sidecar (replica="a").
	ExternalLabels map[string]string
}

// StartPrometheus writes prometheus.yml and starts Prometheus; it returns once /-/ready answers. An
// empty Binary is looked up (and the package installed when running as root).
func StartPrometheus(ctx context.Context, spec PrometheusSpec) (*Process, error) {
	if spec.Binary == "" {
		p, err := findOrInstall(ctx, progPrometheus)
		if err != nil {
			return nil, err
		}
		spec.Binary = p
	}
	if spec.Addr == "" {
		addr, err := freeAddr()
		if err != nil {
			return nil, err
		}
		spec.Addr = addr
	}
	if spec.SelfAddr == "" {
		spec.SelfAddr = spec.Addr
	}
	jobs := append([]Job{{Name: JobPrometheus, Targets: []Target{{Addr: spec.SelfAddr}}}}, spec.Jobs...)
	cfgPath := filepath.Join(spec.Dir, "prometheus.yml")
	if err := os.WriteFile(cfgPath, []byte(ReplicaScrapeConfig(spec.ScrapeInterval, jobs, spec.ExternalLabels)), 0o644); err != nil {
		return nil, err
	}
	args := []string{
		"--config.file=" + cfgPath,
		"--storage.tsdb.path=" + filepath.Join(spec.Dir, "data"),
		"--storage.tsdb.retention.time=1d",
		"--web.listen-address=" + spec.Addr,
		"--web.enable-lifecycle",
	}
	if spec.LookbackDelta > 0 {
		args = append(args, "--query.lookback-delta="+promDuration(spec.LookbackDelta))
	}
	name := "prometheus"
	if r := spec.ExternalLabels[ReplicaLabel]; r != "" {
		name += "-" + r
	}
	p, err := StartProcess(ProcSpec{Name: name, Path: spec.Binary, Args: args, Addr: spec.Addr, LogDir: spec.LogDir})
	if err != nil {
		return nil, err
	}
	if err := waitReady(ctx, p, "/-/ready"); err != nil {
		return nil, err
	}
	return p, nil
}

// StartNodeExporter starts node_exporter on a free port and waits for /metrics. An empty binary
// is looked up (and its package installed when running as root).
func StartNodeExporter(ctx context.Context, binary, logDir string) (*Process, error) {
	if binary == "" {
		p, err := findOrInstall(ctx, progNodeExporter)
		if err != nil {
			return nil, err
		}
		binary = p
	}
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	p, err := StartProcess(ProcSpec{Name: "node_exporter", Path: binary, Args: []string{"--web.listen-address=" + addr}, Addr: addr, LogDir: logDir})
	if err != nil {
		return nil, err
	}
	if err := waitReady(ctx, p, "/metrics"); err != nil {
		return nil, err
	}
	return p, nil
}

// startPostgresExporter starts postgres_exporter with the DSN in DATA_SOURCE_NAME, as in the seed.
func startPostgresExporter(ctx context.Context, binary, dsn, logDir string) (*Process, error) {
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	p, err := StartProcess(ProcSpec{
		Name:   "postgres_exporter",
		Path:   binary,
		Args:   []string{"--web.listen-address=" + addr, "--web.telemetry-path=/metrics"},
		Env:    []string{"DATA_SOURCE_NAME=" + dsn},
		Addr:   addr,
		LogDir: logDir,
	})
	if err != nil {
		return nil, err
	}
	if err := waitReady(ctx, p, "/metrics"); err != nil {
		return nil, err
	}
	return p, nil
}

// startVictoriaMetrics starts single-node VictoriaMetrics scraping the targets of configPath itself
// (-promscrape.config), so it holds the same series as Prometheus without depending on it.
func startVictoriaMetrics(ctx context.Context, binary, addr, dir, configPath, logDir string) (*Process, error) {
	p, err := StartProcess(ProcSpec{
		Name: "victoria-metrics",
		Path: binary,
		Args: []string{
			"-httpListenAddr=" + addr,
			"-storageDataPath=" + filepath.Join(dir, "data"),
			"-retentionPeriod=1d",
			"-promscrape.config=" + configPath,
			// Fresh samples are hidden for 30 s by default; a 5 s scrape wants them sooner.
			"-search.latencyOffset=5s",
			"-loggerLevel=WARN",
		},
		Addr:   addr,
		LogDir: logDir,
	})
	if err != nil {
		return nil, err
	}
	if err := waitReady(ctx, p, "/health"); err != nil {
		return nil, err
	}
	return p, nil
}

// findOrInstall finds a program, installing its package with apt-get when missing and running as root.
func findOrInstall(ctx context.Context, p program) (string, error) {
	in := &installer{allow: true, logf: func(string, ...any) {}}
	paths, err := in.ensure(ctx, p)
	if err != nil {
		return "", err
	}
	return paths[p.pkg], nil
}

// waitReady bounds WaitHTTP by a minute and stops the process when it never becomes ready.
func waitReady(ctx context.Context, p *Process, path string) error {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	if err := WaitHTTP(ctx, p, path); err != nil {
		_ = p.Stop(3 * time.Second)
		return err
	}
	return nil
}
