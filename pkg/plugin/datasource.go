// Package plugin is the SDK glue of the Pulse data source: the instance (settings and HTTP client)
// and the QueryData, CheckHealth and CallResource handlers. The work itself lives in prom, query,
// framing and discovery.
package plugin

import (
	"context"
	"net/http"
	"sync"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/httpclient"
	"github.com/grafana/grafana-plugin-sdk-go/backend/instancemgmt"

	"github.com/pulse-monitoring/pulse/pkg/models"
	"github.com/pulse-monitoring/pulse/pkg/prom"
	"github.com/pulse-monitoring/pulse/pkg/redact"
)

// DataSourceID is the plugin id in src/datasource/plugin.json.
const DataSourceID = "pulse-prometheus-datasource"

// The SDK interfaces the data source serves, checked at compile time.
var (
	_ backend.QueryDataHandler      = (*Datasource)(nil)
	_ backend.CheckHealthHandler    = (*Datasource)(nil)
	_ instancemgmt.InstanceDisposer = (*Datasource)(nil)
)

// Datasource is one configured Pulse data source.
type Datasource struct {
	settings models.Settings
	// redactor removes this data source's secrets from every text that leaves the plugin (safe.go).
	redactor      *redact.Redactor
	httpClient    *http.Client
	client        *prom.Client
	cache         *resourceCache
	resourcesOnce sync.Once
	routes        map[string]http.HandlerFunc
	resources     backend.CallResourceHandler
	// settingsErr is kept rather than returned by the factory, so that Save & test and every
	// query can say exactly what is wrong with the settings.
	settingsErr error
}

// NewDatasource is the instance factory: Grafana calls it when a data source is created or its
// settings change.
func NewDatasource(ctx context.Context, s backend.DataSourceInstanceSettings) (instancemgmt.Instance, error) {
	ds := &Datasource{cache: newResourceCache(cacheEntries, cacheBytes), redactor: redact.FromSettings(s)}
	settings, err := models.LoadSettings(s)
	if err != nil {
		ds.settingsErr = err
		return ds, nil
	}
	ds.settings = settings

	opts, err := s.HTTPClientOptions(ctx)
	if err != nil {
		ds.settingsErr = backend.DownstreamErrorf("the HTTP settings of the data source are invalid: %v", err)
		return ds, nil
	}
	// A header row saved without a name would make every request fail in Go's HTTP client.
	delete(opts.Header, "")
	if token := s.DecryptedSecureJSONData[models.SecureKeyBearerToken]; token != "" && opts.BasicAuth == nil {
		if opts.Header == nil {
			opts.Header = http.Header{}
		}
		opts.Header.Set("Authorization", "Bearer "+token)
	}
	hc, err := httpclient.New(opts)
	if err != nil {
		// TLS material that does not parse ends here; say so without echoing it.
		ds.settingsErr = backend.DownstreamErrorf("the TLS settings of the data source are invalid (check the CA certificate, client certificate and key): %v", err)
		return ds, nil
	}
	// Credentials and custom headers go to the configured server only (prom/redirect.go).
	hc.CheckRedirect = prom.SameOriginRedirects
	ds.httpClient = hc
	ds.client, err = prom.NewClient(settings.URL, hc, prom.Options{
		Method: settings.HTTPMethod, QueryTimeout: settings.QueryTimeout, NoPartialResponse: !settings.AllowsPartialResponse(),
		Limiter: prom.NewLimiter(settings.ConcurrentRequestsOrDefault()), ResponseLimit: settings.ResponseLimitBytes(),
	})
	if err != nil {
		ds.settingsErr = err
	}
	return ds, nil
}

// Dispose closes idle connections and drops the cached resource answers when Grafana drops this
// instance (settings changed or deleted).
func (d *Datasource) Dispose() {
	d.cache.close()
	if d.httpClient != nil {
		d.httpClient.CloseIdleConnections()
	}
}
