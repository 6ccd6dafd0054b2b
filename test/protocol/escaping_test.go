package protocol_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/pulse-monitoring/pulse/internal/teststack"
)

// The reliability reference's bad label values, plus decoys that an unescaped regex would match.
// (A value that is exactly a template variable reference, `$service`, is left for Grafana to
// interpolate by design, so it is not a literal here; src/promql/render.test.ts covers that.)
var escapeValues = []string{
	`a"b`, `a\b`, `a\\"b`, `a'b`, `C:\ Label`, "line1\nline2", "\t", "\x07", "\x7f", "ü", "日本", "🙂", "👨‍👩‍👧",
	strings.Repeat("x", 4096), `"} or vector(1) or up{x="`,
	`a.b`, `a|b`, `(x)`, `[0-9]`, `^$`, `.*`,
	// decoys
	"axb", "a", "b", "x", "5", "plain",
}

// exposition escapes a label value for the Prometheus text format.
func exposition(v string) string {
	return strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(v)
}

// TestSelectorsSelectExactlyTheIntendedSeries scrapes one series per bad label value into a real
// Prometheus, renders selectors with src/promql (as signals and the editor do) and runs them
// through the plugin binary: each exact or literal-regex selector must select exactly its own
// series, a multi-value selector exactly its two, and the injection string nothing else.
func TestSelectorsSelectExactlyTheIntendedSeries(t *testing.T) {
	exporter := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; version=0.0.4")
		fmt.Fprintln(w, "# TYPE pulse_escape_probe gauge")
		for i, v := range escapeValues {
			fmt.Fprintf(w, "pulse_escape_probe{value=\"%s\",case=\"%d\"} 1\n", exposition(v), i)
		}
	}))
	defer exporter.Close()
	prom := teststack.Prometheus(t, time.Second, "escape="+strings.TrimPrefix(exporter.URL, "http://"))
	teststack.WaitForQuery(t, prom.URL(), `count(pulse_escape_probe) > 0`, 30*time.Second)

	dir := t.TempDir()
	raw, _ := json.Marshal(escapeValues)
	valuesPath := filepath.Join(dir, "values.json")
	if err := os.WriteFile(valuesPath, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("npx", "ts-node", "--transpile-only", "scripts/signals/selectors.ts", valuesPath)
	cmd.Dir = "../.."
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("selectors.ts: %v\n%s", err, stderr.String())
	}
	var cases []struct{ Value, Exact, Regex, Multi string }
	if err := json.Unmarshal(out, &cases); err != nil {
		t.Fatal(err)
	}

	plugin, _ := startPlugin(t)
	ds := settings(prom.URL(), map[string]any{"timeInterval": "1s"}, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	selected := func(t *testing.T, expr string) []string {
		t.Helper()
		q, _ := json.Marshal(map[string]any{"expr": expr, "instant": true, "range": false})
		resp, err := plugin.QueryData(ctx, ds, []backend.DataQuery{{RefID: "A", JSON: q, TimeRange: backend.TimeRange{From: time.Now().Add(-time.Minute), To: time.Now()}}})
		if err != nil {
			t.Fatal(err)
		}
		r := resp.Responses["A"]
		if r.Error != nil {
			t.Fatalf("%s: %v", expr, r.Error)
		}
		var values []string
		for _, f := range r.Frames {
			if len(f.Fields) > 1 && f.Rows() > 0 {
				values = append(values, f.Fields[1].Labels["value"])
			}
		}
		return values
	}
	for _, c := range cases {
		if c.Value == "plain" {
			continue
		}
		t.Run(fmt.Sprintf("%.24q", c.Value), func(t *testing.T) {
			if got := selected(t, c.Exact); len(got) != 1 || got[0] != c.Value {
				t.Errorf("exact %s selected %q", c.Exact, got)
			}
			if got := selected(t, c.Regex); len(got) != 1 || got[0] != c.Value {
				t.Errorf("regex %s selected %q", c.Regex, got)
			}
			got := selected(t, c.Multi)
			if len(got) != 2 || !(contains(got, c.Value) && contains(got, "plain")) {
				t.Errorf("multi %s selected %q", c.Multi, got)
			}
		})
	}
}
