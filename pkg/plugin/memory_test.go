package plugin

import (
	"runtime/debug"
	"testing"
)

func TestSoftMemoryLimitLeavesGOMEMLIMITAlone(t *testing.T) {
	before := debug.SetMemoryLimit(-1)
	t.Cleanup(func() { debug.SetMemoryLimit(before) })
	cases := []struct {
		env  string
		want int64
	}{
		{"", softMemoryLimit},
		{"2GiB", 12345}, // the runtime applied GOMEMLIMIT at start; Pulse does not touch it
	}
	for _, tc := range cases {
		t.Setenv("GOMEMLIMIT", tc.env)
		debug.SetMemoryLimit(12345)
		SetSoftMemoryLimit()
		if got := debug.SetMemoryLimit(-1); got != tc.want {
			t.Errorf("GOMEMLIMIT=%q: limit %d, want %d", tc.env, got, tc.want)
		}
	}
}

// A metric name the runtime does not know would make heldFromOS panic when the timer fires.
func TestHeldFromOSIsTheHeapNotReturned(t *testing.T) {
	if held := heldFromOS(); held == 0 || held > 1<<40 {
		t.Fatalf("heldFromOS() = %d", held)
	}
}
