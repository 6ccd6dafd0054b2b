package plugin

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/pulse-monitoring/pulse/internal/fixtures"
)

// BenchmarkQueryData is QueryData in process (no gRPC, no Arrow) on a 1,000 x 1,440 answer.
func BenchmarkQueryData(b *testing.B) {
	body := fixtures.Matrix(1000, 1440)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	}))
	defer srv.Close()
	inst, _ := NewDatasource(context.Background(), backend.DataSourceInstanceSettings{URL: srv.URL, JSONData: []byte(`{"timeInterval":"60s"}`)})
	ds := inst.(*Datasource)
	raw, _ := json.Marshal(map[string]any{"expr": "x", "range": true})
	to := time.Unix(1740338424, 0)
	q := backend.DataQuery{RefID: "A", JSON: raw, Interval: time.Minute, MaxDataPoints: 1440, TimeRange: backend.TimeRange{From: to.Add(-24 * time.Hour), To: to}}
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	b.ResetTimer() // the body's generation above is not part of QueryData
	for i := 0; i < b.N; i++ {
		resp, _ := ds.QueryData(context.Background(), &backend.QueryDataRequest{Queries: []backend.DataQuery{q}})
		if r := resp.Responses["A"]; r.Error != nil || len(r.Frames) != 1000 {
			b.Fatalf("%v %d", r.Error, len(r.Frames))
		}
	}
}
