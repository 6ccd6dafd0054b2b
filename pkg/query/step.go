package query

import (
	"fmt"
	"math"
	"strings"
	"time"
)

// MaxPointsPerSeries is Prometheus' limit on points per series in a range query.
const MaxPointsPerSeries = 11000

// StepInput is what the step is computed from.
type StepInput struct {
	From, To time.Time
	// Interval is Grafana's computed interval for the panel (DataQuery.Interval); 0 when absent.
	Interval time.Duration
	// MaxDataPoints is the panel's width in points (DataQuery.MaxDataPoints); 0 when absent.
	MaxDataPoints int64
	// MinInterval is the query's "min step" (Model.Interval, parsed); 0 when unset.
	MinInterval time.Duration
	// ScrapeInterval is the data source's scrape interval, the floor of every step.
	ScrapeInterval time.Duration
	IntervalFactor int64
}

// Step returns the query_range step: the larger of the panel interval and the min step (never
// below the scrape interval), times the interval factor, then raised so that no series exceeds
// MaxPointsPerSeries. The result is a whole number of milliseconds, at least 1 ms.
func Step(in StepInput) time.Duration {
	span := in.To.Sub(in.From)
	interval := in.Interval
	if interval <= 0 && in.MaxDataPoints > 0 && span > 0 {
		interval = span / time.Duration(in.MaxDataPoints)
	}
	floor := in.MinInterval
	if floor <= 0 {
		floor = in.ScrapeInterval
	}
	step := interval
	if step < floor {
		step = floor
	}
	factor := in.IntervalFactor
	if factor < 1 {
		factor = 1
	}
	step *= time.Duration(factor)
	if span > 0 {
		minStep := time.Duration(math.Ceil(float64(span) / MaxPointsPerSeries))
		if step < minStep {
			step = minStep
		}
	}
	step = step.Round(time.Millisecond)
	if step < time.Millisecond {
		step = time.Millisecond
	}
	// Whole seconds read better in PromQL and match Grafana's step choices.
	if step >= time.Second {
		step = time.Duration(math.Ceil(step.Seconds())) * time.Second
	}
	return step
}

// Align snaps the range to multiples of step so that successive refreshes hit the same
// evaluation timestamps (stable graphs, cache-friendly): start rounds down, end rounds down too
// but never below start.
func Align(from, to time.Time, step time.Duration) (time.Time, time.Time) {
	if step <= 0 {
		return from, to
	}
	ms := step.Milliseconds()
	if ms <= 0 {
		return from, to
	}
	start := time.UnixMilli(from.UnixMilli() / ms * ms).UTC()
	end := time.UnixMilli(to.UnixMilli() / ms * ms).UTC()
	if end.Before(start) {
		end = start
	}
	return start, end
}

// RateInterval is Grafana's $__rate_interval: max(interval + scrape interval, 4 × scrape interval),
// so rate() always sees at least four samples and never skips one between steps.
func RateInterval(interval, scrape time.Duration) time.Duration {
	a := interval + scrape
	b := 4 * scrape
	if a > b {
		return a
	}
	return b
}

// MacroInput is what macros expand from.
type MacroInput struct {
	Interval       time.Duration // the step of the query
	ScrapeInterval time.Duration
	From, To       time.Time
}

// ExpandMacros replaces Grafana's interval and range macros in expr. Alert rules reach the
// backend without frontend interpolation, so this must happen server-side. Longer names are
// replaced first ($__interval_ms before $__interval).
func ExpandMacros(expr string, in MacroInput) string {
	if !strings.Contains(expr, "$__") && !strings.Contains(expr, "${__") {
		return expr
	}
	rng := in.To.Sub(in.From)
	if rng < 0 {
		rng = 0
	}
	rangeS := int64(math.Round(rng.Seconds()))
	pairs := []struct{ name, value string }{
		{"__rate_interval_ms", fmt.Sprintf("%d", RateInterval(in.Interval, in.ScrapeInterval).Milliseconds())},
		{"__rate_interval", FormatDuration(RateInterval(in.Interval, in.ScrapeInterval))},
		{"__interval_ms", fmt.Sprintf("%d", in.Interval.Milliseconds())},
		{"__interval", FormatDuration(in.Interval)},
		{"__range_ms", fmt.Sprintf("%d", rng.Milliseconds())},
		{"__range_s", fmt.Sprintf("%d", rangeS)},
		{"__range", fmt.Sprintf("%ds", rangeS)},
	}
	out := expr
	for _, p := range pairs {
		out = strings.ReplaceAll(out, "${"+p.name+"}", p.value)
		out = strings.ReplaceAll(out, "$"+p.name, p.value)
	}
	return out
}

// FormatDuration writes d the way PromQL reads it: whole units without spaces ("1m30s", "500ms").
func FormatDuration(d time.Duration) string {
	if d <= 0 {
		return "0s"
	}
	ms := d.Milliseconds()
	if ms%1000 != 0 {
		return fmt.Sprintf("%dms", ms)
	}
	s := ms / 1000
	var b strings.Builder
	for _, u := range []struct {
		n   int64
		sfx string
	}{{86400, "d"}, {3600, "h"}, {60, "m"}, {1, "s"}} {
		if s >= u.n {
			fmt.Fprintf(&b, "%d%s", s/u.n, u.sfx)
			s %= u.n
		}
	}
	return b.String()
}
