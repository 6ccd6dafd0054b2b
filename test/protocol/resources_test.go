package protocol_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/pulse-monitoring/pulse/internal/teststack"
)

// TestResourcesAgainstRealPrometheus calls the resources through the built binary, with
// Prometheus scraping node_exporter plus two broken targets: one whose metrics endpoint is
// wrapped in a JSON envelope (the seed's pitfall) and one with a wrong metrics path.
func TestResourcesAgainstRealPrometheus(t *testing.T) {
	wrapped := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"code":0,"message":"success","data":"# HELP up\nup 1\n"}`)
	}))
	defer wrapped.Close()
	missing := httptest.NewServer(http.NotFoundHandler())
	defer missing.Close()

	node := teststack.NodeExporter(t)
	prom := teststack.Prometheus(t, time.Second,
		"node="+node.Addr,
		"nestjs="+strings.TrimPrefix(wrapped.URL, "http://"),
		"wrongpath="+strings.TrimPrefix(missing.URL, "http://"))
	teststack.WaitForQuery(t, prom.URL(), `up{job="nestjs"} == 0`, 30*time.Second)
	teststack.WaitForQuery(t, prom.URL(), `up{job="wrongpath"} == 0`, 30*time.Second)
	teststack.WaitForQuery(t, prom.URL(), `node_uname_info`, 30*time.Second)
	// Prometheus scrapes itself too; until its first self-scrape that target's health is "unknown".
	teststack.WaitForQuery(t, prom.URL(), `up{job="prometheus"} == 1`, 30*time.Second)

	plugin, _ := startPlugin(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	ds := settings(prom.URL(), map[string]any{"timeInterval": "1s"}, nil)

	get := func(t *testing.T, path string, into any) int {
		t.Helper()
		u, _, _ := strings.Cut(path, "?")
		resp, err := plugin.CallResource(ctx, ds, &backend.CallResourceRequest{Method: http.MethodGet, Path: u, URL: path})
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(resp.Body, into); err != nil {
			t.Fatalf("%s: %v in %s", path, err, resp.Body)
		}
		return resp.Status
	}

	t.Run("targets name the wrapped metrics endpoint and the wrong path", func(t *testing.T) {
		var res struct {
			Targets []struct {
				Job, Health, LastError string
				Diagnosis              *struct{ Kind, Hint string }
			}
			Up, Down int
		}
		if status := get(t, "targets", &res); status != 200 {
			t.Fatalf("status %d", status)
		}
		kinds := map[string]string{}
		for _, tg := range res.Targets {
			if tg.Diagnosis != nil {
				kinds[tg.Job] = tg.Diagnosis.Kind
				t.Logf("%s: %s — %s (Prometheus: %s)", tg.Job, tg.Diagnosis.Kind, tg.Diagnosis.Hint, tg.LastError)
			}
		}
		if kinds["nestjs"] != "json_body" {
			t.Errorf("wrapped endpoint diagnosed as %q, want json_body", kinds["nestjs"])
		}
		if kinds["wrongpath"] != "not_found" {
			t.Errorf("wrong path diagnosed as %q, want not_found", kinds["wrongpath"])
		}
		if res.Down != 2 || res.Up < 2 {
			t.Errorf("up %d down %d, want 2 down", res.Up, res.Down)
		}
	})

	t.Run("catalog lists the host", func(t *testing.T) {
		var cat struct {
			Services []any
			Hosts    []struct{ Instance, Job, Nodename string }
			Errors   map[string]string
		}
		now := time.Now().Unix() + 1 // whole seconds: end must not fall before the first scrape
		if status := get(t, "catalog?start="+itoa(now-300)+"&end="+itoa(now), &cat); status != 200 {
			t.Fatalf("status %d", status)
		}
		if len(cat.Hosts) != 1 || cat.Hosts[0].Instance != node.Addr || cat.Hosts[0].Nodename == "" {
			raw, _ := json.Marshal(cat)
			t.Fatalf("hosts %+v in %s", cat.Hosts, raw)
		}
		if len(cat.Services) != 0 {
			t.Fatalf("services %+v from a stack without NestJS", cat.Services)
		}
	})

	t.Run("labels, label values and metrics", func(t *testing.T) {
		var labels struct{ Values []string }
		get(t, "labels", &labels)
		if !contains(labels.Values, "job") || !contains(labels.Values, "instance") {
			t.Errorf("labels %v", labels.Values)
		}
		var jobs struct{ Values []string }
		get(t, "label-values?label=job&match[]="+urlQuery(`up{job=~"node|nestjs"}`), &jobs)
		if strings.Join(jobs.Values, ",") != "nestjs,node" {
			t.Errorf("jobs %v", jobs.Values)
		}
		var metrics struct {
			Metrics []struct{ Name, Type, Help string }
		}
		get(t, "metrics", &metrics)
		found := false
		for _, m := range metrics.Metrics {
			if m.Name == "node_cpu_seconds_total" {
				found = m.Type == "counter" && m.Help != ""
			}
		}
		if !found {
			t.Errorf("node_cpu_seconds_total missing or without metadata among %d metrics", len(metrics.Metrics))
		}
	})

	t.Run("health lists present and missing exporters", func(t *testing.T) {
		res, err := plugin.CheckHealth(ctx, ds)
		if err != nil {
			t.Fatal(err)
		}
		if res.Status != backend.HealthStatusOk {
			t.Fatalf("%v: %s", res.Status, res.Message)
		}
		for _, want := range []string{"node_exporter: 1 host", "cAdvisor", "postgres_exporter", "Missing"} {
			if !strings.Contains(res.Message, want) {
				t.Errorf("health message lacks %q: %s", want, res.Message)
			}
		}
		t.Logf("CheckHealth: %s", res.Message)
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

func urlQuery(s string) string { return url.QueryEscape(s) }
