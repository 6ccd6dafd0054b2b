package main

// The evaluator: one evaluation of a stored rule the way Grafana's alerting runs it, without a browser. Each data
// source query goes to the backend binary with its saved model as is (no applyTemplateVariables: raw `expr`,
// macros unexpanded), the rule's relative time range, and the intervalMs/maxDataPoints of the model (Grafana's
// alerting defaults: 1000 ms and 43200); then the server-side expressions the rule chains, reduce (last, mean,
// min, max, sum, count) and threshold (gt, lt, within_range, outside_range), read the frames per series as
// Grafana's expressions read the dataplane kinds. What is not played: `for` (Grafana keeps an instance Pending for
// that long before it fires; one evaluation only says whether the condition holds), math and classic conditions.

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
)

const (
	alertingIntervalMs    = 1000
	alertingMaxDataPoints = 43200
)

// number is one series' value after an expression, with the labels that tell it from the others.
type number struct {
	Labels data.Labels `json:"labels"`
	Value  *float64    `json:"value"`
}

type evaluation struct {
	UID         string   `json:"uid"`
	Title       string   `json:"title"`
	EvaluatedAt string   `json:"evaluatedAt"`
	State       string   `json:"state"` // Alerting (the condition holds for a series), Normal, NoData, Error
	Error       string   `json:"error,omitempty"`
	Firing      []number `json:"firing"`
	Series      []number `json:"series"` // the condition's result per series: 1 holds, 0 does not
	Reduced     []number `json:"reduced,omitempty"`
	Note        string   `json:"note"`
}

func (s *server) harnessEvaluate(w http.ResponseWriter, r *http.Request) {
	s.alerting.mu.Lock()
	s.alerting.init()
	stored, ok := s.alerting.rules[r.PathValue("uid")]
	var rule alertRule
	if ok {
		rule = *stored
	}
	s.alerting.mu.Unlock()
	if !ok {
		apiError(w, http.StatusNotFound, "no stored rule %q", r.PathValue("uid"))
		return
	}
	writeJSON(w, http.StatusOK, s.evaluate(r, rule, time.Now()))
}

