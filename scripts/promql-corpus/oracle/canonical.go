package oracle

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/prometheus/promql/parser"
)

// Canonical is the meaning of a parsed expression as text: the Prometheus AST printed with every operation
// parenthesised, so that what does not change the meaning does not change it (redundant parentheses, layout,
// comments, keyword case, the order of matchers and grouping labels, where `by` stands, how a metric name,
// string, number or duration is spelled: `010` and `8`, `90s` and `1m30s`), and everything else does.
func Canonical(e parser.Expr) string {
	var b strings.Builder
	write(&b, e)
	return b.String()
}

func number(v float64) string {
	switch {
	case math.IsNaN(v):
		return "NaN"
	case math.IsInf(v, 1):
		return "+Inf"
	case math.IsInf(v, -1):
		return "-Inf"
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// constant is the value of a number with signs and parentheses around it (`--(1)` is 1).
func constant(e parser.Expr) (float64, bool) {
	switch n := e.(type) {
	case *parser.NumberLiteral:
		return n.Val, true
	case *parser.ParenExpr:
		return constant(n.Expr)
	case *parser.UnaryExpr:
		v, ok := constant(n.Expr)
		if n.Op == parser.SUB {
			v = -v
		}
		return v, ok
	}
	return 0, false
}

func ms(d time.Duration) string { return strconv.FormatInt(d.Milliseconds(), 10) + "ms" }

func sorted(list []string) string {
	c := slices.Clone(list)
	slices.Sort(c)
	quoted := make([]string, len(c))
	for i, l := range c {
		quoted[i] = strconv.Quote(l)
	}
	return "(" + strings.Join(quoted, ",") + ")"
}

func duration(d time.Duration, expr *parser.DurationExpr) string {
	if expr != nil {
		return "(dur " + expr.String() + ")"
	}
	return ms(d)
}

func modifiers(b *strings.Builder, offset time.Duration, offsetExpr *parser.DurationExpr, ts *int64, startOrEnd parser.ItemType) {
	if offset != 0 || offsetExpr != nil {
		b.WriteString(" offset " + duration(offset, offsetExpr))
	}
	switch {
	case ts != nil:
		fmt.Fprintf(b, " @%d", *ts)
	case startOrEnd == parser.START:
		b.WriteString(" @start")
	case startOrEnd == parser.END:
		b.WriteString(" @end")
	}
}

func write(b *strings.Builder, e parser.Expr) {
	switch n := e.(type) {
	case *parser.ParenExpr:
		write(b, n.Expr)
	case *parser.NumberLiteral:
		b.WriteString(number(n.Val))
	case *parser.StringLiteral:
		b.WriteString(strconv.Quote(n.Val))
	case *parser.UnaryExpr:
		if v, ok := constant(n); ok {
			b.WriteString(number(v))
			return
		}
		if n.Op == parser.ADD {
			write(b, n.Expr)
			return
		}
		b.WriteString("(neg ")
		write(b, n.Expr)
		b.WriteString(")")
	case *parser.VectorSelector:
		ms := make([]string, 0, len(n.LabelMatchers))
		for _, m := range n.LabelMatchers {
			ms = append(ms, strconv.Quote(m.Name)+m.Type.String()+strconv.Quote(m.Value))
		}
		slices.Sort(ms)
		// `{"x", __name__="x"}` says the same thing twice; it means `x`.
		ms = slices.Compact(ms)
		b.WriteString("{" + strings.Join(ms, ",") + "}")
		modifiers(b, n.OriginalOffset, n.OriginalOffsetExpr, n.Timestamp, n.StartOrEnd)
	case *parser.MatrixSelector:
		b.WriteString("(range ")
		write(b, n.VectorSelector)
		b.WriteString(" " + duration(n.Range, n.RangeExpr) + ")")
	case *parser.SubqueryExpr:
		b.WriteString("(subquery ")
		write(b, n.Expr)
		b.WriteString(" " + duration(n.Range, n.RangeExpr))
		if n.Step != 0 || n.StepExpr != nil {
			b.WriteString(" step " + duration(n.Step, n.StepExpr))
		}
		modifiers(b, n.OriginalOffset, n.OriginalOffsetExpr, n.Timestamp, n.StartOrEnd)
		b.WriteString(")")
	case *parser.Call:
		b.WriteString("(" + n.Func.Name)
		for _, a := range n.Args {
			b.WriteString(" ")
			write(b, a)
		}
		b.WriteString(")")
	case *parser.AggregateExpr:
		b.WriteString("(" + n.Op.String())
		if n.Without {
			b.WriteString(" without" + sorted(n.Grouping))
		} else if len(n.Grouping) > 0 {
			b.WriteString(" by" + sorted(n.Grouping))
		}
		if n.Param != nil {
			b.WriteString(" ")
			write(b, n.Param)
		}
		b.WriteString(" ")
		write(b, n.Expr)
		b.WriteString(")")
	case *parser.BinaryExpr:
		b.WriteString("(" + strings.ToLower(n.Op.String()))
		if n.ReturnBool {
			b.WriteString(" bool")
		}
		if vm := n.VectorMatching; vm != nil {
			if vm.On {
				b.WriteString(" on" + sorted(vm.MatchingLabels))
			} else if len(vm.MatchingLabels) > 0 {
				b.WriteString(" ignoring" + sorted(vm.MatchingLabels))
			}
			switch vm.Card {
			case parser.CardManyToOne:
				b.WriteString(" group_left" + sorted(vm.Include))
			case parser.CardOneToMany:
				b.WriteString(" group_right" + sorted(vm.Include))
			}
			if vm.FillValues.LHS != nil {
				b.WriteString(" fill_left(" + number(*vm.FillValues.LHS) + ")")
			}
			if vm.FillValues.RHS != nil {
				b.WriteString(" fill_right(" + number(*vm.FillValues.RHS) + ")")
			}
		}
		b.WriteString(" ")
		write(b, n.LHS)
		b.WriteString(" ")
		write(b, n.RHS)
		b.WriteString(")")
	case *parser.StepInvariantExpr:
		write(b, n.Expr)
	default:
		fmt.Fprintf(b, "(%T %s)", e, e.String())
	}
}
