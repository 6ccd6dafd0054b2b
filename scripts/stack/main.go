// Command stack runs the Pulse local demo stack without Docker, on free 127.0.0.1 ports:
// Prometheus, node_exporter, PostgreSQL + postgres_exporter, VictoriaMetrics, cAdvisor, the two demo
// NestJS services (plus one with WRAP_METRICS=true whose scrape fails on purpose) and the load;
// with --with-thanos also a second Prometheus replica, a Thanos sidecar beside each and Thanos Query;
// with --with-profiles one more demo service per instrumentation profile (shop.catalog nestjs-requests,
// shop.payments prom-client-http, shop.users otel-http, shop.search otel-http-legacy), under the load too.
//
//	go run ./scripts/stack                 # until Ctrl-C
//	go run ./scripts/stack --duration 10m  # stops by itself
//	go run ./scripts/stack --with-profiles # and a service in every instrumentation profile
//
// It prints the URLs once everything answers, and stops everything it started on Ctrl-C, SIGTERM or
// at the end of --duration, leaving no processes, ports, cgroups or temporary directories. Missing
// Debian packages are installed with apt-get when run as root; otherwise it prints the command.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/pulse-monitoring/pulse/internal/fleet"
	"github.com/pulse-monitoring/pulse/internal/stack"
)

func main() {
	var (
		duration       = flag.Duration("duration", 0, "stop after this long (0: run until Ctrl-C or SIGTERM)")
		noLoad         = flag.Bool("no-load", false, "do not start the load generator")
		loadRate       = flag.Float64("load-rate", 20, "requests per second of the load generator, over all the services (max 200)")
		loadDuration   = flag.Duration("load-duration", 0, "how long the load runs (default: --duration, or 1h; max 24h)")
		withVM         = flag.Bool("with-vm", true, "start VictoriaMetrics (scraping the same targets)")
		withThanos     = flag.Bool("with-thanos", false, "start a second Prometheus replica, a Thanos sidecar beside each and Thanos Query (builds Thanos "+stack.ThanosVersion+" the first time: minutes)")
		buildThanos    = flag.Bool("build-thanos", false, "only build Thanos (or find it cached) and exit; the test script runs this before the integration suite")
		withCAdvisor   = flag.Bool("with-cadvisor", true, "build and start cAdvisor (demo/cadvisor)")
		withPostgres   = flag.Bool("with-postgres", true, "start PostgreSQL and postgres_exporter")
		withWrapped    = flag.Bool("with-wrapped", true, "start a third instance with WRAP_METRICS=true (its scrape fails: the seed's pitfall)")
		withProfiles   = flag.Bool("with-profiles", false, "start one more demo service per instrumentation profile (nestjs-requests, prom-client-http, otel-http, otel-http-legacy), each with its own version")
		metricsPath    = flag.String("metrics-path", "/metrics", "METRICS_PATH of the demo services (the seed used /api/capa-metrics)")
		scrapeInterval = flag.Duration("scrape-interval", 5*time.Second, "scrape interval of Prometheus and VictoriaMetrics")
		noInstall      = flag.Bool("no-install", false, "never run apt-get; print the command instead")
		fleetSize      = flag.String("fleet", "", "also serve a synthetic fleet of <services>x<instances>[+<canaries>] seed-instrumented services (e.g. 50x3: one port per instance, job "+fleet.Job+", one service in ten running two versions unless +N says how many)")
		readyTimeout   = flag.Duration("ready-timeout", 3*time.Minute, "how long to wait for every target and the first load")
	)
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "Usage: go run ./scripts/stack [flags]\n\nStarts the Pulse local stack on 127.0.0.1 without Docker.\n\n")
		flag.PrintDefaults()
	}
	flag.Parse()

	// `go run` does not pass SIGTERM on to the program: stop cleanly when the parent goes away. (Not
	// when started detached, e.g. by setsid or nohup, whose parent is already init.)
	if os.Getppid() != 1 {
		_, _, _ = syscall.RawSyscall(syscall.SYS_PRCTL, syscall.PR_SET_PDEATHSIG, uintptr(syscall.SIGTERM), 0)
	}

	opts := stack.Full()
	opts.ScrapeInterval = *scrapeInterval
	opts.VictoriaMetrics = *withVM
	opts.CAdvisor = *withCAdvisor
	opts.Thanos = *withThanos
	opts.Postgres = *withPostgres
	opts.Wrapped = *withWrapped
	opts.Profiles = *withProfiles
	opts.MetricsPath = *metricsPath
	opts.NoInstall = *noInstall
	opts.Logf = func(format string, args ...any) {
		fmt.Fprintf(os.Stderr, "%s stack: %s\n", time.Now().Format("15:04:05"), fmt.Sprintf(format, args...))
	}
	if *buildThanos {
		start := time.Now()
		bin, err := stack.BuildThanos(context.Background(), opts.Logf)
		if err != nil {
			fmt.Fprintf(os.Stderr, "stack: Thanos cannot be built here: %v\n", err)
			os.Exit(1)
		}
		fmt.Printf("Thanos %s: %s (%s)\n", stack.ThanosVersion, bin, time.Since(start).Round(time.Second))
		return
	}
	if *noLoad {
		opts.Load = nil
	} else {
		d := *loadDuration
		if d == 0 {
			d = *duration
		}
		if d == 0 {
			d = time.Hour
		}
		opts.Load = &stack.LoadSpec{Rate: *loadRate, Duration: d}
	}
	var synthetic *fleet.Fleet
	if *fleetSize != "" {
		spec, err := fleet.ParseSpec(*fleetSize)
		if err == nil {
			synthetic, err = fleet.Start(spec)
		}
		if err != nil {
			fmt.Fprintf(os.Stderr, "stack: %v\n", err)
			os.Exit(2)
		}
		opts.ExtraJobs = append(opts.ExtraJobs, fleetJob(synthetic))
		opts.Logf("synthetic fleet: %d services × %d instances (%d with a canary on %s) in job %s", spec.Services, spec.Instances, spec.Canaries, fleet.CanaryVersion, fleet.Job)
	}
	err := run(opts, *duration, *readyTimeout)
	if synthetic != nil {
		synthetic.Stop()
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "stack: %v\n", err)
		os.Exit(1)
	}
}

