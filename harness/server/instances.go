package main

// Grafana's alert instances API, /api/prometheus/grafana/api/v1/alerts, as Pulse's inventories read it: every
// stored rule evaluated now (evaluate.go), each series whose condition holds an instance with the rule's labels,
// the series' labels, alertname and grafana_folder. Unlike one evaluation, `for` is played here: an instance is
// Pending from the first evaluation its condition held in until `for` has passed, then Alerting; one whose
// condition stops holding is gone (Grafana lists Normal instances of firing rules in other views, not here).

import (
	"net/http"
	"sort"
	"strconv"
	"sync"
	"time"
)

type alertInstance struct {
	Labels      map[string]string `json:"labels"`
	Annotations map[string]string `json:"annotations"`
	State       string            `json:"state"`
	ActiveAt    string            `json:"activeAt"`
	Value       string            `json:"value"`
}

// activeSince remembers when each instance's condition started to hold, by rule uid and series labels.
type activeSince struct {
	mu    sync.Mutex
	since map[string]time.Time
}

func (s *server) alertInstances(w http.ResponseWriter, r *http.Request) {
	s.alerting.mu.Lock()
	s.alerting.init()
	rules := s.alerting.sortedRules(func(*alertRule) bool { return true })
	folders := map[string]string{}
	for uid, f := range s.alerting.folders {
		folders[uid] = f.Title
	}
	s.alerting.mu.Unlock()

	now := time.Now()
	instances := []alertInstance{}
	holding := map[string]bool{}
	for _, rule := range rules {
		if rule.IsPaused {
			continue
		}
		ev := s.evaluate(r, rule, now)
		hold, _ := parsePromDuration(rule.For)
		for _, n := range ev.Firing {
			key := rule.UID + "\x00" + n.Labels.String()
			holding[key] = true
			s.active.mu.Lock()
			if s.active.since == nil {
				s.active.since = map[string]time.Time{}
			}
			since, ok := s.active.since[key]
			if !ok {
				since = now
				s.active.since[key] = now
			}
			s.active.mu.Unlock()
			labels := map[string]string{}
			for k, v := range rule.Labels {
				labels[k] = v
			}
			for k, v := range n.Labels {
				labels[k] = v
			}
			labels["alertname"], labels["grafana_folder"] = rule.Title, folders[rule.FolderUID]
			state := "Pending"
			if now.Sub(since) >= hold {
				state = "Alerting"
			}
			instances = append(instances, alertInstance{
				Labels: labels, Annotations: rule.Annotations, State: state,
				ActiveAt: since.UTC().Format(time.RFC3339Nano), Value: reducedValue(ev, n),
			})
		}
	}
	s.active.mu.Lock()
	for key := range s.active.since {
		if !holding[key] {
			delete(s.active.since, key)
		}
	}
	s.active.mu.Unlock()
	sort.SliceStable(instances, func(i, j int) bool { return instances[i].Labels["alertname"] < instances[j].Labels["alertname"] })
	writeJSON(w, http.StatusOK, map[string]any{"status": "success", "data": map[string]any{"alerts": instances}})
}

// reducedValue is what Grafana's instance value shows: the expression before the condition, for the same series.
func reducedValue(ev evaluation, n number) string {
	for _, red := range ev.Reduced {
		if red.Labels.String() == n.Labels.String() && red.Value != nil {
			return strconv.FormatFloat(*red.Value, 'g', -1, 64)
		}
	}
	return ""
}
