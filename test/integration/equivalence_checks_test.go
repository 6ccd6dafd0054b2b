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
	if diff := valuesWithinAScrape(fromB, 5*time.Second, replicaA, replicaB); diff != "" {
		t.Errorf("an answer from replica b rejected: %s", diff)
	}

	leaked := seriesOf(data.Frames{frame(data.Labels{"service": "shop.orders", "replica": "a"}, 10, 11, 12, 13)})
	if sameIdentities(replicaA, leaked) == "" {
		t.Error("a leaked replica label went unnoticed")
	}

	doubled := seriesOf(data.Frames{frame(data.Labels{"service": "shop.orders"}, 20.5, 22.5, 24.5, 26.5)})
	if valuesWithinAScrape(doubled, 5*time.Second, replicaA, replicaB) == "" {
		t.Error("a sum over both replicas went unnoticed")
	}

	nanOnly := seriesOf(data.Frames{frame(data.Labels{"datname": "postgres"}, math.NaN(), math.NaN())})
	if len(nanOnly) != 0 {
		t.Errorf("a series of NaN counted as data: %v", nanOnly.ids())
	}
}
