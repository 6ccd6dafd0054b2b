// Package models holds the typed settings of a Pulse data source instance.
package models

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/prometheus/common/model"
	"github.com/pulse-monitoring/pulse/pkg/redact"
)

// Settings are the jsonData of a Pulse data source, with defaults applied.
// HTTP transport settings (TLS, basic auth, custom headers, timeout) are read by the SDK itself
// through DataSourceInstanceSettings.HTTPClientOptions; these are the Prometheus-specific ones.
type Settings struct {
	URL string `json:"-"`
	// HTTPMethod is POST (form body, the default: long queries fit) or GET.
	HTTPMethod string `json:"httpMethod"`
	// ScrapeInterval is Prometheus' scrape interval ("15s"), the floor of the query step.
	ScrapeInterval string `json:"timeInterval"`
	// QueryTimeout is passed to Prometheus as the timeout= parameter ("60s"); empty keeps its default.
	QueryTimeout string `json:"queryTimeout"`
	// Metric names of the NestJS interceptor; each team may rename them.
	Metrics MetricNames `json:"metrics"`
	// PartialResponse lets Thanos Query answer with the data of the stores it reached, plus a
	// warning, when one is down (its partial_response parameter). Absent means true, Thanos' own
	// default; other engines ignore it.
	PartialResponse *bool `json:"partialResponse"`
	// MaxConcurrentRequests bounds the requests to Prometheus in flight at once for this data
	// source, across all queries, health checks and resources; 0 means the default.
	MaxConcurrentRequests int `json:"maxConcurrentRequests"`
	// MaxResponseSizeMB caps the size of one answer (MB) when Grafana's [dataproxy]
	// response_limit is not set; Grafana's limit, when set, wins. 0 means the default.
	MaxResponseSizeMB int `json:"maxResponseSizeMB"`

	// HasBearerToken tells whether secureJsonData holds a bearer token; the token itself is never kept here.
	HasBearerToken bool `json:"-"`
}

// MetricNames are the services' instrumentation (jsonData.metrics): its profile and the names of
// the metrics it exports. The profiles themselves, and the PromQL rendered from them, are the
// signal catalog's (src/signals/profiles.ts); the backend keeps the choice and the names.
type MetricNames struct {
	// Profile is an instrumentation profile id, or AutoProfile (also when empty): each service is
	// read with the profile its own metrics match.
	Profile          string `json:"profile,omitempty"`
	SuccessHistogram string `json:"successHistogram"`
	FailHistogram    string `json:"failHistogram"`
	FailedCounter    string `json:"failedCounter"`
	Info             string `json:"info"`
	// Histogram is the request histogram of a profile with one (every profile but the seed's).
	Histogram string `json:"histogram,omitempty"`
}

// Profiles are the instrumentation profile ids, as src/signals/profiles.ts names them.
var Profiles = []string{"seed", "nestjs-requests", "prom-client-http", "otel-http", "otel-http-legacy"}

// AutoProfile is the default choice: no one profile for the data source, each service with the
// profile detected from its metrics (discovery.ProfilesOf).
const AutoProfile = "auto"

// DefaultMetricNames are the names the seed's interceptor registers.
var DefaultMetricNames = MetricNames{
	SuccessHistogram: "nestjs_success_requests",
	FailHistogram:    "nestjs_fail_requests",
	FailedCounter:    "nestjs_requests_failed_count",
	Info:             "nestjs_info",
}

// SecureKeyBearerToken is the secureJsonData key of the bearer token.
const SecureKeyBearerToken = "bearerToken"

// DefaultScrapeInterval is Prometheus' default scrape interval.
const DefaultScrapeInterval = 15 * time.Second

// Defaults of the memory bounds (README "Limits" gives the measurements behind them).
const (
	// DefaultMaxConcurrentRequests is the bound of one QueryData request's queries, so a
	// dashboard request alone runs as it did; it is 40% of Prometheus' --query.max-concurrency
	// (20), which Prometheus shares among all its clients and its rules. Answers are decoded, and
	// take their memory, only while their request holds a slot: 16 requests of 50 MB answers at
	// once peak at 1.2 GB with 8 slots, 1.4 GB with 10 and 2.9 GB without a bound.
	DefaultMaxConcurrentRequests = 8
	// DefaultMaxResponseSizeMB is about 2.4 million points (27 B each in Prometheus' JSON), more
	// than a panel can draw, and room for the benchmarks' 1,000 x 1,440 answer (39 MB) with
	// longer labels. An answer takes up to 3.6 times its size in the plugin while it is decoded
	// and encoded for Grafana, so 8 answers at the cap take about 1.8 GB; at 128 MB it would be
	// the 3.7 GB the limits are there to prevent.
	DefaultMaxResponseSizeMB = 64
)

