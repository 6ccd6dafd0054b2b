package discovery

import (
	"context"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/pulse-monitoring/pulse/pkg/models"
	"github.com/pulse-monitoring/pulse/pkg/prom"
)

// Catalog is what Prometheus knows about the stack over a time range. Its JSON is the
// `catalog` resource, mirrored in src/datasource/catalog.ts; the literals must match.
type Catalog struct {
	Services   []Service   `json:"services"`
	Hosts      []Host      `json:"hosts"`
	Containers []Container `json:"containers"`
	Databases  []Database  `json:"databases"`
	// Errors names the parts that could not be read (the rest is still returned).
	Errors map[string]string `json:"errors,omitempty"`
}

// Service is one NestJS service, as its instrumentation profile names it: from nestjs_info (name is
// "<domain>.<name>"), OpenTelemetry's target_info (service_name) or the job.
type Service struct {
	Name string `json:"name"`
	// Profile is the instrumentation profile the service was found with (profiles.go).
	Profile     string       `json:"profile"`
	Domain      string       `json:"domain"`
	Versions    []string     `json:"versions"`
	Instances   []Instance   `json:"instances"`
	Controllers []Controller `json:"controllers"`
}

// Instance is one scrape target of a service.
type Instance struct {
	Instance string `json:"instance"`
	Job      string `json:"job"`
	Version  string `json:"version"`
}

// Controller groups the handlers seen in the request histograms.
type Controller struct {
	Name     string    `json:"name"`
	Handlers []Handler `json:"handlers"`
}

// Handler is one route handler with the HTTP methods it was called with.
type Handler struct {
	Name    string   `json:"name"`
	Methods []string `json:"methods"`
}

// Host is one node_exporter target.
type Host struct {
	Instance string `json:"instance"`
	Job      string `json:"job"`
	Nodename string `json:"nodename,omitempty"`
}

// Container is one cAdvisor container; Name is empty for raw cgroups, which have only an id.
type Container struct {
	ID       string `json:"id"`
	Name     string `json:"name,omitempty"`
	Image    string `json:"image,omitempty"`
	Instance string `json:"instance"`
}

// Database is one database seen by postgres_exporter.
type Database struct {
	Name     string `json:"name"`
	Instance string `json:"instance"`
	Server   string `json:"server,omitempty"`
}

// MaxCatalogItems caps each list so that a huge fleet cannot make the resource unbounded.
const MaxCatalogItems = 5000

// BuildCatalog reads the catalog for [from, to]: things seen at any time in the range. With auto
// (ProfilesOf) each profile's services are read with its own queries, and each service is listed
// with the profile it was found with.
func BuildCatalog(ctx context.Context, c *prom.Client, m models.MetricNames, from, to time.Time) Catalog {
	w := to.Sub(from)
	profiles := ProfilesOf(m)
	parts := map[string]string{
		"hosts":      hostsQuery(w),
		"containers": containersQuery(w),
		"databases":  databasesQuery(w),
	}
	for _, p := range profiles {
		parts[p.ID+"/services"] = p.serviceTargetsQuery(w)
		parts[p.ID+"/operations"] = p.operationsQuery(w)
		if q := p.versionsQuery(w); q != "" {
			parts[p.ID+"/versions"] = q
		}
	}
	results := make(map[string][]Sample, len(parts))
	errs := map[string]string{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for name, expr := range parts {
		wg.Add(1)
		go func(name, expr string) {
			defer wg.Done()
			samples, err := instant(ctx, c, expr, to)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				// The section's name without the profile: the browser reads errors by section.
				section := name[strings.LastIndex(name, "/")+1:]
				if section != "operations" && section != "versions" {
					errs[section] = err.Error()
				} else {
					errs["services"] = err.Error()
				}
				return
			}
			results[name] = samples
		}(name, expr)
	}
	wg.Wait()

	var services []Service
	for _, p := range profiles {
		services = append(services, buildServices(p, results[p.ID+"/services"], results[p.ID+"/versions"], results[p.ID+"/operations"])...)
	}
	cat := Catalog{
		Services:   mergeServices(services),
		Hosts:      buildHosts(results["hosts"]),
		Containers: buildContainers(results["containers"]),
		Databases:  buildDatabases(results["databases"]),
	}
	if len(errs) > 0 {
		cat.Errors = errs
	}
	return cat
}

