// Package oracle says whether Prometheus parses a PromQL text as Grafana would send it (variables replaced by
// values of the kind they stand for) and gives its meaning as a canonical form, the reference the Builder's
// Code -> Builder -> Code path is measured against (scripts/promql-corpus/figures.ts).
package oracle

import (
	"maps"
	"strings"

	"github.com/prometheus/prometheus/promql/parser"
)

// Verdict is what Prometheus makes of one text.
type Verdict struct {
	// Valid: Prometheus 3 parses it (experimental functions and modifiers on), or Prometheus 2 does.
	Valid bool `json:"valid"`
	// Dialect: "3", or "2" for what only Prometheus 2 parses (holt_winters, renamed in 3).
	Dialect string `json:"dialect,omitempty"`
	// Error: the parser's message for an invalid text.
	Error string `json:"error,omitempty"`
	// Canonical: the meaning, for a valid text (see Canonical).
	Canonical string `json:"canonical,omitempty"`
	// Substituted: the text as parsed, its variables replaced.
	Substituted string `json:"substituted,omitempty"`
	// Variables: each variable and the class it was read as.
	Variables []string `json:"variables,omitempty"`
	// Constructs: what a valid text uses (see Constructs).
	Constructs []string `json:"constructs,omitempty"`
}

var prometheus3 = parser.NewParser(parser.Options{
	EnableExperimentalFunctions: true,
	EnableBinopFillModifiers:    true,
})

// Prometheus 2 had holt_winters; Prometheus 3 renamed it double_exponential_smoothing (and made it experimental).
var prometheus2 = func() parser.Parser {
	functions := maps.Clone(parser.Functions)
	hw := *functions["double_exponential_smoothing"]
	hw.Name = "holt_winters"
	hw.Experimental = false
	functions["holt_winters"] = &hw
	return parser.NewParser(parser.Options{EnableExperimentalFunctions: true, Functions: functions})
}()

func parse(text string) (parser.Expr, string, error) {
	e, err := prometheus3.ParseExpr(text)
	if err == nil {
		return e, "3", nil
	}
	if strings.Contains(text, "holt_winters") {
		if e2, err2 := prometheus2.ParseExpr(text); err2 == nil {
			return e2, "2", nil
		}
	}
	return nil, "", err
}

var alternatives = [...]Class{Ident, Number, Duration}

// Check parses a text. Each variable gets the placeholder of the class its surroundings suggest; when that
// does not parse, other classes are tried one variable at a time, and the first substitution that parses wins
// (a variable whose value could be a number or a name, such as `x > $limit`, is read the first way that works).
func Check(text string) Verdict {
	if strings.TrimSpace(text) == "" {
		return Verdict{Error: "empty"}
	}
	vars := FindVariables(text)
	substituted := Substitute(text, vars)
	e, dialect, err := parse(substituted)
	for i := 0; err != nil && i < len(vars) && i < 12; i++ {
		original := vars[i].Class
		for _, c := range alternatives {
			if c == original {
				continue
			}
			vars[i].Class = c
			try := Substitute(text, vars)
			if e2, d2, err2 := parse(try); err2 == nil {
				e, dialect, err, substituted = e2, d2, nil, try
				break
			}
		}
		if err != nil {
			vars[i].Class = original
		}
	}
	v := Verdict{Substituted: substituted}
	for _, x := range vars {
		v.Variables = append(v.Variables, x.Text+" as "+x.Class.String())
	}
	if err != nil {
		v.Error = err.Error()
		return v
	}
	v.Valid = true
	v.Dialect = dialect
	v.Canonical = Canonical(e)
	v.Constructs = Constructs(text, e, vars)
	return v
}
