// Package stack starts the Pulse local stack without Docker, on free 127.0.0.1 ports: Prometheus,
// node_exporter, a throwaway PostgreSQL with postgres_exporter, VictoriaMetrics, cAdvisor (built from
// demo/cadvisor), the demo NestJS services (demo/nestjs-app) in stand-in containers (cgroups) and the
// load generator (demo/load). Programs come from Debian packages; missing ones are installed with
// apt-get when running as root. Everything started is stopped by Stop (and dies with the process that
// started it, through Pdeathsig), leaving no processes, ports, cgroups or temporary directories.
//
// It serves the CLI (scripts/stack) and Go tests (StartTB). What cannot run on this machine (cAdvisor,
// cgroups) is reported in Stack.Notes and the rest goes on.
package stack

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Options choose what to start. The zero value starts Prometheus alone; Full() starts everything.
type Options struct {
	// ScrapeInterval of Prometheus and VictoriaMetrics (default 5s).
	ScrapeInterval time.Duration
	// LookbackDelta of Prometheus (default 1m; see PrometheusSpec).
	LookbackDelta time.Duration

	NodeExporter    bool
	Postgres        bool // PostgreSQL and postgres_exporter
	VictoriaMetrics bool
	CAdvisor        bool
	// Thanos adds a second Prometheus replica, a Thanos sidecar beside each and Thanos Query
	// (Thanos is built from its Go module the first time; see BuildThanos).
	Thanos bool
	// Services are the demo services; none when empty.
	Services []ServiceSpec
	// Wrapped adds WrappedService (WRAP_METRICS=true) to the scrape targets.
	Wrapped bool
	// Profiles adds ProfileServices after Services: one demo service per instrumentation profile
	// besides the seed's (nestjs-requests, prom-client-http, otel-http, otel-http-legacy), under the
	// load like the others. Off in Full(): the default stack stays the seed's.
	Profiles bool
	// MetricsPath of the demo services (default /metrics; the seed used /api/capa-metrics).
	MetricsPath string
	// Load runs the load generator against the (unwrapped) services.
	Load *LoadSpec
	// CgroupLimits for the services' cgroups (default 256 MiB, half a CPU, 256 pids).
	CgroupLimits CgroupLimits

	// ExtraJobs are scraped besides the stack's own.
	ExtraJobs []Job
	// NoInstall: never run apt-get; fail with the command to run instead.
	NoInstall bool
	// RepoRoot is the repository (default: found from this source file or the working directory).
	RepoRoot string
	// Logf receives progress lines (default: discarded).
	Logf func(format string, args ...any)
}

// Full is the whole demo stack: every exporter, both services, the wrapped instance and the load.
func Full() Options {
	return Options{
		NodeExporter:    true,
		Postgres:        true,
		VictoriaMetrics: true,
		CAdvisor:        true,
		Services:        append([]ServiceSpec(nil), DefaultServices...),
		Wrapped:         true,
		Load:            &LoadSpec{Rate: 20, Duration: time.Hour},
	}
}

// Stack is a started stack.
type Stack struct {
	// Dir is the temporary directory (configs, data, logs in Dir/logs); removed by Stop.
	Dir    string
	LogDir string

	Prometheus       *Process
	VictoriaMetrics  *Process
	NodeExporter     *Process
	Postgres         *Postgres
	PostgresExporter *Process
	CAdvisor         *Process
	// Thanos is set when Options.Thanos was and Thanos could be built (else Notes say why).
	Thanos *Thanos
	// Services are the demo services in Options order; the wrapped instance, if any, is last.
	Services []*Service
	Load     *Process

	// Jobs are the scrape jobs of Prometheus and VictoriaMetrics (besides `prometheus`).
	Jobs []Job
	// Notes say what could not run here and why (cAdvisor, cgroups).
	Notes []string
	// Started is when Start returned.
	Started time.Time

	opts     Options
	cgroups  []*Cgroup
	mu       sync.Mutex
	stopOnce sync.Once
	stopErr  error
}

