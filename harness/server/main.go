// Command server is the Go half of the browser harness (harness/): it starts the built backend binary the way
// Grafana does (internal/pluginhost), answers the part of Grafana's HTTP API the plugin uses by driving that
// binary over gRPC, serves dist/ under /public/plugins/<id>/ and serves the host page (harness/host) with
// Grafana-style boot data. It listens on 127.0.0.1 only. It is not part of the shipped plugin.
//
// Any /api/ path it does not serve answers 404 and is logged ("harness: unknown API path: ...") and listed at
// GET /harness/unknown-api, so a spec fails when the plugin calls an API the harness (and so this review) does
// not know about.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"go.yaml.in/yaml/v3"

	"github.com/pulse-monitoring/pulse/internal/pluginhost"
)

const grafanaVersion = "12.4.2"

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "listen address (127.0.0.1 only; port 0 picks a free port)")
	dist := flag.String("dist", "dist", "the built plugin (dist/ of npm run build + mage)")
	prov := flag.String("provisioning", "provisioning", "the provisioning folder whose datasources/ and plugins/ settings are served")
	promURL := flag.String("prometheus-url", os.Getenv("PULSE_PROMETHEUS_URL"), "override the provisioned data source URL (env PULSE_PROMETHEUS_URL)")
	hostDir := flag.String("host", "harness/host/dist", "the built host page (vite build output)")
	uiPublic := flag.String("ui-public", "", "@grafana/ui's dist/public folder (img, fonts); default: <host>/../node_modules/@grafana/ui/dist/public")
	urlFile := flag.String("url-file", "", "write the base URL to this file once listening")
	flag.Parse()

	if !strings.HasPrefix(*addr, "127.0.0.1:") {
		log.Fatalf("harness: refusing to listen on %s: 127.0.0.1 only", *addr)
	}
	if *uiPublic == "" {
		*uiPublic = filepath.Join(*hostDir, "..", "node_modules", "@grafana", "ui", "dist", "public")
	}

	st, err := loadState(*dist, *prov, *promURL)
	if err != nil {
		log.Fatalf("harness: %v", err)
	}

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatalf("harness: listen: %v", err)
	}
	baseURL := "http://" + ln.Addr().String() + "/"

	bin, err := pluginhost.BinaryPath(*dist)
	if err != nil {
		log.Fatalf("harness: %v", err)
	}
	plugin, err := pluginhost.Start(bin, pluginhost.Options{
		PluginID: dsPluginID,
		Stderr:   prefixWriter("plugin: ", os.Stderr),
		Env:      []string{"GF_VERSION=" + grafanaVersion, "GF_EDITION=oss", "GF_APP_URL=" + baseURL, "GF_PLUGIN_APP_URL=" + baseURL},
	})
	if err != nil {
		log.Fatalf("harness: starting %s: %v", bin, err)
	}
	defer plugin.Close()

	s := &server{state: st, plugin: plugin, dist: *dist, hostDir: *hostDir, uiPublic: *uiPublic, baseURL: baseURL}
	srv := &http.Server{Handler: s.routes(), ReadHeaderTimeout: 10 * time.Second}

	if *urlFile != "" {
		if err := os.WriteFile(*urlFile, []byte(baseURL), 0o644); err != nil {
			log.Fatalf("harness: %v", err)
		}
	}
	log.Printf("harness: backend %s started; data source %q → %s", bin, st.ds.UID, st.ds.URL)
	fmt.Printf("harness: listening on %s\n", baseURL)
	fmt.Printf("harness: app %sa/%s/  ·  data source %sconnections/datasources/edit/%s  ·  editor %sexplore\n",
		baseURL, appPluginID, baseURL, st.ds.UID, baseURL)

	go func() {
		sig := make(chan os.Signal, 1)
		signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
		<-sig
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
	}()
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		plugin.Close()
		log.Fatalf("harness: %v", err)
	}
}

const (
	appPluginID = "pulse-monitoring-app"
	dsPluginID  = "pulse-prometheus-datasource"
)

