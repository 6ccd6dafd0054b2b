package oracle

import (
	"fmt"
	"hash/fnv"
	"regexp"
	"strings"
)

// Grafana's own pattern for a variable reference: $name, ${name…}, [[name…]] (the same as src/promql/variables.ts).
var variableReference = regexp.MustCompile(`^(?:\$(\w+)|\$\{(\w+)(?:\.[^:^}]+)?(?::[^}]+)?\}|\[\[(\w+?)(?::\w+)?\]\])`)

// Class is what a variable stands for where it is written, which decides its placeholder.
type Class int

const (
	// Ident: part of a metric or label name (`node_${dev}_bytes`, `by ($label)`, `sum($metric)`).
	Ident Class = iota
	// Number: a scalar (`x > $threshold`, `topk($n, x)`), or the digits of a duration (`[${n}m]`).
	Number
	// Duration: a range, step or offset (`[$__rate_interval]`, `offset $shift`).
	Duration
)

func (c Class) String() string {
	return [...]string{"name", "number", "duration"}[c]
}

// Variable is one reference outside string literals and comments, and what it was read as.
type Variable struct {
	From, To int
	Text     string
	Name     string
	Class    Class
}

// Grafana's interval macros are durations; their _s/_ms forms are numbers.
var durationMacros = map[string]bool{"__interval": true, "__rate_interval": true, "__range": true, "__auto": true}
var numberMacros = map[string]bool{"__interval_ms": true, "__range_s": true, "__range_ms": true, "__rate_interval_ms": true}

// placeholder is the same for the same variable name and class, and different between names, so that two
// texts which swap two variables do not get the same canonical form.
func placeholder(name string, class Class) string {
	h := fnv.New32a()
	_, _ = h.Write([]byte(name))
	n := 1 + h.Sum32()%997
	switch class {
	case Number:
		return fmt.Sprintf("%d", n)
	case Duration:
		return fmt.Sprintf("%ds", n)
	default:
		return "pv_" + name + "_"
	}
}

func isNameChar(c byte) bool {
	return c == '_' || c == ':' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// FindVariables lists the variable references of a query outside string literals and `#` comments, each with
// the class its surroundings suggest. Inside a string a variable is text of that string and stays as written.
func FindVariables(text string) []Variable {
	var found []Variable
	bracket := 0 // depth of [ … ] (ranges and subqueries), not counting [[var]]
	brace := 0   // depth of { … } outside strings: label names
	for i := 0; i < len(text); {
		c := text[i]
		switch {
		case c == '"' || c == '\'' || c == '`':
			i = skipString(text, i)
			continue
		case c == '#':
			if end := strings.IndexByte(text[i:], '\n'); end >= 0 {
				i += end
			} else {
				i = len(text)
			}
			continue
		case c == '$' || c == '[':
			if m := variableReference.FindStringSubmatch(text[i:]); m != nil {
				name := m[1] + m[2] + m[3]
				v := Variable{From: i, To: i + len(m[0]), Text: m[0], Name: name}
				v.Class = classify(text, v, bracket > 0, brace > 0)
				found = append(found, v)
				i = v.To
				continue
			}
			if c == '[' {
				bracket++
			}
		case c == ']':
			bracket--
		case c == '{':
			brace++
		case c == '}':
			brace--
		}
		i++
	}
	return found
}

func skipString(text string, i int) int {
	quote := text[i]
	for j := i + 1; j < len(text); j++ {
		if text[j] == '\\' && quote != '`' {
			j++
			continue
		}
		if text[j] == quote {
			return j + 1
		}
	}
	return len(text)
}

var offsetBefore = regexp.MustCompile(`(?i)\boffset\s*-?\s*$`)
var scalarBefore = regexp.MustCompile(`(?:[-+*/%^<>=!@]|\b(?:topk|bottomk|limitk|limit_ratio|quantile|histogram_quantile|quantile_over_time|round|clamp|clamp_min|clamp_max|predict_linear|vector|double_exponential_smoothing|holt_winters)\s*\(|,)\s*$`)

func classify(text string, v Variable, inRange, inBraces bool) Class {
	if durationMacros[v.Name] {
		return Duration
	}
	if numberMacros[v.Name] {
		return Number
	}
	gluedLeft := v.From > 0 && isNameChar(text[v.From-1])
	gluedRight := v.To < len(text) && isNameChar(text[v.To])
	switch {
	case inRange && gluedRight:
		return Number // `[${n}m]`: the digits of a duration
	case inRange:
		return Duration
	case gluedLeft || gluedRight || inBraces:
		return Ident
	case offsetBefore.MatchString(text[:v.From]):
		return Duration
	case scalarBefore.MatchString(text[:v.From]):
		return Number
	}
	return Ident
}

// Substitute replaces each variable by the placeholder of its class, as Grafana would put a value there; the
// rest of the text is unchanged.
func Substitute(text string, variables []Variable) string {
	var b strings.Builder
	at := 0
	for _, v := range variables {
		b.WriteString(text[at:v.From])
		b.WriteString(placeholder(v.Name, v.Class))
		at = v.To
	}
	b.WriteString(text[at:])
	return b.String()
}