// Service returns the running service with nestjs_info name (e.g. "shop.orders"), unwrapped first.
func (s *Stack) Service(name string) *Service {
	var found *Service
	for _, svc := range s.Services {
		if svc.Name == name && (found == nil || found.Wrapped) {
			found = svc
		}
	}
	return found
}

// ServiceOfProfile returns the first running, unwrapped service of the profile (one of Profiles), or nil.
func (s *Stack) ServiceOfProfile(profile string) *Service {
	for _, svc := range s.Services {
		if svc.Profile == profile && !svc.Wrapped {
			return svc
		}
	}
	return nil
}

// Wrapped returns the WRAP_METRICS instance, or nil.
func (s *Stack) Wrapped() *Service {
	for _, svc := range s.Services {
		if svc.Wrapped {
			return svc
		}
	}
	return nil
}

func (s *Stack) note(format string, args ...any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	msg := fmt.Sprintf(format, args...)
	s.Notes = append(s.Notes, msg)
	s.opts.Logf("NOTE: %s", msg)
}

// Start starts the stack described by opts. On error everything already started is stopped.
func Start(ctx context.Context, opts Options) (_ *Stack, err error) {
	if opts.ScrapeInterval == 0 {
		opts.ScrapeInterval = 5 * time.Second
	}
	if opts.LookbackDelta == 0 {
		opts.LookbackDelta = time.Minute
	}
	if opts.MetricsPath == "" {
		opts.MetricsPath = "/metrics"
	}
	if opts.CgroupLimits == (CgroupLimits{}) {
		opts.CgroupLimits = CgroupLimits{MemoryBytes: 256 << 20, CPUQuota: 50_000, Pids: 256}
	}
	if opts.Logf == nil {
		opts.Logf = func(string, ...any) {}
	}
	if opts.RepoRoot == "" {
		root, rerr := findRepoRoot()
		if rerr != nil && (len(opts.Services) > 0 || opts.CAdvisor) {
			return nil, rerr
		}
		opts.RepoRoot = root
	}
	if l := opts.Load; l != nil {
		switch {
		case len(opts.Services) == 0:
			return nil, errors.New("the load generator needs demo services")
		case l.Rate < 0.1 || l.Rate > 200:
			return nil, fmt.Errorf("load rate %v: between 0.1 and 200 requests per second", l.Rate)
		case l.Duration < time.Second || l.Duration > 24*time.Hour:
			return nil, fmt.Errorf("load duration %s: between 1s and 24h", l.Duration)
		}
	}

	removeStaleTempDirs()
	removeStaleCgroups()
	dir, err := os.MkdirTemp("", "pulse-stack-")
	if err != nil {
		return nil, err
	}
	// 0711: the postgres user must reach its directory inside.
	if err := os.Chmod(dir, 0o711); err != nil {
		return nil, err
	}
	_ = os.WriteFile(filepath.Join(dir, "owner.pid"), []byte(strconv.Itoa(os.Getpid())), 0o644)
	s := &Stack{Dir: dir, LogDir: filepath.Join(dir, "logs"), opts: opts}
	defer func() {
		if err != nil {
			_ = s.Stop()
		}
	}()
	logf := opts.Logf
	started := time.Now()

	// Programs first, one apt-get for all that are missing.
	in := &installer{allow: !opts.NoInstall, logf: logf}
	progs := []program{progPrometheus}
	if opts.NodeExporter {
		progs = append(progs, progNodeExporter)
	}
	if opts.Postgres {
		progs = append(progs, progPostgres, progPostgresExporter)
	}
	if opts.VictoriaMetrics {
		progs = append(progs, progVictoriaMetrics)
	}
	if len(opts.Services) > 0 {
		progs = append(progs, progNode, progNpm)
	}
	bins, err := in.ensure(ctx, progs...)
	if err != nil {
		return nil, err
	}

	// Ports are chosen up front so that the scrape configuration can be written before the targets
	// run; Prometheus and VictoriaMetrics mark a target down until it answers.
	promAddr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	var vmAddr string
	if opts.VictoriaMetrics {
		if vmAddr, err = freeAddr(); err != nil {
			return nil, err
		}
	}

	// Independent parts start concurrently; the services wait for PostgreSQL's DSN.
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	run := func(name string, f func() error) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if ferr := f(); ferr != nil {
				errs <- fmt.Errorf("%s: %w", name, ferr)
			}
		}()
	}
	if opts.NodeExporter {
		run("node_exporter", func() error {
			p, err := StartNodeExporter(ctx, bins[progNodeExporter.pkg], s.LogDir)
			s.set(func() { s.NodeExporter = p })
			return err
		})
	}
	pgReady := make(chan string, 1) // the demo services' DATABASE_URL
	if opts.Postgres {
		run("postgres", func() error {
			pg, err := startPostgres(ctx, bins[progPostgres.pkg], filepath.Join(dir, "postgres"), s.LogDir)
			if err != nil {
				pgReady <- ""
				return err
			}
			s.set(func() { s.Postgres = pg })
			pgReady <- pg.AppDSN
			exp, err := startPostgresExporter(ctx, bins[progPostgresExporter.pkg], pg.SuperuserDSN, s.LogDir)
			s.set(func() { s.PostgresExporter = exp })
			return err
		})
	} else {
		pgReady <- ""
	}
	// Thanos builds for minutes the first time: alongside everything else.
	thanosBuilt := make(chan string, 1)
	if opts.Thanos {
		go func() {
			bin, err := BuildThanos(ctx, logf)
			if err != nil {
				s.note("Thanos is not running: it cannot be built here: %s", firstLine(err.Error()))
				if firstLine(err.Error()) != err.Error() {
					logf("%v", err)
				}
			}
			thanosBuilt <- bin
		}()
	}
	if opts.CAdvisor {
		run("cadvisor", func() error {
			s.startCAdvisor(ctx)
			return nil // cAdvisor is optional: failures become notes
		})
	}
	if len(opts.Services) > 0 {
		run("demo services", func() error {
			if err := EnsureDemoBuilt(ctx, opts.RepoRoot, bins[progNpm.pkg], logf); err != nil {
				<-pgReady
				return err
			}
			dsn := <-pgReady
			return s.startServices(ctx, bins[progNode.pkg], dsn)
		})
	}
	wg.Wait()
	close(errs)
	var startErrs []error
	for e := range errs {
		startErrs = append(startErrs, e)
	}
	if len(startErrs) > 0 {
		return nil, errors.Join(startErrs...)
	}

	s.Jobs = s.jobs()
	var external map[string]string
	if opts.Thanos {
		external = map[string]string{ReplicaLabel: "a"}
	}
	prom, err := StartPrometheus(ctx, PrometheusSpec{
		Binary:         bins[progPrometheus.pkg],
		Dir:            dir,
		LogDir:         s.LogDir,
		ScrapeInterval: opts.ScrapeInterval,
		LookbackDelta:  opts.LookbackDelta,
		Jobs:           s.Jobs,
		Addr:           promAddr,
		ExternalLabels: external,
	})
	s.Prometheus = prom
	if err != nil {
		return nil, fmt.Errorf("prometheus: %w", err)
	}
	if opts.VictoriaMetrics {
		// The replicas' jobs without their external labels, which VictoriaMetrics would add to every series.
		cfgPath := filepath.Join(dir, "victoria-metrics.yml")
		jobs := append([]Job{{Name: JobPrometheus, Targets: []Target{{Addr: promAddr}}}}, s.Jobs...)
		if err := os.WriteFile(cfgPath, []byte(ScrapeConfig(opts.ScrapeInterval, jobs)), 0o644); err != nil {
			return nil, err
		}
		vm, err := startVictoriaMetrics(ctx, bins[progVictoriaMetrics.pkg], vmAddr, filepath.Join(dir, "victoria-metrics"), cfgPath, s.LogDir)
		s.VictoriaMetrics = vm
		if err != nil {
			return nil, fmt.Errorf("victoria-metrics: %w", err)
		}
	}
	if opts.Thanos {
		if bin := <-thanosBuilt; bin != "" {
			if err := s.startThanos(ctx, bin, bins[progPrometheus.pkg]); err != nil {
				return nil, fmt.Errorf("thanos: %w", err)
			}
		}
	}
	if opts.Load != nil {
		var targets []*Service
		for _, svc := range s.Services {
			if !svc.Wrapped {
				targets = append(targets, svc)
			}
		}
		load, err := startLoad(opts.RepoRoot, bins[progNode.pkg], *opts.Load, targets, s.LogDir)
		s.Load = load
		if err != nil {
			return nil, fmt.Errorf("load: %w", err)
		}
	}
	s.Started = time.Now()
	logf("stack started in %s", s.Started.Sub(started).Round(100*time.Millisecond))
	return s, nil
}

