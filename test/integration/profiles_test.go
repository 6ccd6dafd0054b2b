package integration_test

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/pulse-monitoring/pulse/internal/pluginhost"
	"github.com/pulse-monitoring/pulse/internal/stack"
)

// TestEveryProfileThroughThePlugin runs one demo service per instrumentation profile (the demo app
// instrumented each way, the OpenTelemetry ones with the real @opentelemetry packages and their
// Prometheus exporter) and, for each profile, a Pulse data source set to it: the catalog resource
// lists that profile's service with its version, the health check counts every profile's targets,
// and every service and runtime signal rendered for the profile returns data through the built
// binary — or selects nothing where the profile cannot answer it (the signal says why), or where the
// instrumentation does not export what the signal reads (the runtime metrics of OpenTelemetry
// services). Series counts are printed per profile.
// profileStackAge is how long the profiles' stack runs under load before the signals are checked.
const profileStackAge = 45 * time.Second

func TestEveryProfileThroughThePlugin(t *testing.T) {
	opts := stack.Options{
		Services: []stack.ServiceSpec{{Short: "gateway", Version: "1.4.2"}},
		Profiles: true,
		Load:     &stack.LoadSpec{Rate: 25, Duration: 10 * time.Minute},
	}
	s := stack.StartTB(t, opts)
	plugin := pluginhost.StartTB(t, "../../dist", pluginhost.Options{})
	ctx, cancel := context.WithTimeout(context.Background(), 6*time.Minute)
	defer cancel()

	profiles := stack.Profiles
	// rate() over $__rate_interval needs two scrapes of traffic in the window, for every profile.
	for _, p := range profiles {
		svc := s.ServiceOfProfile(p)
		if svc == nil {
			t.Fatalf("the stack runs no service of profile %s", p)
		}
		ok, failed := stack.RequestSelectors(p, svc.Instance)
		for _, sel := range []string{ok, failed} {
			expr := fmt.Sprintf(`rate(%s[20s] offset 10s) > 0`, sel)
			if err := stack.WaitForQuery(ctx, s.Prometheus.URL(), expr); err != nil {
				t.Fatalf("waiting for %s: %v", expr, err)
			}
		}
	}

	// The first profile's checks start right after the waits above; a minute of the load behind them lets the
	// sparse series (failures per operation and class, their latency buckets) appear for every profile alike.
	if wait := profileStackAge - time.Since(s.Started); wait > 0 {
		t.Logf("waiting %s until the stack has run for %s", wait.Round(time.Second), profileStackAge)
		time.Sleep(wait)
	}

	var report strings.Builder
	var failures []string
	fail := func(t *testing.T, format string, args ...any) {
		t.Helper()
		t.Errorf(format, args...)
		failures = append(failures, t.Name()+": "+fmt.Sprintf(format, args...))
	}
	for _, p := range profiles {
		t.Run(p, func(t *testing.T) {
			svc := s.ServiceOfProfile(p)
			ds := &backend.DataSourceInstanceSettings{
				UID: "pulse-profile-" + p, Name: "Pulse " + p, URL: s.Prometheus.URL(),
				JSONData: []byte(fmt.Sprintf(`{"timeInterval":"5s","metrics":{"profile":%q}}`, p)),
			}
			now := time.Now()
			catalog := resource(ctx, t, plugin, ds, fmt.Sprintf("catalog?start=%d&end=%d", now.Add(-5*time.Minute).Unix(), now.Unix()+1))
			checkProfileCatalog(t, p, svc, catalog)
			checkProfileDetection(ctx, t, plugin, ds, profiles)
			if t.Failed() {
				failures = append(failures, t.Name()+": the catalog or the health check (above)")
			}

			signals := renderProfileSignals(t, catalog, p)
			to := time.Now().Add(-2 * time.Second)
			counts := map[string]int{}
			for _, sig := range signals {
				_, n, _, err := runSignal(ctx, plugin, ds, sig, to)
				counts[sig.ID] = n
				why := emptyForProfile(p, sig)
				switch {
				case err != nil:
					fail(t, "%s: %v\n    %s", sig.ID, err, sig.Expr)
				case sig.Unavailable != "" && n > 0:
					fail(t, "%s cannot be answered by %s (%s) but returned %d series\n    %s", sig.ID, p, sig.Unavailable, n, sig.Expr)
				case sig.Unavailable == "" && why == "" && n == 0:
					fail(t, "%s: no data for %s's service %s\n    %s", sig.ID, p, svc.Name, sig.Expr)
				}
			}
			ids := make([]string, 0, len(counts))
			for id := range counts {
				ids = append(ids, id)
			}
			sort.Strings(ids)
			fmt.Fprintf(&report, "%s (%s %s, job %s):\n", p, svc.Name, svc.Version, svc.Job)
			for _, id := range ids {
				fmt.Fprintf(&report, "  %-60s %d\n", id, counts[id])
			}
		})
	}
	t.Run("auto", func(t *testing.T) {
		// A data source set to no profile reads every one: its catalog lists each profile's service with that
		// profile, and every signal rendered for auto (for one service at a time) returns its data.
		ds := &backend.DataSourceInstanceSettings{
			UID: "pulse-profile-auto", Name: "Pulse auto", URL: s.Prometheus.URL(),
			JSONData: []byte(`{"timeInterval":"5s"}`),
		}
		now := time.Now()
		raw := resource(ctx, t, plugin, ds, fmt.Sprintf("catalog?start=%d&end=%d", now.Add(-5*time.Minute).Unix(), now.Unix()+1))
		var cat map[string]json.RawMessage
		var services []struct{ Name, Profile string }
		if err := json.Unmarshal(raw, &cat); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(cat["services"], &services); err != nil {
			t.Fatal(err)
		}
		profileOf := map[string]string{}
		for _, svc := range services {
			profileOf[svc.Name] = svc.Profile
		}
		checkProfileDetection(ctx, t, plugin, ds, profiles)
		for _, p := range profiles {
			svc := s.ServiceOfProfile(p)
			if profileOf[svc.Name] != p {
				fail(t, "auto catalog: %s listed with profile %q, want %q: %s", svc.Name, profileOf[svc.Name], p, raw)
				continue
			}
			// The catalog with this service only: render.ts renders every signal about it.
			one, _ := json.Marshal([]json.RawMessage{serviceEntry(t, cat["services"], svc.Name)})
			cat1 := map[string]json.RawMessage{}
			for k, v := range cat {
				cat1[k] = v
			}
			cat1["services"] = one
			filtered, _ := json.Marshal(cat1)
			to := time.Now().Add(-2 * time.Second)
			fmt.Fprintf(&report, "auto, %s's service %s:\n", p, svc.Name)
			// What the profile alone cannot answer (its signal says why) may select nothing under auto too.
			unavailable := map[string]bool{}
			for _, sig := range renderProfileSignals(t, filtered, p) {
				unavailable[sig.ID] = sig.Unavailable != ""
			}
			for _, sig := range renderProfileSignals(t, filtered, "auto") {
				_, n, _, err := runSignal(ctx, plugin, ds, sig, to)
				switch {
				case err != nil:
					fail(t, "auto %s: %v\n    %s", sig.ID, err, sig.Expr)
				case n == 0 && emptyForProfile(p, sig) == "" && !unavailable[sig.ID]:
					fail(t, "auto %s: no data for %s's service %s\n    %s", sig.ID, p, svc.Name, sig.Expr)
				}
				fmt.Fprintf(&report, "  %-60s %d\n", sig.ID, n)
			}
		}
	})
	// The failures again after the report, so that the end of the output (what a CI summary keeps) names them.
	if len(failures) > 0 {
		fmt.Fprintf(&report, "failures:\n  %s\n", strings.Join(failures, "\n  "))
	}
	t.Logf("series per signal and profile:\n%s", report.String())
}

