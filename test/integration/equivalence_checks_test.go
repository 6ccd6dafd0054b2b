package integration_test

import (
	"math"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// The comparisons of engines must catch what a broken deduplication does: a replica label left on
// the series, and sums over both replicas (doubled values); and accept an answer taken from
// either replica.
func TestEquivalenceChecks(t *testing.T) {
	t0 := time.Unix(1_700_000_000, 0)
	frame := func(labels data.Labels, values ...float64) *data.Frame {
		times := make([]time.Time, len(values))
		for i := range values {
			times[i] = t0.Add(time.Duration(i) * 5 * time.Second)
		}
		return data.NewFrame("", data.NewField("Time", nil, times), data.NewField("Value", labels, values))
	}
	replicaA := seriesOf(data.Frames{frame(data.Labels{"service": "shop.orders"}, 10, 11, 12, 13)})
	replicaB := seriesOf(data.Frames{frame(data.Labels{"service": "shop.orders"}, 10.5, 11.5, 12.5, 13.5)})

	fromB := seriesOf(data.Frames{frame(data.Labels{"service": "shop.orders"}, 10.5, 11.5, 12.5, 13.5)})
	if diff := sameIdentities(replicaA, fromB); diff != "" {
		t.Errorf("same series reported as different: %s", diff)
	}
	if diff := valuesWithinAScrape(fromB, 5*time.Second, false, replicaA, replicaB); diff != "" {
		t.Errorf("an answer from replica b rejected: %s", diff)
	}

	leaked := seriesOf(data.Frames{frame(data.Labels{"service": "shop.orders", "replica": "a"}, 10, 11, 12, 13)})
	if sameIdentities(replicaA, leaked) == "" {
		t.Error("a leaked replica label went unnoticed")
	}

	doubled := seriesOf(data.Frames{frame(data.Labels{"service": "shop.orders"}, 20.5, 22.5, 24.5, 26.5)})
	if valuesWithinAScrape(doubled, 5*time.Second, false, replicaA, replicaB) == "" {
		t.Error("a sum over both replicas went unnoticed")
	}

	// A table of five counts over the range (as service.operations.failing answers): one of them
	// extrapolated from merged samples may differ by a fraction of an event; doubling all is still caught.
	table := func(values ...float64) seriesSet {
		var frames data.Frames
		for i, v := range values {
			frames = append(frames, frame(data.Labels{"handler": string(rune('a' + i))}, v))
		}
		return seriesOf(frames)
	}
	counts := table(4.53, 7, 2, 9, 3)
	if diff := valuesWithinAScrape(table(4.03, 7, 2, 9, 3), 5*time.Second, false, counts, counts); diff != "" {
		t.Errorf("one count off by half an event rejected: %s", diff)
	}
	if valuesWithinAScrape(table(9.06, 14, 4, 18, 6), 5*time.Second, false, counts, counts) == "" {
		t.Error("a table of doubled counts went unnoticed")
	}

	// An average whose sum and count came from different replicas may fall beyond both replicas'
	// own averages by about their spread; a doubled average still fails where the replicas agree.
	avgA := seriesOf(data.Frames{frame(data.Labels{"service": "shop.gateway"}, 0.0012, 0.02)})
	avgB := seriesOf(data.Frames{frame(data.Labels{"service": "shop.gateway"}, 0.0272, 0.021)})
	mixed := seriesOf(data.Frames{frame(data.Labels{"service": "shop.gateway"}, 0.0306, 0.0205)})
	if diff := valuesWithinAScrape(mixed, time.Second, true, avgA, avgB); diff != "" {
		t.Errorf("an average of mixed replicas rejected: %s", diff)
	}
	if valuesWithinAScrape(mixed, time.Second, false, avgA, avgB) == "" {
		t.Error("the same values pass without the allowance for mixed replicas: the test proves nothing")
	}
	far := seriesOf(data.Frames{frame(data.Labels{"service": "shop.gateway"}, 0.0306, 0.041)})
	if valuesWithinAScrape(far, time.Second, true, avgA, avgB) == "" {
		t.Error("an average twice what both replicas agree on went unnoticed")
	}
	// A table of quantiles (four rows, mixed): one row beyond both replicas passes, two do not.
	rowsA, rowsB := table(1.262, 0.5, 0.25, 0.1), table(1.267, 0.5, 0.25, 0.1)
	if diff := valuesWithinAScrape(table(0.98, 0.5, 0.25, 0.1), 5*time.Second, true, rowsA, rowsB); diff != "" {
		t.Errorf("one quantile of four from mixed buckets rejected: %s", diff)
	}
	if valuesWithinAScrape(table(0.98, 1, 0.25, 0.1), 5*time.Second, true, rowsA, rowsB) == "" {
		t.Error("two quantiles of four beyond both replicas went unnoticed")
	}
	for expr, want := range map[string]bool{
		`sum(rate(a_sum[1m])) / sum(rate(a_count[1m]))`:           true,
		`(sum(rate(a[1m])) or vector(0)) / sum(rate(b[1m]))`:      true,
		`sum(rate(a{path="/orders/{id}"}[1m]))`:                   false,
		`histogram_quantile(0.95, sum by (le) (rate(a[1m] / 2)))`: false,
		`sum(rate(a{path=~"x\"/"}[1m])) by (job)`:                 false,
	} {
		if got := isQuotient(expr); got != want {
			t.Errorf("isQuotient(%s) = %v, want %v", expr, got, want)
		}
	}

	if !mixesSeries(`histogram_quantile(0.9, sum by (le) (rate(h_bucket[1m])))`) || mixesSeries(`sum(rate(a[1m]))`) {
		t.Error("a histogram quantile, and not a plain sum, is computed from several deduplicated series")
	}

	nanOnly := seriesOf(data.Frames{frame(data.Labels{"datname": "postgres"}, math.NaN(), math.NaN())})
	if len(nanOnly) != 0 {
		t.Errorf("a series of NaN counted as data: %v", nanOnly.ids())
	}
}
