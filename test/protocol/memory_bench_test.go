package protocol_test

import (
	"context"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/pulse-monitoring/pulse/internal/fixtures"
	"github.com/pulse-monitoring/pulse/internal/pluginhost"
	"github.com/pulse-monitoring/pulse/pkg/models"
)

var rssSettle = flag.Duration("rss-settle", 10*time.Second, "how long BenchmarkMemory waits after the load before it reads the plugin's RSS again")

// memoryExpansion is what one answer in flight costs the plugin, per byte of its JSON: its frames
// (a 24-byte time.Time and an 8-byte float a point, against 27 bytes of JSON: 1.2), the Arrow
// encoding and the protobuf message the SDK builds from them (16 bytes a point each: 0.6 + 0.6),
// 2.4 in all, and half of that again for the garbage collector's headroom, which the plugin's
// soft memory limit keeps at that near the bound (GOGC=100 alone lets the heap reach twice what
// is live). Measured: 2.5 to 3.0.
const memoryExpansion = 3.6

// BenchmarkMemory sends 16 QueryData requests at once, each answered with a 50 MB matrix from a
// static upstream, through the built plugin with its default settings, and reports the plugin
// process' peak RSS against the bound its limits promise (it fails above it), and its RSS some
// seconds later:
//
//	peak-MB        VmHWM of the plugin during the load (reset after a warm-up query)
//	bound-MB       baseline + answer size (at most the response size limit) x requests in flight
//	               (at most maxConcurrentRequests) x expansion
//	after-MB       VmRSS -rss-settle (10 s) after the load
//	baseline-MB    VmRSS after the warm-up, before the load
//	upstream-max   the most requests the upstream served at once
//
// go test ./test/protocol -run '^$' -bench Memory -benchtime 1x [-args -rss-settle 95s]
// (PULSE_DIST=<dir> measures another build's dist/, e.g. one from before a change.)
func BenchmarkMemory(b *testing.B) {
	const requests = 16
	body := fixtures.Matrix(1280, 1440) // 50 MB
	var now, peak atomic.Int32
	upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		n := now.Add(1)
		defer now.Add(-1)
		for m := peak.Load(); n > m && !peak.CompareAndSwap(m, n); m = peak.Load() {
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	}))
	defer upstream.Close()

	p := pluginhost.StartTB(b, distDir(), pluginhost.Options{})
	settings := &backend.DataSourceInstanceSettings{UID: "bench", URL: upstream.URL, JSONData: []byte(`{"timeInterval":"60s"}`)}
	query := func() {
		if _, err := p.QueryDataProto(context.Background(), settings, []backend.DataQuery{fixtures.DayRangeQuery()}); err != nil {
			b.Error(err)
		}
	}
	query() // warms the instance, the connections and the heap
	baseline := procStatusMB(b, p.Pid(), "VmRSS")

	inFlight := min(requests, models.DefaultMaxConcurrentRequests)
	answer := min(float64(len(body)), float64(int64(models.DefaultMaxResponseSizeMB)<<20)) / (1 << 20)
	bound := baseline + answer*float64(inFlight)*memoryExpansion

	var peakRSS float64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		resetPeakRSS(b, p.Pid())
		peak.Store(0)
		var wg sync.WaitGroup
		for r := 0; r < requests; r++ {
			wg.Add(1)
			go func() { defer wg.Done(); query() }()
		}
		wg.Wait()
		peakRSS = procStatusMB(b, p.Pid(), "VmHWM")
		b.ReportMetric(peakRSS, "peak-MB")
		if peakRSS > bound {
			b.Errorf("the plugin's RSS peaked at %.0f MB, over the bound of %.0f MB", peakRSS, bound)
		}
	}
	b.StopTimer()
	time.Sleep(*rssSettle)
	after := procStatusMB(b, p.Pid(), "VmRSS")
	b.ReportMetric(bound, "bound-MB")
	b.ReportMetric(after, "after-MB")
	b.ReportMetric(baseline, "baseline-MB")
	b.ReportMetric(float64(peak.Load()), "upstream-max")
	b.Logf("%d requests x %.0f MB answers, %d in flight at most: bound %.0f MB = baseline %.0f MB + %.0f MB x %d x %g",
		requests, answer, inFlight, bound, baseline, answer, inFlight, memoryExpansion)
	// Also said here, because a failed benchmark reports no metrics.
	b.Logf("peak RSS %.0f MB (bound %.0f MB), %s later %.0f MB; the upstream saw %d requests at once", peakRSS, bound, *rssSettle, after, peak.Load())
}

func distDir() string {
	if d := os.Getenv("PULSE_DIST"); d != "" {
		return d
	}
	return "../../dist"
}

// procStatusMB reads a kB field of /proc/<pid>/status (VmRSS, VmHWM) in MB.
func procStatusMB(b *testing.B, pid int, field string) float64 {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		b.Fatalf("the plugin's memory: %v", err)
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if rest, ok := strings.CutPrefix(line, field+":"); ok {
			kb, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
			if err != nil {
				b.Fatalf("/proc/%d/status %s: %v", pid, line, err)
			}
			return kb / 1024
		}
	}
	b.Fatalf("/proc/%d/status has no %s", pid, field)
	return 0
}

// resetPeakRSS sets VmHWM back to the current RSS (Linux: "5" to clear_refs), so the peak read
// after the load is the load's own.
func resetPeakRSS(b *testing.B, pid int) {
	if err := os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", pid), []byte("5"), 0); err != nil {
		b.Logf("cannot reset the peak RSS (%v): it includes the warm-up", err)
	}
}
