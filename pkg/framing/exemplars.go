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
	var points []exemplarPoint
	env, err := decodeEnvelope(r, func(iter *jsoniter.Iterator) error {
		var err error
		points, err = readExemplarSeries(iter)
		return err
	})
	if err != nil {
		return nil, err
	}
	switch env.status {
	case "success":
		return exemplarFrame(points), nil
	case "error":
		return nil, &APIError{Type: env.errType, Message: env.errMsg}
	default:
		return nil, &FormatError{Message: "the exemplars answer is not a Prometheus API response"}
	}
}

type exemplarPoint struct {
	t      time.Time
	v      float64
	labels map[string]string
}

// readExemplarSeries reads data: [{"seriesLabels":{...},"exemplars":[{labels,value,timestamp}]}],
// giving each exemplar the labels of its series beneath its own.
func readExemplarSeries(iter *jsoniter.Iterator) ([]exemplarPoint, error) {
	var points []exemplarPoint
	for iter.ReadArray() {
		var series map[string]string
		var ex []exemplarPoint
		for k := iter.ReadObject(); k != ""; k = iter.ReadObject() {
			switch k {
			case "seriesLabels":
				series = readLabels(iter)
			case "exemplars":
				for iter.ReadArray() {
					p := exemplarPoint{labels: map[string]string{}}
					for ek := iter.ReadObject(); ek != ""; ek = iter.ReadObject() {
						switch ek {
						case "labels":
							p.labels = readLabels(iter)
						case "value":
							p.v, _ = strconv.ParseFloat(iter.ReadString(), 64)
						case "timestamp":
							var err error
							if p.t, err = toTime(iter.ReadFloat64(), "an exemplar"); err != nil {
								return nil, err
							}
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
	return points, nil
}

// exemplarFrame lays the exemplars out by time, one column per label seen on any of them.
func exemplarFrame(points []exemplarPoint) *data.Frame {
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
	return frame
}
