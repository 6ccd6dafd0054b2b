package plugin

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/resource/httpadapter"

	"github.com/pulse-monitoring/pulse/pkg/discovery"
	"github.com/pulse-monitoring/pulse/pkg/prom"
)

var _ backend.CallResourceHandler = (*Datasource)(nil)

// Resource limits.
const (
	maxListValues   = 10000
	catalogCacheTTL = 30 * time.Second
	targetsCacheTTL = 5 * time.Second
	labelsCacheTTL  = 30 * time.Second
)

// resourceHandler serves the read-only resources the editor and the pages use. Only the routes
// below exist; every answer is built here (no upstream headers such as Set-Cookie pass through).
//
//	GET catalog?start=&end=             services, controllers, hosts, containers, databases
//	GET exporters                       which exporters are scraped (as in the health check)
//	GET targets                         scrape targets with a diagnosis
//	GET labels?match[]=&start=&end=     label names
//	GET label-values?label=&match[]=&start=&end=
//	GET metrics                         metric names with type and help
//
// CallResource (safe.go) hands each answer to the redaction before it leaves.
func (d *Datasource) resourceHandler() backend.CallResourceHandler {
	d.resourcesOnce.Do(func() {
		mux := http.NewServeMux()
		mux.HandleFunc("/catalog", d.getOnly(d.handleCatalog))
		mux.HandleFunc("/exporters", d.getOnly(d.handleExporters))
		mux.HandleFunc("/targets", d.getOnly(d.handleTargets))
		mux.HandleFunc("/labels", d.getOnly(d.handleLabels))
		mux.HandleFunc("/label-values", d.getOnly(d.handleLabelValues))
		mux.HandleFunc("/metrics", d.getOnly(d.handleMetrics))
		mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
			writeError(w, http.StatusNotFound, fmt.Sprintf("unknown resource %q: the Pulse data source serves catalog, exporters, targets, labels, label-values and metrics", r.URL.Path))
		})
		d.resources = httpadapter.New(mux)
	})
	return d.resources
}

func (d *Datasource) getOnly(h func(w http.ResponseWriter, r *http.Request) (any, time.Duration, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet {
			writeError(w, http.StatusMethodNotAllowed, "Pulse resources are read-only: use GET")
			return
		}
		if d.settingsErr != nil {
			writeError(w, http.StatusBadRequest, d.settingsErr.Error())
			return
		}
		key := r.URL.Path + "?" + r.URL.RawQuery
		if body, ok := d.cache.get(key); ok {
			writeJSON(w, body)
			return
		}
		v, ttl, err := h(w, r)
		if err != nil {
			status := http.StatusBadGateway
			var bad badRequest
			if errors.As(err, &bad) {
				status = http.StatusBadRequest
			}
			writeError(w, status, err.Error())
			return
		}
		body, err := json.Marshal(v)
		if err != nil {
			writeError(w, http.StatusInternalServerError, "cannot encode the answer")
			return
		}
		if ttl > 0 {
			d.cache.put(key, body, ttl)
		}
		writeJSON(w, body)
	}
}

type badRequest struct{ msg string }

func (b badRequest) Error() string { return b.msg }

func (d *Datasource) handleCatalog(_ http.ResponseWriter, r *http.Request) (any, time.Duration, error) {
	start, end, err := timeRange(r.URL.Query())
	if err != nil {
		return nil, 0, err
	}
	return discovery.BuildCatalog(r.Context(), d.client, d.settings.Metrics, start, end), catalogCacheTTL, nil
}

func (d *Datasource) handleExporters(_ http.ResponseWriter, r *http.Request) (any, time.Duration, error) {
	return map[string]any{"exporters": discovery.Exporters(r.Context(), d.client, d.settings.Metrics, time.Now())}, catalogCacheTTL, nil
}

func (d *Datasource) handleTargets(_ http.ResponseWriter, r *http.Request) (any, time.Duration, error) {
	t, err := discovery.ReadTargets(r.Context(), d.client, probeTarget)
	return t, targetsCacheTTL, err
}

