package plugin

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/pulse-monitoring/pulse/pkg/redact"
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

// The cache key comes from the parsed parameters a route reads: the same question in another
// order or spelling is one entry, and parameters the route does not read never reach the key.
func TestResourceCacheKeys(t *testing.T) {
	all := readsLabel | readsMatch | readsRange
	tests := []struct {
		name       string
		reads      paramSet
		a, b       string
		sameAnswer bool
	}{
		{"match[] order", all, "match[]=up&match[]=node_load1", "match[]=node_load1&match[]=up", true},
		{"match[] duplicates and blanks", all, "match[]=up&match[]=up&match[]=%20", "match[]=up", true},
		{"parameter order", all, "label=job&start=1700000000&end=1700003600", "end=1700003600&label=job&start=1700000000", true},
		{"unix seconds, fractions and RFC 3339", all, "start=1700000000&end=1700003600", "start=2023-11-14T22:13:20Z&end=1700003600.75", true},
		{"unknown parameters", all, "match[]=up&junk=1", "match[]=up&other=" + strings.Repeat("y", 1000), true},
		{"catalog reads only the range", readsRange, "start=1700000000&match[]=up&label=job", "start=1700000000", true},
		{"exporters read nothing", 0, "start=1&end=2&match[]=up", "", true},
		{"other selector", all, "match[]=up", "match[]=down", false},
		{"other label", all, "label=job", "label=instance", false},
		{"other start", all, "start=1700000000", "start=1700000001", false},
		{"range given or not", all, "", "start=1700000000", false},
		{"end given or not", all, "start=1700000000", "start=1700000000&end=1700003600", false},
		{"a label is not a selector", all, "label=up", "match[]=up", false},
	}
	now := time.Unix(1700007200, 0)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			pa, err := readParams(tc.a, tc.reads, now)
			if err != nil {
				t.Fatal(err)
			}
			pb, err := readParams(tc.b, tc.reads, now)
			if err != nil {
				t.Fatal(err)
			}
			if same := pa.cacheKey("labels") == pb.cacheKey("labels"); same != tc.sameAnswer {
				t.Errorf("keys %s and %s: same %v, want %v", pa.cacheKey("labels"), pb.cacheKey("labels"), same, tc.sameAnswer)
			}
		})
	}
	p, _ := readParams("", 0, now)
	if p.cacheKey("targets") == p.cacheKey("exporters") {
		t.Error("two routes share a key")
	}
}

func TestResourceParamLimits(t *testing.T) {
	all := readsLabel | readsMatch | readsRange
	junk := strings.Repeat("x", 1<<20)
	tests := []struct {
		name, query string
		reads       paramSet
		want        string // in the 400's message; "" for accepted
	}{
		{"a 1 MB unknown parameter", "junk=" + junk, 0, "more than the 64 KB"},
		{"a 1 MB selector", "match[]=up{x=\"" + junk + "\"}", all, "more than the 64 KB"},
		{"a 17 KB selector", "match[]=up{x=\"" + junk[:17<<10] + "\"}", all, `a match[] selector (beginning "up{x=\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…") is 18 KB; each may be at most 16 KB`},
		{"a 15 KB selector", "match[]=up{x=\"" + junk[:15<<10] + "\"}", all, ""},
		{"a 2 KB label", "label=" + junk[:2<<10], all, "a label name may be at most 1 KB"},
		{"a 2 KB label on a route that does not read it", "label=" + junk[:2<<10], readsRange, ""},
		{"21 selectors", strings.Repeat("match[]=a&", 10) + "match[]=" + strings.Join(strings.Split("abcdefghijklmnopqrstu", ""), "&match[]="), all, "at most 20 match[] selectors"},
		{"a 1 KB start", "start=" + junk[:1<<10], all, `start="xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…" is not a time`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := readParams(tc.query, tc.reads, time.Now())
			if tc.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			var bad badRequest
			if !errors.As(err, &bad) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want a bad request saying %s", err, tc.want)
			}
			if len(err.Error()) > 300 {
				t.Errorf("the message echoes what was sent (%d bytes): %.100s", len(err.Error()), err)
			}
		})
	}
}

