package plugin

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/pulse-monitoring/pulse/pkg/discovery"
	"github.com/pulse-monitoring/pulse/pkg/framing"
	"github.com/pulse-monitoring/pulse/pkg/prom"
)

const healthTimeout = 15 * time.Second

// healthDetails is CheckHealth's JSONDetails, read by the config page and the Overview.
type healthDetails struct {
	Version   string                     `json:"version,omitempty"`
	Engine    string                     `json:"engine,omitempty"`
	Host      string                     `json:"host,omitempty"`
	Exporters []discovery.ExporterStatus `json:"exporters,omitempty"`
}

// checkHealth answers "Save & test": it asks Prometheus for its build info (falling back to an
// instant query for engines without that endpoint) and says what is wrong when it cannot. Once
// connected, it lists which exporters Pulse builds on are scraped and how to add the missing ones;
// a missing exporter does not fail the check.
func (d *Datasource) checkHealth(ctx context.Context, _ *backend.CheckHealthRequest) (*backend.CheckHealthResult, error) {
	if d.settingsErr != nil {
		return healthError(d.settingsErr.Error()), nil
	}
	ctx, cancel := context.WithTimeout(ctx, healthTimeout)
	defer cancel()

	var (
		msg     string
		details = healthDetails{Host: d.client.Host()}
	)
	info, err := d.client.BuildInfo(ctx)
	switch {
	case err == nil:
		details.Engine, details.Version = d.client.DetectEngine(ctx, info), info.Version
		msg = fmt.Sprintf("%s %s is reachable at %s.", details.Engine, versionOrUnknown(info.Version), d.client.Host())
	case prom.KindOf(err) == prom.KindNotFound:
		// Older Prometheus versions and some engines have no build info; a query proves the API.
		if qerr := d.probeQuery(ctx); qerr != nil {
			return healthError(qerr.Error()), nil
		}
		details.Engine = d.client.DetectEngine(ctx, prom.BuildInfo{})
		msg = fmt.Sprintf("%s at %s answers queries (it does not report its version).", details.Engine, d.client.Host())
	default:
		return healthError(err.Error()), nil
	}
	details.Exporters = discovery.Exporters(ctx, d.client, d.settings.Metrics, time.Now())
	if summary := discovery.Summary(details.Exporters); summary != "" {
		msg += " " + summary
	}
	return healthOK(msg, details), nil
}

func (d *Datasource) probeQuery(ctx context.Context) error {
	resp, err := d.client.Query(ctx, "vector(1)", time.Now())
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if _, err := framing.Read(resp.Body); err != nil {
		return fmt.Errorf("%s answered, but not as the Prometheus API does: %v", d.client.Host(), err)
	}
	return nil
}

func versionOrUnknown(v string) string {
	if v == "" {
		return "(version not reported)"
	}
	return v
}

func healthOK(msg string, details healthDetails) *backend.CheckHealthResult {
	raw, _ := json.Marshal(details)
	return &backend.CheckHealthResult{Status: backend.HealthStatusOk, Message: msg, JSONDetails: raw}
}

func healthError(msg string) *backend.CheckHealthResult {
	return &backend.CheckHealthResult{Status: backend.HealthStatusError, Message: msg}
}
