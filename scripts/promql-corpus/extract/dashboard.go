package extract

import (
	"encoding/json"
	"regexp"
	"strings"
)

// Expression is one PromQL text as written, and where it was found.
type Expression struct {
	Expr string `json:"expr"`
	// Kind: "panel" (a dashboard target), "variable" (a dashboard variable's query), "alert", "record" (rule
	// files) or "test" (a promtool unit test's expression).
	Kind string `json:"kind"`
	// Source: owner/name@commit:path
	Source string `json:"source"`
}

// Data sources whose queries are not PromQL (a dashboard may mix them with Prometheus panels).
var notPromQL = regexp.MustCompile(`(?i)loki|elastic|influx|graphite|tempo|jaeger|zipkin|mysql|postgres|mssql|cloudwatch|stackdriver|azure|testdata|grafana-.*-datasource|-- grafana --|logs`)

func datasourceOf(v any) (string, bool) {
	switch d := v.(type) {
	case string:
		return d, true
	case map[string]any:
		if t, ok := d["type"].(string); ok && t != "" {
			return t, true
		}
		if u, ok := d["uid"].(string); ok {
			return u, true
		}
	}
	return "", false
}

// Grafana's Prometheus variable queries: the PromQL in query_result(…) and the selector in label_values(…, l).
var (
	queryResult = regexp.MustCompile(`(?s)^\s*query_result\((.*)\)\s*$`)
	labelValues = regexp.MustCompile(`(?s)^\s*label_values\((.*),\s*[\w.]+\s*\)\s*$`)
)

func variableQuery(q string) (string, bool) {
	if m := queryResult.FindStringSubmatch(q); m != nil {
		return m[1], true
	}
	if m := labelValues.FindStringSubmatch(q); m != nil {
		return m[1], true
	}
	return "", false
}

// Dashboard collects the PromQL of a Grafana dashboard: every target's `expr` (panels, rows, library panels
// inlined, any depth) and every query variable's PromQL, skipping queries of non-Prometheus data sources.
func Dashboard(raw []byte) ([]Expression, error) {
	var doc any
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, err
	}
	var out []Expression
	var walk func(v any, datasource string, inTemplating bool)
	walk = func(v any, datasource string, inTemplating bool) {
		switch n := v.(type) {
		case []any:
			for _, x := range n {
				walk(x, datasource, inTemplating)
			}
		case map[string]any:
			if d, ok := datasourceOf(n["datasource"]); ok {
				datasource = d
			}
			skip := notPromQL.MatchString(datasource)
			if expr, ok := n["expr"].(string); ok && strings.TrimSpace(expr) != "" && !skip {
				out = append(out, Expression{Expr: expr, Kind: "panel"})
			}
			if inTemplating && n["type"] == "query" && !skip {
				q := n["query"]
				if m, ok := q.(map[string]any); ok {
					q = m["query"]
				}
				if s, ok := q.(string); ok {
					if expr, ok := variableQuery(s); ok && strings.TrimSpace(expr) != "" {
						out = append(out, Expression{Expr: expr, Kind: "variable"})
					}
				}
			}
			for k, x := range n {
				if k == "expr" || k == "datasource" {
					continue
				}
				walk(x, datasource, inTemplating || k == "templating")
			}
		}
	}
	walk(doc, "", false)
	return out, nil
}
