package integration_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os/exec"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/pulse-monitoring/pulse/internal/pluginhost"
	"github.com/pulse-monitoring/pulse/internal/sse"
	"github.com/pulse-monitoring/pulse/internal/stack"
)

// grafanaRuleFile is the part of scripts/alerts/export.ts's Grafana provisioning the suite reads.
type grafanaRuleFile struct {
	Groups []struct {
		Name  string `json:"name"`
		Rules []struct {
			UID    string            `json:"uid"`
			Title  string            `json:"title"`
			Labels map[string]string `json:"labels"`
			Data   []struct {
				RefID             string `json:"refId"`
				RelativeTimeRange struct {
					From int64 `json:"from"`
					To   int64 `json:"to"`
				} `json:"relativeTimeRange"`
				DatasourceUID string          `json:"datasourceUid"`
				Model         json.RawMessage `json:"model"`
			} `json:"data"`
		} `json:"rules"`
	} `json:"groups"`
}

type prometheusRuleFile struct {
	Groups []struct {
		Rules []struct {
			Alert string `json:"alert"`
			Expr  string `json:"expr"`
		} `json:"rules"`
	} `json:"groups"`
}

func exportRules(t *testing.T, args ...string) []byte {
	t.Helper()
	cmd := exec.Command("npx", append([]string{"ts-node", "--transpile-only", "scripts/alerts/export.ts", "--json", "true"}, args...)...)
	cmd.Dir = "../.."
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("scripts/alerts/export.ts %v: %v\n%s", args, err, stderr.String())
	}
	return out
}

// ruleValue is one series of a rule's query: its labels and its last value.
type ruleValue struct {
	labels string
	value  float64
}

