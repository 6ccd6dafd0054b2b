package prom

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/httpclient"
)

// sdkClient is the SDK's HTTP client with its default middlewares, as the data source builds it:
// its ResponseLimitMiddleware is what enforces the limits.
func sdkClient(t *testing.T) *http.Client {
	t.Helper()
	hc, err := httpclient.New(httpclient.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return hc
}

// vectorOfSize is a valid instant-query answer of about n bytes.
func vectorOfSize(n int) string {
	return `{"status":"success","data":{"resultType":"vector","result":[` + strings.Repeat(" ", n) + `]}}`
}

func TestResponseLimit(t *testing.T) {
	const mb = 1 << 20
	grafana := func(limit string) context.Context {
		return backend.WithGrafanaConfig(context.Background(), backend.NewGrafanaCfg(map[string]string{backend.ResponseLimit: limit}))
	}
	cases := []struct {
		name     string
		ctx      context.Context
		env      string
		own      int64
		body     int
		wantErr  []string // parts of the error; none: the answer is read whole
		wantSize int64
	}{
		{"the data source's default applies when Grafana sets none", context.Background(), "", 1 * mb, 2 * mb,
			[]string{"the data source's response size limit of 1 MB", "Grafana's [dataproxy] response_limit is not set", `"Max response size"`, "maxResponseSizeMB"}, 1 * mb},
		{"an answer under the default passes", context.Background(), "", 1 * mb, mb / 2, nil, 0},
		{"Grafana's limit 0 counts as unset", grafana("0"), "", 1 * mb, 2 * mb, []string{"the data source's response size limit of 1 MB"}, 1 * mb},
		{"Grafana's smaller limit wins", grafana("2048"), "", 1 * mb, 4096,
			[]string{"Grafana's response limit of 2048 bytes ([dataproxy] response_limit)", "ask your Grafana administrator to raise [dataproxy] response_limit"}, 2048},
		{"Grafana's larger limit wins too", grafana("4194304"), "", 1 * mb, 2 * mb, nil, 0},
		{"Grafana's limit in its environment wins", context.Background(), "3000000", 1 * mb, 4 * mb,
			[]string{"Grafana's response limit of 2.9 MB (3000000 bytes) (GF_DATAPROXY_RESPONSE_LIMIT)"}, 3000000},
		{"no limit at all", context.Background(), "", 0, 2 * mb, nil, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			// The SDK and the client read the variable when they are built; empty unsets it.
			t.Setenv(responseLimitEnv, tc.env)
			body := vectorOfSize(tc.body)
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				_, _ = io.WriteString(w, body)
			}))
			defer srv.Close()
			c, err := NewClient(srv.URL, sdkClient(t), Options{ResponseLimit: tc.own})
			if err != nil {
				t.Fatal(err)
			}
			resp, err := c.Query(tc.ctx, "up", time.Now())
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			got, err := io.ReadAll(resp.Body)
			if tc.wantErr == nil {
				if err != nil || len(got) != len(body) {
					t.Fatalf("read %d of %d bytes: %v", len(got), len(body), err)
				}
				return
			}
			var tooLarge *TooLargeError
			if !errors.As(err, &tooLarge) || !errors.Is(err, httpclient.ErrResponseBodyTooLarge) || tooLarge.Limit != tc.wantSize {
				t.Fatalf("error %v (%T), want a TooLargeError of %d bytes wrapping the SDK's", err, err, tc.wantSize)
			}
			for _, want := range tc.wantErr {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("%q does not say %q", err, want)
				}
			}
		})
	}
}

func TestFormatSize(t *testing.T) {
	for n, want := range map[int64]string{64 << 20: "64 MB", 1536 << 10: "1.5 MB (1572864 bytes)", 500: "500 bytes"} {
		if got := formatSize(n); got != want {
			t.Errorf("formatSize(%d) = %q, want %q", n, got, want)
		}
	}
}
