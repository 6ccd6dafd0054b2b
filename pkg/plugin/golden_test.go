package plugin

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/experimental"

	"github.com/pulse-monitoring/pulse/internal/stack"
	"github.com/pulse-monitoring/pulse/internal/teststack"
)

var updateGolden = flag.Bool("update", false, "rewrite the golden frame files")

// fixture is one Prometheus answer recorded from a real Prometheus (see TestRecordFixtures),
// replayed here, and the query model the panel sent with it.
type fixture struct {
	name  string
	path  string // /api/v1/query or /api/v1/query_range
	expr  string
	model map[string]any
}

var recordedFixtures = []fixture{
	{"matrix_cpu", "/api/v1/query_range", `rate(node_cpu_seconds_total{cpu="0",mode=~"idle|user|system"}[4s])`, map[string]any{"range": true}},
	{"matrix_cpu_legend", "/api/v1/query_range", `rate(node_cpu_seconds_total{cpu="0",mode=~"idle|user|system"}[4s])`, map[string]any{"range": true, "legendFormat": "cpu {{cpu}} {{mode}}"}},
	{"matrix_cpu_table", "/api/v1/query_range", `rate(node_cpu_seconds_total{cpu="0",mode=~"idle|user|system"}[4s])`, map[string]any{"range": true, "format": "table"}},
	{"vector_up", "/api/v1/query", `up`, map[string]any{"instant": true, "range": false}},
	{"vector_up_table", "/api/v1/query", `up`, map[string]any{"instant": true, "range": false, "format": "table"}},
	{"scalar", "/api/v1/query", `scalar(count(up))`, map[string]any{"instant": true, "range": false}},
	{"string", "/api/v1/query", `"pulse"`, map[string]any{"instant": true, "range": false}},
	{"histogram_heatmap", "/api/v1/query_range", `sum by (le) (increase(prometheus_http_request_duration_seconds_bucket[4s]))`, map[string]any{"range": true, "format": "heatmap"}},
	{"error_bad_data", "/api/v1/query_range", `sum(rate(up[1m])`, map[string]any{"range": true}},
	// Recorded from Thanos Query with one replica's sidecar stopped: a real answer with warnings
	// (Prometheus 2.42 gives none for these queries).
	{"vector_partial_response", "/api/v1/query", `up{job="node"}`, map[string]any{"instant": true, "range": false}},
}

// fromThanos names the fixtures recorded from Thanos Query rather than Prometheus.
var fromThanos = map[string]bool{"vector_partial_response": true}

// recordedAt is the fixed end of the recorded range queries (and the time of instant ones).
var recordedAt = time.Unix(1795632000, 0).UTC()

func TestGoldenFrames(t *testing.T) {
	for _, fx := range recordedFixtures {
		t.Run(fx.name, func(t *testing.T) {
			body, err := os.ReadFile(filepath.Join("testdata", "recorded", recordedName(fx)+".json"))
			if err != nil {
				t.Fatalf("%v (record fixtures with PULSE_RECORD=1 go test ./pkg/plugin -run TestRecordFixtures)", err)
			}
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				if fx.name == "error_bad_data" {
					w.WriteHeader(http.StatusBadRequest)
				}
				_, _ = w.Write(body)
			}))
			defer srv.Close()
			ds := newInstance(t, srv.URL, `{"timeInterval":"2s"}`, nil)
			model := map[string]any{"expr": fx.expr, "refId": "A"}
			for k, v := range fx.model {
				model[k] = v
			}
			raw, _ := json.Marshal(model)
			q := backend.DataQuery{RefID: "A", JSON: raw, Interval: 2 * time.Second, MaxDataPoints: 1000,
				TimeRange: backend.TimeRange{From: recordedAt.Add(-time.Minute), To: recordedAt}}
			resp, _ := ds.QueryData(context.Background(), &backend.QueryDataRequest{Queries: []backend.DataQuery{q}})
			dr := resp.Responses["A"]
			if fx.name == "error_bad_data" {
				// The SDK's golden writer cannot read back error responses; assert them directly.
				if dr.Error == nil || dr.Status != backend.StatusBadRequest || dr.ErrorSource != backend.ErrorSourceDownstream ||
					dr.Error.Error() != "Prometheus rejected the query: 1:17: parse error: unclosed left parenthesis" {
					t.Fatalf("error response %+v", dr)
				}
				return
			}
			experimental.CheckGoldenJSONResponse(t, filepath.Join("testdata", "golden"), fx.name, &dr, *updateGolden)
		})
	}
}