// checkAlertRules runs every alert template's Grafana rule query through the built binary the way Grafana's
// alerting sends it: the saved model as it is (raw expr, macros unexpanded, instant), the rule's relative time
// range ending now, intervalMs 1000 and maxDataPoints 43200. Each must answer without error; the values are
// printed per rule. With the demo load, the services' error ratio is above zero. The Prometheus rule file's
// expressions (fixed windows) are evaluated by Prometheus itself.
func checkAlertRules(t *testing.T, s *stack.Stack) {
	plugin := pluginhost.StartTB(t, "../../dist", pluginhost.Options{})
	// Every rule twice (Grafana's query, then the Prometheus rule), 26 of them with the SLO burn-rate rules' long
	// windows: on a busy 2-core machine this took 150 s, so the bound is well above that.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	ds := settingsFor(s.Prometheus.URL())

	var file grafanaRuleFile
	if err := json.Unmarshal(exportRules(t, "--format", "grafana", "--datasource-uid", ds.UID), &file); err != nil {
		t.Fatal(err)
	}
	results := map[string][]ruleValue{}
	queries := map[string]string{}
	var titles []string
	for _, g := range file.Groups {
		for _, rule := range g.Rules {
			q := rule.Data[0]
			if q.RefID != "A" || q.DatasourceUID != ds.UID {
				t.Fatalf("%s: the first query is %s on %s, want A on %s", rule.Title, q.RefID, q.DatasourceUID, ds.UID)
			}
			var model struct {
				Expr          string `json:"expr"`
				Instant       bool   `json:"instant"`
				Range         bool   `json:"range"`
				IntervalMs    int64  `json:"intervalMs"`
				MaxDataPoints int64  `json:"maxDataPoints"`
			}
			if err := json.Unmarshal(q.Model, &model); err != nil {
				t.Fatal(err)
			}
			if !model.Instant || model.Range || model.IntervalMs != 1000 || model.MaxDataPoints != 43200 {
				t.Errorf("%s: model %+v is not an alerting query", rule.Title, model)
			}
			// Two scrapes back, so that a sample ingested between the plugin's query and Prometheus' own
			// evaluation below cannot change the instant both look at.
			now := time.Now().Add(-2 * scrapeInterval).Truncate(time.Millisecond)
			resp, err := plugin.QueryData(ctx, ds, []backend.DataQuery{{
				RefID: "A", JSON: q.Model, Interval: time.Duration(model.IntervalMs) * time.Millisecond, MaxDataPoints: model.MaxDataPoints,
				TimeRange: backend.TimeRange{From: now.Add(-time.Duration(q.RelativeTimeRange.From) * time.Second), To: now.Add(-time.Duration(q.RelativeTimeRange.To) * time.Second)},
			}})
			id := g.Name + "/" + rule.Title
			titles = append(titles, id)
			queries[id] = model.Expr
			if err != nil {
				t.Errorf("%s: %v\n    %s", id, err, model.Expr)
				continue
			}
			r := resp.Responses["A"]
			if r.Error != nil {
				t.Errorf("%s: %v\n    %s", id, r.Error, model.Expr)
				continue
			}
			results[id] = lastValues(r.Frames)
			checkAlertStates(ctx, t, s.Prometheus.URL(), id, rule.Data[1].Model, rule.Data[2].Model, r.Frames, now)
		}
	}
	sort.Strings(titles)
	for _, id := range titles {
		values := results[id]
		shown := make([]string, 0, len(values))
		for _, v := range values {
			shown = append(shown, fmt.Sprintf("%s=%.4g", v.labels, v.value))
		}
		t.Logf("%-45s %d series %s", id, len(values), strings.Join(shown, " "))
	}

	// The demo load fails a share of the requests of both services: the error ratio sees it.
	errorRatio := results["pulse-service/ServiceErrorRatioHigh"]
	if len(errorRatio) < 2 {
		t.Errorf("ServiceErrorRatioHigh: %d series, want one per demo service (2)", len(errorRatio))
	}
	for _, v := range errorRatio {
		if !(v.value > 0 && v.value < 1) {
			t.Errorf("ServiceErrorRatioHigh %s: %v, want a share above 0", v.labels, v.value)
		}
	}
	if len(results["pulse-service/ServiceLatencyP95High"]) < 2 {
		t.Errorf("ServiceLatencyP95High: want a p95 per demo service, got %v", results["pulse-service/ServiceLatencyP95High"])
	}
	// Rules whose query returns a value for every healthy thing it watches (the others return only what fires).
	for _, id := range []string{"pulse-host/HostDown", "pulse-host/HostCpuHigh", "pulse-host/HostMemoryHigh", "pulse-host/HostFilesystemAlmostFull",
		"pulse-host/HostLoadHigh", "pulse-postgres/PostgresExporterDown", "pulse-postgres/PostgresDown", "pulse-postgres/PostgresConnectionsHigh",
		"pulse-postgres/PostgresLongTransaction", "pulse-target/TargetDown", "pulse-service/ServiceEventLoopLagHigh", "pulse-service/ServiceRestarting"} {
		if len(results[id]) == 0 {
			t.Errorf("%s: no series on the demo stack", id)
		}
	}
	// The demo's containers are cgroups without an image (no Docker here), which the container rules leave out
	// as they leave out cAdvisor's system cgroups. The same queries with that filter lifted must see them.
	if s.CAdvisor != nil {
		for _, id := range []string{"pulse-container/ContainerMemoryNearLimit", "pulse-container/ContainerCpuThrottled", "pulse-container/ContainerGone"} {
			lifted := strings.NewReplacer(`image!="", `, ``, `image!=""`, `id=~"/pulse-demo.*"`).Replace(queries[id])
			qctx, qcancel := context.WithTimeout(ctx, 15*time.Second)
			samples, err := stack.Query(qctx, s.Prometheus.URL(), strings.ReplaceAll(lifted, "$__rate_interval", "1m"))
			qcancel()
			if err != nil {
				t.Errorf("%s without the image filter: %v\n    %s", id, err, lifted)
				continue
			}
			shown := make([]string, 0, len(samples))
			for _, smp := range samples {
				shown = append(shown, fmt.Sprintf("%s%s=%.4g", smp.Metric["name"], smp.Metric["id"], smp.Value))
			}
			t.Logf("%-45s without the image filter: %d series %s", id, len(samples), strings.Join(shown, " "))
			if id == "pulse-container/ContainerMemoryNearLimit" && len(samples) == 0 {
				t.Errorf("%s: no demo container with a memory limit\n    %s", id, lifted)
			}
		}
	}

	// The wrapped instance fails its scrapes: TargetDown sees it at 0 (the rule fires below 1).
	wrapped := false
	for _, v := range results["pulse-target/TargetDown"] {
		if strings.Contains(v.labels, s.Wrapped().Instance) && v.value == 0 {
			wrapped = true
		}
	}
	if !wrapped {
		t.Errorf("TargetDown: the wrapped instance %s is not at 0: %v", s.Wrapped().Instance, results["pulse-target/TargetDown"])
	}

	// The Prometheus rule file: the same rules with the condition and fixed windows, evaluated by Prometheus.
	var promFile prometheusRuleFile
	if err := json.Unmarshal(exportRules(t, "--format", "prometheus", "--scrape-interval", scrapeInterval.String()), &promFile); err != nil {
		t.Fatal(err)
	}
	for _, g := range promFile.Groups {
		for _, rule := range g.Rules {
			qctx, qcancel := context.WithTimeout(ctx, 15*time.Second)
			samples, err := stack.Query(qctx, s.Prometheus.URL(), rule.Expr)
			qcancel()
			if err != nil {
				t.Errorf("Prometheus rule %s: %v\n    %s", rule.Alert, err, rule.Expr)
				continue
			}
			t.Logf("Prometheus rule %-28s firing series now: %d", rule.Alert, len(samples))
		}
	}
}

// lastValues is every series' last non-null value, with its labels, from frames of any type.
func lastValues(frames data.Frames) []ruleValue {
	var out []ruleValue
	for _, f := range frames {
		for _, fld := range f.Fields {
			if !fld.Type().Numeric() || fld.Type() == data.FieldTypeTime || fld.Type() == data.FieldTypeNullableTime {
				continue
			}
			for row := fld.Len() - 1; row >= 0; row-- {
				if _, ok := fld.ConcreteAt(row); !ok {
					continue
				}
				v, err := fld.FloatAt(row)
				if err != nil {
					break
				}
				labels := ""
				if fld.Labels != nil {
					labels = fld.Labels.String()
				}
				out = append(out, ruleValue{labels: labels, value: v})
				break
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].labels < out[j].labels })
	return out
}

