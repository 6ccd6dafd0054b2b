// Package prom is Pulse's client of the Prometheus HTTP API (and of compatible engines:
// VictoriaMetrics, Thanos Query, Mimir). It builds requests, sends them with the SDK's HTTP client
// and turns every failure into an *Error that says what to do next. Decoding bodies into frames
// is the framing package's job.
package prom

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

// Client talks to one Prometheus-compatible API.
type Client struct {
	base      *url.URL
	http      *http.Client
	method    string
	timeout   string
	noPartial bool
	limiter   *Limiter
	ownLimit  int64 // response size cap applied when Grafana sets none (bytes; 0: none)
	envLimit  int64 // GF_DATAPROXY_RESPONSE_LIMIT, read when the client is built, as the SDK does
}

// Options configure a Client.
type Options struct {
	// Method is "GET" or "POST" (form body) for query endpoints.
	Method string
	// QueryTimeout is passed as Prometheus' timeout= parameter; empty keeps the server's default.
	QueryTimeout string
	// NoPartialResponse sends partial_response=false, so that Thanos Query fails a query when a
	// store is unreachable instead of answering with part of the data and a warning.
	NoPartialResponse bool
	// Limiter bounds this data source's requests in flight across all callers; nil: no bound.
	Limiter *Limiter
	// ResponseLimit caps the size of one answer, in bytes, when Grafana sets no response limit
	// (see responselimit.go); 0: no cap of Pulse's own.
	ResponseLimit int64
}

// NewClient returns a client of the API at baseURL ("http://host:9090" or with a path prefix).
func NewClient(baseURL string, hc *http.Client, opts Options) (*Client, error) {
	u, err := url.Parse(strings.TrimRight(baseURL, "/"))
	if err != nil {
		return nil, errors.New("the Prometheus URL is not a valid URL")
	}
	method := strings.ToUpper(opts.Method)
	if method != http.MethodGet {
		method = http.MethodPost
	}
	return &Client{
		base: u, http: hc, method: method, timeout: opts.QueryTimeout, noPartial: opts.NoPartialResponse,
		limiter: opts.Limiter, ownLimit: opts.ResponseLimit, envLimit: envResponseLimit(),
	}, nil
}

// Host is the host:port of the API, safe to show (no credentials, no path).
func (c *Client) Host() string { return c.base.Host }

// QueryRange starts /api/v1/query_range. On success the caller owns the response body
// (a Prometheus JSON envelope, read ahead of the caller: see readahead.go) and must close it.
func (c *Client) QueryRange(ctx context.Context, expr string, start, end time.Time, step time.Duration) (*http.Response, error) {
	params := url.Values{}
	params.Set("query", expr)
	params.Set("start", formatTime(start))
	params.Set("end", formatTime(end))
	params.Set("step", strconv.FormatFloat(step.Seconds(), 'f', -1, 64))
	c.addQueryParams(params)
	return c.query(ctx, "/api/v1/query_range", params)
}

// Query starts /api/v1/query (an instant query at t).
func (c *Client) Query(ctx context.Context, expr string, t time.Time) (*http.Response, error) {
	params := url.Values{}
	params.Set("query", expr)
	params.Set("time", formatTime(t))
	c.addQueryParams(params)
	return c.query(ctx, "/api/v1/query", params)
}

// addQueryParams adds the settings' parameters of query and query_range. Only a disabled partial
// response is sent: true is Thanos' default and other engines need not see the parameter.
func (c *Client) addQueryParams(params url.Values) {
	if c.timeout != "" {
		params.Set("timeout", c.timeout)
	}
	if c.noPartial {
		params.Set("partial_response", "false")
	}
}

// MaxRetryAfter is the longest Retry-After the client waits out before trying once more; a
// longer wait is reported to the user instead, so a panel never hangs on an overloaded server.
const MaxRetryAfter = 3 * time.Second

// query sends a query endpoint request with the configured method; where a POST is refused
// (405, as some proxies and old engines do), it retries once with GET. A 429 or 503 that asks
// for a short wait (Retry-After up to MaxRetryAfter) is retried once after that wait.
func (c *Client) query(ctx context.Context, path string, params url.Values) (*http.Response, error) {
	method := c.method
	resp, err := c.Do(ctx, method, path, params)
	if method == http.MethodPost && KindOf(err) == KindNotFound && statusOf(err) == http.StatusMethodNotAllowed {
		method = http.MethodGet
		resp, err = c.Do(ctx, method, path, params)
	}
	var pe *Error
	if errors.As(err, &pe) && (pe.Kind == KindRateLimited || pe.Kind == KindUnavailable) && pe.RetryAfter > 0 && pe.RetryAfter <= MaxRetryAfter {
		select {
		case <-time.After(pe.RetryAfter):
		case <-ctx.Done():
			return nil, classifyTransportError(ctx, ctx.Err(), c.Host())
		}
		resp, err = c.Do(ctx, method, path, params)
	}
	if err == nil {
		resp.Body = newReadAhead(resp.Body)
	}
	return resp, err
}