// mergeServices keeps one service per name, sorted: a name two profiles find (a service that
// exports two instrumentations) keeps the first profile's, in the order of the profiles.
func mergeServices(services []Service) []Service {
	seen := map[string]bool{}
	out := make([]Service, 0, len(services))
	for _, s := range services {
		if !seen[s.Name] {
			seen[s.Name] = true
			out = append(out, s)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return capList(out)
}

// buildServices reads the profile's service targets (targets), a job profile's versions and the
// operations seen per target into services, with each label in its role: a route-based profile's
// operations are handlers of no controller (Name "").
func buildServices(p Profile, targets, versions, ops []Sample) []Service {
	target := func(s Sample) string { return s.Labels["instance"] + "\x00" + s.Labels["job"] }
	versionOf := map[string][]string{}
	for _, s := range versions {
		versionOf[target(s)] = appendUnique(versionOf[target(s)], s.Labels[p.VersionLabel])
	}
	byName := map[string]*Service{}
	serviceOf := map[string]string{} // instance+job -> service name
	for _, s := range targets {
		name, vs := s.Labels[p.NameLabel], []string{s.Labels[p.VersionLabel]}
		if p.Identity == "job" {
			name, vs = s.Labels["job"], versionOf[target(s)]
		}
		if name == "" {
			continue
		}
		svc := byName[name]
		if svc == nil {
			svc = &Service{Name: name, Profile: p.ID, Domain: s.Labels["domain"]}
			byName[name] = svc
		}
		if len(vs) == 0 {
			vs = []string{""}
		}
		for _, v := range vs {
			svc.Versions = appendUnique(svc.Versions, v)
			svc.Instances = append(svc.Instances, Instance{Instance: s.Labels["instance"], Job: s.Labels["job"], Version: v})
		}
		serviceOf[target(s)] = name
	}
	handlers := map[string]map[string]map[string][]string{} // service -> controller -> handler -> methods
	for _, s := range ops {
		name := serviceOf[target(s)]
		ctrl, h := s.Labels[p.Controller], s.Labels[p.Handler]
		if p.Controller == "" {
			ctrl = ""
		} else if ctrl == "" {
			continue
		}
		if name == "" || h == "" {
			continue
		}
		if handlers[name] == nil {
			handlers[name] = map[string]map[string][]string{}
		}
		if handlers[name][ctrl] == nil {
			handlers[name][ctrl] = map[string][]string{}
		}
		handlers[name][ctrl][h] = appendUnique(handlers[name][ctrl][h], s.Labels[p.Method])
	}
	out := make([]Service, 0, len(byName))
	for name, svc := range byName {
		sort.Strings(svc.Versions)
		sort.Slice(svc.Instances, func(i, j int) bool { return svc.Instances[i].Instance < svc.Instances[j].Instance })
		for ctrl, hs := range handlers[name] {
			c := Controller{Name: ctrl}
			for h, methods := range hs {
				if methods == nil {
					methods = []string{} // a profile without a method label: none, never null
				}
				sort.Strings(methods)
				c.Handlers = append(c.Handlers, Handler{Name: h, Methods: methods})
			}
			sort.Slice(c.Handlers, func(i, j int) bool { return c.Handlers[i].Name < c.Handlers[j].Name })
			svc.Controllers = append(svc.Controllers, c)
		}
		sort.Slice(svc.Controllers, func(i, j int) bool { return svc.Controllers[i].Name < svc.Controllers[j].Name })
		if svc.Controllers == nil {
			svc.Controllers = []Controller{}
		}
		if svc.Versions == nil {
			svc.Versions = []string{} // a job profile's service without a version gauge
		}
		out = append(out, *svc)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return capList(out)
}

func buildHosts(samples []Sample) []Host {
	out := make([]Host, 0, len(samples))
	for _, s := range samples {
		out = append(out, Host{Instance: s.Labels["instance"], Job: s.Labels["job"], Nodename: s.Labels["nodename"]})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Instance < out[j].Instance })
	return capList(out)
}

// buildContainers keeps what a user calls a container: anything cAdvisor names (Docker and
// containerd set name/image), and raw cgroups outside systemd's slices and scopes (how
// containers appear where cAdvisor sees bare cgroups).
func buildContainers(samples []Sample) []Container {
	out := make([]Container, 0, len(samples))
	for _, s := range samples {
		id, name := s.Labels["id"], s.Labels["name"]
		if name == "" && s.Labels["image"] == "" && (strings.Contains(id, ".slice") || strings.Contains(id, ".scope") || strings.Contains(id, ".mount")) {
			continue
		}
		out = append(out, Container{ID: id, Name: name, Image: s.Labels["image"], Instance: s.Labels["instance"]})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Name != out[j].Name {
			return out[i].Name < out[j].Name
		}
		return out[i].ID < out[j].ID
	})
	return capList(out)
}

func buildDatabases(samples []Sample) []Database {
	out := make([]Database, 0, len(samples))
	for _, s := range samples {
		// PostgreSQL reports shared-object statistics under an empty database name.
		if s.Labels["datname"] == "" {
			continue
		}
		out = append(out, Database{Name: s.Labels["datname"], Instance: s.Labels["instance"], Server: s.Labels["server"]})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Name != out[j].Name {
			return out[i].Name < out[j].Name
		}
		return out[i].Instance < out[j].Instance
	})
	return capList(out)
}

func appendUnique(list []string, v string) []string {
	if v == "" {
		return list
	}
	for _, x := range list {
		if x == v {
			return list
		}
	}
	return append(list, v)
}

func capList[T any](list []T) []T {
	if len(list) > MaxCatalogItems {
		return list[:MaxCatalogItems]
	}
	return list
}
