package discovery

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/pulse-monitoring/pulse/pkg/models"
)

// The backend's profiles and the signal catalog's (src/signals/profiles.ts, checked by
// profiles.test.ts against the same file) must name the same metrics and labels.
func TestProfilesMatchTheSignalCatalog(t *testing.T) {
	raw, err := os.ReadFile("testdata/profiles.json")
	if err != nil {
		t.Fatal(err)
	}
	var want []Profile
	if err := json.Unmarshal(raw, &want); err != nil {
		t.Fatal(err)
	}
	got, _ := json.Marshal(profiles)
	wantJSON, _ := json.Marshal(want)
	if string(got) != string(wantJSON) {
		t.Fatalf("profiles differ from testdata/profiles.json:\n got %s\nwant %s", got, wantJSON)
	}
	var ids []string
	for _, p := range profiles {
		ids = append(ids, p.ID)
	}
	if strings.Join(ids, ",") != strings.Join(models.Profiles, ",") {
		t.Fatalf("profile ids %v, settings accept %v", ids, models.Profiles)
	}
}

func TestProfileQueries(t *testing.T) {
	w := time.Hour
	tests := []struct {
		profile                           string
		targets, versions, ops, detection string
	}{
		{"seed",
			`group by (domain, name, version, instance, job) (last_over_time(nestjs_info[3600s])) and on (instance, job) (last_over_time(nestjs_success_requests_count[3600s]) or last_over_time(nestjs_fail_requests_count[3600s]))`, ``,
			`group by (instance, job, controller, handler, method) (last_over_time(nestjs_success_requests_count[3600s]) or last_over_time(nestjs_fail_requests_count[3600s]))`,
			`count(group by (instance, job) ({__name__=~"nestjs_success_requests_count|nestjs_fail_requests_count"}))`},
		{"nestjs-requests",
			`group by (domain, name, version, instance, job) (last_over_time(nestjs_info[3600s])) and on (instance, job) (last_over_time(nestjs_requests_count[3600s]))`, ``,
			`group by (instance, job, controller, handler) (last_over_time(nestjs_requests_count[3600s]))`,
			`count(group by (instance, job) (nestjs_requests_count))`},
		{"prom-client-http",
			`group by (instance, job) (last_over_time(http_request_duration_seconds_count[3600s]))`,
			`group by (instance, job, version) (last_over_time(app_info[3600s]))`,
			`group by (instance, job, route, method) (last_over_time(http_request_duration_seconds_count[3600s]))`,
			`count(group by (instance, job) (http_request_duration_seconds_count))`},
		{"otel-http",
			`group by (service_name, service_version, instance, job) (last_over_time(target_info[3600s])) and on (instance, job) (last_over_time({__name__=~"http_server_request_duration(_seconds)?_count"}[3600s]))`, ``,
			`group by (instance, job, http_route, http_request_method) (last_over_time({__name__=~"http_server_request_duration(_seconds)?_count"}[3600s]))`,
			`count(group by (instance, job) ({__name__=~"http_server_request_duration(_seconds)?_count"}))`},
		{"otel-http-legacy",
			`group by (service_name, service_version, instance, job) (last_over_time(target_info[3600s])) and on (instance, job) (last_over_time({__name__=~"http_server_duration(_milliseconds)?_count"}[3600s]))`, ``,
			`group by (instance, job, http_route, http_method) (last_over_time({__name__=~"http_server_duration(_milliseconds)?_count"}[3600s]))`,
			`count(group by (instance, job) ({__name__=~"http_server_duration(_milliseconds)?_count"}))`},
	}
	for _, tc := range tests {
		t.Run(tc.profile, func(t *testing.T) {
			p := ProfileOf(models.MetricNames{Profile: tc.profile})
			for name, pair := range map[string][2]string{
				"targets": {p.serviceTargetsQuery(w), tc.targets}, "versions": {p.versionsQuery(w), tc.versions},
				"operations": {p.operationsQuery(w), tc.ops}, "detection": {p.targetsQuery(), tc.detection},
			} {
				if pair[0] != pair[1] {
					t.Errorf("%s:\n got %s\nwant %s", name, pair[0], pair[1])
				}
			}
		})
	}
	// The settings come with the seed's names filled in; for another profile they mean "not set".
	loaded, err := models.LoadSettings(backend.DataSourceInstanceSettings{URL: "http://p", JSONData: []byte(`{"metrics":{"profile":"otel-http"}}`)})
	if err != nil {
		t.Fatal(err)
	}
	if p := ProfileOf(loaded.Metrics); p.Info != "target_info" || p.Histogram != "http_server_request_duration_seconds" {
		t.Errorf("otel-http from loaded settings: %+v", p)
	}
	// Renamed metrics reach the queries.
	p := ProfileOf(models.MetricNames{Profile: "otel-http", Histogram: "my_duration_seconds", Info: "my_target_info"})
	if !strings.Contains(p.operationsQuery(w), "my_duration_seconds_count") || !strings.Contains(p.serviceTargetsQuery(w), "my_target_info") {
		t.Errorf("renamed: %s / %s", p.operationsQuery(w), p.serviceTargetsQuery(w))
	}
}

