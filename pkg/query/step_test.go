package query

import (
	"testing"
	"time"
)

func TestStep(t *testing.T) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		in   StepInput
		want time.Duration
	}{
		{"panel interval wins over scrape interval", StepInput{From: now.Add(-time.Hour), To: now, Interval: 30 * time.Second, ScrapeInterval: 15 * time.Second}, 30 * time.Second},
		{"never below the scrape interval", StepInput{From: now.Add(-time.Hour), To: now, Interval: time.Second, ScrapeInterval: 15 * time.Second}, 15 * time.Second},
		{"min step replaces the scrape floor", StepInput{From: now.Add(-time.Hour), To: now, Interval: time.Second, MinInterval: 2 * time.Minute, ScrapeInterval: 15 * time.Second}, 2 * time.Minute},
		{"interval factor multiplies", StepInput{From: now.Add(-time.Hour), To: now, Interval: 20 * time.Second, ScrapeInterval: 15 * time.Second, IntervalFactor: 3}, time.Minute},
		{"max data points when no interval", StepInput{From: now.Add(-24 * time.Hour), To: now, MaxDataPoints: 1440, ScrapeInterval: 15 * time.Second}, time.Minute},
		{"30 days at 15s is clamped to 11,000 points", StepInput{From: now.Add(-30 * 24 * time.Hour), To: now, Interval: 15 * time.Second, ScrapeInterval: 15 * time.Second}, 236 * time.Second},
		{"7 days at 60s stays (10,080 points)", StepInput{From: now.Add(-7 * 24 * time.Hour), To: now, Interval: time.Minute, ScrapeInterval: 15 * time.Second}, time.Minute},
		{"sub-second steps are kept in milliseconds", StepInput{From: now.Add(-time.Second), To: now, Interval: 100 * time.Millisecond, ScrapeInterval: 50 * time.Millisecond}, 100 * time.Millisecond},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Step(tc.in)
			if got != tc.want {
				t.Fatalf("Step = %s, want %s", got, tc.want)
			}
			if span := tc.in.To.Sub(tc.in.From); span/got > MaxPointsPerSeries {
				t.Fatalf("%d points per series is over the limit", span/got)
			}
		})
	}
}

func TestAlign(t *testing.T) {
	from := time.Date(2026, 1, 1, 0, 0, 7, 0, time.UTC)
	to := time.Date(2026, 1, 1, 0, 10, 44, 0, time.UTC)
	start, end := Align(from, to, 15*time.Second)
	if want := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC); !start.Equal(want) {
		t.Errorf("start %s, want %s", start, want)
	}
	if want := time.Date(2026, 1, 1, 0, 10, 30, 0, time.UTC); !end.Equal(want) {
		t.Errorf("end %s, want %s", end, want)
	}
	s2, e2 := Align(to, to.Add(time.Second), time.Hour)
	if e2.Before(s2) {
		t.Errorf("end %s before start %s", e2, s2)
	}
}

func TestExpandMacros(t *testing.T) {
	from := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	in := MacroInput{Interval: 30 * time.Second, ScrapeInterval: 15 * time.Second, From: from, To: from.Add(90 * time.Minute)}
	tests := map[string]string{
		`rate(x[$__rate_interval])`:          `rate(x[1m])`,
		`rate(x[${__rate_interval}])`:        `rate(x[1m])`,
		`rate(x[$__interval])`:               `rate(x[30s])`,
		`x * $__interval_ms`:                 `x * 30000`,
		`increase(x[$__range])`:              `increase(x[5400s])`,
		`x / $__range_s + $__range_ms`:       `x / 5400 + 5400000`,
		`$__rate_interval_ms`:                `60000`,
		`up{job="$__interval"} no macros $x`: `up{job="30s"} no macros $x`,
		`plain`:                              `plain`,
	}
	for expr, want := range tests {
		if got := ExpandMacros(expr, in); got != want {
			t.Errorf("ExpandMacros(%q) = %q, want %q", expr, got, want)
		}
	}
	// $__rate_interval is at least four scrape intervals.
	if got := ExpandMacros(`[$__rate_interval]`, MacroInput{Interval: 5 * time.Second, ScrapeInterval: 15 * time.Second}); got != `[1m]` {
		t.Errorf("rate interval floor: %s", got)
	}
}

func TestFormatDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		0: "0s", 500 * time.Millisecond: "500ms", 15 * time.Second: "15s", 90 * time.Second: "1m30s",
		2 * time.Hour: "2h", 25 * time.Hour: "1d1h", 1500 * time.Millisecond: "1500ms",
	} {
		if got := FormatDuration(d); got != want {
			t.Errorf("FormatDuration(%s) = %q, want %q", d, got, want)
		}
	}
}

func TestParse(t *testing.T) {
	m, err := Parse([]byte(`{"expr":"  up  ","refId":"A"}`))
	if err != nil {
		t.Fatal(err)
	}
	if m.Expr != "up" || !m.Range || m.Instant || m.Format != FormatTimeSeries || m.IntervalFactor != 1 {
		t.Fatalf("defaults not applied: %+v", m)
	}
	m, err = Parse([]byte(`{"expr":"up","instant":true,"format":"table","editorMode":"builder","builder":{"metric":"up"}}`))
	if err != nil || m.Range || !m.Instant || m.Format != FormatTable || m.EditorMode != EditorModeBuilder || string(m.Builder) != `{"metric":"up"}` {
		t.Fatalf("got %+v, %v", m, err)
	}
	if _, err := Parse([]byte(`{"expr":"up","format":"pie"}`)); err == nil {
		t.Fatal("unknown format accepted")
	}
	if _, err := Parse([]byte(`{"expr":`)); err == nil {
		t.Fatal("broken JSON accepted")
	}
}
