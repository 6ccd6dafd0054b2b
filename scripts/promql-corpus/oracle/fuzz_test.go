package oracle

import (
	"strings"
	"testing"
)

// FuzzCheck: the oracle answers every text without panicking, and a valid text's canonical form is itself stable
// under the layout changes it must ignore. `go test` runs the seeds; `go test -fuzz FuzzCheck ./oracle` explores.
func FuzzCheck(f *testing.F) {
	for _, seed := range []string{
		"up", "rate(x[$__rate_interval])", "sum by ($l) (node_${dev}_bytes)", "x > 010", "# c\nx", "x offset -$o",
		"max_over_time(rate(x[5m])[1h:] @ end())", `{"a.b", c="$d"}`, "[[x]]", "${x:csv}", "$", "x{", `"unterminated`,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, text string) {
		v := Check(text)
		if !v.Valid {
			return
		}
		// A text in parentheses, with a comment line after it, means the same.
		w := Check("(\n" + text + "\n)\n# trailing comment")
		if strings.Contains(text, "#") || !w.Valid {
			return // a comment in the text may swallow the closing parenthesis
		}
		if w.Canonical != v.Canonical {
			t.Errorf("%q: %s, in parentheses %s", text, v.Canonical, w.Canonical)
		}
	})
}
