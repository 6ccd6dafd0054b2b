package integration_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/pulse-monitoring/pulse/internal/pluginhost"
	"github.com/pulse-monitoring/pulse/internal/stack"
	"github.com/pulse-monitoring/pulse/pkg/prom"
)

// renderedSignal is one entry of scripts/signals/render.ts's output.
type renderedSignal struct {
	ID       string         `json:"id"`
	Family   string         `json:"family"`
	Unit     string         `json:"unit"`
	Format   string         `json:"format"`
	Instant  bool           `json:"instant"`
	Legend   string         `json:"legend"`
	Params   map[string]any `json:"params"`
	Unfilled []string       `json:"unfilled"`
	Expr     string         `json:"expr"`
	// Unavailable says why the signal's instrumentation profile cannot answer it ("" when it can).
	Unavailable string `json:"unavailable"`
}

// checkEverySignal renders every signal of the catalog (src/signals) with values the backend's own
// catalog resource discovered, and every other value of each fixed-choice parameter, runs each through the built backend binary over gRPC against
// Prometheus, VictoriaMetrics and Thanos Query (over two replicas), and requires frames of the
// signal's format with data, the same series on every engine, and on Thanos Query values within a
// scrape of Prometheus' (replica a's). A family whose exporter cannot run here (cAdvisor) is
// reported as skipped with the reason, never passed.
func checkEverySignal(t *testing.T, s *stack.Stack) {
	plugin := pluginhost.StartTB(t, "../../dist", pluginhost.Options{})
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()

	engines := []engine{{prom.EnginePrometheus, settingsFor(s.Prometheus.URL())}}
	if s.VictoriaMetrics != nil {
		engines = append(engines, engine{prom.EngineVictoriaMetrics, settingsFor(s.VictoriaMetrics.URL())})
	}
	// references are asked too but not reported: Thanos Query's values are compared with both replicas'.
	var references []engine
	if s.Thanos != nil {
		engines = append(engines, engine{prom.EngineThanos, settingsFor(s.Thanos.Query.URL())})
		references = append(references, engine{replicaB, settingsFor(s.Thanos.ReplicaB.URL())})
	}

	// rate() over $__rate_interval (four scrapes) needs samples that reach back that far.
	for _, expr := range []string{`rate(process_cpu_seconds_total{job="nestjs"}[20s] offset 10s)`, `rate(pg_stat_database_xact_commit[20s] offset 10s)`} {
		if err := stack.WaitForQuery(ctx, s.Prometheus.URL(), expr); err != nil {
			t.Fatalf("waiting for %s: %v", expr, err)
		}
	}

	// The engines are compared over a range that ends three scrapes ago; a minute of data behind
	// that end lets every rate window and every series that the load creates early settle on all.
	if wait := minStackAge - time.Since(s.Started); wait > 0 {
		t.Logf("waiting %s until the stack has run for %s", wait.Round(time.Second), minStackAge)
		time.Sleep(wait)
	}

	// The catalog and the targets as the editor gets them: through the binary's resources.
	now := time.Now()
	catalog := resource(ctx, t, plugin, engines[0].ds, fmt.Sprintf("catalog?start=%d&end=%d", now.Add(-5*time.Minute).Unix(), now.Unix()+1))
	targets := resource(ctx, t, plugin, engines[0].ds, "targets")
	checkCatalog(t, s, catalog)
	checkWrappedDiagnosis(t, s, targets)
	for _, e := range engines {
		checkHealth(ctx, t, plugin, e, s)
	}
	signals := renderSignals(t, catalog, targets)
	// The deploy markers mark the services' first start, which must lie within a signal's three-minute
	// range: they run first, before 260 other runs (SLO windows among them) take the clock past it.
	sort.SliceStable(signals, func(i, j int) bool {
		return baseID(signals[i].ID) == "service.deploys" && baseID(signals[j].ID) != "service.deploys"
	})

	type result struct {
		series map[string]int
		sets   map[string]seriesSet
		errs   map[string]string
		// undefined counts the NaN points (0/0) of each engine's answer, which sets leave out.
		undefined map[string]int
	}
	results := map[string]*result{}
	cadvisorMissing := s.CAdvisor == nil
	var failures []string
	for _, sig := range signals {
		r := &result{series: map[string]int{}, sets: map[string]seriesSet{}, errs: map[string]string{}, undefined: map[string]int{}}
		results[sig.ID] = r
		if sig.Family == "container" && cadvisorMissing {
			continue
		}
		if len(sig.Unfilled) > 0 {
			failures = append(failures, fmt.Sprintf("%s: the catalog offered no value for %v", sig.ID, sig.Unfilled))
			continue
		}
		// One time range for every engine, so that their answers can be compared point by point. It
		// ends three scrapes ago: the newest scrape may not have reached every engine yet
		// (VictoriaMetrics also hides its newest samples for -search.latencyOffset).
		to := time.Now().Add(-3 * scrapeInterval)
		for i, e := range append(engines, references...) {
			set, n, nan, err := runSignal(ctx, plugin, e.ds, sig, to)
			r.series[e.name], r.sets[e.name], r.undefined[e.name] = n, set, nan
			switch {
			case err != nil:
				r.errs[e.name] = err.Error()
				failures = append(failures, fmt.Sprintf("%s on %s: %v\n    %s", sig.ID, e.name, err, sig.Expr))
			case n == 0 && emptyHere[baseID(sig.ID)] != "":
				r.errs[e.name] = ""
			case n == 0 && i > 0 && r.undefined[engines[0].name] > 0:
				// Prometheus' answer is NaN (0/0: a ratio of an idle database's counters) for some or all of
				// the window. VictoriaMetrics drops NaN points, and an engine scraping at another phase may
				// see no increment at all in the window where Prometheus saw one: nothing is then the same answer.
			case n == 0:
				r.errs[e.name] = "no data"
				failures = append(failures, fmt.Sprintf("%s on %s: no data\n    %s", sig.ID, e.name, sig.Expr))
			}
		}
	}

	// The engines scrape the same targets: each signal must find the same series on each (by
	// identity; by number where topk or bottomk pick members by values that differ within a
	// scrape between engines), and Thanos Query, deduplicating its two replicas, the values of
	// one replica or the other.
	for _, sig := range signals {
		r := results[sig.ID]
		if len(r.errs) > 0 || len(r.sets) == 0 {
			continue
		}
		ref := engines[0].name
		for _, e := range engines[1:] {
			want, got := r.sets[ref], r.sets[e.name]
			if (len(want) == 0 || len(got) == 0) && r.undefined[ref] > 0 {
				// Prometheus' answer is NaN (0/0, e.g. a cache-hit ratio of an idle database) for part or
				// all of the window, where the other engine may find a value or none: VictoriaMetrics' rate
				// also uses the sample before the window, and an idle counter's one increment may fall
				// inside one engine's window and outside the other's.
				continue
			}
			// A counter new inside the window (a handler's first failure) has one sample there in
			// Prometheus, too few for rate or increase. VictoriaMetrics counts it from zero, and Thanos
			// Query's deduplicated series merges both replicas' samples (one from each is two): either
			// may hold a few more series than Prometheus then, never fewer. Thanos Query's values are
			// still compared below, where the replicas have them.
			grew := len(got) > len(want) && containsAll(got, want)
			if grew && e.name == prom.EngineVictoriaMetrics {
				continue
			}
			// The latency of failed requests per operation: an operation that failed once in the window
			// has one increment, which one engine's window may hold and the other's not (Prometheus
			// extrapolates to the window's edges; VictoriaMetrics reads the sample before it). Where it
			// does not, every bucket rate is 0, the quantile NaN, and the engine drops the series: one
			// series fewer, all of them among the reference's. Doubled or leaked series still fail.
			if e.name == prom.EngineVictoriaMetrics && strings.Contains(sig.Expr, "_fail_requests_bucket") &&
				len(want)-len(got) == 1 && containsAll(want, got) {
				continue
			}
			grewOnThanos := grew && e.name == prom.EngineThanos
			if len(want) != len(got) && !grewOnThanos {
				failures = append(failures, fmt.Sprintf("%s: %d series on %s but %d on %s: %s\n    %s", sig.ID,
					len(want), ref, len(got), e.name, sameIdentities(want, got), sig.Expr))
				continue
			}
			if diff := sameIdentities(want, got); diff != "" && !picksByValue(sig.Expr) && !grewOnThanos {
				failures = append(failures, fmt.Sprintf("%s: other series on %s than on %s: %s\n    %s", sig.ID, e.name, ref, diff, sig.Expr))
				continue
			}
			if e.name == prom.EngineThanos {
				if diff := valuesWithinAScrape(got, scrapeInterval, mixesSeries(sig.Expr), want, r.sets[replicaB]); diff != "" {
					failures = append(failures, fmt.Sprintf("%s: values on %s differ from both replicas': %s\n    %s", sig.ID, e.name, diff, sig.Expr))
				}
			}
		}
	}

	var report strings.Builder
	fmt.Fprintf(&report, "%-56s %-10s %-12s %-12s", "signal", "family", "format", "unit")
	for _, e := range engines {
		fmt.Fprintf(&report, " %15s", e.name)
	}
	report.WriteString("\n")
	for _, sig := range signals {
		fmt.Fprintf(&report, "%-56s %-10s %-12s %-12s", sig.ID, sig.Family, sig.Format, sig.Unit)
		for _, e := range engines {
			cell := fmt.Sprintf("%d series", results[sig.ID].series[e.name])
			switch {
			case sig.Family == "container" && cadvisorMissing:
				cell = "skipped"
			case results[sig.ID].errs[e.name] != "":
				cell = "FAIL"
			case results[sig.ID].series[e.name] == 0 && emptyHere[baseID(sig.ID)] != "":
				cell = "empty (known)"
			}
			fmt.Fprintf(&report, " %15s", cell)
		}
		report.WriteString("\n")
	}
	t.Logf("every signal through the plugin binary (%d runs of the signals and their choices):\n%s", len(signals), report.String())
	for id, why := range emptyHere {
		t.Logf("%s may be empty here: %s", id, why)
	}
	if s.Thanos == nil {
		t.Logf("Thanos Query not checked: %s", strings.Join(s.Notes, "; "))
	}
	if cadvisorMissing {
		t.Logf("container signals skipped: cAdvisor does not run here (%s)", strings.Join(s.Notes, "; "))
	}
	if len(failures) > 0 {
		t.Errorf("%d signal runs failed:\n  %s", len(failures), strings.Join(failures, "\n  "))
	}
}