func (s *Stack) set(f func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f()
}

func (s *Stack) startCAdvisor(ctx context.Context) {
	bin, err := BuildCAdvisor(ctx, s.opts.RepoRoot, s.opts.Logf)
	if err != nil {
		s.note("cAdvisor is not running: building demo/cadvisor failed: %s", firstLine(err.Error()))
		if firstLine(err.Error()) != err.Error() {
			s.opts.Logf("%v", err)
		}
		return
	}
	p, err := startCAdvisor(ctx, bin, s.LogDir)
	if err != nil {
		s.note("cAdvisor is not running: %s", firstLine(err.Error()))
		if firstLine(err.Error()) != err.Error() {
			s.opts.Logf("%v", err)
		}
		return
	}
	s.set(func() { s.CAdvisor = p })
	if os.Geteuid() != 0 {
		s.note("cAdvisor runs without root: cgroups it cannot read are missing")
	}
}

func (s *Stack) startServices(ctx context.Context, node, dsn string) error {
	specs := append([]ServiceSpec(nil), s.opts.Services...)
	if s.opts.Profiles {
		specs = append(specs, ProfileServices...)
	}
	if s.opts.Wrapped {
		specs = append(specs, WrappedService)
	}
	cgroupsOK, why := CgroupSupport()
	wantCgroups := false
	for _, spec := range specs {
		wantCgroups = wantCgroups || spec.Cgroup
	}
	if wantCgroups && !cgroupsOK {
		s.note("the demo services run without their own cgroups (no container signals for them): %s", why)
	}
	for _, spec := range specs {
		var cg *Cgroup
		if spec.Cgroup && cgroupsOK {
			c, err := CreateCgroup(spec.Short, s.opts.CgroupLimits)
			if err != nil {
				s.note("%s.%s runs without its cgroup: %v", DemoDomain, spec.Short, err)
			} else {
				cg = c
				s.set(func() { s.cgroups = append(s.cgroups, c) })
			}
		}
		svc, err := startService(ctx, s.opts.RepoRoot, node, spec, cg, s.opts.MetricsPath, dsn, s.LogDir)
		if err != nil {
			return err
		}
		s.set(func() { s.Services = append(s.Services, svc) })
	}
	return nil
}

