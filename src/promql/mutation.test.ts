/**
 * Mutation test of Code -> Builder -> Code: token-level mutations (testing/mutate.ts) of the PromQL written in
 * scripts/promql-corpus/constructs.json and testing/corpus.ts, plus deeply nested and huge inputs, through
 * parsePromQL and renderBuilderQuery as the QueryEditor uses them. Seeded: the seed is in the test's name and
 * printed; PULSE_PROMQL_MUTATION_SEED and PULSE_PROMQL_MUTATION_COUNT explore further.
 *
 * For every input: no exception and no internal error; a refusal points inside the text and says where in
 * words. For every accepted input: the rendering parses (the lezer grammar), reads back as the same model,
 * means what the input meant (testing/canonical.ts), keeps every Grafana variable as written, and without an
 * edit the editor keeps the input byte for byte. (Prometheus' own parser judges the same path over the public
 * corpus: scripts/promql-corpus/figures.ts.)
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { isDeepStrictEqual } from 'util';

import { keepSourceText } from '../datasource/components/QueryEditor/builderSource';
import { renderBuilderQuery } from './builder';
import { parsePromQL } from './parse';
import { canonical, lezerError } from './testing/canonical';
import { CORPUS } from './testing/corpus';
import { Generator, random } from './testing/generate';
import { Mutator, tokens } from './testing/mutate';
import { locateVariables } from './variables';

const SEED = Number(process.env.PULSE_PROMQL_MUTATION_SEED ?? 20261203);
const COUNT = Number(process.env.PULSE_PROMQL_MUTATION_COUNT ?? 3000);

const WRITTEN = JSON.parse(readFileSync(join(__dirname, '../../scripts/promql-corpus/constructs.json'), 'utf8')) as {
  valid: string[];
  invalid: string[];
};
const SEEDS = [...WRITTEN.valid, ...CORPUS];

const variablesOf = (text: string) =>
  locateVariables(text)
    .variables.map((v) => v.text)
    .sort();

/** What went wrong with one input, or undefined. */
function check(input: string): string | undefined {
  let result;
  try {
    result = parsePromQL(input);
  } catch (e) {
    return `parsePromQL threw ${e}`;
  }
  if (!result.ok) {
    const { error } = result;
    if (error.code === 'internal') {
      return `internal error: ${error.what}`;
    }
    if (!(error.from >= 0 && error.from <= error.to && error.to <= input.length)) {
      return `refusal outside the text: ${error.from}-${error.to}`;
    }
    if (!error.reason.includes(`line ${error.line}, column ${error.column}`)) {
      return `refusal without its position: ${error.reason}`;
    }
    return undefined;
  }
  let rendered: string;
  try {
    rendered = renderBuilderQuery(result.query);
  } catch (e) {
    return `render threw ${e}`;
  }
  if (lezerError(rendered)) {
    return `renders ${JSON.stringify(rendered)}, which does not parse`;
  }
  const again = parsePromQL(rendered);
  if (!again.ok) {
    return `renders ${JSON.stringify(rendered)}, which is refused: ${again.error.reason}`;
  }
  if (!isDeepStrictEqual(again.query, result.query)) {
    return `renders ${JSON.stringify(rendered)}, which reads as another model`;
  }
  if (canonical(rendered) !== canonical(input)) {
    return `renders ${JSON.stringify(rendered)}, which means ${canonical(rendered)} instead of ${canonical(input)}`;
  }
  if (!isDeepStrictEqual(variablesOf(rendered), variablesOf(input))) {
    return `renders ${JSON.stringify(rendered)}, whose variables ${variablesOf(rendered)} are not ${variablesOf(input)}`;
  }
  const source = { text: input, rendered };
  const kept = keepSourceText({ refId: 'A', expr: rendered, editorMode: 'builder', builder: result.query }, source);
  if (kept.expr !== input) {
    return `without an edit the editor holds ${JSON.stringify(kept.expr)}`;
  }
  return undefined;
}

function run(inputs: string[]): { failures: Array<{ input: string; problem: string }>; accepted: number } {
  const failures: Array<{ input: string; problem: string }> = [];
  let accepted = 0;
  for (const input of inputs) {
    const problem = check(input);
    if (problem) {
      failures.push({ input, problem });
    } else if (parsePromQL(input).ok) {
      accepted++;
    }
  }
  return { failures, accepted };
}

describe(`Code -> Builder -> Code under mutation (seed ${SEED})`, () => {
  it('splits text into tokens that join back to it', () => {
    for (const text of SEEDS) {
      expect(tokens(text).join('')).toBe(text);
    }
  });

  it(`holds for ${COUNT} token mutations of the written corpus`, () => {
    const gen = new Generator(random(SEED));
    const mutator = new Mutator(gen);
    const inputs: string[] = [];
    while (inputs.length < COUNT) {
      // Mutations of mutations reach further from valid PromQL.
      const base = inputs.length > 0 && gen.chance(0.25) ? gen.pick(inputs) : gen.pick(SEEDS);
      inputs.push(mutator.mutate(base));
    }
    const { failures, accepted } = run(inputs);
    console.log(
      `mutation test, seed ${SEED}: ${inputs.length} inputs, ${accepted} accepted, ${failures.length} failures`
    );
    expect(failures.slice(0, 10)).toEqual([]);
    // The mutations must reach the accepted path, not only refusals.
    expect(accepted).toBeGreaterThan(inputs.length / 20);
  }, 60_000);

  it('holds for deeply nested and huge inputs', () => {
    const gen = new Generator(random(SEED + 1));
    const mutator = new Mutator(gen);
    const inputs: string[] = [];
    for (const depth of [20, 100, 300]) {
      inputs.push(mutator.nest(gen.pick(SEEDS), depth), mutator.mutate(mutator.nest(gen.pick(SEEDS), depth)));
    }
    for (const count of [200, 1000]) {
      inputs.push(mutator.huge(count), mutator.huge(count), mutator.mutate(mutator.huge(count)));
    }
    inputs.push('('.repeat(500) + 'x' + ')'.repeat(500), 'x' + ' + x'.repeat(3000), '# c\n'.repeat(2000) + 'x');
    const { failures } = run(inputs);
    expect(failures.map((f) => ({ input: f.input.slice(0, 200), problem: f.problem.slice(0, 300) }))).toEqual([]);
  }, 60_000);
});