// emptyHere lists the signals whose answer is legitimately empty on a fresh local stack, with why.
// They must still run without error; any other empty answer fails.
var emptyHere = map[string]string{
	"host.swap.used":          "swap used is only defined where swap is configured (SwapTotal > 0); test machines have none",
	"container.gone":          "lists containers not seen for over a minute; no container stops during the test",
	"runtime.restarts.events": "marks process restarts (process_start_time_seconds changing); no service restarts during the test",
	// The PostgreSQL page shows what to add instead of these panels when their metric is missing.
	"postgres.uptime":          "Debian's postgres_exporter 0.11 has no pg_postmaster_start_time_seconds without a custom queries.yaml",
	"postgres.replication.lag": "only replicas report pg_replication_lag_seconds (and 0.11 needs queries.yaml); the stack runs one primary",
	// DESIGN §9: on raw cgroups (no Docker), cAdvisor reports network and filesystem only for id="/".
	"container.network":          "cAdvisor reports network metrics only for the root cgroup when containers are raw cgroups (no Docker here)",
	"container.filesystem.usage": "cAdvisor reports filesystem metrics only for the root cgroup when containers are raw cgroups (no Docker here)",
	"container.filesystem.io":    "cAdvisor reports filesystem metrics only for the root cgroup when containers are raw cgroups (no Docker here)",
}

