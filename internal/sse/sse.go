// Package sse evaluates a query's frames the way Grafana's server-side expressions and its alerting
// do for a rule of the shape Pulse's alert templates export: A (the data source query) → B reduce →
// C threshold, C the condition. It is a test's model of Grafana, not shipped, written from
// grafana/grafana's pkg/expr (dataplane.go reading frames through grafana/dataplane's sdata readers,
// mathexp/reduce.go, threshold.go, the reduce command) and pkg/services/ngalert/eval (a state per
// condition number), and only for what Pulse sends and the templates use:
//
//   - frames typed for the dataplane (meta.type and a non-zero typeVersion) are read by their kind;
//     time series kinds become series, numeric kinds numbers, any other kind (heatmap) is an error,
//     as SSE says "kind ... not supported by server side expressions";
//   - no frames, or a first frame without fields, is "no data";
//   - a numeric frame whose value field has not exactly one row is a number without a value (the
//     dataplane reader's "empty"), which alerting shows as NoData for that series;
//   - reduce (strict mode, Grafana's default) leaves a number as it is and turns a series into its
//     last value or mean, NaN when the series is empty or any value is null or NaN (mean);
//   - threshold compares each number (NaN compares false, so 0), a number without a value stays so;
//   - each condition number is an alert instance: no value → NoData, 0 → Normal, else Alerting, and
//     two instances with the same labels fail the rule, as alerting does.
//
// Untyped frames take SSE's older, guessing path: Pulse types every frame, so here they are an error.
package sse