// ---------------------------------------------------------------------------------------------------------
// Settings (from provisioning/, kept in memory; PUT/POST change them for the life of the process).

type dataSource struct {
	ID              int64             `json:"id"`
	UID             string            `json:"uid"`
	Name            string            `json:"name"`
	Type            string            `json:"type"`
	Access          string            `json:"access"`
	URL             string            `json:"url"`
	User            string            `json:"user"`
	Database        string            `json:"database"`
	BasicAuth       bool              `json:"basicAuth"`
	BasicAuthUser   string            `json:"basicAuthUser"`
	WithCredentials bool              `json:"withCredentials"`
	IsDefault       bool              `json:"isDefault"`
	JSONData        map[string]any    `json:"jsonData"`
	SecureJSONData  map[string]string `json:"-"`
	ReadOnly        bool              `json:"readOnly"`
	Version         int               `json:"version"`
	Updated         time.Time         `json:"-"`
}

type pluginSettings struct {
	ID             string
	Dir            string // folder of its plugin.json in dist/
	Meta           map[string]any
	Enabled        bool
	Pinned         bool
	JSONData       map[string]any
	SecureJSONData map[string]string
}

type state struct {
	mu      sync.Mutex
	ds      *dataSource
	plugins map[string]*pluginSettings
}

func loadState(dist, prov, promURL string) (*state, error) {
	var dsFile struct {
		Datasources []struct {
			Name           string            `yaml:"name"`
			UID            string            `yaml:"uid"`
			Type           string            `yaml:"type"`
			Access         string            `yaml:"access"`
			URL            string            `yaml:"url"`
			User           string            `yaml:"user"`
			Database       string            `yaml:"database"`
			BasicAuth      bool              `yaml:"basicAuth"`
			BasicAuthUser  string            `yaml:"basicAuthUser"`
			IsDefault      bool              `yaml:"isDefault"`
			Editable       bool              `yaml:"editable"`
			JSONData       map[string]any    `yaml:"jsonData"`
			SecureJSONData map[string]string `yaml:"secureJsonData"`
		} `yaml:"datasources"`
	}
	if err := readYAML(filepath.Join(prov, "datasources", "pulse.yaml"), &dsFile); err != nil {
		return nil, err
	}
	st := &state{plugins: map[string]*pluginSettings{}}
	for i, d := range dsFile.Datasources {
		if d.Type != dsPluginID {
			continue
		}
		st.ds = &dataSource{
			ID: int64(i + 1), UID: d.UID, Name: d.Name, Type: d.Type, Access: d.Access, URL: d.URL, User: d.User,
			Database: d.Database, BasicAuth: d.BasicAuth, BasicAuthUser: d.BasicAuthUser, IsDefault: d.IsDefault,
			JSONData: orEmpty(d.JSONData), SecureJSONData: map[string]string{}, ReadOnly: !d.Editable, Version: 1,
			Updated: time.Now(),
		}
		for k, v := range d.SecureJSONData {
			st.ds.SecureJSONData[k] = os.ExpandEnv(v)
		}
	}
	if st.ds == nil {
		return nil, fmt.Errorf("%s/datasources/pulse.yaml provisions no %s data source", prov, dsPluginID)
	}
	if promURL != "" {
		st.ds.URL = promURL
	}

	var appFile struct {
		Apps []struct {
			Type           string            `yaml:"type"`
			Disabled       bool              `yaml:"disabled"`
			JSONData       map[string]any    `yaml:"jsonData"`
			SecureJSONData map[string]string `yaml:"secureJsonData"`
		} `yaml:"apps"`
	}
	if err := readYAML(filepath.Join(prov, "plugins", "app.yaml"), &appFile); err != nil {
		return nil, err
	}
	for id, dir := range map[string]string{appPluginID: dist, dsPluginID: filepath.Join(dist, "datasource")} {
		meta, err := readPluginJSON(dir)
		if err != nil {
			return nil, err
		}
		st.plugins[id] = &pluginSettings{ID: id, Dir: dir, Meta: meta, Enabled: true, JSONData: map[string]any{}, SecureJSONData: map[string]string{}}
	}
	for _, a := range appFile.Apps {
		if p := st.plugins[a.Type]; p != nil {
			p.Enabled = !a.Disabled
			p.JSONData = orEmpty(a.JSONData)
			for k, v := range a.SecureJSONData {
				p.SecureJSONData[k] = os.ExpandEnv(v)
			}
		}
	}
	return st, nil
}

