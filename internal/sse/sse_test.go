package sse

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

func typed(t data.FrameType, fields ...*data.Field) *data.Frame {
	f := data.NewFrame("", fields...)
	f.Meta = &data.FrameMeta{Type: t, TypeVersion: data.FrameTypeVersion{0, 1}}
	return f
}

func times(n int) []time.Time {
	out := make([]time.Time, n)
	for i := range out {
		out[i] = time.Unix(int64(1700000000+60*i), 0)
	}
	return out
}

func states(t *testing.T, frames data.Frames, reducer, op string, threshold float64) string {
	t.Helper()
	inst, err := Evaluate(frames, reducer, op, threshold)
	if err != nil {
		t.Fatal(err)
	}
	var parts []string
	for _, i := range inst {
		parts = append(parts, i.Labels+":"+string(i.State))
	}
	return strings.Join(parts, " ")
}

func TestNumbersPassReduceAndMeetTheThreshold(t *testing.T) {
	frames := data.Frames{
		typed(data.FrameTypeNumericMulti, data.NewField("Time", nil, times(1)), data.NewField("Value", data.Labels{"job": "a"}, []float64{3})),
		typed(data.FrameTypeNumericMulti, data.NewField("Time", nil, times(1)), data.NewField("Value", data.Labels{"job": "b"}, []float64{math.NaN()})),
		typed(data.FrameTypeNumericMulti, data.NewField("Time", nil, times(1)), data.NewField("Value", data.Labels{"job": "c"}, []float64{1})),
	}
	for _, reducer := range []string{"last", "mean"} {
		if got, want := states(t, frames, reducer, "gt", 2), "job=a:Alerting job=b:Normal job=c:Normal"; got != want {
			t.Errorf("%s: %s, want %s", reducer, got, want)
		}
	}
	if got, want := states(t, frames, "last", "lt", 2), "job=a:Normal job=b:Normal job=c:Alerting"; got != want {
		t.Errorf("lt: %s, want %s", got, want)
	}
}

func TestSeriesAreReducedLastOrMean(t *testing.T) {
	frames := data.Frames{
		typed(data.FrameTypeTimeSeriesMulti, data.NewField("Time", nil, times(3)), data.NewField("Value", data.Labels{"job": "a"}, []float64{10, 0, 1})),
		typed(data.FrameTypeTimeSeriesMulti, data.NewField("Time", nil, times(3)), data.NewField("Value", data.Labels{"job": "b"}, []float64{1, math.NaN(), 9})),
	}
	if got, want := states(t, frames, "last", "gt", 5), "job=a:Normal job=b:Alerting"; got != want {
		t.Errorf("last: %s, want %s", got, want)
	}
	// mean: a is 11/3 > 3; b has a NaN, so its mean is NaN, which never passes.
	if got, want := states(t, frames, "mean", "gt", 3), "job=a:Alerting job=b:Normal"; got != want {
		t.Errorf("mean: %s, want %s", got, want)
	}
	// Without a reduce a series cannot be a condition.
	a, _ := Read(frames)
	c, _ := Threshold(a, "gt", 5)
	if _, err := States(c); err == nil {
		t.Error("a series as the condition was accepted")
	}
}

func TestLongFrames(t *testing.T) {
	long := typed(data.FrameTypeNumericLong, data.NewField("Time", nil, times(2)), data.NewField("job", nil, []string{"a", "b"}), data.NewField("Value #A", nil, []float64{7, 1}))
	if got, want := states(t, data.Frames{long}, "last", "gt", 5), "job=a:Alerting job=b:Normal"; got != want {
		t.Errorf("numeric-long: %s, want %s", got, want)
	}
	// timeseries-long: rows of the same labels are one series, reduced.
	ts := typed(data.FrameTypeTimeSeriesLong, data.NewField("Time", nil, []time.Time{times(2)[0], times(2)[0], times(2)[1], times(2)[1]}),
		data.NewField("job", nil, []string{"a", "b", "a", "b"}), data.NewField("Value #A", nil, []float64{9, 1, 2, 8}))
	if got, want := states(t, data.Frames{ts}, "last", "gt", 5), "job=a:Normal job=b:Alerting"; got != want {
		t.Errorf("timeseries-long last: %s, want %s", got, want)
	}
	// The same rows read as numeric-long repeat their labels: alerting refuses the rule.
	ts.Meta.Type = data.FrameTypeNumericLong
	if _, err := Evaluate(data.Frames{ts}, "last", "gt", 5); err == nil || !strings.Contains(err.Error(), "duplicate") {
		t.Errorf("repeated labels as numbers: %v, want the duplicate error", err)
	}
}

func TestNoDataAndErrors(t *testing.T) {
	if got := states(t, nil, "last", "gt", 1); got != ":NoData" {
		t.Errorf("no frames: %s", got)
	}
	if got := states(t, data.Frames{typed(data.FrameTypeNumericMulti)}, "last", "gt", 1); got != ":NoData" {
		t.Errorf("typed empty frame: %s", got)
	}
	if got := states(t, data.Frames{data.NewFrame("Warnings")}, "last", "gt", 1); got != ":NoData" {
		t.Errorf("untyped empty frame: %s", got)
	}
	// A numeric frame of two rows has no single number: that series has no data.
	two := typed(data.FrameTypeNumericMulti, data.NewField("Time", nil, times(2)), data.NewField("Value", data.Labels{"job": "a"}, []float64{1, 2}))
	if got := states(t, data.Frames{two}, "last", "gt", 0); got != "job=a:NoData" {
		t.Errorf("two rows: %s", got)
	}
	heatmap := typed("heatmap-rows", data.NewField("Time", nil, times(1)), data.NewField("0.1", nil, []float64{1}))
	if _, err := Evaluate(data.Frames{heatmap}, "last", "gt", 0); err == nil || !strings.Contains(err.Error(), "not supported by server side expressions") {
		t.Errorf("heatmap: %v", err)
	}
	untyped := data.NewFrame("", data.NewField("Time", nil, times(1)), data.NewField("Value", nil, []float64{1}))
	if _, err := Evaluate(data.Frames{untyped}, "last", "gt", 0); err == nil {
		t.Error("untyped frame accepted")
	}
	// A range and instant query: numbers after series are ignored, series after numbers an error.
	rangeFirst := data.Frames{
		typed(data.FrameTypeTimeSeriesMulti, data.NewField("Time", nil, times(2)), data.NewField("Value", data.Labels{"q": "range"}, []float64{1, 2})),
		typed(data.FrameTypeNumericMulti, data.NewField("Time", nil, times(1)), data.NewField("Value", data.Labels{"q": "instant"}, []float64{1})),
	}
	if got := states(t, rangeFirst, "last", "gt", 1); got != "q=range:Alerting" {
		t.Errorf("range, then instant: %s", got)
	}
	if _, err := Evaluate(data.Frames{rangeFirst[1], rangeFirst[0]}, "last", "gt", 0); err == nil {
		t.Error("series after numbers accepted")
	}
}
