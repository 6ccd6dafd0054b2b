package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// fakePlugin records what the server hands to the backend binary.
type fakePlugin struct {
	settings *backend.DataSourceInstanceSettings
	queries  []backend.DataQuery
	resource *backend.CallResourceRequest
	health   backend.CheckHealthResult
}

func (f *fakePlugin) CheckHealth(_ context.Context, s *backend.DataSourceInstanceSettings) (*backend.CheckHealthResult, error) {
	f.settings = s
	return &f.health, nil
}

func (f *fakePlugin) QueryData(_ context.Context, s *backend.DataSourceInstanceSettings, q []backend.DataQuery) (*backend.QueryDataResponse, error) {
	f.settings, f.queries = s, q
	res := backend.NewQueryDataResponse()
	for _, dq := range q {
		res.Responses[dq.RefID] = backend.DataResponse{Frames: data.Frames{data.NewFrame("up", data.NewField("Value", nil, []float64{1}))}}
	}
	return res, nil
}

func (f *fakePlugin) CallResource(_ context.Context, s *backend.DataSourceInstanceSettings, r *backend.CallResourceRequest) (*backend.CallResourceResponse, error) {
	f.settings, f.resource = s, r
	return &backend.CallResourceResponse{Status: http.StatusOK, Body: []byte(`{"ok":true}`)}, nil
}

// newTestServer loads the given provisioning (data source YAML) with a minimal dist/ and a recording plugin.
func newTestServer(t *testing.T, dsYAML string, options ...func(*server)) (*httptest.Server, *fakePlugin) {
	t.Helper()
	dir := t.TempDir()
	write := func(path, content string) {
		t.Helper()
		p := filepath.Join(dir, path)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("provisioning/datasources/pulse.yaml", dsYAML)
	write("provisioning/plugins/app.yaml", "apiVersion: 1\napps:\n  - type: pulse-monitoring-app\n    jsonData: {defaultDatasourceUid: pulse-prometheus}\n    secureJsonData: {appToken: app-secret}\n")
	write("dist/plugin.json", `{"id":"pulse-monitoring-app","type":"app","name":"Pulse","info":{"logos":{"small":"img/logo.svg"}},"languages":["en-US","ko-KR"]}`)
	write("dist/datasource/plugin.json", `{"id":"pulse-prometheus-datasource","type":"datasource","name":"Pulse Prometheus","backend":true,"info":{"logos":{"small":"img/logo.svg"}},"languages":["en-US"]}`)
	write("host/index.html", `<html><head><base href="/" /><!--harness-bootdata--><script type="module" src="/public/build/assets/index.js"></script></head></html>`)
	st, err := loadState(filepath.Join(dir, "dist"), filepath.Join(dir, "provisioning"), "http://127.0.0.1:9999")
	if err != nil {
		t.Fatal(err)
	}
	fake := &fakePlugin{health: backend.CheckHealthResult{Status: backend.HealthStatusOk, Message: "ok"}}
	s := &server{state: st, plugin: fake, dist: filepath.Join(dir, "dist"), hostDir: filepath.Join(dir, "host"), uiPublic: dir, role: roleAdmin}
	for _, o := range options {
		o(s)
	}
	ts := httptest.NewServer(s.routes())
	t.Cleanup(ts.Close)
	return ts, fake
}

const dsYAML = `apiVersion: 1
datasources:
  - name: Pulse Prometheus
    uid: pulse-prometheus
    type: pulse-prometheus-datasource
    url: http://prometheus:9090
    editable: true
    jsonData: {httpMethod: POST}
    secureJsonData:
      basicAuthPassword: ${PULSE_HARNESS_TEST_SECRET}
`

func do(t *testing.T, method, url, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(raw)
}

func TestDataQueries(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	in := queryRequest{
		From: "1700000000000",
		To:   "now",
		Queries: []json.RawMessage{
			json.RawMessage(`{"refId":"A","queryType":"code","datasource":{"uid":"pulse-prometheus","type":"pulse-prometheus-datasource"},"intervalMs":15000,"maxDataPoints":800,"expr":"up"}`),
			json.RawMessage(`{"refId":"B","expr":"rate(x[5m])"}`),
		},
	}
	qs, err := dataQueries(in, "pulse-prometheus", now)
	if err != nil {
		t.Fatal(err)
	}
	if len(qs) != 2 {
		t.Fatalf("want 2 queries, got %d", len(qs))
	}
	a, b := qs[0], qs[1]
	if a.RefID != "A" || a.QueryType != "code" || a.Interval != 15*time.Second || a.MaxDataPoints != 800 {
		t.Errorf("query A: %+v", a)
	}
	if !a.TimeRange.From.Equal(time.UnixMilli(1700000000000)) || !a.TimeRange.To.Equal(now) {
		t.Errorf("query A time range: %v", a.TimeRange)
	}
	if string(a.JSON) != string(in.Queries[0]) {
		t.Errorf("query A JSON not passed as sent: %s", a.JSON)
	}
	// Grafana's defaults when a query leaves them out.
	if b.RefID != "B" || b.Interval != time.Second || b.MaxDataPoints != 100 {
		t.Errorf("query B defaults: %+v", b)
	}
	noRef, err := dataQueries(queryRequest{Queries: []json.RawMessage{json.RawMessage(`{"expr":"up"}`)}}, "pulse-prometheus", now)
	if err != nil || noRef[0].RefID != "A" {
		t.Errorf("a query without refId: %+v %v, want refId A as Grafana's query service gives it", noRef, err)
	}
	// Grafana's query service reads intervalMs and maxDataPoints as integers.
	if _, err := dataQueries(queryRequest{Queries: []json.RawMessage{json.RawMessage(`{"refId":"A","intervalMs":1.5}`)}}, "pulse-prometheus", now); err == nil {
		t.Error("a fractional intervalMs was accepted")
	}

	for _, tc := range []struct {
		name string
		in   queryRequest
		want string
	}{
		{"no queries", queryRequest{}, "No queries found"},
		{"bad from", queryRequest{From: "yesterday", Queries: in.Queries[:1]}, "bad from"},
		{"bad unit", queryRequest{From: "now-5y", Queries: in.Queries[:1]}, "cannot read unit"},
		{"other data source", queryRequest{Queries: []json.RawMessage{json.RawMessage(`{"refId":"A","datasource":{"uid":"other"}}`)}}, `data source "other" is not served`},
		{"not JSON", queryRequest{Queries: []json.RawMessage{json.RawMessage(`[1]`)}}, "bad query"},
	} {
		if _, err := dataQueries(tc.in, "pulse-prometheus", now); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: want an error with %q, got %v", tc.name, tc.want, err)
		}
	}
}

