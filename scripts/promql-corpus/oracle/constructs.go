package oracle

import (
	"slices"
	"strings"

	"github.com/prometheus/prometheus/promql/parser"
)

// Constructs names what an expression uses, for acceptance per construct: `function rate`, `aggregation sum`,
// `binary +`, `offset`, `@`, `subquery`, `unary -`, `bool`, `on/ignoring`, `group_left/right`, `number`,
// `string argument`, `range`, plus `comment` and `variable` from the text. Sorted, each once.
func Constructs(text string, e parser.Expr, variables []Variable) []string {
	set := map[string]bool{}
	parser.Inspect(e, func(node parser.Node, _ []parser.Node) error {
		switch n := node.(type) {
		case *parser.VectorSelector:
			if n.OriginalOffset != 0 || n.OriginalOffsetExpr != nil {
				set["offset"] = true
			}
			if n.Timestamp != nil || n.StartOrEnd != 0 {
				set["@"] = true
			}
		case *parser.MatrixSelector:
			set["range"] = true
			if n.RangeExpr != nil {
				set["duration expression"] = true
			}
		case *parser.SubqueryExpr:
			set["subquery"] = true
			if n.OriginalOffset != 0 || n.OriginalOffsetExpr != nil {
				set["offset"] = true
			}
			if n.Timestamp != nil || n.StartOrEnd != 0 {
				set["@"] = true
			}
		case *parser.Call:
			set["function "+n.Func.Name] = true
		case *parser.AggregateExpr:
			set["aggregation "+n.Op.String()] = true
			if len(n.Grouping) > 0 || n.Without {
				set["by/without"] = true
			}
		case *parser.BinaryExpr:
			set["binary "+strings.ToLower(n.Op.String())] = true
			if n.ReturnBool {
				set["bool"] = true
			}
			if vm := n.VectorMatching; vm != nil {
				if vm.On || len(vm.MatchingLabels) > 0 {
					set["on/ignoring"] = true
				}
				if vm.Card == parser.CardManyToOne || vm.Card == parser.CardOneToMany {
					set["group_left/right"] = true
				}
			}
			if isScalar(n.LHS) || isScalar(n.RHS) {
				set["number operand"] = true
			}
		case *parser.UnaryExpr:
			if n.Op == parser.SUB {
				if _, ok := n.Expr.(*parser.NumberLiteral); !ok {
					set["unary -"] = true
				}
			}
		case *parser.StringLiteral:
			set["string argument"] = true
		}
		return nil
	})
	if strings.Contains(stripStrings(text), "#") {
		set["comment"] = true
	}
	if len(variables) > 0 {
		set["variable"] = true
	}
	list := make([]string, 0, len(set))
	for k := range set {
		list = append(list, k)
	}
	slices.Sort(list)
	return list
}

func isScalar(e parser.Expr) bool {
	for {
		switch n := e.(type) {
		case *parser.ParenExpr:
			e = n.Expr
		case *parser.UnaryExpr:
			e = n.Expr
		case *parser.NumberLiteral:
			return true
		default:
			return false
		}
	}
}

func stripStrings(text string) string {
	var b strings.Builder
	for i := 0; i < len(text); {
		if c := text[i]; c == '"' || c == '\'' || c == '`' {
			i = skipString(text, i)
			continue
		}
		b.WriteByte(text[i])
		i++
	}
	return b.String()
}