func readYAML(path string, into any) error {
	raw, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := yaml.Unmarshal(raw, into); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

func readPluginJSON(dir string) (map[string]any, error) {
	raw, err := os.ReadFile(filepath.Join(dir, "plugin.json"))
	if err != nil {
		return nil, fmt.Errorf("no built plugin in %s (run npm run build): %w", dir, err)
	}
	var meta map[string]any
	if err := json.Unmarshal(raw, &meta); err != nil {
		return nil, fmt.Errorf("%s/plugin.json: %w", dir, err)
	}
	return meta, nil
}

func orEmpty(m map[string]any) map[string]any {
	if m == nil {
		return map[string]any{}
	}
	return m
}

// instanceSettings is what the plugin receives: secureJsonData decrypted (here: as provisioned/saved).
func (d *dataSource) instanceSettings() *backend.DataSourceInstanceSettings {
	jd, _ := json.Marshal(d.JSONData)
	sec := map[string]string{}
	for k, v := range d.SecureJSONData {
		sec[k] = v
	}
	return &backend.DataSourceInstanceSettings{
		ID: d.ID, UID: d.UID, Type: d.Type, Name: d.Name, URL: d.URL, User: d.User, Database: d.Database,
		BasicAuthEnabled: d.BasicAuth, BasicAuthUser: d.BasicAuthUser, JSONData: jd,
		DecryptedSecureJSONData: sec, Updated: d.Updated,
	}
}

// dto is what the browser receives: secureJsonFields only, never secureJsonData.
func (d *dataSource) dto() map[string]any {
	raw, _ := json.Marshal(d)
	var out map[string]any
	_ = json.Unmarshal(raw, &out)
	out["orgId"] = 1
	out["typeName"] = "Pulse Prometheus"
	out["typeLogoUrl"] = "public/plugins/" + dsPluginID + "/img/logo.svg"
	out["secureJsonFields"] = secureFields(d.SecureJSONData)
	return out
}

func secureFields(m map[string]string) map[string]bool {
	out := map[string]bool{}
	for k, v := range m {
		if v != "" {
			out[k] = true
		}
	}
	return out
}

// pluginMeta is Grafana's PluginMeta / PluginSetting DTO for a plugin in dist/.
func (s *server) pluginMeta(p *pluginSettings) map[string]any {
	base := "public/plugins/" + p.ID
	out := map[string]any{}
	raw, _ := json.Marshal(p.Meta) // a deep copy: the logos below are rewritten
	_ = json.Unmarshal(raw, &out)
	info, _ := out["info"].(map[string]any)
	if info != nil {
		if logos, ok := info["logos"].(map[string]any); ok {
			fixed := map[string]any{}
			for k, v := range logos {
				fixed[k] = base + "/" + fmt.Sprint(v)
			}
			info["logos"] = fixed
		}
	}
	translations := map[string]string{}
	if langs, ok := p.Meta["languages"].([]any); ok {
		for _, l := range langs {
			lang := fmt.Sprint(l)
			translations[lang] = base + "/locales/" + lang + "/" + p.ID + ".json"
		}
	}
	out["enabled"] = p.Enabled
	out["pinned"] = p.Pinned
	out["module"] = base + "/module.js"
	out["baseUrl"] = base
	out["jsonData"] = p.JSONData
	out["secureJsonFields"] = secureFields(p.SecureJSONData)
	out["translations"] = translations
	out["signature"] = "internal"
	out["loadingStrategy"] = "script"
	out["angularDetected"] = false
	out["hasUpdate"] = false
	out["defaultNavUrl"] = "/a/" + appPluginID + "/"
	if p.ID == appPluginID {
		out["defaultNavUrl"] = "/a/" + appPluginID + "/overview"
	}
	return out
}

// ---------------------------------------------------------------------------------------------------------
// HTTP

type server struct {
	state    *state
	plugin   *pluginhost.Plugin
	dist     string
	hostDir  string
	uiPublic string
	baseURL  string

	unknownMu sync.Mutex
	unknown   []string
}

func (s *server) routes() http.Handler {
	mux := http.NewServeMux() // the Grafana API
	pages := http.NewServeMux()
	mux.HandleFunc("POST /api/ds/query", s.query)
	mux.HandleFunc("GET /api/datasources", s.listDataSources)
	mux.HandleFunc("GET /api/datasources/uid/{uid}", s.getDataSource)
	mux.HandleFunc("PUT /api/datasources/uid/{uid}", s.putDataSource)
	mux.HandleFunc("GET /api/datasources/uid/{uid}/health", s.health)
	mux.HandleFunc("/api/datasources/uid/{uid}/resources/{path...}", s.resource)
	mux.HandleFunc("GET /api/plugins/{id}/settings", s.getPluginSettings)
	mux.HandleFunc("POST /api/plugins/{id}/settings", s.postPluginSettings)
	mux.HandleFunc("/api/", s.unknownAPI)

	pages.HandleFunc("GET /harness/unknown-api", func(w http.ResponseWriter, r *http.Request) {
		s.unknownMu.Lock()
		defer s.unknownMu.Unlock()
		writeJSON(w, http.StatusOK, map[string]any{"paths": append([]string{}, s.unknown...)})
	})

	pages.Handle("GET /public/plugins/"+appPluginID+"/", noCache(http.StripPrefix("/public/plugins/"+appPluginID+"/", http.FileServer(http.Dir(s.dist)))))
	pages.Handle("GET /public/plugins/"+dsPluginID+"/", noCache(http.StripPrefix("/public/plugins/"+dsPluginID+"/", http.FileServer(http.Dir(filepath.Join(s.dist, "datasource"))))))
	pages.Handle("GET /public/build/img/", http.StripPrefix("/public/build/img/", http.FileServer(http.Dir(filepath.Join(s.uiPublic, "img")))))
	pages.Handle("GET /public/img/", http.StripPrefix("/public/img/", http.FileServer(http.Dir(filepath.Join(s.uiPublic, "img")))))
	pages.Handle("GET /public/fonts/", http.StripPrefix("/public/fonts/", http.FileServer(http.Dir(filepath.Join(s.uiPublic, "fonts")))))
	pages.Handle("GET /public/build/", http.StripPrefix("/public/build/", http.FileServer(http.Dir(s.hostDir))))
	pages.HandleFunc("GET /public/", func(w http.ResponseWriter, r *http.Request) {
		log.Printf("harness: unknown public path: %s", r.URL.Path)
		http.NotFound(w, r)
	})
	pages.HandleFunc("GET /favicon.ico", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	// Every other GET is a page of the single-page host (Grafana answers its routes with index.html too).
	pages.HandleFunc("GET /", s.index)
	return logRequests(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/api/") {
			mux.ServeHTTP(w, r)
			return
		}
		pages.ServeHTTP(w, r)
	}))
}

