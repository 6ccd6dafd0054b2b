package redact

import (
	"encoding/base64"
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

func settings() backend.DataSourceInstanceSettings {
	return backend.DataSourceInstanceSettings{
		URL:           "http://urluser:url-pass-7@127.0.0.1:9090",
		BasicAuthUser: "grafana",
		DecryptedSecureJSONData: map[string]string{
			"basicAuthPassword": "p@ss w/rd\"<&>",
			"bearerToken":       "tok-3f9a2b",
			"httpHeaderValue1":  "tenant-secret-42",
			"httpHeaderValue2":  "7", // a short value: redacted only as a word of its own
		},
	}
}

// Every form a secret travels in — as it is, in base64 as an Authorization: Basic header, after
// Bearer, URL-escaped in an echoed query, JSON-escaped in an echoed body — is gone from the text.
func TestTextRemovesEveryFormOfEverySecret(t *testing.T) {
	r := FromSettings(settings())
	pw := "p@ss w/rd\"<&>"
	forms := map[string]string{
		"password":              pw,
		"password url-escaped":  url.QueryEscape(pw),
		"password path-escaped": url.PathEscape(pw),
		"password in JSON":      strings.Trim(mustJSON(pw), `"`),
		"basic auth pair":       base64.StdEncoding.EncodeToString([]byte("grafana:" + pw)),
		"basic pair unpadded":   base64.RawStdEncoding.EncodeToString([]byte("grafana:" + pw)),
		"bearer token":          "Bearer tok-3f9a2b",
		"header value":          "tenant-secret-42",
		"URL password":          "url-pass-7",
		"URL userinfo pair":     base64.StdEncoding.EncodeToString([]byte("urluser:url-pass-7")),
		"URL userinfo":          "urluser:url-pass-7@",
	}
	for name, form := range forms {
		t.Run(name, func(t *testing.T) {
			in := "upstream said: headers were {" + form + "} ok"
			out := r.Text(in)
			if strings.Contains(out, form) || !strings.Contains(out, Mark) {
				t.Fatalf("%q -> %q", in, out)
			}
			if !strings.HasPrefix(out, "upstream said: headers were {") || !strings.HasSuffix(out, "} ok") {
				t.Errorf("the text around the secret changed: %q", out)
			}
		})
	}
}

func TestShortSecretsOnlyAsWords(t *testing.T) {
	r := New([]string{"7"}, nil)
	for in, want := range map[string]string{
		"HTTP 407 from 127.0.0.1": "HTTP 407 from 127.0.0.1",
		"X-Scope-OrgID: 7":        "X-Scope-OrgID: " + Mark,
		"tenant=7&x":              "tenant=" + Mark + "&x",
		"7":                       Mark,
	} {
		if got := r.Text(in); got != want {
			t.Errorf("%q -> %q, want %q", in, got, want)
		}
	}
}

func TestTextIsValidUTF8AndCapped(t *testing.T) {
	var r *Redactor // no secrets: still sanitised and capped
	if got := r.Text("bad \xff byte"); got != "bad \uFFFD byte" {
		t.Errorf("got %q", got)
	}
	long := strings.Repeat("한", 2000) // 6,000 bytes
	got := r.Text(long)
	if len(got) > MaxText || !utf8.ValidString(got) || !strings.HasSuffix(got, "…") {
		t.Errorf("capped to %d bytes, valid %v", len(got), utf8.ValidString(got))
	}
}

// JSON keeps a document valid whatever the secret looks like, even one made of JSON syntax.
func TestJSONStaysValid(t *testing.T) {
	for _, secret := range []string{`","`, `:1,`, `tok-3f9a2b`, `a\b"c`, `<&>`} {
		r := New([]string{secret}, nil)
		doc := map[string]any{"message": "echo " + secret, "n": 1, "list": []any{secret, "x"}, secret: "key"}
		body := []byte(mustJSON(doc))
		out := r.JSON(body)
		if !json.Valid(out) {
			t.Fatalf("secret %q: invalid JSON %s", secret, out)
		}
		var back map[string]any
		_ = json.Unmarshal(out, &back)
		if strings.Contains(mustJSON(back["message"]), strings.Trim(mustJSON(secret), `"`)) || back["n"] == nil {
			t.Errorf("secret %q: %s", secret, out)
		}
	}
	r := New([]string{"tok-3f9a2b"}, nil)
	if out := r.JSON([]byte(`{"a":"nothing secret"}`)); string(out) != `{"a":"nothing secret"}` {
		t.Errorf("a document without secrets was re-encoded: %s", out)
	}
	if out := r.JSON([]byte("{\"a\":\"\xff\"}")); !utf8.Valid(out) {
		t.Errorf("invalid UTF-8 kept: %q", out)
	}
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
