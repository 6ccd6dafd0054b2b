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
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/resource/httpadapter"

	"github.com/pulse-monitoring/pulse/pkg/discovery"
	"github.com/pulse-monitoring/pulse/pkg/prom"
	"github.com/pulse-monitoring/pulse/pkg/redact"
)

var _ backend.CallResourceHandler = (*Datasource)(nil)

// Resource limits.
const (
	maxListValues   = 10000
	catalogCacheTTL = 30 * time.Second
	targetsCacheTTL = 5 * time.Second
	labelsCacheTTL  = 30 * time.Second

	// What one request may carry. The editor and the pages send a few selectors of well under a
	// kilobyte; a selector from a multi-value variable of a few hundred services stays under 16 KB.
	// Anything beyond is refused before it is parsed, cached or sent on.
	maxQueryBytes    = 64 << 10
	maxSelectorBytes = 16 << 10
	maxLabelBytes    = 1 << 10
	maxSelectors     = 20

	// The cache holds at most this many answers and bytes (keys and bodies).
	cacheEntries = 256
	cacheBytes   = 32 << 20
)

// The read-only resources the editor and the pages use. Only the routes
// below exist; every answer is built here (no upstream headers such as Set-Cookie pass through).
//
//	GET catalog?start=&end=             services, controllers, hosts, containers, databases
//	GET exporters                       which exporters are scraped (as in the health check)
//	GET targets                         scrape targets with a diagnosis
//	GET labels?match[]=&start=&end=     label names
//	GET label-values?label=&match[]=&start=&end=
//	GET metrics                         metric names with type and help
//
// serveResource answers one resource call; CallResource (safe.go) hands its answer to the
// redaction before it leaves. A route is matched by its exact name, before anything parses the path: a URL cleaner (Go's
// ServeMux) would turn "catalog/../targets" or "//catalog" into a redirect to a root-relative
// Location outside the resource prefix, and a path the SDK's adapter cannot parse would be a
// gRPC error instead of an answer. Every other path gets the same JSON 404.
func (d *Datasource) serveResource(ctx context.Context, req *backend.CallResourceRequest, sender backend.CallResourceResponseSender) error {
	routes := d.resourceRoutes()
	if _, ok := routes[strings.TrimPrefix(req.Path, "/")]; !ok {
		notFound := httpadapter.New(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { writeNotFound(w, req.Path) }))
		return notFound.CallResource(ctx, &backend.CallResourceRequest{PluginContext: req.PluginContext, Method: req.Method, Path: "/", URL: "/"}, sender)
	}
	return d.resources.CallResource(ctx, req, sender)
}

func (d *Datasource) resourceRoutes() map[string]http.HandlerFunc {
	d.resourcesOnce.Do(func() {
		d.routes = map[string]http.HandlerFunc{
			"catalog":      d.getOnly("catalog", readsRange, d.handleCatalog),
			"exporters":    d.getOnly("exporters", 0, d.handleExporters),
			"targets":      d.getOnly("targets", 0, d.handleTargets),
			"labels":       d.getOnly("labels", readsMatch|readsRange, d.handleLabels),
			"label-values": d.getOnly("label-values", readsLabel|readsMatch|readsRange, d.handleLabelValues),
			"metrics":      d.getOnly("metrics", readsMatch|readsRange, d.handleMetrics),
		}
		d.resources = httpadapter.New(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if h, ok := d.routes[strings.TrimPrefix(r.URL.Path, "/")]; ok {
				h(w, r)
				return
			}
			writeNotFound(w, r.URL.Path)
		}))
	})
	return d.routes
}

func writeNotFound(w http.ResponseWriter, path string) {
	writeError(w, http.StatusNotFound, fmt.Sprintf("unknown resource %q: the Pulse data source serves catalog, exporters, targets, labels, label-values and metrics", redact.Clip(path, 40)))
}

type resourceFunc func(ctx context.Context, p resourceParams) (any, time.Duration, error)