func (s *server) unknownAPI(w http.ResponseWriter, r *http.Request) {
	line := r.Method + " " + r.URL.Path
	log.Printf("harness: unknown API path: %s", line)
	s.unknownMu.Lock()
	s.unknown = append(s.unknown, line)
	s.unknownMu.Unlock()
	writeJSON(w, http.StatusNotFound, map[string]any{"message": "harness: unknown API path " + line})
}

func (s *server) lookupDS(w http.ResponseWriter, r *http.Request) (*dataSource, bool) {
	uid := r.PathValue("uid")
	if uid != s.state.ds.UID {
		log.Printf("harness: unknown data source uid %q in %s %s", uid, r.Method, r.URL.Path)
		writeJSON(w, http.StatusNotFound, map[string]any{"message": "Data source not found"})
		return nil, false
	}
	return s.state.ds, true
}

func (s *server) listDataSources(w http.ResponseWriter, r *http.Request) {
	s.state.mu.Lock()
	defer s.state.mu.Unlock()
	d := s.state.ds.dto()
	delete(d, "secureJsonFields")
	writeJSON(w, http.StatusOK, []any{d})
}

func (s *server) getDataSource(w http.ResponseWriter, r *http.Request) {
	s.state.mu.Lock()
	defer s.state.mu.Unlock()
	ds, ok := s.lookupDS(w, r)
	if !ok {
		return
	}
	writeJSON(w, http.StatusOK, ds.dto())
}

