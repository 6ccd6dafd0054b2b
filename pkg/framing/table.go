package framing

import (
	"sort"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// ToTable turns series frames into one table: a row per sample, a column per label (__name__
// first, then sorted), then the value. An instant query gives a row per series; a range query a
// row per series and timestamp. The value column is named "Value #<refId>" as Grafana's Prometheus
// data source names it, so tables from several queries can be joined.
func ToTable(frames data.Frames, refID string) *data.Frame {
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

	times := make([]time.Time, 0, rows)
	values := make([]float64, 0, rows)
	labelCols := make([][]string, len(keys))
	for i := range labelCols {
		labelCols[i] = make([]string, 0, rows)
	}
	for _, f := range frames {
		if len(f.Fields) < 2 || f.Fields[1].Type() != data.FieldTypeFloat64 {
			continue
		}
		labels := f.Fields[1].Labels
		for r := 0; r < f.Rows(); r++ {
			times = append(times, f.Fields[0].At(r).(time.Time))
			values = append(values, f.Fields[1].At(r).(float64))
			for i, k := range keys {
				labelCols[i] = append(labelCols[i], labels[k])
			}
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
	table.Meta = &data.FrameMeta{Type: data.FrameTypeNumericLong, TypeVersion: data.FrameTypeVersion{0, 1}}
	return table
}
