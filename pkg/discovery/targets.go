package discovery

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/pulse-monitoring/pulse/pkg/prom"
)

// Target is one scrape target with a diagnosis of its last scrape. Its JSON is the `targets`
// resource, mirrored in src/datasource/catalog.ts.
type Target struct {
	Job                string            `json:"job"`
	Instance           string            `json:"instance"`
	ScrapePool         string            `json:"scrapePool"`
	ScrapeURL          string            `json:"scrapeUrl"`
	Health             string            `json:"health"` // up, down, unknown
	LastError          string            `json:"lastError,omitempty"`
	LastScrape         time.Time         `json:"lastScrape"`
	LastScrapeDuration float64           `json:"lastScrapeDuration"` // seconds
	ScrapeInterval     string            `json:"scrapeInterval,omitempty"`
	Labels             map[string]string `json:"labels"`
	Diagnosis          *Diagnosis        `json:"diagnosis,omitempty"`
}

// Diagnosis names why a scrape fails and what to do about it.
type Diagnosis struct {
	Kind string `json:"kind"`
	Hint string `json:"hint"`
}

// Targets is the `targets` resource.
type Targets struct {
	Targets []Target `json:"targets"`
	Up      int      `json:"up"`
	Down    int      `json:"down"`
	Unknown int      `json:"unknown"`
}

// Prober fetches the start of a target's metrics endpoint. It is used only where Prometheus' own
// error leaves the cause open (Prometheus 2 says `"INVALID" is not a valid start token` for JSON
// and HTML bodies alike). It must not send the data source's credentials to the target.
type Prober func(ctx context.Context, scrapeURL string) (contentType string, head []byte, err error)

// maxProbes bounds how many failing targets are fetched directly per call.
const maxProbes = 20

// ReadTargets reads /api/v1/targets (active targets) and diagnoses each failing one; probe, when
// not nil, refines diagnoses of bodies Prometheus could not parse.
func ReadTargets(ctx context.Context, c *prom.Client, probe Prober) (Targets, error) {
	resp, err := c.Do(ctx, http.MethodGet, "/api/v1/targets", url.Values{"state": {"active"}})
	if err != nil {
		return Targets{}, err
	}
	var env struct {
		Status string `json:"status"`
		Error  string `json:"error"`
		Data   struct {
			ActiveTargets []struct {
				Labels             map[string]string `json:"labels"`
				ScrapePool         string            `json:"scrapePool"`
				ScrapeURL          string            `json:"scrapeUrl"`
				LastError          string            `json:"lastError"`
				LastScrape         time.Time         `json:"lastScrape"`
				LastScrapeDuration float64           `json:"lastScrapeDuration"`
				Health             string            `json:"health"`
				ScrapeInterval     string            `json:"scrapeInterval"`
			} `json:"activeTargets"`
		} `json:"data"`
	}
	err = c.DecodeJSON(resp, 32<<20, &env)
	// Closed before the failing targets are probed: that frees the data source's request slot
	// (prom.Limiter) for the seconds the probes may take.
	resp.Body.Close()
	if err != nil {
		return Targets{}, err
	}
	if env.Status != "success" {
		return Targets{}, &prom.Error{Kind: prom.KindUpstream, Message: "Prometheus could not list its targets: " + env.Error, Source: backend.ErrorSourceDownstream}
	}
	var out Targets
	probes := 0
	for _, at := range env.Data.ActiveTargets {
		t := Target{
			Job: at.Labels["job"], Instance: at.Labels["instance"], ScrapePool: at.ScrapePool,
			ScrapeURL: redactURL(at.ScrapeURL), Health: at.Health, LastError: at.LastError,
			LastScrape: at.LastScrape, LastScrapeDuration: at.LastScrapeDuration,
			ScrapeInterval: at.ScrapeInterval, Labels: at.Labels,
		}
		switch at.Health {
		case "up":
			out.Up++
		case "down":
			out.Down++
		default:
			out.Unknown++
		}
		if at.Health == "down" || at.LastError != "" {
			t.Diagnosis = Diagnose(at.LastError)
			if t.Diagnosis.Kind == "bad_format" && probe != nil && probes < maxProbes {
				probes++
				t.Diagnosis = refineByProbe(ctx, probe, at.ScrapeURL, t.Diagnosis)
			}
		}
		out.Targets = append(out.Targets, t)
	}
	sort.Slice(out.Targets, func(i, j int) bool {
		a, b := out.Targets[i], out.Targets[j]
		if (a.Health == "down") != (b.Health == "down") {
			return a.Health == "down" // failing targets first
		}
		if a.Job != b.Job {
			return a.Job < b.Job
		}
		return a.Instance < b.Instance
	})
	if len(out.Targets) > MaxCatalogItems {
		out.Targets = out.Targets[:MaxCatalogItems]
	}
	if out.Targets == nil {
		out.Targets = []Target{}
	}
	return out, nil
}

