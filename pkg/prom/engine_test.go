package prom

import (
	"context"
	"io"
	"net/http"
	"testing"
)

func TestDetectEngine(t *testing.T) {
	tests := []struct {
		name    string
		info    BuildInfo
		handler http.HandlerFunc
		want    string
	}{
		{"prometheus", BuildInfo{Version: "2.42.0"}, func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) }, EnginePrometheus},
		{"mimir", BuildInfo{Version: "2.10", Features: map[string]string{"ruler_config_api": "true"}}, func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) }, EngineMimir},
		{"thanos", BuildInfo{}, func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/api/v1/stores" {
				w.Header().Set("Content-Type", "application/json")
				_, _ = io.WriteString(w, `{"status":"success","data":{"sidecar":[]}}`)
				return
			}
			http.NotFound(w, r)
		}, EngineThanos},
		{"victoriametrics", BuildInfo{}, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("X-Server-Hostname", "vm")
			if r.URL.Path == "/api/v1/status/active_queries" {
				w.WriteHeader(http.StatusOK)
				return
			}
			http.Error(w, "unsupported path requested", http.StatusBadRequest)
		}, EngineVictoriaMetrics},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := newTestClient(t, tc.handler, Options{})
			if got := c.DetectEngine(context.Background(), tc.info); got != tc.want {
				t.Fatalf("DetectEngine = %q, want %q", got, tc.want)
			}
		})
	}
}
