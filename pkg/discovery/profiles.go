package discovery

import (
	"fmt"
	"strings"
	"time"

	"github.com/pulse-monitoring/pulse/pkg/models"
)

// Profile is an instrumentation profile as the backend needs it: which series say that a target
// is a service, which carry its name, version and operations. It mirrors the structure of
// src/signals/profiles.ts (the signal catalog renders every panel's PromQL from that one); both
// are checked against testdata/profiles.json so that their literals stay the same.
type Profile struct {
	ID string `json:"id"`
	// Requests is by-outcome (one histogram per outcome), one-histogram or by-status.
	Requests string `json:"requests"`
	// Success and Fail are the histograms of a by-outcome profile; Histogram the one of the others.
	Success   string `json:"success,omitempty"`
	Fail      string `json:"fail,omitempty"`
	Histogram string `json:"histogram,omitempty"`
	// StatusLabel and FailedStatus tell a by-status profile's failed requests.
	StatusLabel  string `json:"statusLabel,omitempty"`
	FailedStatus string `json:"failedStatus,omitempty"`
	// UnitSuffix may be missing from Histogram's name: OpenTelemetry's own exporter leaves the unit
	// out (http_server_request_duration_bucket), the Collector puts it in (…_seconds_bucket).
	UnitSuffix string `json:"unitSuffix,omitempty"`
	// FailedCounter counts failed requests with the error class as ErrorLabel.
	FailedCounter string `json:"failedCounter,omitempty"`
	ErrorLabel    string `json:"errorLabel,omitempty"`
	// LatencyUnit is the seconds per unit of the latency histogram.
	LatencyUnit float64 `json:"latencyUnit"`
	// Controller, Handler and Method are the profile's labels for those roles ("" when it has none).
	Controller string `json:"controller,omitempty"`
	Handler    string `json:"handler,omitempty"`
	Method     string `json:"method,omitempty"`
	// Identity is info (an info gauge names the service) or job (the job is the service).
	Identity     string `json:"identity"`
	Info         string `json:"info,omitempty"`
	NameLabel    string `json:"nameLabel,omitempty"`
	VersionLabel string `json:"versionLabel"`
	// Title is how the health check names the profile.
	Title string `json:"-"`
}

// profiles are the instrumentation profiles with their default metric names.
var profiles = []Profile{
	{
		ID: "seed", Title: "the NestJS interceptor's success and fail histograms",
		Requests: "by-outcome", Success: "nestjs_success_requests", Fail: "nestjs_fail_requests",
		FailedCounter: "nestjs_requests_failed_count", ErrorLabel: "error", LatencyUnit: 1,
		Controller: "controller", Handler: "handler", Method: "method",
		Identity: "info", Info: "nestjs_info", NameLabel: "name", VersionLabel: "version",
	},
	{
		ID: "nestjs-requests", Title: "the NestJS interceptor's one request histogram",
		Requests: "one-histogram", Histogram: "nestjs_requests",
		FailedCounter: "nestjs_requests_failed_count", ErrorLabel: "error", LatencyUnit: 1,
		Controller: "controller", Handler: "handler",
		Identity: "info", Info: "nestjs_info", NameLabel: "name", VersionLabel: "version",
	},
	{
		ID: "prom-client-http", Title: "prom-client HTTP metrics",
		Requests: "by-status", Histogram: "http_request_duration_seconds", StatusLabel: "status_code", FailedStatus: "5..",
		LatencyUnit: 1, Handler: "route", Method: "method",
		Identity: "job", Info: "app_info", VersionLabel: "version",
	},
	{
		ID: "otel-http", Title: "OpenTelemetry HTTP metrics",
		Requests: "by-status", Histogram: "http_server_request_duration_seconds", StatusLabel: "http_response_status_code", FailedStatus: "5..", UnitSuffix: "_seconds",
		LatencyUnit: 1, Handler: "http_route", Method: "http_request_method",
		Identity: "info", Info: "target_info", NameLabel: "service_name", VersionLabel: "service_version",
	},
	{
		ID: "otel-http-legacy", Title: "OpenTelemetry HTTP metrics of older SDKs",
		Requests: "by-status", Histogram: "http_server_duration_milliseconds", StatusLabel: "http_status_code", FailedStatus: "5..", UnitSuffix: "_milliseconds",
		LatencyUnit: 0.001, Handler: "http_route", Method: "http_method",
		Identity: "info", Info: "target_info", NameLabel: "service_name", VersionLabel: "service_version",
	},
}

// IsAuto tells whether the data source reads each service with the profile its metrics match
// (the default) rather than one profile for all.
func IsAuto(m models.MetricNames) bool {
	p := strings.TrimSpace(m.Profile)
	return p == "" || p == models.AutoProfile
}

// ProfilesOf are the profiles the data source reads services with: the one it is set to, or with
// auto every profile. With auto the settings' names are the NestJS interceptors' (the seed's four,
// of which the one-histogram interceptor shares the failed counter and the info gauge); the HTTP
// profiles keep the names their libraries fix (choose one explicitly to rename its metrics).
func ProfilesOf(m models.MetricNames) []Profile {
	if !IsAuto(m) {
		return []Profile{ProfileOf(m)}
	}
	out := make([]Profile, 0, len(profiles))
	for _, p := range profiles {
		names := models.MetricNames{Profile: p.ID}
		if p.Identity == "info" && p.Info == "nestjs_info" {
			names = m
			names.Profile, names.Histogram = p.ID, ""
		}
		out = append(out, ProfileOf(names))
	}
	return out
}

