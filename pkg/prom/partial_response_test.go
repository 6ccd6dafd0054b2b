package prom

import (
	"context"
	"io"
	"net/http"
	"testing"
	"time"
)

// Thanos Query reads partial_response on query and query_range; only a disabled one is sent.
func TestPartialResponseParameter(t *testing.T) {
	for _, tc := range []struct {
		name      string
		noPartial bool
		want      []string // the parameter's values on query_range, then query
	}{
		{"allowed (Thanos' default): not sent", false, []string{"", ""}},
		{"disabled: partial_response=false", true, []string{"false", "false"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			c := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
				_ = r.ParseForm()
				_, sent := r.Form["partial_response"]
				if !sent {
					got = append(got, "")
				} else {
					got = append(got, r.Form.Get("partial_response"))
				}
				w.Header().Set("Content-Type", "application/json")
				_, _ = io.WriteString(w, `{"status":"success","data":{"resultType":"vector","result":[]}}`)
			}, Options{NoPartialResponse: tc.noPartial})
			now := time.Now()
			for _, send := range []func() (*http.Response, error){
				func() (*http.Response, error) {
					return c.QueryRange(context.Background(), "up", now.Add(-time.Hour), now, time.Minute)
				},
				func() (*http.Response, error) { return c.Query(context.Background(), "up", now) },
			} {
				resp, err := send()
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
			}
			if len(got) != 2 || got[0] != tc.want[0] || got[1] != tc.want[1] {
				t.Fatalf("partial_response %q, want %q", got, tc.want)
			}
		})
	}
}