func (d *Datasource) handleLabels(_ http.ResponseWriter, r *http.Request) (any, time.Duration, error) {
	params, err := seriesParams(r.URL.Query())
	if err != nil {
		return nil, 0, err
	}
	values, truncated, err := d.stringList(r.Context(), "/api/v1/labels", params)
	return listAnswer(values, truncated), labelsCacheTTL, err
}

func (d *Datasource) handleLabelValues(_ http.ResponseWriter, r *http.Request) (any, time.Duration, error) {
	q := r.URL.Query()
	label := q.Get("label")
	if label == "" {
		return nil, 0, badRequest{"label-values needs ?label=<name>"}
	}
	params, err := seriesParams(q)
	if err != nil {
		return nil, 0, err
	}
	values, truncated, err := d.stringList(r.Context(), "/api/v1/label/"+labelPathSegment(label)+"/values", params)
	return listAnswer(values, truncated), labelsCacheTTL, err
}

// targetProbeClient fetches a failing target's metrics endpoint for the diagnosis: short timeout,
// none of the data source's credentials or headers, redirects followed on the target's own
// origin only (a redirect elsewhere, such as a login page, is itself the answer: the probe stops
// there and the diagnosis stays Prometheus' own).
var targetProbeClient = &http.Client{
	Timeout:       3 * time.Second,
	CheckRedirect: prom.SameOriginRedirects,
}

func probeTarget(ctx context.Context, scrapeURL string) (string, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, scrapeURL, nil)
	if err != nil {
		return "", nil, err
	}
	req.Header.Set("Accept", "text/plain;version=0.0.4;q=1,*/*;q=0.1")
	resp, err := targetProbeClient.Do(req)
	if err != nil {
		return "", nil, err
	}
	defer resp.Body.Close()
	head, err := io.ReadAll(io.LimitReader(resp.Body, 512))
	return resp.Header.Get("Content-Type"), head, err
}

// metricInfo is one metric name with its metadata.
type metricInfo struct {
	Name string `json:"name"`
	Type string `json:"type,omitempty"`
	Help string `json:"help,omitempty"`
	Unit string `json:"unit,omitempty"`
}

func (d *Datasource) handleMetrics(_ http.ResponseWriter, r *http.Request) (any, time.Duration, error) {
	params, err := seriesParams(r.URL.Query())
	if err != nil {
		return nil, 0, err
	}
	names, truncated, err := d.stringList(r.Context(), "/api/v1/label/__name__/values", params)
	if err != nil {
		return nil, 0, err
	}
	meta := d.metadata(r.Context())
	out := make([]metricInfo, 0, len(names))
	for _, n := range names {
		info := metricInfo{Name: n}
		if m, ok := meta[n]; ok {
			info.Type, info.Help, info.Unit = m.Type, m.Help, m.Unit
		} else if base, ok := histogramBase(n); ok {
			if m, ok := meta[base]; ok {
				info.Type, info.Help = m.Type, m.Help
			}
		}
		out = append(out, info)
	}
	return map[string]any{"metrics": out, "truncated": truncated}, labelsCacheTTL, nil
}

// metadata reads /api/v1/metadata; an engine without it (or an error) just yields no metadata.
func (d *Datasource) metadata(ctx context.Context) map[string]metricInfo {
	resp, err := d.client.Do(ctx, http.MethodGet, "/api/v1/metadata", url.Values{})
	if err != nil {
		return nil
	}
	defer resp.Body.Close()
	var env struct {
		Data map[string][]metricInfo `json:"data"`
	}
	if err := d.client.DecodeJSON(resp, 64<<20, &env); err != nil {
		return nil
	}
	out := make(map[string]metricInfo, len(env.Data))
	for name, list := range env.Data {
		if len(list) > 0 {
			out[name] = list[0]
		}
	}
	return out
}