// ProfileOf is the data source's profile with its settings' metric names (the seed's for auto;
// see ProfilesOf).
func ProfileOf(m models.MetricNames) Profile {
	p := profiles[0]
	for _, candidate := range profiles {
		if candidate.ID == m.Profile {
			p = candidate
		}
	}
	pick := func(name, def string) string {
		if name = strings.TrimSpace(name); name != "" {
			return name
		}
		return def
	}
	if p.Requests == "by-outcome" {
		p.Success, p.Fail = pick(m.SuccessHistogram, p.Success), pick(m.FailHistogram, p.Fail)
	} else if h := strings.TrimSpace(m.Histogram); h != "" {
		// A renamed histogram is the name the user typed: nothing to guess about its unit.
		p.Histogram, p.UnitSuffix = h, ""
	}
	if p.FailedCounter != "" {
		p.FailedCounter = pick(m.FailedCounter, p.FailedCounter)
	}
	p.Info = pick(m.Info, p.Info)
	return p
}

// requestCounts are selectors of the _count series of the profile's request histogram(s).
func (p Profile) requestCounts() []string {
	if p.Requests == "by-outcome" {
		return []string{p.Success + "_count", p.Fail + "_count"}
	}
	if p.UnitSuffix != "" && strings.HasSuffix(p.Histogram, p.UnitSuffix) {
		return []string{fmt.Sprintf(`{__name__=~"%s(%s)?_count"}`, strings.TrimSuffix(p.Histogram, p.UnitSuffix), p.UnitSuffix)}
	}
	return []string{p.Histogram + "_count"}
}

// requestSeries is the profile's request metrics as the health check names them.
func (p Profile) requestSeries() string {
	if p.Requests == "by-outcome" {
		return p.Success + " and " + p.Fail
	}
	if p.UnitSuffix != "" && strings.HasSuffix(p.Histogram, p.UnitSuffix) {
		return p.Histogram + " or " + strings.TrimSuffix(p.Histogram, p.UnitSuffix)
	}
	return p.Histogram
}

// lastOver is `last_over_time(a[w]) or last_over_time(b[w])` over the names.
func lastOver(names []string, w time.Duration) string {
	parts := make([]string, len(names))
	for i, n := range names {
		parts[i] = fmt.Sprintf("last_over_time(%s[%s])", n, window(w))
	}
	return strings.Join(parts, " or ")
}

// serviceTargetsQuery lists the profile's service targets with their name and version labels as
// the profile names them: the info gauge's, or for a job profile the request histogram's targets
// (their versions come from versionsQuery). A service is listed once it has been requested.
func (p Profile) serviceTargetsQuery(w time.Duration) string {
	if p.Identity == "job" {
		return fmt.Sprintf(`group by (instance, job) (%s)`, lastOver(p.requestCounts()[:1], w))
	}
	extra := ""
	if p.NameLabel == "name" {
		extra = "domain, " // the seed's nestjs_info carries the domain too
	}
	// Only the targets that also export this profile's request metrics: two profiles share
	// nestjs_info, and any OpenTelemetry app has target_info.
	return fmt.Sprintf(`group by (%s%s, %s, instance, job) (last_over_time(%s[%s])) and on (instance, job) (%s)`,
		extra, p.NameLabel, p.VersionLabel, p.Info, window(w), lastOver(p.requestCounts(), w))
}

// versionsQuery reads the versions of a job profile's targets from its info gauge ("" for others).
func (p Profile) versionsQuery(w time.Duration) string {
	if p.Identity != "job" || p.Info == "" {
		return ""
	}
	return fmt.Sprintf(`group by (instance, job, %s) (last_over_time(%s[%s]))`, p.VersionLabel, p.Info, window(w))
}

// operationsQuery lists the operations seen per target, with the profile's labels.
func (p Profile) operationsQuery(w time.Duration) string {
	labels := []string{"instance", "job"}
	for _, l := range []string{p.Controller, p.Handler, p.Method} {
		if l != "" {
			labels = append(labels, l)
		}
	}
	return fmt.Sprintf(`group by (%s) (%s)`, strings.Join(labels, ", "), lastOver(p.requestCounts(), w))
}

// targetsQuery counts the targets that export the profile's request metrics: what detection reads.
func (p Profile) targetsQuery() string {
	names := p.requestCounts()
	sel := names[0]
	if len(names) > 1 {
		sel = fmt.Sprintf(`{__name__=~"%s"}`, strings.Join(names, "|"))
	}
	return fmt.Sprintf(`count(group by (instance, job) (%s))`, sel)
}

// countSelector is the _count series of the profile's one request histogram (the seed's success one).
func (p Profile) countSelector() string { return p.requestCounts()[0] }

// serviceCountQuery counts the profile's services.
func (p Profile) serviceCountQuery() string {
	if p.Identity == "job" {
		return fmt.Sprintf(`count(group by (job) (%s))`, p.countSelector())
	}
	return fmt.Sprintf(`count(group by (%s) (%s))`, p.NameLabel, p.Info)
}
