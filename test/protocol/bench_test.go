package protocol_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/pulse-monitoring/pulse/internal/fixtures"
	"github.com/pulse-monitoring/pulse/internal/pluginhost"
	"github.com/pulse-monitoring/pulse/internal/stack"
)

// The end-to-end benchmarks run one 1,000-series x 1,440-point range query directly over HTTP
// and through the built plugin binary over gRPC, and print (medians over the iterations):
//
//	direct-ms       the direct fetch, to the last byte of the answer
//	plugin-ms       through the plugin, to the last byte of its gRPC answer: the request, the
//	                upstream's answer, decoding it into frames, Arrow encoding (SDK) and gRPC
//	decode-ms       decoding those Arrow frames on the caller's side (data.UnmarshalArrowFrames),
//	                which Grafana does for any backend plugin
//	plugin/direct   plugin-ms / direct-ms of the same iteration
//	+decode/direct  (plugin-ms + decode-ms) / direct-ms of the same iteration
//	plugin-cpu-ms   CPU time the plugin process used per query (Linux /proc; the mean): unlike
//	                the times above it hardly moves with the load other processes put on the machine
//
// Each iteration runs both sides back to back, in alternating order, so that both see the same
// load on a shared machine; ns/op is the sum of the three. Both clients ask for gzip (Go's
// transport does by default, and the plugin's HTTP client is Go's transport).

// BenchmarkEndToEnd serves a pre-generated body from an httptest upstream, so the figures
// isolate what the plugin adds; against a real engine its evaluation time is added to both sides.
func BenchmarkEndToEnd(b *testing.B) {
	upstream := fixtures.Upstream(fixtures.Matrix(1000, 1440))
	defer upstream.Close()
	compareEndToEnd(b, "static-upstream", endToEndQuery{
		directURL: upstream.URL + "/api/v1/query_range?query=x&start=0&end=86400&step=60",
		settings:  &backend.DataSourceInstanceSettings{UID: "bench", URL: upstream.URL, JSONData: []byte(`{"timeInterval":"60s"}`)},
		query:     fixtures.DayRangeQuery(),
		series:    1000,
	})
}

// BenchmarkEndToEndRealEngine is the same comparison against real engines holding 1,000 series
// of 1,440 points (Debian packages, via internal/stack): Prometheus, the engine the issue names,
// with the series backfilled into TSDB blocks by promtool; and VictoriaMetrics, with the series
// imported. The engine's evaluation and encoding of the answer are on both sides.
func BenchmarkEndToEndRealEngine(b *testing.B) {
	end := time.Now().Add(-2 * time.Minute).Truncate(time.Minute)
	start := end.Add(-1439 * time.Minute)

	promURL := backfilledPrometheus(b, 1000, start, 1440)
	compareEndToEnd(b, "prometheus", realEngineQuery(b, promURL, start, end))

	s := stack.StartTB(b, stack.Options{VictoriaMetrics: true})
	vm := s.VictoriaMetrics.URL()
	importSeries(b, vm, 1000, start, 1440)
	compareEndToEnd(b, "victoriametrics", realEngineQuery(b, vm, start, end))
}

// realEngineQuery is the day's range query of pulse_bench on base, once the engine answers it with
// the whole day's data.
func realEngineQuery(b *testing.B, base string, start, end time.Time) endToEndQuery {
	params := url.Values{"query": {"pulse_bench"}, "start": {fmt.Sprint(start.Unix())}, "end": {fmt.Sprint(end.Unix())}, "step": {"60"}}
	directURL := base + "/api/v1/query_range?" + params.Encode()
	deadline := time.Now().Add(60 * time.Second)
	for {
		r, err := http.Get(directURL)
		if err == nil {
			n, _ := io.Copy(io.Discard, r.Body)
			r.Body.Close()
			if n > 25<<20 { // 1,000 x 1,440 points take about 28 MB (Prometheus) to 40 MB (VictoriaMetrics)
				b.Logf("%s: direct answer %d MB", base, n>>20)
				break
			}
		}
		if time.Now().After(deadline) {
			b.Fatalf("%s: the series did not become searchable", base)
		}
		time.Sleep(500 * time.Millisecond)
	}
	raw, _ := json.Marshal(map[string]any{"expr": "pulse_bench", "range": true})
	return endToEndQuery{
		directURL: directURL,
		settings:  &backend.DataSourceInstanceSettings{UID: "bench", URL: base, JSONData: []byte(`{"timeInterval":"60s"}`)},
		query:     backend.DataQuery{RefID: "A", JSON: raw, Interval: time.Minute, MaxDataPoints: 1440, TimeRange: backend.TimeRange{From: start, To: end}},
		series:    1000,
	}
}

// backfilledPrometheus writes series x points of pulse_bench (the same values as importSeries) as
// OpenMetrics, turns them into TSDB blocks with promtool (as `promtool tsdb
// create-blocks-from openmetrics` backfills), starts Prometheus on those blocks and returns its URL.
func backfilledPrometheus(b *testing.B, series int, start time.Time, points int) string {
	promtool, ok := stack.FindProgram("promtool")
	if !ok {
		b.Skip("promtool (Debian package prometheus) is not installed")
	}
	dir := b.TempDir()
	input := dir + "/series.om"
	f, err := os.Create(input)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	fmt.Fprintln(w, "# TYPE pulse_bench gauge")
	for i := 0; i < series; i++ {
		for p := 0; p < points; p++ {
			fmt.Fprintf(w, "pulse_bench{job=\"bench\",series=\"s%04d\"} %d %d\n", i, (i*31+p*17)%10000, start.Add(time.Duration(p)*time.Minute).Unix())
		}
	}
	fmt.Fprintln(w, "# EOF")
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	f.Close()
	if out, err := exec.Command(promtool, "tsdb", "create-blocks-from", "openmetrics", "--quiet", input, dir+"/data").CombinedOutput(); err != nil {
		b.Fatalf("promtool: %v\n%s", err, out)
	}
	os.Remove(input)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	p, err := stack.StartPrometheus(ctx, stack.PrometheusSpec{Dir: dir, LogDir: dir, ScrapeInterval: time.Minute})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = p.Stop(5 * time.Second) })
	return p.URL()
}

