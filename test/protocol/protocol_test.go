// Package protocol_test drives the built backend binary (dist/datasource/gpx_*) exactly as
// Grafana does — go-plugin handshake, then gRPC Diagnostics and Data calls — against a real
// Prometheus started from the machine's package, scraping itself and a real node_exporter.
package protocol_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/pulse-monitoring/pulse/internal/pluginhost"
	"github.com/pulse-monitoring/pulse/internal/teststack"
)

// syncBuffer collects the plugin's stderr (its log) so tests can check what it logged.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func startPlugin(t *testing.T) (*pluginhost.Plugin, *syncBuffer) {
	t.Helper()
	logs := &syncBuffer{}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("plugin log:\n%s", logs.String())
		}
	})
	return pluginhost.StartTB(t, "../../dist", pluginhost.Options{Stderr: logs}), logs
}

func settings(url string, jsonData map[string]any, secure map[string]string) *backend.DataSourceInstanceSettings {
	raw, _ := json.Marshal(jsonData)
	return &backend.DataSourceInstanceSettings{
		ID: 1, UID: "pulse-test", Name: "Pulse test", Type: "pulse-prometheus-datasource",
		URL: url, JSONData: raw, DecryptedSecureJSONData: secure, Updated: time.Now(),
	}
}

func rangeQuery(refID, expr string, from, to time.Time) backend.DataQuery {
	raw, _ := json.Marshal(map[string]any{"refId": refID, "expr": expr, "range": true})
	return backend.DataQuery{RefID: refID, JSON: raw, TimeRange: backend.TimeRange{From: from, To: to}, Interval: 5 * time.Second, MaxDataPoints: 600}
}

