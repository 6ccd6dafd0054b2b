/**
 * Renders selectors for label values read from a JSON array (a file path argument), with the same
 * functions the signals use, for the escaping test (test/protocol/escaping_test.go), which runs
 * them against a real Prometheus through the plugin binary.
 *
 *   npx ts-node --transpile-only scripts/signals/selectors.ts <values.json>
 *
 * Prints, for each value: the exact selector, the regex selector of the literal value, and a
 * multi-value selector of the value together with "plain" (as a multi-value variable renders).
 */
import { readFileSync } from 'fs';

import { literalPattern, matchAny, selector } from '../../src/promql/render';

const METRIC = 'pulse_escape_probe';
const [valuesPath] = process.argv.slice(2);
const values = JSON.parse(readFileSync(valuesPath, 'utf8')) as string[];
const out = values.map((value) => ({
  value,
  exact: selector(METRIC, [matchAny('value', value)]),
  regex: selector(METRIC, [{ label: 'value', op: '=~', value: literalPattern([value]) }]),
  multi: selector(METRIC, [matchAny('value', [value, 'plain'])]),
}));
process.stdout.write(JSON.stringify(out) + '\n');
