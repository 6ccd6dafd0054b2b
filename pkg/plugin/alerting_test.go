package plugin

import (
	"context"
	"encoding/json"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/pulse-monitoring/pulse/internal/sse"
)

// recordedSeries reads a recorded answer with encoding/json, apart from pkg/framing: each series'
// labels (as data.Labels.String() writes them) and values.
func recordedSeries(t *testing.T, name string) map[string][]float64 {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", "recorded", name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	var body struct {
		Data struct {
			ResultType string          `json:"resultType"`
			Result     json.RawMessage `json:"result"`
		} `json:"data"`
	}
	if err := json.Unmarshal(raw, &body); err != nil {
		t.Fatal(err)
	}
	num := func(pair []any) float64 {
		v, err := strconv.ParseFloat(pair[1].(string), 64)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	out := map[string][]float64{}
	if body.Data.ResultType == "scalar" {
		var pair []any
		_ = json.Unmarshal(body.Data.Result, &pair)
		out[""] = []float64{num(pair)}
		return out
	}
	var series []struct {
		Metric map[string]string `json:"metric"`
		Value  []any             `json:"value"`
		Values [][]any           `json:"values"`
	}
	if err := json.Unmarshal(body.Data.Result, &series); err != nil {
		t.Fatal(err)
	}
	for _, s := range series {
		key := data.Labels(s.Metric).String()
		if s.Value != nil {
			out[key] = append(out[key], num(s.Value))
		}
		for _, p := range s.Values {
			out[key] = append(out[key], num(p))
		}
	}
	return out
}

// expectedStates is what reduce(reducer) + threshold(op, threshold) must give each series, computed
// from the recorded values alone: last or mean (NaN if any value is NaN), NaN never passes.
func expectedStates(series map[string][]float64, reducer, op string, threshold float64) string {
	var parts []string
	for labels, values := range series {
		v := values[len(values)-1]
		if reducer == "mean" {
			sum := 0.0
			for _, x := range values {
				sum += x
			}
			v = sum / float64(len(values))
		}
		pass := (op == "gt" && v > threshold) || (op == "lt" && v < threshold)
		state := sse.StateNormal
		if pass {
			state = sse.StateAlerting
		}
		parts = append(parts, labels+":"+string(state))
	}
	sort.Strings(parts)
	return strings.Join(parts, " ")
}

func joinStates(inst []sse.Instance) string {
	parts := make([]string, 0, len(inst))
	for _, i := range inst {
		parts = append(parts, i.Labels+":"+string(i.State))
	}
	return strings.Join(parts, " ")
}

// middle is a threshold between the recorded values, so that some series fire and some do not.
func middle(series map[string][]float64, reducer string) float64 {
	var vs []float64
	for _, values := range series {
		vs = append(vs, values[len(values)-1])
		if reducer == "mean" {
			sum := 0.0
			for _, x := range values {
				sum += x
			}
			vs[len(vs)-1] = sum / float64(len(values))
		}
	}
	sort.Float64s(vs)
	if len(vs) < 2 {
		return vs[0] - 1
	}
	return (vs[0] + vs[len(vs)-1]) / 2
}

