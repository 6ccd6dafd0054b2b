import { GRAFANA_URL, NO_GRAFANA, probeGrafana, recordGrafanaReachable } from './grafana';

export default async function globalSetup(): Promise<void> {
  const problem = await probeGrafana(GRAFANA_URL);
  recordGrafanaReachable(problem === null);
  if (problem !== null) {
    console.warn(`\n${NO_GRAFANA}.\n(${problem}) Every end-to-end spec is skipped.\n`);
  }
}