// serviceEntry is the catalog's entry of one service, as it came.
func serviceEntry(t *testing.T, services json.RawMessage, name string) json.RawMessage {
	t.Helper()
	var all []json.RawMessage
	if err := json.Unmarshal(services, &all); err != nil {
		t.Fatal(err)
	}
	for _, entry := range all {
		var s struct{ Name string }
		if json.Unmarshal(entry, &s) == nil && s.Name == name {
			return entry
		}
	}
	t.Fatalf("no catalog entry of %s", name)
	return nil
}

// emptyForProfile says why a signal may have no data for a profile's demo service, or "".
func emptyForProfile(profile string, sig renderedSignal) string {
	base := baseID(sig.ID)
	switch {
	case emptyHere[base] != "":
		return emptyHere[base]
	case sig.Family == "runtime" && strings.HasPrefix(profile, "otel-http"):
		return "the OpenTelemetry demo services export no Node.js runtime metrics (prom-client's defaults are the seed's)"
	case base == "service.deploys":
		return "marks version changes; no service changes version during the test"
	case base == "service.latency.share-under" && profile != "seed" && profile != "nestjs-requests" && strings.Contains(sig.ID, "[threshold="):
		// The thresholds offered are the seed interceptor's bucket bounds; a share under a bound reads
		// that bucket, and prom-client's and OpenTelemetry's default layouts lack some of them.
		return "the threshold is not a bucket bound of this instrumentation's default histogram layout"
	}
	return ""
}