// checkAlertStates evaluates a rule's condition on the plugin's frames as Grafana does (internal/sse:
// the frames read by their dataplane type, reduce B as the rule says and with mean, threshold C) and
// requires each series' state to be the one Prometheus gives it: the series of
// `(<the executed expr>) <op> <threshold>` at the same instant fire, the others are Normal. No frames
// is NoData, which the rules map to OK.
func checkAlertStates(ctx context.Context, t *testing.T, promURL, id string, reduceModel, thresholdModel json.RawMessage, frames data.Frames, at time.Time) {
	t.Helper()
	var reduce struct {
		Type, Expression, Reducer string
	}
	var threshold struct {
		Type, Expression string
		Conditions       []struct {
			Evaluator struct {
				Type   string    `json:"type"`
				Params []float64 `json:"params"`
			} `json:"evaluator"`
		} `json:"conditions"`
	}
	if err := json.Unmarshal(reduceModel, &reduce); err != nil || reduce.Type != "reduce" || reduce.Expression != "A" {
		t.Fatalf("%s: B is not a reduce of A: %s (%v)", id, reduceModel, err)
	}
	if err := json.Unmarshal(thresholdModel, &threshold); err != nil || threshold.Type != "threshold" || threshold.Expression != "B" || len(threshold.Conditions) != 1 {
		t.Fatalf("%s: C is not a threshold on B: %s (%v)", id, thresholdModel, err)
	}
	ev := threshold.Conditions[0].Evaluator
	promOp := map[string]string{"gt": ">", "lt": "<"}[ev.Type]
	if promOp == "" || len(ev.Params) != 1 {
		t.Fatalf("%s: threshold %+v is not gt/lt with one value", id, ev)
	}
	var expr string
	for _, f := range frames {
		if f.Meta != nil && strings.HasPrefix(f.Meta.ExecutedQueryString, "Expr: ") {
			expr = strings.TrimSuffix(strings.TrimPrefix(f.Meta.ExecutedQueryString, "Expr: "), "\nInstant")
			break
		}
	}
	for _, reducer := range []string{reduce.Reducer, "mean"} {
		got, err := sse.Evaluate(frames, reducer, ev.Type, ev.Params[0])
		if err != nil {
			t.Errorf("%s: Grafana's expressions cannot evaluate the frames (reduce %s): %v", id, reducer, err)
			continue
		}
		if expr == "" {
			if len(got) != 1 || got[0].State != sse.StateNoData {
				t.Errorf("%s: no frames, states %v, want NoData", id, got)
			}
			continue
		}
		firing, err := promFiring(ctx, promURL, "("+expr+") "+promOp+" "+strconv.FormatFloat(ev.Params[0], 'g', -1, 64), at)
		if err != nil {
			t.Errorf("%s: %v", id, err)
			continue
		}
		var wrong []string
		count := map[sse.State]int{}
		for _, inst := range got {
			count[inst.State]++
			want := sse.StateNormal
			if firing[inst.Labels] {
				want = sse.StateAlerting
			}
			if inst.State != want {
				wrong = append(wrong, fmt.Sprintf("%s is %s, Prometheus says %s", inst.Labels, inst.State, want))
			}
			delete(firing, inst.Labels)
		}
		for labels := range firing {
			wrong = append(wrong, labels+" fires in Prometheus but is not a series of the frames")
		}
		if len(wrong) > 0 {
			t.Errorf("%s (reduce %s, %s %v): %s\n    %s", id, reducer, ev.Type, ev.Params[0], strings.Join(wrong, "; "), expr)
		}
		t.Logf("%-45s reduce %-4s %s %-6v %d Alerting, %d Normal, as Prometheus", id, reducer, ev.Type, ev.Params[0], count[sse.StateAlerting], count[sse.StateNormal])
	}
}

// promFiring is the label sets (as data.Labels.String() writes them) an instant query returns at a time.
func promFiring(ctx context.Context, promURL, expr string, at time.Time) (map[string]bool, error) {
	u := promURL + "/api/v1/query?query=" + url.QueryEscape(expr) + "&time=" + strconv.FormatFloat(float64(at.UnixMilli())/1000, 'f', 3, 64)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var body struct {
		Status string `json:"status"`
		Error  string `json:"error"`
		Data   struct {
			Result []struct {
				Metric map[string]string `json:"metric"`
			} `json:"result"`
		} `json:"data"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		return nil, fmt.Errorf("Prometheus' answer to %s: %w", expr, err)
	}
	if body.Status != "success" {
		return nil, fmt.Errorf("Prometheus refused %s: %s", expr, body.Error)
	}
	out := map[string]bool{}
	for _, r := range body.Data.Result {
		out[data.Labels(r.Metric).String()] = true
	}
	return out, nil
}
