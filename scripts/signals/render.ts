/**
 * Renders every signal of the catalog with parameter values taken from a live catalog, for the
 * integration suite (test/integration), which runs each one through the built backend binary.
 *
 *   npx ts-node --transpile-only scripts/signals/render.ts <catalog.json> [targets.json] [--profile <id>]
 *
 * With --profile, the signals render with that instrumentation profile (src/signals/profiles.ts; auto: every
 * profile at once, the default of a data source without one), as a data
 * source set to it does; a signal that profile cannot answer says why in `unavailable`.
 * Prints a JSON array: one entry per signal with the rendered PromQL and what the suite expects, then
 * one entry per other value of each fixed-choice parameter (outcome, quantile, group-by, mode, …),
 * id `signal[param=value]`, so every choice a user can make is run too.
 * The way a user starts: the entity a signal is about (service, host, container, database, job) and
 * every required parameter get the first value the catalog offers (narrowed by what is already
 * chosen, in parameter order), so the filters run with real values; narrower optional filters
 * (controller, handler, method, instance) stay open, and fixed choices keep their defaults.
 */
import { readFileSync } from 'fs';

import type { CatalogResponse, TargetsResponse } from '../../src/datasource/catalog';
import {
  SIGNALS,
  isProfileId,
  parameterOptions,
  renderContext,
  withDefaults,
  type SignalParams,
} from '../../src/signals';

const args = process.argv.slice(2);
const profileAt = args.indexOf('--profile');
const profile = profileAt >= 0 ? args.splice(profileAt, 2)[1] : undefined;
const [catalogPath, targetsPath] = args;
if (!catalogPath || (profileAt >= 0 && profile !== 'auto' && !isProfileId(profile))) {
  process.stderr.write('usage: render.ts <catalog.json> [targets.json] [--profile <instrumentation profile id, or auto>]\n');
  process.exit(2);
}
const catalog = JSON.parse(readFileSync(catalogPath, 'utf8')) as CatalogResponse;
const targets = targetsPath ? (JSON.parse(readFileSync(targetsPath, 'utf8')) as TargetsResponse) : undefined;
const ctx = renderContext({ profile });
const ENTITY_TYPES = new Set(['service', 'host', 'container', 'database', 'job']);

const out = SIGNALS.flatMap((signal) => {
  const params: SignalParams = {};
  const unfilled: string[] = [];
  for (const p of signal.parameters) {
    if (!p.source || !(p.required || ENTITY_TYPES.has(p.type))) {
      continue;
    }
    const options = parameterOptions(signal, p, catalog, params, targets);
    if (options.length > 0) {
      params[p.name] = p.multi ? [options[0].value] : options[0].value;
    } else if (p.required) {
      unfilled.push(p.name);
    }
  }
  const entry = (id: string, chosen: SignalParams) => {
    const filled = withDefaults(signal.parameters, chosen);
    return {
      id,
      family: signal.family,
      unit: signal.unit,
      format: signal.format,
      instant: signal.instant,
      legend: signal.legend(filled),
      params: filled,
      unfilled,
      expr: signal.render(filled, ctx),
      unavailable: signal.unavailable(filled, ctx)?.en,
    };
  };
  const base = entry(signal.id, params);
  const variants = signal.parameters.flatMap((p) =>
    (p.choices ?? [])
      .filter((c) => JSON.stringify(p.multi ? [c.value] : c.value) !== JSON.stringify(base.params[p.name]))
      .map((c) => entry(`${signal.id}[${p.name}=${c.value}]`, { ...params, [p.name]: p.multi ? [c.value] : c.value }))
  );
  return [base, ...variants];
});
process.stdout.write(JSON.stringify(out, null, 1) + '\n');
