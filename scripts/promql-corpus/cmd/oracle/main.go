// Command oracle reads JSON strings, one a line (each a PromQL text as written, Grafana variables included), and
// writes one JSON verdict a line: whether Prometheus parses it and its canonical form (package oracle).
//
//	go run ./cmd/oracle < texts.jsonl > verdicts.jsonl
//	echo '"rate(x[$__rate_interval])"' | go run ./cmd/oracle
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"

	"github.com/pulse-monitoring/pulse/scripts/promql-corpus/oracle"
)

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 64<<20)
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	for line := 1; in.Scan(); line++ {
		var text string
		if err := json.Unmarshal(in.Bytes(), &text); err != nil {
			fmt.Fprintf(os.Stderr, "oracle: line %d is not a JSON string: %v\n", line, err)
			os.Exit(2)
		}
		if err := enc.Encode(oracle.Check(text)); err != nil {
			fmt.Fprintf(os.Stderr, "oracle: %v\n", err)
			os.Exit(1)
		}
	}
	if err := in.Err(); err != nil {
		fmt.Fprintf(os.Stderr, "oracle: reading stdin: %v\n", err)
		os.Exit(1)
	}
}
