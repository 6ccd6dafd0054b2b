package integration_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/pulse-monitoring/pulse/internal/pluginhost"
	"github.com/pulse-monitoring/pulse/internal/stack"
)

// alertingModel is a data source query as Grafana's alerting sends it (src/alerts/export.ts alertQueryModel):
// the saved expression as it is, instant, intervalMs 1000, maxDataPoints 43200.
func alertingModel(uid, expr string) json.RawMessage {
	raw, _ := json.Marshal(map[string]any{
		"refId": "A", "datasource": map[string]string{"type": "pulse-prometheus-datasource", "uid": uid},
		"editorMode": "code", "expr": expr, "instant": true, "range": false, "format": "time_series",
		"intervalMs": 1000, "maxDataPoints": 43200,
	})
	return raw
}

// queryAlerting runs one saved query model through the binary over the rule's relative range (10 minutes) ending
// at `at`, as Grafana's alerting would evaluate it then.
func queryAlerting(ctx context.Context, p *pluginhost.Plugin, ds *backend.DataSourceInstanceSettings, model json.RawMessage, at time.Time) (data.Frames, error) {
	resp, err := p.QueryData(ctx, ds, []backend.DataQuery{{
		RefID: "A", JSON: model, Interval: time.Second, MaxDataPoints: 43200,
		TimeRange: backend.TimeRange{From: at.Add(-10 * time.Minute), To: at},
	}})
	if err != nil {
		return nil, err
	}
	r := resp.Responses["A"]
	if r.Error != nil {
		return nil, r.Error
	}
	return r.Frames, nil
}

// grafanaStates reduces each series to its last value and applies a threshold (`gt`), as Grafana's server-side
// expressions `reduce` (last, strict: NaN stays NaN) and `threshold` do: per series, true while the condition
// holds. A series the query does not return has no state (Grafana: no alert instance, or NoData for the rule).
func grafanaStates(frames data.Frames, threshold float64) map[string]bool {
	states := map[string]bool{}
	for _, v := range lastValues(frames) {
		states[v.labels] = !math.IsNaN(v.value) && v.value > threshold
	}
	return states
}

func pick(t *testing.T, signals []renderedSignal, id string) renderedSignal {
	t.Helper()
	for _, s := range signals {
		if s.ID == id {
			return s
		}
	}
	t.Fatalf("render.ts has no %s", id)
	return renderedSignal{}
}

// one runs an expression in the alerting request shape and returns its only series' value.
func one(ctx context.Context, t *testing.T, p *pluginhost.Plugin, ds *backend.DataSourceInstanceSettings, id, expr string, at time.Time) float64 {
	t.Helper()
	frames, err := queryAlerting(ctx, p, ds, alertingModel(ds.UID, expr), at)
	if err != nil {
		t.Fatalf("%s: %v\n    %s", id, err, expr)
	}
	values := lastValues(frames)
	if len(values) != 1 {
		t.Fatalf("%s: %d series, want 1: %v\n    %s", id, len(values), values, expr)
	}
	return values[0].value
}