func (s *server) putDataSource(w http.ResponseWriter, r *http.Request) {
	s.state.mu.Lock()
	defer s.state.mu.Unlock()
	ds, ok := s.lookupDS(w, r)
	if !ok {
		return
	}
	if ds.ReadOnly {
		writeJSON(w, http.StatusForbidden, map[string]any{"message": "Cannot update read-only data source"})
		return
	}
	var in struct {
		Name           *string           `json:"name"`
		URL            *string           `json:"url"`
		Access         *string           `json:"access"`
		User           *string           `json:"user"`
		Database       *string           `json:"database"`
		BasicAuth      *bool             `json:"basicAuth"`
		BasicAuthUser  *string           `json:"basicAuthUser"`
		IsDefault      *bool             `json:"isDefault"`
		JSONData       map[string]any    `json:"jsonData"`
		SecureJSONData map[string]string `json:"secureJsonData"`
		Version        *int              `json:"version"`
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]any{"message": "bad request data: " + err.Error()})
		return
	}
	if in.Version != nil && *in.Version != ds.Version {
		// Grafana refuses an update made from an outdated copy.
		writeJSON(w, http.StatusConflict, map[string]any{"message": "Datasource has already been updated by someone else. Please reload and try again"})
		return
	}
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = *v
		}
	}
	set(&ds.Name, in.Name)
	set(&ds.URL, in.URL)
	set(&ds.Access, in.Access)
	set(&ds.User, in.User)
	set(&ds.Database, in.Database)
	set(&ds.BasicAuthUser, in.BasicAuthUser)
	if in.BasicAuth != nil {
		ds.BasicAuth = *in.BasicAuth
	}
	if in.IsDefault != nil {
		ds.IsDefault = *in.IsDefault
	}
	if in.JSONData != nil {
		ds.JSONData = in.JSONData
	}
	// As Grafana: secure keys not sent are kept; a key sent with a value replaces it; "" removes it.
	for k, v := range in.SecureJSONData {
		if v == "" {
			delete(ds.SecureJSONData, k)
		} else {
			ds.SecureJSONData[k] = v
		}
	}
	ds.Version++
	ds.Updated = time.Now()
	log.Printf("harness: data source %s saved (url %s, version %d)", ds.UID, ds.URL, ds.Version)
	writeJSON(w, http.StatusOK, map[string]any{"datasource": ds.dto(), "id": ds.ID, "name": ds.Name, "message": "Datasource updated"})
}

func (s *server) health(w http.ResponseWriter, r *http.Request) {
	s.state.mu.Lock()
	ds, ok := s.lookupDS(w, r)
	var settings *backend.DataSourceInstanceSettings
	if ok {
		settings = ds.instanceSettings()
	}
	s.state.mu.Unlock()
	if !ok {
		return
	}
	res, err := s.plugin.CheckHealth(r.Context(), settings)
	if err != nil {
		log.Printf("harness: CheckHealth failed: %v", err)
		writeJSON(w, http.StatusInternalServerError, map[string]any{"message": "Plugin health check failed"})
		return
	}
	payload := map[string]any{"status": res.Status.String(), "message": res.Message}
	if len(res.JSONDetails) > 0 {
		var details any
		if err := json.Unmarshal(res.JSONDetails, &details); err != nil {
			writeJSON(w, http.StatusInternalServerError, map[string]any{"message": "Failed to unmarshal detailed response from backend plugin"})
			return
		}
		payload["details"] = details
	}
	if res.Status != backend.HealthStatusOk {
		writeJSON(w, http.StatusBadRequest, payload)
		return
	}
	writeJSON(w, http.StatusOK, payload)
}

