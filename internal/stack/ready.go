package stack

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Sample is one element of an instant vector.
type Sample struct {
	Metric map[string]string
	Value  float64
}

// Query runs an instant query against the Prometheus-compatible API at baseURL (Prometheus or
// VictoriaMetrics) and returns the vector (a scalar comes back as one sample without labels).
func Query(ctx context.Context, baseURL, expr string) ([]Sample, error) {
	var data struct {
		ResultType string          `json:"resultType"`
		Result     json.RawMessage `json:"result"`
	}
	if err := apiGet(ctx, baseURL+"/api/v1/query?query="+url.QueryEscape(expr), &data); err != nil {
		return nil, fmt.Errorf("query %s: %w", expr, err)
	}
	switch data.ResultType {
	case "vector":
		var raw []struct {
			Metric map[string]string `json:"metric"`
			Value  [2]any            `json:"value"`
		}
		if err := json.Unmarshal(data.Result, &raw); err != nil {
			return nil, err
		}
		out := make([]Sample, 0, len(raw))
		for _, r := range raw {
			v, err := sampleValue(r.Value[1])
			if err != nil {
				return nil, err
			}
			out = append(out, Sample{Metric: r.Metric, Value: v})
		}
		return out, nil
	case "scalar":
		var raw [2]any
		if err := json.Unmarshal(data.Result, &raw); err != nil {
			return nil, err
		}
		v, err := sampleValue(raw[1])
		if err != nil {
			return nil, err
		}
		return []Sample{{Metric: map[string]string{}, Value: v}}, nil
	default:
		return nil, fmt.Errorf("query %s: unexpected result type %q", expr, data.ResultType)
	}
}

func sampleValue(v any) (float64, error) {
	s, ok := v.(string)
	if !ok {
		return 0, fmt.Errorf("sample value %v is not a string", v)
	}
	return strconv.ParseFloat(s, 64)
}

// ScrapeTarget is an active target of /api/v1/targets.
type ScrapeTarget struct {
	Labels     map[string]string `json:"labels"`
	ScrapeURL  string            `json:"scrapeUrl"`
	Health     string            `json:"health"`
	LastError  string            `json:"lastError"`
	LastScrape time.Time         `json:"lastScrape"`
}

// Targets returns Prometheus' active targets.
func Targets(ctx context.Context, baseURL string) ([]ScrapeTarget, error) {
	var data struct {
		ActiveTargets []ScrapeTarget `json:"activeTargets"`
	}
	if err := apiGet(ctx, baseURL+"/api/v1/targets?state=active", &data); err != nil {
		return nil, err
	}
	return data.ActiveTargets, nil
}

func apiGet(ctx context.Context, u string, data any) error {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 32<<20))
	if err != nil {
		return err
	}
	var envelope struct {
		Status string          `json:"status"`
		Data   json.RawMessage `json:"data"`
		Error  string          `json:"error"`
	}
	if err := json.Unmarshal(body, &envelope); err != nil {
		return fmt.Errorf("HTTP %d, not the Prometheus API: %.200s", resp.StatusCode, body)
	}
	if envelope.Status != "success" {
		return fmt.Errorf("HTTP %d: %s", resp.StatusCode, envelope.Error)
	}
	return json.Unmarshal(envelope.Data, data)
}

// WaitForQuery polls an instant query until it returns at least one sample.
func WaitForQuery(ctx context.Context, baseURL, expr string) error {
	var lastErr error
	for {
		samples, err := Query(ctx, baseURL, expr)
		if err == nil && len(samples) > 0 {
			return nil
		}
		lastErr = err
		select {
		case <-ctx.Done():
			if lastErr != nil {
				return fmt.Errorf("%s returned no data from %s: %w (last error: %v)", expr, baseURL, ctx.Err(), lastErr)
			}
			return fmt.Errorf("%s returned no data from %s: %w", expr, baseURL, ctx.Err())
		case <-time.After(500 * time.Millisecond):
		}
	}
}

// readiness is one condition of WaitReady.
type readiness struct {
	what  string
	check func(ctx context.Context) (bool, string)
}

// WaitReady waits until every target is scraped successfully (and the wrapped instance fails, as it
// should), the load has produced both successes and failures on every service, PostgreSQL is seen by
// its exporter, VictoriaMetrics holds the same targets and cAdvisor reports the services' cgroups.
// On timeout the error lists what was still missing.
func (s *Stack) WaitReady(ctx context.Context) error {
	started := time.Now()
	conditions := s.readiness()
	pending := conditions
	var lastDetail map[string]string
	for {
		lastDetail = map[string]string{}
		var still []readiness
		for _, c := range pending {
			ok, detail := c.check(ctx)
			if !ok {
				still = append(still, c)
				lastDetail[c.what] = detail
			}
		}
		pending = still
		if len(pending) == 0 {
			s.opts.Logf("stack ready after %s (%d conditions)", time.Since(started).Round(100*time.Millisecond), len(conditions))
			return nil
		}
		if s.Load != nil && s.Load.Exited() {
			return fmt.Errorf("the load generator exited early (%v); its log:\n%s", s.Load.ExitErr(), s.Load.LogTail(3000))
		}
		select {
		case <-ctx.Done():
			var b strings.Builder
			fmt.Fprintf(&b, "the local stack is not ready after %s:", time.Since(started).Round(time.Second))
			for _, c := range pending {
				fmt.Fprintf(&b, "\n  - %s: %s", c.what, lastDetail[c.what])
			}
			return errors.New(b.String())
		case <-time.After(time.Second):
		}
	}
}

