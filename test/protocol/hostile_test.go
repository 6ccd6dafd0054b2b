package protocol_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

// The hostile upstreams of issue #13, through the built binary: each row is an upstream (or a
// proxy in front of it) that misbehaves in one way, and every entry point of the plugin — Save &
// test, queries (range, instant, exemplars), every resource — is called against it. The
// reliability reference lists the bad inputs; the project's own list of them is here and beside:
//
//	secrets echoed in 400/422/503 JSON errors, 5xx text, malformed JSON, warnings  TestEchoedSecretsNeverLeave
//	302/307/308 to another host (every auth kind), same-origin redirect, probe     TestRedirectsStayOnTheConfiguredHost
//	invalid UTF-8 in a 422 error, a 500 body, a warning and a label                TestInvalidUTF8FailsOnlyItsQuery
//	a stalled body, a body cut at 1 KB (chunked and short of its Content-Length)   TestReadFailuresSayWhatHappened
//	answers over the size cap, Grafana's limit winning; requests in flight         TestResponseSizeLimit, TestRequestsInFlightAreBounded (limits_test.go)
//	junk resource parameters (memory), .. and // paths, senseless times, 1e18      TestResourceLimitsThroughThePlugin (resource_limits_test.go)
//	16 concurrent 50 MB answers (peak RSS against its bound)                       BenchmarkMemory (memory_bench_test.go)
//	401 with the token echoed, unreachable URL, not a Prometheus API               TestProtocolAgainstRealPrometheus
//	bad label values selected exactly by the rendered selectors                    escaping_test.go

// credentials is one way a data source authenticates; each value is a secret to look for.
type credentials struct {
	name     string
	url      func(base string) string
	jsonData map[string]any
	secure   map[string]string
	basic    string // user of basic auth, when it is on
	// forms are the texts a leak would show: each secret as it is and as it travels.
	forms []string
	// sent are the request header values the upstream must have seen (so an echo can leak them).
	sent []string
}

func credentialKinds() []credentials {
	const (
		password  = "pw-5be2c1d9"
		token     = "tok-a81f0e77"
		headerVal = "hdr-0c3d9e4f"
		urlPass   = "urlpw-7e21"
	)
	basicPair := base64.StdEncoding.EncodeToString([]byte("grafana:" + password))
	urlPair := base64.StdEncoding.EncodeToString([]byte("urluser:" + urlPass))
	return []credentials{
		{
			name:     "basic auth, custom header",
			url:      func(base string) string { return base },
			jsonData: map[string]any{"httpHeaderName1": "X-Api-Key"},
			secure:   map[string]string{"basicAuthPassword": password, "httpHeaderValue1": headerVal},
			basic:    "grafana",
			forms:    []string{password, basicPair, headerVal},
			sent:     []string{"Basic " + basicPair, headerVal},
		},
		{
			// Go's client sends a URL's userinfo as basic auth when nothing else sets Authorization.
			name:  "URL userinfo",
			url:   func(base string) string { return strings.Replace(base, "http://", "http://urluser:"+urlPass+"@", 1) },
			forms: []string{urlPass, urlPair},
			sent:  []string{"Basic " + urlPair},
		},
		{
			name:     "bearer token, custom header",
			url:      func(base string) string { return base },
			jsonData: map[string]any{"httpHeaderName1": "X-Scope-OrgID"},
			secure:   map[string]string{"bearerToken": token, "httpHeaderValue1": headerVal},
			forms:    []string{token, headerVal},
			sent:     []string{"Bearer " + token, headerVal},
		},
	}
}

func (c credentials) settings(base string) *backend.DataSourceInstanceSettings {
	jd := map[string]any{"timeInterval": "15s"}
	for k, v := range c.jsonData {
		jd[k] = v
	}
	s := settings(c.url(base), jd, c.secure)
	// Each data source its own UID: the plugin keeps one instance (and its HTTP client) per UID.
	s.UID = fmt.Sprintf("hostile-%d", time.Now().UnixNano())
	if c.basic != "" {
		s.BasicAuthEnabled, s.BasicAuthUser = true, c.basic
	}
	return s
}

// echo is what a header-echoing upstream puts into its answer: every request header and the query.
func echo(r *http.Request) string {
	var lines []string
	for k, vs := range r.Header {
		lines = append(lines, k+": "+strings.Join(vs, ","))
	}
	sort.Strings(lines)
	return "request was " + r.Method + " " + r.URL.Path + " with " + strings.Join(lines, "; ")
}

