package framing

import (
	"sort"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// ToTable turns series frames into one table: a row per sample, a column per label (__name__
// first, then sorted), then the value. The value column is named "Value #<refId>" as Grafana's
// Prometheus data source names it, so tables from several queries can be joined.
//
// An instant query gives a row per series: dataplane numeric-long, where the label columns identify
// each number (the Time column is the contract's remainder data, kept for panels). A range query
// gives a row per series and timestamp: the same labels repeat, so it is timeseries-long, its rows
// in time order as that contract asks (series in answer order within a timestamp).
func ToTable(frames data.Frames, refID string, instant bool) *data.Frame {
	keySet := map[string]struct{}{}
	rows := 0
	for _, f := range frames {
		if len(f.Fields) < 2 {
			continue
		}
		for k := range f.Fields[1].Labels {
			keySet[k] = struct{}{}
		}
		rows += f.Rows()
	}
	keys := make([]string, 0, len(keySet))
	for k := range keySet {
		if k != "__name__" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	if _, ok := keySet["__name__"]; ok {
		keys = append([]string{"__name__"}, keys...)
	}

	// Each row is a sample of a series: its frame and row there.
	type sample struct{ frame, row int }
	order := make([]sample, 0, rows)
	for fi, f := range frames {
		if len(f.Fields) < 2 || f.Fields[1].Type() != data.FieldTypeFloat64 {
			continue
		}
		for r := 0; r < f.Rows(); r++ {
			order = append(order, sample{fi, r})
		}
	}
	at := func(s sample) time.Time { return frames[s.frame].Fields[0].At(s.row).(time.Time) }
	if !instant {
		sort.SliceStable(order, func(i, j int) bool { return at(order[i]).Before(at(order[j])) })
	}
	times := make([]time.Time, 0, len(order))
	values := make([]float64, 0, len(order))
	labelCols := make([][]string, len(keys))
	for i := range labelCols {
		labelCols[i] = make([]string, 0, len(order))
	}
	for _, s := range order {
		valueField := frames[s.frame].Fields[1]
		times = append(times, at(s))
		values = append(values, valueField.At(s.row).(float64))
		for i, k := range keys {
			labelCols[i] = append(labelCols[i], valueField.Labels[k])
		}
	}
	fields := make([]*data.Field, 0, len(keys)+2)
	fields = append(fields, data.NewField("Time", nil, times))
	for i, k := range keys {
		fields = append(fields, data.NewField(k, nil, labelCols[i]))
	}
	valueName := "Value"
	if refID != "" {
		valueName = "Value #" + refID
	}
	fields = append(fields, data.NewField(valueName, nil, values))
	table := data.NewFrame(refID, fields...)
	frameType := data.FrameTypeTimeSeriesLong
	if instant {
		frameType = data.FrameTypeNumericLong
	}
	table.Meta = &data.FrameMeta{Type: frameType, TypeVersion: data.FrameTypeVersion{0, 1}}
	return table
}