func TestParseGrafanaTime(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	for in, want := range map[string]time.Time{
		"":       now.Add(-time.Hour), // the default given
		"now":    now,
		"now-5m": now.Add(-5 * time.Minute),
		"now-2d": now.Add(-48 * time.Hour),
		"0":      time.UnixMilli(0),
	} {
		got, err := parseGrafanaTime(in, now, time.Hour)
		if err != nil || !got.Equal(want) {
			t.Errorf("parseGrafanaTime(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
}

func TestQueryHandlerDrivesTheBackend(t *testing.T) {
	t.Setenv("PULSE_HARNESS_TEST_SECRET", "s3cret")
	ts, fake := newTestServer(t, dsYAML)
	status, body := do(t, "POST", ts.URL+"/api/ds/query", `{"from":"now-1h","to":"now","queries":[{"refId":"A","datasource":{"uid":"pulse-prometheus"},"expr":"up"}]}`)
	if status != http.StatusOK {
		t.Fatalf("status %d: %s", status, body)
	}
	var res struct {
		Results map[string]struct {
			Frames []json.RawMessage `json:"frames"`
		} `json:"results"`
	}
	if err := json.Unmarshal([]byte(body), &res); err != nil || len(res.Results["A"].Frames) != 1 {
		t.Fatalf("want results.A.frames with one frame (Grafana's shape), got %s (%v)", body, err)
	}
	if len(fake.queries) != 1 || fake.queries[0].RefID != "A" {
		t.Fatalf("backend got %+v", fake.queries)
	}
	// The plugin gets the URL override and the decrypted secure settings.
	if fake.settings.URL != "http://127.0.0.1:9999" || fake.settings.DecryptedSecureJSONData["basicAuthPassword"] != "s3cret" {
		t.Errorf("instance settings: url %q, secure %v", fake.settings.URL, fake.settings.DecryptedSecureJSONData)
	}

	status, body = do(t, "POST", ts.URL+"/api/ds/query", `{"queries":[{"refId":"A","datasource":{"uid":"elsewhere"}}]}`)
	if status != http.StatusBadRequest || !strings.Contains(body, "elsewhere") {
		t.Errorf("a query for another data source: %d %s", status, body)
	}
}

func TestSecureJSONDataNeverReachesTheBrowser(t *testing.T) {
	t.Setenv("PULSE_HARNESS_TEST_SECRET", "s3cret")
	ts, fake := newTestServer(t, dsYAML)
	// A secret saved from the browser is kept for the plugin, and is not answered back either.
	status, body := do(t, "PUT", ts.URL+"/api/datasources/uid/pulse-prometheus",
		`{"url":"http://127.0.0.1:9999","version":1,"secureJsonData":{"httpHeaderValue1":"t0ken"}}`)
	if status != http.StatusOK {
		t.Fatalf("PUT: %d %s", status, body)
	}
	answers := []string{body}
	for _, path := range []string{
		"/api/datasources", "/api/datasources/uid/pulse-prometheus", "/api/plugins/pulse-monitoring-app/settings",
		"/api/plugins/pulse-prometheus-datasource/settings",
	} {
		status, body := do(t, "GET", ts.URL+path, "")
		if status != http.StatusOK {
			t.Fatalf("GET %s: %d %s", path, status, body)
		}
		answers = append(answers, body)
	}
	for i, body := range answers {
		for _, secret := range []string{"s3cret", "t0ken", "app-secret", "secureJsonData"} {
			if strings.Contains(body, secret) {
				t.Errorf("answer %d carries %q: %s", i, secret, body)
			}
		}
	}
	if !strings.Contains(answers[2], `"secureJsonFields":{"basicAuthPassword":true,"httpHeaderValue1":true}`) {
		t.Errorf("GET /api/datasources/uid/…: want secureJsonFields naming both secrets, got %s", answers[2])
	}
	if !strings.Contains(answers[3], `"secureJsonFields":{"appToken":true}`) {
		t.Errorf("app settings: want secureJsonFields {appToken: true}, got %s", answers[3])
	}
	// …while the plugin gets both, decrypted.
	if status, body := do(t, "GET", ts.URL+"/api/datasources/uid/pulse-prometheus/health", ""); status != http.StatusOK {
		t.Fatalf("health: %d %s", status, body)
	}
	if sec := fake.settings.DecryptedSecureJSONData; sec["basicAuthPassword"] != "s3cret" || sec["httpHeaderValue1"] != "t0ken" {
		t.Errorf("the plugin got secure settings %v", sec)
	}
}

func TestResourceCallsKeepPathQueryAndDropCredentials(t *testing.T) {
	ts, fake := newTestServer(t, dsYAML)
	req, _ := http.NewRequest("POST", ts.URL+"/api/datasources/uid/pulse-prometheus/resources/api/v1/labels?match=up", strings.NewReader("x=1"))
	req.Header.Set("Cookie", "grafana_session=1")
	req.Header.Set("X-Test", "yes")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	r := fake.resource
	if res.StatusCode != http.StatusOK || r == nil {
		t.Fatalf("status %d, resource request %+v", res.StatusCode, r)
	}
	if r.Path != "api/v1/labels" || r.URL != "api/v1/labels?match=up" || r.Method != "POST" || string(r.Body) != "x=1" {
		t.Errorf("resource request: %+v", r)
	}
	if _, ok := r.Headers["Cookie"]; ok || r.Headers["X-Test"][0] != "yes" {
		t.Errorf("headers: %v", r.Headers)
	}
}

func TestUnknownAPIPathIs404AndListed(t *testing.T) {
	ts, _ := newTestServer(t, dsYAML)
	status, body := do(t, "GET", ts.URL+"/api/search?query=x", "")
	if status != http.StatusNotFound || !strings.Contains(body, "unknown API path GET /api/search") {
		t.Errorf("GET /api/search: %d %s", status, body)
	}
	status, _ = do(t, "DELETE", ts.URL+"/api/datasources/uid/pulse-prometheus", "")
	if status != http.StatusNotFound {
		t.Errorf("DELETE of the data source: want 404 (not served), got %d", status)
	}
	status, _ = do(t, "GET", ts.URL+"/api/datasources/uid/someone-else", "")
	if status != http.StatusNotFound {
		t.Errorf("an unknown data source uid: want 404, got %d", status)
	}
	_, body = do(t, "GET", ts.URL+"/harness/unknown-api", "")
	var listed struct{ Paths []string }
	if err := json.Unmarshal([]byte(body), &listed); err != nil {
		t.Fatal(err)
	}
	want := []string{"GET /api/search", "DELETE /api/datasources/uid/pulse-prometheus"}
	if strings.Join(listed.Paths, "|") != strings.Join(want, "|") {
		t.Errorf("/harness/unknown-api lists %v, want %v", listed.Paths, want)
	}
}

func TestNestedDataSourceIsServedFromItsParentsFolder(t *testing.T) {
	ts, _ := newTestServer(t, dsYAML)
	_, body := do(t, "GET", ts.URL+"/api/plugins/pulse-prometheus-datasource/settings", "")
	var meta struct {
		BaseURL      string            `json:"baseUrl"`
		Module       string            `json:"module"`
		Translations map[string]string `json:"translations"`
		Info         struct{ Logos map[string]string }
	}
	if err := json.Unmarshal([]byte(body), &meta); err != nil {
		t.Fatal(err)
	}
	// As Grafana's plugin asset paths give a nested plugin: the parent's base URL and the folder below it.
	const base = "public/plugins/pulse-monitoring-app/datasource"
	if meta.BaseURL != base || meta.Module != base+"/module.js" || meta.Info.Logos["small"] != base+"/img/logo.svg" ||
		meta.Translations["en-US"] != base+"/locales/en-US/pulse-prometheus-datasource.json" {
		t.Errorf("nested data source settings: %+v", meta)
	}
	_, body = do(t, "GET", ts.URL+"/api/datasources/uid/pulse-prometheus", "")
	if !strings.Contains(body, `"typeLogoUrl":"`+base+`/img/logo.svg"`) {
		t.Errorf("data source DTO: %s", body)
	}
	_, body = do(t, "GET", ts.URL+"/api/plugins/pulse-monitoring-app/settings", "")
	if !strings.Contains(body, `"module":"public/plugins/pulse-monitoring-app/module.js"`) {
		t.Errorf("app settings: %s", body)
	}
}

func TestSubPath(t *testing.T) {
	ts, _ := newTestServer(t, dsYAML, func(s *server) { s.subPath = "/grafana"; s.baseURL = "http://x/grafana/" })
	status, body := do(t, "GET", ts.URL+"/grafana/a/pulse-monitoring-app/overview", "")
	if status != http.StatusOK {
		t.Fatalf("a page under the sub-path: %d %s", status, body)
	}
	for _, want := range []string{`<base href="/grafana/" />`, `src="/grafana/public/build/assets/index.js"`,
		`"appSubUrl":"/grafana"`, `"appUrl":"http://x/grafana/"`, `__grafana_public_path__ = '/grafana/public/'`} {
		if !strings.Contains(body, want) {
			t.Errorf("the host page under a sub-path lacks %s: %s", want, body)
		}
	}
	if status, body := do(t, "GET", ts.URL+"/grafana/api/plugins/pulse-monitoring-app/settings", ""); status != http.StatusOK ||
		!strings.Contains(body, `"defaultNavUrl":"/grafana/a/pulse-monitoring-app/overview"`) {
		t.Errorf("the API under the sub-path: %d %s", status, body)
	}
	// Outside the sub-path there is no Grafana: what lost the sub-path fails, and is listed.
	for _, path := range []string{"/a/pulse-monitoring-app/overview", "/api/datasources", "/public/plugins/pulse-monitoring-app/module.js"} {
		if status, _ := do(t, "GET", ts.URL+path, ""); status != http.StatusNotFound {
			t.Errorf("GET %s outside the sub-path: %d, want 404", path, status)
		}
	}
	_, body = do(t, "GET", ts.URL+"/grafana/harness/outside-sub-path", "")
	if !strings.Contains(body, `"GET /a/pulse-monitoring-app/overview","GET /api/datasources"`) {
		t.Errorf("/harness/outside-sub-path: %s", body)
	}
}

func TestViewerIsRefusedWritesAsGrafanaDoes(t *testing.T) {
	viewer := func(s *server) { s.role = roleViewer }
	ts, _ := newTestServer(t, dsYAML, viewer)
	for _, tc := range []struct{ method, path, body, permission string }{
		{"PUT", "/api/datasources/uid/pulse-prometheus", `{"url":"http://elsewhere","version":1}`, "datasources:write"},
		{"POST", "/api/plugins/pulse-monitoring-app/settings", `{"jsonData":{}}`, "plugins:write"},
		{"POST", "/api/v1/provisioning/alert-rules", `{}`, "alert.rules:create"},
		{"PUT", "/api/v1/provisioning/alert-rules/abc", `{}`, "alert.rules:write"},
		{"DELETE", "/api/v1/provisioning/alert-rules/abc", ``, "alert.provisioning:write"},
		{"PUT", "/api/v1/provisioning/folder/pulse/rule-groups/pulse-service", `{}`, "alert.provisioning:write"},
		{"POST", "/api/folders", `{"title":"Pulse"}`, "folders:create"},
		{"POST", "/api/ruler/grafana/api/v1/rules/folder-uid", `{}`, "alert.rules:create"},
	} {
		status, body := do(t, tc.method, ts.URL+tc.path, tc.body)
		if status != http.StatusForbidden || !strings.Contains(body, `"title":"Access denied"`) ||
			!strings.Contains(body, "Permissions needed: "+tc.permission) {
			t.Errorf("viewer %s %s: %d %s", tc.method, tc.path, status, body)
		}
	}
	// Reading and querying stay open to a viewer.
	for _, path := range []string{"/api/datasources/uid/pulse-prometheus", "/api/plugins/pulse-monitoring-app/settings"} {
		if status, body := do(t, "GET", ts.URL+path, ""); status != http.StatusOK {
			t.Errorf("viewer GET %s: %d %s", path, status, body)
		}
	}
	if status, body := do(t, "POST", ts.URL+"/api/ds/query", `{"queries":[{"refId":"A","datasource":{"uid":"pulse-prometheus"},"expr":"up"}]}`); status != http.StatusOK {
		t.Errorf("viewer query: %d %s", status, body)
	}
	_, page := do(t, "GET", ts.URL+"/a/pulse-monitoring-app/", "")
	if !strings.Contains(page, `"orgRole":"Viewer"`) || !strings.Contains(page, `"datasources:query":true`) ||
		strings.Contains(page, `"datasources:write"`) || strings.Contains(page, `"datasources:explore"`) {
		t.Errorf("viewer boot data: %s", page)
	}

	// An admin may write: the data source is saved; alerting is not served, so its writes are unknown API paths.
	admin, _ := newTestServer(t, dsYAML)
	if status, body := do(t, "PUT", admin.URL+"/api/datasources/uid/pulse-prometheus", `{"url":"http://elsewhere","version":1}`); status != http.StatusOK {
		t.Errorf("admin PUT: %d %s", status, body)
	}
	if status, _ := do(t, "POST", admin.URL+"/api/v1/provisioning/alert-rules", `{}`); status != http.StatusNotFound {
		t.Errorf("admin alert-rule write: %d, want 404 (not served)", status)
	}
	_, page = do(t, "GET", admin.URL+"/a/pulse-monitoring-app/", "")
	if !strings.Contains(page, `"orgRole":"Admin"`) || !strings.Contains(page, `"datasources:write":true`) {
		t.Errorf("admin boot data: %s", page)
	}
}
