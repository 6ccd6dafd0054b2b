// Package fleet serves a synthetic fleet of NestJS services for the local stack: many services × instances, each
// instance on its own 127.0.0.1 port (a Prometheus target of its own, as a real instance is), exposing the seed's
// four metrics (nestjs_info, the success and fail histograms, the failed counter) and process_start_time_seconds,
// with values that grow with time as a steady load would make them. It shows how pages read at fleet size without
// starting 150 Node.js processes: one goroutine per listener, a few kilobytes per scrape.
package fleet

import (
	"errors"
	"fmt"
	"math"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Domain is the nestjs_info domain of the synthetic services: their names are "fleet.svc-01", ….
const Domain = "fleet"

// Job is the scrape job of the synthetic targets.
const Job = "nestjs-fleet"

// Spec is the fleet's size.
type Spec struct {
	Services  int
	Instances int
	// Canaries is how many services (the first ones) run two versions at once: their last instance reports the
	// next version.
	Canaries int
}

// MaxTargets bounds Services × Instances: each is a listening port.
const MaxTargets = 2000

// ParseSpec reads "<services>x<instances>" (e.g. "50x3"); a third part "+<canaries>" is optional ("50x3+5").
// Without it, one service in ten runs a canary.
func ParseSpec(s string) (Spec, error) {
	bad := fmt.Errorf("fleet %q: want <services>x<instances>[+<canaries>], e.g. 50x3 or 50x3+5", s)
	size, canaries, hasCanaries := strings.Cut(s, "+")
	a, b, ok := strings.Cut(size, "x")
	if !ok {
		return Spec{}, bad
	}
	services, err1 := strconv.Atoi(a)
	instances, err2 := strconv.Atoi(b)
	if err1 != nil || err2 != nil || services < 1 || instances < 1 {
		return Spec{}, bad
	}
	if services*instances > MaxTargets {
		return Spec{}, fmt.Errorf("fleet %q: %d targets, at most %d", s, services*instances, MaxTargets)
	}
	spec := Spec{Services: services, Instances: instances, Canaries: services / 10}
	if hasCanaries {
		n, err := strconv.Atoi(canaries)
		if err != nil || n < 0 || n > services {
			return Spec{}, bad
		}
		spec.Canaries = n
	}
	if instances < 2 {
		spec.Canaries = 0 // a canary needs an instance beside it on the old version
	}
	return spec, nil
}

// Target is one synthetic instance.
type Target struct {
	Addr    string
	Service string
	Version string
}

// Fleet is a started fleet.
type Fleet struct {
	Targets []Target
	servers []*http.Server
	wg      sync.WaitGroup
}

// Start listens for every instance of the spec and serves its metrics until Stop.
func Start(spec Spec) (*Fleet, error) {
	if spec.Services < 1 || spec.Instances < 1 || spec.Services*spec.Instances > MaxTargets {
		return nil, fmt.Errorf("fleet: %d services × %d instances is not a fleet of 1 to %d targets", spec.Services, spec.Instances, MaxTargets)
	}
	f := &Fleet{}
	start := time.Now()
	for s := 0; s < spec.Services; s++ {
		for i := 0; i < spec.Instances; i++ {
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				f.Stop()
				return nil, fmt.Errorf("fleet: listen for %s instance %d: %w", ServiceName(s), i+1, err)
			}
			inst := newInstance(s, i, spec, start)
			srv := &http.Server{Handler: inst, ReadHeaderTimeout: 5 * time.Second}
			f.servers = append(f.servers, srv)
			f.Targets = append(f.Targets, Target{Addr: ln.Addr().String(), Service: inst.name, Version: inst.version})
			f.wg.Add(1)
			go func() {
				defer f.wg.Done()
				if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
					_ = err // a listener closed under it: Stop is under way
				}
			}()
		}
	}
	return f, nil
}

// Stop closes every listener and waits for the servers to end.
func (f *Fleet) Stop() {
	for _, srv := range f.servers {
		_ = srv.Close()
	}
	f.wg.Wait()
}

// ServiceName is the nestjs_info name of the s-th service (from 0).
func ServiceName(s int) string {
	return fmt.Sprintf("%s.svc-%02d", Domain, s+1)
}

// Versions of the synthetic services: the running one and the canary's.
const (
	StableVersion = "1.0.0"
	CanaryVersion = "1.1.0"
)