// Do sends one API request and checks the answer. A nil error means a 2xx JSON response or a
// Prometheus error envelope (400/422/503 carry JSON the framing package reads); anything else
// becomes an *Error.
func (c *Client) Do(ctx context.Context, method, path string, params url.Values) (*http.Response, error) {
	req, err := c.newRequest(ctx, method, path, params)
	if err != nil {
		return nil, &Error{Kind: KindUpstream, Message: "cannot build the request to Prometheus: check the URL", Source: backend.ErrorSourcePlugin, cause: err}
	}
	start := time.Now()
	resp, err := c.send(req)
	if KindOf(err) == KindBusy {
		return nil, err
	}
	if err != nil {
		return nil, classifyTransportError(ctx, err, c.Host())
	}
	if perr := c.checkResponse(resp, path); perr != nil {
		drainAndClose(resp.Body)
		return nil, perr
	}
	resp.Body = newAnswerBody(resp.Body, c.Host(), start)
	return resp, nil
}

// send sends req holding one of the limiter's slots until the answer's body is closed, under the
// response size limit that applies to it. Every request to Prometheus goes through here. The wait
// for a slot ends with ctx, or after the HTTP client's timeout: a request that could not even
// start in the time it is allowed to take is better answered "busy" than left hanging.
func (c *Client) send(req *http.Request) (*http.Response, error) {
	ctx, limit := c.responseLimit(req.Context())
	release, err := c.limiter.acquire(ctx, c.http.Timeout, c.Host())
	if err != nil {
		return nil, err
	}
	resp, err := c.http.Do(req.WithContext(ctx))
	if err != nil {
		release()
		return nil, err
	}
	resp.Body = &releasingBody{ReadCloser: limit.body(resp.Body), release: release}
	return resp, nil
}

func (c *Client) newRequest(ctx context.Context, method, path string, params url.Values) (*http.Request, error) {
	u := *c.base
	u.Path = strings.TrimRight(c.base.Path, "/") + path
	if method == http.MethodPost {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), strings.NewReader(params.Encode()))
		if err != nil {
			return nil, err
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Accept", "application/json")
		return req, nil
	}
	u.RawQuery = params.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	return req, nil
}

// checkResponse maps what is clearly not a usable Prometheus answer to an *Error.
func (c *Client) checkResponse(resp *http.Response, path string) *Error {
	status := resp.StatusCode
	retryAfter, _ := RetryAfter(resp.Header.Get("Retry-After"))
	mk := func(kind Kind, msg string) *Error {
		return &Error{Kind: kind, Status: status, Message: msg, Source: backend.ErrorSourceDownstream, RetryAfter: retryAfter}
	}
	isJSON := isJSONContentType(resp.Header.Get("Content-Type"))
	switch {
	case status == http.StatusUnauthorized:
		return mk(KindAuth, fmt.Sprintf("Prometheus at %s answered 401 Unauthorized: set the right basic auth user/password or bearer token in the data source settings", c.Host()))
	case status == http.StatusForbidden:
		return mk(KindAuth, fmt.Sprintf("Prometheus at %s answered 403 Forbidden: the credentials are valid but not allowed to query (check the user's permissions or the tenant header, e.g. X-Scope-OrgID)", c.Host()))
	case status == http.StatusNotFound:
		return mk(KindNotFound, fmt.Sprintf("%s answered 404 for %s: the URL does not point at a Prometheus API; use the server's base address (e.g. http://prometheus:9090, or with the path prefix your proxy adds)", c.Host(), path))
	case status == http.StatusMethodNotAllowed:
		return mk(KindNotFound, fmt.Sprintf("%s refused the %s method for %s: switch the HTTP method in the data source settings", c.Host(), resp.Request.Method, path))
	case status == http.StatusTooManyRequests:
		return mk(KindRateLimited, fmt.Sprintf("Prometheus at %s is rate limiting queries (429)%s: wait, or lower the refresh rate and number of panels", c.Host(), retryAfterHint(resp)))
	case (status == http.StatusBadRequest || status == http.StatusUnprocessableEntity || status == http.StatusServiceUnavailable) && isJSON:
		return nil // Prometheus' own error envelope: the framing package reads errorType and error
	case status == http.StatusServiceUnavailable || status == http.StatusBadGateway || status == http.StatusGatewayTimeout:
		return mk(KindUnavailable, fmt.Sprintf("Prometheus at %s is unavailable (HTTP %d%s)%s: it may be overloaded or restarting; try again shortly", c.Host(), status, bodyHint(resp), retryAfterHint(resp)))
	case status >= 300:
		return mk(KindUpstream, fmt.Sprintf("Prometheus at %s answered HTTP %d%s", c.Host(), status, bodyHint(resp)))
	}
	if !isJSON {
		return notPrometheusBody(resp, c.Host(), mk)
	}
	return nil
}