// checkCatalog requires the catalog resource to list what the stack runs: both services with
// their versions and controllers, the host, the database, and the demo cgroups when cAdvisor runs.
func checkCatalog(t *testing.T, s *stack.Stack, raw []byte) {
	t.Helper()
	var cat struct {
		Services []struct {
			Name, Domain string
			Versions     []string
			Controllers  []struct{ Name string }
		}
		Hosts      []struct{ Instance string }
		Containers []struct{ ID string }
		Databases  []struct{ Name string }
	}
	if err := json.Unmarshal(raw, &cat); err != nil {
		t.Fatalf("catalog: %v", err)
	}
	want := map[string]string{"shop.gateway": "", "shop.orders": ""}
	for _, svc := range s.Services {
		if !svc.Wrapped {
			want[svc.Name] = svc.Version
		}
	}
	for _, svc := range cat.Services {
		v, ok := want[svc.Name]
		if !ok {
			continue
		}
		if svc.Domain != "shop" || !contains(svc.Versions, v) || len(svc.Controllers) < 2 {
			t.Errorf("catalog service %s: domain %q versions %v, %d controllers; want domain shop, version %s, several controllers", svc.Name, svc.Domain, svc.Versions, len(svc.Controllers), v)
		}
		delete(want, svc.Name)
	}
	if len(want) > 0 {
		t.Errorf("catalog lacks services %v", want)
	}
	if len(cat.Hosts) != 1 || cat.Hosts[0].Instance != s.NodeExporter.Addr {
		t.Errorf("catalog hosts %+v, want the node_exporter at %s", cat.Hosts, s.NodeExporter.Addr)
	}
	var dbs []string
	for _, d := range cat.Databases {
		dbs = append(dbs, d.Name)
	}
	if !contains(dbs, "shop") {
		t.Errorf("catalog databases %v lack shop", dbs)
	}
	if s.CAdvisor != nil {
		var ids []string
		for _, c := range cat.Containers {
			ids = append(ids, c.ID)
		}
		if !contains(ids, "/pulse-demo-gateway") || !contains(ids, "/pulse-demo-orders") {
			t.Errorf("catalog containers %v lack the demo cgroups", ids)
		}
	}
	t.Logf("catalog: %d services, %d hosts, %d containers, databases %v", len(cat.Services), len(cat.Hosts), len(cat.Containers), dbs)
}