// jobs are the scrape jobs for what is running, named like the seed's jobs.
func (s *Stack) jobs() []Job {
	var jobs []Job
	if s.NodeExporter != nil {
		jobs = append(jobs, Job{Name: JobNode, Targets: []Target{{Addr: s.NodeExporter.Addr}}})
	}
	if s.PostgresExporter != nil {
		jobs = append(jobs, Job{Name: JobPostgres, Targets: []Target{{Addr: s.PostgresExporter.Addr}}})
	}
	if s.CAdvisor != nil {
		jobs = append(jobs, Job{Name: JobCAdvisor, Targets: []Target{{Addr: s.CAdvisor.Addr}}})
	}
	// The services in their jobs (serviceJob), jobs in the order of their first service.
	var serviceJobs []Job
	for _, svc := range s.Services {
		i := slices.IndexFunc(serviceJobs, func(j Job) bool { return j.Name == svc.Job })
		if i < 0 {
			serviceJobs = append(serviceJobs, Job{Name: svc.Job, MetricsPath: s.opts.MetricsPath})
			i = len(serviceJobs) - 1
		}
		target := Target{Addr: svc.Instance}
		if svc.Job == JobNestJS {
			// The service label equals nestjs_info's name, so process and runtime series of an
			// instance can be told apart (and joined) without nestjs_info.
			target.Labels = map[string]string{"service": svc.Name}
		}
		serviceJobs[i].Targets = append(serviceJobs[i].Targets, target)
	}
	jobs = append(jobs, serviceJobs...)
	return append(jobs, s.opts.ExtraJobs...)
}

