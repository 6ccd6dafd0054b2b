#!/usr/bin/env bash
# Backend benchmarks, printed as tables.
#
# Converters: Prometheus query_range JSON -> data frames, for Pulse's streaming decoder, a naive
# encoding/json decoder, the Prometheus Go client's model types, and a syntax-only pass (the
# ceiling). Prints MB/s, B/op, allocs/op and the heap the frames hold (heap-MB).
#
# End to end: a 1,000 x 1,440 range query through the built plugin binary over gRPC next to a
# direct HTTP fetch of the same query, from a static upstream, from Prometheus (the series
# backfilled with promtool) and from VictoriaMetrics (both started by the benchmark). Prints
# medians: the direct fetch, the plugin to the last byte of its gRPC answer, the caller's Arrow
# decoding (which Grafana does for any backend plugin), the ratios of the same iterations, and
# the CPU time the plugin process used per query. Needs the built
# binary (go run github.com/magefile/mage -v) and the prometheus and victoria-metrics packages.
#
# Memory: 16 QueryData requests at once, each answered with 50 MB from a static upstream, through
# the built binary with its default limits. Prints the plugin process' peak RSS against the bound
# the limits promise (maxConcurrentRequests x answer x expansion + baseline), and its RSS 10 s
# later (RSS_SETTLE=95s for longer; PULSE_DIST=<dir> measures another build's dist/).
#
#   bash scripts/bench.sh                 all three parts (converters: at least 1 s a shape and converter; end to end: 7 iterations)
#   PART=convert bash scripts/bench.sh    converters only (PART=e2e: end to end only; PART=memory: memory only)
#   BENCH='Convert/100x1440' PART=convert bash scripts/bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."
part=${PART:-all}

if [[ $part == all || $part == convert ]]; then
  go test ./pkg/framing/ -run '^$' -bench "${BENCH:-Convert}" -benchmem -benchtime "${BENCHTIME:-1s}" -count "${COUNT:-1}" |
    awk '{ print }
      /^Benchmark/ { split($1, p, "/"); t[++n] = sprintf("%-12s %-14s %9.1f MB/s %12s B/op %10s allocs/op %10s heap-MB", p[2], p[3], $5, $9, $11, $7) }
      END { print ""; for (i = 1; i <= n; i++) print t[i] }'
fi

if [[ $part == all || $part == e2e ]]; then
  go test ./test/protocol/ -run '^$' -bench "${E2E_BENCH:-EndToEnd}" -benchtime "${E2E_BENCHTIME:-7x}" |
    awk '{ print }
      /^BenchmarkEndToEnd/ {
        for (i = 3; i < NF; i += 2) m[$(i + 1)] = $i
        split($1, p, "/"); sub(/-[0-9]+$/, "", p[2])
        t[++n] = sprintf("%-16s direct %5.0f ms   plugin %5.0f ms (%.2fx, %.0f ms CPU)   + caller decode %4.0f ms (%.2fx)", p[2], m["direct-ms"], m["plugin-ms"], m["plugin/direct"], m["plugin-cpu-ms"], m["decode-ms"], m["+decode/direct"])
      }
      END { print ""; for (i = 1; i <= n; i++) print t[i] }'
fi

if [[ $part == all || $part == memory ]]; then
  go test ./test/protocol/ -run '^$' -bench Memory -benchtime 1x -args -rss-settle "${RSS_SETTLE:-10s}" |
    awk '{ print }
      /^BenchmarkMemory/ {
        for (i = 3; i < NF; i += 2) m[$(i + 1)] = $i
        t = sprintf("16 x 50 MB at once   peak RSS %5.0f MB (bound %5.0f MB, baseline %4.0f MB, upstream saw %d at once)   %s later %5.0f MB", m["peak-MB"], m["bound-MB"], m["baseline-MB"], m["upstream-max"], settle, m["after-MB"])
      }
      END { if (t != "") { print ""; print t } }' settle="${RSS_SETTLE:-10s}"
fi
