// Package redact is the one place every text Pulse passes on from an upstream goes through
// before it reaches Grafana: query errors, frame notices, health messages and details, resource
// bodies. A Prometheus, or a proxy in front of it, may echo the request's headers in an error
// body, a warning or a malformed answer; the data source's secrets must never travel on from
// there to the browser or the plugin's log. The same pass makes the text valid UTF-8 (a string
// field of the plugin protocol that is not fails the whole gRPC answer) and caps its length.
package redact

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"net/url"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

// Mark replaces every occurrence of a secret.
const Mark = "[redacted]"

// MaxText is the longest text (in bytes) Text returns; longer texts are cut at a character
// boundary and end in "…". Error bodies a user needs to read fit well within it.
const MaxText = 2048

// shortSecret is the length under which a secret is only redacted where it stands as a word of
// its own: a tenant header "1" must not turn "HTTP 401" into "HTTP 40[redacted]".
const shortSecret = 4

// Redactor removes one data source's secrets from texts. The zero value and nil redact nothing
// but still make texts valid UTF-8 and cap them.
type Redactor struct {
	long  *strings.Replacer
	forms []string // every form of every secret, longest first
	short []string
}

// FromSettings collects the secrets of a data source instance: every value of its decrypted
// secure JSON data (basic auth password, bearer token, custom header values, TLS key), the basic
// auth pair in base64 as an Authorization header carries it, and the URL's userinfo.
func FromSettings(s backend.DataSourceInstanceSettings) *Redactor {
	var secrets, pairs []string
	for _, v := range s.DecryptedSecureJSONData {
		secrets = append(secrets, v)
	}
	// The SDK sends basic auth from basicAuthUser/basicAuthPassword, or from the legacy
	// user/password pair.
	if pw := s.DecryptedSecureJSONData["basicAuthPassword"]; pw != "" {
		pairs = append(pairs, s.BasicAuthUser+":"+pw)
	}
	if pw := s.DecryptedSecureJSONData["password"]; pw != "" {
		pairs = append(pairs, s.User+":"+pw)
	}
	if u, err := url.Parse(strings.TrimSpace(s.URL)); err == nil && u.User != nil {
		if pw, ok := u.User.Password(); ok && pw != "" {
			secrets = append(secrets, pw)
			pairs = append(pairs, u.User.Username()+":"+pw)
		}
		secrets = append(secrets, u.User.String())
	}
	return New(secrets, pairs)
}

// New builds a Redactor for secrets (redacted in every form they travel in: as they are,
// URL-escaped, JSON-escaped, after "Bearer ") and for user:password pairs (redacted in base64, as
// an Authorization: Basic header carries them, padded or not). Empty secrets are ignored.
func New(secrets, pairs []string) *Redactor {
	seen := map[string]bool{}
	var forms []string
	add := func(f string) {
		if f != "" && !seen[f] {
			seen[f] = true
			forms = append(forms, f)
		}
	}
	for _, s := range secrets {
		if strings.TrimSpace(s) == "" {
			continue
		}
		add(s)
		add(strings.TrimSpace(s))
		add(url.QueryEscape(s))
		add(url.PathEscape(s))
		add(jsonEscaped(s, true))
		add(jsonEscaped(s, false))
	}
	for _, p := range pairs {
		if p == ":" || p == "" {
			continue
		}
		add(base64.StdEncoding.EncodeToString([]byte(p)))
		add(base64.RawStdEncoding.EncodeToString([]byte(p)))
		add(base64.URLEncoding.EncodeToString([]byte(p)))
		add(base64.RawURLEncoding.EncodeToString([]byte(p)))
	}
	// Longest first, so that a form containing another is replaced whole.
	sort.Slice(forms, func(i, j int) bool { return len(forms[i]) > len(forms[j]) })
	r := &Redactor{forms: forms}
	var oldnew []string
	for _, f := range forms {
		if len(f) < shortSecret {
			r.short = append(r.short, f)
			continue
		}
		oldnew = append(oldnew, f, Mark)
	}
	if len(oldnew) > 0 {
		r.long = strings.NewReplacer(oldnew...)
	}
	return r
}

func jsonEscaped(s string, escapeHTML bool) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(escapeHTML)
	_ = enc.Encode(s)
	out := strings.TrimSuffix(b.String(), "\n")
	return strings.TrimSuffix(strings.TrimPrefix(out, `"`), `"`)
}

// Text returns s without secrets, as valid UTF-8 (invalid bytes become U+FFFD), at most MaxText
// bytes long.
func (r *Redactor) Text(s string) string {
	s = r.secrets(strings.ToValidUTF8(s, "\uFFFD"))
	return Cap(s, MaxText)
}

// Contains reports whether s holds any form of a secret (short ones as words of their own).
func (r *Redactor) Contains(s string) bool {
	return r != nil && r.secrets(s) != s
}

func (r *Redactor) secrets(s string) string {
	if r == nil {
		return s
	}
	if r.long != nil {
		s = r.long.Replace(s)
	}
	for _, f := range r.short {
		s = replaceWord(s, f)
	}
	return s
}

// replaceWord replaces f where it is not part of a longer word (letters and digits around it).
func replaceWord(s, f string) string {
	var b strings.Builder
	rest := s
	for {
		i := strings.Index(rest, f)
		if i < 0 {
			break
		}
		before, after := rest[:i], rest[i+len(f):]
		if !endsInWord(before) && !startsWithWord(after) {
			b.WriteString(before)
			b.WriteString(Mark)
		} else {
			b.WriteString(rest[:i+len(f)])
		}
		rest = after
	}
	if b.Len() == 0 {
		return s
	}
	b.WriteString(rest)
	return b.String()
}

func isWordByte(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

func endsInWord(s string) bool     { return s != "" && isWordByte(s[len(s)-1]) }
func startsWithWord(s string) bool { return s != "" && isWordByte(s[0]) }

// JSON redacts a JSON document: every string in it (keys and values) passes through the
// redactor, so the result stays valid JSON whatever a secret looks like. The document is only
// re-encoded when it holds a secret; an invalid document is made valid UTF-8 and redacted as text.
func (r *Redactor) JSON(body []byte) []byte {
	if !utf8.Valid(body) {
		body = bytes.ToValidUTF8(body, []byte("\uFFFD"))
	}
	if r == nil || len(r.forms) == 0 || !r.Contains(string(body)) {
		return body
	}
	var v any
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return []byte(r.secrets(string(body)))
	}
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(r.walk(v)); err != nil {
		return []byte(r.secrets(string(body)))
	}
	return bytes.TrimSuffix(out.Bytes(), []byte("\n"))
}

func (r *Redactor) walk(v any) any {
	switch t := v.(type) {
	case string:
		return r.secrets(t)
	case []any:
		for i := range t {
			t[i] = r.walk(t[i])
		}
		return t
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, val := range t {
			out[r.secrets(k)] = r.walk(val)
		}
		return out
	default:
		return v
	}
}

// Cap cuts s to at most n bytes at a character boundary, ending it in "…" when it was cut.
func Cap(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return Clip(s, n-len("…"))
}

// Clip keeps the first n bytes of s (whole characters) and marks the cut with "…": how an error
// quotes what a caller or an upstream sent without echoing all of it.
func Clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}
