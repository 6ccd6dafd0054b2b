// Package discovery answers "what is there?" from Prometheus: which exporters are scraped (for
// the health check), the catalog of services, controllers, hosts, containers and databases (for
// the editor's dropdowns and the pages), and the scrape targets with a diagnosis of why one fails.
package discovery

import (
	"context"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/pulse-monitoring/pulse/pkg/framing"
	"github.com/pulse-monitoring/pulse/pkg/prom"
)

// Sample is one element of an instant vector.
type Sample struct {
	Labels data.Labels
	Value  float64
}

// instant runs an instant query at t and returns its samples.
func instant(ctx context.Context, c *prom.Client, expr string, t time.Time) ([]Sample, error) {
	resp, err := c.Query(ctx, expr, t)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	res, err := framing.Read(resp.Body)
	if err != nil {
		return nil, err
	}
	out := make([]Sample, 0, len(res.Frames))
	for _, f := range res.Frames {
		if len(f.Fields) < 2 || f.Rows() == 0 {
			continue
		}
		v, ok := f.Fields[1].ConcreteAt(f.Rows() - 1)
		if !ok {
			continue
		}
		fv, _ := v.(float64)
		out = append(out, Sample{Labels: f.Fields[1].Labels, Value: fv})
	}
	return out, nil
}
