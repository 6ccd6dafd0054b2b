// Package pluginhost starts the built Pulse backend binary the way Grafana does — a go-plugin
// subprocess with the SDK's handshake, spoken to over gRPC (pluginv2) — and offers typed calls.
// It is the one place that launches the plugin: the protocol tests and the browser harness
// both use it. It is not part of the shipped plugin.
package pluginhost

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/grpcplugin"
	"github.com/grafana/grafana-plugin-sdk-go/backend/useragent"
	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"
	"github.com/hashicorp/go-hclog"
	goplugin "github.com/hashicorp/go-plugin"
)

// Plugin is a running backend plugin process.
type Plugin struct {
	client      *goplugin.Client
	diagnostics grpcplugin.DiagnosticsClient
	data        grpcplugin.DataClient
	resource    grpcplugin.ResourceClient
	pluginID    string
	// grafanaConfig is sent in every request's plugin context, as Grafana does.
	grafanaConfig map[string]string
}

// Options tune how the plugin is started.
type Options struct {
	// PluginID is sent in every request's plugin context (default: the nested data source id).
	PluginID string
	// Stderr receives the plugin's log lines (hclog JSON); nil discards them.
	Stderr io.Writer
	// Env is added to the plugin's environment (Grafana passes GF_* variables).
	Env []string
	// GrafanaConfig is added to (and overrides) DefaultGrafanaConfig in every request's plugin
	// context, where the SDK reads it (e.g. GF_RESPONSE_LIMIT for HTTPClientOptions).
	GrafanaConfig map[string]string
}

// GrafanaVersion is the Grafana the host plays: what the plugin's user agent names.
const GrafanaVersion = "12.4.0"

// DefaultGrafanaConfig is what Grafana 12.4 sends in each request's plugin context with its
// default grafana.ini (pkg/plugins/envvars and the plugin context provider): the app URL, the
// concurrent query count, the SQL defaults and no response limit ([dataproxy] response_limit = 0).
var DefaultGrafanaConfig = map[string]string{
	"GF_APP_URL":                               "http://localhost:3000/",
	"GF_CONCURRENT_QUERY_COUNT":                "10",
	"GF_USER_FACING_DEFAULT_ERROR":             "Please inspect the Grafana server log for details.",
	"GF_SQL_ROW_LIMIT":                         "1000000",
	"GF_SQL_MAX_OPEN_CONNS_DEFAULT":            "100",
	"GF_SQL_MAX_IDLE_CONNS_DEFAULT":            "100",
	"GF_SQL_MAX_CONN_LIFETIME_SECONDS_DEFAULT": "14400",
	"GF_RESPONSE_LIMIT":                        "0",
}

// BinaryPath finds the backend executable in a dist/ folder, named as
// dist/datasource/plugin.json's "executable" says, for this machine's OS and architecture.
func BinaryPath(distDir string) (string, error) {
	raw, err := os.ReadFile(filepath.Join(distDir, "datasource", "plugin.json"))
	if err != nil {
		return "", fmt.Errorf("no built data source in %s (run the frontend build): %w", distDir, err)
	}
	var meta struct {
		Executable string `json:"executable"`
	}
	if err := json.Unmarshal(raw, &meta); err != nil || meta.Executable == "" {
		return "", fmt.Errorf("%s/datasource/plugin.json names no executable", distDir)
	}
	path := filepath.Join(distDir, "datasource", fmt.Sprintf("%s_%s_%s", meta.Executable, runtime.GOOS, runtime.GOARCH))
	info, err := os.Stat(path)
	if err != nil {
		return "", fmt.Errorf("the backend binary %s is missing (build it with mage): %w", path, err)
	}
	if info.Mode()&0o111 == 0 {
		return "", fmt.Errorf("the backend binary %s is not executable", path)
	}
	return path, nil
}

// Start launches binary and completes the go-plugin handshake.
func Start(binary string, opts Options) (*Plugin, error) {
	if opts.PluginID == "" {
		opts.PluginID = "pulse-prometheus-datasource"
	}
	cmd := exec.Command(binary)
	cmd.Env = append(os.Environ(), opts.Env...)
	stderr := opts.Stderr
	if stderr == nil {
		stderr = io.Discard
	}
	client := goplugin.NewClient(&goplugin.ClientConfig{
		HandshakeConfig: goplugin.HandshakeConfig{
			ProtocolVersion:  grpcplugin.ProtocolVersion,
			MagicCookieKey:   grpcplugin.MagicCookieKey,
			MagicCookieValue: grpcplugin.MagicCookieValue,
		},
		VersionedPlugins: map[int]goplugin.PluginSet{
			grpcplugin.ProtocolVersion: {
				"diagnostics": &grpcplugin.DiagnosticsGRPCPlugin{},
				"resource":    &grpcplugin.ResourceGRPCPlugin{},
				"data":        &grpcplugin.DataGRPCPlugin{},
				"stream":      &grpcplugin.StreamGRPCPlugin{},
			},
		},
		Cmd:              cmd,
		AllowedProtocols: []goplugin.Protocol{goplugin.ProtocolGRPC},
		Stderr:           stderr,
		Logger:           hclog.New(&hclog.LoggerOptions{Name: "pluginhost", Output: stderr, Level: hclog.Warn}),
	})
	rpc, err := client.Client()
	if err != nil {
		client.Kill()
		return nil, fmt.Errorf("the plugin did not complete the go-plugin handshake: %w", err)
	}
	cfg := map[string]string{}
	for k, v := range DefaultGrafanaConfig {
		cfg[k] = v
	}
	for k, v := range opts.GrafanaConfig {
		cfg[k] = v
	}
	p := &Plugin{client: client, pluginID: opts.PluginID, grafanaConfig: cfg}
	if err := dispense(rpc, "diagnostics", &p.diagnostics); err != nil {
		client.Kill()
		return nil, err
	}
	if err := dispense(rpc, "data", &p.data); err != nil {
		client.Kill()
		return nil, err
	}
	// The resource service is optional for a backend data source.
	_ = dispense(rpc, "resource", &p.resource)
	return p, nil
}

