package framing

import (
	"regexp"
	"sort"
	"strings"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// LegendAuto asks Grafana to build the legend itself from the labels.
const LegendAuto = "__auto"

var legendTemplate = regexp.MustCompile(`\{\{\s*(.+?)\s*\}\}`)

// ApplyLegend names each series as Grafana's Prometheus data source does: an empty format gives
// the verbose `metric{label="value", ...}`, `__auto` leaves naming to Grafana, and a template
// replaces `{{label}}` with the series' value of that label (empty when it has none). A series
// with no name and no labels is named after the query.
func ApplyLegend(frames data.Frames, legendFormat, expr string) {
	for _, f := range frames {
		for _, field := range f.Fields {
			if field.Type() == data.FieldTypeTime || field.Type() == data.FieldTypeNullableTime {
				continue
			}
			name := legendName(field.Labels, legendFormat, expr)
			if name == "" {
				continue
			}
			if field.Config == nil {
				field.Config = &data.FieldConfig{}
			}
			field.Config.DisplayNameFromDS = name
		}
	}
}

func legendName(labels data.Labels, format, expr string) string {
	switch format {
	case LegendAuto:
		if len(labels) > 0 {
			return ""
		}
		return expr
	case "":
		name := verboseName(labels)
		if name == "{}" {
			return expr
		}
		return name
	default:
		return legendTemplate.ReplaceAllStringFunc(format, func(m string) string {
			key := strings.TrimSpace(m[2 : len(m)-2])
			return labels[key]
		})
	}
}

// verboseName is `metric{a="1", b="2"}` with labels sorted, as Prometheus prints a series.
func verboseName(labels data.Labels) string {
	keys := make([]string, 0, len(labels))
	for k := range labels {
		if k != "__name__" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString(labels["__name__"])
	b.WriteByte('{')
	for i, k := range keys {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(k)
		b.WriteString(`="`)
		b.WriteString(labels[k])
		b.WriteByte('"')
	}
	b.WriteByte('}')
	return b.String()
}