// getOnly reads the parameters route uses (and only those: any other parameter is ignored) and
// answers from the cache when it can. The cache key is built from the parsed parameters, never
// from the raw query string, so that junk cannot grow the cache and the same question asked in
// another order or spelling is one entry.
func (d *Datasource) getOnly(route string, reads paramSet, h resourceFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet {
			writeError(w, http.StatusMethodNotAllowed, "Pulse resources are read-only: use GET")
			return
		}
		if d.settingsErr != nil {
			writeError(w, http.StatusBadRequest, d.settingsErr.Error())
			return
		}
		p, err := readParams(r.URL.RawQuery, reads, time.Now())
		if err != nil {
			writeError(w, http.StatusBadRequest, err.Error())
			return
		}
		key := p.cacheKey(route)
		if body, ok := d.cache.get(key); ok {
			writeJSON(w, body)
			return
		}
		v, ttl, err := h(r.Context(), p)
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
		d.cache.put(key, body, ttl)
		writeJSON(w, body)
	}
}

type badRequest struct{ msg string }

func (b badRequest) Error() string { return b.msg }

func (d *Datasource) handleCatalog(ctx context.Context, p resourceParams) (any, time.Duration, error) {
	return discovery.BuildCatalog(ctx, d.client, d.settings.Metrics, p.start, p.end), catalogCacheTTL, nil
}

func (d *Datasource) handleExporters(ctx context.Context, _ resourceParams) (any, time.Duration, error) {
	return map[string]any{"exporters": discovery.Exporters(ctx, d.client, d.settings.Metrics, time.Now())}, catalogCacheTTL, nil
}

func (d *Datasource) handleTargets(ctx context.Context, _ resourceParams) (any, time.Duration, error) {
	t, err := discovery.ReadTargets(ctx, d.client, probeTarget)
	return t, targetsCacheTTL, err
}

func (d *Datasource) handleLabels(ctx context.Context, p resourceParams) (any, time.Duration, error) {
	values, truncated, err := d.stringList(ctx, "/api/v1/labels", p.seriesParams())
	return listAnswer(values, truncated), labelsCacheTTL, err
}