func (s *server) resource(w http.ResponseWriter, r *http.Request) {
	s.state.mu.Lock()
	ds, ok := s.lookupDS(w, r)
	var settings *backend.DataSourceInstanceSettings
	if ok {
		settings = ds.instanceSettings()
	}
	s.state.mu.Unlock()
	if !ok {
		return
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]any{"message": err.Error()})
		return
	}
	path := r.PathValue("path")
	u := path
	if r.URL.RawQuery != "" {
		u += "?" + r.URL.RawQuery
	}
	headers := map[string][]string{}
	for k, v := range r.Header {
		if k == "Cookie" || k == "Authorization" {
			continue // Grafana strips these before calling the plugin
		}
		headers[k] = v
	}
	res, err := s.plugin.CallResource(r.Context(), settings, &backend.CallResourceRequest{
		Path: path, Method: r.Method, URL: u, Headers: headers, Body: body,
	})
	if err != nil {
		log.Printf("harness: CallResource %s %s failed: %v", r.Method, path, err)
		writeJSON(w, http.StatusInternalServerError, map[string]any{"message": "Failed to call resource"})
		return
	}
	for k, vs := range res.Headers {
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	status := res.Status
	if status == 0 {
		status = http.StatusOK
	}
	w.WriteHeader(status)
	_, _ = w.Write(res.Body)
}

func (s *server) query(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Queries []json.RawMessage `json:"queries"`
		From    string            `json:"from"`
		To      string            `json:"to"`
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]any{"message": "bad request data: " + err.Error()})
		return
	}
	if len(in.Queries) == 0 {
		writeJSON(w, http.StatusBadRequest, map[string]any{"message": "No queries found"})
		return
	}
	now := time.Now()
	from, err := parseGrafanaTime(in.From, now, 6*time.Hour)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]any{"message": "bad from: " + err.Error()})
		return
	}
	to, err := parseGrafanaTime(in.To, now, 0)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]any{"message": "bad to: " + err.Error()})
		return
	}
	s.state.mu.Lock()
	ds := s.state.ds
	settings := ds.instanceSettings()
	s.state.mu.Unlock()

	queries := make([]backend.DataQuery, 0, len(in.Queries))
	for _, raw := range in.Queries {
		var q struct {
			RefID      string `json:"refId"`
			QueryType  string `json:"queryType"`
			Datasource *struct {
				UID  string `json:"uid"`
				Type string `json:"type"`
			} `json:"datasource"`
			IntervalMs    float64 `json:"intervalMs"`
			MaxDataPoints int64   `json:"maxDataPoints"`
		}
		if err := json.Unmarshal(raw, &q); err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]any{"message": "bad query: " + err.Error()})
			return
		}
		if q.Datasource != nil && q.Datasource.UID != "" && q.Datasource.UID != ds.UID {
			log.Printf("harness: /api/ds/query for data source %q (%s), which the harness does not serve", q.Datasource.UID, q.Datasource.Type)
			writeJSON(w, http.StatusBadRequest, map[string]any{"message": fmt.Sprintf("harness: data source %q is not served (only %q)", q.Datasource.UID, ds.UID)})
			return
		}
		// Grafana's defaults when the request leaves them out.
		if q.IntervalMs == 0 {
			q.IntervalMs = 1000
		}
		if q.MaxDataPoints == 0 {
			q.MaxDataPoints = 100
		}
		queries = append(queries, backend.DataQuery{
			RefID: q.RefID, QueryType: q.QueryType, MaxDataPoints: q.MaxDataPoints,
			Interval: time.Duration(q.IntervalMs * float64(time.Millisecond)), TimeRange: backend.TimeRange{From: from, To: to},
			JSON: raw,
		})
	}
	res, err := s.plugin.QueryData(r.Context(), settings, queries)
	if err != nil {
		log.Printf("harness: QueryData failed: %v", err)
		writeJSON(w, http.StatusInternalServerError, map[string]any{"message": "Query data error", "error": err.Error()})
		return
	}
	status := http.StatusOK
	for _, dr := range res.Responses {
		if dr.Error != nil {
			status = http.StatusBadRequest // Grafana's default (without the multi-status feature toggle)
		}
	}
	writeJSON(w, status, res)
}