func dispense[T any](rpc goplugin.ClientProtocol, name string, into *T) error {
	raw, err := rpc.Dispense(name)
	if err != nil {
		return fmt.Errorf("the plugin does not serve %s: %w", name, err)
	}
	c, ok := raw.(T)
	if !ok {
		return fmt.Errorf("the plugin's %s client has type %T", name, raw)
	}
	*into = c
	return nil
}

// Close stops the plugin process.
func (p *Plugin) Close() { p.client.Kill() }

// Exited reports whether the plugin process has ended.
func (p *Plugin) Exited() bool { return p.client.Exited() }

// Pid is the plugin process' id (0 once it has ended), for benchmarks that read its CPU time.
func (p *Plugin) Pid() int {
	if rc := p.client.ReattachConfig(); rc != nil {
		return rc.Pid
	}
	return 0
}

// Context builds the plugin context Grafana sends with each request for a data source: the
// settings, the user, Grafana's configuration and its user agent.
func (p *Plugin) Context(settings *backend.DataSourceInstanceSettings) *pluginv2.PluginContext {
	ua, _ := useragent.New(GrafanaVersion, runtime.GOOS, runtime.GOARCH)
	return backend.ToProto().PluginContext(backend.PluginContext{
		OrgID:                      1,
		PluginID:                   p.pluginID,
		PluginVersion:              "dev",
		DataSourceInstanceSettings: settings,
		User:                       &backend.User{Login: "admin", Name: "admin", Role: "Admin"},
		GrafanaConfig:              backend.NewGrafanaCfg(p.grafanaConfig),
		UserAgent:                  ua,
	})
}

// CheckHealth calls the Diagnostics service.
func (p *Plugin) CheckHealth(ctx context.Context, settings *backend.DataSourceInstanceSettings) (*backend.CheckHealthResult, error) {
	resp, err := p.diagnostics.CheckHealth(ctx, &pluginv2.CheckHealthRequest{PluginContext: p.Context(settings)})
	if err != nil {
		return nil, err
	}
	return backend.FromProto().CheckHealthResponse(resp), nil
}

// QueryData calls the Data service; the request's PluginContext is filled from settings.
func (p *Plugin) QueryData(ctx context.Context, settings *backend.DataSourceInstanceSettings, queries []backend.DataQuery) (*backend.QueryDataResponse, error) {
	resp, err := p.QueryDataProto(ctx, settings, queries)
	if err != nil {
		return nil, err
	}
	return backend.FromProto().QueryDataResponse(resp)
}

// QueryDataProto is QueryData without decoding the answer: frames stay Arrow-encoded, as they
// arrive over gRPC. Benchmarks use it to tell the plugin's time from the caller's decoding.
func (p *Plugin) QueryDataProto(ctx context.Context, settings *backend.DataSourceInstanceSettings, queries []backend.DataQuery) (*pluginv2.QueryDataResponse, error) {
	req := backend.ToProto().QueryDataRequest(&backend.QueryDataRequest{Queries: queries})
	req.PluginContext = p.Context(settings)
	return p.data.QueryData(ctx, req)
}

// CallResource calls the Resource service and gathers the streamed answer.
func (p *Plugin) CallResource(ctx context.Context, settings *backend.DataSourceInstanceSettings, req *backend.CallResourceRequest) (*backend.CallResourceResponse, error) {
	if p.resource == nil {
		return nil, errors.New("the plugin does not serve resources")
	}
	preq := backend.ToProto().CallResourceRequest(req)
	preq.PluginContext = p.Context(settings)
	stream, err := p.resource.CallResource(ctx, preq)
	if err != nil {
		return nil, err
	}
	var out *backend.CallResourceResponse
	for {
		msg, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		chunk := backend.FromProto().CallResourceResponse(msg)
		if out == nil {
			out = chunk
			continue
		}
		out.Body = append(out.Body, chunk.Body...)
	}
	if out == nil {
		return nil, errors.New("the plugin sent no resource response")
	}
	return out, nil
}