// Every recorded answer, queried the way Grafana's alerting sends a saved rule (the model as saved,
// intervalMs 1000, maxDataPoints 43200, a relative range ending now) and read the way its server-side
// expressions read frames, then reduced (last, mean) and thresholded: each series must come out in
// the state its recorded values give it, whatever the format.
func TestAlertingReadsEveryAnswerPerSeries(t *testing.T) {
	tests := []struct {
		fixture   string // recorded answer
		model     map[string]any
		wantType  data.FrameType
		noNaNMean bool // mean over values holding NaN is NaN: pick the threshold from the last values
	}{
		{"vector_up", map[string]any{"instant": true, "range": false}, data.FrameTypeNumericMulti, false},
		{"vector_up", map[string]any{"instant": true, "range": false, "format": "table"}, data.FrameTypeNumericLong, false},
		{"vector_partial_response", map[string]any{"instant": true, "range": false}, data.FrameTypeNumericMulti, false},
		{"scalar", map[string]any{"instant": true, "range": false}, data.FrameTypeNumericMulti, false},
		{"matrix_cpu", map[string]any{"range": true}, data.FrameTypeTimeSeriesMulti, false},
		{"matrix_cpu", map[string]any{"range": true, "format": "table"}, data.FrameTypeTimeSeriesLong, false},
	}
	for _, tc := range tests {
		name := tc.fixture + "/" + string(tc.wantType)
		t.Run(name, func(t *testing.T) {
			body, err := os.ReadFile(filepath.Join("testdata", "recorded", tc.fixture+".json"))
			if err != nil {
				t.Fatal(err)
			}
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				_, _ = w.Write(body)
			}))
			defer srv.Close()
			ds := newInstance(t, srv.URL, `{"timeInterval":"2s"}`, nil)
			model := map[string]any{"refId": "A", "expr": `rate(x[$__rate_interval])`, "editorMode": "code", "format": "time_series", "intervalMs": 1000, "maxDataPoints": 43200}
			for k, v := range tc.model {
				model[k] = v
			}
			raw, _ := json.Marshal(model)
			now := time.Now()
			resp, err := ds.QueryData(context.Background(), &backend.QueryDataRequest{Queries: []backend.DataQuery{{
				RefID: "A", JSON: raw, Interval: time.Second, MaxDataPoints: 43200,
				TimeRange: backend.TimeRange{From: now.Add(-10 * time.Minute), To: now},
			}}})
			if err != nil {
				t.Fatal(err)
			}
			dr := resp.Responses["A"]
			if dr.Error != nil {
				t.Fatal(dr.Error)
			}
			for _, f := range dr.Frames {
				if f.Meta == nil || f.Meta.Type != tc.wantType || f.Meta.TypeVersion != (data.FrameTypeVersion{0, 1}) {
					t.Fatalf("frame meta %+v, want %s 0.1", f.Meta, tc.wantType)
				}
			}
			series := recordedSeries(t, tc.fixture)
			for _, reducer := range []string{"last", "mean"} {
				threshold := middle(series, reducer)
				if math.IsNaN(threshold) {
					threshold = middle(series, "last")
				}
				for _, op := range []string{"gt", "lt"} {
					got, err := sse.Evaluate(dr.Frames, reducer, op, threshold)
					if err != nil {
						t.Fatalf("%s %s %v: %v", reducer, op, threshold, err)
					}
					if want := expectedStates(series, reducer, op, threshold); joinStates(got) != want {
						t.Errorf("%s, %s %v:\n got  %s\n want %s", reducer, op, threshold, joinStates(got), want)
					}
				}
			}
		})
	}
}

// A heatmap is for panels: alerting on it fails plainly rather than reading buckets as series.
func TestAlertingOnAHeatmapIsAnError(t *testing.T) {
	body, err := os.ReadFile(filepath.Join("testdata", "recorded", "histogram_heatmap.json"))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	}))
	defer srv.Close()
	ds := newInstance(t, srv.URL, `{"timeInterval":"2s"}`, nil)
	raw, _ := json.Marshal(map[string]any{"refId": "A", "expr": "x", "range": true, "format": "heatmap"})
	now := time.Now()
	resp, _ := ds.QueryData(context.Background(), &backend.QueryDataRequest{Queries: []backend.DataQuery{{
		RefID: "A", JSON: raw, Interval: time.Second, MaxDataPoints: 43200, TimeRange: backend.TimeRange{From: now.Add(-time.Minute), To: now},
	}}})
	dr := resp.Responses["A"]
	if dr.Error != nil || len(dr.Frames) == 0 {
		t.Fatalf("heatmap: %v, %d frames", dr.Error, len(dr.Frames))
	}
	if _, err := sse.Evaluate(dr.Frames, "last", "gt", 0); err == nil || !strings.Contains(err.Error(), "not supported by server side expressions") {
		t.Fatalf("heatmap through SSE: %v", err)
	}
}
