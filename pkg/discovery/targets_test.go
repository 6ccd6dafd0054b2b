package discovery

import (
	"context"
	"errors"
	"strings"
	"testing"
)

func TestDiagnose(t *testing.T) {
	tests := map[string]string{
		`received unsupported Content-Type "application/json" and no fallback_scrape_protocol specified for target`: "json_body",
		`expected a valid start token, got "{" ("INVALID") while parsing: "{"`:                                      "json_body",
		`expected a valid start token, got "<" ("INVALID") while parsing: "<"`:                                      "html_body",
		`server returned HTTP status 404 Not Found`:                                                                 "not_found",
		`server returned HTTP status 401 Unauthorized`:                                                              "auth",
		`Get "http://a:3000/metrics": context deadline exceeded`:                                                    "timeout",
		`Get "http://a:3000/metrics": dial tcp 10.0.0.1:3000: connect: connection refused`:                          "refused",
		`Get "http://orders:3000/metrics": dial tcp: lookup orders on 127.0.0.11:53: no such host`:                  "dns",
		`Get "https://a/metrics": x509: certificate signed by unknown authority`:                                    "tls",
		`body size limit exceeded`:             "limit",
		`"INVALID" is not a valid start token`: "bad_format",
		``:                                     "down",
		`something new`:                        "other",
	}
	for lastError, want := range tests {
		if got := Diagnose(lastError); got.Kind != want || got.Hint == "" {
			t.Errorf("Diagnose(%q) = %+v, want kind %s", lastError, got, want)
		}
	}
}

func TestRefineByProbe(t *testing.T) {
	bad := Diagnose(`"INVALID" is not a valid start token`)
	probe := func(ct, body string, err error) Prober {
		return func(context.Context, string) (string, []byte, error) { return ct, []byte(body), err }
	}
	if d := refineByProbe(context.Background(), probe("application/json", `{"code":0}`, nil), "u", bad); d.Kind != "json_body" {
		t.Errorf("json: %s", d.Kind)
	}
	if d := refineByProbe(context.Background(), probe("", "  <html>", nil), "u", bad); d.Kind != "html_body" {
		t.Errorf("html: %s", d.Kind)
	}
	if d := refineByProbe(context.Background(), probe("", "", errors.New("refused")), "u", bad); d.Kind != "bad_format" {
		t.Errorf("probe failure must keep the diagnosis: %s", d.Kind)
	}
}

func TestRedactURL(t *testing.T) {
	got := redactURL("http://user:pw@host:3000/metrics?token=abc&module=x&api_key=k")
	if strings.Contains(got, "pw") || strings.Contains(got, "abc") || strings.Contains(got, "=k") || !strings.Contains(got, "module=x") {
		t.Fatalf("redactURL: %s", got)
	}
}