// checkProfileCatalog requires the profile's demo service in the catalog, found with that profile,
// with its version and operations.
func checkProfileCatalog(t *testing.T, profile string, svc *stack.Service, raw []byte) {
	t.Helper()
	var cat struct {
		Services []struct {
			Name, Profile string
			Versions      []string
			Controllers   []struct {
				Name     string
				Handlers []struct{ Name string }
			}
		}
	}
	if err := json.Unmarshal(raw, &cat); err != nil {
		t.Fatal(err)
	}
	for _, got := range cat.Services {
		if got.Profile != profile {
			t.Errorf("service %s listed with profile %q, want %q", got.Name, got.Profile, profile)
		}
		if got.Name != svc.Name {
			continue
		}
		if strings.Join(got.Versions, ",") != svc.Version {
			t.Errorf("%s: versions %v, want %s", svc.Name, got.Versions, svc.Version)
		}
		handlers := 0
		for _, c := range got.Controllers {
			handlers += len(c.Handlers)
		}
		if handlers == 0 {
			t.Errorf("%s: no operations in the catalog: %s", svc.Name, raw)
		}
		return
	}
	t.Fatalf("the catalog of a data source set to %s does not list %s: %s", profile, svc.Name, raw)
}

// checkProfileDetection requires the health check to count the targets of every profile the stack runs.
func checkProfileDetection(ctx context.Context, t *testing.T, plugin *pluginhost.Plugin, ds *backend.DataSourceInstanceSettings, profiles []string) {
	t.Helper()
	res, err := plugin.CheckHealth(ctx, ds)
	if err != nil {
		t.Fatal(err)
	}
	var details struct {
		Exporters []struct {
			Key      string
			Profiles []struct {
				Profile string
				Targets int
			}
		}
	}
	if err := json.Unmarshal(res.JSONDetails, &details); err != nil {
		t.Fatal(err)
	}
	found := map[string]int{}
	for _, e := range details.Exporters {
		if e.Key == "nestjs" {
			for _, p := range e.Profiles {
				found[p.Profile] = p.Targets
			}
		}
	}
	for _, p := range profiles {
		if found[p] == 0 {
			t.Errorf("health: no targets of profile %s detected (%v): %s", p, found, res.Message)
		}
	}
}

// renderProfileSignals renders the service and runtime signals for a profile (render.ts --profile).
func renderProfileSignals(t *testing.T, catalog []byte, profile string) []renderedSignal {
	t.Helper()
	var signals []renderedSignal
	for _, sig := range renderSignals(t, catalog, nil, "--profile", profile) {
		if sig.Family == "service" || sig.Family == "runtime" {
			signals = append(signals, sig)
		}
	}
	return signals
}
