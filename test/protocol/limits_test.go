package protocol_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/pulse-monitoring/pulse/internal/pluginhost"
)

// TestResponseSizeLimit sends, through the built binary, a query whose answer is 2 MB next to a
// small one: with a 1 MB cap only the large one fails, and its error names the limit that was
// hit. Grafana's limit (here GF_DATAPROXY_RESPONSE_LIMIT in the plugin's environment) wins over
// the data source's.
func TestResponseSizeLimit(t *testing.T) {
	large := `{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"a":"b"},"values":[` +
		strings.Repeat(`[1700000000,"1"],`, 2<<20/17) + `[1700000001,"1"]]}]}}`
	upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.FormValue("query") == "large" || r.FormValue("match[]") == "large" {
			_, _ = io.WriteString(w, large)
			return
		}
		_, _ = io.WriteString(w, `{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"a":"b"},"values":[[1700000000,"1"]]}]}}`)
	}))
	defer upstream.Close()
	ds := settings(upstream.URL, map[string]any{"maxResponseSizeMB": 1}, nil)
	to := time.Unix(1700000000, 0)

	cases := []struct {
		name    string
		env     []string
		grafana map[string]string // the request's Grafana config, as Grafana sends [dataproxy] response_limit
		want    []string
	}{
		{"the data source's cap", nil, nil, []string{
			"larger than the data source's response size limit of 1 MB", `"Max response size"`, "maxResponseSizeMB",
		}},
		{"Grafana's limit wins", []string{"GF_DATAPROXY_RESPONSE_LIMIT=500000"}, nil, []string{
			"larger than Grafana's response limit of 500000 bytes (GF_DATAPROXY_RESPONSE_LIMIT)", "ask your Grafana administrator",
		}},
		{"Grafana's limit in the request's config wins", nil, map[string]string{"GF_RESPONSE_LIMIT": "500000"}, []string{
			"larger than Grafana's response limit of 500000 bytes ([dataproxy] response_limit)", "ask your Grafana administrator",
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			plugin := pluginhost.StartTB(t, "../../dist", pluginhost.Options{Env: tc.env, GrafanaConfig: tc.grafana})
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			resp, err := plugin.QueryData(ctx, ds, []backend.DataQuery{
				rangeQuery("A", "large", to.Add(-time.Hour), to), rangeQuery("B", "small", to.Add(-time.Hour), to),
			})
			if err != nil {
				t.Fatal(err)
			}
			a, b := resp.Responses["A"], resp.Responses["B"]
			if a.Error == nil || a.ErrorSource != backend.ErrorSourceDownstream {
				t.Fatalf("A: %+v", a)
			}
			for _, want := range append(tc.want, "narrow the time range") {
				if !strings.Contains(a.Error.Error(), want) {
					t.Errorf("query: %q does not say %q", a.Error, want)
				}
			}
			if b.Error != nil || len(b.Frames) != 1 {
				t.Errorf("B failed with A: %+v", b)
			}

			res, err := plugin.CallResource(ctx, ds, &backend.CallResourceRequest{Method: http.MethodGet, Path: "labels", URL: "labels?match[]=large"})
			if err != nil {
				t.Fatal(err)
			}
			var body struct{ Message string }
			_ = json.Unmarshal(res.Body, &body)
			if res.Status != http.StatusBadGateway || !strings.Contains(body.Message, tc.want[0]) {
				t.Errorf("resource: %d %s", res.Status, res.Body)
			}
		})
	}
}

// TestRequestsInFlightAreBounded sends 40 QueryData requests of two queries at once through the
// built binary: the upstream must never see more than maxConcurrentRequests at a time, and every
// query still gets its answer.
func TestRequestsInFlightAreBounded(t *testing.T) {
	const limit, requests = 3, 40
	var now, peak, served atomic.Int32
	upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		n := now.Add(1)
		defer now.Add(-1)
		for m := peak.Load(); n > m && !peak.CompareAndSwap(m, n); m = peak.Load() {
		}
		served.Add(1)
		time.Sleep(10 * time.Millisecond)
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"status":"success","data":{"resultType":"matrix","result":[]}}`)
	}))
	defer upstream.Close()
	plugin, _ := startPlugin(t)
	ds := settings(upstream.URL, map[string]any{"maxConcurrentRequests": limit}, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	to := time.Now()

	var wg sync.WaitGroup
	for i := 0; i < requests; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := plugin.QueryData(ctx, ds, []backend.DataQuery{
				rangeQuery("A", "a", to.Add(-time.Hour), to), rangeQuery("B", "b", to.Add(-time.Hour), to),
			})
			if err != nil {
				t.Error(err)
				return
			}
			for ref, r := range resp.Responses {
				if r.Error != nil {
					t.Errorf("%s: %v", ref, r.Error)
				}
			}
		}()
	}
	wg.Wait()
	if got := peak.Load(); got > limit || got < 2 {
		t.Fatalf("the upstream saw %d requests at once, want at most %d (and more than one)", got, limit)
	}
	if got := served.Load(); got != 2*requests {
		t.Fatalf("the upstream served %d requests, want %d", got, 2*requests)
	}
}
