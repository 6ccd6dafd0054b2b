package prom

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

const emptyVector = `{"status":"success","data":{"resultType":"vector","result":[]}}`

// concurrencyCounter is an upstream that records how many requests it serves at once.
type concurrencyCounter struct {
	now, max atomic.Int32
	hold     time.Duration
}

func (u *concurrencyCounter) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	n := u.now.Add(1)
	defer u.now.Add(-1)
	for {
		m := u.max.Load()
		if n <= m || u.max.CompareAndSwap(m, n) {
			break
		}
	}
	time.Sleep(u.hold)
	w.Header().Set("Content-Type", "application/json")
	_, _ = io.WriteString(w, emptyVector)
}

func TestLimiterBoundsRequestsInFlight(t *testing.T) {
	up := &concurrencyCounter{hold: 20 * time.Millisecond}
	srv := httptest.NewServer(up)
	defer srv.Close()
	const limit, callers = 4, 40
	lim := NewLimiter(limit)
	c, err := NewClient(srv.URL, srv.Client(), Options{Limiter: lim})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var overLimit atomic.Int32
	for i := 0; i < callers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := c.Query(context.Background(), "up", time.Now())
			if err != nil {
				t.Error(err)
				return
			}
			if lim.InFlight() > limit {
				overLimit.Add(1)
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}()
	}
	wg.Wait()
	if got := up.max.Load(); got > limit || got < 2 {
		t.Fatalf("the upstream saw %d requests at once, want at most %d (and more than one)", got, limit)
	}
	if overLimit.Load() > 0 || lim.InFlight() != 0 {
		t.Fatalf("%d callers saw more than %d slots taken; %d still taken", overLimit.Load(), limit, lim.InFlight())
	}
}

func TestLimiterWaitGivesUpWithABusyError(t *testing.T) {
	cases := []struct {
		name    string
		ctx     func() (context.Context, context.CancelFunc)
		maxWait time.Duration
	}{
		{"deadline", func() (context.Context, context.CancelFunc) {
			return context.WithTimeout(context.Background(), 30*time.Millisecond)
		}, 0},
		{"canceled", func() (context.Context, context.CancelFunc) {
			ctx, cancel := context.WithCancel(context.Background())
			time.AfterFunc(30*time.Millisecond, cancel)
			return ctx, cancel
		}, 0},
		{"longest wait", func() (context.Context, context.CancelFunc) {
			return context.WithCancel(context.Background())
		}, 30 * time.Millisecond},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			lim := NewLimiter(1)
			release, err := lim.acquire(context.Background(), 0, "prom:9090")
			if err != nil {
				t.Fatal(err)
			}
			defer release()
			ctx, cancel := tc.ctx()
			defer cancel()
			start := time.Now()
			_, err = lim.acquire(ctx, tc.maxWait, "prom:9090")
			if KindOf(err) != KindBusy || time.Since(start) > 2*time.Second {
				t.Fatalf("error %v (kind %q) after %s, want a busy error soon", err, KindOf(err), time.Since(start))
			}
			for _, want := range []string{"the data source is busy", "1 requests to Prometheus at prom:9090", "Max concurrent requests", "maxConcurrentRequests"} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("%q does not say %q", err, want)
				}
			}
			if ErrorSourceOf(err) != "downstream" {
				t.Errorf("error source %q", ErrorSourceOf(err))
			}
		})
	}
}

// Every way a request can end gives its slot back: with a limit of one, the next request must
// not wait.
func TestLimiterSlotIsReleasedOnEveryPath(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/api/v1/query", func(w http.ResponseWriter, r *http.Request) {
		switch r.FormValue("query") {
		case "unauthorized":
			w.WriteHeader(http.StatusUnauthorized)
		case "html":
			w.Header().Set("Content-Type", "text/html")
			_, _ = io.WriteString(w, "<html>login</html>")
		case "post refused":
			if r.Method == http.MethodPost {
				w.WriteHeader(http.StatusMethodNotAllowed)
				return
			}
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, emptyVector)
		case "retry after":
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
		case "slow":
			select {
			case <-r.Context().Done():
			case <-time.After(5 * time.Second):
			}
		case "large":
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, `{"status":"success","data":{"resultType":"vector","result":[`+strings.Repeat(" ", 2<<20)+`]}}`)
		default:
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, emptyVector)
		}
	})
	mux.HandleFunc("/api/v1/status/buildinfo", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"status":"success","data":{"version":"3.0.0"}}`)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()

	// A closed port: the transport fails before any answer.
	closed := httptest.NewServer(http.NotFoundHandler())
	closedURL := closed.URL
	closed.Close()

	cases := []struct {
		name string
		url  string
		call func(ctx context.Context, c *Client) error
	}{
		{"answer read and closed", srv.URL, func(ctx context.Context, c *Client) error {
			resp, err := c.Query(ctx, "ok", time.Now())
			if err == nil {
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
			return err
		}},
		{"answer closed unread", srv.URL, func(ctx context.Context, c *Client) error {
			resp, err := c.Query(ctx, "ok", time.Now())
			if err == nil {
				resp.Body.Close()
			}
			return err
		}},
		{"401", srv.URL, func(ctx context.Context, c *Client) error { return errOnly(c.Query(ctx, "unauthorized", time.Now())) }},
		{"HTML instead of JSON", srv.URL, func(ctx context.Context, c *Client) error { return errOnly(c.Query(ctx, "html", time.Now())) }},
		{"POST refused, GET retried", srv.URL, func(ctx context.Context, c *Client) error {
			resp, err := c.Query(ctx, "post refused", time.Now())
			if err == nil {
				resp.Body.Close()
			}
			return err
		}},
		{"429 retried after Retry-After", srv.URL, func(ctx context.Context, c *Client) error { return errOnly(c.Query(ctx, "retry after", time.Now())) }},
		{"connection refused", closedURL, func(ctx context.Context, c *Client) error { return errOnly(c.Query(ctx, "ok", time.Now())) }},
		{"canceled while waiting for the answer", srv.URL, func(ctx context.Context, c *Client) error {
			ctx, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
			defer cancel()
			return errOnly(c.Query(ctx, "slow", time.Now()))
		}},
		{"answer over the size limit", srv.URL, func(ctx context.Context, c *Client) error {
			resp, err := c.Query(ctx, "large", time.Now())
			if err != nil {
				return err
			}
			defer resp.Body.Close()
			_, err = io.ReadAll(resp.Body)
			return err
		}},
		{"build info and engine probes", srv.URL, func(ctx context.Context, c *Client) error {
			info, err := c.BuildInfo(ctx)
			c.DetectEngine(ctx, info)
			return err
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			lim := NewLimiter(1)
			c, err := NewClient(tc.url, sdkClient(t), Options{Method: http.MethodPost, Limiter: lim, ResponseLimit: 1 << 20})
			if err != nil {
				t.Fatal(err)
			}
			_ = tc.call(context.Background(), c)
			if n := lim.InFlight(); n != 0 {
				t.Fatalf("%d slot still taken", n)
			}
			ctx, cancel := context.WithTimeout(context.Background(), time.Second)
			defer cancel()
			release, err := lim.acquire(ctx, 0, c.Host())
			if err != nil {
				t.Fatalf("the next request waited: %v", err)
			}
			release()
		})
	}
}

func errOnly(resp *http.Response, err error) error {
	if err == nil {
		resp.Body.Close()
	}
	return err
}

func TestNilLimiterLetsEverythingThrough(t *testing.T) {
	var lim *Limiter
	release, err := lim.acquire(context.Background(), 0, "h")
	if err != nil {
		t.Fatal(err)
	}
	release()
}