// fleetJob scrapes every synthetic instance, each with the service label the demo's targets carry.
func fleetJob(f *fleet.Fleet) stack.Job {
	job := stack.Job{Name: fleet.Job}
	for _, t := range f.Targets {
		job.Targets = append(job.Targets, stack.Target{Addr: t.Addr, Labels: map[string]string{"service": t.Service}})
	}
	return job
}

func run(opts stack.Options, duration, readyTimeout time.Duration) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if duration > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, duration)
		defer cancel()
	}

	s, err := stack.Start(ctx, opts)
	if err != nil {
		return err
	}
	defer func() {
		opts.Logf("stopping everything")
		if s.Load != nil && !s.Load.Exited() {
			// SIGTERM makes the load generator finish its requests in flight and print its summary.
			_ = s.Load.Stop(20 * time.Second)
			opts.Logf("load generator summary:\n%s", indent(s.Load.LogTail(4000)))
		}
		if err := s.Stop(); err != nil {
			opts.Logf("stop: %v", err)
			return
		}
		opts.Logf("stopped; processes, cgroups and %s are gone", s.Dir)
	}()

	readyCtx, cancelReady := context.WithTimeout(ctx, readyTimeout)
	err = s.WaitReady(readyCtx)
	cancelReady()
	switch {
	case ctx.Err() != nil:
		return nil
	case err != nil:
		opts.Logf("%v", err)
		opts.Logf("the stack keeps running so that you can look; logs are in %s", s.LogDir)
	}

	fmt.Printf("\nPulse local stack (scrape every %s):\n%s", opts.ScrapeInterval, s.Summary())
	engines := []string{s.Prometheus.URL() + " (Prometheus)"}
	if s.VictoriaMetrics != nil {
		engines = append(engines, s.VictoriaMetrics.URL()+" (VictoriaMetrics)")
	}
	if s.Thanos != nil {
		engines = append(engines, s.Thanos.Query.URL()+" (Thanos Query)")
	}
	fmt.Printf("\nPoint the Pulse data source at %s.\n", strings.Join(engines, " or "))
	if duration > 0 {
		fmt.Printf("Stops in %s, or on Ctrl-C.\n\n", duration)
	} else {
		fmt.Printf("Ctrl-C stops everything.\n\n")
	}

	var loadDone <-chan struct{}
	if s.Load != nil {
		loadDone = s.Load.Done()
	}
	for {
		select {
		case <-ctx.Done():
			if errors.Is(ctx.Err(), context.DeadlineExceeded) {
				opts.Logf("--duration %s is over", duration)
			}
			return nil
		case <-loadDone:
			loadDone = nil
			opts.Logf("the load generator finished (%v); its summary:\n%s", s.Load.ExitErr(), indent(s.Load.LogTail(4000)))
		case <-time.After(5 * time.Second):
			for _, p := range exited(s) {
				return fmt.Errorf("%s exited unexpectedly (%v); its log:\n%s", p.Name, p.ExitErr(), p.LogTail(3000))
			}
		}
	}
}

// exited lists servers that died while the stack runs (the load generator ends by design).
func exited(s *stack.Stack) []*stack.Process {
	var out []*stack.Process
	procs := []*stack.Process{s.Prometheus, s.VictoriaMetrics, s.NodeExporter, s.PostgresExporter, s.CAdvisor}
	if th := s.Thanos; th != nil {
		procs = append(procs, th.ReplicaB, th.Query, th.Sidecars["a"], th.Sidecars["b"])
	}
	if s.Postgres != nil {
		procs = append(procs, s.Postgres.Process)
	}
	for _, svc := range s.Services {
		procs = append(procs, svc.Process())
	}
	for _, p := range procs {
		if p != nil && p.Exited() {
			out = append(out, p)
		}
	}
	return out
}

func indent(s string) string {
	return "    " + strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n    ")
}