// parseGrafanaTime reads /api/ds/query's from/to: epoch milliseconds, "now" or "now-<n><unit>".
func parseGrafanaTime(v string, now time.Time, defaultAgo time.Duration) (time.Time, error) {
	if v == "" {
		return now.Add(-defaultAgo), nil
	}
	if ms, err := strconv.ParseInt(v, 10, 64); err == nil {
		return time.UnixMilli(ms), nil
	}
	if v == "now" {
		return now, nil
	}
	if strings.HasPrefix(v, "now-") {
		spec := v[4:]
		if len(spec) < 2 {
			return time.Time{}, fmt.Errorf("cannot read %q", v)
		}
		n, err := strconv.Atoi(spec[:len(spec)-1])
		if err != nil {
			return time.Time{}, fmt.Errorf("cannot read %q", v)
		}
		unit := map[byte]time.Duration{'s': time.Second, 'm': time.Minute, 'h': time.Hour, 'd': 24 * time.Hour, 'w': 7 * 24 * time.Hour}[spec[len(spec)-1]]
		if unit == 0 {
			return time.Time{}, fmt.Errorf("cannot read unit of %q", v)
		}
		return now.Add(-time.Duration(n) * unit), nil
	}
	return time.Time{}, fmt.Errorf("cannot read %q", v)
}

func (s *server) getPluginSettings(w http.ResponseWriter, r *http.Request) {
	s.state.mu.Lock()
	defer s.state.mu.Unlock()
	p := s.state.plugins[r.PathValue("id")]
	if p == nil {
		log.Printf("harness: settings of unknown plugin %q requested", r.PathValue("id"))
		writeJSON(w, http.StatusNotFound, map[string]any{"message": "Plugin not found, no installed plugin with that id"})
		return
	}
	writeJSON(w, http.StatusOK, s.pluginMeta(p))
}

func (s *server) postPluginSettings(w http.ResponseWriter, r *http.Request) {
	s.state.mu.Lock()
	defer s.state.mu.Unlock()
	p := s.state.plugins[r.PathValue("id")]
	if p == nil {
		writeJSON(w, http.StatusNotFound, map[string]any{"message": "Plugin not found, no installed plugin with that id"})
		return
	}
	var in struct {
		Enabled        *bool             `json:"enabled"`
		Pinned         *bool             `json:"pinned"`
		JSONData       map[string]any    `json:"jsonData"`
		SecureJSONData map[string]string `json:"secureJsonData"`
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]any{"message": "bad request data: " + err.Error()})
		return
	}
	if in.Enabled != nil {
		p.Enabled = *in.Enabled
	}
	if in.Pinned != nil {
		p.Pinned = *in.Pinned
	}
	if in.JSONData != nil {
		p.JSONData = in.JSONData
	}
	for k, v := range in.SecureJSONData {
		if v == "" {
			delete(p.SecureJSONData, k)
		} else {
			p.SecureJSONData[k] = v
		}
	}
	log.Printf("harness: plugin %s settings saved: jsonData %v", p.ID, p.JSONData)
	writeJSON(w, http.StatusOK, map[string]any{"message": "Plugin settings updated"})
}

