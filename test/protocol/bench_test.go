package protocol_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/pulse-monitoring/pulse/internal/fixtures"
	"github.com/pulse-monitoring/pulse/internal/pluginhost"
)

// BenchmarkEndToEnd compares one 1,000-series x 1,440-point range query fetched directly over
// HTTP with the same query through the built plugin binary over gRPC (decode, frames, Arrow
// encoding, gRPC, and Arrow decoding on the caller's side, as Grafana does). The upstream serves a
// pre-generated body, so the figures isolate what the plugin adds; against a real Prometheus its
// evaluation time is added to both sides.
func BenchmarkEndToEnd(b *testing.B) {
	body := fixtures.Matrix(1000, 1440)
	upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	}))
	defer upstream.Close()

	b.Run("direct-http", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		for i := 0; i < b.N; i++ {
			resp, err := http.Get(upstream.URL + "/api/v1/query_range?query=x&start=0&end=86400&step=60")
			if err != nil {
				b.Fatal(err)
			}
			if _, err := io.Copy(io.Discard, resp.Body); err != nil {
				b.Fatal(err)
			}
			resp.Body.Close()
		}
	})

	b.Run("plugin-grpc", func(b *testing.B) {
		bin, err := pluginhost.BinaryPath("../../dist")
		if err != nil {
			b.Fatal(err)
		}
		p, err := pluginhost.Start(bin, pluginhost.Options{})
		if err != nil {
			b.Fatal(err)
		}
		defer p.Close()
		raw, _ := json.Marshal(map[string]any{"expr": "x", "range": true})
		ds := &backend.DataSourceInstanceSettings{UID: "bench", URL: upstream.URL, JSONData: []byte(`{"timeInterval":"60s"}`)}
		to := time.Unix(1740338424, 0)
		q := backend.DataQuery{RefID: "A", JSON: raw, Interval: time.Minute, MaxDataPoints: 1440, TimeRange: backend.TimeRange{From: to.Add(-24 * time.Hour), To: to}}
		b.SetBytes(int64(len(body)))
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			resp, err := p.QueryData(context.Background(), ds, []backend.DataQuery{q})
			if err != nil {
				b.Fatal(err)
			}
			if r := resp.Responses["A"]; r.Error != nil || len(r.Frames) != 1000 {
				b.Fatalf("%v, %d frames", r.Error, len(r.Frames))
			}
		}
	})
}
