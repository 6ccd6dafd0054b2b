package main

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// A rule as the Alerts page sends it: query A on the Pulse data source, reduce B, threshold C.
func groupBody(uids []string, threshold float64) string {
	rules := []string{}
	for _, uid := range uids {
		rules = append(rules, fmt.Sprintf(`{"uid":%q,"title":%q,"condition":"C","for":"2m","noDataState":"OK","execErrState":"Error",
 "labels":{"pulse_pack":"service","pulse_rule":%q,"severity":"critical"},
 "data":[{"refId":"A","relativeTimeRange":{"from":600,"to":0},"datasourceUid":"pulse-prometheus","model":{"refId":"A","expr":"up","instant":true,"intervalMs":1000,"maxDataPoints":43200}},
  {"refId":"B","datasourceUid":"__expr__","model":{"refId":"B","type":"reduce","expression":"A","reducer":"last"}},
  {"refId":"C","datasourceUid":"__expr__","model":{"refId":"C","type":"threshold","expression":"B","conditions":[{"evaluator":{"type":"gt","params":[%v]}}]}}]}`, uid, uid, uid, threshold))
	}
	return fmt.Sprintf(`{"title":"pulse-service","folderUid":"pulse","interval":60,"rules":[%s]}`, strings.Join(rules, ","))
}

func doWithHeader(t *testing.T, method, url, body string, header map[string]string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(raw)
}

func TestProvisioningStoresGroupsByUID(t *testing.T) {
	ts, fake := newTestServer(t, dsYAML)
	noProvenance := map[string]string{"X-Disable-Provenance": "true"}
	group := ts.URL + "/api/v1/provisioning/folder/pulse/rule-groups/pulse-service"

	if status, _ := do(t, "GET", ts.URL+"/api/folders/pulse", ""); status != http.StatusNotFound {
		t.Fatalf("a missing folder answers %d, want 404", status)
	}
	if status, body := doWithHeader(t, "PUT", group, groupBody([]string{"pulse-a"}, 0), noProvenance); status != http.StatusBadRequest {
		t.Fatalf("a group in a missing folder: %d %s, want 400", status, body)
	}
	if status, body := do(t, "POST", ts.URL+"/api/folders", `{"uid":"pulse","title":"Pulse"}`); status != http.StatusOK {
		t.Fatalf("create folder: %d %s", status, body)
	}
	if status, _ := do(t, "POST", ts.URL+"/api/folders", `{"uid":"other","title":"Pulse"}`); status != http.StatusConflict {
		t.Fatalf("a second folder titled Pulse answers %d, want 409", status)
	}
	for i := 0; i < 2; i++ { // the second install updates, never adds
		if status, body := doWithHeader(t, "PUT", group, groupBody([]string{"pulse-a", "pulse-b"}, 0), noProvenance); status != http.StatusOK {
			t.Fatalf("install %d: %d %s", i, status, body)
		}
	}
	var rules []alertRule
	_, body := do(t, "GET", ts.URL+"/api/v1/provisioning/alert-rules", "")
	if err := json.Unmarshal([]byte(body), &rules); err != nil {
		t.Fatal(err)
	}
	if len(rules) != 2 || rules[0].UID != "pulse-a" || rules[0].Provenance != "" || rules[0].FolderUID != "pulse" || rules[0].RuleGroup != "pulse-service" {
		t.Fatalf("stored rules: %+v", rules)
	}
	// A PUT replaces the group: a rule left out is deleted.
	if status, body := doWithHeader(t, "PUT", group, groupBody([]string{"pulse-b"}, 0), noProvenance); status != http.StatusOK {
		t.Fatalf("replace: %d %s", status, body)
	}
	if status, _ := do(t, "GET", ts.URL+"/api/v1/provisioning/alert-rules/pulse-a", ""); status != http.StatusNotFound {
		t.Fatalf("a rule left out of the group is still there (%d)", status)
	}
	// Without the header the rule is provisioned ("api"), and Grafana's UI would not let anyone edit it.
	if status, body := do(t, "PUT", group, groupBody([]string{"pulse-c"}, 0)); status != http.StatusOK || !strings.Contains(body, "pulse-c") {
		t.Fatalf("install with provenance: %d %s", status, body)
	}
	_, body = do(t, "GET", ts.URL+"/api/v1/provisioning/alert-rules/pulse-c", "")
	if !strings.Contains(body, `"provenance":"api"`) {
		t.Fatalf("provenance not stored: %s", body)
	}
	if status, _ := do(t, "DELETE", ts.URL+"/api/v1/provisioning/alert-rules/pulse-c", ""); status != http.StatusConflict {
		t.Fatalf("deleting a provisioned rule without the header: %d, want 409", status)
	}
	if status, _ := doWithHeader(t, "DELETE", ts.URL+"/api/v1/provisioning/alert-rules/pulse-c", "", noProvenance); status != http.StatusNoContent {
		t.Fatalf("delete: %d", status)
	}
	_ = fake
}