// operation is one controller, handler and method of a service with its share of the traffic.
type operation struct {
	controller, handler, method, errorClass string
	share                                   float64
}

var operations = []operation{
	{"ItemsController", "list", "GET", "NotFoundException", 0.6},
	{"ItemsController", "create", "POST", "BadRequestException", 0.3},
	{"HealthController", "check", "GET", "ServiceUnavailableException", 0.1},
}

// buckets are the seed interceptor's histogram buckets (seconds).
var buckets = []float64{0.0001, 0.001, 0.005, 0.01, 0.025, 0.05, 0.075, 0.09, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}

type instance struct {
	name, version, instanceID string
	start                     time.Time
	processStart              float64
	rate, errorRatio, median  float64
}

// newInstance gives each service its own traffic, error ratio and latency (deterministic, so a run reads the same
// every time); a canary's latency is 1.5 times its service's.
func newInstance(s, i int, spec Spec, start time.Time) *instance {
	in := &instance{
		name:         ServiceName(s),
		version:      StableVersion,
		instanceID:   strconv.Itoa(i + 1),
		start:        start,
		processStart: float64(start.Unix() - int64(60*(s+i))),
		rate:         1 + float64(s%5)*0.5,
		errorRatio:   0.01 * float64(1+s%7),
		median:       0.01 * float64(1+s%4),
	}
	if s < spec.Canaries && i == spec.Instances-1 {
		in.version = CanaryVersion
		in.median *= 1.5
	}
	return in
}

// share is the log-normal CDF at le of latencies with the given median (sigma 0.8): the share of requests that
// took at most le seconds.
func share(le, median float64) float64 {
	return 0.5 * math.Erfc(-math.Log(le/median)/(0.8*math.Sqrt2))
}

func (in *instance) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/metrics" {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	_, _ = w.Write([]byte(in.exposition(time.Since(in.start).Seconds())))
}

// exposition is the text format at `elapsed` seconds after the start: every count is the whole number of requests
// the steady rate has produced so far, so counters only grow.
func (in *instance) exposition(elapsed float64) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# HELP nestjs_info Service information\n# TYPE nestjs_info gauge\n")
	fmt.Fprintf(&b, "nestjs_info{domain=%q,name=%q,version=%q} 1\n", Domain, in.name, in.version)
	fmt.Fprintf(&b, "# HELP process_start_time_seconds Start time of the process since unix epoch in seconds.\n# TYPE process_start_time_seconds gauge\n")
	fmt.Fprintf(&b, "process_start_time_seconds %d\n", int64(in.processStart))
	total := in.rate * elapsed
	for _, outcome := range []struct {
		metric string
		share  float64
		slower float64
	}{{"nestjs_success_requests", 1 - in.errorRatio, 1}, {"nestjs_fail_requests", in.errorRatio, 2}} {
		fmt.Fprintf(&b, "# HELP %s Requests by outcome\n# TYPE %s histogram\n", outcome.metric, outcome.metric)
		for _, op := range operations {
			count := math.Floor(total * outcome.share * op.share)
			labels := fmt.Sprintf("controller=%q,handler=%q,method=%q", op.controller, op.handler, op.method)
			for _, le := range buckets {
				fmt.Fprintf(&b, "%s_bucket{%s,le=%q} %d\n", outcome.metric, labels, formatLe(le), int64(math.Floor(count*share(le, in.median*outcome.slower))))
			}
			fmt.Fprintf(&b, "%s_bucket{%s,le=\"+Inf\"} %d\n", outcome.metric, labels, int64(count))
			fmt.Fprintf(&b, "%s_sum{%s} %g\n", outcome.metric, labels, count*in.median*outcome.slower*math.Exp(0.32))
			fmt.Fprintf(&b, "%s_count{%s} %d\n", outcome.metric, labels, int64(count))
		}
	}
	fmt.Fprintf(&b, "# HELP nestjs_requests_failed_count Failed requests\n# TYPE nestjs_requests_failed_count counter\n")
	for _, op := range operations {
		count := math.Floor(total * in.errorRatio * op.share)
		fmt.Fprintf(&b, "nestjs_requests_failed_count{controller=%q,error=%q,handler=%q,method=%q} %d\n", op.controller, op.errorClass, op.handler, op.method, int64(count))
	}
	return b.String()
}

func formatLe(le float64) string {
	return strconv.FormatFloat(le, 'f', -1, 64)
}
