package models

import (
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

func TestLoadSettings(t *testing.T) {
	s, err := LoadSettings(backend.DataSourceInstanceSettings{
		URL:                     " http://prometheus:9090 ",
		JSONData:                []byte(`{"httpMethod":"get","timeInterval":"5s","metrics":{"infoMetric":"x","info":"app_info"}}`),
		DecryptedSecureJSONData: map[string]string{"bearerToken": "t"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if s.URL != "http://prometheus:9090" || s.HTTPMethod != "GET" || s.ScrapeIntervalOrDefault() != 5*time.Second || !s.HasBearerToken {
		t.Fatalf("%+v", s)
	}
	if !s.AllowsPartialResponse() {
		t.Fatal("partial responses are allowed unless partialResponse is false")
	}
	if s.Metrics.Info != "app_info" || s.Metrics.SuccessHistogram != "nestjs_success_requests" || s.Metrics.FailHistogram != "nestjs_fail_requests" || s.Metrics.FailedCounter != "nestjs_requests_failed_count" {
		t.Fatalf("metric names %+v", s.Metrics)
	}

	d, err := LoadSettings(backend.DataSourceInstanceSettings{URL: "https://p.example"})
	if err != nil || d.HTTPMethod != "POST" || d.ScrapeIntervalOrDefault() != DefaultScrapeInterval || d.HasBearerToken || d.Metrics.Profile != AutoProfile {
		t.Fatalf("defaults: %+v %v", d, err)
	}
	if _, err := LoadSettings(backend.DataSourceInstanceSettings{URL: "http://p", JSONData: []byte(`{"metrics":{"profile":"auto"}}`)}); err != nil {
		t.Fatalf("auto is a profile choice: %v", err)
	}
	o, err := LoadSettings(backend.DataSourceInstanceSettings{URL: "http://p", JSONData: []byte(`{"metrics":{"profile":"otel-http","histogram":" my_duration_seconds "}}`)})
	if err != nil || o.Metrics.Profile != "otel-http" || o.Metrics.Histogram != "my_duration_seconds" {
		t.Fatalf("profile: %+v %v", o.Metrics, err)
	}
}

func TestPartialResponseSetting(t *testing.T) {
	for jsonData, want := range map[string]bool{`{}`: true, `{"partialResponse":true}`: true, `{"partialResponse":false}`: false} {
		s, err := LoadSettings(backend.DataSourceInstanceSettings{URL: "http://thanos-query:10902", JSONData: []byte(jsonData)})
		if err != nil || s.AllowsPartialResponse() != want {
			t.Errorf("%s: AllowsPartialResponse %v (%v), want %v", jsonData, s.AllowsPartialResponse(), err, want)
		}
	}
}

func TestMemoryBoundSettings(t *testing.T) {
	tests := []struct {
		jsonData string
		requests int
		bytes    int64
	}{
		{`{}`, DefaultMaxConcurrentRequests, DefaultMaxResponseSizeMB << 20},
		{`{"maxConcurrentRequests":0,"maxResponseSizeMB":0}`, DefaultMaxConcurrentRequests, DefaultMaxResponseSizeMB << 20},
		{`{"maxConcurrentRequests":3,"maxResponseSizeMB":200}`, 3, 200 << 20},
	}
	for _, tc := range tests {
		s, err := LoadSettings(backend.DataSourceInstanceSettings{URL: "http://p", JSONData: []byte(tc.jsonData)})
		if err != nil || s.ConcurrentRequestsOrDefault() != tc.requests || s.ResponseLimitBytes() != tc.bytes {
			t.Errorf("%s: %d requests, %d bytes (%v), want %d, %d", tc.jsonData, s.ConcurrentRequestsOrDefault(), s.ResponseLimitBytes(), err, tc.requests, tc.bytes)
		}
	}
}

func TestLoadSettingsRejects(t *testing.T) {
	tests := []struct {
		name     string
		url      string
		json     string
		contains string
	}{
		{"no URL", "", `{}`, "no Prometheus URL"},
		{"no scheme", "prometheus:9090", `{}`, "http://"},
		{"ftp", "ftp://p", `{}`, "http://"},
		{"no host", "http://", `{}`, "no host"},
		{"bad method", "http://p", `{"httpMethod":"PUT"}`, "GET or POST"},
		{"bad scrape interval", "http://p", `{"timeInterval":"fast"}`, "scrape interval"},
		{"bad timeout", "http://p", `{"queryTimeout":"1 minute"}`, "query timeout"},
		{"bad JSON", "http://p", `{"httpMethod":`, "not valid JSON"},
		{"negative concurrency", "http://p", `{"maxConcurrentRequests":-1}`, "max concurrent requests (-1) must be a positive number"},
		{"negative response size", "http://p", `{"maxResponseSizeMB":-5}`, "max response size (-5 MB) must be a positive number"},
		{"URL with credentials is not echoed", "http://user:hunter2@p:9090/\x7f", `{}`, "not a valid URL"},
		{"unknown instrumentation profile", "http://p", `{"metrics":{"profile":"statsd"}}`, "otel-http"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := LoadSettings(backend.DataSourceInstanceSettings{URL: tc.url, JSONData: []byte(tc.json)})
			if err == nil || !strings.Contains(err.Error(), tc.contains) {
				t.Fatalf("error %v, want one containing %q", err, tc.contains)
			}
			if strings.Contains(err.Error(), "hunter2") {
				t.Fatalf("the password leaked: %v", err)
			}
		})
	}
}

func TestParseDuration(t *testing.T) {
	for in, want := range map[string]time.Duration{"15s": 15 * time.Second, "1m": time.Minute, "1h30m": 90 * time.Minute, "2d": 48 * time.Hour, "1w": 7 * 24 * time.Hour, "500ms": 500 * time.Millisecond} {
		if got, err := ParseDuration(in); err != nil || got != want {
			t.Errorf("ParseDuration(%q) = %v, %v", in, got, err)
		}
	}
	for _, bad := range []string{"", "fast", "1.5m", "-1s"} {
		if _, err := ParseDuration(bad); err == nil {
			t.Errorf("ParseDuration(%q) accepted", bad)
		}
	}
}