// checkWrappedDiagnosis requires the targets resource to name the seed's pitfall on the
// WRAP_METRICS instance: a JSON body from a response interceptor.
func checkWrappedDiagnosis(t *testing.T, s *stack.Stack, raw []byte) {
	t.Helper()
	wrapped := s.Wrapped()
	if wrapped == nil {
		return
	}
	var res struct {
		Targets []struct {
			Instance  string
			Diagnosis *struct{ Kind, Hint string }
		}
	}
	if err := json.Unmarshal(raw, &res); err != nil {
		t.Fatalf("targets: %v", err)
	}
	for _, tg := range res.Targets {
		if tg.Instance != wrapped.Instance {
			continue
		}
		if tg.Diagnosis == nil || tg.Diagnosis.Kind != "json_body" {
			t.Errorf("wrapped target %s diagnosed as %+v, want json_body", tg.Instance, tg.Diagnosis)
			return
		}
		t.Logf("targets diagnosis for the wrapped instance: %s", tg.Diagnosis.Hint)
		return
	}
	t.Errorf("the wrapped instance %s is not among the targets", wrapped.Instance)
}

// engine is one engine the signals run against, named as the health check names it.
type engine struct {
	name string
	ds   *backend.DataSourceInstanceSettings
}

// minStackAge is how long the stack runs before the signals are compared across engines.
const minStackAge = 75 * time.Second

// replicaB names the second Prometheus replica behind Thanos Query among the engines asked.
const replicaB = "Prometheus replica b"

// picksByValue tells whether a signal chooses its series by value (topk, bottomk), so that
// engines whose values differ within a scrape may choose other members.
func picksByValue(expr string) bool {
	return strings.Contains(expr, "topk(") || strings.Contains(expr, "bottomk(")
}

// scrapeInterval is the stack's (stack.Full's default) and the data source's timeInterval.
const scrapeInterval = 5 * time.Second

