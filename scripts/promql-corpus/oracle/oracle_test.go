package oracle

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/prometheus/prometheus/promql/parser"
)

// Pairs of texts with the same meaning, and pairs that differ: the oracle must tell them apart.
func TestCanonicalSameAndDifferent(t *testing.T) {
	same := [][2]string{
		{"x > 010", "x > 8"},
		{"x > 0x1F", "x > 31"},
		{"x > 1_000", "x > 1000"},
		{"rate(x[90s])", "rate(x[1m30s])"},
		{"rate(x[300])", "rate(x[5m])"},
		{"(a + b) * c", "((a + b)) * (c)"},
		{"sum(x) by (b, a)", "sum by (a, b) (x)"},
		{"SUM BY (a) (x)", "sum by (a) (x)"},
		{"sum by () (x)", "sum(x)"},
		{`x{b="2", a="1"}`, `x{a="1",b="2"}`},
		{`{"x", __name__="x"}`, "x"},
		{`{__name__="x"}`, "x"},
		{"# a comment\nsum(x)", "sum(x)"},
		{"x > -(1)", "x > -1"},
		{"x > --(1)", "x > 1"},
		{"x > -(-(+1))", "x > 1"},
		{"a * on(b) group_left() c", "a * on (b) group_left c"},
		{"rate(x[$__rate_interval])", "rate(x[${__rate_interval}])"},
		{"node_${dev}_bytes", "node_${dev}_bytes"},
		{"x offset 1h", "x offset 60m"},
		{"rate(x[5m:1m] offset 1h)", "rate(x[5m:60s] offset 1h)"},
	}
	for _, p := range same {
		a, b := Check(p[0]), Check(p[1])
		if !a.Valid || !b.Valid {
			t.Errorf("%q valid %v (%s), %q valid %v (%s)", p[0], a.Valid, a.Error, p[1], b.Valid, b.Error)
			continue
		}
		if a.Canonical != b.Canonical {
			t.Errorf("%q and %q mean the same, canonical forms differ:\n%s\n%s", p[0], p[1], a.Canonical, b.Canonical)
		}
	}
	different := [][2]string{
		{"x > 010", "x > 10"},
		{"(a + b) * c", "a + b * c"},
		{"-1 ^ x", "(-1) ^ x"},
		{"x_$a * y_$b", "x_1s * y_2s"},
		{"node_${dev}_bytes_total", "node_00001s_bytes_total"},
		{"x_$a * y_$b", "x_$b * y_$a"},
		{"x > $a", "x > $b"},
		{"rate(x[5m] offset 1m)", "rate(x[5m])"},
		{"x @ start()", "x @ end()"},
		{"x @ 100", "x"},
		{"a and on() b", "a and b"},
		{"a * on(b) group_left(c) d", "a * on(b) group_left d"},
		{"sum without (a) (x)", "sum by (a) (x)"},
		{"rate(x[5m:])", "rate(x[5m:1m])"},
		{"x == bool 1", "x == 1"},
		{`x{a="1"}`, `x{a=~"1"}`},
		{"holt_winters(x[5m], 0.1, 0.2)", "holt_winters(x[5m], 0.2, 0.1)"},
	}
	for _, p := range different {
		a, b := Check(p[0]), Check(p[1])
		if !a.Valid || !b.Valid {
			t.Errorf("%q valid %v (%s), %q valid %v (%s)", p[0], a.Valid, a.Error, p[1], b.Valid, b.Error)
			continue
		}
		if a.Canonical == b.Canonical {
			t.Errorf("%q and %q differ in meaning, canonical forms are the same: %s", p[0], p[1], a.Canonical)
		}
	}
}

