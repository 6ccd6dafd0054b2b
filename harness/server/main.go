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
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

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
	subPath := flag.String("sub-path", "", "serve Grafana under this sub-path, as behind a reverse proxy with root_url = http://host/grafana/ (e.g. /grafana); nothing outside it is served")
	roleFlag := flag.String("role", "Admin", "the signed-in user's org role: Admin or Viewer (boot data, permissions, and the writes refused with 403)")
	flag.Parse()

	if !strings.HasPrefix(*addr, "127.0.0.1:") {
		log.Fatalf("harness: refusing to listen on %s: 127.0.0.1 only", *addr)
	}
	sub := strings.TrimRight(*subPath, "/")
	if sub != "" && (!strings.HasPrefix(sub, "/") || strings.ContainsAny(sub, "?#")) {
		log.Fatalf("harness: --sub-path %q: want a path such as /grafana", *subPath)
	}
	userRole, err := parseRole(*roleFlag)
	if err != nil {
		log.Fatalf("harness: --role: %v", err)
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
	baseURL := "http://" + ln.Addr().String() + sub + "/"

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

	s := &server{
		state: st, plugin: plugin, dist: *dist, hostDir: *hostDir, uiPublic: *uiPublic, baseURL: baseURL,
		subPath: sub, role: userRole,
	}
	srv := &http.Server{Handler: s.routes(), ReadHeaderTimeout: 10 * time.Second}

	if *urlFile != "" {
		if err := os.WriteFile(*urlFile, []byte(baseURL), 0o644); err != nil {
			log.Fatalf("harness: %v", err)
		}
	}
	log.Printf("harness: backend %s started; data source %q → %s; signed in as %s", bin, st.ds.UID, st.ds.URL, userRole)
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
