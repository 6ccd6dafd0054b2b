package plugin

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

func newInstance(t *testing.T, url string, jsonData string, secure map[string]string) *Datasource {
	t.Helper()
	inst, err := NewDatasource(context.Background(), backend.DataSourceInstanceSettings{URL: url, JSONData: []byte(jsonData), DecryptedSecureJSONData: secure})
	if err != nil {
		t.Fatal(err)
	}
	ds := inst.(*Datasource)
	t.Cleanup(ds.Dispose)
	return ds
}

func dataQuery(refID string, model map[string]any) backend.DataQuery {
	raw, _ := json.Marshal(model)
	to := time.Now()
	return backend.DataQuery{RefID: refID, JSON: raw, TimeRange: backend.TimeRange{From: to.Add(-time.Hour), To: to}, Interval: 15 * time.Second}
}

func TestSettingsErrorReachesHealthAndQueries(t *testing.T) {
	ds := newInstance(t, "", `{}`, nil)
	res, _ := ds.CheckHealth(context.Background(), &backend.CheckHealthRequest{})
	if res.Status != backend.HealthStatusError || !strings.Contains(res.Message, "no Prometheus URL") {
		t.Fatalf("health: %+v", res)
	}
	resp, _ := ds.QueryData(context.Background(), &backend.QueryDataRequest{Queries: []backend.DataQuery{dataQuery("A", map[string]any{"expr": "up"})}})
	if r := resp.Responses["A"]; r.Error == nil || r.ErrorSource != backend.ErrorSourceDownstream {
		t.Fatalf("query: %+v", r)
	}
}

func TestCheckHealthFallsBackToAQuery(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/api/v1/status/buildinfo" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,"1"]}]}}`)
	}))
	defer srv.Close()
	res, _ := newInstance(t, srv.URL, `{}`, nil).CheckHealth(context.Background(), &backend.CheckHealthRequest{})
	if res.Status != backend.HealthStatusOk || !strings.Contains(res.Message, "answers queries") {
		t.Fatalf("%+v", res)
	}
}

func TestQueryDataWarningsBecomeNotices(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"status":"success","warnings":["partial response"],"data":{"resultType":"matrix","result":[]}}`)
	}))
	defer srv.Close()
	resp, _ := newInstance(t, srv.URL, `{}`, nil).QueryData(context.Background(), &backend.QueryDataRequest{Queries: []backend.DataQuery{dataQuery("A", map[string]any{"expr": "up"})}})
	r := resp.Responses["A"]
	if r.Error != nil || len(r.Frames) != 1 || len(r.Frames[0].Meta.Notices) != 1 || r.Frames[0].Meta.Notices[0].Text != "partial response" {
		t.Fatalf("%+v", r)
	}
}

func TestQueryDataRangeAndInstant(t *testing.T) {
	var paths []string
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		_ = r.ParseForm()
		if strings.Contains(r.Form.Get("query"), "$__") {
			http.Error(w, "macro not expanded", 400)
			return
		}
		paths = append(paths, r.URL.Path)
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Path == "/api/v1/query" {
			_, _ = io.WriteString(w, `{"status":"success","data":{"resultType":"vector","result":[{"metric":{"a":"1"},"value":[1,"1"]}]}}`)
			return
		}
		_, _ = io.WriteString(w, `{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"a":"1"},"values":[[1,"1"],[2,"2"]]}]}}`)
	}))
	defer srv.Close()
	ds := newInstance(t, srv.URL, `{"httpMethod":"GET"}`, nil)
	resp, _ := ds.QueryData(context.Background(), &backend.QueryDataRequest{Queries: []backend.DataQuery{
		dataQuery("both", map[string]any{"expr": "rate(x[$__rate_interval])", "range": true, "instant": true}),
	}})
	r := resp.Responses["both"]
	if r.Error != nil || len(r.Frames) != 2 {
		t.Fatalf("%v, %d frames", r.Error, len(r.Frames))
	}
	if !strings.Contains(r.Frames[0].Meta.ExecutedQueryString, "rate(x[1m])") {
		t.Errorf("executed %q", r.Frames[0].Meta.ExecutedQueryString)
	}
	if strings.Join(paths, ",") != "/api/v1/query_range,/api/v1/query" {
		t.Errorf("paths %v", paths)
	}
}

func TestQueryDataEmptyAndInvalidQueries(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { t.Error("no request expected") }))
	defer srv.Close()
	ds := newInstance(t, srv.URL, `{}`, nil)
	resp, _ := ds.QueryData(context.Background(), &backend.QueryDataRequest{Queries: []backend.DataQuery{
		dataQuery("empty", map[string]any{"expr": "  "}),
		dataQuery("badstep", map[string]any{"expr": "up", "interval": "often"}),
		{RefID: "badjson", JSON: []byte(`{"expr":`)},
		dataQuery("guidedOnly", map[string]any{"guided": map[string]any{"signal": "host.cpu.busy"}}),
		dataQuery("nothingChosen", map[string]any{"expr": "", "guided": map[string]any{}, "builder": nil}),
	}})
	if r := resp.Responses["empty"]; r.Error != nil || len(r.Frames) != 0 {
		t.Errorf("empty: %+v", r)
	}
	if r := resp.Responses["badstep"]; r.Error == nil || !strings.Contains(r.Error.Error(), "min step") {
		t.Errorf("badstep: %+v", r)
	}
	if r := resp.Responses["badjson"]; r.Error == nil || r.ErrorSource != backend.ErrorSourceDownstream {
		t.Errorf("badjson: %+v", r)
	}
	if r := resp.Responses["guidedOnly"]; r.Error == nil || !strings.Contains(r.Error.Error(), "open it in the query editor and save it") {
		t.Errorf("guided choices without expr: %+v", r)
	}
	if r := resp.Responses["nothingChosen"]; r.Error != nil || len(r.Frames) != 0 {
		t.Errorf("an editor with nothing chosen: %+v", r)
	}
}

func TestQueryDataHonoursCancellation(t *testing.T) {
	started := make(chan struct{}, 16)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body) // the server notices a closed client only once the body is read
		started <- struct{}{}
		select {
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
		}
	}))
	defer srv.Close()
	ds := newInstance(t, srv.URL, `{}`, nil)
	ctx, cancel := context.WithCancel(context.Background())
	go func() { <-started; cancel() }()
	done := make(chan *backend.QueryDataResponse)
	go func() {
		resp, _ := ds.QueryData(ctx, &backend.QueryDataRequest{Queries: []backend.DataQuery{dataQuery("A", map[string]any{"expr": "up"})}})
		done <- resp
	}()
	select {
	case resp := <-done:
		if resp.Responses["A"].Error == nil {
			t.Fatal("a canceled query returned no error")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("QueryData did not return after cancellation")
	}
}

func TestResponseOverTheLimit(t *testing.T) {
	t.Setenv("GF_DATAPROXY_RESPONSE_LIMIT", "2000")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[`)
		for i := 0; i < 1000; i++ {
			_, _ = io.WriteString(w, `[1,"1"],`)
		}
		_, _ = io.WriteString(w, `[2,"2"]]}]}}`)
	}))
	defer srv.Close()
	resp, _ := newInstance(t, srv.URL, `{}`, nil).QueryData(context.Background(), &backend.QueryDataRequest{Queries: []backend.DataQuery{dataQuery("A", map[string]any{"expr": "up"})}})
	if r := resp.Responses["A"]; r.Error == nil || !strings.Contains(r.Error.Error(), "response limit") {
		t.Fatalf("%+v", r)
	}
}