// Stop stops everything, removes the cgroups and the temporary directory. It is safe to call more
// than once and from several goroutines.
func (s *Stack) Stop() error {
	s.stopOnce.Do(func() {
		var errs []error
		// The load first, then the services (so they are not measured failing), then the rest.
		if err := stopAll(5*time.Second, s.Load); err != nil {
			errs = append(errs, err)
		}
		var svcProcs []*Process
		for _, svc := range s.Services {
			svcProcs = append(svcProcs, svc.proc)
		}
		if err := stopAll(5*time.Second, svcProcs...); err != nil {
			errs = append(errs, err)
		}
		var pg *Process
		if s.Postgres != nil {
			pg = s.Postgres.Process
		}
		if err := stopAll(10*time.Second, s.Thanos.processes()...); err != nil {
			errs = append(errs, err)
		}
		if err := stopAll(10*time.Second, s.Prometheus, s.VictoriaMetrics, s.NodeExporter, s.PostgresExporter, s.CAdvisor, pg); err != nil {
			errs = append(errs, err)
		}
		for _, cg := range s.cgroups {
			if err := cg.Remove(); err != nil {
				errs = append(errs, err)
			}
		}
		if s.Dir != "" {
			if err := os.RemoveAll(s.Dir); err != nil {
				errs = append(errs, err)
			}
		}
		s.stopErr = errors.Join(errs...)
	})
	return s.stopErr
}

// StartTB starts a stack for a test and stops it when the test ends, also when the test binary is
// interrupted (SIGINT/SIGTERM). Progress goes to t.Logf.
func StartTB(tb testing.TB, opts Options) *Stack {
	tb.Helper()
	if opts.Logf == nil {
		opts.Logf = tb.Logf
	}
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	s, err := Start(ctx, opts)
	if err != nil {
		tb.Fatalf("start the local stack: %v", err)
	}
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		select {
		case sig := <-sigs:
			fmt.Fprintf(os.Stderr, "stack: %v: stopping the local stack\n", sig)
			_ = s.Stop()
			os.Exit(130)
		case <-done:
		}
	}()
	tb.Cleanup(func() {
		signal.Stop(sigs)
		close(done)
		if err := s.Stop(); err != nil {
			tb.Errorf("stop the local stack: %v", err)
		}
	})
	return s
}

