package prom

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/httpclient"
)

// An answer is decoded into frames as it arrives, and frames take more memory than the JSON they
// come from; Grafana's [dataproxy] response_limit is 0 (no limit) by default, so an unbounded
// answer could take the whole process down. The SDK's HTTP client (ResponseLimitMiddleware)
// enforces Grafana's limit, sent with each request's Grafana config, or else the one in
// GF_DATAPROXY_RESPONSE_LIMIT; where neither is set, Pulse puts its own cap into the request's
// context (httpclient.WithResponseLimit), which the same middleware enforces. The SDK lets that
// override win over Grafana's, so it is only set when Grafana has none: Grafana's limit wins.

// responseLimitEnv is the variable the SDK's middleware reads, once, when the client is built.
const responseLimitEnv = "GF_DATAPROXY_RESPONSE_LIMIT"

// limitSetter says whose response limit applies to a request.
type limitSetter int

const (
	limitUnknown    limitSetter = iota // a limit hit that none of the below set
	limitGrafana                       // [dataproxy] response_limit, in the request's Grafana config
	limitGrafanaEnv                    // GF_DATAPROXY_RESPONSE_LIMIT in the plugin's environment
	limitDataSource                    // Pulse's own, from the data source settings or its default
)

type responseLimit struct {
	bytes int64
	by    limitSetter
}

// envResponseLimit reads GF_DATAPROXY_RESPONSE_LIMIT as the SDK does (a positive integer, bytes).
func envResponseLimit() int64 {
	n, err := strconv.ParseInt(os.Getenv(responseLimitEnv), 10, 64)
	if err != nil || n < 0 {
		return 0
	}
	return n
}

// responseLimit returns ctx with the data source's own cap applied when Grafana sets none, and
// the limit that applies to a request sent with it.
func (c *Client) responseLimit(ctx context.Context) (context.Context, responseLimit) {
	if n := backend.GrafanaConfigFromContext(ctx).ResponseLimit(); n > 0 {
		return ctx, responseLimit{bytes: n, by: limitGrafana}
	}
	if c.envLimit > 0 {
		return ctx, responseLimit{bytes: c.envLimit, by: limitGrafanaEnv}
	}
	if c.ownLimit > 0 {
		return httpclient.WithResponseLimit(ctx, c.ownLimit), responseLimit{bytes: c.ownLimit, by: limitDataSource}
	}
	return ctx, responseLimit{}
}

// body turns the SDK's "response body too large" into a TooLargeError naming the limit.
func (l responseLimit) body(body io.ReadCloser) io.ReadCloser {
	return &limitedBody{ReadCloser: body, limit: l}
}

type limitedBody struct {
	io.ReadCloser
	limit responseLimit
}

func (b *limitedBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err != nil && errors.Is(err, httpclient.ErrResponseBodyTooLarge) {
		err = &TooLargeError{Limit: b.limit.bytes, by: b.limit.by, cause: err}
	}
	return n, err
}

// TooLargeError is an answer that went past the response size limit. It wraps
// httpclient.ErrResponseBodyTooLarge.
type TooLargeError struct {
	// Limit is the limit in bytes (0 when it is not known).
	Limit int64
	by    limitSetter
	cause error
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("the answer from Prometheus is larger than %s: ask for less (narrow the time range or add label matchers), %s", e.LimitName(), e.HowToRaise())
}

func (e *TooLargeError) Unwrap() error { return e.cause }

// LimitName says which limit was hit and its size.
func (e *TooLargeError) LimitName() string {
	switch e.by {
	case limitGrafana:
		return fmt.Sprintf("Grafana's response limit of %s ([dataproxy] response_limit)", formatSize(e.Limit))
	case limitGrafanaEnv:
		return fmt.Sprintf("Grafana's response limit of %s (%s)", formatSize(e.Limit), responseLimitEnv)
	case limitDataSource:
		return fmt.Sprintf("the data source's response size limit of %s (Grafana's [dataproxy] response_limit is not set, so Pulse applies its own)", formatSize(e.Limit))
	default:
		return "the response size limit"
	}
}

// HowToRaise says which setting raises the limit, and who can change it.
func (e *TooLargeError) HowToRaise() string {
	switch e.by {
	case limitGrafana:
		return "or ask your Grafana administrator to raise [dataproxy] response_limit"
	case limitGrafanaEnv:
		return "or ask your Grafana administrator to raise " + responseLimitEnv
	case limitDataSource:
		return "or raise \"Max response size\" in the data source settings (jsonData maxResponseSizeMB)"
	default:
		return "or ask your Grafana administrator which response limit applies"
	}
}

// formatSize writes a byte count in the unit it was most likely configured in.
func formatSize(n int64) string {
	const mb = 1 << 20
	switch {
	case n > 0 && n%mb == 0:
		return fmt.Sprintf("%d MB", n/mb)
	case n >= mb:
		return fmt.Sprintf("%.1f MB (%d bytes)", float64(n)/mb, n)
	default:
		return fmt.Sprintf("%d bytes", n)
	}
}