func (s *Stack) readiness() []readiness {
	prom := s.Prometheus.URL()
	var rs []readiness
	wrapped := map[string]bool{}
	for _, svc := range s.Services {
		if svc.Wrapped {
			wrapped[svc.Instance] = true
		}
	}
	rs = append(rs, readiness{"every target scraped (the WRAP_METRICS instance failing)", func(ctx context.Context) (bool, string) {
		targets, err := Targets(ctx, prom)
		if err != nil {
			return false, err.Error()
		}
		want := 1 // prometheus itself
		for _, j := range s.Jobs {
			want += len(j.Targets)
		}
		if len(targets) < want {
			return false, fmt.Sprintf("%d of %d targets known", len(targets), want)
		}
		var bad []string
		for _, t := range targets {
			inst := t.Labels["instance"]
			switch {
			case wrapped[inst] && t.Health == "up":
				bad = append(bad, inst+" is up although WRAP_METRICS is set")
			case wrapped[inst] && (t.Health != "down" || t.LastError == ""):
				bad = append(bad, inst+" (wrapped) not scraped yet")
			case !wrapped[inst] && t.Health != "up":
				bad = append(bad, fmt.Sprintf("%s/%s is %s %s", t.Labels["job"], inst, t.Health, t.LastError))
			}
		}
		sort.Strings(bad)
		return len(bad) == 0, strings.Join(bad, "; ")
	}})
	if s.Load != nil {
		for _, svc := range s.Services {
			if svc.Wrapped {
				continue
			}
			ok, failed := RequestSelectors(svc.Profile, svc.Instance)
			for _, sel := range []string{ok, failed} {
				// Two samples of a growing counter within 30 s: rate() over $__rate_interval has data.
				expr := fmt.Sprintf(`sum(rate(%s[30s])) > 0`, sel)
				rs = append(rs, queryReady(prom, expr, svc.Name+" "+sel+" rising"))
			}
		}
	}
	if s.PostgresExporter != nil {
		rs = append(rs, queryReady(prom, `pg_up == 1`, "postgres_exporter reaches PostgreSQL (pg_up == 1)"))
	}
	if s.NodeExporter != nil {
		rs = append(rs, queryReady(prom, `rate(node_cpu_seconds_total[30s])`, "node_exporter CPU rate"))
	}
	if s.CAdvisor != nil {
		for _, svc := range s.Services {
			if svc.Cgroup != nil {
				expr := fmt.Sprintf(`rate(container_cpu_usage_seconds_total{id=%q}[30s])`, svc.Cgroup.ID())
				rs = append(rs, queryReady(prom, expr, "cAdvisor reports "+svc.Cgroup.ID()))
			}
		}
	}
	if s.VictoriaMetrics != nil {
		vm := s.VictoriaMetrics.URL()
		rs = append(rs, readiness{"VictoriaMetrics has the same targets up", func(ctx context.Context) (bool, string) {
			p, err := Query(ctx, prom, `count(up == 1)`)
			if err != nil || len(p) == 0 {
				return false, fmt.Sprintf("prometheus: %v", err)
			}
			v, err := Query(ctx, vm, `count(up == 1)`)
			if err != nil || len(v) == 0 {
				return false, fmt.Sprintf("victoria-metrics: %v (no up == 1 yet)", err)
			}
			return v[0].Value >= p[0].Value, fmt.Sprintf("prometheus %v, victoria-metrics %v targets up", p[0].Value, v[0].Value)
		}})
	}
	if th := s.Thanos; th != nil {
		for _, eng := range []struct{ name, url string }{{"prometheus replica b", th.ReplicaB.URL()}, {"thanos query", th.Query.URL()}} {
			rs = append(rs, readiness{eng.name + " has the same targets up", func(ctx context.Context) (bool, string) {
				p, err := Query(ctx, prom, `count(up == 1)`)
				if err != nil || len(p) == 0 {
					return false, fmt.Sprintf("prometheus: %v", err)
				}
				v, err := Query(ctx, eng.url, `count(up == 1)`)
				if err != nil || len(v) == 0 {
					return false, fmt.Sprintf("%s: %v (no up == 1 yet)", eng.name, err)
				}
				return v[0].Value >= p[0].Value, fmt.Sprintf("prometheus %v, %s %v targets up", p[0].Value, eng.name, v[0].Value)
			}})
		}
	}
	return rs
}

func queryReady(baseURL, expr, what string) readiness {
	return readiness{what, func(ctx context.Context) (bool, string) {
		samples, err := Query(ctx, baseURL, expr)
		if err != nil {
			return false, err.Error()
		}
		return len(samples) > 0, "no data for " + expr
	}}
}