func (d *Datasource) handleLabelValues(ctx context.Context, p resourceParams) (any, time.Duration, error) {
	if p.label == "" {
		return nil, 0, badRequest{"label-values needs ?label=<name>"}
	}
	values, truncated, err := d.stringList(ctx, "/api/v1/label/"+labelPathSegment(p.label)+"/values", p.seriesParams())
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

func (d *Datasource) handleMetrics(ctx context.Context, p resourceParams) (any, time.Duration, error) {
	names, truncated, err := d.stringList(ctx, "/api/v1/label/__name__/values", p.seriesParams())
	if err != nil {
		return nil, 0, err
	}
	meta := d.metadata(ctx)
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

// paramSet says which parameters a route reads. Any other parameter is ignored, for the answer
// and for the cache key alike.
type paramSet uint8

const (
	readsLabel paramSet = 1 << iota
	readsMatch
	readsRange
)

// resourceParams are a request's parameters, parsed and validated. The handler uses exactly
// these, and the cache key is built from them.
type resourceParams struct {
	label   string
	matches []string // sorted, without blanks or duplicates: Prometheus takes their union anyway
	// start and end are whole seconds when given; otherwise end is now and start an hour before.
	start, end           time.Time
	startGiven, endGiven bool
}

// readParams parses the raw query string of a request for the parameters reads names. Sizes are
// checked first, so that nothing oversized is parsed further, kept or sent on; messages quote at
// most 40 characters of what was sent.
func readParams(rawQuery string, reads paramSet, now time.Time) (resourceParams, error) {
	var p resourceParams
	if len(rawQuery) > maxQueryBytes {
		return p, badRequest{fmt.Sprintf("the request's parameters are %s, more than the %s a Pulse resource accepts: use fewer or shorter match[] selectors", byteSize(len(rawQuery)), byteSize(maxQueryBytes))}
	}
	// As before, a malformed pair is dropped rather than failing the request.
	q, _ := url.ParseQuery(rawQuery)
	if reads&readsLabel != 0 {
		p.label = q.Get("label")
		if len(p.label) > maxLabelBytes {
			return p, badRequest{fmt.Sprintf("label (beginning %q) is %s; a label name may be at most %s", redact.Clip(p.label, 40), byteSize(len(p.label)), byteSize(maxLabelBytes))}
		}
	}
	if reads&readsMatch != 0 {
		for _, m := range q["match[]"] {
			if len(m) > maxSelectorBytes {
				return p, badRequest{fmt.Sprintf("a match[] selector (beginning %q) is %s; each may be at most %s: split it into several selectors or match fewer values with one regex", redact.Clip(m, 40), byteSize(len(m)), byteSize(maxSelectorBytes))}
			}
			if strings.TrimSpace(m) != "" {
				p.matches = append(p.matches, m)
			}
		}
		sort.Strings(p.matches)
		p.matches = slices.Compact(p.matches)
		if len(p.matches) > maxSelectors {
			return p, badRequest{fmt.Sprintf("at most %d match[] selectors", maxSelectors)}
		}
	}
	if reads&readsRange != 0 {
		var err error
		if p.start, p.end, err = timeRange(q.Get("start"), q.Get("end"), now); err != nil {
			return p, err
		}
		p.startGiven, p.endGiven = q.Get("start") != "", q.Get("end") != ""
	}
	return p, nil
}

// cacheKey names the answer to these parameters on route. A time that was not given is not in
// the key: "the last hour" is one question for as long as the answer is kept.
func (p resourceParams) cacheKey(route string) string {
	k := struct {
		Route, Label string
		Start, End   int64
		Match        []string
	}{route, p.label, -1, -1, p.matches}
	if p.startGiven {
		k.Start = p.start.Unix()
	}
	if p.endGiven {
		k.End = p.end.Unix()
	}
	raw, _ := json.Marshal(k)
	return string(raw)
}

// seriesParams are the match[], start and end sent to the label APIs; start and end only when
// the request gave one of them.
func (p resourceParams) seriesParams() url.Values {
	out := url.Values{}
	for _, m := range p.matches {
		out.Add("match[]", m)
	}
	if p.startGiven || p.endGiven {
		out.Set("start", strconv.FormatInt(p.start.Unix(), 10))
		out.Set("end", strconv.FormatInt(p.end.Unix(), 10))
	}
	return out
}

// timeRange reads start and end (unix seconds or RFC 3339); the default is the last hour.
func timeRange(startText, endText string, now time.Time) (time.Time, time.Time, error) {
	end := now
	start := end.Add(-time.Hour)
	var err error
	if startText != "" {
		if start, err = resourceTime("start", startText, now); err != nil {
			return start, end, err
		}
	}
	if endText != "" {
		if end, err = resourceTime("end", endText, now); err != nil {
			return start, end, err
		}
	}
	if end.Before(start) {
		return start, end, badRequest{"end is before start"}
	}
	return start, end, nil
}

// resourceTime reads one time, to the second. Accepted: 1970-01-01 to a year from now. Nothing
// Prometheus holds is older, no dashboard means a range further ahead, and beyond them a number
// (1e300, -1e12) would wrap into some other time; NaN and Inf are not times at all.
func resourceTime(name, v string, now time.Time) (time.Time, error) {
	latest := now.AddDate(1, 0, 0).Unix()
	bad := badRequest{fmt.Sprintf("%s=%q is not a time Pulse accepts: give unix seconds or an RFC 3339 time from 1970-01-01 to one year from now", name, redact.Clip(v, 40))}
	if f, err := strconv.ParseFloat(v, 64); err == nil {
		if !(f >= 0 && f <= float64(latest)) { // also false for NaN
			return time.Time{}, bad
		}
		return time.Unix(int64(f), 0), nil
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil || t.Unix() < 0 || t.Unix() > latest {
		return time.Time{}, bad
	}
	return time.Unix(t.Unix(), 0), nil
}

// byteSize says n in the unit a reader compares limits in.
func byteSize(n int) string {
	if n >= 1<<20 {
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%d KB", (n+1023)/1024)
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