// Each profile's answers become services with their labels in their roles.
func TestBuildServicesPerProfile(t *testing.T) {
	sample := func(kv ...string) Sample {
		l := map[string]string{}
		for i := 0; i < len(kv); i += 2 {
			l[kv[i]] = kv[i+1]
		}
		return Sample{Labels: l, Value: 1}
	}
	otel := ProfileOf(models.MetricNames{Profile: "otel-http"})
	svcs := buildServices(otel,
		[]Sample{sample("service_name", "shop.users", "service_version", "3.1.0", "instance", "a:1", "job", "users")}, nil,
		[]Sample{sample("instance", "a:1", "job", "users", "http_route", "/users/:id", "http_request_method", "GET")})
	if len(svcs) != 1 || svcs[0].Name != "shop.users" || svcs[0].Profile != "otel-http" || svcs[0].Versions[0] != "3.1.0" ||
		len(svcs[0].Controllers) != 1 || svcs[0].Controllers[0].Name != "" || svcs[0].Controllers[0].Handlers[0].Name != "/users/:id" ||
		svcs[0].Controllers[0].Handlers[0].Methods[0] != "GET" {
		t.Fatalf("otel: %+v", svcs)
	}
	job := ProfileOf(models.MetricNames{Profile: "prom-client-http"})
	svcs = buildServices(job,
		[]Sample{sample("instance", "b:1", "job", "shop.payments"), sample("instance", "b:2", "job", "shop.payments")},
		[]Sample{sample("instance", "b:1", "job", "shop.payments", "version", "0.9.0")},
		[]Sample{sample("instance", "b:1", "job", "shop.payments", "route", "/payments", "method", "POST")})
	if len(svcs) != 1 || svcs[0].Name != "shop.payments" || len(svcs[0].Instances) != 2 || strings.Join(svcs[0].Versions, ",") != "0.9.0" {
		t.Fatalf("job: %+v", svcs)
	}
}

// With auto (the default) the catalog and the health check read every profile; the NestJS
// interceptors' names apply to the two NestJS profiles only.
func TestAutoReadsEveryProfile(t *testing.T) {
	loaded, err := models.LoadSettings(backend.DataSourceInstanceSettings{URL: "http://p", JSONData: []byte(`{"metrics":{"info":"svc_info","histogram":"ignored_seconds"}}`)})
	if err != nil {
		t.Fatal(err)
	}
	if !IsAuto(loaded.Metrics) || IsAuto(models.MetricNames{Profile: "seed"}) {
		t.Fatalf("auto: %+v", loaded.Metrics)
	}
	var got []string
	for _, p := range ProfilesOf(loaded.Metrics) {
		got = append(got, p.ID+":"+p.Info+":"+p.Histogram+p.Success)
	}
	want := "seed:svc_info:nestjs_success_requests,nestjs-requests:svc_info:nestjs_requests,prom-client-http:app_info:http_request_duration_seconds,otel-http:target_info:http_server_request_duration_seconds,otel-http-legacy:target_info:http_server_duration_milliseconds"
	if strings.Join(got, ",") != want {
		t.Fatalf("profiles of auto:\n got %s\nwant %s", strings.Join(got, ","), want)
	}
	if ps := ProfilesOf(models.MetricNames{Profile: "otel-http"}); len(ps) != 1 || ps[0].ID != "otel-http" {
		t.Fatalf("an explicit profile is the only one: %+v", ps)
	}

	count, targets, _ := autoServiceProbe(ProfilesOf(models.MetricNames{}))
	wantCount := `count(group by (name) (group by (name) (nestjs_info and on (instance, job) (nestjs_success_requests_count or nestjs_fail_requests_count)) or group by (name) (nestjs_info and on (instance, job) (nestjs_requests_count)) or label_replace(group by (job) (http_request_duration_seconds_count), "name", "$1", "job", "(.*)") or label_replace(group by (service_name) (target_info and on (instance, job) ({__name__=~"http_server_request_duration(_seconds)?_count"})), "name", "$1", "service_name", "(.*)") or label_replace(group by (service_name) (target_info and on (instance, job) ({__name__=~"http_server_duration(_milliseconds)?_count"})), "name", "$1", "service_name", "(.*)")))`
	if count != wantCount {
		t.Errorf("service count:\n got %s\nwant %s", count, wantCount)
	}
	wantTargets := `count(group by (instance, job) (nestjs_success_requests_count or nestjs_fail_requests_count or nestjs_requests_count or http_request_duration_seconds_count or {__name__=~"http_server_request_duration(_seconds)?_count"} or {__name__=~"http_server_duration(_milliseconds)?_count"}))`
	if targets != wantTargets {
		t.Errorf("targets:\n got %s\nwant %s", targets, wantTargets)
	}
}

// Services of different profiles are listed side by side, each once.
func TestMergeServices(t *testing.T) {
	got := mergeServices([]Service{{Name: "b", Profile: "seed"}, {Name: "a", Profile: "otel-http"}, {Name: "b", Profile: "nestjs-requests"}})
	if len(got) != 2 || got[0].Name != "a" || got[0].Profile != "otel-http" || got[1].Profile != "seed" {
		t.Fatalf("%+v", got)
	}
}
