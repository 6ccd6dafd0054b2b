package stack

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// Thanos is not a Debian package, and `go install` refuses its module (replace directives), so the
// stack builds its cmd/thanos from the downloaded module once and caches the binary by version.

// ThanosVersion is the Thanos release the stack builds (Apache-2.0). v0.42.4 and later need a newer
// Go toolchain than ours.
const ThanosVersion = "v0.42.3"

// ReplicaLabel is the external label that tells the two Prometheus replicas apart; Thanos Query
// deduplicates on it.
const ReplicaLabel = "replica"

// Thanos is an HA pair of Prometheus replicas behind Thanos Query: the stack's Prometheus is replica
// "a", ReplicaB scrapes the same targets, and a sidecar beside each serves its TSDB to Query.
type Thanos struct {
	ReplicaB *Process
	// Sidecars by replica ("a", "b").
	Sidecars map[string]*Process
	Query    *Process

	binary  string
	logDir  string
	specs   map[string]ProcSpec // to start a stopped sidecar again on the same ports
	stopped map[string]bool
}

// BuildThanos builds Thanos ThanosVersion from its Go module unless the binary is cached, and
// returns its path. It takes minutes on two cores the first time.
func BuildThanos(ctx context.Context, logf func(string, ...any)) (string, error) {
	goBin, ok := FindProgram("go")
	if !ok {
		return "", fmt.Errorf("the go command is not on PATH")
	}
	return cachedBuild("thanos", "thanos-"+ThanosVersion, logf, func(tmp string) error {
		logf("Thanos %s: building from its Go module (several minutes on 2 cores)", ThanosVersion)
		cache, err := CacheDir()
		if err != nil {
			return err
		}
		download := exec.CommandContext(ctx, goBin, "mod", "download", "-json", "github.com/thanos-io/thanos@"+ThanosVersion)
		download.Dir = cache // outside any module, so the download does not touch a go.mod
		out, err := download.Output()
		var mod struct{ Dir, Error string }
		if jerr := json.Unmarshal(out, &mod); err != nil || jerr != nil || mod.Dir == "" {
			return fmt.Errorf("go mod download github.com/thanos-io/thanos@%s: %v %s", ThanosVersion, err, mod.Error)
		}
		// The module cache is read-only, and building in it would fail wherever go wants to write
		// (go.sum): build a writable copy.
		src, err := os.MkdirTemp("", "pulse-thanos-src-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(src)
		if out, err := exec.CommandContext(ctx, "cp", "-r", mod.Dir+"/.", src).CombinedOutput(); err != nil {
			return fmt.Errorf("copy the Thanos module: %v: %s", err, out)
		}
		_ = exec.CommandContext(ctx, "chmod", "-R", "u+w", src).Run()
		// The release's tags: without slicelabels the sidecar panics marshalling labels over gRPC.
		if err := goBuild(ctx, goBin, src, []string{"CGO_ENABLED=0"}, "-tags", "netgo,slicelabels", "-o", tmp, "./cmd/thanos"); err != nil {
			return fmt.Errorf("github.com/thanos-io/thanos@%s: %w", ThanosVersion, err)
		}
		return nil
	})
}

// startThanos starts replica b (the same jobs as replica a, whose `prometheus` job it scrapes too),
// a sidecar beside each replica and Thanos Query over both.
func (s *Stack) startThanos(ctx context.Context, binary, promBinary string) error {
	th := &Thanos{binary: binary, logDir: s.LogDir, Sidecars: map[string]*Process{}, specs: map[string]ProcSpec{}, stopped: map[string]bool{}}
	s.set(func() { s.Thanos = th })
	dirB := filepath.Join(s.Dir, "prometheus-b")
	if err := os.MkdirAll(dirB, 0o755); err != nil {
		return err
	}
	b, err := StartPrometheus(ctx, PrometheusSpec{
		Binary:         promBinary,
		Dir:            dirB,
		LogDir:         s.LogDir,
		ScrapeInterval: s.opts.ScrapeInterval,
		LookbackDelta:  s.opts.LookbackDelta,
		Jobs:           s.Jobs,
		SelfAddr:       s.Prometheus.Addr,
		ExternalLabels: map[string]string{ReplicaLabel: "b"},
	})
	th.ReplicaB = b
	if err != nil {
		return fmt.Errorf("prometheus replica b: %w", err)
	}
	var endpoints []string
	for _, r := range []struct {
		replica string
		prom    *Process
		tsdb    string
	}{{"a", s.Prometheus, filepath.Join(s.Dir, "data")}, {"b", b, filepath.Join(dirB, "data")}} {
		grpcAddr, err := freeAddr()
		if err != nil {
			return err
		}
		httpAddr, err := freeAddr()
		if err != nil {
			return err
		}
		spec := ProcSpec{
			Name: "thanos-sidecar-" + r.replica,
			Path: binary,
			Args: []string{"sidecar",
				"--tsdb.path=" + r.tsdb,
				"--prometheus.url=" + r.prom.URL(),
				"--grpc-address=" + grpcAddr,
				"--http-address=" + httpAddr,
			},
			Addr:   httpAddr,
			LogDir: s.LogDir,
		}
		th.specs[r.replica] = spec
		if err := th.startSidecar(ctx, r.replica); err != nil {
			return err
		}
		endpoints = append(endpoints, grpcAddr)
	}
	q, err := startThanosQuery(ctx, binary, endpoints, s.opts.LookbackDelta, s.LogDir)
	th.Query = q
	return err
}

func (th *Thanos) startSidecar(ctx context.Context, replica string) error {
	p, err := StartProcess(th.specs[replica])
	if err != nil {
		return err
	}
	th.Sidecars[replica] = p
	if err := waitReady(ctx, p, "/-/ready"); err != nil {
		return fmt.Errorf("thanos sidecar %s: %w", replica, err)
	}
	th.stopped[replica] = false
	return nil
}

// StopSidecar stops the sidecar of one replica, as when that replica's pod is lost. Its Prometheus
// keeps scraping, so StartSidecar brings the replica back with no gap.
func (th *Thanos) StopSidecar(replica string) error {
	p := th.Sidecars[replica]
	if p == nil {
		return fmt.Errorf("no sidecar for replica %q", replica)
	}
	th.stopped[replica] = true
	return p.Stop(5 * time.Second)
}

// StartSidecar starts a stopped sidecar again on its former ports.
func (th *Thanos) StartSidecar(ctx context.Context, replica string) error {
	if !th.stopped[replica] {
		return fmt.Errorf("the sidecar of replica %q is not stopped", replica)
	}
	return th.startSidecar(ctx, replica)
}

// startThanosQuery starts Thanos Query over the sidecars. The sidecars are strict endpoints: Query
// keeps asking a sidecar that stopped answering instead of dropping it after its next health
// check, so a lost replica shows as a partial response (or, with partial responses disabled, an
// error) rather than silently; that is the behaviour the replica-loss tests look at.
func startThanosQuery(ctx context.Context, binary string, endpoints []string, lookback time.Duration, logDir string) (*Process, error) {
	httpAddr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	grpcAddr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	var sd strings.Builder
	sd.WriteString("endpoints:\n")
	for _, e := range endpoints {
		fmt.Fprintf(&sd, "  - address: %q\n    strict: true\n", e)
	}
	p, err := StartProcess(ProcSpec{
		Name: "thanos-query",
		Path: binary,
		Args: []string{"query",
			"--http-address=" + httpAddr,
			"--grpc-address=" + grpcAddr,
			"--query.replica-label=" + ReplicaLabel,
			"--endpoint.sd-config=" + sd.String(),
			// The same lookback as the replicas, so both answer the same instant queries.
			"--query.lookback-delta=" + promDuration(lookback),
		},
		Addr:   httpAddr,
		LogDir: logDir,
	})
	if err != nil {
		return nil, err
	}
	if err := waitReady(ctx, p, "/-/ready"); err != nil {
		return nil, err
	}
	return p, nil
}

// processes lists what is running, for Stop.
func (th *Thanos) processes() []*Process {
	if th == nil {
		return nil
	}
	out := []*Process{th.Query, th.ReplicaB}
	for _, p := range th.Sidecars {
		out = append(out, p)
	}
	return out
}
