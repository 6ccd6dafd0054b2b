package framing

import (
	"io"
	"sort"
	"strconv"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
	jsoniter "github.com/json-iterator/go"
)

// ReadExemplars decodes /api/v1/query_exemplars into one frame named "exemplar": Time, Value and a
// column per label (series labels and exemplar labels such as trace_id), which Grafana draws as
// exemplar markers over the time series.
func ReadExemplars(r io.Reader) (*data.Frame, error) {
	src := &eofReader{r: r}
	iter := jsoniter.Parse(jsonAPI, src, bufSize)
	type point struct {
		t      time.Time
		v      float64
		labels map[string]string
	}
	var (
		points         []point
		status, errMsg string
		errType        string
	)
	for key := iter.ReadObject(); key != ""; key = iter.ReadObject() {
		switch key {
		case "status":
			status = iter.ReadString()
		case "errorType":
			errType = iter.ReadString()
		case "error":
			errMsg = iter.ReadString()
		case "data":
			for iter.ReadArray() {
				var series map[string]string
				var ex []point
				for k := iter.ReadObject(); k != ""; k = iter.ReadObject() {
					switch k {
					case "seriesLabels":
						series = readLabels(iter)
					case "exemplars":
						for iter.ReadArray() {
							p := point{labels: map[string]string{}}
							for ek := iter.ReadObject(); ek != ""; ek = iter.ReadObject() {
								switch ek {
								case "labels":
									p.labels = readLabels(iter)
								case "value":
									p.v, _ = strconv.ParseFloat(iter.ReadString(), 64)
								case "timestamp":
									p.t = toTime(iter.ReadFloat64())
								default:
									iter.Skip()
								}
							}
							ex = append(ex, p)
						}
					default:
						iter.Skip()
					}
				}
				for _, p := range ex {
					for k, v := range series {
						if _, ok := p.labels[k]; !ok {
							p.labels[k] = v
						}
					}
					points = append(points, p)
				}
			}
		default:
			iter.Skip()
		}
		if iter.Error != nil {
			break
		}
	}
	if iter.Error != nil {
		if src.eof {
			return nil, &FormatError{Message: truncatedMessage}
		}
		return nil, readError(iter.Error)
	}
	if status == "error" {
		return nil, &APIError{Type: errType, Message: errMsg}
	}
	if status != "success" {
		return nil, &FormatError{Message: "the exemplars answer is not a Prometheus API response"}
	}
	keySet := map[string]struct{}{}
	for _, p := range points {
		for k := range p.labels {
			keySet[k] = struct{}{}
		}
	}
	keys := make([]string, 0, len(keySet))
	for k := range keySet {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	sort.SliceStable(points, func(i, j int) bool { return points[i].t.Before(points[j].t) })
	times := make([]time.Time, len(points))
	values := make([]float64, len(points))
	cols := make([][]string, len(keys))
	for i := range cols {
		cols[i] = make([]string, len(points))
	}
	for i, p := range points {
		times[i], values[i] = p.t, p.v
		for c, k := range keys {
			cols[c][i] = p.labels[k]
		}
	}
	fields := []*data.Field{data.NewField("Time", nil, times), data.NewField("Value", nil, values)}
	for c, k := range keys {
		fields = append(fields, data.NewField(k, nil, cols[c]))
	}
	frame := data.NewFrame("exemplar", fields...)
	frame.Meta = &data.FrameMeta{Custom: map[string]any{"resultType": "exemplar"}}
	return frame, nil
}
