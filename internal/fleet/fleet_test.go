package fleet

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

func TestParseSpec(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Spec
		err  string
	}{
		{in: "50x3", want: Spec{Services: 50, Instances: 3, Canaries: 5}},
		{in: "2x3+1", want: Spec{Services: 2, Instances: 3, Canaries: 1}},
		{in: "4x1+2", want: Spec{Services: 4, Instances: 1}},
		{in: "50", err: "want <services>x<instances>"},
		{in: "0x3", err: "want <services>x<instances>"},
		{in: "5x3+6", err: "want <services>x<instances>"},
		{in: "100x100", err: "at most 2000"},
	} {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParseSpec(tc.in)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("ParseSpec(%q) = %v, %v; want an error with %q", tc.in, got, err, tc.err)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("ParseSpec(%q) = %+v, %v; want %+v", tc.in, got, err, tc.want)
			}
		})
	}
}

var fixedStart = time.Unix(1700000000, 0)

func parse(t *testing.T, text string) map[string]*dto.MetricFamily {
	t.Helper()
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(strings.NewReader(text))
	if err != nil {
		t.Fatalf("the exposition does not parse: %v\n%s", err, text)
	}
	return families
}

func TestExpositionIsTheSeedsAndGrows(t *testing.T) {
	in := newInstance(0, 0, Spec{Services: 1, Instances: 2}, fixedStart)
	early, late := parse(t, in.exposition(600)), parse(t, in.exposition(3600))
	for _, name := range []string{"nestjs_info", "nestjs_success_requests", "nestjs_fail_requests", "nestjs_requests_failed_count", "process_start_time_seconds"} {
		if late[name] == nil {
			t.Fatalf("no %s in the exposition", name)
		}
	}
	count := func(f map[string]*dto.MetricFamily, name string) (n uint64) {
		for _, m := range f[name].GetMetric() {
			n += m.GetHistogram().GetSampleCount()
		}
		return n
	}
	for _, h := range []string{"nestjs_success_requests", "nestjs_fail_requests"} {
		if a, b := count(early, h), count(late, h); !(a > 0 && b > a) {
			t.Errorf("%s: %d requests after 600 s, %d after 3600 s; want a count that grows", h, a, b)
		}
		for _, m := range late[h].GetMetric() {
			prev := uint64(0)
			for _, bk := range m.GetHistogram().GetBucket() {
				if bk.GetCumulativeCount() < prev || bk.GetCumulativeCount() > m.GetHistogram().GetSampleCount() {
					t.Fatalf("%s: bucket le=%g holds %d after %d, of %d", h, bk.GetUpperBound(), bk.GetCumulativeCount(), prev, m.GetHistogram().GetSampleCount())
				}
				prev = bk.GetCumulativeCount()
			}
		}
	}
	ok, fail := count(late, "nestjs_success_requests"), count(late, "nestjs_fail_requests")
	if ratio := float64(fail) / float64(ok+fail); ratio < 0.005 || ratio > 0.015 {
		t.Errorf("service 1 fails %.3f of its requests; want about its 0.01", ratio)
	}
}

func TestCanaryRunsTheNextVersionOnItsLastInstance(t *testing.T) {
	spec := Spec{Services: 3, Instances: 3, Canaries: 1}
	versions := map[string]map[string]int{}
	for s := 0; s < spec.Services; s++ {
		for i := 0; i < spec.Instances; i++ {
			in := newInstance(s, i, spec, fixedStart)
			if versions[in.name] == nil {
				versions[in.name] = map[string]int{}
			}
			versions[in.name][in.version]++
		}
	}
	if got := versions["fleet.svc-01"]; got[StableVersion] != 2 || got[CanaryVersion] != 1 {
		t.Errorf("the canary service runs %v; want two instances on %s and one on %s", got, StableVersion, CanaryVersion)
	}
	if got := versions["fleet.svc-02"]; len(got) != 1 || got[StableVersion] != 3 {
		t.Errorf("a service without a canary runs %v; want its three instances on %s", got, StableVersion)
	}
}

func TestStartServesEveryInstanceOnItsOwnPort(t *testing.T) {
	f, err := Start(Spec{Services: 2, Instances: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Stop()
	if len(f.Targets) != 4 {
		t.Fatalf("%d targets; want 4", len(f.Targets))
	}
	seen := map[string]bool{}
	for _, target := range f.Targets {
		if seen[target.Addr] {
			t.Fatalf("two instances on %s", target.Addr)
		}
		seen[target.Addr] = true
		resp, err := http.Get("http://" + target.Addr + "/metrics")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if !strings.Contains(string(body), `name="`+target.Service+`"`) {
			t.Errorf("%s does not name its service %s:\n%.300s", target.Addr, target.Service, body)
		}
	}
	resp, err := http.Get("http://" + f.Targets[0].Addr + "/other")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("GET /other: %d; want 404", resp.StatusCode)
	}
}