import (
	"fmt"
	"math"
	"sort"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// Kind is what a value of an expression is.
type Kind int

const (
	NoData Kind = iota
	Number
	Series
)

// Value is one result of an expression: a number or a series, with its labels, or "no data".
type Value struct {
	Kind   Kind
	Labels data.Labels
	// Number: the value, nil when there is none.
	Number *float64
	// Series: the points' values in time order; nil is a null.
	Points []*float64
}

// Read turns a data source query's frames into values, as SSE does for a dataplane-typed answer.
func Read(frames data.Frames) ([]Value, error) {
	if len(frames) == 0 {
		return []Value{{Kind: NoData}}, nil
	}
	first := frames[0]
	if first.Meta == nil || first.Meta.Type == "" || first.Meta.TypeVersion.IsZero() {
		if len(frames) == 1 && len(first.Fields) == 0 {
			return []Value{{Kind: NoData}}, nil
		}
		return nil, fmt.Errorf("frame 0 has no dataplane type (meta.type and typeVersion): SSE would guess its shape")
	}
	t := first.Meta.Type
	var vals []Value
	var err error
	switch t {
	case data.FrameTypeTimeSeriesMulti:
		vals, err = readMulti(frames, t, seriesOf)
	case data.FrameTypeNumericMulti:
		vals, err = readMulti(frames, t, numberOf)
	case data.FrameTypeTimeSeriesLong:
		vals, err = readLong(first, true)
	case data.FrameTypeNumericLong:
		vals, err = readLong(first, false)
	case data.FrameTypeNumericWide:
		for _, f := range first.Fields {
			if isValue(f) {
				vals = append(vals, numberOf(f))
			}
		}
	default:
		return nil, fmt.Errorf("kind %s (type %s) not supported by server side expressions", t.Kind(), t)
	}
	if err != nil {
		return nil, err
	}
	if len(vals) == 0 {
		return []Value{{Kind: NoData}}, nil
	}
	return vals, nil
}

func isValue(f *data.Field) bool {
	return f.Type().Numeric() || f.Type() == data.FieldTypeBool || f.Type() == data.FieldTypeNullableBool
}

// readMulti reads one value per frame: its first value field. After the first frame, a frame of
// another type is ignored by the time series reader and an error for the numeric one (as in
// grafana/dataplane's sdata readers).
func readMulti(frames data.Frames, t data.FrameType, value func(*data.Field) Value) ([]Value, error) {
	if len(frames[0].Fields) == 0 {
		return nil, nil // no data; frames after it are ignored
	}
	var vals []Value
	for i, f := range frames {
		if f.Meta == nil || f.Meta.Type != t {
			if t == data.FrameTypeTimeSeriesMulti {
				continue
			}
			return nil, fmt.Errorf("frame %d has wrong type, expected %s but got %v", i, t, f.Meta)
		}
		if t == data.FrameTypeTimeSeriesMulti && len(f.TypeIndices(data.FieldTypeTime, data.FieldTypeNullableTime)) == 0 {
			return nil, fmt.Errorf("frame %d is a time series without a time field", i)
		}
		idx := -1
		for j, fld := range f.Fields {
			if isValue(fld) {
				idx = j
				break
			}
		}
		if idx < 0 {
			if t == data.FrameTypeTimeSeriesMulti {
				return nil, fmt.Errorf("frame %d must have at least one value field", i)
			}
			continue
		}
		vals = append(vals, value(f.Fields[idx]))
	}
	return vals, nil
}

func floatAt(f *data.Field, i int) *float64 {
	v, err := f.NullableFloatAt(i)
	if err != nil || v == nil {
		return nil
	}
	c := *v
	return &c
}

func numberOf(f *data.Field) Value {
	n := Value{Kind: Number, Labels: f.Labels}
	if f.Len() == 1 {
		n.Number = floatAt(f, 0)
	}
	return n
}

func seriesOf(f *data.Field) Value {
	s := Value{Kind: Series, Labels: f.Labels, Points: make([]*float64, f.Len())}
	for i := range s.Points {
		s.Points[i] = floatAt(f, i)
	}
	return s
}

// readLong reads a long frame: string fields are the labels of each row; every value field of a row
// is a number (numeric-long) or a point of the series with those labels (timeseries-long).
func readLong(f *data.Frame, series bool) ([]Value, error) {
	if len(f.Fields) == 0 {
		return nil, nil
	}
	var strs, nums []int
	for i, fld := range f.Fields {
		switch {
		case isValue(fld):
			nums = append(nums, i)
		case fld.Type() == data.FieldTypeString || fld.Type() == data.FieldTypeNullableString:
			strs = append(strs, i)
		}
	}
	var vals []Value
	bySeries := map[string]int{}
	for row := 0; row < f.Rows(); row++ {
		labels := data.Labels{}
		for _, i := range strs {
			if v, ok := f.ConcreteAt(i, row); ok {
				labels[f.Fields[i].Name] = v.(string)
			} else {
				labels[f.Fields[i].Name] = ""
			}
		}
		for _, i := range nums {
			v := floatAt(f.Fields[i], row)
			if !series {
				vals = append(vals, Value{Kind: Number, Labels: labels, Number: v})
				continue
			}
			key := f.Fields[i].Name + labels.String()
			at, ok := bySeries[key]
			if !ok {
				at = len(vals)
				bySeries[key] = at
				vals = append(vals, Value{Kind: Series, Labels: labels})
			}
			vals[at].Points = append(vals[at].Points, v)
		}
	}
	return vals, nil
}

// Reduce is SSE's reduce command in strict mode with reducer "last" or "mean".
func Reduce(vals []Value, reducer string) ([]Value, error) {
	if reducer != "last" && reducer != "mean" {
		return nil, fmt.Errorf("reducer %q is not modelled here", reducer)
	}
	out := make([]Value, 0, len(vals))
	for _, v := range vals {
		switch v.Kind {
		case NoData, Number: // a number is reduced to itself
			out = append(out, v)
		case Series:
			r := math.NaN()
			switch {
			case len(v.Points) == 0:
			case reducer == "last":
				if p := v.Points[len(v.Points)-1]; p != nil {
					r = *p
				}
			default:
				sum := 0.0
				for _, p := range v.Points {
					if p == nil || math.IsNaN(*p) {
						sum = math.NaN()
						break
					}
					sum += *p
				}
				r = sum / float64(len(v.Points))
			}
			out = append(out, Value{Kind: Number, Labels: v.Labels, Number: &r})
		}
	}
	return out, nil
}

// Threshold is SSE's threshold command for "gt" and "lt": 1 where the number passes, else 0 (NaN
// never passes); a number without a value stays without one. Series are compared point by point.
func Threshold(vals []Value, op string, threshold float64) ([]Value, error) {
	var pass func(float64) bool
	switch op {
	case "gt":
		pass = func(f float64) bool { return f > threshold }
	case "lt":
		pass = func(f float64) bool { return f < threshold }
	default:
		return nil, fmt.Errorf("threshold type %q is not modelled here", op)
	}
	eval := func(p *float64) *float64 {
		if p == nil {
			return nil
		}
		r := 0.0
		if pass(*p) {
			r = 1
		}
		return &r
	}
	out := make([]Value, 0, len(vals))
	for _, v := range vals {
		switch v.Kind {
		case Number:
			out = append(out, Value{Kind: Number, Labels: v.Labels, Number: eval(v.Number)})
		case Series:
			s := Value{Kind: Series, Labels: v.Labels, Points: make([]*float64, len(v.Points))}
			for i, p := range v.Points {
				s.Points[i] = eval(p)
			}
			out = append(out, s)
		default:
			out = append(out, v)
		}
	}
	return out, nil
}

// State is an alert instance's state after one evaluation.
type State string

const (
	StateNormal   State = "Normal"
	StateAlerting State = "Alerting"
	StateNoData   State = "NoData"
)

// Instance is one alert instance: the labels of its series and its state.
type Instance struct {
	Labels string // data.Labels.String(): "" for none
	State  State
}

// States is alerting's reading of the condition's values: one instance per number. A condition that
// is "no data" is one NoData instance without labels (the rule's noDataState then decides). A series
// in the condition, or two numbers with the same labels, fail the evaluation.
func States(condition []Value) ([]Instance, error) {
	if len(condition) == 1 && condition[0].Kind == NoData {
		return []Instance{{State: StateNoData}}, nil
	}
	seen := map[string]bool{}
	out := make([]Instance, 0, len(condition))
	for _, v := range condition {
		if v.Kind != Number {
			return nil, fmt.Errorf("invalid format of evaluation results for the alert definition: the condition must be numbers, got a series (reduce it first)")
		}
		key := v.Labels.String()
		if seen[key] {
			return nil, fmt.Errorf("frame cannot uniquely be identified by its labels: has duplicate results with labels %s", key)
		}
		seen[key] = true
		state := StateAlerting
		switch {
		case v.Number == nil:
			state = StateNoData
		case *v.Number == 0:
			state = StateNormal
		}
		out = append(out, Instance{Labels: key, State: state})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Labels < out[j].Labels })
	return out, nil
}

// Evaluate runs frames through reduce and threshold and returns the alert instances.
func Evaluate(frames data.Frames, reducer, op string, threshold float64) ([]Instance, error) {
	a, err := Read(frames)
	if err != nil {
		return nil, err
	}
	b, err := Reduce(a, reducer)
	if err != nil {
		return nil, err
	}
	c, err := Threshold(b, op, threshold)
	if err != nil {
		return nil, err
	}
	return States(c)
}