// recordedName lets fixtures that differ only in format share one recorded body.
func recordedName(fx fixture) string {
	switch fx.name {
	case "matrix_cpu_legend", "matrix_cpu_table":
		return "matrix_cpu"
	case "vector_up_table":
		return "vector_up"
	}
	return fx.name
}

// TestRecordFixtures re-records testdata/recorded from a real Prometheus scraping itself and a
// real node_exporter, and the fixtures of fromThanos from Thanos Query. It is a tool, not a check:
// run it with PULSE_RECORD=1 (every fixture) or PULSE_RECORD=<name>,<name> when fixtures should
// change, then `go test ./pkg/plugin -run TestGoldenFrames -update`.
func TestRecordFixtures(t *testing.T) {
	which := os.Getenv("PULSE_RECORD")
	if which == "" {
		t.Skip("recording tool: set PULSE_RECORD=1 to re-record the fixtures from a real Prometheus")
	}
	wanted := func(fx fixture) bool {
		return recordedName(fx) == fx.name && (which == "1" || slices.Contains(strings.Split(which, ","), fx.name))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()

	var fromPrometheus, fromQuery []fixture
	for _, fx := range recordedFixtures {
		switch {
		case !wanted(fx):
		case fromThanos[fx.name]:
			fromQuery = append(fromQuery, fx)
		default:
			fromPrometheus = append(fromPrometheus, fx)
		}
	}
	if len(fromPrometheus) > 0 {
		node := teststack.NodeExporter(t)
		prom := teststack.Prometheus(t, time.Second, "node="+node.Addr)
		teststack.WaitForQuery(t, prom.URL(), `rate(node_cpu_seconds_total[4s] offset 20s)`, 60*time.Second)
		end := time.Now().Truncate(time.Second)
		for _, fx := range fromPrometheus {
			record(t, prom.URL(), fx, end)
		}
	}
	if len(fromQuery) > 0 {
		// Thanos Query over two replicas (built from its module by internal/stack, cached), with the
		// sidecar of replica b stopped.
		s := stack.StartTB(t, stack.Options{NodeExporter: true, Thanos: true})
		if s.Thanos == nil {
			t.Fatalf("Thanos cannot be built here: %v", s.Notes)
		}
		// Both sidecars must answer before b's goes, or the answer might hold no series at all.
		waitForBothReplicas(ctx, t, s.Thanos.Query.URL())
		if err := s.Thanos.StopSidecar("b"); err != nil {
			t.Fatal(err)
		}
		end := time.Now().Truncate(time.Second)
		for _, fx := range fromQuery {
			record(t, s.Thanos.Query.URL(), fx, end)
		}
	}
}

// record writes the answer of fx's query, at end (an instant query) or over the 16 s before it.
func record(t *testing.T, base string, fx fixture, end time.Time) {
	t.Helper()
	params := url.Values{"query": {fx.expr}}
	if fx.path == "/api/v1/query_range" {
		params.Set("start", fmt.Sprint(end.Add(-16*time.Second).Unix()))
		params.Set("end", fmt.Sprint(end.Unix()))
		params.Set("step", "2")
	} else {
		params.Set("time", fmt.Sprint(end.Unix()))
	}
	resp, err := http.Get(base + fx.path + "?" + params.Encode())
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err := os.WriteFile(filepath.Join("testdata", "recorded", fx.name+".json"), body, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("recorded %s (%d bytes, HTTP %d)", fx.name, len(body), resp.StatusCode)
}

// waitForBothReplicas polls Thanos Query, without deduplication, until node_exporter's `up` comes
// from both replicas.
func waitForBothReplicas(ctx context.Context, t *testing.T, query string) {
	t.Helper()
	u := query + "/api/v1/query?dedup=false&query=" + url.QueryEscape(`count(count by (replica) (up{job="node"}))`)
	for {
		var answer struct {
			Data struct {
				Result []struct {
					Value [2]any `json:"value"`
				} `json:"result"`
			} `json:"data"`
		}
		if resp, err := http.Get(u); err == nil {
			_ = json.NewDecoder(resp.Body).Decode(&answer)
			resp.Body.Close()
			if r := answer.Data.Result; len(r) == 1 && r[0].Value[1] == "2" {
				return
			}
		}
		select {
		case <-ctx.Done():
			t.Fatal("Thanos Query never had node_exporter's up from both replicas")
		case <-time.After(500 * time.Millisecond):
		}
	}
}