// Summary lists the URLs of what is running, one per line, and the notes.
func (s *Stack) Summary() string {
	var b strings.Builder
	line := func(name, value string) { fmt.Fprintf(&b, "  %-20s %s\n", name, value) }
	if s.Prometheus != nil {
		line("Prometheus", s.Prometheus.URL()+"  (targets: "+s.Prometheus.URL()+"/targets)")
	}
	if s.VictoriaMetrics != nil {
		line("VictoriaMetrics", s.VictoriaMetrics.URL()+"  (Prometheus API at the same URL)")
	}
	if th := s.Thanos; th != nil {
		line("Thanos Query", th.Query.URL()+"  (deduplicates on "+ReplicaLabel+"; Prometheus replica b: "+th.ReplicaB.URL()+")")
	}
	if s.NodeExporter != nil {
		line("node_exporter", s.NodeExporter.URL()+"/metrics")
	}
	if s.Postgres != nil {
		line("PostgreSQL", s.Postgres.Addr+"  (database shop; "+redactDSN(s.Postgres.AppDSN)+")")
	}
	if s.PostgresExporter != nil {
		line("postgres_exporter", s.PostgresExporter.URL()+"/metrics")
	}
	if s.CAdvisor != nil {
		line("cAdvisor", s.CAdvisor.URL()+"/metrics")
	}
	for _, svc := range s.Services {
		desc := svc.Name + " " + svc.Version + " (" + svc.Profile + ", job " + svc.Job + ")"
		if svc.Wrapped {
			desc += " WRAP_METRICS=true (scrape fails on purpose)"
		}
		if svc.Cgroup != nil {
			desc += ", cgroup " + svc.Cgroup.ID()
		}
		line(desc, svc.MetricsURL())
	}
	if s.Load != nil {
		line("load", fmt.Sprintf("%.0f req/s for %s (log %s)", s.opts.Load.Rate, s.opts.Load.Duration, s.Load.LogPath))
	}
	line("logs", s.LogDir)
	for _, n := range s.Notes {
		fmt.Fprintf(&b, "  NOTE: %s\n", n)
	}
	return b.String()
}

func redactDSN(dsn string) string {
	at := strings.LastIndexByte(dsn, '@')
	colon := strings.Index(dsn, "://")
	if at < 0 || colon < 0 {
		return dsn
	}
	userPass := dsn[colon+3 : at]
	if i := strings.IndexByte(userPass, ':'); i >= 0 {
		userPass = userPass[:i] + ":***"
	}
	return dsn[:colon+3] + userPass + dsn[at:]
}

// findRepoRoot finds the repository from this source file (go test, go run), else from the working
// directory upwards.
func findRepoRoot() (string, error) {
	isRoot := func(d string) bool {
		data, err := os.ReadFile(filepath.Join(d, "go.mod"))
		return err == nil && strings.Contains(string(data), "module github.com/pulse-monitoring/pulse\n") &&
			isDir(filepath.Join(d, "demo", "nestjs-app"))
	}
	if _, file, _, ok := runtime.Caller(0); ok {
		if d := filepath.Clean(filepath.Join(filepath.Dir(file), "..", "..")); isRoot(d) {
			return d, nil
		}
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for d := wd; ; d = filepath.Dir(d) {
		if isRoot(d) {
			return d, nil
		}
		if filepath.Dir(d) == d {
			return "", fmt.Errorf("cannot find the Pulse repository (go.mod and demo/nestjs-app) from %s; set Options.RepoRoot", wd)
		}
	}
}

func isDir(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}

// removeStaleTempDirs removes pulse-stack-* directories whose owner process is gone (a stack that
// was killed before it could clean up). Directories without this package's owner.pid are left alone.
func removeStaleTempDirs() {
	dirs, _ := filepath.Glob(filepath.Join(os.TempDir(), "pulse-stack-*"))
	for _, d := range dirs {
		if !isDir(d) {
			continue
		}
		data, err := os.ReadFile(filepath.Join(d, "owner.pid"))
		if err != nil {
			continue
		}
		pid, err := strconv.Atoi(strings.TrimSpace(string(data)))
		if err != nil || pid <= 0 || syscall.Kill(pid, 0) == nil {
			continue // unreadable, or its stack is still running
		}
		_ = os.RemoveAll(d)
	}
}
