package prom

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func newTestClient(t *testing.T, h http.HandlerFunc, opts Options) *Client {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	c, err := NewClient(srv.URL, srv.Client(), opts)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestQueryRangeRequest(t *testing.T) {
	for _, method := range []string{http.MethodPost, http.MethodGet} {
		t.Run(method, func(t *testing.T) {
			var got sentRequest
			c := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
				_ = r.ParseForm()
				got = sentRequest{r.Method, r.URL.Path, r.Form.Get("query"), r.Form.Get("start"), r.Form.Get("end"), r.Form.Get("step"), r.Form.Get("timeout")}
				w.Header().Set("Content-Type", "application/json")
				_, _ = io.WriteString(w, `{"status":"success","data":{"resultType":"matrix","result":[]}}`)
			}, Options{Method: method, QueryTimeout: "30s"})
			start := time.UnixMilli(1700000000500)
			resp, err := c.QueryRange(context.Background(), `sum(rate(x{a="b"}[1m]))`, start, start.Add(time.Hour), 15*time.Second)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			want := sentRequest{method, "/api/v1/query_range", `sum(rate(x{a="b"}[1m]))`, "1700000000.5", "1700003600.5", "15", "30s"}
			if got != want {
				t.Fatalf("request %+v, want %+v", got, want)
			}
		})
	}
}

type sentRequest struct{ method, path, query, start, end, step, timeout string }

func TestPostFallsBackToGet(t *testing.T) {
	var methods []string
	c := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		methods = append(methods, r.Method)
		if r.Method == http.MethodPost {
			w.WriteHeader(http.StatusMethodNotAllowed)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"status":"success","data":{"resultType":"vector","result":[]}}`)
	}, Options{Method: "POST"})
	resp, err := c.Query(context.Background(), "up", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if strings.Join(methods, ",") != "POST,GET" {
		t.Fatalf("methods %v, want POST then GET", methods)
	}
}

func TestResponseErrors(t *testing.T) {
	tests := []struct {
		name     string
		status   int
		ctype    string
		body     string
		header   map[string]string
		kind     Kind
		contains string
	}{
		{"401", 401, "text/plain", "no", nil, KindAuth, "401 Unauthorized"},
		{"403", 403, "application/json", `{}`, nil, KindAuth, "X-Scope-OrgID"},
		{"404", 404, "text/plain", "404 page not found", nil, KindNotFound, "does not point at a Prometheus API"},
		{"429 with Retry-After", 429, "text/plain", "too many outstanding requests", map[string]string{"Retry-After": "7"}, KindRateLimited, "retry after 7s"},
		{"503 plain text", 503, "text/plain", "failed to enqueue request", nil, KindUnavailable, "failed to enqueue request"},
		{"500 plain text", 500, "text/plain", "boom\nmore", nil, KindUpstream, "HTTP 500: boom more"},
		{"200 html", 200, "text/html; charset=utf-8", "<html>login</html>", nil, KindNotPrometheus, "HTML page"},
		{"200 metrics text", 200, "text/plain; version=0.0.4", "up 1", nil, KindNotPrometheus, "metrics endpoint"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
				for k, v := range tc.header {
					w.Header().Set(k, v)
				}
				w.Header().Set("Content-Type", tc.ctype)
				w.WriteHeader(tc.status)
				_, _ = io.WriteString(w, tc.body)
			}, Options{})
			_, err := c.Query(context.Background(), "up", time.Now())
			if err == nil {
				t.Fatal("no error")
			}
			if KindOf(err) != tc.kind {
				t.Fatalf("kind %q, want %q (%v)", KindOf(err), tc.kind, err)
			}
			if !strings.Contains(err.Error(), tc.contains) {
				t.Fatalf("%q does not contain %q", err, tc.contains)
			}
		})
	}
}

func TestPrometheusErrorEnvelopePassesThrough(t *testing.T) {
	for _, status := range []int{400, 422, 503} {
		c := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(status)
			_, _ = io.WriteString(w, `{"status":"error","errorType":"bad_data","error":"x"}`)
		}, Options{})
		resp, err := c.Query(context.Background(), "up", time.Now())
		if err != nil {
			t.Fatalf("%d: %v — the JSON error body must reach the decoder", status, err)
		}
		resp.Body.Close()
	}
}

func TestTransportErrors(t *testing.T) {
	t.Run("TLS with an unknown CA", func(t *testing.T) {
		srv := httptest.NewTLSServer(http.NotFoundHandler())
		defer srv.Close()
		c, _ := NewClient(srv.URL, &http.Client{}, Options{})
		_, err := c.BuildInfo(context.Background())
		if KindOf(err) != KindTLS || !strings.Contains(err.Error(), "unknown authority") {
			t.Fatalf("got %q (%s)", err, KindOf(err))
		}
	})
	t.Run("https URL on a plain HTTP server", func(t *testing.T) {
		srv := httptest.NewServer(http.NotFoundHandler())
		defer srv.Close()
		c, _ := NewClient(strings.Replace(srv.URL, "http://", "https://", 1), &http.Client{}, Options{})
		_, err := c.BuildInfo(context.Background())
		if KindOf(err) != KindTLS || !strings.Contains(err.Error(), "http://") {
			t.Fatalf("got %q (%s)", err, KindOf(err))
		}
	})
	t.Run("timeout", func(t *testing.T) {
		release := make(chan struct{})
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-release }))
		defer srv.Close()
		defer close(release)
		c, _ := NewClient(srv.URL, &http.Client{Timeout: 100 * time.Millisecond}, Options{})
		_, err := c.BuildInfo(context.Background())
		if KindOf(err) != KindTimeout {
			t.Fatalf("got %q (%s)", err, KindOf(err))
		}
	})
	t.Run("unknown host", func(t *testing.T) {
		c, _ := NewClient("http://pulse-no-such-host.invalid:9090", &http.Client{}, Options{})
		_, err := c.BuildInfo(context.Background())
		if KindOf(err) != KindUnreachable {
			t.Fatalf("got %q (%s)", err, KindOf(err))
		}
	})
	t.Run("canceled", func(t *testing.T) {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }))
		defer srv.Close()
		ctx, cancel := context.WithCancel(context.Background())
		go func() { time.Sleep(50 * time.Millisecond); cancel() }()
		c, _ := NewClient(srv.URL, &http.Client{}, Options{})
		_, err := c.BuildInfo(ctx)
		if KindOf(err) != KindCanceled {
			t.Fatalf("got %q (%s)", err, KindOf(err))
		}
	})
}

func TestBuildInfo(t *testing.T) {
	c := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/prefix/api/v1/status/buildinfo":
			_, _ = io.WriteString(w, `{"status":"success","data":{"version":"2.42.0","revision":"r","features":{}}}`)
		default:
			w.WriteHeader(404)
		}
	}, Options{})
	c.base.Path = "/prefix"
	info, err := c.BuildInfo(context.Background())
	if err != nil || info.Version != "2.42.0" {
		t.Fatalf("%+v %v", info, err)
	}
}

func TestBuildInfoInAnEnvelope(t *testing.T) {
	c := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"code":0,"data":{"status":"success","data":{"version":"2.42.0"}}}`)
	}, Options{})
	_, err := c.BuildInfo(context.Background())
	if KindOf(err) != KindNotPrometheus || !strings.Contains(err.Error(), "envelope") {
		t.Fatalf("got %v", err)
	}
}