// checkSLO runs the SLO signals (src/signals/slo.ts) for the first demo service and the burn-rate alert rules
// through the built binary in the alerting request shape, under the demo's load (which fails a share of requests).
// The stack has run for less than an hour, so a 1h and a 30d window hold the same samples: the burn rate over 1h
// must equal the bad share of the 30-day SLI over the allowed 0.5 %, and the budget remaining one minus that.
func checkSLO(t *testing.T, s *stack.Stack) {
	plugin := pluginhost.StartTB(t, "../../dist", pluginhost.Options{})
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	ds := settingsFor(s.Prometheus.URL())
	now := time.Now()
	catalog := resource(ctx, t, plugin, ds, fmt.Sprintf("catalog?start=%d&end=%d", now.Add(-5*time.Minute).Unix(), now.Unix()+1))
	signals := renderSignals(t, catalog, nil)
	// Three scrapes ago: every query below sees the same samples.
	at := time.Now().Add(-3 * scrapeInterval)

	availability := one(ctx, t, plugin, ds, "availability SLI", pick(t, signals, "service.slo.sli").Expr, at)
	latency := one(ctx, t, plugin, ds, "latency SLI", pick(t, signals, "service.slo.sli[slo=latency]").Expr, at)
	budget := one(ctx, t, plugin, ds, "availability budget", pick(t, signals, "service.slo.budget-remaining").Expr, at)
	burn := one(ctx, t, plugin, ds, "availability burn 1h", pick(t, signals, "service.slo.burn-rate").Expr, at)
	latencyBurn := one(ctx, t, plugin, ds, "latency burn 1h", pick(t, signals, "service.slo.burn-rate[slo=latency]").Expr, at)
	// The catalog's own error ratio over the same (whole) window, for the same service.
	ratioExpr := strings.ReplaceAll(pick(t, signals, "service.errors.ratio").Expr, "$__rate_interval", "30d")
	errorRatio := one(ctx, t, plugin, ds, "error ratio over 30d", ratioExpr, at)
	t.Logf("%v: availability SLI %.5f (error ratio %.5f), budget remaining %.3f, burn 1h %.3f; latency SLI (500 ms) %.5f, burn 1h %.3f",
		pick(t, signals, "service.slo.sli").Params["service"], availability, errorRatio, budget, burn, latency, latencyBurn)

	for name, v := range map[string]float64{"availability SLI": availability, "latency SLI": latency} {
		if !(v >= 0 && v <= 1) {
			t.Errorf("%s %v: want a share within [0, 1]", name, v)
		}
	}
	if !(errorRatio > 0) || availability >= 1 {
		t.Errorf("under the demo load some requests fail: error ratio %v, availability %v", errorRatio, availability)
	}
	agree := func(a, b float64) bool { return math.Abs(a-b) <= 1e-9+1e-6*math.Abs(b) }
	if !agree(1-availability, errorRatio) {
		t.Errorf("1 - availability SLI = %v, the error ratio over the same window %v: they must agree", 1-availability, errorRatio)
	}
	if !agree(burn, (1-availability)/0.005) {
		t.Errorf("burn rate over 1h %v, want (1 - SLI) / 0.005 = %v (the stack is younger than an hour)", burn, (1-availability)/0.005)
	}
	if !agree(budget, 1-(1-availability)/0.005) {
		t.Errorf("budget remaining %v, want 1 - (1 - SLI) / 0.005 = %v", budget, 1-(1-availability)/0.005)
	}
	if !agree(latencyBurn, (1-latency)/0.05) {
		t.Errorf("latency burn rate over 1h %v, want (1 - latency SLI) / 0.05 = %v", latencyBurn, (1-latency)/0.05)
	}

	// The burn-rate rules as Grafana evaluates them (saved model → reduce last → threshold) fire for exactly the
	// services Prometheus' own evaluation of the Prometheus rule file's expression returns.
	var grafana grafanaRuleFile
	if err := json.Unmarshal(exportRules(t, "--format", "grafana", "--datasource-uid", ds.UID, "--packs", "service"), &grafana); err != nil {
		t.Fatal(err)
	}
	var prometheus prometheusRuleFile
	if err := json.Unmarshal(exportRules(t, "--format", "prometheus", "--packs", "service", "--scrape-interval", scrapeInterval.String()), &prometheus); err != nil {
		t.Fatal(err)
	}
	promExpr := map[string]string{}
	for _, g := range prometheus.Groups {
		for _, r := range g.Rules {
			promExpr[r.Alert] = r.Expr
		}
	}
	checked := 0
	for _, g := range grafana.Groups {
		for _, rule := range g.Rules {
			if !strings.Contains(rule.Title, "BudgetBurn") {
				continue
			}
			checked++
			threshold := map[string]float64{"Fast": 14.4, "Slow": 6}[rule.Title[strings.LastIndex(rule.Title, "Burn")+4:]]
			frames, err := queryAlerting(ctx, plugin, ds, rule.Data[0].Model, at)
			if err != nil {
				t.Errorf("%s: %v", rule.Title, err)
				continue
			}
			states := grafanaStates(frames, threshold)
			firing, err := queryAlerting(ctx, plugin, ds, alertingModel(ds.UID, promExpr[rule.Title]), at)
			if err != nil {
				t.Errorf("%s as a Prometheus rule: %v", rule.Title, err)
				continue
			}
			want := map[string]bool{}
			for _, v := range lastValues(firing) {
				want[v.labels] = true
			}
			for labels, on := range states {
				if on != want[labels] {
					t.Errorf("%s %s: Grafana's state %v, Prometheus' rule says %v", rule.Title, labels, on, want[labels])
				}
			}
			for labels := range want {
				if !states[labels] {
					t.Errorf("%s %s: fires as a Prometheus rule, not as Grafana evaluates it", rule.Title, labels)
				}
			}
			t.Logf("%-36s firing now: %v (of the series its short window lets through: %d)", rule.Title, keys(want), len(states))
		}
	}
	if checked != 4 {
		t.Errorf("%d burn-rate rules in the export, want 4", checked)
	}
}