func (s *server) evaluate(r *http.Request, rule alertRule, now time.Time) evaluation {
	out := evaluation{
		UID: rule.UID, Title: rule.Title, EvaluatedAt: now.UTC().Format(time.RFC3339),
		Note: "one evaluation: in Grafana an instance whose condition holds is Pending for " + rule.For + " before it fires",
	}
	fail := func(err error) evaluation {
		out.State, out.Error = "Error", err.Error()
		return out
	}
	s.state.mu.Lock()
	ds := s.state.ds
	settings := ds.instanceSettings()
	s.state.mu.Unlock()

	queried := map[string][]series{} // data source answers
	results := map[string][]number{} // expression results
	noData := map[string]bool{}
	for _, q := range rule.Data {
		var model struct {
			Type          string  `json:"type"`
			Expression    string  `json:"expression"`
			Reducer       string  `json:"reducer"`
			IntervalMs    float64 `json:"intervalMs"`
			MaxDataPoints int64   `json:"maxDataPoints"`
			Conditions    []struct {
				Evaluator struct {
					Type   string    `json:"type"`
					Params []float64 `json:"params"`
				} `json:"evaluator"`
			} `json:"conditions"`
		}
		if err := json.Unmarshal(q.Model, &model); err != nil {
			return fail(fmt.Errorf("query %s: model: %v", q.RefID, err))
		}
		if q.DatasourceUID == "__expr__" {
			in, isNumbers := results[model.Expression]
			raw, isSeries := queried[model.Expression]
			if !isNumbers && !isSeries {
				return fail(fmt.Errorf("expression %s reads %q, which no earlier query produced", q.RefID, model.Expression))
			}
			noData[q.RefID] = noData[model.Expression]
			switch model.Type {
			case "reduce":
				if isNumbers {
					raw = numbersAsSeries(in)
				}
				out, err := reduceAll(raw, model.Reducer)
				if err != nil {
					return fail(fmt.Errorf("expression %s: %v", q.RefID, err))
				}
				results[q.RefID] = out
			case "threshold":
				if len(model.Conditions) != 1 {
					return fail(fmt.Errorf("expression %s: a threshold needs one condition", q.RefID))
				}
				if isSeries {
					return fail(fmt.Errorf("expression %s: a threshold on a time series needs a reduce before it in the harness", q.RefID))
				}
				ev := model.Conditions[0].Evaluator
				out, err := thresholdAll(in, ev.Type, ev.Params)
				if err != nil {
					return fail(fmt.Errorf("expression %s: %v", q.RefID, err))
				}
				results[q.RefID] = out
			default:
				return fail(fmt.Errorf("expression %s: type %q is not played by the harness (reduce and threshold are)", q.RefID, model.Type))
			}
			continue
		}
		if q.DatasourceUID != ds.UID {
			return fail(fmt.Errorf("query %s is for data source %q, which the harness does not serve", q.RefID, q.DatasourceUID))
		}
		interval := int64(model.IntervalMs)
		if interval <= 0 {
			interval = alertingIntervalMs
		}
		maxPoints := model.MaxDataPoints
		if maxPoints <= 0 {
			maxPoints = alertingMaxDataPoints
		}
		res, err := s.plugin.QueryData(r.Context(), settings, []backend.DataQuery{{
			RefID: q.RefID, QueryType: q.QueryType, MaxDataPoints: maxPoints,
			Interval: time.Duration(interval) * time.Millisecond,
			TimeRange: backend.TimeRange{
				From: now.Add(-time.Duration(q.RelativeTimeRange.From) * time.Second),
				To:   now.Add(-time.Duration(q.RelativeTimeRange.To) * time.Second),
			},
			JSON: q.Model,
		}})
		if err != nil {
			return fail(fmt.Errorf("query %s: %v", q.RefID, err))
		}
		dr := res.Responses[q.RefID]
		if dr.Error != nil {
			return fail(fmt.Errorf("query %s: %v", q.RefID, dr.Error))
		}
		series, err := framesToSeries(dr.Frames)
		if err != nil {
			return fail(fmt.Errorf("query %s: %v", q.RefID, err))
		}
		queried[q.RefID] = series
		noData[q.RefID] = len(series) == 0
	}
	cond, ok := results[rule.Condition]
	if !ok {
		return fail(fmt.Errorf("condition %q is not an expression's result (reduce, threshold)", rule.Condition))
	}
	out.Series, out.Firing = cond, []number{}
	for _, q := range rule.Data {
		if q.RefID != rule.Condition {
			if red, ok := results[q.RefID]; ok && q.DatasourceUID == "__expr__" {
				out.Reduced = red // the last expression before the condition: the value an annotation shows
			}
		}
	}
	switch {
	case noData[rule.Condition]:
		out.State = "NoData"
		if rule.NoDataState == "OK" {
			out.State = "Normal"
		}
	default:
		out.State = "Normal"
		for _, n := range cond {
			if n.Value != nil && *n.Value != 0 {
				out.Firing = append(out.Firing, n)
				out.State = "Alerting"
			}
		}
	}
	return out
}

// series is one labelled sequence of values, as Grafana's expressions see a data source answer.
type series struct {
	labels data.Labels
	values []*float64
}

// framesToSeries reads the frames of the dataplane kinds: time series (wide or multi: each number field beside the
// time field is a series) and numeric (wide or multi: each number field is a number; long: each row is a number,
// its string fields the labels). Frames without fields (an empty answer) add nothing.
func framesToSeries(frames data.Frames) ([]series, error) {
	var raw []series
	for _, f := range frames {
		if len(f.Fields) == 0 || f.Rows() == 0 {
			continue
		}
		hasTime := false
		var stringFields []*data.Field
		for _, fld := range f.Fields {
			switch {
			case fld.Type().Time():
				hasTime = true
			case fld.Type() == data.FieldTypeString || fld.Type() == data.FieldTypeNullableString:
				stringFields = append(stringFields, fld)
			}
		}
		long := !hasTime && len(stringFields) > 0
		for _, fld := range f.Fields {
			if !fld.Type().Numeric() {
				continue
			}
			if long {
				for row := 0; row < fld.Len(); row++ {
					labels := data.Labels{}
					for k, v := range fld.Labels {
						labels[k] = v
					}
					for _, sf := range stringFields {
						if v, ok := sf.ConcreteAt(row); ok {
							labels[sf.Name] = fmt.Sprint(v)
						}
					}
					raw = append(raw, series{labels: labels, values: []*float64{floatAt(fld, row)}})
				}
				continue
			}
			s := series{labels: fld.Labels}
			for row := 0; row < fld.Len(); row++ {
				s.values = append(s.values, floatAt(fld, row))
			}
			raw = append(raw, s)
		}
	}
	seen := map[string]bool{}
	for _, s := range raw {
		key := s.labels.String()
		if seen[key] {
			// Grafana's expressions refuse two series with the same labels in one result.
			return nil, fmt.Errorf("two series with the same labels %s: Grafana's expressions cannot tell them apart", key)
		}
		seen[key] = true
	}
	return raw, nil
}

