package discovery

import (
	"fmt"
	"strings"
	"time"

	"github.com/pulse-monitoring/pulse/pkg/models"
)

// The PromQL the backend itself runs to discover what is scraped. Panels, pages and alert rules
// get theirs from the signal catalog (src/signals); these only feed the health check and the
// catalog resource. Metric names come from the data source settings.

// window is the lookback of catalog queries: last_over_time over the chosen range, so a
// service that ran earlier in the range is listed even if it is gone now.
func window(d time.Duration) string {
	if d < time.Minute {
		d = time.Minute
	}
	return fmt.Sprintf("%ds", int64(d.Seconds()))
}

func hostsQuery(w time.Duration) string {
	return fmt.Sprintf(`group by (instance, job, nodename) (last_over_time(node_uname_info[%s]))`, window(w))
}

func containersQuery(w time.Duration) string {
	return fmt.Sprintf(`group by (id, name, image, instance, job) (last_over_time(container_memory_working_set_bytes{id!="/"}[%s]))`, window(w))
}

func databasesQuery(w time.Duration) string {
	return fmt.Sprintf(`group by (datname, instance, job, server) (last_over_time(pg_stat_database_numbackends{datname!~"template[01]"}[%s]))`, window(w))
}

// exporterProbe is how the health check recognizes one exporter.
type exporterProbe struct {
	Key   string // nestjs, node, cadvisor, postgres
	Title string
	// Count counts the things the exporter reports (services, hosts, ...); Targets counts its scrape targets.
	Count   string
	Targets string
	Unit    string
	Missing string // how to add it
}

// autoServiceProbe counts the services and targets of every profile (auto): the services by their
// name (the job's for a job profile), the targets that export any profile's request metrics.
func autoServiceProbe(ps []Profile) (count, targets, missing string) {
	var names, counts, series []string
	for _, p := range ps {
		counts = append(counts, p.requestCounts()...)
		series = append(series, fmt.Sprintf("%s (%s)", p.requestSeries(), p.ID))
		if p.Identity == "job" {
			names = append(names, fmt.Sprintf(`label_replace(group by (job) (%s), "name", "$1", "job", "(.*)")`, p.countSelector()))
			continue
		}
		// Only the info gauge's targets that export this profile's requests: any OpenTelemetry app has target_info.
		named := fmt.Sprintf(`group by (%s) (%s and on (instance, job) (%s))`, p.NameLabel, p.Info, strings.Join(p.requestCounts(), " or "))
		if p.NameLabel != "name" {
			named = fmt.Sprintf(`label_replace(%s, "name", "$1", "%s", "(.*)")`, named, p.NameLabel)
		}
		names = append(names, named)
	}
	count = fmt.Sprintf(`count(group by (name) (%s))`, strings.Join(names, " or "))
	targets = fmt.Sprintf(`count(group by (instance, job) (%s))`, strings.Join(counts, " or "))
	missing = fmt.Sprintf("no request metrics of any instrumentation Pulse knows (%s): instrument your NestJS app (the Overview's setup checklist has a snippet) and add a scrape job for its metrics path; if the target is down, check the path is excluded from your response interceptor", strings.Join(series, "; "))
	return count, targets, missing
}

func exporterProbes(m models.MetricNames) []exporterProbe {
	p := ProfileOf(m)
	targets := p.targetsQuery()
	count := p.serviceCountQuery()
	missing := fmt.Sprintf("no %s metrics: instrument your NestJS app (%s) and add a scrape job for its metrics path; if the target is down, check the path is excluded from your response interceptor", p.requestSeries(), p.Title)
	if p.Identity == "info" {
		targets = fmt.Sprintf(`count(group by (instance, job) (%s))`, p.Info)
		missing = fmt.Sprintf("no %s metric: instrument your NestJS app (%s) and add a scrape job for its metrics path; if the target is down, check the path is excluded from your response interceptor", p.Info, p.Title)
		if p.ID == "seed" {
			missing = fmt.Sprintf("no %s metric: register the Pulse interceptor (prom-client via @willsoto/nestjs-prometheus) in your NestJS app and add a scrape job for its metrics path; if the target is down, check the path is excluded from your response interceptor", p.Info)
		}
	}
	if IsAuto(m) {
		count, targets, missing = autoServiceProbe(ProfilesOf(m))
	}
	return []exporterProbe{
		{
			Key: "nestjs", Title: "NestJS services", Unit: "service",
			Count:   count,
			Targets: targets,
			Missing: missing,
		},
		{
			Key: "node", Title: "node_exporter", Unit: "host",
			Count:   `count(group by (instance) (node_uname_info))`,
			Targets: `count(group by (instance, job) (node_uname_info))`,
			Missing: "no node_uname_info: run node_exporter on each host (port 9100) and add a scrape job for it",
		},
		{
			Key: "cadvisor", Title: "cAdvisor", Unit: "container",
			Count:   `count(group by (id) (container_memory_working_set_bytes{id!="/"}))`,
			Targets: `count(group by (instance, job) (container_memory_working_set_bytes))`,
			Missing: "no container_memory_working_set_bytes: run cAdvisor on each Docker host (port 8080) and add a scrape job for it",
		},
		{
			Key: "postgres", Title: "postgres_exporter", Unit: "database server",
			Count:   `count(pg_up == 1)`,
			Targets: `count(pg_up)`,
			Missing: "no pg_up: run postgres_exporter (port 9187) with DATA_SOURCE_NAME pointing at your database and add a scrape job for it",
		},
	}
}
