package plugin

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/httpclient"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/pulse-monitoring/pulse/pkg/framing"
	"github.com/pulse-monitoring/pulse/pkg/models"
	"github.com/pulse-monitoring/pulse/pkg/prom"
	"github.com/pulse-monitoring/pulse/pkg/query"
)

// maxConcurrentQueries bounds how many queries of one request run against Prometheus at once
// (a dashboard refresh can send dozens; Prometheus' own default limit is 20 for all clients).
const maxConcurrentQueries = 8

// runQueries runs each query of the request against Prometheus, concurrently within a bound.
// Each query gets its own response; one failing query never fails the others.
func (d *Datasource) runQueries(ctx context.Context, req *backend.QueryDataRequest) (*backend.QueryDataResponse, error) {
	defer releaseMemoryWhenIdle()
	resp := backend.NewQueryDataResponse()
	if d.settingsErr != nil {
		for _, q := range req.Queries {
			resp.Responses[q.RefID] = backend.ErrDataResponseWithSource(backend.StatusBadRequest, backend.ErrorSourceDownstream, d.settingsErr.Error())
		}
		return resp, nil
	}
	var (
		mu  sync.Mutex
		wg  sync.WaitGroup
		sem = make(chan struct{}, maxConcurrentQueries)
	)
	for _, q := range req.Queries {
		wg.Add(1)
		go func(q backend.DataQuery) {
			defer wg.Done()
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				mu.Lock()
				resp.Responses[q.RefID] = backend.ErrDataResponseWithSource(backend.StatusTimeout, backend.ErrorSourceDownstream, "the request was canceled before the query ran")
				mu.Unlock()
				return
			}
			r := d.runQuery(ctx, q)
			<-sem
			mu.Lock()
			resp.Responses[q.RefID] = r
			mu.Unlock()
		}(q)
	}
	wg.Wait()
	return resp, nil
}

// hasChoices says whether an editor state holds anything (not absent, null or {}).
func hasChoices(state json.RawMessage) bool {
	s := strings.TrimSpace(string(state))
	return s != "" && s != "null" && s != "{}"
}

func (d *Datasource) runQuery(ctx context.Context, q backend.DataQuery) backend.DataResponse {
	m, err := query.Parse(q.JSON)
	if err != nil {
		return backend.ErrDataResponseWithSource(backend.StatusBadRequest, backend.ErrorSourceDownstream, err.Error())
	}
	if m.Expr == "" {
		if hasChoices(m.Guided) || hasChoices(m.Builder) {
			// The signal catalog that renders Guided and Builder choices is the editor's: a query
			// saved by an API or provisioning with only those choices has nothing to run. Saying so
			// puts an alert rule in error rather than letting it see "no data".
			return backend.ErrDataResponseWithSource(backend.StatusBadRequest, backend.ErrorSourceDownstream,
				"this query has Guided or Builder choices but no PromQL (expr): open it in the query editor and save it, which writes its PromQL; a query provisioned or saved through the API must carry expr")
		}
		return backend.DataResponse{}
	}
	var minInterval time.Duration
	if m.Interval != "" {
		if minInterval, err = models.ParseDuration(m.Interval); err != nil {
			return backend.ErrDataResponseWithSource(backend.StatusBadRequest, backend.ErrorSourceDownstream,
				fmt.Sprintf("min step %q is not a duration such as 30s or 1m", m.Interval))
		}
	}
	scrape := d.settings.ScrapeIntervalOrDefault()
	// A heatmap cell is increase(bucket[$__interval]): it needs two samples in each cell, so its
	// step is at least two scrape intervals.
	if m.Format == query.FormatHeatmap && minInterval < 2*scrape {
		minInterval = 2 * scrape
	}
	step := query.Step(query.StepInput{
		From: q.TimeRange.From, To: q.TimeRange.To,
		Interval: q.Interval, MaxDataPoints: q.MaxDataPoints,
		MinInterval: minInterval, ScrapeInterval: scrape, IntervalFactor: m.IntervalFactor,
	})
	expr := query.ExpandMacros(m.Expr, query.MacroInput{Interval: step, ScrapeInterval: scrape, From: q.TimeRange.From, To: q.TimeRange.To})

	var out backend.DataResponse
	if m.Range {
		start, end := query.Align(q.TimeRange.From, q.TimeRange.To, step)
		frames, err := d.fetch(ctx, func(ctx context.Context) (*http.Response, error) {
			return d.client.QueryRange(ctx, expr, start, end, step)
		})
		if err != nil {
			return errorResponse(err)
		}
		frames = shape(frames, m, q.RefID, expr, false)
		setExecuted(frames, fmt.Sprintf("Expr: %s\nStep: %s", expr, query.FormatDuration(step)))
		out.Frames = append(out.Frames, frames...)
		if m.Exemplar {
			out.Frames = append(out.Frames, d.exemplars(ctx, expr, start, end)...)
		}
	}
	if m.Instant {
		frames, err := d.fetch(ctx, func(ctx context.Context) (*http.Response, error) {
			return d.client.Query(ctx, expr, q.TimeRange.To)
		})
		if err != nil {
			return errorResponse(err)
		}
		frames = shape(frames, m, q.RefID, expr, true)
		setExecuted(frames, fmt.Sprintf("Expr: %s\nInstant", expr))
		out.Frames = append(out.Frames, frames...)
	}
	return out
}

