package extract

import (
	"slices"
	"testing"
)

func exprs(list []Expression) []string {
	var out []string
	for _, e := range list {
		out = append(out, e.Kind+": "+e.Expr)
	}
	slices.Sort(out)
	return out
}

func TestDashboard(t *testing.T) {
	dashboard := `{
	  "panels": [
	    {"datasource": {"type": "prometheus", "uid": "$ds"}, "targets": [{"expr": "rate(x{job=~\"$job\"}[$__rate_interval])"}, {"expr": ""}]},
	    {"datasource": "Loki", "targets": [{"expr": "{job=\"a\"} |= \"x\""}]},
	    {"type": "row", "panels": [{"targets": [{"expr": "sum by ($label) (node_${dev}_bytes)"}]}]},
	    {"targets": [{"datasource": {"type": "loki"}, "expr": "count_over_time({a=\"b\"}[5m])"}, {"expr": "up"}]}
	  ],
	  "rows": [{"panels": [{"targets": [{"expr": "x[[interval]]"}]}]}],
	  "templating": {"list": [
	    {"type": "query", "query": "label_values(up{job=~\"$job\"}, instance)"},
	    {"type": "query", "query": {"query": "query_result(topk(5, x))", "refId": "A"}},
	    {"type": "query", "query": "label_values(job)"},
	    {"type": "query", "query": "metrics(node_.*)"},
	    {"type": "custom", "query": "a,b"},
	    {"type": "query", "datasource": {"type": "loki"}, "query": "label_values({a=\"b\"}, c)"}
	  ]}
	}`
	got, err := Dashboard([]byte(dashboard))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		`panel: rate(x{job=~"$job"}[$__rate_interval])`,
		`panel: sum by ($label) (node_${dev}_bytes)`,
		`panel: up`,
		`panel: x[[interval]]`,
		`variable: topk(5, x)`,
		`variable: up{job=~"$job"}`,
	}
	if g := exprs(got); !slices.Equal(g, want) {
		t.Errorf("got\n%q\nwant\n%q", g, want)
	}
	if _, err := Dashboard([]byte("{not json")); err == nil {
		t.Error("a broken file must be reported")
	}
}

func TestYAML(t *testing.T) {
	rules := `groups:
- name: a
  rules:
  - alert: Down
    expr: up == 0
    for: 5m
  - record: job:x:rate5m
    expr: |
      sum by (job) (
        rate(x[5m])
      )
---
apiVersion: v1
kind: ConfigMap
data:
  board.json: '{"panels": [{"targets": [{"expr": "node_load1"}]}]}'
---
tests:
- promql_expr_test:
  - expr: count(up)
    eval_time: 1m
`
	got, err := YAML([]byte(rules))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"alert: up == 0", "panel: node_load1", "record: sum by (job) (\n  rate(x[5m])\n)\n", "test: count(up)"}
	if g := exprs(got); !slices.Equal(g, want) {
		t.Errorf("got\n%q\nwant\n%q", g, want)
	}
}

func TestGlob(t *testing.T) {
	cases := []struct {
		pattern, path string
		match         bool
	}{
		{"assets/**/*.json", "assets/a/dashboards/b.json", true},
		{"assets/**/*.json", "assets/b.json", true},
		{"assets/**/*.json", "other/assets/b.json", false},
		{"**/prometheus_alerts.yaml", "x-mixin/prometheus_alerts.yaml", true},
		{"**/prometheus_alerts.yaml", "prometheus_alerts.yaml", true},
		{"manifests/*.yaml", "manifests/setup/crd.yaml", false},
		{"dashboards/*.json", "dashboards/k8s.json", true},
	}
	for _, c := range cases {
		if got := Glob(c.pattern).MatchString(c.path); got != c.match {
			t.Errorf("%s on %s: %v, want %v", c.pattern, c.path, got, c.match)
		}
	}
}

func TestSourcesFile(t *testing.T) {
	sources, err := ReadSources("../sources.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(sources) < 5 {
		t.Errorf("%d sources", len(sources))
	}
}
