package integration_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/pulse-monitoring/pulse/internal/pluginhost"
	"github.com/pulse-monitoring/pulse/internal/stack"
)

// checkReplicaLoss stops the sidecar of replica b, as when one Prometheus of an HA pair is lost,
// and requires, through the built binary against Thanos Query: data with a partial-response
// notice that names the lost replica (partial responses allowed, the default); a per-query error
// that says what to do when they are turned off; and the catalog and label values the editor's
// dropdowns use. The sidecar is started again at the end and the notice must go away.
func checkReplicaLoss(t *testing.T, s *stack.Stack) {
	if s.Thanos == nil {
		// Start fails when Thanos was built but does not run; a missing Thanos only means it could not be built here.
		t.Skipf("Thanos cannot be built here, so there is no Thanos Query: %s", strings.Join(s.Notes, "; "))
	}
	plugin := pluginhost.StartTB(t, "../../dist", pluginhost.Options{})
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	th := s.Thanos
	allowed := settingsFor(th.Query.URL())
	complete := settingsFor(th.Query.URL())
	complete.JSONData = []byte(`{"timeInterval":"5s","partialResponse":false}`)
	// A new UID: the binary keeps one instance (and its settings) per data source.
	complete.UID = "pulse-it-no-partial"
	const expr = `sum by (service) (rate(nestjs_success_requests_count{job="nestjs"}[20s]))`
	services := 0
	for _, svc := range s.Services {
		if !svc.Wrapped {
			services++
		}
	}

	r := queryThrough(ctx, t, plugin, allowed, expr)
	if r.Error != nil || countSeries(r) != services || len(notices(r)) != 0 {
		t.Fatalf("both replicas up: error %v, %d series (want %d), notices %v", r.Error, countSeries(r), services, notices(r))
	}

	if err := th.StopSidecar("b"); err != nil {
		t.Fatal(err)
	}
	t.Log("stopped the sidecar of replica b")
	restarted := false
	defer func() {
		if restarted {
			return
		}
		if err := th.StartSidecar(ctx, "b"); err != nil {
			t.Errorf("start the sidecar of replica b again: %v", err)
		}
	}()

	r = queryThrough(ctx, t, plugin, allowed, expr)
	if r.Error != nil || countSeries(r) != services {
		t.Errorf("replica b lost, partial responses allowed: error %v, %d series, want %d with data", r.Error, countSeries(r), services)
	}
	if n := notices(r); len(n) != 1 || !strings.Contains(n[0], `Partial response: Thanos Query could not read {replica="b"}`) {
		t.Errorf("replica b lost: notices %q, want one partial-response warning naming replica b", n)
	} else {
		t.Logf("replica b lost: %d series and the notice %q", countSeries(r), n[0])
	}

	r = queryThrough(ctx, t, plugin, complete, expr)
	if r.Error == nil || r.ErrorSource != backend.ErrorSourceDownstream || !strings.Contains(r.Error.Error(), "partial responses are turned off") {
		t.Errorf("replica b lost, partial responses off: error %v (source %q), want the per-query error that says partial responses are off", r.Error, r.ErrorSource)
	} else {
		t.Logf("replica b lost, partial responses off: %s", r.Error)
	}

	now := time.Now()
	checkCatalog(t, s, resource(ctx, t, plugin, allowed, fmt.Sprintf("catalog?start=%d&end=%d", now.Add(-5*time.Minute).Unix(), now.Unix()+1)))
	var values struct{ Values []string }
	if err := json.Unmarshal(resource(ctx, t, plugin, allowed, "label-values?label=service"), &values); err != nil {
		t.Fatal(err)
	}
	for _, svc := range s.Services {
		if !svc.Wrapped && !slices.Contains(values.Values, svc.Name) {
			t.Errorf("replica b lost: label values of service %v lack %s", values.Values, svc.Name)
		}
	}

	restarted = true
	if err := th.StartSidecar(ctx, "b"); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		r = queryThrough(ctx, t, plugin, allowed, expr)
		if r.Error == nil && len(notices(r)) == 0 {
			t.Logf("replica b back: %d series, no notice", countSeries(r))
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("replica b back for 30 s: error %v, notices %q", r.Error, notices(r))
		}
		time.Sleep(time.Second)
	}
}

// queryThrough runs expr as a range query over the last three minutes, as a time series panel does.
func queryThrough(ctx context.Context, t *testing.T, p *pluginhost.Plugin, ds *backend.DataSourceInstanceSettings, expr string) backend.DataResponse {
	t.Helper()
	raw, _ := json.Marshal(map[string]any{"refId": "A", "expr": expr, "range": true})
	to := time.Now()
	resp, err := p.QueryData(ctx, ds, []backend.DataQuery{{
		RefID: "A", JSON: raw, Interval: scrapeInterval, MaxDataPoints: 300,
		TimeRange: backend.TimeRange{From: to.Add(-3 * time.Minute), To: to},
	}})
	if err != nil {
		t.Fatal(err)
	}
	return resp.Responses["A"]
}

func countSeries(r backend.DataResponse) int {
	n := 0
	for _, f := range r.Frames {
		if f.Rows() > 0 {
			n++
		}
	}
	return n
}

// notices are the distinct notice texts of a response (the backend puts a query's warnings on
// each of its frames).
func notices(r backend.DataResponse) []string {
	var out []string
	for _, f := range r.Frames {
		if f.Meta == nil {
			continue
		}
		for _, n := range f.Meta.Notices {
			if !slices.Contains(out, n.Text) {
				out = append(out, n.Text)
			}
		}
	}
	return out
}