// shape puts series frames into the query's format. Notices stay on the first frame. instant says
// the frames answer an instant query (one sample per series).
func shape(frames data.Frames, m query.Model, refID, expr string, instant bool) data.Frames {
	var notices []data.Notice
	if len(frames) > 0 && frames[0].Meta != nil {
		notices = frames[0].Meta.Notices
	}
	switch m.Format {
	case query.FormatTable:
		frames = data.Frames{framing.ToTable(frames, refID, instant)}
	case query.FormatHeatmap:
		frames = framing.ToHeatmap(frames)
	default:
		framing.ApplyLegend(frames, m.LegendFormat, expr)
	}
	if len(notices) > 0 && len(frames) > 0 {
		if frames[0].Meta == nil {
			frames[0].Meta = &data.FrameMeta{}
		}
		frames[0].Meta.Notices = notices
	}
	return frames
}

// exemplars fetches the exemplars of a range query. They decorate a graph, so a failure becomes a
// notice on an empty exemplar frame rather than failing the query.
func (d *Datasource) exemplars(ctx context.Context, expr string, start, end time.Time) data.Frames {
	resp, err := d.client.QueryExemplars(ctx, expr, start, end)
	if err == nil {
		defer resp.Body.Close()
		var frame *data.Frame
		if frame, err = framing.ReadExemplars(resp.Body); err == nil {
			if frame.Rows() == 0 {
				return nil
			}
			return data.Frames{frame}
		}
	}
	f := data.NewFrame("exemplar")
	f.Meta = &data.FrameMeta{Notices: []data.Notice{{Severity: data.NoticeSeverityWarning, Text: "exemplars could not be loaded: " + err.Error()}}}
	return data.Frames{f}
}

func (d *Datasource) fetch(ctx context.Context, send func(context.Context) (*http.Response, error)) (data.Frames, error) {
	resp, err := send(ctx)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	res, err := framing.Read(resp.Body)
	if err != nil {
		return nil, err
	}
	frames := res.Frames
	notices := make([]data.Notice, 0, len(res.Warnings)+len(res.Infos))
	for _, w := range res.Warnings {
		notices = append(notices, data.Notice{Severity: data.NoticeSeverityWarning, Text: partialResponseNotice(w)})
	}
	for _, i := range res.Infos {
		notices = append(notices, data.Notice{Severity: data.NoticeSeverityInfo, Text: i})
	}
	if len(notices) > 0 {
		if len(frames) == 0 {
			frames = data.Frames{data.NewFrame("Warnings")}
		}
		for _, f := range frames {
			if f.Meta == nil {
				f.Meta = &data.FrameMeta{}
			}
			f.Meta.Notices = append(f.Meta.Notices, notices...)
		}
	}
	return frames, nil
}

