package plugin

import (
	"context"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/pulse-monitoring/pulse/internal/fixtures"
)

// BenchmarkQueryData is QueryData in process (no gRPC, no Arrow) on a 1,000 x 1,440 answer.
func BenchmarkQueryData(b *testing.B) {
	body := fixtures.Matrix(1000, 1440)
	srv := fixtures.Upstream(body)
	defer srv.Close()
	inst, _ := NewDatasource(context.Background(), backend.DataSourceInstanceSettings{URL: srv.URL, JSONData: []byte(`{"timeInterval":"60s"}`)})
	ds := inst.(*Datasource)
	q := fixtures.DayRangeQuery()
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
