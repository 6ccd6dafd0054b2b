#!/usr/bin/env bash
# Pulse's test command: installs what the tests need, then runs every test layer that can run on
# this machine. Used by developers (`npm test` or `bash scripts/test.sh`) and by CI (.ci/run).
#
#   bash scripts/test.sh            everything
#   PULSE_SKIP_INSTALL=1 ...        do not install (apt, npm ci, go mod download)
set -uo pipefail
cd "$(dirname "$0")/.."

# Debian packages the tests start for real: the protocol and integration tests' servers
# (internal/stack), and Chromium plus a Hangul font for the browser harness.
APT_PACKAGES=(prometheus prometheus-node-exporter postgresql prometheus-postgres-exporter victoria-metrics chromium fonts-lexi-gulim)

log() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

install_deps() {
  local missing=()
  for pkg in "${APT_PACKAGES[@]}"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  if ((${#missing[@]})); then
    if [[ $(id -u) -ne 0 ]]; then
      echo "missing Debian packages: ${missing[*]} — install them with: sudo apt-get install -y ${missing[*]}" >&2
      return 1
    fi
    log "apt-get install ${missing[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" || return 1
  fi
  # apt may start the packaged services; the tests start their own on free ports.
  for svc in prometheus prometheus-node-exporter prometheus-postgres-exporter postgresql victoria-metrics; do
    command -v service >/dev/null 2>&1 && service "$svc" stop >/dev/null 2>&1 || true
  done
  if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json || -n "${CI:-}" ]]; then
    log "npm ci"
    npm ci --no-audit --no-fund || return 1
  fi
  log "npm ci (demo NestJS app)"
  npm ci --prefix demo/nestjs-app --no-audit --no-fund || return 1
  log "go mod download"
  go mod download || return 1
  (cd scripts/promql-corpus && go mod download) || return 1
}

results=()
failed=0
step() {
  local name=$1
  shift
  log "$name"
  local start=$SECONDS
  if "$@"; then
    results+=("PASS  $name ($((SECONDS - start))s)")
  else
    results+=("FAIL  $name ($((SECONDS - start))s)")
    failed=$((failed + 1))
  fi
}

if [[ -z "${PULSE_SKIP_INSTALL:-}" ]]; then
  install_deps || { echo "installing the test dependencies failed" >&2; exit 1; }
fi

step "typecheck" npm run --silent typecheck
step "lint" npm run --silent lint
step "jest (frontend unit tests)" npx jest --maxWorkers 2
step "frontend build (webpack)" npm run --silent build
step "bundle size (module.js budget)" node scripts/bundle-size.mjs
step "backend build (mage: linux amd64 + arm64)" go run github.com/magefile/mage -v
step "go vet" go vet ./...
# The PromQL oracle (Prometheus' own parser) and its checks of the corpus written here (scripts/promql-corpus).
step "PromQL oracle (go vet, go test)" bash -c 'cd scripts/promql-corpus && go vet ./... && go test -count=1 ./...'
# Code -> Builder -> Code on that corpus, judged by the oracle: nothing changed in meaning, unparsable or thrown.
step "PromQL Builder vs Prometheus (constructs corpus)" npx ts-node --transpile-only scripts/promql-corpus/figures.ts --corpus constructs --check --top 5
# Unit and protocol tests (the built binary over gRPC against a real Prometheus).
step "go test" bash -c 'go test -count=1 -timeout 10m $(go list ./... | grep -v /test/integration)'
# Thanos for the integration suite, built from its Go module once (several minutes on 2 cores) and
# cached in ~/.cache/pulse (or $PULSE_CACHE_DIR) beside cAdvisor. Where it cannot be built, the suite
# skips its Thanos checks and says why, so this step only reports.
step "Thanos build (cached)" bash -c 'go run ./scripts/stack --build-thanos || echo "Thanos cannot be built here: the integration suite skips its Thanos Query checks"'
# The whole local stack (internal/stack); -v prints every signal's series count per engine.
step "integration (local stack, every signal)" go test -count=1 -timeout 10m -v ./test/integration/
step "demo app tests (node --test)" npm --prefix demo/nestjs-app test
# The built plugin in headless Chromium, with the harness playing Grafana's part.
step "harness specs (browser)" npm run --silent harness:test
step "compose and provisioning check" node --test tests/static/
step "plugin-e2e specs (run only when a Grafana answers at \$GRAFANA_URL)" npx playwright test

log "summary"
printf '%s\n' "${results[@]}"
total=${#results[@]}
echo "steps: $((total - failed)) passed, $failed failed"
exit $((failed > 0))