func TestBodyCutMidway(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", "100000")
		_, _ = io.WriteString(w, `{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1,"1"],`)
		// The handler returns early: the client sees the connection end before Content-Length.
	}))
	defer srv.Close()
	resp, _ := newInstance(t, srv.URL, `{}`, nil).QueryData(context.Background(), &backend.QueryDataRequest{Queries: []backend.DataQuery{dataQuery("A", map[string]any{"expr": "up"})}})
	if r := resp.Responses["A"]; r.Error == nil || r.ErrorSource != backend.ErrorSourceDownstream {
		t.Fatalf("%+v", r)
	} else {
		t.Logf("cut body: %v", r.Error)
	}
}

func TestHeatmapStepIsAtLeastTwoScrapes(t *testing.T) {
	var step string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		step = r.Form.Get("step")
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"status":"success","data":{"resultType":"matrix","result":[]}}`)
	}))
	defer srv.Close()
	ds := newInstance(t, srv.URL, `{"timeInterval":"5s"}`, nil)
	q := dataQuery("A", map[string]any{"expr": "sum by (le) (increase(x_bucket[$__interval]))", "format": "heatmap"})
	q.Interval = 5 * time.Second
	q.TimeRange.From = q.TimeRange.To.Add(-5 * time.Minute)
	_, _ = ds.QueryData(context.Background(), &backend.QueryDataRequest{Queries: []backend.DataQuery{q}})
	if step != "10" {
		t.Fatalf("heatmap step %s, want 10 (two 5s scrapes)", step)
	}
}

func TestMimirLimitErrorGetsAHint(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnprocessableEntity)
		_, _ = io.WriteString(w, `{"status":"error","errorType":"execution","error":"expanding series: the query exceeded the maximum number of series (limit: 3 series) (err-mimir-max-series-per-query). To adjust the related per-tenant limit, configure -querier.max-fetched-series-per-query, or contact your service administrator."}`)
	}))
	defer srv.Close()
	resp, _ := newInstance(t, srv.URL, `{}`, nil).QueryData(context.Background(), &backend.QueryDataRequest{Queries: []backend.DataQuery{dataQuery("A", map[string]any{"expr": "up"})}})
	r := resp.Responses["A"]
	if r.Error == nil || !strings.Contains(r.Error.Error(), "narrow the time range") || !strings.Contains(r.Error.Error(), "err-mimir-max-series-per-query") || r.ErrorSource != backend.ErrorSourceDownstream {
		t.Fatalf("%+v", r)
	}
}
