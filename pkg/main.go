// Command gpx_pulse_prometheus is the backend of the Pulse Prometheus data source.
// Grafana starts it over go-plugin/gRPC; datasource.Manage serves QueryData, CheckHealth and CallResource.
package main

import (
	"os"

	"github.com/grafana/grafana-plugin-sdk-go/backend/datasource"
	"github.com/grafana/grafana-plugin-sdk-go/backend/log"

	"github.com/pulse-monitoring/pulse/pkg/plugin"
)

func main() {
	plugin.SetSoftMemoryLimit()
	if err := datasource.Manage(plugin.DataSourceID, plugin.NewDatasource, datasource.ManageOpts{}); err != nil {
		log.DefaultLogger.Error("Pulse data source stopped", "error", err.Error())
		os.Exit(1)
	}
}
