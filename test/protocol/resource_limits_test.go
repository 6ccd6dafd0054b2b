package protocol_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

// TestResourceLimitsThroughThePlugin sends the built binary what a careless or hostile caller
// might: megabyte parameters, paths that a URL cleaner would rewrite, times no clock can hold.
// The upstream is a stand-in that answers every call as an empty Prometheus would, so what is
// measured is the plugin alone.
func TestResourceLimitsThroughThePlugin(t *testing.T) {
	upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch {
		case r.URL.Path == "/api/v1/query" && strings.Contains(r.FormValue("query"), "far_future"):
			_, _ = io.WriteString(w, `{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1e18,"1"]}]}}`)
		case r.URL.Path == "/api/v1/query" || r.URL.Path == "/api/v1/query_range":
			_, _ = io.WriteString(w, `{"status":"success","data":{"resultType":"vector","result":[]}}`)
		case r.URL.Path == "/api/v1/targets":
			_, _ = io.WriteString(w, `{"status":"success","data":{"activeTargets":[]}}`)
		case r.URL.Path == "/api/v1/metadata":
			_, _ = io.WriteString(w, `{"status":"success","data":{}}`)
		default:
			_, _ = io.WriteString(w, `{"status":"success","data":["a","b"]}`)
		}
	}))
	defer upstream.Close()

	plugin, _ := startPlugin(t)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	ds := settings(upstream.URL, map[string]any{}, nil)
	call := func(t *testing.T, path, rawURL string) (int, string) {
		t.Helper()
		resp, err := plugin.CallResource(ctx, ds, &backend.CallResourceRequest{Method: http.MethodGet, Path: path, URL: rawURL})
		if err != nil {
			t.Fatalf("%.60s: %v", rawURL, err)
		}
		var body struct{ Message string }
		if resp.Status != http.StatusOK {
			if err := json.Unmarshal(resp.Body, &body); err != nil {
				t.Fatalf("%.60s: status %d, body is not JSON: %.200s", rawURL, resp.Status, resp.Body)
			}
		}
		return resp.Status, body.Message
	}

	// 300 calls with a distinct 1 MB parameter each (refused), then 300 with distinct parameters
	// under the limits (served: junk the route does not read shares one cache entry, distinct
	// selectors take entries the cache's bounds let go of).
	t.Run("600 calls with distinct junk parameters leave the RSS flat", func(t *testing.T) {
		for _, p := range []string{"catalog", "labels", "label-values?label=job", "metrics"} {
			name, _, _ := strings.Cut(p, "?")
			if status, msg := call(t, name, p); status != http.StatusOK {
				t.Fatalf("%s: %d %s", p, status, msg)
			}
		}
		before := vmRSS(t, plugin.Pid())
		rounds := []struct {
			junk   string
			shapes []struct{ path, query string }
		}{
			{strings.Repeat("x", 1<<20), []struct{ path, query string }{
				{"catalog", "start=1700000000&end=1700003600&junk=%d%s"},
				{"labels", "match[]=up{x=\"%d%s\"}"},
				{"label-values", "label=l%d%s"},
				{"metrics", "match[]=up&junk=%d%s"},
			}},
			{strings.Repeat("x", 12<<10), []struct{ path, query string }{
				{"catalog", "start=1700000000&end=1700003600&junk=%d%[2]s%[2]s%[2]s%[2]s"},
				{"labels", "match[]=up{x=\"%d%s\"}"},
				{"label-values", "label=job&match[]=up{x=\"%d%s\"}"},
				{"metrics", "match[]=up&junk=%d%[2]s%[2]s%[2]s%[2]s"},
			}},
		}
		for r, round := range rounds {
			served, refused := 0, 0
			for i := 0; i < 300; i++ {
				s := round.shapes[i%len(round.shapes)]
				status, msg := call(t, s.path, s.path+"?"+fmt.Sprintf(s.query, i, round.junk))
				switch status {
				case http.StatusOK:
					served++
				case http.StatusBadRequest:
					refused++
					if len(msg) > 400 || strings.Contains(msg, strings.Repeat("x", 100)) {
						t.Fatalf("%s: the refusal echoes the junk (%d bytes): %.200s", s.path, len(msg), msg)
					}
				default:
					t.Fatalf("%s: status %d: %.200s", s.path, status, msg)
				}
			}
			after := vmRSS(t, plugin.Pid())
			t.Logf("round %d (%d KB junk): plugin VmRSS before %d MB, after 300 calls %d MB (%d served, %d refused with 400)",
				r+1, len(round.junk)>>10, before>>10, after>>10, served, refused)
			if growth := after - before; growth > 60<<10 {
				t.Errorf("the plugin's RSS grew by %d MB, want < 60 MB", growth>>10)
			}
		}
	})

	t.Run("paths outside the routes answer the JSON 404, never a redirect", func(t *testing.T) {
		for _, p := range []string{
			"catalog/../targets", "//catalog", "./catalog", "catalog/.", "catalog/", "/catalog/", "targets/..",
			"%2e%2e/catalog", "catalog%2f..%2ftargets", "%2fcatalog", "catalog%2F", "labels%00", "catalog%zz", "",
		} {
			status, msg := call(t, p, p+"?start=1700000000")
			if status != http.StatusNotFound || !strings.Contains(msg, "unknown resource") {
				t.Errorf("%q: %d %q, want the JSON 404", p, status, msg)
			}
		}
		if status, msg := call(t, "targets", "targets"); status != http.StatusOK {
			t.Errorf("targets: %d %s", status, msg)
		}
	})

	t.Run("times no sane caller sends are refused with the accepted range", func(t *testing.T) {
		farFuture := strconv.FormatInt(time.Now().AddDate(2, 0, 0).Unix(), 10)
		for _, q := range []string{
			"start=1e300", "start=NaN", "end=NaN", "start=Inf", "end=-Inf", "start=-1e12", "end=" + farFuture,
			"start=0x1p40", "start=9999-12-31T23:59:59Z",
		} {
			for _, route := range []string{"catalog", "labels"} {
				status, msg := call(t, route, route+"?"+q)
				if status != http.StatusBadRequest || !strings.Contains(msg, "1970-01-01") {
					t.Errorf("%s?%s: %d %q, want 400 naming the accepted range", route, q, status, msg)
				}
			}
		}
	})

	t.Run("a sample timestamp beyond what a frame can hold is an error, not 1970", func(t *testing.T) {
		raw, _ := json.Marshal(map[string]any{"refId": "A", "expr": "far_future", "instant": true})
		now := time.Now()
		res, err := plugin.QueryData(ctx, ds, []backend.DataQuery{{RefID: "A", JSON: raw, TimeRange: backend.TimeRange{From: now.Add(-time.Hour), To: now}}})
		if err != nil {
			t.Fatal(err)
		}
		r := res.Responses["A"]
		if r.Error == nil || !strings.Contains(r.Error.Error(), "not a valid time") {
			t.Fatalf("error %v, frames %d: want the invalid-time error", r.Error, len(r.Frames))
		}
	})
}

// vmRSS reads a process' resident set size in KiB from /proc.
func vmRSS(t *testing.T, pid int) int {
	t.Helper()
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, err := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
			if err != nil {
				t.Fatal(err)
			}
			return kb
		}
	}
	t.Fatalf("no VmRSS in /proc/%d/status", pid)
	return 0
}
