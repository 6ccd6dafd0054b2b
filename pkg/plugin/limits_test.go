package plugin

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

// largeOrSmall answers the query "large" with a matrix of about 2 MB and any other with one series.
func largeOrSmall() *httptest.Server {
	large := `{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"a":"b"},"values":[` +
		strings.Repeat(`[1700000000,"1"],`, 2<<20/17) + `[1700000001,"1"]]}]}}`
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.FormValue("query") == "large" || r.FormValue("match[]") == "large" {
			_, _ = io.WriteString(w, large)
			return
		}
		_, _ = io.WriteString(w, `{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"a":"b"},"values":[[1700000000,"1"]]}]}}`)
	}))
}

func TestAnswerOverTheResponseLimitFailsOnlyItsQuery(t *testing.T) {
	srv := largeOrSmall()
	defer srv.Close()
	ds := newInstance(t, srv.URL, `{"maxResponseSizeMB":1}`, nil)
	cases := []struct {
		name string
		ctx  context.Context
		want []string
	}{
		{"the data source's own limit", context.Background(), []string{
			"larger than the data source's response size limit of 1 MB", "narrow the time range",
			`raise "Max response size" in the data source settings (jsonData maxResponseSizeMB)`,
		}},
		{"Grafana's limit", backend.WithGrafanaConfig(context.Background(), backend.NewGrafanaCfg(map[string]string{backend.ResponseLimit: "1000000"})), []string{
			"larger than Grafana's response limit of 1000000 bytes ([dataproxy] response_limit)", "narrow the time range",
			"ask your Grafana administrator to raise [dataproxy] response_limit",
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp, err := ds.QueryData(tc.ctx, &backend.QueryDataRequest{Queries: []backend.DataQuery{
				dataQuery("A", map[string]any{"expr": "large", "range": true}),
				dataQuery("B", map[string]any{"expr": "small", "range": true}),
			}})
			if err != nil {
				t.Fatal(err)
			}
			a, b := resp.Responses["A"], resp.Responses["B"]
			if a.Error == nil || a.ErrorSource != backend.ErrorSourceDownstream {
				t.Fatalf("A: %+v", a)
			}
			for _, want := range tc.want {
				if !strings.Contains(a.Error.Error(), want) {
					t.Errorf("%q does not say %q", a.Error, want)
				}
			}
			if b.Error != nil || len(b.Frames) != 1 {
				t.Fatalf("B failed with A: %+v", b)
			}
		})
	}
}

func TestResourceOverTheResponseLimitNamesIt(t *testing.T) {
	srv := largeOrSmall()
	defer srv.Close()
	status, body, _ := callResource(t, newInstance(t, srv.URL, `{"maxResponseSizeMB":1}`, nil), http.MethodGet, "labels?match[]=large")
	if msg, _ := body["message"].(string); status != http.StatusBadGateway || !strings.Contains(msg, "response size limit of 1 MB") || !strings.Contains(msg, "maxResponseSizeMB") {
		t.Fatalf("%d %v", status, body)
	}
}

// The bound holds across QueryData requests, not only within one.
func TestRequestsInFlightAreBoundedAcrossQueryDataCalls(t *testing.T) {
	var now, peak atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		n := now.Add(1)
		defer now.Add(-1)
		for m := peak.Load(); n > m && !peak.CompareAndSwap(m, n); m = peak.Load() {
		}
		time.Sleep(20 * time.Millisecond)
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"status":"success","data":{"resultType":"matrix","result":[]}}`)
	}))
	defer srv.Close()
	ds := newInstance(t, srv.URL, `{"maxConcurrentRequests":3}`, nil)
	var wg sync.WaitGroup
	for i := 0; i < 10; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, _ := ds.QueryData(context.Background(), &backend.QueryDataRequest{Queries: []backend.DataQuery{
				dataQuery("A", map[string]any{"expr": "a", "range": true}),
				dataQuery("B", map[string]any{"expr": "b", "range": true}),
			}})
			for ref, r := range resp.Responses {
				if r.Error != nil {
					t.Errorf("%s: %v", ref, r.Error)
				}
			}
		}()
	}
	wg.Wait()
	if got := peak.Load(); got > 3 || got < 2 {
		t.Fatalf("the upstream saw %d requests at once, want at most 3 (and more than one)", got)
	}
}