func TestValidity(t *testing.T) {
	valid := []string{
		"# comment only before\nup",
		"sum(x # inside\n)",
		"TOPK(1, x)",
		"rate(x[300])",
		"holt_winters(x[5m], 0.5, 0.5)",
		"double_exponential_smoothing(x[5m], 0.5, 0.5)",
		"x offset -1m",
		"rate(x[5m:] offset 1m)",
		"x @ start()",
		"label_replace(x, \"a\", \"$1\", \"b\", \"(.*)\")",
		"sum(x) or vector(0)",
		"-x",
		`{"http.server.duration"}`,
		"x > Inf",
		"x > 0x1F",
		"sum by ($label) (x)",
		"topk($n, x)",
		"x offset $shift",
		"rate(x[${n}m])",
		"x > $__range_s",
		"x{l$abel=\"v\"}",
		"rate(x[[[interval]]])",
	}
	for _, text := range valid {
		if v := Check(text); !v.Valid {
			t.Errorf("%q: want valid, got %s (as %q, %v)", text, v.Error, v.Substituted, v.Variables)
		}
	}
	invalid := []string{
		"",
		"x and bool y",
		"x > 1e400",
		"sum(x",
		"RATE(x[5m])",
		"rate(x)",
		"x{__name__=\"y\"}",
		"{}",
		"topk_max(1, x)",
		"sum(count_over_time({job=\"a\"} |= \"x\" [5m]))",
	}
	for _, text := range invalid {
		if v := Check(text); v.Valid {
			t.Errorf("%q: want invalid, got valid as %s", text, v.Canonical)
		}
	}
}

func TestVariableClasses(t *testing.T) {
	cases := map[string][]string{
		"rate(x{job=~\"$job\"}[$__rate_interval])": {"$__rate_interval as duration"},
		"node_${dev}_bytes":                        {"${dev} as name"},
		"sum by ($l) (x)":                          {"$l as name"},
		"x > $threshold":                           {"$threshold as number"},
		"rate(x[${n}m])":                           {"${n} as number"},
		"x offset $o":                              {"$o as duration"},
		"x @ $ts":                                  {"$ts as number"},
		"x # $not_a_variable":                      nil,
	}
	for text, want := range cases {
		got := Check(text).Variables
		if len(got) != len(want) {
			t.Errorf("%q: variables %v, want %v", text, got, want)
			continue
		}
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("%q: variables %v, want %v", text, got, want)
			}
		}
	}
}

// The corpus written here: what it calls valid is valid, what it calls invalid is not, every function is in it.
func TestConstructsCorpus(t *testing.T) {
	raw, err := os.ReadFile("../constructs.json")
	if err != nil {
		t.Fatal(err)
	}
	var corpus struct{ Valid, Invalid []string }
	if err := json.Unmarshal(raw, &corpus); err != nil {
		t.Fatal(err)
	}
	called := map[string]bool{}
	for _, text := range corpus.Valid {
		v := Check(text)
		if !v.Valid {
			t.Errorf("constructs.json valid %q: Prometheus says %s (as %q)", text, v.Error, v.Substituted)
		}
		for _, c := range v.Constructs {
			called[c] = true
		}
	}
	for _, text := range corpus.Invalid {
		if v := Check(text); v.Valid {
			t.Errorf("constructs.json invalid %q: Prometheus parses it as %s", text, v.Canonical)
		}
	}
	for name, f := range parser.Functions {
		if f.ReturnType == parser.ValueTypeNone || durationFunctions[name] {
			continue
		}
		if !called["function "+name] {
			t.Errorf("constructs.json calls no %s(…)", name)
		}
	}
	for _, c := range []string{"offset", "@", "subquery", "unary -", "comment", "variable", "bool", "on/ignoring", "group_left/right", "aggregation count_values", "aggregation quantile", "function label_replace", "number operand"} {
		if !called[c] {
			t.Errorf("constructs.json has no %s", c)
		}
	}
}

// Functions of duration expressions only (`[step()]`), not of queries.
var durationFunctions = map[string]bool{"start": true, "end": true, "range": true, "step": true}