func floatAt(f *data.Field, row int) *float64 {
	v, ok := f.ConcreteAt(row)
	if !ok {
		return nil
	}
	var x float64
	switch n := v.(type) {
	case float64:
		x = n
	case float32:
		x = float64(n)
	case int64:
		x = float64(n)
	case int32:
		x = float64(n)
	case int:
		x = float64(n)
	case uint64:
		x = float64(n)
	default:
		parsed, err := strconv.ParseFloat(fmt.Sprint(v), 64)
		if err != nil {
			return nil
		}
		x = parsed
	}
	return &x
}

func numbersAsSeries(in []number) []series {
	out := make([]series, len(in))
	for i, n := range in {
		out[i] = series{labels: n.Labels, values: []*float64{n.Value}}
	}
	return out
}

// reduceAll reduces each series to one number, as Grafana's reduce in its default (strict) mode: a missing value
// makes the result NaN, except for count.
func reduceAll(in []series, reducer string) ([]number, error) {
	out := make([]number, 0, len(in))
	for _, s := range in {
		var v float64
		nan := false
		for _, x := range s.values {
			if x == nil || math.IsNaN(*x) {
				nan = true
			}
		}
		n := float64(len(s.values))
		switch reducer {
		case "last":
			if len(s.values) == 0 || s.values[len(s.values)-1] == nil {
				v = math.NaN()
			} else {
				v = *s.values[len(s.values)-1]
			}
			nan = false
		case "count":
			v, nan = n, false
		case "mean", "sum", "min", "max":
			if len(s.values) == 0 {
				nan = true
			}
			have := false
			for _, x := range s.values {
				if x == nil {
					continue
				}
				switch {
				case reducer == "min" && (!have || *x < v), reducer == "max" && (!have || *x > v):
					v = *x
				case reducer == "mean" || reducer == "sum":
					v += *x
				}
				have = true
			}
			if reducer == "mean" {
				v /= n
			}
		default:
			return nil, fmt.Errorf("reducer %q is not played by the harness (last, mean, min, max, sum, count are)", reducer)
		}
		if nan {
			v = math.NaN()
		}
		value := v
		out = append(out, number{Labels: s.labels, Value: &value})
	}
	return out, nil
}

// thresholdAll is Grafana's threshold expression: 1 where the number meets the evaluator, else 0 (NaN never does).
func thresholdAll(in []number, kind string, params []float64) ([]number, error) {
	need := map[string]int{"gt": 1, "lt": 1, "within_range": 2, "outside_range": 2}[kind]
	if need == 0 {
		return nil, fmt.Errorf("threshold type %q is not played by the harness (gt, lt, within_range, outside_range are)", kind)
	}
	if len(params) < need {
		return nil, fmt.Errorf("threshold %s needs %d parameters", kind, need)
	}
	out := make([]number, 0, len(in))
	for _, n := range in {
		hold := false
		if n.Value != nil && !math.IsNaN(*n.Value) {
			x := *n.Value
			switch kind {
			case "gt":
				hold = x > params[0]
			case "lt":
				hold = x < params[0]
			case "within_range":
				hold = x > params[0] && x < params[1]
			case "outside_range":
				hold = x < params[0] || x > params[1]
			}
		}
		v := 0.0
		if hold {
			v = 1
		}
		out = append(out, number{Labels: n.Labels, Value: &v})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Labels.String() < out[j].Labels.String() })
	return out, nil
}

// parsePromDuration reads a Prometheus duration as a rule's `for` is written: 5m, 1h30m, 0s.
func parsePromDuration(s string) (time.Duration, error) {
	units := map[string]time.Duration{"ms": time.Millisecond, "s": time.Second, "m": time.Minute, "h": time.Hour, "d": 24 * time.Hour, "w": 7 * 24 * time.Hour, "y": 365 * 24 * time.Hour}
	rest, total := s, time.Duration(0)
	if rest == "" {
		return 0, fmt.Errorf("empty duration")
	}
	for rest != "" {
		i := 0
		for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
			i++
		}
		if i == 0 {
			return 0, fmt.Errorf("cannot read duration %q", s)
		}
		n, _ := strconv.Atoi(rest[:i])
		rest = rest[i:]
		unit := ""
		for _, u := range []string{"ms", "s", "m", "h", "d", "w", "y"} {
			if strings.HasPrefix(rest, u) {
				unit = u
				break
			}
		}
		if unit == "" {
			return 0, fmt.Errorf("cannot read duration %q", s)
		}
		total += time.Duration(n) * units[unit]
		rest = rest[len(unit):]
	}
	return total, nil
}