// importSeries writes series x points of pulse_bench, one a minute from start, into VictoriaMetrics.
func importSeries(b *testing.B, vm string, series int, start time.Time, points int) {
	var body bytes.Buffer
	for i := 0; i < series; i++ {
		fmt.Fprintf(&body, `{"metric":{"__name__":"pulse_bench","series":"s%04d","job":"bench"},"values":[`, i)
		for p := 0; p < points; p++ {
			if p > 0 {
				body.WriteByte(',')
			}
			fmt.Fprintf(&body, "%d", (i*31+p*17)%10000)
		}
		body.WriteString(`],"timestamps":[`)
		for p := 0; p < points; p++ {
			if p > 0 {
				body.WriteByte(',')
			}
			fmt.Fprintf(&body, "%d", start.Add(time.Duration(p)*time.Minute).UnixMilli())
		}
		body.WriteString("]}\n")
	}
	resp, err := http.Post(vm+"/api/v1/import", "application/json", &body)
	if err != nil {
		b.Fatal(err)
	}
	resp.Body.Close()
	_, _ = http.Get(vm + "/internal/force_flush")
}

type endToEndQuery struct {
	directURL string
	settings  *backend.DataSourceInstanceSettings
	query     backend.DataQuery
	series    int
}

func compareEndToEnd(b *testing.B, name string, q endToEndQuery) {
	p := pluginhost.StartTB(b, "../../dist", pluginhost.Options{})
	// One untimed round warms the connections, the plugin's data source instance and both heaps.
	fetchDirect(b, q.directURL)
	throughPlugin(b, p, q)

	b.Run(name, func(b *testing.B) {
		var direct, plugin, decode, ratio, ratioDecode []float64
		cpuBefore := processCPU(b, p.Pid())
		for i := 0; i < b.N; i++ {
			var d, pg, dc time.Duration
			if i%2 == 0 {
				d = fetchDirect(b, q.directURL)
				pg, dc = throughPlugin(b, p, q)
			} else {
				pg, dc = throughPlugin(b, p, q)
				d = fetchDirect(b, q.directURL)
			}
			direct, plugin, decode = append(direct, ms(d)), append(plugin, ms(pg)), append(decode, ms(dc))
			ratio, ratioDecode = append(ratio, ms(pg)/ms(d)), append(ratioDecode, ms(pg+dc)/ms(d))
		}
		b.ReportMetric(median(direct), "direct-ms")
		b.ReportMetric(median(plugin), "plugin-ms")
		b.ReportMetric(median(decode), "decode-ms")
		b.ReportMetric(median(ratio), "plugin/direct")
		b.ReportMetric(median(ratioDecode), "+decode/direct")
		b.ReportMetric(ms(processCPU(b, p.Pid())-cpuBefore)/float64(b.N), "plugin-cpu-ms")
	})
}

// processCPU is the user and system CPU time process pid has used, from /proc/<pid>/stat.
func processCPU(b *testing.B, pid int) time.Duration {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		b.Fatalf("the plugin's CPU time: %v", err)
	}
	// The command name (field 2) may hold spaces; utime and stime are fields 14 and 15.
	fields := strings.Fields(string(raw[bytes.LastIndexByte(raw, ')')+1:]))
	utime, err1 := strconv.ParseInt(fields[11], 10, 64)
	stime, err2 := strconv.ParseInt(fields[12], 10, 64)
	if err1 != nil || err2 != nil {
		b.Fatalf("unexpected /proc/%d/stat: %s", pid, raw)
	}
	const ticksPerSecond = 100 // USER_HZ, fixed at 100 in Linux's user-space ABI
	return time.Duration(utime+stime) * time.Second / ticksPerSecond
}

func fetchDirect(b *testing.B, u string) time.Duration {
	start := time.Now()
	resp, err := http.Get(u)
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		b.Fatal(err)
	}
	return time.Since(start)
}

// throughPlugin times the gRPC call to its last byte, then the caller's decoding of the frames.
func throughPlugin(b *testing.B, p *pluginhost.Plugin, q endToEndQuery) (call, decode time.Duration) {
	start := time.Now()
	raw, err := p.QueryDataProto(context.Background(), q.settings, []backend.DataQuery{q.query})
	if err != nil {
		b.Fatal(err)
	}
	call = time.Since(start)
	start = time.Now()
	resp, err := backend.FromProto().QueryDataResponse(raw)
	if err != nil {
		b.Fatal(err)
	}
	decode = time.Since(start)
	if r := resp.Responses[q.query.RefID]; r.Error != nil || len(r.Frames) != q.series {
		b.Fatalf("%v, %d frames, want %d", r.Error, len(r.Frames), q.series)
	}
	return call, decode
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}