type secretEchoMode struct {
	name string
	// quotesNothing: Pulse's answer quotes nothing of this upstream's text (a JSON parser's
	// complaint is kept without its excerpt), so no [redacted] mark is expected either.
	quotesNothing bool
	serve         func(w http.ResponseWriter, r *http.Request)
}

func jsonAnswer(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// The ways an upstream echoes what it was sent (issue #13, item 2).
var secretEchoModes = []secretEchoMode{
	{"400 JSON error", false, func(w http.ResponseWriter, r *http.Request) {
		jsonAnswer(w, 400, map[string]any{"status": "error", "errorType": "bad_data", "error": echo(r)})
	}},
	{"422 JSON error", false, func(w http.ResponseWriter, r *http.Request) {
		jsonAnswer(w, 422, map[string]any{"status": "error", "errorType": "execution", "error": echo(r)})
	}},
	{"503 JSON error", false, func(w http.ResponseWriter, r *http.Request) {
		jsonAnswer(w, 503, map[string]any{"status": "error", "errorType": "unavailable", "error": echo(r)})
	}},
	{"500 text body", false, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(500)
		_, _ = io.WriteString(w, echo(r))
	}},
	{"502 text body", false, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(502)
		_, _ = io.WriteString(w, echo(r))
	}},
	{"malformed JSON body", true, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"status":"success","data":{"resultType":"vector","result":[`+echo(r)+`]}}`)
	}},
	{"warnings and infos", false, func(w http.ResponseWriter, r *http.Request) {
		var data any = map[string]any{"resultType": "vector", "result": []any{map[string]any{"metric": map[string]string{"job": "x"}, "value": []any{1, "1"}}}}
		switch {
		case strings.HasPrefix(r.URL.Path, "/api/v1/label"):
			data = []string{"a"}
		case r.URL.Path == "/api/v1/status/buildinfo":
			data = map[string]string{"version": "2.42.0"}
		case r.URL.Path == "/api/v1/targets":
			data = map[string]any{"activeTargets": []any{}}
		case r.URL.Path == "/api/v1/query_exemplars":
			data = []any{}
		}
		jsonAnswer(w, 200, map[string]any{"status": "success", "data": data, "warnings": []string{echo(r)}, "infos": []string{echo(r)}})
	}},
}

// outputs calls every entry point and gathers each text the plugin hands back.
type outputs map[string]string

func callEverything(ctx context.Context, t *testing.T, call pluginCalls, ds *backend.DataSourceInstanceSettings) outputs {
	t.Helper()
	out := outputs{}
	res, err := call.plugin.CheckHealth(ctx, ds)
	if err != nil {
		t.Fatalf("CheckHealth failed over gRPC (one bad upstream text must not break the answer): %v", err)
	}
	out["health message"] = res.Message
	out["health details"] = string(res.JSONDetails)

	to := time.Now()
	q := func(refID string, model map[string]any) backend.DataQuery {
		model["refId"] = refID
		raw, _ := json.Marshal(model)
		return backend.DataQuery{RefID: refID, JSON: raw, TimeRange: backend.TimeRange{From: to.Add(-time.Hour), To: to}, Interval: 15 * time.Second, MaxDataPoints: 100}
	}
	resp, err := call.plugin.QueryData(ctx, ds, []backend.DataQuery{
		q("range", map[string]any{"expr": "up", "range": true, "exemplar": true}),
		q("instant", map[string]any{"expr": "up", "instant": true, "range": false}),
	})
	if err != nil {
		t.Fatalf("QueryData failed over gRPC (one bad upstream text must not break the answer): %v", err)
	}
	for refID, r := range resp.Responses {
		if r.Error != nil {
			out["query "+refID+" error"] = r.Error.Error()
		}
		for i, f := range r.Frames {
			raw, _ := json.Marshal(f)
			out[fmt.Sprintf("query %s frame %d", refID, i)] = string(raw)
		}
	}
	for _, path := range []string{"catalog", "exporters", "targets", "labels", "label-values?label=job", "metrics"} {
		out["resource "+path] = call.resource(ctx, t, ds, path).body
	}
	return out
}

type pluginCalls struct{ plugin pluginLike }

// pluginLike is the part of pluginhost.Plugin the table uses.
type pluginLike interface {
	CheckHealth(context.Context, *backend.DataSourceInstanceSettings) (*backend.CheckHealthResult, error)
	QueryData(context.Context, *backend.DataSourceInstanceSettings, []backend.DataQuery) (*backend.QueryDataResponse, error)
	CallResource(context.Context, *backend.DataSourceInstanceSettings, *backend.CallResourceRequest) (*backend.CallResourceResponse, error)
}

type resourceAnswer struct {
	status int
	body   string
}

func (c pluginCalls) resource(ctx context.Context, t *testing.T, ds *backend.DataSourceInstanceSettings, path string) resourceAnswer {
	t.Helper()
	p, _, _ := strings.Cut(path, "?")
	resp, err := c.plugin.CallResource(ctx, ds, &backend.CallResourceRequest{Method: http.MethodGet, Path: p, URL: path})
	if err != nil {
		t.Fatalf("resource %s failed over gRPC: %v", path, err)
	}
	return resourceAnswer{resp.Status, string(resp.Body)}
}

// recorder keeps what an upstream received.
type recorder struct {
	mu   sync.Mutex
	seen []string
}

func (r *recorder) add(s string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.seen = append(r.seen, s)
}

func (r *recorder) all() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return strings.Join(r.seen, "\n")
}

func (r *recorder) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.seen)
}

// Item 2: whatever an upstream echoes, no form of any secret reaches an error, a notice, a
// health result, a resource body or the plugin's log.
func TestEchoedSecretsNeverLeave(t *testing.T) {
	plugin, logs := startPlugin(t)
	call := pluginCalls{plugin}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	for _, mode := range secretEchoModes {
		for _, cred := range credentialKinds() {
			t.Run(mode.name+" / "+cred.name, func(t *testing.T) {
				got := &recorder{}
				upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					got.add(echo(r))
					mode.serve(w, r)
				}))
				defer upstream.Close()
				out := callEverything(ctx, t, call, cred.settings(upstream.URL))

				// The test can only fail if the upstream really had the secrets to echo.
				for _, s := range cred.sent {
					if !strings.Contains(got.all(), s) {
						t.Fatalf("the upstream never received %q: the data source's credentials are not set as the test means; it got %s", s, got.all())
					}
				}
				for where, text := range out {
					for _, form := range cred.forms {
						if strings.Contains(text, form) {
							t.Errorf("%s holds the secret %q: %s", where, form, text)
						}
					}
				}
				if !mode.quotesNothing && !strings.Contains(strings.Join(values(out), "\n"), "[redacted]") {
					t.Errorf("no output shows [redacted], so no echo reached an output: the mode tests nothing\n%v", out)
				}
			})
		}
	}
	for _, cred := range credentialKinds() {
		for _, form := range cred.forms {
			if strings.Contains(logs.String(), form) {
				t.Errorf("the plugin log holds the secret %q", form)
			}
		}
	}
}

func values(m outputs) []string {
	var out []string
	for _, v := range m {
		out = append(out, v)
	}
	return out
}

// Item 1: a redirect to another host, scheme or port is not followed — the credentials and
// custom headers never reach it — and every entry point says where it was sent, without the
// redirect's query string. A redirect on the same origin is followed.
func TestRedirectsStayOnTheConfiguredHost(t *testing.T) {
	plugin, logs := startPlugin(t)
	call := pluginCalls{plugin}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	elsewhere := &recorder{}
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		elsewhere.add(echo(r))
		jsonAnswer(w, 200, map[string]any{"status": "success", "data": []string{}})
	}))
	defer other.Close()
	// The same server by another name: 127.0.0.1 and localhost are different hosts to a browser
	// and to a credential.
	otherByName := strings.Replace(other.URL, "127.0.0.1", "localhost", 1)

	for _, status := range []int{http.StatusFound, http.StatusTemporaryRedirect, http.StatusPermanentRedirect} {
		for _, cred := range credentialKinds() {
			t.Run(fmt.Sprintf("%d / %s", status, cred.name), func(t *testing.T) {
				redirecting := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					http.Redirect(w, r, otherByName+r.URL.Path+"?next="+url.QueryEscape(r.URL.RawQuery)+"&sig=query-secret-1", status)
				}))
				defer redirecting.Close()
				out := callEverything(ctx, t, call, cred.settings(redirecting.URL))
				if n := elsewhere.count(); n > 0 {
					t.Fatalf("%d requests reached the other host:\n%s", n, elsewhere.all())
				}
				host := strings.TrimPrefix(otherByName, "http://")
				for where, text := range out {
					if strings.Contains(text, "query-secret-1") || strings.Contains(text, "next=") {
						t.Errorf("%s quotes the redirect's query string: %s", where, text)
					}
					if strings.HasPrefix(where, "query") || strings.HasPrefix(where, "health message") {
						if !strings.Contains(text, host) && !strings.Contains(where, "frame") {
							t.Errorf("%s does not name the host it was sent to (%s): %s", where, host, text)
						}
					}
				}
				for _, path := range []string{"labels", "label-values?label=job", "targets", "catalog"} {
					if a := call.resource(ctx, t, cred.settings(redirecting.URL), path); path != "catalog" && (a.status < 400 || !strings.Contains(a.body, host)) {
						t.Errorf("resource %s: %d %s, want an error naming %s", path, a.status, a.body, host)
					}
				}
			})
		}
	}

	t.Run("a redirect on the same origin is followed, credentials included", func(t *testing.T) {
		cred := credentialKinds()[2]
		got := &recorder{}
		var srv *httptest.Server
		srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !strings.HasPrefix(r.URL.Path, "/prom/") {
				http.Redirect(w, r, srv.URL+"/prom"+r.URL.Path+"?"+r.URL.RawQuery, http.StatusTemporaryRedirect)
				return
			}
			got.add(echo(r))
			jsonAnswer(w, 200, map[string]any{"status": "success", "data": map[string]any{"resultType": "vector", "result": []any{}}})
		}))
		defer srv.Close()
		raw, _ := json.Marshal(map[string]any{"expr": "up", "instant": true})
		resp, err := plugin.QueryData(ctx, cred.settings(srv.URL), []backend.DataQuery{{RefID: "A", JSON: raw, TimeRange: backend.TimeRange{From: time.Now().Add(-time.Minute), To: time.Now()}}})
		if err != nil || resp.Responses["A"].Error != nil {
			t.Fatalf("%v %v", err, resp.Responses["A"].Error)
		}
		if !strings.Contains(got.all(), cred.sent[0]) {
			t.Errorf("the redirected request lost its credentials: %s", got.all())
		}
	})

	t.Run("the target diagnosis does not follow a failing target's redirect elsewhere", func(t *testing.T) {
		target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, otherByName+"/metrics", http.StatusFound)
		}))
		defer target.Close()
		prom := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			jsonAnswer(w, 200, map[string]any{"status": "success", "data": map[string]any{"activeTargets": []any{map[string]any{
				"labels": map[string]string{"job": "app", "instance": "x"}, "scrapeUrl": target.URL + "/metrics", "health": "down",
				"lastError": `expected a valid start token, got "\u003c" ("INVALID") while parsing: "\u003c"`,
			}}}})
		}))
		defer prom.Close()
		before := elsewhere.count()
		a := call.resource(ctx, t, settings(prom.URL, nil, nil), "targets")
		if a.status != 200 {
			t.Fatalf("targets: %d %s", a.status, a.body)
		}
		if elsewhere.count() != before {
			t.Errorf("the diagnosis probe followed the target's redirect to another host")
		}
	})
	if strings.Contains(logs.String(), "query-secret-1") {
		t.Errorf("the plugin log quotes a redirect's query string")
	}
}

// Item 3: invalid UTF-8 in one upstream text fails only its own query, and the health check
// answers with a readable error.
func TestInvalidUTF8FailsOnlyItsQuery(t *testing.T) {
	plugin, _ := startPlugin(t)
	call := pluginCalls{plugin}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	good := `{"status":"success","data":{"resultType":"vector","result":[{"metric":{"job":"ok"},"value":[1,"1"]}]}}`
	modes := map[string]func(w http.ResponseWriter){
		"422 JSON error": func(w http.ResponseWriter) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(422)
			_, _ = io.WriteString(w, "{\"status\":\"error\",\"errorType\":\"execution\",\"error\":\"bad \xff byte\"}")
		},
		"500 text body": func(w http.ResponseWriter) {
			w.Header().Set("Content-Type", "text/plain")
			w.WriteHeader(500)
			_, _ = io.WriteString(w, "bad \xff\xfe byte")
		},
		"warning": func(w http.ResponseWriter) {
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, "{\"status\":\"success\",\"warnings\":[\"w \xff\"],\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{\"job\":\"\xff\"},\"value\":[1,\"1\"]}]}}")
		},
	}
	for name, bad := range modes {
		t.Run(name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				_ = r.ParseForm()
				if r.Form.Get("query") == "up" {
					w.Header().Set("Content-Type", "application/json")
					_, _ = io.WriteString(w, good)
					return
				}
				bad(w)
			}))
			defer srv.Close()
			ds := settings(srv.URL, nil, nil)
			ds.UID = "utf8-" + name
			now := time.Now()
			mk := func(refID, expr string) backend.DataQuery {
				raw, _ := json.Marshal(map[string]any{"expr": expr, "instant": true})
				return backend.DataQuery{RefID: refID, JSON: raw, TimeRange: backend.TimeRange{From: now.Add(-time.Minute), To: now}}
			}
			resp, err := plugin.QueryData(ctx, ds, []backend.DataQuery{mk("bad", "broken"), mk("good", "up")})
			if err != nil {
				t.Fatalf("the whole answer failed: %v", err)
			}
			if g := resp.Responses["good"]; g.Error != nil || len(g.Frames) != 1 {
				t.Errorf("the good query was lost: %v", g.Error)
			}
			b := resp.Responses["bad"]
			if name != "warning" && (b.Error == nil || !utf8.ValidString(b.Error.Error()) || !strings.Contains(b.Error.Error(), "\uFFFD")) {
				t.Errorf("bad query: %v, want its error with the bad bytes replaced", b.Error)
			}
			if name == "warning" {
				raw, _ := json.Marshal(b.Frames)
				if b.Error != nil || !utf8.Valid(raw) || !strings.Contains(string(raw), "\uFFFD") {
					t.Errorf("warning: %v %s", b.Error, raw)
				}
			}
			res, err := plugin.CheckHealth(ctx, ds)
			if err != nil {
				t.Fatalf("health failed over gRPC: %v", err)
			}
			if !utf8.ValidString(res.Message) {
				t.Errorf("health message %q", res.Message)
			}
			if a := call.resource(ctx, t, ds, "labels"); !utf8.ValidString(a.body) {
				t.Errorf("labels body %q", a.body)
			}
		})
	}
}

// Item 6: an answer that stops arriving says it timed out while being read and after how long;
// one cut at a 1 KB boundary says it was cut off and after how many bytes.
func TestReadFailuresSayWhatHappened(t *testing.T) {
	plugin, _ := startPlugin(t)
	call := pluginCalls{plugin}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var big strings.Builder
	big.WriteString(`{"status":"success","data":{"resultType":"vector","result":[`)
	for i := 0; big.Len() < 4096; i++ {
		if i > 0 {
			big.WriteString(",")
		}
		fmt.Fprintf(&big, `{"metric":{"job":"j%d"},"value":[1,"%d"]}`, i, i)
	}
	big.WriteString(`]}}`)
	labels := `{"status":"success","data":[` + strings.Repeat(`"a-label-value",`, 200) + `"z"]}`

	var done chan struct{} // closed when a case ends, so its stalled handler returns
	stall := func(w http.ResponseWriter, body string) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, body[:1024])
		w.(http.Flusher).Flush()
		select { // far past the data source's 1 s timeout, but never past the test
		case <-done:
		case <-time.After(20 * time.Second):
		}
	}
	cases := []struct {
		name, want string
		serve      func(w http.ResponseWriter, body string)
	}{
		{"slow body", "timed out while reading the answer", stall},
		{"cut, chunked", "cut off after 1024 bytes", func(w http.ResponseWriter, body string) {
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, body[:1024])
		}},
		{"cut, shorter than its Content-Length", "cut off after 1024 bytes", func(w http.ResponseWriter, body string) {
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Content-Length", fmt.Sprint(len(body)))
			_, _ = io.WriteString(w, body[:1024])
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			done = make(chan struct{})
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if strings.HasPrefix(r.URL.Path, "/api/v1/label") {
					c.serve(w, labels)
					return
				}
				c.serve(w, big.String())
			}))
			defer srv.Close()
			defer close(done)
			ds := settings(srv.URL, map[string]any{"timeout": 1}, nil)
			ds.UID = "read-" + c.name
			raw, _ := json.Marshal(map[string]any{"expr": "up", "instant": true})
			resp, err := plugin.QueryData(ctx, ds, []backend.DataQuery{{RefID: "A", JSON: raw, TimeRange: backend.TimeRange{From: time.Now().Add(-time.Minute), To: time.Now()}}})
			if err != nil {
				t.Fatal(err)
			}
			if e := resp.Responses["A"].Error; e == nil || !strings.Contains(e.Error(), c.want) {
				t.Errorf("query: %v, want %q", e, c.want)
			} else {
				t.Logf("query: %s", e)
			}
			if a := call.resource(ctx, t, ds, "label-values?label=job"); a.status < 400 || !strings.Contains(a.body, c.want) {
				t.Errorf("label-values: %d %s, want %q", a.status, a.body, c.want)
			}
		})
	}
}