func TestEvaluatorRunsTheSavedQueryThenReduceAndThreshold(t *testing.T) {
	ts, fake := newTestServer(t, dsYAML)
	noProvenance := map[string]string{"X-Disable-Provenance": "true"}
	do(t, "POST", ts.URL+"/api/folders", `{"uid":"pulse","title":"Pulse"}`)
	group := ts.URL + "/api/v1/provisioning/folder/pulse/rule-groups/pulse-service"
	for _, c := range []struct {
		threshold float64
		state     string
	}{{0, "Alerting"}, {5, "Normal"}} {
		doWithHeader(t, "PUT", group, groupBody([]string{"pulse-a"}, c.threshold), noProvenance)
		_, body := do(t, "GET", ts.URL+"/harness/alerting/evaluate/pulse-a", "")
		var ev evaluation
		if err := json.Unmarshal([]byte(body), &ev); err != nil {
			t.Fatal(err)
		}
		if ev.State != c.state {
			t.Fatalf("threshold %v: state %s, want %s (%s)", c.threshold, ev.State, c.state, body)
		}
		q := fake.queries[0]
		// The model as saved, the relative range, the model's interval and points: what Grafana's alerting sends.
		if !strings.Contains(string(q.JSON), `"expr":"up"`) || q.Interval != time.Second || q.MaxDataPoints != 43200 ||
			q.TimeRange.To.Sub(q.TimeRange.From) != 10*time.Minute {
			t.Fatalf("query sent: %+v %s", q, q.JSON)
		}
	}
	if status, _ := do(t, "GET", ts.URL+"/harness/alerting/evaluate/nope", ""); status != http.StatusNotFound {
		t.Fatalf("unknown rule: %d", status)
	}
}

func TestFramesToSeriesReadsTheDataplaneKinds(t *testing.T) {
	ts := data.NewFrame("", data.NewField("Time", nil, []time.Time{time.Unix(0, 0), time.Unix(60, 0)}),
		data.NewField("Value", data.Labels{"name": "shop.orders"}, []float64{1, 3}))
	long := data.NewFrame("", data.NewField("name", nil, []string{"a", "b"}), data.NewField("Value", nil, []float64{2, 4}))
	got, err := framesToSeries(data.Frames{ts, long, data.NewFrame("")})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || got[0].labels["name"] != "shop.orders" || got[2].labels["name"] != "b" || *got[2].values[0] != 4 {
		t.Fatalf("series: %+v", got)
	}
	last, _ := reduceAll(got[:1], "last")
	mean, _ := reduceAll(got[:1], "mean")
	if *last[0].Value != 3 || *mean[0].Value != 2 {
		t.Fatalf("last %v mean %v", *last[0].Value, *mean[0].Value)
	}
	nan := 0.0
	withNull, _ := reduceAll([]series{{values: []*float64{nil, &nan}}}, "mean")
	if !math.IsNaN(*withNull[0].Value) {
		t.Fatalf("strict mean of a null: %v, want NaN", *withNull[0].Value)
	}
	held, _ := thresholdAll(withNull, "gt", []float64{-1})
	if *held[0].Value != 0 {
		t.Fatal("NaN met a threshold")
	}
	if _, err := framesToSeries(data.Frames{ts, ts}); err == nil {
		t.Fatal("two series with the same labels were accepted")
	}
}

func TestAlertInstancesArePendingForTheirForThenAlerting(t *testing.T) {
	ts, _ := newTestServer(t, dsYAML)
	noProvenance := map[string]string{"X-Disable-Provenance": "true"}
	do(t, "POST", ts.URL+"/api/folders", `{"uid":"pulse","title":"Pulse"}`)
	group := ts.URL + "/api/v1/provisioning/folder/pulse/rule-groups/pulse-service"
	instances := func() []alertInstance {
		t.Helper()
		status, body := do(t, "GET", ts.URL+"/api/prometheus/grafana/api/v1/alerts", "")
		var answer struct {
			Status string `json:"status"`
			Data   struct {
				Alerts []alertInstance `json:"alerts"`
			} `json:"data"`
		}
		if err := json.Unmarshal([]byte(body), &answer); err != nil || status != http.StatusOK || answer.Status != "success" {
			t.Fatalf("alerts: %d %s %v", status, body, err)
		}
		return answer.Data.Alerts
	}
	if got := instances(); len(got) != 0 {
		t.Fatalf("no rules, instances %+v", got)
	}
	// for 2m: the condition holds, the instance waits.
	doWithHeader(t, "PUT", group, groupBody([]string{"pulse-a"}, 0), noProvenance)
	got := instances()
	if len(got) == 0 || got[0].State != "Pending" || got[0].Labels["pulse_rule"] != "pulse-a" ||
		got[0].Labels["alertname"] != "pulse-a" || got[0].Labels["grafana_folder"] != "Pulse" || got[0].ActiveAt == "" {
		t.Fatalf("for 2m, first evaluation: %+v", got)
	}
	// The condition no longer holds: gone.
	doWithHeader(t, "PUT", group, groupBody([]string{"pulse-a"}, 5), noProvenance)
	if got := instances(); len(got) != 0 {
		t.Fatalf("condition false: %+v", got)
	}
	// for 0s: Alerting at once.
	doWithHeader(t, "PUT", group, strings.ReplaceAll(groupBody([]string{"pulse-a"}, 0), `"for":"2m"`, `"for":"0s"`), noProvenance)
	if got := instances(); len(got) == 0 || got[0].State != "Alerting" {
		t.Fatalf("for 0s: %+v", got)
	}
}
