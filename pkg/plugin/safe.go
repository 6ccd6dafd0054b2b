package plugin

import (
	"context"
	"errors"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/pulse-monitoring/pulse/pkg/redact"
)

// The plugin's three ways out — query answers, health results and resource bodies — each pass
// through the instance's redactor here, after everything else: whatever a layer below put into
// a text (an upstream's error body, a warning, a JSON parser's excerpt of a malformed answer), it
// reaches Grafana, the browser and the SDK's request log without the data source's secrets, as
// valid UTF-8 and capped in length. Nothing else in the plugin writes to the log.

// safeQueryData redacts every error and notice of a query answer in place.
func (d *Datasource) safeQueryData(resp *backend.QueryDataResponse) *backend.QueryDataResponse {
	if resp == nil {
		return resp
	}
	for refID, r := range resp.Responses {
		if r.Error != nil {
			r.Error = errors.New(d.redactor.Text(r.Error.Error()))
		}
		for _, f := range r.Frames {
			d.safeFrame(f)
		}
		resp.Responses[refID] = r
	}
	return resp
}

func (d *Datasource) safeFrame(f *data.Frame) {
	if f == nil {
		return
	}
	f.Name = d.redactor.Text(f.Name)
	if f.Meta == nil {
		return
	}
	for i := range f.Meta.Notices {
		f.Meta.Notices[i].Text = d.redactor.Text(f.Meta.Notices[i].Text)
	}
	// The executed query is the user's own PromQL, which may be long: only made safe, not capped.
	if d.redactor.Contains(f.Meta.ExecutedQueryString) {
		f.Meta.ExecutedQueryString = d.redactor.Text(f.Meta.ExecutedQueryString)
	}
}

// safeHealth redacts a health result's message and details.
func (d *Datasource) safeHealth(res *backend.CheckHealthResult) *backend.CheckHealthResult {
	if res == nil {
		return res
	}
	res.Message = d.redactor.Text(res.Message)
	if len(res.JSONDetails) > 0 {
		res.JSONDetails = d.redactor.JSON(res.JSONDetails)
	}
	return res
}

// safeSender redacts every resource body the handlers send. Resource bodies are JSON built by
// the handlers, so the redaction keeps them valid JSON.
type safeSender struct {
	redactor *redact.Redactor
	next     backend.CallResourceResponseSender
}

func (s safeSender) Send(r *backend.CallResourceResponse) error {
	if r != nil && len(r.Body) > 0 {
		r.Body = s.redactor.JSON(r.Body)
	}
	return s.next.Send(r)
}

// QueryData, CheckHealth and CallResource are the SDK's entry points; each hands its answer to
// the redaction above.

// QueryData runs the request's queries (see runQueries) and redacts the answer.
func (d *Datasource) QueryData(ctx context.Context, req *backend.QueryDataRequest) (*backend.QueryDataResponse, error) {
	resp, err := d.runQueries(ctx, req)
	return d.safeQueryData(resp), err
}

// CheckHealth answers Save & test (see checkHealth) and redacts the result.
func (d *Datasource) CheckHealth(ctx context.Context, req *backend.CheckHealthRequest) (*backend.CheckHealthResult, error) {
	res, err := d.checkHealth(ctx, req)
	return d.safeHealth(res), err
}

// CallResource serves the read-only resources (see serveResource) and redacts their bodies.
func (d *Datasource) CallResource(ctx context.Context, req *backend.CallResourceRequest, sender backend.CallResourceResponseSender) error {
	return d.serveResource(ctx, req, safeSender{redactor: d.redactor, next: sender})
}