func setExecuted(frames data.Frames, executed string) {
	for _, f := range frames {
		if f.Meta == nil {
			f.Meta = &data.FrameMeta{}
		}
		f.Meta.ExecutedQueryString = executed
	}
}

// errorResponse maps an error of any layer to a per-query response with its source.
func errorResponse(err error) backend.DataResponse {
	var (
		apiErr   *framing.APIError
		fmtErr   *framing.FormatError
		bodyErr  *framing.BodyError
		pErr     *prom.Error
		largeErr *prom.TooLargeError
	)
	switch {
	case errors.Is(err, httpclient.ErrResponseBodyTooLarge):
		limit, raise := "Grafana's response limit ([dataproxy] response_limit)", ""
		if errors.As(err, &largeErr) {
			limit, raise = largeErr.LimitName(), "; "+largeErr.HowToRaise()
		}
		return backend.ErrDataResponseWithSource(backend.StatusBadGateway, backend.ErrorSourceDownstream,
			"the answer from Prometheus is larger than "+limit+": narrow the time range, raise the min step, or aggregate the query (e.g. sum by a label) so it returns fewer series"+raise)
	case errors.As(err, &bodyErr) && errors.As(bodyErr.Err, &pErr):
		// The client explained the read failure (timed out, connection broke, cut off) itself.
		return backend.ErrDataResponseWithSource(statusOfKind(pErr.Kind), pErr.Source, pErr.Message)
	case errors.As(err, &bodyErr):
		return backend.ErrDataResponseWithSource(backend.StatusBadGateway, backend.ErrorSourceDownstream,
			"the connection to Prometheus broke while its answer was being read: try again; if it keeps happening, check proxies between Grafana and Prometheus")
	case errors.As(err, &apiErr):
		return backend.ErrDataResponseWithSource(statusOfAPIError(apiErr.Type), backend.ErrorSourceDownstream, apiErrorMessage(apiErr))
	case errors.As(err, &fmtErr):
		return backend.ErrDataResponseWithSource(backend.StatusBadGateway, backend.ErrorSourceDownstream, fmtErr.Message)
	case errors.As(err, &pErr):
		return backend.ErrDataResponseWithSource(statusOfKind(pErr.Kind), pErr.Source, pErr.Message)
	default:
		return backend.ErrDataResponseWithSource(backend.StatusInternal, backend.ErrorSourcePlugin, err.Error())
	}
}

func apiErrorMessage(e *framing.APIError) string {
	if msg, ok := noPartialResponseMessage(e.Message); ok {
		return msg
	}
	if strings.Contains(e.Message, "err-mimir-") {
		return "the query hit a limit of the Mimir tenant (" + e.Message + "): narrow the time range, filter on more labels or aggregate (sum by ...) so fewer series are read"
	}
	switch e.Type {
	case "bad_data":
		return "Prometheus rejected the query: " + e.Message
	case "timeout":
		return "the query timed out in Prometheus (" + e.Message + "): narrow the time range or simplify the query"
	case "canceled":
		return "the query was canceled in Prometheus: " + e.Message
	case "execution":
		return "Prometheus could not run the query: " + e.Message
	default:
		return "Prometheus answered with an error: " + e.Error()
	}
}

func statusOfAPIError(t string) backend.Status {
	switch t {
	case "bad_data":
		return backend.StatusBadRequest
	case "timeout", "canceled":
		return backend.StatusTimeout
	case "unavailable":
		return backend.StatusBadGateway
	default:
		return backend.StatusBadRequest
	}
}

func statusOfKind(k prom.Kind) backend.Status {
	switch k {
	case prom.KindAuth:
		return backend.StatusUnauthorized
	case prom.KindTimeout, prom.KindCanceled:
		return backend.StatusTimeout
	case prom.KindRateLimited, prom.KindBusy:
		return backend.StatusTooManyRequests
	case prom.KindNotFound:
		return backend.StatusNotFound
	default:
		return backend.StatusBadGateway
	}
}