// LoadSettings reads and validates the settings of a data source instance.
func LoadSettings(s backend.DataSourceInstanceSettings) (Settings, error) {
	var out Settings
	if len(s.JSONData) > 0 {
		if err := json.Unmarshal(s.JSONData, &out); err != nil {
			return out, fmt.Errorf("the data source settings (jsonData) are not valid JSON: %w", err)
		}
	}
	out.URL = strings.TrimSpace(s.URL)
	if err := validateURL(out.URL); err != nil {
		return out, err
	}
	out.HTTPMethod = strings.ToUpper(strings.TrimSpace(out.HTTPMethod))
	switch out.HTTPMethod {
	case "":
		out.HTTPMethod = "POST"
	case "GET", "POST":
	default:
		return out, fmt.Errorf("HTTP method %q is not supported: choose GET or POST", out.HTTPMethod)
	}
	if out.ScrapeInterval != "" {
		if _, err := ParseDuration(out.ScrapeInterval); err != nil {
			return out, fmt.Errorf("scrape interval %q is not a duration such as 15s or 1m", out.ScrapeInterval)
		}
	}
	if out.QueryTimeout != "" {
		if _, err := ParseDuration(out.QueryTimeout); err != nil {
			return out, fmt.Errorf("query timeout %q is not a duration such as 30s or 2m", out.QueryTimeout)
		}
	}
	if p := strings.TrimSpace(out.Metrics.Profile); p != "" && p != AutoProfile && !slices.Contains(Profiles, p) {
		return out, fmt.Errorf("instrumentation profile %q is not one Pulse knows: choose %s or one of %s in the data source settings", redact.Clip(p, 40), AutoProfile, strings.Join(Profiles, ", "))
	}
	if out.MaxConcurrentRequests < 0 {
		return out, fmt.Errorf("max concurrent requests (%d) must be a positive number, or empty for the default of %d", out.MaxConcurrentRequests, DefaultMaxConcurrentRequests)
	}
	if out.MaxResponseSizeMB < 0 {
		return out, fmt.Errorf("max response size (%d MB) must be a positive number of MB, or empty for the default of %d MB", out.MaxResponseSizeMB, DefaultMaxResponseSizeMB)
	}
	out.Metrics = out.Metrics.withDefaults()
	out.HasBearerToken = strings.TrimSpace(s.DecryptedSecureJSONData[SecureKeyBearerToken]) != ""
	return out, nil
}

// AllowsPartialResponse tells whether queries may return partial data (the default).
func (s Settings) AllowsPartialResponse() bool {
	return s.PartialResponse == nil || *s.PartialResponse
}

// ConcurrentRequestsOrDefault is the bound of requests in flight to Prometheus.
func (s Settings) ConcurrentRequestsOrDefault() int {
	if s.MaxConcurrentRequests > 0 {
		return s.MaxConcurrentRequests
	}
	return DefaultMaxConcurrentRequests
}

// ResponseLimitBytes is the data source's own cap on one answer, used when Grafana sets none.
func (s Settings) ResponseLimitBytes() int64 {
	mb := s.MaxResponseSizeMB
	if mb <= 0 {
		mb = DefaultMaxResponseSizeMB
	}
	return int64(mb) << 20
}

// ScrapeIntervalOrDefault returns the configured scrape interval, or Prometheus' default.
func (s Settings) ScrapeIntervalOrDefault() time.Duration {
	if d, err := ParseDuration(s.ScrapeInterval); err == nil && d > 0 {
		return d
	}
	return DefaultScrapeInterval
}

func (m MetricNames) withDefaults() MetricNames {
	pick := func(v, def string) string {
		if v = strings.TrimSpace(v); v != "" {
			return v
		}
		return def
	}
	out := MetricNames{
		Profile:          pick(m.Profile, AutoProfile),
		Histogram:        strings.TrimSpace(m.Histogram),
		SuccessHistogram: strings.TrimSpace(m.SuccessHistogram),
		FailHistogram:    strings.TrimSpace(m.FailHistogram),
		FailedCounter:    strings.TrimSpace(m.FailedCounter),
		Info:             strings.TrimSpace(m.Info),
	}
	// The defaults below are the seed interceptor's; every other profile has its own, which
	// discovery.ProfileOf fills in for the names left empty. With auto the four names are the
	// NestJS interceptors' (discovery.ProfilesOf), so they are filled in too.
	if out.Profile == "seed" || out.Profile == AutoProfile {
		out.SuccessHistogram = pick(out.SuccessHistogram, DefaultMetricNames.SuccessHistogram)
		out.FailHistogram = pick(out.FailHistogram, DefaultMetricNames.FailHistogram)
		out.FailedCounter = pick(out.FailedCounter, DefaultMetricNames.FailedCounter)
		out.Info = pick(out.Info, DefaultMetricNames.Info)
	}
	return out
}

func validateURL(raw string) error {
	if raw == "" {
		return errors.New("no Prometheus URL is set: enter the address of your Prometheus, e.g. http://prometheus:9090")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("the Prometheus URL is not a valid URL: %s", redactURLError(err))
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("the Prometheus URL must start with http:// or https:// (got scheme %q)", u.Scheme)
	}
	if u.Host == "" {
		return errors.New("the Prometheus URL has no host: enter it as http://host:9090")
	}
	return nil
}

// redactURLError keeps a url.Error's reason but drops the URL, which may carry credentials.
func redactURLError(err error) string {
	var uerr *url.Error
	if errors.As(err, &uerr) {
		return uerr.Err.Error()
	}
	return "unparsable"
}

// ParseDuration accepts Prometheus durations ("15s", "1m", "1h30m", "2d", "1w").
func ParseDuration(s string) (time.Duration, error) {
	d, err := model.ParseDuration(strings.TrimSpace(s))
	return time.Duration(d), err
}
