// Package integration_test starts the whole local stack (internal/stack: Prometheus, node_exporter,
// PostgreSQL + postgres_exporter, VictoriaMetrics, cAdvisor, the two demo NestJS services, one more
// with WRAP_METRICS=true, and the load generator) and checks real data end to end: the demo app's
// /metrics output against the seed's instrumentation, then what Prometheus, VictoriaMetrics and
// Thanos Query (over two Prometheus replicas) stored. Nothing is mocked. Missing Debian packages are installed when running as root.
package integration_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/pulse-monitoring/pulse/internal/stack"
)

// The seed's buckets (seconds), and +Inf.
var seedBuckets = []float64{0.0001, 0.001, 0.005, 0.01, 0.025, 0.05, 0.075, 0.09, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, math.Inf(1)}

func TestLocalStack(t *testing.T) {
	started := time.Now()
	opts := stack.Full()
	opts.Thanos = true
	opts.Load = &stack.LoadSpec{Rate: 20, Duration: 10 * time.Minute}
	s := stack.StartTB(t, opts)
	t.Logf("stack started in %s:\n%s", time.Since(started).Round(100*time.Millisecond), s.Summary())

	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	if err := s.WaitReady(ctx); err != nil {
		t.Fatal(err)
	}
	t.Logf("ready %s after start (every target scraped, successes and failures on both services)", time.Since(started).Round(100*time.Millisecond))
	prom := s.Prometheus.URL()
	gateway, orders, wrapped := s.Service("shop.gateway"), s.Service("shop.orders"), s.Wrapped()
	if gateway == nil || orders == nil || wrapped == nil {
		t.Fatalf("services missing: gateway %v, orders %v, wrapped %v", gateway, orders, wrapped)
	}

	t.Run("demo /metrics has the four seed metrics with the seed's labels and buckets", func(t *testing.T) {
		for _, svc := range []*stack.Service{gateway, orders} {
			body, contentType := get(t, svc.MetricsURL())
			if !strings.HasPrefix(contentType, "text/plain") {
				t.Errorf("%s: Content-Type %q", svc.Name, contentType)
			}
			parser := expfmt.NewTextParser(model.LegacyValidation)
			families, err := parser.TextToMetricFamilies(strings.NewReader(body))
			if err != nil {
				t.Fatalf("%s: /metrics is not the text format: %v", svc.Name, err)
			}
			for _, name := range []string{"nestjs_success_requests", "nestjs_fail_requests"} {
				mf := families[name]
				if mf == nil || mf.GetType().String() != "HISTOGRAM" {
					t.Fatalf("%s: %s is missing or not a histogram", svc.Name, name)
				}
				for _, m := range mf.GetMetric() {
					labels := labelMap(m.GetLabel())
					if got := sortedKeys(labels); !slices.Equal(got, []string{"controller", "handler", "method"}) {
						t.Errorf("%s: %s labels %v, want controller, handler, method", svc.Name, name, got)
					}
					if labels["controller"] == "PrometheusController" {
						t.Errorf("%s: the metrics path is measured: %v", svc.Name, labels)
					}
					var bounds []float64
					for _, b := range m.GetHistogram().GetBucket() {
						bounds = append(bounds, b.GetUpperBound())
					}
					if !slices.Equal(bounds, seedBuckets) && !slices.Equal(append(bounds, math.Inf(1)), seedBuckets) {
						t.Errorf("%s: %s buckets %v, want %v", svc.Name, name, bounds, seedBuckets)
					}
				}
				t.Logf("%s: %s histogram, %d series (controller, handler, method), seed buckets", svc.Name, name, len(mf.GetMetric()))
			}
			failed := families["nestjs_requests_failed_count"]
			if failed == nil || failed.GetType().String() != "COUNTER" {
				t.Fatalf("%s: nestjs_requests_failed_count is missing or not a counter", svc.Name)
			}
			errorsSeen := map[string]bool{}
			for _, m := range failed.GetMetric() {
				labels := labelMap(m.GetLabel())
				if got := sortedKeys(labels); !slices.Equal(got, []string{"controller", "error", "handler", "method"}) {
					t.Errorf("%s: nestjs_requests_failed_count labels %v", svc.Name, got)
				}
				if labels["error"] == "" {
					t.Errorf("%s: failure without an error class: %v", svc.Name, labels)
				}
				errorsSeen[labels["error"]] = true
			}
			t.Logf("%s: nestjs_requests_failed_count, %d series, errors %v", svc.Name, len(failed.GetMetric()), sortedKeys(errorsSeen))
			info := families["nestjs_info"]
			if info == nil || info.GetType().String() != "GAUGE" || len(info.GetMetric()) != 1 {
				t.Fatalf("%s: nestjs_info is missing or not one gauge", svc.Name)
			}
			want := map[string]string{"domain": stack.DemoDomain, "name": svc.Name, "version": svc.Version}
			if got := labelMap(info.GetMetric()[0].GetLabel()); !maps(got, want) || info.GetMetric()[0].GetGauge().GetValue() != 1 {
				t.Errorf("%s: nestjs_info %v = %v, want %v = 1", svc.Name, got, info.GetMetric()[0].GetGauge().GetValue(), want)
			}
			if families["process_cpu_seconds_total"] == nil || families["nodejs_eventloop_lag_seconds"] == nil {
				t.Errorf("%s: prom-client default metrics are missing", svc.Name)
			}
		}
	})

	t.Run("WRAP_METRICS=true serves the metrics inside the JSON envelope", func(t *testing.T) {
		body, contentType := get(t, wrapped.MetricsURL())
		var envelope struct {
			Code    int    `json:"code"`
			Success bool   `json:"success"`
			Data    string `json:"data"`
		}
		if err := json.Unmarshal([]byte(body), &envelope); err != nil {
			t.Fatalf("the wrapped endpoint is not JSON: %v: %.200s", err, body)
		}
		if !strings.Contains(envelope.Data, "# TYPE nestjs_info gauge") {
			t.Errorf("the envelope does not carry the metrics text: %.200s", envelope.Data)
		}
		t.Logf("%s answers JSON {code:%d, success:%v, data:<%d bytes of metrics>} with Content-Type %q", wrapped.MetricsURL(), envelope.Code, envelope.Success, len(envelope.Data), contentType)
	})

	t.Run("Prometheus has both services' nestjs_info with their versions", func(t *testing.T) {
		samples := query(t, prom, `nestjs_info{job="nestjs"}`)
		got := map[string]string{}
		for _, smp := range samples {
			got[smp.Metric["name"]] = smp.Metric["version"]
			if smp.Metric["service"] != smp.Metric["name"] {
				t.Errorf("target label service=%q differs from nestjs_info name %q", smp.Metric["service"], smp.Metric["name"])
			}
		}
		want := map[string]string{"shop.gateway": gateway.Version, "shop.orders": orders.Version}
		if !maps(got, want) {
			t.Errorf("nestjs_info versions %v, want %v (the wrapped instance must not be stored)", got, want)
		}
		t.Logf("nestjs_info: %v", got)
	})

	t.Run("Prometheus has success and fail histogram series for both services", func(t *testing.T) {
		for _, m := range []string{"nestjs_success_requests", "nestjs_fail_requests"} {
			for _, svc := range []*stack.Service{gateway, orders} {
				buckets := query(t, prom, fmt.Sprintf(`count by (le) (%s_bucket{instance=%q})`, m, svc.Instance))
				var les []float64
				for _, b := range buckets {
					le, err := strconv.ParseFloat(b.Metric["le"], 64)
					if err != nil {
						t.Fatalf("le %q: %v", b.Metric["le"], err)
					}
					les = append(les, le)
				}
				sort.Float64s(les)
				if !slices.Equal(les, seedBuckets) {
					t.Errorf("%s %s: le values %v, want %v", svc.Name, m, les, seedBuckets)
				}
				rate := query(t, prom, fmt.Sprintf(`sum(rate(%s_count{instance=%q}[1m]))`, m, svc.Instance))
				if len(rate) != 1 || !(rate[0].Value > 0) {
					t.Errorf("%s %s: rate %v, want > 0", svc.Name, m, rate)
					continue
				}
				series := query(t, prom, fmt.Sprintf(`count(%s_count{instance=%q})`, m, svc.Instance))
				total := query(t, prom, fmt.Sprintf(`sum(%s_count{instance=%q})`, m, svc.Instance))
				t.Logf("%s %s: %v series (handlers), %v requests so far, rate > 0", svc.Name, m, series[0].Value, total[0].Value)
			}
		}
		p95 := query(t, prom, `histogram_quantile(0.95, sum by (service, le) (rate(nestjs_success_requests_bucket[1m])))`)
		for _, smp := range p95 {
			t.Logf("p95 of successes, %s: %.3f s", smp.Metric["service"], smp.Value)
		}
	})

	t.Run("nestjs_requests_failed_count names the exception classes", func(t *testing.T) {
		if empty := query(t, prom, `nestjs_requests_failed_count{error=""}`); len(empty) > 0 {
			t.Errorf("%d failure series without error: %v", len(empty), empty[0].Metric)
		}
		byError := query(t, prom, `sum by (error) (nestjs_requests_failed_count)`)
		got := map[string]float64{}
		for _, smp := range byError {
			got[smp.Metric["error"]] = smp.Value
		}
		for _, e := range []string{"NotFoundException", "BadRequestException"} {
			if got[e] == 0 {
				t.Errorf("no %s failures yet: %v", e, got)
			}
		}
		t.Logf("failures by exception class: %v", got)
	})

	t.Run("node_exporter", func(t *testing.T) {
		uname := query(t, prom, `node_uname_info{job="node"}`)
		cpu := query(t, prom, `sum(rate(node_cpu_seconds_total{job="node"}[1m]))`)
		if len(uname) != 1 || len(cpu) != 1 || !(cpu[0].Value > 0) {
			t.Fatalf("node_uname_info %v, CPU rate %v", uname, cpu)
		}
		t.Logf("node_exporter: host %s, %.2f CPU-seconds/s over all modes", uname[0].Metric["nodename"], cpu[0].Value)
	})

	t.Run("postgres_exporter sees the database and the demo's queries", func(t *testing.T) {
		up := query(t, prom, `pg_up{job="postgres"}`)
		if len(up) != 1 || up[0].Value != 1 {
			t.Fatalf("pg_up %v, want 1", up)
		}
		inserted := query(t, prom, `pg_stat_database_tup_inserted{datname="shop"}`)
		// A rate needs two scrapes of the database's row; on a loaded machine the stack can be ready
		// before postgres_exporter's second one.
		commitRate := `rate(pg_stat_database_xact_commit{datname="shop"}[1m])`
		waitCtx, cancelWait := context.WithTimeout(context.Background(), 30*time.Second)
		_ = stack.WaitForQuery(waitCtx, prom, commitRate)
		cancelWait()
		commits := query(t, prom, commitRate)
		if len(inserted) != 1 || !(inserted[0].Value > 0) || len(commits) != 1 || !(commits[0].Value > 0) {
			t.Fatalf("database shop: rows inserted %v, commit rate %v (POST /orders inserts rows)", inserted, commits)
		}
		t.Logf("pg_up 1; database shop: %v rows inserted, %.2f commits/s", inserted[0].Value, commits[0].Value)
	})

	t.Run("VictoriaMetrics answers the same up query", func(t *testing.T) {
		if s.VictoriaMetrics == nil {
			t.Fatal("VictoriaMetrics was not started")
		}
		vm := s.VictoriaMetrics.URL()
		promUp, vmUp := upByTarget(t, prom), upByTarget(t, vm)
		if !slices.Equal(sortedKeys(promUp), sortedKeys(vmUp)) {
			t.Fatalf("targets differ: Prometheus %v, VictoriaMetrics %v", sortedKeys(promUp), sortedKeys(vmUp))
		}
		for target, v := range promUp {
			if strings.HasSuffix(target, "/"+wrapped.Instance) {
				continue // checked below
			}
			if v != 1 || vmUp[target] != 1 {
				t.Errorf("%s: up %v in Prometheus, %v in VictoriaMetrics", target, v, vmUp[target])
			}
		}
		// VictoriaMetrics 1.79 keeps up=1 for a body it cannot parse and stores no samples; only
		// scrape_samples_scraped (and its log) tell.
		samples := query(t, vm, fmt.Sprintf(`scrape_samples_scraped{instance=%q}`, wrapped.Instance))
		if len(samples) != 1 || samples[0].Value != 0 {
			t.Errorf("VictoriaMetrics scrape_samples_scraped of the wrapped instance: %v, want 0", samples)
		}
		t.Logf("up: %d targets, same in both; the wrapped instance: up %v in Prometheus, up %v with 0 samples scraped in VictoriaMetrics",
			len(promUp), promUp["nestjs/"+wrapped.Instance], vmUp["nestjs/"+wrapped.Instance])
	})

	t.Run("cAdvisor reports the demo cgroups as containers", func(t *testing.T) {
		if s.CAdvisor == nil {
			t.Skipf("cAdvisor does not run on this machine: %s", strings.Join(s.Notes, "; "))
		}
		var checked int
		for _, svc := range []*stack.Service{gateway, orders} {
			if svc.Cgroup == nil {
				t.Skipf("%s runs without a cgroup here: %s", svc.Name, strings.Join(s.Notes, "; "))
			}
			id := svc.Cgroup.ID()
			ws := query(t, prom, fmt.Sprintf(`container_memory_working_set_bytes{job="cadvisor",id=%q}`, id))
			limit := query(t, prom, fmt.Sprintf(`container_spec_memory_limit_bytes{id=%q}`, id))
			quota := query(t, prom, fmt.Sprintf(`container_spec_cpu_quota{id=%q}`, id))
			cpu := query(t, prom, fmt.Sprintf(`rate(container_cpu_usage_seconds_total{id=%q}[1m])`, id))
			if len(ws) != 1 || !(ws[0].Value > 10<<20) {
				t.Errorf("%s: working set %v, want a Node.js process' worth (> 10 MiB) charged to the cgroup", id, ws)
			}
			if len(limit) != 1 || limit[0].Value != float64(256<<20) {
				t.Errorf("%s: memory limit %v, want 256 MiB", id, limit)
			}
			if len(quota) != 1 || quota[0].Value != 50000 {
				t.Errorf("%s: CPU quota %v, want 50000", id, quota)
			}
			if len(cpu) != 1 || !(cpu[0].Value > 0) {
				t.Errorf("%s: CPU rate %v, want > 0", id, cpu)
			}
			if len(ws) == 1 && len(cpu) == 1 {
				t.Logf("cAdvisor %s (%s): working set %.1f MiB of 256 MiB, %.3f cores of a 0.5 quota", id, svc.Name, ws[0].Value/(1<<20), cpu[0].Value)
				checked++
			}
		}
		if checked != 2 {
			t.Errorf("checked %d of 2 containers", checked)
		}
	})

	t.Run("the WRAP_METRICS instance fails to scrape in Prometheus", func(t *testing.T) {
		targets, err := stack.Targets(context.Background(), prom)
		if err != nil {
			t.Fatal(err)
		}
		var found bool
		for _, tg := range targets {
			if tg.Labels["instance"] != wrapped.Instance {
				continue
			}
			found = true
			if tg.Health != "down" || tg.LastError == "" {
				t.Errorf("wrapped target: health %q, lastError %q; want down with an error", tg.Health, tg.LastError)
			}
			t.Logf("target %s: health %s, lastError %q", tg.ScrapeURL, tg.Health, tg.LastError)
		}
		if !found {
			t.Fatalf("the wrapped instance %s is not a target", wrapped.Instance)
		}
		up := query(t, prom, fmt.Sprintf(`up{instance=%q}`, wrapped.Instance))
		if len(up) != 1 || up[0].Value != 0 {
			t.Errorf("up of the wrapped instance: %v, want 0", up)
		}
	})

	t.Run("every signal returns data through the plugin binary", func(t *testing.T) {
		checkEverySignal(t, s)
	})

	t.Run("every alert rule's query answers in the alerting request shape", func(t *testing.T) {
		checkAlertRules(t, s)
	})

	t.Run("SLO signals and burn-rate rules under the demo load, as Grafana's alerting evaluates them", func(t *testing.T) {
		checkSLO(t, s)
	})

	// It pauses a demo service (and resumes it).
	t.Run("a paused demo service makes ServiceDown hold as Grafana's alerting evaluates it", func(t *testing.T) {
		checkServiceDownFires(t, s)
	})

	// Last: it stops a sidecar (and starts it again).
	t.Run("Thanos Query with one replica lost", func(t *testing.T) {
		checkReplicaLoss(t, s)
	})

	t.Logf("checked in %s since start", time.Since(started).Round(100*time.Millisecond))
}

func get(t *testing.T, url string) (string, string) {
	t.Helper()
	client := &http.Client{Timeout: 10 * time.Second}
	resp, err := client.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: HTTP %d: %.300s", url, resp.StatusCode, body)
	}
	return string(body), resp.Header.Get("Content-Type")
}

func query(t *testing.T, baseURL, expr string) []stack.Sample {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	samples, err := stack.Query(ctx, baseURL, expr)
	if err != nil {
		t.Fatal(err)
	}
	return samples
}

func upByTarget(t *testing.T, baseURL string) map[string]float64 {
	t.Helper()
	out := map[string]float64{}
	for _, smp := range query(t, baseURL, `up`) {
		out[smp.Metric["job"]+"/"+smp.Metric["instance"]] = smp.Value
	}
	return out
}

type labelPair interface {
	GetName() string
	GetValue() string
}

func labelMap[L labelPair](pairs []L) map[string]string {
	m := map[string]string{}
	for _, p := range pairs {
		m[p.GetName()] = p.GetValue()
	}
	return m
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func maps(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}