func histogramBase(name string) (string, bool) {
	for _, sfx := range []string{"_bucket", "_count", "_sum"} {
		if strings.HasSuffix(name, sfx) {
			return strings.TrimSuffix(name, sfx), true
		}
	}
	return "", false
}

// stringList runs an API call whose data is a list of strings, capped at maxListValues.
func (d *Datasource) stringList(ctx context.Context, path string, params url.Values) ([]string, bool, error) {
	resp, err := d.client.Do(ctx, http.MethodGet, path, params)
	if err != nil {
		return nil, false, err
	}
	defer resp.Body.Close()
	var env struct {
		Status    string   `json:"status"`
		ErrorType string   `json:"errorType"`
		Error     string   `json:"error"`
		Data      []string `json:"data"`
	}
	if err := d.client.DecodeJSON(resp, 64<<20, &env); err != nil {
		return nil, false, err
	}
	if env.Status != "success" {
		return nil, false, &prom.Error{Kind: prom.KindBadQuery, Message: fmt.Sprintf("Prometheus refused the request: %s: %s", env.ErrorType, env.Error), Source: backend.ErrorSourceDownstream}
	}
	sort.Strings(env.Data)
	if len(env.Data) > maxListValues {
		return env.Data[:maxListValues], true, nil
	}
	if env.Data == nil {
		env.Data = []string{}
	}
	return env.Data, false, nil
}

func listAnswer(values []string, truncated bool) map[string]any {
	return map[string]any{"values": values, "truncated": truncated}
}

// seriesParams passes match[], start and end through, validated.
func seriesParams(q url.Values) (url.Values, error) {
	out := url.Values{}
	for _, m := range q["match[]"] {
		if strings.TrimSpace(m) != "" {
			out.Add("match[]", m)
		}
	}
	if len(out["match[]"]) > 20 {
		return nil, badRequest{"at most 20 match[] selectors"}
	}
	if q.Get("start") != "" || q.Get("end") != "" {
		start, end, err := timeRange(q)
		if err != nil {
			return nil, err
		}
		out.Set("start", strconv.FormatInt(start.Unix(), 10))
		out.Set("end", strconv.FormatInt(end.Unix(), 10))
	}
	return out, nil
}

// timeRange reads start and end (unix seconds or RFC 3339); the default is the last hour.
func timeRange(q url.Values) (time.Time, time.Time, error) {
	end := time.Now()
	start := end.Add(-time.Hour)
	parse := func(name, v string, into *time.Time) error {
		if v == "" {
			return nil
		}
		if f, err := strconv.ParseFloat(v, 64); err == nil {
			*into = time.UnixMilli(int64(f * 1000))
			return nil
		}
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			return badRequest{fmt.Sprintf("%s=%q is not a unix timestamp or an RFC 3339 time", name, v)}
		}
		*into = t
		return nil
	}
	if err := parse("start", q.Get("start"), &start); err != nil {
		return start, end, err
	}
	if err := parse("end", q.Get("end"), &end); err != nil {
		return start, end, err
	}
	if end.Before(start) {
		return start, end, badRequest{"end is before start"}
	}
	return start, end, nil
}

var legacyLabelName = regexp.MustCompile(`^[a-zA-Z_][a-zA-Z0-9_]*$`)

// labelPathSegment puts a label name into /api/v1/label/<name>/values. Classic names go as they
// are; any other name (UTF-8, '/', '..') uses Prometheus 3's "U__" escaping, so it can never
// change the path.
func labelPathSegment(name string) string {
	if legacyLabelName.MatchString(name) {
		return name
	}
	var b strings.Builder
	b.WriteString("U__")
	for _, r := range name {
		switch {
		case r == '_':
			b.WriteString("__")
		case r < 128 && (r == ':' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9')):
			b.WriteRune(r)
		default:
			fmt.Fprintf(&b, "_%x_", r)
		}
	}
	return b.String()
}

func writeJSON(w http.ResponseWriter, body []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
}

func writeError(w http.ResponseWriter, status int, msg string) {
	body, _ := json.Marshal(map[string]string{"message": msg})
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
