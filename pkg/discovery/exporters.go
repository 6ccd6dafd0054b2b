package discovery

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/pulse-monitoring/pulse/pkg/models"
	"github.com/pulse-monitoring/pulse/pkg/prom"
)

// ExporterStatus says whether one exporter's metrics reach Prometheus.
type ExporterStatus struct {
	Key     string `json:"key"`
	Title   string `json:"title"`
	Present bool   `json:"present"`
	// Count is how many things it reports (services, hosts, containers, database servers up).
	Count int `json:"count"`
	// Targets is how many scrape targets report it.
	Targets int    `json:"targets"`
	Unit    string `json:"unit"`
	// Hint says how to add a missing exporter, or what is wrong with a present one.
	Hint string `json:"hint,omitempty"`
	// Error is set when the probe query itself failed.
	Error string `json:"error,omitempty"`
	// Profiles (NestJS services only) counts the targets that export each instrumentation
	// profile's request metrics, whichever profile the data source is set to.
	Profiles []ProfileTargets `json:"profiles,omitempty"`
}

// ProfileTargets is how many scrape targets export one profile's request metrics.
type ProfileTargets struct {
	Profile string `json:"profile"`
	Targets int    `json:"targets"`
}

// Exporters probes Prometheus for each exporter Pulse builds on, concurrently.
func Exporters(ctx context.Context, c *prom.Client, m models.MetricNames, at time.Time) []ExporterStatus {
	probes := exporterProbes(m)
	out := make([]ExporterStatus, len(probes))
	var wg sync.WaitGroup
	for i, p := range probes {
		wg.Add(1)
		go func(i int, p exporterProbe) {
			defer wg.Done()
			st := ExporterStatus{Key: p.Key, Title: p.Title, Unit: p.Unit}
			count, err := scalarCount(ctx, c, p.Count, at)
			if err != nil {
				st.Error = err.Error()
				out[i] = st
				return
			}
			targets, err := scalarCount(ctx, c, p.Targets, at)
			if err != nil {
				st.Error = err.Error()
				out[i] = st
				return
			}
			st.Count, st.Targets = count, targets
			st.Present = targets > 0
			switch {
			case !st.Present:
				st.Hint = p.Missing
			case p.Key == "postgres" && count < targets:
				st.Hint = fmt.Sprintf("%d of %d postgres_exporter targets cannot reach their database (pg_up = 0): check DATA_SOURCE_NAME and that the database accepts the exporter's connection", targets-count, targets)
			}
			out[i] = st
		}(i, p)
	}
	wg.Wait()
	for i := range out {
		if out[i].Key == "nestjs" && out[i].Error == "" {
			detectProfiles(ctx, c, m, at, &out[i])
		}
	}
	return out
}

// detectProfiles counts each profile's targets (with default metric names, but the configured
// one's as set). Set to one profile, it says when services export another instrumentation;
// with auto it names the instrumentation of each (every one of them is shown).
func detectProfiles(ctx context.Context, c *prom.Client, m models.MetricNames, at time.Time, st *ExporterStatus) {
	auto := IsAuto(m)
	configured := ProfileOf(m)
	var others, found []string
	for _, p := range profiles {
		if !auto && p.ID == configured.ID {
			p = configured
		}
		if auto {
			p = profileIn(ProfilesOf(m), p)
		}
		n, err := scalarCount(ctx, c, p.targetsQuery(), at)
		if err != nil || n == 0 {
			continue
		}
		st.Profiles = append(st.Profiles, ProfileTargets{Profile: p.ID, Targets: n})
		desc := fmt.Sprintf("%d %s export %s (%s, instrumentation %q)", n, plural("target", n), p.Title, p.requestSeries(), p.ID)
		found = append(found, desc)
		if p.ID != configured.ID {
			others = append(others, desc)
		}
	}
	if auto {
		if len(found) > 0 {
			st.Hint = "each service is shown with its own instrumentation: " + strings.Join(found, "; ")
		}
		return
	}
	if len(others) == 0 {
		return
	}
	if !st.Present {
		st.Hint = fmt.Sprintf("no services export %s (%s), the instrumentation this data source is set to, but %s: choose it, or auto, as the instrumentation in the data source settings", configured.Title, configured.requestSeries(), strings.Join(others, "; "))
		return
	}
	st.Hint = fmt.Sprintf("besides these, %s: set the instrumentation to auto in the data source settings to show every service with its own", strings.Join(others, "; "))
}

// profileIn is the profile of ps with p's id (p itself when none).
func profileIn(ps []Profile, p Profile) Profile {
	for _, q := range ps {
		if q.ID == p.ID {
			return q
		}
	}
	return p
}

func scalarCount(ctx context.Context, c *prom.Client, expr string, at time.Time) (int, error) {
	samples, err := instant(ctx, c, expr, at)
	if err != nil {
		return 0, err
	}
	if len(samples) == 0 {
		return 0, nil // count() of nothing is an empty vector
	}
	return int(samples[0].Value), nil
}

// Summary is a one-paragraph reading of the exporter statuses for the health message.
func Summary(statuses []ExporterStatus) string {
	var found, missing []string
	for _, s := range statuses {
		switch {
		case s.Error != "":
			missing = append(missing, fmt.Sprintf("%s could not be checked (%s)", s.Title, s.Error))
		case s.Present:
			line := fmt.Sprintf("%s: %d %s", s.Title, s.Count, plural(s.Unit, s.Count))
			if s.Hint != "" {
				line += " (" + s.Hint + ")"
			}
			found = append(found, line)
		default:
			missing = append(missing, fmt.Sprintf("%s — %s", s.Title, s.Hint))
		}
	}
	var b strings.Builder
	if len(found) > 0 {
		b.WriteString("Found " + strings.Join(found, "; ") + ".")
	}
	if len(missing) > 0 {
		if b.Len() > 0 {
			b.WriteString(" ")
		}
		b.WriteString("Missing: " + strings.Join(missing, "; ") + ".")
	}
	return b.String()
}

func plural(unit string, n int) string {
	if n == 1 {
		return unit
	}
	return unit + "s"
}