// Diagnose reads Prometheus' last scrape error and says what it means for the user.
func Diagnose(lastError string) *Diagnosis {
	e := strings.ToLower(lastError)
	has := func(subs ...string) bool {
		for _, s := range subs {
			if strings.Contains(e, s) {
				return true
			}
		}
		return false
	}
	switch {
	case has(`got "{"`, `"{" is not a valid start token`, `unsupported content-type "application/json"`, "application/json"):
		return &Diagnosis{"json_body", "the metrics endpoint returns JSON, not the Prometheus text format: a global response interceptor (e.g. NestJS's response wrapper) wraps it; exclude the metrics path from that interceptor"}
	case has(`got "<"`, `"<" is not a valid start token`, "text/html"):
		return &Diagnosis{"html_body", "the metrics endpoint returns an HTML page: the path points at a web page (or a login redirect) instead of the metrics; check metrics_path in the scrape job"}
	case has("404"):
		return &Diagnosis{"not_found", "the metrics path does not exist on the target (HTTP 404): check metrics_path in the scrape job (NestJS apps often serve it under a global prefix, e.g. /api/metrics)"}
	case has("401", "403"):
		return &Diagnosis{"auth", "the target refuses the scrape (HTTP 401/403): configure basic_auth, authorization or TLS client certificates in the scrape job"}
	case has("context deadline exceeded", "timeout"):
		return &Diagnosis{"timeout", "the target did not answer within scrape_timeout: the app is overloaded or the endpoint is slow; raise scrape_timeout or look at the app's event loop"}
	case has("connection refused"):
		return &Diagnosis{"refused", "nothing listens at the target address: the process is down or listens on another port or interface (e.g. only on 127.0.0.1 inside a container)"}
	case has("no such host", "server misbehaving"):
		return &Diagnosis{"dns", "the target host name does not resolve from Prometheus: check the name (inside Docker, use the service name)"}
	case has("x509", "tls:", "certificate"):
		return &Diagnosis{"tls", "the TLS handshake with the target failed: check the scrape job's tls_config (CA, server name) or use http://"}
	case has("body size limit", "sample limit", "label limit"):
		return &Diagnosis{"limit", "the scrape exceeded a limit set in the scrape job (body size, sample or label limit): raise it or drop high-cardinality metrics at the source"}
	case has("invalid metric type", "expected", "parse", "invalid"):
		return &Diagnosis{"bad_format", "the target's metrics are not valid Prometheus text format: check what the endpoint returns (curl it) — a proxy or middleware may rewrite it"}
	case e == "":
		return &Diagnosis{"down", "the target is down but Prometheus reported no error yet: wait for the next scrape"}
	default:
		return &Diagnosis{"other", fmt.Sprintf("the scrape failed: %s", lastError)}
	}
}

// refineByProbe looks at what the endpoint really returns.
func refineByProbe(ctx context.Context, probe Prober, scrapeURL string, d *Diagnosis) *Diagnosis {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	ct, head, err := probe(ctx, scrapeURL)
	if err != nil {
		return d
	}
	body := strings.TrimSpace(string(head))
	ct = strings.ToLower(ct)
	switch {
	case strings.Contains(ct, "json") || strings.HasPrefix(body, "{") || strings.HasPrefix(body, "["):
		return Diagnose(`got "{"`)
	case strings.Contains(ct, "html") || strings.HasPrefix(body, "<"):
		return Diagnose(`got "<"`)
	}
	return d
}

// redactURL drops user info and the values of query parameters that look like secrets.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	u.User = nil
	q := u.Query()
	for k := range q {
		lk := strings.ToLower(k)
		if strings.Contains(lk, "token") || strings.Contains(lk, "key") || strings.Contains(lk, "secret") || strings.Contains(lk, "pass") || strings.Contains(lk, "auth") {
			q.Set(k, "redacted")
		}
	}
	u.RawQuery = q.Encode()
	return u.String()
}
