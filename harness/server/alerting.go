package main

// Grafana's alerting provisioning HTTP API as far as the Alerts page uses it: folders, rule groups and rules, kept
// in memory as received. What Grafana does and the harness does too: rules are keyed by uid (a second PUT of a
// group updates its rules, never adds copies), a group PUT replaces the group's rules (those left out are deleted),
// `X-Disable-Provenance: true` stores no provenance (the rule stays editable in Grafana's UI) and otherwise the
// provenance is "api", the permissions of authorization.go are required (a Viewer gets the 403). Grafana's
// validation of a rule's queries and its state history are not played; evaluate.go runs a stored rule once.

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"
)

// alertRule is a provisioned rule as the API returns it; Data stays the JSON received (the saved query models).
type alertRule struct {
	UID          string            `json:"uid"`
	OrgID        int               `json:"orgID"`
	FolderUID    string            `json:"folderUID"`
	RuleGroup    string            `json:"ruleGroup"`
	Title        string            `json:"title"`
	Condition    string            `json:"condition"`
	Data         []alertQuery      `json:"data"`
	Updated      string            `json:"updated,omitempty"`
	NoDataState  string            `json:"noDataState"`
	ExecErrState string            `json:"execErrState"`
	For          string            `json:"for"`
	Annotations  map[string]string `json:"annotations,omitempty"`
	Labels       map[string]string `json:"labels,omitempty"`
	IsPaused     bool              `json:"isPaused"`
	Provenance   string            `json:"provenance,omitempty"`
}

type alertQuery struct {
	RefID             string `json:"refId"`
	QueryType         string `json:"queryType,omitempty"`
	RelativeTimeRange struct {
		From int64 `json:"from"`
		To   int64 `json:"to"`
	} `json:"relativeTimeRange"`
	DatasourceUID string          `json:"datasourceUid"`
	Model         json.RawMessage `json:"model"`
}

type ruleGroup struct {
	Title     string      `json:"title"`
	FolderUID string      `json:"folderUid"`
	Interval  int64       `json:"interval"`
	Rules     []alertRule `json:"rules"`
}

type folder struct {
	UID   string `json:"uid"`
	Title string `json:"title"`
}

type alertStore struct {
	mu        sync.Mutex
	folders   map[string]folder
	rules     map[string]*alertRule // by uid
	intervals map[string]int64      // folderUID/group -> seconds
	writes    int                   // requests that changed something, for the specs
}

func (a *alertStore) init() {
	if a.rules == nil {
		a.folders = map[string]folder{}
		a.rules = map[string]*alertRule{}
		a.intervals = map[string]int64{}
	}
}

// Grafana's uid rule: at most 40 characters of letters, digits, '-' and '_'.
var uidPattern = regexp.MustCompile(`^[a-zA-Z0-9_-]{1,40}$`)

func apiError(w http.ResponseWriter, status int, format string, args ...any) {
	writeJSON(w, status, map[string]any{"message": fmt.Sprintf(format, args...)})
}

func (s *server) alertingRoutes(mux, pages *http.ServeMux) {
	mux.HandleFunc("GET /api/folders", s.require("folders:read", s.listFolders))
	mux.HandleFunc("GET /api/folders/{uid}", s.require("folders:read", s.getFolder))
	mux.HandleFunc("POST /api/folders", s.require("folders:create", s.createFolder))
	// Grafana accepts rules:read with folders:read for the reads, which a Viewer has; writes need provisioning.
	mux.HandleFunc("GET /api/v1/provisioning/alert-rules", s.require("alert.rules:read", s.listRules))
	mux.HandleFunc("GET /api/v1/provisioning/alert-rules/{uid}", s.require("alert.rules:read", s.getRule))
	mux.HandleFunc("DELETE /api/v1/provisioning/alert-rules/{uid}", s.require("alert.provisioning:write", s.deleteRule))
	mux.HandleFunc("GET /api/v1/provisioning/folder/{folder}/rule-groups/{group}", s.require("alert.rules:read", s.getGroup))
	mux.HandleFunc("PUT /api/v1/provisioning/folder/{folder}/rule-groups/{group}", s.require("alert.provisioning:write", s.putGroup))
	// Single-rule writes are not what the page uses; a Viewer still gets Grafana's 403 for them.
	for _, p := range []string{"/api/v1/provisioning/alert-rules", "/api/v1/provisioning/alert-rules/{uid}", "/api/ruler/grafana/api/v1/rules/"} {
		mux.HandleFunc(p, s.alertRuleWrite)
	}
	mux.HandleFunc("GET /api/prometheus/grafana/api/v1/alerts", s.require("alert.rules:read", s.alertInstances))
	pages.HandleFunc("GET /harness/alerting/rules", s.harnessRules)
	pages.HandleFunc("GET /harness/alerting/evaluate/{uid}", s.harnessEvaluate)
}

