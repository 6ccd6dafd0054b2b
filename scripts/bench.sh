#!/usr/bin/env bash
# Converter benchmarks: Prometheus query_range JSON -> data frames, for Pulse's streaming decoder,
# a naive encoding/json decoder, the Prometheus Go client's model types, and a syntax-only pass
# (the ceiling). Prints ns/op, MB/s, B/op, allocs/op and the heap the frames hold (heap-MB).
#
#   bash scripts/bench.sh                 all shapes (1x60 ... 10000x300), 5 iterations each
#   BENCH='Convert/100x1440' bash scripts/bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."
pattern=${BENCH:-Convert}
go test ./pkg/framing/ -run '^$' -bench "$pattern" -benchmem -benchtime "${BENCHTIME:-5x}" -count "${COUNT:-1}" | tee /dev/stderr |
  awk '/^Benchmark/ { split($1, p, "/"); printf "%-12s %-14s %9.1f MB/s %12s B/op %10s allocs/op %10s heap-MB\n", p[2], p[3], $5, $9, $11, $7 }' >&2