// index serves the host page with boot data inlined before the host's scripts, as Grafana's index.html does.
func (s *server) index(w http.ResponseWriter, r *http.Request) {
	raw, err := os.ReadFile(filepath.Join(s.hostDir, "index.html"))
	if err != nil {
		http.Error(w, "harness: the host page is not built (npm --prefix harness/host run build): "+err.Error(), http.StatusServiceUnavailable)
		return
	}
	boot, err := json.Marshal(s.bootData(r))
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	script := "<script>window.grafanaBootData = " + strings.ReplaceAll(string(boot), "</", "<\\/") + ";\n" +
		"window.__grafana_public_path__ = '/public/';</script>"
	page := strings.Replace(string(raw), "<!--harness-bootdata-->", script, 1)
	if page == string(raw) {
		http.Error(w, "harness: host index.html has no <!--harness-bootdata--> marker", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = io.WriteString(w, page)
}

func (s *server) bootData(r *http.Request) map[string]any {
	q := r.URL.Query()
	theme := q.Get("theme")
	if theme != "light" {
		theme = "dark"
	}
	lang := q.Get("lang")
	if lang == "" {
		lang = "en-US"
	}
	s.state.mu.Lock()
	defer s.state.mu.Unlock()
	ds := s.state.ds
	dsMeta := s.pluginMeta(s.state.plugins[dsPluginID])
	appMeta := s.pluginMeta(s.state.plugins[appPluginID])
	instance := map[string]any{
		"id": ds.ID, "uid": ds.UID, "type": ds.Type, "name": ds.Name, "meta": dsMeta,
		"url": "/api/datasources/proxy/uid/" + ds.UID, "jsonData": ds.JSONData, "access": ds.Access,
		"readOnly": ds.ReadOnly, "isDefault": ds.IsDefault,
	}
	return map[string]any{
		"settings": map[string]any{
			"appUrl": s.baseURL, "appSubUrl": "", "buildInfo": map[string]any{
				"version": grafanaVersion, "commit": "harness", "edition": "Open Source", "env": "production",
				"latestVersion": "", "hasUpdate": false, "hideVersion": false,
			},
			"datasources":       map[string]any{ds.Name: instance},
			"defaultDatasource": ds.Name,
			"apps": map[string]any{appPluginID: map[string]any{
				"id": appPluginID, "path": appMeta["module"], "version": "dev", "preload": false,
				"angular": map[string]any{"detected": false}, "loadingStrategy": "script",
				"extensions":   map[string]any{"addedLinks": []any{}, "addedComponents": []any{}, "exposedComponents": []any{}, "extensionPoints": []any{}, "addedFunctions": []any{}},
				"dependencies": appMeta["dependencies"], "translations": appMeta["translations"],
			}},
			"panels":             map[string]any{},
			"featureToggles":     map[string]any{},
			"minRefreshInterval": "5s",
			"harness":            true,
		},
		"user": map[string]any{
			"id": 1, "uid": "admin", "login": "admin", "name": "admin", "email": "admin@localhost", "isSignedIn": true,
			"isGrafanaAdmin": true, "orgId": 1, "orgName": "Main Org.", "orgRole": "Admin", "theme": theme,
			"lightTheme": theme == "light", "language": lang, "regionalFormat": lang, "timezone": "browser",
			"weekStart": "browser", "permissions": map[string]any{}, "helpFlags1": 0, "hasEditPermissionInFolders": true,
		},
		"navTree": []any{},
		"assets":  map[string]any{"dark": "", "light": ""},
	}
}

// ---------------------------------------------------------------------------------------------------------

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func noCache(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		h.ServeHTTP(w, r)
	})
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}

func logRequests(h http.Handler) http.Handler {
	verbose := os.Getenv("HARNESS_VERBOSE") != ""
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		start := time.Now()
		h.ServeHTTP(rec, r)
		if (strings.HasPrefix(r.URL.Path, "/api/") && (verbose || rec.status >= 400)) || rec.status == http.StatusNotFound {
			log.Printf("harness: %s %s → %d (%s)", r.Method, r.URL.Path, rec.status, time.Since(start).Round(time.Millisecond))
		}
	})
}

type lineWriter struct {
	prefix string
	out    io.Writer
	mu     sync.Mutex
	buf    []byte
}

func prefixWriter(prefix string, out io.Writer) io.Writer {
	return &lineWriter{prefix: prefix, out: out}
}

func (l *lineWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.buf = append(l.buf, p...)
	for {
		i := strings.IndexByte(string(l.buf), '\n')
		if i < 0 {
			break
		}
		if line := strings.TrimSpace(string(l.buf[:i])); line != "" {
			_, _ = io.WriteString(l.out, l.prefix+line+"\n")
		}
		l.buf = l.buf[i+1:]
	}
	return len(p), nil
}
