// Package query holds the query model (mirrored in src/datasource/types.ts with the same literals)
// and the pure math around it: step, alignment and macro expansion.
package query

import (
	"encoding/json"
	"fmt"
	"strings"
)

// Format is how a query's answer is shaped into frames.
type Format string

const (
	FormatTimeSeries Format = "time_series"
	FormatTable      Format = "table"
	FormatHeatmap    Format = "heatmap"
)

// EditorMode is the query editor mode the query was last edited in.
type EditorMode string

const (
	EditorModeGuided  EditorMode = "guided"
	EditorModeBuilder EditorMode = "builder"
	EditorModeCode    EditorMode = "code"
)

// Model is one query of a panel, a page or an alert rule. It is a superset of Grafana's
// Prometheus query JSON, so a panel can move between the core Prometheus data source and Pulse.
type Model struct {
	Expr           string     `json:"expr"`
	Range          bool       `json:"range"`
	Instant        bool       `json:"instant"`
	Format         Format     `json:"format"`
	LegendFormat   string     `json:"legendFormat"`
	Interval       string     `json:"interval"`
	IntervalFactor int64      `json:"intervalFactor"`
	Exemplar       bool       `json:"exemplar"`
	EditorMode     EditorMode `json:"editorMode"`
	// Guided and Builder hold the editors' structured state; the backend runs Expr only.
	Guided  json.RawMessage `json:"guided,omitempty"`
	Builder json.RawMessage `json:"builder,omitempty"`
}

// Parse reads a query's JSON. With neither range nor instant set, the query is a range query,
// as in Grafana's Prometheus data source.
func Parse(raw json.RawMessage) (Model, error) {
	var m Model
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &m); err != nil {
			return m, fmt.Errorf("the query is not valid JSON: %w", err)
		}
	}
	m.Expr = strings.TrimSpace(m.Expr)
	if !m.Range && !m.Instant {
		m.Range = true
	}
	if m.Format == "" {
		m.Format = FormatTimeSeries
	}
	switch m.Format {
	case FormatTimeSeries, FormatTable, FormatHeatmap:
	default:
		return m, fmt.Errorf("unknown format %q: use time_series, table or heatmap", m.Format)
	}
	if m.IntervalFactor < 1 {
		m.IntervalFactor = 1
	}
	return m, nil
}