func TestResourceTimeRange(t *testing.T) {
	now := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		start, end string
		want       string // start,end in unix seconds, or the error
	}{
		{"", "", "1748775600,1748779200"},
		{"1700000000", "1700003600", "1700000000,1700003600"},
		{"1700000000.9", "2023-11-14T23:13:20.5Z", "1700000000,1700003600"},
		{"0", "1", "0,1"},
		{"", "1780315200", "1748775600,1780315200"}, // a year ahead
		{"1e300", "", "not a time Pulse accepts"},
		{"NaN", "", "not a time Pulse accepts"},
		{"", "NaN", "not a time Pulse accepts"},
		{"Inf", "", "not a time Pulse accepts"},
		{"", "-Inf", "not a time Pulse accepts"},
		{"-1", "", "not a time Pulse accepts"},
		{"-1e12", "", "not a time Pulse accepts"},
		{"", "1780315201", "not a time Pulse accepts"},
		{"0x1p40", "", "not a time Pulse accepts"},
		{"1e400", "", "not a time Pulse accepts"},
		{"9999-12-31T23:59:59Z", "", "not a time Pulse accepts"},
		{"1969-12-31T23:59:59Z", "", "not a time Pulse accepts"},
		{"yesterday", "", "not a time Pulse accepts"},
		{"1700003600", "1700000000", "end is before start"},
	}
	for _, tc := range tests {
		t.Run(tc.start+","+tc.end, func(t *testing.T) {
			start, end, err := timeRange(tc.start, tc.end, now)
			got := ""
			if err != nil {
				got = err.Error()
				if _, ok := err.(badRequest); !ok {
					t.Errorf("%T is not a bad request", err)
				}
				if !strings.Contains(got, "end is before start") && !strings.Contains(got, "from 1970-01-01 to one year from now") {
					t.Errorf("%q does not say the accepted range", got)
				}
			} else {
				got = strconv.FormatInt(start.Unix(), 10) + "," + strconv.FormatInt(end.Unix(), 10)
			}
			if !strings.Contains(got, tc.want) {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

// Every path that is not exactly a route's name gets the JSON 404, never a redirect: a path
// cleaner would send "catalog/../targets" to a Location outside the resource prefix.
func TestResourcePathsOutsideTheRoutes(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Path == "/api/v1/targets" {
			_, _ = io.WriteString(w, `{"status":"success","data":{"activeTargets":[]}}`)
			return
		}
		_, _ = io.WriteString(w, `{"status":"success","data":["a"]}`)
	}))
	defer srv.Close()
	ds := newInstance(t, srv.URL, `{}`, nil)
	tests := []struct {
		path   string
		status int
	}{
		{"catalog/../targets", 404}, {"targets/..", 404}, {"//catalog", 404}, {"/catalog/", 404},
		{"./catalog", 404}, {"catalog/.", 404}, {"catalog/", 404}, {"labels//", 404},
		{"%2e%2e/targets", 404}, {"catalog%2f..%2ftargets", 404}, {"%2fcatalog", 404}, {"catalog%2F", 404},
		{"catalog%zz", 404}, {"Catalog", 404}, {"catalog\x00", 404}, {"", 404}, {"/", 404},
		{"api/v1/admin/tsdb/delete_series", 404}, {strings.Repeat("a", 1<<20), 404},
		{"catalog", 200}, {"/catalog", 200}, {"targets", 200}, {"labels", 200}, {"label-values?label=job", 200}, {"metrics", 200},
	}
	for _, tc := range tests {
		t.Run(redact.Clip(tc.path, 40), func(t *testing.T) {
			status, body, headers := callResource(t, ds, "GET", tc.path)
			if status != tc.status {
				t.Fatalf("status %d, want %d: %v", status, tc.status, body)
			}
			if headers.Get("Location") != "" {
				t.Errorf("a Location header: %s", headers.Get("Location"))
			}
			if tc.status == 404 {
				msg, _ := body["message"].(string)
				if !strings.Contains(msg, "unknown resource") || len(msg) > 200 {
					t.Errorf("message %.200q", msg)
				}
			}
		})
	}
}

// Junk in parameters a route does not read is neither an error nor a new cache entry.
func TestResourceJunkParametersShareOneCacheEntry(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"status":"success","data":["a","b"]}`)
	}))
	defer srv.Close()
	ds := newInstance(t, srv.URL, `{}`, nil)
	for i := 0; i < 50; i++ {
		status, body, _ := callResource(t, ds, "GET", "labels?match[]=up&junk"+strconv.Itoa(i)+"="+strings.Repeat("j", 30<<10))
		if status != 200 {
			t.Fatalf("%d %v", status, body)
		}
	}
	if calls.Load() != 1 || ds.cache.order.Len() != 1 {
		t.Errorf("%d upstream calls and %d cache entries, want 1 and 1", calls.Load(), ds.cache.order.Len())
	}
}
