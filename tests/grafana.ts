/**
 * Where the end-to-end specs find Grafana, and whether it answered.
 *
 * The specs run against the Grafana of `docker compose up --build`. Global setup probes it once and records
 * the result in the environment, which Playwright hands to every worker; a spec file calls
 * `test.skip(!grafanaIsReachable(), NO_GRAFANA)` so that nothing starts a browser when there is no Grafana.
 * This module has no Playwright imports: the config and global setup load it too.
 */
export const GRAFANA_URL = (process.env.GRAFANA_URL ?? 'http://localhost:3000').replace(/\/+$/, '');

export const NO_GRAFANA = `No Grafana at ${GRAFANA_URL} — start it with docker compose up --build (or set GRAFANA_URL)`;

const STATE_ENV = 'PULSE_E2E_GRAFANA';

/** Returns null when Grafana answers /api/health, otherwise why not. */
export async function probeGrafana(baseUrl: string = GRAFANA_URL, timeoutMs = 3000): Promise<string | null> {
  try {
    const response = await fetch(`${baseUrl}/api/health`, { signal: AbortSignal.timeout(timeoutMs) });
    if (!response.ok) {
      return `GET /api/health answered ${response.status}`;
    }
    const body = (await response.json().catch(() => null)) as { database?: string } | null;
    return body && typeof body.database === 'string' ? null : 'GET /api/health did not answer like Grafana';
  } catch (error) {
    const cause =
      error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error);
    return cause;
  }
}

export function recordGrafanaReachable(reachable: boolean): void {
  process.env[STATE_ENV] = reachable ? 'reachable' : 'unreachable';
}

/**
 * False only when global setup found no Grafana. Without global setup (e.g. `playwright test --list`)
 * the specs are listed, not skipped.
 */
export function grafanaIsReachable(): boolean {
  return process.env[STATE_ENV] !== 'unreachable';
}
