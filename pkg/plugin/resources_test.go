package plugin

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

type captured struct{ resp *backend.CallResourceResponse }

func (c *captured) Send(r *backend.CallResourceResponse) error {
	if c.resp == nil {
		c.resp = r
		return nil
	}
	c.resp.Body = append(c.resp.Body, r.Body...)
	return nil
}

func callResource(t *testing.T, ds *Datasource, method, path string) (int, map[string]any, http.Header) {
	t.Helper()
	var c captured
	u, q, _ := strings.Cut(path, "?")
	err := ds.CallResource(context.Background(), &backend.CallResourceRequest{Method: method, Path: u, URL: path, Headers: map[string][]string{}}, &c)
	if err != nil {
		t.Fatal(err)
	}
	_ = q
	var body map[string]any
	if err := json.Unmarshal(c.resp.Body, &body); err != nil {
		t.Fatalf("%s: body %q is not JSON: %v", path, c.resp.Body, err)
	}
	return c.resp.Status, body, http.Header(c.resp.Headers)
}

func vectorOf(series ...string) string {
	return `{"status":"success","data":{"resultType":"vector","result":[` + strings.Join(series, ",") + `]}}`
}

func TestCatalogResource(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		_ = r.ParseForm()
		q := r.Form.Get("query")
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Set-Cookie", "session=upstream")
		switch {
		case strings.Contains(q, "nestjs_info"):
			_, _ = io.WriteString(w, vectorOf(
				`{"metric":{"domain":"shop","name":"shop.orders","version":"2.0.1","instance":"h:3001","job":"nestjs"},"value":[1,"1"]}`,
				`{"metric":{"domain":"shop","name":"shop.orders","version":"2.0.0","instance":"h:3003","job":"nestjs"},"value":[1,"1"]}`,
				`{"metric":{"domain":"shop","name":"shop.gateway","version":"1.4.2","instance":"h:3000","job":"nestjs"},"value":[1,"1"]}`))
		case strings.Contains(q, "nestjs_success_requests_count"):
			_, _ = io.WriteString(w, vectorOf(
				`{"metric":{"instance":"h:3001","job":"nestjs","controller":"OrdersController","handler":"create","method":"POST"},"value":[1,"1"]}`,
				`{"metric":{"instance":"h:3001","job":"nestjs","controller":"OrdersController","handler":"list","method":"GET"},"value":[1,"1"]}`,
				`{"metric":{"instance":"h:9999","job":"other","controller":"X","handler":"y","method":"GET"},"value":[1,"1"]}`))
		case strings.Contains(q, "node_uname_info"):
			_, _ = io.WriteString(w, vectorOf(`{"metric":{"instance":"h:9100","job":"node","nodename":"web-1"},"value":[1,"1"]}`))
		case strings.Contains(q, "container_memory_working_set_bytes"):
			_, _ = io.WriteString(w, vectorOf(
				`{"metric":{"id":"/pulse-demo-orders","instance":"h:8080"},"value":[1,"1"]}`,
				`{"metric":{"id":"/system.slice/cron.service","instance":"h:8080"},"value":[1,"1"]}`,
				`{"metric":{"id":"/docker/abc","name":"orders","image":"shop/orders:2","instance":"h:8080"},"value":[1,"1"]}`))
		case strings.Contains(q, "pg_stat_database_numbackends"):
			_, _ = io.WriteString(w, vectorOf(`{"metric":{"datname":"shop","instance":"h:9187","server":"127.0.0.1:5432"},"value":[1,"1"]}`))
		default:
			_, _ = io.WriteString(w, vectorOf())
		}
	}))
	defer srv.Close()
	ds := newInstance(t, srv.URL, `{}`, nil)
	status, body, headers := callResource(t, ds, "GET", "catalog?start=1700000000&end=1700003600")
	if status != 200 {
		t.Fatalf("status %d: %v", status, body)
	}
	if headers.Get("Set-Cookie") != "" {
		t.Error("an upstream Set-Cookie reached the resource answer")
	}
	raw, _ := json.Marshal(body)
	want := []string{
		`"name":"shop.orders"`, `"versions":["2.0.0","2.0.1"]`, `"name":"OrdersController"`,
		`"handlers":[{"methods":["POST"],"name":"create"},{"methods":["GET"],"name":"list"}]`,
		`"nodename":"web-1"`, `"id":"/pulse-demo-orders"`, `"name":"orders"`, `"name":"shop"`,
	}
	for _, w := range want {
		if !strings.Contains(string(raw), w) {
			t.Errorf("catalog lacks %s:\n%s", w, raw)
		}
	}
	if strings.Contains(string(raw), "system.slice") {
		t.Errorf("a systemd slice was listed as a container: %s", raw)
	}
	before := calls.Load()
	callResource(t, ds, "GET", "catalog?start=1700000000&end=1700003600")
	if calls.Load() != before {
		t.Error("the second identical catalog request was not served from the cache")
	}
}

func TestResourceRoutingAndRefusals(t *testing.T) {
	var paths []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		paths = append(paths, r.URL.EscapedPath())
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"status":"success","data":["a","b"]}`)
	}))
	defer srv.Close()
	ds := newInstance(t, srv.URL, `{}`, nil)

	if status, body, _ := callResource(t, ds, "GET", "api/v1/admin/tsdb/delete_series"); status != 404 || !strings.Contains(body["message"].(string), "unknown resource") {
		t.Errorf("unknown path: %d %v", status, body)
	}
	if status, _, _ := callResource(t, ds, "POST", "labels"); status != 405 {
		t.Errorf("POST: %d", status)
	}
	if status, _, _ := callResource(t, ds, "GET", "label-values"); status != 400 {
		t.Errorf("label-values without label: %d", status)
	}
	if status, _, _ := callResource(t, ds, "GET", "labels?start=yesterday"); status != 400 {
		t.Errorf("bad start: %d", status)
	}
	for _, label := range []string{"job", "../../admin", "a/b", "http.method", "日本"} {
		status, body, _ := callResource(t, ds, "GET", "label-values?label="+urlEscape(label))
		if status != 200 || len(body["values"].([]any)) != 2 {
			t.Errorf("label %q: %d %v", label, status, body)
		}
	}
	for _, p := range paths {
		seg := strings.TrimSuffix(strings.TrimPrefix(p, "/api/v1/label/"), "/values")
		if strings.Contains(seg, "/") || strings.Contains(seg, "..") || strings.Contains(seg, "%2F") {
			t.Errorf("label name escaped into the path: %s", p)
		}
	}
}

func urlEscape(s string) string {
	r := strings.NewReplacer("/", "%2F", " ", "%20")
	return r.Replace(s)
}

func TestLabelPathSegment(t *testing.T) {
	for in, want := range map[string]string{
		"job":         "job",
		"http.method": "U__http_2e_method",
		"a_b.c":       "U__a__b_2e_c",
		"../../admin": "U___2e__2e__2f__2e__2e__2f_admin",
		"日本":          "U___65e5__672c_",
	} {
		if got := labelPathSegment(in); got != want {
			t.Errorf("labelPathSegment(%q) = %q, want %q", in, got, want)
		}
	}
}