// checkHealth requires Save & test to name the engine and find all four exporters the stack runs.
func checkHealth(ctx context.Context, t *testing.T, p *pluginhost.Plugin, e engine, s *stack.Stack) {
	t.Helper()
	res, err := p.CheckHealth(ctx, e.ds)
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != backend.HealthStatusOk {
		t.Fatalf("health: %s", res.Message)
	}
	var details struct {
		Engine    string
		Exporters []struct {
			Key     string
			Present bool
			Count   int
		}
	}
	if err := json.Unmarshal(res.JSONDetails, &details); err != nil {
		t.Fatal(err)
	}
	for _, e := range details.Exporters {
		if e.Key == "cadvisor" && s.CAdvisor == nil {
			continue
		}
		if !e.Present || e.Count == 0 {
			t.Errorf("health: exporter %s not detected (%+v)", e.Key, e)
		}
	}
	if details.Engine != e.name || len(details.Exporters) != 4 {
		t.Errorf("health details of %s: engine %q, %d exporters", e.name, details.Engine, len(details.Exporters))
	}
	t.Logf("health of %s: %s", e.name, res.Message)
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// baseID is the signal id of a rendered variant ("service.latency.quantile[outcome=fail]").
func baseID(id string) string {
	base, _, _ := strings.Cut(id, "[")
	return base
}

// settingsFor is a data source for the engine at url. Each URL gets its own UID: the binary keeps one
// instance per UID, so engines sharing a UID would all be asked through the first one's settings.
func settingsFor(url string) *backend.DataSourceInstanceSettings {
	uid := "pulse-it-" + strings.NewReplacer("http://", "", ":", "-", ".", "-", "/", "-").Replace(url)
	return &backend.DataSourceInstanceSettings{UID: uid, Name: "Pulse integration " + url, URL: url, JSONData: []byte(`{"timeInterval":"5s"}`)}
}

func resource(ctx context.Context, t *testing.T, p *pluginhost.Plugin, ds *backend.DataSourceInstanceSettings, path string) []byte {
	t.Helper()
	u, _, _ := strings.Cut(path, "?")
	resp, err := p.CallResource(ctx, ds, &backend.CallResourceRequest{Method: http.MethodGet, Path: u, URL: path})
	if err != nil {
		t.Fatal(err)
	}
	if resp.Status != http.StatusOK {
		t.Fatalf("%s: HTTP %d: %s", path, resp.Status, resp.Body)
	}
	return resp.Body
}

// renderSignals runs scripts/signals/render.ts on the catalog and targets (nil: none), with flags
// such as --profile after them.
func renderSignals(t *testing.T, catalog, targets []byte, flags ...string) []renderedSignal {
	t.Helper()
	dir := t.TempDir()
	catPath, tgtPath := filepath.Join(dir, "catalog.json"), filepath.Join(dir, "targets.json")
	if err := os.WriteFile(catPath, catalog, 0o600); err != nil {
		t.Fatal(err)
	}
	args := []string{"ts-node", "--transpile-only", "scripts/signals/render.ts", catPath}
	if targets != nil {
		if err := os.WriteFile(tgtPath, targets, 0o600); err != nil {
			t.Fatal(err)
		}
		args = append(args, tgtPath)
	}
	cmd := exec.Command("npx", append(args, flags...)...)
	cmd.Dir = "../.."
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("render.ts: %v\n%s", err, stderr.String())
	}
	var signals []renderedSignal
	if err := json.Unmarshal(out, &signals); err != nil {
		t.Fatalf("render.ts output: %v", err)
	}
	sort.SliceStable(signals, func(i, j int) bool { return signals[i].Family < signals[j].Family })
	return signals
}

// runSignal runs one rendered signal the way a panel would over the three minutes up to to, and
// returns its series and the number of series with data.
// runSignal runs one signal and returns its series, how many there are (rows for a table) and how
// many of their points are NaN.
func runSignal(ctx context.Context, p *pluginhost.Plugin, ds *backend.DataSourceInstanceSettings, sig renderedSignal, to time.Time) (seriesSet, int, int, error) {
	model := map[string]any{"refId": "A", "expr": sig.Expr, "format": sig.Format, "legendFormat": sig.Legend, "range": !sig.Instant, "instant": sig.Instant}
	raw, _ := json.Marshal(model)
	resp, err := p.QueryData(ctx, ds, []backend.DataQuery{{
		RefID: "A", JSON: raw, Interval: 5 * time.Second, MaxDataPoints: 300,
		TimeRange: backend.TimeRange{From: to.Add(-3 * time.Minute), To: to},
	}})
	if err != nil {
		return nil, 0, 0, err
	}
	r := resp.Responses["A"]
	if r.Error != nil {
		return nil, 0, 0, r.Error
	}
	// The dataplane types of CONTRIBUTING's backend conventions: a range answer is a time series, an
	// instant one numbers; a table is long, numeric when instant.
	want := map[string]data.FrameType{"time_series": data.FrameTypeTimeSeriesMulti, "table": data.FrameTypeTimeSeriesLong, "heatmap": "heatmap-rows"}[sig.Format]
	if sig.Instant {
		want = map[string]data.FrameType{"time_series": data.FrameTypeNumericMulti, "table": data.FrameTypeNumericLong, "heatmap": "heatmap-rows"}[sig.Format]
	}
	n, nan := 0, 0
	for _, f := range r.Frames {
		if f.Meta == nil || f.Meta.Type != want {
			return nil, 0, 0, fmt.Errorf("frame type %v, want %s", f.Meta, want)
		}
		for _, fld := range f.Fields {
			for row := 0; fld.Type().Numeric() && row < fld.Len(); row++ {
				if _, ok := fld.ConcreteAt(row); !ok {
					continue // a null, not a NaN
				}
				if v, err := fld.FloatAt(row); err == nil && math.IsNaN(v) {
					nan++
				}
			}
		}
		if sig.Format == "table" {
			n += f.Rows()
		} else if f.Rows() > 0 {
			n++
		}
	}
	return seriesOf(r.Frames), n, nan, nil
}
