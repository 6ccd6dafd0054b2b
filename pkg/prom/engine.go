package prom

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
)

// Engines Pulse recognizes behind the Prometheus API.
const (
	EnginePrometheus      = "Prometheus"
	EngineMimir           = "Mimir"
	EngineThanos          = "Thanos Query"
	EngineVictoriaMetrics = "VictoriaMetrics"
)

// DetectEngine names the engine behind the API from more than the build-info version string
// (VictoriaMetrics answers build info with no version, and a Thanos built from source reports
// an empty one): Mimir fills build info's "features"; Thanos Query serves /api/v1/stores;
// VictoriaMetrics serves /api/v1/status/active_queries and sets X-Server-Hostname. Prometheus is
// what remains.
func (c *Client) DetectEngine(ctx context.Context, info BuildInfo) string {
	if len(info.Features) > 0 {
		return EngineMimir
	}
	if c.answers(ctx, "/api/v1/stores", func(resp *http.Response, body []byte) bool {
		var env struct {
			Status string `json:"status"`
		}
		return json.Unmarshal(body, &env) == nil && env.Status == "success"
	}) {
		return EngineThanos
	}
	if c.answers(ctx, "/api/v1/status/active_queries", func(resp *http.Response, _ []byte) bool {
		return resp.Header.Get("X-Server-Hostname") != "" || resp.StatusCode == http.StatusOK
	}) {
		return EngineVictoriaMetrics
	}
	return EnginePrometheus
}

// answers reports whether GET path answers 200 and ok accepts the answer. Errors mean "no".
func (c *Client) answers(ctx context.Context, path string, ok func(*http.Response, []byte) bool) bool {
	req, err := c.newRequest(ctx, http.MethodGet, path, url.Values{})
	if err != nil {
		return false
	}
	resp, err := c.send(req)
	if err != nil {
		return false
	}
	defer drainAndClose(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return false
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	return err == nil && ok(resp, body)
}
