package extract

import (
	"bytes"
	"errors"
	"io"
	"strings"

	"go.yaml.in/yaml/v3"
)

// YAML collects the PromQL of a YAML file: every `expr` of a rule (alerting or recording, in a rule file or a
// PrometheusRule), of a promtool test, and the dashboards of a ConfigMap (data values named *.json).
func YAML(raw []byte) ([]Expression, error) {
	dec := yaml.NewDecoder(bytes.NewReader(raw))
	var out []Expression
	for {
		var doc any
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return out, err
		}
		var walk func(v any) error
		walk = func(v any) error {
			switch n := v.(type) {
			case []any:
				for _, x := range n {
					if err := walk(x); err != nil {
						return err
					}
				}
			case map[string]any:
				if expr, ok := n["expr"].(string); ok && strings.TrimSpace(expr) != "" {
					kind := "test"
					if _, ok := n["alert"]; ok {
						kind = "alert"
					} else if _, ok := n["record"]; ok {
						kind = "record"
					}
					out = append(out, Expression{Expr: expr, Kind: kind})
				}
				for k, x := range n {
					if s, ok := x.(string); ok && strings.HasSuffix(k, ".json") {
						found, err := Dashboard([]byte(s))
						if err != nil {
							return err
						}
						out = append(out, found...)
						continue
					}
					if k != "expr" {
						if err := walk(x); err != nil {
							return err
						}
					}
				}
			}
			return nil
		}
		if err := walk(doc); err != nil {
			return out, err
		}
	}
	return out, nil
}