func (s *server) listFolders(w http.ResponseWriter, r *http.Request) {
	a := &s.alerting
	a.mu.Lock()
	defer a.mu.Unlock()
	a.init()
	out := []folder{}
	for _, f := range a.folders {
		out = append(out, f)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].UID < out[j].UID })
	writeJSON(w, http.StatusOK, out)
}

func (s *server) getFolder(w http.ResponseWriter, r *http.Request) {
	a := &s.alerting
	a.mu.Lock()
	defer a.mu.Unlock()
	a.init()
	f, ok := a.folders[r.PathValue("uid")]
	if !ok {
		apiError(w, http.StatusNotFound, "folder not found")
		return
	}
	writeJSON(w, http.StatusOK, f)
}

func (s *server) createFolder(w http.ResponseWriter, r *http.Request) {
	var in folder
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil || strings.TrimSpace(in.Title) == "" {
		apiError(w, http.StatusBadRequest, "bad request data: a folder needs a title")
		return
	}
	a := &s.alerting
	a.mu.Lock()
	defer a.mu.Unlock()
	a.init()
	if in.UID == "" {
		in.UID = fmt.Sprintf("f%d", time.Now().UnixNano())
	}
	if !uidPattern.MatchString(in.UID) {
		apiError(w, http.StatusBadRequest, "uid contains illegal characters")
		return
	}
	if _, ok := a.folders[in.UID]; ok {
		apiError(w, http.StatusConflict, "a folder with the same uid already exists")
		return
	}
	for _, f := range a.folders {
		if f.Title == in.Title {
			apiError(w, http.StatusConflict, "a folder with the same name already exists")
			return
		}
	}
	a.folders[in.UID] = in
	a.writes++
	writeJSON(w, http.StatusOK, in)
}

func (a *alertStore) sortedRules(keep func(*alertRule) bool) []alertRule {
	out := []alertRule{}
	for _, r := range a.rules {
		if keep(r) {
			out = append(out, *r)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].UID < out[j].UID })
	return out
}

func (s *server) listRules(w http.ResponseWriter, r *http.Request) {
	a := &s.alerting
	a.mu.Lock()
	defer a.mu.Unlock()
	a.init()
	writeJSON(w, http.StatusOK, a.sortedRules(func(*alertRule) bool { return true }))
}

func (s *server) getRule(w http.ResponseWriter, r *http.Request) {
	a := &s.alerting
	a.mu.Lock()
	defer a.mu.Unlock()
	a.init()
	rule, ok := a.rules[r.PathValue("uid")]
	if !ok {
		w.WriteHeader(http.StatusNotFound)
		return
	}
	writeJSON(w, http.StatusOK, rule)
}