func keys(m map[string]bool) []string {
	out := []string{}
	for k := range m {
		out = append(out, k)
	}
	return out
}

// checkServiceDownFires pauses one demo service (SIGSTOP: it stops answering, its scrapes time out, its
// series go stale) and runs the ServiceDown rule as Grafana's alerting would: its saved query straight to the
// binary, reduce last, threshold > 0. The paused instance's condition holds (Grafana: pending, firing after the
// rule's `for`), the other service's does not; after SIGCONT it clears again.
func checkServiceDownFires(t *testing.T, s *stack.Stack) {
	plugin := pluginhost.StartTB(t, "../../dist", pluginhost.Options{})
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	ds := settingsFor(s.Prometheus.URL())
	var grafana grafanaRuleFile
	if err := json.Unmarshal(exportRules(t, "--format", "grafana", "--datasource-uid", ds.UID, "--packs", "service"), &grafana); err != nil {
		t.Fatal(err)
	}
	var model json.RawMessage
	for _, g := range grafana.Groups {
		for _, rule := range g.Rules {
			if rule.Title == "ServiceDown" {
				model = rule.Data[0].Model
			}
		}
	}
	if model == nil {
		t.Fatal("no ServiceDown rule in the export")
	}
	orders, gateway := s.Service("shop.orders"), s.Service("shop.gateway")
	state := func() map[string]bool {
		frames, err := queryAlerting(ctx, plugin, ds, model, time.Now())
		if err != nil {
			t.Fatalf("ServiceDown: %v", err)
		}
		return grafanaStates(frames, 0)
	}
	firingFor := func(states map[string]bool, svc *stack.Service) bool {
		for labels, on := range states {
			if on && strings.Contains(labels, svc.Instance) {
				return true
			}
		}
		return false
	}
	if before := state(); firingFor(before, orders) || firingFor(before, gateway) {
		t.Fatalf("ServiceDown holds before any service stopped: %v", before)
	}

	pid := orders.Process().Pid()
	if err := syscall.Kill(-pid, syscall.SIGSTOP); err != nil {
		t.Fatalf("SIGSTOP %s: %v", orders.Name, err)
	}
	resumed := false
	resume := func() {
		if !resumed {
			resumed = true
			_ = syscall.Kill(-pid, syscall.SIGCONT)
		}
	}
	defer resume()
	stopped := time.Now()
	up := fmt.Sprintf(`up{instance=%q} == 0`, orders.Instance)
	if err := stack.WaitForQuery(ctx, s.Prometheus.URL(), up); err != nil {
		t.Fatalf("waiting for the scrape of the paused %s to fail: %v", orders.Instance, err)
	}
	during := state()
	t.Logf("%s paused; its scrape failed after %s; ServiceDown per series: %v", orders.Instance, time.Since(stopped).Round(time.Second), during)
	if !firingFor(during, orders) {
		t.Errorf("ServiceDown does not hold for the paused %s: %v", orders.Instance, during)
	}
	if firingFor(during, gateway) {
		t.Errorf("ServiceDown holds for %s, which still runs: %v", gateway.Instance, during)
	}

	resume()
	back := fmt.Sprintf(`up{instance=%q} == 1`, orders.Instance)
	if err := stack.WaitForQuery(ctx, s.Prometheus.URL(), back); err != nil {
		t.Fatalf("waiting for %s to answer again: %v", orders.Instance, err)
	}
	if after := state(); firingFor(after, orders) {
		t.Errorf("ServiceDown still holds for %s after it resumed: %v", orders.Instance, after)
	}
}
