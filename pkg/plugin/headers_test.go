package plugin

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

// TestCustomHeadersReachEveryRequest runs every path the backend takes to Prometheus against an
// upstream that, as Mimir does, refuses any request without the tenant header.
func TestCustomHeadersReachEveryRequest(t *testing.T) {
	var (
		mu      sync.Mutex
		paths   = map[string]int{}
		refused []string
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		if r.Header.Get("X-Scope-OrgID") != "tenant-1" {
			refused = append(refused, r.URL.Path)
			http.Error(w, "no org id", http.StatusUnauthorized)
			return
		}
		paths[r.URL.Path]++
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/api/v1/status/buildinfo":
			// No Mimir features: the health check goes on probing for the engine (stores, active_queries).
			_, _ = io.WriteString(w, `{"status":"success","data":{"version":"2.9.0"}}`)
		case "/api/v1/stores":
			http.NotFound(w, r)
		case "/api/v1/query", "/api/v1/query_range":
			_, _ = io.WriteString(w, `{"status":"success","data":{"resultType":"vector","result":[]}}`)
		case "/api/v1/query_exemplars":
			_, _ = io.WriteString(w, `{"status":"success","data":[]}`)
		case "/api/v1/targets":
			_, _ = io.WriteString(w, `{"status":"success","data":{"activeTargets":[]}}`)
		case "/api/v1/metadata":
			_, _ = io.WriteString(w, `{"status":"success","data":{}}`)
		default:
			_, _ = io.WriteString(w, `{"status":"success","data":["a"]}`)
		}
	}))
	defer srv.Close()
	ds := newInstance(t, srv.URL, `{"httpHeaderName1":"X-Scope-OrgID"}`, map[string]string{"httpHeaderValue1": "tenant-1"})
	ctx := context.Background()

	if res, _ := ds.CheckHealth(ctx, &backend.CheckHealthRequest{}); res.Status != backend.HealthStatusOk {
		t.Fatalf("health: %s", res.Message)
	}
	resp, _ := ds.QueryData(ctx, &backend.QueryDataRequest{Queries: []backend.DataQuery{
		dataQuery("range", map[string]any{"expr": "up", "range": true, "exemplar": true}),
		dataQuery("instant", map[string]any{"expr": "up", "instant": true, "range": false}),
	}})
	for ref, r := range resp.Responses {
		if r.Error != nil {
			t.Errorf("%s: %v", ref, r.Error)
		}
	}
	for _, res := range []string{"catalog", "exporters", "targets", "labels", "label-values?label=job", "metrics"} {
		status, body, _ := callResource(t, ds, "GET", res)
		if status != 200 {
			t.Errorf("%s: %d %v", res, status, body)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if len(refused) > 0 {
		t.Errorf("requests without the header: %v", refused)
	}
	for _, p := range []string{"/api/v1/status/buildinfo", "/api/v1/stores", "/api/v1/status/active_queries", "/api/v1/query", "/api/v1/query_range", "/api/v1/query_exemplars", "/api/v1/targets", "/api/v1/labels", "/api/v1/label/job/values", "/api/v1/label/__name__/values", "/api/v1/metadata"} {
		if paths[p] == 0 {
			t.Errorf("%s was never requested, so the test does not cover it", p)
		}
	}
	t.Logf("paths covered: %v", strings.Join(keys(paths), " "))
}

func keys(m map[string]int) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