func TestRetryAfter(t *testing.T) {
	if d, ok := RetryAfter("12"); !ok || d != 12*time.Second {
		t.Errorf("seconds: %v %v", d, ok)
	}
	if _, ok := RetryAfter("soon"); ok {
		t.Error("garbage accepted")
	}
	if d, ok := RetryAfter(time.Now().Add(-time.Hour).UTC().Format(http.TimeFormat)); !ok || d != 0 {
		t.Errorf("past date: %v %v", d, ok)
	}
}

func TestRetryAfterIsHonouredOnce(t *testing.T) {
	var calls int
	c := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		calls++
		if calls == 1 {
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"status":"success","data":{"resultType":"vector","result":[]}}`)
	}, Options{})
	start := time.Now()
	resp, err := c.Query(context.Background(), "up", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if calls != 2 || time.Since(start) < time.Second {
		t.Fatalf("%d calls after %s: want one retry after the 1s the server asked for", calls, time.Since(start))
	}
}

func TestLongRetryAfterIsNotWaited(t *testing.T) {
	var calls int
	c := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		calls++
		w.Header().Set("Retry-After", "120")
		w.WriteHeader(http.StatusServiceUnavailable)
	}, Options{})
	_, err := c.Query(context.Background(), "up", time.Now())
	if KindOf(err) != KindUnavailable || calls != 1 || !strings.Contains(err.Error(), "2m0s") {
		t.Fatalf("%d calls, %v", calls, err)
	}
}
