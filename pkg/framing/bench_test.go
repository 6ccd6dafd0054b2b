package framing

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"runtime"
	"sort"
	"strconv"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
	jsoniter "github.com/json-iterator/go"
	"github.com/prometheus/common/model"

	"github.com/pulse-monitoring/pulse/internal/fixtures"
)

// Converter benchmarks: the same query_range bodies decoded into frames by
//   - Pulse:        Read (streaming, straight into typed slices);
//   - naive:        encoding/json into interface{}, then frames;
//   - promclient:   the Prometheus Go client's model types (model.Matrix, as its API returns),
//     then frames;
//   - syntax-only:  jsoniter skipping the whole body: the ceiling for any JSON converter.
// Run with scripts/bench.sh; "heap-MB" is the heap the result holds after conversion.

var benchShapes = []struct{ series, points int }{{1, 60}, {100, 1440}, {1000, 1440}, {10000, 300}}

func BenchmarkConvert(b *testing.B) {
	for _, shape := range benchShapes {
		body := fixtures.Matrix(shape.series, shape.points)
		name := fmt.Sprintf("%dx%d", shape.series, shape.points)
		run := func(impl string, convert func([]byte) (data.Frames, error)) {
			b.Run(name+"/"+impl, func(b *testing.B) {
				b.SetBytes(int64(len(body)))
				b.ReportAllocs()
				var frames data.Frames
				var before, after runtime.MemStats
				runtime.GC()
				runtime.ReadMemStats(&before)
				b.ResetTimer() // the collection above is not the converter's: with a small body it was most of the time
				for i := 0; i < b.N; i++ {
					var err error
					if frames, err = convert(body); err != nil {
						b.Fatal(err)
					}
				}
				b.StopTimer()
				runtime.GC()
				runtime.ReadMemStats(&after)
				if frames != nil && len(frames) != shape.series {
					b.Fatalf("%d frames", len(frames))
				}
				b.ReportMetric(math.Max(0, float64(int64(after.HeapAlloc)-int64(before.HeapAlloc)))/(1<<20), "heap-MB")
				runtime.KeepAlive(frames)
			})
		}
		run("pulse", func(body []byte) (data.Frames, error) {
			res, err := Read(bytes.NewReader(body))
			if err != nil {
				return nil, err
			}
			return res.Frames, nil
		})
		run("naive", naiveConvert)
		run("promclient", promClientConvert)
		run("syntax-only", func(body []byte) (data.Frames, error) {
			iter := jsoniter.ConfigFastest.BorrowIterator(body)
			defer jsoniter.ConfigFastest.ReturnIterator(iter)
			iter.Skip()
			return nil, iter.Error
		})
	}
}

// naiveConvert is the obvious implementation: decode everything into interface{}, then copy.
func naiveConvert(body []byte) (data.Frames, error) {
	var env map[string]any
	if err := json.Unmarshal(body, &env); err != nil {
		return nil, err
	}
	d := env["data"].(map[string]any)
	result := d["result"].([]any)
	frames := make(data.Frames, 0, len(result))
	for _, r := range result {
		series := r.(map[string]any)
		labels := data.Labels{}
		for k, v := range series["metric"].(map[string]any) {
			labels[k] = v.(string)
		}
		vals := series["values"].([]any)
		times := make([]time.Time, 0, len(vals))
		values := make([]float64, 0, len(vals))
		for _, pv := range vals {
			pair := pv.([]any)
			ts := pair[0].(float64)
			f, err := strconv.ParseFloat(pair[1].(string), 64)
			if err != nil {
				return nil, err
			}
			t, err := toTime(ts, "a sample")
			if err != nil {
				return nil, err
			}
			times = append(times, t)
			values = append(values, f)
		}
		frames = append(frames, seriesFrame(labels, times, values, data.FrameTypeTimeSeriesMulti))
	}
	return frames, nil
}

// promClientConvert decodes with the Prometheus Go client's model types (what its API's
// QueryRange returns: model.Matrix), then builds the same frames.
func promClientConvert(body []byte) (data.Frames, error) {
	var env struct {
		Status string `json:"status"`
		Data   struct {
			ResultType string          `json:"resultType"`
			Result     json.RawMessage `json:"result"`
		} `json:"data"`
	}
	if err := json.Unmarshal(body, &env); err != nil {
		return nil, err
	}
	var m model.Matrix
	if err := json.Unmarshal(env.Data.Result, &m); err != nil {
		return nil, err
	}
	frames := make(data.Frames, 0, len(m))
	for _, ss := range m {
		labels := make(data.Labels, len(ss.Metric))
		for k, v := range ss.Metric {
			labels[string(k)] = string(v)
		}
		times := make([]time.Time, len(ss.Values))
		values := make([]float64, len(ss.Values))
		for i, p := range ss.Values {
			times[i] = p.Timestamp.Time().UTC()
			values[i] = float64(p.Value)
		}
		frames = append(frames, seriesFrame(labels, times, values, data.FrameTypeTimeSeriesMulti))
	}
	return frames, nil
}

// The three converters must agree, or the comparison means nothing.
func TestBenchmarkConvertersAgree(t *testing.T) {
	body := fixtures.Matrix(20, 50)
	res, err := Read(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	naive, err := naiveConvert(body)
	if err != nil {
		t.Fatal(err)
	}
	client, err := promClientConvert(body)
	if err != nil {
		t.Fatal(err)
	}
	sortFrames := func(fs data.Frames) {
		sort.Slice(fs, func(i, j int) bool { return fs[i].Fields[1].Labels.String() < fs[j].Fields[1].Labels.String() })
	}
	sortFrames(res.Frames)
	sortFrames(naive)
	sortFrames(client)
	for i := range res.Frames {
		for _, other := range []data.Frames{naive, client} {
			a, b := res.Frames[i], other[i]
			if a.Fields[1].Labels.String() != b.Fields[1].Labels.String() || a.Rows() != b.Rows() {
				t.Fatalf("frame %d differs: %v vs %v", i, a.Fields[1].Labels, b.Fields[1].Labels)
			}
			for r := 0; r < a.Rows(); r++ {
				va, vb := a.Fields[1].At(r).(float64), b.Fields[1].At(r).(float64)
				ta, tb := a.Fields[0].At(r).(time.Time), b.Fields[0].At(r).(time.Time)
				if !(va == vb || (math.IsNaN(va) && math.IsNaN(vb))) || !ta.Equal(tb) {
					t.Fatalf("frame %d row %d: %v@%v vs %v@%v", i, r, va, ta, vb, tb)
				}
			}
		}
	}
}