func notPrometheusBody(resp *http.Response, host string, mk func(Kind, string) *Error) *Error {
	ct := resp.Header.Get("Content-Type")
	mt, _, _ := mime.ParseMediaType(ct)
	switch {
	case mt == "text/html":
		return mk(KindNotPrometheus, fmt.Sprintf("%s returned an HTML page, not the Prometheus API: the URL may point at a login page, a proxy or a web UI; use the Prometheus server's address", host))
	case mt == "text/plain" || strings.HasPrefix(mt, "application/openmetrics-text"):
		return mk(KindNotPrometheus, fmt.Sprintf("%s returned plain text, not the Prometheus API: the URL may point at a metrics endpoint (/metrics) or an exporter instead of Prometheus", host))
	case mt == "":
		// Some proxies drop the content type; the framing package will judge the body itself.
		return nil
	default:
		return mk(KindNotPrometheus, fmt.Sprintf("%s returned %s, not the Prometheus JSON API: check the URL", host, mt))
	}
}

func isJSONContentType(ct string) bool {
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return false
	}
	return mt == "application/json" || strings.HasSuffix(mt, "+json")
}

// bodyHint is a short, single-line excerpt of a plain-text error body (e.g. Mimir's
// "failed to enqueue request"), with anything past 200 bytes cut.
func bodyHint(resp *http.Response) string {
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 200))
	s := strings.Join(strings.Fields(string(b)), " ")
	if s == "" || strings.HasPrefix(s, "<") {
		return ""
	}
	return ": " + s
}

func retryAfterHint(resp *http.Response) string {
	if d, ok := RetryAfter(resp.Header.Get("Retry-After")); ok {
		return fmt.Sprintf("; it asks to retry after %s", d)
	}
	return ""
}

// RetryAfter parses a Retry-After header (seconds or HTTP date).
func RetryAfter(v string) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if n, err := strconv.Atoi(v); err == nil && n >= 0 {
		return time.Duration(n) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		d := time.Until(t).Round(time.Second)
		if d < 0 {
			d = 0
		}
		return d, true
	}
	return 0, false
}

func statusOf(err error) int {
	var pe *Error
	if errors.As(err, &pe) {
		return pe.Status
	}
	return 0
}

func formatTime(t time.Time) string {
	return strconv.FormatFloat(float64(t.UnixMilli())/1000, 'f', -1, 64)
}

func drainAndClose(body io.ReadCloser) {
	_, _ = io.Copy(io.Discard, io.LimitReader(body, 64<<10))
	_ = body.Close()
}

// BuildInfo is /api/v1/status/buildinfo's data.
type BuildInfo struct {
	Version   string `json:"version"`
	Revision  string `json:"revision"`
	Branch    string `json:"branch"`
	GoVersion string `json:"goVersion"`
	// Features is set by Mimir (and empty on Prometheus).
	Features map[string]string `json:"features"`
}

// BuildInfo reads /api/v1/status/buildinfo. Engines without it answer 404 (KindNotFound).
func (c *Client) BuildInfo(ctx context.Context) (BuildInfo, error) {
	var out BuildInfo
	resp, err := c.Do(ctx, http.MethodGet, "/api/v1/status/buildinfo", url.Values{})
	if err != nil {
		return out, err
	}
	defer drainAndClose(resp.Body)
	var env struct {
		Status    string    `json:"status"`
		Data      BuildInfo `json:"data"`
		ErrorType string    `json:"errorType"`
		Error     string    `json:"error"`
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return out, err // answerBody has explained it
	}
	if err := json.Unmarshal(body, &env); err != nil || env.Status == "" {
		return out, notAPIEnvelope(body, c.Host(), resp.StatusCode)
	}
	if env.Status != "success" {
		return out, &Error{Kind: KindUpstream, Status: resp.StatusCode, Message: fmt.Sprintf("Prometheus build info failed: %s: %s", env.ErrorType, env.Error), Source: backend.ErrorSourceDownstream}
	}
	return env.Data, nil
}

// notAPIEnvelope explains a JSON body that is not a Prometheus API response.
func notAPIEnvelope(body []byte, host string, status int) *Error {
	trimmed := bytes.TrimSpace(body)
	msg := fmt.Sprintf("%s answered with JSON that is not a Prometheus API response: check the URL points at Prometheus", host)
	if len(trimmed) > 0 && trimmed[0] != '{' && trimmed[0] != '[' {
		msg = fmt.Sprintf("%s answered with something that is not JSON: check the URL points at the Prometheus API", host)
	} else if bytes.Contains(trimmed, []byte(`"status"`)) {
		msg = fmt.Sprintf("%s wrapped the Prometheus answer in another JSON envelope (the status field is nested): a proxy or an app's response interceptor is rewriting it; point the URL at Prometheus itself", host)
	}
	return &Error{Kind: KindNotPrometheus, Status: status, Message: msg, Source: backend.ErrorSourceDownstream}
}

// QueryExemplars starts /api/v1/query_exemplars for expr over [start, end].
func (c *Client) QueryExemplars(ctx context.Context, expr string, start, end time.Time) (*http.Response, error) {
	params := url.Values{}
	params.Set("query", expr)
	params.Set("start", formatTime(start))
	params.Set("end", formatTime(end))
	return c.query(ctx, "/api/v1/query_exemplars", params)
}
