package plugin

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

// What Thanos Query v0.42.3 answered with the sidecar of replica b stopped (recorded from the local stack).
const (
	thanosStoreDown  = `fetch series for {replica=\"b\"} Addr: 127.0.0.1:41741 MinTime: 1795640991000 MaxTime: 9223372036854775807: rpc error: code = Unavailable desc = connection error: desc = \"transport: Error while dialing: dial tcp 127.0.0.1:41741: connect: connection refused\"`
	thanosPartial    = `{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1795641033,"4"]]}],"analysis":{}},"warnings":["` + thanosStoreDown + `"]}`
	thanosNoPartial  = `{"status":"error","errorType":"execution","error":"expanding series: proxy Series(): ` + thanosStoreDown + `"}`
	storeDescription = `{replica="b"} at 127.0.0.1:41741, Unavailable`
)

// TestThanosReplicaLoss: with partial responses allowed (the default) the data comes with a notice
// that names the lost store; with them turned off partial_response=false is sent and Thanos' error
// becomes a per-query message that says what to do.
func TestThanosReplicaLoss(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		w.Header().Set("Content-Type", "application/json")
		if r.Form.Get("partial_response") == "false" {
			w.WriteHeader(http.StatusUnprocessableEntity)
			_, _ = io.WriteString(w, thanosNoPartial)
			return
		}
		_, _ = io.WriteString(w, thanosPartial)
	}))
	defer srv.Close()
	query := &backend.QueryDataRequest{Queries: []backend.DataQuery{dataQuery("A", map[string]any{"expr": "sum(up)", "range": true})}}

	resp, _ := newInstance(t, srv.URL, `{}`, nil).QueryData(context.Background(), query)
	r := resp.Responses["A"]
	if r.Error != nil || len(r.Frames) != 1 || r.Frames[0].Rows() != 1 {
		t.Fatalf("partial responses allowed: %v, %d frames", r.Error, len(r.Frames))
	}
	notices := r.Frames[0].Meta.Notices
	if len(notices) != 1 || !strings.HasPrefix(notices[0].Text, "Partial response: Thanos Query could not read "+storeDescription) {
		t.Fatalf("notices %+v", notices)
	}

	resp, _ = newInstance(t, srv.URL, `{"partialResponse":false}`, nil).QueryData(context.Background(), query)
	r = resp.Responses["A"]
	if r.Error == nil || r.ErrorSource != backend.ErrorSourceDownstream || len(r.Frames) != 0 {
		t.Fatalf("partial responses off: %+v", r)
	}
	for _, want := range []string{"could not read " + storeDescription, "partial responses are turned off", `turn on "Allow partial responses"`} {
		if !strings.Contains(r.Error.Error(), want) {
			t.Errorf("error %q lacks %q", r.Error, want)
		}
	}
}

func TestOtherWarningsAndErrorsPassUnchanged(t *testing.T) {
	if got := partialResponseNotice("PromQL info: metric might not be a counter"); got != "PromQL info: metric might not be a counter" {
		t.Errorf("notice %q", got)
	}
	if _, ok := noPartialResponseMessage("expanding series: context deadline exceeded"); ok {
		t.Error("a timeout was taken for an unreachable store")
	}
}