func TestProtocolAgainstRealPrometheus(t *testing.T) {
	node := teststack.NodeExporter(t)
	prom := teststack.Prometheus(t, 2*time.Second, "node="+node.Addr)
	// Range queries end at a step boundary (5 s here) before now, as in Grafana: wait until the
	// data reaches back past one step, and until rate() has two samples of the counter there.
	teststack.WaitForQuery(t, prom.URL(), `rate(node_cpu_seconds_total[10s] offset 6s)`, 45*time.Second)

	plugin, logs := startPlugin(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	ds := settings(prom.URL(), map[string]any{"timeInterval": "2s"}, nil)

	t.Run("CheckHealth reports the Prometheus version", func(t *testing.T) {
		res, err := plugin.CheckHealth(ctx, ds)
		if err != nil {
			t.Fatal(err)
		}
		if res.Status != backend.HealthStatusOk {
			t.Fatalf("status %v: %s", res.Status, res.Message)
		}
		if !strings.Contains(res.Message, "Prometheus 2.") {
			t.Errorf("message %q does not name the Prometheus version", res.Message)
		}
		var details struct{ Version, Engine string }
		if err := json.Unmarshal(res.JSONDetails, &details); err != nil || details.Version == "" || details.Engine != "Prometheus" {
			t.Errorf("details %s: want version and engine Prometheus (err %v)", res.JSONDetails, err)
		}
		t.Logf("CheckHealth: %s", res.Message)
	})

	t.Run("QueryData returns one time series frame per series", func(t *testing.T) {
		to := time.Now()
		from := to.Add(-2 * time.Minute)
		resp, err := plugin.QueryData(ctx, ds, []backend.DataQuery{
			rangeQuery("A", `up`, from, to),
			rangeQuery("B", `sum by (mode) (rate(node_cpu_seconds_total[$__rate_interval]))`, from, to),
		})
		if err != nil {
			t.Fatal(err)
		}
		up := resp.Responses["A"]
		if up.Error != nil {
			t.Fatalf("A: %v", up.Error)
		}
		if len(up.Frames) != 2 { // the prometheus and node jobs
			t.Fatalf("A: %d frames, want 2 (one per scrape target)", len(up.Frames))
		}
		for _, f := range up.Frames {
			assertTimeSeriesFrame(t, f)
			if f.Fields[1].Labels["job"] == "" {
				t.Errorf("frame has no job label: %v", f.Fields[1].Labels)
			}
		}
		cpu := resp.Responses["B"]
		if cpu.Error != nil {
			t.Fatalf("B: %v", cpu.Error)
		}
		if len(cpu.Frames) < 2 {
			t.Fatalf("B: %d frames, want one per CPU mode", len(cpu.Frames))
		}
		for _, f := range cpu.Frames {
			assertTimeSeriesFrame(t, f)
			if f.Fields[1].Labels["mode"] == "" {
				t.Errorf("frame has no mode label: %v", f.Fields[1].Labels)
			}
			if strings.Contains(f.Meta.ExecutedQueryString, "$__rate_interval") {
				t.Errorf("macro not expanded: %s", f.Meta.ExecutedQueryString)
			}
		}
		t.Logf("QueryData: A %d series, B %d series; executed %q", len(up.Frames), len(cpu.Frames), cpu.Frames[0].Meta.ExecutedQueryString)
	})

	t.Run("a bad query fails alone, with Prometheus' reason", func(t *testing.T) {
		to := time.Now()
		resp, err := plugin.QueryData(ctx, ds, []backend.DataQuery{
			rangeQuery("bad", `sum(rate(up[1m])`, to.Add(-time.Minute), to),
			rangeQuery("good", `up`, to.Add(-time.Minute), to),
		})
		if err != nil {
			t.Fatal(err)
		}
		bad := resp.Responses["bad"]
		if bad.Error == nil || !strings.Contains(bad.Error.Error(), "rejected the query") {
			t.Fatalf("bad: error %v, want Prometheus' parse error", bad.Error)
		}
		if bad.ErrorSource != backend.ErrorSourceDownstream {
			t.Errorf("bad: error source %q, want downstream", bad.ErrorSource)
		}
		if good := resp.Responses["good"]; good.Error != nil || len(good.Frames) == 0 {
			t.Fatalf("good: %v, %d frames", good.Error, len(good.Frames))
		}
	})

	t.Run("a 30-day range at a 15s interval is clamped and returns data", func(t *testing.T) {
		to := time.Now()
		// vector(1) has a value at every step, so the frame shows how many points came back;
		// unclamped, Prometheus refuses the query (over 11,000 points per series).
		q := rangeQuery("A", `vector(1)`, to.Add(-30*24*time.Hour), to)
		q.Interval = 15 * time.Second
		resp, err := plugin.QueryData(ctx, ds, []backend.DataQuery{q})
		if err != nil {
			t.Fatal(err)
		}
		r := resp.Responses["A"]
		if r.Error != nil || len(r.Frames) != 1 {
			t.Fatalf("30d: %v, %d frames", r.Error, len(r.Frames))
		}
		if n := r.Frames[0].Rows(); n < 10000 || n > 11000 {
			t.Fatalf("30d: %d points, want close to but not over 11,000", n)
		}
		t.Logf("30d at 15s: %d points; %s", r.Frames[0].Rows(), r.Frames[0].Meta.ExecutedQueryString)
	})

	t.Run("an unreachable URL gives an actionable error", func(t *testing.T) {
		dead := fmt.Sprintf("http://127.0.0.1:%d", teststack.FreePort(t))
		res, err := plugin.CheckHealth(ctx, settings(dead, nil, nil))
		if err != nil {
			t.Fatal(err)
		}
		if res.Status != backend.HealthStatusError || !strings.Contains(res.Message, "refused") {
			t.Fatalf("status %v, message %q: want an error saying the connection was refused", res.Status, res.Message)
		}
		t.Logf("CheckHealth (unreachable): %s", res.Message)
	})

	t.Run("a URL that is not a Prometheus API is named as such", func(t *testing.T) {
		res, err := plugin.CheckHealth(ctx, settings(node.URL(), nil, nil))
		if err != nil {
			t.Fatal(err)
		}
		if res.Status != backend.HealthStatusError {
			t.Fatalf("node_exporter passed as Prometheus: %s", res.Message)
		}
		t.Logf("CheckHealth (node_exporter URL): %s", res.Message)
	})

	t.Run("bearer token is sent and never logged or echoed", func(t *testing.T) {
		const token = "s3cr3t-token-value"
		var sawAuth string
		var mu sync.Mutex
		upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			sawAuth = r.Header.Get("Authorization")
			mu.Unlock()
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = w.Write([]byte("unauthorized: token " + r.Header.Get("Authorization")))
		}))
		defer upstream.Close()
		res, err := plugin.CheckHealth(ctx, settings(upstream.URL, nil, map[string]string{"bearerToken": token}))
		if err != nil {
			t.Fatal(err)
		}
		mu.Lock()
		got := sawAuth
		mu.Unlock()
		if got != "Bearer "+token {
			t.Errorf("upstream saw Authorization %q, want the bearer token", got)
		}
		if res.Status != backend.HealthStatusError || !strings.Contains(res.Message, "401") {
			t.Errorf("message %q: want a 401 explanation", res.Message)
		}
		if strings.Contains(res.Message, token) || strings.Contains(logs.String(), token) {
			t.Errorf("the token leaked into the message or the plugin log")
		}
	})

	if plugin.Exited() {
		t.Fatalf("the plugin process exited during the tests; its log:\n%s", logs.String())
	}
}

func assertTimeSeriesFrame(t *testing.T, f *data.Frame) {
	t.Helper()
	if f.Meta == nil || f.Meta.Type != data.FrameTypeTimeSeriesMulti {
		t.Fatalf("frame type %v, want timeseries-multi", f.Meta)
	}
	if len(f.Fields) != 2 || f.Fields[0].Type() != data.FieldTypeTime || f.Fields[1].Type() != data.FieldTypeFloat64 {
		t.Fatalf("frame fields %v, want [time, float64]", f.Fields)
	}
	if f.Rows() == 0 {
		t.Fatalf("frame %v has no rows", f.Fields[1].Labels)
	}
}
