package main

// The Grafana HTTP API the plugin uses, answered by driving the backend binary over gRPC.

import (
	"context"
	"encoding/json"
	"io"
	"log"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

// backendPlugin is what the server needs of the started backend binary (internal/pluginhost.Plugin); the tests
// give it a recording fake.
type backendPlugin interface {
	CheckHealth(ctx context.Context, settings *backend.DataSourceInstanceSettings) (*backend.CheckHealthResult, error)
	QueryData(ctx context.Context, settings *backend.DataSourceInstanceSettings, queries []backend.DataQuery) (*backend.QueryDataResponse, error)
	CallResource(ctx context.Context, settings *backend.DataSourceInstanceSettings, req *backend.CallResourceRequest) (*backend.CallResourceResponse, error)
}

type server struct {
	state    *state
	plugin   backendPlugin
	dist     string
	hostDir  string
	uiPublic string
	baseURL  string // as the browser reaches it, with the sub-path and a trailing slash
	subPath  string // "" or e.g. "/grafana": Grafana's appSubUrl
	role     role   // the signed-in user's org role

	dashboards dashboardStore // dashboards.go: dashboards received through the dashboard API
	alerting   alertStore     // alerting.go: folders and rules received through the provisioning API
	active     activeSince    // instances.go: since when each alert instance's condition holds

	unknownMu sync.Mutex
	unknown   []string
	outside   []string // requests outside the sub-path
}

func (s *server) routes() http.Handler {
	mux := http.NewServeMux() // the Grafana API
	pages := http.NewServeMux()
	mux.HandleFunc("POST /api/ds/query", s.query)
	mux.HandleFunc("GET /api/datasources", s.listDataSources)
	mux.HandleFunc("GET /api/datasources/uid/{uid}", s.getDataSource)
	mux.HandleFunc("PUT /api/datasources/uid/{uid}", s.require("datasources:write", s.putDataSource))
	mux.HandleFunc("GET /api/datasources/uid/{uid}/health", s.health)
	mux.HandleFunc("/api/datasources/uid/{uid}/resources/{path...}", s.resource)
	mux.HandleFunc("GET /api/plugins/{id}/settings", s.getPluginSettings)
	mux.HandleFunc("POST /api/plugins/{id}/settings", s.require("plugins:write", s.postPluginSettings))
	s.alertingRoutes(mux, pages)       // alerting.go: the provisioning API the Alerts page uses, the evaluator
	s.dashboards.routes(s, mux, pages) // dashboards.go: what "Add to dashboard" uses
	mux.HandleFunc("/api/", s.unknownAPI)

	pages.HandleFunc("GET /harness/unknown-api", func(w http.ResponseWriter, r *http.Request) {
		s.unknownMu.Lock()
		defer s.unknownMu.Unlock()
		writeJSON(w, http.StatusOK, map[string]any{"paths": append([]string{}, s.unknown...)})
	})
	pages.HandleFunc("GET /harness/outside-sub-path", func(w http.ResponseWriter, r *http.Request) {
		s.unknownMu.Lock()
		defer s.unknownMu.Unlock()
		writeJSON(w, http.StatusOK, map[string]any{"subPath": s.subPath, "paths": append([]string{}, s.outside...)})
	})

	// The app's folder holds the nested data source (datasource/), which Grafana loads from there (its base URL is
	// the parent's: pluginMeta). Grafana also serves a plugin's files under its own id, so the harness does too.
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
	grafana := logRequests(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/api/") {
			mux.ServeHTTP(w, r)
			return
		}
		pages.ServeHTTP(w, r)
	}))
	if s.subPath == "" {
		return grafana
	}
	// Under a sub-path the harness plays the reverse proxy too: Grafana is only at <sub-path>/, and a link or
	// request that lost the sub-path reaches nothing (here: a 404, logged and listed).
	under := http.StripPrefix(s.subPath, grafana)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == s.subPath:
			http.Redirect(w, r, s.subPath+"/", http.StatusFound)
		case strings.HasPrefix(r.URL.Path, s.subPath+"/"):
			under.ServeHTTP(w, r)
		default:
			line := r.Method + " " + r.URL.RequestURI()
			log.Printf("harness: outside the sub-path %s/: %s", s.subPath, line)
			s.unknownMu.Lock()
			s.outside = append(s.outside, line)
			s.unknownMu.Unlock()
			http.Error(w, "harness: Grafana is served under "+s.subPath+"/ only (as behind a reverse proxy); "+line+" reaches nothing", http.StatusNotFound)
		}
	})
}

func (s *server) unknownAPI(w http.ResponseWriter, r *http.Request) {
	line := r.Method + " " + r.URL.Path
	log.Printf("harness: unknown API path: %s", line)
	s.unknownMu.Lock()
	s.unknown = append(s.unknown, line)
	s.unknownMu.Unlock()
	// Tells the specs this 404 is a path the harness does not serve, not an API's "not found" (a missing folder).
	w.Header().Set("X-Harness-Unknown-Api", "1")
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
	d := s.state.ds.dto(s.typeLogoURL())
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
	writeJSON(w, http.StatusOK, ds.dto(s.typeLogoURL()))
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
	mergeSecure(ds.SecureJSONData, in.SecureJSONData)
	ds.Version++
	ds.Updated = time.Now()
	log.Printf("harness: data source %s saved (url %s, version %d)", ds.UID, ds.URL, ds.Version)
	writeJSON(w, http.StatusOK, map[string]any{"datasource": ds.dto(s.typeLogoURL()), "id": ds.ID, "name": ds.Name, "message": "Datasource updated"})
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
	mergeSecure(p.SecureJSONData, in.SecureJSONData)
	log.Printf("harness: plugin %s settings saved: jsonData %v", p.ID, p.JSONData)
	writeJSON(w, http.StatusOK, map[string]any{"message": "Plugin settings updated"})
}

// mergeSecure applies saved secure fields as Grafana does: keys not sent are kept, a key sent with
// a value replaces it, and "" removes it.
func mergeSecure(dst, sent map[string]string) {
	for k, v := range sent {
		if v == "" {
			delete(dst, k)
		} else {
			dst[k] = v
		}
	}
}
