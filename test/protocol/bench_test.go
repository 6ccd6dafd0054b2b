package protocol_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/pulse-monitoring/pulse/internal/fixtures"
	"github.com/pulse-monitoring/pulse/internal/pluginhost"
	"github.com/pulse-monitoring/pulse/internal/stack"
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

// BenchmarkEndToEndRealEngine is the same comparison against a real engine: VictoriaMetrics
// (Debian package, via internal/stack) holding 1,000 imported series of 1,440 points, queried
// directly over HTTP and through the plugin binary over gRPC.
func BenchmarkEndToEndRealEngine(b *testing.B) {
	s := stack.StartTB(b, stack.Options{VictoriaMetrics: true})
	vm := s.VictoriaMetrics.URL()
	end := time.Now().Add(-time.Minute).Truncate(time.Minute)
	start := end.Add(-1439 * time.Minute)
	var body bytes.Buffer
	for i := 0; i < 1000; i++ {
		fmt.Fprintf(&body, `{"metric":{"__name__":"pulse_bench","series":"s%04d","job":"bench"},"values":[`, i)
		for p := 0; p < 1440; p++ {
			if p > 0 {
				body.WriteByte(',')
			}
			fmt.Fprintf(&body, "%d", (i*31+p*17)%10000)
		}
		body.WriteString(`],"timestamps":[`)
		for p := 0; p < 1440; p++ {
			if p > 0 {
				body.WriteByte(',')
			}
			fmt.Fprintf(&body, "%d", start.Add(time.Duration(p)*time.Minute).UnixMilli())
		}
		body.WriteString("]}\n")
	}
	resp, err := http.Post(vm+"/api/v1/import", "application/json", &body)
	if err != nil {
		b.Fatal(err)
	}
	resp.Body.Close()
	_, _ = http.Get(vm + "/internal/force_flush")
	params := url.Values{"query": {"pulse_bench"}, "start": {fmt.Sprint(start.Unix())}, "end": {fmt.Sprint(end.Unix())}, "step": {"60"}}
	// Wait until the import is searchable.
	deadline := time.Now().Add(30 * time.Second)
	for {
		r, err := http.Get(vm + "/api/v1/query_range?" + params.Encode())
		if err == nil {
			n, _ := io.Copy(io.Discard, r.Body)
			r.Body.Close()
			if n > 20<<20 {
				b.Logf("direct answer: %d MB", n>>20)
				break
			}
		}
		if time.Now().After(deadline) {
			b.Fatal("the imported series did not become searchable")
		}
		time.Sleep(500 * time.Millisecond)
	}

	b.Run("direct-http", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			r, err := http.Get(vm + "/api/v1/query_range?" + params.Encode())
			if err != nil {
				b.Fatal(err)
			}
			_, _ = io.Copy(io.Discard, r.Body)
			r.Body.Close()
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
		raw, _ := json.Marshal(map[string]any{"expr": "pulse_bench", "range": true})
		ds := &backend.DataSourceInstanceSettings{UID: "bench", URL: vm, JSONData: []byte(`{"timeInterval":"60s"}`)}
		q := backend.DataQuery{RefID: "A", JSON: raw, Interval: time.Minute, MaxDataPoints: 1440, TimeRange: backend.TimeRange{From: start, To: end}}
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
