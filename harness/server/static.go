package main

// The host page (index.html with Grafana-style boot data) and HTTP helpers.

import (
	"encoding/json"
	"io"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

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
		"window.__grafana_public_path__ = '" + s.subPath + "/public/';</script>"
	page := strings.Replace(string(raw), "<!--harness-bootdata-->", script, 1)
	if page == string(raw) {
		http.Error(w, "harness: host index.html has no <!--harness-bootdata--> marker", http.StatusInternalServerError)
		return
	}
	// As Grafana's index.html: <base href="[[.AppSubUrl]]/"> (relative URLs, such as plugin modules and backendSrv's
	// API calls, resolve under the sub-path) and the build's assets under it.
	page = strings.Replace(page, `<base href="/" />`, `<base href="`+s.subPath+`/" />`, 1)
	page = strings.ReplaceAll(page, `"/public/build/`, `"`+s.subPath+`/public/build/`)
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
			"appUrl": s.baseURL, "appSubUrl": s.subPath, "buildInfo": map[string]any{
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
		"user":    s.role.user(theme, lang),
		"navTree": []any{},
		"assets":  map[string]any{"dark": "", "light": ""},
	}
}

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