func (s *server) deleteRule(w http.ResponseWriter, r *http.Request) {
	a := &s.alerting
	a.mu.Lock()
	defer a.mu.Unlock()
	a.init()
	uid := r.PathValue("uid")
	if rule, ok := a.rules[uid]; ok {
		// As Grafana: a provisioned rule is only deleted by a request that also disables provenance.
		if rule.Provenance != "" && !provenanceDisabled(r) {
			apiError(w, http.StatusConflict, "cannot delete a provisioned rule with provenance %q without X-Disable-Provenance", rule.Provenance)
			return
		}
		delete(a.rules, uid)
		a.writes++
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *server) getGroup(w http.ResponseWriter, r *http.Request) {
	a := &s.alerting
	a.mu.Lock()
	defer a.mu.Unlock()
	a.init()
	folderUID, group := r.PathValue("folder"), r.PathValue("group")
	rules := a.sortedRules(func(x *alertRule) bool { return x.FolderUID == folderUID && x.RuleGroup == group })
	if len(rules) == 0 {
		apiError(w, http.StatusNotFound, "rule group not found under this folder")
		return
	}
	writeJSON(w, http.StatusOK, ruleGroup{Title: group, FolderUID: folderUID, Interval: a.intervals[folderUID+"/"+group], Rules: rules})
}

func provenanceDisabled(r *http.Request) bool {
	return r.Header.Get("X-Disable-Provenance") != ""
}

// putGroup replaces a group's rules (creating the group), as Grafana's ReplaceRuleGroup does.
func (s *server) putGroup(w http.ResponseWriter, r *http.Request) {
	folderUID, group := r.PathValue("folder"), r.PathValue("group")
	var in ruleGroup
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		apiError(w, http.StatusBadRequest, "bad request data: %v", err)
		return
	}
	if in.Interval <= 0 || in.Interval%10 != 0 {
		apiError(w, http.StatusBadRequest, "invalid rule group: interval %d s must be a positive multiple of the base interval (10 s)", in.Interval)
		return
	}
	a := &s.alerting
	a.mu.Lock()
	defer a.mu.Unlock()
	a.init()
	if _, ok := a.folders[folderUID]; !ok {
		apiError(w, http.StatusBadRequest, "folder does not exist")
		return
	}
	provenance := "api"
	if provenanceDisabled(r) {
		provenance = ""
	}
	seen := map[string]bool{}
	for i := range in.Rules {
		rule := &in.Rules[i]
		if err := validRule(rule); err != nil {
			apiError(w, http.StatusBadRequest, "invalid alert rule %q: %v", rule.Title, err)
			return
		}
		if seen[rule.UID] {
			apiError(w, http.StatusBadRequest, "invalid rule group: uid %q twice", rule.UID)
			return
		}
		seen[rule.UID] = true
		if old, ok := a.rules[rule.UID]; ok && (old.FolderUID != folderUID || old.RuleGroup != group) {
			apiError(w, http.StatusBadRequest, "rule %q belongs to another group (%s/%s)", rule.UID, old.FolderUID, old.RuleGroup)
			return
		}
		if old, ok := a.rules[rule.UID]; ok && old.Provenance != provenance && old.Provenance != "" {
			apiError(w, http.StatusConflict, "cannot change provenance from %q to %q", old.Provenance, provenance)
			return
		}
	}
	for uid, old := range a.rules {
		if old.FolderUID == folderUID && old.RuleGroup == group && !seen[uid] {
			delete(a.rules, uid)
		}
	}
	now := time.Now().UTC().Format(time.RFC3339)
	for _, rule := range in.Rules {
		rule.FolderUID, rule.RuleGroup, rule.OrgID, rule.Provenance, rule.Updated = folderUID, group, 1, provenance, now
		stored := rule
		a.rules[rule.UID] = &stored
	}
	a.intervals[folderUID+"/"+group] = in.Interval
	a.writes++
	in.Title, in.FolderUID = group, folderUID
	if provenance != "" {
		w.Header().Set("X-Provenance", provenance)
	}
	writeJSON(w, http.StatusOK, in)
}

// validRule checks what Grafana refuses before storing: a uid, a title, a condition among the queries, a duration.
func validRule(rule *alertRule) error {
	if !uidPattern.MatchString(rule.UID) {
		return fmt.Errorf("uid %q: at most 40 letters, digits, '-' or '_'", rule.UID)
	}
	if strings.TrimSpace(rule.Title) == "" {
		return fmt.Errorf("no title")
	}
	found := false
	for _, q := range rule.Data {
		if q.RefID == rule.Condition {
			found = true
		}
	}
	if !found {
		return fmt.Errorf("condition %q is none of the queries", rule.Condition)
	}
	if rule.For == "" {
		rule.For = "0s"
	}
	if _, err := parsePromDuration(rule.For); err != nil {
		return fmt.Errorf("for: %v", err)
	}
	return nil
}

// harnessRules lists what was stored, for the specs: the rules, the folders, and how many writes changed something.
func (s *server) harnessRules(w http.ResponseWriter, r *http.Request) {
	a := &s.alerting
	a.mu.Lock()
	defer a.mu.Unlock()
	a.init()
	folders := []folder{}
	for _, f := range a.folders {
		folders = append(folders, f)
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"folders": folders, "rules": a.sortedRules(func(*alertRule) bool { return true }), "intervals": a.intervals, "writes": a.writes,
	})
}
