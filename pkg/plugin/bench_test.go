package plugin

import (
	"context"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	"google.golang.org/protobuf/proto"

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

// BenchmarkQueryDataEncoded is what the plugin process does for the end-to-end benchmark's static
// upstream, without the gRPC transport: QueryData on a 1,000 x 1,440 answer, then the SDK's
// encoding of the response as its gRPC server does before sending, in each format a caller may ask
// for (QueryDataRequest.Format: Arrow, Grafana's default, or JSON), and the caller's decoding of it
// (backend.FromProto, as Grafana does). Its CPU and heap profiles are the ones the README's
// Performance section quotes:
//
//	go test ./pkg/plugin -run '^$' -bench 'QueryDataEncoded/arrow' -cpuprofile cpu.out -memprofile mem.out
func BenchmarkQueryDataEncoded(b *testing.B) {
	body := fixtures.Matrix(1000, 1440)
	srv := fixtures.Upstream(body)
	defer srv.Close()
	inst, _ := NewDatasource(context.Background(), backend.DataSourceInstanceSettings{URL: srv.URL, JSONData: []byte(`{"timeInterval":"60s"}`)})
	ds := inst.(*Datasource)
	q := fixtures.DayRangeQuery()
	for _, format := range []struct {
		name string
		f    backend.DataFrameFormat
		wide bool // re-laid as one timeseries-wide frame (all series share the answer's timestamps)
	}{{"arrow", backend.DataFrameFormat_ARROW, false}, {"json", backend.DataFrameFormat_JSON, false}, {"arrow-wide", backend.DataFrameFormat_ARROW, true}} {
		b.Run(format.name, func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			var encoded, decode time.Duration
			var size int
			for i := 0; i < b.N; i++ {
				resp, _ := ds.QueryData(context.Background(), &backend.QueryDataRequest{Queries: []backend.DataQuery{q}})
				if r := resp.Responses["A"]; r.Error != nil || len(r.Frames) != 1000 {
					b.Fatalf("%v %d", r.Error, len(r.Frames))
				}
				start := time.Now()
				if format.wide {
					resp.Responses["A"] = backend.DataResponse{Frames: data.Frames{wideOf(b, resp.Responses["A"].Frames)}}
				}
				raw, err := backend.ToProto().QueryDataResponse(format.f, resp)
				if err != nil {
					b.Fatal(err)
				}
				encoded += time.Since(start)
				size = proto.Size(raw)
				b.StopTimer() // the caller's decoding is not the plugin's work; it is reported apart
				start = time.Now()
				if _, err := backend.FromProto().QueryDataResponse(raw); err != nil {
					b.Fatal(err)
				}
				decode += time.Since(start)
				b.StartTimer()
			}
			b.ReportMetric(float64(encoded.Milliseconds())/float64(b.N), "encode-ms")
			b.ReportMetric(float64(decode.Milliseconds())/float64(b.N), "caller-decode-ms")
			b.ReportMetric(float64(size)/(1<<20), "answer-MB")
		})
	}
}

// wideOf lays series frames that share their timestamps out as one timeseries-wide frame: one time
// field, a value field per series. It measures what that layout would cost to encode and decode; the
// plugin sends timeseries-multi (see CONTRIBUTING, backend conventions).
func wideOf(b *testing.B, frames data.Frames) *data.Frame {
	fields := []*data.Field{frames[0].Fields[0]}
	for _, f := range frames {
		if f.Rows() != frames[0].Rows() {
			b.Fatal("series of different lengths")
		}
		fields = append(fields, f.Fields[1])
	}
	wide := data.NewFrame("", fields...)
	wide.Meta = &data.FrameMeta{Type: data.FrameTypeTimeSeriesWide, TypeVersion: data.FrameTypeVersion{0, 1}}
	return wide
}
