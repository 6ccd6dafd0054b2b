package framing

import (
	"math"
	"sort"
	"strconv"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// ToHeatmap turns classic histogram bucket series (`..._bucket` with an `le` label, as
// `sum by (le) (increase(x_bucket[$__interval]))` returns them) into heatmap-rows frames: one frame
// per label set other than `le`, a time field, then one field per bucket sorted by its upper
// bound. Prometheus buckets are cumulative; each cell here holds only its own bucket's count (the
// count of the bucket minus the one below), so the heatmap panel can show it with calculate=false.
// Series without an `le` label are passed through unchanged.
func ToHeatmap(frames data.Frames) data.Frames {
	type bucket struct {
		le    float64
		leStr string
		frame *data.Frame
	}
	groups := map[string][]bucket{}
	groupLabels := map[string]data.Labels{}
	var order []string
	var out data.Frames
	for _, f := range frames {
		if len(f.Fields) < 2 {
			continue
		}
		labels := f.Fields[1].Labels
		leStr, ok := labels["le"]
		if !ok {
			out = append(out, f)
			continue
		}
		le, err := strconv.ParseFloat(leStr, 64)
		if err != nil {
			out = append(out, f)
			continue
		}
		rest := data.Labels{}
		for k, v := range labels {
			if k != "le" && k != "__name__" {
				rest[k] = v
			}
		}
		key := rest.String()
		if _, seen := groups[key]; !seen {
			order = append(order, key)
			groupLabels[key] = rest
		}
		groups[key] = append(groups[key], bucket{le: le, leStr: leStr, frame: f})
	}
	for _, key := range order {
		buckets := groups[key]
		sort.Slice(buckets, func(i, j int) bool { return buckets[i].le < buckets[j].le })
		// All buckets of one histogram share timestamps; a union keeps cells aligned if one is sparse.
		index := map[int64]int{}
		var times []time.Time
		for _, b := range buckets {
			for r := 0; r < b.frame.Rows(); r++ {
				t := b.frame.Fields[0].At(r).(time.Time)
				if _, ok := index[t.UnixMilli()]; !ok {
					index[t.UnixMilli()] = 0
					times = append(times, t)
				}
			}
		}
		sort.Slice(times, func(i, j int) bool { return times[i].Before(times[j]) })
		for i, t := range times {
			index[t.UnixMilli()] = i
		}
		cumulative := make([][]float64, len(buckets))
		for bi, b := range buckets {
			col := make([]float64, len(times))
			for i := range col {
				col[i] = math.NaN()
			}
			for r := 0; r < b.frame.Rows(); r++ {
				t := b.frame.Fields[0].At(r).(time.Time)
				col[index[t.UnixMilli()]] = b.frame.Fields[1].At(r).(float64)
			}
			cumulative[bi] = col
		}
		fields := []*data.Field{data.NewField("Time", nil, times)}
		for bi, b := range buckets {
			cells := make([]float64, len(times))
			for i := range times {
				v := cumulative[bi][i]
				if bi > 0 {
					below := cumulative[bi-1][i]
					if !math.IsNaN(below) && !math.IsNaN(v) {
						v -= below
					}
				}
				// Counter resets and float rounding can leave a tiny negative cell.
				if v < 0 {
					v = 0
				}
				cells[i] = v
			}
			field := data.NewField(b.leStr, groupLabels[key], cells)
			field.Config = &data.FieldConfig{DisplayNameFromDS: b.leStr}
			fields = append(fields, field)
		}
		frame := data.NewFrame("", fields...)
		frame.Meta = &data.FrameMeta{Type: frameTypeHeatmapRows, TypeVersion: data.FrameTypeVersion{0, 1}}
		out = append(out, frame)
	}
	return out
}

// frameTypeHeatmapRows is Grafana's "heatmap-rows" frame type (a time field, then one numeric field
// per bucket, named by its upper bound); the SDK has no constant for it.
const frameTypeHeatmapRows data.FrameType = "heatmap-rows"
